//! `Probe`: targets checked through a prober such as the blackbox exporter (upstream
//! `probe_types.go`).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::SecretKeySelector;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use serde::{Deserialize, Serialize};

use super::common::{
    BasicAuth, Duration, NamespaceSelector, OAuth2, RelabelConfig, SafeAuthorization, Scheme,
};
use super::tls::SafeTLSConfig;

crate::monitoring::custom_resource!(
    /// Declares static or Ingress targets probed through a prober.
    Probe, ProbeSpec, "monitoring.coreos.com/v1", "probes"
);

crate::monitoring::inline_fields! {
    /// The desired state of a Probe.
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
        ..monitor_scrape_settings,
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

crate::monitoring::inline_fields! {
    /// The prober to send probe requests through.
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
        ..proxy,
    }
}
