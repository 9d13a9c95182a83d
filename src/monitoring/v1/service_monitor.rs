//! `ServiceMonitor`: scrape targets discovered through Services (upstream
//! `servicemonitor_types.go`).

pub use super::common::Endpoint;

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
        ..monitor_selection,
        /// `Endpoints` or `EndpointSlice` discovery.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub service_discovery_role: Option<String>,
    }
}
