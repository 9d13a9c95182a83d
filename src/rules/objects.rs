//! The rule ConfigMaps of one Prometheus or ThanosRuler of a snapshot, end to end, as the
//! operator's reconciliation produces them (pkg/prometheus/server/rules.go and
//! pkg/thanos/rules.go, `createOrUpdateRuleConfigMaps`: select, then `PrometheusRuleSyncer`
//! with `WithLabels`, `WithAnnotations` and `WithManagingOwner`), with every PrometheusRule
//! left out as a note naming the object, group, rule and reason.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::ConfigMap;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference};

use super::{
    Instance, ParserOptions, RuleConfigMap, RuleOutcome, RuleSelection, RulesError, Stage,
    generate, promql, select,
};
use crate::monitoring::v1::PrometheusRule;
use crate::operator::OperatorOptions;
use crate::select::Exclusion;
use crate::snapshot::Snapshot;
use crate::snapshot::{FindError, find_named};
use crate::watched::Namespaces;

/// Which kind of workload loads the rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleInstanceKind {
    /// `Prometheus` (ConfigMaps `prometheus-<name>-rulefiles-<i>`).
    Prometheus,
    /// `ThanosRuler` (ConfigMaps `thanos-ruler-<name>-rulefiles-<i>`).
    ThanosRuler,
}

impl RuleInstanceKind {
    /// The label naming the instance on the rule ConfigMaps the operator writes for it.
    pub fn name_label(self) -> &'static str {
        match self {
            RuleInstanceKind::Prometheus => super::PROMETHEUS_NAME_LABEL,
            RuleInstanceKind::ThanosRuler => super::THANOS_RULER_NAME_LABEL,
        }
    }
}

/// The Prometheus or ThanosRuler `name` (in `namespace`, or anywhere when `None`).
pub fn find_instance<'a>(
    snapshot: &'a Snapshot,
    kind: RuleInstanceKind,
    namespace: Option<&str>,
    name: &str,
) -> Result<Instance<'a>, FindError> {
    Ok(match kind {
        RuleInstanceKind::Prometheus => {
            Instance::Prometheus(find_named(&snapshot.prometheuses, namespace, name)?)
        }
        RuleInstanceKind::ThanosRuler => {
            Instance::ThanosRuler(find_named(&snapshot.thanos_rulers, namespace, name)?)
        }
    })
}

/// What happened to a PrometheusRule (or a part of it) that does not reach the rule files as
/// written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoteKind {
    /// The instance's selectors or the operator's flags leave it out.
    NotSelected,
    /// Selected, but invalid: the operator writes no file for it.
    Rejected,
    /// Selected, but `enforcedNamespaceLabel` could not rewrite an expression: skipped
    /// without an event.
    Dropped,
    /// Written, without a field the version does not support.
    FieldDropped,
}

/// A PrometheusRule, or one of its groups or rules, that is not loaded as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleNote {
    /// What happened.
    pub kind: NoteKind,
    /// `namespace/name` of the PrometheusRule.
    pub key: String,
    /// The group's name, when the note is about a group or a rule.
    pub group: Option<String>,
    /// `alert NAME` or `record NAME`, when the note is about one rule.
    pub rule: Option<String>,
    /// The field path, when known.
    pub field: String,
    /// Why.
    pub reason: String,
    /// What would change the outcome (a feature flag, the label's place), when known.
    pub hint: Option<String>,
}

/// The rule ConfigMaps of one instance and how every PrometheusRule fared.
#[derive(Clone, Debug)]
pub struct InstanceRules<'a> {
    /// Every PrometheusRule of the snapshot, judged for the instance.
    pub selection: RuleSelection<'a>,
    /// The ConfigMaps the operator writes (at least one, maybe empty).
    pub config_maps: Vec<RuleConfigMap>,
    /// The names the workload mounts (a Prometheus pads them to three).
    pub mounted_names: Vec<String>,
    /// Every PrometheusRule not loaded as written, in key order.
    pub notes: Vec<RuleNote>,
    /// Why the operator does not reconcile the instance, if it does not: it then writes none
    /// of these ConfigMaps.
    pub ignored: Option<String>,
}

