//! `diff statefulset prometheus|prometheusagent|alertmanager NAME`: the live workload against
//! the one the operator would write: what it would change back (exit 0 equal, 1 different).

use std::fmt::Write as _;

use promop::diff::ChangeKind;
use promop::kinds;
use promop::workload::Workload;
use promop::workload::objects::{self, FieldChange};

use super::CliError;
use super::diff::Args;
use super::diff_rules::cluster_with_local;
use super::live::{self, cluster_error};
use super::output;
use super::render_rules::operator_options;
use super::render_workload::workload_instance;
use super::target::not_in_cluster;

/// Runs `diff statefulset ...` (`args.instance` starts with `statefulset`).
pub fn run(args: &Args) -> Result<(), CliError> {
    let (kind, name) = workload_instance(args.instance.get(1..).unwrap_or_default())?;
    let (rendered, live_objects, leftovers, namespace) = live::block_on(async {
        let cluster = args.kube.connect().await?;
        let namespace = cluster.namespace().to_owned();
        let snapshot =
            cluster_with_local(&cluster, &args.files, args.recursive, &args.kube).await?;
        let options = operator_options(&snapshot, &args.operator)?;
        let instance = objects::find_instance(&snapshot, kind, Some(&namespace), &name)
            .map_err(not_in_cluster)?;
        let generated = objects::instance_workloads(&snapshot, instance, &options)
            .map_err(CliError::invalid)?;
        output::warn_not_reconciled(generated.ignored.as_deref(), "it creates none of these");
        // Shards beyond the spec that are still running: the operator deletes or retains them.
        let leftovers = match objects::shard_selector(instance) {
            Some(selector) => {
                let live_shards = cluster
                    .list(&kinds::STATEFUL_SETS, Some(&namespace), Some(&selector))
                    .await
                    .map_err(cluster_error)?;
                objects::leftover_shards(instance, &options, &generated, &live_shards)
            }
            None => Vec::new(),
        };
        let mut live_objects = Vec::new();
        for g in &generated.workloads {
            let resource = match g.object {
                Workload::StatefulSet(_) => &kinds::STATEFUL_SETS,
                Workload::DaemonSet(_) => &kinds::DAEMON_SETS,
            };
            let live = cluster
                .get(resource, Some(&namespace), g.object.name())
                .await
                .map_err(cluster_error)?;
            live_objects.push(live);
        }
        Ok::<_, CliError>((generated.workloads, live_objects, leftovers, namespace))
    })??;
    for warning in rendered.iter().flat_map(|g| &g.warnings) {
        output::warn(&format!("{}: {}", warning.field, warning.message));
    }
    let mut text = String::new();
    let mut total = 0;
    for (generated, live) in rendered.iter().zip(&live_objects) {
        let object = &generated.object;
        let what = format!("{} {namespace}/{}", object.kind(), object.name());
        let Some(live) = live else {
            total += 1;
            let _ = writeln!(
                text,
                "+ {what}: not in the cluster: the operator would create it"
            );
            continue;
        };
        let changes = objects::compare_workload(live, &object.to_json());
        if changes.is_empty() {
            let _ = writeln!(
                text,
                "no differences: {what} is what the operator would write (fields it sets)"
            );
            continue;
        }
        total += changes.len();
        let _ = writeln!(text, "--- live {what}\n+++ what the operator would write");
        for change in &changes {
            describe(&mut text, change, args.show_secrets);
        }
        let _ = writeln!(text, "{} difference(s) in {what}", changes.len());
    }
    for leftover in &leftovers {
        // A retained shard is what the operator leaves as it is: not a difference.
        if leftover.fate == objects::LeftoverFate::Deleted {
            total += 1;
        }
        let what = format!("StatefulSet {namespace}/{}", leftover.name);
        let _ = match &leftover.fate {
            objects::LeftoverFate::Deleted => writeln!(
                text,
                "- {what}: a shard beyond the spec: the operator would delete it"
            ),
            objects::LeftoverFate::Retained { deadline: None } => writeln!(
                text,
                "- {what}: a shard beyond the spec, retained (spec.shardRetentionPolicy): the \
                 operator sets its deletion deadline on its next reconciliation"
            ),
            objects::LeftoverFate::Retained {
                deadline: Some(deadline),
            } => writeln!(
                text,
                "- {what}: a shard beyond the spec, retained (spec.shardRetentionPolicy) until \
                 {deadline} ({})",
                objects::DELETION_DEADLINE_ANNOTATION
            ),
        };
    }
    output::print_text(&text)?;
    if total == 0 {
        Ok(())
    } else {
        Err(CliError::Differences)
    }
}

/// One difference: the workloads were compared as they are; only what is shown has URL
/// passwords hidden (unless `show_secrets`).
fn describe(text: &mut String, change: &FieldChange, show_secrets: bool) {
    let compact = |v: &Option<serde_json::Value>| {
        v.as_ref()
            .map(|v| {
                let mut v = v.clone();
                if !show_secrets {
                    promop::redact::redact_json_url_passwords(&mut v);
                }
                serde_json::to_string(&v).unwrap_or_default()
            })
            .unwrap_or_default()
    };
    let what = match change.kind {
        ChangeKind::Added => "missing live: the operator would add it",
        ChangeKind::Removed => "only live: the operator would remove it",
        ChangeKind::Modified => "changed: the operator would restore it",
    };
    let _ = writeln!(text, "{} {}: {what}", change.kind.sign(), change.path);
    let (live, rendered) = (compact(&change.live), compact(&change.rendered));
    if change.live.is_some() && change.rendered.is_some() && live == rendered {
        let _ = writeln!(
            text,
            "  only credential values differ (--show-secrets shows them)"
        );
        return;
    }
    if change.live.is_some() {
        let _ = writeln!(text, "  -{live}");
    }
    if change.rendered.is_some() {
        let _ = writeln!(text, "  +{rendered}");
    }
}
