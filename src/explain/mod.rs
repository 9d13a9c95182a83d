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
mod discoveries;
pub mod fields;
pub mod near_miss;
pub mod overrides;
pub mod pod;
pub mod rbac;
pub mod rules;
pub mod service_pods;
pub mod targets;
mod verdicts;

use std::fmt;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Serialize;

use crate::monitoring::CustomResource;
use crate::monitoring::v1::common::ConfigResourceStatus;
use crate::monitoring::v1::prometheus::CommonPrometheusFields;
use crate::monitoring::v1::{PodMonitor, Probe, PrometheusRule, ServiceMonitor};
use crate::monitoring::v1alpha1::ScrapeConfig;
use crate::operator::OperatorOptions;
use crate::select::{self, Candidate, KindSelectors, Outcome};
use crate::snapshot::{Snapshot, name_of, namespace_of};
use crate::target::Target;
use crate::validate::{self, Check, Violation};
use crate::version::Version;

pub use fields::FieldRef;
pub use overrides::{NamespaceScope, Override};
pub use rbac::{AccessQuestion, AccessQuestions, ClusterAccess, RbacCheck, RbacGap, RbacMethod};
pub use service_pods::{PodLink, TargetPortMatch};
pub use targets::{DroppedBy, EndpointExplanation, PortInfo, TargetExplanation, WorkloadMatch};

pub use crate::relabel::Labels;

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
    /// The operator does not reconcile the instance at all (`--controller-id`, its instance
    /// namespaces or instance selector): nothing reaches its configuration.
    InstanceNotReconciled,
    /// The operator reported a condition on the resource (`status.bindings`).
    OperatorCondition,
}

/// One reason for a status: the object and field that decide it, the value found there,
/// and what to change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Reason {
    /// The family.
    pub code: ReasonCode,
    /// The object holding the deciding field: `Prometheus mon/k8s`, `ServiceMonitor shop/web`,
    /// or the operator's `Deployment mon/prometheus-operator`.
    pub object: String,
    /// The deciding field of `object`: a Prometheus field such as `spec.serviceMonitorSelector`,
    /// a field of the resource such as `spec.endpoints[0].bearerTokenFile`, or an operator flag.
    pub field: String,
    /// The value of `field` in `object` (`null` when unset).
    pub value: serde_json::Value,
    /// A sentence for people.
    pub message: String,
    /// One line: what to change so that this reason goes away.
    pub remedy: String,
    /// The other fields the decision compares against (the resource's label, the namespace's
    /// label, the Prometheus setting a check depends on).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<FieldRef>,
    /// The failing requirement (`app=web`, `tier in (a,b)`), for selector reasons.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wanted: Option<String>,
    /// The labels the requirement was checked against (the resource's or the namespace's).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actual: Option<Labels>,
    /// Probable causes: a typo in a key or value, a missing Helm `release` label.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub near_misses: Vec<String>,
    /// For a rejection: the operator's check that made it (`reference`, `scrape-class`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub check: Option<String>,
}

impl Reason {
    fn new(
        code: ReasonCode,
        object: impl Into<String>,
        field: impl Into<String>,
        value: serde_json::Value,
        message: impl Into<String>,
        remedy: impl Into<String>,
    ) -> Self {
        Reason {
            code,
            object: object.into(),
            field: field.into(),
            value,
            message: message.into(),
            remedy: remedy.into(),
            related: Vec::new(),
            wanted: None,
            actual: None,
            near_misses: Vec::new(),
            check: None,
        }
    }

    fn with_related(mut self, related: Vec<FieldRef>) -> Self {
        self.related = related;
        self
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

/// The object an answer, a verdict or a row is about. Its owners flatten it, so their
/// serialized form keeps `kind`, `namespace` and `name` as keys of their own.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ObjectRef {
    /// Its kind.
    pub kind: String,
    /// Namespace.
    pub namespace: String,
    /// Name.
    pub name: String,
}

impl ObjectRef {
    fn new(kind: &str, namespace: &str, name: &str) -> Self {
        ObjectRef {
            kind: kind.to_owned(),
            namespace: namespace.to_owned(),
            name: name.to_owned(),
        }
    }
}

/// `Kind namespace/name`.
impl fmt::Display for ObjectRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}/{}", self.kind, self.namespace, self.name)
    }
}

