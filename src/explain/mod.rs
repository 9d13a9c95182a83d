//! Why a monitor is (not) scraped: the data behind `kubectl promop explain`.
//!
//! [`explain_instance`] answers for a Prometheus or PrometheusAgent: every ServiceMonitor,
//! PodMonitor, Probe, ScrapeConfig and PrometheusRule with its status and the reasons (the
//! selector that excluded it, with wanted and actual labels and near misses; the check that
//! rejected it; what the operator's own flags restrict). [`explain_monitor`] answers for one
//! monitor: which instances select it, and per endpoint the discovery chain down to the
//! targets Prometheus would scrape. Both return data; printing belongs to the binary. The
//! serialized form is documented in `docs/explain-schema.md`.

pub mod alert_path;
pub mod alertmanager;
pub mod near_miss;
pub mod rules;
pub mod targets;
mod verdicts;

use std::collections::BTreeMap;
use std::fmt;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use serde::Serialize;

use crate::monitoring::CustomResource;
use crate::monitoring::v1::common::ConfigResourceStatus;
use crate::monitoring::v1::prometheus::CommonPrometheusFields;
use crate::operator::{CONTROLLER_ID_ANNOTATION, OperatorOptions};
use crate::select::{self, Candidate, Exclusion, Outcome, Selector};
use crate::snapshot::Snapshot;
use crate::target::Target;

pub use targets::{DroppedBy, EndpointExplanation, PortInfo, TargetExplanation, WorkloadMatch};

/// A set of labels.
pub type Labels = BTreeMap<String, String>;

/// What became of a resource for one Prometheus.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Selected and valid: the operator renders it.
    Selected,
    /// Not matched by the selectors (or outside what the operator watches).
    NotSelected,
    /// Matched, but the operator refuses it.
    Rejected,
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Status::Selected => "selected",
            Status::NotSelected => "not selected",
            Status::Rejected => "rejected",
        })
    }
}

/// The family of a reason.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReasonCode {
    /// The Prometheus's label selector for the kind is nil: nothing is selected.
    NoSelector,
    /// The namespace selector is nil (own namespace only) or does not match the namespace.
    NamespaceSelector,
    /// The label selector does not match the resource's labels.
    LabelSelector,
    /// An operator check rejected the resource.
    Validation,
    /// The operator's `--namespaces` / `--deny-namespaces` exclude the namespace.
    OperatorNamespaces,
    /// The operator reported a condition on the resource (`status.bindings`).
    OperatorCondition,
}

/// One reason for a status.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Reason {
    /// The family.
    pub code: ReasonCode,
    /// The field concerned: a Prometheus field such as `spec.serviceMonitorSelector`, a field
    /// of the resource such as `spec.endpoints[0].bearerTokenFile`, or an operator flag.
    pub field: String,
    /// A sentence for people.
    pub message: String,
    /// The failing requirement (`app=web`, `tier in (a,b)`), for selector reasons.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wanted: Option<String>,
    /// The labels the requirement was checked against (the resource's or the namespace's).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actual: Option<Labels>,
    /// Probable causes: a typo in a key or value, a missing Helm `release` label.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub near_misses: Vec<String>,
}

impl Reason {
    fn plain(code: ReasonCode, field: impl Into<String>, message: impl Into<String>) -> Self {
        Reason {
            code,
            field: field.into(),
            message: message.into(),
            wanted: None,
            actual: None,
            near_misses: Vec::new(),
        }
    }
}

/// A condition the operator wrote on a resource for one instance (`status.bindings`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OperatorCondition {
    /// `Accepted`.
    #[serde(rename = "type")]
    pub type_: String,
    /// `True`, `False` or `Unknown`.
    pub status: String,
    /// The operator's reason.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub reason: String,
    /// The operator's message.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub message: String,
}

/// The verdict on one resource for one instance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Verdict {
    /// `ServiceMonitor`, `PodMonitor`, `Probe`, `ScrapeConfig`, `PrometheusRule`, or for the
    /// monitor direction `Prometheus` / `PrometheusAgent`.
    pub kind: String,
    /// Namespace.
    pub namespace: String,
    /// Name.
    pub name: String,
    /// The status.
    pub status: Status,
    /// Why (empty for a plainly selected resource).
    pub reasons: Vec<Reason>,
    /// What the operator itself reported, when the input has it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub operator_conditions: Vec<OperatorCondition>,
}

