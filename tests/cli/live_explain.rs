//! `kubectl-promop explain servicemonitor NAME --live`: the computed targets beside what each
//! Prometheus pod reports, read through the loopback API server's pod proxy.

use crate::common::text;
use std::path::Path;
use std::process::{Command, Output};

use crate::apiserver::ApiServer;
use serde_json::{Value, json};

const FIXTURE: &str = include_str!("../fixtures/live/cluster.yaml");

/// The web Service with two ports (only `http` is scraped) and its endpoints.
const WEB: &str = "---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
  labels:
    app: web
spec:
  selector:
    app: web
  ports:
  - name: http
    port: 80
    targetPort: 8080
  - name: admin
    port: 9090
    targetPort: 9090
---
apiVersion: v1
kind: Endpoints
metadata:
  name: web
  namespace: shop
  labels:
    app: web
subsets:
- addresses:
  - ip: 10.0.0.1
  - ip: 10.0.0.2
  ports:
  - name: http
    port: 8080
  - name: admin
    port: 9090
";

fn pod(name: &str) -> String {
    format!(
        "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n  namespace: shop\n  labels:\n    \
app.kubernetes.io/name: prometheus\n    app.kubernetes.io/instance: k8s\n    \
operator.prometheus.io/name: k8s\nspec:\n  containers:\n  - name: prometheus\n    \
ports:\n    - name: web\n      containerPort: 9090\nstatus:\n  phase: Running\n"
    )
}

const JOB: &str = "serviceMonitor/shop/web/0";

/// A `/api/v1/targets?state=any` answer: 10.0.0.1:8080 up, 10.0.0.2:8080 down, the admin
/// port dropped.
fn targets_answer() -> String {
    let active = |address: &str, health: &str, error: &str| {
        json!({"scrapePool": JOB, "discoveredLabels": {"__address__": address},
               "scrapeUrl": format!("http://{address}/metrics"), "health": health,
               "lastError": error, "lastScrape": "2026-12-05T10:00:00Z"})
    };
    json!({"status": "success", "data": {
        "activeTargets": [
            active("10.0.0.1:8080", "up", ""),
            active("10.0.0.2:8080", "down", "connection refused"),
        ],
        "droppedTargets": [
            {"scrapePool": JOB, "discoveredLabels": {"__address__": "10.0.0.1:9090"}},
            {"scrapePool": JOB, "discoveredLabels": {"__address__": "10.0.0.2:9090"}},
        ],
    }})
    .to_string()
}

fn run(server: &ApiServer, dir: &Path, args: &[&str]) -> Output {
    crate::common::run_against(server, dir, "shop", args)
}

fn target<'a>(report: &'a Value, address: &str) -> &'a Value {
    report["live"][0]["targets"]
        .as_array()
        .expect("targets")
        .iter()
        .find(|t| t["address"] == json!(address))
        .unwrap_or_else(|| panic!("{address} in {report}"))
}

#[test]
fn a_down_target_shows_its_error_and_a_live_drop_matches_our_rule() {
    let server = ApiServer::start(&format!("{FIXTURE}{WEB}{}", pod("prometheus-k8s-0")));
    server.answer_proxy(
        "prometheus-k8s-0",
        "/api/v1/targets?state=any&scrapePool=serviceMonitor/shop/web/0",
        200,
        &targets_answer(),
    );
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        &server,
        dir.path(),
        &["explain", "servicemonitor", "web", "--live", "-o", "json"],
    );
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    let report: Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(report["live"][0]["job"], json!(JOB));
    let down = target(&report, "10.0.0.2:8080");
    assert_eq!(down["computedKept"], json!(true));
    assert_eq!(down["pods"][0]["health"], json!("down"));
    assert_eq!(down["pods"][0]["lastError"], json!("connection refused"));
    let dropped = target(&report, "10.0.0.1:9090");
    assert_eq!(dropped["computedKept"], json!(false));
    assert_eq!(dropped["pods"][0]["state"], json!("dropped"));
    assert!(dropped["droppedBy"].is_object(), "{dropped}");
    assert!(dropped.get("disagreement").is_none(), "{dropped}");

    let table = run(
        &server,
        dir.path(),
        &["explain", "servicemonitor", "web", "--live"],
    );
    let stdout = text(&table.stdout);
    assert_eq!(table.status.code(), Some(0), "{}", text(&table.stderr));
    assert!(
        stdout.contains("prometheus-k8s-0: down") && stdout.contains("connection refused"),
        "{stdout}"
    );
    assert!(
        stdout.contains("computed: dropped by relabel_configs["),
        "{stdout}"
    );
    // One request per pod for the targets.
    let proxied = server
        .requests()
        .into_iter()
        .filter(|r| r.contains("/proxy/"))
        .count();
    assert_eq!(proxied, 2, "{:?}", server.requests());
}

