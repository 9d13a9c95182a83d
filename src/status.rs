//! The last hop: what the running servers made of the configuration the operator stored.
//!
//! Prometheus keeps running its previous configuration when a reload fails, per replica and
//! silently. From the answers of each pod's own API (`/api/v1/status/config`,
//! `/api/v1/status/runtimeinfo`, `/api/v1/status/buildinfo`, `/api/v1/targets`; Alertmanager's
//! `/api/v2/status` and its config-reloader's `/metrics`) this module tells whether the loaded
//! configuration is the one in the Secret (compared as data: Prometheus prints its defaults and
//! hides its secrets, so the Secret's configuration must be contained in the loaded one),
//! whether the last reload succeeded, which version runs, and how the targets of each job fare.

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::core::v1::EnvVar;
use serde::Serialize;
use serde_json::Value;

use crate::duration::Duration;
use crate::monitoring::v1::prometheus::PrometheusWebSpec;
use crate::redact::REDACTED;
use crate::reloader::{self, Environment};
use crate::target::Target;
use crate::workload::{CONFIG_RELOADER_CONTAINER, Instance};
use crate::yaml::{self, Yaml};

/// Differences listed per pod before the rest are counted only.
pub const MAX_DIFFERENCES: usize = 20;
/// Failing targets listed per job.
pub const MAX_FAILING_TARGETS: usize = 5;
/// Missing pods noted one by one before the rest are counted.
pub const MAX_MISSING_PODS: usize = 20;
/// The config-reloader's port (upstream `CreateConfigReloader`), where it serves its metrics.
pub const RELOADER_PORT_NAME: &str = "reloader-web";
/// The path of the config-reloader's metrics: its own, not under the server's route prefix.
pub const RELOADER_METRICS_PATH: &str = "/metrics";

/// Top-level sections a server prints with its defaults when the file has none: Prometheus's
/// `global`, `runtime` and `otlp` (its `DefaultConfig`) and `storage` (`Load` always sets
/// `storage.tsdb`); Alertmanager's `global`. Loaded without the Secret having them, they are
/// no sign of a stale configuration.
const SECTIONS_WITH_DEFAULTS: [&str; 4] = ["global", "runtime", "otlp", "storage"];

/// A pod of an instance, as its API is reached.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerPod {
    /// The pod's name.
    pub name: String,
    /// Its shard (`operator.prometheus.io/shard`), 0 when unlabelled.
    pub shard: u32,
    /// The main container's web port; `None` when the server listens on localhost only
    /// (`spec.listenLocal`), out of the API server proxy's reach.
    pub port: Option<u16>,
    /// The `config-reloader` container's [`RELOADER_PORT_NAME`] port; `None` when it has none
    /// (`spec.listenLocal` too).
    pub reloader_port: Option<u16>,
    /// Whether the pod runs (phase `Running`).
    pub running: bool,
    /// What its config-reloader expands `$(NAME)` with: the environment of its
    /// `config-reloader` container, the pod fields it refers to resolved (`POD_NAME`,
    /// `NODE_NAME`), so `SHARD`, `INZONE_SHARD` and `TOPOLOGY_ZONE` are the pod's own. A pod
    /// without that container gets its name and shard.
    pub reloader_environment: Environment,
}

impl ServerPod {
    /// The pod, from its JSON, when it has a main container `container` with a port named
    /// `web_port_name`, or, when that is `None` (see [`crate::workload::web_port_name`]), any
    /// main container `container`.
    pub fn from_json(pod: &Value, container: &str, web_port_name: Option<&str>) -> Option<Self> {
        let name = pod.pointer("/metadata/name")?.as_str()?.to_owned();
        let shard = pod
            .pointer("/metadata/labels/operator.prometheus.io~1shard")
            .and_then(Value::as_str)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let containers = pod.pointer("/spec/containers")?.as_array()?;
        let named = |name: &str| {
            containers
                .iter()
                .find(|c| c.get("name").and_then(Value::as_str) == Some(name))
        };
        let main = named(container)?;
        let port = match web_port_name {
            Some(port_name) => Some(named_port(main, port_name)?),
            None => None,
        };
        let reloader_port = named(CONFIG_RELOADER_CONTAINER)
            .and_then(|reloader| named_port(reloader, RELOADER_PORT_NAME));
        let running = pod.pointer("/status/phase").and_then(Value::as_str) == Some("Running");
        let reloader_environment = reloader_environment(pod, &name, shard);
        Some(ServerPod {
            name,
            shard,
            port,
            reloader_port,
            running,
            reloader_environment,
        })
    }
}

/// The number of `container`'s port named `name`.
fn named_port(container: &Value, name: &str) -> Option<u16> {
    container
        .get("ports")?
        .as_array()?
        .iter()
        .find(|p| p.get("name").and_then(Value::as_str) == Some(name))
        .and_then(|p| p.get("containerPort")?.as_u64())
        .and_then(|p| u16::try_from(p).ok())
}

/// What reading an instance's pods needs of its spec, decided as the operator generates them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServedSpec {
    /// The version the spec asks for (or the operator's default).
    pub expected_version: String,
    /// Whether the web port speaks TLS (`spec.web.tlsConfig`).
    pub tls: bool,
    /// The name of the main container's web port; `None` when the server listens on
    /// localhost only.
    pub web_port_name: Option<String>,
    /// Where the server's HTTP API is rooted (`spec.routePrefix`, which the operator passes
    /// as `--web.route-prefix`): empty, or a path such as `/prometheus`.
    pub route_prefix: String,
    /// The pods the operator runs for the spec.
    pub expected_pods: ExpectedPods,
}

