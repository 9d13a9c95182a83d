//! "If this alert fires, who gets paged — and if nobody, why?": the alert's path from a
//! PrometheusRule to Alertmanager receivers, as data.
//!
//! [`route_alert`] walks one alert through an alertmanager.yaml (Alertmanager's
//! `dispatch.Route.Match`, `inhibit.Inhibitor.Mutes`, `timeinterval` as `amtool config routes
//! test` and the dispatcher use them) and attributes each route to the AlertmanagerConfig the
//! operator generated it from. [`route_rule_alert`] starts from an alerting rule: the labels
//! the alert leaves Prometheus with (rule labels, `enforcedNamespaceLabel`, external labels as
//! the notifier's `Manager.Send` adds them, `alert_relabel_configs`), the Alertmanagers of
//! `spec.alerting.alertmanagers`, then the routing in each one's generated configuration; and
//! the same through each ThanosRuler that loads the rule (module `thanos`).
//! Group labels are merged under the rule's own (rules/manager.go `LoadGroups`) when the
//! operator keeps them in the rule file, and label values are expanded as Prometheus's
//! `AlertingRule.Eval` does for the common template forms; a value that cannot be worked out
//! makes the matchers and relabelings reading it, and the receivers, uncertain rather than
//! failed. Matchers are parsed as each Alertmanager's version and feature flags make it.

use std::collections::BTreeSet;

use k8s_openapi::api::core::v1::ContainerPort;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use serde::Serialize;

use super::rules::rule_instances;
use super::{Labels, ObjectRef, Status};
use crate::alertmanager;
use crate::alertmanager::generate::MatcherStrategy;
use crate::monitoring::v1::prometheus_rule::RuleGroup;
use crate::monitoring::v1::{Alertmanager, Prometheus, PrometheusRule};
use crate::operator::OperatorOptions;
use crate::relabel::{self, NameValidationScheme};
use crate::routing::{
    LabelSet, MatchType, MatcherCheck, ParseMode, RoutingError, SourceAlert, Timestamp, TraceStep,
    Tree, Verdict,
};
use crate::rules::{self, DroppedField, Instance, RuleOutcome};
use crate::snapshot::{FindError, Snapshot, key_of, name_of, namespace_of};
use crate::target::Target;
use crate::yaml::Yaml;

mod thanos;

/// Most firing source alerts taken into account for inhibition.
pub const MAX_FIRING_ALERTS: usize = 1_000;

/// Why no path can be given.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum AlertPathError {
    /// The object is not in the input, or not only once.
    #[error(transparent)]
    Find(#[from] FindError),
    /// The Alertmanager configuration is refused, or an instant or label is invalid.
    #[error(transparent)]
    Routing(#[from] RoutingError),
    /// More firing alerts than [`MAX_FIRING_ALERTS`].
    #[error("too many firing alerts: at most {MAX_FIRING_ALERTS}")]
    TooManyFiring,
    /// The PrometheusRule has no alerting rule of that name.
    #[error("PrometheusRule {rule} has no alerting rule {alert:?} (its alerts: {known})")]
    NoSuchAlert {
        /// `namespace/name`.
        rule: String,
        /// The alert asked for.
        alert: String,
        /// The alert names it has.
        known: String,
    },
}

/// One matcher checked against the alert.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MatcherResult {
    /// The matcher as Alertmanager prints it.
    pub matcher: String,
    /// The alert's value of the label (absent: `None`, matched as "").
    pub value: Option<String>,
    /// Whether it held; `None` when an earlier matcher already failed.
    pub matched: Option<bool>,
    /// The `namespace` matcher the operator injects into an AlertmanagerConfig's route.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub injected: bool,
    /// The label's value is only known once Prometheus expands the rule's template: `value`
    /// is the unexpanded text and `matched` what that text gives, not the answer.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub undetermined: bool,
}

/// One route tried, in Alertmanager's order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TriedRoute {
    /// `""` for the root, `"0/2"` for `routes[0].routes[2]`.
    pub path: String,
    /// Nesting depth.
    pub depth: usize,
    /// Its receiver (after inheritance).
    pub receiver: String,
    /// `AlertmanagerConfig namespace/name` or `base configuration`.
    pub origin: String,
    /// Whether every matcher held.
    pub matched: bool,
    /// Each matcher's outcome.
    pub matchers: Vec<MatcherResult>,
    /// Matched with `continue: true`: later siblings were tried too.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub continued: bool,
    /// Matched without `continue`: these later siblings were not tried.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<String>,
    /// Matched and none of its children did: a result.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub selected: bool,
    /// An evaluated matcher reads a label only known once Prometheus expands the rule's
    /// template: `matched` is what the unexpanded text gives, not the answer.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub undetermined: bool,
}

/// Time intervals of a reached route at the instant asked about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TimeCheck {
    /// `mute_time_intervals` in effect.
    pub muted_by: Vec<String>,
    /// `active_time_intervals` in effect.
    pub active_in: Vec<String>,
    /// The route has active intervals and none is in effect.
    pub outside_active: bool,
}

/// A route the alert reaches.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReachedRoute {
    /// Its path.
    pub path: String,
    /// The receiver, as named in the configuration.
    pub receiver: String,
    /// `AlertmanagerConfig namespace/name` or `base configuration`.
    pub origin: String,
    /// Effective `group_by` (`...` for all labels).
    pub group_by: Vec<String>,
    /// Effective `group_wait`.
    pub group_wait: String,
    /// Effective `group_interval`.
    pub group_interval: String,
    /// Effective `repeat_interval`.
    pub repeat_interval: String,
    /// The aggregation group's key.
    pub group_key: String,
    /// The route's own `mute_time_intervals`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub mute_time_intervals: Vec<String>,
    /// The route's own `active_time_intervals`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub active_time_intervals: Vec<String>,
    /// The intervals at the instant asked about (none asked: `None`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<TimeCheck>,
    /// Whether notifications go out from this route (not silenced by time intervals nor by
    /// an inhibition).
    pub notifies: bool,
}

/// One inhibit rule and the alert.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InhibitCheck {
    /// Position in `inhibit_rules`.
    pub index: usize,
    /// `name`, when set.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// The source matchers.
    pub source_matchers: Vec<String>,
    /// The target matchers against the alert.
    pub target_matchers: Vec<MatcherResult>,
    /// `equal`.
    pub equal: Vec<String>,
    /// `target-not-matched`, `could-mute` (no firing source given), `no-source`,
    /// `source-resolved`, `two-sided`, `muted`.
    pub verdict: String,
    /// A sentence for people.
    pub message: String,
}

/// Where one alert goes in one Alertmanager configuration.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AlertRoute {
    /// The alert's labels.
    pub labels: Labels,
    /// The instant the time intervals were evaluated at.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
    /// The receivers of the reached routes, in Alertmanager's order, duplicates kept (what
    /// `amtool config routes test` prints).
    pub receivers: Vec<String>,
    /// The reached routes.
    pub routes: Vec<ReachedRoute>,
    /// Every route tried.
    pub trace: Vec<TriedRoute>,
    /// Every inhibit rule.
    pub inhibit_rules: Vec<InhibitCheck>,
    /// Whether an inhibit rule mutes the alert (given the firing alerts).
    pub muted: bool,
    /// The receivers that would be notified (reached, not muted by time or inhibition).
    pub notified: Vec<String>,
}

/// What to route.
#[derive(Clone, Copy, Debug)]
pub struct RouteRequest<'a> {
    /// The alertmanager.yaml, parsed.
    pub config: &'a Yaml,
    /// The alert's labels.
    pub labels: &'a LabelSet,
    /// The instant for time intervals.
    pub at: Option<Timestamp>,
    /// Alerts firing at the same time, as inhibition sources.
    pub firing: &'a [LabelSet],
    /// The AlertmanagerConfigs merged into the configuration, to attribute prefixed names.
    pub origins: &'a [Origin],
    /// How the Alertmanager parses the configuration's matchers ([`parse_mode_of`]).
    pub mode: ParseMode,
}

/// How the Alertmanager binary of `am` parses matchers: by its version and feature flags;
/// the default (fallback) parser when its version is not one the operator runs.
pub fn parse_mode_of(am: &Alertmanager) -> ParseMode {
    alertmanager::version_in_effect(am)
        .map(|version| alertmanager::matcher_parse_mode(am, &version))
        .unwrap_or_default()
}

/// One AlertmanagerConfig merged into an Alertmanager's configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    /// `namespace/name`, the prefix of its receivers and routes.
    pub key: String,
    /// Whether the operator added `namespace="<its namespace>"` to its top-level route (the
    /// Alertmanager's matcher strategy).
    pub namespace_matcher: bool,
}

impl Origin {
    /// The AlertmanagerConfig `key` as merged into `am`'s configuration.
    pub fn new(am: &Alertmanager, key: String) -> Self {
        let strategy = MatcherStrategy::of_alertmanager(am);
        let namespace = key.split('/').next().unwrap_or_default();
        Origin {
            namespace_matcher: strategy.enforces(namespace),
            key,
        }
    }
}

/// The AlertmanagerConfigs that may be merged into the live configuration of Alertmanager
/// `namespace/name`: every one the snapshot holds (a prefix only matches what was merged),
/// with the Alertmanager's matcher strategy when the snapshot holds it, else the default.
pub fn live_origins(snapshot: &Snapshot, namespace: &str, name: &str) -> Vec<Origin> {
    let default = Alertmanager::default();
    let am = live_alertmanager(snapshot, namespace, name).unwrap_or(&default);
    snapshot
        .alertmanager_configs
        .iter()
        .map(|c| Origin::new(am, key_of(&c.metadata)))
        .collect()
}

/// How Alertmanager `namespace/name` parses the matchers of its live configuration: by the
/// object's version and flags when the snapshot holds it, else the default parser.
pub fn live_parse_mode(snapshot: &Snapshot, namespace: &str, name: &str) -> ParseMode {
    live_alertmanager(snapshot, namespace, name).map_or_else(ParseMode::default, parse_mode_of)
}

fn live_alertmanager<'s>(
    snapshot: &'s Snapshot,
    namespace: &str,
    name: &str,
) -> Option<&'s Alertmanager> {
    crate::snapshot::find_named(&snapshot.alertmanagers, Some(namespace), name).ok()
}

/// The AlertmanagerConfig whose prefix `receiver` carries, if any.
fn origin_for<'o>(receiver: &str, origins: &'o [Origin]) -> Option<&'o Origin> {
    origins.iter().find(|origin| {
        receiver
            .strip_prefix(origin.key.as_str())
            .is_some_and(|rest| rest.starts_with('/'))
    })
}

/// `AlertmanagerConfig namespace/name` when `receiver` carries its prefix, else the base
/// configuration.
pub fn origin_of(receiver: &str, origins: &[Origin]) -> String {
    origin_for(receiver, origins).map_or_else(
        || "base configuration".to_owned(),
        |origin| format!("AlertmanagerConfig {}", origin.key),
    )
}

