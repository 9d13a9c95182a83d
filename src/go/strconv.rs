//! Go's `strconv.Quote` and `strconv.Unquote` (double-quoted form only), with
//! `unicode.IsPrint`: Alertmanager quotes matcher names and values with them and reads quoted
//! tokens in its UTF-8 matcher parser; the operator and Prometheus quote text in messages and
//! rule output.

/// Go's `unicode.IsPrint`, approximated: Rust has no general-category table, so unassigned
/// code points count as printable; the control, space and format characters Go escapes are
/// recognised.
pub(crate) fn is_print(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    if c.is_control() || c.is_whitespace() {
        return false;
    }
    // Format (Cf), private-use (Co) and surrogate-adjacent characters Go escapes.
    !matches!(c,
        '\u{00ad}'
        | '\u{0600}'..='\u{0605}'
        | '\u{061c}'
        | '\u{06dd}'
        | '\u{070f}'
        | '\u{0890}'..='\u{0891}'
        | '\u{08e2}'
        | '\u{180e}'
        | '\u{200b}'..='\u{200f}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{206f}'
        | '\u{e000}'..='\u{f8ff}'
        | '\u{feff}'
        | '\u{fff9}'..='\u{fffb}'
        | '\u{110bd}'
        | '\u{110cd}'
        | '\u{13430}'..='\u{1343f}'
        | '\u{1bca0}'..='\u{1bca3}'
        | '\u{1d173}'..='\u{1d17a}'
        | '\u{e0001}'
        | '\u{e0020}'..='\u{e007f}'
        | '\u{f0000}'..='\u{10ffff}')
}

/// The escape Go's `strconv.Quote` writes for a non-printable character.
pub(crate) fn escape_char(c: char) -> String {
    match c {
        '\u{7}' => "\\a".to_owned(),
        '\u{8}' => "\\b".to_owned(),
        '\u{c}' => "\\f".to_owned(),
        '\n' => "\\n".to_owned(),
        '\r' => "\\r".to_owned(),
        '\t' => "\\t".to_owned(),
        '\u{b}' => "\\v".to_owned(),
        c if (c as u32) < 0x20 || c == '\u{7f}' => format!("\\x{:02x}", c as u32),
        c if (c as u32) < 0x10000 => format!("\\u{:04x}", c as u32),
        c => format!("\\U{:08x}", c as u32),
    }
}

/// Go's `strconv.Quote`.
pub(crate) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if is_print(c) => out.push(c),
            c => out.push_str(&escape_char(c)),
        }
    }
    out.push('"');
    out
}

/// Go's `strconv.Unquote` for a double-quoted literal: the bytes it stands for (which `\x`
/// escapes may leave as invalid UTF-8), or `None` when it is not a valid Go string literal.
pub(crate) fn unquote(literal: &str) -> Option<Vec<u8>> {
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

/// Go's `strconv.ParseBool`.
pub(crate) fn parse_bool(text: &str) -> Option<bool> {
    match text {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// Where the run of characters `keep` accepts, starting at `from`, ends.
pub(crate) fn scan_while(input: &str, from: usize, keep: impl Fn(char) -> bool) -> usize {
    input[from..]
        .char_indices()
        .find(|(_, c)| !keep(*c))
        .map_or(input.len(), |(i, _)| from + i)
}

/// The end of the string starting at `from` with `quote` (an ASCII quote; backquoted strings
/// are raw and may span lines), or `None` when it is not closed.
pub(crate) fn quoted_end(input: &str, from: usize, quote: char) -> Option<usize> {
    let mut chars = input[from + 1..].char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' if quote != '`' => {
                chars.next();
            }
            '\n' if quote != '`' => break,
            c if c == quote => return Some(from + 1 + i + c.len_utf8()),
            _ => {}
        }
    }
    None
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
        assert_eq!(quote("测试 é"), "\"测试 é\"");
        // Private use and format characters are not printable to Go.
        assert_eq!(quote("\u{e000}\u{600}"), r#""\ue000\u0600""#);
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
