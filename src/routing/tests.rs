//! Tests of the routing library as a whole: loading with Alertmanager's checks, matching
//! order, the trace, time status and inhibition.

use super::*;
use crate::yaml::{Yaml, parse};

fn config(text: &str) -> Yaml {
    parse(text).unwrap()
}

fn load(text: &str) -> Result<Tree, RoutingError> {
    Tree::from_config(&config(text))
}

fn labels(pairs: &[(&str, &str)]) -> LabelSet {
    LabelSet::from_pairs(pairs.iter().copied()).unwrap()
}

const TREE: &str = r#"
route:
  receiver: default
  group_by: [alertname]
  routes:
  - matchers: ['team="a"']
    receiver: team-a
    continue: true
    routes:
    - matchers: [severity=critical]
      receiver: pager
      group_wait: 10s
      mute_time_intervals: [nights]
  - match_re: {team: 'a|b'}
    receiver: team-ab
    group_by: ['...']
    labels: {tier: one}
  - matchers: [team=c]
    receiver: never-reached
receivers: [{name: default}, {name: team-a}, {name: pager}, {name: team-ab}, {name: never-reached}]
time_intervals:
- name: nights
  time_intervals:
  - times: [{start_time: '00:00', end_time: '06:00'}]
    location: Europe/Berlin
inhibit_rules:
- source_matchers: [severity=critical]
  target_matchers: [severity=warning]
  equal: [team]
"#;

