//! `route`: where an alert goes, from an Alertmanager's side (`route alertmanager NAME
//! --labels ...`) or from an alerting rule's (`route prometheusrule NAME --alert ALERTNAME`).
//! Parses, reads the input, calls `promop::explain::alert_path`, prints.

use std::path::PathBuf;

use anyhow::anyhow;
use colored::Colorize;
use promop::cluster::FetchPlan;
use promop::explain::Status;
use promop::explain::alert_path::{
    self, AlertPathError, AlertRoute, LabelStep, RouteRequest, RuleAlertPath, RuleRouteRequest,
};
use promop::instance::InstanceKind;
use promop::routing::{LabelSet, ParseMode, Timestamp, labels_from_args, parse_instant};
use promop::snapshot::Snapshot;
use serde::Serialize;

use super::CliError;
use super::input::InputArgs;
use super::kube_args::KubeArgs;
use super::live::{self, InstanceName};
use super::operator::OperatorArgs;
use super::output;
use super::progress::Progress;
use super::resource_arg::{self, Kind};

/// Arguments of `route`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to start, as TYPE NAME or TYPE/NAME: alertmanager (am) or prometheusrule
    /// (promrule).
    #[arg(value_name = "TYPE[/NAME]", num_args = 1..=2, required = true)]
    resource: Vec<String>,
    /// The alert's labels, `name=value` separated by commas (repeatable). With a
    /// PrometheusRule: the labels only known at evaluation time (from the series), which
    /// rule label templates (`{{ $labels.NAME }}`) read; a matcher reading a label not given
    /// here takes it as absent, so give the series' labels the routing reads.
    #[arg(long, value_name = "NAME=VALUE,...", value_delimiter = ',')]
    labels: Vec<String>,
    /// The alerting rule (`alert:`) to follow, with a PrometheusRule.
    #[arg(long, value_name = "ALERTNAME")]
    alert: Option<String>,
    /// The instant for time intervals, RFC 3339 (default: now).
    #[arg(long, value_name = "TIME")]
    at: Option<String>,
    /// An alert firing at the same time, as a possible inhibition source: `name=value,...`
    /// (repeatable, one alert each).
    #[arg(long, value_name = "NAME=VALUE,...")]
    firing: Vec<String>,
    /// From the cluster, route through the configuration rendered from its objects instead
    /// of the live `-generated` Secret.
    #[arg(long)]
    rendered: bool,
    /// Manifest files or directories; without them the cluster is read.
    #[arg(short = 'f', long = "filename", value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Descend into sub-directories of the directories given with -f.
    #[arg(short = 'R', long)]
    recursive: bool,
    /// Output format: table (default), json or yaml.
    #[arg(short = 'o', long = "output", value_enum, default_value_t = Format::Table)]
    output: Format,
    /// Largest decompressed live configuration accepted.
    #[arg(long, value_name = "BYTES", default_value_t = promop::decode::DEFAULT_DECOMPRESSED_LIMIT)]
    max_decompressed_bytes: usize,
    #[command(flatten)]
    kube: KubeArgs,
    #[command(flatten)]
    operator: OperatorArgs,
}

/// Output formats of `route`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Table,
    Json,
    Yaml,
}

/// The answer for an Alertmanager, with where its configuration came from.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AlertmanagerRoute<'a> {
    api_version: &'static str,
    kind: &'static str,
    alertmanager: String,
    configuration: String,
    /// The AlertmanagerConfigs the operator leaves out of a rendered configuration, and why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    not_merged: Vec<String>,
    #[serde(flatten)]
    route: &'a AlertRoute,
}

