//! `decode-config`: print the configuration the operator stored in its generated Secret.

use std::collections::BTreeMap;

use anyhow::anyhow;
use promop::decode;
use promop::redact;
use promop::yaml::{self, Map, Yaml};
use regex::Regex;

use super::CliError;
use super::kube_args::KubeArgs;
use super::live::{self, InstanceKind, InstanceName, LiveConfig};
use super::output::{self, Format};

/// Arguments of `decode-config`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The instance: prometheus|prometheusagent|alertmanager NAME, or TYPE/NAME (short names
    /// prom, am).
    #[arg(value_name = "TYPE [NAME]", num_args = 1..=2, required = true)]
    instance: Vec<String>,
    #[command(flatten)]
    kube: KubeArgs,
    /// Keep only the scrape jobs whose name matches REGEX (searched anywhere in the name).
    #[arg(long, value_name = "REGEX")]
    job: Option<String>,
    /// Keep only the scrape jobs a resource produces: servicemonitor|podmonitor|probe|scrapeconfig
    /// /[NAMESPACE/]NAME (the namespace defaults to -n).
    #[arg(long = "for", value_name = "KIND/NAME")]
    for_resource: Option<String>,
    /// Substitute $(POD_NAME), $(SHARD) and the other variables the config-reloader expands.
    #[arg(long)]
    expand_env: bool,
    /// Replica whose POD_NAME --expand-env uses.
    #[arg(long, value_name = "N", default_value_t = 0, requires = "expand_env")]
    replica: u32,
    /// Shard whose SHARD and POD_NAME --expand-env uses.
    #[arg(long, value_name = "N", default_value_t = 0, requires = "expand_env")]
    shard: u32,
    /// NODE_NAME for --expand-env (agents in DaemonSet mode).
    #[arg(long, value_name = "NODE", requires = "expand_env")]
    node: Option<String>,
    /// TOPOLOGY_ZONE for --expand-env (topology sharding).
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
    let instance = live::parse_instance(&args.instance)?;
    let filter = JobFilter::from_args(args, &instance)?;
    let (config, namespace) = live::block_on(async {
        let cluster = args.kube.connect().await?;
        let namespace = cluster.namespace().to_owned();
        let config =
            live::read_live_config(&cluster, &namespace, &instance, args.max_decompressed_bytes)
                .await?;
        Ok::<_, CliError>((config, namespace))
    })??;
    if args.size {
        return output::print(&size_report(&config, instance.kind, args.output));
    }
    let text = if args.expand_env {
        let variables = variables(args, &instance);
        let (expanded, unset) = expand_env(&config.text, &variables);
        for name in unset {
            output::warn(&format!(
                "$({name}) is not set by the config-reloader here; left as is"
            ));
        }
        expanded
    } else {
        config.text
    };
    let filter = filter.map(|f| f.resolve(&namespace));
    if filter.is_none() && args.show_secrets && args.output == Format::Yaml {
        return output::print(&text);
    }
    let mut tree = yaml::parse(&text).map_err(|e| {
        CliError::invalid(anyhow!(
            "the configuration in Secret {} is not valid YAML: {e}",
            config.secret
        ))
    })?;
    if let Some(filter) = &filter {
        tree = filter.apply(&tree)?;
    }
    let hidden = if args.show_secrets {
        0
    } else {
        redact::redact(&mut tree)
    };
    if hidden > 0 {
        output::warn(&format!(
            "{hidden} credential value(s) shown as {}; --show-secrets reveals them",
            redact::REDACTED
        ));
    }
    if filter.is_none() && hidden == 0 && args.output == Format::Yaml {
        return output::print(&text);
    }
    output::print_formatted(&tree, args.output)
}