/// A note about the instance as a whole.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Note {
    /// `unmanaged`, `not-reconciled`, `shards`, `no-operator`.
    pub code: String,
    /// A sentence for people.
    pub message: String,
}

/// Counts per status.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    /// Selected resources.
    pub selected: usize,
    /// Resources not selected.
    pub not_selected: usize,
    /// Rejected resources.
    pub rejected: usize,
}

/// The answer for one Prometheus or PrometheusAgent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InstanceExplanation {
    /// `Prometheus` or `PrometheusAgent`.
    pub kind: String,
    /// Namespace.
    pub namespace: String,
    /// Name.
    pub name: String,
    /// Number of shards (`spec.shards`, default 1).
    pub shards: i32,
    /// Whether every monitor selector is nil, so the operator leaves the configuration to
    /// the user.
    pub unmanaged: bool,
    /// The operator's restricting flags, when its Deployment is in the input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operator: Option<OperatorRestrictions>,
    /// Notes about the instance as a whole.
    pub notes: Vec<Note>,
    /// Counts per status.
    pub summary: Summary,
    /// Every resource considered, by kind then `namespace/name`.
    pub resources: Vec<Verdict>,
}

/// The operator flags that restrict what it reconciles, as read from its Deployment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OperatorRestrictions {
    /// The Deployment they come from, `namespace/name`.
    pub deployment: String,
    /// `--namespaces`: the only namespaces watched (empty: all).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub namespaces: Vec<String>,
    /// `--deny-namespaces`: namespaces never watched.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub deny_namespaces: Vec<String>,
    /// `--prometheus-instance-namespaces`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub prometheus_instance_namespaces: Vec<String>,
    /// `--controller-id` (empty: reconciles objects without the annotation).
    pub controller_id: String,
}

impl OperatorRestrictions {
    fn of(options: &OperatorOptions) -> Option<Self> {
        let source = options.source.as_deref()?;
        Some(OperatorRestrictions {
            deployment: source
                .strip_prefix("Deployment ")
                .unwrap_or(source)
                .to_owned(),
            namespaces: options.namespaces.allow.clone(),
            deny_namespaces: options.namespaces.deny.clone(),
            prometheus_instance_namespaces: options.namespaces.prometheus_instances.clone(),
            controller_id: options.controller_id.clone(),
        })
    }
}

/// The answer for one ServiceMonitor, PodMonitor or Probe.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MonitorExplanation {
    /// `ServiceMonitor`, `PodMonitor` or `Probe`.
    pub kind: String,
    /// Namespace.
    pub namespace: String,
    /// Name.
    pub name: String,
    /// Every Prometheus and PrometheusAgent, with whether it selects this monitor and why not.
    pub instances: Vec<Verdict>,
    /// The instance whose configuration the targets come from (`Kind namespace/name`);
    /// `None` when the input holds no instance.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub targets_from: Option<String>,
    /// Whether no instance selects the monitor, so the targets show what it *would* scrape.
    pub hypothetical: bool,
    /// Per endpoint (`spec.endpoints`, `spec.podMetricsEndpoints`, the Probe's targets).
    pub endpoints: Vec<EndpointExplanation>,
    /// Notes about the monitor as a whole.
    pub notes: Vec<Note>,
}

/// The monitor kinds `explain` follows down to targets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MonitorKind {
    /// `ServiceMonitor`.
    ServiceMonitor,
    /// `PodMonitor`.
    PodMonitor,
    /// `Probe`.
    Probe,
}

impl MonitorKind {
    /// The kind's name.
    pub fn as_str(self) -> &'static str {
        match self {
            MonitorKind::ServiceMonitor => "ServiceMonitor",
            MonitorKind::PodMonitor => "PodMonitor",
            MonitorKind::Probe => "Probe",
        }
    }
}

