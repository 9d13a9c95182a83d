//! `kubectl promop apply`: validates every document, lets the API server check them all (a
//! server-side dry run), then server-side applies them with field manager `kubectl-promop` —
//! or applies nothing when any document is invalid or refused. Objects in a Namespace the
//! input creates can only be checked once it exists: after every other object passed, those
//! Namespaces are written first, then the objects in them checked, then the rest written.
//!
//! Exit codes: 0 applied; 1 invalid input, a conflict, or an object the API server refuses
//! (400, 422: nothing is written); 2 usage, I/O or any other API error, or a refusal of an
//! object in a Namespace written first (the message names the Namespaces and how to delete
//! them).

use std::collections::{BTreeMap, BTreeSet};

use anyhow::anyhow;
use promop::cluster::{ApplyOptions, ApplyResult, Cluster, ClusterError};
use promop::instance::generated_by_operator;
use promop::kinds::{self, Resource};
use promop::schema::{self, Report};
use serde_json::Value;

use super::CliError;
use super::kube_args::KubeArgs;
use super::live::block_on;
use super::output::{print_text, warn};
use super::validate::{CheckedFiles, live_snapshot, text_report};

/// The field manager of every apply.
const FIELD_MANAGER: &str = "kubectl-promop";
/// Conflicting fields shown for one object; the rest are counted.
const MAX_CONFLICTS_SHOWN: usize = 20;

/// Arguments of `apply`.
#[derive(Debug, clap::Args)]
#[command(mut_arg("namespace", |arg| arg.help(super::kube_args::NAMESPACE_OF_MANIFESTS)))]
pub struct Args {
    #[command(flatten)]
    checked: CheckedFiles,
    /// Take over fields that another field manager owns.
    #[arg(long)]
    force_conflicts: bool,
    /// `server`: the API server checks and answers, and stores nothing; `client`: nothing is
    /// sent but reads; `none` (the default without the flag): applied. `--dry-run` alone is
    /// `client`, as kubectl reads it.
    #[arg(long, value_enum, value_name = "MODE", num_args = 0..=1, default_missing_value = "client")]
    dry_run: Option<DryRun>,
    #[command(flatten)]
    kube: KubeArgs,
}

/// `--dry-run` modes, as kubectl names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum DryRun {
    None,
    Server,
    Client,
}