/// The variables the config-reloader of the chosen replica and shard has.
fn variables(args: &Args, instance: &InstanceName) -> BTreeMap<&'static str, String> {
    let prefix = instance.kind.object_prefix();
    let name = &instance.name;
    let set_name = match (instance.kind, args.shard) {
        (InstanceKind::Alertmanager, _) | (_, 0) => format!("{prefix}-{name}"),
        (_, shard) => format!("{prefix}-{name}-shard-{shard}"),
    };
    let mut variables = BTreeMap::new();
    variables.insert("POD_NAME", format!("{set_name}-{}", args.replica));
    variables.insert("SHARD", args.shard.to_string());
    variables.insert("INZONE_SHARD", args.shard.to_string());
    if let Some(node) = &args.node {
        variables.insert("NODE_NAME", node.clone());
    }
    if let Some(zone) = &args.zone {
        variables.insert("TOPOLOGY_ZONE", zone.clone());
    }
    variables
}

/// Replaces `$(NAME)` as the config-reloader does; returns the text and the names that were
/// left alone because they are not set.
fn expand_env(text: &str, variables: &BTreeMap<&str, String>) -> (String, Vec<String>) {
    let mut out = String::with_capacity(text.len());
    let mut unset = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("$(") {
        let (before, from) = rest.split_at(start);
        out.push_str(before);
        let inner = from.get(2..).unwrap_or("");
        let name_len = inner
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(inner.len());
        let name = inner.get(..name_len).unwrap_or("");
        if name_len > 0 && inner.get(name_len..name_len + 1) == Some(")") {
            match variables.get(name) {
                Some(value) => out.push_str(value),
                None => {
                    if !unset.iter().any(|u| u == name) {
                        unset.push(name.to_owned());
                    }
                    out.push_str(from.get(..name_len + 3).unwrap_or(""));
                }
            }
            rest = inner.get(name_len + 1..).unwrap_or("");
        } else {
            out.push_str("$(");
            rest = inner;
        }
    }
    out.push_str(rest);
    (out, unset)
}

/// Which scrape jobs to keep.
enum JobFilter {
    /// `--job REGEX`.
    Pattern(Regex),
    /// `--for KIND/[NAMESPACE/]NAME`, namespace not yet known.
    Resource {
        prefix: &'static str,
        kind: &'static str,
        namespace: Option<String>,
        name: String,
    },
}

/// A filter with every part known.
enum ResolvedFilter {
    Pattern(Regex),
    Resource {
        /// `serviceMonitor/NAMESPACE/NAME`.
        job_prefix: String,
        /// `ServiceMonitor NAMESPACE/NAME`, for messages.
        description: String,
    },
}

impl JobFilter {
    fn from_args(args: &Args, instance: &InstanceName) -> Result<Option<Self>, CliError> {
        let filter =
            match (&args.job, &args.for_resource) {
                (Some(_), Some(_)) => {
                    return Err(CliError::usage(anyhow!("give --job or --for, not both")));
                }
                (None, None) => return Ok(None),
                (Some(pattern), None) => JobFilter::Pattern(Regex::new(pattern).map_err(|e| {
                    CliError::usage(anyhow!("--job: invalid regular expression: {e}"))
                })?),
                (None, Some(resource)) => parse_resource(resource)?,
            };
        if instance.kind == InstanceKind::Alertmanager {
            return Err(CliError::usage(anyhow!(
                "--job and --for select Prometheus scrape jobs; an Alertmanager configuration has none"
            )));
        }
        Ok(Some(filter))
    }

    fn resolve(self, default_namespace: &str) -> ResolvedFilter {
        match self {
            JobFilter::Pattern(regex) => ResolvedFilter::Pattern(regex),
            JobFilter::Resource {
                prefix,
                kind,
                namespace,
                name,
            } => {
                let namespace = namespace.unwrap_or_else(|| default_namespace.to_owned());
                ResolvedFilter::Resource {
                    job_prefix: format!("{prefix}/{namespace}/{name}"),
                    description: format!("{kind} {namespace}/{name}"),
                }
            }
        }
    }
}

