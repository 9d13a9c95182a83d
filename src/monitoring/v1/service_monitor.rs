//! `ServiceMonitor`: scrape targets discovered through Services (upstream
//! `servicemonitor_types.go`).

use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use serde::{Deserialize, Serialize};

pub use super::common::Endpoint;
use super::common::{
    AttachMetadata, ByteSize, NamespaceSelector, NativeHistogramConfig, ScrapeProtocol,
};

crate::monitoring::custom_resource!(
    /// Declares how to scrape the endpoints of a set of Services.
    ServiceMonitor, ServiceMonitorSpec, "monitoring.coreos.com/v1", "servicemonitors"
);

/// The desired state of a ServiceMonitor.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceMonitorSpec {
    /// Service label whose value becomes the `job` label.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub job_label: String,
    /// Service labels copied onto targets.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub target_labels: Vec<String>,
    /// Pod labels copied onto targets.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pod_target_labels: Vec<String>,
    /// Endpoints to scrape; each becomes one scrape job.
    #[serde(default, deserialize_with = "crate::monitoring::de::compact_vec")]
    pub endpoints: Vec<Endpoint>,
    /// Selects the Services.
    #[serde(default)]
    pub selector: LabelSelector,
    /// `RelabelConfig` (default) or `RoleSelector`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selector_mechanism: Option<String>,
    /// Namespaces the Services are looked up in.
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
    /// `Endpoints` or `EndpointSlice` discovery.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_discovery_role: Option<String>,
}

impl ServiceMonitorSpec {
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
