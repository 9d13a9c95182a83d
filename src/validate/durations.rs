//! Durations: Prometheus's duration syntax (`model.ParseDuration`) and the operator's rule
//! that a scrape timeout may not exceed the scrape interval (upstream
//! `validateScrapeIntervalAndTimeout` in `resource_selector.go`).

use crate::duration::Duration;
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
    let interval_parsed = Duration::parse(interval).map_err(|_| {
        (
            ScrapeDuration::Interval,
            format!(
                "invalid scrapeInterval {interval:?}: not a valid duration string: {interval:?}"
            ),
        )
    })?;
    let timeout_parsed = Duration::parse(timeout).map_err(|_| {
        (
            ScrapeDuration::Timeout,
            format!("invalid scrapeTimeout: {timeout:?}: not a valid duration string: {timeout:?}"),
        )
    })?;
    if timeout_parsed > interval_parsed {
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
}
