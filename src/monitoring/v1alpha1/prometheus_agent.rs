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
    APIServerConfig, CommonPrometheusFields, OTLPConfig, PrometheusWebSpec, RemoteWriteSpec,
    RuntimeConfig, ShardingStrategy, StorageSpec, TSDBSpec, TopologySpreadConstraint,
};

crate::monitoring::custom_resource!(
    /// A Prometheus in agent mode managed by the operator.
    PrometheusAgent, PrometheusAgentSpec, "monitoring.coreos.com/v1alpha1", "prometheusagents"
);

/// The desired state of a `PrometheusAgent`; the common fields are inlined as in the CRD.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PrometheusAgentSpec {
    /// Deployment mode (`StatefulSet` or `DaemonSet`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    /// Pod metadata.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_metadata: Option<EmbeddedObjectMetadata>,
    /// Service monitor selector.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_monitor_selector: Option<LabelSelector>,
    /// Service monitor namespace selector.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_monitor_namespace_selector: Option<LabelSelector>,
    /// Pod monitor selector.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_monitor_selector: Option<LabelSelector>,
    /// Pod monitor namespace selector.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_monitor_namespace_selector: Option<LabelSelector>,
    /// Probe selector.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probe_selector: Option<LabelSelector>,
    /// Probe namespace selector.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probe_namespace_selector: Option<LabelSelector>,
    /// Scrape config selector.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scrape_config_selector: Option<LabelSelector>,
    /// Scrape config namespace selector.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scrape_config_namespace_selector: Option<LabelSelector>,
    /// Prometheus version to run (defaults to the operator's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Paused.
    #[serde(
        default,
        deserialize_with = "crate::monitoring::de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub paused: Option<bool>,
    /// Container image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// Image pull policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_pull_policy: Option<String>,
    /// Image pull secrets.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub image_pull_secrets: Vec<LocalObjectReference>,
    /// Replicas per shard.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replicas: Option<i32>,
    /// Number of shards targets are spread over.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shards: Option<i32>,
    /// Sharding strategy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sharding_strategy: Option<ShardingStrategy>,
    /// Replica external label name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replica_external_label_name: Option<String>,
    /// Prometheus external label name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prometheus_external_label_name: Option<String>,
    /// Log level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_level: Option<String>,
    /// Log format.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_format: Option<String>,
    /// Scrape interval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scrape_interval: Option<String>,
    /// Scrape timeout.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scrape_timeout: Option<String>,
    /// Scrape protocols.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scrape_protocols: Vec<String>,
    /// Labels added to series and alerts sent outside.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub external_labels: BTreeMap<String, String>,
    /// Enable remote write receiver.
    #[serde(
        default,
        deserialize_with = "crate::monitoring::de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub enable_remote_write_receiver: Option<bool>,
    /// Enable otlp receiver.
    #[serde(
        default,
        deserialize_with = "crate::monitoring::de::opt_bool",
        skip_serializing_if = "Option::is_none",
        rename = "enableOTLPReceiver"
    )]
    pub enable_otlp_receiver: Option<bool>,
    /// Remote write receiver message versions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remote_write_receiver_message_versions: Vec<String>,
    /// Enable features.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub enable_features: Vec<String>,
    /// External url.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_url: Option<String>,
    /// Route prefix.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route_prefix: Option<String>,
    /// Storage used by Prometheus.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage: Option<StorageSpec>,
    /// Volumes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub volumes: Vec<Volume>,
    /// Volume mounts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub volume_mounts: Vec<VolumeMount>,
    /// Persistent volume claim retention policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub persistent_volume_claim_retention_policy:
        Option<StatefulSetPersistentVolumeClaimRetentionPolicy>,
    /// Web server settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub web: Option<PrometheusWebSpec>,
    /// Resources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<ResourceRequirements>,
    /// Node selector.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub node_selector: BTreeMap<String, String>,
    /// Scheduler name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduler_name: Option<String>,
    /// Service account name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_account_name: Option<String>,
    /// Automount service account token.
    #[serde(
        default,
        deserialize_with = "crate::monitoring::de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub automount_service_account_token: Option<bool>,
    /// Secrets mounted into the Prometheus pods.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub secrets: Vec<String>,
    /// ConfigMaps mounted into the Prometheus pods.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub config_maps: Vec<String>,
    /// Affinity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affinity: Option<Affinity>,
    /// Tolerations.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tolerations: Vec<Toleration>,
    /// Topology spread constraints.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub topology_spread_constraints: Vec<TopologySpreadConstraint>,
    /// Remote-write endpoints.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remote_write: Vec<RemoteWriteSpec>,
    /// Settings of the OTLP receiver.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub otlp: Option<OTLPConfig>,
    /// Security context.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_context: Option<PodSecurityContext>,
    /// Dns policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dns_policy: Option<String>,
    /// Dns config.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dns_config: Option<PodDNSConfig>,
    /// Listen local.
    #[serde(
        default,
        deserialize_with = "crate::monitoring::de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub listen_local: Option<bool>,
    /// Pod management policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_management_policy: Option<String>,
    /// Update strategy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update_strategy: Option<StatefulSetUpdateStrategy>,
    /// Enable service links.
    #[serde(
        default,
        deserialize_with = "crate::monitoring::de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub enable_service_links: Option<bool>,
    /// Containers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub containers: Vec<Container>,
    /// Init containers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub init_containers: Vec<Container>,
    /// Additional scrape configs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub additional_scrape_configs: Option<SecretKeySelector>,
    /// How Prometheus reaches the Kubernetes API server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub apiserver_config: Option<APIServerConfig>,
    /// Priority class name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority_class_name: Option<String>,
    /// Port name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port_name: Option<String>,
    /// Arbitrary fs access through s ms.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        rename = "arbitraryFSAccessThroughSMs"
    )]
    pub arbitrary_fs_access_through_s_ms: Option<ArbitraryFSAccessThroughSMsConfig>,
    /// Override honor labels.
    #[serde(
        default,
        deserialize_with = "crate::monitoring::de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub override_honor_labels: Option<bool>,
    /// Override honor timestamps.
    #[serde(
        default,
        deserialize_with = "crate::monitoring::de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub override_honor_timestamps: Option<bool>,
    /// Ignore namespace selectors.
    #[serde(
        default,
        deserialize_with = "crate::monitoring::de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub ignore_namespace_selectors: Option<bool>,
    /// Enforced namespace label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enforced_namespace_label: Option<String>,
    /// Enforced sample limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enforced_sample_limit: Option<i64>,
    /// Enforced target limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enforced_target_limit: Option<i64>,
    /// Enforced label limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enforced_label_limit: Option<i64>,
    /// Enforced label name length limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enforced_label_name_length_limit: Option<i64>,
    /// Enforced label value length limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enforced_label_value_length_limit: Option<i64>,
    /// Enforced keep dropped targets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enforced_keep_dropped_targets: Option<i64>,
    /// Upper bound on the scrape body size of every job.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enforced_body_size_limit: Option<String>,
    /// Name validation scheme.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_validation_scheme: Option<String>,
    /// Name escaping scheme.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_escaping_scheme: Option<String>,
    /// Convert classic histograms to nhcb.
    #[serde(
        default,
        deserialize_with = "crate::monitoring::de::opt_bool",
        skip_serializing_if = "Option::is_none",
        rename = "convertClassicHistogramsToNHCB"
    )]
    pub convert_classic_histograms_to_nhcb: Option<bool>,
    /// Scrape native histograms.
    #[serde(
        default,
        deserialize_with = "crate::monitoring::de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub scrape_native_histograms: Option<bool>,
    /// Scrape classic histograms.
    #[serde(
        default,
        deserialize_with = "crate::monitoring::de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub scrape_classic_histograms: Option<bool>,
    /// Min ready seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_ready_seconds: Option<i32>,
    /// Host aliases.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub host_aliases: Vec<HostAlias>,
    /// Additional args.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub additional_args: Vec<Argument>,
    /// Wal compression.
    #[serde(
        default,
        deserialize_with = "crate::monitoring::de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub wal_compression: Option<bool>,
    /// Excluded from enforcement.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub excluded_from_enforcement: Vec<ObjectReference>,
    /// Host network.
    #[serde(
        default,
        deserialize_with = "crate::monitoring::de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub host_network: Option<bool>,
    /// Pod target labels.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pod_target_labels: Vec<String>,
    /// Tracing config.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tracing_config: Option<TracingConfig>,
    /// Body size limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_size_limit: Option<String>,
    /// Sample limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sample_limit: Option<i64>,
    /// Target limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_limit: Option<i64>,
    /// Label limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_limit: Option<i64>,
    /// Label name length limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_name_length_limit: Option<i64>,
    /// Label value length limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_value_length_limit: Option<i64>,
    /// Keep dropped targets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keep_dropped_targets: Option<i64>,
    /// Reload strategy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reload_strategy: Option<String>,
    /// Maximum startup duration seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum_startup_duration_seconds: Option<i32>,
    /// Named sets of settings that monitors can refer to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scrape_classes: Vec<ScrapeClass>,
    /// Service discovery role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_discovery_role: Option<String>,
    /// TSDB settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tsdb: Option<TSDBSpec>,
    /// Scrape failure log file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scrape_failure_log_file: Option<String>,
    /// Service name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_name: Option<String>,
    /// Go runtime settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runtime: Option<RuntimeConfig>,
    /// Termination grace period seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub termination_grace_period_seconds: Option<i64>,
    /// Host users.
    #[serde(
        default,
        deserialize_with = "crate::monitoring::de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub host_users: Option<bool>,
}

