//! The workloads of one Prometheus, PrometheusAgent or Alertmanager of a snapshot, as the
//! operator's reconciliation creates them (pkg/prometheus/server/operator.go and
//! pkg/prometheus/agent/operator.go `sync`, pkg/alertmanager/operator.go `sync`: one object
//! per shard, with the rule ConfigMap names of `createOrUpdateRuleConfigMaps`), and the
//! comparison of a live workload with the generated one: only what the operator sets counts,
//! so fields the API server adds or defaults are no difference.

use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::api::core::v1::PodTemplateSpec;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde_json::Value;

use super::{
    Generated, Instance, MAX_SHARDS, Warning, Workload, WorkloadError, WorkloadInput,
    agent_workload, alertmanager_statefulset, prometheus_statefulset, statefulset_shard_names,
};
use crate::alertmanager::GenerateError;
use crate::diff::ChangeKind;
use crate::instance::{InstanceError, InstanceKind, render_target};
use crate::operator::OperatorOptions;
use crate::render::RenderError;
use crate::snapshot::Snapshot;
use crate::snapshot::{FindError, find_named};
use crate::target::Target;

/// The annotation whose value is the operator's hash of all its inputs: not reproduced.
pub const INPUT_HASH_ANNOTATION: &str = "prometheus-operator-input-hash";
/// The directory a Prometheus resolves relative file paths of its configuration against.
pub const PROMETHEUS_CONFIG_DIR: &str = super::prometheus::CONF_OUT_DIR;
/// Deepest nesting of a workload object compared.
pub const MAX_COMPARE_DEPTH: usize = 64;
/// Most differences reported for one object.
pub const MAX_CHANGES: usize = 1_000;

/// Why the workloads cannot be generated.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ObjectsError {
    /// No such instance.
    #[error(transparent)]
    Find(#[from] FindError),
    /// The configuration cannot be generated, so the operator stops before the workload.
    #[error("{}", configuration_failure(.0))]
    Configuration(InstanceError),
    /// The operator refuses to generate the workload.
    #[error(transparent)]
    Workload(#[from] WorkloadError),
    /// The Alertmanager's configuration cannot be provisioned, so the operator stops before
    /// its StatefulSet.
    #[error("provision alertmanager configuration: {0}")]
    AlertmanagerConfiguration(GenerateError),
}

/// The operator's words for a configuration it cannot generate: selecting resources, writing
/// the rule ConfigMaps and setting up the generator fail as they are; only writing the
/// configuration Secret is "creating config failed" (upstream `syncPrometheus`).
fn configuration_failure(error: &InstanceError) -> String {
    match error {
        InstanceError::Render(RenderError::Invalid { .. }) => {
            format!("creating config failed: {error}")
        }
        _ => error.to_string(),
    }
}

/// Annotation the operator puts on a shard StatefulSet it retains after a scale-down.
pub const DELETION_DEADLINE_ANNOTATION: &str = "operator.prometheus.io/deletion-deadline";

/// A live StatefulSet of an instance's shards that the operator no longer generates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeftoverShard {
    /// Its name.
    pub name: String,
    /// What the operator does with it.
    pub fate: LeftoverFate,
}

/// What the operator does with a shard StatefulSet it no longer generates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LeftoverFate {
    /// Deleted on its next reconciliation.
    Deleted,
    /// Kept by `spec.shardRetentionPolicy.whenScaled: Retain`, until the deadline in
    /// [`DELETION_DEADLINE_ANNOTATION`] (`None`: the operator sets it on its next
    /// reconciliation; the zero time: never).
    Retained {
        /// The annotation's value.
        deadline: Option<String>,
    },
}

/// The label selector the operator lists an instance's shard StatefulSets with (its name and
/// mode labels); `None` for an Alertmanager or an agent in DaemonSet mode, which have no shards.
pub fn shard_selector(instance: Instance<'_>) -> Option<String> {
    let (kind, meta) = match instance {
        Instance::Prometheus(p) => (super::prometheus::PromKind::Server, &p.metadata),
        Instance::Agent(a) if !a.spec.daemon_set_mode() => {
            (super::prometheus::PromKind::Agent, &a.metadata)
        }
        _ => return None,
    };
    Some(format!(
        "{}={},{}={}",
        super::prometheus::NAME_LABEL,
        crate::snapshot::name_of(meta),
        super::prometheus::MODE_LABEL,
        kind.mode()
    ))
}

