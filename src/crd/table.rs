//! The hand-written CRD rules: required fields, the CRDs' `x-kubernetes-validations` (CEL)
//! rules, all of them, in [`validation_rules`] (the SigV4 one, which every CRD with SigV4
//! settings has, in the walk), and the enums and patterns of the fields users get wrong most,
//! worded for them (a duration's units, a relabel action's spellings). Every other value
//! constraint of the CRDs is checked from their schemas, in [`super`].

use std::sync::OnceLock;

use serde_json::Value;

use crate::duration::Duration;

/// One schema rule broken at a field path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Breach {
    /// Field path, e.g. `spec.endpoints[0].scheme`.
    pub field: String,
    /// What is wrong.
    pub message: String,
}

/// Fields of type `ByteSize`.
const BYTE_SIZES: &[&str] = &[
    "retentionSize",
    "bodySizeLimit",
    "enforcedBodySizeLimit",
    "maxPerSilenceBytes",
];
/// Lists whose `url` is of type `URL` (`^(http|https)://.+$`).
const URL_LISTS: &[&str] = &["remoteWrite", "remoteRead"];
/// Fields holding a Prometheus duration.
const DURATIONS: &[&str] = &[
    "refreshInterval",
    // An AlertmanagerConfig route's.
    "groupWait",
    "groupInterval",
    "repeatInterval",
    "interval",
    "scrapeTimeout",
    "scrapeInterval",
    "evaluationInterval",
    "for",
    "keep_firing_for",
    "query_offset",
];

/// Required fields of a kind, as paths below the object.
fn required(kind: &str) -> &'static [&'static str] {
    match kind {
        "ServiceMonitor" => &["spec", "spec.selector", "spec.endpoints"],
        "PodMonitor" => &["spec", "spec.selector"],
        // Every CRD of the group requires `spec`.
        _ => &["spec"],
    }
}

/// Checks `object` (a custom resource of `kind`, as written) against the table. `prefix` is the
/// path of the object in its document (`items[3]` in a list), empty otherwise.
pub fn check(kind: &str, object: &Value, prefix: &str) -> Vec<Breach> {
    let mut out = Vec::new();
    let at = |path: &str| join(prefix, path);
    match object.pointer("/metadata/name") {
        None | Some(Value::Null) => out.push(Breach {
            field: at("metadata.name"),
            message: "required field is missing".to_owned(),
        }),
        Some(Value::String(name)) => {
            if let Some(problem) = crate::select::label_selector::dns1123_subdomain_problem(name) {
                out.push(Breach {
                    field: at("metadata.name"),
                    message: format!("invalid name {name:?}: {problem}"),
                });
            }
        }
        Some(_) => {}
    }
    for path in required(kind) {
        let pointer = format!("/{}", path.replace('.', "/"));
        if object.pointer(&pointer).is_none_or(Value::is_null) {
            out.push(Breach {
                field: at(path),
                message: "required field is missing".to_owned(),
            });
        }
    }
    if kind == "PrometheusRule"
        && let Some(Value::Array(groups)) = object.pointer("/spec/groups")
    {
        for (g, group) in groups.iter().enumerate() {
            if group.get("name").is_none_or(Value::is_null) {
                out.push(Breach {
                    field: at(&format!("spec.groups[{g}].name")),
                    message: "required field is missing".to_owned(),
                });
            }
            if let Some(Value::Array(rules)) = group.get("rules") {
                for (r, rule) in rules.iter().enumerate() {
                    if rule.get("expr").is_none_or(Value::is_null) {
                        out.push(Breach {
                            field: at(&format!("spec.groups[{g}].rules[{r}].expr")),
                            message: "required field is missing".to_owned(),
                        });
                    }
                }
            }
        }
    }
    if let Some(spec) = object.get("spec") {
        // A Prometheus's retention is a Prometheus duration; an Alertmanager's is Go's.
        if kind == "Prometheus"
            && let Some(Value::String(retention)) = spec.get("retention")
            && !retention.is_empty()
            && Duration::parse(retention).is_err()
        {
            out.push(Breach {
                field: at("spec.retention"),
                message: format!(
                    "invalid duration {retention:?}: use units ms, s, m, h, d, w, y (e.g. 15d)"
                ),
            });
        }
        walk(spec, &at("spec"), None, &mut out);
        for (field, message) in validation_rules(kind, spec) {
            out.push(Breach {
                field: at(&field),
                message,
            });
        }
    }
    out
}

