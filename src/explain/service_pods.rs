//! Behind a Service without ready endpoint addresses: the Pods its selector matches (or the
//! workloads that would create them), their readiness, and whether each `targetPort`
//! resolves against their container ports — the way Kubernetes' endpoints controller pairs a
//! Service port with a Pod (`FindPort` in `k8s.io/kubernetes/pkg/api/v1/pod`: a name is
//! looked up among the container ports, a number is used as is).

use std::borrow::Cow;
use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Pod, PodTemplateSpec, Service, ServicePort};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use serde::Serialize;

use super::{ObjectRef, name_of, namespace_of};
use crate::operator::OperatorOptions;
use crate::snapshot::Snapshot;
use crate::workload::objects::shard_workload;
use crate::workload::{Instance, Workload, WorkloadInput, statefulset_shard_names};

/// Pods (or workloads) listed per Service; the rest are counted in the problem text.
const PODS_SHOWN: usize = 10;

/// A Pod a Service's selector matches, or a workload whose Pods it would match.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PodLink {
    /// The `Pod`, or for would-be Pods the workload (`Deployment`, `ReplicaSet`,
    /// `StatefulSet`, `DaemonSet`, `Job`).
    #[serde(flatten)]
    pub object: ObjectRef,
    /// Whether the Pod's `Ready` condition is `True`; absent for would-be Pods.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ready: Option<bool>,
    /// The workload's `spec.replicas` (or `parallelism` for a Job), for would-be Pods; absent
    /// for a DaemonSet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replicas: Option<i32>,
    /// The container ports, `name/number` (`number` alone when unnamed).
    pub container_ports: Vec<String>,
    /// How each referenced Service port's `targetPort` resolves against them.
    pub target_ports: Vec<TargetPortMatch>,
}

/// One Service port's `targetPort` against one Pod.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TargetPortMatch {
    /// The Service port, by name (or number when unnamed).
    pub service_port: String,
    /// Its `targetPort` (the port number when unset).
    pub target_port: String,
    /// `name` or `number`: how the endpoints controller reads it.
    pub by: String,
    /// The container port it resolves to, `container/number`; `None` when a name matches no
    /// container port (the Pod is left out of the Service's endpoints).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolved: Option<String>,
}

fn selector_matches(
    selector: &BTreeMap<String, String>,
    labels: Option<&BTreeMap<String, String>>,
) -> bool {
    let empty = BTreeMap::new();
    let labels = labels.unwrap_or(&empty);
    selector.iter().all(|(k, v)| labels.get(k) == Some(v))
}

/// The ports the endpoints controller resolves a Service's `targetPort` name against: the
/// containers', and the native sidecars' (init containers with `restartPolicy: Always`),
/// as Kubernetes' `FindPort` does.
fn container_ports(
    template: Option<&k8s_openapi::api::core::v1::PodSpec>,
) -> Vec<(String, String, i32)> {
    let sidecars = template
        .iter()
        .flat_map(|s| s.init_containers.iter().flatten())
        .filter(|c| c.restart_policy.as_deref() == Some("Always"));
    template
        .iter()
        .flat_map(|s| &s.containers)
        .chain(sidecars)
        .flat_map(|c| {
            c.ports.iter().flatten().map(move |p| {
                (
                    c.name.clone(),
                    p.name.clone().unwrap_or_default(),
                    p.container_port,
                )
            })
        })
        .collect()
}

fn show_ports(ports: &[(String, String, i32)]) -> Vec<String> {
    ports
        .iter()
        .map(|(_, name, number)| {
            if name.is_empty() {
                number.to_string()
            } else {
                format!("{name}/{number}")
            }
        })
        .collect()
}

