//! Target-label population around relabeling, as Prometheus's scrape manager does it
//! (`PopulateLabels` in `scrape/target.go`): scrape-job defaults are added to the discovered
//! labels, the job's `relabel_configs` run, and the result is checked and finished (meta labels
//! removed, `instance` defaulted).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::duration::{Duration, DurationError};

use super::builder::LabelBuilder;
use super::{Labels, Rule, apply_rules};

const ADDRESS: &str = "__address__";
const INSTANCE: &str = "instance";
const JOB: &str = "job";
const SCHEME: &str = "__scheme__";
const METRICS_PATH: &str = "__metrics_path__";
const SCRAPE_INTERVAL: &str = "__scrape_interval__";
const SCRAPE_TIMEOUT: &str = "__scrape_timeout__";
const PARAM_PREFIX: &str = "__param_";
const META_PREFIX: &str = "__meta_";
const RESERVED_PREFIX: &str = "__";
const CONVERT_CLASSIC_TO_NHCB: &str = "__convert_classic_histograms_to_nhcb__";
const ALWAYS_SCRAPE_CLASSIC: &str = "__always_scrape_classic_histograms__";
const SCRAPE_NATIVE: &str = "__scrape_native_histograms__";

/// The histogram flags carried as labels: label name and the wording of its parse error.
const FLAG_LABELS: [(&str, &str); 3] = [
    (
        CONVERT_CLASSIC_TO_NHCB,
        "convert classic histograms to nhcb",
    ),
    (ALWAYS_SCRAPE_CLASSIC, "always scrape classic histograms"),
    (SCRAPE_NATIVE, "scrape native histograms"),
];

/// The scrape-job settings population reads, as written in a prometheus.yaml `scrape_configs`
/// entry. Absent fields are unset (empty, zero, false), not prometheus.yaml's defaults. The
/// job's `relabel_configs` are passed to [`populate`] separately, compiled.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ScrapeJob {
    /// `job_name`, the default `job` label.
    #[serde(default)]
    pub job_name: String,
    /// `scheme`, the default `__scheme__`.
    #[serde(default)]
    pub scheme: String,
    /// `metrics_path`, the default `__metrics_path__`.
    #[serde(default)]
    pub metrics_path: String,
    /// `scrape_interval`, the default `__scrape_interval__`.
    #[serde(default)]
    pub scrape_interval: Duration,
    /// `scrape_timeout`, the default `__scrape_timeout__`.
    #[serde(default)]
    pub scrape_timeout: Duration,
    /// `params`; the first value of each becomes the default `__param_<name>`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub params: BTreeMap<String, Vec<String>>,
    /// `convert_classic_histograms_to_nhcb`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub convert_classic_histograms_to_nhcb: Option<bool>,
    /// `always_scrape_classic_histograms`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub always_scrape_classic_histograms: Option<bool>,
    /// `scrape_native_histograms`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scrape_native_histograms: Option<bool>,
    /// Whether an `__address__` without a port gets the scheme's (`:80`, `:443`), as
    /// Prometheus did before v3 unless `--enable-feature=no-default-scrape-port`; not part of
    /// the job's configuration.
    #[serde(skip)]
    pub default_port: bool,
}

