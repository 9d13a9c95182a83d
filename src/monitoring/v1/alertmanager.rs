//! `Alertmanager`: an Alertmanager deployment managed by the operator.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

crate::monitoring::custom_resource!(
    /// An Alertmanager cluster.
    Alertmanager, AlertmanagerSpec, "monitoring.coreos.com/v1", "alertmanagers"
);

/// The desired state of an Alertmanager cluster.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AlertmanagerSpec {
    /// Pod metadata (`podMetadata`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_metadata: Option<crate::monitoring::v1::common::EmbeddedObjectMetadata>,
    /// Image (`image`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// Image pull policy (`imagePullPolicy`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_pull_policy: Option<String>,
    /// Version (`version`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Tag (`tag`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    /// SHA (`sha`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha: Option<String>,
    /// Base image (`baseImage`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_image: Option<String>,
    /// Image pull secrets (`imagePullSecrets`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub image_pull_secrets: Vec<k8s_openapi::api::core::v1::LocalObjectReference>,
    /// Secrets (`secrets`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub secrets: Vec<String>,
    /// Config maps (`configMaps`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub config_maps: Vec<String>,
    /// Config secret (`configSecret`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_secret: Option<String>,
    /// Log level (`logLevel`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_level: Option<String>,
    /// Log format (`logFormat`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_format: Option<String>,
    /// Replicas (`replicas`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replicas: Option<i32>,
    /// Retention (`retention`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention: Option<String>,
    /// Storage (`storage`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage: Option<crate::monitoring::v1::prometheus::StorageSpec>,
    /// Volumes (`volumes`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub volumes: Vec<k8s_openapi::api::core::v1::Volume>,
    /// Volume mounts (`volumeMounts`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub volume_mounts: Vec<k8s_openapi::api::core::v1::VolumeMount>,
    /// Persistent volume claim retention policy (`persistentVolumeClaimRetentionPolicy`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub persistent_volume_claim_retention_policy:
        Option<k8s_openapi::api::apps::v1::StatefulSetPersistentVolumeClaimRetentionPolicy>,
    /// External URL (`externalUrl`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_url: Option<String>,
    /// Route prefix (`routePrefix`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route_prefix: Option<String>,
    /// Paused (`paused`).
    #[serde(
        default,
        deserialize_with = "crate::monitoring::de::bool",
        skip_serializing_if = "std::ops::Not::not"
    )]
    pub paused: bool,
    /// Node selector (`nodeSelector`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub node_selector: BTreeMap<String, String>,
    /// Scheduler name (`schedulerName`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduler_name: Option<String>,
    /// Resources (`resources`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<k8s_openapi::api::core::v1::ResourceRequirements>,
    /// Affinity (`affinity`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affinity: Option<k8s_openapi::api::core::v1::Affinity>,
    /// Tolerations (`tolerations`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tolerations: Vec<k8s_openapi::api::core::v1::Toleration>,
    /// Topology spread constraints (`topologySpreadConstraints`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub topology_spread_constraints: Vec<k8s_openapi::api::core::v1::TopologySpreadConstraint>,
    /// Security context (`securityContext`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_context: Option<k8s_openapi::api::core::v1::PodSecurityContext>,
    /// DNS policy (`dnsPolicy`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dns_policy: Option<String>,
    /// DNS config (`dnsConfig`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dns_config: Option<crate::monitoring::v1::common::PodDNSConfig>,
    /// Enable service links (`enableServiceLinks`).
    #[serde(
        default,
        deserialize_with = "crate::monitoring::de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub enable_service_links: Option<bool>,
    /// Service name (`serviceName`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_name: Option<String>,
    /// Service account name (`serviceAccountName`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_account_name: Option<String>,
    /// Listen local (`listenLocal`).
    #[serde(
        default,
        deserialize_with = "crate::monitoring::de::bool",
        skip_serializing_if = "std::ops::Not::not"
    )]
    pub listen_local: bool,
    /// Pod management policy (`podManagementPolicy`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_management_policy: Option<String>,
    /// Update strategy (`updateStrategy`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update_strategy: Option<crate::monitoring::v1::common::StatefulSetUpdateStrategy>,
    /// Containers (`containers`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub containers: Vec<k8s_openapi::api::core::v1::Container>,
    /// Init containers (`initContainers`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub init_containers: Vec<k8s_openapi::api::core::v1::Container>,
    /// Priority class name (`priorityClassName`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority_class_name: Option<String>,
    /// Additional peers (`additionalPeers`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub additional_peers: Vec<String>,
    /// Cluster advertise address (`clusterAdvertiseAddress`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_advertise_address: Option<String>,
    /// Cluster gossip interval (`clusterGossipInterval`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_gossip_interval: Option<String>,
    /// Cluster label (`clusterLabel`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_label: Option<String>,
    /// Cluster pushpull interval (`clusterPushpullInterval`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_pushpull_interval: Option<String>,
    /// Cluster peer timeout (`clusterPeerTimeout`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_peer_timeout: Option<String>,
    /// Port name (`portName`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port_name: Option<String>,
    /// Force enable cluster mode (`forceEnableClusterMode`).
    #[serde(
        default,
        deserialize_with = "crate::monitoring::de::bool",
        skip_serializing_if = "std::ops::Not::not"
    )]
    pub force_enable_cluster_mode: bool,
    /// Alertmanager config selector (`alertmanagerConfigSelector`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alertmanager_config_selector:
        Option<k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector>,
    /// Alertmanager config namespace selector (`alertmanagerConfigNamespaceSelector`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alertmanager_config_namespace_selector:
        Option<k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector>,
    /// Alertmanager config matcher strategy (`alertmanagerConfigMatcherStrategy`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alertmanager_config_matcher_strategy: Option<AlertmanagerConfigMatcherStrategy>,
    /// Min ready seconds (`minReadySeconds`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_ready_seconds: Option<i32>,
    /// Host aliases (`hostAliases`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub host_aliases: Vec<crate::monitoring::v1::common::HostAlias>,
    /// Host network (`hostNetwork`).
    #[serde(
        default,
        deserialize_with = "crate::monitoring::de::bool",
        skip_serializing_if = "std::ops::Not::not"
    )]
    pub host_network: bool,
    /// Web (`web`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub web: Option<AlertmanagerWebSpec>,
    /// Limits (`limits`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limits: Option<AlertmanagerLimitsSpec>,
    /// Cluster TLS (`clusterTLS`).
    #[serde(
        rename = "clusterTLS",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub cluster_tls: Option<ClusterTLSConfig>,
    /// Alertmanager configuration (`alertmanagerConfiguration`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alertmanager_configuration: Option<AlertmanagerConfiguration>,
    /// Automount service account token (`automountServiceAccountToken`).
    #[serde(
        default,
        deserialize_with = "crate::monitoring::de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub automount_service_account_token: Option<bool>,
    /// Enable features (`enableFeatures`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub enable_features: Vec<String>,
    /// Additional args (`additionalArgs`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub additional_args: Vec<crate::monitoring::v1::common::Argument>,
    /// Termination grace period seconds (`terminationGracePeriodSeconds`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub termination_grace_period_seconds: Option<i64>,
    /// Host users (`hostUsers`).
    #[serde(
        default,
        deserialize_with = "crate::monitoring::de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub host_users: Option<bool>,
}

