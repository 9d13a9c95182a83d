//! The operator's rule check (pkg/operator/rules.go, `ValidateRule`, also the admission
//! webhook's) and the Prometheus rule-file validation it runs (model/rulefmt/rulefmt.go,
//! `Parse`, `RuleGroups.Validate`, `Rule.Validate`).
//!
//! Go iterates label and annotation maps in random order; here they are checked in key order.
//! rulefmt prefixes errors with the `line:col` of the YAML node; those prefixes are left out.

use std::collections::BTreeSet;

use crate::duration::Duration;
use crate::monitoring::v1::prometheus_rule::{PrometheusRuleSpec, Rule};

use super::promql::{self, ParserOptions};
use super::{Finding, Stage, file};
use crate::relabel::NameValidationScheme;
use crate::validate::{Check, Violation};

/// Largest rendered rule spec accepted (`operator.MaxConfigMapDataSize`: half of
/// `corev1.MaxSecretSize`); also the budget of one rule ConfigMap.
pub const MAX_CONFIG_MAP_DATA_SIZE: usize = 512 * 1024;

/// `ValidateRule(spec, scheme, options)`: every error, in rulefmt's order (empty: valid).
pub fn validate_rule(
    spec: &PrometheusRuleSpec,
    scheme: NameValidationScheme,
    options: &ParserOptions,
) -> Vec<Finding> {
    validate(spec, scheme, options, None, false)
}

/// [`validate_rule`] for a spec whose file text the caller already rendered: the size check
/// reuses it when the check's copy would render the same. `exprs_parsed`: every expression is
/// the printer's output of an expression that parsed with the default options (enforcement);
/// the options only add syntax, so the expressions are not parsed again.
pub(super) fn validate_rendered(
    spec: &PrometheusRuleSpec,
    scheme: NameValidationScheme,
    options: &ParserOptions,
    text: &str,
    exprs_parsed: bool,
) -> Vec<Finding> {
    validate(spec, scheme, options, Some(text), exprs_parsed)
}

/// Whether the check's copy differs from the spec: it drops partial_response_strategy and
/// empty `interval` / `for`.
fn needs_cleaning(spec: &PrometheusRuleSpec) -> bool {
    spec.groups.iter().any(|g| {
        g.partial_response_strategy.is_some()
            || g.interval.as_deref() == Some("")
            || g.rules.iter().any(|r| r.for_.as_deref() == Some(""))
    })
}

/// The copy `ValidateRule` checks, when it differs from the spec.
fn cleaned(spec: &PrometheusRuleSpec) -> Option<PrometheusRuleSpec> {
    if !needs_cleaning(spec) {
        return None;
    }
    let mut copy = spec.clone();
    for group in &mut copy.groups {
        // The Prometheus validator does not know partial_response_strategy; empty
        // durations are removed so that they do not fail the duration parser.
        group.partial_response_strategy = None;
        if group.interval.as_deref() == Some("") {
            group.interval = None;
        }
        for rule in &mut group.rules {
            if rule.for_.as_deref() == Some("") {
                rule.for_ = None;
            }
        }
    }
    Some(copy)
}

/// The empty group `interval` and rule `for` of `spec`, which `ValidateRule` drops from the
/// copy it checks but the operator writes into the rule file: Prometheus and Thanos Ruler
/// decode them as `model.Duration` and refuse the file.
pub fn empty_durations_written(spec: &PrometheusRuleSpec) -> Vec<Violation> {
    let refused = |field: String| {
        Violation::new(
            Check::Rule,
            field,
            "empty: the operator writes it into the rule file as is (it drops it only from the \
             copy it validates); Prometheus and Thanos Ruler refuse the file (\"empty duration \
             string\"): a Prometheus's rules reload fails and it keeps the previous rules of \
             every file, a Thanos Ruler stops evaluating this file's groups, and either exits \
             when starting with it",
        )
    };
    let mut violations = Vec::new();
    for (g, group) in spec.groups.iter().enumerate() {
        if group.interval.as_deref() == Some("") {
            violations.push(refused(format!("spec.groups[{g}].interval")));
        }
        for (r, rule) in group.rules.iter().enumerate() {
            if rule.for_.as_deref() == Some("") {
                violations.push(refused(format!("spec.groups[{g}].rules[{r}].for")));
            }
        }
    }
    violations
}

