//! `PodMonitor`: scrape targets discovered through Pods (upstream `podmonitor_types.go`).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::SecretKeySelector;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use serde::{Deserialize, Serialize};

use super::common::{
    AttachMetadata, BasicAuth, ByteSize, Duration, NamespaceSelector, NativeHistogramConfig,
    OAuth2, ProxyConfig, RelabelConfig, SafeAuthorization, Scheme, ScrapeProtocol,
};
use super::tls::SafeTLSConfig;

crate::monitoring::custom_resource!(
    /// Declares how to scrape a set of Pods.
    PodMonitor, PodMonitorSpec, "monitoring.coreos.com/v1", "podmonitors"
);

/// The desired state of a PodMonitor.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PodMonitorSpec {
    /// Pod label whose value becomes the `job` label.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub job_label: String,
    /// Pod labels copied onto targets.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pod_target_labels: Vec<String>,
    /// Endpoints to scrape; each becomes one scrape job.
    #[serde(default, deserialize_with = "crate::monitoring::de::compact_vec")]
    pub pod_metrics_endpoints: Vec<PodMetricsEndpoint>,
    /// Selects the Pods.
    #[serde(default)]
    pub selector: LabelSelector,
    /// `RelabelConfig` (default) or `RoleSelector`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selector_mechanism: Option<String>,
    /// Namespaces the Pods are looked up in.
    #[serde(default)]
    pub namespace_selector: NamespaceSelector,
    /// Per-scrape sample limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sample_limit: Option<i64>,
    /// Scrape protocols to negotiate.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scrape_protocols: Vec<ScrapeProtocol>,
    /// Protocol used when the content type is unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fallback_scrape_protocol: Option<ScrapeProtocol>,
    /// Target limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_limit: Option<i64>,
    /// Label count limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_limit: Option<i64>,
    /// Label name length limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_name_length_limit: Option<i64>,
    /// Label value length limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_value_length_limit: Option<i64>,
    /// `scrape_native_histograms` (inlined NativeHistogramConfig).
    #[serde(
        default,
        deserialize_with = "crate::monitoring::de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub scrape_native_histograms: Option<bool>,
    /// Keep classic histograms alongside native ones.
    #[serde(
        default,
        deserialize_with = "crate::monitoring::de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub scrape_classic_histograms: Option<bool>,
    /// Native histogram bucket limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub native_histogram_bucket_limit: Option<i64>,
    /// Native histogram minimum bucket growth factor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub native_histogram_min_bucket_factor:
        Option<k8s_openapi::apimachinery::pkg::api::resource::Quantity>,
    /// Convert classic histograms to native histograms with custom buckets.
    #[serde(
        default,
        rename = "convertClassicHistogramsToNHCB",
        deserialize_with = "crate::monitoring::de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub convert_classic_histograms_to_nhcb: Option<bool>,
    /// Dropped targets kept in memory.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keep_dropped_targets: Option<i64>,
    /// Metadata attached to discovered targets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attach_metadata: Option<AttachMetadata>,
    /// Scrape class to apply.
    #[serde(
        default,
        rename = "scrapeClass",
        skip_serializing_if = "Option::is_none"
    )]
    pub scrape_class_name: Option<String>,
    /// Maximum uncompressed response body size.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_size_limit: Option<ByteSize>,
}

impl PodMonitorSpec {
    /// The inlined native histogram settings.
    pub fn native_histogram_config(&self) -> NativeHistogramConfig {
        NativeHistogramConfig {
            scrape_native_histograms: self.scrape_native_histograms,
            scrape_classic_histograms: self.scrape_classic_histograms,
            native_histogram_bucket_limit: self.native_histogram_bucket_limit,
            native_histogram_min_bucket_factor: self.native_histogram_min_bucket_factor.clone(),
            convert_classic_histograms_to_nhcb: self.convert_classic_histograms_to_nhcb,
        }
    }
}

/// A scrape endpoint of a PodMonitor.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PodMetricsEndpoint {
    /// Name of the container port.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<String>,
    /// Number of the container port.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port_number: Option<i32>,
    /// Deprecated: name or number of the container port.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_port: Option<IntOrString>,
    /// HTTP path to scrape.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub path: String,
    /// HTTP scheme.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheme: Option<Scheme>,
    /// URL parameters.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub params: BTreeMap<String, Vec<String>>,
    /// Scrape interval.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub interval: Duration,
    /// Scrape timeout.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub scrape_timeout: Duration,
    /// `honor_labels`.
    #[serde(default, deserialize_with = "crate::monitoring::de::bool")]
    pub honor_labels: bool,
    /// `honor_timestamps`.
    #[serde(
        default,
        deserialize_with = "crate::monitoring::de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub honor_timestamps: Option<bool>,
    /// `track_timestamps_staleness`.
    #[serde(
        default,
        deserialize_with = "crate::monitoring::de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub track_timestamps_staleness: Option<bool>,
    /// Relabelings applied to samples.
    #[serde(
        default,
        rename = "metricRelabelings",
        deserialize_with = "crate::monitoring::de::compact_vec",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub metric_relabel_configs: Vec<RelabelConfig>,
    /// Relabelings applied to targets.
    #[serde(
        default,
        rename = "relabelings",
        deserialize_with = "crate::monitoring::de::compact_vec",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub relabel_configs: Vec<RelabelConfig>,
    /// Drop targets of Pods that are not running (default true).
    #[serde(
        default,
        deserialize_with = "crate::monitoring::de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub filter_running: Option<bool>,
    /// Authorization header.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization: Option<SafeAuthorization>,
    /// Basic authentication.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basic_auth: Option<BasicAuth>,
    /// OAuth2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oauth2: Option<Box<OAuth2>>,
    /// Bearer token read from a Secret (deprecated).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bearer_token_secret: Option<SecretKeySelector>,
    /// `follow_redirects`.
    #[serde(
        default,
        deserialize_with = "crate::monitoring::de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub follow_redirects: Option<bool>,
    /// `enable_http2`.
    #[serde(
        default,
        rename = "enableHttp2",
        deserialize_with = "crate::monitoring::de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub enable_http2: Option<bool>,
    /// TLS settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_config: Option<Box<SafeTLSConfig>>,
    /// `proxy_url`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy_url: Option<String>,
    /// `no_proxy`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_proxy: Option<String>,
    /// `proxy_from_environment`.
    #[serde(
        default,
        deserialize_with = "crate::monitoring::de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub proxy_from_environment: Option<bool>,
    /// `proxy_connect_header`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub proxy_connect_header: BTreeMap<String, Vec<SecretKeySelector>>,
}

impl PodMetricsEndpoint {
    /// The inlined proxy fields as a [`ProxyConfig`].
    pub fn proxy_config(&self) -> ProxyConfig {
        ProxyConfig {
            proxy_url: self.proxy_url.clone(),
            no_proxy: self.no_proxy.clone(),
            proxy_from_environment: self.proxy_from_environment,
            proxy_connect_header: self.proxy_connect_header.clone(),
        }
    }
}
