//! The workload of a PrometheusAgent: one StatefulSet per shard, or one DaemonSet in
//! `mode: DaemonSet`. Mirrors upstream `makeStatefulSet`, `makeStatefulSetSpec` and
//! `buildAgentArgs` (`pkg/prometheus/agent/statefulset.go`), and `makeDaemonSet`,
//! `makeDaemonSetSpec` (`pkg/prometheus/agent/daemonset.go`).

use k8s_openapi::api::apps::v1::{DaemonSet, DaemonSetSpec};
use k8s_openapi::api::core::v1::Service;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;

use crate::monitoring::v1alpha1::PrometheusAgent;
use crate::operator::OperatorOptions;
use crate::workload::args::{ArgList, build_args};
use crate::workload::image::build_image_path;
use crate::workload::merge::merge_patch_containers;
use crate::workload::meta;
use crate::workload::prometheus::{
    self, PodLabels, PromContext, PromKind, STORAGE_DIR, semver_text,
};
use crate::workload::reloader::ReloaderOptions;
use crate::workload::settings::Settings;
use crate::workload::{Generated, Workload, WorkloadError, WorkloadInput};

/// The workload of `agent`: the StatefulSet of shard `input.shard`
/// (`prom-agent-<name>[-shard-<n>]`), or the DaemonSet `prom-agent-<name>` when
/// `spec.mode: DaemonSet`, which needs the `PrometheusAgentDaemonSet` feature gate.
///
/// # Errors
/// As [`crate::workload::prometheus_statefulset`], and [`WorkloadError::DaemonSetGate`].
pub fn agent_workload(
    agent: &PrometheusAgent,
    options: &OperatorOptions,
    input: &WorkloadInput,
) -> Result<Generated<Workload>, WorkloadError> {
    if !options.allows_agent_mode(agent) {
        return Err(WorkloadError::DaemonSetGate);
    }
    let daemon_set = agent.spec.daemon_set_mode();
    let mut ctx = PromContext::agent(agent, Settings::new(options))?;
    let image = build_image_path(
        ctx.cpf.image.as_deref().unwrap_or(""),
        &ctx.settings.prometheus_base_image,
        &format!("v{}", semver_text(&ctx.version)),
        "",
        "",
    )?;
    let mut args = agent_args(&ctx);
    let (mut volumes, mut mounts) = ctx.common_volumes(input.tls_assets_shards, !daemon_set)?;
    let mut reloader_mounts = PromContext::reloader_volume_mounts();
    let reloader_web_config = ctx.add_web_config(
        daemon_set,
        &mut args,
        &mut volumes,
        &mut mounts,
        &mut reloader_mounts,
    )?;

    let pod_labels = ctx.pod_labels((!daemon_set).then_some(input.shard));

    let zone = if daemon_set {
        None
    } else {
        ctx.topology_zone(input.shard)
    };
    let reloader_options = |web_config_file: String| {
        let mut options = ReloaderOptions {
            volume_mounts: reloader_mounts.clone(),
            web_config_file,
            ..ReloaderOptions::default()
        };
        if daemon_set {
            // Upstream keeps SHARD=0 in DaemonSet mode, where it means nothing.
            options.node_name_env = true;
            options.shard = Some(0);
        } else {
            options.shard = Some(input.shard);
            options.zone = zone.clone().unwrap_or_default();
            options.inzone_shard = zone.as_ref().map(|_| ctx.inzone_shard(input.shard));
        }
        options
    };
    let init_containers = merge_patch_containers(
        vec![ctx.config_reloader(true, reloader_options(String::new()))],
        &ctx.cpf.init_containers,
    )?;
    let container_args = build_args(&args.args, &ctx.cpf.additional_args)?;
    let containers = merge_patch_containers(
        vec![
            ctx.main_container(image, container_args, Vec::new(), mounts),
            ctx.config_reloader(false, reloader_options(reloader_web_config)),
        ],
        &ctx.cpf.containers,
    )?;
    let node_selector = if daemon_set {
        ctx.cpf.node_selector.clone()
    } else {
        ctx.node_selector(input.shard)
    };
    let pod = ctx.pod_spec(
        containers,
        init_containers,
        volumes,
        node_selector,
        &pod_labels.selector,
    );

    let object = if daemon_set {
        Workload::DaemonSet(Box::new(daemon_set_object(&ctx, pod_labels, pod)))
    } else {
        Workload::StatefulSet(Box::new(ctx.statefulset(
            input.shard,
            &input.input_hash,
            pod_labels,
            pod,
        )))
    };
    let mut warnings = ctx.warnings;
    warnings.extend(args.warnings);
    Ok(Generated { object, warnings })
}

