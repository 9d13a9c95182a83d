//! Renders a Prometheus with N ServiceMonitor jobs once and gzips it, for measuring peak memory:
//! `cargo build --release --example render_scale && /usr/bin/time -v target/release/examples/render_scale 10000`.

#[path = "../benches/support/render_fixture.rs"]
mod fixture;

fn main() {
    let jobs: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000);
    let snapshot = fixture::snapshot(jobs);
    let start = std::time::Instant::now();
    let rendered = promop::render::render(&fixture::request(&snapshot)).expect("renders");
    let text = rendered.to_yaml_string();
    let payload = promop::decode::gzip(text.as_bytes()).expect("gzips");
    println!(
        "{jobs} jobs: {} bytes of YAML, {} bytes gzipped, rendered and gzipped in {:?}",
        text.len(),
        payload.len(),
        start.elapsed()
    );
}
