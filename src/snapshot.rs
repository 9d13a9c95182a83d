//! One input model: a snapshot of Kubernetes objects, loaded from files or from the cluster.
//!
//! Everything the library computes (selection, rendering, explanation, validation) reads a
//! `Snapshot`; nothing looks objects up lazily elsewhere. [`load`] reads manifests into one.

mod load;
pub mod references;

use std::collections::HashMap;

pub use load::{
    Document, LoadError, MAX_DOCUMENTS, MAX_SOURCE_BYTES, MAX_TOTAL_SOURCE_BYTES, Notice,
    NoticeKind, Objects, Origin, WrittenObject, describe_object, load, load_documents,
    load_sources, read_within_budget,
};

use k8s_openapi::api::apps::v1::{DaemonSet, Deployment, ReplicaSet, StatefulSet};
use k8s_openapi::api::batch::v1::Job;
use k8s_openapi::api::core::v1::{ConfigMap, Endpoints, Namespace, Node, Pod, Secret, Service};
use k8s_openapi::api::discovery::v1::EndpointSlice;
use k8s_openapi::api::networking::v1::Ingress;
use k8s_openapi::api::rbac::v1::{ClusterRole, ClusterRoleBinding, Role, RoleBinding};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use crate::kinds::{self, Resource};
use crate::monitoring::CustomResource;
use crate::monitoring::v1::{
    Alertmanager, PodMonitor, Probe, Prometheus, PrometheusRule, ServiceMonitor, ThanosRuler,
};
use crate::monitoring::v1alpha1::{AlertmanagerConfig, PrometheusAgent, ScrapeConfig};
use crate::yaml::{AliasBudget, DecodeError, NodeRef, UnknownField};
use serde::de::DeserializeOwned;

/// What [`Snapshot::lay_over`] did with one local object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Overlaid {
    /// `Kind namespace/name`.
    pub object: String,
    /// Whether it replaced an object already there (otherwise it was added).
    pub replaced: bool,
}

/// Declares the snapshot's object lists once: the struct, [`Snapshot::extend`], and the typed
/// decoding of an object into its list by catalogue entry.
macro_rules! snapshot_lists {
    ($($field:ident: $ty:ty => $resource:ident,)*) => {
        /// A set of objects, as a cluster (or a set of manifests) holds them.
        #[derive(Clone, Debug, Default)]
        pub struct Snapshot {
            $(
                #[doc = concat!("`", stringify!($resource), "` objects.")]
                pub $field: Vec<$ty>,
            )*
        }

        impl Snapshot {
            /// Puts every namespaced object without a namespace into `namespace`, as kubectl
            /// does when applying; returns how many there were.
            pub fn set_missing_namespaces(&mut self, namespace: &str) -> usize {
                let mut count = 0;
                $(
                    if kinds::$resource.namespaced {
                        for item in &mut self.$field {
                            if item.metadata.namespace.as_deref().is_none_or(str::is_empty) {
                                item.metadata.namespace = Some(namespace.to_owned());
                                count += 1;
                            }
                        }
                    }
                )*
                count
            }

            /// `(namespace, name)` of every object of `resource`'s type held.
            pub fn keys_of(&self, resource: &Resource) -> Vec<(&str, &str)> {
                $(
                    if *resource == kinds::$resource {
                        return self
                            .$field
                            .iter()
                            .map(|o| (namespace_of(&o.metadata), name_of(&o.metadata)))
                            .collect();
                    }
                )*
                Vec::new()
            }

            /// Appends every object of `other`.
            pub fn extend(&mut self, other: Snapshot) {
                $(self.$field.extend(other.$field);)*
            }

            /// Lays the objects of `local` over these, as `kubectl apply` would write them: one
            /// with the kind, namespace and name of an object here replaces it, others are
            /// added; a namespaced one without a namespace goes to `default_namespace`.
            pub fn lay_over(&mut self, local: Snapshot, default_namespace: &str) -> Vec<Overlaid> {
                let mut done = Vec::new();
                $(
                    let namespaced = kinds::$resource.namespaced;
                    let mut index: HashMap<String, usize> = self
                        .$field
                        .iter()
                        .enumerate()
                        .map(|(i, o)| (overlay_key(&o.metadata, namespaced), i))
                        .collect();
                    for mut object in local.$field {
                        if namespaced
                            && object.metadata.namespace.as_deref().is_none_or(str::is_empty)
                        {
                            object.metadata.namespace = Some(default_namespace.to_owned());
                        }
                        let key = overlay_key(&object.metadata, namespaced);
                        let slot = index.get(&key).copied();
                        done.push(Overlaid {
                            object: format!("{} {key}", kinds::$resource.kind),
                            replaced: slot.is_some(),
                        });
                        match slot.and_then(|i| self.$field.get_mut(i)) {
                            Some(slot) => *slot = object,
                            None => {
                                index.insert(key, self.$field.len());
                                self.$field.push(object);
                            }
                        }
                    }
                )*
                done
            }

            /// Makes room for every object of `parts` at once, so that extending by them
            /// allocates each list once at its final size.
            fn reserve_for<'s>(&mut self, parts: impl Iterator<Item = &'s Snapshot> + Clone) {
                $(self.$field.reserve(parts.clone().map(|p| p.$field.len()).sum());)*
            }

            /// Gives back each list's spare capacity: a document's snapshot holds an object
            /// or two, and a list's first allocation has room for four.
            fn shrink_to_fit(&mut self) {
                $(self.$field.shrink_to_fit();)*
            }

            /// Decodes `node` as an object of `resource` into its list; `None` for a type the
            /// snapshot does not hold, spending `budget` on aliases. Returns the fields the type
            /// does not know.
            fn push_decoded(
                &mut self,
                resource: &Resource,
                node: NodeRef<'_>,
                budget: &AliasBudget,
            ) -> Option<Result<Vec<UnknownField>, DecodeError>> {
                $(
                    if *resource == kinds::$resource {
                        return Some(push(node, budget, &mut self.$field, resource.is_monitoring()));
                    }
                )*
                None
            }
        }
    };
}

