//! The operator's admission webhook for PrometheusRules (pkg/admission/admission.go,
//! `validatePrometheusRules`, `mutatePrometheusRules`; jsonpatch.go,
//! `generatePatchesForNonStringLabelsAnnotations`), on the review's `request.object`.

use serde_json::{Value, json};

use crate::monitoring::v1::PrometheusRule;

use super::{Finding, NameScheme, ParserOptions, Stage, go, rulefmt};

/// The annotation the mutating webhook adds.
pub const VALIDATED_ANNOTATION: &str = "prometheus-operator-validated";

/// The webhook's flags.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WebhookOptions {
    /// `--name-validation-scheme` (default legacy, whatever the Prometheus version).
    pub scheme: NameScheme,
    /// `--promql-options`.
    pub parser: ParserOptions,
}

impl Default for WebhookOptions {
    fn default() -> Self {
        WebhookOptions {
            scheme: NameScheme::Legacy,
            parser: ParserOptions::default(),
        }
    }
}

/// Which endpoint answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hook {
    /// `/admission-prometheusrules/validate`.
    Validate,
    /// `/admission-prometheusrules/mutate`.
    Mutate,
}

/// The webhook's answer.
#[derive(Clone, Debug, PartialEq)]
pub struct Admission {
    /// `response.allowed`.
    pub allowed: bool,
    /// `response.result.message` when refused ("Rules are not valid", ...).
    pub message: Option<String>,
    /// `response.result.details.causes`, one per error.
    pub causes: Vec<Finding>,
    /// The JSON patch operations (mutate only), in a deterministic order (Go's is map order).
    pub patch: Vec<Value>,
}

impl Admission {
    fn refused(message: &str, causes: Vec<Finding>) -> Self {
        Admission {
            allowed: false,
            message: Some(message.to_owned()),
            causes,
            patch: Vec::new(),
        }
    }
}

/// Answers `hook` for the PrometheusRule `object` (the review's `request.object`).
pub fn admit(hook: Hook, object: &Value, options: &WebhookOptions) -> Admission {
    match hook {
        Hook::Validate => validate(object, options),
        Hook::Mutate => mutate(object),
    }
}

fn decode_finding(message: String) -> Finding {
    Finding {
        stage: Stage::Decode,
        field: "spec".to_owned(),
        group: None,
        rule: None,
        message,
        position: None,
    }
}

fn validate(object: &Value, options: &WebhookOptions) -> Admission {
    let rule = match decode(object) {
        Ok(rule) => rule,
        Err(message) => {
            return Admission::refused(
                "Cannot unmarshal rules from spec",
                vec![decode_finding(message)],
            );
        }
    };
    let findings = rulefmt::validate_rule(&rule.spec, options.scheme, &options.parser);
    if findings.is_empty() {
        Admission {
            allowed: true,
            message: None,
            causes: Vec::new(),
            patch: Vec::new(),
        }
    } else {
        Admission::refused("Rules are not valid", findings)
    }
}

/// `json.Unmarshal` into a PrometheusRule: the first type mismatch in Go's wording, else the
/// typed object.
fn decode(object: &Value) -> Result<PrometheusRule, String> {
    if let Some(message) = type_mismatch(object) {
        return Err(message);
    }
    serde_json::from_value(object.clone()).map_err(|e| format!("json: {e}"))
}

