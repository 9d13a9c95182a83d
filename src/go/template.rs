//! Go's `text/template` parser: a port of text/template/parse's lexer and parser that finds
//! the same syntax errors, undefined functions and undefined variables, with Go's message
//! format `template: NAME:LINE: message`. It does not type-check arguments (neither does Go's
//! parser). Prometheus checks rule labels and annotations with it (rulefmt's
//! `testTemplateParsing`), the operator Alertmanager template URLs (`ValidateTemplateURL`).
//! [`execute`] runs the simplest templates, text and variable or field references, leaving
//! the values to its caller.

use std::ops::Range;
use std::sync::LazyLock;

use super::strconv::{quoted_end, scan_while};

/// Deepest nesting of control structures and parentheses in one template.
pub const MAX_TEMPLATE_DEPTH: usize = 256;

/// text/template's builtin functions.
pub(crate) const BUILTINS: &[&str] = &[
    "and", "call", "html", "index", "slice", "js", "len", "not", "or", "print", "printf",
    "println", "urlquery", "eq", "ge", "gt", "le", "lt", "ne",
];

/// Prometheus's template function map (`template.NewTemplateExpander`).
pub(crate) const PROMETHEUS_FUNCTIONS: &[&str] = &[
    "query",
    "first",
    "label",
    "value",
    "strvalue",
    "args",
    "reReplaceAll",
    "safeHtml",
    "match",
    "title",
    "toUpper",
    "toLower",
    "graphLink",
    "tableLink",
    "sortByLabel",
    "stripPort",
    "stripDomain",
    "humanize",
    "humanize1024",
    "humanizeDuration",
    "humanizePercentage",
    "humanizeTimestamp",
    "toTime",
    "toDuration",
    "now",
    "pathPrefix",
    "externalURL",
    "parseDuration",
    "urlQueryEscape",
];

/// The variables Prometheus declares before every alerting rule's label and annotation text
/// (`{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}...`), with `$`.
pub(crate) const PROMETHEUS_ALERT_VARIABLES: [&str; 5] =
    ["$", "$labels", "$externalLabels", "$externalURL", "$value"];

/// `template.New(name).Funcs(functions).Parse(text)` with `variables` declared before the text
/// (on the same line, so line numbers are the text's); `Err` is Go's error text.
pub(crate) fn parse(
    name: &str,
    text: &str,
    functions: &[&[&str]],
    variables: &[&str],
) -> Result<(), String> {
    parsed(name, text, functions, variables).map(drop)
}

/// [`parse`], with the lexed items.
fn parsed(
    name: &str,
    text: &str,
    functions: &[&[&str]],
    variables: &[&str],
) -> Result<Lexed, String> {
    if !text.contains("{{") {
        // Text without actions always parses.
        return Ok(vec![Lexeme {
            item: Item::Text(0..text.len()),
            line: 1,
            start: 0,
        }]);
    }
    let fail = |line: usize, message: String| format!("template: {name}:{line}: {message}");
    let items = lex(text).map_err(|(line, message)| fail(line, message))?;
    let mut parser = Parser {
        items: &items,
        pos: 0,
        functions,
        vars: variables.iter().map(|v| (*v).to_owned()).collect(),
        depth: 0,
        range_depth: 0,
    };
    parser
        .parse_list(&[])
        .and_then(|end| match end {
            End::Eof => Ok(()),
            End::Keyword(word, line) => Err((line, format!("unexpected {{{{{word}}}}}"))),
        })
        .map_err(|(line, message)| fail(line, message))?;
    Ok(items)
}

/// One action of a template, as [`execute`] asks its caller for the value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Action<'t> {
    /// A variable or the dot followed by field names: `$labels.job` is `Some("$labels")` and
    /// `["job"]`, `.Labels.job` is `None` and `["Labels", "job"]`.
    Reference {
        variable: Option<&'t str>,
        fields: Vec<&'t str>,
    },
    /// Anything else (a function call, a pipeline, a literal, a control structure).
    Other,
}

/// Why [`execute`] gives no text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum NotExecuted {
    /// The template does not parse: Go's error text.
    Refused(String),
    /// The caller could not give the value of an action: its reason.
    Unknown(String),
}

