//! Comparing a live configuration (what the operator stored) with a rendered one, per scrape
//! job and per top-level section, each job attributed to the resource that produces it (local
//! manifests are laid over the cluster's objects by `Snapshot::lay_over`).
//!
//! Configurations are compared as YAML values: key order in mappings and formatting do not
//! count; sequence order does (relabeling rules run in order).

use std::collections::BTreeMap;
use std::fmt;

use crate::jobs::{ResourceRef, job_resource};

mod alertmanager;

use crate::yaml::Yaml;
pub use alertmanager::{AlertmanagerContext, compare_alertmanager, redact_section};

/// Why a live configuration cannot be compared.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CompareError {
    /// The configuration stored in the cluster is not YAML.
    #[error("the configuration in Secret {secret} is not valid YAML: {error}")]
    Live {
        secret: String,
        error: crate::yaml::YamlError,
    },
    /// The rendered configuration does not read back (a bug in the emitter).
    #[error("cannot read back the rendered configuration: {0}")]
    Rendered(crate::yaml::YamlError),
}

/// Compares the configuration text stored in Secret `secret` with a rendered one. Both sides
/// go through the same yaml.v2 reading (the rendered one through its text), so they hold the
/// same scalar types.
pub fn compare(
    secret: &str,
    live_text: &str,
    rendered: &Yaml,
    context: &DiffContext,
) -> Result<Vec<Change>, CompareError> {
    let live = parse_live(secret, live_text)?;
    let rendered =
        crate::yaml::parse(&crate::yaml::emit(rendered)).map_err(CompareError::Rendered)?;
    Ok(diff(&live, &rendered, context))
}

/// The configuration text stored in Secret `secret`, read as yaml.v2 reads it.
fn parse_live(secret: &str, live_text: &str) -> Result<Yaml, CompareError> {
    crate::yaml::parse(live_text).map_err(|error| CompareError::Live {
        secret: secret.to_owned(),
        error,
    })
}

/// Longest pair of texts (in lines multiplied) [`line_diff`] aligns line by line; larger ones
/// are shown as all removed then all added.
const MAX_ALIGNED_CELLS: usize = 4_000_000;

/// Where in the configuration a change is.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Section {
    /// A top-level key other than `scrape_configs` (`global`, `remote_write`, ...).
    Key(String),
    /// One scrape job, by `job_name`.
    Job(String),
    /// One receiver of an Alertmanager configuration, by name.
    Receiver(String),
    /// One child route of the top-level Alertmanager route, by its receiver (`#INDEX` when it
    /// has none or repeats one).
    Route(String),
    /// One inhibit rule, by its position in the rendered configuration (in the live one for a
    /// rule only the live configuration has).
    InhibitRule(usize),
    /// One time interval (`mute_time_intervals` or `time_intervals`), by name.
    TimeInterval(String),
}

impl fmt::Display for Section {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Section::Key(key) => write!(f, "section {key}"),
            Section::Job(name) => write!(f, "scrape job {name}"),
            Section::Receiver(name) => write!(f, "receiver {name}"),
            Section::Route(name) => write!(f, "route to {name}"),
            Section::InhibitRule(index) => write!(f, "inhibit rule #{index}"),
            Section::TimeInterval(name) => write!(f, "time interval {name}"),
        }
    }
}

/// How the live side differs from the rendered one (a configuration section, a rule file, a
/// workload field).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeKind {
    /// Only rendered: the operator would add it.
    Added,
    /// Only live: the operator would remove it.
    Removed,
    /// In both, with different values.
    Modified,
}

impl ChangeKind {
    /// The diff sign: `+` added, `-` removed, `~` modified.
    pub fn sign(self) -> char {
        match self {
            ChangeKind::Added => '+',
            ChangeKind::Removed => '-',
            ChangeKind::Modified => '~',
        }
    }
}

/// One difference.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    /// Where.
    pub section: Section,
    /// How.
    pub kind: ChangeKind,
    /// The resource producing the job, when the job names one.
    pub resource: Option<ResourceRef>,
    /// The live value.
    pub live: Option<Yaml>,
    /// The rendered value.
    pub rendered: Option<Yaml>,
    /// Why, when it is known (e.g. the resource is rejected).
    pub explanation: Option<String>,
}

/// What explains differences beyond the values themselves.
#[derive(Clone, Debug, Default)]
pub struct DiffContext {
    /// Resources the operator rejects, `Kind namespace/name` -> reason.
    pub rejected: BTreeMap<String, String>,
}

