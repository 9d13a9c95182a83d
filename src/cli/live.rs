//! What the cluster-reading commands share: naming an instance (`prometheus NAME`,
//! `am/NAME`), running a cluster conversation, and printing what the cluster hid. Every
//! decision the operator makes lives in the library.

use std::future::Future;

use anyhow::anyhow;
use promop::cluster::{Cluster, ClusterError, FetchPlan, Notice};
use promop::decode::{self, StoredConfig, StoredConfigError};
use promop::instance::InstanceKind;
use promop::reloader::{self, Environment};
use promop::snapshot::{Snapshot, references};

use super::CliError;
use super::output;
use super::progress::Progress;
use super::resource_arg::{self, Kind};

/// An instance named on the command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InstanceName {
    /// Its kind.
    pub kind: InstanceKind,
    /// Its name.
    pub name: String,
}

/// The instance argument of the commands that read one instance from the cluster.
#[derive(Debug, clap::Args)]
pub struct InstanceArg {
    /// The instance: prometheus|prometheusagent|alertmanager NAME, or TYPE/NAME (short names
    /// prom, am).
    #[arg(value_name = "TYPE [NAME]", num_args = 1..=2, required = true)]
    instance: Vec<String>,
}

impl InstanceArg {
    /// The instance named.
    pub fn parse(&self) -> Result<InstanceName, CliError> {
        parse_instance(&self.instance)
    }
}

/// Parses `TYPE NAME` or `TYPE/NAME` with the shared resource-argument parser.
pub fn parse_instance(words: &[String]) -> Result<InstanceName, CliError> {
    let resource = resource_arg::parse(words, resource_arg::INSTANCE_KINDS)?;
    let kind = match resource.kind {
        Kind::PrometheusAgent => InstanceKind::PrometheusAgent,
        Kind::Alertmanager => InstanceKind::Alertmanager,
        Kind::Prometheus => InstanceKind::Prometheus,
        other => {
            return Err(CliError::usage(anyhow!(
                "a {} has no generated configuration",
                other.name()
            )));
        }
    };
    Ok(InstanceName {
        kind,
        name: resource.require_name()?.to_owned(),
    })
}

/// Runs a cluster conversation to completion on a small runtime.
pub fn block_on<F: Future>(future: F) -> Result<F::Output, CliError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::usage(anyhow::Error::new(e).context("cannot start the runtime")))?;
    let output = runtime.block_on(future);
    // A credential plugin that never answers holds a blocking thread; the answer is known.
    runtime.shutdown_background();
    Ok(output)
}

/// A failed cluster request: exit 2 with the cluster module's message.
pub fn cluster_error(error: ClusterError) -> CliError {
    CliError::usage(anyhow::Error::new(error))
}

/// Prints what could not be read as warnings.
pub fn warn_notices(notices: &[Notice]) {
    for notice in notices {
        output::warn(&format!("{}: {}", notice.what, notice.message));
    }
}

/// Reads and decompresses the generated configuration of `instance` in `namespace`.
pub async fn read_live_config(
    cluster: &Cluster,
    namespace: &str,
    instance: &InstanceName,
    decompressed_limit: usize,
) -> Result<StoredConfig, CliError> {
    let secret_name = instance.kind.secret_name(&instance.name);
    let stored = read_stored_config(cluster, namespace, instance, decompressed_limit).await?;
    let Some(stored) = stored else {
        let resource = instance.kind.resource();
        let owner = cluster.get(resource, Some(namespace), &instance.name).await;
        let hint = match owner {
            Err(error) => format!(
                "whether {} {namespace}/{} exists cannot be told: {error}",
                resource.kind, instance.name
            ),
            Ok(Some(_)) => format!(
                "{} {namespace}/{} exists but the operator has not written its configuration \
                 (is the operator running and watching this namespace?)",
                resource.kind, instance.name
            ),
            Ok(None) => format!(
                "no {} {namespace}/{} either (check the name and -n/--namespace)",
                resource.kind, instance.name
            ),
        };
        return Err(CliError::usage(anyhow!(
            "Secret {namespace}/{secret_name} not found: {hint}"
        )));
    };
    Ok(stored)
}

