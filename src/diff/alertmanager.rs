//! Comparing a live `alertmanager.yaml` (Secret `alertmanager-<name>-generated`) with a
//! rendered one, per receiver, child route, inhibit rule and time interval, each attributed to
//! the AlertmanagerConfig it comes from (the operator prefixes its names with
//! `<namespace>/<name>/`, upstream `amcfg.go` `makeNamespacedString`) or to the base
//! configuration.

use std::collections::BTreeMap;

use super::{Change, CompareError, Section, change_kind, parse_live};
use crate::jobs::ResourceRef;
use crate::yaml::{Map, Yaml};

/// Top-level keys compared item by item rather than as a whole.
const ITEMIZED_KEYS: &[&str] = &[
    "route",
    "receivers",
    "inhibit_rules",
    "mute_time_intervals",
    "time_intervals",
];

/// What attributes differences to their origin.
#[derive(Clone, Debug)]
pub struct AlertmanagerContext {
    /// The base configuration: the user's Secret, or the AlertmanagerConfig named by
    /// `spec.alertmanagerConfiguration`.
    pub base: ResourceRef,
    /// `namespace/name` of every AlertmanagerConfig the Alertmanager matched (merged or
    /// rejected), to attribute inhibit rules by their namespace matcher.
    pub configs: Vec<String>,
    /// AlertmanagerConfigs the operator rejects, `AlertmanagerConfig namespace/name` -> reason.
    pub rejected: BTreeMap<String, String>,
}

/// Compares the `alertmanager.yaml` text stored in Secret `secret` with the rendered text. Both
/// go through the same yaml.v2 reading; key order and formatting do not count.
pub fn compare_alertmanager(
    secret: &str,
    live_text: &str,
    rendered_text: &str,
    context: &AlertmanagerContext,
) -> Result<Vec<Change>, CompareError> {
    let live = parse_live(secret, live_text)?;
    let rendered = crate::yaml::parse(rendered_text).map_err(CompareError::Rendered)?;
    Ok(diff_alertmanager(&live, &rendered, context))
}

/// The differences between two `alertmanager.yaml` trees: top-level settings first, then the
/// top-level route without its children, child routes, receivers, inhibit rules and time
/// intervals.
pub fn diff_alertmanager(
    live: &Yaml,
    rendered: &Yaml,
    context: &AlertmanagerContext,
) -> Vec<Change> {
    let empty = Map::new();
    let live_map = live.as_map().unwrap_or(&empty);
    let rendered_map = rendered.as_map().unwrap_or(&empty);
    let mut changes = Vec::new();
    let base = |section: Section, a: Option<&Yaml>, b: Option<&Yaml>| {
        change_kind(a, b).map(|kind| Change {
            section,
            kind,
            resource: Some(context.base.clone()),
            live: a.cloned(),
            rendered: b.cloned(),
            explanation: None,
        })
    };

    let mut keys: Vec<&str> = live_map.iter().map(|(k, _)| k).collect();
    for (key, _) in rendered_map.iter() {
        if !keys.contains(&key) {
            keys.push(key);
        }
    }
    for key in keys.into_iter().filter(|k| !ITEMIZED_KEYS.contains(k)) {
        changes.extend(base(
            Section::Key(key.to_owned()),
            live_map.get(key),
            rendered_map.get(key),
        ));
    }

    let (live_root, live_routes) = split_route(live_map.get("route"));
    let (rendered_root, rendered_routes) = split_route(rendered_map.get("route"));
    changes.extend(base(
        Section::Key("route".to_owned()),
        live_root.as_ref(),
        rendered_root.as_ref(),
    ));
    let route_pairs = pair(
        keyed(&live_routes, "receiver"),
        keyed(&rendered_routes, "receiver"),
    );
    for (name, a, b) in route_pairs {
        let origin = match [a, b]
            .into_iter()
            .flatten()
            .find_map(|r| field(r, "receiver"))
        {
            Some(receiver) => name_origin(receiver, context),
            None => Origin::base(context),
        };
        changes.extend(origin.change(Section::Route(name), a, b));
    }

    let receiver_pairs = pair(
        keyed(items(live_map.get("receivers")), "name"),
        keyed(items(rendered_map.get("receivers")), "name"),
    );
    for (name, a, b) in receiver_pairs {
        let origin = name_origin(&name, context);
        changes.extend(origin.change(Section::Receiver(name), a, b));
    }

    let live_rules = items(live_map.get("inhibit_rules"));
    let rendered_rules = items(rendered_map.get("inhibit_rules"));
    for (live_index, rendered_index) in align(live_rules, rendered_rules) {
        let a = live_index.and_then(|i| live_rules.get(i));
        let b = rendered_index.and_then(|i| rendered_rules.get(i));
        let index = rendered_index.or(live_index).unwrap_or_default();
        let origin = [b, a]
            .into_iter()
            .flatten()
            .map(|rule| rule_origin(rule, context))
            .next()
            .unwrap_or_else(|| Origin::base(context));
        changes.extend(origin.change(Section::InhibitRule(index), a, b));
    }

    for key in ["mute_time_intervals", "time_intervals"] {
        let interval_pairs = pair(
            keyed(items(live_map.get(key)), "name"),
            keyed(items(rendered_map.get(key)), "name"),
        );
        for (name, a, b) in interval_pairs {
            let origin = name_origin(&name, context);
            changes.extend(origin.change(Section::TimeInterval(name), a, b));
        }
    }
    changes
}