/// The verdict on one resource for one instance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Verdict {
    /// The resource: a `ServiceMonitor`, `PodMonitor`, `Probe`, `ScrapeConfig`,
    /// `PrometheusRule`, or for the monitor direction a `Prometheus` / `PrometheusAgent`.
    #[serde(flatten)]
    pub object: ObjectRef,
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
    /// The `Prometheus` or `PrometheusAgent`.
    #[serde(flatten)]
    pub object: ObjectRef,
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
    /// Whether the instance's ServiceAccount may discover what every Kubernetes discovery
    /// of its configuration asks for (selected monitors, Probes and ScrapeConfigs, the
    /// Alertmanagers, additional configs), in each namespace searched.
    pub rbac: RbacCheck,
    /// Every resource considered, by kind then `namespace/name`.
    pub resources: Vec<Verdict>,
    /// The pod the operator would run, when it can generate one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pod: Option<pod::PodExplanation>,
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
    /// The `ServiceMonitor`, `PodMonitor` or `Probe`.
    #[serde(flatten)]
    pub object: ObjectRef,
    /// Every Prometheus and PrometheusAgent, with whether it selects this monitor and why not.
    pub instances: Vec<Verdict>,
    /// The instance whose configuration the targets come from (`Kind namespace/name`);
    /// `None` when the input holds no instance.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub targets_from: Option<String>,
    /// Whether no instance selects the monitor, so the targets show what it *would* scrape.
    pub hypothetical: bool,
    /// For ServiceMonitors and PodMonitors: the namespaces `spec.namespaceSelector` asks for,
    /// those the instance searches, and the settings that make them differ.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace_scope: Option<NamespaceScope>,
    /// Per endpoint (`spec.endpoints`, `spec.podMetricsEndpoints`, the Probe's targets).
    pub endpoints: Vec<EndpointExplanation>,
    /// Notes about the monitor as a whole.
    pub notes: Vec<Note>,
}

impl InstanceExplanation {
    /// The SubjectAccessReviews that check [`InstanceExplanation::rbac`] from a cluster.
    pub fn access_questions(&self) -> AccessQuestions {
        rbac::questions([&self.rbac])
    }

    /// Replaces the RBAC verdict (evaluated from the input's RBAC objects) with one from
    /// what the cluster said.
    pub fn apply_cluster_access(&mut self, access: &ClusterAccess) {
        self.rbac.recheck(access);
    }
}

impl MonitorExplanation {
    /// The SubjectAccessReviews that check every endpoint's RBAC from a cluster (the
    /// endpoints share the identity of the instance the targets come from).
    pub fn access_questions(&self) -> AccessQuestions {
        rbac::questions(self.endpoints.iter().filter_map(|e| e.rbac.as_ref()))
    }

    /// Replaces each endpoint's RBAC verdict, and the problem it makes, with one from what
    /// the cluster said.
    pub fn apply_cluster_access(&mut self, access: &ClusterAccess) {
        for endpoint in &mut self.endpoints {
            let Some(check) = endpoint.rbac.as_mut() else {
                continue;
            };
            check.recheck(access);
            endpoint
                .problems
                .retain(|p| !p.starts_with(rbac::PROBLEM_PREFIX));
            endpoint.problems.extend(check.problem());
        }
    }
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
    /// `ScrapeConfig`.
    ScrapeConfig,
}

impl MonitorKind {
    /// The kind's name.
    pub fn as_str(self) -> &'static str {
        match self {
            MonitorKind::ServiceMonitor => "ServiceMonitor",
            MonitorKind::PodMonitor => "PodMonitor",
            MonitorKind::Probe => "Probe",
            MonitorKind::ScrapeConfig => "ScrapeConfig",
        }
    }
}

/// Why there is no explanation.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ExplainError {
    /// The object is not in the input, or not only once.
    #[error(transparent)]
    Find(#[from] crate::snapshot::FindError),
    /// The instance's selectors or version are invalid.
    #[error(transparent)]
    Select(#[from] select::SelectError),
}

fn target_parts<'t>(
    target: &Target<'t>,
) -> (&'static str, &'t ObjectMeta, &'t CommonPrometheusFields) {
    match target {
        Target::Server(p) => ("Prometheus", &p.metadata, p.spec.common_fields()),
        Target::Agent(a) => ("PrometheusAgent", &a.metadata, a.spec.common_fields()),
    }
}

