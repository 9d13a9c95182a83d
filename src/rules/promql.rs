//! PromQL parsing as the operator's rule validation and namespace enforcement do it: Prometheus
//! v3.13.2's `parser.NewParser(parser.Options{...}).ParseExpr` (promql/parser/parse.go, lex.go,
//! generated_parser.y), on top of the `promql-parser` crate.
//!
//! The crate has no parser options and knows a slightly different PromQL. This module closes
//! the gap before and after the crate runs:
//! - a lexer that follows Prometheus's `lex.go` finds the lexer errors (unbalanced brackets,
//!   unterminated strings, unexpected characters) with Prometheus's wording and position, and
//!   enforces the input limits ([`MAX_EXPR_BYTES`], [`MAX_NESTING_DEPTH`], [`MAX_OPERATORS`])
//!   before anything recursive runs;
//! - the option-gated syntax the crate cannot parse (duration expressions such as `[2*1m]`,
//!   `offset (1h)`, `step()`; the `anchored` / `smoothed` modifiers; `offset 0`) is checked on
//!   the tokens and, when allowed, replaced by an equivalent plain form before the crate parses;
//! - after the crate parses, the AST is checked for what the crate accepts but Prometheus
//!   v3.13.2 gates or lacks: experimental functions, `limitk` / `limit_ratio`, binop `fill`
//!   modifiers, `or` inside label matchers, functions v3.13.2 does not have.
//!
//! What is not matched: errors found by the crate's grammar carry the crate's wording and no
//! position (Prometheus reports `line:col: parse error: ...`); when an expression has both a
//! grammar error and a later lexer error, the lexer error is reported (Prometheus reports
//! whichever its parser reaches first); duration expressions are checked for syntax only (their
//! value is not computed, as Prometheus also leaves `step()` / `range()` to evaluation time).

use std::borrow::Cow;
use std::fmt;

use promql_parser::parser::Expr;

use crate::duration::Duration;
use crate::go::strconv::{quote, quoted_end, scan_while};

/// Largest expression parsed, in bytes. A rule file is at most 512 KiB; a single expression of
/// a quarter of that is far beyond any real rule.
pub const MAX_EXPR_BYTES: usize = 128 * 1024;

/// Deepest nesting of `(`, `[` and `{` accepted. The crate parses and drops its AST
/// recursively; 200,000 nested parentheses overflow the stack.
pub const MAX_NESTING_DEPTH: usize = 256;

/// Most tokens that deepen the AST by one level each: binary and unary operators (`+ - * / % ^`,
/// comparisons, `and` / `or` / `unless` / `atan2`), range and subquery brackets, `offset` and
/// `@`. The crate type-checks binary expressions in quadratic time (100,000 terms take
/// minutes) and recurses once per level. Measured with the crate on the 2-core development
/// machine: 1,000 terms parse in 8 ms (release) / 23 ms (debug), 4,000 in 160 / 290 ms; the
/// limit keeps the worst case near 25 ms and the AST depth within a 2 MiB thread stack.
pub const MAX_OPERATORS: usize = 1024;

/// The PromQL parser options (`parser.Options`) a Prometheus enables through `enableFeatures`
/// and the admission webhook through `--promql-options`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ParserOptions {
    /// `EnableExperimentalFunctions` (`promql-experimental-functions`).
    pub experimental_functions: bool,
    /// `ExperimentalDurationExpr` (`promql-duration-expr`).
    pub duration_expr: bool,
    /// `EnableExtendedRangeSelectors` (`promql-extended-range-selectors`).
    pub extended_range_selectors: bool,
    /// `EnableBinopFillModifiers` (`promql-binop-fill-modifiers`).
    pub binop_fill_modifiers: bool,
}

/// Each parser option: its `enableFeatures` value (pkg/prometheus/server/rules.go), its
/// admission webhook `--promql-options` value (cmd/admission-webhook), and its field.
type OptionName = (
    &'static str,
    &'static str,
    fn(&mut ParserOptions) -> &mut bool,
);
const OPTION_NAMES: [OptionName; 4] = [
    (
        "promql-experimental-functions",
        "experimental-functions",
        |o| &mut o.experimental_functions,
    ),
    ("promql-duration-expr", "duration-expression-parsing", |o| {
        &mut o.duration_expr
    }),
    (
        "promql-extended-range-selectors",
        "extended-range-selectors",
        |o| &mut o.extended_range_selectors,
    ),
    ("promql-binop-fill-modifiers", "binop-fill-modifiers", |o| {
        &mut o.binop_fill_modifiers
    }),
];

impl ParserOptions {
    /// The options a Prometheus's `spec.enableFeatures` turn on.
    pub fn from_enable_features(features: &[String]) -> Self {
        let mut options = ParserOptions::default();
        for (feature, _, field) in OPTION_NAMES {
            if features.iter().any(|f| f == feature) {
                *field(&mut options) = true;
            }
        }
        options
    }

    /// The options of the admission webhook's `--promql-options` values; `Err` names the
    /// first unknown value.
    pub fn from_webhook_flags(values: &[String]) -> Result<Self, String> {
        let mut options = ParserOptions::default();
        for value in values {
            let (_, _, field) = OPTION_NAMES
                .iter()
                .find(|(_, flag, _)| flag == value)
                .ok_or_else(|| value.clone())?;
            *field(&mut options) = true;
        }
        Ok(options)
    }

