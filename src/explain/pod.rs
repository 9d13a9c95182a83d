//! The pod of a Prometheus or PrometheusAgent as the operator would create it: its containers
//! and images, where each Secret, ConfigMap and volume lands, and the file paths the instance
//! and the monitors it selects name that the pod will not have.

use k8s_openapi::api::core::v1::PodSpec;
use serde::Serialize;

use crate::instance::mounted_rule_config_maps;
use crate::operator::OperatorOptions;
use crate::rules::RulesError;
use crate::select::Selection;
use crate::snapshot::Snapshot;
use crate::target::Target;
use crate::validate::paths::{self, MissingPath};
use crate::workload::{
    MountSource, Workload, WorkloadError, WorkloadInput, agent_workload, prometheus_statefulset,
};

/// The pod section of an instance's explanation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PodExplanation {
    /// Init containers first, then containers, in the pod's order.
    pub containers: Vec<PodContainer>,
    /// Every mount of every container.
    pub mounts: Vec<PodMount>,
    /// Paths named by the instance or a monitor it selects that the pod will not have.
    pub missing_files: Vec<MissingFile>,
}

/// One container of the pod.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PodContainer {
    /// Its name.
    pub name: String,
    /// Its image.
    pub image: String,
    /// Whether it is an init container.
    pub init: bool,
}

/// Where one volume lands in one container.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PodMount {
    /// The container.
    pub container: String,
    /// The mount path.
    pub path: String,
    /// What it holds: `Secret NAME`, `ConfigMap NAME`, `volume NAME`, `operator volume NAME`
    /// or `service account token`.
    pub source: String,
    /// Whether the source is one the user chose (`spec.secrets`, `spec.configMaps`,
    /// `spec.volumes`), rather than one the operator mounts for itself.
    pub user: bool,
    /// The files in it, when the input holds the Secret or ConfigMap.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub files: Option<Vec<String>>,
}

/// A path the pod will not have.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MissingFile {
    /// The object naming it: `Kind namespace/name`.
    pub object: String,
    /// The field.
    pub field: String,
    /// The path as written.
    pub path: String,
    /// What is missing, the mount that would provide it and the nearest existing path.
    pub message: String,
}

impl From<MissingPath> for MissingFile {
    fn from(missing: MissingPath) -> Self {
        MissingFile {
            object: missing.object,
            field: missing.field,
            path: missing.path,
            message: missing.message,
        }
    }
}

/// Why the operator would not create an instance's pod.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PodError {
    /// It refuses to generate the workload.
    #[error(transparent)]
    Workload(#[from] WorkloadError),
    /// It cannot select the instance's rules, and stops before the workload.
    #[error(transparent)]
    Rules(#[from] RulesError),
}

/// The pod `target` would run, as the operator generates it (with the rule ConfigMaps it
/// mounts); `selection` is what it selects.
pub fn explain_pod(
    snapshot: &Snapshot,
    target: Target<'_>,
    selection: &Selection<'_>,
    options: &OperatorOptions,
) -> Result<PodExplanation, PodError> {
    let rule_config_maps = mounted_rule_config_maps(snapshot, target, options)?;
    let input = WorkloadInput {
        rule_config_map_names: rule_config_maps.clone(),
        ..WorkloadInput::default()
    };
    let pod = match target {
        Target::Server(p) => prometheus_statefulset(p, options, &input)?
            .object
            .spec
            .and_then(|s| s.template.spec),
        Target::Agent(a) => match agent_workload(a, options, &input)?.object {
            Workload::StatefulSet(s) => s.spec.and_then(|s| s.template.spec),
            Workload::DaemonSet(d) => d.spec.and_then(|s| s.template.spec),
        },
    };
    let files = paths::instance_files(
        snapshot,
        target,
        Some(selection),
        options,
        &rule_config_maps,
    )?;
    Ok(PodExplanation {
        containers: pod.as_ref().map(containers).unwrap_or_default(),
        mounts: files
            .mounts
            .into_iter()
            .map(|mount| {
                let (source, user) = match mount.source {
                    MountSource::Secret(name) => (format!("Secret {name}"), true),
                    MountSource::ConfigMap(name) => (format!("ConfigMap {name}"), true),
                    MountSource::Volume(name) => (format!("volume {name}"), true),
                    MountSource::Operator(name) => (format!("operator volume {name}"), false),
                    MountSource::ServiceAccountToken => ("service account token".to_owned(), false),
                };
                PodMount {
                    container: mount.container,
                    path: mount.path,
                    source,
                    user,
                    files: mount.files,
                }
            })
            .collect(),
        missing_files: files.missing.into_iter().map(MissingFile::from).collect(),
    })
}

/// The paths `object` (`Kind namespace/name`) names that `target`'s pod will not have.
pub fn missing_files_of(
    snapshot: &Snapshot,
    target: Target<'_>,
    options: &OperatorOptions,
    object: &str,
) -> Vec<MissingFile> {
    let Ok(rule_config_maps) = mounted_rule_config_maps(snapshot, target, options) else {
        return Vec::new();
    };
    paths::instance_files(snapshot, target, None, options, &rule_config_maps)
        .map(|files| {
            files
                .missing
                .into_iter()
                .filter(|m| m.object == object)
                .map(MissingFile::from)
                .collect()
        })
        .unwrap_or_default()
}

fn containers(pod: &PodSpec) -> Vec<PodContainer> {
    let listed = |list: &[k8s_openapi::api::core::v1::Container], init: bool| {
        list.iter()
            .map(|c| PodContainer {
                name: c.name.clone(),
                image: c.image.clone().unwrap_or_default(),
                init,
            })
            .collect::<Vec<_>>()
    };
    let mut all = listed(pod.init_containers.as_deref().unwrap_or_default(), true);
    all.extend(listed(&pod.containers, false));
    all
}
