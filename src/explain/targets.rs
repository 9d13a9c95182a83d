//! The discovery chain of one monitor, computed the way Prometheus would: render the
//! instance's configuration with the monitor selected, take the monitor's scrape jobs, run
//! Kubernetes service discovery with each job's `kubernetes_sd_configs` over the snapshot,
//! then populate and relabel every discovered target with the job's `relabel_configs`.
//! Alongside, the objects on the way (Services or Pods, their ports, Endpoints) are listed
//! so that a missing link has a name.

use std::collections::BTreeSet;

use k8s_openapi::Metadata;
use k8s_openapi::api::core::v1::{ObjectReference, Pod, Service, ServicePort};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use serde::Serialize;

use super::near_miss;
use super::rbac::{self, Permissions, RbacCheck};
use super::service_pods::{self, PodLink};
use super::{Labels, ObjectRef, name_of, namespace_of};
use crate::discovery::{self, Role, SdConfig, TargetGroup};
use crate::duration::Duration;
use crate::monitoring::v1::common::{MonitorSelection, RelabelConfig};
use crate::monitoring::v1::pod_monitor::PodMetricsEndpoint;
use crate::monitoring::v1::service_monitor::{Endpoint, PortSelector};
use crate::monitoring::v1::{PodMonitor, Probe, ServiceMonitor};
use crate::monitoring::v1alpha1::ScrapeConfig;
use crate::operator::OperatorOptions;
use crate::relabel::{self, NameValidationScheme, PopulationOutcome, Rule, ScrapeJob};
use crate::render::{self, RenderRequest};
use crate::select::{Operator, Selector};
use crate::snapshot::Snapshot;
use crate::target::Target;
use crate::workload::meta::{MANAGED_BY_LABEL, MANAGED_BY_VALUE};
use crate::yaml::{Map, Yaml};

/// How many non-matching objects are shown as near misses when nothing matches.
const NEAR_MISS_LIMIT: usize = 3;

/// How many objects on which the label selector and Prometheus's keep rules disagree are
/// named; the rest are counted.
const DISAGREEMENT_LIMIT: usize = 5;

/// The monitor being followed.
#[derive(Clone, Copy, Debug)]
pub(super) enum MonitorRef<'a> {
    ServiceMonitor(&'a ServiceMonitor),
    PodMonitor(&'a PodMonitor),
    Probe(&'a Probe),
    ScrapeConfig(&'a ScrapeConfig),
}

impl<'a> MonitorRef<'a> {
    /// How the endpoint at `index` picks its port (every port for a Probe's).
    fn port_selector(self, index: usize) -> PortSelector<'a> {
        match self {
            MonitorRef::ServiceMonitor(m) => {
                m.spec.endpoints.get(index).map(Endpoint::port_selector)
            }
            MonitorRef::PodMonitor(m) => {
                (m.spec.pod_metrics_endpoints.get(index)).map(PodMetricsEndpoint::port_selector)
            }
            MonitorRef::Probe(_) | MonitorRef::ScrapeConfig(_) => None,
        }
        .unwrap_or(PortSelector::Any)
    }

    /// The relabelings the monitor itself writes for its endpoint at `index`, and their field.
    fn own_relabelings(self, index: usize) -> (String, &'a [RelabelConfig]) {
        match self {
            MonitorRef::ServiceMonitor(m) => (
                format!("spec.endpoints[{index}].relabelings"),
                (m.spec.endpoints.get(index)).map_or(&[][..], |e| &e.relabel_configs),
            ),
            MonitorRef::PodMonitor(m) => (
                format!("spec.podMetricsEndpoints[{index}].relabelings"),
                (m.spec.pod_metrics_endpoints.get(index)).map_or(&[][..], |e| &e.relabel_configs),
            ),
            MonitorRef::Probe(m) => {
                match (&m.spec.targets.static_config, &m.spec.targets.ingress) {
                    (Some(s), _) => (
                        "spec.targets.staticConfig.relabelingConfigs".to_owned(),
                        &s.relabel_configs,
                    ),
                    (None, Some(i)) => (
                        "spec.targets.ingress.relabelingConfigs".to_owned(),
                        &i.relabel_configs,
                    ),
                    (None, None) => (String::new(), &[]),
                }
            }
            MonitorRef::ScrapeConfig(m) => ("spec.relabelings".to_owned(), &m.spec.relabelings),
        }
    }

    /// The scrape class the monitor names, if it names one.
    fn scrape_class_name(self) -> Option<&'a str> {
        match self {
            MonitorRef::ServiceMonitor(m) => m.spec.scrape_class_name.as_deref(),
            MonitorRef::PodMonitor(m) => m.spec.scrape_class_name.as_deref(),
            MonitorRef::Probe(m) => m.spec.scrape_class_name.as_deref(),
            MonitorRef::ScrapeConfig(m) => m.spec.scrape_class.as_deref(),
        }
    }

    /// `Kind namespace/name`.
    fn describe(self) -> String {
        let (kind, meta) = match self {
            MonitorRef::ServiceMonitor(m) => ("ServiceMonitor", &m.metadata),
            MonitorRef::PodMonitor(m) => ("PodMonitor", &m.metadata),
            MonitorRef::Probe(m) => ("Probe", &m.metadata),
            MonitorRef::ScrapeConfig(m) => ("ScrapeConfig", &m.metadata),
        };
        format!("{kind} {}/{}", namespace_of(meta), name_of(meta))
    }

    /// The keep rules generated from the monitor's selector (none for a Probe).
    fn selector_rules(self) -> Option<SelectorRules> {
        match self {
            MonitorRef::ServiceMonitor(m) => {
                SelectorRules::of(&m.spec.monitor_selection(), "service")
            }
            MonitorRef::PodMonitor(m) => SelectorRules::of(&m.spec.monitor_selection(), "pod"),
            MonitorRef::Probe(_) | MonitorRef::ScrapeConfig(_) => None,
        }
    }
}

/// One port of a Service or a Pod's container.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PortInfo {
    /// The port name (empty when unnamed).
    pub name: String,
    /// The Service port, or the container port.
    pub port: i32,
    /// The Service's `targetPort` (absent for container ports).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_port: Option<String>,
    /// The container, for Pod ports.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container: Option<String>,
    /// Whether the monitor's endpoint refers to this port.
    pub referenced: bool,
}

/// One address of an Endpoints object or EndpointSlice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AddressInfo {
    /// The IP.
    pub ip: String,
    /// Ready or not.
    pub ready: bool,
    /// `Endpoints` or `EndpointSlice` and its name.
    pub source: String,
    /// The Pod (or other object) behind it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_ref: Option<String>,
}

/// A Service (ServiceMonitor) or Pod (PodMonitor) in the searched namespaces.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkloadMatch {
    /// The `Service` or `Pod`.
    #[serde(flatten)]
    pub object: ObjectRef,
    /// Whether the monitor's selector matches it.
    pub matched: bool,
    /// Failed selector requirements and near misses, for objects that do not match.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub mismatches: Vec<String>,
    /// Its ports, and which the endpoint refers to.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ports: Vec<PortInfo>,
    /// Endpoint addresses behind a Service (or the Pod's IP).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<AddressInfo>,
    /// For a matched Service without ready addresses: the Pods its selector matches (or the
    /// workloads that would create them), their readiness and targetPort resolution.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub pods: Vec<PodLink>,
}

impl WorkloadMatch {
    /// The object `meta` names, not matched and with nothing found behind it yet.
    fn new(kind: &str, meta: &ObjectMeta) -> Self {
        WorkloadMatch {
            object: ObjectRef::new(kind, namespace_of(meta), name_of(meta)),
            matched: false,
            mismatches: Vec::new(),
            ports: Vec::new(),
            addresses: Vec::new(),
            pods: Vec::new(),
        }
    }
}

