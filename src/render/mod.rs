//! The rendering library: a faithful reimplementation of prometheus-operator's
//! `pkg/prometheus/promcfg.go` (`ConfigGenerator`), producing the configuration the operator
//! writes into the Secret `prometheus-<name>` (`prom-agent-<name>` for agents).
//!
//! Each file mirrors one upstream function family; it names it in its header.

mod additional;
mod alerting;
mod config;
mod global;
mod http;
mod k8s_sd;
mod otlp;
mod pod_monitor;
mod probe;
mod relabeling;
pub(crate) use relabeling::generate_relabel_config;
mod remote;
mod scrape_config;
mod service_monitor;
mod storage;
mod store;
mod tracing;

pub(crate) use global::{DEFAULT_LOG_DIR, RULES_DIR};
pub(crate) use http::TLS_ASSETS_DIR;
pub(crate) use probe::probe_ingress;
pub(crate) use scrape_config::attach_metadata_minimum_version;
pub(crate) use service_monitor::monitor_selector_relabelings;

use std::cell::{OnceCell, RefCell};

use crate::monitoring::v1::prometheus::CommonPrometheusFields;
use crate::monitoring::v1::{PodMonitor, Probe, ServiceMonitor};
use crate::monitoring::v1alpha1::ScrapeConfig;
use crate::operator::OperatorOptions;
use crate::snapshot::Snapshot;
use crate::target::Target;
use crate::version::Version;
use crate::yaml::{Map, Yaml};

/// A string map as a mapping sorted by key.
pub(crate) fn sorted_map(map: &std::collections::BTreeMap<String, String>) -> Map {
    map.iter()
        .map(|(k, v)| (k.clone(), Yaml::from(v.clone())))
        .collect()
}

/// What to render: the Prometheus (or agent) and the resources already selected for it.
#[derive(Clone, Debug)]
pub struct RenderRequest<'a> {
    /// The instance the configuration is for.
    pub target: Target<'a>,
    /// Selected ServiceMonitors, in render order (ascending `namespace/name` by default).
    pub service_monitors: Vec<&'a ServiceMonitor>,
    /// Selected PodMonitors, in render order.
    pub pod_monitors: Vec<&'a PodMonitor>,
    /// Selected Probes, in render order.
    pub probes: Vec<&'a Probe>,
    /// Selected ScrapeConfigs, in render order.
    pub scrape_configs: Vec<&'a ScrapeConfig>,
    /// Where referenced Secrets and ConfigMaps are looked up.
    pub snapshot: &'a Snapshot,
    /// Operator start-up options.
    pub options: OperatorOptions,
    /// Names of the rule ConfigMaps the Prometheus mounts (`rule_files`).
    pub rule_config_map_names: Vec<String>,
}

/// A field the operator dropped (or would reject) for the Prometheus version in use, or
/// another condition it logs while rendering.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    /// The field or setting concerned.
    pub field: String,
    /// What happened to it.
    pub message: String,
}

/// The generated configuration.
#[derive(Clone, Debug)]
pub struct Rendered {
    /// The configuration tree, in the operator's key order.
    pub config: Yaml,
    /// Fields dropped for the Prometheus version and similar notices.
    pub warnings: Vec<Warning>,
}

/// Why the operator refuses to generate a configuration.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RenderError {
    /// `spec.version` cannot be parsed.
    #[error(transparent)]
    Version(#[from] crate::version::VersionError),
    /// A setting the operator refuses while generating, with the operator's reason: it writes
    /// no configuration Secret ("creating config failed").
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    /// A setting the operator refuses before it generates anything (the agent's mode, and
    /// upstream `NewConfigGenerator`: the version, the scrape classes).
    #[error("{field}: {message}")]
    Refused { field: String, message: String },
}

impl Rendered {
    /// The configuration as the operator writes it (`prometheus.yaml`).
    pub fn to_yaml_string(&self) -> String {
        crate::yaml::emit(&self.config)
    }
}

/// Generates the configuration the operator would write for `req.target`.
///
/// # Errors
/// When the operator would refuse to generate it (invalid version, conflicting settings,
/// a required Secret missing, ...); the message contains the operator's reason.
pub fn render(req: &RenderRequest<'_>) -> Result<Rendered, RenderError> {
    let version = generator_checks(req)?;
    let generator = Generator::for_request(req, version);
    let config = match req.target {
        Target::Server(p) => generator.server_configuration(&p.spec, req)?,
        Target::Agent(_) => generator.agent_configuration(req)?,
    };
    Ok(Rendered {
        config: Yaml::Map(config),
        warnings: generator.warnings.into_inner(),
    })
}

