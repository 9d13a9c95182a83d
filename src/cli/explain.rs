//! `explain`: why a monitor is (not) picked up, from a Prometheus's or a monitor's side.

use std::path::PathBuf;

use anyhow::anyhow;
use colored::Colorize;
use comfy_table::{Cell, Color, ContentArrangement, Table, presets};
use promop::cluster::FetchPlan;
use promop::explain::alertmanager::{
    AlertmanagerConfigExplanation, AlertmanagerExplanation, GeneratedPart,
};
use promop::explain::rules::PrometheusRuleExplanation;
use promop::explain::{
    self, AccessQuestions, ClusterAccess, EndpointExplanation, ExplainError, InstanceExplanation,
    MonitorExplanation, MonitorKind, Note, ObjectRef, Status, Verdict,
};
use promop::operator::OperatorOptions;
use promop::snapshot::Snapshot;

use super::CliError;
use super::input::InputArgs;
use super::kube_args::KubeArgs;
use super::operator::OperatorArgs;
use super::output::{self, escaped};
use super::progress::Progress;
use super::render_rules::InstanceWords;
use super::resource_arg::{self, Kind};
use super::target::find_error;

/// Arguments of `explain`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to explain, as TYPE NAME or TYPE/NAME: prometheus (prom), prometheusagent
    /// (promagent), servicemonitor (smon), podmonitor (pmon), probe (prb), scrapeconfig (scfg),
    /// alertmanager (am), alertmanagerconfig (amcfg) or prometheusrule (promrule). With -f,
    /// TYPE alone picks the files' only object of that type.
    #[arg(value_name = "TYPE[/NAME]", num_args = 1..=2, required = true)]
    resource: Vec<String>,
    /// Manifest files or directories (e.g. a `kubectl get ... -A -o yaml` dump); without
    /// them the cluster is read.
    #[arg(short = 'f', long = "filename", value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Descend into sub-directories of the directories given with -f.
    #[arg(short = 'R', long)]
    recursive: bool,
    /// Look the object up in every namespace.
    #[arg(short = 'A', long)]
    all_namespaces: bool,
    /// Output format: table (default), wide, json or yaml.
    #[arg(short = 'o', long = "output", value_enum, default_value_t = Format::Table)]
    output: Format,
    /// For an AlertmanagerConfig: the Alertmanager (NAME or NAMESPACE/NAME) whose generated
    /// configuration to show it in (default: the first that selects it).
    #[arg(long, value_name = "NAME")]
    alertmanager: Option<String>,
    /// For a ServiceMonitor, PodMonitor, Probe or ScrapeConfig: the Prometheus or
    /// PrometheusAgent (NAME or NAMESPACE/NAME) whose configuration to show its targets in
    /// (default: the first that selects it).
    #[arg(long, value_name = "NAME")]
    prometheus: Option<String>,
    /// For a ServiceMonitor, PodMonitor or Probe read from the cluster: beside each computed
    /// target, what every pod of the Prometheus reports for it (health, last error, dropped),
    /// read through the API server's pod proxy (needs `get pods/proxy`).
    #[arg(long, conflicts_with = "files")]
    live: bool,
    #[command(flatten)]
    kube: KubeArgs,
    #[command(flatten)]
    operator: OperatorArgs,
}

/// Output formats of `explain`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Table,
    Wide,
    Json,
    Yaml,
}

