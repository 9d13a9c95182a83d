//! Label matchers and label sets, mirroring Alertmanager's `pkg/labels` (`Matcher`,
//! `NewMatcher`, `Matcher.String`, `Matchers`, and the classic parser `ParseMatchers` /
//! `ParseMatcher`).

use std::collections::BTreeMap;
use std::fmt;
use std::sync::LazyLock;

use serde::{Serialize, Serializer};

use crate::relabel::GoRegex;
use crate::relabel::goregex::outside_literals;

use crate::go::strconv;

/// Longest matcher input accepted, in bytes (a `matchers:` entry, a `match_re` value, a CLI
/// label). Alertmanager sets no bound; real matchers are far shorter.
pub const MAX_MATCHER_LEN: usize = 64 * 1024;
/// Most labels one alert may carry.
pub const MAX_LABELS: usize = 1024;
/// Longest label name or value accepted, in bytes.
pub const MAX_LABEL_LEN: usize = 64 * 1024;

/// How a matcher compares a label value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MatchType {
    /// `=`
    Equal,
    /// `!=`
    NotEqual,
    /// `=~`
    Regexp,
    /// `!~`
    NotRegexp,
}

impl MatchType {
    /// The operator as written (`=`, `!=`, `=~`, `!~`).
    pub fn as_str(self) -> &'static str {
        match self {
            MatchType::Equal => "=",
            MatchType::NotEqual => "!=",
            MatchType::Regexp => "=~",
            MatchType::NotRegexp => "!~",
        }
    }

    /// The type an operator spells, if it is one.
    pub fn from_operator(operator: &str) -> Option<MatchType> {
        match operator {
            "=" => Some(MatchType::Equal),
            "!=" => Some(MatchType::NotEqual),
            "=~" => Some(MatchType::Regexp),
            "!~" => Some(MatchType::NotRegexp),
            _ => None,
        }
    }
}

impl fmt::Display for MatchType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A regex that does not compile as Go's RE2 would compile it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct RegexError(pub String);

/// Why a matcher could not be parsed or built.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MatcherError {
    /// The classic parser's pattern did not match.
    #[error("bad matcher format: {0}")]
    BadFormat(String),
    /// The classic parser found a `"` that is neither escaped nor the closing quote.
    #[error("matcher value contains unescaped double quote: {0}")]
    UnescapedQuote(String),
    /// A positional error of the UTF-8 parser, in its own wording (`1:2: unexpected ,: ...`).
    #[error("{0}")]
    Syntax(String),
    /// The regex of a `=~` / `!~` matcher does not compile.
    #[error(transparent)]
    Regex(#[from] RegexError),
    /// The UTF-8 parser's wrapping of a matcher it could not build.
    #[error("failed to create matcher: {0}")]
    Create(RegexError),
    /// A single matcher was expected and the input held none.
    #[error("no matchers")]
    NoMatchers,
    /// A single matcher was expected and the input held several.
    #[error("expected 1 matcher, found {0}")]
    NotOne(usize),
    /// A single matcher in the UTF-8 or fallback mode may not be wrapped in braces.
    #[error("unexpected open or close brace: {0}")]
    Brace(String),
    /// An alert label given as a matcher used an operator other than `=`.
    #[error("Labels must be specified as key=value pairs")]
    NotKeyValue,
    /// The input is longer than [`MAX_MATCHER_LEN`].
    #[error("matcher input of {len} bytes exceeds the limit of {max} bytes", max = MAX_MATCHER_LEN)]
    TooLong {
        /// Its length in bytes.
        len: usize,
    },
}

/// Why a label set was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LabelSetError {
    /// More than [`MAX_LABELS`] labels.
    #[error("an alert may carry at most {max} labels", max = MAX_LABELS)]
    TooMany,
    /// A name or value longer than [`MAX_LABEL_LEN`].
    #[error("label {name:?}: names and values are limited to {max} bytes", max = MAX_LABEL_LEN)]
    TooLong {
        /// The label (truncated to 64 bytes).
        name: String,
    },
}

/// One label matcher: a name, an operator and a value (a regex for `=~` / `!~`, matched fully
/// anchored as `^(?:value)$` with RE2 syntax).
#[derive(Clone, Debug)]
pub struct Matcher {
    name: String,
    match_type: MatchType,
    value: String,
    pattern: Option<Pattern>,
}

