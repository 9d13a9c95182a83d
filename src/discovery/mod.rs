//! Prometheus's Kubernetes service discovery as pure functions.
//!
//! Given a [`Snapshot`] of Kubernetes objects and a `kubernetes_sd_configs` entry, [`discover`]
//! returns the target groups, with their `__meta_kubernetes_*` labels, that Prometheus derives
//! for the roles `endpoints`, `endpointslice`, `pod`, `service`, `node` and `ingress`. This is
//! the target view of `explain`: which Services, Pods, ports and endpoints a monitor reaches.

mod endpoints;
mod endpointslice;
mod ingress;
mod node;
mod pod;
mod selector;
mod service;

use std::cell::OnceCell;
use std::collections::{BTreeMap, HashMap};
use std::fmt;

use k8s_openapi::api::apps::v1::ReplicaSet;
use k8s_openapi::api::batch::v1::Job;
use k8s_openapi::api::core::v1::{Namespace, Node, ObjectReference, Pod, Service};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::{Deserialize, Serialize};

use crate::go::net::join_host_port;
use crate::snapshot::{Snapshot, name_of, named, namespace_of};
use selector::{FieldSelector, LabelSelector, Selectable};

pub use selector::SelectorError;

pub use crate::relabel::Labels;
use crate::relabel::sanitize_label_name;

/// Prefix of every label this module produces besides `__address__` and `instance`.
const META: &str = "__meta_kubernetes_";
const ADDRESS_LABEL: &str = "__address__";
const NAMESPACE_LABEL: &str = "__meta_kubernetes_namespace";

/// The kind of object a Kubernetes SD config turns into targets (`role:`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Endpoints,
    EndpointSlice,
    Pod,
    Service,
    Node,
    Ingress,
}

impl Role {
    /// The role Prometheus spells `name`, if any.
    pub fn from_name(name: &str) -> Option<Role> {
        [
            Role::Endpoints,
            Role::EndpointSlice,
            Role::Pod,
            Role::Service,
            Role::Node,
            Role::Ingress,
        ]
        .into_iter()
        .find(|role| role.as_str() == name)
    }

    /// The role's name as Prometheus spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Endpoints => "endpoints",
            Role::EndpointSlice => "endpointslice",
            Role::Pod => "pod",
            Role::Service => "service",
            Role::Node => "node",
            Role::Ingress => "ingress",
        }
    }

    /// The selector roles a config of this role may use.
    fn allowed_selector_roles(self) -> &'static [Role] {
        match self {
            Role::Pod => &[Role::Pod, Role::Node],
            Role::Service => &[Role::Service],
            Role::EndpointSlice => &[Role::Pod, Role::Service, Role::EndpointSlice],
            Role::Endpoints => &[Role::Pod, Role::Service, Role::Endpoints],
            Role::Node => &[Role::Node],
            Role::Ingress => &[Role::Ingress],
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One `kubernetes_sd_configs` entry, as far as discovery from objects is concerned
/// (connection settings are not part of it, only whether there are any).
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct SdConfig {
    pub role: Role,
    #[serde(default)]
    pub namespaces: NamespaceDiscovery,
    #[serde(default)]
    pub selectors: Vec<SelectorConfig>,
    #[serde(default)]
    pub attach_metadata: AttachMetadata,
    /// `api_server`: another API server, reached with the entry's own credentials.
    #[serde(default)]
    pub api_server: Option<String>,
    /// `kubeconfig_file`: an API server and credentials from a kubeconfig.
    #[serde(default)]
    pub kubeconfig_file: Option<String>,
    /// Whether a dual-stack Service's EndpointSlice of its secondary IP family yields targets
    /// too, as before Prometheus v3.11.0; not part of the entry's configuration.
    #[serde(skip)]
    pub keeps_secondary_family: bool,
}

impl SdConfig {
    /// A config of `role` over all namespaces, without selectors or attached metadata.
    pub fn new(role: Role) -> Self {
        SdConfig {
            role,
            namespaces: NamespaceDiscovery::default(),
            selectors: Vec::new(),
            attach_metadata: AttachMetadata::default(),
            api_server: None,
            kubeconfig_file: None,
            keeps_secondary_family: false,
        }
    }

    /// Whether Prometheus asks the API server of the cluster it runs in, as its own
    /// ServiceAccount: neither `api_server` nor `kubeconfig_file` names another.
    pub fn in_cluster(&self) -> bool {
        self.api_server.is_none() && self.kubeconfig_file.is_none()
    }
}

/// Which namespaces are discovered (`namespaces:`); none given means all.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct NamespaceDiscovery {
    #[serde(default)]
    pub own_namespace: bool,
    #[serde(default)]
    pub names: Vec<String>,
}

