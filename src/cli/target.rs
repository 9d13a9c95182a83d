//! Choosing the Prometheus or PrometheusAgent a command works on, from files.

use promop::instance::{self, TargetKey};
use promop::snapshot::FindError;
use promop::snapshot::Snapshot;

use super::CliError;

/// `--prometheus`: which instance, when the input holds several.
#[derive(Debug, clap::Args)]
pub struct TargetArgs {
    /// The Prometheus or PrometheusAgent, as NAMESPACE/NAME or NAME; optional when the input
    /// holds exactly one.
    #[arg(long, value_name = "NAMESPACE/NAME")]
    pub prometheus: Option<String>,
}

impl TargetArgs {
    /// The chosen instance.
    pub fn find(&self, snapshot: &Snapshot) -> Result<TargetKey, CliError> {
        instance::only_target(snapshot, self.prometheus.as_deref())
            .map(|t| TargetKey::of(&t))
            .map_err(find_error)
    }
}

/// A name the input does not hold (or holds several times) is a usage problem, exit 2, in
/// every command: the name given is what is wrong, not the manifests.
pub fn find_error(error: FindError) -> CliError {
    CliError::usage(error)
}

/// An instance looked up in the cluster: whatever went wrong is the name given (or the
/// permissions), a usage problem.
pub fn not_in_cluster(error: FindError) -> CliError {
    CliError::usage(anyhow::anyhow!("{error} in the cluster (or not readable)"))
}
