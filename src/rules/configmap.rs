//! The rule ConfigMaps (pkg/operator/rules.go, `PrometheusRuleSyncer`:
//! `makeConfigMapsFromRules`, `Sync`, `AppendConfigMapNames`).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::ConfigMap;

use super::rulefmt::MAX_CONFIG_MAP_DATA_SIZE;
use super::{Format, Instance};
use crate::snapshot::namespace_of;
use crate::workload::meta::{MANAGED_BY_LABELS, MANAGED_BY_VALUE};

/// A Prometheus mounts at least this many rule ConfigMaps (missing ones are optional
/// volumes), so that going from 1 to 3 ConfigMaps needs no StatefulSet change.
const MIN_MOUNTED_PROMETHEUS: usize = 3;

/// One rule ConfigMap. The operator also sets an owner reference to the workload and its
/// `--labels` / `--annotations`; they are not modelled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleConfigMap {
    /// `<prefix>-rulefiles-<i>`.
    pub name: String,
    /// The workload's namespace.
    pub namespace: String,
    /// The managed-by labels and the workload label.
    pub labels: BTreeMap<String, String>,
    /// File name → content.
    pub files: BTreeMap<String, String>,
}

/// Packs rule files into ConfigMaps: files in ascending name order; the next ConfigMap opens
/// when the current one's content plus the next file would exceed
/// [`MAX_CONFIG_MAP_DATA_SIZE`] (upstream's comment says first-fit; only the last ConfigMap is
/// ever tried: next-fit). There is always at least one ConfigMap, empty when no file.
pub fn pack(instance: Instance<'_>, files: BTreeMap<String, String>) -> Vec<RuleConfigMap> {
    let mut buckets: Vec<(BTreeMap<String, String>, usize)> = vec![(BTreeMap::new(), 0)];
    for (name, content) in files {
        let full = buckets
            .last()
            .is_some_and(|(_, size)| size + content.len() > MAX_CONFIG_MAP_DATA_SIZE);
        if full {
            buckets.push((BTreeMap::new(), 0));
        }
        if let Some((bucket, size)) = buckets.last_mut() {
            *size += content.len();
            bucket.insert(name, content);
        }
    }
    let prefix = instance.config_map_prefix();
    let (label, value) = instance.workload_label();
    let mut labels: BTreeMap<String, String> = MANAGED_BY_LABELS
        .iter()
        .map(|k| ((*k).to_owned(), MANAGED_BY_VALUE.to_owned()))
        .collect();
    labels.insert(label.to_owned(), value.to_owned());
    buckets
        .into_iter()
        .enumerate()
        .map(|(i, (files, _))| RuleConfigMap {
            name: format!("{prefix}-rulefiles-{i}"),
            namespace: instance.namespace().to_owned(),
            labels: labels.clone(),
            files,
        })
        .collect()
}

/// The ConfigMap names the workload mounts: the ConfigMaps' names in ascending string order
/// (`rulefiles-10` sorts before `rulefiles-2`, as upstream's sort does); a Prometheus pads the
/// list to three names.
pub fn mounted_config_map_names(
    instance: Instance<'_>,
    config_maps: &[RuleConfigMap],
) -> Vec<String> {
    let mut names: Vec<String> = config_maps.iter().map(|c| c.name.clone()).collect();
    names.sort();
    if instance.format() == Format::Prometheus {
        let prefix = instance.config_map_prefix();
        for i in names.len()..MIN_MOUNTED_PROMETHEUS {
            names.push(format!("{prefix}-rulefiles-{i}"));
        }
    }
    names
}

/// What `Sync` does against the ConfigMaps that exist.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyncPlan {
    /// The names `Sync` returns (ascending).
    pub names: Vec<String>,
    /// Nothing changes: the existing ConfigMaps already hold exactly these files.
    pub unchanged: bool,
    /// ConfigMaps to create or update (data replaced; existing labels kept unless overwritten).
    pub write: Vec<RuleConfigMap>,
    /// Existing ConfigMaps of the workload to delete, after the writes.
    pub delete: Vec<String>,
}

/// The ConfigMaps of `existing` that belong to `instance` (its namespace and workload label),
/// in the order given.
pub(super) fn owned_by<'a>(
    instance: Instance<'_>,
    existing: &'a [ConfigMap],
) -> Vec<&'a ConfigMap> {
    let (label, value) = instance.workload_label();
    existing
        .iter()
        .filter(|c| namespace_of(&c.metadata) == instance.namespace())
        .filter(|c| {
            c.metadata
                .labels
                .as_ref()
                .and_then(|l| l.get(label))
                .is_some_and(|v| v == value)
        })
        .collect()
}

/// Plans `Sync(files)` for `instance` given every ConfigMap of the snapshot: only those in the
/// workload's namespace with its label are considered; no others are touched.
pub fn sync(
    instance: Instance<'_>,
    files: &BTreeMap<String, String>,
    existing: &[ConfigMap],
) -> SyncPlan {
    let current = owned_by(instance, existing);
    let mut current_files: BTreeMap<String, String> = BTreeMap::new();
    for config_map in &current {
        for (k, v) in config_map.data.iter().flatten() {
            current_files.insert(k.clone(), v.clone());
        }
    }
    let existing_names = || -> Vec<String> {
        let mut names: Vec<String> = current
            .iter()
            .filter_map(|c| c.metadata.name.clone())
            .collect();
        names.sort();
        names
    };
    if !current.is_empty() && current_files == *files {
        return SyncPlan {
            names: existing_names(),
            unchanged: true,
            write: Vec::new(),
            delete: Vec::new(),
        };
    }
    let write = pack(instance, files.clone());
    let delete = existing_names()
        .into_iter()
        .filter(|name| !write.iter().any(|w| &w.name == name))
        .collect();
    let mut names: Vec<String> = write.iter().map(|w| w.name.clone()).collect();
    names.sort();
    SyncPlan {
        names,
        unchanged: false,
        write,
        delete,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::monitoring::v1::Prometheus;

    fn prometheus() -> Prometheus {
        let mut p = Prometheus::default();
        p.metadata.name = Some("test".to_owned());
        p.metadata.namespace = Some("default".to_owned());
        p
    }

    #[test]
    fn next_fit_packing_and_mount_names() {
        let p = prometheus();
        let big = "a".repeat(MAX_CONFIG_MAP_DATA_SIZE / 2 + 1);
        let files: BTreeMap<String, String> = (0..12)
            .map(|i| (format!("f{i:02}.yaml"), big.clone()))
            .collect();
        let cms = pack(Instance::Prometheus(&p), files);
        assert_eq!(cms.len(), 12);
        let names = mounted_config_map_names(Instance::Prometheus(&p), &cms);
        assert_eq!(names[2], "prometheus-test-rulefiles-10");
        let empty = pack(Instance::Prometheus(&p), BTreeMap::new());
        assert_eq!(empty.len(), 1);
        assert!(empty[0].files.is_empty());
        assert_eq!(
            mounted_config_map_names(Instance::Prometheus(&p), &empty),
            [
                "prometheus-test-rulefiles-0",
                "prometheus-test-rulefiles-1",
                "prometheus-test-rulefiles-2"
            ]
        );
    }
}