/// The differences between `live` and `rendered`, top-level sections first (in the order
/// they appear), then scrape jobs (live order, then new jobs in rendered order).
pub fn diff(live: &Yaml, rendered: &Yaml, context: &DiffContext) -> Vec<Change> {
    let empty = crate::yaml::Map::new();
    let live_map = live.as_map().unwrap_or(&empty);
    let rendered_map = rendered.as_map().unwrap_or(&empty);
    let mut changes = Vec::new();

    let mut keys: Vec<&str> = live_map.iter().map(|(k, _)| k).collect();
    for (key, _) in rendered_map.iter() {
        if !keys.contains(&key) {
            keys.push(key);
        }
    }
    for key in keys.into_iter().filter(|k| *k != "scrape_configs") {
        let (a, b) = (live_map.get(key), rendered_map.get(key));
        if let Some(kind) = change_kind(a, b) {
            changes.push(Change {
                section: Section::Key(key.to_owned()),
                kind,
                resource: None,
                live: a.cloned(),
                rendered: b.cloned(),
                explanation: None,
            });
        }
    }

    let live_jobs = jobs(live_map.get("scrape_configs"));
    let rendered_jobs = jobs(rendered_map.get("scrape_configs"));
    let mut names: Vec<&str> = live_jobs.iter().map(|(n, _)| n.as_str()).collect();
    for (name, _) in &rendered_jobs {
        if !names.contains(&name.as_str()) {
            names.push(name);
        }
    }
    let find = |list: &[(String, &Yaml)], name: &str| {
        list.iter()
            .find(|(n, _)| n == name)
            .map(|(_, job)| (*job).clone())
    };
    for name in names {
        let (a, b) = (find(&live_jobs, name), find(&rendered_jobs, name));
        let Some(kind) = change_kind(a.as_ref(), b.as_ref()) else {
            continue;
        };
        let resource = job_resource(name);
        let explanation = resource.as_ref().and_then(|r| {
            context
                .rejected
                .get(&r.to_string())
                .map(|why| format!("{r} is rejected by the operator: {why}"))
        });
        changes.push(Change {
            section: Section::Job(name.to_owned()),
            kind,
            resource,
            live: a,
            rendered: b,
            explanation,
        });
    }
    changes
}

fn change_kind(live: Option<&Yaml>, rendered: Option<&Yaml>) -> Option<ChangeKind> {
    match (live, rendered) {
        (None, None) => None,
        (Some(_), None) => Some(ChangeKind::Removed),
        (None, Some(_)) => Some(ChangeKind::Added),
        (Some(a), Some(b)) => (!same(a, b)).then_some(ChangeKind::Modified),
    }
}

/// Scrape jobs by name (`#INDEX` for a job without one).
fn jobs(list: Option<&Yaml>) -> Vec<(String, &Yaml)> {
    let Some(Yaml::Seq(items)) = list else {
        return Vec::new();
    };
    items
        .iter()
        .enumerate()
        .map(|(i, job)| {
            let name = job
                .as_map()
                .and_then(|m| m.get("job_name"))
                .and_then(Yaml::as_str)
                .map_or_else(|| format!("#{i}"), str::to_owned);
            (name, job)
        })
        .collect()
}

/// Equality as YAML values: mappings regardless of key order, numbers by value.
pub fn same(a: &Yaml, b: &Yaml) -> bool {
    match (a, b) {
        (Yaml::Map(x), Yaml::Map(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|other| same(v, other)))
        }
        (Yaml::Seq(x), Yaml::Seq(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(v, w)| same(v, w))
        }
        #[allow(clippy::cast_precision_loss)] // only equal when the integer is exact
        (Yaml::Int(i), Yaml::Float(f)) | (Yaml::Float(f), Yaml::Int(i)) => *i as f64 == *f,
        _ => a == b,
    }
}

/// One line of a textual diff.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DiffLine {
    /// In both.
    Same(String),
    /// Only in the old text.
    Removed(String),
    /// Only in the new text.
    Added(String),
}

