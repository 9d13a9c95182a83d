//! The files a generated pod has, as data, and the check of a path written into a monitor
//! (`caFile: /etc/prometheus/secrets/etcd-certs/ca.crt`) against them: a one-letter typo only
//! shows at runtime as a scrape error, so it is worth catching before.

use k8s_openapi::api::core::v1::{Container, PodSpec, Volume};

use crate::operator::OperatorOptions;
use crate::workload::{
    Instance, Workload, WorkloadError, WorkloadInput, agent_workload, alertmanager,
    alertmanager_statefulset, paths, prometheus, prometheus_statefulset,
};
use crate::yaml::edit_distance;

/// Where Kubernetes mounts the service account token when automounting is on.
pub const SERVICE_ACCOUNT_DIR: &str = "/var/run/secrets/kubernetes.io/serviceaccount";
/// The files of the service account mount.
const SERVICE_ACCOUNT_FILES: [&str; 3] = ["ca.crt", "namespace", "token"];
/// Operator directories whose content is fixed: the configuration the reloader reads and the
/// one it writes (relative paths in the configuration resolve against the latter).
const KNOWN_OPERATOR_FILES: [(&str, &str); 4] = [
    (prometheus::CONF_DIR, "prometheus.yaml.gz"),
    (prometheus::CONF_OUT_DIR, "prometheus.env.yaml"),
    (alertmanager::CONFIG_DIR, "alertmanager.yaml.gz"),
    (alertmanager::CONFIG_OUT_DIR, "alertmanager.env.yaml"),
];
/// Largest edit distance between a written directory and a mounted one still reported as the
/// nearest existing path.
const MAX_NEAR_MISS_DISTANCE: usize = 3;
/// Most path components compared when looking for a near miss.
const MAX_PATH_COMPONENTS: usize = 64;

/// What a mount holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MountSource {
    /// A Secret of `spec.secrets`, mounted at `.../secrets/<name>`.
    Secret(String),
    /// A ConfigMap of `spec.configMaps`, mounted at `.../configmaps/<name>`.
    ConfigMap(String),
    /// A volume of `spec.volumes` (or the storage volume) mounted by `spec.volumeMounts` or a
    /// container override: the volume name.
    Volume(String),
    /// A volume the operator mounts for itself (configuration, TLS assets, web configuration,
    /// rule files, ...): the volume name.
    Operator(String),
    /// The service account token Kubernetes mounts.
    ServiceAccountToken,
}

/// A mount of one container of the pod.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mount {
    /// The container (`prometheus`, `config-reloader`, `thanos-sidecar`, `alertmanager`, ...).
    pub container: String,
    /// The mount path: a directory, or a single file when `file` is set.
    pub path: String,
    /// Whether the mount is one file (`subPath`), like the web configuration.
    pub file: bool,
    /// What the mount holds.
    pub source: MountSource,
    /// The file names in the directory when known (the service account mount, or the keys of
    /// a Secret or ConfigMap filled in by a caller that has it); `None` when unknown.
    pub files: Option<Vec<String>>,
}

/// Outcome of [`check_path`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathCheck {
    /// The path is inside a mount (and among its files, when they are known).
    Ok,
    /// The directory is mounted but its known files do not include this one.
    NotInMount {
        /// The mount path.
        mount: String,
        /// The known file with the closest name, as a full path.
        nearest: Option<String>,
    },
    /// No mount holds the path.
    NotMounted {
        /// The closest existing path, found by edit distance on the directories.
        nearest: Option<String>,
        /// Why, when the path points into the Secret or ConfigMap directories: e.g.
        /// `Secret etcd-certs is not in spec.secrets`.
        missing_mount: Option<String>,
    },
}