    /// For each option these leave off: the `enableFeatures` value that turns it on, and
    /// these options with it on.
    pub fn each_feature_more(&self) -> impl Iterator<Item = (&'static str, ParserOptions)> + '_ {
        OPTION_NAMES.iter().filter_map(|(feature, _, field)| {
            let mut more = *self;
            let slot = field(&mut more);
            if *slot {
                return None;
            }
            *slot = true;
            Some((*feature, more))
        })
    }
}

/// Where in an expression an error is: a byte offset and Prometheus's `line:column` (both
/// 1-based; the column counts bytes, as Prometheus's `StartPosInput` does).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    /// Byte offset into the expression.
    pub offset: usize,
    /// Line, from 1.
    pub line: usize,
    /// Byte column, from 1.
    pub column: usize,
}

impl Position {
    fn at(input: &str, offset: usize) -> Self {
        let offset = offset.min(input.len());
        let before = input.get(..offset).unwrap_or("");
        let line = before.bytes().filter(|b| *b == b'\n').count() + 1;
        let column = match before.rfind('\n') {
            Some(nl) => offset - nl,
            None => offset + 1,
        };
        Position {
            offset,
            line,
            column,
        }
    }
}

/// Why an expression does not parse.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// The expression is longer than [`MAX_EXPR_BYTES`].
    #[error(
        "expression is {len} bytes, above the limit of {MAX_EXPR_BYTES} bytes (MAX_EXPR_BYTES)"
    )]
    TooLong {
        /// Its length.
        len: usize,
    },
    /// Brackets nest deeper than [`MAX_NESTING_DEPTH`].
    #[error(
        "{}: brackets nest deeper than {MAX_NESTING_DEPTH} levels (MAX_NESTING_DEPTH)",
        pos_text(.position)
    )]
    TooDeep {
        /// Where the limit is passed.
        position: Position,
    },
    /// More operators than [`MAX_OPERATORS`].
    #[error(
        "{}: more than {MAX_OPERATORS} operators, brackets and modifiers (MAX_OPERATORS)",
        pos_text(.position)
    )]
    TooManyOperators {
        /// Where the limit is passed.
        position: Position,
    },
    /// A Prometheus parse error (`line:col: parse error: message` when the position is known).
    #[error("{}", parse_error_text(.message, .position))]
    Syntax {
        /// The message, in Prometheus's wording where this module produces it.
        message: String,
        /// Where, when known (errors of the crate's grammar have none).
        position: Option<Position>,
    },
}

fn pos_text(position: &Position) -> String {
    format!("{}:{}", position.line, position.column)
}

fn parse_error_text(message: &str, position: &Option<Position>) -> String {
    match position {
        Some(p) => format!("{}: parse error: {message}", pos_text(p)),
        None => format!("parse error: {message}"),
    }
}

impl ParseError {
    /// Where the error is, when known.
    pub fn position(&self) -> Option<Position> {
        match self {
            ParseError::TooLong { .. } => None,
            ParseError::TooDeep { position } | ParseError::TooManyOperators { position } => {
                Some(*position)
            }
            ParseError::Syntax { position, .. } => *position,
        }
    }
}

/// A parsed expression, with what the printer needs that the crate's AST forgets.
#[derive(Debug)]
pub struct Parsed {
    /// The crate's AST.
    pub expr: Expr,
    /// Number literals in value position, in source order: `(value, written as a duration)`.
    /// Prometheus keeps the "duration" flag on a number literal (`x > 5m` prints as `5m`).
    pub literals: Vec<(f64, bool)>,
}

/// Parses `input` with Prometheus v3.13.2's semantics for `options`.
pub fn parse(input: &str, options: &ParserOptions) -> Result<Parsed, ParseError> {
    if input.len() > MAX_EXPR_BYTES {
        return Err(ParseError::TooLong { len: input.len() });
    }
    let tokens = lex(input)?;
    let rewritten = rewrite(input, &tokens, options)?;
    let literals = value_literals(input, &tokens);
    let text = rewritten.as_deref().unwrap_or(input);
    let expr = promql_parser::parser::parse(text).map_err(|message| ParseError::Syntax {
        message,
        position: None,
    })?;
    check_ast(&expr, options).map_err(|message| ParseError::Syntax {
        message,
        position: None,
    })?;
    Ok(Parsed { expr, literals })
}

/// Token kinds of the pre-lexer (a subset of Prometheus's item types).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Identifier,
    Number,
    Duration,
    String,
    LeftParen,
    RightParen,
    LeftBrace,
    RightBrace,
    LeftBracket,
    RightBracket,
    Comma,
    Colon,
    /// An operator symbol or `@`.
    Operator,
}

#[derive(Clone, Copy, Debug)]
struct Token {
    kind: Kind,
    start: usize,
    end: usize,
    /// Inside `[...]`.
    in_brackets: bool,
}

fn syntax(input: &str, offset: usize, message: String) -> ParseError {
    ParseError::Syntax {
        message,
        position: Some(Position::at(input, offset)),
    }
}

/// Go's `%q` of a rune.
fn quote_rune(c: char) -> String {
    match c {
        '\'' => "'\\''".to_owned(),
        '\\' => "'\\\\'".to_owned(),
        c if crate::go::strconv::is_print(c) => format!("'{c}'"),
        c => format!("'{}'", crate::go::strconv::escape_char(c)),
    }
}