/// The matchers' outcomes; the labels of `undetermined` an evaluated one reads are added to
/// `read`.
fn matcher_results(
    checks: &[MatcherCheck<'_>],
    injected_namespace: Option<&str>,
    undetermined: &Undetermined,
    read: &mut BTreeSet<String>,
) -> Vec<MatcherResult> {
    checks
        .iter()
        .map(|c| {
            let name = c.matcher.name();
            let unknown = undetermined.contains_key(name);
            if unknown && c.matched.is_some() {
                read.insert(name.to_owned());
            }
            MatcherResult {
                matcher: c.matcher.to_string(),
                value: c.value.map(str::to_owned),
                matched: c.matched,
                injected: injected_namespace.is_some_and(|ns| {
                    name == "namespace"
                        && c.matcher.match_type() == MatchType::Equal
                        && c.matcher.value() == ns
                }),
                undetermined: unknown,
            }
        })
        .collect()
}

/// Routes one alert through `request.config`: each route tried and why, the receivers
/// reached with their origin, the inhibit rules that mute or could mute it, and the time
/// intervals at `request.at`.
pub fn route_alert(request: &RouteRequest<'_>) -> Result<AlertRoute, AlertPathError> {
    route_with_undetermined(request, &Undetermined::new()).map(|(route, _)| route)
}

/// [`route_alert`], with the matchers reading a label of `undetermined` marked; also the
/// labels of `undetermined` that decided something (an evaluated matcher or an inhibit rule's
/// `equal` reads them).
fn route_with_undetermined(
    request: &RouteRequest<'_>,
    undetermined: &Undetermined,
) -> Result<(AlertRoute, BTreeSet<String>), AlertPathError> {
    let mut read = BTreeSet::new();
    if request.firing.len() > MAX_FIRING_ALERTS {
        return Err(AlertPathError::TooManyFiring);
    }
    let tree = Tree::from_config_with_mode(request.config, request.mode)?;
    let routed = tree.route(request.labels);
    let nodes = tree.nodes();
    let mut trace: Vec<TriedRoute> = Vec::new();
    for step in &routed.trace {
        match step {
            TraceStep::Tried {
                node,
                path,
                depth,
                matched,
                matchers,
            } => {
                let receiver = nodes
                    .get(*node)
                    .map(|n| n.opts.receiver.clone())
                    .unwrap_or_default();
                let origin = origin_of(&receiver, request.origins);
                // The operator's namespace matcher sits on an AlertmanagerConfig's top-level
                // route, where its strategy adds one.
                let injected = origin_for(&receiver, request.origins)
                    .filter(|o| *depth == 1 && o.namespace_matcher)
                    .and_then(|o| o.key.split('/').next());
                let matchers = matcher_results(matchers, injected, undetermined, &mut read);
                let unknown = matchers
                    .iter()
                    .any(|m| m.undetermined && m.matched.is_some());
                trace.push(TriedRoute {
                    path: (*path).to_owned(),
                    depth: *depth,
                    matchers,
                    receiver,
                    origin,
                    matched: *matched,
                    continued: false,
                    skipped: Vec::new(),
                    selected: false,
                    undetermined: unknown,
                });
            }
            TraceStep::Continued { path, .. } => {
                if let Some(t) = trace.iter_mut().rev().find(|t| t.path == *path) {
                    t.continued = true;
                }
            }
            TraceStep::Stopped { path, skipped, .. } => {
                if let Some(t) = trace.iter_mut().rev().find(|t| t.path == *path) {
                    t.skipped = skipped.iter().map(|s| (*s).to_owned()).collect();
                }
            }
            TraceStep::Selected { path, .. } => {
                if let Some(t) = trace.iter_mut().rev().find(|t| t.path == *path) {
                    t.selected = true;
                }
            }
        }
    }

    let firing: Vec<SourceAlert> = request
        .firing
        .iter()
        .map(|labels| SourceAlert {
            labels: labels.clone(),
            resolved: false,
        })
        .collect();
    let inhibition = tree.inhibitor().mutes(request.labels, &firing);
    let rules = tree.inhibitor().rules();
    let inhibit_rules: Vec<InhibitCheck> = inhibition
        .rules
        .iter()
        .filter_map(|outcome| {
            let rule = rules.get(outcome.rule)?;
            // Against firing alerts, `equal` compares the alert's own values.
            if !firing.is_empty() && !matches!(outcome.verdict, Verdict::TargetNotMatched) {
                read.extend(
                    rule.equal
                        .iter()
                        .filter(|l| undetermined.contains_key(*l))
                        .cloned(),
                );
            }
            let sources: Vec<String> = rule.source_matchers.iter().map(|m| m.to_string()).collect();
            let equal = if rule.equal.is_empty() {
                String::new()
            } else {
                format!(" and the same {} values", rule.equal.join(", "))
            };
            let source_text = format!("{{{}}}", sources.join(", "));
            let (verdict, message) = match &outcome.verdict {
                Verdict::TargetNotMatched => (
                    "target-not-matched",
                    "the alert does not match the target matchers".to_owned(),
                ),
                Verdict::NoSource if firing.is_empty() => (
                    "could-mute",
                    format!(
                        "would mute the alert while an alert matching {source_text} fires{equal} \
                         (give firing alerts to check)"
                    ),
                ),
                Verdict::NoSource => (
                    "no-source",
                    format!("no firing alert matches {source_text}{equal}"),
                ),
                Verdict::SourceResolved { source } => (
                    "source-resolved",
                    format!("the source alert #{source} has resolved"),
                ),
                Verdict::TwoSidedMatch { source } => (
                    "two-sided",
                    format!(
                        "the alert matches both sides, as does source #{source}: it does not \
                         mute its peers"
                    ),
                ),
                Verdict::Inhibited { source } => (
                    "muted",
                    format!(
                        "muted by firing alert #{source} {}",
                        request
                            .firing
                            .get(*source)
                            .map(|l| crate::routing::render_label_set(l.iter()))
                            .unwrap_or_default()
                    ),
                ),
            };
            Some(InhibitCheck {
                index: outcome.rule,
                name: rule.name.clone(),
                source_matchers: sources,
                target_matchers: matcher_results(
                    &outcome.target_matchers,
                    None,
                    undetermined,
                    &mut read,
                ),
                equal: rule.equal.clone(),
                verdict: verdict.to_owned(),
                message,
            })
        })
        .collect();

    let mut routes = Vec::new();
    for m in &routed.matches {
        let node = m.node;
        let time = match request.at {
            Some(at) => {
                let status = tree.time_status(node, at)?;
                Some(TimeCheck {
                    muted_by: status.muted_by.clone(),
                    active_in: status.active_in.clone(),
                    outside_active: status.outside_active,
                })
            }
            None => None,
        };
        let suppressed = time
            .as_ref()
            .is_some_and(|t| !t.muted_by.is_empty() || t.outside_active);
        routes.push(ReachedRoute {
            path: node.path.clone(),
            receiver: node.opts.receiver.clone(),
            origin: origin_of(&node.opts.receiver, request.origins),
            group_by: if node.opts.group_by_all {
                vec!["...".to_owned()]
            } else {
                node.opts.group_by.clone()
            },
            group_wait: node.opts.group_wait.to_string(),
            group_interval: node.opts.group_interval.to_string(),
            repeat_interval: node.opts.repeat_interval.to_string(),
            group_key: m.group_key.clone(),
            mute_time_intervals: node.opts.mute_time_intervals.clone(),
            active_time_intervals: node.opts.active_time_intervals.clone(),
            time,
            notifies: !suppressed && !inhibition.muted,
        });
    }
    let route = AlertRoute {
        labels: request
            .labels
            .iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect(),
        at: request.at.map(|t| t.to_string()),
        receivers: routed.receivers().iter().map(|r| (*r).to_owned()).collect(),
        notified: routes
            .iter()
            .filter(|r| r.notifies)
            .map(|r| r.receiver.clone())
            .collect(),
        routes,
        trace,
        inhibit_rules,
        muted: inhibition.muted,
    };
    Ok((route, read))
}

/// The configuration the operator generates for an Alertmanager, to route alerts in.
pub struct RoutedConfiguration {
    /// `alertmanager.yaml` as the operator writes it.
    pub text: String,
    /// The AlertmanagerConfigs merged in.
    pub origins: Vec<Origin>,
    /// Where the configuration was copied from as is, unparsed, when it was.
    pub copied_from: Option<alertmanager::BaseSource>,
    /// Why the operator does not reconcile the Alertmanager, if it does not: it then writes
    /// no such configuration.
    pub ignored: Option<String>,
    /// What the Alertmanager refuses to load in it, each a sentence: it then keeps its
    /// previous configuration, so the routes never take effect.
    pub refused: Vec<String>,
    /// How the Alertmanager parses its matchers.
    pub mode: ParseMode,
    /// The AlertmanagerConfigs the operator leaves out (rejected, or not selected), each a
    /// sentence with why: their routes are not in the configuration.
    pub not_merged: Vec<String>,
}

/// The configuration the operator generates for `am`, and the AlertmanagerConfigs merged in.
pub fn rendered_alertmanager_config(
    snapshot: &Snapshot,
    am: &Alertmanager,
    options: &OperatorOptions,
) -> Result<RoutedConfiguration, alertmanager::GenerateError> {
    let rendered = crate::instance::render_alertmanager(snapshot, am, options)?;
    let refused = crate::explain::alertmanager::unloadable_notes(
        am,
        &rendered.generated,
        rendered.selection.as_ref(),
    )
    .into_iter()
    .map(|note| note.message)
    .collect();
    let not_merged = rendered
        .selection
        .as_ref()
        .map(|s| {
            s.candidates
                .iter()
                .filter_map(|c| not_merged(snapshot, options, am, c))
                .collect()
        })
        .unwrap_or_default();
    let origins = rendered
        .selection
        .map(|s| {
            s.candidates
                .iter()
                .filter(|c| c.outcome == alertmanager::Outcome::Selected)
                .map(|c| Origin::new(am, c.key.clone()))
                .collect()
        })
        .unwrap_or_default();
    let copied_from = matches!(
        rendered.generated.configuration,
        alertmanager::Configuration::Verbatim(_)
    )
    .then(|| rendered.generated.base.clone());
    Ok(RoutedConfiguration {
        copied_from,
        text: rendered.generated.configuration.text(),
        origins,
        ignored: rendered.ignored,
        refused,
        mode: parse_mode_of(am),
        not_merged,
    })
}

/// Why the operator leaves `candidate` out of `am`'s configuration, when it does.
fn not_merged(
    snapshot: &Snapshot,
    options: &OperatorOptions,
    am: &Alertmanager,
    candidate: &alertmanager::Candidate<'_>,
) -> Option<String> {
    let key = &candidate.key;
    match &candidate.outcome {
        alertmanager::Outcome::Selected | alertmanager::Outcome::BaseConfiguration => None,
        alertmanager::Outcome::Rejected(violation) => Some(format!(
            "AlertmanagerConfig {key} is rejected by the operator and not merged: {}: {}",
            violation.field, violation.message
        )),
        alertmanager::Outcome::NotSelected(_) | alertmanager::Outcome::NotWatched(_) => {
            let verdict = crate::explain::alertmanager::verdict(snapshot, options, am, candidate);
            let why = verdict
                .reasons
                .first()
                .map(|r| format!(": {}", r.message))
                .unwrap_or_default();
            Some(format!(
                "AlertmanagerConfig {key} is not selected and not merged{why}"
            ))
        }
    }
}

/// How one label came to be (or go).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LabelStep {
    /// `series`, `rule labels`, `alertname`, `enforcedNamespaceLabel`, `external label`,
    /// `alert_relabel_configs[0]`, `alertmanagers[0].alert_relabel_configs[1]`.
    pub source: String,
    /// The label.
    pub label: String,
    /// Its value afterwards (`None`: removed).
    pub value: Option<String>,
    /// Why, when it is not plain.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub note: String,
}

