//! Time intervals, mirroring Alertmanager's `timeinterval` package (`TimeInterval`, its range
//! types and their YAML checks, `ContainsTime`, `Intervener.Mutes`) and the route-level use
//! of them in `notify` (`TimeMuteStage`, `TimeActiveStage`).
//!
//! Instants are passed in explicitly; nothing here reads a clock. Time zones come from the
//! IANA database bundled into the binary (jiff's `tzdb-bundle-always`), never from the host.

use std::collections::BTreeMap;

use jiff::Timestamp;
use jiff::tz::{TimeZone, TimeZoneDatabase};
use serde::{Serialize, Serializer};

use super::read::{self, ShapeError};
use crate::alertmanager::timeinterval::{self, RangeKind};
use crate::yaml::Yaml;

/// Why a time interval is refused, in Alertmanager's wording.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TimeIntervalError {
    /// A time of day, or a weekday, day-of-month, month or year range, that Alertmanager
    /// refuses (its message).
    #[error("{0}")]
    Range(String),
    /// A `location` that is not in the IANA time zone database.
    #[error("unknown time zone {0}")]
    UnknownTimeZone(String),
    /// A route refers to an interval name that is not defined.
    #[error("time interval {0} doesn't exist in config")]
    Undefined(String),
    /// The YAML does not have the expected shape.
    #[error(transparent)]
    Shape(#[from] ShapeError),
}

/// Minutes of the day, `[start_minute, end_minute)` (`24:00` is 1440).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct TimeRange {
    /// First minute inside the range.
    pub start_minute: u32,
    /// First minute after the range.
    pub end_minute: u32,
}

/// An inclusive range: weekdays (0 = Sunday … 6), days of the month (negative = from the
/// month's end, -1 = last day), months (1 … 12) or years.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct InclusiveRange {
    /// First value inside.
    pub begin: i64,
    /// Last value inside.
    pub end: i64,
}

/// An IANA time zone, by the name written in the configuration.
#[derive(Clone, Debug)]
pub struct Location {
    name: String,
    zone: TimeZone,
}

impl Location {
    /// Looks `name` up as Go's `time.LoadLocation` does: `""` and `UTC` are UTC, other names
    /// come from the bundled IANA database (exact spelling). `Local` reads as UTC: the
    /// Alertmanager image runs without a local zone, and this library reads no host settings.
    pub fn load(name: &str) -> Result<Location, TimeIntervalError> {
        let zone = match name {
            "" | "UTC" | "Local" => TimeZone::UTC,
            _ => {
                let unknown = || TimeIntervalError::UnknownTimeZone(name.to_owned());
                let zone = TimeZoneDatabase::bundled()
                    .get(name)
                    .map_err(|_| unknown())?;
                // The database ignores case; Go's loader, reading files by name, does not.
                if zone.iana_name() != Some(name) {
                    return Err(unknown());
                }
                zone
            }
        };
        Ok(Location {
            name: name.to_owned(),
            zone,
        })
    }

    /// The name as written.
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl PartialEq for Location {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Serialize for Location {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.name)
    }
}

/// One entry of a named interval's `time_intervals`: every field present must hold (AND), any
/// range within a field may (OR). An absent field is `None`; an explicit empty list matches
/// nothing, as in Go.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct TimeInterval {
    /// `times`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub times: Option<Vec<TimeRange>>,
    /// `weekdays`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weekdays: Option<Vec<InclusiveRange>>,
    /// `days_of_month`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days_of_month: Option<Vec<InclusiveRange>>,
    /// `months`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub months: Option<Vec<InclusiveRange>>,
    /// `years`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub years: Option<Vec<InclusiveRange>>,
    /// `location`; UTC when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

const FIELDS: [&str; 6] = [
    "times",
    "weekdays",
    "days_of_month",
    "months",
    "years",
    "location",
];

impl TimeInterval {
    /// Reads one `time_intervals` entry (`null` is the empty interval, which always holds).
    pub fn from_yaml(value: &Yaml, path: &str) -> Result<TimeInterval, TimeIntervalError> {
        let mut interval = TimeInterval::default();
        let Some(map) = read::map(value, path)? else {
            return Ok(interval);
        };
        read::check_fields(map, path, &FIELDS)?;
        for (key, value) in map.iter() {
            let at = format!("{path}.{key}");
            match key {
                "times" => {
                    interval.times = read::seq(value, &at)?
                        .map(|items| {
                            items
                                .iter()
                                .enumerate()
                                .map(|(i, item)| parse_time_range(item, &format!("{at}[{i}]")))
                                .collect::<Result<Vec<_>, _>>()
                        })
                        .transpose()?;
                }
                "weekdays" => interval.weekdays = parse_ranges(value, &at, RangeKind::Weekdays)?,
                "days_of_month" => {
                    interval.days_of_month = parse_ranges(value, &at, RangeKind::DaysOfMonth)?;
                }
                "months" => interval.months = parse_ranges(value, &at, RangeKind::Months)?,
                "years" => interval.years = parse_ranges(value, &at, RangeKind::Years)?,
                _ => {
                    interval.location = match value {
                        Yaml::Null => None,
                        other => Some(Location::load(&read::string(other, &at)?)?),
                    };
                }
            }
        }
        Ok(interval)
    }