/// Where one part of the configuration comes from.
struct Origin {
    resource: Option<ResourceRef>,
    explanation: Option<String>,
}

impl Origin {
    fn base(context: &AlertmanagerContext) -> Self {
        Origin {
            resource: Some(context.base.clone()),
            explanation: None,
        }
    }

    fn config(namespace: &str, name: &str, context: &AlertmanagerContext) -> Self {
        let resource = ResourceRef {
            kind: "AlertmanagerConfig",
            namespace: namespace.to_owned(),
            name: name.to_owned(),
        };
        let explanation = context
            .rejected
            .get(&resource.to_string())
            .map(|why| format!("{resource} is rejected by the operator: {why}"));
        Origin {
            resource: Some(resource),
            explanation,
        }
    }

    fn change(
        self,
        section: Section,
        live: Option<&Yaml>,
        rendered: Option<&Yaml>,
    ) -> Option<Change> {
        change_kind(live, rendered).map(|kind| Change {
            section,
            kind,
            resource: self.resource,
            live: live.cloned(),
            rendered: rendered.cloned(),
            explanation: self.explanation,
        })
    }
}

/// A receiver or time interval named `<namespace>/<name>/...` comes from that
/// AlertmanagerConfig; any other name from the base configuration.
fn name_origin(name: &str, context: &AlertmanagerContext) -> Origin {
    let mut parts = name.splitn(3, '/');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(namespace), Some(config), Some(_)) if !namespace.is_empty() && !config.is_empty() => {
            Origin::config(namespace, config, context)
        }
        _ => Origin::base(context),
    }
}

/// An inhibit rule with a `namespace` matcher comes from an AlertmanagerConfig of that
/// namespace (the operator adds the matcher); named when only one of them is in play.
fn rule_origin(rule: &Yaml, context: &AlertmanagerContext) -> Origin {
    let Some(namespace) = namespace_matcher(rule) else {
        return Origin::base(context);
    };
    let in_namespace: Vec<&str> = context
        .configs
        .iter()
        .filter_map(|key| key.split_once('/'))
        .filter(|(ns, _)| *ns == namespace)
        .map(|(_, name)| name)
        .collect();
    match in_namespace.as_slice() {
        [name] => Origin::config(&namespace, name, context),
        _ => Origin {
            resource: None,
            explanation: Some(format!(
                "it carries the namespace matcher of the AlertmanagerConfigs in namespace {namespace}"
            )),
        },
    }
}

/// The namespace of a `namespace="X"` target matcher (or `target_match: {namespace: X}`).
fn namespace_matcher(rule: &Yaml) -> Option<String> {
    let map = rule.as_map()?;
    if let Some(ns) = map
        .get("target_match")
        .and_then(Yaml::as_map)
        .and_then(|m| m.get("namespace"))
        .and_then(Yaml::as_str)
    {
        return Some(ns.to_owned());
    }
    items(map.get("target_matchers"))
        .iter()
        .filter_map(Yaml::as_str)
        .find_map(|m| {
            let value = m.strip_prefix("namespace=")?;
            Some(value.trim_matches('"').to_owned())
        })
}

