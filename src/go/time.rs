//! Go's `time.ParseDuration`: kubectl reads `--request-timeout` with it.

/// Nanoseconds in one of each unit Go's durations accept.
const UNITS: [(&str, u128); 9] = [
    ("ns", 1),
    ("us", 1_000),
    ("µs", 1_000),
    ("μs", 1_000),
    ("ms", 1_000_000),
    ("s", 1_000_000_000),
    ("m", 60_000_000_000),
    ("h", 3_600_000_000_000),
    ("", 0),
];

/// The largest duration Go represents (`math.MaxInt64` nanoseconds, about 292 years).
const MAX_NANOS: u128 = i64::MAX as u128;

/// Why a text is no Go duration.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DurationError {
    /// Not of the form `[-+]?([0-9]*(\.[0-9]*)?[a-z]+)+`, or out of range.
    #[error("invalid duration")]
    Invalid,
    /// A number without a unit (other than a lone 0).
    #[error("missing unit in duration")]
    MissingUnit,
    /// A unit Go does not know.
    #[error("unknown unit in duration")]
    UnknownUnit,
    /// A negative duration where only a length of time makes sense.
    #[error("negative duration")]
    Negative,
}

/// Parses a non-negative Go duration such as `1m30s` or `1.5h` (`time.ParseDuration`).
pub fn parse_duration(text: &str) -> Result<std::time::Duration, DurationError> {
    let (negative, mut rest) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if rest == "0" {
        return Ok(std::time::Duration::ZERO);
    }
    if rest.is_empty() {
        return Err(DurationError::Invalid);
    }
    let mut total: u128 = 0;
    while !rest.is_empty() {
        let digits = |text: &str| {
            text.find(|c: char| !c.is_ascii_digit())
                .unwrap_or(text.len())
        };
        let (whole, after) = rest.split_at(digits(rest));
        let (fraction, after) = match after.strip_prefix('.') {
            Some(tail) => tail.split_at(digits(tail)),
            None => ("", after),
        };
        if whole.is_empty() && fraction.is_empty() {
            return Err(DurationError::Invalid);
        }
        let unit_end = after
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(after.len());
        let (unit, next) = after.split_at(unit_end);
        if unit.is_empty() {
            return Err(DurationError::MissingUnit);
        }
        let scale = UNITS
            .iter()
            .find(|(name, _)| *name == unit)
            .map(|(_, scale)| *scale)
            .filter(|scale| *scale > 0)
            .ok_or(DurationError::UnknownUnit)?;
        let whole: u128 = if whole.is_empty() {
            0
        } else {
            whole.parse().map_err(|_| DurationError::Invalid)?
        };
        let mut nanos = whole.checked_mul(scale).ok_or(DurationError::Invalid)?;
        // Go keeps the fraction's digits while they can change the result.
        let mut place = scale;
        for digit in fraction.bytes() {
            place /= 10;
            nanos += u128::from(digit - b'0') * place;
        }
        total = total
            .checked_add(nanos)
            .filter(|t| *t <= MAX_NANOS)
            .ok_or(DurationError::Invalid)?;
        rest = next;
    }
    if negative && total > 0 {
        return Err(DurationError::Negative);
    }
    let nanos = u64::try_from(total).map_err(|_| DurationError::Invalid)?;
    Ok(std::time::Duration::from_nanos(nanos))
}

#[cfg(test)]
mod tests {
    use super::{DurationError, parse_duration};
    use std::time::Duration;

    #[test]
    fn durations_parse_as_go_does() {
        for (text, want) in [
            ("0", Duration::ZERO),
            ("30s", Duration::from_secs(30)),
            ("1m30s", Duration::from_secs(90)),
            ("1h0m0s", Duration::from_secs(3600)),
            ("1.5h", Duration::from_secs(5400)),
            (".5s", Duration::from_millis(500)),
            ("250ms", Duration::from_millis(250)),
            ("3µs", Duration::from_micros(3)),
            ("1us7ns", Duration::from_nanos(1007)),
        ] {
            assert_eq!(parse_duration(text), Ok(want), "{text}");
        }
        for (text, error) in [
            ("", DurationError::Invalid),
            ("s", DurationError::Invalid),
            ("1.2.3s", DurationError::MissingUnit),
            ("30", DurationError::MissingUnit),
            ("3d", DurationError::UnknownUnit),
            ("-1s", DurationError::Negative),
            ("99999999999999999999999h", DurationError::Invalid),
            ("3000000h", DurationError::Invalid),
        ] {
            assert_eq!(parse_duration(text), Err(error), "{text}");
        }
    }
}
