//! The targets `explain` computes from the objects, beside what each Prometheus pod reports for
//! the same job (`/api/v1/targets?state=any`, read through the pod proxy): health, last error and
//! last scrape of each target; the targets a pod dropped, matched to the rule our relabeling says
//! dropped them; and where the computed and the live views disagree, the likely reason.
//!
//! Targets are matched by the discovered `__address__`, which both views have before
//! relabeling.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use crate::explain::MonitorExplanation;
use crate::explain::targets::{DroppedBy, TargetExplanation};
use crate::instance::{self, InstanceKind};
use crate::redact::{hide_url_passwords_in_queries, shown_address};
use crate::snapshot::Snapshot;
use crate::status::ServedSpec;
use crate::workload::Instance;

/// Targets of one answer read at most (active and dropped together); the rest are counted.
pub const MAX_LIVE_TARGETS: usize = 100_000;

/// What one pod reports about its targets.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PodTargets {
    /// The pod.
    pub pod: String,
    /// Targets it scrapes, keyed by (scrape pool, discovered address).
    pub active: BTreeMap<(String, String), ActiveTarget>,
    /// Targets its relabeling dropped: (scrape pool, discovered address).
    pub dropped: Vec<(String, String)>,
    /// Targets beyond [`MAX_LIVE_TARGETS`], not read.
    pub unread: usize,
}

/// A target a pod scrapes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ActiveTarget {
    /// `up`, `down` or `unknown`.
    pub health: String,
    /// The last scrape's error, empty when it succeeded (any URL password in it hidden).
    pub last_error: String,
    /// When it was last scraped (RFC 3339).
    pub last_scrape: String,
    /// The URL scraped, its passwords hidden (a probed URL's in a query value too).
    pub scrape_url: String,
}

/// The path of one job's targets in a Prometheus API: `scrapePool` (Prometheus 2.42 and
/// later; older ones ignore it and answer every job) keeps a large server's answer to the job.
/// A job name that would need escaping in a query (the operator's never do) asks for every job.
pub fn job_targets_path(job: &str) -> String {
    let plain = (job.bytes()).all(|b| b.is_ascii_alphanumeric() || b"/_.:-".contains(&b));
    if plain && !job.is_empty() {
        format!("/api/v1/targets?state=any&scrapePool={job}")
    } else {
        "/api/v1/targets?state=any".to_owned()
    }
}

impl PodTargets {
    /// Whether the answer holds targets of another job than `job`: the server answered every
    /// job, not the one asked for.
    pub fn holds_other_jobs(&self, job: &str) -> bool {
        (self.active.keys().map(|(pool, _)| pool))
            .chain(self.dropped.iter().map(|(pool, _)| pool))
            .any(|pool| pool != job)
    }

    /// Adds what `other`, another answer of the same pod, holds.
    pub fn absorb(&mut self, other: PodTargets) {
        self.active.extend(other.active);
        self.dropped.extend(other.dropped);
        self.dropped.sort_unstable();
        self.dropped.dedup();
        self.unread += other.unread;
    }
}

/// The targets in `body`, a `/api/v1/targets?state=any` answer of `pod`.
pub fn pod_targets(pod: &str, body: &str) -> Result<PodTargets, String> {
    let value: Value =
        serde_json::from_str(body).map_err(|e| format!("not a Prometheus API answer: {e}"))?;
    if value.get("status").and_then(Value::as_str) != Some("success") {
        return Err("the targets API answered an error".to_owned());
    }
    let text = |v: &Value, key: &str| v.get(key).and_then(Value::as_str).unwrap_or("").to_owned();
    // Before Prometheus 3.3 a dropped target names no scrape pool; its discovered labels
    // still hold the job's name.
    let pool = |v: &Value| match text(v, "scrapePool") {
        pool if pool.is_empty() => (v.pointer("/discoveredLabels/job"))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned(),
        pool => pool,
    };
    // Hidden as the computed addresses are, which they are matched with.
    let address = |v: &Value| {
        shown_address(
            v.pointer("/discoveredLabels/__address__")
                .and_then(Value::as_str)
                .unwrap_or(""),
        )
    };
    let list = |key: &str| {
        value
            .pointer(&format!("/data/{key}"))
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    };
    let mut targets = PodTargets {
        pod: pod.to_owned(),
        ..PodTargets::default()
    };
    let mut budget = MAX_LIVE_TARGETS;
    for target in list("activeTargets") {
        if budget == 0 {
            targets.unread += 1;
            continue;
        }
        budget -= 1;
        targets.active.insert(
            (pool(target), address(target)),
            ActiveTarget {
                health: text(target, "health"),
                last_error: hide_url_passwords_in_queries(&text(target, "lastError")),
                last_scrape: text(target, "lastScrape"),
                scrape_url: hide_url_passwords_in_queries(&text(target, "scrapeUrl")),
            },
        );
    }
    for target in list("droppedTargets") {
        if budget == 0 {
            targets.unread += 1;
            continue;
        }
        budget -= 1;
        targets.dropped.push((pool(target), address(target)));
    }
    Ok(targets)
}

