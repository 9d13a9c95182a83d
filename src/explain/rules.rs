//! Why a PrometheusRule is (not) loaded, where it lands and what enforcement makes of it.
//! Mirrors the operator's `PrometheusRuleSelector.Select` (selection, `ValidateRule`), the
//! namespace labeler and `PrometheusRuleSyncer` (the ConfigMap and file names).

use serde::Serialize;

use super::fields;
use super::verdicts::{SelectorFields, exclusion_reasons};
use super::{Labels, Note, ObjectRef, Reason, ReasonCode, Status, Verdict, show_labels};
use crate::monitoring::v1::PrometheusRule;
use crate::operator::OperatorOptions;
use crate::rules::{self, Instance, RuleOutcome};
use crate::snapshot::{FindError, Snapshot, name_of, namespace_of};

/// One expression of the rule as the instance loads it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Expression {
    /// `spec.groups[0].rules[1]`.
    pub field: String,
    /// The group's name.
    pub group: String,
    /// `alert: NAME` or `record: NAME`.
    pub rule: String,
    /// As written.
    pub original: String,
    /// After `enforcedNamespaceLabel` (equal to the original without enforcement).
    pub enforced: String,
    /// The labels an alert of the rule carries after enforcement: its group's (when the rule
    /// file keeps them), under its own.
    pub labels: Labels,
}

/// Where the rule lands for one instance that loads it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Placement {
    /// `Prometheus namespace/name` or `ThanosRuler namespace/name`.
    pub instance: String,
    /// The ConfigMap holding the file.
    pub config_map: String,
    /// The file (`<namespace>-<name>-<uid>.yaml`).
    pub file: String,
    /// `enforcedNamespaceLabel`, when it applies to this rule.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enforced_label: Option<String>,
    /// Fields dropped for the instance's version.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub dropped_fields: Vec<String>,
    /// Every expression, after enforcement.
    pub expressions: Vec<Expression>,
}

/// The answer for one PrometheusRule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PrometheusRuleExplanation {
    /// The `PrometheusRule`.
    #[serde(flatten)]
    pub object: ObjectRef,
    /// The object's own labels (what `ruleSelector` is matched against).
    pub labels: Labels,
    /// Every Prometheus and ThanosRuler, with whether it loads the rule and why not.
    pub instances: Vec<Verdict>,
    /// Where the rule lands, per instance that loads it.
    pub placements: Vec<Placement>,
    /// Notes.
    pub notes: Vec<Note>,
}

/// Every Prometheus then every ThanosRuler, each in `namespace/name` order.
pub fn rule_instances(snapshot: &Snapshot) -> Vec<Instance<'_>> {
    let mut out: Vec<Instance<'_>> = snapshot
        .prometheuses
        .iter()
        .map(Instance::Prometheus)
        .chain(snapshot.thanos_rulers.iter().map(Instance::ThanosRuler))
        .collect();
    out.sort_by_key(|i| {
        let ruler = matches!(i, Instance::ThanosRuler(_));
        (ruler, format!("{}/{}", i.namespace(), i.name()))
    });
    out
}

/// The rule's own name (`alert: X`, `record: Y`).
pub fn rule_title(rule: &crate::monitoring::v1::prometheus_rule::Rule) -> String {
    match (&rule.alert, &rule.record) {
        (Some(a), _) => format!("alert: {a}"),
        (None, Some(r)) => format!("record: {r}"),
        (None, None) => "(unnamed rule)".to_owned(),
    }
}

/// Labels the rules inside carry for `key`, when the label selector wants one the object
/// lacks: the classic confusion of `ruleSelector` with rule labels.
fn rule_label_hint(rule: &PrometheusRule, key: &str) -> Option<String> {
    let values: std::collections::BTreeSet<&str> = rule
        .spec
        .groups
        .iter()
        .flat_map(|g| g.rules.iter().filter_map(|r| r.labels.get(key)))
        .chain(rule.spec.groups.iter().filter_map(|g| g.labels.get(key)))
        .map(String::as_str)
        .collect();
    if values.is_empty() {
        return None;
    }
    let list: Vec<String> = values.iter().map(|v| format!("{key}={v}")).collect();
    Some(format!(
        "the rules inside carry {}, but spec.ruleSelector is matched against the \
         PrometheusRule's own metadata.labels, never the labels of its rules: add the label to \
         metadata.labels",
        list.join(", ")
    ))
}

