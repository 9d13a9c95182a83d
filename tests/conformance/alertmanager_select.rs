//! Conformance: the `alertmanager-select/` corpus. Selection cases run the AlertmanagerConfig
//! selection of the case's Alertmanager and compare the selected and rejected lists (and the
//! first failing check of each rejection); base-configuration cases run the whole
//! provisioning; `validate` cases run the admission webhook's validation on one resource.

use std::path::Path;

use crate::support::{Corpus, Outcome};
use promop::alertmanager::validation;
use promop::alertmanager::{self, BaseSource};
use promop::monitoring::v1alpha1::alertmanager_config::ApiVersion;
use promop::monitoring::{v1alpha1, v1beta1};
use promop::watched::Namespaces;
use promop::yaml::{Map, Yaml};

pub fn corpus() -> Corpus {
    Corpus {
        name: "alertmanager-select",
        byte_exact_column: false,
        check,
    }
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn yaml(path: &Path) -> Result<Yaml, String> {
    promop::yaml::parse(&read(path)?).map_err(|e| format!("{}: {e}", path.display()))
}

fn strings(node: Option<&Yaml>) -> Vec<String> {
    node.and_then(Yaml::as_seq)
        .unwrap_or(&[])
        .iter()
        .filter_map(Yaml::as_str)
        .map(str::to_owned)
        .collect()
}

fn check(dir: &Path, name: &str) -> Outcome {
    match run_case(&dir.join(name)) {
        Ok(()) => Outcome::Pass { byte_exact: false },
        Err(why) => Outcome::Fail(why),
    }
}

fn run_case(dir: &Path) -> Result<(), String> {
    let case = yaml(&dir.join("case.yaml"))?;
    let case = case.as_map().ok_or("case.yaml is not a mapping")?;
    if case.get("function").and_then(Yaml::as_str) == Some("validate") {
        return validate(dir, case);
    }
    let options = case
        .get("options")
        .and_then(Yaml::as_map)
        .map(|o| Namespaces {
            allow: strings(o.get("namespaces")),
            deny: strings(o.get("denyNamespaces")),
            alertmanager_configs: strings(o.get("alertmanagerConfigNamespaces")),
            ..Namespaces::default()
        })
        .unwrap_or_default();
    let input = read(&dir.join("input.yaml"))?;
    let snapshot = super::support::load_as_built("input.yaml", &input)?;
    let am = snapshot
        .alertmanagers
        .first()
        .ok_or("input.yaml has no Alertmanager")?;
    let expected = yaml(&dir.join("expected.yaml"))?;
    let expected = expected.as_map().ok_or("expected.yaml is not a mapping")?;
    let mut problems = Vec::new();

    let selection = if let Some(want) = expected.get("baseConfig").and_then(Yaml::as_map) {
        match alertmanager::provision(&snapshot, am, &options) {
            Err(e) => {
                let got = e.to_string();
                match want.get("error").and_then(Yaml::as_str) {
                    Some(w) if got.contains(w) => {}
                    _ => problems.push(format!("provisioning failed: {got}")),
                }
                None
            }
            Ok((generated, selection)) => {
                if want.contains_key("error") {
                    problems.push("provisioning succeeded; the operator fails".to_owned());
                }
                compare_base(want, expected, &generated, &mut problems);
                selection
            }
        }
    } else {
        match alertmanager::select(&snapshot, am, &options) {
            Ok(selection) => Some(selection),
            Err(e) => return Err(format!("selection failed: {e}")),
        }
    };

    if let Some(selection) = selection {
        let keys = |f: fn(&alertmanager::Outcome) -> bool| -> Vec<String> {
            selection
                .candidates
                .iter()
                .filter(|c| f(&c.outcome))
                .map(|c| c.key.clone())
                .collect()
        };
        let selected = keys(|o| *o == alertmanager::Outcome::Selected);
        let rejected = keys(|o| matches!(o, alertmanager::Outcome::Rejected(_)));
        if expected.contains_key("selected") && selected != strings(expected.get("selected")) {
            problems.push(format!(
                "selected: want {:?}, got {selected:?}",
                strings(expected.get("selected"))
            ));
        }
        if expected.contains_key("rejected") && rejected != strings(expected.get("rejected")) {
            problems.push(format!(
                "rejected: want {:?}, got {rejected:?}",
                strings(expected.get("rejected"))
            ));
        }
        let reasons: Vec<String> = selection
            .candidates
            .iter()
            .map(|c| format!("{}: {:?}", c.key, c.outcome))
            .collect();
        if let Some(errors) = case.get("rejectErrors").and_then(Yaml::as_map) {
            for (key, want) in errors.iter() {
                let want = want.as_str().unwrap_or("");
                let got = selection.candidates.iter().find(|c| c.key == key);
                match got.map(|c| &c.outcome) {
                    Some(alertmanager::Outcome::Rejected(v)) if v.message.contains(want) => {}
                    other => problems.push(format!(
                        "{key}: want a rejection containing {want:?}, got {other:?}"
                    )),
                }
            }
        }
        if !problems.is_empty() {
            problems.push(reasons.join("\n"));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

fn compare_base(
    want: &Map,
    expected: &Map,
    generated: &alertmanager::Generated,
    problems: &mut Vec<String>,
) {
    match &generated.base {
        BaseSource::Secret {
            secret,
            key,
            found,
            parsed,
        } => {
            let uses = if *found { "secret" } else { "default" };
            let checks = [
                ("secret", Yaml::from(secret.clone())),
                ("key", Yaml::from((*key).to_owned())),
                ("uses", Yaml::from(uses.to_owned())),
                ("parsed", Yaml::Bool(*parsed)),
            ];
            for (k, got) in checks {
                if let Some(w) = want.get(k)
                    && *w != got
                {
                    problems.push(format!("baseConfig.{k}: want {w:?}, got {got:?}"));
                }
            }
            if want.contains_key("alertmanagerConfig") {
                problems.push(format!(
                    "base: want an AlertmanagerConfig, got Secret {secret}"
                ));
            }
        }
        BaseSource::AlertmanagerConfig(key) => {
            let w = want.get("alertmanagerConfig").and_then(Yaml::as_str);
            if w != Some(key.as_str()) {
                problems.push(format!("base: want {w:?}, got AlertmanagerConfig {key}"));
            }
        }
    }
    if let Some(secret) = expected.get("generatedSecret").and_then(Yaml::as_map) {
        let name = secret.get("name").and_then(Yaml::as_str).unwrap_or("");
        if name != generated.secret_name {
            problems.push(format!(
                "generated Secret: want {name}, got {}",
                generated.secret_name
            ));
        }
        let keys = strings(secret.get("keys"));
        if keys != generated.secret_keys {
            problems.push(format!(
                "generated Secret keys: want {keys:?}, got {:?}",
                generated.secret_keys
            ));
        }
    }
}

/// One AlertmanagerConfig (v1alpha1 or v1beta1) through the admission webhook's validation.
fn validate(dir: &Path, case: &Map) -> Result<(), String> {
    let docs = promop::yaml::parse_all(&read(&dir.join("input.yaml"))?)
        .map_err(|e| format!("input.yaml: {e}"))?;
    let doc = docs
        .iter()
        .find(|d| d.as_map().is_some())
        .ok_or("input.yaml holds no object")?;
    let api_version = doc
        .as_map()
        .and_then(|m| m.get("apiVersion"))
        .and_then(Yaml::as_str)
        .unwrap_or("");
    let result = if api_version.ends_with("/v1beta1") {
        let beta: v1beta1::AlertmanagerConfig =
            serde_json::from_value(doc.to_json()).map_err(|e| e.to_string())?;
        let alpha: v1alpha1::AlertmanagerConfig = beta.into();
        validation::validate(&alpha.spec, ApiVersion::V1beta1)
    } else {
        let alpha: v1alpha1::AlertmanagerConfig =
            serde_json::from_value(doc.to_json()).map_err(|e| e.to_string())?;
        validation::validate(&alpha.spec, ApiVersion::V1alpha1)
    };
    let expect = case.get("expectError").and_then(Yaml::as_str);
    match (result, expect) {
        (Ok(()), None) => Ok(()),
        (Ok(()), Some(want)) => Err(format!("valid, but the webhook refuses it: {want:?}")),
        (Err(v), None) => Err(format!("refused, but the webhook allows it: {v}")),
        (Err(v), Some(want)) if v.message.contains(want) => Ok(()),
        (Err(v), Some(want)) => Err(format!(
            "wrong error: want one containing {want:?}, got {:?}",
            v.message
        )),
    }
}