/// What one pod says of one target.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "state")]
pub enum LiveState {
    /// It scrapes it.
    Scraped {
        /// The pod.
        pod: String,
        /// How the scrapes go.
        #[serde(flatten)]
        target: ActiveTarget,
    },
    /// Its relabeling dropped it.
    Dropped {
        /// The pod.
        pod: String,
    },
    /// It does not know the target.
    Absent {
        /// The pod.
        pod: String,
    },
}

/// One target, computed and live.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LiveComparison {
    /// The discovered address.
    pub address: String,
    /// Whether our engine keeps it; `None` for a target only the pods know.
    pub computed_kept: Option<bool>,
    /// The rule our engine says drops it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dropped_by: Option<DroppedBy>,
    /// Each pod's view.
    pub pods: Vec<LiveState>,
    /// Where the views disagree, why that likely is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disagreement: Option<String>,
}

/// The targets of job `job` as computed and as each pod of `pods` reports them; a sharded
/// instance's pods only scrape their shard's targets, so a target computed for another shard
/// is expected to be absent from a pod of `shard_of_pod`.
pub fn compare_job(
    job: &str,
    computed: &[TargetExplanation],
    pods: &[PodTargets],
    shard_of_pod: &dyn Fn(&str) -> Option<u64>,
) -> Vec<LiveComparison> {
    let mut comparisons: Vec<LiveComparison> = computed
        .iter()
        .map(|target| {
            let views: Vec<LiveState> = pods
                .iter()
                .filter(|p| {
                    target.shard.is_none()
                        || shard_of_pod(&p.pod).is_none_or(|s| Some(s) == target.shard)
                })
                .map(|p| view(p, job, &target.address))
                .collect();
            let disagreement =
                unread_by(pods, &views).or_else(|| disagreement(target.kept, &views));
            LiveComparison {
                address: target.address.clone(),
                computed_kept: Some(target.kept),
                dropped_by: target.dropped_by.clone(),
                pods: views,
                disagreement,
            }
        })
        .collect();
    let mut live_only: BTreeMap<&str, Vec<LiveState>> = BTreeMap::new();
    for pod in pods {
        let known = pod
            .active
            .keys()
            .filter(|(pool, _)| pool == job)
            .map(|(_, address)| address.as_str())
            .chain(
                pod.dropped
                    .iter()
                    .filter(|(pool, _)| pool == job)
                    .map(|(_, address)| address.as_str()),
            );
        for address in known {
            if !computed.iter().any(|t| t.address == address) {
                live_only
                    .entry(address)
                    .or_default()
                    .push(view(pod, job, address));
            }
        }
    }
    for (address, views) in live_only {
        comparisons.push(LiveComparison {
            address: address.to_owned(),
            computed_kept: None,
            dropped_by: None,
            pods: views,
            disagreement: Some(
                "discovered live only: the objects behind it are not in the input, or changed since it was read"
                    .to_owned(),
            ),
        });
    }
    comparisons
}

/// The instance whose pods report on the targets of an explanation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LiveInstance {
    /// Prometheus or PrometheusAgent.
    pub kind: InstanceKind,
    /// Its namespace.
    pub namespace: String,
    /// Its name.
    pub name: String,
    /// How its pods serve their API: TLS, web port, route prefix.
    pub served: ServedSpec,
}

/// The instance the targets of `explanation` were computed for, when `snapshot` holds it.
pub fn live_instance(
    snapshot: &Snapshot,
    explanation: &MonitorExplanation,
) -> Option<LiveInstance> {
    let (kind, key) = explanation.targets_from.as_deref()?.split_once(' ')?;
    let (namespace, name) = key.split_once('/')?;
    let agent = kind == "PrometheusAgent";
    let target = instance::find_target(snapshot, agent, Some(namespace), name).ok()?;
    Some(LiveInstance {
        kind: if agent {
            InstanceKind::PrometheusAgent
        } else {
            InstanceKind::Prometheus
        },
        namespace: namespace.to_owned(),
        name: name.to_owned(),
        served: ServedSpec::of(Instance::from(target)),
    })
}

/// The live view of one endpoint's job.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LiveJob {
    /// The scrape job.
    pub job: String,
    /// Its targets, computed and live.
    pub targets: Vec<LiveComparison>,
}

