//! The StatefulSet of one Prometheus shard and the Thanos sidecar: upstream
//! `makeStatefulSet`, `makeStatefulSetSpec`, `buildServerArgs`, `appendServerVolumes`,
//! `createThanosContainer` and `compactionModeFor` (`pkg/prometheus/server/statefulset.go`).

use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::api::core::v1::{Container, EnvVar, EnvVarSource, Service, Volume, VolumeMount};

use crate::monitoring::v1::Prometheus;
use crate::monitoring::v1::prometheus::ThanosSpec;
use crate::operator::OperatorOptions;
use crate::version::DEFAULT_THANOS_VERSION;
use crate::version::Version;
use crate::workload::args::{ArgList, build_args};
use crate::workload::image::build_image_path;
use crate::workload::merge::merge_patch_containers;
use crate::workload::meta::container_port;
use crate::workload::prometheus::{
    self, LOG_FILE_VOLUME, PromContext, PromKind, RULES_DIR, STORAGE_DIR, semver_text, value_or,
};
use crate::workload::reloader::{self, FALLBACK_TO_LOGS_ON_ERROR, ReloaderOptions};
use crate::workload::settings::Settings;
use crate::workload::{Generated, WorkloadError, WorkloadInput, webconfig};

/// Default retention when neither time nor size is set.
const DEFAULT_RETENTION: &str = "24h";
/// Block duration of the Thanos sidecar when `thanos.blockSize` is unset.
const DEFAULT_THANOS_BLOCK_DURATION: &str = "2h";
/// Meta file the sidecar's shipper writes and Prometheus reads to delay compaction.
const THANOS_SHIPPER_META_FILE: &str = "thanos.shipper.json";
/// Where the sidecar's HTTP client configuration for Prometheus is mounted.
const THANOS_CONFIG_DIR: &str = "/etc/thanos/config";
const THANOS_HTTP_CLIENT_FILE: &str = "prometheus.http-client-file.yaml";
const THANOS_HTTP_CLIENT_VOLUME: &str = "thanos-prometheus-http-client-file";

/// How local compaction is configured when the sidecar uploads blocks.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Compaction {
    /// Prometheus compacts as usual (no upload to object storage).
    Default,
    /// Compaction off (min = max block duration) so the sidecar uploads raw blocks.
    Disabled,
    /// Compaction on, coordinated with the sidecar through the shipper meta file.
    Delayed,
}