fn step(source: &str, label: &str, value: Option<&str>, note: impl Into<String>) -> LabelStep {
    LabelStep {
        source: source.to_owned(),
        label: label.to_owned(),
        value: value.map(str::to_owned),
        note: note.into(),
    }
}

/// Labels whose values Prometheus only knows when it evaluates the rule, each with why it is
/// not known here.
pub type Undetermined = std::collections::BTreeMap<String, String>;

/// One Alertmanager the alert is sent to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Destination {
    /// A Prometheus's `spec.alerting.alertmanagers[i]` (`namespace/service:port`), or a
    /// ThanosRuler's Alertmanager address (any password hidden).
    pub endpoint: String,
    /// The Alertmanager behind the Service (`namespace/name`), when found.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alertmanager: Option<String>,
    /// Relabeling of this endpoint (`alertRelabelings`), label by label.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub label_steps: Vec<LabelStep>,
    /// The routing in its generated configuration.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub route: Option<AlertRoute>,
    /// Why there is no routing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
    /// The labels of the sender's `undetermined` that the alert relabeling or the routing
    /// reads: the receivers are then not certain.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub undetermined: Vec<String>,
    /// This endpoint's relabelings that may drop the alert: they keep or drop it by a label
    /// known only at evaluation time. Each a sentence.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub may_drop: Vec<String>,
}

/// The alert's path through one Prometheus or ThanosRuler.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Sender {
    /// `Prometheus namespace/name` or `ThanosRuler namespace/name`.
    pub instance: String,
    /// Whether it loads the PrometheusRule.
    pub status: Status,
    /// Why not, when it does not.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<String>,
    /// How the labels came to be, in order.
    pub label_steps: Vec<LabelStep>,
    /// The labels the alert leaves the instance with (`None`: dropped by relabeling).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub labels: Option<Labels>,
    /// The Alertmanagers it is sent to.
    pub alertmanagers: Vec<Destination>,
    /// Labels whose values are only known at evaluation time (their unexpanded text is shown
    /// in `labels`; one a relabeling may write from them may be absent there), with why.
    #[serde(skip_serializing_if = "Undetermined::is_empty")]
    pub undetermined: Undetermined,
    /// `alert_relabel_configs` rules that may drop the alert: they keep or drop it by a label
    /// known only at evaluation time. Each a sentence.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub may_drop: Vec<String>,
    /// Notes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// The path of one alerting rule's alerts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleAlertPath {
    /// The `PrometheusRule`.
    #[serde(flatten)]
    pub object: ObjectRef,
    /// The alert.
    pub alert: String,
    /// `spec.groups[g].rules[r]`.
    pub field: String,
    /// The rule's expression as written.
    pub expr: String,
    /// Per Prometheus and ThanosRuler.
    pub senders: Vec<Sender>,
    /// The receivers reached over every sender that loads the rule and each of its
    /// Alertmanagers, in order, deduplicated.
    pub receivers: Vec<String>,
    /// Labels whose values are only known at evaluation time and that the alert relabeling or
    /// the routing reads: `receivers` is then not certain.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub undetermined: Vec<String>,
}

/// What to follow.
#[derive(Clone, Copy, Debug)]
pub struct RuleRouteRequest<'a> {
    /// The PrometheusRule's namespace (`None`: any).
    pub namespace: Option<&'a str>,
    /// Its name.
    pub name: &'a str,
    /// The alerting rule's `alert`.
    pub alert: &'a str,
    /// Labels known only at evaluation time (from the series).
    pub labels: &'a LabelSet,
    /// The instant for time intervals.
    pub at: Option<Timestamp>,
    /// Alerts firing at the same time, as inhibition sources.
    pub firing: &'a [LabelSet],
}

fn find_alert<'r>(
    rule: &'r PrometheusRule,
    alert: &str,
) -> Option<(
    usize,
    usize,
    &'r crate::monitoring::v1::prometheus_rule::Rule,
)> {
    rule.spec.groups.iter().enumerate().find_map(|(g, group)| {
        group
            .rules
            .iter()
            .enumerate()
            .find(|(_, r)| r.alert.as_deref() == Some(alert))
            .map(|(r, item)| (g, r, item))
    })
}

/// What alert relabeling did.
#[derive(Debug, Default, PartialEq, Eq)]
struct Relabeled {
    /// A rule dropped the alert.
    dropped: bool,
    /// Rules that keep or drop the alert by a label known only at evaluation time: they may
    /// drop it. Each a sentence.
    may_drop: Vec<String>,
    /// The labels of `undetermined` the rules decided something by.
    read: BTreeSet<String>,
}

/// Relabels `labels` with `rules` (YAML), recording each change as a step. A rule reading a
/// label of `undetermined` decides nothing for certain: a `keep` or `drop` only may drop the
/// alert (it is kept, and said so), and the labels a `replace`, `hashmod`, `labelmap`... writes
/// from it become undetermined too.
fn apply_relabel(
    labels: &mut Labels,
    undetermined: &mut Undetermined,
    rules: Option<&Yaml>,
    scheme: NameValidationScheme,
    source: &str,
    steps: &mut Vec<LabelStep>,
) -> Result<Relabeled, String> {
    use relabel::Action;
    let mut relabeled = Relabeled::default();
    let Some(list) = rules.and_then(Yaml::as_seq) else {
        return Ok(relabeled);
    };
    let configs: Vec<relabel::Config> = list
        .iter()
        .map(|c| serde_json::from_value(c.to_json()).map_err(|e| e.to_string()))
        .collect::<Result<_, _>>()?;
    let compiled = relabel::Rule::compile_all(&configs, scheme).map_err(|e| e.to_string())?;
    for (i, rule) in compiled.iter().enumerate() {
        let at = format!("{source}[{i}]");
        let action = rule.action();
        let config = rule.config();
        // The labels whose values the rule reads (label names are always known).
        let reads: Vec<String> = match action {
            Action::LabelDrop | Action::LabelKeep => Vec::new(),
            Action::LabelMap => undetermined
                .keys()
                .filter(|k| labels.contains_key(*k))
                .cloned()
                .collect(),
            _ => config
                .source_labels
                .iter()
                .chain(
                    matches!(action, Action::KeepEqual | Action::DropEqual)
                        .then_some(&config.target_label),
                )
                .filter(|k| undetermined.contains_key(*k))
                .cloned()
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect(),
        };
        let unknown = (!reads.is_empty()).then(|| {
            format!(
                "it reads {}, known only when Prometheus evaluates the rule",
                reads.join(", ")
            )
        });
        let action_name = action.as_str();
        if let Some(why) = &unknown
            && matches!(
                action,
                Action::Keep | Action::Drop | Action::KeepEqual | Action::DropEqual
            )
        {
            steps.push(step(
                &at,
                &reads[0],
                labels.get(&reads[0]).map(String::as_str),
                format!("{action_name}: may drop the alert"),
            ));
            relabeled
                .may_drop
                .push(format!("{at} ({action_name}) may drop the alert: {why}"));
            relabeled.read.extend(reads);
            continue;
        }
        let trace = relabel::relabel_traced(labels, std::slice::from_ref(rule));
        let after = match trace.outcome {
            relabel::Outcome::Kept(after) => after,
            relabel::Outcome::Dropped { .. } => {
                steps.push(step(
                    &at,
                    "",
                    None,
                    format!("{action_name}: the alert is dropped"),
                ));
                relabeled.dropped = true;
                return Ok(relabeled);
            }
        };
        let changed: Vec<&String> = after
            .iter()
            .filter(|(k, v)| labels.get(*k) != Some(*v))
            .map(|(k, _)| k)
            .collect();
        let removed: Vec<&String> = labels.keys().filter(|k| !after.contains_key(*k)).collect();
        let note = match &unknown {
            Some(why) => format!("{action_name}: not known here: {why}"),
            None => action_name.to_owned(),
        };
        for k in &changed {
            steps.push(step(
                &at,
                k,
                after.get(*k).map(String::as_str),
                note.clone(),
            ));
        }
        for k in &removed {
            steps.push(step(&at, k, None, note.clone()));
            undetermined.remove(*k);
        }
        match unknown {
            Some(why) => {
                // The target may be written even when the unexpanded text leaves it alone.
                let targets: Vec<String> = if config.target_label.is_empty()
                    || config.target_label.contains('$')
                    || action == Action::LabelMap
                {
                    changed.iter().map(|k| (*k).clone()).collect()
                } else {
                    vec![config.target_label.clone()]
                };
                for target in targets {
                    undetermined.insert(target, format!("{at} ({action_name}) sets it: {why}"));
                }
                relabeled.read.extend(reads);
            }
            None => {
                for k in changed {
                    undetermined.remove(k);
                }
            }
        }
        *labels = after;
    }
    Ok(relabeled)
}

/// The Alertmanagers behind `service` in `namespace`: those whose pods the Service selects,
/// or every one for the operator's `alertmanager-operated`.
fn alertmanagers_behind<'s>(
    snapshot: &'s Snapshot,
    options: &OperatorOptions,
    namespace: &str,
    service: &str,
) -> Vec<&'s Alertmanager> {
    let in_ns = snapshot
        .alertmanagers
        .iter()
        .filter(|a| namespace_of(&a.metadata) == namespace);
    let selector = crate::snapshot::named(&snapshot.services, Some(namespace), service)
        .and_then(|s| s.spec.as_ref())
        .and_then(|s| s.selector.clone());
    let mut found: Vec<&Alertmanager> = match selector.filter(|s| !s.is_empty()) {
        // The labels of the pods the operator makes (an Alertmanager it cannot make a
        // StatefulSet for has none).
        Some(selector) => in_ns
            .filter(|am| {
                crate::workload::alertmanager_statefulset(am, options, &Default::default())
                    .ok()
                    .and_then(|s| s.object.spec?.template.metadata?.labels)
                    .is_some_and(|pod_labels| {
                        selector.iter().all(|(k, v)| pod_labels.get(k) == Some(v))
                    })
            })
            .collect(),
        None if service == crate::workload::alertmanager::GOVERNING_SERVICE => in_ns.collect(),
        None => in_ns
            .filter(|am| {
                let name = name_of(&am.metadata);
                service == name || service.strip_prefix("alertmanager-") == Some(name)
            })
            .collect(),
    };
    found.sort_by_key(|a| a.metadata.name.clone());
    found
}

