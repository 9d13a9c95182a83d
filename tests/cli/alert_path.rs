//! Where does this alert go (issue #17): `route` and `explain` for Alertmanagers,
//! AlertmanagerConfigs and PrometheusRules, each scenario from files (`-f`) and against the
//! loopback API server (whose `-generated` Secrets hold what the library renders), and,
//! where amtool is installed, checked against `amtool config routes test`.

use std::process::Command;

use crate::apiserver::ApiServer;
use promop::decode;
use promop::explain::alert_path;
use promop::operator::OperatorOptions;
use promop::snapshot::Snapshot;
use serde_json::Value;

const FIXTURE: &str = include_str!("../fixtures/alert_path/cluster.yaml");
const FIXTURE_PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/alert_path/cluster.yaml"
);

/// Where the binary reads objects from.
#[derive(Clone, Copy, Debug)]
enum Source {
    Files,
    Cluster,
}

const BOTH: [Source; 2] = [Source::Files, Source::Cluster];

fn snapshot() -> Snapshot {
    promop::snapshot::load("fixture", FIXTURE)
        .expect("fixture loads")
        .0
}

/// The configuration the library renders for Alertmanager `name` of the fixture.
fn rendered(name: &str) -> String {
    let snapshot = snapshot();
    let am = snapshot
        .alertmanagers
        .iter()
        .find(|a| a.metadata.name.as_deref() == Some(name))
        .expect("Alertmanager in the fixture");
    alert_path::rendered_alertmanager_config(&snapshot, am, &OperatorOptions::default())
        .expect("renders")
        .text
}

/// The fixture with the `-generated` Secrets the operator would have written.
fn cluster_fixture() -> String {
    let mut text = FIXTURE.to_owned();
    for name in ["main", "global"] {
        let payload = decode::gzip(rendered(name).as_bytes()).expect("gzips");
        text.push_str(&format!(
            "---\napiVersion: v1\nkind: Secret\nmetadata: {{name: alertmanager-{name}-generated, namespace: monitoring}}\n\
             data:\n  alertmanager.yaml.gz: {}\n",
            decode::base64_encode(&payload)
        ));
    }
    text
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(source: Source, args: &[&str]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kubectl-promop"));
    command.args(args).arg("--color=never");
    let dir = tempfile::tempdir().unwrap();
    let _server = match source {
        Source::Files => {
            command.args(["-f", FIXTURE_PATH]);
            None
        }
        Source::Cluster => {
            let server = ApiServer::start(&cluster_fixture());
            command
                .arg("--kubeconfig")
                .arg(server.write_kubeconfig(dir.path(), "monitoring"));
            Some(server)
        }
    };
    finished(command)
}

/// Runs `command` and collects what it left.
fn finished(mut command: Command) -> Run {
    let output = command.output().expect("run kubectl-promop");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn json(source: Source, args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["-o", "json"]);
    if matches!(source, Source::Files) && !all.contains(&"-n") {
        all.extend(["-n", "monitoring"]);
    }
    let out = run(source, &all);
    assert_eq!(
        out.code, 0,
        "{source:?} {args:?}\nstderr: {}\nstdout: {}",
        out.stderr, out.stdout
    );
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", out.stdout))
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("not a list: {value}"))
        .iter()
        .map(|v| v.as_str().unwrap_or_default().to_owned())
        .collect()
}

fn resource<'v>(explanation: &'v Value, namespace: &str, name: &str) -> &'v Value {
    explanation["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["namespace"] == namespace && r["name"] == name)
        .unwrap_or_else(|| panic!("{namespace}/{name} missing: {explanation:#}"))
}

fn tried<'v>(route: &'v Value, path: &str) -> &'v Value {
    route["trace"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["path"] == path)
        .unwrap_or_else(|| panic!("route {path:?} not tried: {route:#}"))
}

const SHOP_CRITICAL: &str = "alertname=ShopDown,namespace=shop,severity=critical";
const SATURDAY: &str = "2024-01-06T10:00:00Z";
const MONDAY: &str = "2024-01-08T10:00:00Z";

#[test]
fn amcfg_in_monitoring_misses_shop_under_on_namespace_and_catches_it_under_none() {
    for source in BOTH {
        let main = json(
            source,
            &[
                "route",
                "am/main",
                "--labels",
                SHOP_CRITICAL,
                "--at",
                SATURDAY,
            ],
        );
        assert_eq!(
            strings(&main["receivers"]),
            ["shop/shop-team/shop-pager", "oncall"],
            "{source:?}"
        );
        let platform = tried(&main, "0");
        assert_eq!(platform["matched"], false);
        assert_eq!(platform["origin"], "AlertmanagerConfig monitoring/platform");
        assert_eq!(
            platform["matchers"][0]["matcher"],
            "namespace=\"monitoring\""
        );
        assert_eq!(platform["matchers"][0]["injected"], true);
        assert_eq!(platform["matchers"][0]["matched"], false);

        let global = json(
            source,
            &[
                "route",
                "alertmanager",
                "global",
                "--labels",
                SHOP_CRITICAL,
                "--at",
                SATURDAY,
            ],
        );
        assert_eq!(
            strings(&global["receivers"]),
            [
                "monitoring/platform/platform-team",
                "shop/shop-team/shop-pager",
                "team-a/override/team-a-hook",
                "oncall"
            ],
            "{source:?}"
        );
    }
    let explained = json(
        Source::Files,
        &["explain", "amcfg", "platform", "--alertmanager", "global"],
    );
    let codes: Vec<&str> = explained["routes"][0]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["code"].as_str())
        .collect();
    assert!(codes.contains(&"no-namespace-matcher"), "{codes:?}");
}