/// Runs `explain`.
pub fn run(args: &Args) -> Result<(), CliError> {
    let resource = resource_arg::parse(&args.resource, resource_arg::EXPLAINABLE_KINDS)?;
    if args.files.is_empty() {
        // From the cluster NAME is needed; from files, the only object of the type will do.
        resource.require_name()?;
    }
    let scrape_source = matches!(
        resource.kind,
        Kind::ServiceMonitor | Kind::PodMonitor | Kind::Probe | Kind::ScrapeConfig
    );
    if args.live && !scrape_source {
        return Err(CliError::usage(anyhow!(
            "--live applies to servicemonitor, podmonitor, probe and scrapeconfig; `kubectl promop status` shows an instance's pods"
        )));
    }
    if args.prometheus.is_some() && !scrape_source {
        return Err(CliError::usage(anyhow!(
            "--prometheus picks the instance whose targets a servicemonitor, podmonitor, probe \
             or scrapeconfig is shown in; name a Prometheus itself as `explain prometheus NAME`"
        )));
    }
    if args.alertmanager.is_some() && resource.kind != Kind::AlertmanagerConfig {
        return Err(CliError::usage(anyhow!(
            "--alertmanager picks the Alertmanager an alertmanagerconfig is shown in; name an \
             Alertmanager itself as `explain alertmanager NAME`"
        )));
    }
    let (mut snapshot, mut notices, default_namespace) = load(args)?;
    let options = args.operator.resolve(&snapshot)?;
    // In the cluster the operator's kubelet objects are there to be read; files lack them.
    // Only the kinds whose targets explain follows can select them.
    if !args.files.is_empty() && matches!(resource.kind, Kind::ServiceMonitor | Kind::ScrapeConfig)
    {
        notices.extend(promop::kubelet::add_missing(&mut snapshot, &options));
    }
    for notice in &notices {
        output::warn(notice);
    }
    let mut namespace = if args.all_namespaces {
        None
    } else {
        args.kube
            .namespace()
            .map(str::to_owned)
            .or(default_namespace)
    };
    let name = match &resource.name {
        Some(name) => name.clone(),
        None => {
            let searched = args.kube.namespace().filter(|_| !args.all_namespaces);
            let (_, found_in, name) =
                InstanceWords::Only(vec![resource.kind.resource()]).locate(&snapshot, searched)?;
            namespace = found_in.or(namespace);
            name
        }
    };
    // The global --color flag (and NO_COLOR) already decided for `colored`.
    let color = colored::control::SHOULD_COLORIZE.should_colorize();
    if let Some((text, generated)) = alerting_text(
        args,
        resource.kind,
        &snapshot,
        (namespace.as_deref(), &name),
        &options,
        &notices,
        color,
    )? {
        print(&text, args.output)?;
        // The operator refuses the input, as `render alertmanager` says with its exit code.
        return if generated {
            Ok(())
        } else {
            Err(CliError::Differences)
        };
    }
    let instance_kind = match resource.kind {
        Kind::Prometheus => Some(false),
        Kind::PrometheusAgent => Some(true),
        _ => None,
    };
    let monitor_kind = match resource.kind {
        Kind::PodMonitor => MonitorKind::PodMonitor,
        Kind::Probe => MonitorKind::Probe,
        Kind::ScrapeConfig => MonitorKind::ScrapeConfig,
        _ => MonitorKind::ServiceMonitor,
    };
    let text = match instance_kind {
        Some(agent) => {
            let target =
                promop::instance::find_target(&snapshot, agent, namespace.as_deref(), &name)
                    .map_err(|e| lookup_error(e.into()))?;
            let mut explanation = explain::explain_instance(&snapshot, target, &options).map_err(
                CliError::invalid_in(format!(
                    "{} {}/{}",
                    target.kind(),
                    target.namespace(),
                    target.name()
                )),
            )?;
            if let Some(access) =
                cluster_access(args, &explanation.access_questions(), &mut notices)?
            {
                explanation.apply_cluster_access(&access);
            }
            let notes = files_reference_note(args, &explanation.resources);
            match args.output {
                Format::Table | Format::Wide => {
                    let wide = args.output == Format::Wide;
                    instance_table(&explanation, wide, color) + &notes
                }
                Format::Json | Format::Yaml => {
                    serialized(&explanation, &with_notes(&notices, &notes), args.output)?
                }
            }
        }
        None => {
            let mut explanation = explain::explain_monitor(
                &snapshot,
                monitor_kind,
                (namespace.as_deref(), &name),
                &options,
                args.prometheus.as_deref(),
            )
            .map_err(lookup_error)?;
            if let Some(access) =
                cluster_access(args, &explanation.access_questions(), &mut notices)?
            {
                explanation.apply_cluster_access(&access);
            }
            let live = if args.live {
                Some(super::live::block_on(async {
                    let cluster = args.kube.connect().await?;
                    Ok::<_, CliError>(
                        super::explain_live::live_jobs(&cluster, &snapshot, &explanation).await,
                    )
                })??)
            } else {
                None
            };
            let notes = files_reference_note(args, &explanation.instances)
                + &files_workload_note(args, &explanation);
            match args.output {
                Format::Table | Format::Wide => {
                    let mut text = monitor_table(&explanation, args.output == Format::Wide, color);
                    if let Some((jobs, problems)) = &live {
                        text.push_str(&super::explain_live::live_text(jobs, problems));
                    }
                    text + &notes
                }
                Format::Json | Format::Yaml => {
                    let notices = with_notes(&notices, &notes);
                    match live {
                        Some((jobs, problems)) => serialized(
                            &LiveMonitorExplanation {
                                explanation: &explanation,
                                live: jobs,
                                live_problems: problems,
                            },
                            &notices,
                            args.output,
                        )?,
                        None => serialized(&explanation, &notices, args.output)?,
                    }
                }
            }
        }
    };
    print(&text, args.output)
}

