//! The `node` role: one target per Node, on its kubelet port.

use k8s_openapi::api::core::v1::{Node, NodeAddress};

use super::{
    ADDRESS_LABEL, META, Role, Scope, TargetGroup, add_object_meta_labels, join_host_port, labels,
    name_of, sanitize_label_name,
};

/// Address types in the order a node's scrape address is chosen from them.
const ADDRESS_PRIORITY: [&str; 6] = [
    "InternalIP",
    "InternalDNS",
    "ExternalIP",
    "ExternalDNS",
    "LegacyHostIP",
    "Hostname",
];

/// Targets for every Node the config lists; a Node without a usable address yields no group.
pub(super) fn discover(scope: &Scope) -> Vec<TargetGroup> {
    scope
        .snapshot
        .nodes
        .iter()
        .filter(|node| scope.selects(Role::Node, *node))
        .filter_map(build)
        .collect()
}

fn build(node: &Node) -> Option<TargetGroup> {
    let name = name_of(&node.metadata);
    let status = node.status.clone().unwrap_or_default();
    let addresses = status.addresses.unwrap_or_default();
    let address = ADDRESS_PRIORITY
        .iter()
        .find_map(|ty| first_of_type(&addresses, ty))?;
    let port = status
        .daemon_endpoints
        .and_then(|d| d.kubelet_endpoint)
        .map_or(0, |k| k.port);

    let mut group_labels = labels([(
        "__meta_kubernetes_node_provider_id",
        node.spec
            .as_ref()
            .and_then(|s| s.provider_id.clone())
            .unwrap_or_default(),
    )]);
    for condition in status.conditions.iter().flatten() {
        let ty = sanitize_label_name(&condition.type_.to_lowercase());
        group_labels.insert(
            format!("{META}node_condition_{ty}"),
            condition.status.to_lowercase(),
        );
    }
    add_object_meta_labels(&mut group_labels, &node.metadata, Role::Node.as_str());

    let mut target = labels([
        (ADDRESS_LABEL, join_host_port(address, port)),
        ("instance", name.to_owned()),
    ]);
    for a in &addresses {
        if let Some(first) = first_of_type(&addresses, &a.type_) {
            target.insert(
                sanitize_label_name(&format!("{META}node_address_{}", a.type_)),
                first.to_owned(),
            );
        }
    }
    Some(TargetGroup {
        source: format!("node/{name}"),
        labels: group_labels,
        targets: vec![target],
    })
}

fn first_of_type<'a>(addresses: &'a [NodeAddress], ty: &str) -> Option<&'a str> {
    addresses
        .iter()
        .find(|a| a.type_ == ty)
        .map(|a| a.address.as_str())
}
