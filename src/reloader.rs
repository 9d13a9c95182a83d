//! What the config-reloader does to the configuration before Prometheus reads it: it expands
//! `$(NAME)` with its environment, which the operator sets per pod (`POD_NAME`, `SHARD`; under
//! topology sharding `TOPOLOGY_ZONE` and `INZONE_SHARD`; `NODE_NAME` in DaemonSet mode).
//!
//! The environment of a pod is read from the config-reloader container of the workload the
//! generator makes for the pod's shard, so it cannot disagree with `render statefulset`; its
//! `fieldRef`s are resolved against the pod the workload's controller makes of the template.
//! A live pod's environment is resolved the same way against the pod itself.

use std::collections::BTreeMap;
use std::fmt;

use k8s_openapi::api::core::v1::{EnvVar, EnvVarSource};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde_json::Value;

use crate::instance::InstanceKind;
use crate::monitoring::v1::{Alertmanager, Prometheus};
use crate::monitoring::v1alpha1::PrometheusAgent;
use crate::operator::{OperatorOptions, Overrides};
use crate::snapshot::Snapshot;
use crate::workload::objects::{find_instance, shard_workload};
use crate::workload::{
    CONFIG_RELOADER_CONTAINER, Instance, Workload, WorkloadError, WorkloadInput,
};

/// The pod whose reloader environment to use.
#[derive(Clone, Debug, Default)]
pub struct Pod {
    /// Replica number.
    pub replica: u32,
    /// Shard number.
    pub shard: u32,
    /// The node the pod runs on (`spec.nodeName`, which agents in DaemonSet mode read).
    pub node: Option<String>,
    /// A `TOPOLOGY_ZONE` to use instead of the one the operator gives the shard.
    pub zone: Option<String>,
}

/// Why a variable the pod sets has no value here.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unresolved {
    /// It holds a field of the pod (path given) that is not known before the pod exists: the
    /// name of a DaemonSet's pod, the node it is scheduled to, its IP.
    PodField(String),
    /// It holds a key of a Secret or ConfigMap, or a resource of the container: not read.
    Reference(String),
    /// The operator sets it from the instance's spec, which could not be read.
    InstanceUnread,
}

impl fmt::Display for Unresolved {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unresolved::PodField(path) => {
                write!(f, "it holds the pod's {path}, which is not known here")
            }
            Unresolved::Reference(what) => write!(f, "it holds {what}, which is not read here"),
            Unresolved::InstanceUnread => write!(
                f,
                "the operator sets it from the instance's spec, which could not be read"
            ),
        }
    }
}

/// Variables given the values of an instance with a default spec, the instance's own being
/// unknown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Guess {
    /// Why the instance's own values are unknown.
    pub why: String,
    /// The variables guessed.
    pub variables: Vec<String>,
}

/// What the config-reloader of one pod expands `$(NAME)` with.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Environment {
    /// The variables and their values.
    pub variables: BTreeMap<String, String>,
    /// The variables the pod sets whose value is not known here, and why.
    pub unresolved: BTreeMap<String, Unresolved>,
    /// Set when the values are those of an instance with a default spec.
    pub guess: Option<Guess>,
    /// Assumptions the values rest on (feature gates of an operator whose flags are unknown).
    pub notes: Vec<String>,
}

/// A configuration with the variables expanded, and what its reader should know.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expansion {
    /// The text.
    pub text: String,
    /// Variables left as they are and why, guessed values, assumptions.
    pub warnings: Vec<String>,
}

impl Environment {
    /// Replaces `$(NAME)` in `text` as the config-reloader does. Names it does not set are
    /// left as they are.
    pub fn expand(&self, text: &str) -> Expansion {
        let mut out = String::with_capacity(text.len());
        let mut substituted: Vec<&str> = Vec::new();
        let mut unset: Vec<&str> = Vec::new();
        let mut rest = text;
        while let Some(start) = rest.find("$(") {
            let (before, from) = rest.split_at(start);
            out.push_str(before);
            let inner = from.get(2..).unwrap_or("");
            let name_len = inner
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(inner.len());
            let name = inner.get(..name_len).unwrap_or("");
            if name_len > 0 && inner.get(name_len..name_len + 1) == Some(")") {
                match self.variables.get(name) {
                    Some(value) => {
                        out.push_str(value);
                        if !substituted.contains(&name) {
                            substituted.push(name);
                        }
                    }
                    None => {
                        if !unset.contains(&name) {
                            unset.push(name);
                        }
                        out.push_str(from.get(..name_len + 3).unwrap_or(""));
                    }
                }
                rest = inner.get(name_len + 1..).unwrap_or("");
            } else {
                out.push_str("$(");
                rest = inner;
            }
        }
        out.push_str(rest);
        Expansion {
            text: out,
            warnings: self.warnings(&substituted, &unset),
        }
    }

