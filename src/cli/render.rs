//! `render`: the configuration the operator would generate for a Prometheus or agent.

use promop::select::{self, Outcome};

use super::CliError;
use super::input::InputArgs;
use super::kube_args::KubeArgs;
use super::operator::OperatorArgs;
use super::output::{self, Format};
use super::target::TargetArgs;

/// Arguments of `render`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Without -f, render from the cluster: prometheus|prometheusagent NAME (or TYPE/NAME).
    #[arg(value_name = "TYPE [NAME]", num_args = 0..=2, conflicts_with = "files")]
    instance: Vec<String>,
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    kube: KubeArgs,
    #[command(flatten)]
    target: TargetArgs,
    /// Render as if spec.version were VERSION (e.g. v2.55.0).
    #[arg(long, value_name = "VERSION")]
    prometheus_version: Option<String>,
    #[command(flatten)]
    operator: OperatorArgs,
    /// Output format.
    #[arg(short = 'o', long = "output", value_enum, default_value_t = Format::Yaml)]
    output: Format,
    /// Print what the operator stores in its Secret instead: base64 of the gzipped YAML
    /// (the value of `prometheus.yaml.gz`).
    #[arg(long, conflicts_with = "output")]
    secret_payload: bool,
}

/// Runs `render`.
pub fn run(args: &Args) -> Result<(), CliError> {
    let (snapshot, mut instance, options) = if args.input.files.is_empty() {
        super::live::cluster_input(&args.instance, &args.kube, &args.operator)?
    } else {
        let snapshot = args.input.load()?;
        let instance = args.target.find(&snapshot)?;
        (snapshot, instance, args.operator.options()?)
    };
    if let Some(version) = &args.prometheus_version {
        instance.set_version(version);
    }
    let super::live::LiveRender {
        rendered,
        selection,
    } = super::live::render_instance(&snapshot, &instance, options)?;
    report_rejected("ServiceMonitor", &selection.service_monitors);
    report_rejected("PodMonitor", &selection.pod_monitors);
    report_rejected("Probe", &selection.probes);
    report_rejected("ScrapeConfig", &selection.scrape_configs);
    for warning in &rendered.warnings {
        output::warn(&format!("{}: {}", warning.field, warning.message));
    }
    if args.secret_payload {
        output::print(&output::secret_payload(&rendered.config)?)
    } else {
        output::print_formatted(&rendered.config, args.output)
    }
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
