//! Scrape jobs of PodMonitors, one per endpoint (upstream `generatePodMonitorConfig`).

use super::Generator;
use super::relabeling::init_relabelings;
use super::service_monitor::{
    add_endpoint_scrape_settings, container_port_keep, copy_label, endpoint_label,
    job_label_relabeling, monitor_selector_relabelings, running_filter,
};
use crate::monitoring::v1::PodMonitor;
use crate::monitoring::v1::pod_monitor::PodMetricsEndpoint;
use crate::yaml::{Map, Yaml};

impl Generator<'_> {
    /// The scrape jobs of a PodMonitor, one per endpoint.
    pub(crate) fn pod_monitor_jobs(&self, pm: &PodMonitor, shards: i32) -> Vec<Map> {
        pm.spec
            .pod_metrics_endpoints
            .iter()
            .enumerate()
            .map(|(i, ep)| self.pod_monitor_job(pm, ep, i, shards))
            .collect()
    }

    /// The scrape job of endpoint `index` of a PodMonitor.
    pub(crate) fn pod_monitor_job(
        &self,
        pm: &PodMonitor,
        ep: &PodMetricsEndpoint,
        index: usize,
        shards: i32,
    ) -> Map {
        let spec = &pm.spec;
        let selection = spec.monitor_selection();
        let scrape = ep.endpoint_scrape();
        let monitor = self.monitor_ref(pm, selection.scrape_class_name);
        let (namespace, name, scrape_class) =
            (monitor.namespace, monitor.name, monitor.scrape_class);

        let mut cfg = Map::new().with("job_name", format!("podMonitor/{namespace}/{name}/{index}"));
        self.add_endpoint_honor_settings(&mut cfg, &scrape);

        let sd = self.monitor_sd_config(&monitor, &selection, "pod", vec!["pod".to_owned()]);
        cfg.push("kubernetes_sd_configs", sd);

        add_endpoint_scrape_settings(&mut cfg, &scrape);
        self.add_http_config(
            &mut cfg,
            namespace,
            ep.follow_redirects,
            ep.enable_http2,
            ep.tls_config.as_deref(),
            scrape_class,
        );
        let secret = ep.bearer_token_secret.as_ref();
        self.add_monitor_bearer_token(&mut cfg, &monitor, secret.filter(|s| !s.name.is_empty()));
        self.add_basic_auth(&mut cfg, namespace, ep.basic_auth.as_ref());
        self.add_oauth2(&mut cfg, namespace, ep.oauth2.as_deref());
        self.add_proxy_config(&mut cfg, namespace, &ep.proxy_config());
        self.add_monitor_authorization(&mut cfg, &monitor, ep.authorization.as_ref());

        let mut relabelings = init_relabelings();
        if scrape.filter_running.unwrap_or(true) {
            relabelings.push(running_filter());
        }
        relabelings.extend(monitor_selector_relabelings(
            &selection,
            "__meta_kubernetes_pod",
        ));

        let port = ep.port_selector();
        relabelings.extend(container_port_keep(port));

        relabelings.push(copy_label("__meta_kubernetes_namespace", "namespace"));
        relabelings.push(copy_label(
            "__meta_kubernetes_pod_container_name",
            "container",
        ));
        relabelings.push(copy_label("__meta_kubernetes_pod_name", "pod"));

        relabelings.extend(self.pod_target_label_relabelings(&spec.pod_target_labels));

        relabelings.push(
            Map::new()
                .with("target_label", Yaml::fixed("job"))
                .with("replacement", format!("{namespace}/{name}")),
        );
        relabelings.extend(job_label_relabeling(
            "__meta_kubernetes_pod",
            &spec.job_label,
        ));

        relabelings.extend(endpoint_label(port, ep.target_port.as_ref()));

        // The DaemonSet mode does not shard.
        let shards = (!self.daemon_set_mode()).then_some(shards);
        self.end_monitor_job(cfg, &monitor, &selection, &scrape, relabelings, shards)
    }
}

#[cfg(test)]
mod tests {
    use crate::monitoring::v1::PodMonitor;
    use crate::render::service_monitor::tests::{generator, keys};
    use crate::yaml::Yaml;

    #[test]
    fn pod_job_filters_running_pods_and_names_job_after_monitor() {
        let pm: PodMonitor = crate::yaml::from_str(
            "metadata: {namespace: ns, name: pods}
spec:
  selector: {matchExpressions: [{key: tier, operator: NotIn, values: [db, cache]}]}
  podMetricsEndpoints: [{portNumber: 8080, honorTimestamps: false}]
",
        )
        .unwrap();
        let (common, options, snapshot) = Default::default();
        let job = generator(&common, &options, &snapshot)
            .pod_monitor_jobs(&pm, 2)
            .remove(0);
        assert_eq!(
            keys(&job),
            [
                "job_name",
                "honor_labels",
                "honor_timestamps",
                "kubernetes_sd_configs",
                "relabel_configs"
            ]
        );
        let rules: Vec<_> = job
            .get("relabel_configs")
            .and_then(Yaml::as_seq)
            .unwrap()
            .iter()
            .filter_map(Yaml::as_map)
            .collect();
        assert_eq!(
            rules[1].get("regex"),
            Some(&Yaml::from("(Failed|Succeeded)"))
        );
        assert_eq!(rules[2].get("action"), Some(&Yaml::from("drop")));
        assert_eq!(rules[2].get("regex"), Some(&Yaml::from("(db|cache);true")));
        assert_eq!(rules[3].get("regex"), Some(&Yaml::Int(8080)));
        assert!(
            rules
                .iter()
                .any(|r| r.get("replacement") == Some(&Yaml::from("ns/pods")))
        );
        assert!(
            rules
                .iter()
                .any(|r| r.get("modulus") == Some(&Yaml::Int(2)))
        );
    }
}