/// Splits `input` into tokens as Prometheus's lexer does, enforcing the limits.
fn lex(input: &str) -> Result<Vec<Token>, ParseError> {
    let bytes = input.as_bytes();
    let mut tokens: Vec<Token> = Vec::new();
    let mut pos = 0;
    let mut paren_depth: usize = 0;
    let mut brace_open = false;
    let mut bracket_open = false;
    let mut operators = 0usize;
    let mut count = |at: usize| -> Result<(), ParseError> {
        operators += 1;
        if operators > MAX_OPERATORS {
            return Err(ParseError::TooManyOperators {
                position: Position::at(input, at),
            });
        }
        Ok(())
    };
    let depth_check = |depth: usize, at: usize| -> Result<(), ParseError> {
        if depth > MAX_NESTING_DEPTH {
            return Err(ParseError::TooDeep {
                position: Position::at(input, at),
            });
        }
        Ok(())
    };
    while pos < bytes.len() {
        let Some(c) = input.get(pos..).and_then(|s| s.chars().next()) else {
            break;
        };
        let start = pos;
        let next = pos + c.len_utf8();
        let push = |tokens: &mut Vec<Token>, kind: Kind, end: usize, in_brackets: bool| {
            tokens.push(Token {
                kind,
                start,
                end,
                in_brackets,
            });
        };
        if c == '#' {
            pos = input[pos..]
                .find(['\n', '\r'])
                .map_or(bytes.len(), |n| pos + n);
            continue;
        }
        if matches!(c, ' ' | '\t' | '\n' | '\r') {
            pos = next;
            continue;
        }
        if c == '"' || c == '\'' || c == '`' {
            pos = scan_string(input, pos, c)?;
            push(&mut tokens, Kind::String, pos, bracket_open);
            continue;
        }
        if brace_open {
            match c {
                c if c == '_' || c.is_ascii_alphabetic() => {
                    pos = scan_while(input, pos, |c| c == '_' || c.is_ascii_alphanumeric());
                    push(&mut tokens, Kind::Identifier, pos, false);
                }
                ',' => {
                    push(&mut tokens, Kind::Comma, next, false);
                    pos = next;
                }
                '=' => {
                    pos = if input[next..].starts_with('~') {
                        next + 1
                    } else {
                        next
                    };
                    push(&mut tokens, Kind::Operator, pos, false);
                }
                '!' => match input[next..].chars().next() {
                    Some('~' | '=') => {
                        pos = next + 1;
                        push(&mut tokens, Kind::Operator, pos, false);
                    }
                    other => {
                        return Err(syntax(
                            input,
                            start,
                            format!(
                                "unexpected character after '!' inside braces: {}",
                                quote_rune(other.unwrap_or('\u{fffd}'))
                            ),
                        ));
                    }
                },
                '{' => {
                    return Err(syntax(input, start, "unexpected left brace '{'".to_owned()));
                }
                '}' => {
                    brace_open = false;
                    push(&mut tokens, Kind::RightBrace, next, false);
                    pos = next;
                }
                c => {
                    return Err(syntax(
                        input,
                        start,
                        format!("unexpected character inside braces: {}", quote_rune(c)),
                    ));
                }
            }
            continue;
        }
        match c {
            ',' => push(&mut tokens, Kind::Comma, next, bracket_open),
            '*' | '/' | '%' | '+' | '-' | '^' | '@' => {
                count(start)?;
                push(&mut tokens, Kind::Operator, next, bracket_open);
            }
            // `=`, `==`, `<`, `<=`, `>`, `>=`.
            '=' | '<' | '>' => {
                if c == '=' && input[next..].starts_with('~') {
                    return Err(syntax(
                        input,
                        start,
                        "unexpected character after '=': '~'".to_owned(),
                    ));
                }
                count(start)?;
                let end = if input[next..].starts_with('=') {
                    next + 1
                } else {
                    next
                };
                push(&mut tokens, Kind::Operator, end, bracket_open);
                pos = end;
                continue;
            }
            '!' => {
                let after = input[next..].chars().next();
                if after != Some('=') {
                    return Err(syntax(
                        input,
                        start,
                        format!(
                            "unexpected character after '!': {}",
                            quote_rune(after.unwrap_or('\u{fffd}'))
                        ),
                    ));
                }
                count(start)?;
                push(&mut tokens, Kind::Operator, next + 1, bracket_open);
                pos = next + 1;
                continue;
            }
            c if c.is_ascii_digit()
                || (c == '.' && input[next..].starts_with(|d: char| d.is_ascii_digit())) =>
            {
                let (end, kind) = scan_number(input, pos)?;
                push(&mut tokens, kind, end, bracket_open);
                pos = end;
                continue;
            }
            c if bracket_open && c == ':' => {
                push(&mut tokens, Kind::Colon, next, true);
            }
            c if c == '_' || c == ':' || c.is_ascii_alphabetic() => {
                let end = if bracket_open {
                    scan_while(input, pos, |c| c == '_' || c.is_ascii_alphabetic())
                } else {
                    scan_while(input, pos, |c| {
                        c == '_' || c == ':' || c.is_ascii_alphanumeric()
                    })
                };
                let word = &input[pos..end];
                if bracket_open && !is_duration_keyword(word) {
                    return Err(syntax(
                        input,
                        start,
                        format!(
                            "unexpected character in duration expression: {}",
                            quote_rune(c)
                        ),
                    ));
                }
                if is_operator_word(word) || word.eq_ignore_ascii_case("offset") {
                    count(start)?;
                }
                push(&mut tokens, Kind::Identifier, end, bracket_open);
                pos = end;
                continue;
            }
            '(' => {
                paren_depth += 1;
                depth_check(paren_depth + usize::from(bracket_open), start)?;
                push(&mut tokens, Kind::LeftParen, next, bracket_open);
            }
            ')' => {
                if paren_depth == 0 {
                    // Prometheus reports the position after the parenthesis.
                    return Err(syntax(
                        input,
                        next,
                        "unexpected right parenthesis ')'".to_owned(),
                    ));
                }
                paren_depth -= 1;
                push(&mut tokens, Kind::RightParen, next, bracket_open);
            }
            '{' => {
                depth_check(paren_depth + 1, start)?;
                brace_open = true;
                push(&mut tokens, Kind::LeftBrace, next, false);
            }
            '}' => {
                return Err(syntax(input, start, "unexpected character: '}'".to_owned()));
            }
            '[' => {
                if bracket_open {
                    return Err(syntax(
                        input,
                        start,
                        "unexpected left bracket '['".to_owned(),
                    ));
                }
                count(start)?;
                depth_check(paren_depth + 1, start)?;
                bracket_open = true;
                push(&mut tokens, Kind::LeftBracket, next, false);
            }
            ']' => {
                if !bracket_open {
                    return Err(syntax(
                        input,
                        start,
                        "unexpected right bracket ']'".to_owned(),
                    ));
                }
                bracket_open = false;
                push(&mut tokens, Kind::RightBracket, next, false);
            }
            c => {
                let message = if bracket_open {
                    format!(
                        "unexpected character in duration expression: {}",
                        quote_rune(c)
                    )
                } else {
                    format!("unexpected character: {}", quote_rune(c))
                };
                return Err(syntax(input, start, message));
            }
        }
        pos = next;
    }
    if brace_open {
        return Err(syntax(
            input,
            input.len(),
            "unexpected end of input inside braces".to_owned(),
        ));
    }
    if bracket_open {
        return Err(syntax(
            input,
            input.len(),
            "unexpected end of input in duration expression".to_owned(),
        ));
    }
    if paren_depth != 0 {
        return Err(syntax(
            input,
            input.len(),
            "unclosed left parenthesis".to_owned(),
        ));
    }
    Ok(tokens)
}

