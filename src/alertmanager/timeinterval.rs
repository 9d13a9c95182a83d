//! Time intervals two ways: Alertmanager's own `timeinterval` ranges (how `alertmanager.yaml`
//! spells them, read and written by [`super::schema`]) and the AlertmanagerConfig CRD's ranges
//! (upstream `v1alpha1` `TimeRange.Parse`, `WeekdayRange.Parse`, `MonthRange.Parse`,
//! `YearRange.Parse`, `DayOfMonthRange.Validate`), converted by `convertMuteTimeInterval`.

/// Weekday names, Sunday first (a weekday's number is its position).
const WEEKDAYS: [&str; 7] = [
    "sunday",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
];

/// Month names, January first (a month's number is its position plus one).
const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// An inclusive range of integers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Range {
    /// First member.
    pub start: i64,
    /// Last member.
    pub end: i64,
}

/// `HH:MM` (or `24:00`) as minutes of the day; the error Go's `parseTime` returns.
pub fn parse_time(text: &str) -> Result<i64, String> {
    let valid = match text.as_bytes() {
        [h1, h2, b':', m1, m2] => {
            let hour_ok = matches!((h1, h2), (b'0'..=b'1', b'0'..=b'9') | (b'2', b'0'..=b'3'));
            let minute_ok = matches!((m1, m2), (b'0'..=b'5', b'0'..=b'9'));
            (hour_ok && minute_ok) || text == "24:00"
        }
        _ => false,
    };
    if !valid {
        return Err(format!("couldn't parse timestamp {text}, invalid format"));
    }
    let (h, m) = text.split_once(':').unwrap_or(("0", "0"));
    let hours: i64 = h
        .parse()
        .map_err(|_| format!("invalid timestamp format: {text}"))?;
    let minutes: i64 = m
        .parse()
        .map_err(|_| format!("invalid timestamp format: {text}"))?;
    Ok(hours * 60 + minutes)
}

/// Alertmanager's `TimeRange` unmarshalling: both times set and start before end.
pub fn time_range(start: &str, end: &str) -> Result<(i64, i64), String> {
    if start.is_empty() || end.is_empty() {
        return Err("both start and end times must be provided".to_owned());
    }
    let (s, e) = (parse_time(start)?, parse_time(end)?);
    if s >= e {
        return Err("start time cannot be equal or greater than end time".to_owned());
    }
    Ok((s, e))
}

/// Minutes of the day as `HH:MM` (Alertmanager's `TimeRange.MarshalYAML`).
pub fn format_minutes(minutes: i64) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// The ends of a `start:end` range, or the one value as both ends; `None` for more than one `:`.
fn range_ends(text: &str) -> Option<(&str, &str)> {
    if !text.contains(':') {
        return Some((text, text));
    }
    let mut parts = text.split(':');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(a), Some(b), None) => Some((a, b)),
        _ => None,
    }
}

fn split_range(text: &str) -> Result<(&str, &str), String> {
    range_ends(text).ok_or_else(|| format!("couldn't parse range {text}, invalid format"))
}

/// Go's `strconv.Atoi`, with its error text.
fn atoi(text: &str) -> Result<i64, String> {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("strconv.Atoi: parsing {text:?}: invalid syntax"));
    }
    text.parse()
        .map_err(|_| format!("strconv.Atoi: parsing {text:?}: value out of range"))
}

/// Which of Alertmanager's time-interval ranges a list holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RangeKind {
    /// `weekdays`.
    Weekdays,
    /// `days_of_month`.
    DaysOfMonth,
    /// `months`.
    Months,
    /// `years`.
    Years,
}

