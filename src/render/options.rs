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
    /// `--prometheus-config-reloader`: image of the config-reloader containers; `None` is the
    /// operator's default (`quay.io/prometheus-operator/prometheus-config-reloader:v0.93.0`).
    pub config_reloader_image: Option<String>,
    /// `--config-reloader-cpu-request`; `None` is the default `10m`, a zero quantity (or `""`)
    /// sets no request.
    pub config_reloader_cpu_request: Option<String>,
    /// `--config-reloader-cpu-limit`; `None` is the default `10m`, zero sets no limit.
    pub config_reloader_cpu_limit: Option<String>,
    /// `--config-reloader-memory-request`; `None` is the default `50Mi`, zero sets no request.
    pub config_reloader_memory_request: Option<String>,
    /// `--config-reloader-memory-limit`; `None` is the default `50Mi`, zero sets no limit.
    pub config_reloader_memory_limit: Option<String>,
    /// `--enable-config-reloader-probes`: liveness, readiness and startup probes on the
    /// config-reloader container.
    pub config_reloader_probes: bool,
    /// `--prometheus-default-base-image`; `None` is `quay.io/prometheus/prometheus`.
    pub prometheus_default_base_image: Option<String>,
    /// `--thanos-default-base-image`; `None` is `quay.io/thanos/thanos`.
    pub thanos_default_base_image: Option<String>,
    /// `--alertmanager-default-base-image`; `None` is `quay.io/prometheus/alertmanager`.
    pub alertmanager_default_base_image: Option<String>,
    /// `--localhost`: host the sidecars use to reach the main container; `None` is `localhost`.
    pub localhost: Option<String>,
    /// `--cluster-domain`: appended to Alertmanager peer addresses; empty relies on the DNS
    /// search path.
    pub cluster_domain: String,
    /// `--labels`: labels added to every object the operator creates.
    pub labels: std::collections::BTreeMap<String, String>,
    /// `--annotations`: annotations added to every object the operator creates.
    pub annotations: std::collections::BTreeMap<String, String>,
}
