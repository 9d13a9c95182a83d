//! `PrometheusAgent` (upstream `prometheusagent_types.go`): a Prometheus running in agent mode,
//! sharing most of its spec with `Prometheus`.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::StatefulSetPersistentVolumeClaimRetentionPolicy;
use k8s_openapi::api::core::v1::{
    Affinity, Container, LocalObjectReference, PodSecurityContext, ResourceRequirements,
    SecretKeySelector, Toleration, Volume, VolumeMount,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use serde::{Deserialize, Serialize};

use crate::monitoring::v1::common::{
    ArbitraryFSAccessThroughSMsConfig, Argument, EmbeddedObjectMetadata, HostAlias,
    ObjectReference, PodDNSConfig, ScrapeClass, StatefulSetUpdateStrategy, TracingConfig,
};
use crate::monitoring::v1::prometheus::{
    APIServerConfig, OTLPConfig, PrometheusWebSpec, RemoteWriteSpec, RuntimeConfig,
    ShardingStrategy, StorageSpec, TSDBSpec, TopologySpreadConstraint,
};

crate::monitoring::custom_resource!(
    /// A Prometheus in agent mode managed by the operator.
    PrometheusAgent, PrometheusAgentSpec, "monitoring.coreos.com/v1alpha1", "prometheusagents"
);

crate::monitoring::v1::prometheus::with_common_prometheus_fields! {
    /// The desired state of a `PrometheusAgent`; the fields it shares with `Prometheus` are in
    /// `common` (inline in the CRD).
    #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct PrometheusAgentSpec {
        /// Deployment mode (`StatefulSet` or `DaemonSet`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub mode: Option<String>,
    }
}

impl PrometheusAgentSpec {
    /// Whether the agent runs as a DaemonSet (`mode: DaemonSet`), one pod per node scraping its
    /// own node's targets, instead of sharded StatefulSets.
    pub fn daemon_set_mode(&self) -> bool {
        self.mode.as_deref() == Some("DaemonSet")
    }
}
