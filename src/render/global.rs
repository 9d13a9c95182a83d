//! The `global` section, `runtime` and `rule_files` (upstream `buildGlobalConfig`,
//! `buildExternalLabels`, `appendScrapeLimits`, `appendRuntime`, `appendRuleFiles`, the name
//! validation/escaping and histogram settings), plus the value conversions they need.

use std::collections::BTreeMap;

use super::relabeling::SCRAPE_LIMITS;
use super::{Generator, RenderError};
use crate::yaml::{Map, Yaml};

const DEFAULT_PROMETHEUS_EXTERNAL_LABEL: &str = "prometheus";
const DEFAULT_REPLICA_EXTERNAL_LABEL: &str = "prometheus_replica";
const DEFAULT_ZONE_EXTERNAL_LABEL: &str = "zone";
/// Where the operator mounts rule ConfigMaps.
pub(crate) const RULES_DIR: &str = "/etc/prometheus/rules";
/// Where log files named without a directory are written (the log-file volume).
pub(crate) const DEFAULT_LOG_DIR: &str = "/var/log/prometheus";

impl Generator<'_> {
    /// The `global` section shared by server and agent (upstream `buildGlobalConfig`).
    pub(crate) fn global_config(&self) -> Map {
        let common = self.common;
        let mut global = Map::new();
        global.push(
            "scrape_interval",
            common.scrape_interval.clone().unwrap_or_default(),
        );
        if let Some(timeout) = common.scrape_timeout.as_deref().filter(|t| !t.is_empty()) {
            global.push("scrape_timeout", timeout);
        }
        self.push_global_scrape_protocols(&mut global);
        global.push("external_labels", self.external_labels());
        self.push_global_limits(&mut global);
        if let Some(file) = &common.scrape_failure_log_file {
            self.push_min(
                &mut global,
                "2.55.0",
                "scrape_failure_log_file",
                log_file_path(file),
            );
        }
        if let Some(scheme) = &common.name_validation_scheme {
            self.push_min(
                &mut global,
                "3.0.0",
                "metric_name_validation_scheme",
                scheme.to_lowercase(),
            );
        }
        if let Some(scheme) = &common.name_escaping_scheme {
            let value = match scheme.as_str() {
                "AllowUTF8" => Some("allow-utf-8"),
                "Underscores" => Some("underscores"),
                "Dots" => Some("dots"),
                "Values" => Some("values"),
                _ => None,
            };
            if let Some(value) = value {
                self.push_min(&mut global, "3.4.0", "metric_name_escaping_scheme", value);
            }
        }
        if let Some(convert) = common.convert_classic_histograms_to_nhcb {
            self.push_min(
                &mut global,
                "3.4.0",
                "convert_classic_histograms_to_nhcb",
                convert,
            );
        }
        if let Some(classic) = common.scrape_classic_histograms {
            self.push_min(
                &mut global,
                "3.5.0",
                "always_scrape_classic_histograms",
                classic,
            );
        }
        if let Some(native) = common.scrape_native_histograms {
            self.push_min(&mut global, "3.8.0", "scrape_native_histograms", native);
        }
        global
    }

    /// Global `scrape_protocols`; `PrometheusText1.0.0` needs Prometheus 3.
    fn push_global_scrape_protocols(&self, global: &mut Map) {
        self.add_scrape_protocols(global, &self.common.scrape_protocols);
    }

    /// External labels: the Prometheus and replica labels, the topology zone label, then the
    /// user's labels (reserved names are not overridden), sorted by name.
    fn external_labels(&self) -> Map {
        let common = self.common;
        let mut labels: BTreeMap<String, String> = BTreeMap::new();
        let prometheus_label = common
            .prometheus_external_label_name
            .as_deref()
            .unwrap_or(DEFAULT_PROMETHEUS_EXTERNAL_LABEL);
        if !prometheus_label.is_empty() {
            labels.insert(
                prometheus_label.to_owned(),
                format!("{}/{}", self.namespace, self.name),
            );
        }
        let replica_label = self.replica_external_label_name();
        if !replica_label.is_empty() {
            labels.insert(replica_label.to_owned(), "$(POD_NAME)".to_owned());
        }
        if self.options.topology_sharding
            && let Some(strategy) = &common.sharding_strategy
            && strategy.mode.as_deref() == Some("Topology")
            && let Some(topology) = &strategy.topology
        {
            let zone_label = topology
                .external_label_name
                .as_deref()
                .unwrap_or(DEFAULT_ZONE_EXTERNAL_LABEL);
            if !zone_label.is_empty() {
                labels.insert(zone_label.to_owned(), "$(TOPOLOGY_ZONE)".to_owned());
            }
        }
        for (name, value) in &common.external_labels {
            if labels.contains_key(name) {
                self.warnings.borrow_mut().push(super::Warning {
                    field: format!("externalLabels.{name}"),
                    message: "ignored: reserved external label name".to_owned(),
                });
                continue;
            }
            labels.insert(name.clone(), value.clone());
        }
        labels
            .into_iter()
            .map(|(k, v)| (k, Yaml::from(v)))
            .collect()
    }

    /// The replica external label name (`prometheus_replica` unless overridden; may be empty).
    pub(crate) fn replica_external_label_name(&self) -> &str {
        self.common
            .replica_external_label_name
            .as_deref()
            .unwrap_or(DEFAULT_REPLICA_EXTERNAL_LABEL)
    }

    /// Global scrape limits (upstream `appendScrapeLimits`).
    fn push_global_limits(&self, global: &mut Map) {
        let common = self.common;
        let body_size = common.body_size_limit.clone().or_else(|| {
            common
                .enforced_body_size_limit
                .clone()
                .filter(|s| !s.is_empty())
        });
        if let Some(body_size) = body_size {
            self.push_min(global, "2.45.0", "body_size_limit", body_size);
        }
        let limits = common.scrape_limits();
        for limit in &SCRAPE_LIMITS {
            let user = (limit.value)(&limits).unwrap_or(0);
            let enforced = (limit.enforced)(common).unwrap_or(0);
            let value = if user > 0 {
                if enforced > 0 && user > enforced {
                    enforced
                } else {
                    user
                }
            } else if enforced > 0 {
                enforced
            } else {
                continue;
            };
            self.push_min(global, limit.global_min_version, limit.key, value);
        }
    }

    /// Appends the `runtime` section when set and supported (upstream `appendRuntime`).
    pub(crate) fn push_runtime(&self, cfg: &mut Map) {
        let Some(runtime) = &self.common.runtime else {
            return;
        };
        let mut section = Map::new();
        if let Some(gogc) = runtime.go_gc {
            section.push("gogc", gogc);
        }
        self.push_min(cfg, "2.53.0", "runtime", section);
    }

    /// Rejects a global scrape timeout longer than the scrape interval.
    pub(crate) fn check_scrape_timeout(&self) -> Result<(), RenderError> {
        let Some(timeout) = self
            .common
            .scrape_timeout
            .as_deref()
            .filter(|t| !t.is_empty())
        else {
            return Ok(());
        };
        let interval = self.common.scrape_interval.as_deref().unwrap_or("");
        crate::validate::compare_scrape_timeout_to_interval(timeout, interval).map_err(
            |(_, message)| RenderError::Invalid {
                field: "spec.scrapeTimeout".to_owned(),
                message,
            },
        )
    }
}

/// The path Prometheus writes a log file to: bare file names go to the default log volume.
pub(crate) fn log_file_path(file: &str) -> String {
    let bare = file.strip_prefix("./").unwrap_or(file);
    if !bare.is_empty() && !bare.contains('/') {
        format!("{DEFAULT_LOG_DIR}/{bare}")
    } else {
        file.to_owned()
    }
}

/// The `rule_files` globs for the mounted rule ConfigMaps.
pub(crate) fn rule_file_globs(config_map_names: &[String]) -> Vec<String> {
    config_map_names
        .iter()
        .map(|name| format!("{RULES_DIR}/{name}/*.yaml"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_files_without_directory_go_to_the_log_volume() {
        assert_eq!(log_file_path("query.log"), "/var/log/prometheus/query.log");
        assert_eq!(log_file_path("/tmp/q.log"), "/tmp/q.log");
    }
}
