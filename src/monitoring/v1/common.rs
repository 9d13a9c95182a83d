//! Sub-types shared by several `monitoring.coreos.com/v1` kinds (upstream `types.go`,
//! `http_config.go`, `dns_types.go` and the shared parts of `prometheus_types.go`).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    PersistentVolumeClaimSpec, PersistentVolumeClaimStatus, SecretKeySelector,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use serde::{Deserialize, Serialize};

// Defined beside the TLS types that hold it; most users name it from here.
pub use super::tls::SecretOrConfigMap;
use super::tls::{SafeTLSConfig, TLSConfig};

/// A Prometheus duration such as `30s` or `1h30m` (upstream `Duration`).
pub type Duration = String;
/// A duration that must not be empty (upstream `NonEmptyDuration`).
pub type NonEmptyDuration = String;
/// A Go `time.Duration` string (upstream `GoDuration`).
pub type GoDuration = String;
/// A URL (upstream `URL`).
pub type URL = String;
/// A size such as `512MB` (upstream `ByteSize`).
pub type ByteSize = String;
/// A Prometheus label name (upstream `LabelName`).
pub type LabelName = String;
/// `HTTP` / `HTTPS` in any case (upstream `Scheme`).
pub type Scheme = String;
/// A scrape protocol such as `PrometheusProto` (upstream `ScrapeProtocol`).
pub type ScrapeProtocol = String;
/// TLS version name such as `TLS12` (upstream `TLSVersion`, re-exported from `tls`).
pub use super::tls::TLSVersion;

/// The discovery role names the operator uses.
pub mod role {
    /// `node` role.
    pub const NODE: &str = "node";
    /// `pod` role.
    pub const POD: &str = "pod";
    /// `service` role.
    pub const SERVICE: &str = "service";
    /// `endpoints` role.
    pub const ENDPOINT: &str = "endpoints";
    /// `endpointslice` role.
    pub const ENDPOINT_SLICE: &str = "endpointslice";
    /// `ingress` role.
    pub const INGRESS: &str = "ingress";
}

/// An `/etc/hosts` entry added to pods.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HostAlias {
    /// IP address of the host entry.
    #[serde(default)]
    pub ip: String,
    /// Host names for the IP.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hostnames: Vec<String>,
}

/// A rule excluded from namespace label enforcement.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PrometheusRuleExcludeConfig {
    /// Namespace of the excluded PrometheusRule.
    #[serde(default)]
    pub rule_namespace: String,
    /// Name of the excluded PrometheusRule.
    #[serde(default)]
    pub rule_name: String,
}

crate::monitoring::inline_fields! {
    /// HTTP proxy settings (inlined into several HTTP client configurations).
    pub struct ProxyConfig = ..proxy;
}

impl ProxyConfig {
    /// Whether no proxy field is set.
    pub fn is_empty(&self) -> bool {
        self == &ProxyConfig::default()
    }
}

/// A reference to a custom resource (group, resource, namespace, name).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectReference {
    /// API group; empty means `monitoring.coreos.com`.
    #[serde(default)]
    pub group: String,
    /// Plural resource name.
    #[serde(default)]
    pub resource: String,
    /// Namespace of the object.
    #[serde(default)]
    pub namespace: String,
    /// Name of the object; empty means all objects.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
}

impl ObjectReference {
    /// Whether this names the object `namespace/name` of `resource` (a plural of this API
    /// group): an empty group is this group, an empty name every object of the namespace, and
    /// an empty namespace names nothing.
    pub fn names(&self, resource: &str, namespace: &str, name: &str) -> bool {
        let group = if self.group.is_empty() {
            crate::monitoring::GROUP
        } else {
            self.group.as_str()
        };
        group == crate::monitoring::GROUP
            && self.resource == resource
            && !self.namespace.is_empty()
            && self.namespace == namespace
            && (self.name.is_empty() || self.name == name)
    }
}

/// Whether ServiceMonitors may read arbitrary files (bearer token / TLS files).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ArbitraryFSAccessThroughSMsConfig {
    /// Deny file access from ServiceMonitor endpoints.
    #[serde(default, deserialize_with = "crate::monitoring::de::bool")]
    pub deny: bool,
}

/// A status condition of a workload resource.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Condition {
    /// Condition type (`Available`, `Reconciled`, ...).
    #[serde(default, rename = "type")]
    pub type_: String,
    /// `True`, `False`, `Degraded` or `Unknown`.
    #[serde(default)]
    pub status: String,
    /// When the status last changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_transition_time: Option<Time>,
    /// Machine-readable reason.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
    /// Human-readable message.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub message: String,
    /// Generation the condition was computed for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_generation: Option<i64>,
}

