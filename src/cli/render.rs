//! `render`: the configuration the operator would generate for a Prometheus, agent or
//! Alertmanager.

use promop::alertmanager::{BaseSource, Configuration};
use promop::cluster::FetchPlan;
use promop::instance::{self, InstanceKind, TargetKey};
use promop::select::{self, Outcome};
use promop::snapshot::Snapshot;
use promop::target::Target;
use promop::workload::objects::find_instance;

use super::CliError;
use super::input::InputArgs;
use super::kube_args::KubeArgs;
use super::live::{self, InstanceName};
use super::operator::OperatorArgs;
use super::output::{self, Format};
use super::render_rules::InstanceWords;
use super::render_workload::workload_kind;
use super::resource_arg;
use super::target::{TargetArgs, find_error, not_in_cluster};

/// Arguments of `render`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The instance: prometheus|prometheusagent|alertmanager NAME (or TYPE/NAME). Without -f
    /// it is read from the cluster; with -f it picks one of the files' instances, and TYPE
    /// alone the only one of that type. `rules prometheus|thanosruler NAME` renders the
    /// rule-file ConfigMaps, `statefulset prometheus|prometheusagent|alertmanager NAME` the
    /// workload (both also with -f, and without NAME, or TYPE, when only one instance would
    /// do).
    #[arg(value_name = "TYPE [NAME]", num_args = 0..=3)]
    pub(super) instance: Vec<String>,
    #[command(flatten)]
    pub(super) input: InputArgs,
    #[command(flatten)]
    pub(super) kube: KubeArgs,
    #[command(flatten)]
    pub(super) target: TargetArgs,
    /// Render as if spec.version were VERSION (e.g. v2.55.0).
    #[arg(long, value_name = "VERSION")]
    pub(super) prometheus_version: Option<String>,
    /// Render an Alertmanager as if its spec.version were VERSION (e.g. v0.25.0).
    #[arg(long, value_name = "VERSION")]
    pub(super) alertmanager_version: Option<String>,
    #[command(flatten)]
    pub(super) operator: OperatorArgs,
    /// Output format (default yaml; for `render rules`, a listing).
    #[arg(short = 'o', long = "output", value_enum)]
    pub(super) output: Option<Format>,
    /// Print what the operator stores in its Secret instead: base64 of the gzipped YAML
    /// (the value of `prometheus.yaml.gz` or `alertmanager.yaml.gz`); it holds credentials, so
    /// it needs --show-secrets.
    #[arg(long, conflicts_with = "output")]
    pub(super) secret_payload: bool,
    /// Show credentials read from Secrets (passwords, tokens, URL passwords, Alertmanager's
    /// receiver URLs and keys; for `render statefulset`, URL passwords in arguments) instead
    /// of `<secret>`.
    #[arg(long)]
    pub(super) show_secrets: bool,
}

/// Runs `render`.
pub fn run(args: &Args) -> Result<(), CliError> {
    if args.input.files.is_empty() {
        let named = if args.instance.is_empty() {
            None
        } else {
            Some(live::parse_instance(&args.instance)?)
        };
        let Some(named) = named else {
            return Err(CliError::usage(anyhow::anyhow!(
                "give manifests with -f FILE, or TYPE NAME (e.g. prometheus k8s) to render from the cluster"
            )));
        };
        let (snapshot, namespace) = cluster_input(&named, &args.kube)?;
        return match named.kind {
            InstanceKind::Alertmanager => {
                render_alertmanager(args, snapshot, Some(&namespace), &named.name)
            }
            kind => {
                let key = TargetKey {
                    agent: kind == InstanceKind::PrometheusAgent,
                    namespace,
                    name: named.name,
                };
                render_prometheus(args, snapshot, &key)
            }
        };
    }
    // With files, TYPE alone picks the files' only instance of that type.
    let words = if args.instance.is_empty() {
        None
    } else {
        Some(resource_arg::parse(
            &args.instance,
            resource_arg::INSTANCE_KINDS,
        )?)
    };
    let snapshot = args.input.load(&args.kube)?;
    // -n narrows the search for a named instance; without it the name is searched everywhere.
    let search = args.kube.namespace();
    let named = match words {
        Some(words) => {
            let resource = words.kind.resource();
            let name = match words.name {
                Some(name) => name,
                None => {
                    InstanceWords::Only(vec![resource])
                        .resolve(&snapshot, search)?
                        .1
                }
            };
            Some(InstanceName {
                kind: workload_kind(resource),
                name,
            })
        }
        None => None,
    };
    match named {
        Some(named) if named.kind == InstanceKind::Alertmanager => {
            render_alertmanager(args, snapshot, search, &named.name)
        }
        Some(named) => {
            let agent = named.kind == InstanceKind::PrometheusAgent;
            let target =
                instance::find_target(&snapshot, agent, search, &named.name).map_err(find_error)?;
            let key = TargetKey::of(&target);
            render_prometheus(args, snapshot, &key)
        }
        None if only_alertmanager(&snapshot) => {
            let name = snapshot
                .alertmanagers
                .first()
                .and_then(|am| am.metadata.name.clone())
                .unwrap_or_default();
            render_alertmanager(args, snapshot, None, &name)
        }
        None => {
            let key = args.target.find(&snapshot)?;
            render_prometheus(args, snapshot, &key)
        }
    }
}