/// Runs `route`.
pub fn run(args: &Args) -> Result<(), CliError> {
    let resource = resource_arg::parse(&args.resource, resource_arg::ROUTABLE_KINDS)?;
    let name = resource.require_name()?.to_owned();
    let labels = labels_from_args(&args.labels, ParseMode::default()).map_err(CliError::usage)?;
    let firing = args
        .firing
        .iter()
        .map(|alert| {
            let words: Vec<&str> = alert.split(',').filter(|w| !w.is_empty()).collect();
            labels_from_args(&words, ParseMode::default()).map_err(CliError::usage)
        })
        .collect::<Result<Vec<LabelSet>, CliError>>()?;
    let at: Timestamp = match &args.at {
        Some(text) => parse_instant(text).map_err(CliError::usage)?,
        None => Timestamp::now(),
    };
    let text = match resource.kind {
        Kind::PrometheusRule => {
            let alert = args.alert.as_deref().ok_or_else(|| {
                CliError::usage(anyhow!(
                    "give the alerting rule to follow with --alert ALERTNAME"
                ))
            })?;
            let (snapshot, namespace) = load(args)?;
            let options = args.operator.resolve(&snapshot)?;
            let path = alert_path::route_rule_alert(
                &snapshot,
                &RuleRouteRequest {
                    namespace: namespace.as_deref(),
                    name: &name,
                    alert,
                    labels: &labels,
                    at: Some(at),
                    firing: &firing,
                },
                &options,
            )
            .map_err(|error| match error {
                // A refused configuration is invalid input; a name the input lacks is usage.
                AlertPathError::Routing(_) => CliError::invalid(error),
                _ => CliError::usage(error),
            })?;
            match args.output {
                Format::Table => rule_text(&path),
                format => serialized(&path, format)?,
            }
        }
        _ => {
            if labels.is_empty() {
                return Err(CliError::usage(anyhow!(
                    "give the alert's labels with --labels name=value,name=value"
                )));
            }
            let RouteSource {
                text: config_text,
                origins,
                mode,
                alertmanager: am_key,
                how: source,
                not_merged,
            } = alertmanager_config(args, &name)?;
            let failed = |e: &dyn std::fmt::Display| {
                CliError::invalid(anyhow!(
                    "the configuration of Alertmanager {am_key} ({source}): {e}"
                ))
            };
            let config = promop::yaml::parse(&config_text).map_err(|e| failed(&e))?;
            let route = alert_path::route_alert(&RouteRequest {
                config: &config,
                labels: &labels,
                at: Some(at),
                firing: &firing,
                origins: &origins,
                mode,
            })
            .map_err(|e| failed(&e))?;
            let answer = AlertmanagerRoute {
                api_version: "promop.dev/v1",
                kind: "AlertRoute",
                alertmanager: am_key,
                configuration: source,
                not_merged,
                route: &route,
            };
            match args.output {
                Format::Table => {
                    // Why a route someone expects may be missing, before the walk.
                    for left_out in &answer.not_merged {
                        super::output::warn(&format!("{left_out}: none of its routes is below"));
                    }
                    alertmanager_text(&answer)
                }
                format => serialized(&answer, format)?,
            }
        }
    };
    match args.output {
        Format::Json | Format::Yaml => output::print(&text),
        Format::Table => output::print_colored_text(&text),
    }
}

/// The snapshot and the namespace to look the object up in (`None`: any).
fn load(args: &Args) -> Result<(Snapshot, Option<String>), CliError> {
    if !args.files.is_empty() {
        let input = InputArgs::new(&args.files, args.recursive);
        return Ok((
            input.load(&args.kube)?,
            args.kube.namespace().map(str::to_owned),
        ));
    }
    live::block_on(async {
        let cluster = args.kube.connect().await?;
        // The Alertmanagers' base-configuration Secrets come with the references it reads.
        let snapshot = live::fetch_snapshot(
            &cluster,
            FetchPlan {
                workloads: true,
                operator: true,
            },
        )
        .await?;
        Ok((snapshot, Some(cluster.namespace().to_owned())))
    })?
}

/// The Alertmanager's configuration to route through.
struct RouteSource {
    /// The configuration's text.
    text: String,
    /// The AlertmanagerConfigs merged into it.
    origins: Vec<alert_path::Origin>,
    /// How the Alertmanager parses its matchers.
    mode: ParseMode,
    /// Its `namespace/name`.
    alertmanager: String,
    /// Where the text came from.
    how: String,
    /// The AlertmanagerConfigs left out of a rendered configuration, and why.
    not_merged: Vec<String>,
}