/// The StatefulSet of shard `input.shard` of `p`, named `prometheus-<name>` (shard 0) or
/// `prometheus-<name>-shard-<n>`.
///
/// # Errors
/// When the operator refuses: unparsable versions or image references, `additionalArgs`
/// repeating managed flags, invalid web TLS settings, unmergeable containers.
pub fn prometheus_statefulset(
    p: &Prometheus,
    options: &OperatorOptions,
    input: &WorkloadInput,
) -> Result<Generated<StatefulSet>, WorkloadError> {
    let mut ctx = PromContext::server(p, Settings::new(options))?;
    let spec = &p.spec;
    let image = build_image_path(
        ctx.cpf.image.as_deref().unwrap_or(""),
        value_or(
            spec.base_image.as_deref(),
            &ctx.settings.prometheus_base_image,
        ),
        &format!("v{}", semver_text(&ctx.version)),
        spec.tag.as_deref().unwrap_or(""),
        spec.sha.as_deref().unwrap_or(""),
    )?;

    let mut args = server_args(&ctx, p);
    let (mut volumes, mut mounts) = ctx.common_volumes(input.tls_assets_shards, true)?;
    append_server_volumes(p, &input.rule_config_map_names, &mut volumes, &mut mounts);

    let mut reloader_mounts = PromContext::reloader_volume_mounts();
    let reloader_web_config = ctx.add_web_config(
        false,
        &mut args,
        &mut volumes,
        &mut mounts,
        &mut reloader_mounts,
    )?;

    let pod_labels = ctx.pod_labels(Some(input.shard));

    let compaction = compaction_mode(p, &ctx.version)?;
    let mut additional_containers = Vec::new();
    if let Some(thanos) = &spec.thanos {
        let (container, thanos_volumes) = thanos_sidecar(&ctx, thanos, compaction)?;
        additional_containers.push(container);
        volumes.extend(thanos_volumes);
    }
    match compaction {
        Compaction::Disabled => {
            let duration = value_or(
                spec.thanos.as_ref().and_then(|t| t.block_size.as_deref()),
                DEFAULT_THANOS_BLOCK_DURATION,
            );
            args.push("storage.tsdb.max-block-duration", duration);
            args.push("storage.tsdb.min-block-duration", duration);
        }
        Compaction::Delayed => args.push(
            "storage.tsdb.delay-compact-file.path",
            format!("{STORAGE_DIR}/{THANOS_SHIPPER_META_FILE}"),
        ),
        Compaction::Default => {}
    }
    // Uploaded out-of-order blocks must not be compacted vertically before the upload.
    let out_of_order = ctx
        .cpf
        .tsdb
        .as_ref()
        .is_some_and(|t| t.out_of_order_time_window.is_some());
    if out_of_order && compaction != Compaction::Default && ctx.supports("2.55.0") {
        args.push("no-storage.tsdb.allow-overlapping-compaction", "");
    }

    let mut watched = Vec::new();
    for name in &input.rule_config_map_names {
        let path = format!("{RULES_DIR}/{name}");
        reloader_mounts.push(VolumeMount {
            name: name.clone(),
            mount_path: path.clone(),
            ..VolumeMount::default()
        });
        watched.push(path);
    }
    let zone = ctx.topology_zone(input.shard);
    let reloader_options = |web_config_file: String| ReloaderOptions {
        volume_mounts: reloader_mounts.clone(),
        watched_directories: watched.clone(),
        shard: Some(input.shard),
        zone: zone.clone().unwrap_or_default(),
        inzone_shard: zone.as_ref().map(|_| ctx.inzone_shard(input.shard)),
        web_config_file,
        ..ReloaderOptions::default()
    };
    let init_containers = merge_patch_containers(
        vec![ctx.config_reloader(true, reloader_options(String::new()))],
        &ctx.cpf.init_containers,
    )?;

    let container_args = build_args(&args.args, &ctx.cpf.additional_args)?;
    let mut env = Vec::new();
    if let Some(go_gc) = spec.runtime.as_ref().and_then(|r| r.go_gc)
        && !ctx.supports("2.53.0")
    {
        env.push(EnvVar {
            name: "GOGC".to_owned(),
            value: Some(go_gc.to_string()),
            ..EnvVar::default()
        });
    }
    let mut operator_containers = vec![
        ctx.main_container(image, container_args, env, mounts),
        ctx.config_reloader(false, reloader_options(reloader_web_config)),
    ];
    operator_containers.extend(additional_containers);
    let containers = merge_patch_containers(operator_containers, &ctx.cpf.containers)?;

    let pod = ctx.pod_spec(
        containers,
        init_containers,
        volumes,
        ctx.node_selector(input.shard),
        &pod_labels.selector,
    );
    let statefulset = ctx.statefulset(input.shard, &input.input_hash, pod_labels, pod);
    let mut warnings = ctx.warnings;
    warnings.extend(args.warnings);
    Ok(Generated {
        object: statefulset,
        warnings,
    })
}

/// The governing Service `prometheus-operated` the operator creates for the StatefulSets of a
/// namespace's Prometheus servers, or `None` when `spec.serviceName` names the user's own
/// Service (the operator only checks that it exists).
pub fn prometheus_governing_service(p: &Prometheus, options: &OperatorOptions) -> Option<Service> {
    if p.spec.service_name.is_some() {
        return None;
    }
    Some(prometheus::governing_service(
        PromKind::Server,
        p.spec.port_name.as_deref(),
        p.metadata.namespace.clone(),
        &prometheus::owner_of::<Prometheus>(&p.metadata),
        &Settings::new(options),
    ))
}