#[test]
fn users_namespace_matcher_is_overridden() {
    for source in BOTH {
        let explained = json(
            source,
            &[
                "explain",
                "amcfg/override",
                "-n",
                "team-a",
                "--alertmanager",
                "monitoring/main",
            ],
        );
        assert_eq!(explained["generatedFor"], "Alertmanager monitoring/main");
        let route = &explained["routes"][0];
        assert_eq!(route["path"], "route.routes[2]");
        let overridden = route["changes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["code"] == "matcher-overridden")
            .unwrap_or_else(|| panic!("no override marked: {route:#}"));
        assert!(
            overridden["message"]
                .as_str()
                .unwrap()
                .contains("namespace=\"shop\""),
            "{overridden}"
        );
        assert!(
            route["yaml"]
                .as_str()
                .unwrap()
                .contains("namespace=\"team-a\"")
        );
        let routed = json(
            source,
            &[
                "route",
                "am",
                "main",
                "--labels",
                SHOP_CRITICAL,
                "--at",
                SATURDAY,
            ],
        );
        let hook = tried(&routed, "2");
        assert_eq!(hook["matched"], false);
        assert_eq!(
            hook["matchers"][0]["matched"], true,
            "the user's own matcher holds"
        );
        assert_eq!(hook["matchers"][1]["injected"], true);
        assert_eq!(hook["matchers"][1]["matched"], false);
    }
}

#[test]
fn forced_continue_reaches_two_receivers() {
    for source in BOTH {
        let routed = json(
            source,
            &[
                "route",
                "am/main",
                "--labels",
                SHOP_CRITICAL,
                "--at",
                SATURDAY,
            ],
        );
        assert_eq!(tried(&routed, "1")["continued"], true);
        let origins: Vec<&str> = routed["routes"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|r| r["origin"].as_str())
            .collect();
        assert_eq!(
            origins,
            ["AlertmanagerConfig shop/shop-team", "base configuration"]
        );
        assert_eq!(strings(&routed["notified"]).len(), 2);
        let explained = json(source, &["explain", "amcfg", "shop-team", "-n", "shop"]);
        assert!(
            explained["routes"][0]["changes"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["code"] == "forced-continue")
        );
        assert_eq!(explained["receivers"].as_array().unwrap().len(), 2);
        assert_eq!(
            explained["timeIntervals"][0]["changes"][0]["code"],
            "prefixed-name"
        );
    }
}

/// `explain ARGS -o json` on `alertmanager/v1beta1.yaml` alone (from files only: an API server
/// serves the object converted, and its stored form says nothing of what was written).
fn v1beta1_json(args: &[&str]) -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/alertmanager/v1beta1.yaml"
    );
    let output = Command::new(env!("CARGO_BIN_EXE_kubectl-promop"))
        .args(args)
        .args(["-o", "json", "--color=never", "-f", path])
        .output()
        .expect("run kubectl-promop");
    assert!(output.status.success(), "{args:?}: {output:?}");
    serde_json::from_slice(&output.stdout).expect("json")
}

#[test]
fn v1beta1_amcfg_fields_are_named_as_written() {
    let office = v1beta1_json(&["explain", "amcfg", "office", "-n", "team"]);
    assert_eq!(
        office["timeIntervals"][0]["source"],
        "spec.timeIntervals[0]"
    );
    let explained = v1beta1_json(&["explain", "am", "main"]);
    let reason = &resource(&explained, "team", "night")["reasons"][0];
    assert_eq!(
        reason["field"],
        "spec.timeIntervals[0].timeIntervals[0].times[0]"
    );
    assert_eq!(reason["value"]["startTime"], "18:00");
    assert!(
        reason["remedy"]
            .as_str()
            .unwrap()
            .contains("correct spec.timeIntervals[0]"),
        "{reason}"
    );
}

#[test]
fn amcfg_rejected_for_a_receiver_only_in_the_base_configuration() {
    for source in BOTH {
        let explained = json(source, &["explain", "am", "main"]);
        let rejected = resource(&explained, "shop", "uses-base");
        assert_eq!(rejected["kind"], "AlertmanagerConfig");
        assert_eq!(rejected["status"], "rejected");
        assert_eq!(rejected["reasons"][0]["field"], "spec.route.receiver");
        let message = rejected["reasons"][0]["message"].as_str().unwrap();
        assert!(
            message.contains("receiver \"oncall\" not found"),
            "{message}"
        );
        let reason = &rejected["reasons"][0];
        assert!(
            reason["remedy"]
                .as_str()
                .unwrap()
                .contains("define the receiver in this resource"),
            "{reason:#}"
        );
        assert_eq!(reason["object"], "AlertmanagerConfig shop/uses-base");
        assert_eq!(reason["value"], "oncall", "{reason:#}");
        assert_eq!(explained["summary"]["rejected"], 1);
        assert_eq!(explained["summary"]["selected"], 3);
    }
}

