//! Turning a selector's exclusion into reasons, for the kinds explained outside
//! `explain_instance` (AlertmanagerConfigs for an Alertmanager, PrometheusRules for a
//! Prometheus or ThanosRuler). Mirrors the label-selector matching of upstream's
//! `ResourceSelector` / `selectAlertmanagerConfigs` / `PrometheusRuleSelector.Select`.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;

use super::{Labels, Reason, ReasonCode, near_miss, show_labels};
use crate::select::{Exclusion, Selector};
use crate::snapshot::Snapshot;

/// The selectors an instance uses for one kind, with the instance's fields named.
pub(crate) struct SelectorFields<'a> {
    /// The instance's kind (`Alertmanager`, `Prometheus`, `ThanosRuler`).
    pub instance_kind: &'a str,
    /// The instance, `Kind namespace/name`: where a selector is changed.
    pub instance: String,
    /// The selected kind (`AlertmanagerConfig`, `PrometheusRule`).
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

pub(crate) fn plain(
    code: ReasonCode,
    field: impl Into<String>,
    message: impl Into<String>,
) -> Reason {
    Reason {
        code,
        object: String::new(),
        field: field.into(),
        value: serde_json::Value::Null,
        message: message.into(),
        remedy: String::new(),
        related: Vec::new(),
        wanted: None,
        actual: None,
        near_misses: Vec::new(),
        check: None,
    }
}

/// The reasons for `exclusion`, selector requirement by requirement, plus a nil label
/// selector when the namespace already decided (it would exclude the object too).
pub(crate) fn exclusion_reasons(
    snapshot: &Snapshot,
    fields: &SelectorFields<'_>,
    object_labels: &Labels,
    exclusion: &Exclusion,
) -> Vec<Reason> {
    let kind = fields.kind;
    let mut reasons = match exclusion {
        Exclusion::Unwatched { flag, namespace } => vec![Reason {
            remedy: format!(
                "start the operator so that it watches namespace {namespace:?} (its {flag} flag)"
            ),
            ..plain(ReasonCode::OperatorNamespaces, *flag, exclusion.to_string())
        }],
        Exclusion::NoSelector { .. } => vec![no_selector(fields)],
        Exclusion::OtherNamespace { own, actual } => vec![Reason {
            object: fields.instance.clone(),
            remedy: format!(
                "set {} of {} to {{}} (every namespace) or to a selector namespace {actual:?} \
                 matches; or create the {kind} in {own:?}",
                fields.namespace_field, fields.instance
            ),
            ..plain(
                ReasonCode::NamespaceSelector,
                fields.namespace_field,
                format!(
                    "{} is nil (unset), so only the {}'s own namespace {own:?} is searched and \
                     this {kind} is in {actual:?}; an empty selector {{}} searches every namespace",
                    fields.namespace_field, fields.instance_kind
                ),
            )
        }],
        Exclusion::NamespaceLabels { namespace, .. } => {
            let known = snapshot.namespace_labels(namespace);
            let labels = known.cloned().unwrap_or_default();
            let missing = if known.is_none() {
                " (the namespace is not in the input: taken as having no labels)"
            } else {
                ""
            };
            requirement_reasons(
                ReasonCode::NamespaceSelector,
                fields.namespace_field,
                fields.namespace,
                &labels,
                |wanted| {
                    format!(
                        "namespace {namespace:?} does not match {}: wants {wanted}, namespace \
                         labels are {}{missing}",
                        fields.namespace_field,
                        show_labels(&labels)
                    )
                },
            )
        }
        Exclusion::Labels { .. } => requirement_reasons(
            ReasonCode::LabelSelector,
            fields.label_field,
            fields.label,
            object_labels,
            |wanted| {
                format!(
                    "metadata.labels do not match {}: wants {wanted}, has {}",
                    fields.label_field,
                    show_labels(object_labels)
                )
            },
        ),
    };
    if fields.label.is_none() && !matches!(exclusion, Exclusion::NoSelector { .. }) {
        reasons.push(no_selector(fields));
    }
    reasons
}

fn no_selector(fields: &SelectorFields<'_>) -> Reason {
    let (field, kind) = (fields.label_field, fields.kind);
    Reason {
        object: fields.instance.clone(),
        remedy: format!(
            "set {field} of {}: {{}} for every {kind}, or matchLabels its {kind}s carry",
            fields.instance
        ),
        ..plain(
            ReasonCode::NoSelector,
            field,
            format!(
                "{field} is nil (unset), which selects no {kind}; an empty selector {{}} would \
                 select every {kind}"
            ),
        )
    }
}

fn requirement_reasons(
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
            object: String::new(),
            field: field.to_owned(),
            value: serde_json::Value::Null,
            message: message(&failure.wanted),
            remedy: failure.fix,
            related: Vec::new(),
            wanted: Some(failure.wanted),
            actual: Some(labels.clone()),
            near_misses: failure.near_misses,
            check: None,
        })
        .collect()
}
