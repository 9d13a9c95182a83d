//! `diff rules prometheus|thanosruler NAME`: the live rule ConfigMaps against the ones the
//! operator would write from the cluster's objects (with local files laid over them), per
//! file, group and rule (exit 0 equal, 1 different).

use std::fmt::Write as _;

use k8s_openapi::api::core::v1::ConfigMap;
use promop::cluster::{Cluster, FetchPlan};
use promop::diff::{ChangeKind, DiffLine, line_diff};
use promop::kinds;
use promop::rules::compare::{self, RuleChange};
use promop::rules::objects;
use promop::snapshot::Snapshot;

use super::CliError;
use super::diff::Args;
use super::input::InputArgs;
use super::live::{self, cluster_error};
use super::output;
use super::render_rules::{operator_options, rule_instance, warn_notes};
use super::target::not_in_cluster;

/// Runs `diff rules ...` (`args.instance` starts with `rules`).
pub fn run(args: &Args) -> Result<(), CliError> {
    let (kind, name) = rule_instance(args.instance.get(1..).unwrap_or_default())?;
    let label = kind.name_label();
    let (snapshot, live_config_maps, namespace) = live::block_on(async {
        let cluster = args.kube.connect().await?;
        let namespace = cluster.namespace().to_owned();
        let snapshot =
            cluster_with_local(&cluster, &args.files, args.recursive, &args.kube).await?;
        let items = cluster
            .list(
                &kinds::CONFIG_MAPS,
                Some(&namespace),
                Some(&format!("{label}={name}")),
            )
            .await
            .map_err(cluster_error)?;
        let config_maps: Vec<ConfigMap> = items
            .into_iter()
            .filter_map(|item| serde_json::from_value(item).ok())
            .collect();
        Ok::<_, CliError>((snapshot, config_maps, namespace))
    })??;
    let options = operator_options(&snapshot, &args.operator)?;
    let instance =
        objects::find_instance(&snapshot, kind, Some(&namespace), &name).map_err(not_in_cluster)?;
    let rules =
        objects::instance_rules(&snapshot, instance, &options).map_err(CliError::invalid)?;
    warn_notes(&rules);
    let live = compare::live_config_maps(instance, &live_config_maps);
    let changes = compare::compare(&live, &rules.config_maps);
    let created = compare::created_config_maps(&live, &rules.config_maps);
    let what = format!("the rule files of {} {namespace}/{name}", instance.kind());
    if changes.is_empty() && created.is_empty() {
        return output::print_text(&format!(
            "no differences: {what} ({} live ConfigMap(s)) are what the PrometheusRules render to\n",
            live.len()
        ));
    }
    let live_names: Vec<&str> = live
        .iter()
        .filter_map(|c| c.metadata.name.as_deref())
        .collect();
    let mut text = format!(
        "--- live (ConfigMaps {})\n+++ rendered from the cluster{}\n",
        if live_names.is_empty() {
            "none".to_owned()
        } else {
            live_names.join(", ")
        },
        if args.files.is_empty() {
            ""
        } else {
            " with local files"
        }
    );
    for config_map in &created {
        let _ = writeln!(
            text,
            "\n+ ConfigMap {namespace}/{config_map}: not in the cluster: the operator would create it"
        );
    }
    for change in &changes {
        describe(&mut text, change);
    }
    let _ = writeln!(
        text,
        "{} difference(s) in {what}",
        created.len() + changes.len()
    );
    output::print_text(&text)?;
    Err(CliError::Differences)
}

/// The cluster's objects, with the local manifests (if any) laid over them.
pub(super) async fn cluster_with_local(
    cluster: &Cluster,
    files: &[std::path::PathBuf],
    recursive: bool,
    kube: &super::kube_args::KubeArgs,
) -> Result<Snapshot, CliError> {
    let plan = FetchPlan {
        workloads: false,
        operator: true,
    };
    let mut snapshot = live::fetch_snapshot_to_compare(cluster, plan).await?;
    if files.is_empty() {
        return Ok(snapshot);
    }
    let local = InputArgs::new(files, recursive).load(kube)?;
    let laid = super::diff::lay_local(&mut snapshot, local, cluster.namespace());
    live::fetch_local_references(cluster, &mut snapshot, &laid).await?;
    Ok(snapshot)
}

fn describe(text: &mut String, change: &RuleChange) {
    let what = match change.kind {
        ChangeKind::Removed => "only live: the operator would remove it",
        ChangeKind::Added => "only rendered: the operator would add it",
        ChangeKind::Modified => "changed",
    };
    let _ = write!(text, "\n{} file {}", change.kind.sign(), change.file);
    if let Some(config_map) = change
        .rendered_config_map
        .as_ref()
        .or(change.live_config_map.as_ref())
    {
        let _ = write!(text, " (ConfigMap {config_map})");
    }
    if let Some(group) = &change.group {
        let _ = write!(text, " group {group:?}");
    }
    if let Some(rule) = &change.rule {
        let _ = write!(text, " {rule}");
    }
    let _ = writeln!(text, ": {what}");
    let old = change.live.as_deref().unwrap_or("");
    let new = change.rendered.as_deref().unwrap_or("");
    for line in line_diff(old, new) {
        let _ = match line {
            DiffLine::Same(l) => writeln!(text, "   {l}"),
            DiffLine::Removed(l) => writeln!(text, "  -{l}"),
            DiffLine::Added(l) => writeln!(text, "  +{l}"),
        };
    }
}