/// The configuration `instance`'s Secret holds; `None` when there is no such Secret.
pub async fn read_stored_config(
    cluster: &Cluster,
    namespace: &str,
    instance: &InstanceName,
    decompressed_limit: usize,
) -> Result<Option<StoredConfig>, CliError> {
    let secret_name = instance.kind.secret_name(&instance.name);
    let secret = cluster
        .get(&promop::kinds::SECRETS, Some(namespace), &secret_name)
        .await
        .map_err(cluster_error)?;
    let Some(secret) = secret else {
        return Ok(None);
    };
    decode::stored_config(&secret, instance.kind.secret_key(), decompressed_limit)
        .map(Some)
        .map_err(|e| {
            let hint = match e {
                StoredConfigError::Payload {
                    error: decode::DecodeError::TooLarge { .. },
                    ..
                } => " (raise --max-decompressed-bytes if it is genuine)",
                _ => "",
            };
            CliError::usage(anyhow!("{e}{hint}"))
        })
}

/// The environment of the config-reloader of `pod` of `instance`: computed from the instance
/// and the operator's flags as the cluster holds them, or guessed when the instance cannot be
/// read (the environment says which variables are).
pub async fn reloader_environment(
    cluster: &Cluster,
    namespace: &str,
    instance: &InstanceName,
    pod: &reloader::Pod,
) -> Environment {
    let (kind, name) = (instance.kind, instance.name.as_str());
    match cluster
        .fetch_instance(kind.resource(), namespace, name)
        .await
    {
        Ok((snapshot, notices)) => {
            warn_notices(&notices);
            reloader::environment_in(&snapshot, kind, namespace, name, pod)
        }
        Err(e) => reloader::guessed_environment(kind, namespace, name, pod, e.to_string()),
    }
}

/// Reads the objects a render needs (and the operator's Deployment), printing what RBAC hid.
pub async fn fetch_snapshot(cluster: &Cluster, plan: FetchPlan) -> Result<Snapshot, CliError> {
    fetch_warning(cluster, plan)
        .await
        .map(|(snapshot, _)| snapshot)
}

/// As [`fetch_snapshot`], for a comparison with what is live: an object RBAC hides would
/// show as a difference the operator does not make, so any is an error (exit 2) after the
/// warnings that name them, as `kubectl diff` fails on what it cannot read.
pub async fn fetch_snapshot_to_compare(
    cluster: &Cluster,
    plan: FetchPlan,
) -> Result<Snapshot, CliError> {
    let (snapshot, notices) = fetch_warning(cluster, plan).await?;
    refuse_missing_objects(&notices)?;
    Ok(snapshot)
}

/// The cluster's objects, and what could not be read, which is printed.
async fn fetch_warning(
    cluster: &Cluster,
    plan: FetchPlan,
) -> Result<(Snapshot, Vec<Notice>), CliError> {
    let progress = Progress::start("reading the cluster");
    let (snapshot, notices) = cluster.fetch_snapshot(plan).await.map_err(cluster_error)?;
    drop(progress);
    warn_notices(&notices);
    Ok((snapshot, notices))
}

fn refuse_missing_objects(notices: &[Notice]) -> Result<(), CliError> {
    if notices.iter().any(|n| n.objects_missing) {
        return Err(CliError::usage(anyhow!(
            "cannot compare: objects the operator reads could not be read (warned above), and \
             the rendered side would lack what they hold; grant the permissions named, or \
             render from files with `render -f`"
        )));
    }
    Ok(())
}

/// Reads the Secrets and ConfigMaps that `local` objects reference and `snapshot` lacks (the
/// cluster snapshot only holds those its own objects reference); for a comparison, so one
/// that cannot be read is an error.
pub async fn fetch_local_references(
    cluster: &Cluster,
    snapshot: &mut Snapshot,
    local: &Snapshot,
) -> Result<(), CliError> {
    let wanted = local
        .monitoring_objects_json()
        .iter()
        .flat_map(references::references)
        .collect::<Vec<_>>();
    let notices = cluster
        .fetch_references(snapshot, wanted)
        .await
        .map_err(cluster_error)?;
    warn_notices(&notices);
    refuse_missing_objects(&notices)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn instances_are_named_like_kubectl() {
        let p = parse_instance(&words(&["prom", "k8s"])).ok();
        assert_eq!(
            p,
            Some(InstanceName {
                kind: InstanceKind::Prometheus,
                name: "k8s".into()
            })
        );
        let a = parse_instance(&words(&["am/main"])).ok().map(|i| i.kind);
        assert_eq!(a, Some(InstanceKind::Alertmanager));
        let agent = parse_instance(&words(&["prometheusagents.monitoring.coreos.com", "x"]))
            .ok()
            .map(|i| i.kind);
        assert_eq!(agent, Some(InstanceKind::PrometheusAgent));
        assert!(parse_instance(&words(&["pod", "x"])).is_err());
        assert!(parse_instance(&words(&["prometheus"])).is_err());
    }
}