/// The relabeling rule that dropped a target.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DroppedBy {
    /// Zero-based position in the job's `relabel_configs`.
    pub index: usize,
    /// The rule, summarized (`keep __meta_kubernetes_endpoint_port_name =~ web`).
    pub rule: String,
    /// Where the rule was written, when not by the operator:
    /// `spec.endpoints[0].relabelings[1] of ServiceMonitor shop/web`, or a scrape class's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub written_at: Option<String>,
    /// The value the rule's regex was matched against: its source labels' values, joined.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// One discovered target.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TargetExplanation {
    /// The discovered `__address__`.
    pub address: String,
    /// The discovery source (`endpoints/ns/name`, `pod/ns/name`, ...).
    pub source: String,
    /// Whether the endpoint or pod is ready, when discovery says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ready: Option<bool>,
    /// Whether Prometheus scrapes it.
    pub kept: bool,
    /// Kept: the target's labels. Dropped or failed: the discovered labels.
    pub labels: Labels,
    /// The rule that dropped it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dropped_by: Option<DroppedBy>,
    /// Why the labels left do not make a target.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The shard that scrapes it, when the instance has several.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shard: Option<u64>,
}

/// The chain of one endpoint of the monitor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EndpointExplanation {
    /// Position in the monitor's endpoint list.
    pub index: usize,
    /// The scrape job's name.
    pub job: String,
    /// How the endpoint picks its port (`port: web`, `targetPort: 8080`, ...).
    pub port: String,
    /// The discovery role (`endpoints`, `endpointslice`, `pod`, `ingress`, `static`).
    pub role: String,
    /// Namespaces searched; empty means every namespace.
    pub namespaces: Vec<String>,
    /// The Services or Pods matched by the selector (all of them), or when none matches,
    /// the closest ones.
    pub workloads: Vec<WorkloadMatch>,
    /// Targets discovered from the matched objects, in discovery order.
    pub targets: Vec<TargetExplanation>,
    /// Targets discovered from objects the monitor does not select (dropped by its selector
    /// rules), counted only.
    pub unselected_targets: usize,
    /// Whether the instance's ServiceAccount may discover what the job's role (and the
    /// metadata it attaches) lists, per namespace searched; absent for static targets and
    /// for discovery through another API server (`spec.apiserverConfig`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rbac: Option<RbacCheck>,
    /// What looks wrong, in words.
    pub problems: Vec<String>,
    /// How the job scrapes, as the rendered configuration sets it (the monitor's settings after
    /// the instance's enforced limits and the version's support): [`SCRAPE_SETTINGS`] present.
    pub scrape: Vec<ScrapeSetting>,
}

/// One setting of a scrape job.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ScrapeSetting {
    /// Prometheus's key (`honor_labels`, `sample_limit`).
    pub name: String,
    /// Its value, as text (lists joined with commas).
    pub value: String,
}

/// The keys of a rendered scrape job that decide how targets are scraped and what their
/// series are labelled, shown beside the targets; credentials and discovery are left out.
const SCRAPE_SETTINGS: &[&str] = &[
    "scrape_interval",
    "scrape_timeout",
    "metrics_path",
    "scheme",
    "honor_labels",
    "honor_timestamps",
    "track_timestamps_staleness",
    "scrape_protocols",
    "fallback_scrape_protocol",
    "sample_limit",
    "target_limit",
    "label_limit",
    "label_name_length_limit",
    "label_value_length_limit",
    "body_size_limit",
    "keep_dropped_targets",
    "scrape_native_histograms",
    "always_scrape_classic_histograms",
    "scrape_classic_histograms",
    "native_histogram_bucket_limit",
    "native_histogram_min_bucket_factor",
    "convert_classic_histograms_to_nhcb",
    "enable_compression",
];

/// The [`SCRAPE_SETTINGS`] `job` sets, in that order.
fn scrape_settings(job: &Map) -> Vec<ScrapeSetting> {
    let text = |value: &Yaml| match value {
        Yaml::Seq(items) => (items.iter())
            .map(|i| {
                i.as_str()
                    .map_or_else(|| crate::yaml::emit(i).trim().to_owned(), str::to_owned)
            })
            .collect::<Vec<_>>()
            .join(","),
        other => other
            .as_str()
            .map_or_else(|| crate::yaml::emit(other).trim().to_owned(), str::to_owned),
    };
    (SCRAPE_SETTINGS.iter())
        .filter_map(|key| {
            Some(ScrapeSetting {
                name: (*key).to_owned(),
                value: text(job.get(key)?),
            })
        })
        .collect()
}

/// What a scrape job of the rendered configuration holds for explanation.
struct Job {
    name: String,
    index: usize,
    scrape: ScrapeJob,
    rules: Vec<Rule>,
    sd: Option<SdConfig>,
    static_groups: Vec<TargetGroup>,
    /// The discoveries of the job this tool does not follow (all but the first Kubernetes
    /// one), with their count: `consul_sd_configs (2)`.
    unfollowed: Vec<String>,
    /// Per rule of `rules`, where it was written ([`rule_origins`]).
    rule_origins: Vec<Option<String>>,
    /// [`scrape_settings`].
    settings: Vec<ScrapeSetting>,
}

pub(super) fn explain_endpoints(
    snapshot: &Snapshot,
    target: Target<'_>,
    monitor: MonitorRef<'_>,
    options: &OperatorOptions,
) -> Result<(Vec<EndpointExplanation>, Vec<render::Warning>), String> {
    let mut request = RenderRequest {
        target,
        service_monitors: Vec::new(),
        pod_monitors: Vec::new(),
        probes: Vec::new(),
        scrape_configs: Vec::new(),
        snapshot,
        options: options.clone(),
        rule_config_map_names: Vec::new(),
    };
    let (prefix, meta) = match monitor {
        MonitorRef::ServiceMonitor(m) => {
            request.service_monitors.push(m);
            ("serviceMonitor", &m.metadata)
        }
        MonitorRef::PodMonitor(m) => {
            request.pod_monitors.push(m);
            ("podMonitor", &m.metadata)
        }
        MonitorRef::Probe(m) => {
            request.probes.push(m);
            ("probe", &m.metadata)
        }
        MonitorRef::ScrapeConfig(m) => {
            request.scrape_configs.push(m);
            ("scrapeConfig", &m.metadata)
        }
    };
    let rendered = render::render(&request).map_err(|e| e.to_string())?;
    let job_prefix = format!("{prefix}/{}/{}", namespace_of(meta), name_of(meta));
    let common = target.common();
    let scheme = target.name_validation_scheme();
    let sharded = common.shard_count() > 1;
    // What the Prometheus version in effect discovers differently.
    let keeps_secondary_family = target.version().is_ok_and(|v| v.lt("3.11.0"));
    let default_port = target.version().is_ok_and(|v| v.lt("3.0.0"))
        && !common
            .enable_features
            .iter()
            .any(|f| f == "no-default-scrape-port");
    let service_account = common.service_account();
    let own_namespace = target.namespace();
    let permissions = Permissions::of(snapshot, own_namespace, service_account);
    let config = rendered.config.as_map().cloned().unwrap_or_default();
    let global = config.get("global").and_then(Yaml::as_map);
    let jobs = config
        .get("scrape_configs")
        .and_then(Yaml::as_seq)
        .unwrap_or_default();
    let mut out = Vec::new();
    for job in jobs.iter().filter_map(Yaml::as_map) {
        let Some(name) = job.get("job_name").and_then(Yaml::as_str) else {
            continue;
        };
        let index = if name == job_prefix {
            0
        } else if let Some(rest) = name.strip_prefix(&format!("{job_prefix}/")) {
            rest.parse().unwrap_or(0)
        } else {
            continue;
        };
        let rendered_rules = job.get("relabel_configs").and_then(Yaml::as_seq);
        // A job whose relabelings already hash gets no sharding rules from the operator: every
        // shard scrapes its targets, and a `__tmp_hash` there is the user's, not a shard.
        let keeps_shard = (rendered_rules.unwrap_or_default().iter()).any(|rule| {
            (rule.as_map()).is_some_and(|r| {
                (r.get("regex").and_then(Yaml::as_str)).is_some_and(|regex| {
                    // `$(INZONE_SHARD)` under topology sharding.
                    regex.starts_with("$(SHARD)") || regex.starts_with("$(INZONE_SHARD)")
                }) && r.get("action").and_then(Yaml::as_str) == Some("keep")
            })
        });
        let rule_origins = rule_origins(rendered_rules.unwrap_or_default(), monitor, index, target);
        let scrape = scrape_settings(job);
        let mut job = parse_job(name, index, job, global, scheme)?;
        job.rule_origins = rule_origins;
        job.settings = scrape;
        job.scrape.default_port = default_port;
        let mut node_local = false;
        if let Some(sd) = &mut job.sd {
            sd.keeps_secondary_family = keeps_secondary_family;
            // An agent in DaemonSet mode: each pod's config-reloader puts its own node in
            // `$(NODE_NAME)`; together the pods scrape the Pods of every node.
            for selector in &mut sd.selectors {
                if selector.field.contains(NODE_NAME_VARIABLE) {
                    node_local = true;
                    selector.field = (selector.field.split(','))
                        .filter(|term| !term.contains(NODE_NAME_VARIABLE))
                        .collect::<Vec<_>>()
                        .join(",");
                }
            }
        }
        let mut explained = explain_job(
            (snapshot, options),
            own_namespace,
            monitor,
            &job,
            sharded && keeps_shard,
            &permissions,
        );
        if node_local {
            explained.problems.push(format!(
                "each agent pod of the DaemonSet scrapes only the Pods on its own node (field \
                 selector spec.nodeName={NODE_NAME_VARIABLE}): the targets shown are every \
                 node's together"
            ));
        }
        if sharded && !keeps_shard {
            explained.problems.push(format!(
                "the job's own relabelings hash (hashmod), so the operator adds no sharding \
                 rules: each of the {} shards scrapes every target",
                common.shard_count()
            ));
        }
        out.push(explained);
    }
    Ok((out, rendered.warnings))
}