impl NamespaceDiscovery {
    /// The namespaces Prometheus watches, `None` for all: the names, and its own namespace
    /// (`own_namespace`, read from its ServiceAccount's mount) when asked for and known.
    pub fn watched(&self, own_namespace: Option<&str>) -> Option<Vec<String>> {
        let mut names = self.names.clone();
        if names.is_empty() && !self.own_namespace {
            return None;
        }
        if self.own_namespace
            && let Some(own) = own_namespace.filter(|n| !n.is_empty())
        {
            names.push(own.to_owned());
        }
        Some(names)
    }
}

/// A label and/or field selector restricting the objects of one role (`selectors:`).
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct SelectorConfig {
    pub role: Role,
    #[serde(default)]
    pub label: String,
    #[serde(default)]
    pub field: String,
}

/// Which related objects add their metadata to targets (`attach_metadata:`).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct AttachMetadata {
    #[serde(default)]
    pub node: bool,
    #[serde(default)]
    pub namespace: bool,
    #[serde(default)]
    pub deployment: bool,
    #[serde(default)]
    pub job: bool,
    #[serde(default)]
    pub cronjob: bool,
}

/// What Prometheus derives from one object: a `source` such as `endpoints/default/web`, labels
/// shared by all targets, and the targets' own labels.
///
/// A group with neither labels nor targets stands for an object with nothing to scrape (for
/// example a Pod without an IP).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct TargetGroup {
    pub source: String,
    pub labels: Labels,
    pub targets: Vec<Labels>,
}

/// Why a Kubernetes SD config cannot be applied.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DiscoveryError {
    #[error("duplicated selector role: {role}")]
    DuplicateSelectorRole { role: Role },
    #[error("{role} role supports only {} selectors, not {selector_role}", allowed_list(*.role))]
    SelectorRoleNotAllowed { role: Role, selector_role: Role },
    #[error("{selector_role} selector: {error}")]
    InvalidSelector {
        selector_role: Role,
        error: SelectorError,
    },
}

