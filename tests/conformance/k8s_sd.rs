//! Conformance: `k8s-sd/` corpus (Prometheus's Kubernetes service-discovery vectors).
//!
//! The inputs carry only the fields the upstream tests set, so objects are loaded leniently:
//! a required field missing from a document is filled with an empty value of the right type.

use crate::support::Corpus;

use std::path::Path;

use promop::discovery::{
    AttachMetadata, NamespaceDiscovery, Role, SdConfig, SelectorConfig, TargetGroup, discover,
};
use promop::snapshot::Snapshot;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// The `k8s-sd/` corpus.
pub fn corpus() -> Corpus {
    Corpus {
        name: "k8s-sd",
        byte_exact_column: false,
        check: |dir, case| check(&dir.join(case)).into(),
    }
}

fn check(dir: &Path) -> Result<(), String> {
    let case = read_yaml(&dir.join("case.yaml"))?;
    let (config, own_namespace) = sd_config(&case)?;
    let snapshot = snapshot(&dir.join("input.yaml"))?;
    let expected = expected_groups(&read_yaml(&dir.join("expected.yaml"))?)?;
    let actual = discover(&config, own_namespace.as_deref(), &snapshot)
        .map_err(|e| format!("discovery failed: {e}"))?;
    let actual: Vec<TargetGroup> = actual.into_iter().filter(|g| !is_empty(g)).collect();
    if actual == expected {
        Ok(())
    } else {
        Err(format!(
            "target groups differ\nexpected: {expected:#?}\nactual: {actual:#?}"
        ))
    }
}

/// Prometheus's tombstone for a deleted or empty object; allowed to be missing.
fn is_empty(group: &TargetGroup) -> bool {
    group.labels.is_empty() && group.targets.is_empty()
}

fn read_yaml(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    promop::yaml::from_str::<Option<Value>>(&text)
        .map(Option::unwrap_or_default)
        .map_err(|e| format!("{}: {e}", path.display()))
}

fn sd_config(case: &Value) -> Result<(SdConfig, Option<String>), String> {
    let role: Role = serde_json::from_value(case["role"].clone()).map_err(|e| e.to_string())?;
    let mut config = SdConfig::new(role);
    let own_namespace = case["ownNamespace"].as_str().map(str::to_owned);
    let names = match &case["namespaces"] {
        Value::Null => Vec::new(),
        names => serde_json::from_value(names.clone()).map_err(|e| e.to_string())?,
    };
    config.namespaces = NamespaceDiscovery {
        own_namespace: own_namespace.is_some(),
        names,
    };
    let attach = &case["attachMetadata"];
    let flag = |name: &str| attach[name].as_bool().unwrap_or(false);
    config.attach_metadata = AttachMetadata {
        node: flag("node"),
        namespace: flag("namespace"),
        deployment: flag("deployment"),
        job: flag("job"),
        cronjob: flag("cronjob"),
    };
    if let Value::Array(selectors) = &case["selectors"] {
        for selector in selectors {
            let role =
                serde_json::from_value(selector["role"].clone()).map_err(|e| e.to_string())?;
            let text = |key: &str| selector[key].as_str().unwrap_or("").to_owned();
            config.selectors.push(SelectorConfig {
                role,
                label: text("label"),
                field: text("field"),
            });
        }
    }
    Ok((config, own_namespace))
}

fn snapshot(path: &Path) -> Result<Snapshot, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut snapshot = Snapshot::default();
    let documents = promop::yaml::from_str_all::<Option<Value>>(&text)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    for value in documents {
        let Some(value) = value else { continue };
        let kind = value["kind"].as_str().unwrap_or("").to_owned();
        match kind.as_str() {
            "Endpoints" => snapshot.endpoints.push(lenient(value)?),
            "EndpointSlice" => snapshot.endpoint_slices.push(lenient(value)?),
            "Service" => snapshot.services.push(lenient(value)?),
            "Pod" => snapshot.pods.push(lenient(value)?),
            "Node" => snapshot.nodes.push(lenient(kubelet_port_spelling(value))?),
            "Namespace" => snapshot.namespaces.push(lenient(value)?),
            "Ingress" => snapshot.ingresses.push(lenient(value)?),
            "ReplicaSet" => snapshot.replica_sets.push(lenient(value)?),
            "Deployment" => snapshot.deployments.push(lenient(value)?),
            "Job" => snapshot.jobs.push(lenient(value)?),
            // Discovery reads a CronJob's name from the Job's owner reference only.
            "CronJob" => {}
            other => return Err(format!("unexpected kind {other:?} in input")),
        }
    }
    Ok(snapshot)
}

