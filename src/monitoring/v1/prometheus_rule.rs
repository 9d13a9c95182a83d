//! (being written)

use serde::{Deserialize, Serialize};

crate::monitoring::custom_resource!(
    /// (being written)
    PrometheusRule, PrometheusRuleSpec, "monitoring.coreos.com/v1", "prometheusrules"
);

/// (being written)
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PrometheusRuleSpec {}
