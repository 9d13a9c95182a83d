//! (being written)

use serde::{Deserialize, Serialize};

crate::monitoring::custom_resource!(
    /// (being written)
    Prometheus, PrometheusSpec, "monitoring.coreos.com/v1", "prometheuses"
);

/// (being written)
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PrometheusSpec {}

/// Fields shared by `Prometheus` and `PrometheusAgent` (upstream `CommonPrometheusFields`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CommonPrometheusFields {}
