//! `kubectl promop apply` (and `validate --live`) against the loopback API server.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::apiserver::ApiServer;
use crate::common::NO_OPERATOR_WARNING;
use promop::cluster::{ApplyOptions, Cluster, ConnectOptions};
use serde_json::json;

const FIXTURE: &str = include_str!("../fixtures/cluster/basic.yaml");

fn monitor(name: &str, port: &str, scheme: &str) -> String {
    format!(
        "apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: {name}\n  namespace: shop\n  labels:\n    team: frontend\nspec:\n  selector:\n    matchLabels:\n      app: web\n  endpoints:\n  - port: {port}\n    scheme: {scheme}\n"
    )
}

/// Runs the binary; returns exit code, stdout, stderr.
fn run(args: &[&str], kubeconfig: &Path) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_kubectl-promop"))
        .args(args)
        .arg("--kubeconfig")
        .arg(kubeconfig)
        .output()
        .expect("run kubectl-promop");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// A loopback cluster holding `fixture`, and a kubeconfig for it (namespace `shop`) in a
/// directory that lives as long as the returned handle.
fn cluster(fixture: &str) -> (ApiServer, tempfile::TempDir, PathBuf) {
    let server = ApiServer::start(fixture);
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = server.write_kubeconfig(dir.path(), "shop");
    (server, dir, kubeconfig)
}

fn patches(server: &ApiServer) -> usize {
    server
        .requests()
        .iter()
        .filter(|r| r.starts_with("PATCH"))
        .count()
}

#[test]
fn dry_run_server_changes_nothing() {
    let (server, dir, kubeconfig) = cluster(FIXTURE);
    let file = dir.path().join("sm.yaml");
    std::fs::write(&file, monitor("fresh", "http", "http")).unwrap();
    let before = server.object_count();
    let (code, stdout, stderr) = run(
        &["apply", "-f", file.to_str().unwrap(), "--dry-run=server"],
        &kubeconfig,
    );
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_eq!(
        stdout,
        "ServiceMonitor shop/fresh created (server dry run)\n  selected by Prometheus monitoring/k8s\n"
    );
    assert!(server.object("servicemonitors", "shop", "fresh").is_none());
    assert_eq!(server.object_count(), before);
    assert!(server.requests().iter().any(|r| r.contains("dryRun=All")));
}

#[test]
fn applies_then_reports_unchanged_and_warns_when_nothing_selects() {
    let (server, dir, kubeconfig) = cluster(FIXTURE);
    let file = dir.path().join("sm.yaml");
    let lonely = monitor("lonely", "http", "http").replace("team: frontend", "team: nobody");
    // The cluster has no Alertmanager: nothing selects an AlertmanagerConfig either.
    let config = "apiVersion: monitoring.coreos.com/v1alpha1\nkind: AlertmanagerConfig\n\
                  metadata: {name: pager, namespace: shop}\n\
                  spec: {route: {receiver: r}, receivers: [{name: r}]}\n";
    std::fs::write(
        &file,
        format!(
            "{}---\n{lonely}---\n{config}",
            monitor("fresh", "http", "http")
        ),
    )
    .unwrap();
    let args = ["apply", "-f", file.to_str().unwrap()];
    let (code, stdout, stderr) = run(&args, &kubeconfig);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_eq!(
        stdout,
        "ServiceMonitor shop/fresh created\n  selected by Prometheus monitoring/k8s\n\
         ServiceMonitor shop/lonely created\n  warning: no Prometheus or PrometheusAgent will select it\n\
         AlertmanagerConfig shop/pager created\n  warning: no Alertmanager will select it\n"
    );
    let stored = server.object("servicemonitors", "shop", "fresh").unwrap();
    assert_eq!(
        stored["metadata"]["managedFields"][0]["manager"],
        "kubectl-promop"
    );
    let (code, stdout, _) = run(&args, &kubeconfig);
    assert_eq!(code, 0);
    assert!(
        stdout.starts_with("ServiceMonitor shop/fresh unchanged\n"),
        "{stdout}"
    );
}

