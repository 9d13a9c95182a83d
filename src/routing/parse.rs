//! Alertmanager's UTF-8 matcher parser (`matcher/parse`: the lexer, the parser's state
//! machine, `Matchers` and `Matcher`), with its positional error messages.
//!
//! Columns count characters; a position `a:b` spans the token from column `a` to `b`.

use super::labels::{MatchType, Matcher, MatcherError, check_len, is_reserved};
use crate::go::strconv;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TokenKind {
    Eof,
    OpenBrace,
    CloseBrace,
    Comma,
    Equals,
    NotEquals,
    Matches,
    NotMatches,
    Quoted,
    Unquoted,
}

#[derive(Clone, Copy, Debug, Default)]
struct Position {
    offset_start: usize,
    offset_end: usize,
    column_start: usize,
    column_end: usize,
}

#[derive(Clone, Copy, Debug)]
struct Token<'a> {
    kind: TokenKind,
    value: &'a str,
    position: Position,
}

impl Token<'_> {
    fn eof() -> Self {
        Token {
            kind: TokenKind::Eof,
            value: "",
            position: Position::default(),
        }
    }

    /// The token's text, unquoted when quoted; `None` when the quoting is invalid or the
    /// result is not UTF-8.
    fn unquote(&self) -> Option<String> {
        match self.kind {
            TokenKind::Quoted => String::from_utf8(strconv::unquote(self.value)?).ok(),
            _ => Some(self.value.to_owned()),
        }
    }

    fn invalid_input(&self) -> String {
        format!(
            "{}:{}: {}: invalid input",
            self.position.column_start, self.position.column_end, self.value
        )
    }
}

/// The lexer's cursor over the input.
#[derive(Clone, Copy)]
struct Cursor {
    start: usize,
    pos: usize,
    width: usize,
    column: usize,
    cols: usize,
}

struct Lexer<'a> {
    input: &'a str,
    err: Option<String>,
    at: Cursor,
}

impl<'a> Lexer<'a> {
    fn new(input: &'a str) -> Self {
        Lexer {
            input,
            err: None,
            at: Cursor {
                start: 0,
                pos: 0,
                width: 0,
                column: 0,
                cols: 0,
            },
        }
    }

