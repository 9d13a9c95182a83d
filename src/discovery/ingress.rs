//! The `ingress` role: one target per Ingress rule host and path.

use k8s_openapi::api::networking::v1::Ingress;

use super::{
    ADDRESS_LABEL, NAMESPACE_LABEL, Role, Scope, TargetGroup, add_object_meta_labels, labels,
    namespace_of, namespaced_source,
};

/// Targets for every Ingress the config lists.
pub(super) fn discover(scope: &Scope) -> Vec<TargetGroup> {
    scope.groups(Role::Ingress, &scope.snapshot.ingresses, build)
}

fn build(scope: &Scope, ingress: &Ingress) -> TargetGroup {
    let namespace = namespace_of(&ingress.metadata);
    let mut group = TargetGroup {
        source: namespaced_source("ingress", &ingress.metadata),
        labels: labels([(NAMESPACE_LABEL, namespace.to_owned())]),
        targets: Vec::new(),
    };
    let spec = ingress.spec.clone().unwrap_or_default();
    if let Some(class) = &spec.ingress_class_name {
        group
            .labels
            .insert("__meta_kubernetes_ingress_class_name".into(), class.clone());
    }
    add_object_meta_labels(&mut group.labels, &ingress.metadata, Role::Ingress.as_str());
    scope.add_namespace_labels(&mut group.labels, namespace);

    let tls_hosts: Vec<&str> = spec
        .tls
        .iter()
        .flatten()
        .flat_map(|tls| tls.hosts.iter().flatten())
        .map(String::as_str)
        .collect();
    for rule in spec.rules.iter().flatten() {
        let host = rule.host.clone().unwrap_or_default();
        let scheme = if tls_hosts.iter().any(|p| matches_host_pattern(p, &host)) {
            "https"
        } else {
            "http"
        };
        // A rule without an http block stands for the root path; an http block with an empty
        // path list yields nothing.
        let paths: Vec<String> = match &rule.http {
            None => vec!["/".to_owned()],
            Some(http) => http
                .paths
                .iter()
                .map(|p| {
                    p.path
                        .clone()
                        .filter(|p| !p.is_empty())
                        .unwrap_or_else(|| "/".to_owned())
                })
                .collect(),
        };
        for path in paths {
            group.targets.push(labels([
                (ADDRESS_LABEL, host.clone()),
                ("__meta_kubernetes_ingress_scheme", scheme.to_owned()),
                ("__meta_kubernetes_ingress_host", host.clone()),
                ("__meta_kubernetes_ingress_path", path),
            ]));
        }
    }
    group
}

/// Whether `host` equals `pattern` or matches it as a `*.`-prefixed wildcard for exactly one
/// leading label.
fn matches_host_pattern(pattern: &str, host: &str) -> bool {
    if pattern == host {
        return true;
    }
    let pattern_parts: Vec<&str> = pattern.split('.').collect();
    let host_parts: Vec<&str> = host.split('.').collect();
    pattern_parts.first() == Some(&"*")
        && pattern_parts.len() == host_parts.len()
        && pattern_parts
            .iter()
            .zip(&host_parts)
            .skip(1)
            .all(|(p, h)| p == h)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcard_hosts_match_one_label() {
        assert!(matches_host_pattern("*.example.com", "a.example.com"));
        assert!(!matches_host_pattern("*.example.com", "a.b.example.com"));
        assert!(!matches_host_pattern("*.example.com", "example.com"));
        assert!(matches_host_pattern("example.com", "example.com"));
    }
}
