//! What the Prometheus server and agent workloads share: upstream `pkg/prometheus/common.go`
//! (`BuildCommonVolumes`, `BuildConfigReloader`, `BuildWebconfig`, `MakeContainerPorts`,
//! `MakeK8sTopologySpreadConstraint`, `ExpectedStatefulSetShardNames`,
//! `BuildStatefulSetService`) and the `ConfigGenerator` methods of `promcfg.go` that shape
//! pods (`BuildCommonPrometheusArgs`, `BuildProbes`, `BuildPodMetadata`,
//! `TopologyZoneForShard`, `NodeSelectorWithTopologyZone`, `InzoneShardForShard`).

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{
    StatefulSet, StatefulSetPersistentVolumeClaimRetentionPolicy, StatefulSetSpec,
    StatefulSetUpdateStrategy,
};
use k8s_openapi::api::core::v1::{
    Container, EmptyDirVolumeSource, EnvVar, HTTPGetAction, PersistentVolumeClaim, PodDNSConfig,
    PodDNSConfigOption, PodSpec, Probe, ProjectedVolumeSource, SecretProjection, Service,
    ServicePort, ServiceSpec, TopologySpreadConstraint, Volume, VolumeMount, VolumeProjection,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::instance::InstanceKind;
use crate::monitoring::CustomResource;
use crate::monitoring::v1::Prometheus;
use crate::monitoring::v1::common::StatefulSetUpdateStrategy as CrdUpdateStrategy;
use crate::monitoring::v1::common::{HostAlias, PodDNSConfig as CrdPodDNSConfig};
use crate::monitoring::v1::prometheus::{CommonPrometheusFields, StorageSpec};
use crate::monitoring::v1alpha1::PrometheusAgent;
use crate::render::Warning;
use crate::snapshot::name_of;
use crate::version::DEFAULT_PROMETHEUS_VERSION;
use crate::version::Version;
use crate::workload::args::{ArgList, log_format_flag};
use crate::workload::meta::{
    self, APP_INSTANCE_LABEL, APP_NAME_LABEL, APP_VERSION_LABEL, DEFAULT_CONTAINER_ANNOTATION,
    MANAGED_BY_LABEL, MANAGED_BY_VALUE, MetaBuilder, Owner, container_port,
};
use crate::workload::quantity;
use crate::workload::reloader::{self, FALLBACK_TO_LOGS_ON_ERROR, ReloaderOptions};
use crate::workload::settings::Settings;
use crate::workload::webconfig::{self, MountParameters};
use crate::workload::{
    DEFAULT_WEB_PORT_NAME, Instance, WorkloadError, naming, paths, web_port_name,
};

/// Where Prometheus keeps its TSDB.
pub(crate) const STORAGE_DIR: &str = "/prometheus";
/// The compressed configuration, as the operator writes it.
pub(crate) const CONF_DIR: &str = "/etc/prometheus/config";
/// The configuration after the reloader's variable expansion.
pub(crate) const CONF_OUT_DIR: &str = "/etc/prometheus/config_out";
pub(crate) const WEB_CONFIG_DIR: &str = "/etc/prometheus/web_config";
// The configuration names these paths; the workload mounts what it names there.
pub(crate) use crate::render::{DEFAULT_LOG_DIR as LOG_DIRECTORY, RULES_DIR, TLS_ASSETS_DIR};
pub(crate) const SECRETS_DIR: &str = "/etc/prometheus/secrets";
pub(crate) const CONFIGMAPS_DIR: &str = "/etc/prometheus/configmaps";
const CONFIG_FILENAME: &str = "prometheus.yaml.gz";
const CONFIG_ENVSUBST_FILENAME: &str = "prometheus.env.yaml";
/// Volume of log files given as bare file names (`queryLogFile: query.log`).
pub(crate) const LOG_FILE_VOLUME: &str = "log-file";
/// Prometheus may take minutes to checkpoint on shutdown.
const DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS: i64 = 600;
const PROBE_TIMEOUT_SECONDS: i32 = 3;
pub(crate) const SHARD_LABEL: &str = "operator.prometheus.io/shard";
pub(crate) const NAME_LABEL: &str = "operator.prometheus.io/name";
pub(crate) const MODE_LABEL: &str = "operator.prometheus.io/mode";
/// `topology.kubernetes.io/zone`.
const TOPOLOGY_ZONE_LABEL: &str = "topology.kubernetes.io/zone";
/// The Prometheus web port.
const PROMETHEUS_PORT: i32 = 9090;
/// Most shards of a Prometheus or agent whose StatefulSets are generated (each is about 100 KiB
/// in memory and in the output); beyond, a warning says how many more the operator creates.
pub const MAX_SHARDS: i32 = 1_000;

/// Server (`Prometheus`) or agent (`PrometheusAgent`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PromKind {
    Server,
    Agent,
}

impl PromKind {
    /// The instance kind it is.
    fn instance_kind(self) -> InstanceKind {
        match self {
            PromKind::Server => InstanceKind::Prometheus,
            PromKind::Agent => InstanceKind::PrometheusAgent,
        }
    }

    /// Upstream `prompkg.Prefix`.
    pub fn prefix(self) -> &'static str {
        self.instance_kind().object_prefix()
    }

    /// Value of `app.kubernetes.io/name`.
    pub fn app_name(self) -> &'static str {
        match self {
            PromKind::Server => "prometheus",
            PromKind::Agent => "prometheus-agent",
        }
    }

    /// Value of `operator.prometheus.io/mode`.
    pub fn mode(self) -> &'static str {
        match self {
            PromKind::Server => "server",
            PromKind::Agent => "agent",
        }
    }

    /// The governing Service the operator creates when `spec.serviceName` is unset.
    pub fn governing_service(self) -> &'static str {
        match self {
            PromKind::Server => "prometheus-operated",
            PromKind::Agent => "prometheus-agent-operated",
        }
    }
}