    fn scan(&mut self) -> Result<Token<'a>, String> {
        if let Some(err) = &self.err {
            return Err(err.clone());
        }
        while let Some(c) = self.next() {
            let result = match c {
                '{' => Ok(self.emit(TokenKind::OpenBrace)),
                '}' => Ok(self.emit(TokenKind::CloseBrace)),
                ',' => Ok(self.emit(TokenKind::Comma)),
                '=' | '!' => {
                    self.rewind();
                    self.scan_operator()
                }
                '"' => {
                    self.rewind();
                    self.scan_quoted()
                }
                _ if !is_reserved(c) => {
                    self.rewind();
                    Ok(self.scan_unquoted())
                }
                _ if c.is_whitespace() => {
                    self.skip();
                    continue;
                }
                _ => Err(self.invalid_input()),
            };
            if let Err(err) = &result {
                self.err = Some(err.clone());
            }
            return result;
        }
        Ok(Token::eof())
    }

    fn scan_operator(&mut self) -> Result<Token<'a>, String> {
        if self.accept("!") {
            if self.accept("=") {
                return Ok(self.emit(TokenKind::NotEquals));
            }
            if self.accept("~") {
                return Ok(self.emit(TokenKind::NotMatches));
            }
            return Err(self.expected("=~"));
        }
        if self.accept("=") {
            if self.accept("~") {
                return Ok(self.emit(TokenKind::Matches));
            }
            return Ok(self.emit(TokenKind::Equals));
        }
        Err(self.expected("!="))
    }

    fn scan_quoted(&mut self) -> Result<Token<'a>, String> {
        self.expect("\"")?;
        let mut escaped = false;
        while let Some(c) = self.next() {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                self.rewind();
                break;
            }
        }
        if self.expect("\"").is_err() {
            let p = self.position();
            return Err(format!(
                "{}:{}: {}: missing end \"",
                p.column_start,
                p.column_end,
                self.slice(p)
            ));
        }
        Ok(self.emit(TokenKind::Quoted))
    }

    fn scan_unquoted(&mut self) -> Token<'a> {
        while let Some(c) = self.next() {
            if is_reserved(c) {
                self.rewind();
                break;
            }
        }
        self.emit(TokenKind::Unquoted)
    }

    /// Scans the next token and puts the cursor back (the error, if any, stays).
    fn peek(&mut self) -> Result<Token<'a>, String> {
        let saved = self.at;
        let token = self.scan();
        self.at = saved;
        token
    }

    fn position(&self) -> Position {
        Position {
            offset_start: self.at.start,
            offset_end: self.at.pos,
            column_start: self.at.column,
            column_end: self.at.cols,
        }
    }

    fn slice(&self, p: Position) -> &'a str {
        self.input.get(p.offset_start..p.offset_end).unwrap_or("")
    }

    fn accept(&mut self, valid: &str) -> bool {
        if self.next().is_some_and(|c| valid.contains(c)) {
            return true;
        }
        self.rewind();
        false
    }

    fn expect(&mut self, valid: &'static str) -> Result<(), String> {
        if self.accept(valid) {
            Ok(())
        } else {
            Err(self.expected(valid))
        }
    }

    fn expected(&self, valid: &str) -> String {
        let p = self.position();
        if p.offset_end >= self.input.len() {
            return format!(
                "{}:{}: unexpected end of input, expected one of '{valid}'",
                p.column_start, p.column_end
            );
        }
        format!(
            "{}:{}: {}: expected one of '{valid}'",
            p.column_start,
            p.column_end,
            self.slice(p)
        )
    }

    fn invalid_input(&self) -> String {
        let p = self.position();
        format!(
            "{}:{}: {}: invalid input",
            p.column_start,
            p.column_end,
            self.slice(p)
        )
    }

    fn emit(&mut self, kind: TokenKind) -> Token<'a> {
        let position = self.position();
        let token = Token {
            kind,
            value: self.slice(position),
            position,
        };
        self.skip();
        token
    }

    fn next(&mut self) -> Option<char> {
        let Some(c) = self
            .input
            .get(self.at.pos..)
            .and_then(|rest| rest.chars().next())
        else {
            self.at.width = 0;
            return None;
        };
        self.at.width = c.len_utf8();
        self.at.pos += self.at.width;
        self.at.cols += 1;
        Some(c)
    }

    fn rewind(&mut self) {
        self.at.pos -= self.at.width;
        if self.at.width > 0 {
            self.at.cols -= 1;
        }
    }

    fn skip(&mut self) {
        self.at.start = self.at.pos;
        self.at.column = self.at.cols;
    }
}

/// A failed look at the next token: the end of the input, or an error message.
enum Lookahead {
    End,
    Error(String),
}

impl Lookahead {
    fn message(self) -> String {
        match self {
            Lookahead::End => "end of input".to_owned(),
            Lookahead::Error(message) => message,
        }
    }
}

fn accept_peek(lexer: &mut Lexer<'_>, kinds: &[TokenKind]) -> Result<bool, Lookahead> {
    let token = lexer.peek().map_err(Lookahead::Error)?;
    if token.kind == TokenKind::Eof {
        return Err(Lookahead::End);
    }
    Ok(kinds.contains(&token.kind))
}

fn accept(lexer: &mut Lexer<'_>, kinds: &[TokenKind]) -> Result<bool, Lookahead> {
    let ok = accept_peek(lexer, kinds)?;
    if ok {
        lexer.scan().map_err(Lookahead::Error)?;
    }
    Ok(ok)
}

fn expect_peek<'a>(lexer: &mut Lexer<'a>, kinds: &[TokenKind]) -> Result<Token<'a>, Lookahead> {
    let token = lexer.peek().map_err(Lookahead::Error)?;
    if token.kind == TokenKind::Eof {
        return Err(Lookahead::End);
    }
    if !kinds.contains(&token.kind) {
        return Err(Lookahead::Error(format!(
            "{}:{}: unexpected {}",
            token.position.column_start, token.position.column_end, token.value
        )));
    }
    Ok(token)
}