/// Go's expected JSON type of a field, by path below `spec` ("*" = every element / key).
fn expected_type(path: &[&str]) -> Option<(&'static str, &'static str)> {
    // (Go struct holding the field, Go type)
    Some(match path {
        ["groups"] => ("PrometheusRuleSpec", "array"),
        ["groups", "*"] => ("PrometheusRuleSpec", "object"),
        [
            "groups",
            "*",
            "name" | "interval" | "query_offset" | "partial_response_strategy",
        ] => ("RuleGroup", "string"),
        ["groups", "*", "labels"] => ("RuleGroup", "object"),
        ["groups", "*", "labels", "*"] => ("RuleGroup", "string"),
        ["groups", "*", "limit"] => ("RuleGroup", "int"),
        ["groups", "*", "rules"] => ("RuleGroup", "array"),
        ["groups", "*", "rules", "*"] => ("RuleGroup", "object"),
        [
            "groups",
            "*",
            "rules",
            "*",
            "record" | "alert" | "for" | "keep_firing_for",
        ] => ("Rule", "string"),
        ["groups", "*", "rules", "*", "labels" | "annotations"] => ("Rule", "object"),
        ["groups", "*", "rules", "*", "labels" | "annotations", "*"] => ("Rule", "string"),
        _ => return None,
    })
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// The first value whose JSON type does not fit the Go field, as `encoding/json` reports it.
fn type_mismatch(object: &Value) -> Option<String> {
    let spec = object.get("spec")?;
    // Depth is fixed by the schema paths (at most six levels).
    fn walk(
        value: &Value,
        path: &mut Vec<&'static str>,
        go_path: &mut Vec<String>,
    ) -> Option<String> {
        if let Some((owner, want)) = expected_type(path) {
            let got = json_type(value);
            let fits = match (want, value) {
                (_, Value::Null) => true,
                ("int", Value::Number(n)) => n.is_i64() || n.is_u64(),
                ("object", Value::Object(_))
                | ("array", Value::Array(_))
                | ("string", Value::String(_)) => true,
                _ => false,
            };
            if !fits {
                let go_type = match want {
                    "object" => "map[string]string",
                    "array" => "slice",
                    other => other,
                };
                let got = if want == "int" && got == "number" {
                    format!("number {}", value)
                } else {
                    got.to_owned()
                };
                return Some(format!(
                    "json: cannot unmarshal {got} into Go struct field {owner}.spec.{} of type {go_type}",
                    go_path.join(".")
                ));
            }
        }
        match value {
            Value::Array(items) => {
                for item in items {
                    path.push("*");
                    let found = walk(item, path, go_path);
                    path.pop();
                    if found.is_some() {
                        return found;
                    }
                }
            }
            Value::Object(map) => {
                for (key, item) in map {
                    let leaf = path
                        .last()
                        .is_some_and(|l| matches!(*l, "labels" | "annotations"));
                    let segment: &'static str = if leaf {
                        "*"
                    } else {
                        match KNOWN_KEYS.iter().find(|k| **k == key) {
                            Some(k) => k,
                            None => continue,
                        }
                    };
                    path.push(segment);
                    if !leaf {
                        go_path.push(key.clone());
                    }
                    let found = walk(item, path, go_path);
                    if !leaf {
                        go_path.pop();
                    }
                    path.pop();
                    if found.is_some() {
                        return found;
                    }
                }
            }
            _ => {}
        }
        None
    }
    walk(spec, &mut Vec::new(), &mut Vec::new())
}

const KNOWN_KEYS: &[&str] = &[
    "groups",
    "name",
    "interval",
    "query_offset",
    "partial_response_strategy",
    "labels",
    "limit",
    "rules",
    "record",
    "alert",
    "for",
    "keep_firing_for",
    "annotations",
    "expr",
];

