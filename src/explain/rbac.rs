//! Whether the scraping identity may discover what a scrape job asks for: the Roles,
//! ClusterRoles and bindings of the input evaluated for the Prometheus's ServiceAccount, the
//! way the API server's RBAC authorizer does (`RuleAllows` / `appliesTo` in
//! `k8s.io/kubernetes/pkg/registry/rbac/validation`), against the list and watch calls of
//! Prometheus's Kubernetes service discovery for each role and attached metadata
//! (`discovery/kubernetes` in Prometheus) per namespace searched.
//!
//! From a cluster the same needs are answered by the cluster instead: a check keeps what it
//! needs ([`RbacCheck::questions`]), the cluster module asks SubjectAccessReviews (or reads
//! the RBAC objects when those are forbidden), and [`RbacCheck::recheck`] replaces the
//! verdict with one from the answers ([`ClusterAccess`]).

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::rbac::v1::{PolicyRule, Subject};
use serde::Serialize;
use serde_json::json;

use super::{name_of, namespace_of};
use crate::discovery::{AttachMetadata, Role, SdConfig};
use crate::snapshot::Snapshot;

/// The verbs an informer needs.
const VERBS: [&str; 2] = ["list", "watch"];

/// The verb a SubjectAccessReview asks, one review per namespace and resource: an informer
/// lists before it watches, so a denied `list` is what leaves the targets missing, and the
/// grant shown adds `watch` with it.
pub const REVIEWED_VERB: &str = "list";

/// Namespaces named in a note, and granted in one grant; beyond, the gaps still list each.
const GRANTS_SHOWN: usize = 20;

/// How a problem line about RBAC starts, in an endpoint's problems.
pub(super) const PROBLEM_PREFIX: &str = "RBAC: ";

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

/// What answered an RBAC check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RbacMethod {
    /// The Roles, ClusterRoles and bindings of the input files (`list` and `watch`).
    InputObjects,
    /// SubjectAccessReviews answered by the cluster (verb [`REVIEWED_VERB`]).
    SubjectAccessReview,
    /// The Roles, ClusterRoles and bindings read from the cluster, because creating
    /// SubjectAccessReviews is forbidden (`list` and `watch`).
    ClusterObjects,
}

/// The RBAC verdict on one scrape job's discovery.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RbacCheck {
    /// The identity, `system:serviceaccount:NAMESPACE:NAME`.
    pub service_account: String,
    /// Whether anything was evaluated (RBAC objects in the input, or a cluster's answers).
    pub checked: bool,
    /// How it was checked, when it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<RbacMethod>,
    /// Why it was not checked, or what the check covers.
    pub note: String,
    /// Every missing permission, by namespace, resource and verb.
    pub gaps: Vec<RbacGap>,
    /// Roles and bindings (YAML, several documents) that would grant the gaps.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub grant: String,
    /// Discoveries of the configuration left out of the check, each with why (another API
    /// server and its credentials, additional configs that cannot be read).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<String>,
    /// What the check needs, to check it again against a cluster's answers.
    #[serde(skip)]
    needs: RbacNeeds,
}

/// The identity and the (namespace, group, plural) its discovery lists.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct RbacNeeds {
    namespace: String,
    name: String,
    discoveries: Discoveries,
}

impl RbacNeeds {
    fn identity(&self) -> String {
        format!("system:serviceaccount:{}:{}", self.namespace, self.name)
    }
}

/// What the Kubernetes discoveries of a configuration list and watch as the instance's
/// ServiceAccount, gathered one `kubernetes_sd_configs` entry at a time, and the entries
/// left out of the check with why.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Discoveries {
    /// The roles, and the metadata attached, for the note.
    kinds: BTreeSet<&'static str>,
    /// (group, plural) by namespace; the empty namespace is the cluster scope. Keyed by
    /// namespace so that thousands of monitors in few namespaces allocate few keys.
    resources: BTreeMap<String, BTreeSet<(&'static str, &'static str)>>,
    /// What was left out, and why.
    skipped: BTreeSet<String>,
}

