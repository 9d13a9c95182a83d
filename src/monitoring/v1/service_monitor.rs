//! `ServiceMonitor`: scrape targets discovered through Services (upstream
//! `servicemonitor_types.go`).

use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;

pub use super::common::Endpoint;
use super::common::{AttachMetadata, ByteSize, NamespaceSelector};

crate::monitoring::custom_resource!(
    /// Declares how to scrape the endpoints of a set of Services.
    ServiceMonitor, ServiceMonitorSpec, "monitoring.coreos.com/v1", "servicemonitors"
);

crate::monitoring::inline_fields! {
    /// The desired state of a ServiceMonitor.
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
        ..monitor_scrape_settings,
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
}
