//! Go's `strconv.Quote` and `fmt` `%v` of JSON values, as the operator's and Prometheus's text
//! output uses them.

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

/// Go's `strconv.FormatFloat(v, 'f', -1, 64)`.
pub(crate) fn format_float(v: f64) -> String {
    if v.is_nan() {
        "NaN".to_owned()
    } else if v == f64::INFINITY {
        "+Inf".to_owned()
    } else if v == f64::NEG_INFINITY {
        "-Inf".to_owned()
    } else {
        format!("{v}")
    }
}

/// Nesting depth up to which [`format_json_value`] prints a value; deeper parts print as
/// `...`. A label value is a scalar in any real object; the limit only bounds the recursion.
pub(crate) const MAX_FORMAT_DEPTH: usize = 32;

/// Go's `fmt` `%v` of a value `encoding/json` decoded into `any` (`float64`, `bool`, `string`,
/// `[]any`, `map[string]any`, `nil`).
pub(crate) fn format_json_value(value: &serde_json::Value) -> String {
    format_json_value_at(value, 0)
}

fn format_json_value_at(value: &serde_json::Value, depth: usize) -> String {
    use serde_json::Value;
    if depth > MAX_FORMAT_DEPTH {
        return "...".to_owned();
    }
    match value {
        Value::Null => "<nil>".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => format_g(n.as_f64().unwrap_or(0.0)),
        Value::String(s) => s.clone(),
        Value::Array(items) => format!(
            "[{}]",
            items
                .iter()
                .map(|item| format_json_value_at(item, depth + 1))
                .collect::<Vec<_>>()
                .join(" ")
        ),
        Value::Object(map) => {
            // Go prints map keys sorted.
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            format!(
                "map[{}]",
                entries
                    .iter()
                    .map(|(k, v)| format!("{k}:{}", format_json_value_at(v, depth + 1)))
                    .collect::<Vec<_>>()
                    .join(" ")
            )
        }
    }
}

/// Go's `%v` of a `float64`, with Go's spellings of NaN and the infinities.
fn format_g(v: f64) -> String {
    if v.is_nan() {
        return "NaN".to_owned();
    }
    if v.is_infinite() {
        return if v > 0.0 { "+Inf" } else { "-Inf" }.to_owned();
    }
    crate::yaml::format_finite_float(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_like_go() {
        assert_eq!(quote("a\"b\\c\n"), "\"a\\\"b\\\\c\\n\"");
        assert_eq!(quote("测试 é"), "\"测试 é\"");
        assert_eq!(quote("\u{1}\u{a0}"), "\"\\x01\\u00a0\"");
    }

    #[test]
    fn formats_json_values_like_go_percent_v() {
        use serde_json::json;
        for (value, want) in [
            (json!(1), "1"),
            (json!(1.5), "1.5"),
            (json!(false), "false"),
            (json!(1e21), "1e+21"),
            (json!(100000000), "1e+08"),
            (json!(123456), "123456"),
            (json!(0.00001), "1e-05"),
            (json!([1, "a"]), "[1 a]"),
            (json!({"b": 1, "a": true}), "map[a:true b:1]"),
        ] {
            assert_eq!(format_json_value(&value), want, "{value}");
        }
    }
}
