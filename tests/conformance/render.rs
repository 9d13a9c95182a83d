//! Conformance: `render/` corpus. Each case's input is loaded into a snapshot, every monitor in
//! it is rendered for its one Prometheus (or agent), and the output is compared with the
//! operator's golden file, as YAML documents and byte for byte.

use std::collections::BTreeMap;
use std::path::Path;

use crate::support::{Corpus, Outcome};
use promop::monitoring::CustomResource;
use promop::operator::OperatorOptions;
use promop::render::RenderRequest;
use promop::target::Target;
use promop::yaml::Yaml;
use serde::Deserialize;

/// `case.yaml`.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Case {
    #[serde(default)]
    generator: String,
    #[serde(default)]
    options: CaseOptions,
    #[serde(default)]
    rule_config_map_names: Vec<String>,
    #[serde(default)]
    order: Order,
    #[serde(default)]
    expect_error: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct CaseOptions {
    #[serde(default)]
    endpoint_slice_support: bool,
    #[serde(default)]
    daemon_set: bool,
    #[serde(default)]
    topology_sharding: bool,
    #[serde(default)]
    retention_policies: bool,
    #[serde(default)]
    pod_topology_labels: bool,
    #[serde(default, rename = "inlineTLSConfig")]
    inline_tls_config: bool,
    #[serde(default)]
    no_version_check: bool,
}

impl From<CaseOptions> for OperatorOptions {
    fn from(o: CaseOptions) -> Self {
        OperatorOptions {
            endpoint_slice_support: o.endpoint_slice_support,
            daemon_set: o.daemon_set,
            topology_sharding: o.topology_sharding,
            retention_policies: o.retention_policies,
            pod_topology_labels: o.pod_topology_labels,
            inline_tls_config: o.inline_tls_config,
            no_version_check: o.no_version_check,
            ..OperatorOptions::default()
        }
    }
}

/// Explicit render orders, as `namespace/name` lists per kind.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Order {
    #[serde(default)]
    service_monitors: Option<Vec<String>>,
    #[serde(default)]
    pod_monitors: Option<Vec<String>>,
    #[serde(default)]
    probes: Option<Vec<String>>,
    #[serde(default)]
    scrape_configs: Option<Vec<String>>,
}

fn key<T: CustomResource>(object: &T) -> String {
    let meta = object.metadata();
    format!(
        "{}/{}",
        meta.namespace.as_deref().unwrap_or(""),
        meta.name.as_deref().unwrap_or("")
    )
}

/// The objects of one kind in render order: `order` when given, else ascending `namespace/name`.
fn ordered<'a, T: CustomResource>(
    objects: &'a [T],
    order: Option<&Vec<String>>,
) -> Result<Vec<&'a T>, String> {
    match order {
        Some(names) => names
            .iter()
            .map(|n| {
                objects
                    .iter()
                    .find(|o| key(*o) == *n)
                    .ok_or_else(|| format!("case.yaml order names {n}, absent from input.yaml"))
            })
            .collect(),
        None => {
            let mut all: Vec<&T> = objects.iter().collect();
            all.sort_by_key(|o| key(*o));
            Ok(all)
        }
    }
}