#[test]
fn routes_in_alertmanager_order_with_inherited_options() {
    let tree = load(TREE).unwrap();
    let alert = labels(&[
        ("alertname", "Down"),
        ("team", "a"),
        ("severity", "critical"),
    ]);
    let routed = tree.route(&alert);
    assert_eq!(routed.receivers(), ["pager", "team-ab"]);
    let pager = &routed.matches[0];
    assert_eq!(pager.node.path, "0/0");
    assert_eq!(pager.node.opts.group_by, ["alertname"]);
    assert_eq!(pager.node.opts.group_wait.to_string(), "10s");
    assert_eq!(pager.node.opts.repeat_interval.to_string(), "4h");
    assert_eq!(
        pager.group_key,
        r#"{}/{team="a"}/{severity="critical"}:{alertname="Down"}"#
    );
    let team_ab = &routed.matches[1];
    assert!(team_ab.node.opts.group_by_all);
    assert_eq!(team_ab.group_labels.len(), 3);
    assert_eq!(team_ab.node.key, r#"{}/{team=~"^(?:a|b)$"}"#);
    assert_eq!(
        team_ab.node.opts.labels.get("tier").map(String::as_str),
        Some("one")
    );
    // Nothing matches below the root: the root itself.
    assert_eq!(
        tree.route(&labels(&[("team", "z")])).receivers(),
        ["default"]
    );
}

#[test]
fn trace_shows_each_matcher_continue_and_stop() {
    let tree = load(TREE).unwrap();
    let alert = labels(&[("team", "a")]);
    let routed = tree.route(&alert);
    let steps: Vec<String> = routed
        .trace
        .iter()
        .map(|s| match s {
            TraceStep::Tried { path, matched, .. } => format!("tried {path:?} {matched}"),
            TraceStep::Continued { path, .. } => format!("continued {path:?}"),
            TraceStep::Stopped { path, skipped, .. } => format!("stopped {path:?} {skipped:?}"),
            TraceStep::Selected { path, .. } => format!("selected {path:?}"),
        })
        .collect();
    assert_eq!(
        steps,
        [
            r#"tried "" true"#,
            r#"tried "0" true"#,
            r#"tried "0/0" false"#,
            r#"selected "0""#,
            r#"continued "0""#,
            r#"tried "1" true"#,
            r#"selected "1""#,
            r#"stopped "1" ["2"]"#,
        ]
    );
    let TraceStep::Tried { matchers, .. } = &routed.trace[2] else {
        panic!("not a tried step");
    };
    assert_eq!(matchers[0].matcher.to_string(), r#"severity="critical""#);
    assert_eq!(
        (matchers[0].value, matchers[0].matched),
        (None, Some(false))
    );
    let json = serde_json::to_value(&routed).unwrap();
    assert_eq!(json["matches"][0]["receiver"], "team-a");
    assert_eq!(
        json["trace"][2]["matchers"][0]["matcher"],
        r#"severity="critical""#
    );
}

#[test]
fn time_status_uses_the_route_intervals_and_location() {
    let tree = load(TREE).unwrap();
    let pager = tree.node_at("0/0").unwrap();
    let night = parse_instant("2024-01-06T02:30:00+01:00").unwrap();
    let status = tree.time_status(pager, night).unwrap();
    assert_eq!(status.muted_by, ["nights"]);
    let day = parse_instant("2024-01-06T12:00:00Z").unwrap();
    assert!(!tree.time_status(pager, day).unwrap().suppressed());
    // Mute intervals are not inherited.
    assert!(
        !tree
            .time_status(tree.node_at("0").unwrap(), night)
            .unwrap()
            .suppressed()
    );
    assert!(parse_instant("yesterday").is_err());
}

#[test]
fn inhibition_explains_every_rule() {
    let tree = load(TREE).unwrap();
    let target = labels(&[("team", "a"), ("severity", "warning")]);
    let firing = [
        SourceAlert {
            labels: labels(&[("team", "a"), ("severity", "critical")]),
            resolved: false,
        },
        SourceAlert {
            labels: labels(&[("team", "b"), ("severity", "critical")]),
            resolved: false,
        },
    ];
    let inhibition = tree.inhibitor().mutes(&target, &firing);
    assert!(inhibition.muted);
    assert_eq!(
        inhibition.rules[0].verdict,
        Verdict::Inhibited { source: 0 }
    );
    let other_team = labels(&[("team", "c"), ("severity", "warning")]);
    assert_eq!(
        tree.inhibitor().mutes(&other_team, &firing).rules[0].verdict,
        Verdict::NoSource
    );
    let resolved = [SourceAlert {
        resolved: true,
        ..firing[0].clone()
    }];
    assert_eq!(
        tree.inhibitor().mutes(&target, &resolved).rules[0].verdict,
        Verdict::SourceResolved { source: 0 }
    );
    let critical = labels(&[("team", "a"), ("severity", "critical")]);
    assert_eq!(
        tree.inhibitor().mutes(&critical, &firing).rules[0].verdict,
        Verdict::TargetNotMatched
    );
}

#[test]
fn a_firing_source_is_not_replaced_by_a_resolved_one() {
    let inhibitor = Inhibitor::from_config(
        &config("inhibit_rules: [{source_matchers: [s=1], target_matchers: [t=1], equal: [e]}]"),
        ParseMode::Classic,
    )
    .unwrap();
    let alert = |extra: &str, resolved| SourceAlert {
        labels: labels(&[("s", "1"), ("e", "x"), ("n", extra)]),
        resolved,
    };
    let target = labels(&[("t", "1"), ("e", "x")]);
    assert!(
        inhibitor
            .mutes(&target, &[alert("a", false), alert("b", true)])
            .muted
    );
    assert!(
        inhibitor
            .mutes(&target, &[alert("a", true), alert("b", false)])
            .muted
    );
    assert!(
        !inhibitor
            .mutes(&target, &[alert("a", false), alert("a", true)])
            .muted
    );
}

#[test]
fn whole_config_checks_in_alertmanager_order() {
    let err = |text: &str| load(text).unwrap_err().to_string();
    assert_eq!(
        err("route:\nreceivers: [{name: ''}]"),
        "missing name in receiver"
    );
    assert_eq!(
        err("route: {receiver: x, matchers: [severity=critical]}\nreceivers: [{name: x}]"),
        "root route must not have any matchers"
    );
    assert_eq!(
        err("route: {receiver: x, repeat_interval: 0s}\nreceivers: [{name: x}]"),
        "repeat_interval cannot be zero"
    );
    assert_eq!(
        err("route: {receiver: x, group_by: [a, b, a]}\nreceivers: [{name: x}]"),
        "duplicated label \"a\" in group_by"
    );
    assert_eq!(
        err(
            "mute_time_intervals: [{name: d}, {name: d}]\nreceivers: [{name: x}]\nroute: {receiver: x, routes: [{mute_time_intervals: [other]}]}"
        ),
        "mute time interval \"d\" is not unique"
    );
    assert_eq!(
        err("route: {receiver: x, recevier: y}\nreceivers: [{name: x}]"),
        "route: field recevier not found"
    );
    assert_eq!(
        err("route: {receiver: x, group_wait: soon}\nreceivers: [{name: x}]"),
        "route.group_wait: not a valid duration string: \"soon\""
    );
    let tree = load(
        "route: {receiver: x, group_by: [a], routes: [{group_by: []}]}\nreceivers: [{name: x}]",
    )
    .unwrap();
    assert!(tree.node_at("0").unwrap().opts.group_by.is_empty());
}

#[test]
fn label_names_follow_the_mode() {
    let text = "route: {receiver: x, group_by: ['-x-']}\nreceivers: [{name: x}]";
    assert!(Tree::from_config_with_mode(&config(text), ParseMode::Classic).is_err());
    assert!(Tree::from_config_with_mode(&config(text), ParseMode::Fallback).is_ok());
    // Legacy `match` keys are classic in every mode.
    let legacy = "route: {receiver: x, routes: [{match: {'-x-': y}}]}\nreceivers: [{name: x}]";
    assert_eq!(
        Tree::from_config_with_mode(&config(legacy), ParseMode::Utf8Strict)
            .unwrap_err()
            .to_string(),
        "invalid label name \"-x-\""
    );
}

#[test]
fn equal_names_follow_the_version_then_the_mode() {
    let version = |text: &str| crate::version::Version::parse(text).unwrap();
    let refused = |name: &str, v: Option<&str>, mode: ParseMode| {
        refused_equal_label(name, v.map(version).as_ref(), mode).map(|e| e.to_string())
    };
    let not_valid = Some("\"a.b\" is not a valid label name".to_owned());
    assert_eq!(
        refused("a.b", Some("v0.27.0"), ParseMode::Fallback),
        not_valid
    );
    assert_eq!(
        refused("a.b", Some("v0.26.0"), ParseMode::Classic),
        not_valid
    );
    assert_eq!(refused("a_b", Some("v0.26.0"), ParseMode::Classic), None);
    assert_eq!(refused("a.b", Some("v0.28.0"), ParseMode::Fallback), None);
    assert_eq!(refused("a.b", None, ParseMode::Fallback), None);
    assert_eq!(
        refused("a.b", None, ParseMode::Classic),
        Some("invalid label name \"a.b\" in equal list".to_owned())
    );
    let text = "route: {receiver: x}\nreceivers: [{name: x}]\ninhibit_rules: [{equal: [a.b]}]";
    let at = |v: &str| Tree::from_config_as(&config(text), ParseMode::Fallback, Some(&version(v)));
    assert_eq!(at("v0.27.0").err().map(|e| e.to_string()), not_valid);
    assert!(at("v0.28.0").is_ok());
}

#[test]
fn hostile_input_is_bounded() {
    let mut route = String::from("{receiver: x}");
    for _ in 0..=MAX_ROUTE_DEPTH {
        route = format!("{{routes: [{route}]}}");
    }
    let deep = format!("route: {{receiver: x, routes: [{route}]}}\nreceivers: [{{name: x}}]");
    assert!(matches!(load(&deep), Err(RoutingError::TooDeep { .. })));
    let repeat =
        "route: {receiver: x, routes: [{matchers: ['a=~\"a{1001}\"']}]}\nreceivers: [{name: x}]";
    assert_eq!(
        load(repeat).unwrap_err().to_string(),
        "error parsing regexp: invalid repeat count: `{1001}`"
    );
    let long = format!(
        "route: {{receiver: x, routes: [{{matchers: ['a={}']}}]}}\nreceivers: [{{name: x}}]",
        "v".repeat(MAX_MATCHER_LEN + 1)
    );
    assert!(matches!(
        load(&long),
        Err(RoutingError::Matcher(MatcherError::TooLong { .. }))
    ));
}
