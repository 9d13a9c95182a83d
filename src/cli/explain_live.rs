//! `explain servicemonitor|podmonitor|probe NAME --live`: beside each computed target, what
//! each pod of the Prometheus reports for it, read through the API server's pod proxy (one
//! request per pod and job).

use std::fmt::Write as _;

use futures::future::join_all;
use promop::cluster::Cluster;
use promop::explain::MonitorExplanation;
use promop::kinds;
use promop::live_targets::{self, LiveJob, LiveState, PodTargets};
use promop::snapshot::Snapshot;
use promop::status::{LOCALHOST_ONLY, ServerPod};

use super::output::terminal_safe;

/// Pods queried at once.
const PARALLEL_PODS: usize = 8;

/// What the pods of the explanation's instance report, per endpoint job, and what could not be
/// read.
pub(super) async fn live_jobs(
    cluster: &Cluster,
    snapshot: &Snapshot,
    explanation: &MonitorExplanation,
) -> (Vec<LiveJob>, Vec<String>) {
    let Some(instance) = live_targets::live_instance(snapshot, explanation) else {
        return (
            Vec::new(),
            vec!["--live: no instance to read the targets of".to_owned()],
        );
    };
    let selector = instance.kind.pod_selector(&instance.name);
    let pods: Vec<ServerPod> = match cluster
        .list(&kinds::PODS, Some(&instance.namespace), Some(&selector))
        .await
    {
        Ok(pods) => pods
            .iter()
            .filter_map(|pod| {
                ServerPod::from_json(
                    pod,
                    instance.kind.main_container(),
                    instance.served.web_port_name.as_deref(),
                )
            })
            .collect(),
        Err(e) => return (Vec::new(), vec![format!("--live: {e}")]),
    };
    if pods.is_empty() {
        return (
            Vec::new(),
            vec![format!(
                "--live: no running pod of {} {}/{} ({selector})",
                instance.kind.resource().kind,
                instance.namespace,
                instance.name
            )],
        );
    }
    let mut problems = Vec::new();
    let mut answers: Vec<PodTargets> = Vec::new();
    let jobs: Vec<&str> = explanation
        .endpoints
        .iter()
        .map(|e| e.job.as_str())
        .collect();
    for chunk in pods.chunks(PARALLEL_PODS) {
        let read = join_all(chunk.iter().map(|pod| async {
            let port = pod.port.ok_or(LOCALHOST_ONLY)?;
            let mut targets = PodTargets {
                pod: pod.name.clone(),
                ..PodTargets::default()
            };
            for job in &jobs {
                let body = cluster
                    .pod_proxy_get(
                        &instance.namespace,
                        &pod.name,
                        port,
                        instance.served.tls,
                        &instance
                            .served
                            .api_path(&live_targets::job_targets_path(job)),
                    )
                    .await
                    .map_err(|e| e.to_string())?;
                let answer = live_targets::pod_targets(&pod.name, &body)?;
                // A server before 2.42 ignores `scrapePool` and answers every job: once is
                // enough.
                let every_job = answer.holds_other_jobs(job);
                targets.absorb(answer);
                if every_job {
                    break;
                }
            }
            Ok::<_, String>(targets)
        }))
        .await;
        for (pod, result) in chunk.iter().zip(read) {
            match result {
                Ok(targets) => answers.push(targets),
                Err(e) => problems.push(format!("--live: pod {}: {e}", pod.name)),
            }
        }
    }
    let shard_of = |name: &str| {
        pods.iter()
            .find(|p| p.name == name)
            .map(|p| u64::from(p.shard))
    };
    (
        live_targets::compare_monitor(explanation, &answers, &shard_of),
        problems,
    )
}

/// The live section of the table output.
pub(super) fn live_text(jobs: &[LiveJob], problems: &[String]) -> String {
    let mut text = String::new();
    for problem in problems {
        let _ = writeln!(text, "problem: {}", terminal_safe(problem, false));
    }
    for job in jobs {
        let _ = writeln!(text, "\nlive: job {}", terminal_safe(&job.job, false));
        if job.targets.is_empty() {
            let _ = writeln!(text, "  no target, computed or live");
        }
        for target in &job.targets {
            let computed = match (target.computed_kept, &target.dropped_by) {
                (Some(true), _) => "computed: kept".to_owned(),
                (Some(false), Some(rule)) => {
                    format!(
                        "computed: dropped by relabel_configs[{}]: {}",
                        rule.index, rule.rule
                    )
                }
                (Some(false), None) => "computed: dropped".to_owned(),
                (None, _) => "computed: -".to_owned(),
            };
            let _ = writeln!(
                text,
                "  {}  {}",
                terminal_safe(&target.address, false),
                terminal_safe(&computed, false)
            );
            for state in &target.pods {
                let line = match state {
                    LiveState::Scraped { pod, target } => {
                        let mut line = format!("{pod}: {}", target.health);
                        if !target.last_scrape.is_empty() {
                            let _ = write!(line, ", last scrape {}", target.last_scrape);
                        }
                        if !target.last_error.is_empty() {
                            let _ = write!(line, ", last error: {}", target.last_error);
                        }
                        line
                    }
                    LiveState::Dropped { pod } => format!("{pod}: dropped by relabeling"),
                    LiveState::Absent { pod } => format!("{pod}: not discovered"),
                };
                let _ = writeln!(text, "    {}", terminal_safe(&line, false));
            }
            if let Some(why) = &target.disagreement {
                let _ = writeln!(text, "    differs: {}", terminal_safe(why, false));
            }
        }
    }
    text
}