/// Executes a template made of text and simple actions: [`parse`] first, then the text with
/// trim markers and comments applied, each action's value asked of `value` with the action
/// and its text as written. Control structures, pipelines and calls are handed over as
/// [`Action::Other`]; the first `Err` of `value` stops execution.
pub(crate) fn execute(
    name: &str,
    text: &str,
    functions: &[&[&str]],
    variables: &[&str],
    mut value: impl FnMut(&Action<'_>, &str) -> Result<String, String>,
) -> Result<String, NotExecuted> {
    let items = parsed(name, text, functions, variables).map_err(NotExecuted::Refused)?;
    let mut out = String::new();
    let mut at = 0;
    while let Some(lexeme) = items.get(at) {
        at += 1;
        match &lexeme.item {
            Item::Text(span) => out.push_str(&text[span.clone()]),
            Item::LeftDelim => {
                // The parse succeeded, so the action closes.
                let close = items[at..]
                    .iter()
                    .position(|l| l.item == Item::RightDelim)
                    .map_or(items.len(), |n| at + n);
                let inside = &items[at..close];
                let end = items.get(close).map_or(text.len(), |l| l.start);
                at = close + 1;
                let first = inside.iter().position(|l| l.item != Item::Space);
                let last = inside.iter().rposition(|l| l.item != Item::Space);
                let (words, written) = match (first, last) {
                    (Some(first), Some(last)) => (
                        &inside[first..=last],
                        text[inside[first].start..end].trim_end_matches(TRIMMED_SPACE),
                    ),
                    _ => (&inside[..0], ""),
                };
                let action = reference(words).unwrap_or(Action::Other);
                out.push_str(&value(&action, written).map_err(NotExecuted::Unknown)?);
            }
            _ => {}
        }
    }
    Ok(out)
}

/// `words` as a variable or field chain, if they are one.
fn reference(words: &[Lexeme]) -> Option<Action<'_>> {
    let (variable, fields) = match words.split_first()? {
        (
            Lexeme {
                item: Item::Variable(name),
                ..
            },
            fields,
        ) => (Some(name.as_str()), fields),
        (
            Lexeme {
                item: Item::Field(_),
                ..
            },
            _,
        ) => (None, words),
        _ => return None,
    };
    let fields = fields
        .iter()
        .map(|l| match &l.item {
            Item::Field(name) => Some(name.as_str()),
            _ => None,
        })
        .collect::<Option<Vec<&str>>>()?;
    Some(Action::Reference { variable, fields })
}

