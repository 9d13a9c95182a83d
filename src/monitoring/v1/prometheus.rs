//! `Prometheus` (upstream `prometheus_types.go`): the spec, the fields it shares with
//! `PrometheusAgent`, and the sub-types only these two kinds use (remote write/read, alerting,
//! storage, TSDB, OTLP, runtime, query, rules, Thanos sidecar).

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::StatefulSetPersistentVolumeClaimRetentionPolicy;
use k8s_openapi::api::core::v1::{
    Affinity, Container, EmptyDirVolumeSource, EphemeralVolumeSource, LocalObjectReference,
    PodSecurityContext, ResourceRequirements, SecretKeySelector, Toleration, Volume, VolumeMount,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use serde::{Deserialize, Serialize};

use crate::monitoring::v1::common::{
    ArbitraryFSAccessThroughSMsConfig, Argument, Authorization, BasicAuth, EmbeddedObjectMetadata,
    EmbeddedPersistentVolumeClaim, HostAlias, OAuth2, ObjectReference, PodDNSConfig,
    PrometheusRuleExcludeConfig, RelabelConfig, SafeAuthorization, ScrapeClass, Sigv4,
    StatefulSetUpdateStrategy, TracingConfig, WebHTTPConfig, WebTLSConfig,
};
use crate::monitoring::v1::tls::{GRPCServerTLSConfig, TLSConfig};

crate::monitoring::custom_resource!(
    /// A Prometheus server managed by the operator.
    Prometheus, PrometheusSpec, "monitoring.coreos.com/v1", "prometheuses"
);

crate::monitoring::v1::prometheus::with_common_prometheus_fields! {
    /// The desired state of a `Prometheus`; the fields it shares with `PrometheusAgent` are in
    /// `common` (inline in the CRD).
    #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct PrometheusSpec {
        /// Base image.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub base_image: Option<String>,
        /// Tag.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub tag: Option<String>,
        /// Image digest (deprecated, use `image`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub sha: Option<String>,
        /// How long samples are kept.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub retention: Option<String>,
        /// Retention size.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub retention_size: Option<String>,
        /// Shard retention policy.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub shard_retention_policy: Option<ShardRetentionPolicy>,
        /// Disable compaction.
        #[serde(
            default,
            deserialize_with = "crate::monitoring::de::opt_bool",
            skip_serializing_if = "Option::is_none"
        )]
        pub disable_compaction: Option<bool>,
        /// Rule evaluation settings.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub rules: Option<Rules>,
        /// Prometheus rules excluded from enforce.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub prometheus_rules_excluded_from_enforce: Vec<PrometheusRuleExcludeConfig>,
        /// Rule selector.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub rule_selector: Option<LabelSelector>,
        /// Rule namespace selector.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub rule_namespace_selector: Option<LabelSelector>,
        /// Query engine settings.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub query: Option<QuerySpec>,
        /// Alertmanagers to send alerts to.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub alerting: Option<AlertingSpec>,
        /// Additional alert relabel configs.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub additional_alert_relabel_configs: Option<SecretKeySelector>,
        /// Additional alert manager configs.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub additional_alert_manager_configs: Option<SecretKeySelector>,
        /// Remote-read endpoints.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub remote_read: Vec<RemoteReadSpec>,
        /// Thanos sidecar settings.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub thanos: Option<ThanosSpec>,
        /// Query log file.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub query_log_file: Option<String>,
        /// Allow overlapping blocks.
        #[serde(
            default,
            deserialize_with = "crate::monitoring::de::opt_bool",
            skip_serializing_if = "Option::is_none"
        )]
        pub allow_overlapping_blocks: Option<bool>,
        /// Exemplar storage settings.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub exemplars: Option<Exemplars>,
        /// Evaluation interval.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub evaluation_interval: Option<String>,
        /// Rule query offset.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub rule_query_offset: Option<String>,
        /// Enable admin api.
        #[serde(
            default,
            deserialize_with = "crate::monitoring::de::opt_bool",
            skip_serializing_if = "Option::is_none",
            rename = "enableAdminAPI"
        )]
        pub enable_admin_api: Option<bool>,
    }
}