/// The labels of a workload's pods and of its selector, and the pods' annotations.
pub(crate) struct PodLabels {
    /// The workload's selector, which the pods' labels include.
    pub selector: BTreeMap<String, String>,
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
}

/// One Prometheus or agent being turned into a workload, with upstream's defaults applied
/// (`portName: web`, `replicas: 1`) and its version parsed.
pub(crate) struct PromContext<'a> {
    pub kind: PromKind,
    pub meta: &'a ObjectMeta,
    pub owner: Owner<'a>,
    pub cpf: CommonPrometheusFields,
    pub version: Version,
    pub settings: Settings<'a>,
    pub warnings: Vec<Warning>,
}

impl<'a> PromContext<'a> {
    pub fn server(p: &'a Prometheus, settings: Settings<'a>) -> Result<Self, WorkloadError> {
        let owner = owner_of::<Prometheus>(&p.metadata);
        Self::new(
            PromKind::Server,
            &p.metadata,
            owner,
            p.spec.common.clone(),
            settings,
        )
    }

    pub fn agent(a: &'a PrometheusAgent, settings: Settings<'a>) -> Result<Self, WorkloadError> {
        let owner = owner_of::<PrometheusAgent>(&a.metadata);
        Self::new(
            PromKind::Agent,
            &a.metadata,
            owner,
            a.spec.common.clone(),
            settings,
        )
    }

    fn new(
        kind: PromKind,
        meta: &'a ObjectMeta,
        owner: Owner<'a>,
        mut cpf: CommonPrometheusFields,
        settings: Settings<'a>,
    ) -> Result<Self, WorkloadError> {
        if cpf.port_name.as_deref().is_none_or(str::is_empty) {
            cpf.port_name = Some(DEFAULT_WEB_PORT_NAME.to_owned());
        }
        cpf.replicas = Some(replicas(&cpf));
        let version_text =
            crate::version::text_in_effect(cpf.version.as_deref(), DEFAULT_PROMETHEUS_VERSION);
        let version = Version::parse(version_text).map_err(|_| WorkloadError::Version {
            component: "Prometheus",
            value: version_text.to_owned(),
        })?;
        if version.major != 2 && version.major != 3 {
            return Err(WorkloadError::UnsupportedVersion(version_text.to_owned()));
        }
        Ok(PromContext {
            kind,
            meta,
            owner,
            cpf,
            version,
            settings,
            warnings: Vec::new(),
        })
    }

    pub fn name(&self) -> &str {
        self.meta.name.as_deref().unwrap_or("")
    }

    /// Upstream `PrefixedName`: `prometheus-<name>` / `prom-agent-<name>`.
    pub fn prefixed_name(&self) -> String {
        format!("{}-{}", self.kind.prefix(), self.name())
    }

    pub fn port_name(&self) -> String {
        self.cpf.port_name.clone().unwrap_or_default()
    }

    pub fn bypass_version_check(&self) -> bool {
        self.settings.options.no_version_check
    }

    /// Whether the version is at least `minimum` (upstream `WithMinimumVersion().IsCompatible()`).
    pub fn supports(&self, minimum: &str) -> bool {
        self.bypass_version_check() || self.version.gte(minimum)
    }

    fn listen_local(&self) -> bool {
        self.cpf.listen_local.unwrap_or(false)
    }

    fn web_tls(&self) -> bool {
        self.cpf
            .web
            .as_ref()
            .is_some_and(|w| w.tls_config.is_some())
    }

