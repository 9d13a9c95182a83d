//! Conformance: the `select/` corpus. Each case loads a Prometheus (or agent), candidate
//! monitors, Namespaces and referenced Secrets/ConfigMaps, runs selection, and compares the
//! selected and rejected `namespace/name` lists with `expected.yaml`.

use std::collections::BTreeMap;
use std::path::Path;

use crate::support::{Corpus, Outcome};
use promop::select::{self, Candidate, Selection};
use promop::snapshot::Snapshot;
use promop::target::Target;
use serde::Deserialize;

#[derive(Deserialize)]
struct Expected {
    #[serde(default)]
    selected: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    rejected: Vec<String>,
}

fn load(path: &Path) -> Result<Snapshot, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    super::support::load_as_built(&path.display().to_string(), &text)
}

fn keys<T>(candidates: &[Candidate<'_, T>]) -> Vec<String> {
    candidates
        .iter()
        .filter(|c| c.is_selected())
        .map(|c| c.key.clone())
        .collect()
}

fn compare(selection: &Selection<'_>, expected: &Expected) -> Result<(), String> {
    let actual = [
        ("serviceMonitors", keys(&selection.service_monitors)),
        ("podMonitors", keys(&selection.pod_monitors)),
        ("probes", keys(&selection.probes)),
        ("scrapeConfigs", keys(&selection.scrape_configs)),
        ("rules", keys(&selection.rules)),
    ];
    let mut problems = Vec::new();
    for (kind, got) in actual {
        let want = expected.selected.get(kind).cloned().unwrap_or_default();
        if got != want {
            problems.push(format!("{kind}: want {want:?}, got {got:?}"));
        }
    }
    let rejected = selection.rejected_keys();
    if rejected != expected.rejected {
        let reasons: Vec<String> = selection
            .service_monitors
            .iter()
            .map(|c| (&c.key, &c.outcome))
            .chain(selection.pod_monitors.iter().map(|c| (&c.key, &c.outcome)))
            .chain(selection.probes.iter().map(|c| (&c.key, &c.outcome)))
            .chain(
                selection
                    .scrape_configs
                    .iter()
                    .map(|c| (&c.key, &c.outcome)),
            )
            .map(|(k, o)| format!("{k}: {o:?}"))
            .collect();
        problems.push(format!(
            "rejected: want {:?}, got {rejected:?} ({})",
            expected.rejected,
            reasons.join("; ")
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

fn check(dir: &Path, case: &str) -> Outcome {
    let case_dir = dir.join(case);
    let snapshot = match load(&case_dir.join("input.yaml")) {
        Ok(s) => s,
        Err(e) => return Outcome::Fail(format!("loading input: {e}")),
    };
    let expected: Expected = match std::fs::read_to_string(case_dir.join("expected.yaml"))
        .map_err(|e| e.to_string())
        .and_then(|t| promop::yaml::from_str(&t).map_err(|e| e.to_string()))
    {
        Ok(e) => e,
        Err(e) => return Outcome::Fail(format!("reading expected.yaml: {e}")),
    };
    let target = match (
        snapshot.prometheuses.first(),
        snapshot.prometheus_agents.first(),
    ) {
        (Some(p), _) => Target::Server(p),
        (None, Some(a)) => Target::Agent(a),
        (None, None) => return Outcome::Fail("no Prometheus or PrometheusAgent".to_owned()),
    };
    let judge = promop::rules::Judge::of_target(target);
    let check_rule = |rule: &_| judge.as_ref().map_or(Ok(()), |j| j.check(rule));
    let selection = match select::select(&snapshot, target, &Default::default(), &check_rule) {
        Ok(s) => s,
        Err(e) => return Outcome::Fail(format!("selection failed: {e}")),
    };
    match compare(&selection, &expected) {
        Ok(()) => Outcome::Pass { byte_exact: false },
        Err(why) => Outcome::Fail(why),
    }
}

/// The `select/` corpus.
pub fn corpus() -> Corpus {
    Corpus {
        name: "select",
        byte_exact_column: false,
        check,
    }
}
