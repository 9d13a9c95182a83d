//! Which ServiceMonitors, PodMonitors, Probes, ScrapeConfigs and PrometheusRules a Prometheus
//! (or PrometheusAgent) selects, and which of those the operator rejects as invalid
//! (upstream `pkg/prometheus/resource_selector.go` and `pkg/operator/rules.go`).
//!
//! Every candidate of a kind gets an [`Outcome`] that says why: the namespace selector or label
//! selector that excluded it (with wanted and actual values), or the check that rejected it.

pub mod label_selector;
pub mod selector_string;

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};

use crate::monitoring::CustomResource;
use crate::monitoring::v1::common::NamespaceSelector;
use crate::monitoring::v1::prometheus::CommonPrometheusFields;
use crate::monitoring::v1::{PodMonitor, Probe, PrometheusRule, ServiceMonitor};
use crate::monitoring::v1alpha1::ScrapeConfig;
use crate::snapshot::Snapshot;
use crate::target::Target;
use crate::validate::{self, Violation};
use crate::watched::Namespaces;

pub use label_selector::{Mismatch, Operator, Selector, SelectorError};

/// The outcome of selection for every candidate of every kind, each list in ascending
/// `namespace/name` order.
#[derive(Clone, Debug)]
pub struct Selection<'a> {
    /// ServiceMonitors (`serviceMonitorSelector` / `serviceMonitorNamespaceSelector`).
    pub service_monitors: Vec<Candidate<'a, ServiceMonitor>>,
    /// PodMonitors (`podMonitorSelector` / `podMonitorNamespaceSelector`).
    pub pod_monitors: Vec<Candidate<'a, PodMonitor>>,
    /// Probes (`probeSelector` / `probeNamespaceSelector`).
    pub probes: Vec<Candidate<'a, Probe>>,
    /// ScrapeConfigs (`scrapeConfigSelector` / `scrapeConfigNamespaceSelector`).
    pub scrape_configs: Vec<Candidate<'a, ScrapeConfig>>,
    /// PrometheusRules (`ruleSelector` / `ruleNamespaceSelector`); always empty for agents.
    pub rules: Vec<Candidate<'a, PrometheusRule>>,
}

/// One resource considered for selection.
#[derive(Clone, Debug)]
pub struct Candidate<'a, T> {
    /// `namespace/name`.
    pub key: String,
    /// The resource itself.
    pub resource: &'a T,
    /// Whether it is selected, and why not.
    pub outcome: Outcome,
}

/// What selection decided for a resource.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// Selected and valid: it is rendered.
    Selected,
    /// Not matched by the Prometheus's selectors.
    NotSelected(Exclusion),
    /// Matched, but the operator drops it as invalid.
    Rejected(Violation),
}

/// Why a resource is not matched.
#[derive(Clone, Debug, PartialEq)]
pub enum Exclusion {
    /// The operator's informers do not watch the resource's namespace, so no selector sees it.
    Unwatched {
        /// The flag that hides the namespace (`--namespaces`, `--deny-namespaces`).
        flag: &'static str,
        /// The resource's namespace.
        namespace: String,
    },
    /// The Prometheus has no label selector for this kind, which selects nothing.
    NoSelector {
        /// The Prometheus field that is unset, e.g. `spec.serviceMonitorSelector`.
        field: &'static str,
    },
    /// No namespace selector is set, so only the Prometheus's own namespace is searched.
    OtherNamespace {
        /// The Prometheus's namespace.
        own: String,
        /// The resource's namespace.
        actual: String,
    },
    /// The resource's namespace does not match the namespace selector.
    NamespaceLabels {
        /// The namespace selector field, e.g. `spec.serviceMonitorNamespaceSelector`.
        field: &'static str,
        /// The namespace.
        namespace: String,
        /// The failing requirement and the namespace's value.
        mismatch: Mismatch,
    },
    /// The resource's labels do not match the label selector.
    Labels {
        /// The label selector field, e.g. `spec.serviceMonitorSelector`.
        field: &'static str,
        /// The failing requirement and the resource's value.
        mismatch: Mismatch,
    },
}