/// Of `live` (the StatefulSets [`shard_selector`] lists), those the operator no longer
/// generates for `instance`, and what it does with each (upstream `syncPrometheus`'s clean-up
/// and `processShardRetention`; an agent's are always deleted). One being deleted already is
/// left out.
pub fn leftover_shards(
    instance: Instance<'_>,
    options: &OperatorOptions,
    generated: &InstanceWorkloads,
    live: &[Value],
) -> Vec<LeftoverShard> {
    let retained = match instance {
        Instance::Prometheus(p) => {
            options.retention_policies
                && p.spec
                    .shard_retention_policy
                    .as_ref()
                    .and_then(|r| r.when_scaled.as_deref())
                    == Some("Retain")
        }
        _ => false,
    };
    live.iter()
        .filter(|object| object["metadata"]["deletionTimestamp"].is_null())
        .filter_map(|object| {
            let name = object["metadata"]["name"].as_str()?;
            if generated.workloads.iter().any(|g| g.object.name() == name) {
                return None;
            }
            let fate = if retained {
                LeftoverFate::Retained {
                    deadline: object["metadata"]["annotations"][DELETION_DEADLINE_ANNOTATION]
                        .as_str()
                        .map(str::to_owned),
                }
            } else {
                LeftoverFate::Deleted
            };
            Some(LeftoverShard {
                name: name.to_owned(),
                fate,
            })
        })
        .collect()
}

/// The instance `name` of `kind` in `snapshot`.
pub fn find_instance<'a>(
    snapshot: &'a Snapshot,
    kind: InstanceKind,
    namespace: Option<&str>,
    name: &str,
) -> Result<Instance<'a>, FindError> {
    Ok(match kind {
        InstanceKind::Prometheus => {
            Instance::Prometheus(find_named(&snapshot.prometheuses, namespace, name)?)
        }
        InstanceKind::PrometheusAgent => {
            Instance::Agent(find_named(&snapshot.prometheus_agents, namespace, name)?)
        }
        InstanceKind::Alertmanager => {
            Instance::Alertmanager(find_named(&snapshot.alertmanagers, namespace, name)?)
        }
    })
}

/// The workloads of an instance, and whether the operator reconciles it at all.
#[derive(Debug)]
pub struct InstanceWorkloads {
    /// One object a shard (one for a DaemonSet or an Alertmanager).
    pub workloads: Vec<Generated<Workload>>,
    /// Why the operator does not reconcile the instance, if it does not: it then creates
    /// none of them.
    pub ignored: Option<String>,
}

/// Every workload object the operator creates for `instance`, shard by shard. The input hash
/// annotation is left empty (see [`INPUT_HASH_ANNOTATION`]).
pub fn instance_workloads(
    snapshot: &Snapshot,
    instance: Instance<'_>,
    options: &OperatorOptions,
) -> Result<InstanceWorkloads, ObjectsError> {
    let shards = statefulset_shard_names(instance).len().max(1);
    // The operator writes the configuration first and stops when it cannot
    // (`createOrUpdateConfigurationSecret`, `provisionAlertmanagerConfiguration`).
    let (ignored, rule_config_map_names) = match instance {
        Instance::Prometheus(p) => {
            let render = render_target(snapshot, Target::Server(p), options)
                .map_err(ObjectsError::Configuration)?;
            (render.ignored, render.rule_config_map_names)
        }
        Instance::Agent(a) => {
            let render = render_target(snapshot, Target::Agent(a), options)
                .map_err(ObjectsError::Configuration)?;
            (render.ignored, Vec::new())
        }
        Instance::Alertmanager(am) => {
            let render = crate::instance::render_alertmanager(snapshot, am, options)
                .map_err(ObjectsError::AlertmanagerConfiguration)?;
            (render.ignored, Vec::new())
        }
    };
    // A DaemonSet or an Alertmanager has no shard names: one object.
    let mut workloads = (0..shards)
        .map(|shard| {
            let input = WorkloadInput {
                shard: i32::try_from(shard).unwrap_or(i32::MAX),
                rule_config_map_names: rule_config_map_names.clone(),
                ..WorkloadInput::default()
            };
            shard_workload(instance, options, &input)
        })
        .collect::<Result<Vec<Generated<Workload>>, _>>()?;
    let asked = match instance {
        Instance::Prometheus(p) => p.spec.common_fields().shard_count(),
        Instance::Agent(a) if !a.spec.daemon_set_mode() => a.spec.common_fields().shard_count(),
        Instance::Agent(_) | Instance::Alertmanager(_) => 1,
    };
    if asked > MAX_SHARDS
        && let Some(first) = workloads.first_mut()
    {
        first.warnings.push(Warning {
            field: "spec.shards".to_owned(),
            message: format!(
                "{asked} shards: only the first {MAX_SHARDS} StatefulSets are generated here \
                 (MAX_SHARDS); the operator creates all {asked}"
            ),
        });
    }
    Ok(InstanceWorkloads { workloads, ignored })
}