/// How AlertmanagerConfig routes are scoped by namespace.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AlertmanagerConfigMatcherStrategy {
    /// Type (`type`).
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub type_: Option<String>,
}

/// The global configuration, taken from an AlertmanagerConfig object.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AlertmanagerConfiguration {
    /// Name (`name`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Global (`global`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub global: Option<AlertmanagerGlobalConfig>,
    /// Templates (`templates`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub templates: Vec<crate::monitoring::v1::common::SecretOrConfigMap>,
}

/// Global Alertmanager settings.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AlertmanagerGlobalConfig {
    /// SMTP config (`smtp`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub smtp: Option<GlobalSMTPConfig>,
    /// Resolve timeout (`resolveTimeout`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolve_timeout: Option<String>,
    /// HTTP config with proxy (`httpConfig`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_config: Option<crate::monitoring::v1::common::HTTPConfigWithProxy>,
    /// Slack apiurl (`slackApiUrl`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slack_api_url: Option<k8s_openapi::api::core::v1::SecretKeySelector>,
    /// Ops genie apiurl (`opsGenieApiUrl`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ops_genie_api_url: Option<k8s_openapi::api::core::v1::SecretKeySelector>,
    /// Ops genie API key (`opsGenieApiKey`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ops_genie_api_key: Option<k8s_openapi::api::core::v1::SecretKeySelector>,
    /// Pagerduty URL (`pagerdutyUrl`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pagerduty_url: Option<String>,
    /// Telegram config (`telegram`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub telegram: Option<GlobalTelegramConfig>,
    /// Jira config (`jira`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jira: Option<GlobalJiraConfig>,
    /// Victor ops config (`victorops`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub victorops: Option<GlobalVictorOpsConfig>,
    /// Rocket chat config (`rocketChat`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rocket_chat: Option<GlobalRocketChatConfig>,
    /// Webex config (`webex`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webex: Option<GlobalWebexConfig>,
    /// We chat config (`wechat`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wechat: Option<GlobalWeChatConfig>,
    /// Mattermost config (`mattermost`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mattermost: Option<GlobalMattermostConfig>,
}