/// One object to apply, as written.
struct Item {
    ty: &'static Resource,
    body: Value,
    describe: String,
    /// Who selects its kind, and the instances that select it.
    selected_by: Option<(&'static str, Vec<String>)>,
}

/// Runs `apply`.
pub fn run(args: &Args) -> Result<(), CliError> {
    let (sources, unreadable) = args.checked.read(&args.kube)?;
    block_on(apply(args, sources, unreadable))?
}

async fn apply(
    args: &Args,
    sources: Vec<schema::Source>,
    unreadable: Vec<schema::Problem>,
) -> Result<(), CliError> {
    let live = live_snapshot(&args.kube, &sources).await?;
    let report = args.checked.validate(&sources, unreadable, Some(&live));
    if !report.is_valid() {
        let mut text = text_report(&report, false);
        text.push_str("nothing applied: fix the errors above\n");
        print_text(&text)?;
        return Err(CliError::Differences);
    }
    for problem in &report.problems {
        warn(&problem.to_string());
    }
    let cluster = args.kube.connect().await?;
    let items = items(&cluster, &sources, &report).await?;
    if let Some(namespace) = args.kube.namespace() {
        namespace_matches(&items, namespace)?;
    }
    let dry_run = args.dry_run.unwrap_or(DryRun::None);
    let waiting = if dry_run == DryRun::Client {
        Vec::new()
    } else {
        server_checks(&cluster, &items, args.force_conflicts).await?
    };
    let mut written_first = if dry_run == DryRun::None && !waiting.is_empty() {
        check_in_new_namespaces(&cluster, &items, &waiting, args.force_conflicts).await?
    } else {
        BTreeMap::new()
    };
    let suffix = match dry_run {
        DryRun::None => "",
        DryRun::Server => " (server dry run)",
        DryRun::Client => " (dry run)",
    };
    let mut tally = Tally::default();
    let mut stopped_by: Option<ClusterError> = None;
    for (index, item) in items.iter().enumerate() {
        if stopped_by.is_some() {
            tally.not_attempted += 1;
            print_text(&format!(
                "{}: not applied (stopped after the failure above)\n",
                item.describe
            ))?;
            continue;
        }
        if dry_run == DryRun::Server && waiting.contains(&index) {
            print_text(&format!(
                "{}: not checked (server dry run): its Namespace {} does not exist yet (this input creates it)\n",
                item.describe,
                item_namespace(item, &cluster).unwrap_or_default()
            ))?;
            continue;
        }
        let outcome = match written_first.remove(&index) {
            Some(result) => Ok(result),
            None => apply_item(&cluster, item, dry_run, args.force_conflicts).await,
        };
        let verb = match outcome {
            Ok(ApplyResult::Created) => "created",
            Ok(ApplyResult::Configured) => "configured",
            Ok(ApplyResult::Unchanged) => "unchanged",
            Err(ClusterError::Conflict {
                managers, fields, ..
            }) => {
                tally.conflicts += 1;
                print_text(&conflict_report(item, &managers, &fields))?;
                continue;
            }
            Err(error) => {
                if error.outcome_unknown() {
                    tally.unknown += 1;
                } else {
                    tally.failed += 1;
                }
                print_text(&failure_line(item, &error))?;
                stopped_by = Some(error);
                continue;
            }
        };
        tally.applied += 1;
        let mut line = format!("{} {verb}{suffix}\n", item.describe);
        match &item.selected_by {
            Some((selectors, instances)) if instances.is_empty() => {
                line.push_str(&format!("  warning: no {selectors} will select it\n"));
            }
            Some((_, instances)) => {
                line.push_str(&format!("  selected by {}\n", instances.join(", ")));
            }
            None => {}
        }
        print_text(&line)?;
    }
    if tally.conflicts + tally.failed + tally.unknown > 0 {
        print_text(&format!("{tally}\n"))?;
    }
    if let Some(error) = stopped_by {
        return Err(CliError::usage(anyhow!(
            "apply stopped at the first failure: {}",
            error
        )));
    }
    if tally.conflicts > 0 {
        return Err(CliError::Differences);
    }
    Ok(())
}

/// Applies `item` in `mode`; a client dry run only reads whether the object exists.
async fn apply_item(
    cluster: &Cluster,
    item: &Item,
    mode: DryRun,
    force: bool,
) -> Result<ApplyResult, ClusterError> {
    if mode == DryRun::Client {
        let name = item.body["metadata"]["name"].as_str().unwrap_or_default();
        let namespace = item_namespace(item, cluster);
        return Ok(match cluster.get(item.ty, namespace, name).await? {
            Some(_) => ApplyResult::Configured,
            None => ApplyResult::Created,
        });
    }
    let options = ApplyOptions {
        field_manager: FIELD_MANAGER.to_owned(),
        force,
        dry_run: mode == DryRun::Server,
    };
    let (result, _) = cluster.apply(item.ty, &item.body, &options).await?;
    Ok(result)
}

/// The namespace `item` is written to (the current one when it names none); `None` for a
/// cluster-scoped kind.
fn item_namespace<'a>(item: &'a Item, cluster: &'a Cluster) -> Option<&'a str> {
    (item.ty.namespaced).then(|| {
        item.body["metadata"]["namespace"]
            .as_str()
            .unwrap_or(cluster.namespace())
    })
}

/// The name of the Namespace `item` is, if it is one.
fn namespace_name(item: &Item) -> Option<&str> {
    let core = item.ty.group.is_empty() && item.ty.kind == kinds::NAMESPACES.kind;
    item.body["metadata"]["name"].as_str().filter(|_| core)
}

/// What to say of an object whose write failed.
fn failure_line(item: &Item, error: &ClusterError) -> String {
    if error.outcome_unknown() {
        format!(
            "{}: outcome unknown: the request may have been stored ({error}); check with kubectl get\n",
            item.describe
        )
    } else {
        format!("{}: failed: {error}\n", item.describe)
    }
}

/// One line (or a conflict report) per object the API server refused.
fn refusal_report(refusals: &[(&Item, ClusterError)]) -> String {
    let mut text = String::new();
    for (item, error) in refusals {
        match error {
            ClusterError::Conflict {
                managers, fields, ..
            } => text.push_str(&conflict_report(item, managers, fields)),
            _ => text.push_str(&format!("{}: refused: {error}\n", item.describe)),
        }
    }
    text
}

/// Lets the API server check every object (a server-side dry run: its schema, admission
/// webhooks such as the operator's, field ownership) before any is written, so that a refusal
/// of the third object does not leave the first two applied. Fails when any is refused.
/// Returns the indices of the objects the server could not check yet: a dry run stores no
/// Namespace, so an object in one the input creates is refused (404) until it is written.
async fn server_checks(
    cluster: &Cluster,
    items: &[Item],
    force: bool,
) -> Result<Vec<usize>, CliError> {
    let created_namespaces: BTreeSet<&str> = items.iter().filter_map(namespace_name).collect();
    let mut waiting = Vec::new();
    let mut refusals = Vec::new();
    for (index, item) in items.iter().enumerate() {
        match apply_item(cluster, item, DryRun::Server, force).await {
            Ok(_) => {}
            Err(ClusterError::NotFound { .. })
                if item_namespace(item, cluster)
                    .is_some_and(|ns| created_namespaces.contains(ns)) =>
            {
                waiting.push(index)
            }
            Err(error) => refusals.push((item, error)),
        }
    }
    if refusals.is_empty() {
        return Ok(waiting);
    }
    let mut text = refusal_report(&refusals);
    text.push_str(
        "nothing applied: the API server refused the objects above (server-side dry run)\n",
    );
    print_text(&text)?;
    // A refusal of the input itself (schema, admission, field ownership) is invalid input.
    let invalid = refusals.iter().all(|(_, error)| match error {
        ClusterError::Conflict { .. } => true,
        ClusterError::Api { code, .. } => matches!(code, 400 | 422),
        _ => false,
    });
    if invalid {
        return Err(CliError::Differences);
    }
    Err(CliError::usage(anyhow!(
        "apply stopped before writing anything: {}",
        refusals[0].1
    )))
}

/// Lets the API server check the objects [`server_checks`] could not (`waiting`, indices into
/// `items`), once every other object passed: writes the Namespaces they are in, and only
/// those, then checks them. Returns what writing each Namespace did, by its index in `items`.
/// When one is refused, or a Namespace cannot be written, nothing else is written and the
/// report names the Namespaces written and how to delete them again.
async fn check_in_new_namespaces(
    cluster: &Cluster,
    items: &[Item],
    waiting: &[usize],
    force: bool,
) -> Result<BTreeMap<usize, ApplyResult>, CliError> {
    let waiting: Vec<&Item> = waiting.iter().filter_map(|&i| items.get(i)).collect();
    let needed: BTreeSet<&str> = waiting
        .iter()
        .filter_map(|item| item_namespace(item, cluster))
        .collect();
    let mut written = Vec::new();
    for (index, item) in items.iter().enumerate() {
        if !namespace_name(item).is_some_and(|name| needed.contains(name)) {
            continue;
        }
        match apply_item(cluster, item, DryRun::None, force).await {
            Ok(result) => written.push((index, item, result)),
            Err(error) => {
                let mut text = failure_line(item, &error);
                let why = "stopped at the failure above";
                text.push_str(&written_first_report(&written, why));
                print_text(&text)?;
                return Err(CliError::usage(anyhow!(
                    "apply stopped at the first failure: {error}"
                )));
            }
        }
    }
    let mut refusals = Vec::new();
    for item in waiting {
        if let Err(error) = apply_item(cluster, item, DryRun::Server, force).await {
            refusals.push((item, error));
        }
    }
    let Some((_, first)) = refusals.first() else {
        return Ok(written
            .into_iter()
            .map(|(index, _, result)| (index, result))
            .collect());
    };
    let mut text = refusal_report(&refusals);
    let why = "the API server refused the objects above (server-side dry run)";
    text.push_str(&written_first_report(&written, why));
    print_text(&text)?;
    let names: Vec<&str> = (written.iter())
        .filter_map(|(_, item, _)| namespace_name(item))
        .collect();
    Err(CliError::usage(anyhow!(
        "apply stopped after writing only Namespace {}, so that the API server could check the objects in it: {first}",
        names.join(", ")
    )))
}

/// What was written before the objects in new Namespaces were checked (`written`: index in the
/// input, object, outcome), that nothing else was and `why`, and how to delete what was
/// created.
fn written_first_report(written: &[(usize, &Item, ApplyResult)], why: &str) -> String {
    if written.is_empty() {
        return format!("nothing applied: {why}\n");
    }
    let mut text =
        "written, only so that the API server could check the objects in them:\n".to_owned();
    let mut created = Vec::new();
    for (_, item, result) in written {
        let verb = match result {
            ApplyResult::Created => {
                created.extend(namespace_name(item));
                "created"
            }
            ApplyResult::Configured => "configured",
            ApplyResult::Unchanged => "unchanged",
        };
        text.push_str(&format!("  {} {verb}\n", item.describe));
    }
    text.push_str(&format!("nothing else applied: {why}\n"));
    if !created.is_empty() {
        text.push_str(&format!(
            "to undo: kubectl delete namespace {}\n",
            created.join(" ")
        ));
    }
    text
}

/// What to say of an object whose fields other managers own: who, and under it each field as
/// the API server names it (at most [`MAX_CONFLICTS_SHOWN`]), as kubectl lists them.
fn conflict_report(item: &Item, managers: &[String], fields: &[String]) -> String {
    let owners = if managers.is_empty() {
        "another field manager".to_owned()
    } else {
        format!("field manager {}", managers.join(", "))
    };
    let mut text = format!(
        "{}: conflict: fields are owned by {owners}; re-run with --force-conflicts to take them over\n",
        item.describe
    );
    for field in fields.iter().take(MAX_CONFLICTS_SHOWN) {
        text.push_str(&format!("  {field}\n"));
    }
    if fields.len() > MAX_CONFLICTS_SHOWN {
        text.push_str(&format!(
            "  and {} more\n",
            fields.len() - MAX_CONFLICTS_SHOWN
        ));
    }
    text
}

/// kubectl's rule: with `-n`, every object naming a namespace must name that one (an object is
/// not silently written elsewhere than the command line says).
fn namespace_matches(items: &[Item], namespace: &str) -> Result<(), CliError> {
    for item in items.iter().filter(|i| i.ty.namespaced) {
        let written = item.body["metadata"]["namespace"]
            .as_str()
            .unwrap_or(namespace);
        if written != namespace {
            return Err(CliError::usage(anyhow!(
                "{}: the namespace from the object ({}) does not match -n {}: pass -n {} or remove -n",
                item.describe,
                written,
                namespace,
                written
            )));
        }
    }
    Ok(())
}

/// What happened to the objects of one apply.
#[derive(Default)]
struct Tally {
    applied: usize,
    conflicts: usize,
    failed: usize,
    unknown: usize,
    not_attempted: usize,
}

impl std::fmt::Display for Tally {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} applied, {} conflict(s), {} failed, {} with unknown outcome, {} not attempted",
            self.applied, self.conflicts, self.failed, self.unknown, self.not_attempted
        )
    }
}