/// The input holds one Alertmanager and no Prometheus or agent.
fn only_alertmanager(snapshot: &Snapshot) -> bool {
    snapshot.prometheuses.is_empty()
        && snapshot.prometheus_agents.is_empty()
        && snapshot.alertmanagers.len() == 1
}

fn render_prometheus(args: &Args, mut snapshot: Snapshot, key: &TargetKey) -> Result<(), CliError> {
    if let Some(version) = &args.prometheus_version {
        key.set_version(&mut snapshot, version);
    }
    let options = args.operator.resolve(&snapshot)?;
    let target = key.find(&snapshot).map_err(find_error)?;
    let instance::InstanceRender {
        rendered,
        selection,
        ignored,
        ..
    } = instance::render_target(&snapshot, target, &options).map_err(CliError::invalid_in(
        format!("{} {}/{}", target.kind(), target.namespace(), target.name()),
    ))?;
    output::warn_not_reconciled(ignored.as_deref(), "it does not write this configuration");
    report_rejected("ServiceMonitor", &selection.service_monitors);
    report_rejected("PodMonitor", &selection.pod_monitors);
    report_rejected("Probe", &selection.probes);
    report_rejected("ScrapeConfig", &selection.scrape_configs);
    for warning in &rendered.warnings {
        output::warn(&format!("{}: {}", warning.field, warning.message));
    }
    if matches!(target, Target::Server(p) if options.leaves_unmanaged(p)) {
        // What the operator stores is nothing (the warning above says why).
        return if args.secret_payload {
            output::print("\n")
        } else {
            Ok(())
        };
    }
    if args.secret_payload {
        require_show_secrets(args)?;
        return output::print(&output::secret_payload(&rendered.config)?);
    }
    let mut config = rendered.config;
    if !args.show_secrets {
        warn_hidden(promop::redact::redact(&mut config));
    }
    output::print_formatted(&config, args.output.unwrap_or(Format::Yaml))
}

/// `render alertmanager NAME`: the `alertmanager.yaml` the operator writes into Secret
/// `alertmanager-NAME-generated`, Alertmanager's own secrets hidden unless asked.
fn render_alertmanager(
    args: &Args,
    mut snapshot: Snapshot,
    namespace: Option<&str>,
    name: &str,
) -> Result<(), CliError> {
    if let Some(version) = &args.alertmanager_version {
        for am in snapshot.alertmanagers.iter_mut().filter(|am| {
            am.metadata.name.as_deref() == Some(name)
                && namespace.is_none_or(|n| am.metadata.namespace.as_deref() == Some(n))
        }) {
            am.spec.version = Some(version.clone());
        }
    }
    let options = args.operator.resolve(&snapshot)?;
    let am = instance::find_alertmanager(&snapshot, namespace, name).map_err(find_error)?;
    let rendered = instance::render_alertmanager(&snapshot, am, &options).map_err(
        CliError::invalid_in(promop::snapshot::describe_object(
            "Alertmanager",
            am.metadata.namespace.as_deref(),
            am.metadata.name.as_deref().unwrap_or(""),
        )),
    )?;
    output::warn_not_reconciled(
        rendered.ignored.as_deref(),
        "it does not write this configuration",
    );
    report_alertmanager(&rendered);
    let generated = rendered.generated;
    if args.secret_payload {
        require_show_secrets(args)?;
        let payload = generated.secret_payload().map_err(|e| {
            CliError::invalid(anyhow::anyhow!(
                "cannot store the configuration in a Secret: {e}"
            ))
        })?;
        return output::print(&(promop::decode::base64_encode(&payload) + "\n"));
    }
    let format = args.output.unwrap_or(Format::Yaml);
    let (mut tree, verbatim) = match generated.configuration {
        Configuration::Verbatim(text) if args.show_secrets && format == Format::Yaml => {
            return output::print(&text);
        }
        Configuration::Verbatim(text) => {
            let tree = promop::yaml::parse(&text).map_err(|e| {
                CliError::invalid(anyhow::anyhow!(
                    "the operator copies the configuration of {} as is, and it is not YAML ({e}); \
                     --show-secrets prints it",
                    generated.base
                ))
            })?;
            (tree, Some(text))
        }
        Configuration::Generated(tree) => (tree, None),
    };
    let hidden = if args.show_secrets {
        0
    } else {
        promop::alertmanager::redact(&mut tree)
    };
    print_configuration(
        &tree,
        verbatim.as_deref(),
        hidden,
        args.show_secrets,
        format,
    )
}

