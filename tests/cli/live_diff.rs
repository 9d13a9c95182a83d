//! `kubectl-promop diff` and `render TYPE NAME` against the loopback API server, with the live
//! Secret rendered by the library from the same objects.

use crate::common::{assert_exit, text};
use std::path::Path;
use std::process::Output;

use crate::apiserver::ApiServer;
use promop::decode;
use promop::operator::OperatorOptions;
use promop::render::RenderRequest;
use promop::select;
use promop::snapshot::Snapshot;
use promop::target::Target;

const FIXTURE: &str = include_str!("../fixtures/live/cluster.yaml");

/// What the operator would store for shop/k8s, rendered with the library.
fn rendered_config() -> String {
    let mut snapshot = Snapshot::default();
    snapshot.load("fixture", FIXTURE).expect("fixture loads");
    let prometheus = snapshot.prometheuses.first().expect("a Prometheus").clone();
    let target = Target::Server(&prometheus);
    let selection =
        select::select_monitors(&snapshot, target, &Default::default()).expect("selects");
    let request = RenderRequest {
        target,
        service_monitors: select::selected(&selection.service_monitors),
        pod_monitors: select::selected(&selection.pod_monitors),
        probes: select::selected(&selection.probes),
        scrape_configs: select::selected(&selection.scrape_configs),
        snapshot: &snapshot,
        options: OperatorOptions {
            endpoint_slice_support: true,
            ..OperatorOptions::default()
        },
        rule_config_map_names: Vec::new(),
    };
    promop::render::render(&request)
        .expect("renders")
        .to_yaml_string()
}

fn with_live_secret(config: &str) -> String {
    format!(
        "{FIXTURE}---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: prometheus-k8s\n  namespace: shop\n\
         data:\n  prometheus.yaml.gz: {}\n",
        decode::base64_encode(&decode::gzip(config.as_bytes()).unwrap())
    )
}

fn run(server: &ApiServer, dir: &Path, args: &[&str]) -> Output {
    crate::common::run_against(server, dir, "shop", args)
}

#[test]
fn render_from_the_cluster_matches_the_library() {
    let config = rendered_config();
    assert!(config.contains("job_name: serviceMonitor/shop/web/0"));
    let server = ApiServer::start(&with_live_secret(&config));
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        &server,
        dir.path(),
        &["render", "prometheus", "k8s", "--show-secrets"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), config);
    // Only the referenced Secret was read, never the generated one or others.
    let secret_reads: Vec<String> = server
        .requests()
        .into_iter()
        .filter(|r| r.contains("/secrets"))
        .collect();
    assert_eq!(secret_reads.len(), 1, "{secret_reads:?}");
    assert!(secret_reads.iter().all(|r| r.contains("/secrets/web-auth")));
}

#[test]
fn no_difference_when_the_secret_was_rendered_from_the_same_objects() {
    let server = ApiServer::start(&with_live_secret(&rendered_config()));
    let dir = tempfile::tempdir().unwrap();
    let out = run(&server, dir.path(), &["diff", "prometheus", "k8s"]);
    assert_exit(&out, 0);
    assert!(text(&out.stdout).starts_with("no differences"));
}