/// The objects to apply, in input order; fails (before anything is written) on a kind the
/// cluster does not serve or on an object the operator generates.
async fn items(
    cluster: &Cluster,
    sources: &[schema::Source],
    report: &Report,
) -> Result<Vec<Item>, CliError> {
    let mut out = Vec::new();
    let mut objects = report.objects.iter();
    for source in sources {
        for document in &source.documents {
            for body in schema::object_bodies(document) {
                let checked = objects.next();
                let api_version = body["apiVersion"].as_str().unwrap_or_default();
                let kind = body["kind"].as_str().unwrap_or_default();
                let describe = checked.map(schema::Checked::describe).unwrap_or_default();
                let at = format!("{}:{}", source.name, document.line);
                let ty = cluster.resource_for(api_version, kind).await.map_err(|e| {
                    CliError::usage(anyhow!(
                        "{at}: {describe}: cannot apply: {e} (nothing applied)"
                    ))
                })?;
                if let Some(why) = generated_by_operator(&body) {
                    return Err(CliError::invalid(anyhow!(
                        "{at}: {describe}: refusing to write {why}; change the custom resource instead (nothing applied)"
                    )));
                }
                let selected_by = schema::selecting_instances(kind).map(|selectors| {
                    let instances = checked.map(|c| c.selected_by.clone()).unwrap_or_default();
                    (selectors, instances)
                });
                out.push(Item {
                    ty,
                    body,
                    describe,
                    selected_by,
                });
            }
        }
    }
    Ok(out)
}
