//! Alertmanager's routing semantics as a library: "where does this alert go?"
//!
//! Mirrors Alertmanager 0.34 (`dispatch/route.go`, `config`, `pkg/labels`, `matcher/`,
//! `inhibit/`, `timeinterval/`): [`Tree::from_config`] reads an alertmanager.yaml (the
//! ordered YAML tree) with Alertmanager's checks; [`Tree::route`] gives the matched routes in
//! Alertmanager's order with their effective options and a step-by-step trace;
//! [`Tree::time_status`] says whether a route is muted or inactive at an instant;
//! [`Inhibitor::mutes`] says which inhibition rules mute an alert given the alerts firing.
//! Everything is data (serialisable for `-o json`); no clock, file or environment is read.

mod compat;
mod config;
mod inhibit;
mod labels;
mod parse;
mod read;
mod route;
mod timeinterval;

pub use compat::{ParseMode, labels_from_args};
pub use config::refused_group_by_label;
pub use inhibit::{
    InhibitRule, Inhibition, Inhibitor, RuleOutcome, SourceAlert, Verdict, refused_equal_label,
};
pub use jiff::Timestamp;
pub use labels::{
    LabelSet, LabelSetError, MAX_LABEL_LEN, MAX_LABELS, MAX_MATCHER_LEN, MatchType, Matcher,
    MatcherCheck, MatcherError, RegexError, check_matchers, is_classic_label_name,
    parse_classic_matcher, parse_classic_matchers, render_label_set, render_matchers,
};
pub use parse::{parse_utf8_matcher, parse_utf8_matchers};
pub use read::ShapeError;
pub use route::{Node, RouteMatch, RouteOpts, Routed, TraceStep, Tree};
pub use timeinterval::{
    InclusiveRange, Intervener, Location, TimeInterval, TimeIntervalError, TimeRange, TimeStatus,
};

use crate::duration::DurationError;
use crate::go::strconv::quote;

/// Deepest nesting of routes accepted (the root is depth 0). Alertmanager sets none; real
/// trees nest a handful of levels, and the bound keeps every walk over the tree shallow.
pub const MAX_ROUTE_DEPTH: usize = 100;

/// Why a configuration, a matcher or an alert's labels were refused. Messages follow
/// Alertmanager's own where it has one.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RoutingError {
    /// An empty document (`config.Load`).
    #[error("no route provided in config")]
    NoRouteInConfig,
    /// A configuration without `route`.
    #[error("no routes provided")]
    NoRoutes,
    /// The root route names no receiver.
    #[error("root route must specify a default receiver")]
    RootWithoutReceiver,
    /// The root route has `match`, `match_re` or `matchers`.
    #[error("root route must not have any matchers")]
    RootHasMatchers,
    /// The root route has `mute_time_intervals`.
    #[error("root route must not have any mute time intervals")]
    RootHasMuteTimeIntervals,
    /// The root route has `active_time_intervals`.
    #[error("root route must not have any active time intervals")]
    RootHasActiveTimeIntervals,
    /// The root route has `continue: true`.
    #[error("cannot have continue in root route")]
    RootContinue,
    /// A route names a receiver that is not defined.
    #[error("undefined receiver {} used in route", quote(.0))]
    UndefinedReceiver(String),
    /// Two receivers share a name.
    #[error("notification config name {} is not unique", quote(.0))]
    DuplicateReceiver(String),
    /// A receiver without a name.
    #[error("missing name in receiver")]
    MissingReceiverName,
    /// A route refers to a time interval that is not defined.
    #[error("undefined time interval {} used in route", quote(.0))]
    UndefinedTimeInterval(String),
    /// Two `mute_time_intervals` share a name.
    #[error("mute time interval {} is not unique", quote(.0))]
    DuplicateMuteTimeInterval(String),
    /// A `time_intervals` entry reuses a name.
    #[error("time interval {} is not unique", quote(.0))]
    DuplicateTimeInterval(String),
    /// A `mute_time_intervals` entry without a name.
    #[error("missing name in mute time interval")]
    MissingMuteTimeIntervalName,
    /// A `time_intervals` entry without a name.
    #[error("missing name in time interval")]
    MissingTimeIntervalName,
    /// A label name invalid in the parsing mode (or, in `match` maps, not classic).
    #[error("invalid label name {}{}", quote(.name), .context)]
    InvalidLabelName {
        /// The name.
        name: String,
        /// Where, in Alertmanager's words (`" in group_by list"`, or empty).
        context: &'static str,
    },
    /// A label name prometheus/common's `model.LabelName` refuses (classic names only), as
    /// inhibit rules' `equal` lists were read before Alertmanager 0.28.
    #[error("{} is not a valid label name", quote(.0))]
    NotALabelName(String),
    /// `group_by` holds `...` and label names.
    #[error("cannot have wildcard group_by (`...`) and other labels at the same time")]
    GroupByWildcardWithOthers,
    /// `group_by` names a label twice.
    #[error("duplicated label {} in group_by", quote(.0))]
    DuplicateGroupBy(String),
    /// `group_interval: 0`.
    #[error("group_interval cannot be zero")]
    ZeroGroupInterval,
    /// `repeat_interval: 0`.
    #[error("repeat_interval cannot be zero")]
    ZeroRepeatInterval,
    /// A `match_re` entry without a value.
    #[error("invalid regexp value for {}", quote(.0))]
    InvalidRegexpValue(String),
    /// A duration that does not parse.
    #[error("{path}: {error}")]
    Duration {
        /// Where.
        path: String,
        /// Why.
        error: DurationError,
    },
    /// Routes nest deeper than [`MAX_ROUTE_DEPTH`].
    #[error("{path}: routes nest deeper than {max} levels", max = MAX_ROUTE_DEPTH)]
    TooDeep {
        /// The first route too deep.
        path: String,
    },
    /// A matcher does not parse.
    #[error(transparent)]
    Matcher(#[from] MatcherError),
    /// A `match_re` regex does not compile.
    #[error(transparent)]
    Regex(#[from] RegexError),
    /// A time interval is invalid, or an instant refers to an undefined one.
    #[error(transparent)]
    TimeInterval(#[from] TimeIntervalError),
    /// The YAML does not have Alertmanager's shape.
    #[error(transparent)]
    Shape(#[from] ShapeError),
    /// An alert's labels exceed the bounds.
    #[error(transparent)]
    Labels(#[from] LabelSetError),
    /// An instant that is not an RFC 3339 timestamp.
    #[error("invalid instant {0:?}: expected an RFC 3339 timestamp such as 2024-01-06T10:00:00Z")]
    Instant(String),
}

/// Reads an RFC 3339 instant (`2024-01-06T10:00:00Z`, `2021-04-06T13:00:00+10:00`).
pub fn parse_instant(text: &str) -> Result<Timestamp, RoutingError> {
    text.parse()
        .map_err(|_| RoutingError::Instant(text.to_owned()))
}

#[cfg(test)]
mod tests;