/// The monitoring resources a verdict is given for: where the operator's status is, and the
/// check it runs on a selected one.
trait Explained: CustomResource + Serialize {
    fn status(&self) -> Option<&serde_json::Value>;
    /// The check the instance of `context` runs on the resource once matched.
    fn check(&self, context: &VerdictContext<'_>) -> Result<(), Violation>;
}

macro_rules! explained {
    ($($ty:ty => $check:path,)*) => {
        $(
            impl Explained for $ty {
                fn status(&self) -> Option<&serde_json::Value> {
                    self.status.as_ref()
                }
                fn check(&self, context: &VerdictContext<'_>) -> Result<(), Violation> {
                    $check(&context.validate_context(), self)
                }
            }
        )*
    };
}

explained! {
    ServiceMonitor => validate::service_monitor,
    PodMonitor => validate::pod_monitor,
    Probe => validate::probe,
    ScrapeConfig => validate::scrape_config,
}

impl Explained for PrometheusRule {
    fn status(&self) -> Option<&serde_json::Value> {
        self.status.as_ref()
    }
    fn check(&self, context: &VerdictContext<'_>) -> Result<(), Violation> {
        context.check_rule(self)
    }
}

/// Everything needed to turn selection outcomes into verdicts for one instance.
struct VerdictContext<'a> {
    snapshot: &'a Snapshot,
    target: Target<'a>,
    common: &'a CommonPrometheusFields,
    version: Version,
    instance_kind: &'static str,
    instance_namespace: String,
    instance_name: String,
    /// `Prometheus mon/k8s`, the object of the reasons about the instance's fields.
    instance_object: String,
    /// The instance as JSON, to read the values of its fields.
    instance_json: serde_json::Value,
    operator: &'a OperatorOptions,
    /// What a Prometheus does with the PrometheusRules it matches (`None` for an agent, which
    /// loads none, or an instance whose version does not parse).
    rule_judge: Option<crate::rules::Judge>,
}

/// `Kind namespace/name`.
fn object_name(kind: &str, meta: &ObjectMeta) -> String {
    format!("{kind} {}/{}", namespace_of(meta), name_of(meta))
}

impl<'a> VerdictContext<'a> {
    fn new(snapshot: &'a Snapshot, target: Target<'a>, operator: &'a OperatorOptions) -> Self {
        let (instance_kind, meta, common) = target_parts(&target);
        // An invalid version makes selection fail before any verdict is asked for.
        let version = target
            .version()
            .unwrap_or_else(|_| Version::default_prometheus());
        let instance_json = match target {
            Target::Server(p) => serde_json::to_value(p),
            Target::Agent(a) => serde_json::to_value(a),
        }
        .unwrap_or_default();
        VerdictContext {
            snapshot,
            target,
            common,
            version,
            instance_kind,
            instance_namespace: namespace_of(meta).to_owned(),
            instance_name: name_of(meta).to_owned(),
            instance_object: object_name(instance_kind, meta),
            instance_json,
            operator,
            rule_judge: crate::rules::Judge::of_target(target),
        }
    }

