//! What the operator's own start-up flags restrict, read from its Deployment in the snapshot.

use serde::Serialize;

use crate::snapshot::Snapshot;

/// Annotation that assigns a Prometheus to one operator (`--controller-id`).
pub const CONTROLLER_ID_ANNOTATION: &str = "operator.prometheus.io/controller-id";

/// The operator flags that restrict what it reconciles.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OperatorFlags {
    /// The Deployment they come from, `namespace/name`.
    pub deployment: String,
    /// `--namespaces`: the only namespaces watched (empty: all).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub namespaces: Vec<String>,
    /// `--deny-namespaces`: namespaces never watched.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub deny_namespaces: Vec<String>,
    /// `--prometheus-instance-namespaces`: where Prometheus objects are watched (empty: as
    /// `--namespaces`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub prometheus_instance_namespaces: Vec<String>,
    /// `--controller-id` (empty: reconciles objects without the annotation).
    pub controller_id: String,
}

impl OperatorFlags {
    /// Why the operator does not watch resources in `namespace`, if it does not.
    pub fn excludes_namespace(&self, namespace: &str) -> Option<(&'static str, String)> {
        if !self.namespaces.is_empty() && !self.namespaces.iter().any(|n| n == namespace) {
            return Some((
                "--namespaces",
                format!(
                    "the operator ({}) watches only namespaces {} (--namespaces), not {namespace:?}",
                    self.deployment,
                    self.namespaces.join(",")
                ),
            ));
        }
        if self.namespaces.is_empty() && self.deny_namespaces.iter().any(|n| n == namespace) {
            return Some((
                "--deny-namespaces",
                format!(
                    "the operator ({}) ignores namespace {namespace:?} (--deny-namespaces={})",
                    self.deployment,
                    self.deny_namespaces.join(",")
                ),
            ));
        }
        None
    }

    /// Why the operator does not reconcile a Prometheus in `namespace` with the given
    /// controller-id annotation, if it does not.
    pub fn ignores_instance(&self, namespace: &str, annotation: Option<&str>) -> Option<String> {
        let annotation = annotation.unwrap_or("");
        if annotation != self.controller_id {
            return Some(if self.controller_id.is_empty() {
                format!(
                    "the operator ({}) runs without --controller-id and reconciles only objects \
                     without the {CONTROLLER_ID_ANNOTATION} annotation; this one has {annotation:?}",
                    self.deployment
                )
            } else {
                format!(
                    "the operator ({}) runs with --controller-id={} and reconciles only objects \
                     annotated {CONTROLLER_ID_ANNOTATION}={}; this one has {annotation:?}",
                    self.deployment, self.controller_id, self.controller_id
                )
            });
        }
        let instance_namespaces = if self.prometheus_instance_namespaces.is_empty() {
            &self.namespaces
        } else {
            &self.prometheus_instance_namespaces
        };
        if !instance_namespaces.is_empty() && !instance_namespaces.iter().any(|n| n == namespace) {
            return Some(format!(
                "the operator ({}) watches Prometheus objects only in {} \
                 (--prometheus-instance-namespaces / --namespaces), not {namespace:?}",
                self.deployment,
                instance_namespaces.join(",")
            ));
        }
        if self.prometheus_instance_namespaces.is_empty()
            && self.namespaces.is_empty()
            && self.deny_namespaces.iter().any(|n| n == namespace)
        {
            return Some(format!(
                "the operator ({}) ignores namespace {namespace:?} (--deny-namespaces)",
                self.deployment
            ));
        }
        None
    }
}

/// The flags of the first prometheus-operator Deployment in the snapshot, if any.
pub fn operator_flags(snapshot: &Snapshot) -> Option<OperatorFlags> {
    snapshot.deployments.iter().find_map(|deployment| {
        let pod = deployment.spec.as_ref()?.template.spec.as_ref()?;
        let container = pod.containers.iter().find(|c| {
            c.name == "prometheus-operator"
                || c.image.as_deref().is_some_and(|i| {
                    i.contains("prometheus-operator:") || i.ends_with("/prometheus-operator")
                })
        })?;
        let mut flags = OperatorFlags {
            deployment: format!(
                "{}/{}",
                deployment.metadata.namespace.as_deref().unwrap_or(""),
                deployment.metadata.name.as_deref().unwrap_or("")
            ),
            ..OperatorFlags::default()
        };
        let args = container.args.iter().flatten();
        let command = container.command.iter().flatten();
        let mut pending: Option<String> = None;
        for arg in command.chain(args) {
            let (name, value) = match pending.take() {
                Some(name) => (name, arg.clone()),
                None => {
                    let Some(flag) = arg.strip_prefix("--").or_else(|| arg.strip_prefix('-'))
                    else {
                        continue;
                    };
                    match flag.split_once('=') {
                        Some((n, v)) => (n.to_owned(), v.to_owned()),
                        None if is_list_flag(flag) || flag == "controller-id" => {
                            pending = Some(flag.to_owned());
                            continue;
                        }
                        None => continue,
                    }
                }
            };
            let list = || -> Vec<String> {
                value
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect()
            };
            match name.as_str() {
                "namespaces" => flags.namespaces = list(),
                "deny-namespaces" => flags.deny_namespaces = list(),
                "prometheus-instance-namespaces" => flags.prometheus_instance_namespaces = list(),
                "controller-id" => flags.controller_id = value.clone(),
                _ => {}
            }
        }
        Some(flags)
    })
}

fn is_list_flag(flag: &str) -> bool {
    matches!(
        flag,
        "namespaces" | "deny-namespaces" | "prometheus-instance-namespaces"
    )
}
