//! Prometheus's relabeling engine (`model/relabel` of prometheus/prometheus), with its exact
//! semantics, and the target-label population around it (`scrape/target.go`): what `explain`
//! uses to show a target's final labels and which rule dropped it.
//!
//! Rules are written in Prometheus's own configuration format ([`Config`], snake_case) and
//! compiled into [`Rule`]s, which [`relabel`] and [`relabel_traced`] apply in order.

mod builder;
pub(crate) mod goregex;
pub mod populate;

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

use builder::LabelBuilder;

use crate::version::Version;
pub use goregex::{GoRegex, GoRegexError};
pub use populate::{
    PopulateError, Population, PopulationOutcome, ScrapeJob, populate, public_labels,
};

/// A label set: name to value.
pub type Labels = BTreeMap<String, String>;

/// A label set from `(name, value)` pairs, for tests across the crate.
#[cfg(test)]
pub(crate) fn labels_of(pairs: &[(&str, &str)]) -> Labels {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// Replaces every character outside `[a-zA-Z0-9_]` by `_` (Prometheus's
/// `strutil.SanitizeLabelName`).
pub fn sanitize_label_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Default `separator`.
pub const DEFAULT_SEPARATOR: &str = ";";
/// Default `regex`.
pub const DEFAULT_REGEX: &str = "(.*)";
/// Default `replacement`.
pub const DEFAULT_REPLACEMENT: &str = "$1";

/// One relabeling rule as written in prometheus.yaml (`relabel_configs` and friends).
///
/// `None` means the field is absent and takes Prometheus's default; an explicit empty (or
/// `null`) `separator`, `regex` or `replacement` is an empty value, not the default.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Config {
    /// Labels whose values are joined with `separator` to form the input.
    #[serde(
        default,
        deserialize_with = "scalar_list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub source_labels: Vec<String>,
    /// Joins the source label values; default `;`.
    #[serde(
        default,
        deserialize_with = "explicit_scalar",
        skip_serializing_if = "Option::is_none"
    )]
    pub separator: Option<String>,
    /// Regular expression (Go syntax) matched against the whole input; default `(.*)`.
    #[serde(
        default,
        deserialize_with = "explicit_scalar",
        skip_serializing_if = "Option::is_none"
    )]
    pub regex: Option<String>,
    /// Modulus for `hashmod`.
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "is_zero"
    )]
    pub modulus: u64,
    /// Label written by `replace`, `hashmod`, `lowercase`, `uppercase`, or compared by
    /// `keepequal`/`dropequal`.
    #[serde(
        default,
        deserialize_with = "scalar",
        skip_serializing_if = "String::is_empty"
    )]
    pub target_label: String,
    /// Template written by `replace` and `labelmap`; default `$1`.
    #[serde(
        default,
        deserialize_with = "explicit_scalar",
        skip_serializing_if = "Option::is_none"
    )]
    pub replacement: Option<String>,
    /// The action (case-insensitive); default `replace`.
    #[serde(
        default,
        deserialize_with = "explicit_scalar",
        skip_serializing_if = "Option::is_none"
    )]
    pub action: Option<String>,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// Which label names are valid: Prometheus's `metric_name_validation_scheme`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NameValidationScheme {
    /// `[a-zA-Z_][a-zA-Z0-9_]*`.
    Legacy,
    /// Any non-empty UTF-8 string (Prometheus 3's default).
    #[default]
    Utf8,
}

impl NameValidationScheme {
    /// The scheme the operator decides for a Prometheus version (`ValidationSchemeForPrometheus`):
    /// UTF-8 from 3.0.0 on, so a 3.0 pre-release still has the legacy scheme.
    pub fn of_version(version: &Version) -> Self {
        if version.lt("3.0.0") {
            NameValidationScheme::Legacy
        } else {
            NameValidationScheme::Utf8
        }
    }

    /// The scheme a Prometheus of `version` runs with: `configured`
    /// (`spec.nameValidationScheme`, which the operator writes as the global
    /// `metric_name_validation_scheme` from 3.0.0 on), else the version's own.
    pub fn in_effect(version: &Version, configured: Option<&str>) -> Self {
        match configured.map(str::to_lowercase).as_deref() {
            Some("legacy") if version.gte("3.0.0") => NameValidationScheme::Legacy,
            Some("utf8") if version.gte("3.0.0") => NameValidationScheme::Utf8,
            _ => NameValidationScheme::of_version(version),
        }
    }

