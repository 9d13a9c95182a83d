//! `render`, `diff`, `decode-config` and `validate` of an Alertmanager with three
//! AlertmanagerConfigs in two namespaces (issue #15): from files and against the loopback API
//! server, under each `alertmanagerConfigMatcherStrategy`, with no Secret value printed
//! unless asked.

use crate::common::{assert_exit, text};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::apiserver::{ApiServer, Fault};
use promop::decode;
use promop::operator::OperatorOptions;
use promop::snapshot::Snapshot;

const FIXTURE: &str = include_str!("../fixtures/alertmanager/objects.yaml");
const CHANGED_SLACK: &str = "tests/fixtures/alertmanager/slack-channel-changed.yaml";

/// Values held in Secrets: never printed without --show-secrets.
const SECRET_VALUES: &[&str] = &["SLACKSECRETTOKEN", "base-smtp-password-123"];

const STRATEGIES: &[&str] = &[
    "OnNamespace",
    "OnNamespaceExceptForAlertmanagerNamespace",
    "None",
];

fn with_strategy(strategy: &str) -> String {
    FIXTURE.replace(
        "alertmanagerConfigMatcherStrategy: {type: OnNamespace}",
        &format!("alertmanagerConfigMatcherStrategy: {{type: {strategy}}}"),
    )
}

/// The `alertmanager.yaml` the library generates for monitoring/main from `objects`.
fn generated(objects: &str) -> String {
    let mut snapshot = Snapshot::default();
    snapshot.load("fixture", objects).expect("fixture loads");
    let am = snapshot.alertmanagers.first().expect("an Alertmanager");
    let rendered =
        promop::instance::render_alertmanager(&snapshot, am, &OperatorOptions::default())
            .expect("generates");
    rendered.generated.configuration.text()
}

/// `objects` with Secret `alertmanager-main-generated` holding `config`, as the operator
/// writes it.
fn with_live_secret(objects: &str, config: &str) -> String {
    format!(
        "{objects}---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: alertmanager-main-generated\n  namespace: monitoring\n\
         data:\n  alertmanager.yaml.gz: {}\n",
        decode::base64_encode(&decode::gzip(config.as_bytes()).unwrap())
    )
}

fn binary() -> Command {
    Command::new(env!("CARGO_BIN_EXE_kubectl-promop"))
}

fn run_files(dir: &Path, objects: &str, args: &[&str]) -> Output {
    let file = dir.join("objects.yaml");
    std::fs::write(&file, objects).unwrap();
    binary()
        .args(args)
        .arg("-f")
        .arg(&file)
        .output()
        .expect("runs")
}

fn run_cluster(server: &ApiServer, dir: &Path, args: &[&str]) -> Output {
    let kubeconfig = server.write_kubeconfig(dir, "monitoring");
    binary()
        .args(args)
        .arg("--kubeconfig")
        .arg(&kubeconfig)
        .output()
        .expect("runs")
}

fn assert_no_secret_value(out: &Output) {
    let all = text(&out.stdout) + &text(&out.stderr);
    for value in SECRET_VALUES {
        assert!(!all.contains(value), "{value} printed:\n{all}");
    }
}

/// The block of the child route sending to `receiver`.
fn route_block<'a>(config: &'a str, receiver: &str) -> &'a str {
    let start = config
        .find(&format!("  - receiver: {receiver}\n"))
        .unwrap_or_else(|| panic!("no route to {receiver}:\n{config}"));
    let rest = &config[start + 4..];
    let end = rest.find("\n  - ").map_or(rest.len(), |e| e + 1);
    &rest[..end]
}

/// Whether each AlertmanagerConfig's route got its namespace matcher, per strategy.
fn assert_namespace_matchers(strategy: &str, config: &str) {
    let own = route_block(config, "monitoring/platform/ops-webhook");
    let other = route_block(config, "shop/slack/shop-slack");
    let (own_expected, other_expected) = match strategy {
        "OnNamespace" => (true, true),
        "OnNamespaceExceptForAlertmanagerNamespace" => (false, true),
        _ => (false, false),
    };
    assert_eq!(
        own.contains("namespace=\"monitoring\""),
        own_expected,
        "{strategy}:\n{config}"
    );
    assert_eq!(
        other.contains("namespace=\"shop\""),
        other_expected,
        "{strategy}:\n{config}"
    );
    assert!(own.contains("continue: true"), "{own}");
}

