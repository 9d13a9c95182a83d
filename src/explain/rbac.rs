//! Whether the scraping identity may discover what a scrape job asks for: the Roles,
//! ClusterRoles and bindings of the input evaluated for the Prometheus's ServiceAccount, the
//! way the API server's RBAC authorizer does (`RuleAllows` / `appliesTo` in
//! `k8s.io/kubernetes/pkg/registry/rbac/validation`), against the list and watch calls of
//! Prometheus's Kubernetes service discovery for each role (`discovery/kubernetes` in
//! Prometheus) per namespace searched.

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::rbac::v1::{PolicyRule, Subject};
use serde::Serialize;
use serde_json::json;

use super::{name_of, namespace_of};
use crate::snapshot::Snapshot;

/// The verbs an informer needs.
const VERBS: [&str; 2] = ["list", "watch"];

/// Namespaces named in a note, and granted in one grant; beyond, the gaps still list each.
const GRANTS_SHOWN: usize = 20;

/// One permission the ServiceAccount lacks.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RbacGap {
    /// The namespace; empty for the cluster scope (every namespace, or nodes).
    pub namespace: String,
    /// `list` or `watch`.
    pub verb: String,
    /// The resource, `plural` or `plural.group` (`endpointslices.discovery.k8s.io`).
    pub resource: String,
}

/// The RBAC verdict on one scrape job's discovery.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RbacCheck {
    /// The identity, `system:serviceaccount:NAMESPACE:NAME`.
    pub service_account: String,
    /// Whether the input held RBAC objects to evaluate; when not, nothing was checked.
    pub checked: bool,
    /// Why it was not checked, or what the check covers.
    pub note: String,
    /// Every missing permission, by namespace, resource and verb.
    pub gaps: Vec<RbacGap>,
    /// Roles and bindings (YAML, several documents) that would grant the gaps.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub grant: String,
}

/// The rules that apply to one ServiceAccount, by scope.
pub(super) struct Permissions<'s> {
    namespace: String,
    name: String,
    any_rbac: bool,
    cluster: Vec<&'s PolicyRule>,
    namespaced: BTreeMap<&'s str, Vec<&'s PolicyRule>>,
}

fn subject_is(subject: &Subject, binding_namespace: &str, namespace: &str, name: &str) -> bool {
    match subject.kind.as_str() {
        "ServiceAccount" => {
            let subject_namespace = subject
                .namespace
                .as_deref()
                .filter(|n| !n.is_empty())
                .unwrap_or(binding_namespace);
            subject.name == name && subject_namespace == namespace
        }
        "User" => subject.name == format!("system:serviceaccount:{namespace}:{name}"),
        "Group" => {
            subject.name == "system:serviceaccounts"
                || subject.name == "system:authenticated"
                || subject.name == format!("system:serviceaccounts:{namespace}")
        }
        _ => false,
    }
}

impl<'s> Permissions<'s> {
    /// The rules granted to ServiceAccount `namespace/name` by the bindings of `snapshot`.
    pub(super) fn of(snapshot: &'s Snapshot, namespace: &str, name: &str) -> Self {
        let cluster_roles: BTreeMap<&str, &Vec<PolicyRule>> = snapshot
            .cluster_roles
            .iter()
            .filter_map(|r| Some((name_of(&r.metadata), r.rules.as_ref()?)))
            .collect();
        let roles: BTreeMap<(&str, &str), &Vec<PolicyRule>> = snapshot
            .roles
            .iter()
            .filter_map(|r| {
                Some((
                    (namespace_of(&r.metadata), name_of(&r.metadata)),
                    r.rules.as_ref()?,
                ))
            })
            .collect();
        let mut cluster = Vec::new();
        for binding in &snapshot.cluster_role_bindings {
            let applies = binding
                .subjects
                .iter()
                .flatten()
                .any(|s| subject_is(s, "", namespace, name));
            if applies
                && binding.role_ref.kind == "ClusterRole"
                && let Some(rules) = cluster_roles.get(binding.role_ref.name.as_str())
            {
                cluster.extend(rules.iter());
            }
        }
        let mut namespaced: BTreeMap<&str, Vec<&PolicyRule>> = BTreeMap::new();
        for binding in &snapshot.role_bindings {
            let binding_namespace = namespace_of(&binding.metadata);
            let applies = binding
                .subjects
                .iter()
                .flatten()
                .any(|s| subject_is(s, binding_namespace, namespace, name));
            if !applies {
                continue;
            }
            let rules = match binding.role_ref.kind.as_str() {
                "ClusterRole" => cluster_roles.get(binding.role_ref.name.as_str()),
                "Role" => roles.get(&(binding_namespace, binding.role_ref.name.as_str())),
                _ => None,
            };
            if let Some(rules) = rules {
                namespaced
                    .entry(binding_namespace)
                    .or_default()
                    .extend(rules.iter());
            }
        }
        Permissions {
            namespace: namespace.to_owned(),
            name: name.to_owned(),
            any_rbac: !(snapshot.roles.is_empty()
                && snapshot.cluster_roles.is_empty()
                && snapshot.role_bindings.is_empty()
                && snapshot.cluster_role_bindings.is_empty()),
            cluster,
            namespaced,
        }
    }

