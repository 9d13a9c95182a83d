//! The operator's start-up options, parsed once: from its Deployment's arguments (the same
//! parser for every command) or from the defaults of the operator binary, with the user's flags
//! laid over them.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::Container;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use crate::select::Selector;
use crate::select::selector_string::parse_labels;
use crate::snapshot::{Snapshot, name_of, namespace_of};
use crate::watched::Namespaces;

/// Annotation that assigns an instance to one operator (`--controller-id`).
pub const CONTROLLER_ID_ANNOTATION: &str = "operator.prometheus.io/controller-id";

/// The agent controller's refusal of `spec.mode: DaemonSet` without feature gate
/// `PrometheusAgentDaemonSet`.
pub const DAEMON_SET_GATE_DISABLED: &str =
    "feature gate for Prometheus Agent's DaemonSet mode is not enabled";

/// Arguments read from a Deployment before giving up (a bound on hostile input).
const MAX_ARGUMENTS: usize = 1_000;

/// `--prometheus-instance-selector` (Prometheus and PrometheusAgent),
/// `--alertmanager-instance-selector` and `--thanos-ruler-instance-selector`: the operator
/// watches only the instances whose labels match (none: every instance).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InstanceSelectors {
    /// Prometheus and PrometheusAgent.
    pub prometheus: Option<Selector>,
    /// Alertmanager.
    pub alertmanager: Option<Selector>,
    /// ThanosRuler.
    pub thanos_ruler: Option<Selector>,
}

/// The operator release whose behaviour this library reproduces.
pub const REPRODUCED_OPERATOR_VERSION: &str = "v0.93.0";

/// Flags and feature gates the operator was started with. [`Default`] is what the operator
/// binary runs with when given no flag (feature gates `PrometheusTopologySharding` and
/// `PrometheusShardRetentionPolicy` on, as in v0.93.0).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OperatorOptions {
    /// Where the options come from: `Deployment namespace/name`, or `None` for the defaults.
    pub source: Option<String>,
    /// The operator's version, from its image tag, when known.
    pub version: Option<String>,
    /// The operator may use the `endpointslice` discovery role.
    pub endpoint_slice_support: bool,
    /// `PrometheusAgent` in DaemonSet mode (feature gate `PrometheusAgentDaemonSet`).
    pub daemon_set: bool,
    /// Feature gate `PrometheusTopologySharding`.
    pub topology_sharding: bool,
    /// Feature gate `PrometheusShardRetentionPolicy`.
    pub retention_policies: bool,
    /// The cluster adds topology labels to pods (Kubernetes 1.35 and later).
    pub pod_topology_labels: bool,
    /// TLS material is inlined into the configuration instead of mounted as files.
    pub inline_tls_config: bool,
    /// Skip the Prometheus version compatibility check.
    pub no_version_check: bool,
    /// The namespace restrictions.
    pub namespaces: Namespaces,
    /// The label selectors on the instances it watches.
    pub instance_selectors: InstanceSelectors,
    /// `--controller-id` (empty: reconciles objects without the annotation).
    pub controller_id: String,
    /// `--kubelet-service` and the flags that shape what the operator keeps under it.
    pub kubelet: KubeletFlags,
    /// `--prometheus-config-reloader`: image of the config-reloader containers; `None` is the
    /// operator's default (`quay.io/prometheus-operator/prometheus-config-reloader:v0.93.0`).
    pub config_reloader_image: Option<String>,
    /// `--config-reloader-cpu-request`; `None` is the default `10m`, a zero quantity (or `""`)
    /// sets no request.
    pub config_reloader_cpu_request: Option<String>,
    /// `--config-reloader-cpu-limit`; `None` is the default `10m`, zero sets no limit.
    pub config_reloader_cpu_limit: Option<String>,
    /// `--config-reloader-memory-request`; `None` is the default `50Mi`, zero sets no request.
    pub config_reloader_memory_request: Option<String>,
    /// `--config-reloader-memory-limit`; `None` is the default `50Mi`, zero sets no limit.
    pub config_reloader_memory_limit: Option<String>,
    /// `--enable-config-reloader-probes`: liveness, readiness and startup probes on the
    /// config-reloader container.
    pub config_reloader_probes: bool,
    /// `--disable-unmanaged-prometheus-configuration`: a Prometheus without monitor selectors
    /// gets a generated configuration too.
    pub disable_unmanaged_configuration: bool,
    /// `--prometheus-default-base-image`; `None` is `quay.io/prometheus/prometheus`.
    pub prometheus_default_base_image: Option<String>,
    /// `--thanos-default-base-image`; `None` is `quay.io/thanos/thanos`.
    pub thanos_default_base_image: Option<String>,
    /// `--alertmanager-default-base-image`; `None` is `quay.io/prometheus/alertmanager`.
    pub alertmanager_default_base_image: Option<String>,
    /// `--localhost`: host the sidecars use to reach the main container; `None` is `localhost`.
    pub localhost: Option<String>,
    /// `--cluster-domain`: appended to Alertmanager peer addresses; empty relies on the DNS
    /// search path.
    pub cluster_domain: String,
    /// `--labels`: labels added to every object the operator creates.
    pub labels: BTreeMap<String, String>,
    /// `--annotations`: annotations added to every object the operator creates.
    pub annotations: BTreeMap<String, String>,
}