/// The size `ValidateRule` holds against [`MAX_CONFIG_MAP_DATA_SIZE`]: the rendered length of
/// the copy it checks.
pub fn rendered_size(spec: &PrometheusRuleSpec) -> usize {
    file::render(cleaned(spec).as_ref().unwrap_or(spec)).len()
}

fn validate(
    spec: &PrometheusRuleSpec,
    scheme: NameValidationScheme,
    options: &ParserOptions,
    text: Option<&str>,
    exprs_parsed: bool,
) -> Vec<Finding> {
    let cleaned_copy = cleaned(spec);
    let (copy, size) = match &cleaned_copy {
        Some(copy) => (copy, file::render(copy).len()),
        None => (
            spec,
            text.map_or_else(|| file::render(spec).len(), str::len),
        ),
    };
    if size > MAX_CONFIG_MAP_DATA_SIZE {
        return vec![Finding {
            stage: Stage::Size,
            field: "spec".to_owned(),
            group: None,
            rule: None,
            message: format!(
                "the length of rendered Prometheus Rule is {size} bytes which is above the \
                 maximum limit of {MAX_CONFIG_MAP_DATA_SIZE} bytes"
            ),
            position: None,
        }];
    }
    if let Some(finding) = decode_errors(copy) {
        return vec![finding];
    }
    validate_groups(copy, scheme, options, exprs_parsed)
}

/// What decoding the YAML into rulefmt's types refuses: the first duration that does not parse
/// (`model.Duration`), in the file's key order.
fn decode_errors(spec: &PrometheusRuleSpec) -> Option<Finding> {
    let bad = |at: &str, key: &str, value: &Option<String>| -> Option<Finding> {
        let value = value.as_deref()?;
        let message = if value.is_empty() {
            "empty duration string".to_owned()
        } else if Duration::parse(value).is_err() {
            format!("not a valid duration string: {value:?}")
        } else {
            return None;
        };
        Some(Finding {
            stage: Stage::Rulefmt,
            field: format!("{at}.{key}"),
            group: None,
            rule: None,
            message,
            position: None,
        })
    };
    spec.groups.iter().enumerate().find_map(|(g, group)| {
        let at = format!("spec.groups[{g}]");
        bad(&at, "interval", &group.interval)
            .or_else(|| bad(&at, "query_offset", &group.query_offset))
            .or_else(|| {
                group.rules.iter().enumerate().find_map(|(r, rule)| {
                    let at = format!("{at}.rules[{r}]");
                    bad(&at, "for", &rule.for_)
                        .or_else(|| bad(&at, "keep_firing_for", &rule.keep_firing_for))
                })
            })
    })
}

fn validate_groups(
    spec: &PrometheusRuleSpec,
    scheme: NameValidationScheme,
    options: &ParserOptions,
    exprs_parsed: bool,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut seen = BTreeSet::new();
    for (g, group) in spec.groups.iter().enumerate() {
        let group_finding = |field: &str, message: String| Finding {
            stage: Stage::Rulefmt,
            field: format!("spec.groups[{g}]{field}"),
            group: Some(g),
            rule: None,
            message,
            position: None,
        };
        if group.name.is_empty() {
            findings.push(group_finding(
                ".name",
                "Groupname must not be empty".to_owned(),
            ));
        }
        if !seen.insert(group.name.as_str()) {
            findings.push(group_finding(
                ".name",
                format!("groupname: \"{}\" is repeated in the same file", group.name),
            ));
        }
        for name in group.labels.keys() {
            if !scheme.is_valid_label_name(name) || name == "__name__" {
                findings.push(group_finding(
                    &format!(".labels[{name}]"),
                    format!("invalid label name: {name}"),
                ));
            }
        }
        for (r, rule) in group.rules.iter().enumerate() {
            let rule_name = rule
                .alert
                .as_deref()
                .filter(|a| !a.is_empty())
                .or(rule.record.as_deref())
                .unwrap_or("");
            for (field, message, position) in
                validate_rule_item(rule, scheme, options, exprs_parsed)
            {
                findings.push(Finding {
                    stage: Stage::Rulefmt,
                    field: format!("spec.groups[{g}].rules[{r}]{field}"),
                    group: Some(g),
                    rule: Some(r),
                    message: format!(
                        "group \"{}\", rule {}, \"{}\": {message}",
                        group.name,
                        r + 1,
                        rule_name
                    ),
                    position,
                });
            }
        }
    }
    findings
}

type RuleError = (String, String, Option<promql::Position>);

