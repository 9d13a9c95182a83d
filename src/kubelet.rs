//! What the operator keeps for the kubelets under `--kubelet-service` (upstream
//! `pkg/kubelet`): a headless Service without a selector, and Endpoints and EndpointSlices
//! that list every node. They exist only in the cluster; [`add_missing`] lays them into a
//! snapshot read from files, so that a ServiceMonitor on the kubelets finds what Prometheus
//! finds, and does not read as selecting nothing.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::net::IpAddr;

use k8s_openapi::api::core::v1::{
    EndpointAddress, EndpointPort, EndpointSubset, Endpoints, Node, ObjectReference, Service,
    ServicePort, ServiceSpec,
};
use k8s_openapi::api::discovery::v1::{self as discovery, EndpointConditions, EndpointSlice};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use crate::operator::{KubeletFlags, OperatorOptions};
use crate::snapshot::{SERVICE_NAME_LABEL, Snapshot, name_of, namespace_of};
use crate::workload::meta::{APP_NAME_LABEL, MANAGED_BY_LABEL, MANAGED_BY_VALUE};

/// The kubelet's ports, by name, as the operator lists them.
const HTTPS_PORT: (&str, i32) = ("https-metrics", 10250);
const CADVISOR_PORT: (&str, i32) = ("cadvisor", 4194);
const HTTP_PORT: (&str, i32) = ("http-metrics", 10255);

/// Adds what the operator keeps under `--kubelet-service` and the snapshot lacks: the Service,
/// and, from the snapshot's Nodes, its Endpoints and EndpointSlices; says what it added.
pub fn add_missing(snapshot: &mut Snapshot, options: &OperatorOptions) -> Option<String> {
    let flags = &options.kubelet;
    // `--kubelet-service=/` passes the operator's start-up check; it then fails to write it.
    let (namespace, name) = flags
        .service
        .as_ref()
        .filter(|(namespace, name)| !namespace.is_empty() && !name.is_empty())?;
    let named = |meta: &ObjectMeta| namespace_of(meta) == namespace && name_of(meta) == name;
    let service_added = !snapshot.services.iter().any(|s| named(&s.metadata));
    if service_added {
        snapshot.services.push(service(namespace, name, options));
    }
    let addresses = node_addresses(&snapshot.nodes, flags);
    let mut endpoints_added = Vec::new();
    if !addresses.is_empty() {
        let has_endpoints = snapshot.endpoints_of(namespace, name).next().is_some();
        if flags.endpoints && !has_endpoints {
            snapshot
                .endpoints
                .push(endpoints(namespace, name, options, &addresses));
            endpoints_added.push("Endpoints");
        }
        let has_slices = snapshot
            .endpoint_slices_of(namespace, name)
            .next()
            .is_some();
        // Without --kubelet-endpointslice Kubernetes mirrors the Endpoints into slices.
        if !has_slices {
            snapshot
                .endpoint_slices
                .extend(endpoint_slices(namespace, name, options, &addresses));
            endpoints_added.push("EndpointSlices");
        }
    }
    let endpoints_added = endpoints_added.join(" and ");
    let added = match (service_added, endpoints_added.is_empty()) {
        (false, true) => return None,
        (true, true) => format!("Service {namespace}/{name}"),
        (true, false) => format!("Service {namespace}/{name} with its {endpoints_added}"),
        (false, false) => format!("the {endpoints_added} of Service {namespace}/{name}"),
    };
    let by = options
        .source
        .as_deref()
        .map_or_else(String::new, |source| format!(" of {source}"));
    let nodes = match (snapshot.nodes.len(), addresses.len()) {
        (0, _) => "; its endpoints list the cluster's nodes and no Node is in the input: add \
                   them (kubectl get nodes -o yaml) to see the kubelet targets"
            .to_owned(),
        (nodes, 0) => format!("; none of the {nodes} Node(s) in the input is listed"),
        (nodes, listed) => format!(" ({listed} address(es) of {nodes} Node(s) in the input)"),
    };
    Some(format!(
        "added {added}, which the operator keeps (--kubelet-service{by}) and the input does not \
         hold{nodes}"
    ))
}

/// The metadata of a kubelet object: the operator's own labels and `extra` ones, then its
/// `--labels` over them (`Map.Merge`), and its `--annotations`.
fn object_meta(
    (namespace, name): (&str, &str),
    options: &OperatorOptions,
    extra: &[(&str, &str)],
) -> ObjectMeta {
    let mut labels: BTreeMap<String, String> = [
        ("k8s-app", "kubelet"),
        (APP_NAME_LABEL, "kubelet"),
        (MANAGED_BY_LABEL, MANAGED_BY_VALUE),
    ]
    .iter()
    .chain(extra)
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();
    labels.extend(options.labels.clone());
    ObjectMeta {
        namespace: Some(namespace.to_owned()),
        name: Some(name.to_owned()),
        labels: Some(labels),
        annotations: (!options.annotations.is_empty()).then(|| options.annotations.clone()),
        ..ObjectMeta::default()
    }
}

