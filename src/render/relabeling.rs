//! Relabelings and per-job scrape settings shared by every job generator: user relabel
//! rules (`generateRelabelConfig`), sharding rules (`appendSharding*`), limits
//! (`AddLimitsToYAML`, `getLimit`), honor labels / timestamps, scrape protocols, native
//! histograms, scrape class lookup and merging (`getScrapeClassOrDefault`,
//! `merge*WithScrapeClass`) and namespace label enforcement (`namespacelabeler`).

use std::sync::LazyLock;

use k8s_openapi::api::core::v1::SecretKeySelector;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;

use super::Generator;
use crate::monitoring::CustomResource;
use crate::monitoring::v1::common::{
    AttachMetadata, Authorization, EndpointScrape, MonitorScrapeSettings, MonitorSelection,
    NativeHistogramConfig, RelabelConfig, SafeAuthorization, ScrapeClass, ScrapeLimits,
    ScrapeProtocol,
};
use crate::monitoring::v1::prometheus::CommonPrometheusFields;
use crate::monitoring::v1::tls::{SafeTLSConfig, TLSConfig};
use crate::relabel::sanitize_label_name;
use crate::yaml::{Map, Yaml};

const HASH_LABEL: &str = "__tmp_hash";
const DISABLE_SHARDING_LABEL: &str = "__tmp_disable_sharding";
const TOPOLOGY_TMP_LABEL: &str = "__tmp_topology";
const NODE_ZONE_META_LABEL: &str = "__meta_kubernetes_node_label_topology_kubernetes_io_zone";
const NODE_ZONE_PRESENT_META_LABEL: &str =
    "__meta_kubernetes_node_labelpresent_topology_kubernetes_io_zone";
const ENDPOINT_SLICE_ZONE_META_LABEL: &str = "__meta_kubernetes_endpointslice_endpoint_zone";
const POD_ZONE_META_LABEL: &str = "__meta_kubernetes_pod_label_topology_kubernetes_io_zone";
const POD_ZONE_PRESENT_META_LABEL: &str =
    "__meta_kubernetes_pod_labelpresent_topology_kubernetes_io_zone";