    fn warnings(&self, substituted: &[&str], unset: &[&str]) -> Vec<String> {
        let mut warnings = self.notes.clone();
        if let Some(guess) = &self.guess {
            let guessed: Vec<String> = substituted
                .iter()
                .filter(|name| guess.variables.iter().any(|v| v == *name))
                .map(|name| format!("$({name})"))
                .collect();
            if !guessed.is_empty() {
                warnings.push(format!(
                    "{}: {} given as for an instance with a default spec",
                    guess.why,
                    guessed.join(", ")
                ));
            }
        }
        for name in unset {
            warnings.push(match self.unresolved.get(*name) {
                Some(why) => format!("$({name}) is left as is: {why}"),
                None => format!("$({name}) is not set by the config-reloader here; left as is"),
            });
        }
        warnings
    }
}

/// The environment of the config-reloader of `pod` of `instance`: the env of the
/// `config-reloader` container of the workload the operator generates for the pod's shard.
///
/// # Errors
/// When the operator refuses to generate that workload.
pub fn environment(
    instance: Instance<'_>,
    options: &OperatorOptions,
    pod: &Pod,
) -> Result<Environment, WorkloadError> {
    let input = WorkloadInput {
        shard: i32::try_from(pod.shard).unwrap_or(i32::MAX),
        ..WorkloadInput::default()
    };
    let workload = shard_workload(instance, options, &input)?.object;
    let template = workload.pod_template();
    let spec = template.and_then(|t| t.spec.as_ref());
    let mut metadata = template
        .and_then(|t| t.metadata.clone())
        .unwrap_or_default();
    // A StatefulSet names its pods `<name>-<ordinal>`; a DaemonSet's get a random suffix.
    metadata.name = match &workload {
        Workload::StatefulSet(_) => Some(format!("{}-{}", workload.name(), pod.replica)),
        Workload::DaemonSet(_) => None,
    };
    metadata.namespace = workload.metadata().namespace.clone();
    // The fields of the pod a `fieldRef` of an environment variable may read; serializing
    // the whole pod would cost more than generating it.
    let pod_fields = serde_json::json!({
        "metadata": metadata,
        "spec": {
            "nodeName": pod.node,
            "serviceAccountName": spec.and_then(|s| s.service_account_name.as_deref()),
        },
    });
    let env = spec
        .and_then(|s| {
            s.containers
                .iter()
                .find(|c| c.name == CONFIG_RELOADER_CONTAINER)
        })
        .and_then(|c| c.env.as_deref())
        .unwrap_or_default();
    let mut environment = container_environment(env, &pod_fields);
    if let Some(zone) = &pod.zone {
        environment.unresolved.remove("TOPOLOGY_ZONE");
        environment
            .variables
            .insert("TOPOLOGY_ZONE".to_owned(), zone.clone());
    }
    Ok(environment)
}