fn service(namespace: &str, name: &str, options: &OperatorOptions) -> Service {
    Service {
        metadata: object_meta((namespace, name), options, &[]),
        spec: Some(ServiceSpec {
            type_: Some("ClusterIP".to_owned()),
            cluster_ip: Some("None".to_owned()),
            ports: Some(
                ports(&options.kubelet)
                    .map(|(port_name, port)| ServicePort {
                        name: Some(port_name.to_owned()),
                        port,
                        ..ServicePort::default()
                    })
                    .collect(),
            ),
            ..ServiceSpec::default()
        }),
        ..Service::default()
    }
}

fn ports(flags: &KubeletFlags) -> impl Iterator<Item = (&'static str, i32)> {
    [HTTPS_PORT, CADVISOR_PORT]
        .into_iter()
        .chain(flags.http_metrics.then_some(HTTP_PORT))
}

/// One address of a node, as the operator lists it.
struct NodeAddress {
    ip: String,
    node: String,
    ipv4: bool,
}

/// The addresses the operator lists: nodes by name, those `--kubelet-selector` keeps, each
/// with its addresses of the preferred type (internal, or external first); an address shared
/// by nodes whose Ready condition is known and unknown is kept only for the known node.
fn node_addresses(nodes: &[Node], flags: &KubeletFlags) -> Vec<NodeAddress> {
    let mut sorted: Vec<&Node> = nodes
        .iter()
        .filter(|n| {
            flags
                .node_selector
                .as_ref()
                .is_none_or(|s| s.matches(n.metadata.labels.as_ref().unwrap_or(&BTreeMap::new())))
        })
        .collect();
    sorted.sort_by(|a, b| name_of(&a.metadata).cmp(name_of(&b.metadata)));
    let mut found = Vec::new();
    let mut ready_known: HashMap<String, String> = HashMap::new();
    let mut ready_unknown: HashMap<String, String> = HashMap::new();
    for node in sorted {
        let name = name_of(&node.metadata).to_owned();
        let ready = ready_condition_known(node);
        for ip in preferred_addresses(node, flags.external_first) {
            let Ok(parsed) = ip.parse::<IpAddr>() else {
                continue;
            };
            let ipv4 = match parsed {
                IpAddr::V4(_) => true,
                IpAddr::V6(v6) => v6.to_ipv4_mapped().is_some(),
            };
            let seen = if ready {
                &mut ready_known
            } else {
                &mut ready_unknown
            };
            seen.insert(ip.clone(), name.clone());
            found.push(NodeAddress {
                ip,
                node: name.clone(),
                ipv4,
            });
        }
    }
    found
        .into_iter()
        .filter(|a| {
            let known = ready_known.get(&a.ip);
            !(known.is_some_and(|n| *n != a.node) && ready_unknown.contains_key(&a.ip))
        })
        .collect()
}

fn ready_condition_known(node: &Node) -> bool {
    node.status
        .iter()
        .flat_map(|s| s.conditions.iter().flatten())
        .any(|c| c.type_ == "Ready" && c.status != "Unknown")
}

fn preferred_addresses(node: &Node, external_first: bool) -> Vec<String> {
    let of_type = |wanted: &str| -> Vec<String> {
        node.status
            .iter()
            .flat_map(|s| s.addresses.iter().flatten())
            .filter(|a| a.type_ == wanted)
            .map(|a| a.address.clone())
            .collect()
    };
    let (first, second) = if external_first {
        ("ExternalIP", "InternalIP")
    } else {
        ("InternalIP", "ExternalIP")
    };
    let preferred = of_type(first);
    if preferred.is_empty() {
        of_type(second)
    } else {
        preferred
    }
}

fn node_reference(node: &str) -> ObjectReference {
    ObjectReference {
        kind: Some("Node".to_owned()),
        name: Some(node.to_owned()),
        ..ObjectReference::default()
    }
}

