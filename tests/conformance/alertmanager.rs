//! Conformance: the `alertmanager/` corpus (the operator's Alertmanager configuration
//! generator). `generate` cases build the configuration of the case's Alertmanager from its
//! base configuration and every AlertmanagerConfig of the input; `sanitize` cases run the
//! per-version sanitizer on a user's file; `load` cases load a base configuration. Outputs are
//! compared with the golden as YAML data, and byte for byte.

use std::path::Path;

use crate::support::{Corpus, Outcome};
use promop::alertmanager::{self, Configuration};
use promop::version::Version;
use promop::yaml::Yaml;

pub fn corpus() -> Corpus {
    Corpus {
        name: "alertmanager",
        byte_exact_column: true,
        check,
    }
}

/// `case.yaml`.
struct Case {
    function: String,
    version: Option<String>,
    /// `Some(None)`: an error is expected, any error; `Some(Some(s))`: containing `s`.
    expect_error: Option<Option<String>>,
    fragment: Option<String>,
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn parse_case(text: &str) -> Result<Case, String> {
    let doc = promop::yaml::parse(text).map_err(|e| format!("case.yaml: {e}"))?;
    let map = doc.as_map().ok_or("case.yaml is not a mapping")?;
    let string = |key: &str| map.get(key).and_then(Yaml::as_str).map(str::to_owned);
    let expect_error = match map.get("expectError") {
        None | Some(Yaml::Bool(false)) => None,
        Some(Yaml::Str(s)) => Some(Some(s.to_string())),
        Some(_) => Some(None),
    };
    Ok(Case {
        function: string("function").unwrap_or_default(),
        version: string("alertmanagerVersion"),
        expect_error,
        fragment: string("fragment"),
    })
}

fn check(dir: &Path, name: &str) -> Outcome {
    match run_case(&dir.join(name)) {
        Ok(outcome) => outcome,
        Err(why) => Outcome::Fail(why),
    }
}

fn run_case(dir: &Path) -> Result<Outcome, String> {
    let case = parse_case(&read(&dir.join("case.yaml"))?)?;
    let input = read(&dir.join("input.yaml"))?;
    let produced: Result<String, String> = match case.function.as_str() {
        "generate" => generate(&input),
        "sanitize" => sanitize(&input, &case),
        "load" => alertmanager::load_base(&input)
            .map(|tree| promop::yaml::emit(&tree))
            .map_err(|e| e.to_string()),
        other => return Err(format!("unknown function {other:?}")),
    };
    match (produced, case.expect_error) {
        (Err(got), Some(want)) => Ok(match want {
            Some(want) if !got.contains(&want) => Outcome::Fail(format!(
                "wrong error: want one containing {want:?}, got {got:?}"
            )),
            _ => Outcome::Pass { byte_exact: true },
        }),
        (Ok(out), Some(want)) => Ok(Outcome::Fail(format!(
            "succeeded, but the operator fails with an error containing {want:?}:\n{out}"
        ))),
        (Err(e), None) => Ok(Outcome::Fail(format!("failed: {e}"))),
        (Ok(actual_text), None) => {
            let expected_text = read(&dir.join("expected.yaml"))?;
            let expected = promop::yaml::parse(&expected_text)
                .map_err(|e| format!("expected.yaml does not parse: {e}"))?;
            let actual = promop::yaml::parse(&actual_text)
                .map_err(|e| format!("output does not parse back: {e}"))?;
            match difference(&expected, &actual, "") {
                None => Ok(Outcome::Pass {
                    byte_exact: actual_text == expected_text,
                }),
                Some(diff) => Ok(Outcome::Fail(format!(
                    "{diff}\n--- expected\n{expected_text}--- actual\n{actual_text}"
                ))),
            }
        }
    }
}

fn generate(input: &str) -> Result<String, String> {
    let snapshot = super::support::load_as_built("input.yaml", input)?;
    let am = snapshot
        .alertmanagers
        .first()
        .ok_or("input.yaml has no Alertmanager")?;
    // Every AlertmanagerConfig is selected, except the one that is the base configuration.
    let base = am
        .spec
        .alertmanager_configuration
        .as_ref()
        .and_then(|c| c.name.clone());
    let selected: Vec<_> = snapshot
        .alertmanager_configs
        .iter()
        .filter(|amc| {
            base.is_none()
                || amc.metadata.name != base
                || amc.metadata.namespace != am.metadata.namespace
        })
        .collect();
    let generated = alertmanager::generate(&snapshot, am, &selected).map_err(|e| e.to_string())?;
    match generated.configuration {
        Configuration::Generated(tree) => Ok(promop::yaml::emit(&tree)),
        Configuration::Verbatim(text) => Ok(text),
    }
}

fn sanitize(input: &str, case: &Case) -> Result<String, String> {
    let version = Version::parse(
        case.version
            .as_deref()
            .unwrap_or(promop::version::DEFAULT_ALERTMANAGER_VERSION),
    )
    .map_err(|e| e.to_string())?;
    let doc = promop::yaml::parse(input).map_err(|e| e.to_string())?;
    let mut tree = alertmanager::schema::decode_config(&doc).map_err(|e| e.to_string())?;
    alertmanager::sanitize(&mut tree, &version).map_err(|e| e.to_string())?;
    let mut node = &tree;
    if let Some(path) = &case.fragment {
        for key in path.split('.') {
            node = node
                .as_map()
                .and_then(|m| m.get(key))
                .ok_or_else(|| format!("fragment {path}: {key} is missing"))?;
        }
    }
    Ok(promop::yaml::emit(node))
}

/// The first difference between two trees, comparing mappings without regard to key order
/// (YAML data), sequences in order.
fn difference(expected: &Yaml, actual: &Yaml, at: &str) -> Option<String> {
    match (expected, actual) {
        (Yaml::Map(e), Yaml::Map(a)) => {
            for (k, ev) in e.iter() {
                let path = format!("{at}.{k}");
                match a.get(k) {
                    None => return Some(format!("{path}: missing")),
                    Some(av) => {
                        if let Some(d) = difference(ev, av, &path) {
                            return Some(d);
                        }
                    }
                }
            }
            a.iter()
                .find(|(k, _)| !e.contains_key(k))
                .map(|(k, _)| format!("{at}.{k}: unexpected"))
        }
        (Yaml::Seq(e), Yaml::Seq(a)) => {
            if e.len() != a.len() {
                return Some(format!(
                    "{at}: {} items expected, {} produced",
                    e.len(),
                    a.len()
                ));
            }
            e.iter()
                .zip(a)
                .enumerate()
                .find_map(|(i, (ev, av))| difference(ev, av, &format!("{at}[{i}]")))
        }
        (e, a) if e == a => None,
        (e, a) => Some(format!("{at}: expected {e:?}, produced {a:?}")),
    }
}