fn allowed_list(role: Role) -> String {
    role.allowed_selector_roles()
        .iter()
        .map(|r| r.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The target groups `config` yields over `snapshot`, one per discovered object, in the
/// snapshot's order.
///
/// `own_namespace` is the namespace the discovering Prometheus runs in; it is only read when
/// `namespaces.own_namespace` is set.
pub fn discover(
    config: &SdConfig,
    own_namespace: Option<&str>,
    snapshot: &Snapshot,
) -> Result<Vec<TargetGroup>, DiscoveryError> {
    let scope = Scope::new(config, own_namespace, snapshot)?;
    Ok(match config.role {
        Role::Endpoints => endpoints::discover(&scope),
        Role::EndpointSlice => endpointslice::discover(&scope),
        Role::Pod => pod::discover(&scope),
        Role::Service => service::discover(&scope),
        Role::Node => node::discover(&scope),
        Role::Ingress => ingress::discover(&scope),
    })
}

/// A parsed label and field selector pair.
#[derive(Debug, Default)]
struct ResourceSelector {
    label: LabelSelector,
    field: FieldSelector,
}

impl ResourceSelector {
    fn matches<T: Selectable>(&self, object: &T) -> bool {
        self.label.matches(object.meta().labels.as_ref()) && self.field.matches(object)
    }
}

/// What one discovery run sees: the objects its informers would list (namespaces and selectors
/// applied) and the metadata it attaches.
struct Scope<'a> {
    snapshot: &'a Snapshot,
    attach: &'a AttachMetadata,
    /// [`SdConfig::keeps_secondary_family`].
    keeps_secondary_family: bool,
    /// `None` watches every namespace.
    namespaces: Option<Vec<String>>,
    selectors: BTreeMap<Role, ResourceSelector>,
    /// Pods and Services by `(namespace, name)`, built on first lookup: every address of
    /// every Endpoints object looks one up.
    pods: OnceCell<HashMap<(&'a str, &'a str), &'a Pod>>,
    services: OnceCell<HashMap<(&'a str, &'a str), &'a Service>>,
}

/// Objects by `(namespace, name)`; the first of duplicates wins, as a linear search finds it.
fn by_key<T>(objects: &[T], meta: impl Fn(&T) -> &ObjectMeta) -> HashMap<(&str, &str), &T> {
    let mut index = HashMap::with_capacity(objects.len());
    for object in objects {
        let m = meta(object);
        index.entry((namespace_of(m), name_of(m))).or_insert(object);
    }
    index
}

impl<'a> Scope<'a> {
    fn new(
        config: &'a SdConfig,
        own_namespace: Option<&str>,
        snapshot: &'a Snapshot,
    ) -> Result<Self, DiscoveryError> {
        let mut selectors = BTreeMap::new();
        for raw in &config.selectors {
            if selectors.contains_key(&raw.role) {
                return Err(DiscoveryError::DuplicateSelectorRole { role: raw.role });
            }
            if !config.role.allowed_selector_roles().contains(&raw.role) {
                return Err(DiscoveryError::SelectorRoleNotAllowed {
                    role: config.role,
                    selector_role: raw.role,
                });
            }
            let invalid = |error| DiscoveryError::InvalidSelector {
                selector_role: raw.role,
                error,
            };
            let parsed = ResourceSelector {
                label: LabelSelector::parse(&raw.label).map_err(invalid)?,
                field: FieldSelector::parse(&raw.field, raw.role).map_err(invalid)?,
            };
            selectors.insert(raw.role, parsed);
        }
        Ok(Scope {
            snapshot,
            attach: &config.attach_metadata,
            keeps_secondary_family: config.keeps_secondary_family,
            namespaces: config.namespaces.watched(own_namespace),
            selectors,
            pods: OnceCell::new(),
            services: OnceCell::new(),
        })
    }

    /// Whether `object` passes the selector configured for `role` (if any).
    fn selects<T: Selectable>(&self, role: Role, object: &T) -> bool {
        self.selectors
            .get(&role)
            .is_none_or(|selector| selector.matches(object))
    }

    fn watches_namespace(&self, namespace: &str) -> bool {
        self.namespaces
            .as_ref()
            .is_none_or(|names| names.iter().any(|n| n == namespace))
    }

    /// The groups `build` makes of the objects of a namespaced role that the role's
    /// informers list.
    fn groups<T: Selectable>(
        &self,
        role: Role,
        objects: &'a [T],
        build: fn(&Self, &'a T) -> TargetGroup,
    ) -> Vec<TargetGroup> {
        objects
            .iter()
            .filter(|o| self.watches_namespace(namespace_of(o.meta())) && self.selects(role, *o))
            .map(|o| build(self, o))
            .collect()
    }

    /// The Service `namespace/name`, as the service informer of a discoverer watching
    /// `namespace` sees it.
    fn service(&self, namespace: &str, name: &str) -> Option<&'a Service> {
        let services = self
            .services
            .get_or_init(|| by_key(&self.snapshot.services, |s| &s.metadata));
        services
            .get(&(namespace, name))
            .copied()
            .filter(|s| self.selects(Role::Service, *s))
    }

    /// The Pod an address's `targetRef` names, if it names one this discovery sees (a
    /// namespaced discovery sees Pods of the namespace it watches only).
    fn referenced_pod(
        &self,
        watching_namespace: &str,
        target_ref: Option<&ObjectReference>,
    ) -> Option<&'a Pod> {
        let target_ref = target_ref.filter(|r| r.kind.as_deref() == Some("Pod"))?;
        let namespace = target_ref.namespace.as_deref().unwrap_or("");
        let name = target_ref.name.as_deref().unwrap_or("");
        if self.namespaces.is_some() && namespace != watching_namespace {
            return None;
        }
        let pods = self
            .pods
            .get_or_init(|| by_key(&self.snapshot.pods, |p| &p.metadata));
        pods.get(&(namespace, name))
            .copied()
            .filter(|p| self.selects(Role::Pod, *p))
    }

    /// The Node `name`, if the node selector lets it through.
    fn node(&self, name: &str) -> Option<&'a Node> {
        named(&self.snapshot.nodes, None, name).filter(|n| self.selects(Role::Node, *n))
    }

    fn namespace(&self, name: &str) -> Option<&'a Namespace> {
        named(&self.snapshot.namespaces, None, name)
    }

    fn replica_set(&self, namespace: &str, name: &str) -> Option<&'a ReplicaSet> {
        named(&self.snapshot.replica_sets, Some(namespace), name)
    }

    fn job(&self, namespace: &str, name: &str) -> Option<&'a Job> {
        named(&self.snapshot.jobs, Some(namespace), name)
    }

    /// Adds the name, labels and annotations of Node `name` when the node is listed.
    fn add_node_labels(&self, labels: &mut Labels, name: Option<&str>) {
        if let Some(node) = name.and_then(|n| self.node(n)) {
            add_object_meta_labels(labels, &node.metadata, Role::Node.as_str());
        }
    }

    /// Adds the labels and annotations of Namespace `name` when namespace metadata is attached.
    fn add_namespace_labels(&self, labels: &mut Labels, name: &str) {
        if !self.attach.namespace {
            return;
        }
        match self.namespace(name) {
            Some(namespace) => add_labels_and_annotations(labels, &namespace.metadata, "namespace"),
            // Not in the input, yet it exists: with the label the API server gives it.
            None => {
                let implied = ObjectMeta {
                    name: Some(name.to_owned()),
                    labels: Some(crate::snapshot::implied_namespace_labels(name)),
                    ..ObjectMeta::default()
                };
                add_labels_and_annotations(labels, &implied, "namespace");
            }
        }
    }
}

