//! The kubectl flags every cluster-facing subcommand takes, and the connection they select.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::anyhow;
use kube::config::Kubeconfig;
use promop::cluster::{Cluster, ClusterError, ConnectOptions};

use super::CliError;

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
    /// Namespace of the named object (default: the context's namespace).
    #[arg(short = 'n', long, global = true, value_name = "NAMESPACE")]
    pub namespace: Option<String>,
    /// Time limit for each request to the API server, e.g. 30s, 1m, 500ms (0 = none).
    #[arg(long, global = true, default_value = "30s", value_name = "DURATION", value_parser = parse_timeout)]
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
            namespace: self.namespace.clone(),
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
    /// Where objects read from files without a namespace go, as kubectl would put them: `-n`,
    /// else the kubeconfig context's namespace, else `default`; and what decided it.
    pub fn file_namespace(&self) -> (String, &'static str) {
        if let Some(namespace) = &self.namespace {
            return (namespace.clone(), "-n");
        }
        let kubeconfig = match &self.kubeconfig {
            Some(path) => Kubeconfig::read_from(path).ok(),
            None => Kubeconfig::read().ok(),
        };
        let from_context = kubeconfig.and_then(|config| {
            let name = self
                .context
                .clone()
                .or_else(|| config.current_context.clone())?;
            config
                .contexts
                .iter()
                .find(|c| c.name == name)?
                .context
                .as_ref()?
                .namespace
                .clone()
        });
        match from_context {
            Some(namespace) => (namespace, "the kubeconfig context"),
            None => ("default".to_owned(), "kubectl's default"),
        }
    }
}

/// kubectl's `--request-timeout` format: a bare number of seconds or a Go duration.
fn parse_timeout(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let (number, unit) = match text.find(|c: char| !c.is_ascii_digit() && c != '.') {
        Some(i) => text.split_at(i),
        None => (text, "s"),
    };
    let value: f64 = number
        .parse()
        .map_err(|_| format!("invalid duration {text:?}: use e.g. 30s, 1m, 500ms"))?;
    let seconds = match unit {
        "ms" => value / 1000.0,
        "s" => value,
        "m" => value * 60.0,
        "h" => value * 3600.0,
        _ => {
            return Err(format!(
                "invalid duration unit in {text:?}: use ms, s, m or h"
            ));
        }
    };
    if seconds == 0.0 {
        // 0 means no timeout in kubectl; a day is as good as none for one request.
        return Ok(Duration::from_secs(86_400));
    }
    Ok(Duration::from_secs_f64(seconds))
}

#[cfg(test)]
mod tests {
    use super::parse_timeout;
    use std::time::Duration;

    #[test]
    fn timeouts_parse_like_kubectl() {
        assert_eq!(parse_timeout("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_timeout("2"), Ok(Duration::from_secs(2)));
        assert_eq!(parse_timeout("1m"), Ok(Duration::from_secs(60)));
        assert_eq!(parse_timeout("250ms"), Ok(Duration::from_millis(250)));
        assert!(parse_timeout("soon").is_err());
    }
}
