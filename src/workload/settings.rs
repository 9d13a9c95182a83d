//! The operator start-up flags that shape workloads, with the operator's defaults filled in
//! (upstream `operator.Config` as `cmd/operator/main.go` registers it, and
//! `pkg/operator/defaults.go`).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::ResourceRequirements;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;

use crate::operator::OperatorOptions;

/// The operator's own version: the default config-reloader image is tagged with it.
const OPERATOR_VERSION: &str = "0.93.0";
/// `operator.DefaultPrometheusBaseImage`.
const DEFAULT_PROMETHEUS_BASE_IMAGE: &str = "quay.io/prometheus/prometheus";
/// `operator.DefaultThanosBaseImage`.
const DEFAULT_THANOS_BASE_IMAGE: &str = "quay.io/thanos/thanos";
/// `operator.DefaultAlertmanagerBaseImage`.
const DEFAULT_ALERTMANAGER_BASE_IMAGE: &str = "quay.io/prometheus/alertmanager";
/// Default of `--config-reloader-cpu-request` and `--config-reloader-cpu-limit`.
const DEFAULT_RELOADER_CPU: &str = "10m";
/// Default of `--config-reloader-memory-request` and `--config-reloader-memory-limit`.
const DEFAULT_RELOADER_MEMORY: &str = "50Mi";

/// Resolved operator flags.
#[derive(Clone, Debug)]
pub(crate) struct Settings<'a> {
    pub options: &'a OperatorOptions,
    pub reloader_image: String,
    pub reloader_resources: ResourceRequirements,
    pub prometheus_base_image: String,
    pub thanos_base_image: String,
    pub alertmanager_base_image: String,
    pub localhost: String,
    pub labels: &'a BTreeMap<String, String>,
    pub annotations: &'a BTreeMap<String, String>,
}

impl<'a> Settings<'a> {
    pub fn new(options: &'a OperatorOptions) -> Self {
        let or = |value: &Option<String>, default: &str| {
            value.clone().unwrap_or_else(|| default.to_owned())
        };
        Settings {
            options,
            reloader_image: or(
                &options.config_reloader_image,
                &format!(
                    "quay.io/prometheus-operator/prometheus-config-reloader:v{OPERATOR_VERSION}"
                ),
            ),
            reloader_resources: reloader_resources(options),
            prometheus_base_image: or(
                &options.prometheus_default_base_image,
                DEFAULT_PROMETHEUS_BASE_IMAGE,
            ),
            thanos_base_image: or(
                &options.thanos_default_base_image,
                DEFAULT_THANOS_BASE_IMAGE,
            ),
            alertmanager_base_image: or(
                &options.alertmanager_default_base_image,
                DEFAULT_ALERTMANAGER_BASE_IMAGE,
            ),
            localhost: or(&options.localhost, "localhost"),
            labels: &options.labels,
            annotations: &options.annotations,
        }
    }

    /// `config.Labels.Merge(labels)`: the operator's `--labels` win over `labels`.
    pub fn with_operator_labels(
        &self,
        labels: &BTreeMap<String, String>,
    ) -> BTreeMap<String, String> {
        let mut merged = labels.clone();
        merged.extend(self.labels.iter().map(|(k, v)| (k.clone(), v.clone())));
        merged
    }
}

/// Upstream `ContainerConfig.ResourceRequirements`: a zero quantity sets nothing.
fn reloader_resources(options: &OperatorOptions) -> ResourceRequirements {
    let mut requests = BTreeMap::new();
    let mut limits = BTreeMap::new();
    let flags = [
        (
            &options.config_reloader_cpu_request,
            DEFAULT_RELOADER_CPU,
            "cpu",
            false,
        ),
        (
            &options.config_reloader_memory_request,
            DEFAULT_RELOADER_MEMORY,
            "memory",
            false,
        ),
        (
            &options.config_reloader_cpu_limit,
            DEFAULT_RELOADER_CPU,
            "cpu",
            true,
        ),
        (
            &options.config_reloader_memory_limit,
            DEFAULT_RELOADER_MEMORY,
            "memory",
            true,
        ),
    ];
    for (value, default, resource, limit) in flags {
        let list = if limit { &mut limits } else { &mut requests };
        insert_quantity(list, resource, value.as_deref().unwrap_or(default));
    }
    ResourceRequirements {
        limits: Some(limits).filter(|l| !l.is_empty()),
        requests: Some(requests).filter(|r| !r.is_empty()),
        ..ResourceRequirements::default()
    }
}

fn insert_quantity(list: &mut BTreeMap<String, Quantity>, resource: &str, value: &str) {
    if !is_zero_quantity(value) {
        list.insert(resource.to_owned(), Quantity(value.trim().to_owned()));
    }
}

/// Whether a quantity flag is unset or zero (`0`, `0m`, `0Mi`, ...), which the operator prints
/// as `"0"` and treats as "no request/limit".
fn is_zero_quantity(value: &str) -> bool {
    let number: String = value
        .trim()
        .chars()
        .take_while(|c| c.is_ascii_digit() || matches!(c, '.' | '+' | '-'))
        .collect();
    number.is_empty() || number.parse::<f64>().is_ok_and(|n| n == 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_match_the_operator_flags() {
        let options = OperatorOptions::default();
        let settings = Settings::new(&options);
        assert_eq!(
            settings.reloader_image,
            "quay.io/prometheus-operator/prometheus-config-reloader:v0.93.0"
        );
        let requests = settings.reloader_resources.requests.unwrap();
        assert_eq!(requests["cpu"], Quantity("10m".into()));
        assert_eq!(requests["memory"], Quantity("50Mi".into()));
        assert_eq!(settings.localhost, "localhost");
    }

    #[test]
    fn zero_quantities_set_nothing() {
        let options = OperatorOptions {
            config_reloader_cpu_request: Some("0".into()),
            config_reloader_cpu_limit: Some("0m".into()),
            config_reloader_memory_request: Some(String::new()),
            ..OperatorOptions::default()
        };
        let resources = Settings::new(&options).reloader_resources;
        assert_eq!(resources.requests, None);
        assert_eq!(resources.limits.unwrap().len(), 1);
    }
}
