//! `spec.containers` / `spec.initContainers` merged into the operator's containers: upstream
//! `k8s.MergePatchContainers` (`pkg/k8s/merge.go`), a strategic merge patch per container name
//! (apimachinery `strategicpatch.StrategicMergePatch` with `corev1.Container` as schema).
//!
//! In a Container, maps merge key by key, scalars and most lists are replaced, and four lists
//! merge item by item on a key: `ports` (containerPort), `env` (name), `volumeMounts`
//! (mountPath), `volumeDevices` (devicePath).

use k8s_openapi::api::core::v1::{Container, Probe};
use serde_json::{Map, Value};

use crate::workload::WorkloadError;

/// Lists of a Container merged on a key, with that key.
const MERGE_KEYS: [(&str, &str); 4] = [
    ("ports", "containerPort"),
    ("env", "name"),
    ("volumeMounts", "mountPath"),
    ("volumeDevices", "devicePath"),
];

/// Non-pointer Go fields tagged `omitempty`: their zero value is not part of the patch Go
/// marshals, so a `false` or `0` written by the user changes nothing.
const OMITTED_WHEN_ZERO: [&str; 10] = [
    "stdin",
    "stdinOnce",
    "tty",
    "readOnly",
    "hostPort",
    "initialDelaySeconds",
    "timeoutSeconds",
    "periodSeconds",
    "successThreshold",
    "failureThreshold",
];

/// Deepest nesting of a Container document the merge descends into.
const MAX_DEPTH: usize = 16;

/// Patches each of `base` with the container of `patches` of the same name, then appends the
/// patches that name no base container, in their order.
pub(crate) fn merge_patch_containers(
    base: Vec<Container>,
    patches: &[Container],
) -> Result<Vec<Container>, WorkloadError> {
    // A later patch of the same name replaces an earlier one, as in upstream's map by name.
    let patch_for = |name: &str| patches.iter().rev().find(|p| p.name == name);
    let mut merged_names = Vec::new();
    let mut out = Vec::with_capacity(base.len() + patches.len());
    for container in base {
        match patch_for(&container.name) {
            None => out.push(container),
            Some(patch) => {
                merged_names.push(container.name.clone());
                out.push(merge_container(container, patch)?);
            }
        }
    }
    for patch in patches {
        if !merged_names.contains(&patch.name)
            && let Some(last) = patch_for(&patch.name)
        {
            out.push(last.clone());
        }
    }
    Ok(out)
}

fn merge_container(base: Container, patch: &Container) -> Result<Container, WorkloadError> {
    let name = base.name.clone();
    let error = |reason: String| WorkloadError::Merge {
        container: name.clone(),
        reason,
    };
    let to_map = |c: &Container| match serde_json::to_value(c) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(error("not a JSON object".to_owned())),
        Err(e) => Err(error(e.to_string())),
    };
    let original = to_map(&base)?;
    let mut patch_map = to_map(patch)?;
    strip_go_omitted(&mut patch_map, 0);
    let merged = merge_map(original, patch_map, true, 0).map_err(error)?;
    let mut container: Container =
        serde_json::from_value(Value::Object(merged)).map_err(|e| error(e.to_string()))?;
    sanitize_probe_handlers(&mut container, patch);
    Ok(container)
}

/// Removes what Go's `json.Marshal` of the patch would not emit: empty strings and lists, and
/// zero values of non-pointer `omitempty` fields.
fn strip_go_omitted(map: &mut Map<String, Value>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    map.retain(|key, value| match value {
        Value::Null => false,
        Value::String(s) => !s.is_empty() || matches!(key.as_str(), "name" | "mountPath"),
        Value::Array(items) => !items.is_empty(),
        Value::Bool(b) => *b || !OMITTED_WHEN_ZERO.contains(&key.as_str()),
        Value::Number(n) => n.as_i64() != Some(0) || !OMITTED_WHEN_ZERO.contains(&key.as_str()),
        Value::Object(_) => true,
    });
    for value in map.values_mut() {
        match value {
            Value::Object(inner) => strip_go_omitted(inner, depth + 1),
            Value::Array(items) => {
                for item in items {
                    if let Value::Object(inner) = item {
                        strip_go_omitted(inner, depth + 1);
                    }
                }
            }
            _ => {}
        }
    }
}