/// A list of fixed strings as a YAML sequence.
pub(crate) fn str_seq(items: &[&'static str]) -> Yaml {
    Yaml::Seq(items.iter().map(|s| Yaml::fixed(s)).collect())
}

/// The first relabeling of every generated job: copy `job` into `__tmp_prometheus_job_name`.
pub(crate) fn init_relabelings() -> Vec<Map> {
    vec![
        Map::new()
            .with("source_labels", str_seq(&["job"]))
            .with("target_label", Yaml::fixed("__tmp_prometheus_job_name")),
    ]
}

/// User relabel rules in Prometheus's format; the action is lower-cased.
pub(crate) fn generate_relabel_config(rules: &[RelabelConfig]) -> Vec<Map> {
    rules
        .iter()
        .map(|rule| {
            let mut out = Map::new();
            if !rule.source_labels.is_empty() {
                out.push("source_labels", rule.source_labels.clone());
            }
            if let Some(separator) = &rule.separator {
                out.push("separator", separator.as_str());
            }
            if !rule.target_label.is_empty() {
                out.push("target_label", rule.target_label.as_str());
            }
            if !rule.regex.is_empty() {
                out.push("regex", rule.regex.as_str());
            }
            if let Some(modulus) = rule.modulus.filter(|m| *m != 0) {
                out.push("modulus", modulus);
            }
            if let Some(replacement) = &rule.replacement {
                out.push("replacement", replacement.as_str());
            }
            if !rule.action.is_empty() {
                out.push("action", rule.action.to_lowercase());
            }
            out
        })
        .collect()
}

/// Relabelings that keep only targets whose Kubernetes object matches `selector`, reading
/// labels from `<meta_prefix>_label_*` / `<meta_prefix>_labelpresent_*`
/// (e.g. `__meta_kubernetes_service`).
pub(crate) fn selector_relabelings(selector: &LabelSelector, meta_prefix: &str) -> Vec<Map> {
    let mut out = Vec::new();
    for (key, value) in selector.match_labels.iter().flatten() {
        let name = sanitize_label_name(key);
        out.push(
            Map::new()
                .with("action", Yaml::fixed("keep"))
                .with(
                    "source_labels",
                    vec![
                        format!("{meta_prefix}_label_{name}"),
                        format!("{meta_prefix}_labelpresent_{name}"),
                    ],
                )
                .with("regex", format!("({value});true")),
        );
    }
    for expression in selector.match_expressions.iter().flatten() {
        let name = sanitize_label_name(&expression.key);
        let values = expression.values.as_deref().unwrap_or_default().join("|");
        let both = vec![
            format!("{meta_prefix}_label_{name}"),
            format!("{meta_prefix}_labelpresent_{name}"),
        ];
        let present = vec![format!("{meta_prefix}_labelpresent_{name}")];
        let rule = match expression.operator.as_str() {
            "In" => Map::new()
                .with("action", Yaml::fixed("keep"))
                .with("source_labels", both)
                .with("regex", format!("({values});true")),
            "NotIn" => Map::new()
                .with("action", Yaml::fixed("drop"))
                .with("source_labels", both)
                .with("regex", format!("({values});true")),
            "Exists" => Map::new()
                .with("action", Yaml::fixed("keep"))
                .with("source_labels", present)
                .with("regex", Yaml::fixed("true")),
            "DoesNotExist" => Map::new()
                .with("action", Yaml::fixed("drop"))
                .with("source_labels", present)
                .with("regex", Yaml::fixed("true")),
            _ => continue,
        };
        out.push(rule);
    }
    out
}

/// One scrape limit, as a job and the `global` section render it.
pub(crate) struct ScrapeLimit {
    /// Key in the scrape job and in `global`.
    pub key: &'static str,
    /// Minimum Prometheus version for the key in a job, if any.
    pub job_min_version: Option<&'static str>,
    /// Minimum Prometheus version for the key in `global`.
    pub global_min_version: &'static str,
    /// The limit among a monitor's, a ScrapeConfig's or the Prometheus spec's own.
    pub value: fn(&ScrapeLimits) -> Option<i64>,
    /// The upper bound the Prometheus spec enforces.
    pub enforced: fn(&CommonPrometheusFields) -> Option<i64>,
}

/// The six scrape limits, in the order jobs and `global` render them; the job and the
/// global rendering, and their enforcement, all read this one list.
pub(crate) const SCRAPE_LIMITS: [ScrapeLimit; 6] = [
    ScrapeLimit {
        key: "sample_limit",
        job_min_version: None,
        global_min_version: "2.45.0",
        value: |l| l.sample_limit,
        enforced: |c| c.enforced_sample_limit,
    },
    ScrapeLimit {
        key: "target_limit",
        job_min_version: Some("2.21.0"),
        global_min_version: "2.45.0",
        value: |l| l.target_limit,
        enforced: |c| c.enforced_target_limit,
    },
    ScrapeLimit {
        key: "label_limit",
        job_min_version: Some("2.27.0"),
        global_min_version: "2.45.0",
        value: |l| l.label_limit,
        enforced: |c| c.enforced_label_limit,
    },
    ScrapeLimit {
        key: "label_name_length_limit",
        job_min_version: Some("2.27.0"),
        global_min_version: "2.45.0",
        value: |l| l.label_name_length_limit,
        enforced: |c| c.enforced_label_name_length_limit,
    },
    ScrapeLimit {
        key: "label_value_length_limit",
        job_min_version: Some("2.27.0"),
        global_min_version: "2.45.0",
        value: |l| l.label_value_length_limit,
        enforced: |c| c.enforced_label_value_length_limit,
    },
    ScrapeLimit {
        key: "keep_dropped_targets",
        job_min_version: Some("2.47.0"),
        global_min_version: "2.47.0",
        value: |l| l.keep_dropped_targets,
        enforced: |c| c.enforced_keep_dropped_targets,
    },
];

/// The monitor a job is generated for, as its relabelings depend on it.
pub(crate) struct MonitorRef<'a> {
    /// Its scrape class, whose rules come before the monitor's own.
    pub(crate) scrape_class: &'a ScrapeClass,
    /// Its resource name, e.g. `servicemonitors`, matched by enforcement exclusions.
    plural: &'a str,
    /// Its namespace.
    pub(crate) namespace: &'a str,
    /// Its name.
    pub(crate) name: &'a str,
}

/// Where a monitor's attach-metadata setting came from, with the version that supports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct AttachMetadataConfig {
    /// Minimum Prometheus version for `attach_metadata` with this role.
    pub minimum_version: &'static str,
    /// `attach_metadata.node`.
    pub node: bool,
}

