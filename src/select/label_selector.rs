//! Kubernetes label selectors (`metav1.LabelSelector`): validation as the API machinery's
//! `LabelSelectorAsSelector` does it, and matching that says which requirement failed.

use std::collections::BTreeMap;
use std::fmt;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;

/// How a requirement compares a label.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Operator {
    /// `matchLabels` entry: the label equals the single value.
    Equals,
    /// The label is present and its value is one of the values.
    In,
    /// The label is absent, or its value is none of the values.
    NotIn,
    /// The label is present.
    Exists,
    /// The label is absent.
    DoesNotExist,
    /// Selector strings only (`key>n`): the label is an integer above the single value.
    GreaterThan,
    /// Selector strings only (`key<n`): the label is an integer below the single value.
    LessThan,
}

impl fmt::Display for Operator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Operator::Equals => "=",
            Operator::In => "in",
            Operator::NotIn => "notin",
            Operator::Exists => "exists",
            Operator::DoesNotExist => "!",
            Operator::GreaterThan => ">",
            Operator::LessThan => "<",
        })
    }
}

/// One condition of a selector on one label key.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Requirement {
    /// The label key.
    pub key: String,
    /// The comparison.
    pub operator: Operator,
    /// The values compared against (sorted, deduplicated); empty for `Exists`/`DoesNotExist`,
    /// the integer bound for `GreaterThan`/`LessThan`.
    pub values: Vec<String>,
}

impl Requirement {
    /// Whether `labels` satisfy this requirement.
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        let actual = labels.get(&self.key);
        let compare = |wanted: std::cmp::Ordering| {
            let number = |text: &String| text.parse::<i64>().ok();
            match (
                actual.and_then(number),
                self.values.first().and_then(number),
            ) {
                (Some(value), Some(bound)) => value.cmp(&bound) == wanted,
                _ => false,
            }
        };
        match self.operator {
            Operator::Equals | Operator::In => actual.is_some_and(|v| self.values.contains(v)),
            Operator::NotIn => actual.is_none_or(|v| !self.values.contains(v)),
            Operator::Exists => actual.is_some(),
            Operator::DoesNotExist => actual.is_none(),
            Operator::GreaterThan => compare(std::cmp::Ordering::Greater),
            Operator::LessThan => compare(std::cmp::Ordering::Less),
        }
    }
}

impl fmt::Display for Requirement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.operator {
            Operator::Equals => write!(f, "{}={}", self.key, self.values.join(",")),
            Operator::In | Operator::NotIn => {
                write!(
                    f,
                    "{} {} ({})",
                    self.key,
                    self.operator,
                    self.values.join(",")
                )
            }
            Operator::Exists => f.write_str(&self.key),
            Operator::DoesNotExist => write!(f, "!{}", self.key),
            Operator::GreaterThan | Operator::LessThan => {
                write!(f, "{}{}{}", self.key, self.operator, self.values.join(","))
            }
        }
    }
}

/// A parsed label selector. `None` of the Kubernetes API (no selector) is not a `Selector`:
/// callers decide what an absent selector means.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Selector {
    /// Requirements sorted by key, as the API machinery keeps them. Empty selects everything.
    pub requirements: Vec<Requirement>,
}

/// Why a label set does not match a selector: the first failing requirement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mismatch {
    /// The requirement that failed.
    pub requirement: Requirement,
    /// The value the object has for the key (`None`: the label is absent).
    pub actual: Option<String>,
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.actual {
            Some(v) => write!(
                f,
                "wants {}, has {}={}",
                self.requirement, self.requirement.key, v
            ),
            None => write!(
                f,
                "wants {}, label {} is absent",
                self.requirement, self.requirement.key
            ),
        }
    }
}