/// `mergeMap`: patch keys missing from `original` are added, maps merge recursively, the four
/// keyed lists of a Container (`top_level`) merge by key, everything else is replaced.
fn merge_map(
    mut original: Map<String, Value>,
    patch: Map<String, Value>,
    top_level: bool,
    depth: usize,
) -> Result<Map<String, Value>, String> {
    if depth > MAX_DEPTH {
        return Err("document nested too deeply".to_owned());
    }
    for (key, patch_value) in patch {
        let Some(original_value) = original.remove(&key) else {
            original.insert(key, patch_value);
            continue;
        };
        let merge_key = MERGE_KEYS
            .iter()
            .find(|(list, _)| top_level && *list == key)
            .map(|(_, merge_key)| *merge_key);
        let merged = match (original_value, patch_value) {
            (Value::Object(o), Value::Object(p)) => {
                Value::Object(merge_map(o, p, false, depth + 1)?)
            }
            (Value::Array(o), Value::Array(p)) => match merge_key {
                Some(merge_key) => Value::Array(merge_list(o, p, merge_key, depth)?),
                None => Value::Array(p),
            },
            (_, p) => p,
        };
        original.insert(key, merged);
    }
    Ok(original)
}

/// `mergeSlice` for lists of maps with a merge key: items of the patch merge into the original
/// item with the same key or are added; the result lists patch items in patch order, with the
/// original-only items interleaved where the original order puts them (`mergeSortedSlice`).
fn merge_list(
    original: Vec<Value>,
    patch: Vec<Value>,
    merge_key: &str,
    depth: usize,
) -> Result<Vec<Value>, String> {
    let key_of = |item: &Value| item.get(merge_key).cloned();
    for item in original.iter().chain(&patch) {
        if key_of(item).is_none() {
            return Err(format!(
                "map does not contain declared merge key: {merge_key}"
            ));
        }
    }
    let original_keys: Vec<Option<Value>> = original.iter().map(key_of).collect();
    let patch_keys: Vec<Option<Value>> = patch.iter().map(key_of).collect();

    let mut merged = original;
    for item in patch {
        let key = key_of(&item);
        match merged.iter().position(|m| key_of(m) == key) {
            Some(i) => {
                if let Some(slot) = merged.get_mut(i) {
                    let current = std::mem::take(slot);
                    *slot = match (current, item) {
                        (Value::Object(o), Value::Object(p)) => {
                            Value::Object(merge_map(o, p, false, depth + 1)?)
                        }
                        (_, p) => p,
                    };
                }
            }
            None => merged.push(item),
        }
    }

    let index_in = |keys: &[Option<Value>], item: &Value| {
        let key = key_of(item);
        keys.iter().position(|k| *k == key)
    };
    let (mut patch_items, server_only): (Vec<Value>, Vec<Value>) = merged
        .into_iter()
        .partition(|item| index_in(&patch_keys, item).is_some());
    patch_items.sort_by_key(|item| index_in(&patch_keys, item));

    let mut result = Vec::with_capacity(patch_items.len() + server_only.len());
    let mut left = server_only.into_iter().peekable();
    let mut right = patch_items.into_iter().peekable();
    loop {
        let take_left = match (left.peek(), right.peek()) {
            (None, None) => break,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (Some(l), Some(r)) => {
                match (index_in(&original_keys, l), index_in(&original_keys, r)) {
                    (Some(li), Some(ri)) => li < ri,
                    _ => false,
                }
            }
        };
        let next = if take_left { left.next() } else { right.next() };
        result.extend(next);
    }
    Ok(result)
}

/// Upstream `sanitizeProbeHandlers`: when merging left a probe with several handler types
/// (e.g. the operator's `httpGet` and the user's `tcpSocket`), the user's handler wins.
fn sanitize_probe_handlers(merged: &mut Container, patch: &Container) {
    let pairs = [
        (&mut merged.startup_probe, &patch.startup_probe),
        (&mut merged.readiness_probe, &patch.readiness_probe),
        (&mut merged.liveness_probe, &patch.liveness_probe),
    ];
    for (merged_probe, patch_probe) in pairs {
        if let (Some(m), Some(p)) = (merged_probe.as_mut(), patch_probe.as_ref())
            && handler_count(m) > 1
        {
            m.exec = p.exec.clone();
            m.http_get = p.http_get.clone();
            m.tcp_socket = p.tcp_socket.clone();
            m.grpc = p.grpc.clone();
        }
    }
}