/// Selects, checks and packs the PrometheusRules of `snapshot` for `instance`, with the
/// operator's `--namespaces` / `--deny-namespaces`.
pub fn instance_rules<'a>(
    snapshot: &'a Snapshot,
    instance: Instance<'_>,
    options: &OperatorOptions,
) -> Result<InstanceRules<'a>, RulesError> {
    let selection = select(snapshot, instance, &options.namespaces)?;
    let config_maps = generate(instance, &selection);
    let mounted_names = super::mounted_config_map_names(instance, &config_maps);
    let parser_options = instance.parser_options();
    let notes = selection
        .candidates
        .iter()
        .flat_map(|c| notes_of(&c.key, c.rule, &c.outcome, &parser_options))
        .collect();
    Ok(InstanceRules {
        selection,
        config_maps,
        mounted_names,
        notes,
        ignored: options.skips_instance(instance.kind(), instance.meta(), instance.paused()),
    })
}

fn notes_of(
    key: &str,
    rule: &PrometheusRule,
    outcome: &RuleOutcome,
    parser_options: &ParserOptions,
) -> Vec<RuleNote> {
    let note = |kind, reason: String| RuleNote {
        kind,
        key: key.to_owned(),
        group: None,
        rule: None,
        field: String::new(),
        reason,
        hint: None,
    };
    match outcome {
        RuleOutcome::Selected(file) => file
            .dropped_fields
            .iter()
            .map(|dropped| {
                let (group, rule_name) = locate(rule, &dropped.field);
                RuleNote {
                    group,
                    rule: rule_name,
                    field: dropped.field.clone(),
                    ..note(
                        NoteKind::FieldDropped,
                        match dropped.minimum_version {
                            Some(v) => format!("dropped from the rule file: needs version {v}"),
                            None => "dropped from the rule file: not supported".to_owned(),
                        },
                    )
                }
            })
            .collect(),
        RuleOutcome::NotSelected(why) => vec![RuleNote {
            hint: label_inside_rules(rule, why),
            ..note(NoteKind::NotSelected, why.to_string())
        }],
        RuleOutcome::Rejected(findings) => findings
            .iter()
            .map(|finding| {
                let group = finding
                    .group
                    .and_then(|g| rule.spec.groups.get(g))
                    .map(|g| g.name.clone());
                let item = finding.group.zip(finding.rule).and_then(|(g, r)| {
                    rule.spec.groups.get(g).and_then(|group| group.rules.get(r))
                });
                let hint = match (finding.stage, item) {
                    (Stage::Rulefmt, Some(item)) => {
                        let expr = item.expr_text();
                        feature_hint(&expr, parser_options).map(|flag| {
                            format!("the expression needs spec.enableFeatures: [{flag}]")
                        })
                    }
                    _ => None,
                };
                RuleNote {
                    group,
                    rule: item.map(rule_name),
                    field: finding.field.clone(),
                    hint,
                    ..note(NoteKind::Rejected, finding.message.clone())
                }
            })
            .collect(),
        RuleOutcome::Dropped(error) => {
            let field = error.field();
            let (group, rule_name) = locate(rule, &field);
            vec![RuleNote {
                group,
                rule: rule_name,
                field,
                ..note(
                    NoteKind::Dropped,
                    format!("failed to parse promql expression: {}", error.error),
                )
            }]
        }
    }
}

/// What one instance decides for one PrometheusRule it matches, for `validate`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleDecision {
    /// `PrometheusRule namespace/name`.
    pub rule: String,
    /// `Prometheus namespace/name` or `ThanosRuler namespace/name`.
    pub instance: String,
    /// The deciding problem (field, message with the feature flag that would help), when the
    /// instance does not load it.
    pub problem: Option<(String, String)>,
}

/// What `validate` learns from rule selection.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RuleDecisions {
    /// Each PrometheusRule an instance's selectors match, and whether it loads it.
    pub rules: Vec<RuleDecision>,
    /// Instances whose rule selectors are invalid (`Kind namespace/name`, the field, the
    /// message): the operator stops reconciling them.
    pub refused: Vec<(String, &'static str, String)>,
}