    /// Upstream `PrometheusURIScheme`.
    pub fn uri_scheme(&self) -> &'static str {
        if self.web_tls() { "https" } else { "http" }
    }

    /// Upstream `WebRoutePrefix`.
    pub fn route_prefix(&self) -> String {
        value_or(self.cpf.route_prefix.as_deref(), "/").to_owned()
    }

    /// Upstream `VolumeClaimName`: the storage volume, `<prefixed-name>-db` unless the claim
    /// template names it.
    pub fn volume_claim_name(&self) -> String {
        volume_claim_name(self.cpf.storage.as_ref(), &self.prefixed_name())
    }

    /// Upstream `BuildCommonPrometheusArgs`.
    pub fn common_args(&self) -> ArgList {
        let cpf = &self.cpf;
        let mut args = ArgList::new(
            "Prometheus",
            self.version.clone(),
            self.bypass_version_check(),
        );
        args.push(
            "config.file",
            paths::join(&[CONF_OUT_DIR, CONFIG_ENVSUBST_FILENAME]),
        );
        if self.version.major == 2 {
            args.push("web.console.templates", "/etc/prometheus/consoles");
            args.push("web.console.libraries", "/etc/prometheus/console_libraries");
        }
        if !uses_signal_reload(cpf) {
            args.push("web.enable-lifecycle", "");
        }
        if let Some(web) = &cpf.web {
            if let Some(title) = &web.page_title {
                args.push_min("2.6.0", "web.page-title", title.clone());
            }
            if let Some(max) = web.max_connections {
                args.push("web.max-connections", max.to_string());
            }
        }
        if cpf.enable_remote_write_receiver == Some(true) {
            args.push_min("2.33.0", "web.enable-remote-write-receiver", "");
            if !cpf.remote_write_receiver_message_versions.is_empty() {
                let versions: Vec<&str> = cpf
                    .remote_write_receiver_message_versions
                    .iter()
                    .map(|v| protobuf_message(v))
                    .collect();
                args.push_min(
                    "2.54.0",
                    "web.remote-write-receiver.accepted-protobuf-messages",
                    versions.join(","),
                );
            }
        }
        // Remote write 2.0 needed metadata WAL records until Prometheus 3.4.
        let writes_v2 = cpf
            .remote_write
            .iter()
            .any(|rw| rw.message_version.as_deref() == Some("V2.0"));
        if writes_v2 && self.version.lt("3.4.0") {
            args.push_min("2.54.0", "enable-feature", "metadata-wal-records");
        }
        // Upstream keeps the generator that check gave it (`cg = cg.WithMinimumVersion(..)`):
        // below 2.54.0, every version-gated flag after this point is dropped too.
        let stuck = writes_v2 && !args.supports("2.54.0");
        let minimum = |version: &'static str| if stuck { "2.54.0" } else { version };
        let otlp = match cpf.enable_otlp_receiver {
            Some(enabled) => enabled,
            None => cpf.otlp.is_some(),
        };
        if otlp {
            if self.version.major >= 3 {
                args.push("web.enable-otlp-receiver", "");
            } else {
                args.push_min(minimum("2.47.0"), "enable-feature", "otlp-write-receiver");
            }
        }
        if !cpf.enable_features.is_empty() {
            args.push_min(
                minimum("2.25.0"),
                "enable-feature",
                cpf.enable_features.join(","),
            );
        }
        let xor2 = cpf
            .tsdb
            .as_ref()
            .and_then(|t| t.chunk_encoding.as_ref())
            .and_then(|c| c.floats.as_deref())
            == Some("Xor2");
        if xor2 && !cpf.enable_features.iter().any(|f| f == "xor2-encoding") {
            args.push_min("3.13.0", "enable-feature", "xor2-encoding");
        }
        if let Some(url) = cpf.external_url.as_deref().filter(|u| !u.is_empty()) {
            args.push("web.external-url", url);
        }
        args.push(
            "web.route-prefix",
            value_or(cpf.route_prefix.as_deref(), "/"),
        );
        args.push_log_level(cpf.log_level.as_deref());
        if let Some(format) = log_format_flag(cpf.log_format.as_deref()) {
            args.push_min(minimum("2.6.0"), "log.format", format);
        }
        if cpf.listen_local == Some(true) {
            args.push("web.listen-address", "127.0.0.1:9090");
        }
        args
    }

    /// Upstream `BuildProbes`: startup, readiness and liveness probes of the main container.
    pub fn probes(&self) -> (Probe, Probe, Probe) {
        let (period, failures) =
            startup_period_and_failures(self.cpf.maximum_startup_duration_seconds);
        let ready = self.probe_handler("/-/ready");
        let startup = Probe {
            timeout_seconds: Some(PROBE_TIMEOUT_SECONDS),
            period_seconds: Some(period),
            failure_threshold: Some(failures),
            ..ready.clone()
        };
        let readiness = Probe {
            timeout_seconds: Some(PROBE_TIMEOUT_SECONDS),
            period_seconds: Some(5),
            failure_threshold: Some(3),
            ..ready
        };
        let liveness = Probe {
            timeout_seconds: Some(PROBE_TIMEOUT_SECONDS),
            period_seconds: Some(5),
            failure_threshold: Some(6),
            ..self.probe_handler("/-/healthy")
        };
        (startup, readiness, liveness)
    }

    fn probe_handler(&self, probe_path: &str) -> Probe {
        let path = paths::clean(&format!("{}{probe_path}", self.route_prefix()));
        if self.listen_local() {
            return Probe {
                exec: Some(reloader::exec_probe_action(&paths::url(
                    "http://localhost:9090",
                    &path,
                ))),
                ..Probe::default()
            };
        }
        Probe {
            http_get: Some(HTTPGetAction {
                path: Some(path),
                port: IntOrString::String(self.port_name()),
                scheme: self.web_tls().then(|| "HTTPS".to_owned()),
                ..HTTPGetAction::default()
            }),
            ..Probe::default()
        }
    }

    /// Upstream `BuildPodMetadata`: (annotations, labels) of the pod template before the
    /// selector labels are added.
    pub fn pod_metadata(&self) -> (BTreeMap<String, String>, BTreeMap<String, String>) {
        let mut annotations = BTreeMap::new();
        annotations.insert(
            DEFAULT_CONTAINER_ANNOTATION.to_owned(),
            "prometheus".to_owned(),
        );
        let mut labels = BTreeMap::new();
        labels.insert(APP_VERSION_LABEL.to_owned(), semver_text(&self.version));
        if let Some(pod) = &self.cpf.pod_metadata {
            labels.extend(pod.labels.clone());
            annotations.extend(pod.annotations.clone());
        }
        (annotations, labels)
    }

    /// The pod template's labels and annotations and the workload's selector, with the
    /// operator's labels: [`Self::pod_metadata`] with the [`Self::selector_labels`] added,
    /// the selector holding the shard's label for a StatefulSet (`shard`).
    pub fn pod_labels(&self, shard: Option<i32>) -> PodLabels {
        let (annotations, mut labels) = self.pod_metadata();
        let mut selector = self.selector_labels();
        if let Some(shard) = shard {
            selector.insert(SHARD_LABEL.to_owned(), shard.to_string());
        }
        labels.extend(selector.clone());
        PodLabels {
            selector: self.settings.with_operator_labels(&selector),
            labels: self.settings.with_operator_labels(&labels),
            annotations,
        }
    }

    /// Labels selecting the pods of this instance (upstream `makeSelectorLabels`).
    pub fn selector_labels(&self) -> BTreeMap<String, String> {
        let name = self.name().to_owned();
        let mut labels = BTreeMap::new();
        labels.insert(APP_NAME_LABEL.to_owned(), self.kind.app_name().to_owned());
        labels.insert(MANAGED_BY_LABEL.to_owned(), MANAGED_BY_VALUE.to_owned());
        labels.insert(APP_INSTANCE_LABEL.to_owned(), name.clone());
        labels.insert(NAME_LABEL.to_owned(), name.clone());
        if self.kind == PromKind::Server {
            labels.insert("prometheus".to_owned(), name);
        }
        labels
    }

    /// The zone of `shard` when topology sharding is active (feature gate and
    /// `shardingStrategy.mode: Topology` with zones), else `None`.
    pub fn topology_zone(&self, shard: i32) -> Option<String> {
        if !self.settings.options.topology_sharding {
            return None;
        }
        let strategy = self.cpf.sharding_strategy.as_ref()?;
        if strategy.mode.as_deref() != Some("Topology") {
            return None;
        }
        let zones = &strategy.topology.as_ref()?.values;
        let index = usize::try_from(shard).ok()? % zones.len().max(1);
        zones.get(index).cloned()
    }

    /// Upstream `InzoneShardForShard`: the shard's position within its zone.
    pub fn inzone_shard(&self, shard: i32) -> i32 {
        let zones = self
            .cpf
            .sharding_strategy
            .as_ref()
            .and_then(|s| s.topology.as_ref())
            .map_or(0, |t| t.values.len());
        match i32::try_from(zones) {
            Ok(zones) if zones > 0 => shard / zones,
            _ => shard,
        }
    }

    /// Upstream `NodeSelectorWithTopologyZone`.
    pub fn node_selector(&self, shard: i32) -> BTreeMap<String, String> {
        let mut selector = self.cpf.node_selector.clone();
        if let Some(zone) = self.topology_zone(shard) {
            selector.insert(TOPOLOGY_ZONE_LABEL.to_owned(), zone);
        }
        selector
    }

    /// Upstream `BuildCommonVolumes`: configuration, TLS assets and `config-out` volumes, the
    /// main container's mounts (storage only for StatefulSets), `spec.volumeMounts`,
    /// `spec.secrets`, `spec.configMaps` and the scrape-failure log volume.
    pub fn common_volumes(
        &self,
        tls_assets_shards: usize,
        stateful: bool,
    ) -> Result<(Vec<Volume>, Vec<VolumeMount>), WorkloadError> {
        let prefixed = self.prefixed_name();
        let mut volumes = vec![
            webconfig::secret_volume("config", &prefixed),
            tls_assets_volume(&format!("{prefixed}-tls-assets"), tls_assets_shards),
            memory_volume("config-out"),
        ];
        let mut mounts = vec![
            webconfig::read_only_mount("config-out", CONF_OUT_DIR),
            webconfig::read_only_mount("tls-assets", TLS_ASSETS_DIR),
        ];
        if stateful {
            mounts.push(VolumeMount {
                name: self.volume_claim_name(),
                mount_path: STORAGE_DIR.to_owned(),
                sub_path: storage_sub_path(self.cpf.storage.as_ref(), "prometheus-db"),
                ..VolumeMount::default()
            });
        }
        mounts.extend(self.cpf.volume_mounts.iter().cloned());
        for secret in &self.cpf.secrets {
            let name = naming::dns1123_label("secret", secret)?;
            volumes.push(webconfig::secret_volume(&name, secret));
            mounts.push(webconfig::read_only_mount(
                &name,
                &format!("{SECRETS_DIR}/{secret}"),
            ));
        }
        for config_map in &self.cpf.config_maps {
            let name = naming::dns1123_label("configmap", config_map)?;
            volumes.push(config_map_volume(&name, config_map, None));
            mounts.push(webconfig::read_only_mount(
                &name,
                &format!("{CONFIGMAPS_DIR}/{config_map}"),
            ));
        }
        if self
            .cpf
            .scrape_failure_log_file
            .as_deref()
            .is_some_and(uses_default_log_volume)
        {
            volumes.push(empty_dir_volume(LOG_FILE_VOLUME));
            mounts.push(log_file_mount());
        }
        Ok((volumes, mounts))
    }

    /// Adds the web configuration (upstream from Prometheus v2.24.0; a DaemonSet agent
    /// always): the `--web.config.file` flag to `args`, its volumes and mounts. The
    /// config-reloader gets the file and the mounts too when web settings exist (older
    /// reloader images do not know the flag) or in a DaemonSet. Returns the reloader's web
    /// configuration file, empty for none.
    pub fn add_web_config(
        &mut self,
        daemon_set: bool,
        args: &mut ArgList,
        volumes: &mut Vec<Volume>,
        mounts: &mut Vec<VolumeMount>,
        reloader_mounts: &mut Vec<VolumeMount>,
    ) -> Result<String, WorkloadError> {
        const MINIMUM: &str = "2.24.0";
        let mut reloader_web_config = String::new();
        if daemon_set || self.supports(MINIMUM) {
            let web = self.web_config()?;
            if let Some((name, value)) = web.flag {
                args.push(name, value.clone());
                if daemon_set || self.cpf.web.is_some() {
                    reloader_web_config = value;
                    reloader_mounts.extend(web.mounts.iter().cloned());
                }
            }
            volumes.extend(web.volumes);
            mounts.extend(web.mounts);
        } else if self.cpf.web.is_some() {
            self.warnings.push(Warning {
                field: "--web.config.file".to_owned(),
                message: format!(
                    "ignored: requires Prometheus {MINIMUM} or later, version in use is {}",
                    self.version
                ),
            });
        }
        Ok(reloader_web_config)
    }

    /// Upstream `BuildWebconfig`.
    pub fn web_config(&self) -> Result<MountParameters, WorkloadError> {
        let tls = self.cpf.web.as_ref().and_then(|w| w.tls_config.as_ref());
        webconfig::web_config(
            WEB_CONFIG_DIR,
            &format!("{}-web-config", self.prefixed_name()),
            tls,
        )
    }

    /// Upstream `CreateConfigReloaderVolumeMounts`.
    pub fn reloader_volume_mounts() -> Vec<VolumeMount> {
        [("config", CONF_DIR), ("config-out", CONF_OUT_DIR)]
            .into_iter()
            .map(|(name, path)| VolumeMount {
                name: name.to_owned(),
                mount_path: path.to_owned(),
                ..VolumeMount::default()
            })
            .collect()
    }

    /// Upstream `BuildConfigReloader`: the init container (`init`) or the sidecar.
    pub fn config_reloader(&self, init: bool, mut options: ReloaderOptions) -> Container {
        options.log_format = self.cpf.log_format.clone().unwrap_or_default();
        options.log_level = self.cpf.log_level.clone().unwrap_or_default();
        options.config_file = paths::join(&[CONF_DIR, CONFIG_FILENAME]);
        options.config_envsubst_file = paths::join(&[CONF_OUT_DIR, CONFIG_ENVSUBST_FILENAME]);
        options.image_pull_policy = self.cpf.image_pull_policy.clone();
        if init {
            options.init_container = true;
            return reloader::config_reloader("init-config-reloader", options, &self.settings);
        }
        let host = format!(
            "{}://{}:{PROMETHEUS_PORT}",
            self.uri_scheme(),
            self.settings.localhost
        );
        if uses_signal_reload(&self.cpf) {
            options.use_signal = true;
            let path = paths::clean(&format!(
                "{}/api/v1/status/runtimeinfo",
                self.route_prefix()
            ));
            options.runtime_info_url = Some(paths::url(&host, &path));
        } else {
            options.listen_local = self.listen_local();
            let path = paths::clean(&format!("{}/-/reload", self.route_prefix()));
            options.reload_url = Some(paths::url(&host, &path));
        }
        reloader::config_reloader(reloader::CONFIG_RELOADER_CONTAINER, options, &self.settings)
    }

    /// The `prometheus` container.
    pub fn main_container(
        &self,
        image: String,
        args: Vec<String>,
        env: Vec<EnvVar>,
        mounts: Vec<VolumeMount>,
    ) -> Container {
        let (startup, readiness, liveness) = self.probes();
        let ports = web_port_name(self.cpf.port_name.as_deref(), self.listen_local())
            .map(|name| vec![container_port(name, PROMETHEUS_PORT, Some("TCP"))]);
        Container {
            name: "prometheus".to_owned(),
            image: Some(image),
            image_pull_policy: self.cpf.image_pull_policy.clone(),
            ports,
            args: Some(args),
            env: Some(env).filter(|e| !e.is_empty()),
            volume_mounts: Some(mounts).filter(|m| !m.is_empty()),
            startup_probe: Some(startup),
            liveness_probe: Some(liveness),
            readiness_probe: Some(readiness),
            resources: Some(self.cpf.resources.clone().unwrap_or_default()),
            termination_message_policy: Some(FALLBACK_TO_LOGS_ON_ERROR.to_owned()),
            security_context: Some(reloader::restricted_security_context()),
            ..Container::default()
        }
    }

    /// The pod spec fields every Prometheus and agent workload sets the same way.
    pub fn pod_spec(
        &self,
        containers: Vec<Container>,
        init_containers: Vec<Container>,
        volumes: Vec<Volume>,
        node_selector: BTreeMap<String, String>,
        selector_labels: &BTreeMap<String, String>,
    ) -> PodSpec {
        let cpf = &self.cpf;
        let mut spec = PodSpec {
            share_process_namespace: Some(uses_signal_reload(cpf)),
            containers,
            init_containers: Some(init_containers).filter(|c| !c.is_empty()),
            security_context: cpf.security_context.clone(),
            service_account_name: cpf.service_account_name.clone(),
            automount_service_account_token: Some(
                cpf.automount_service_account_token.unwrap_or(true),
            ),
            node_selector: meta::non_empty(node_selector),
            scheduler_name: cpf.scheduler_name.clone(),
            priority_class_name: cpf.priority_class_name.clone(),
            termination_grace_period_seconds: Some(
                cpf.termination_grace_period_seconds
                    .unwrap_or(DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS),
            ),
            volumes: Some(volumes).filter(|v| !v.is_empty()),
            tolerations: Some(cpf.tolerations.clone()).filter(|t| !t.is_empty()),
            affinity: cpf.affinity.clone(),
            topology_spread_constraints: Some(self.topology_spread_constraints(selector_labels))
                .filter(|t| !t.is_empty()),
            host_aliases: host_aliases(&cpf.host_aliases),
            host_network: cpf.host_network.filter(|h| *h),
            enable_service_links: cpf.enable_service_links,
            host_users: cpf.host_users,
            image_pull_secrets: Some(cpf.image_pull_secrets.clone()).filter(|s| !s.is_empty()),
            ..PodSpec::default()
        };
        apply_dns(
            &mut spec,
            cpf.host_network == Some(true),
            cpf.dns_policy.as_deref(),
            cpf.dns_config.as_ref(),
        );
        spec
    }

    /// Upstream `MakeK8sTopologySpreadConstraint`: constraints with `additionalLabelSelectors`
    /// get the pod selector labels (without the shard label for `OnResource`).
    fn topology_spread_constraints(
        &self,
        selector_labels: &BTreeMap<String, String>,
    ) -> Vec<TopologySpreadConstraint> {
        self.cpf
            .topology_spread_constraints
            .iter()
            .map(|tsc| {
                let mut label_selector = tsc.label_selector.clone();
                if let Some(additional) = &tsc.additional_label_selectors {
                    let selector = label_selector.get_or_insert_with(LabelSelector::default);
                    let match_labels = selector.match_labels.get_or_insert_with(BTreeMap::new);
                    for (key, value) in selector_labels {
                        if additional == "OnResource" && key == SHARD_LABEL {
                            continue;
                        }
                        match_labels.insert(key.clone(), value.clone());
                    }
                }
                TopologySpreadConstraint {
                    label_selector,
                    match_label_keys: Some(tsc.match_label_keys.clone()).filter(|k| !k.is_empty()),
                    max_skew: tsc.max_skew,
                    min_domains: tsc.min_domains,
                    node_affinity_policy: tsc.node_affinity_policy.clone(),
                    node_taints_policy: tsc.node_taints_policy.clone(),
                    topology_key: tsc.topology_key.clone(),
                    when_unsatisfiable: tsc.when_unsatisfiable.clone(),
                }
            })
            .collect()
    }

    /// The StatefulSet of shard `shard` (`<prefixed name>[-shard-<n>]`) around `pod`:
    /// metadata as `UpdateObject` sets it, storage (emptyDir, ephemeral volume or claim
    /// template) and `spec.volumes` appended last.
    pub fn statefulset(
        &self,
        shard: i32,
        input_hash: &str,
        labels: PodLabels,
        pod: PodSpec,
    ) -> StatefulSet {
        let cpf = &self.cpf;
        let metadata = self
            .object_meta(
                self.kind
                    .instance_kind()
                    .statefulset_name(self.name(), shard),
            )
            .input_hash(input_hash)
            .labels(&self.meta.labels.clone().unwrap_or_default())
            .labels(&mode_label(self.kind))
            .labels(&labels.selector)
            .labels(self.settings.labels)
            .owner(&self.owner, true)
            .build();
        let shape = StatefulSetShape {
            service_name: cpf
                .service_name
                .clone()
                .unwrap_or_else(|| self.kind.governing_service().to_owned()),
            replicas: cpf.replicas,
            min_ready_seconds: cpf.min_ready_seconds,
            pod_management_policy: cpf.pod_management_policy.as_deref(),
            update_strategy: cpf.update_strategy.as_ref(),
            claim_retention: cpf.persistent_volume_claim_retention_policy.as_ref(),
            storage: cpf.storage.as_ref(),
            volumes: &cpf.volumes,
        };
        let db_volume = format!("{}-db", self.prefixed_name());
        StatefulSet {
            metadata,
            spec: Some(shape.spec(
                &db_volume,
                labels.selector,
                labels.labels,
                labels.annotations,
                pod,
            )),
            status: None,
        }
    }

    /// Metadata common to the StatefulSet and the DaemonSet, up to the input hash.
    pub fn object_meta(&self, name: String) -> MetaBuilder {
        MetaBuilder::new(name, self.meta.namespace.clone())
            .annotations(&self.meta.annotations.clone().unwrap_or_default())
            .annotations(self.settings.annotations)
    }
}

