//! What the cluster-reading commands share: naming an instance (`prometheus NAME`,
//! `am/NAME`), reading the operator's generated Secret, reading a snapshot, and rendering an
//! instance from the cluster's objects.

use std::future::Future;

use anyhow::anyhow;
use k8s_openapi::api::core::v1::{ConfigMap, Secret};
use promop::cluster::{self, Cluster, ClusterError, FetchPlan, ResourceType};
use promop::decode::{self, DecodeError};
use promop::render::{OperatorOptions, RenderRequest, Rendered, Target};
use promop::select::{self, Outcome, Selection};
use promop::snapshot::Snapshot;
use serde_json::Value;

use super::CliError;
use super::kube_args::KubeArgs;
use super::operator::OperatorArgs;
use super::output;
use super::progress::Progress;
use super::resource_arg::{self, Kind};
use super::target::Instance;

/// The kind of instance whose generated configuration a command reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InstanceKind {
    /// `Prometheus` (Secret `prometheus-<name>`).
    Prometheus,
    /// `PrometheusAgent` (Secret `prom-agent-<name>`).
    PrometheusAgent,
    /// `Alertmanager` (Secret `alertmanager-<name>-generated`).
    Alertmanager,
}

impl InstanceKind {
    /// The custom resource's type.
    pub fn resource_type(self) -> ResourceType {
        match self {
            InstanceKind::Prometheus => cluster::PROMETHEUSES,
            InstanceKind::PrometheusAgent => cluster::PROMETHEUS_AGENTS,
            InstanceKind::Alertmanager => cluster::ALERTMANAGERS,
        }
    }

    /// Prefix of the objects the operator creates for an instance (and of its pods).
    pub fn object_prefix(self) -> &'static str {
        match self {
            InstanceKind::Prometheus => "prometheus",
            InstanceKind::PrometheusAgent => "prom-agent",
            InstanceKind::Alertmanager => "alertmanager",
        }
    }

    /// Name of the Secret holding the generated configuration.
    pub fn secret_name(self, name: &str) -> String {
        match self {
            InstanceKind::Alertmanager => format!("alertmanager-{name}-generated"),
            _ => format!("{}-{name}", self.object_prefix()),
        }
    }

    /// Key of the gzipped configuration in that Secret.
    pub fn secret_key(self) -> &'static str {
        match self {
            InstanceKind::Alertmanager => "alertmanager.yaml.gz",
            _ => decode::CONFIG_FILENAME,
        }
    }
}

/// An instance named on the command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InstanceName {
    /// Its kind.
    pub kind: InstanceKind,
    /// Its name.
    pub name: String,
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
    Ok(runtime.block_on(future))
}

/// A failed cluster request: exit 2 with the cluster module's message.
pub fn cluster_error(error: ClusterError) -> CliError {
    CliError::usage(anyhow::Error::new(error))
}

/// The generated configuration as the cluster holds it.
#[derive(Clone, Debug)]
pub struct LiveConfig {
    /// `namespace/name` of the Secret.
    pub secret: String,
    /// The decompressed configuration text.
    pub text: String,
    /// Size of the gzipped value.
    pub compressed_bytes: usize,
    /// Size of all the Secret's data values, as the API server counts them.
    pub secret_data_bytes: usize,
}

