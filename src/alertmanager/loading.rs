//! What the Alertmanager binary refuses in the file the operator writes for it, which the
//! operator itself never checks: a base configuration copied as is, and the parts of
//! AlertmanagerConfigs it converts without checking how Alertmanager reads them (matcher
//! texts, `groupBy` and `equal` label names, time intervals without a name).
//!
//! The binary reads matchers with `labels.ParseMatchers` before 0.27; from 0.27 its
//! `compat.InitFromFlags` picks the parser from `--enable-feature`, the fallback parser (UTF-8,
//! then classic) without one. The operator's own parse (`config.Load` in its process) keeps
//! the library's classic default ([`super::load_base`]).

use super::base::judge_copied_base;
use super::generate::{WrittenMatcher, written_matcher};
use super::{Configuration, Generated, LoadError, Outcome, Selection, validation};
use crate::go::strconv::quote;
use crate::monitoring::v1::Alertmanager;
use crate::monitoring::v1alpha1::AlertmanagerConfig;
use crate::monitoring::v1alpha1::alertmanager_config::{Matcher, Route};
use crate::routing::{
    ParseMode, RoutingError, is_classic_label_name, refused_equal_label, refused_group_by_label,
};
use crate::validate::{Check, Violation};
use crate::version::Version;
use crate::yaml::Yaml;

/// How the Alertmanager binary of `am`, at `version`, parses matchers and checks label names.
pub fn matcher_parse_mode(am: &Alertmanager, version: &Version) -> ParseMode {
    if version.lt("0.27.0") {
        return ParseMode::Classic;
    }
    // `spec.enableFeatures` becomes `--enable-feature` (joined with commas); an
    // `additionalArgs` entry of that name is passed as it is.
    let features = am
        .spec
        .enable_features
        .iter()
        .chain(
            am.spec
                .additional_args
                .iter()
                .filter(|a| a.name == "enable-feature")
                .map(|a| &a.value),
        )
        .flat_map(|value| value.split(','));
    let (mut classic, mut utf8_strict) = (false, false);
    for feature in features {
        classic |= feature == "classic-mode";
        utf8_strict |= feature == "utf8-strict-mode";
    }
    // Both together stop Alertmanager at start-up ([`refused_features`]); `InitFromFlags`
    // asks for classic first.
    if classic {
        ParseMode::Classic
    } else if utf8_strict {
        ParseMode::Utf8Strict
    } else {
        ParseMode::Fallback
    }
}

/// The `--enable-feature` names the Alertmanager binary of `version` knows
/// (`featurecontrol.NewFlags`, 0.27 to 0.34); `None` for a version newer than those.
fn known_features(version: &Version) -> Option<&'static [&'static str]> {
    const V0_27: &[&str] = &[
        "receiver-name-in-metrics",
        "classic-mode",
        "utf8-strict-mode",
    ];
    const V0_28: &[&str] = &[
        "receiver-name-in-metrics",
        "classic-mode",
        "utf8-strict-mode",
        "auto-gomemlimit",
        "auto-gomaxprocs",
    ];
    const V0_31: &[&str] = &[
        "alert-names-in-metrics",
        "receiver-name-in-metrics",
        "classic-mode",
        "utf8-strict-mode",
        "auto-gomemlimit",
        "auto-gomaxprocs",
    ];
    // 0.33 removed auto-gomaxprocs (CHANGELOG: no effect since 0.29): it now stops start-up.
    const V0_33: &[&str] = &[
        "alert-names-in-metrics",
        "receiver-name-in-metrics",
        "group-key-in-metrics",
        "classic-mode",
        "utf8-strict-mode",
        "auto-gomemlimit",
        "event-recorder",
    ];
    [
        ("0.28.0", V0_27),
        ("0.31.0", V0_28),
        ("0.33.0", V0_31),
        ("0.35.0", V0_33),
    ]
    .into_iter()
    .find(|(below, _)| version.lt(below))
    .map(|(_, known)| known)
}

