//! PrometheusRules as prometheus-operator v0.93.0 handles them for a Prometheus or a
//! ThanosRuler: which it selects (pkg/operator/rules.go `PrometheusRuleSelector.Select`,
//! pkg/prometheus/server/rules.go and pkg/thanos/rules.go `selectPrometheusRules`), how it
//! rewrites them for `enforcedNamespaceLabel` (pkg/namespacelabeler), which it refuses
//! (`ValidateRule`, Prometheus's rulefmt), the rule files and the ConfigMaps that hold them
//! (`PrometheusRuleSyncer`), and what the admission webhook says (pkg/admission).
//!
//! Outcomes are data: every candidate PrometheusRule is selected (with its file), not selected
//! (with the deciding selector or operator flag), rejected (with the failing checks, the first
//! deciding) or dropped (enforcement could not parse an expression; the operator says nothing).

pub mod admission;
pub mod compare;
mod configmap;
mod enforce;
mod file;
mod go;
pub mod objects;
mod printer;
pub mod promql;
mod rulefmt;
pub mod schema;

use std::collections::BTreeMap;
use std::fmt;

use crate::monitoring::v1::prometheus_rule::PrometheusRuleSpec;
use crate::monitoring::v1::{Prometheus, PrometheusRule, ThanosRuler};
use crate::relabel::NameValidationScheme;
use crate::select::{
    Exclusion, NamespaceLabels, Selector, SelectorError, label_exclusion, namespace_exclusion,
    unwatched,
};
use crate::snapshot::{Snapshot, key_of, name_of, namespace_of};
use crate::target::Target;
use crate::validate::{Check, Violation};
use crate::version::Version;
use crate::version::VersionError;
use crate::watched::Namespaces;

pub use configmap::{RuleConfigMap, SyncPlan, mounted_config_map_names, pack, sync};
pub use enforce::{EnforceError, Labeler, enforce};
pub use file::{DroppedField, Format};
pub use promql::{ParseError, ParserOptions, Position};
pub use rulefmt::{MAX_CONFIG_MAP_DATA_SIZE, empty_durations_written, rendered_size};

