//! The checks on a selected PrometheusRule: what Prometheus's rule-file parser refuses
//! (upstream `rulefmt.RuleGroups.Validate`, which the operator runs through
//! `PrometheusRuleSelector`).

use crate::duration::Duration;
use crate::monitoring::v1::PrometheusRule;
use crate::relabel::NameValidationScheme;
use crate::validate::{Check, Checked, Context, fail};

/// The checks the operator runs on a selected PrometheusRule: what Prometheus's rule-file
/// parser refuses.
pub fn prometheus_rule(ctx: &Context<'_>, rule: &PrometheusRule) -> Checked {
    let scheme = NameValidationScheme::of_version(ctx.version);
    let mut group_names = std::collections::BTreeSet::new();
    for (g, group) in rule.spec.groups.iter().enumerate() {
        let at = format!("spec.groups[{g}]");
        if group.name.is_empty() {
            fail(
                Check::Rule,
                format!("{at}.name"),
                "group name must not be empty",
            )?;
        }
        if !group_names.insert(group.name.as_str()) {
            fail(
                Check::Rule,
                format!("{at}.name"),
                format!("{:?}: repeated in the same file", group.name),
            )?;
        }
        for (r, item) in group.rules.iter().enumerate() {
            let at = format!("{at}.rules[{r}]");
            rule_item(item, scheme, &at)?;
        }
    }
    Ok(())
}

fn rule_item(
    rule: &crate::monitoring::v1::prometheus_rule::Rule,
    scheme: NameValidationScheme,
    at: &str,
) -> Checked {
    let record = rule.record.as_deref().unwrap_or("");
    let alert = rule.alert.as_deref().unwrap_or("");
    let expr = rule.expr_text();
    match (record.is_empty(), alert.is_empty()) {
        (false, false) => fail(
            Check::Rule,
            at,
            "only one of 'record' and 'alert' must be set",
        )?,
        (true, true) => fail(Check::Rule, at, "one of 'record' or 'alert' must be set")?,
        _ => {}
    }
    if expr.trim().is_empty() {
        fail(
            Check::Rule,
            format!("{at}.expr"),
            "field 'expr' must be set in rule",
        )?;
    } else if let Err(e) = promql_parser::parser::parse(&expr) {
        fail(
            Check::Rule,
            format!("{at}.expr"),
            format!("could not parse expression: {e}"),
        )?;
    }
    if !record.is_empty() {
        if !rule.annotations.is_empty() {
            fail(
                Check::Rule,
                format!("{at}.annotations"),
                "invalid field 'annotations' in recording rule",
            )?;
        }
        if rule.for_.as_deref().is_some_and(|f| !f.is_empty()) {
            fail(
                Check::Rule,
                format!("{at}.for"),
                "invalid field 'for' in recording rule",
            )?;
        }
        if rule.keep_firing_for.is_some() {
            fail(
                Check::Rule,
                format!("{at}.keep_firing_for"),
                "invalid field 'keep_firing_for' in recording rule",
            )?;
        }
        if !scheme.is_valid_metric_name(record) {
            fail(
                Check::Rule,
                format!("{at}.record"),
                format!("invalid recording rule name: {record}"),
            )?;
        }
    }
    for name in rule.labels.keys() {
        if !scheme.is_valid_label_name(name) || name == "__name__" {
            fail(
                Check::Rule,
                format!("{at}.labels"),
                format!("invalid label name: {name}"),
            )?;
        }
    }
    for name in rule.annotations.keys() {
        if !scheme.is_valid_label_name(name) {
            fail(
                Check::Rule,
                format!("{at}.annotations"),
                format!("invalid annotation name: {name}"),
            )?;
        }
    }
    for (field, value) in [
        ("for", &rule.for_),
        ("keep_firing_for", &rule.keep_firing_for),
    ] {
        if let Some(v) = value.as_deref().filter(|v| !v.is_empty())
            && Duration::parse(v).is_err()
        {
            fail(
                Check::Rule,
                format!("{at}.{field}"),
                format!("not a valid duration string: {v:?}"),
            )?;
        }
    }
    Ok(())
}