/// An `Authorization` from a Secret-only one, filled from the scrape class.
pub(crate) fn merge_safe_authorization_with_scrape_class(
    auth: Option<&SafeAuthorization>,
    scrape_class: &ScrapeClass,
) -> Option<Authorization> {
    match auth {
        Some(a) if *a != SafeAuthorization::default() => merge_authorization_with_scrape_class(
            Some(Authorization {
                type_: a.type_.clone(),
                credentials: a.credentials.clone(),
                credentials_file: String::new(),
            }),
            scrape_class,
        ),
        _ => merge_authorization_with_scrape_class(None, scrape_class),
    }
}

/// Fills missing credentials of `auth` from the scrape class's authorization.
pub(crate) fn merge_authorization_with_scrape_class(
    auth: Option<Authorization>,
    scrape_class: &ScrapeClass,
) -> Option<Authorization> {
    let Some(mut auth) = auth else {
        return scrape_class.authorization.clone();
    };
    let Some(class_auth) = &scrape_class.authorization else {
        return Some(auth);
    };
    if auth.credentials.is_none() {
        auth.credentials = class_auth.credentials.clone();
    }
    if auth.credentials.is_none() && auth.credentials_file.is_empty() {
        auth.credentials = class_auth.credentials.clone();
        auth.credentials_file = class_auth.credentials_file.clone();
    }
    Some(auth)
}

/// A `TLSConfig` from a Secret-only one, with files filled from the scrape class.
pub(crate) fn merge_safe_tls_config_with_scrape_class(
    tls: Option<&SafeTLSConfig>,
    scrape_class: &ScrapeClass,
) -> Option<TLSConfig> {
    match tls {
        Some(t) if *t != SafeTLSConfig::default() => merge_tls_config_with_scrape_class(
            Some(TLSConfig {
                ca: t.ca.clone(),
                cert: t.cert.clone(),
                key_secret: t.key_secret.clone(),
                server_name: t.server_name.clone(),
                insecure_skip_verify: t.insecure_skip_verify,
                min_version: t.min_version.clone(),
                max_version: t.max_version.clone(),
                ..TLSConfig::default()
            }),
            scrape_class,
        ),
        _ => merge_tls_config_with_scrape_class(None, scrape_class),
    }
}

/// Fills the CA, certificate and key files of `tls` from the scrape class where unset.
pub(crate) fn merge_tls_config_with_scrape_class(
    tls: Option<TLSConfig>,
    scrape_class: &ScrapeClass,
) -> Option<TLSConfig> {
    let Some(mut tls) = tls else {
        return scrape_class.tls_config.clone();
    };
    let Some(class_tls) = &scrape_class.tls_config else {
        return Some(tls);
    };
    if tls.ca_file.is_empty() && tls.ca.is_empty() {
        tls.ca_file = class_tls.ca_file.clone();
    }
    if tls.cert_file.is_empty() && tls.cert.is_empty() {
        tls.cert_file = class_tls.cert_file.clone();
    }
    if tls.key_file.is_empty() && tls.key_secret.is_none() {
        tls.key_file = class_tls.key_file.clone();
    }
    Some(tls)
}

/// The monitor's attach-metadata setting, or the scrape class's.
pub(crate) fn merge_attach_metadata_with_scrape_class(
    attach_metadata: Option<&AttachMetadata>,
    scrape_class: &ScrapeClass,
    minimum_version: &'static str,
) -> Option<AttachMetadataConfig> {
    let attach = attach_metadata.or(scrape_class.attach_metadata.as_ref())?;
    Some(AttachMetadataConfig {
        minimum_version,
        node: attach.node.unwrap_or(false),
    })
}

/// The monitor's fallback scrape protocol, or the scrape class's.
pub(crate) fn merge_fallback_scrape_protocol_with_scrape_class<'a>(
    protocol: Option<&'a ScrapeProtocol>,
    scrape_class: &'a ScrapeClass,
) -> Option<&'a ScrapeProtocol> {
    protocol.or(scrape_class.fallback_scrape_protocol.as_ref())
}

/// A byte size as upstream compares body size limits: `units.ParseBase2Bytes`, its error
/// ignored (a malformed size is 0).
fn base2_bytes_or_zero(text: &str) -> i64 {
    crate::go::units::parse_base2_bytes(text).unwrap_or(0)
}