fn resolve(ports: &[ServicePort], containers: &[(String, String, i32)]) -> Vec<TargetPortMatch> {
    ports
        .iter()
        .map(|port| {
            let service_port = port
                .name
                .clone()
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| port.port.to_string());
            match port.target_port.as_ref() {
                Some(IntOrString::String(name)) if name.parse::<i32>().is_err() => {
                    TargetPortMatch {
                        service_port,
                        target_port: name.clone(),
                        by: "name".to_owned(),
                        resolved: containers
                            .iter()
                            .find(|(_, n, _)| n == name)
                            .map(|(c, _, number)| format!("{c}/{number}")),
                    }
                }
                other => {
                    let number = match other {
                        Some(IntOrString::Int(n)) => *n,
                        Some(IntOrString::String(text)) => text.parse().unwrap_or(port.port),
                        None => port.port,
                    };
                    let container = containers
                        .iter()
                        .find(|(_, _, n)| *n == number)
                        .map(|(c, _, _)| c.as_str())
                        .unwrap_or("(undeclared)");
                    TargetPortMatch {
                        service_port,
                        target_port: number.to_string(),
                        by: "number".to_owned(),
                        resolved: Some(format!("{container}/{number}")),
                    }
                }
            }
        })
        .collect()
}

/// Whether the Pod's `Ready` condition is `True`.
pub(super) fn pod_ready(pod: &Pod) -> bool {
    pod.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .is_some_and(|c| c.iter().any(|c| c.type_ == "Ready" && c.status == "True"))
}

/// A workload that would create Pods a Service's selector matches.
struct Creator<'s> {
    /// `Deployment`, `ReplicaSet`, `StatefulSet`, `DaemonSet`, `Job`.
    kind: &'static str,
    name: String,
    /// `spec.replicas` (`parallelism` for a Job); `None` for a DaemonSet, one Pod a node.
    replicas: Option<i32>,
    template: Cow<'s, PodTemplateSpec>,
    /// For a workload the operator generates and the input does not hold: its instance.
    generated_for: Option<String>,
}

/// The workloads of `namespace` whose Pod template `selector` matches: those in the input,
/// else the StatefulSets (or agent DaemonSet) the operator generates for the instances there
/// that the input does not hold.
fn would_be<'s>(
    snapshot: &'s Snapshot,
    options: &OperatorOptions,
    namespace: &str,
    selector: &BTreeMap<String, String>,
) -> Vec<Creator<'s>> {
    let given = |kind, meta: &'s ObjectMeta, replicas: Option<i32>, template| Creator {
        kind,
        name: name_of(meta).to_owned(),
        replicas,
        template: Cow::Borrowed(template),
        generated_for: None,
    };
    let in_namespace = |meta: &ObjectMeta| namespace_of(meta) == namespace;
    let mut creators: Vec<Creator<'s>> = Vec::new();
    for d in snapshot
        .deployments
        .iter()
        .filter(|d| in_namespace(&d.metadata))
    {
        if let Some(spec) = &d.spec {
            let replicas = Some(spec.replicas.unwrap_or(1));
            creators.push(given("Deployment", &d.metadata, replicas, &spec.template));
        }
    }
    // A Deployment's ReplicaSets are explained by the Deployment.
    for r in snapshot.replica_sets.iter().filter(|r| {
        in_namespace(&r.metadata)
            && !r
                .metadata
                .owner_references
                .iter()
                .flatten()
                .any(|o| o.kind == "Deployment")
    }) {
        if let Some((spec, template)) = r
            .spec
            .as_ref()
            .and_then(|s| Some((s, s.template.as_ref()?)))
        {
            let replicas = Some(spec.replicas.unwrap_or(1));
            creators.push(given("ReplicaSet", &r.metadata, replicas, template));
        }
    }
    for s in snapshot
        .stateful_sets
        .iter()
        .filter(|s| in_namespace(&s.metadata))
    {
        if let Some(spec) = &s.spec {
            let replicas = Some(spec.replicas.unwrap_or(1));
            creators.push(given("StatefulSet", &s.metadata, replicas, &spec.template));
        }
    }
    for d in snapshot
        .daemon_sets
        .iter()
        .filter(|d| in_namespace(&d.metadata))
    {
        if let Some(spec) = &d.spec {
            creators.push(given("DaemonSet", &d.metadata, None, &spec.template));
        }
    }
    for j in snapshot.jobs.iter().filter(|j| in_namespace(&j.metadata)) {
        if let Some(spec) = &j.spec {
            let replicas = Some(spec.parallelism.unwrap_or(1));
            creators.push(given("Job", &j.metadata, replicas, &spec.template));
        }
    }
    let matches = |c: &Creator<'_>| {
        selector_matches(
            selector,
            c.template.metadata.as_ref().and_then(|m| m.labels.as_ref()),
        )
    };
    let given: Vec<(&str, String)> = creators.iter().map(|c| (c.kind, c.name.clone())).collect();
    creators.retain(matches);
    if creators.is_empty() {
        creators = generated(snapshot, options, namespace, &given)
            .into_iter()
            .filter(matches)
            .collect();
    }
    creators
}