impl Default for OperatorOptions {
    fn default() -> Self {
        OperatorOptions {
            source: None,
            version: None,
            endpoint_slice_support: true,
            daemon_set: false,
            topology_sharding: true,
            retention_policies: true,
            pod_topology_labels: false,
            inline_tls_config: false,
            no_version_check: false,
            namespaces: Namespaces::default(),
            instance_selectors: InstanceSelectors::default(),
            controller_id: String::new(),
            kubelet: KubeletFlags::default(),
            config_reloader_image: None,
            config_reloader_cpu_request: None,
            config_reloader_cpu_limit: None,
            config_reloader_memory_request: None,
            config_reloader_memory_limit: None,
            config_reloader_probes: false,
            disable_unmanaged_configuration: false,
            prometheus_default_base_image: None,
            thanos_default_base_image: None,
            alertmanager_default_base_image: None,
            localhost: None,
            cluster_domain: String::new(),
            labels: BTreeMap::new(),
            annotations: BTreeMap::new(),
        }
    }
}

/// `--kubelet-service` and the flags that shape the Service, Endpoints and EndpointSlices the
/// operator keeps under it, listing every node's kubelet (upstream `pkg/kubelet`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KubeletFlags {
    /// `--kubelet-service`: `(namespace, name)`; `None` when the operator keeps none.
    pub service: Option<(String, String)>,
    /// `--kubelet-selector`: the nodes listed (all when `None`).
    pub node_selector: Option<Selector>,
    /// `--kubelet-node-address-priority=external`: a node's external addresses before its
    /// internal ones.
    pub external_first: bool,
    /// `--kubelet-endpoints` (on by default).
    pub endpoints: bool,
    /// `--kubelet-endpointslice`.
    pub endpoint_slice: bool,
    /// `--kubelet-http-metrics` (on by default): the read-only port 10255 is listed.
    pub http_metrics: bool,
}

impl Default for KubeletFlags {
    fn default() -> Self {
        KubeletFlags {
            service: None,
            node_selector: None,
            external_first: false,
            endpoints: true,
            endpoint_slice: false,
            http_metrics: true,
        }
    }
}

/// Why operator options could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum OptionsError {
    /// `--feature-gates` names a gate the operator does not have.
    #[error("--feature-gates: unknown feature gate {0:?}")]
    UnknownFeatureGate(String),
    /// A boolean flag or gate with a value that is not a boolean.
    #[error("{flag}: {value:?} is not true or false")]
    NotABoolean { flag: String, value: String },
    /// A `key=value` list with an item that is not `key=value`.
    #[error("{flag}: {item:?} is not KEY=VALUE")]
    NotAPair { flag: String, item: String },
    /// A selector flag that is not a label selector.
    #[error("{flag}: {error}")]
    NotASelector { flag: String, error: String },
    /// `--kubelet-service` that is not `namespace/name` (the operator exits at start-up).
    #[error("--kubelet-service: {0:?} is not in the format namespace/name")]
    KubeletService(String),
    /// `--kubelet-service` with both `--kubelet-endpoints=false` and no
    /// `--kubelet-endpointslice`.
    #[error(
        "--kubelet-service: at least one of --kubelet-endpoints or --kubelet-endpointslice needs to be enabled"
    )]
    KubeletWithoutEndpoints,
    /// `--kubelet-node-address-priority` other than `internal` or `external`.
    #[error("--kubelet-node-address-priority: {0:?} is neither internal nor external")]
    NodeAddressPriority(String),
    /// The operator's Deployment holds arguments the operator refuses.
    #[error("{deployment}: {error}")]
    Deployment {
        /// `Deployment namespace/name`.
        deployment: String,
        /// What is wrong with its arguments.
        error: Box<OptionsError>,
    },
}

/// Flags of the operator that take no value (Go's boolean flags).
const BOOLEAN_FLAGS: &[&str] = &[
    "tls-insecure",
    "kubelet-endpointslice",
    "kubelet-endpoints",
    "kubelet-http-metrics",
    "enable-config-reloader-probes",
    "watch-referenced-objects-in-all-namespaces",
    "disable-unmanaged-prometheus-configuration",
];