#[test]
fn render_from_files_under_each_matcher_strategy() {
    let dir = tempfile::tempdir().unwrap();
    for strategy in STRATEGIES {
        let objects = with_strategy(strategy);
        let out = run_files(
            dir.path(),
            &objects,
            &["render", "alertmanager", "main", "--show-secrets"],
        );
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let config = text(&out.stdout);
        assert_eq!(config, generated(&objects), "{strategy}");
        assert_namespace_matchers(strategy, &config);
        assert!(config.contains("SLACKSECRETTOKEN"), "{config}");
        assert!(!config.contains("shop/uses-base"), "{config}");
        let stderr = text(&out.stderr);
        assert!(
            stderr.contains("AlertmanagerConfig shop/uses-base is rejected by the operator")
                && stderr.contains("spec.route.receiver")
                && stderr.contains("base-only-pager"),
            "{stderr}"
        );
    }
}

#[test]
fn render_hides_alertmanager_secrets_unless_asked() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_files(dir.path(), FIXTURE, &["render", "am/main"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_no_secret_value(&out);
    let config = text(&out.stdout);
    assert!(config.contains("api_url: <secret>"), "{config}");
    assert!(config.contains("smtp_auth_password: <secret>"), "{config}");
    assert!(config.contains("url: <secret>"), "{config}");
    assert!(config.contains("channel: '#shop-alerts'"), "{config}");
    assert!(text(&out.stderr).contains("--show-secrets reveals them"));

    // Without a name, the only Alertmanager of the files.
    let out = run_files(dir.path(), FIXTURE, &["render", "-o", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_no_secret_value(&out);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["route"]["receiver"], "default-email");

    let refused = run_files(
        dir.path(),
        FIXTURE,
        &["render", "am/main", "--secret-payload"],
    );
    assert_eq!(refused.status.code(), Some(2));
    assert_no_secret_value(&refused);
    let payload = run_files(
        dir.path(),
        FIXTURE,
        &["render", "am/main", "--secret-payload", "--show-secrets"],
    );
    assert_eq!(payload.status.code(), Some(0), "{}", text(&payload.stderr));
    let gzipped = decode::base64_decode(text(&payload.stdout).trim()).unwrap();
    assert_eq!(decode::decode_config(&gzipped).unwrap(), generated(FIXTURE));
}

#[test]
fn validate_reports_the_rejected_alertmanager_config() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_files(dir.path(), FIXTURE, &["validate"]);
    let stdout = text(&out.stdout) + &text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    let line = stdout
        .lines()
        .find(|l| l.contains("AlertmanagerConfig shop/uses-base: spec.route.receiver:"))
        .unwrap_or_else(|| panic!("{stdout}"));
    // FILE:LINE: of the receiver field.
    let file = dir.path().join("objects.yaml");
    let receiver_line = FIXTURE
        .lines()
        .position(|l| l.contains("receiver: base-only-pager"))
        .unwrap()
        + 1;
    assert!(
        line.starts_with(&format!("{}:{receiver_line}: ", file.display())),
        "{line}"
    );
    assert!(line.contains("Alertmanager monitoring/main"), "{line}");
    assert!(!stdout.contains("shop/slack:"), "{stdout}");
    assert_no_secret_value(&out);
}

#[test]
fn render_from_the_cluster_under_each_matcher_strategy() {
    for strategy in STRATEGIES {
        let objects = with_strategy(strategy);
        let expected = generated(&objects);
        let server = ApiServer::start(&with_live_secret(&objects, &expected));
        let dir = tempfile::tempdir().unwrap();
        let out = run_cluster(
            &server,
            dir.path(),
            &["render", "alertmanager", "main", "--show-secrets"],
        );
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        assert_eq!(text(&out.stdout), expected, "{strategy}");
        assert_namespace_matchers(strategy, &expected);
        assert!(
            text(&out.stderr).contains("AlertmanagerConfig shop/uses-base is rejected"),
            "{}",
            text(&out.stderr)
        );
        // Secrets are read by name, only those referenced: the base configuration and the
        // Slack URL; never listed, never the generated one.
        let mut secret_reads: Vec<String> = server
            .requests()
            .into_iter()
            .filter(|r| r.contains("/secrets"))
            .collect();
        secret_reads.sort();
        assert_eq!(secret_reads.len(), 2, "{secret_reads:?}");
        assert!(secret_reads[0].contains("/namespaces/monitoring/secrets/alertmanager-main"));
        assert!(secret_reads[1].contains("/namespaces/shop/secrets/slack-webhook"));
        // AlertmanagerConfigs are listed once.
        let lists = server
            .requests()
            .into_iter()
            .filter(|r| r.contains("alertmanagerconfigs"))
            .count();
        assert_eq!(lists, 1);
    }
}

#[test]
fn diff_is_clean_against_what_the_operator_writes_and_names_the_changed_config() {
    let expected = generated(FIXTURE);
    let server = ApiServer::start(&with_live_secret(FIXTURE, &expected));
    let dir = tempfile::tempdir().unwrap();
    let out = run_cluster(&server, dir.path(), &["diff", "alertmanager", "main"]);
    assert_exit(&out, 0);
    assert!(text(&out.stdout).starts_with("no differences"));

    let changed: PathBuf = [env!("CARGO_MANIFEST_DIR"), CHANGED_SLACK].iter().collect();
    let changed = changed.to_string_lossy().into_owned();
    let out = run_cluster(
        &server,
        dir.path(),
        &["diff", "am/main", "-f", changed.as_str()],
    );
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}{}", text(&out.stderr));
    assert!(
        stdout.contains(
            "~ receiver shop/slack/shop-slack (from AlertmanagerConfig shop/slack): changed"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("  -  channel: '#shop-alerts'"), "{stdout}");
    assert!(stdout.contains("  +  channel: '#shop-oncall'"), "{stdout}");
    assert!(stdout.contains("1 difference(s) for Alertmanager monitoring/main"));
    assert_no_secret_value(&out);

    let shown = run_cluster(
        &server,
        dir.path(),
        &["diff", "am/main", "-f", changed.as_str(), "--show-secrets"],
    );
    assert!(text(&shown.stdout).contains("SLACKSECRETTOKEN"));
}

#[test]
fn diff_attributes_a_base_configuration_change() {
    let live = generated(FIXTURE).replace("group_by:\n  - alertname\n  routes:", "routes:");
    assert_ne!(live, generated(FIXTURE));
    let server = ApiServer::start(&with_live_secret(FIXTURE, &live));
    let dir = tempfile::tempdir().unwrap();
    let out = run_cluster(&server, dir.path(), &["diff", "alertmanager", "main"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}{}", text(&out.stderr));
    assert!(
        stdout.contains(
            "~ section route (from the base configuration, Secret monitoring/alertmanager-main): changed"
        ),
        "{stdout}"
    );
}

#[test]
fn decode_config_hides_alertmanager_secrets() {
    let server = ApiServer::start(&with_live_secret(FIXTURE, &generated(FIXTURE)));
    let dir = tempfile::tempdir().unwrap();
    let out = run_cluster(
        &server,
        dir.path(),
        &["decode-config", "alertmanager", "main"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_no_secret_value(&out);
    let config = text(&out.stdout);
    assert!(config.contains("api_url: <secret>"), "{config}");
    assert!(
        config.contains("receiver: shop/slack/shop-slack"),
        "{config}"
    );
    let shown = run_cluster(
        &server,
        dir.path(),
        &["decode-config", "am/main", "--show-secrets"],
    );
    assert_eq!(text(&shown.stdout), generated(FIXTURE));
}

/// `amtool` on PATH (the Debian package prometheus-alertmanager: 0.25, whose classic matcher
/// parser is Alertmanager 0.26's).
fn amtool() -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join("amtool"))
            .find(|path| path.is_file())
    });
    if found.is_none() {
        println!("skipped: amtool is not on PATH (Debian package prometheus-alertmanager)");
    }
    found
}