/// The end of the string starting at `from` with `quote`.
fn scan_string(input: &str, from: usize, quote: char) -> Result<usize, ParseError> {
    quoted_end(input, from, quote).ok_or_else(|| {
        let message = if quote == '`' {
            "unterminated raw string"
        } else {
            "unterminated quoted string"
        };
        syntax(input, from, message.to_owned())
    })
}

/// A number or a duration starting at `from` (Prometheus's `lexNumberOrDuration`, simplified:
/// the crate checks the number itself).
fn scan_number(input: &str, from: usize) -> Result<(usize, Kind), ParseError> {
    let bytes = input.as_bytes();
    let hex = input[from..].starts_with("0x") || input[from..].starts_with("0X");
    let mut end = from;
    while let Some(&b) = bytes.get(end) {
        let exponent_sign = !hex
            && (b == b'+' || b == b'-')
            && end > from
            && matches!(bytes.get(end - 1), Some(b'e' | b'E'))
            && bytes.get(end + 1).is_some_and(u8::is_ascii_digit)
            && input[from..end - 1]
                .bytes()
                .all(|d| d.is_ascii_digit() || d == b'.' || d == b'_');
        if b.is_ascii_alphanumeric() || b == b'.' || b == b'_' || exponent_sign {
            end += 1;
        } else {
            break;
        }
    }
    let text = &input[from..end];
    let kind = if is_duration_text(text) {
        Kind::Duration
    } else {
        Kind::Number
    };
    if kind == Kind::Number
        && !hex
        && text
            .bytes()
            .any(|b| b.is_ascii_alphabetic() && b != b'e' && b != b'E')
    {
        return Err(syntax(
            input,
            from,
            format!("bad number or duration syntax: {text:?}"),
        ));
    }
    Ok((end, kind))
}

/// `1h30m`, `500ms`, `5m`: digits and units, units in Prometheus's order.
fn is_duration_text(text: &str) -> bool {
    !text.is_empty()
        && text.bytes().next().is_some_and(|b| b.is_ascii_digit())
        && text.bytes().any(|b| b.is_ascii_alphabetic())
        && Duration::parse(text).is_ok()
}

fn is_duration_keyword(word: &str) -> bool {
    ["step", "range", "min_of", "max_of"]
        .iter()
        .any(|k| k.eq_ignore_ascii_case(word))
}

fn is_operator_word(word: &str) -> bool {
    ["and", "or", "unless", "atan2"]
        .iter()
        .any(|k| k.eq_ignore_ascii_case(word))
}

fn text<'a>(input: &'a str, token: &Token) -> &'a str {
    input.get(token.start..token.end).unwrap_or("")
}