/// The environment of `pod` of the instance `kind` `namespace/name` in `snapshot`, with the
/// options of the operator whose Deployment `snapshot` holds. Without that Deployment the
/// operator's defaults are assumed (and said so where they matter), except that an agent in
/// DaemonSet mode shows the gate of that mode is on. Without the instance, or when the
/// operator refuses its workload, the environment is guessed ([`guessed_environment`]).
pub fn environment_in(
    snapshot: &Snapshot,
    kind: InstanceKind,
    namespace: &str,
    name: &str,
    pod: &Pod,
) -> Environment {
    let guess = |why: String| guessed_environment(kind, namespace, name, pod, why);
    let instance = match find_instance(snapshot, kind, Some(namespace), name) {
        Ok(instance) => instance,
        Err(e) => return guess(e.to_string()),
    };
    let mut options = match OperatorOptions::resolve(snapshot, &Overrides::default()) {
        Ok(options) => options,
        Err(e) => return guess(format!("the operator's flags cannot be read ({e})")),
    };
    let known_options = options.source.is_some();
    let mut notes = pod_outside(instance, pod);
    let mut generated = environment(instance, &options, pod);
    if !known_options && matches!(generated, Err(WorkloadError::DaemonSetGate)) {
        options.daemon_set = true;
        notes.push(
            "the operator's flags are unknown: feature gate PrometheusAgentDaemonSet taken as \
             enabled, the agent being in DaemonSet mode"
                .to_owned(),
        );
        generated = environment(instance, &options, pod);
    }
    match generated {
        Ok(mut environment) => {
            // Only topology sharding sets INZONE_SHARD (TOPOLOGY_ZONE may be the user's).
            if !known_options && environment.variables.contains_key("INZONE_SHARD") {
                notes.push(
                    "the operator's flags are unknown: feature gate PrometheusTopologySharding \
                     taken as enabled (its default)"
                        .to_owned(),
                );
            }
            environment.notes = notes;
            environment
        }
        Err(e) => guess(format!(
            "{} {namespace}/{name}: the operator would not generate its workload ({e})",
            kind.resource().kind
        )),
    }
}

/// What says that `pod` is not one the instance has (a shard or replica beyond its spec).
fn pod_outside(instance: Instance<'_>, pod: &Pod) -> Vec<String> {
    let (shards, replicas) = match instance {
        Instance::Prometheus(p) => (
            p.spec.common_fields().shard_count(),
            p.spec.common_fields().replicas,
        ),
        Instance::Agent(a) if a.spec.daemon_set_mode() => return Vec::new(),
        Instance::Agent(a) => (
            a.spec.common_fields().shard_count(),
            a.spec.common_fields().replicas,
        ),
        Instance::Alertmanager(am) => (1, am.spec.replicas),
    };
    let replicas = replicas.unwrap_or(1);
    let mut notes = Vec::new();
    if i64::from(pod.shard) >= i64::from(shards) {
        notes.push(format!(
            "the instance has {shards} shard(s): shard {} is computed as if it had more",
            pod.shard
        ));
    }
    if i64::from(pod.replica) >= i64::from(replicas) {
        notes.push(format!(
            "the instance has {replicas} replica(s): replica {} is computed as if it had more",
            pod.replica
        ));
    }
    notes
}

/// The environment of `pod` of the instance `kind` `namespace/name` when the instance cannot
/// be read (`why`): that of an instance with the same name and a default spec, every variable
/// marked guessed; the variables of topology sharding, which only the spec can set, are
/// unresolved unless `pod` names a zone.
pub fn guessed_environment(
    kind: InstanceKind,
    namespace: &str,
    name: &str,
    pod: &Pod,
    why: String,
) -> Environment {
    let metadata = ObjectMeta {
        name: Some(name.to_owned()),
        namespace: Some(namespace.to_owned()),
        ..ObjectMeta::default()
    };
    let prometheus;
    let agent;
    let alertmanager;
    let instance = match kind {
        InstanceKind::Prometheus => {
            prometheus = Prometheus {
                metadata,
                ..Prometheus::default()
            };
            Instance::Prometheus(&prometheus)
        }
        InstanceKind::PrometheusAgent => {
            agent = PrometheusAgent {
                metadata,
                ..PrometheusAgent::default()
            };
            Instance::Agent(&agent)
        }
        InstanceKind::Alertmanager => {
            alertmanager = Alertmanager {
                metadata,
                ..Alertmanager::default()
            };
            Instance::Alertmanager(&alertmanager)
        }
    };
    // A default spec is one the operator always generates a workload for.
    let mut environment =
        environment(instance, &OperatorOptions::default(), pod).unwrap_or_default();
    // A default spec has no topology: a zone is the user's, not a guess.
    let guessed = environment
        .variables
        .keys()
        .filter(|v| *v != "TOPOLOGY_ZONE")
        .cloned()
        .collect();
    for variable in ["TOPOLOGY_ZONE", "INZONE_SHARD"] {
        if !environment.variables.contains_key(variable) {
            environment
                .unresolved
                .insert(variable.to_owned(), Unresolved::InstanceUnread);
        }
    }
    // A node given means a DaemonSet pod, whose reloader reads it.
    if let Some(node) = &pod.node {
        environment
            .variables
            .entry("NODE_NAME".to_owned())
            .or_insert_with(|| node.clone());
    }
    environment.guess = Some(Guess {
        why,
        variables: guessed,
    });
    environment
}