/// The scrape class of a job when the Prometheus has none that applies.
static NO_SCRAPE_CLASS: LazyLock<ScrapeClass> = LazyLock::new(ScrapeClass::default);

impl<'a> Generator<'a> {
    /// The ServiceMonitor, PodMonitor or Probe `monitor`, with the scrape class it names (or
    /// the default one).
    pub fn monitor_ref<'m, M: CustomResource>(
        &self,
        monitor: &'m M,
        scrape_class_name: Option<&str>,
    ) -> MonitorRef<'m>
    where
        'a: 'm,
    {
        let metadata = monitor.metadata();
        MonitorRef {
            scrape_class: self.scrape_class_or_default(scrape_class_name),
            plural: M::PLURAL,
            namespace: metadata.namespace.as_deref().unwrap_or(""),
            name: metadata.name.as_deref().unwrap_or(""),
        }
    }

    /// The scrape class named `name` if it exists, else the default scrape class, else an
    /// empty one (upstream `getScrapeClassOrDefault`). Borrowed: it is asked once per job.
    pub fn scrape_class_or_default(&self, name: Option<&str>) -> &'a ScrapeClass {
        let classes = &self.common.scrape_classes;
        // A later class with the same name wins, as when upstream fills its map.
        let by_name = |wanted: &str| classes.iter().rev().find(|c| c.name == wanted);
        if let Some(found) = name.and_then(by_name) {
            return found;
        }
        if let Some(default) = classes.iter().find(|c| c.default == Some(true))
            && let Some(found) = by_name(&default.name)
        {
            return found;
        }
        &NO_SCRAPE_CLASS
    }

    /// `getLimit`: the lower of the user's and the enforced limit; `None` when the enforced
    /// limit applies globally anyway (Prometheus >= 2.45.0).
    pub fn get_limit(&self, user: Option<i64>, enforced: Option<i64>) -> Option<i64> {
        let enforced_value = enforced.unwrap_or(0);
        if enforced_value == 0 {
            return user;
        }
        let user_value = user.unwrap_or(0);
        if user_value == 0 {
            if self.version.gte("2.45.0") {
                return None;
            }
            return enforced;
        }
        if enforced_value > user_value {
            user
        } else {
            enforced
        }
    }

    /// Appends the six per-job limits, each against its enforced counterpart (upstream
    /// `AddLimitsToYAML`).
    pub fn add_limits(&self, cfg: &mut Map, limits: &ScrapeLimits) {
        for limit in &SCRAPE_LIMITS {
            let enforced = (limit.enforced)(self.common);
            let Some(value) = self.get_limit((limit.value)(limits), enforced) else {
                continue;
            };
            match limit.job_min_version {
                None => cfg.push(limit.key, value),
                Some(min) => self.push_min(cfg, min, limit.key, value),
            }
        }
    }

    /// `honor_labels`, forced to false by `overrideHonorLabels`.
    pub fn add_honor_labels(&self, cfg: &mut Map, honor_labels: bool) {
        let value = honor_labels && !self.common.override_honor_labels.unwrap_or(false);
        cfg.push("honor_labels", value);
    }

    /// `honor_timestamps`, only when the user set it or `overrideHonorTimestamps` is on.
    pub fn add_honor_timestamps(&self, cfg: &mut Map, user: Option<bool>) {
        let override_ts = self.common.override_honor_timestamps.unwrap_or(false);
        if user.is_none() && !override_ts {
            return;
        }
        let value = user.unwrap_or(false) && !override_ts;
        self.push_min(cfg, "2.9.0", "honor_timestamps", value);
    }

    /// `track_timestamps_staleness`.
    pub fn add_track_timestamps_staleness(&self, cfg: &mut Map, value: Option<bool>) {
        if let Some(value) = value {
            self.push_min(cfg, "2.48.0", "track_timestamps_staleness", value);
        }
    }

    /// `scrape_protocols`; `PrometheusText1.0.0` is dropped before Prometheus 3.
    pub fn add_scrape_protocols(&self, cfg: &mut Map, protocols: &[ScrapeProtocol]) {
        if protocols.is_empty() {
            return;
        }
        let mut kept = Vec::with_capacity(protocols.len());
        for protocol in protocols {
            if protocol == "PrometheusText1.0.0"
                && !self.supports_field("scrapeProtocol=PrometheusText1.0.0", "3.0.0-rc.0")
            {
                continue;
            }
            kept.push(protocol.clone());
        }
        self.push_min(cfg, "2.49.0", "scrape_protocols", kept);
    }

    /// `fallback_scrape_protocol`.
    pub fn add_fallback_scrape_protocol(&self, cfg: &mut Map, protocol: Option<&ScrapeProtocol>) {
        if let Some(protocol) = protocol {
            self.push_min(cfg, "3.0.0", "fallback_scrape_protocol", protocol.as_str());
        }
    }

    /// Native histogram settings of a job.
    pub fn add_native_histogram_config(&self, cfg: &mut Map, nhc: &NativeHistogramConfig) {
        if let Some(v) = nhc.scrape_native_histograms {
            self.push_min(cfg, "3.8.0", "scrape_native_histograms", v);
        }
        if let Some(v) = nhc.native_histogram_bucket_limit {
            self.push_min(cfg, "2.45.0", "native_histogram_bucket_limit", v);
        }
        if let Some(q) = &nhc.native_histogram_min_bucket_factor {
            let factor = crate::render::relabeling::quantity_as_f64(&q.0);
            self.push_min(cfg, "2.50.0", "native_histogram_min_bucket_factor", factor);
        }
        if let Some(v) = nhc.scrape_classic_histograms {
            if self.version.major == 3 {
                cfg.push("always_scrape_classic_histograms", v);
            } else {
                self.push_min(cfg, "2.45.0", "scrape_classic_histograms", v);
            }
        }
        if let Some(v) = nhc.convert_classic_histograms_to_nhcb {
            self.push_min(cfg, "3.0.0", "convert_classic_histograms_to_nhcb", v);
        }
    }

    /// `body_size_limit`: the lower of the monitor's and the enforced limit.
    pub fn add_body_size_limit(&self, cfg: &mut Map, body_size_limit: Option<&str>) {
        let enforced = self
            .common
            .enforced_body_size_limit
            .as_deref()
            .unwrap_or("");
        let user = body_size_limit.unwrap_or("");
        let chosen = if enforced.is_empty() {
            user
        } else if user.is_empty() || base2_bytes_or_zero(user) > base2_bytes_or_zero(enforced) {
            enforced
        } else {
            user
        };
        if !chosen.is_empty() {
            self.push_min(cfg, "2.28.0", "body_size_limit", chosen);
        }
    }

    /// The limits, native histogram settings and scrape protocols of a monitor's job, which
    /// ServiceMonitor, PodMonitor and Probe set alike; the fallback protocol defaults to the
    /// scrape class's.
    pub fn add_monitor_scrape_settings(
        &self,
        cfg: &mut Map,
        settings: &MonitorScrapeSettings<'_>,
        scrape_class: &ScrapeClass,
    ) {
        self.add_limits(cfg, &settings.limits);
        self.add_native_histogram_config(cfg, &settings.native_histograms);
        self.add_scrape_protocols(cfg, settings.protocols);
        self.add_fallback_scrape_protocol(
            cfg,
            merge_fallback_scrape_protocol_with_scrape_class(
                settings.fallback_protocol,
                scrape_class,
            ),
        );
    }

    /// The target relabelings a monitor's job ends its own with: the scrape class's, then
    /// the monitor's `rules` with the namespace label enforced.
    pub fn monitor_relabelings(
        &self,
        monitor: &MonitorRef<'_>,
        rules: &[RelabelConfig],
    ) -> Vec<Map> {
        let mut out = generate_relabel_config(&monitor.scrape_class.relabelings);
        out.extend(generate_relabel_config(
            &self.enforce_monitor_namespace_label(monitor, rules),
        ));
        out
    }

    /// `metric_relabel_configs` of a monitor's job: the scrape class's rules, then the
    /// monitor's own with the namespace label enforced; omitted when there are none.
    pub fn add_metric_relabelings(
        &self,
        cfg: &mut Map,
        monitor: &MonitorRef<'_>,
        rules: &[RelabelConfig],
    ) {
        let mut all = monitor.scrape_class.metric_relabelings.clone();
        all.extend(self.enforce_monitor_namespace_label(monitor, rules));
        if !all.is_empty() {
            cfg.push("metric_relabel_configs", generate_relabel_config(&all));
        }
    }

    /// `bearer_token`, from the Secret key `secret` refers to, when it is found.
    pub fn add_monitor_bearer_token(
        &self,
        cfg: &mut Map,
        monitor: &MonitorRef<'_>,
        secret: Option<&SecretKeySelector>,
    ) {
        if let Some(token) = secret.and_then(|s| self.secret_key(monitor.namespace, s)) {
            cfg.push("bearer_token", token);
        }
    }

    /// `authorization` of a monitor's job, the scrape class's when the monitor sets none.
    pub fn add_monitor_authorization(
        &self,
        cfg: &mut Map,
        monitor: &MonitorRef<'_>,
        auth: Option<&SafeAuthorization>,
    ) {
        let auth = merge_safe_authorization_with_scrape_class(auth, monitor.scrape_class);
        self.add_authorization(cfg, monitor.namespace, auth.as_ref());
    }

    /// How a ServiceMonitor or PodMonitor job ends: after the kind's own target relabelings,
    /// the scrape class's and the endpoint's, then sharding unless `shards` is `None`; then
    /// the spec's scrape settings and body size limit, and the metric relabelings.
    pub(crate) fn end_monitor_job(
        &self,
        mut cfg: Map,
        monitor: &MonitorRef<'_>,
        selection: &MonitorSelection<'_>,
        ep: &EndpointScrape<'_>,
        mut relabelings: Vec<Map>,
        shards: Option<i32>,
    ) -> Map {
        relabelings.extend(self.monitor_relabelings(monitor, ep.relabel_configs));
        if let Some(shards) = shards {
            self.append_sharding_relabeling_with_address(&mut relabelings, shards);
        }
        cfg.push("relabel_configs", relabelings);

        self.add_monitor_scrape_settings(
            &mut cfg,
            &selection.scrape_settings,
            monitor.scrape_class,
        );
        self.add_body_size_limit(&mut cfg, selection.body_size_limit);

        self.add_metric_relabelings(&mut cfg, monitor, ep.metric_relabel_configs);
        cfg
    }

    /// [`Self::enforce_namespace_label`] for the monitor's own rules.
    fn enforce_monitor_namespace_label(
        &self,
        monitor: &MonitorRef<'_>,
        rules: &[RelabelConfig],
    ) -> Vec<RelabelConfig> {
        self.enforce_namespace_label(monitor.plural, monitor.namespace, monitor.name, rules)
    }

    /// Appends the namespace enforcement rule to `rules` unless the object is excluded
    /// (upstream `namespacelabeler.GetRelabelingConfigs`). `plural` is the object's
    /// resource name, e.g. `servicemonitors`.
    pub fn enforce_namespace_label(
        &self,
        plural: &str,
        namespace: &str,
        name: &str,
        rules: &[RelabelConfig],
    ) -> Vec<RelabelConfig> {
        let mut out = rules.to_vec();
        let label = self
            .common
            .enforced_namespace_label
            .as_deref()
            .unwrap_or("");
        if label.is_empty() {
            return out;
        }
        let excluded = self
            .common
            .excluded_from_enforcement
            .iter()
            .any(|r| r.names(plural, namespace, name));
        if !excluded {
            out.push(RelabelConfig {
                target_label: label.to_owned(),
                replacement: Some(namespace.to_owned()),
                ..RelabelConfig::default()
            });
        }
        out
    }

    /// Whether the topology sharding gate is on and the Prometheus shards by zone.
    pub fn is_topology_sharding_active(&self) -> bool {
        self.options.topology_sharding && !self.topology_zones().is_empty()
    }

    /// The configured topology zones when sharding mode is `Topology`.
    fn topology_zones(&self) -> &[String] {
        match &self.common.sharding_strategy {
            Some(ss) if ss.mode.as_deref() == Some("Topology") => ss
                .topology
                .as_ref()
                .map(|t| t.values.as_slice())
                .unwrap_or_default(),
            _ => &[],
        }
    }

    /// `max(1, shards / zones)`.
    fn shards_per_zone(&self, shards: i32) -> i32 {
        let zones = i32::try_from(self.topology_zones().len())
            .unwrap_or(i32::MAX)
            .max(1);
        (shards / zones).max(1)
    }

    /// Forces node metadata when topology sharding relies on node zone labels.
    pub fn merge_attach_metadata_for_topology(
        &self,
        config: Option<AttachMetadataConfig>,
        minimum_version: &'static str,
    ) -> Option<AttachMetadataConfig> {
        if !self.is_topology_sharding_active() || self.options.pod_topology_labels {
            return config;
        }
        if config.is_some_and(|c| c.node) {
            return config;
        }
        Some(AttachMetadataConfig {
            minimum_version,
            node: true,
        })
    }

    /// Sharding on `__address__`.
    pub fn append_sharding_relabeling_with_address(&self, relabelings: &mut Vec<Map>, shards: i32) {
        self.append_sharding_relabeling_with_label(relabelings, shards, "__address__");
    }

    /// Sharding on `__param_target` (probes).
    pub fn append_sharding_relabeling_for_probes(&self, relabelings: &mut Vec<Map>, shards: i32) {
        self.append_sharding_relabeling_with_label(relabelings, shards, "__param_target");
    }

    /// Sharding on `__address__` unless a `hashmod` rule is already present.
    pub fn append_sharding_relabeling_with_address_if_missing(
        &self,
        relabelings: &mut Vec<Map>,
        shards: i32,
    ) {
        let has_hashmod = relabelings.iter().any(|r| {
            r.iter()
                .any(|(k, v)| k == "action" && v.as_str() == Some("hashmod"))
        });
        if !has_hashmod {
            self.append_sharding_relabeling_with_address(relabelings, shards);
        }
    }

    /// The sharding rules hashing `shard_label` (upstream `appendShardingRelabelingWithLabel`).
    pub fn append_sharding_relabeling_with_label(
        &self,
        relabelings: &mut Vec<Map>,
        shards: i32,
        shard_label: &'static str,
    ) {
        if self.retention_policies {
            let in_range = (0..shards.max(0))
                .map(|i| i.to_string())
                .collect::<Vec<_>>()
                .join("|");
            relabelings.push(
                Map::new()
                    .with("target_label", Yaml::fixed("__tmp_current_shard"))
                    .with("replacement", Yaml::fixed("$(SHARD)"))
                    .with("action", Yaml::fixed("replace")),
            );
            relabelings.push(
                Map::new()
                    .with("source_labels", str_seq(&["__tmp_current_shard"]))
                    .with("regex", in_range)
                    .with("action", Yaml::fixed("keep")),
            );
        }

        let mut modulus = shards;
        let mut shard_env_var = "SHARD";
        if self.is_topology_sharding_active() {
            modulus = self.shards_per_zone(shards);
            shard_env_var = "INZONE_SHARD";
            relabelings.push(
                Map::new()
                    .with(
                        "source_labels",
                        str_seq(&[ENDPOINT_SLICE_ZONE_META_LABEL, TOPOLOGY_TMP_LABEL]),
                    )
                    .with("target_label", TOPOLOGY_TMP_LABEL)
                    .with("regex", Yaml::fixed("(.+);"))
                    .with("replacement", Yaml::fixed("$1"))
                    .with("action", Yaml::fixed("replace")),
            );
            let (zone, zone_present) = if self.options.pod_topology_labels {
                (POD_ZONE_META_LABEL, POD_ZONE_PRESENT_META_LABEL)
            } else {
                (NODE_ZONE_META_LABEL, NODE_ZONE_PRESENT_META_LABEL)
            };
            relabelings.push(
                Map::new()
                    .with(
                        "source_labels",
                        str_seq(&[zone, zone_present, TOPOLOGY_TMP_LABEL]),
                    )
                    .with("target_label", TOPOLOGY_TMP_LABEL)
                    .with("regex", Yaml::fixed("(.+);true;"))
                    .with("replacement", Yaml::fixed("$1"))
                    .with("action", Yaml::fixed("replace")),
            );
            relabelings.push(
                Map::new()
                    .with(
                        "source_labels",
                        str_seq(&[TOPOLOGY_TMP_LABEL, DISABLE_SHARDING_LABEL]),
                    )
                    .with("regex", Yaml::fixed("$(TOPOLOGY_ZONE);|.+;.+"))
                    .with("action", Yaml::fixed("keep")),
            );
        }

        relabelings.push(
            Map::new()
                .with("source_labels", str_seq(&[shard_label, HASH_LABEL]))
                .with("target_label", HASH_LABEL)
                .with("regex", Yaml::fixed("(.+);"))
                .with("replacement", Yaml::fixed("$1"))
                .with("action", Yaml::fixed("replace")),
        );
        relabelings.push(
            Map::new()
                .with("source_labels", str_seq(&[HASH_LABEL]))
                .with("target_label", HASH_LABEL)
                .with("modulus", modulus)
                .with("action", Yaml::fixed("hashmod")),
        );
        relabelings.push(
            Map::new()
                .with(
                    "source_labels",
                    str_seq(&[HASH_LABEL, DISABLE_SHARDING_LABEL]),
                )
                .with("regex", format!("$({shard_env_var});|.+;.+"))
                .with("action", Yaml::fixed("keep")),
        );
    }
}

