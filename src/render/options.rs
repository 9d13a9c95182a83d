//! Operator start-up options that change the generated configuration.

/// Flags and feature gates the operator was started with; all off by default.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OperatorOptions {
    /// The operator may use the `endpointslice` discovery role.
    pub endpoint_slice_support: bool,
    /// `PrometheusAgent` in DaemonSet mode (feature gate `PrometheusAgentDaemonSet`).
    pub daemon_set: bool,
    /// Feature gate `PrometheusTopologySharding`.
    pub topology_sharding: bool,
    /// Feature gate `PrometheusShardRetentionPolicy`.
    pub retention_policies: bool,
    /// Feature gate `PodTopologyLabels`.
    pub pod_topology_labels: bool,
    /// TLS material is inlined into the configuration instead of mounted as files.
    pub inline_tls_config: bool,
    /// Skip the Prometheus version compatibility check.
    pub no_version_check: bool,
}