/// Objects RBAC hides would be "only in the live configuration": diff fails (exit 2) naming
/// them instead of reporting differences the operator does not make (as `kubectl diff` fails
/// on what it cannot read).
#[test]
fn objects_rbac_hides_make_diff_fail_not_differ() {
    let server = ApiServer::start(&with_live_secret(&rendered_config()));
    server.inject(crate::apiserver::Fault {
        times: usize::MAX,
        ..crate::apiserver::Fault::new("/servicemonitors", 403)
    });
    let dir = tempfile::tempdir().unwrap();
    let out = run(&server, dir.path(), &["diff", "prometheus", "k8s"]);
    assert_exit(&out, 2);
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("servicemonitors") && stderr.contains("cannot compare"),
        "{stderr}"
    );
    assert!(
        !text(&out.stdout).contains("only in the live"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn formatting_is_not_a_difference() {
    // The same configuration written as JSON (valid YAML, different formatting).
    let tree = promop::yaml::parse(&rendered_config()).unwrap();
    let json = serde_json::to_string(&tree.to_json()).unwrap();
    let server = ApiServer::start(&with_live_secret(&json));
    let dir = tempfile::tempdir().unwrap();
    let out = run(&server, dir.path(), &["diff", "prom/k8s"]);
    assert_exit(&out, 0);
}

#[test]
fn a_local_change_names_the_job_and_the_resource() {
    let server = ApiServer::start(&with_live_secret(&rendered_config()));
    let dir = tempfile::tempdir().unwrap();
    let local = dir.path().join("web.yaml");
    std::fs::write(
        &local,
        "apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: web\n  labels:\n    team: frontend\n\
         spec:\n  selector:\n    matchLabels:\n      app: web\n  endpoints:\n  - port: http\n    interval: 10s\n\
         \x20   basicAuth:\n      username: {name: web-auth, key: user}\n      password: {name: web-auth, key: password}\n",
    )
    .unwrap();
    let out = run(
        &server,
        dir.path(),
        &["diff", "prometheus", "k8s", "-f", local.to_str().unwrap()],
    );
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}{}", text(&out.stderr));
    assert!(
        stdout.contains(
            "~ scrape job serviceMonitor/shop/web/0 (from ServiceMonitor shop/web): changed"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("\n  +scrape_interval: 10s\n"), "{stdout}");
    assert!(!stdout.contains("serviceMonitor/shop/api/0"), "{stdout}");
    assert!(!stdout.contains("hunter2"), "{stdout}");
    assert!(
        stdout.contains("1 difference(s) for Prometheus shop/k8s"),
        "{stdout}"
    );
    assert!(text(&out.stderr).contains("local file replaces ServiceMonitor shop/web"));
}

#[test]
fn a_local_resource_that_is_rejected_says_so() {
    let server = ApiServer::start(&with_live_secret(&rendered_config()));
    let dir = tempfile::tempdir().unwrap();
    let local = dir.path().join("api.yaml");
    // A reference to a Secret that does not exist makes the operator reject it: the job disappears.
    std::fs::write(
        &local,
        "apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: api\n  namespace: shop\n  \
         labels:\n    team: frontend\nspec:\n  selector:\n    matchLabels:\n      app: api\n  endpoints:\n  \
         - port: metrics\n    bearerTokenSecret: {name: no-such-secret, key: token}\n",
    )
    .unwrap();
    let out = run(
        &server,
        dir.path(),
        &["diff", "prometheus", "k8s", "-f", local.to_str().unwrap()],
    );
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}{}", text(&out.stderr));
    assert!(
        stdout.contains("- scrape job serviceMonitor/shop/api/0 (from ServiceMonitor shop/api): only in the live configuration"),
        "{stdout}"
    );
    assert!(
        stdout.contains("because ServiceMonitor shop/api is rejected by the operator"),
        "{stdout}"
    );
}

#[test]
fn errors_exit_2() {
    let server = ApiServer::start(FIXTURE);
    let dir = tempfile::tempdir().unwrap();
    // A Secret the operator has not written yet is one it would create, as `kubectl diff`
    // shows an object it would create (exit 1); decode-config has nothing to decode.
    let out = run(&server, dir.path(), &["diff", "prometheus", "k8s"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("+ Secret shop/prometheus-k8s: not in the cluster"),
        "{}",
        text(&out.stdout)
    );
    let out = run(&server, dir.path(), &["decode-config", "prometheus", "k8s"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("Secret shop/prometheus-k8s not found"));
    let out = run(&server, dir.path(), &["render", "prometheus", "nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("Prometheus shop/nope not found"));

    // Exit 1 means differences, as for kubectl diff: a broken local file is an error, 2.
    let server = ApiServer::start(&with_live_secret(&rendered_config()));
    let broken = dir.path().join("broken.yaml");
    std::fs::write(&broken, "apiVersion: v1\nkind: [\n").unwrap();
    let out = run(
        &server,
        dir.path(),
        &["diff", "prometheus", "k8s", "-f", broken.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
}

#[test]
fn an_unmanaged_configuration_has_nothing_to_compare() {
    let unmanaged = FIXTURE.replace(
        "  serviceMonitorSelector:\n    matchLabels:\n      team: frontend\n  serviceMonitorNamespaceSelector: {}\n",
        "",
    );
    assert_ne!(unmanaged, FIXTURE);
    let dir = tempfile::tempdir().unwrap();
    // The Secret the operator creates empty when it is missing, and one the user filled.
    let empty = format!(
        "{unmanaged}---\napiVersion: v1\nkind: Secret\nmetadata: {{name: prometheus-k8s, namespace: shop}}\n"
    );
    let users = format!(
        "{unmanaged}---\napiVersion: v1\nkind: Secret\nmetadata: {{name: prometheus-k8s, namespace: shop}}\n\
         data:\n  prometheus.yaml.gz: {}\n",
        decode::base64_encode(&decode::gzip(b"scrape_configs: [{job_name: mine}]\n").unwrap())
    );
    for input in [empty, users] {
        let server = ApiServer::start(&input);
        let out = run(&server, dir.path(), &["diff", "prometheus", "k8s"]);
        let stdout = text(&out.stdout);
        assert_exit(&out, 0);
        assert!(
            stdout.starts_with(
                "nothing to compare: the operator does not manage the configuration of \
                 Prometheus shop/k8s"
            ),
            "{stdout}"
        );
    }
}

#[test]
fn optional_crds_not_installed_are_a_note_not_an_error() {
    let config = rendered_config();
    let server = ApiServer::start(&with_live_secret(&config));
    for plural in ["/scrapeconfigs", "/prometheusagents"] {
        server.inject(crate::apiserver::Fault {
            times: usize::MAX,
            ..crate::apiserver::Fault::new(plural, 404)
        });
    }
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        &server,
        dir.path(),
        &["render", "prometheus", "k8s", "--show-secrets"],
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(text(&out.stdout), config);
    assert!(
        stderr.contains("scrapeconfigs.monitoring.coreos.com: not served by this cluster (is the ScrapeConfig CRD installed?)"),
        "{stderr}"
    );
    let out = run(&server, dir.path(), &["explain", "servicemonitor", "web"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("selected"),
        "{}",
        text(&out.stdout)
    );
    let out = run(&server, dir.path(), &["diff", "prometheus", "k8s"]);
    assert_exit(&out, 0);
}