/// Why a target has no labels after population (Prometheus's wording).
#[derive(Debug, thiserror::Error, Clone, PartialEq)]
pub enum PopulateError {
    /// `__address__` is empty after relabeling.
    #[error("no address")]
    NoAddress,
    /// `__address__` looks like a URL.
    #[error("{:?} is not a valid hostname", crate::redact::shown_address(.address))]
    InvalidAddress {
        /// The address.
        address: String,
    },
    /// `__scrape_interval__` is not a duration.
    #[error("error parsing scrape interval: {0}")]
    ScrapeInterval(DurationError),
    /// `__scrape_interval__` is zero.
    #[error("scrape interval cannot be 0")]
    ZeroScrapeInterval,
    /// `__scrape_timeout__` is not a duration.
    #[error("error parsing scrape timeout: {0}")]
    ScrapeTimeout(DurationError),
    /// `__scrape_timeout__` is zero.
    #[error("scrape timeout cannot be 0")]
    ZeroScrapeTimeout,
    /// `__scrape_timeout__` exceeds `__scrape_interval__`.
    #[error("scrape timeout cannot be greater than scrape interval ({timeout:?} > {interval:?})")]
    TimeoutGreaterThanInterval {
        /// The timeout label's value.
        timeout: String,
        /// The interval label's value.
        interval: String,
    },
    /// A histogram flag label is not a boolean.
    #[error("error parsing {flag}: strconv.ParseBool: parsing {value:?}: invalid syntax")]
    InvalidFlag {
        /// What the flag controls.
        flag: &'static str,
        /// The label's value.
        value: String,
    },
}

/// The result of population, with everything `explain` shows.
#[derive(Clone, Debug, PartialEq)]
pub struct Population {
    /// The discovered labels with the scrape job's defaults added (before relabeling).
    pub discovered: Labels,
    /// The labels after the last rule that ran, internal ones included (`__tmp_hash`):
    /// one label set, not one per rule, whose copies grew with rules × labels per target.
    pub relabeled: Labels,
    /// What became of the target.
    pub outcome: PopulationOutcome,
}

/// What became of a target.
#[derive(Clone, Debug, PartialEq)]
pub enum PopulationOutcome {
    /// A scrape target with these labels (internal `__` labels included; see
    /// [`public_labels`]).
    Target(Labels),
    /// The relabeling rule at this zero-based position dropped the target.
    Dropped {
        /// Position of the dropping rule.
        rule: usize,
    },
    /// The labels left after relabeling do not make a valid target.
    Failed(PopulateError),
}

/// Builds a target's labels from its discovered labels (`target`, then its group's labels
/// where the target has no such label) and the scrape job, relabels them with `rules` and
/// checks the result, as Prometheus does.
pub fn populate(job: &ScrapeJob, rules: &[Rule], target: &Labels, group: &Labels) -> Population {
    let mut builder = discovered_labels(job, target, group);
    let discovered = builder.labels();
    let dropped_by = apply_rules(&mut builder, rules, None);
    let relabeled = builder.labels();
    let outcome = match dropped_by {
        Some(rule) => PopulationOutcome::Dropped { rule },
        None => match finish(&mut builder, job.default_port) {
            Ok(labels) => PopulationOutcome::Target(labels),
            Err(e) => PopulationOutcome::Failed(e),
        },
    };
    Population {
        discovered,
        relabeled,
        outcome,
    }
}