/// Reads and decompresses the generated configuration of `instance` in `namespace`.
pub async fn read_live_config(
    cluster: &Cluster,
    namespace: &str,
    instance: &InstanceName,
    decompressed_limit: usize,
) -> Result<LiveConfig, CliError> {
    let secret_name = instance.kind.secret_name(&instance.name);
    let key = instance.kind.secret_key();
    let what = format!("Secret {namespace}/{secret_name}");
    let secret = cluster
        .get(&cluster::SECRETS, Some(namespace), &secret_name)
        .await
        .map_err(cluster_error)?;
    let Some(secret) = secret else {
        let owner = cluster
            .get(
                &instance.kind.resource_type(),
                Some(namespace),
                &instance.name,
            )
            .await
            .ok()
            .flatten();
        let kind = instance.kind.resource_type().kind;
        let hint = match owner {
            Some(_) => format!(
                "{kind} {namespace}/{} exists but the operator has not written its configuration \
                 (is the operator running and watching this namespace?)",
                instance.name
            ),
            None => format!(
                "no {kind} {namespace}/{} either (check the name and -n/--namespace)",
                instance.name
            ),
        };
        return Err(CliError::usage(anyhow!("{what} not found: {hint}")));
    };
    let data = secret["data"].as_object();
    let secret_data_bytes = data
        .map(|d| {
            d.values()
                .filter_map(Value::as_str)
                .filter_map(|v| decode::base64_decode(v).ok())
                .map(|v| v.len())
                .sum()
        })
        .unwrap_or(0);
    let Some(encoded) = data.and_then(|d| d.get(key)).and_then(Value::as_str) else {
        let keys: Vec<&str> = data
            .map(|d| d.keys().map(String::as_str).collect())
            .unwrap_or_default();
        return Err(CliError::usage(anyhow!(
            "{what} has no key {key} (keys: {}); it was not written by the operator?",
            if keys.is_empty() {
                "none".to_owned()
            } else {
                keys.join(", ")
            }
        )));
    };
    let payload_error = |e: DecodeError| {
        let hint = match e {
            DecodeError::TooLarge { .. } => " (raise --max-decompressed-bytes if it is genuine)",
            _ => "",
        };
        CliError::usage(anyhow!("{what}, key {key}: {e}{hint}"))
    };
    let compressed = decode::base64_decode(encoded).map_err(payload_error)?;
    let text = decode::gunzip_text(&compressed, decompressed_limit).map_err(payload_error)?;
    Ok(LiveConfig {
        secret: format!("{namespace}/{secret_name}"),
        text,
        compressed_bytes: compressed.len(),
        secret_data_bytes,
    })
}

/// Reads the objects a render needs (and the operator's Deployment), printing what RBAC hid.
pub async fn fetch_snapshot(cluster: &Cluster) -> Result<Snapshot, CliError> {
    let plan = FetchPlan {
        workloads: false,
        operator: true,
    };
    let progress = Progress::start("reading the cluster");
    let (snapshot, notices) = cluster.fetch_snapshot(plan).await.map_err(cluster_error)?;
    drop(progress);
    for notice in notices {
        output::warn(&format!("{}: {}", notice.what, notice.message));
    }
    Ok(snapshot)
}

/// Reads the Secrets and ConfigMaps that `local` objects reference and `snapshot` lacks (the
/// cluster snapshot only holds those its own objects reference).
pub async fn fetch_local_references(
    cluster: &Cluster,
    snapshot: &mut Snapshot,
    local: &Snapshot,
) -> Result<(), CliError> {
    let references = cluster::referenced_objects(&local_monitoring_objects(local));
    fetch_missing_references(cluster, snapshot, references).await
}

/// Reads each referenced Secret or ConfigMap that `snapshot` lacks into it. A reference from an
/// object without a namespace is looked up in the current namespace and filed under none, as
/// its referrer is. What RBAC hides is a warning, not an error.
pub async fn fetch_missing_references(
    cluster: &Cluster,
    snapshot: &mut Snapshot,
    references: impl IntoIterator<Item = cluster::Reference>,
) -> Result<(), CliError> {
    for cluster::Reference {
        namespace,
        name,
        config_map,
    } in references
    {
        let (ty, present) = if config_map {
            (
                cluster::CONFIG_MAPS,
                snapshot.config_map(&namespace, &name).is_some(),
            )
        } else {
            (
                cluster::SECRETS,
                snapshot.secret(&namespace, &name).is_some(),
            )
        };
        if present {
            continue;
        }
        let lookup_namespace = if namespace.is_empty() {
            cluster.namespace()
        } else {
            namespace.as_str()
        };
        match cluster.get(&ty, Some(lookup_namespace), &name).await {
            Ok(Some(object)) => {
                let filed = if config_map {
                    serde_json::from_value(object).map(|mut cm: ConfigMap| {
                        cm.metadata.namespace = Some(namespace.clone());
                        snapshot.config_maps.push(cm);
                    })
                } else {
                    serde_json::from_value(object).map(|mut secret: Secret| {
                        secret.metadata.namespace = Some(namespace.clone());
                        snapshot.secrets.push(secret);
                    })
                };
                if let Err(e) = filed {
                    output::warn(&format!(
                        "{} {lookup_namespace}/{name}: skipped: {e}",
                        ty.kind
                    ));
                }
            }
            Ok(None) => {}
            Err(ClusterError::Forbidden { permission, .. }) => output::warn(&format!(
                "{} {lookup_namespace}/{name}: not readable: missing permission {permission}",
                ty.kind
            )),
            Err(e) => return Err(cluster_error(e)),
        }
    }
    Ok(())
}