/// Every endpoint of `explanation` compared with what `pods` report.
pub fn compare_monitor(
    explanation: &MonitorExplanation,
    pods: &[PodTargets],
    shard_of_pod: &dyn Fn(&str) -> Option<u64>,
) -> Vec<LiveJob> {
    explanation
        .endpoints
        .iter()
        .map(|endpoint| LiveJob {
            job: endpoint.job.clone(),
            targets: compare_job(&endpoint.job, &endpoint.targets, pods, shard_of_pod),
        })
        .collect()
}

fn view(pod: &PodTargets, job: &str, address: &str) -> LiveState {
    let key = (job.to_owned(), address.to_owned());
    if let Some(target) = pod.active.get(&key) {
        LiveState::Scraped {
            pod: pod.pod.clone(),
            target: target.clone(),
        }
    } else if pod.dropped.contains(&key) {
        LiveState::Dropped {
            pod: pod.pod.clone(),
        }
    } else {
        LiveState::Absent {
            pod: pod.pod.clone(),
        }
    }
}

/// When a pod that does not report the target left targets of its answer unread (past
/// [`MAX_LIVE_TARGETS`]): the target may be among them.
fn unread_by(pods: &[PodTargets], views: &[LiveState]) -> Option<String> {
    let unread: Vec<String> = pods
        .iter()
        .filter(|p| p.unread > 0)
        .filter(|p| {
            views
                .iter()
                .any(|v| matches!(v, LiveState::Absent { pod } if *pod == p.pod))
        })
        .map(|p| format!("{} ({} not read)", p.pod, p.unread))
        .collect();
    (!unread.is_empty()).then(|| {
        format!(
            "not among the targets read from {}: a pod's answer is read up to {MAX_LIVE_TARGETS} \
             targets (MAX_LIVE_TARGETS), and this one may be among the rest",
            unread.join(", ")
        )
    })
}

