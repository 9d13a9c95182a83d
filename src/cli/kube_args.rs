//! The kubectl flags every cluster-facing subcommand takes, and the connection they select.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::anyhow;
use promop::cluster::{self, Cluster, ClusterError, ConnectOptions};

use super::CliError;

/// `-n` of the commands that check or apply manifests (`validate`, `apply`).
pub const NAMESPACE_OF_MANIFESTS: &str =
    "Namespace of the objects that name none (default: the context's, as kubectl apply)";

/// `-n` of the commands that read one instance from the cluster (`decode-config`, `status`).
pub const NAMESPACE_OF_INSTANCE: &str = "Namespace of the instance (default: the context's)";

/// kubectl's connection flags, with kubectl's names and meanings.
#[derive(Debug, Clone, clap::Args)]
pub struct KubeArgs {
    /// Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config).
    #[arg(long, global = true, value_name = "PATH")]
    pub kubeconfig: Option<PathBuf>,
    /// The kubeconfig context to use.
    #[arg(long, global = true, value_name = "NAME")]
    pub context: Option<String>,
    /// The kubeconfig cluster to use.
    #[arg(long, global = true, value_name = "NAME")]
    pub cluster: Option<String>,
    /// The kubeconfig user to use.
    #[arg(long, global = true, value_name = "NAME")]
    pub user: Option<String>,
    /// Namespace of the named object (default: the context's; with -f, any namespace that
    /// holds the name, when only one does).
    #[arg(
        short = 'n',
        id = "namespace",
        long = "namespace",
        global = true,
        value_name = "NAMESPACE"
    )]
    pub namespace_flag: Option<String>,
    /// Time limit for each request to the API server: whole seconds or a duration such as 30s, 1m30s, 500ms (0 = a day).
    #[arg(long, global = true, default_value = "30s", value_name = "DURATION", value_parser = promop::cluster::parse_request_timeout)]
    pub request_timeout: Duration,
}

impl KubeArgs {
    /// Connects with these flags; an unreadable kubeconfig is a usage error (exit 2).
    pub async fn connect(&self) -> Result<Cluster, CliError> {
        let options = ConnectOptions {
            kubeconfig: self.kubeconfig.clone(),
            context: self.context.clone(),
            cluster: self.cluster.clone(),
            user: self.user.clone(),
            namespace: self.namespace().map(str::to_owned),
            request_timeout: self.request_timeout,
            ..ConnectOptions::default()
        };
        Cluster::connect(&options).await.map_err(|error| {
            let hint = match error {
                ClusterError::Kubeconfig { .. } => {
                    " (give --kubeconfig PATH or set KUBECONFIG, and pick an entry with --context; \
                     `kubectl config get-contexts` lists them)"
                }
                _ => "",
            };
            CliError::usage(anyhow!("cannot connect to the cluster: {error}{hint}"))
        })
    }
}

impl KubeArgs {
    /// `-n`, when it names a namespace: an empty one means the context's, as in kubectl.
    pub fn namespace(&self) -> Option<&str> {
        self.namespace_flag.as_deref().filter(|n| !n.is_empty())
    }

    /// Where objects read from files without a namespace go, as kubectl would put them: `-n`,
    /// else the kubeconfig context's namespace (the service account's in a pod), else
    /// `default`; and what decided it.
    pub fn file_namespace(&self) -> (String, &'static str) {
        if let Some(namespace) = self.namespace() {
            return (namespace.to_owned(), "-n");
        }
        match cluster::default_namespace(self.kubeconfig.as_deref(), self.context.as_deref()) {
            Some(namespace) => (namespace, "the kubeconfig context"),
            None => ("default".to_owned(), "kubectl's default"),
        }
    }
}

#[cfg(test)]
mod tests {
    use promop::cluster::{MAX_REQUEST_TIMEOUT, parse_request_timeout as parse};
    use std::time::Duration;

    #[test]
    fn timeouts_parse_like_kubectl() {
        assert_eq!(parse("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(parse("2"), Ok(Duration::from_secs(2)));
        assert_eq!(parse("1m30s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse("0"), Ok(MAX_REQUEST_TIMEOUT));
        assert_eq!(
            parse("99999999999999999999h"),
            Err(
                "invalid duration: give whole seconds or a duration such as 30s, 1m30s, 500ms"
                    .to_owned()
            )
        );
        assert_eq!(parse("18446744073709551615"), Ok(MAX_REQUEST_TIMEOUT));
        for refused in ["soon", "0.5", "1e30", "-1s", "3d"] {
            assert!(parse(refused).is_err(), "{refused}");
        }
    }
}
