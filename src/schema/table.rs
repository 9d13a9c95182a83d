//! A small hand-written table of the schema rules that matter most and that the typed decoding
//! cannot see (the types keep enums as strings): allowed values, required fields, and patterns.
//! It is deliberately partial — the fields users get wrong most often — not a copy of the CRDs.

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

/// Relabeling actions (compared without case, as the operator does).
const RELABEL_ACTIONS: &[&str] = &[
    "replace",
    "keep",
    "drop",
    "hashmod",
    "labelmap",
    "labeldrop",
    "labelkeep",
    "lowercase",
    "uppercase",
    "keepequal",
    "dropequal",
];
/// Lists of relabeling rules, by field name.
const RELABEL_LISTS: &[&str] = &[
    "relabelings",
    "metricRelabelings",
    "relabelConfigs",
    "metricRelabelConfigs",
    "writeRelabelConfigs",
];
const SCHEMES: &[&str] = &["http", "https", "HTTP", "HTTPS"];
const SCRAPE_PROTOCOLS: &[&str] = &[
    "PrometheusProto",
    "OpenMetricsText0.0.1",
    "OpenMetricsText1.0.0",
    "PrometheusText0.0.4",
    "PrometheusText1.0.0",
];
const TLS_VERSIONS: &[&str] = &["TLS10", "TLS11", "TLS12", "TLS13"];
/// Fields holding a Prometheus duration.
const DURATIONS: &[&str] = &[
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
        "PrometheusRule" => &["spec"],
        _ => &[],
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
        walk(spec, &at("spec"), None, &mut out);
    }
    out
}

fn join(prefix: &str, path: &str) -> String {
    if prefix.is_empty() {
        path.to_owned()
    } else {
        format!("{prefix}.{path}")
    }
}

fn one_of(value: &str, allowed: &[&str], ignore_case: bool) -> bool {
    allowed.iter().any(|a| {
        if ignore_case {
            a.eq_ignore_ascii_case(value)
        } else {
            *a == value
        }
    })
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
    let in_relabeling = list.is_some_and(|l| RELABEL_LISTS.contains(&l));
    match (key, value) {
        ("action", Value::String(action))
            if in_relabeling && !one_of(action, RELABEL_ACTIONS, true) =>
        {
            out.push(unsupported(path.to_owned(), action, RELABEL_ACTIONS));
        }
        ("scheme", Value::String(scheme)) if !one_of(scheme, SCHEMES, false) => {
            out.push(unsupported(path.to_owned(), scheme, SCHEMES));
        }
        ("scrapeProtocols", Value::Array(protocols)) => {
            for (i, protocol) in protocols.iter().enumerate() {
                if let Value::String(p) = protocol
                    && !one_of(p, SCRAPE_PROTOCOLS, false)
                {
                    out.push(unsupported(format!("{path}[{i}]"), p, SCRAPE_PROTOCOLS));
                }
            }
        }
        ("fallbackScrapeProtocol", Value::String(p)) if !one_of(p, SCRAPE_PROTOCOLS, false) => {
            out.push(unsupported(path.to_owned(), p, SCRAPE_PROTOCOLS));
        }
        ("minVersion" | "maxVersion", Value::String(v))
            if path.contains("tlsConfig") && !one_of(v, TLS_VERSIONS, false) =>
        {
            out.push(unsupported(path.to_owned(), v, TLS_VERSIONS));
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

    #[test]
    fn enums_required_and_patterns() {
        let sm = json!({
            "metadata": {"name": "Bad_Name"},
            "spec": {"endpoints": [{"scheme": "ftp", "interval": "5 minutes",
                "relabelings": [{"action": "Replace"}, {"action": "rename"}],
                "tlsConfig": {"minVersion": "TLS9"}}]}
        });
        let fields: Vec<String> = check("ServiceMonitor", &sm, "")
            .into_iter()
            .map(|b| b.field)
            .collect();
        assert_eq!(
            fields,
            vec![
                "metadata.name",
                "spec.selector",
                "spec.endpoints[0].scheme",
                "spec.endpoints[0].interval",
                "spec.endpoints[0].relabelings[1].action",
                "spec.endpoints[0].tlsConfig.minVersion",
            ]
        );
    }
}
