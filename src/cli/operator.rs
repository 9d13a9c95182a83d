//! Operator start-up options as command-line flags (shared by every subcommand that renders);
//! they override what the operator's Deployment says.

use promop::operator::Overrides;

/// The operator's start-up options that change the generated configuration.
#[derive(Debug, clap::Args)]
pub struct OperatorArgs {
    /// Whether the operator may use the endpointslice discovery role (it does on Kubernetes
    /// 1.21 and later).
    #[arg(long, value_name = "BOOL", num_args = 0..=1,
          default_missing_value = "true", action = clap::ArgAction::Set)]
    pub endpointslice: Option<bool>,
    /// Operator feature gates, as given to the operator: NAME=BOOL,... (PrometheusAgentDaemonSet,
    /// PrometheusTopologySharding, PrometheusShardRetentionPolicy). Defaults: those of the
    /// operator's Deployment when it is read, else the operator's own.
    #[arg(long, value_name = "NAME=BOOL,...")]
    pub feature_gates: Vec<String>,
    /// Inline TLS material in the configuration instead of referring to mounted files.
    #[arg(long)]
    pub inline_tls_config: bool,
    /// Skip the Prometheus version compatibility check.
    #[arg(long)]
    pub no_version_check: bool,
}

impl OperatorArgs {
    /// The overrides these flags describe.
    pub fn overrides(&self) -> Overrides {
        Overrides {
            endpoint_slice_support: self.endpointslice,
            feature_gates: self.feature_gates.clone(),
            inline_tls_config: self.inline_tls_config,
            no_version_check: self.no_version_check,
        }
    }
}