/// Owner reference data of a custom resource.
pub(crate) fn owner_of<T: CustomResource>(meta: &ObjectMeta) -> Owner<'_> {
    Owner {
        api_version: T::API_VERSION,
        kind: T::KIND,
        meta,
    }
}

fn mode_label(kind: PromKind) -> BTreeMap<String, String> {
    let mut labels = BTreeMap::new();
    labels.insert(MODE_LABEL.to_owned(), kind.mode().to_owned());
    labels
}

/// Upstream `ReplicasNumberPtr`: unset or negative is 1.
fn replicas(cpf: &CommonPrometheusFields) -> i32 {
    match cpf.replicas {
        Some(r) if r >= 0 => r,
        _ => 1,
    }
}

/// Upstream `shardsNumber`: unset or below 2 is 1.
fn shards(cpf: &CommonPrometheusFields) -> i32 {
    cpf.shard_count().min(MAX_SHARDS)
}

/// Upstream `ExpectedStatefulSetShardNames`: `prometheus-<name>`, then
/// `prometheus-<name>-shard-<i>` for the other shards (`prom-agent-` for agents). Alertmanager
/// has one StatefulSet, `alertmanager-<name>`; an agent in DaemonSet mode has none.
pub fn statefulset_shard_names(instance: Instance<'_>) -> Vec<String> {
    let (kind, meta, cpf) = match instance {
        Instance::Prometheus(p) => (
            InstanceKind::Prometheus,
            &p.metadata,
            p.spec.common_fields(),
        ),
        Instance::Agent(a) => {
            if a.spec.daemon_set_mode() {
                return Vec::new();
            }
            (
                InstanceKind::PrometheusAgent,
                &a.metadata,
                a.spec.common_fields(),
            )
        }
        Instance::Alertmanager(am) => {
            return vec![InstanceKind::Alertmanager.statefulset_name(name_of(&am.metadata), 0)];
        }
    };
    (0..shards(cpf))
        .map(|i| kind.statefulset_name(name_of(meta), i))
        .collect()
}