    /// Whether `name` is a valid label name under this scheme (`IsValidLabelName`).
    pub fn is_valid_label_name(self, name: &str) -> bool {
        match self {
            NameValidationScheme::Utf8 => !name.is_empty(),
            NameValidationScheme::Legacy => is_legacy_label_name(name),
        }
    }

    /// Whether `name` is a valid metric name under this scheme (`IsValidMetricName`).
    pub fn is_valid_metric_name(self, name: &str) -> bool {
        match self {
            NameValidationScheme::Utf8 => !name.is_empty(),
            NameValidationScheme::Legacy => is_legacy_metric_name(name),
        }
    }

    /// Whether `template`, with its `$name` / `${name}` references, may name a label under
    /// this scheme (a `replace` target label, a `labelmap` replacement).
    pub fn is_valid_label_template(self, template: &str) -> bool {
        match self {
            NameValidationScheme::Utf8 => !template.is_empty(),
            NameValidationScheme::Legacy => is_legacy_label_template(template),
        }
    }
}

/// `[a-zA-Z_][a-zA-Z0-9_]*`: a label name of the legacy scheme (Prometheus 2, Alertmanager's
/// classic matchers, PromQL's unquoted names).
pub fn is_legacy_label_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `[a-zA-Z_:][a-zA-Z0-9_:]*`: a metric name of the legacy scheme.
fn is_legacy_metric_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    matches!(bytes.next(), Some(b) if b.is_ascii_alphabetic() || b == b'_' || b == b':')
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b':')
}

/// A legacy label name in which `$name` / `${name}` template references may stand for
/// characters (Prometheus's check of `replace` target labels and `labelmap` replacements).
fn is_legacy_label_template(template: &str) -> bool {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let chars: Vec<char> = template.chars().collect();
    if chars.first().is_none_or(char::is_ascii_digit) {
        return false;
    }
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if c == '$' {
            let braced = chars.get(i + 1) == Some(&'{');
            let mut j = if braced { i + 2 } else { i + 1 };
            let name_start = j;
            while chars.get(j).copied().is_some_and(word) {
                j += 1;
            }
            if j == name_start {
                return false;
            }
            if braced {
                if chars.get(j) != Some(&'}') {
                    return false;
                }
                j += 1;
            }
            i = j;
        } else if word(c) {
            i += 1;
        } else {
            return false;
        }
    }
    true
}

/// A relabeling action.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Action {
    /// Writes the expanded replacement into the (expanded) target label when the regex matches.
    Replace,
    /// Drops the target unless the input matches.
    Keep,
    /// Drops the target when the input matches.
    Drop,
    /// Drops the target unless the input equals the target label's value.
    KeepEqual,
    /// Drops the target when the input equals the target label's value.
    DropEqual,
    /// Writes the MD5 hash of the input modulo `modulus` into the target label.
    HashMod,
    /// Copies every label whose name matches to the name the replacement expands to.
    LabelMap,
    /// Removes every label whose name matches.
    LabelDrop,
    /// Removes every label whose name does not match.
    LabelKeep,
    /// Writes the lower-cased input into the target label.
    Lowercase,
    /// Writes the upper-cased input into the target label.
    Uppercase,
}

impl Action {
    /// Parses an action name the way Prometheus does (case-insensitive).
    pub fn parse(name: &str) -> Option<Action> {
        Some(match name.to_lowercase().as_str() {
            "replace" => Action::Replace,
            "keep" => Action::Keep,
            "drop" => Action::Drop,
            "keepequal" => Action::KeepEqual,
            "dropequal" => Action::DropEqual,
            "hashmod" => Action::HashMod,
            "labelmap" => Action::LabelMap,
            "labeldrop" => Action::LabelDrop,
            "labelkeep" => Action::LabelKeep,
            "lowercase" => Action::Lowercase,
            "uppercase" => Action::Uppercase,
            _ => return None,
        })
    }