/// Whether `amtool check-config` accepts `config`, and what it printed.
fn amtool_accepts(amtool: &Path, dir: &Path, config: &[u8]) -> (bool, String) {
    let file = dir.join("alertmanager.yaml");
    std::fs::write(&file, config).unwrap();
    let checked = Command::new(amtool)
        .arg("check-config")
        .arg(&file)
        .output()
        .expect("amtool runs");
    (
        checked.status.success(),
        text(&checked.stdout) + &text(&checked.stderr),
    )
}

#[test]
fn amtool_accepts_the_rendered_configuration() {
    let Some(amtool) = amtool() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = run_files(
        dir.path(),
        FIXTURE,
        &[
            "render",
            "am/main",
            "--alertmanager-version",
            "v0.25.0",
            "--show-secrets",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let (accepted, said) = amtool_accepts(&amtool, dir.path(), &out.stdout);
    assert!(accepted, "{said}");
}

/// An Alertmanager 0.26 selecting one AlertmanagerConfig whose route sets `route_fields` and
/// whose inhibit rule sets `equal`.
fn classic_alertmanager_with(route_fields: &str, equal: &str) -> String {
    format!(
        "apiVersion: monitoring.coreos.com/v1\nkind: Alertmanager\n\
         metadata: {{name: main, namespace: monitoring}}\n\
         spec: {{version: v0.26.0, alertmanagerConfigSelector: {{}}, alertmanagerConfigNamespaceSelector: {{}}}}\n\
         ---\napiVersion: v1\nkind: Namespace\nmetadata: {{name: team-a}}\n\
         ---\napiVersion: monitoring.coreos.com/v1alpha1\nkind: AlertmanagerConfig\n\
         metadata: {{name: a, namespace: team-a}}\n\
         spec:\n  route: {{receiver: r0, routes: [{{receiver: r1, {route_fields}}}]}}\n\
         \x20 receivers: [{{name: r0}}, {{name: r1}}]\n\
         \x20 inhibitRules: [{{sourceMatch: [{{name: a, value: b, matchType: '='}}], equal: [{equal}]}}]\n"
    )
}

/// What `validate` says Alertmanager 0.26 refuses in the generated configuration is what amtool
/// (the same classic parser and label-name checks) refuses in what `render` writes.
#[test]
fn generated_matchers_and_label_names_are_judged_as_amtool_judges_them() {
    let Some(amtool) = amtool() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut cases: Vec<(String, String)> = [
        "team",
        "app.kubernetes.io/name",
        "a:b",
        "_x",
        "9x",
        "a-b",
        "a b",
        "ünï",
    ]
    .iter()
    .map(|name| {
        (
            format!("matchers: [{{name: '{name}', value: x, matchType: '='}}]"),
            "team".to_owned(),
        )
    })
    .collect();
    cases.push((
        "groupBy: [team, app.kubernetes.io/name]".to_owned(),
        "team".to_owned(),
    ));
    cases.push((
        "groupBy: [team]".to_owned(),
        "app.kubernetes.io/name".to_owned(),
    ));
    for (route_fields, equal) in cases {
        let objects = classic_alertmanager_with(&route_fields, &equal);
        let validated = run_files(dir.path(), &objects, &["validate"]);
        let rendered = run_files(dir.path(), &objects, &["render", "am/main"]);
        assert_exit(&rendered, 0);
        let (accepted, said) = amtool_accepts(&amtool, dir.path(), &rendered.stdout);
        let report = text(&validated.stdout);
        assert_eq!(
            validated.status.code() == Some(0),
            accepted,
            "{route_fields} / equal {equal}:\nvalidate: {report}amtool: {said}"
        );
        // validate quotes amtool's reason.
        if let Some(reason) = said.split("FAILED: ").nth(1).and_then(|r| r.lines().next()) {
            assert!(report.contains(reason), "{reason}\n{report}");
        }
    }
}

/// A time interval without `timeIntervals`, in a resource an Alertmanager selects, is an error
/// for that Alertmanager in validate and a note in explain (the operator takes the resource;
/// Alertmanager refuses what it writes), as amtool confirms.
#[test]
fn an_unnamed_time_interval_is_refused_by_each_selecting_alertmanager() {
    let dir = tempfile::tempdir().unwrap();
    let objects = format!(
        "{FIXTURE}---\napiVersion: monitoring.coreos.com/v1alpha1\nkind: AlertmanagerConfig\n\
         metadata: {{name: unnamed, namespace: shop, labels: {{alertmanager: main}}}}\n\
         spec:\n  route: {{receiver: r}}\n  receivers: [{{name: r}}]\n  muteTimeIntervals: [{{name: placeholder}}]\n"
    );
    let validated = run_files(dir.path(), &objects, &["validate"]);
    assert_exit(&validated, 1);
    let report = text(&validated.stdout);
    let error = report
        .lines()
        .find(|l| l.contains("AlertmanagerConfig shop/unnamed: spec.muteTimeIntervals[0]:"))
        .unwrap_or_else(|| panic!("{report}"));
    assert!(
        error.contains("missing name in mute time interval")
            && error.contains("Alertmanager monitoring/main")
            && !error.contains("warning:"),
        "{error}"
    );
    let explained = run_files(
        dir.path(),
        &objects,
        &["explain", "am", "main", "-n", "monitoring"],
    );
    assert_exit(&explained, 0);
    assert!(
        text(&explained.stdout).contains(
            "AlertmanagerConfig shop/unnamed spec.muteTimeIntervals[0]: \"placeholder\" has no \
             timeIntervals"
        ),
        "{}",
        text(&explained.stdout)
    );
    let Some(amtool) = amtool() else {
        return;
    };
    let rendered = run_files(
        dir.path(),
        &objects,
        &["render", "am/main", "--show-secrets"],
    );
    assert_exit(&rendered, 0);
    let (accepted, said) = amtool_accepts(&amtool, dir.path(), &rendered.stdout);
    assert!(!accepted, "{said}");
    assert!(
        said.contains("missing name in mute time interval"),
        "{said}"
    );
}

#[test]
fn a_missing_alertmanager_config_crd_is_a_note() {
    let server = ApiServer::start(FIXTURE);
    server.inject(Fault::new("alertmanagerconfigs", 404));
    let dir = tempfile::tempdir().unwrap();
    let out = run_cluster(&server, dir.path(), &["render", "am/main"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("is the AlertmanagerConfig CRD installed?"),
        "{stderr}"
    );
    // Only the base configuration is left; its receivers are not prefixed.
    assert!(
        !text(&out.stdout).contains("shop/slack"),
        "{}",
        text(&out.stdout)
    );
    assert_no_secret_value(&out);
}

#[test]
fn the_operators_alertmanager_config_namespaces_apply() {
    let deployment = "---\napiVersion: apps/v1\nkind: Deployment\n\
        metadata: {name: prometheus-operator, namespace: monitoring, labels: {app.kubernetes.io/name: prometheus-operator}}\n\
        spec:\n  selector: {matchLabels: {app: po}}\n  template:\n    metadata: {labels: {app: po}}\n    spec:\n      containers:\n\
        \x20     - name: prometheus-operator\n        image: quay.io/prometheus-operator/prometheus-operator:v0.93.0\n\
        \x20       args: ['--alertmanager-config-namespaces=monitoring']\n";
    let server = ApiServer::start(&format!("{FIXTURE}{deployment}"));
    let dir = tempfile::tempdir().unwrap();
    let out = run_cluster(&server, dir.path(), &["render", "am/main"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let config = text(&out.stdout);
    assert!(
        config.contains("monitoring/platform/ops-webhook"),
        "{config}"
    );
    assert!(!config.contains("shop/"), "{config}");
    // Not watched, so not checked: no rejection either.
    assert!(
        !text(&out.stderr).contains("rejected"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn every_command_says_the_operator_leaves_an_alertmanager_alone() {
    let deployment = "---\napiVersion: apps/v1\nkind: Deployment\n\
        metadata: {name: prometheus-operator, namespace: monitoring}\n\
        spec:\n  selector: {matchLabels: {app: po}}\n  template:\n    metadata: {labels: {app: po}}\n    spec:\n      containers:\n\
        \x20     - name: prometheus-operator\n        image: quay.io/prometheus-operator/prometheus-operator:v0.93.0\n\
        \x20       args: ['--alertmanager-instance-namespaces=elsewhere']\n";
    let dir = tempfile::tempdir().unwrap();
    let objects = format!("{FIXTURE}{deployment}");
    let said = "watches Alertmanager objects only in elsewhere";
    for args in [
        &["render", "alertmanager", "main", "-n", "monitoring"][..],
        &[
            "render",
            "statefulset",
            "alertmanager",
            "main",
            "-n",
            "monitoring",
        ],
        &[
            "route",
            "am/main",
            "-n",
            "monitoring",
            "--labels",
            "alertname=X",
        ],
    ] {
        let out = run_files(dir.path(), &objects, args);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(stderr.contains(said), "{args:?}: {stderr}");
    }
    let out = run_files(
        dir.path(),
        &objects,
        &[
            "explain",
            "alertmanager",
            "main",
            "-n",
            "monitoring",
            "-o",
            "json",
        ],
    );
    let explanation: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let notes = explanation["notes"].as_array().unwrap();
    assert!(
        notes
            .iter()
            .any(|n| n["code"] == "not-reconciled" && n["message"].as_str().unwrap().contains(said)),
        "{explanation}"
    );
}

#[test]
fn a_copied_configuration_with_nothing_to_hide_is_printed_as_stored() {
    let dir = tempfile::tempdir().unwrap();
    // No selector and no Secret: the operator copies its default configuration as is.
    let objects = "apiVersion: monitoring.coreos.com/v1\nkind: Alertmanager\nmetadata: {name: main, namespace: monitoring}\nspec: {}\n";
    let out = run_files(dir.path(), objects, &["render", "alertmanager", "main"]);
    assert_exit(&out, 0);
    assert_eq!(
        text(&out.stdout),
        promop::alertmanager::DEFAULT_CONFIGURATION
    );
}

/// The AlertmanagerConfig named by `spec.alertmanagerConfiguration` is the base configuration
/// whatever the selector says; with the selector unset, the others are not selected.
#[test]
fn explain_shows_the_base_configuration_without_a_selector() {
    let out = binary()
        .args(["explain", "am", "main", "-o", "json", "-f"])
        .arg("tests/fixtures/alertmanager/base-configuration-no-selector.yaml")
        .output()
        .expect("runs");
    assert_exit(&out, 0);
    let explanation: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let resources = explanation["resources"].as_array().unwrap();
    let verdict = |name: &str| {
        resources
            .iter()
            .find(|r| r["name"] == name)
            .unwrap_or_else(|| panic!("{name}: {explanation}"))
    };
    let base = verdict("base");
    assert_eq!(base["status"], "selected", "{base}");
    assert_eq!(
        base["reasons"][0]["field"], "spec.alertmanagerConfiguration.name",
        "{base}"
    );
    assert_eq!(base["reasons"][0]["remedy"], "", "{base}");
    let other = verdict("other");
    assert_eq!(other["status"], "not-selected", "{other}");
    assert_eq!(
        other["reasons"][0]["field"], "spec.alertmanagerConfigSelector",
        "{other}"
    );
}

/// A copied base configuration's key the reproduced types lack does not hide a refusal
/// further on: validate fails, route warns, explain notes it.
#[test]
fn a_refusal_after_an_unknown_copied_key_is_still_reported() {
    let dir = tempfile::tempdir().unwrap();
    let objects = include_str!("../fixtures/unit/copied_unknown_field.yaml")
        .replace("version: v0.33.1", "version: v0.26.0");
    let validated = run_files(dir.path(), &objects, &["validate"]);
    assert_exit(&validated, 1);
    let report = text(&validated.stdout);
    assert!(
        report.contains("bad matcher format: app.kubernetes.io/name=\"x\" [field]")
            && report.contains("warning: Secret monitoring/base (key alertmanager.yaml): yaml: unmarshal errors:\n  field webhook_url_file not found"),
        "{report}"
    );
    let routed = run_files(
        dir.path(),
        &objects,
        &[
            "route",
            "am",
            "main",
            "-n",
            "monitoring",
            "--labels",
            "app.kubernetes.io/name=x",
        ],
    );
    assert!(
        text(&routed.stderr).contains(
            "warning: Alertmanager v0.26.0 refuses to load the configuration the operator writes"
        ),
        "{}",
        text(&routed.stderr)
    );
    let explained = run_files(
        dir.path(),
        &objects,
        &["explain", "am", "main", "-n", "monitoring"],
    );
    assert_exit(&explained, 0);
    let explanation = text(&explained.stdout);
    assert!(
        explanation.contains("bad matcher format") && !explanation.contains("webhook_url_file"),
        "{explanation}"
    );
}

/// Feature flags that stop Alertmanager at start-up are an error in validate and a note in
/// explain.
#[test]
fn feature_flags_that_stop_alertmanager_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let objects = "apiVersion: monitoring.coreos.com/v1\nkind: Alertmanager\n\
                   metadata: {name: main, namespace: monitoring}\n\
                   spec: {version: v0.33.1, enableFeatures: [classic-mode, utf8-strict-mode]}\n";
    let validated = run_files(dir.path(), objects, &["validate"]);
    assert_exit(&validated, 1);
    assert!(
        text(&validated.stdout).contains(
            "Alertmanager monitoring/main: spec.enableFeatures: error parsing the feature flag \
             list: cannot have both classic and UTF-8 modes enabled"
        ),
        "{}",
        text(&validated.stdout)
    );
    let args = ["explain", "am", "main", "-n", "monitoring", "-o", "json"];
    let note = explain_note(dir.path(), objects, &args, "unstartable");
    assert!(note.contains("exits at start-up"), "{note}");
}

/// The message of the note with `code` that `explain … -o json` (`args`) gives for `objects`.
fn explain_note(dir: &Path, objects: &str, args: &[&str], code: &str) -> String {
    let out = run_files(dir, objects, args);
    assert_exit(&out, 0);
    let explanation: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    (explanation["notes"].as_array().unwrap().iter())
        .find(|n| n["code"] == code)
        .and_then(|n| n["message"].as_str())
        .unwrap_or_else(|| panic!("{explanation}"))
        .to_owned()
}

/// `explain` says when the Alertmanager will not load what the operator writes for it.
#[test]
fn explain_notes_what_the_alertmanager_version_refuses_to_load() {
    let dir = tempfile::tempdir().unwrap();
    let objects = classic_alertmanager_with(
        "matchers: [{name: app.kubernetes.io/name, value: x, matchType: '='}]",
        "team",
    );
    let note_of = |args: &[&str]| explain_note(dir.path(), &objects, args, "unloadable");
    let on_alertmanager = note_of(&["explain", "am", "main", "-n", "monitoring", "-o", "json"]);
    assert!(
        on_alertmanager.contains(
            "AlertmanagerConfig team-a/a spec.route.routes[0].matchers[0]: bad matcher format"
        ),
        "{on_alertmanager}"
    );
    let on_config = note_of(&["explain", "amcfg", "a", "-n", "team-a", "-o", "json"]);
    assert!(
        on_config.starts_with("Alertmanager v0.26.0 refuses to load"),
        "{on_config}"
    );
    // From 0.27 the fallback parser reads the name: no note.
    let newer = objects.replace("version: v0.26.0", "version: v0.27.0");
    let out = run_files(
        dir.path(),
        &newer,
        &["explain", "am", "main", "-n", "monitoring", "-o", "json"],
    );
    assert_exit(&out, 0);
    assert!(
        !text(&out.stdout).contains("unloadable"),
        "{}",
        text(&out.stdout)
    );
}

/// Audit 4 finding 2: offline and not strict, a Secret the input lacks is a warning only; its
/// empty stand-in is not checked as a URL or a key (upstream checks a value once it has read
/// it). A Secret in the input is still checked, and --strict still refuses the missing ones.
#[test]
fn validate_does_not_judge_the_stand_ins_of_unresolved_secrets() {
    let objects = include_str!("../fixtures/alertmanager/unresolved-url-secrets.yaml");
    let dir = tempfile::tempdir().unwrap();
    let out = run_files(dir.path(), objects, &["validate"]);
    let all = text(&out.stdout) + &text(&out.stderr);
    assert_exit(&out, 1);
    let unresolved: Vec<&str> = all
        .lines()
        .filter(|l| l.contains("AlertmanagerConfig team-a/unresolved"))
        .collect();
    assert_eq!(unresolved.len(), 6, "{all}");
    assert!(
        unresolved
            .iter()
            .all(|l| l.contains("warning: unresolved reference")),
        "{all}"
    );
    let resolved: Vec<&str> = all
        .lines()
        .filter(|l| l.contains("AlertmanagerConfig team-b/resolved"))
        .collect();
    assert_eq!(resolved.len(), 1, "{all}");
    assert!(resolved[0].contains("failed to validate URL"), "{all}");
    assert!(all.contains("1 error, 6 warnings"), "{all}");

    let strict = run_files(dir.path(), objects, &["validate", "--strict"]);
    let all = text(&strict.stdout) + &text(&strict.stderr);
    assert_exit(&strict, 1);
    assert!(
        all.contains("AlertmanagerConfig team-a/unresolved: spec.receivers[0].webhookConfigs[0].urlSecret: unable to get secret \"missing-hook\""),
        "{all}"
    );
    assert!(!all.contains("warning:"), "{all}");
}

/// Audit 4 finding 3: when the whole configuration cannot be generated, `explain am` says so
/// first and marks each selected AlertmanagerConfig as taking no effect (before: every one
/// "selected", nothing else).
#[test]
fn explain_alertmanager_says_when_the_configuration_cannot_be_generated() {
    let objects = include_str!("../fixtures/alertmanager/base-undefined-receiver.yaml");
    let dir = tempfile::tempdir().unwrap();
    let out = run_files(
        dir.path(),
        objects,
        &["explain", "am/main", "-n", "monitoring", "--color=never"],
    );
    // Printed, then exit 1: the operator refuses the input, as render's exit code says.
    assert_exit(&out, 1);
    let stdout = text(&out.stdout);
    let first_note = stdout
        .lines()
        .find(|l| l.starts_with("note:"))
        .unwrap_or_default();
    assert!(
        first_note.contains("the configuration cannot be generated")
            && first_note.contains("undefined receiver \"oncall\"")
            && first_note.contains("no AlertmanagerConfig takes effect"),
        "{stdout}"
    );
    let row = stdout
        .lines()
        .find(|l| l.contains(" shop ") && l.contains("selected"))
        .unwrap_or_else(|| panic!("{stdout}"));
    assert!(row.contains("does not take effect"), "{stdout}");

    let out = run_files(
        dir.path(),
        objects,
        &["explain", "am/main", "-n", "monitoring", "-o", "json"],
    );
    assert_exit(&out, 1);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["notes"][0]["code"], "generate-failed", "{json:#}");
}

/// Audit 4 finding 7: the global AlertmanagerConfig's row says its names are prefixed (render
/// writes `monitoring/global/default`), not "no prefixes".
#[test]
fn the_global_alertmanager_config_row_says_its_names_are_prefixed() {
    let objects = "apiVersion: monitoring.coreos.com/v1\nkind: Alertmanager\n\
        metadata: {name: main, namespace: monitoring}\nspec:\n  version: v0.28.1\n  \
        alertmanagerConfigSelector: {}\n  alertmanagerConfiguration: {name: global}\n---\n\
        apiVersion: monitoring.coreos.com/v1alpha1\nkind: AlertmanagerConfig\n\
        metadata: {name: global, namespace: monitoring}\nspec:\n  route: {receiver: default}\n  \
        receivers: [{name: default}]\n";
    let dir = tempfile::tempdir().unwrap();
    let out = run_files(
        dir.path(),
        objects,
        &["explain", "am/main", "-n", "monitoring", "-o", "json"],
    );
    assert_exit(&out, 0);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let message = json["resources"][0]["reasons"][0]["message"]
        .as_str()
        .unwrap_or_default();
    assert!(
        message.contains("prefixed with namespace/name/"),
        "{json:#}"
    );
    assert!(!message.contains("no prefixes"), "{json:#}");
    let rendered = run_files(
        dir.path(),
        objects,
        &["render", "am/main", "-n", "monitoring"],
    );
    assert!(
        text(&rendered.stdout).contains("- name: monitoring/global/default"),
        "{}",
        text(&rendered.stdout)
    );
}

/// Audit 4 finding 8: an AlertmanagerConfig without spec.route contributes only its inhibit
/// rules; explain amcfg says so (before: nothing, the receivers seemingly merged).
#[test]
fn explain_amcfg_says_a_resource_without_a_route_is_left_out() {
    let objects = "apiVersion: monitoring.coreos.com/v1\nkind: Alertmanager\n\
        metadata: {name: main, namespace: monitoring}\nspec:\n  version: v0.28.1\n  \
        alertmanagerConfigSelector: {}\n  alertmanagerConfigNamespaceSelector: {}\n---\n\
        apiVersion: monitoring.coreos.com/v1alpha1\nkind: AlertmanagerConfig\n\
        metadata: {name: receivers-only, namespace: shop}\nspec:\n  \
        receivers: [{name: pager}]\n";
    let dir = tempfile::tempdir().unwrap();
    let out = run_files(
        dir.path(),
        objects,
        &[
            "explain",
            "amcfg/receivers-only",
            "-n",
            "shop",
            "-o",
            "json",
        ],
    );
    assert_exit(&out, 0);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let note = json["notes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["code"] == "no-route")
        .unwrap_or_else(|| panic!("{json:#}"));
    assert!(
        note["message"]
            .as_str()
            .unwrap()
            .contains("leaves out its receivers and time intervals"),
        "{json:#}"
    );
    assert_eq!(json["receivers"], serde_json::json!([]), "{json:#}");
}
