//! The `endpointslice` role: one group per EndpointSlice, one target per endpoint address and
//! port, plus targets for the declared ports of backing Pods that no slice port covers.

use k8s_openapi::api::core::v1::Service;
use k8s_openapi::api::discovery::v1::{Endpoint, EndpointPort, EndpointSlice};

use super::endpoints::{
    SeenPod, add_matching_container_labels, seen_entry, uncovered_port_targets,
};
use super::pod::pod_labels;
use super::service::service_labels;
use super::{
    ADDRESS_LABEL, Labels, META, NAMESPACE_LABEL, Role, Scope, TargetGroup, add_object_meta_labels,
    join_host_port, labels, namespace_of, namespaced_source, sanitize_label_name,
};
use crate::snapshot::SERVICE_NAME_LABEL;

/// Targets for every EndpointSlice the config lists.
pub(super) fn discover(scope: &Scope) -> Vec<TargetGroup> {
    scope.groups(Role::EndpointSlice, &scope.snapshot.endpoint_slices, build)
}

fn build(scope: &Scope, slice: &EndpointSlice) -> TargetGroup {
    let namespace = namespace_of(&slice.metadata);
    let mut group = TargetGroup {
        source: namespaced_source("endpointslice", &slice.metadata),
        labels: labels([
            (NAMESPACE_LABEL, namespace.to_owned()),
            (
                "__meta_kubernetes_endpointslice_address_type",
                slice.address_type.clone(),
            ),
        ]),
        targets: Vec::new(),
    };
    add_object_meta_labels(
        &mut group.labels,
        &slice.metadata,
        Role::EndpointSlice.as_str(),
    );
    let service = slice
        .metadata
        .labels
        .as_ref()
        .and_then(|l| l.get(SERVICE_NAME_LABEL))
        .and_then(|name| scope.service(namespace, name));
    if let Some(service) = service {
        group.labels.extend(service_labels(service));
    }
    scope.add_namespace_labels(&mut group.labels, namespace);

    if !scope.keeps_secondary_family && service.is_some_and(|s| is_secondary_family_slice(s, slice))
    {
        return group;
    }

    let mut seen: Vec<SeenPod<'_>> = Vec::new();
    let ports = slice.ports.as_deref().unwrap_or(&[]);
    for endpoint in slice.endpoints.iter().flatten() {
        for port in ports {
            for address in &endpoint.addresses {
                let target = address_target(scope, namespace, address, endpoint, port, &mut seen);
                group.targets.push(target);
            }
        }
    }
    group.targets.extend(uncovered_port_targets(scope, &seen));
    group
}

/// Whether the slice holds the secondary IP family of a dual-stack Service: its endpoints
/// repeat those of the primary family's slice, so it yields no targets.
fn is_secondary_family_slice(service: &Service, slice: &EndpointSlice) -> bool {
    let Some(spec) = &service.spec else {
        return false;
    };
    let dual_stack = matches!(
        spec.ip_family_policy.as_deref(),
        Some("PreferDualStack" | "RequireDualStack")
    );
    let primary = spec.ip_families.as_deref().and_then(<[String]>::first);
    match primary {
        Some(primary) if dual_stack => *primary != slice.address_type,
        _ => false,
    }
}

fn address_target<'a>(
    scope: &Scope<'a>,
    namespace: &str,
    address: &str,
    endpoint: &Endpoint,
    port: &EndpointPort,
    seen: &mut Vec<SeenPod<'a>>,
) -> Labels {
    let address = match port.port {
        Some(number) => join_host_port(address, number),
        None => address.to_owned(),
    };
    let mut target = labels([(ADDRESS_LABEL, address)]);
    let mut set = |name: &str, value: Option<String>| {
        if let Some(value) = value {
            target.insert(format!("{META}endpointslice_{name}"), value);
        }
    };
    set("port_name", port.name.clone());
    set("port_protocol", port.protocol.clone());
    set("port", port.port.map(|p| p.to_string()));
    set("port_app_protocol", port.app_protocol.clone());
    let conditions = endpoint.conditions.as_ref();
    let condition = |value: Option<bool>| value.map(|v| v.to_string());
    set(
        "endpoint_conditions_ready",
        condition(conditions.and_then(|c| c.ready)),
    );
    set(
        "endpoint_conditions_serving",
        condition(conditions.and_then(|c| c.serving)),
    );
    set(
        "endpoint_conditions_terminating",
        condition(conditions.and_then(|c| c.terminating)),
    );
    set("endpoint_hostname", endpoint.hostname.clone());
    let target_ref = endpoint.target_ref.as_ref();
    if let Some(target_ref) = target_ref {
        set(
            "address_target_kind",
            Some(target_ref.kind.clone().unwrap_or_default()),
        );
        set(
            "address_target_name",
            Some(target_ref.name.clone().unwrap_or_default()),
        );
    }
    set("endpoint_node_name", endpoint.node_name.clone());
    set("endpoint_zone", endpoint.zone.clone());
    for (key, value) in endpoint.deprecated_topology.iter().flatten() {
        let key = sanitize_label_name(key);
        set(&format!("endpoint_topology_{key}"), Some(value.clone()));
        set(
            &format!("endpoint_topology_present_{key}"),
            Some("true".into()),
        );
    }

    if scope.attach.node {
        let node = match target_ref {
            Some(r) if r.kind.as_deref() == Some("Node") => Some(r.name.as_deref().unwrap_or("")),
            _ => endpoint.node_name.as_deref(),
        };
        scope.add_node_labels(&mut target, node);
    }

    let Some(pod) = scope.referenced_pod(namespace, target_ref) else {
        return target;
    };
    target.extend(pod_labels(scope, pod));
    if let Some(number) = port.port {
        add_matching_container_labels(&mut target, pod, number, None);
    }
    seen_entry(seen, pod).ports.push(port.port);
    target
}