/// The workload whose rules are computed.
#[derive(Clone, Copy, Debug)]
pub enum Instance<'a> {
    /// A Prometheus server.
    Prometheus(&'a Prometheus),
    /// A Thanos Ruler.
    ThanosRuler(&'a ThanosRuler),
}

impl<'a> Instance<'a> {
    pub(crate) fn meta(&self) -> &'a k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta {
        match self {
            Instance::Prometheus(p) => &p.metadata,
            Instance::ThanosRuler(t) => &t.metadata,
        }
    }

    /// Whether the instance is paused (`spec.paused`).
    pub fn paused(&self) -> bool {
        match self {
            Instance::Prometheus(p) => p.spec.paused == Some(true),
            Instance::ThanosRuler(t) => t.spec.paused == Some(true),
        }
    }

    /// `metadata.name`.
    pub fn name(&self) -> &'a str {
        self.meta().name.as_deref().unwrap_or("")
    }

    /// The kind: `Prometheus` or `ThanosRuler`.
    pub fn kind(&self) -> &'static str {
        match self {
            Instance::Prometheus(_) => "Prometheus",
            Instance::ThanosRuler(_) => "ThanosRuler",
        }
    }

    /// `metadata.namespace`.
    pub fn namespace(&self) -> &'a str {
        self.meta().namespace.as_deref().unwrap_or("")
    }

    /// Which program loads the rules.
    pub fn format(&self) -> Format {
        match self {
            Instance::Prometheus(_) => Format::Prometheus,
            Instance::ThanosRuler(_) => Format::Thanos,
        }
    }

    /// `spec.version`, or the operator's default for the kind.
    pub fn version(&self) -> Result<Version, VersionError> {
        let text = match self {
            Instance::Prometheus(p) => crate::target::Target::Server(p).version_text(),
            Instance::ThanosRuler(t) => crate::version::text_in_effect(
                t.spec.version.as_deref(),
                crate::version::DEFAULT_THANOS_VERSION,
            ),
        };
        Version::parse(text)
    }

    /// The PromQL options rules are validated with: a Prometheus's `enableFeatures`; none for
    /// a ThanosRuler.
    pub fn parser_options(&self) -> ParserOptions {
        match self {
            Instance::Prometheus(p) => ParserOptions::from_enable_features(&p.spec.enable_features),
            Instance::ThanosRuler(_) => ParserOptions::default(),
        }
    }

    /// The name validation scheme of `version` (`ValidationSchemeForPrometheus` / `...Thanos`).
    pub fn name_scheme(&self, version: &Version) -> NameValidationScheme {
        let utf8 = match self.format() {
            Format::Prometheus => version.gte("3.0.0"),
            Format::Thanos => version.gte("0.38.0"),
        };
        if utf8 {
            NameValidationScheme::Utf8
        } else {
            NameValidationScheme::Legacy
        }
    }

    /// The namespace labeler (`enforcedNamespaceLabel` and its exclusions).
    pub fn labeler(&self) -> Labeler {
        match self {
            Instance::Prometheus(p) => Labeler::new(
                p.spec.enforced_namespace_label.as_deref().unwrap_or(""),
                &p.spec.excluded_from_enforcement,
                &p.spec.prometheus_rules_excluded_from_enforce,
            ),
            Instance::ThanosRuler(t) => Labeler::new(
                t.spec.enforced_namespace_label.as_deref().unwrap_or(""),
                &t.spec.excluded_from_enforcement,
                &t.spec.prometheus_rules_excluded_from_enforce,
            ),
        }
    }

    /// `ruleSelector` and `ruleNamespaceSelector`.
    pub(crate) fn selectors(
        &self,
    ) -> (
        Option<&'a k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector>,
        Option<&'a k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector>,
    ) {
        match self {
            Instance::Prometheus(p) => (
                p.spec.rule_selector.as_ref(),
                p.spec.rule_namespace_selector.as_ref(),
            ),
            Instance::ThanosRuler(t) => (
                t.spec.rule_selector.as_ref(),
                t.spec.rule_namespace_selector.as_ref(),
            ),
        }
    }

    /// The rule ConfigMaps' name prefix: `prometheus-<name>` / `thanos-ruler-<name>`.
    pub fn config_map_prefix(&self) -> String {
        match self {
            Instance::Prometheus(_) => format!("prometheus-{}", self.name()),
            Instance::ThanosRuler(_) => format!("thanos-ruler-{}", self.name()),
        }
    }

    /// The label that marks the rule ConfigMaps of this workload.
    pub fn workload_label(&self) -> (&'static str, &'a str) {
        let kind = match self {
            Instance::Prometheus(_) => objects::RuleInstanceKind::Prometheus,
            Instance::ThanosRuler(_) => objects::RuleInstanceKind::ThanosRuler,
        };
        (kind.name_label(), self.name())
    }
}

/// The label key naming the Prometheus whose rule ConfigMap an object is.
pub const PROMETHEUS_NAME_LABEL: &str = "prometheus-name";
/// The label key naming the ThanosRuler whose rule ConfigMap an object is.
pub const THANOS_RULER_NAME_LABEL: &str = "thanos-ruler-name";

/// The stage of checking that found a problem.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// The object does not decode into a PrometheusRule.
    Decode,
    /// The rendered spec is larger than [`MAX_CONFIG_MAP_DATA_SIZE`].
    Size,
    /// Prometheus's rule-file validation (rulefmt and the PromQL parser).
    Rulefmt,
    /// The CRD's OpenAPI schema.
    Schema,
}