/// The workload of shard `input.shard` of `instance`: its StatefulSet, or the DaemonSet of an
/// agent in DaemonSet mode (an Alertmanager has one StatefulSet, whatever the shard).
///
/// # Errors
/// When the operator refuses to generate it.
pub fn shard_workload(
    instance: Instance<'_>,
    options: &OperatorOptions,
    input: &WorkloadInput,
) -> Result<Generated<Workload>, WorkloadError> {
    let statefulset = |generated: Generated<StatefulSet>| Generated {
        object: Workload::StatefulSet(Box::new(generated.object)),
        warnings: generated.warnings,
    };
    Ok(match instance {
        Instance::Prometheus(p) => statefulset(prometheus_statefulset(p, options, input)?),
        Instance::Agent(a) => agent_workload(a, options, input)?,
        Instance::Alertmanager(am) => statefulset(alertmanager_statefulset(am, options, input)?),
    })
}

impl Workload {
    /// The template of the pods it runs.
    pub fn pod_template(&self) -> Option<&PodTemplateSpec> {
        match self {
            Workload::StatefulSet(s) => s.spec.as_ref().map(|spec| &spec.template),
            Workload::DaemonSet(d) => d.spec.as_ref().map(|spec| &spec.template),
        }
    }

    /// The object's metadata.
    pub fn metadata(&self) -> &ObjectMeta {
        match self {
            Workload::StatefulSet(s) => &s.metadata,
            Workload::DaemonSet(d) => &d.metadata,
        }
    }

    /// `metadata.name`.
    pub fn name(&self) -> &str {
        self.metadata().name.as_deref().unwrap_or("")
    }

    /// `StatefulSet` or `DaemonSet`.
    pub fn kind(&self) -> &'static str {
        match self {
            Workload::StatefulSet(_) => "StatefulSet",
            Workload::DaemonSet(_) => "DaemonSet",
        }
    }

    /// The object as Kubernetes JSON (with `apiVersion` and `kind`).
    pub fn to_json(&self) -> Value {
        let value = match self {
            Workload::StatefulSet(s) => serde_json::to_value(s),
            Workload::DaemonSet(d) => serde_json::to_value(d),
        };
        value.unwrap_or(Value::Null)
    }
}

/// One difference between a live workload and the generated one.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldChange {
    /// Which side has the field: only the generated object (set by the operator, absent live:
    /// it would add it back), only the live one (an element of a list the operator owns, such
    /// as containers, volumes, mounts or env: it would remove it), or both, with different
    /// values (it would restore its own).
    pub kind: ChangeKind,
    /// The field, e.g. `spec.template.spec.containers[name=prometheus].image`.
    pub path: String,
    /// The live value.
    pub live: Option<Value>,
    /// The value the operator writes.
    pub rendered: Option<Value>,
}

/// What the operator would change back in `live` to make it `rendered`: every field the
/// operator sets is compared; fields only the live object has are ignored (the API server's
/// defaults and bookkeeping) except elements of lists the operator owns. `status`, the input
/// hash annotation and the owner references' `uid` are not compared.
pub fn compare_workload(live: &Value, rendered: &Value) -> Vec<FieldChange> {
    let mut changes = Vec::new();
    walk(live, rendered, "", 0, &mut changes);
    changes.truncate(MAX_CHANGES);
    changes
}

