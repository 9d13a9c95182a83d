//! (being written)

use serde::{Deserialize, Serialize};

crate::monitoring::custom_resource!(
    /// (being written)
    Probe, ProbeSpec, "monitoring.coreos.com/v1", "probes"
);

/// (being written)
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProbeSpec {}
