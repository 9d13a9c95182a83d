//! The StatefulSet of an Alertmanager and its governing Service: upstream `makeStatefulSet`,
//! `makeStatefulSetSpec` and `makeStatefulSetService` (`pkg/alertmanager/statefulset.go`).

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::api::core::v1::{
    ConfigMapProjection, Container, HTTPGetAction, KeyToPath, PodSpec, Probe,
    ProjectedVolumeSource, ResourceRequirements, SecretProjection, Service, ServicePort,
    ServiceSpec, Volume, VolumeMount, VolumeProjection,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::monitoring::v1::Alertmanager;
use crate::monitoring::v1::alertmanager::AlertmanagerSpec;
use crate::operator::OperatorOptions;
use crate::render::Warning;
use crate::version::DEFAULT_ALERTMANAGER_VERSION;
use crate::version::Version;
use crate::workload::args::{ArgList, build_args, intersection, log_format_flag};
use crate::workload::image::build_image_path;
use crate::workload::merge::merge_patch_containers;
use crate::workload::meta::{
    self, APP_INSTANCE_LABEL, APP_NAME_LABEL, APP_VERSION_LABEL, DEFAULT_CONTAINER_ANNOTATION,
    MANAGED_BY_LABEL, MANAGED_BY_VALUE, MetaBuilder, container_port,
};
use crate::workload::prometheus::{
    StatefulSetShape, apply_dns, host_aliases, memory_volume, owner_of, semver_text,
    storage_sub_path, tls_assets_volume, value_or, volume_claim_name,
};
use crate::workload::reloader::{self, FALLBACK_TO_LOGS_ON_ERROR, ReloaderOptions};
use crate::workload::settings::Settings;
use crate::workload::{
    DEFAULT_WEB_PORT_NAME, Generated, WorkloadError, WorkloadInput, naming, paths, web_port_name,
    webconfig,
};

/// The headless Service every Alertmanager StatefulSet names.
pub(crate) const GOVERNING_SERVICE: &str = "alertmanager-operated";
const DEFAULT_RETENTION: &str = "120h";
/// Memory request set when `spec.resources` asks for none.
const DEFAULT_MEMORY_REQUEST: &str = "200Mi";
// The configuration names these paths; the workload mounts what it names there.
pub(crate) use crate::alertmanager::TEMPLATES_DIR;
pub(crate) use crate::alertmanager::store::TLS_ASSETS_DIR;
pub(crate) const SECRETS_DIR: &str = "/etc/alertmanager/secrets";
pub(crate) const CONFIGMAPS_DIR: &str = "/etc/alertmanager/configmaps";
pub(crate) const WEB_CONFIG_DIR: &str = "/etc/alertmanager/web_config";
pub(crate) const CLUSTER_TLS_DIR: &str = "/etc/alertmanager/cluster_tls_config";
pub(crate) const CONFIG_DIR: &str = "/etc/alertmanager/config";
pub(crate) const CONFIG_OUT_DIR: &str = "/etc/alertmanager/config_out";
pub(crate) const STORAGE_DIR: &str = "/alertmanager";
const TEMPLATES_VOLUME: &str = "notification-templates";
const CONFIG_VOLUME: &str = "config-volume";
const CONFIG_OUT_VOLUME: &str = "config-out";
const CONFIG_FILE_COMPRESSED: &str = "alertmanager.yaml.gz";
const CONFIG_ENVSUBST_FILE: &str = "alertmanager.env.yaml";
const WEB_PORT: i32 = 9093;
const MESH_PORT: i32 = 9094;
const MESH_TCP_PORT_NAME: &str = "mesh-tcp";
const MESH_UDP_PORT_NAME: &str = "mesh-udp";
const PROBE_TIMEOUT_SECONDS: i32 = 3;
const DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS: i64 = 120;
/// Most replicas listed as `--cluster.peer` flags.
const MAX_PEERS: i32 = 1_000;

/// The StatefulSet `alertmanager-<name>`.
///
/// # Errors
/// When the operator refuses: unparsable version or image reference, `additionalArgs`
/// repeating managed flags, invalid web or cluster TLS settings, unmergeable containers.
pub fn alertmanager_statefulset(
    am: &Alertmanager,
    options: &OperatorOptions,
    input: &WorkloadInput,
) -> Result<Generated<StatefulSet>, WorkloadError> {
    let settings = Settings::new(options);
    let spec = with_defaults(&am.spec);
    let name = am.metadata.name.as_deref().unwrap_or("");
    let prefixed = format!("alertmanager-{name}");
    let (pod_spec_parts, warnings) = statefulset_spec(am, &spec, &settings, input)?;
    let PodParts {
        mut pod,
        selector,
        pod_labels,
        pod_annotations,
    } = pod_spec_parts;

    pod.image_pull_secrets = Some(spec.image_pull_secrets.clone()).filter(|s| !s.is_empty());
    let shape = StatefulSetShape {
        service_name: service_name(&spec).to_owned(),
        replicas: spec.replicas,
        min_ready_seconds: spec.min_ready_seconds,
        pod_management_policy: spec.pod_management_policy.as_deref(),
        update_strategy: spec.update_strategy.as_ref(),
        claim_retention: spec.persistent_volume_claim_retention_policy.as_ref(),
        storage: spec.storage.as_ref(),
        volumes: &spec.volumes,
    };
    let db_volume = format!("{prefixed}-db");

    let metadata = MetaBuilder::new(prefixed, am.metadata.namespace.clone())
        .annotations(&am.metadata.annotations.clone().unwrap_or_default())
        .annotations(settings.annotations)
        .input_hash(&input.input_hash)
        .labels(&am.metadata.labels.clone().unwrap_or_default())
        .labels(&selector)
        .labels(settings.labels)
        .owner(&owner_of::<Alertmanager>(&am.metadata), true)
        .build();
    let statefulset = StatefulSet {
        metadata,
        spec: Some(shape.spec(&db_volume, selector, pod_labels, pod_annotations, pod)),
        status: None,
    };
    Ok(Generated {
        object: statefulset,
        warnings,
    })
}

/// The governing Service `alertmanager-operated` (web and mesh ports), or `None` when
/// `spec.serviceName` names the user's own Service.
pub fn alertmanager_governing_service(
    am: &Alertmanager,
    options: &OperatorOptions,
) -> Option<Service> {
    if am.spec.service_name.is_some() {
        return None;
    }
    let settings = Settings::new(options);
    let port_name = value_or(am.spec.port_name.as_deref(), DEFAULT_WEB_PORT_NAME).to_owned();
    let mut labels = BTreeMap::new();
    labels.insert("operated-alertmanager".to_owned(), "true".to_owned());
    let mut selector = BTreeMap::new();
    selector.insert(APP_NAME_LABEL.to_owned(), "alertmanager".to_owned());
    let port = |name: &str, number: i32, target: &str, protocol: &str| ServicePort {
        name: Some(name.to_owned()),
        port: number,
        target_port: Some(IntOrString::String(target.to_owned())),
        protocol: Some(protocol.to_owned()),
        ..ServicePort::default()
    };
    Some(Service {
        metadata: MetaBuilder::new(GOVERNING_SERVICE.to_owned(), am.metadata.namespace.clone())
            .annotations(settings.annotations)
            .labels(&labels)
            .labels(settings.labels)
            .owner(&owner_of::<Alertmanager>(&am.metadata), false)
            .build(),
        spec: Some(ServiceSpec {
            cluster_ip: Some("None".to_owned()),
            publish_not_ready_addresses: Some(true),
            ports: Some(vec![
                port(&port_name, WEB_PORT, &port_name, "TCP"),
                port("tcp-mesh", MESH_PORT, MESH_TCP_PORT_NAME, "TCP"),
                port("udp-mesh", MESH_PORT, MESH_UDP_PORT_NAME, "UDP"),
            ]),
            selector: Some(selector),
            ..ServiceSpec::default()
        }),
        status: None,
    })
}

/// The defaults `makeStatefulSet` writes into the spec before building it.
fn with_defaults(spec: &AlertmanagerSpec) -> AlertmanagerSpec {
    let mut spec = spec.clone();
    if spec.port_name.as_deref().is_none_or(str::is_empty) {
        spec.port_name = Some(DEFAULT_WEB_PORT_NAME.to_owned());
    }
    spec.replicas = Some(spec.replicas.unwrap_or(1).max(0));
    if spec.retention.as_deref().is_none_or(str::is_empty) {
        spec.retention = Some(DEFAULT_RETENTION.to_owned());
    }
    let resources = spec
        .resources
        .get_or_insert_with(ResourceRequirements::default);
    resources
        .requests
        .get_or_insert_with(BTreeMap::new)
        .entry("memory".to_owned())
        .or_insert_with(|| Quantity(DEFAULT_MEMORY_REQUEST.to_owned()));
    spec
}

fn service_name(spec: &AlertmanagerSpec) -> &str {
    spec.service_name.as_deref().unwrap_or(GOVERNING_SERVICE)
}

/// The pod spec and the labels around it.
struct PodParts {
    pod: PodSpec,
    selector: BTreeMap<String, String>,
    pod_labels: BTreeMap<String, String>,
    pod_annotations: BTreeMap<String, String>,
}

/// The labels that select the pods of Alertmanager `name` (its StatefulSet's selector; every
/// pod carries them).
pub(crate) fn selector_labels(name: &str) -> BTreeMap<String, String> {
    BTreeMap::from([
        (APP_NAME_LABEL.to_owned(), "alertmanager".to_owned()),
        (MANAGED_BY_LABEL.to_owned(), MANAGED_BY_VALUE.to_owned()),
        (APP_INSTANCE_LABEL.to_owned(), name.to_owned()),
        ("alertmanager".to_owned(), name.to_owned()),
    ])
}

/// Upstream `makeStatefulSetSpec`, up to the pod spec.
fn statefulset_spec(
    am: &Alertmanager,
    spec: &AlertmanagerSpec,
    settings: &Settings<'_>,
    input: &WorkloadInput,
) -> Result<(PodParts, Vec<Warning>), WorkloadError> {
    let name = am.metadata.name.as_deref().unwrap_or("");
    let namespace = am.metadata.namespace.as_deref().unwrap_or("");
    let prefixed = format!("alertmanager-{name}");
    let version_text =
        crate::version::text_in_effect(spec.version.as_deref(), DEFAULT_ALERTMANAGER_VERSION);
    let image = build_image_path(
        spec.image.as_deref().unwrap_or(""),
        value_or(
            spec.base_image.as_deref(),
            &settings.alertmanager_base_image,
        ),
        version_text,
        spec.tag.as_deref().unwrap_or(""),
        spec.sha.as_deref().unwrap_or(""),
    )?;
    let version = Version::parse(version_text).map_err(|_| WorkloadError::Version {
        component: "Alertmanager",
        value: version_text.to_owned(),
    })?;
    let port_name = spec.port_name.clone().unwrap_or_default();
    let replicas = spec.replicas.unwrap_or(1);
    let route_prefix = value_or(spec.route_prefix.as_deref(), "/");
    let mut warnings = Vec::new();

    let mut args = alertmanager_args(am, spec, &version);
    let https = spec.web.as_ref().is_some_and(|w| w.tls_config.is_some()) && version.gte("0.22.0");

    let (liveness, readiness) = if spec.listen_local {
        (None, None)
    } else {
        let handler = |probe_path: &str| HTTPGetAction {
            path: Some(paths::clean(&format!("{route_prefix}{probe_path}"))),
            port: IntOrString::String(port_name.clone()),
            scheme: https.then(|| "HTTPS".to_owned()),
            ..HTTPGetAction::default()
        };
        (
            Some(Probe {
                http_get: Some(handler("/-/healthy")),
                timeout_seconds: Some(PROBE_TIMEOUT_SECONDS),
                failure_threshold: Some(10),
                ..Probe::default()
            }),
            Some(Probe {
                http_get: Some(handler("/-/ready")),
                initial_delay_seconds: Some(3),
                timeout_seconds: Some(3),
                period_seconds: Some(5),
                failure_threshold: Some(10),
                ..Probe::default()
            }),
        )
    };

    let mut pod_annotations = BTreeMap::new();
    let mut pod_labels = BTreeMap::new();
    pod_labels.insert(APP_VERSION_LABEL.to_owned(), semver_text(&version));
    let selector = selector_labels(name);
    if let Some(pod) = &spec.pod_metadata {
        pod_labels.extend(pod.labels.clone());
        pod_annotations.extend(pod.annotations.clone());
    }
    pod_labels.extend(selector.clone());
    pod_annotations.insert(
        DEFAULT_CONTAINER_ANNOTATION.to_owned(),
        "alertmanager".to_owned(),
    );

    let peer_domain = if settings.options.cluster_domain.is_empty() {
        // The default DNS search path resolves `<service>` inside the namespace.
        service_name(spec).to_owned()
    } else {
        format!(
            "{}.{namespace}.svc.{}.",
            service_name(spec),
            settings.options.cluster_domain
        )
    };
    for i in 0..replicas.min(MAX_PEERS) {
        args.push(
            "cluster.peer",
            format!("{prefixed}-{i}.{peer_domain}:{MESH_PORT}"),
        );
    }
    for peer in &spec.additional_peers {
        args.push("cluster.peer", peer.clone());
    }
    // A restarted member must leave the cluster quickly, not after the default 6h.
    args.push("cluster.reconnect-timeout", "5m");

    let mut ports = Vec::new();
    if let Some(name) = web_port_name(spec.port_name.as_deref(), spec.listen_local) {
        ports.push(container_port(name, WEB_PORT, Some("TCP")));
    }
    ports.push(container_port(MESH_TCP_PORT_NAME, MESH_PORT, Some("TCP")));
    ports.push(container_port(MESH_UDP_PORT_NAME, MESH_PORT, Some("UDP")));

    let mut volumes = vec![
        webconfig::secret_volume(
            CONFIG_VOLUME,
            &crate::alertmanager::generated_secret_name(name),
        ),
        tls_assets_volume(&format!("{prefixed}-tls-assets"), input.tls_assets_shards),
        memory_volume(CONFIG_OUT_VOLUME),
    ];
    let volume_name = volume_claim_name(spec.storage.as_ref(), &prefixed);
    let mut mounts = vec![
        VolumeMount {
            name: CONFIG_VOLUME.to_owned(),
            mount_path: CONFIG_DIR.to_owned(),
            ..VolumeMount::default()
        },
        webconfig::read_only_mount(CONFIG_OUT_VOLUME, CONFIG_OUT_DIR),
        webconfig::read_only_mount("tls-assets", TLS_ASSETS_DIR),
        VolumeMount {
            name: volume_name,
            mount_path: STORAGE_DIR.to_owned(),
            sub_path: storage_sub_path(spec.storage.as_ref(), "alertmanager-db"),
            ..VolumeMount::default()
        },
    ];
    let mut watched = vec![CONFIG_DIR.to_owned()];
    let mut reloader_mounts = vec![
        webconfig::read_only_mount(CONFIG_VOLUME, CONFIG_DIR),
        VolumeMount {
            name: CONFIG_OUT_VOLUME.to_owned(),
            mount_path: CONFIG_OUT_DIR.to_owned(),
            ..VolumeMount::default()
        },
    ];

    let templates = spec
        .alertmanager_configuration
        .as_ref()
        .map(|c| c.templates.as_slice())
        .unwrap_or_default();
    if !templates.is_empty() {
        volumes.push(templates_volume(templates, &mut warnings));
        let mount = webconfig::read_only_mount(TEMPLATES_VOLUME, TEMPLATES_DIR);
        mounts.push(mount.clone());
        reloader_mounts.push(mount);
        watched.push(TEMPLATES_DIR.to_owned());
    }
    for secret in &spec.secrets {
        let volume = naming::dns1123_label("secret", secret)?;
        let path = paths::join(&[SECRETS_DIR, secret]);
        volumes.push(webconfig::secret_volume(&volume, secret));
        let mount = webconfig::read_only_mount(&volume, &path);
        mounts.push(mount.clone());
        reloader_mounts.push(mount);
        watched.push(path);
    }
    for config_map in &spec.config_maps {
        let volume = naming::dns1123_label("configmap", config_map)?;
        let path = paths::join(&[CONFIGMAPS_DIR, config_map]);
        volumes.push(crate::workload::prometheus::config_map_volume(
            &volume, config_map, None,
        ));
        let mount = webconfig::read_only_mount(&volume, &path);
        mounts.push(mount.clone());
        reloader_mounts.push(mount);
        watched.push(path);
    }
    mounts.extend(spec.volume_mounts.iter().cloned());

    let mut reloader_web_config = String::new();
    if version.gte("0.22.0") {
        let tls = spec.web.as_ref().and_then(|w| w.tls_config.as_ref());
        let web = webconfig::web_config(WEB_CONFIG_DIR, &format!("{prefixed}-web-config"), tls)?;
        if let Some((flag, value)) = web.flag {
            args.push(flag, value.clone());
            reloader_web_config = value;
        }
        volumes.extend(web.volumes);
        mounts.extend(web.mounts.iter().cloned());
        reloader_mounts.extend(web.mounts);
    }
    if version.gte("0.24.0") {
        let cluster_tls = spec.cluster_tls.as_ref();
        let tls = webconfig::cluster_tls_config(
            CLUSTER_TLS_DIR,
            &format!("{prefixed}-cluster-tls-config"),
            cluster_tls.map(|c| &c.server),
            cluster_tls.map(|c| &c.client),
        )?;
        if let Some((flag, value)) = tls.flag {
            args.push(flag, value);
        }
        volumes.extend(tls.volumes);
        mounts.extend(tls.mounts);
    }

    let final_selector = settings.with_operator_labels(&selector);
    let final_labels = settings.with_operator_labels(&pod_labels);
    let container_args = build_args(&args.args, &spec.additional_args)?;
    let mut env = vec![reloader::field_env("POD_IP", "status.podIP")];
    if version.gte("0.30.0") {
        env.push(reloader::field_env("POD_NAME", "metadata.name"));
    }
    let alertmanager = Container {
        name: "alertmanager".to_owned(),
        image: Some(image),
        image_pull_policy: spec.image_pull_policy.clone(),
        args: Some(container_args),
        ports: Some(ports),
        volume_mounts: Some(mounts),
        liveness_probe: liveness,
        readiness_probe: readiness,
        resources: spec.resources.clone(),
        security_context: Some(reloader::restricted_security_context()),
        env: Some(env),
        termination_message_policy: Some(FALLBACK_TO_LOGS_ON_ERROR.to_owned()),
        ..Container::default()
    };
    let scheme = if https { "https" } else { "http" };
    let reloader_options = |init: bool| ReloaderOptions {
        init_container: init,
        listen_local: !init && spec.listen_local,
        reload_url: (!init).then(|| {
            paths::url(
                &format!("{scheme}://{}:{WEB_PORT}", settings.localhost),
                &paths::clean(&format!("{route_prefix}/-/reload")),
            )
        }),
        log_format: spec.log_format.clone().unwrap_or_default(),
        log_level: spec.log_level.clone().unwrap_or_default(),
        watched_directories: watched.clone(),
        volume_mounts: reloader_mounts.clone(),
        // Upstream passes shard -1: Alertmanager is not sharded.
        shard: Some(-1),
        web_config_file: if init {
            String::new()
        } else {
            reloader_web_config.clone()
        },
        config_file: paths::join(&[CONFIG_DIR, CONFIG_FILE_COMPRESSED]),
        config_envsubst_file: paths::join(&[CONFIG_OUT_DIR, CONFIG_ENVSUBST_FILE]),
        image_pull_policy: spec.image_pull_policy.clone(),
        ..ReloaderOptions::default()
    };
    let containers = merge_patch_containers(
        vec![
            alertmanager,
            reloader::config_reloader(
                reloader::CONFIG_RELOADER_CONTAINER,
                reloader_options(false),
                settings,
            ),
        ],
        &spec.containers,
    )?;
    let init_containers = merge_patch_containers(
        vec![reloader::config_reloader(
            "init-config-reloader",
            reloader_options(true),
            settings,
        )],
        &spec.init_containers,
    )?;

    let mut pod = PodSpec {
        automount_service_account_token: spec.automount_service_account_token,
        node_selector: meta::non_empty(spec.node_selector.clone()),
        scheduler_name: spec.scheduler_name.clone(),
        priority_class_name: spec.priority_class_name.clone(),
        termination_grace_period_seconds: Some(
            spec.termination_grace_period_seconds
                .unwrap_or(DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS),
        ),
        init_containers: Some(init_containers),
        containers,
        volumes: Some(volumes),
        service_account_name: spec.service_account_name.clone(),
        security_context: spec.security_context.clone(),
        tolerations: Some(spec.tolerations.clone()).filter(|t| !t.is_empty()),
        affinity: spec.affinity.clone(),
        topology_spread_constraints: Some(spec.topology_spread_constraints.clone())
            .filter(|t| !t.is_empty()),
        host_aliases: host_aliases(&spec.host_aliases),
        enable_service_links: spec.enable_service_links,
        host_users: spec.host_users,
        host_network: spec.host_network.then_some(true),
        ..PodSpec::default()
    };
    apply_dns(
        &mut pod,
        spec.host_network,
        spec.dns_policy.as_deref(),
        spec.dns_config.as_ref(),
    );
    warnings.extend(args.warnings);
    Ok((
        PodParts {
            pod,
            selector: final_selector,
            pod_labels: final_labels,
            pod_annotations,
        },
        warnings,
    ))
}

/// Alertmanager's flags before the peers, in upstream order.
fn alertmanager_args(am: &Alertmanager, spec: &AlertmanagerSpec, version: &Version) -> ArgList {
    let name = am.metadata.name.as_deref().unwrap_or("");
    let namespace = am.metadata.namespace.as_deref().unwrap_or("");
    let mut args = ArgList::new("Alertmanager", version.clone(), false);
    args.push(
        "config.file",
        paths::join(&[CONFIG_OUT_DIR, CONFIG_ENVSUBST_FILE]),
    );
    args.push("storage.path", STORAGE_DIR);
    args.push("data.retention", spec.retention.clone().unwrap_or_default());
    if spec.replicas == Some(1) && !spec.force_enable_cluster_mode {
        // An empty listen address disables clustering; upstream spells the flag with its `=`.
        args.push("cluster.listen-address=", "");
    } else {
        args.push("cluster.listen-address", "[$(POD_IP)]:9094");
    }
    let listen = if spec.listen_local {
        "127.0.0.1:9093"
    } else {
        ":9093"
    };
    args.push("web.listen-address", listen);
    if let Some(url) = spec.external_url.as_deref().filter(|u| !u.is_empty()) {
        args.push("web.external-url", url);
    }
    if version.gte("0.27.0") && !spec.enable_features.is_empty() {
        args.push("enable-feature", spec.enable_features.join(","));
    }
    args.push(
        "web.route-prefix",
        value_or(spec.route_prefix.as_deref(), "/"),
    );
    if let Some(web) = spec.web.as_ref().filter(|_| version.gte("0.17.0")) {
        if let Some(concurrency) = web.get_concurrency {
            args.push("web.get-concurrency", concurrency.to_string());
        }
        if let Some(timeout) = web.timeout {
            args.push("web.timeout", timeout.to_string());
        }
    }
    if let Some(limits) = spec.limits.as_ref().filter(|_| version.gte("0.28.0")) {
        if let Some(max) = limits.max_silences {
            args.push("silences.max-silences", max.to_string());
        }
        if let Some(bytes) = limits
            .max_per_silence_bytes
            .as_deref()
            .filter(|b| !b.is_empty())
        {
            // Upstream ignores a parse error and passes 0.
            args.push(
                "silences.max-per-silence-bytes",
                crate::go::units::parse_base2_bytes(bytes)
                    .unwrap_or(0)
                    .to_string(),
            );
        }
    }
    if let Some(seconds) = spec.min_ready_seconds.filter(|_| version.gte("0.30.0")) {
        let start_delay = crate::monitoring::v1::common::Argument {
            name: "dispatch.start-delay".to_owned(),
            value: format!("{seconds}s"),
        };
        // The user's own start delay wins without a duplicate-flag error.
        if intersection(std::slice::from_ref(&start_delay), &spec.additional_args).is_empty() {
            args.args.push(start_delay);
        }
    }
    args.push_log_level(spec.log_level.as_deref());
    if let Some(format) = log_format_flag(spec.log_format.as_deref())
        && version.gte("0.16.0")
    {
        args.push("log.format", format);
    }
    let cluster_flags = [
        ("cluster.advertise-address", &spec.cluster_advertise_address),
        ("cluster.gossip-interval", &spec.cluster_gossip_interval),
        ("cluster.pushpull-interval", &spec.cluster_pushpull_interval),
        ("cluster.peer-timeout", &spec.cluster_peer_timeout),
    ];
    for (flag, value) in cluster_flags {
        if let Some(value) = value.as_deref().filter(|v| !v.is_empty()) {
            args.push(flag, value);
        }
    }
    if version.gte("0.30.0") {
        args.push("cluster.peer-name", "$(POD_NAME)");
    }
    // Since v0.26 a cluster label keeps recycled pod IPs of another cluster out.
    if version.gte("0.26.0") {
        let label = spec
            .cluster_label
            .clone()
            .unwrap_or_else(|| format!("{namespace}/{name}"));
        args.push("cluster.label", label);
    }
    args
}

/// The projected volume of `alertmanagerConfiguration.templates`; a template whose key
/// (file name) is already taken is skipped.
fn templates_volume(
    templates: &[crate::monitoring::v1::common::SecretOrConfigMap],
    warnings: &mut Vec<Warning>,
) -> Volume {
    let mut keys = BTreeSet::new();
    let mut sources = Vec::new();
    let item = |key: &str| {
        Some(vec![KeyToPath {
            key: key.to_owned(),
            path: key.to_owned(),
            mode: None,
        }])
    };
    for template in templates {
        if let Some(cm) = &template.config_map {
            if keys.insert(cm.key.clone()) {
                sources.push(VolumeProjection {
                    config_map: Some(ConfigMapProjection {
                        name: cm.name.clone(),
                        items: item(&cm.key),
                        optional: None,
                    }),
                    ..VolumeProjection::default()
                });
            } else {
                warnings.push(duplicate_template(&cm.name, &cm.key));
                continue;
            }
        }
        if let Some(secret) = &template.secret {
            if keys.insert(secret.key.clone()) {
                sources.push(VolumeProjection {
                    secret: Some(SecretProjection {
                        name: secret.name.clone(),
                        items: item(&secret.key),
                        optional: None,
                    }),
                    ..VolumeProjection::default()
                });
            } else {
                warnings.push(duplicate_template(&secret.name, &secret.key));
            }
        }
    }
    Volume {
        name: TEMPLATES_VOLUME.to_owned(),
        projected: Some(ProjectedVolumeSource {
            sources: Some(sources),
            ..ProjectedVolumeSource::default()
        }),
        ..Volume::default()
    }
}

fn duplicate_template(name: &str, key: &str) -> Warning {
    Warning {
        field: "spec.alertmanagerConfiguration.templates".to_owned(),
        message: format!("skipped {name}: the key {key} is already used by another template"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alertmanager(spec: serde_json::Value) -> Alertmanager {
        crate::workload::instance_with_spec("monitoring", "main", spec)
    }

    #[test]
    fn peers_and_cluster_label() {
        let am = alertmanager(serde_json::json!({"replicas": 2}));
        let options = OperatorOptions {
            cluster_domain: "cluster.local".into(),
            ..OperatorOptions::default()
        };
        let sts = alertmanager_statefulset(&am, &options, &WorkloadInput::default())
            .unwrap()
            .object;
        let pod = sts.spec.unwrap().template.spec.unwrap();
        let args = pod.containers[0].args.clone().unwrap();
        assert!(args.contains(&"--cluster.peer=alertmanager-main-1.alertmanager-operated.monitoring.svc.cluster.local.:9094".to_owned()));
        assert!(args.contains(&"--cluster.label=monitoring/main".to_owned()));
        assert!(args.contains(&"--cluster.listen-address=[$(POD_IP)]:9094".to_owned()));
        let requests = pod.containers[0]
            .resources
            .clone()
            .unwrap()
            .requests
            .unwrap();
        assert_eq!(requests["memory"], Quantity("200Mi".into()));
    }

    #[test]
    fn one_replica_disables_clustering() {
        let am = alertmanager(serde_json::json!({}));
        let sts =
            alertmanager_statefulset(&am, &OperatorOptions::default(), &WorkloadInput::default())
                .unwrap()
                .object;
        let pod = sts.spec.unwrap().template.spec.unwrap();
        assert!(
            pod.containers[0]
                .args
                .as_ref()
                .unwrap()
                .contains(&"--cluster.listen-address=".to_owned())
        );
    }
}