#[derive(Clone, Debug, PartialEq)]
enum Item {
    /// Text outside actions: its byte range in the input, after trim markers took their spaces.
    Text(Range<usize>),
    LeftDelim,
    RightDelim,
    Pipe,
    Declare,
    Assign,
    LeftParen,
    RightParen,
    Comma,
    Field(String),
    Variable(String),
    Identifier(String),
    Keyword(&'static str),
    /// A string, number, character, `true`/`false`/`nil` or `.`.
    Value,
    Char(char),
    Space,
}

/// One item with its line and where it starts in the input.
#[derive(Clone, Debug, PartialEq)]
struct Lexeme {
    item: Item,
    line: usize,
    start: usize,
}

type Lexed = Vec<Lexeme>;
type Failure = (usize, String);

const KEYWORDS: &[&str] = &[
    "block", "break", "continue", "define", "else", "end", "if", "range", "nil", "template", "with",
];

/// The spaces trim markers take (Go's `isSpace`).
const TRIMMED_SPACE: [char; 4] = [' ', '\t', '\r', '\n'];

/// Go's text/template lexer (lex.go), producing items with their line and start.
fn lex(input: &str) -> Result<Lexed, Failure> {
    let mut items: Lexed = Vec::new();
    let mut pos = 0;
    // Line numbers by binary search over the newlines: counting from the start for every item
    // made a template with many actions quadratic.
    let newlines: Vec<usize> = input.match_indices('\n').map(|(i, _)| i).collect();
    let line_at = |p: usize| newlines.partition_point(|&n| n < p) + 1;
    let push = |items: &mut Lexed, item: Item, line: usize, start: usize| {
        items.push(Lexeme { item, line, start });
    };
    // After ` -}}` the next text loses its leading spaces.
    let mut trim_next_text = false;
    while pos < input.len() {
        let open = input[pos..].find("{{").map(|n| pos + n);
        let mut p = open.map_or(input.len(), |open| open + 2);
        // A trim marker is `-` followed by a space; the space is part of it.
        let trimmed = open.is_some()
            && input[p..].starts_with('-')
            && input[p + 1..].starts_with(TRIMMED_SPACE);
        // Text up to the next action.
        let text_end = open.unwrap_or(input.len());
        let text_start = if trim_next_text {
            text_end - input[pos..text_end].trim_start_matches(TRIMMED_SPACE).len()
        } else {
            pos
        };
        let text_end = if trimmed {
            text_start
                + input[text_start..text_end]
                    .trim_end_matches(TRIMMED_SPACE)
                    .len()
        } else {
            text_end
        };
        if text_end > text_start {
            push(
                &mut items,
                Item::Text(text_start..text_end),
                line_at(pos),
                text_start,
            );
        }
        let Some(open) = open else {
            break;
        };
        if trimmed {
            p += 2;
        }
        if input[p..].starts_with("/*") {
            let Some(close) = input[p + 2..].find("*/").map(|n| p + 2 + n + 2) else {
                return Err((line_at(open), "unclosed comment".to_owned()));
            };
            let rest = &input[close..];
            (pos, trim_next_text) = if rest.starts_with("}}") {
                (close + 2, false)
            } else if rest.starts_with(" -}}") {
                (close + 4, true)
            } else {
                return Err((
                    line_at(open),
                    "comment ends before closing delimiter".to_owned(),
                ));
            };
            continue;
        }
        push(&mut items, Item::LeftDelim, line_at(open), open);
        let mut paren_depth = 0usize;
        loop {
            let line = line_at(p);
            let start = p;
            let rest = &input[p..];
            if rest.starts_with("}}")
                || rest.starts_with(" -}}")
                || rest.starts_with("\t-}}")
                || rest.starts_with("\n-}}")
                || rest.starts_with("\r-}}")
            {
                if paren_depth > 0 {
                    return Err((line, "unclosed left paren".to_owned()));
                }
                push(&mut items, Item::RightDelim, line, start);
                trim_next_text = !rest.starts_with("}}");
                p += if trim_next_text { 4 } else { 2 };
                break;
            }
            let Some(c) = rest.chars().next() else {
                return Err((line_at(open), "unclosed action".to_owned()));
            };
            let next = p + c.len_utf8();
            match c {
                ' ' | '\t' | '\r' | '\n' => {
                    p = scan_while(input, p, |c| TRIMMED_SPACE.contains(&c));
                    // A space before `-}}` belongs to the delimiter.
                    if input[p..].starts_with("-}}") {
                        p -= 1;
                        continue;
                    }
                    push(&mut items, Item::Space, line, start);
                    continue;
                }
                '=' => push(&mut items, Item::Assign, line, start),
                ':' => {
                    if !input[next..].starts_with('=') {
                        return Err((line, "expected :=".to_owned()));
                    }
                    push(&mut items, Item::Declare, line, start);
                    p = next + 1;
                    continue;
                }
                '|' => push(&mut items, Item::Pipe, line, start),
                ',' => push(&mut items, Item::Comma, line, start),
                '"' | '`' | '\'' => {
                    p = scan_quoted(input, p, c).map_err(|m| (line, m.to_owned()))?;
                    push(&mut items, Item::Value, line, start);
                    continue;
                }
                '$' => {
                    let end = word_end(input, next).map_err(|m| (line, m))?;
                    push(
                        &mut items,
                        Item::Variable(input[p..end].to_owned()),
                        line,
                        start,
                    );
                    p = end;
                    continue;
                }
                '.' if !input[next..].starts_with(|d: char| d.is_ascii_digit()) => {
                    let end = word_end(input, next).map_err(|m| (line, m))?;
                    let item = if end == next {
                        Item::Value
                    } else {
                        Item::Field(input[next..end].to_owned())
                    };
                    push(&mut items, item, line, start);
                    p = end;
                    continue;
                }
                c if c == '.' || c == '+' || c == '-' || c.is_ascii_digit() => {
                    let end = scan_while(input, next, |c| {
                        c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '+' | '-')
                    });
                    let text = &input[p..end];
                    if !is_number(text) {
                        return Err((line, format!("bad number syntax: {text:?}")));
                    }
                    push(&mut items, Item::Value, line, start);
                    p = end;
                    continue;
                }
                c if is_alphanumeric(c) => {
                    let end = word_end(input, p).map_err(|m| (line, m))?;
                    let word = &input[p..end];
                    let item = match KEYWORDS.iter().find(|k| **k == word) {
                        Some(&"nil") => Item::Value,
                        Some(k) => Item::Keyword(k),
                        None if word == "true" || word == "false" => Item::Value,
                        None => Item::Identifier(word.to_owned()),
                    };
                    push(&mut items, item, line, start);
                    p = end;
                    continue;
                }
                '(' => {
                    paren_depth += 1;
                    push(&mut items, Item::LeftParen, line, start);
                }
                ')' => {
                    if paren_depth == 0 {
                        return Err((line, "unexpected right paren".to_owned()));
                    }
                    paren_depth -= 1;
                    push(&mut items, Item::RightParen, line, start);
                }
                c if c.is_ascii() && !c.is_ascii_control() => {
                    push(&mut items, Item::Char(c), line, start);
                }
                c => {
                    return Err((
                        line,
                        format!("unrecognized character in action: {}", go_rune(c)),
                    ));
                }
            }
            p = next;
        }
        pos = p;
    }
    Ok(items)
}

