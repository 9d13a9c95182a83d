//! `kubectl-promop explain` end to end: every scenario runs the real binary twice, once from
//! files (`-f`) and once against the loopback API server.

use std::process::Command;

use crate::apiserver::ApiServer;
use serde_json::Value;

const FIXTURE: &str = include_str!("../fixtures/explain/cluster.yaml");
const FIXTURE_PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/explain/cluster.yaml"
);

/// Where the binary reads objects from.
#[derive(Clone, Copy)]
enum Source {
    Files,
    Cluster,
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
    /// The requests the API server received (none when reading files).
    requests: Vec<String>,
}

fn run(source: Source, args: &[&str]) -> Run {
    run_with_faults(source, args, &[])
}

fn run_with_faults(source: Source, args: &[&str], faults: &[crate::apiserver::Fault]) -> Run {
    let mut explain = vec!["explain"];
    explain.extend(args);
    match source {
        Source::Files => run_binary(
            Command::new(env!("CARGO_BIN_EXE_kubectl-promop"))
                .args(&explain)
                .args(["-f", FIXTURE_PATH])
                .env_remove("NO_COLOR"),
        ),
        Source::Cluster => run_in_cluster(FIXTURE, &explain, faults),
    }
}

/// Runs `command` (the binary) to its end; the requests are left for the caller to add.
fn run_binary(command: &mut Command) -> Run {
    let output = command.output().expect("run kubectl-promop");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        requests: Vec::new(),
    }
}

/// Runs the binary with `args` against a loopback API server holding `fixture`, with `faults`
/// injected.
fn run_in_cluster(fixture: &str, args: &[&str], faults: &[crate::apiserver::Fault]) -> Run {
    let server = ApiServer::start(fixture);
    for fault in faults {
        server.inject(fault.clone());
    }
    let dir = tempfile::tempdir().unwrap();
    let run = run_binary(
        Command::new(env!("CARGO_BIN_EXE_kubectl-promop"))
            .args(args)
            .env_remove("NO_COLOR")
            .arg("--kubeconfig")
            .arg(server.write_kubeconfig(dir.path(), "default")),
    );
    Run {
        requests: server.requests(),
        ..run
    }
}

fn json(source: Source, args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["-o", "json"]);
    let out = run(source, &all);
    assert_eq!(
        out.code, 0,
        "stderr: {}\nstdout: {}",
        out.stderr, out.stdout
    );
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", out.stdout))
}

fn resource<'v>(explanation: &'v Value, kind: &str, namespace: &str, name: &str) -> &'v Value {
    explanation["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["kind"] == kind && r["namespace"] == namespace && r["name"] == name)
        .unwrap_or_else(|| panic!("{kind} {namespace}/{name} missing: {explanation:#}"))
}

fn instance<'v>(explanation: &'v Value, name: &str) -> &'v Value {
    explanation["instances"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == name)
        .unwrap_or_else(|| panic!("instance {name} missing: {explanation:#}"))
}

fn text(value: &Value) -> String {
    value.to_string()
}

fn prometheus(source: Source) -> Value {
    json(source, &["prometheus", "k8s", "-n", "monitoring"])
}

// --- a label typo ---------------------------------------------------------------------------

fn label_typo(source: Source) {
    let p = prometheus(source);
    let r = resource(&p, "ServiceMonitor", "shop", "web-typo");
    assert_eq!(r["status"], "not-selected");
    let reason = &r["reasons"][0];
    assert_eq!(reason["code"], "label-selector");
    assert_eq!(reason["field"], "spec.serviceMonitorSelector");
    assert_eq!(reason["wanted"], "team=frontend");
    assert_eq!(reason["actual"]["team"], "fronted");
    assert!(
        text(&reason["nearMisses"]).contains("value typo"),
        "{reason:#}"
    );
    assert_eq!(
        resource(&p, "ServiceMonitor", "shop", "web")["status"],
        "selected"
    );

    // The Helm-installed instance wants a release label nobody set.
    let m = json(source, &["servicemonitor", "web", "-n", "shop"]);
    let helm = instance(&m, "kube-prometheus");
    assert_eq!(helm["status"], "not-selected");
    assert!(text(&helm["reasons"]).contains("Helm"), "{helm:#}");
    assert_eq!(instance(&m, "k8s")["status"], "selected");
}

#[test]
fn files_label_typo() {
    label_typo(Source::Files);
}

#[test]
fn cluster_label_typo() {
    label_typo(Source::Cluster);
}

// --- a namespace without the label the namespace selector wants ------------------------------