/// Go runtime settings of the Prometheus process.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RuntimeConfig {
    /// Go garbage collector target percentage (`GOGC`).
    #[serde(default, skip_serializing_if = "Option::is_none", rename = "goGC")]
    pub go_gc: Option<i32>,
}

/// A pod topology spread constraint, optionally extended with the shard/resource label selectors the operator adds.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TopologySpreadConstraint {
    /// Max skew.
    #[serde(default)]
    pub max_skew: i32,
    /// Topology key.
    #[serde(default)]
    pub topology_key: String,
    /// When unsatisfiable.
    #[serde(default)]
    pub when_unsatisfiable: String,
    /// Label selector.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_selector: Option<LabelSelector>,
    /// Min domains.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_domains: Option<i32>,
    /// Node affinity policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_affinity_policy: Option<String>,
    /// Node taints policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_taints_policy: Option<String>,
    /// Match label keys.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub match_label_keys: Vec<String>,
    /// Additional label selectors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub additional_label_selectors: Option<String>,
}

/// Declares `CommonPrometheusFields` (with `common`), or a spec that embeds it as upstream's Go
/// struct does: the spec holds the shared part in `common` and reads its fields through
/// `Deref`, as Go promotes an embedded struct's fields. The fields are listed once, here, the
/// scrape limits spliced in from their field group (`inline_fields!`). On the wire they stand
/// inline, as in the CRD: the spec is read through a flat twin, `spec_fields::Fields`
/// (generated, never written by hand), and its fields are moved into place;
/// `#[serde(flatten)]` on reading would hide unknown fields from the loader and lose the field
/// path of errors.
macro_rules! with_common_prometheus_fields {
    (common $(#[$meta:meta])* pub struct $name:ident {}) => {
        $crate::monitoring::v1::prometheus::with_common_prometheus_fields! {
            @fields common $(#[$meta])* pub struct $name {}
        }
    };
    ($(#[$meta:meta])* pub struct $name:ident { $($own:tt)* }) => {
        $crate::monitoring::v1::prometheus::with_common_prometheus_fields! {
            @fields spec $(#[$meta])* pub struct $name { $($own)* }
        }
    };
    (@fields $mode:ident $(#[$meta:meta])* pub struct $name:ident { $($own:tt)* }) => {
        $crate::monitoring::inline_fields! {
            @scrape_limit_fields [$crate::monitoring::v1::prometheus::with_common_prometheus_fields!]
            [@declare $mode $(#[$meta])* pub struct $name { $($own)* }] [
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
            ] [
                // The six scrape limits stand here.
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
            ]
        }
    };
    (@declare common $(#[$meta:meta])* pub struct $name:ident {}
        [ $( $(#[$field_meta:meta])* pub $field:ident : $ty:ty, )* ]) => {
        $(#[$meta])*
        pub struct $name {
            $( $(#[$field_meta])* pub $field: $ty, )*
        }
    };
    (@declare spec $(#[$meta:meta])* pub struct $name:ident {
        $( $(#[$own_meta:meta])* pub $own:ident : $own_ty:ty, )*
    } [ $( $(#[$field_meta:meta])* pub $field:ident : $ty:ty, )* ]) => {
        $(#[$meta])*
        #[serde(from = "spec_fields::Fields")]
        pub struct $name {
            /// The fields shared with the other Prometheus kind (upstream's embedded
            /// `CommonPrometheusFields`).
            #[serde(flatten)]
            pub common: $crate::monitoring::v1::prometheus::CommonPrometheusFields,
            $( $(#[$own_meta])* pub $own: $own_ty, )*
        }

        /// The spec as the CRD lays it out, every field inline.
        mod spec_fields {
            #[allow(clippy::wildcard_imports)]
            use super::*;

            #[derive(Deserialize)]
            #[serde(rename_all = "camelCase")]
            pub(super) struct Fields {
                $( $(#[$field_meta])* pub $field: $ty, )*
                $( $(#[$own_meta])* pub $own: $own_ty, )*
            }
        }

        impl From<spec_fields::Fields> for $name {
            fn from(fields: spec_fields::Fields) -> Self {
                $name {
                    common: $crate::monitoring::v1::prometheus::CommonPrometheusFields {
                        $( $field: fields.$field, )*
                    },
                    $( $own: fields.$own, )*
                }
            }
        }

        impl std::ops::Deref for $name {
            type Target = $crate::monitoring::v1::prometheus::CommonPrometheusFields;

            fn deref(&self) -> &Self::Target {
                &self.common
            }
        }

        impl std::ops::DerefMut for $name {
            fn deref_mut(&mut self) -> &mut Self::Target {
                &mut self.common
            }
        }

        impl $name {
            /// The fields shared by `Prometheus` and `PrometheusAgent`.
            pub fn common_fields(&self) -> &$crate::monitoring::v1::prometheus::CommonPrometheusFields {
                &self.common
            }
        }
    };
}
pub(crate) use with_common_prometheus_fields;

with_common_prometheus_fields! {
    common
    /// Fields shared by `Prometheus` and `PrometheusAgent` (upstream `CommonPrometheusFields`).
    #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct CommonPrometheusFields {}
}
crate::monitoring::inline_fields!(@accessor CommonPrometheusFields scrape_limits);

impl CommonPrometheusFields {
    /// The number of shards (upstream `shardsNumber`): unset or below 2 is 1.
    pub fn shard_count(&self) -> i32 {
        self.shards.filter(|s| *s > 1).unwrap_or(1)
    }

    /// The ServiceAccount the pods run as: `spec.serviceAccountName`, else `default`.
    pub fn service_account(&self) -> &str {
        self.service_account_name
            .as_deref()
            .filter(|n| !n.is_empty())
            .unwrap_or("default")
    }
}

/// How long the data of removed shards is kept.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RetainConfig {
    /// Retention period.
    #[serde(default)]
    pub retention_period: String,
}

/// What happens to shards removed by scaling down.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ShardRetentionPolicy {
    /// When scaled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when_scaled: Option<String>,
    /// Retention of data on shards removed by scaling down.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retain: Option<RetainConfig>,
}

/// Topology-aware sharding settings.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TopologyShardingStrategy {
    /// External label name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_label_name: Option<String>,
    /// Values.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
}

/// How targets are distributed across shards.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ShardingStrategy {
    /// Sharding mode (`Address` or `Topology`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    /// Topology.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topology: Option<TopologyShardingStrategy>,
}

/// Where alerts are sent.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AlertingSpec {
    /// Alertmanagers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alertmanagers: Vec<AlertmanagerEndpoints>,
}

/// Storage used by Prometheus.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StorageSpec {
    /// Disable mount sub path.
    #[serde(
        default,
        deserialize_with = "crate::monitoring::de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub disable_mount_sub_path: Option<bool>,
    /// Empty dir.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub empty_dir: Option<EmptyDirVolumeSource>,
    /// Ephemeral.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ephemeral: Option<EphemeralVolumeSource>,
    /// Volume claim template.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume_claim_template: Option<EmbeddedPersistentVolumeClaim>,
}

/// Query engine settings.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QuerySpec {
    /// Lookback delta.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lookback_delta: Option<String>,
    /// Max concurrency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_concurrency: Option<i32>,
    /// Max samples.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_samples: Option<i32>,
    /// Timeout.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<String>,
}

/// Web server settings of Prometheus.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PrometheusWebSpec {
    /// TLS settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_config: Option<WebTLSConfig>,
    /// Http config.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_config: Option<WebHTTPConfig>,
    /// Page title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_title: Option<String>,
    /// Max connections.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_connections: Option<i32>,
}

/// The Thanos sidecar.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ThanosSpec {
    /// Container image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// Prometheus version to run (defaults to the operator's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Tag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    /// Image digest (deprecated, use `image`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha: Option<String>,
    /// Base image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_image: Option<String>,
    /// Resources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<ResourceRequirements>,
    /// Object storage config.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object_storage_config: Option<SecretKeySelector>,
    /// Object storage config file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object_storage_config_file: Option<String>,
    /// Listen local.
    #[serde(
        default,
        deserialize_with = "crate::monitoring::de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub listen_local: Option<bool>,
    /// Grpc listen local.
    #[serde(
        default,
        deserialize_with = "crate::monitoring::de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub grpc_listen_local: Option<bool>,
    /// Http listen local.
    #[serde(
        default,
        deserialize_with = "crate::monitoring::de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub http_listen_local: Option<bool>,
    /// Tracing config.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tracing_config: Option<SecretKeySelector>,
    /// Tracing config file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tracing_config_file: Option<String>,
    /// Grpc server tls config.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grpc_server_tls_config: Option<GRPCServerTLSConfig>,
    /// Log level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_level: Option<String>,
    /// Log format.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_format: Option<String>,
    /// Earliest time of data the sidecar serves.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_time: Option<String>,
    /// Duration of a Thanos-uploaded TSDB block.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub block_size: Option<String>,
    /// Ready timeout.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ready_timeout: Option<String>,
    /// Get config interval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub get_config_interval: Option<String>,
    /// Get config timeout.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub get_config_timeout: Option<String>,
    /// Volume mounts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub volume_mounts: Vec<VolumeMount>,
    /// Additional args.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub additional_args: Vec<Argument>,
}

/// The credentials and TLS a remote write or read endpoint inlines, borrowed from it.
#[derive(Clone, Copy, Debug)]
pub struct RemoteClientAuth<'a> {
    /// `oauth2`.
    pub oauth2: Option<&'a OAuth2>,
    /// `basic_auth`.
    pub basic_auth: Option<&'a BasicAuth>,
    /// `bearer_token_file`.
    pub bearer_token_file: Option<&'a str>,
    /// `authorization`.
    pub authorization: Option<&'a Authorization>,
    /// `bearer_token`.
    pub bearer_token: Option<&'a str>,
    /// `tls_config`.
    pub tls_config: Option<&'a TLSConfig>,
}

crate::monitoring::inline_fields! {
    /// One remote-write endpoint.
    pub struct RemoteWriteSpec {
        /// Endpoint URL.
        #[serde(default)]
        pub url: String,
        /// Name of the endpoint, unique among remote writes.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub name: Option<String>,
        /// Message version.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub message_version: Option<String>,
        /// Send exemplars.
        #[serde(
            default,
            deserialize_with = "crate::monitoring::de::opt_bool",
            skip_serializing_if = "Option::is_none"
        )]
        pub send_exemplars: Option<bool>,
        /// Send native histograms.
        #[serde(
            default,
            deserialize_with = "crate::monitoring::de::opt_bool",
            skip_serializing_if = "Option::is_none"
        )]
        pub send_native_histograms: Option<bool>,
        /// Remote timeout.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub remote_timeout: Option<String>,
        /// Extra HTTP headers.
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        pub headers: BTreeMap<String, String>,
        /// Write relabel configs.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub write_relabel_configs: Vec<RelabelConfig>,
        ..remote_client_auth,
        /// Sigv4.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub sigv4: Option<Sigv4>,
        /// Azure ad.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub azure_ad: Option<AzureAD>,
        ..proxy,
        /// Follow redirects.
        #[serde(
            default,
            deserialize_with = "crate::monitoring::de::opt_bool",
            skip_serializing_if = "Option::is_none"
        )]
        pub follow_redirects: Option<bool>,
        /// Queue config.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub queue_config: Option<QueueConfig>,
        /// Metadata config.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub metadata_config: Option<MetadataConfig>,
        /// Enable http2.
        #[serde(
            default,
            deserialize_with = "crate::monitoring::de::opt_bool",
            skip_serializing_if = "Option::is_none",
            rename = "enableHTTP2"
        )]
        pub enable_http2: Option<bool>,
        /// Round robin dns.
        #[serde(
            default,
            deserialize_with = "crate::monitoring::de::opt_bool",
            skip_serializing_if = "Option::is_none",
            rename = "roundRobinDNS"
        )]
        pub round_robin_dns: Option<bool>,
    }
}

/// Remote-write queue tuning.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueueConfig {
    /// Capacity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<i64>,
    /// Min shards.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_shards: Option<i64>,
    /// Max shards.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_shards: Option<i64>,
    /// Max samples per send.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_samples_per_send: Option<i64>,
    /// Batch send deadline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch_send_deadline: Option<String>,
    /// Max retries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_retries: Option<i64>,
    /// Min backoff.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_backoff: Option<String>,
    /// Max backoff.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_backoff: Option<String>,
    /// Retry on rate limit.
    #[serde(
        default,
        deserialize_with = "crate::monitoring::de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub retry_on_rate_limit: Option<bool>,
    /// Samples older than this are dropped instead of sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sample_age_limit: Option<String>,
}

/// Azure AD authentication for remote write.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AzureAD {
    /// Azure cloud (`AzureChina`, `AzureGovernment`, `AzurePublic`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloud: Option<String>,
    /// Managed identity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub managed_identity: Option<ManagedIdentity>,
    /// Azure OAuth client credentials.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oauth: Option<AzureOAuth>,
    /// Azure SDK authentication.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sdk: Option<AzureSDK>,
    /// Workload identity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workload_identity: Option<AzureWorkloadIdentity>,
    /// Azure AD token scope.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
}

/// Azure AD OAuth client credentials.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AzureOAuth {
    /// Client ID.
    #[serde(default)]
    pub client_id: String,
    /// Secret holding the client secret.
    #[serde(default)]
    pub client_secret: SecretKeySelector,
    /// Tenant ID.
    #[serde(default)]
    pub tenant_id: String,
}

/// Azure managed identity.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ManagedIdentity {
    /// Client ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
}

/// Azure SDK default credential chain.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AzureSDK {
    /// Tenant ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant_id: Option<String>,
}