#[test]
fn nil_versus_empty_alertmanager_config_selector() {
    for source in BOTH {
        let nil = json(source, &["explain", "am", "nil-selector"]);
        for r in nil["resources"].as_array().unwrap() {
            assert_eq!(r["status"], "not-selected", "{r}");
            assert_eq!(r["reasons"][0]["code"], "no-selector", "{r}");
        }
        assert!(
            nil["notes"]
                .as_array()
                .unwrap()
                .iter()
                .any(|n| n["code"] == "unmanaged")
        );
        let empty = json(source, &["explain", "am", "empty-selector"]);
        assert_eq!(
            resource(&empty, "monitoring", "platform")["status"],
            "selected"
        );
        let shop = resource(&empty, "shop", "shop-team");
        assert_eq!(shop["status"], "not-selected");
        assert_eq!(shop["reasons"][0]["code"], "namespace-selector");
        assert_eq!(
            shop["reasons"][0]["field"],
            "spec.alertmanagerConfigNamespaceSelector"
        );
    }
}

#[test]
fn prometheus_rule_not_loaded_because_rule_selector_wants_an_object_label() {
    for source in BOTH {
        let explained = json(source, &["explain", "promrule", "not-loaded", "-n", "shop"]);
        let k8s = &explained["instances"][0];
        assert_eq!(k8s["kind"], "Prometheus");
        assert_eq!(k8s["status"], "not-selected");
        let reason = &k8s["reasons"][0];
        assert_eq!(reason["code"], "label-selector");
        assert_eq!(reason["wanted"], "role=alert-rules");
        assert_eq!(reason["actual"]["team"], "shop");
        assert!(
            strings(&reason["nearMisses"])
                .iter()
                .any(|h| h.contains("own metadata.labels")),
            "{reason}"
        );
        assert!(explained["placements"].as_array().unwrap().is_empty());

        let loaded = json(source, &["explain", "promrule/shop-rules", "-n", "shop"]);
        let placement = &loaded["placements"][0];
        assert_eq!(placement["configMap"], "prometheus-k8s-rulefiles-0");
        // `<namespace>-<name>-<uid>.yaml`; the loopback server assigns its own uid.
        let file = placement["file"].as_str().unwrap();
        assert!(
            file.starts_with("shop-shop-rules-") && file.ends_with(".yaml"),
            "{file}"
        );
        assert_eq!(
            placement["expressions"][0]["enforced"],
            "up{job=\"shop\",namespace=\"shop\"} == 0"
        );
    }
}

#[test]
fn alert_muted_by_an_inhibit_rule() {
    let warning = "alertname=ShopSlow,namespace=shop,severity=warning";
    for source in BOTH {
        let alone = json(
            source,
            &["route", "am/main", "--labels", warning, "--at", SATURDAY],
        );
        assert_eq!(alone["muted"], false);
        assert_eq!(alone["inhibitRules"][0]["verdict"], "could-mute");
        let muted = json(
            source,
            &[
                "route",
                "am/main",
                "--labels",
                warning,
                "--firing",
                SHOP_CRITICAL,
                "--at",
                SATURDAY,
            ],
        );
        assert_eq!(muted["muted"], true);
        assert_eq!(muted["inhibitRules"][0]["verdict"], "muted");
        assert_eq!(strings(&muted["receivers"]), ["default"]);
        assert!(muted["notified"].as_array().unwrap().is_empty());
        // Another namespace's critical alert does not mute it (`equal: [namespace]`).
        let elsewhere = json(
            source,
            &[
                "route",
                "am/main",
                "--labels",
                warning,
                "--firing",
                "alertname=X,namespace=other,severity=critical",
                "--at",
                SATURDAY,
            ],
        );
        assert_eq!(elsewhere["muted"], false);
        assert_eq!(elsewhere["inhibitRules"][0]["verdict"], "no-source");
    }
}

#[test]
fn route_inactive_outside_its_time_interval() {
    let office = "alertname=ShopDown,namespace=shop,severity=critical,team=office";
    for source in BOTH {
        let weekend = json(
            source,
            &["route", "am/main", "--labels", office, "--at", SATURDAY],
        );
        assert_eq!(
            strings(&weekend["receivers"]),
            ["shop/shop-team/shop-office", "oncall"]
        );
        let office_route = &weekend["routes"][0];
        assert_eq!(office_route["time"]["outsideActive"], true);
        assert_eq!(office_route["notifies"], false);
        assert_eq!(strings(&weekend["notified"]), ["oncall"]);
        let weekday = json(
            source,
            &["route", "am/main", "--labels", office, "--at", MONDAY],
        );
        assert_eq!(weekday["routes"][0]["notifies"], true);
        assert_eq!(
            strings(&weekday["routes"][0]["time"]["activeIn"]),
            ["shop/shop-team/office-hours"]
        );
    }
}