/// Web server settings of Alertmanager.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AlertmanagerWebSpec {
    /// TLS config (`tlsConfig`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_config: Option<crate::monitoring::v1::common::WebTLSConfig>,
    /// HTTP config (`httpConfig`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_config: Option<crate::monitoring::v1::common::WebHTTPConfig>,
    /// Get concurrency (`getConcurrency`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub get_concurrency: Option<u32>,
    /// Timeout (`timeout`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<u32>,
}

/// Limits on silences.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AlertmanagerLimitsSpec {
    /// Max silences (`maxSilences`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_silences: Option<i32>,
    /// Max per silence bytes (`maxPerSilenceBytes`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_per_silence_bytes: Option<String>,
}

/// Global SMTP settings.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GlobalSMTPConfig {
    /// From (`from`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Smart host (`smartHost`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub smart_host: Option<HostPort>,
    /// Hello (`hello`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hello: Option<String>,
    /// Auth username (`authUsername`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_username: Option<String>,
    /// Auth password (`authPassword`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_password: Option<k8s_openapi::api::core::v1::SecretKeySelector>,
    /// Auth identity (`authIdentity`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_identity: Option<String>,
    /// Auth secret (`authSecret`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_secret: Option<k8s_openapi::api::core::v1::SecretKeySelector>,
    /// Require TLS (`requireTLS`).
    #[serde(
        rename = "requireTLS",
        default,
        deserialize_with = "crate::monitoring::de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub require_tls: Option<bool>,
    /// TLS config (`tlsConfig`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_config: Option<crate::monitoring::v1::tls::SafeTLSConfig>,
    /// Force implicit TLS (`forceImplicitTLS`).
    #[serde(
        rename = "forceImplicitTLS",
        default,
        deserialize_with = "crate::monitoring::de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub force_implicit_tls: Option<bool>,
}

/// Global Telegram settings.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GlobalTelegramConfig {
    /// API URL (`apiURL`).
    #[serde(rename = "apiURL", default, skip_serializing_if = "Option::is_none")]
    pub api_url: Option<String>,
}

/// Global Jira settings.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GlobalJiraConfig {
    /// API URL (`apiURL`).
    #[serde(rename = "apiURL", default, skip_serializing_if = "Option::is_none")]
    pub api_url: Option<String>,
}

/// Global Rocket.Chat settings.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GlobalRocketChatConfig {
    /// API URL (`apiURL`).
    #[serde(rename = "apiURL", default, skip_serializing_if = "Option::is_none")]
    pub api_url: Option<String>,
    /// Token (`token`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<k8s_openapi::api::core::v1::SecretKeySelector>,
    /// Token ID (`tokenID`).
    #[serde(rename = "tokenID", default, skip_serializing_if = "Option::is_none")]
    pub token_id: Option<k8s_openapi::api::core::v1::SecretKeySelector>,
}

/// Global Webex settings.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GlobalWebexConfig {
    /// API URL (`apiURL`).
    #[serde(rename = "apiURL", default, skip_serializing_if = "Option::is_none")]
    pub api_url: Option<String>,
}

/// Global WeChat settings.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GlobalWeChatConfig {
    /// API URL (`apiURL`).
    #[serde(rename = "apiURL", default, skip_serializing_if = "Option::is_none")]
    pub api_url: Option<String>,
    /// API secret (`apiSecret`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_secret: Option<k8s_openapi::api::core::v1::SecretKeySelector>,
    /// API corp ID (`apiCorpID`).
    #[serde(rename = "apiCorpID", default, skip_serializing_if = "Option::is_none")]
    pub api_corp_id: Option<String>,
}

/// Global VictorOps settings.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GlobalVictorOpsConfig {
    /// API URL (`apiURL`).
    #[serde(rename = "apiURL", default, skip_serializing_if = "Option::is_none")]
    pub api_url: Option<String>,
    /// API key (`apiKey`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_key: Option<k8s_openapi::api::core::v1::SecretKeySelector>,
}

/// Global Mattermost settings.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GlobalMattermostConfig {
    /// Webhook URL (`webhookURL`).
    #[serde(
        rename = "webhookURL",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub webhook_url: Option<k8s_openapi::api::core::v1::SecretKeySelector>,
}

/// A host and a port.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HostPort {
    /// Host (`host`).
    #[serde(default)]
    pub host: String,
    /// Port (`port`).
    #[serde(default)]
    pub port: String,
}

/// Mutual TLS between Alertmanager cluster peers.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClusterTLSConfig {
    /// Server TLS (`server`).
    #[serde(default)]
    pub server: crate::monitoring::v1::common::WebTLSConfig,
    /// Client TLS (`client`).
    #[serde(default)]
    pub client: crate::monitoring::v1::tls::SafeTLSConfig,
}
