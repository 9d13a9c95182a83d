//! `status`: is the configuration the operator stored loaded by every pod, and how do their
//! targets fare? Reads each pod's own API through the API server's proxy.

use std::fmt::Write as _;

use anyhow::anyhow;
use comfy_table::{Cell, ContentArrangement, Table, presets};
use futures::future::join_all;
use promop::cluster::Cluster;
use promop::instance::InstanceKind;
use promop::kinds;
use promop::snapshot::Snapshot;
use promop::status::{
    self, AlertmanagerAnswers, PodStatus, PrometheusAnswers, ServedSpec, ServerPod, StatusReport,
};
use promop::workload::CONFIG_RELOADER_CONTAINER;
use promop::workload::objects::find_instance;
use serde_json::Value;

use super::CliError;
use super::kube_args::KubeArgs;
use super::live::{self, cluster_error};
use super::output::{self, terminal_safe};

/// Pods queried at once.
const PARALLEL_PODS: usize = 8;
/// Lines of the config-reloader's log shown for a pod that is out of sync.
const RELOADER_LOG_LINES: i64 = 20;
/// Bytes of the config-reloader's log read at most.
const RELOADER_LOG_BYTES: i64 = 16 * 1024;

/// `status`'s exit codes: "1 otherwise" in its summary leaves out that what cannot be read
/// before any pod is (the instance, its Secret, its pods) exits 2, as for every command.
const EXIT_CODES: &str = "Exit codes:\n  \
    0  every pod the spec asks for found, in sync with the Secret, its last reload not failed\n  \
    1  not so: a pod out of sync, whose last reload failed, missing, running another version\n     \
       than the spec asks, or whose API is unreadable; or no pod to read (replicas: 0)\n  \
    2  usage error, or the instance, its Secret or its pods could not be read (not found, forbidden)";

/// Arguments of `status`.
#[derive(Debug, clap::Args)]
#[command(
    mut_arg("namespace", |arg| arg.help(super::kube_args::NAMESPACE_OF_INSTANCE)),
    after_help = EXIT_CODES
)]
pub struct Args {
    #[command(flatten)]
    instance: live::InstanceArg,
    #[command(flatten)]
    kube: KubeArgs,
    /// Output format: table (default) or json.
    #[arg(short = 'o', long = "output", value_enum, default_value_t = Format::Table)]
    output: Format,
}

/// Output formats of `status`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Table,
    Json,
}

/// Runs `status`: exit 0 when every pod is in sync and healthy, 1 when not; what cannot be read
/// before the pods are is a usage error (exit 2).
pub fn run(args: &Args) -> Result<(), CliError> {
    let instance = args.instance.parse()?;
    let report = live::block_on(async {
        let cluster = args.kube.connect().await?;
        read_status(&cluster, &instance).await
    })??;
    match args.output {
        Format::Json => {
            output::print(&output::json_text(&report)?)?;
        }
        Format::Table => output::print_text(&table(&report))?,
    }
    if report.is_healthy() {
        Ok(())
    } else {
        Err(CliError::Differences)
    }
}