#[test]
fn route_from_the_rule_side() {
    for source in BOTH {
        let path = json(
            source,
            &[
                "route",
                "promrule",
                "shop-rules",
                "-n",
                "shop",
                "--alert",
                "ShopDown",
                "--labels",
                "job=shop,instance=10.0.0.1:8080",
                "--at",
                SATURDAY,
            ],
        );
        assert_eq!(
            strings(&path["receivers"]),
            ["shop/shop-team/shop-pager", "oncall"]
        );
        let sender = &path["senders"][0];
        assert_eq!(sender["instance"], "Prometheus monitoring/k8s");
        assert_eq!(sender["status"], "selected");
        let labels = &sender["labels"];
        assert_eq!(labels["namespace"], "shop", "enforcedNamespaceLabel");
        assert_eq!(labels["cluster"], "prod");
        assert_eq!(labels["prometheus"], "monitoring/k8s");
        assert!(
            labels.get("prometheus_replica").is_none(),
            "dropped: {labels}"
        );
        assert_eq!(
            sender["alertmanagers"][0]["alertmanager"],
            "monitoring/main"
        );
    }
    let missing = run(
        Source::Files,
        &[
            "route",
            "promrule/shop-rules",
            "-n",
            "shop",
            "--alert",
            "Nope",
        ],
    );
    // An alert the rule does not have is a name the input does not hold: usage, as for an
    // Alertmanager that is not there.
    assert_eq!(missing.code, 2, "{}", missing.stderr);
    assert!(
        missing.stderr.contains("ShopDown, ShopSlow"),
        "{}",
        missing.stderr
    );
}

#[test]
fn live_and_rendered_configurations_route_alike_and_tables_print() {
    let live = json(
        Source::Cluster,
        &[
            "route",
            "am/main",
            "--labels",
            SHOP_CRITICAL,
            "--at",
            SATURDAY,
        ],
    );
    assert!(
        live["configuration"]
            .as_str()
            .unwrap()
            .starts_with("live Secret monitoring/alertmanager-main-generated")
    );
    let rendered = json(
        Source::Cluster,
        &[
            "route",
            "am/main",
            "--rendered",
            "--labels",
            SHOP_CRITICAL,
            "--at",
            SATURDAY,
        ],
    );
    assert_eq!(
        rendered["configuration"],
        "rendered from the cluster's objects"
    );
    assert_eq!(live["receivers"], rendered["receivers"]);
    assert_eq!(live["trace"], rendered["trace"]);
    let table = run(
        Source::Files,
        &[
            "route",
            "am/main",
            "-n",
            "monitoring",
            "--labels",
            SHOP_CRITICAL,
            "--at",
            SATURDAY,
        ],
    );
    assert_eq!(table.code, 0, "{}", table.stderr);
    assert!(
        table.stdout.contains("(injected by the operator"),
        "{}",
        table.stdout
    );
    assert!(
        table
            .stdout
            .contains("notified: shop/shop-team/shop-pager, oncall")
    );
    let usage = run(Source::Files, &["route", "am/main", "-n", "monitoring"]);
    assert_eq!(usage.code, 2, "labels are required: {}", usage.stdout);
}

/// Each routing scenario against `amtool config routes test`, where amtool is installed.
#[test]
fn amtool_reaches_the_same_receivers() {
    let Some(amtool) = find_on_path("amtool") else {
        println!("amtool is not on PATH: skipping the comparison with amtool config routes test");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, &str); 5] = [
        ("main", SHOP_CRITICAL),
        ("global", SHOP_CRITICAL),
        ("main", "alertname=ShopSlow,namespace=shop,severity=warning"),
        (
            "main",
            "alertname=ShopDown,namespace=shop,severity=critical,team=office",
        ),
        ("main", "alertname=X,namespace=team-a,severity=info"),
    ];
    for (name, labels) in cases {
        let file = dir.path().join(format!("{name}.yaml"));
        std::fs::write(&file, rendered(name)).unwrap();
        let check = Command::new(&amtool)
            .args(["check-config"])
            .arg(&file)
            .output()
            .unwrap();
        assert!(
            check.status.success(),
            "amtool check-config {name}: {}",
            String::from_utf8_lossy(&check.stdout)
        );
        let test = Command::new(&amtool)
            .args(["config", "routes", "test"])
            .arg(format!("--config.file={}", file.display()))
            .args(labels.split(','))
            .output()
            .unwrap();
        let amtool_receivers: Vec<String> = String::from_utf8_lossy(&test.stdout)
            .trim()
            .split(',')
            .map(str::to_owned)
            .collect();
        let ours = json(
            Source::Files,
            &[
                "route",
                &format!("am/{name}"),
                "--labels",
                labels,
                "--at",
                SATURDAY,
            ],
        );
        assert_eq!(
            strings(&ours["receivers"]),
            amtool_receivers,
            "{name} {labels}"
        );
    }
}

