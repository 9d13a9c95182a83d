//! Go's `fmt` `%v` of JSON values, as the operator's and Prometheus's text output uses them.

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
