//! `ThanosRuler`: a Thanos Ruler deployment that evaluates the PrometheusRules it selects. Only
//! the fields that decide which rules it loads and where their alerts go are typed; the
//! loader reports the others as unknown.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::SecretKeySelector;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use serde::{Deserialize, Serialize};

use crate::monitoring::v1::common::{ObjectReference, PrometheusRuleExcludeConfig};

crate::monitoring::custom_resource!(
    /// A Thanos Ruler cluster.
    ThanosRuler, ThanosRulerSpec, "monitoring.coreos.com/v1", "thanosrulers"
);

/// The rule-related part of a Thanos Ruler's desired state.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ThanosRulerSpec {
    /// Thanos version (`version`); the operator's default when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// PrometheusRules to load (`ruleSelector`); unset selects none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule_selector: Option<LabelSelector>,
    /// Namespaces to load PrometheusRules from (`ruleNamespaceSelector`); unset means the
    /// ThanosRuler's own namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule_namespace_selector: Option<LabelSelector>,
    /// Label enforced on every rule and selector (`enforcedNamespaceLabel`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enforced_namespace_label: Option<String>,
    /// Objects left alone by enforcement (`excludedFromEnforcement`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub excluded_from_enforcement: Vec<ObjectReference>,
    /// Deprecated form of `excludedFromEnforcement` (`prometheusRulesExcludedFromEnforce`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub prometheus_rules_excluded_from_enforce: Vec<PrometheusRuleExcludeConfig>,
    /// Whether the operator takes no action on it (`paused`).
    #[serde(
        default,
        deserialize_with = "crate::monitoring::de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub paused: Option<bool>,
    /// External labels (`labels`), beside the `thanos_ruler_replica` the operator adds.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    /// Labels removed from alerts (`alertDropLabels`), beside `thanos_ruler_replica`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alert_drop_labels: Vec<String>,
    /// Alertmanager URLs (`alertmanagersUrl`), used when `alertmanagersConfig` is unset.
    #[serde(
        rename = "alertmanagersUrl",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub alertmanagers_url: Vec<String>,
    /// Thanos's alerting configuration file, from a Secret (`alertmanagersConfig`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alertmanagers_config: Option<SecretKeySelector>,
    /// Alert relabelings, from a Secret (`alertRelabelConfigs`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alert_relabel_configs: Option<SecretKeySelector>,
    /// Alert relabelings, from a file in the pod (`alertRelabelConfigFile`); wins over
    /// `alertRelabelConfigs`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alert_relabel_config_file: Option<String>,
}