/// Where each of a job's `rendered` relabeling rules was written: in the monitor (its
/// endpoint `index`'s relabelings) or in the scrape class it uses; `None` for the rules the
/// operator generates. The operator appends them in that order (generated, the class's, the
/// monitor's, then namespace enforcement and sharding): each is found as the last run of the
/// rendered list equal to what it writes, the class's before the monitor's.
fn rule_origins(
    rendered: &[Yaml],
    monitor: MonitorRef<'_>,
    index: usize,
    target: Target<'_>,
) -> Vec<Option<String>> {
    let mut origins = vec![None; rendered.len()];
    let last_run = |written: &[Map], end: usize| -> Option<usize> {
        let len = written.len();
        if len == 0 || len > end {
            return None;
        }
        (0..=end - len).rev().find(|&at| {
            (rendered[at..at + len].iter().zip(written)).all(|(r, w)| r.as_map() == Some(w))
        })
    };
    let (field, own) = monitor.own_relabelings(index);
    let own = render::generate_relabel_config(own);
    let own_at = last_run(&own, rendered.len());
    if let Some(at) = own_at {
        for (i, origin) in origins[at..at + own.len()].iter_mut().enumerate() {
            *origin = Some(format!("{field}[{i}] of {}", monitor.describe()));
        }
    }
    let classes = &target.common().scrape_classes;
    let class = match monitor.scrape_class_name() {
        Some(name) => classes.iter().rposition(|c| c.name == name),
        None => classes.iter().position(|c| c.default == Some(true)),
    };
    if let Some(position) = class {
        let written = render::generate_relabel_config(&classes[position].relabelings);
        if let Some(at) = last_run(&written, own_at.unwrap_or(rendered.len())) {
            for (i, origin) in origins[at..at + written.len()].iter_mut().enumerate() {
                *origin = Some(format!(
                    "spec.scrapeClasses[{position}].relabelings[{i}] of {} {}/{} (scrape class {})",
                    target.kind(),
                    target.namespace(),
                    target.name(),
                    classes[position].name
                ));
            }
        }
    }
    origins
}

fn parse_job(
    name: &str,
    index: usize,
    job: &Map,
    global: Option<&Map>,
    scheme: NameValidationScheme,
) -> Result<Job, String> {
    let json = Yaml::Map(job.clone()).to_json();
    let mut scrape: ScrapeJob =
        serde_json::from_value(json.clone()).map_err(|e| format!("job {name}: {e}"))?;
    let global_duration = |key: &str, default: &str| {
        global
            .and_then(|g| g.get(key))
            .and_then(Yaml::as_str)
            .and_then(|t| Duration::parse(t).ok())
            .unwrap_or_else(|| Duration::parse(default).unwrap_or_default())
    };
    if scrape.scrape_interval.is_zero() {
        scrape.scrape_interval = global_duration("scrape_interval", "1m");
    }
    if scrape.scrape_timeout.is_zero() {
        let timeout = global_duration("scrape_timeout", "10s");
        scrape.scrape_timeout = timeout.min(scrape.scrape_interval);
    }
    if scrape.scheme.is_empty() {
        scrape.scheme = "http".to_owned();
    }
    if scrape.metrics_path.is_empty() {
        scrape.metrics_path = "/metrics".to_owned();
    }
    let configs: Vec<relabel::Config> = match json.get("relabel_configs") {
        Some(value) => {
            serde_json::from_value(value.clone()).map_err(|e| format!("job {name}: {e}"))?
        }
        None => Vec::new(),
    };
    let configs: Vec<relabel::Config> = configs.into_iter().map(unshard).collect();
    let rules = Rule::compile_all(&configs, scheme).map_err(|e| format!("job {name}: {e}"))?;
    let sd = match json
        .get("kubernetes_sd_configs")
        .and_then(|v| v.as_array())
        .and_then(|a| a.first())
    {
        Some(value) => Some(
            serde_json::from_value::<SdConfig>(value.clone())
                .map_err(|e| format!("job {name}: kubernetes_sd_configs: {e}"))?,
        ),
        None => None,
    };
    let static_groups = json
        .get("static_configs")
        .and_then(|v| v.as_array())
        .map(|groups| {
            groups
                .iter()
                .enumerate()
                .map(|(i, g)| TargetGroup {
                    source: format!("static/{i}"),
                    labels: string_map(g.get("labels")),
                    targets: g
                        .get("targets")
                        .and_then(|t| t.as_array())
                        .map(|t| {
                            t.iter()
                                .filter_map(|a| a.as_str())
                                .map(|a| Labels::from([("__address__".to_owned(), a.to_owned())]))
                                .collect()
                        })
                        .unwrap_or_default(),
                })
                .collect()
        })
        .unwrap_or_default();
    let unfollowed = json
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(key, _)| key.ends_with("_sd_configs"))
        .filter_map(|(key, configs)| {
            let count = configs.as_array().map_or(0, Vec::len);
            let skipped = if key == "kubernetes_sd_configs" {
                count.saturating_sub(1)
            } else {
                count
            };
            (skipped > 0).then(|| format!("{key} ({skipped})"))
        })
        .collect();
    Ok(Job {
        name: name.to_owned(),
        index,
        scrape,
        rules,
        sd,
        static_groups,
        unfollowed,
        rule_origins: Vec::new(),
        settings: Vec::new(),
    })
}

fn string_map(value: Option<&serde_json::Value>) -> Labels {
    value
        .and_then(|v| v.as_object())
        .map(|o| {
            o.iter()
                .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_owned())))
                .collect()
        })
        .unwrap_or_default()
}

/// Each shard's copy of the configuration has its shard number substituted by the
/// config reloader; explain evaluates every shard at once and reports the hash instead.
fn unshard(mut config: relabel::Config) -> relabel::Config {
    let any_shard = |text: String| {
        text.replace("$(SHARD)", "[0-9]+")
            .replace("$(INZONE_SHARD)", "[0-9]+")
            .replace("$(TOPOLOGY_ZONE)", ".*")
    };
    config.regex = config.regex.map(any_shard);
    if config.replacement.as_deref() == Some("$(SHARD)") {
        config.replacement = Some("0".to_owned());
    }
    config
}

fn rule_summary(rule: &Rule) -> String {
    let config = rule.config();
    let mut text = rule.action().as_str().to_owned();
    if !config.source_labels.is_empty() {
        text.push(' ');
        text.push_str(&config.source_labels.join(";"));
    }
    if let Some(regex) = &config.regex {
        text.push_str(&format!(" =~ {regex}"));
    }
    if !config.target_label.is_empty() {
        text.push_str(&format!(" -> {}", config.target_label));
    }
    text
}

