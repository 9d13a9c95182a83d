//! `monitoring.coreos.com/v1alpha1`.

pub mod alertmanager_config;
pub mod prometheus_agent;
pub mod scrape_config;

pub use alertmanager_config::AlertmanagerConfig;
pub use prometheus_agent::PrometheusAgent;
pub use scrape_config::ScrapeConfig;