/// Upstream `buildServerArgs`: the common arguments, then retention, storage, admin API, rule
/// and query settings, overlapping blocks and WAL compression.
fn server_args(ctx: &PromContext<'_>, p: &Prometheus) -> ArgList {
    let spec = &p.spec;
    let mut args = ctx.common_args();
    let retention = spec.retention.as_deref().unwrap_or("");
    let retention_size = spec.retention_size.as_deref().unwrap_or("");
    let before_v2_7 = ctx.bypass_version_check() || ctx.version.lt("2.7.0");
    let (retention_flag, retention_value) = if before_v2_7 {
        let value = if retention.is_empty() {
            DEFAULT_RETENTION
        } else {
            retention
        };
        ("storage.tsdb.retention", value)
    } else if retention.is_empty() && retention_size.is_empty() {
        ("storage.tsdb.retention.time", DEFAULT_RETENTION)
    } else {
        ("storage.tsdb.retention.time", retention)
    };
    // From v3.11.0 retention lives in the configuration file.
    let retention_in_flags = ctx.version.lt("3.11.0");
    if !retention_value.is_empty() && retention_in_flags {
        args.push(retention_flag, retention_value);
    }
    if !retention_size.is_empty() && retention_in_flags {
        args.push_min("2.7.0", "storage.tsdb.retention.size", retention_size);
    }
    args.push("storage.tsdb.path", STORAGE_DIR);
    if spec.enable_admin_api == Some(true) {
        args.push("web.enable-admin-api", "");
    }
    if let Some(alert) = spec.rules.as_ref().and_then(|r| r.alert.as_ref()) {
        let flags = [
            (
                "rules.alert.for-outage-tolerance",
                &alert.for_outage_tolerance,
            ),
            ("rules.alert.for-grace-period", &alert.for_grace_period),
            ("rules.alert.resend-delay", &alert.resend_delay),
        ];
        for (flag, value) in flags {
            if let Some(value) = value.as_deref().filter(|v| !v.is_empty()) {
                args.push_min("2.4.0", flag, value);
            }
        }
    }
    if let Some(query) = &spec.query {
        if let Some(delta) = &query.lookback_delta {
            args.push("query.lookback-delta", delta.clone());
        }
        if let Some(max) = query.max_samples.filter(|m| *m > 0) {
            args.push_min("2.5.0", "query.max-samples", max.to_string());
        }
        if let Some(max) = query.max_concurrency.filter(|m| *m > 0) {
            args.push("query.max-concurrency", max.to_string());
        }
        if let Some(timeout) = &query.timeout {
            args.push("query.timeout", timeout.clone());
        }
    }
    if spec.allow_overlapping_blocks == Some(true) {
        args.push_between("2.11.0", "2.39.0", "storage.tsdb.allow-overlapping-blocks");
    }
    if let Some(compress) = ctx.cpf.wal_compression {
        let flag = if compress {
            "storage.tsdb.wal-compression"
        } else {
            "no-storage.tsdb.wal-compression"
        };
        args.push_min("2.11.0", flag, "");
    }
    args
}

/// Upstream `appendServerVolumes`: the query log volume (when the scrape failure log does not
/// already provide it) and the rule ConfigMaps.
fn append_server_volumes(
    p: &Prometheus,
    rule_config_maps: &[String],
    volumes: &mut Vec<Volume>,
    mounts: &mut Vec<VolumeMount>,
) {
    let query_log_volume = p
        .spec
        .query_log_file
        .as_deref()
        .is_some_and(prometheus::uses_default_log_volume)
        && p.spec.scrape_failure_log_file.is_none();
    if query_log_volume {
        volumes.push(prometheus::empty_dir_volume(LOG_FILE_VOLUME));
    }
    for name in rule_config_maps {
        volumes.push(prometheus::config_map_volume(name, name, Some(true)));
    }
    for name in rule_config_maps {
        mounts.push(webconfig::read_only_mount(
            name,
            &format!("{RULES_DIR}/{name}"),
        ));
    }
    if query_log_volume {
        mounts.push(prometheus::log_file_mount());
    }
}

fn thanos_version(thanos: &ThanosSpec) -> Result<Version, WorkloadError> {
    let text = thanos.version.as_deref().unwrap_or(DEFAULT_THANOS_VERSION);
    Version::parse(text).map_err(|_| WorkloadError::Version {
        component: "Thanos",
        value: text.to_owned(),
    })
}

/// Upstream `compactionModeFor`.
fn compaction_mode(
    p: &Prometheus,
    prometheus_version: &Version,
) -> Result<Compaction, WorkloadError> {
    if p.spec.disable_compaction == Some(true) {
        return Ok(Compaction::Disabled);
    }
    let Some(thanos) =
        p.spec.thanos.as_ref().filter(|t| {
            t.object_storage_config.is_some() || t.object_storage_config_file.is_some()
        })
    else {
        return Ok(Compaction::Default);
    };
    let thanos_version = thanos_version(thanos)?;
    if prometheus_version.gte("3.9.0") && thanos_version.gte("0.41.0") {
        Ok(Compaction::Delayed)
    } else {
        Ok(Compaction::Disabled)
    }
}

