//! The live rule ConfigMaps of a workload against the ones the operator would write, file by
//! file, group by group and rule by rule. Like `PrometheusRuleSyncer.Sync`, only the files
//! count: the same files spread differently over the ConfigMaps are no difference.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::ConfigMap;

use super::{Instance, RuleConfigMap};
use crate::diff::ChangeKind;
use crate::yaml::{self, Map, Yaml};

/// Most groups, and rules per group, compared one by one in a file; past that a file that
/// differs is reported whole.
pub const MAX_COMPARED_ITEMS: usize = 10_000;

/// One difference.
#[derive(Clone, Debug, PartialEq)]
pub struct RuleChange {
    /// Which side has the item: only the rendered ConfigMaps (the operator would add it), only
    /// the live ones (it would remove it), or both, differently (it would rewrite it).
    pub kind: ChangeKind,
    /// The rule file.
    pub file: String,
    /// The ConfigMap that holds the file live, if one does.
    pub live_config_map: Option<String>,
    /// The ConfigMap the operator would put it in, if it writes it.
    pub rendered_config_map: Option<String>,
    /// The group, when the difference is inside one.
    pub group: Option<String>,
    /// `rules[i]` with `alert NAME` / `record NAME`, when the difference is one rule.
    pub rule: Option<String>,
    /// The live YAML of the item.
    pub live: Option<String>,
    /// The rendered YAML of the item.
    pub rendered: Option<String>,
}

/// The ConfigMaps of `existing` that belong to `instance` (its namespace and workload label).
pub fn live_config_maps<'a>(
    instance: Instance<'_>,
    existing: &'a [ConfigMap],
) -> Vec<&'a ConfigMap> {
    let mut owned = super::configmap::owned_by(instance, existing);
    owned.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));
    owned
}

/// The ConfigMaps of `rendered` the operator would create that no file of [`compare`] stands
/// for: those without files when none is live (`PrometheusRuleSyncer.Sync` returns early on
/// equal files only when at least one ConfigMap exists, and writes `-0` even without rules).
pub fn created_config_maps(live: &[&ConfigMap], rendered: &[RuleConfigMap]) -> Vec<String> {
    if !live.is_empty() {
        return Vec::new();
    }
    rendered
        .iter()
        .filter(|c| c.files.is_empty())
        .map(|c| c.name.clone())
        .collect()
}

/// Every difference between the files of `live` (see [`live_config_maps`]) and `rendered`.
pub fn compare(live: &[&ConfigMap], rendered: &[RuleConfigMap]) -> Vec<RuleChange> {
    let mut live_files: BTreeMap<&str, (&str, &str)> = BTreeMap::new();
    for config_map in live {
        let name = config_map.metadata.name.as_deref().unwrap_or("");
        for (file, text) in config_map.data.iter().flatten() {
            live_files.insert(file, (name, text));
        }
    }
    let mut rendered_files: BTreeMap<&str, (&str, &str)> = BTreeMap::new();
    for config_map in rendered {
        for (file, text) in &config_map.files {
            rendered_files.insert(file, (&config_map.name, text));
        }
    }
    let mut names: Vec<&str> = live_files
        .keys()
        .chain(rendered_files.keys())
        .copied()
        .collect();
    names.sort_unstable();
    names.dedup();
    let mut changes = Vec::new();
    for file in names {
        let live = live_files.get(file).copied();
        let rendered = rendered_files.get(file).copied();
        let change = |kind, group: Option<String>, rule, live_text, rendered_text| RuleChange {
            kind,
            file: file.to_owned(),
            live_config_map: live.map(|(c, _)| c.to_owned()),
            rendered_config_map: rendered.map(|(c, _)| c.to_owned()),
            group,
            rule,
            live: live_text,
            rendered: rendered_text,
        };
        match (live, rendered) {
            (Some((_, l)), None) => changes.push(change(
                ChangeKind::Removed,
                None,
                None,
                Some(l.to_owned()),
                None,
            )),
            (None, Some((_, r))) => changes.push(change(
                ChangeKind::Added,
                None,
                None,
                None,
                Some(r.to_owned()),
            )),
            (Some((_, l)), Some((_, r))) if l != r => {
                let inner = compare_groups(l, r);
                if inner.is_empty() {
                    // Unparsable, or the same groups written differently: the whole file.
                    changes.push(change(
                        ChangeKind::Modified,
                        None,
                        None,
                        Some(l.to_owned()),
                        Some(r.to_owned()),
                    ));
                }
                for (kind, group, rule, l, r) in inner {
                    changes.push(change(kind, Some(group), rule, l, r));
                }
            }
            _ => {}
        }
    }
    changes
}