/// Why the Alertmanager binary of `am`, at `version`, stops at start-up on the
/// `--enable-feature` value the operator passes it (`featurecontrol.NewFlags`: an unknown
/// feature, or classic and UTF-8 strict modes together; before 0.27 the flag itself), if it
/// does. The field is the
/// Alertmanager's: the `spec.enableFeatures` entry (the operator passes them from 0.27, joined
/// with commas), else the `additionalArgs` entry named `enable-feature`.
pub fn refused_features(am: &Alertmanager, version: &Version) -> Option<Violation> {
    let spec = &am.spec;
    if version.lt("0.27.0") {
        // No such flag before 0.27: kingpin stops at it (the operator drops enableFeatures).
        let (j, _) =
            (spec.additional_args.iter().enumerate()).find(|(_, a)| a.name == "enable-feature")?;
        return Some(Violation::new(
            Check::Field,
            format!("spec.additionalArgs[{j}]"),
            "unknown long flag '--enable-feature'",
        ));
    }
    let (field, values): (String, Vec<(String, &str)>) = if !spec.enable_features.is_empty() {
        let entries = spec.enable_features.iter().enumerate();
        let values = entries.map(|(i, f)| (format!("spec.enableFeatures[{i}]"), f.as_str()));
        ("spec.enableFeatures".to_owned(), values.collect())
    } else {
        let (j, arg) =
            (spec.additional_args.iter().enumerate()).find(|(_, a)| a.name == "enable-feature")?;
        let field = format!("spec.additionalArgs[{j}].value");
        (field.clone(), vec![(field, arg.value.as_str())])
    };
    // An empty flag enables nothing; otherwise every comma-separated name must be known.
    if let [(_, "")] = values.as_slice() {
        return None;
    }
    let refused = |field: &str, error: String| {
        let message = format!("error parsing the feature flag list: {error}");
        Some(Violation::new(Check::Field, field, message))
    };
    let (mut classic, mut utf8_strict) = (false, false);
    for (at, value) in &values {
        for feature in value.split(',') {
            if known_features(version).is_some_and(|known| !known.contains(&feature)) {
                // Capitalised until 0.29.
                let unknown = if version.lt("0.29.0") {
                    "Unknown"
                } else {
                    "unknown"
                };
                return refused(
                    at,
                    format!("{unknown} option '{feature}' for --enable-feature"),
                );
            }
            classic |= feature == "classic-mode";
            utf8_strict |= feature == "utf8-strict-mode";
        }
    }
    if classic && utf8_strict {
        return refused(
            &field,
            "cannot have both classic and UTF-8 modes enabled".to_owned(),
        );
    }
    None
}

/// Something Alertmanager refuses to load in what the operator writes for it.
#[derive(Clone, Debug, PartialEq)]
pub enum Refusal {
    /// The base configuration, copied as is.
    Base(LoadError),
    /// A part of an AlertmanagerConfig the operator converted.
    Part {
        /// `namespace/name` of the AlertmanagerConfig.
        config: String,
        /// Where (as the object was written) and Alertmanager's reason.
        violation: Violation,
    },
}

impl Refusal {
    /// Whether Alertmanager surely refuses it: not for a key the configuration types of the
    /// reproduced operator lack, which a newer Alertmanager may know.
    pub fn is_certain(&self) -> bool {
        !matches!(
            self,
            Refusal::Base(LoadError::Decode(
                super::schema::DecodeError::UnknownField { .. }
            ))
        )
    }
}

/// What the Alertmanager `am` refuses in `generated` (the operator's output for it, from
/// `selection`): at most one certain refusal per base configuration or AlertmanagerConfig, the
/// first Alertmanager would meet, and before it, for a copied base configuration, each key the
/// reproduced configuration types lack (not certain: see [`Refusal::is_certain`]).
pub fn refusals(
    am: &Alertmanager,
    generated: &Generated,
    selection: Option<&Selection<'_>>,
) -> Vec<Refusal> {
    let Ok(version) = super::version_in_effect(am) else {
        return Vec::new();
    };
    let mode = matcher_parse_mode(am, &version);
    match &generated.configuration {
        Configuration::Verbatim(text) if !text.trim().is_empty() => {
            let judged = judge_copied_base(text, &version, mode);
            (judged.unknown_fields.into_iter())
                .map(LoadError::Decode)
                .chain(judged.refusal)
                .map(Refusal::Base)
                .collect()
        }
        Configuration::Verbatim(_) => Vec::new(),
        Configuration::Generated(tree) => selection
            .into_iter()
            .flat_map(|s| &s.candidates)
            .filter(|c| matches!(c.outcome, Outcome::Selected | Outcome::BaseConfiguration))
            .filter_map(|c| {
                let as_base = c.outcome == Outcome::BaseConfiguration;
                let mut violation = refused_written(c.resource, tree, as_base, &version, mode)?;
                violation.field = c.resource.written_as.field_path(&violation.field);
                Some(Refusal::Part {
                    config: c.key.clone(),
                    violation,
                })
            })
            .collect(),
    }
}