fn parse_resource(text: &str) -> Result<JobFilter, CliError> {
    let usage = || {
        CliError::usage(anyhow!(
            "--for {text:?}: use servicemonitor|podmonitor|probe|scrapeconfig/[NAMESPACE/]NAME"
        ))
    };
    let mut parts = text.split('/');
    let kind_text = parts.next().ok_or_else(usage)?.to_ascii_lowercase();
    let rest: Vec<&str> = parts.collect();
    let (namespace, name) = match rest.as_slice() {
        [name] => (None, *name),
        [namespace, name] => (Some((*namespace).to_owned()), *name),
        _ => return Err(usage()),
    };
    if name.is_empty() {
        return Err(usage());
    }
    let base = kind_text
        .strip_suffix(".monitoring.coreos.com")
        .unwrap_or(&kind_text);
    let (prefix, kind) = match base {
        "servicemonitor" | "servicemonitors" | "smon" => ("serviceMonitor", "ServiceMonitor"),
        "podmonitor" | "podmonitors" | "pmon" => ("podMonitor", "PodMonitor"),
        "probe" | "probes" | "prb" => ("probe", "Probe"),
        "scrapeconfig" | "scrapeconfigs" | "scfg" => ("scrapeConfig", "ScrapeConfig"),
        _ => return Err(usage()),
    };
    Ok(JobFilter::Resource {
        prefix,
        kind,
        namespace,
        name: name.to_owned(),
    })
}

impl ResolvedFilter {
    fn keeps(&self, job_name: &str) -> bool {
        match self {
            ResolvedFilter::Pattern(regex) => regex.is_match(job_name),
            ResolvedFilter::Resource { job_prefix, .. } => {
                job_name == job_prefix
                    || job_name
                        .strip_prefix(job_prefix.as_str())
                        .is_some_and(|rest| rest.starts_with('/'))
            }
        }
    }

    /// A configuration holding only the kept scrape jobs.
    fn apply(&self, config: &Yaml) -> Result<Yaml, CliError> {
        let jobs = match config.as_map().and_then(|m| m.get("scrape_configs")) {
            Some(Yaml::Seq(jobs)) => jobs.as_slice(),
            _ => &[],
        };
        let kept: Vec<Yaml> = jobs
            .iter()
            .filter(|job| {
                job.as_map()
                    .and_then(|m| m.get("job_name"))
                    .and_then(Yaml::as_str)
                    .is_some_and(|name| self.keeps(name))
            })
            .cloned()
            .collect();
        if kept.is_empty() {
            let message = match self {
                ResolvedFilter::Pattern(regex) => format!("no scrape job matches {regex}"),
                ResolvedFilter::Resource { description, .. } => format!(
                    "{description} produces no scrape job in this configuration \
                     (not selected, rejected by the operator, or not reconciled yet)"
                ),
            };
            output::warn(&message);
        }
        Ok(Yaml::Map(
            Map::new().with("scrape_configs", Yaml::Seq(kept)),
        ))
    }
}

fn size_report(config: &LiveConfig, kind: InstanceKind, format: Format) -> String {
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
            let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
            text.push('\n');
            text
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expands_known_variables_and_keeps_unknown_ones() {
        let mut vars = BTreeMap::new();
        vars.insert("POD_NAME", "prometheus-k8s-1".to_owned());
        vars.insert("SHARD", "2".to_owned());
        let (text, unset) = expand_env(
            "replica: $(POD_NAME)\nshard: $(SHARD)\nother: $(NOPE) $( x $(\n",
            &vars,
        );
        assert_eq!(
            text,
            "replica: prometheus-k8s-1\nshard: 2\nother: $(NOPE) $( x $(\n"
        );
        assert_eq!(unset, ["NOPE"]);
    }

    #[test]
    fn resources_map_to_job_prefixes() {
        let filter = parse_resource("smon/web").map(|f| f.resolve("shop"));
        let Ok(ResolvedFilter::Resource { job_prefix, .. }) = &filter else {
            panic!("parses");
        };
        assert_eq!(job_prefix, "serviceMonitor/shop/web");
        let filter = filter.ok();
        let keeps = |job: &str| filter.as_ref().is_some_and(|f| f.keeps(job));
        assert!(keeps("serviceMonitor/shop/web/0"));
        assert!(!keeps("serviceMonitor/shop/web-2/0"));
        assert!(parse_resource("pod/x").is_err());
        assert!(matches!(
            parse_resource("scrapeconfig/ns/a"),
            Ok(JobFilter::Resource {
                prefix: "scrapeConfig",
                ..
            })
        ));
    }
}