/// A compiled `=~` / `!~` value.
#[derive(Clone, Debug)]
enum Pattern {
    /// Only literal alternatives (`critical|warning`): matching is set membership, which gives
    /// the regex's answers without a regex engine (and without a matching cache per regex,
    /// which dominates routing time in large trees).
    Literals(Vec<String>),
    /// Anything else, with the literal text every match starts with (possibly empty): a
    /// value without it is refused before the regex engine, whose per-regex state, cold in
    /// a large tree, dominates the cost of trying thousands of distinct regexes.
    Regex {
        /// The text every match starts with.
        prefix: String,
        /// The compiled regex.
        regex: GoRegex,
    },
}

impl Pattern {
    fn compile(value: &str) -> Result<Pattern, RegexError> {
        match literal_alternatives(value) {
            Some(literals) => Ok(Pattern::Literals(literals)),
            None => Ok(Pattern::Regex {
                prefix: required_prefix(value),
                regex: compile_anchored(value)?,
            }),
        }
    }

    fn is_match(&self, text: &str) -> bool {
        match self {
            Pattern::Literals(literals) => literals.iter().any(|l| l == text),
            Pattern::Regex { prefix, regex } => text.starts_with(prefix) && regex.is_match(text),
        }
    }
}

/// The literal text at the start of `pattern` that every match of `^(?:pattern)$` begins
/// with: the characters before the first metacharacter, less the last one when a quantifier
/// follows it. Empty when the pattern has an alternation (a `|` anywhere, conservatively).
fn required_prefix(pattern: &str) -> String {
    if pattern.contains('|') {
        return String::new();
    }
    let end = pattern
        .find(|c| "\\.+*?()[]{}^$".contains(c))
        .unwrap_or(pattern.len());
    let mut prefix = pattern.get(..end).unwrap_or_default().to_owned();
    if pattern
        .get(end..)
        .is_some_and(|rest| rest.starts_with(['?', '*', '+', '{']))
    {
        prefix.pop();
    }
    prefix
}

/// The alternatives of a pattern made only of literal text and `|` (optionally wrapped in
/// the `^(?:…)$` that `match_re` values carry), or `None`.
fn literal_alternatives(pattern: &str) -> Option<Vec<String>> {
    let inner = pattern
        .strip_prefix("^(?:")
        .and_then(|p| p.strip_suffix(")$"))
        .unwrap_or(pattern);
    if inner.len() > MAX_MATCHER_LEN || inner.contains(|c| "\\.+*?()[]{}^$".contains(c)) {
        return None;
    }
    Some(inner.split('|').map(str::to_owned).collect())
}

impl Matcher {
    /// Builds a matcher, compiling the regex of `=~` / `!~` (Go's `labels.NewMatcher`).
    pub fn new(match_type: MatchType, name: &str, value: &str) -> Result<Matcher, RegexError> {
        let pattern = match match_type {
            MatchType::Regexp | MatchType::NotRegexp => Some(Pattern::compile(value)?),
            MatchType::Equal | MatchType::NotEqual => None,
        };
        Ok(Matcher {
            name: name.to_owned(),
            match_type,
            value: value.to_owned(),
            pattern,
        })
    }

    /// The label name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The operator.
    pub fn match_type(&self) -> MatchType {
        self.match_type
    }

    /// The value, or the regex as written (un-anchored).
    pub fn value(&self) -> &str {
        &self.value
    }

    /// Whether `value` satisfies the matcher (Go's `Matcher.Matches`).
    pub fn matches(&self, value: &str) -> bool {
        match (self.match_type, &self.pattern) {
            (MatchType::Equal, _) => value == self.value,
            (MatchType::NotEqual, _) => value != self.value,
            (MatchType::Regexp, Some(p)) => p.is_match(value),
            (MatchType::NotRegexp, Some(p)) => !p.is_match(value),
            // `new` always compiles a pattern for the regex types.
            (MatchType::Regexp | MatchType::NotRegexp, None) => false,
        }
    }

    /// Whether the matcher holds for `labels`, a missing label counting as the empty string.
    pub fn matches_labels(&self, labels: &LabelSet) -> bool {
        self.matches(labels.value(&self.name))
    }

    /// Go's ordering of `labels.Matchers`: by name, then value, then operator.
    pub(crate) fn sort_key(&self) -> (&str, &str, MatchType) {
        (&self.name, &self.value, self.match_type)
    }
}

impl PartialEq for Matcher {
    fn eq(&self, other: &Self) -> bool {
        self.sort_key() == other.sort_key()
    }
}

impl Eq for Matcher {}