/// The user's choices laid over the operator's options (the plugin's own flags).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Overrides {
    /// `--endpointslice`.
    pub endpoint_slice_support: Option<bool>,
    /// `--feature-gates`, as the operator takes them (`NAME=BOOL,...`).
    pub feature_gates: Vec<String>,
    /// `--inline-tls-config`.
    pub inline_tls_config: bool,
    /// `--no-version-check`.
    pub no_version_check: bool,
}

impl Overrides {
    /// Refuses what the operator would refuse in these flags (an unknown feature gate, ...).
    pub fn check(&self) -> Result<(), OptionsError> {
        OperatorOptions::default().with_overrides(self).map(drop)
    }
}

impl OperatorOptions {
    /// The options an operator started with `args` runs with (Go's flag syntax: `-flag`,
    /// `--flag`, `--flag=value`, `--flag value`; parsing stops at the first non-flag word or
    /// `--`). Flags that do not change what the plugin computes are ignored.
    pub fn from_args(args: &[String]) -> Result<Self, OptionsError> {
        let mut options = OperatorOptions::default();
        let mut words = args.iter().take(MAX_ARGUMENTS);
        while let Some(word) = words.next() {
            if word == "--" {
                break;
            }
            let Some(flag) = word
                .strip_prefix("--")
                .or_else(|| word.strip_prefix('-'))
                .filter(|f| !f.is_empty())
            else {
                break;
            };
            let (name, value) = match flag.split_once('=') {
                Some((name, value)) => (name, value.to_owned()),
                None if BOOLEAN_FLAGS.contains(&flag) => (flag, "true".to_owned()),
                None => match words.next() {
                    Some(value) => (flag, value.clone()),
                    None => break,
                },
            };
            options.set(name, &value)?;
        }
        // The kubelet controller refuses to start with neither kind of endpoints to write,
        // and the operator exits.
        let kubelet = &options.kubelet;
        if kubelet.service.is_some() && !kubelet.endpoints && !kubelet.endpoint_slice {
            return Err(OptionsError::KubeletWithoutEndpoints);
        }
        Ok(options)
    }

    /// Sets one operator flag.
    fn set(&mut self, name: &str, value: &str) -> Result<(), OptionsError> {
        let list = || -> Vec<String> {
            value
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        };
        let text = || Some(value.to_owned());
        match name {
            "namespaces" => self.namespaces.allow = list(),
            "deny-namespaces" => self.namespaces.deny = list(),
            "prometheus-instance-namespaces" => self.namespaces.prometheus_instances = list(),
            "alertmanager-instance-namespaces" => self.namespaces.alertmanager_instances = list(),
            "alertmanager-config-namespaces" => self.namespaces.alertmanager_configs = list(),
            "thanos-ruler-instance-namespaces" => self.namespaces.thanos_ruler_instances = list(),
            "prometheus-instance-selector" => {
                self.instance_selectors.prometheus = selector_flag(name, value)?;
            }
            "alertmanager-instance-selector" => {
                self.instance_selectors.alertmanager = selector_flag(name, value)?;
            }
            "thanos-ruler-instance-selector" => {
                self.instance_selectors.thanos_ruler = selector_flag(name, value)?;
            }
            "controller-id" => self.controller_id = value.to_owned(),
            "kubelet-service" => self.kubelet.service = kubelet_service(value)?,
            "kubelet-selector" => self.kubelet.node_selector = selector_flag(name, value)?,
            "kubelet-node-address-priority" => {
                self.kubelet.external_first = match value {
                    "internal" => false,
                    "external" => true,
                    _ => return Err(OptionsError::NodeAddressPriority(value.to_owned())),
                }
            }
            "kubelet-endpoints" => self.kubelet.endpoints = boolean(name, value)?,
            "kubelet-endpointslice" => self.kubelet.endpoint_slice = boolean(name, value)?,
            "kubelet-http-metrics" => self.kubelet.http_metrics = boolean(name, value)?,
            "feature-gates" => self.set_feature_gates(value)?,
            "prometheus-config-reloader" => self.config_reloader_image = text(),
            "config-reloader-cpu-request" => self.config_reloader_cpu_request = text(),
            "config-reloader-cpu-limit" => self.config_reloader_cpu_limit = text(),
            "config-reloader-memory-request" => self.config_reloader_memory_request = text(),
            "config-reloader-memory-limit" => self.config_reloader_memory_limit = text(),
            "enable-config-reloader-probes" => {
                self.config_reloader_probes = boolean(name, value)?;
            }
            "disable-unmanaged-prometheus-configuration" => {
                self.disable_unmanaged_configuration = boolean(name, value)?;
            }
            "prometheus-default-base-image" => self.prometheus_default_base_image = text(),
            "thanos-default-base-image" => self.thanos_default_base_image = text(),
            "alertmanager-default-base-image" => self.alertmanager_default_base_image = text(),
            "localhost" => self.localhost = text(),
            "cluster-domain" => self.cluster_domain = value.to_owned(),
            // Repeated, these flags add up (Go's `Map.Set`).
            "labels" => self.labels.extend(pairs(name, value)?),
            "annotations" => self.annotations.extend(pairs(name, value)?),
            _ => {}
        }
        Ok(())
    }