    /// The action's name in prometheus.yaml.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Replace => "replace",
            Action::Keep => "keep",
            Action::Drop => "drop",
            Action::KeepEqual => "keepequal",
            Action::DropEqual => "dropequal",
            Action::HashMod => "hashmod",
            Action::LabelMap => "labelmap",
            Action::LabelDrop => "labeldrop",
            Action::LabelKeep => "labelkeep",
            Action::Lowercase => "lowercase",
            Action::Uppercase => "uppercase",
        }
    }

    /// Whether the action writes `target_label` (and so requires it).
    fn needs_target_label(self) -> bool {
        matches!(
            self,
            Action::Replace
                | Action::HashMod
                | Action::Lowercase
                | Action::Uppercase
                | Action::KeepEqual
                | Action::DropEqual
        )
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a relabeling rule is invalid (Prometheus's wording, which it reports at config load).
#[derive(Debug, thiserror::Error, Clone, PartialEq)]
pub enum RelabelError {
    /// `action` is not one Prometheus knows.
    #[error("unknown relabel action {0:?}")]
    UnknownAction(String),
    /// `action` is explicitly null.
    #[error("relabel action cannot be empty")]
    EmptyAction,
    /// A `source_labels` entry is not a valid label name.
    #[error("{0:?} is not a valid label name")]
    InvalidSourceLabel(String),
    /// `regex` does not compile.
    #[error("invalid regex {regex:?}: {message}")]
    InvalidRegex {
        /// The pattern as written.
        regex: String,
        /// The compiler's message.
        message: String,
    },
    /// `hashmod` without a modulus.
    #[error("relabel configuration for hashmod requires non-zero modulus")]
    ZeroModulus,
    /// An action that writes a label has no `target_label`.
    #[error("relabel configuration for {action} action requires 'target_label' value")]
    MissingTargetLabel {
        /// The action.
        action: Action,
    },
    /// `target_label` is not a valid label name (or template) for the action.
    #[error("{target_label:?} is invalid 'target_label' for {action} action")]
    InvalidTargetLabel {
        /// The target label as written.
        target_label: String,
        /// The action.
        action: Action,
    },
    /// `replacement` is set for an action that has none.
    #[error("'replacement' can not be set for {action} action")]
    ReplacementNotAllowed {
        /// The action.
        action: Action,
    },
    /// The `labelmap` replacement is not a valid label name template.
    #[error("{replacement:?} is invalid 'replacement' for {action} action")]
    InvalidReplacement {
        /// The replacement as written.
        replacement: String,
        /// The action.
        action: Action,
    },
    /// `keepequal`/`dropequal` with fields besides `source_labels` and `target_label`.
    #[error(
        "{action} action requires only 'source_labels' and `target_label`, and no other fields"
    )]
    OnlySourceAndTargetAllowed {
        /// The action.
        action: Action,
    },
    /// `labelkeep`/`labeldrop` with fields besides `regex`.
    #[error("{action} action requires only 'regex', and no other fields")]
    OnlyRegexAllowed {
        /// The action.
        action: Action,
    },
    /// A rule of a list is invalid.
    #[error("relabel rule #{index}: {error}")]
    InRule {
        /// Zero-based position of the rule in its list.
        index: usize,
        /// What is wrong with it.
        error: Box<RelabelError>,
    },
}

/// A validated relabeling rule, ready to apply.
#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    config: Config,
    action: Action,
    separator: String,
    regex: GoRegex,
    /// Whether `regex` was left to its default; Prometheus takes a shortcut only then.
    default_regex: bool,
    replacement: String,
    scheme: NameValidationScheme,
}

impl Rule {
    /// Validates `config` as Prometheus does when loading its configuration, with `scheme`
    /// deciding which target label names are valid.
    pub fn new(config: &Config, scheme: NameValidationScheme) -> Result<Rule, RelabelError> {
        if let Some(empty) = config.source_labels.iter().find(|n| n.is_empty()) {
            return Err(RelabelError::InvalidSourceLabel(empty.clone()));
        }
        let regex_source = config.regex.as_deref().unwrap_or(DEFAULT_REGEX);
        let regex = GoRegex::new(regex_source).map_err(|e| RelabelError::InvalidRegex {
            regex: regex_source.to_owned(),
            message: e.to_string(),
        })?;
        let action = match config.action.as_deref() {
            None => Action::Replace,
            Some("") => return Err(RelabelError::EmptyAction),
            Some(name) => {
                Action::parse(name).ok_or_else(|| RelabelError::UnknownAction(name.to_owned()))?
            }
        };
        let rule = Rule {
            config: config.clone(),
            action,
            separator: config
                .separator
                .clone()
                .unwrap_or_else(|| DEFAULT_SEPARATOR.to_owned()),
            regex,
            default_regex: config.regex.is_none(),
            replacement: config
                .replacement
                .clone()
                .unwrap_or_else(|| DEFAULT_REPLACEMENT.to_owned()),
            scheme,
        };
        rule.validate()?;
        Ok(rule)
    }