/// Renders as Alertmanager does (`Matcher.String`): `name="value"` with OpenMetrics escaping,
/// or both parts Go-quoted when the name holds whitespace or one of ``{}!=~,\"'` ``.
impl fmt::Display for Matcher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.name.chars().any(is_reserved) {
            return write!(
                f,
                "{}{}{}",
                strconv::quote(&self.name),
                self.match_type,
                strconv::quote(&self.value)
            );
        }
        write!(f, "{}{}\"", self.name, self.match_type)?;
        for c in self.value.chars() {
            match c {
                '\\' => f.write_str("\\\\")?,
                '\n' => f.write_str("\\n")?,
                '"' => f.write_str("\\\"")?,
                _ => fmt::Write::write_char(f, c)?,
            }
        }
        f.write_str("\"")
    }
}

impl Serialize for Matcher {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// How one matcher fared against an alert: the matcher, the alert's value of its label
/// (`None` when absent, which matches as ""), and the outcome.
#[derive(Clone, Debug, Serialize)]
pub struct MatcherCheck<'a> {
    /// The matcher.
    pub matcher: &'a Matcher,
    /// The alert's value of the matcher's label.
    pub value: Option<&'a str>,
    /// Whether the matcher holds; `None` when an earlier matcher already failed and this one
    /// was not evaluated (Alertmanager stops at the first failure too, and in large trees the
    /// regexes skipped this way are most of the cost).
    pub matched: Option<bool>,
}

/// Checks matchers in order against `labels` until one fails: whether all hold, and each
/// one's outcome.
pub fn check_matchers<'a>(
    matchers: &'a [Matcher],
    labels: &'a LabelSet,
) -> (bool, Vec<MatcherCheck<'a>>) {
    let mut all = true;
    let checks: Vec<MatcherCheck<'a>> = matchers
        .iter()
        .map(|matcher| {
            let value = labels.get(matcher.name());
            let matched = all.then(|| matcher.matches(value.unwrap_or("")));
            all &= matched.unwrap_or(false);
            MatcherCheck {
                matcher,
                value,
                matched,
            }
        })
        .collect();
    (all, checks)
}

/// Characters that make a label name need quoting, and that end an unquoted token in the
/// UTF-8 parser.
pub(crate) fn is_reserved(c: char) -> bool {
    c.is_whitespace() || "{}!=~,\\\"'`".contains(c)
}

/// Renders matchers as `{m1,m2}` (Go's `Matchers.String`).
pub fn render_matchers(matchers: &[Matcher]) -> String {
    let mut out = String::from("{");
    for (i, m) in matchers.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&m.to_string());
    }
    out.push('}');
    out
}

/// Sorts matchers as Go's `sort.Sort(labels.Matchers)` does.
pub fn sort_matchers(matchers: &mut [Matcher]) {
    matchers.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
}

/// Compiles `^(?:pattern)$` with Go's RE2 rules.
fn compile_anchored(pattern: &str) -> Result<GoRegex, RegexError> {
    if pattern.len() > MAX_MATCHER_LEN {
        return Err(RegexError(format!(
            "error parsing regexp: expression of {} bytes exceeds the limit of \
             {MAX_MATCHER_LEN} bytes (MAX_MATCHER_LEN)",
            pattern.len()
        )));
    }
    check_group_closing(pattern)?;
    GoRegex::matcher(pattern).map_err(|e| RegexError(e.to_string()))
}

/// Refuses a `)` closing a group the pattern did not open: Go's parser refuses it, and here it
/// would close Alertmanager's anchoring group and change the meaning of the whole expression.
/// (Repetitions Go refuses are [`GoRegex::new`]'s to refuse.)
fn check_group_closing(pattern: &str) -> Result<(), RegexError> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut depth: usize = 0;
    for (_, c) in outside_literals(&chars) {
        match c {
            '(' => depth += 1,
            ')' => {
                depth = depth.checked_sub(1).ok_or_else(|| {
                    RegexError(format!(
                        "error parsing regexp: unexpected ): `^(?:{pattern})$`"
                    ))
                })?;
            }
            _ => {}
        }
    }
    Ok(())
}

/// Whether `name` is a classic label name (`[a-zA-Z_][a-zA-Z0-9_]*`): Alertmanager's name for
/// Prometheus's legacy label names.
pub use crate::relabel::is_legacy_label_name as is_classic_label_name;