impl ServedSpec {
    /// The spec of `instance`.
    pub fn of(instance: Instance<'_>) -> Self {
        let (expected_version, tls, route_prefix) = match instance {
            Instance::Prometheus(p) => (
                Target::Server(p).version_text(),
                web_tls(&p.spec.web),
                &p.spec.route_prefix,
            ),
            Instance::Agent(a) => (
                Target::Agent(a).version_text(),
                web_tls(&a.spec.web),
                &a.spec.route_prefix,
            ),
            Instance::Alertmanager(am) => (
                crate::alertmanager::version_text(am),
                am.spec.web.as_ref().is_some_and(|w| w.tls_config.is_some()),
                &am.spec.route_prefix,
            ),
        };
        // Prometheus and Alertmanager root their routes at "/" + the prefix without slashes.
        let route_prefix = route_prefix.as_deref().unwrap_or("").trim_matches('/');
        ServedSpec {
            expected_version: expected_version.to_owned(),
            tls,
            web_port_name: instance.web_port_name().map(str::to_owned),
            route_prefix: if route_prefix.is_empty() {
                String::new()
            } else {
                format!("/{route_prefix}")
            },
            expected_pods: ExpectedPods::of(instance),
        }
    }

    /// `path` (such as `/api/v1/targets`) under the server's route prefix.
    pub fn api_path(&self, path: &str) -> String {
        format!("{}{path}", self.route_prefix)
    }
}

/// The pods the operator runs for an instance: ordinals `0..replicas` of each StatefulSet (one
/// per shard), named `<StatefulSet>-<ordinal>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExpectedPods {
    /// The StatefulSets, shard 0 first; none for an agent in DaemonSet mode, whose pods follow
    /// its nodes.
    pub statefulsets: Vec<String>,
    /// Pods per StatefulSet.
    pub replicas: u32,
}

impl ExpectedPods {
    /// The pods of `instance`: upstream `ReplicasNumberPtr` (unset or negative is 1) for
    /// Prometheus and agents, an Alertmanager's `spec.replicas` (unset is 1, negative 0).
    pub fn of(instance: Instance<'_>) -> Self {
        let replicas = match instance {
            Instance::Prometheus(p) => p.spec.common_fields().replicas.filter(|r| *r >= 0),
            Instance::Agent(a) => a.spec.common_fields().replicas.filter(|r| *r >= 0),
            Instance::Alertmanager(am) => Some(am.spec.replicas.unwrap_or(1).max(0)),
        };
        ExpectedPods {
            statefulsets: crate::workload::statefulset_shard_names(instance),
            replicas: replicas.map_or(1, |r| r.unsigned_abs()),
        }
    }

    /// How many pods the operator runs.
    pub fn count(&self) -> u64 {
        self.statefulsets.len() as u64 * u64::from(self.replicas)
    }

    /// Whether `pod` is one of them.
    fn contains(&self, pod: &str) -> bool {
        self.statefulsets.iter().any(|statefulset| {
            pod.strip_prefix(statefulset.as_str())
                .and_then(|rest| rest.strip_prefix('-'))
                .and_then(|ordinal| Some((ordinal, ordinal.parse::<u32>().ok()?)))
                // `01` or `+1` parse, but name no pod of a StatefulSet.
                .is_some_and(|(text, n)| n < self.replicas && n.to_string() == text)
        })
    }

    /// The first [`MAX_MISSING_PODS`] of them not among `found`, and how many are missing in
    /// all. Names are made only until that many are missing: `replicas` may be huge.
    pub fn missing(&self, found: &[&str]) -> (Vec<String>, u64) {
        let found: BTreeSet<&str> = found.iter().copied().filter(|p| self.contains(p)).collect();
        let listed = self
            .statefulsets
            .iter()
            .flat_map(|statefulset| (0..self.replicas).map(move |i| format!("{statefulset}-{i}")))
            .filter(|pod| !found.contains(pod.as_str()))
            .take(MAX_MISSING_PODS)
            .collect();
        (listed, self.count() - found.len() as u64)
    }
}

fn web_tls(web: &Option<PrometheusWebSpec>) -> bool {
    web.as_ref().is_some_and(|w| w.tls_config.is_some())
}

/// Why nothing of a pod without a web port can be read.
pub const LOCALHOST_ONLY: &str = "its server listens on localhost only (spec.listenLocal): \
                                  its API is out of reach of the API server's proxy";

/// The status of a pod whose API cannot be reached: [`LOCALHOST_ONLY`] is its problem.
pub fn localhost_only_pod(name: &str) -> PodStatus {
    PodStatus {
        name: name.to_owned(),
        problems: vec![LOCALHOST_ONLY.to_owned()],
        ..PodStatus::default()
    }
}

fn reloader_environment(pod: &Value, name: &str, shard: u32) -> Environment {
    let reloader = pod
        .pointer("/spec/containers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|c| c.get("name").and_then(Value::as_str) == Some(CONFIG_RELOADER_CONTAINER));
    let Some(env) = reloader.and_then(|c| c.get("env")?.as_array()) else {
        return Environment {
            variables: BTreeMap::from([
                ("POD_NAME".to_owned(), name.to_owned()),
                ("SHARD".to_owned(), shard.to_string()),
            ]),
            ..Environment::default()
        };
    };
    // A variable that does not decode is one the kubelet would not have set either.
    let env: Vec<EnvVar> = env
        .iter()
        .filter_map(|variable| serde_json::from_value(variable.clone()).ok())
        .collect();
    reloader::container_environment(&env, pod)
}

/// The status of every pod of an instance.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusReport {
    /// `Prometheus`, `PrometheusAgent` or `Alertmanager`.
    pub kind: String,
    /// Namespace.
    pub namespace: String,
    /// Name.
    pub name: String,
    /// The Secret holding the generated configuration, `namespace/name`.
    pub secret: String,
    /// The version `spec` asks for (or the operator's default).
    pub expected_version: String,
    /// Every pod found.
    pub pods: Vec<PodStatus>,
    /// What concerns the instance as a whole (no pod found, a version other than expected).
    pub notes: Vec<String>,
}