impl Discoveries {
    /// Adds what `sd` lists and watches, as Prometheus's informers do: the role's resources
    /// in each namespace watched (at cluster scope when every namespace is), the attached
    /// metadata's with them. `own_namespace` is the instance's (`namespaces.own_namespace`).
    /// Only for a discovery [in the cluster](SdConfig::in_cluster): elsewhere the entry's
    /// credentials decide, not the ServiceAccount's RBAC ([`Discoveries::skip`] it).
    pub(super) fn add(&mut self, sd: &SdConfig, own_namespace: &str) {
        let watched = sd.namespaces.watched(Some(own_namespace));
        let everywhere = [String::new()];
        let scopes = watched.as_deref().unwrap_or(&everywhere);
        self.kinds.insert(sd.role.as_str());
        let attached = attached_metadata(sd.role, &sd.attach_metadata);
        self.kinds.extend(attached.iter().map(|(what, _)| *what));
        let wanted = role_resources(sd.role)
            .iter()
            .chain(attached.iter().flat_map(|(_, resources)| resources.iter()));
        for &(group, plural) in wanted {
            if cluster_scoped(plural) {
                self.insert("", group, plural);
                continue;
            }
            for scope in scopes {
                self.insert(scope, group, plural);
            }
        }
    }

    fn insert(&mut self, namespace: &str, group: &'static str, plural: &'static str) {
        match self.resources.get_mut(namespace) {
            Some(resources) => {
                resources.insert((group, plural));
            }
            None => {
                self.resources
                    .insert(namespace.to_owned(), BTreeSet::from([(group, plural)]));
            }
        }
    }

    /// Every (namespace, group, plural) needed, sorted.
    fn resources(&self) -> impl Iterator<Item = (&str, &'static str, &'static str)> {
        self.resources.iter().flat_map(|(namespace, resources)| {
            resources
                .iter()
                .map(move |&(group, plural)| (namespace.as_str(), group, plural))
        })
    }

    /// Leaves `what` out of the check; it is named beside the verdict.
    pub(super) fn skip(&mut self, what: impl Into<String>) {
        self.skipped.insert(what.into());
    }
}

/// The resources (group, plural) a discovery role lists and watches (`Run` in Prometheus's
/// `discovery/kubernetes`, 3.x).
fn role_resources(role: Role) -> &'static [(&'static str, &'static str)] {
    match role {
        Role::Endpoints => &[("", "endpoints"), ("", "services"), ("", "pods")],
        Role::EndpointSlice => &[
            ("discovery.k8s.io", "endpointslices"),
            ("", "services"),
            ("", "pods"),
        ],
        Role::Pod => &[("", "pods")],
        Role::Service => &[("", "services")],
        Role::Ingress => &[("networking.k8s.io", "ingresses")],
        Role::Node => &[("", "nodes")],
    }
}

/// The metadata `attach` adds to targets of `role`, each with the resources its informer
/// lists: Prometheus attaches nodes, owning Deployments (through ReplicaSets) and Jobs to
/// the roles that yield Pods, and namespaces to every role but `node`.
fn attached_metadata(
    role: Role,
    attach: &AttachMetadata,
) -> Vec<(&'static str, &'static [(&'static str, &'static str)])> {
    let yields_pods = matches!(role, Role::Pod | Role::Endpoints | Role::EndpointSlice);
    let mut attached = Vec::new();
    if yields_pods && attach.node {
        attached.push(("node metadata", &[("", "nodes")][..]));
    }
    if role != Role::Node && attach.namespace {
        attached.push(("namespace metadata", &[("", "namespaces")][..]));
    }
    if yields_pods && attach.deployment {
        attached.push(("deployment metadata", &[("apps", "replicasets")][..]));
    }
    if yields_pods && (attach.job || attach.cronjob) {
        attached.push(("job metadata", &[("batch", "jobs")][..]));
    }
    attached
}

/// Whether `plural` is a cluster-scoped resource, listed at cluster scope whatever the
/// namespaces searched.
fn cluster_scoped(plural: &str) -> bool {
    matches!(plural, "nodes" | "namespaces")
}

/// One question to the API server's authorizer: may the identity `verb` `resource` of
/// `group` in `namespace` (empty: at cluster scope, every namespace)?
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AccessQuestion {
    /// The namespace; empty for the cluster scope.
    pub namespace: String,
    /// The API group (empty for the core group).
    pub group: String,
    /// The plural resource name.
    pub resource: String,
    /// The verb.
    pub verb: String,
}

/// The SubjectAccessReviews an explanation needs: one identity, one question per namespace
/// and resource.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AccessQuestions {
    /// The ServiceAccount's namespace.
    pub namespace: String,
    /// The ServiceAccount's name.
    pub name: String,
    /// The questions, without repeats.
    pub questions: BTreeSet<AccessQuestion>,
}

impl AccessQuestions {
    /// The user the API server sees for the ServiceAccount.
    pub fn user(&self) -> String {
        format!("system:serviceaccount:{}:{}", self.namespace, self.name)
    }

    /// The groups the API server adds for a ServiceAccount's token.
    pub fn groups(&self) -> Vec<String> {
        vec![
            "system:serviceaccounts".to_owned(),
            format!("system:serviceaccounts:{}", self.namespace),
            "system:authenticated".to_owned(),
        ]
    }

