//! Offline `validate` throughput: loading and checking custom resources (target: at least
//! 5,000 per second).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use promop::schema::{self, Options, Source};

/// `count` ServiceMonitors, PodMonitors and PrometheusRules (in turn) as one YAML stream.
fn manifests(count: usize) -> String {
    let mut text = String::new();
    for i in 0..count {
        text.push_str("---\n");
        match i % 3 {
            0 => text.push_str(&format!(
                "apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: sm-{i}\n  namespace: ns-{}\n  labels:\n    team: t{}\nspec:\n  selector:\n    matchLabels:\n      app: app-{i}\n  endpoints:\n  - port: http\n    interval: 30s\n    scrapeTimeout: 10s\n    relabelings:\n    - sourceLabels: [__meta_kubernetes_pod_name]\n      targetLabel: pod\n    - action: labeldrop\n      regex: tmp_.*\n    metricRelabelings:\n    - sourceLabels: [__name__]\n      regex: go_.*\n      action: drop\n",
                i % 20,
                i % 5
            )),
            1 => text.push_str(&format!(
                "apiVersion: monitoring.coreos.com/v1\nkind: PodMonitor\nmetadata:\n  name: pm-{i}\n  namespace: ns-{}\nspec:\n  selector:\n    matchExpressions:\n    - key: app\n      operator: In\n      values: [a, b]\n  podMetricsEndpoints:\n  - port: metrics\n    scheme: https\n    tlsConfig:\n      insecureSkipVerify: true\n",
                i % 20
            )),
            _ => text.push_str(&format!(
                "apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata:\n  name: rules-{i}\n  namespace: ns-{}\nspec:\n  groups:\n  - name: g-{i}\n    interval: 1m\n    rules:\n    - record: job:http_requests:rate5m\n      expr: sum by (job) (rate(http_requests_total[5m]))\n    - alert: HighErrorRate\n      expr: sum(rate(http_errors_total[5m])) / sum(rate(http_requests_total[5m])) > 0.05\n      for: 10m\n      labels:\n        severity: page\n      annotations:\n        summary: errors above 5%\n",
                i % 20
            )),
        }
    }
    text
}

fn validate_offline(c: &mut Criterion) {
    const COUNT: usize = 1_000;
    let text = manifests(COUNT);
    let mut group = c.benchmark_group("validate");
    group.throughput(Throughput::Elements(COUNT as u64));
    group.sample_size(10);
    group.bench_function("offline_1000_resources", |b| {
        b.iter(|| {
            let source = Source::read("bench.yaml", &text).expect("loads");
            let report = schema::validate(&[source], &Options::default());
            assert!(report.is_valid(), "{:?}", report.problems.first());
            report
        });
    });
    group.finish();
}

criterion_group!(benches, validate_offline);
criterion_main!(benches);