/// A PersistentVolumeClaim template with reduced metadata.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EmbeddedPersistentVolumeClaim {
    /// `apiVersion` of the embedded object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    /// `kind` of the embedded object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Metadata of the claim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<EmbeddedObjectMetadata>,
    /// Claim spec.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spec: Option<PersistentVolumeClaimSpec>,
    /// Claim status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<PersistentVolumeClaimStatus>,
}

/// The subset of object metadata allowed in embedded templates.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EmbeddedObjectMetadata {
    /// Object name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Labels.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    /// Annotations.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
}

/// Fields of the web configuration file served by Prometheus / Alertmanager.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebConfigFileFields {
    /// TLS of the web server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_config: Option<WebTLSConfig>,
    /// HTTP settings of the web server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_config: Option<WebHTTPConfig>,
}

/// HTTP settings of the web server.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebHTTPConfig {
    /// Enable HTTP/2.
    #[serde(
        default,
        deserialize_with = "crate::monitoring::de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub http2: Option<bool>,
    /// Response headers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headers: Option<WebHTTPHeaders>,
}

/// Security headers the web server sets.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebHTTPHeaders {
    /// `Content-Security-Policy`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub content_security_policy: String,
    /// `X-Frame-Options`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub x_frame_options: String,
    /// `X-Content-Type-Options`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub x_content_type_options: String,
    /// `X-XSS-Protection`.
    #[serde(
        default,
        rename = "xXSSProtection",
        skip_serializing_if = "String::is_empty"
    )]
    pub x_xss_protection: String,
    /// `Strict-Transport-Security`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub strict_transport_security: String,
}

/// TLS of the web server.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebTLSConfig {
    /// Server certificate.
    #[serde(default)]
    pub cert: SecretOrConfigMap,
    /// Server certificate file path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cert_file: Option<String>,
    /// Server key.
    #[serde(default)]
    pub key_secret: SecretKeySelector,
    /// Server key file path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_file: Option<String>,
    /// Client CA.
    #[serde(default, rename = "client_ca")]
    pub client_ca: SecretOrConfigMap,
    /// Client CA file path.
    #[serde(
        default,
        rename = "clientCAFile",
        skip_serializing_if = "Option::is_none"
    )]
    pub client_ca_file: Option<String>,
    /// Client authentication policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_auth_type: Option<String>,
    /// Minimum TLS version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_version: Option<String>,
    /// Maximum TLS version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_version: Option<String>,
    /// Allowed cipher suites.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cipher_suites: Vec<String>,
    /// Prefer the server's cipher suites.
    #[serde(
        default,
        deserialize_with = "crate::monitoring::de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub prefer_server_cipher_suites: Option<bool>,
    /// Elliptic curves.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub curve_preferences: Vec<String>,
}

crate::monitoring::inline_fields! {
    /// A scrape endpoint of a ServiceMonitor.
    pub struct Endpoint {
        /// Name of the Service port.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        pub port: String,
        /// Name or number of the target port of the Pod.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub target_port: Option<IntOrString>,
        ..endpoint_scrape,
        /// Deprecated bearer token file path.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        pub bearer_token_file: String,
        ..http_config_without_tls(Box<OAuth2>),
        /// TLS settings, files allowed.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub tls_config: Option<Box<TLSConfig>>,
        ..proxy,
    }
}

/// Metadata attached to discovered targets.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AttachMetadata {
    /// Attach node metadata.
    #[serde(
        default,
        deserialize_with = "crate::monitoring::de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub node: Option<bool>,
}

crate::monitoring::inline_fields! {
    /// OAuth2 client-credentials settings.
    pub struct OAuth2 {
        /// Client ID.
        #[serde(default)]
        pub client_id: SecretOrConfigMap,
        /// Client secret.
        #[serde(default)]
        pub client_secret: SecretKeySelector,
        /// Token endpoint URL.
        #[serde(default, rename = "tokenUrl")]
        pub token_url: URL,
        /// Requested scopes.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub scopes: Vec<String>,
        /// Extra token request parameters.
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        pub endpoint_params: BTreeMap<String, String>,
        /// TLS for the token request.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub tls_config: Option<SafeTLSConfig>,
        ..proxy,
    }
}

/// Basic authentication credentials read from Secrets.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BasicAuth {
    /// User name.
    #[serde(default)]
    pub username: SecretKeySelector,
    /// Password.
    #[serde(default)]
    pub password: SecretKeySelector,
}