/// The first of what the operator wrote from `amc` into `tree` that Alertmanager `version`,
/// reading matchers with `mode`, refuses: a part ([`refused_part`]), else a time interval
/// written unnamed ([`unnamed_time_intervals`]). `as_base`: `amc` is the Alertmanager's
/// `alertmanagerConfiguration`. The field is v1alpha1's.
pub fn refused_written(
    amc: &AlertmanagerConfig,
    tree: &Yaml,
    as_base: bool,
    version: &Version,
    mode: ParseMode,
) -> Option<Violation> {
    // A selected resource's intervals are written with its route only; the sanitizer of old
    // versions drops them all.
    let intervals_written = (as_base || amc.spec.route.is_some()) && has_unnamed_interval(tree);
    refused_part(amc, version, mode)
        .or_else(|| (unnamed_time_intervals(amc).into_iter()).find(|_| intervals_written))
}

/// The first part of `amc` that Alertmanager `version`, reading matchers with `mode`, refuses
/// in the file the operator writes from it; the field is v1alpha1's.
pub fn refused_part(
    amc: &AlertmanagerConfig,
    version: &Version,
    mode: ParseMode,
) -> Option<Violation> {
    if let Some(violation) = (amc.spec.route.as_ref())
        .and_then(|route| refused_in_route(route, version, mode, "spec.route", 0))
    {
        return Some(violation);
    }
    amc.spec
        .inhibit_rules
        .iter()
        .enumerate()
        .find_map(|(i, rule)| {
            let at = format!("spec.inhibitRules[{i}]");
            refused_matcher(
                &rule.source_match,
                version,
                mode,
                &format!("{at}.sourceMatch"),
            )
            .or_else(|| {
                refused_matcher(
                    &rule.target_match,
                    version,
                    mode,
                    &format!("{at}.targetMatch"),
                )
            })
            .or_else(|| {
                rule.equal.iter().enumerate().find_map(|(j, name)| {
                    refused_equal_label(name, Some(version), mode).map(|error| {
                        Violation::new(
                            Check::LabelName,
                            format!("{at}.equal[{j}]"),
                            error.to_string(),
                        )
                    })
                })
            })
        })
}

fn refused_in_route(
    route: &Route,
    version: &Version,
    mode: ParseMode,
    at: &str,
    depth: usize,
) -> Option<Violation> {
    // Deeper routes are refused by the operator before anything is written.
    if depth > validation::MAX_CONFIG_ROUTE_DEPTH {
        return None;
    }
    refused_matcher(&route.matchers, version, mode, &format!("{at}.matchers"))
        .or_else(|| {
            let (j, error) = (route.group_by.iter().enumerate())
                .filter(|(_, name)| *name != "...")
                .find_map(|(j, name)| Some((j, refused_group_by_label(name, mode)?)))?;
            Some(Violation::new(
                Check::LabelName,
                format!("{at}.groupBy[{j}]"),
                error.to_string(),
            ))
        })
        .or_else(|| {
            let children = validation::child_routes(route).ok()?;
            children.iter().enumerate().find_map(|(i, child)| {
                refused_in_route(
                    child,
                    version,
                    mode,
                    &format!("{at}.routes[{i}]"),
                    depth + 1,
                )
            })
        })
}

/// The first of `matchers` (a list at `at`) Alertmanager refuses as the operator writes it.
fn refused_matcher(
    matchers: &[Matcher],
    version: &Version,
    mode: ParseMode,
    at: &str,
) -> Option<Violation> {
    matchers.iter().enumerate().find_map(|(i, m)| {
        let message = match written_matcher(m, version) {
            WrittenMatcher::Text(text) => mode.parse_matchers(&text).err()?.to_string(),
            // `match` and `match_re` keys are classic label names in every version.
            WrittenMatcher::Match | WrittenMatcher::MatchRe if is_classic_label_name(&m.name) => {
                return None;
            }
            WrittenMatcher::Match | WrittenMatcher::MatchRe => RoutingError::InvalidLabelName {
                name: m.name.clone(),
                context: "",
            }
            .to_string(),
        };
        Some(Violation::new(
            Check::LabelName,
            format!("{at}[{i}]"),
            message,
        ))
    })
}

/// Whether the generated `tree` has a `mute_time_intervals` entry without a name.
fn has_unnamed_interval(tree: &Yaml) -> bool {
    (tree
        .as_map()
        .and_then(|root| root.get("mute_time_intervals")))
    .and_then(Yaml::as_seq)
    .unwrap_or_default()
    .iter()
    .filter_map(Yaml::as_map)
    .any(|interval| {
        interval
            .get("name")
            .and_then(Yaml::as_str)
            .unwrap_or("")
            .is_empty()
    })
}