/// One Alertmanager range (`monday:friday`, `-7:-1`, `2020`), with Go's per-kind checks and
/// messages.
pub fn parse_range(kind: RangeKind, text: &str) -> Result<Range, String> {
    let lower = text.to_lowercase();
    let (a, b) = split_range(&lower)?;
    let member = |s: &str| -> Result<i64, String> {
        let position = |names: &[&str]| {
            names
                .iter()
                .position(|n| *n == s)
                .and_then(|i| i64::try_from(i).ok())
        };
        match kind {
            RangeKind::Weekdays => {
                position(&WEEKDAYS).ok_or_else(|| format!("{s} is not a valid weekday"))
            }
            RangeKind::Months => match position(&MONTHS) {
                Some(p) => Ok(p + 1),
                None => atoi(s).map_err(|_| format!("{s} is not a valid month")),
            },
            RangeKind::DaysOfMonth | RangeKind::Years => atoi(s),
        }
    };
    let range = Range {
        start: member(a)?,
        end: member(b)?,
    };
    match kind {
        RangeKind::Weekdays if range.start > range.end => {
            Err("start day cannot be before end day".to_owned())
        }
        RangeKind::DaysOfMonth => check_days_of_month(range).map(|()| range),
        RangeKind::Months if range.start > range.end => Err(format!(
            "end month {} is before start month {}",
            month_name(range.end),
            month_name(range.start)
        )),
        RangeKind::Years if range.start > range.end => Err(format!(
            "end year {} is before start year {}",
            range.end, range.start
        )),
        _ => Ok(range),
    }
}

/// An Alertmanager range checked and written back as Alertmanager marshals it (weekday names,
/// numbers for the others, `a:b` or `a`).
pub fn canonical_range(kind: RangeKind, text: &str) -> Result<String, String> {
    let range = parse_range(kind, text)?;
    Ok(match kind {
        RangeKind::Weekdays => format_weekdays(range),
        RangeKind::DaysOfMonth | RangeKind::Months | RangeKind::Years => format_numbers(range),
    })
}

fn month_name(n: i64) -> &'static str {
    usize::try_from(n - 1)
        .ok()
        .and_then(|i| MONTHS.get(i))
        .copied()
        .unwrap_or("")
}

/// Weekday range as Alertmanager writes it: `monday` or `monday:friday`.
pub fn format_weekdays(range: Range) -> String {
    let name = |n: i64| {
        usize::try_from(n)
            .ok()
            .and_then(|i| WEEKDAYS.get(i))
            .copied()
            .unwrap_or("")
    };
    if range.start == range.end {
        name(range.start).to_owned()
    } else {
        format!("{}:{}", name(range.start), name(range.end))
    }
}

/// Numeric range as Alertmanager writes it: `7` or `1:10`.
pub fn format_numbers(range: Range) -> String {
    if range.start == range.end {
        range.start.to_string()
    } else {
        format!("{}:{}", range.start, range.end)
    }
}

/// The day-of-month checks Alertmanager and the CRD share.
pub fn check_days_of_month(range: Range) -> Result<(), String> {
    for day in [range.start, range.end] {
        if day == 0 || !(-31..=31).contains(&day) {
            return Err(format!(
                "{day} is not a valid day of the month: out of range"
            ));
        }
    }
    if range.start < 0 && range.end > 0 {
        return Err("end day must be negative if start day is negative".to_owned());
    }
    let begin = if range.start < 0 {
        28 + range.start
    } else {
        range.start
    };
    let end = if range.end < 0 {
        28 + range.end
    } else {
        range.end
    };
    if begin > end {
        return Err(format!(
            "end day {} is always before start day {}",
            range.end, range.start
        ));
    }
    Ok(())
}

