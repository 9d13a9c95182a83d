//! The binary end to end, as a user runs it: the whole process (start-up, reading the files,
//! the work, writing the output to a pipe) on 10,000 ServiceMonitors in 500 namespaces with
//! their Namespaces and one Prometheus selecting them all (the stack `scripts/bench-e2e.sh`
//! writes, which also measures peak memory). The in-process benchmarks leave loading and
//! printing out; these figures are what `kubectl promop` takes.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use criterion::{Criterion, criterion_group, criterion_main};

const SERVICE_MONITORS: usize = 10_000;
const NAMESPACES: usize = 500;

/// The stack's manifests, written once into the system's temporary directory.
fn stack() -> PathBuf {
    let mut text = String::from(
        "apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata:\n  name: k8s\n  namespace: monitoring\n\
         spec:\n  serviceMonitorSelector:\n    matchLabels:\n      team: platform\n  serviceMonitorNamespaceSelector: {}\n",
    );
    for n in 0..NAMESPACES {
        let _ = write!(
            text,
            "---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-{n:03}\n"
        );
    }
    for i in 0..SERVICE_MONITORS {
        let n = i % NAMESPACES;
        let _ = write!(
            text,
            "---\napiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: app-{i:05}\n  namespace: team-{n:03}\n  labels:\n    team: platform\n\
             spec:\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: app-{i:05}\n  endpoints:\n  - port: metrics\n    interval: 30s\n    scheme: https\n\
             \x20   tlsConfig:\n      insecureSkipVerify: true\n    relabelings:\n    - sourceLabels: [__meta_kubernetes_pod_node_name]\n      targetLabel: node\n\
             \x20   metricRelabelings:\n    - sourceLabels: [__name__]\n      regex: go_.*\n      action: drop\n"
        );
    }
    let dir = std::env::temp_dir().join("promop-bench-e2e");
    std::fs::create_dir_all(&dir).expect("creates the stack's directory");
    let path = dir.join("stack.yaml");
    std::fs::write(&path, text).expect("writes the stack");
    path
}

/// Runs the binary once with `args` and the stack, its output thrown away as
/// `>/dev/null` does (reading 23 MB from a pipe would time this process too).
fn run(args: &[&str], stack: &Path) {
    let output = Command::new(env!("CARGO_BIN_EXE_kubectl-promop"))
        .args(args)
        .arg("-f")
        .arg(stack)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .output()
        .expect("runs kubectl-promop");
    assert!(
        output.status.success(),
        "kubectl-promop {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn binary_end_to_end(c: &mut Criterion) {
    let stack = stack();
    let mut group = c.benchmark_group("e2e");
    group.sample_size(10);
    for (name, args) in [
        ("render", &["render"][..]),
        ("validate", &["validate"][..]),
        (
            "explain_prometheus",
            &["explain", "prometheus", "k8s", "-n", "monitoring"][..],
        ),
    ] {
        group.bench_function(name, |b| b.iter(|| run(args, &stack)));
    }
    group.finish();
}

criterion_group!(benches, binary_end_to_end);
criterion_main!(benches);