    /// Applies `NAME=BOOL,...` as the operator's `--feature-gates` does (a bare name is on).
    pub fn set_feature_gates(&mut self, gates: &str) -> Result<(), OptionsError> {
        for gate in gates.split(',').map(str::trim).filter(|g| !g.is_empty()) {
            let (name, value) = gate.split_once('=').unwrap_or((gate, "true"));
            let enabled = boolean("--feature-gates", value.trim())?;
            let slot = match name.trim() {
                "PrometheusAgentDaemonSet" => &mut self.daemon_set,
                "PrometheusTopologySharding" => &mut self.topology_sharding,
                "PrometheusShardRetentionPolicy" => &mut self.retention_policies,
                // Gates that change nothing the plugin computes.
                "StatusForConfigurationResources" | "RemoteWriteCustomResourceDefinition" => {
                    continue;
                }
                other => return Err(OptionsError::UnknownFeatureGate(other.to_owned())),
            };
            *slot = enabled;
        }
        Ok(())
    }

    /// Lays the user's `overrides` over these options.
    pub fn with_overrides(mut self, overrides: &Overrides) -> Result<Self, OptionsError> {
        if let Some(endpoint_slice) = overrides.endpoint_slice_support {
            self.endpoint_slice_support = endpoint_slice;
        }
        for gates in &overrides.feature_gates {
            self.set_feature_gates(gates)?;
        }
        self.inline_tls_config |= overrides.inline_tls_config;
        self.no_version_check |= overrides.no_version_check;
        Ok(self)
    }

    /// The options of the operator whose Deployment `snapshot` holds, or the operator's
    /// defaults when it holds none; the user's `overrides` on top.
    pub fn resolve(snapshot: &Snapshot, overrides: &Overrides) -> Result<Self, OptionsError> {
        let base = match operator_deployment(snapshot) {
            Some((deployment, container)) => {
                let args: Vec<String> = container
                    .command
                    .iter()
                    .flatten()
                    .skip(1)
                    .chain(container.args.iter().flatten())
                    .cloned()
                    .collect();
                let source = format!(
                    "Deployment {}/{}",
                    namespace_of(&deployment.metadata),
                    name_of(&deployment.metadata)
                );
                let mut options = OperatorOptions::from_args(&args).map_err(|error| {
                    OptionsError::Deployment {
                        deployment: source.clone(),
                        error: Box::new(error),
                    }
                })?;
                options.source = Some(source);
                options.version = container.image.as_deref().and_then(image_tag);
                options
            }
            None => OperatorOptions::default(),
        };
        base.with_overrides(overrides)
    }

    /// Whether the agent controller takes `agent`'s mode: DaemonSet mode needs feature gate
    /// `PrometheusAgentDaemonSet` ([`DAEMON_SET_GATE_DISABLED`] otherwise).
    pub fn allows_agent_mode(&self, agent: &crate::monitoring::v1alpha1::PrometheusAgent) -> bool {
        self.daemon_set || !agent.spec.daemon_set_mode()
    }

    /// Whether the operator leaves `prometheus`'s scrape configuration to the user
    /// (`unmanagedPrometheusConfiguration`): no ServiceMonitor, PodMonitor, Probe or
    /// ScrapeConfig selector, unless `--disable-unmanaged-prometheus-configuration`.
    pub fn leaves_unmanaged(&self, prometheus: &crate::monitoring::v1::Prometheus) -> bool {
        let spec = &prometheus.spec;
        !self.disable_unmanaged_configuration
            && spec.service_monitor_selector.is_none()
            && spec.pod_monitor_selector.is_none()
            && spec.probe_selector.is_none()
            && spec.scrape_config_selector.is_none()
    }

    /// The version of the operator's Deployment when it is another minor release than the one
    /// this library reproduces (a patch release generates the same).
    pub fn other_release(&self) -> Option<&str> {
        let version = self.version.as_deref()?;
        let minor = |v: &str| -> Option<(u64, u64)> {
            let mut parts = v.strip_prefix('v').unwrap_or(v).split('.');
            Some((parts.next()?.parse().ok()?, parts.next()?.parse().ok()?))
        };
        (minor(version) != minor(REPRODUCED_OPERATOR_VERSION)).then_some(version)
    }