snapshot_lists! {
    prometheuses: Prometheus => PROMETHEUSES,
    prometheus_agents: PrometheusAgent => PROMETHEUS_AGENTS,
    service_monitors: ServiceMonitor => SERVICE_MONITORS,
    pod_monitors: PodMonitor => POD_MONITORS,
    probes: Probe => PROBES,
    scrape_configs: ScrapeConfig => SCRAPE_CONFIGS,
    prometheus_rules: PrometheusRule => PROMETHEUS_RULES,
    thanos_rulers: ThanosRuler => THANOS_RULERS,
    alertmanagers: Alertmanager => ALERTMANAGERS,
    alertmanager_configs: AlertmanagerConfig => ALERTMANAGER_CONFIGS,
    namespaces: Namespace => NAMESPACES,
    secrets: Secret => SECRETS,
    config_maps: ConfigMap => CONFIG_MAPS,
    services: Service => SERVICES,
    endpoints: Endpoints => ENDPOINTS,
    endpoint_slices: EndpointSlice => ENDPOINT_SLICES,
    pods: Pod => PODS,
    nodes: Node => NODES,
    deployments: Deployment => DEPLOYMENTS,
    replica_sets: ReplicaSet => REPLICA_SETS,
    stateful_sets: StatefulSet => STATEFUL_SETS,
    daemon_sets: DaemonSet => DAEMON_SETS,
    jobs: Job => JOBS,
    ingresses: Ingress => INGRESSES,
    roles: Role => ROLES,
    cluster_roles: ClusterRole => CLUSTER_ROLES,
    role_bindings: RoleBinding => ROLE_BINDINGS,
    cluster_role_bindings: ClusterRoleBinding => CLUSTER_ROLE_BINDINGS,
}

/// Decodes `node` as `T` and appends it to `into`; returns the unknown fields.
/// `type_fields_outside` says that `apiVersion`/`kind` are not fields of `T` (custom
/// resources), so they are not reported as unknown.
fn push<T: DeserializeOwned>(
    node: NodeRef<'_>,
    budget: &AliasBudget,
    into: &mut Vec<T>,
    type_fields_outside: bool,
) -> Result<Vec<UnknownField>, DecodeError> {
    let mut decoded = node.decode_within::<T>(budget)?;
    if type_fields_outside {
        decoded
            .unknown
            .retain(|u| u.path != "apiVersion" && u.path != "kind");
    }
    into.push(decoded.value);
    Ok(decoded.unknown)
}

/// `metadata.namespace`, or `""` for an object without one.
pub fn namespace_of(meta: &ObjectMeta) -> &str {
    meta.namespace.as_deref().unwrap_or("")
}