/// Which namespaces a monitor selects targets in.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NamespaceSelector {
    /// All namespaces.
    #[serde(default, deserialize_with = "crate::monitoring::de::bool")]
    pub any: bool,
    /// Explicit namespace names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub match_names: Vec<String>,
}

/// A command-line argument (`--name=value`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Argument {
    /// Flag name without dashes.
    #[serde(default)]
    pub name: String,
    /// Flag value.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub value: String,
}

crate::monitoring::inline_fields! {
    /// Native histogram settings (inlined into monitor specs).
    pub struct NativeHistogramConfig = ..native_histograms;
}

crate::monitoring::inline_fields! {
    /// The six per-job scrape limits (inlined into monitor specs), in the order they render.
    pub struct ScrapeLimits = ..scrape_limits;
}

/// What a monitor's job scrapes with, which ServiceMonitor, PodMonitor and Probe inline
/// alike, borrowed from the monitor.
#[derive(Clone, Debug)]
pub struct MonitorScrapeSettings<'a> {
    /// The six per-job limits.
    pub limits: ScrapeLimits,
    /// The native histogram settings.
    pub native_histograms: NativeHistogramConfig,
    /// Scrape protocols to negotiate.
    pub protocols: &'a [ScrapeProtocol],
    /// Protocol used when the content type is unknown.
    pub fallback_protocol: Option<&'a ScrapeProtocol>,
}

/// What a ServiceMonitor or PodMonitor spec selects and scrapes with, borrowed from it.
#[derive(Clone, Debug)]
pub struct MonitorSelection<'a> {
    /// Selects the Services or Pods.
    pub selector: &'a k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector,
    /// `RelabelConfig` (default) or `RoleSelector`.
    pub selector_mechanism: Option<&'a str>,
    /// Namespaces the Services or Pods are looked up in.
    pub namespace_selector: &'a NamespaceSelector,
    /// Limits, native histograms and protocols of every job.
    pub scrape_settings: MonitorScrapeSettings<'a>,
    /// Metadata attached to discovered targets.
    pub attach_metadata: Option<&'a AttachMetadata>,
    /// Scrape class to apply.
    pub scrape_class_name: Option<&'a str>,
    /// Maximum uncompressed response body size.
    pub body_size_limit: Option<&'a str>,
}

/// What a ServiceMonitor or PodMonitor endpoint scrapes, and how, borrowed from it.
#[derive(Clone, Copy, Debug)]
pub struct EndpointScrape<'a> {
    /// HTTP path to scrape.
    pub path: &'a str,
    /// HTTP scheme.
    pub scheme: Option<&'a Scheme>,
    /// URL parameters.
    pub params: &'a BTreeMap<String, Vec<String>>,
    /// Scrape interval.
    pub interval: &'a str,
    /// Scrape timeout.
    pub scrape_timeout: &'a str,
    /// `honor_labels`.
    pub honor_labels: bool,
    /// `honor_timestamps`.
    pub honor_timestamps: Option<bool>,
    /// `track_timestamps_staleness`.
    pub track_timestamps_staleness: Option<bool>,
    /// Relabelings applied to samples.
    pub metric_relabel_configs: &'a [RelabelConfig],
    /// Relabelings applied to targets.
    pub relabel_configs: &'a [RelabelConfig],
    /// Drop targets of Pods that are not running (default true).
    pub filter_running: Option<bool>,
}

/// The client authentication an HTTP client configuration inlines, borrowed from it.
#[derive(Clone, Copy, Debug, Default)]
pub struct ClientAuth<'a> {
    /// `basic_auth`.
    pub basic_auth: Option<&'a BasicAuth>,
    /// `authorization`.
    pub authorization: Option<&'a SafeAuthorization>,
    /// `oauth2`.
    pub oauth2: Option<&'a OAuth2>,
}

/// Status listing the workloads a configuration resource is bound to.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfigResourceStatus {
    /// Bindings to Prometheus-like workloads.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bindings: Vec<WorkloadBinding>,
}

/// A workload a configuration resource is bound to.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkloadBinding {
    /// API group of the workload.
    #[serde(default)]
    pub group: String,
    /// Resource of the workload.
    #[serde(default)]
    pub resource: String,
    /// Name of the workload.
    #[serde(default)]
    pub name: String,
    /// Namespace of the workload.
    #[serde(default)]
    pub namespace: String,
    /// Conditions of the binding.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<Condition>,
}

/// The StatefulSet update strategy.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatefulSetUpdateStrategy {
    /// `RollingUpdate` or `OnDelete`.
    #[serde(default, rename = "type")]
    pub type_: String,
    /// Rolling update parameters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rolling_update: Option<RollingUpdateStatefulSetStrategy>,
}