/// One problem with a PrometheusRule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// Which check found it.
    pub stage: Stage,
    /// Field path, e.g. `spec.groups[0].rules[1].expr`.
    pub field: String,
    /// Group index, when the problem is inside a group.
    pub group: Option<usize>,
    /// Rule index in the group, when the problem is inside a rule.
    pub rule: Option<usize>,
    /// The message, in the operator's (Go) wording where known.
    pub message: String,
    /// For PromQL errors, where in the expression.
    pub position: Option<Position>,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// Checks a PrometheusRule as the operator does before writing its file (`ValidateRule`), with
/// the name scheme and PromQL options of the instance that selects it. Empty: valid.
pub fn check_rule_object(
    rule: &PrometheusRule,
    scheme: NameValidationScheme,
    options: &ParserOptions,
) -> Vec<Finding> {
    rulefmt::validate_rule(&rule.spec, scheme, options)
}

/// Why selection cannot run (the operator fails the reconciliation).
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum RulesError {
    /// `spec.version` is not a version.
    #[error(transparent)]
    Version(#[from] VersionError),
    /// `ruleSelector` or `ruleNamespaceSelector` is invalid.
    #[error("{field}: {error}")]
    Selector {
        /// The instance field.
        field: &'static str,
        /// What is wrong with it.
        error: SelectorError,
    },
}

/// A rule file the operator writes for an accepted PrometheusRule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleFile {
    /// `<namespace>-<name>-<uid>.yaml`.
    pub name: String,
    /// The file's text.
    pub content: String,
    /// Fields the version does not support, removed from the file.
    pub dropped_fields: Vec<DroppedField>,
}

/// What the operator does with one PrometheusRule.
#[derive(Clone, Debug, PartialEq)]
pub enum RuleOutcome {
    /// Accepted: its file is written.
    Selected(RuleFile),
    /// Not matched by the instance's selectors or the operator's flags.
    NotSelected(Exclusion),
    /// Matched but invalid: no file, a Warning event `InvalidConfiguration`. The first finding
    /// decides; all are listed.
    Rejected(Vec<Finding>),
    /// Matched, but `enforcedNamespaceLabel` could not rewrite an expression: the operator
    /// skips the rule without an event.
    Dropped(EnforceError),
}

/// One candidate PrometheusRule and its outcome.
#[derive(Clone, Debug)]
pub struct RuleCandidate<'a> {
    /// `namespace/name`.
    pub key: String,
    /// The object as written.
    pub rule: &'a PrometheusRule,
    /// What happens to it.
    pub outcome: RuleOutcome,
}

/// Every PrometheusRule of a snapshot, judged for one instance, in ascending key order.
#[derive(Clone, Debug)]
pub struct RuleSelection<'a> {
    /// Every PrometheusRule, with its outcome.
    pub candidates: Vec<RuleCandidate<'a>>,
}

impl RuleSelection<'_> {
    /// The rule files of the accepted rules, by file name.
    pub fn files(&self) -> BTreeMap<String, String> {
        self.candidates
            .iter()
            .filter_map(|c| match &c.outcome {
                RuleOutcome::Selected(file) => Some((file.name.clone(), file.content.clone())),
                _ => None,
            })
            .collect()
    }

    /// The file names two or more accepted rules share, with their keys: only the last one's
    /// file is kept. Only rules without a UID can share one (the API server gives each its own).
    pub fn shared_file_names(&self) -> Vec<(&str, Vec<&str>)> {
        let mut by_name: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for candidate in &self.candidates {
            if let RuleOutcome::Selected(file) = &candidate.outcome {
                by_name.entry(&file.name).or_default().push(&candidate.key);
            }
        }
        by_name
            .into_iter()
            .filter(|(_, keys)| keys.len() > 1)
            .collect()
    }

    /// Keys of the candidates with outcome `pick`, in order.
    pub fn keys(&self, pick: impl Fn(&RuleOutcome) -> bool) -> Vec<String> {
        self.candidates
            .iter()
            .filter(|c| pick(&c.outcome))
            .map(|c| c.key.clone())
            .collect()
    }
}