/// Fixtures of the rule side's label walk-through (`tests/fixtures/alert_path/promrule/`).
fn promrule_fixture(name: &str) -> String {
    format!(
        "{}/tests/fixtures/alert_path/promrule/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// Runs the binary on `file` (`-f`), colors off.
fn run_on(file: &str, args: &[&str]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kubectl-promop"));
    command.args(args).args(["-f", file, "--color=never"]);
    finished(command)
}

/// `route promrule rules -n team-a --alert ALERT --labels LABELS` on `file`, as a table.
fn rule_route_table(file: &str, alert: &str, labels: &str) -> Run {
    let out = run_on(
        file,
        &[
            "route", "promrule", "rules", "-n", "team-a", "--alert", alert, "--labels", labels,
        ],
    );
    assert_eq!(out.code, 0, "{alert}: {}", out.stderr);
    out
}

/// `route promrule rules -n team-a --alert ALERT --labels LABELS` on `file`, as JSON.
fn rule_route_json(file: &str, alert: &str, labels: &str) -> Value {
    let out = run_on(
        file,
        &[
            "route", "promrule", "rules", "-n", "team-a", "--alert", alert, "--labels", labels,
            "-o", "json",
        ],
    );
    assert_eq!(out.code, 0, "{alert}: {}", out.stderr);
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", out.stdout))
}

/// Audit finding 1: the group's `team` reaches the alert on Prometheus 3 (before, only the
/// rule's own labels did, and the team's route was reported as failing).
#[test]
fn route_promrule_merges_group_labels_under_the_rules_own() {
    let file = promrule_fixture("rule_labels.yaml");
    let path = rule_route_json(&file, "Down", "namespace=team-a");
    assert_eq!(strings(&path["receivers"]), ["team-a/a/payments"]);
    let labels = &path["senders"][0]["labels"];
    assert_eq!(labels["team"], "payments");
    assert_eq!(labels["severity"], "critical", "the rule's own value wins");

    let table = rule_route_table(&file, "Down", "namespace=team-a");
    for line in [
        "group labels             team=\"payments\"",
        "group labels             severity=\"warning\"  (overridden by the rule's own value)",
        "rule labels              severity=\"critical\"  (overrides the group's value)",
        "team=\"payments\" ok (alert has \"payments\")",
    ] {
        assert!(table.stdout.contains(line), "{line}\n{}", table.stdout);
    }

    // Below Prometheus 3.0.0 the operator leaves group labels out of the rule file.
    let dir = tempfile::tempdir().unwrap();
    let v2 = dir.path().join("v2.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&v2, text.replace("v3.5.0", "v2.55.0")).unwrap();
    let path = rule_route_json(v2.to_str().unwrap(), "Down", "namespace=team-a");
    assert_eq!(strings(&path["receivers"]), ["null"]);
    let sender = &path["senders"][0];
    assert!(sender["labels"].get("team").is_none(), "{sender:#}");
    assert!(
        strings(&sender["notes"])
            .iter()
            .any(|n| n.contains("spec.groups[0].labels") && n.contains("3.0.0")),
        "{sender:#}"
    );
}

/// Audit finding 2: `team: "{{ $labels.job }}"` is routed as the job given with --labels
/// (before, as the raw text, a definite FAILS); without the job, the match is unknown.
#[test]
fn route_promrule_expands_templated_rule_labels() {
    let file = promrule_fixture("rule_labels.yaml");
    let path = rule_route_json(&file, "FromSeries", "namespace=team-a,job=payments");
    assert_eq!(strings(&path["receivers"]), ["team-a/a/payments"]);
    assert_eq!(path["senders"][0]["labels"]["team"], "payments");
    assert!(path.get("undetermined").is_none(), "{path:#}");

    // External labels, and a value expanding to "" that removes the series' label.
    let path = rule_route_json(&file, "FromExternal", "namespace=team-a,job=payments");
    assert_eq!(strings(&path["receivers"]), ["team-a/a/payments"]);
    assert!(
        path["senders"][0]["labels"].get("job").is_none(),
        "{path:#}"
    );

    let path = rule_route_json(&file, "FromSeries", "namespace=team-a");
    assert_eq!(strings(&path["undetermined"]), ["team"]);
    let matcher = &tried(&path["senders"][0]["alertmanagers"][0]["route"], "0")["matchers"][1];
    assert_eq!(matcher["matcher"], "team=\"payments\"");
    assert_eq!(matcher["undetermined"], true);

    let table = rule_route_table(&file, "FromSeries", "namespace=team-a");
    assert!(!table.stdout.contains("FAILS"), "{}", table.stdout);
    for line in [
        "team=\"{{ $labels.job }}\"  (not known here: job is not among --labels",
        "team=\"payments\" unknown (alert has \"{{ $labels.job }}\" until Prometheus expands it)",
        "receivers: null  (not certain: they depend on team, known only when Prometheus \
         evaluates the rule)",
    ] {
        assert!(table.stdout.contains(line), "{line}\n{}", table.stdout);
    }
}

/// A rule a ThanosRuler loads is followed through the ruler: its alert queue drops the
/// replica label and `alertDropLabels`, and its `alertmanagersUrl` names the operator's
/// Service of the Alertmanager (before: exit 2, "not followed here").
#[test]
fn route_promrule_follows_a_thanos_ruler_to_its_alertmanagers() {
    let file = promrule_fixture("thanos_ruler.yaml");
    let args = ["route", "promrule", "r", "-n", "monitoring", "--alert", "A"];
    let out = run_on(&file, &args);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    for line in [
        "ThanosRuler monitoring/tr (selected)",
        "not applied: the operator has Thanos Ruler drop it from alerts",
        "sent to http://alertmanager-operated.monitoring.svc:9093 = Alertmanager monitoring/main",
        "receivers: null",
    ] {
        assert!(out.stdout.contains(line), "{line}\n{}", out.stdout);
    }
    let mut json_args = args.to_vec();
    json_args.extend(["-o", "json"]);
    let out = run_on(&file, &json_args);
    let path: Value = serde_json::from_str(&out.stdout).unwrap();
    let labels = &path["senders"][0]["labels"];
    assert!(labels.get("ruler").is_none() && labels.get("thanos_ruler_replica").is_none());
    assert_eq!(strings(&path["receivers"]), ["null"]);

    // Addresses from `alertmanagersConfig` (which wins over the URLs); an address outside the
    // cluster is named, not followed, and its password never shown.
    let dir = tempfile::tempdir().unwrap();
    let configured = dir.path().join("configured.yaml");
    let text = std::fs::read_to_string(&file).unwrap().replace(
        "  alertDropLabels: [ruler]",
        "  alertDropLabels: [ruler]\n  alertmanagersConfig: {name: am-config, key: am.yaml}",
    );
    std::fs::write(
        &configured,
        format!(
            "{text}---\napiVersion: v1\nkind: Secret\n\
             metadata: {{name: am-config, namespace: monitoring}}\nstringData:\n  am.yaml: |\n    \
             alertmanagers:\n    - static_configs: [dnssrv+_web._tcp.alertmanager-operated.monitoring.svc.cluster.local]\n    \
             - static_configs: ['u:SECRETMARK@am.example.com:9093']\n"
        ),
    )
    .unwrap();
    let out = run_on(configured.to_str().unwrap(), &args);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains(
            "sent to dnssrv+_web._tcp.alertmanager-operated.monitoring.svc.cluster.local = \
             Alertmanager monitoring/main"
        ),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("is not the DNS name of a Service in the cluster: not followed"),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("SECRETMARK"), "{}", out.stdout);
}

fn find_on_path(program: &str) -> Option<std::path::PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(program))
            .find(|candidate| candidate.is_file())
    })
}

