//! The workloads prometheus-operator v0.93.0 creates: one StatefulSet per Prometheus shard, a
//! StatefulSet or DaemonSet per PrometheusAgent, one StatefulSet per Alertmanager, their
//! governing Services, and the files those pods mount.
//!
//! Mirrors `pkg/prometheus/server/statefulset.go`, `pkg/prometheus/agent/statefulset.go` and
//! `daemonset.go`, `pkg/prometheus/common.go`, `pkg/alertmanager/statefulset.go`,
//! `pkg/operator/config_reloader.go`, `pkg/webconfig`, `pkg/k8s` and `pkg/operator/defaults.go`.
//! Objects are k8s-openapi's typed `StatefulSet` / `DaemonSet` / `Service`: their JSON is the
//! Kubernetes JSON the conformance paths address, and they serialize for printing as they are.

mod agent;
pub(crate) mod alertmanager;
mod args;
mod file_refs;
mod files;
mod image;
mod merge;
pub(crate) mod meta;
mod naming;
pub mod objects;
mod paths;
mod prometheus;
mod quantity;
mod reloader;
mod server;
mod settings;
mod webconfig;

use k8s_openapi::api::apps::v1::{DaemonSet, StatefulSet};

use crate::monitoring::v1::{Alertmanager, Prometheus};
use crate::monitoring::v1alpha1::PrometheusAgent;
pub use crate::render::Warning;
use crate::target::Target;

pub use agent::{agent_governing_service, agent_workload};
pub use alertmanager::{alertmanager_governing_service, alertmanager_statefulset};
pub use file_refs::{FileReference, FileSource, MAX_FILE_REFERENCES, file_references};
pub use files::{Mount, MountSource, PathCheck, SERVICE_ACCOUNT_DIR, check_path, mounted_files};
pub use prometheus::{MAX_SHARDS, statefulset_shard_names};
pub use reloader::CONFIG_RELOADER_CONTAINER;
pub use server::{prometheus_governing_service, prometheus_statefulset};

/// An object that owns a workload.
#[derive(Clone, Copy, Debug)]
pub enum Instance<'a> {
    /// A `Prometheus` (server mode).
    Prometheus(&'a Prometheus),
    /// A `PrometheusAgent`.
    Agent(&'a PrometheusAgent),
    /// An `Alertmanager`.
    Alertmanager(&'a Alertmanager),
}

/// Why the operator would create no workload for `instance`, if it would create none (shard
/// 0 answers for every shard: what refuses one refuses all).
pub fn refusal(
    instance: Instance<'_>,
    options: &crate::operator::OperatorOptions,
) -> Option<WorkloadError> {
    let input = WorkloadInput::default();
    match instance {
        Instance::Prometheus(p) => prometheus_statefulset(p, options, &input).err(),
        Instance::Agent(a) => agent_workload(a, options, &input).err(),
        Instance::Alertmanager(am) => alertmanager_statefulset(am, options, &input).err(),
    }
}

impl<'a> Instance<'a> {
    /// `Prometheus`, `PrometheusAgent` or `Alertmanager`.
    pub fn kind(self) -> &'static str {
        match self {
            Instance::Prometheus(_) => "Prometheus",
            Instance::Agent(_) => "PrometheusAgent",
            Instance::Alertmanager(_) => "Alertmanager",
        }
    }

    /// The instance's metadata.
    pub fn metadata(self) -> &'a k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta {
        match self {
            Instance::Prometheus(p) => &p.metadata,
            Instance::Agent(a) => &a.metadata,
            Instance::Alertmanager(am) => &am.metadata,
        }
    }

    /// The name of the main container's web port ([`web_port_name`] of the instance's spec).
    pub fn web_port_name(self) -> Option<&'a str> {
        let (port_name, listen_local) = match self {
            Instance::Prometheus(p) => (p.spec.port_name.as_deref(), p.spec.listen_local),
            Instance::Agent(a) => (a.spec.port_name.as_deref(), a.spec.listen_local),
            Instance::Alertmanager(am) => {
                (am.spec.port_name.as_deref(), Some(am.spec.listen_local))
            }
        };
        web_port_name(port_name, listen_local == Some(true))
    }
}