    fn validate_context(&self) -> validate::Context<'_> {
        validate::Context {
            snapshot: self.snapshot,
            common: self.common,
            version: &self.version,
        }
    }

    /// The instance's judgement of a PrometheusRule it matches.
    fn check_rule(&self, rule: &PrometheusRule) -> Result<(), Violation> {
        match &self.rule_judge {
            Some(judge) => judge.check(rule),
            None => Ok(()),
        }
    }

    /// Selection and the operator's checks for the instance, its PrometheusRules included.
    fn select(&self) -> Result<select::Selection<'a>, select::SelectError> {
        select::select(
            self.snapshot,
            self.target,
            &self.operator.namespaces,
            &|rule| self.check_rule(rule),
        )
    }

    fn instance_field(&self, field: &str) -> FieldRef {
        FieldRef {
            object: self.instance_object.clone(),
            field: field.to_owned(),
            value: fields::value_at(&self.instance_json, field),
        }
    }

    /// Every reason at once, in the order the operator applies them: what its informers
    /// watch (`--namespaces`), the namespace selector, the label selector, then its checks.
    fn verdict<T: Explained>(&self, candidate: &Candidate<'_, T>) -> Verdict {
        let meta = candidate.resource.metadata();
        let namespace = namespace_of(meta);
        let object = object_name(T::KIND, meta);
        let mut reasons = Vec::new();
        let fields = self.selector_fields(T::KIND);
        let labels = meta.labels.clone().unwrap_or_default();
        let context = (self.snapshot, self.operator);
        let subject = (object.as_str(), namespace, &labels);
        reasons.extend(match &candidate.outcome {
            Outcome::NotSelected(exclusion) => {
                verdicts::exclusion_reasons(context, &fields, subject, exclusion)
            }
            _ => verdicts::selector_reasons(
                context,
                &fields,
                subject,
                self.operator.namespaces.hides_configuration(namespace),
            ),
        });
        let violation = match &candidate.outcome {
            Outcome::Selected => None,
            Outcome::Rejected(violation) => Some(violation.clone()),
            Outcome::NotSelected(_) => candidate.resource.check(self).err(),
        };
        if let Some(violation) = violation {
            reasons.push(self.validation_reason(&object, candidate.resource, &violation));
        }
        let status = match &candidate.outcome {
            Outcome::Selected => Status::Selected,
            Outcome::NotSelected(_) => Status::NotSelected,
            Outcome::Rejected(_) => Status::Rejected,
        };
        let operator_conditions = self.conditions(candidate.resource.status());
        for condition in &operator_conditions {
            if condition.type_ == "Accepted" && condition.status == "False" {
                reasons.push(Reason::new(
                    ReasonCode::OperatorCondition,
                    object.clone(),
                    "status.bindings",
                    serde_json::to_value(condition).unwrap_or_default(),
                    format!(
                        "the operator reports Accepted=False ({}): {}",
                        condition.reason, condition.message
                    ),
                    format!(
                        "correct what the operator's message names in {object}; it re-evaluates \
                         the resource on its next reconciliation"
                    ),
                ));
            }
        }
        Verdict {
            object: ObjectRef::new(T::KIND, namespace, name_of(meta)),
            status,
            reasons,
            operator_conditions,
        }
    }

    /// The instance's selectors for `kind`, with its fields named.
    fn selector_fields<'s>(&'s self, kind: &'s str) -> verdicts::SelectorFields<'s> {
        let selectors = KindSelectors::of(&self.target, kind);
        verdicts::SelectorFields {
            instance_kind: self.instance_kind,
            instance: &self.instance_object,
            instance_namespace: &self.instance_namespace,
            kind,
            label: selectors.label,
            label_field: selectors.label_field,
            namespace: selectors.namespace,
            namespace_field: selectors.namespace_field,
        }
    }

    /// The check that rejects the resource, with the value of the field and the instance
    /// setting it depends on.
    fn validation_reason<T: Serialize>(
        &self,
        object: &str,
        resource: &T,
        violation: &Violation,
    ) -> Reason {
        let json = serde_json::to_value(resource).unwrap_or_default();
        let field = violation.field.as_str();
        let mut related = Vec::new();
        match violation.check {
            Check::ArbitraryFSAccess => {
                related.push(self.instance_field("spec.arbitraryFSAccessThroughSMs.deny"));
            }
            Check::ScrapeTimeout => {
                let other = if field.ends_with(".interval") {
                    fields::sibling(field, "scrapeTimeout")
                } else {
                    fields::sibling(field, "interval")
                };
                let value = fields::value_at(&json, &other);
                if value.is_null() && other.ends_with(".interval") {
                    related.push(self.instance_field("spec.scrapeInterval"));
                } else {
                    related.push(FieldRef {
                        object: object.to_owned(),
                        field: other,
                        value,
                    });
                }
            }
            Check::ScrapeClass => related.push(self.instance_field("spec.scrapeClasses")),
            Check::Version | Check::SelectorMechanism => {
                related.push(self.instance_field("spec.version"));
            }
            _ => {}
        }
        let reason = Reason::new(
            ReasonCode::Validation,
            object,
            field,
            fields::value_at(&json, field),
            format!(
                "rejected by the operator's {} check: {}",
                violation.check, violation.message
            ),
            fields::validation_remedy(violation.check, object, field, &self.instance_object),
        );
        Reason {
            related,
            check: Some(violation.check.to_string()),
            ..reason
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
    let context = VerdictContext::new(snapshot, target, options);
    let selection = context.select()?;
    let mut resources = Vec::new();
    resources.extend(
        selection
            .service_monitors
            .iter()
            .map(|c| context.verdict(c)),
    );
    resources.extend(selection.pod_monitors.iter().map(|c| context.verdict(c)));
    resources.extend(selection.probes.iter().map(|c| context.verdict(c)));
    resources.extend(selection.scrape_configs.iter().map(|c| context.verdict(c)));
    resources.extend(selection.rules.iter().map(|c| context.verdict(c)));
    let rbac = instance_rbac(snapshot, &context, &selection, options);
    let mut summary = Summary::default();
    for r in &resources {
        match r.status {
            Status::Selected => summary.selected += 1,
            Status::NotSelected => summary.not_selected += 1,
            Status::Rejected => summary.rejected += 1,
        }
    }
    let common = &context.common;
    let unmanaged = matches!(target, Target::Server(p) if options.leaves_unmanaged(p));
    let shards = common.shard_count();
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
    let operator = context.operator;
    let not_reconciled = match operator.ignores_instance(target.kind(), target.metadata()) {
        Some(ignored) => Some(format!("{}; fix: {}", ignored.why, ignored.remedy)),
        None => target.paused().then(|| crate::operator::PAUSED.to_owned()),
    };
    if let Some(message) = not_reconciled {
        notes.push(Note {
            code: "not-reconciled".to_owned(),
            message,
        });
    }
    if context.operator.source.is_none() {
        notes.push(Note {
            code: "no-operator".to_owned(),
            message: "the operator's Deployment is not in the input: its --namespaces, \
                      --deny-namespaces and --controller-id restrictions are not checked"
                .to_owned(),
        });
    }
    let pod = match pod::explain_pod(snapshot, target, &selection, options) {
        Ok(pod) => Some(pod),
        Err(e) => {
            notes.push(Note {
                code: "no-pod".to_owned(),
                message: format!("the operator would not create the pod: {e}"),
            });
            None
        }
    };
    Ok(InstanceExplanation {
        object: ObjectRef::new(
            context.instance_kind,
            &context.instance_namespace,
            &context.instance_name,
        ),
        shards,
        unmanaged,
        operator: OperatorRestrictions::of(context.operator),
        notes,
        summary,
        rbac,
        resources,
        pod,
    })
}

/// Every Kubernetes discovery of the instance's configuration (selected monitors, Probes,
/// ScrapeConfigs, Alertmanagers, additional configs), checked against the RBAC of its
/// ServiceAccount.
fn instance_rbac(
    snapshot: &Snapshot,
    context: &VerdictContext<'_>,
    selection: &select::Selection<'_>,
    options: &OperatorOptions,
) -> RbacCheck {
    let found = discoveries::of_instance(
        snapshot,
        context.target,
        &context.version,
        selection,
        options,
    );
    let service_account = context.common.service_account();
    let permissions = rbac::Permissions::of(snapshot, &context.instance_namespace, service_account);
    rbac::check_all(&permissions, found)
}

/// Every instance in the snapshot, Prometheus first, each in `namespace/name` order.
/// Whether two targets are the same instance.
fn same_instance(a: &Target<'_>, b: &Target<'_>) -> bool {
    a.kind() == b.kind() && a.namespace() == b.namespace() && a.name() == b.name()
}

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
/// scrapes: the discovery chain per endpoint down to the targets after relabeling, in the
/// configuration of the instance `shown_for` (`NAME` or `NAMESPACE/NAME`), else of the first
/// that selects it.
pub fn explain_monitor(
    snapshot: &Snapshot,
    kind: MonitorKind,
    (namespace, name): (Option<&str>, &str),
    options: &OperatorOptions,
    shown_for: Option<&str>,
) -> Result<MonitorExplanation, ExplainError> {
    let (meta, key, namespace_selector) = match kind {
        MonitorKind::ServiceMonitor => {
            let m = crate::snapshot::find_named(&snapshot.service_monitors, namespace, name)?;
            (
                &m.metadata,
                targets::MonitorRef::ServiceMonitor(m),
                Some((&m.spec.namespace_selector, "servicemonitors")),
            )
        }
        MonitorKind::PodMonitor => {
            let m = crate::snapshot::find_named(&snapshot.pod_monitors, namespace, name)?;
            (
                &m.metadata,
                targets::MonitorRef::PodMonitor(m),
                Some((&m.spec.namespace_selector, "podmonitors")),
            )
        }
        MonitorKind::Probe => {
            let m = crate::snapshot::find_named(&snapshot.probes, namespace, name)?;
            (&m.metadata, targets::MonitorRef::Probe(m), None)
        }
        MonitorKind::ScrapeConfig => {
            let m = crate::snapshot::find_named(&snapshot.scrape_configs, namespace, name)?;
            (&m.metadata, targets::MonitorRef::ScrapeConfig(m), None)
        }
    };
    let wanted_key = crate::snapshot::key_of(meta);
    let shown_for = shown_for
        .map(|wanted| crate::instance::only_target(snapshot, Some(wanted)))
        .transpose()?;
    let mut instances = Vec::new();
    let mut selecting = None;
    let mut shown_for_selects = false;
    let mut notes = Vec::new();
    for target in all_instances(snapshot) {
        let context = VerdictContext::new(snapshot, target, options);
        // Monitors only: judging every PrometheusRule would be wasted here.
        let selection = match select::select_monitors(snapshot, target, &options.namespaces) {
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
                .map(|c| context.verdict(c)),
            MonitorKind::PodMonitor => selection
                .pod_monitors
                .iter()
                .find(|c| c.key == wanted_key)
                .map(|c| context.verdict(c)),
            MonitorKind::Probe => selection
                .probes
                .iter()
                .find(|c| c.key == wanted_key)
                .map(|c| context.verdict(c)),
            MonitorKind::ScrapeConfig => selection
                .scrape_configs
                .iter()
                .find(|c| c.key == wanted_key)
                .map(|c| context.verdict(c)),
        };
        let Some(mut verdict) = verdict else { continue };
        // Here the verdict is about the instance, the resource being fixed.
        verdict.object = ObjectRef::new(
            context.instance_kind,
            &context.instance_namespace,
            &context.instance_name,
        );
        let ignored = (verdict.status == Status::Selected)
            .then(|| options.ignores_instance(target.kind(), target.metadata()))
            .flatten();
        if let Some(ignored) = ignored {
            // Selected by its selectors, but the instance is not the operator's to reconcile.
            verdict.status = Status::NotSelected;
            verdict.reasons.push(Reason::new(
                ReasonCode::InstanceNotReconciled,
                options.source.clone().unwrap_or_default(),
                ignored.flag,
                serde_json::Value::String(ignored.value),
                format!(
                    "{}: this monitor reaches no configuration through it",
                    ignored.why
                ),
                ignored.remedy,
            ));
        } else if verdict.status == Status::Selected {
            // Not ignored (asked above): only a pause leaves it alone.
            if let Some(why) = target.paused().then_some(crate::operator::PAUSED) {
                notes.push(Note {
                    code: "not-reconciled".to_owned(),
                    message: format!(
                        "{} {}/{} selects it, but {why}: this monitor reaches no configuration \
                         through it",
                        context.instance_kind, context.instance_namespace, context.instance_name
                    ),
                });
            }
            if selecting.is_none() {
                selecting = Some(target);
            }
            shown_for_selects |= shown_for.is_some_and(|t| same_instance(&t, &target));
        }
        instances.push(verdict);
    }
    let chosen = shown_for
        .or(selecting)
        .or_else(|| all_instances(snapshot).into_iter().next());
    let hypothetical = match shown_for {
        Some(_) => !shown_for_selects,
        None => selecting.is_none(),
    };
    let mut namespace_scope = None;
    let (targets_from, endpoints) = match chosen {
        Some(target) => {
            let (instance_kind, instance_meta, common) = target_parts(&target);
            let label = object_name(instance_kind, instance_meta);
            namespace_scope = namespace_selector.map(|(selector, plural)| {
                overrides::namespace_scope(
                    &overrides::MonitorScope {
                        kind: kind.as_str(),
                        plural,
                        namespace: namespace_of(meta),
                        name: name_of(meta),
                        selector,
                    },
                    &label,
                    common,
                    options,
                )
            });
            if !hypothetical {
                let object = format!("{} {}/{}", kind.as_str(), namespace_of(meta), name_of(meta));
                for missing in pod::missing_files_of(snapshot, target, options, &object) {
                    notes.push(Note {
                        code: "missing-file".to_owned(),
                        message: format!("{}: {}", missing.field, missing.message),
                    });
                }
            }
            let endpoints = targets::explain_endpoints(snapshot, target, key, options)
                .map(|(endpoints, warnings)| {
                    // What the version in effect ignores of the monitor, as render warns.
                    notes.extend(warnings.into_iter().map(|w| Note {
                        code: "render-warning".to_owned(),
                        message: format!("{}: {}", w.field, w.message),
                    }));
                    endpoints
                })
                .unwrap_or_else(|message| {
                    let message = if instances.iter().any(|v| v.status == Status::Rejected) {
                        // The operator leaves a rejected monitor out and renders the rest.
                        format!(
                            "no targets shown: {label}'s configuration with this rejected \
                             monitor put in cannot be built ({message}); the operator renders \
                             it without the monitor"
                        )
                    } else {
                        format!("cannot render the configuration of {label}: {message}")
                    };
                    notes.push(Note {
                        code: "render-failed".to_owned(),
                        message,
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
    } else if hypothetical && let Some(shown) = shown_for {
        let (kind, meta, _) = target_parts(&shown);
        notes.push(Note {
            code: "hypothetical".to_owned(),
            message: format!(
                "{} does not select this monitor: the targets below are what it would scrape if \
                 it did",
                object_name(kind, meta)
            ),
        });
    } else if hypothetical && chosen.is_some() {
        let rejected = instances.iter().any(|v| v.status == Status::Rejected);
        notes.push(Note {
            code: "hypothetical".to_owned(),
            message: if rejected {
                "no instance takes this monitor (rejected: see the reason): the targets below \
                 are what it would scrape if the first instance took it"
            } else {
                "no instance selects this monitor: the targets below are what it would scrape \
                 if the first instance selected it"
            }
            .to_owned(),
        });
    }
    Ok(MonitorExplanation {
        object: ObjectRef::new(kind.as_str(), namespace_of(meta), name_of(meta)),
        instances,
        targets_from,
        hypothetical,
        namespace_scope,
        endpoints,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snapshot(text: &str) -> Snapshot {
        crate::snapshot::load("test.yaml", text).unwrap().0
    }

    const BASE: &str = include_str!("../../tests/fixtures/unit/explain_mod_base.yaml");

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

    #[test]
    fn the_pod_mounts_the_rule_config_maps_whatever_the_rule_selector() {
        let text = "apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata: {name: p, namespace: mon}\nspec: {}\n";
        let snapshot = snapshot(text);
        let target = crate::instance::find_target(&snapshot, false, None, "p").unwrap();
        let explained = explain_instance(&snapshot, target, &OperatorOptions::default()).unwrap();
        let pod = explained.pod.unwrap();
        let rule_mounts: Vec<(&str, &str)> = pod
            .mounts
            .iter()
            .filter(|m| m.path.starts_with("/etc/prometheus/rules/"))
            .map(|m| (m.container.as_str(), m.path.as_str()))
            .collect();
        let expected: Vec<String> = (0..3)
            .map(|i| format!("/etc/prometheus/rules/prometheus-p-rulefiles-{i}"))
            .collect();
        for container in ["prometheus", "config-reloader"] {
            let paths: Vec<&str> = rule_mounts
                .iter()
                .filter(|(c, _)| *c == container)
                .map(|(_, path)| *path)
                .collect();
            assert_eq!(paths, expected, "{container}");
        }
    }

    /// A Prometheus `mon/p` running as ServiceAccount `prom` (spec lines `spec`, indented
    /// two spaces), whose RBAC grants it pods in `mon` only, with `extra` documents.
    fn instance_rbac_of(spec: &str, extra: &str) -> RbacCheck {
        let text = format!(
            "\
apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata: {{name: p, namespace: mon}}
spec:
  serviceAccountName: prom
{spec}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {{name: pods, namespace: mon}}
rules:
- {{apiGroups: [''], resources: [pods], verbs: [list, watch]}}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {{name: pods, namespace: mon}}
roleRef: {{apiGroup: rbac.authorization.k8s.io, kind: Role, name: pods}}
subjects:
- {{kind: ServiceAccount, name: prom, namespace: mon}}
---
{extra}"
        );
        let snapshot = snapshot(&text);
        let target = crate::instance::find_target(&snapshot, false, None, "p").unwrap();
        let options = OperatorOptions::default();
        explain_instance(&snapshot, target, &options).unwrap().rbac
    }

    /// The gaps as `namespace verb resource`.
    fn gap_lines(check: &RbacCheck) -> Vec<String> {
        check
            .gaps
            .iter()
            .map(|g| format!("{} {} {}", g.namespace, g.verb, g.resource))
            .collect()
    }

    const POD_SCRAPE_CONFIG: &str =
        include_str!("../../tests/fixtures/unit/explain_mod_pod_scrape_config.yaml");

    #[test]
    fn a_scrape_config_is_followed_to_its_targets() {
        let text = format!(
            "apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata: {{name: p, namespace: mon}}\n\
             spec: {{scrapeConfigSelector: {{}}}}\n---\n{}  staticConfigs: [{{targets: ['10.0.0.9:9100']}}]\n  \
             consulSDConfigs: [{{server: 'consul:8500'}}]\n---\napiVersion: v1\nkind: Pod\n\
             metadata: {{name: web, namespace: a}}\nspec: {{containers: [{{name: c, ports: [{{containerPort: 8080}}]}}]}}\n\
             status: {{podIP: 10.1.0.5}}\n",
            POD_SCRAPE_CONFIG
        );
        let snapshot = snapshot(&text);
        let options = OperatorOptions::default();
        let explanation = explain_monitor(
            &snapshot,
            MonitorKind::ScrapeConfig,
            (Some("mon"), "sc"),
            &options,
            None,
        )
        .unwrap();
        assert_eq!(explanation.object.kind, "ScrapeConfig");
        assert_eq!(explanation.instances[0].status, Status::Selected);
        let endpoint = &explanation.endpoints[0];
        assert_eq!(endpoint.job, "scrapeConfig/mon/sc");
        assert_eq!(endpoint.role, "pod");
        let addresses: Vec<&str> = endpoint
            .targets
            .iter()
            .map(|t| t.address.as_str())
            .collect();
        assert_eq!(addresses, ["10.1.0.5:8080", "10.0.0.9:9100"]);
        assert_eq!(
            endpoint.problems,
            [
                "the job also discovers through consul_sd_configs (1): not followed here, its \
              targets are not shown"
            ]
        );
    }

    #[test]
    fn scrape_config_discovery_needs_rbac_in_its_namespaces() {
        let own = POD_SCRAPE_CONFIG.replace("{names: [a]}", "{names: [a], ownNamespace: true}");
        let check = instance_rbac_of("  scrapeConfigSelector: {}", &own);
        assert!(check.checked, "{check:?}");
        // Its own namespace (`ownNamespace`) is granted; `a` is not.
        assert_eq!(gap_lines(&check), ["a list pods", "a watch pods"]);
        assert!(check.skipped.is_empty(), "{check:?}");
    }

    #[test]
    fn scrape_config_discovery_through_another_api_server_is_not_checked() {
        let remote = POD_SCRAPE_CONFIG.replace(
            "  - role: Pod\n",
            "  - role: Pod\n    apiServer: https://elsewhere:6443\n",
        );
        let check = instance_rbac_of("  scrapeConfigSelector: {}", &remote);
        assert!(check.gaps.is_empty(), "{check:?}");
        assert_eq!(check.skipped.len(), 1);
        assert!(
            check.skipped[0]
                .starts_with("ScrapeConfig mon/sc spec.kubernetesSDConfigs[0]: apiServer"),
            "{check:?}"
        );
    }

    #[test]
    fn alertmanager_endpoints_are_discovered_in_their_namespace() {
        // A monitor selector set: else the operator leaves the configuration to the user.
        let alerting = "  serviceMonitorSelector: {}\n  alerting:\n    alertmanagers:\n    - \
                        {name: am, namespace: mon, port: web}";
        let check = instance_rbac_of(alerting, "");
        // The default role is endpoints: with its Services and Pods (granted) in `mon`.
        assert_eq!(
            gap_lines(&check),
            [
                "mon list endpoints",
                "mon watch endpoints",
                "mon list services",
                "mon watch services",
            ]
        );
        let slices = instance_rbac_of(
            &format!("  serviceDiscoveryRole: EndpointSlice\n{alerting}"),
            "",
        );
        assert_eq!(
            gap_lines(&slices),
            [
                "mon list services",
                "mon watch services",
                "mon list endpointslices.discovery.k8s.io",
                "mon watch endpointslices.discovery.k8s.io",
            ]
        );
    }

    #[test]
    fn additional_scrape_configs_are_read_from_their_secret() {
        let spec = "  serviceMonitorSelector: {}\n  additionalScrapeConfigs: {name: extra, key: jobs.yaml}";
        let secret = "\
apiVersion: v1
kind: Secret
metadata: {name: extra, namespace: mon}
stringData:
  jobs.yaml: |
    - job_name: nodes
      kubernetes_sd_configs:
      - role: node
    - job_name: remote
      kubernetes_sd_configs:
      - {role: pod, api_server: 'https://elsewhere:6443'}
";
        let check = instance_rbac_of(spec, secret);
        assert_eq!(gap_lines(&check), [" list nodes", " watch nodes"]);
        assert_eq!(
            check.skipped,
            [
                "additionalScrapeConfigs job remote kubernetes_sd_configs[0]: api_server sends it \
              to another API server, with its own credentials"
            ]
        );
        // Without the Secret, what it discovers is unknown, and said so.
        let missing = instance_rbac_of(spec, "");
        assert!(missing.gaps.is_empty());
        assert!(
            missing.skipped[0].starts_with("additionalScrapeConfigs: secret mon/extra"),
            "{missing:?}"
        );
        // Unmanaged, the configuration is the user's: nothing of it is read.
        let unmanaged = instance_rbac_of(
            "  additionalScrapeConfigs: {name: extra, key: jobs.yaml}",
            secret,
        );
        assert!(unmanaged.gaps.is_empty());
        assert!(unmanaged.skipped[0].contains("every monitor selector is nil"));
    }

    #[test]
    fn monitors_attaching_node_metadata_or_behind_an_api_server() {
        let pod_monitor = "\
apiVersion: monitoring.coreos.com/v1
kind: PodMonitor
metadata: {name: pm, namespace: mon}
spec:
  selector: {}
  attachMetadata: {node: true}
  podMetricsEndpoints: [{port: web}]
";
        let check = instance_rbac_of("  podMonitorSelector: {}", pod_monitor);
        assert_eq!(gap_lines(&check), [" list nodes", " watch nodes"]);
        let remote = instance_rbac_of(
            "  podMonitorSelector: {}\n  apiserverConfig: {host: 'https://elsewhere:6443'}",
            pod_monitor,
        );
        assert!(remote.gaps.is_empty(), "{remote:?}");
        assert!(
            remote.skipped[0].contains("spec.apiserverConfig"),
            "{remote:?}"
        );
    }
}