/// The API spells the kubelet port `Port`; the corpus writes `port`.
fn kubelet_port_spelling(mut node: Value) -> Value {
    if let Some(Value::Object(endpoint)) =
        node.pointer_mut("/status/daemonEndpoints/kubeletEndpoint")
        && !endpoint.contains_key("Port")
        && let Some(port) = endpoint.remove("port")
    {
        endpoint.insert("Port".to_owned(), port);
    }
    node
}

/// Deserializes `value`, filling each missing required field with the first empty value
/// (string, number, bool, map, list) its type accepts.
fn lenient<T: DeserializeOwned>(mut value: Value) -> Result<T, String> {
    const EMPTY: [fn() -> Value; 5] = [
        || Value::from(""),
        || Value::from(0),
        || Value::from(false),
        || Value::Object(Default::default()),
        || Value::Array(Vec::new()),
    ];
    // (path of the filled field, index into EMPTY tried last)
    let mut filled: Vec<(Vec<String>, usize)> = Vec::new();
    for _ in 0..200 {
        let error = match promop::yaml::Document::from_json(&value).decode::<T>() {
            Ok(decoded) => return Ok(decoded.value),
            Err(error) => error,
        };
        let mut path: Vec<String> = path_segments(&error.path);
        let message = error.message.clone();
        let candidate = if let Some(field) = missing_field(&message) {
            path.push(field);
            0
        } else if let Some(entry) = filled.iter().find(|(p, _)| *p == path) {
            entry.1 + 1
        } else {
            return Err(format!("cannot load object: {error}"));
        };
        let Some(make) = EMPTY.get(candidate) else {
            return Err(format!("cannot load object: {error}"));
        };
        set_path(&mut value, &path, make())?;
        filled.retain(|(p, _)| *p != path);
        filled.push((path, candidate));
    }
    Err("cannot load object: too many missing fields".to_owned())
}

/// `a.b[0].c` as `["a", "b", "[0]", "c"]`.
fn path_segments(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let (key, indices) = part.split_at(part.find('[').unwrap_or(part.len()));
        if !key.is_empty() {
            out.push(key.to_owned());
        }
        out.extend(indices.split_inclusive(']').map(str::to_owned));
    }
    out
}

fn missing_field(message: &str) -> Option<String> {
    let rest = message.strip_prefix("missing field `")?;
    Some(rest.split('`').next()?.to_owned())
}

fn set_path(value: &mut Value, path: &[String], new: Value) -> Result<(), String> {
    let Some((last, parents)) = path.split_last() else {
        return Err("empty path".to_owned());
    };
    let mut current = value;
    for segment in parents {
        current = match current {
            Value::Object(map) => map.get_mut(segment),
            Value::Array(items) => segment
                .trim_start_matches('[')
                .trim_end_matches(']')
                .parse::<usize>()
                .ok()
                .and_then(|i| items.get_mut(i)),
            _ => None,
        }
        .ok_or_else(|| format!("no {segment} in {}", path.join(".")))?;
    }
    match current {
        Value::Object(map) => {
            map.insert(last.clone(), new);
            Ok(())
        }
        _ => Err(format!("{} is not inside a mapping", path.join("."))),
    }
}

fn expected_groups(value: &Value) -> Result<Vec<TargetGroup>, String> {
    let Value::Array(groups) = value else {
        return Ok(Vec::new());
    };
    let labels = |v: &Value| -> Result<_, String> {
        match v {
            Value::Null => Ok(Default::default()),
            v => serde_json::from_value(v.clone()).map_err(|e| e.to_string()),
        }
    };
    let mut out = Vec::new();
    for group in groups {
        let targets = match &group["targets"] {
            Value::Array(targets) => targets.iter().map(labels).collect::<Result<_, _>>()?,
            _ => Vec::new(),
        };
        let group = TargetGroup {
            source: group["source"].as_str().unwrap_or("").to_owned(),
            labels: labels(&group["labels"])?,
            targets,
        };
        if !is_empty(&group) {
            out.push(group);
        }
    }
    Ok(out)
}