/// `kind/namespace/name`, the source of a namespaced object's group.
fn namespaced_source(kind: &str, meta: &ObjectMeta) -> String {
    format!("{kind}/{}/{}", namespace_of(meta), name_of(meta))
}

/// The prefix of the meta labels of a discovered `resource` (`__meta_kubernetes_service`).
pub(crate) fn meta_prefix(resource: &str) -> String {
    format!("{META}{resource}")
}

/// Adds `<role>_label_*`, `<role>_labelpresent_*`, `<role>_annotation_*` and
/// `<role>_annotationpresent_*` labels for the object's labels and annotations.
pub(crate) fn add_labels_and_annotations(labels: &mut Labels, meta: &ObjectMeta, resource: &str) {
    let pairs = [
        ("label", meta.labels.as_ref()),
        ("annotation", meta.annotations.as_ref()),
    ];
    for (what, map) in pairs {
        for (key, value) in map.into_iter().flatten() {
            let key = sanitize_label_name(key);
            labels.insert(format!("{META}{resource}_{what}_{key}"), value.clone());
            labels.insert(
                format!("{META}{resource}_{what}present_{key}"),
                "true".into(),
            );
        }
    }
}

/// Adds `<role>_name` and the object's labels and annotations.
fn add_object_meta_labels(labels: &mut Labels, meta: &ObjectMeta, resource: &str) {
    labels.insert(format!("{META}{resource}_name"), name_of(meta).to_owned());
    add_labels_and_annotations(labels, meta, resource);
}

