//! Reading an alertmanager.yaml the way Alertmanager's `config.Load` does, for the parts
//! routing relies on: `Config.UnmarshalYAML` (receiver names, root-route constraints,
//! `checkReceiver`, time-interval names, `checkTimeInterval`), `Load`'s own checks, and
//! `Route.UnmarshalYAML` with the legacy `match` / `match_re` maps (`MatchRegexps`).
//!
//! Receivers' integration settings (e-mail, Slack, ...) are not read: only their names matter
//! for routing, so the checks Alertmanager makes on them are not repeated here.

use std::collections::BTreeMap;

use super::compat::ParseMode;
use super::compat::{equality_matchers, match_re_map, matcher_list};
use super::inhibit::{InhibitRule, parse_inhibit_rules};
use super::labels::{Matcher, is_classic_label_name};
use super::read;
use super::timeinterval::TimeInterval;
use super::{MAX_ROUTE_DEPTH, RoutingError};
use crate::duration::Duration;
use crate::version::Version;
use crate::yaml::Yaml;

const CONFIG_FIELDS: [&str; 9] = [
    "global",
    "route",
    "inhibit_rules",
    "receivers",
    "templates",
    "mute_time_intervals",
    "time_intervals",
    "tracing",
    "event_recorder",
];

const ROUTE_FIELDS: [&str; 13] = [
    "receiver",
    "group_by",
    "match",
    "match_re",
    "matchers",
    "mute_time_intervals",
    "active_time_intervals",
    "continue",
    "routes",
    "group_wait",
    "group_interval",
    "repeat_interval",
    "labels",
];

/// One route as configured, before inheritance.
#[derive(Debug, Default)]
pub(crate) struct RouteConfig {
    pub receiver: String,
    /// The explicit label list: `None` when `group_by` is absent or holds only `...`.
    pub group_by: Option<Vec<String>>,
    pub group_by_all: bool,
    /// `match`, then `match_re`, then `matchers` (unsorted).
    pub matchers: Vec<Matcher>,
    pub mute_time_intervals: Vec<String>,
    pub active_time_intervals: Vec<String>,
    pub continue_matching: bool,
    pub routes: Vec<RouteConfig>,
    pub group_wait: Option<Duration>,
    pub group_interval: Option<Duration>,
    pub repeat_interval: Option<Duration>,
    pub labels: Vec<(String, String)>,
}

/// The parts of a whole configuration that routing uses.
pub(crate) struct ConfigParts {
    pub route: RouteConfig,
    pub receivers: Vec<String>,
    pub inhibit_rules: Vec<InhibitRule>,
    pub time_intervals: BTreeMap<String, Vec<TimeInterval>>,
}

/// Reads a whole alertmanager.yaml with Alertmanager's whole-file checks.
pub(crate) fn load_config(
    config: &Yaml,
    mode: ParseMode,
    version: Option<&Version>,
) -> Result<ConfigParts, RoutingError> {
    let Some(map) = read::map(config, "config")? else {
        return Err(RoutingError::NoRouteInConfig);
    };
    read::check_fields(map, "config", &CONFIG_FIELDS)?;
    let mut route = None;
    let mut receivers = Vec::new();
    let mut inhibit_rules = Vec::new();
    let mut mute_intervals = Vec::new();
    let mut intervals = Vec::new();
    // yaml.v2 decodes the sections in document order; the first failure is the one reported.
    for (key, value) in map.iter() {
        match key {
            "route" if !matches!(value, Yaml::Null) => {
                route = Some(decode_route(value, "route", mode, 0)?);
            }
            "receivers" => receivers = receiver_names(value)?,
            "inhibit_rules" => {
                inhibit_rules = parse_inhibit_rules(value, "inhibit_rules", mode, version)?;
            }
            "mute_time_intervals" => {
                mute_intervals = named_intervals(value, "mute_time_intervals", true)?;
            }
            "time_intervals" => intervals = named_intervals(value, "time_intervals", false)?,
            _ => {}
        }
    }
    for (i, name) in receivers.iter().enumerate() {
        if receivers
            .get(..i)
            .is_some_and(|earlier| earlier.contains(name))
        {
            return Err(RoutingError::DuplicateReceiver(name.clone()));
        }
    }
    let route = route.ok_or(RoutingError::NoRoutes)?;
    if route.receiver.is_empty() {
        return Err(RoutingError::RootWithoutReceiver);
    }
    if !route.matchers.is_empty() {
        return Err(RoutingError::RootHasMatchers);
    }
    if !route.mute_time_intervals.is_empty() {
        return Err(RoutingError::RootHasMuteTimeIntervals);
    }
    if !route.active_time_intervals.is_empty() {
        return Err(RoutingError::RootHasActiveTimeIntervals);
    }
    check_receivers(&route, &receivers)?;
    let mut time_intervals = BTreeMap::new();
    for (name, entries) in mute_intervals {
        if time_intervals.insert(name.clone(), entries).is_some() {
            return Err(RoutingError::DuplicateMuteTimeInterval(name));
        }
    }
    for (name, entries) in intervals {
        if time_intervals.insert(name.clone(), entries).is_some() {
            return Err(RoutingError::DuplicateTimeInterval(name));
        }
    }
    check_time_intervals(&route, &time_intervals)?;
    if route.continue_matching {
        return Err(RoutingError::RootContinue);
    }
    Ok(ConfigParts {
        route,
        receivers,
        inhibit_rules,
        time_intervals,
    })
}

