//! `diff`: the live configuration (the operator's Secret) against the one rendered from the
//! cluster's objects, with local manifests laid over them.

use std::fmt::Write as _;
use std::path::PathBuf;

use promop::cluster::FetchPlan;
use promop::decode::StoredConfig;
use promop::diff::{self, Change, ChangeKind, DiffContext, DiffLine, Section};
use promop::instance::InstanceKind;
use promop::jobs::ResourceRef;
use promop::operator::OperatorOptions;
use promop::redact;
use promop::snapshot::Snapshot;
use promop::target::Target;
use promop::workload::Instance;
use promop::workload::objects;
use promop::yaml::{self, Yaml};

use super::CliError;
use super::input::InputArgs;
use super::kube_args::KubeArgs;
use super::live::{self, InstanceName};
use super::operator::OperatorArgs;
use super::output;
use super::target::not_in_cluster;

/// Arguments of `diff`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The instance: prometheus|prometheusagent|alertmanager NAME, or TYPE/NAME; `rules
    /// prometheus|thanosruler NAME` compares the rule ConfigMaps, `statefulset
    /// prometheus|prometheusagent|alertmanager NAME` the workload.
    #[arg(value_name = "TYPE [NAME]", num_args = 1..=3, required = true)]
    pub(super) instance: Vec<String>,
    #[command(flatten)]
    pub(super) kube: KubeArgs,
    /// Local manifests laid over the cluster's objects (same kind/namespace/name replaces,
    /// others are added); `-` reads stdin.
    #[arg(short = 'f', long = "filename", value_name = "FILE")]
    pub(super) files: Vec<PathBuf>,
    /// Descend into sub-directories of the directories given with -f.
    #[arg(short = 'R', long)]
    pub(super) recursive: bool,
    #[command(flatten)]
    pub(super) operator: OperatorArgs,
    /// Show credential values in the differences instead of `<secret>`.
    #[arg(long)]
    pub(super) show_secrets: bool,
}

/// Runs `diff`: exit 0 when equal, 1 when different.
pub fn run(args: &Args) -> Result<(), CliError> {
    let instance = live::parse_instance(&args.instance)?;
    let (live_config, snapshot, namespace) = read_cluster(args, &instance)?;
    // Not `OperatorArgs::resolve`: diff says another release in its closing note, not as a
    // warning.
    let options =
        OperatorOptions::resolve(&snapshot, &args.operator.overrides()).map_err(CliError::usage)?;
    let what = format!(
        "{} {namespace}/{}",
        instance.kind.resource().kind,
        instance.name
    );
    let alertmanager = instance.kind == InstanceKind::Alertmanager;
    let found = objects::find_instance(&snapshot, instance.kind, Some(&namespace), &instance.name)
        .map_err(not_in_cluster)?;
    if let Instance::Prometheus(p) = found
        && options.leaves_unmanaged(p)
    {
        // The operator only creates the Secret, empty, when it is missing: what it holds is
        // the user's, whatever the resources say.
        return output::print_text(&format!(
            "nothing to compare: the operator does not manage the configuration of {what} \
             (serviceMonitorSelector, podMonitorSelector, probeSelector and scrapeConfigSelector \
             are all nil), so its Secret holds what the user writes\n"
        ));
    }
    let Some(live_config) = live_config? else {
        // As `kubectl diff` shows an object it would create: a difference, not an error.
        output::print_text(&format!(
            "+ Secret {namespace}/{}: not in the cluster: the operator would create it with \
             the configuration `render` shows (is the operator running and watching this \
             namespace?)\n1 difference(s) for {what}\n",
            instance.kind.secret_name(&instance.name)
        ))?;
        return Err(CliError::Differences);
    };
    let target_changes = |target: Target<'_>| -> Result<Vec<Change>, CliError> {
        let result = promop::instance::render_target(&snapshot, target, &options)
            .map_err(CliError::invalid)?;
        output::warn_not_reconciled(
            result.ignored.as_deref(),
            "it does not write this configuration",
        );
        for warning in &result.rendered.warnings {
            output::warn(&format!("{}: {}", warning.field, warning.message));
        }
        let context = DiffContext {
            rejected: promop::instance::rejected_resources(&result.selection)
                .into_iter()
                .collect(),
        };
        diff::compare(
            &live_config.secret,
            &live_config.text,
            &result.rendered.config,
            &context,
        )
        .map_err(CliError::usage)
    };
    let (changes, base) = match found {
        Instance::Alertmanager(am) => {
            let rendered = promop::instance::render_alertmanager(&snapshot, am, &options)
                .map_err(CliError::invalid)?;
            output::warn_not_reconciled(
                rendered.ignored.as_deref(),
                "it does not write this configuration",
            );
            for warning in &rendered.generated.warnings {
                output::warn(&format!(
                    "{warning} (dropped for this Alertmanager version)"
                ));
            }
            let context = promop::instance::alertmanager_diff_context(&rendered);
            let changes = diff::compare_alertmanager(
                &live_config.secret,
                &live_config.text,
                &rendered.generated.configuration.text(),
                &context,
            )
            .map_err(CliError::usage)?;
            (changes, Some(context.base))
        }
        Instance::Prometheus(p) => (target_changes(Target::Server(p))?, None),
        Instance::Agent(a) => (target_changes(Target::Agent(a))?, None),
    };
    if changes.is_empty() {
        return output::print_text(&format!(
            "no differences: the live configuration of {what} (Secret {}) is what the resources render to\n",
            live_config.secret
        ));
    }
    let mut text = format!(
        "--- live (Secret {})\n+++ rendered from the cluster{}\n",
        live_config.secret,
        if args.files.is_empty() {
            ""
        } else {
            " with local files"
        }
    );
    let shown = Shown {
        show_secrets: args.show_secrets,
        alertmanager,
        base,
    };
    for change in &changes {
        shown.describe(&mut text, change);
    }
    let _ = writeln!(text, "{} difference(s) for {what}", changes.len());
    match options.version {
        Some(_) => {
            if let Some(note) = options.release_note() {
                let _ = writeln!(text, "note: {note}");
            }
        }
        None => {
            let _ = writeln!(
                text,
                "note: the operator's version is unknown (its Deployment was not found or not \
                 readable); \
                 this tool reproduces {}",
                promop::operator::REPRODUCED_OPERATOR_VERSION
            );
        }
    }
    output::print_text(&text)?;
    Err(CliError::Differences)
}