type Inner = (
    ChangeKind,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// The groups of two rule files, compared by name, then their rules by position.
fn compare_groups(live: &str, rendered: &str) -> Vec<Inner> {
    let (Ok(live), Ok(rendered)) = (yaml::parse(live), yaml::parse(rendered)) else {
        return Vec::new();
    };
    let groups = |doc: &Yaml| -> Vec<(String, Yaml)> {
        doc.as_map()
            .and_then(|m| m.get("groups"))
            .and_then(Yaml::as_seq)
            .unwrap_or_default()
            .iter()
            .take(MAX_COMPARED_ITEMS)
            .map(|g| {
                let name = g
                    .as_map()
                    .and_then(|m| m.get("name"))
                    .and_then(Yaml::as_str)
                    .unwrap_or("")
                    .to_owned();
                (name, g.clone())
            })
            .collect()
    };
    let live_groups = groups(&live);
    let rendered_groups = groups(&rendered);
    let mut out = Vec::new();
    for (name, rendered_group) in &rendered_groups {
        match live_groups.iter().find(|(n, _)| n == name) {
            None => out.push((
                ChangeKind::Added,
                name.clone(),
                None,
                None,
                Some(yaml::emit(rendered_group)),
            )),
            Some((_, live_group)) => out.extend(compare_group(name, live_group, rendered_group)),
        }
    }
    for (name, live_group) in &live_groups {
        if !rendered_groups.iter().any(|(n, _)| n == name) {
            out.push((
                ChangeKind::Removed,
                name.clone(),
                None,
                Some(yaml::emit(live_group)),
                None,
            ));
        }
    }
    out
}

fn compare_group(name: &str, live: &Yaml, rendered: &Yaml) -> Vec<Inner> {
    let split = |group: &Yaml| -> (Yaml, Vec<Yaml>) {
        let mut settings = Map::new();
        let mut rules = Vec::new();
        for (key, value) in group.as_map().map(Map::iter).into_iter().flatten() {
            if key == "rules" {
                rules = value
                    .as_seq()
                    .unwrap_or_default()
                    .iter()
                    .take(MAX_COMPARED_ITEMS)
                    .cloned()
                    .collect();
            } else {
                settings.push(key.to_owned(), value.clone());
            }
        }
        (Yaml::Map(settings), rules)
    };
    let (live_settings, live_rules) = split(live);
    let (rendered_settings, rendered_rules) = split(rendered);
    let mut out = Vec::new();
    if live_settings != rendered_settings {
        out.push((
            ChangeKind::Modified,
            name.to_owned(),
            None,
            Some(yaml::emit(&live_settings)),
            Some(yaml::emit(&rendered_settings)),
        ));
    }
    for i in 0..live_rules.len().max(rendered_rules.len()) {
        let l = live_rules.get(i);
        let r = rendered_rules.get(i);
        if l == r {
            continue;
        }
        let kind = match (l, r) {
            (Some(_), None) => ChangeKind::Removed,
            (None, Some(_)) => ChangeKind::Added,
            _ => ChangeKind::Modified,
        };
        let label = r.or(l).map(rule_label).unwrap_or_default();
        out.push((
            kind,
            name.to_owned(),
            Some(format!("rules[{i}] {label}")),
            l.map(yaml::emit),
            r.map(yaml::emit),
        ));
    }
    out
}

fn rule_label(rule: &Yaml) -> String {
    let map = rule.as_map();
    let field = |key: &str| map.and_then(|m| m.get(key)).and_then(Yaml::as_str);
    match (field("alert"), field("record")) {
        (Some(alert), _) => format!("alert {alert}"),
        (_, Some(record)) => format!("record {record}"),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

    fn live(files: &[(&str, &str)]) -> ConfigMap {
        ConfigMap {
            metadata: ObjectMeta {
                name: Some("prometheus-p-rulefiles-0".into()),
                ..ObjectMeta::default()
            },
            data: Some(
                files
                    .iter()
                    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                    .collect(),
            ),
            ..ConfigMap::default()
        }
    }

    fn rendered(files: &[(&str, &str)]) -> RuleConfigMap {
        RuleConfigMap {
            name: "prometheus-p-rulefiles-0".into(),
            namespace: "mon".into(),
            labels: BTreeMap::new(),
            files: files
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        }
    }

    const FILE: &str = "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up == 0\n";

    #[test]
    fn same_files_are_equal_and_a_changed_rule_is_named() {
        let l = live(&[("a.yaml", FILE)]);
        assert!(compare(&[&l], &[rendered(&[("a.yaml", FILE)])]).is_empty());
        let changed = FILE.replace("up == 0", "up == 1");
        let changes = compare(&[&l], &[rendered(&[("a.yaml", &changed)])]);
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].kind, ChangeKind::Modified);
        assert_eq!(changes[0].group.as_deref(), Some("g"));
        assert_eq!(changes[0].rule.as_deref(), Some("rules[0] alert A"));
        let changes = compare(&[&l], &[rendered(&[("b.yaml", FILE)])]);
        assert_eq!(
            changes.iter().map(|c| c.kind).collect::<Vec<_>>(),
            [ChangeKind::Removed, ChangeKind::Added]
        );
    }
}