/// `metadata.name`, or `""` when unset.
pub fn name_of(meta: &ObjectMeta) -> &str {
    meta.name.as_deref().unwrap_or("")
}

/// `namespace/name`, or `name` for a cluster-scoped kind (whose objects kubectl writes by name
/// alone, whatever namespace they carry): what makes a local object replace one held.
fn overlay_key(meta: &ObjectMeta, namespaced: bool) -> String {
    match meta.namespace.as_deref() {
        Some(ns) if namespaced && !ns.is_empty() => format!("{ns}/{}", name_of(meta)),
        _ => name_of(meta).to_owned(),
    }
}

/// `namespace/name`: the key the operator's informer caches store an object under.
pub fn key_of(meta: &ObjectMeta) -> String {
    format!("{}/{}", namespace_of(meta), name_of(meta))
}

/// The first object `name` of `items` in `namespace` (in any namespace when `None`, as for
/// cluster-scoped kinds).
pub fn named<'a, T: k8s_openapi::Metadata<Ty = ObjectMeta>>(
    items: &'a [T],
    namespace: Option<&str>,
    name: &str,
) -> Option<&'a T> {
    items.iter().find(|item| {
        let meta = item.metadata();
        name_of(meta) == name && namespace.is_none_or(|n| namespace_of(meta) == n)
    })
}

impl Snapshot {
    /// The custom resources that refer to Secrets and ConfigMaps (instances and monitors),
    /// as JSON.
    pub fn monitoring_objects_json(&self) -> Vec<serde_json::Value> {
        fn json<T: serde::Serialize>(items: &[T]) -> impl Iterator<Item = serde_json::Value> + '_ {
            items.iter().filter_map(|i| serde_json::to_value(i).ok())
        }
        json(&self.prometheuses)
            .chain(json(&self.prometheus_agents))
            .chain(json(&self.service_monitors))
            .chain(json(&self.pod_monitors))
            .chain(json(&self.probes))
            .chain(json(&self.scrape_configs))
            .chain(json(&self.alertmanagers))
            .chain(json(&self.alertmanager_configs))
            .collect()
    }

    /// The Secret `namespace/name`.
    pub fn secret(&self, namespace: &str, name: &str) -> Option<&Secret> {
        named(&self.secrets, Some(namespace), name)
    }

    /// The ConfigMap `namespace/name`.
    pub fn config_map(&self, namespace: &str, name: &str) -> Option<&ConfigMap> {
        named(&self.config_maps, Some(namespace), name)
    }

    /// The value of `key` in Secret `namespace/name`, from `stringData` or decoded `data`.
    /// `None` when the Secret or the key is missing.
    pub fn secret_value(&self, namespace: &str, name: &str, key: &str) -> Option<String> {
        secret_key_value(self.secret(namespace, name)?, key)
    }

    /// The value of `key` in ConfigMap `namespace/name` (`data`, then `binaryData`).
    pub fn config_map_value(&self, namespace: &str, name: &str, key: &str) -> Option<String> {
        let cm = self.config_map(namespace, name)?;
        if let Some(v) = cm.data.as_ref().and_then(|d| d.get(key)) {
            return Some(v.clone());
        }
        let bytes = cm.binary_data.as_ref()?.get(key)?;
        Some(String::from_utf8_lossy(&bytes.0).into_owned())
    }

    /// The Endpoints object of Service `namespace/name` (named like it).
    pub fn endpoints_of<'s>(
        &'s self,
        namespace: &'s str,
        name: &'s str,
    ) -> impl Iterator<Item = &'s Endpoints> + 's {
        self.endpoints
            .iter()
            .filter(move |e| namespace_of(&e.metadata) == namespace && name_of(&e.metadata) == name)
    }

    /// The EndpointSlices of Service `namespace/name` (labelled [`SERVICE_NAME_LABEL`]).
    pub fn endpoint_slices_of<'s>(
        &'s self,
        namespace: &'s str,
        name: &'s str,
    ) -> impl Iterator<Item = &'s EndpointSlice> + 's {
        self.endpoint_slices.iter().filter(move |s| {
            namespace_of(&s.metadata) == namespace
                && s.metadata
                    .labels
                    .as_ref()
                    .and_then(|l| l.get(SERVICE_NAME_LABEL))
                    .is_some_and(|n| n == name)
        })
    }

    /// The labels of Namespace `name`, if the snapshot holds it.
    pub fn namespace_labels(
        &self,
        name: &str,
    ) -> Option<&std::collections::BTreeMap<String, String>> {
        named(&self.namespaces, None, name)
            .map(|n| n.metadata.labels.as_ref().unwrap_or(&EMPTY_LABELS))
    }
}