/// Upstream `createThanosContainer`: the `thanos-sidecar` container and its volumes.
fn thanos_sidecar(
    ctx: &PromContext<'_>,
    thanos: &ThanosSpec,
    compaction: Compaction,
) -> Result<(Container, Vec<Volume>), WorkloadError> {
    let cpf = &ctx.cpf;
    let image = build_image_path(
        thanos.image.as_deref().unwrap_or(""),
        thanos
            .base_image
            .as_deref()
            .unwrap_or(&ctx.settings.thanos_base_image),
        thanos.version.as_deref().unwrap_or(DEFAULT_THANOS_VERSION),
        thanos.tag.as_deref().unwrap_or(""),
        thanos.sha.as_deref().unwrap_or(""),
    )?;
    let version = thanos_version(thanos)?;
    let listen_local = thanos.listen_local == Some(true);
    let grpc_host = if listen_local || thanos.grpc_listen_local == Some(true) {
        "127.0.0.1"
    } else {
        ""
    };
    let http_host = if listen_local || thanos.http_listen_local == Some(true) {
        "127.0.0.1"
    } else {
        ""
    };

    let mut args = ArgList::new("Thanos", version.clone(), false);
    args.push(
        "prometheus.url",
        format!(
            "{}://{}:9090{}",
            ctx.uri_scheme(),
            ctx.settings.localhost,
            crate::workload::paths::clean(&ctx.route_prefix())
        ),
    );
    args.push("grpc-address", format!("{grpc_host}:10901"));
    args.push("http-address", format!("{http_host}:10902"));
    if let Some(tls) = &thanos.grpc_server_tls_config {
        for (flag, file) in [
            ("grpc-server-tls-cert", &tls.cert_file),
            ("grpc-server-tls-key", &tls.key_file),
            ("grpc-server-tls-client-ca", &tls.ca_file),
        ] {
            if !file.is_empty() {
                args.push(flag, file.clone());
            }
        }
        let min_version = tls.min_version.as_deref().and_then(thanos_tls_version);
        if let Some(min_version) = min_version.filter(|_| version.gte("0.37.0")) {
            args.push("grpc-server-tls-min-version", min_version);
        }
        if !tls.cipher_suites.is_empty() && version.gte("0.42.0") {
            args.push("grpc-server-tls-ciphers", tls.cipher_suites.join(","));
        }
        if !tls.curves.is_empty() && version.gte("0.42.0") {
            args.push("grpc-server-tls-curves", tls.curves.join(","));
        }
    }

    let mut env = Vec::new();
    let mut mounts: Vec<VolumeMount> = thanos
        .volume_mounts
        .iter()
        .map(|m| VolumeMount {
            name: m.name.clone(),
            mount_path: m.mount_path.clone(),
            ..VolumeMount::default()
        })
        .collect();
    if thanos.object_storage_config.is_some() || thanos.object_storage_config_file.is_some() {
        if let Some(file) = &thanos.object_storage_config_file {
            args.push("objstore.config-file", file.clone());
        } else if let Some(secret) = &thanos.object_storage_config {
            args.push("objstore.config", "$(OBJSTORE_CONFIG)");
            env.push(secret_env("OBJSTORE_CONFIG", secret));
        }
        args.push("tsdb.path", STORAGE_DIR);
        mounts.push(VolumeMount {
            name: ctx.volume_claim_name(),
            mount_path: STORAGE_DIR.to_owned(),
            sub_path: prometheus::storage_sub_path(cpf.storage.as_ref(), "prometheus-db"),
            ..VolumeMount::default()
        });
        if compaction == Compaction::Delayed {
            args.push("shipper.meta-file-name", THANOS_SHIPPER_META_FILE);
            args.push("shipper.ignore-unequal-block-size", "");
        }
    }
    let tracing_file = thanos.tracing_config_file.as_deref().unwrap_or("");
    if !tracing_file.is_empty() {
        args.push("tracing.config-file", tracing_file);
    } else if let Some(secret) = &thanos.tracing_config {
        args.push("tracing.config", "$(TRACING_CONFIG)");
        env.push(secret_env("TRACING_CONFIG", secret));
    }
    let own_or_prometheus = |own: &Option<String>, prometheus: &Option<String>| {
        own.clone()
            .filter(|v| !v.is_empty())
            .or_else(|| prometheus.clone().filter(|v| !v.is_empty()))
    };
    if let Some(level) = own_or_prometheus(&thanos.log_level, &cpf.log_level) {
        args.push("log.level", level);
    }
    if let Some(format) = own_or_prometheus(&thanos.log_format, &cpf.log_format) {
        args.push("log.format", format);
    }
    if let Some(min_time) = thanos.min_time.as_deref().filter(|t| !t.is_empty()) {
        args.push("min-time", min_time);
    }
    if let Some(timeout) = thanos.ready_timeout.as_deref().filter(|t| !t.is_empty()) {
        args.push("prometheus.ready_timeout", timeout);
    }
    if version.gte("0.29.0") {
        if let Some(timeout) = thanos
            .get_config_timeout
            .as_deref()
            .filter(|t| !t.is_empty())
        {
            args.push("prometheus.get_config_timeout", timeout);
        }
        if let Some(interval) = thanos
            .get_config_interval
            .as_deref()
            .filter(|t| !t.is_empty())
        {
            args.push("prometheus.get_config_interval", interval);
        }
    }
    let mut volumes = Vec::new();
    if version.gte("0.24.0") {
        args.push(
            "prometheus.http-client-file",
            format!("{THANOS_CONFIG_DIR}/{THANOS_HTTP_CLIENT_FILE}"),
        );
        mounts.push(VolumeMount {
            name: THANOS_HTTP_CLIENT_VOLUME.to_owned(),
            mount_path: THANOS_CONFIG_DIR.to_owned(),
            ..VolumeMount::default()
        });
        volumes.push(webconfig::secret_volume(
            THANOS_HTTP_CLIENT_VOLUME,
            &format!("{}-{THANOS_HTTP_CLIENT_VOLUME}", ctx.prefixed_name()),
        ));
    }
    let mut container_args = vec!["sidecar".to_owned()];
    container_args.extend(build_args(&args.args, &thanos.additional_args)?);
    let container = Container {
        name: "thanos-sidecar".to_owned(),
        image: Some(image),
        image_pull_policy: cpf.image_pull_policy.clone(),
        termination_message_policy: Some(FALLBACK_TO_LOGS_ON_ERROR.to_owned()),
        security_context: Some(reloader::restricted_security_context()),
        ports: Some(vec![
            container_port("http", 10902, None),
            container_port("grpc", 10901, None),
        ]),
        resources: Some(thanos.resources.clone().unwrap_or_default()),
        args: Some(container_args),
        env: Some(env).filter(|e| !e.is_empty()),
        volume_mounts: Some(mounts).filter(|m| !m.is_empty()),
        ..Container::default()
    };
    Ok((container, volumes))
}