fn ignored(path: &str) -> bool {
    path == "status"
        || path == format!("metadata.annotations.{INPUT_HASH_ANNOTATION}")
        || (path.starts_with("metadata.ownerReferences") && path.ends_with(".uid"))
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

fn walk(live: &Value, rendered: &Value, path: &str, depth: usize, out: &mut Vec<FieldChange>) {
    if ignored(path) || out.len() >= MAX_CHANGES {
        return;
    }
    let change = |kind, live: Option<&Value>, rendered: Option<&Value>| FieldChange {
        kind,
        path: path.to_owned(),
        live: live.cloned(),
        rendered: rendered.cloned(),
    };
    if depth > MAX_COMPARE_DEPTH {
        if live != rendered {
            out.push(change(ChangeKind::Modified, Some(live), Some(rendered)));
        }
        return;
    }
    match (live, rendered) {
        (Value::Object(l), Value::Object(r)) => {
            for (key, rendered_value) in r {
                let at = join(path, key);
                match l.get(key) {
                    Some(live_value) => walk(live_value, rendered_value, &at, depth + 1, out),
                    None if is_empty(rendered_value) || ignored(&at) => {}
                    None => out.push(FieldChange {
                        kind: ChangeKind::Added,
                        path: at,
                        live: None,
                        rendered: Some(rendered_value.clone()),
                    }),
                }
            }
        }
        (Value::Array(l), Value::Array(r)) => match list_key(r) {
            Some(key) => {
                for item in r {
                    let id = item.get(key).cloned().unwrap_or(Value::Null);
                    let at = format!("{path}[{key}={}]", show(&id));
                    match l.iter().find(|i| i.get(key) == Some(&id)) {
                        Some(live_item) => walk(live_item, item, &at, depth + 1, out),
                        None => out.push(FieldChange {
                            kind: ChangeKind::Added,
                            path: at,
                            live: None,
                            rendered: Some(item.clone()),
                        }),
                    }
                }
                for item in l {
                    let id = item.get(key).cloned().unwrap_or(Value::Null);
                    if !r.iter().any(|i| i.get(key) == Some(&id)) {
                        out.push(FieldChange {
                            kind: ChangeKind::Removed,
                            path: format!("{path}[{key}={}]", show(&id)),
                            live: Some(item.clone()),
                            rendered: None,
                        });
                    }
                }
            }
            None if r.iter().all(Value::is_object) && l.len() == r.len() => {
                for (i, (live_item, item)) in l.iter().zip(r).enumerate() {
                    walk(live_item, item, &format!("{path}[{i}]"), depth + 1, out);
                }
            }
            None if l != r => out.push(change(ChangeKind::Modified, Some(live), Some(rendered))),
            None => {}
        },
        _ if numbers_equal(live, rendered) || live == rendered => {}
        _ => out.push(change(ChangeKind::Modified, Some(live), Some(rendered))),
    }
}

/// The field that identifies the elements of a list of objects: `mountPath` for volume
/// mounts (a volume can be mounted twice), else `name` when every element has a distinct one.
fn list_key(items: &[Value]) -> Option<&'static str> {
    ["mountPath", "name"].into_iter().find(|key| {
        let mut ids: Vec<&Value> = items.iter().filter_map(|i| i.get(*key)).collect();
        let all = ids.len() == items.len() && !items.is_empty();
        ids.sort_by_key(|v| v.to_string());
        ids.dedup();
        all && ids.len() == items.len()
    })
}

fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Object(m) => m.is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => false,
    }
}

fn numbers_equal(a: &Value, b: &Value) -> bool {
    matches!((a.as_f64(), b.as_f64()), (Some(x), Some(y)) if x == y)
}

