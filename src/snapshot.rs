//! One input model: a snapshot of Kubernetes objects, loaded from files or from the cluster.
//!
//! Everything the library computes (selection, rendering, explanation, validation) reads a
//! `Snapshot`; nothing looks objects up lazily elsewhere. [`load`] reads manifests into one.

mod load;

pub use load::{
    Document, LoadError, MAX_EXPANDED_NODES, MAX_SOURCE_BYTES, Notice, NoticeKind, load,
    load_documents,
};

use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet};
use k8s_openapi::api::batch::v1::Job;
use k8s_openapi::api::core::v1::{ConfigMap, Endpoints, Namespace, Node, Pod, Secret, Service};
use k8s_openapi::api::discovery::v1::EndpointSlice;
use k8s_openapi::api::networking::v1::Ingress;

use crate::monitoring::v1::{
    Alertmanager, PodMonitor, Probe, Prometheus, PrometheusRule, ServiceMonitor, ThanosRuler,
};
use crate::monitoring::v1alpha1::{AlertmanagerConfig, PrometheusAgent, ScrapeConfig};

/// A set of objects, as a cluster (or a set of manifests) holds them.
#[derive(Clone, Debug, Default)]
pub struct Snapshot {
    pub prometheuses: Vec<Prometheus>,
    pub prometheus_agents: Vec<PrometheusAgent>,
    pub service_monitors: Vec<ServiceMonitor>,
    pub pod_monitors: Vec<PodMonitor>,
    pub probes: Vec<Probe>,
    pub scrape_configs: Vec<ScrapeConfig>,
    pub prometheus_rules: Vec<PrometheusRule>,
    pub thanos_rulers: Vec<ThanosRuler>,
    pub alertmanagers: Vec<Alertmanager>,
    pub alertmanager_configs: Vec<AlertmanagerConfig>,
    pub namespaces: Vec<Namespace>,
    pub secrets: Vec<Secret>,
    pub config_maps: Vec<ConfigMap>,
    pub services: Vec<Service>,
    pub endpoints: Vec<Endpoints>,
    pub endpoint_slices: Vec<EndpointSlice>,
    pub pods: Vec<Pod>,
    pub nodes: Vec<Node>,
    pub deployments: Vec<Deployment>,
    pub replica_sets: Vec<ReplicaSet>,
    pub jobs: Vec<Job>,
    pub ingresses: Vec<Ingress>,
}

fn is_named(
    meta: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta,
    namespace: &str,
    name: &str,
) -> bool {
    meta.namespace.as_deref().unwrap_or("") == namespace
        && meta.name.as_deref().unwrap_or("") == name
}

impl Snapshot {
    /// The Secret `namespace/name`.
    pub fn secret(&self, namespace: &str, name: &str) -> Option<&Secret> {
        self.secrets
            .iter()
            .find(|s| is_named(&s.metadata, namespace, name))
    }

    /// The ConfigMap `namespace/name`.
    pub fn config_map(&self, namespace: &str, name: &str) -> Option<&ConfigMap> {
        self.config_maps
            .iter()
            .find(|c| is_named(&c.metadata, namespace, name))
    }

    /// The value of `key` in Secret `namespace/name`, from `stringData` or decoded `data`.
    /// `None` when the Secret or the key is missing.
    pub fn secret_value(&self, namespace: &str, name: &str, key: &str) -> Option<String> {
        let secret = self.secret(namespace, name)?;
        if let Some(v) = secret.string_data.as_ref().and_then(|d| d.get(key)) {
            return Some(v.clone());
        }
        let bytes = secret.data.as_ref()?.get(key)?;
        Some(String::from_utf8_lossy(&bytes.0).into_owned())
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

    /// The labels of Namespace `name`, if the snapshot holds it.
    pub fn namespace_labels(
        &self,
        name: &str,
    ) -> Option<&std::collections::BTreeMap<String, String>> {
        self.namespaces
            .iter()
            .find(|n| n.metadata.name.as_deref() == Some(name))
            .map(|n| n.metadata.labels.as_ref().unwrap_or(&EMPTY_LABELS))
    }
}

static EMPTY_LABELS: std::collections::BTreeMap<String, String> = std::collections::BTreeMap::new();
