//! `decode-config`: print the configuration the operator stored in its generated Secret.

use anyhow::anyhow;
use promop::cluster::Cluster;
use promop::decode::{self, StoredConfig};
use promop::instance::InstanceKind;
use promop::jobs::{JobSelector, ResourceRef};
use promop::reloader;
use promop::yaml;

use super::CliError;
use super::kube_args::KubeArgs;
use super::live;
use super::output::{self, Format};

/// Arguments of `decode-config`.
#[derive(Debug, clap::Args)]
#[command(mut_arg("namespace", |arg| arg.help(super::kube_args::NAMESPACE_OF_INSTANCE)))]
pub struct Args {
    #[command(flatten)]
    instance: live::InstanceArg,
    #[command(flatten)]
    kube: KubeArgs,
    /// Keep only the scrape jobs whose name matches REGEX (searched anywhere in the name).
    #[arg(long, value_name = "REGEX")]
    job: Option<String>,
    /// Keep only the scrape jobs a resource produces: servicemonitor|podmonitor|probe|scrapeconfig
    /// /[NAMESPACE/]NAME (the namespace defaults to -n).
    #[arg(long = "for", value_name = "KIND/NAME")]
    for_resource: Option<String>,
    /// Substitute $(POD_NAME), $(SHARD) and the other variables the config-reloader expands,
    /// with the environment the operator gives the pod (read from the instance and the
    /// operator's Deployment; guessed, with a warning, when the instance cannot be read).
    #[arg(long)]
    expand_env: bool,
    /// Replica of the pod whose environment --expand-env uses.
    #[arg(long, value_name = "N", default_value_t = 0, requires = "expand_env")]
    replica: u32,
    /// Shard of the pod whose environment --expand-env uses (its SHARD, POD_NAME, and under
    /// topology sharding TOPOLOGY_ZONE and INZONE_SHARD).
    #[arg(long, value_name = "N", default_value_t = 0, requires = "expand_env")]
    shard: u32,
    /// Node the pod runs on, for --expand-env: its NODE_NAME (agents in DaemonSet mode).
    #[arg(long, value_name = "NODE", requires = "expand_env")]
    node: Option<String>,
    /// TOPOLOGY_ZONE for --expand-env, instead of the zone the operator gives the shard
    /// (needed only when the instance cannot be read).
    #[arg(long, value_name = "ZONE", requires = "expand_env")]
    zone: Option<String>,
    /// Print sizes (compressed, uncompressed, headroom to the 1 MiB Secret limit) instead.
    #[arg(long)]
    size: bool,
    /// Output format.
    #[arg(short = 'o', long = "output", value_enum, default_value_t = Format::Yaml)]
    output: Format,
    /// Show credentials instead of `<secret>`.
    #[arg(long)]
    show_secrets: bool,
    /// Refuse to decompress more than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = decode::DEFAULT_DECOMPRESSED_LIMIT)]
    max_decompressed_bytes: usize,
}

