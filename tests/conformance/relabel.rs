//! Conformance: the `relabel/` corpus (Prometheus's relabeling and target-population vectors).

use crate::support::Corpus;

use std::path::Path;

use promop::relabel::{
    self, Config, Labels, NameValidationScheme, Outcome, PopulationOutcome, Rule, ScrapeJob,
};
use promop::yaml::{Document, NodeRef};

/// The `relabel/` corpus.
pub fn corpus() -> Corpus {
    Corpus {
        name: "relabel",
        byte_exact_column: false,
        check: |dir, case| check(dir, case).into(),
    }
}

fn check(dir: &Path, case: &str) -> Result<(), String> {
    let path = dir.join(format!("{case}.yaml"));
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let docs = Document::parse_stream(&text, 0).map_err(|e| format!("parse: {e}"))?;
    let root = docs.first().ok_or("empty case")?.root();
    let field = |name: &str| root.get(name);

    let scheme: NameValidationScheme = decode(field("nameValidationScheme"))?.unwrap_or_default();
    let configs: Vec<Config> = decode(field("relabelConfigs"))?.unwrap_or_default();
    let rules = Rule::compile_all(&configs, scheme).map_err(|e| format!("rules: {e}"))?;
    let input: Labels = decode(field("input"))?.unwrap_or_default();
    let expected: Option<Option<Labels>> = match field("expected") {
        None => None,
        Some(value) => Some(decode(Some(value))?),
    };

    if case.starts_with("populate--") {
        let job: ScrapeJob = decode(field("scrapeConfig"))?.unwrap_or_default();
        let population = relabel::populate(&job, &rules, &input, &Labels::new());
        if let Some(discovered) = decode::<Labels>(field("expectedDiscovered"))? {
            same("discovered labels", &discovered, &population.discovered)?;
        }
        let expected_error: Option<String> = decode(field("expectedError"))?;
        match (&population.outcome, expected) {
            (PopulationOutcome::Target(got), Some(Some(want))) => same("labels", &want, got)?,
            (PopulationOutcome::Target(got), Some(None)) => {
                return Err(format!("expected no target, got {got:?}"));
            }
            (PopulationOutcome::Dropped { rule }, Some(Some(_))) => {
                return Err(format!("dropped by rule #{rule}, expected a target"));
            }
            (PopulationOutcome::Failed(e), Some(Some(_))) => {
                return Err(format!("failed ({e}), expected a target"));
            }
            _ => {}
        }
        match (&population.outcome, expected_error) {
            (PopulationOutcome::Failed(e), Some(want)) if !loosely_equal(&e.to_string(), &want) => {
                return Err(format!("error {:?}, expected {want:?}", e.to_string()));
            }
            (PopulationOutcome::Failed(_), Some(_)) => {}
            (other, Some(want)) => return Err(format!("{other:?}, expected error {want:?}")),
            _ => {}
        }
        if let Some(public) = decode::<Labels>(field("expectedPublic"))? {
            let PopulationOutcome::Target(got) = &population.outcome else {
                return Err("no target, expected public labels".to_owned());
            };
            same("public labels", &public, &relabel::public_labels(got))?;
        }
        return Ok(());
    }

    let outcome = relabel::relabel(&input, &rules);
    match (outcome, expected.flatten()) {
        (Outcome::Kept(got), Some(want)) => same("labels", &want, &got),
        (Outcome::Dropped { .. }, None) => Ok(()),
        (Outcome::Kept(got), None) => Err(format!("expected a drop, got {got:?}")),
        (Outcome::Dropped { rule }, Some(_)) => Err(format!("dropped by rule #{rule}")),
    }
}

fn decode<T: serde::de::DeserializeOwned>(value: Option<NodeRef<'_>>) -> Result<Option<T>, String> {
    match value {
        None => Ok(None),
        Some(value) if value.is_null() => Ok(None),
        Some(value) => value
            .decode()
            .map(|decoded| Some(decoded.value))
            .map_err(|e| format!("decode {}: {e}", e.path)),
    }
}

fn same(what: &str, want: &Labels, got: &Labels) -> Result<(), String> {
    if want == got {
        Ok(())
    } else {
        Err(format!("{what} differ:\n  want {want:?}\n  got  {got:?}"))
    }
}

/// Go error wording, compared loosely: case-insensitive, either containing the other.
fn loosely_equal(got: &str, want: &str) -> bool {
    let (got, want) = (got.to_lowercase(), want.to_lowercase());
    got.contains(&want) || want.contains(&got)
}
