//! Prometheus's duration (`model.Duration`): `model.ParseDuration` and `Duration.String`,
//! the one implementation every part of the program parses and prints durations with
//! (scrape intervals, rule `for`, Alertmanager timers, PromQL literals).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A Prometheus duration (`model.Duration`): `1h30m`, `15s`, `0`; years and weeks count 365
/// and 7 days. Displayed in Prometheus's normalised form (`90s` shows as `1m30s`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Duration {
    nanos: u64,
}

/// Why a duration does not parse (Prometheus's wording).
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum DurationError {
    /// The empty string.
    #[error("empty duration string")]
    Empty,
    /// Not of the form `<number><unit>...` with units in decreasing order.
    #[error("not a valid duration string: {0:?}")]
    Invalid(String),
    /// A unit other than y, w, d, h, m, s, ms.
    #[error("unknown unit {unit:?} in duration {duration:?}")]
    UnknownUnit {
        /// The unit as written.
        unit: String,
        /// The whole duration.
        duration: String,
    },
    /// More than about 292 years.
    #[error("duration out of range")]
    OutOfRange,
}

const MILLISECOND: u64 = 1_000_000;
const SECOND: u64 = 1000 * MILLISECOND;
const MINUTE: u64 = 60 * SECOND;
const HOUR: u64 = 60 * MINUTE;
const DAY: u64 = 24 * HOUR;
const WEEK: u64 = 7 * DAY;
const YEAR: u64 = 365 * DAY;
/// Units from largest to smallest; a duration must use them in this order.
const UNITS: [(&str, u64); 7] = [
    ("y", YEAR),
    ("w", WEEK),
    ("d", DAY),
    ("h", HOUR),
    ("m", MINUTE),
    ("s", SECOND),
    ("ms", MILLISECOND),
];
const MAX_NANOS: u64 = i64::MAX as u64;

impl Duration {
    /// A duration of whole milliseconds.
    pub fn from_millis(millis: u64) -> Duration {
        Duration {
            nanos: millis.saturating_mul(MILLISECOND).min(MAX_NANOS),
        }
    }

    /// Whole milliseconds (`ms` is the smallest unit a duration can be written in).
    pub fn as_millis(self) -> u64 {
        self.nanos / MILLISECOND
    }

    /// Whether the duration is zero.
    pub fn is_zero(self) -> bool {
        self.nanos == 0
    }

    /// Parses a duration as Prometheus does (`model.ParseDuration`).
    pub fn parse(text: &str) -> Result<Duration, DurationError> {
        match text {
            "0" => return Ok(Duration::default()),
            "" => return Err(DurationError::Empty),
            _ => {}
        }
        let invalid = || DurationError::Invalid(text.to_owned());
        let mut rest = text;
        let mut total: u64 = 0;
        let mut last_unit: Option<usize> = None;
        while !rest.is_empty() {
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 {
                return Err(invalid());
            }
            let value: u64 = rest[..digits].parse().map_err(|_| invalid())?;
            rest = &rest[digits..];
            let unit_len = rest.bytes().take_while(|b| !b.is_ascii_digit()).count();
            if unit_len == 0 {
                return Err(invalid());
            }
            let unit = &rest[..unit_len];
            rest = &rest[unit_len..];
            let Some(position) = UNITS.iter().position(|(name, _)| *name == unit) else {
                return Err(DurationError::UnknownUnit {
                    unit: unit.to_owned(),
                    duration: text.to_owned(),
                });
            };
            if last_unit.is_some_and(|last| position <= last) {
                return Err(invalid());
            }
            last_unit = Some(position);
            let multiplier = UNITS.get(position).map_or(1, |(_, m)| *m);
            if value > (1u64 << 63) / multiplier {
                return Err(DurationError::OutOfRange);
            }
            total = total.saturating_add(value * multiplier);
            if total > MAX_NANOS {
                return Err(DurationError::OutOfRange);
            }
        }
        Ok(Duration { nanos: total })
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut millis = self.nanos / MILLISECOND;
        if millis == 0 {
            return f.write_str("0s");
        }
        for (index, (unit, nanos)) in UNITS.iter().enumerate() {
            let unit_millis = nanos / MILLISECOND;
            // Years and weeks are only used when nothing smaller remains (`90d`, not `12w6d`).
            if index < 2 && !millis.is_multiple_of(unit_millis) {
                continue;
            }
            let count = millis / unit_millis;
            if count > 0 {
                write!(f, "{count}{unit}")?;
                millis -= count * unit_millis;
            }
        }
        Ok(())
    }
}

impl Serialize for Duration {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Duration {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Duration::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_and_print_like_prometheus() {
        for (text, shown) in [
            ("0", "0s"),
            ("0s", "0s"),
            ("90s", "1m30s"),
            ("1h30m", "1h30m"),
            ("14d", "2w"),
            ("15d", "15d"),
            ("365d", "1y"),
            ("1500ms", "1s500ms"),
            ("1m30s", "1m30s"),
        ] {
            assert_eq!(Duration::parse(text).unwrap().to_string(), shown, "{text}");
        }
        assert_eq!(Duration::parse(""), Err(DurationError::Empty));
        assert_eq!(
            Duration::parse("1m1h"),
            Err(DurationError::Invalid("1m1h".into()))
        );
        assert_eq!(
            Duration::parse("2notseconds").unwrap_err().to_string(),
            r#"unknown unit "notseconds" in duration "2notseconds""#
        );
        assert_eq!(
            Duration::parse("s"),
            Err(DurationError::Invalid("s".into()))
        );
        assert_eq!(Duration::parse("300y"), Err(DurationError::OutOfRange));
        assert!(Duration::parse("30 s").is_err());
        assert_eq!(Duration::parse("100ms").unwrap().as_millis(), 100);
        assert!(Duration::parse("1s").unwrap() < Duration::parse("2s").unwrap());
    }
}
