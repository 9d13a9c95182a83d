//! `kubectl-promop status`: each pod's own API read through the loopback API server's pod proxy.

use crate::common::{assert_exit, text};
use std::path::Path;
use std::process::Output;

use crate::apiserver::{ApiServer, Behaviour, Fault};
use promop::decode;
use serde_json::json;

const FIXTURE: &str = include_str!("../fixtures/live/cluster.yaml");

/// The configuration in the Secret, with the variables the config-reloader expands.
const STORED: &str = "global:\n  scrape_interval: 30s\n  external_labels:\n    prometheus: shop/k8s\n    \
prometheus_replica: $(POD_NAME)\nscrape_configs:\n- job_name: serviceMonitor/shop/web/0\n  \
scrape_interval: 30s\n- job_name: serviceMonitor/shop/api/0\n  scrape_interval: 15s\n";

fn pod(name: &str, shard: Option<u32>) -> String {
    let shard_label = shard
        .map(|s| format!("\n    operator.prometheus.io/shard: \"{s}\""))
        .unwrap_or_default();
    format!(
        "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n  namespace: shop\n  labels:\n    \
app.kubernetes.io/name: prometheus\n    app.kubernetes.io/instance: k8s\n    \
operator.prometheus.io/name: k8s{shard_label}\nspec:\n  containers:\n  - name: prometheus\n    \
ports:\n    - name: web\n      containerPort: 9090\n  - name: config-reloader\n    ports:\n    \
- name: reloader-web\n      containerPort: 8080\nstatus:\n  phase: Running\n"
    )
}

fn cluster(pods: &[String]) -> String {
    format!(
        "{FIXTURE}---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: prometheus-k8s\n  namespace: shop\n\
         data:\n  prometheus.yaml.gz: {}\n{}",
        decode::base64_encode(&decode::gzip(STORED.as_bytes()).unwrap()),
        pods.concat()
    )
}

fn api(data: serde_json::Value) -> String {
    json!({"status": "success", "data": data}).to_string()
}

/// Makes `pod` answer as a Prometheus that loaded `loaded`.
fn answer(server: &ApiServer, pod: &str, loaded: &str, reload_success: bool) {
    answer_under(server, "", pod, loaded, reload_success);
}

/// [`answer`], for a Prometheus whose routes are rooted at `prefix`.
fn answer_under(server: &ApiServer, prefix: &str, pod: &str, loaded: &str, reload_success: bool) {
    server.answer_proxy(
        pod,
        &format!("{prefix}/api/v1/status/config"),
        200,
        &api(json!({"yaml": loaded})),
    );
    server.answer_proxy(
        pod,
        &format!("{prefix}/api/v1/status/runtimeinfo"),
        200,
        &api(json!({"reloadConfigSuccess": reload_success, "lastConfigTime": "2026-12-05T10:00:00Z"})),
    );
    server.answer_proxy(
        pod,
        &format!("{prefix}/api/v1/status/buildinfo"),
        200,
        &api(json!({"version": "3.5.0"})),
    );
    server.answer_proxy(
        pod,
        &format!("{prefix}/api/v1/targets?state=any"),
        200,
        &api(json!({
            "activeTargets": [
                {"scrapePool": "serviceMonitor/shop/web/0", "scrapeUrl": "http://10.0.0.1:8080/metrics",
                 "health": "up", "lastError": ""},
                {"scrapePool": "serviceMonitor/shop/web/0", "scrapeUrl": "http://admin:hunter2@10.0.0.2:8080/metrics",
                 "health": "down", "lastError": "connection refused"},
            ],
            "droppedTargets": [],
            "droppedTargetCounts": {"serviceMonitor/shop/web/0": 3, "serviceMonitor/shop/api/0": 0},
        })),
    );
}

/// What a pod that loaded the Secret's configuration reports (Prometheus adds defaults).
fn loaded_by(pod: &str) -> String {
    STORED.replace("$(POD_NAME)", pod).replace(
        "scrape_interval: 15s\n",
        "scrape_interval: 15s\n  scrape_timeout: 10s\n  metrics_path: /metrics\n",
    )
}

fn run(server: &ApiServer, dir: &Path, args: &[&str]) -> Output {
    crate::common::run_against(server, dir, "shop", args)
}

/// `status INSTANCE -o json` against `server`, which must exit with `code`, as JSON.
fn status_json(server: &ApiServer, instance: &[&str], code: i32) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec!["status"];
    args.extend(instance);
    args.extend(["-o", "json"]);
    let out = run(server, dir.path(), &args);
    assert_exit(&out, code);
    serde_json::from_slice(&out.stdout).expect("json")
}

