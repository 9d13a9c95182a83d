//! The matcher-parsing regimes of Alertmanager's `matcher/compat`: which parser reads
//! matcher strings and which label names are valid, by feature flag; and the matcher fields
//! of the configuration (`match`, `match_re`, `matchers`) read with them.

use serde::Serialize;

use super::RoutingError;
use super::labels::{
    LabelSet, MatchType, Matcher, MatcherError, is_classic_label_name, parse_classic_matcher,
    parse_classic_matchers,
};
use super::parse::{parse_utf8_matcher, parse_utf8_matchers};
use super::read;
use crate::yaml::Yaml;

/// How matcher strings are parsed and label names validated.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ParseMode {
    /// `--enable-feature=classic-mode`, and the package default Alertmanager's unit tests run
    /// in: the classic parser, classic label names (`[a-zA-Z_][a-zA-Z0-9_]*`).
    Classic,
    /// What the `alertmanager` binary and `amtool` do without feature flags: both parsers, the
    /// classic result winning when it parses; any non-empty UTF-8 label name.
    #[default]
    Fallback,
    /// `--enable-feature=utf8-strict-mode`: the UTF-8 parser only; UTF-8 label names.
    Utf8Strict,
}

impl ParseMode {
    /// Parses zero or more matchers (`compat.Matchers`), as `matchers:` entries are read.
    pub fn parse_matchers(self, input: &str) -> Result<Vec<Matcher>, MatcherError> {
        match self {
            ParseMode::Classic => parse_classic_matchers(input),
            ParseMode::Utf8Strict => parse_utf8_matchers(input),
            ParseMode::Fallback => {
                let utf8 = parse_utf8_matchers(input);
                let classic = parse_classic_matchers(input);
                match (utf8, classic) {
                    (Err(_), Err(classic_err)) => Err(classic_err),
                    (Err(_), Ok(classic)) => Ok(classic),
                    // Valid in both but read differently: the classic reading stays in force.
                    (Ok(utf8), Ok(classic)) if utf8 != classic => Ok(classic),
                    (Ok(utf8), _) => Ok(utf8),
                }
            }
        }
    }

    /// Parses exactly one matcher (`compat.Matcher`), as `amtool` reads alert labels.
    pub fn parse_matcher(self, input: &str) -> Result<Matcher, MatcherError> {
        if self != ParseMode::Classic && (input.starts_with('{') || input.ends_with('}')) {
            return Err(MatcherError::Brace(input.to_owned()));
        }
        match self {
            ParseMode::Classic => parse_classic_matcher(input),
            ParseMode::Utf8Strict => parse_utf8_matcher(input),
            ParseMode::Fallback => {
                match (parse_utf8_matcher(input), parse_classic_matcher(input)) {
                    (Err(_), Err(classic_err)) => Err(classic_err),
                    (Err(_), Ok(classic)) => Ok(classic),
                    (Ok(utf8), Ok(classic)) if utf8 != classic => Ok(classic),
                    (Ok(utf8), _) => Ok(utf8),
                }
            }
        }
    }

    /// Whether `name` is a valid label name in this mode (`compat.IsValidLabelName`).
    pub fn is_valid_label_name(self, name: &str) -> bool {
        match self {
            ParseMode::Classic => is_classic_label_name(name),
            ParseMode::Fallback | ParseMode::Utf8Strict => !name.is_empty(),
        }
    }
}

/// An alert's labels from `name=value` arguments, as `amtool config routes test` reads them:
/// each argument is one matcher, and only `=` is allowed.
pub fn labels_from_args<S: AsRef<str>>(
    args: &[S],
    mode: ParseMode,
) -> Result<LabelSet, RoutingError> {
    let mut labels = LabelSet::new();
    for arg in args {
        let matcher = mode.parse_matcher(arg.as_ref())?;
        if matcher.match_type() != MatchType::Equal {
            return Err(MatcherError::NotKeyValue.into());
        }
        labels.insert(matcher.name().to_owned(), matcher.value().to_owned())?;
    }
    Ok(labels)
}

/// Equality matchers for a legacy `match` map (its keys checked by the caller).
pub(crate) fn equality_matchers(pairs: &[(String, String)]) -> Result<Vec<Matcher>, RoutingError> {
    pairs
        .iter()
        .map(|(k, v)| Ok(Matcher::new(MatchType::Equal, k, v)?))
        .collect()
}

/// Reads a legacy `match_re` map (Go's `MatchRegexps`): every regex compiled as
/// `^(?:value)$`, whose anchored form becomes the matcher's value; then the keys are checked
/// and a `null` value refused.
pub(crate) fn match_re_map(value: &Yaml, path: &str) -> Result<Vec<Matcher>, RoutingError> {
    let entries = read::entries(value, path)?;
    let mut anchored = Vec::with_capacity(entries.len());
    for (key, v) in &entries {
        let pattern = match v {
            Yaml::Null => None,
            other => Some(format!(
                "^(?:{})$",
                read::string(other, &format!("{path}.{key}"))?
            )),
        };
        if let Some(p) = &pattern {
            Matcher::new(MatchType::Regexp, key, p)?;
        }
        anchored.push((*key, pattern));
    }
    let mut matchers = Vec::with_capacity(anchored.len());
    for (key, pattern) in anchored {
        if !is_classic_label_name(key) {
            return Err(RoutingError::InvalidLabelName {
                name: key.to_owned(),
                context: "",
            });
        }
        let Some(pattern) = pattern else {
            return Err(RoutingError::InvalidRegexpValue(key.to_owned()));
        };
        matchers.retain(|m: &Matcher| m.name() != key);
        matchers.push(Matcher::new(MatchType::Regexp, key, &pattern)?);
    }
    Ok(matchers)
}

/// Reads a `matchers:` list, each entry parsed by `mode`.
pub(crate) fn matcher_list(
    value: &Yaml,
    path: &str,
    mode: ParseMode,
) -> Result<Vec<Matcher>, RoutingError> {
    let mut matchers = Vec::new();
    for line in read::string_list(value, path)?.unwrap_or_default() {
        matchers.extend(mode.parse_matchers(&line)?);
    }
    Ok(matchers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fallback_prefers_classic_when_both_parse() {
        let ms = ParseMode::Fallback
            .parse_matchers(r#"{foo="\xf0\x9f\x99\x82"}"#)
            .unwrap();
        assert_eq!(ms[0].value(), r"\xf0\x9f\x99\x82");
        let ms = ParseMode::Fallback.parse_matchers("{foo🙂=bar}").unwrap();
        assert_eq!(ms[0].name(), "foo🙂");
        assert_eq!(
            ParseMode::Fallback
                .parse_matchers("{foo!bar}")
                .unwrap_err()
                .to_string(),
            "bad matcher format: foo!bar"
        );
        assert_eq!(
            ParseMode::Fallback
                .parse_matcher("foo=!bar\\n")
                .unwrap()
                .value(),
            "!bar\n"
        );
        assert!(ParseMode::Fallback.parse_matcher("{foo=bar}").is_err());
    }

    #[test]
    fn cli_labels_must_be_equalities() {
        let labels = labels_from_args(&["a=1", "b=\"x y\""], ParseMode::Fallback).unwrap();
        assert_eq!(labels.value("b"), "x y");
        assert_eq!(
            labels_from_args(&["a=~1"], ParseMode::Fallback)
                .unwrap_err()
                .to_string(),
            "Labels must be specified as key=value pairs"
        );
    }
}