/// What the instance's Secret holds (`None`: there is no Secret), or why it cannot be read.
type LiveConfig = Result<Option<StoredConfig>, CliError>;

/// The live configuration of `instance` (its failure kept for the caller, who may not need
/// it), the cluster's objects with the local files laid over them, and the namespace.
fn read_cluster(
    args: &Args,
    instance: &InstanceName,
) -> Result<(LiveConfig, Snapshot, String), CliError> {
    let local = if args.files.is_empty() {
        None
    } else {
        Some(InputArgs::new(&args.files, args.recursive).load(&args.kube)?)
    };
    live::block_on(async {
        let cluster = args.kube.connect().await?;
        let namespace = cluster.namespace().to_owned();
        let live_config = live::read_stored_config(
            &cluster,
            &namespace,
            instance,
            promop::decode::DEFAULT_DECOMPRESSED_LIMIT,
        )
        .await;
        let plan = FetchPlan {
            workloads: false,
            operator: true,
        };
        let mut snapshot = live::fetch_snapshot_to_compare(&cluster, plan).await?;
        if let Some(local) = local {
            let laid = lay_local(&mut snapshot, local, &namespace);
            live::fetch_local_references(&cluster, &mut snapshot, &laid).await?;
        }
        Ok::<_, CliError>((live_config, snapshot, namespace))
    })?
}

/// Lays `local` over `snapshot`; returns the local objects as laid (namespaces filled in).
pub(super) fn lay_local(snapshot: &mut Snapshot, local: Snapshot, namespace: &str) -> Snapshot {
    let mut laid_objects = Snapshot::default();
    laid_objects.lay_over(local, namespace);
    let copy = laid_objects.clone();
    for laid in snapshot.lay_over(laid_objects, namespace) {
        let verb = if laid.replaced { "replaces" } else { "adds" };
        output::warn(&format!("local file {verb} {}", laid.object));
    }
    copy
}

/// How differences are printed.
struct Shown {
    show_secrets: bool,
    /// Alertmanager's notion of secrets applies (otherwise Prometheus's).
    alertmanager: bool,
    /// The base configuration of an Alertmanager, named as such.
    base: Option<ResourceRef>,
}

impl Shown {
    fn describe(&self, text: &mut String, change: &Change) {
        let marker = change.kind.sign();
        let what = match change.kind {
            ChangeKind::Added => "only in the rendered configuration",
            ChangeKind::Removed => "only in the live configuration",
            ChangeKind::Modified => "changed",
        };
        let _ = write!(text, "\n{marker} {}", change.section);
        match &change.resource {
            Some(resource) if self.base.as_ref() == Some(resource) => {
                let _ = write!(text, " (from the base configuration, {resource})");
            }
            Some(resource) => {
                let _ = write!(text, " (from {resource})");
            }
            None => {}
        }
        let _ = writeln!(text, ": {what}");
        if let Some(explanation) = &change.explanation {
            let _ = writeln!(text, "  because {explanation}");
        }
        let old = self.text(&change.section, change.live.as_ref());
        let new = self.text(&change.section, change.rendered.as_ref());
        if old == new {
            let _ = writeln!(
                text,
                "  only credential values differ (--show-secrets shows them)"
            );
            return;
        }
        for line in diff::line_diff(&old, &new) {
            let _ = match line {
                DiffLine::Same(l) => writeln!(text, "   {l}"),
                DiffLine::Removed(l) => writeln!(text, "  -{l}"),
                DiffLine::Added(l) => writeln!(text, "  +{l}"),
            };
        }
    }

    /// The YAML text of one side, credentials hidden unless asked.
    fn text(&self, section: &Section, value: Option<&Yaml>) -> String {
        let Some(value) = value else {
            return String::new();
        };
        let mut value = value.clone();
        if !self.show_secrets {
            if self.alertmanager {
                diff::redact_section(section, &mut value);
            } else {
                redact::redact(&mut value);
            }
        }
        yaml::emit(&value)
    }
}
