//! The one catalogue of the kinds kubectl-promop reads or writes: kind, API group and version,
//! plural, short names and scope. The loader, the cluster module, completion and the parsing of
//! resource arguments all read it.

/// A resource type, as the API names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Resource {
    /// API group (`""` for the core group).
    pub group: &'static str,
    /// API version.
    pub version: &'static str,
    /// Kind.
    pub kind: &'static str,
    /// Lower-case plural of the REST paths.
    pub plural: &'static str,
    /// Short names, as `kubectl api-resources` lists them (the CRDs' own for the operator's).
    pub short_names: &'static [&'static str],
    /// Whether objects live in namespaces.
    pub namespaced: bool,
}

impl Resource {
    /// `group/version`, or `version` for the core group.
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.to_owned()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    /// Whether this is the type of `kind` in `api_version` (`group/version`, or `version` for
    /// the core group), compared without building the text.
    pub fn is(&self, api_version: &str, kind: &str) -> bool {
        self.kind == kind
            && match api_version.split_once('/') {
                Some((group, version)) => {
                    !group.is_empty() && self.group == group && self.version == version
                }
                None => self.group.is_empty() && self.version == api_version,
            }
    }

    /// `plural.group` as RBAC and error messages name it.
    pub fn qualified(&self) -> String {
        if self.group.is_empty() {
            self.plural.to_owned()
        } else {
            format!("{}.{}", self.plural, self.group)
        }
    }

    /// The first short name, or the lower-case kind when there is none.
    pub fn short_name(&self) -> &'static str {
        self.short_names.first().copied().unwrap_or(self.plural)
    }

    /// Whether its type holds only the fields this tool uses (ThanosRuler: rule selection and
    /// enforcement), so that the CRD's other fields are not unknown.
    pub fn is_partly_typed(&self) -> bool {
        *self == THANOS_RULERS
    }

    /// Whether it is one of prometheus-operator's custom resources.
    pub fn is_monitoring(&self) -> bool {
        self.group == crate::monitoring::GROUP
    }

    /// Whether `word` names this type as kubectl accepts it: the kind, the plural or a short
    /// name, in any case, optionally followed by `.GROUP` or `.VERSION.GROUP`.
    pub fn is_named_by(&self, word: &str) -> bool {
        let lower = word.to_ascii_lowercase();
        let base = match lower.split_once('.') {
            None => lower.as_str(),
            Some((base, qualifier)) => {
                let group = qualifier
                    .split_once('.')
                    .filter(|(version, _)| *version == self.version)
                    .map_or(qualifier, |(_, rest)| rest);
                if self.group.is_empty() || group != self.group {
                    return false;
                }
                base
            }
        };
        base == self.kind.to_ascii_lowercase()
            || base == self.plural
            || self.short_names.contains(&base)
    }
}

macro_rules! catalogue {
    ($($name:ident = $group:literal $version:literal $kind:literal $plural:literal [$($short:literal),*] $namespaced:literal;)*) => {
        $(
            #[doc = concat!("`", $kind, "`.")]
            pub const $name: Resource = Resource {
                group: $group,
                version: $version,
                kind: $kind,
                plural: $plural,
                short_names: &[$($short),*],
                namespaced: $namespaced,
            };
        )*
        /// Every resource type kubectl-promop knows.
        pub const ALL: &[Resource] = &[$($name),*];
    };
}

catalogue! {
    PROMETHEUSES = "monitoring.coreos.com" "v1" "Prometheus" "prometheuses" ["prom"] true;
    PROMETHEUS_AGENTS = "monitoring.coreos.com" "v1alpha1" "PrometheusAgent" "prometheusagents" ["promagent"] true;
    ALERTMANAGERS = "monitoring.coreos.com" "v1" "Alertmanager" "alertmanagers" ["am"] true;
    SERVICE_MONITORS = "monitoring.coreos.com" "v1" "ServiceMonitor" "servicemonitors" ["smon"] true;
    POD_MONITORS = "monitoring.coreos.com" "v1" "PodMonitor" "podmonitors" ["pmon"] true;
    PROBES = "monitoring.coreos.com" "v1" "Probe" "probes" ["prb"] true;
    SCRAPE_CONFIGS = "monitoring.coreos.com" "v1alpha1" "ScrapeConfig" "scrapeconfigs" ["scfg"] true;
    PROMETHEUS_RULES = "monitoring.coreos.com" "v1" "PrometheusRule" "prometheusrules" ["promrule"] true;
    ALERTMANAGER_CONFIGS = "monitoring.coreos.com" "v1alpha1" "AlertmanagerConfig" "alertmanagerconfigs" ["amcfg"] true;
    THANOS_RULERS = "monitoring.coreos.com" "v1" "ThanosRuler" "thanosrulers" ["ruler"] true;
    NAMESPACES = "" "v1" "Namespace" "namespaces" ["ns"] false;
    SECRETS = "" "v1" "Secret" "secrets" [] true;
    CONFIG_MAPS = "" "v1" "ConfigMap" "configmaps" ["cm"] true;
    SERVICES = "" "v1" "Service" "services" ["svc"] true;
    ENDPOINTS = "" "v1" "Endpoints" "endpoints" ["ep"] true;
    PODS = "" "v1" "Pod" "pods" ["po"] true;
    NODES = "" "v1" "Node" "nodes" ["no"] false;
    DEPLOYMENTS = "apps" "v1" "Deployment" "deployments" ["deploy"] true;
    REPLICA_SETS = "apps" "v1" "ReplicaSet" "replicasets" ["rs"] true;
    STATEFUL_SETS = "apps" "v1" "StatefulSet" "statefulsets" ["sts"] true;
    DAEMON_SETS = "apps" "v1" "DaemonSet" "daemonsets" ["ds"] true;
    JOBS = "batch" "v1" "Job" "jobs" [] true;
    ENDPOINT_SLICES = "discovery.k8s.io" "v1" "EndpointSlice" "endpointslices" [] true;
    INGRESSES = "networking.k8s.io" "v1" "Ingress" "ingresses" ["ing"] true;
    ROLES = "rbac.authorization.k8s.io" "v1" "Role" "roles" [] true;
    CLUSTER_ROLES = "rbac.authorization.k8s.io" "v1" "ClusterRole" "clusterroles" [] false;
    ROLE_BINDINGS = "rbac.authorization.k8s.io" "v1" "RoleBinding" "rolebindings" [] true;
    CLUSTER_ROLE_BINDINGS = "rbac.authorization.k8s.io" "v1" "ClusterRoleBinding" "clusterrolebindings" [] false;
}