/// A Kubernetes quantity as an approximate float (upstream `AsApproximateFloat64`):
/// plain and exponent numbers plus the binary (`Ki`..`Ei`) and decimal (`n`..`E`) suffixes.
/// Malformed input reads as 0.
pub(crate) fn quantity_as_f64(text: &str) -> f64 {
    let text = text.trim();
    let suffixes: [(&str, f64); 15] = [
        ("Ki", 1024f64),
        ("Mi", 1024f64.powi(2)),
        ("Gi", 1024f64.powi(3)),
        ("Ti", 1024f64.powi(4)),
        ("Pi", 1024f64.powi(5)),
        ("Ei", 1024f64.powi(6)),
        ("n", 1e-9),
        ("u", 1e-6),
        ("m", 1e-3),
        ("k", 1e3),
        ("M", 1e6),
        ("G", 1e9),
        ("T", 1e12),
        ("P", 1e15),
        ("E", 1e18),
    ];
    for (suffix, mult) in suffixes {
        if let Some(number) = text.strip_suffix(suffix)
            && let Ok(value) = number.parse::<f64>()
        {
            return value * mult;
        }
    }
    text.parse::<f64>().unwrap_or(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relabel_config_keeps_upstream_key_order() {
        let rules = vec![RelabelConfig {
            source_labels: vec!["a".into()],
            separator: Some(";".into()),
            target_label: "t".into(),
            regex: "(.*)".into(),
            modulus: Some(3),
            replacement: Some("$1".into()),
            action: "HashMod".into(),
        }];
        let out = generate_relabel_config(&rules);
        let keys: Vec<&str> = out[0].iter().map(|(k, _)| k).collect();
        assert_eq!(
            keys,
            [
                "source_labels",
                "separator",
                "target_label",
                "regex",
                "modulus",
                "replacement",
                "action"
            ]
        );
        assert_eq!(out[0].get("action"), Some(&Yaml::from("hashmod")));
    }

    #[test]
    fn shard_retention_rules_are_a_servers_only() {
        let text = "\
apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata: {name: p, namespace: mon}
spec: {podMonitorSelector: {}}
---
apiVersion: monitoring.coreos.com/v1alpha1
kind: PrometheusAgent
metadata: {name: a, namespace: mon}
spec: {podMonitorSelector: {}}
---
apiVersion: monitoring.coreos.com/v1
kind: PodMonitor
metadata: {name: web, namespace: mon}
spec:
  selector: {}
  podMetricsEndpoints: [{port: web}]
";
        let snapshot = crate::snapshot::load("t.yaml", text).unwrap().0;
        let options = crate::operator::OperatorOptions::default();
        assert!(options.retention_policies);
        let rendered = |agent: bool| {
            let target =
                crate::instance::find_target(&snapshot, agent, None, if agent { "a" } else { "p" })
                    .unwrap();
            let config = crate::instance::render_target(&snapshot, target, &options)
                .unwrap()
                .rendered
                .config;
            crate::yaml::emit(&config)
        };
        assert!(rendered(false).contains("__tmp_current_shard"));
        assert!(!rendered(true).contains("__tmp_current_shard"));
    }

    #[test]
    fn sanitizes_label_names() {
        assert_eq!(
            sanitize_label_name("app.kubernetes.io/name"),
            "app_kubernetes_io_name"
        );
    }

    #[test]
    fn quantities_parse() {
        assert_eq!(quantity_as_f64("1.1"), 1.1);
        assert_eq!(quantity_as_f64("500m"), 0.5);
        assert_eq!(quantity_as_f64("2Ki"), 2048.0);
    }
}