/// A line-by-line diff of `old` and `new` (longest common subsequence).
pub fn line_diff(old: &str, new: &str) -> Vec<DiffLine> {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    if a.len().saturating_mul(b.len()) > MAX_ALIGNED_CELLS {
        return a
            .iter()
            .map(|l| DiffLine::Removed((*l).to_owned()))
            .chain(b.iter().map(|l| DiffLine::Added((*l).to_owned())))
            .collect();
    }
    // lengths[i][j]: common subsequence length of a[i..] and b[j..].
    let width = b.len() + 1;
    let mut lengths = vec![0usize; (a.len() + 1) * width];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            let value = if a.get(i) == b.get(j) {
                lengths.get((i + 1) * width + j + 1).copied().unwrap_or(0) + 1
            } else {
                let down = lengths.get((i + 1) * width + j).copied().unwrap_or(0);
                let right = lengths.get(i * width + j + 1).copied().unwrap_or(0);
                down.max(right)
            };
            if let Some(cell) = lengths.get_mut(i * width + j) {
                *cell = value;
            }
        }
    }
    let at = |i: usize, j: usize| lengths.get(i * width + j).copied().unwrap_or(0);
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) if x == y => {
                out.push(DiffLine::Same((*x).to_owned()));
                i += 1;
                j += 1;
            }
            (Some(x), Some(_)) if at(i + 1, j) >= at(i, j + 1) => {
                out.push(DiffLine::Removed((*x).to_owned()));
                i += 1;
            }
            (_, Some(y)) => {
                out.push(DiffLine::Added((*y).to_owned()));
                j += 1;
            }
            (Some(x), None) => {
                out.push(DiffLine::Removed((*x).to_owned()));
                i += 1;
            }
            (None, None) => break,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse;

    fn tree(text: &str) -> Yaml {
        parse(text).expect("parses")
    }

    /// Each change as `section: kind (resource)`, for comparing a list in one assertion.
    pub(super) fn summary(changes: &[Change]) -> Vec<String> {
        changes
            .iter()
            .map(|c| {
                let resource = c.resource.as_ref().map(ToString::to_string);
                format!(
                    "{}: {:?} ({})",
                    c.section,
                    c.kind,
                    resource.unwrap_or_default()
                )
            })
            .collect()
    }

    #[test]
    fn formatting_and_key_order_are_not_differences() {
        let a = tree(
            "global:\n  scrape_interval: 30s\n  a: 1\nscrape_configs:\n- job_name: x\n  honor_labels: true\n",
        );
        let b = tree(
            "scrape_configs: [{honor_labels: true, job_name: x}]\nglobal: {a: 1.0, scrape_interval: \"30s\"}\n",
        );
        assert_eq!(diff(&a, &b, &DiffContext::default()), Vec::new());
    }

    #[test]
    fn jobs_are_attributed_to_their_resource() {
        let live = tree(
            "scrape_configs:\n- job_name: serviceMonitor/shop/web/0\n  scrape_interval: 30s\n\
             - job_name: probe/shop/ping\n- job_name: extra\n",
        );
        let rendered = tree(
            "scrape_configs:\n- job_name: serviceMonitor/shop/web/0\n  scrape_interval: 10s\n\
             - job_name: extra\n- job_name: podMonitor/db/pg/1\n",
        );
        let mut context = DiffContext::default();
        context
            .rejected
            .insert("Probe shop/ping".into(), "bad".into());
        let changes = diff(&live, &rendered, &context);
        assert_eq!(
            summary(&changes),
            [
                "scrape job serviceMonitor/shop/web/0: Modified (ServiceMonitor shop/web)",
                "scrape job probe/shop/ping: Removed (Probe shop/ping)",
                "scrape job podMonitor/db/pg/1: Added (PodMonitor db/pg)",
            ]
        );
        assert_eq!(
            changes.get(1).and_then(|c| c.explanation.clone()),
            Some("Probe shop/ping is rejected by the operator: bad".to_owned())
        );
        assert_eq!(job_resource("extra"), None);
    }

    #[test]
    fn sections_other_than_jobs() {
        let changes = diff(
            &tree("global:\n  a: 1\nremote_write: []\n"),
            &tree("global:\n  a: 2\n"),
            &DiffContext::default(),
        );
        let sections: Vec<_> = changes
            .iter()
            .map(|c| (c.section.clone(), c.kind))
            .collect();
        assert_eq!(
            sections,
            [
                (Section::Key("global".into()), ChangeKind::Modified),
                (Section::Key("remote_write".into()), ChangeKind::Removed),
            ]
        );
    }

    #[test]
    fn line_diff_aligns_common_lines() {
        let lines = line_diff("a\nb\nc\n", "a\nx\nc\n");
        assert_eq!(
            lines,
            [
                DiffLine::Same("a".into()),
                DiffLine::Removed("b".into()),
                DiffLine::Added("x".into()),
                DiffLine::Same("c".into()),
            ]
        );
    }
}