impl StatusReport {
    /// Every pod in sync and healthy, running the expected version, and at least one pod.
    pub fn is_healthy(&self) -> bool {
        !self.pods.is_empty()
            && self.pods.iter().all(PodStatus::is_healthy)
            && self.notes.is_empty()
    }

    /// Adds the notes that concern the whole instance: no pod, a pod of `expected` not among
    /// `listed` (every pod of the instance found, read or not), versions other than expected.
    pub fn add_instance_notes(&mut self, expected: &ExpectedPods, listed: &[&str]) {
        let (missing, all) = expected.missing(listed);
        if self.pods.is_empty() {
            if expected.count() == 0 && !expected.statefulsets.is_empty() {
                self.notes
                    .push("the spec asks for 0 replicas: there is no pod to read".to_owned());
            } else if missing.is_empty() {
                // Otherwise the missing pods, named below, say it.
                self.notes.push(format!(
                    "no pod of {} {}/{} found: is its StatefulSet running?",
                    self.kind, self.namespace, self.name
                ));
            }
        }
        let replicas = match expected.replicas {
            1 => "1 replica".to_owned(),
            n => format!("{n} replicas"),
        };
        let asked = match expected.statefulsets.len() {
            1 => replicas,
            shards => format!("{shards} shards × {replicas}"),
        };
        for pod in &missing {
            self.notes
                .push(format!("pod {pod} not found: the spec asks for {asked}"));
        }
        if let Some(more) = all.checked_sub(missing.len() as u64).filter(|n| *n > 0) {
            self.notes
                .push(format!("... and {more} more pods of the {asked} not found"));
        }
        let expected = self.expected_version.trim_start_matches('v');
        for pod in &self.pods {
            if let Some(version) = &pod.version
                && version.trim_start_matches('v') != expected
            {
                self.notes.push(format!(
                    "pod {} runs version {version}, the spec asks for {}",
                    pod.name, self.expected_version
                ));
            }
        }
    }
}

/// What one pod reports.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PodStatus {
    /// The pod's name.
    pub name: String,
    /// Whether the loaded configuration is the Secret's (`None`: it could not be read).
    pub config_in_sync: Option<bool>,
    /// How the loaded configuration differs from the Secret's, as `diff` words it.
    pub differences: Vec<String>,
    /// Whether the last reload succeeded (`None`: unknown).
    pub reload_success: Option<bool>,
    /// Why `reload_success` is unknown, when it was looked for and could not be told.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reload_unknown: Option<String>,
    /// When the configuration was last loaded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_config_time: Option<String>,
    /// The version the server reports.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Targets per scrape job (Prometheus only; `None`: they could not be read).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jobs: Option<Vec<JobTargets>>,
    /// What could not be read or understood.
    pub problems: Vec<String>,
    /// The config-reloader's last log lines, when the pod is out of sync or failed to reload.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reloader_log: Vec<String>,
}

impl PodStatus {
    /// In sync, reloaded successfully, and nothing unreadable.
    pub fn is_healthy(&self) -> bool {
        self.config_in_sync == Some(true)
            && self.reload_success != Some(false)
            && self.problems.is_empty()
    }
}

/// The targets of one scrape job on one pod.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JobTargets {
    /// `job_name` (Prometheus's scrape pool).
    pub job: String,
    /// Targets whose last scrape succeeded.
    pub up: usize,
    /// Targets whose last scrape failed.
    pub down: usize,
    /// Targets not scraped yet.
    pub unknown: usize,
    /// Targets discovered and dropped by relabeling.
    pub dropped: usize,
    /// A few failing targets and their last error.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub failing: Vec<FailingTarget>,
}

/// A target whose last scrape failed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FailingTarget {
    /// The scrape URL (credentials in it hidden).
    pub url: String,
    /// Prometheus's `lastError`.
    pub last_error: String,
}

/// The data of a Prometheus API answer (`{"status": "success", "data": ...}`).
fn api_data(body: &str) -> Result<Value, String> {
    let value: Value =
        serde_json::from_str(body).map_err(|e| format!("not a Prometheus API answer: {e}"))?;
    match value.get("status").and_then(Value::as_str) {
        Some("success") => Ok(value.get("data").cloned().unwrap_or(Value::Null)),
        _ => Err(format!(
            "the API answered {}",
            value
                .get("error")
                .and_then(Value::as_str)
                .unwrap_or("an error")
        )),
    }
}

/// The data of an answer that arrived, or why there is none.
fn data_of(answer: &Result<String, String>) -> Result<Value, String> {
    answer
        .as_ref()
        .map_err(Clone::clone)
        .and_then(|body| api_data(body))
}

/// The answers of one Prometheus pod: each a body, or why it could not be read.
#[derive(Clone, Debug)]
pub struct PrometheusAnswers {
    /// `/api/v1/status/config`.
    pub config: Result<String, String>,
    /// `/api/v1/status/runtimeinfo`.
    pub runtime_info: Result<String, String>,
    /// `/api/v1/status/buildinfo`.
    pub build_info: Result<String, String>,
    /// `/api/v1/targets?state=any`.
    pub targets: Result<String, String>,
}