/// The top-level route without `routes`, and its child routes.
fn split_route(route: Option<&Yaml>) -> (Option<Yaml>, Vec<Yaml>) {
    match route {
        Some(Yaml::Map(map)) => {
            let mut root = map.clone();
            let children = match root.remove("routes") {
                Some(Yaml::Seq(children)) => children,
                _ => Vec::new(),
            };
            (Some(Yaml::Map(root)), children)
        }
        other => (other.cloned(), Vec::new()),
    }
}

fn items(value: Option<&Yaml>) -> &[Yaml] {
    match value {
        Some(Yaml::Seq(items)) => items,
        _ => &[],
    }
}

fn field<'a>(item: &'a Yaml, key: &str) -> Option<&'a str> {
    item.as_map()?.get(key)?.as_str()
}

/// Items by their `key` field; `#INDEX` when it is missing or repeats.
fn keyed<'a>(list: &'a [Yaml], key: &str) -> Vec<(String, &'a Yaml)> {
    let mut seen: Vec<String> = Vec::new();
    list.iter()
        .enumerate()
        .map(|(i, item)| {
            let name = field(item, key)
                .filter(|n| !seen.iter().any(|s| s == n))
                .map_or_else(|| format!("#{i}"), str::to_owned);
            seen.push(name.clone());
            (name, item)
        })
        .collect()
}