/// The local custom resources as JSON, namespaced as laid over the cluster.
fn local_monitoring_objects(local: &Snapshot) -> Vec<Value> {
    fn json<T: serde::Serialize>(items: &[T]) -> impl Iterator<Item = Value> + '_ {
        items.iter().filter_map(|i| serde_json::to_value(i).ok())
    }
    json(&local.prometheuses)
        .chain(json(&local.prometheus_agents))
        .chain(json(&local.service_monitors))
        .chain(json(&local.pod_monitors))
        .chain(json(&local.probes))
        .chain(json(&local.scrape_configs))
        .collect()
}

/// The `Prometheus` or `PrometheusAgent` `namespace/name` in the snapshot.
pub fn find_instance(
    snapshot: &Snapshot,
    namespace: &str,
    instance: &InstanceName,
) -> Result<Instance, CliError> {
    let named = |meta: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta| {
        meta.namespace.as_deref() == Some(namespace)
            && meta.name.as_deref() == Some(instance.name.as_str())
    };
    let found = match instance.kind {
        InstanceKind::Prometheus => snapshot
            .prometheuses
            .iter()
            .find(|p| named(&p.metadata))
            .cloned()
            .map(|p| Instance::Server(Box::new(p))),
        InstanceKind::PrometheusAgent => snapshot
            .prometheus_agents
            .iter()
            .find(|a| named(&a.metadata))
            .cloned()
            .map(|a| Instance::Agent(Box::new(a))),
        InstanceKind::Alertmanager => {
            return Err(CliError::usage(anyhow!(
                "rendering an Alertmanager configuration is not supported; use prometheus or prometheusagent"
            )));
        }
    };
    found.ok_or_else(|| {
        CliError::usage(anyhow!(
            "{} {namespace}/{} not found in the cluster (or not readable)",
            instance.kind.resource_type().kind,
            instance.name
        ))
    })
}

/// The operator's image tag (e.g. `v0.93.0`), when its Deployment was readable.
pub fn operator_version(snapshot: &Snapshot) -> Option<String> {
    operator_containers(snapshot)
        .filter_map(|c| c.image.as_deref())
        .filter(|image| image.contains("prometheus-operator"))
        .find_map(|image| {
            let (_, tag) = image.rsplit_once(':')?;
            (!tag.contains('/')).then(|| tag.to_owned())
        })
}

fn operator_containers(
    snapshot: &Snapshot,
) -> impl Iterator<Item = &k8s_openapi::api::core::v1::Container> {
    snapshot
        .deployments
        .iter()
        .filter_map(|d| d.spec.as_ref())
        .filter_map(|s| s.template.spec.as_ref())
        .flat_map(|s| s.containers.iter())
}

/// The operator's `--feature-gates`, read from its Deployment's container arguments.
fn operator_feature_gates(snapshot: &Snapshot) -> Vec<String> {
    let mut gates = Vec::new();
    for container in operator_containers(snapshot) {
        let args: Vec<&String> = container
            .command
            .iter()
            .flatten()
            .chain(container.args.iter().flatten())
            .collect();
        let mut words = args.iter();
        while let Some(arg) = words.next() {
            let arg = arg.trim_start_matches('-');
            if let Some(value) = arg.strip_prefix("feature-gates=") {
                gates.extend(value.split(',').map(str::to_owned));
            } else if arg == "feature-gates"
                && let Some(value) = words.next()
            {
                gates.extend(value.split(',').map(str::to_owned));
            }
        }
    }
    gates
}