fn verdict(
    snapshot: &Snapshot,
    options: &OperatorOptions,
    instance: &Instance<'_>,
    rule: &PrometheusRule,
    outcome: &RuleOutcome,
) -> Verdict {
    let labels: Labels = rule.metadata.labels.clone().unwrap_or_default();
    let object = format!(
        "PrometheusRule {}/{}",
        namespace_of(&rule.metadata),
        name_of(&rule.metadata)
    );
    let json = serde_json::to_value(rule).unwrap_or_default();
    let (status, reasons) = match outcome {
        RuleOutcome::Selected(_) => (Status::Selected, Vec::new()),
        RuleOutcome::NotSelected(exclusion) => {
            let (label, namespace) = instance.selectors();
            let instance_object = format!(
                "{} {}/{}",
                instance.kind(),
                instance.namespace(),
                instance.name()
            );
            let fields = SelectorFields {
                instance_kind: instance.kind(),
                instance: &instance_object,
                instance_namespace: instance.namespace(),
                kind: "PrometheusRule",
                label,
                label_field: "spec.ruleSelector",
                namespace,
                namespace_field: "spec.ruleNamespaceSelector",
            };
            let subject = (object.as_str(), namespace_of(&rule.metadata), &labels);
            let mut reasons = exclusion_reasons((snapshot, options), &fields, subject, exclusion);
            {
                for reason in reasons
                    .iter_mut()
                    .filter(|r| r.code == ReasonCode::LabelSelector)
                {
                    let key = reason
                        .wanted
                        .as_deref()
                        .map(|w| {
                            w.split(['=', '!', ' ', ','])
                                .next()
                                .unwrap_or_default()
                                .to_owned()
                        })
                        .unwrap_or_default();
                    if let Some(hint) = rule_label_hint(rule, &key) {
                        reason.near_misses.push(hint);
                    }
                }
            }
            (Status::NotSelected, reasons)
        }
        RuleOutcome::Rejected(findings) => (
            Status::Rejected,
            findings
                .iter()
                .map(|f| {
                    // Prometheus's own messages already name the group and rule.
                    let place = match (f.group, f.rule) {
                        _ if f.message.starts_with("group ") => String::new(),
                        (Some(g), Some(r)) => {
                            let group = rule.spec.groups.get(g);
                            let title = group
                                .and_then(|gr| gr.rules.get(r))
                                .map(rule_title)
                                .unwrap_or_default();
                            format!(
                                "group {:?}, rule {r} ({title}){}: ",
                                group.map(|gr| gr.name.as_str()).unwrap_or_default(),
                                f.position
                                    .map(|p| format!(", expression position {p}"))
                                    .unwrap_or_default()
                            )
                        }
                        (Some(g), None) => format!(
                            "group {:?}: ",
                            rule.spec
                                .groups
                                .get(g)
                                .map(|gr| gr.name.as_str())
                                .unwrap_or_default()
                        ),
                        _ => String::new(),
                    };
                    Reason {
                        check: Some("rule".to_owned()),
                        ..Reason::new(
                            ReasonCode::Validation,
                            object.clone(),
                            f.field.clone(),
                            fields::value_at(&json, &f.field),
                            format!(
                                "rejected by the operator ({:?} check): {place}{} — the whole \
                                 PrometheusRule is skipped (event InvalidConfiguration)",
                                f.stage, f.message
                            ),
                            format!(
                                "correct {} of {object} so that Prometheus loads it",
                                f.field
                            ),
                        )
                    }
                })
                .collect(),
        ),
        RuleOutcome::Dropped(e) => (
            Status::Rejected,
            vec![Reason::new(
                ReasonCode::Validation,
                object.as_str(),
                e.field(),
                fields::value_at(&json, &e.field()),
                e.consequence(),
                format!(
                    "write the expression so that the label can be added to every selector, or \
                     list {object} in spec.excludedFromEnforcement of {} {}/{}",
                    instance.kind(),
                    instance.namespace(),
                    instance.name()
                ),
            )],
        ),
    };
    Verdict {
        object: ObjectRef::new(instance.kind(), instance.namespace(), instance.name()),
        status,
        reasons,
        operator_conditions: Vec::new(),
    }
}

/// The rule's expressions after `instance`'s enforcement.
fn expressions(
    instance: &Instance<'_>,
    rule: &PrometheusRule,
    dropped_fields: &[rules::DroppedField],
) -> Vec<Expression> {
    let mut rewritten = rule.clone();
    // A rule that cannot be rewritten is Dropped, and never placed.
    let _ = instance.labeler().enforce(&mut rewritten);
    let mut out = Vec::new();
    for (g, (group, enforced_group)) in rule
        .spec
        .groups
        .iter()
        .zip(&rewritten.spec.groups)
        .enumerate()
    {
        let group_labels_field = format!("spec.groups[{g}].labels");
        let group_labels = if dropped_fields.iter().any(|d| d.field == group_labels_field) {
            Labels::new()
        } else {
            enforced_group.labels.clone()
        };
        for (r, (item, enforced)) in group.rules.iter().zip(&enforced_group.rules).enumerate() {
            let mut labels = group_labels.clone();
            labels.extend(enforced.labels.clone());
            out.push(Expression {
                field: format!("spec.groups[{g}].rules[{r}]"),
                group: group.name.clone(),
                rule: rule_title(item),
                original: item.expr_text(),
                enforced: enforced.expr_text(),
                labels,
            });
        }
    }
    out
}