/// What `rule` matched its regex against in `labels`: its source labels' values joined by its
/// separator; `None` for a rule without source labels. Passwords in it are hidden.
fn matched_value(rule: &Rule, labels: &Labels) -> Option<String> {
    let config = rule.config();
    if config.source_labels.is_empty() {
        return None;
    }
    let values: Vec<&str> = (config.source_labels.iter())
        .map(|name| labels.get(name).map_or("", String::as_str))
        .collect();
    Some(crate::redact::shown_address(
        &values.join(config.separator.as_deref().unwrap_or(";")),
    ))
}

/// Why the matched objects yield no target, as precisely as the input tells.
fn no_target_cause(
    snapshot: &Snapshot,
    sd: Option<&SdConfig>,
    matched: &BTreeSet<(String, String)>,
) -> String {
    let has_slices = |(namespace, name): &(String, String)| {
        snapshot
            .endpoint_slices_of(namespace, name)
            .next()
            .is_some()
    };
    let has_endpoints = |(namespace, name): &(String, String)| {
        snapshot.endpoints_of(namespace, name).next().is_some()
    };
    match sd {
        Some(sd)
            if sd.role == Role::Endpoints
                && matched.iter().any(has_slices)
                && !matched.iter().any(has_endpoints) =>
        {
            "the job discovers Endpoints objects (role endpoints), and the input holds only \
             EndpointSlices for the matched Services: add `kubectl get endpoints` to the dump, \
             or set serviceDiscoveryRole: EndpointSlice"
                .to_owned()
        }
        Some(sd)
            if sd.role == Role::EndpointSlice
                && matched.iter().any(has_endpoints)
                && !matched.iter().any(has_slices) =>
        {
            "the job discovers EndpointSlices (role endpointslice), and the input holds only \
             Endpoints objects for the matched Services (a cluster has both: Kubernetes writes \
             the slices, or mirrors hand-written Endpoints into them): add `kubectl get \
             endpointslices` to the dump"
                .to_owned()
        }
        Some(sd) if sd.attach_metadata.node && snapshot.nodes.is_empty() => {
            "the job attaches node metadata (attachMetadata.node), so Prometheus drops every Pod \
             whose Node it does not know, and the input holds no Node: add `kubectl get nodes` \
             to the dump"
                .to_owned()
        }
        _ => "the matched objects yield no discovered target (no endpoint addresses or ports, \
              or no pod IP)"
            .to_owned(),
    }
}

fn explain_job(
    (snapshot, options): (&Snapshot, &OperatorOptions),
    own_namespace: &str,
    monitor: MonitorRef<'_>,
    job: &Job,
    sharded: bool,
    permissions: &Permissions<'_>,
) -> EndpointExplanation {
    let mut problems = Vec::new();
    let (role, namespaces) = match &job.sd {
        Some(sd) => (
            sd.role.as_str().to_owned(),
            sd.namespaces
                .watched(Some(own_namespace))
                .unwrap_or_default(),
        ),
        None => ("static".to_owned(), Vec::new()),
    };
    let role_read = job.sd.as_ref().map(|sd| sd.role);
    let (port, workloads) = workload_chain(
        (snapshot, options),
        monitor,
        (job.index, role_read),
        &namespaces,
        &mut problems,
    );
    let matched: BTreeSet<(String, String)> = workloads
        .iter()
        .filter(|w| w.matched)
        .map(|w| (w.object.namespace.clone(), w.object.name.clone()))
        .collect();
    let mut groups = match &job.sd {
        Some(sd) => match discovery::discover(sd, Some(own_namespace), snapshot) {
            Ok(groups) => groups,
            Err(e) => {
                problems.push(format!("service discovery fails: {e}"));
                Vec::new()
            }
        },
        None => Vec::new(),
    };
    // A ScrapeConfig may list static targets beside its discovery.
    groups.extend(job.static_groups.iter().cloned());
    problems.extend(job.unfollowed.iter().map(|sd| {
        format!("the job also discovers through {sd}: not followed here, its targets are not shown")
    }));
    let owner_label = match monitor {
        MonitorRef::ServiceMonitor(_) => Some("__meta_kubernetes_service_name"),
        MonitorRef::PodMonitor(_) => Some("__meta_kubernetes_pod_name"),
        MonitorRef::Probe(_) | MonitorRef::ScrapeConfig(_) => None,
    };
    let mut targets = Vec::new();
    let mut unselected_targets = 0;
    for group in &groups {
        for discovered in &group.targets {
            let lookup = |name: &str| discovered.get(name).or_else(|| group.labels.get(name));
            if let Some(owner) = owner_label {
                let namespace = lookup("__meta_kubernetes_namespace")
                    .cloned()
                    .unwrap_or_default();
                let name = lookup(owner).cloned().unwrap_or_default();
                if !matched.contains(&(namespace, name)) {
                    unselected_targets += 1;
                    continue;
                }
            }
            let ready = lookup("__meta_kubernetes_endpoint_ready")
                .or_else(|| lookup("__meta_kubernetes_endpointslice_endpoint_conditions_ready"))
                .or_else(|| lookup("__meta_kubernetes_pod_ready"))
                .map(|v| v == "true");
            let population = relabel::populate(&job.scrape, &job.rules, discovered, &group.labels);
            let address = population
                .discovered
                .get("__address__")
                .cloned()
                .unwrap_or_default();
            let shard = sharded
                .then(|| (population.relabeled.get("__tmp_hash")).and_then(|h| h.parse().ok()))
                .flatten();
            let (kept, labels, dropped_by, error) = match population.outcome {
                PopulationOutcome::Target(labels) => {
                    (true, relabel::public_labels(&labels), None, None)
                }
                PopulationOutcome::Dropped { rule } => {
                    let compiled = job.rules.get(rule);
                    let dropped_by = DroppedBy {
                        index: rule,
                        rule: compiled.map(rule_summary).unwrap_or_default(),
                        written_at: job.rule_origins.get(rule).cloned().flatten(),
                        value: compiled.and_then(|r| matched_value(r, &population.relabeled)),
                    };
                    (false, population.discovered, Some(dropped_by), None)
                }
                PopulationOutcome::Failed(e) => {
                    (false, population.discovered, None, Some(e.to_string()))
                }
            };
            // A probed URL may carry a password (`https://user:pass@host`), and an address, and
            // every label that copies it (`instance`, `__address__`, `__param_target`, a
            // user's), may be a bare `user:pass@host`: shown as render shows them.
            let shown = crate::redact::shown_address;
            targets.push(TargetExplanation {
                address: shown(&address),
                source: group.source.clone(),
                ready,
                kept,
                labels: labels.into_iter().map(|(k, v)| (k, shown(&v))).collect(),
                dropped_by,
                error: error.map(|e| crate::redact::redact_url_password(&e).unwrap_or(e)),
                // Only a target that is scraped has a shard.
                shard: shard.filter(|_| kept),
            });
        }
    }
    if !matched.is_empty() && targets.is_empty() {
        problems.push(no_target_cause(snapshot, job.sd.as_ref(), &matched));
    } else if !targets.is_empty() && targets.iter().all(|t| !t.kept) {
        let refused = targets.iter().filter(|t| t.error.is_some()).count();
        problems.push(if refused == 0 {
            "every discovered target is dropped: see the rule named per target".to_owned()
        } else {
            format!(
                "no discovered target is scraped: {} dropped by a rule, {refused} refused (see \
                 the error per target)",
                targets.len() - refused
            )
        });
    }
    // Through spec.apiserverConfig, other credentials than the ServiceAccount's decide.
    let rbac = job
        .sd
        .as_ref()
        .filter(|sd| sd.in_cluster())
        .map(|sd| rbac::check(permissions, sd, own_namespace));
    problems.extend(rbac.as_ref().and_then(RbacCheck::problem));
    EndpointExplanation {
        index: job.index,
        job: job.name.clone(),
        port,
        role,
        namespaces,
        workloads,
        targets,
        unselected_targets,
        rbac,
        problems,
        scrape: job.settings.clone(),
    }
}