/// The labels Prometheus exposes for a target: those not starting with `__`.
pub fn public_labels(labels: &Labels) -> Labels {
    labels
        .iter()
        .filter(|(name, _)| !name.starts_with(RESERVED_PREFIX))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

fn discovered_labels(job: &ScrapeJob, target: &Labels, group: &Labels) -> LabelBuilder {
    let mut builder = LabelBuilder::default();
    for (name, value) in target {
        builder.set(name, value);
    }
    for (name, value) in group {
        if !target.contains_key(name) {
            builder.set(name, value);
        }
    }
    let flag = |setting: Option<bool>| setting.unwrap_or(false).to_string();
    let defaults = [
        (JOB, job.job_name.clone()),
        (SCRAPE_INTERVAL, job.scrape_interval.to_string()),
        (SCRAPE_TIMEOUT, job.scrape_timeout.to_string()),
        (METRICS_PATH, job.metrics_path.clone()),
        (SCHEME, job.scheme.clone()),
        (
            CONVERT_CLASSIC_TO_NHCB,
            flag(job.convert_classic_histograms_to_nhcb),
        ),
        (
            ALWAYS_SCRAPE_CLASSIC,
            flag(job.always_scrape_classic_histograms),
        ),
        (SCRAPE_NATIVE, flag(job.scrape_native_histograms)),
    ];
    for (name, value) in defaults {
        if builder.get(name).is_empty() {
            builder.set(name, &value);
        }
    }
    for (param, values) in &job.params {
        let name = format!("{PARAM_PREFIX}{param}");
        if let Some(first) = values.first()
            && builder.get(&name).is_empty()
        {
            builder.set(&name, first);
        }
    }
    builder
}

/// The checks and finishing touches after relabeling.
fn finish(builder: &mut LabelBuilder, default_port: bool) -> Result<Labels, PopulateError> {
    let mut address = builder.get(ADDRESS).to_owned();
    if address.is_empty() {
        return Err(PopulateError::NoAddress);
    }
    // Only an address that takes a port (not one already carrying one, nor one a port
    // would not mend) gets the default one.
    if default_port
        && crate::go::net::split_host_port(&address).is_err()
        && crate::go::net::split_host_port(&format!("{address}:1234")).is_ok()
    {
        let port = match builder.get(SCHEME) {
            "https" => ":443",
            _ => ":80",
        };
        address.push_str(port);
        builder.set(ADDRESS, &address);
    }
    if address.contains('/') {
        return Err(PopulateError::InvalidAddress { address });
    }

    let interval_text = builder.get(SCRAPE_INTERVAL).to_owned();
    let interval = Duration::parse(&interval_text).map_err(PopulateError::ScrapeInterval)?;
    if interval.is_zero() {
        return Err(PopulateError::ZeroScrapeInterval);
    }
    let timeout_text = builder.get(SCRAPE_TIMEOUT).to_owned();
    let timeout = Duration::parse(&timeout_text).map_err(PopulateError::ScrapeTimeout)?;
    if timeout.is_zero() {
        return Err(PopulateError::ZeroScrapeTimeout);
    }
    if timeout > interval {
        return Err(PopulateError::TimeoutGreaterThanInterval {
            timeout: timeout_text,
            interval: interval_text,
        });
    }

    for (name, flag) in FLAG_LABELS {
        let value = builder.get(name);
        if !value.is_empty() && crate::go::strconv::parse_bool(value).is_none() {
            return Err(PopulateError::InvalidFlag {
                flag,
                value: value.to_owned(),
            });
        }
    }

    for (name, _) in builder.visit_order() {
        if name.starts_with(META_PREFIX) {
            builder.delete(&name);
        }
    }
    if builder.get(INSTANCE).is_empty() {
        builder.set(INSTANCE, &address);
    }
    Ok(builder.labels())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::relabel::labels_of as labels;
    use crate::relabel::{Config, NameValidationScheme};

    fn job() -> ScrapeJob {
        ScrapeJob {
            job_name: "job".into(),
            scheme: "https".into(),
            metrics_path: "/metrics".into(),
            scrape_interval: Duration::parse("1s").unwrap(),
            scrape_timeout: Duration::parse("1s").unwrap(),
            ..ScrapeJob::default()
        }
    }

    #[test]
    fn prometheus_2_gives_an_address_without_a_port_the_schemes() {
        let instance = |default_port: bool, address: &str| {
            let job = ScrapeJob {
                default_port,
                ..job()
            };
            match populate(
                &job,
                &[],
                &labels(&[("__address__", address)]),
                &Labels::new(),
            )
            .outcome
            {
                PopulationOutcome::Target(target) => target["instance"].clone(),
                other => panic!("{other:?}"),
            }
        };
        // The job's scheme is https.
        assert_eq!(instance(true, "10.0.0.1"), "10.0.0.1:443");
        assert_eq!(instance(true, "[fd00::1]"), "[fd00::1]:443");
        assert_eq!(instance(true, "10.0.0.1:9100"), "10.0.0.1:9100");
        assert_eq!(instance(false, "10.0.0.1"), "10.0.0.1");
    }

    #[test]
    fn defaults_fill_only_missing_labels() {
        let mut job = job();
        job.params
            .insert("target".into(), vec!["example.com".into(), "x".into()]);
        job.params.insert("module".into(), vec![]);
        let p = populate(
            &job,
            &[],
            &labels(&[("__address__", "h:1"), ("job", "mine"), ("empty", "")]),
            &labels(&[("job", "group"), ("zone", "a")]),
        );
        assert_eq!(p.discovered.get("job").map(String::as_str), Some("mine"));
        assert_eq!(p.discovered.get("zone").map(String::as_str), Some("a"));
        assert_eq!(
            p.discovered.get("__param_target").map(String::as_str),
            Some("example.com")
        );
        assert!(!p.discovered.contains_key("__param_module"));
        assert!(!p.discovered.contains_key("empty"));
        let PopulationOutcome::Target(target) = p.outcome else {
            panic!("expected a target");
        };
        assert_eq!(target.get("instance").map(String::as_str), Some("h:1"));
        assert_eq!(
            public_labels(&target),
            labels(&[("instance", "h:1"), ("job", "mine"), ("zone", "a")])
        );
    }

    #[test]
    fn meta_labels_are_removed_after_relabeling() {
        let rule = Rule::new(
            &Config {
                source_labels: vec!["__meta_pod".into()],
                target_label: "pod".into(),
                ..Config::default()
            },
            NameValidationScheme::Utf8,
        )
        .unwrap();
        let p = populate(
            &job(),
            &[rule],
            &labels(&[("__address__", "h:1"), ("__meta_pod", "p")]),
            &Labels::new(),
        );
        let PopulationOutcome::Target(target) = p.outcome else {
            panic!("expected a target");
        };
        assert!(!target.contains_key("__meta_pod"));
        assert_eq!(target.get("pod").map(String::as_str), Some("p"));
        assert_eq!(p.relabeled.get("pod").map(String::as_str), Some("p"));
        assert!(p.relabeled.contains_key("__meta_pod"));
    }

    #[test]
    fn failures() {
        let fail =
            |target: &[(&str, &str)]| match populate(&job(), &[], &labels(target), &Labels::new())
                .outcome
            {
                PopulationOutcome::Failed(e) => e.to_string(),
                other => format!("{other:?}"),
            };
        assert_eq!(fail(&[]), "no address");
        assert_eq!(
            fail(&[("__address__", "http://h:1")]),
            r#""http://h:1" is not a valid hostname"#
        );
        assert_eq!(
            fail(&[("__address__", "https://admin:hunter2@h:1")]),
            r#""https://admin:<secret>@h:1" is not a valid hostname"#
        );
        assert_eq!(
            fail(&[("__address__", "h"), ("__scrape_interval__", "0s")]),
            "scrape interval cannot be 0"
        );
        assert_eq!(
            fail(&[("__address__", "h"), ("__scrape_timeout__", "2s")]),
            r#"scrape timeout cannot be greater than scrape interval ("2s" > "1s")"#
        );
        assert_eq!(
            fail(&[
                ("__address__", "h"),
                ("__scrape_native_histograms__", "yes")
            ]),
            r#"error parsing scrape native histograms: strconv.ParseBool: parsing "yes": invalid syntax"#
        );
        assert!(
            fail(&[("__address__", "h"), ("__scrape_native_histograms__", "T")])
                .starts_with("Target")
        );
    }

    #[test]
    fn drop_is_reported_with_its_rule() {
        let rules = Rule::compile_all(
            &[
                Config {
                    target_label: "x".into(),
                    replacement: Some("1".into()),
                    ..Config::default()
                },
                Config {
                    source_labels: vec!["x".into()],
                    regex: Some("1".into()),
                    action: Some("drop".into()),
                    ..Config::default()
                },
            ],
            NameValidationScheme::Utf8,
        )
        .unwrap();
        let p = populate(
            &job(),
            &rules,
            &labels(&[("__address__", "h")]),
            &Labels::new(),
        );
        assert_eq!(p.outcome, PopulationOutcome::Dropped { rule: 1 });
    }
}