/// `time.LoadLocation`: the name must be in the bundled IANA database, spelled exactly (`""`
/// and `UTC` are UTC), as routing loads it.
pub fn check_location(name: &str) -> Result<(), String> {
    crate::routing::Location::load(name)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// The CRD's parsers (`TimeRange.Parse` and friends), whose messages differ from
/// Alertmanager's.
pub mod cr {
    use super::{MONTHS, Range, WEEKDAYS, atoi, parse_time, range_ends};

    /// One of the range parsers below (`weekday_range`, `month_range`, `year_range`).
    pub type Parser = fn(&str) -> Result<Range, String>;

    fn parse_range(text: &str) -> Result<(&str, &str), String> {
        range_ends(text).ok_or_else(|| format!("invalid range provided {text}"))
    }

    /// `TimeRange.Parse`: start and end as minutes.
    pub fn time_range(start: &str, end: &str) -> Result<Range, String> {
        if start.is_empty() || end.is_empty() {
            return Err("start and end are required".to_owned());
        }
        let s = parse_time(start).map_err(|e| format!("start time invalid: {e}"))?;
        let e = parse_time(end).map_err(|e| format!("end time invalid: {e}"))?;
        if s >= e {
            return Err(format!(
                "start time {s} cannot be equal or greater than end time {e}"
            ));
        }
        Ok(Range { start: s, end: e })
    }

    /// One end of a range, parsed with `parse`; a failure names `what` it was.
    fn parsed(
        text: &str,
        parse: fn(&str) -> Result<i64, String>,
        what: &str,
    ) -> Result<i64, String> {
        parse(text).map_err(|e| format!("failed to parse {what}: {e}"))
    }

    fn weekday(text: &str) -> Result<i64, String> {
        let lower = text.to_lowercase();
        match WEEKDAYS.iter().position(|d| *d == lower) {
            Some(p) => Ok(p as i64),
            None => lower
                .parse::<i64>()
                .map_err(|_| format!("{text} is an invalid weekday")),
        }
    }

    /// `WeekdayRange.Parse`.
    pub fn weekday_range(text: &str) -> Result<Range, String> {
        let (a, b) = parse_range(text)?;
        let start = parsed(a, weekday, "start day from weekday range")?;
        let end = parsed(b, weekday, "end day from weekday range")?;
        if start > end {
            return Err("start day cannot be before end day".to_owned());
        }
        if !(0..=6).contains(&start) {
            return Err(format!("{a} is not a valid day of the week: out of range"));
        }
        if !(0..=6).contains(&end) {
            return Err(format!("{b} is not a valid day of the week: out of range"));
        }
        Ok(Range { start, end })
    }

    fn month(text: &str) -> Result<i64, String> {
        let lower = text.to_lowercase();
        if let Some(p) = MONTHS.iter().position(|m| *m == lower) {
            return Ok(p as i64 + 1);
        }
        match lower.parse::<i64>() {
            Ok(n) if (1..=12).contains(&n) => Ok(n),
            _ => Err(format!("{text} is an invalid month")),
        }
    }

    /// `MonthRange.Parse`.
    pub fn month_range(text: &str) -> Result<Range, String> {
        let (a, b) = parse_range(text)?;
        // Upstream names the start month for either end.
        let start = parsed(a, month, "start month from month range")?;
        let end = parsed(b, month, "start month from month range")?;
        if start > end {
            return Err(format!("end month {b} is before start month {a}"));
        }
        Ok(Range { start, end })
    }

    /// `YearRange.Parse`.
    pub fn year_range(text: &str) -> Result<Range, String> {
        let (a, b) = parse_range(text)?;
        let start = atoi(a).map_err(|e| format!("start year cannot be {a} parsed: {e}"))?;
        let end = atoi(b).map_err(|e| format!("end year cannot be {b} parsed: {e}"))?;
        if start > end {
            return Err(format!("end year {end} is before start year {start}"));
        }
        Ok(Range { start, end })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alertmanager_ranges_are_canonical() {
        assert_eq!(
            canonical_range(RangeKind::Weekdays, "Monday:Friday").unwrap(),
            "monday:friday"
        );
        assert_eq!(
            canonical_range(RangeKind::Months, "January:March").unwrap(),
            "1:3"
        );
        assert_eq!(canonical_range(RangeKind::DaysOfMonth, "7").unwrap(), "7");
        assert!(canonical_range(RangeKind::DaysOfMonth, "0").is_err());
        assert!(canonical_range(RangeKind::Years, "2050:2030").is_err());
        assert_eq!(time_range("17:00", "24:00").unwrap(), (1020, 1440));
        assert!(time_range("08:00", "08:00").is_err());
    }

    #[test]
    fn crd_ranges() {
        assert_eq!(
            cr::weekday_range("Saturday").unwrap(),
            Range { start: 6, end: 6 }
        );
        assert!(
            cr::weekday_range("Xaturday")
                .unwrap_err()
                .contains("Xaturday is an invalid weekday")
        );
        assert_eq!(
            cr::month_range("January:March").unwrap(),
            Range { start: 1, end: 3 }
        );
        assert!(cr::time_range("50:00", "51:00").is_err());
    }

    #[test]
    fn locations_are_looked_up_as_go_loads_them() {
        for ok in ["", "UTC", "Europe/Paris", "America/Argentina/Buenos_Aires"] {
            assert_eq!(check_location(ok), Ok(()), "{ok}");
        }
        for bad in ["Europe/Pari", "Mars/Olympus", "europe/paris"] {
            assert_eq!(
                check_location(bad),
                Err(format!("unknown time zone {bad}")),
                "{bad}"
            );
        }
    }
}