fn expect<'a>(lexer: &mut Lexer<'a>, kinds: &[TokenKind]) -> Result<Token<'a>, Lookahead> {
    let token = expect_peek(lexer, kinds)?;
    lexer.scan().map_err(Lookahead::Error)?;
    Ok(token)
}

/// The parser's states (Go's `parseFunc`s).
enum State {
    OpenBrace,
    CloseBrace,
    Matcher,
    EndOfMatcher,
    Comma,
    Eof,
}

/// Parses zero or more matchers (`parse.Matchers`): optional braces, names and values
/// unquoted (no reserved characters) or double-quoted Go strings.
pub fn parse_utf8_matchers(input: &str) -> Result<Vec<Matcher>, MatcherError> {
    check_len(input)?;
    let syntax = MatcherError::Syntax;
    let mut lexer = Lexer::new(input);
    let mut matchers = Vec::new();
    let mut has_open_brace = false;
    let mut state = State::OpenBrace;
    // Each state consumes at least one token or ends, so the input's length bounds the loop.
    loop {
        state = match state {
            State::OpenBrace => {
                has_open_brace = match accept(&mut lexer, &[TokenKind::OpenBrace]) {
                    Ok(found) => found,
                    Err(Lookahead::End) => {
                        state = State::Eof;
                        continue;
                    }
                    Err(e) => return Err(syntax(e.message())),
                };
                match accept_peek(&mut lexer, &[TokenKind::CloseBrace]) {
                    Ok(true) | Err(Lookahead::End) => State::CloseBrace,
                    Ok(false) => State::Matcher,
                    Err(e) => return Err(syntax(e.message())),
                }
            }
            State::CloseBrace => {
                let found = expect(&mut lexer, &[TokenKind::CloseBrace]);
                let column = lexer.position().column_end;
                match (has_open_brace, found) {
                    (true, Err(e)) => {
                        return Err(syntax(format!(
                            "0:{column}: {}: expected close brace",
                            e.message()
                        )));
                    }
                    (false, Ok(_)) => {
                        return Err(syntax(format!("0:{column}: }}: expected opening brace")));
                    }
                    _ => State::Eof,
                }
            }
            State::Matcher => {
                matchers.push(parse_matcher(&mut lexer)?);
                State::EndOfMatcher
            }
            State::EndOfMatcher => {
                match expect_peek(&mut lexer, &[TokenKind::Comma, TokenKind::CloseBrace]) {
                    Ok(t) if t.kind == TokenKind::Comma => State::Comma,
                    Ok(_) | Err(Lookahead::End) => State::CloseBrace,
                    Err(e) => {
                        return Err(syntax(format!(
                            "{}: expected a comma or close brace",
                            e.message()
                        )));
                    }
                }
            }
            State::Comma => {
                expect(&mut lexer, &[TokenKind::Comma])
                    .map_err(|e| syntax(format!("{}: expected a comma", e.message())))?;
                let next = [
                    TokenKind::CloseBrace,
                    TokenKind::Unquoted,
                    TokenKind::Quoted,
                ];
                match expect_peek(&mut lexer, &next) {
                    Ok(t) if t.kind == TokenKind::CloseBrace => State::CloseBrace,
                    Err(Lookahead::End) => State::CloseBrace,
                    Ok(_) => State::Matcher,
                    Err(e) => {
                        return Err(syntax(format!(
                            "{}: expected a matcher or close brace after comma",
                            e.message()
                        )));
                    }
                }
            }
            State::Eof => {
                let token = lexer
                    .scan()
                    .map_err(|e| syntax(format!("{e}: expected end of input")))?;
                if token.kind != TokenKind::Eof {
                    return Err(syntax(format!(
                        "{}:{}: {}: expected end of input",
                        token.position.column_start, token.position.column_end, token.value
                    )));
                }
                return Ok(matchers);
            }
        };
    }
}

