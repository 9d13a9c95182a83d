//! Inhibition, mirroring Alertmanager's `inhibit` package (`NewInhibitRule`, the per-rule
//! source cache and its equal-label index, `hasEqual`, `Inhibitor.Mutes`) and the rule's
//! configuration checks (`config/common.InhibitRule`).
//!
//! Alertmanager keeps, per rule and per combination of `equal` label values, ONE source alert:
//! the one that resolves last. The firing stream given here is replayed into that cache, so
//! the answer is the one Alertmanager gives after receiving those alerts in that order.

use std::collections::BTreeMap;

use serde::Serialize;

use super::compat::{ParseMode, equality_matchers, match_re_map, matcher_list};
use super::labels::{LabelSet, Matcher, MatcherCheck, check_matchers, is_classic_label_name};
use super::{RoutingError, read};
use crate::version::Version;
use crate::yaml::Yaml;

const RULE_FIELDS: [&str; 8] = [
    "name",
    "source_match",
    "source_match_re",
    "source_matchers",
    "target_match",
    "target_match_re",
    "target_matchers",
    "equal",
];

/// One inhibition rule: while a source alert fires, target alerts with the same `equal` label
/// values are muted.
#[derive(Clone, Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InhibitRule {
    /// `name` (optional).
    pub name: String,
    /// `source_match`, `source_match_re` (anchored) and `source_matchers`, in that order.
    pub source_matchers: Vec<Matcher>,
    /// `target_match`, `target_match_re` (anchored) and `target_matchers`, in that order.
    pub target_matchers: Vec<Matcher>,
    /// `equal`, as written.
    pub equal: Vec<String>,
}

/// An alert the inhibitor has received, as a possible source.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SourceAlert {
    /// Its labels (an alert with the same labels as an earlier one updates it).
    pub labels: LabelSet,
    /// Whether it has resolved (its end time is past). Firing alerts are taken to end after
    /// every resolved one, and later-received ones not before earlier ones.
    pub resolved: bool,
}

/// What one rule decided about a target alert.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "verdict", rename_all = "camelCase")]
pub enum Verdict {
    /// The target does not match the rule's target matchers.
    TargetNotMatched,
    /// No source alert with the target's `equal` label values was received.
    NoSource,
    /// The source kept for the target's `equal` values has resolved.
    SourceResolved {
        /// Its position in the firing list (its last update).
        source: usize,
    },
    /// The target also matches the source side, and so does the kept source on the target
    /// side: such an alert does not inhibit its peers.
    TwoSidedMatch {
        /// Its position in the firing list.
        source: usize,
    },
    /// The target is muted by this source.
    Inhibited {
        /// Its position in the firing list.
        source: usize,
    },
}

/// One rule's evaluation.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleOutcome<'a> {
    /// Position of the rule in `inhibit_rules`.
    pub rule: usize,
    /// The rule's name.
    pub name: &'a str,
    /// The target matchers, one by one.
    pub target_matchers: Vec<MatcherCheck<'a>>,
    /// The decision.
    #[serde(flatten)]
    pub verdict: Verdict,
}

/// The inhibition verdict for one target alert.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Inhibition<'a> {
    /// Whether some rule mutes the alert.
    pub muted: bool,
    /// Every rule, in order.
    pub rules: Vec<RuleOutcome<'a>>,
}

/// The configured inhibition rules.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Inhibitor {
    rules: Vec<InhibitRule>,
}

impl Inhibitor {
    /// Wraps rules.
    pub fn new(rules: Vec<InhibitRule>) -> Inhibitor {
        Inhibitor { rules }
    }

    /// Reads only the `inhibit_rules` of an alertmanager.yaml (no whole-file checks).
    pub fn from_config(config: &Yaml, mode: ParseMode) -> Result<Inhibitor, RoutingError> {
        let rules = match read::map(config, "config")?.and_then(|m| m.get("inhibit_rules")) {
            Some(value) => parse_inhibit_rules(value, "inhibit_rules", mode, None)?,
            None => Vec::new(),
        };
        Ok(Inhibitor { rules })
    }

    /// The rules.
    pub fn rules(&self) -> &[InhibitRule] {
        &self.rules
    }