/// Prints `tree`, a configuration with `hidden` credential values hidden, or `stored`, its
/// text as the operator stores it, where that may stand instead: in YAML with nothing hidden,
/// and without comments (text no key names, which may quote a credential) unless
/// `show_secrets`.
pub(super) fn print_configuration(
    tree: &promop::yaml::Yaml,
    stored: Option<&str>,
    hidden: usize,
    show_secrets: bool,
    format: Format,
) -> Result<(), CliError> {
    warn_hidden(hidden);
    if let Some(text) = stored.filter(|_| hidden == 0 && format == Format::Yaml) {
        if show_secrets || !promop::yaml::may_hold_comments(text) {
            return output::print(text);
        }
        output::warn(
            "the stored configuration's comments are left out, as they may quote a \
             credential; --show-secrets prints it as stored",
        );
    }
    output::print_formatted(tree, format)
}

/// Warnings about what the operator does with an Alertmanager's inputs: its base
/// configuration, the AlertmanagerConfigs it rejects, the fields the version drops.
fn report_alertmanager(rendered: &instance::AlertmanagerRender<'_>) {
    if let BaseSource::Secret { found: false, .. } = &rendered.generated.base {
        output::warn(&format!(
            "{} holds no configuration: the operator uses its default one",
            rendered.generated.base
        ));
    }
    for (object, violation) in instance::rejected_alertmanager_configs(rendered.selection.as_ref())
    {
        output::warn(&format!(
            "{object} is rejected by the operator and not merged: {}: {} [{}]",
            violation.field, violation.message, violation.check
        ));
    }
    for warning in &rendered.generated.warnings {
        output::warn(&format!(
            "{warning} (dropped for this Alertmanager version)"
        ));
    }
}

fn require_show_secrets(args: &Args) -> Result<(), CliError> {
    if args.show_secrets {
        return Ok(());
    }
    Err(CliError::usage(anyhow::anyhow!(
        "--secret-payload prints the credentials of the configuration (gzipped, in base64); add --show-secrets to print them"
    )))
}

pub(super) fn warn_hidden(hidden: usize) {
    if hidden > 0 {
        output::warn(&format!(
            "{hidden} credential value(s) shown as {}; --show-secrets reveals them",
            promop::redact::REDACTED
        ));
    }
}

/// `render TYPE NAME` without files: the snapshot from the cluster, and the namespace the
/// instance is looked up in.
fn cluster_input(named: &InstanceName, kube: &KubeArgs) -> Result<(Snapshot, String), CliError> {
    live::block_on(async {
        let cluster = kube.connect().await?;
        let plan = FetchPlan {
            workloads: false,
            operator: true,
        };
        let snapshot = live::fetch_snapshot(&cluster, plan).await?;
        let namespace = cluster.namespace().to_owned();
        find_instance(&snapshot, named.kind, Some(&namespace), &named.name)
            .map_err(not_in_cluster)?;
        Ok((snapshot, namespace))
    })?
}

fn report_rejected<T>(kind: &str, candidates: &[select::Candidate<'_, T>]) {
    for candidate in candidates {
        if let Outcome::Rejected(violation) = &candidate.outcome {
            output::warn(&format!(
                "{kind} {} is rejected by the operator and not rendered: {violation}",
                candidate.key
            ));
        }
    }
}
