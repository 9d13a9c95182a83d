//! `explain` as deep as the support threads go (issue #13): the field behind every reason,
//! every reason at once, overrides of the namespaces searched, the Service → Pod chain and the
//! RBAC of the scraping identity. Each class runs from files; classes 2, 4 and 5 also
//! against the loopback API server (class 5 through its SubjectAccessReviews).

use std::process::Command;

use crate::apiserver::{ApiServer, Fault};
use serde_json::Value;

const FIXTURE: &str = include_str!("../fixtures/explain_depth/cluster.yaml");
const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/explain_depth");

/// Where the binary reads objects from.
#[derive(Clone, Copy)]
enum Source {
    /// `cluster.yaml` and the named extra fixture files.
    Files(&'static [&'static str]),
    Cluster,
}

const FILES: Source = Source::Files(&[]);

fn run(source: Source, args: &[&str]) -> (i32, String, String) {
    match source {
        Source::Files(extra) => {
            let mut all: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
            all.extend(["-f".to_owned(), format!("{DIR}/cluster.yaml")]);
            for file in extra {
                all.extend(["-f".to_owned(), format!("{DIR}/{file}")]);
            }
            explain(&all, None)
        }
        Source::Cluster => run_against(&server(&[]), args),
    }
}

/// A loopback cluster holding `cluster.yaml` and the named extra fixture files.
fn server(extra: &[&str]) -> ApiServer {
    let mut fixture = FIXTURE.to_owned();
    for file in extra {
        fixture.push_str("\n---\n");
        fixture.push_str(&std::fs::read_to_string(format!("{DIR}/{file}")).unwrap());
    }
    ApiServer::start(&fixture)
}

fn run_against(server: &ApiServer, args: &[&str]) -> (i32, String, String) {
    let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
    explain(&args, Some(server))
}

fn explain(args: &[String], server: Option<&ApiServer>) -> (i32, String, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kubectl-promop"));
    command.arg("explain").args(args).env("NO_COLOR", "1");
    // The directory must outlive the command.
    let dir = tempfile::tempdir().unwrap();
    if let Some(server) = server {
        command
            .arg("--kubeconfig")
            .arg(server.write_kubeconfig(dir.path(), "default"));
    }
    let output = command.output().expect("run kubectl-promop");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn parsed(args: &[&str], (code, stdout, stderr): (i32, String, String)) -> Value {
    assert_eq!(code, 0, "{args:?}\nstderr: {stderr}\nstdout: {stdout}");
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

fn json_against(server: &ApiServer, args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["-o", "json"]);
    parsed(&all, run_against(server, &all))
}

fn json(source: Source, args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["-o", "json"]);
    parsed(&all, run(source, &all))
}

/// `explain ARGS -o json` on the named fixture files of this directory alone.
fn json_of(files: &[&str], args: &[&str]) -> Value {
    let mut all: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
    all.extend(["-o".to_owned(), "json".to_owned()]);
    for file in files {
        all.extend(["-f".to_owned(), format!("{DIR}/{file}")]);
    }
    let refs: Vec<&str> = all.iter().map(String::as_str).collect();
    parsed(&refs, explain(&all, None))
}

fn resource<'v>(explanation: &'v Value, kind: &str, namespace: &str, name: &str) -> &'v Value {
    explanation["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["kind"] == kind && r["namespace"] == namespace && r["name"] == name)
        .unwrap_or_else(|| panic!("{kind} {namespace}/{name} missing: {explanation:#}"))
}

