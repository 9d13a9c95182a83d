//! `PodMonitor`: scrape targets discovered through Pods (upstream `podmonitor_types.go`).

use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::common::OAuth2;
use super::service_monitor::PortSelector;
use super::tls::SafeTLSConfig;

crate::monitoring::custom_resource!(
    /// Declares how to scrape a set of Pods.
    PodMonitor, PodMonitorSpec, "monitoring.coreos.com/v1", "podmonitors"
);

crate::monitoring::inline_fields! {
    /// The desired state of a PodMonitor.
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
        ..monitor_selection,
    }
}

crate::monitoring::inline_fields! {
    /// A scrape endpoint of a PodMonitor.
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
        ..endpoint_scrape,
        ..http_config_without_tls(Box<OAuth2>),
        /// TLS settings.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub tls_config: Option<Box<SafeTLSConfig>>,
        ..proxy,
    }
}

impl PodMetricsEndpoint {
    /// The container port this endpoint scrapes.
    pub fn port_selector(&self) -> PortSelector<'_> {
        if let Some(name) = self.port.as_deref().filter(|p| !p.is_empty()) {
            PortSelector::PortName(name)
        } else if let Some(number) = self.port_number.filter(|n| *n != 0) {
            PortSelector::PortNumber(number)
        } else {
            PortSelector::of_target_port(self.target_port.as_ref())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{PodMetricsEndpoint, PortSelector};

    fn endpoint(yaml: &str) -> PodMetricsEndpoint {
        crate::yaml::from_str(yaml).unwrap()
    }

    #[test]
    fn port_then_port_number_then_target_port() {
        let all = "{port: web, portNumber: 8080, targetPort: metrics}";
        assert_eq!(endpoint(all).port_selector(), PortSelector::PortName("web"));
        assert_eq!(
            endpoint("{port: '', portNumber: 8080, targetPort: metrics}").port_selector(),
            PortSelector::PortNumber(8080)
        );
        assert_eq!(
            endpoint("{portNumber: 0, targetPort: metrics}").port_selector(),
            PortSelector::TargetPortName("metrics")
        );
    }

    #[test]
    fn zero_and_empty_values_select_every_port() {
        for yaml in [
            "{}",
            "{portNumber: 0}",
            "{targetPort: 0}",
            "{targetPort: ''}",
        ] {
            assert_eq!(endpoint(yaml).port_selector(), PortSelector::Any, "{yaml}");
        }
    }
}