/// The time intervals of `amc` the operator writes as `mute_time_intervals` entries named
/// `""` (`convertMuteTimeInterval` sets the name while copying `timeIntervals`, so an entry
/// without them has none), which Alertmanager (0.22 and later, where the operator keeps them)
/// refuses. Fields are v1alpha1's.
pub fn unnamed_time_intervals(amc: &AlertmanagerConfig) -> Vec<Violation> {
    (amc.spec.mute_time_intervals.iter().enumerate())
        .filter(|(_, interval)| interval.time_intervals.is_empty())
        .map(|(i, interval)| {
            Violation::new(
                Check::Field,
                format!("spec.muteTimeIntervals[{i}]"),
                format!(
                    "{} has no timeIntervals: the operator writes it into mute_time_intervals \
                     with name \"\", which Alertmanager refuses (\"missing name in mute time \
                     interval\")",
                    quote(interval.name.as_deref().unwrap_or(""))
                ),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn amc(spec: &str) -> AlertmanagerConfig {
        let text = format!("metadata: {{name: a, namespace: ns}}\nspec: {spec}\n");
        let doc = crate::yaml::parse(&text).unwrap();
        serde_json::from_value(doc.to_json()).unwrap()
    }

    fn alertmanager(spec: &str) -> Alertmanager {
        let doc = crate::yaml::parse(&format!("metadata: {{name: m}}\nspec: {spec}\n")).unwrap();
        serde_json::from_value(doc.to_json()).unwrap()
    }

    fn version(text: &str) -> Version {
        Version::parse(text).unwrap()
    }

    #[test]
    fn parse_mode_follows_version_and_feature_flags() {
        let plain = alertmanager("{}");
        assert_eq!(
            matcher_parse_mode(&plain, &version("v0.26.0")),
            ParseMode::Classic
        );
        assert_eq!(
            matcher_parse_mode(&plain, &version("v0.27.0")),
            ParseMode::Fallback
        );
        let classic = alertmanager("{enableFeatures: [receiver-name-in-metrics, classic-mode]}");
        assert_eq!(
            matcher_parse_mode(&classic, &version("v0.33.1")),
            ParseMode::Classic
        );
        let strict =
            alertmanager("{additionalArgs: [{name: enable-feature, value: 'utf8-strict-mode'}]}");
        assert_eq!(
            matcher_parse_mode(&strict, &version("v0.33.1")),
            ParseMode::Utf8Strict
        );
    }

    /// The field and message of what `refused_features` says of `spec` at `version`.
    fn features_refused(spec: &str, at: &str) -> Option<(String, String)> {
        refused_features(&alertmanager(spec), &version(at)).map(|v| (v.field, v.message))
    }

    #[test]
    fn feature_flags_that_stop_alertmanager() {
        let both = "{enableFeatures: [classic-mode, utf8-strict-mode]}";
        assert_eq!(
            features_refused(both, "v0.33.1"),
            Some((
                "spec.enableFeatures".into(),
                "error parsing the feature flag list: cannot have both classic and UTF-8 modes \
                 enabled"
                    .into()
            ))
        );
        // The operator passes no --enable-feature before 0.27, which has no such flag.
        assert_eq!(features_refused(both, "v0.26.0"), None);
        assert_eq!(
            features_refused(
                "{additionalArgs: [{name: enable-feature, value: classic-mode}]}",
                "v0.26.0"
            ),
            Some((
                "spec.additionalArgs[0]".into(),
                "unknown long flag '--enable-feature'".into()
            ))
        );
        let unknown = "{enableFeatures: [classic-mode, 'auto-gomaxprocs,x']}";
        assert_eq!(
            features_refused(unknown, "v0.28.1"),
            Some((
                "spec.enableFeatures[1]".into(),
                "error parsing the feature flag list: Unknown option 'x' for --enable-feature"
                    .into()
            ))
        );
        // auto-gomaxprocs is gone from 0.33; newer versions than those known are not judged.
        let dropped = "{enableFeatures: [auto-gomaxprocs]}";
        assert!(features_refused(dropped, "v0.32.3").is_none());
        assert!(features_refused(dropped, "v0.33.0").is_some());
        assert!(features_refused(dropped, "v0.40.0").is_none());
        let argument = "{additionalArgs: [{name: enable-feature, value: 'event-recorder,nope'}]}";
        assert_eq!(
            features_refused(argument, "v0.34.0"),
            Some((
                "spec.additionalArgs[0].value".into(),
                "error parsing the feature flag list: unknown option 'nope' for --enable-feature"
                    .into()
            ))
        );
        for fine in [
            "{}",
            "{enableFeatures: ['']}",
            "{enableFeatures: [group-key-in-metrics]}",
        ] {
            assert_eq!(features_refused(fine, "v0.33.1"), None, "{fine}");
        }
        assert!(features_refused("{enableFeatures: ['', '']}", "v0.33.1").is_some());
    }

    #[test]
    fn unnamed_intervals_are_refused_where_they_are_written() {
        let with_route = amc("{route: {receiver: r}, muteTimeIntervals: [{name: placeholder}]}");
        let without_route = amc("{muteTimeIntervals: [{name: placeholder}]}");
        let tree =
            crate::yaml::parse("mute_time_intervals: [{name: '', time_intervals: []}]").unwrap();
        let clean = crate::yaml::parse("mute_time_intervals: []").unwrap();
        let v = version("v0.33.1");
        let refused = |amc: &AlertmanagerConfig, tree: &Yaml, as_base: bool| {
            refused_written(amc, tree, as_base, &v, ParseMode::Fallback).map(|v| v.field)
        };
        assert_eq!(
            refused(&with_route, &tree, false).as_deref(),
            Some("spec.muteTimeIntervals[0]")
        );
        assert_eq!(refused(&without_route, &tree, false), None);
        assert!(refused(&without_route, &tree, true).is_some());
        assert_eq!(refused(&with_route, &clean, false), None);
    }

    #[test]
    fn non_classic_matcher_names_are_refused_before_0_27() {
        let config = amc("{route: {receiver: r, routes: [{receiver: r, matchers: \
             [{name: app.kubernetes.io/name, value: x, matchType: '='}]}]}}");
        let refused = refused_part(&config, &version("v0.26.0"), ParseMode::Classic).unwrap();
        assert_eq!(refused.field, "spec.route.routes[0].matchers[0]");
        assert_eq!(
            refused.message,
            "bad matcher format: app.kubernetes.io/name=\"x\""
        );
        assert_eq!(
            refused_part(&config, &version("v0.33.1"), ParseMode::Fallback),
            None
        );
    }

    /// The field and message of what `version` in `mode` refuses in `config`.
    fn refusal(config: &AlertmanagerConfig, version: &str, mode: ParseMode) -> (String, String) {
        let violation = refused_part(config, &self::version(version), mode).unwrap();
        (violation.field, violation.message)
    }

    #[test]
    fn legacy_match_keys_group_by_and_equal_names() {
        let legacy = amc("{route: {receiver: r, matchers: [{name: a.b, value: x}]}}");
        assert_eq!(
            refusal(&legacy, "v0.21.0", ParseMode::Classic),
            (
                "spec.route.matchers[0]".into(),
                "invalid label name \"a.b\"".into()
            )
        );
        let grouped = amc("{route: {receiver: r, groupBy: [ok, a.b]}}");
        assert_eq!(
            refusal(&grouped, "v0.26.0", ParseMode::Classic),
            (
                "spec.route.groupBy[1]".into(),
                "invalid label name \"a.b\" in group_by list".into()
            )
        );
        let equal = amc("{inhibitRules: [{equal: [a.b]}]}");
        assert_eq!(
            refusal(&equal, "v0.27.0", ParseMode::Fallback),
            (
                "spec.inhibitRules[0].equal[0]".into(),
                "\"a.b\" is not a valid label name".into()
            )
        );
        assert_eq!(
            refused_part(&equal, &version("v0.28.0"), ParseMode::Fallback),
            None
        );
        assert!(refused_part(&equal, &version("v0.28.0"), ParseMode::Classic).is_some());
    }

    #[test]
    fn intervals_without_time_intervals_are_written_unnamed() {
        let config = amc("{muteTimeIntervals: [{name: a, timeIntervals: [{times: \
             [{startTime: '00:00', endTime: '01:00'}]}]}, {name: placeholder}]}");
        let unnamed = unnamed_time_intervals(&config);
        assert_eq!(unnamed.len(), 1);
        assert_eq!(unnamed[0].field, "spec.muteTimeIntervals[1]");
        assert!(
            unnamed[0]
                .message
                .starts_with("\"placeholder\" has no timeIntervals")
        );
    }
}