fn namespace_label_missing(source: Source) {
    let p = prometheus(source);
    let r = resource(&p, "ServiceMonitor", "legacy", "old");
    assert_eq!(r["status"], "not-selected");
    let reason = &r["reasons"][0];
    assert_eq!(reason["code"], "namespace-selector");
    assert_eq!(reason["field"], "spec.serviceMonitorNamespaceSelector");
    assert_eq!(reason["wanted"], "monitoring=enabled");
    assert_eq!(reason["actual"]["monitoring"], "disabled");
    assert!(text(&reason["message"]).contains("legacy"));
}

#[test]
fn files_namespace_label_missing() {
    namespace_label_missing(Source::Files);
}

#[test]
fn cluster_namespace_label_missing() {
    namespace_label_missing(Source::Cluster);
}

// --- nil versus {} namespace selector --------------------------------------------------------

fn nil_versus_empty_namespace_selector(source: Source) {
    let p = prometheus(source);
    // podMonitorNamespaceSelector is nil: only the Prometheus's namespace.
    let elsewhere = resource(&p, "PodMonitor", "shop", "elsewhere");
    assert_eq!(elsewhere["status"], "not-selected");
    assert_eq!(elsewhere["reasons"][0]["code"], "namespace-selector");
    assert!(text(&elsewhere["reasons"][0]["message"]).contains("nil"));
    assert_eq!(
        resource(&p, "PodMonitor", "monitoring", "unnamed")["status"],
        "selected"
    );
    // probeNamespaceSelector is {}: every namespace.
    assert_eq!(resource(&p, "Probe", "shop", "ping")["status"], "selected");
    // The other instance has no probe selector at all.
    let m = json(source, &["probe/ping", "-n", "shop"]);
    let helm = instance(&m, "kube-prometheus");
    assert_eq!(helm["reasons"][0]["code"], "namespace-selector");
    assert!(text(&helm["reasons"]).contains("no-selector"), "{helm:#}");
}

#[test]
fn files_nil_versus_empty_namespace_selector() {
    nil_versus_empty_namespace_selector(Source::Files);
}

#[test]
fn cluster_nil_versus_empty_namespace_selector() {
    nil_versus_empty_namespace_selector(Source::Cluster);
}

// --- rejections ------------------------------------------------------------------------------

fn rejections(source: Source) {
    let p = prometheus(source);
    let missing = resource(&p, "ServiceMonitor", "shop", "secret-missing");
    assert_eq!(missing["status"], "rejected");
    assert_eq!(missing["reasons"][0]["code"], "validation");
    assert!(
        text(&missing["reasons"][0]).contains("password"),
        "{missing:#}"
    );
    assert_eq!(missing["reasons"][0]["check"], "reference", "{missing:#}");
    let token = resource(&p, "ServiceMonitor", "shop", "token-file");
    assert_eq!(token["status"], "rejected");
    assert_eq!(
        token["reasons"][0]["field"],
        "spec.endpoints[0].bearerTokenFile"
    );
    assert!(p["summary"]["rejected"].as_u64().unwrap() >= 2);
}

#[test]
fn files_rejections() {
    rejections(Source::Files);
}

#[test]
fn cluster_rejections() {
    rejections(Source::Cluster);
}

/// From files, a Secret the files leave out reads as missing: the table says so once, and
/// how to bring it in; from the cluster the verdict stands on its own.
#[test]
fn a_missing_reference_from_files_is_said_to_be_looked_up_in_the_files() {
    const NOTE: &str = "references are looked up in the files given";
    let files = run(Source::Files, &["prometheus", "k8s", "-n", "monitoring"]);
    assert_eq!(files.code, 0, "{}", files.stderr);
    assert_eq!(files.stdout.matches(NOTE).count(), 1, "{}", files.stdout);
    // A script reads it in inputNotices.
    let structured = json(Source::Files, &["prometheus", "k8s", "-n", "monitoring"]);
    assert!(
        text(&structured["inputNotices"]).contains(NOTE),
        "{structured:#}"
    );
    let cluster = run(Source::Cluster, &["prometheus", "k8s", "-n", "monitoring"]);
    assert_eq!(cluster.code, 0, "{}", cluster.stderr);
    assert!(!cluster.stdout.contains(NOTE), "{}", cluster.stdout);
}

// --- a Service port referenced by number where the endpoint names a port --------------------

fn port_by_number(source: Source) {
    let m = json(source, &["smon", "by-number", "-n", "shop"]);
    let endpoint = &m["endpoints"][0];
    assert_eq!(endpoint["port"], "port: 8080");
    let target = &endpoint["targets"][0];
    assert_eq!(target["address"], "10.0.0.3:8080");
    assert_eq!(target["kept"], false);
    assert!(
        target["droppedBy"]["rule"]
            .as_str()
            .unwrap()
            .contains("__meta_kubernetes_endpoint_port_name"),
        "{target:#}"
    );
    assert!(
        text(&endpoint["problems"]).contains("use `port: web`"),
        "{endpoint:#}"
    );
}