fn mutate(object: &Value) -> Admission {
    if !object.is_object()
        || object
            .get("metadata")
            .is_some_and(|m| !m.is_object() && !m.is_null())
    {
        return Admission::refused(
            "Cannot unmarshal admission request",
            vec![decode_finding(
                "json: cannot unmarshal into PrometheusRules".to_owned(),
            )],
        );
    }
    let mut patch = Vec::new();
    let groups = object.pointer("/spec/groups");
    match groups {
        None | Some(Value::Null) => {}
        Some(Value::Array(groups)) => {
            for (g, group) in groups.iter().enumerate() {
                let rules = match group.get("rules") {
                    None | Some(Value::Null) => continue,
                    Some(Value::Array(rules)) => rules,
                    Some(other) => return unmarshal_refusal(other),
                };
                for (r, rule) in rules.iter().enumerate() {
                    for field in ["annotations", "labels"] {
                        let map = match rule.get(field) {
                            None | Some(Value::Null) => continue,
                            Some(Value::Object(map)) => map,
                            Some(other) => return unmarshal_refusal(other),
                        };
                        let mut entries: Vec<(&String, &Value)> = map.iter().collect();
                        entries.sort_by(|a, b| a.0.cmp(b.0));
                        for (key, value) in entries {
                            if value.is_string() || value.is_null() {
                                continue;
                            }
                            // Upstream writes the key into the path unescaped.
                            patch.push(json!({
                                "op": "replace",
                                "path": format!("/spec/groups/{g}/rules/{r}/{field}/{key}"),
                                "value": go::format_json_value(value),
                            }));
                        }
                    }
                }
            }
        }
        Some(other) => return unmarshal_refusal(other),
    }
    let has_annotations = object
        .pointer("/metadata/annotations")
        .and_then(Value::as_object)
        .is_some_and(|a| !a.is_empty());
    patch.push(if has_annotations {
        json!({"op": "add", "path": format!("/metadata/annotations/{VALIDATED_ANNOTATION}"), "value": "true"})
    } else {
        json!({"op": "add", "path": "/metadata/annotations", "value": {VALIDATED_ANNOTATION: "true"}})
    });
    Admission {
        allowed: true,
        message: None,
        causes: Vec::new(),
        patch,
    }
}

fn unmarshal_refusal(value: &Value) -> Admission {
    Admission::refused(
        "Cannot unmarshal rules from spec",
        vec![decode_finding(format!(
            "cannot unmarshal RuleGroups: json: cannot unmarshal {} into Go value",
            json_type(value)
        ))],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validate_decodes_like_go() {
        let object = json!({"metadata": {"name": "r"}, "spec": {"groups": [{"name": "g", "rules": [
            {"alert": "A", "expr": "vector(1)", "annotations": {"b": false}}]}]}});
        let answer = admit(Hook::Validate, &object, &WebhookOptions::default());
        assert!(!answer.allowed);
        assert_eq!(
            answer.causes[0].message,
            "json: cannot unmarshal bool into Go struct field Rule.spec.groups.rules.annotations of type string"
        );
    }

    #[test]
    fn validate_reports_rulefmt_errors_in_order() {
        let object = json!({"metadata": {"name": "r"}, "spec": {"groups": [{"name": "test.rules", "rules": [
            {"alert": "Test", "expr": "vector(1))", "annotations": {"val": "{{ print “%f“ $value }}"}}]}]}});
        let answer = admit(Hook::Validate, &object, &WebhookOptions::default());
        assert_eq!(answer.message.as_deref(), Some("Rules are not valid"));
        assert_eq!(answer.causes.len(), 2);
        assert!(
            answer.causes[0]
                .message
                .contains("unexpected right parenthesis ')'")
        );
        assert!(
            answer.causes[1]
                .message
                .contains("unrecognized character in action: U+201C")
        );
    }

    #[test]
    fn mutate_stringifies_and_annotates() {
        let object = json!({"metadata": {"name": "r"}, "spec": {"groups": [{"name": "g", "rules": [
            {"alert": "A", "expr": "x", "labels": {"n": 1, "s": "x", "z": null}}]}]}});
        let answer = admit(Hook::Mutate, &object, &WebhookOptions::default());
        assert!(answer.allowed);
        assert_eq!(
            answer.patch,
            vec![
                json!({"op": "replace", "path": "/spec/groups/0/rules/0/labels/n", "value": "1"}),
                json!({"op": "add", "path": "/metadata/annotations", "value": {"prometheus-operator-validated": "true"}}),
            ]
        );
    }
}