    /// A note naming the operator when [`OperatorOptions::other_release`]: its output may differ.
    pub fn release_note(&self) -> Option<String> {
        self.other_release().map(|version| {
            format!(
                "{} runs {version}; this tool reproduces {REPRODUCED_OPERATOR_VERSION}, so what \
                 that operator generates may differ",
                self.who()
            )
        })
    }

    /// Where the options come from, for messages: `the operator (Deployment ns/name)`.
    fn who(&self) -> String {
        match &self.source {
            Some(source) => format!("the operator ({source})"),
            None => "the operator".to_owned(),
        }
    }

    /// How the operator's `flag` keeps `namespace` from its informers, in a sentence.
    pub fn unwatched_message(&self, flag: &str, namespace: &str) -> String {
        let values = self.namespaces.flag_values(flag).join(",");
        if flag == "--deny-namespaces" {
            format!(
                "{} ignores namespace {namespace:?} (--deny-namespaces={values})",
                self.who()
            )
        } else {
            format!(
                "{} watches only namespaces {values} ({flag}), not {namespace:?}",
                self.who()
            )
        }
    }

    /// Why the operator takes no action on the instance of `kind` with `meta`, if it takes
    /// none: it does not reconcile it at all ([`OperatorOptions::ignores_instance`]), or the
    /// instance is `paused`, which its sync checks first and then stops at.
    pub fn skips_instance(&self, kind: &str, meta: &ObjectMeta, paused: bool) -> Option<String> {
        (self.ignores_instance(kind, meta).map(|ignored| ignored.why))
            .or_else(|| paused.then(|| PAUSED.to_owned()))
    }

    /// Why the operator does not reconcile the instance of `kind` with `meta` at all, if it
    /// does not: another controller id, a namespace outside the kind's own allow list
    /// (`--prometheus-instance-namespaces` for Prometheus and PrometheusAgent,
    /// `--alertmanager-instance-namespaces`, `--thanos-ruler-instance-namespaces`; each falls
    /// back to `--namespaces`), or labels its instance selector does not match. Only of an
    /// operator whose Deployment was read: an instance annotated with a controller id was
    /// meant for an operator started with one, which the defaults cannot say.
    pub fn ignores_instance(&self, kind: &str, meta: &ObjectMeta) -> Option<Ignored> {
        self.source.as_ref()?;
        let n = &self.namespaces;
        let selectors = &self.instance_selectors;
        let (instances, flag, selector, selector_flag) = match kind {
            "Alertmanager" => (
                &n.alertmanager_instances,
                "--alertmanager-instance-namespaces",
                &selectors.alertmanager,
                "--alertmanager-instance-selector",
            ),
            "ThanosRuler" => (
                &n.thanos_ruler_instances,
                "--thanos-ruler-instance-namespaces",
                &selectors.thanos_ruler,
                "--thanos-ruler-instance-selector",
            ),
            _ => (
                &n.prometheus_instances,
                "--prometheus-instance-namespaces",
                &selectors.prometheus,
                "--prometheus-instance-selector",
            ),
        };
        let namespace = namespace_of(meta);
        let instance = format!("{kind} {namespace}/{}", name_of(meta));
        let annotation = meta
            .annotations
            .as_ref()
            .and_then(|a| a.get(CONTROLLER_ID_ANNOTATION))
            .map_or("", String::as_str);
        if annotation != self.controller_id {
            return Some(if self.controller_id.is_empty() {
                Ignored {
                    flag: "--controller-id",
                    value: String::new(),
                    why: format!(
                        "{} runs without --controller-id and reconciles only objects without \
                         the {CONTROLLER_ID_ANNOTATION} annotation; {instance} has {annotation:?}",
                        self.who()
                    ),
                    remedy: format!(
                        "remove the {CONTROLLER_ID_ANNOTATION} annotation of {instance}, or let \
                         the operator started with --controller-id={annotation} reconcile it"
                    ),
                }
            } else {
                Ignored {
                    flag: "--controller-id",
                    value: self.controller_id.clone(),
                    why: format!(
                        "{} runs with --controller-id={} and reconciles only objects annotated \
                         {CONTROLLER_ID_ANNOTATION}={}; {instance} has {annotation:?}",
                        self.who(),
                        self.controller_id,
                        self.controller_id
                    ),
                    remedy: format!(
                        "annotate {instance} with {CONTROLLER_ID_ANNOTATION}={}",
                        self.controller_id
                    ),
                }
            });
        }
        if let Some(hiding) = n.hiding_flag(instances, flag, namespace) {
            return Some(if hiding == "--deny-namespaces" {
                Ignored {
                    flag: "--deny-namespaces",
                    value: n.deny.join(","),
                    why: format!(
                        "{} ignores namespace {namespace:?} (--deny-namespaces)",
                        self.who()
                    ),
                    remedy: format!("remove {namespace} from the operator's --deny-namespaces"),
                }
            } else {
                let allowed = if instances.is_empty() {
                    &n.allow
                } else {
                    instances
                };
                Ignored {
                    flag,
                    value: allowed.join(","),
                    why: format!(
                        "{} watches {kind} objects only in {} ({flag} / --namespaces), not \
                         {namespace:?}",
                        self.who(),
                        allowed.join(",")
                    ),
                    remedy: format!(
                        "add {namespace} to the operator's {flag}, or to --namespaces when that \
                         flag is unset"
                    ),
                }
            });
        }
        let selector = selector.as_ref()?;
        let empty = BTreeMap::new();
        let mismatch = selector.mismatch(meta.labels.as_ref().unwrap_or(&empty))?;
        Some(Ignored {
            flag: selector_flag,
            value: selector.to_string(),
            why: format!(
                "{} watches only the {kind} objects whose labels match {selector_flag}: \
                 {mismatch}",
                self.who()
            ),
            remedy: format!("label {instance} to match the operator's {selector_flag}"),
        })
    }
}

