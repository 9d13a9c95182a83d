//! `AlertmanagerConfig` v1beta1 (upstream `pkg/apis/monitoring/v1beta1`), and its conversion
//! to v1alpha1 (the storage version the operator reads; upstream `conversion_to.go`).
//!
//! The v1beta1 receivers, routes and inhibit rules have the v1alpha1 shape except that
//! Secret references carry only `name` and `key` and matchers have no `regex`, so the v1alpha1
//! types are reused for them; only the spec differs (`timeIntervals` instead of
//! `muteTimeIntervals`).

use serde::{Deserialize, Serialize};

use crate::monitoring::v1alpha1::alertmanager_config as v1alpha1;

crate::monitoring::custom_resource!(
    /// Routes, receivers and inhibition rules merged into an Alertmanager's configuration.
    AlertmanagerConfig, AlertmanagerConfigSpec, "monitoring.coreos.com/v1beta1", "alertmanagerconfigs"
);

/// Routing, receivers, inhibition and time intervals, scoped to its namespace.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AlertmanagerConfigSpec {
    /// Route (`route`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route: Option<v1alpha1::Route>,
    /// Receivers (`receivers`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub receivers: Vec<v1alpha1::Receiver>,
    /// Inhibit rules (`inhibitRules`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inhibit_rules: Vec<v1alpha1::InhibitRule>,
    /// Time intervals (`timeIntervals`), v1alpha1's `muteTimeIntervals`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub time_intervals: Vec<v1alpha1::MuteTimeInterval>,
}

impl From<AlertmanagerConfig> for crate::monitoring::v1alpha1::AlertmanagerConfig {
    fn from(beta: AlertmanagerConfig) -> Self {
        crate::monitoring::v1alpha1::AlertmanagerConfig {
            metadata: beta.metadata,
            spec: v1alpha1::AlertmanagerConfigSpec {
                route: beta.spec.route,
                receivers: beta.spec.receivers,
                inhibit_rules: beta.spec.inhibit_rules,
                mute_time_intervals: beta.spec.time_intervals,
            },
            status: beta.status,
        }
    }
}
