//! Durations: Prometheus's duration syntax (`model.ParseDuration`) and the operator's rule
//! that a scrape timeout may not exceed the scrape interval (upstream
//! `validateScrapeIntervalAndTimeout` in `resource_selector.go`).

use crate::validate::{Check, Checked, Context, Violation};

/// The Prometheus scrape interval the API server defaults `spec.scrapeInterval` to.
const DEFAULT_SCRAPE_INTERVAL: &str = "30s";

/// Which of the two durations [`compare_scrape_timeout_to_interval`] refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ScrapeDuration {
    /// The scrape interval does not parse.
    Interval,
    /// The scrape timeout does not parse, or exceeds the interval.
    Timeout,
}

/// Checks `timeout <= interval` (both Prometheus durations), with upstream's messages
/// (`CompareScrapeTimeoutToScrapeInterval`): for the Prometheus's own settings as for each
/// monitor's.
pub(crate) fn compare_scrape_timeout_to_interval(
    timeout: &str,
    interval: &str,
) -> Result<(), (ScrapeDuration, String)> {
    let interval_ms = parse_duration(interval).ok_or_else(|| {
        (
            ScrapeDuration::Interval,
            format!(
                "invalid scrapeInterval {interval:?}: not a valid duration string: {interval:?}"
            ),
        )
    })?;
    let timeout_ms = parse_duration(timeout).ok_or_else(|| {
        (
            ScrapeDuration::Timeout,
            format!("invalid scrapeTimeout: {timeout:?}: not a valid duration string: {timeout:?}"),
        )
    })?;
    if timeout_ms > interval_ms {
        return Err((
            ScrapeDuration::Timeout,
            format!("scrapeTimeout {timeout:?} greater than scrapeInterval {interval:?}"),
        ));
    }
    Ok(())
}

/// A monitor's scrape timeout against its interval, or the Prometheus's when it sets none
/// (upstream `validateScrapeIntervalAndTimeout`).
pub(super) fn scrape_interval_and_timeout(
    ctx: &Context<'_>,
    interval: &str,
    timeout: &str,
    at: &str,
) -> Checked {
    if timeout.is_empty() {
        return Ok(());
    }
    let interval = if interval.is_empty() {
        ctx.common
            .scrape_interval
            .as_deref()
            .filter(|i| !i.is_empty())
            .unwrap_or(DEFAULT_SCRAPE_INTERVAL)
    } else {
        interval
    };
    compare_scrape_timeout_to_interval(timeout, interval).map_err(|(which, message)| {
        let field = match which {
            ScrapeDuration::Interval => format!("{at}.interval"),
            ScrapeDuration::Timeout => format!("{at}.scrapeTimeout"),
        };
        Violation::new(Check::ScrapeTimeout, field, message)
    })
}

/// A Prometheus duration (`1h30m`, `500ms`, `0`) in milliseconds; `None` when malformed.
pub fn parse_duration(text: &str) -> Option<u128> {
    if text == "0" {
        return Some(0);
    }
    if text.is_empty() {
        return None;
    }
    const UNITS: [(&str, u128); 7] = [
        ("y", 365 * 24 * 3600 * 1000),
        ("w", 7 * 24 * 3600 * 1000),
        ("d", 24 * 3600 * 1000),
        ("h", 3600 * 1000),
        ("m", 60 * 1000),
        ("s", 1000),
        ("ms", 1),
    ];
    let mut rest = text;
    let mut next_unit = 0;
    let mut total: u128 = 0;
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        let (number, tail) = rest.split_at(digits);
        let value: u128 = number.parse().ok()?;
        let unit_len = tail.bytes().take_while(|b| b.is_ascii_alphabetic()).count();
        let (unit, tail) = tail.split_at(unit_len);
        let pos = UNITS.iter().position(|(u, _)| *u == unit)?;
        if pos < next_unit {
            return None;
        }
        next_unit = pos + 1;
        total = total.checked_add(value.checked_mul(UNITS.get(pos)?.1)?)?;
        rest = tail;
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeout_longer_than_interval_is_refused() {
        assert!(compare_scrape_timeout_to_interval("10s", "30s").is_ok());
        let (which, message) = compare_scrape_timeout_to_interval("60s", "30s").unwrap_err();
        assert_eq!(which, ScrapeDuration::Timeout);
        assert!(message.contains("greater than scrapeInterval"), "{message}");
        let (which, _) = compare_scrape_timeout_to_interval("1s", "30 s").unwrap_err();
        assert_eq!(which, ScrapeDuration::Interval);
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("30s"), Some(30_000));
        assert_eq!(parse_duration("1m30s"), Some(90_000));
        assert_eq!(parse_duration("0"), Some(0));
        assert_eq!(parse_duration("30 s"), None);
        assert_eq!(parse_duration(""), None);
        assert_eq!(parse_duration("1s1m"), None);
        assert_eq!(parse_duration("100ms"), Some(100));
    }
}
