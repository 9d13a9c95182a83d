//! Routing one alert through a 5,000-route Alertmanager tree, with the full trace: a flat tree
//! whose last route matches (every route tried), once with a repeated literal alternation
//! (`severity=~"critical|warning"`) and once with 5,000 distinct real regexes, and 50 teams of
//! 100 routes each (`match_re`, `continue`), the alert reaching the last team's last route.

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
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

criterion_group!(benches, route_one_alert);
criterion_main!(benches);