/// For every Prometheus and ThanosRuler of `snapshot`, each PrometheusRule its selectors
/// match in the namespaces the operator watches (`watched`) and whether it loads it, judged
/// with that instance's version and PromQL options;
/// and the instances whose rule selectors are invalid. (An invalid version is the version
/// check's to report.)
pub fn decisions(snapshot: &Snapshot, watched: &Namespaces) -> RuleDecisions {
    let instances = snapshot
        .prometheuses
        .iter()
        .map(Instance::Prometheus)
        .chain(snapshot.thanos_rulers.iter().map(Instance::ThanosRuler));
    let mut out = RuleDecisions::default();
    for instance in instances {
        let kind = match instance {
            Instance::Prometheus(_) => "Prometheus",
            Instance::ThanosRuler(_) => "ThanosRuler",
        };
        let described = format!("{kind} {}/{}", instance.namespace(), instance.name());
        let selection = match select(snapshot, instance, watched) {
            Ok(selection) => selection,
            Err(RulesError::Selector { field, error }) => {
                out.refused.push((described, field, error.to_string()));
                continue;
            }
            Err(_) => continue,
        };
        let parser_options = instance.parser_options();
        for candidate in &selection.candidates {
            let problem = match &candidate.outcome {
                RuleOutcome::NotSelected(_) => continue,
                RuleOutcome::Selected(_) => None,
                RuleOutcome::Rejected(_) | RuleOutcome::Dropped(_) => notes_of(
                    &candidate.key,
                    candidate.rule,
                    &candidate.outcome,
                    &parser_options,
                )
                .into_iter()
                .next()
                .map(|note| {
                    let message = match note.hint {
                        Some(hint) => format!("{}; {hint}", note.reason),
                        None => note.reason,
                    };
                    (note.field, message)
                }),
            };
            out.rules.push(RuleDecision {
                rule: format!("PrometheusRule {}", candidate.key),
                instance: described.clone(),
                problem,
            });
        }
    }
    out
}

/// `alert NAME` or `record NAME`.
fn rule_name(rule: &crate::monitoring::v1::prometheus_rule::Rule) -> String {
    match (rule.alert.as_deref(), rule.record.as_deref()) {
        (Some(alert), _) if !alert.is_empty() => format!("alert {alert}"),
        (_, Some(record)) => format!("record {record}"),
        _ => "unnamed rule".to_owned(),
    }
}

/// The group and rule a field path such as `spec.groups[0].rules[1].keep_firing_for` points
/// into.
fn locate(rule: &PrometheusRule, field: &str) -> (Option<String>, Option<String>) {
    let index = |after: &str| -> Option<usize> {
        let start = field.find(after)? + after.len();
        let rest = field.get(start..)?;
        rest.get(..rest.find(']')?)?.parse().ok()
    };
    let group = index("groups[").and_then(|g| rule.spec.groups.get(g));
    let item = group.zip(index("rules[")).and_then(|(g, r)| g.rules.get(r));
    (group.map(|g| g.name.clone()), item.map(rule_name))
}

/// When the label selector wants a label that the rules inside the object carry but the
/// object's own `metadata.labels` do not: the usual mistake.
fn label_inside_rules(rule: &PrometheusRule, why: &Exclusion) -> Option<String> {
    let Exclusion::Labels { field, mismatch } = why else {
        return None;
    };
    let key = &mismatch.requirement.key;
    let inside = rule
        .spec
        .groups
        .iter()
        .flat_map(|g| g.rules.iter())
        .find_map(|r| r.labels.get(key))?;
    Some(format!(
        "{key}={inside} is a label of rules inside the object; {field} matches the PrometheusRule's own metadata.labels"
    ))
}