impl fmt::Display for Exclusion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Exclusion::Unwatched { flag, namespace } => write!(
                f,
                "the operator does not watch namespace {namespace:?} ({flag})"
            ),
            Exclusion::NoSelector { field } => write!(f, "{field} is not set: selects nothing"),
            Exclusion::OtherNamespace { own, actual } => write!(
                f,
                "namespace {actual:?} is not the Prometheus's own namespace {own:?} \
                 (no namespace selector set)"
            ),
            Exclusion::NamespaceLabels {
                field,
                namespace,
                mismatch,
            } => write!(f, "{field}: namespace {namespace:?} {mismatch}"),
            Exclusion::Labels { field, mismatch } => write!(f, "{field}: {mismatch}"),
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Selected => f.write_str("selected"),
            Outcome::NotSelected(why) => write!(f, "not selected: {why}"),
            Outcome::Rejected(why) => write!(f, "rejected: {why}"),
        }
    }
}

/// The namespaces a ServiceMonitor's or PodMonitor's targets are discovered in (upstream
/// `getNamespacesFromNamespaceSelector`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DiscoveryNamespaces {
    /// Every namespace (`namespaceSelector.any: true`).
    All,
    /// These namespaces only.
    Names(Vec<String>),
}

/// Resolves a monitor's `namespaceSelector`: the monitor's own namespace unless `any` or
/// `matchNames` say otherwise, and always its own when the Prometheus sets
/// `ignoreNamespaceSelectors`.
pub fn discovery_namespaces(
    selector: &NamespaceSelector,
    monitor_namespace: &str,
    ignore_namespace_selectors: bool,
) -> DiscoveryNamespaces {
    if ignore_namespace_selectors {
        DiscoveryNamespaces::Names(vec![monitor_namespace.to_owned()])
    } else if selector.any {
        DiscoveryNamespaces::All
    } else if selector.match_names.is_empty() {
        DiscoveryNamespaces::Names(vec![monitor_namespace.to_owned()])
    } else {
        DiscoveryNamespaces::Names(selector.match_names.clone())
    }
}

/// Why selection cannot run at all (the operator fails the whole reconciliation).
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum SelectError {
    /// `spec.version` is not a version.
    #[error(transparent)]
    Version(#[from] crate::version::VersionError),
    /// A selector of the Prometheus is invalid.
    #[error("{field}: {error}")]
    Selector {
        /// The Prometheus field.
        field: &'static str,
        /// What is wrong with it.
        error: SelectorError,
    },
}

impl<'a, T> Candidate<'a, T> {
    /// Whether the resource is selected and valid.
    pub fn is_selected(&self) -> bool {
        self.outcome == Outcome::Selected
    }

    /// Whether the resource matched but was rejected.
    pub fn is_rejected(&self) -> bool {
        matches!(self.outcome, Outcome::Rejected(_))
    }
}

/// The selected (and valid) resources of one kind, in order.
pub fn selected<'a, T>(candidates: &[Candidate<'a, T>]) -> Vec<&'a T> {
    candidates
        .iter()
        .filter(|c| c.is_selected())
        .map(|c| c.resource)
        .collect()
}

impl Selection<'_> {
    /// Keys (`namespace/name`) of rejected resources of every kind, sorted.
    pub fn rejected_keys(&self) -> Vec<String> {
        fn keys<'c, T>(c: &'c [Candidate<'_, T>]) -> impl Iterator<Item = String> + 'c {
            c.iter().filter(|c| c.is_rejected()).map(|c| c.key.clone())
        }
        let mut all: Vec<String> = keys(&self.service_monitors)
            .chain(keys(&self.pod_monitors))
            .chain(keys(&self.probes))
            .chain(keys(&self.scrape_configs))
            .chain(keys(&self.rules))
            .collect();
        all.sort();
        all
    }
}

/// The label and namespace selector of one kind, with the Prometheus field names.
pub(crate) struct KindSelectors<'p> {
    pub(crate) label: Option<&'p LabelSelector>,
    pub(crate) label_field: &'static str,
    pub(crate) namespace: Option<&'p LabelSelector>,
    pub(crate) namespace_field: &'static str,
}

impl<'p> KindSelectors<'p> {
    /// The selectors `target` picks resources of `kind` (`ServiceMonitor`, `PodMonitor`,
    /// `Probe`, `ScrapeConfig`, `PrometheusRule`) with.
    pub(crate) fn of(target: &Target<'p>, kind: &str) -> Self {
        match kind {
            "PrometheusRule" => Self::rules(target),
            _ => Self::monitors(target.common(), kind),
        }
    }