/// The environment `env` gives a container of `pod` (the pod as Kubernetes JSON): `fieldRef`s
/// read the pod's fields; a field the pod lacks, a Secret, a ConfigMap or a resource of the
/// container leaves its variable unresolved. A later variable of the same name wins, as in
/// the kubelet.
pub fn container_environment(env: &[EnvVar], pod: &Value) -> Environment {
    let mut environment = Environment::default();
    for variable in env {
        let value = match &variable.value_from {
            Some(source) => source_value(source, pod),
            None => Ok(variable.value.clone().unwrap_or_default()),
        };
        let name = variable.name.clone();
        match value {
            Ok(value) => {
                environment.unresolved.remove(&name);
                environment.variables.insert(name, value);
            }
            Err(why) => {
                environment.variables.remove(&name);
                environment.unresolved.insert(name, why);
            }
        }
    }
    environment
}

fn source_value(source: &EnvVarSource, pod: &Value) -> Result<String, Unresolved> {
    if let Some(field) = &source.field_ref {
        return pod_field(pod, &field.field_path)
            .map(str::to_owned)
            .ok_or_else(|| Unresolved::PodField(field.field_path.clone()));
    }
    // Only names are kept: a Secret's value must never reach the output.
    Err(Unresolved::Reference(
        if let Some(secret) = &source.secret_key_ref {
            format!("key {} of Secret {}", secret.key, secret.name)
        } else if let Some(config_map) = &source.config_map_key_ref {
            format!("key {} of ConfigMap {}", config_map.key, config_map.name)
        } else if let Some(resource) = &source.resource_field_ref {
            format!("the container's {}", resource.resource)
        } else {
            "a source this Kubernetes version does not know".to_owned()
        },
    ))
}

