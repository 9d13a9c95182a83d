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
    eprintln!("after load: {}", memory());
    let start = std::time::Instant::now();
    let rendered = promop::render::render(&fixture::request(&snapshot)).expect("renders");
    let rendered_at = start.elapsed();
    eprintln!("after render: {}", memory());
    let payload = promop::decode::encode_config(&rendered.config).expect("gzips");
    let total = start.elapsed();
    println!(
        "{jobs} jobs: {} bytes gzipped, in {total:?} (render {rendered_at:?}, emit and gzip {:?})",
        payload.len(),
        total - rendered_at
    );
    eprintln!("after emit and gzip: {}", memory());
}

/// Resident and peak memory on Linux (from /proc), for seeing which phase holds what.
fn memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .map(|status| {
            status
                .lines()
                .filter(|l| l.starts_with("VmRSS") || l.starts_with("VmHWM"))
                .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
}