/// What a Prometheus pod reports, against `expected`: the Secret's configuration as the
/// config-reloader expands it for this pod.
pub fn prometheus_pod(name: &str, expected: &str, answers: &PrometheusAnswers) -> PodStatus {
    let mut status = PodStatus {
        name: name.to_owned(),
        ..PodStatus::default()
    };
    let mut problems = Vec::new();
    let note = status_problem;
    match data_of(&answers.config) {
        Ok(data) => match data.get("yaml").and_then(Value::as_str) {
            Some(loaded) => match compare_loaded(expected, loaded) {
                Ok(differences) => {
                    status.config_in_sync = Some(differences.is_empty());
                    status.differences = differences;
                }
                Err(e) => problems.push(note("the loaded configuration", &e)),
            },
            None => problems.push(note("the loaded configuration", "no yaml in the answer")),
        },
        Err(e) => problems.push(note("the loaded configuration", &e)),
    }
    match data_of(&answers.runtime_info) {
        Ok(data) => {
            status.reload_success = data.get("reloadConfigSuccess").and_then(Value::as_bool);
            status.last_config_time = data
                .get("lastConfigTime")
                .and_then(Value::as_str)
                .map(str::to_owned);
        }
        Err(e) => problems.push(note("the runtime information", &e)),
    }
    match data_of(&answers.build_info) {
        Ok(data) => {
            status.version = data
                .get("version")
                .and_then(Value::as_str)
                .map(str::to_owned);
        }
        Err(e) => problems.push(note("the build information", &e)),
    }
    match data_of(&answers.targets) {
        Ok(data) => status.jobs = Some(job_targets(&data)),
        Err(e) => problems.push(note("the targets", &e)),
    }
    status.problems = problems;
    status
}

fn status_problem(what: &str, error: &str) -> String {
    format!("{what} could not be read: {error}")
}

/// The answers of one Alertmanager pod: each a body, or why it could not be read.
#[derive(Clone, Debug)]
pub struct AlertmanagerAnswers {
    /// `/api/v2/status`.
    pub status: Result<String, String>,
    /// The config-reloader's [`RELOADER_METRICS_PATH`]: Alertmanager's API says nothing of
    /// reloads, its config-reloader tells whether the last one failed.
    pub reloader_metrics: Result<String, String>,
}

/// What an Alertmanager pod reports (`/api/v2/status`, its config-reloader's metrics), against
/// the Secret's configuration.
pub fn alertmanager_pod(name: &str, expected: &str, answers: &AlertmanagerAnswers) -> PodStatus {
    let mut status = PodStatus {
        name: name.to_owned(),
        ..PodStatus::default()
    };
    match reloader_state(&answers.reloader_metrics) {
        Ok(state) => {
            status.reload_success = state.success;
            status.last_config_time = state.last_success;
            if state.success.is_none() {
                status.reload_unknown = Some("the config-reloader has not reloaded yet".to_owned());
            }
        }
        Err(e) => {
            status.reload_unknown = Some(status_problem("the config-reloader's metrics", &e));
        }
    }
    let value = answers
        .status
        .as_ref()
        .map_err(Clone::clone)
        .and_then(|body| {
            serde_json::from_str::<Value>(body)
                .map_err(|e| format!("not an Alertmanager status: {e}"))
        });
    match value {
        Ok(value) => {
            status.version = value
                .pointer("/versionInfo/version")
                .and_then(Value::as_str)
                .map(str::to_owned);
            match value.pointer("/config/original").and_then(Value::as_str) {
                Some(loaded) => match compare_loaded(expected, loaded) {
                    Ok(differences) => {
                        status.config_in_sync = Some(differences.is_empty());
                        status.differences = differences;
                    }
                    Err(e) => status
                        .problems
                        .push(status_problem("the loaded configuration", &e)),
                },
                None => status.problems.push(status_problem(
                    "the loaded configuration",
                    "no config.original",
                )),
            }
        }
        Err(e) => status.problems.push(status_problem("the status", &e)),
    }
    status
}

/// What the config-reloader's metrics tell of its reloads.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct ReloaderState {
    /// Whether its last reload succeeded (`None`: it has not tried one).
    success: Option<bool>,
    /// When a reload last succeeded, RFC 3339.
    last_success: Option<String>,
}

/// The reload state in the config-reloader's metrics (thanos `pkg/reloader`, which the
/// operator's config-reloader runs): `reloader_last_reload_successful` is 0 after a failed
/// reload, and also before the first one, which `reloader_reloads_total` tells apart. A pod
/// that never reloaded successfully and failed only once is not judged: the reloader's first
/// try may come before Alertmanager listens, and it tries again 5 s later.
fn reloader_state(answer: &Result<String, String>) -> Result<ReloaderState, String> {
    let body = answer.as_ref().map_err(Clone::clone)?;
    let value = |name: &str| -> Option<f64> {
        body.lines().find_map(|line| {
            let mut fields = line.split_whitespace();
            (fields.next()? == name).then_some(())?;
            fields.next()?.parse().ok()
        })
    };
    let last = value("reloader_last_reload_successful")
        .ok_or("no reloader_last_reload_successful in them")?;
    let tried = value("reloader_reloads_total").is_some_and(|n| n > 0.0);
    // Never set before a reload succeeds, and a float of seconds as Go prints it.
    let last_success = value("reloader_last_reload_success_timestamp_seconds")
        .filter(|seconds| *seconds > 0.0)
        .and_then(|seconds| jiff::Timestamp::from_second(seconds as i64).ok())
        .map(|t| t.to_string());
    let failed_again = value("reloader_reloads_failed_total").is_some_and(|n| n > 1.0);
    let success = if last == 1.0 {
        Some(true)
    } else if tried && (last_success.is_some() || failed_again) {
        Some(false)
    } else {
        None
    };
    Ok(ReloaderState {
        success,
        last_success,
    })
}