    /// Whether `target` is muted after the inhibitor received `firing` in order (Go's
    /// `Inhibitor.Mutes`), with every rule's reason.
    pub fn mutes<'a>(&'a self, target: &'a LabelSet, firing: &[SourceAlert]) -> Inhibition<'a> {
        let rules: Vec<RuleOutcome<'a>> = self
            .rules
            .iter()
            .enumerate()
            .map(|(index, rule)| {
                let (target_matched, checks) = check_matchers(&rule.target_matchers, target);
                let verdict = if target_matched {
                    let cache = SourceCache::build(rule, firing, true);
                    let two_sided = rule
                        .source_matchers
                        .iter()
                        .all(|m| m.matches_labels(target));
                    cache.verdict(rule, firing, target, two_sided)
                } else {
                    Verdict::TargetNotMatched
                };
                RuleOutcome {
                    rule: index,
                    name: &rule.name,
                    target_matchers: checks,
                    verdict,
                }
            })
            .collect();
        Inhibition {
            muted: rules
                .iter()
                .any(|r| matches!(r.verdict, Verdict::Inhibited { .. })),
            rules,
        }
    }
}

impl InhibitRule {
    /// Go's `hasEqual` on this rule with its source cache holding exactly `cached` (no source
    /// matching): the position of the non-resolved source whose `equal` labels equal the
    /// target's, unless `exclude_two_sided_match` and that source matches the target side.
    pub fn has_equal(
        &self,
        target: &LabelSet,
        cached: &[SourceAlert],
        exclude_two_sided_match: bool,
    ) -> Option<usize> {
        match SourceCache::build(self, cached, false).verdict(
            self,
            cached,
            target,
            exclude_two_sided_match,
        ) {
            Verdict::Inhibited { source } => Some(source),
            _ => None,
        }
    }

    /// The `equal` label names, sorted and deduplicated (Go keeps them in a set).
    fn sorted_equal(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.equal.iter().map(String::as_str).collect();
        names.sort_unstable();
        names.dedup();
        names
    }
}

/// A rule's source cache after a stream of alerts: per distinct label set its latest update,
/// and per combination of `equal` values the source kept.
struct SourceCache<'s> {
    /// Each distinct label set's slot in `latest`.
    slots: BTreeMap<&'s LabelSet, usize>,
    /// Per slot: the position in the stream of the latest update, and whether it resolved.
    latest: Vec<(usize, bool)>,
    /// `equal` values (sorted by label name) → slot of the source kept.
    index: BTreeMap<Vec<&'s str>, usize>,
}