/// Objects of the searched namespaces: matched ones, or the closest when none matches.
fn select_objects<'a, T>(
    objects: impl Iterator<Item = &'a T>,
    selector: Option<&Selector>,
    meta: impl Fn(&T) -> &ObjectMeta,
) -> (Vec<&'a T>, Vec<(&'a T, Vec<String>)>)
where
    T: 'a,
{
    let mut matched = Vec::new();
    let mut misses: Vec<(usize, &'a T)> = Vec::new();
    let empty = Labels::new();
    for object in objects {
        let labels = meta(object).labels.as_ref().unwrap_or(&empty);
        let failing = selector.map_or(1, |s| near_miss::failure_count(s, labels));
        if failing == 0 {
            matched.push(object);
        } else {
            misses.push((failing, object));
        }
    }
    if !matched.is_empty() {
        return (matched, Vec::new());
    }
    // Closest first: fewest failing requirements, then those with a probable typo.
    let mut near: Vec<(usize, bool, &'a T, Vec<String>)> = misses
        .into_iter()
        .map(|(failing, object)| {
            let labels = meta(object).labels.clone().unwrap_or_default();
            let failures = selector
                .map(|s| near_miss::failures(s, &labels))
                .unwrap_or_default();
            let hinted = failures.iter().any(|f| !f.near_misses.is_empty());
            let lines = if selector.is_some() {
                failures
                    .into_iter()
                    .flat_map(|f| {
                        let head = match &f.actual {
                            Some(v) => format!("wants {}, has {}={v}", f.wanted, f.key),
                            None => format!("wants {}, label {} is absent", f.wanted, f.key),
                        };
                        std::iter::once(head).chain(f.near_misses)
                    })
                    .collect()
            } else {
                vec!["the monitor's selector is invalid".to_owned()]
            };
            (failing, !hinted, object, lines)
        })
        .collect();
    near.sort_by(|a, b| {
        (a.0, a.1, namespace_of(meta(a.2)), name_of(meta(a.2))).cmp(&(
            b.0,
            b.1,
            namespace_of(meta(b.2)),
            name_of(meta(b.2)),
        ))
    });
    let near = near
        .into_iter()
        .take(NEAR_MISS_LIMIT)
        .map(|(_, _, object, lines)| (object, lines))
        .collect();
    (matched, near)
}

/// Pods shown by name when no Service matches but Pods carry what the selector asks for.
const UNSERVED_PODS_SHOWN: usize = 3;

/// When a ServiceMonitor's selector matches no Service: the Pods in `namespaces` that carry
/// every value it asks for (under those keys or others), which it cannot reach without a
/// Service. kube-prometheus's control-plane monitors meet kubeadm's Pods this way: they ask
/// for `app.kubernetes.io/name: kube-scheduler`, the Pods carry `component: kube-scheduler`,
/// and no Service exists for them.
fn pods_without_service(
    snapshot: &Snapshot,
    namespaces: &[String],
    selector: &Selector,
) -> Option<String> {
    let wanted: Vec<&str> = selector
        .requirements
        .iter()
        .filter(|r| matches!(r.operator, Operator::Equals | Operator::In) && r.values.len() == 1)
        .map(|r| r.values[0].as_str())
        .collect();
    if wanted.is_empty() {
        return None;
    }
    let carried = |labels: &Labels| -> Option<Vec<String>> {
        wanted
            .iter()
            .map(|value| {
                labels
                    .iter()
                    .find(|(_, v)| v == value)
                    .map(|(k, v)| format!("{k}={v}"))
            })
            .collect()
    };
    let mut pods: Vec<(String, Vec<String>)> = snapshot
        .pods
        .iter()
        .filter(|p| in_namespaces(namespaces, namespace_of(&p.metadata)))
        .filter_map(|p| {
            let labels = carried(p.metadata.labels.as_ref()?)?;
            let name = format!("{}/{}", namespace_of(&p.metadata), name_of(&p.metadata));
            Some((name, labels))
        })
        .collect();
    pods.sort_unstable();
    let (first, first_labels) = pods.first()?;
    let names: Vec<String> = pods.iter().map(|(name, _)| name.clone()).collect();
    Some(format!(
        "Pod(s) {} carry what the selector asks for ({first}: {}): a ServiceMonitor \
         reaches Pods only through a Service, so create one labelled {} whose selector matches \
         them (kubeadm creates none for its control-plane components), or monitor them with a \
         PodMonitor",
        first_and_more(&names, UNSERVED_PODS_SHOWN),
        first_labels.join(","),
        selector_text(Some(selector))
    ))
}

/// When `selector` matches Service default/kubernetes, which the API server keeps in every
/// cluster (so a dump of manifests rarely holds it), a clause that says so.
fn built_in_service(namespaces: &[String], selector: Option<&Selector>) -> &'static str {
    let labels: Labels = [("component", "apiserver"), ("provider", "kubernetes")]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    let matches = selector.is_some_and(|s| !s.requirements.is_empty() && s.matches(&labels));
    if matches && in_namespaces(namespaces, "default") {
        ": Service default/kubernetes, which the API server keeps in every cluster, carries \
         component=apiserver,provider=kubernetes; the input holds no such Service (explain from \
         the cluster, or add `kubectl get service,endpoints,endpointslices -n default -o yaml`)"
    } else {
        ""
    }
}

fn in_namespaces(namespaces: &[String], namespace: &str) -> bool {
    namespaces.is_empty() || namespaces.iter().any(|n| n == namespace)
}

/// The keep rules the operator generates from a monitor's selector (upstream writes each
/// `matchLabels` and `In`/`NotIn` value into a regex unescaped), compiled to run over one
/// object's meta labels as Prometheus does.
struct SelectorRules {
    /// The discovered resource (`service`, `pod`).
    resource: &'static str,
    rules: Vec<Rule>,
}

impl SelectorRules {
    /// The rules of `selection`; `None` with the RoleSelector mechanism (discovery then
    /// selects as the API server does) or when a value is no valid regex (Prometheus then
    /// refuses the whole configuration).
    fn of(selection: &MonitorSelection<'_>, resource: &'static str) -> Option<Self> {
        let maps =
            render::monitor_selector_relabelings(selection, &discovery::meta_prefix(resource));
        if maps.is_empty() {
            return None;
        }
        let configs: Vec<relabel::Config> = maps
            .into_iter()
            .map(|m| serde_json::from_value(Yaml::Map(m).to_json()))
            .collect::<Result<_, _>>()
            .ok()?;
        let rules = Rule::compile_all(&configs, NameValidationScheme::Utf8).ok()?;
        Some(SelectorRules { resource, rules })
    }

    /// Whether Prometheus keeps the object of `meta`, given the meta labels discovery gives it.
    fn keep(&self, meta: &ObjectMeta) -> bool {
        let mut labels = Labels::new();
        discovery::add_labels_and_annotations(&mut labels, meta, self.resource);
        matches!(
            relabel::relabel(&labels, &self.rules),
            relabel::Outcome::Kept(_)
        )
    }
}

/// [`select_objects`] over the `kind` objects of the searched namespaces, with the monitor's
/// `spec.selector`: the matched objects as `explain` describes them, then the near misses as
/// not matched workloads. With
/// `keep_rules`, matched is what Prometheus keeps, and an object on which it and the label
/// selector disagree is a problem. An invalid selector, or one that matches nothing, is a
/// problem.
fn select_in_namespaces<'a, T: Metadata<Ty = ObjectMeta>>(
    (kind, objects): (&str, &'a [T]),
    (selector, keep_rules): (&LabelSelector, Option<&SelectorRules>),
    namespaces: &[String],
    problems: &mut Vec<String>,
    mut explain: impl FnMut(&'a T, &mut Vec<String>) -> WorkloadMatch,
) -> Vec<WorkloadMatch> {
    let meta = <T as Metadata>::metadata;
    let selector = Selector::parse(selector).ok();
    if selector.is_none() {
        problems.push("spec.selector is not a valid label selector".to_owned());
    }
    let candidates = objects
        .iter()
        .filter(|o| in_namespaces(namespaces, namespace_of(meta(o))));
    let (mut matched, mut near) = select_objects(candidates.clone(), selector.as_ref(), meta);
    if let (Some(rules), Some(selector)) = (keep_rules, &selector) {
        let mut kept = Vec::new();
        let (mut named, mut unnamed) = (Vec::new(), 0usize);
        for object in candidates {
            let object_meta = meta(object);
            let by_selector =
                selector.matches(object_meta.labels.as_ref().unwrap_or(&Labels::new()));
            let by_prometheus = rules.keep(object_meta);
            if by_prometheus {
                kept.push(object);
            }
            if by_prometheus == by_selector {
                continue;
            }
            if named.len() == DISAGREEMENT_LIMIT {
                unnamed += 1;
                continue;
            }
            let (reads, does) = if by_prometheus {
                ("does not match", "scrapes")
            } else {
                ("matches", "drops")
            };
            named.push(format!(
                "{kind} {}/{} {reads} spec.selector, but Prometheus {does} it: the keep rule \
                 generated from the selector reads each value as a regular expression",
                namespace_of(meta(object)),
                name_of(meta(object))
            ));
        }
        problems.extend(named);
        if unnamed > 0 {
            problems.push(format!(
                "{unnamed} more {kind}(s) on which spec.selector and Prometheus's keep rules \
                 disagree"
            ));
        }
        if !kept.is_empty() {
            near.clear();
        }
        matched = kept;
    }
    if matched.is_empty() {
        let built_in = if kind == "Service" {
            built_in_service(namespaces, selector.as_ref())
        } else {
            ""
        };
        problems.push(format!(
            "no {kind} in {} matches the selector {}{built_in}",
            describe_namespaces(namespaces),
            selector_text(selector.as_ref())
        ));
        if let Some(selector) = &selector {
            problems.extend(matched_elsewhere(kind, objects, selector, namespaces));
        }
    }
    let mut workloads: Vec<WorkloadMatch> =
        matched.into_iter().map(|o| explain(o, problems)).collect();
    workloads.extend(near.into_iter().map(|(object, mismatches)| WorkloadMatch {
        mismatches,
        ..WorkloadMatch::new(kind, meta(object))
    }));
    workloads
}

/// What a DaemonSet agent's config-reloader replaces with the pod's node.
const NODE_NAME_VARIABLE: &str = "$(NODE_NAME)";

/// Most objects a hint lists by name.
const OBJECTS_NAMED: usize = 3;

/// The first `shown` of `items`, joined, and how many more there are (`a, b and 3 more`).
fn first_and_more(items: &[String], shown: usize) -> String {
    let first = items[..items.len().min(shown)].join(", ");
    match items.len().saturating_sub(shown) {
        0 => first,
        more => format!("{first} and {more} more"),
    }
}

/// `ns/name` of at most [`OBJECTS_NAMED`] of `objects`, and how many more there are.
fn named_objects<'a, T: Metadata<Ty = ObjectMeta> + 'a>(
    objects: impl Iterator<Item = &'a T>,
) -> String {
    let mut names: Vec<String> = objects
        .map(|o| format!("{}/{}", namespace_of(o.metadata()), name_of(o.metadata())))
        .collect();
    names.sort_unstable();
    first_and_more(&names, OBJECTS_NAMED)
}

/// The objects of `kind` the selector matches outside `namespaces`, the searched ones: the
/// monitor most likely lacks their namespace in its namespace selector.
fn matched_elsewhere<T: Metadata<Ty = ObjectMeta>>(
    kind: &str,
    objects: &[T],
    selector: &Selector,
    namespaces: &[String],
) -> Option<String> {
    if namespaces.is_empty() {
        return None;
    }
    let elsewhere: Vec<&T> = (objects.iter())
        .filter(|o| !in_namespaces(namespaces, namespace_of(o.metadata())))
        .filter(|o| selector.matches(o.metadata().labels.as_ref().unwrap_or(&Labels::new())))
        .collect();
    if elsewhere.is_empty() {
        return None;
    }
    let mut their: Vec<&str> = elsewhere
        .iter()
        .map(|o| namespace_of(o.metadata()))
        .collect();
    their.sort_unstable();
    their.dedup();
    Some(format!(
        "the selector matches {kind} {} outside the namespaces searched: list {} in the \
         monitor's spec.namespaceSelector.matchNames (the namespaces line says what else decides)",
        named_objects(elsewhere.into_iter()),
        their.join(", ")
    ))
}

/// How the endpoint picks its port, in the words of the field that decides.
fn port_text(selector: PortSelector<'_>) -> String {
    match selector {
        PortSelector::PortName(name) => format!("port: {name}"),
        PortSelector::PortNumber(number) => format!("portNumber: {number}"),
        PortSelector::TargetPortName(name) => format!("targetPort: {name}"),
        PortSelector::TargetPortNumber(number) => format!("targetPort: {number}"),
        PortSelector::Any => "every port".to_owned(),
    }
}

/// How the endpoint at `index` of `monitor` picks its port, and the workloads the monitor's
/// selector matches in `namespaces` (with their ports, and the addresses in the objects the
/// job's discovery `role` reads), then those it nearly matches.
fn workload_chain(
    (snapshot, options): (&Snapshot, &OperatorOptions),
    monitor: MonitorRef<'_>,
    (index, role): (usize, Option<Role>),
    namespaces: &[String],
    problems: &mut Vec<String>,
) -> (String, Vec<WorkloadMatch>) {
    let port = monitor.port_selector(index);
    let rules = monitor.selector_rules();
    let workloads = match monitor {
        MonitorRef::ServiceMonitor(m) => {
            let explain = |service, problems: &mut _| {
                service_match((snapshot, options), service, (port, role), problems)
            };
            let selectors = (&m.spec.selector, rules.as_ref());
            let services = ("Service", snapshot.services.as_slice());
            let workloads =
                select_in_namespaces(services, selectors, namespaces, problems, explain);
            if !workloads.iter().any(|w| w.matched)
                && let Ok(selector) = Selector::parse(&m.spec.selector)
            {
                problems.extend(pods_without_service(snapshot, namespaces, &selector));
            }
            workloads
        }
        MonitorRef::PodMonitor(m) => {
            let explain = |pod, problems: &mut _| pod_match(pod, port, problems);
            let selectors = (&m.spec.selector, rules.as_ref());
            let pods = ("Pod", snapshot.pods.as_slice());
            let workloads = select_in_namespaces(pods, selectors, namespaces, problems, explain);
            if !workloads.iter().any(|w| w.matched)
                && let Ok(selector) = Selector::parse(&m.spec.selector)
            {
                let services = (snapshot.services.iter())
                    .filter(|s| in_namespaces(namespaces, namespace_of(&s.metadata)))
                    .filter(|s| {
                        selector.matches(s.metadata.labels.as_ref().unwrap_or(&Labels::new()))
                    });
                if services.clone().next().is_some() {
                    problems.push(format!(
                        "the selector matches Service {}: a PodMonitor selects Pods by their own \
                         labels, not their Service's; select the Pods' labels, or use a \
                         ServiceMonitor",
                        named_objects(services)
                    ));
                }
            }
            workloads
        }
        MonitorRef::Probe(_) | MonitorRef::ScrapeConfig(_) => return (String::new(), Vec::new()),
    };
    (port_text(port), workloads)
}

/// A Service the monitor's selector matches: its ports (those `selector` refers to marked), its
/// endpoint addresses, and when none is ready, the pods behind it.
fn service_match(
    (snapshot, options): (&Snapshot, &OperatorOptions),
    service: &Service,
    (selector, role): (PortSelector<'_>, Option<Role>),
    problems: &mut Vec<String>,
) -> WorkloadMatch {
    let ports = service_ports(service, selector);
    let addresses = service_addresses(snapshot, service, role);
    let service_name = format!(
        "{}/{}",
        namespace_of(&service.metadata),
        name_of(&service.metadata)
    );
    if let PortSelector::PortName(port_name) = selector
        && !ports.iter().any(|p| p.referenced)
    {
        let mut hint = format!(
            "Service {service_name} has no port named {port_name:?} (ports: {})",
            ports
                .iter()
                .map(|p| if p.name.is_empty() {
                    format!("unnamed {}", p.port)
                } else {
                    format!("{} ({})", p.name, p.port)
                })
                .collect::<Vec<_>>()
                .join(", ")
        );
        let by_number = (port_name.parse::<i32>().ok()).and_then(|number| {
            let port = (ports.iter())
                .find(|p| p.port == number || p.target_port.as_deref() == Some(port_name))?;
            Some((number, port))
        });
        match by_number {
            Some((number, p)) => hint.push_str(&format!(
                "; `port` is matched against the port *name* and {number} is a number: the \
                 Service port {number} is named {:?}, use `port: {}` (or `targetPort: {number}`)",
                p.name, p.name
            )),
            None => hint.push_str(&format!(
                "; name the Service port {port_name:?}, or pick the Pod port with `targetPort`"
            )),
        }
        problems.push(hint);
    }
    if let PortSelector::PortName(port_name) = selector
        && ports.iter().any(|p| p.referenced)
        && let Some(problem) = unnamed_in_endpoints(snapshot, service, role, port_name)
    {
        problems.push(problem);
    }
    let has_selector = service
        .spec
        .as_ref()
        .and_then(|s| s.selector.as_ref())
        .is_some_and(|s| !s.is_empty());
    let mut pods = Vec::new();
    if addresses.iter().all(|a| !a.ready) && has_selector {
        // The Service ports the endpoint refers to, in the order `service_ports` lists them.
        let referenced: Vec<ServicePort> = service
            .spec
            .iter()
            .flat_map(|s| s.ports.iter().flatten())
            .zip(&ports)
            .filter(|(_, info)| info.referenced)
            .map(|(port, _)| port.clone())
            .collect();
        if !addresses.is_empty() {
            problems.push(format!(
                "Service {service_name}: no endpoint address is ready"
            ));
        }
        pods = service_pods::explain(snapshot, options, service, &referenced, problems);
    } else if addresses.is_empty() {
        problems.push(if kubelet_service(options, service) {
            let nodes = snapshot.nodes.len();
            let listed = if nodes == 0 {
                "the input holds no Node (add `kubectl get nodes -o yaml`)".to_owned()
            } else {
                format!(
                    "it lists none of the {nodes} Node(s) in the input (--kubelet-selector, no \
                     InternalIP or ExternalIP address, or --kubelet-endpoints and \
                     --kubelet-endpointslice leave out the kind the job reads)"
                )
            };
            format!(
                "Service {service_name} is the one the operator keeps for the kubelets \
                 (--kubelet-service): its endpoints list the nodes, and {listed}"
            )
        } else {
            format!(
                "Service {service_name} has no selector and no hand-written Endpoints or \
                 EndpointSlice: create an Endpoints object named like the Service"
            )
        });
    }
    WorkloadMatch {
        matched: true,
        ports,
        addresses,
        pods,
        ..WorkloadMatch::new("Service", &service.metadata)
    }
}

/// Whether `service` is the one the operator keeps for the kubelets: the one its
/// `--kubelet-service` names or, where its flags are unknown, one labelled as its own.
fn kubelet_service(options: &OperatorOptions, service: &Service) -> bool {
    let (namespace, name) = (namespace_of(&service.metadata), name_of(&service.metadata));
    match &options.kubelet.service {
        Some((ns, n)) => ns == namespace && n == name,
        None => service.metadata.labels.as_ref().is_some_and(|l| {
            l.get(MANAGED_BY_LABEL).map(String::as_str) == Some(MANAGED_BY_VALUE)
                && l.get("k8s-app").map(String::as_str) == Some("kubelet")
        }),
    }
}

fn selector_text(selector: Option<&Selector>) -> String {
    match selector {
        Some(s) if s.requirements.is_empty() => "{} (everything)".to_owned(),
        Some(s) => s
            .requirements
            .iter()
            .map(|r| r.to_string())
            .collect::<Vec<_>>()
            .join(","),
        None => "(invalid)".to_owned(),
    }
}

fn describe_namespaces(namespaces: &[String]) -> String {
    if namespaces.is_empty() {
        "any namespace".to_owned()
    } else {
        format!("namespace(s) {}", namespaces.join(", "))
    }
}

/// A Service's ports, each marked when the endpoint scrapes the Pod port behind it. A
/// `targetPort` selects a container port, which a Service port is known to reach when it
/// targets it the same way: by name, or by number (its own when it names no target).
fn service_ports(service: &Service, selector: PortSelector<'_>) -> Vec<PortInfo> {
    service
        .spec
        .as_ref()
        .and_then(|s| s.ports.as_ref())
        .map(|ports| {
            ports
                .iter()
                .map(|p| {
                    let name = p.name.clone().unwrap_or_default();
                    let referenced = match selector {
                        PortSelector::PortName(wanted) => name == wanted,
                        PortSelector::TargetPortName(wanted) => {
                            matches!(&p.target_port, Some(IntOrString::String(t)) if t == wanted)
                        }
                        PortSelector::TargetPortNumber(wanted) => match &p.target_port {
                            Some(IntOrString::Int(t)) => *t == wanted,
                            Some(IntOrString::String(_)) => false,
                            None => p.port == wanted,
                        },
                        // `portNumber` is a PodMonitor field: never the selector here.
                        PortSelector::PortNumber(_) | PortSelector::Any => true,
                    };
                    PortInfo {
                        name,
                        port: p.port,
                        target_port: p
                            .target_port
                            .as_ref()
                            .map(crate::monitoring::int_or_string_text),
                        container: None,
                        referenced,
                    }
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The addresses behind `service` in the objects the discovery `role` reads (Endpoints for
/// `endpoints`, EndpointSlices for `endpointslice`, both otherwise); when the input holds
/// none of that kind for it, those of the other kind: a dump often holds one kind only, and
/// [`no_target_cause`] says why no target comes of them.
fn service_addresses(
    snapshot: &Snapshot,
    service: &Service,
    role: Option<Role>,
) -> Vec<AddressInfo> {
    let namespace = namespace_of(&service.metadata);
    let name = name_of(&service.metadata);
    let endpoints = endpoints_addresses(snapshot, namespace, name);
    let slices = slice_addresses(snapshot, namespace, name);
    match role {
        Some(Role::Endpoints) if !endpoints.is_empty() => endpoints,
        Some(Role::EndpointSlice) if !slices.is_empty() => slices,
        Some(Role::Endpoints) => slices,
        Some(Role::EndpointSlice) => endpoints,
        _ => [endpoints, slices].concat(),
    }
}

/// Why no address of `service` keeps port `port_name` though the Service names it: the
/// Endpoints (or EndpointSlices) the job reads name their ports otherwise. Prometheus reads
/// the port's name from them, not from the Service; hand-written ones (a Service without a
/// selector) may differ, the endpoints controller's never do.
fn unnamed_in_endpoints(
    snapshot: &Snapshot,
    service: &Service,
    role: Option<Role>,
    port_name: &str,
) -> Option<String> {
    let namespace = namespace_of(&service.metadata);
    let name = name_of(&service.metadata);
    let endpoints: Vec<(Option<&str>, i32)> = (snapshot.endpoints_of(namespace, name))
        .flat_map(|e| e.subsets.iter().flatten())
        .flat_map(|s| s.ports.iter().flatten())
        .map(|p| (p.name.as_deref(), p.port))
        .collect();
    let slices: Vec<(Option<&str>, i32)> = (snapshot.endpoint_slices_of(namespace, name))
        .flat_map(|s| s.ports.iter().flatten())
        .map(|p| (p.name.as_deref(), p.port.unwrap_or_default()))
        .collect();
    // Only the kind the job's role reads: the other's names decide nothing.
    let (kind, mut found) = match role {
        Some(Role::EndpointSlice) => ("EndpointSlice", slices),
        _ => ("Endpoints", endpoints),
    };
    if found.is_empty() || found.iter().any(|(n, _)| *n == Some(port_name)) {
        return None;
    }
    found.sort_unstable();
    found.dedup();
    let named: Vec<String> = (found.iter())
        .map(|(n, port)| match n {
            Some(n) if !n.is_empty() => format!("{n:?} ({port})"),
            _ => format!("unnamed ({port})"),
        })
        .collect();
    Some(format!(
        "the {kind} of Service {namespace}/{name} name their ports {}, not {port_name:?}: \
         Prometheus reads a port's name from the {kind}, not the Service, so no address keeps \
         it; name the ports of hand-written {kind} as the Service names them",
        first_and_more(&named, OBJECTS_NAMED)
    ))
}

/// The addresses of the Endpoints object `namespace/name`.
fn endpoints_addresses(snapshot: &Snapshot, namespace: &str, name: &str) -> Vec<AddressInfo> {
    let mut out = Vec::new();
    for endpoints in snapshot.endpoints_of(namespace, name) {
        for subset in endpoints.subsets.iter().flatten() {
            let ready = subset.addresses.iter().flatten().map(|a| (a, true));
            let not_ready = subset
                .not_ready_addresses
                .iter()
                .flatten()
                .map(|a| (a, false));
            for (address, is_ready) in ready.chain(not_ready) {
                out.push(AddressInfo {
                    ip: address.ip.clone(),
                    ready: is_ready,
                    source: format!("Endpoints {name}"),
                    target_ref: address.target_ref.as_ref().map(reference_text),
                });
            }
        }
    }
    out
}

/// The addresses of the EndpointSlices of Service `namespace/name`.
fn slice_addresses(snapshot: &Snapshot, namespace: &str, name: &str) -> Vec<AddressInfo> {
    let mut out = Vec::new();
    for slice in snapshot.endpoint_slices_of(namespace, name) {
        for endpoint in slice.endpoints.iter().flatten() {
            let ready = endpoint
                .conditions
                .as_ref()
                .and_then(|c| c.ready)
                .unwrap_or(true);
            for ip in &endpoint.addresses {
                out.push(AddressInfo {
                    ip: ip.clone(),
                    ready,
                    source: format!("EndpointSlice {}", name_of(&slice.metadata)),
                    target_ref: endpoint.target_ref.as_ref().map(reference_text),
                });
            }
        }
    }
    out
}

/// An endpoint address's `targetRef`, `Kind/name`.
fn reference_text(reference: &ObjectReference) -> String {
    format!(
        "{}/{}",
        reference.kind.as_deref().unwrap_or(""),
        reference.name.as_deref().unwrap_or("")
    )
}

/// A Pod the monitor's selector matches: its container ports (those `selector` refers to
/// marked) and its IP.
fn pod_match(pod: &Pod, selector: PortSelector<'_>, problems: &mut Vec<String>) -> WorkloadMatch {
    let pod_name = format!("{}/{}", namespace_of(&pod.metadata), name_of(&pod.metadata));
    // Prometheus discovers every container's ports, init containers' included.
    let ports: Vec<PortInfo> = pod
        .spec
        .iter()
        .flat_map(|s| {
            s.containers
                .iter()
                .chain(s.init_containers.iter().flatten())
        })
        .flat_map(|c| {
            c.ports.iter().flatten().map(move |p| {
                let name = p.name.clone().unwrap_or_default();
                let referenced = match selector {
                    PortSelector::PortName(w) | PortSelector::TargetPortName(w) => name == w,
                    PortSelector::PortNumber(n) | PortSelector::TargetPortNumber(n) => {
                        p.container_port == n
                    }
                    PortSelector::Any => true,
                };
                PortInfo {
                    name,
                    port: p.container_port,
                    target_port: None,
                    container: Some(c.name.clone()),
                    referenced,
                }
            })
        })
        .collect();
    if let PortSelector::PortName(port_name) = selector
        && !ports.iter().any(|p| p.referenced)
    {
        let unnamed: Vec<String> = ports
            .iter()
            .filter(|p| p.name.is_empty())
            .map(|p| p.port.to_string())
            .collect();
        let mut hint = format!("Pod {pod_name} has no container port named {port_name:?}");
        if ports.is_empty() {
            hint.push_str(": its containers declare no ports");
        } else if !unnamed.is_empty() {
            hint.push_str(&format!(
                ": its container port(s) {} have no name; name the container port \
                 {port_name:?}, or use `portNumber: {}` instead of `port`",
                unnamed.join(", "),
                unnamed.first().map(String::as_str).unwrap_or("")
            ));
        }
        problems.push(hint);
    }
    let ip = pod
        .status
        .as_ref()
        .and_then(|s| s.pod_ip.clone())
        .unwrap_or_default();
    let ready = service_pods::pod_ready(pod);
    if ip.is_empty() {
        problems.push(format!(
            "Pod {pod_name} has no IP yet (not scheduled or not started)"
        ));
    }
    WorkloadMatch {
        matched: true,
        ports,
        addresses: if ip.is_empty() {
            Vec::new()
        } else {
            vec![AddressInfo {
                ip,
                ready,
                source: "Pod".to_owned(),
                target_ref: None,
            }]
        },
        ..WorkloadMatch::new("Pod", &pod.metadata)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_target_names_the_missing_objects_it_can_see() {
        let text = "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {name: api-x, namespace: shop, labels: {kubernetes.io/service-name: api}}\naddressType: IPv4\nendpoints: [{addresses: [10.0.0.1]}]\n";
        let snapshot = crate::snapshot::load("t.yaml", text).unwrap().0;
        let matched = BTreeSet::from([("shop".to_owned(), "api".to_owned())]);
        let endpoints = SdConfig::new(Role::Endpoints);
        assert!(
            no_target_cause(&snapshot, Some(&endpoints), &matched).contains("only EndpointSlices")
        );
        let mut pods = SdConfig::new(Role::Pod);
        pods.attach_metadata.node = true;
        assert!(no_target_cause(&snapshot, Some(&pods), &matched).contains("holds no Node"));
    }

    #[test]
    fn shard_placeholders_accept_every_shard() {
        let config = relabel::Config {
            regex: Some("$(SHARD);|.+;.+".to_owned()),
            ..relabel::Config::default()
        };
        assert_eq!(unshard(config).regex.as_deref(), Some("[0-9]+;|.+;.+"));
    }

    const POD: &str = include_str!("../../tests/fixtures/unit/explain_targets_pod.yaml");

    /// The endpoint's port text and which pod ports it marks, in order.
    fn pod_ports(endpoint: &str) -> (String, Vec<bool>) {
        let snapshot = crate::snapshot::load("test.yaml", POD).unwrap().0;
        let monitor: PodMonitor = crate::yaml::from_str(&format!(
            "metadata: {{name: m, namespace: shop}}
spec: {{selector: {{matchLabels: {{app: shop}}}}, podMetricsEndpoints: [{endpoint}]}}"
        ))
        .unwrap();
        let (port, workloads) = workload_chain(
            (&snapshot, &OperatorOptions::default()),
            MonitorRef::PodMonitor(&monitor),
            (0, None),
            &[],
            &mut Vec::new(),
        );
        let referenced = workloads[0].ports.iter().map(|p| p.referenced).collect();
        (port, referenced)
    }

    #[test]
    fn zero_and_empty_pod_port_fields_select_every_port() {
        for endpoint in ["{portNumber: 0}", "{targetPort: 0}", "{targetPort: ''}"] {
            let expected = ("every port".to_owned(), vec![true, true]);
            assert_eq!(pod_ports(endpoint), expected, "{endpoint}");
        }
    }

    #[test]
    fn pod_target_port_string_matches_names_only() {
        let by_text = ("targetPort: 8080".to_owned(), vec![false, false]);
        assert_eq!(pod_ports("{targetPort: '8080'}"), by_text);
        let by_number = ("targetPort: 8080".to_owned(), vec![true, false]);
        assert_eq!(pod_ports("{targetPort: 8080}"), by_number);
    }

    #[test]
    fn service_target_port_matches_by_its_type() {
        let service: Service = crate::yaml::from_str(
            "spec:
  ports:
  - {name: http, port: 80, targetPort: http}
  - {name: metrics, port: 9102, targetPort: 9102}
  - {name: admin, port: 9901}
",
        )
        .unwrap();
        let referenced = |endpoint: &str| {
            let endpoint: Endpoint = crate::yaml::from_str(endpoint).unwrap();
            service_ports(&service, endpoint.port_selector())
                .iter()
                .map(|p| p.referenced)
                .collect::<Vec<_>>()
        };
        assert_eq!(referenced("{targetPort: http}"), [true, false, false]);
        assert_eq!(referenced("{targetPort: 9102}"), [false, true, false]);
        assert_eq!(referenced("{targetPort: 9901}"), [false, false, true]);
        assert_eq!(referenced("{targetPort: '9102'}"), [false, false, false]);
        assert_eq!(referenced("{targetPort: 0}"), [true, true, true]);
        assert_eq!(referenced("{targetPort: ''}"), [true, true, true]);
    }
}