/// How `loaded` falls short of containing `expected`, top-level sections and scrape jobs by
/// name, and what it holds that `expected` no longer has; empty when it contains all of it and
/// nothing removed since.
pub fn compare_loaded(expected: &str, loaded: &str) -> Result<Vec<String>, String> {
    let expected = yaml::parse(expected).map_err(|e| format!("the Secret's configuration: {e}"))?;
    let loaded = yaml::parse(loaded).map_err(|e| format!("the loaded configuration: {e}"))?;
    let empty = yaml::Map::new();
    let expected = expected.as_map().unwrap_or(&empty);
    let loaded = loaded.as_map().unwrap_or(&empty);
    let mut differences = Vec::new();
    for (key, want) in expected.iter() {
        if key == "scrape_configs" {
            continue;
        }
        match loaded.get(key) {
            None if is_empty(want) => {}
            None => differences.push(format!("{key}: in the Secret, not loaded")),
            Some(got) => {
                if let Some(path) = first_difference(want, got, key) {
                    differences.push(format!("{key}: differs at {path}"));
                }
            }
        }
    }
    // Servers leave empty sections out of what they print, so a section loaded but not in the
    // Secret is one the Secret no longer has: the pod runs a stale configuration. Except those
    // the servers fill with their defaults whether or not the file has them.
    for (key, got) in loaded.iter() {
        if key != "scrape_configs"
            && !SECTIONS_WITH_DEFAULTS.contains(&key)
            && expected.get(key).is_none()
            && !is_empty(got)
        {
            differences.push(format!("{key}: loaded, no longer in the Secret"));
        }
    }
    let jobs = |map: &yaml::Map| -> BTreeMap<String, Yaml> {
        match map.get("scrape_configs") {
            Some(Yaml::Seq(items)) => items
                .iter()
                .filter_map(|job| {
                    let name = job.as_map()?.get("job_name")?.as_str()?.to_owned();
                    Some((name, job.clone()))
                })
                .collect(),
            _ => BTreeMap::new(),
        }
    };
    let (want_jobs, got_jobs) = (jobs(expected), jobs(loaded));
    for (name, want) in &want_jobs {
        match got_jobs.get(name) {
            None => differences.push(format!("scrape job {name}: in the Secret, not loaded")),
            Some(got) => {
                if let Some(path) = first_difference(want, got, "") {
                    differences.push(format!("scrape job {name}: differs at {path}"));
                }
            }
        }
    }
    for name in got_jobs.keys().filter(|n| !want_jobs.contains_key(*n)) {
        differences.push(format!(
            "scrape job {name}: loaded, no longer in the Secret"
        ));
    }
    if differences.len() > MAX_DIFFERENCES {
        let more = differences.len() - MAX_DIFFERENCES;
        differences.truncate(MAX_DIFFERENCES);
        differences.push(format!("... and {more} more"));
    }
    Ok(differences)
}

fn is_empty(value: &Yaml) -> bool {
    match value {
        Yaml::Null => true,
        Yaml::Seq(items) => items.is_empty(),
        Yaml::Map(map) => map.is_empty(),
        Yaml::Str(s) => s.is_empty(),
        _ => false,
    }
}

/// The path of the first place where `loaded` does not contain `expected` (keys Prometheus adds
/// with their defaults are fine; values it hides as secrets match anything); never a value.
fn first_difference(expected: &Yaml, loaded: &Yaml, path: &str) -> Option<String> {
    let here = || {
        if path.is_empty() {
            "the top".to_owned()
        } else {
            path.to_owned()
        }
    };
    match (expected, loaded) {
        (_, Yaml::Str(s)) if s == REDACTED => None,
        (Yaml::Map(want), Yaml::Map(got)) => want.iter().find_map(|(key, value)| {
            let child = if path.is_empty() {
                key.to_owned()
            } else {
                format!("{path}.{key}")
            };
            match got.get(key) {
                Some(found) => first_difference(value, found, &child),
                None if is_empty(value) => None,
                None => Some(child),
            }
        }),
        (Yaml::Seq(want), Yaml::Seq(got)) => {
            if want.len() != got.len() {
                return Some(format!(
                    "{} ({} items, {} loaded)",
                    here(),
                    want.len(),
                    got.len()
                ));
            }
            want.iter()
                .zip(got)
                .enumerate()
                .find_map(|(i, (w, g))| first_difference(w, g, &format!("{path}[{i}]")))
        }
        (want, got) if same_scalar(want, got) => None,
        _ => Some(here()),
    }
}

/// Scalars that mean the same to Prometheus: equal text, equal numbers, or equal durations
/// (`60s` is printed back as `1m`).
fn same_scalar(want: &Yaml, got: &Yaml) -> bool {
    let text = |v: &Yaml| match v {
        Yaml::Str(s) => Some(s.to_string()),
        Yaml::Int(i) => Some(i.to_string()),
        Yaml::Float(f) => Some(f.to_string()),
        Yaml::Bool(b) => Some(b.to_string()),
        Yaml::Null => Some(String::new()),
        _ => None,
    };
    let number = |v: &Yaml| match v {
        Yaml::Int(i) => Some(*i as f64),
        Yaml::Float(f) => Some(*f),
        Yaml::Str(s) => s.parse::<f64>().ok(),
        _ => None,
    };
    let (Some(w), Some(g)) = (text(want), text(got)) else {
        return false;
    };
    if w == g {
        return true;
    }
    if let (Some(a), Some(b)) = (number(want), number(got)) {
        return a == b;
    }
    matches!((Duration::parse(&w), Duration::parse(&g)), (Ok(a), Ok(b)) if a == b)
}

