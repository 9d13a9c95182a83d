//! Operator start-up options as command-line flags (shared by every subcommand that renders).

use anyhow::anyhow;
use promop::render::OperatorOptions;

use super::CliError;

/// The operator's start-up options that change the generated configuration.
#[derive(Debug, clap::Args)]
pub struct OperatorArgs {
    /// Whether the operator may use the endpointslice discovery role (it does on Kubernetes
    /// 1.21 and later).
    #[arg(long, value_name = "BOOL", default_value_t = true, num_args = 0..=1,
          default_missing_value = "true", action = clap::ArgAction::Set)]
    pub endpointslice: bool,
    /// Operator feature gates, as given to the operator: NAME=BOOL,... (PrometheusAgentDaemonSet,
    /// PrometheusTopologySharding, PrometheusShardRetentionPolicy, PodTopologyLabels).
    #[arg(long, value_name = "NAME=BOOL,...", value_delimiter = ',')]
    pub feature_gates: Vec<String>,
    /// Inline TLS material in the configuration instead of referring to mounted files.
    #[arg(long)]
    pub inline_tls_config: bool,
    /// Skip the Prometheus version compatibility check.
    #[arg(long)]
    pub no_version_check: bool,
}

impl OperatorArgs {
    /// The options these flags describe.
    pub fn options(&self) -> Result<OperatorOptions, CliError> {
        let mut options = OperatorOptions {
            endpoint_slice_support: self.endpointslice,
            inline_tls_config: self.inline_tls_config,
            no_version_check: self.no_version_check,
            ..OperatorOptions::default()
        };
        for gate in self.feature_gates.iter().filter(|g| !g.trim().is_empty()) {
            let (name, value) = gate.split_once('=').unwrap_or((gate, "true"));
            let enabled: bool = value.trim().parse().map_err(|_| {
                CliError::usage(anyhow!(
                    "--feature-gates: {gate:?}: value must be true or false"
                ))
            })?;
            let slot = match name.trim() {
                "PrometheusAgentDaemonSet" => &mut options.daemon_set,
                "PrometheusTopologySharding" => &mut options.topology_sharding,
                "PrometheusShardRetentionPolicy" => &mut options.retention_policies,
                "PodTopologyLabels" => &mut options.pod_topology_labels,
                other => {
                    return Err(CliError::usage(anyhow!(
                        "--feature-gates: unknown feature gate {other:?}"
                    )));
                }
            };
            *slot = enabled;
        }
        Ok(options)
    }
}
