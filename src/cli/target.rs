//! Choosing the Prometheus or PrometheusAgent a command works on.

use anyhow::anyhow;
use promop::monitoring::v1::Prometheus;
use promop::monitoring::v1alpha1::PrometheusAgent;
use promop::render::Target;
use promop::snapshot::Snapshot;

use super::CliError;

/// `--prometheus`: which instance, when the input holds several.
#[derive(Debug, clap::Args)]
pub struct TargetArgs {
    /// The Prometheus or PrometheusAgent, as NAMESPACE/NAME or NAME; optional when the input
    /// holds exactly one.
    #[arg(long, value_name = "NAMESPACE/NAME")]
    pub prometheus: Option<String>,
}

fn key(meta: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta) -> String {
    format!(
        "{}/{}",
        meta.namespace.as_deref().unwrap_or(""),
        meta.name.as_deref().unwrap_or("")
    )
}

impl TargetArgs {
    /// The chosen instance (a copy, so callers may adjust it, e.g. its version).
    pub fn find(&self, snapshot: &Snapshot) -> Result<Instance, CliError> {
        let all = snapshot
            .prometheuses
            .iter()
            .map(|p| (key(&p.metadata), Instance::Server(Box::new(p.clone()))))
            .chain(
                snapshot
                    .prometheus_agents
                    .iter()
                    .map(|a| (key(&a.metadata), Instance::Agent(Box::new(a.clone())))),
            );
        let wanted = self.prometheus.as_deref();
        let mut matching: Vec<(String, Instance)> = all
            .filter(|(k, _)| match wanted {
                None => true,
                Some(w) if w.contains('/') => k == w,
                Some(w) => k.rsplit('/').next() == Some(w),
            })
            .collect();
        match (matching.len(), wanted) {
            (1, _) => Ok(matching.remove(0).1),
            (0, None) => Err(CliError::invalid(anyhow!(
                "the input holds no Prometheus or PrometheusAgent"
            ))),
            (0, Some(w)) => Err(CliError::invalid(anyhow!(
                "no Prometheus or PrometheusAgent {w} in the input"
            ))),
            (_, _) => {
                let names: Vec<String> = matching
                    .iter()
                    .map(|(k, i)| format!("{} {k}", i.kind()))
                    .collect();
                Err(CliError::usage(anyhow!(
                    "several instances match; choose one with --prometheus NAMESPACE/NAME: {}",
                    names.join(", ")
                )))
            }
        }
    }
}

/// An owned Prometheus or PrometheusAgent.
#[derive(Debug, Clone)]
pub enum Instance {
    /// A `Prometheus`.
    Server(Box<Prometheus>),
    /// A `PrometheusAgent`.
    Agent(Box<PrometheusAgent>),
}

impl Instance {
    /// `Prometheus` or `PrometheusAgent`.
    pub fn kind(&self) -> &'static str {
        match self {
            Instance::Server(_) => "Prometheus",
            Instance::Agent(_) => "PrometheusAgent",
        }
    }

    /// Overrides `spec.version`.
    pub fn set_version(&mut self, version: &str) {
        match self {
            Instance::Server(p) => p.spec.version = Some(version.to_owned()),
            Instance::Agent(a) => a.spec.version = Some(version.to_owned()),
        }
    }

    /// The library's view of it.
    pub fn target(&self) -> Target<'_> {
        match self {
            Instance::Server(p) => Target::Server(p),
            Instance::Agent(a) => Target::Agent(a),
        }
    }
}