    /// The selectors of a monitor kind (`ServiceMonitor`, `PodMonitor`, `Probe`, else
    /// `ScrapeConfig`).
    fn monitors(common: &'p CommonPrometheusFields, kind: &str) -> Self {
        let (label, label_field, namespace, namespace_field) = match kind {
            "ServiceMonitor" => (
                common.service_monitor_selector.as_ref(),
                "spec.serviceMonitorSelector",
                common.service_monitor_namespace_selector.as_ref(),
                "spec.serviceMonitorNamespaceSelector",
            ),
            "PodMonitor" => (
                common.pod_monitor_selector.as_ref(),
                "spec.podMonitorSelector",
                common.pod_monitor_namespace_selector.as_ref(),
                "spec.podMonitorNamespaceSelector",
            ),
            "Probe" => (
                common.probe_selector.as_ref(),
                "spec.probeSelector",
                common.probe_namespace_selector.as_ref(),
                "spec.probeNamespaceSelector",
            ),
            _ => (
                common.scrape_config_selector.as_ref(),
                "spec.scrapeConfigSelector",
                common.scrape_config_namespace_selector.as_ref(),
                "spec.scrapeConfigNamespaceSelector",
            ),
        };
        KindSelectors {
            label,
            label_field,
            namespace,
            namespace_field,
        }
    }

    /// A Prometheus's rule selectors; an agent has none, which reads as unset ones.
    fn rules(target: &Target<'p>) -> Self {
        let spec = match target {
            Target::Server(p) => Some(&p.spec),
            Target::Agent(_) => None,
        };
        KindSelectors {
            label: spec.and_then(|s| s.rule_selector.as_ref()),
            label_field: "spec.ruleSelector",
            namespace: spec.and_then(|s| s.rule_namespace_selector.as_ref()),
            namespace_field: "spec.ruleNamespaceSelector",
        }
    }
}

/// A parsed pair of selectors, ready to match candidates.
struct Matcher<'s> {
    label: Option<Selector>,
    label_field: &'static str,
    namespace: Option<Selector>,
    namespace_field: &'static str,
    own_namespace: &'s str,
    namespace_labels: NamespaceLabels<'s>,
    watched: &'s Namespaces,
}

impl<'s> Matcher<'s> {
    fn new(
        selectors: KindSelectors<'_>,
        own_namespace: &'s str,
        snapshot: &'s Snapshot,
        watched: &'s Namespaces,
    ) -> Result<Self, SelectError> {
        let parse = |sel: Option<&LabelSelector>, field: &'static str| {
            sel.map(Selector::parse)
                .transpose()
                .map_err(|error| SelectError::Selector { field, error })
        };
        Ok(Matcher {
            label: parse(selectors.label, selectors.label_field)?,
            label_field: selectors.label_field,
            namespace: parse(selectors.namespace, selectors.namespace_field)?,
            namespace_field: selectors.namespace_field,
            own_namespace,
            namespace_labels: NamespaceLabels::of(snapshot),
            watched,
        })
    }

    /// `None` when `meta` is matched.
    fn exclusion(&self, meta: &ObjectMeta) -> Option<Exclusion> {
        let namespace = meta.namespace.as_deref().unwrap_or("");
        if let Some(unwatched) = unwatched(self.watched, namespace) {
            return Some(unwatched);
        }
        namespace_exclusion(
            self.namespace_labels.get(namespace),
            self.namespace.as_ref(),
            self.namespace_field,
            self.own_namespace,
            namespace,
        )
        .or_else(|| label_exclusion(self.label.as_ref(), self.label_field, meta.labels.as_ref()))
    }

    /// Candidates of one kind, deduplicated by key (the last object wins, as in the
    /// operator's map) and sorted by key.
    fn candidates<'a, T: CustomResource>(
        &self,
        items: &'a [T],
        check: impl Fn(&T) -> Result<(), Violation>,
    ) -> Vec<Candidate<'a, T>> {
        let mut by_key: BTreeMap<String, &'a T> = BTreeMap::new();
        for item in items {
            let meta = item.metadata();
            let key = format!(
                "{}/{}",
                meta.namespace.as_deref().unwrap_or(""),
                meta.name.as_deref().unwrap_or("")
            );
            by_key.insert(key, item);
        }
        by_key
            .into_iter()
            .map(|(key, resource)| {
                let outcome = match self.exclusion(resource.metadata()) {
                    Some(exclusion) => Outcome::NotSelected(exclusion),
                    None => match check(resource) {
                        Ok(()) => Outcome::Selected,
                        Err(violation) => Outcome::Rejected(violation),
                    },
                };
                Candidate {
                    key,
                    resource,
                    outcome,
                }
            })
            .collect()
    }
}