/// Fields an agent in DaemonSet mode may not set (the CRD's `x-kubernetes-validations`).
const NOT_IN_DAEMON_SET_MODE: &[&str] = &[
    "replicas",
    "storage",
    "persistentVolumeClaimRetentionPolicy",
    "scrapeConfigSelector",
    "probeSelector",
    "scrapeConfigNamespaceSelector",
    "probeNamespaceSelector",
    "serviceMonitorSelector",
    "serviceMonitorNamespaceSelector",
    "additionalScrapeConfigs",
    "shardingStrategy",
];

/// The CRDs' `x-kubernetes-validations` (CEL) rules that the API server checks on `spec` of
/// a `kind`, as `(field, message)` for each one broken; the messages are the CRDs'.
fn validation_rules(kind: &str, spec: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let has = |value: &Value, key: &str| value.get(key).is_some_and(|v| !v.is_null());
    if kind == "PrometheusAgent" && spec.get("mode").and_then(Value::as_str) == Some("DaemonSet") {
        for field in NOT_IN_DAEMON_SET_MODE {
            if has(spec, field) {
                out.push((
                    format!("spec.{field}"),
                    format!("{field} cannot be set when mode is DaemonSet"),
                ));
            }
        }
        if spec
            .get("shards")
            .and_then(Value::as_i64)
            .is_some_and(|n| n > 1)
        {
            out.push((
                "spec.shards".to_owned(),
                "shards cannot be greater than 1 when mode is DaemonSet".to_owned(),
            ));
        }
    }
    if matches!(kind, "Prometheus" | "PrometheusAgent")
        && let Some(strategy) = spec.get("shardingStrategy")
    {
        let topology_mode = strategy.get("mode").and_then(Value::as_str) == Some("Topology");
        if has(strategy, "topology") && !topology_mode {
            out.push((
                "spec.shardingStrategy".to_owned(),
                "topology can only be defined when mode is set to 'Topology'".to_owned(),
            ));
        }
        let values = strategy
            .pointer("/topology/values")
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        let shards = spec.get("shards").and_then(Value::as_i64).unwrap_or(1);
        if topology_mode && values > 0 && usize::try_from(shards).unwrap_or(0) < values {
            out.push((
                "spec.shards".to_owned(),
                "shards must be greater than or equal to the number of topology values when \
                 sharding strategy mode is Topology"
                    .to_owned(),
            ));
        }
    }
    if matches!(
        kind,
        "Prometheus" | "PrometheusAgent" | "Alertmanager" | "ThanosRuler"
    ) && let Some(strategy) = spec.get("updateStrategy")
        && strategy.get("type").and_then(Value::as_str) != Some("RollingUpdate")
        && has(strategy, "rollingUpdate")
    {
        out.push((
            "spec.updateStrategy".to_owned(),
            "rollingUpdate requires type to be RollingUpdate".to_owned(),
        ));
    }
    if kind == "ScrapeConfig"
        && ["basicAuth", "authorization", "oauth2"]
            .iter()
            .filter(|k| has(spec, k))
            .count()
            > 1
    {
        out.push((
            "spec".to_owned(),
            "at most one of basicAuth, authorization, or oauth2 can be configured".to_owned(),
        ));
    }
    out
}

/// Whether `text` matches the CRD's `pattern`, searched as the API server searches one (Go's
/// `MatchString`: not anchored unless the pattern says so).
fn matches_pattern(
    pattern: &'static str,
    cell: &'static OnceLock<Option<regex::Regex>>,
    text: &str,
) -> bool {
    cell.get_or_init(|| regex::Regex::new(pattern).ok())
        .as_ref()
        .is_none_or(|regex| regex.is_match(text))
}

/// The CRD's `ByteSize` pattern.
fn is_byte_size(text: &str) -> bool {
    static PATTERN: OnceLock<Option<regex::Regex>> = OnceLock::new();
    matches_pattern(
        r"(^0|([0-9]*[.])?[0-9]+((K|M|G|T|E|P)i?)?B)$",
        &PATTERN,
        text,
    )
}

/// The CRD's `URL` pattern.
fn is_http_url(text: &str) -> bool {
    static PATTERN: OnceLock<Option<regex::Regex>> = OnceLock::new();
    matches_pattern(r"^(http|https)://.+$", &PATTERN, text)
}

pub(super) fn join(prefix: &str, path: &str) -> String {
    if prefix.is_empty() {
        path.to_owned()
    } else {
        format!("{prefix}.{path}")
    }
}

