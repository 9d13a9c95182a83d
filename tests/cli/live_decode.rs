//! `kubectl-promop decode-config` (and `render` from the cluster) against the loopback API server.

use std::path::Path;
use std::process::Output;

use crate::apiserver::{ApiServer, Fault};
use crate::common::NO_OPERATOR_WARNING;
use promop::decode;

const CONFIG: &str = "global:\n  scrape_interval: 30s\n  external_labels:\n    prometheus: shop/k8s\n    \
prometheus_replica: $(POD_NAME)\nscrape_configs:\n- job_name: serviceMonitor/shop/web/0\n  honor_labels: false\n  \
relabel_configs:\n  - source_labels:\n    - __tmp_hash\n    regex: $(SHARD)\n    action: keep\n\
- job_name: serviceMonitor/shop/web-2/0\n  metrics_path: /m\n- job_name: podMonitor/db/pg/0\n  \
basic_auth:\n    username: admin\n    password: hunter2\n";

/// A Secret named `name` in `shop` whose `key` holds `payload` (base64 of it in `data`).
fn secret(name: &str, key: &str, payload: &[u8]) -> String {
    format!(
        "---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: {name}\n  namespace: shop\ndata:\n  {key}: {}\n",
        decode::base64_encode(payload)
    )
}

fn config_secret(config: &str) -> String {
    secret(
        "prometheus-k8s",
        "prometheus.yaml.gz",
        &decode::gzip(config.as_bytes()).unwrap(),
    )
}

fn run(server: &ApiServer, dir: &Path, args: &[&str]) -> Output {
    crate::common::run_against(server, dir, "shop", args)
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn prints_the_configuration_byte_for_byte() {
    let config = CONFIG.replace(
        "  basic_auth:\n    username: admin\n    password: hunter2\n",
        "",
    );
    let server = ApiServer::start(&config_secret(&config));
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["decode-config", "prometheus", "k8s"][..],
        &["decode-config", "prom/k8s"],
        // An empty -n (a script's unset variable) means the context's namespace, as in kubectl.
        &["decode-config", "prom/k8s", "-n", ""],
        &["decode-config", "prom/k8s", "--namespace="],
    ] {
        let out = run(&server, dir.path(), args);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert_eq!(stdout(&out), config);
    }
}