/// An instance's judgement of a PrometheusRule its selectors match.
pub type RuleCheck<'c> = &'c dyn Fn(&PrometheusRule) -> Result<(), Violation>;

/// Runs selection and validation for `target` over `snapshot`, PrometheusRules included:
/// `check_rule` is the instance's judgement of a PrometheusRule its selectors match (the rules
/// pipeline's, which depends on this module).
pub fn select<'a>(
    snapshot: &'a Snapshot,
    target: Target<'_>,
    watched: &Namespaces,
    check_rule: RuleCheck<'_>,
) -> Result<Selection<'a>, SelectError> {
    select_kinds(snapshot, target, watched, Some(check_rule))
}

/// Like [`select`] but leaves [`Selection::rules`] empty: parsing every rule's PromQL is most
/// of the work, and rendering and the rules module (which judges PrometheusRules itself) do not
/// need it.
pub fn select_monitors<'a>(
    snapshot: &'a Snapshot,
    target: Target<'_>,
    watched: &Namespaces,
) -> Result<Selection<'a>, SelectError> {
    select_kinds(snapshot, target, watched, None)
}

fn select_kinds<'a>(
    snapshot: &'a Snapshot,
    target: Target<'_>,
    watched: &Namespaces,
    check_rule: Option<RuleCheck<'_>>,
) -> Result<Selection<'a>, SelectError> {
    let own_namespace = target.metadata().namespace.as_deref().unwrap_or("");
    let common = target.common();
    let version = target.version()?;
    let ctx = validate::Context {
        snapshot,
        common,
        version: &version,
    };

    let matcher = |kind: &str| {
        Matcher::new(
            KindSelectors::monitors(common, kind),
            own_namespace,
            snapshot,
            watched,
        )
    };

    let service_monitors = matcher("ServiceMonitor")?
        .candidates(&snapshot.service_monitors, |sm| {
            validate::service_monitor(&ctx, sm)
        });
    let pod_monitors = matcher("PodMonitor")?
        .candidates(&snapshot.pod_monitors, |pm| validate::pod_monitor(&ctx, pm));
    let probes = matcher("Probe")?.candidates(&snapshot.probes, |p| validate::probe(&ctx, p));
    let scrape_configs = matcher("ScrapeConfig")?.candidates(&snapshot.scrape_configs, |sc| {
        validate::scrape_config(&ctx, sc)
    });
    // An agent loads no rules at all: not even as candidates its selectors turn down.
    let rules = match (target, check_rule) {
        (Target::Server(_), Some(check_rule)) => Matcher::new(
            KindSelectors::rules(&target),
            own_namespace,
            snapshot,
            watched,
        )?
        .candidates(&snapshot.prometheus_rules, check_rule),
        _ => Vec::new(),
    };

    Ok(Selection {
        service_monitors,
        pod_monitors,
        probes,
        scrape_configs,
        rules,
    })
}

/// The labels of a snapshot's Namespaces by name, the first Namespace of a name winning as in
/// [`Snapshot::namespace_labels`]: selection asks once per candidate, and searching every
/// Namespace each time made 10,000 monitors in 500 namespaces 2.5 million comparisons.
pub(crate) struct NamespaceLabels<'s>(HashMap<&'s str, Option<&'s BTreeMap<String, String>>>);

impl<'s> NamespaceLabels<'s> {
    /// The index of `snapshot`'s Namespaces.
    pub(crate) fn of(snapshot: &'s Snapshot) -> Self {
        let mut by_name = HashMap::with_capacity(snapshot.namespaces.len());
        for namespace in &snapshot.namespaces {
            if let Some(name) = namespace.metadata.name.as_deref() {
                by_name
                    .entry(name)
                    .or_insert(namespace.metadata.labels.as_ref());
            }
        }
        NamespaceLabels(by_name)
    }