/// From files, a rejection for a Secret or ConfigMap that is not found may only mean that the
/// files leave it out (one made in the cluster, by ExternalSecrets say): said once, after the
/// table, when a verdict rests on the operator's reference check.
fn files_reference_note(args: &Args, verdicts: &[explain::Verdict]) -> String {
    let by_reference = verdicts
        .iter()
        .flat_map(|v| &v.reasons)
        .any(|r| r.check.as_deref() == Some("reference"));
    if args.files.is_empty() || !by_reference {
        return String::new();
    }
    "note: references are looked up in the files given: a Secret or ConfigMap only the cluster \
     holds reads as missing here; add it with -f (kubectl get secret NAME -n NAMESPACE -o yaml) \
     or explain from the cluster\n"
        .to_owned()
}

/// From files, a selector that matches no Service or Pod may only mean that the files hold
/// none of what the cluster runs: said once, after the targets.
fn files_workload_note(args: &Args, explanation: &explain::MonitorExplanation) -> String {
    let matches_nothing = matches!(
        explanation.object.kind.as_str(),
        "ServiceMonitor" | "PodMonitor"
    ) && explanation
        .endpoints
        .iter()
        .any(|e| !e.workloads.iter().any(|w| w.matched));
    if args.files.is_empty() || !matches_nothing {
        return String::new();
    }
    "note: Services, Pods and their endpoints are looked up in the files given: add what the \
     cluster runs (kubectl get services,endpoints,endpointslices,pods -A -o yaml) or explain \
     from the cluster\n"
        .to_owned()
}

/// `notices` and the `note: ` lines of `notes`, for `inputNotices`: what the table says after
/// itself about reading files, a script reads there.
fn with_notes(notices: &[String], notes: &str) -> Vec<String> {
    let notes = notes
        .lines()
        .map(|line| line.strip_prefix("note: ").unwrap_or(line).to_owned());
    notices.iter().cloned().chain(notes).collect()
}

/// Prints `text`: JSON and YAML exactly (escaped on a terminal only), tables with their colours.
fn print(text: &str, format: Format) -> Result<(), CliError> {
    match format {
        Format::Json | Format::Yaml => output::print(text),
        Format::Table | Format::Wide => output::print_colored_text(text),
    }
}

/// A monitor's explanation with the pods' view of its targets (`--live`).
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct LiveMonitorExplanation<'a> {
    #[serde(flatten)]
    explanation: &'a MonitorExplanation,
    live: Vec<promop::live_targets::LiveJob>,
    live_problems: Vec<String>,
}

fn lookup_error(error: ExplainError) -> CliError {
    match error {
        ExplainError::Find(_) => CliError::usage(error),
        ExplainError::Select(_) => CliError::invalid(error),
    }
}

/// The snapshot, the notices about what could not be read, and the default namespace
/// (the kubeconfig context's when reading the cluster).
fn load(args: &Args) -> Result<(Snapshot, Vec<String>, Option<String>), CliError> {
    if !args.files.is_empty() {
        let input = InputArgs::new(&args.files, args.recursive);
        return Ok((input.load(&args.kube)?, Vec::new(), None));
    }
    let _progress = Progress::start("reading the cluster");
    super::live::block_on(async {
        let cluster = args.kube.connect().await?;
        let (snapshot, notices) = cluster
            .fetch_snapshot(FetchPlan {
                workloads: true,
                operator: true,
            })
            .await
            .map_err(super::live::cluster_error)?;
        let notices = notices
            .iter()
            .map(|n| format!("{}: {}", n.what, n.message))
            .collect();
        Ok((snapshot, notices, Some(cluster.namespace().to_owned())))
    })?
}

/// From a cluster: what it says about the scraping identity's permissions (notices about
/// what it could not decode are printed and added to `notices`); `None` from files, where
/// the input's RBAC objects were evaluated.
fn cluster_access(
    args: &Args,
    questions: &AccessQuestions,
    notices: &mut Vec<String>,
) -> Result<Option<ClusterAccess>, CliError> {
    if !args.files.is_empty() {
        return Ok(None);
    }
    let _progress = Progress::start("checking RBAC");
    let (access, unread) = super::live::block_on(async {
        let cluster = args.kube.connect().await?;
        cluster
            .review_access(questions)
            .await
            .map_err(super::live::cluster_error)
    })??;
    for notice in &unread {
        let line = format!("{}: {}", notice.what, notice.message);
        output::warn(&line);
        notices.push(line);
    }
    Ok(Some(access))
}