async fn read_status(
    cluster: &Cluster,
    instance: &live::InstanceName,
) -> Result<StatusReport, CliError> {
    let namespace = cluster.namespace().to_owned();
    let resource = instance.kind.resource();
    let object = cluster
        .get(resource, Some(&namespace), &instance.name)
        .await
        .map_err(cluster_error)?
        .ok_or_else(|| {
            CliError::usage(anyhow!(
                "{} {namespace}/{} not found (check the name and -n/--namespace)",
                resource.kind,
                instance.name
            ))
        })?;
    let served = served_spec(instance, &object)?;
    let stored = live::read_live_config(
        cluster,
        &namespace,
        instance,
        promop::decode::DEFAULT_DECOMPRESSED_LIMIT,
    )
    .await?;
    let selector = instance.kind.pod_selector(&instance.name);
    let listed = cluster
        .list(&kinds::PODS, Some(&namespace), Some(&selector))
        .await
        .map_err(cluster_error)?;
    // A pod the operator runs is missing only when it is not there at all; one of another
    // spec's (a renamed port) is there, and not read.
    let listed_names: Vec<&str> = listed
        .iter()
        .filter_map(|pod| pod.pointer("/metadata/name")?.as_str())
        .collect();
    let pods: Vec<ServerPod> = listed
        .iter()
        .filter_map(|pod| {
            ServerPod::from_json(
                pod,
                instance.kind.main_container(),
                served.web_port_name.as_deref(),
            )
        })
        .collect();
    let mut statuses = Vec::with_capacity(pods.len());
    for chunk in pods.chunks(PARALLEL_PODS) {
        let answers = join_all(chunk.iter().map(|pod| {
            pod_status(
                cluster,
                &namespace,
                instance.kind,
                pod,
                &served,
                &stored.text,
            )
        }))
        .await;
        statuses.extend(answers);
    }
    let mut report = StatusReport {
        kind: resource.kind.to_owned(),
        namespace,
        name: instance.name.clone(),
        secret: stored.secret,
        expected_version: served.expected_version,
        pods: statuses,
        notes: Vec::new(),
    };
    report.add_instance_notes(&served.expected_pods, &listed_names);
    Ok(report)
}

/// What reading the pods needs of the instance's spec, from the instance as the API server
/// returned it.
fn served_spec(instance: &live::InstanceName, object: &Value) -> Result<ServedSpec, CliError> {
    let usage = |e: &dyn std::fmt::Display| CliError::usage(anyhow!("{e}"));
    let mut snapshot = Snapshot::default();
    snapshot
        .load_json("cluster", object)
        .map_err(|e| usage(&e))?;
    let found =
        find_instance(&snapshot, instance.kind, None, &instance.name).map_err(|e| usage(&e))?;
    Ok(ServedSpec::of(found))
}

async fn pod_status(
    cluster: &Cluster,
    namespace: &str,
    kind: InstanceKind,
    pod: &ServerPod,
    served: &ServedSpec,
    stored: &str,
) -> PodStatus {
    let get = |port: u16, path: &'static str| async move {
        let path = served.api_path(path);
        cluster
            .pod_proxy_get(namespace, &pod.name, port, served.tls, &path)
            .await
            .map_err(|e| e.to_string())
    };
    let expected = pod.reloader_environment.expand(stored).text;
    let mut status = match (kind, pod.port) {
        (_, None) => status::localhost_only_pod(&pod.name),
        (InstanceKind::Alertmanager, Some(port)) => {
            // The config-reloader shares the server's web configuration, TLS included.
            let reloader_metrics = async {
                match pod.reloader_port {
                    Some(reloader_port) => cluster
                        .pod_proxy_get(
                            namespace,
                            &pod.name,
                            reloader_port,
                            served.tls,
                            status::RELOADER_METRICS_PATH,
                        )
                        .await
                        .map_err(|e| e.to_string()),
                    None => Err(format!(
                        "its {CONFIG_RELOADER_CONTAINER} container has no port {}",
                        status::RELOADER_PORT_NAME
                    )),
                }
            };
            let (api_status, reloader_metrics) =
                futures::join!(get(port, "/api/v2/status"), reloader_metrics);
            let answers = AlertmanagerAnswers {
                status: api_status,
                reloader_metrics,
            };
            status::alertmanager_pod(&pod.name, &expected, &answers)
        }
        (_, Some(port)) => {
            let (config, runtime_info, build_info, targets) = futures::join!(
                get(port, "/api/v1/status/config"),
                get(port, "/api/v1/status/runtimeinfo"),
                get(port, "/api/v1/status/buildinfo"),
                get(port, "/api/v1/targets?state=any"),
            );
            let answers = PrometheusAnswers {
                config,
                runtime_info,
                build_info,
                targets,
            };
            status::prometheus_pod(&pod.name, &expected, &answers)
        }
    };
    if !pod.running {
        status.problems.push("the pod is not running".to_owned());
    }
    if !status.is_healthy() {
        match cluster
            .pod_log_tail(
                namespace,
                &pod.name,
                CONFIG_RELOADER_CONTAINER,
                RELOADER_LOG_LINES,
                RELOADER_LOG_BYTES,
            )
            .await
        {
            Ok(log) => status.reloader_log = log.lines().map(str::to_owned).collect(),
            Err(e) => status
                .problems
                .push(format!("the config-reloader's log: {e}")),
        }
    }
    status
}

