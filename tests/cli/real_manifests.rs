//! Real manifests nobody here wrote: kube-prometheus's `manifests/`, read from the directory
//! `PROMOP_KUBE_PROMETHEUS_DIR` names (a checkout's `manifests/`; not vendored, see README).
//! Without it the tests say so and pass.

use crate::common::{assert_exit, text};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::apiserver::{ApiServer, RESOURCE_TYPES};

fn manifests() -> Option<PathBuf> {
    let dir = std::env::var_os("PROMOP_KUBE_PROMETHEUS_DIR").map(PathBuf::from);
    match dir.filter(|d| d.join("prometheus-prometheus.yaml").is_file()) {
        Some(dir) => Some(dir),
        None => {
            eprintln!(
                "skipped: set PROMOP_KUBE_PROMETHEUS_DIR to kube-prometheus's manifests/ directory to run the real-manifest tests"
            );
            None
        }
    }
}

fn binary(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kubectl-promop"))
        .args(args)
        .output()
        .expect("runs")
}

#[test]
fn kube_prometheus_validates_strictly_clean() {
    let Some(dir) = manifests() else { return };
    let out = binary(&["validate", "--strict", "-R", "-f", dir.to_str().unwrap()]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("; 0 errors, 0 warnings"), "{stdout}");
}

#[test]
fn kube_prometheus_renders_what_the_operator_generates() {
    let Some(dir) = manifests() else { return };
    let out = binary(&[
        "render",
        "-f",
        dir.to_str().unwrap(),
        "--prometheus",
        "monitoring/k8s",
    ]);
    let config = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let jobs: Vec<&str> = config
        .lines()
        .filter_map(|l| l.strip_prefix("- job_name: "))
        .collect();
    assert_eq!(jobs.len(), 22, "{jobs:#?}");
    assert!(
        jobs.contains(&"serviceMonitor/monitoring/kubelet/1"),
        "{jobs:#?}"
    );
    assert!(
        config.starts_with("global:\n  scrape_interval: 30s\n"),
        "{config}"
    );
    assert!(config.contains("  evaluation_interval: 30s\n"));
    assert!(config.contains("- role: endpointslice"));
    assert!(
        config.contains("bearer_token_file: /var/run/secrets/kubernetes.io/serviceaccount/token")
    );
    assert!(config.contains("ca_file: /var/run/secrets/kubernetes.io/serviceaccount/ca.crt"));
    assert!(
        config.contains("rule_files:\n- /etc/prometheus/rules/prometheus-k8s-rulefiles-0/*.yaml\n")
    );
    assert!(
        config.contains("alertmanager-main"),
        "alerting to alertmanager-main"
    );
}

