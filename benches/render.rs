//! Rendering at scale: a Prometheus with 1,000 and 10,000 ServiceMonitor jobs, emitted as the
//! operator's YAML and gzipped into the Secret payload.

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
#[path = "support/render_fixture.rs"]
mod fixture;

use fixture::{request, snapshot};

fn render_and_gzip(c: &mut Criterion) {
    let mut group = c.benchmark_group("render");
    group.sample_size(10);
    for jobs in [1_000, 10_000] {
        let snapshot = snapshot(jobs);
        let request = request(&snapshot);
        group.bench_with_input(
            BenchmarkId::new("servicemonitor_jobs", jobs),
            &request,
            |b, request| {
                b.iter(|| {
                    let rendered = promop::render::render(request).expect("renders");
                    promop::decode::encode_config(&rendered.config).expect("gzips")
                })
            },
        );
    }
    group.finish();
}

criterion_group!(benches, render_and_gzip);
criterion_main!(benches);