/// The mounts of every container of the workload generated for `instance` (shard 0; init
/// containers left out), plus the service account token where it is automounted;
/// `rule_config_maps` are the rule ConfigMaps a Prometheus mounts.
///
/// # Errors
/// When the workload cannot be generated (see [`WorkloadError`]).
pub fn mounted_files(
    instance: Instance<'_>,
    options: &OperatorOptions,
    rule_config_maps: &[String],
) -> Result<Vec<Mount>, WorkloadError> {
    let input = WorkloadInput {
        rule_config_map_names: rule_config_maps.to_vec(),
        ..WorkloadInput::default()
    };
    let (pod, spec_volumes, secrets, config_maps, automount) = match instance {
        Instance::Prometheus(p) => {
            let sts = prometheus_statefulset(p, options, &input)?.object;
            let cpf = p.spec.common_fields();
            (
                sts.spec.and_then(|s| s.template.spec),
                &cpf.volumes,
                &cpf.secrets,
                &cpf.config_maps,
                cpf.automount_service_account_token,
            )
        }
        Instance::Agent(a) => {
            let pod = match agent_workload(a, options, &input)?.object {
                Workload::StatefulSet(s) => s.spec.and_then(|s| s.template.spec),
                Workload::DaemonSet(d) => d.spec.and_then(|s| s.template.spec),
            };
            let cpf = a.spec.common_fields();
            (
                pod,
                &cpf.volumes,
                &cpf.secrets,
                &cpf.config_maps,
                cpf.automount_service_account_token,
            )
        }
        Instance::Alertmanager(am) => {
            let sts = alertmanager_statefulset(am, options, &input)?.object;
            (
                sts.spec.and_then(|s| s.template.spec),
                &am.spec.volumes,
                &am.spec.secrets,
                &am.spec.config_maps,
                am.spec.automount_service_account_token,
            )
        }
    };
    let Some(pod) = pod else {
        return Ok(Vec::new());
    };
    let classify = Classifier {
        pod: &pod,
        spec_volumes,
        secrets,
        config_maps,
    };
    let mut mounts = Vec::new();
    for container in &pod.containers {
        mounts.extend(classify.container(container));
        if automount != Some(false) {
            mounts.push(Mount {
                container: container.name.clone(),
                path: SERVICE_ACCOUNT_DIR.to_owned(),
                file: false,
                source: MountSource::ServiceAccountToken,
                files: Some(
                    SERVICE_ACCOUNT_FILES
                        .iter()
                        .map(|f| (*f).to_owned())
                        .collect(),
                ),
            });
        }
    }
    Ok(mounts)
}

/// Tells user Secrets, ConfigMaps and volumes from the operator's own.
struct Classifier<'a> {
    pod: &'a PodSpec,
    spec_volumes: &'a [Volume],
    secrets: &'a [String],
    config_maps: &'a [String],
}

impl Classifier<'_> {
    fn container(&self, container: &Container) -> Vec<Mount> {
        container
            .volume_mounts
            .iter()
            .flatten()
            .map(|m| Mount {
                container: container.name.clone(),
                path: m.mount_path.clone(),
                file: m.sub_path.as_deref().is_some_and(|s| !s.is_empty())
                    && m.mount_path
                        .ends_with(m.sub_path.as_deref().unwrap_or_default()),
                source: self.source(&m.name, &m.mount_path),
                files: KNOWN_OPERATOR_FILES
                    .iter()
                    .find(|(dir, _)| *dir == m.mount_path)
                    .map(|(_, file)| vec![(*file).to_owned()]),
            })
            .collect()
    }

    fn source(&self, volume_name: &str, mount_path: &str) -> MountSource {
        let volume = self
            .pod
            .volumes
            .iter()
            .flatten()
            .find(|v| v.name == volume_name);
        let listed_in = |names: &[String], dirs: [&str; 2]| {
            names
                .iter()
                .find(|n| dirs.iter().any(|d| paths::join(&[d, n]) == mount_path))
                .cloned()
        };
        if let Some(secret) = volume.and_then(|v| v.secret.as_ref())
            && let Some(name) = listed_in(
                self.secrets,
                [prometheus::SECRETS_DIR, alertmanager::SECRETS_DIR],
            )
            && secret.secret_name.as_deref() == Some(name.as_str())
        {
            return MountSource::Secret(name);
        }
        if let Some(config_map) = volume.and_then(|v| v.config_map.as_ref())
            && let Some(name) = listed_in(
                self.config_maps,
                [prometheus::CONFIGMAPS_DIR, alertmanager::CONFIGMAPS_DIR],
            )
            && config_map.name == name
        {
            return MountSource::ConfigMap(name);
        }
        if self.spec_volumes.iter().any(|v| v.name == volume_name) || volume.is_none() {
            return MountSource::Volume(volume_name.to_owned());
        }
        MountSource::Operator(volume_name.to_owned())
    }
}