/// The configuration of Alertmanager `name`, rendered or live.
fn alertmanager_config(args: &Args, name: &str) -> Result<RouteSource, CliError> {
    let rendered = |snapshot: &Snapshot, namespace: Option<&str>, how: &str| {
        let options = args.operator.resolve(snapshot)?;
        let am = promop::snapshot::find_named(&snapshot.alertmanagers, namespace, name)
            .map_err(super::target::find_error)?;
        let key = format!(
            "{}/{}",
            am.metadata.namespace.as_deref().unwrap_or(""),
            am.metadata.name.as_deref().unwrap_or("")
        );
        let rendered = alert_path::rendered_alertmanager_config(snapshot, am, &options)
            .map_err(CliError::invalid_in(format!("Alertmanager {key}")))?;
        output::warn_not_reconciled(
            rendered.ignored.as_deref(),
            "it does not write this configuration",
        );
        for refused in &rendered.refused {
            output::warn(&format!("{refused}: the routes below never take effect"));
        }
        let how = match &rendered.copied_from {
            Some(base) => format!("{how}: {base}, copied as is"),
            None => how.to_owned(),
        };
        Ok::<_, CliError>(RouteSource {
            text: rendered.text,
            origins: rendered.origins,
            mode: rendered.mode,
            alertmanager: key,
            how,
            not_merged: rendered.not_merged,
        })
    };
    if !args.files.is_empty() {
        let (snapshot, namespace) = load(args)?;
        return rendered(&snapshot, namespace.as_deref(), "rendered from files");
    }
    let (snapshot, namespace) = load(args)?;
    if args.rendered {
        return rendered(
            &snapshot,
            namespace.as_deref(),
            "rendered from the cluster's objects",
        );
    }
    let namespace = namespace.unwrap_or_else(|| "default".to_owned());
    let instance = InstanceName {
        kind: InstanceKind::Alertmanager,
        name: name.to_owned(),
    };
    let stored = live::block_on(async {
        let _progress = Progress::start("reading the live configuration");
        let cluster = args.kube.connect().await?;
        live::read_live_config(&cluster, &namespace, &instance, args.max_decompressed_bytes).await
    })??;
    let origins = alert_path::live_origins(&snapshot, &namespace, name);
    Ok(RouteSource {
        text: stored.text,
        origins,
        mode: alert_path::live_parse_mode(&snapshot, &namespace, name),
        alertmanager: format!("{namespace}/{name}"),
        how: format!("live Secret {}", stored.secret),
        not_merged: Vec::new(),
    })
}

fn serialized<T: Serialize>(value: &T, format: Format) -> Result<String, CliError> {
    let mut json = serde_json::to_value(value)
        .map_err(|e| CliError::usage(anyhow!("cannot serialize the answer: {e}")))?;
    if let Some(object) = json.as_object_mut() {
        object
            .entry("apiVersion")
            .or_insert_with(|| "promop.dev/v1".into());
    }
    if format == Format::Yaml {
        promop::yaml::to_string(&json)
            .map_err(|e| CliError::usage(anyhow!("cannot serialize the answer: {e}")))
    } else {
        output::json_text(&json)
    }
}

fn safe(text: &str) -> String {
    output::escaped(text).into_owned()
}

fn show(labels: &promop::explain::Labels) -> String {
    safe(&promop::explain::show_labels(labels))
}

fn route_name(path: &str) -> String {
    if path.is_empty() {
        "route (root)".to_owned()
    } else {
        format!(
            "routes[{}]",
            path.split('/').collect::<Vec<_>>().join("].routes[")
        )
    }
}