/// Why the generated `alerting.alertmanagers` entry of address `port` of Service
/// `namespace/service` keeps no target of `am`, if it keeps none: `generateAlertmanagerConfig`
/// keeps only the endpoints whose port name matches a named port, or the targets whose container
/// port number equals a numeric port. `None` when a target is kept, or when the Service is not in
/// the input (nothing to check the port against).
fn port_problem(
    snapshot: &Snapshot,
    options: &OperatorOptions,
    namespace: &str,
    service: &str,
    am: &Alertmanager,
    port: &IntOrString,
) -> Option<String> {
    let am_key = key_of(&am.metadata);
    let pod_ports: Vec<ContainerPort> =
        crate::workload::alertmanager_statefulset(am, options, &Default::default())
            .ok()
            .and_then(|s| s.object.spec?.template.spec)
            .map(|pod| {
                pod.containers
                    .into_iter()
                    .flat_map(|c| c.ports.unwrap_or_default())
                    .collect()
            })
            .unwrap_or_default();
    match port {
        IntOrString::String(name) if !name.is_empty() => {
            let generated;
            let svc = match crate::snapshot::named(&snapshot.services, Some(namespace), service) {
                Some(svc) => svc,
                None if service == crate::workload::alertmanager::GOVERNING_SERVICE => {
                    generated = crate::workload::alertmanager_governing_service(am, options)?;
                    &generated
                }
                None => return None,
            };
            let regex = relabel::GoRegex::new(name).ok()?;
            let ports = svc
                .spec
                .as_ref()
                .and_then(|s| s.ports.as_deref())
                .unwrap_or_default();
            let named: Vec<_> = ports
                .iter()
                .filter(|p| regex.is_match(p.name.as_deref().unwrap_or_default()))
                .collect();
            let lost = "the generated configuration keeps only the endpoints with that port \
                        name, so Prometheus discovers no Alertmanager here";
            if named.is_empty() {
                let have: Vec<&str> = ports.iter().filter_map(|p| p.name.as_deref()).collect();
                return Some(format!(
                    "Service {namespace}/{service} has no port named {name:?} (its ports: {}): \
                     {lost}",
                    if have.is_empty() {
                        "none named".to_owned()
                    } else {
                        have.join(", ")
                    }
                ));
            }
            // A named target port only makes an endpoint when the pod has a port of that name.
            let unresolved: Vec<&str> = named
                .iter()
                .filter_map(|p| match &p.target_port {
                    Some(IntOrString::String(t))
                        if !pod_ports.iter().any(|c| c.name.as_deref() == Some(t)) =>
                    {
                        Some(t.as_str())
                    }
                    _ => None,
                })
                .collect();
            (unresolved.len() == named.len()).then(|| {
                format!(
                    "Service {namespace}/{service}'s port {name:?} targets port {:?}, which the \
                     pods of Alertmanager {am_key} do not have: its endpoints leave the port \
                     out, and {lost}",
                    unresolved[0]
                )
            })
        }
        IntOrString::Int(number) if *number != 0 => {
            // No pod template (the operator cannot make the StatefulSet): nothing to check.
            if pod_ports.is_empty() || pod_ports.iter().any(|c| c.container_port == *number) {
                return None;
            }
            let mut numbers: Vec<i32> = pod_ports.iter().map(|c| c.container_port).collect();
            numbers.sort_unstable();
            numbers.dedup();
            let have: Vec<String> = numbers.iter().map(i32::to_string).collect();
            Some(format!(
                "port {number} is matched against the pods' container port numbers, and the \
                 pods of Alertmanager {am_key} have no container port {number} (they have {}): \
                 the generated configuration keeps no target, so Prometheus discovers no \
                 Alertmanager here; name the Service port (e.g. port: web) instead",
                have.join(", ")
            ))
        }
        _ => None,
    }
}

/// What Prometheus makes of one rule label value for one alert.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Expansion {
    /// The value (empty: Prometheus drops the label).
    Known(String),
    /// Not known here, and why.
    Unknown(String),
}

/// Expands a rule label value as Prometheus's `AlertingRule.Eval` does (a Go template named
/// `__alert_ALERT` over the series labels, the external labels and the value, with
/// `missingkey=zero`), for text whose actions are `{{ $labels.NAME }}`, `{{ .Labels.NAME }}`,
/// `{{ $externalLabels.NAME }}`, `{{ .ExternalLabels.NAME }}` or comments. `series` is what
/// `--labels` gave, which may leave some of the series' labels out; `external` is why the
/// external labels are not known, when they are not.
fn expand_label_value(
    alert: &str,
    text: &str,
    series: &Labels,
    external: Result<&Labels, &str>,
) -> Expansion {
    use crate::go::template::{
        self, BUILTINS, NotExecuted, PROMETHEUS_ALERT_VARIABLES, PROMETHEUS_FUNCTIONS,
    };
    match template::execute(
        &format!("__alert_{alert}"),
        text,
        &[BUILTINS, PROMETHEUS_FUNCTIONS],
        &PROMETHEUS_ALERT_VARIABLES,
        |action, written| template_value(action, written, series, external),
    ) {
        Ok(value) => Expansion::Known(value),
        Err(NotExecuted::Refused(error)) => {
            Expansion::Unknown(format!("Prometheus refuses the template: {error}"))
        }
        Err(NotExecuted::Unknown(why)) => Expansion::Unknown(why),
    }
}

/// The value of one template action, written `written`.
fn template_value(
    action: &crate::go::template::Action<'_>,
    written: &str,
    series: &Labels,
    external: Result<&Labels, &str>,
) -> Result<String, String> {
    use crate::go::template::Action;
    let Action::Reference { variable, fields } = action else {
        return Err(not_evaluated(written));
    };
    match (*variable, fields.as_slice()) {
        (Some("$labels"), [name]) | (None, ["Labels", name]) => match series.get(*name) {
            Some(value) => Ok(value.clone()),
            None => Err(format!(
                "{name} is not among --labels (Prometheus writes the series' {name} here, or \
                 \"\" when the series has none)"
            )),
        },
        // A missing key gives the zero value, "" (missingkey=zero).
        (Some("$externalLabels"), [name]) | (None, ["ExternalLabels", name]) => match external {
            Ok(labels) => Ok(labels.get(*name).cloned().unwrap_or_default()),
            Err(why) => Err(why.to_owned()),
        },
        (Some("$value"), []) | (None, ["Value"]) => Err(format!(
            "{{{{ {written} }}}} is the expression's value at evaluation time"
        )),
        _ => Err(not_evaluated(written)),
    }
}

fn not_evaluated(written: &str) -> String {
    format!(
        "{{{{ {written} }}}} is not evaluated here (only $labels.NAME, $externalLabels.NAME and \
         their .Labels / .ExternalLabels forms are)"
    )
}

/// `parts` that are not empty, joined for a step's note.
fn joined_note(parts: &[&str]) -> String {
    parts
        .iter()
        .filter(|p| !p.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join("; ")
}

/// The alerting rule as the rule file gives it to Prometheus.
struct RuleInFile<'a> {
    /// The rule, after `enforcedNamespaceLabel`.
    rule: &'a crate::monitoring::v1::prometheus_rule::Rule,
    /// Its group's labels, when the rule file keeps them (else empty).
    group_labels: &'a Labels,
    /// The label `enforcedNamespaceLabel` sets on it, if any.
    enforced_label: Option<&'a str>,
}

/// The labels an alert of `in_file` leaves `prometheus` with, step by step; `None` when
/// relabeling drops it. Also the rendered configuration, for the per-endpoint relabeling, and
/// the undetermined labels relabeling decided something by. Values that cannot be expanded
/// here are recorded in `sender.undetermined`.
fn outgoing_labels(
    snapshot: &Snapshot,
    prometheus: &Prometheus,
    options: &OperatorOptions,
    in_file: &RuleInFile<'_>,
    series: &LabelSet,
    sender: &mut Sender,
) -> (Option<Labels>, Option<Yaml>, BTreeSet<String>) {
    // Rendered first: rule label templates read the external labels.
    let rendered = crate::instance::render_target(snapshot, Target::Server(prometheus), options)
        .map(|r| r.rendered.config);
    let external = match &rendered {
        Ok(config) => Some(external_labels(config, prometheus, options, sender)),
        Err(_) => None,
    };
    // Unmanaged, the configuration's external labels are the user's, not known here.
    let external_values: Result<Labels, &str> = match &external {
        _ if options.leaves_unmanaged(prometheus) => Err(
            "the external labels are what the user writes in this Prometheus's configuration \
             (no monitor selector is set)",
        ),
        Some(list) => Ok(list
            .iter()
            .map(|l| (l.name.clone(), l.value.clone()))
            .collect()),
        None => Err("the external labels are not known: the configuration cannot be rendered"),
    };
    let mut labels = rule_labels(
        in_file,
        series,
        external_values.as_ref().map_err(|e| *e),
        sender,
    );
    let config = match rendered {
        Ok(config) => config,
        Err(e) => {
            sender.notes.push(format!(
                "the Prometheus configuration cannot be rendered ({e}): external labels and \
                 alert_relabel_configs are not applied"
            ));
            return (Some(labels), None, BTreeSet::new());
        }
    };
    for ExternalLabel { name, value, note } in external.unwrap_or_default() {
        if let Some(existing) = labels.get(&name).filter(|v| !v.is_empty()) {
            // An unexpanded template may come out empty, and an empty label is removed.
            let why = if sender.undetermined.contains_key(&name) {
                format!(
                    "applied only if {name}={existing:?} expands to an empty value, which \
                     removes it"
                )
            } else {
                format!("not applied: the alert already has {name}={existing:?}")
            };
            sender
                .label_steps
                .push(step("external label", &name, Some(&value), why));
        } else {
            sender
                .label_steps
                .push(step("external label", &name, Some(&value), note));
            labels.insert(name, value);
        }
    }
    let relabelings = config
        .as_map()
        .and_then(|m| m.get("alerting"))
        .and_then(Yaml::as_map)
        .and_then(|a| a.get("alert_relabel_configs"));
    let relabeled = match apply_relabel(
        &mut labels,
        &mut sender.undetermined,
        relabelings,
        Target::Server(prometheus).name_validation_scheme(),
        "alert_relabel_configs",
        &mut sender.label_steps,
    ) {
        Ok(relabeled) => relabeled,
        Err(e) => {
            sender
                .notes
                .push(format!("alert_relabel_configs cannot be applied: {e}"));
            Relabeled::default()
        }
    };
    sender.may_drop.extend(relabeled.may_drop);
    let labels = (!relabeled.dropped).then_some(labels);
    (labels, Some(config), relabeled.read)
}