/// A selector the API machinery refuses.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SelectorError {
    /// An unknown `matchExpressions[].operator`.
    #[error("{operator:?} is not a valid label selector operator")]
    Operator { operator: String },
    /// `In`/`NotIn` without values.
    #[error("key {key:?}: for 'in', 'notin' operators, values set can't be empty")]
    EmptyValues { key: String },
    /// `Exists`/`DoesNotExist` with values.
    #[error("key {key:?}: values set must be empty for exists and does not exist")]
    UnexpectedValues { key: String },
    /// A label key that is not a qualified name.
    #[error("invalid label key {key:?}: {reason}")]
    Key { key: String, reason: String },
    /// A label value that is not valid.
    #[error("invalid label value {value:?} for key {key:?}: {reason}")]
    Value {
        key: String,
        value: String,
        reason: String,
    },
}

impl Selector {
    /// Parses and validates `selector`.
    pub fn parse(selector: &LabelSelector) -> Result<Self, SelectorError> {
        let mut requirements = Vec::new();
        for (key, value) in selector.match_labels.iter().flatten() {
            requirements.push(requirement(
                key,
                Operator::Equals,
                std::slice::from_ref(value),
            )?);
        }
        for expr in selector.match_expressions.iter().flatten() {
            let operator = match expr.operator.as_str() {
                "In" => Operator::In,
                "NotIn" => Operator::NotIn,
                "Exists" => Operator::Exists,
                "DoesNotExist" => Operator::DoesNotExist,
                other => {
                    return Err(SelectorError::Operator {
                        operator: other.to_owned(),
                    });
                }
            };
            let values = expr.values.as_deref().unwrap_or_default();
            requirements.push(requirement(&expr.key, operator, values)?);
        }
        requirements.sort();
        Ok(Selector { requirements })
    }

    /// Whether the selector selects everything (`{}`).
    pub fn is_empty(&self) -> bool {
        self.requirements.is_empty()
    }

    /// `None` when `labels` match; otherwise the first failing requirement.
    pub fn mismatch(&self, labels: &BTreeMap<String, String>) -> Option<Mismatch> {
        self.requirements
            .iter()
            .find(|r| !r.matches(labels))
            .map(|r| Mismatch {
                requirement: r.clone(),
                actual: labels.get(&r.key).cloned(),
            })
    }

    /// Whether `labels` match.
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        self.mismatch(labels).is_none()
    }
}

impl fmt::Display for Selector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.requirements.iter().map(|r| r.to_string()).collect();
        f.write_str(&parts.join(","))
    }
}

fn requirement(
    key: &str,
    operator: Operator,
    values: &[String],
) -> Result<Requirement, SelectorError> {
    validate_label_key(key).map_err(|reason| SelectorError::Key {
        key: key.to_owned(),
        reason,
    })?;
    match operator {
        Operator::In | Operator::NotIn if values.is_empty() => {
            return Err(SelectorError::EmptyValues {
                key: key.to_owned(),
            });
        }
        Operator::Exists | Operator::DoesNotExist if !values.is_empty() => {
            return Err(SelectorError::UnexpectedValues {
                key: key.to_owned(),
            });
        }
        _ => {}
    }
    for value in values {
        validate_label_value(value).map_err(|reason| SelectorError::Value {
            key: key.to_owned(),
            value: value.clone(),
            reason,
        })?;
    }
    let mut values = values.to_vec();
    values.sort();
    values.dedup();
    Ok(Requirement {
        key: key.to_owned(),
        operator,
        values,
    })
}

/// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`, at most 63 characters.
fn is_qualified_name_part(s: &str) -> bool {
    let bytes = s.as_bytes();
    let (Some(first), Some(last)) = (bytes.first(), bytes.last()) else {
        return false;
    };
    s.len() <= 63
        && first.is_ascii_alphanumeric()
        && last.is_ascii_alphanumeric()
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// A lower-case RFC 1123 subdomain, at most 253 characters.
pub(crate) fn is_dns1123_subdomain(s: &str) -> bool {
    dns1123_subdomain_problem(s).is_none()
}

/// Why `name` is not an RFC 1123 subdomain (an object name), if it is not.
pub(crate) fn dns1123_subdomain_problem(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        return Some("must not be empty");
    }
    if name.len() > 253 {
        return Some("must be no more than 253 characters");
    }
    let label_ok = |label: &str| {
        !label.is_empty()
            && label
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !label.starts_with('-')
            && !label.ends_with('-')
    };
    if name.split('.').all(label_ok) {
        None
    } else {
        Some(
            "must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
        )
    }
}

