//! `PrometheusRule`: alerting and recording rules that a Prometheus (or Thanos Ruler) loads.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

crate::monitoring::custom_resource!(
    /// Rule groups selected by Prometheus through `ruleSelector` / `ruleNamespaceSelector`.
    PrometheusRule, PrometheusRuleSpec, "monitoring.coreos.com/v1", "prometheusrules"
);

/// Alerting and recording rule groups.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PrometheusRuleSpec {
    /// Groups (`groups`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<RuleGroup>,
}

/// A named group of rules evaluated in sequence.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleGroup {
    /// Name (`name`).
    #[serde(default)]
    pub name: String,
    /// Labels (`labels`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    /// Interval (`interval`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval: Option<String>,
    /// Query offset (`query_offset`).
    #[serde(
        rename = "query_offset",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub query_offset: Option<String>,
    /// Rules (`rules`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<Rule>,
    /// Partial response strategy (`partial_response_strategy`).
    #[serde(
        rename = "partial_response_strategy",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub partial_response_strategy: Option<String>,
    /// Limit (`limit`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
}

/// One alerting (`alert`) or recording (`record`) rule.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Rule {
    /// Record (`record`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<String>,
    /// Alert (`alert`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alert: Option<String>,
    /// Expr (`expr`).
    #[serde(default)]
    pub expr: k8s_openapi::apimachinery::pkg::util::intstr::IntOrString,
    /// For (`for`).
    #[serde(rename = "for", default, skip_serializing_if = "Option::is_none")]
    pub for_: Option<String>,
    /// Keep firing for (`keep_firing_for`).
    #[serde(
        rename = "keep_firing_for",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub keep_firing_for: Option<String>,
    /// Labels (`labels`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    /// Annotations (`annotations`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
}

impl Rule {
    /// `expr` as text: an expression written as a bare number is that number.
    pub fn expr_text(&self) -> String {
        crate::monitoring::int_or_string_text(&self.expr)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_deserialize() {
        let rule: PrometheusRule = crate::yaml::from_str(
            "metadata: {name: r}\n\
             spec:\n\
             \x20 groups:\n\
             \x20 - name: g\n\
             \x20   query_offset: 1m\n\
             \x20   rules: [{alert: A, expr: up == 0, for: 5m, keep_firing_for: 1m}]\n",
        )
        .unwrap();
        let group = &rule.spec.groups[0];
        assert_eq!(group.query_offset.as_deref(), Some("1m"));
        assert_eq!(group.rules[0].for_.as_deref(), Some("5m"));
        assert_eq!(group.rules[0].keep_firing_for.as_deref(), Some("1m"));
    }
}
