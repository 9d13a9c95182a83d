//! (being written)

use serde::{Deserialize, Serialize};

crate::monitoring::custom_resource!(
    /// (being written)
    PodMonitor, PodMonitorSpec, "monitoring.coreos.com/v1", "podmonitors"
);

/// (being written)
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PodMonitorSpec {}