/// Whether `reloadStrategy: ProcessSignal` is set (else HTTP reloads).
fn uses_signal_reload(cpf: &CommonPrometheusFields) -> bool {
    cpf.reload_strategy.as_deref() == Some("ProcessSignal")
}

/// The value, unless empty or blank (upstream `StringValOrDefault`).
pub(crate) fn value_or<'v>(value: Option<&'v str>, default: &'v str) -> &'v str {
    value.filter(|v| !v.trim().is_empty()).unwrap_or(default)
}

/// The version as Go's `semver.Version.String()` prints it (no `v`).
pub(crate) fn semver_text(version: &Version) -> String {
    let text = version.to_string();
    text.strip_prefix('v').unwrap_or(&text).to_owned()
}

/// Upstream `toProtobufMessageVersion`.
fn protobuf_message(version: &str) -> &'static str {
    match version {
        "V2.0" => "io.prometheus.write.v2.Request",
        _ => "prometheus.WriteRequest",
    }
}

/// Upstream `getStatupProbePeriodSecondsAndFailureThreshold`: 15 s × 60 by default; for a
/// maximum startup duration of at least a minute, one failure per started minute.
fn startup_period_and_failures(maximum_startup_seconds: Option<i32>) -> (i32, i32) {
    let maximum = i64::from(maximum_startup_seconds.unwrap_or(0));
    if maximum < 60 {
        return (15, 60);
    }
    let failures = (maximum + 59) / 60;
    let period = (maximum + failures - 1) / failures;
    (
        i32::try_from(period).unwrap_or(i32::MAX),
        i32::try_from(failures).unwrap_or(i32::MAX),
    )
}