/// The routing of one alert, as text.
fn route_text(route: &AlertRoute, indent: &str) -> String {
    let mut text = format!("{indent}{} {}\n", "alert".bold(), show(&route.labels));
    if let Some(at) = &route.at {
        text.push_str(&format!("{indent}at {at}\n"));
    }
    text.push_str(&format!("{indent}{}\n", "routes tried".bold()));
    for tried in &route.trace {
        let pad = "  ".repeat(tried.depth + 1);
        let verdict = if tried.undetermined {
            "unknown".yellow()
        } else if tried.matched {
            "matched".green()
        } else {
            "no match".yellow()
        };
        let mut flags = Vec::new();
        if tried.selected {
            flags.push("-> receiver".to_owned());
        }
        if tried.continued {
            flags.push("continue: later routes tried too".to_owned());
        }
        if !tried.skipped.is_empty() {
            flags.push(format!(
                "stops here: {} later route(s) not tried",
                tried.skipped.len()
            ));
        }
        text.push_str(&format!(
            "{indent}{pad}{} {verdict}  receiver {}  ({}){}\n",
            route_name(&tried.path),
            safe(&tried.receiver),
            safe(&tried.origin.to_string()),
            if flags.is_empty() {
                String::new()
            } else {
                format!("  [{}]", flags.join("; "))
            }
        ));
        for m in &tried.matchers {
            let outcome = match m.matched {
                Some(_) if m.undetermined => "unknown".yellow(),
                Some(true) => "ok".green(),
                Some(false) => "FAILS".red(),
                None => "not evaluated".normal(),
            };
            let value = match &m.value {
                Some(v) if m.undetermined => {
                    format!("alert has {:?} until Prometheus expands it", safe(v))
                }
                Some(v) => format!("alert has {:?}", safe(v)),
                None => "label absent".to_owned(),
            };
            let injected = if m.injected {
                "  (injected by the operator for the AlertmanagerConfig's namespace)"
            } else {
                ""
            };
            text.push_str(&format!(
                "{indent}{pad}    {} {outcome} ({value}){injected}\n",
                safe(&m.matcher)
            ));
        }
    }
    text.push_str(&format!(
        "{indent}{} {}\n",
        "receivers:".bold(),
        safe(&route.receivers.join(", "))
    ));
    for r in &route.routes {
        let mut line = format!(
            "{indent}  {} <- {} ({})  group_by [{}]  group_wait {}  group_interval {}  repeat_interval {}",
            safe(&r.receiver),
            route_name(&r.path),
            safe(&r.origin.to_string()),
            safe(&r.group_by.join(", ")),
            r.group_wait,
            r.group_interval,
            r.repeat_interval
        );
        if let Some(time) = &r.time {
            if !time.muted_by.is_empty() {
                line.push_str(&format!(
                    "  {} by {}",
                    "muted".red(),
                    safe(&time.muted_by.join(", "))
                ));
            }
            if time.outside_active {
                line.push_str(&format!(
                    "  {} (active only in {})",
                    "inactive now".red(),
                    safe(&r.active_time_intervals.join(", "))
                ));
            } else if !time.active_in.is_empty() {
                line.push_str(&format!("  active in {}", safe(&time.active_in.join(", "))));
            }
        } else if !r.mute_time_intervals.is_empty() || !r.active_time_intervals.is_empty() {
            line.push_str("  (time intervals: give --at)");
        }
        text.push_str(&line);
        text.push('\n');
    }
    let relevant: Vec<_> = route
        .inhibit_rules
        .iter()
        .filter(|i| i.verdict != "target-not-matched")
        .collect();
    if !relevant.is_empty() {
        text.push_str(&format!("{indent}{}\n", "inhibit rules".bold()));
        for i in relevant {
            let tag = if i.verdict == "muted" {
                i.verdict.red()
            } else {
                i.verdict.yellow()
            };
            text.push_str(&format!(
                "{indent}  inhibit_rules[{}] {tag}: {}\n",
                i.index,
                safe(&i.message)
            ));
        }
    }
    let notified = if route.notified.is_empty() {
        "nobody".red().to_string()
    } else {
        safe(&route.notified.join(", "))
    };
    text.push_str(&format!("{indent}{} {notified}\n", "notified:".bold()));
    text
}

fn alertmanager_text(answer: &AlertmanagerRoute<'_>) -> String {
    let mut text = format!(
        "{} {}  (configuration: {})\n",
        "Alertmanager".bold(),
        answer.alertmanager,
        answer.configuration
    );
    text.push_str(&route_text(answer.route, ""));
    text
}