#[test]
fn kinds_kubectl_promop_does_not_read_apply_through_discovery() {
    let (server, dir, kubeconfig) = cluster(FIXTURE);
    let file = dir.path().join("stack.yaml");
    // The Prometheus is in the cluster too: it selects the monitor once.
    let prometheus = "apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\n\
                      metadata: {name: k8s, namespace: monitoring}\n\
                      spec: {serviceMonitorSelector: {matchLabels: {team: frontend}}, \
                      serviceMonitorNamespaceSelector: {}}\n";
    let policy = |name: &str| {
        format!(
            "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n\
             metadata: {{name: {name}, namespace: shop}}\nspec: {{podSelector: {{}}}}\n"
        )
    };
    std::fs::write(
        &file,
        format!(
            "{prometheus}---\n{}---\n{}---\n{}",
            monitor("fresh", "http", "http"),
            policy("web"),
            policy("db")
        ),
    )
    .unwrap();
    let (code, stdout, stderr) = run(&["apply", "-f", file.to_str().unwrap()], &kubeconfig);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains(
            "ServiceMonitor shop/fresh created\n  selected by Prometheus monitoring/k8s\n"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("NetworkPolicy shop/web created\n"),
        "{stdout}"
    );
    assert!(server.object("networkpolicies", "shop", "web").is_some());
    // One discovery of the kind, however many objects of it.
    let discoveries = server
        .requests()
        .iter()
        .filter(|r| r.contains("/apis/networking.k8s.io/v1") && !r.contains("networkpolicies"))
        .count();
    assert_eq!(discoveries, 1, "{:?}", server.requests());

    let widget = dir.path().join("widget.yaml");
    std::fs::write(
        &widget,
        format!(
            "{}---\napiVersion: example.com/v1\nkind: Widget\nmetadata: {{name: w, namespace: shop}}\n",
            monitor("later", "http", "http")
        ),
    )
    .unwrap();
    let before = patches(&server);
    let (code, stdout, stderr) = run(&["apply", "-f", widget.to_str().unwrap()], &kubeconfig);
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(
        stderr.contains(
            "Widget shop/w: cannot apply: discover example.com/v1 Widget: not found (404): the \
             API server does not serve Widget in example.com/v1"
        ) && stderr.contains("(nothing applied)"),
        "{stderr}"
    );
    assert_eq!(patches(&server), before);
}

#[test]
fn one_invalid_document_in_ten_applies_nothing() {
    let (server, dir, kubeconfig) = cluster(FIXTURE);
    let mut text = String::new();
    for i in 0..10 {
        let scheme = if i == 6 { "gopher" } else { "http" };
        text.push_str("---\n");
        text.push_str(&monitor(&format!("sm-{i}"), "http", scheme));
    }
    let file = dir.path().join("batch.yaml");
    std::fs::write(&file, text).unwrap();
    let (code, stdout, stderr) = run(&["apply", "-f", file.to_str().unwrap()], &kubeconfig);
    assert_eq!(code, 1, "{stdout}{stderr}");
    let name = file.display();
    assert_eq!(
        stdout,
        format!(
            "{name}:105: ServiceMonitor shop/sm-6: spec.endpoints[0].scheme: unsupported value \"gopher\": must be one of http, https, HTTP, HTTPS\n\
             invalid: 10 documents (1 invalid), 10 objects (1 invalid); 1 error, 0 warnings\n\
             nothing applied: fix the errors above\n"
        )
    );
    assert_eq!(patches(&server), 0);
    for i in 0..10 {
        assert!(
            server
                .object("servicemonitors", "shop", &format!("sm-{i}"))
                .is_none()
        );
    }
}