fn serialized<T: serde::Serialize>(
    value: &T,
    notices: &[String],
    format: Format,
) -> Result<String, CliError> {
    let mut json = serde_json::to_value(value)
        .map_err(|e| CliError::usage(anyhow!("cannot serialize the explanation: {e}")))?;
    if let Some(object) = json.as_object_mut() {
        object.insert("apiVersion".to_owned(), "promop.dev/v1".into());
        object.insert("inputNotices".to_owned(), notices.to_vec().into());
    }
    let text = if format == Format::Yaml {
        promop::yaml::to_string(&json)
            .map_err(|e| CliError::usage(anyhow!("cannot serialize the explanation: {e}")))?
    } else {
        output::json_text(&json)?
    };
    Ok(text)
}

fn new_table(color: bool) -> Table {
    let mut table = Table::new();
    table
        .load_preset(presets::NOTHING)
        .set_content_arrangement(ContentArrangement::Disabled);
    if color {
        table.enforce_styling();
    } else {
        table.force_no_tty();
    }
    table
}

fn status_cell(status: Status) -> Cell {
    let cell = Cell::new(status.to_string());
    match status {
        Status::Selected => cell.fg(Color::Green),
        Status::NotSelected => cell.fg(Color::Yellow),
        Status::Rejected => cell.fg(Color::Red),
    }
}

/// The table's text without the padding comfy-table leaves at line ends.
fn table_text(table: &Table) -> String {
    let mut text: String = table
        .lines()
        .map(|line| line.trim_end().to_owned())
        .collect::<Vec<_>>()
        .join("\n");
    text.push('\n');
    text
}

fn header(table: &mut Table, names: &[&str]) {
    table.set_header(names.iter().map(|n| Cell::new(*n)).collect::<Vec<_>>());
}

fn reason_text(verdict: &Verdict, wide: bool) -> String {
    let mut lines = Vec::new();
    for reason in &verdict.reasons {
        if wide {
            lines.push(format!(
                "[{}] {} {} = {}: {}",
                code_name(reason.code),
                reason.object,
                reason.field,
                reason.value,
                reason.message
            ));
        } else {
            lines.push(reason.message.clone());
        }
        for hint in &reason.near_misses {
            lines.push(format!("  hint: {hint}"));
        }
        if wide {
            for related in &reason.related {
                lines.push(format!(
                    "  {} {} = {}",
                    related.object, related.field, related.value
                ));
            }
        }
        if !reason.remedy.is_empty() {
            lines.push(format!("  fix: {}", reason.remedy));
        }
    }
    if wide {
        for c in &verdict.operator_conditions {
            lines.push(format!(
                "operator: {}={} {} {}",
                c.type_, c.status, c.reason, c.message
            ));
        }
    }
    lines.join("\n")
}