/// The string at a `fieldRef` path of `pod`: dotted (`metadata.name`, `spec.nodeName`), or
/// a key of the labels or annotations (`metadata.labels['app']`).
fn pod_field<'a>(pod: &'a Value, path: &str) -> Option<&'a str> {
    let (path, key) = match path.split_once("['") {
        Some((map, rest)) => (map, Some(rest.strip_suffix("']")?)),
        None => (path, None),
    };
    let value = path
        .split('.')
        .try_fold(pod, |value, part| value.get(part))?;
    match key {
        Some(key) => value.get(key)?.as_str(),
        None => value.as_str(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workload::instance_with_spec;

    fn env(pairs: &[(&str, &str)]) -> Environment {
        Environment {
            variables: pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            ..Environment::default()
        }
    }

    fn prometheus(spec: serde_json::Value) -> Prometheus {
        instance_with_spec("mon", "k8s", spec)
    }

    fn pod(shard: u32, replica: u32) -> Pod {
        Pod {
            shard,
            replica,
            ..Pod::default()
        }
    }

    #[test]
    fn expands_known_variables_and_keeps_unknown_ones() {
        let vars = env(&[("POD_NAME", "prometheus-k8s-1"), ("SHARD", "2")]);
        let expansion =
            vars.expand("replica: $(POD_NAME)\nshard: $(SHARD)\nother: $(NOPE) $( x $(\n");
        assert_eq!(
            expansion.text,
            "replica: prometheus-k8s-1\nshard: 2\nother: $(NOPE) $( x $(\n"
        );
        assert_eq!(
            expansion.warnings,
            ["$(NOPE) is not set by the config-reloader here; left as is"]
        );
    }

    #[test]
    fn topology_sharding_sets_the_zone_and_the_shard_within_it() {
        let topology = prometheus(serde_json::json!({
            "shards": 4,
            "shardingStrategy": {"mode": "Topology", "topology": {"values": ["a", "b"]}}
        }));
        let options = OperatorOptions::default();
        let third = environment(Instance::Prometheus(&topology), &options, &pod(3, 1)).unwrap();
        assert_eq!(third.variables["POD_NAME"], "prometheus-k8s-shard-3-1");
        assert_eq!(third.variables["SHARD"], "3");
        assert_eq!(third.variables["INZONE_SHARD"], "1");
        assert_eq!(third.variables["TOPOLOGY_ZONE"], "b");
        let second = environment(Instance::Prometheus(&topology), &options, &pod(2, 0)).unwrap();
        assert_eq!(second.variables["INZONE_SHARD"], "1");
        assert_eq!(second.variables["TOPOLOGY_ZONE"], "a");

        // Without the feature gate, or without the mode, neither variable is set.
        let gate_off = OperatorOptions {
            topology_sharding: false,
            ..OperatorOptions::default()
        };
        let off = environment(Instance::Prometheus(&topology), &gate_off, &pod(3, 0)).unwrap();
        let plain = prometheus(serde_json::json!({"shards": 4}));
        let address = environment(Instance::Prometheus(&plain), &options, &pod(3, 0)).unwrap();
        for computed in [off, address] {
            assert_eq!(computed.variables["SHARD"], "3");
            assert!(!computed.variables.contains_key("INZONE_SHARD"));
            assert!(!computed.variables.contains_key("TOPOLOGY_ZONE"));
        }
    }

    #[test]
    fn the_environment_is_that_of_the_generated_container() {
        // A variable the user adds to the config-reloader container is the reloader's too.
        let patched = prometheus(serde_json::json!({"containers": [{
            "name": "config-reloader",
            "env": [
                {"name": "CLUSTER", "value": "eu-1"},
                {"name": "NS", "valueFrom": {"fieldRef": {"fieldPath": "metadata.namespace"}}},
                {"name": "APP", "valueFrom": {"fieldRef":
                    {"fieldPath": "metadata.labels['app.kubernetes.io/name']"}}},
                {"name": "IP", "valueFrom": {"fieldRef": {"fieldPath": "status.podIP"}}},
                {"name": "TOKEN", "valueFrom": {"secretKeyRef": {"name": "s", "key": "t"}}}
            ]
        }]}));
        let computed = environment(
            Instance::Prometheus(&patched),
            &OperatorOptions::default(),
            &Pod::default(),
        )
        .unwrap();
        assert_eq!(computed.variables["POD_NAME"], "prometheus-k8s-0");
        assert_eq!(computed.variables["SHARD"], "0");
        assert_eq!(computed.variables["CLUSTER"], "eu-1");
        assert_eq!(computed.variables["NS"], "mon");
        assert_eq!(computed.variables["APP"], "prometheus");
        assert_eq!(
            computed.unresolved["IP"],
            Unresolved::PodField("status.podIP".into())
        );
        assert_eq!(
            computed.unresolved["TOKEN"].to_string(),
            "it holds key t of Secret s, which is not read here"
        );
    }

    #[test]
    fn daemon_set_agents_read_their_node_and_cannot_know_their_name() {
        let agent: PrometheusAgent =
            instance_with_spec("mon", "a", serde_json::json!({"mode": "DaemonSet"}));
        let options = OperatorOptions {
            daemon_set: true,
            ..OperatorOptions::default()
        };
        let on_node = Pod {
            node: Some("n1".into()),
            ..Pod::default()
        };
        let computed = environment(Instance::Agent(&agent), &options, &on_node).unwrap();
        assert_eq!(computed.variables["NODE_NAME"], "n1");
        assert_eq!(computed.variables["SHARD"], "0");
        assert_eq!(
            computed.unresolved["POD_NAME"],
            Unresolved::PodField("metadata.name".into())
        );
        let expansion = computed.expand("$(POD_NAME)@$(NODE_NAME)");
        assert_eq!(expansion.text, "$(POD_NAME)@n1");
        assert_eq!(
            expansion.warnings,
            [
                "$(POD_NAME) is left as is: it holds the pod's metadata.name, which is not known here"
            ]
        );

        // A StatefulSet agent names its pods as a Prometheus does and has no NODE_NAME.
        let stateful: PrometheusAgent = instance_with_spec("mon", "a", serde_json::json!({}));
        let computed = environment(Instance::Agent(&stateful), &options, &on_node).unwrap();
        assert_eq!(computed.variables["POD_NAME"], "prom-agent-a-0");
        assert!(!computed.variables.contains_key("NODE_NAME"));
    }

    #[test]
    fn alertmanagers_are_not_sharded() {
        let am: Alertmanager = instance_with_spec("mon", "main", serde_json::json!({}));
        let computed = environment(
            Instance::Alertmanager(&am),
            &OperatorOptions::default(),
            &pod(2, 1),
        )
        .unwrap();
        assert_eq!(computed.variables["POD_NAME"], "alertmanager-main-1");
        assert_eq!(computed.variables["SHARD"], "-1");
    }

    #[test]
    fn a_snapshot_without_the_operator_assumes_its_default_gates() {
        let (snapshot, _) = crate::snapshot::load(
            "t.yaml",
            "apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata: {name: k8s, namespace: mon}\n\
             spec: {shards: 4, shardingStrategy: {mode: Topology, topology: {values: [a, b]}}}\n---\n\
             apiVersion: monitoring.coreos.com/v1alpha1\nkind: PrometheusAgent\n\
             metadata: {name: a, namespace: mon}\nspec: {mode: DaemonSet}\n",
        )
        .unwrap();
        let computed = environment_in(
            &snapshot,
            InstanceKind::Prometheus,
            "mon",
            "k8s",
            &pod(3, 0),
        );
        assert_eq!(computed.variables["TOPOLOGY_ZONE"], "b");
        assert_eq!(computed.guess, None);
        assert_eq!(computed.notes.len(), 1);
        assert!(computed.notes[0].contains("PrometheusTopologySharding"));

        let agent = environment_in(
            &snapshot,
            InstanceKind::PrometheusAgent,
            "mon",
            "a",
            &Pod::default(),
        );
        assert!(agent.unresolved.contains_key("POD_NAME"), "{agent:?}");
        assert!(agent.notes[0].contains("PrometheusAgentDaemonSet"));
    }

    #[test]
    fn a_pod_beyond_the_spec_is_said() {
        let (snapshot, _) = crate::snapshot::load(
            "t.yaml",
            "apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata: {name: k8s, namespace: mon}\n\
             spec: {shards: 2, replicas: 2}\n",
        )
        .unwrap();
        let notes = |shard, replica| {
            environment_in(
                &snapshot,
                InstanceKind::Prometheus,
                "mon",
                "k8s",
                &pod(shard, replica),
            )
            .notes
        };
        assert!(notes(1, 1).is_empty());
        assert_eq!(
            notes(2, 2),
            [
                "the instance has 2 shard(s): shard 2 is computed as if it had more",
                "the instance has 2 replica(s): replica 2 is computed as if it had more",
            ]
        );
    }

    #[test]
    fn an_unread_instance_gets_guessed_values() {
        let zoned = Pod {
            zone: Some("z".into()),
            ..pod(2, 1)
        };
        let computed = guessed_environment(
            InstanceKind::Prometheus,
            "mon",
            "k8s",
            &zoned,
            "forbidden".into(),
        );
        let expansion = computed.expand("$(POD_NAME) $(SHARD) $(TOPOLOGY_ZONE) $(INZONE_SHARD)");
        assert_eq!(
            expansion.text,
            "prometheus-k8s-shard-2-1 2 z $(INZONE_SHARD)"
        );
        assert_eq!(
            expansion.warnings,
            [
                "forbidden: $(POD_NAME), $(SHARD) given as for an instance with a default spec",
                "$(INZONE_SHARD) is left as is: the operator sets it from the instance's spec, \
                 which could not be read",
            ]
        );
        let missing = environment_in(
            &Snapshot::default(),
            InstanceKind::Alertmanager,
            "mon",
            "main",
            &Pod::default(),
        );
        assert_eq!(missing.variables["SHARD"], "-1");
        assert!(missing.guess.unwrap().why.contains("not found"));
    }

    #[test]
    fn live_pods_resolve_their_own_fields() {
        let pod = serde_json::json!({
            "metadata": {"name": "p-0", "labels": {"a": "b"}},
            "spec": {"nodeName": "n1"}
        });
        let env: Vec<EnvVar> = serde_json::from_value(serde_json::json!([
            {"name": "POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
            {"name": "NODE_NAME", "valueFrom": {"fieldRef": {"fieldPath": "spec.nodeName"}}},
            {"name": "A", "valueFrom": {"fieldRef": {"fieldPath": "metadata.labels['a']"}}},
            {"name": "EMPTY"},
            {"name": "A", "value": "later wins"}
        ]))
        .unwrap();
        let computed = container_environment(&env, &pod);
        assert_eq!(computed.variables["POD_NAME"], "p-0");
        assert_eq!(computed.variables["NODE_NAME"], "n1");
        assert_eq!(computed.variables["A"], "later wins");
        assert_eq!(computed.variables["EMPTY"], "");
    }
}