/// Why the operator takes no action on a paused instance, which it reconciles otherwise.
pub const PAUSED: &str = "the instance is paused (spec.paused: true): the operator takes no \
                          action on it, and what it last wrote stays";

/// Why the operator does not reconcile an instance at all ([`OperatorOptions::ignores_instance`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ignored {
    /// The operator flag that decides it.
    pub flag: &'static str,
    /// The flag's value, as given to the operator.
    pub value: String,
    /// A sentence: the flag, and what the instance has instead.
    pub why: String,
    /// One line: what to change so that the operator reconciles the instance.
    pub remedy: String,
}

/// `--kubelet-service`: empty for none; else exactly one `/` between namespace and name, as
/// the operator splits it.
fn kubelet_service(value: &str) -> Result<Option<(String, String)>, OptionsError> {
    if value.is_empty() {
        return Ok(None);
    }
    match value.split('/').collect::<Vec<_>>()[..] {
        [namespace, name] => Ok(Some((namespace.to_owned(), name.to_owned()))),
        _ => Err(OptionsError::KubeletService(value.to_owned())),
    }
}

/// `--prometheus-instance-selector`, `--kubelet-selector` and the like, parsed as the
/// operator parses them (`labels.Parse`); an empty one selects everything.
fn selector_flag(flag: &str, value: &str) -> Result<Option<Selector>, OptionsError> {
    let requirements = parse_labels(value).map_err(|error| OptionsError::NotASelector {
        flag: format!("--{flag}"),
        error,
    })?;
    Ok((!requirements.is_empty()).then_some(Selector { requirements }))
}

fn boolean(flag: &str, value: &str) -> Result<bool, OptionsError> {
    crate::go::strconv::parse_bool(value).ok_or_else(|| OptionsError::NotABoolean {
        flag: flag.to_owned(),
        value: value.to_owned(),
    })
}

fn pairs(flag: &str, value: &str) -> Result<BTreeMap<String, String>, OptionsError> {
    value
        .split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(|item| {
            item.split_once('=')
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .ok_or_else(|| OptionsError::NotAPair {
                    flag: format!("--{flag}"),
                    item: item.to_owned(),
                })
        })
        .collect()
}

/// The tag of an image reference (`quay.io/x/prometheus-operator:v0.93.0` → `v0.93.0`).
fn image_tag(image: &str) -> Option<String> {
    let image = image.split('@').next()?;
    let (_, tag) = image.rsplit_once(':')?;
    (!tag.contains('/')).then(|| tag.to_owned())
}

/// The first prometheus-operator Deployment of `snapshot`, and its operator container.
pub fn operator_deployment(snapshot: &Snapshot) -> Option<(&Deployment, &Container)> {
    snapshot
        .deployments
        .iter()
        .find_map(|deployment| Some((deployment, operator_container(deployment)?)))
}