impl<'a> From<Target<'a>> for Instance<'a> {
    fn from(target: Target<'a>) -> Self {
        match target {
            Target::Server(p) => Instance::Prometheus(p),
            Target::Agent(a) => Instance::Agent(a),
        }
    }
}

/// The name the generator gives a server's web port when `spec.portName` is empty.
pub(crate) const DEFAULT_WEB_PORT_NAME: &str = "web";

/// The name of a server container's web port, as the generator names it: `spec.portName`, or
/// `web` when that is empty; none under `spec.listenLocal`, where the server listens on
/// localhost only and upstream declares no port (`MakeContainerPorts`; the Alertmanager
/// StatefulSet alike).
pub fn web_port_name(port_name: Option<&str>, listen_local: bool) -> Option<&str> {
    (!listen_local).then(|| {
        port_name
            .filter(|name| !name.is_empty())
            .unwrap_or(DEFAULT_WEB_PORT_NAME)
    })
}

/// Generator inputs that neither the custom resource nor an operator flag carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkloadInput {
    /// Index of the shard whose StatefulSet is generated (Prometheus and agent StatefulSets).
    pub shard: i32,
    /// Value of the `prometheus-operator-input-hash` annotation. The operator hashes all its
    /// inputs; this library takes the value as given.
    pub input_hash: String,
    /// Rule ConfigMaps mounted under `/etc/prometheus/rules/` (Prometheus server only).
    pub rule_config_map_names: Vec<String>,
    /// Number of `<prefix>-<name>-tls-assets-<i>` Secret shards projected into `tls-assets`.
    pub tls_assets_shards: usize,
}

impl Default for WorkloadInput {
    /// Shard 0, no hash, no rule ConfigMaps, and the one TLS-assets Secret the operator always
    /// writes.
    fn default() -> Self {
        WorkloadInput {
            shard: 0,
            input_hash: String::new(),
            rule_config_map_names: Vec::new(),
            tls_assets_shards: 1,
        }
    }
}

/// A generated object and the notices collected on the way (flags dropped for the version in
/// use, duplicate templates skipped, ...).
#[derive(Clone, Debug)]
pub struct Generated<T> {
    /// The object the operator would create.
    pub object: T,
    /// What the operator logs while generating it.
    pub warnings: Vec<Warning>,
}

/// Why the operator refuses to generate a workload.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorkloadError {
    /// A version string that is not semver.
    #[error("failed to parse {component} version {value:?}")]
    Version {
        /// `Prometheus`, `Thanos` or `Alertmanager`.
        component: &'static str,
        /// The unparsable value.
        value: String,
    },
    /// A Prometheus major version the operator does not support.
    #[error("unsupported Prometheus version {0:?}")]
    UnsupportedVersion(String),
    /// An image reference that does not parse.
    #[error("couldn't parse image reference {image:?}: {reason}")]
    Image {
        /// The reference.
        image: String,
        /// What is wrong with it.
        reason: String,
    },
    /// `additionalArgs` repeats flags the operator sets.
    #[error("can't set arguments which are already managed by the operator: {}", .0.join(","))]
    ManagedArguments(Vec<String>),
    /// A Secret or ConfigMap name that yields no valid volume name.
    #[error("invalid volume name {name:?}: {reason}")]
    VolumeName {
        /// The generated name.
        name: String,
        /// Why Kubernetes would reject it.
        reason: String,
    },
    /// Inconsistent web server TLS settings (`spec.web.tlsConfig`).
    #[error("invalid web TLS configuration: {0}")]
    WebTls(String),
    /// Inconsistent Alertmanager cluster TLS settings (`spec.clusterTLS`).
    #[error("failed to create the cluster TLS configuration: {0}")]
    ClusterTls(String),
    /// A user container that cannot be merged into the operator's container of the same name.
    #[error("failed to merge containers spec: container {container}: {reason}")]
    Merge {
        /// Name of the container.
        container: String,
        /// What failed.
        reason: String,
    },
    /// `spec.mode: DaemonSet` without the `PrometheusAgentDaemonSet` feature gate.
    #[error("{}", crate::operator::DAEMON_SET_GATE_DISABLED)]
    DaemonSetGate,
}