fn code_name(code: explain::ReasonCode) -> String {
    serde_json::to_value(code)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// Gaps listed in the instance table before `-o wide` is needed.
const RBAC_GAPS_SHOWN: usize = 6;

fn gap_text(gap: &explain::RbacGap) -> String {
    let namespace = if gap.namespace.is_empty() {
        "(cluster scope)"
    } else {
        &gap.namespace
    };
    format!(
        "{} {} in {}",
        gap.verb,
        escaped(&gap.resource),
        escaped(namespace)
    )
}

/// The first line of an answer: the kind in bold, then `namespace/name`.
pub(super) fn heading(object: &ObjectRef) -> String {
    format!(
        "{} {}/{}",
        object.kind.bold(),
        escaped(&object.namespace),
        escaped(&object.name)
    )
}

fn notes_text(notes: &[Note]) -> String {
    let mut text = String::new();
    for note in notes {
        text.push_str(&format!(
            "{} {}\n",
            "note:".yellow().bold(),
            escaped(&note.message)
        ));
    }
    text
}

fn instance_table(explanation: &InstanceExplanation, wide: bool, color: bool) -> String {
    let mut text = format!(
        "{}  shards: {}  selected: {}  not selected: {}  rejected: {}\n",
        heading(&explanation.object),
        explanation.shards,
        explanation.summary.selected,
        explanation.summary.not_selected,
        explanation.summary.rejected
    );
    if let Some(operator) = &explanation.operator {
        text.push_str(&format!(
            "operator {}: namespaces={} deny-namespaces={} prometheus-instance-namespaces={} controller-id={:?}\n",
            escaped(&operator.deployment),
            escaped(&list_or_all(&operator.namespaces)),
            escaped(&operator.deny_namespaces.join(",")),
            escaped(&operator.prometheus_instance_namespaces.join(",")),
            operator.controller_id
        ));
    }
    text.push_str(&notes_text(&explanation.notes));
    let rbac = &explanation.rbac;
    text.push_str(&format!("{} {}\n", "rbac:".bold(), escaped(&rbac.note)));
    let shown = if wide {
        rbac.gaps.len()
    } else {
        RBAC_GAPS_SHOWN
    };
    for gap in rbac.gaps.iter().take(shown) {
        text.push_str(&format!("  missing: {}\n", gap_text(gap)));
    }
    if rbac.gaps.len() > shown {
        text.push_str(&format!(
            "  … {} more (-o wide; -o yaml adds the Roles and bindings that grant them)\n",
            rbac.gaps.len() - shown
        ));
    }
    for skipped in &rbac.skipped {
        text.push_str(&format!("  not checked: {}\n", escaped(skipped)));
    }
    if explanation.resources.is_empty() {
        text.push_str(
            "no ServiceMonitor, PodMonitor, Probe, ScrapeConfig or PrometheusRule in the input\n",
        );
    } else {
        text.push_str(&verdict_table("KIND", &explanation.resources, wide, color));
    }
    if let Some(pod) = &explanation.pod {
        text.push_str(&pod_text(pod, wide));
    }
    text
}

/// The pod section: containers, where the user's Secrets, ConfigMaps and volumes land (every
/// mount with -o wide), and the paths the pod will not have.
fn pod_text(pod: &promop::explain::pod::PodExplanation, wide: bool) -> String {
    let listed = |init: bool| {
        pod.containers
            .iter()
            .filter(|c| c.init == init)
            .map(|c| format!("{} ({})", c.name, c.image))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut text = format!(
        "{} containers {}; init {}\n",
        "pod:".bold(),
        data_line(&listed(false)),
        data_line(&listed(true))
    );
    for mount in pod.mounts.iter().filter(|m| wide || m.user) {
        let files = match &mount.files {
            Some(files) => format!(" ({})", files.join(", ")),
            None => String::new(),
        };
        text.push_str(&format!(
            "  {}: {} <- {}{}\n",
            data_line(&mount.container),
            data_line(&mount.path),
            data_line(&mount.source),
            data_line(&files)
        ));
    }
    for missing in &pod.missing_files {
        text.push_str(&format!(
            "  missing file: {} {}: {}\n",
            data_line(&missing.object),
            data_line(&missing.field),
            data_line(&missing.message)
        ));
    }
    text
}

/// One row per verdict: kind, namespace, name, status and reason.
fn verdict_table(first_column: &str, verdicts: &[Verdict], wide: bool, color: bool) -> String {
    let mut table = new_table(color);
    header(
        &mut table,
        &[first_column, "NAMESPACE", "NAME", "STATUS", "REASON"],
    );
    for verdict in verdicts {
        table.add_row(vec![
            data(&verdict.object.kind),
            data(&verdict.object.namespace),
            data(&verdict.object.name),
            status_cell(verdict.status),
            data(reason_text(verdict, wide)),
        ]);
    }
    table_text(&table)
}

fn list_or_all(names: &[String]) -> String {
    if names.is_empty() {
        "(all)".to_owned()
    } else {
        names.join(",")
    }
}

fn monitor_table(explanation: &MonitorExplanation, wide: bool, color: bool) -> String {
    let mut text = format!("{}\n", heading(&explanation.object));
    text.push_str(&notes_text(&explanation.notes));
    if !explanation.instances.is_empty() {
        text.push_str(&verdict_table(
            "INSTANCE",
            &explanation.instances,
            wide,
            color,
        ));
    }
    if let Some(from) = &explanation.targets_from {
        let rejected = (explanation.instances.iter()).any(|v| v.status == Status::Rejected);
        let how = match (explanation.hypothetical, rejected) {
            (false, _) => "",
            (true, false) => " (hypothetical: not selected)",
            (true, true) => " (hypothetical: rejected)",
        };
        text.push_str(&format!(
            "\ntargets as configured for {}{how}\n",
            escaped(from)
        ));
    }
    if let Some(scope) = &explanation.namespace_scope {
        text.push_str(&format!(
            "namespaces: asked {}, searched {}\n",
            escaped(&list_or_all(&scope.asked)),
            escaped(&list_or_all(&scope.searched))
        ));
        for o in &scope.overrides {
            text.push_str(&format!(
                "{} {} {} = {}: {}\n",
                "override:".yellow().bold(),
                escaped(&o.setting.object),
                o.setting.field,
                escaped(&o.setting.value.to_string()),
                escaped(&o.message)
            ));
        }
    }
    for endpoint in &explanation.endpoints {
        text.push_str(&endpoint_text(endpoint, wide, color));
    }
    text
}

fn endpoint_text(endpoint: &EndpointExplanation, wide: bool, color: bool) -> String {
    // A Probe's or a ScrapeConfig's job picks no port, and static targets search no namespace.
    let port = if endpoint.port.is_empty() {
        String::new()
    } else {
        format!(" ({})", escaped(&endpoint.port))
    };
    let namespaces = if endpoint.role == "static" {
        String::new()
    } else {
        format!(
            "  namespaces {}",
            escaped(&list_or_all(&endpoint.namespaces))
        )
    };
    let mut text = format!(
        "\n{} {}{port}  job {}  role {}{namespaces}\n",
        "endpoint".bold(),
        endpoint.index,
        escaped(&endpoint.job),
        endpoint.role,
    );
    if !endpoint.scrape.is_empty() {
        let settings: Vec<String> = (endpoint.scrape.iter())
            .map(|s| format!("{}={}", s.name, s.value))
            .collect();
        text.push_str(&format!("scrape: {}\n", escaped(&settings.join(" "))));
    }
    if !endpoint.workloads.is_empty() {
        let mut table = new_table(color);
        header(
            &mut table,
            &["OBJECT", "MATCHED", "PORTS", "ADDRESSES / MISMATCH"],
        );
        for w in &endpoint.workloads {
            let ports = w
                .ports
                .iter()
                .map(|p| {
                    let mark = if p.referenced { "*" } else { "" };
                    let name = if p.name.is_empty() {
                        "<unnamed>"
                    } else {
                        &p.name
                    };
                    match &p.target_port {
                        Some(tp) => format!("{mark}{name} {}->{tp}", p.port),
                        None => format!("{mark}{name} {}", p.port),
                    }
                })
                .collect::<Vec<_>>()
                .join("\n");
            let detail = if w.matched {
                let pods = w.pods.iter().map(|p| {
                    let state = match (p.ready, p.replicas) {
                        (Some(true), _) => "ready".to_owned(),
                        (Some(false), _) => "not ready".to_owned(),
                        (None, Some(n)) => format!("would create {n} Pod(s)"),
                        (None, None) => "would create one Pod a node".to_owned(),
                    };
                    let ports = p
                        .target_ports
                        .iter()
                        .map(|t| match &t.resolved {
                            Some(to) => format!("targetPort {} -> {to}", t.target_port),
                            None => {
                                format!("targetPort {} -> no such container port", t.target_port)
                            }
                        })
                        .collect::<Vec<_>>()
                        .join(", ");
                    format!("{} {state}; {ports}", p.object)
                });
                w.addresses
                    .iter()
                    .map(|a| {
                        let state = if a.ready { "ready" } else { "not ready" };
                        if wide {
                            format!(
                                "{} {state} ({}{})",
                                a.ip,
                                a.source,
                                a.target_ref
                                    .as_deref()
                                    .map(|r| format!(", {r}"))
                                    .unwrap_or_default()
                            )
                        } else {
                            format!("{} {state}", a.ip)
                        }
                    })
                    .chain(pods)
                    .collect::<Vec<_>>()
                    .join("\n")
            } else {
                w.mismatches.join("\n")
            };
            let matched = if w.matched {
                Cell::new("yes").fg(Color::Green)
            } else {
                Cell::new("no").fg(Color::Yellow)
            };
            table.add_row(vec![
                data(w.object.to_string()),
                matched,
                data(ports),
                data(detail),
            ]);
        }
        text.push_str(&table_text(&table));
    }
    if endpoint.targets.is_empty() {
        text.push_str("no targets\n");
    } else {
        let mut table = new_table(color);
        header(&mut table, &["TARGET", "READY", "RESULT", "LABELS / RULE"]);
        for t in &endpoint.targets {
            let ready = match t.ready {
                Some(true) => "yes",
                Some(false) => "no",
                None => "",
            };
            let (result, detail) = if t.kept {
                let labels = if wide {
                    explain::show_labels(&t.labels)
                } else {
                    let keep = ["job", "namespace", "service", "pod", "endpoint", "instance"];
                    let shown: explain::Labels = t
                        .labels
                        .iter()
                        .filter(|(k, _)| keep.contains(&k.as_str()))
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect();
                    let hidden = t.labels.len() - shown.len();
                    if hidden == 0 {
                        explain::show_labels(&shown)
                    } else {
                        format!("{} +{hidden} more (-o wide)", explain::show_labels(&shown))
                    }
                };
                let shard = t.shard.map(|s| format!(" shard {s}")).unwrap_or_default();
                (Cell::new(format!("kept{shard}")).fg(Color::Green), labels)
            } else if let Some(by) = &t.dropped_by {
                let mut detail = format!("by relabel_configs[{}]: {}", by.index, by.rule);
                if let Some(value) = &by.value {
                    detail.push_str(&format!(" (value {value:?})"));
                }
                if let Some(at) = &by.written_at {
                    detail.push_str(&format!("; written at {at}"));
                }
                (Cell::new("dropped").fg(Color::Yellow), detail)
            } else {
                (
                    Cell::new("failed").fg(Color::Red),
                    t.error.clone().unwrap_or_default(),
                )
            };
            table.add_row(vec![
                data(&t.address),
                Cell::new(ready),
                result,
                data(detail),
            ]);
        }
        text.push_str(&table_text(&table));
    }
    if wide && endpoint.unselected_targets > 0 {
        text.push_str(&format!(
            "{} more target(s) discovered from objects the selector does not match\n",
            endpoint.unselected_targets
        ));
    }
    if let Some(rbac) = &endpoint.rbac {
        text.push_str(&format!("{} {}\n", "rbac:".bold(), escaped(&rbac.note)));
        for gap in &rbac.gaps {
            text.push_str(&format!("  missing: {}\n", gap_text(gap)));
        }
        if !rbac.grant.is_empty() {
            text.push_str("  would grant it (kubectl apply -f -):\n");
            for line in rbac.grant.lines() {
                text.push_str(&format!("    {}\n", escaped(line)));
            }
        }
    }
    for problem in &endpoint.problems {
        text.push_str(&format!(
            "{} {}\n",
            "problem:".red().bold(),
            escaped(problem)
        ));
    }
    text
}
/// The most characters a table cell shows: the table library lays out long cells in quadratic
/// time, and a label value can be megabytes long (`-o json` shows it whole).
const MAX_CELL_CHARS: usize = 2000;

/// A table cell holding text from the input or the cluster, control characters escaped
/// (colours of a cell are applied by the table, never taken from the text).
fn data(text: impl AsRef<str>) -> Cell {
    let text = text.as_ref();
    let shown = match text.char_indices().nth(MAX_CELL_CHARS) {
        Some((cut, _)) => format!(
            "{}… ({} more characters; -o json shows all)",
            &text[..cut],
            text[cut..].chars().count()
        ),
        None => text.to_owned(),
    };
    Cell::new(super::output::terminal_safe(&shown, false))
}

/// `explain` for the alerting kinds (Alertmanager, AlertmanagerConfig, PrometheusRule); `None`
/// for the other kinds.
fn alerting_text(
    args: &Args,
    kind: Kind,
    snapshot: &Snapshot,
    (namespace, name): (Option<&str>, &str),
    options: &OperatorOptions,
    notices: &[String],
    color: bool,
) -> Result<Option<(String, bool)>, CliError> {
    let (format, shown_for) = (args.output, args.alertmanager.as_deref());
    let generated = |notes: &[Note]| !notes.iter().any(|n| n.code == GENERATE_FAILED);
    let mut configuration_generated = true;
    let wide = format == Format::Wide;
    let structured = matches!(format, Format::Json | Format::Yaml);
    let text = match kind {
        Kind::Alertmanager => {
            let am = promop::snapshot::find_named(&snapshot.alertmanagers, namespace, name)
                .map_err(find_error)?;
            let e = explain::alertmanager::explain_alertmanager(snapshot, am, options).map_err(
                CliError::invalid_in(promop::snapshot::describe_object(
                    "Alertmanager",
                    am.metadata.namespace.as_deref(),
                    am.metadata.name.as_deref().unwrap_or(""),
                )),
            )?;
            configuration_generated = generated(&e.notes);
            let notes = files_reference_note(args, &e.resources);
            if structured {
                serialized(&e, &with_notes(notices, &notes), format)?
            } else {
                alertmanager_table(&e, wide, color) + &notes
            }
        }
        Kind::AlertmanagerConfig => {
            let e = explain::alertmanager::explain_alertmanager_config(
                snapshot, namespace, name, shown_for, options,
            )
            .map_err(|e| match e {
                explain::alertmanager::AlertmanagerExplainError::Find(f) => find_error(f),
                other => CliError::invalid(other),
            })?;
            configuration_generated = generated(&e.notes);
            let notes = files_reference_note(args, &e.instances);
            if structured {
                serialized(&e, &with_notes(notices, &notes), format)?
            } else {
                alertmanager_config_text(&e, wide, color) + &notes
            }
        }
        Kind::PrometheusRule => {
            let e = explain::rules::explain_prometheus_rule(snapshot, namespace, name, options)
                .map_err(find_error)?;
            if structured {
                serialized(&e, notices, format)?
            } else {
                prometheus_rule_text(&e, wide, color)
            }
        }
        _ => return Ok(None),
    };
    Ok(Some((text, configuration_generated)))
}

/// The note of an Alertmanager explanation whose configuration the operator cannot generate.
const GENERATE_FAILED: &str = "generate-failed";

fn alertmanager_table(e: &AlertmanagerExplanation, wide: bool, color: bool) -> String {
    let mut text = format!(
        "{}  version: {}  matcher strategy: {}  selected: {}  not selected: {}  rejected: {}\nbase configuration: {}\n",
        heading(&e.object),
        e.version,
        e.matcher_strategy,
        e.summary.selected,
        e.summary.not_selected,
        e.summary.rejected,
        escaped(&e.base)
    );
    text.push_str(&notes_text(&e.notes));
    if e.resources.is_empty() {
        text.push_str("no AlertmanagerConfig in the input\n");
    } else {
        text.push_str(&verdict_table("KIND", &e.resources, wide, color));
    }
    text
}

fn indented(yaml: &str, by: &str) -> String {
    yaml.lines()
        .map(|l| format!("{by}{}\n", super::output::terminal_safe(l, false)))
        .collect()
}

fn parts_text(title: &str, parts: &[GeneratedPart]) -> String {
    if parts.is_empty() {
        return String::new();
    }
    let mut text = format!("\n{}\n", title.bold());
    for part in parts {
        text.push_str(&format!(
            "  {} -> {}\n",
            escaped(&part.source),
            escaped(&part.path)
        ));
        for change in &part.changes {
            text.push_str(&format!(
                "    {} {}\n",
                format!("[{}]", change.code).yellow(),
                escaped(&change.message)
            ));
        }
        text.push_str(&indented(&part.yaml, "      "));
    }
    text
}

fn alertmanager_config_text(e: &AlertmanagerConfigExplanation, wide: bool, color: bool) -> String {
    let mut text = format!("{}\n", heading(&e.object));
    text.push_str(&notes_text(&e.notes));
    if !e.instances.is_empty() {
        text.push_str(&verdict_table("INSTANCE", &e.instances, wide, color));
    }
    if let Some(from) = &e.generated_for {
        let how = if e.hypothetical {
            " (hypothetical: not selected)"
        } else {
            ""
        };
        text.push_str(&format!(
            "\nin the configuration generated for {}{how}, matcher strategy {}\n",
            escaped(from),
            e.matcher_strategy.as_deref().unwrap_or("OnNamespace")
        ));
    }
    text.push_str(&parts_text("routes", &e.routes));
    text.push_str(&parts_text("receivers", &e.receivers));
    text.push_str(&parts_text("inhibit rules", &e.inhibit_rules));
    text.push_str(&parts_text("time intervals", &e.time_intervals));
    text
}

fn prometheus_rule_text(e: &PrometheusRuleExplanation, wide: bool, color: bool) -> String {
    let mut text = format!(
        "{}  metadata.labels: {}\n",
        heading(&e.object),
        escaped(&explain::show_labels(&e.labels))
    );
    text.push_str(&notes_text(&e.notes));
    if !e.instances.is_empty() {
        text.push_str(&verdict_table("INSTANCE", &e.instances, wide, color));
    }
    for p in &e.placements {
        text.push_str(&format!(
            "\n{} {}: ConfigMap {}, file {}\n",
            "loaded by".bold(),
            escaped(&p.instance),
            escaped(&p.config_map),
            escaped(&p.file)
        ));
        if let Some(label) = &p.enforced_label {
            text.push_str(&format!(
                "  enforcedNamespaceLabel {}={} on every rule and selector\n",
                escaped(label),
                escaped(&e.object.namespace)
            ));
        }
        if !p.dropped_fields.is_empty() {
            text.push_str(&format!(
                "  dropped for the version: {}\n",
                escaped(&p.dropped_fields.join(", "))
            ));
        }
        for x in &p.expressions {
            text.push_str(&format!(
                "  {} ({}, group {:?})\n",
                x.field,
                escaped(&x.rule),
                escaped(&x.group)
            ));
            if x.enforced == x.original {
                text.push_str(&format!("    expr: {}\n", data_line(&x.original)));
            } else {
                text.push_str(&format!("    written:  {}\n", data_line(&x.original)));
                text.push_str(&format!("    enforced: {}\n", data_line(&x.enforced)));
            }
        }
    }
    text
}

fn data_line(text: &str) -> String {
    super::output::terminal_safe(
        &text.split_whitespace().collect::<Vec<_>>().join(" "),
        false,
    )
    .into_owned()
}