#[test]
fn files_port_by_number() {
    port_by_number(Source::Files);
}

#[test]
fn cluster_port_by_number() {
    port_by_number(Source::Cluster);
}

// --- a selector that matches no Service ------------------------------------------------------

fn selector_matches_nothing(source: Source) {
    let m = json(source, &["servicemonitors/nothing", "-n", "shop"]);
    let endpoint = &m["endpoints"][0];
    assert!(text(&endpoint["problems"]).contains("no Service in namespace(s) shop"));
    assert_eq!(endpoint["targets"].as_array().unwrap().len(), 0);
    let closest = &endpoint["workloads"][0];
    assert_eq!(closest["matched"], false);
    assert_eq!(closest["name"], "web");
    assert!(text(&closest["mismatches"]).contains("typo"), "{closest:#}");
    // From files the table adds that only the files were searched.
    const NOTE: &str = "Services, Pods and their endpoints are looked up in the files given";
    let table = run(source, &["servicemonitors/nothing", "-n", "shop"]);
    assert_eq!(table.code, 0, "{}", table.stderr);
    let noted = table.stdout.contains(NOTE);
    assert_eq!(noted, matches!(source, Source::Files), "{}", table.stdout);
    let noticed = text(&m["inputNotices"]).contains(NOTE);
    assert_eq!(noticed, matches!(source, Source::Files), "{m:#}");
}

#[test]
fn files_selector_matches_nothing() {
    selector_matches_nothing(Source::Files);
}

#[test]
fn cluster_selector_matches_nothing() {
    selector_matches_nothing(Source::Cluster);
}

// --- a selector-less Service with hand-written Endpoints -------------------------------------

fn selectorless_service(source: Source) {
    let m = json(source, &["servicemonitor", "external", "-n", "billing"]);
    assert_eq!(instance(&m, "k8s")["status"], "selected");
    assert_eq!(m["hypothetical"], false);
    let endpoint = &m["endpoints"][0];
    assert_eq!(
        endpoint["workloads"][0]["addresses"][0]["ip"],
        "192.168.7.10"
    );
    let target = &endpoint["targets"][0];
    assert_eq!(target["kept"], true);
    assert_eq!(target["address"], "192.168.7.10:9100");
    assert_eq!(target["labels"]["service"], "external");
    assert_eq!(target["labels"]["job"], "external");
    // The loopback cluster binds no Role, so its SubjectAccessReviews deny discovery: that
    // RBAC gap is real, and not what this case is about.
    let chain_problems = endpoint["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| !p.as_str().unwrap().starts_with("RBAC: "))
        .count();
    assert_eq!(chain_problems, 0, "{endpoint:#}");
}

#[test]
fn files_selectorless_service() {
    selectorless_service(Source::Files);
}

#[test]
fn cluster_selectorless_service() {
    selectorless_service(Source::Cluster);
}

// --- a PodMonitor whose pods have no named port ----------------------------------------------

fn pod_without_named_port(source: Source) {
    let m = json(source, &["pmon", "unnamed", "-n", "monitoring"]);
    let endpoint = &m["endpoints"][0];
    assert_eq!(endpoint["role"], "pod");
    let target = &endpoint["targets"][0];
    assert_eq!(target["address"], "10.0.1.7:9090");
    assert_eq!(target["kept"], false);
    assert!(text(&target["droppedBy"]).contains("container_port_name"));
    assert!(
        text(&endpoint["problems"]).contains("portNumber"),
        "{endpoint:#}"
    );
}

#[test]
fn files_pod_without_named_port() {
    pod_without_named_port(Source::Files);
}

#[test]
fn cluster_pod_without_named_port() {
    pod_without_named_port(Source::Cluster);
}

// --- the operator's own restrictions, table output, errors -----------------------------------

#[test]
fn operator_deny_namespaces() {
    for source in [Source::Files, Source::Cluster] {
        let p = prometheus(source);
        let q = resource(&p, "ServiceMonitor", "quarantine", "quarantined");
        assert_eq!(q["status"], "not-selected");
        assert_eq!(q["reasons"][0]["code"], "operator-namespaces");
        assert_eq!(p["operator"]["denyNamespaces"][0], "quarantine");
    }
    // render decides as explain does: the operator never sees the ServiceMonitor, so no job.
    let render = Command::new(env!("CARGO_BIN_EXE_kubectl-promop"))
        .args(["render", "prometheus", "k8s", "-n", "monitoring", "-f"])
        .arg(FIXTURE_PATH)
        .output()
        .unwrap();
    let config = String::from_utf8_lossy(&render.stdout);
    assert_eq!(render.status.code(), Some(0));
    assert!(
        config.contains("job_name: serviceMonitor/shop/web/0"),
        "{config}"
    );
    assert!(!config.contains("serviceMonitor/quarantine/"), "{config}");
}

#[test]
fn validate_reads_the_operator_deployment() {
    let dir = tempfile::tempdir().unwrap();
    // The quarantined ServiceMonitor, made invalid: the operator does not watch its namespace,
    // so it never rejects it.
    let quarantined_invalid = FIXTURE.replace(
        "      app: q\n  endpoints:\n  - port: http\n",
        "      app: q\n  endpoints:\n  - port: http\n    bearerTokenFile: /etc/token\n",
    );
    assert_ne!(quarantined_invalid, FIXTURE);
    let input = dir.path().join("input.yaml");
    std::fs::write(&input, &quarantined_invalid).unwrap();
    let validate = |input: &std::path::Path| {
        let out = Command::new(env!("CARGO_BIN_EXE_kubectl-promop"))
            .args(["validate", "-o", "json", "-f"])
            .arg(input)
            .output()
            .unwrap();
        serde_json::from_slice::<Value>(&out.stdout).unwrap()
    };
    let report = validate(&input);
    let quarantined: Vec<&Value> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["object"] == "ServiceMonitor quarantine/quarantined")
        .collect();
    assert_eq!(quarantined.len(), 1, "{report}");
    assert_eq!(quarantined[0]["severity"], "warning");
    assert!(
        quarantined[0]["message"]
            .as_str()
            .unwrap()
            .contains("does not watch namespace \"quarantine\" (--deny-namespaces"),
        "{report}"
    );

    // A Deployment whose arguments the operator refuses is an error on those arguments.
    let bad_gate = quarantined_invalid.replace(
        "- --deny-namespaces=quarantine",
        "- --deny-namespaces=quarantine\n        - --feature-gates=NoSuchGate=true",
    );
    std::fs::write(&input, bad_gate).unwrap();
    let report = validate(&input);
    let deployment = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| {
            p["object"] == "Deployment monitoring/prometheus-operator" && p["severity"] == "error"
        })
        .unwrap_or_else(|| panic!("{report}"));
    assert_eq!(deployment["field"], "spec.template.spec.containers[0].args");
    assert!(
        deployment["message"]
            .as_str()
            .unwrap()
            .contains("unknown feature gate \"NoSuchGate\""),
        "{deployment}"
    );
}