fn check(dir: &Path, name: &str) -> Outcome {
    match run_case(&dir.join(name)) {
        Ok(outcome) => outcome,
        Err(why) => Outcome::Fail(why),
    }
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn run_case(case_dir: &Path) -> Result<Outcome, String> {
    let input = read(&case_dir.join("input.yaml"))?;
    let case: Case = promop::yaml::from_str(&read(&case_dir.join("case.yaml"))?)
        .map_err(|e| format!("case.yaml: {e}"))?;
    // Without the CRD defaults (e.g. relabelings without `action`): the golden files show that.
    let mut snapshot = super::support::load_as_built("input.yaml", &input)?;
    // `daemonSet: true` is the PrometheusAgent in DaemonSet mode (the corpus README): the
    // operator generates for it only with the feature gate on, which the option sets too.
    if case.options.daemon_set {
        for agent in &mut snapshot.prometheus_agents {
            agent.spec.mode = Some("DaemonSet".to_owned());
        }
    }
    let target = match case.generator.as_str() {
        "agent" => Target::Agent(
            snapshot
                .prometheus_agents
                .first()
                .ok_or("input.yaml has no PrometheusAgent")?,
        ),
        _ => Target::Server(
            snapshot
                .prometheuses
                .first()
                .ok_or("input.yaml has no Prometheus")?,
        ),
    };
    let request = RenderRequest {
        target,
        service_monitors: ordered(
            &snapshot.service_monitors,
            case.order.service_monitors.as_ref(),
        )?,
        pod_monitors: ordered(&snapshot.pod_monitors, case.order.pod_monitors.as_ref())?,
        probes: ordered(&snapshot.probes, case.order.probes.as_ref())?,
        scrape_configs: ordered(&snapshot.scrape_configs, case.order.scrape_configs.as_ref())?,
        snapshot: &snapshot,
        options: case.options.into(),
        rule_config_map_names: case.rule_config_map_names,
    };
    let rendered = promop::render::render(&request);
    match (rendered, case.expect_error) {
        (Err(e), Some(want)) => {
            let got = e.to_string();
            if got.contains(&want) {
                Ok(Outcome::Pass { byte_exact: true })
            } else {
                Ok(Outcome::Fail(format!(
                    "wrong error: want one containing {want:?}, got {got:?}"
                )))
            }
        }
        (Ok(_), Some(want)) => Ok(Outcome::Fail(format!(
            "rendered, but the operator refuses this input with an error containing {want:?}"
        ))),
        (Err(e), None) => Ok(Outcome::Fail(format!("render failed: {e}"))),
        (Ok(rendered), None) => {
            let expected_text = read(&case_dir.join("expected.yaml"))?;
            let actual_text = promop::yaml::emit(&rendered.config);
            let expected = promop::yaml::parse(&expected_text)
                .map_err(|e| format!("expected.yaml does not parse: {e}"))?;
            let actual = promop::yaml::parse(&actual_text)
                .map_err(|e| format!("rendered output does not parse back: {e}"))?;
            match first_difference(&expected, &actual, &mut String::new()) {
                None => Ok(Outcome::Pass {
                    byte_exact: actual_text == expected_text,
                }),
                Some(diff) => Ok(Outcome::Fail(diff.report())),
            }
        }
    }
}

/// Where two trees first differ, and what each side holds there.
struct Difference {
    path: String,
    what: String,
    expected: Option<Yaml>,
    actual: Option<Yaml>,
}

impl Difference {
    fn report(&self) -> String {
        let path = if self.path.is_empty() {
            "(root)"
        } else {
            &self.path
        };
        let mut out = format!("differs at {path}: {}", self.what);
        for (label, side) in [("expected", &self.expected), ("actual", &self.actual)] {
            out.push_str(&format!("\n  {label}:"));
            match side {
                None => out.push_str(" (absent)"),
                Some(value) => {
                    let text = promop::yaml::emit(value);
                    let lines: Vec<&str> = text.lines().collect();
                    for line in lines.iter().take(25) {
                        out.push_str(&format!("\n    {line}"));
                    }
                    if lines.len() > 25 {
                        out.push_str(&format!("\n    ... ({} more lines)", lines.len() - 25));
                    }
                }
            }
        }
        out
    }
}

fn scalar(value: &Yaml) -> String {
    match value {
        Yaml::Map(_) => "a mapping".to_owned(),
        Yaml::Seq(_) => "a sequence".to_owned(),
        other => format!("{other:?}"),
    }
}

/// Label for a sequence element: its index, plus its `job_name`/`name` when it has one.
fn element_label(index: usize, value: &Yaml) -> String {
    let name = value
        .as_map()
        .and_then(|m| m.get("job_name").or_else(|| m.get("name")))
        .and_then(Yaml::as_str);
    match name {
        Some(n) => format!("[{index} {n}]"),
        None => format!("[{index}]"),
    }
}

fn first_difference(expected: &Yaml, actual: &Yaml, path: &mut String) -> Option<Difference> {
    let differ = |path: &str, what: String| {
        Some(Difference {
            path: path.to_owned(),
            what,
            expected: Some(expected.clone()),
            actual: Some(actual.clone()),
        })
    };
    match (expected, actual) {
        (Yaml::Map(e), Yaml::Map(a)) => {
            let actual_entries: BTreeMap<&str, &Yaml> = a.iter().collect();
            let expected_entries: BTreeMap<&str, &Yaml> = e.iter().collect();
            for (k, ev) in e.iter() {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
                let found = match actual_entries.get(k) {
                    None => Some(Difference {
                        path: path.clone(),
                        what: "missing key".to_owned(),
                        expected: Some(ev.clone()),
                        actual: None,
                    }),
                    Some(av) => first_difference(ev, av, path),
                };
                if found.is_some() {
                    return found;
                }
                path.truncate(len);
            }
            let extra = a.iter().find(|(k, _)| !expected_entries.contains_key(k))?;
            let prefix = if path.is_empty() { "" } else { "." };
            Some(Difference {
                path: format!("{path}{prefix}{}", extra.0),
                what: "unexpected key".to_owned(),
                expected: None,
                actual: Some(extra.1.clone()),
            })
        }
        (Yaml::Seq(e), Yaml::Seq(a)) => {
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                let len = path.len();
                path.push_str(&element_label(i, ev));
                if let Some(found) = first_difference(ev, av, path) {
                    return Some(found);
                }
                path.truncate(len);
            }
            if e.len() != a.len() {
                let (i, what, expected, actual) = if e.len() > a.len() {
                    (a.len(), "missing element", e.get(a.len()), None)
                } else {
                    (e.len(), "unexpected element", None, a.get(e.len()))
                };
                return Some(Difference {
                    path: format!("{path}[{i}]"),
                    what: format!("{what} (expected {} elements, got {})", e.len(), a.len()),
                    expected: expected.cloned(),
                    actual: actual.cloned(),
                });
            }
            None
        }
        (e, a) if e == a => None,
        (e, a) => differ(path, format!("expected {}, got {}", scalar(e), scalar(a))),
    }
}

/// The `render/` corpus.
pub fn corpus() -> Corpus {
    Corpus {
        name: "render",
        byte_exact_column: true,
        check,
    }
}