#[test]
fn credentials_are_hidden_unless_asked() {
    let server = ApiServer::start(&config_secret(CONFIG));
    let dir = tempfile::tempdir().unwrap();
    let out = run(&server, dir.path(), &["decode-config", "prometheus", "k8s"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!stdout(&out).contains("hunter2"));
    assert!(stdout(&out).contains("password: <secret>"));
    // The username too: the operator reads it from a Secret.
    assert!(stdout(&out).contains("username: <secret>"));
    assert!(stderr(&out).contains("--show-secrets"));
    let out = run(
        &server,
        dir.path(),
        &["decode-config", "prometheus", "k8s", "--show-secrets"],
    );
    assert_eq!(stdout(&out), CONFIG);
}

#[test]
fn filters_jobs_by_pattern_and_by_resource() {
    let server = ApiServer::start(&config_secret(CONFIG));
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        &server,
        dir.path(),
        &[
            "decode-config",
            "prom",
            "k8s",
            "--for",
            "servicemonitor/web",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with("scrape_configs:\n- job_name: serviceMonitor/shop/web/0\n"));
    assert!(!text.contains("web-2") && !text.contains("global"));

    let out = run(
        &server,
        dir.path(),
        &[
            "decode-config",
            "prom",
            "k8s",
            "--job",
            "^podMonitor/",
            "-o",
            "json",
        ],
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["scrape_configs"][0]["job_name"], "podMonitor/db/pg/0");
    assert_eq!(
        json["scrape_configs"][0]["basic_auth"]["password"],
        "<secret>"
    );
    assert_eq!(json["scrape_configs"].as_array().map(Vec::len), Some(1));

    // A Probe the cluster does not have is a mistake, not an empty answer.
    let out = run(
        &server,
        dir.path(),
        &["decode-config", "prom", "k8s", "--for", "probe/nothing"],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(
            "--for: Probe shop/nothing not found (in another namespace: --for probe/NAMESPACE/nothing)"
        ),
        "{}",
        stderr(&out)
    );
    let probe = "---\napiVersion: monitoring.coreos.com/v1\nkind: Probe\n\
                 metadata: {name: nothing, namespace: shop}\nspec: {}\n";
    let server = ApiServer::start(&(config_secret(CONFIG) + probe));
    let out = run(
        &server,
        dir.path(),
        &["decode-config", "prom", "k8s", "--for", "probe/nothing"],
    );
    assert_eq!(stdout(&out), "scrape_configs: []\n");
    assert!(stderr(&out).contains("Probe shop/nothing produces no scrape job"));
}

/// A configuration sharded by zone, as the operator writes it under topology sharding.
const ZONED: &str = "global:\n  external_labels:\n    prometheus_replica: $(POD_NAME)\n    zone: $(TOPOLOGY_ZONE)\n\
scrape_configs:\n- job_name: serviceMonitor/shop/web/0\n  relabel_configs:\n  - regex: $(INZONE_SHARD)\n    action: keep\n";

/// Prometheus `shop/k8s`: 2 replicas of 4 shards over zones a and b.
const ZONED_PROMETHEUS: &str = "---\napiVersion: monitoring.coreos.com/v1\nkind: Prometheus\n\
metadata:\n  name: k8s\n  namespace: shop\nspec:\n  replicas: 2\n  shards: 4\n  shardingStrategy:\n    mode: Topology\n    \
topology:\n      values: [a, b]\n";

/// The operator's Deployment, started with `args`.
fn operator(args: &str) -> String {
    format!(
        "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: prometheus-operator\n  \
         namespace: ops\n  labels:\n    app.kubernetes.io/name: prometheus-operator\nspec:\n  \
         selector:\n    matchLabels:\n      app: po\n  template:\n    metadata:\n      labels:\n        \
         app: po\n    spec:\n      containers:\n      - name: prometheus-operator\n        \
         image: quay.io/prometheus-operator/prometheus-operator:v0.93.0\n        args: {args}\n"
    )
}

fn expand(server: &ApiServer, dir: &Path, shard: &str, extra: &[&str]) -> Output {
    let mut args = vec![
        "decode-config",
        "prom",
        "k8s",
        "--expand-env",
        "--replica",
        "1",
        "--shard",
        shard,
    ];
    args.extend(extra);
    run(server, dir, &args)
}

#[test]
fn expands_the_reloader_variables() {
    // Without the Prometheus, the values are those of a default spec, said so.
    let server = ApiServer::start(&config_secret(CONFIG));
    let dir = tempfile::tempdir().unwrap();
    let out = expand(&server, dir.path(), "2", &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("prometheus_replica: prometheus-k8s-shard-2-1\n"),
        "{text}"
    );
    assert!(text.contains("regex: 2\n"), "{text}");
    assert!(
        stderr(&out).contains(
            "Prometheus shop/k8s not found: $(POD_NAME), $(SHARD) given as for an instance with \
             a default spec"
        ),
        "{}",
        stderr(&out)
    );
}

#[test]
fn topology_sharding_gives_each_shard_its_zone() {
    let server = ApiServer::start(&(config_secret(ZONED) + ZONED_PROMETHEUS));
    let dir = tempfile::tempdir().unwrap();
    let out = expand(&server, dir.path(), "3", &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        ZONED
            .replace("$(POD_NAME)", "prometheus-k8s-shard-3-1")
            .replace("$(TOPOLOGY_ZONE)", "b")
            .replace("$(INZONE_SHARD)", "1"),
        "{}",
        stderr(&out)
    );
    // No operator Deployment: its default feature gates, said so.
    assert_eq!(
        stderr(&out),
        format!(
            "{NO_OPERATOR_WARNING}warning: the operator's flags are unknown: feature gate \
             PrometheusTopologySharding taken as enabled (its default)\n"
        )
    );
    let out = expand(&server, dir.path(), "2", &["--zone", "c"]);
    assert!(stdout(&out).contains("zone: c\n"), "{}", stdout(&out));
    assert!(stdout(&out).contains("regex: 1\n"), "{}", stdout(&out));

    // An operator with the gate off does not shard by zone: the variables are not set.
    let gate_off = config_secret(ZONED)
        + ZONED_PROMETHEUS
        + &operator("[--feature-gates=PrometheusTopologySharding=false]");
    let server = ApiServer::start(&gate_off);
    let out = expand(&server, dir.path(), "3", &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("regex: $(INZONE_SHARD)\n"),
        "{}",
        stdout(&out)
    );
    assert!(
        stderr(&out).contains("$(INZONE_SHARD) is not set by the config-reloader here; left as is"),
        "{}",
        stderr(&out)
    );
    assert!(
        !stderr(&out).contains("flags are unknown"),
        "{}",
        stderr(&out)
    );
    // The instance and the operator's flags cost one GET and one LIST.
    let requests = server.requests();
    let reads: Vec<&String> = requests
        .iter()
        .filter(|r| r.contains("/prometheuses") || r.contains("/deployments"))
        .collect();
    assert_eq!(reads.len(), 2, "{requests:?}");
}

#[test]
fn an_operator_deployment_without_the_upstream_label_is_read() {
    // As the kube-prometheus-stack Helm chart names and labels it: only the image says it is
    // the operator.
    let helm = operator("[--feature-gates=PrometheusTopologySharding=false]")
        .replace(
            "app.kubernetes.io/name: prometheus-operator",
            "app.kubernetes.io/name: kube-prometheus-stack-prometheus-operator",
        )
        .replace(
            "- name: prometheus-operator",
            "- name: kube-prometheus-stack",
        );
    let server = ApiServer::start(&(config_secret(ZONED) + ZONED_PROMETHEUS + &helm));
    let dir = tempfile::tempdir().unwrap();
    let out = expand(&server, dir.path(), "3", &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // The gate is off: no zone variables, and no warning that the flags are unknown.
    assert!(
        stdout(&out).contains("regex: $(INZONE_SHARD)\n"),
        "{}",
        stdout(&out)
    );
    assert!(
        !stderr(&out).contains("flags are unknown") && !stderr(&out).contains("Deployment"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn an_unreadable_instance_leaves_the_topology_variables_alone() {
    let server = ApiServer::start(&(config_secret(ZONED) + ZONED_PROMETHEUS));
    server.inject(Fault {
        times: 10,
        ..Fault::new("/prometheuses/k8s", 403)
    });
    let dir = tempfile::tempdir().unwrap();
    let out = expand(&server, dir.path(), "3", &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("prometheus_replica: prometheus-k8s-shard-3-1\n"),
        "{text}"
    );
    assert!(text.contains("zone: $(TOPOLOGY_ZONE)\n"), "{text}");
    assert!(text.contains("regex: $(INZONE_SHARD)\n"), "{text}");
    let warnings = stderr(&out);
    assert!(warnings.contains("forbidden (403)"), "{warnings}");
    assert!(
        warnings.contains("$(POD_NAME) given as for an instance with a default spec"),
        "{warnings}"
    );
    assert!(
        warnings.contains(
            "$(INZONE_SHARD) is left as is: the operator sets it from the instance's spec, \
             which could not be read"
        ),
        "{warnings}"
    );
}

#[test]
fn names_from_the_cluster_are_escaped_and_secrets_never_read() {
    // A variable the user adds to the config-reloader, read from a Secret with a hostile name.
    let patched = ZONED_PROMETHEUS.to_owned()
        + "  containers:\n  - name: config-reloader\n    env:\n    - name: INZONE_SHARD\n      \
           valueFrom:\n        secretKeyRef:\n          name: \"s\\e[31m\"\n          key: k\n";
    let fixture = config_secret(ZONED)
        + &patched
        + "---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: \"s\\e[31m\"\n  namespace: shop\n\
           stringData:\n  k: hunter2\n";
    let server = ApiServer::start(&fixture);
    let dir = tempfile::tempdir().unwrap();
    let out = expand(&server, dir.path(), "1", &["--show-secrets"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!stdout(&out).contains("hunter2"));
    assert!(
        stdout(&out).contains("regex: $(INZONE_SHARD)\n"),
        "{}",
        stdout(&out)
    );
    let warnings = stderr(&out);
    assert!(
        warnings.contains(
            "$(INZONE_SHARD) is left as is: it holds key k of Secret s\\x1b[31m, which is not \
             read here"
        ),
        "{warnings}"
    );
    assert!(!warnings.contains('\u{1b}'), "{warnings}");
    assert!(
        !server.requests().iter().any(|r| r.contains("/secrets/s")),
        "{:?}",
        server.requests()
    );
}

#[test]
fn reports_sizes() {
    let server = ApiServer::start(&config_secret(CONFIG));
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        &server,
        dir.path(),
        &["decode-config", "prom", "k8s", "--size", "-o", "json"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let compressed = decode::gzip(CONFIG.as_bytes()).unwrap().len();
    assert_eq!(json["uncompressedBytes"], CONFIG.len());
    assert_eq!(json["compressedBytes"], compressed);
    assert_eq!(json["headroomBytes"], 1024 * 1024 - compressed);
    let out = run(
        &server,
        dir.path(),
        &["decode-config", "prom", "k8s", "--size"],
    );
    assert!(stdout(&out).contains("headroom_bytes:"));
}

#[test]
fn reads_alertmanager_and_agent_secrets() {
    let am = "route:\n  receiver: x\nreceivers:\n- name: x\n  slack_configs:\n  - api_url: https://hooks/T0\n";
    let fixture = secret(
        "alertmanager-main-generated",
        "alertmanager.yaml.gz",
        &decode::gzip(am.as_bytes()).unwrap(),
    ) + &secret(
        "prom-agent-a",
        "prometheus.yaml.gz",
        &decode::gzip(b"scrape_configs: []\n").unwrap(),
    );
    let server = ApiServer::start(&fixture);
    let dir = tempfile::tempdir().unwrap();
    let out = run(&server, dir.path(), &["decode-config", "am", "main"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("api_url: <secret>"));
    let out = run(&server, dir.path(), &["decode-config", "prometheusagent/a"]);
    assert_eq!(stdout(&out), "scrape_configs: []\n");
}

fn assert_fails(out: &Output, message: &str) {
    assert_eq!(out.status.code(), Some(2), "{}", stderr(out));
    assert!(stderr(out).contains(message), "{}", stderr(out));
    assert!(out.stdout.is_empty());
}

#[test]
fn broken_payloads_are_clear_errors() {
    // 80 gzip members of 1 MiB each: a small payload that decompresses past the 64 MiB bound.
    let member = decode::gzip(&vec![b'a'; 1024 * 1024]).unwrap();
    let bomb: Vec<u8> = std::iter::repeat_n(member, 80).flatten().collect();
    let fixture = secret(
        "prometheus-corrupt",
        "prometheus.yaml.gz",
        b"not gzip at all",
    ) + &secret("prometheus-nokey", "other.txt", b"x")
        + &secret("prometheus-bomb", "prometheus.yaml.gz", &bomb);
    let server = ApiServer::start(&fixture);
    let dir = tempfile::tempdir().unwrap();
    let out = run(&server, dir.path(), &["decode-config", "prom", "corrupt"]);
    assert_fails(
        &out,
        "Secret shop/prometheus-corrupt, key prometheus.yaml.gz: invalid gzip data",
    );
    let out = run(&server, dir.path(), &["decode-config", "prom", "nokey"]);
    assert_fails(&out, "has no key prometheus.yaml.gz (keys: other.txt)");
    let out = run(&server, dir.path(), &["decode-config", "prom", "missing"]);
    assert_fails(&out, "Secret shop/prometheus-missing not found");
    let out = run(&server, dir.path(), &["decode-config", "prom", "bomb"]);
    assert_fails(
        &out,
        "decompressed data exceeds the limit of 67108864 bytes",
    );
    let out = run(
        &server,
        dir.path(),
        &[
            "decode-config",
            "prom",
            "bomb",
            "--max-decompressed-bytes",
            "1000",
        ],
    );
    assert_fails(&out, "exceeds the limit of 1000 bytes");
    let out = run(&server, dir.path(), &["decode-config", "pod", "x"]);
    assert_fails(&out, "unknown resource type \"pod\"");
}

/// Serves a realistic Secret for scripts/bench-decode.sh: writes the kubeconfig into
/// $BENCH_DIR and serves until $BENCH_DIR/stop exists.
#[test]
#[ignore = "started by scripts/bench-decode.sh"]
fn serve_for_bench() {
    let dir = std::path::PathBuf::from(std::env::var("BENCH_DIR").expect("BENCH_DIR"));
    let mut config = String::from("global:\n  scrape_interval: 30s\nscrape_configs:\n");
    for i in 0..400 {
        config.push_str(&format!(
            "- job_name: serviceMonitor/shop/app-{i}/0\n  honor_labels: false\n  kubernetes_sd_configs:\n  \
             - role: endpoints\n    namespaces:\n      names:\n      - shop\n  relabel_configs:\n  \
             - source_labels:\n    - job\n    target_label: __tmp_prometheus_job_name\n  - action: keep\n    \
             source_labels:\n    - __meta_kubernetes_service_label_app\n    regex: app-{i}\n"
        ));
    }
    std::fs::write(dir.join("config.yaml"), &config).unwrap();
    let server = ApiServer::start(&config_secret(&config));
    server.write_kubeconfig(&dir, "shop");
    std::fs::write(dir.join("ready"), server.url()).unwrap();
    while !dir.join("stop").exists() {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

#[test]
fn a_missing_secret_of_an_unreadable_instance_says_why() {
    let server = ApiServer::start("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n");
    server.inject(Fault {
        times: 10,
        ..Fault::new("/prometheuses/k8s", 403)
    });
    let dir = tempfile::tempdir().unwrap();
    let out = run(&server, dir.path(), &["decode-config", "prom/k8s"]);
    assert_eq!(out.status.code(), Some(2));
    let error = stderr(&out);
    assert!(
        error.contains("Secret shop/prometheus-k8s not found: whether Prometheus shop/k8s exists cannot be told:"),
        "{error}"
    );
    assert!(error.contains("forbidden (403)"), "{error}");
}