/// Azure workload identity.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AzureWorkloadIdentity {
    /// Client ID.
    #[serde(default)]
    pub client_id: String,
    /// Tenant ID.
    #[serde(default)]
    pub tenant_id: String,
}

crate::monitoring::inline_fields! {
    /// One remote-read endpoint.
    pub struct RemoteReadSpec {
        /// Endpoint URL.
        #[serde(default)]
        pub url: String,
        /// Name of the endpoint, unique among remote reads.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub name: Option<String>,
        /// Required matchers.
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        pub required_matchers: BTreeMap<String, String>,
        /// Remote timeout.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub remote_timeout: Option<String>,
        /// Extra HTTP headers.
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        pub headers: BTreeMap<String, String>,
        /// Read recent.
        #[serde(
            default,
            deserialize_with = "crate::monitoring::de::opt_bool",
            skip_serializing_if = "Option::is_none"
        )]
        pub read_recent: Option<bool>,
        ..remote_client_auth,
        ..proxy,
        /// Follow redirects.
        #[serde(
            default,
            deserialize_with = "crate::monitoring::de::opt_bool",
            skip_serializing_if = "Option::is_none"
        )]
        pub follow_redirects: Option<bool>,
        /// Filter external labels.
        #[serde(
            default,
            deserialize_with = "crate::monitoring::de::opt_bool",
            skip_serializing_if = "Option::is_none"
        )]
        pub filter_external_labels: Option<bool>,
    }
}