/// Builds a label set from `(name, value)` pairs.
fn labels<const N: usize>(pairs: [(&str, String); N]) -> Labels {
    pairs
        .into_iter()
        .map(|(name, value)| (name.to_owned(), value))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitizes_label_names_per_character() {
        assert_eq!(
            sanitize_label_name("app.kubernetes.io/name"),
            "app_kubernetes_io_name"
        );
        assert_eq!(sanitize_label_name("ü-x"), "__x");
    }

    #[test]
    fn joins_ipv6_hosts_in_brackets() {
        assert_eq!(join_host_port("fd00::1", 9090), "[fd00::1]:9090");
        assert_eq!(join_host_port("10.0.0.1", 9090), "10.0.0.1:9090");
    }

    #[test]
    fn watched_namespaces_follow_prometheus() {
        let all = NamespaceDiscovery::default();
        assert_eq!(all.watched(Some("own")), None);
        let own = NamespaceDiscovery {
            own_namespace: true,
            names: vec!["a".into()],
        };
        assert_eq!(
            own.watched(Some("own")),
            Some(vec!["a".to_owned(), "own".to_owned()])
        );
        // Outside a cluster the own namespace is unknown: only the names remain.
        let only_own = NamespaceDiscovery {
            own_namespace: true,
            names: vec![],
        };
        assert_eq!(only_own.watched(None), Some(vec![]));
    }

    #[test]
    fn a_dual_stack_services_second_family_is_discovered_before_prometheus_3_11() {
        let text = "\
apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec: {ipFamilyPolicy: RequireDualStack, ipFamilies: [IPv4, IPv6], ports: [{name: web, port: 80}]}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: api-v4, namespace: shop, labels: {kubernetes.io/service-name: api}}
addressType: IPv4
endpoints: [{addresses: [10.0.0.1]}]
ports: [{name: web, port: 80}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: api-v6, namespace: shop, labels: {kubernetes.io/service-name: api}}
addressType: IPv6
endpoints: [{addresses: ['fd00::1']}]
ports: [{name: web, port: 80}]
";
        let snapshot = crate::snapshot::load("t.yaml", text).unwrap().0;
        let targets = |keeps_secondary_family: bool| {
            let config = SdConfig {
                keeps_secondary_family,
                ..SdConfig::new(Role::EndpointSlice)
            };
            discover(&config, None, &snapshot)
                .unwrap()
                .iter()
                .map(|g| g.targets.len())
                .sum::<usize>()
        };
        assert_eq!(targets(false), 1);
        assert_eq!(targets(true), 2);
    }

    #[test]
    fn rejects_selectors_of_other_roles() {
        let mut config = SdConfig::new(Role::Service);
        config.selectors.push(SelectorConfig {
            role: Role::Pod,
            label: String::new(),
            field: String::new(),
        });
        let err = discover(&config, None, &Snapshot::default()).unwrap_err();
        assert_eq!(
            err,
            DiscoveryError::SelectorRoleNotAllowed {
                role: Role::Service,
                selector_role: Role::Pod
            }
        );
    }

    fn object<T: serde::de::DeserializeOwned>(json: serde_json::Value) -> T {
        serde_json::from_value(json).unwrap()
    }

    fn pod(namespace: &str, name: &str, ip: &str, node: &str) -> Pod {
        object(serde_json::json!({
            "metadata": {"name": name, "namespace": namespace, "labels": {"app": name}},
            "spec": {"nodeName": node, "containers": [
                {"name": "main", "image": "img", "ports": [{"name": "web", "containerPort": 8080}]}
            ]},
            "status": {"podIP": ip}
        }))
    }

    #[test]
    fn pod_role_applies_namespaces_and_selectors() {
        let snapshot = Snapshot {
            pods: vec![
                pod("a", "web", "10.0.0.1", "n1"),
                pod("a", "db", "10.0.0.2", "n1"),
                pod("b", "web", "10.0.0.3", "n1"),
            ],
            ..Snapshot::default()
        };
        let mut config = SdConfig::new(Role::Pod);
        config.namespaces.names = vec!["a".into()];
        config.selectors.push(SelectorConfig {
            role: Role::Pod,
            label: "app!=db".into(),
            field: "status.podIP=10.0.0.1".into(),
        });
        let groups = discover(&config, None, &snapshot).unwrap();
        let sources: Vec<&str> = groups.iter().map(|g| g.source.as_str()).collect();
        assert_eq!(sources, ["pod/a/web"]);
        assert_eq!(groups[0].targets[0][ADDRESS_LABEL], "10.0.0.1:8080");
        assert_eq!(groups[0].labels["__meta_kubernetes_pod_label_app"], "web");
    }

    #[test]
    fn pod_without_ip_yields_an_empty_group() {
        let snapshot = Snapshot {
            pods: vec![pod("a", "web", "", "n1")],
            ..Snapshot::default()
        };
        let groups = discover(&SdConfig::new(Role::Pod), None, &snapshot).unwrap();
        assert_eq!(
            groups,
            [TargetGroup {
                source: "pod/a/web".into(),
                ..TargetGroup::default()
            }]
        );
    }

    #[test]
    fn node_without_address_yields_no_group() {
        let node: Node = object(serde_json::json!({"metadata": {"name": "n1"}}));
        let snapshot = Snapshot {
            nodes: vec![node],
            ..Snapshot::default()
        };
        let groups = discover(&SdConfig::new(Role::Node), None, &snapshot).unwrap();
        assert!(groups.is_empty());
    }

    #[test]
    fn endpoints_resolve_pods_only_in_the_watched_namespace() {
        let endpoints: k8s_openapi::api::core::v1::Endpoints = object(serde_json::json!({
            "metadata": {"name": "web", "namespace": "a"},
            "subsets": [{
                "addresses": [{"ip": "10.0.0.3", "targetRef": {"kind": "Pod", "namespace": "b", "name": "web"}}],
                "ports": [{"port": 8080, "protocol": "TCP"}]
            }]
        }));
        let snapshot = Snapshot {
            endpoints: vec![endpoints],
            pods: vec![pod("b", "web", "10.0.0.3", "n1")],
            ..Snapshot::default()
        };
        let mut config = SdConfig::new(Role::Endpoints);
        let all = discover(&config, None, &snapshot).unwrap();
        assert_eq!(all[0].targets[0]["__meta_kubernetes_pod_name"], "web");
        config.namespaces.names = vec!["a".into(), "b".into()];
        let per_namespace = discover(&config, None, &snapshot).unwrap();
        assert!(!per_namespace[0].targets[0].contains_key("__meta_kubernetes_pod_name"));
    }

    #[test]
    fn rejects_duplicate_selector_roles() {
        let mut config = SdConfig::new(Role::Pod);
        let selector = SelectorConfig {
            role: Role::Pod,
            label: "a=b".into(),
            field: String::new(),
        };
        config.selectors = vec![selector.clone(), selector];
        let err = discover(&config, None, &Snapshot::default()).unwrap_err();
        assert_eq!(
            err,
            DiscoveryError::DuplicateSelectorRole { role: Role::Pod }
        );
    }
}
