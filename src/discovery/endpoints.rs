//! The `endpoints` role: one group per Endpoints object, one target per address and port,
//! plus targets for the declared ports of backing Pods that no endpoint port covers.

use k8s_openapi::api::core::v1::{EndpointAddress, EndpointPort, Endpoints, Pod};

use super::pod::{
    CONTAINER_IMAGE, CONTAINER_INIT, CONTAINER_NAME, CONTAINER_PORT_NAME, CONTAINER_PORT_NUMBER,
    CONTAINER_PORT_PROTOCOL, container_port_labels, containers, pod_ip, pod_labels,
};
use super::service::service_labels;
use super::{
    ADDRESS_LABEL, Labels, NAMESPACE_LABEL, Role, Scope, TargetGroup, add_object_meta_labels,
    join_host_port, labels, name_of, namespace_of, namespaced_source,
};

/// Targets for every Endpoints object the config lists.
pub(super) fn discover(scope: &Scope) -> Vec<TargetGroup> {
    scope.groups(Role::Endpoints, &scope.snapshot.endpoints, build)
}

/// A Pod met through an address, with the endpoint ports already turned into targets for it.
pub(super) struct SeenPod<'a> {
    pub(super) pod: &'a Pod,
    pub(super) ports: Vec<Option<i32>>,
}

/// Finds the entry for `pod` in `seen`, adding it on first sight (first-seen order).
pub(super) fn seen_entry<'s, 'a>(
    seen: &'s mut Vec<SeenPod<'a>>,
    pod: &'a Pod,
) -> &'s mut SeenPod<'a> {
    let index = match seen.iter().position(|s| std::ptr::eq(s.pod, pod)) {
        Some(index) => index,
        None => {
            seen.push(SeenPod {
                pod,
                ports: Vec::new(),
            });
            seen.len() - 1
        }
    };
    &mut seen[index]
}

/// Targets for the declared container ports of seen Pods that no endpoint port covered.
pub(super) fn uncovered_port_targets(scope: &Scope, seen: &[SeenPod<'_>]) -> Vec<Labels> {
    let mut targets = Vec::new();
    for entry in seen {
        let ip = pod_ip(entry.pod);
        if ip.is_empty() {
            continue;
        }
        for (container, is_init) in containers(entry.pod) {
            for port in container.ports.as_deref().unwrap_or(&[]) {
                if entry.ports.contains(&Some(port.container_port)) {
                    continue;
                }
                let mut target = container_port_labels(ip, container, port, is_init);
                target.extend(pod_labels(scope, entry.pod));
                targets.push(target);
            }
        }
    }
    targets
}

/// Sets the container labels of the container port matching `port`; as in Prometheus, a later
/// container with a matching port wins over an earlier one. `protocol` is the protocol label's
/// value, `None` for the container port's own.
pub(super) fn add_matching_container_labels(
    target: &mut Labels,
    pod: &Pod,
    port: i32,
    protocol: Option<&str>,
) {
    for (container, is_init) in containers(pod) {
        let matching = container
            .ports
            .as_deref()
            .unwrap_or(&[])
            .iter()
            .find(|p| p.container_port == port);
        let Some(container_port) = matching else {
            continue;
        };
        target.extend(labels([
            (CONTAINER_NAME, container.name.clone()),
            (CONTAINER_IMAGE, container.image.clone().unwrap_or_default()),
            (
                CONTAINER_PORT_NAME,
                container_port.name.clone().unwrap_or_default(),
            ),
            (CONTAINER_PORT_NUMBER, port.to_string()),
            (
                CONTAINER_PORT_PROTOCOL,
                protocol
                    .map(str::to_owned)
                    .or_else(|| container_port.protocol.clone())
                    .unwrap_or_default(),
            ),
            (CONTAINER_INIT, is_init.to_string()),
        ]));
    }
}

fn build(scope: &Scope, endpoints: &Endpoints) -> TargetGroup {
    let namespace = namespace_of(&endpoints.metadata);
    let mut group = TargetGroup {
        source: namespaced_source("endpoints", &endpoints.metadata),
        labels: labels([(NAMESPACE_LABEL, namespace.to_owned())]),
        targets: Vec::new(),
    };
    if let Some(service) = scope.service(namespace, name_of(&endpoints.metadata)) {
        group.labels.extend(service_labels(service));
    }
    add_object_meta_labels(
        &mut group.labels,
        &endpoints.metadata,
        Role::Endpoints.as_str(),
    );
    scope.add_namespace_labels(&mut group.labels, namespace);

    let mut seen: Vec<SeenPod<'_>> = Vec::new();
    for subset in endpoints.subsets.as_deref().unwrap_or(&[]) {
        for port in subset.ports.as_deref().unwrap_or(&[]) {
            let ready = subset.addresses.as_deref().unwrap_or(&[]);
            let not_ready = subset.not_ready_addresses.as_deref().unwrap_or(&[]);
            let addresses = ready
                .iter()
                .map(|a| (a, true))
                .chain(not_ready.iter().map(|a| (a, false)));
            for (address, is_ready) in addresses {
                let target = address_target(scope, namespace, address, port, is_ready, &mut seen);
                group.targets.push(target);
            }
        }
    }
    group.targets.extend(uncovered_port_targets(scope, &seen));
    group
}

fn address_target<'a>(
    scope: &Scope<'a>,
    namespace: &str,
    address: &EndpointAddress,
    port: &EndpointPort,
    is_ready: bool,
    seen: &mut Vec<SeenPod<'a>>,
) -> Labels {
    let protocol = port.protocol.clone().unwrap_or_default();
    let mut target = labels([
        (ADDRESS_LABEL, join_host_port(&address.ip, port.port)),
        (
            "__meta_kubernetes_endpoint_port_name",
            port.name.clone().unwrap_or_default(),
        ),
        ("__meta_kubernetes_endpoint_port_protocol", protocol.clone()),
        ("__meta_kubernetes_endpoint_ready", is_ready.to_string()),
    ]);
    let target_ref = address.target_ref.as_ref();
    if let Some(target_ref) = target_ref {
        target.insert(
            "__meta_kubernetes_endpoint_address_target_kind".into(),
            target_ref.kind.clone().unwrap_or_default(),
        );
        target.insert(
            "__meta_kubernetes_endpoint_address_target_name".into(),
            target_ref.name.clone().unwrap_or_default(),
        );
    }
    if let Some(node_name) = &address.node_name {
        target.insert(
            "__meta_kubernetes_endpoint_node_name".into(),
            node_name.clone(),
        );
    }
    if let Some(hostname) = address.hostname.as_ref().filter(|h| !h.is_empty()) {
        target.insert(
            "__meta_kubernetes_endpoint_hostname".into(),
            hostname.clone(),
        );
    }
    if scope.attach.node {
        let node_ref = target_ref
            .filter(|r| r.kind.as_deref() == Some("Node"))
            .map(|r| r.name.as_deref().unwrap_or(""));
        scope.add_node_labels(&mut target, address.node_name.as_deref().or(node_ref));
    }

    let Some(pod) = scope.referenced_pod(namespace, target_ref) else {
        return target;
    };
    target.extend(pod_labels(scope, pod));
    add_matching_container_labels(&mut target, pod, port.port, Some(&protocol));
    seen_entry(seen, pod).ports.push(Some(port.port));
    target
}