/// Checks a label key: `[prefix/]name`, prefix a DNS subdomain, name a qualified-name part.
pub fn validate_label_key(key: &str) -> Result<(), String> {
    let (prefix, name) = match key.split_once('/') {
        Some((p, n)) => (Some(p), n),
        None => (None, key),
    };
    if let Some(prefix) = prefix
        && !is_dns1123_subdomain(prefix)
    {
        return Err(format!("prefix {prefix:?} must be a DNS-1123 subdomain"));
    }
    if name.is_empty() {
        return Err("name part must be non-empty".to_owned());
    }
    if name.contains('/') || !is_qualified_name_part(name) {
        return Err(
            "name part must consist of alphanumeric characters, '-', '_' or '.', and must start \
             and end with an alphanumeric character (at most 63 characters)"
                .to_owned(),
        );
    }
    Ok(())
}

/// Checks a label value: empty, or a qualified-name part.
pub fn validate_label_value(value: &str) -> Result<(), String> {
    if value.is_empty() || is_qualified_name_part(value) {
        Ok(())
    } else {
        Err(
            "must be empty or consist of alphanumeric characters, '-', '_' or '.', and must \
             start and end with an alphanumeric character (at most 63 characters)"
                .to_owned(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::relabel::labels_of as labels;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelectorRequirement;

    fn expr(key: &str, op: &str, values: &[&str]) -> LabelSelectorRequirement {
        LabelSelectorRequirement {
            key: key.to_owned(),
            operator: op.to_owned(),
            values: Some(values.iter().map(|v| v.to_string()).collect()),
        }
    }

    #[test]
    fn empty_selector_matches_everything() {
        let s = Selector::parse(&LabelSelector::default()).unwrap();
        assert!(s.is_empty());
        assert!(s.matches(&labels(&[])));
    }

    #[test]
    fn match_labels_and_expressions() {
        let sel = LabelSelector {
            match_labels: Some(labels(&[("team", "a")])),
            match_expressions: Some(vec![
                expr("env", "In", &["prod", "dev"]),
                expr("tier", "NotIn", &["db"]),
                expr("app", "Exists", &[]),
                expr("skip", "DoesNotExist", &[]),
            ]),
        };
        let s = Selector::parse(&sel).unwrap();
        assert!(s.matches(&labels(&[("team", "a"), ("env", "dev"), ("app", "x")])));
        let m = s
            .mismatch(&labels(&[("team", "b"), ("env", "dev"), ("app", "x")]))
            .unwrap();
        assert_eq!(m.requirement.key, "team");
        assert_eq!(m.actual.as_deref(), Some("b"));
        assert!(!s.matches(&labels(&[
            ("team", "a"),
            ("env", "dev"),
            ("app", "x"),
            ("tier", "db")
        ])));
        assert!(!s.matches(&labels(&[
            ("team", "a"),
            ("env", "dev"),
            ("app", "x"),
            ("skip", "")
        ])));
    }

    #[test]
    fn invalid_selectors() {
        let bad_op = LabelSelector {
            match_expressions: Some(vec![expr("a", "Equals", &["x"])]),
            ..Default::default()
        };
        assert!(matches!(
            Selector::parse(&bad_op),
            Err(SelectorError::Operator { .. })
        ));
        let empty_in = LabelSelector {
            match_expressions: Some(vec![expr("a", "In", &[])]),
            ..Default::default()
        };
        assert!(Selector::parse(&empty_in).is_err());
        let bad_value = LabelSelector {
            match_labels: Some(labels(&[("a", "-x")])),
            ..Default::default()
        };
        assert!(Selector::parse(&bad_value).is_err());
        assert!(validate_label_key("example.com/name").is_ok());
        assert!(validate_label_key("Example.com/name").is_err());
        assert!(validate_label_key("/name").is_err());
    }
}
