//! Scrape jobs of PodMonitors, one per endpoint (upstream `generatePodMonitorConfig`).

use super::Generator;
use super::k8s_sd::{RoleSelectors, SELECTOR_MECHANISM_RELABEL};
use super::relabeling::{
    MonitorRef, init_relabelings, merge_attach_metadata_with_scrape_class,
    merge_safe_authorization_with_scrape_class, selector_relabelings, str_seq,
};
use super::service_monitor::{
    add_endpoint_scrape_settings, copy_label, endpoint_label, job_label_relabeling, running_filter,
    target_label_relabeling, target_port_relabeling,
};
use crate::monitoring::CustomResource;
use crate::monitoring::v1::PodMonitor;
use crate::monitoring::v1::pod_monitor::PodMetricsEndpoint;
use crate::yaml::Map;

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
        let namespace = pm.metadata.namespace.as_deref().unwrap_or("");
        let name = pm.metadata.name.as_deref().unwrap_or("");
        let scrape_class = self.scrape_class_or_default(spec.scrape_class_name.as_deref());
        let monitor = MonitorRef::new(&scrape_class, PodMonitor::PLURAL, namespace, name);

        let mut cfg = Map::new().with("job_name", format!("podMonitor/{namespace}/{name}/{index}"));
        self.add_honor_labels(&mut cfg, ep.honor_labels);
        self.add_honor_timestamps(&mut cfg, ep.honor_timestamps);
        self.add_track_timestamps_staleness(&mut cfg, ep.track_timestamps_staleness);

        let attach = merge_attach_metadata_with_scrape_class(
            spec.attach_metadata.as_ref(),
            &scrape_class,
            "2.35.0",
        );
        let attach = self.merge_attach_metadata_for_topology(attach, "2.35.0");
        let sd = self.k8s_sd_config(
            &spec.namespace_selector,
            namespace,
            "pod",
            attach,
            Some(RoleSelectors {
                selector: &spec.selector,
                mechanism: spec.selector_mechanism.as_deref(),
                roles: vec!["pod".to_owned()],
            }),
        );
        cfg.push("kubernetes_sd_configs", sd);

        add_endpoint_scrape_settings(
            &mut cfg,
            &ep.interval,
            &ep.scrape_timeout,
            &ep.path,
            &ep.params,
            ep.scheme.as_ref(),
        );
        self.add_http_config(
            &mut cfg,
            namespace,
            ep.follow_redirects,
            ep.enable_http2,
            ep.tls_config.as_deref(),
            &scrape_class,
        );
        if let Some(secret) = ep
            .bearer_token_secret
            .as_ref()
            .filter(|s| !s.name.is_empty())
            && let Some(token) = self.secret_key(namespace, secret)
        {
            cfg.push("bearer_token", token);
        }
        self.add_basic_auth(&mut cfg, namespace, ep.basic_auth.as_ref());
        self.add_oauth2(&mut cfg, namespace, ep.oauth2.as_deref());
        self.add_proxy_config(&mut cfg, namespace, &ep.proxy_config());
        let auth =
            merge_safe_authorization_with_scrape_class(ep.authorization.as_ref(), &scrape_class);
        self.add_authorization(&mut cfg, namespace, auth.as_ref());

        let mut relabelings = init_relabelings();
        if ep.filter_running.unwrap_or(true) {
            relabelings.push(running_filter());
        }
        if spec
            .selector_mechanism
            .as_deref()
            .unwrap_or(SELECTOR_MECHANISM_RELABEL)
            == SELECTOR_MECHANISM_RELABEL
        {
            relabelings.extend(selector_relabelings(
                &spec.selector,
                "__meta_kubernetes_pod",
            ));
        }

        let port = ep.port.as_deref().filter(|p| !p.is_empty());
        if let Some(port) = port {
            relabelings.push(
                Map::new()
                    .with("action", "keep")
                    .with(
                        "source_labels",
                        str_seq(&["__meta_kubernetes_pod_container_port_name"]),
                    )
                    .with("regex", port),
            );
        } else if let Some(number) = ep.port_number.filter(|n| *n != 0) {
            relabelings.push(
                Map::new()
                    .with("action", "keep")
                    .with(
                        "source_labels",
                        str_seq(&["__meta_kubernetes_pod_container_port_number"]),
                    )
                    .with("regex", number),
            );
        } else if let Some(rule) = ep.target_port.as_ref().and_then(target_port_relabeling) {
            relabelings.push(rule);
        }

        relabelings.push(copy_label("__meta_kubernetes_namespace", "namespace"));
        relabelings.push(copy_label(
            "__meta_kubernetes_pod_container_name",
            "container",
        ));
        relabelings.push(copy_label("__meta_kubernetes_pod_name", "pod"));

        for label in spec
            .pod_target_labels
            .iter()
            .chain(&self.common.pod_target_labels)
        {
            relabelings.push(target_label_relabeling("__meta_kubernetes_pod", label));
        }

        relabelings.push(
            Map::new()
                .with("target_label", "job")
                .with("replacement", format!("{namespace}/{name}")),
        );
        if !spec.job_label.is_empty() {
            relabelings.push(job_label_relabeling(
                "__meta_kubernetes_pod",
                &spec.job_label,
            ));
        }

        relabelings.extend(endpoint_label(port, ep.target_port.as_ref()));

        relabelings.extend(self.monitor_relabelings(&monitor, &ep.relabel_configs));
        // The DaemonSet mode does not shard.
        if !self.options.daemon_set {
            self.append_sharding_relabeling_with_address(&mut relabelings, shards);
        }
        cfg.push("relabel_configs", relabelings);

        self.add_monitor_scrape_settings(&mut cfg, &spec.monitor_scrape_settings(), &scrape_class);
        self.add_body_size_limit(&mut cfg, spec.body_size_limit.as_deref());

        self.add_metric_relabelings(&mut cfg, &monitor, &ep.metric_relabel_configs);
        cfg
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
