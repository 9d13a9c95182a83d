//! Conformance: the `rules/` corpus (PrometheusRule selection, enforcement, rule files and
//! ConfigMaps, sync, validation, the mutating webhook). `case.yaml`'s `function` says which
//! library call a case exercises; see the corpus README for the formats.

use std::collections::BTreeMap;
use std::path::Path;

use crate::support::{Corpus, Outcome};
use promop::monitoring::v1::PrometheusRule;
use promop::relabel::NameValidationScheme;
use promop::rules::admission::{Hook, WebhookOptions, admit};
use promop::rules::{self, Instance, ParserOptions, RuleConfigMap, RuleOutcome, Stage};
use promop::snapshot::Snapshot;
use promop::watched::Namespaces;
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Case {
    function: String,
    #[serde(default)]
    layer: String,
    #[serde(default)]
    options: CaseOptions,
    #[serde(default)]
    rule_files: BTreeMap<String, String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct CaseOptions {
    #[serde(default)]
    namespaces: Vec<String>,
    #[serde(default)]
    name_validation_scheme: Option<String>,
    #[serde(default)]
    promql_options: Vec<String>,
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn yaml_json(text: &str) -> Result<Value, String> {
    promop::yaml::parse(text)
        .map(|y| y.to_json())
        .map_err(|e| e.to_string())
}

fn typed<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, String> {
    serde_json::from_value(yaml_json(text)?).map_err(|e| e.to_string())
}

fn load(text: &str) -> Result<Snapshot, String> {
    super::support::load_as_built("input.yaml", text)
}

fn instance(snapshot: &Snapshot) -> Result<Instance<'_>, String> {
    match (
        snapshot.prometheuses.first(),
        snapshot.thanos_rulers.first(),
    ) {
        (Some(p), _) => Ok(Instance::Prometheus(p)),
        (None, Some(t)) => Ok(Instance::ThanosRuler(t)),
        _ => Err("no Prometheus or ThanosRuler in input".to_owned()),
    }
}

fn check(dir: &Path, case: &str) -> Outcome {
    let dir = dir.join(case);
    let run = || -> Result<bool, String> {
        let case: Case = typed(&read(&dir.join("case.yaml"))?)?;
        let input = read(&dir.join("input.yaml"))?;
        let expected = yaml_json(&read(&dir.join("expected.yaml"))?)?;
        match case.function.as_str() {
            "generate" | "select" => generate(&case, &input, &expected),
            "enforce" => enforce(&input, &expected).map(|()| false),
            "sync" => sync(&case, &input, &expected).map(|()| false),
            "validate" => validate(&case, &input, &expected).map(|()| false),
            "mutate" => mutate(&input, &expected).map(|()| false),
            other => Err(format!("unknown function {other:?}")),
        }
    };
    match run() {
        Ok(byte_exact) => Outcome::Pass { byte_exact },
        Err(why) => Outcome::Fail(why),
    }
}

fn strings(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// Returns whether every ConfigMap's data matched byte for byte.
fn generate(case: &Case, input: &str, expected: &Value) -> Result<bool, String> {
    let snapshot = load(input)?;
    let instance = instance(&snapshot)?;
    let options = Namespaces {
        allow: case.options.namespaces.clone(),
        ..Namespaces::default()
    };
    let selection = rules::select(&snapshot, instance, &options).map_err(|e| e.to_string())?;
    let mut problems = Vec::new();
    let selected = selection.keys(|o| matches!(o, RuleOutcome::Selected(_)));
    let rejected = selection.keys(|o| matches!(o, RuleOutcome::Rejected(_)));
    for (what, got) in [("selected", &selected), ("rejected", &rejected)] {
        let want = strings(expected.get(what));
        if *got != want {
            let outcomes: Vec<String> = selection
                .candidates
                .iter()
                .map(|c| format!("{}: {:?}", c.key, c.outcome))
                .collect();
            problems.push(format!(
                "{what}: want {want:?}, got {got:?} ({})",
                outcomes.join("; ")
            ));
        }
    }
    let mut byte_exact = false;
    if let Some(want) = expected.get("configMaps").and_then(Value::as_array) {
        let config_maps = rules::generate(instance, &selection);
        byte_exact = compare_config_maps(&config_maps, want, &mut problems);
        if let Some(mounted) = expected.get("mountedConfigMapNames") {
            let got = rules::mounted_config_map_names(instance, &config_maps);
            if got != strings(Some(mounted)) {
                problems.push(format!(
                    "mountedConfigMapNames: want {mounted}, got {got:?}"
                ));
            }
        }
    }
    if problems.is_empty() {
        Ok(byte_exact)
    } else {
        Err(problems.join("\n"))
    }
}

/// Compares ConfigMaps; returns whether the data also matched byte for byte.
fn compare_config_maps(got: &[RuleConfigMap], want: &[Value], problems: &mut Vec<String>) -> bool {
    let mut byte_exact = true;
    if got.len() != want.len() {
        problems.push(format!(
            "configMaps: want {} ({:?}), got {} ({:?})",
            want.len(),
            want.iter().map(|w| &w["name"]).collect::<Vec<_>>(),
            got.len(),
            got.iter().map(|g| &g.name).collect::<Vec<_>>()
        ));
        return false;
    }
    for (g, w) in got.iter().zip(want) {
        if w["name"].as_str() != Some(g.name.as_str()) {
            problems.push(format!(
                "configMap name: want {}, got {}",
                w["name"], g.name
            ));
        }
        let labels: BTreeMap<String, String> =
            serde_json::from_value(w["labels"].clone()).unwrap_or_default();
        if labels != g.labels {
            problems.push(format!(
                "{}: labels want {labels:?}, got {:?}",
                g.name, g.labels
            ));
        }
        let data: BTreeMap<String, String> =
            serde_json::from_value(w.get("data").cloned().unwrap_or(Value::Null))
                .unwrap_or_default();
        if data.keys().ne(g.files.keys()) {
            problems.push(format!(
                "{}: files want {:?}, got {:?}",
                g.name,
                data.keys().collect::<Vec<_>>(),
                g.files.keys().collect::<Vec<_>>()
            ));
            continue;
        }
        for (name, text) in &data {
            let ours = &g.files[name];
            if ours == text {
                continue;
            }
            byte_exact = false;
            let same_data = match (yaml_json(text), yaml_json(ours)) {
                (Ok(a), Ok(b)) => a == b,
                _ => false,
            };
            if !same_data {
                problems.push(format!(
                    "{}: {name} differs:\n--- want\n{text}\n--- got\n{ours}",
                    g.name
                ));
            }
        }
    }
    byte_exact
}

fn enforce(input: &str, expected: &Value) -> Result<(), String> {
    let snapshot = load(input)?;
    let instance = instance(&snapshot)?;
    let mut rule = snapshot
        .prometheus_rules
        .first()
        .cloned()
        .ok_or("no PrometheusRule in input")?;
    instance
        .labeler()
        .enforce(&mut rule)
        .map_err(|e| e.to_string())?;
    let want: PrometheusRule =
        serde_json::from_value(expected["prometheusRule"].clone()).map_err(|e| e.to_string())?;
    if want.spec != rule.spec {
        return Err(format!("spec: want {:?}\ngot {:?}", want.spec, rule.spec));
    }
    Ok(())
}

/// A ConfigMap after `Sync`: uid, labels, data.
type StoredConfigMap = (
    Option<String>,
    BTreeMap<String, String>,
    BTreeMap<String, String>,
);

fn sync(case: &Case, input: &str, expected: &Value) -> Result<(), String> {
    let snapshot = load(input)?;
    let instance = instance(&snapshot)?;
    let plan = rules::sync(instance, &case.rule_files, &snapshot.config_maps);
    let mut problems = Vec::new();
    let want_names = strings(expected.get("configMapNames"));
    if plan.names != want_names {
        problems.push(format!(
            "configMapNames: want {want_names:?}, got {:?}",
            plan.names
        ));
    }
    if let Some(mounted) = expected.get("mountedConfigMapNames") {
        let mut names = plan.names.clone();
        for i in names.len()..3 {
            names.push(format!("{}-rulefiles-{i}", instance.config_map_prefix()));
        }
        if names != strings(Some(mounted)) {
            problems.push(format!(
                "mountedConfigMapNames: want {mounted}, got {names:?}"
            ));
        }
    }
    // The namespace afterwards: existing ConfigMaps, minus deletions, with the writes applied
    // (an update keeps the uid and merges the existing labels, as CreateOrUpdateConfigMap does).
    let mut after: BTreeMap<String, StoredConfigMap> = BTreeMap::new();
    for cm in &snapshot.config_maps {
        let name = cm.metadata.name.clone().unwrap_or_default();
        if plan.delete.contains(&name) {
            continue;
        }
        after.insert(
            name,
            (
                cm.metadata.uid.clone(),
                cm.metadata.labels.clone().unwrap_or_default(),
                cm.data.clone().unwrap_or_default(),
            ),
        );
    }
    for write in &plan.write {
        let entry =
            after
                .entry(write.name.clone())
                .or_insert((None, BTreeMap::new(), BTreeMap::new()));
        entry.1.extend(write.labels.clone());
        entry.2 = write.files.clone();
    }
    let want = expected
        .get("configMaps")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let got_names: Vec<&String> = after.keys().collect();
    let want_names: Vec<&str> = want.iter().filter_map(|w| w["name"].as_str()).collect();
    if got_names != want_names {
        problems.push(format!(
            "configMaps: want {want_names:?}, got {got_names:?}"
        ));
    } else {
        for w in &want {
            let name = w["name"].as_str().unwrap_or("");
            let (uid, labels, data) = &after[name];
            if let Some(want_uid) = w.get("uid").and_then(Value::as_str)
                && uid.as_deref() != Some(want_uid)
            {
                problems.push(format!("{name}: uid want {want_uid}, got {uid:?}"));
            }
            let want_labels: BTreeMap<String, String> =
                serde_json::from_value(w["labels"].clone()).unwrap_or_default();
            if &want_labels != labels {
                problems.push(format!(
                    "{name}: labels want {want_labels:?}, got {labels:?}"
                ));
            }
            let want_data: BTreeMap<String, String> =
                serde_json::from_value(w.get("data").cloned().unwrap_or(Value::Null))
                    .unwrap_or_default();
            if &want_data != data {
                problems.push(format!(
                    "{name}: data keys want {:?}, got {:?}",
                    want_data.keys().collect::<Vec<_>>(),
                    data.keys().collect::<Vec<_>>()
                ));
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

fn stage_name(stage: Stage) -> &'static str {
    match stage {
        Stage::Decode => "decode",
        Stage::Size => "size",
        Stage::Rulefmt => "rulefmt",
        Stage::Schema => "schema",
    }
}

fn validate(case: &Case, input: &str, expected: &Value) -> Result<(), String> {
    let object = yaml_json(input)?;
    let findings = if case.layer == "schema" {
        rules::schema::check(&object)
    } else {
        let scheme = match case.options.name_validation_scheme.as_deref() {
            Some("utf8") => NameValidationScheme::Utf8,
            _ => NameValidationScheme::Legacy,
        };
        let parser = ParserOptions::from_webhook_flags(&case.options.promql_options)?;
        admit(Hook::Validate, &object, &WebhookOptions { scheme, parser }).causes
    };
    let messages: Vec<String> = findings
        .iter()
        .map(|f| format!("{}: {}", f.field, f.message))
        .collect();
    if expected["valid"] == Value::Bool(true) {
        return if findings.is_empty() {
            Ok(())
        } else {
            Err(format!("want valid, got {messages:?}"))
        };
    }
    let Some(first) = findings.first() else {
        return Err("want invalid, got valid".to_owned());
    };
    if let Some(stage) = expected["stage"].as_str()
        && stage != stage_name(first.stage)
    {
        return Err(format!(
            "stage: want {stage}, got {} ({messages:?})",
            stage_name(first.stage)
        ));
    }
    if let Some(want) = expected["expectError"].as_str()
        && !messages.iter().any(|m| m.contains(want))
    {
        return Err(format!(
            "want an error containing {want:?}, got {messages:?}"
        ));
    }
    if let Some(want) = expected["expectErrors"].as_array() {
        let want: Vec<&str> = want.iter().filter_map(Value::as_str).collect();
        let matched =
            want.len() == messages.len() && want.iter().zip(&messages).all(|(w, m)| m.contains(w));
        if !matched {
            return Err(format!("want errors {want:?}, got {messages:?}"));
        }
    }
    Ok(())
}

fn mutate(input: &str, expected: &Value) -> Result<(), String> {
    let object = yaml_json(input)?;
    let answer = admit(Hook::Mutate, &object, &WebhookOptions::default());
    if Value::Bool(answer.allowed) != expected["allowed"] {
        return Err(format!(
            "allowed: want {}, got {}",
            expected["allowed"], answer.allowed
        ));
    }
    let want_patch = expected["patch"].as_array().cloned().unwrap_or_default();
    let unordered_equal = want_patch.len() == answer.patch.len()
        && want_patch.iter().all(|w| answer.patch.contains(w));
    if !unordered_equal {
        return Err(format!(
            "patch: want {want_patch:?}, got {:?}",
            answer.patch
        ));
    }
    let mut patched = object;
    for op in &answer.patch {
        apply(&mut patched, op)?;
    }
    if patched != expected["object"] {
        return Err(format!(
            "object after patch: want {}, got {patched}",
            expected["object"]
        ));
    }
    Ok(())
}

/// Applies one JSON-patch `add` / `replace` operation.
fn apply(document: &mut Value, op: &Value) -> Result<(), String> {
    let path = op["path"].as_str().ok_or("patch without path")?;
    let (parent, key) = path.rsplit_once('/').ok_or("bad path")?;
    let target = document
        .pointer_mut(parent)
        .and_then(Value::as_object_mut)
        .ok_or_else(|| format!("patch path {path} has no parent"))?;
    target.insert(key.to_owned(), op["value"].clone());
    Ok(())
}

/// The `rules/` corpus.
pub fn corpus() -> Corpus {
    Corpus {
        name: "rules",
        byte_exact_column: true,
        check,
    }
}