/// The custom resources of prometheus-operator, in the order help texts list them.
pub const MONITORING: &[Resource] = &[
    PROMETHEUSES,
    PROMETHEUS_AGENTS,
    ALERTMANAGERS,
    SERVICE_MONITORS,
    POD_MONITORS,
    PROBES,
    SCRAPE_CONFIGS,
    PROMETHEUS_RULES,
    ALERTMANAGER_CONFIGS,
    THANOS_RULERS,
];

/// The type of `apiVersion` + `kind`, if the catalogue holds it.
pub fn by_api_version(api_version: &str, kind: &str) -> Option<&'static Resource> {
    ALL.iter().find(|r| r.is(api_version, kind))
}

/// The kinds learnt from discovery so far ([`discovered`]).
static DISCOVERED: std::sync::Mutex<Vec<&'static Resource>> = std::sync::Mutex::new(Vec::new());

fn find(
    resources: &[&'static Resource],
    api_version: &str,
    kind: &str,
) -> Option<&'static Resource> {
    resources.iter().copied().find(|r| r.is(api_version, kind))
}

/// The type of `kind` in `api_version`: the catalogue's, or one discovery taught this run.
pub fn known(api_version: &str, kind: &str) -> Option<&'static Resource> {
    by_api_version(api_version, kind)
        .or_else(|| find(DISCOVERED.lock().ok()?.as_slice(), api_version, kind))
}

/// Most kinds outside the catalogue that one run learns from the API server's discovery.
pub const MAX_DISCOVERED_KINDS: usize = 256;

/// A kind outside the catalogue as the API server's discovery describes it (to apply a
/// NetworkPolicy beside the operator's resources). Like the catalogue's entries it lives for
/// the whole run, so each is made once; `None` past [`MAX_DISCOVERED_KINDS`].
pub fn discovered(
    api_version: &str,
    kind: &str,
    plural: &str,
    namespaced: bool,
) -> Option<&'static Resource> {
    let mut known = DISCOVERED.lock().ok()?;
    if let Some(found) = find(&known, api_version, kind) {
        return Some(found);
    }
    if known.len() >= MAX_DISCOVERED_KINDS {
        return None;
    }
    let leak = |text: &str| -> &'static str { text.to_owned().leak() };
    let (group, version) = api_version.split_once('/').unwrap_or(("", api_version));
    let resource: &'static Resource = Box::leak(Box::new(Resource {
        group: leak(group),
        version: leak(version),
        kind: leak(kind),
        plural: leak(plural),
        short_names: &[],
        namespaced,
    }));
    known.push(resource);
    Some(resource)
}

/// The type of `kind` in the API group of `api_version`, whatever the version: what decides an
/// object's scope.
pub fn by_group_kind(api_version: &str, kind: &str) -> Option<&'static Resource> {
    let group = api_version.rsplit_once('/').map_or("", |(group, _)| group);
    ALL.iter().find(|r| r.kind == kind && r.group == group)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_resolve_from_api_version_and_kind() {
        assert_eq!(
            by_api_version("monitoring.coreos.com/v1alpha1", "ScrapeConfig"),
            Some(&SCRAPE_CONFIGS)
        );
        assert_eq!(by_api_version("v1", "ScrapeConfig"), None);
        assert_eq!(by_api_version("v1", "Secret"), Some(&SECRETS));
        // As the text `group/version` compares: no empty group, no extra segment.
        assert_eq!(by_api_version("/v1", "Secret"), None);
        assert_eq!(by_api_version("apps/v1/x", "Deployment"), None);
        assert_eq!(by_api_version("apps/v1", "Deployment"), Some(&DEPLOYMENTS));
        assert_eq!(
            by_group_kind("monitoring.coreos.com/v1beta1", "ScrapeConfig"),
            Some(&SCRAPE_CONFIGS)
        );
        assert_eq!(by_group_kind("apps/v1", "Secret"), None);
    }

    #[test]
    fn words_name_types_as_kubectl_reads_them() {
        for word in [
            "smon",
            "servicemonitor",
            "ServiceMonitors",
            "servicemonitors.monitoring.coreos.com",
            "servicemonitor.v1.monitoring.coreos.com",
        ] {
            assert!(SERVICE_MONITORS.is_named_by(word), "{word}");
        }
        assert!(!SERVICE_MONITORS.is_named_by("smon.apps"));
        assert!(!SERVICE_MONITORS.is_named_by("servicemonitor.v2.monitoring.coreos.com.x"));
        assert!(PODS.is_named_by("po"));
        for resource in ALL {
            assert!(resource.is_named_by(resource.kind));
            assert!(resource.is_named_by(resource.plural));
            assert!(resource.is_named_by(resource.short_name()));
        }
    }
}
