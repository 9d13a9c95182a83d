//! Conformance: the `alertmanager-route/` corpus (Alertmanager's own routing, inhibition,
//! time-interval and matcher tests). Cases sit in `route/`, `inhibit/`, `timeinterval/` and
//! `matchers/`; a field absent from a case was not asserted upstream and is not checked.

use std::collections::BTreeMap;
use std::fmt::Display;
use std::path::Path;

use crate::support::Corpus;
use promop::duration::Duration;
use promop::routing::{
    InclusiveRange, Inhibitor, Intervener, LabelSet, Location, MatchType, Matcher, ParseMode,
    SourceAlert, TimeInterval, TimeRange, Timestamp, Tree, is_classic_label_name,
    parse_classic_matcher, parse_classic_matchers, parse_utf8_matcher, parse_utf8_matchers,
};
use promop::yaml::{Map, Yaml};

/// The `alertmanager-route/` corpus.
pub fn corpus() -> Corpus {
    Corpus {
        name: "alertmanager-route",
        byte_exact_column: false,
        check: |dir, case| check(dir, case).into(),
    }
}

fn check(dir: &Path, case: &str) -> Result<(), String> {
    let path = dir.join(format!("{case}.yaml"));
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let doc = promop::yaml::parse(&text).map_err(|e| format!("parse: {e}"))?;
    let case_map = doc.as_map().ok_or("case is not a mapping")?;
    match case.split('/').next() {
        Some("route") => route_case(case_map),
        Some("inhibit") => inhibit_case(case_map),
        Some("timeinterval") => time_interval_case(case_map),
        Some("matchers") => matchers_case(case_map),
        _ => Err(format!("unknown case group in {case}")),
    }
}

// ---------------------------------------------------------------------------------------------
// Reading case files

fn get<'a>(map: &'a Map, key: &str) -> Option<&'a Yaml> {
    map.get(key)
}

fn str_of<'a>(map: &'a Map, key: &str) -> Option<&'a str> {
    get(map, key).and_then(Yaml::as_str)
}

fn strings(value: &Yaml) -> Result<Vec<String>, String> {
    value
        .as_seq()
        .ok_or_else(|| format!("expected a list, got {value:?}"))?
        .iter()
        .map(|v| {
            v.as_str()
                .map(str::to_owned)
                .ok_or_else(|| format!("expected a string, got {v:?}"))
        })
        .collect()
}

fn string_map(value: &Yaml) -> Result<BTreeMap<String, String>, String> {
    match value {
        Yaml::Null => Ok(BTreeMap::new()),
        Yaml::Map(m) => m
            .iter()
            .map(|(k, v)| {
                v.as_str()
                    .map(|v| (k.to_owned(), v.to_owned()))
                    .ok_or_else(|| format!("label {k}: expected a string, got {v:?}"))
            })
            .collect(),
        other => Err(format!("expected a mapping, got {other:?}")),
    }
}

fn label_set(value: &Yaml) -> Result<LabelSet, String> {
    LabelSet::from_pairs(string_map(value)?).map_err(|e| e.to_string())
}

fn mode(map: &Map) -> Result<ParseMode, String> {
    match str_of(map, "mode") {
        Some("classic") => Ok(ParseMode::Classic),
        Some("fallback") | None => Ok(ParseMode::Fallback),
        Some("utf8-strict") => Ok(ParseMode::Utf8Strict),
        Some(other) => Err(format!("unknown mode {other}")),
    }
}

fn instant(text: &str) -> Result<Timestamp, String> {
    promop::routing::parse_instant(text).map_err(|e| e.to_string())
}

fn same<T: PartialEq + std::fmt::Debug>(what: &str, want: &T, got: &T) -> Result<(), String> {
    if want == got {
        Ok(())
    } else {
        Err(format!("{what}: want {want:?}, got {got:?}"))
    }
}