/// Runs `decode-config`.
pub fn run(args: &Args) -> Result<(), CliError> {
    let instance = args.instance.parse()?;
    if instance.kind == InstanceKind::Alertmanager
        && (args.job.is_some() || args.for_resource.is_some())
    {
        return Err(CliError::usage(anyhow!(
            "--job and --for select Prometheus scrape jobs; an Alertmanager configuration has none"
        )));
    }
    let pod = reloader::Pod {
        replica: args.replica,
        shard: args.shard,
        node: args.node.clone(),
        zone: args.zone.clone(),
    };
    let (config, (selector, exists), environment) = live::block_on(async {
        let cluster = args.kube.connect().await?;
        let namespace = cluster.namespace().to_owned();
        let selector = match (&args.job, &args.for_resource) {
            (Some(_), Some(_)) => {
                return Err(CliError::usage(anyhow!("give --job or --for, not both")));
            }
            (None, None) => (None, None),
            (Some(pattern), None) => (
                Some(
                    JobSelector::pattern(pattern)
                        .map_err(|e| CliError::usage(anyhow!("--job: {e}")))?,
                ),
                None,
            ),
            (None, Some(resource)) => {
                let selector = JobSelector::resource(resource, &namespace)
                    .map_err(|e| CliError::usage(anyhow!("--for {e}")))?;
                let exists = match &selector {
                    JobSelector::Resource(wanted) => exists(&cluster, wanted).await,
                    JobSelector::Pattern(_) => None,
                };
                (Some(selector), exists)
            }
        };
        let config =
            live::read_live_config(&cluster, &namespace, &instance, args.max_decompressed_bytes)
                .await?;
        let environment = if args.expand_env && !args.size {
            Some(live::reloader_environment(&cluster, &namespace, &instance, &pod).await)
        } else {
            None
        };
        Ok::<_, CliError>((config, selector, environment))
    })??;
    if args.size {
        return output::print(&size_report(&config, instance.kind, args.output));
    }
    let text = match &environment {
        Some(environment) => {
            let expansion = environment.expand(&config.text);
            for warning in &expansion.warnings {
                output::warn(warning);
            }
            expansion.text
        }
        None => config.text.clone(),
    };
    if selector.is_none() && args.show_secrets && args.output == Format::Yaml {
        return output::print(&text);
    }
    let mut tree = yaml::parse(&text).map_err(|e| {
        CliError::invalid(anyhow!(
            "the configuration in Secret {} is not valid YAML: {e}",
            config.secret
        ))
    })?;
    if let Some(selector) = &selector {
        let (kept, count) = selector.keep_jobs(&tree);
        if count == 0
            && exists == Some(false)
            && let JobSelector::Resource(wanted) = selector
        {
            return Err(CliError::usage(anyhow!(
                "--for: {wanted} not found (in another namespace: --for {}/NAMESPACE/{})",
                wanted.kind.to_ascii_lowercase(),
                wanted.name
            )));
        }
        if count == 0 {
            output::warn(&match selector {
                JobSelector::Pattern(regex) => format!("no scrape job matches {regex}"),
                JobSelector::Resource(resource) => format!(
                    "{resource} produces no scrape job in this configuration \
                     (not selected, rejected by the operator, or not reconciled yet)"
                ),
            });
        }
        tree = kept;
    }
    let hidden = if args.show_secrets {
        0
    } else {
        instance.kind.redact(&mut tree)
    };
    // A selection of jobs is not what is stored.
    let stored = selector.is_none().then_some(text.as_str());
    super::render::print_configuration(&tree, stored, hidden, args.show_secrets, args.output)
}

fn size_report(config: &StoredConfig, kind: InstanceKind, format: Format) -> String {
    let limit = decode::MAX_SECRET_SIZE;
    let uncompressed = config.text.len();
    let headroom = i64::try_from(limit).unwrap_or(i64::MAX)
        - i64::try_from(config.secret_data_bytes).unwrap_or(i64::MAX);
    let used = percent(config.secret_data_bytes, limit);
    match format {
        Format::Json => {
            let value = serde_json::json!({
                "secret": config.secret,
                "key": kind.secret_key(),
                "uncompressedBytes": uncompressed,
                "compressedBytes": config.compressed_bytes,
                "secretDataBytes": config.secret_data_bytes,
                "secretLimitBytes": limit,
                "headroomBytes": headroom,
            });
            output::json_text(&value).unwrap_or_default()
        }
        Format::Yaml => format!(
            "secret: {}\nkey: {}\nuncompressed_bytes: {uncompressed}\ncompressed_bytes: {} # {} of uncompressed\n\
             secret_data_bytes: {} # {used} of the {limit}-byte Secret limit\nheadroom_bytes: {headroom}\n",
            config.secret,
            kind.secret_key(),
            config.compressed_bytes,
            percent(config.compressed_bytes, uncompressed.max(1)),
            config.secret_data_bytes,
        ),
    }
}

fn percent(part: usize, whole: usize) -> String {
    // Sizes stay far below 2^52, so the conversion is exact.
    #[allow(clippy::cast_precision_loss)]
    let ratio = part as f64 * 100.0 / whole.max(1) as f64;
    format!("{ratio:.1}%")
}

/// Whether the cluster has `wanted` (`None` when it cannot tell, e.g. forbidden): a misspelt
/// --for would otherwise print an empty configuration.
async fn exists(cluster: &Cluster, wanted: &ResourceRef) -> Option<bool> {
    let resource = promop::kinds::ALL
        .iter()
        .find(|r| r.is_monitoring() && r.kind == wanted.kind)?;
    let found = cluster
        .get(resource, Some(&wanted.namespace), &wanted.name)
        .await;
    found.ok().map(|object| object.is_some())
}
