//! Prometheus `model.Duration` as Alertmanager's configuration reads and writes it
//! (`model.ParseDuration`, `Duration.String`).

use crate::duration::Duration;

/// Milliseconds of a duration string, or the error `model.ParseDuration` returns.
pub fn parse(text: &str) -> Result<u128, String> {
    if text.is_empty() {
        return Err("empty duration string".to_owned());
    }
    Duration::parse(text)
        .map(|d| u128::from(d.as_millis()))
        .map_err(|_| format!("not a valid duration string: {text:?}"))
}

/// `Duration.String` of a number of milliseconds.
pub fn format(millis: u128) -> String {
    Duration::from_millis(u64::try_from(millis).unwrap_or(u64::MAX)).to_string()
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