/// Checks `result` against `expectError` / `expectErrorContains`; the value when it must
/// succeed. A message from Go's regexp package is only checked to be a regexp failure.
fn expect_outcome<T, E: Display>(case: &Map, result: Result<T, E>) -> Result<Option<T>, String> {
    let contains = str_of(case, "expectErrorContains");
    let exact = get(case, "expectError");
    match (result, exact, contains) {
        (Ok(value), None | Some(Yaml::Bool(false)), None) => Ok(Some(value)),
        (Ok(_), _, _) => Err(format!(
            "loaded, expected error {:?}",
            exact
                .map(|e| format!("{e:?}"))
                .or(contains.map(str::to_owned))
        )),
        (Err(e), _, Some(want)) => {
            let got = e.to_string();
            if got.contains(want) {
                Ok(None)
            } else {
                Err(format!("error {got:?} does not contain {want:?}"))
            }
        }
        (Err(_), Some(Yaml::Bool(true)), None) => Ok(None),
        (Err(e), Some(Yaml::Str(want)), None) => {
            let got = e.to_string();
            let regexp_failure =
                want.contains("error parsing regexp") && got.contains("error parsing regexp");
            if &got == want || regexp_failure {
                Ok(None)
            } else {
                Err(format!("error {got:?}, expected {want:?}"))
            }
        }
        (Err(e), _, None) => Err(format!("unexpected error: {e}")),
    }
}

// ---------------------------------------------------------------------------------------------
// route/

fn route_case(case: &Map) -> Result<(), String> {
    let mode = mode(case)?;
    let config = get(case, "config").cloned().unwrap_or(Yaml::Null);
    let tree = match str_of(case, "parse") {
        Some("route") => {
            let route = config
                .as_map()
                .and_then(|m| m.get("route"))
                .cloned()
                .unwrap_or(Yaml::Null);
            Tree::from_route(&route, mode)
        }
        _ => Tree::from_config_with_mode(&config, mode),
    };
    let Some(tree) = expect_outcome(case, tree)? else {
        return Ok(());
    };
    for (i, alert) in get(case, "alerts")
        .and_then(Yaml::as_seq)
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        let alert = alert.as_map().ok_or("alert is not a mapping")?;
        check_alert(&tree, alert).map_err(|e| format!("alerts[{i}]: {e}"))?;
    }
    let nodes = get(case, "nodes")
        .and_then(Yaml::as_seq)
        .unwrap_or_default();
    let mut walk_positions = Vec::new();
    for expected in nodes {
        let expected = expected.as_map().ok_or("node is not a mapping")?;
        let path = str_of(expected, "path").ok_or("node without path")?;
        let position = tree
            .nodes()
            .iter()
            .position(|n| n.path == path)
            .ok_or_else(|| format!("no route at {path:?}"))?;
        walk_positions.push(position);
        let node = &tree.nodes()[position];
        let at = |what: &str| format!("node {path:?} {what}");
        if let Some(want) = str_of(expected, "receiver") {
            same(&at("receiver"), &want, &node.opts.receiver.as_str())?;
        }
        if let Some(Yaml::Bool(want)) = get(expected, "groupByAll") {
            same(&at("groupByAll"), want, &node.opts.group_by_all)?;
        }
        if let Some(want) = str_of(expected, "id") {
            same(&at("id"), &want, &node.id.as_str())?;
        }
    }
    let source_test = get(case, "source")
        .and_then(Yaml::as_map)
        .and_then(|s| str_of(s, "test"));
    // The README: only TestRouteWalk asserts the listing order (Route.Walk's pre-order).
    if source_test == Some("TestRouteWalk") && !walk_positions.is_sorted() {
        return Err(format!("walk order: nodes at {walk_positions:?}"));
    }
    Ok(())
}