    /// Whether the interval holds at `at` (Go's `ContainsTime`), read in the interval's
    /// location (UTC when it has none).
    pub fn contains(&self, at: Timestamp) -> bool {
        let zone = self
            .location
            .as_ref()
            .map_or(TimeZone::UTC, |l| l.zone.clone());
        let local = at.to_zoned(zone);
        let minute = i64::from(local.hour()) * 60 + i64::from(local.minute());
        let day = i64::from(local.day());
        let days_in_month = i64::from(local.days_in_month());
        let within = |ranges: &Option<Vec<InclusiveRange>>, value: i64| {
            ranges
                .as_ref()
                .is_none_or(|r| r.iter().any(|r| r.begin <= value && value <= r.end))
        };
        self.times.as_ref().is_none_or(|ranges| {
            ranges
                .iter()
                .any(|r| i64::from(r.start_minute) <= minute && minute < i64::from(r.end_minute))
        }) && self
            .days_of_month
            .as_ref()
            .is_none_or(|ranges| ranges.iter().any(|r| day_in_range(*r, day, days_in_month)))
            && within(&self.months, i64::from(local.month()))
            && within(
                &self.weekdays,
                i64::from(local.weekday().to_sunday_zero_offset()),
            )
            && within(&self.years, i64::from(local.year()))
    }
}

/// Go's day-of-month test: negative days count from the month's end, a range starting after
/// the month's last day is skipped, and the ends are clamped to the month.
fn day_in_range(range: InclusiveRange, day: i64, days_in_month: i64) -> bool {
    let resolve = |d: i64| if d < 0 { days_in_month + d + 1 } else { d };
    let begin = resolve(range.begin);
    if begin > days_in_month {
        return false;
    }
    let begin = begin.clamp(-days_in_month, days_in_month);
    let end = resolve(range.end).clamp(-days_in_month, days_in_month);
    begin <= day && day <= end
}

fn parse_time_range(value: &Yaml, path: &str) -> Result<TimeRange, TimeIntervalError> {
    let (mut start, mut end) = (String::new(), String::new());
    if let Some(map) = read::map(value, path)? {
        read::check_fields(map, path, &["start_time", "end_time"])?;
        for (key, value) in map.iter() {
            let text = read::string(value, &format!("{path}.{key}"))?;
            if key == "start_time" {
                start = text;
            } else {
                end = text;
            }
        }
    }
    let (start, end) = timeinterval::time_range(&start, &end).map_err(TimeIntervalError::Range)?;
    let minute = |m: i64| u32::try_from(m).unwrap_or(0);
    Ok(TimeRange {
        start_minute: minute(start),
        end_minute: minute(end),
    })
}

fn parse_ranges(
    value: &Yaml,
    path: &str,
    kind: RangeKind,
) -> Result<Option<Vec<InclusiveRange>>, TimeIntervalError> {
    let Some(items) = read::seq(value, path)? else {
        return Ok(None);
    };
    let mut ranges = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        // yaml.v2 leaves a `null` entry at its zero value without running the checks.
        if matches!(item, Yaml::Null) {
            ranges.push(InclusiveRange { begin: 0, end: 0 });
            continue;
        }
        let text = read::string(item, &format!("{path}[{i}]"))?;
        ranges.push(parse_range(&text, kind)?);
    }
    Ok(Some(ranges))
}

/// One range (`monday:friday`, `-7:-1`, `2020`), read as Alertmanager reads it.
fn parse_range(text: &str, kind: RangeKind) -> Result<InclusiveRange, TimeIntervalError> {
    timeinterval::parse_range(kind, text)
        .map(|range| InclusiveRange {
            begin: range.start,
            end: range.end,
        })
        .map_err(TimeIntervalError::Range)
}

/// Named time intervals, as a route refers to them (Go's `Intervener`).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Intervener {
    intervals: BTreeMap<String, Vec<TimeInterval>>,
}

/// Whether a route's notifications go out at an instant, by its time intervals.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct TimeStatus {
    /// The route's `mute_time_intervals` that contain the instant (once per containing entry,
    /// as Alertmanager lists them). Non-empty = muted.
    pub muted_by: Vec<String>,
    /// The route's `active_time_intervals` that contain the instant.
    pub active_in: Vec<String>,
    /// The route has `active_time_intervals` and the instant is in none of them.
    pub outside_active: bool,
}

impl TimeStatus {
    /// Whether notifications are suppressed at the instant.
    pub fn suppressed(&self) -> bool {
        !self.muted_by.is_empty() || self.outside_active
    }
}

impl Intervener {
    /// The intervals, by name.
    pub fn new(intervals: BTreeMap<String, Vec<TimeInterval>>) -> Intervener {
        Intervener { intervals }
    }

    /// The entries of the interval called `name`.
    pub fn get(&self, name: &str) -> Option<&[TimeInterval]> {
        self.intervals.get(name).map(Vec::as_slice)
    }