/// Why there is no explanation.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ExplainError {
    /// The object is not in the input, or not only once.
    #[error(transparent)]
    Find(#[from] crate::instance::FindError),
    /// The instance's selectors or version are invalid.
    #[error(transparent)]
    Select(#[from] select::SelectError),
}

fn namespace_of(meta: &ObjectMeta) -> &str {
    meta.namespace.as_deref().unwrap_or("")
}

fn name_of(meta: &ObjectMeta) -> &str {
    meta.name.as_deref().unwrap_or("")
}

fn target_parts<'t>(target: &Target<'t>) -> (&'static str, &'t ObjectMeta, CommonPrometheusFields) {
    match target {
        Target::Server(p) => ("Prometheus", &p.metadata, p.spec.common_fields()),
        Target::Agent(a) => ("PrometheusAgent", &a.metadata, a.spec.common_fields()),
    }
}

/// The label selector and namespace selector of an instance for a kind, with field names.
struct KindSelectors<'c> {
    label: Option<&'c LabelSelector>,
    namespace: Option<&'c LabelSelector>,
    namespace_field: &'static str,
}

fn kind_selectors<'c>(
    target: &Target<'c>,
    common: &'c CommonPrometheusFields,
    kind: &str,
) -> KindSelectors<'c> {
    let (label, namespace, namespace_field) = match kind {
        "ServiceMonitor" => (
            common.service_monitor_selector.as_ref(),
            common.service_monitor_namespace_selector.as_ref(),
            "spec.serviceMonitorNamespaceSelector",
        ),
        "PodMonitor" => (
            common.pod_monitor_selector.as_ref(),
            common.pod_monitor_namespace_selector.as_ref(),
            "spec.podMonitorNamespaceSelector",
        ),
        "Probe" => (
            common.probe_selector.as_ref(),
            common.probe_namespace_selector.as_ref(),
            "spec.probeNamespaceSelector",
        ),
        "ScrapeConfig" => (
            common.scrape_config_selector.as_ref(),
            common.scrape_config_namespace_selector.as_ref(),
            "spec.scrapeConfigNamespaceSelector",
        ),
        _ => match target {
            Target::Server(p) => (
                p.spec.rule_selector.as_ref(),
                p.spec.rule_namespace_selector.as_ref(),
                "spec.ruleNamespaceSelector",
            ),
            Target::Agent(_) => (None, None, "spec.ruleNamespaceSelector"),
        },
    };
    KindSelectors {
        label,
        namespace,
        namespace_field,
    }
}

/// Everything needed to turn selection outcomes into verdicts for one instance.
struct VerdictContext<'a> {
    snapshot: &'a Snapshot,
    target: Target<'a>,
    common: CommonPrometheusFields,
    instance_kind: &'static str,
    instance_namespace: String,
    instance_name: String,
    operator: &'a OperatorOptions,
}

impl<'a> VerdictContext<'a> {
    fn new(snapshot: &'a Snapshot, target: Target<'a>, operator: &'a OperatorOptions) -> Self {
        let (instance_kind, meta, common) = target_parts(&target);
        VerdictContext {
            snapshot,
            target,
            common,
            instance_kind,
            instance_namespace: namespace_of(meta).to_owned(),
            instance_name: name_of(meta).to_owned(),
            operator,
        }
    }

    fn verdict<T: CustomResource>(
        &self,
        candidate: &Candidate<'_, T>,
        status_of: impl Fn(&T) -> Option<&serde_json::Value>,
    ) -> Verdict {
        let meta = candidate.resource.metadata();
        let namespace = namespace_of(meta);
        let mut reasons = Vec::new();
        let mut status = match &candidate.outcome {
            Outcome::Selected => Status::Selected,
            Outcome::NotSelected(exclusion) => {
                reasons.extend(self.exclusion_reasons(T::KIND, meta, exclusion));
                Status::NotSelected
            }
            Outcome::Rejected(violation) => {
                reasons.push(Reason::plain(
                    ReasonCode::Validation,
                    violation.field.clone(),
                    format!(
                        "rejected by the operator's {} check: {}",
                        violation.check, violation.message
                    ),
                ));
                Status::Rejected
            }
        };
        if let Some((flag, message)) = self.operator.excludes_namespace(namespace) {
            reasons.insert(
                0,
                Reason::plain(ReasonCode::OperatorNamespaces, flag, message),
            );
            status = Status::NotSelected;
        }
        let operator_conditions = self.conditions(status_of(candidate.resource));
        for condition in &operator_conditions {
            if condition.type_ == "Accepted" && condition.status == "False" {
                reasons.push(Reason::plain(
                    ReasonCode::OperatorCondition,
                    "status.bindings",
                    format!(
                        "the operator reports Accepted=False ({}): {}",
                        condition.reason, condition.message
                    ),
                ));
            }
        }
        Verdict {
            kind: T::KIND.to_owned(),
            namespace: namespace.to_owned(),
            name: name_of(meta).to_owned(),
            status,
            reasons,
            operator_conditions,
        }
    }