    fn allows(&self, namespace: &str, group: &str, resource: &str, verb: &str) -> bool {
        let matches = |rule: &&PolicyRule| {
            let has = |list: &Option<Vec<String>>, wanted: &str| {
                list.iter().flatten().any(|v| v == "*" || v == wanted)
            };
            rule.verbs.iter().any(|v| v == "*" || v == verb)
                && has(&rule.api_groups, group)
                && has(&rule.resources, resource)
                && rule.resource_names.as_ref().is_none_or(Vec::is_empty)
        };
        self.cluster.iter().any(matches)
            || (!namespace.is_empty()
                && self
                    .namespaced
                    .get(namespace)
                    .is_some_and(|rules| rules.iter().any(matches)))
    }

    fn identity(&self) -> String {
        format!("system:serviceaccount:{}:{}", self.namespace, self.name)
    }
}

/// The resources (group, plural) a discovery role lists and watches.
fn needs(role: &str) -> &'static [(&'static str, &'static str)] {
    match role {
        "endpoints" => &[("", "endpoints"), ("", "services"), ("", "pods")],
        "endpointslice" => &[
            ("discovery.k8s.io", "endpointslices"),
            ("", "services"),
            ("", "pods"),
        ],
        "pod" => &[("", "pods")],
        "service" => &[("", "services")],
        "ingress" => &[("networking.k8s.io", "ingresses")],
        "node" => &[("", "nodes")],
        _ => &[],
    }
}

fn qualified(group: &str, plural: &str) -> String {
    if group.is_empty() {
        plural.to_owned()
    } else {
        format!("{plural}.{group}")
    }
}

/// Checks a job of discovery `role` over `namespaces` (empty: every namespace).
pub(super) fn check(permissions: &Permissions<'_>, role: &str, namespaces: &[String]) -> RbacCheck {
    check_all(permissions, &[(role, namespaces)])
}

/// Checks several jobs at once, each a discovery role over its namespaces (empty: every
/// namespace); the gaps are merged, sorted and deduplicated.
pub(super) fn check_all(permissions: &Permissions<'_>, jobs: &[(&str, &[String])]) -> RbacCheck {
    let identity = permissions.identity();
    let roles: BTreeSet<&str> = jobs.iter().map(|(role, _)| *role).collect();
    let role_names = roles.iter().copied().collect::<Vec<_>>().join(", ");
    if !permissions.any_rbac {
        let example = roles
            .iter()
            .find_map(|r| needs(r).first())
            .map_or("pods", |(_, plural)| plural);
        return RbacCheck {
            note: format!(
                "not checked: the input holds no Role, ClusterRole, RoleBinding or \
                 ClusterRoleBinding (from a cluster they are not read); check with `kubectl \
                 auth can-i list {example} --as={identity} -n NAMESPACE`"
            ),
            service_account: identity,
            checked: false,
            gaps: Vec::new(),
            grant: String::new(),
        };
    }
    if jobs.is_empty() {
        return RbacCheck {
            note: "nothing to check: no selected ServiceMonitor, PodMonitor or Ingress Probe \
                   discovers objects"
                .to_owned(),
            service_account: identity,
            checked: true,
            gaps: Vec::new(),
            grant: String::new(),
        };
    }
    // (namespace, group, plural) wanted; "" is the cluster scope.
    let mut wanted: BTreeSet<(&str, &str, &str)> = BTreeSet::new();
    let mut scopes: BTreeSet<&str> = BTreeSet::new();
    for (role, namespaces) in jobs {
        let cluster_wide = namespaces.is_empty() || *role == "node";
        let list: Vec<&str> = if cluster_wide {
            vec![""]
        } else {
            namespaces.iter().map(String::as_str).collect()
        };
        for namespace in list {
            scopes.insert(namespace);
            for (group, plural) in needs(role) {
                wanted.insert((namespace, group, plural));
            }
        }
    }
    let mut gaps = Vec::new();
    let mut missing: BTreeMap<&str, BTreeSet<(&str, &str)>> = BTreeMap::new();
    for (namespace, group, plural) in &wanted {
        for verb in VERBS {
            if !permissions.allows(namespace, group, plural, verb) {
                gaps.push(RbacGap {
                    namespace: (*namespace).to_owned(),
                    verb: verb.to_owned(),
                    resource: qualified(group, plural),
                });
                missing
                    .entry(namespace)
                    .or_default()
                    .insert((group, plural));
            }
        }
    }
    let scope = if scopes.len() == 1 && scopes.contains("") {
        "at cluster scope (every namespace)".to_owned()
    } else {
        let named: Vec<&str> = scopes.iter().copied().filter(|n| !n.is_empty()).collect();
        let cluster = if scopes.contains("") {
            " and at cluster scope"
        } else {
            ""
        };
        format!(
            "in {} namespace(s) ({}){cluster}",
            named.len(),
            shorten(&named)
        )
    };
    let note = if gaps.is_empty() {
        format!("{identity} may list and watch what role(s) {role_names} discover {scope}")
    } else {
        format!(
            "{identity} lacks {} permission(s) that role(s) {role_names} need {scope}: \
             Prometheus's discovery fails there with `forbidden`, so those targets are missing",
            gaps.len()
        )
    };
    RbacCheck {
        grant: grant(permissions, &missing),
        service_account: identity,
        checked: true,
        note,
        gaps,
    }
}