/// The end of the alphanumeric word from `from`, which must be followed by what may follow a
/// word (Go's `atTerminator`): a space, `.`, `,`, `|`, `:`, a parenthesis, `}}` or the end.
fn word_end(input: &str, from: usize) -> Result<usize, String> {
    let end = scan_while(input, from, is_alphanumeric);
    match input[end..].chars().next() {
        None | Some(' ' | '\t' | '\r' | '\n' | '.' | ',' | '|' | ':' | ')' | '(') => Ok(end),
        Some(_) if input[end..].starts_with("}}") => Ok(end),
        Some(c) => Err(format!("bad character {}", go_rune(c))),
    }
}

/// A character as Go's `%#U` prints it.
fn go_rune(c: char) -> String {
    if c.is_control() {
        format!("U+{:04X}", c as u32)
    } else {
        format!("U+{:04X} '{c}'", c as u32)
    }
}

/// Letters and decimal digits as Go's `unicode.IsLetter` (category L) and `unicode.IsDigit`
/// (Nd) see them, in the Unicode version of the Go releases Prometheus and the operator are
/// built with (15.0): characters assigned later are not accepted, as Go refuses them.
static GO_LETTER_OR_DIGIT: LazyLock<Option<regex::Regex>> =
    LazyLock::new(|| regex::Regex::new(r"^[[\p{L}\p{Nd}]&&\p{Age=15.0}]$").ok());

/// Go's `isAlphaNumeric`: `_`, a letter or a decimal digit. Rust's `char::is_alphanumeric`
/// would also take other numbers (`²`, `Ⅻ`) and marks, which Go refuses.
fn is_alphanumeric(c: char) -> bool {
    if c.is_ascii() {
        return c == '_' || c.is_ascii_alphanumeric();
    }
    // Without the table (it always builds), nothing beyond ASCII: refused rather than guessed.
    GO_LETTER_OR_DIGIT
        .as_ref()
        .is_some_and(|letter| letter.is_match(c.encode_utf8(&mut [0; 4])))
}

fn scan_quoted(input: &str, from: usize, quote: char) -> Result<usize, &'static str> {
    quoted_end(input, from, quote).ok_or(match quote {
        '`' => "unterminated raw quoted string",
        '\'' => "unterminated character constant",
        _ => "unterminated quoted string",
    })
}