/// The container of `deployment` that runs prometheus-operator: the one named
/// `prometheus-operator`, or one whose image path ends in `/prometheus-operator` (the Helm
/// chart names its container after the release). The one test of what is the operator, for
/// files and the cluster alike.
pub fn operator_container(deployment: &Deployment) -> Option<&Container> {
    let pod = deployment.spec.as_ref()?.template.spec.as_ref()?;
    pod.containers.iter().find(|c| {
        c.name == "prometheus-operator"
            || c.image.as_deref().is_some_and(|i| {
                let path = i.split(['@']).next().unwrap_or(i);
                let path = path
                    .rsplit_once(':')
                    .map_or(path, |(p, t)| if t.contains('/') { path } else { p });
                path.ends_with("/prometheus-operator") || path == "prometheus-operator"
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn another_minor_release_is_noted() {
        let running = |version: &str| OperatorOptions {
            version: Some(version.to_owned()),
            source: Some("Deployment monitoring/prometheus-operator".to_owned()),
            ..OperatorOptions::default()
        };
        assert_eq!(running("v0.93.0").release_note(), None);
        assert_eq!(running("0.93.1").release_note(), None);
        assert_eq!(OperatorOptions::default().release_note(), None);
        assert_eq!(
            running("v0.52.0").release_note().as_deref(),
            Some(
                "the operator (Deployment monitoring/prometheus-operator) runs v0.52.0; this tool \
                 reproduces v0.93.0, so what that operator generates may differ"
            )
        );
        assert!(running("main").release_note().is_some());
    }

    #[test]
    fn a_paused_instance_is_skipped_whatever_the_flags() {
        let meta = ObjectMeta::default();
        let defaults = OperatorOptions::default();
        assert_eq!(defaults.skips_instance("Prometheus", &meta, false), None);
        let why = defaults
            .skips_instance("Alertmanager", &meta, true)
            .unwrap();
        assert!(
            why.starts_with("the instance is paused (spec.paused: true)"),
            "{why}"
        );
    }

    fn args(text: &str) -> Vec<String> {
        text.split_whitespace().map(str::to_owned).collect()
    }

    /// The metadata of an instance in `namespace`, without a controller id.
    fn meta(namespace: &str) -> ObjectMeta {
        ObjectMeta {
            namespace: Some(namespace.to_owned()),
            ..ObjectMeta::default()
        }
    }

    /// The options of an operator Deployment started with `text`.
    fn deployed(text: &str) -> OperatorOptions {
        OperatorOptions {
            source: Some("Deployment mon/operator".to_owned()),
            ..OperatorOptions::from_args(&args(text)).unwrap()
        }
    }

    #[test]
    fn alertmanager_namespace_flags() {
        let options = deployed(
            "--alertmanager-config-namespaces=shop,ops --alertmanager-instance-namespaces=mon",
        );
        let namespaces = &options.namespaces;
        assert_eq!(namespaces.hides_alertmanager_configs("ops"), None);
        assert_eq!(
            namespaces.hides_alertmanager_configs("mon"),
            Some("--alertmanager-config-namespaces")
        );
        assert_eq!(namespaces.hides_configuration("mon"), None);
        assert!(
            options
                .ignores_instance("Alertmanager", &meta("mon"))
                .is_none()
        );
        let ignored = options
            .ignores_instance("Alertmanager", &meta("shop"))
            .unwrap()
            .why;
        assert!(
            ignored.contains("--alertmanager-instance-namespaces"),
            "{ignored}"
        );
        assert!(
            options
                .ignores_instance("Prometheus", &meta("shop"))
                .is_none()
        );
    }

    #[test]
    fn instance_selectors_hide_the_instances_they_do_not_match() {
        let options = deployed("--prometheus-instance-selector=team=a,tier!=test");
        let with_labels = |pairs: &[(&str, &str)]| ObjectMeta {
            labels: Some(
                pairs
                    .iter()
                    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                    .collect(),
            ),
            ..meta("mon")
        };
        assert!(
            options
                .ignores_instance("Prometheus", &with_labels(&[("team", "a")]))
                .is_none()
        );
        let ignored = options
            .ignores_instance("PrometheusAgent", &with_labels(&[("team", "b")]))
            .unwrap()
            .why;
        assert!(
            ignored.contains(
                "PrometheusAgent objects whose labels match --prometheus-instance-selector"
            ),
            "{ignored}"
        );
        // Alertmanagers have their own selector, unset here.
        assert!(
            options
                .ignores_instance("Alertmanager", &with_labels(&[("team", "b")]))
                .is_none()
        );
        assert!(matches!(
            OperatorOptions::from_args(&["--alertmanager-instance-selector=a in (b".to_owned()]),
            Err(OptionsError::NotASelector { .. })
        ));
        let everything = deployed("--thanos-ruler-instance-selector=");
        assert_eq!(everything.instance_selectors.thanos_ruler, None);
    }

    #[test]
    fn deny_list_applies_only_where_every_namespace_is_allowed() {
        // `--alertmanager-config-namespaces` may be set beside `--deny-namespaces`; the
        // AlertmanagerConfig informers then list their own namespaces and ignore the deny list.
        let options = deployed("--deny-namespaces=shop --alertmanager-config-namespaces=shop");
        let namespaces = &options.namespaces;
        assert_eq!(namespaces.hides_alertmanager_configs("shop"), None);
        assert_eq!(
            namespaces.hides_configuration("shop"),
            Some("--deny-namespaces")
        );
        assert!(
            options
                .ignores_instance("Prometheus", &meta("shop"))
                .is_some()
        );
        // Without the Deployment, the operator's flags are unknown: nothing is said.
        let unknown = OperatorOptions::from_args(&args("--deny-namespaces=shop")).unwrap();
        assert!(
            unknown
                .ignores_instance("Prometheus", &meta("shop"))
                .is_none()
        );
        let deny_only = OperatorOptions::from_args(&args("--deny-namespaces=shop")).unwrap();
        assert_eq!(
            deny_only.namespaces.hides_alertmanager_configs("shop"),
            Some("--deny-namespaces")
        );
    }

    #[test]
    fn unmanaged_configuration_can_be_disabled() {
        let bare = crate::monitoring::v1::Prometheus::default();
        assert!(OperatorOptions::default().leaves_unmanaged(&bare));
        let disabled =
            OperatorOptions::from_args(&args("--disable-unmanaged-prometheus-configuration"))
                .unwrap();
        assert!(!disabled.leaves_unmanaged(&bare));
    }

    #[test]
    fn go_flag_syntax() {
        let options = OperatorOptions::from_args(&args(
            "--namespaces=a,b -deny-namespaces c --kubelet-endpoints --controller-id x \
             --feature-gates=PrometheusAgentDaemonSet=true,PrometheusShardRetentionPolicy=false \
             --labels=a=1,b=2 -- --namespaces=ignored",
        ))
        .unwrap();
        assert_eq!(options.namespaces.allow, ["a", "b"]);
        assert_eq!(options.namespaces.deny, ["c"]);
        assert_eq!(options.controller_id, "x");
        assert!(options.daemon_set);
        assert!(!options.retention_policies);
        assert!(options.topology_sharding, "on by default");
        assert_eq!(options.labels.len(), 2);
    }

    #[test]
    fn bad_values_are_errors() {
        assert_eq!(
            OperatorOptions::from_args(&args("--feature-gates=Nope=true")),
            Err(OptionsError::UnknownFeatureGate("Nope".into()))
        );
        assert!(
            OperatorOptions::from_args(&args("--feature-gates=PrometheusAgentDaemonSet=yes"))
                .is_err()
        );
        assert!(OperatorOptions::from_args(&args("--labels=novalue")).is_err());
    }

    #[test]
    fn overrides_lay_over_the_deployment() {
        let options = OperatorOptions::default()
            .with_overrides(&Overrides {
                endpoint_slice_support: Some(false),
                feature_gates: vec!["PrometheusTopologySharding=false".into()],
                inline_tls_config: true,
                no_version_check: false,
            })
            .unwrap();
        assert!(!options.endpoint_slice_support);
        assert!(!options.topology_sharding);
        assert!(options.inline_tls_config);
    }

    #[test]
    fn image_tags() {
        assert_eq!(
            image_tag("quay.io/p/prometheus-operator:v0.93.0").as_deref(),
            Some("v0.93.0")
        );
        assert_eq!(image_tag("localhost:5000/prometheus-operator"), None);
        assert_eq!(
            image_tag("x/prometheus-operator:v1@sha256:abc").as_deref(),
            Some("v1")
        );
    }

    /// A Deployment whose pod runs `containers`.
    fn deployment(containers: serde_json::Value) -> Deployment {
        serde_json::from_value(serde_json::json!({
            "metadata": {"name": "d", "namespace": "monitoring"},
            "spec": {"selector": {}, "template": {"spec": {"containers": containers}}}
        }))
        .unwrap()
    }

    #[test]
    fn the_operator_container_is_found_by_name_or_image() {
        // The Helm chart names the container after its release.
        let helm = deployment(serde_json::json!([
            {"name": "kube-prometheus-stack",
             "image": "quay.io/prometheus-operator/prometheus-operator:v0.93.0"}
        ]));
        let found = operator_container(&helm).map(|c| c.name.as_str());
        assert_eq!(found, Some("kube-prometheus-stack"));
        let named = deployment(serde_json::json!([
            {"name": "sidecar", "image": "busybox"},
            {"name": "prometheus-operator", "image": "registry.local/po:dev"}
        ]));
        let found = operator_container(&named).map(|c| c.name.as_str());
        assert_eq!(found, Some("prometheus-operator"));
        let other = deployment(serde_json::json!([
            {"name": "web", "image": "quay.io/prometheus-operator/prometheus-config-reloader:v0.93.0"},
            {"name": "proxy", "image": "registry:5000/prometheus-operator-proxy"}
        ]));
        assert!(operator_container(&other).is_none());
    }
}
