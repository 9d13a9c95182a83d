//! The operator's admission webhook for PrometheusRules (pkg/admission/admission.go,
//! `validatePrometheusRules`, `mutatePrometheusRules`; jsonpatch.go,
//! `generatePatchesForNonStringLabelsAnnotations`), on the review's `request.object`.

use serde_json::{Map, Value, json};

use crate::monitoring::v1::PrometheusRule;

use super::{Finding, ParserOptions, Stage, go, rulefmt};
use crate::relabel::NameValidationScheme;

/// The annotation the mutating webhook adds.
pub const VALIDATED_ANNOTATION: &str = "prometheus-operator-validated";

/// The webhook's flags.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WebhookOptions {
    /// `--name-validation-scheme` (default legacy, whatever the Prometheus version).
    pub scheme: NameValidationScheme,
    /// `--promql-options`.
    pub parser: ParserOptions,
}

impl Default for WebhookOptions {
    fn default() -> Self {
        WebhookOptions {
            scheme: NameValidationScheme::Legacy,
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
            let got = crate::go::json::type_name(value);
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
    if let Err(message) = decode_envelope(object) {
        return Admission::refused(
            "Cannot unmarshal admission request",
            vec![decode_finding(message)],
        );
    }
    let mut patch = match label_patches(object.get("spec")) {
        Ok(patch) => patch,
        Err(message) => {
            return Admission::refused(
                "Cannot unmarshal rules from spec",
                vec![decode_finding(format!(
                    "cannot unmarshal RuleGroups: {message}"
                ))],
            );
        }
    };
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

/// `encoding/json`'s type error for `value` decoded into `target` (`Go value` or
/// `Go struct field <path>`) of Go type `go_type`.
fn unmarshal_error(value: &Value, target: &str, go_type: &str) -> String {
    format!(
        "json: cannot unmarshal {} into {target} of type {go_type}",
        crate::go::json::type_name(value)
    )
}

/// How `encoding/json` fills a Go struct or map from `value`: absent or null leaves it zero
/// (`None`), an object fills it, anything else is a type error.
fn go_object<'a>(
    value: Option<&'a Value>,
    target: &str,
    go_type: &str,
) -> Result<Option<&'a Map<String, Value>>, String> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(map)) => Ok(Some(map)),
        Some(other) => Err(unmarshal_error(other, target, go_type)),
    }
}

/// [`go_object`] for a Go slice: an array fills it.
fn go_array<'a>(
    value: Option<&'a Value>,
    target: &str,
    go_type: &str,
) -> Result<Option<&'a Vec<Value>>, String> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(items)) => Ok(Some(items)),
        Some(other) => Err(unmarshal_error(other, target, go_type)),
    }
}

/// `json.Unmarshal` of the object into the webhook's `PrometheusRules` envelope: only the
/// metadata maps can fail (the spec is kept raw).
fn decode_envelope(object: &Value) -> Result<(), String> {
    let envelope = go_object(Some(object), "Go value", "admission.PrometheusRules")?;
    let Some(meta) = go_object(
        envelope.and_then(|e| e.get("metadata")),
        "Go struct field PrometheusRules.metadata",
        "v1.ObjectMeta",
    )?
    else {
        return Ok(());
    };
    for field in ["annotations", "labels"] {
        let target = format!("Go struct field PrometheusRules.metadata.{field}");
        if let Some(entries) = go_object(meta.get(field), &target, "map[string]string")?
            && let Some(value) = entries.values().find(|v| !v.is_string() && !v.is_null())
        {
            return Err(unmarshal_error(value, &target, "string"));
        }
    }
    Ok(())
}

/// `generatePatchesForNonStringLabelsAnnotations` on the raw spec: a `replace` operation for
/// every non-string rule label or annotation value, or the decoding error. A missing or null
/// spec is an empty raw message, which Go refuses to decode.
fn label_patches(spec: Option<&Value>) -> Result<Vec<Value>, String> {
    if spec.is_none_or(Value::is_null) {
        return Err("unexpected end of JSON input".to_owned());
    }
    let spec = go_object(spec, "Go value", "admission.RuleGroups")?;
    let Some(groups) = go_array(
        spec.and_then(|s| s.get("groups")),
        "Go struct field RuleGroups.groups",
        "[]admission.RuleGroup",
    )?
    else {
        return Ok(Vec::new());
    };
    let mut patch = Vec::new();
    for (g, group) in groups.iter().enumerate() {
        let Some(group) = go_object(
            Some(group),
            "Go struct field RuleGroups.groups",
            "admission.RuleGroup",
        )?
        else {
            continue;
        };
        let Some(rules) = go_array(
            group.get("rules"),
            "Go struct field RuleGroup.groups.rules",
            "[]admission.Rule",
        )?
        else {
            continue;
        };
        for (r, rule) in rules.iter().enumerate() {
            let Some(rule) = go_object(
                Some(rule),
                "Go struct field RuleGroup.groups.rules",
                "admission.Rule",
            )?
            else {
                continue;
            };
            for field in ["annotations", "labels"] {
                let Some(entries) = go_object(
                    rule.get(field),
                    &format!("Go struct field Rule.groups.rules.{field}"),
                    "map[string]interface {}",
                )?
                else {
                    continue;
                };
                let mut entries: Vec<(&String, &Value)> = entries.iter().collect();
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
    Ok(patch)
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

    #[test]
    fn mutate_refuses_what_go_cannot_decode() {
        let refused = |object: Value| {
            let answer = admit(Hook::Mutate, &object, &WebhookOptions::default());
            assert!(!answer.allowed, "{object}");
            (
                answer.message.unwrap_or_default(),
                answer.causes[0].message.clone(),
            )
        };
        assert_eq!(
            refused(json!({"metadata": {"name": "r"}})),
            (
                "Cannot unmarshal rules from spec".to_owned(),
                "cannot unmarshal RuleGroups: unexpected end of JSON input".to_owned()
            )
        );
        assert_eq!(
            refused(json!({"metadata": {"annotations": {"a": 1}}, "spec": {}})).0,
            "Cannot unmarshal admission request"
        );
        assert_eq!(
            refused(json!({"spec": {"groups": ["g"]}})).1,
            "cannot unmarshal RuleGroups: json: cannot unmarshal string into Go struct field \
             RuleGroups.groups of type admission.RuleGroup"
        );
        let allowed = admit(
            Hook::Mutate,
            &json!({"spec": {"groups": [null, {"rules": null}]}}),
            &WebhookOptions::default(),
        );
        assert!(allowed.allowed);
        assert_eq!(allowed.patch.len(), 1);
    }
}
