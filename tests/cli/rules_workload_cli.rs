//! `render rules`, `render statefulset`, `diff rules`, `diff statefulset` and the rule and path
//! checks of `validate`, from files and against the loopback API server (issues #16, #19).

use crate::common::text;
use std::path::Path;
use std::process::{Command, Output};

use crate::apiserver::ApiServer;
use promop::instance::InstanceKind;
use promop::operator::OperatorOptions;
use promop::rules::objects::{self as rule_objects, RuleInstanceKind};
use promop::snapshot::Snapshot;
use promop::workload::objects as workload_objects;

const RULES: &str = "tests/fixtures/rules/cluster.yaml";
const EXPERIMENTAL: &str = "tests/fixtures/rules/experimental.yaml";
const ETCD: &str = "tests/fixtures/workload/etcd.yaml";
const WORKLOADS: &str = "tests/fixtures/workload/cluster.yaml";

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kubectl-promop"))
        .args(args)
        .output()
        .expect("runs")
}

fn run_live(server: &ApiServer, dir: &Path, args: &[&str]) -> Output {
    crate::common::run_against(server, dir, "monitoring", args)
}

fn both(out: &Output) -> String {
    format!("{}{}", text(&out.stdout), text(&out.stderr))
}

#[test]
fn render_rules_lists_files_and_names_what_is_left_out() {
    let out = run(&["render", "rules", "prometheus", "k8s", "-f", RULES]);
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));
    let stdout = text(&out.stdout);
    let stderr = text(&out.stderr);
    assert!(
        stdout.starts_with("Prometheus monitoring/k8s: 1 ConfigMap(s), 2 file(s)"),
        "{stdout}"
    );
    assert!(stdout.contains("ConfigMap prometheus-k8s-rulefiles-0"));
    assert!(stdout.contains("monitoring-app-5b1f2f4a-0000-4000-8000-000000000002.yaml"));
    assert!(stdout.contains("group app: 2 rule(s)"));
    // ruleSelector wants a label only its rules carry.
    assert!(stderr.contains("PrometheusRule monitoring/label-inside: not selected: spec.ruleSelector: wants role=alert-rules, label role is absent (role=alert-rules is a label of rules inside the object"), "{stderr}");
    // Another namespace, nil ruleNamespaceSelector.
    assert!(stderr.contains("PrometheusRule team-a/elsewhere: not selected: namespace \"team-a\" is not the Prometheus's own namespace \"monitoring\""), "{stderr}");
    // An expression enforcement cannot rewrite: skipped, named down to the rule.
    assert!(
        stderr.contains(
            "PrometheusRule monitoring/experimental group \"top\" record job:up:limit2: skipped"
        ),
        "{stderr}"
    );

    let out = run(&[
        "render",
        "rules",
        "prometheus/k8s",
        "-f",
        RULES,
        "-o",
        "yaml",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));
    let yaml = text(&out.stdout);
    assert!(yaml.contains("kind: ConfigMap"));
    assert!(yaml.contains("name: prometheus-k8s-rulefiles-0"));
    // Rewritten by enforcedNamespaceLabel ...
    assert!(
        yaml.contains("expr: up{job=\"app\",namespace=\"monitoring\"} == 0"),
        "{yaml}"
    );
    assert!(yaml.contains("rate(http_requests_total{namespace=\"monitoring\"}[5m])"));
    // ... and excluded from it.
    assert!(yaml.contains("expr: up == 0\n"), "{yaml}");
}

/// A PrometheusRule's reasons name what decides as a monitor's do: the instance's selector
/// and its value, the rule's label, and a remedy on each side.
#[test]
fn explain_prometheusrule_reasons_name_the_selector_and_the_label() {
    let out = run(&[
        "explain",
        "promrule",
        "label-inside",
        "-n",
        "monitoring",
        "-f",
        RULES,
        "-o",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));
    let explained: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let reason = &explained["instances"][0]["reasons"][0];
    assert_eq!(reason["object"], "Prometheus monitoring/k8s", "{reason:#}");
    assert_eq!(reason["value"]["matchLabels"]["role"], "alert-rules");
    assert_eq!(
        reason["related"][0]["object"],
        "PrometheusRule monitoring/label-inside"
    );
    assert!(
        reason["remedy"]
            .as_str()
            .unwrap()
            .starts_with("on PrometheusRule monitoring/label-inside: set label role=alert-rules"),
        "{reason:#}"
    );
}