/// The labels an alert of `in_file` has as the rule engine sends it, step by step: the
/// series' (`--labels`), the group's and the rule's, each value expanded against the series
/// and `external` (the external labels, or why they are not known), and `alertname`. Values
/// that cannot be expanded here are recorded in `sender.undetermined`.
fn rule_labels(
    in_file: &RuleInFile<'_>,
    series: &LabelSet,
    external: Result<&Labels, &str>,
    sender: &mut Sender,
) -> Labels {
    let RuleInFile {
        rule: rule_item,
        group_labels,
        enforced_label,
    } = *in_file;
    let series: Labels = series
        .iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    let mut labels = series.clone();
    for (k, v) in &labels {
        sender.label_steps.push(step(
            "--labels",
            k,
            Some(v),
            "from the series, at evaluation time",
        ));
    }
    if labels.remove("__name__").is_some() {
        sender.label_steps.push(step(
            "alerting rule",
            "__name__",
            None,
            "Prometheus drops the metric name from alerts",
        ));
    }
    // Prometheus merges the group's labels under the rule's own, then expands each value
    // against the series (not against the other rule labels), so the order does not matter.
    let mut entries: Vec<(&str, &String, &String, &str)> = Vec::new();
    for (k, v) in group_labels {
        if rule_item.labels.contains_key(k) {
            sender.label_steps.push(step(
                "group labels",
                k,
                Some(v),
                "overridden by the rule's own value",
            ));
        } else {
            entries.push(("group labels", k, v, ""));
        }
    }
    for (k, v) in &rule_item.labels {
        entries.push(if Some(k.as_str()) == enforced_label {
            (
                "enforcedNamespaceLabel",
                k,
                v,
                "set by the operator on every rule of the PrometheusRule",
            )
        } else if group_labels.contains_key(k) {
            ("rule labels", k, v, "overrides the group's value")
        } else {
            ("rule labels", k, v, "")
        });
    }
    let alert = rule_item.alert.clone().unwrap_or_default();
    for (source, k, v, note) in entries {
        let overrides = if series.contains_key(k) {
            "overrides the series' value"
        } else {
            ""
        };
        match expand_label_value(&alert, v, &series, external) {
            Expansion::Known(value) if value.is_empty() => {
                labels.remove(k);
                let why = format!("{v:?} expands to \"\": Prometheus drops an empty label");
                sender
                    .label_steps
                    .push(step(source, k, None, joined_note(&[note, &why])));
            }
            Expansion::Known(value) => {
                let expanded = if value == *v {
                    String::new()
                } else {
                    format!("expanded from {v:?}")
                };
                sender.label_steps.push(step(
                    source,
                    k,
                    Some(&value),
                    joined_note(&[note, &expanded, overrides]),
                ));
                labels.insert(k.clone(), value);
            }
            Expansion::Unknown(why) => {
                let unknown = format!("not known here: {why}");
                sender.label_steps.push(step(
                    source,
                    k,
                    Some(v),
                    joined_note(&[note, &unknown, overrides]),
                ));
                labels.insert(k.clone(), v.clone());
                sender.undetermined.insert(k.clone(), why);
            }
        }
    }
    labels.insert("alertname".to_owned(), alert.clone());
    sender.undetermined.remove("alertname");
    sender
        .label_steps
        .push(step("alertname", "alertname", Some(&alert), ""));
    labels
}

/// One external label of a Prometheus configuration or a ThanosRuler, as its first pod sees it.
struct ExternalLabel {
    name: String,
    value: String,
    /// How the value was worked out, when not as written.
    note: String,
}

/// The external labels of `config`: the values may name the pod through the
/// config-reloader's variables, shown for the first pod of the first shard.
fn external_labels(
    config: &Yaml,
    prometheus: &Prometheus,
    options: &OperatorOptions,
    sender: &mut Sender,
) -> Vec<ExternalLabel> {
    let Some(external) = config
        .as_map()
        .and_then(|m| m.get("global"))
        .and_then(Yaml::as_map)
        .and_then(|g| g.get("external_labels"))
        .and_then(Yaml::as_map)
    else {
        return Vec::new();
    };
    let first_pod = crate::reloader::Pod::default();
    let environment = crate::reloader::environment(
        crate::workload::Instance::Prometheus(prometheus),
        options,
        &first_pod,
    )
    .unwrap_or_else(|e| {
        let why = format!("the operator would not generate its StatefulSet ({e})");
        sender.notes.push(format!(
            "{why}: the config-reloader's variables are those of a Prometheus with a default spec"
        ));
        crate::reloader::guessed_environment(
            crate::instance::InstanceKind::Prometheus,
            namespace_of(&prometheus.metadata),
            name_of(&prometheus.metadata),
            &first_pod,
            why,
        )
    });
    let pod = environment
        .variables
        .get("POD_NAME")
        .cloned()
        .unwrap_or_default();
    external
        .iter()
        .map(|(k, v)| {
            let raw = v.as_str().unwrap_or_default();
            let (value, note) = if raw.contains("$(") {
                (
                    environment.expand(raw).text,
                    format!("the config-reloader's variables of pod {pod} shown"),
                )
            } else {
                (raw.to_owned(), String::new())
            };
            ExternalLabel {
                name: k.to_owned(),
                value,
                note,
            }
        })
        .collect()
}

/// What the operator does with the PrometheusRule for one instance.
struct Loading {
    status: Status,
    /// Why it is not loaded, when it is not.
    reasons: Vec<String>,
    /// The fields the rule file leaves out for the instance's version, as the operator writes
    /// it once the rule is selected; `None` when it writes no file for the rule.
    dropped_fields: Option<Vec<DroppedField>>,
}

/// What `instance` does with `rule` (key `key`); `None` when its selection does not see it.
fn loading(
    snapshot: &Snapshot,
    instance: Instance<'_>,
    rule: &PrometheusRule,
    key: &str,
    options: &OperatorOptions,
) -> Option<Loading> {
    // The file the operator would write if the instance selected the rule.
    let judged = || match rules::Judge::of(instance).map(|judge| judge.outcome(rule)) {
        Ok(RuleOutcome::Selected(file)) => Some(file.dropped_fields),
        _ => None,
    };
    let (status, reasons, dropped_fields) =
        match rules::select(snapshot, instance, &options.namespaces) {
            Ok(selection) => match &selection.candidates.iter().find(|c| c.key == key)?.outcome {
                RuleOutcome::Selected(file) => (
                    Status::Selected,
                    Vec::new(),
                    Some(file.dropped_fields.clone()),
                ),
                RuleOutcome::NotSelected(why) => {
                    (Status::NotSelected, vec![why.to_string()], judged())
                }
                RuleOutcome::Rejected(findings) => (
                    Status::Rejected,
                    findings.iter().map(ToString::to_string).collect(),
                    None,
                ),
                RuleOutcome::Dropped(e) => (Status::Rejected, vec![e.to_string()], None),
            },
            Err(e) => (Status::NotSelected, vec![e.to_string()], judged()),
        };
    Some(Loading {
        status,
        reasons,
        dropped_fields,
    })
}

/// The labels of group `g` that reach Prometheus: those of the rule file, which the operator
/// leaves out for versions without group labels. Says so in `sender`'s notes when it does, or
/// when it writes no file to tell.
fn group_labels_in_file(
    group: &RuleGroup,
    g: usize,
    dropped_fields: Option<&[DroppedField]>,
    sender: &mut Sender,
) -> Labels {
    if group.labels.is_empty() {
        return Labels::new();
    }
    let field = format!("spec.groups[{g}].labels");
    let Some(dropped_fields) = dropped_fields else {
        sender.notes.push(format!(
            "the operator writes no rule file for this PrometheusRule, so whether this \
             Prometheus's version keeps {field} is not known: they are applied"
        ));
        return group.labels.clone();
    };
    match dropped_fields.iter().find(|d| d.field == field) {
        Some(dropped) => {
            let since = dropped.minimum_version.map_or_else(
                || "this version does not support them".to_owned(),
                |v| format!("Prometheus supports them from {v} on"),
            );
            sender.notes.push(format!(
                "{field} are not applied: the operator leaves them out of the rule file ({since})"
            ));
            Labels::new()
        }
        None => group.labels.clone(),
    }
}

/// Follows the alerts of one alerting rule from each Prometheus and ThanosRuler that could
/// load it to the receivers of each Alertmanager it sends to.
pub fn route_rule_alert(
    snapshot: &Snapshot,
    request: &RuleRouteRequest<'_>,
    options: &OperatorOptions,
) -> Result<RuleAlertPath, AlertPathError> {
    if request.firing.len() > MAX_FIRING_ALERTS {
        return Err(AlertPathError::TooManyFiring);
    }
    let rule =
        crate::snapshot::find_named(&snapshot.prometheus_rules, request.namespace, request.name)?;
    let rule_ns = namespace_of(&rule.metadata);
    let rule_name = name_of(&rule.metadata);
    let key = format!("{rule_ns}/{rule_name}");
    let Some((g, r, item)) = find_alert(rule, request.alert) else {
        let known: Vec<&str> = rule
            .spec
            .groups
            .iter()
            .flat_map(|g| g.rules.iter().filter_map(|r| r.alert.as_deref()))
            .collect();
        return Err(AlertPathError::NoSuchAlert {
            rule: key,
            alert: request.alert.to_owned(),
            known: known.join(", "),
        });
    };
    let position = RulePosition {
        object: rule,
        group: g,
        rule: r,
    };
    let mut senders = Vec::new();
    for instance in rule_instances(snapshot) {
        let Some(loading) = loading(snapshot, instance, rule, &key, options) else {
            continue;
        };
        senders.push(match instance {
            Instance::Prometheus(prometheus) => {
                follow_prometheus(snapshot, prometheus, loading, position, request, options)
            }
            Instance::ThanosRuler(ruler) => {
                thanos::follow_thanos_ruler(snapshot, ruler, loading, position, request, options)
            }
        });
    }
    let mut receivers: Vec<String> = Vec::new();
    let mut undetermined = BTreeSet::new();
    // Only the senders that load the rule send its alerts; the others' paths are hypothetical.
    let loaded = senders.iter().filter(|s| s.status == Status::Selected);
    for destination in loaded.flat_map(|s| &s.alertmanagers) {
        undetermined.extend(destination.undetermined.iter().cloned());
        for receiver in destination.route.iter().flat_map(|route| &route.receivers) {
            if !receivers.contains(receiver) {
                receivers.push(receiver.clone());
            }
        }
    }
    Ok(RuleAlertPath {
        object: ObjectRef::new("PrometheusRule", rule_ns, rule_name),
        alert: request.alert.to_owned(),
        field: format!("spec.groups[{g}].rules[{r}]"),
        expr: item.expr_text(),
        senders,
        receivers,
        undetermined: undetermined.into_iter().collect(),
    })
}

/// An alerting rule: its PrometheusRule and where it sits in it.
#[derive(Clone, Copy)]
struct RulePosition<'a> {
    object: &'a PrometheusRule,
    /// Index in `spec.groups`.
    group: usize,
    /// Index in the group's `rules`.
    rule: usize,
}

/// A sender before its labels: `instance`'s loading of the rule, with a note when it does
/// not load it.
fn new_sender(instance: Instance<'_>, loading: Loading) -> Sender {
    let kind = instance.kind();
    let mut sender = Sender {
        instance: format!("{kind} {}/{}", instance.namespace(), instance.name()),
        status: loading.status,
        reasons: loading.reasons,
        label_steps: Vec::new(),
        labels: None,
        alertmanagers: Vec::new(),
        undetermined: Undetermined::new(),
        may_drop: Vec::new(),
        notes: Vec::new(),
    };
    if sender.status != Status::Selected {
        sender.notes.push(format!(
            "this {kind} does not load the rule: the path below is what would happen if it did"
        ));
    }
    sender
}

/// The rule at `position` as an instance evaluates it.
struct EvaluatedRule {
    /// With its `enforcedNamespaceLabel` set, unless the PrometheusRule is excluded.
    rule: crate::monitoring::v1::prometheus_rule::Rule,
    /// That label's name, when it is set.
    enforced_label: Option<String>,
    /// The group's labels the rule file keeps.
    group_labels: Labels,
}