fn shorten(names: &[&str]) -> String {
    let mut shown: Vec<&str> = names.iter().copied().take(GRANTS_SHOWN).collect();
    if names.len() > GRANTS_SHOWN {
        shown.push("…");
    }
    shown.join(", ")
}

/// A Role and RoleBinding per namespace with gaps (ClusterRole and ClusterRoleBinding for
/// the cluster scope) granting list and watch on the missing resources, as YAML documents.
fn grant(
    permissions: &Permissions<'_>,
    missing: &BTreeMap<&str, BTreeSet<(&str, &str)>>,
) -> String {
    let name = format!("{}-discovery", permissions.name);
    let subject = json!({
        "kind": "ServiceAccount",
        "name": permissions.name,
        "namespace": permissions.namespace,
    });
    let mut documents = Vec::new();
    for (namespace, resources) in missing.iter().take(GRANTS_SHOWN) {
        let mut by_group: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (group, plural) in resources {
            by_group.entry(group).or_default().push(plural);
        }
        let rules: Vec<serde_json::Value> = by_group
            .into_iter()
            .map(|(group, resources)| {
                json!({"apiGroups": [group], "resources": resources, "verbs": VERBS})
            })
            .collect();
        let (role_kind, binding_kind, metadata) = if namespace.is_empty() {
            ("ClusterRole", "ClusterRoleBinding", json!({"name": name}))
        } else {
            (
                "Role",
                "RoleBinding",
                json!({"name": name, "namespace": namespace}),
            )
        };
        documents.push(json!({
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": role_kind,
            "metadata": metadata,
            "rules": rules,
        }));
        documents.push(json!({
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": binding_kind,
            "metadata": metadata,
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": role_kind, "name": name},
            "subjects": [subject],
        }));
    }
    documents
        .iter()
        .filter_map(|d| crate::yaml::to_string(d).ok())
        .collect::<Vec<_>>()
        .join("---\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snapshot(text: &str) -> Snapshot {
        let mut snapshot = Snapshot::default();
        snapshot.load("test.yaml", text).unwrap();
        snapshot
    }

    const RBAC: &str = "\
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: sd}
rules:
- apiGroups: ['']
  resources: [services, endpoints, pods]
  verbs: [get, list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: sd, namespace: a}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: sd}
subjects:
- {kind: ServiceAccount, name: prom, namespace: mon}
";

    #[test]
    fn role_binding_grants_its_namespace_only() {
        let snapshot = snapshot(RBAC);
        let permissions = Permissions::of(&snapshot, "mon", "prom");
        let names = |list: &[&str]| list.iter().map(|n| (*n).to_owned()).collect::<Vec<_>>();
        let ok = check(&permissions, "endpoints", &names(&["a"]));
        assert!(ok.checked && ok.gaps.is_empty(), "{ok:?}");
        let missing = check(&permissions, "endpoints", &names(&["a", "b"]));
        assert_eq!(missing.gaps.len(), 6);
        assert!(missing.gaps.iter().all(|g| g.namespace == "b"));
        assert!(missing.grant.contains("kind: RoleBinding"));
        let slices = check(&permissions, "endpointslice", &names(&["a"]));
        assert_eq!(slices.gaps[0].resource, "endpointslices.discovery.k8s.io");
        let all = check(&permissions, "pod", &[]);
        assert_eq!(all.gaps[0].namespace, "");
        assert!(all.grant.contains("kind: ClusterRoleBinding"));
        let other = Permissions::of(&snapshot, "mon", "default");
        assert_eq!(check(&other, "pod", &names(&["a"])).gaps.len(), 2);
    }

    #[test]
    fn without_rbac_objects_nothing_is_checked() {
        let snapshot = Snapshot::default();
        let result = check(&Permissions::of(&snapshot, "mon", "prom"), "pod", &[]);
        assert!(!result.checked);
        assert!(result.note.starts_with("not checked"));
    }
}
