//! The scrape job of a Probe (upstream `generateProbeConfig`).

use super::Generator;
use super::relabeling::{init_relabelings, selector_relabelings, str_seq};
use super::service_monitor::copy_label;
use crate::monitoring::v1::Probe;
use crate::monitoring::v1::probe::ProbeTargetIngress;
use crate::yaml::go_map_sorted;
use crate::yaml::{Map, Yaml};

/// The Ingresses a Probe discovers its targets from, unless static targets take precedence.
pub(crate) fn probe_ingress(probe: &Probe) -> Option<&ProbeTargetIngress> {
    let targets = &probe.spec.targets;
    targets
        .static_config
        .is_none()
        .then_some(targets.ingress.as_ref())
        .flatten()
}

impl Generator<'_> {
    /// The scrape job of a Probe.
    pub(crate) fn probe_job(&self, probe: &Probe, shards: i32) -> Map {
        let spec = &probe.spec;
        let prober = &spec.prober_spec;
        let monitor = self.monitor_ref(probe, spec.scrape_class_name.as_deref());
        let (namespace, name, scrape_class) =
            (monitor.namespace, monitor.name, monitor.scrape_class);

        let mut cfg = Map::new().with("job_name", format!("probe/{namespace}/{name}"));
        self.add_honor_timestamps(&mut cfg, Some(true));
        cfg.push("metrics_path", prober.path.as_str());
        if !spec.interval.is_empty() {
            cfg.push("scrape_interval", spec.interval.as_str());
        }
        if !spec.scrape_timeout.is_empty() {
            cfg.push("scrape_timeout", spec.scrape_timeout.as_str());
        }
        if let Some(scheme) = &prober.scheme {
            cfg.push("scheme", scheme.to_lowercase());
        }

        let mut params = Map::new();
        if !spec.module.is_empty() {
            params.push("module", vec![spec.module.clone()]);
        }
        for param in &spec.params {
            if !spec.module.is_empty() && param.name == "module" {
                continue;
            }
            params.push(param.name.clone(), param.values.clone());
        }
        if !params.is_empty() {
            cfg.push("params", params);
        }

        self.add_monitor_scrape_settings(&mut cfg, &spec.monitor_scrape_settings(), scrape_class);
        if let Some(limit) = self
            .common
            .enforced_body_size_limit
            .as_deref()
            .filter(|l| !l.is_empty())
        {
            self.push_min(&mut cfg, "2.28.0", "body_size_limit", limit);
        }

        let mut relabelings = init_relabelings();
        if !spec.job_name.is_empty() {
            relabelings.push(
                Map::new()
                    .with("target_label", Yaml::fixed("job"))
                    .with("replacement", spec.job_name.as_str()),
            );
        }

        self.add_proxy_config(&mut cfg, namespace, &prober.proxy_config());
        self.add_http_config(
            &mut cfg,
            namespace,
            spec.follow_redirects,
            spec.enable_http2,
            spec.tls_config.as_ref(),
            scrape_class,
        );

        // Both kinds of targets end alike, with their own relabelings.
        let target_relabelings = if let Some(static_config) = &spec.targets.static_config {
            let mut labels = static_config.labels.clone();
            labels
                .entry("namespace".to_owned())
                .or_insert_with(|| namespace.to_owned());
            let labels = go_map_sorted(&labels);
            let static_entry = Map::new()
                .with("targets", static_config.targets.clone())
                .with("labels", labels);
            cfg.push("static_configs", vec![static_entry]);

            relabelings.push(copy_label("__address__", "__param_target"));
            Some(&static_config.relabel_configs)
        } else if let Some(ingress) = probe_ingress(probe) {
            relabelings.extend(selector_relabelings(
                &ingress.selector,
                "__meta_kubernetes_ingress",
            ));
            let sd = self.k8s_sd_config(
                &ingress.namespace_selector,
                namespace,
                "ingress",
                None,
                None,
            );
            cfg.push("kubernetes_sd_configs", sd);

            relabelings.push(
                Map::new()
                    .with(
                        "source_labels",
                        str_seq(&[
                            "__meta_kubernetes_ingress_scheme",
                            "__address__",
                            "__meta_kubernetes_ingress_path",
                        ]),
                    )
                    .with("separator", Yaml::fixed(";"))
                    .with("regex", Yaml::fixed("(.+);(.+);(.+)"))
                    .with("target_label", Yaml::fixed("__param_target"))
                    .with("replacement", Yaml::fixed("${1}://${2}${3}"))
                    .with("action", Yaml::fixed("replace")),
            );
            relabelings.push(copy_label("__meta_kubernetes_namespace", "namespace"));
            relabelings.push(copy_label("__meta_kubernetes_ingress_name", "ingress"));
            relabelings.push(
                Map::new()
                    .with("source_labels", str_seq(&["__address__"]))
                    .with("separator", Yaml::fixed(";"))
                    .with("regex", Yaml::fixed("(.*)"))
                    .with("target_label", Yaml::fixed("__tmp_ingress_address"))
                    .with("replacement", Yaml::fixed("$1"))
                    .with("action", Yaml::fixed("replace")),
            );
            Some(&ingress.relabel_configs)
        } else {
            None
        };
        if let Some(rules) = target_relabelings {
            relabelings.push(copy_label("__param_target", "instance"));
            relabelings.push(
                Map::new()
                    .with("target_label", Yaml::fixed("__address__"))
                    .with("replacement", prober.url.as_str()),
            );
            relabelings.extend(self.monitor_relabelings(&monitor, rules));
        }

        self.append_sharding_relabeling_for_probes(&mut relabelings, shards);
        cfg.push("relabel_configs", relabelings);

        self.add_monitor_bearer_token(&mut cfg, &monitor, spec.bearer_token_secret.as_ref());
        self.add_basic_auth(&mut cfg, namespace, spec.basic_auth.as_ref());
        self.add_oauth2(&mut cfg, namespace, spec.oauth2.as_ref());
        self.add_monitor_authorization(&mut cfg, &monitor, spec.authorization.as_ref());

        self.add_metric_relabelings(&mut cfg, &monitor, &spec.metric_relabel_configs);
        cfg
    }
}