/// The `enableFeatures` value that makes `expr` parse when it does not parse with `options`.
pub fn feature_hint(expr: &str, options: &ParserOptions) -> Option<&'static str> {
    if promql::parse(expr, options).is_ok() {
        return None;
    }
    options
        .each_feature_more()
        .find(|(_, enabled)| promql::parse(expr, enabled).is_ok())
        .map(|(feature, _)| feature)
}

/// `rule`'s groups as (name, number of rules).
pub fn group_counts(rule: &PrometheusRule) -> Vec<(String, usize)> {
    rule.spec
        .groups
        .iter()
        .map(|g| (g.name.clone(), g.rules.len()))
        .collect()
}

/// The Kubernetes object of a rule ConfigMap: the operator's labels and `--labels` /
/// `--annotations`, and the workload as managing owner (its uid when the input has one).
pub fn config_map_object(
    instance: Instance<'_>,
    config_map: &RuleConfigMap,
    options: &OperatorOptions,
) -> ConfigMap {
    let mut labels = options.labels.clone();
    labels.extend(config_map.labels.clone());
    let (api_version, kind, uid) = match instance {
        Instance::Prometheus(p) => ("monitoring.coreos.com/v1", "Prometheus", &p.metadata.uid),
        Instance::ThanosRuler(t) => ("monitoring.coreos.com/v1", "ThanosRuler", &t.metadata.uid),
    };
    ConfigMap {
        metadata: ObjectMeta {
            name: Some(config_map.name.clone()),
            namespace: Some(config_map.namespace.clone()),
            labels: Some(labels),
            annotations: (!options.annotations.is_empty()).then(|| options.annotations.clone()),
            owner_references: Some(vec![OwnerReference {
                api_version: api_version.to_owned(),
                kind: kind.to_owned(),
                name: instance.name().to_owned(),
                uid: uid.clone().unwrap_or_default(),
                controller: Some(true),
                block_owner_deletion: Some(true),
            }]),
            ..ObjectMeta::default()
        },
        data: Some(config_map.files.clone()),
        ..ConfigMap::default()
    }
}

/// The files of `config_maps` by name, with the ConfigMap holding each.
pub fn files_by_name(config_maps: &[RuleConfigMap]) -> BTreeMap<String, (&str, &str)> {
    config_maps
        .iter()
        .flat_map(|c| {
            c.files
                .iter()
                .map(move |(file, text)| (file.clone(), (c.name.as_str(), text.as_str())))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const INPUT: &str = include_str!("../../tests/fixtures/unit/rules_objects_input.yaml");

    #[test]
    fn notes_name_the_rule_and_the_fix() {
        let (snapshot, _) = crate::snapshot::load("t.yaml", INPUT).unwrap();
        let instance =
            find_instance(&snapshot, RuleInstanceKind::Prometheus, Some("mon"), "p").unwrap();
        let rules = instance_rules(&snapshot, instance, &OperatorOptions::default()).unwrap();
        assert_eq!(rules.config_maps.len(), 1);
        assert!(rules.config_maps[0].files.is_empty());
        assert_eq!(rules.mounted_names.len(), 3);
        let inside = &rules.notes[0];
        assert_eq!(inside.kind, NoteKind::NotSelected);
        assert!(inside.hint.as_deref().unwrap().contains("role=rules"));
        let limit = &rules.notes[1];
        assert_eq!(limit.kind, NoteKind::Rejected);
        assert_eq!(limit.group.as_deref(), Some("top"));
        assert_eq!(limit.rule.as_deref(), Some("record x:top"));
        assert!(
            limit
                .hint
                .as_deref()
                .unwrap()
                .contains("promql-experimental-functions")
        );
        let object =
            config_map_object(instance, &rules.config_maps[0], &OperatorOptions::default());
        assert_eq!(
            object.metadata.name.as_deref(),
            Some("prometheus-p-rulefiles-0")
        );
    }

    #[test]
    fn hints_only_when_a_flag_helps() {
        let none = ParserOptions::default();
        assert_eq!(feature_hint("up", &none), None);
        assert_eq!(feature_hint("up +", &none), None);
        assert_eq!(
            feature_hint("limitk(1, up)", &none),
            Some("promql-experimental-functions")
        );
    }
}