/// A Prometheus without monitor selectors runs the user's configuration: the path says so.
#[test]
fn a_rule_path_through_an_unmanaged_prometheus_says_whose_configuration_it_is() {
    let text = std::fs::read_to_string("tests/fixtures/alert_path/promrule/rule_labels.yaml")
        .unwrap()
        .replace("  serviceMonitorSelector: {}\n", "");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("in.yaml");
    std::fs::write(&path, text).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kubectl-promop"))
        .args([
            "route", "promrule", "rules", "-n", "team-a", "--alert", "Down",
        ])
        .args(["--labels", "namespace=team-a", "-f", path.to_str().unwrap()])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("the operator leaves this Prometheus's configuration to the user"),
        "{stdout}"
    );
}

/// Routing in a configuration the Alertmanager refuses to load is said to never take effect.
#[test]
fn routes_in_a_configuration_the_alertmanager_refuses_never_take_effect() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kubectl-promop"))
        .args(["route", "am", "main", "-n", "monitoring", "--labels", "a=b"])
        .args(["-f", "tests/fixtures/bad/copied_utf8_matcher_v0.26.yaml"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("refuses to load the configuration")
            && stderr.contains("the routes below never take effect"),
        "{stderr}"
    );
}

/// Review finding 1: an endpoint's `keep` on a rule label the series decides (`team: '{{
/// $labels.job }}'`, job not given) may drop the alert; before, the unexpanded text was
/// relabeled as if known and the path said "the alert is dropped before it reaches this
/// Alertmanager", with no "not certain".
#[test]
fn relabeling_by_an_undetermined_label_may_drop_the_alert() {
    let file = promrule_fixture("relabel_unknown.yaml");
    let table = rule_route_table(&file, "FromSeries", "namespace=team-a");
    assert!(!table.stdout.contains("problem:"), "{}", table.stdout);
    for line in [
        "may be dropped: alertmanagers[0].alert_relabel_configs[0] (keep) may drop the alert: it \
         reads team, known only when Prometheus evaluates the rule",
        "receivers: null  (not certain: they depend on team",
    ] {
        assert!(table.stdout.contains(line), "{line}\n{}", table.stdout);
    }
    let path = rule_route_json(&file, "FromSeries", "namespace=team-a");
    let destination = &path["senders"][0]["alertmanagers"][0];
    assert!(destination.get("problem").is_none(), "{destination:#}");
    assert_eq!(strings(&destination["mayDrop"]).len(), 1);
    assert_eq!(strings(&path["undetermined"]), ["team"]);

    // With the job given, the keep decides: payments passes, anything else is dropped.
    let path = rule_route_json(&file, "FromSeries", "namespace=team-a,job=payments");
    assert_eq!(strings(&path["receivers"]), ["team-a/a/payments"]);
    assert!(path.get("undetermined").is_none(), "{path:#}");
    let path = rule_route_json(&file, "FromSeries", "namespace=team-a,job=web");
    let destination = &path["senders"][0]["alertmanagers"][0];
    assert_eq!(
        destination["problem"],
        "the alert is dropped before it reaches this Alertmanager"
    );
}