#[test]
fn every_pod_in_sync_and_reloaded_exits_zero() {
    let pods = [pod("prometheus-k8s-0", None), pod("prometheus-k8s-1", None)];
    let server = ApiServer::start(&cluster(&pods));
    for name in ["prometheus-k8s-0", "prometheus-k8s-1"] {
        answer(&server, name, &loaded_by(name), true);
    }
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        &server,
        dir.path(),
        &["status", "prometheus", "k8s", "-o", "json"],
    );
    let stdout = text(&out.stdout);
    // A down target is reported, not a reason to fail: the chain is in sync.
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    let report: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    let pods = report["pods"].as_array().unwrap();
    assert_eq!(pods.len(), 2);
    for pod in pods {
        assert_eq!(pod["configInSync"], json!(true), "{pod}");
        assert_eq!(pod["reloadSuccess"], json!(true));
        assert_eq!(pod["version"], json!("3.5.0"));
        assert_eq!(pod["lastConfigTime"], json!("2026-12-05T10:00:00Z"));
        let web = pod["jobs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|j| j["job"] == json!("serviceMonitor/shop/web/0"))
            .expect("the web job");
        assert_eq!(
            (&web["up"], &web["down"], &web["dropped"]),
            (&json!(1), &json!(1), &json!(3))
        );
    }
    // The password in a scrape URL is not printed.
    assert!(!stdout.contains("hunter2"), "{stdout}");
}

#[test]
fn a_replica_whose_reload_failed_is_out_of_sync_with_the_reason() {
    let pods = [pod("prometheus-k8s-0", None), pod("prometheus-k8s-1", None)];
    let server = ApiServer::start(&cluster(&pods));
    answer(
        &server,
        "prometheus-k8s-0",
        &loaded_by("prometheus-k8s-0"),
        true,
    );
    // The previous configuration, without the api job, is still running on replica 1.
    let older = loaded_by("prometheus-k8s-1");
    let older = &older[..older.find("- job_name: serviceMonitor/shop/api/0").unwrap()];
    answer(&server, "prometheus-k8s-1", older, false);
    server.set_log(
        "prometheus-k8s-1",
        "config-reloader",
        "level=info msg=\"Reload triggered\"\nlevel=error msg=\"Failed to trigger reload\" err=\"received non-200 response: 500\"\n",
    );
    let dir = tempfile::tempdir().unwrap();
    let out = run(&server, dir.path(), &["status", "prometheus", "k8s"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("OUT OF SYNC"), "{stdout}");
    assert!(stdout.contains("FAILED"), "{stdout}");
    assert!(
        stdout.contains("scrape job serviceMonitor/shop/api/0: in the Secret, not loaded"),
        "{stdout}"
    );
    assert!(stdout.contains("Failed to trigger reload"), "{stdout}");
    assert!(stdout.contains("is down: connection refused"), "{stdout}");
    assert!(!stdout.contains("hunter2"), "{stdout}");
    // Only the unhealthy pod's log was read.
    let logs: Vec<String> = server
        .requests()
        .into_iter()
        .filter(|r| r.contains("/log"))
        .collect();
    assert_eq!(logs.len(), 1, "{logs:?}");
    assert!(logs[0].contains("prometheus-k8s-1/log"), "{logs:?}");
}

#[test]
fn a_forbidden_proxy_names_the_permission() {
    let server = ApiServer::start(&cluster(&[pod("prometheus-k8s-0", None)]));
    answer(
        &server,
        "prometheus-k8s-0",
        &loaded_by("prometheus-k8s-0"),
        true,
    );
    server.inject(Fault {
        times: usize::MAX,
        ..Fault::new("/proxy", 403)
    });
    let dir = tempfile::tempdir().unwrap();
    let out = run(&server, dir.path(), &["status", "prometheus", "k8s"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}{}", text(&out.stderr));
    assert!(
        stdout.contains("get pods/proxy in namespace shop"),
        "{stdout}"
    );
}

#[test]
fn an_unreadable_secret_exits_two_as_the_help_says() {
    let server = ApiServer::start(&cluster(&[pod("prometheus-k8s-0", None)]));
    server.inject(Fault {
        times: usize::MAX,
        ..Fault::new("/secrets/prometheus-k8s", 403)
    });
    let dir = tempfile::tempdir().unwrap();
    assert_exit(
        &run(&server, dir.path(), &["status", "prometheus", "k8s"]),
        2,
    );
    assert_exit(
        &run(&server, dir.path(), &["status", "prometheus", "nope"]),
        2,
    );
    let help = run(&server, dir.path(), &["status", "--help"]);
    assert!(
        text(&help.stdout).contains(
            "\n  2  usage error, or the instance, its Secret or its pods could not be read"
        ),
        "{}",
        text(&help.stdout)
    );
}

#[test]
fn slow_and_oversized_answers_are_bounded() {
    let server = ApiServer::start(&cluster(&[pod("prometheus-k8s-0", None)]));
    answer(
        &server,
        "prometheus-k8s-0",
        &loaded_by("prometheus-k8s-0"),
        true,
    );
    server.inject(Fault::behaving(
        "/proxy/api/v1/targets",
        Behaviour::Oversized(200 << 20),
    ));
    server.inject(Fault::behaving(
        "/proxy/api/v1/status/config",
        Behaviour::SlowAfterServing(std::time::Duration::from_secs(30)),
    ));
    let dir = tempfile::tempdir().unwrap();
    let started = std::time::Instant::now();
    let out = run(
        &server,
        dir.path(),
        &["status", "prometheus", "k8s", "--request-timeout", "2s"],
    );
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("the targets could not be read"), "{stdout}");
    assert!(
        stdout.contains("the loaded configuration could not be read"),
        "{stdout}"
    );
    // The slow answer was abandoned, not waited for.
    assert!(started.elapsed() < std::time::Duration::from_secs(25));
}

#[test]
fn shards_and_replicas_cost_one_request_per_pod_and_endpoint() {
    let mut pods = Vec::new();
    for shard in 0..3 {
        for replica in 0..2 {
            let name = if shard == 0 {
                format!("prometheus-k8s-{replica}")
            } else {
                format!("prometheus-k8s-shard-{shard}-{replica}")
            };
            pods.push((name, shard));
        }
    }
    let fixture: Vec<String> = pods.iter().map(|(n, s)| pod(n, Some(*s))).collect();
    let server = ApiServer::start(&cluster_with_spec("shards: 3\n  replicas: 2", &fixture));
    for (name, _) in &pods {
        answer(&server, name, &loaded_by(name), true);
    }
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        &server,
        dir.path(),
        &["status", "prometheus", "k8s", "-o", "json"],
    );
    assert_exit(&out, 0);
    let proxied: Vec<String> = server
        .requests()
        .into_iter()
        .filter(|r| r.contains("/proxy/"))
        .collect();
    assert_eq!(proxied.len(), 4 * pods.len(), "{proxied:#?}");
    for (name, _) in &pods {
        assert_eq!(
            proxied
                .iter()
                .filter(|r| r.contains(&format!("/{name}:9090/")))
                .count(),
            4,
            "{name}"
        );
    }
}

