//! What the test modules share: running the binary against the loopback API server, and
//! reading what it printed.

use std::path::Path;
use std::process::{Command, Output};

use crate::apiserver::ApiServer;

/// What a live command prints when the cluster holds no prometheus-operator Deployment.
pub const NO_OPERATOR_WARNING: &str = "warning: the operator's Deployment: not found (no \
    Deployment runs a container named prometheus-operator or a prometheus-operator image): the \
    operator's defaults are assumed\n";

/// Runs the binary with `args` against `server`, through a kubeconfig written into `dir` whose
/// context's namespace is `namespace`.
pub fn run_against(server: &ApiServer, dir: &Path, namespace: &str, args: &[&str]) -> Output {
    let kubeconfig = server.write_kubeconfig(dir, namespace);
    Command::new(env!("CARGO_BIN_EXE_kubectl-promop"))
        .args(args)
        .arg("--kubeconfig")
        .arg(&kubeconfig)
        .output()
        .expect("runs")
}

/// Output bytes as text, for messages and `contains` checks.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Fails with everything the binary printed unless it exited with `code`.
pub fn assert_exit(out: &Output, code: i32) {
    assert_eq!(
        out.status.code(),
        Some(code),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
}