fn handler_count(probe: &Probe) -> usize {
    [
        probe.exec.is_some(),
        probe.http_get.is_some(),
        probe.tcp_socket.is_some(),
        probe.grpc.is_some(),
    ]
    .into_iter()
    .filter(|set| *set)
    .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn container(json: Value) -> Container {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn same_name_is_patched_new_names_are_appended() {
        let base = vec![
            container(serde_json::json!({"name": "prometheus", "image": "p:1", "args": ["--a"]})),
            container(serde_json::json!({"name": "config-reloader", "image": "r:1"})),
        ];
        let patches = [
            container(serde_json::json!({"name": "prometheus", "image": "mine", "args": ["--b"]})),
            container(serde_json::json!({"name": "extra", "image": "e"})),
        ];
        let out = merge_patch_containers(base, &patches).unwrap();
        let names: Vec<&str> = out.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["prometheus", "config-reloader", "extra"]);
        assert_eq!(out[0].image.as_deref(), Some("mine"));
        assert_eq!(out[0].args.as_deref(), Some(&["--b".to_owned()][..]));
    }

    #[test]
    fn keyed_lists_merge_and_new_items_come_first() {
        let base = vec![container(serde_json::json!({
            "name": "c",
            "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}],
            "volumeMounts": [{"name": "v", "mountPath": "/x", "readOnly": true}]
        }))];
        let patches = [container(serde_json::json!({
            "name": "c",
            "env": [{"name": "NEW", "value": "n"}, {"name": "B", "value": "3"}],
            "volumeMounts": [{"name": "w", "mountPath": "/x", "readOnly": false}]
        }))];
        let out = merge_patch_containers(base, &patches).unwrap();
        let env: Vec<(String, Option<String>)> = out[0]
            .env
            .iter()
            .flatten()
            .map(|e| (e.name.clone(), e.value.clone()))
            .collect();
        assert_eq!(
            env,
            [
                ("NEW".to_owned(), Some("n".to_owned())),
                ("A".to_owned(), Some("1".to_owned())),
                ("B".to_owned(), Some("3".to_owned())),
            ]
        );
        let mount = &out[0].volume_mounts.as_ref().unwrap()[0];
        assert_eq!(mount.name, "w");
        // `readOnly: false` is not in the patch Go marshals.
        assert_eq!(mount.read_only, Some(true));
    }

    /// The port cases of upstream's `pkg/k8s/merge_test.go`.
    #[test]
    fn ports_merge_on_the_container_port() {
        let with_port = |name: &str, port: i32| {
            container(serde_json::json!({
                "name": "c1", "image": "image:A",
                "ports": [{"name": name, "containerPort": port}]
            }))
        };
        let ports = |c: &Container| -> Vec<(Option<String>, i32)> {
            c.ports
                .iter()
                .flatten()
                .map(|p| (p.name.clone(), p.container_port))
                .collect()
        };
        let added =
            merge_patch_containers(vec![with_port("portA", 1)], &[with_port("portA", 2)]).unwrap();
        assert_eq!(
            ports(&added[0]),
            [(Some("portA".to_owned()), 2), (Some("portA".to_owned()), 1)]
        );
        let renamed =
            merge_patch_containers(vec![with_port("portA", 1)], &[with_port("portB", 1)]).unwrap();
        assert_eq!(ports(&renamed[0]), [(Some("portB".to_owned()), 1)]);
        let empty_image = container(serde_json::json!({"name": "c1", "image": ""}));
        let kept = merge_patch_containers(vec![with_port("portA", 1)], &[empty_image]).unwrap();
        assert_eq!(kept[0].image.as_deref(), Some("image:A"));
    }

    #[test]
    fn a_second_probe_handler_is_replaced_by_the_users() {
        let base = vec![container(serde_json::json!({
            "name": "c",
            "readinessProbe": {"httpGet": {"path": "/-/ready", "port": "web"}, "periodSeconds": 5}
        }))];
        let patches = [container(serde_json::json!({
            "name": "c",
            "readinessProbe": {"tcpSocket": {"port": 9090}}
        }))];
        let out = merge_patch_containers(base, &patches).unwrap();
        let probe = out[0].readiness_probe.as_ref().unwrap();
        assert!(probe.http_get.is_none());
        assert!(probe.tcp_socket.is_some());
        assert_eq!(probe.period_seconds, Some(5));
    }
}