/// The targets of each scrape pool, from `/api/v1/targets?state=any`'s data.
fn job_targets(data: &Value) -> Vec<JobTargets> {
    let mut jobs: BTreeMap<String, JobTargets> = BTreeMap::new();
    for target in array_at(data, "activeTargets") {
        let slot = pool(&mut jobs, text_at(target, "/scrapePool").unwrap_or(""));
        match text_at(target, "/health") {
            Some("up") => slot.up += 1,
            Some("down") => {
                slot.down += 1;
                if slot.failing.len() < MAX_FAILING_TARGETS {
                    // A probed URL's password may sit percent-encoded in a query value.
                    let hidden = |key| {
                        crate::redact::hide_url_passwords_in_queries(
                            text_at(target, key).unwrap_or(""),
                        )
                    };
                    slot.failing.push(FailingTarget {
                        url: hidden("/scrapeUrl"),
                        last_error: hidden("/lastError"),
                    });
                }
            }
            _ => slot.unknown += 1,
        }
    }
    match data.get("droppedTargetCounts").and_then(Value::as_object) {
        Some(counts) => {
            for (job, count) in counts {
                pool(&mut jobs, job).dropped =
                    usize::try_from(count.as_u64().unwrap_or(0)).unwrap_or(usize::MAX);
            }
        }
        None => {
            for target in array_at(data, "droppedTargets") {
                let job = text_at(target, "/scrapePool")
                    .or_else(|| text_at(target, "/discoveredLabels/job"))
                    .unwrap_or("");
                pool(&mut jobs, job).dropped += 1;
            }
        }
    }
    jobs.into_values().collect()
}

/// The counts of one scrape pool, added on first use.
fn pool<'j>(jobs: &'j mut BTreeMap<String, JobTargets>, job: &str) -> &'j mut JobTargets {
    jobs.entry(job.to_owned()).or_insert_with(|| JobTargets {
        job: job.to_owned(),
        ..JobTargets::default()
    })
}

/// The items of the array at `key`, none when it is absent or not an array.
fn array_at<'v>(value: &'v Value, key: &str) -> impl Iterator<Item = &'v Value> {
    value
        .get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}