#[test]
fn experimental_function_rejected_until_enabled() {
    let out = run(&["render", "rules", "prometheus", "k8s", "-f", EXPERIMENTAL]);
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));
    assert!(text(&out.stdout).contains("0 file(s)"));
    assert!(text(&out.stderr).contains("rejected by the operator: spec.groups[0].rules[0].expr"));
    assert!(
        text(&out.stderr)
            .contains("the expression needs spec.enableFeatures: [promql-experimental-functions]")
    );
    let out = run(&["validate", "-f", EXPERIMENTAL]);
    assert_eq!(out.status.code(), Some(1), "{}", both(&out));
    assert!(text(&out.stdout).contains("spec.enableFeatures: [promql-experimental-functions]"));
    assert!(text(&out.stdout).contains("(rejected by Prometheus monitoring/k8s)"));

    let dir = tempfile::tempdir().unwrap();
    let enabled = dir.path().join("enabled.yaml");
    let original = std::fs::read_to_string(EXPERIMENTAL).unwrap();
    std::fs::write(
        &enabled,
        original.replace(
            "  ruleSelector: {}\n",
            "  ruleSelector: {}\n  enableFeatures: [promql-experimental-functions]\n",
        ),
    )
    .unwrap();
    let path = enabled.to_str().unwrap();
    let out = run(&["render", "rules", "prometheus", "k8s", "-f", path]);
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));
    assert!(text(&out.stdout).contains("1 file(s)"), "{}", both(&out));
    assert!(!text(&out.stderr).contains("rejected"));
    let out = run(&["validate", "-f", path]);
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));
}

/// A Prometheus and three PrometheusRules of about 200 KiB each.
fn large_rule_set() -> String {
    let mut text = String::from(
        "apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata: {name: big, namespace: monitoring}\nspec:\n  ruleSelector: {}\n",
    );
    for r in 0..3 {
        text.push_str(&format!(
            "---\napiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata: {{name: big-{r}, namespace: monitoring, uid: u{r}}}\nspec:\n  groups:\n  - name: g{r}\n    rules:\n"
        ));
        for i in 0..2000 {
            text.push_str(&format!(
                "    - record: job:metric_{i}:sum\n      expr: sum by (job) (rate(some_long_metric_name_for_padding_{i}_total[5m]))\n"
            ));
        }
    }
    text
}

#[test]
fn a_large_rule_set_is_split_over_two_config_maps() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("big.yaml");
    std::fs::write(&file, large_rule_set()).unwrap();
    let out = run(&[
        "render",
        "rules",
        "prometheus",
        "big",
        "-f",
        file.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("2 ConfigMap(s), 3 file(s), 3 group(s), 6000 rule(s)"),
        "{stdout}"
    );
    assert!(stdout.contains("ConfigMap prometheus-big-rulefiles-1"));
}

fn etcd_with(secrets: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("etcd.yaml");
    let original = std::fs::read_to_string(ETCD).unwrap();
    std::fs::write(
        &file,
        original.replace("  secrets:\n  - etcd-certs\n", secrets),
    )
    .unwrap();
    let path = file.to_str().unwrap().to_owned();
    (dir, path)
}

#[test]
fn etcd_paths_are_checked_against_the_mounts() {
    let out = run(&["validate", "-f", ETCD]);
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));

    let (_dir, renamed) = etcd_with("  secrets:\n  - etcd-cert\n");
    let out = run(&["validate", "-f", &renamed]);
    assert_eq!(out.status.code(), Some(1), "{}", both(&out));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("ServiceMonitor monitoring/etcd: spec.endpoints[0].tlsConfig.caFile: file \"/etc/prometheus/secrets/etcd-certs/ca.crt\" does not exist in the prometheus container of Prometheus monitoring/k8s"), "{stdout}");
    assert!(stdout.contains("Secret etcd-certs is not in spec.secrets"));
    assert!(stdout.contains("nearest existing path: \"/etc/prometheus/secrets/etcd-cert/ca.crt\""));

    let (_dir, missing) = etcd_with("");
    let out = run(&["validate", "-f", &missing]);
    assert_eq!(out.status.code(), Some(1), "{}", both(&out));
    assert!(text(&out.stdout).contains("Secret etcd-certs is not in spec.secrets"));
    // Not selected by any Prometheus of the input: the pod is unknown, nothing is said.
    let original = std::fs::read_to_string(ETCD).unwrap();
    let (_, monitor) = original.split_once("---\n").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let alone = dir.path().join("monitor.yaml");
    std::fs::write(&alone, monitor).unwrap();
    let out = run(&["validate", "-f", alone.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));
    assert!(!text(&out.stdout).contains("does not exist"));
}

