//! `render statefulset prometheus|prometheusagent|alertmanager NAME`: the StatefulSet(s) (or
//! an agent's DaemonSet) the operator would create, as Kubernetes YAML or JSON.

use promop::instance::InstanceKind;
use promop::kinds::{self, Resource};
use promop::snapshot::namespace_of;
use promop::workload::objects;

use super::CliError;
use super::output::{self, Format};
use super::render::Args;
use super::render_rules::{instance_words, load, operator_options, parse_named};

/// The types a `statefulset` instance argument takes.
const WORKLOAD_INSTANCE_TYPES: &[&Resource] = &[
    &kinds::PROMETHEUSES,
    &kinds::PROMETHEUS_AGENTS,
    &kinds::ALERTMANAGERS,
];

/// The kind of a `statefulset` instance argument.
pub(super) fn workload_instance(words: &[String]) -> Result<(InstanceKind, String), CliError> {
    let (resource, name) = parse_named(words, WORKLOAD_INSTANCE_TYPES)?;
    Ok((workload_kind(resource), name))
}

pub(super) fn workload_kind(resource: &Resource) -> InstanceKind {
    match resource.kind {
        "PrometheusAgent" => InstanceKind::PrometheusAgent,
        "Alertmanager" => InstanceKind::Alertmanager,
        _ => InstanceKind::Prometheus,
    }
}

/// Runs `render statefulset ...` (`args.instance` starts with `statefulset`).
pub fn run(args: &Args) -> Result<(), CliError> {
    let words = instance_words(
        args.instance.get(1..).unwrap_or_default(),
        WORKLOAD_INSTANCE_TYPES,
    )?;
    let (snapshot, namespace) = load(&args.input, &args.kube)?;
    let (resource, name) = words.resolve(&snapshot, namespace.as_deref())?;
    let kind = workload_kind(resource);
    let options = operator_options(&snapshot, &args.operator)?;
    let instance = objects::find_instance(&snapshot, kind, namespace.as_deref(), &name)
        .map_err(super::target::find_error)?;
    let objects::InstanceWorkloads {
        workloads: generated,
        ignored,
    } = objects::instance_workloads(&snapshot, instance, &options).map_err(
        CliError::invalid_in(format!(
            "{} {}/{name}",
            kind.resource().kind,
            namespace_of(instance.metadata())
        )),
    )?;
    output::warn_not_reconciled(ignored.as_deref(), "it creates none of these");
    for warning in generated.iter().flat_map(|g| &g.warnings) {
        output::warn(&format!("{}: {}", warning.field, warning.message));
    }
    output::warn(&format!(
        "the {} annotation is left empty: the operator hashes all its inputs",
        objects::INPUT_HASH_ANNOTATION
    ));
    let mut objects: Vec<serde_json::Value> =
        generated.iter().map(|g| g.object.to_json()).collect();
    // URLs with a password (`--web.external-url=https://user:pass@host/`) in arguments.
    if !args.show_secrets {
        super::render::warn_hidden(
            objects
                .iter_mut()
                .map(promop::redact::redact_json_url_passwords)
                .sum(),
        );
    }
    match args.output {
        Some(Format::Json) => output::print_json_objects(&objects),
        Some(Format::Yaml) | None => {
            let text = promop::yaml::documents_to_string(&objects).map_err(CliError::usage)?;
            output::print(&text)
        }
    }
}