/// The string at a JSON pointer, when there is one.
fn text_at<'v>(value: &'v Value, pointer: &str) -> Option<&'v str> {
    value.pointer(pointer).and_then(Value::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::monitoring::v1::Prometheus;

    fn ok(data: Value) -> Result<String, String> {
        Ok(serde_json::json!({"status": "success", "data": data}).to_string())
    }

    const SECRET: &str = "global:\n  scrape_interval: 60s\n  external_labels:\n    prometheus_replica: prometheus-k8s-0\nscrape_configs:\n- job_name: a\n  basic_auth:\n    password: hunter2\n  relabel_configs:\n  - source_labels: [x]\n    action: keep\n- job_name: b\n";

    #[test]
    fn loaded_configuration_contains_the_secret() {
        let loaded = "global:\n  scrape_interval: 1m\n  scrape_timeout: 10s\n  external_labels:\n    prometheus_replica: prometheus-k8s-0\nscrape_configs:\n- job_name: a\n  metrics_path: /metrics\n  basic_auth:\n    password: <secret>\n  relabel_configs:\n  - source_labels: [x]\n    separator: ;\n    action: keep\n- job_name: b\n";
        assert_eq!(compare_loaded(SECRET, loaded), Ok(vec![]));
    }

    #[test]
    fn stale_configuration_is_described_without_values() {
        let loaded = "global:\n  scrape_interval: 30s\nscrape_configs:\n- job_name: a\n  basic_auth:\n    password: <secret>\n  relabel_configs: []\n- job_name: old\n";
        let differences = compare_loaded(SECRET, loaded).unwrap();
        assert_eq!(
            differences,
            [
                "global: differs at global.scrape_interval",
                "scrape job a: differs at relabel_configs (1 items, 0 loaded)",
                "scrape job b: in the Secret, not loaded",
                "scrape job old: loaded, no longer in the Secret",
            ]
        );
        assert!(!differences.concat().contains("30s"));
    }

    #[test]
    fn sections_removed_from_the_secret_but_still_loaded_are_stale() {
        // Prometheus prints runtime and otlp with their defaults; empty sections not at all.
        let loaded = format!(
            "{SECRET}runtime:\n  gogc: 75\notlp:\n  translation_strategy: UnderscoreEscapingWithSuffixes\n\
             rule_files: []\nremote_write:\n- url: http://thanos/receive\nalerting:\n  alertmanagers:\n  \
             - static_configs:\n    - targets: [am:9093]\n"
        )
        .replace("password: hunter2", "password: <secret>");
        assert_eq!(
            compare_loaded(SECRET, &loaded),
            Ok(vec![
                "remote_write: loaded, no longer in the Secret".to_owned(),
                "alerting: loaded, no longer in the Secret".to_owned(),
            ])
        );
    }

    #[test]
    fn a_pod_in_sync_and_its_targets() {
        let answers = PrometheusAnswers {
            config: ok(serde_json::json!({"yaml": SECRET})),
            runtime_info: ok(
                serde_json::json!({"reloadConfigSuccess": true, "lastConfigTime": "2026-12-05T10:00:00Z"}),
            ),
            build_info: ok(serde_json::json!({"version": "3.13.2"})),
            targets: ok(serde_json::json!({
                "activeTargets": [
                    {"scrapePool": "a", "health": "up", "scrapeUrl": "http://1:80/metrics"},
                    {"scrapePool": "a", "health": "down", "scrapeUrl": "http://u:pw@2:80/metrics", "lastError": "connection refused"},
                    {"scrapePool": "p", "health": "down", "scrapeUrl": "http://bb:9115/probe?target=https%3A%2F%2Fu%3Ahunter2pw%40h", "lastError": "Get \"http://bb:9115/probe?target=https%3A%2F%2Fu%3Ahunter2pw%40h\": EOF"}
                ],
                "droppedTargets": [],
                "droppedTargetCounts": {"a": 3, "b": 0}
            })),
        };
        let pod = prometheus_pod("prometheus-k8s-0", SECRET, &answers);
        assert_eq!(pod.config_in_sync, Some(true));
        assert_eq!(pod.reload_success, Some(true));
        assert_eq!(pod.version.as_deref(), Some("3.13.2"));
        assert!(pod.is_healthy());
        let jobs = pod.jobs.as_deref().unwrap();
        assert_eq!(jobs[0].up, 1);
        assert_eq!(jobs[0].down, 1);
        assert_eq!(jobs[0].dropped, 3);
        assert_eq!(jobs[0].failing[0].url, "http://u:<secret>@2:80/metrics");
        // A probed URL's password, percent-encoded in the probe's query, is hidden too.
        assert!(!format!("{jobs:?}").contains("hunter2pw"), "{jobs:?}");
    }

    #[test]
    fn the_reloader_environment_is_the_pods_own() {
        // A topology-sharded pod: shard 3 is in-zone shard 1 of zone b.
        let pod = serde_json::json!({
            "metadata": {"name": "prometheus-k8s-shard-3-0",
                         "labels": {"operator.prometheus.io/shard": "3"}},
            "spec": {"nodeName": "n1", "containers": [
                {"name": "prometheus", "ports": [{"name": "web", "containerPort": 9090}]},
                {"name": "config-reloader", "env": [
                    {"name": "POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
                    {"name": "SHARD", "value": "3"},
                    {"name": "INZONE_SHARD", "value": "1"},
                    {"name": "TOPOLOGY_ZONE", "value": "b"},
                    {"name": "NODE_NAME", "valueFrom": {"fieldRef": {"fieldPath": "spec.nodeName"}}}
                ]}
            ]}
        });
        let env = ServerPod::from_json(&pod, "prometheus", Some("web"))
            .unwrap()
            .reloader_environment
            .variables;
        assert_eq!(env["POD_NAME"], "prometheus-k8s-shard-3-0");
        assert_eq!(env["INZONE_SHARD"], "1");
        assert_eq!(env["TOPOLOGY_ZONE"], "b");
        assert_eq!(env["NODE_NAME"], "n1");

        let bare = serde_json::json!({
            "metadata": {"name": "p-0", "labels": {"operator.prometheus.io/shard": "2"}},
            "spec": {"containers": [
                {"name": "prometheus", "ports": [{"name": "web", "containerPort": 9090}]}]}
        });
        let env = ServerPod::from_json(&bare, "prometheus", Some("web"))
            .unwrap()
            .reloader_environment
            .variables;
        assert_eq!(env["SHARD"], "2");
        assert_eq!(env["POD_NAME"], "p-0");
    }

    #[test]
    fn pods_are_found_by_the_port_name_the_spec_gives() {
        let instance = |spec: Value| -> Prometheus {
            serde_json::from_value(serde_json::json!({
                "metadata": {"name": "k8s", "namespace": "monitoring"},
                "spec": spec
            }))
            .unwrap()
        };
        let pod = |ports: Value| {
            serde_json::json!({
                "metadata": {"name": "prometheus-k8s-0"},
                "spec": {"containers": [{"name": "prometheus", "ports": ports}]}
            })
        };
        let renamed = instance(serde_json::json!({"portName": "http-web"}));
        let served = ServedSpec::of(Instance::Prometheus(&renamed));
        assert_eq!(served.web_port_name.as_deref(), Some("http-web"));
        let found = ServerPod::from_json(
            &pod(serde_json::json!([{"name": "http-web", "containerPort": 9090}])),
            "prometheus",
            served.web_port_name.as_deref(),
        );
        assert_eq!(found.map(|p| p.port), Some(Some(9090)));
        // A pod still on the old port name is not one of this spec's.
        let stale = pod(serde_json::json!([{"name": "web", "containerPort": 9090}]));
        assert!(ServerPod::from_json(&stale, "prometheus", Some("http-web")).is_none());

        // Under listenLocal the container has no port: the pod is found, unreachable.
        let mut local = instance(serde_json::json!({"listenLocal": true}));
        let served = ServedSpec::of(Instance::Prometheus(&local));
        assert_eq!(served.web_port_name, None);

        for (prefix, want) in [
            ("/prom/", "/prom/api/v2/status"),
            ("prom", "/prom/api/v2/status"),
            ("/", "/api/v2/status"),
        ] {
            local.spec.route_prefix = Some(prefix.to_owned());
            let served = ServedSpec::of(Instance::Prometheus(&local));
            assert_eq!(served.api_path("/api/v2/status"), want, "{prefix}");
        }
        let found = ServerPod::from_json(&pod(Value::Null), "prometheus", None).unwrap();
        assert_eq!(found.port, None);
        assert!(!localhost_only_pod(&found.name).is_healthy());
    }

    #[test]
    fn an_alertmanager_reload_state_is_its_config_reloaders() {
        let stored = "route:\n  receiver: x\nreceivers:\n- name: x\n";
        let status = Ok(serde_json::json!({"config": {"original": stored}}).to_string());
        let metrics = |text: &str| AlertmanagerAnswers {
            status: status.clone(),
            reloader_metrics: Ok(text.to_owned()),
        };
        let failed = metrics(
            "# HELP reloader_last_reload_successful Whether the last reload attempt was successful\n\
             # TYPE reloader_last_reload_successful gauge\nreloader_last_reload_successful 0\n\
             reloader_last_reload_success_timestamp_seconds 1.7649288e+09\n\
             reloader_reloads_failed_total 4\nreloader_reloads_total 5\n",
        );
        let pod = alertmanager_pod("alertmanager-main-0", stored, &failed);
        assert_eq!(pod.config_in_sync, Some(true));
        assert_eq!(pod.reload_success, Some(false));
        assert_eq!(
            pod.last_config_time.as_deref(),
            Some("2025-12-05T10:00:00Z")
        );
        assert!(!pod.is_healthy());

        let ok = metrics("reloader_reloads_total 1\nreloader_last_reload_successful 1\n");
        let pod = alertmanager_pod("alertmanager-main-0", stored, &ok);
        assert_eq!(
            (pod.reload_success, &pod.reload_unknown),
            (Some(true), &None)
        );
        assert!(pod.is_healthy());

        // Before its first reload the gauge is 0 too: that is no failure.
        let fresh = metrics("reloader_reloads_total 0\nreloader_last_reload_successful 0\n");
        let pod = alertmanager_pod("alertmanager-main-0", stored, &fresh);
        assert_eq!(pod.reload_success, None);
        assert!(pod.is_healthy());
        // Nor is a first try that failed before Alertmanager listened; failing again is.
        let starting = "reloader_reloads_total 1\nreloader_last_reload_successful 0\n";
        let once = metrics(&format!("{starting}reloader_reloads_failed_total 1\n"));
        let pod = alertmanager_pod("alertmanager-main-0", stored, &once);
        assert_eq!(pod.reload_success, None);
        let again = metrics(&format!("{starting}reloader_reloads_failed_total 2\n"));
        let pod = alertmanager_pod("alertmanager-main-0", stored, &again);
        assert_eq!(pod.reload_success, Some(false));

        // Unreadable metrics leave the state unknown, and say why.
        for answer in [
            Err("forbidden".to_owned()),
            Ok("go_goroutines 12\n".to_owned()),
        ] {
            let answers = AlertmanagerAnswers {
                status: status.clone(),
                reloader_metrics: answer,
            };
            let pod = alertmanager_pod("alertmanager-main-0", stored, &answers);
            assert_eq!(pod.reload_success, None);
            assert!(pod.reload_unknown.is_some());
            assert!(pod.is_healthy());
        }
    }

    #[test]
    fn the_pods_the_operator_runs_are_expected() {
        let prometheus = |spec: Value| -> Prometheus {
            serde_json::from_value(serde_json::json!({
                "metadata": {"name": "k8s", "namespace": "monitoring"},
                "spec": spec
            }))
            .unwrap()
        };
        let expected = |spec: Value| ExpectedPods::of(Instance::Prometheus(&prometheus(spec)));
        let sharded = expected(serde_json::json!({"shards": 2, "replicas": 2}));
        assert_eq!(sharded.count(), 4);
        // `-01` is no pod of the StatefulSet, nor a pod of another instance.
        let found = [
            "prometheus-k8s-0",
            "prometheus-k8s-01",
            "prometheus-k8s-other-1",
        ];
        assert_eq!(
            sharded.missing(&found),
            (
                vec![
                    "prometheus-k8s-1".to_owned(),
                    "prometheus-k8s-shard-1-0".to_owned(),
                    "prometheus-k8s-shard-1-1".to_owned(),
                ],
                3
            )
        );
        for (spec, count) in [
            (serde_json::json!({}), 1),
            (serde_json::json!({"replicas": 0}), 0),
            (serde_json::json!({"replicas": -3}), 1),
        ] {
            assert_eq!(expected(spec.clone()).count(), count, "{spec}");
        }
        // Names are made only for the pods listed.
        let huge = expected(serde_json::json!({"shards": 1000, "replicas": i32::MAX}));
        let (listed, all) = huge.missing(&["prometheus-k8s-0"]);
        assert_eq!(listed.len(), MAX_MISSING_PODS);
        assert_eq!(listed[0], "prometheus-k8s-1");
        assert_eq!(all, 1000 * u64::from(i32::MAX.unsigned_abs()) - 1);

        let alertmanager = |spec: Value| -> crate::monitoring::v1::Alertmanager {
            serde_json::from_value(serde_json::json!({
                "metadata": {"name": "main", "namespace": "monitoring"},
                "spec": spec
            }))
            .unwrap()
        };
        let am = ExpectedPods::of(Instance::Alertmanager(&alertmanager(
            serde_json::json!({"replicas": 3}),
        )));
        assert_eq!(
            am.missing(&["alertmanager-main-1"]),
            (
                vec![
                    "alertmanager-main-0".to_owned(),
                    "alertmanager-main-2".to_owned()
                ],
                2
            )
        );
        let negative = alertmanager(serde_json::json!({"replicas": -1}));
        assert_eq!(
            ExpectedPods::of(Instance::Alertmanager(&negative)).count(),
            0
        );
    }

    #[test]
    fn unreadable_answers_are_problems() {
        let answers = PrometheusAnswers {
            config: Err("forbidden".into()),
            runtime_info: Ok("not json".into()),
            build_info: ok(serde_json::json!({})),
            targets: Ok(r#"{"status":"error","error":"bad"}"#.into()),
        };
        let pod = prometheus_pod("p", SECRET, &answers);
        assert_eq!(pod.config_in_sync, None);
        assert_eq!(pod.problems.len(), 3, "{:?}", pod.problems);
        assert!(!pod.is_healthy());
    }
}