#[test]
fn a_refusal_by_the_api_server_writes_nothing() {
    let (server, dir, kubeconfig) = cluster(FIXTURE);
    let text: String = (0..3)
        .map(|i| format!("---\n{}", monitor(&format!("sm-{i}"), "http", "http")))
        .collect();
    let file = dir.path().join("batch.yaml");
    std::fs::write(&file, text).unwrap();
    // An admission webhook or a schema rule this tool does not model refuses the second one.
    server.inject(crate::apiserver::Fault::new("servicemonitors/sm-1", 422));
    let (code, stdout, stderr) = run(&["apply", "-f", file.to_str().unwrap()], &kubeconfig);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(
        stdout.starts_with("ServiceMonitor shop/sm-1: refused: "),
        "{stdout}"
    );
    assert!(
        stdout.ends_with(
            "nothing applied: the API server refused the objects above (server-side dry run)\n"
        ),
        "{stdout}"
    );
    let writes = server
        .requests()
        .into_iter()
        .filter(|r| r.starts_with("PATCH") && !r.contains("dryRun=All"))
        .count();
    assert_eq!(writes, 0);
    assert!(server.object("servicemonitors", "shop", "sm-0").is_none());

    // Nothing refused: every object is checked, then written.
    let (code, stdout, _) = run(&["apply", "-f", file.to_str().unwrap()], &kubeconfig);
    assert_eq!(code, 0, "{stdout}");
    assert_eq!(stdout.matches(" created\n").count(), 3, "{stdout}");
}

#[test]
fn a_namespace_and_what_goes_in_it_apply_in_one_run() {
    let (server, dir, kubeconfig) = cluster(FIXTURE);
    let file = dir.path().join("team.yaml");
    let monitor = monitor("api", "http", "http").replace("namespace: shop", "namespace: team-x");
    std::fs::write(
        &file,
        format!("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-x\n---\n{monitor}"),
    )
    .unwrap();
    let (code, stdout, stderr) = run(&["apply", "-f", file.to_str().unwrap()], &kubeconfig);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.starts_with("Namespace team-x created\nServiceMonitor team-x/api created\n"),
        "{stdout}"
    );
    assert!(server.object("servicemonitors", "team-x", "api").is_some());

    // Listed before its Namespace: checked and written after it, reported in input order.
    let later = dir.path().join("later.yaml");
    let team_y = monitor.replace("team-x", "team-y");
    std::fs::write(
        &later,
        format!("{team_y}---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-y\n"),
    )
    .unwrap();
    let later = later.to_str().unwrap();
    // A server dry run cannot check it: a dry-run Namespace is not stored.
    let (code, stdout, stderr) = run(&["apply", "-f", later, "--dry-run=server"], &kubeconfig);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_eq!(
        stdout,
        "ServiceMonitor team-y/api: not checked (server dry run): its Namespace team-y does not \
         exist yet (this input creates it)\nNamespace team-y created (server dry run)\n"
    );
    assert!(server.object("namespaces", "", "team-y").is_none());
    let (code, stdout, stderr) = run(&["apply", "-f", later], &kubeconfig);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.starts_with("ServiceMonitor team-y/api created\n")
            && stdout.ends_with("Namespace team-y created\n"),
        "{stdout}"
    );
    assert!(server.object("servicemonitors", "team-y", "api").is_some());

    // An object in a namespace that neither exists nor is created is refused before writing.
    let lost = dir.path().join("lost.yaml");
    std::fs::write(&lost, monitor.replace("team-x", "nowhere")).unwrap();
    let (code, stdout, _) = run(&["apply", "-f", lost.to_str().unwrap()], &kubeconfig);
    assert_eq!(code, 2, "{stdout}");
    assert!(
        stdout.contains("namespaces \"nowhere\" not found"),
        "{stdout}"
    );
}