/// The governing Service `prometheus-agent-operated` of agent StatefulSets, or `None` for a
/// DaemonSet or when `spec.serviceName` names the user's own Service.
pub fn agent_governing_service(
    agent: &PrometheusAgent,
    options: &OperatorOptions,
) -> Option<Service> {
    if agent.spec.service_name.is_some() || agent.spec.daemon_set_mode() {
        return None;
    }
    Some(prometheus::governing_service(
        PromKind::Agent,
        agent.spec.port_name.as_deref(),
        agent.metadata.namespace.clone(),
        &prometheus::owner_of::<PrometheusAgent>(&agent.metadata),
        &Settings::new(options),
    ))
}

/// Upstream `buildAgentArgs`.
fn agent_args(ctx: &PromContext<'_>) -> ArgList {
    let mut args = ctx.common_args();
    match ctx.version.major {
        2 => args.push("enable-feature", "agent"),
        _ => args.push("agent", ""),
    }
    args.push("storage.agent.path", STORAGE_DIR);
    if let Some(compress) = ctx.cpf.wal_compression {
        let flag = if compress {
            "storage.agent.wal-compression"
        } else {
            "no-storage.agent.wal-compression"
        };
        args.push(flag, "");
    }
    args
}

/// Upstream `makeDaemonSet`: no storage, no `spec.volumes`, no input hash.
fn daemon_set_object(
    ctx: &PromContext<'_>,
    labels: PodLabels,
    mut pod: k8s_openapi::api::core::v1::PodSpec,
) -> DaemonSet {
    super::quantity::canonicalize_pod(&mut pod);
    let mut mode = std::collections::BTreeMap::new();
    mode.insert(
        prometheus::MODE_LABEL.to_owned(),
        PromKind::Agent.mode().to_owned(),
    );
    let metadata = ctx
        .object_meta(ctx.prefixed_name())
        .labels(&ctx.meta.labels.clone().unwrap_or_default())
        .labels(&mode)
        .labels(&labels.selector)
        .labels(ctx.settings.labels)
        .owner(&ctx.owner, true)
        .build();
    DaemonSet {
        metadata,
        spec: Some(DaemonSetSpec {
            selector: LabelSelector {
                match_labels: Some(labels.selector),
                ..LabelSelector::default()
            },
            // Kubernetes' type omits a zero.
            min_ready_seconds: ctx.cpf.min_ready_seconds.filter(|seconds| *seconds != 0),
            template: meta::pod_template(labels.labels, labels.annotations, pod),
            ..DaemonSetSpec::default()
        }),
        status: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agent(spec: serde_json::Value) -> PrometheusAgent {
        crate::workload::instance_with_spec("ns", "a", spec)
    }

    #[test]
    fn daemon_set_needs_the_feature_gate() {
        let a = agent(serde_json::json!({"mode": "DaemonSet"}));
        let err =
            agent_workload(&a, &OperatorOptions::default(), &WorkloadInput::default()).unwrap_err();
        assert_eq!(err, WorkloadError::DaemonSetGate);
        let options = OperatorOptions {
            daemon_set: true,
            ..OperatorOptions::default()
        };
        let generated = agent_workload(&a, &options, &WorkloadInput::default()).unwrap();
        let Workload::DaemonSet(ds) = generated.object else {
            panic!("want a DaemonSet");
        };
        assert_eq!(ds.metadata.name.as_deref(), Some("prom-agent-a"));
    }

    #[test]
    fn agent_flag_depends_on_the_major_version() {
        let a = agent(serde_json::json!({"version": "v2.53.0"}));
        let generated =
            agent_workload(&a, &OperatorOptions::default(), &WorkloadInput::default()).unwrap();
        let Workload::StatefulSet(sts) = generated.object else {
            panic!("want a StatefulSet");
        };
        let args = sts.spec.unwrap().template.spec.unwrap().containers[0]
            .args
            .clone()
            .unwrap();
        assert!(args.contains(&"--enable-feature=agent".to_owned()));
    }
}