    /// The labels of Namespace `name`, when the snapshot holds it.
    pub(crate) fn get(&self, name: &str) -> Option<&'s BTreeMap<String, String>> {
        static NONE: BTreeMap<String, String> = BTreeMap::new();
        self.0.get(name).map(|labels| labels.unwrap_or(&NONE))
    }
}

/// The exclusion of every resource in `namespace` when the operator's `--namespaces` /
/// `--deny-namespaces` keep it from the informers of monitors and rules.
pub(crate) fn unwatched(watched: &Namespaces, namespace: &str) -> Option<Exclusion> {
    watched
        .hides_configuration(namespace)
        .map(|flag| Exclusion::Unwatched {
            flag,
            namespace: namespace.to_owned(),
        })
}

/// Why a resource in `namespace` is not selected by the namespace selector in `field` (none:
/// only the `own` namespace is searched). `known_labels` are its Namespace's labels, when the
/// snapshot holds the Namespace.
pub(crate) fn namespace_exclusion(
    known_labels: Option<&BTreeMap<String, String>>,
    selector: Option<&Selector>,
    field: &'static str,
    own: &str,
    namespace: &str,
) -> Option<Exclusion> {
    match selector {
        None if namespace != own => Some(Exclusion::OtherNamespace {
            own: own.to_owned(),
            actual: namespace.to_owned(),
        }),
        None => None,
        Some(selector) => {
            // A namespace missing from the snapshot still exists in the cluster the resource
            // lives in, with the label the API server gives every namespace.
            let implied;
            let labels = match known_labels {
                Some(labels) => labels,
                None => {
                    implied = crate::snapshot::implied_namespace_labels(namespace);
                    &implied
                }
            };
            selector
                .mismatch(labels)
                .map(|mismatch| Exclusion::NamespaceLabels {
                    field,
                    namespace: namespace.to_owned(),
                    mismatch,
                })
        }
    }
}

