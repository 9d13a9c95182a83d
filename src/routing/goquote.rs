//! Go's `strconv.Quote` and `strconv.Unquote` (double-quoted form only), which Alertmanager
//! uses to render matchers whose names need quoting and to read quoted tokens in the UTF-8
//! matcher parser.

use std::fmt::Write as _;

/// Go's `strconv.Quote`: a double-quoted string with Go escapes for `"`, `\` and characters
/// Go does not consider printable.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            _ if is_print(c) => out.push(c),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            _ if (c as u32) < 0x20 || c == '\u{7f}' => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            _ if (c as u32) < 0x10000 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            _ => {
                let _ = write!(out, "\\U{:08x}", c as u32);
            }
        }
    }
    out.push('"');
    out
}

/// Go's `unicode.IsPrint`, closely: letters, marks, numbers, punctuation, symbols and the ASCII
/// space. Rust has no general-category table, so other separators, controls and the common
/// format characters are what is excluded.
fn is_print(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    !(c.is_whitespace()
        || c.is_control()
        || matches!(c, '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}' | '\u{feff}'))
}

/// Go's `strconv.Unquote` for a double-quoted literal: the bytes it stands for (which `\x`
/// escapes may leave as invalid UTF-8), or `None` when it is not a valid Go string literal.
pub fn unquote(literal: &str) -> Option<Vec<u8>> {
    let body = literal.strip_prefix('"')?.strip_suffix('"')?;
    if body.contains('\n') {
        return None;
    }
    let mut out = Vec::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => return None,
            '\\' => unquote_escape(&mut chars, &mut out)?,
            _ => {
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    Some(out)
}

/// One escape sequence after its backslash, appended to `out`.
fn unquote_escape(chars: &mut std::str::Chars<'_>, out: &mut Vec<u8>) -> Option<()> {
    let simple = |b: u8, out: &mut Vec<u8>| {
        out.push(b);
        Some(())
    };
    match chars.next()? {
        'a' => simple(7, out),
        'b' => simple(8, out),
        'f' => simple(12, out),
        'n' => simple(b'\n', out),
        'r' => simple(b'\r', out),
        't' => simple(b'\t', out),
        'v' => simple(11, out),
        '\\' => simple(b'\\', out),
        '"' => simple(b'"', out),
        'x' => {
            let value = hex_digits(chars, 2)?;
            simple(u8::try_from(value).ok()?, out)
        }
        kind @ ('u' | 'U') => {
            let value = hex_digits(chars, if kind == 'u' { 4 } else { 8 })?;
            let c = char::from_u32(value)?;
            let mut buf = [0u8; 4];
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            Some(())
        }
        first @ '0'..='7' => {
            let mut value = first.to_digit(8)?;
            for _ in 0..2 {
                value = value * 8 + chars.next()?.to_digit(8)?;
            }
            simple(u8::try_from(value).ok()?, out)
        }
        _ => None,
    }
}

fn hex_digits(chars: &mut std::str::Chars<'_>, count: usize) -> Option<u32> {
    let mut value: u32 = 0;
    for _ in 0..count {
        value = value * 16 + chars.next()?.to_digit(16)?;
    }
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::{quote, unquote};

    #[test]
    fn quote_escapes_like_go() {
        assert_eq!(quote("foo!"), r#""foo!""#);
        assert_eq!(quote("a\"b\\c\nd\te"), r#""a\"b\\c\nd\te""#);
        assert_eq!(quote("\u{1}\u{7f}"), r#""\x01\x7f""#);
        assert_eq!(quote("\u{a0}\u{200b}"), r#""\u00a0\u200b""#);
        assert_eq!(quote("🙂é"), "\"🙂é\"");
    }

    #[test]
    fn unquote_reads_go_literals() {
        assert_eq!(unquote(r#""bar\n""#), Some(b"bar\n".to_vec()));
        assert_eq!(
            unquote(r#""\xf0\x9f\x99\x82""#),
            Some("🙂".as_bytes().to_vec())
        );
        assert_eq!(unquote(r#""\U0001f642""#), Some("🙂".as_bytes().to_vec()));
        assert_eq!(unquote(r#""\101""#), Some(b"A".to_vec()));
        assert_eq!(unquote(r#""\xf0\x9f""#), Some(vec![0xf0, 0x9f]));
        assert_eq!(unquote(r#""bar\w""#), None);
        assert_eq!(unquote(r#""a"b""#), None);
        assert_eq!(unquote(r#""\'""#), None);
        assert_eq!(unquote("\"a\nb\""), None);
        assert_eq!(unquote(r#""\ud800""#), None);
        assert_eq!(unquote("bar"), None);
    }
}