    /// The names, sorted.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.intervals.keys().map(String::as_str)
    }

    /// Go's `Intervener.Mutes`: whether any entry of any of `names` contains `at`, and the
    /// names whose entries do (a name once per containing entry, in `names` order).
    pub fn mutes<S: AsRef<str>>(
        &self,
        names: &[S],
        at: Timestamp,
    ) -> Result<(bool, Vec<String>), TimeIntervalError> {
        let mut inside = Vec::new();
        for name in names {
            let name = name.as_ref();
            let entries = self
                .get(name)
                .ok_or_else(|| TimeIntervalError::Undefined(name.to_owned()))?;
            for entry in entries {
                if entry.contains(at) {
                    inside.push(name.to_owned());
                }
            }
        }
        Ok((!inside.is_empty(), inside))
    }

    /// A route's time status at `at`, given its `mute_time_intervals` and
    /// `active_time_intervals`.
    pub fn route_status<S: AsRef<str>>(
        &self,
        mute: &[S],
        active: &[S],
        at: Timestamp,
    ) -> Result<TimeStatus, TimeIntervalError> {
        let (_, muted_by) = self.mutes(mute, at)?;
        let (in_active, active_in) = self.mutes(active, at)?;
        Ok(TimeStatus {
            muted_by,
            active_in,
            outside_active: !active.is_empty() && !in_active,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn interval(yaml: &str) -> Result<TimeInterval, TimeIntervalError> {
        TimeInterval::from_yaml(&crate::yaml::parse(yaml).unwrap(), "t")
    }

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    #[test]
    fn location_changes_the_clock() {
        let ti = interval(
            "{times: [{start_time: '09:00', end_time: '17:00'}], weekdays: ['monday:friday'], location: Australia/Sydney}",
        )
        .unwrap();
        assert!(ti.contains(at("2021-04-06T13:00:00+10:00")));
        assert!(!ti.contains(at("2021-04-06T13:00:00Z")));
        assert!(matches!(
            interval("{location: Mars/Olympus}"),
            Err(TimeIntervalError::UnknownTimeZone(_))
        ));
        assert!(interval("{location: australia/sydney}").is_err());
    }

    #[test]
    fn negative_days_count_from_month_end() {
        let ti = interval("{days_of_month: ['-1'], location: America/New_York}").unwrap();
        assert!(ti.contains(at("2021-03-31T12:00:00-04:00")));
        assert!(!ti.contains(at("2021-03-30T12:00:00-04:00")));
        let feb = interval("{days_of_month: ['30:31'], months: [february]}").unwrap();
        assert!(!feb.contains(at("2021-02-28T13:00:00Z")));
    }

    #[test]
    fn checks_match_upstream_messages() {
        let err = |y: &str| interval(y).unwrap_err().to_string();
        assert_eq!(
            err("{weekdays: ['friday:monday']}"),
            "start day cannot be before end day"
        );
        assert_eq!(err("{weekdays: ['1:3']}"), "1 is not a valid weekday");
        assert_eq!(
            err("{days_of_month: ['10:-25']}"),
            "end day -25 is always before start day 10"
        );
        assert_eq!(
            err("{days_of_month: ['-50:-20']}"),
            "-50 is not a valid day of the month: out of range"
        );
        assert_eq!(
            err("{months: ['martius:june']}"),
            "martius is not a valid month"
        );
        assert_eq!(
            err("{years: ['2022:2020']}"),
            "end year 2020 is before start year 2022"
        );
        assert_eq!(
            err("{years: ['x']}"),
            "strconv.Atoi: parsing \"x\": invalid syntax"
        );
        assert_eq!(
            err("{times: [{start_time: '01:99', end_time: '23:59'}]}"),
            "couldn't parse timestamp 01:99, invalid format"
        );
        assert_eq!(
            err("{times: [{start_time: '14:03'}]}"),
            "both start and end times must be provided"
        );
        assert_eq!(
            err("{times: [{start_time: '17:31', end_time: '17:31'}]}"),
            "start time cannot be equal or greater than end time"
        );
        assert_eq!(err("{weekday: [monday]}"), "t: field weekday not found");
        assert_eq!(
            interval("{months: ['January:december']}").unwrap().months,
            Some(vec![InclusiveRange { begin: 1, end: 12 }])
        );
    }

    #[test]
    fn route_status_follows_the_notify_stages() {
        let mut map = BTreeMap::new();
        map.insert(
            "weekends".to_owned(),
            vec![interval("{weekdays: [saturday, sunday]}").unwrap()],
        );
        let iv = Intervener::new(map);
        let saturday = at("2024-01-06T10:00:00Z");
        let none: [&str; 0] = [];
        let status = iv.route_status(&["weekends"], &none, saturday).unwrap();
        assert_eq!(status.muted_by, vec!["weekends"]);
        let status = iv
            .route_status(&none, &["weekends"], at("2024-01-08T10:00:00Z"))
            .unwrap();
        assert!(status.outside_active && status.suppressed());
        assert!(iv.route_status(&["nope"], &none, saturday).is_err());
    }
}