    /// Compiles a list of rules, naming the first invalid one.
    pub fn compile_all(
        configs: &[Config],
        scheme: NameValidationScheme,
    ) -> Result<Vec<Rule>, RelabelError> {
        configs
            .iter()
            .enumerate()
            .map(|(index, config)| {
                Rule::new(config, scheme).map_err(|e| RelabelError::InRule {
                    index,
                    error: Box::new(e),
                })
            })
            .collect()
    }

    /// The configuration the rule was built from.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The rule's action.
    pub fn action(&self) -> Action {
        self.action
    }

    fn validate(&self) -> Result<(), RelabelError> {
        let action = self.action;
        let target = self.config.target_label.as_str();
        let scheme = self.scheme;
        let has_template = |s: &str| s.contains('$');
        let invalid_target = || RelabelError::InvalidTargetLabel {
            target_label: target.to_owned(),
            action,
        };
        let writes_plain_label = matches!(
            action,
            Action::Lowercase | Action::Uppercase | Action::KeepEqual | Action::DropEqual
        );

        if self.config.modulus == 0 && action == Action::HashMod {
            return Err(RelabelError::ZeroModulus);
        }
        if action.needs_target_label() && target.is_empty() {
            return Err(RelabelError::MissingTargetLabel { action });
        }
        if action == Action::Replace {
            let valid = if has_template(target) {
                scheme.is_valid_label_template(target)
            } else {
                scheme.is_valid_label_name(target)
            };
            if !valid {
                return Err(invalid_target());
            }
        }
        if writes_plain_label && !scheme.is_valid_label_name(target) {
            return Err(invalid_target());
        }
        if writes_plain_label && self.replacement != DEFAULT_REPLACEMENT {
            return Err(RelabelError::ReplacementNotAllowed { action });
        }
        if action == Action::LabelMap && !scheme.is_valid_label_template(&self.replacement) {
            return Err(RelabelError::InvalidReplacement {
                replacement: self.replacement.clone(),
                action,
            });
        }
        if action == Action::HashMod && !scheme.is_valid_label_name(target) {
            return Err(invalid_target());
        }
        if matches!(action, Action::KeepEqual | Action::DropEqual)
            && (!self.default_regex
                || self.config.modulus != 0
                || self.separator != DEFAULT_SEPARATOR
                || self.replacement != DEFAULT_REPLACEMENT)
        {
            return Err(RelabelError::OnlySourceAndTargetAllowed { action });
        }
        if matches!(action, Action::LabelDrop | Action::LabelKeep)
            && (!self.config.source_labels.is_empty()
                || !target.is_empty()
                || self.config.modulus != 0
                || self.separator != DEFAULT_SEPARATOR
                || self.replacement != DEFAULT_REPLACEMENT)
        {
            return Err(RelabelError::OnlyRegexAllowed { action });
        }
        Ok(())
    }

    /// Applies the rule; `false` means the target is dropped.
    fn apply(&self, labels: &mut LabelBuilder) -> bool {
        let input = self
            .config
            .source_labels
            .iter()
            .map(|name| labels.get(name))
            .collect::<Vec<_>>()
            .join(&self.separator);
        let target = self.config.target_label.as_str();
        match self.action {
            Action::Drop => return !self.regex.is_match(&input),
            Action::Keep => return self.regex.is_match(&input),
            Action::DropEqual => return labels.get(target) != input,
            Action::KeepEqual => return labels.get(target) == input,
            Action::Replace => self.replace(labels, &input),
            Action::Lowercase => labels.set(target, &crate::go::strings::to_lower(&input)),
            Action::Uppercase => labels.set(target, &crate::go::strings::to_upper(&input)),
            Action::HashMod => {
                let digest = <md5::Md5 as md5::Digest>::digest(input.as_bytes());
                let mut tail = [0u8; 8];
                tail.copy_from_slice(&digest[8..]);
                // Prometheus keeps only the last 8 bytes (big-endian) for compatibility.
                let value = u64::from_be_bytes(tail) % self.config.modulus.max(1);
                labels.set(target, &value.to_string());
            }
            Action::LabelMap => {
                for (name, value) in labels.visit_order() {
                    if let Some(new_name) = self.regex.expand_match(&name, &self.replacement) {
                        labels.set(&new_name, &value);
                    }
                }
            }
            Action::LabelDrop => {
                for (name, _) in labels.visit_order() {
                    if self.regex.is_match(&name) {
                        labels.delete(&name);
                    }
                }
            }
            Action::LabelKeep => {
                for (name, _) in labels.visit_order() {
                    if !self.regex.is_match(&name) {
                        labels.delete(&name);
                    }
                }
            }
        }
        true
    }