/// Checks the option-gated syntax the crate cannot parse and returns the expression rewritten
/// into what the crate parses to the same accept/reject answer (`None`: no change needed).
fn rewrite(
    input: &str,
    tokens: &[Token],
    options: &ParserOptions,
) -> Result<Option<String>, ParseError> {
    // Byte ranges to replace, with their replacement, in order.
    let mut edits: Vec<(usize, usize, Cow<'static, str>)> = Vec::new();
    let mut i = 0;
    while let Some(token) = tokens.get(i) {
        match token.kind {
            Kind::LeftBracket => {
                let close = tokens[i..]
                    .iter()
                    .position(|t| t.kind == Kind::RightBracket)
                    .map_or(tokens.len(), |n| i + n);
                let inner = tokens.get(i + 1..close).unwrap_or(&[]);
                let mut parts = inner.split(|t| t.kind == Kind::Colon);
                let is_subquery = inner.iter().any(|t| t.kind == Kind::Colon);
                for (n, part) in parts.by_ref().enumerate() {
                    if is_plain_duration(part) || (n == 1 && part.is_empty()) {
                        continue;
                    }
                    if part.is_empty() {
                        // Let the crate report the missing range.
                        continue;
                    }
                    check_duration_expr(input, part, options)?;
                    let (Some(first), Some(last)) = (part.first(), part.last()) else {
                        continue;
                    };
                    edits.push((first.start, last.end, "1s".into()));
                }
                // A modifier after the bracket.
                if let Some(next) = tokens.get(close + 1)
                    && next.kind == Kind::Identifier
                    && let Some(modifier) = range_modifier(text(input, next))
                {
                    if !options.extended_range_selectors {
                        return Err(syntax(
                            input,
                            next.start,
                            format!("{modifier} modifier is experimental and not enabled"),
                        ));
                    }
                    if is_subquery {
                        return Err(syntax(
                            input,
                            next.start,
                            format!("{modifier} modifier is not supported for subqueries"),
                        ));
                    }
                    if let Some(other) = tokens.get(close + 2)
                        && other.kind == Kind::Identifier
                        && range_modifier(text(input, other)).is_some()
                    {
                        return Err(syntax(
                            input,
                            other.start,
                            "anchored and smoothed modifiers cannot be used together".to_owned(),
                        ));
                    }
                    edits.push((next.start, next.end, "".into()));
                }
                i = close + 1;
                continue;
            }
            Kind::Identifier if text(input, token).eq_ignore_ascii_case("offset") => {
                let operand = tokens.get(i + 1..).unwrap_or(&[]);
                let signed = operand.first().is_some_and(|t| {
                    t.kind == Kind::Operator && matches!(text(input, t), "+" | "-")
                });
                let value = operand.get(usize::from(signed)..).unwrap_or(&[]);
                match value.first() {
                    Some(t) if matches!(t.kind, Kind::Number | Kind::Duration) => {
                        if literal_seconds(text(input, t)) == Some(0.0) {
                            // `offset 0` is valid in Prometheus and means no offset; the crate
                            // refuses a zero duration.
                            edits.push((token.start, t.end, "".into()));
                        }
                        i += 2 + usize::from(signed);
                        continue;
                    }
                    Some(t)
                        if t.kind == Kind::LeftParen
                            || (t.kind == Kind::Identifier
                                && is_duration_keyword(text(input, t))) =>
                    {
                        let end = duration_operand_end(value);
                        let part = value.get(..end).unwrap_or(&[]);
                        check_duration_expr(input, part, options)?;
                        if let (Some(first), Some(last)) = (part.first(), part.last()) {
                            edits.push((first.start, last.end, "1s".into()));
                        }
                        i += 1 + usize::from(signed) + end;
                        continue;
                    }
                    _ => {}
                }
            }
            Kind::Identifier if modifies_instant_selector(input, tokens, i) => {
                // `metric anchored`: the modifier on an instant vector selector.
                if let Some(modifier) = range_modifier(text(input, token)) {
                    if !options.extended_range_selectors {
                        return Err(syntax(
                            input,
                            token.start,
                            format!("{modifier} modifier is experimental and not enabled"),
                        ));
                    }
                    edits.push((token.start, token.end, "".into()));
                }
            }
            Kind::String if text(input, token).starts_with('`') => {
                // Raw strings keep every character; the crate's lexer reads escapes in them.
                edits.push((
                    token.start,
                    token.end,
                    quote(raw_content(input, token)).into(),
                ));
            }
            _ => {}
        }
        i += 1;
    }
    if edits.is_empty() {
        return Ok(None);
    }
    let mut out = String::with_capacity(input.len());
    let mut last = 0;
    for (start, end, replacement) in edits {
        out.push_str(input.get(last..start).unwrap_or(""));
        out.push(' ');
        out.push_str(&replacement);
        out.push(' ');
        last = end;
    }
    out.push_str(input.get(last..).unwrap_or(""));
    Ok(Some(out))
}

/// The characters between a raw string token's backticks.
fn raw_content<'i>(input: &'i str, token: &Token) -> &'i str {
    let raw = text(input, token);
    raw.get(1..raw.len().saturating_sub(1)).unwrap_or("")
}

/// Whether token `i` is `anchored` / `smoothed` after an instant vector selector (a metric name
/// or `}`), not itself a metric or function name.
fn modifies_instant_selector(input: &str, tokens: &[Token], i: usize) -> bool {
    let Some(token) = tokens.get(i) else {
        return false;
    };
    range_modifier(text(input, token)).is_some()
        && i > 0
        && tokens.get(i - 1).is_some_and(|p| {
            p.kind == Kind::RightBrace
                || (p.kind == Kind::Identifier
                    && !is_operator_word(text(input, p))
                    && !is_keyword(text(input, p)))
        })
        && !tokens
            .get(i + 1)
            .is_some_and(|n| matches!(n.kind, Kind::LeftParen | Kind::LeftBrace))
}

