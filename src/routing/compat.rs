//! The matcher-parsing regimes of Alertmanager's `matcher/compat`: which parser reads
//! matcher strings and which label names are valid, by feature flag.

use serde::Serialize;

use super::RoutingError;
use super::labels::{
    LabelSet, MatchType, Matcher, MatcherError, is_classic_label_name, parse_classic_matcher,
    parse_classic_matchers,
};
use super::parse::{parse_utf8_matcher, parse_utf8_matchers};

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