/// Upstream `UsesDefaultFileVolume`: a bare file name is written to the `log-file` volume.
pub(crate) fn uses_default_log_volume(file: &str) -> bool {
    !file.is_empty() && paths::dir(file) == "."
}

pub(crate) fn log_file_mount() -> VolumeMount {
    VolumeMount {
        name: LOG_FILE_VOLUME.to_owned(),
        mount_path: LOG_DIRECTORY.to_owned(),
        read_only: Some(false),
        ..VolumeMount::default()
    }
}

/// Upstream `VolumeClaimName`: the storage volume of `prefixed` (`prometheus-<name>`,
/// `alertmanager-<name>`), `<prefixed>-db` unless the claim template names it.
pub(crate) fn volume_claim_name(storage: Option<&StorageSpec>, prefixed: &str) -> String {
    storage
        .and_then(|s| s.volume_claim_template.as_ref())
        .and_then(|t| t.metadata.as_ref())
        .and_then(|m| m.name.clone())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| format!("{prefixed}-db"))
}

/// Upstream `SubPathForStorage`: `prometheus-db` / `alertmanager-db` when storage is set,
/// unless `disableMountSubPath`.
pub(crate) fn storage_sub_path(storage: Option<&StorageSpec>, sub_path: &str) -> Option<String> {
    match storage {
        Some(s) if s.disable_mount_sub_path != Some(true) => Some(sub_path.to_owned()),
        _ => None,
    }
}