impl EvaluatedRule {
    fn in_file(&self) -> RuleInFile<'_> {
        RuleInFile {
            rule: &self.rule,
            group_labels: &self.group_labels,
            enforced_label: self.enforced_label.as_deref(),
        }
    }
}

/// The sender of `instance` (what it does with the PrometheusRule, `loading`) and the rule at
/// `position` as it evaluates it; `None` when the position is not in the object.
fn begin_sender(
    instance: Instance<'_>,
    loading: Loading,
    position: RulePosition<'_>,
) -> (Sender, Option<EvaluatedRule>) {
    let dropped_fields = loading.dropped_fields.clone();
    let mut sender = new_sender(instance, loading);
    let rule = position.object;
    let Some(group) = rule.spec.groups.get(position.group) else {
        return (sender, None);
    };
    let Some(written) = group.rules.get(position.rule) else {
        return (sender, None);
    };
    let labeler = instance.labeler();
    let mut enforced = rule.clone();
    let applied = labeler.enforce(&mut enforced).is_ok()
        && !labeler.is_excluded(namespace_of(&rule.metadata), name_of(&rule.metadata));
    let evaluated = enforced
        .spec
        .groups
        .get(position.group)
        .and_then(|group| group.rules.get(position.rule))
        .unwrap_or(written)
        .clone();
    let group_labels = group_labels_in_file(
        group,
        position.group,
        dropped_fields.as_deref(),
        &mut sender,
    );
    let evaluated = EvaluatedRule {
        rule: evaluated,
        enforced_label: applied.then(|| labeler.label.clone()),
        group_labels,
    };
    (sender, Some(evaluated))
}

/// The path of the alerts of the rule at `position` through `prometheus`.
fn follow_prometheus(
    snapshot: &Snapshot,
    prometheus: &Prometheus,
    loading: Loading,
    position: RulePosition<'_>,
    request: &RuleRouteRequest<'_>,
    options: &OperatorOptions,
) -> Sender {
    let instance = Instance::Prometheus(prometheus);
    let (mut sender, evaluated) = begin_sender(instance, loading, position);
    if options.leaves_unmanaged(prometheus) {
        sender.notes.push(
            "no monitor selector is set, so the operator leaves this Prometheus's configuration \
             to the user: its external labels, alert relabelings and Alertmanagers are what the \
             user writes; the path below takes spec.alerting's Alertmanagers and no external \
             labels"
                .to_owned(),
        );
    }
    let Some(evaluated) = evaluated else {
        return sender;
    };
    let (labels, config, relabel_read) = outgoing_labels(
        snapshot,
        prometheus,
        options,
        &evaluated.in_file(),
        request.labels,
        &mut sender,
    );
    sender.labels.clone_from(&labels);
    let endpoints = prometheus
        .spec
        .alerting
        .as_ref()
        .map(|a| a.alertmanagers.as_slice())
        .unwrap_or_default();
    if endpoints.is_empty() {
        sender.notes.push(
            "spec.alerting.alertmanagers is empty: this Prometheus sends its alerts nowhere"
                .to_owned(),
        );
    }
    let rendered_sets = config
        .as_ref()
        .and_then(Yaml::as_map)
        .and_then(|m| m.get("alerting"))
        .and_then(Yaml::as_map)
        .and_then(|a| a.get("alertmanagers"))
        .and_then(Yaml::as_seq)
        .unwrap_or_default();
    for (i, endpoint) in endpoints.iter().enumerate() {
        let ns = endpoint
            .namespace
            .as_deref()
            .filter(|n| !n.is_empty())
            .unwrap_or(instance.namespace());
        let port = crate::monitoring::int_or_string_text(&endpoint.port);
        let mut steps = Vec::new();
        let mut endpoint_labels = labels.clone();
        let mut endpoint_undetermined = sender.undetermined.clone();
        let mut relabeled = Relabeled::default();
        if let Some(l) = endpoint_labels.as_mut() {
            let per_set = rendered_sets
                .get(i)
                .and_then(Yaml::as_map)
                .and_then(|m| m.get("alert_relabel_configs"));
            match apply_relabel(
                l,
                &mut endpoint_undetermined,
                per_set,
                Target::Server(prometheus).name_validation_scheme(),
                &format!("alertmanagers[{i}].alert_relabel_configs"),
                &mut steps,
            ) {
                Ok(done) => relabeled = done,
                Err(e) => sender.notes.push(format!(
                    "alertmanagers[{i}].alert_relabel_configs cannot be applied: {e}"
                )),
            }
            if relabeled.dropped {
                endpoint_labels = None;
            }
        }
        relabeled.read.extend(relabel_read.iter().cloned());
        send_to_service(
            snapshot,
            options,
            request,
            &mut sender,
            &Outgoing {
                endpoint: format!("{ns}/{}:{port}", endpoint.name),
                service: Ok((ns.to_owned(), endpoint.name.clone())),
                port: Some(&endpoint.port),
                labels: endpoint_labels.as_ref(),
                undetermined: &endpoint_undetermined,
                steps,
                relabeled,
            },
        );
    }
    sender
}

/// The Service (`namespace`, `name`) an Alertmanager address names, or why it names none.
type NamedService = Result<(String, String), String>;

/// An alert on its way to one Alertmanager address of a sender.
struct Outgoing<'a> {
    /// The address as the sender's configuration gives it.
    endpoint: String,
    /// The Service it names.
    service: NamedService,
    /// The Service port or container port number the address keeps (`None`: any).
    port: Option<&'a IntOrString>,
    /// The alert's labels (`None`: dropped before it is sent).
    labels: Option<&'a Labels>,
    /// Labels only known at evaluation time.
    undetermined: &'a Undetermined,
    /// This address's own relabeling steps.
    steps: Vec<LabelStep>,
    /// What relabeling on the way did.
    relabeled: Relabeled,
}

/// Routes `out` in the configuration of each Alertmanager behind its Service: a destination
/// of `sender` each, or one that says why there is none.
fn send_to_service(
    snapshot: &Snapshot,
    options: &OperatorOptions,
    request: &RuleRouteRequest<'_>,
    sender: &mut Sender,
    out: &Outgoing<'_>,
) {
    let unrouted = |problem: String| Destination {
        endpoint: out.endpoint.clone(),
        alertmanager: None,
        label_steps: out.steps.clone(),
        route: None,
        problem: Some(problem),
        undetermined: Vec::new(),
        may_drop: out.relabeled.may_drop.clone(),
    };
    let (ns, service) = match &out.service {
        Ok(service) => service,
        Err(why) => {
            sender.alertmanagers.push(unrouted(why.clone()));
            return;
        }
    };
    let behind = alertmanagers_behind(snapshot, options, ns, service);
    if behind.is_empty() {
        sender.alertmanagers.push(unrouted(format!(
            "no Alertmanager in the input stands behind Service {ns}/{service}"
        )));
        return;
    }
    for am in behind {
        let am_key = crate::snapshot::key_of(&am.metadata);
        if let Some(problem) = out
            .port
            .and_then(|port| port_problem(snapshot, options, ns, service, am, port))
        {
            sender.alertmanagers.push(unrouted(problem));
            continue;
        }
        let mut destination = Destination {
            alertmanager: Some(am_key.clone()),
            problem: None,
            ..unrouted(String::new())
        };
        let Some(alert_labels) = out.labels else {
            destination.problem =
                Some("the alert is dropped before it reaches this Alertmanager".into());
            sender.alertmanagers.push(destination);
            continue;
        };
        match route_in(
            snapshot,
            am,
            options,
            alert_labels,
            out.undetermined,
            request,
        ) {
            Ok(routed) => {
                if let Some(why) = routed.ignored {
                    sender.notes.push(format!(
                        "Alertmanager {am_key}: {why}: it does not write the configuration \
                         routed here"
                    ));
                }
                sender.notes.extend(routed.refused);
                destination.route = Some(routed.route);
                let mut read = routed.undetermined;
                read.extend(out.relabeled.read.iter().cloned());
                destination.undetermined = read.into_iter().collect();
            }
            Err(e) => destination.problem = Some(e),
        }
        sender.alertmanagers.push(destination);
    }
}

/// An alert routed in the configuration the operator generates for an Alertmanager.
struct RoutedIn {
    route: AlertRoute,
    /// Why the operator does not reconcile the Alertmanager, if it does not.
    ignored: Option<String>,
    /// What the Alertmanager refuses to load in the configuration routed in.
    refused: Vec<String>,
    /// The undetermined labels the routing read.
    undetermined: BTreeSet<String>,
}

