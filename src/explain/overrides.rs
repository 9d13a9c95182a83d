//! Why the namespaces a monitor's targets are searched in differ from what its
//! `namespaceSelector` asks for (upstream `getNamespacesFromNamespaceSelector` in
//! `pkg/prometheus/promcfg.go` and the `namespacelabeler` package's `IsExcluded` /
//! `GetRelabelingConfigs`), and what the operator's own namespace flags change.

use serde::Serialize;

use super::FieldRef;
use crate::monitoring::v1::common::NamespaceSelector;
use crate::monitoring::v1::prometheus::CommonPrometheusFields;
use crate::operator::OperatorOptions;
use crate::select::{DiscoveryNamespaces, discovery_namespaces};

/// Namespaces named in one sentence before the list is cut.
const NAMES_SHOWN: usize = 5;

/// The namespaces a monitor asks for, those searched, and the settings in between.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NamespaceScope {
    /// What `spec.namespaceSelector` asks for; empty means every namespace (`any: true`).
    pub asked: Vec<String>,
    /// What the instance's service discovery searches; empty means every namespace.
    pub searched: Vec<String>,
    /// Each setting that makes `searched` differ from `asked`, or that changes what the
    /// targets found there become.
    pub overrides: Vec<Override>,
}

/// One setting that overrides the monitor's namespace selection.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Override {
    /// The setting: its object, field (or operator flag) and value.
    #[serde(flatten)]
    pub setting: FieldRef,
    /// What it does to this monitor, in one sentence.
    pub message: String,
}

/// The monitor whose namespaces are explained.
pub(super) struct MonitorScope<'m> {
    /// `ServiceMonitor` or `PodMonitor`.
    pub kind: &'static str,
    /// The plural the `excludedFromEnforcement` references use.
    pub plural: &'static str,
    pub namespace: &'m str,
    pub name: &'m str,
    pub selector: &'m NamespaceSelector,
}

fn names(list: &[String]) -> String {
    if list.is_empty() {
        return "every namespace".to_owned();
    }
    let mut shown: Vec<&str> = list.iter().take(NAMES_SHOWN).map(String::as_str).collect();
    if list.len() > NAMES_SHOWN {
        shown.push("…");
    }
    format!("namespace(s) {}", shown.join(", "))
}

fn to_list(namespaces: DiscoveryNamespaces) -> Vec<String> {
    match namespaces {
        DiscoveryNamespaces::All => Vec::new(),
        DiscoveryNamespaces::Names(names) => names,
    }
}

/// The scope of `monitor` under the instance `instance` (`Prometheus ns/name`) with `common`,
/// and the operator `options`.
pub(super) fn namespace_scope(
    monitor: &MonitorScope<'_>,
    instance: &str,
    common: &CommonPrometheusFields,
    options: &OperatorOptions,
) -> NamespaceScope {
    let ignore = common.ignore_namespace_selectors.unwrap_or(false);
    let asked = to_list(discovery_namespaces(
        monitor.selector,
        monitor.namespace,
        false,
    ));
    let searched = to_list(discovery_namespaces(
        monitor.selector,
        monitor.namespace,
        ignore,
    ));
    let mut overrides = Vec::new();
    if asked != searched {
        overrides.push(Override {
            setting: FieldRef {
                object: instance.to_owned(),
                field: "spec.ignoreNamespaceSelectors".to_owned(),
                value: true.into(),
            },
            message: format!(
                "spec.namespaceSelector asks for {}, but {instance} sets \
                 ignoreNamespaceSelectors: true, so only the {}'s own namespace {} is searched",
                names(&asked),
                monitor.kind,
                monitor.namespace
            ),
        });
    }
    if let Some(label) = common
        .enforced_namespace_label
        .as_deref()
        .filter(|l| !l.is_empty())
    {
        let exclusion = common
            .excluded_from_enforcement
            .iter()
            .position(|r| r.names(monitor.plural, monitor.namespace, monitor.name));
        overrides.push(match exclusion {
            Some(index) => Override {
                setting: FieldRef {
                    object: instance.to_owned(),
                    field: format!("spec.excludedFromEnforcement[{index}]"),
                    value: serde_json::to_value(&common.excluded_from_enforcement[index])
                        .unwrap_or_default(),
                },
                message: format!(
                    "the {} is excluded from spec.enforcedNamespaceLabel={label}: its targets \
                     keep the {label} label their relabeling gives them",
                    monitor.kind
                ),
            },
            None => Override {
                setting: FieldRef {
                    object: instance.to_owned(),
                    field: "spec.enforcedNamespaceLabel".to_owned(),
                    value: label.into(),
                },
                message: format!(
                    "does not narrow the namespaces searched, but every target of this {} gets \
                     {label}={} as its last relabeling{}",
                    monitor.kind,
                    monitor.namespace,
                    if searched.len() == 1
                        && searched.first().map(String::as_str) == Some(monitor.namespace)
                    {
                        String::new()
                    } else {
                        ", also the targets found in other namespaces".to_owned()
                    }
                ),
            },
        });
    }
    if let Some(over) = operator_override(options, &searched) {
        overrides.push(over);
    }
    NamespaceScope {
        asked,
        searched,
        overrides,
    }
}

/// The operator's `--namespaces` / `--deny-namespaces` restrict what it watches, not what
/// Prometheus discovers: said when the monitor reaches beyond them.
fn operator_override(options: &OperatorOptions, searched: &[String]) -> Option<Override> {
    let restricted = &options.namespaces;
    if restricted.allow.is_empty() && restricted.deny.is_empty() {
        return None;
    }
    let object = options
        .source
        .clone()
        .unwrap_or_else(|| "the operator's flags".to_owned());
    let (flag, list) = if restricted.allow.is_empty() {
        ("--deny-namespaces", &restricted.deny)
    } else {
        ("--namespaces", &restricted.allow)
    };
    let unwatched: Vec<String> = searched
        .iter()
        .filter(|n| options.namespaces.hides_configuration(n).is_some())
        .cloned()
        .collect();
    let reach = if searched.is_empty() {
        "every namespace, including those the operator does not watch".to_owned()
    } else if unwatched.is_empty() {
        return None;
    } else {
        format!("{}, which the operator does not watch", names(&unwatched))
    };
    Some(Override {
        setting: FieldRef {
            object,
            field: flag.to_owned(),
            value: serde_json::to_value(list).unwrap_or_default(),
        },
        message: format!(
            "{flag} restricts what the operator watches, not what Prometheus discovers: it \
             searches {reach}, as far as its RBAC allows"
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignore_namespace_selectors_narrows_any() {
        let selector = NamespaceSelector {
            any: true,
            ..Default::default()
        };
        let monitor = MonitorScope {
            kind: "PodMonitor",
            plural: "podmonitors",
            namespace: "apps",
            name: "p",
            selector: &selector,
        };
        let common = CommonPrometheusFields {
            ignore_namespace_selectors: Some(true),
            ..Default::default()
        };
        let scope = namespace_scope(&monitor, "Prometheus m/p", &common, &Default::default());
        assert!(scope.asked.is_empty());
        assert_eq!(scope.searched, ["apps"]);
        assert_eq!(
            scope.overrides[0].setting.field,
            "spec.ignoreNamespaceSelectors"
        );
    }
}