/// The storage volume named `volume_name`: an emptyDir (the default or `storage.emptyDir`), an
/// ephemeral volume, or a claim template (`MakeVolumeClaimTemplate`, ReadWriteOnce by default).
pub(crate) fn storage(
    storage: Option<&StorageSpec>,
    volume_name: &str,
    volumes: &mut Vec<Volume>,
    claims: &mut Vec<PersistentVolumeClaim>,
) {
    let Some(spec) = storage else {
        volumes.push(empty_dir_volume(volume_name));
        return;
    };
    if let Some(empty_dir) = &spec.empty_dir {
        volumes.push(Volume {
            name: volume_name.to_owned(),
            empty_dir: Some(empty_dir.clone()),
            ..Volume::default()
        });
    } else if let Some(ephemeral) = &spec.ephemeral {
        volumes.push(Volume {
            name: volume_name.to_owned(),
            ephemeral: Some(ephemeral.clone()),
            ..Volume::default()
        });
    } else {
        let template = spec.volume_claim_template.clone().unwrap_or_default();
        let metadata = template.metadata.unwrap_or_default();
        let mut claim_spec = template.spec.unwrap_or_default();
        if claim_spec.access_modes.is_none() {
            claim_spec.access_modes = Some(vec!["ReadWriteOnce".to_owned()]);
        }
        claims.push(PersistentVolumeClaim {
            metadata: ObjectMeta {
                name: Some(
                    metadata
                        .name
                        .filter(|n| !n.is_empty())
                        .unwrap_or_else(|| volume_name.to_owned()),
                ),
                labels: meta::non_empty(metadata.labels),
                annotations: meta::non_empty(metadata.annotations),
                ..ObjectMeta::default()
            },
            spec: Some(claim_spec),
            status: template.status,
        });
    }
}

/// Upstream `UpdateStrategyForStatefulSet`: RollingUpdate by default.
pub(crate) fn update_strategy(strategy: Option<&CrdUpdateStrategy>) -> StatefulSetUpdateStrategy {
    match strategy {
        None => StatefulSetUpdateStrategy {
            type_: Some("RollingUpdate".to_owned()),
            rolling_update: None,
        },
        Some(s) => StatefulSetUpdateStrategy {
            type_: Some(s.type_.clone()).filter(|t| !t.is_empty()),
            rolling_update: s.rolling_update.as_ref().map(|r| {
                k8s_openapi::api::apps::v1::RollingUpdateStatefulSetStrategy {
                    max_unavailable: r.max_unavailable.clone(),
                    partition: None,
                }
            }),
        },
    }
}

/// The settings of a Prometheus, agent or Alertmanager spec that shape its StatefulSet.
pub(crate) struct StatefulSetShape<'a> {
    /// The governing Service.
    pub service_name: String,
    /// `spec.replicas`.
    pub replicas: Option<i32>,
    /// `spec.minReadySeconds`.
    pub min_ready_seconds: Option<i32>,
    /// `spec.podManagementPolicy`.
    pub pod_management_policy: Option<&'a str>,
    /// `spec.updateStrategy`.
    pub update_strategy: Option<&'a CrdUpdateStrategy>,
    /// `spec.persistentVolumeClaimRetentionPolicy`.
    pub claim_retention: Option<&'a StatefulSetPersistentVolumeClaimRetentionPolicy>,
    /// `spec.storage`.
    pub storage: Option<&'a StorageSpec>,
    /// `spec.volumes`.
    pub volumes: &'a [Volume],
}

impl StatefulSetShape<'_> {
    /// The StatefulSet spec around `pod`: the storage volume `db_volume` (emptyDir, ephemeral
    /// volume or claim template) and `spec.volumes` appended last, Parallel pod management and
    /// RollingUpdate unless the spec says otherwise.
    pub(crate) fn spec(
        self,
        db_volume: &str,
        selector: BTreeMap<String, String>,
        pod_labels: BTreeMap<String, String>,
        pod_annotations: BTreeMap<String, String>,
        mut pod: PodSpec,
    ) -> StatefulSetSpec {
        let mut claims = Vec::new();
        let volumes = pod.volumes.get_or_insert_with(Vec::new);
        storage(self.storage, db_volume, volumes, &mut claims);
        volumes.extend(self.volumes.iter().cloned());
        quantity::canonicalize_pod(&mut pod);
        for claim in claims.iter_mut().filter_map(|c| c.spec.as_mut()) {
            quantity::canonicalize_claim(claim);
        }
        StatefulSetSpec {
            service_name: Some(self.service_name),
            replicas: self.replicas,
            pod_management_policy: Some(
                self.pod_management_policy.unwrap_or("Parallel").to_owned(),
            ),
            update_strategy: Some(update_strategy(self.update_strategy)),
            // Kubernetes' type omits a zero.
            min_ready_seconds: self.min_ready_seconds.filter(|seconds| *seconds != 0),
            selector: LabelSelector {
                match_labels: Some(selector),
                ..LabelSelector::default()
            },
            template: meta::pod_template(pod_labels, pod_annotations, pod),
            volume_claim_templates: Some(claims).filter(|c| !c.is_empty()),
            persistent_volume_claim_retention_policy: self.claim_retention.cloned(),
            ..StatefulSetSpec::default()
        }
    }
}