/// Whether the absolute `path` exists in one of `mounts` (Prometheus resolves a relative path
/// against its configuration directory, `/etc/prometheus/config_out`: join it first); if not, the nearest existing path and, for the
/// Secret and ConfigMap directories, which `spec.secrets` / `spec.configMaps` entry is missing.
pub fn check_path(mounts: &[Mount], path: &str) -> PathCheck {
    let path = paths::clean(path);
    let holder = mounts
        .iter()
        .filter(|m| contains(m, &path))
        .max_by_key(|m| m.path.len());
    if let Some(mount) = holder {
        let Some(files) = &mount.files else {
            return PathCheck::Ok;
        };
        let relative = path
            .strip_prefix(mount.path.as_str())
            .unwrap_or("")
            .trim_start_matches('/');
        let first = relative.split('/').next().unwrap_or("");
        if mount.file || files.iter().any(|f| f == first || glob_matches(first, f)) {
            return PathCheck::Ok;
        }
        if first.contains('*') {
            // A pattern matching no file has no nearest name.
            return PathCheck::NotInMount {
                mount: mount.path.clone(),
                nearest: None,
            };
        }
        let nearest = files
            .iter()
            .map(|f| (edit_distance(first, f), f))
            .filter(|(d, _)| *d <= MAX_NEAR_MISS_DISTANCE)
            .min()
            .map(|(_, f)| paths::join(&[&mount.path, f]));
        return PathCheck::NotInMount {
            mount: mount.path.clone(),
            nearest,
        };
    }
    PathCheck::NotMounted {
        nearest: nearest_mounted(mounts, &path).filter(|n| !n.contains('*')),
        missing_mount: missing_mount(&path),
    }
}

/// Whether `name` matches `pattern`, a file name whose `*`s stand for any run of characters
/// (file-based discovery's glob, which its CRD allows in the last path element only).
fn glob_matches(pattern: &str, name: &str) -> bool {
    let Some((head, rest)) = pattern.split_once('*') else {
        return false;
    };
    let Some(mut left) = name.strip_prefix(head) else {
        return false;
    };
    let mut parts: Vec<&str> = rest.split('*').collect();
    let tail = parts.pop().unwrap_or("");
    for part in parts {
        match left.find(part) {
            Some(at) => left = &left[at + part.len()..],
            None => return false,
        }
    }
    left.len() >= tail.len() && left.ends_with(tail)
}

fn contains(mount: &Mount, path: &str) -> bool {
    let mount_path = paths::clean(&mount.path);
    if mount.file {
        return path == mount_path;
    }
    path == mount_path
        || path
            .strip_prefix(mount_path.as_str())
            .is_some_and(|rest| rest.starts_with('/') || mount_path == "/")
}

/// The mounted directory (or file) closest to a leading part of `path`, with the rest of
/// `path` appended.
fn nearest_mounted(mounts: &[Mount], path: &str) -> Option<String> {
    let components: Vec<&str> = path
        .split('/')
        .filter(|c| !c.is_empty())
        .take(MAX_PATH_COMPONENTS)
        .collect();
    // Each leading part of the path, its length in characters, and the rest.
    let ancestors: Vec<(String, usize, String)> = (1..=components.len())
        .map(|k| {
            let (head, tail) = components.split_at(k);
            let ancestor = format!("/{}", head.join("/"));
            let length = ancestor.chars().count();
            (ancestor, length, tail.join("/"))
        })
        .collect();
    let mut best: Option<(usize, String)> = None;
    for mount in mounts {
        let mount_path = paths::clean(&mount.path);
        let mount_length = mount_path.chars().count();
        for (ancestor, length, tail) in &ancestors {
            // The edit distance is at least the length difference: skip what cannot be near.
            if (mount.file && !tail.is_empty())
                || length.abs_diff(mount_length) > MAX_NEAR_MISS_DISTANCE
            {
                continue;
            }
            let distance = edit_distance(ancestor, &mount_path);
            if distance > MAX_NEAR_MISS_DISTANCE
                || best.as_ref().is_some_and(|(d, _)| *d <= distance)
            {
                continue;
            }
            let suggestion = if tail.is_empty() {
                mount_path.clone()
            } else {
                paths::join(&[&mount_path, tail])
            };
            best = Some((distance, suggestion));
        }
    }
    best.map(|(_, suggestion)| suggestion)
}

