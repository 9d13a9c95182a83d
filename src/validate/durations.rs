//! Durations: Prometheus's duration syntax (`model.ParseDuration`) and the operator's rule
//! that a scrape timeout may not exceed the scrape interval (upstream
//! `validateScrapeIntervalAndTimeout` in `resource_selector.go`).

use crate::validate::{Check, Checked, Context, fail};

/// The Prometheus scrape interval the API server defaults `spec.scrapeInterval` to.
const DEFAULT_SCRAPE_INTERVAL: &str = "30s";

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
    let Some(si) = parse_duration(interval) else {
        return fail(
            Check::ScrapeTimeout,
            format!("{at}.interval"),
            format!("invalid scrapeInterval {interval:?}"),
        );
    };
    let Some(st) = parse_duration(timeout) else {
        return fail(
            Check::ScrapeTimeout,
            format!("{at}.scrapeTimeout"),
            format!("invalid scrapeTimeout: {timeout:?}"),
        );
    };
    if st > si {
        fail(
            Check::ScrapeTimeout,
            format!("{at}.scrapeTimeout"),
            format!("scrapeTimeout {timeout:?} greater than scrapeInterval {interval:?}"),
        )?;
    }
    Ok(())
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
