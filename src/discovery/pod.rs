//! The `pod` role, and the Pod labels the endpoints roles share.

use k8s_openapi::api::core::v1::{Container, ContainerStatus, Pod};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference};

use super::{
    ADDRESS_LABEL, Labels, NAMESPACE_LABEL, Role, Scope, TargetGroup, add_object_meta_labels,
    join_host_port, labels, namespace_of, namespaced_source,
};

pub(super) const CONTAINER_NAME: &str = "__meta_kubernetes_pod_container_name";
pub(super) const CONTAINER_IMAGE: &str = "__meta_kubernetes_pod_container_image";
pub(super) const CONTAINER_PORT_NAME: &str = "__meta_kubernetes_pod_container_port_name";
pub(super) const CONTAINER_PORT_NUMBER: &str = "__meta_kubernetes_pod_container_port_number";
pub(super) const CONTAINER_PORT_PROTOCOL: &str = "__meta_kubernetes_pod_container_port_protocol";
pub(super) const CONTAINER_INIT: &str = "__meta_kubernetes_pod_container_init";
const CONTAINER_ID: &str = "__meta_kubernetes_pod_container_id";

/// Targets for every Pod the config lists.
pub(super) fn discover(scope: &Scope) -> Vec<TargetGroup> {
    scope.groups(Role::Pod, &scope.snapshot.pods, build)
}

fn build(scope: &Scope, pod: &Pod) -> TargetGroup {
    let mut group = TargetGroup {
        source: namespaced_source("pod", &pod.metadata),
        ..TargetGroup::default()
    };
    let ip = pod_ip(pod);
    if ip.is_empty() {
        return group;
    }
    let node_name = pod.spec.as_ref().and_then(|s| s.node_name.as_deref());
    // With node metadata attached, the node selector also filters pods: a pod whose node is
    // not listed has nothing to scrape.
    if scope.attach.node && scope.node(node_name.unwrap_or("")).is_none() {
        return group;
    }

    group.labels = pod_labels(scope, pod);
    group.labels.insert(
        NAMESPACE_LABEL.to_owned(),
        namespace_of(&pod.metadata).to_owned(),
    );
    if scope.attach.node {
        scope.add_node_labels(&mut group.labels, Some(node_name.unwrap_or("")));
    }
    scope.add_namespace_labels(&mut group.labels, namespace_of(&pod.metadata));

    let status = pod.status.as_ref();
    for (container, is_init) in containers(pod) {
        let statuses = status.and_then(|s| {
            if is_init {
                s.init_container_statuses.as_ref()
            } else {
                s.container_statuses.as_ref()
            }
        });
        let id = container_id(statuses.map(Vec::as_slice).unwrap_or(&[]), &container.name);
        let ports = container.ports.as_deref().unwrap_or(&[]);
        if ports.is_empty() {
            group.targets.push(labels([
                (ADDRESS_LABEL, ip.to_owned()),
                (CONTAINER_NAME, container.name.clone()),
                (CONTAINER_ID, id.clone()),
                (CONTAINER_IMAGE, container.image.clone().unwrap_or_default()),
                (CONTAINER_INIT, is_init.to_string()),
            ]));
            continue;
        }
        for port in ports {
            let mut target = container_port_labels(ip, container, port, is_init);
            target.insert(CONTAINER_ID.to_owned(), id.clone());
            group.targets.push(target);
        }
    }
    group
}

/// The IP of a Pod, empty while it has none.
pub(super) fn pod_ip(pod: &Pod) -> &str {
    pod.status
        .as_ref()
        .and_then(|s| s.pod_ip.as_deref())
        .unwrap_or("")
}

/// Regular containers, then init containers, each with whether it is an init container.
pub(super) fn containers(pod: &Pod) -> impl Iterator<Item = (&Container, bool)> {
    let spec = pod.spec.as_ref();
    let regular = spec.map(|s| s.containers.as_slice()).unwrap_or(&[]);
    let init = spec
        .and_then(|s| s.init_containers.as_deref())
        .unwrap_or(&[]);
    regular
        .iter()
        .map(|c| (c, false))
        .chain(init.iter().map(|c| (c, true)))
}