impl<'s> SourceCache<'s> {
    fn build(rule: &InhibitRule, stream: &'s [SourceAlert], match_source: bool) -> SourceCache<'s> {
        let mut cache = SourceCache {
            slots: BTreeMap::new(),
            latest: Vec::new(),
            index: BTreeMap::new(),
        };
        let names = rule.sorted_equal();
        for (position, alert) in stream.iter().enumerate() {
            if match_source
                && !rule
                    .source_matchers
                    .iter()
                    .all(|m| m.matches_labels(&alert.labels))
            {
                continue;
            }
            let slot = *cache
                .slots
                .entry(&alert.labels)
                .or_insert(cache.latest.len());
            match cache.latest.get_mut(slot) {
                Some(entry) => *entry = (position, alert.resolved),
                None => cache.latest.push((position, alert.resolved)),
            }
            let key: Vec<&'s str> = names.iter().map(|n| alert.labels.value(n)).collect();
            let kept = cache.index.get(&key).copied();
            let replace = match kept.and_then(|k| cache.latest.get(k).map(|e| (k, e.1))) {
                None => true,
                Some((kept, _)) if kept == slot => false,
                // Go replaces the kept source unless it ends after the new one: a resolved
                // alert ends before a firing one.
                Some((_, kept_resolved)) => kept_resolved || !alert.resolved,
            };
            if replace {
                cache.index.insert(key, slot);
            }
        }
        cache
    }

    /// Go's `findEqualSourceAlert` and `hasEqual` for `target`.
    fn verdict(
        &self,
        rule: &InhibitRule,
        stream: &[SourceAlert],
        target: &LabelSet,
        exclude_two_sided: bool,
    ) -> Verdict {
        let key: Vec<&str> = rule
            .sorted_equal()
            .iter()
            .map(|n| target.value(n))
            .collect();
        let Some(&(source, resolved)) =
            self.index.get(&key).and_then(|&slot| self.latest.get(slot))
        else {
            return Verdict::NoSource;
        };
        if resolved {
            return Verdict::SourceResolved { source };
        }
        let source_is_target = stream.get(source).is_some_and(|alert| {
            rule.target_matchers
                .iter()
                .all(|m| m.matches_labels(&alert.labels))
        });
        if exclude_two_sided && source_is_target {
            return Verdict::TwoSidedMatch { source };
        }
        Verdict::Inhibited { source }
    }
}

/// Why the Alertmanager binary of `version` (the newest without one), reading matchers with
/// `mode`, refuses `name` in an inhibit rule's `equal` list, if it does.
pub fn refused_equal_label(
    name: &str,
    version: Option<&Version>,
    mode: ParseMode,
) -> Option<RoutingError> {
    // Before 0.28 `equal` decodes into prometheus/common's `model.LabelNames` (v0.44, v0.46),
    // whose `UnmarshalYAML` wants classic names whatever the mode.
    if version.is_some_and(|v| v.lt("0.28.0")) {
        return (!is_classic_label_name(name))
            .then(|| RoutingError::NotALabelName(name.to_owned()));
    }
    (!mode.is_valid_label_name(name)).then(|| RoutingError::InvalidLabelName {
        name: name.to_owned(),
        context: " in equal list",
    })
}

/// Reads `inhibit_rules` (Go's `InhibitRule.UnmarshalYAML`); a `null` rule is the empty rule.
pub(crate) fn parse_inhibit_rules(
    value: &Yaml,
    path: &str,
    mode: ParseMode,
    version: Option<&Version>,
) -> Result<Vec<InhibitRule>, RoutingError> {
    let mut rules = Vec::new();
    for (i, item) in read::seq(value, path)?
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        rules.push(parse_rule(item, &format!("{path}[{i}]"), mode, version)?);
    }
    Ok(rules)
}

fn parse_rule(
    value: &Yaml,
    path: &str,
    mode: ParseMode,
    version: Option<&Version>,
) -> Result<InhibitRule, RoutingError> {
    let mut rule = InhibitRule::default();
    let Some(map) = read::map(value, path)? else {
        return Ok(rule);
    };
    read::check_fields(map, path, &RULE_FIELDS)?;
    let mut source = [Vec::new(), Vec::new(), Vec::new()];
    let mut target = [Vec::new(), Vec::new(), Vec::new()];
    let (mut source_pairs, mut target_pairs) = (Vec::new(), Vec::new());
    for (key, value) in map.iter() {
        let at = format!("{path}.{key}");
        match key {
            "name" => rule.name = read::string(value, &at)?,
            "source_match" => source_pairs = read::string_map(value, &at)?,
            "target_match" => target_pairs = read::string_map(value, &at)?,
            "source_match_re" => source[1] = match_re_map(value, &at)?,
            "target_match_re" => target[1] = match_re_map(value, &at)?,
            "source_matchers" => source[2] = matcher_list(value, &at, mode)?,
            "target_matchers" => target[2] = matcher_list(value, &at, mode)?,
            _ => rule.equal = read::string_list(value, &at)?.unwrap_or_default(),
        }
    }
    let legacy_names = source_pairs.iter().chain(&target_pairs).map(|(k, _)| k);
    if let Some(name) = legacy_names.into_iter().find(|k| !is_classic_label_name(k)) {
        return Err(RoutingError::InvalidLabelName {
            name: name.clone(),
            context: "",
        });
    }
    source[0] = equality_matchers(&source_pairs)?;
    target[0] = equality_matchers(&target_pairs)?;
    if let Some(error) = (rule.equal.iter()).find_map(|n| refused_equal_label(n, version, mode)) {
        return Err(error);
    }
    rule.source_matchers = source.into_iter().flatten().collect();
    rule.target_matchers = target.into_iter().flatten().collect();
    Ok(rule)
}