/// Audit of 2026-12-07: an object in a Namespace the input creates was first checked by its
/// real write, after the objects before it were written.
#[test]
fn a_refusal_in_a_new_namespace_writes_only_that_namespace() {
    let (server, dir, kubeconfig) = cluster(FIXTURE);
    let file = dir.path().join("mixed.yaml");
    let bad = monitor("bad", "http", "http").replace("namespace: shop", "namespace: newns");
    std::fs::write(
        &file,
        format!(
            "{}---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: newns\n---\n{bad}",
            monitor("good", "http", "http")
        ),
    )
    .unwrap();
    // The first dry run of `bad` finds no Namespace newns; once it exists, `bad` is refused.
    server.inject(crate::apiserver::Fault {
        method: Some(http::Method::PATCH),
        skip: 1,
        times: usize::MAX,
        ..crate::apiserver::Fault::new("/namespaces/newns/servicemonitors/bad", 422)
    });
    let (code, stdout, stderr) = run(&["apply", "-f", file.to_str().unwrap()], &kubeconfig);
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(
        stdout.starts_with("ServiceMonitor newns/bad: refused: ")
            && stdout.ends_with(
                "written, only so that the API server could check the objects in them:\n  \
                 Namespace newns created\nnothing else applied: the API server refused the \
                 objects above (server-side dry run)\nto undo: kubectl delete namespace newns\n"
            ),
        "{stdout}"
    );
    assert!(
        stderr.contains("apply stopped after writing only Namespace newns, so that the API server could check the objects in it: "),
        "{stderr}"
    );
    let writes: Vec<String> = (server.requests().into_iter())
        .filter(|r| r.starts_with("PATCH") && !r.contains("dryRun=All"))
        .collect();
    assert_eq!(writes.len(), 1, "{writes:?}");
    assert!(
        writes[0].starts_with("PATCH /api/v1/namespaces/newns?"),
        "{writes:?}"
    );
    assert!(server.object("namespaces", "", "newns").is_some());
    assert!(server.object("servicemonitors", "shop", "good").is_none());
    assert!(server.object("servicemonitors", "newns", "bad").is_none());
}

#[test]
fn a_server_dry_run_reports_every_refusal() {
    let (server, dir, kubeconfig) = cluster(FIXTURE);
    let text: String = (0..3)
        .map(|i| format!("---\n{}", monitor(&format!("sm-{i}"), "http", "http")))
        .collect();
    let file = dir.path().join("batch.yaml");
    std::fs::write(&file, text).unwrap();
    server.inject(crate::apiserver::Fault::new("servicemonitors/sm-0", 422));
    server.inject(crate::apiserver::Fault::new("servicemonitors/sm-2", 422));
    let (code, stdout, stderr) = run(
        &["apply", "-f", file.to_str().unwrap(), "--dry-run=server"],
        &kubeconfig,
    );
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(
        stdout.contains("ServiceMonitor shop/sm-0: refused: "),
        "{stdout}"
    );
    assert!(
        stdout.contains("ServiceMonitor shop/sm-2: refused: "),
        "{stdout}"
    );
}

#[test]
fn a_server_dry_run_tells_configured_from_unchanged() {
    let (server, dir, kubeconfig) = cluster(FIXTURE);
    let file = dir.path().join("sm.yaml");
    std::fs::write(&file, monitor("kept", "http", "http")).unwrap();
    let path = file.to_str().unwrap();
    assert_eq!(run(&["apply", "-f", path], &kubeconfig).0, 0);
    let (code, stdout, _) = run(&["apply", "-f", path, "--dry-run=server"], &kubeconfig);
    assert_eq!(code, 0);
    assert!(
        stdout.starts_with("ServiceMonitor shop/kept unchanged (server dry run)\n"),
        "{stdout}"
    );
    std::fs::write(&file, monitor("kept", "metrics", "http")).unwrap();
    let (code, stdout, _) = run(&["apply", "-f", path, "--dry-run=server"], &kubeconfig);
    assert_eq!(code, 0);
    assert!(
        stdout.starts_with("ServiceMonitor shop/kept configured (server dry run)\n"),
        "{stdout}"
    );
    let stored = server.object("servicemonitors", "shop", "kept").unwrap();
    assert_eq!(stored["spec"]["endpoints"][0]["port"], json!("http"));
}

#[test]
fn a_namespace_flag_that_contradicts_the_file_writes_nothing() {
    let (server, dir, kubeconfig) = cluster(FIXTURE);
    let file = dir.path().join("sm.yaml");
    std::fs::write(&file, monitor("elsewhere", "http", "http")).unwrap();
    let (code, stdout, stderr) = run(
        &["apply", "-f", file.to_str().unwrap(), "-n", "monitoring"],
        &kubeconfig,
    );
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(stderr.contains("does not match -n monitoring"), "{stderr}");
    assert_eq!(patches(&server), 0);
}