    fn add(&mut self, check: &RbacCheck) {
        if !check.needs.name.is_empty() {
            self.namespace.clone_from(&check.needs.namespace);
            self.name.clone_from(&check.needs.name);
        }
        self.questions.extend(check.questions());
    }
}

/// What a cluster said about the identity's permissions.
#[derive(Clone, Debug)]
pub enum ClusterAccess {
    /// SubjectAccessReview answers: whether each question is allowed.
    Reviewed(BTreeMap<AccessQuestion, bool>),
    /// Creating SubjectAccessReviews is forbidden (`why`); the Roles, ClusterRoles and
    /// bindings read from the cluster instead, in a snapshot of their own.
    Objects {
        /// The RBAC objects.
        snapshot: Box<Snapshot>,
        /// Why they were read instead of asking.
        why: String,
    },
    /// Neither could be done; `reason` names the permissions needed.
    NotChecked {
        /// Why, and what to grant the user running the command.
        reason: String,
    },
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
}

fn qualified(group: &str, plural: &str) -> String {
    if group.is_empty() {
        plural.to_owned()
    } else {
        format!("{plural}.{group}")
    }
}

/// What decides a check.
enum Authority<'a> {
    /// RBAC objects from input files; none at all means nothing can be said.
    InputObjects(&'a Permissions<'a>),
    /// RBAC objects read from a cluster, and why they were read.
    ClusterObjects(&'a Permissions<'a>, &'a str),
    /// SubjectAccessReview answers.
    Reviewed(&'a BTreeMap<AccessQuestion, bool>),
    /// Nothing could be read, and why.
    Unavailable(&'a str),
}

/// Checks one job's discovery `sd` of an instance in `own_namespace`.
pub(super) fn check(
    permissions: &Permissions<'_>,
    sd: &SdConfig,
    own_namespace: &str,
) -> RbacCheck {
    let mut discoveries = Discoveries::default();
    discoveries.add(sd, own_namespace);
    check_all(permissions, discoveries)
}

/// Checks every discovery at once; the gaps are merged, sorted and deduplicated.
pub(super) fn check_all(permissions: &Permissions<'_>, discoveries: Discoveries) -> RbacCheck {
    let needs = RbacNeeds {
        namespace: permissions.namespace.clone(),
        name: permissions.name.clone(),
        discoveries,
    };
    evaluate(needs, &Authority::InputObjects(permissions))
}

impl RbacCheck {
    /// The SubjectAccessReviews that answer this check from a cluster: verb
    /// [`REVIEWED_VERB`], one per namespace and resource.
    pub fn questions(&self) -> impl Iterator<Item = AccessQuestion> + '_ {
        self.needs
            .discoveries
            .resources()
            .map(|(namespace, group, resource)| AccessQuestion {
                namespace: namespace.to_owned(),
                group: group.to_owned(),
                resource: resource.to_owned(),
                verb: REVIEWED_VERB.to_owned(),
            })
    }

    /// Replaces the verdict with one from what a cluster said.
    pub fn recheck(&mut self, access: &ClusterAccess) {
        let needs = std::mem::take(&mut self.needs);
        *self = match access {
            ClusterAccess::Reviewed(answers) => evaluate(needs, &Authority::Reviewed(answers)),
            ClusterAccess::Objects { snapshot, why } => {
                let permissions = Permissions::of(snapshot, &needs.namespace, &needs.name);
                evaluate(needs, &Authority::ClusterObjects(&permissions, why))
            }
            ClusterAccess::NotChecked { reason } => {
                evaluate(needs, &Authority::Unavailable(reason))
            }
        };
    }

    /// The endpoint problem this check makes, when it found gaps.
    pub(super) fn problem(&self) -> Option<String> {
        (!self.gaps.is_empty()).then(|| format!("{PROBLEM_PREFIX}{}", self.note))
    }
}

/// The questions of several checks of one identity, merged.
pub(super) fn questions<'c>(checks: impl IntoIterator<Item = &'c RbacCheck>) -> AccessQuestions {
    let mut questions = AccessQuestions::default();
    for check in checks {
        questions.add(check);
    }
    questions
}

