//! The reasons an instance's selectors, or the operator's watched namespaces, give against one
//! resource: one builder per reason, for every kind explained (monitors and ScrapeConfigs for
//! a Prometheus, PrometheusRules, AlertmanagerConfigs for an Alertmanager), so that the same
//! exclusion reads the same whichever command shows it. Mirrors the label-selector matching of
//! upstream's `ResourceSelector` / `selectAlertmanagerConfigs` / `PrometheusRuleSelector.Select`.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;

use super::{FieldRef, Labels, Reason, ReasonCode, near_miss, show_labels};
use crate::operator::OperatorOptions;
use crate::select::{Exclusion, Selector};
use crate::snapshot::Snapshot;

/// The selectors an instance uses for one kind, with the instance's fields named.
pub(crate) struct SelectorFields<'a> {
    /// The instance's kind (`Alertmanager`, `Prometheus`, `ThanosRuler`).
    pub instance_kind: &'a str,
    /// The instance, `Kind namespace/name`: where a selector is changed.
    pub instance: &'a str,
    /// The instance's namespace: the only one searched under a nil namespace selector.
    pub instance_namespace: &'a str,
    /// The selected kind (`ServiceMonitor`, `AlertmanagerConfig`, `PrometheusRule`).
    pub kind: &'a str,
    /// The label selector and its field.
    pub label: Option<&'a LabelSelector>,
    /// `spec.alertmanagerConfigSelector`, `spec.ruleSelector`.
    pub label_field: &'a str,
    /// The namespace selector.
    pub namespace: Option<&'a LabelSelector>,
    /// `spec.alertmanagerConfigNamespaceSelector`, `spec.ruleNamespaceSelector`.
    pub namespace_field: &'a str,
}

/// Every reason the operator's informers and the instance's selectors give against `object`
/// (in `namespace`, with `labels`), in the order the operator applies them: the flag that
/// keeps the namespace unwatched (`unwatched_flag`), the namespace selector, the label
/// selector. Empty when all of them take the object.
pub(crate) fn selector_reasons(
    (snapshot, options): (&Snapshot, &OperatorOptions),
    fields: &SelectorFields<'_>,
    (object, namespace, labels): (&str, &str, &Labels),
    unwatched_flag: Option<&str>,
) -> Vec<Reason> {
    let mut reasons: Vec<Reason> = unwatched_flag
        .map(|flag| unwatched(options, flag, fields.kind, namespace))
        .into_iter()
        .collect();
    reasons.extend(namespace_reasons(snapshot, fields, object, namespace));
    reasons.extend(label_reasons(fields, object, labels));
    reasons
}

/// The reasons `exclusion` of `object` comes from ([`selector_reasons`] with the flag it
/// names); its own words when none is found.
pub(crate) fn exclusion_reasons(
    context: (&Snapshot, &OperatorOptions),
    fields: &SelectorFields<'_>,
    (object, namespace, labels): (&str, &str, &Labels),
    exclusion: &Exclusion,
) -> Vec<Reason> {
    let flag = match exclusion {
        Exclusion::Unwatched { flag, .. } => Some(*flag),
        _ => None,
    };
    let mut reasons = selector_reasons(context, fields, (object, namespace, labels), flag);
    if reasons.is_empty() {
        reasons.push(Reason::new(
            ReasonCode::LabelSelector,
            fields.instance,
            fields.label_field,
            serde_json::Value::Null,
            exclusion.to_string(),
            format!("change the selectors of {}", fields.instance),
        ));
    }
    reasons
}

/// The operator's `flag` keeps its informers of `kind` out of `namespace`: no selector sees
/// the resource. The deciding object is the operator's Deployment where it was read.
pub(crate) fn unwatched(
    options: &OperatorOptions,
    flag: &str,
    kind: &str,
    namespace: &str,
) -> Reason {
    let object = options
        .source
        .clone()
        .unwrap_or_else(|| "the operator's flags".to_owned());
    let remedy = if flag == "--deny-namespaces" {
        format!("remove {namespace} from --deny-namespaces of {object}")
    } else {
        format!("add {namespace} to {flag} of {object}, or move the {kind} to a watched namespace")
    };
    Reason::new(
        ReasonCode::OperatorNamespaces,
        object,
        flag,
        serde_json::to_value(options.namespaces.flag_values(flag)).unwrap_or_default(),
        options.unwatched_message(flag, namespace),
        remedy,
    )
}