#[test]
fn etcd_paths_against_the_cluster() {
    // The Prometheus is in the cluster; the ServiceMonitor comes from a file.
    let original = std::fs::read_to_string(ETCD).unwrap();
    let (prometheus, monitor) = original.split_once("---\n").unwrap();
    let server = ApiServer::start(&prometheus.replace("  - etcd-certs\n", "  - etcd-cert\n"));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("monitor.yaml");
    std::fs::write(&file, monitor).unwrap();
    let out = run_live(
        &server,
        dir.path(),
        &["validate", "-f", file.to_str().unwrap(), "--live"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", both(&out));
    assert!(
        text(&out.stdout).contains("Secret etcd-certs is not in spec.secrets"),
        "{}",
        both(&out)
    );
}

#[test]
fn explain_shows_the_pod_and_names_the_missing_files() {
    let out = run(&[
        "explain",
        "prometheus",
        "k8s",
        "-n",
        "monitoring",
        "-f",
        ETCD,
    ]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));
    assert!(
        stdout.contains("pod: containers prometheus (quay.io/prometheus/prometheus:"),
        "{stdout}"
    );
    assert!(stdout.contains("init init-config-reloader ("), "{stdout}");
    assert!(
        stdout.contains("prometheus: /etc/prometheus/secrets/etcd-certs <- Secret etcd-certs"),
        "{stdout}"
    );
    assert!(!stdout.contains("missing file"), "{stdout}");

    let (_dir, renamed) = etcd_with("  secrets:\n  - etcd-cert\n");
    let out = run(&[
        "explain",
        "prometheus",
        "k8s",
        "-n",
        "monitoring",
        "-f",
        &renamed,
        "-o",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));
    let report: serde_json::Value = serde_json::from_str(&text(&out.stdout)).unwrap();
    let missing = report["pod"]["missingFiles"].as_array().unwrap();
    assert_eq!(missing.len(), 3, "{missing:?}");
    assert_eq!(missing[0]["object"], "ServiceMonitor monitoring/etcd");
    assert_eq!(missing[0]["field"], "spec.endpoints[0].tlsConfig.caFile");
    assert!(
        missing[0]["message"]
            .as_str()
            .unwrap()
            .contains("nearest existing path: \"/etc/prometheus/secrets/etcd-cert/ca.crt\""),
        "{missing:?}"
    );
    let containers = report["pod"]["containers"].as_array().unwrap();
    assert!(containers.iter().any(|c| c["name"] == "config-reloader"));

    let out = run(&[
        "explain",
        "servicemonitor",
        "etcd",
        "-n",
        "monitoring",
        "-f",
        &renamed,
    ]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));
    assert!(
        stdout.contains("note: spec.endpoints[0].tlsConfig.certFile: file \"/etc/prometheus/secrets/etcd-certs/client.crt\" does not exist"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Secret etcd-certs is not in spec.secrets"),
        "{stdout}"
    );
}

#[test]
fn explain_names_the_missing_files_from_the_cluster() {
    let original = std::fs::read_to_string(ETCD).unwrap();
    let server = ApiServer::start(&original.replace("  - etcd-certs\n", "  - etcd-cert\n"));
    let dir = tempfile::tempdir().unwrap();
    let out = run_live(&server, dir.path(), &["explain", "servicemonitor", "etcd"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));
    assert!(
        stdout.contains("nearest existing path: \"/etc/prometheus/secrets/etcd-cert/ca.crt\""),
        "{stdout}"
    );
    let out = run_live(&server, dir.path(), &["explain", "prometheus", "k8s"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));
    assert!(
        stdout.contains("missing file: ServiceMonitor monitoring/etcd"),
        "{stdout}"
    );
}

/// The fixture's objects as the loopback server stores them (with its uids).
fn served_snapshot(fixture: &str, kinds: &[(&str, &str, &str)]) -> Snapshot {
    let server = ApiServer::start(fixture);
    let mut text = String::new();
    for (plural, namespace, name) in kinds {
        let object = server.object(plural, namespace, name).expect("served");
        text.push_str("---\n");
        text.push_str(&promop::yaml::to_string(&object).unwrap());
    }
    promop::snapshot::load("served", &text).expect("loads").0
}

fn rules_fixture_objects() -> Vec<(&'static str, &'static str, &'static str)> {
    vec![
        ("prometheuses", "monitoring", "k8s"),
        ("prometheusrules", "monitoring", "app"),
        ("prometheusrules", "monitoring", "cluster-wide"),
        ("prometheusrules", "monitoring", "label-inside"),
        ("prometheusrules", "team-a", "elsewhere"),
        ("prometheusrules", "monitoring", "experimental"),
    ]
}

#[test]
fn diff_rules_against_the_loopback_cluster() {
    let fixture = std::fs::read_to_string(RULES).unwrap();
    let snapshot = served_snapshot(&fixture, &rules_fixture_objects());
    let instance = rule_objects::find_instance(
        &snapshot,
        RuleInstanceKind::Prometheus,
        Some("monitoring"),
        "k8s",
    )
    .unwrap();
    let options = OperatorOptions::default();
    let rules = rule_objects::instance_rules(&snapshot, instance, &options).unwrap();
    let mut live = String::new();
    for config_map in &rules.config_maps {
        let object = rule_objects::config_map_object(instance, config_map, &options);
        live.push_str("---\n");
        live.push_str(&promop::yaml::to_string(&object).unwrap());
    }
    let server = ApiServer::start(&format!("{fixture}\n{live}"));
    let dir = tempfile::tempdir().unwrap();
    let out = run_live(&server, dir.path(), &["diff", "rules", "prometheus", "k8s"]);
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));
    assert!(
        text(&out.stdout).starts_with("no differences"),
        "{}",
        both(&out)
    );

    // From the cluster, render rules gives the same files.
    let out = run_live(
        &server,
        dir.path(),
        &["render", "rules", "prometheus", "k8s"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));
    assert!(text(&out.stdout).contains("2 file(s), 2 group(s), 3 rule(s)"));

    // Someone edited a rule in the live ConfigMap.
    let edited = live.replace("expr: up == 0", "expr: up == 1");
    let server = ApiServer::start(&format!("{fixture}\n{edited}"));
    let out = run_live(&server, dir.path(), &["diff", "rules", "prometheus", "k8s"]);
    assert_eq!(out.status.code(), Some(1), "{}", both(&out));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("group \"cluster\" rules[0] alert TargetDown: changed"),
        "{stdout}"
    );
    assert!(stdout.contains("  -expr: up == 1"), "{stdout}");
    assert!(stdout.contains("  +expr: up == 0"), "{stdout}");
    assert!(stdout.contains("1 difference(s)"));

    // No live ConfigMap: the operator would create them, each file a difference...
    let server = ApiServer::start(&fixture);
    let out = run_live(&server, dir.path(), &["diff", "rules", "prometheus", "k8s"]);
    assert_eq!(out.status.code(), Some(1), "{}", both(&out));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("only rendered: the operator would add it")
            && stdout.contains("2 difference(s)"),
        "{stdout}"
    );
    // ... and one without rules too.
    let server = ApiServer::start(
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: monitoring}\n---\n\
         apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata: {name: k8s, namespace: monitoring}\n\
         spec: {ruleSelector: {matchLabels: {none: none}}}\n",
    );
    let out = run_live(&server, dir.path(), &["diff", "rules", "prometheus", "k8s"]);
    assert_eq!(out.status.code(), Some(1), "{}", both(&out));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains(
            "+ ConfigMap monitoring/prometheus-k8s-rulefiles-0: not in the cluster: the operator \
             would create it"
        ) && stdout.contains("1 difference(s)"),
        "{stdout}"
    );
}

