//! Paths that do not exist: every file a selected ServiceMonitor, PodMonitor, Probe or
//! ScrapeConfig, or the Prometheus itself, names (`caFile`, `certFile`, `keyFile`,
//! `bearerTokenFile`, `credentialsFile`, `passwordFile`, file SD files, ...) checked against
//! the files its pod will have (`spec.secrets`, `spec.configMaps`, the operator's own
//! mounts, the service account token), as `makeStatefulSetSpec` mounts them. Only for objects
//! a Prometheus or PrometheusAgent of the input selects: otherwise the pod is unknown.

use std::collections::BTreeMap;

use crate::operator::OperatorOptions;
use crate::select::{self, Selection};
use crate::snapshot::Snapshot;
use crate::target::Target;
use crate::workload::objects::PROMETHEUS_CONFIG_DIR;
use crate::workload::{
    FileReference, FileSource, Instance, Mount, MountSource, PathCheck, WorkloadError, check_path,
    file_references, mounted_files,
};

/// A file path that the pod of an instance will not have.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MissingPath {
    /// The object naming the file: `Kind namespace/name`.
    pub object: String,
    /// The field, e.g. `spec.endpoints[0].tlsConfig.caFile`.
    pub field: String,
    /// The path as written.
    pub path: String,
    /// The instance whose pod lacks it: `Kind namespace/name`.
    pub instance: String,
    /// What is missing, the missing mount and the nearest existing path.
    pub message: String,
    /// A file of file-based discovery: missing, it gives no targets, and Prometheus still
    /// loads its configuration (a warning, where a missing certificate is an error).
    pub discovery: bool,
}

/// Every missing path of the objects each Prometheus and PrometheusAgent of `snapshot`
/// selects, and of the instances themselves, in instance order; `rule_config_maps` names the
/// rule ConfigMaps an instance mounts, `None` when the operator cannot write them.
pub fn missing_paths(
    snapshot: &Snapshot,
    options: &OperatorOptions,
    rule_config_maps: &dyn Fn(Target<'_>) -> Option<Vec<String>>,
) -> Vec<MissingPath> {
    snapshot
        .prometheuses
        .iter()
        .map(Target::Server)
        .chain(snapshot.prometheus_agents.iter().map(Target::Agent))
        // An instance the operator cannot generate a pod for is reported by its own checks.
        .filter_map(|target| {
            let names = rule_config_maps(target)?;
            instance_files(snapshot, target, None, options, &names).ok()
        })
        .flat_map(|files| files.missing)
        .collect()
}

/// The files the pod of one instance will have, and the paths it and what it selects name
/// that the pod will not have.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InstanceFiles {
    /// Every mount of every container, with the keys of the Secrets and ConfigMaps the
    /// snapshot holds.
    pub mounts: Vec<Mount>,
    /// The paths the pod lacks.
    pub missing: Vec<MissingPath>,
}

/// The mounts of `target`'s pod and the missing paths of `target` and of the monitors it
/// selects (`selection`, when the caller has selected them already); `rule_config_maps` are
/// the rule ConfigMaps it mounts.
pub fn instance_files(
    snapshot: &Snapshot,
    target: Target<'_>,
    selection: Option<&Selection<'_>>,
    options: &OperatorOptions,
    rule_config_maps: &[String],
) -> Result<InstanceFiles, WorkloadError> {
    let instance = Instance::from(target);
    let mounts = with_known_keys(
        snapshot,
        target.namespace(),
        mounted_files(instance, options, rule_config_maps)?,
    );
    let described = format!("{} {}/{}", target.kind(), target.namespace(), target.name());
    let mut sources: Vec<(String, Vec<FileReference>)> = vec![(
        described.clone(),
        file_references(match target {
            Target::Server(p) => FileSource::Prometheus(p),
            Target::Agent(a) => FileSource::Agent(a),
        }),
    )];
    let selected_here = match selection {
        Some(_) => None,
        None => select::select_monitors(snapshot, target, &options.namespaces).ok(),
    };
    if let Some(selection) = selection.or(selected_here.as_ref()) {
        // The kind's name is also its `FileSource` variant.
        macro_rules! selected {
            ($list:ident, $kind:ident) => {
                for c in selection.$list.iter().filter(|c| c.is_selected()) {
                    let object = format!(concat!(stringify!($kind), " {}"), c.key);
                    sources.push((object, file_references(FileSource::$kind(c.resource))));
                }
            };
        }
        selected!(service_monitors, ServiceMonitor);
        selected!(pod_monitors, PodMonitor);
        selected!(probes, Probe);
        selected!(scrape_configs, ScrapeConfig);
    }
    let mut missing = Vec::new();
    for (object, references) in sources {
        for reference in references {
            let in_container: Vec<Mount> = mounts
                .iter()
                .filter(|m| m.container == reference.container)
                .cloned()
                .collect();
            let absolute = if reference.path.starts_with('/') {
                reference.path.clone()
            } else {
                format!("{PROMETHEUS_CONFIG_DIR}/{}", reference.path)
            };
            if let Some(message) = describe(&check_path(&in_container, &absolute)) {
                missing.push(MissingPath {
                    object: object.clone(),
                    message: format!(
                        "{} in the {} container of {described}: {message}",
                        if reference.discovery && reference.path.contains('*') {
                            format!("pattern {:?} matches no file", reference.path)
                        } else {
                            format!("file {:?} does not exist", reference.path)
                        },
                        reference.container
                    ),
                    field: reference.field,
                    path: reference.path,
                    instance: described.clone(),
                    discovery: reference.discovery,
                });
            }
        }
    }
    Ok(InstanceFiles { mounts, missing })
}