fn is_keyword(word: &str) -> bool {
    [
        "by",
        "without",
        "on",
        "ignoring",
        "group_left",
        "group_right",
        "bool",
        "offset",
    ]
    .iter()
    .any(|k| k.eq_ignore_ascii_case(word))
}

fn range_modifier(word: &str) -> Option<&'static str> {
    if word.eq_ignore_ascii_case("anchored") {
        Some("anchored")
    } else if word.eq_ignore_ascii_case("smoothed") {
        Some("smoothed")
    } else {
        None
    }
}

fn is_plain_duration(part: &[Token]) -> bool {
    matches!(part, [t] if matches!(t.kind, Kind::Number | Kind::Duration))
}

/// The value in seconds of a number or duration literal.
fn literal_seconds(text: &str) -> Option<f64> {
    if is_duration_text(text) {
        return Duration::parse(text)
            .ok()
            .map(|d| d.as_millis() as f64 / 1000.0);
    }
    text.parse::<f64>().ok()
}

/// How many tokens an `offset` duration expression operand spans: a parenthesised group, or a
/// keyword call such as `step()` / `min_of(a, b)`.
fn duration_operand_end(tokens: &[Token]) -> usize {
    let start = match tokens.first() {
        Some(t) if t.kind == Kind::Identifier => 1,
        _ => 0,
    };
    let mut depth = 0usize;
    for (n, t) in tokens.iter().enumerate().skip(start) {
        match t.kind {
            Kind::LeftParen => depth += 1,
            Kind::RightParen => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return n + 1;
                }
            }
            _ if depth == 0 => return n,
            _ => {}
        }
    }
    tokens.len()
}

/// Checks a duration expression (generated_parser.y `duration_expr`): the option must be on,
/// and the tokens must form arithmetic over numbers, durations and `step()`, `range()`,
/// `min_of(a, b)`, `max_of(a, b)`.
fn check_duration_expr(
    input: &str,
    part: &[Token],
    options: &ParserOptions,
) -> Result<(), ParseError> {
    let at = part.first().map_or(0, |t| t.start);
    if !options.duration_expr {
        return Err(syntax(
            input,
            at,
            "experimental duration expression is not enabled".to_owned(),
        ));
    }
    let mut parser = DurationExprParser {
        input,
        tokens: part,
        pos: 0,
    };
    parser.expr(0)?;
    if let Some(t) = part.get(parser.pos) {
        return Err(syntax(
            input,
            t.start,
            format!("unexpected {:?} in duration expression", text(input, t)),
        ));
    }
    Ok(())
}

/// Precedence-climbing check of a duration expression; depth is bounded by the lexer's
/// nesting limit because every level of recursion below `primary` consumes a parenthesis.
struct DurationExprParser<'a> {
    input: &'a str,
    tokens: &'a [Token],
    pos: usize,
}

