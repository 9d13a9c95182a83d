//! Kubernetes label and field selectors in their string form (`app=web,tier!=db`,
//! `env in (a,b)`, `metadata.name=x`), as Prometheus passes them to the API server.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Endpoints, Node, Pod, Service};
use k8s_openapi::api::discovery::v1::EndpointSlice;
use k8s_openapi::api::networking::v1::Ingress;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::Role;
use crate::select::selector_string::{
    FieldOp, FieldSelectorError, FieldTerm, parse_fields, parse_labels,
};

/// Why a selector string cannot be parsed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SelectorError {
    #[error("label selector {selector:?}: {reason}")]
    Label { selector: String, reason: String },
    #[error("field selector {selector:?}: {error}")]
    Field {
        selector: String,
        error: FieldSelectorError,
    },
    #[error("field selector {selector:?}: field {field:?} is not supported for role {role}")]
    UnsupportedField {
        selector: String,
        field: String,
        role: Role,
    },
}

/// An object a selector can be applied to.
pub(super) trait Selectable {
    fn meta(&self) -> &ObjectMeta;
    /// The value of a selectable field (other than `metadata.*`), `None` when the kind does not
    /// support selecting on it.
    fn field(&self, path: &str) -> Option<String>;
}

fn opt(value: Option<&String>) -> Option<String> {
    Some(value.cloned().unwrap_or_default())
}

impl Selectable for Pod {
    fn meta(&self) -> &ObjectMeta {
        &self.metadata
    }
    fn field(&self, path: &str) -> Option<String> {
        // Borrowed: a field selector is asked of every Pod, and a PodSpec is large.
        let spec = self.spec.as_ref();
        let status = self.status.as_ref();
        match path {
            "spec.nodeName" => opt(spec.and_then(|s| s.node_name.as_ref())),
            "spec.restartPolicy" => opt(spec.and_then(|s| s.restart_policy.as_ref())),
            "spec.schedulerName" => opt(spec.and_then(|s| s.scheduler_name.as_ref())),
            "spec.serviceAccountName" => opt(spec.and_then(|s| s.service_account_name.as_ref())),
            "spec.hostNetwork" => Some(
                spec.and_then(|s| s.host_network)
                    .unwrap_or(false)
                    .to_string(),
            ),
            "status.phase" => opt(status.and_then(|s| s.phase.as_ref())),
            "status.podIP" => opt(status.and_then(|s| s.pod_ip.as_ref())),
            "status.nominatedNodeName" => opt(status.and_then(|s| s.nominated_node_name.as_ref())),
            _ => None,
        }
    }
}

impl Selectable for Node {
    fn meta(&self) -> &ObjectMeta {
        &self.metadata
    }
    fn field(&self, path: &str) -> Option<String> {
        match path {
            "spec.unschedulable" => Some(
                self.spec
                    .as_ref()
                    .and_then(|s| s.unschedulable)
                    .unwrap_or(false)
                    .to_string(),
            ),
            _ => None,
        }
    }
}

impl Selectable for Service {
    fn meta(&self) -> &ObjectMeta {
        &self.metadata
    }
    fn field(&self, path: &str) -> Option<String> {
        let spec = self.spec.as_ref();
        match path {
            "spec.clusterIP" => Some(spec.and_then(|s| s.cluster_ip.clone()).unwrap_or_default()),
            "spec.type" => Some(spec.and_then(|s| s.type_.clone()).unwrap_or_default()),
            _ => None,
        }
    }
}

macro_rules! metadata_only {
    ($($kind:ty),*) => {$(
        impl Selectable for $kind {
            fn meta(&self) -> &ObjectMeta {
                &self.metadata
            }
            fn field(&self, _path: &str) -> Option<String> {
                None
            }
        }
    )*};
}
metadata_only!(Endpoints, EndpointSlice, Ingress);

