//! `ServiceMonitor`: scrape targets discovered through Services (upstream
//! `servicemonitor_types.go`).

use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

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

/// The port of its targets a monitor endpoint scrapes, from the first field set of `port`,
/// `portNumber` (PodMonitors) and the deprecated `targetPort`. As upstream's relabelings
/// (`promcfg.go`), a zero or empty value counts as unset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PortSelector<'a> {
    /// `port`: the Service port of this name (ServiceMonitor), or the container port of this
    /// name (PodMonitor).
    PortName(&'a str),
    /// `portNumber`: the container port of this number.
    PortNumber(i32),
    /// `targetPort` given as a name: the container port of this name.
    TargetPortName(&'a str),
    /// `targetPort` given as a number: the container port of this number.
    TargetPortNumber(i32),
    /// Nothing set: every port.
    Any,
}

impl<'a> PortSelector<'a> {
    /// The selector of a deprecated `targetPort`: a string only ever matches a port name,
    /// a number only a port number.
    pub(super) fn of_target_port(target_port: Option<&'a IntOrString>) -> Self {
        match target_port {
            Some(IntOrString::String(name)) if !name.is_empty() => {
                PortSelector::TargetPortName(name)
            }
            Some(IntOrString::Int(number)) if *number != 0 => {
                PortSelector::TargetPortNumber(*number)
            }
            _ => PortSelector::Any,
        }
    }
}

impl Endpoint {
    /// The port this endpoint scrapes.
    pub fn port_selector(&self) -> PortSelector<'_> {
        if self.port.is_empty() {
            PortSelector::of_target_port(self.target_port.as_ref())
        } else {
            PortSelector::PortName(&self.port)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Endpoint, PortSelector};

    fn endpoint(yaml: &str) -> Endpoint {
        crate::yaml::from_str(yaml).unwrap()
    }

    #[test]
    fn port_wins_over_target_port() {
        assert_eq!(
            endpoint("{port: web, targetPort: 8080}").port_selector(),
            PortSelector::PortName("web")
        );
    }

    #[test]
    fn target_port_keeps_its_type() {
        assert_eq!(
            endpoint("{targetPort: '8080'}").port_selector(),
            PortSelector::TargetPortName("8080")
        );
        assert_eq!(
            endpoint("{targetPort: 8080}").port_selector(),
            PortSelector::TargetPortNumber(8080)
        );
    }

    #[test]
    fn zero_and_empty_values_select_every_port() {
        for yaml in ["{}", "{port: ''}", "{targetPort: 0}", "{targetPort: ''}"] {
            assert_eq!(endpoint(yaml).port_selector(), PortSelector::Any, "{yaml}");
        }
    }
}
