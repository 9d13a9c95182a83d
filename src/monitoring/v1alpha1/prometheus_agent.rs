//! (being written)

use serde::{Deserialize, Serialize};

crate::monitoring::custom_resource!(
    /// (being written)
    PrometheusAgent, PrometheusAgentSpec, "monitoring.coreos.com/v1alpha1", "prometheusagents"
);

/// (being written)
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PrometheusAgentSpec {}
