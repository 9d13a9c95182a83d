//! The whole configuration document, in upstream key order (upstream
//! `GenerateServerConfiguration` and `GenerateAgentConfiguration`).

use super::additional::secret_field;
use super::alerting::SecretText;
use super::{Generator, RenderError, RenderRequest};
use crate::monitoring::v1::prometheus::PrometheusSpec;
use crate::yaml::{Map, Yaml};

impl Generator<'_> {
    /// The configuration of a `Prometheus` server.
    pub(crate) fn server_configuration(
        &self,
        spec: &PrometheusSpec,
        req: &RenderRequest<'_>,
    ) -> Result<Map, RenderError> {
        self.validate_remote_writes()?;
        if let Some(alerting) = &spec.alerting {
            self.validate_alertmanager_endpoints(alerting)?;
        }
        self.check_scrape_timeout()?;
        let mut cfg = Map::new();

        let mut global = self.global_config();
        global.push(
            "evaluation_interval",
            spec.evaluation_interval.clone().unwrap_or_default(),
        );
        if let Some(offset) = &spec.rule_query_offset {
            self.push_min(&mut global, "2.53.0", "rule_query_offset", offset);
        }
        if let Some(file) = spec.query_log_file.as_deref().filter(|f| !f.is_empty()) {
            self.push_min(
                &mut global,
                "2.16.0",
                "query_log_file",
                super::global::log_file_path(file),
            );
        }
        cfg.push("global", global);
        self.push_runtime(&mut cfg);
        if spec.rule_selector.is_some() {
            cfg.push(
                "rule_files",
                super::global::rule_file_globs(&req.rule_config_map_names),
            );
        }

        let additional = self.load_secret_ref(
            self.common.additional_scrape_configs.as_ref(),
            "loading additional scrape configs from Secret failed",
        )?;
        let mut jobs = self.monitor_jobs(req);
        jobs.extend(self.scrape_config_jobs(req)?);
        jobs.extend(self.additional_scrape_configs(additional.as_deref())?);
        cfg.push("scrape_configs", Yaml::Seq(jobs));

        self.push_server_storage(
            &mut cfg,
            spec.exemplars.as_ref(),
            spec.retention.as_deref().unwrap_or(""),
            spec.retention_size.as_deref().unwrap_or(""),
        )?;
        let alert_relabel_configs = self.load_secret_ref(
            spec.additional_alert_relabel_configs.as_ref(),
            "loading additional alert relabel configs from Secret failed",
        )?;
        let alertmanager_configs = self.load_secret_ref(
            spec.additional_alert_manager_configs.as_ref(),
            "loading additional alert manager configs from Secret failed",
        )?;
        self.push_alerting(
            &mut cfg,
            spec.alerting.as_ref(),
            SecretText {
                text: alert_relabel_configs.as_deref(),
                field: secret_field(
                    "spec.additionalAlertRelabelConfigs",
                    spec.additional_alert_relabel_configs.as_ref(),
                ),
            },
            SecretText {
                text: alertmanager_configs.as_deref(),
                field: secret_field(
                    "spec.additionalAlertManagerConfigs",
                    spec.additional_alert_manager_configs.as_ref(),
                ),
            },
        )?;
        self.push_remote_write(&mut cfg);
        self.push_remote_read(&mut cfg, &spec.remote_read);
        self.push_otlp(&mut cfg)?;
        self.push_tracing(&mut cfg)?;
        Ok(cfg)
    }

    /// The configuration of a `PrometheusAgent`.
    pub(crate) fn agent_configuration(&self, req: &RenderRequest<'_>) -> Result<Map, RenderError> {
        self.validate_remote_writes()?;
        self.check_scrape_timeout()?;
        let mut cfg = Map::new();
        cfg.push("global", self.global_config());
        self.push_runtime(&mut cfg);

        let additional = self.load_secret_ref(
            self.common.additional_scrape_configs.as_ref(),
            "loading additional scrape configs from Secret failed",
        )?;
        let shards = self.shards();
        let mut jobs: Vec<Yaml> = req
            .pod_monitors
            .iter()
            .flat_map(|pm| self.pod_monitor_jobs(pm, shards))
            .map(Yaml::Map)
            .collect();
        jobs.extend(self.additional_scrape_configs(additional.as_deref())?);
        // DaemonSet agents only scrape their own node's pods.
        if !self.daemon_set_mode() {
            jobs.extend(
                req.service_monitors
                    .iter()
                    .flat_map(|sm| self.service_monitor_jobs(sm, shards))
                    .map(Yaml::Map),
            );
            jobs.extend(
                req.probes
                    .iter()
                    .map(|probe| Yaml::Map(self.probe_job(probe, shards))),
            );
            jobs.extend(self.scrape_config_jobs(req)?);
        }
        cfg.push("scrape_configs", Yaml::Seq(jobs));

        self.push_agent_storage(&mut cfg)?;
        self.push_remote_write(&mut cfg);
        self.push_otlp(&mut cfg)?;
        self.push_tracing(&mut cfg)?;
        Ok(cfg)
    }

    /// ServiceMonitor, PodMonitor and Probe jobs, in the server's order.
    fn monitor_jobs(&self, req: &RenderRequest<'_>) -> Vec<Yaml> {
        let shards = self.shards();
        let service_monitors = req
            .service_monitors
            .iter()
            .flat_map(|sm| self.service_monitor_jobs(sm, shards));
        let pod_monitors = req
            .pod_monitors
            .iter()
            .flat_map(|pm| self.pod_monitor_jobs(pm, shards));
        let probes = req.probes.iter().map(|probe| self.probe_job(probe, shards));
        service_monitors
            .chain(pod_monitors)
            .chain(probes)
            .map(Yaml::Map)
            .collect()
    }

    /// ScrapeConfig jobs; the first job that cannot be generated fails the whole render.
    fn scrape_config_jobs(&self, req: &RenderRequest<'_>) -> Result<Vec<Yaml>, RenderError> {
        req.scrape_configs
            .iter()
            .map(|sc| self.scrape_config_job(sc).map(Yaml::Map))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use crate::monitoring::v1::Prometheus;
    use crate::operator::OperatorOptions;
    use crate::render::{RenderRequest, render};
    use crate::snapshot::Snapshot;
    use crate::target::Target;
    use crate::yaml::Yaml;

    fn prometheus(spec_yaml: &str) -> Prometheus {
        let text = format!(
            "metadata: {{name: test, namespace: default}}\nspec:\n  scrapeInterval: 30s\n  evaluationInterval: 30s\n  podMonitorSelector: {{}}\n{spec_yaml}"
        );
        crate::yaml::from_str(&text).unwrap()
    }

    fn request<'a>(p: &'a Prometheus, snapshot: &'a Snapshot) -> RenderRequest<'a> {
        RenderRequest {
            target: Target::Server(p),
            service_monitors: Vec::new(),
            pod_monitors: Vec::new(),
            probes: Vec::new(),
            scrape_configs: Vec::new(),
            snapshot,
            options: OperatorOptions::default(),
            rule_config_map_names: Vec::new(),
        }
    }

    #[test]
    fn top_level_keys_follow_upstream_order() {
        let p = prometheus(
            "  retention: 10d\n  remoteWrite: [{url: 'http://rw'}]\n  remoteRead: [{url: 'http://rr'}]\n  alerting: {alertmanagers: [{name: am, port: web}]}\n  otlp: {promoteResourceAttributes: [a]}\n  tracingConfig: {endpoint: 'otel:4317'}\n",
        );
        let snapshot = Snapshot::default();
        let rendered = render(&request(&p, &snapshot)).unwrap();
        let keys: Vec<&str> = rendered
            .config
            .as_map()
            .unwrap()
            .iter()
            .map(|(k, _)| k)
            .collect();
        assert_eq!(
            keys,
            [
                "global",
                "scrape_configs",
                "storage",
                "alerting",
                "remote_write",
                "remote_read",
                "otlp",
                "tracing"
            ]
        );
    }

    #[test]
    fn version_gated_setting_becomes_a_warning() {
        let p = prometheus("  version: v2.52.0\n  runtime: {goGC: 25}\n");
        let snapshot = Snapshot::default();
        let rendered = render(&request(&p, &snapshot)).unwrap();
        let config = rendered.config.as_map().unwrap();
        assert!(!config.contains_key("runtime"));
        assert!(rendered.warnings.iter().any(|w| w.field == "runtime"));
        assert_eq!(
            config
                .get("global")
                .and_then(Yaml::as_map)
                .and_then(|g| g.get("scrape_interval")),
            Some(&Yaml::from("30s".to_owned()))
        );
    }

    #[test]
    fn refused_settings_are_errors_with_the_operator_reason() {
        let snapshot = Snapshot::default();
        let p = prometheus("  scrapeTimeout: 1m\n");
        let err = render(&request(&p, &snapshot)).unwrap_err().to_string();
        assert!(err.contains("greater than scrapeInterval"), "{err}");

        let p = prometheus(
            "  remoteWrite:\n  - url: 'http://rw'\n    basicAuth: {username: {name: s, key: u}}\n    sigv4: {region: eu}\n",
        );
        let err = render(&request(&p, &snapshot)).unwrap_err().to_string();
        assert!(err.contains("can't be set at the same time"), "{err}");

        let p = prometheus("  additionalScrapeConfigs: {name: missing, key: k}\n");
        let err = render(&request(&p, &snapshot)).unwrap_err().to_string();
        assert!(err.contains("loading additional scrape configs"), "{err}");
    }
}
