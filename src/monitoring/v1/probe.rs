//! `Probe`: targets checked through a prober such as the blackbox exporter (upstream
//! `probe_types.go`).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::SecretKeySelector;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use serde::{Deserialize, Serialize};

use super::common::{
    BasicAuth, Duration, NamespaceSelector, NativeHistogramConfig, OAuth2, ProxyConfig,
    RelabelConfig, SafeAuthorization, Scheme, ScrapeProtocol,
};
use super::tls::SafeTLSConfig;

crate::monitoring::custom_resource!(
    /// Declares static or Ingress targets probed through a prober.
    Probe, ProbeSpec, "monitoring.coreos.com/v1", "probes"
);

/// The desired state of a Probe.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProbeSpec {
    /// Value of the `job` label.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub job_name: String,
    /// The prober to go through.
    #[serde(default, rename = "prober")]
    pub prober_spec: ProberSpec,
    /// Prober module (`params.module`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub module: String,
    /// Targets to probe.
    #[serde(default)]
    pub targets: ProbeTargets,
    /// Scrape interval.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub interval: Duration,
    /// Scrape timeout.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub scrape_timeout: Duration,
    /// Relabelings applied to samples.
    #[serde(
        default,
        rename = "metricRelabelings",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub metric_relabel_configs: Vec<RelabelConfig>,
    /// Authorization header.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization: Option<SafeAuthorization>,
    /// Per-scrape sample limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sample_limit: Option<i64>,
    /// Target limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_limit: Option<i64>,
    /// Scrape protocols to negotiate.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scrape_protocols: Vec<ScrapeProtocol>,
    /// Protocol used when the content type is unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fallback_scrape_protocol: Option<ScrapeProtocol>,
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
    /// Scrape class to apply.
    #[serde(
        default,
        rename = "scrapeClass",
        skip_serializing_if = "Option::is_none"
    )]
    pub scrape_class_name: Option<String>,
    /// Extra URL parameters for the prober.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub params: Vec<ProbeParam>,
    /// Basic authentication.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basic_auth: Option<BasicAuth>,
    /// OAuth2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oauth2: Option<OAuth2>,
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
    pub tls_config: Option<SafeTLSConfig>,
}

impl ProbeSpec {
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

/// A prober URL parameter.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProbeParam {
    /// Parameter name.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Parameter values.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
}

/// The targets of a Probe: static, or discovered from Ingresses.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProbeTargets {
    /// Static targets; take precedence over `ingress`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub static_config: Option<ProbeTargetStaticConfig>,
    /// Ingress-discovered targets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ingress: Option<ProbeTargetIngress>,
}

/// Static probe targets.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProbeTargetStaticConfig {
    /// Target addresses.
    #[serde(default, rename = "static", skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<String>,
    /// Labels attached to every target.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    /// Relabelings applied to the targets.
    #[serde(
        default,
        rename = "relabelingConfigs",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub relabel_configs: Vec<RelabelConfig>,
}

/// Ingress-discovered probe targets.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProbeTargetIngress {
    /// Selects the Ingresses.
    #[serde(default)]
    pub selector: LabelSelector,
    /// Namespaces the Ingresses are looked up in.
    #[serde(default)]
    pub namespace_selector: NamespaceSelector,
    /// Relabelings applied to the targets.
    #[serde(
        default,
        rename = "relabelingConfigs",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub relabel_configs: Vec<RelabelConfig>,
}

/// The prober to send probe requests through.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProberSpec {
    /// Prober address (`host:port`).
    #[serde(default)]
    pub url: String,
    /// HTTP scheme.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheme: Option<Scheme>,
    /// Prober path (the CRD defaults it to `/probe`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub path: String,
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

impl ProberSpec {
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