    fn replace(&self, labels: &mut LabelBuilder, input: &str) {
        let target = self.config.target_label.as_str();
        // Prometheus's shortcut for the default regex skips the target name check.
        if input.is_empty()
            && self.default_regex
            && !target.contains('$')
            && !self.replacement.contains('$')
        {
            labels.set(target, &self.replacement);
            return;
        }
        let Some(target) = self.regex.expand_match(input, target) else {
            return;
        };
        if !self.scheme.is_valid_label_name(&target) {
            return;
        }
        let value = self
            .regex
            .expand_match(input, &self.replacement)
            .unwrap_or_default();
        if value.is_empty() {
            labels.delete(&target);
        } else {
            labels.set(&target, &value);
        }
    }
}

/// One rule applied, for `explain`.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    /// Zero-based position of the rule.
    pub rule: usize,
    /// The labels after the rule (unchanged when it dropped the target).
    pub labels: Labels,
    /// `false` when this rule dropped the target.
    pub kept: bool,
}

/// What relabeling did to a label set.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// The target survives with these labels.
    Kept(Labels),
    /// The rule at this zero-based position dropped the target.
    Dropped {
        /// Position of the dropping rule.
        rule: usize,
    },
}

/// The outcome of relabeling with every step along the way.
#[derive(Clone, Debug, PartialEq)]
pub struct Trace {
    /// One entry per rule applied; none after a drop.
    pub steps: Vec<Step>,
    /// The result.
    pub outcome: Outcome,
}

/// Applies `rules` in order to `labels`.
pub fn relabel(labels: &Labels, rules: &[Rule]) -> Outcome {
    let mut builder = LabelBuilder::new(labels);
    match apply_rules(&mut builder, rules, None) {
        Some(rule) => Outcome::Dropped { rule },
        None => Outcome::Kept(builder.labels()),
    }
}

/// Applies `rules` in order to `labels`, recording the labels after each rule.
pub fn relabel_traced(labels: &Labels, rules: &[Rule]) -> Trace {
    let mut builder = LabelBuilder::new(labels);
    let mut steps = Vec::with_capacity(rules.len());
    let outcome = match apply_rules(&mut builder, rules, Some(&mut steps)) {
        Some(rule) => Outcome::Dropped { rule },
        None => Outcome::Kept(builder.labels()),
    };
    Trace { steps, outcome }
}

/// Runs the rules on `builder`; returns the position of the rule that dropped the target.
fn apply_rules(
    builder: &mut LabelBuilder,
    rules: &[Rule],
    mut steps: Option<&mut Vec<Step>>,
) -> Option<usize> {
    for (index, rule) in rules.iter().enumerate() {
        let kept = rule.apply(builder);
        if let Some(steps) = steps.as_deref_mut() {
            steps.push(Step {
                rule: index,
                labels: builder.labels(),
                kept,
            });
        }
        if !kept {
            return Some(index);
        }
    }
    None
}

/// Reads a scalar of any YAML type as its text, as Go's YAML decoder does for string fields;
/// `null` reads as the empty string.
fn scalar<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    Ok(Scalar::deserialize(deserializer)?.0)
}

/// Like [`scalar`], for fields whose absence (not emptiness) selects a default.
fn explicit_scalar<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    scalar(deserializer).map(Some)
}

fn scalar_list<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    let list: Option<Vec<Scalar>> = Option::deserialize(deserializer)?;
    Ok(list.unwrap_or_default().into_iter().map(|s| s.0).collect())
}

fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// A YAML scalar read as text.
struct Scalar(String);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Scalar;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar(v.to_owned()))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_unit<E>(self) -> Result<Scalar, E> {
                Ok(Scalar(String::new()))
            }
            fn visit_none<E>(self) -> Result<Scalar, E> {
                Ok(Scalar(String::new()))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

#[cfg(test)]
mod tests;