crate::monitoring::inline_fields! {
    /// How Prometheus reaches the Kubernetes API server.
    pub struct APIServerConfig {
        /// API server address (`host:port` or URL).
        #[serde(default)]
        pub host: String,
        /// Basic auth.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub basic_auth: Option<BasicAuth>,
        /// Bearer token file.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub bearer_token_file: Option<String>,
        /// TLS settings.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub tls_config: Option<TLSConfig>,
        /// Authorization.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub authorization: Option<Authorization>,
        /// Bearer token.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub bearer_token: Option<String>,
        ..proxy,
    }
}

crate::monitoring::inline_fields! {
    /// Alertmanagers discovered through a Service's endpoints.
    pub struct AlertmanagerEndpoints {
        /// Namespace of the Alertmanager Service (defaults to the Prometheus namespace).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub namespace: Option<String>,
        /// Name of the Alertmanager Service.
        #[serde(default)]
        pub name: String,
        /// Port of the Alertmanager Service: a name or a container port number.
        #[serde(default)]
        pub port: IntOrString,
        /// URL scheme (`http` or `https`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub scheme: Option<String>,
        /// Path prefix.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub path_prefix: Option<String>,
        /// TLS settings.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub tls_config: Option<TLSConfig>,
        /// Basic auth.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub basic_auth: Option<BasicAuth>,
        /// Bearer token file.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub bearer_token_file: Option<String>,
        /// Authorization.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub authorization: Option<SafeAuthorization>,
        /// Sigv4.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub sigv4: Option<Sigv4>,
        ..proxy,
        /// Alertmanager API version (`V1` or `V2`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub api_version: Option<String>,
        /// Timeout.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub timeout: Option<String>,
        /// Enable http2.
        #[serde(
            default,
            deserialize_with = "crate::monitoring::de::opt_bool",
            skip_serializing_if = "Option::is_none"
        )]
        pub enable_http2: Option<bool>,
        /// Relabeling applied to discovered Alertmanagers.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub relabelings: Vec<RelabelConfig>,
        /// Relabeling applied to alerts sent to this Alertmanager.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub alert_relabelings: Vec<RelabelConfig>,
    }
}