#[test]
fn table_output_and_selected_targets() {
    let out = run(
        Source::Files,
        &["smon/web", "-n", "shop", "--color", "never"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("10.0.0.1:8080"), "{}", out.stdout);
    assert!(out.stdout.contains("kept"));
    assert!(!out.stdout.contains('\u{1b}'));
    let colored = run(
        Source::Files,
        &["prom", "k8s", "-n", "monitoring", "--color=always"],
    );
    assert_eq!(colored.code, 0);
    assert!(colored.stdout.contains('\u{1b}'));
    let yaml = run(Source::Files, &["prometheus", "k8s", "-o", "yaml"]);
    assert_eq!(yaml.code, 0, "{}", yaml.stderr);
    assert!(yaml.stdout.contains("kind: Prometheus"));
}

#[test]
fn errors_have_exit_codes() {
    // A name the input does not hold is a usage error, as in every command.
    assert_eq!(run(Source::Files, &["prometheus", "nope"]).code, 2);
    assert_eq!(run(Source::Files, &["gizmo", "x"]).code, 2);
    assert_eq!(run(Source::Files, &["prometheus"]).code, 2);
    let missing = Command::new(env!("CARGO_BIN_EXE_kubectl-promop"))
        .args([
            "explain",
            "prometheus",
            "k8s",
            "-f",
            "/nonexistent/file.yaml",
        ])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
}

// --- finding the operator's Deployment -------------------------------------------------------

/// The fixture with its operator Deployment named and labelled as the kube-prometheus-stack
/// Helm chart does: neither the label the fast LIST selects nor the container name upstream
/// gives, only the image says it is the operator.
fn helm_chart_fixture() -> String {
    let helm = FIXTURE
        .replace(
            "metadata:\n  name: prometheus-operator\n",
            "metadata:\n  name: kube-prometheus-stack-operator\n",
        )
        .replace(
            "app.kubernetes.io/name: prometheus-operator",
            "app.kubernetes.io/name: kube-prometheus-stack-prometheus-operator",
        )
        .replace(
            "      - name: prometheus-operator\n",
            "      - name: kube-prometheus-stack\n",
        );
    assert!(!helm.contains(": prometheus-operator\n"), "{helm}");
    helm
}

/// The Deployment LISTs among `requests`.
fn deployment_lists(requests: &[String]) -> Vec<&String> {
    requests
        .iter()
        .filter(|r| r.starts_with("GET /apis/apps/v1/deployments"))
        .collect()
}

/// The operator's Deployment costs one LIST: explain lists every Deployment anyway (they name
/// what should run missing Pods) and finds it there; render lists only the labelled ones.
#[test]
fn the_operator_deployment_costs_one_list() {
    let out = run(
        Source::Cluster,
        &["prometheus", "k8s", "-n", "monitoring", "-o", "json"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let p: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        p["operator"]["deployment"],
        "monitoring/prometheus-operator"
    );
    let lists = deployment_lists(&out.requests);
    assert_eq!(lists.len(), 1, "{lists:?}");
    assert!(!lists[0].contains("labelSelector="), "{lists:?}");
    let render = run_in_cluster(
        FIXTURE,
        &["render", "prometheus", "k8s", "-n", "monitoring"],
        &[],
    );
    assert_eq!(render.code, 0, "{}", render.stderr);
    let lists = deployment_lists(&render.requests);
    assert_eq!(lists.len(), 1, "{lists:?}");
    assert!(lists[0].contains("labelSelector="), "{lists:?}");
}

#[test]
fn a_helm_chart_operator_is_found_by_its_image() {
    let fixture = helm_chart_fixture();
    let explain = [
        "explain",
        "prometheus",
        "k8s",
        "-n",
        "monitoring",
        "-o",
        "json",
    ];
    let out = run_in_cluster(&fixture, &explain, &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stderr, "");
    let p: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        p["operator"]["deployment"],
        "monitoring/kube-prometheus-stack-operator"
    );
    assert_eq!(p["operator"]["denyNamespaces"][0], "quarantine");
    let q = resource(&p, "ServiceMonitor", "quarantine", "quarantined");
    assert_eq!(q["reasons"][0]["code"], "operator-namespaces");
    // Found among every Deployment, listed once.
    let lists = deployment_lists(&out.requests);
    assert_eq!(lists.len(), 1, "{lists:?}");

    // render from the cluster honours the flags too: no job for the denied namespace.
    let render = run_in_cluster(
        &fixture,
        &["render", "prometheus", "k8s", "-n", "monitoring"],
        &[],
    );
    assert_eq!(render.code, 0, "{}", render.stderr);
    // render lists the labelled Deployments, finds none running it, then every Deployment.
    let lists = deployment_lists(&render.requests);
    assert_eq!(lists.len(), 2, "{lists:?}");
    assert!(lists[0].contains("labelSelector="), "{lists:?}");
    assert!(!lists[1].contains("labelSelector="), "{lists:?}");
    assert!(
        render
            .stdout
            .contains("job_name: serviceMonitor/shop/web/0"),
        "{}",
        render.stdout
    );
    assert!(
        !render.stdout.contains("serviceMonitor/quarantine/"),
        "{}",
        render.stdout
    );
}

#[test]
fn no_operator_deployment_is_a_notice() {
    // Another Deployment, labelled as the operator's but running something else.
    let fixture = FIXTURE
        .replace("      - name: prometheus-operator\n", "      - name: web\n")
        .replace(
            "image: quay.io/prometheus-operator/prometheus-operator:v0.93.0",
            "image: nginx:1.27",
        );
    assert_ne!(fixture, FIXTURE);
    let out = run_in_cluster(
        &fixture,
        &[
            "explain",
            "prometheus",
            "k8s",
            "-n",
            "monitoring",
            "-o",
            "json",
        ],
        &[],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stderr, crate::common::NO_OPERATOR_WARNING);
    let p: Value = serde_json::from_str(&out.stdout).unwrap();
    assert!(text(&p["inputNotices"]).contains("not found"), "{p:#}");
    assert!(p.get("operator").is_none());
    assert_eq!(
        resource(&p, "ServiceMonitor", "quarantine", "quarantined")["status"],
        "selected"
    );
    assert_eq!(deployment_lists(&out.requests).len(), 1);
}

#[test]
fn a_forbidden_unlabelled_list_is_a_notice() {
    // render's labelled LIST is allowed (and finds nothing); listing every Deployment is not.
    let forbidden = crate::apiserver::Fault {
        skip: 1,
        times: 100,
        ..crate::apiserver::Fault::new("/deployments", 403)
    };
    let out = run_in_cluster(
        &helm_chart_fixture(),
        &["render", "prometheus", "k8s", "-n", "monitoring"],
        &[forbidden],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains(
            "warning: the operator's Deployment: not readable (missing permission list \
             deployments.apps at cluster scope)"
        ),
        "{}",
        out.stderr
    );
    // Without the operator's --deny-namespaces the quarantined monitor is rendered.
    assert!(
        out.stdout.contains("serviceMonitor/quarantine/"),
        "{}",
        out.stdout
    );
}

#[test]
fn rbac_notices_are_shown() {
    let forbidden = crate::apiserver::Fault {
        times: 100,
        ..crate::apiserver::Fault::new("/deployments", 403)
    };
    let out = run_with_faults(
        Source::Cluster,
        &["prometheus", "k8s", "-n", "monitoring", "-o", "json"],
        &[forbidden],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("Deployment"), "{}", out.stderr);
    let p: Value = serde_json::from_str(&out.stdout).unwrap();
    assert!(text(&p["inputNotices"]).contains("not readable"), "{p:#}");
    assert!(p.get("operator").is_none());
    assert!(text(&p["notes"]).contains("no-operator"));
    // Without the operator's flags the quarantined monitor is selected.
    assert_eq!(
        resource(&p, "ServiceMonitor", "quarantine", "quarantined")["status"],
        "selected"
    );
}

#[test]
fn a_native_sidecar_port_resolves_and_an_ended_pod_is_said_to_have_ended() {
    let text = "\
apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata: {name: k8s, namespace: shop}
spec: {serviceMonitorSelector: {}}
---
apiVersion: v1
kind: Service
metadata: {name: mesh, namespace: shop}
spec:
  selector: {app: mesh}
  ports: [{name: http, port: 80, targetPort: http-envoy-prom}]
---
apiVersion: v1
kind: Pod
metadata: {name: mesh-0, namespace: shop, labels: {app: mesh}}
spec:
  initContainers:
  - name: istio-proxy
    restartPolicy: Always
    ports: [{name: http-envoy-prom, containerPort: 15090}]
  containers:
  - name: app
    ports: [{name: web, containerPort: 8080}]
status: {phase: Running, podIP: 10.3.0.1, conditions: [{type: Ready, status: 'True'}]}
---
apiVersion: v1
kind: Pod
metadata: {name: mesh-job, namespace: shop, labels: {app: mesh}}
spec:
  containers: [{name: app}]
status: {phase: Succeeded}
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: mesh, namespace: shop}
spec:
  selector: {}
  endpoints: [{port: http}]
";
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mesh.yaml");
    std::fs::write(&path, text).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kubectl-promop"))
        .args(["explain", "smon/mesh", "-n", "shop", "-o", "json", "-f"])
        .arg(&path)
        .output()
        .unwrap();
    let m: Value = serde_json::from_slice(&out.stdout).expect("json");
    let problems = m["endpoints"][0]["problems"].to_string();
    assert!(!problems.contains("names no port"), "{problems}");
    assert!(problems.contains("shop/mesh-job"), "{problems}");
    assert!(
        problems.contains("has ended (phase Succeeded)"),
        "{problems}"
    );
}

