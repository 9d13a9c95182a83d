//! Prometheus `model.Duration` as Alertmanager's configuration reads and writes it
//! (`model.ParseDuration`, `Duration.String`).

/// Milliseconds of a duration string, or the error `model.ParseDuration` returns.
pub fn parse(text: &str) -> Result<u128, String> {
    if text.is_empty() {
        return Err("empty duration string".to_owned());
    }
    crate::validate::parse_duration(text)
        .ok_or_else(|| format!("not a valid duration string: {text:?}"))
}

/// `Duration.String`: years and weeks only when they divide exactly, then days down to
/// milliseconds; `0s` for zero.
pub fn format(millis: u128) -> String {
    if millis == 0 {
        return "0s".to_owned();
    }
    const UNITS: [(&str, u128, bool); 7] = [
        ("y", 365 * 24 * 3600 * 1000, true),
        ("w", 7 * 24 * 3600 * 1000, true),
        ("d", 24 * 3600 * 1000, false),
        ("h", 3600 * 1000, false),
        ("m", 60 * 1000, false),
        ("s", 1000, false),
        ("ms", 1, false),
    ];
    let mut rest = millis;
    let mut out = String::new();
    for (unit, size, exact) in UNITS {
        if exact && !rest.is_multiple_of(size) {
            continue;
        }
        let count = rest / size;
        if count > 0 {
            out.push_str(&count.to_string());
            out.push_str(unit);
            rest -= count * size;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_like_model_duration() {
        assert_eq!(format(parse("24h").unwrap()), "1d");
        assert_eq!(format(parse("90m").unwrap()), "1h30m");
        assert_eq!(format(parse("14d").unwrap()), "2w");
        assert_eq!(format(parse("0").unwrap()), "0s");
        assert_eq!(format(parse("1500ms").unwrap()), "1s500ms");
        assert!(parse("").is_err());
        assert!(parse("5x").is_err());
    }
}