fn evaluate(needs: RbacNeeds, authority: &Authority<'_>) -> RbacCheck {
    let identity = needs.identity();
    let discoveries = &needs.discoveries;
    let kinds = discoveries
        .kinds
        .iter()
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    let skipped: Vec<String> = discoveries.skipped.iter().cloned().collect();
    let unchecked = |note: String, needs: RbacNeeds| RbacCheck {
        service_account: identity.clone(),
        checked: false,
        method: None,
        note,
        gaps: Vec::new(),
        grant: String::new(),
        skipped: skipped.clone(),
        needs,
    };
    let method = match authority {
        Authority::InputObjects(permissions) if !permissions.any_rbac => {
            let example = discoveries
                .resources()
                .next()
                .map_or("pods", |(_, _, plural)| plural);
            let note = format!(
                "not checked: the input holds no Role, ClusterRole, RoleBinding or \
                 ClusterRoleBinding; add them (`kubectl get roles,rolebindings,clusterroles,\
                 clusterrolebindings -A -o yaml`), explain from the cluster (without -f), or \
                 check with `kubectl auth can-i list {example} --as={identity} -n NAMESPACE`"
            );
            return unchecked(note, needs);
        }
        Authority::Unavailable(reason) => {
            return unchecked(format!("not checked: {reason}"), needs);
        }
        Authority::InputObjects(_) => RbacMethod::InputObjects,
        Authority::ClusterObjects(..) => RbacMethod::ClusterObjects,
        Authority::Reviewed(_) => RbacMethod::SubjectAccessReview,
    };
    let how = match authority {
        Authority::ClusterObjects(_, why) => {
            format!(" (read from the cluster's Roles and bindings; {why})")
        }
        Authority::Reviewed(_) => {
            format!(" (SubjectAccessReview, verb {REVIEWED_VERB}, one per namespace and resource)")
        }
        _ => String::new(),
    };
    if discoveries.resources.is_empty() {
        return RbacCheck {
            service_account: identity,
            checked: true,
            method: Some(method),
            note: "nothing to check: no Kubernetes discovery of the configuration asks the \
                   cluster's API server as this ServiceAccount"
                .to_owned(),
            gaps: Vec::new(),
            grant: String::new(),
            skipped,
            needs,
        };
    }
    let verbs: &[&str] = match authority {
        Authority::Reviewed(_) => &[REVIEWED_VERB],
        _ => &VERBS,
    };
    let allows = |namespace: &str, group: &str, resource: &str, verb: &str| match authority {
        Authority::InputObjects(p) | Authority::ClusterObjects(p, _) => {
            p.allows(namespace, group, resource, verb)
        }
        // A question left unanswered counts as denied: a gap shown is checked by the user,
        // a gap hidden is not.
        Authority::Reviewed(answers) => answers
            .get(&AccessQuestion {
                namespace: namespace.to_owned(),
                group: group.to_owned(),
                resource: resource.to_owned(),
                verb: verb.to_owned(),
            })
            .copied()
            .unwrap_or(false),
        Authority::Unavailable(_) => false,
    };
    let mut gaps = Vec::new();
    let mut missing: BTreeMap<&str, BTreeSet<(&str, &str)>> = BTreeMap::new();
    for (namespace, group, plural) in discoveries.resources() {
        for verb in verbs {
            if !allows(namespace, group, plural, verb) {
                gaps.push(RbacGap {
                    namespace: namespace.to_owned(),
                    verb: (*verb).to_owned(),
                    resource: qualified(group, plural),
                });
                missing
                    .entry(namespace)
                    .or_default()
                    .insert((group, plural));
            }
        }
    }
    let scopes: BTreeSet<&str> = discoveries.resources.keys().map(String::as_str).collect();
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
    let may = verbs.join(" and ");
    let note = if gaps.is_empty() {
        format!("{identity} may {may} what its discovery ({kinds}) lists {scope}{how}")
    } else {
        format!(
            "{identity} lacks {} permission(s) that its discovery ({kinds}) needs {scope}: \
             Prometheus's discovery fails there with `forbidden`, so those targets are \
             missing{how}",
            gaps.len()
        )
    };
    RbacCheck {
        grant: grant(&needs, &missing),
        service_account: identity,
        checked: true,
        method: Some(method),
        note,
        gaps,
        skipped,
        needs,
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
fn grant(needs: &RbacNeeds, missing: &BTreeMap<&str, BTreeSet<(&str, &str)>>) -> String {
    let name = format!("{}-discovery", needs.name);
    let subject = json!({
        "kind": "ServiceAccount",
        "name": needs.name,
        "namespace": needs.namespace,
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
        crate::snapshot::load("test.yaml", text).unwrap().0
    }

    /// A discovery of `role` in `namespaces` (none: every namespace).
    fn sd(role: Role, namespaces: &[&str]) -> SdConfig {
        let mut sd = SdConfig::new(role);
        sd.namespaces.names = namespaces.iter().map(|n| (*n).to_owned()).collect();
        sd
    }

    const RBAC: &str = include_str!("../../tests/fixtures/unit/explain_rbac_rbac.yaml");

    #[test]
    fn role_binding_grants_its_namespace_only() {
        let snapshot = snapshot(RBAC);
        let permissions = Permissions::of(&snapshot, "mon", "prom");
        let ok = check(&permissions, &sd(Role::Endpoints, &["a"]), "mon");
        assert!(ok.checked && ok.gaps.is_empty(), "{ok:?}");
        let missing = check(&permissions, &sd(Role::Endpoints, &["a", "b"]), "mon");
        assert_eq!(missing.gaps.len(), 6);
        assert!(missing.gaps.iter().all(|g| g.namespace == "b"));
        assert!(missing.grant.contains("kind: RoleBinding"));
        let slices = check(&permissions, &sd(Role::EndpointSlice, &["a"]), "mon");
        assert_eq!(slices.gaps[0].resource, "endpointslices.discovery.k8s.io");
        let all = check(&permissions, &sd(Role::Pod, &[]), "mon");
        assert_eq!(all.gaps[0].namespace, "");
        assert!(all.grant.contains("kind: ClusterRoleBinding"));
        let other = Permissions::of(&snapshot, "mon", "default");
        assert_eq!(check(&other, &sd(Role::Pod, &["a"]), "mon").gaps.len(), 2);
    }

    #[test]
    fn attached_metadata_and_cluster_scoped_resources() {
        let snapshot = snapshot(RBAC);
        let permissions = Permissions::of(&snapshot, "mon", "prom");
        let mut slices = sd(Role::EndpointSlice, &["a"]);
        slices.attach_metadata = AttachMetadata {
            node: true,
            namespace: true,
            deployment: true,
            job: true,
            cronjob: false,
        };
        let mut nodes = sd(Role::Node, &["a"]);
        nodes.attach_metadata.deployment = true;
        let mut discoveries = Discoveries::default();
        discoveries.add(&slices, "mon");
        discoveries.add(&nodes, "mon");
        let check = check_all(&permissions, discoveries);
        let listed: Vec<String> = check
            .gaps
            .iter()
            .filter(|g| g.verb == "list")
            .map(|g| format!("{} {}", g.namespace, g.resource))
            .collect();
        // Nodes and namespaces whatever the namespaces searched; a node discovery attaches
        // no Deployment.
        assert_eq!(
            listed,
            [
                " namespaces",
                " nodes",
                "a replicasets.apps",
                "a jobs.batch",
                "a endpointslices.discovery.k8s.io",
            ]
        );
        assert!(check.note.contains("node metadata"), "{}", check.note);
    }

    #[test]
    fn cluster_answers_replace_the_evaluation() {
        let empty = Snapshot::default();
        let permissions = Permissions::of(&empty, "mon", "prom");
        let mut check = check(&permissions, &sd(Role::Pod, &["a", "b"]), "mon");
        assert!(!check.checked);
        let questions: Vec<AccessQuestion> = check.questions().collect();
        assert_eq!(questions.len(), 2, "one per namespace and resource");
        assert!(questions.iter().all(|q| q.verb == REVIEWED_VERB));
        let answers = questions
            .iter()
            .map(|q| (q.clone(), q.namespace == "a"))
            .collect();
        check.recheck(&ClusterAccess::Reviewed(answers));
        assert_eq!(check.method, Some(RbacMethod::SubjectAccessReview));
        assert_eq!(
            check.gaps,
            [RbacGap {
                namespace: "b".to_owned(),
                verb: "list".to_owned(),
                resource: "pods".to_owned(),
            }]
        );
        assert!(check.grant.contains("namespace: b"));
        // What it needs survives a recheck.
        assert_eq!(check.questions().count(), 2);
        check.recheck(&ClusterAccess::Objects {
            snapshot: Box::new(snapshot(RBAC)),
            why: "forbidden".to_owned(),
        });
        assert_eq!(check.method, Some(RbacMethod::ClusterObjects));
        assert_eq!(check.gaps.len(), 2, "list and watch pods in b: {check:?}");
        check.recheck(&ClusterAccess::NotChecked {
            reason: "no permission".to_owned(),
        });
        assert!(!check.checked && check.gaps.is_empty());
        assert_eq!(check.note, "not checked: no permission");
    }

    #[test]
    fn without_rbac_objects_nothing_is_checked() {
        let snapshot = Snapshot::default();
        let result = check(
            &Permissions::of(&snapshot, "mon", "prom"),
            &sd(Role::Pod, &[]),
            "mon",
        );
        assert!(!result.checked);
        assert!(result.note.starts_with("not checked"));
    }
}