/// Routes `labels` in the configuration the operator generates for `am`, the matchers reading
/// a label of `undetermined` marked.
fn route_in(
    snapshot: &Snapshot,
    am: &Alertmanager,
    options: &OperatorOptions,
    labels: &Labels,
    undetermined: &Undetermined,
    request: &RuleRouteRequest<'_>,
) -> Result<RoutedIn, String> {
    let rendered =
        rendered_alertmanager_config(snapshot, am, options).map_err(|e| e.to_string())?;
    let config = crate::yaml::parse(&rendered.text).map_err(|e| e.to_string())?;
    let label_set = LabelSet::from_pairs(labels.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .map_err(|e| e.to_string())?;
    let (route, read) = route_with_undetermined(
        &RouteRequest {
            config: &config,
            labels: &label_set,
            at: request.at,
            firing: request.firing,
            origins: &rendered.origins,
            mode: rendered.mode,
        },
        undetermined,
    )
    .map_err(|e| e.to_string())?;
    Ok(RoutedIn {
        route,
        ignored: rendered.ignored,
        refused: rendered.refused,
        undetermined: read,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURE: &str = include_str!("../../tests/fixtures/alert_path/cluster.yaml");

    fn snapshot() -> Snapshot {
        crate::snapshot::load("fixture", FIXTURE).unwrap().0
    }

    fn labels(pairs: &[(&str, &str)]) -> LabelSet {
        LabelSet::from_pairs(pairs.iter().copied()).unwrap()
    }

    #[test]
    fn origins_follow_the_operator_prefix() {
        let origins = vec![Origin {
            key: "shop/shop-team".to_owned(),
            namespace_matcher: true,
        }];
        assert_eq!(
            origin_of("shop/shop-team/pager", &origins),
            "AlertmanagerConfig shop/shop-team"
        );
        assert_eq!(
            origin_of("shop/shop-teamx/pager", &origins),
            "base configuration"
        );
        assert_eq!(origin_of("oncall", &origins), "base configuration");
    }

    #[test]
    fn a_service_selects_alertmanager_pods_by_the_labels_the_operator_gives_them() {
        let snap = crate::snapshot::load(
            "t.yaml",
            "apiVersion: monitoring.coreos.com/v1\nkind: Alertmanager\nmetadata: {name: main, namespace: mon}\nspec: {version: v0.27.0}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: am, namespace: mon}\nspec: {selector: {app.kubernetes.io/version: 0.27.0, alertmanager: main}}\n",
        )
        .unwrap()
        .0;
        let options = OperatorOptions::default();
        let behind = alertmanagers_behind(&snap, &options, "mon", "am");
        assert_eq!(behind.len(), 1);
    }

    #[test]
    fn the_alertmanager_port_keeps_targets_by_endpoint_port_name_or_container_port_number() {
        let snap = crate::snapshot::load(
            "t.yaml",
            "apiVersion: monitoring.coreos.com/v1\nkind: Alertmanager\nmetadata: {name: main, namespace: mon}\nspec: {version: v0.27.0}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: am, namespace: mon}\nspec: {selector: {alertmanager: main}, ports: [{name: web, port: 80, targetPort: 9093}, {name: gone, port: 81, targetPort: nope}]}\n",
        )
        .unwrap()
        .0;
        let options = OperatorOptions::default();
        let am = &snap.alertmanagers[0];
        let problem = |port: IntOrString| port_problem(&snap, &options, "mon", "am", am, &port);
        assert_eq!(problem(IntOrString::String("web".into())), None);
        assert_eq!(problem(IntOrString::String("w.b".into())), None, "a regex");
        assert_eq!(problem(IntOrString::Int(9093)), None);
        assert!(
            problem(IntOrString::String("http".into()))
                .is_some_and(|p| p.contains("no port named \"http\" (its ports: web, gone)"))
        );
        assert!(
            problem(IntOrString::String("gone".into()))
                .is_some_and(|p| p.contains("targets port \"nope\""))
        );
        assert!(
            problem(IntOrString::Int(80))
                .is_some_and(|p| p.contains("no container port 80 (they have 8080, 9093, 9094)"))
        );
        // The governing Service the operator makes names its web port "web".
        let governing = |port: IntOrString| {
            port_problem(&snap, &options, "mon", "alertmanager-operated", am, &port)
        };
        assert_eq!(governing(IntOrString::String("web".into())), None);
        assert!(governing(IntOrString::String("http".into())).is_some());
        // A Service not in the input: nothing to check the name against.
        let absent = IntOrString::String("http".into());
        assert_eq!(
            port_problem(&snap, &options, "mon", "other", am, &absent),
            None
        );
    }

    #[test]
    fn the_matcher_strategy_decides_what_is_injected() {
        let am = |strategy: Option<&str>| {
            let mut am = Alertmanager::default();
            am.metadata.namespace = Some("mon".to_owned());
            am.spec.alertmanager_config_matcher_strategy = strategy.map(|s| {
                crate::monitoring::v1::alertmanager::AlertmanagerConfigMatcherStrategy {
                    type_: Some(s.to_owned()),
                }
            });
            am
        };
        let enforced =
            |strategy, key: &str| Origin::new(&am(strategy), key.to_owned()).namespace_matcher;
        assert!(enforced(None, "shop/x"));
        assert!(!enforced(Some("None"), "shop/x"));
        let except = Some("OnNamespaceExceptForAlertmanagerNamespace");
        assert!(enforced(except, "shop/x") && !enforced(except, "mon/x"));

        // The same route, merged without the operator's matcher: a `namespace` matcher the
        // resource wrote itself is not reported as injected.
        let snap = snapshot();
        let RoutedConfiguration {
            text, mut origins, ..
        } = rendered_alertmanager_config(
            &snap,
            &snap.alertmanagers[0],
            &OperatorOptions::default(),
        )
        .unwrap();
        origins.iter_mut().for_each(|o| o.namespace_matcher = false);
        let config = crate::yaml::parse(&text).unwrap();
        let alert = labels(&[("alertname", "ShopDown"), ("namespace", "shop")]);
        let route = route_alert(&RouteRequest {
            config: &config,
            labels: &alert,
            at: None,
            firing: &[],
            origins: &origins,
            mode: ParseMode::default(),
        })
        .unwrap();
        assert!(
            route
                .trace
                .iter()
                .all(|t| t.matchers.iter().all(|m| !m.injected))
        );
    }

    #[test]
    fn routing_marks_injected_matchers_continue_and_time() {
        let snap = snapshot();
        let am = &snap.alertmanagers[0];
        let RoutedConfiguration { text, origins, .. } =
            rendered_alertmanager_config(&snap, am, &OperatorOptions::default()).unwrap();
        let config = crate::yaml::parse(&text).unwrap();
        let alert = labels(&[
            ("alertname", "ShopDown"),
            ("namespace", "shop"),
            ("severity", "critical"),
            ("team", "office"),
        ]);
        let saturday = crate::routing::parse_instant("2024-01-06T10:00:00Z").unwrap();
        let route = route_alert(&RouteRequest {
            config: &config,
            labels: &alert,
            at: Some(saturday),
            firing: &[],
            origins: &origins,
            mode: ParseMode::default(),
        })
        .unwrap();
        assert_eq!(route.receivers, ["shop/shop-team/shop-office", "oncall"]);
        assert_eq!(route.notified, ["oncall"]);
        let platform = route.trace.iter().find(|t| t.path == "0").unwrap();
        assert!(platform.matchers[0].injected && platform.matchers[0].matched == Some(false));
        assert!(route.trace.iter().any(|t| t.path == "1" && t.continued));
        assert_eq!(route.inhibit_rules[0].verdict, "target-not-matched");
        let too_many = vec![LabelSet::new(); MAX_FIRING_ALERTS + 1];
        assert_eq!(
            route_alert(&RouteRequest {
                config: &config,
                labels: &alert,
                at: None,
                firing: &too_many,
                origins: &origins,
                mode: ParseMode::default(),
            }),
            Err(AlertPathError::TooManyFiring)
        );
    }

    /// The fixture's `ShopDown` alert of PrometheusRule shop/shop-rules, on `series`.
    fn shop_down(series: &LabelSet) -> RuleRouteRequest<'_> {
        RuleRouteRequest {
            namespace: Some("shop"),
            name: "shop-rules",
            alert: "ShopDown",
            labels: series,
            at: None,
            firing: &[],
        }
    }

    #[test]
    fn rule_alerts_carry_enforced_and_external_labels() {
        let snap = snapshot();
        let series = labels(&[("job", "shop"), ("namespace", "elsewhere")]);
        let request = shop_down(&series);
        let path = route_rule_alert(&snap, &request, &OperatorOptions::default()).unwrap();
        let sender = &path.senders[0];
        let out = sender.labels.as_ref().unwrap();
        assert_eq!(out["namespace"], "shop");
        assert_eq!(out["prometheus"], "monitoring/k8s");
        assert!(!out.contains_key("prometheus_replica"));
        let enforced = sender
            .label_steps
            .iter()
            .find(|s| s.source == "enforcedNamespaceLabel")
            .unwrap();
        assert!(enforced.note.contains("overrides"), "{enforced:?}");
        assert_eq!(path.receivers, ["shop/shop-team/shop-pager", "oncall"]);
        let missing = route_rule_alert(
            &snap,
            &RuleRouteRequest {
                alert: "Nope",
                ..request
            },
            &OperatorOptions::default(),
        );
        assert!(matches!(missing, Err(AlertPathError::NoSuchAlert { .. })));
    }

    #[test]
    fn an_external_label_the_alert_already_has_is_shown_with_both_values() {
        let snap = crate::snapshot::load("fixture", FIXTURE).unwrap().0;
        let series = labels(&[("job", "shop"), ("cluster", "staging")]);
        let path =
            route_rule_alert(&snap, &shop_down(&series), &OperatorOptions::default()).unwrap();
        let cluster = path.senders[0]
            .label_steps
            .iter()
            .find(|s| s.source == "external label" && s.label == "cluster")
            .unwrap();
        assert_eq!(cluster.value.as_deref(), Some("prod"));
        assert_eq!(
            cluster.note,
            "not applied: the alert already has cluster=\"staging\""
        );
        assert_eq!(
            path.senders[0].labels.as_ref().unwrap()["cluster"],
            "staging"
        );
    }

    #[test]
    fn external_labels_show_the_reloader_environment_of_the_first_pod() {
        let zoned = FIXTURE.replace(
            "  externalLabels: {cluster: prod}\n",
            "  externalLabels: {cluster: prod}\n  shards: 2\n  \
             shardingStrategy: {mode: Topology, topology: {values: [eu-a, eu-b]}}\n",
        );
        let snap = crate::snapshot::load("fixture", &zoned).unwrap().0;
        let series = labels(&[("job", "shop")]);
        let path =
            route_rule_alert(&snap, &shop_down(&series), &OperatorOptions::default()).unwrap();
        let zone = path.senders[0]
            .label_steps
            .iter()
            .find(|s| s.source == "external label" && s.label == "zone")
            .unwrap();
        assert_eq!(zone.value.as_deref(), Some("eu-a"));
        assert!(zone.note.contains("prometheus-k8s-0"), "{zone:?}");
    }

    const RULE_LABELS: &str =
        include_str!("../../tests/fixtures/alert_path/promrule/rule_labels.yaml");
    const THANOS_RULER: &str =
        include_str!("../../tests/fixtures/alert_path/promrule/thanos_ruler.yaml");

    fn map(pairs: &[(&str, &str)]) -> Labels {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn label_templates_expand_the_common_forms_and_say_when_they_cannot() {
        let series = map(&[("job", "api"), ("instance", "10.0.0.1:80")]);
        let external = map(&[("cluster", "prod")]);
        let expand = |text| expand_label_value("A", text, &series, Ok(&external));
        let known = |text: &str| Expansion::Known(text.to_owned());
        assert_eq!(expand("plain"), known("plain"));
        assert_eq!(expand("{{ $labels.job }}"), known("api"));
        assert_eq!(
            expand("{{.Labels.job}}-{{ .Labels.instance }}"),
            known("api-10.0.0.1:80")
        );
        assert_eq!(expand("{{ $externalLabels.cluster }}"), known("prod"));
        assert_eq!(expand("{{ .ExternalLabels.cluster }}"), known("prod"));
        // missingkey=zero: an external label that is not there is "".
        assert_eq!(expand("{{ $externalLabels.zone }}"), known(""));
        // Trim markers eat the spaces beside them, as Go's do; comments give nothing.
        assert_eq!(expand("a  {{- $labels.job -}}  b"), known("aapib"));
        assert_eq!(expand("a }} b"), known("a }} b"));
        assert_eq!(expand("{{/* who */}}{{ $labels.job }}"), known("api"));
        for (text, why) in [
            ("{{ $labels.team }}", "team is not among --labels"),
            ("{{ $value }}", "the expression's value"),
            ("{{ .Value }}", "the expression's value"),
            ("{{ $labels.job | toUpper }}", "is not evaluated here"),
            ("{{ $labels.job.x }}", "is not evaluated here"),
            // `{{-` without a space is a negative number, not a trim marker.
            ("a {{-1}}", "{{ -1 }} is not evaluated here"),
            (
                "{{ $labels.job",
                "Prometheus refuses the template: template: __alert_A:1: unclosed action",
            ),
            // Go's identifiers take letters and decimal digits, not other numbers.
            ("{{ $labels.job² }}", "bad character U+00B2 '²'"),
            ("{{ $labels.0 }}", "is not evaluated here"),
        ] {
            match expand(text) {
                Expansion::Unknown(message) => assert!(message.contains(why), "{text}: {message}"),
                known => panic!("{text}: {known:?}"),
            }
        }
        assert!(matches!(
            expand_label_value(
                "A",
                "{{ $externalLabels.cluster }}",
                &series,
                Err("unknown")
            ),
            Expansion::Unknown(_)
        ));
    }

    fn rule_labels_path(text: &str, alert: &str, series: &[(&str, &str)]) -> RuleAlertPath {
        let snap = crate::snapshot::load("rule_labels.yaml", text).unwrap().0;
        let series = labels(series);
        let request = RuleRouteRequest {
            namespace: Some("team-a"),
            name: "rules",
            alert,
            labels: &series,
            at: None,
            firing: &[],
        };
        route_rule_alert(&snap, &request, &OperatorOptions::default()).unwrap()
    }

    #[test]
    fn group_labels_join_the_rule_labels_where_the_version_keeps_them() {
        let path = rule_labels_path(RULE_LABELS, "Down", &[("namespace", "team-a")]);
        let sender = &path.senders[0];
        let out = sender.labels.as_ref().unwrap();
        assert_eq!(out["team"], "payments");
        assert_eq!(out["severity"], "critical", "the rule's own value wins");
        let from_group: Vec<_> = sender
            .label_steps
            .iter()
            .filter(|s| s.source == "group labels")
            .map(|s| (s.label.as_str(), s.note.as_str()))
            .collect();
        assert_eq!(
            from_group,
            [
                ("severity", "overridden by the rule's own value"),
                ("team", "")
            ]
        );
        assert_eq!(path.receivers, ["team-a/a/payments"]);
        assert!(path.undetermined.is_empty());

        // Prometheus 2 never sees them: the operator leaves them out of the file.
        let v2 = RULE_LABELS.replace("v3.5.0", "v2.55.0");
        let path = rule_labels_path(&v2, "Down", &[("namespace", "team-a")]);
        let sender = &path.senders[0];
        assert!(!sender.labels.as_ref().unwrap().contains_key("team"));
        assert!(
            sender
                .notes
                .iter()
                .any(|n| n.contains("spec.groups[0].labels") && n.contains("3.0.0")),
            "{:?}",
            sender.notes
        );
        assert_eq!(path.receivers, ["null"]);
    }

    #[test]
    fn templated_labels_route_expanded_or_undetermined() {
        let series = [("namespace", "team-a"), ("job", "payments")];
        let path = rule_labels_path(RULE_LABELS, "FromSeries", &series);
        assert_eq!(path.senders[0].labels.as_ref().unwrap()["team"], "payments");
        assert_eq!(path.receivers, ["team-a/a/payments"]);
        assert!(path.undetermined.is_empty());

        let path = rule_labels_path(RULE_LABELS, "FromExternal", &series);
        let out = path.senders[0].labels.as_ref().unwrap();
        assert_eq!(out["team"], "payments");
        assert!(
            !out.contains_key("job"),
            "expanded to \"\": removed: {out:?}"
        );
        assert_eq!(path.receivers, ["team-a/a/payments"]);

        // Without the series' job the team is unknown: the matcher reading it is not a failure.
        let path = rule_labels_path(RULE_LABELS, "FromSeries", &[("namespace", "team-a")]);
        let sender = &path.senders[0];
        assert!(sender.undetermined["team"].contains("job is not among --labels"));
        assert_eq!(path.undetermined, ["team"]);
        let destination = &sender.alertmanagers[0];
        assert_eq!(destination.undetermined, ["team"]);
        let tried = &destination.route.as_ref().unwrap().trace[1];
        let team = tried
            .matchers
            .iter()
            .find(|m| m.matcher.starts_with("team"))
            .unwrap();
        assert!(team.undetermined);
        // The route's outcome is unknown too, not "no match".
        assert!(tried.undetermined && !tried.matched, "{tried:?}");
        assert!(!destination.route.as_ref().unwrap().trace[0].undetermined);

        // A label no matcher reads does not make the answer uncertain.
        let path = rule_labels_path(RULE_LABELS, "FromValue", &series);
        assert!(path.senders[0].undetermined.contains_key("team"));
        assert_eq!(path.undetermined, ["team"]);
        let not_read =
            RULE_LABELS.replace("name: team, value: payments", "name: job, value: payments");
        let path = rule_labels_path(&not_read, "FromValue", &series);
        assert!(path.senders[0].undetermined.contains_key("team"));
        assert!(path.undetermined.is_empty());
        assert_eq!(path.receivers, ["team-a/a/payments"]);
    }

    #[test]
    fn thanos_rulers_are_followed_through_their_alert_queue() {
        let series = labels(&[("ruler", "b"), ("thanos_ruler_replica", "x")]);
        let request = RuleRouteRequest {
            namespace: Some("monitoring"),
            name: "r",
            alert: "A",
            labels: &series,
            at: None,
            firing: &[],
        };
        let snap = crate::snapshot::load("tr.yaml", THANOS_RULER).unwrap().0;
        let path = route_rule_alert(&snap, &request, &OperatorOptions::default()).unwrap();
        let sender = &path.senders[0];
        assert_eq!(
            (sender.instance.as_str(), sender.status),
            ("ThanosRuler monitoring/tr", Status::Selected)
        );
        // Both the alert's own and the external `ruler` are dropped, as the replica label.
        let out = sender.labels.as_ref().unwrap();
        assert!(!out.contains_key("ruler") && !out.contains_key("thanos_ruler_replica"));
        let destination = &sender.alertmanagers[0];
        assert_eq!(destination.alertmanager.as_deref(), Some("monitoring/main"));
        assert_eq!(path.receivers, ["null"]);

        // Not dropped, the external label wins over the alert's value (Prometheus's would
        // not), and the relabelings of the Secret apply after it.
        let relabeled = THANOS_RULER.replace(
            "alertDropLabels: [ruler]",
            "alertRelabelConfigs: {name: relabel, key: r.yaml}",
        ) + "---\napiVersion: v1\nkind: Secret\nmetadata: {name: relabel, namespace: monitoring}\n\
             stringData:\n  r.yaml: |\n    - {source_labels: [ruler], target_label: seen}\n";
        let snap = crate::snapshot::load("tr.yaml", &relabeled).unwrap().0;
        let path = route_rule_alert(&snap, &request, &OperatorOptions::default()).unwrap();
        let out = path.senders[0].labels.as_ref().unwrap();
        assert_eq!((out["ruler"].as_str(), out["seen"].as_str()), ("a", "a"));
        let external = path.senders[0]
            .label_steps
            .iter()
            .find(|s| s.source == "external label" && s.label == "ruler")
            .unwrap();
        assert!(
            external.note.contains("overrides the alert's \"b\""),
            "{external:?}"
        );
    }

    /// `rules` (YAML) applied to `labels` with `team` undetermined.
    fn relabel_with_unknown_team(
        labels: &[(&str, &str)],
        rules: &str,
    ) -> (Relabeled, Labels, Undetermined) {
        let mut labels = map(labels);
        let mut undetermined = Undetermined::from([("team".to_owned(), "why".to_owned())]);
        let rules = crate::yaml::parse(rules).unwrap();
        let relabeled = apply_relabel(
            &mut labels,
            &mut undetermined,
            Some(&rules),
            NameValidationScheme::Utf8,
            "alert_relabel_configs",
            &mut Vec::new(),
        )
        .unwrap();
        (relabeled, labels, undetermined)
    }

    #[test]
    fn relabeling_by_an_undetermined_label_decides_nothing_for_certain() {
        let raw = [("team", "{{ $labels.job }}"), ("a", "1")];
        // keep/drop on it: may drop, the alert goes on unchanged.
        for rules in [
            "[{action: keep, source_labels: [team], regex: payments}]",
            "[{action: drop, source_labels: [team], regex: '.*'}]",
            "[{action: keepequal, source_labels: [a], target_label: team}]",
        ] {
            let (relabeled, labels, _) = relabel_with_unknown_team(&raw, rules);
            assert!(!relabeled.dropped, "{rules}");
            assert_eq!(relabeled.may_drop.len(), 1, "{rules}");
            assert!(relabeled.may_drop[0].contains("it reads team"), "{rules}");
            assert_eq!(relabeled.read, BTreeSet::from(["team".to_owned()]));
            assert_eq!(labels, map(&raw));
        }
        // A known label still drops for certain.
        let (relabeled, ..) =
            relabel_with_unknown_team(&raw, "[{action: drop, source_labels: [a], regex: '1'}]");
        assert!(relabeled.dropped && relabeled.may_drop.is_empty());
        // Written from it: the target becomes undetermined, even when the unexpanded text does
        // not match the regex.
        let (relabeled, labels, undetermined) = relabel_with_unknown_team(
            &raw,
            "[{source_labels: [team], regex: 'pay(.*)', target_label: owner}, \
              {source_labels: [team], target_label: squad}]",
        );
        assert!(!relabeled.dropped && relabeled.may_drop.is_empty());
        assert!(!labels.contains_key("owner"));
        assert_eq!(labels["squad"], "{{ $labels.job }}");
        assert!(undetermined["owner"].contains("alert_relabel_configs[0] (replace) sets it"));
        assert!(undetermined.contains_key("squad"));
        // Overwritten from a known label, or removed: no longer undetermined.
        let (_, labels, undetermined) =
            relabel_with_unknown_team(&raw, "[{source_labels: [a], target_label: team}]");
        assert_eq!(labels["team"], "1");
        assert!(undetermined.is_empty());
        let (_, labels, undetermined) =
            relabel_with_unknown_team(&raw, "[{action: labeldrop, regex: team}]");
        assert!(!labels.contains_key("team") && undetermined.is_empty());
    }

    #[test]
    fn routing_parses_matchers_as_the_alertmanager_version_and_flags_do() {
        let am = |version: &str, features: &[&str]| {
            let mut am = Alertmanager::default();
            am.spec.version = Some(version.to_owned());
            am.spec.enable_features = features.iter().map(|f| (*f).to_owned()).collect();
            am
        };
        assert_eq!(parse_mode_of(&am("v0.26.0", &[])), ParseMode::Classic);
        assert_eq!(parse_mode_of(&am("v0.28.0", &[])), ParseMode::Fallback);
        assert_eq!(
            parse_mode_of(&am("v0.28.0", &["utf8-strict-mode"])),
            ParseMode::Utf8Strict
        );
        // The UTF-8 parser reads the escapes; the fallback keeps the classic reading when the
        // two disagree.
        let config = crate::yaml::parse(
            "route:\n  receiver: d\n  routes:\n  - receiver: smile\n    \
             matchers: ['foo=\"\\xf0\\x9f\\x99\\x82\"']\nreceivers: [{name: d}, {name: smile}]\n",
        )
        .unwrap();
        let alert = labels(&[("foo", "🙂")]);
        let receivers = |mode| {
            route_alert(&RouteRequest {
                config: &config,
                labels: &alert,
                at: None,
                firing: &[],
                origins: &[],
                mode,
            })
            .unwrap()
            .receivers
        };
        assert_eq!(receivers(ParseMode::Utf8Strict), ["smile"]);
        assert_eq!(receivers(ParseMode::Fallback), ["d"]);
    }

    #[test]
    fn an_unmanaged_prometheus_leaves_external_labels_unknown() {
        let unmanaged = RULE_LABELS.replace("  serviceMonitorSelector: {}\n", "");
        let series = [("namespace", "team-a"), ("job", "payments")];
        let path = rule_labels_path(&unmanaged, "FromExternal", &series);
        let sender = &path.senders[0];
        assert!(
            sender.undetermined["job"].contains("what the user writes"),
            "{:?}",
            sender.undetermined
        );
    }
}