/// Explains which Prometheus and ThanosRuler instances load the PrometheusRule
/// `namespace/name`, why the others do not, where it lands and what enforcement makes of it.
pub fn explain_prometheus_rule(
    snapshot: &Snapshot,
    namespace: Option<&str>,
    name: &str,
    options: &OperatorOptions,
) -> Result<PrometheusRuleExplanation, FindError> {
    let rule = crate::snapshot::find_named(&snapshot.prometheus_rules, namespace, name)?;
    let rule_ns = namespace_of(&rule.metadata);
    let rule_name = name_of(&rule.metadata);
    let key = format!("{rule_ns}/{rule_name}");
    let mut instances = Vec::new();
    let mut placements = Vec::new();
    let mut notes = Vec::new();
    for instance in rule_instances(snapshot) {
        let label = format!(
            "{} {}/{}",
            instance.kind(),
            instance.namespace(),
            instance.name()
        );
        let selection = match rules::select(snapshot, instance, &options.namespaces) {
            Ok(s) => s,
            Err(e) => {
                notes.push(Note {
                    code: "invalid-instance".to_owned(),
                    message: format!("{label}: {e}"),
                });
                continue;
            }
        };
        let Some(candidate) = selection.candidates.iter().find(|c| c.key == key) else {
            continue;
        };
        if let Some(why) =
            options.skips_instance(instance.kind(), instance.meta(), instance.paused())
        {
            notes.push(Note {
                code: "not-reconciled".to_owned(),
                message: format!("{label}: {why}: it writes none of its rule ConfigMaps"),
            });
        }
        instances.push(verdict(
            snapshot,
            options,
            &instance,
            rule,
            &candidate.outcome,
        ));
        if let RuleOutcome::Selected(file) = &candidate.outcome {
            let config_map = rules::generate(instance, &selection)
                .into_iter()
                .find(|cm| cm.files.contains_key(&file.name))
                .map(|cm| cm.name)
                .unwrap_or_default();
            let labeler = instance.labeler();
            placements.push(Placement {
                instance: label,
                config_map,
                file: file.name.clone(),
                enforced_label: (!labeler.is_excluded(rule_ns, rule_name))
                    .then(|| labeler.label.clone()),
                dropped_fields: file
                    .dropped_fields
                    .iter()
                    .map(|d| d.field.clone())
                    .collect(),
                expressions: expressions(&instance, rule, &file.dropped_fields),
            });
        }
    }
    if instances.is_empty() {
        notes.push(Note {
            code: "no-instance".to_owned(),
            message: "the input holds no Prometheus or ThanosRuler".to_owned(),
        });
    } else if placements.is_empty() {
        notes.push(Note {
            code: "not-loaded".to_owned(),
            message: "no instance loads this PrometheusRule".to_owned(),
        });
    }
    let labels = rule.metadata.labels.clone().unwrap_or_default();
    if labels.is_empty() {
        notes.push(Note {
            code: "no-labels".to_owned(),
            message: format!(
                "metadata.labels is empty ({}): a ruleSelector with matchLabels, or with an In or \
                 Exists expression, cannot select it",
                show_labels(&labels)
            ),
        });
    }
    Ok(PrometheusRuleExplanation {
        object: ObjectRef::new("PrometheusRule", rule_ns, rule_name),
        labels,
        instances,
        placements,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURE: &str = include_str!("../../tests/fixtures/alert_path/cluster.yaml");

    #[test]
    fn rule_selector_hint_points_at_metadata_labels() {
        let snap = crate::snapshot::load("fixture", FIXTURE).unwrap().0;
        let options = OperatorOptions::default();
        let e = explain_prometheus_rule(&snap, Some("shop"), "not-loaded", &options).unwrap();
        let reason = &e.instances[0].reasons[0];
        assert_eq!(reason.code, ReasonCode::LabelSelector);
        assert!(reason.near_misses[0].contains("role=alert-rules"));
        let loaded = explain_prometheus_rule(&snap, Some("shop"), "shop-rules", &options).unwrap();
        let placement = &loaded.placements[0];
        assert_eq!(placement.file, "shop-shop-rules-0b1c.yaml");
        assert_eq!(placement.enforced_label.as_deref(), Some("namespace"));
        assert_eq!(placement.expressions[1].labels["namespace"], "shop");
    }

    #[test]
    fn an_alert_carries_its_groups_labels_where_the_version_keeps_them() {
        let text = |version: &str| {
            format!(
                "apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata: {{name: p, namespace: ns}}\n\
                 spec: {{ruleSelector: {{}}, version: {version}}}\n---\n\
                 apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata: {{name: r, namespace: ns}}\n\
                 spec:\n  groups: [{{name: g, labels: {{team: a, severity: warning}}, rules: [{{alert: A, expr: up == 0, labels: {{severity: critical}}}}]}}]\n"
            )
        };
        let labels = |version: &str| {
            let snap = crate::snapshot::load("t.yaml", &text(version)).unwrap().0;
            let e = explain_prometheus_rule(&snap, Some("ns"), "r", &OperatorOptions::default())
                .unwrap();
            crate::explain::show_labels(&e.placements[0].expressions[0].labels)
        };
        assert_eq!(labels("v3.5.0"), "{severity=critical, team=a}");
        assert_eq!(labels("v2.55.0"), "{severity=critical}");
    }
}