impl DurationExprParser<'_> {
    fn peek_text(&self) -> Option<&str> {
        self.tokens.get(self.pos).map(|t| text(self.input, t))
    }

    fn fail(&self, what: &str) -> ParseError {
        let at = self
            .tokens
            .get(self.pos)
            .or(self.tokens.last())
            .map_or(0, |t| t.start);
        syntax(
            self.input,
            at,
            format!("unexpected {what} in duration expression"),
        )
    }

    fn expr(&mut self, min_precedence: u8) -> Result<(), ParseError> {
        self.unary()?;
        while let Some(op) = self.peek_text() {
            let precedence = match op {
                "+" | "-" => 1,
                "*" | "/" | "%" => 2,
                "^" => 3,
                _ => break,
            };
            if precedence < min_precedence {
                break;
            }
            self.pos += 1;
            // `^` is right-associative.
            let next = if precedence == 3 {
                precedence
            } else {
                precedence + 1
            };
            self.expr(next)?;
        }
        Ok(())
    }

    fn unary(&mut self) -> Result<(), ParseError> {
        while matches!(self.peek_text(), Some("+" | "-")) {
            self.pos += 1;
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<(), ParseError> {
        let Some(token) = self.tokens.get(self.pos) else {
            return Err(self.fail("end of input"));
        };
        match token.kind {
            Kind::Number | Kind::Duration => {
                self.pos += 1;
                Ok(())
            }
            Kind::LeftParen => {
                self.pos += 1;
                self.expr(0)?;
                self.expect(Kind::RightParen)
            }
            Kind::Identifier => {
                let word = text(self.input, token).to_ascii_lowercase();
                self.pos += 1;
                self.expect(Kind::LeftParen)?;
                if word == "min_of" || word == "max_of" {
                    self.expr(0)?;
                    self.expect(Kind::Comma)?;
                    self.expr(0)?;
                }
                self.expect(Kind::RightParen)
            }
            _ => Err(self.fail(&format!("{:?}", text(self.input, token)))),
        }
    }

    fn expect(&mut self, kind: Kind) -> Result<(), ParseError> {
        match self.tokens.get(self.pos) {
            Some(t) if t.kind == kind => {
                self.pos += 1;
                Ok(())
            }
            Some(t) => Err(self.fail(&format!("{:?}", text(self.input, t)))),
            None => Err(self.fail("end of input")),
        }
    }
}

/// Number literals in value position (not a range, subquery step, `offset`, `@` or `fill`
/// operand, not inside braces), in source order.
fn value_literals(input: &str, tokens: &[Token]) -> Vec<(f64, bool)> {
    let mut out = Vec::new();
    let mut fill_depth: Option<usize> = None;
    let mut depth = 0usize;
    for (n, token) in tokens.iter().enumerate() {
        match token.kind {
            Kind::LeftParen => {
                depth += 1;
                if fill_depth.is_none()
                    && n > 0
                    && tokens.get(n - 1).is_some_and(|p| {
                        p.kind == Kind::Identifier
                            && matches!(
                                text(input, p).to_ascii_lowercase().as_str(),
                                "fill" | "fill_left" | "fill_right"
                            )
                    })
                {
                    fill_depth = Some(depth);
                }
            }
            Kind::RightParen => {
                if fill_depth == Some(depth) {
                    fill_depth = None;
                }
                depth = depth.saturating_sub(1);
            }
            Kind::Number | Kind::Duration if !token.in_brackets && fill_depth.is_none() => {
                let previous = tokens[..n]
                    .iter()
                    .rev()
                    .find(|p| !(p.kind == Kind::Operator && matches!(text(input, p), "+" | "-")));
                let modifier_operand = previous.is_some_and(|p| {
                    let word = text(input, p);
                    word == "@" || word.eq_ignore_ascii_case("offset")
                });
                if !modifier_operand && let Some(value) = literal_seconds(text(input, token)) {
                    out.push((value, token.kind == Kind::Duration));
                }
            }
            Kind::Identifier if !token.in_brackets => {
                let word = text(input, token);
                // `Inf {` or `nan(` would be a metric or a function, not a number.
                let names_something = tokens
                    .get(n + 1)
                    .is_some_and(|t| matches!(t.kind, Kind::LeftBrace | Kind::LeftParen));
                if !names_something
                    && (word.eq_ignore_ascii_case("inf") || word.eq_ignore_ascii_case("nan"))
                {
                    let value = if word.eq_ignore_ascii_case("inf") {
                        f64::INFINITY
                    } else {
                        f64::NAN
                    };
                    out.push((value, false));
                }
            }
            _ => {}
        }
    }
    out
}

/// Functions of Prometheus v3.13.2 that need `EnableExperimentalFunctions`
/// (promql/parser/functions.go, `Experimental: true`).
const EXPERIMENTAL_FUNCTIONS: &[&str] = &[
    "double_exponential_smoothing",
    "end",
    "first_over_time",
    "histogram_quantiles",
    "info",
    "mad_over_time",
    "max_of",
    "min_of",
    "range",
    "sort_by_label",
    "sort_by_label_desc",
    "start",
    "step",
    "ts_of_first_over_time",
    "ts_of_last_over_time",
    "ts_of_max_over_time",
    "ts_of_min_over_time",
];

/// Functions the crate knows that Prometheus v3.13.2 does not.
const UNKNOWN_IN_PROMETHEUS: &[&str] = &["integral", "start_timestamp"];

/// Checks what the crate accepts but Prometheus v3.13.2 gates or lacks. Recursion depth is
/// bounded by the lexer limits.
fn check_ast(expr: &Expr, options: &ParserOptions) -> Result<(), String> {
    match expr {
        Expr::Aggregate(a) => {
            let op = a.op.to_string();
            if !options.experimental_functions && (op == "limitk" || op == "limit_ratio") {
                return Err(format!(
                    "{op}() is experimental and must be enabled with \
                     --enable-feature=promql-experimental-functions"
                ));
            }
            if let Some(param) = &a.param {
                check_ast(param, options)?;
            }
            check_ast(&a.expr, options)
        }
        Expr::Unary(u) => check_ast(&u.expr, options),
        Expr::Binary(b) => {
            if let Some(modifier) = &b.modifier {
                let fill = &modifier.fill_values;
                if (fill.lhs.is_some() || fill.rhs.is_some()) && !options.binop_fill_modifiers {
                    return Err("binop fill modifiers are experimental and not enabled".to_owned());
                }
            }
            check_ast(&b.lhs, options)?;
            check_ast(&b.rhs, options)
        }
        Expr::Paren(p) => check_ast(&p.expr, options),
        Expr::Subquery(s) => check_ast(&s.expr, options),
        Expr::VectorSelector(vs) => check_matchers(&vs.matchers),
        Expr::MatrixSelector(ms) => check_matchers(&ms.vs.matchers),
        Expr::Call(call) => {
            let name = call.func.name;
            if UNKNOWN_IN_PROMETHEUS.contains(&name) {
                return Err(format!("unknown function with name {name:?}"));
            }
            if EXPERIMENTAL_FUNCTIONS.contains(&name) && !options.experimental_functions {
                return Err(format!("function {name:?} is not enabled"));
            }
            call.args
                .args
                .iter()
                .try_for_each(|arg| check_ast(arg, options))
        }
        Expr::NumberLiteral(_) | Expr::StringLiteral(_) | Expr::Extension(_) => Ok(()),
    }
}

fn check_matchers(matchers: &promql_parser::label::Matchers) -> Result<(), String> {
    if matchers.or_matchers.is_empty() {
        Ok(())
    } else {
        Err("unexpected identifier \"or\" in label matching, expected \",\" or \"}\"".to_owned())
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(input: &str, options: ParserOptions) -> String {
        parse(input, &options).unwrap_err().to_string()
    }

    #[test]
    fn lexer_errors_carry_prometheus_wording_and_position() {
        let o = ParserOptions::default();
        assert_eq!(
            err("vector(1))", o),
            "1:11: parse error: unexpected right parenthesis ')'"
        );
        assert_eq!(
            err("invalid_expr{", o),
            "1:14: parse error: unexpected end of input inside braces"
        );
        assert_eq!(
            err("sum(x", o),
            "1:6: parse error: unclosed left parenthesis"
        );
        assert_eq!(
            err("x “y”", o),
            "1:3: parse error: unexpected character: '“'"
        );
        assert_eq!(
            err("x{a=\"b}", o),
            "1:5: parse error: unterminated quoted string"
        );
    }

    #[test]
    fn raw_strings_keep_their_backslashes() {
        let o = ParserOptions::default();
        for expr in [
            r#"label_replace(x, "a", "$1", "b", `(\d+)`)"#,
            r"x{host=~`.*\.example\.com`}",
            "x{a=`say \"hi\"\nbye`}",
        ] {
            let parsed = parse(expr, &o).unwrap_or_else(|e| panic!("{expr}: {e}"));
            // Printed as Prometheus prints a string: Go-quoted, same characters.
            let printed = crate::rules::printer::print(&parsed);
            assert!(!printed.contains('`'), "{printed}");
        }
        let parsed = parse(r"x{host=~`.*\.example\.com`}", &o).unwrap();
        assert_eq!(
            crate::rules::printer::print(&parsed),
            r#"x{host=~".*\\.example\\.com"}"#
        );
    }

    #[test]
    fn options_gate_experimental_syntax() {
        let off = ParserOptions::default();
        let on = ParserOptions {
            experimental_functions: true,
            duration_expr: true,
            extended_range_selectors: true,
            binop_fill_modifiers: true,
        };
        for (expr, message) in [
            ("limitk(5, up)", "limitk() is experimental"),
            (
                "rate(up[2*1m])",
                "experimental duration expression is not enabled",
            ),
            (
                "rate(up[1m] smoothed)",
                "smoothed modifier is experimental and not enabled",
            ),
            (
                "up + fill(0) up",
                "binop fill modifiers are experimental and not enabled",
            ),
            (
                "mad_over_time(x[5m])",
                "function \"mad_over_time\" is not enabled",
            ),
            ("info(x)", "function \"info\" is not enabled"),
            (
                "x offset (1h*2)",
                "experimental duration expression is not enabled",
            ),
        ] {
            assert!(
                err(expr, off).contains(message),
                "{expr}: {}",
                err(expr, off)
            );
            assert!(
                parse(expr, &on).is_ok(),
                "{expr}: {:?}",
                parse(expr, &on).err()
            );
        }
        assert!(err("x[5m:1m] anchored", on).contains("not supported for subqueries"));
        assert!(err("integral(x[5m])", on).contains("unknown function"));
        assert!(err("x{a=\"b\" or c=\"d\"}", on).contains("\"or\""));
        assert!(parse("x offset 0s", &off).is_ok());
        assert!(parse("rate(x[5m] offset -1h) # comment", &off).is_ok());
    }

    #[test]
    fn value_literals_keep_the_duration_flag() {
        let parsed = parse("x > 5m and y < -1e3", &ParserOptions::default()).unwrap();
        assert_eq!(parsed.literals, vec![(300.0, true), (1000.0, false)]);
    }

    #[test]
    fn limits_are_named_and_cheap() {
        let deep = format!("{}1{}", "(".repeat(200_000), ")".repeat(200_000));
        assert!(err(&deep, ParserOptions::default()).contains("MAX_EXPR_BYTES"));
        let deep = format!("{}1{}", "(".repeat(50_000), ")".repeat(50_000));
        assert!(err(&deep, ParserOptions::default()).contains("MAX_NESTING_DEPTH"));
        let long = format!("1{}", "+1".repeat(100_000));
        assert!(err(&long, ParserOptions::default()).contains("MAX_EXPR_BYTES"));
        let long = format!("1{}", "+1".repeat(20_000));
        assert!(err(&long, ParserOptions::default()).contains("MAX_OPERATORS"));
    }

    #[test]
    fn worst_case_within_limits_fits_a_small_stack() {
        let handle = std::thread::Builder::new()
            .stack_size(2 * 1024 * 1024)
            .spawn(|| {
                let chain = format!("1{}", "+1".repeat(MAX_OPERATORS - 1));
                let parsed = parse(&chain, &ParserOptions::default()).unwrap();
                let printed = crate::rules::printer::print(&parsed);
                assert_eq!(printed.len(), chain.len() + 2 * (MAX_OPERATORS - 1));
                let nested = format!(
                    "{}x{}",
                    "abs(".repeat(MAX_NESTING_DEPTH),
                    ")".repeat(MAX_NESTING_DEPTH)
                );
                let enforced = crate::rules::enforce(&nested, "namespace", "ns").unwrap();
                assert!(enforced.contains("x{namespace=\"ns\"}"));
            })
            .unwrap();
        handle.join().unwrap();
    }
}