/// Fields beyond `metadata.name` (and `metadata.namespace` for namespaced kinds) that the API
/// server accepts in field selectors for the kind a role lists.
fn kind_fields(role: Role) -> &'static [&'static str] {
    match role {
        Role::Pod => &[
            "spec.nodeName",
            "spec.restartPolicy",
            "spec.schedulerName",
            "spec.serviceAccountName",
            "spec.hostNetwork",
            "status.phase",
            "status.podIP",
            "status.nominatedNodeName",
        ],
        Role::Node => &["spec.unschedulable"],
        Role::Service => &["spec.clusterIP", "spec.type"],
        Role::Endpoints | Role::EndpointSlice | Role::Ingress => &[],
    }
}

fn supports_field(role: Role, field: &str) -> bool {
    field == "metadata.name"
        || (field == "metadata.namespace" && role != Role::Node)
        || kind_fields(role).contains(&field)
}

/// A parsed field selector: every term must hold.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct FieldSelector {
    terms: Vec<FieldTerm>,
}

impl FieldSelector {
    /// Parses `raw` for objects of `role`; an empty string selects everything.
    pub(super) fn parse(raw: &str, role: Role) -> Result<Self, SelectorError> {
        let terms = parse_fields(raw).map_err(|error| SelectorError::Field {
            selector: raw.to_owned(),
            error,
        })?;
        if let Some(term) = terms.iter().find(|t| !supports_field(role, &t.field)) {
            return Err(SelectorError::UnsupportedField {
                selector: raw.to_owned(),
                field: term.field.clone(),
                role,
            });
        }
        Ok(FieldSelector { terms })
    }

    pub(super) fn matches<T: Selectable>(&self, object: &T) -> bool {
        self.terms.iter().all(|term| {
            let actual = match term.field.as_str() {
                "metadata.name" => object.meta().name.clone().unwrap_or_default(),
                "metadata.namespace" => object.meta().namespace.clone().unwrap_or_default(),
                other => object.field(other).unwrap_or_default(),
            };
            (actual == term.value) == (term.op == FieldOp::Equals)
        })
    }
}

/// A parsed label selector: every requirement must hold.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct LabelSelector {
    requirements: Vec<crate::select::label_selector::Requirement>,
}

impl LabelSelector {
    /// Parses `raw`; an empty string selects everything.
    pub(super) fn parse(raw: &str) -> Result<Self, SelectorError> {
        let requirements = parse_labels(raw).map_err(|reason| SelectorError::Label {
            selector: raw.to_owned(),
            reason,
        })?;
        Ok(LabelSelector { requirements })
    }

    pub(super) fn matches(&self, labels: Option<&BTreeMap<String, String>>) -> bool {
        static NO_LABELS: BTreeMap<String, String> = BTreeMap::new();
        let labels = labels.unwrap_or(&NO_LABELS);
        self.requirements.iter().all(|r| r.matches(labels))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_selector_terms() {
        let pod = Pod {
            metadata: ObjectMeta {
                name: Some("web-0".into()),
                namespace: Some("default".into()),
                ..Default::default()
            },
            status: Some(k8s_openapi::api::core::v1::PodStatus {
                phase: Some("Running".into()),
                ..Default::default()
            }),
            ..Default::default()
        };
        let select = |raw: &str| FieldSelector::parse(raw, Role::Pod).unwrap().matches(&pod);
        assert!(select(""));
        assert!(select("metadata.name=web-0,status.phase==Running"));
        assert!(!select("status.phase!=Running"));
        assert!(select("spec.nodeName="));
    }

    #[test]
    fn field_selector_errors() {
        assert!(matches!(
            FieldSelector::parse("metadata.name", Role::Pod),
            Err(SelectorError::Field { .. })
        ));
        assert!(matches!(
            FieldSelector::parse("status.phase=x", Role::Node),
            Err(SelectorError::UnsupportedField { .. })
        ));
        assert!(matches!(
            FieldSelector::parse("metadata.name=a\\b", Role::Pod),
            Err(SelectorError::Field { .. })
        ));
        let escaped = FieldSelector::parse("metadata.name=a\\,b", Role::Service).unwrap();
        assert_eq!(escaped.terms[0].value, "a,b");
    }
}