/// Judges every PrometheusRule of `snapshot` for `instance`: namespace and label selection,
/// enforcement, sanitizing, the rule file and its validation.
///
/// A Namespace missing from the snapshot is matched by the label the API server gives every
/// namespace (the cluster has it; the input may not).
pub fn select<'a>(
    snapshot: &'a Snapshot,
    instance: Instance<'_>,
    watched: &Namespaces,
) -> Result<RuleSelection<'a>, RulesError> {
    let judge = Judge::of(instance)?;
    let (label_selector, namespace_selector) = instance.selectors();
    let parse = |selector, field| {
        Option::map(selector, Selector::parse)
            .transpose()
            .map_err(|error| RulesError::Selector { field, error })
    };
    let label = parse(label_selector, "spec.ruleSelector")?;
    let namespace = parse(namespace_selector, "spec.ruleNamespaceSelector")?;
    let own_namespace = instance.namespace();

    let mut by_key: BTreeMap<String, &'a PrometheusRule> = BTreeMap::new();
    for rule in &snapshot.prometheus_rules {
        by_key.insert(key_of(&rule.metadata), rule);
    }
    let by_key: Vec<(String, &'a PrometheusRule)> = by_key.into_iter().collect();
    let namespace_labels = NamespaceLabels::of(snapshot);
    // Judging (parsing every expression) is the work; each object is judged on its own.
    let outcomes = crate::parallel::map(&by_key, |(_, rule)| {
        let rule_namespace = namespace_of(&rule.metadata);
        let exclusion = unwatched(watched, rule_namespace).or_else(|| {
            namespace_exclusion(
                namespace_labels.get(rule_namespace),
                namespace.as_ref(),
                "spec.ruleNamespaceSelector",
                own_namespace,
                rule_namespace,
            )
            .or_else(|| {
                label_exclusion(
                    label.as_ref(),
                    "spec.ruleSelector",
                    rule.metadata.labels.as_ref(),
                )
            })
        });
        match exclusion {
            Some(why) => RuleOutcome::NotSelected(why),
            None => judge.outcome(rule),
        }
    });
    let candidates = by_key
        .into_iter()
        .zip(outcomes)
        .map(|((key, rule), outcome)| RuleCandidate { key, rule, outcome })
        .collect();
    Ok(RuleSelection { candidates })
}

/// What an instance does with a PrometheusRule its selectors match: enforcement,
/// sanitizing, the file text and its validation (`Select`'s loop body and
/// `generateRulesConfiguration`), with that instance's version, name scheme and PromQL
/// options.
pub struct Judge {
    labeler: Labeler,
    format: Format,
    version: Version,
    scheme: NameValidationScheme,
    options: ParserOptions,
}

impl Judge {
    /// The judge of `instance`'s rules.
    pub fn of(instance: Instance<'_>) -> Result<Self, RulesError> {
        let version = instance.version()?;
        Ok(Judge {
            labeler: instance.labeler(),
            format: instance.format(),
            scheme: instance.name_scheme(&version),
            options: instance.parser_options(),
            version,
        })
    }

    /// The judge of `target`'s rules: `None` for an agent, which loads none, and for a
    /// version that does not parse (selection refuses that instance first).
    pub fn of_target(target: Target<'_>) -> Option<Self> {
        match target {
            Target::Server(p) => Judge::of(Instance::Prometheus(p)).ok(),
            Target::Agent(_) => None,
        }
    }

    /// The check a matched `rule` fails, if it fails one: the first problem of the file, or
    /// enforcement that cannot rewrite an expression.
    pub fn check(&self, rule: &PrometheusRule) -> Result<(), Violation> {
        match self.outcome(rule) {
            RuleOutcome::Rejected(findings) => match findings.into_iter().next() {
                Some(finding) => Err(Violation::new(Check::Rule, finding.field, finding.message)),
                None => Ok(()),
            },
            RuleOutcome::Dropped(e) => Err(Violation::new(Check::Rule, e.field(), e.consequence())),
            RuleOutcome::Selected(_) | RuleOutcome::NotSelected(_) => Ok(()),
        }
    }