    /// The conditions in `status.bindings` for this instance.
    fn conditions(&self, status: Option<&serde_json::Value>) -> Vec<OperatorCondition> {
        let Some(status) = status else {
            return Vec::new();
        };
        let Ok(parsed) = serde_json::from_value::<ConfigResourceStatus>(status.clone()) else {
            return Vec::new();
        };
        let resource = match self.target {
            Target::Server(_) => "prometheuses",
            Target::Agent(_) => "prometheusagents",
        };
        parsed
            .bindings
            .iter()
            .filter(|b| {
                b.resource == resource
                    && b.namespace == self.instance_namespace
                    && b.name == self.instance_name
            })
            .flat_map(|b| &b.conditions)
            .map(|c| OperatorCondition {
                type_: c.type_.clone(),
                status: c.status.clone(),
                reason: c.reason.clone(),
                message: c.message.clone(),
            })
            .collect()
    }

    fn exclusion_reasons(
        &self,
        kind: &str,
        meta: &ObjectMeta,
        exclusion: &Exclusion,
    ) -> Vec<Reason> {
        let mut reasons = self.first_exclusion_reasons(kind, meta, exclusion);
        let selectors = kind_selectors(&self.target, &self.common, kind);
        // The operator stops at the namespace; a nil label selector would exclude it anyway.
        if selectors.label.is_none() && !matches!(exclusion, Exclusion::NoSelector { .. }) {
            reasons.push(no_selector_reason(label_field(kind), kind));
        }
        reasons
    }

    fn first_exclusion_reasons(
        &self,
        kind: &str,
        meta: &ObjectMeta,
        exclusion: &Exclusion,
    ) -> Vec<Reason> {
        let selectors = kind_selectors(&self.target, &self.common, kind);
        match exclusion {
            Exclusion::NoSelector { field } => vec![no_selector_reason(field, kind)],
            Exclusion::OtherNamespace { own, actual } => vec![Reason::plain(
                ReasonCode::NamespaceSelector,
                selectors.namespace_field,
                format!(
                    "{} is nil (unset), so only the {}'s own namespace {own:?} is searched and \
                     this {kind} is in {actual:?}; an empty selector {{}} searches every namespace",
                    selectors.namespace_field, self.instance_kind
                ),
            )],
            Exclusion::NamespaceLabels {
                field, namespace, ..
            } => {
                let known = self.snapshot.namespace_labels(namespace);
                let labels = known.cloned().unwrap_or_default();
                let missing = if known.is_none() {
                    " (the namespace is not in the input: taken as having no labels)"
                } else {
                    ""
                };
                self.failure_reasons(
                    ReasonCode::NamespaceSelector,
                    field,
                    selectors.namespace,
                    &labels,
                    |wanted| {
                        format!(
                            "namespace {namespace:?} does not match {field}: wants {wanted}, \
                             namespace labels are {}{missing}",
                            show_labels(&labels)
                        )
                    },
                )
            }
            Exclusion::Labels { field, .. } => {
                let labels = meta.labels.clone().unwrap_or_default();
                self.failure_reasons(
                    ReasonCode::LabelSelector,
                    field,
                    selectors.label,
                    &labels,
                    |wanted| {
                        format!(
                            "labels do not match {field}: wants {wanted}, has {}",
                            show_labels(&labels)
                        )
                    },
                )
            }
        }
    }

