//! Kubernetes selectors in their string form (`app=web,tier!=db`, `env in (a,b)`,
//! `metadata.name=x`), read as `labels.Parse` and `fields.ParseSelector` of
//! k8s.io/apimachinery read them: the operator refuses what they refuse, and Prometheus passes
//! them to the API server, which selects with them.

use super::label_selector::{Operator, Requirement, validate_label_key, validate_label_value};

fn requirement(key: String, operator: Operator, values: Vec<String>) -> Requirement {
    Requirement {
        key,
        operator,
        values,
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Token {
    Word(String),
    Symbol(&'static str),
}

/// Splits a label selector into words and operators; white space is what Go's lexer skips.
fn tokenize(text: &str) -> Vec<Token> {
    const SYMBOLS: [&str; 9] = ["==", "!=", "=", "!", "(", ")", ",", ">", "<"];
    let is_space = |c: char| matches!(c, ' ' | '\t' | '\n' | '\r');
    let mut tokens = Vec::new();
    let mut rest = text;
    'outer: while let Some(c) = rest.chars().next() {
        if is_space(c) {
            rest = &rest[1..];
            continue;
        }
        for symbol in SYMBOLS {
            if let Some(after) = rest.strip_prefix(symbol) {
                tokens.push(Token::Symbol(symbol));
                rest = after;
                continue 'outer;
            }
        }
        let end = rest
            .find(|c: char| is_space(c) || "=!(),><".contains(c))
            .unwrap_or(rest.len());
        tokens.push(Token::Word(rest[..end].to_owned()));
        rest = &rest[end..];
    }
    tokens
}

/// Parses a label selector string; an empty one has no requirements.
pub fn parse_labels(text: &str) -> Result<Vec<Requirement>, String> {
    let tokens = tokenize(text);
    let mut parser = LabelParser {
        text,
        tokens: &tokens,
        pos: 0,
    };
    let mut requirements = Vec::new();
    if tokens.is_empty() {
        return Ok(requirements);
    }
    loop {
        requirements.push(parser.requirement()?);
        match parser.next() {
            None => return Ok(requirements),
            Some(Token::Symbol(",")) => {}
            Some(_) => return Err(format!("found unexpected token in {text:?}")),
        }
    }
}

struct LabelParser<'t> {
    text: &'t str,
    tokens: &'t [Token],
    pos: usize,
}

impl LabelParser<'_> {
    fn next(&mut self) -> Option<&Token> {
        let token = self.tokens.get(self.pos);
        self.pos += 1;
        token
    }

    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn key(&mut self) -> Result<String, String> {
        let text = self.text;
        let Some(Token::Word(key)) = self.next() else {
            return Err(format!(
                "unable to parse requirement: found unexpected token in {text:?}"
            ));
        };
        validate_label_key(key).map_err(|e| format!("invalid label key {key:?}: {e}"))?;
        Ok(key.clone())
    }

    fn requirement(&mut self) -> Result<Requirement, String> {
        if self.peek() == Some(&Token::Symbol("!")) {
            self.pos += 1;
            return Ok(requirement(self.key()?, Operator::DoesNotExist, Vec::new()));
        }
        let key = self.key()?;
        let text = self.text;
        match self.peek().cloned() {
            None | Some(Token::Symbol(",")) => Ok(requirement(key, Operator::Exists, Vec::new())),
            Some(Token::Symbol(op @ ("=" | "==" | "!="))) => {
                self.pos += 1;
                let value = self.value()?;
                let operator = if op == "!=" {
                    Operator::NotIn
                } else {
                    Operator::Equals
                };
                Ok(requirement(key, operator, vec![value]))
            }
            Some(Token::Symbol(op @ (">" | "<"))) => {
                self.pos += 1;
                // apimachinery tells a bound that is no integer before it checks it as a value.
                let bound = match self.peek() {
                    Some(Token::Word(value)) => value.parse::<i64>().map_err(|_| value.clone()),
                    _ => Err(String::new()),
                }
                .map_err(|value| {
                    format!("for 'Gt', 'Lt' operators, the value must be an integer: {value:?}")
                })?;
                self.value()?;
                let operator = if op == ">" {
                    Operator::GreaterThan
                } else {
                    Operator::LessThan
                };
                Ok(requirement(key, operator, vec![bound.to_string()]))
            }
            Some(Token::Word(op)) if op == "in" || op == "notin" => {
                self.pos += 1;
                let values = self.value_set()?;
                let operator = if op == "in" {
                    Operator::In
                } else {
                    Operator::NotIn
                };
                Ok(requirement(key, operator, values))
            }
            Some(_) => Err(format!(
                "found unexpected token after key {key:?} in {text:?}"
            )),
        }
    }

    /// The value after an operator; none (the end or `,`) is the empty value.
    fn value(&mut self) -> Result<String, String> {
        let value = match self.peek() {
            Some(Token::Word(value)) => value.clone(),
            _ => return Ok(String::new()),
        };
        self.pos += 1;
        validate_label_value(&value).map_err(|e| format!("invalid label value {value:?}: {e}"))?;
        Ok(value)
    }

    /// `(v1, v2, ...)` after `in` or `notin`; empty members are the empty value.
    fn value_set(&mut self) -> Result<Vec<String>, String> {
        let text = self.text;
        if self.next() != Some(&Token::Symbol("(")) {
            return Err(format!("found unexpected token, expected '(' in {text:?}"));
        }
        let mut values = Vec::new();
        loop {
            values.push(self.value()?);
            match self.next() {
                Some(Token::Symbol(",")) => {}
                Some(Token::Symbol(")")) => return Ok(values),
                Some(_) => return Err(format!("expected ',' or ')' in {text:?}")),
                None => return Err(format!("unterminated value set in {text:?}")),
            }
        }
    }
}