#[test]
fn render_json_prints_a_list_however_many_objects() {
    for (args, kind) in [
        (
            ["render", "rules", "prometheus", "k8s", "-f", RULES],
            "ConfigMap",
        ),
        (
            [
                "render",
                "statefulset",
                "prometheus",
                "k8s",
                "-f",
                WORKLOADS,
            ],
            "StatefulSet",
        ),
    ] {
        let out = run(&[&args[..], &["-o", "json"]].concat());
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", both(&out));
        let json: serde_json::Value = serde_json::from_str(&text(&out.stdout)).unwrap();
        assert_eq!(json["kind"], "List", "{args:?}: {json}");
        assert_eq!(json["items"][0]["kind"], kind, "{args:?}: {json}");
    }
}

#[test]
fn render_and_diff_statefulset_against_the_loopback_cluster() {
    let fixture = std::fs::read_to_string(WORKLOADS).unwrap();
    let out = run(&[
        "render",
        "statefulset",
        "prometheus",
        "k8s",
        "-f",
        WORKLOADS,
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));
    let yaml = text(&out.stdout);
    for wanted in [
        "kind: StatefulSet",
        "name: prometheus-k8s\n",
        "name: config-reloader",
        "name: init-config-reloader",
        "mountPath: /etc/prometheus/secrets/etcd-certs",
        "name: prometheus-k8s-rulefiles-0",
    ] {
        assert!(yaml.contains(wanted), "{wanted}: {yaml}");
    }
    let out = run(&[
        "render",
        "statefulset",
        "alertmanager",
        "main",
        "-f",
        WORKLOADS,
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));
    assert!(text(&out.stdout).contains("name: alertmanager-main\n"));

    let snapshot = served_snapshot(
        &fixture,
        &[
            ("prometheuses", "monitoring", "k8s"),
            ("alertmanagers", "monitoring", "main"),
        ],
    );
    let options = OperatorOptions::default();
    let mut live = String::new();
    for (kind, name) in [
        (InstanceKind::Prometheus, "k8s"),
        (InstanceKind::Alertmanager, "main"),
    ] {
        let instance =
            workload_objects::find_instance(&snapshot, kind, Some("monitoring"), name).unwrap();
        for generated in workload_objects::instance_workloads(&snapshot, instance, &options)
            .unwrap()
            .workloads
        {
            let mut object = generated.object.to_json();
            // What the API server adds: ignored by the comparison.
            object["spec"]["revisionHistoryLimit"] = serde_json::json!(10);
            object["status"] = serde_json::json!({"replicas": 2});
            live.push_str("---\n");
            live.push_str(&promop::yaml::to_string(&object).unwrap());
        }
    }
    let server = ApiServer::start(&format!("{fixture}\n{live}"));
    let dir = tempfile::tempdir().unwrap();
    for args in [
        ["diff", "statefulset", "prometheus", "k8s"],
        ["diff", "statefulset", "alertmanager", "main"],
    ] {
        let out = run_live(&server, dir.path(), &args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", both(&out));
        assert!(
            text(&out.stdout).starts_with("no differences"),
            "{}",
            both(&out)
        );
    }

    // Someone patched the image and added a container.
    let patched = live.replacen(
        "image: quay.io/prometheus/prometheus:v3.5.0",
        "image: quay.io/prometheus/prometheus:v3.4.0",
        1,
    );
    assert_ne!(patched, live, "the fixture's image");
    let server = ApiServer::start(&format!("{fixture}\n{patched}"));
    let out = run_live(
        &server,
        dir.path(),
        &["diff", "statefulset", "prometheus", "k8s"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", both(&out));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("~ spec.template.spec.containers[name=prometheus].image: changed"),
        "{stdout}"
    );
    assert!(
        stdout.contains("-\"quay.io/prometheus/prometheus:v3.4.0\""),
        "{stdout}"
    );

    // A shard left from before a scale-down: the operator deletes it.
    let leftover = "---\napiVersion: apps/v1\nkind: StatefulSet\n\
        metadata:\n  name: prometheus-k8s-shard-1\n  namespace: monitoring\n  labels:\n    \
        operator.prometheus.io/name: k8s\n    operator.prometheus.io/mode: server\n\
        spec:\n  selector: {matchLabels: {app: x}}\n  template: {metadata: {labels: {app: x}}, spec: {containers: []}}\n";
    let server = ApiServer::start(&format!("{fixture}\n{live}{leftover}"));
    let out = run_live(
        &server,
        dir.path(),
        &["diff", "statefulset", "prometheus", "k8s"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", both(&out));
    assert!(
        text(&out.stdout).contains(
            "- StatefulSet monitoring/prometheus-k8s-shard-1: a shard beyond the spec: the \
             operator would delete it"
        ),
        "{}",
        both(&out)
    );
}

#[test]
fn promtool_accepts_every_rendered_rule_file() {
    let Ok(found) = Command::new("promtool").arg("--version").output() else {
        eprintln!("skipped: promtool is not on PATH");
        return;
    };
    if !found.status.success() {
        eprintln!("skipped: promtool does not run");
        return;
    }
    let fixture = std::fs::read_to_string(RULES).unwrap();
    let (snapshot, _) = promop::snapshot::load("rules", &fixture).unwrap();
    let instance = rule_objects::find_instance(
        &snapshot,
        RuleInstanceKind::Prometheus,
        Some("monitoring"),
        "k8s",
    )
    .unwrap();
    let rules =
        rule_objects::instance_rules(&snapshot, instance, &OperatorOptions::default()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut paths = Vec::new();
    for config_map in &rules.config_maps {
        for (name, content) in &config_map.files {
            let path = dir.path().join(name);
            std::fs::write(&path, content).unwrap();
            paths.push(path);
        }
    }
    assert!(!paths.is_empty());
    let out = Command::new("promtool")
        .arg("check")
        .arg("rules")
        .args(&paths)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", both(&out));
}

#[test]
fn a_refused_instance_names_its_cause_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("in.yaml");
    std::fs::write(
        &path,
        "apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata: {name: p, namespace: ns}\nspec: {ruleSelector: {matchLabels: {'a b': c}}}\n---\napiVersion: monitoring.coreos.com/v1\nkind: Alertmanager\nmetadata: {name: old, namespace: ns}\nspec: {version: v0.14.0}\n---\napiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata: {name: slow, namespace: ns}\nspec: {serviceMonitorSelector: {}, scrapeInterval: 10s, scrapeTimeout: 20s}\n---\napiVersion: monitoring.coreos.com/v1alpha1\nkind: PrometheusAgent\nmetadata: {name: nodes, namespace: ns}\nspec: {mode: DaemonSet}\n",
    )
    .unwrap();
    let file = path.to_str().unwrap();
    let refusal = |kind: &str, name: &str| {
        let out = run(&["render", "statefulset", kind, name, "-n", "ns", "-f", file]);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        stderr
    };
    // As upstream's syncPrometheus: a rule selector fails as it is, and only writing the
    // configuration Secret is "creating config failed".
    let stderr = refusal("prometheus", "p");
    assert_eq!(stderr.matches("invalid label key").count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("error: Prometheus ns/p: spec.ruleSelector: "),
        "{stderr}"
    );
    let stderr = refusal("prometheus", "slow");
    assert!(
        stderr
            .starts_with("error: Prometheus ns/slow: creating config failed: spec.scrapeTimeout: "),
        "{stderr}"
    );
    // The agent controller refuses the mode before it generates anything.
    let stderr = refusal("prometheusagent", "nodes");
    assert_eq!(
        stderr.trim_end(),
        "error: PrometheusAgent ns/nodes: spec.mode: feature gate for Prometheus Agent's DaemonSet mode is not enabled"
    );
    // The operator stops at the configuration and never creates the StatefulSet.
    let stderr = refusal("alertmanager", "old");
    assert_eq!(
        stderr.trim_end(),
        "error: Alertmanager ns/old: provision alertmanager configuration: unsupported Alertmanager version \"v0.14.0\""
    );
}

#[test]
fn a_thanos_ruler_the_operator_leaves_alone_is_said_so() {
    let file = "tests/fixtures/rules/ignored_thanos_ruler.yaml";
    let said = "watches ThanosRuler objects only in elsewhere (--thanos-ruler-instance-namespaces";
    let validate = run(&["validate", "-f", file]);
    assert!(
        text(&validate.stdout).contains(said),
        "{}",
        text(&validate.stdout)
    );
    let rules = run(&[
        "render",
        "rules",
        "thanosruler",
        "ruler",
        "-n",
        "monitoring",
        "-f",
        file,
    ]);
    assert!(
        text(&rules.stderr).contains(said),
        "{}",
        text(&rules.stderr)
    );
    let explain = run(&[
        "explain",
        "prometheusrule",
        "r",
        "-n",
        "monitoring",
        "-f",
        file,
    ]);
    assert!(
        text(&explain.stdout).contains(&format!("note: ThanosRuler monitoring/ruler: the operator (Deployment monitoring/prometheus-operator) {said}")),
        "{}",
        text(&explain.stdout)
    );
}

#[test]
fn statefulset_url_passwords_are_hidden_and_make_no_difference() {
    let fixture = std::fs::read_to_string(WORKLOADS).unwrap().replacen(
        "  replicas: 2\n",
        "  replicas: 2\n  externalUrl: https://admin:hunter2@prom.example.com/\n",
        1,
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cluster.yaml");
    std::fs::write(&path, &fixture).unwrap();
    let file = path.to_str().unwrap();
    let args = ["render", "statefulset", "prometheus", "k8s", "-f", file];
    for format in ["yaml", "json"] {
        let out = run(&[&args[..], &["-o", format]].concat());
        assert_eq!(out.status.code(), Some(0), "{}", both(&out));
        let all = both(&out);
        assert!(!all.contains("hunter2"), "{all}");
        assert!(
            all.contains("--web.external-url=https://admin:<secret>@prom.example.com/"),
            "{all}"
        );
        assert!(
            text(&out.stderr).contains("1 credential value(s) shown as <secret>"),
            "{all}"
        );
    }
    let out = run(&[&args[..], &["--show-secrets"]].concat());
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));
    assert!(
        text(&out.stdout).contains("--web.external-url=https://admin:hunter2@prom.example.com/"),
        "{}",
        both(&out)
    );

    // The live StatefulSet as the operator wrote it: compared before hiding, no difference.
    let snapshot = served_snapshot(&fixture, &[("prometheuses", "monitoring", "k8s")]);
    let instance = workload_objects::find_instance(
        &snapshot,
        InstanceKind::Prometheus,
        Some("monitoring"),
        "k8s",
    )
    .unwrap();
    let mut live = String::new();
    for generated in
        workload_objects::instance_workloads(&snapshot, instance, &OperatorOptions::default())
            .unwrap()
            .workloads
    {
        live.push_str("---\n");
        live.push_str(&promop::yaml::to_string(&generated.object.to_json()).unwrap());
    }
    assert!(live.contains("hunter2"), "the fixture's URL: {live}");
    let diff = ["diff", "statefulset", "prometheus", "k8s"];
    let server = ApiServer::start(&format!("{fixture}\n{live}"));
    let out = run_live(&server, dir.path(), &diff);
    let all = both(&out);
    assert!(
        out.status.success() && all.starts_with("no differences"),
        "{all}"
    );

    // Only the live password differs: a difference, neither password shown.
    let changed = live.replace("hunter2", "hunter3");
    let server = ApiServer::start(&format!("{fixture}\n{changed}"));
    let out = run_live(&server, dir.path(), &diff);
    assert_eq!(out.status.code(), Some(1), "{}", both(&out));
    let all = both(&out);
    assert!(
        !all.contains("hunter2") && !all.contains("hunter3"),
        "{all}"
    );
    assert!(
        all.contains("only credential values differ (--show-secrets shows them)"),
        "{all}"
    );
    let show = [&diff[..], &["--show-secrets"]].concat();
    let out = run_live(&server, dir.path(), &show);
    assert_eq!(out.status.code(), Some(1), "{}", both(&out));
    let all = both(&out);
    assert!(all.contains("hunter2") && all.contains("hunter3"), "{all}");
}