impl PrometheusAgentSpec {
    /// The fields shared with `Prometheus`, as upstream's embedded `CommonPrometheusFields`.
    pub fn common_fields(&self) -> CommonPrometheusFields {
        CommonPrometheusFields {
            pod_metadata: self.pod_metadata.clone(),
            service_monitor_selector: self.service_monitor_selector.clone(),
            service_monitor_namespace_selector: self.service_monitor_namespace_selector.clone(),
            pod_monitor_selector: self.pod_monitor_selector.clone(),
            pod_monitor_namespace_selector: self.pod_monitor_namespace_selector.clone(),
            probe_selector: self.probe_selector.clone(),
            probe_namespace_selector: self.probe_namespace_selector.clone(),
            scrape_config_selector: self.scrape_config_selector.clone(),
            scrape_config_namespace_selector: self.scrape_config_namespace_selector.clone(),
            version: self.version.clone(),
            paused: self.paused,
            image: self.image.clone(),
            image_pull_policy: self.image_pull_policy.clone(),
            image_pull_secrets: self.image_pull_secrets.clone(),
            replicas: self.replicas,
            shards: self.shards,
            sharding_strategy: self.sharding_strategy.clone(),
            replica_external_label_name: self.replica_external_label_name.clone(),
            prometheus_external_label_name: self.prometheus_external_label_name.clone(),
            log_level: self.log_level.clone(),
            log_format: self.log_format.clone(),
            scrape_interval: self.scrape_interval.clone(),
            scrape_timeout: self.scrape_timeout.clone(),
            scrape_protocols: self.scrape_protocols.clone(),
            external_labels: self.external_labels.clone(),
            enable_remote_write_receiver: self.enable_remote_write_receiver,
            enable_otlp_receiver: self.enable_otlp_receiver,
            remote_write_receiver_message_versions: self
                .remote_write_receiver_message_versions
                .clone(),
            enable_features: self.enable_features.clone(),
            external_url: self.external_url.clone(),
            route_prefix: self.route_prefix.clone(),
            storage: self.storage.clone(),
            volumes: self.volumes.clone(),
            volume_mounts: self.volume_mounts.clone(),
            persistent_volume_claim_retention_policy: self
                .persistent_volume_claim_retention_policy
                .clone(),
            web: self.web.clone(),
            resources: self.resources.clone(),
            node_selector: self.node_selector.clone(),
            scheduler_name: self.scheduler_name.clone(),
            service_account_name: self.service_account_name.clone(),
            automount_service_account_token: self.automount_service_account_token,
            secrets: self.secrets.clone(),
            config_maps: self.config_maps.clone(),
            affinity: self.affinity.clone(),
            tolerations: self.tolerations.clone(),
            topology_spread_constraints: self.topology_spread_constraints.clone(),
            remote_write: self.remote_write.clone(),
            otlp: self.otlp.clone(),
            security_context: self.security_context.clone(),
            dns_policy: self.dns_policy.clone(),
            dns_config: self.dns_config.clone(),
            listen_local: self.listen_local,
            pod_management_policy: self.pod_management_policy.clone(),
            update_strategy: self.update_strategy.clone(),
            enable_service_links: self.enable_service_links,
            containers: self.containers.clone(),
            init_containers: self.init_containers.clone(),
            additional_scrape_configs: self.additional_scrape_configs.clone(),
            apiserver_config: self.apiserver_config.clone(),
            priority_class_name: self.priority_class_name.clone(),
            port_name: self.port_name.clone(),
            arbitrary_fs_access_through_s_ms: self.arbitrary_fs_access_through_s_ms.clone(),
            override_honor_labels: self.override_honor_labels,
            override_honor_timestamps: self.override_honor_timestamps,
            ignore_namespace_selectors: self.ignore_namespace_selectors,
            enforced_namespace_label: self.enforced_namespace_label.clone(),
            enforced_sample_limit: self.enforced_sample_limit,
            enforced_target_limit: self.enforced_target_limit,
            enforced_label_limit: self.enforced_label_limit,
            enforced_label_name_length_limit: self.enforced_label_name_length_limit,
            enforced_label_value_length_limit: self.enforced_label_value_length_limit,
            enforced_keep_dropped_targets: self.enforced_keep_dropped_targets,
            enforced_body_size_limit: self.enforced_body_size_limit.clone(),
            name_validation_scheme: self.name_validation_scheme.clone(),
            name_escaping_scheme: self.name_escaping_scheme.clone(),
            convert_classic_histograms_to_nhcb: self.convert_classic_histograms_to_nhcb,
            scrape_native_histograms: self.scrape_native_histograms,
            scrape_classic_histograms: self.scrape_classic_histograms,
            min_ready_seconds: self.min_ready_seconds,
            host_aliases: self.host_aliases.clone(),
            additional_args: self.additional_args.clone(),
            wal_compression: self.wal_compression,
            excluded_from_enforcement: self.excluded_from_enforcement.clone(),
            host_network: self.host_network,
            pod_target_labels: self.pod_target_labels.clone(),
            tracing_config: self.tracing_config.clone(),
            body_size_limit: self.body_size_limit.clone(),
            sample_limit: self.sample_limit,
            target_limit: self.target_limit,
            label_limit: self.label_limit,
            label_name_length_limit: self.label_name_length_limit,
            label_value_length_limit: self.label_value_length_limit,
            keep_dropped_targets: self.keep_dropped_targets,
            reload_strategy: self.reload_strategy.clone(),
            maximum_startup_duration_seconds: self.maximum_startup_duration_seconds,
            scrape_classes: self.scrape_classes.clone(),
            service_discovery_role: self.service_discovery_role.clone(),
            tsdb: self.tsdb.clone(),
            scrape_failure_log_file: self.scrape_failure_log_file.clone(),
            service_name: self.service_name.clone(),
            runtime: self.runtime.clone(),
            termination_grace_period_seconds: self.termination_grace_period_seconds,
            host_users: self.host_users,
        }
    }
}
