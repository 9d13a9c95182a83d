//! Conformance: the `statefulset/` corpus. Each case generates the StatefulSet (or DaemonSet)
//! of one Prometheus, PrometheusAgent or Alertmanager with the case's operator flags and
//! generator inputs, and checks the path/value assertions of `expected.yaml` (format in the
//! corpus README) against the object's Kubernetes JSON.

use std::path::Path;

use serde_json::Value;

use crate::support::{Corpus, Outcome};
use promop::operator::OperatorOptions;
use promop::workload::{self, Instance, Workload, WorkloadInput};

/// The `statefulset/` corpus; cases are named `<workload>/<case>`.
pub fn corpus() -> Corpus {
    Corpus {
        name: "statefulset",
        byte_exact_column: false,
        check,
    }
}

fn check(dir: &Path, name: &str) -> Outcome {
    run_case(&dir.join(name)).into()
}

fn read_json(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    promop::yaml::parse(&text)
        .map(|y| y.to_json())
        .map_err(|e| format!("{}: {e}", path.display()))
}

fn run_case(case_dir: &Path) -> Result<(), String> {
    let case = read_json(&case_dir.join("case.yaml"))?;
    let input = std::fs::read_to_string(case_dir.join("input.yaml")).map_err(|e| e.to_string())?;
    let snapshot = super::support::load_as_built("input.yaml", &input)?;
    let options = operator_options(case.get("options"))?;
    let generator = case.get("generator");
    let field = |key: &str| generator.and_then(|g| g.get(key));
    let workload_input = WorkloadInput {
        shard: field("shard").and_then(Value::as_i64).unwrap_or(0) as i32,
        input_hash: field("inputHash")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned(),
        rule_config_map_names: field("ruleConfigMapNames")
            .and_then(Value::as_array)
            .map(|names| {
                names
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default(),
        tls_assets_shards: field("tlsAssetsShards")
            .and_then(Value::as_u64)
            .unwrap_or(0) as usize,
    };

    let kind = case.get("workload").and_then(Value::as_str).unwrap_or("");
    let generated: Result<Value, String> = match kind {
        "prometheus" => {
            let p = snapshot
                .prometheuses
                .first()
                .ok_or("input.yaml has no Prometheus")?;
            if case.get("target").and_then(Value::as_str) == Some("statefulSetNames") {
                Ok(Value::from(workload::statefulset_shard_names(
                    Instance::Prometheus(p),
                )))
            } else {
                workload::prometheus_statefulset(p, &options, &workload_input)
                    .map_err(|e| e.to_string())
                    .and_then(|g| to_json(&g.object))
            }
        }
        "agent" => {
            let a = snapshot
                .prometheus_agents
                .first()
                .ok_or("input.yaml has no PrometheusAgent")?;
            workload::agent_workload(a, &options, &workload_input)
                .map_err(|e| e.to_string())
                .and_then(|g| match g.object {
                    Workload::StatefulSet(s) => to_json(&s),
                    Workload::DaemonSet(d) => to_json(&d),
                })
        }
        "alertmanager" => {
            let am = snapshot
                .alertmanagers
                .first()
                .ok_or("input.yaml has no Alertmanager")?;
            workload::alertmanager_statefulset(am, &options, &workload_input)
                .map_err(|e| e.to_string())
                .and_then(|g| to_json(&g.object))
        }
        other => return Err(format!("unknown workload {other:?}")),
    };

    match (case.get("expectError"), generated) {
        (Some(Value::String(want)), Err(got)) if got.contains(want.as_str()) => Ok(()),
        (Some(Value::String(want)), Err(got)) => Err(format!("error {got:?} lacks {want:?}")),
        (Some(Value::Bool(true)), Err(_)) => Ok(()),
        (Some(want), Ok(_)) => Err(format!("generated, but the operator fails with {want}")),
        (_, Err(got)) => Err(format!("generation failed: {got}")),
        (_, Ok(object)) => {
            let expected = read_json(&case_dir.join("expected.yaml"))?;
            let failures: Vec<String> = expected
                .as_array()
                .ok_or("expected.yaml is not a list")?
                .iter()
                .filter_map(|assertion| assert(&object, assertion).err())
                .collect();
            if failures.is_empty() {
                Ok(())
            } else {
                Err(failures.join("\n"))
            }
        }
    }
}

fn to_json<T: serde::Serialize>(object: &T) -> Result<Value, String> {
    serde_json::to_value(object).map_err(|e| e.to_string())
}

/// The operator flags of `case.yaml`, complete: a flag left out is Go's zero value.
fn operator_options(options: Option<&Value>) -> Result<OperatorOptions, String> {
    let flag = |name: &str| -> Option<String> {
        Some(
            options
                .and_then(|o| o.get(name))
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned(),
        )
    };
    let mut result = OperatorOptions {
        config_reloader_image: flag("--prometheus-config-reloader"),
        config_reloader_cpu_request: flag("--config-reloader-cpu-request"),
        config_reloader_cpu_limit: flag("--config-reloader-cpu-limit"),
        config_reloader_memory_request: flag("--config-reloader-memory-request"),
        config_reloader_memory_limit: flag("--config-reloader-memory-limit"),
        prometheus_default_base_image: flag("--prometheus-default-base-image"),
        thanos_default_base_image: flag("--thanos-default-base-image"),
        alertmanager_default_base_image: flag("--alertmanager-default-base-image"),
        localhost: flag("--localhost"),
        cluster_domain: flag("--cluster-domain").unwrap_or_default(),
        ..OperatorOptions::default()
    };
    let gates = flag("--feature-gates").unwrap_or_default();
    for gate in gates.split(',').filter(|g| !g.is_empty()) {
        let (name, value) = gate.split_once('=').unwrap_or((gate, "true"));
        let enabled = value == "true";
        match name {
            "PrometheusAgentDaemonSet" => result.daemon_set = enabled,
            "PrometheusTopologySharding" => result.topology_sharding = enabled,
            other => return Err(format!("unknown feature gate {other}")),
        }
    }
    Ok(result)
}

/// One step of an assertion path.
#[derive(Debug)]
enum Step {
    Field(String),
    Index(i64),
    All,
    /// Items whose sub-paths equal the values (chained filters on the same list).
    Filter(Vec<(String, String)>),
}

fn parse_path(path: &str) -> Result<Vec<Step>, String> {
    let mut steps = Vec::new();
    let mut rest = path;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('[') {
            let (inner, tail) = after
                .split_once(']')
                .ok_or_else(|| format!("unclosed [ in {path}"))?;
            rest = tail;
            if inner == "*" {
                steps.push(Step::All);
            } else if let Some((field, value)) = inner.split_once('=') {
                let condition = (field.to_owned(), value.to_owned());
                match steps.last_mut() {
                    Some(Step::Filter(conditions)) => conditions.push(condition),
                    _ => steps.push(Step::Filter(vec![condition])),
                }
            } else {
                steps.push(Step::Index(
                    inner
                        .parse()
                        .map_err(|_| format!("bad index [{inner}] in {path}"))?,
                ));
            }
        } else {
            let rest_trimmed = rest.strip_prefix('.').unwrap_or(rest);
            let end = rest_trimmed.find(['.', '[']).unwrap_or(rest_trimmed.len());
            let (name, tail) = rest_trimmed.split_at(end);
            steps.push(Step::Field(name.to_owned()));
            rest = tail;
        }
    }
    Ok(steps)
}

/// The value at a dotted sub-path (no brackets), for filters.
fn sub_value<'a>(value: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(value, |v, key| v.get(key))
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Result of walking a path: passes or fails, or resolves to nothing through a filter that
/// matched no item.
enum Walk {
    Checked(Result<(), String>),
    Nothing,
}

fn walk(
    value: Option<&Value>,
    steps: &[Step],
    check: &dyn Fn(Option<&Value>) -> Result<(), String>,
    collect: bool,
) -> Walk {
    let Some((step, rest)) = steps.split_first() else {
        return Walk::Checked(check(value));
    };
    match step {
        Step::Field(name) => walk(value.and_then(|v| v.get(name)), rest, check, collect),
        Step::Index(i) => {
            let items = value.and_then(Value::as_array);
            let item = items.and_then(|items| {
                let index = if *i < 0 { items.len() as i64 + i } else { *i };
                usize::try_from(index).ok().and_then(|i| items.get(i))
            });
            walk(item, rest, check, collect)
        }
        Step::All => {
            let items: Vec<&Value> = value
                .and_then(Value::as_array)
                .map(|a| a.iter().collect())
                .unwrap_or_default();
            if collect {
                let gathered: Vec<Value> = items
                    .iter()
                    .filter_map(|item| resolve(item, rest))
                    .collect();
                return Walk::Checked(check(Some(&Value::Array(gathered))));
            }
            for (i, item) in items.iter().enumerate() {
                match walk(Some(item), rest, check, collect) {
                    Walk::Checked(Err(why)) => return Walk::Checked(Err(format!("[{i}]: {why}"))),
                    Walk::Checked(Ok(())) | Walk::Nothing => {}
                }
            }
            Walk::Checked(Ok(()))
        }
        Step::Filter(conditions) => {
            let matching: Vec<&Value> = value
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter(|item| {
                    conditions.iter().all(|(field, want)| {
                        sub_value(item, field).and_then(scalar_text).as_deref()
                            == Some(want.as_str())
                    })
                })
                .collect();
            if matching.is_empty() {
                return Walk::Nothing;
            }
            let mut last_failure = None;
            for item in matching {
                match walk(Some(item), rest, check, collect) {
                    Walk::Checked(Ok(())) => return Walk::Checked(Ok(())),
                    Walk::Checked(Err(why)) => last_failure = Some(why),
                    Walk::Nothing => {}
                }
            }
            match last_failure {
                Some(why) => Walk::Checked(Err(why)),
                None => Walk::Nothing,
            }
        }
    }
}

/// The value at `steps` without quantifiers (first filter match), for `collect` and
/// `substringOf`.
fn resolve(value: &Value, steps: &[Step]) -> Option<Value> {
    let Some((step, rest)) = steps.split_first() else {
        return Some(value.clone());
    };
    match step {
        Step::Field(name) => resolve(value.get(name)?, rest),
        Step::Index(i) => {
            let items = value.as_array()?;
            let index = if *i < 0 { items.len() as i64 + i } else { *i };
            resolve(items.get(usize::try_from(index).ok()?)?, rest)
        }
        Step::All => Some(Value::Array(
            value
                .as_array()?
                .iter()
                .filter_map(|v| resolve(v, rest))
                .collect(),
        )),
        Step::Filter(conditions) => value.as_array()?.iter().find_map(|item| {
            let matches = conditions.iter().all(|(f, want)| {
                sub_value(item, f).and_then(scalar_text).as_deref() == Some(want.as_str())
            });
            if matches { resolve(item, rest) } else { None }
        }),
    }
}

fn assert(object: &Value, assertion: &Value) -> Result<(), String> {
    let path = assertion
        .get("path")
        .and_then(Value::as_str)
        .ok_or("assertion without path")?;
    let flag = |key: &str| assertion.get(key).and_then(Value::as_bool).unwrap_or(false);
    let optional = flag("optional");
    let strict = flag("strict");
    let collect = flag("collect");
    let steps = parse_path(path)?;
    let expects_absence = flag("absent");
    let check = |value: Option<&Value>| operator(object, assertion, value, strict);
    match walk(Some(object), &steps, &check, collect) {
        Walk::Checked(Ok(())) => Ok(()),
        Walk::Checked(Err(why)) => Err(format!("{path}: {why}")),
        Walk::Nothing if optional || expects_absence => Ok(()),
        Walk::Nothing => Err(format!("{path}: no item matches the selector")),
    }
}

fn is_nothing(value: Option<&Value>) -> bool {
    match value {
        None | Some(Value::Null) => true,
        Some(Value::Array(a)) => a.is_empty(),
        Some(Value::Object(o)) => o.is_empty(),
        _ => false,
    }
}

fn strings(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        Some(Value::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    }
}

fn operator(
    object: &Value,
    assertion: &Value,
    value: Option<&Value>,
    strict: bool,
) -> Result<(), String> {
    let shown = || value.map_or("<missing>".to_owned(), |v| v.to_string());
    let ok = |holds: bool, what: String| if holds { Ok(()) } else { Err(what) };
    if let Some(want) = assertion.get("equals") {
        if strict && value.is_none() && want.is_boolean() {
            return Err(format!("want explicit {want}, field unset"));
        }
        return ok(
            deep_eq(value, want),
            format!("want {want}, got {}", shown()),
        );
    }
    if let Some(want) = assertion.get("notEquals") {
        return ok(
            !deep_eq(value, want),
            format!("want not {want}, got {}", shown()),
        );
    }
    if assertion.get("present").is_some() {
        return ok(
            !matches!(value, None | Some(Value::Null)),
            "want present, got nothing".to_owned(),
        );
    }
    if assertion.get("absent").is_some() {
        return ok(is_nothing(value), format!("want absent, got {}", shown()));
    }
    if assertion.get("empty").is_some() {
        return ok(is_nothing(value), format!("want empty, got {}", shown()));
    }
    if assertion.get("notEmpty").is_some() {
        return ok(!is_nothing(value), "want non-empty, got nothing".to_owned());
    }
    if let Some(want) = assertion.get("length").and_then(Value::as_u64) {
        let len = value.and_then(Value::as_array).map_or(0, Vec::len) as u64;
        return ok(
            len == want,
            format!("want length {want}, got {len}: {}", shown()),
        );
    }
    let list: Vec<Value> = value.and_then(Value::as_array).cloned().unwrap_or_default();
    if let Some(wanted) = assertion.get("contains").and_then(Value::as_array) {
        let missing: Vec<&Value> = wanted
            .iter()
            .filter(|w| !list.iter().any(|v| deep_eq(Some(v), w)))
            .collect();
        return ok(
            missing.is_empty(),
            format!("lacks {missing:?} in {}", shown()),
        );
    }
    if let Some(unwanted) = assertion.get("notContains").and_then(Value::as_array) {
        let found: Vec<&Value> = unwanted
            .iter()
            .filter(|w| list.iter().any(|v| deep_eq(Some(v), w)))
            .collect();
        return ok(found.is_empty(), format!("has {found:?} in {}", shown()));
    }
    let texts = strings(value);
    let string_op = |key: &str, test: &dyn Fn(&str, &str) -> bool, negate: bool| {
        assertion.get(key).and_then(Value::as_str).map(|s| {
            let any = texts.iter().any(|t| test(t, s));
            ok(any != negate, format!("{key} {s:?} fails on {}", shown()))
        })
    };
    let starts = |t: &str, s: &str| t.starts_with(s);
    let has = |t: &str, s: &str| t.contains(s);
    let flag = |t: &str, s: &str| t == format!("--{s}") || t.starts_with(&format!("--{s}="));
    for (key, test, negate) in [
        (
            "containsPrefix",
            &starts as &dyn Fn(&str, &str) -> bool,
            false,
        ),
        ("notContainsPrefix", &starts, true),
        ("containsSubstring", &has, false),
        ("notContainsSubstring", &has, true),
        ("containsFlag", &flag, false),
        ("notContainsFlag", &flag, true),
    ] {
        if let Some(result) = string_op(key, test, negate) {
            return result;
        }
    }
    if let Some(spec) = assertion.get("firstWithPrefix") {
        let prefix = spec.get("prefix").and_then(Value::as_str).unwrap_or("");
        let first = texts.iter().find(|t| t.starts_with(prefix));
        let want = spec.get("equals").and_then(Value::as_str);
        return ok(
            first.map(String::as_str) == want,
            format!("first {prefix:?} is {first:?}, want {want:?}"),
        );
    }
    if let Some(spec) = assertion.get("flagListElementsMatch") {
        let prefix = spec.get("prefix").and_then(Value::as_str).unwrap_or("");
        let separator = spec.get("separator").and_then(Value::as_str).unwrap_or(",");
        let mut got: Vec<String> = texts
            .iter()
            .filter_map(|t| t.strip_prefix(prefix))
            .flat_map(|t| t.split(separator).map(str::to_owned).collect::<Vec<_>>())
            .collect();
        let mut want = strings(spec.get("values"));
        got.sort();
        want.sort();
        return ok(got == want, format!("elements {got:?}, want {want:?}"));
    }
    if let Some(prefix) = assertion.get("startsWith").and_then(Value::as_str) {
        let text = value.and_then(Value::as_str).unwrap_or("");
        return ok(
            text.starts_with(prefix),
            format!("{text:?} does not start with {prefix:?}"),
        );
    }
    if let Some(choices) = assertion.get("in").and_then(Value::as_array) {
        return ok(
            choices.iter().any(|c| deep_eq(value, c)),
            format!("{} not in {choices:?}", shown()),
        );
    }
    if let Some(spec) = assertion.get("substringOf") {
        let other_path = spec.get("path").and_then(Value::as_str).unwrap_or("");
        let join = spec.get("join").and_then(Value::as_str).unwrap_or(" ");
        let other = parse_path(other_path)
            .ok()
            .and_then(|steps| resolve(object, &steps));
        let haystack = strings(other.as_ref()).join(join);
        let needle = value.and_then(Value::as_str).unwrap_or("");
        return ok(
            !needle.is_empty() && haystack.contains(needle),
            format!("{needle:?} not in {other_path}"),
        );
    }
    Err(format!("no known operator in {assertion}"))
}

/// Deep equality with the corpus rules: maps unordered, a missing or empty value equals its
/// zero value, quantities compare as quantities, numbers numerically.
fn deep_eq(actual: Option<&Value>, expected: &Value) -> bool {
    let actual = actual.unwrap_or(&Value::Null);
    match (actual, expected) {
        (Value::Null, e) => is_zero(e),
        (a, Value::Null) => is_zero(a),
        (Value::Object(a), Value::Object(e)) => {
            e.iter().all(|(k, ev)| deep_eq(a.get(k), ev))
                && a.iter()
                    .filter(|(k, _)| !e.contains_key(*k))
                    .all(|(_, av)| is_zero(av))
        }
        (Value::Array(a), Value::Array(e)) => {
            a.len() == e.len() && a.iter().zip(e).all(|(av, ev)| deep_eq(Some(av), ev))
        }
        (Value::Number(a), Value::Number(e)) => a.as_f64() == e.as_f64(),
        (Value::String(a), Value::String(e)) => {
            a == e
                || quantity(a)
                    .zip(quantity(e))
                    .is_some_and(|(x, y)| (x - y).abs() < 1e-9)
        }
        (a, e) => a == e,
    }
}

fn is_zero(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.values().all(is_zero),
    }
}

/// A Kubernetes quantity (`100m`, `50Mi`, `1.5G`, `1e3`) as a number.
fn quantity(text: &str) -> Option<f64> {
    const SUFFIXES: [(&str, f64); 13] = [
        ("Ki", 1024.0),
        ("Mi", 1048576.0),
        ("Gi", 1073741824.0),
        ("Ti", 1099511627776.0),
        ("Pi", 1125899906842624.0),
        ("Ei", 1152921504606846976.0),
        ("n", 1e-9),
        ("u", 1e-6),
        ("m", 1e-3),
        ("k", 1e3),
        ("M", 1e6),
        ("G", 1e9),
        ("T", 1e12),
    ];
    let text = text.trim();
    for (suffix, factor) in SUFFIXES {
        if let Some(number) = text.strip_suffix(suffix) {
            return number.parse::<f64>().ok().map(|n| n * factor);
        }
    }
    text.parse::<f64>().ok()
}
