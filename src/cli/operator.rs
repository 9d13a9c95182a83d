//! Operator start-up options as command-line flags (shared by every subcommand that renders);
//! they override what the operator's Deployment says.

use promop::operator::{OperatorOptions, Overrides};
use promop::snapshot::Snapshot;

use super::CliError;

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
    /// The options the operator runs with (its Deployment's when `snapshot` holds it, these
    /// flags over them); warns when that operator is another release than the one reproduced.
    pub fn resolve(&self, snapshot: &Snapshot) -> Result<OperatorOptions, CliError> {
        let options =
            OperatorOptions::resolve(snapshot, &self.overrides()).map_err(CliError::usage)?;
        if let Some(note) = options.release_note() {
            super::output::warn(&note);
        }
        Ok(options)
    }

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