/// The workloads the operator generates for each instance in `namespace` it reconciles, shard
/// by shard, leaving out those whose kind and name the input holds (`given`).
fn generated<'s>(
    snapshot: &'s Snapshot,
    options: &OperatorOptions,
    namespace: &str,
    given: &[(&str, String)],
) -> Vec<Creator<'s>> {
    let instances = snapshot
        .prometheuses
        .iter()
        .map(Instance::Prometheus)
        .chain(snapshot.prometheus_agents.iter().map(Instance::Agent))
        .chain(snapshot.alertmanagers.iter().map(Instance::Alertmanager));
    let mut out = Vec::new();
    for instance in instances {
        let meta = instance.metadata();
        if namespace_of(meta) != namespace
            || options.ignores_instance(instance.kind(), meta).is_some()
        {
            continue;
        }
        // One StatefulSet a shard (one object for an agent's DaemonSet or an Alertmanager).
        let shards = statefulset_shard_names(instance).len().max(1);
        for shard in 0..shards {
            let input = WorkloadInput {
                shard: i32::try_from(shard).unwrap_or(i32::MAX),
                ..WorkloadInput::default()
            };
            let Ok(workload) = shard_workload(instance, options, &input) else {
                break;
            };
            let workload = workload.object;
            if given
                .iter()
                .any(|(kind, name)| *kind == workload.kind() && name == workload.name())
            {
                continue;
            }
            let replicas = match &workload {
                Workload::StatefulSet(s) => s.spec.as_ref().and_then(|spec| spec.replicas),
                Workload::DaemonSet(_) => None,
            };
            let Some(template) = workload.pod_template().cloned() else {
                continue;
            };
            out.push(Creator {
                kind: workload.kind(),
                name: workload.name().to_owned(),
                replicas,
                template: Cow::Owned(template),
                generated_for: Some(format!("{} {namespace}/{}", instance.kind(), name_of(meta))),
            });
        }
    }
    out
}

