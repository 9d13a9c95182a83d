//! The loopback API server speaks the real protocol: kubectl itself works against it.

use crate::apiserver::{ApiServer, Fault};
use std::process::Command;

const FIXTURE: &str = include_str!("../fixtures/cluster/basic.yaml");

fn kubectl_available() -> bool {
    Command::new("kubectl")
        .arg("version")
        .arg("--client")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn kubectl(kubeconfig: &std::path::Path, args: &[&str]) -> (bool, String, String) {
    let out = Command::new("kubectl")
        .arg("--kubeconfig")
        .arg(kubeconfig)
        .args(args)
        .env("HOME", kubeconfig.parent().unwrap())
        .output()
        .expect("run kubectl");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn kubectl_get_lists_and_reads_objects() {
    if !kubectl_available() {
        eprintln!("kubectl not installed: skipping the kubectl protocol check");
        return;
    }
    let server = ApiServer::start(FIXTURE);
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = server.write_kubeconfig(dir.path(), "shop");

    let (ok, out, err) = kubectl(&kubeconfig, &["get", "servicemonitors"]);
    assert!(ok, "kubectl get failed: {err}");
    assert!(
        out.contains("shop-web") && out.contains("shop-api"),
        "{out}"
    );

    let (ok, out, err) = kubectl(
        &kubeconfig,
        &["get", "smon", "-A", "-l", "team=frontend", "-o", "name"],
    );
    assert!(ok, "{err}");
    assert_eq!(out.trim(), "servicemonitor.monitoring.coreos.com/shop-web");

    let (ok, out, err) = kubectl(
        &kubeconfig,
        &["get", "prom", "k8s", "-n", "monitoring", "-o", "yaml"],
    );
    assert!(ok, "{err}");
    assert!(
        out.contains("kind: Prometheus") && out.contains("team: frontend"),
        "{out}"
    );

    let (ok, _, err) = kubectl(&kubeconfig, &["get", "smon", "missing"]);
    assert!(!ok);
    assert!(
        err.contains("servicemonitors.monitoring.coreos.com \"missing\" not found"),
        "{err}"
    );
}

#[test]
fn kubectl_paginates_with_chunk_size() {
    if !kubectl_available() {
        eprintln!("kubectl not installed: skipping the kubectl protocol check");
        return;
    }
    let server = ApiServer::start(FIXTURE);
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = server.write_kubeconfig(dir.path(), "shop");
    let (ok, out, err) = kubectl(&kubeconfig, &["get", "ns", "--chunk-size=1", "-o", "name"]);
    assert!(ok, "{err}");
    assert_eq!(out.lines().count(), 2, "{out}");
    let continued = server
        .requests()
        .iter()
        .filter(|r| r.contains("continue="))
        .count();
    assert_eq!(continued, 1, "{:?}", server.requests());
}

#[test]
fn kubectl_server_side_apply_creates_conflicts_and_dry_runs() {
    if !kubectl_available() {
        eprintln!("kubectl not installed: skipping the kubectl protocol check");
        return;
    }
    let server = ApiServer::start(FIXTURE);
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = server.write_kubeconfig(dir.path(), "shop");
    let manifest = dir.path().join("smon.yaml");
    let write = |port: &str| {
        std::fs::write(
            &manifest,
            format!("apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: new\n  namespace: shop\nspec:\n  selector:\n    matchLabels:\n      app: web\n  endpoints:\n  - port: {port}\n"),
        )
        .unwrap();
    };
    let file = manifest.to_str().unwrap();

    write("http");
    let (ok, out, err) = kubectl(
        &kubeconfig,
        &[
            "apply",
            "--server-side",
            "--validate=false",
            "--dry-run=server",
            "-f",
            file,
        ],
    );
    assert!(ok, "{err}");
    assert!(out.contains("serverside-applied (server dry run)"), "{out}");
    assert!(
        server.object("servicemonitors", "shop", "new").is_none(),
        "dry run persisted"
    );

    let (ok, out, err) = kubectl(
        &kubeconfig,
        &["apply", "--server-side", "--validate=false", "-f", file],
    );
    assert!(ok, "{err}");
    assert!(
        out.contains("servicemonitor.monitoring.coreos.com/new serverside-applied"),
        "{out}"
    );
    assert!(server.object("servicemonitors", "shop", "new").is_some());

    write("metrics");
    let (ok, _, err) = kubectl(
        &kubeconfig,
        &[
            "apply",
            "--server-side",
            "--validate=false",
            "--field-manager=someone-else",
            "-f",
            file,
        ],
    );
    assert!(!ok);
    assert!(err.contains("conflict with \"kubectl\""), "{err}");

    let (ok, _, err) = kubectl(
        &kubeconfig,
        &[
            "apply",
            "--server-side",
            "--validate=false",
            "--force-conflicts",
            "--field-manager=someone-else",
            "-f",
            file,
        ],
    );
    assert!(ok, "{err}");
    let stored = server.object("servicemonitors", "shop", "new").unwrap();
    assert_eq!(stored["spec"]["endpoints"][0]["port"], "metrics");
}

#[test]
fn injected_faults_are_kubernetes_status_errors() {
    if !kubectl_available() {
        eprintln!("kubectl not installed: skipping the kubectl protocol check");
        return;
    }
    let server = ApiServer::start(FIXTURE);
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = server.write_kubeconfig(dir.path(), "shop");
    server.inject(Fault {
        times: 5,
        ..Fault::new("/servicemonitors", 403)
    });
    let (ok, _, err) = kubectl(&kubeconfig, &["get", "smon"]);
    assert!(!ok);
    assert!(err.contains("cannot list resource"), "{err}");
}