/// Both sides by name: live order, then what only the rendered side has, in its order.
fn pair<'a>(
    live: Vec<(String, &'a Yaml)>,
    rendered: Vec<(String, &'a Yaml)>,
) -> Vec<(String, Option<&'a Yaml>, Option<&'a Yaml>)> {
    let find = |list: &[(String, &'a Yaml)], name: &str| {
        list.iter().find(|(n, _)| n == name).map(|(_, item)| *item)
    };
    let mut out: Vec<(String, Option<&Yaml>, Option<&Yaml>)> = live
        .iter()
        .map(|(name, item)| (name.clone(), Some(*item), find(&rendered, name)))
        .collect();
    for (name, item) in &rendered {
        if find(&live, name).is_none() {
            out.push((name.clone(), None, Some(*item)));
        }
    }
    out
}

/// Most `live x rendered` cells the alignment of unnamed items may fill; beyond it they pair by
/// position.
const MAX_ALIGNMENT_CELLS: usize = 1 << 20;

/// Pairs unnamed items (inhibit rules) of two lists: equal items along their longest common
/// subsequence, so that one inserted rule shows as one addition rather than as every later rule
/// changed; the items between two equal ones pair by position, the rest stand alone.
fn align(live: &[Yaml], rendered: &[Yaml]) -> Vec<(Option<usize>, Option<usize>)> {
    let (n, m) = (live.len(), rendered.len());
    let mut anchors = Vec::new();
    if n.saturating_mul(m) <= MAX_ALIGNMENT_CELLS {
        // lengths[i][j]: the longest common subsequence of live[i..] and rendered[j..].
        let width = m + 1;
        let mut lengths = vec![0u32; (n + 1) * width];
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                lengths[i * width + j] = if live[i] == rendered[j] {
                    lengths[(i + 1) * width + j + 1] + 1
                } else {
                    lengths[(i + 1) * width + j].max(lengths[i * width + j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < n && j < m {
            if live[i] == rendered[j] {
                anchors.push((i, j));
                (i, j) = (i + 1, j + 1);
            } else if lengths[(i + 1) * width + j] >= lengths[i * width + j + 1] {
                i += 1;
            } else {
                j += 1;
            }
        }
    }
    let mut pairs = Vec::with_capacity(n.max(m));
    let (mut i, mut j) = (0, 0);
    for (anchor_i, anchor_j) in anchors.into_iter().chain([(n, m)]) {
        while i < anchor_i || j < anchor_j {
            let a = (i < anchor_i).then_some(i);
            let b = (j < anchor_j).then_some(j);
            pairs.push((a, b));
            i += usize::from(a.is_some());
            j += usize::from(b.is_some());
        }
        if anchor_i < n {
            pairs.push((Some(anchor_i), Some(anchor_j)));
            (i, j) = (anchor_i + 1, anchor_j + 1);
        }
    }
    pairs
}

/// Hides Alertmanager's secrets in the value of one section, as they would be hidden in the
/// whole file; returns how many were hidden.
pub fn redact_section(section: &Section, value: &mut Yaml) -> usize {
    let (key, listed) = match section {
        Section::Key(key) => (key.as_str(), false),
        Section::Receiver(_) => ("receivers", true),
        Section::Route(_)
        | Section::InhibitRule(_)
        | Section::TimeInterval(_)
        | Section::Job(_) => {
            return 0;
        }
    };
    let taken = std::mem::replace(value, Yaml::Null);
    let placed = if listed {
        Yaml::Seq(vec![taken])
    } else {
        taken
    };
    let mut file = Yaml::from(Map::new().with(key.to_owned(), placed));
    let hidden = crate::alertmanager::redact(&mut file);
    if let Yaml::Map(mut map) = file {
        *value = match map.remove(key) {
            Some(Yaml::Seq(mut list)) if listed => list.pop().unwrap_or(Yaml::Null),
            Some(other) => other,
            None => Yaml::Null,
        };
    }
    hidden
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context() -> AlertmanagerContext {
        AlertmanagerContext {
            base: ResourceRef {
                kind: "Secret",
                namespace: "mon".to_owned(),
                name: "alertmanager-main".to_owned(),
            },
            configs: vec![
                "app/team".to_owned(),
                "ops/a".to_owned(),
                "ops/b".to_owned(),
            ],
            rejected: BTreeMap::from([(
                "AlertmanagerConfig ops/a".to_owned(),
                "spec.route.receiver: missing".to_owned(),
            )]),
        }
    }

    const LIVE: &str = include_str!("../../tests/fixtures/unit/diff_alertmanager_live.yaml");

    fn changes(rendered: &str) -> Vec<Change> {
        compare_alertmanager("s", LIVE, rendered, &context()).unwrap()
    }

    #[test]
    fn formatting_is_not_a_difference() {
        let json = serde_json::to_string(&crate::yaml::parse(LIVE).unwrap().to_json()).unwrap();
        assert!(changes(&json).is_empty());
    }

    #[test]
    fn receivers_routes_and_rules_are_attributed() {
        let rendered = LIVE
            .replace("'#a'", "'#b'")
            .replace("equal: [alertname]", "equal: [cluster]")
            .replace("  - receiver: base\n", "")
            .replace("- name: base\n", "- name: base\n- name: ops/a/pager\n");
        assert_eq!(
            crate::diff::tests::summary(&changes(&rendered)),
            [
                "route to base: Removed (Secret mon/alertmanager-main)",
                "receiver app/team/slack: Modified (AlertmanagerConfig app/team)",
                "receiver ops/a/pager: Added (AlertmanagerConfig ops/a)",
                "inhibit rule #0: Modified (AlertmanagerConfig app/team)",
            ]
        );
        let rejected = changes(&rendered)
            .into_iter()
            .find(|c| c.section == Section::Receiver("ops/a/pager".to_owned()))
            .and_then(|c| c.explanation);
        assert!(rejected.is_some_and(|e| e.contains("rejected")));
    }

    #[test]
    fn inserted_inhibit_rules_do_not_shift_the_others() {
        let rule = |name: &str| crate::yaml::parse(&format!("equal: [{name}]")).unwrap();
        let live = [rule("a"), rule("b"), rule("c")];
        let rendered = [rule("a"), rule("new"), rule("b"), rule("c2")];
        assert_eq!(
            align(&live, &rendered),
            [
                (Some(0), Some(0)),
                (None, Some(1)),
                (Some(1), Some(2)),
                (Some(2), Some(3)),
            ]
        );
        assert_eq!(
            align(&live, &[]),
            [(Some(0), None), (Some(1), None), (Some(2), None)]
        );
    }

    #[test]
    fn receiver_secrets_are_hidden() {
        let tree = crate::yaml::parse(LIVE).unwrap();
        let mut receiver = items(tree.as_map().unwrap().get("receivers"))[1].clone();
        assert_eq!(
            redact_section(&Section::Receiver("r".to_owned()), &mut receiver),
            1
        );
        assert!(!crate::yaml::emit(&receiver).contains("hooks.slack.com"));
    }
}