    fn failure_reasons(
        &self,
        code: ReasonCode,
        field: &str,
        selector: Option<&LabelSelector>,
        labels: &Labels,
        message: impl Fn(&str) -> String,
    ) -> Vec<Reason> {
        let Some(Ok(selector)) = selector.map(Selector::parse) else {
            return Vec::new();
        };
        near_miss::failures(&selector, labels)
            .into_iter()
            .map(|failure| Reason {
                code,
                field: field.to_owned(),
                message: message(&failure.wanted),
                wanted: Some(failure.wanted),
                actual: Some(labels.clone()),
                near_misses: failure.near_misses,
            })
            .collect()
    }
}

fn no_selector_reason(field: &str, kind: &str) -> Reason {
    Reason::plain(
        ReasonCode::NoSelector,
        field,
        format!(
            "{field} is nil (unset), which selects no {kind}; an empty selector {{}} would \
             select every {kind}"
        ),
    )
}

/// The instance's label selector field for a kind.
fn label_field(kind: &str) -> &'static str {
    match kind {
        "ServiceMonitor" => "spec.serviceMonitorSelector",
        "PodMonitor" => "spec.podMonitorSelector",
        "Probe" => "spec.probeSelector",
        "ScrapeConfig" => "spec.scrapeConfigSelector",
        _ => "spec.ruleSelector",
    }
}

/// Labels as `{a=b, c=d}`.
pub fn show_labels(labels: &Labels) -> String {
    let inner: Vec<String> = labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
    format!("{{{}}}", inner.join(", "))
}

/// Explains what `target` selects, rejects and ignores, and why.
pub fn explain_instance(
    snapshot: &Snapshot,
    target: Target<'_>,
    options: &OperatorOptions,
) -> Result<InstanceExplanation, ExplainError> {
    let selection = select::select(snapshot, target)?;
    let context = VerdictContext::new(snapshot, target, options);
    let mut resources = Vec::new();
    resources.extend(
        selection
            .service_monitors
            .iter()
            .map(|c| context.verdict(c, |r| r.status.as_ref())),
    );
    resources.extend(
        selection
            .pod_monitors
            .iter()
            .map(|c| context.verdict(c, |r| r.status.as_ref())),
    );
    resources.extend(
        selection
            .probes
            .iter()
            .map(|c| context.verdict(c, |r| r.status.as_ref())),
    );
    resources.extend(
        selection
            .scrape_configs
            .iter()
            .map(|c| context.verdict(c, |r| r.status.as_ref())),
    );
    resources.extend(
        selection
            .rules
            .iter()
            .map(|c| context.verdict(c, |r| r.status.as_ref())),
    );
    let mut summary = Summary::default();
    for r in &resources {
        match r.status {
            Status::Selected => summary.selected += 1,
            Status::NotSelected => summary.not_selected += 1,
            Status::Rejected => summary.rejected += 1,
        }
    }
    let common = &context.common;
    let unmanaged = matches!(target, Target::Server(_))
        && common.service_monitor_selector.is_none()
        && common.pod_monitor_selector.is_none()
        && common.probe_selector.is_none()
        && common.scrape_config_selector.is_none();
    let shards = common.shards.unwrap_or(1).max(1);
    let mut notes = Vec::new();
    if unmanaged {
        notes.push(Note {
            code: "unmanaged".to_owned(),
            message: "serviceMonitorSelector, podMonitorSelector, probeSelector and \
                      scrapeConfigSelector are all nil: the operator does not manage the scrape \
                      configuration (reason ConfigurationUnmanaged) and selects no monitor; \
                      set any of them (e.g. to {}) to let it generate one"
                .to_owned(),
        });
    }
    if shards > 1 {
        notes.push(Note {
            code: "shards".to_owned(),
            message: format!(
                "{shards} shards: every shard loads the same selection and keeps the targets \
                 whose hash of __address__ modulo {shards} is its shard number \
                 (explain a monitor to see each target's shard)"
            ),
        });
    }
    match context.operator.source {
        Some(_) => {
            let flags = context.operator;
            let (_, meta, _) = target_parts(&target);
            let annotation = meta
                .annotations
                .as_ref()
                .and_then(|a| a.get(CONTROLLER_ID_ANNOTATION))
                .map(String::as_str);
            if let Some(message) = flags.ignores_instance(&context.instance_namespace, annotation) {
                notes.push(Note {
                    code: "not-reconciled".to_owned(),
                    message,
                });
            }
        }
        None => notes.push(Note {
            code: "no-operator".to_owned(),
            message: "the operator's Deployment is not in the input: its --namespaces, \
                      --deny-namespaces and --controller-id restrictions are not checked"
                .to_owned(),
        }),
    }
    Ok(InstanceExplanation {
        kind: context.instance_kind.to_owned(),
        namespace: context.instance_namespace.clone(),
        name: context.instance_name.clone(),
        shards,
        unmanaged,
        operator: OperatorRestrictions::of(context.operator),
        notes,
        summary,
        resources,
    })
}