fn check_alert(tree: &Tree, alert: &Map) -> Result<(), String> {
    let labels = label_set(get(alert, "labels").ok_or("alert without labels")?)?;
    let routed = tree.route(&labels);
    let receivers: Vec<String> = routed.receivers().into_iter().map(str::to_owned).collect();
    if let Some(want) = get(alert, "receivers") {
        same("receivers", &strings(want)?, &receivers)?;
    }
    if let Some(want) = get(alert, "receiversSorted") {
        let mut sorted = receivers.clone();
        sorted.sort();
        same("receiversSorted", &strings(want)?, &sorted)?;
    }
    if let Some(want) = get(alert, "receiversContain") {
        for r in strings(want)? {
            if !receivers.contains(&r) {
                return Err(format!("receiver {r:?} not among {receivers:?}"));
            }
        }
    }
    if let Some(want) = get(alert, "matches").and_then(Yaml::as_seq) {
        same("number of matches", &want.len(), &routed.matches.len())?;
        for (i, (want, got)) in want.iter().zip(&routed.matches).enumerate() {
            let want = want.as_map().ok_or("match is not a mapping")?;
            let at = |what: &str| format!("matches[{i}].{what}");
            let opts = &got.node.opts;
            for (key, value) in want.iter() {
                match key {
                    "route" => same(&at(key), &value.as_str(), &Some(got.node.path.as_str()))?,
                    "key" => same(&at(key), &value.as_str(), &Some(got.node.key.as_str()))?,
                    "receiver" => same(&at(key), &value.as_str(), &Some(opts.receiver.as_str()))?,
                    "groupBy" => {
                        let mut want = strings(value)?;
                        want.sort();
                        same(&at(key), &want, &opts.group_by)?;
                    }
                    "groupByAll" => same(&at(key), value, &Yaml::Bool(opts.group_by_all))?,
                    "groupWait" | "groupInterval" | "repeatInterval" => {
                        let want = Duration::parse(value.as_str().unwrap_or_default())
                            .map_err(|e| format!("{}: {e}", at(key)))?;
                        let got = match key {
                            "groupWait" => opts.group_wait,
                            "groupInterval" => opts.group_interval,
                            _ => opts.repeat_interval,
                        };
                        same(&at(key), &want, &got)?;
                    }
                    "labels" => same(&at(key), &string_map(value)?, &opts.labels)?,
                    "groupLabels" => {
                        let got: BTreeMap<String, String> = got
                            .group_labels
                            .iter()
                            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                            .collect();
                        same(&at(key), &string_map(value)?, &got)?;
                    }
                    other => return Err(format!("unknown match field {other}")),
                }
            }
        }
    }
    if let Some(want) = get(alert, "groups").and_then(Yaml::as_seq) {
        let mut want_groups = Vec::new();
        for g in want {
            let g = g.as_map().ok_or("group is not a mapping")?;
            want_groups.push((
                str_of(g, "groupKey").unwrap_or_default().to_owned(),
                str_of(g, "receiver").unwrap_or_default().to_owned(),
                str_of(g, "routeId").unwrap_or_default().to_owned(),
                string_map(get(g, "groupLabels").unwrap_or(&Yaml::Null))?,
            ));
        }
        let mut got_groups: Vec<_> = routed
            .matches
            .iter()
            .map(|m| {
                (
                    m.group_key.clone(),
                    m.node.opts.receiver.clone(),
                    m.node.id.clone(),
                    m.group_labels
                        .iter()
                        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                        .collect::<BTreeMap<_, _>>(),
                )
            })
            .collect();
        want_groups.sort();
        got_groups.sort();
        got_groups.dedup();
        same("groups", &want_groups, &got_groups)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// inhibit/

fn inhibitor(config: &Yaml, mode: ParseMode) -> Result<Inhibitor, String> {
    let has_route = config.as_map().is_some_and(|m| m.contains_key("route"));
    if has_route {
        Tree::from_config_with_mode(config, mode)
            .map(|t| t.inhibitor().clone())
            .map_err(|e| e.to_string())
    } else {
        Inhibitor::from_config(config, mode).map_err(|e| e.to_string())
    }
}

fn firing(case: &Map) -> Result<Vec<SourceAlert>, String> {
    get(case, "firing")
        .and_then(Yaml::as_seq)
        .unwrap_or_default()
        .iter()
        .map(|entry| {
            let entry = entry.as_map().ok_or("firing entry is not a mapping")?;
            Ok(SourceAlert {
                labels: label_set(get(entry, "labels").unwrap_or(&Yaml::Null))?,
                resolved: matches!(get(entry, "resolved"), Some(Yaml::Bool(true))),
            })
        })
        .collect()
}

fn inhibit_case(case: &Map) -> Result<(), String> {
    let mode = mode(case)?;
    let config = get(case, "config").cloned().unwrap_or(Yaml::Null);
    match str_of(case, "check") {
        Some("config") => {
            let Some(inhibitor) = expect_outcome(case, inhibitor(&config, mode))? else {
                return Ok(());
            };
            if let Some(want) = get(case, "parsedEqual") {
                let rule = inhibitor.rules().first().ok_or("no rule")?;
                same("parsedEqual", &strings(want)?, &rule.equal)?;
            }
            Ok(())
        }
        Some("mutes") => {
            let inhibitor = inhibitor(&config, mode)?;
            let target = label_set(get(case, "alert").ok_or("no alert")?)?;
            let firing = firing(case)?;
            let inhibition = inhibitor.mutes(&target, &firing);
            let want = matches!(get(case, "muted"), Some(Yaml::Bool(true)));
            if want == inhibition.muted {
                Ok(())
            } else {
                Err(format!("muted: want {want}, got {:?}", inhibition.rules))
            }
        }
        Some("hasEqual") => {
            let inhibitor = inhibitor(&config, mode)?;
            let rule = inhibitor.rules().first().ok_or("no rule")?;
            let target = label_set(get(case, "alert").ok_or("no alert")?)?;
            let exclude = matches!(get(case, "excludeTwoSidedMatch"), Some(Yaml::Bool(true)));
            let got = rule.has_equal(&target, &firing(case)?, exclude).is_some();
            let want = matches!(get(case, "expected"), Some(Yaml::Bool(true)));
            same("hasEqual", &want, &got)
        }
        other => Err(format!("unknown check {other:?}")),
    }
}

// ---------------------------------------------------------------------------------------------
// timeinterval/

fn pairs(value: &Yaml) -> Result<Vec<(i64, i64)>, String> {
    value
        .as_seq()
        .ok_or("expected a list of pairs")?
        .iter()
        .map(|pair| match pair.as_seq() {
            Some([Yaml::Int(a), Yaml::Int(b)]) => Ok((*a, *b)),
            _ => Err(format!("expected a pair, got {pair:?}")),
        })
        .collect()
}

fn ranges(value: &Yaml) -> Result<Vec<InclusiveRange>, String> {
    Ok(pairs(value)?
        .into_iter()
        .map(|(begin, end)| InclusiveRange { begin, end })
        .collect())
}

/// An interval built as a struct (ranges YAML cannot express).
fn interval_struct(map: &Map) -> Result<TimeInterval, String> {
    let mut interval = TimeInterval::default();
    for (key, value) in map.iter() {
        match key {
            "times" => {
                interval.times = Some(
                    pairs(value)?
                        .into_iter()
                        .map(|(s, e)| TimeRange {
                            start_minute: u32::try_from(s).unwrap_or_default(),
                            end_minute: u32::try_from(e).unwrap_or_default(),
                        })
                        .collect(),
                );
            }
            "weekdays" => interval.weekdays = Some(ranges(value)?),
            "days_of_month" => interval.days_of_month = Some(ranges(value)?),
            "months" => interval.months = Some(ranges(value)?),
            "years" => interval.years = Some(ranges(value)?),
            "location" => {
                interval.location = Some(
                    Location::load(value.as_str().unwrap_or_default())
                        .map_err(|e| e.to_string())?,
                );
            }
            other => return Err(format!("unknown interval field {other}")),
        }
    }
    Ok(interval)
}

fn named_intervals(
    case: &Map,
) -> Result<Result<BTreeMap<String, Vec<TimeInterval>>, String>, String> {
    let (list, as_struct) = match (get(case, "intervals"), get(case, "intervalsStruct")) {
        (Some(list), _) => (list, false),
        (None, Some(list)) => (list, true),
        (None, None) => return Err("no intervals".to_owned()),
    };
    let mut named = BTreeMap::new();
    for (i, item) in list.as_seq().unwrap_or_default().iter().enumerate() {
        let item = item.as_map().ok_or("interval is not a mapping")?;
        let name = str_of(item, "name").unwrap_or_default().to_owned();
        let mut entries = Vec::new();
        for (j, entry) in get(item, "time_intervals")
            .and_then(Yaml::as_seq)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let parsed = if as_struct {
                interval_struct(entry.as_map().ok_or("entry is not a mapping")?)?
            } else {
                match TimeInterval::from_yaml(
                    entry,
                    &format!("time_intervals[{i}].time_intervals[{j}]"),
                ) {
                    Ok(parsed) => parsed,
                    Err(e) => return Ok(Err(e.to_string())),
                }
            };
            entries.push(parsed);
        }
        named.insert(name, entries);
    }
    Ok(Ok(named))
}

fn check_parsed(entries: &[TimeInterval], want: &Yaml) -> Result<(), String> {
    let want = want.as_seq().ok_or("parsed is not a list")?;
    same("number of parsed entries", &want.len(), &entries.len())?;
    for (i, (want, got)) in want.iter().zip(entries).enumerate() {
        let want = want.as_map().ok_or("parsed entry is not a mapping")?;
        let as_pairs = |r: &Option<Vec<InclusiveRange>>| {
            r.as_ref()
                .map(|r| r.iter().map(|r| (r.begin, r.end)).collect::<Vec<_>>())
        };
        for (key, value) in want.iter() {
            let at = format!("parsed[{i}].{key}");
            match key {
                "times" => {
                    let got = got.times.as_ref().map(|t| {
                        t.iter()
                            .map(|t| (i64::from(t.start_minute), i64::from(t.end_minute)))
                            .collect::<Vec<_>>()
                    });
                    same(&at, &Some(pairs(value)?), &got)?;
                }
                "weekdays" => same(&at, &Some(pairs(value)?), &as_pairs(&got.weekdays))?,
                "days_of_month" => same(&at, &Some(pairs(value)?), &as_pairs(&got.days_of_month))?,
                "months" => same(&at, &Some(pairs(value)?), &as_pairs(&got.months))?,
                "years" => same(&at, &Some(pairs(value)?), &as_pairs(&got.years))?,
                "location" => same(
                    &at,
                    &value.as_str(),
                    &got.location.as_ref().map(Location::name),
                )?,
                other => return Err(format!("unknown parsed field {other}")),
            }
        }
    }
    Ok(())
}

fn time_interval_case(case: &Map) -> Result<(), String> {
    let Some(named) = expect_outcome(case, named_intervals(case)?)? else {
        return Ok(());
    };
    let names = get(case, "names").map(strings).transpose()?;
    let check = str_of(case, "check").unwrap_or_default();
    if let Some(want) = get(case, "parsed") {
        let entries = named.values().next().ok_or("no interval")?;
        check_parsed(entries, want)?;
    }
    let intervener = Intervener::new(named.clone());
    for (i, at) in get(case, "at")
        .and_then(Yaml::as_seq)
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        let at = at.as_map().ok_or("at entry is not a mapping")?;
        let when = instant(str_of(at, "time").ok_or("at without time")?)?;
        let label =
            |what: &str| format!("at[{i}] {}: {what}", str_of(at, "time").unwrap_or_default());
        match check {
            "contains" => {
                let entries = named.values().next().ok_or("no interval")?;
                let got = entries.iter().any(|e| e.contains(when));
                if let Some(Yaml::Bool(want)) = get(at, "active") {
                    same(&label("active"), want, &got)?;
                }
            }
            "intervener" => {
                let names = names.clone().ok_or("no names")?;
                let (active, inside) = intervener.mutes(&names, when).map_err(|e| e.to_string())?;
                if let Some(Yaml::Bool(want)) = get(at, "active") {
                    same(&label("active"), want, &active)?;
                }
                if let Some(want) = get(at, "intervals") {
                    same(&label("intervals"), &strings(want)?, &inside)?;
                }
            }
            "muteTimeIntervals" | "activeTimeIntervals" => {
                let names = names.clone().ok_or("no names")?;
                let none: Vec<String> = Vec::new();
                let (mute, active) = if check == "muteTimeIntervals" {
                    (&names, &none)
                } else {
                    (&none, &names)
                };
                let status = intervener
                    .route_status(mute, active, when)
                    .map_err(|e| e.to_string())?;
                let (muted, muted_by) = if check == "muteTimeIntervals" {
                    (!status.muted_by.is_empty(), status.muted_by.clone())
                } else {
                    let by = if status.outside_active {
                        names.clone()
                    } else {
                        Vec::new()
                    };
                    (status.outside_active, by)
                };
                if let Some(Yaml::Bool(want)) = get(at, "muted") {
                    same(&label("muted"), want, &muted)?;
                }
                if let Some(want) = get(at, "mutedBy") {
                    same(&label("mutedBy"), &strings(want)?, &muted_by)?;
                }
            }
            other => return Err(format!("unknown check {other:?}")),
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// matchers/

fn triple(m: &Matcher) -> (String, String, String) {
    (
        m.name().to_owned(),
        m.match_type().as_str().to_owned(),
        m.value().to_owned(),
    )
}

fn expected_triple(value: &Yaml) -> Result<(String, String, String), String> {
    let map = value.as_map().ok_or("expected matcher is not a mapping")?;
    let field = |k: &str| str_of(map, k).unwrap_or_default().to_owned();
    Ok((field("name"), field("type"), field("value")))
}

fn built_matcher(case: &Map) -> Result<Matcher, String> {
    let spec = get(case, "matcher")
        .and_then(Yaml::as_map)
        .ok_or("no matcher")?;
    let match_type = MatchType::from_operator(str_of(spec, "type").unwrap_or_default())
        .ok_or("unknown matcher type")?;
    Matcher::new(
        match_type,
        str_of(spec, "name").unwrap_or_default(),
        str_of(spec, "value").unwrap_or_default(),
    )
    .map_err(|e| e.to_string())
}

fn matchers_case(case: &Map) -> Result<(), String> {
    let input = str_of(case, "input").unwrap_or_default();
    let parser = str_of(case, "parser").unwrap_or_default();
    let expected = get(case, "expected");
    match str_of(case, "function") {
        Some("matchers") => {
            let parsed = match parser {
                "classic" => parse_classic_matchers(input),
                "utf8" => parse_utf8_matchers(input),
                _ => ParseMode::Fallback.parse_matchers(input),
            };
            let Some(parsed) = expect_outcome(case, parsed)? else {
                return Ok(());
            };
            let want = expected
                .and_then(Yaml::as_seq)
                .unwrap_or_default()
                .iter()
                .map(expected_triple)
                .collect::<Result<Vec<_>, _>>()?;
            same("matchers", &want, &parsed.iter().map(triple).collect())
        }
        Some("matcher") => {
            let parsed = match parser {
                "classic" => parse_classic_matcher(input),
                "utf8" => parse_utf8_matcher(input),
                _ => ParseMode::Fallback.parse_matcher(input),
            };
            let Some(parsed) = expect_outcome(case, parsed)? else {
                return Ok(());
            };
            same(
                "matcher",
                &expected_triple(expected.ok_or("no expected")?)?,
                &triple(&parsed),
            )
        }
        Some("evaluate") => {
            let matcher = built_matcher(case)?;
            let got = matcher.matches(str_of(case, "value").unwrap_or_default());
            same("matches", &expected, &Some(&Yaml::Bool(got)))
        }
        Some("string") => {
            let got = built_matcher(case)?.to_string();
            same(
                "string",
                &expected.and_then(Yaml::as_str),
                &Some(got.as_str()),
            )
        }
        Some("validLabelName") => {
            let got = match parser {
                "classic" => is_classic_label_name(input),
                _ => ParseMode::Utf8Strict.is_valid_label_name(input),
            };
            same("valid", &expected, &Some(&Yaml::Bool(got)))
        }
        other => Err(format!("unknown function {other:?}")),
    }
}