/// The cluster with `field` added to the Prometheus's spec.
fn cluster_with_spec(field: &str, pods: &[String]) -> String {
    let fixture = cluster(pods);
    let changed = fixture.replacen(
        "  version: v3.5.0\n",
        &format!("  version: v3.5.0\n  {field}\n"),
        1,
    );
    assert_ne!(changed, fixture);
    changed
}

#[test]
fn missing_shards_and_replicas_are_noted() {
    let pods = [pod("prometheus-k8s-0", Some(0))];
    let server = ApiServer::start(&cluster_with_spec("shards: 2\n  replicas: 2", &pods));
    answer(
        &server,
        "prometheus-k8s-0",
        &loaded_by("prometheus-k8s-0"),
        true,
    );
    let report = status_json(&server, &["prometheus", "k8s"], 1);
    assert_eq!(report["pods"].as_array().unwrap().len(), 1, "{report}");
    assert_eq!(report["pods"][0]["configInSync"], json!(true), "{report}");
    assert_eq!(
        report["notes"],
        json!([
            "pod prometheus-k8s-1 not found: the spec asks for 2 shards × 2 replicas",
            "pod prometheus-k8s-shard-1-0 not found: the spec asks for 2 shards × 2 replicas",
            "pod prometheus-k8s-shard-1-1 not found: the spec asks for 2 shards × 2 replicas",
        ]),
        "{report}"
    );
}

#[test]
fn a_renamed_web_port_is_the_one_read() {
    let renamed = pod("prometheus-k8s-0", None).replace("- name: web\n", "- name: http-web\n");
    let server = ApiServer::start(&cluster_with_spec("portName: http-web", &[renamed]));
    answer(
        &server,
        "prometheus-k8s-0",
        &loaded_by("prometheus-k8s-0"),
        true,
    );
    let report = status_json(&server, &["prometheus", "k8s"], 0);
    assert_eq!(report["pods"][0]["configInSync"], json!(true), "{report}");
}

