//! Routing one alert through a 5,000-route Alertmanager tree, with the full trace: a flat tree
//! whose last route matches (every route tried), once with a repeated literal alternation
//! (`severity=~"critical|warning"`) and once with 5,000 distinct real regexes, and 50 teams of
//! 100 routes each (`match_re`, `continue`), the alert reaching the last team's last route.
//! Then `explain alertmanager` over 1,000 AlertmanagerConfigs in 100 namespaces (selected, not
//! selected by labels or namespace, rejected), and one alert routed with the full explanation
//! through the configuration they generate.

use std::fmt::Write;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use promop::explain::alert_path::{self, RouteRequest};
use promop::operator::OperatorOptions;
use promop::routing::{LabelSet, Tree};

fn flat(routes: usize, distinct_regexes: bool) -> String {
    let mut text = String::from("route:\n  receiver: default\n  routes:\n");
    for i in 0..routes {
        let matchers = if distinct_regexes {
            format!("'service=~\"svc-{i}(-canary)?\"', 'severity=~\"crit.*|warn.*\"'")
        } else {
            format!("'service=\"svc-{i}\"', 'severity=~\"critical|warning\"'")
        };
        text.push_str(&format!(
            "  - matchers: [{matchers}]\n    receiver: r{}\n",
            i % 10
        ));
    }
    text.push_str("receivers:\n- name: default\n");
    for i in 0..10 {
        text.push_str(&format!("- name: r{i}\n"));
    }
    text
}

fn nested(teams: usize, per_team: usize) -> String {
    let mut text =
        String::from("route:\n  receiver: default\n  group_by: [alertname]\n  routes:\n");
    for t in 0..teams {
        text.push_str(&format!(
            "  - match_re: {{team: 'team-{t}|team-{t}-.*'}}\n    receiver: r{}\n    continue: {}\n    routes:\n",
            t % 10,
            t % 2 == 0
        ));
        for s in 0..per_team - 1 {
            text.push_str(&format!(
                "    - matchers: [service=svc-{s}, 'env!=\"dev\"']\n      receiver: r{}\n      group_wait: 10s\n",
                s % 10
            ));
        }
    }
    text.push_str("receivers:\n- name: default\n");
    for i in 0..10 {
        text.push_str(&format!("- name: r{i}\n"));
    }
    text
}

fn route_one_alert(c: &mut Criterion) {
    let mut group = c.benchmark_group("routing");
    let cases = [
        (
            "flat_5000",
            flat(5_000, false),
            vec![("service", "svc-4999"), ("severity", "critical")],
        ),
        (
            "flat_5000_distinct_regexes",
            flat(5_000, true),
            vec![("service", "svc-4999"), ("severity", "critical")],
        ),
        (
            "nested_50x100",
            nested(50, 100),
            vec![("team", "team-49"), ("service", "svc-98"), ("env", "prod")],
        ),
    ];
    for (name, text, labels) in cases {
        let config = promop::yaml::parse(&text).expect("parses");
        let tree = Tree::from_config(&config).expect("loads");
        assert_eq!(tree.nodes().len(), 5_001);
        let labels = LabelSet::from_pairs(labels).expect("labels");
        group.bench_with_input(BenchmarkId::new("route", name), &labels, |b, labels| {
            b.iter(|| tree.route(labels).matches.len())
        });
    }
    group.finish();
}

const CONFIGS: usize = 1_000;
const NAMESPACES: usize = 100;

