use super::*;
use crate::relabel::labels_of as labels;

fn rules(yaml: &str) -> Vec<Rule> {
    let configs: Vec<Config> = crate::yaml::from_str(yaml).unwrap();
    Rule::compile_all(&configs, NameValidationScheme::Utf8).unwrap()
}

fn rule_error(yaml: &str, scheme: NameValidationScheme) -> String {
    let config: Config = crate::yaml::from_str(yaml).unwrap();
    Rule::new(&config, scheme).unwrap_err().to_string()
}

fn kept(input: &[(&str, &str)], yaml: &str) -> Labels {
    match relabel(&labels(input), &rules(yaml)) {
        Outcome::Kept(l) => l,
        Outcome::Dropped { rule } => panic!("dropped by rule {rule}"),
    }
}

#[test]
fn defaults_and_explicit_empty_values() {
    let config: Config = crate::yaml::from_str("target_label: x").unwrap();
    assert_eq!(config.separator, None);
    assert_eq!(config.regex, None);
    let config: Config =
        crate::yaml::from_str("{target_label: x, separator: '', regex: , replacement: ''}")
            .unwrap();
    assert_eq!(config.separator.as_deref(), Some(""));
    assert_eq!(config.regex.as_deref(), Some(""));
    assert_eq!(config.replacement.as_deref(), Some(""));
    let config: Config = crate::yaml::from_str("{regex: 200, source_labels: [a, 1]}").unwrap();
    assert_eq!(config.regex.as_deref(), Some("200"));
    assert_eq!(config.source_labels, ["a", "1"]);
}

#[test]
fn replace() {
    assert_eq!(
        kept(
            &[("a", "foo"), ("b", "bar")],
            "[{source_labels: [a, b], regex: 'f(.*);(.*)', target_label: c, replacement: '$1-${2}'}]"
        ),
        labels(&[("a", "foo"), ("b", "bar"), ("c", "oo-bar")])
    );
    // Explicit empty separator.
    assert_eq!(
        kept(
            &[("a", "x"), ("b", "y")],
            "[{source_labels: [a, b], separator: '', target_label: c}]"
        ),
        labels(&[("a", "x"), ("b", "y"), ("c", "xy")])
    );
    // Default regex on an empty input: the label is set to the replacement as is.
    assert_eq!(
        kept(&[], "[{target_label: env, replacement: prod}]"),
        labels(&[("env", "prod")])
    );
    // An expanded target name invalid under the scheme writes nothing.
    let legacy = Rule::new(
        &crate::yaml::from_str("{source_labels: [a], regex: '(.*)', target_label: '${1}'}")
            .unwrap(),
        NameValidationScheme::Legacy,
    )
    .unwrap();
    assert_eq!(
        relabel(&labels(&[("a", "not-valid")]), &[legacy]),
        Outcome::Kept(labels(&[("a", "not-valid")]))
    );
}

#[test]
fn keep_drop_and_equality() {
    let input = labels(&[("a", "foo"), ("b", "foo")]);
    let outcome = |yaml: &str| relabel(&input, &rules(yaml));
    assert_eq!(
        outcome("[{source_labels: [a], regex: bar, action: keep}]"),
        Outcome::Dropped { rule: 0 }
    );
    assert_eq!(
        outcome("[{source_labels: [a], regex: fo, action: drop}]"),
        Outcome::Kept(input.clone())
    );
    assert_eq!(
        outcome("[{source_labels: [a], target_label: b, action: KeepEqual}]"),
        Outcome::Kept(input.clone())
    );
    assert_eq!(
        outcome(
            "[{source_labels: [a], regex: x, action: drop}, {source_labels: [a], target_label: b, action: dropequal}]"
        ),
        Outcome::Dropped { rule: 1 }
    );
    // A missing source label reads as empty.
    assert_eq!(
        outcome("[{source_labels: [missing], regex: '', action: drop}]"),
        Outcome::Dropped { rule: 0 }
    );
}

#[test]
fn hashmod_matches_prometheus() {
    assert_eq!(
        kept(
            &[("a", "foo\nbar")],
            "[{source_labels: [a], modulus: 1000, target_label: b, action: hashmod}]"
        )
        .get("b")
        .map(String::as_str),
        Some("734")
    );
}

#[test]
fn label_actions() {
    let input = [("a", "1"), ("b_x", "2"), ("b_y", "3")];
    assert_eq!(
        kept(
            &input,
            "[{regex: 'b_(.*)', replacement: 'c_$1', action: labelmap}]"
        ),
        labels(&[
            ("a", "1"),
            ("b_x", "2"),
            ("b_y", "3"),
            ("c_x", "2"),
            ("c_y", "3")
        ])
    );
    assert_eq!(
        kept(&input, "[{regex: 'b_.*', action: labeldrop}]"),
        labels(&[("a", "1")])
    );
    assert_eq!(
        kept(&input, "[{regex: 'b_.*', action: labelkeep}]"),
        labels(&[("b_x", "2"), ("b_y", "3")])
    );
    // Two labels mapped onto one name: Prometheus visits labels set by earlier rules last.
    assert_eq!(
        kept(
            &[("z_k", "base")],
            "[{target_label: a_k, replacement: added}, {regex: '[az]_(.*)', action: labelmap}]"
        )
        .get("k")
        .map(String::as_str),
        Some("added")
    );
}