#[test]
fn a_route_prefix_roots_every_api_path() {
    // The operator passes spec.routePrefix as --web.route-prefix; Prometheus serves nothing
    // outside it.
    let pods = [pod("prometheus-k8s-0", None)];
    let server = ApiServer::start(&cluster_with_spec("routePrefix: /prom/", &pods));
    let loaded = loaded_by("prometheus-k8s-0");
    answer_under(&server, "/prom", "prometheus-k8s-0", &loaded, true);
    let report = status_json(&server, &["prometheus", "k8s"], 0);
    assert_eq!(report["pods"][0]["configInSync"], json!(true), "{report}");
    assert_eq!(report["pods"][0]["reloadSuccess"], json!(true), "{report}");
    let proxied: Vec<String> = (server.requests().into_iter())
        .filter_map(|r| Some(r.split_once("/proxy/")?.1.to_owned()))
        .collect();
    assert!(
        proxied.iter().all(|p| p.starts_with("prom/api/")),
        "{proxied:?}"
    );
}

#[test]
fn a_server_listening_on_localhost_is_found_and_not_proxied() {
    // Under listenLocal the operator gives the container no port.
    let local = pod("prometheus-k8s-0", None).replacen(
        "    ports:\n    - name: web\n      containerPort: 9090\n",
        "",
        1,
    );
    let server = ApiServer::start(&cluster_with_spec("listenLocal: true", &[local]));
    let report = status_json(&server, &["prometheus", "k8s"], 1);
    assert_eq!(report["pods"][0]["name"], json!("prometheus-k8s-0"));
    assert!(
        report["pods"][0]["problems"][0]
            .as_str()
            .unwrap()
            .contains("listens on localhost only (spec.listenLocal)"),
        "{report}"
    );
    assert_eq!(report["notes"], json!([]), "{report}");
    let proxied = server
        .requests()
        .into_iter()
        .filter(|r| r.contains("/proxy/"))
        .count();
    assert_eq!(proxied, 0);
}

/// A cluster holding one instance (`instance`, YAML lines), its Secret `secret` with the gzipped
/// `stored` text under `key`, and one pod `pod` whose `container` serves `port_name` on `port`.
fn cluster_of(instance: &str, (secret, key, stored): (&str, &str, &str), pod: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n---\n{instance}---\n\
         apiVersion: v1\nkind: Secret\nmetadata:\n  name: {secret}\n  namespace: shop\n\
         data:\n  {key}: {}\n---\n{pod}",
        decode::base64_encode(&decode::gzip(stored.as_bytes()).unwrap()),
    )
}

/// The port of every proxied request.
fn proxied_ports(server: &ApiServer) -> Vec<String> {
    server
        .requests()
        .into_iter()
        .filter_map(|r| {
            let (before, _) = r.split_once("/proxy/")?;
            Some(before.rsplit_once(':')?.1.to_owned())
        })
        .collect()
}

/// An Alertmanager's stored configuration.
const AM_STORED: &str = "route:\n  receiver: \"null\"\nreceivers:\n- name: \"null\"\n";

/// An Alertmanager `main` of `replicas` (unset: `None`) on port `http-web`.
fn alertmanager(replicas: Option<u32>) -> String {
    let replicas = replicas
        .map(|r| format!("  replicas: {r}\n"))
        .unwrap_or_default();
    format!(
        "apiVersion: monitoring.coreos.com/v1\nkind: Alertmanager\nmetadata:\n  name: main\n  \
         namespace: shop\nspec:\n  version: v0.28.1\n  portName: http-web\n{replicas}"
    )
}

/// A pod of [`alertmanager`].
const AM_POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: alertmanager-main-0\n  namespace: shop\n  labels:\n    app.kubernetes.io/name: alertmanager\n    alertmanager: main\nspec:\n  containers:\n  - name: alertmanager\n    ports:\n    - name: mesh-tcp\n      containerPort: 9094\n    - name: http-web\n      containerPort: 9093\n  - name: config-reloader\n    ports:\n    - name: reloader-web\n      containerPort: 8080\nstatus:\n  phase: Running\n";

/// A cluster of [`alertmanager`] with `replicas`, and its pod `alertmanager-main-0` answering as
/// in sync.
fn alertmanager_cluster(replicas: Option<u32>) -> ApiServer {
    let server = ApiServer::start(&cluster_of(
        &alertmanager(replicas),
        (
            "alertmanager-main-generated",
            "alertmanager.yaml.gz",
            AM_STORED,
        ),
        AM_POD,
    ));
    server.answer_proxy(
        "alertmanager-main-0",
        "/api/v2/status",
        200,
        &json!({"config": {"original": AM_STORED}, "versionInfo": {"version": "0.28.1"}})
            .to_string(),
    );
    server
}