fn receiver_names(value: &Yaml) -> Result<Vec<String>, RoutingError> {
    let mut names = Vec::new();
    for (i, item) in read::seq(value, "receivers")?
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        let path = format!("receivers[{i}]");
        let name = match read::map(item, &path)? {
            Some(map) => map
                .get("name")
                .map(|v| read::string(v, &format!("{path}.name")))
                .transpose()?
                .unwrap_or_default(),
            None => String::new(),
        };
        if name.is_empty() {
            return Err(RoutingError::MissingReceiverName);
        }
        names.push(name);
    }
    Ok(names)
}

fn named_intervals(
    value: &Yaml,
    section: &str,
    deprecated: bool,
) -> Result<Vec<(String, Vec<TimeInterval>)>, RoutingError> {
    let mut out = Vec::new();
    for (i, item) in read::seq(value, section)?
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        let path = format!("{section}[{i}]");
        let mut name = String::new();
        let mut entries = Vec::new();
        if let Some(map) = read::map(item, &path)? {
            read::check_fields(map, &path, &["name", "time_intervals"])?;
            for (key, value) in map.iter() {
                let at = format!("{path}.{key}");
                if key == "name" {
                    name = read::string(value, &at)?;
                    continue;
                }
                for (j, entry) in read::seq(value, &at)?
                    .unwrap_or_default()
                    .iter()
                    .enumerate()
                {
                    entries.push(TimeInterval::from_yaml(entry, &format!("{at}[{j}]"))?);
                }
            }
        }
        if name.is_empty() {
            return Err(if deprecated {
                RoutingError::MissingMuteTimeIntervalName
            } else {
                RoutingError::MissingTimeIntervalName
            });
        }
        out.push((name, entries));
    }
    Ok(out)
}

/// Go's `checkReceiver`: children first, then the node.
fn check_receivers(route: &RouteConfig, receivers: &[String]) -> Result<(), RoutingError> {
    for child in &route.routes {
        check_receivers(child, receivers)?;
    }
    if !route.receiver.is_empty() && !receivers.contains(&route.receiver) {
        return Err(RoutingError::UndefinedReceiver(route.receiver.clone()));
    }
    Ok(())
}

/// Go's `checkTimeInterval`: children first, then the node's active, then mute intervals.
fn check_time_intervals(
    route: &RouteConfig,
    defined: &BTreeMap<String, Vec<TimeInterval>>,
) -> Result<(), RoutingError> {
    for child in &route.routes {
        check_time_intervals(child, defined)?;
    }
    let names = route
        .active_time_intervals
        .iter()
        .chain(&route.mute_time_intervals);
    for name in names {
        if !defined.contains_key(name) {
            return Err(RoutingError::UndefinedTimeInterval(name.clone()));
        }
    }
    Ok(())
}

fn duration(value: &Yaml, path: &str) -> Result<Option<Duration>, RoutingError> {
    if matches!(value, Yaml::Null) {
        return Ok(None);
    }
    let text = read::string(value, path)?;
    Duration::parse(&text)
        .map(Some)
        .map_err(|error| RoutingError::Duration {
            path: path.to_owned(),
            error,
        })
}