/// Applies the ServiceMonitor `yaml` with field manager `helm`.
fn apply_as_helm(kubeconfig: &Path, yaml: &str) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let options = ConnectOptions {
            kubeconfig: Some(kubeconfig.to_owned()),
            ..ConnectOptions::default()
        };
        let c = Cluster::connect(&options).await.unwrap();
        let object: serde_json::Value = promop::yaml::from_str(yaml).unwrap();
        let helm = ApplyOptions {
            field_manager: "helm".into(),
            force: false,
            dry_run: false,
        };
        c.apply(&promop::kinds::SERVICE_MONITORS, &object, &helm)
            .await
            .unwrap();
    });
}

#[test]
fn conflict_names_the_other_manager_and_force_takes_over() {
    let (server, dir, kubeconfig) = cluster(FIXTURE);
    apply_as_helm(&kubeconfig, &monitor("owned", "http", "http"));
    let file = dir.path().join("sm.yaml");
    std::fs::write(&file, monitor("owned", "metrics", "http")).unwrap();
    let (code, stdout, stderr) = run(&["apply", "-f", file.to_str().unwrap()], &kubeconfig);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert_eq!(
        stdout,
        "ServiceMonitor shop/owned: conflict: fields are owned by field manager helm; re-run with --force-conflicts to take them over\n\
         \x20 conflict with \"helm\" using monitoring.coreos.com/v1: .spec.endpoints\n\
         nothing applied: the API server refused the objects above (server-side dry run)\n"
    );
    let stored = server.object("servicemonitors", "shop", "owned").unwrap();
    assert_eq!(stored["spec"]["endpoints"][0]["port"], json!("http"));

    let (code, stdout, _) = run(
        &["apply", "-f", file.to_str().unwrap(), "--force-conflicts"],
        &kubeconfig,
    );
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.starts_with("ServiceMonitor shop/owned configured\n"),
        "{stdout}"
    );
    let stored = server.object("servicemonitors", "shop", "owned").unwrap();
    assert_eq!(stored["spec"]["endpoints"][0]["port"], json!("metrics"));
}

#[test]
fn conflicting_fields_past_the_most_shown_are_counted() {
    let (_server, dir, kubeconfig) = cluster(FIXTURE);
    let labelled = |value: &str| {
        let labels: String = (0..25).map(|i| format!("    l{i:02}: {value}\n")).collect();
        monitor("crowded", "http", "http").replace("    team: frontend\n", &labels)
    };
    apply_as_helm(&kubeconfig, &labelled("a"));
    let file = dir.path().join("sm.yaml");
    std::fs::write(&file, labelled("b")).unwrap();
    let (code, stdout, stderr) = run(&["apply", "-f", file.to_str().unwrap()], &kubeconfig);
    assert_eq!(code, 1, "{stdout}{stderr}");
    let shown: String = (0..20)
        .map(|i| {
            format!("  conflict with \"helm\" using monitoring.coreos.com/v1: .metadata.labels.l{i:02}\n")
        })
        .collect();
    assert_eq!(
        stdout,
        format!(
            "ServiceMonitor shop/crowded: conflict: fields are owned by field manager helm; re-run with --force-conflicts to take them over\n\
             {shown}  and 5 more\n\
             nothing applied: the API server refused the objects above (server-side dry run)\n"
        )
    );
}