/// What the namespace selector says of `object` in `namespace`: a nil selector searches only
/// the instance's own namespace; a set one, one reason per requirement the namespace's labels
/// fail.
pub(crate) fn namespace_reasons(
    snapshot: &Snapshot,
    fields: &SelectorFields<'_>,
    object: &str,
    namespace: &str,
) -> Vec<Reason> {
    let (field, kind, own) = (
        fields.namespace_field,
        fields.kind,
        fields.instance_namespace,
    );
    let Some(selector) = fields.namespace else {
        if namespace == own {
            return Vec::new();
        }
        return vec![
            Reason::new(
                ReasonCode::NamespaceSelector,
                fields.instance,
                field,
                serde_json::Value::Null,
                format!(
                    "{field} is nil (unset), so only the {}'s own namespace {own:?} is searched \
                     and this {kind} is in {namespace:?}; an empty selector {{}} searches every \
                     namespace",
                    fields.instance_kind
                ),
                format!(
                    "set {field} on {} to {{}} or to a selector matching namespace {namespace}, \
                     or create the {kind} in namespace {own}",
                    fields.instance
                ),
            )
            .with_related(vec![FieldRef {
                object: object.to_owned(),
                field: "metadata.namespace".to_owned(),
                value: namespace.into(),
            }]),
        ];
    };
    let known = snapshot.namespace_labels(namespace);
    let (labels, missing) = match known {
        Some(labels) => (labels.clone(), ""),
        None => (
            crate::snapshot::implied_namespace_labels(namespace),
            " (the namespace is not in the input: only the label the API server gives every \
             namespace is known)",
        ),
    };
    requirement_reasons(
        ReasonCode::NamespaceSelector,
        fields.instance,
        field,
        selector,
        &labels,
        &format!("Namespace {namespace}"),
        |wanted| {
            format!(
                "namespace {namespace:?} does not match {field}: wants {wanted}, namespace \
                 labels are {}{missing}",
                show_labels(&labels)
            )
        },
    )
}

/// What the label selector says of `object` with `labels`: a nil selector selects nothing; a
/// set one, one reason per requirement the labels fail.
pub(crate) fn label_reasons(
    fields: &SelectorFields<'_>,
    object: &str,
    labels: &Labels,
) -> Vec<Reason> {
    let field = fields.label_field;
    let Some(selector) = fields.label else {
        return vec![no_selector(fields)];
    };
    requirement_reasons(
        ReasonCode::LabelSelector,
        fields.instance,
        field,
        selector,
        labels,
        object,
        |wanted| {
            format!(
                "labels do not match {field}: wants {wanted}, has {}",
                show_labels(labels)
            )
        },
    )
}

fn no_selector(fields: &SelectorFields<'_>) -> Reason {
    let (field, kind, instance) = (fields.label_field, fields.kind, fields.instance);
    Reason::new(
        ReasonCode::NoSelector,
        instance,
        field,
        serde_json::Value::Null,
        format!(
            "{field} is nil (unset), which selects no {kind}; an empty selector {{}} would \
             select every {kind}"
        ),
        format!("set {field} on {instance} ({{}} selects every {kind})"),
    )
}

/// One reason per failing requirement of the instance's `selector` (at `field`) against the
/// `labels` of `labelled` (the resource, or `Namespace NAME`).
fn requirement_reasons(
    code: ReasonCode,
    instance: &str,
    field: &str,
    selector: &LabelSelector,
    labels: &Labels,
    labelled: &str,
    message: impl Fn(&str) -> String,
) -> Vec<Reason> {
    let Ok(parsed) = Selector::parse(selector) else {
        return Vec::new();
    };
    let value = serde_json::to_value(selector).unwrap_or_default();
    near_miss::failures(&parsed, labels)
        .into_iter()
        .map(|failure| Reason {
            wanted: Some(failure.wanted.clone()),
            actual: Some(labels.clone()),
            near_misses: failure.near_misses,
            ..Reason::new(
                code,
                instance,
                field,
                value.clone(),
                message(&failure.wanted),
                if failure.key == crate::snapshot::NAMESPACE_NAME_LABEL {
                    // The API server keeps this label equal to the namespace's name.
                    format!(
                        "change {field} of {instance} ({} is always the namespace's own name)",
                        failure.key
                    )
                } else {
                    format!(
                        "on {labelled}: {} (metadata.labels); or change {field} of {instance}",
                        failure.fix
                    )
                },
            )
            .with_related(vec![FieldRef {
                object: labelled.to_owned(),
                field: format!("metadata.labels[{:?}]", failure.key),
                value: failure.actual.map_or(serde_json::Value::Null, Into::into),
            }])
        })
        .collect()
}