/// The target for one declared container port, on the Pod IP.
pub(super) fn container_port_labels(
    ip: &str,
    container: &Container,
    port: &k8s_openapi::api::core::v1::ContainerPort,
    is_init: bool,
) -> Labels {
    let number = port.container_port.to_string();
    labels([
        (ADDRESS_LABEL, join_host_port(ip, &number)),
        (CONTAINER_NAME, container.name.clone()),
        (CONTAINER_IMAGE, container.image.clone().unwrap_or_default()),
        (CONTAINER_PORT_NAME, port.name.clone().unwrap_or_default()),
        (CONTAINER_PORT_NUMBER, number),
        (
            CONTAINER_PORT_PROTOCOL,
            port.protocol.clone().unwrap_or_default(),
        ),
        (CONTAINER_INIT, is_init.to_string()),
    ])
}

fn container_id(statuses: &[ContainerStatus], name: &str) -> String {
    statuses
        .iter()
        .find(|s| s.name == name)
        .and_then(|s| s.container_id.clone())
        .unwrap_or_default()
}

/// The owner reference marked as controller.
fn controller_of(meta: &ObjectMeta) -> Option<&OwnerReference> {
    meta.owner_references
        .as_deref()
        .unwrap_or(&[])
        .iter()
        .find(|r| r.controller == Some(true))
}

/// The labels describing a Pod itself: IPs, readiness, phase, node, controller, and the
/// Deployment/Job/CronJob names when that metadata is attached.
pub(super) fn pod_labels(scope: &Scope, pod: &Pod) -> Labels {
    let status = pod.status.as_ref();
    let text = |value: Option<&String>| value.cloned().unwrap_or_default();
    let mut out = labels([
        ("__meta_kubernetes_pod_ip", pod_ip(pod).to_owned()),
        ("__meta_kubernetes_pod_ready", ready(pod)),
        (
            "__meta_kubernetes_pod_phase",
            text(status.and_then(|s| s.phase.as_ref())),
        ),
        (
            "__meta_kubernetes_pod_node_name",
            text(pod.spec.as_ref().and_then(|s| s.node_name.as_ref())),
        ),
        (
            "__meta_kubernetes_pod_host_ip",
            text(status.and_then(|s| s.host_ip.as_ref())),
        ),
        ("__meta_kubernetes_pod_uid", text(pod.metadata.uid.as_ref())),
    ]);
    add_object_meta_labels(&mut out, &pod.metadata, Role::Pod.as_str());

    let Some(controller) = controller_of(&pod.metadata) else {
        return out;
    };
    if !controller.kind.is_empty() {
        out.insert(
            "__meta_kubernetes_pod_controller_kind".into(),
            controller.kind.clone(),
        );
    }
    if !controller.name.is_empty() {
        out.insert(
            "__meta_kubernetes_pod_controller_name".into(),
            controller.name.clone(),
        );
    }
    let namespace = namespace_of(&pod.metadata);
    match controller.kind.as_str() {
        "ReplicaSet" if scope.attach.deployment => {
            let deployment = scope
                .replica_set(namespace, &controller.name)
                .and_then(|rs| controller_of(&rs.metadata))
                .filter(|owner| owner.kind == "Deployment");
            if let Some(deployment) = deployment {
                out.insert(
                    "__meta_kubernetes_pod_deployment_name".into(),
                    deployment.name.clone(),
                );
            }
        }
        "Job" => {
            if scope.attach.job {
                out.insert(
                    "__meta_kubernetes_pod_job_name".into(),
                    controller.name.clone(),
                );
            }
            if scope.attach.cronjob {
                let cron_job = scope
                    .job(namespace, &controller.name)
                    .and_then(|job| controller_of(&job.metadata))
                    .filter(|owner| owner.kind == "CronJob");
                if let Some(cron_job) = cron_job {
                    out.insert(
                        "__meta_kubernetes_pod_cronjob_name".into(),
                        cron_job.name.clone(),
                    );
                }
            }
        }
        _ => {}
    }
    out
}

/// The lowercased status of the Ready condition, `unknown` without one.
fn ready(pod: &Pod) -> String {
    pod.status
        .as_ref()
        .and_then(|s| s.conditions.as_deref())
        .unwrap_or(&[])
        .iter()
        .find(|c| c.type_ == "Ready")
        .map(|c| c.status.to_lowercase())
        .unwrap_or_else(|| "unknown".into())
}