fn endpoints(
    namespace: &str,
    name: &str,
    options: &OperatorOptions,
    addresses: &[NodeAddress],
) -> Endpoints {
    // Under --kubelet-endpointslice the operator writes the slices itself, so the mirroring
    // controller must not.
    let skip_mirror: &[(&str, &str)] = if options.kubelet.endpoint_slice {
        &[("endpointslice.kubernetes.io/skip-mirror", "true")]
    } else {
        &[]
    };
    Endpoints {
        metadata: object_meta((namespace, name), options, skip_mirror),
        subsets: Some(vec![EndpointSubset {
            addresses: Some(
                addresses
                    .iter()
                    .map(|a| EndpointAddress {
                        ip: a.ip.clone(),
                        node_name: Some(a.node.clone()),
                        target_ref: Some(node_reference(&a.node)),
                        ..EndpointAddress::default()
                    })
                    .collect(),
            ),
            ports: Some(
                ports(&options.kubelet)
                    .map(|(port_name, port)| EndpointPort {
                        name: Some(port_name.to_owned()),
                        port,
                        ..EndpointPort::default()
                    })
                    .collect(),
            ),
            ..EndpointSubset::default()
        }]),
    }
}

/// One slice per address family, one endpoint per address: the operator's own under
/// `--kubelet-endpointslice`, else what Kubernetes mirrors from the Endpoints.
fn endpoint_slices(
    namespace: &str,
    name: &str,
    options: &OperatorOptions,
    addresses: &[NodeAddress],
) -> Vec<EndpointSlice> {
    let managed_by = if options.kubelet.endpoint_slice {
        MANAGED_BY_VALUE
    } else {
        "endpointslicemirroring-controller.k8s.io"
    };
    let extra = [
        (SERVICE_NAME_LABEL, name),
        ("endpointslice.kubernetes.io/managed-by", managed_by),
    ];
    let mut seen = HashSet::new();
    let unique: Vec<&NodeAddress> = addresses.iter().filter(|a| seen.insert(&a.ip)).collect();
    [(true, "IPv4"), (false, "IPv6")]
        .into_iter()
        .filter_map(|(ipv4, family)| {
            let endpoints: Vec<discovery::Endpoint> = unique
                .iter()
                .filter(|a| a.ipv4 == ipv4)
                .map(|a| discovery::Endpoint {
                    addresses: vec![a.ip.clone()],
                    conditions: Some(EndpointConditions {
                        ready: Some(true),
                        ..EndpointConditions::default()
                    }),
                    node_name: Some(a.node.clone()),
                    target_ref: Some(node_reference(&a.node)),
                    ..discovery::Endpoint::default()
                })
                .collect();
            let slice_name = format!("{name}-{}", family.to_lowercase());
            (!endpoints.is_empty()).then(|| EndpointSlice {
                metadata: object_meta((namespace, &slice_name), options, &extra),
                address_type: family.to_owned(),
                endpoints: Some(endpoints),
                ports: Some(
                    ports(&options.kubelet)
                        .map(|(port_name, port)| discovery::EndpointPort {
                            name: Some(port_name.to_owned()),
                            port: Some(port),
                            ..discovery::EndpointPort::default()
                        })
                        .collect(),
                ),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const NODES: &str = "\
apiVersion: v1
kind: Node
metadata: {name: b, labels: {pool: x}}
status:
  addresses: [{type: InternalIP, address: 10.0.0.2}, {type: ExternalIP, address: 1.2.3.4}]
  conditions: [{type: Ready, status: 'True'}]
---
apiVersion: v1
kind: Node
metadata: {name: a}
status:
  addresses: [{type: ExternalIP, address: 1.2.3.5}, {type: InternalIP, address: 'fd00::1'}]
  conditions: [{type: Ready, status: 'True'}]
---
apiVersion: v1
kind: Node
metadata: {name: c}
status:
  addresses: [{type: InternalIP, address: 10.0.0.2}]
  conditions: [{type: Ready, status: Unknown}]
";

    fn options(args: &str) -> OperatorOptions {
        let args: Vec<String> = args.split_whitespace().map(str::to_owned).collect();
        OperatorOptions::from_args(&args).unwrap()
    }

    #[test]
    fn nothing_without_the_flag_or_when_the_service_is_given() {
        let mut snapshot = crate::snapshot::load("nodes", NODES).unwrap().0;
        assert_eq!(add_missing(&mut snapshot, &options("")), None);
        assert_eq!(
            add_missing(&mut snapshot, &options("--kubelet-service=/")),
            None
        );
        let flags = options("--kubelet-service=kube-system/kubelet");
        assert!(add_missing(&mut snapshot, &flags).is_some());
        assert_eq!(add_missing(&mut snapshot, &flags), None);
        assert_eq!(snapshot.services.len(), 1);
    }

    #[test]
    fn nodes_become_addresses_as_the_operator_lists_them() {
        let mut snapshot = crate::snapshot::load("nodes", NODES).unwrap().0;
        let flags = options("--kubelet-service=kube-system/kubelet --labels=team=infra");
        let said = add_missing(&mut snapshot, &flags).unwrap();
        assert!(
            said.contains("(2 address(es) of 3 Node(s) in the input)"),
            "{said}"
        );
        let service = &snapshot.services[0];
        let labels = service.metadata.labels.as_ref().unwrap();
        assert_eq!(labels["app.kubernetes.io/name"], "kubelet");
        assert_eq!(labels["team"], "infra");
        let ports: Vec<_> = service
            .spec
            .as_ref()
            .unwrap()
            .ports
            .iter()
            .flatten()
            .map(|p| p.port)
            .collect();
        assert_eq!(ports, [10250, 4194, 10255]);
        // By node name: a's internal IPv6 address, then b's; c's address is b's and c's
        // Ready condition is unknown.
        let endpoints = &snapshot.endpoints[0].subsets.as_ref().unwrap()[0];
        let ips: Vec<_> = endpoints
            .addresses
            .iter()
            .flatten()
            .map(|a| a.ip.as_str())
            .collect();
        assert_eq!(ips, ["fd00::1", "10.0.0.2"]);
        let families: Vec<_> = snapshot
            .endpoint_slices
            .iter()
            .map(|s| s.address_type.as_str())
            .collect();
        assert_eq!(families, ["IPv4", "IPv6"]);
    }

    #[test]
    fn flags_choose_nodes_addresses_and_ports() {
        let mut snapshot = crate::snapshot::load("nodes", NODES).unwrap().0;
        let flags = options(
            "--kubelet-service=kube-system/kubelet --kubelet-selector=pool=x \
             --kubelet-node-address-priority=external --kubelet-http-metrics=false \
             --kubelet-endpoints=false --kubelet-endpointslice",
        );
        add_missing(&mut snapshot, &flags).unwrap();
        assert!(snapshot.endpoints.is_empty());
        let slice = &snapshot.endpoint_slices[0];
        assert_eq!(slice.endpoints.as_ref().unwrap()[0].addresses, ["1.2.3.4"]);
        assert_eq!(slice.ports.as_ref().unwrap().len(), 2);
    }

    #[test]
    fn malformed_or_endpointless_flags_are_refused() {
        for args in [
            "--kubelet-service=kubelet",
            "--kubelet-service=a/b/c",
            "--kubelet-service=a/b --kubelet-node-address-priority=hostname",
            "--kubelet-service=a/b --kubelet-endpoints=false",
        ] {
            let args: Vec<String> = args.split_whitespace().map(str::to_owned).collect();
            assert!(OperatorOptions::from_args(&args).is_err(), "{args:?}");
        }
    }

    #[test]
    fn a_given_service_gets_the_endpoints_it_lacks() {
        let given = "\
apiVersion: v1
kind: Service
metadata: {name: kubelet, namespace: kube-system, labels: {k8s-app: kubelet}}
spec: {clusterIP: None, ports: [{name: https-metrics, port: 10250}]}
---
";
        let mut snapshot = crate::snapshot::load("nodes", &format!("{given}{NODES}"))
            .unwrap()
            .0;
        let flags = options("--kubelet-service=kube-system/kubelet");
        let said = add_missing(&mut snapshot, &flags).unwrap();
        assert!(
            said.starts_with(
                "added the Endpoints and EndpointSlices of Service kube-system/kubelet,"
            ),
            "{said}"
        );
        assert_eq!(snapshot.services.len(), 1);
        assert_eq!(snapshot.endpoints.len(), 1);
    }

    #[test]
    fn the_operators_labels_win_and_slices_list_an_address_once() {
        let mut snapshot = crate::snapshot::load("nodes", NODES).unwrap().0;
        let flags = options(
            "--kubelet-service=kube-system/kubelet --kubelet-endpointslice \
             --labels=kubernetes.io/service-name=x --labels=team=a --annotations=note=y",
        );
        add_missing(&mut snapshot, &flags).unwrap();
        let slice = &snapshot.endpoint_slices[0];
        let labels = slice.metadata.labels.as_ref().unwrap();
        assert_eq!(labels["kubernetes.io/service-name"], "x");
        assert_eq!(labels["team"], "a");
        assert_eq!(
            labels["endpointslice.kubernetes.io/managed-by"],
            "prometheus-operator"
        );
        let annotations = snapshot.services[0].metadata.annotations.as_ref().unwrap();
        assert_eq!(annotations["note"], "y");
        let skip = snapshot.endpoints[0].metadata.labels.as_ref().unwrap();
        assert_eq!(skip["endpointslice.kubernetes.io/skip-mirror"], "true");
    }
}
