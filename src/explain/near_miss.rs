//! Label mismatches spelled out for people: every failing requirement of a selector, and the
//! near misses behind it (a typo in a key or value, the `release` label of a Helm install).

use std::collections::BTreeMap;

use crate::select::label_selector::{Operator, Requirement, Selector};
use crate::yaml::edit_distance;

/// Largest edit distance still reported as a probable typo.
const MAX_TYPO_DISTANCE: usize = 2;

/// One requirement of a selector that a label set fails.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// The requirement, as Kubernetes prints it (`app=web`, `tier in (a,b)`).
    pub wanted: String,
    /// The label key concerned.
    pub key: String,
    /// The value the object has for the key, if any.
    pub actual: Option<String>,
    /// Probable causes: typos, a missing Helm `release` label.
    pub near_misses: Vec<String>,
    /// What to do to the labels so that the requirement holds (`set label team=frontend`).
    pub fix: String,
}

/// Every requirement of `selector` that `labels` fail, in key order.
pub fn failures(selector: &Selector, labels: &BTreeMap<String, String>) -> Vec<Failure> {
    selector
        .requirements
        .iter()
        .filter(|r| !r.matches(labels))
        .map(|r| Failure {
            wanted: r.to_string(),
            key: r.key.clone(),
            actual: labels.get(&r.key).cloned(),
            near_misses: near_misses(r, labels),
            fix: fix(r),
        })
        .collect()
}

/// The change to a label set that satisfies `requirement`.
fn fix(requirement: &Requirement) -> String {
    let key = &requirement.key;
    let values = requirement.values.join(",");
    match requirement.operator {
        Operator::Equals => format!("set label {key}={values}"),
        Operator::In if requirement.values.len() == 1 => format!("set label {key}={values}"),
        Operator::In => format!("set label {key} to one of {values}"),
        Operator::NotIn => format!("set label {key} to a value other than {values}, or remove it"),
        Operator::Exists => format!("add label {key}"),
        Operator::DoesNotExist => format!("remove label {key}"),
        Operator::GreaterThan => format!("set label {key} to an integer above {values}"),
        Operator::LessThan => format!("set label {key} to an integer below {values}"),
    }
}

/// How many requirements of `selector` the labels fail (0: it matches).
pub fn failure_count(selector: &Selector, labels: &BTreeMap<String, String>) -> usize {
    selector
        .requirements
        .iter()
        .filter(|r| !r.matches(labels))
        .count()
}

fn near_misses(requirement: &Requirement, labels: &BTreeMap<String, String>) -> Vec<String> {
    let mut hints = Vec::new();
    let key = &requirement.key;
    match requirement.operator {
        Operator::Equals | Operator::In => match labels.get(key) {
            Some(actual) => {
                for wanted in &requirement.values {
                    if is_typo(actual, wanted) {
                        hints.push(format!(
                            "value typo? label {key}={actual} is close to the wanted {key}={wanted}"
                        ));
                    }
                }
            }
            None => {
                for (other, value) in labels {
                    if is_typo(other, key) {
                        hints.push(format!(
                            "key typo? label {other}={value} is close to the wanted key {key}"
                        ));
                    }
                }
                if key == "release" {
                    hints.push(format!(
                        "label release is missing: a Prometheus installed by the Helm chart \
                         (kube-prometheus-stack) selects only monitors labelled \
                         release={}; add that label or set the chart's \
                         *SelectorNilUsesHelmValues=false",
                        requirement.values.join("|")
                    ));
                }
            }
        },
        Operator::Exists => {
            for (other, value) in labels {
                if is_typo(other, key) {
                    hints.push(format!(
                        "key typo? label {other}={value} is close to the wanted key {key}"
                    ));
                }
            }
        }
        Operator::NotIn | Operator::DoesNotExist | Operator::GreaterThan | Operator::LessThan => {}
    }
    hints
}

/// Whether `a` differs from `b` by a small edit (and is not equal to it).
fn is_typo(a: &str, b: &str) -> bool {
    if a == b {
        return false;
    }
    let limit = if b.chars().count() <= 3 {
        1
    } else {
        MAX_TYPO_DISTANCE
    };
    if a.chars().count().abs_diff(b.chars().count()) > limit {
        return false;
    }
    if a.eq_ignore_ascii_case(b) {
        return true;
    }
    edit_distance(a, b) <= limit
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::relabel::labels_of as labels;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;

    fn selector(pairs: &[(&str, &str)]) -> Selector {
        Selector::parse(&LabelSelector {
            match_labels: Some(
                pairs
                    .iter()
                    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                    .collect(),
            ),
            match_expressions: None,
        })
        .unwrap()
    }

    #[test]
    fn value_typo_is_a_near_miss() {
        let f = failures(
            &selector(&[("team", "frontend")]),
            &labels(&[("team", "fronted")]),
        );
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].actual.as_deref(), Some("fronted"));
        assert!(f[0].near_misses[0].contains("value typo"));
    }

    #[test]
    fn key_typo_and_missing_release() {
        let f = failures(
            &selector(&[("app", "web"), ("release", "prom")]),
            &labels(&[("ap", "web")]),
        );
        assert_eq!(f.len(), 2);
        assert!(f[0].near_misses[0].contains("key typo"));
        assert!(f[1].near_misses[0].contains("Helm"));
    }

    #[test]
    fn distances() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert!(is_typo("frontend", "frontent"));
        assert!(!is_typo("web", "api"));
        assert!(is_typo("wbe", "web"));
    }
}