/// Rolling update parameters of a StatefulSet.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RollingUpdateStatefulSetStrategy {
    /// Maximum unavailable pods during an update.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_unavailable: Option<IntOrString>,
}

/// Tracing (OTLP) exporter settings.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TracingConfig {
    /// `grpc` or `http`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_type: Option<String>,
    /// Collector endpoint.
    #[serde(default)]
    pub endpoint: String,
    /// Sampling probability.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sampling_fraction: Option<Quantity>,
    /// Disable TLS.
    #[serde(
        default,
        deserialize_with = "crate::monitoring::de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub insecure: Option<bool>,
    /// Extra headers.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
    /// Compression algorithm.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compression: Option<String>,
    /// Export timeout.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<Duration>,
    /// TLS settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_config: Option<TLSConfig>,
}

crate::monitoring::inline_fields! {
    /// HTTP client settings with safe TLS and a proxy (upstream `HTTPConfigWithProxy`).
    pub struct HTTPConfigWithProxy {
        ..http_config_without_tls(OAuth2),
        /// TLS settings.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub tls_config: Option<SafeTLSConfig>,
        ..proxy,
    }
}

/// AWS Signature Version 4 signing settings.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Sigv4 {
    /// AWS region.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub region: String,
    /// Access key ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_key: Option<SecretKeySelector>,
    /// Secret access key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_key: Option<SecretKeySelector>,
    /// Named AWS profile.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub profile: String,
    /// Role ARN to assume.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub role_arn: String,
    /// External ID used when assuming the role.
    #[serde(
        default,
        rename = "externalId",
        skip_serializing_if = "String::is_empty"
    )]
    pub external_id: String,
    /// Use the FIPS STS endpoint.
    #[serde(
        default,
        rename = "useFIPSSTSEndpoint",
        deserialize_with = "crate::monitoring::de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub use_fips_sts_endpoint: Option<bool>,
}

/// A relabeling rule.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RelabelConfig {
    /// Source labels.
    #[serde(
        default,
        deserialize_with = "crate::monitoring::de::compact_vec",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub source_labels: Vec<LabelName>,
    /// Separator between concatenated source label values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub separator: Option<String>,
    /// Target label.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub target_label: String,
    /// Regular expression.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub regex: String,
    /// Modulus for `hashmod`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modulus: Option<i64>,
    /// Replacement value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replacement: Option<String>,
    /// Action (kept as written; validated separately).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub action: String,
}

/// An `Authorization` header read from a Secret.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SafeAuthorization {
    /// Authentication type; defaults to `Bearer`.
    #[serde(default, rename = "type", skip_serializing_if = "String::is_empty")]
    pub type_: String,
    /// Credentials.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credentials: Option<SecretKeySelector>,
}

/// An `Authorization` header read from a Secret or a file.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Authorization {
    /// Authentication type; defaults to `Bearer`.
    #[serde(default, rename = "type", skip_serializing_if = "String::is_empty")]
    pub type_: String,
    /// Credentials.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credentials: Option<SecretKeySelector>,
    /// File holding the credentials.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub credentials_file: String,
}

impl Authorization {
    /// The Secret-based part.
    pub fn safe(&self) -> SafeAuthorization {
        SafeAuthorization {
            type_: self.type_.clone(),
            credentials: self.credentials.clone(),
        }
    }
}

/// Settings applied to every monitor that selects this scrape class.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScrapeClass {
    /// Scrape class name.
    #[serde(default)]
    pub name: String,
    /// Whether this is the default scrape class.
    #[serde(
        default,
        deserialize_with = "crate::monitoring::de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub default: Option<bool>,
    /// Fallback scrape protocol.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fallback_scrape_protocol: Option<ScrapeProtocol>,
    /// Default TLS settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_config: Option<TLSConfig>,
    /// Default authorization.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization: Option<Authorization>,
    /// Relabelings prepended to the monitors' ones.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub relabelings: Vec<RelabelConfig>,
    /// Metric relabelings prepended to the monitors' ones.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub metric_relabelings: Vec<RelabelConfig>,
    /// Metadata attachment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attach_metadata: Option<AttachMetadata>,
}

/// Pod DNS settings.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PodDNSConfig {
    /// Name servers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nameservers: Vec<String>,
    /// Search domains.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub searches: Vec<String>,
    /// Resolver options.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<PodDNSConfigOption>,
}

/// A resolver option.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PodDNSConfigOption {
    /// Option name.
    #[serde(default)]
    pub name: String,
    /// Option value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// Pod DNS policy (`ClusterFirst`, `Default`, ...).
pub type DNSPolicy = String;