/// `Rule.Validate`: `(field suffix, message, position in the expression)` per error.
fn validate_rule_item(
    rule: &Rule,
    scheme: NameValidationScheme,
    options: &ParserOptions,
    expr_parsed: bool,
) -> Vec<RuleError> {
    let mut errors: Vec<RuleError> = Vec::new();
    let mut push = |field: &str, message: String| errors.push((field.to_owned(), message, None));
    let record = rule.record.as_deref().unwrap_or("");
    let alert = rule.alert.as_deref().unwrap_or("");
    if !record.is_empty() && !alert.is_empty() {
        push(
            "",
            "only one of 'record' and 'alert' must be set".to_owned(),
        );
    }
    if record.is_empty() && alert.is_empty() {
        push("", "one of 'record' or 'alert' must be set".to_owned());
    }
    let expr = rule.expr_text();
    if expr.is_empty() {
        push(".expr", "field 'expr' must be set in rule".to_owned());
    } else if let Err(e) = (!expr_parsed)
        .then(|| promql::parse(&expr, options))
        .transpose()
    {
        let position = e.position();
        errors.push((
            ".expr".to_owned(),
            format!("could not parse expression: {e}"),
            position,
        ));
    }
    let mut push = |field: &str, message: String| errors.push((field.to_owned(), message, None));
    let nonzero = |d: &Option<String>| {
        d.as_deref()
            .and_then(|d| Duration::parse(d).ok())
            .is_some_and(|d| !d.is_zero())
    };
    if !record.is_empty() {
        if !rule.annotations.is_empty() {
            push(
                ".record",
                "invalid field 'annotations' in recording rule".to_owned(),
            );
        }
        if nonzero(&rule.for_) {
            push(
                ".record",
                "invalid field 'for' in recording rule".to_owned(),
            );
        }
        if nonzero(&rule.keep_firing_for) {
            push(
                ".record",
                "invalid field 'keep_firing_for' in recording rule".to_owned(),
            );
        }
        if !scheme.is_valid_metric_name(record) {
            push(".record", format!("invalid recording rule name: {record}"));
        }
        if record.contains(['{', '}']) {
            push(
                ".record",
                format!(
                    "braces present in the recording rule name; should it be in expr?: {record}"
                ),
            );
        }
    }
    for name in rule.labels.keys() {
        if !scheme.is_valid_label_name(name) || name == "__name__" {
            push(
                &format!(".labels[{name}]"),
                format!("invalid label name: {name}"),
            );
        }
    }
    for name in rule.annotations.keys() {
        if !scheme.is_valid_label_name(name) {
            push(
                &format!(".annotations[{name}]"),
                format!("invalid annotation name: {name}"),
            );
        }
    }
    if !alert.is_empty() {
        for (name, value) in &rule.labels {
            if let Err(e) = check_template(alert, value) {
                push(&format!(".labels[{name}]"), format!("label {name:?}: {e}"));
            }
        }
        for (name, value) in &rule.annotations {
            if let Err(e) = check_template(alert, value) {
                push(
                    &format!(".annotations[{name}]"),
                    format!("annotation {name:?}: {e}"),
                );
            }
        }
    }
    errors
}

/// rulefmt's `testTemplateParsing` of one label or annotation value of alert `alert`.
fn check_template(alert: &str, text: &str) -> Result<(), String> {
    use crate::go::template::{BUILTINS, PROMETHEUS_ALERT_VARIABLES, PROMETHEUS_FUNCTIONS, parse};
    parse(
        &format!("__alert_{alert}"),
        text,
        &[BUILTINS, PROMETHEUS_FUNCTIONS],
        &PROMETHEUS_ALERT_VARIABLES,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_interval_and_for_are_written_and_refused_downstream() {
        let doc = crate::yaml::parse(
            "groups:\n\
             - {name: g, interval: '', rules: [{alert: a, expr: up, for: ''}, {alert: b, expr: up, for: 5m}]}\n\
             - {name: h, interval: 1m, rules: [{record: r, expr: up}]}\n",
        )
        .unwrap();
        let spec: PrometheusRuleSpec = serde_json::from_value(doc.to_json()).unwrap();
        let fields: Vec<String> = empty_durations_written(&spec)
            .into_iter()
            .map(|v| v.field)
            .collect();
        assert_eq!(
            fields,
            ["spec.groups[0].interval", "spec.groups[0].rules[0].for"]
        );
        // The operator's own check passes: it validates a copy without them.
        let options = ParserOptions::default();
        assert!(validate_rule(&spec, NameValidationScheme::Utf8, &options).is_empty());
    }
}