    /// The outcome of a matched `rule`.
    pub fn outcome(&self, rule: &PrometheusRule) -> RuleOutcome {
        let mut rewritten = rule.clone();
        if let Err(e) = self.labeler.enforce(&mut rewritten) {
            return RuleOutcome::Dropped(e);
        }
        let meta = &rule.metadata;
        let enforced = !self.labeler.is_excluded(namespace_of(meta), name_of(meta));
        let mut spec: PrometheusRuleSpec = rewritten.spec;
        let dropped_fields = file::sanitize(&mut spec, self.format, &self.version);
        let content = file::render(&spec);
        let findings =
            rulefmt::validate_rendered(&spec, self.scheme, &self.options, &content, enforced);
        if !findings.is_empty() {
            return RuleOutcome::Rejected(findings);
        }
        RuleOutcome::Selected(RuleFile {
            name: format!(
                "{}-{}-{}.yaml",
                namespace_of(meta),
                name_of(meta),
                meta.uid.as_deref().unwrap_or("")
            ),
            content,
            dropped_fields,
        })
    }
}

/// The rule ConfigMaps the operator creates for `instance` from `selection`.
pub fn generate(instance: Instance<'_>, selection: &RuleSelection<'_>) -> Vec<RuleConfigMap> {
    pack(instance, selection.files())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snapshot(text: &str) -> Snapshot {
        crate::snapshot::load("test.yaml", text).unwrap().0
    }

    const INPUT: &str = include_str!("../../tests/fixtures/unit/rules_mod_input.yaml");

    #[test]
    fn outcomes_per_rule() {
        let snap = snapshot(INPUT);
        let instance = Instance::Prometheus(&snap.prometheuses[0]);
        let selection = select(&snap, instance, &Namespaces::default()).unwrap();
        let outcome = |key: &str| {
            &selection
                .candidates
                .iter()
                .find(|c| c.key == key)
                .unwrap()
                .outcome
        };
        let RuleOutcome::Selected(file) = outcome("a/ok") else {
            panic!("{:?}", outcome("a/ok"))
        };
        assert_eq!(file.name, "a-ok-u1.yaml");
        assert_eq!(
            file.content,
            "groups:\n- limit: 3\n  name: g\n  rules:\n  - alert: A\n    expr: up{job=\"x\",namespace=\"a\"} == 0\n    keep_firing_for: 5m\n    labels:\n      namespace: a\n"
        );
        let RuleOutcome::Rejected(findings) = outcome("a/bad") else {
            panic!("{:?}", outcome("a/bad"))
        };
        assert_eq!(findings[0].field, "spec.groups[0].rules[0].record");
        assert!(
            findings[0]
                .message
                .contains("invalid recording rule name: a.b")
        );
        // Enforcement parses with the default options: an experimental function drops the rule.
        assert!(matches!(outcome("b/experimental"), RuleOutcome::Dropped(_)));
        assert!(matches!(
            outcome("b/unlabelled"),
            RuleOutcome::NotSelected(Exclusion::Labels { .. })
        ));

        let only_b = Namespaces {
            allow: vec!["b".to_owned()],
            ..Namespaces::default()
        };
        let selection = select(&snap, instance, &only_b).unwrap();
        assert!(matches!(
            selection.candidates[0].outcome,
            RuleOutcome::NotSelected(Exclusion::Unwatched {
                flag: "--namespaces",
                ..
            })
        ));
        let config_maps = generate(instance, &selection);
        assert_eq!(config_maps.len(), 1);
        assert!(config_maps[0].files.is_empty());
    }

    /// The `TestMakeRulesConfigMaps` scenarios of pkg/operator/rules_test.go that the corpus
    /// does not carry: (workload kind and version, the group, the text the file must contain,
    /// the text it must not contain); `None` = the rule is rejected.
    #[test]
    fn version_sanitizing_and_refusals() {
        type Case = (
            &'static str,
            &'static str,
            Option<(&'static str, &'static str)>,
        );
        let cases: [Case; 8] = [
            (
                "Prometheus v3.13.2",
                "{name: g, limit: 50, rules: [{alert: a, expr: vector(1)}]}",
                Some(("limit: 50", "query_offset")),
            ),
            (
                "Prometheus v2.52.0",
                "{name: g, query_offset: 1m, rules: [{alert: a, expr: vector(1)}]}",
                Some(("name: g", "query_offset")),
            ),
            (
                "Prometheus v3.13.2",
                "{name: g, interval: '', rules: [{alert: a, expr: vector(1), for: ''}]}",
                Some(("for: \"\"", "query_offset")),
            ),
            (
                "Prometheus v3.13.2",
                "{name: g, rules: [{alert: a, expr: invalidfn(1)}]}",
                None,
            ),
            (
                "ThanosRuler v0.42.4",
                "{name: g, limit: 50, partial_response_strategy: warn, rules: [{alert: a, expr: vector(1)}]}",
                Some(("partial_response_strategy: warn", "query_offset")),
            ),
            (
                "ThanosRuler v0.33.0",
                "{name: g, rules: [{alert: a, expr: vector(1), keep_firing_for: 5m}]}",
                Some(("alert: a", "keep_firing_for")),
            ),
            (
                "ThanosRuler v0.37.0",
                "{name: g, query_offset: 1m, rules: [{alert: a, expr: vector(1)}]}",
                Some(("name: g", "query_offset")),
            ),
            (
                "ThanosRuler v0.37.0",
                "{name: g, rules: [{alert: a, expr: vector(1), labels: {unicode_测试: v}}]}",
                None,
            ),
        ];
        for (workload, group, want) in cases {
            let (kind, version) = workload.split_once(' ').unwrap();
            let text = format!(
                "apiVersion: monitoring.coreos.com/v1\nkind: {kind}\nmetadata: {{name: t, namespace: d}}\n\
                 spec: {{version: {version}, ruleSelector: {{}}}}\n---\n\
                 apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\n\
                 metadata: {{name: r, namespace: d, uid: u}}\nspec: {{groups: [{group}]}}\n"
            );
            let snap = snapshot(&text);
            let instance = match snap.prometheuses.first() {
                Some(p) => Instance::Prometheus(p),
                None => Instance::ThanosRuler(&snap.thanos_rulers[0]),
            };
            let selection = select(&snap, instance, &Namespaces::default()).unwrap();
            match (&selection.candidates[0].outcome, want) {
                (RuleOutcome::Selected(file), Some((has, lacks))) => {
                    assert!(
                        file.content.contains(has),
                        "{workload} {group}: {}",
                        file.content
                    );
                    assert!(
                        !file.content.contains(lacks),
                        "{workload} {group}: {}",
                        file.content
                    );
                }
                (RuleOutcome::Rejected(_), None) => {}
                (outcome, _) => panic!("{workload} {group}: {outcome:?}"),
            }
        }
    }

    #[test]
    fn hostile_expression_is_rejected_by_a_named_limit() {
        let deep = format!("{}1{}", "(".repeat(200_000), ")".repeat(200_000));
        let mut rule = PrometheusRule::default();
        rule.spec
            .groups
            .push(crate::monitoring::v1::prometheus_rule::RuleGroup {
                name: "g".to_owned(),
                rules: vec![crate::monitoring::v1::prometheus_rule::Rule {
                    record: Some("r".to_owned()),
                    expr: k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::String(deep),
                    ..Default::default()
                }],
                ..Default::default()
            });
        let findings =
            check_rule_object(&rule, NameValidationScheme::Utf8, &ParserOptions::default());
        assert!(findings[0].message.contains("MAX_"), "{findings:?}");
    }
}