static CLASSIC_MATCHER: LazyLock<Option<regex::Regex>> = LazyLock::new(|| {
    // Go's `\s` is ASCII whitespace; `(?s).*?` takes the shortest value before trailing space.
    regex::Regex::new(
        r"^[\t\n\f\r ]*([a-zA-Z_:][a-zA-Z0-9_:]*)[\t\n\f\r ]*(=~|=|!=|!~)[\t\n\f\r ]*((?s).*?)[\t\n\f\r ]*$",
    )
    .ok()
});

/// Parses a comma-separated list of matchers with the classic parser (`labels.ParseMatchers`):
/// optional braces, commas inside double quotes not separating.
pub fn parse_classic_matchers(input: &str) -> Result<Vec<Matcher>, MatcherError> {
    check_len(input)?;
    let trimmed = input.strip_prefix('{').unwrap_or(input);
    let trimmed = trimmed.strip_suffix('}').unwrap_or(trimmed);
    let mut tokens = Vec::new();
    let mut token = String::new();
    let (mut inside_quotes, mut escaped) = (false, false);
    for c in trimmed.chars() {
        match c {
            ',' if !inside_quotes => {
                tokens.push(std::mem::take(&mut token));
                continue;
            }
            ',' => {}
            '"' => {
                if escaped {
                    escaped = false;
                } else {
                    inside_quotes = !inside_quotes;
                }
            }
            '\\' => escaped = !escaped,
            _ => escaped = false,
        }
        token.push(c);
    }
    let last = token.trim_matches(|c: char| c.is_whitespace());
    if !last.is_empty() {
        tokens.push(last.to_owned());
    }
    tokens.iter().map(|t| parse_classic_matcher(t)).collect()
}

/// Parses one matcher with the classic parser (`labels.ParseMatcher`): a classic label name
/// (colons allowed), an operator, and a value that may be double-quoted, with `\"`, `\n` and
/// `\\` escapes.
pub fn parse_classic_matcher(input: &str) -> Result<Matcher, MatcherError> {
    check_len(input)?;
    let bad = || MatcherError::BadFormat(input.to_owned());
    let captures = CLASSIC_MATCHER
        .as_ref()
        .and_then(|re| re.captures(input))
        .ok_or_else(bad)?;
    let (Some(name), Some(operator), Some(raw)) =
        (captures.get(1), captures.get(2), captures.get(3))
    else {
        return Err(bad());
    };
    let raw = raw.as_str();
    let match_type = MatchType::from_operator(operator.as_str()).ok_or_else(bad)?;
    let unescaped_quote = || MatcherError::UnescapedQuote(raw.to_owned());
    let (body, mut expect_trailing_quote) = match raw.strip_prefix('"') {
        Some(rest) => (rest, true),
        None => (raw, false),
    };
    let mut value = String::with_capacity(body.len());
    let mut escaped = false;
    for (i, c) in body.char_indices() {
        if escaped {
            escaped = false;
            match c {
                'n' => value.push('\n'),
                '"' | '\\' => value.push(c),
                _ => {
                    value.push('\\');
                    value.push(c);
                }
            }
            continue;
        }
        let last = i + c.len_utf8() == body.len();
        match c {
            '\\' if !last => escaped = true,
            '\\' => value.push('\\'),
            '"' => {
                if !expect_trailing_quote || !last {
                    return Err(unescaped_quote());
                }
                expect_trailing_quote = false;
            }
            _ => value.push(c),
        }
    }
    if expect_trailing_quote {
        return Err(unescaped_quote());
    }
    Ok(Matcher::new(match_type, name.as_str(), &value)?)
}

pub(crate) fn check_len(input: &str) -> Result<(), MatcherError> {
    if input.len() > MAX_MATCHER_LEN {
        return Err(MatcherError::TooLong { len: input.len() });
    }
    Ok(())
}

/// An alert's labels. A label that is absent reads as the empty string when matched.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct LabelSet(BTreeMap<String, String>);

impl LabelSet {
    /// An empty label set.
    pub fn new() -> LabelSet {
        LabelSet::default()
    }

    /// A label set from name/value pairs (a later pair replaces an earlier one of the same
    /// name), within [`MAX_LABELS`] and [`MAX_LABEL_LEN`].
    pub fn from_pairs<N, V>(
        pairs: impl IntoIterator<Item = (N, V)>,
    ) -> Result<LabelSet, LabelSetError>
    where
        N: Into<String>,
        V: Into<String>,
    {
        let mut set = LabelSet::new();
        for (name, value) in pairs {
            set.insert(name.into(), value.into())?;
        }
        Ok(set)
    }

