//! The `service` role: one target per Service port, addressed by the Service's DNS name.

use k8s_openapi::api::core::v1::Service;

use super::{
    ADDRESS_LABEL, Labels, NAMESPACE_LABEL, Role, Scope, TargetGroup, add_object_meta_labels,
    join_host_port, labels, name_of, namespace_of, namespaced_source,
};

/// Targets for every Service the config lists.
pub(super) fn discover(scope: &Scope) -> Vec<TargetGroup> {
    scope.groups(Role::Service, &scope.snapshot.services, build)
}

/// The namespace, name, labels and annotations of a Service.
pub(super) fn service_labels(service: &Service) -> Labels {
    let mut out = labels([(NAMESPACE_LABEL, namespace_of(&service.metadata).to_owned())]);
    add_object_meta_labels(&mut out, &service.metadata, Role::Service.as_str());
    out
}

fn build(scope: &Scope, service: &Service) -> TargetGroup {
    let namespace = namespace_of(&service.metadata);
    let mut group = TargetGroup {
        source: namespaced_source("svc", &service.metadata),
        labels: service_labels(service),
        targets: Vec::new(),
    };
    scope.add_namespace_labels(&mut group.labels, namespace);

    let spec = service.spec.clone().unwrap_or_default();
    let service_type = spec.type_.clone().unwrap_or_default();
    let host = format!("{}.{namespace}.svc", name_of(&service.metadata));
    for port in spec.ports.as_deref().unwrap_or(&[]) {
        let mut target = labels([
            (ADDRESS_LABEL, join_host_port(&host, port.port)),
            (
                "__meta_kubernetes_service_port_name",
                port.name.clone().unwrap_or_default(),
            ),
            (
                "__meta_kubernetes_service_port_number",
                port.port.to_string(),
            ),
            (
                "__meta_kubernetes_service_port_protocol",
                port.protocol.clone().unwrap_or_default(),
            ),
            ("__meta_kubernetes_service_type", service_type.clone()),
        ]);
        if service_type == "ExternalName" {
            target.insert(
                "__meta_kubernetes_service_external_name".into(),
                spec.external_name.clone().unwrap_or_default(),
            );
        } else {
            target.insert(
                "__meta_kubernetes_service_cluster_ip".into(),
                spec.cluster_ip.clone().unwrap_or_default(),
            );
        }
        if service_type == "LoadBalancer" {
            target.insert(
                "__meta_kubernetes_service_loadbalancer_ip".into(),
                load_balancer_ips(service),
            );
        }
        group.targets.push(target);
    }
    group
}

/// The load balancer's ingress IPs joined by `,`, else the requested `spec.loadBalancerIP`.
fn load_balancer_ips(service: &Service) -> String {
    let ips: Vec<&str> = service
        .status
        .as_ref()
        .and_then(|s| s.load_balancer.as_ref())
        .and_then(|lb| lb.ingress.as_deref())
        .unwrap_or(&[])
        .iter()
        .filter_map(|i| i.ip.as_deref().filter(|ip| !ip.is_empty()))
        .collect();
    if ips.is_empty() {
        service
            .spec
            .as_ref()
            .and_then(|s| s.load_balancer_ip.clone())
            .unwrap_or_default()
    } else {
        ips.join(",")
    }
}
