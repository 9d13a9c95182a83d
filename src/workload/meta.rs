//! Metadata of the generated objects: upstream `operator.UpdateObject` and its options
//! (`pkg/operator/factory.go`), the label keys of `pkg/operator/kubernetes.go`, and the pod
//! template pieces every workload builder writes alike.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{ContainerPort, PodSpec, PodTemplateSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference};

/// `app.kubernetes.io/name`.
pub(crate) const APP_NAME_LABEL: &str = "app.kubernetes.io/name";
/// `app.kubernetes.io/managed-by`.
pub(crate) const MANAGED_BY_LABEL: &str = "app.kubernetes.io/managed-by";
/// `app.kubernetes.io/instance`.
pub(crate) const APP_INSTANCE_LABEL: &str = "app.kubernetes.io/instance";
/// `app.kubernetes.io/version`.
pub(crate) const APP_VERSION_LABEL: &str = "app.kubernetes.io/version";
/// Value of the managed-by labels.
pub(crate) const MANAGED_BY_VALUE: &str = "prometheus-operator";
/// The legacy managed-by label.
const LEGACY_MANAGED_BY_LABEL: &str = "managed-by";
/// The labels `UpdateObject` puts on every object the operator manages.
pub(crate) const MANAGED_BY_LABELS: [&str; 2] = [LEGACY_MANAGED_BY_LABEL, MANAGED_BY_LABEL];
/// Which container `kubectl logs/exec` picks by default.
pub(crate) const DEFAULT_CONTAINER_ANNOTATION: &str = "kubectl.kubernetes.io/default-container";
/// Annotation holding the hash of the operator's inputs.
const INPUT_HASH_ANNOTATION: &str = "prometheus-operator-input-hash";
/// Annotations inherited from the owner but dropped so that `kubectl apply --prune` on the
/// owner does not delete the generated object.
const KUBECTL_ANNOTATION_PREFIX: &str = "kubectl.kubernetes.io/";

/// The owner of a generated object.
pub(crate) struct Owner<'a> {
    pub api_version: &'static str,
    pub kind: &'static str,
    pub meta: &'a ObjectMeta,
}

/// Metadata being built the way `UpdateObject` applies its options: each step's labels or
/// annotations take precedence over those already there.
pub(crate) struct MetaBuilder {
    labels: BTreeMap<String, String>,
    annotations: BTreeMap<String, String>,
    name: String,
    namespace: Option<String>,
    owner_references: Vec<OwnerReference>,
}

impl MetaBuilder {
    /// Starts with the managed-by labels `UpdateObject` always sets.
    pub fn new(name: String, namespace: Option<String>) -> Self {
        let labels = MANAGED_BY_LABELS
            .into_iter()
            .map(|k| (k.to_owned(), MANAGED_BY_VALUE.to_owned()))
            .collect();
        MetaBuilder {
            labels,
            annotations: BTreeMap::new(),
            name,
            namespace,
            owner_references: Vec::new(),
        }
    }

    /// `WithLabels` / `WithSelectorLabels`.
    pub fn labels(mut self, labels: &BTreeMap<String, String>) -> Self {
        self.labels
            .extend(labels.iter().map(|(k, v)| (k.clone(), v.clone())));
        self
    }

    /// `WithAnnotations`.
    pub fn annotations(mut self, annotations: &BTreeMap<String, String>) -> Self {
        self.annotations
            .extend(annotations.iter().map(|(k, v)| (k.clone(), v.clone())));
        self
    }

    /// `WithInputHashAnnotation`.
    pub fn input_hash(mut self, hash: &str) -> Self {
        self.annotations
            .insert(INPUT_HASH_ANNOTATION.to_owned(), hash.to_owned());
        self
    }

    /// `WithManagingOwner` (`controlling`) or `WithOwner`.
    pub fn owner(mut self, owner: &Owner<'_>, controlling: bool) -> Self {
        self.owner_references.push(OwnerReference {
            api_version: owner.api_version.to_owned(),
            kind: owner.kind.to_owned(),
            name: owner.meta.name.clone().unwrap_or_default(),
            uid: owner.meta.uid.clone().unwrap_or_default(),
            controller: controlling.then_some(true),
            block_owner_deletion: controlling.then_some(true),
        });
        self
    }

    /// `WithoutKubectlAnnotations`, then the finished metadata.
    pub fn build(mut self) -> ObjectMeta {
        self.annotations
            .retain(|k, _| !k.starts_with(KUBECTL_ANNOTATION_PREFIX));
        ObjectMeta {
            name: Some(self.name),
            namespace: self.namespace,
            labels: non_empty(self.labels),
            annotations: non_empty(self.annotations),
            owner_references: Some(self.owner_references).filter(|o| !o.is_empty()),
            ..ObjectMeta::default()
        }
    }
}

/// The pod template of a workload: its pod's labels and annotations (left out when empty),
/// and the pod.
pub(crate) fn pod_template(
    labels: BTreeMap<String, String>,
    annotations: BTreeMap<String, String>,
    pod: PodSpec,
) -> PodTemplateSpec {
    PodTemplateSpec {
        metadata: Some(ObjectMeta {
            labels: non_empty(labels),
            annotations: non_empty(annotations),
            ..ObjectMeta::default()
        }),
        spec: Some(pod),
    }
}

/// A container port; `protocol` is left out where upstream leaves it unset.
pub(crate) fn container_port(name: &str, port: i32, protocol: Option<&str>) -> ContainerPort {
    ContainerPort {
        name: Some(name.to_owned()),
        container_port: port,
        protocol: protocol.map(str::to_owned),
        ..ContainerPort::default()
    }
}

/// `None` for an empty map, as Go's `omitempty` leaves it out.
pub(crate) fn non_empty<K, V>(map: BTreeMap<K, V>) -> Option<BTreeMap<K, V>> {
    Some(map).filter(|m| !m.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_steps_win_and_kubectl_annotations_go() {
        let mut own = BTreeMap::new();
        own.insert("app".to_owned(), "mine".to_owned());
        own.insert(MANAGED_BY_LABEL.to_owned(), "someone".to_owned());
        let mut annotations = BTreeMap::new();
        annotations.insert(
            "kubectl.kubernetes.io/last-applied-configuration".to_owned(),
            "{}".to_owned(),
        );
        annotations.insert("team".to_owned(), "a".to_owned());
        let meta = MetaBuilder::new("prometheus-x".into(), Some("ns".into()))
            .annotations(&annotations)
            .input_hash("abc")
            .labels(&own)
            .build();
        let labels = meta.labels.unwrap();
        assert_eq!(labels[MANAGED_BY_LABEL], "someone");
        assert_eq!(labels[LEGACY_MANAGED_BY_LABEL], MANAGED_BY_VALUE);
        let annotations = meta.annotations.unwrap();
        assert_eq!(annotations.len(), 2);
        assert_eq!(annotations[INPUT_HASH_ANNOTATION], "abc");
    }
}