/// An Alertmanager selecting `alertmanager: main` in namespaces labelled `monitored: "true"`,
/// and 1,000 AlertmanagerConfigs: most selected, one in ten without the label, the namespaces
/// of one in ten unlabelled, one in twenty naming a receiver it does not define.
fn alertmanager_manifests() -> String {
    let mut out = String::from(
        "apiVersion: monitoring.coreos.com/v1\nkind: Alertmanager\nmetadata: {name: main, namespace: monitoring}\n\
         spec: {version: v0.27.0, alertmanagerConfigSelector: {matchLabels: {alertmanager: main}}, \
         alertmanagerConfigNamespaceSelector: {matchLabels: {monitored: 'true'}}}\n\
         ---\napiVersion: v1\nkind: Secret\nmetadata: {name: alertmanager-main, namespace: monitoring}\n\
         stringData:\n  alertmanager.yaml: |\n    route: {receiver: oncall, routes: [{receiver: oncall, matchers: ['severity=\"critical\"']}]}\n    receivers: [{name: oncall}]\n",
    );
    for n in 0..NAMESPACES {
        let monitored = n % 10 != 9;
        write!(
            out,
            "---\napiVersion: v1\nkind: Namespace\nmetadata: {{name: team-{n}, labels: {{monitored: '{monitored}'}}}}\n\
             ---\napiVersion: v1\nkind: Secret\nmetadata: {{name: hooks, namespace: team-{n}}}\n\
             stringData: {{url: 'https://hooks.example.com/{n}'}}\n"
        )
        .expect("writes to a String");
    }
    for i in 0..CONFIGS {
        let label = if i % 10 == 3 { "other" } else { "main" };
        let receiver = if i % 20 == 7 { "missing" } else { "hook" };
        write!(
            out,
            "---\napiVersion: monitoring.coreos.com/v1alpha1\nkind: AlertmanagerConfig\n\
             metadata: {{name: amc-{i}, namespace: team-{}, labels: {{alertmanager: {label}}}}}\n\
             spec:\n  route:\n    receiver: {receiver}\n    matchers: [{{name: service, value: svc-{i}}}]\n\
             \x20   routes: [{{receiver: hook, matchers: [{{name: severity, value: critical}}]}}]\n\
             \x20 receivers: [{{name: hook, webhookConfigs: [{{urlSecret: {{name: hooks, key: url}}}}]}}]\n\
             \x20 inhibitRules: [{{sourceMatch: [{{name: severity, value: critical}}], targetMatch: [{{name: severity, value: warning}}], equal: [service]}}]\n",
            i % NAMESPACES
        )
        .expect("writes to a String");
    }
    out
}

fn explain_alertmanager(c: &mut Criterion) {
    let (snapshot, _) =
        promop::snapshot::load("bench.yaml", &alertmanager_manifests()).expect("loads");
    let am = snapshot.alertmanagers.first().expect("one Alertmanager");
    let options = OperatorOptions::default();
    let explained = promop::explain::alertmanager::explain_alertmanager(&snapshot, am, &options)
        .expect("explains");
    assert_eq!(explained.resources.len(), CONFIGS);
    assert!(explained.summary.rejected > 0 && explained.summary.not_selected > 0);
    let alert_path::RoutedConfiguration {
        text,
        origins,
        mode,
        ..
    } = alert_path::rendered_alertmanager_config(&snapshot, am, &options).expect("renders");
    let config = promop::yaml::parse(&text).expect("parses");
    let labels = LabelSet::from_pairs([
        ("namespace", "team-98"),
        ("service", "svc-998"),
        ("severity", "critical"),
    ])
    .expect("labels");
    let mut group = c.benchmark_group("alert_path");
    group.sample_size(10);
    group.bench_function("explain_alertmanager_1000_alertmanagerconfigs", |b| {
        b.iter(|| {
            promop::explain::alertmanager::explain_alertmanager(&snapshot, am, &options)
                .expect("explains")
                .summary
                .selected
        })
    });
    group.bench_function("route_explained_through_1000_alertmanagerconfigs", |b| {
        b.iter(|| {
            alert_path::route_alert(&RouteRequest {
                config: &config,
                labels: &labels,
                at: None,
                firing: &[],
                origins: &origins,
                mode,
            })
            .expect("routes")
            .receivers
            .len()
        })
    });
    group.finish();
}

criterion_group!(benches, route_one_alert, explain_alertmanager);
criterion_main!(benches);