/// Review finding 2: an unmanaged Prometheus's external labels are the user's; before,
/// `{{ $externalLabels.owner }}` expanded to "" and the rule's label was reported removed.
#[test]
fn external_labels_of_an_unmanaged_prometheus_are_unknown() {
    // Without a monitor selector the operator leaves the configuration to the user.
    let selector = "  serviceMonitorSelector: {}\n";
    let (_dir, file) = edited(&promrule_fixture("rule_labels.yaml"), selector, "");
    let file = file.as_str();
    let table = rule_route_table(file, "FromExternal", "namespace=team-a,job=payments");
    assert!(
        table.stdout.contains(
            "team=\"{{ .ExternalLabels.owner }}\"  (not known here: the external labels are what \
             the user writes in this Prometheus's configuration"
        ),
        "{}",
        table.stdout
    );
    assert!(!table.stdout.contains("team removed"), "{}", table.stdout);
    let path = rule_route_json(file, "FromExternal", "namespace=team-a,job=payments");
    assert_eq!(strings(&path["undetermined"]), ["team"]);
}

/// Review finding 3: Go's identifiers take letters and decimal digits only; `job²` is refused
/// by Prometheus (and by the operator's rule check), so validate refuses it and route does not
/// expand it. Before, it was read as the label `job²` and validate passed it.
#[test]
fn a_label_template_go_refuses_is_refused_and_not_expanded() {
    let fixture = promrule_fixture("relabel_unknown.yaml");
    let (_dir, file) = edited(&fixture, "{{ $labels.job }}", "{{ $labels.job² }}");
    let file = file.as_str();
    let validate = run_on(file, &["validate"]);
    assert_ne!(validate.code, 0, "{}", validate.stdout);
    let said = format!("{}{}", validate.stdout, validate.stderr);
    assert!(
        said.contains("template: __alert_FromSeries:1: bad character U+00B2 '²'"),
        "{said}"
    );
    let table = rule_route_table(file, "FromSeries", "namespace=team-a,job=payments");
    assert!(
        table
            .stdout
            .contains("not known here: Prometheus refuses the template"),
        "{}",
        table.stdout
    );
}

/// Review finding 5: `route am` parses matchers as the Alertmanager's version and flags do;
/// before, always with the fallback parser, which reads `\xf0...` literally and sent the
/// alert to `d` where Alertmanager in utf8-strict-mode picks `smile`.
#[test]
fn route_am_parses_matchers_as_the_alertmanager_does() {
    let file = format!(
        "{}/tests/fixtures/alert_path/am/utf8_strict.yaml",
        env!("CARGO_MANIFEST_DIR")
    );
    let args = [
        "route",
        "am",
        "main",
        "-n",
        "monitoring",
        "--labels",
        "foo=🙂",
    ];
    let out = run_on(&file, &[&args[..], &["-o", "json"]].concat());
    assert_eq!(out.code, 0, "{}", out.stderr);
    let route: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(strings(&route["receivers"]), ["smile"]);
    // Without the flag, the fallback parser's classic reading.
    let (_dir, fallback) = edited(&file, "  enableFeatures: [utf8-strict-mode]\n", "");
    let out = run_on(&fallback, &[&args[..], &["-o", "json"]].concat());
    let route: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(strings(&route["receivers"]), ["d"]);
}

/// `file` with `from` replaced by `to`, written into a new directory: the directory (removed
/// when dropped) and the path.
fn edited(file: &str, from: &str, to: &str) -> (tempfile::TempDir, String) {
    let text = std::fs::read_to_string(file).unwrap();
    assert!(text.contains(from), "{file} lacks {from:?}");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("edited.yaml");
    std::fs::write(&path, text.replace(from, to)).unwrap();
    let path = path.to_str().unwrap().to_owned();
    (dir, path)
}

/// An external label whose name an unexpanded rule label holds is applied only if the
/// template comes out empty (an empty label is removed).
#[test]
fn an_external_label_behind_an_unexpanded_template_is_conditional() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kubectl-promop"))
        .args([
            "route",
            "promrule",
            "rules",
            "-n",
            "team-a",
            "--alert",
            "FromSeries",
        ])
        .args(["--labels", "namespace=team-a"])
        .args([
            "-f",
            "tests/fixtures/alert_path/promrule/external_undetermined.yaml",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(
            "owner=\"payments\"  (applied only if owner=\"{{ $labels.job }}\" expands to an empty value, which removes it)"
        ),
        "{stdout}"
    );
}

/// `route promrule r -n shop --alert A` on `am_port.yaml`, as JSON.
fn am_port_json() -> Value {
    let out = run_on(
        &promrule_fixture("am_port.yaml"),
        &[
            "route",
            "promrule/r",
            "-n",
            "shop",
            "--alert",
            "A",
            "-o",
            "json",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", out.stdout))
}

/// The sender of `path` whose instance is `instance`.
fn sender_of<'v>(path: &'v Value, instance: &str) -> &'v Value {
    path["senders"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["instance"] == instance)
        .unwrap_or_else(|| panic!("{instance} missing: {path:#}"))
}

