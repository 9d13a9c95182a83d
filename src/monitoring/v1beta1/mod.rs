//! `monitoring.coreos.com/v1beta1`.

pub mod alertmanager_config;

pub use alertmanager_config::AlertmanagerConfig;