/// Operator options: the flags given, else the feature gates of the operator's Deployment.
pub fn operator_options(
    snapshot: &Snapshot,
    flags: &OperatorArgs,
) -> Result<OperatorOptions, CliError> {
    if !flags.feature_gates.is_empty() {
        return flags.options();
    }
    let gates = operator_feature_gates(snapshot);
    let known = [
        "PrometheusAgentDaemonSet",
        "PrometheusTopologySharding",
        "PrometheusShardRetentionPolicy",
        "PodTopologyLabels",
    ];
    let from_deployment = OperatorArgs {
        endpointslice: flags.endpointslice,
        feature_gates: gates
            .into_iter()
            .filter(|g| known.contains(&g.split('=').next().unwrap_or("").trim()))
            .collect(),
        inline_tls_config: flags.inline_tls_config,
        no_version_check: flags.no_version_check,
    };
    from_deployment.options()
}

/// What rendering an instance from a snapshot gives.
pub struct LiveRender<'a> {
    /// The configuration and the renderer's warnings.
    pub rendered: Rendered,
    /// The selection it was rendered from (to explain rejected resources).
    pub selection: Selection<'a>,
}

/// Selects and renders `instance` over `snapshot`, as `render` does.
pub fn render_instance<'a>(
    snapshot: &'a Snapshot,
    instance: &Instance,
    options: OperatorOptions,
) -> Result<LiveRender<'a>, CliError> {
    let target = instance.target();
    let selection = select::select(snapshot, target).map_err(CliError::invalid)?;
    let rule_config_map_names = match target {
        Target::Server(p) if p.spec.rule_selector.is_some() => {
            vec![format!(
                "prometheus-{}-rulefiles-0",
                p.metadata.name.as_deref().unwrap_or("")
            )]
        }
        _ => Vec::new(),
    };
    let request = RenderRequest {
        target,
        service_monitors: select::selected(&selection.service_monitors),
        pod_monitors: select::selected(&selection.pod_monitors),
        probes: select::selected(&selection.probes),
        scrape_configs: select::selected(&selection.scrape_configs),
        snapshot,
        options,
        rule_config_map_names,
    };
    let rendered = promop::render::render(&request).map_err(CliError::invalid)?;
    Ok(LiveRender {
        rendered,
        selection,
    })
}

/// `render TYPE NAME` without files: the snapshot, instance and options from the cluster.
pub fn cluster_input(
    words: &[String],
    kube: &KubeArgs,
    flags: &OperatorArgs,
) -> Result<(Snapshot, Instance, OperatorOptions), CliError> {
    if words.is_empty() {
        return Err(CliError::usage(anyhow!(
            "give manifests with -f FILE, or TYPE NAME (e.g. prometheus k8s) to render from the cluster"
        )));
    }
    let instance = parse_instance(words)?;
    block_on(async {
        let cluster = kube.connect().await?;
        let snapshot = fetch_snapshot(&cluster).await?;
        let found = find_instance(&snapshot, cluster.namespace(), &instance)?;
        let options = operator_options(&snapshot, flags)?;
        Ok((snapshot, found, options))
    })?
}

/// Every rejected resource of a selection as `(Kind namespace/name, reason)`.
pub fn rejected_resources(selection: &Selection<'_>) -> Vec<(String, String)> {
    fn of<T>(kind: &str, candidates: &[select::Candidate<'_, T>]) -> Vec<(String, String)> {
        candidates
            .iter()
            .filter_map(|c| match &c.outcome {
                Outcome::Rejected(why) => Some((format!("{kind} {}", c.key), why.to_string())),
                _ => None,
            })
            .collect()
    }
    let mut all = of("ServiceMonitor", &selection.service_monitors);
    all.extend(of("PodMonitor", &selection.pod_monitors));
    all.extend(of("Probe", &selection.probes));
    all.extend(of("ScrapeConfig", &selection.scrape_configs));
    all
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

    #[test]
    fn secret_names_follow_the_operator() {
        assert_eq!(
            InstanceKind::Prometheus.secret_name("k8s"),
            "prometheus-k8s"
        );
        assert_eq!(
            InstanceKind::PrometheusAgent.secret_name("a"),
            "prom-agent-a"
        );
        assert_eq!(
            InstanceKind::Alertmanager.secret_name("main"),
            "alertmanager-main-generated"
        );
        assert_eq!(
            InstanceKind::Alertmanager.secret_key(),
            "alertmanager.yaml.gz"
        );
    }
}