#[test]
fn json_output_stays_valid_json_whatever_the_cluster_holds() {
    // serde_json leaves DEL, C1 controls and bidi overrides raw; escaping them for the terminal
    // must not turn them into escapes JSON does not have.
    let hostile = "evil\u{202e}txt\u{7f}del\u{9b}c1";
    let fixture = FIXTURE.replacen(
        "  endpoints:\n  - port: http\n",
        "  endpoints:\n  - port: http\n    relabelings:\n    - {targetLabel: note, replacement: \"evil\\u202Etxt\\x7Fdel\\x9Bc1\"}\n",
        1,
    );
    assert_ne!(fixture, FIXTURE);
    let out = run_in_cluster(
        &fixture,
        &[
            "explain",
            "servicemonitor",
            "web",
            "-n",
            "shop",
            "-o",
            "json",
        ],
        &[],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(!out.stdout.contains(hostile), "raw: {}", out.stdout);
    let value: Value = serde_json::from_str(&out.stdout).expect("valid JSON");
    assert!(value.to_string().contains(hostile), "{value}");
}

#[test]
fn a_name_not_found_says_where_it_is_or_what_is_near() {
    for source in [Source::Files, Source::Cluster] {
        let elsewhere = run(source, &["smon", "web", "-n", "monitoring"]);
        assert_eq!(elsewhere.code, 2, "{}", elsewhere.stderr);
        assert!(
            elsewhere
                .stderr
                .contains("ServiceMonitor monitoring/web not found (it is in namespace shop)"),
            "{}",
            elsewhere.stderr
        );
        let typo = run(source, &["smon", "wbe", "-n", "shop"]);
        assert!(
            typo.stderr
                .contains("ServiceMonitor shop/wbe not found (did you mean web?)"),
            "{}",
            typo.stderr
        );
    }
}

/// `explain ARGS -f shop.yaml -f (extra)`: the scenario objects of
/// `tests/fixtures/explain_scenarios/` with `extra` written beside them.
fn explain_shop(extra: &str, args: &[&str]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let extra_path = dir.path().join("extra.yaml");
    std::fs::write(&extra_path, extra).unwrap();
    let shop = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/explain_scenarios/shop.yaml"
    );
    run_binary(
        Command::new(env!("CARGO_BIN_EXE_kubectl-promop"))
            .arg("explain")
            .args(args)
            .args(["-f", shop, "-f"])
            .arg(&extra_path)
            .args(["--color", "never"]),
    )
}