/// Upstream `TLSVersionForThanos`: `TLS13` → `1.3`.
fn thanos_tls_version(version: &str) -> Option<&'static str> {
    match version {
        "TLS10" => Some("1.0"),
        "TLS11" => Some("1.1"),
        "TLS12" => Some("1.2"),
        "TLS13" => Some("1.3"),
        _ => None,
    }
}

fn secret_env(name: &str, secret: &k8s_openapi::api::core::v1::SecretKeySelector) -> EnvVar {
    EnvVar {
        name: name.to_owned(),
        value_from: Some(EnvVarSource {
            secret_key_ref: Some(secret.clone()),
            ..EnvVarSource::default()
        }),
        ..EnvVar::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prometheus(spec: serde_json::Value) -> Prometheus {
        crate::workload::instance_with_spec("monitoring", "k8s", spec)
    }

    /// The StatefulSet of Prometheus `monitoring/k8s` with `spec`, under the operator's
    /// defaults.
    fn statefulset(spec: serde_json::Value) -> k8s_openapi::api::apps::v1::StatefulSet {
        prometheus_statefulset(
            &prometheus(spec),
            &OperatorOptions::default(),
            &WorkloadInput::default(),
        )
        .unwrap()
        .object
    }

    #[test]
    fn default_prometheus_has_the_operator_containers_and_args() {
        let sts = statefulset(serde_json::json!({}));
        assert_eq!(sts.metadata.name.as_deref(), Some("prometheus-k8s"));
        let pod = sts.spec.unwrap().template.spec.unwrap();
        let names: Vec<&str> = pod.containers.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["prometheus", "config-reloader"]);
        assert_eq!(
            pod.containers[0].args.as_deref().unwrap(),
            [
                "--config.file=/etc/prometheus/config_out/prometheus.env.yaml",
                "--web.enable-lifecycle",
                "--web.route-prefix=/",
                // From v3.11.0 the retention is in the configuration file.
                "--storage.tsdb.path=/prometheus",
                "--web.config.file=/etc/prometheus/web_config/web-config.yaml",
            ]
        );
        assert_eq!(
            pod.containers[0].image.as_deref(),
            Some("quay.io/prometheus/prometheus:v3.13.2")
        );
    }

    #[test]
    fn a_route_prefix_without_a_slash_is_rooted_in_urls_and_not_in_probe_paths() {
        let sts = statefulset(serde_json::json!({"routePrefix": "prom"}));
        assert!(sts.spec.as_ref().unwrap().min_ready_seconds.is_none());
        let pod = sts.spec.unwrap().template.spec.unwrap();
        let reloader = pod.containers[1].args.as_deref().unwrap();
        assert!(
            reloader.contains(&"--reload-url=http://localhost:9090/prom/-/reload".to_owned()),
            "{reloader:?}"
        );
        // Upstream's HTTPGetAction takes the cleaned path as it is.
        let readiness = pod.containers[0].readiness_probe.as_ref().unwrap();
        assert_eq!(
            readiness.http_get.as_ref().unwrap().path.as_deref(),
            Some("prom/-/ready")
        );
    }

    #[test]
    fn remote_write_2_below_2_54_drops_every_later_gated_flag_as_upstream_does() {
        let sts = statefulset(serde_json::json!({
            "version": "v2.50.0",
            "remoteWrite": [{"url": "http://rw", "messageVersion": "V2.0"}],
            "enableFeatures": ["exemplar-storage"],
            "enableOTLPReceiver": true,
            "logFormat": "json",
        }));
        let pod = sts.spec.unwrap().template.spec.unwrap();
        let args = pod.containers[0].args.as_deref().unwrap();
        for dropped in ["--enable-feature", "--log.format"] {
            assert!(!args.iter().any(|a| a.starts_with(dropped)), "{args:?}");
        }
        assert!(
            args.contains(&"--web.route-prefix=/".to_owned()),
            "{args:?}"
        );
    }

    #[test]
    fn kubernetes_1_36_fields_of_the_pod_pass_through() {
        let sts = statefulset(serde_json::json!({
            "containers": [{"name": "prometheus", "env": [{"name": "X", "valueFrom": {
                "fileKeyRef": {"path": "p", "key": "k", "volumeName": "v"}}}]}],
            "initContainers": [{"name": "sidecar", "restartPolicy": "Always",
                "restartPolicyRules": [{"action": "Restart",
                    "exitCodes": {"operator": "In", "values": [42]}}]}],
        }));
        let pod = serde_json::to_value(sts.spec.unwrap().template.spec.unwrap()).unwrap();
        let env = &pod["containers"][0]["env"];
        let x = env
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["name"] == "X")
            .unwrap();
        assert_eq!(x["valueFrom"]["fileKeyRef"]["volumeName"], "v", "{x}");
        let sidecar = pod["initContainers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == "sidecar")
            .unwrap();
        assert_eq!(
            sidecar["restartPolicyRules"][0]["action"], "Restart",
            "{sidecar}"
        );
    }

    #[test]
    fn thanos_object_storage_disables_compaction_on_old_versions() {
        let sts = statefulset(serde_json::json!({
            "version": "v2.55.0",
            "thanos": {"objectStorageConfig": {"name": "s", "key": "k"}}
        }));
        let pod = sts.spec.unwrap().template.spec.unwrap();
        let args = pod.containers[0].args.as_deref().unwrap();
        assert!(args.contains(&"--storage.tsdb.max-block-duration=2h".to_owned()));
        assert_eq!(pod.containers[2].name, "thanos-sidecar");
    }

    #[test]
    fn managed_flags_cannot_be_repeated() {
        let p = prometheus(serde_json::json!({
            "additionalArgs": [{"name": "config.file", "value": "/x"}]
        }));
        let err =
            prometheus_statefulset(&p, &OperatorOptions::default(), &WorkloadInput::default())
                .unwrap_err();
        assert_eq!(
            err,
            WorkloadError::ManagedArguments(vec!["config.file".into()])
        );
    }
}