#[test]
fn a_forbidden_proxy_names_the_permission_and_keeps_the_explanation() {
    let server = ApiServer::start(&format!("{FIXTURE}{WEB}{}", pod("prometheus-k8s-0")));
    server.answer_proxy(
        "prometheus-k8s-0",
        "/api/v1/targets?state=any&scrapePool=serviceMonitor/shop/web/0",
        403,
        &json!({"kind": "Status", "apiVersion": "v1", "status": "Failure",
                "message": "pods \"prometheus-k8s-0\" is forbidden", "reason": "Forbidden", "code": 403})
        .to_string(),
    );
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        &server,
        dir.path(),
        &["explain", "servicemonitor", "web", "--live"],
    );
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("get pods/proxy"), "{stdout}");
    assert!(stdout.contains("10.0.0.1:8080"), "{stdout}");
}

#[test]
fn live_needs_the_cluster_and_a_monitor() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = dir.path().join("objects.yaml");
    std::fs::write(&fixture, FIXTURE).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_kubectl-promop"))
        .args(["explain", "servicemonitor", "web", "--live", "-f"])
        .arg(&fixture)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let out = Command::new(env!("CARGO_BIN_EXE_kubectl-promop"))
        .args(["explain", "prometheus", "k8s", "--live"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("--live applies to"),
        "{}",
        text(&out.stderr)
    );
}

/// The fixture with `field` added to the Prometheus's spec, the web Service and `pod`.
fn cluster_with_spec(field: &str, pod: &str) -> String {
    let fixture = FIXTURE.replacen(
        "  version: v3.5.0\n",
        &format!("  version: v3.5.0\n  {field}\n"),
        1,
    );
    assert_ne!(fixture, FIXTURE);
    format!("{fixture}{WEB}{pod}")
}

#[test]
fn a_renamed_web_port_is_the_one_read() {
    let renamed = pod("prometheus-k8s-0").replace("- name: web\n", "- name: http-web\n");
    let server = ApiServer::start(&cluster_with_spec("portName: http-web", &renamed));
    server.answer_proxy(
        "prometheus-k8s-0",
        "/api/v1/targets?state=any&scrapePool=serviceMonitor/shop/web/0",
        200,
        &targets_answer(),
    );
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        &server,
        dir.path(),
        &["explain", "servicemonitor", "web", "--live", "-o", "json"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(report["liveProblems"], json!([]), "{report}");
    let down = target(&report, "10.0.0.2:8080");
    assert_eq!(down["pods"][0]["health"], json!("down"));
}

#[test]
fn a_server_listening_on_localhost_is_named_not_proxied() {
    let local = pod("prometheus-k8s-0").replacen(
        "    ports:\n    - name: web\n      containerPort: 9090\n",
        "",
        1,
    );
    let server = ApiServer::start(&cluster_with_spec("listenLocal: true", &local));
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        &server,
        dir.path(),
        &["explain", "servicemonitor", "web", "--live", "-o", "json"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    let problems = report["liveProblems"].to_string();
    assert!(
        problems.contains("pod prometheus-k8s-0: its server listens on localhost only"),
        "{report}"
    );
    assert!(!problems.contains("no running pod"), "{report}");
    let proxied = server
        .requests()
        .into_iter()
        .filter(|r| r.contains("/proxy/"))
        .count();
    assert_eq!(proxied, 0);
}