/// Whether a field selector term wants the field equal to the value or not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldOp {
    /// `=` or `==`.
    Equals,
    /// `!=`.
    NotEquals,
}

/// One term of a field selector string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldTerm {
    /// The field path (`metadata.name`, `status.phase`).
    pub field: String,
    /// The comparison.
    pub op: FieldOp,
    /// The value, unescaped.
    pub value: String,
}

/// Why a field selector string cannot be parsed, in apimachinery's words.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FieldSelectorError {
    /// A term without an operator.
    #[error("invalid selector: '{selector}'; can't understand '{term}'")]
    Term { selector: String, term: String },
    /// A backslash before anything but `\`, `,` or `=`, or at the end.
    #[error("invalid field selector: invalid escape sequence: {sequence}")]
    Escape { sequence: String },
    /// An unescaped `,` or `=` in a value (Go prints the character's code point).
    #[error("invalid field selector: unescaped character in value: {}", u32::from(*character))]
    Unescaped { character: char },
}

/// Parses a field selector string; empty terms are skipped, the others checked in sorted order
/// as apimachinery does.
pub fn parse_fields(text: &str) -> Result<Vec<FieldTerm>, FieldSelectorError> {
    let mut parts = split_unescaped_commas(text);
    parts.sort_unstable();
    let mut terms = Vec::new();
    for part in parts.into_iter().filter(|p| !p.is_empty()) {
        let (field, op, value) = split_term(part).ok_or_else(|| FieldSelectorError::Term {
            selector: text.to_owned(),
            term: part.to_owned(),
        })?;
        terms.push(FieldTerm {
            field: field.to_owned(),
            op,
            value: unescape_value(value)?,
        });
    }
    Ok(terms)
}

/// Splits at each `,` a backslash does not escape.
fn split_unescaped_commas(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == ',' {
            parts.push(&text[start..i]);
            start = i + 1;
        }
    }
    parts.push(&text[start..]);
    parts
}

/// Splits `field<op>value` at the first operator: the field part knows no escapes.
fn split_term(term: &str) -> Option<(&str, FieldOp, &str)> {
    term.char_indices().find_map(|(i, _)| {
        let rest = &term[i..];
        [
            ("!=", FieldOp::NotEquals),
            ("==", FieldOp::Equals),
            ("=", FieldOp::Equals),
        ]
        .into_iter()
        .find_map(|(op, kind)| rest.strip_prefix(op).map(|value| (&term[..i], kind, value)))
    })
}