/// A ServiceMonitor `name` for Services labelled `app: APP`, with `endpoint` (YAML lines of the
/// one endpoint, indented as its fields) and `spec` (more spec lines).
fn shop_monitor(name: &str, app: &str, endpoint: &str, spec: &str) -> String {
    format!(
        "apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: {name}\n  \
         namespace: shop\n  labels:\n    team: shop\nspec:\n{spec}  selector:\n    matchLabels:\n      \
         app: {app}\n  endpoints:\n  - port: metrics\n{endpoint}"
    )
}

#[test]
fn a_dropping_rule_is_traced_to_where_it_was_written_with_the_value_it_saw() {
    let own = shop_monitor(
        "web",
        "web",
        "    relabelings:\n    - sourceLabels: [__meta_kubernetes_pod_label_app]\n      regex: web\n      action: keep\n",
        "",
    );
    let run = explain_shop(&own, &["smon", "web", "-n", "shop"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains(
            "keep __meta_kubernetes_pod_label_app =~ web (value \"web-pod\"); written at \
             spec.endpoints[0].relabelings[0] of ServiceMonitor shop/web"
        ),
        "{}",
        run.stdout
    );
    let by_class = shop_monitor("web", "web", "", "  scrapeClass: drop-all\n");
    let run = explain_shop(&by_class, &["smon", "web", "-n", "shop"]);
    assert!(
        run.stdout.contains(
            "drop __address__ =~ .* (value \"10.0.1.5:9100\"); written at \
             spec.scrapeClasses[1].relabelings[0] of Prometheus monitoring/k8s (scrape class drop-all)"
        ),
        "{}",
        run.stdout
    );
    // The operator's own rules are named by position alone.
    assert!(
        run.stdout.contains(
            "by relabel_configs[2]: keep __meta_kubernetes_endpoint_port_name =~ metrics (value \"http\")\n"
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn hand_written_endpoints_must_name_ports_as_the_service_does() {
    let run = explain_shop(
        &shop_monitor("legacy", "legacy", "", ""),
        &["smon", "legacy", "-n", "shop"],
    );
    assert!(
        run.stdout.contains(
            "problem: the Endpoints of Service shop/legacy name their ports \"http-metrics\" (9100), \
             not \"metrics\""
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn an_instance_the_operator_does_not_reconcile_selects_nothing() {
    let operator = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: prometheus-operator\n  \
                    namespace: monitoring\n  labels: {app.kubernetes.io/name: prometheus-operator}\n\
                    spec:\n  selector: {matchLabels: {app.kubernetes.io/name: prometheus-operator}}\n  \
                    template:\n    metadata: {labels: {app.kubernetes.io/name: prometheus-operator}}\n    \
                    spec:\n      containers:\n      - name: prometheus-operator\n        \
                    image: quay.io/prometheus-operator/prometheus-operator:v0.93.0\n        \
                    args: [--controller-id=team-a]\n---\n";
    let run = explain_shop(
        &format!("{operator}{}", shop_monitor("web", "web", "", "")),
        &["smon", "web", "-n", "shop"],
    );
    assert!(
        run.stdout
            .contains(" Prometheus  monitoring  k8s   not selected  the operator"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(
            "fix: annotate Prometheus monitoring/k8s with operator.prometheus.io/controller-id=team-a"
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn a_rejected_monitor_says_why_its_targets_are_not_shown() {
    let invalid = shop_monitor(
        "web",
        "web",
        "    relabelings:\n    - sourceLabels: [__meta_kubernetes_pod_node_name]\n      action: replace\n",
        "",
    );
    let run = explain_shop(&invalid, &["smon", "web", "-n", "shop"]);
    assert!(run.stdout.contains(" rejected "), "{}", run.stdout);
    assert!(
        run.stdout.contains(
            "note: no targets shown: Prometheus monitoring/k8s's configuration with this rejected \
             monitor put in cannot be built"
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn scrape_settings_and_likely_selector_mistakes_are_shown() {
    let settings = shop_monitor(
        "web",
        "web",
        "    honorLabels: true\n",
        "  sampleLimit: 5000\n",
    );
    let run = explain_shop(&settings, &["smon", "web", "-n", "shop"]);
    assert!(
        run.stdout
            .contains("\nscrape: honor_labels=true sample_limit=5000\n"),
        "{}",
        run.stdout
    );
    // A monitor in another namespace than its Service, without a namespace selector.
    let elsewhere = "apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  \
                     name: web\n  namespace: monitoring\n  labels: {team: shop}\nspec:\n  \
                     selector: {matchLabels: {app: web}}\n  endpoints: [{port: metrics}]\n";
    let run = explain_shop(elsewhere, &["smon", "web", "-n", "monitoring"]);
    assert!(
        run.stdout.contains(
            "problem: the selector matches Service shop/web outside the namespaces searched: \
             list shop in the monitor's spec.namespaceSelector.matchNames"
        ),
        "{}",
        run.stdout
    );
    // A PodMonitor given its Service's labels.
    let pods = "apiVersion: monitoring.coreos.com/v1\nkind: PodMonitor\nmetadata:\n  name: web\n  \
                namespace: shop\nspec:\n  selector: {matchLabels: {app: web}}\n  \
                podMetricsEndpoints: [{port: metrics}]\n";
    let run = explain_shop(pods, &["pmon", "web", "-n", "shop"]);
    assert!(
        run.stdout.contains(
            "problem: the selector matches Service shop/web: a PodMonitor selects Pods by their \
             own labels, not their Service's"
        ),
        "{}",
        run.stdout
    );
}

/// `explain ARGS -f tests/fixtures/explain_scenarios/FILE`.
fn explain_scenario(file: &str, args: &[&str]) -> Run {
    let path = format!(
        "{}/tests/fixtures/explain_scenarios/{file}",
        env!("CARGO_MANIFEST_DIR")
    );
    run_binary(
        Command::new(env!("CARGO_BIN_EXE_kubectl-promop"))
            .arg("explain")
            .args(args)
            .args(["-f", &path, "--color", "never"]),
    )
}

#[test]
fn a_job_that_hashes_on_its_own_is_scraped_by_every_shard() {
    let sharded = explain_scenario("sharded_hashmod.yaml", &["scrapeconfig", "a", "-n", "team"]);
    assert!(
        sharded.stdout.contains(" kept shard "),
        "{}",
        sharded.stdout
    );
    let own = explain_scenario("sharded_hashmod.yaml", &["scrapeconfig", "b", "-n", "team"]);
    assert!(!own.stdout.contains(" kept shard "), "{}", own.stdout);
    assert!(
        own.stdout.contains(
            "problem: the job's own relabelings hash (hashmod), so the operator adds no sharding \
             rules: each of the 3 shards scrapes every target"
        ),
        "{}",
        own.stdout
    );
}

#[test]
fn a_daemonset_agent_scrapes_every_node_s_pods_together() {
    let run = explain_scenario(
        "agent_daemonset.yaml",
        &[
            "podmonitor",
            "pm",
            "-n",
            "app",
            "--feature-gates",
            "PrometheusAgentDaemonSet=true",
        ],
    );
    assert!(
        run.stdout.contains("10.0.0.1:8080") && run.stdout.contains("10.0.0.2:8080"),
        "{}{}",
        run.stdout,
        run.stderr
    );
    assert!(
        run.stdout
            .contains("each agent pod of the DaemonSet scrapes only the Pods on its own node"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_bare_password_in_an_address_is_hidden_in_every_label() {
    let static_target = "apiVersion: monitoring.coreos.com/v1alpha1\nkind: ScrapeConfig\nmetadata:\n  \
                         name: db\n  namespace: shop\nspec:\n  staticConfigs:\n  - targets: \
                         ['alice:s3cretPassw0rd@db.example.com:9187']\n    labels: {env: prod}\n  \
                         relabelings:\n  - sourceLabels: [env, __address__]\n    regex: nomatch\n    \
                         action: keep\n";
    let run = explain_shop(
        static_target,
        &["scrapeconfig", "db", "-n", "shop", "-o", "json"],
    );
    assert!(
        run.stdout
            .contains("\"__address__\": \"alice:<secret>@db.example.com:9187\""),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("s3cret"), "{}", run.stdout);
}

#[test]
fn topology_sharding_still_names_the_shard() {
    let zoned = "apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata:\n  name: zoned\n  \
                 namespace: monitoring\nspec:\n  version: v3.5.0\n  shards: 2\n  shardingStrategy:\n    \
                 mode: Topology\n    topology: {values: [zone-a]}\n  serviceMonitorSelector: {}\n  \
                 serviceMonitorNamespaceSelector: {}\n---\n";
    let run = explain_shop(
        &format!("{zoned}{}", shop_monitor("web", "web", "", "")),
        &[
            "smon",
            "web",
            "-n",
            "shop",
            "--prometheus",
            "monitoring/zoned",
        ],
    );
    assert!(run.stdout.contains(" kept shard "), "{}", run.stdout);
    assert!(
        !run.stdout.contains("own relabelings hash"),
        "{}",
        run.stdout
    );
}