fn steps_text(steps: &[LabelStep], indent: &str) -> String {
    steps
        .iter()
        .map(|s| {
            let value = match &s.value {
                Some(v) => format!("{}={:?}", safe(&s.label), safe(v)),
                None if s.label.is_empty() => "(alert dropped)".to_owned(),
                None => format!("{} removed", safe(&s.label)),
            };
            let note = if s.note.is_empty() {
                String::new()
            } else {
                format!("  ({})", safe(&s.note))
            };
            format!("{indent}{:<24} {value}{note}\n", s.source)
        })
        .collect()
}

/// Relabelings that may drop the alert, one line each.
fn may_drop_text(may_drop: &[String], indent: &str) -> String {
    may_drop
        .iter()
        .map(|why| {
            format!(
                "{indent}{} {}\n",
                "may be dropped:".yellow().bold(),
                safe(why)
            )
        })
        .collect()
}

fn rule_text(path: &RuleAlertPath) -> String {
    let mut text = format!(
        "{}  alert {}  ({})\n  expr: {}\n",
        super::explain::heading(&path.object),
        safe(&path.alert),
        path.field,
        safe(&path.expr.split_whitespace().collect::<Vec<_>>().join(" "))
    );
    if path.senders.is_empty() {
        text.push_str("no Prometheus or ThanosRuler in the input\n");
    }
    for sender in &path.senders {
        text.push_str(&format!(
            "\n{} ({})\n",
            sender.instance.bold(),
            sender.status
        ));
        for reason in &sender.reasons {
            text.push_str(&format!("  {}\n", safe(reason)));
        }
        for note in &sender.notes {
            text.push_str(&format!("  {} {}\n", "note:".yellow().bold(), safe(note)));
        }
        text.push_str("  labels, step by step:\n");
        text.push_str(&steps_text(&sender.label_steps, "    "));
        let kind = sender.instance.split(' ').next().unwrap_or_default();
        match &sender.labels {
            Some(labels) => text.push_str(&format!("  leaves {kind} with {}\n", show(labels))),
            None => text.push_str("  dropped by alert relabeling: never sent\n"),
        }
        text.push_str(&may_drop_text(&sender.may_drop, "  "));
        for d in &sender.alertmanagers {
            text.push_str(&format!(
                "\n  {} {}{}\n",
                "sent to".bold(),
                safe(&d.endpoint),
                d.alertmanager
                    .as_deref()
                    .map(|a| format!(" = Alertmanager {a} (configuration rendered)"))
                    .unwrap_or_default()
            ));
            text.push_str(&steps_text(&d.label_steps, "    "));
            text.push_str(&may_drop_text(&d.may_drop, "    "));
            if let Some(problem) = &d.problem {
                text.push_str(&format!(
                    "    {} {}\n",
                    "problem:".red().bold(),
                    safe(problem)
                ));
            }
            if let Some(route) = &d.route {
                text.push_str(&route_text(route, "    "));
            }
            if !d.undetermined.is_empty() {
                text.push_str(&format!(
                    "    {} the path reads {}, known only when Prometheus evaluates the rule\n",
                    "not certain:".yellow().bold(),
                    safe(&d.undetermined.join(", "))
                ));
            }
        }
    }
    text.push('\n');
    let uncertain = if path.undetermined.is_empty() {
        String::new()
    } else {
        format!(
            "  ({} they depend on {}, known only when Prometheus evaluates the rule)",
            "not certain:".yellow().bold(),
            safe(&path.undetermined.join(", "))
        )
    };
    let receivers = if !path.receivers.is_empty() {
        safe(&path.receivers.join(", "))
    } else if path.senders.iter().any(|s| s.status == Status::Selected) {
        "none: the alert reaches no receiver".to_owned()
    } else {
        "none: no Prometheus or ThanosRuler loads the rule".to_owned()
    };
    text.push_str(&format!("{} {receivers}{uncertain}\n", "receivers:".bold(),));
    text
}