#[cfg(test)]
mod tests {
    use crate::monitoring::v1::Probe;
    use crate::render::service_monitor::tests::{first_sd_config, generator, keys};
    use crate::yaml::Yaml;

    #[test]
    fn static_probe_adds_namespace_label_and_module_param() {
        let probe: Probe = crate::yaml::from_str(
            "metadata: {namespace: ns, name: web}
spec:
  module: http_2xx
  prober: {url: blackbox:9115, path: /probe}
  params: [{name: module, values: [ignored]}, {name: extra, values: [a]}]
  targets: {staticConfig: {static: ['https://example.com']}}
",
        )
        .unwrap();
        let (common, options, snapshot) = Default::default();
        let job = generator(&common, &options, &snapshot).probe_job(&probe, 1);
        assert_eq!(
            keys(&job),
            [
                "job_name",
                "honor_timestamps",
                "metrics_path",
                "params",
                "static_configs",
                "relabel_configs"
            ]
        );
        let params = job.get("params").and_then(Yaml::as_map).unwrap();
        assert_eq!(keys(params), ["module", "extra"]);
        let statics = job.get("static_configs").and_then(Yaml::as_seq).unwrap();
        let labels = statics[0]
            .as_map()
            .unwrap()
            .get("labels")
            .and_then(Yaml::as_map)
            .unwrap();
        assert_eq!(labels.get("namespace"), Some(&Yaml::from("ns")));
    }

    #[test]
    fn ingress_probe_discovers_ingresses() {
        let probe: Probe = crate::yaml::from_str(
            "metadata: {namespace: ns, name: web}
spec:
  prober: {url: blackbox:9115}
  targets: {ingress: {selector: {matchLabels: {probe: 'yes'}}, namespaceSelector: {any: true}}}
",
        )
        .unwrap();
        let (common, options, snapshot) = Default::default();
        let job = generator(&common, &options, &snapshot).probe_job(&probe, 1);
        let sd = first_sd_config(&job);
        assert_eq!(keys(&sd), ["role"]);
        let rules = job.get("relabel_configs").and_then(Yaml::as_seq).unwrap();
        let last = rules.last().and_then(Yaml::as_map).unwrap();
        assert_eq!(last.get("regex"), Some(&Yaml::from("$(SHARD);|.+;.+")));
        let hash = rules[rules.len() - 3].as_map().unwrap();
        assert_eq!(
            hash.get("source_labels"),
            Some(&Yaml::from(vec![
                "__param_target".to_owned(),
                "__tmp_hash".to_owned()
            ]))
        );
    }
}
