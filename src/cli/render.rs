//! `render`: the configuration the operator would generate for a Prometheus or agent.

use promop::cluster::FetchPlan;
use promop::instance::{self, InstanceKind, TargetKey};
use promop::operator::OperatorOptions;
use promop::select::{self, Outcome};
use promop::snapshot::Snapshot;

use super::CliError;
use super::input::InputArgs;
use super::kube_args::KubeArgs;
use super::live;
use super::operator::OperatorArgs;
use super::output::{self, Format};
use super::target::{TargetArgs, find_error};

/// Arguments of `render`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Without -f, render from the cluster: prometheus|prometheusagent NAME (or TYPE/NAME).
    /// `rules prometheus|thanosruler NAME` renders the rule-file ConfigMaps, `statefulset
    /// prometheus|prometheusagent|alertmanager NAME` the workload (both also with -f).
    #[arg(value_name = "TYPE [NAME]", num_args = 0..=3)]
    pub(super) instance: Vec<String>,
    #[command(flatten)]
    pub(super) input: InputArgs,
    #[command(flatten)]
    pub(super) kube: KubeArgs,
    #[command(flatten)]
    target: TargetArgs,
    /// Render as if spec.version were VERSION (e.g. v2.55.0).
    #[arg(long, value_name = "VERSION")]
    prometheus_version: Option<String>,
    #[command(flatten)]
    pub(super) operator: OperatorArgs,
    /// Output format (default yaml; for `render rules`, a listing).
    #[arg(short = 'o', long = "output", value_enum)]
    pub(super) output: Option<Format>,
    /// Print what the operator stores in its Secret instead: base64 of the gzipped YAML
    /// (the value of `prometheus.yaml.gz`); it holds credentials, so it needs --show-secrets.
    #[arg(long, conflicts_with = "output")]
    secret_payload: bool,
    /// Show credentials read from Secrets (passwords, tokens, URL passwords) instead of
    /// `<secret>`.
    #[arg(long)]
    show_secrets: bool,
}

/// Runs `render`.
pub fn run(args: &Args) -> Result<(), CliError> {
    match args.instance.first().map(String::as_str) {
        Some("rules") => return super::render_rules::run(args),
        Some("statefulset") => return super::render_workload::run(args),
        Some(_) if !args.input.files.is_empty() => {
            return Err(CliError::usage(anyhow::anyhow!(
                "give either -f FILE or TYPE NAME, not both"
            )));
        }
        _ => {}
    }
    let (mut snapshot, key) = if args.input.files.is_empty() {
        cluster_input(&args.instance, &args.kube)?
    } else {
        let (namespace, decided_by) = args.kube.file_namespace();
        let snapshot = args.input.load(&namespace, decided_by)?;
        let key = args.target.find(&snapshot)?;
        (snapshot, key)
    };
    if let Some(version) = &args.prometheus_version {
        key.set_version(&mut snapshot, version);
    }
    let options =
        OperatorOptions::resolve(&snapshot, &args.operator.overrides()).map_err(CliError::usage)?;
    let target = key.find(&snapshot).map_err(find_error)?;
    let instance::InstanceRender {
        rendered,
        selection,
    } = instance::render_target(&snapshot, target, &options).map_err(CliError::invalid)?;
    report_rejected("ServiceMonitor", &selection.service_monitors);
    report_rejected("PodMonitor", &selection.pod_monitors);
    report_rejected("Probe", &selection.probes);
    report_rejected("ScrapeConfig", &selection.scrape_configs);
    for warning in &rendered.warnings {
        output::warn(&format!("{}: {}", warning.field, warning.message));
    }
    if args.secret_payload {
        if !args.show_secrets {
            return Err(CliError::usage(anyhow::anyhow!(
                "--secret-payload prints the credentials of the configuration (gzipped, in base64); add --show-secrets to print them"
            )));
        }
        return output::print(&output::secret_payload(&rendered.config)?);
    }
    let mut config = rendered.config;
    if !args.show_secrets {
        let hidden = promop::redact::redact(&mut config);
        if hidden > 0 {
            output::warn(&format!(
                "{hidden} credential value(s) shown as {}; --show-secrets reveals them",
                promop::redact::REDACTED
            ));
        }
    }
    output::print_formatted(&config, args.output.unwrap_or(Format::Yaml))
}

/// `render TYPE NAME` without files: the snapshot and the instance from the cluster.
fn cluster_input(words: &[String], kube: &KubeArgs) -> Result<(Snapshot, TargetKey), CliError> {
    if words.is_empty() {
        return Err(CliError::usage(anyhow::anyhow!(
            "give manifests with -f FILE, or TYPE NAME (e.g. prometheus k8s) to render from the cluster"
        )));
    }
    let named = live::parse_instance(words)?;
    if named.kind == InstanceKind::Alertmanager {
        return Err(CliError::usage(anyhow::anyhow!(
            "rendering an Alertmanager configuration from the cluster is not supported yet; use prometheus or prometheusagent"
        )));
    }
    live::block_on(async {
        let cluster = kube.connect().await?;
        let plan = FetchPlan {
            workloads: false,
            operator: true,
        };
        let snapshot = live::fetch_snapshot(&cluster, plan).await?;
        let key = TargetKey {
            agent: named.kind == InstanceKind::PrometheusAgent,
            namespace: cluster.namespace().to_owned(),
            name: named.name.clone(),
        };
        key.find(&snapshot).map_err(|e| {
            CliError::usage(anyhow::anyhow!("{e} in the cluster (or not readable)"))
        })?;
        Ok((snapshot, key))
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
