//! `monitoring.coreos.com/v1`.

pub mod alertmanager;
pub mod common;
pub mod pod_monitor;
pub mod probe;
pub mod prometheus;
pub mod prometheus_rule;
pub mod service_monitor;
pub mod thanos_ruler;
pub mod tls;

pub use alertmanager::Alertmanager;
pub use pod_monitor::PodMonitor;
pub use probe::Probe;
pub use prometheus::Prometheus;
pub use prometheus_rule::PrometheusRule;
pub use service_monitor::ServiceMonitor;
pub use thanos_ruler::ThanosRuler;