/// The label the API server gives every Namespace: its name (GA since Kubernetes 1.22).
pub const NAMESPACE_NAME_LABEL: &str = "kubernetes.io/metadata.name";

/// The labels a namespace the input does not hold is judged by: it exists (something lives in
/// it), so it carries [`NAMESPACE_NAME_LABEL`]; any other label it has is unknown.
pub fn implied_namespace_labels(name: &str) -> std::collections::BTreeMap<String, String> {
    std::collections::BTreeMap::from([(NAMESPACE_NAME_LABEL.to_owned(), name.to_owned())])
}

/// The label that ties an EndpointSlice to its Service.
pub const SERVICE_NAME_LABEL: &str = "kubernetes.io/service-name";

static EMPTY_LABELS: std::collections::BTreeMap<String, String> = std::collections::BTreeMap::new();

/// Label `validate` gives the empty stand-ins it makes, offline and not strict, for the
/// Secrets and ConfigMaps a reference names that the input does not hold.
pub const STAND_IN_LABEL: &str = "kubectl-promop/unresolved";

/// Whether `meta` is such a stand-in: its values are not the cluster's, so nothing should be
/// judged by their content.
pub fn is_stand_in(meta: &ObjectMeta) -> bool {
    meta.labels
        .as_ref()
        .is_some_and(|l| l.contains_key(STAND_IN_LABEL))
}

/// The value of `key` in `secret`: `stringData` first (the API server merges it over `data`),
/// then `data` decoded as text.
pub fn secret_key_value(secret: &Secret, key: &str) -> Option<String> {
    if let Some(v) = secret.string_data.as_ref().and_then(|d| d.get(key)) {
        return Some(v.clone());
    }
    let bytes = secret.data.as_ref()?.get(key)?;
    Some(String::from_utf8_lossy(&bytes.0).into_owned())
}

/// Why the instance a command names is not there.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FindError {
    /// No object of that kind and name.
    #[error("{kind} {} not found{hint}", qualified(.namespace, .name))]
    NotFound {
        /// The kind.
        kind: &'static str,
        /// The namespace searched, if one.
        namespace: Option<String>,
        /// The name.
        name: String,
        /// Where the name is instead, or the names nearly it ([`not_found_hint`]); may be empty.
        hint: String,
    },
    /// Several namespaces hold an object of that name.
    #[error("{kind} {name:?} exists in several namespaces ({}): choose one with -n", .namespaces.join(", "))]
    Ambiguous {
        /// The kind.
        kind: &'static str,
        /// The name.
        name: String,
        /// The namespaces holding it.
        namespaces: Vec<String>,
    },
    /// The input holds no Prometheus or PrometheusAgent.
    #[error("the input holds no Prometheus or PrometheusAgent")]
    NoInstance,
    /// Several instances match: none was named, or the name is in several namespaces.
    #[error("several instances match; choose one with --prometheus NAMESPACE/NAME: {}", .0.join(", "))]
    Several(Vec<String>),
}

/// `namespace/name`, or `"name"` in any namespace.
fn qualified(namespace: &Option<String>, name: &str) -> String {
    match namespace {
        Some(namespace) => format!("{namespace}/{name}"),
        None => format!("{name:?}"),
    }
}

/// Most names a "not found" message suggests.
const MAX_SUGGESTED_NAMES: usize = 3;

/// Most objects a "not found" message lists when no name is near the one asked for.
const MAX_LISTED_NAMES: usize = 10;