/// What the operator stores for a Prometheus whose configuration it leaves to the user (no
/// monitor selector): an empty configuration, after only the checks of building its
/// generator; nothing of the spec is read further.
pub fn render_unmanaged(req: &RenderRequest<'_>) -> Result<Rendered, RenderError> {
    generator_checks(req)?;
    Ok(Rendered {
        config: Yaml::Map(Map::new()),
        warnings: vec![Warning {
            field: "spec".to_owned(),
            message: "no ServiceMonitor, PodMonitor, Probe or ScrapeConfig selector is set: the \
                      operator generates no configuration (it writes an empty one once, for the \
                      user to fill), so nothing of spec reaches the configuration file \
                      (additionalScrapeConfigs, alerting, remoteWrite, rule_files); set a \
                      selector (e.g. serviceMonitorSelector: {}) or start the operator with \
                      --disable-unmanaged-prometheus-configuration"
                .to_owned(),
        }],
    })
}

/// The refusals of building the generator (upstream `NewConfigGenerator`, and the agent
/// controller's mode check before it); the version in effect.
fn generator_checks(req: &RenderRequest<'_>) -> Result<Version, RenderError> {
    // The agent controller refuses the mode before it generates anything.
    if matches!(req.target, Target::Agent(a) if !req.options.allows_agent_mode(a)) {
        return Err(RenderError::Refused {
            field: "spec.mode".to_owned(),
            message: crate::operator::DAEMON_SET_GATE_DISABLED.to_owned(),
        });
    }
    let common = req.target.common();
    let version_text = req.target.version_text();
    let version = req.target.version()?;
    if version.major != 2 && version.major != 3 {
        return Err(RenderError::Refused {
            field: "spec.version".to_owned(),
            message: format!("unsupported Prometheus version {version_text:?}"),
        });
    }
    let defaults = common
        .scrape_classes
        .iter()
        .filter(|c| c.default == Some(true))
        .count();
    if defaults > 1 {
        return Err(RenderError::Refused {
            field: "spec.scrapeClasses".to_owned(),
            message: "failed to parse scrape classes: multiple default scrape classes defined"
                .to_owned(),
        });
    }
    for class in &common.scrape_classes {
        for (rules, what) in [
            (&class.relabelings, "relabelings"),
            (&class.metric_relabelings, "metric relabelings"),
        ] {
            crate::validate::relabel_configs(&version, rules, "relabelings").map_err(|v| {
                RenderError::Refused {
                    field: "spec.scrapeClasses".to_owned(),
                    message: format!(
                        "failed to parse scrape classes: invalid {what} for scrapeClass {}: {}",
                        class.name, v.message
                    ),
                }
            })?;
        }
    }
    Ok(version)
}

/// State shared by every rendering step (upstream `ConfigGenerator`).
///
/// Each `render/*.rs` file adds `impl Generator<'_>` methods for its function family.
pub(crate) struct Generator<'a> {
    /// Fields common to Prometheus and PrometheusAgent.
    pub common: &'a CommonPrometheusFields,
    /// Namespace of the Prometheus / agent.
    pub namespace: &'a str,
    /// Name of the Prometheus / agent.
    pub name: &'a str,
    /// Whether this is a PrometheusAgent in DaemonSet mode (upstream `WithDaemonSet`).
    daemon_set: bool,
    /// Whether shard retention's keep rules go into the sharding relabelings: the
    /// `PrometheusShardRetentionPolicy` gate, for Prometheus servers only (upstream's agent
    /// operator never passes `WithPrometheusRetentionPolicies`).
    retention_policies: bool,
    /// The Prometheus version in effect (spec.version or the default).
    pub version: Version,
    /// Operator start-up options.
    pub options: &'a OperatorOptions,
    /// Secrets and ConfigMaps that references resolve against.
    pub snapshot: &'a Snapshot,
    /// Notices collected while rendering.
    pub warnings: RefCell<Vec<Warning>>,
    /// The request being rendered, whose references the operator's store fetched; `None`
    /// when the generator only answers questions about the instance.
    request: Option<&'a RenderRequest<'a>>,
    /// What the store fetched, worked out at the first lookup.
    fetched: OnceCell<store::Fetched>,
}

impl<'a> Generator<'a> {
    /// The generator of `target`'s configuration at `version`, without warnings yet.
    pub fn new(
        target: Target<'a>,
        version: Version,
        options: &'a OperatorOptions,
        snapshot: &'a Snapshot,
    ) -> Self {
        let metadata = target.metadata();
        Generator {
            common: target.common(),
            namespace: metadata.namespace.as_deref().unwrap_or(""),
            name: metadata.name.as_deref().unwrap_or(""),
            daemon_set: matches!(target, Target::Agent(a) if a.spec.daemon_set_mode()),
            retention_policies: options.retention_policies && matches!(target, Target::Server(_)),
            version,
            options,
            snapshot,
            warnings: RefCell::new(Vec::new()),
            request: None,
            fetched: OnceCell::new(),
        }
    }