#[test]
fn an_alertmanager_with_a_renamed_port_is_read_on_that_port() {
    let server = alertmanager_cluster(None);
    let report = status_json(&server, &["alertmanager", "main"], 0);
    assert_eq!(report["pods"][0]["configInSync"], json!(true), "{report}");
    assert_eq!(report["pods"][0]["version"], json!("0.28.1"), "{report}");
    // Its config-reloader answered nothing: the reload state is unknown, and why is said.
    assert_eq!(report["pods"][0]["reloadSuccess"], json!(null), "{report}");
    assert!(
        report["pods"][0]["reloadUnknown"]
            .as_str()
            .is_some_and(|why| why.contains("the config-reloader's metrics could not be read")),
        "{report}"
    );
    let mut ports = proxied_ports(&server);
    ports.sort();
    assert_eq!(ports, ["8080", "9093"]);
}

#[test]
fn an_alertmanager_whose_last_reload_failed_is_unhealthy() {
    let server = alertmanager_cluster(None);
    server.answer_proxy(
        "alertmanager-main-0",
        "/metrics",
        200,
        "# TYPE reloader_last_reload_successful gauge\nreloader_last_reload_successful 0\n\
         reloader_last_reload_success_timestamp_seconds 1.7649288e+09\n\
         reloader_reloads_failed_total 3\nreloader_reloads_total 4\n",
    );
    server.set_log(
        "alertmanager-main-0",
        "config-reloader",
        "level=error msg=\"Failed to trigger reload. Retrying.\" err=\"received non-200 response: 400\"\n",
    );
    let dir = tempfile::tempdir().unwrap();
    let out = run(&server, dir.path(), &["status", "alertmanager", "main"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("FAILED"), "{stdout}");
    assert!(stdout.contains("2025-12-05T10:00:00Z"), "{stdout}");
    assert!(
        stdout.contains("pod alertmanager-main-0:\n  the last reload failed"),
        "{stdout}"
    );
    assert!(
        stdout.contains("received non-200 response: 400"),
        "{stdout}"
    );
    // The reloader's own port, outside the server's routes.
    assert!(
        server
            .requests()
            .iter()
            .any(|r| r.contains("/alertmanager-main-0:8080/proxy/metrics")),
        "{:?}",
        server.requests()
    );
}

#[test]
fn an_agent_with_a_renamed_port_is_read_on_that_port() {
    let instance = "apiVersion: monitoring.coreos.com/v1alpha1\nkind: PrometheusAgent\nmetadata:\n  name: edge\n  namespace: shop\nspec:\n  version: v3.5.0\n  portName: http-web\n";
    let pod = pod("prom-agent-edge-0", None)
        .trim_start_matches("---\n")
        .replace(
            "app.kubernetes.io/name: prometheus\n",
            "app.kubernetes.io/name: prometheus-agent\n",
        )
        .replace("instance: k8s", "instance: edge")
        .replace(
            "operator.prometheus.io/name: k8s",
            "operator.prometheus.io/name: edge",
        )
        .replace(
            "- name: web\n      containerPort: 9090",
            "- name: http-web\n      containerPort: 9095",
        );
    let stored = STORED.replace("shop/k8s", "shop/edge");
    let server = ApiServer::start(&cluster_of(
        instance,
        ("prom-agent-edge", "prometheus.yaml.gz", &stored),
        &pod,
    ));
    answer(
        &server,
        "prom-agent-edge-0",
        &stored.replace("$(POD_NAME)", "prom-agent-edge-0"),
        true,
    );
    let report = status_json(&server, &["prometheusagent", "edge"], 0);
    assert_eq!(report["pods"][0]["configInSync"], json!(true), "{report}");
    let ports = proxied_ports(&server);
    assert!(
        !ports.is_empty() && ports.iter().all(|p| p == "9095"),
        "{ports:?}"
    );
}

#[test]
fn a_missing_alertmanager_replica_is_noted() {
    let server = alertmanager_cluster(Some(2));
    let dir = tempfile::tempdir().unwrap();
    let out = run(&server, dir.path(), &["status", "alertmanager", "main"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}{}", text(&out.stderr));
    assert!(
        stdout.contains("note: pod alertmanager-main-1 not found: the spec asks for 2 replicas"),
        "{stdout}"
    );
}