fn codes(verdict: &Value) -> Vec<String> {
    verdict["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap().to_owned())
        .collect()
}

fn k8s(source: Source) -> Value {
    json(source, &["prometheus", "k8s", "-n", "monitoring"])
}

// Class 1: every reason names its object, field, value and remedy.

#[test]
fn files_rejection_names_the_field_and_the_prometheus_setting() {
    let p = k8s(FILES);
    let token = &resource(&p, "ServiceMonitor", "shop", "token-file")["reasons"][0];
    assert_eq!(token["code"], "validation");
    assert_eq!(token["object"], "ServiceMonitor shop/token-file");
    assert_eq!(token["field"], "spec.endpoints[0].bearerTokenFile");
    assert_eq!(token["value"], "/var/run/secrets/token");
    assert_eq!(token["related"][0]["object"], "Prometheus monitoring/k8s");
    assert_eq!(
        token["related"][0]["field"],
        "spec.arbitraryFSAccessThroughSMs.deny"
    );
    assert_eq!(token["related"][0]["value"], true);
    assert!(
        token["remedy"]
            .as_str()
            .unwrap()
            .contains("spec.arbitraryFSAccessThroughSMs.deny: false"),
        "{token:#}"
    );

    let slow = &resource(&p, "ServiceMonitor", "shop", "slow")["reasons"][0];
    assert_eq!(slow["field"], "spec.endpoints[0].scrapeTimeout");
    assert_eq!(slow["value"], "30s");
    assert_eq!(slow["related"][0]["field"], "spec.endpoints[0].interval");
    assert_eq!(slow["related"][0]["value"], "10s");
    assert!(slow["remedy"].as_str().unwrap().contains("no greater than"));
}

#[test]
fn files_non_selection_names_both_sides_of_the_selector() {
    let p = k8s(FILES);
    let pods = &resource(&p, "PodMonitor", "apps", "any-pods")["reasons"][0];
    assert_eq!(pods["code"], "label-selector");
    assert_eq!(pods["object"], "Prometheus monitoring/k8s");
    assert_eq!(pods["field"], "spec.podMonitorSelector");
    assert_eq!(pods["value"]["matchLabels"]["scope"], "main");
    assert_eq!(pods["related"][0]["object"], "PodMonitor apps/any-pods");
    assert_eq!(pods["related"][0]["field"], "metadata.labels[\"scope\"]");
    assert_eq!(pods["related"][0]["value"], "strict");
    assert!(
        pods["remedy"]
            .as_str()
            .unwrap()
            .starts_with("on PodMonitor apps/any-pods: set label scope=main")
    );
    let (code, table, _) = run(FILES, &["prometheus", "k8s", "-n", "monitoring"]);
    assert_eq!(code, 0);
    assert!(
        table.contains("fix: on PodMonitor apps/any-pods: set label scope=main"),
        "{table}"
    );
}

// Class 2: every reason at once, in the operator's order.

fn every_reason_at_once(source: Source) {
    let p = k8s(source);
    let typo = resource(&p, "ServiceMonitor", "legacy", "typo");
    assert_eq!(typo["status"], "not-selected");
    assert_eq!(
        codes(typo),
        ["namespace-selector", "label-selector", "validation"],
        "{typo:#}"
    );
    let namespace = &typo["reasons"][0];
    assert_eq!(namespace["wanted"], "monitoring=enabled");
    assert_eq!(namespace["related"][0]["object"], "Namespace legacy");
    assert_eq!(namespace["related"][0]["value"], Value::Null);
    let label = &typo["reasons"][1];
    assert_eq!(label["wanted"], "team=frontend");
    assert!(
        label["nearMisses"][0]
            .as_str()
            .unwrap()
            .contains("value typo? label team=fronted"),
        "{label:#}"
    );
    assert_eq!(
        typo["reasons"][2]["field"],
        "spec.endpoints[0].bearerTokenFile"
    );
}

#[test]
fn files_every_reason_at_once() {
    every_reason_at_once(FILES);
}

#[test]
fn cluster_every_reason_at_once() {
    every_reason_at_once(Source::Cluster);
}

#[test]
fn files_every_instance_gives_every_reason() {
    let m = json(FILES, &["servicemonitor", "typo", "-n", "legacy"]);
    let k8s = m["instances"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["name"] == "k8s")
        .unwrap();
    assert_eq!(k8s["reasons"][0]["code"], "namespace-selector");
    // The strict Prometheus has no ServiceMonitor selector: nil selects nothing.
    let strict = m["instances"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["name"] == "strict")
        .unwrap();
    assert!(
        codes(strict).contains(&"no-selector".to_owned()),
        "{strict:#}"
    );
}

// Class 3: the setting that makes the namespaces searched differ from those asked for.

fn overrides(m: &Value) -> Vec<(String, String)> {
    m["namespaceScope"]["overrides"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["field"].as_str().unwrap().to_owned(),
                o["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn files_ignore_namespace_selectors_and_enforced_label() {
    let m = json(FILES, &["podmonitor", "any-pods", "-n", "apps"]);
    assert_eq!(m["targetsFrom"], "Prometheus monitoring/strict");
    assert_eq!(m["namespaceScope"]["asked"], serde_json::json!([]));
    assert_eq!(m["namespaceScope"]["searched"], serde_json::json!(["apps"]));
    let found = overrides(&m);
    assert_eq!(found[0].0, "spec.ignoreNamespaceSelectors");
    assert!(found[0].1.contains("asks for every namespace"), "{found:?}");
    assert_eq!(found[1].0, "spec.enforcedNamespaceLabel");
    assert!(found[1].1.contains("tenant=apps"), "{found:?}");
    assert_eq!(
        m["namespaceScope"]["overrides"][0]["object"],
        "Prometheus monitoring/strict"
    );
    assert_eq!(m["namespaceScope"]["overrides"][0]["value"], true);

    let excluded = json(FILES, &["podmonitor", "excluded-pods", "-n", "apps"]);
    let found = overrides(&excluded);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "spec.excludedFromEnforcement[0]");
    assert!(
        found[0]
            .1
            .contains("excluded from spec.enforcedNamespaceLabel=tenant")
    );
}

#[test]
fn files_operator_namespaces_do_not_narrow_discovery() {
    let m = json(FILES, &["servicemonitor", "wide", "-n", "shop"]);
    assert_eq!(
        m["namespaceScope"]["searched"],
        serde_json::json!(["shop", "outside"])
    );
    let over = &m["namespaceScope"]["overrides"][0];
    assert_eq!(over["object"], "Deployment monitoring/prometheus-operator");
    assert_eq!(over["field"], "--namespaces");
    assert!(
        over["message"]
            .as_str()
            .unwrap()
            .contains("searches namespace(s) outside, which the operator does not watch"),
        "{over:#}"
    );
    let (_, table, _) = run(FILES, &["servicemonitor", "wide", "-n", "shop"]);
    assert!(table.contains("override: Deployment monitoring/prometheus-operator --namespaces"));
}

// Class 4: the Service → Pod chain behind a Service without ready addresses.

fn endpoint(m: &Value) -> &Value {
    &m["endpoints"][0]
}

fn problems(m: &Value) -> String {
    endpoint(m)["problems"].to_string()
}

fn target_port_names_no_container_port(source: Source) {
    let m = json(source, &["servicemonitor", "api", "-n", "shop"]);
    let service = &endpoint(&m)["workloads"][0];
    assert_eq!(service["name"], "api");
    let pod = &service["pods"][0];
    assert_eq!(pod["kind"], "Pod");
    assert_eq!(pod["name"], "api-0");
    assert_eq!(pod["ready"], true);
    assert_eq!(pod["containerPorts"], serde_json::json!(["web/8080"]));
    assert_eq!(pod["targetPorts"][0]["targetPort"], "metrics");
    assert_eq!(pod["targetPorts"][0]["by"], "name");
    assert_eq!(pod["targetPorts"][0]["resolved"], Value::Null);
    assert!(
        problems(&m).contains(
            r#"targetPort \"metrics\" names no port of the containers of pod shop/api-0 (ports: web/8080)"#
        ),
        "{}",
        problems(&m)
    );
    assert!(!problems(&m).contains("or none is running"));
}

#[test]
fn files_target_port_names_no_container_port() {
    target_port_names_no_container_port(FILES);
}

#[test]
fn cluster_target_port_names_no_container_port() {
    target_port_names_no_container_port(Source::Cluster);
}

fn pod_not_ready(source: Source) {
    let m = json(source, &["servicemonitor", "cache", "-n", "shop"]);
    let pod = &endpoint(&m)["workloads"][0]["pods"][0];
    assert_eq!(pod["name"], "cache-0");
    assert_eq!(pod["ready"], false);
    assert_eq!(pod["targetPorts"][0]["resolved"], "cache/9121");
    assert!(
        problems(&m).contains("Pod shop/cache-0 matches Service shop/cache but is not ready"),
        "{}",
        problems(&m)
    );
}

#[test]
fn files_pod_not_ready() {
    pod_not_ready(FILES);
}

#[test]
fn cluster_pod_not_ready() {
    pod_not_ready(Source::Cluster);
}

#[test]
fn files_would_be_pods_from_a_deployment() {
    let m = json(FILES, &["servicemonitor", "batch", "-n", "shop"]);
    let link = &endpoint(&m)["workloads"][0]["pods"][0];
    assert_eq!(link["kind"], "Deployment");
    assert_eq!(link["name"], "batch");
    assert_eq!(link["replicas"], 0);
    assert_eq!(link["targetPorts"][0]["by"], "number");
    assert!(
        problems(&m)
            .contains("Deployment shop/batch would create matching Pods — it is scaled to 0"),
        "{}",
        problems(&m)
    );
}

// Class 5: RBAC of the scraping identity, from the Roles and bindings of the input, or
// from a cluster by SubjectAccessReview (reading its RBAC objects when that is forbidden).

/// The gaps of an Rbac entry as `namespace verb resource`.
fn gaps(rbac: &Value) -> Vec<String> {
    rbac["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            format!(
                "{} {} {}",
                g["namespace"].as_str().unwrap(),
                g["verb"].as_str().unwrap(),
                g["resource"].as_str().unwrap()
            )
        })
        .collect()
}

