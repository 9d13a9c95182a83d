//! Kubernetes selector strings, as `labels.Parse` and `fields.ParseSelector` of
//! `k8s.io/apimachinery` read them (the operator refuses what they refuse).

use crate::select::label_selector::{validate_label_key, validate_label_value};

/// Checks a field selector: comma-separated `key=value`, `key==value` or `key!=value`.
pub(in crate::validate) fn parse_fields(text: &str) -> Result<(), String> {
    if text.trim().is_empty() {
        return Ok(());
    }
    for term in split_unescaped(text, ',') {
        let ok = ["!=", "==", "="]
            .iter()
            .any(|op| find_unescaped(&term, op).is_some_and(|pos| pos > 0 || !term.is_empty()));
        if !ok {
            return Err(format!(
                "invalid selector: '{text}'; can't understand '{term}'"
            ));
        }
    }
    Ok(())
}

fn split_unescaped(text: &str, sep: char) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut escaped = false;
    for c in text.chars() {
        if escaped {
            current.push(c);
            escaped = false;
        } else if c == '\\' {
            current.push(c);
            escaped = true;
        } else if c == sep {
            parts.push(std::mem::take(&mut current));
        } else {
            current.push(c);
        }
    }
    parts.push(current);
    parts
}

fn find_unescaped(text: &str, needle: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes.get(i) == Some(&b'\\') {
            i += 2;
            continue;
        }
        if text.get(i..).is_some_and(|rest| rest.starts_with(needle)) {
            return Some(i);
        }
        i += 1;
    }
    None
}

#[derive(Debug, PartialEq)]
enum Token {
    Ident(String),
    Comma,
    Open,
    Close,
    Op(&'static str),
    Not,
}

fn lex(text: &str) -> Result<Vec<Token>, String> {
    let mut tokens = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        match c {
            ' ' | '\t' | '\n' | '\r' => i += 1,
            ',' => {
                tokens.push(Token::Comma);
                i += 1
            }
            '(' => {
                tokens.push(Token::Open);
                i += 1
            }
            ')' => {
                tokens.push(Token::Close);
                i += 1
            }
            '!' if chars.get(i + 1) == Some(&'=') => {
                tokens.push(Token::Op("!="));
                i += 2
            }
            '!' => {
                tokens.push(Token::Not);
                i += 1
            }
            '=' if chars.get(i + 1) == Some(&'=') => {
                tokens.push(Token::Op("=="));
                i += 2
            }
            '=' => {
                tokens.push(Token::Op("="));
                i += 1
            }
            '>' => {
                tokens.push(Token::Op(">"));
                i += 1
            }
            '<' => {
                tokens.push(Token::Op("<"));
                i += 1
            }
            _ => {
                let start = i;
                while let Some(&c) = chars.get(i) {
                    if matches!(
                        c,
                        ' ' | '\t' | '\n' | '\r' | ',' | '(' | ')' | '!' | '=' | '>' | '<'
                    ) {
                        break;
                    }
                    i += 1;
                }
                let word: String = chars.get(start..i).unwrap_or_default().iter().collect();
                tokens.push(Token::Ident(word));
            }
        }
    }
    Ok(tokens)
}

/// Checks a label selector string (`app=x,env in (a,b),!legacy`).
pub(in crate::validate) fn parse_labels(text: &str) -> Result<(), String> {
    let tokens = lex(text)?;
    if tokens.is_empty() {
        return Ok(());
    }
    let mut pos = 0;
    let next = |pos: &mut usize| {
        let t = tokens.get(*pos);
        *pos += 1;
        t
    };
    loop {
        let negated = matches!(tokens.get(pos), Some(Token::Not));
        if negated {
            pos += 1;
        }
        let Some(Token::Ident(key)) = next(&mut pos) else {
            return Err(format!(
                "unable to parse requirement: found unexpected token in {text:?}"
            ));
        };
        validate_label_key(key).map_err(|e| format!("invalid label key {key:?}: {e}"))?;
        if !negated {
            match tokens.get(pos) {
                None | Some(Token::Comma) => {}
                Some(Token::Op(op)) => {
                    pos += 1;
                    let value = match tokens.get(pos) {
                        Some(Token::Ident(v)) => {
                            pos += 1;
                            v.clone()
                        }
                        _ => String::new(),
                    };
                    if matches!(*op, ">" | "<") && value.parse::<i64>().is_err() {
                        return Err(format!(
                            "for 'Gt', 'Lt' operators, the value must be an integer: {value:?}"
                        ));
                    }
                    validate_label_value(&value)
                        .map_err(|e| format!("invalid label value {value:?}: {e}"))?;
                }
                Some(Token::Ident(word)) if word == "in" || word == "notin" => {
                    pos += 1;
                    if next(&mut pos) != Some(&Token::Open) {
                        return Err(format!("found unexpected token, expected '(' in {text:?}"));
                    }
                    loop {
                        match next(&mut pos) {
                            Some(Token::Ident(v)) => {
                                validate_label_value(v)
                                    .map_err(|e| format!("invalid label value {v:?}: {e}"))?;
                                match next(&mut pos) {
                                    Some(Token::Comma) => {}
                                    Some(Token::Close) => break,
                                    _ => {
                                        return Err(format!("expected ',' or ')' in {text:?}"));
                                    }
                                }
                            }
                            Some(Token::Comma) => {}
                            Some(Token::Close) => break,
                            _ => return Err(format!("unterminated value set in {text:?}")),
                        }
                    }
                }
                _ => {
                    return Err(format!(
                        "found unexpected token after key {key:?} in {text:?}"
                    ));
                }
            }
        }
        match next(&mut pos) {
            None => return Ok(()),
            Some(Token::Comma) => {}
            Some(_) => return Err(format!("found unexpected token in {text:?}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selector_strings() {
        assert!(parse_labels("app=example,env!=production,release in (v1, v2)").is_ok());
        assert!(parse_labels("!legacy,tier").is_ok());
        assert!(parse_labels("app in v1").is_err());
        assert!(parse_fields("status.phase=Running,metadata.name!=worker").is_ok());
        assert!(parse_fields("status.phase").is_err());
    }
}