/// What follows "not found" for `name` in `namespace` (anywhere when `None`), given the
/// `(namespace, name)` of every object held: the namespaces holding that name, else the names
/// a typo away from it, else the objects there are (those in `namespace` when it has some);
/// empty when none is held.
pub fn not_found_hint<'h>(
    held: impl Iterator<Item = (&'h str, &'h str)> + Clone,
    namespace: Option<&str>,
    name: &str,
) -> String {
    let mut elsewhere: Vec<&str> = held
        .clone()
        .filter(|(_, n)| *n == name)
        .map(|(ns, _)| ns)
        .collect();
    elsewhere.sort_unstable();
    elsewhere.dedup();
    match elsewhere.as_slice() {
        [] => {}
        [only] => return format!(" (it is in namespace {only})"),
        several => return format!(" (it is in namespaces {})", several.join(", ")),
    }
    let in_scope = held
        .clone()
        .filter(|(ns, _)| namespace.is_none_or(|wanted| *ns == wanted));
    let limit = (name.chars().count() / 3).clamp(1, 3);
    let mut near: Vec<&str> = in_scope
        .clone()
        .map(|(_, n)| n)
        .filter(|n| crate::yaml::edit_distance(n, name) <= limit)
        .collect();
    near.sort_unstable();
    near.dedup();
    near.truncate(MAX_SUGGESTED_NAMES);
    if !near.is_empty() {
        return format!(" (did you mean {}?)", near.join(" or "));
    }
    let mut there: Vec<(&str, &str)> = in_scope.collect();
    if there.is_empty() {
        there = held.collect();
    }
    there.sort_unstable();
    there.dedup();
    let more = there.len().saturating_sub(MAX_LISTED_NAMES);
    let listed: Vec<String> = (there.iter().take(MAX_LISTED_NAMES))
        .map(|(ns, n)| {
            if ns.is_empty() {
                (*n).to_owned()
            } else {
                format!("{ns}/{n}")
            }
        })
        .collect();
    match (listed.as_slice(), more) {
        ([], _) => String::new(),
        ([only], 0) => format!(" (there is only {only})"),
        (listed, 0) => format!(" (there are {})", listed.join(", ")),
        (listed, more) => format!(" (there are {} and {more} more)", listed.join(", ")),
    }
}

/// The object `name` of `items` (in `namespace`, or anywhere when `None`). The same object
/// given twice in one namespace is the last one, as when applied.
pub fn find_named<'a, T: CustomResource>(
    items: &'a [T],
    namespace: Option<&str>,
    name: &str,
) -> Result<&'a T, FindError> {
    let found: Vec<&T> = items
        .iter()
        .filter(|i| {
            i.metadata().name.as_deref() == Some(name)
                && namespace.is_none_or(|n| i.metadata().namespace.as_deref().unwrap_or("") == n)
        })
        .collect();
    let mut namespaces: Vec<String> = found
        .iter()
        .map(|i| i.metadata().namespace.clone().unwrap_or_default())
        .collect();
    namespaces.sort();
    namespaces.dedup();
    match (found.last(), namespaces.len()) {
        (Some(last), 1) => Ok(last),
        (None, _) => Err(FindError::NotFound {
            kind: T::KIND,
            namespace: namespace.map(str::to_owned),
            name: name.to_owned(),
            hint: not_found_hint(
                items
                    .iter()
                    .map(|i| (namespace_of(i.metadata()), name_of(i.metadata()))),
                namespace,
                name,
            ),
        }),
        _ => Err(FindError::Ambiguous {
            kind: T::KIND,
            name: name.to_owned(),
            namespaces,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cluster_scoped_object_replaces_by_name_whatever_namespace_it_carries() {
        let mut base = Snapshot::default();
        base.load(
            "cluster",
            "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n",
        )
        .expect("loads");
        let mut local = Snapshot::default();
        local
            .load(
                "local",
                "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, namespace: stray}\n",
            )
            .expect("loads");
        let done = base.lay_over(local, "default");
        assert!(done[0].replaced, "{done:?}");
        assert_eq!(done[0].object, "Namespace shop");
        assert_eq!(base.namespaces.len(), 1);
    }

    #[test]
    fn laid_over_objects_replace_and_add() {
        let mut base = Snapshot::default();
        base.load(
            "cluster",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: shop}\ndata: {k: old}\n",
        )
        .expect("loads");
        let mut local = Snapshot::default();
        local
            .load(
                "local",
                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {k: new}\n---\n\
                 apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b, namespace: other}\n",
            )
            .expect("loads");
        let done = base.lay_over(local, "shop");
        assert_eq!(
            done,
            [
                Overlaid {
                    object: "ConfigMap shop/a".into(),
                    replaced: true
                },
                Overlaid {
                    object: "ConfigMap other/b".into(),
                    replaced: false
                },
            ]
        );
        assert_eq!(
            base.config_map_value("shop", "a", "k").as_deref(),
            Some("new")
        );
        assert_eq!(base.config_maps.len(), 2);
    }
}