const WITH_RBAC: Source = Source::Files(&["rbac.yaml"]);

#[test]
fn files_rbac_gaps_per_namespace_searched() {
    let m = json(WITH_RBAC, &["servicemonitor", "wide", "-n", "shop"]);
    let rbac = &endpoint(&m)["rbac"];
    assert_eq!(
        rbac["serviceAccount"],
        "system:serviceaccount:monitoring:prometheus-k8s"
    );
    assert_eq!(rbac["checked"], true);
    assert_eq!(rbac["method"], "input-objects");
    let gaps = gaps(rbac);
    // shop grants services and endpoints through a ClusterRole, not pods; outside nothing.
    assert_eq!(
        gaps,
        [
            "outside list endpoints",
            "outside watch endpoints",
            "outside list pods",
            "outside watch pods",
            "outside list services",
            "outside watch services",
            "shop list pods",
            "shop watch pods",
        ]
    );
    let grant = rbac["grant"].as_str().unwrap();
    assert!(grant.contains("kind: RoleBinding"), "{grant}");
    assert!(grant.contains("namespace: outside"), "{grant}");
    assert!(problems(&m).contains("RBAC: system:serviceaccount:monitoring:prometheus-k8s lacks 8"));
}

#[test]
fn files_rbac_default_service_account_and_cluster_scope() {
    // The strict Prometheus names no ServiceAccount: its pods run as `default`.
    let m = json(WITH_RBAC, &["podmonitor", "any-pods", "-n", "apps"]);
    let rbac = &endpoint(&m)["rbac"];
    assert_eq!(
        rbac["serviceAccount"],
        "system:serviceaccount:monitoring:default"
    );
    assert_eq!(rbac["gaps"][0]["namespace"], "apps");
    assert_eq!(rbac["gaps"][0]["resource"], "pods");
}