/// Every instance in the snapshot, Prometheus first, each in `namespace/name` order.
fn all_instances(snapshot: &Snapshot) -> Vec<Target<'_>> {
    let mut servers: Vec<_> = snapshot.prometheuses.iter().collect();
    servers.sort_by_key(|p| (namespace_of(&p.metadata), name_of(&p.metadata)));
    let mut agents: Vec<_> = snapshot.prometheus_agents.iter().collect();
    agents.sort_by_key(|a| (namespace_of(&a.metadata), name_of(&a.metadata)));
    servers
        .into_iter()
        .map(Target::Server)
        .chain(agents.into_iter().map(Target::Agent))
        .collect()
}

/// Explains which instances select the monitor `namespace/name` of `kind` and what it
/// scrapes: the discovery chain per endpoint down to the targets after relabeling.
pub fn explain_monitor(
    snapshot: &Snapshot,
    kind: MonitorKind,
    namespace: Option<&str>,
    name: &str,
    options: &OperatorOptions,
) -> Result<MonitorExplanation, ExplainError> {
    let (meta, key) = match kind {
        MonitorKind::ServiceMonitor => {
            let m = crate::instance::find_named(&snapshot.service_monitors, namespace, name)?;
            (&m.metadata, targets::MonitorRef::ServiceMonitor(m))
        }
        MonitorKind::PodMonitor => {
            let m = crate::instance::find_named(&snapshot.pod_monitors, namespace, name)?;
            (&m.metadata, targets::MonitorRef::PodMonitor(m))
        }
        MonitorKind::Probe => {
            let m = crate::instance::find_named(&snapshot.probes, namespace, name)?;
            (&m.metadata, targets::MonitorRef::Probe(m))
        }
    };
    let wanted_key = format!("{}/{}", namespace_of(meta), name_of(meta));
    let mut instances = Vec::new();
    let mut selecting = None;
    let mut notes = Vec::new();
    for target in all_instances(snapshot) {
        let context = VerdictContext::new(snapshot, target, options);
        let selection = match select::select(snapshot, target) {
            Ok(s) => s,
            Err(e) => {
                notes.push(Note {
                    code: "invalid-instance".to_owned(),
                    message: format!(
                        "{} {}/{}: {e}",
                        context.instance_kind, context.instance_namespace, context.instance_name
                    ),
                });
                continue;
            }
        };
        let verdict = match kind {
            MonitorKind::ServiceMonitor => selection
                .service_monitors
                .iter()
                .find(|c| c.key == wanted_key)
                .map(|c| context.verdict(c, |r| r.status.as_ref())),
            MonitorKind::PodMonitor => selection
                .pod_monitors
                .iter()
                .find(|c| c.key == wanted_key)
                .map(|c| context.verdict(c, |r| r.status.as_ref())),
            MonitorKind::Probe => selection
                .probes
                .iter()
                .find(|c| c.key == wanted_key)
                .map(|c| context.verdict(c, |r| r.status.as_ref())),
        };
        let Some(mut verdict) = verdict else { continue };
        // Here the verdict is about the instance, the resource being fixed.
        verdict.kind = context.instance_kind.to_owned();
        verdict.namespace = context.instance_namespace.clone();
        verdict.name = context.instance_name.clone();
        if verdict.status == Status::Selected && selecting.is_none() {
            selecting = Some(target);
        }
        instances.push(verdict);
    }
    let chosen = selecting.or_else(|| all_instances(snapshot).into_iter().next());
    let hypothetical = selecting.is_none();
    let (targets_from, endpoints) = match chosen {
        Some(target) => {
            let (instance_kind, instance_meta, _) = target_parts(&target);
            let label = format!(
                "{instance_kind} {}/{}",
                namespace_of(instance_meta),
                name_of(instance_meta)
            );
            let endpoints = targets::explain_endpoints(snapshot, target, key, options)
                .unwrap_or_else(|message| {
                    notes.push(Note {
                        code: "render-failed".to_owned(),
                        message: format!("cannot render the configuration of {label}: {message}"),
                    });
                    Vec::new()
                });
            (Some(label), endpoints)
        }
        None => {
            notes.push(Note {
                code: "no-instance".to_owned(),
                message: "the input holds no Prometheus or PrometheusAgent: nothing selects this \
                          monitor and its targets cannot be derived"
                    .to_owned(),
            });
            (None, Vec::new())
        }
    };
    if instances.is_empty() && chosen.is_some() {
        notes.push(Note {
            code: "no-instance".to_owned(),
            message: "no instance could be evaluated".to_owned(),
        });
    } else if hypothetical && chosen.is_some() {
        notes.push(Note {
            code: "hypothetical".to_owned(),
            message: "no instance selects this monitor: the targets below are what it would \
                      scrape if the first instance selected it"
                .to_owned(),
        });
    }
    Ok(MonitorExplanation {
        kind: kind.as_str().to_owned(),
        namespace: namespace_of(meta).to_owned(),
        name: name_of(meta).to_owned(),
        instances,
        targets_from,
        hypothetical,
        endpoints,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snapshot(text: &str) -> Snapshot {
        let mut snapshot = Snapshot::default();
        snapshot.load("test.yaml", text).unwrap();
        snapshot
    }

    const BASE: &str = "\
apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata:
  name: p
  namespace: mon
  annotations:
    operator.prometheus.io/controller-id: blue
spec:
  shards: 3
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: sm
  namespace: mon
spec:
  selector: {}
  endpoints:
  - port: web
status:
  bindings:
  - group: monitoring.coreos.com
    resource: prometheuses
    name: p
    namespace: mon
    conditions:
    - type: Accepted
      status: \"False\"
      reason: InvalidConfiguration
      message: bad relabeling
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: prometheus-operator
  namespace: mon
spec:
  selector: {}
  template:
    spec:
      containers:
      - name: prometheus-operator
        image: quay.io/prometheus-operator/prometheus-operator:v0.93.0
        args: [\"--controller-id=green\", \"--namespaces\", \"mon,apps\"]
";

    #[test]
    fn unmanaged_shards_controller_id_and_operator_conditions() {
        let snapshot = snapshot(BASE);
        let target = crate::instance::find_target(&snapshot, false, None, "p").unwrap();
        let options = OperatorOptions::resolve(&snapshot, &Default::default()).unwrap();
        let e = explain_instance(&snapshot, target, &options).unwrap();
        assert!(e.unmanaged);
        assert_eq!(e.shards, 3);
        let codes: Vec<&str> = e.notes.iter().map(|n| n.code.as_str()).collect();
        assert_eq!(codes, ["unmanaged", "shards", "not-reconciled"]);
        assert!(e.notes[2].message.contains("--controller-id=green"));
        let flags = e.operator.as_ref().unwrap();
        assert_eq!(flags.namespaces, ["mon", "apps"]);
        let sm = &e.resources[0];
        assert_eq!(sm.status, Status::NotSelected);
        assert_eq!(sm.reasons[0].code, ReasonCode::NoSelector);
        assert_eq!(sm.operator_conditions[0].reason, "InvalidConfiguration");
        assert!(
            sm.reasons
                .iter()
                .any(|r| r.code == ReasonCode::OperatorCondition)
        );
    }
}