/// Decodes one route and its children with `Route.UnmarshalYAML`'s checks.
pub(crate) fn decode_route(
    value: &Yaml,
    path: &str,
    mode: ParseMode,
    depth: usize,
) -> Result<RouteConfig, RoutingError> {
    if depth > MAX_ROUTE_DEPTH {
        return Err(RoutingError::TooDeep {
            path: path.to_owned(),
        });
    }
    let mut route = RouteConfig::default();
    let Some(map) = read::map(value, path)? else {
        return Ok(route);
    };
    read::check_fields(map, path, &ROUTE_FIELDS)?;
    let mut group_by_text = None;
    let mut match_pairs = Vec::new();
    let (mut regex_matchers, mut list_matchers) = (Vec::new(), Vec::new());
    for (key, value) in map.iter() {
        let at = format!("{path}.{key}");
        match key {
            "receiver" => route.receiver = read::string(value, &at)?,
            "group_by" => group_by_text = read::string_list(value, &at)?,
            "match" => match_pairs = read::string_map(value, &at)?,
            "match_re" => regex_matchers = match_re_map(value, &at)?,
            "matchers" => list_matchers = matcher_list(value, &at, mode)?,
            "mute_time_intervals" => {
                route.mute_time_intervals = read::string_list(value, &at)?.unwrap_or_default();
            }
            "active_time_intervals" => {
                route.active_time_intervals = read::string_list(value, &at)?.unwrap_or_default();
            }
            "continue" => route.continue_matching = read::boolean(value, &at)?,
            "routes" => {
                for (i, child) in read::seq(value, &at)?
                    .unwrap_or_default()
                    .iter()
                    .enumerate()
                {
                    let child_path = format!("{at}[{i}]");
                    if matches!(child, Yaml::Null) {
                        return Err(read::ShapeError::Type {
                            path: child_path,
                            found: "null",
                            expected: "a route",
                        }
                        .into());
                    }
                    route
                        .routes
                        .push(decode_route(child, &child_path, mode, depth + 1)?);
                }
            }
            "group_wait" => route.group_wait = duration(value, &at)?,
            "group_interval" => route.group_interval = duration(value, &at)?,
            "repeat_interval" => route.repeat_interval = duration(value, &at)?,
            "labels" => route.labels = read::string_map(value, &at)?,
            _ => {}
        }
    }
    if let Some((name, _)) = match_pairs.iter().find(|(k, _)| !is_classic_label_name(k)) {
        return Err(RoutingError::InvalidLabelName {
            name: name.clone(),
            context: "",
        });
    }
    if let Some((name, _)) = route
        .labels
        .iter()
        .find(|(k, _)| !mode.is_valid_label_name(k))
    {
        return Err(RoutingError::InvalidLabelName {
            name: name.clone(),
            context: " in route labels",
        });
    }
    if let Some(text) = group_by_text {
        let mut names = Vec::new();
        for name in &text {
            if name == "..." {
                route.group_by_all = true;
            } else if let Some(error) = refused_group_by_label(name, mode) {
                return Err(error);
            } else {
                names.push(name.clone());
            }
        }
        if !names.is_empty() && route.group_by_all {
            return Err(RoutingError::GroupByWildcardWithOthers);
        }
        for (i, name) in names.iter().enumerate() {
            if names.get(..i).is_some_and(|earlier| earlier.contains(name)) {
                return Err(RoutingError::DuplicateGroupBy(name.clone()));
            }
        }
        if !names.is_empty() || text.is_empty() {
            route.group_by = Some(names);
        }
    }
    if route.group_interval.is_some_and(Duration::is_zero) {
        return Err(RoutingError::ZeroGroupInterval);
    }
    if route.repeat_interval.is_some_and(Duration::is_zero) {
        return Err(RoutingError::ZeroRepeatInterval);
    }
    route.matchers = equality_matchers(&match_pairs)?;
    route.matchers.extend(regex_matchers);
    route.matchers.extend(list_matchers);
    Ok(route)
}
/// Why Alertmanager, reading names with `mode`, refuses `name` in a route's `group_by` list
/// (other than `...`), if it does.
pub fn refused_group_by_label(name: &str, mode: ParseMode) -> Option<RoutingError> {
    (!mode.is_valid_label_name(name)).then(|| RoutingError::InvalidLabelName {
        name: name.to_owned(),
        context: " in group_by list",
    })
}