/// The workload of one StatefulSet or DaemonSet, for callers that handle both.
#[derive(Clone, Debug)]
pub enum Workload {
    /// A StatefulSet (Prometheus shard, agent shard, Alertmanager).
    StatefulSet(Box<StatefulSet>),
    /// A DaemonSet (agent in DaemonSet mode).
    DaemonSet(Box<DaemonSet>),
}

/// The instance `namespace/name` with `spec`, as each workload's tests write one.
#[cfg(test)]
pub(crate) fn instance_with_spec<T: serde::de::DeserializeOwned>(
    namespace: &str,
    name: &str,
    spec: serde_json::Value,
) -> T {
    serde_json::from_value(serde_json::json!({
        "metadata": {"name": name, "namespace": namespace},
        "spec": spec
    }))
    .unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operator::OperatorOptions;
    use serde_json::json;

    /// The names of the ports of `container` in `sts`.
    fn port_names(sts: &StatefulSet, container: &str) -> Vec<String> {
        let pod = sts.spec.as_ref().unwrap().template.spec.as_ref().unwrap();
        let main = pod.containers.iter().find(|c| c.name == container).unwrap();
        main.ports
            .iter()
            .flatten()
            .filter_map(|p| p.name.clone())
            .collect()
    }

    #[test]
    fn web_port_name_defaults_and_disappears_under_listen_local() {
        assert_eq!(web_port_name(None, false), Some("web"));
        assert_eq!(web_port_name(Some(""), false), Some("web"));
        assert_eq!(web_port_name(Some("http-web"), false), Some("http-web"));
        assert_eq!(web_port_name(Some("http-web"), true), None);
    }

    #[test]
    fn the_instance_names_the_port_the_generator_gives_its_main_container() {
        let (options, input) = (OperatorOptions::default(), WorkloadInput::default());
        let specs = [
            json!({}),
            json!({"portName": "http-web"}),
            json!({"portName": ""}),
            json!({"listenLocal": true, "portName": "http-web"}),
        ];
        for spec in specs {
            let p: Prometheus = instance_with_spec("monitoring", "k8s", spec.clone());
            let sts = prometheus_statefulset(&p, &options, &input).unwrap().object;
            let wanted: Vec<String> = Instance::Prometheus(&p)
                .web_port_name()
                .map(str::to_owned)
                .into_iter()
                .collect();
            assert_eq!(port_names(&sts, "prometheus"), wanted, "{spec}");

            let a: PrometheusAgent = instance_with_spec("monitoring", "a", spec.clone());
            let Workload::StatefulSet(sts) = agent_workload(&a, &options, &input).unwrap().object
            else {
                panic!("an agent is a StatefulSet by default");
            };
            let wanted: Vec<String> = Instance::Agent(&a)
                .web_port_name()
                .map(str::to_owned)
                .into_iter()
                .collect();
            assert_eq!(port_names(&sts, "prometheus"), wanted, "{spec}");

            let am: Alertmanager = instance_with_spec("monitoring", "main", spec.clone());
            let sts = alertmanager_statefulset(&am, &options, &input)
                .unwrap()
                .object;
            let web: Vec<String> = port_names(&sts, "alertmanager")
                .into_iter()
                .filter(|name| !name.starts_with("mesh-"))
                .collect();
            let wanted: Vec<String> = Instance::Alertmanager(&am)
                .web_port_name()
                .map(str::to_owned)
                .into_iter()
                .collect();
            assert_eq!(web, wanted, "{spec}");
        }
    }
}