    /// Sets a label, within the bounds.
    pub fn insert(&mut self, name: String, value: String) -> Result<(), LabelSetError> {
        if name.len() > MAX_LABEL_LEN || value.len() > MAX_LABEL_LEN {
            let mut shown = name;
            let mut cut = shown.len().min(64);
            while !shown.is_char_boundary(cut) {
                cut -= 1;
            }
            shown.truncate(cut);
            return Err(LabelSetError::TooLong { name: shown });
        }
        if self.0.len() >= MAX_LABELS && !self.0.contains_key(&name) {
            return Err(LabelSetError::TooMany);
        }
        self.0.insert(name, value);
        Ok(())
    }

    /// The value of `name`, if present.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    /// The value of `name`, or the empty string when absent (how matchers read it).
    pub fn value(&self, name: &str) -> &str {
        self.get(name).unwrap_or("")
    }

    /// The labels, sorted by name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// Number of labels.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are no labels.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Renders labels as Prometheus's `model.LabelSet.String` does: `{a="1", b="2"}`, sorted by
/// name, values Go-quoted.
pub fn render_label_set<'a>(labels: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut out = String::from("{");
    for (i, (name, value)) in labels.into_iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(name);
        out.push('=');
        out.push_str(&strconv::quote(value));
    }
    out.push('}');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(t: MatchType, n: &str, v: &str) -> Matcher {
        Matcher::new(t, n, v).unwrap()
    }

    #[test]
    fn regexes_are_anchored_and_dot_stops_at_newline() {
        let re = m(MatchType::Regexp, "a", "foo.bar");
        assert!(re.matches("foo-bar"));
        assert!(!re.matches("xfoo-bar"));
        assert!(!re.matches("foo\nbar"));
        assert!(m(MatchType::Regexp, "a", "(?s)foo.bar").matches("foo\nbar"));
        assert!(m(MatchType::NotRegexp, "a", ".*quux").matches(""));
        assert!(m(MatchType::Regexp, "a", r"\d+").matches("12"));
        assert!(!m(MatchType::Regexp, "a", r"\d+").matches("١٢"));
    }

    #[test]
    fn literal_alternations_match_like_their_regex() {
        for pattern in ["critical|warning", "^(?:team-a|)$", "a b|c/d", ""] {
            let fast = m(MatchType::Regexp, "a", pattern);
            assert!(
                matches!(fast.pattern, Some(Pattern::Literals(_))),
                "{pattern}"
            );
            let slow = Matcher {
                pattern: Some(Pattern::Regex {
                    prefix: String::new(),
                    regex: compile_anchored(pattern).unwrap(),
                }),
                ..fast.clone()
            };
            for text in [
                "critical",
                "warning",
                "criticalwarning",
                "",
                "team-a",
                "a b",
                "c/d",
                "x",
            ] {
                assert_eq!(
                    fast.matches(text),
                    slow.matches(text),
                    "{pattern} on {text}"
                );
            }
        }
        assert!(matches!(
            m(MatchType::Regexp, "a", "a.b").pattern,
            Some(Pattern::Regex { .. })
        ));
    }

    #[test]
    fn required_prefix_only_refuses_what_the_regex_refuses() {
        let cases = [
            ("svc-1(-canary)?", "svc-1"),
            ("svc-1?", "svc-"),
            ("svc-1{2}", "svc-"),
            ("abc(?i)def", "abc"),
            ("(?i)abc", ""),
            ("^abc", ""),
            ("ab.*|cd", ""),
            ("日本.+", "日本"),
            ("日本+", "日"),
        ];
        for (pattern, prefix) in cases {
            assert_eq!(required_prefix(pattern), prefix, "{pattern}");
            let filtered = m(MatchType::Regexp, "a", pattern);
            let plain = compile_anchored(pattern).unwrap();
            for text in [
                "svc-1",
                "svc-1-canary",
                "svc-",
                "svc-11",
                "abcDEF",
                "ABC",
                "cd",
                "日",
                "日本語",
                "",
            ] {
                assert_eq!(
                    filtered.matches(text),
                    plain.is_match(text),
                    "{pattern} on {text}"
                );
            }
        }
    }

    #[test]
    fn hostile_regexes_are_refused_like_re2() {
        assert_eq!(
            Matcher::new(MatchType::Regexp, "a", "a{1001}")
                .unwrap_err()
                .to_string(),
            "error parsing regexp: invalid repeat count: `{1001}`"
        );
        assert!(Matcher::new(MatchType::Regexp, "a", "a{2,1001}").is_err());
        assert!(Matcher::new(MatchType::Regexp, "a", "a{3,2}").is_err());
        assert!(Matcher::new(MatchType::Regexp, "a", "a{123456789}").is_err());
        assert!(Matcher::new(MatchType::Regexp, "a", "a{1000}").is_ok());
        // Not repetitions in Go: literal braces.
        assert!(m(MatchType::Regexp, "a", "a{01}").matches("a{01}"));
        assert!(m(MatchType::Regexp, "a", "[{]2000}").matches("{2000}"));
        assert!(Matcher::new(MatchType::Regexp, "a", "a)|(b").is_err());
        assert!(Matcher::new(MatchType::Regexp, "a", "invalid[regexp").is_err());
        assert!(m(MatchType::Regexp, "a", r"[\)]").matches(")"));
    }

    #[test]
    fn renders_like_alertmanager() {
        assert_eq!(
            m(MatchType::Equal, "foo", "double\"quote").to_string(),
            r#"foo="double\"quote""#
        );
        assert_eq!(
            m(MatchType::Equal, "foo", "new\nline").to_string(),
            r#"foo="new\nline""#
        );
        assert_eq!(
            m(MatchType::NotEqual, "foo!", "bar").to_string(),
            r#""foo!"!="bar""#
        );
        assert_eq!(
            m(MatchType::Equal, "foo bar", "a\u{1}").to_string(),
            r#""foo bar"="a\x01""#
        );
        let mut ms = vec![
            m(MatchType::Equal, "owner", "team-A"),
            m(MatchType::NotEqual, "level", "critical"),
        ];
        sort_matchers(&mut ms);
        assert_eq!(
            render_matchers(&ms),
            r#"{level!="critical",owner="team-A"}"#
        );
        assert_eq!(
            render_label_set([("a", "1"), ("b", "x\"y")]),
            r#"{a="1", b="x\"y"}"#
        );
    }

    #[test]
    fn classic_parser_edge_cases() {
        let one = |s: &str| {
            let ms = parse_classic_matchers(s).unwrap();
            assert_eq!(ms.len(), 1, "{s}");
            (
                ms[0].name().to_owned(),
                ms[0].match_type(),
                ms[0].value().to_owned(),
            )
        };
        assert_eq!(
            one("{foo=bar}}"),
            ("foo".into(), MatchType::Equal, "bar}".into())
        );
        assert_eq!(
            one("tricky=~~~"),
            ("tricky".into(), MatchType::Regexp, "~~".into())
        );
        assert_eq!(
            one(r#"trickier==\\=\=\""#),
            ("trickier".into(), MatchType::Equal, r#"=\=\=""#.into())
        );
        assert_eq!(
            one(r"{foo=bar\}"),
            ("foo".into(), MatchType::Equal, "bar\\".into())
        );
        assert_eq!(
            parse_classic_matchers("job=\"value")
                .unwrap_err()
                .to_string(),
            "matcher value contains unescaped double quote: \"value"
        );
        assert_eq!(
            parse_classic_matchers("{{foo=").unwrap_err().to_string(),
            "bad matcher format: {foo="
        );
        assert!(parse_classic_matchers("").unwrap().is_empty());
        assert!(parse_classic_matchers(&"a".repeat(MAX_MATCHER_LEN + 1)).is_err());
    }

    #[test]
    fn checks_stop_at_the_first_failing_matcher() {
        let ms = [
            m(MatchType::Equal, "a", "1"),
            m(MatchType::Regexp, "b", ".*"),
        ];
        let labels = LabelSet::from_pairs([("a", "2")]).unwrap();
        let (all, checks) = check_matchers(&ms, &labels);
        assert!(!all);
        assert_eq!(checks[0].matched, Some(false));
        assert_eq!(checks[1].matched, None);
        let labels = LabelSet::from_pairs([("a", "1")]).unwrap();
        assert!(check_matchers(&ms, &labels).0);
    }

    #[test]
    fn label_sets_are_bounded() {
        let set = LabelSet::from_pairs([("a", "1")]).unwrap();
        assert_eq!(set.value("a"), "1");
        assert_eq!(set.value("missing"), "");
        assert!(
            LabelSet::from_pairs((0..=MAX_LABELS).map(|i| (i.to_string(), String::new()))).is_err()
        );
        assert!(LabelSet::from_pairs([("a".to_owned(), "v".repeat(MAX_LABEL_LEN + 1))]).is_err());
    }
}