fn table(report: &StatusReport) -> String {
    let mut text = format!(
        "{} {}/{}  Secret {}  version {}\n",
        report.kind, report.namespace, report.name, report.secret, report.expected_version
    );
    for note in &report.notes {
        let _ = writeln!(text, "note: {note}");
    }
    if report.pods.is_empty() {
        return text;
    }
    let mut table = Table::new();
    table
        .load_preset(presets::NOTHING)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header([
            "POD",
            "CONFIG",
            "RELOAD",
            "LAST LOADED",
            "VERSION",
            "TARGETS UP/DOWN/DROPPED",
        ]);
    let yes_no = |v: Option<bool>, yes: &str, no: &str| match v {
        Some(true) => yes.to_owned(),
        Some(false) => no.to_owned(),
        None => "unknown".to_owned(),
    };
    for pod in &report.pods {
        let jobs = pod.jobs.as_deref().unwrap_or_default();
        let (up, down, dropped) = jobs.iter().fold((0, 0, 0), |(u, d, x), j| {
            (u + j.up, d + j.down, x + j.dropped)
        });
        table.add_row([
            Cell::new(terminal_safe(&pod.name, false)),
            Cell::new(yes_no(pod.config_in_sync, "in sync", "OUT OF SYNC")),
            Cell::new(yes_no(pod.reload_success, "ok", "FAILED")),
            Cell::new(terminal_safe(
                pod.last_config_time.as_deref().unwrap_or("-"),
                false,
            )),
            Cell::new(terminal_safe(pod.version.as_deref().unwrap_or("-"), false)),
            Cell::new(if report.kind == "Alertmanager" {
                "-".to_owned()
            } else if pod.jobs.is_none() {
                "unknown".to_owned()
            } else {
                format!("{up}/{down}/{dropped}")
            }),
        ]);
    }
    let _ = writeln!(text, "{table}");
    for pod in &report.pods {
        let details = !pod.differences.is_empty()
            || pod.reload_success == Some(false)
            || pod.reload_unknown.is_some()
            || !pod.problems.is_empty()
            || pod.jobs.iter().flatten().any(|j| !j.failing.is_empty())
            || !pod.reloader_log.is_empty();
        if !details {
            continue;
        }
        let _ = writeln!(text, "\npod {}:", pod.name);
        for difference in &pod.differences {
            let _ = writeln!(text, "  loaded configuration differs: {difference}");
        }
        if pod.config_in_sync == Some(false) {
            let _ = writeln!(
                text,
                "  likely cause: the last reload failed or has not happened yet; the config-reloader's log says why"
            );
        }
        if pod.reload_success == Some(false) {
            let _ = writeln!(
                text,
                "  the last reload failed: the server runs the configuration it loaded before"
            );
        }
        if let Some(why) = &pod.reload_unknown {
            let _ = writeln!(text, "  reload state unknown: {why}");
        }
        for problem in &pod.problems {
            let _ = writeln!(text, "  problem: {problem}");
        }
        for job in pod.jobs.iter().flatten() {
            for failing in &job.failing {
                let _ = writeln!(
                    text,
                    "  job {}: {} is down: {}",
                    job.job, failing.url, failing.last_error
                );
            }
        }
        if !pod.reloader_log.is_empty() {
            let _ = writeln!(
                text,
                "  config-reloader log (last {} lines):",
                pod.reloader_log.len()
            );
            for line in &pod.reloader_log {
                let _ = writeln!(text, "    {line}");
            }
        }
    }
    text
}