/// Why a resource with `labels` is not selected by the label selector in `field` (none set
/// selects nothing).
pub(crate) fn label_exclusion(
    selector: Option<&Selector>,
    field: &'static str,
    labels: Option<&BTreeMap<String, String>>,
) -> Option<Exclusion> {
    let Some(selector) = selector else {
        return Some(Exclusion::NoSelector { field });
    };
    let empty = BTreeMap::new();
    selector
        .mismatch(labels.unwrap_or(&empty))
        .map(|mismatch| Exclusion::Labels { field, mismatch })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::monitoring::v1::Prometheus;

    fn doc<T: serde::de::DeserializeOwned>(yaml: &str) -> T {
        crate::yaml::from_str(yaml).unwrap()
    }

    fn snapshot() -> Snapshot {
        Snapshot {
            namespaces: vec![
                doc("metadata: {name: mon, labels: {team: a}}"),
                doc("metadata: {name: other, labels: {team: b}}"),
            ],
            service_monitors: vec![
                doc("metadata: {name: sm, namespace: mon, labels: {app: x}}\nspec: {selector: {}}"),
                doc(
                    "metadata: {name: sm, namespace: other, labels: {app: x}}\nspec: {selector: {}}",
                ),
                doc("metadata: {name: nolabel, namespace: mon}\nspec: {selector: {}}"),
                doc("metadata: {name: bad, namespace: mon, labels: {app: x}}\n\
                     spec: {selector: {}, scrapeClass: missing}"),
            ],
            ..Snapshot::default()
        }
    }

    #[test]
    fn selectors_and_rejections() {
        let snap = snapshot();
        let prom: Prometheus = doc("metadata: {name: p, namespace: mon}\n\
             spec: {serviceMonitorSelector: {matchLabels: {app: x}},\n  \
             serviceMonitorNamespaceSelector: {matchLabels: {team: a}}}");
        let sel = select_monitors(&snap, Target::Server(&prom), &Namespaces::default()).unwrap();
        let outcomes: Vec<(&str, &Outcome)> = sel
            .service_monitors
            .iter()
            .map(|c| (c.key.as_str(), &c.outcome))
            .collect();
        assert_eq!(outcomes.len(), 4);
        assert_eq!(outcomes[0].0, "mon/bad");
        assert!(
            matches!(outcomes[0].1, Outcome::Rejected(v) if v.check == validate::Check::ScrapeClass)
        );
        assert!(matches!(
            outcomes[1].1,
            Outcome::NotSelected(Exclusion::Labels { .. })
        ));
        assert_eq!(*outcomes[2].1, Outcome::Selected);
        assert!(matches!(
            outcomes[3].1,
            Outcome::NotSelected(Exclusion::NamespaceLabels { .. })
        ));
        assert_eq!(sel.rejected_keys(), vec!["mon/bad".to_owned()]);
        assert_eq!(selected(&sel.service_monitors).len(), 1);
    }

    #[test]
    fn unset_selectors() {
        let snap = snapshot();
        let prom: Prometheus = doc("metadata: {name: p, namespace: mon}\n\
             spec: {serviceMonitorSelector: {}}");
        let sel = select_monitors(&snap, Target::Server(&prom), &Namespaces::default()).unwrap();
        let other = sel
            .service_monitors
            .iter()
            .find(|c| c.key == "other/sm")
            .unwrap();
        assert!(matches!(
            other.outcome,
            Outcome::NotSelected(Exclusion::OtherNamespace { .. })
        ));
        assert!(sel.pod_monitors.is_empty());

        let no_selector: Prometheus = doc("metadata: {name: p, namespace: mon}\nspec: {}");
        let sel =
            select_monitors(&snap, Target::Server(&no_selector), &Namespaces::default()).unwrap();
        assert!(sel.service_monitors.iter().all(|c| matches!(
            c.outcome,
            Outcome::NotSelected(Exclusion::NoSelector { .. })
                | Outcome::NotSelected(Exclusion::OtherNamespace { .. })
        )));
    }

    #[test]
    fn resources_the_operator_does_not_watch_are_not_selected() {
        let snap = snapshot();
        let prom: Prometheus = doc("metadata: {name: p, namespace: mon}\n\
             spec: {serviceMonitorSelector: {}, serviceMonitorNamespaceSelector: {}}");
        let outcome_of = |watched: &Namespaces, key: &str| {
            let sel = select_monitors(&snap, Target::Server(&prom), watched).unwrap();
            let candidate = sel.service_monitors.iter().find(|c| c.key == key).unwrap();
            candidate.outcome.clone()
        };
        let deny = Namespaces {
            deny: vec!["other".into()],
            ..Namespaces::default()
        };
        assert_eq!(
            outcome_of(&deny, "other/sm"),
            Outcome::NotSelected(Exclusion::Unwatched {
                flag: "--deny-namespaces",
                namespace: "other".into()
            })
        );
        assert_eq!(outcome_of(&deny, "mon/nolabel"), Outcome::Selected);
        let allow = Namespaces {
            allow: vec!["other".into()],
            ..Namespaces::default()
        };
        assert!(matches!(
            outcome_of(&allow, "mon/nolabel"),
            Outcome::NotSelected(Exclusion::Unwatched {
                flag: "--namespaces",
                ..
            })
        ));
    }

    #[test]
    fn invalid_prometheus_selector_is_an_error() {
        let prom: Prometheus = doc("metadata: {name: p, namespace: mon}\n\
             spec: {serviceMonitorSelector: {matchExpressions: [{key: a, operator: In}]}}");
        assert!(matches!(
            select_monitors(&snapshot(), Target::Server(&prom), &Namespaces::default()),
            Err(SelectError::Selector { .. })
        ));
    }

    #[test]
    fn monitor_namespace_selector() {
        let any = NamespaceSelector {
            any: true,
            ..Default::default()
        };
        assert_eq!(
            discovery_namespaces(&any, "ns", false),
            DiscoveryNamespaces::All
        );
        assert_eq!(
            discovery_namespaces(&any, "ns", true),
            DiscoveryNamespaces::Names(vec!["ns".to_owned()])
        );
        let names = NamespaceSelector {
            match_names: vec!["a".to_owned()],
            ..Default::default()
        };
        assert_eq!(
            discovery_namespaces(&names, "ns", false),
            DiscoveryNamespaces::Names(vec!["a".to_owned()])
        );
    }
}