fn disagreement(kept: bool, views: &[LiveState]) -> Option<String> {
    let pods = |wanted: fn(&LiveState) -> bool| -> Vec<&str> {
        views
            .iter()
            .filter(|v| wanted(v))
            .map(|v| match v {
                LiveState::Scraped { pod, .. }
                | LiveState::Dropped { pod }
                | LiveState::Absent { pod } => pod.as_str(),
            })
            .collect()
    };
    let absent = pods(|v| matches!(v, LiveState::Absent { .. }));
    let scraped = pods(|v| matches!(v, LiveState::Scraped { .. }));
    let dropped = pods(|v| matches!(v, LiveState::Dropped { .. }));
    if !absent.is_empty() {
        Some(format!(
            "not discovered by {}: discovery lag, a stale configuration (see `status`), or the Prometheus service account may not list the objects (RBAC)",
            absent.join(", ")
        ))
    } else if kept && !dropped.is_empty() {
        Some(format!(
            "computed as kept, dropped by {}: the pod runs another configuration (see `status`)",
            dropped.join(", ")
        ))
    } else if !kept && !scraped.is_empty() {
        Some(format!(
            "computed as dropped, scraped by {}: the pod runs another configuration (see `status`)",
            scraped.join(", ")
        ))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const JOB: &str = "serviceMonitor/shop/web/0";

    fn answer() -> String {
        serde_json::json!({"status": "success", "data": {
            "activeTargets": [
                {"scrapePool": JOB, "discoveredLabels": {"__address__": "10.0.0.1:8080"},
                 "scrapeUrl": "http://u:pw@10.0.0.1:8080/metrics", "health": "down",
                 "lastError": "connection refused", "lastScrape": "2026-12-05T10:00:00Z"},
                {"scrapePool": JOB, "discoveredLabels": {"__address__": "10.0.0.9:8080"},
                 "scrapeUrl": "http://10.0.0.9:8080/metrics", "health": "up", "lastError": ""},
            ],
            "droppedTargets": [
                {"scrapePool": JOB, "discoveredLabels": {"__address__": "10.0.0.1:9090"}},
            ],
        }})
        .to_string()
    }

    fn computed(address: &str, kept: bool) -> TargetExplanation {
        TargetExplanation {
            address: address.to_owned(),
            source: "endpoints/shop/web".to_owned(),
            ready: Some(true),
            kept,
            labels: Default::default(),
            dropped_by: (!kept).then(|| DroppedBy {
                index: 0,
                rule: "keep __meta_kubernetes_endpoint_port_name =~ web".to_owned(),
                written_at: None,
                value: Some("http".to_owned()),
            }),
            error: None,
            shard: None,
        }
    }

    #[test]
    fn answers_per_job_merge_and_old_dropped_targets_name_their_job_by_label() {
        assert_eq!(
            job_targets_path("serviceMonitor/shop/web/0"),
            "/api/v1/targets?state=any&scrapePool=serviceMonitor/shop/web/0"
        );
        assert_eq!(job_targets_path("a b&c"), "/api/v1/targets?state=any");
        // Prometheus before 3.3: a dropped target has no scrapePool.
        let old = serde_json::json!({"status": "success", "data": {"activeTargets": [],
            "droppedTargets": [{"discoveredLabels": {"__address__": "10.0.0.3:9090", "job": JOB}}]}});
        let mut pod = pod_targets("p", &answer()).unwrap();
        pod.absorb(pod_targets("p", &old.to_string()).unwrap());
        pod.absorb(pod_targets("p", &old.to_string()).unwrap());
        let dropped: Vec<&str> = (pod.dropped.iter())
            .filter(|(job, _)| job == JOB)
            .map(|(_, address)| address.as_str())
            .collect();
        assert!(dropped.contains(&"10.0.0.3:9090"), "{dropped:?}");
        assert_eq!(dropped.iter().filter(|a| **a == "10.0.0.3:9090").count(), 1);
        // A server that ignored scrapePool answered other jobs too.
        assert!(!pod.holds_other_jobs(JOB) || pod.active.keys().any(|(job, _)| job != JOB));
        let mut other = pod_targets("p", &old.to_string()).unwrap();
        other
            .dropped
            .push(("serviceMonitor/x/y/0".to_owned(), "h:1".to_owned()));
        assert!(other.holds_other_jobs(JOB));
        assert!(
            !pod_targets("p", &old.to_string())
                .unwrap()
                .holds_other_jobs(JOB)
        );
    }

    #[test]
    fn computed_and_live_side_by_side() {
        let pod = pod_targets("prometheus-k8s-0", &answer()).unwrap();
        let targets = [
            computed("10.0.0.1:8080", true),
            computed("10.0.0.1:9090", false),
            computed("10.0.0.2:8080", true),
        ];
        let rows = compare_job(JOB, &targets, &[pod], &|_| None);
        assert_eq!(rows.len(), 4);
        match &rows[0].pods[0] {
            LiveState::Scraped { target, .. } => {
                assert_eq!(target.health, "down");
                assert_eq!(target.last_error, "connection refused");
                assert!(!target.scrape_url.contains("pw"), "{}", target.scrape_url);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(rows[0].disagreement, None);
        // Dropped by both: agreement.
        assert!(matches!(rows[1].pods[0], LiveState::Dropped { .. }));
        assert_eq!(rows[1].disagreement, None);
        // Computed, never discovered live.
        assert!(rows[2].disagreement.as_deref().unwrap().contains("RBAC"));
        // Known live only.
        assert_eq!(rows[3].address, "10.0.0.9:8080");
        assert_eq!(rows[3].computed_kept, None);
    }

    #[test]
    fn credentialed_addresses_match_hidden_and_unread_targets_are_said() {
        let answer = serde_json::json!({"status": "success", "data": {
            "activeTargets": [
                {"scrapePool": "probe/shop/site", "discoveredLabels":
                    {"__address__": "https://alice:s3cr3tpw@intranet.example/health"},
                 "scrapeUrl": "http://blackbox:9115/probe?target=https%3A%2F%2Falice%3As3cr3tpw%40intranet.example%2Fhealth",
                 "health": "up", "lastError": ""},
            ],
            "droppedTargets": [],
        }})
        .to_string();
        let pod = pod_targets("prometheus-k8s-0", &answer).unwrap();
        assert!(!format!("{pod:?}").contains("s3cr3tpw"), "{pod:?}");
        let target = computed("https://alice:<secret>@intranet.example/health", true);
        let rows = compare_job(
            "probe/shop/site",
            &[target],
            std::slice::from_ref(&pod),
            &|_| None,
        );
        assert_eq!(rows.len(), 1);
        assert!(matches!(rows[0].pods[0], LiveState::Scraped { .. }));

        let truncated = PodTargets { unread: 7, ..pod };
        let rows = compare_job(
            JOB,
            &[computed("10.0.0.5:8080", true)],
            &[truncated],
            &|_| None,
        );
        let why = rows[0].disagreement.as_deref().unwrap();
        assert!(
            why.contains("7 not read") && why.contains("MAX_LIVE_TARGETS"),
            "{why}"
        );
    }

    #[test]
    fn a_pod_of_another_shard_is_not_expected_to_know_the_target() {
        let pod = pod_targets("prometheus-k8s-shard-1-0", &answer()).unwrap();
        let mut target = computed("10.0.0.2:8080", true);
        target.shard = Some(0);
        let rows = compare_job(JOB, &[target], &[pod], &|_| Some(1));
        assert!(rows[0].pods.is_empty());
        assert_eq!(rows[0].disagreement, None);
    }

    #[test]
    fn an_error_answer_is_an_error() {
        assert!(pod_targets("p", "{\"status\":\"error\",\"error\":\"x\"}").is_err());
        assert!(pod_targets("p", "not json").is_err());
    }
}
