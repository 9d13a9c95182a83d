//! ScrapeConfig jobs (upstream `appendScrapeConfigs`, `generateScrapeConfig` and
//! `addFiltersToYaml`): one scrape job per selected ScrapeConfig, named
//! `scrapeConfig/<namespace>/<name>`.

mod discovery;

use super::relabeling::{
    generate_relabel_config, init_relabelings, merge_fallback_scrape_protocol_with_scrape_class,
    merge_safe_authorization_with_scrape_class, merge_safe_tls_config_with_scrape_class,
};
use super::{Generator, RenderError};
use crate::monitoring::CustomResource;
use crate::monitoring::v1alpha1::ScrapeConfig;
use crate::yaml::{Map, Yaml};
use discovery::Discovery;
pub(crate) use discovery::attach_metadata_minimum_version;

impl Generator<'_> {
    /// The scrape job of one ScrapeConfig (upstream `generateScrapeConfig`).
    ///
    /// # Errors
    /// When a Secret the job needs (Consul token, EC2/Lightsail keys, Azure client secret,
    /// OpenStack password or application credential) is missing, as upstream.
    pub(crate) fn scrape_config_job(&self, sc: &ScrapeConfig) -> Result<Map, RenderError> {
        let spec = &sc.spec;
        let namespace = sc.metadata.namespace.as_deref().unwrap_or("");
        let name = sc.metadata.name.as_deref().unwrap_or("");
        let scrape_class = self.scrape_class_or_default(spec.scrape_class.as_deref());
        let job_name = format!("scrapeConfig/{namespace}/{name}");

        let mut cfg = Map::new().with("job_name", job_name.as_str());
        let mut relabelings = init_relabelings();
        relabelings.extend(generate_relabel_config(&scrape_class.relabelings));
        if let Some(job) = &spec.job_name {
            relabelings.push(
                Map::new()
                    .with("target_label", Yaml::fixed("job"))
                    .with("action", Yaml::fixed("replace"))
                    .with("replacement", job.as_str()),
            );
        }

        if spec.honor_timestamps.is_some() {
            self.add_honor_timestamps(&mut cfg, spec.honor_timestamps);
        }
        if spec.track_timestamps_staleness.is_some() {
            self.add_track_timestamps_staleness(&mut cfg, spec.track_timestamps_staleness);
        }
        if let Some(honor) = spec.honor_labels {
            self.add_honor_labels(&mut cfg, honor);
        }
        if let Some(path) = &spec.metrics_path {
            cfg.push("metrics_path", path.as_str());
        }
        if !spec.params.is_empty() {
            let params: Map = spec
                .params
                .iter()
                .map(|(k, v)| (k.clone(), Yaml::from(v.clone())))
                .collect();
            cfg.push("params", params);
        }
        if let Some(compression) = spec.enable_compression {
            self.push_min(&mut cfg, "2.49.0", "enable_compression", compression);
        }
        if let Some(http2) = spec.enable_http2 {
            self.push_min(&mut cfg, "2.35.0", "enable_http2", http2);
        }
        if let Some(interval) = &spec.scrape_interval {
            cfg.push("scrape_interval", interval.as_str());
        }
        if let Some(timeout) = &spec.scrape_timeout {
            cfg.push("scrape_timeout", timeout.as_str());
        }
        self.add_scrape_protocols(&mut cfg, &spec.scrape_protocols);
        self.add_fallback_scrape_protocol(
            &mut cfg,
            merge_fallback_scrape_protocol_with_scrape_class(
                spec.fallback_scrape_protocol.as_ref(),
                scrape_class,
            ),
        );
        if let Some(scheme) = &spec.scheme {
            cfg.push("scheme", scheme.to_lowercase());
        }
        self.add_proxy_config(&mut cfg, namespace, &spec.proxy_config());
        self.add_basic_auth(&mut cfg, namespace, spec.basic_auth.as_ref());
        let authorization =
            merge_safe_authorization_with_scrape_class(spec.authorization.as_ref(), scrape_class);
        self.add_authorization(&mut cfg, namespace, authorization.as_ref());
        self.add_oauth2(&mut cfg, namespace, spec.oauth2.as_ref());
        let tls = merge_safe_tls_config_with_scrape_class(spec.tls_config.as_ref(), scrape_class);
        self.add_tls(&mut cfg, namespace, tls.as_ref());
        self.add_limits(&mut cfg, &spec.scrape_limits());
        self.add_native_histogram_config(&mut cfg, &spec.native_histogram_config());
        self.add_body_size_limit(&mut cfg, spec.body_size_limit.as_deref());

        self.push_discovery(&mut cfg, sc, namespace, &job_name)?;

        if !spec.relabelings.is_empty() {
            let rules = self.enforce_namespace_label(
                ScrapeConfig::PLURAL,
                namespace,
                name,
                &spec.relabelings,
            );
            relabelings.extend(generate_relabel_config(&rules));
        }
        let shards = self.shards();
        if shards != 1 {
            self.append_sharding_relabeling_with_address_if_missing(&mut relabelings, shards);
        }
        cfg.push("relabel_configs", relabelings);

        let mut metric_relabelings = scrape_class.metric_relabelings.clone();
        metric_relabelings.extend(self.enforce_namespace_label(
            ScrapeConfig::PLURAL,
            namespace,
            name,
            &spec.metric_relabelings,
        ));
        if !metric_relabelings.is_empty() {
            cfg.push(
                "metric_relabel_configs",
                generate_relabel_config(&metric_relabelings),
            );
        }

        self.push_name_validation_scheme(&mut cfg, spec.name_validation_scheme.as_deref());
        self.push_name_escaping_scheme(&mut cfg, spec.name_escaping_scheme.as_deref());
        Ok(cfg)
    }

    /// Every `*_sd_configs` section, in upstream order.
    fn push_discovery(
        &self,
        cfg: &mut Map,
        sc: &ScrapeConfig,
        namespace: &str,
        job_name: &str,
    ) -> Result<(), RenderError> {
        let spec = &sc.spec;
        let d = Discovery {
            generator: self,
            namespace,
            job_name,
        };
        // One line per section: its key, the spec's entries, the method that renders one
        // entry; `method(index)` marks one that can fail and takes the entry's index.
        macro_rules! sections {
            ($($key:literal: $items:ident => $render:ident $(($index:ident))?;)*) => {
                $(sections!(@one $key, $items, $render $(($index))?);)*
            };
            (@one $key:literal, $items:ident, $render:ident) => {
                if !spec.$items.is_empty() {
                    cfg.push($key, spec.$items.iter().map(|c| d.$render(c)).collect::<Vec<Map>>());
                }
            };
            (@one $key:literal, $items:ident, $render:ident ($index:ident)) => {
                if !spec.$items.is_empty() {
                    let rendered = spec.$items.iter().enumerate();
                    let rendered = rendered.map(|($index, c)| d.$render($index, c));
                    cfg.push($key, rendered.collect::<Result<Vec<Map>, _>>()?);
                }
            };
        }
        sections! {
            "static_configs": static_configs => static_config;
            "file_sd_configs": file_sd_configs => file_sd;
            "http_sd_configs": http_sd_configs => http_sd;
            "kubernetes_sd_configs": kubernetes_sd_configs => kubernetes_sd;
            "consul_sd_configs": consul_sd_configs => consul_sd(index);
            "dns_sd_configs": dns_sd_configs => dns_sd;
            "ec2_sd_configs": ec2_sd_configs => ec2_sd(index);
            "azure_sd_configs": azure_sd_configs => azure_sd(index);
            "gce_sd_configs": gce_sd_configs => gce_sd;
            "openstack_sd_configs": openstack_sd_configs => openstack_sd(index);
            "digitalocean_sd_configs": digital_ocean_sd_configs => digitalocean_sd;
            "kuma_sd_configs": kuma_sd_configs => kuma_sd;
            "eureka_sd_configs": eureka_sd_configs => eureka_sd;
            "docker_sd_configs": docker_sd_configs => docker_sd;
            "linode_sd_configs": linode_sd_configs => linode_sd;
            "hetzner_sd_configs": hetzner_sd_configs => hetzner_sd;
            "nomad_sd_configs": nomad_sd_configs => nomad_sd;
            "dockerswarm_sd_configs": docker_swarm_sd_configs => docker_swarm_sd;
            "puppetdb_sd_configs": puppet_db_sd_configs => puppetdb_sd;
            "lightsail_sd_configs": light_sail_sd_configs => lightsail_sd(index);
            "ovhcloud_sd_configs": ovhcloud_sd_configs => ovhcloud_sd;
            "scaleway_sd_configs": scaleway_sd_configs => scaleway_sd;
            "ionos_sd_configs": ionos_sd_configs => ionos_sd;
        }
        Ok(())
    }

    /// `metric_name_validation_scheme`, lower-cased (upstream `appendNameValidationScheme`).
    pub(crate) fn push_name_validation_scheme(&self, cfg: &mut Map, scheme: Option<&str>) {
        if let Some(scheme) = scheme {
            self.push_min(
                cfg,
                "3.0.0",
                "metric_name_validation_scheme",
                scheme.to_lowercase(),
            );
        }
    }

    /// `metric_name_escaping_scheme` in Prometheus's spelling; unknown values are left out
    /// (upstream `appendNameEscapingScheme`).
    pub(crate) fn push_name_escaping_scheme(&self, cfg: &mut Map, scheme: Option<&str>) {
        let value = match scheme {
            Some("AllowUTF8") => "allow-utf-8",
            Some("Underscores") => "underscores",
            Some("Dots") => "dots",
            Some("Values") => "values",
            _ => return,
        };
        self.push_min(cfg, "3.4.0", "metric_name_escaping_scheme", value);
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use super::*;
    use crate::monitoring::v1::prometheus::CommonPrometheusFields;
    use crate::operator::OperatorOptions;
    use crate::snapshot::Snapshot;
    use crate::version::Version;

    fn scrape_config(spec: &str) -> ScrapeConfig {
        crate::yaml::from_str(&format!(
            "metadata: {{name: sc, namespace: ns}}\nspec:\n{spec}"
        ))
        .unwrap()
    }

    fn render(
        sc: &ScrapeConfig,
        version: &str,
        snapshot: &Snapshot,
    ) -> (Result<Map, RenderError>, Vec<String>) {
        let common = CommonPrometheusFields::default();
        let options = OperatorOptions::default();
        let generator = Generator {
            common: &common,
            namespace: "default",
            name: "prom",
            daemon_set: false,
            retention_policies: options.retention_policies,
            version: Version::parse(version).unwrap(),
            options: &options,
            snapshot,
            warnings: RefCell::new(Vec::new()),
            request: None,
            fetched: std::cell::OnceCell::new(),
        };
        let job = generator.scrape_config_job(sc);
        let warnings = generator
            .warnings
            .into_inner()
            .into_iter()
            .map(|w| w.field)
            .collect();
        (job, warnings)
    }

    fn keys(map: &Map) -> Vec<&str> {
        map.iter().map(|(k, _)| k).collect()
    }

    #[test]
    fn static_job_has_operator_name_and_job_label_relabeling() {
        let sc = scrape_config(
            "  jobName: custom\n  staticConfigs:\n  - targets: [localhost:9100]\n    labels: {b: '2', a: '1'}",
        );
        let (job, warnings) = render(&sc, "v3.13.2", &Snapshot::default());
        let job = job.unwrap();
        assert!(warnings.is_empty());
        assert_eq!(
            keys(&job),
            ["job_name", "static_configs", "relabel_configs"]
        );
        assert_eq!(
            job.get("job_name").and_then(Yaml::as_str),
            Some("scrapeConfig/ns/sc")
        );
        let statics = job.get("static_configs").and_then(Yaml::as_seq).unwrap();
        let labels = statics[0]
            .as_map()
            .unwrap()
            .get("labels")
            .and_then(Yaml::as_map);
        assert_eq!(keys(labels.unwrap()), ["a", "b"]);
        let relabelings = job.get("relabel_configs").and_then(Yaml::as_seq).unwrap();
        let last = relabelings[1].as_map().unwrap();
        assert_eq!(keys(last), ["target_label", "action", "replacement"]);
    }

    #[test]
    fn azure_environment_resets_the_http_settings_like_upstream() {
        let sc = scrape_config(
            "  azureSDConfigs:\n  - environment: AzurePublicCloud\n    subscriptionID: sub\n    proxyUrl: http://proxy",
        );
        let (job, _) = render(&sc, "v3.13.2", &Snapshot::default());
        let job = job.unwrap();
        let azure = job.get("azure_sd_configs").and_then(Yaml::as_seq).unwrap();
        assert_eq!(
            keys(azure[0].as_map().unwrap()),
            ["environment", "subscription_id"]
        );
    }

    #[test]
    fn missing_aws_key_secret_is_an_error_naming_it() {
        let sc = scrape_config(
            "  ec2SDConfigs:\n  - accessKey: {name: gone, key: a}\n    secretKey: {name: gone, key: s}",
        );
        let (job, _) = render(&sc, "v3.13.2", &Snapshot::default());
        let err = job.unwrap_err().to_string();
        assert!(
            err.contains("gone") && err.contains("scrapeConfig/ns/sc"),
            "{err}"
        );
    }

    #[test]
    fn version_gates_drop_fields_with_a_warning() {
        let sc = scrape_config(
            "  dnsSDConfigs:\n  - names: [a.example]\n    type: NS\n  ec2SDConfigs:\n  - filters: [{name: b, values: [x]}, {name: a, values: ['y']}]\n    tlsConfig: {insecureSkipVerify: true}",
        );
        let (job, warnings) = render(&sc, "v2.40.0", &Snapshot::default());
        let job = job.unwrap();
        let dns = job.get("dns_sd_configs").and_then(Yaml::as_seq).unwrap();
        assert_eq!(keys(dns[0].as_map().unwrap()), ["names"]);
        let ec2 = job.get("ec2_sd_configs").and_then(Yaml::as_seq).unwrap();
        let ec2 = ec2[0].as_map().unwrap();
        assert_eq!(keys(ec2), ["filters"]);
        let filters = ec2.get("filters").and_then(Yaml::as_seq).unwrap();
        assert_eq!(
            filters[0]
                .as_map()
                .unwrap()
                .get("name")
                .and_then(Yaml::as_str),
            Some("a")
        );
        assert_eq!(warnings, ["type", "tls_config"]);
    }
}