/// Rule evaluation settings.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Rules {
    /// Alerting rule settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alert: Option<RulesAlert>,
}

/// Alert rule settings.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RulesAlert {
    /// For outage tolerance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub for_outage_tolerance: Option<String>,
    /// For grace period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub for_grace_period: Option<String>,
    /// Resend delay.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resend_delay: Option<String>,
}

/// Series metadata sent with remote write.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MetadataConfig {
    /// Send.
    #[serde(
        default,
        deserialize_with = "crate::monitoring::de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub send: Option<bool>,
    /// Send interval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub send_interval: Option<String>,
    /// Max samples per send.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_samples_per_send: Option<i32>,
}

/// TSDB settings.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TSDBSpec {
    /// Out of order time window.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub out_of_order_time_window: Option<String>,
    /// Stale series compaction threshold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stale_series_compaction_threshold: Option<Quantity>,
    /// Chunk encoding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chunk_encoding: Option<ChunkEncodingSpec>,
}

/// TSDB chunk encodings.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChunkEncodingSpec {
    /// Encoding of float chunks (`Xor` or `Xor2`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub floats: Option<String>,
}

/// Exemplar storage settings.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Exemplars {
    /// Maximum number of exemplars kept in memory.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_size: Option<i64>,
}

