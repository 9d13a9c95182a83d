//! `kubectl-promop render` run as a real process: the demo, and bad input with exit codes and
//! messages that point at the file, document, line and field.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn demo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("demo")
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kubectl-promop"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Writes `text` to a temporary file named `name` and returns (dir guard, path).
fn manifest(name: &str, text: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(name);
    std::fs::write(&path, text).expect("write manifest");
    (dir, path.display().to_string())
}

const PROMETHEUS: &str = "apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata:
  name: p
  namespace: default
spec:
  serviceMonitorSelector: {}
";

/// An operator Deployment running image tag `tag` with `args`, then `---`.
fn operator_deployment(tag: &str, args: &str) -> String {
    format!(
        "apiVersion: apps/v1
kind: Deployment
metadata: {{name: prometheus-operator, namespace: monitoring}}
spec:
  selector: {{matchLabels: {{app: po}}}}
  template:
    metadata: {{labels: {{app: po}}}}
    spec:
      containers:
      - name: prometheus-operator
        image: quay.io/prometheus-operator/prometheus-operator:{tag}
        args: [{args}]
---
"
    )
}

#[test]
fn warns_when_the_operator_does_not_reconcile_the_instance() {
    let operator = operator_deployment("v0.93.0", "--prometheus-instance-namespaces=monitoring");
    let (_dir, path) = manifest("input.yaml", &format!("{operator}{PROMETHEUS}"));
    let out = run(&["render", "-f", &path]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(
            "watches Prometheus objects only in monitoring (--prometheus-instance-namespaces \
             / --namespaces), not \"default\": it does not write this configuration"
        ),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).contains("scrape_configs"));
    let validate = run(&["validate", "-f", &path]);
    assert_eq!(validate.status.code(), Some(0), "{}", stdout(&validate));
    assert!(
        stdout(&validate).contains(
            "Prometheus default/p: warning: the operator (Deployment monitoring/prometheus-operator) \
             watches Prometheus objects only in monitoring"
        ),
        "{}",
        stdout(&validate)
    );
    // The same with the instance selector the Helm chart exposes.
    let selecting = operator.replace(
        "--prometheus-instance-namespaces=monitoring",
        "'--prometheus-instance-selector=team=platform'",
    );
    let (_dir, path) = manifest("input.yaml", &format!("{selecting}{PROMETHEUS}"));
    let out = run(&["render", "-f", &path]);
    assert!(
        stderr(&out).contains(
            "watches only the Prometheus objects whose labels match \
             --prometheus-instance-selector: "
        ),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_daemon_set_gate_changes_only_agents_in_daemon_set_mode() {
    let demo = demo();
    let demo = demo.to_str().unwrap();
    let gate = ["--feature-gates", "PrometheusAgentDaemonSet=true"];
    let plain = run(&["render", "-f", demo]);
    let gated = run(&["render", "-f", demo, gate[0], gate[1]]);
    assert_eq!(plain.status.code(), Some(0), "{}", stderr(&plain));
    assert_eq!(stdout(&plain), stdout(&gated));

    // The API server refuses more than one shard in DaemonSet mode.
    let agent = |mode: &str, shards: u32| {
        format!(
            "apiVersion: monitoring.coreos.com/v1alpha1
kind: PrometheusAgent
metadata: {{name: a, namespace: default}}
spec:
  mode: {mode}
  shards: {shards}
  podMonitorSelector: {{}}
---
apiVersion: monitoring.coreos.com/v1
kind: PodMonitor
metadata: {{name: pods, namespace: default}}
spec:
  selector: {{}}
  podMetricsEndpoints: [{{port: web}}]
"
        )
    };
    let (_dir, daemon_set) = manifest("daemonset.yaml", &agent("DaemonSet", 1));
    let refused = run(&["render", "-f", &daemon_set]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains(
            "spec.mode: feature gate for Prometheus Agent's DaemonSet mode is not enabled"
        ),
        "{}",
        stderr(&refused)
    );
    let per_node = run(&["render", "-f", &daemon_set, gate[0], gate[1]]);
    assert!(
        stdout(&per_node).contains("spec.nodeName="),
        "{}",
        stdout(&per_node)
    );
    assert!(
        !stdout(&per_node).contains("__tmp_hash"),
        "{}",
        stdout(&per_node)
    );

    let (_dir, stateful) = manifest("statefulset.yaml", &agent("StatefulSet", 2));
    let sharded = run(&["render", "-f", &stateful, gate[0], gate[1]]);
    assert!(
        stdout(&sharded).contains("__tmp_hash"),
        "{}",
        stdout(&sharded)
    );
    assert!(
        !stdout(&sharded).contains("spec.nodeName="),
        "{}",
        stdout(&sharded)
    );
}

#[test]
fn demo_renders_both_monitors() {
    let out = run(&["render", "-f", demo().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    let config = stdout(&out);
    assert!(
        config.contains("job_name: serviceMonitor/shop/storefront/0"),
        "{config}"
    );
    assert!(
        config.contains("job_name: podMonitor/shop/storefront-envoy/0"),
        "{config}"
    );
    assert!(config.contains("cluster: demo"), "{config}");
}

#[test]
fn demo_renders_as_json_and_secret_payload() {
    let dir = demo();
    let out = run(&["render", "-f", dir.to_str().unwrap(), "-o", "json"]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON output");
    assert!(json["scrape_configs"].is_array());

    let out = run(&["render", "-f", dir.to_str().unwrap(), "--secret-payload"]);
    assert_eq!(out.status.code(), Some(2), "asks for --show-secrets");
    assert!(stderr(&out).contains("--show-secrets"), "{}", stderr(&out));
    let out = run(&[
        "render",
        "-f",
        dir.to_str().unwrap(),
        "--secret-payload",
        "--show-secrets",
    ]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    use base64::Engine;
    let gz = base64::engine::general_purpose::STANDARD
        .decode(stdout(&out).trim())
        .expect("base64 payload");
    let mut yaml = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gz[..]), &mut yaml)
        .expect("gzip payload");
    assert!(yaml.contains("scrape_configs:"), "{yaml}");
}

#[test]
fn selects_named_prometheus() {
    let dir = demo();
    let out = run(&[
        "render",
        "-f",
        dir.to_str().unwrap(),
        "--prometheus",
        "monitoring/absent",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("monitoring/absent"),
        "{}",
        stderr(&out)
    );
    let out = run(&[
        "render",
        "-f",
        dir.to_str().unwrap(),
        "--prometheus",
        "monitoring/frontend",
        "--prometheus-version",
        "v2.55.0",
    ]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
}

#[test]
fn malformed_yaml_names_file_document_and_line() {
    let text = format!("{PROMETHEUS}---\napiVersion: v1\nkind: Secret\nmetadata: [unclosed\n");
    let (_dir, path) = manifest("broken.yaml", &text);
    let out = run(&["render", "-f", &path]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("broken.yaml:"), "{err}");
    assert!(err.contains("document 2"), "{err}");
    // The flow sequence opened on line 11 is never closed: the parser stops at the end.
    assert!(err.contains(":11") || err.contains(":12"), "{err}");
}

#[test]
fn wrong_field_type_names_field_path_and_line() {
    let text = format!(
        "{PROMETHEUS}---\napiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: sm\n  namespace: default\nspec:\n  endpoints:\n  - port: web\n    interval: [30s]\n"
    );
    let (_dir, path) = manifest("typed.yaml", &text);
    let out = run(&["render", "-f", &path]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("typed.yaml:17:"), "{err}");
    assert!(err.contains("document 2"), "{err}");
    assert!(err.contains("ServiceMonitor default/sm"), "{err}");
    assert!(err.contains("spec.endpoints[0].interval"), "{err}");
}

#[test]
fn unknown_kind_is_skipped_with_one_summary_line() {
    let text = format!(
        "{PROMETHEUS}---\napiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly\n  namespace: default\n"
    );
    let (_dir, path) = manifest("extra.yaml", &text);
    let out = run(&["render", "-f", &path]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(
            "skipped 1 object(s) of kinds kubectl-promop does not use (CronJob 1); -v lists them"
        ),
        "{err}"
    );
    assert!(!err.contains("nightly"), "{err}");
    let out = run(&["render", "-v", "-f", &path]);
    assert!(
        stderr(&out).contains("extra.yaml:9: document 2 (CronJob default/nightly)"),
        "{}",
        stderr(&out)
    );
    // explain has no -v: the line names the command that lists them.
    let out = run(&["explain", "prometheus", "p", "-f", &path]);
    assert!(
        stderr(&out).contains("(CronJob 1); `kubectl promop validate -v` lists them"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_yaml_file_that_is_not_a_manifest_is_skipped_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.yaml"), PROMETHEUS).unwrap();
    std::fs::write(
        dir.path().join("values.yaml"),
        "replicas: 3\nimage:\n  tag: v1\n",
    )
    .unwrap();
    let out = run(&["render", "-f", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert!(
        stderr(&out).contains(
            "values.yaml: not a Kubernetes manifest (no document has apiVersion or kind); skipped"
        ),
        "{}",
        stderr(&out)
    );
}

#[test]
fn objects_without_a_namespace_go_where_kubectl_would_put_them() {
    let text = "apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata:\n  name: prometheus\nspec:\n  serviceMonitorSelector: {}\n---\napiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: example-app\nspec:\n  selector: {}\n  endpoints:\n  - port: web\n";
    let (_dir, path) = manifest("getting-started.yaml", text);
    let out = Command::new(env!("CARGO_BIN_EXE_kubectl-promop"))
        .args(["render", "-f", &path])
        .env("KUBECONFIG", "/nonexistent")
        // Inside a pod kubectl would take the service account's namespace: not here.
        .env_remove("KUBERNETES_SERVICE_HOST")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    let config = stdout(&out);
    assert!(
        config.contains("job_name: serviceMonitor/default/example-app/0"),
        "{config}"
    );
    assert!(
        config.contains("prometheus: default/prometheus"),
        "{config}"
    );
    assert!(
        stderr(&out).contains("2 object(s) without metadata.namespace placed in namespace \"default\" (kubectl's default)"),
        "{}",
        stderr(&out)
    );
    let out = run(&["render", "-n", "team-a", "-f", &path]);
    let config = stdout(&out);
    assert!(
        config.contains("job_name: serviceMonitor/team-a/example-app/0"),
        "{config}"
    );
    assert!(config.contains("prometheus: team-a/prometheus"), "{config}");
}

#[test]
fn validate_places_objects_without_a_namespace_as_render_does() {
    // The monitor refers to a Secret in the namespace kubectl would apply it to, and is given
    // again there with the namespace written out.
    let monitor = "apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: web\nspec:\n  selector: {}\n  endpoints:\n  - port: web\n    basicAuth:\n      username: {name: creds, key: user}\n      password: {name: creds, key: pass}\n";
    let secret = "apiVersion: v1\nkind: Secret\nmetadata: {name: creds, namespace: team-a}\nstringData: {user: a, pass: b}\n";
    let (_dir, path) = manifest("web.yaml", &format!("{monitor}---\n{secret}"));
    let out = run(&["validate", "-n", "team-a", "-f", &path]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(!stdout(&out).contains("unresolved"), "{}", stdout(&out));
    assert!(
        stderr(&out)
            .contains("1 object(s) without metadata.namespace placed in namespace \"team-a\" (-n)"),
        "{}",
        stderr(&out)
    );

    let again = format!(
        "{}---\n{monitor}",
        monitor.replace("name: web\n", "name: web\n  namespace: team-a\n")
    );
    let (_dir, path) = manifest("twice.yaml", &again);
    let render = run(&["render", "-n", "team-a", "-f", &path]);
    assert_eq!(render.status.code(), Some(1), "{}", stderr(&render));
    assert!(
        stderr(&render).contains("is given twice"),
        "{}",
        stderr(&render)
    );
    let validate = run(&["validate", "-n", "team-a", "-f", &path]);
    assert_eq!(validate.status.code(), Some(1), "{}", stdout(&validate));
    assert!(
        stdout(&validate).contains("ServiceMonitor team-a/web: given twice: also at"),
        "{}",
        stdout(&validate)
    );
}

#[test]
fn an_object_given_twice_is_an_error_naming_both_places() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.yaml"), PROMETHEUS).unwrap();
    std::fs::write(dir.path().join("b.yaml"), PROMETHEUS).unwrap();
    let out = run(&["render", "-f", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("is given twice"), "{err}");
    assert!(
        err.contains("a.yaml:1") && err.contains("b.yaml:1"),
        "{err}"
    );
}

#[test]
fn unknown_field_is_a_warning() {
    let text = format!("{PROMETHEUS}  scrapeIntervall: 10s\n");
    let (_dir, path) = manifest("typo.yaml", &text);
    let out = run(&["render", "-f", &path]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert!(
        stderr(&out).contains("unknown field spec.scrapeIntervall"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn missing_file_and_bad_usage_exit_2() {
    let out = run(&["render", "-f", "/nonexistent/promop.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("/nonexistent/promop.yaml"),
        "{}",
        stderr(&out)
    );
    let out = run(&["render"]);
    assert_eq!(out.status.code(), Some(2));
    let out = run(&["render", "-f", "x", "--feature-gates", "NoSuchGate=true"]);
    assert_eq!(out.status.code(), Some(2));
    let out = run(&["--help"]);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn closed_stdout_is_not_an_error() {
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_kubectl-promop"))
        .args(["render", "-f", demo().to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
}

#[test]
fn reads_stdin_and_recurses_with_r() {
    use std::io::Write;
    use std::process::Stdio;
    let mut text = String::new();
    for file in ["prometheus.yaml", "app.yaml", "monitors.yaml"] {
        text.push_str(&std::fs::read_to_string(demo().join(file)).expect("demo file"));
        text.push_str("\n---\n");
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_kubectl-promop"))
        .args(["render", "-f", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(text.as_bytes())
        .expect("write stdin");
    let out = child.wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert!(stdout(&out).contains("serviceMonitor/shop/storefront/0"));

    let dir = tempfile::tempdir().expect("temp dir");
    let nested = dir.path().join("team/frontend");
    std::fs::create_dir_all(&nested).expect("mkdir");
    std::fs::write(nested.join("all.yaml"), &text).expect("write");
    let root = dir.path().to_str().unwrap();
    let out = run(&["render", "-f", root]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no manifests"), "{}", stderr(&out));
    let out = run(&["render", "-f", root, "-R"]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
}

#[test]
fn credentials_from_secrets_are_hidden_unless_asked() {
    let text = format!(
        "{PROMETHEUS}{}",
        r#"  remoteWrite:
  - url: https://writer:hunter2pw@remote.example/api/v1/write
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: sm
  namespace: default
spec:
  selector: {}
  endpoints:
  - port: web
    basicAuth:
      username: {name: auth, key: user}
      password: {name: auth, key: pass}
---
apiVersion: v1
kind: Secret
metadata:
  name: auth
  namespace: default
stringData:
  user: scraper
  pass: s3cr3t-Pa55
"#
    );
    let (_dir, path) = manifest("secrets.yaml", &text);
    let out = run(&["render", "-f", &path]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    let config = stdout(&out);
    assert!(!config.contains("s3cr3t-Pa55"), "{config}");
    assert!(!config.contains("hunter2pw"), "{config}");
    // The username too: the operator reads it from a Secret.
    assert!(!config.contains("scraper"), "{config}");
    assert!(
        config.contains("https://writer:<secret>@remote.example"),
        "{config}"
    );
    assert!(
        stderr(&out).contains("3 credential value(s) shown as <secret>"),
        "{}",
        stderr(&out)
    );
    let out = run(&["render", "-f", &path, "-o", "json"]);
    assert!(!stdout(&out).contains("s3cr3t-Pa55"));
    let out = run(&["render", "-f", &path, "--show-secrets"]);
    assert!(stdout(&out).contains("s3cr3t-Pa55"));
}

#[test]
fn filename_takes_one_value_or_a_comma_list_as_in_kubectl() {
    let demo = demo();
    let whole = stdout(&run(&["render", "-f", demo.to_str().unwrap()]));
    // Words after -f are the command's, not more files.
    let out = run(&[
        "render",
        "-f",
        demo.to_str().unwrap(),
        "prometheus",
        "frontend",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), whole);
    let listed = [
        "app.yaml",
        "monitors.yaml",
        "prometheus.yaml",
        "running.yaml",
    ]
    .map(|f| demo.join(f).display().to_string())
    .join(",");
    let out = run(&["render", "-f", &listed]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), whole);
}

#[test]
fn objects_the_api_server_refuses_are_refused_before_rendering() {
    let demo = demo();
    let (_dir, bad) = manifest(
        "bad.yaml",
        "apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: storefront, namespace: shop, labels: {team: frontend}}
spec:
  selector: {matchLabels: {app: storefront}}
  endpoints: [{port: metrics, interval: tenseconds, scheme: ftp}]
",
    );
    let prometheus = demo.join("prometheus.yaml");
    let prometheus = prometheus.to_str().unwrap();
    for args in [
        vec!["render", "-f", prometheus, "-f", &bad],
        vec![
            "explain",
            "smon",
            "storefront",
            "-n",
            "shop",
            "-f",
            prometheus,
            "-f",
            &bad,
        ],
        vec![
            "diff",
            "prometheus",
            "frontend",
            "-n",
            "monitoring",
            "-f",
            prometheus,
            "-f",
            &bad,
        ],
    ] {
        let out = run(&args);
        let diff = args[0] == "diff";
        assert_eq!(
            out.status.code(),
            Some(if diff { 2 } else { 1 }),
            "{args:?}"
        );
        assert!(stdout(&out).is_empty(), "{args:?}: {}", stdout(&out));
        let message = stderr(&out);
        assert!(
            message.contains(&format!(
                "{bad}:6:41: document 1 (ServiceMonitor shop/storefront): field \
                 spec.endpoints[0].interval: invalid duration \"tenseconds\""
            )) && message.contains("the API server refuses the object (1 more problem(s)"),
            "{args:?}: {message}"
        );
    }
}

#[test]
fn a_fifo_in_a_manifest_directory_is_passed_over() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        demo().join("prometheus.yaml"),
        dir.path().join("prometheus.yaml"),
    )
    .unwrap();
    let fifo = dir.path().join("pipe.yaml");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skipped: mkfifo is not available");
        return;
    }
    // Opening the FIFO would block forever: nothing writes to it.
    let out = run(&["validate", "-f", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn shards_beyond_the_budget_are_said_not_generated() {
    let (_dir, path) = manifest(
        "shards.yaml",
        "apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata: {name: p, namespace: m}
spec: {shards: 1000000}
",
    );
    let out = run(&["render", "statefulset", "prometheus", "p", "-f", &path]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(
            "spec.shards: 1000000 shards: only the first 1000 StatefulSets are generated here \
             (MAX_SHARDS); the operator creates all 1000000"
        ),
        "{}",
        stderr(&out)
    );
    assert_eq!(stdout(&out).matches("kind: StatefulSet").count(), 1000);
}

#[test]
fn rules_and_statefulset_take_the_only_instance_when_the_name_is_left_out() {
    let dir = env!("CARGO_MANIFEST_DIR");
    let rules = format!("{dir}/tests/fixtures/rules/cluster.yaml");
    for words in [&["rules"][..], &["rules", "prometheus"]] {
        let mut args = vec!["render"];
        args.extend(words);
        args.extend(["-f", &rules]);
        let out = run(&args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        assert!(
            stdout(&out).starts_with("Prometheus monitoring/k8s: 1 ConfigMap(s)"),
            "{}",
            stdout(&out)
        );
    }
    let workloads = format!("{dir}/tests/fixtures/workload/cluster.yaml");
    let out = run(&["render", "statefulset", "-f", &workloads]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(
            "several in the input: give prometheus|prometheusagent|alertmanager NAME (or \
             TYPE/NAME): Alertmanager monitoring/main, Prometheus monitoring/k8s, \
             PrometheusAgent monitoring/agent"
        ),
        "{}",
        stderr(&out)
    );
    let out = run(&["render", "rules", "-f", &rules, "-n", "elsewhere"]);
    assert!(
        stderr(&out).contains("namespace elsewhere holds no Prometheus or ThanosRuler"),
        "{}",
        stderr(&out)
    );
    // A TYPE it does not take is refused before anything is read.
    let out = run(&["render", "rules", "alertmanager", "x", "-f", "/nonexistent"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("give prometheus|thanosruler NAME"),
        "{}",
        stderr(&out)
    );
    let out = run(&["render", "statefulset", "alertmanager", "-f", &workloads]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("name: alertmanager-main"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn explain_refuses_an_instance_flag_its_kind_does_not_take() {
    let demo = demo();
    let demo = demo.to_str().unwrap();
    let out = run(&[
        "explain",
        "prom",
        "frontend",
        "--prometheus",
        "x",
        "-f",
        demo,
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("--prometheus picks the instance whose targets a servicemonitor"),
        "{}",
        stderr(&out)
    );
    let out = run(&[
        "explain",
        "smon",
        "storefront",
        "--alertmanager",
        "x",
        "-f",
        demo,
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("--alertmanager picks the Alertmanager an alertmanagerconfig"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_namespace_missing_from_the_files_carries_the_label_the_api_server_gives_it() {
    // kube-prometheus style: namespaces selected by `kubernetes.io/metadata.name`, no Namespace
    // object among the manifests.
    let input = "apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata: {name: k8s, namespace: monitoring}
spec:
  serviceMonitorSelector: {}
  serviceMonitorNamespaceSelector: {matchLabels: {kubernetes.io/metadata.name: apps}}
  ruleSelector: {}
  ruleNamespaceSelector: {matchLabels: {kubernetes.io/metadata.name: apps}}
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: web, namespace: apps}
spec:
  selector: {matchLabels: {app: web}}
  endpoints: [{port: http}]
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: db, namespace: data}
spec:
  selector: {matchLabels: {app: db}}
  endpoints: [{port: http}]
---
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata: {name: alerts, namespace: apps}
spec:
  groups: [{name: g, rules: [{alert: Down, expr: up == 0}]}]
";
    let (_dir, path) = manifest("input.yaml", input);
    let out = run(&[
        "render",
        "prometheus",
        "k8s",
        "-n",
        "monitoring",
        "-f",
        &path,
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let config = stdout(&out);
    assert!(config.contains("serviceMonitor/apps/web/0"), "{config}");
    assert!(!config.contains("serviceMonitor/data/db/0"), "{config}");

    let out = run(&[
        "render",
        "rules",
        "prometheus",
        "k8s",
        "-n",
        "monitoring",
        "-f",
        &path,
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("PrometheusRule apps/alerts"),
        "{}",
        stdout(&out)
    );

    let out = run(&["explain", "smon", "db", "-n", "data", "-f", &path]);
    let text = stdout(&out);
    assert!(
        text.contains("namespace labels are {kubernetes.io/metadata.name=data}")
            && text.contains("only the label the API server gives every namespace is known"),
        "{text}"
    );
}

#[test]
fn a_prometheus_without_monitor_selectors_renders_the_empty_configuration_the_operator_writes() {
    let input = "apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata: {name: p, namespace: default}
spec:
  additionalScrapeConfigs: {name: extra, key: jobs.yaml}
---
apiVersion: v1
kind: Secret
metadata: {name: extra, namespace: default}
stringData:
  jobs.yaml: '[{job_name: extra, static_configs: [{targets: [\"a:1\"]}]}]'
";
    let (_dir, path) = manifest("input.yaml", input);
    let out = run(&["render", "prometheus", "p", "-f", &path]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "");
    assert!(
        stderr(&out).contains("the operator generates no configuration"),
        "{}",
        stderr(&out)
    );
    // The operator stores an empty payload (its gzip of nothing is nothing).
    let out = run(&["render", "prometheus", "p", "-f", &path, "--secret-payload"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "\n");

    let out = run(&["validate", "-f", &path]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains(
            "spec: warning: no ServiceMonitor, PodMonitor, Probe or ScrapeConfig selector"
        ),
        "{}",
        stdout(&out)
    );
}

#[test]
fn with_files_a_type_alone_picks_the_only_object_of_that_type() {
    let input = format!(
        "{PROMETHEUS}---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {{name: web, namespace: shop}}
spec:
  selector: {{matchLabels: {{app: web}}}}
  endpoints: [{{port: http}}]
"
    );
    let (_dir, path) = manifest("input.yaml", &input);
    let out = run(&["render", "prometheus", "-f", &path]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("scrape_configs:"), "{}", stdout(&out));
    // In another namespace than -n's default: found where it is.
    let out = run(&["explain", "smon", "-f", &path]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with("ServiceMonitor shop/web"),
        "{}",
        stdout(&out)
    );
    let out = run(&["render", "promagent", "-f", &path]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("the input holds no PrometheusAgent"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn an_operator_deployment_of_another_release_is_said_once() {
    let operator = operator_deployment("v0.52.0", "");
    let (_dir, path) = manifest("input.yaml", &format!("{operator}{PROMETHEUS}"));
    let note = "the operator (Deployment monitoring/prometheus-operator) runs v0.52.0; this tool \
                reproduces v0.93.0, so what that operator generates may differ";
    for args in [
        &["render", "-f", &path][..],
        &["render", "statefulset", "-f", &path],
        &["render", "rules", "-f", &path],
        &["explain", "prom", "p", "-n", "default", "-f", &path],
    ] {
        let out = run(args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        assert_eq!(
            stderr(&out).matches(note).count(),
            1,
            "{args:?}: {}",
            stderr(&out)
        );
    }
    let out = run(&["validate", "-f", &path]);
    assert!(
        stdout(&out).contains(
            "Deployment monitoring/prometheus-operator: warning: runs operator v0.52.0; this tool \
             reproduces v0.93.0"
        ),
        "{}",
        stdout(&out)
    );
}

#[test]
fn rule_file_names_without_a_uid_are_said_to_lack_it() {
    let input = "apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata: {name: p, namespace: default}
spec: {ruleSelector: {}}
---
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata: {name: r, namespace: default}
spec:
  groups: [{name: g, rules: [{alert: A, expr: up == 0}]}]
";
    let (_dir, path) = manifest("input.yaml", input);
    let out = run(&["render", "rules", "-f", &path]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("default-r-.yaml"), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("note: rule file names end in each PrometheusRule's UID"),
        "{}",
        stdout(&out)
    );
    // Two rules whose names only a UID would tell apart.
    let clashing = format!(
        "{input}---
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata: {{name: fred, namespace: foo-bar}}
spec:
  groups: [{{name: g, rules: [{{alert: A, expr: up == 0}}]}}]
---
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata: {{name: bar-fred, namespace: foo}}
spec:
  groups: [{{name: g, rules: [{{alert: B, expr: up == 0}}]}}]
"
    )
    .replace(
        "spec: {ruleSelector: {}}",
        "spec: {ruleSelector: {}, ruleNamespaceSelector: {}}",
    );
    let (_dir, path) = manifest("input.yaml", &clashing);
    let out = run(&["render", "rules", "-f", &path]);
    assert!(
        stderr(&out).contains(
            "PrometheusRules foo-bar/fred, foo/bar-fred share file name foo-bar-fred-.yaml without UIDs: only foo/bar-fred is listed"
        ),
        "{}",
        stderr(&out)
    );
    let with_uid = input.replace(
        "{name: r, namespace: default}",
        "{name: r, namespace: default, uid: u1}",
    );
    let (_dir, path) = manifest("input.yaml", &with_uid);
    let out = run(&["render", "rules", "-f", &path]);
    assert!(
        stdout(&out).contains("default-r-u1.yaml"),
        "{}",
        stdout(&out)
    );
    assert!(!stderr(&out).contains("UID"), "{}", stderr(&out));
}
