//! Go's `text/template` parser, parse only: a port of text/template/parse's lexer and parser
//! that finds the same syntax errors, undefined functions and undefined variables, with Go's
//! message format `template: NAME:LINE: message`. It does not type-check arguments (neither
//! does Go's parser). Prometheus checks rule labels and annotations with it (rulefmt's
//! `testTemplateParsing`), the operator Alertmanager template URLs (`ValidateTemplateURL`).

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

/// `template.New(name).Funcs(functions).Parse(text)` with `variables` declared before the text
/// (on the same line, so line numbers are the text's); `Err` is Go's error text.
pub(crate) fn parse(
    name: &str,
    text: &str,
    functions: &[&[&str]],
    variables: &[&str],
) -> Result<(), String> {
    if !text.contains("{{") {
        // Text without actions always parses.
        return Ok(());
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
        .map_err(|(line, message)| fail(line, message))
}

#[derive(Clone, Debug, PartialEq)]
enum Item {
    Text,
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

type Lexed = Vec<(Item, usize)>;
type Failure = (usize, String);

const KEYWORDS: &[&str] = &[
    "block", "break", "continue", "define", "else", "end", "if", "range", "nil", "template", "with",
];

/// Go's text/template lexer (lex.go), producing items with their line.
fn lex(input: &str) -> Result<Lexed, Failure> {
    let mut items: Lexed = Vec::new();
    let mut pos = 0;
    let line_at = |p: usize| input[..p.min(input.len())].matches('\n').count() + 1;
    while pos < input.len() {
        // Text up to the next action.
        let Some(open) = input[pos..].find("{{").map(|n| pos + n) else {
            items.push((Item::Text, line_at(pos)));
            break;
        };
        if open > pos {
            items.push((Item::Text, line_at(pos)));
        }
        let mut p = open + 2;
        // A trim marker is `-` followed by a space; the space is part of it.
        let trimmed =
            input[p..].starts_with('-') && input[p + 1..].starts_with([' ', '\t', '\r', '\n']);
        if trimmed {
            p += 2;
        }
        if input[p..].starts_with("/*") {
            let Some(close) = input[p + 2..].find("*/").map(|n| p + 2 + n + 2) else {
                return Err((line_at(open), "unclosed comment".to_owned()));
            };
            let rest = &input[close..];
            pos = if rest.starts_with("}}") {
                close + 2
            } else if rest.starts_with(" -}}") {
                close + 4
            } else {
                return Err((
                    line_at(open),
                    "comment ends before closing delimiter".to_owned(),
                ));
            };
            continue;
        }
        items.push((Item::LeftDelim, line_at(open)));
        let mut paren_depth = 0usize;
        loop {
            let line = line_at(p);
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
                items.push((Item::RightDelim, line));
                p += if rest.starts_with("}}") { 2 } else { 4 };
                break;
            }
            let Some(c) = rest.chars().next() else {
                return Err((line_at(open), "unclosed action".to_owned()));
            };
            let next = p + c.len_utf8();
            match c {
                ' ' | '\t' | '\r' | '\n' => {
                    p = scan_while(input, p, |c| matches!(c, ' ' | '\t' | '\r' | '\n'));
                    // A space before `-}}` belongs to the delimiter.
                    if input[p..].starts_with("-}}") {
                        p -= 1;
                        continue;
                    }
                    items.push((Item::Space, line));
                    continue;
                }
                '=' => items.push((Item::Assign, line)),
                ':' => {
                    if !input[next..].starts_with('=') {
                        return Err((line, "expected :=".to_owned()));
                    }
                    items.push((Item::Declare, line));
                    p = next + 1;
                    continue;
                }
                '|' => items.push((Item::Pipe, line)),
                ',' => items.push((Item::Comma, line)),
                '"' | '`' | '\'' => {
                    p = scan_quoted(input, p, c).map_err(|m| (line, m.to_owned()))?;
                    items.push((Item::Value, line));
                    continue;
                }
                '$' => {
                    let end = scan_while(input, next, is_alphanumeric);
                    items.push((Item::Variable(input[p..end].to_owned()), line));
                    p = end;
                    continue;
                }
                '.' if !input[next..].starts_with(|d: char| d.is_ascii_digit()) => {
                    let end = scan_while(input, next, is_alphanumeric);
                    if end == next {
                        items.push((Item::Value, line));
                    } else {
                        items.push((Item::Field(input[next..end].to_owned()), line));
                    }
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
                    items.push((Item::Value, line));
                    p = end;
                    continue;
                }
                c if is_alphanumeric(c) => {
                    let end = scan_while(input, p, is_alphanumeric);
                    let word = &input[p..end];
                    let item = match KEYWORDS.iter().find(|k| **k == word) {
                        Some(&"nil") => Item::Value,
                        Some(k) => Item::Keyword(k),
                        None if word == "true" || word == "false" => Item::Value,
                        None => Item::Identifier(word.to_owned()),
                    };
                    items.push((item, line));
                    p = end;
                    continue;
                }
                '(' => {
                    paren_depth += 1;
                    items.push((Item::LeftParen, line));
                }
                ')' => {
                    if paren_depth == 0 {
                        return Err((line, "unexpected right paren".to_owned()));
                    }
                    paren_depth -= 1;
                    items.push((Item::RightParen, line));
                }
                c if c.is_ascii() && !c.is_ascii_control() => items.push((Item::Char(c), line)),
                c => {
                    return Err((
                        line,
                        format!("unrecognized character in action: U+{:04X} '{c}'", c as u32),
                    ));
                }
            }
            p = next;
        }
        pos = p;
    }
    Ok(items)
}

fn is_alphanumeric(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
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
    items: &'a [(Item, usize)],
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
        self.items.get(self.pos).map(|(i, _)| i)
    }

    fn line(&self) -> usize {
        self.items
            .get(self.pos)
            .or(self.items.last())
            .map_or(1, |(_, l)| *l)
    }

    fn next_non_space(&mut self) -> Option<(Item, usize)> {
        while let Some((item, line)) = self.items.get(self.pos) {
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
            .map(|(i, _)| i)
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
                Some(Item::Text) => self.pos += 1,
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
        Item::Value | Item::Text | Item::Space => "value".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// As rulefmt checks the text of alert `alert`.
    fn check(alert: &str, text: &str) -> Result<(), String> {
        let variables = ["$", "$labels", "$externalLabels", "$externalURL", "$value"];
        parse(
            &format!("__alert_{alert}"),
            text,
            &[BUILTINS, PROMETHEUS_FUNCTIONS],
            &variables,
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
}