/// OTLP receiver translation settings.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OTLPConfig {
    /// Promote all resource attributes.
    #[serde(
        default,
        deserialize_with = "crate::monitoring::de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub promote_all_resource_attributes: Option<bool>,
    /// Ignore resource attributes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignore_resource_attributes: Vec<String>,
    /// Promote resource attributes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub promote_resource_attributes: Vec<String>,
    /// Translation strategy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub translation_strategy: Option<String>,
    /// Keep identifying resource attributes.
    #[serde(
        default,
        deserialize_with = "crate::monitoring::de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub keep_identifying_resource_attributes: Option<bool>,
    /// Convert histograms to nhcb.
    #[serde(
        default,
        deserialize_with = "crate::monitoring::de::opt_bool",
        skip_serializing_if = "Option::is_none",
        rename = "convertHistogramsToNHCB"
    )]
    pub convert_histograms_to_nhcb: Option<bool>,
    /// Promote scope metadata.
    #[serde(
        default,
        deserialize_with = "crate::monitoring::de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub promote_scope_metadata: Option<bool>,
    /// Label name underscore sanitization.
    #[serde(
        default,
        deserialize_with = "crate::monitoring::de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub label_name_underscore_sanitization: Option<bool>,
    /// Label name preserve multiple underscores.
    #[serde(
        default,
        deserialize_with = "crate::monitoring::de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub label_name_preserve_multiple_underscores: Option<bool>,
}