#[test]
fn case_actions_follow_go() {
    assert_eq!(
        kept(
            &[("a", "Straße İx")],
            "[{source_labels: [a], target_label: u, action: uppercase}, {source_labels: [a], target_label: l, action: lowercase}]"
        ),
        labels(&[("a", "Straße İx"), ("l", "straße ix"), ("u", "STRAßE İX")])
    );
}

#[test]
fn trace_records_each_step() {
    let trace = relabel_traced(
        &labels(&[("a", "1")]),
        &rules(
            "[{target_label: b, replacement: '2'}, {source_labels: [b], regex: '2', action: drop}, {target_label: c}]",
        ),
    );
    assert_eq!(trace.outcome, Outcome::Dropped { rule: 1 });
    assert_eq!(trace.steps.len(), 2);
    assert_eq!(trace.steps[0].labels, labels(&[("a", "1"), ("b", "2")]));
    assert!(trace.steps[0].kept);
    assert!(!trace.steps[1].kept);
}

#[test]
fn validation_matches_prometheus() {
    use NameValidationScheme::{Legacy, Utf8};
    assert_eq!(
        rule_error("action: foo", Utf8),
        r#"unknown relabel action "foo""#
    );
    assert_eq!(
        rule_error("action:", Utf8),
        "relabel action cannot be empty"
    );
    assert!(rule_error("{regex: '(', target_label: x}", Utf8).starts_with("invalid regex"));
    assert_eq!(
        rule_error("{action: hashmod, target_label: x}", Utf8),
        "relabel configuration for hashmod requires non-zero modulus"
    );
    assert_eq!(
        rule_error("action: replace", Utf8),
        "relabel configuration for replace action requires 'target_label' value"
    );
    assert_eq!(
        rule_error("{action: lowercase, target_label: '${3}'}", Legacy),
        r#""${3}" is invalid 'target_label' for lowercase action"#
    );
    assert_eq!(
        rule_error("{target_label: 'a-b'}", Legacy),
        r#""a-b" is invalid 'target_label' for replace action"#
    );
    assert_eq!(
        rule_error("{target_label: '-${1}'}", Legacy),
        r#""-${1}" is invalid 'target_label' for replace action"#
    );
    assert_eq!(
        rule_error("{action: uppercase, target_label: x, replacement: y}", Utf8),
        "'replacement' can not be set for uppercase action"
    );
    assert_eq!(
        rule_error("{action: labelmap, replacement: 'a.$1'}", Legacy),
        r#""a.$1" is invalid 'replacement' for labelmap action"#
    );
    assert_eq!(
        rule_error("{action: keepequal, target_label: x, regex: '(.*)'}", Utf8),
        "keepequal action requires only 'source_labels' and `target_label`, and no other fields"
    );
    assert_eq!(
        rule_error("{action: labeldrop, source_labels: [a]}", Utf8),
        "labeldrop action requires only 'regex', and no other fields"
    );
    assert_eq!(
        rule_error("{source_labels: [''], target_label: x}", Utf8),
        r#""" is not a valid label name"#
    );
    for ok in [
        "{action: lowercase, target_label: '${3}'}",
        "{source_labels: [a], regex: 'some-([^-]+)-([^,]+)', target_label: '0${3}', replacement: '${1}'}",
        "{action: keepequal, target_label: x, separator: ';', replacement: '$1'}",
    ] {
        let config: Config = crate::yaml::from_str(ok).unwrap();
        assert!(Rule::new(&config, Utf8).is_ok(), "{ok}");
    }
    let config: Config =
        crate::yaml::from_str("{regex: '__meta_(.+)', action: labelmap, replacement: '${1}'}")
            .unwrap();
    assert!(Rule::new(&config, Legacy).is_ok());
}

#[test]
fn legacy_target_templates() {
    for (template, valid) in [
        ("-label", false),
        ("label", true),
        ("label${1}", true),
        ("${1}label", true),
        ("${1}", true),
        ("${", false),
        ("$", false),
        ("${}", false),
        ("foo${", false),
        ("$1", true),
        ("asd$2asd", true),
        ("-foo${1}bar-", false),
        ("bar.foo${1}bar", false),
        ("_${1}_", true),
        ("foo${bar}foo", true),
        ("1abc", false),
        // Go's `\w` is ASCII only.
        ("caf\u{e9}", false),
        ("", false),
    ] {
        assert_eq!(is_legacy_label_template(template), valid, "{template}");
    }
}

#[test]
fn config_round_trips_through_yaml() {
    let config: Config = crate::yaml::from_str(
        "{source_labels: [a], separator: '', regex: x, target_label: t, replacement: r, action: replace}",
    )
    .unwrap();
    let text = crate::yaml::to_string(&config).unwrap();
    assert_eq!(crate::yaml::from_str::<Config>(&text).unwrap(), config);
    assert_eq!(
        crate::yaml::to_string(&Config::default()).unwrap().trim(),
        "{}"
    );
}

#[test]
fn the_configured_scheme_counts_from_prometheus_3() {
    let v3 = Version::parse("v3.5.0").unwrap();
    let v2 = Version::parse("v2.55.0").unwrap();
    use NameValidationScheme::{Legacy, Utf8};
    assert_eq!(NameValidationScheme::in_effect(&v3, None), Utf8);
    assert_eq!(NameValidationScheme::in_effect(&v3, Some("Legacy")), Legacy);
    assert_eq!(NameValidationScheme::in_effect(&v2, Some("UTF8")), Legacy);
    assert_eq!(NameValidationScheme::in_effect(&v2, None), Legacy);
}