/// `Secret <name> is not in spec.secrets` for a path under a secrets directory (and likewise
/// for ConfigMaps).
fn missing_mount(path: &str) -> Option<String> {
    let kinds = [
        (prometheus::SECRETS_DIR, "Secret", "spec.secrets"),
        (alertmanager::SECRETS_DIR, "Secret", "spec.secrets"),
        (prometheus::CONFIGMAPS_DIR, "ConfigMap", "spec.configMaps"),
        (alertmanager::CONFIGMAPS_DIR, "ConfigMap", "spec.configMaps"),
    ];
    kinds.iter().find_map(|(dir, kind, field)| {
        let name = path
            .strip_prefix(dir)?
            .strip_prefix('/')?
            .split('/')
            .next()?;
        (!name.is_empty()).then(|| format!("{kind} {name} is not in {field}"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::monitoring::v1::Prometheus;

    fn prometheus_with_secrets() -> Prometheus {
        serde_json::from_value(serde_json::json!({
            "metadata": {"name": "k8s", "namespace": "monitoring"},
            "spec": {"secrets": ["etcd-certs"], "configMaps": ["extra"]}
        }))
        .unwrap()
    }

    #[test]
    fn mounts_name_user_secrets_and_operator_volumes() {
        let p = prometheus_with_secrets();
        let mounts =
            mounted_files(Instance::Prometheus(&p), &OperatorOptions::default(), &[]).unwrap();
        let main: Vec<(&str, &MountSource)> = mounts
            .iter()
            .filter(|m| m.container == "prometheus")
            .map(|m| (m.path.as_str(), &m.source))
            .collect();
        assert!(main.contains(&(
            "/etc/prometheus/secrets/etcd-certs",
            &MountSource::Secret("etcd-certs".into())
        )));
        assert!(main.contains(&(
            "/etc/prometheus/configmaps/extra",
            &MountSource::ConfigMap("extra".into())
        )));
        assert!(main.contains(&(
            "/etc/prometheus/certs",
            &MountSource::Operator("tls-assets".into())
        )));
        assert!(main.contains(&(SERVICE_ACCOUNT_DIR, &MountSource::ServiceAccountToken)));
    }

    #[test]
    fn file_discovery_globs_match_in_their_last_element() {
        for (pattern, name, matches) in [
            ("*.json", "targets.json", true),
            ("*.json", "targets.yaml", false),
            ("t*s.json", "targets.json", true),
            ("t*s.json", "ts.json", true),
            ("a*b*c.yml", "axxbyyc.yml", true),
            ("a*b*c.yml", "axxcyyb.yml", false),
            ("*.yml", ".yml", true),
            ("plain.json", "plain.json", false),
        ] {
            assert_eq!(glob_matches(pattern, name), matches, "{pattern} {name}");
        }
        let mount = Mount {
            container: "prometheus".into(),
            path: "/etc/prometheus/configmaps/sd".into(),
            file: false,
            source: MountSource::ConfigMap("sd".into()),
            files: Some(vec!["t.json".into()]),
        };
        let mounts = [mount];
        assert_eq!(
            check_path(&mounts, "/etc/prometheus/configmaps/sd/*.json"),
            PathCheck::Ok
        );
        assert_eq!(
            check_path(&mounts, "/etc/prometheus/configmaps/sd/*.yml"),
            PathCheck::NotInMount {
                mount: "/etc/prometheus/configmaps/sd".into(),
                nearest: None
            }
        );
    }

    #[test]
    fn typos_get_the_nearest_path_and_the_missing_secret() {
        let p = prometheus_with_secrets();
        let mounts: Vec<Mount> =
            mounted_files(Instance::Prometheus(&p), &OperatorOptions::default(), &[])
                .unwrap()
                .into_iter()
                .filter(|m| m.container == "prometheus")
                .collect();
        assert_eq!(
            check_path(&mounts, "/etc/prometheus/secrets/etcd-certs/ca.crt"),
            PathCheck::Ok
        );
        assert_eq!(
            check_path(&mounts, "/etc/prometheus/secret/etcd-certs/ca.crt"),
            PathCheck::NotMounted {
                nearest: Some("/etc/prometheus/secrets/etcd-certs/ca.crt".into()),
                missing_mount: None,
            }
        );
        assert_eq!(
            check_path(&mounts, "/etc/prometheus/secrets/etcd-cert/ca.crt"),
            PathCheck::NotMounted {
                nearest: Some("/etc/prometheus/secrets/etcd-certs/ca.crt".into()),
                missing_mount: Some("Secret etcd-cert is not in spec.secrets".into()),
            }
        );
        assert_eq!(
            check_path(
                &mounts,
                "/var/run/secrets/kubernetes.io/serviceaccount/tokne"
            ),
            PathCheck::NotInMount {
                mount: SERVICE_ACCOUNT_DIR.into(),
                nearest: Some(format!("{SERVICE_ACCOUNT_DIR}/token")),
            }
        );
    }
}