/// Upstream `MakeHostAliases`.
pub(crate) fn host_aliases(
    aliases: &[HostAlias],
) -> Option<Vec<k8s_openapi::api::core::v1::HostAlias>> {
    let converted: Vec<_> = aliases
        .iter()
        .map(|a| k8s_openapi::api::core::v1::HostAlias {
            hostnames: Some(a.hostnames.clone()).filter(|h| !h.is_empty()),
            ip: a.ip.clone(),
        })
        .collect();
    Some(converted).filter(|c| !c.is_empty())
}

/// `ClusterFirstWithHostNet` under host networking, then upstream `UpdateDNSPolicy` and
/// `UpdateDNSConfig`.
pub(crate) fn apply_dns(
    spec: &mut PodSpec,
    host_network: bool,
    policy: Option<&str>,
    config: Option<&CrdPodDNSConfig>,
) {
    if host_network {
        spec.dns_policy = Some("ClusterFirstWithHostNet".to_owned());
    }
    if let Some(policy) = policy {
        spec.dns_policy = Some(policy.to_owned());
    }
    if let Some(config) = config {
        spec.dns_config = Some(PodDNSConfig {
            nameservers: Some(config.nameservers.clone()).filter(|n| !n.is_empty()),
            searches: Some(config.searches.clone()).filter(|s| !s.is_empty()),
            options: Some(
                config
                    .options
                    .iter()
                    .map(|o| PodDNSConfigOption {
                        name: Some(o.name.clone()),
                        value: o.value.clone(),
                    })
                    .collect::<Vec<_>>(),
            )
            .filter(|o| !o.is_empty()),
        });
    }
}

/// Upstream `ShardedSecret.Volume`: a projected volume of the Secret shards `<name>-<i>`.
pub(crate) fn tls_assets_volume(secret_prefix: &str, shards: usize) -> Volume {
    let sources = (0..shards)
        .map(|i| VolumeProjection {
            secret: Some(SecretProjection {
                name: format!("{secret_prefix}-{i}"),
                ..SecretProjection::default()
            }),
            ..VolumeProjection::default()
        })
        .collect();
    Volume {
        name: "tls-assets".to_owned(),
        projected: Some(ProjectedVolumeSource {
            sources: Some(sources),
            ..ProjectedVolumeSource::default()
        }),
        ..Volume::default()
    }
}

/// A tmpfs volume: the expanded configuration holds credentials and stays off disk.
pub(crate) fn memory_volume(name: &str) -> Volume {
    Volume {
        name: name.to_owned(),
        empty_dir: Some(EmptyDirVolumeSource {
            medium: Some("Memory".to_owned()),
            ..EmptyDirVolumeSource::default()
        }),
        ..Volume::default()
    }
}

pub(crate) fn empty_dir_volume(name: &str) -> Volume {
    Volume {
        name: name.to_owned(),
        empty_dir: Some(EmptyDirVolumeSource::default()),
        ..Volume::default()
    }
}

pub(crate) fn config_map_volume(name: &str, config_map: &str, optional: Option<bool>) -> Volume {
    Volume {
        name: name.to_owned(),
        config_map: Some(k8s_openapi::api::core::v1::ConfigMapVolumeSource {
            name: config_map.to_owned(),
            optional,
            ..Default::default()
        }),
        ..Volume::default()
    }
}

/// Upstream `BuildStatefulSetService`: the headless governing Service of Prometheus (or agent)
/// StatefulSets, shared by every instance of the namespace.
pub(crate) fn governing_service(
    kind: PromKind,
    port_name: Option<&str>,
    namespace: Option<String>,
    owner: &Owner<'_>,
    settings: &Settings<'_>,
) -> Service {
    let port_name = value_or(port_name, DEFAULT_WEB_PORT_NAME).to_owned();
    let mut labels = BTreeMap::new();
    labels.insert("operated-prometheus".to_owned(), "true".to_owned());
    let mut selector = BTreeMap::new();
    selector.insert(APP_NAME_LABEL.to_owned(), kind.app_name().to_owned());
    Service {
        metadata: MetaBuilder::new(kind.governing_service().to_owned(), namespace)
            .annotations(settings.annotations)
            .labels(&labels)
            .labels(settings.labels)
            .owner(owner, false)
            .build(),
        spec: Some(ServiceSpec {
            cluster_ip: Some("None".to_owned()),
            ports: Some(vec![ServicePort {
                name: Some(port_name.clone()),
                port: PROMETHEUS_PORT,
                target_port: Some(IntOrString::String(port_name)),
                ..ServicePort::default()
            }]),
            selector: Some(selector),
            ..ServiceSpec::default()
        }),
        status: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn startup_probe_allows_the_maximum_startup_duration() {
        assert_eq!(startup_period_and_failures(None), (15, 60));
        assert_eq!(startup_period_and_failures(Some(600)), (60, 10));
        assert_eq!(startup_period_and_failures(Some(61)), (31, 2));
    }

    #[test]
    fn shard_names() {
        let p: Prometheus = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "k8s"},
            "spec": {"shards": 3}
        }))
        .unwrap();
        assert_eq!(
            statefulset_shard_names(Instance::Prometheus(&p)),
            [
                "prometheus-k8s",
                "prometheus-k8s-shard-1",
                "prometheus-k8s-shard-2"
            ]
        );
    }
}