/// Audit 4 finding 1: an Alertmanager address whose port the Service or the pods lack keeps
/// no target in the generated configuration: no Alertmanager is reached there, and the port
/// is why (before, the alert was routed and "notified").
#[test]
fn route_promrule_checks_the_alertmanager_port() {
    let path = am_port_json();
    let k8s = &sender_of(&path, "Prometheus monitoring/k8s")["alertmanagers"];
    let problem = |i: usize| k8s[i]["problem"].as_str().unwrap_or_default().to_owned();
    assert!(
        problem(0).contains("has no port named \"http\" (its ports: web, reloader-web)"),
        "{k8s:#}"
    );
    assert!(
        problem(1).contains("no container port 80 (they have 8080, 9093, 9094)"),
        "{k8s:#}"
    );
    for reached in [&k8s[0], &k8s[1]] {
        assert!(reached.get("alertmanager").is_none(), "{reached:#}");
        assert!(reached.get("route").is_none(), "{reached:#}");
    }
    for reached in [&k8s[2], &k8s[3]] {
        assert_eq!(reached["alertmanager"], "monitoring/main", "{k8s:#}");
        assert!(reached.get("problem").is_none(), "{reached:#}");
    }
    let shop = &sender_of(&path, "Prometheus shop/wrong-port")["alertmanagers"];
    assert!(shop[0]["problem"].as_str().unwrap().contains("\"http\""));
    assert!(shop[0].get("route").is_none(), "{shop:#}");
}

/// Audit 4 finding 4: the summary counts only the senders that load the rule. With
/// monitoring/k8s's rule namespace selector narrowed so it no longer loads shop's rule, its
/// path to oncall is hypothetical, and shop/wrong-port, which loads it, reaches nothing.
#[test]
fn route_promrule_receivers_count_only_senders_that_load_the_rule() {
    let path = am_port_json();
    assert_eq!(strings(&path["receivers"]), ["oncall"]);

    let dir = tempfile::tempdir().unwrap();
    let narrowed = dir.path().join("narrowed.yaml");
    let text = std::fs::read_to_string(promrule_fixture("am_port.yaml")).unwrap();
    let text = text.replace(
        "  ruleNamespaceSelector: {}\n",
        "  ruleNamespaceSelector: {matchLabels: {none: none}}\n",
    );
    std::fs::write(&narrowed, text).unwrap();
    let args = ["route", "promrule/r", "-n", "shop", "--alert", "A"];
    let out = run_on(narrowed.to_str().unwrap(), &args);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("Prometheus monitoring/k8s (not selected)"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .ends_with("receivers: none: the alert reaches no receiver\n"),
        "{}",
        out.stdout
    );
}

/// Audit 4 finding 5: `route am` names the AlertmanagerConfigs the operator leaves out of
/// the rendered configuration, one sentence each (`notMerged`), so a missing route has its
/// reason (before: nothing).
#[test]
fn route_am_names_the_alertmanager_configs_left_out() {
    let answer = json(
        Source::Files,
        &["route", "am/main", "--labels", SHOP_CRITICAL],
    );
    assert_eq!(
        strings(&answer["notMerged"]),
        [
            "AlertmanagerConfig shop/uses-base is rejected by the operator and not merged: \
          spec.route.receiver: receiver \"oncall\" not found"
        ],
        "{answer:#}"
    );

    // A resource the selector misses is named with the selector's reason.
    let file = promrule_fixture("am_port.yaml");
    let dir = tempfile::tempdir().unwrap();
    let with_amcfg = dir.path().join("amcfg.yaml");
    let text = std::fs::read_to_string(&file).unwrap().replace(
        "  configSecret: am-base\n",
        "  configSecret: am-base\n  alertmanagerConfigSelector: {matchLabels: {team: x}}\n  \
         alertmanagerConfigNamespaceSelector: {}\n",
    ) + "---\napiVersion: monitoring.coreos.com/v1alpha1\nkind: AlertmanagerConfig\n\
         metadata: {name: shop, namespace: shop}\nspec:\n  route: {receiver: pager}\n  \
         receivers: [{name: pager}]\n";
    std::fs::write(&with_amcfg, text).unwrap();
    let out = run_on(
        with_amcfg.to_str().unwrap(),
        &[
            "route",
            "am/main",
            "-n",
            "monitoring",
            "--labels",
            "a=b",
            "-o",
            "json",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains(
            "AlertmanagerConfig shop/shop is not selected and not merged: labels do not match \
             spec.alertmanagerConfigSelector"
        ),
        "{}",
        out.stdout
    );
}

/// Audit 4 finding 9: a route whose matcher reads a label only known once Prometheus expands
/// the rule's template is "unknown" in the table, not "no match".
#[test]
fn route_promrule_says_unknown_for_a_route_it_cannot_decide() {
    let out = rule_route_table(
        &promrule_fixture("rule_labels.yaml"),
        "FromSeries",
        "namespace=team-a",
    );
    let line = out
        .stdout
        .lines()
        .find(|l| l.contains("receiver team-a/a/payments"))
        .unwrap_or_else(|| panic!("{}", out.stdout));
    assert!(line.contains(" unknown  receiver"), "{}", out.stdout);
    assert!(!line.contains("no match"), "{}", out.stdout);
}