#[test]
fn files_rbac_not_checked_without_rbac_objects() {
    let m = json(FILES, &["servicemonitor", "api", "-n", "shop"]);
    let rbac = &endpoint(&m)["rbac"];
    assert_eq!(rbac["checked"], false);
    assert!(rbac["note"].as_str().unwrap().starts_with("not checked"));
    assert!(rbac.get("gaps").unwrap().as_array().unwrap().is_empty());
}

#[test]
fn files_rbac_over_every_selected_monitor() {
    let p = json(WITH_RBAC, &["prometheus", "k8s", "-n", "monitoring"]);
    let rbac = &p["rbac"];
    assert_eq!(rbac["checked"], true);
    assert_eq!(rbac["gaps"].as_array().unwrap().len(), 8, "{rbac:#}");
    assert!(
        rbac["note"]
            .as_str()
            .unwrap()
            .contains("2 namespace(s) (outside, shop)")
    );
    let grant = rbac["grant"].as_str().unwrap();
    assert!(grant.contains("name: prometheus-k8s-discovery"), "{grant}");
    let (_, table, _) = run(WITH_RBAC, &["prometheus", "k8s", "-n", "monitoring"]);
    assert!(
        table.contains("  missing: list endpoints in outside"),
        "{table}"
    );
}

#[test]
fn files_rbac_over_scrape_configs_alertmanagers_and_additional_configs() {
    let source = Source::Files(&["rbac.yaml", "rbac_discoveries.yaml"]);
    let args = ["prometheus", "discover", "-n", "monitoring"];
    let p = json(source, &args);
    let rbac = &p["rbac"];
    assert_eq!(rbac["checked"], true);
    // The Alertmanager's endpoints in its namespace, the ScrapeConfig's Pods in shop, the
    // additional config's nodes at cluster scope; the ScrapeConfig's other entry asks
    // another API server.
    assert_eq!(
        gaps(rbac),
        [
            " list nodes",
            " watch nodes",
            "alerting list endpoints",
            "alerting watch endpoints",
            "alerting list pods",
            "alerting watch pods",
            "alerting list services",
            "alerting watch services",
            "shop list pods",
            "shop watch pods",
        ],
        "{rbac:#}"
    );
    let skipped = rbac["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 1, "{rbac:#}");
    assert!(
        skipped[0]
            .as_str()
            .unwrap()
            .starts_with("ScrapeConfig monitoring/discover spec.kubernetesSDConfigs[1]: apiServer"),
        "{rbac:#}"
    );
    let (_, table, _) = run(source, &args);
    assert!(
        table.contains("  not checked: ScrapeConfig monitoring/discover"),
        "{table}"
    );
}

const WIDE: [&str; 4] = ["servicemonitor", "wide", "-n", "shop"];

/// Requests to the SubjectAccessReview endpoint, answered or not.
fn review_requests(server: &ApiServer) -> usize {
    server
        .requests()
        .iter()
        .filter(|r| r.contains("/subjectaccessreviews"))
        .count()
}

#[test]
fn cluster_rbac_gaps_by_subject_access_review() {
    let server = server(&["rbac.yaml"]);
    let m = json_against(&server, &WIDE);
    let rbac = &endpoint(&m)["rbac"];
    assert_eq!(rbac["checked"], true);
    assert_eq!(rbac["method"], "subject-access-review");
    assert_eq!(
        rbac["serviceAccount"],
        "system:serviceaccount:monitoring:prometheus-k8s"
    );
    // The same gaps as from files, asked for `list` only: one review per namespace and
    // resource.
    let files = json(WITH_RBAC, &WIDE);
    let files_rbac = &endpoint(&files)["rbac"];
    let listed: Vec<String> = gaps(files_rbac)
        .into_iter()
        .filter(|g| g.contains(" list "))
        .collect();
    assert_eq!(gaps(rbac), listed);
    assert_eq!(
        listed,
        [
            "outside list endpoints",
            "outside list pods",
            "outside list services",
            "shop list pods",
        ]
    );
    assert_eq!(rbac["grant"], files_rbac["grant"]);
    assert!(
        problems(&m).contains("RBAC: system:serviceaccount:monitoring:prometheus-k8s lacks 4"),
        "{}",
        problems(&m)
    );
    let (code, table, stderr) = run_against(&server, &WIDE);
    assert_eq!(code, 0, "{stderr}");
    assert!(table.contains("  missing: list pods in shop"), "{table}");
    assert!(
        table.contains("  would grant it (kubectl apply -f -):"),
        "{table}"
    );
    assert!(table.contains("    kind: RoleBinding"), "{table}");
    assert!(table.contains("      namespace: outside"), "{table}");
}

#[test]
fn cluster_rbac_falls_back_to_reading_rbac_when_reviews_are_forbidden() {
    let server = server(&["rbac.yaml"]);
    server.inject(Fault {
        times: 1_000,
        ..Fault::new("/subjectaccessreviews", 403)
    });
    let m = json_against(&server, &WIDE);
    let rbac = &endpoint(&m)["rbac"];
    assert_eq!(rbac["checked"], true);
    assert_eq!(rbac["method"], "cluster-objects");
    assert!(
        rbac["note"]
            .as_str()
            .unwrap()
            .contains("creating SubjectAccessReviews is forbidden"),
        "{rbac:#}"
    );
    // The evaluator of files over the cluster's objects: the very same verdict.
    let files = json(WITH_RBAC, &WIDE);
    assert_eq!(gaps(rbac), gaps(&endpoint(&files)["rbac"]));
    assert_eq!(rbac["grant"], endpoint(&files)["rbac"]["grant"]);
    // The first review is sent alone: its 403 stops the others.
    assert_eq!(review_requests(&server), 1, "{:?}", server.requests());
}

#[test]
fn cluster_rbac_falls_back_when_a_later_review_is_not_served() {
    let server = server(&["rbac.yaml"]);
    server.inject(Fault {
        times: 1_000,
        skip: 1,
        ..Fault::new("/subjectaccessreviews", 404)
    });
    let m = json_against(&server, &WIDE);
    let rbac = &endpoint(&m)["rbac"];
    assert_eq!(rbac["method"], "cluster-objects", "{rbac:#}");
    assert!(
        rbac["note"]
            .as_str()
            .unwrap()
            .contains("does not serve SubjectAccessReviews"),
        "{rbac:#}"
    );
    let files = json(WITH_RBAC, &WIDE);
    assert_eq!(gaps(rbac), gaps(&endpoint(&files)["rbac"]));
}

#[test]
fn cluster_rbac_not_checked_when_reviews_and_rbac_are_forbidden() {
    let server = server(&["rbac.yaml"]);
    for path in ["/subjectaccessreviews", "/rbac.authorization.k8s.io/"] {
        server.inject(Fault {
            times: 1_000,
            ..Fault::new(path, 403)
        });
    }
    let m = json_against(&server, &WIDE);
    let rbac = &endpoint(&m)["rbac"];
    assert_eq!(rbac["checked"], false);
    assert!(rbac.get("method").is_none(), "{rbac:#}");
    let note = rbac["note"].as_str().unwrap();
    assert!(note.starts_with("not checked"), "{note}");
    assert!(
        note.contains("create subjectaccessreviews.authorization.k8s.io at cluster scope"),
        "{note}"
    );
    assert!(
        note.contains("list roles.rbac.authorization.k8s.io"),
        "{note}"
    );
    assert!(!problems(&m).contains("RBAC"), "{}", problems(&m));
}

#[test]
fn cluster_rbac_granted_shows_no_gap() {
    let server = server(&["rbac.yaml", "rbac_granted.yaml"]);
    let m = json_against(&server, &WIDE);
    let rbac = &endpoint(&m)["rbac"];
    assert_eq!(rbac["checked"], true);
    assert_eq!(rbac["method"], "subject-access-review");
    assert_eq!(gaps(rbac), Vec::<String>::new());
    assert!(rbac.get("grant").is_none(), "{rbac:#}");
    assert!(
        rbac["note"]
            .as_str()
            .unwrap()
            .starts_with("system:serviceaccount:monitoring:prometheus-k8s may list"),
        "{rbac:#}"
    );
    assert!(!problems(&m).contains("RBAC"), "{}", problems(&m));
    let p = json_against(&server, &["prometheus", "k8s", "-n", "monitoring"]);
    assert_eq!(gaps(&p["rbac"]), Vec::<String>::new(), "{:#}", p["rbac"]);
}

#[test]
fn cluster_rbac_one_review_per_namespace_and_resource() {
    let server = server(&["rbac.yaml"]);
    let p = json_against(&server, &["prometheus", "k8s", "-n", "monitoring"]);
    let files = json(WITH_RBAC, &["prometheus", "k8s", "-n", "monitoring"]);
    let listed: Vec<String> = gaps(&files["rbac"])
        .into_iter()
        .filter(|g| g.contains(" list "))
        .collect();
    assert_eq!(gaps(&p["rbac"]), listed);
    let reviews = server.access_reviews();
    assert!(!reviews.is_empty());
    let mut asked = std::collections::BTreeSet::new();
    for spec in &reviews {
        assert_eq!(
            spec["user"],
            "system:serviceaccount:monitoring:prometheus-k8s"
        );
        assert_eq!(
            spec["groups"],
            serde_json::json!([
                "system:serviceaccounts",
                "system:serviceaccounts:monitoring",
                "system:authenticated"
            ])
        );
        let attributes = &spec["resourceAttributes"];
        assert_eq!(attributes["verb"], "list");
        let key = format!(
            "{} {} {}",
            attributes["namespace"].as_str().unwrap_or(""),
            attributes["group"].as_str().unwrap_or(""),
            attributes["resource"]
        );
        assert!(asked.insert(key.clone()), "asked twice: {key}");
    }
    assert_eq!(review_requests(&server), reviews.len());
}

/// `explain servicemonitor web -n shop -o json` over `file` alone.
fn explain_web(file: &str) -> Value {
    let args = [
        "servicemonitor",
        "web",
        "-n",
        "shop",
        "-o",
        "json",
        "-f",
        file,
    ];
    let all: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
    parsed(&args, explain(&all, None))
}

#[test]
fn selector_values_are_regular_expressions_to_prometheus() {
    let explanation = explain_web(&format!("{DIR}/regex_selector.yaml"));
    let endpoint = &explanation["endpoints"][0];
    assert_eq!(endpoint["targets"][0]["kept"], true, "{endpoint}");
    assert_eq!(endpoint["workloads"][0]["matched"], true, "{endpoint}");
    assert!(
        endpoint["problems"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p.as_str().unwrap().starts_with(
                "Service shop/web-v1 does not match spec.selector, but Prometheus scrapes it"
            )),
        "{endpoint}"
    );
}

#[test]
fn selector_disagreements_are_named_up_to_a_limit() {
    let mut objects = std::fs::read_to_string(format!("{DIR}/regex_selector.yaml")).unwrap();
    for c in ['a', 'b', 'c', 'd', 'e', 'f'] {
        objects.push_str(&format!(
            "---\napiVersion: v1\nkind: Service\n\
             metadata: {{name: web{c}v1, namespace: shop, labels: {{app: web{c}v1}}}}\n\
             spec: {{ports: [{{name: http, port: 80}}]}}\n"
        ));
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("objects.yaml");
    std::fs::write(&file, objects).unwrap();
    let explanation = explain_web(file.to_str().unwrap());
    let problems: Vec<&str> = explanation["endpoints"][0]["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let named = problems
        .iter()
        .filter(|p| p.contains("does not match spec.selector, but Prometheus scrapes it"))
        .count();
    assert_eq!(named, 5, "{problems:?}");
    assert!(
        problems.contains(
            &"2 more Service(s) on which spec.selector and Prometheus's keep rules disagree"
        ),
        "{problems:?}"
    );
}

#[test]
fn a_scrape_config_shows_its_static_targets_and_what_is_not_followed() {
    let file = format!("{DIR}/scrape_config.yaml");
    let args = ["scfg", "node-exporters", "-n", "monitoring", "-f", &file];
    let (code, stdout, stderr) = explain(&args.map(String::from), None);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.starts_with("ScrapeConfig monitoring/node-exporters\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("endpoint 0  job scrapeConfig/monitoring/node-exporters  role static\n"),
        "{stdout}"
    );
    assert!(stdout.contains(" 10.0.0.2:9100         dropped  by relabel_configs[1]: drop __address__ =~ 10.0.0.2:9100"), "{stdout}");
    assert!(
        stdout.contains("problem: the job also discovers through consul_sd_configs (1)"),
        "{stdout}"
    );

    // Not selected: the reason, and what it would scrape.
    let args = ["scrapeconfig/unlabelled", "-n", "monitoring", "-f", &file];
    let (code, stdout, _) = explain(&args.map(String::from), None);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("labels do not match spec.scrapeConfigSelector: wants team=infra"),
        "{stdout}"
    );
}

#[test]
fn the_instance_the_targets_are_shown_for_can_be_chosen() {
    let dir = tempfile::tempdir().unwrap();
    let second = dir.path().join("second.yaml");
    std::fs::write(
        &second,
        "apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata: {name: k8s-b, namespace: monitoring}\n\
         spec: {scrapeConfigSelector: {}, scrapeConfigNamespaceSelector: {}}\n",
    )
    .unwrap();
    let file = format!("{DIR}/scrape_config.yaml");
    let second = second.to_str().unwrap().to_owned();
    let args = |instance: &str| {
        [
            "scfg",
            "unlabelled",
            "-n",
            "monitoring",
            "-f",
            &file,
            "-f",
            &second,
            "--prometheus",
            instance,
            "-o",
            "json",
        ]
        .map(String::from)
    };
    let chosen = parsed(&[], explain(&args("monitoring/k8s-b"), None));
    assert_eq!(chosen["targetsFrom"], "Prometheus monitoring/k8s-b");
    assert_eq!(chosen["hypothetical"], false);
    let other = parsed(&[], explain(&args("k8s"), None));
    assert_eq!(other["targetsFrom"], "Prometheus monitoring/k8s");
    assert_eq!(other["hypothetical"], true);
    assert!(
        other["notes"]
            .to_string()
            .contains("Prometheus monitoring/k8s does not select this monitor"),
        "{other}"
    );
    let (code, _, stderr) = explain(&args("nope"), None);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("Prometheus or PrometheusAgent \"nope\" not found"),
        "{stderr}"
    );
}

/// The operator keeps Service kube-system/kubelet and its endpoints (`--kubelet-service`):
/// from files they are laid in, from the nodes given, and the notice says so; without nodes
/// the Service still shows its ports, and the problem names the operator, not a missing
/// Endpoints object to write by hand.
#[test]
fn the_operators_kubelet_service_is_laid_in_from_files() {
    let args = ["smon", "kubelet", "-n", "monitoring"];
    let with_nodes = json_of(&["kubelet.yaml", "nodes.yaml"], &args);
    let endpoint = &with_nodes["endpoints"][0];
    assert_eq!(endpoint["workloads"][0]["name"], "kubelet", "{endpoint:#}");
    let kept: Vec<&str> = endpoint["targets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["kept"] == true)
        .map(|t| t["address"].as_str().unwrap())
        .collect();
    assert_eq!(kept, ["10.0.0.11:10250", "10.0.0.12:10250"], "{endpoint:#}");
    assert_eq!(endpoint["targets"][0]["labels"]["node"], "node-1");
    assert!(
        with_nodes["inputNotices"]
            .to_string()
            .contains("added Service kube-system/kubelet"),
        "{with_nodes:#}"
    );

    let without = json_of(&["kubelet.yaml"], &args);
    let endpoint = &without["endpoints"][0];
    assert_eq!(endpoint["workloads"][0]["ports"][0]["referenced"], true);
    assert!(
        endpoint["problems"]
            .to_string()
            .contains("is the one the operator keeps for the kubelets (--kubelet-service): its endpoints list the nodes, and the input holds no Node"),
        "{endpoint:#}"
    );
    assert!(
        without["inputNotices"]
            .to_string()
            .contains("kubectl get nodes -o yaml"),
        "{without:#}"
    );
}

/// Behind a Service without Pods in the files: a DaemonSet in the input, or the StatefulSet
/// the operator generates for a Prometheus, would create them; each is named, with how its
/// `targetPort` resolves against the containers the operator writes.
#[test]
fn daemon_sets_and_the_operators_stateful_sets_would_create_the_pods() {
    let pods = |monitor: &str| {
        let explained = json_of(
            &["pod_creators.yaml"],
            &["smon", monitor, "-n", "monitoring"],
        );
        explained["endpoints"][0]["workloads"][0]["pods"].clone()
    };
    let shards = pods("prometheus-k8s");
    // One StatefulSet a shard.
    assert_eq!(shards[1]["name"], "prometheus-k8s-shard-1", "{shards:#}");
    let prometheus = &shards[0];
    assert_eq!(prometheus["kind"], "StatefulSet", "{prometheus:#}");
    assert_eq!(prometheus["name"], "prometheus-k8s");
    assert_eq!(prometheus["replicas"], 2);
    assert_eq!(prometheus["targetPorts"][0]["resolved"], "prometheus/9090");
    let exporter = &pods("node-exporter")[0];
    assert_eq!(exporter["kind"], "DaemonSet", "{exporter:#}");
    assert!(exporter.get("replicas").is_none());
    assert_eq!(exporter["targetPorts"][0]["resolved"], "node-exporter/9100");
}

/// Service default/kubernetes is the API server's own: a selector for it that finds nothing
/// in files says so.
#[test]
fn the_api_servers_own_service_is_named_when_the_files_lack_it() {
    let explained = json_of(
        &["apiserver.yaml"],
        &["smon", "kube-apiserver", "-n", "monitoring"],
    );
    let problems = explained["endpoints"][0]["problems"].to_string();
    assert!(
        problems
            .contains("Service default/kubernetes, which the API server keeps in every cluster"),
        "{problems}"
    );
}

/// A job of role endpointslice over a Service the files give only Endpoints for: the addresses
/// show, and the problem says which kind the job reads, not "create an Endpoints object".
#[test]
fn endpoints_alone_are_shown_for_an_endpointslice_job_and_named_as_the_cause() {
    let explained = json_of(
        &["endpoints_only.yaml"],
        &["smon", "ext", "-n", "monitoring"],
    );
    let endpoint = &explained["endpoints"][0];
    assert_eq!(endpoint["workloads"][0]["addresses"][0]["ip"], "10.1.1.1");
    let problems = endpoint["problems"].to_string();
    assert!(
        problems.contains("the input holds only Endpoints objects"),
        "{problems}"
    );
    assert!(
        !problems.contains("create an Endpoints object"),
        "{problems}"
    );
}

/// A PrometheusRule failing both of the instance's selectors gets both reasons, as a
/// ServiceMonitor does.
#[test]
fn a_prometheus_rule_gets_every_selector_reason_as_a_monitor_does() {
    let codes = |kind: &str, name: &str| {
        let explained = json_of(&["both_selectors.yaml"], &[kind, name, "-n", "other"]);
        explained["instances"][0]["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["code"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    let monitor = codes("smon", "s");
    let rule = codes("promrule", "r");
    assert_eq!(monitor, ["namespace-selector", "label-selector"]);
    assert_eq!(rule, monitor);
}

/// From the cluster too: the DaemonSet or Deployment whose Pods are missing is read (one LIST
/// of each kind), and named behind its Service.
#[test]
fn a_workload_without_pods_is_named_from_the_cluster() {
    let fixture = std::fs::read_to_string(format!("{DIR}/pod_creators.yaml")).unwrap();
    let server = ApiServer::start(&fixture);
    let explained = json_against(&server, &["smon", "node-exporter", "-n", "monitoring"]);
    let pods = &explained["endpoints"][0]["workloads"][0]["pods"];
    assert_eq!(pods[0]["kind"], "DaemonSet", "{explained:#}");
    assert_eq!(pods[0]["name"], "node-exporter");
    let explained = json_against(&server, &["smon", "api", "-n", "monitoring"]);
    let pods = &explained["endpoints"][0]["workloads"][0]["pods"];
    assert_eq!(pods[0]["kind"], "Deployment", "{explained:#}");
    assert_eq!(pods[0]["replicas"], 3);
    assert_eq!(pods[0]["targetPorts"][0]["resolved"], "api/8080");
    assert!(
        server
            .requests()
            .iter()
            .any(|r| r.starts_with("GET /apis/apps/v1/daemonsets")),
        "{:?}",
        server.requests()
    );
}

/// kube-prometheus's kube-scheduler monitor on a kubeadm cluster: no Service, but the static
/// Pod carries the value the selector asks for under another key; explain says a Service is
/// missing, and which Pods it would select.
#[test]
fn pods_without_a_service_are_named_when_no_service_matches() {
    let explained = json_of(
        &["control_plane.yaml"],
        &["smon", "kube-scheduler", "-n", "monitoring"],
    );
    let problems = explained["endpoints"][0]["problems"].to_string();
    assert!(
        problems.contains(
            "Pod(s) kube-system/kube-scheduler-cp-1 carry what the selector asks for \
             (kube-system/kube-scheduler-cp-1: component=kube-scheduler)"
        ),
        "{problems}"
    );
    assert!(
        problems.contains("create one labelled app.kubernetes.io/name=kube-scheduler"),
        "{problems}"
    );
}
