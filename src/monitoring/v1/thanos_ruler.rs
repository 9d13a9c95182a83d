//! `ThanosRuler`: a Thanos Ruler deployment that evaluates the PrometheusRules it selects. Only
//! the fields that decide which rules it loads and how are typed; the loader reports the
//! others as unknown.

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
}
