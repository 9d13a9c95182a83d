//! `AlertmanagerConfig` v1beta1 (upstream `pkg/apis/monitoring/v1beta1`), and its conversion
//! to v1alpha1 (the storage version the operator reads; upstream `conversion_to.go`).
//!
//! The v1beta1 receivers, routes and inhibit rules have the v1alpha1 shape except that
//! Secret references carry only `name` and `key`, matchers have no `regex` and OpsGenie has no
//! `updateAlerts`, so the v1alpha1 types are reused for them; only the spec differs
//! (`timeIntervals` instead of `muteTimeIntervals`). The conversion clears `regex` and
//! `updateAlerts`, which the API server prunes from a v1beta1 object as unknown fields. Child
//! routes are opaque JSON in both versions and are passed through as they are.

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
        let mut spec = beta.spec;
        if let Some(route) = &mut spec.route {
            prune_matchers(&mut route.matchers);
        }
        for rule in &mut spec.inhibit_rules {
            prune_matchers(&mut rule.source_match);
            prune_matchers(&mut rule.target_match);
        }
        for receiver in &mut spec.receivers {
            for opsgenie in &mut receiver.opsgenie_configs {
                opsgenie.update_alerts = None;
            }
        }
        crate::monitoring::v1alpha1::AlertmanagerConfig {
            metadata: beta.metadata,
            spec: v1alpha1::AlertmanagerConfigSpec {
                route: spec.route,
                receivers: spec.receivers,
                inhibit_rules: spec.inhibit_rules,
                mute_time_intervals: spec.time_intervals,
            },
            status: beta.status,
            written_as: v1alpha1::ApiVersion::V1beta1,
        }
    }
}

/// v1beta1 matchers say how they match with `matchType` only.
fn prune_matchers(matchers: &mut [v1alpha1::Matcher]) {
    for matcher in matchers {
        matcher.regex = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_of_the_conversion_point_at_what_was_written() {
        let path = "spec.muteTimeIntervals[0].timeIntervals[1].times";
        assert_eq!(
            v1alpha1::ApiVersion::V1beta1.field_path(path),
            "spec.timeIntervals[0].timeIntervals[1].times"
        );
        assert_eq!(v1alpha1::ApiVersion::V1alpha1.field_path(path), path);
        assert_eq!(
            v1alpha1::ApiVersion::V1beta1.field_path("spec.route.receiver"),
            "spec.route.receiver"
        );
    }

    #[test]
    fn converts_time_intervals_and_prunes_alpha_only_fields() {
        let doc = crate::yaml::parse(
            "metadata: {name: a, namespace: ns}\n\
             spec:\n\
             \x20 route: {receiver: r, matchers: [{name: team, value: db, regex: true}]}\n\
             \x20 receivers: [{name: r, opsgenieConfigs: [{updateAlerts: true}]}]\n\
             \x20 inhibitRules: [{sourceMatch: [{name: s, value: v, regex: true, matchType: '=~'}]}]\n\
             \x20 timeIntervals: [{name: weekends}]\n",
        )
        .unwrap();
        let beta: AlertmanagerConfig = serde_json::from_value(doc.to_json()).unwrap();
        let alpha = crate::monitoring::v1alpha1::AlertmanagerConfig::from(beta);
        let route = alpha.spec.route.unwrap();
        assert!(!route.matchers[0].regex);
        assert_eq!(
            alpha.spec.receivers[0].opsgenie_configs[0].update_alerts,
            None
        );
        let source = &alpha.spec.inhibit_rules[0].source_match[0];
        assert!(!source.regex);
        assert_eq!(source.match_type.as_deref(), Some("=~"));
        assert_eq!(
            alpha.spec.mute_time_intervals[0].name.as_deref(),
            Some("weekends")
        );
        assert_eq!(alpha.metadata.namespace.as_deref(), Some("ns"));
        assert_eq!(alpha.written_as, v1alpha1::ApiVersion::V1beta1);
    }
}
