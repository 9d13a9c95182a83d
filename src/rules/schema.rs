//! What the API server checks on a PrometheusRule from the CRD's OpenAPI schema
//! (example/prometheus-operator-crd-full/monitoring.coreos.com_prometheusrules.yaml): group
//! `name` required and non-empty, `groups` a list map keyed by `name`, rule `expr` required,
//! duration patterns, `keep_firing_for` non-empty, `partial_response_strategy` pattern, string
//! label and annotation values, integer `limit`. Messages follow the API server's field errors.

use regex::Regex;
use serde_json::Value;
use std::sync::LazyLock;

use super::{Finding, Stage};

/// The CRD's duration pattern.
static DURATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$")
        .unwrap_or_else(|_| unreachable!("constant pattern"))
});

/// The CRD's `partial_response_strategy` pattern.
static PARTIAL_RESPONSE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i)(abort|warn)?$").unwrap_or_else(|_| unreachable!("constant pattern"))
});

fn finding(field: String, message: String) -> Finding {
    Finding {
        stage: Stage::Schema,
        field,
        group: None,
        rule: None,
        message,
        position: None,
    }
}

/// Checks a PrometheusRule object (as JSON) against the rule-specific parts of its CRD schema.
pub fn check(object: &Value) -> Vec<Finding> {
    let mut out = Vec::new();
    let Some(groups) = object.pointer("/spec/groups").and_then(Value::as_array) else {
        return out;
    };
    let mut names: Vec<&str> = Vec::new();
    for (g, group) in groups.iter().enumerate() {
        let at = format!("spec.groups[{g}]");
        match group.get("name") {
            None | Some(Value::Null) => {
                out.push(finding(format!("{at}.name"), "Required value".to_owned()))
            }
            Some(Value::String(name)) => {
                if name.is_empty() {
                    out.push(finding(
                        format!("{at}.name"),
                        "Invalid value: \"\": should be at least 1 chars long".to_owned(),
                    ));
                }
                if names.contains(&name.as_str()) {
                    out.push(finding(
                        at.clone(),
                        format!("Duplicate value: map[string]interface {{}}{{\"name\":{name:?}}}"),
                    ));
                }
                names.push(name);
            }
            Some(other) => out.push(type_error(format!("{at}.name"), other, "string")),
        }
        for key in ["interval", "query_offset"] {
            pattern(group.get(key), format!("{at}.{key}"), &DURATION, &mut out);
        }
        pattern(
            group.get("partial_response_strategy"),
            format!("{at}.partial_response_strategy"),
            &PARTIAL_RESPONSE,
            &mut out,
        );
        if let Some(limit) = group.get("limit")
            && !limit.is_null()
            && !limit.is_i64()
        {
            out.push(type_error(format!("{at}.limit"), limit, "integer"));
        }
        strings(group.get("labels"), &format!("{at}.labels"), &mut out);
        let Some(rules) = group.get("rules").and_then(Value::as_array) else {
            continue;
        };
        for (r, rule) in rules.iter().enumerate() {
            let at = format!("{at}.rules[{r}]");
            match rule.get("expr") {
                None | Some(Value::Null) => {
                    out.push(finding(format!("{at}.expr"), "Required value".to_owned()));
                }
                Some(Value::String(_)) => {}
                Some(v) if v.is_i64() => {}
                Some(other) => {
                    out.push(type_error(format!("{at}.expr"), other, "integer or string"))
                }
            }
            pattern(rule.get("for"), format!("{at}.for"), &DURATION, &mut out);
            if rule.get("keep_firing_for").and_then(Value::as_str) == Some("") {
                out.push(finding(
                    format!("{at}.keep_firing_for"),
                    "Invalid value: \"\": should be at least 1 chars long".to_owned(),
                ));
            } else {
                pattern(
                    rule.get("keep_firing_for"),
                    format!("{at}.keep_firing_for"),
                    &DURATION,
                    &mut out,
                );
            }
            strings(rule.get("labels"), &format!("{at}.labels"), &mut out);
            strings(
                rule.get("annotations"),
                &format!("{at}.annotations"),
                &mut out,
            );
        }
    }
    out
}

fn type_error(field: String, value: &Value, want: &str) -> Finding {
    finding(
        field,
        format!("Invalid value: {value}: must be of type {want}"),
    )
}

fn pattern(value: Option<&Value>, field: String, regex: &Regex, out: &mut Vec<Finding>) {
    match value {
        None | Some(Value::Null) => {}
        Some(Value::String(s)) => {
            if !regex.is_match(s) {
                out.push(finding(
                    field.clone(),
                    format!(
                        "Invalid value: {s:?}: {field} in body should match '{}'",
                        regex.as_str()
                    ),
                ));
            }
        }
        Some(other) => out.push(type_error(field, other, "string")),
    }
}

fn strings(value: Option<&Value>, field: &str, out: &mut Vec<Finding>) {
    if let Some(Value::Object(map)) = value {
        for (key, v) in map {
            if !v.is_string() {
                out.push(type_error(format!("{field}.{key}"), v, "string"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn list_map_and_patterns() {
        let object = json!({"spec": {"groups": [
            {"name": "a", "partial_response_strategy": "invalid"},
            {"name": "a", "rules": [{"record": "r", "expr": "x", "keep_firing_for": ""}]},
            {"name": "b", "partial_response_strategy": "WARN", "interval": "1m30s"}
        ]}});
        let fields: Vec<String> = check(&object).into_iter().map(|f| f.field).collect();
        assert_eq!(
            fields,
            [
                "spec.groups[0].partial_response_strategy",
                "spec.groups[1]",
                "spec.groups[1].rules[0].keep_firing_for"
            ]
        );
    }
}