    /// The generator of `request`'s configuration, looking references up as the operator's
    /// store does where a lookup can miss (see [`store::reads_across_objects`]).
    fn for_request(request: &'a RenderRequest<'a>, version: Version) -> Self {
        Generator {
            request: store::reads_across_objects(request.target.common()).then_some(request),
            ..Generator::new(request.target, version, &request.options, request.snapshot)
        }
    }

    /// Whether the operator's store holds Secret (or ConfigMap) `namespace/name` when it
    /// generates; when it does not, the warning says why the value is left out.
    fn store_holds(&self, config_map: bool, namespace: &str, name: &str) -> bool {
        let Some(request) = self.request else {
            return true;
        };
        let held = self
            .fetched
            .get_or_init(|| store::Fetched::of(request))
            .holds(config_map, namespace, name);
        if !held {
            let kind = if config_map { "ConfigMap" } else { "Secret" };
            let field = format!("{kind} {namespace}/{name}");
            let mut warnings = self.warnings.borrow_mut();
            if !warnings.iter().any(|w| w.field == field) {
                warnings.push(Warning {
                    field,
                    message: "not read: nothing the operator fetches for this instance refers to \
                              it in that namespace (a scrape class's authorization credentials and \
                              the API server's credentials read in a monitor's namespace are not \
                              fetched), so the operator leaves the value out"
                        .to_owned(),
                });
            }
        }
        held
    }
}

impl Generator<'_> {
    /// Records that `field` was dropped because the version is below `minimum`.
    pub fn warn_min_version(&self, field: &str, minimum: &str) {
        self.warnings.borrow_mut().push(Warning {
            field: field.to_owned(),
            message: format!(
                "ignored: requires Prometheus {minimum} or later, version in use is {}",
                self.version
            ),
        });
    }

    /// Records that `field` was dropped because the version is `maximum` or later.
    pub fn warn_max_version(&self, field: &str, maximum: &str) {
        self.warnings.borrow_mut().push(Warning {
            field: field.to_owned(),
            message: format!(
                "ignored: not supported from Prometheus {maximum} on, version in use is {}",
                self.version
            ),
        });
    }

    /// Whether the agent runs as a DaemonSet (its `spec.mode`; never a Prometheus server).
    pub fn daemon_set_mode(&self) -> bool {
        self.daemon_set
    }

    /// Whether the version in use is at least `minimum`; always true when the operator runs
    /// without version checks (upstream `WithMinimumVersion(..).IsCompatible()`).
    pub fn supports(&self, minimum: &str) -> bool {
        self.options.no_version_check || self.version.gte(minimum)
    }

    /// Whether the version supports `field`, which needs `minimum`; when it does not, the
    /// warning that `field` is ignored is recorded. Asked only of a field that is set.
    pub fn supports_field(&self, field: &str, minimum: &str) -> bool {
        let supported = self.supports(minimum);
        if !supported {
            self.warn_min_version(field, minimum);
        }
        supported
    }

    /// Appends `key: value` when the version is at least `minimum`, otherwise records a
    /// warning (upstream `WithMinimumVersion(minimum).AppendMapItem`).
    pub fn push_min(
        &self,
        map: &mut Map,
        minimum: &str,
        key: &'static str,
        value: impl Into<Yaml>,
    ) {
        if self.supports_field(key, minimum) {
            map.push(key, value);
        }
    }

    /// Appends `key: value` when the version is below `maximum`, otherwise records a warning
    /// (upstream `WithMaximumVersion(maximum).AppendMapItem`).
    pub fn push_max(
        &self,
        map: &mut Map,
        maximum: &str,
        key: &'static str,
        value: impl Into<Yaml>,
    ) {
        if self.options.no_version_check || self.version.lt(maximum) {
            map.push(key, value);
        } else {
            self.warn_max_version(key, maximum);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::service_monitor::tests::generator;
    use crate::version::Version;

    #[test]
    fn a_field_newer_than_the_version_is_refused_with_a_warning() {
        let (common, options, snapshot) = Default::default();
        let mut g = generator(&common, &options, &snapshot);
        g.version = Version::parse("v2.25.0").unwrap();
        assert!(g.supports_field("basic_auth", "2.25.0"));
        assert!(!g.supports_field("sigv4", "2.26.0"));
        let warnings = g.warnings.into_inner();
        let fields: Vec<_> = warnings.iter().map(|w| w.field.as_str()).collect();
        assert_eq!(fields, ["sigv4"]);
    }
}