fn is_number(text: &str) -> bool {
    let t = text.trim_start_matches(['+', '-']).replace('_', "");
    t.parse::<f64>().is_ok()
        || t.strip_prefix("0x")
            .or_else(|| t.strip_prefix("0X"))
            .is_some_and(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_hexdigit()))
        || t.strip_suffix('i')
            .is_some_and(|c| c.parse::<f64>().is_ok())
}

/// What ended a list of nodes.
enum End {
    Eof,
    /// `{{end}}`, `{{else ...}}`, `{{break}}`... with the line of the action.
    Keyword(&'static str, usize),
}

struct Parser<'a> {
    items: &'a [Lexeme],
    pos: usize,
    /// The function names the template may call.
    functions: &'a [&'a [&'a str]],
    /// Declared variables, innermost last.
    vars: Vec<String>,
    depth: usize,
    range_depth: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Item> {
        self.items.get(self.pos).map(|l| &l.item)
    }

    fn line(&self) -> usize {
        self.items
            .get(self.pos)
            .or(self.items.last())
            .map_or(1, |l| l.line)
    }

    fn next_non_space(&mut self) -> Option<(Item, usize)> {
        while let Some(Lexeme { item, line, .. }) = self.items.get(self.pos) {
            self.pos += 1;
            if *item != Item::Space {
                return Some((item.clone(), *line));
            }
        }
        None
    }

    fn peek_non_space(&self) -> Option<&Item> {
        self.items[self.pos.min(self.items.len())..]
            .iter()
            .map(|l| &l.item)
            .find(|i| **i != Item::Space)
    }

    fn enter(&mut self) -> Result<(), Failure> {
        self.depth += 1;
        if self.depth > MAX_TEMPLATE_DEPTH {
            return Err((
                self.line(),
                format!("nesting deeper than {MAX_TEMPLATE_DEPTH} levels (MAX_TEMPLATE_DEPTH)"),
            ));
        }
        Ok(())
    }

    /// Nodes until EOF or one of the `ends` keywords.
    fn parse_list(&mut self, ends: &[&'static str]) -> Result<End, Failure> {
        loop {
            match self.peek() {
                None => return Ok(End::Eof),
                Some(Item::Text(_)) => self.pos += 1,
                Some(Item::LeftDelim) => {
                    self.pos += 1;
                    if let Some(Item::Keyword(word)) = self.peek_non_space().cloned()
                        && matches!(word, "end" | "else")
                    {
                        let line = self.line();
                        if ends.contains(&word) {
                            self.next_non_space();
                            return Ok(End::Keyword(word, line));
                        }
                        return Err((line, format!("unexpected {{{{{word}}}}}")));
                    }
                    self.action()?;
                }
                Some(_) => {
                    return Err((self.line(), "unexpected item outside action".to_owned()));
                }
            }
        }
    }

    fn action(&mut self) -> Result<(), Failure> {
        let Some(Item::Keyword(word)) = self.peek_non_space().cloned() else {
            return self.pipeline("command");
        };
        let (_, line) = self.next_non_space().unwrap_or((Item::Space, 1));
        match word {
            "if" | "with" | "range" => self.control(word),
            "block" | "define" => {
                self.expect_value(word)?;
                if word == "block" {
                    self.pipeline(word)?;
                } else {
                    self.expect_right_delim(word)?;
                }
                let saved = std::mem::replace(&mut self.vars, vec!["$".to_owned()]);
                self.enter()?;
                let end = self.parse_list(&["end"])?;
                self.depth -= 1;
                self.vars = saved;
                match end {
                    End::Keyword("end", _) => self.expect_right_delim("end"),
                    _ => Err((self.line(), "unexpected EOF".to_owned())),
                }
            }
            "template" => {
                self.expect_value(word)?;
                if self.peek_non_space() == Some(&Item::RightDelim) {
                    self.next_non_space();
                    Ok(())
                } else {
                    self.pipeline(word)
                }
            }
            "break" | "continue" => {
                if self.range_depth == 0 {
                    return Err((line, format!("{{{{{word}}}}} outside {{{{range}}}}")));
                }
                self.expect_right_delim(word)
            }
            other => Err((line, format!("unexpected {other} in command"))),
        }
    }

    fn expect_value(&mut self, context: &str) -> Result<(), Failure> {
        match self.next_non_space() {
            Some((Item::Value, _)) => Ok(()),
            Some((item, line)) => Err((
                line,
                format!("unexpected {} in {context} clause", describe(&item)),
            )),
            None => Err((self.line(), "unexpected EOF".to_owned())),
        }
    }

    fn expect_right_delim(&mut self, context: &str) -> Result<(), Failure> {
        match self.next_non_space() {
            Some((Item::RightDelim, _)) => Ok(()),
            Some((item, line)) => {
                Err((line, format!("unexpected {} in {context}", describe(&item))))
            }
            None => Err((self.line(), "unexpected EOF".to_owned())),
        }
    }

    /// `if` / `with` / `range`: a pipeline, a list, optional `else` branches, `end`.
    fn control(&mut self, word: &'static str) -> Result<(), Failure> {
        self.enter()?;
        let vars = self.vars.len();
        self.pipeline(word)?;
        if word == "range" {
            self.range_depth += 1;
        }
        let mut end = self.parse_list(&["end", "else"])?;
        if word == "range" {
            self.range_depth -= 1;
        }
        loop {
            match end {
                End::Eof => return Err((self.line(), "unexpected EOF".to_owned())),
                End::Keyword("end", _) => {
                    self.expect_right_delim("end")?;
                    break;
                }
                End::Keyword(_, _) => {
                    // `else`, possibly `else if` / `else with` (chained).
                    if let Some(Item::Keyword(next @ ("if" | "with"))) =
                        self.peek_non_space().cloned()
                    {
                        self.next_non_space();
                        self.pipeline(next)?;
                    } else {
                        self.expect_right_delim("else")?;
                    }
                    end = self.parse_list(&["end", "else"])?;
                }
            }
        }
        self.vars.truncate(vars);
        self.depth -= 1;
        Ok(())
    }

    /// A pipeline up to `}}`: optional declarations, then commands separated by `|`.
    fn pipeline(&mut self, context: &str) -> Result<(), Failure> {
        let line = self.line();
        // Declarations: `$x :=`, `$x =`, `$k, $v :=` (range).
        let mut declared = Vec::new();
        loop {
            let save = self.pos;
            match self.next_non_space() {
                Some((Item::Variable(name), _)) => match self.next_non_space() {
                    Some((Item::Declare, _)) => {
                        declared.push(name);
                        break;
                    }
                    Some((Item::Assign, l)) => {
                        if !self.vars.contains(&name) {
                            return Err((l, format!("undefined variable {name:?}")));
                        }
                        break;
                    }
                    Some((Item::Comma, _)) if context == "range" => {
                        declared.push(name);
                        continue;
                    }
                    _ => {
                        self.pos = save;
                        break;
                    }
                },
                _ => {
                    self.pos = save;
                    break;
                }
            }
        }
        let mut commands = 0;
        loop {
            match self.peek_non_space() {
                Some(Item::RightDelim) => {
                    self.next_non_space();
                    if commands == 0 {
                        return Err((line, format!("missing value for {context}")));
                    }
                    break;
                }
                None => return Err((line, "unclosed action".to_owned())),
                _ => {
                    self.command()?;
                    commands += 1;
                    if self.peek_non_space() == Some(&Item::Pipe) {
                        self.next_non_space();
                        if matches!(self.peek_non_space(), Some(Item::RightDelim) | None) {
                            return Err((self.line(), "missing command".to_owned()));
                        }
                    }
                }
            }
        }
        // Variables become visible after their pipeline.
        self.vars.extend(declared);
        Ok(())
    }

    /// Operands until `|`, `)` or `}}`.
    fn command(&mut self) -> Result<(), Failure> {
        let mut operands = 0;
        loop {
            match self.peek_non_space() {
                Some(Item::Pipe | Item::RightDelim | Item::RightParen) | None => break,
                _ => {}
            }
            self.operand()?;
            operands += 1;
        }
        if operands == 0 {
            return Err((self.line(), "empty command".to_owned()));
        }
        Ok(())
    }

    fn operand(&mut self) -> Result<(), Failure> {
        let Some((item, line)) = self.next_non_space() else {
            return Err((self.line(), "unexpected EOF".to_owned()));
        };
        match item {
            Item::Identifier(name) => {
                if !self
                    .functions
                    .iter()
                    .any(|set| set.contains(&name.as_str()))
                {
                    return Err((line, format!("function {name:?} not defined")));
                }
            }
            Item::Variable(name) => {
                if !self.vars.contains(&name) {
                    return Err((line, format!("undefined variable {name:?}")));
                }
            }
            Item::Field(_) | Item::Value => {}
            Item::LeftParen => {
                self.enter()?;
                loop {
                    self.command()?;
                    match self.next_non_space() {
                        Some((Item::RightParen, _)) => break,
                        Some((Item::Pipe, _)) => continue,
                        Some((other, l)) => {
                            return Err((
                                l,
                                format!(
                                    "unexpected {} in parenthesized pipeline",
                                    describe(&other)
                                ),
                            ));
                        }
                        None => return Err((line, "unclosed left paren".to_owned())),
                    }
                }
                self.depth -= 1;
            }
            other => {
                return Err((line, format!("unexpected {} in operand", describe(&other))));
            }
        }
        // Field chains: `.Labels.foo`, `$x.y`, `(...).z`.
        while let Some(Item::Field(_)) = self.peek() {
            self.pos += 1;
        }
        Ok(())
    }
}

fn describe(item: &Item) -> String {
    match item {
        Item::Char(c) => format!("{:?}", c.to_string()),
        Item::Keyword(k) => format!("<{k}>"),
        Item::Identifier(i) | Item::Variable(i) => format!("{i:?}"),
        Item::Field(f) => format!("<.{f}>"),
        Item::Declare => "\":=\"".to_owned(),
        Item::Assign => "\"=\"".to_owned(),
        Item::Comma => "\",\"".to_owned(),
        Item::Pipe => "\"|\"".to_owned(),
        Item::LeftParen => "\"(\"".to_owned(),
        Item::RightParen => "\")\"".to_owned(),
        Item::RightDelim => "\"}}\"".to_owned(),
        Item::LeftDelim => "\"{{\"".to_owned(),
        Item::Value | Item::Text(_) | Item::Space => "value".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// As rulefmt checks the text of alert `alert`.
    fn check(alert: &str, text: &str) -> Result<(), String> {
        parse(
            &format!("__alert_{alert}"),
            text,
            &[BUILTINS, PROMETHEUS_FUNCTIONS],
            &PROMETHEUS_ALERT_VARIABLES,
        )
    }

    #[test]
    fn accepts_prometheus_templates() {
        for text in [
            "plain text",
            "Should work {{ $value | humanizePercentage }}",
            "Test externalLabels {{ $externalLabels.cluster }}",
            "{{ $labels.instance }} is down {{- if gt $value 1.0 }} badly{{ end }}",
            "{{ range $i, $s := query \"up\" }}{{ $s.Labels.job }}{{ end }}",
            "{{/* a comment */}}{{ printf \"%.2f\" $value }}",
            "{{ with $x := 1 }}{{ $x }}{{ else }}none{{ end }}",
            "{{ if eq .Labels.a \"b\" }}x{{ else if true }}y{{ end }}",
            "{{ (query \"up\" | first | value) }}",
        ] {
            assert_eq!(check("A", text), Ok(()), "{text}");
        }
    }

    #[test]
    fn refuses_like_go() {
        let err = |text: &str| check("Test", text).unwrap_err();
        assert_eq!(
            err("{{ print “%f“ $value }}"),
            "template: __alert_Test:1: unrecognized character in action: U+201C '“'"
        );
        assert_eq!(
            err("{{ nope 1 }}"),
            "template: __alert_Test:1: function \"nope\" not defined"
        );
        assert_eq!(
            err("{{ $nope }}"),
            "template: __alert_Test:1: undefined variable \"$nope\""
        );
        assert_eq!(
            err("a\n{{ if 1 }}"),
            "template: __alert_Test:2: unexpected EOF"
        );
        assert_eq!(
            err("{{ end }}"),
            "template: __alert_Test:1: unexpected {{end}}"
        );
        assert_eq!(
            err("{{ $value"),
            "template: __alert_Test:1: unclosed action"
        );
        assert!(err("{{ if 1 }}{{ $x := 1 }}{{ end }}{{ $x }}").contains("undefined variable"));
        assert!(err("{{ break }}").contains("outside"));
    }

    #[test]
    fn identifiers_take_letters_and_decimal_digits_as_go_does() {
        let err = |text: &str| check("Test", text).unwrap_err();
        // A superscript two is a number but not a decimal digit: Go's lexer stops the field
        // before it and refuses what follows.
        assert_eq!(
            err("{{ $labels.job² }}"),
            "template: __alert_Test:1: bad character U+00B2 '²'"
        );
        assert_eq!(
            err("{{ $labels.jobⅫ }}"),
            "template: __alert_Test:1: bad character U+216B 'Ⅻ'"
        );
        assert_eq!(
            err("{{ $labels.a+b }}"),
            "template: __alert_Test:1: bad character U+002B '+'"
        );
        assert_eq!(
            err("{{ ²}}"),
            "template: __alert_Test:1: unrecognized character in action: U+00B2 '²'"
        );
        // Letters and decimal digits of any script are alphanumeric.
        for text in [
            "{{ $labels.jöb }}",
            "{{ $labels.名前 }}",
            "{{ $labels.a٣ }}",
            "{{ $x := 1 }}{{ $x }}",
        ] {
            assert_eq!(check("A", text), Ok(()), "{text}");
        }
        assert!(is_alphanumeric('é') && is_alphanumeric('٣') && is_alphanumeric('_'));
        // Combining marks, other numbers, letter numbers, and letters Unicode 16 added (after
        // the Go releases' Unicode 15.0) are not.
        for c in ['\u{0301}', '²', 'Ⅻ', '\u{1C89}', '-'] {
            assert!(!is_alphanumeric(c), "{c:?}");
        }
    }

    fn expand(text: &str) -> Result<String, NotExecuted> {
        execute(
            "__alert_A",
            text,
            &[BUILTINS, PROMETHEUS_FUNCTIONS],
            &PROMETHEUS_ALERT_VARIABLES,
            |action, written| match action {
                Action::Reference { variable, fields } => {
                    Ok(format!("<{}{}>", variable.unwrap_or(""), fields.join(".")))
                }
                Action::Other => Err(format!("other: {written}")),
            },
        )
    }

    #[test]
    fn executes_text_and_references_with_trim_markers_and_comments() {
        let ok = |text: &str| expand(text).unwrap();
        assert_eq!(ok("plain }} text"), "plain }} text");
        assert_eq!(ok("{{ $labels.job }}"), "<$labelsjob>");
        assert_eq!(ok("{{.Labels.job}}-{{ .Value }}"), "<Labels.job>-<Value>");
        assert_eq!(ok("a  {{- $labels.job -}}  b"), "a<$labelsjob>b");
        assert_eq!(ok("a {{/* a comment */}}b"), "a b");
        assert_eq!(ok("a \n{{- /* trimmed */ -}}\n b"), "ab");
        assert_eq!(ok("{{/* only */}}"), "");
        assert_eq!(ok("x {{- $value}}"), "x<$value>");
        let other = |text: &str| match expand(text) {
            Err(NotExecuted::Unknown(why)) => why,
            got => panic!("{text}: {got:?}"),
        };
        assert_eq!(
            other("{{ $labels.job | toUpper }}"),
            "other: $labels.job | toUpper"
        );
        assert_eq!(other("a {{-1}}"), "other: -1");
        assert_eq!(other("{{ if true }}x{{ end }}"), "other: if true");
        assert_eq!(ok("{{ .Labels.job -}} x"), "<Labels.job>x");
        assert!(
            matches!(expand("{{ $labels.job"), Err(NotExecuted::Refused(e)) if e.contains("unclosed action"))
        );
        assert!(
            matches!(expand("{{ $labels.job² }}"), Err(NotExecuted::Refused(e)) if e.contains("bad character"))
        );
    }
}