/// The mounts, with the keys of the Secrets and ConfigMaps the snapshot holds filled in.
fn with_known_keys(snapshot: &Snapshot, namespace: &str, mut mounts: Vec<Mount>) -> Vec<Mount> {
    for mount in &mut mounts {
        let keys: Option<Vec<String>> = match &mount.source {
            MountSource::Secret(name) => snapshot.secret(namespace, name).map(|s| {
                let mut keys: Vec<String> =
                    s.data.iter().flatten().map(|(k, _)| k.clone()).collect();
                keys.extend(s.string_data.iter().flatten().map(|(k, _)| k.clone()));
                keys
            }),
            MountSource::ConfigMap(name) => snapshot.config_map(namespace, name).map(|c| {
                let mut keys: Vec<String> =
                    c.data.iter().flatten().map(|(k, _)| k.clone()).collect();
                keys.extend(c.binary_data.iter().flatten().map(|(k, _)| k.clone()));
                keys
            }),
            _ => None,
        };
        if let Some(mut keys) = keys {
            keys.sort();
            keys.dedup();
            mount.files = Some(keys);
        }
    }
    mounts
}

fn describe(check: &PathCheck) -> Option<String> {
    match check {
        PathCheck::Ok => None,
        PathCheck::NotInMount { mount, nearest } => Some(match nearest {
            Some(nearest) => format!("{mount} has no such file; did you mean {nearest:?}?"),
            None => format!("{mount} has no such file"),
        }),
        PathCheck::NotMounted {
            nearest,
            missing_mount,
        } => {
            let mut parts = vec!["no volume is mounted there".to_owned()];
            parts.extend(missing_mount.clone());
            if let Some(nearest) = nearest {
                parts.push(format!("nearest existing path: {nearest:?}"));
            }
            Some(parts.join("; "))
        }
    }
}

/// The missing paths by object, for attaching to the objects' reports.
pub fn by_object(missing: Vec<MissingPath>) -> BTreeMap<String, Vec<MissingPath>> {
    let mut map: BTreeMap<String, Vec<MissingPath>> = BTreeMap::new();
    for m in missing {
        map.entry(m.object.clone()).or_default().push(m);
    }
    map
}

#[cfg(test)]
mod tests {
    use super::*;

    fn etcd(secrets: &str) -> Snapshot {
        let text = format!(
            "apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata: {{name: k8s, namespace: monitoring}}
spec:
  serviceMonitorSelector: {{}}
  secrets: {secrets}
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {{name: etcd, namespace: monitoring}}
spec:
  selector: {{matchLabels: {{k8s-app: etcd}}}}
  endpoints:
  - port: metrics
    scheme: https
    tlsConfig:
      caFile: /etc/prometheus/secrets/etcd-certs/ca.crt
"
        );
        crate::snapshot::load("t.yaml", &text).unwrap().0
    }

    const NO_RULES: fn(Target<'_>) -> Option<Vec<String>> = |_| Some(Vec::new());

    #[test]
    fn the_etcd_example() {
        let options = OperatorOptions::default();
        assert_eq!(
            missing_paths(&etcd("[etcd-certs]"), &options, &NO_RULES),
            []
        );
        let renamed = missing_paths(&etcd("[etcd-cert]"), &options, &NO_RULES);
        assert_eq!(renamed.len(), 1, "{renamed:?}");
        assert_eq!(renamed[0].object, "ServiceMonitor monitoring/etcd");
        assert_eq!(renamed[0].field, "spec.endpoints[0].tlsConfig.caFile");
        assert!(
            renamed[0]
                .message
                .contains("Secret etcd-certs is not in spec.secrets"),
            "{}",
            renamed[0].message
        );
        assert!(
            renamed[0]
                .message
                .contains("/etc/prometheus/secrets/etcd-cert/ca.crt"),
            "{}",
            renamed[0].message
        );
        let missing = missing_paths(&etcd("[]"), &options, &NO_RULES);
        assert_eq!(missing.len(), 1);
        assert!(missing[0].message.contains("not in spec.secrets"));
    }

    #[test]
    fn rule_config_maps_are_mounted_paths() {
        let text = "apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata: {name: k8s, namespace: monitoring}\nspec:\n  scrapeClasses:\n  - name: rules\n    default: true\n    tlsConfig: {caFile: /etc/prometheus/rules/prometheus-k8s-rulefiles-0/ca.crt}\n";
        let snapshot = crate::snapshot::load("t.yaml", text).unwrap().0;
        let options = OperatorOptions::default();
        let mounted = |_: Target<'_>| Some(vec!["prometheus-k8s-rulefiles-0".to_owned()]);
        assert_eq!(missing_paths(&snapshot, &options, &mounted), []);
        assert_eq!(missing_paths(&snapshot, &options, &NO_RULES).len(), 1);
        // An instance whose rules cannot be selected gets no pod, and no path checks.
        assert_eq!(missing_paths(&snapshot, &options, &|_| None), []);
    }
}