fn parse_matcher(lexer: &mut Lexer<'_>) -> Result<Matcher, MatcherError> {
    let syntax = MatcherError::Syntax;
    let name = expect(lexer, &[TokenKind::Quoted, TokenKind::Unquoted])
        .map_err(|e| syntax(format!("{}: expected label name", e.message())))?;
    let name_text = name.unquote().ok_or_else(|| syntax(name.invalid_input()))?;
    let operators = [
        TokenKind::Equals,
        TokenKind::NotEquals,
        TokenKind::Matches,
        TokenKind::NotMatches,
    ];
    let operator = expect(lexer, &operators).map_err(|e| {
        syntax(format!(
            "{}: expected an operator such as '=', '!=', '=~' or '!~'",
            e.message()
        ))
    })?;
    let match_type = match operator.kind {
        TokenKind::NotEquals => MatchType::NotEqual,
        TokenKind::Matches => MatchType::Regexp,
        TokenKind::NotMatches => MatchType::NotRegexp,
        _ => MatchType::Equal,
    };
    let value = expect(lexer, &[TokenKind::Unquoted, TokenKind::Quoted])
        .map_err(|e| syntax(format!("{}: expected label value", e.message())))?;
    let value_text = value
        .unquote()
        .ok_or_else(|| syntax(value.invalid_input()))?;
    Matcher::new(match_type, &name_text, &value_text).map_err(MatcherError::Create)
}

/// Parses exactly one matcher (`parse.Matcher`).
pub fn parse_utf8_matcher(input: &str) -> Result<Matcher, MatcherError> {
    let mut matchers = parse_utf8_matchers(input)?;
    match matchers.len() {
        1 => matchers.pop().ok_or(MatcherError::NoMatchers),
        0 => Err(MatcherError::NoMatchers),
        n => Err(MatcherError::NotOne(n)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(input: &str) -> String {
        parse_utf8_matchers(input).unwrap_err().to_string()
    }

    #[test]
    fn positional_errors_match_upstream() {
        assert_eq!(err(","), "0:1: unexpected ,: expected label name");
        assert_eq!(err("{,}"), "1:2: unexpected ,: expected label name");
        assert_eq!(err("{"), "0:1: end of input: expected close brace");
        assert_eq!(err("foo=bar}"), "0:8: }: expected opening brace");
        assert_eq!(err("{foo=bar"), "0:8: end of input: expected close brace");
        assert_eq!(
            err("{foo=:\"bar\"}"),
            "6:11: unexpected \"bar\": expected a comma or close brace"
        );
        assert_eq!(err("{foo=\"bar\\w\"}"), "5:12: \"bar\\w\": invalid input");
        assert_eq!(
            err("{foo=bar\\n}"),
            "8:9: \\: invalid input: expected a comma or close brace"
        );
        assert_eq!(
            err("{\"foo\"=\"\\xf0\\x9f\"}"),
            "7:17: \"\\xf0\\x9f\": invalid input"
        );
        assert_eq!(
            err("foo!bar"),
            "3:4: !: expected one of '=~': expected an operator such as '=', '!=', '=~' or '!~'"
        );
        assert_eq!(
            err("foo=\"bar"),
            "4:8: \"bar: missing end \": expected label value"
        );
        assert!(err("{foo=~\"[\"}").starts_with("failed to create matcher: error parsing regexp"));
    }

    #[test]
    fn parses_quoted_and_unquoted() {
        let ms = parse_utf8_matchers("{\"foo\"=\"\\U0001f642\", bar!~[a-z]+,}").unwrap();
        assert_eq!(ms.len(), 2);
        assert_eq!((ms[0].name(), ms[0].value()), ("foo", "🙂"));
        assert_eq!(
            (ms[1].match_type(), ms[1].value()),
            (MatchType::NotRegexp, "[a-z]+")
        );
        assert!(parse_utf8_matchers("").unwrap().is_empty());
        assert!(parse_utf8_matchers("{}").unwrap().is_empty());
        assert_eq!(
            parse_utf8_matcher("{}").unwrap_err().to_string(),
            "no matchers"
        );
        assert_eq!(
            parse_utf8_matcher("foo=bar,bar=baz")
                .unwrap_err()
                .to_string(),
            "expected 1 matcher, found 2"
        );
    }
}