/// From kube-prometheus's files alone, what only the cluster holds is accounted for: the
/// kubelet Service the operator keeps (`--kubelet-service` in its Deployment), the StatefulSet
/// it generates for Prometheus k8s, the node-exporter DaemonSet.
#[test]
fn kube_prometheus_monitors_find_what_the_operator_and_the_files_would_run() {
    let Some(dir) = manifests() else { return };
    let explain = |monitor: &str| {
        let out = binary(&[
            "explain",
            "smon",
            monitor,
            "-n",
            "monitoring",
            "-f",
            dir.to_str().unwrap(),
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        format!("{}{}", text(&out.stdout), text(&out.stderr))
    };
    let kubelet = explain("kubelet");
    assert!(
        kubelet.contains("added Service kube-system/kubelet, which the operator keeps"),
        "{kubelet}"
    );
    assert!(
        kubelet.contains(" Service kube-system/kubelet  yes "),
        "{kubelet}"
    );
    let prometheus = explain("prometheus-k8s");
    assert!(
        prometheus.contains(
            "StatefulSet monitoring/prometheus-k8s, which the operator generates for Prometheus \
             monitoring/k8s, would create matching Pods (replicas: 2)"
        ),
        "{prometheus}"
    );
    let node_exporter = explain("node-exporter");
    assert!(
        node_exporter.contains("DaemonSet monitoring/node-exporter would create matching Pods"),
        "{node_exporter}"
    );
}

/// The documents of every manifest the loopback server can hold.
fn cluster_fixture(dir: &Path) -> String {
    let mut fixture = String::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for document in promop::yaml::from_str_all::<serde_json::Value>(&text).unwrap() {
            let served = RESOURCE_TYPES.iter().any(|t| {
                document["kind"] == t.kind && document["apiVersion"] == t.api_version().as_str()
            });
            if served {
                fixture.push_str("---\n");
                fixture.push_str(&serde_json::to_string(&document).unwrap());
                fixture.push('\n');
            }
        }
    }
    fixture
}

/// Asserts that `diff WHAT... -f dir` exits 0 against a loopback cluster holding the manifests
/// and `extra` (what the operator would have written).
fn assert_diff_clean(dir: &Path, extra: &str, what: &[&str]) {
    let server = ApiServer::start(&(cluster_fixture(dir) + "---\n" + extra));
    let home = tempfile::tempdir().unwrap();
    let out = crate::common::run_against(
        &server,
        home.path(),
        "monitoring",
        &[&["diff"], what, &["-f", dir.to_str().unwrap()]].concat(),
    );
    assert_exit(&out, 0);
}

#[test]
fn kube_prometheus_diff_against_a_cluster_holding_it_is_empty() {
    let Some(dir) = manifests() else { return };
    let dir_arg = dir.to_str().unwrap();
    let payload = binary(&[
        "render",
        "-f",
        dir_arg,
        "--prometheus",
        "monitoring/k8s",
        "--secret-payload",
        "--show-secrets",
    ]);
    assert_eq!(payload.status.code(), Some(0), "{}", text(&payload.stderr));
    let secret = format!(
        "---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: prometheus-k8s\n  namespace: monitoring\ndata:\n  prometheus.yaml.gz: {}\n",
        text(&payload.stdout).trim()
    );
    assert_diff_clean(&dir, &secret, &["prometheus", "k8s"]);
}

#[test]
fn kube_prometheus_rules_render_into_the_operators_config_map() {
    let Some(dir) = manifests() else { return };
    let dir_arg = dir.to_str().unwrap();
    let listing = binary(&["render", "rules", "prometheus", "k8s", "-f", dir_arg]);
    let stdout = text(&listing.stdout);
    assert_eq!(listing.status.code(), Some(0), "{}", text(&listing.stderr));
    assert!(
        stdout.contains(
            "Prometheus monitoring/k8s: 1 ConfigMap(s), 8 file(s), 38 group(s), 234 rule(s)"
        ),
        "{stdout}"
    );
    // Nothing is left out: every PrometheusRule is selected and valid for this Prometheus.
    assert!(
        !text(&listing.stderr).contains("PrometheusRule"),
        "{}",
        text(&listing.stderr)
    );
    let out = binary(&[
        "render",
        "rules",
        "prometheus",
        "k8s",
        "-f",
        dir_arg,
        "-o",
        "yaml",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let objects: Vec<serde_json::Value> = promop::yaml::from_str_all(&text(&out.stdout)).unwrap();
    assert_eq!(objects.len(), 1);
    let config_map = &objects[0];
    assert_eq!(config_map["metadata"]["name"], "prometheus-k8s-rulefiles-0");
    assert_eq!(config_map["metadata"]["namespace"], "monitoring");
    assert_eq!(
        config_map["metadata"]["labels"]["prometheus-name"], "k8s",
        "{config_map}"
    );
    let files = config_map["data"].as_object().unwrap();
    assert_eq!(files.len(), 8);
    assert!(files.contains_key("monitoring-kubernetes-monitoring-rules-.yaml"));

    // The cluster holding that ConfigMap and the same PrometheusRules: no difference.
    assert_diff_clean(&dir, &text(&out.stdout), &["rules", "prometheus", "k8s"]);
}

#[test]
fn kube_prometheus_statefulset_renders_and_diffs_clean() {
    let Some(dir) = manifests() else { return };
    let dir_arg = dir.to_str().unwrap();
    let out = binary(&["render", "statefulset", "prometheus", "k8s", "-f", dir_arg]);
    let rendered = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let objects: Vec<serde_json::Value> = promop::yaml::from_str_all(&rendered).unwrap();
    assert_eq!(objects.len(), 1);
    let spec = &objects[0]["spec"]["template"]["spec"];
    let names = |list: &serde_json::Value| -> Vec<String> {
        list.as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        names(&spec["containers"]),
        ["prometheus", "config-reloader"]
    );
    assert_eq!(names(&spec["initContainers"]), ["init-config-reloader"]);
    let mounts = spec["containers"][0]["volumeMounts"].to_string();
    assert!(
        mounts.contains("/etc/prometheus/rules/prometheus-k8s-rulefiles-0"),
        "{mounts}"
    );
    assert!(mounts.contains("/etc/prometheus/certs"), "{mounts}");
    assert!(mounts.contains("/etc/prometheus/config_out"), "{mounts}");

    assert_diff_clean(&dir, &rendered, &["statefulset", "prometheus", "k8s"]);
}

/// prometheus-operator's own `example/` directory (v0.93.0), from `PROMOP_OPERATOR_EXAMPLE_DIR`.
fn operator_examples() -> Option<PathBuf> {
    let dir = std::env::var_os("PROMOP_OPERATOR_EXAMPLE_DIR").map(PathBuf::from);
    match dir.filter(|d| d.join("user-guides/getting-started").is_dir()) {
        Some(dir) => Some(dir),
        None => {
            eprintln!(
                "skipped: set PROMOP_OPERATOR_EXAMPLE_DIR to prometheus-operator's example/ directory to run these tests"
            );
            None
        }
    }
}

/// Runs the binary with kubectl's default namespace for objects that name none.
fn in_examples(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kubectl-promop"))
        .current_dir(dir)
        .env("KUBECONFIG", "/nonexistent")
        // Inside a pod kubectl would take the service account's namespace: not here.
        .env_remove("KUBERNETES_SERVICE_HOST")
        .args(args)
        .output()
        .expect("runs")
}

#[test]
fn every_operator_example_directory_is_judged_without_a_crash() {
    let Some(root) = operator_examples() else {
        return;
    };
    let mut directories = vec![root.clone()];
    let mut judged = 0;
    while let Some(dir) = directories.pop() {
        let mut has_yaml = false;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                directories.push(path);
            } else if path.extension().is_some_and(|e| e == "yaml") {
                has_yaml = true;
            }
        }
        if !has_yaml {
            continue;
        }
        judged += 1;
        let name = dir.to_str().unwrap();
        // 0 or 1: an answer, as is 2 for a directory without an instance to render; any
        // other 2 would be a usage or I/O error, anything else a crash.
        for command in ["validate", "render"] {
            let out = in_examples(&root, &[command, "-f", name]);
            let no_instance = text(&out.stderr).contains("the input holds no Prometheus");
            assert!(
                matches!(out.status.code(), Some(0 | 1)) || no_instance,
                "{command} -f {name}: {:?}\n{}{}",
                out.status,
                text(&out.stdout),
                text(&out.stderr)
            );
            assert!(
                !text(&out.stderr).contains("panicked"),
                "{command} -f {name}"
            );
        }
    }
    assert!(judged >= 15, "{judged} directories");
}

#[test]
fn operator_examples_render_as_the_operator_would() {
    let Some(root) = operator_examples() else {
        return;
    };
    // Complete examples render cleanly, a ThanosRuler's CRD fields included.
    for dir in [
        "thanos",
        "shards",
        "rbac/prometheus",
        "additional-scrape-configs",
    ] {
        let out = in_examples(&root, &["render", "-f", dir]);
        assert_exit(&out, 0);
        let stderr = text(&out.stderr);
        assert!(!stderr.contains("unknown field"), "{dir}: {stderr}");
    }
    let out = in_examples(&root, &["render", "-f", "shards"]);
    assert!(
        text(&out.stdout).contains("- job_name: serviceMonitor/default/example-app/0"),
        "{}",
        text(&out.stdout)
    );
    // The scrape-class user guide holds snippets without names: refused where the name is
    // missing.
    let out = in_examples(&root, &["render", "-f", "user-guides/scrapeclass"]);
    assert_exit(&out, 1);
    assert!(
        text(&out.stderr).contains("metadata.name: required"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn the_getting_started_guide_selects_and_the_alerting_guide_routes() {
    let Some(root) = operator_examples() else {
        return;
    };
    let guide = root.join("user-guides/getting-started");
    let out = in_examples(
        &guide,
        &[
            "explain",
            "servicemonitor",
            "example-app",
            "-f",
            "prometheus-service-monitor.yaml",
            "-f",
            "example-app-service-monitor.yaml",
            "-f",
            "example-app-service.yaml",
            "-f",
            "example-app-deployment.yaml",
        ],
    );
    assert_exit(&out, 0);
    let explained = text(&out.stdout);
    assert!(
        explained.contains(" Prometheus  default    prometheus  selected"),
        "{explained}"
    );
    assert!(
        explained.contains("Deployment default/example-app would create 3 Pod(s)"),
        "{explained}"
    );

    let guide = root.join("user-guides/alerting");
    let out = in_examples(
        &guide,
        &[
            "route",
            "am/example",
            "--labels",
            "job=x,namespace=default",
            "-f",
            "alertmanager-config-example.yaml",
            "-f",
            "alertmanager-selector-example.yaml",
        ],
    );
    assert_exit(&out, 0);
    assert!(
        text(&out.stdout).contains("notified: default/config-example/webhook"),
        "{}",
        text(&out.stdout)
    );
}