/// The Pods behind `service` and what keeps them out of its endpoints, for the Service
/// `ports` the monitor refers to. Only for Services with a selector.
pub(super) fn explain(
    snapshot: &Snapshot,
    options: &OperatorOptions,
    service: &Service,
    ports: &[ServicePort],
    problems: &mut Vec<String>,
) -> Vec<PodLink> {
    let Some(selector) = service
        .spec
        .as_ref()
        .and_then(|s| s.selector.as_ref())
        .filter(|s| !s.is_empty())
    else {
        return Vec::new();
    };
    let namespace = namespace_of(&service.metadata);
    let service_name = format!("{namespace}/{}", name_of(&service.metadata));
    let selector_text: Vec<String> = selector.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let selector_text = selector_text.join(",");
    let pods: Vec<&Pod> = snapshot
        .pods
        .iter()
        .filter(|p| {
            namespace_of(&p.metadata) == namespace
                && selector_matches(selector, p.metadata.labels.as_ref())
        })
        .collect();
    let mut links = Vec::new();
    if pods.is_empty() {
        let workloads = would_be(snapshot, options, namespace, selector);
        if workloads.is_empty() {
            problems.push(format!(
                "Service {service_name} has no endpoint addresses: no Pod in namespace \
                 {namespace} matches its selector {selector_text}, and no workload in the \
                 input, nor one the operator generates, would create one"
            ));
        }
        for creator in workloads.into_iter().take(PODS_SHOWN) {
            let Creator {
                kind,
                name,
                replicas,
                template,
                generated_for,
            } = creator;
            let containers = container_ports(template.spec.as_ref());
            let target_ports = resolve(ports, &containers);
            let scaled = match replicas {
                Some(0) => " — it is scaled to 0".to_owned(),
                Some(n) => format!(" (replicas: {n}), none of them in the input"),
                None => " (one per node), none of them in the input".to_owned(),
            };
            let generated = generated_for
                .map(|instance| format!(", which the operator generates for {instance},"))
                .unwrap_or_default();
            problems.push(format!(
                "Service {service_name} has no endpoint addresses: no Pod matches its selector \
                 {selector_text}; {kind} {namespace}/{name}{generated} would create matching \
                 Pods{scaled}"
            ));
            unresolved(
                &target_ports,
                &format!("the Pods of {kind} {namespace}/{name}"),
                &containers,
                problems,
            );
            links.push(PodLink {
                object: ObjectRef::new(kind, namespace, &name),
                ready: None,
                replicas,
                container_ports: show_ports(&containers),
                target_ports,
            });
        }
        return links;
    }
    let mut resolving_ready = 0;
    for pod in &pods {
        let pod_name = format!("{namespace}/{}", name_of(&pod.metadata));
        let containers = container_ports(pod.spec.as_ref());
        let target_ports = resolve(ports, &containers);
        let ready = pod_ready(pod);
        let resolves = target_ports.iter().all(|t| t.resolved.is_some());
        let phase = pod
            .status
            .as_ref()
            .and_then(|s| s.phase.as_deref())
            .unwrap_or("unknown");
        let ended = matches!(phase, "Succeeded" | "Failed");
        if !ended {
            unresolved(
                &target_ports,
                &format!("pod {pod_name}"),
                &containers,
                problems,
            );
        }
        if !ready {
            problems.push(if ended {
                // The endpoints controller leaves terminal Pods out altogether.
                format!(
                    "Pod {pod_name} matches Service {service_name} but has ended (phase \
                     {phase}): the endpoints controller publishes no address for it"
                )
            } else {
                format!(
                    "Pod {pod_name} matches Service {service_name} but is not ready (phase \
                     {phase}): its address is published as not ready until its readiness probe \
                     passes"
                )
            });
        } else if resolves {
            resolving_ready += 1;
        }
        if links.len() < PODS_SHOWN {
            links.push(PodLink {
                object: ObjectRef::new("Pod", namespace, name_of(&pod.metadata)),
                ready: Some(ready),
                replicas: None,
                container_ports: show_ports(&containers),
                target_ports,
            });
        }
    }
    if resolving_ready > 0 {
        problems.push(format!(
            "{resolving_ready} ready Pod(s) match Service {service_name} and its targetPort \
             resolves, but the input holds no Endpoints or EndpointSlice for it (add \
             `kubectl get endpoints,endpointslices` to the dump)"
        ));
    }
    links
}

fn unresolved(
    target_ports: &[TargetPortMatch],
    whose: &str,
    containers: &[(String, String, i32)],
    problems: &mut Vec<String>,
) {
    for t in target_ports.iter().filter(|t| t.resolved.is_none()) {
        let ports = show_ports(containers);
        let ports = if ports.is_empty() {
            "none declared".to_owned()
        } else {
            ports.join(", ")
        };
        problems.push(format!(
            "targetPort {:?} names no port of the containers of {whose} (ports: {ports}): \
             the endpoints controller leaves it out of the Service; name a container port \
             {:?} or set targetPort to the port number",
            t.target_port, t.target_port
        ));
    }
}