/// Resolves `\\`, `\,` and `\=`; any other escape, and an unescaped `,` or `=`, is an error.
fn unescape_value(value: &str) -> Result<String, FieldSelectorError> {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(next @ ('\\' | ',' | '=')) => out.push(next),
                other => {
                    return Err(FieldSelectorError::Escape {
                        sequence: std::iter::once('\\').chain(other).collect(),
                    });
                }
            },
            ',' | '=' => return Err(FieldSelectorError::Unescaped { character: c }),
            _ => out.push(c),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn selects(selector: &str, pairs: &[(&str, &str)]) -> bool {
        let labels = crate::relabel::labels_of(pairs);
        parse_labels(selector)
            .unwrap()
            .iter()
            .all(|r| r.matches(&labels))
    }

    #[test]
    fn label_selector_operators() {
        type Labels = &'static [(&'static str, &'static str)];
        let cases: &[(&str, Labels, bool)] = &[
            ("", &[], true),
            ("a=b", &[("a", "b")], true),
            ("a==b", &[("a", "b")], true),
            ("a=b", &[("a", "c")], false),
            ("a!=b", &[], true),
            ("a in (b, c)", &[("a", "c")], true),
            ("a notin (b,c)", &[("a", "c")], false),
            ("a notin (b,c)", &[], true),
            ("a", &[("a", "")], true),
            ("!a", &[("b", "x")], true),
            ("!legacy,tier", &[("tier", "x")], true),
            ("a>2,b<5", &[("a", "3"), ("b", "4")], true),
            ("a>2", &[("a", "x")], false),
            (
                "node-type=worker,app.kubernetes.io/name",
                &[("node-type", "worker"), ("app.kubernetes.io/name", "x")],
                true,
            ),
            ("a=", &[("a", "")], true),
            ("a in ()", &[("a", "")], true),
            ("a in (b,)", &[("a", "")], true),
        ];
        for &(selector, labels, want) in cases {
            assert_eq!(
                selects(selector, labels),
                want,
                "{selector:?} on {labels:?}"
            );
        }
    }

    #[test]
    fn label_selector_errors() {
        for bad in [
            "a=b,",
            "a in b",
            "a in (b",
            "=b",
            "a b",
            "a>x",
            "-a=b",
            "a=b c",
            "a in (b c)",
        ] {
            assert!(parse_labels(bad).is_err(), "{bad}");
        }
        assert_eq!(
            parse_labels("a>x").unwrap_err(),
            "for 'Gt', 'Lt' operators, the value must be an integer: \"x\""
        );
        assert_eq!(
            parse_labels("a>b-").unwrap_err(),
            "for 'Gt', 'Lt' operators, the value must be an integer: \"b-\""
        );
        assert!(
            parse_labels("a>-1")
                .unwrap_err()
                .starts_with("invalid label value \"-1\"")
        );
    }

    #[test]
    fn field_selector_terms() {
        let terms = parse_fields("status.phase==Running,metadata.name!=a\\,b,").unwrap();
        assert_eq!(
            terms,
            [
                FieldTerm {
                    field: "metadata.name".into(),
                    op: FieldOp::NotEquals,
                    value: "a,b".into()
                },
                FieldTerm {
                    field: "status.phase".into(),
                    op: FieldOp::Equals,
                    value: "Running".into()
                },
            ]
        );
        assert_eq!(
            parse_fields(" ").unwrap_err().to_string(),
            "invalid selector: ' '; can't understand ' '"
        );
        assert!(parse_fields("").unwrap().is_empty());
    }

    #[test]
    fn field_selector_errors_are_apimachinery_s() {
        for (selector, want) in [
            (
                "metadata.name",
                "invalid selector: 'metadata.name'; can't understand 'metadata.name'",
            ),
            (
                "metadata.name=a\\b",
                "invalid field selector: invalid escape sequence: \\b",
            ),
            (
                "metadata.name=a\\",
                "invalid field selector: invalid escape sequence: \\",
            ),
            (
                "metadata.name==a=b",
                "invalid field selector: unescaped character in value: 61",
            ),
        ] {
            assert_eq!(parse_fields(selector).unwrap_err().to_string(), want);
        }
    }
}