fn unsupported(field: String, value: &str, allowed: &[&str]) -> Breach {
    Breach {
        field,
        message: format!(
            "unsupported value {value:?}: must be one of {}",
            allowed.join(", ")
        ),
    }
}

/// Walks `value` at `path`; `list` is the name of the list the value is an item of.
fn walk(value: &Value, path: &str, list: Option<&str>, out: &mut Vec<Breach>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let child_path = format!("{path}.{key}");
                check_field(key, child, &child_path, list, out);
                walk(child, &child_path, None, out);
            }
        }
        Value::Array(items) => {
            let name = path.rsplit('.').next();
            for (i, item) in items.iter().enumerate() {
                walk(item, &format!("{path}[{i}]"), name, out);
            }
        }
        _ => {}
    }
}

fn check_field(key: &str, value: &Value, path: &str, list: Option<&str>, out: &mut Vec<Breach>) {
    match (key, value) {
        ("sigv4", Value::Object(sigv4))
            if sigv4.get("externalId").is_some_and(|v| !v.is_null())
                && sigv4.get("roleArn").is_none_or(Value::is_null) =>
        {
            // A CEL rule of every CRD with SigV4 settings.
            out.push(Breach {
                field: path.to_owned(),
                message: "externalId can only be used when roleArn is specified".to_owned(),
            });
        }
        ("partial_response_strategy", Value::String(strategy))
            if !matches!(
                strategy.to_ascii_lowercase().as_str(),
                "" | "abort" | "warn"
            ) =>
        {
            out.push(unsupported(path.to_owned(), strategy, &["abort", "warn"]));
        }
        (key, Value::String(size)) if BYTE_SIZES.contains(&key) && !is_byte_size(size) => {
            out.push(Breach {
                field: path.to_owned(),
                message: format!(
                    "invalid size {size:?}: use a number and a unit ending in B (e.g. 512MB, 10GiB)"
                ),
            });
        }
        ("url", Value::String(url))
            if list.is_some_and(|l| URL_LISTS.contains(&l)) && !is_http_url(url) =>
        {
            out.push(Breach {
                field: path.to_owned(),
                message: format!(
                    "invalid URL {:?}: must start with http:// or https://",
                    crate::redact::shown_address(url)
                ),
            });
        }
        (key, Value::String(d))
            if DURATIONS.contains(&key) && !d.is_empty() && Duration::parse(d).is_err() =>
        {
            out.push(Breach {
                field: path.to_owned(),
                message: format!(
                    "invalid duration {d:?}: use units ms, s, m, h, d, w, y (e.g. 30s, 1h30m)"
                ),
            });
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Every rule validate applies to an object of `kind`: these and the CRD's.
    fn all(kind: &str, object: &Value) -> Vec<Breach> {
        let resource = crate::kinds::by_group_kind("monitoring.coreos.com/v1", kind).unwrap();
        super::super::breaches(&resource.api_version(), kind, object, "")
    }

    #[test]
    fn the_crds_enums_and_patterns_users_miss_most_here_or_from_the_crd() {
        let p = json!({
            "metadata": {"name": "p"},
            "spec": {"retention": "10 days", "retentionSize": "10Gi", "logLevel": "verbose",
                "logFormat": "text", "serviceDiscoveryRole": "endpointslices",
                "remoteWrite": [{"url": "not-a-url"}, {"url": "https://rw"}],
                "enforcedBodySizeLimit": "512MB"}
        });
        let fields: Vec<String> = all("Prometheus", &p).into_iter().map(|b| b.field).collect();
        assert_eq!(
            fields,
            [
                "spec.retention",
                "spec.retentionSize",
                "spec.remoteWrite[0].url",
                "spec.logLevel",
                "spec.logFormat",
                "spec.serviceDiscoveryRole",
            ]
        );
        let sd = json!({"metadata": {"name": "s"}, "spec": {
            "dnsSDConfigs": [{"names": ["x"], "type": "TXT"}, {"names": ["y"], "type": "SRV"}],
            "dockerSwarmSDConfigs": [{"host": "unix:///var/run/docker.sock", "role": "services"}]}});
        let fields: Vec<String> = all("ScrapeConfig", &sd)
            .into_iter()
            .map(|b| b.field)
            .collect();
        assert_eq!(
            fields,
            [
                "spec.dnsSDConfigs[0].type",
                "spec.dockerSwarmSDConfigs[0].role"
            ]
        );
        let amc = json!({"metadata": {"name": "a"},
            "spec": {"route": {"receiver": "r", "groupWait": "30 seconds", "groupInterval": "5m"}}});
        assert_eq!(all("AlertmanagerConfig", &amc).len(), 1);
        let p = json!({"metadata": {"name": "p"},
            "spec": {"dnsPolicy": "Default2", "podManagementPolicy": "Serial"}});
        assert_eq!(all("Prometheus", &p).len(), 2);
        let rule = json!({"metadata": {"name": "r"},
            "spec": {"groups": [{"name": "g", "partial_response_strategy": "foo", "rules": []},
                {"name": "h", "partial_response_strategy": "Warn", "rules": []}]}});
        assert_eq!(all("PrometheusRule", &rule).len(), 1);
        // An Alertmanager's retention is not Prometheus's duration: its CRD allows no days,
        // and no fractions either.
        for (retention, refused) in [("120h", false), ("1.5h", true), ("5d", true)] {
            let am = json!({"metadata": {"name": "a"}, "spec": {"retention": retention}});
            assert_eq!(!all("Alertmanager", &am).is_empty(), refused, "{retention}");
        }
        let leaky = json!({"metadata": {"name": "p"},
            "spec": {"remoteWrite": [{"url": "htps://u:s3cr3t@rw.example.com"}]}});
        let message = &all("Prometheus", &leaky)[0].message;
        assert!(!message.contains("s3cr3t"), "{message}");
        let sc = json!({
            "metadata": {"name": "s"},
            "spec": {"kubernetesSDConfigs": [{"role": "pod"}, {"role": "Pod"}],
                "relabelings": [{"action": "keepEqual"}, {"action": "KeepEqual"}]}
        });
        let fields: Vec<String> = all("ScrapeConfig", &sc)
            .into_iter()
            .map(|b| b.field)
            .collect();
        assert_eq!(
            fields,
            [
                "spec.kubernetesSDConfigs[0].role",
                "spec.relabelings[0].action"
            ]
        );
        for size in ["0", "512MB", "1.5GiB", "10B", "x10GB"] {
            assert!(is_byte_size(size), "{size}");
        }
        for size in ["10Gi", "10", "10iB", "1.GB"] {
            assert!(!is_byte_size(size), "{size}");
        }
    }

    #[test]
    fn the_crds_cel_rules() {
        let agent = json!({"metadata": {"name": "a"}, "spec": {"mode": "DaemonSet", "replicas": 2,
            "shards": 2, "probeSelector": {}}});
        let fields: Vec<String> = check("PrometheusAgent", &agent, "")
            .into_iter()
            .map(|b| b.field)
            .collect();
        assert_eq!(
            fields,
            ["spec.replicas", "spec.probeSelector", "spec.shards"]
        );
        let prometheus = json!({"metadata": {"name": "p"}, "spec": {
            "shards": 1,
            "shardingStrategy": {"mode": "Topology", "topology": {"values": ["a", "b"]}},
            "updateStrategy": {"type": "OnDelete", "rollingUpdate": {}},
            "remoteWrite": [{"url": "https://rw", "sigv4": {"externalId": "x"}}]}});
        let broken: Vec<String> = check("Prometheus", &prometheus, "")
            .into_iter()
            .map(|b| format!("{}: {}", b.field, b.message))
            .collect();
        assert_eq!(broken.len(), 3, "{broken:?}");
        for field in [
            "spec.remoteWrite[0].sigv4: externalId",
            "spec.shards: shards must be greater",
            "spec.updateStrategy: rollingUpdate",
        ] {
            assert!(broken.iter().any(|b| b.starts_with(field)), "{broken:?}");
        }
        let sc = json!({"metadata": {"name": "s"}, "spec": {"basicAuth": {}, "oauth2": {}}});
        assert_eq!(check("ScrapeConfig", &sc, "").len(), 1);
    }

    #[test]
    fn enums_required_and_patterns() {
        let sm = json!({
            "metadata": {"name": "Bad_Name"},
            "spec": {"endpoints": [{"scheme": "ftp", "interval": "5 minutes",
                "relabelings": [{"action": "Replace"}, {"action": "rename"}],
                "tlsConfig": {"minVersion": "TLS9"}}]}
        });
        let fields: Vec<String> = all("ServiceMonitor", &sm)
            .into_iter()
            .map(|b| b.field)
            .collect();
        assert_eq!(
            fields,
            vec![
                "metadata.name",
                "spec.selector",
                "spec.endpoints[0].interval",
                "spec.endpoints[0].scheme",
                "spec.endpoints[0].relabelings[1].action",
                "spec.endpoints[0].tlsConfig.minVersion",
            ]
        );
    }
}