fn show(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn defaults_are_ignored_and_changes_named() {
        let rendered = json!({"metadata": {"name": "s", "annotations": {INPUT_HASH_ANNOTATION: ""}},
            "spec": {"template": {"spec": {"containers": [
                {"name": "prometheus", "image": "p:v3", "args": ["--a"]}]}}}});
        let mut live = rendered.clone();
        live["metadata"]["uid"] = json!("u");
        live["metadata"]["annotations"][INPUT_HASH_ANNOTATION] = json!("123");
        live["spec"]["template"]["spec"]["containers"][0]["imagePullPolicy"] =
            json!("IfNotPresent");
        live["status"] = json!({"replicas": 1});
        assert!(compare_workload(&live, &rendered).is_empty());
        live["spec"]["template"]["spec"]["containers"][0]["image"] = json!("p:v2");
        live["spec"]["template"]["spec"]["containers"]
            .as_array_mut()
            .unwrap()
            .push(json!({"name": "debug"}));
        let changes = compare_workload(&live, &rendered);
        assert_eq!(changes.len(), 2);
        assert_eq!(
            changes[0].path,
            "spec.template.spec.containers[name=prometheus].image"
        );
        assert_eq!(changes[1].kind, ChangeKind::Removed);
    }

    #[test]
    fn shards_beyond_the_spec_are_deleted_or_retained() {
        let (snapshot, _) = crate::snapshot::load(
            "t.yaml",
            "apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata: {name: k8s, namespace: mon}\n\
             spec: {shardRetentionPolicy: {whenScaled: Retain}}\n",
        )
        .unwrap();
        let instance =
            find_instance(&snapshot, InstanceKind::Prometheus, Some("mon"), "k8s").unwrap();
        assert_eq!(
            shard_selector(instance).as_deref(),
            Some("operator.prometheus.io/name=k8s,operator.prometheus.io/mode=server")
        );
        let options = OperatorOptions::default();
        let generated = instance_workloads(&snapshot, instance, &options).unwrap();
        let live = [
            serde_json::json!({"metadata": {"name": "prometheus-k8s"}}),
            serde_json::json!({"metadata": {"name": "prometheus-k8s-shard-1",
                "annotations": {DELETION_DEADLINE_ANNOTATION: "2026-12-08T00:00:00Z"}}}),
            serde_json::json!({"metadata": {"name": "prometheus-k8s-shard-2"}}),
            serde_json::json!({"metadata": {"name": "prometheus-k8s-shard-3",
                "deletionTimestamp": "2026-12-07T00:00:00Z"}}),
        ];
        let fates: Vec<(String, LeftoverFate)> =
            leftover_shards(instance, &options, &generated, &live)
                .into_iter()
                .map(|l| (l.name, l.fate))
                .collect();
        assert_eq!(
            fates,
            [
                (
                    "prometheus-k8s-shard-1".to_owned(),
                    LeftoverFate::Retained {
                        deadline: Some("2026-12-08T00:00:00Z".to_owned())
                    }
                ),
                (
                    "prometheus-k8s-shard-2".to_owned(),
                    LeftoverFate::Retained { deadline: None }
                ),
            ]
        );
        // Without the feature gate, the policy is not read: every leftover is deleted.
        let gate_off = OperatorOptions {
            retention_policies: false,
            ..OperatorOptions::default()
        };
        assert!(
            leftover_shards(instance, &gate_off, &generated, &live)
                .iter()
                .all(|l| l.fate == LeftoverFate::Deleted)
        );
    }

    #[test]
    fn a_prometheus_gets_one_statefulset_per_shard() {
        let (snapshot, _) = crate::snapshot::load(
            "t.yaml",
            "apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata: {name: k8s, namespace: mon}\nspec: {shards: 2}\n",
        )
        .unwrap();
        let instance =
            find_instance(&snapshot, InstanceKind::Prometheus, Some("mon"), "k8s").unwrap();
        let objects = instance_workloads(&snapshot, instance, &OperatorOptions::default())
            .unwrap()
            .workloads;
        let names: Vec<&str> = objects.iter().map(|o| o.object.name()).collect();
        assert_eq!(names, ["prometheus-k8s", "prometheus-k8s-shard-1"]);
        assert_eq!(objects[0].object.to_json()["kind"], "StatefulSet");
    }

    #[test]
    fn no_alertmanager_statefulset_without_its_configuration() {
        let load = |version: &str| {
            crate::snapshot::load(
                "t.yaml",
                &format!(
                    "apiVersion: monitoring.coreos.com/v1\nkind: Alertmanager\n\
                     metadata: {{name: main, namespace: mon}}\nspec: {{version: {version}}}\n"
                ),
            )
            .unwrap()
            .0
        };
        let workloads = |snapshot: &Snapshot| {
            let instance =
                find_instance(snapshot, InstanceKind::Alertmanager, Some("mon"), "main").unwrap();
            instance_workloads(snapshot, instance, &OperatorOptions::default())
        };
        assert_eq!(workloads(&load("v0.27.0")).unwrap().workloads.len(), 1);
        let old = workloads(&load("v0.14.0")).unwrap_err();
        assert_eq!(
            old.to_string(),
            "provision alertmanager configuration: unsupported Alertmanager version \"v0.14.0\""
        );
    }
}