#[test]
fn refuses_objects_the_operator_generates() {
    let (server, dir, kubeconfig) = cluster(FIXTURE);
    let file = dir.path().join("cm.yaml");
    std::fs::write(
        &file,
        format!(
            "{}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: prometheus-k8s-rulefiles-0\n  namespace: monitoring\ndata:\n  a.yaml: x\n",
            monitor("fresh", "http", "http")
        ),
    )
    .unwrap();
    let (code, stdout, stderr) = run(&["apply", "-f", file.to_str().unwrap()], &kubeconfig);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert_eq!(
        stderr,
        format!(
            "{NO_OPERATOR_WARNING}error: {}:16: ConfigMap monitoring/prometheus-k8s-rulefiles-0: refusing to write ConfigMap prometheus-k8s-rulefiles-0: the operator generates it (rule files); change the custom resource instead (nothing applied)\n",
            file.display()
        )
    );
    assert_eq!(patches(&server), 0);
}

#[test]
fn validate_cluster_resolves_references_and_selection() {
    let server = ApiServer::start(&format!(
        "{FIXTURE}\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\n  namespace: shop\nstringData:\n  user: admin\n"
    ));
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = server.write_kubeconfig(dir.path(), "shop");
    let file = dir.path().join("sm.yaml");
    let with_auth = |name: &str, key: &str| {
        monitor(name, "http", "http")
            + &format!(
                "    basicAuth:\n      username:\n        name: creds\n        key: {key}\n      password:\n        name: creds\n        key: user\n"
            )
    };
    std::fs::write(&file, with_auth("resolved", "user")).unwrap();
    let path = file.to_str().unwrap();
    let (code, stdout, stderr) = run(&["validate", "-f", path, "--live"], &kubeconfig);
    assert_eq!(code, 0, "{stdout}{stderr}");
    // `--cluster NAME` picks a kubeconfig cluster, as in every other command.
    let (code, _, stderr) = run(
        &["validate", "-f", path, "--live", "--cluster", "elsewhere"],
        &kubeconfig,
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("no cluster \"elsewhere\" in the kubeconfig"),
        "{stderr}"
    );
    assert_eq!(
        stdout,
        "valid: 1 document (0 invalid), 1 object (0 invalid); 0 errors, 0 warnings\n"
    );
    std::fs::write(&file, with_auth("missing", "nope")).unwrap();
    let (code, stdout, _) = run(&["validate", "-f", path, "--live"], &kubeconfig);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("spec.endpoints[0].basicAuth.username: key \"nope\" in secret \"creds\" not found [reference] (rejected by Prometheus monitoring/k8s)"),
        "{stdout}"
    );
    let lonely = with_auth("lonely", "user").replace("team: frontend", "team: nobody");
    std::fs::write(&file, lonely).unwrap();
    let (code, stdout, _) = run(&["validate", "-f", path, "--live"], &kubeconfig);
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.contains(
            ": ServiceMonitor shop/lonely: warning: no Prometheus or PrometheusAgent selects it\n"
        ),
        "{stdout}"
    );
}

#[test]
fn validate_cluster_says_when_the_operators_arguments_cannot_be_read() {
    let operator = "---\napiVersion: apps/v1\nkind: Deployment\n\
        metadata: {name: prometheus-operator, namespace: ops, labels: {app.kubernetes.io/name: prometheus-operator}}\n\
        spec:\n  selector: {matchLabels: {app: po}}\n  template:\n    metadata: {labels: {app: po}}\n    spec:\n      containers:\n\
        \x20     - name: prometheus-operator\n        image: quay.io/prometheus-operator/prometheus-operator:v0.93.0\n\
        \x20       args: ['--feature-gates=SomeFutureGate=true']\n";
    let server = ApiServer::start(&format!("{FIXTURE}\n{operator}"));
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = server.write_kubeconfig(dir.path(), "shop");
    let file = dir.path().join("sm.yaml");
    std::fs::write(&file, monitor("web", "http", "http")).unwrap();
    let (code, stdout, stderr) = run(
        &["validate", "-f", file.to_str().unwrap(), "--live"],
        &kubeconfig,
    );
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains(
            "cluster:0: Deployment ops/prometheus-operator: \
             spec.template.spec.containers[0].args: warning: arguments this tool cannot read \
             (--feature-gates: unknown feature gate \"SomeFutureGate\"): the operator's defaults \
             are assumed\n"
        ),
        "{stdout}"
    );
}
