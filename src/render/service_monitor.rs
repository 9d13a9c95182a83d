//! Scrape jobs of ServiceMonitors, one per endpoint (upstream
//! `generateServiceMonitorConfig`).

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::Generator;
use super::k8s_sd::SELECTOR_MECHANISM_RELABEL;
use super::relabeling::{
    init_relabelings, merge_tls_config_with_scrape_class, selector_relabelings, str_seq,
};
use crate::monitoring::v1::ServiceMonitor;
use crate::monitoring::v1::common::{Endpoint, EndpointScrape, MonitorSelection};
use crate::monitoring::v1::service_monitor::PortSelector;
use crate::relabel::sanitize_label_name;
use crate::yaml::go_map_sorted;
use crate::yaml::{Map, Yaml};

/// The `params` mapping of a job, keys in the order Go's YAML library gives map keys.
pub(crate) fn params_map(params: &BTreeMap<String, Vec<String>>) -> Map {
    // Sorting the keys through a key-to-key map reuses the one implementation of that order.
    let keys: BTreeMap<String, String> = params.keys().map(|k| (k.clone(), k.clone())).collect();
    go_map_sorted(&keys)
        .into_iter()
        .filter_map(|(k, _)| {
            let values = params.get(k.as_ref())?.clone();
            Some((k.into_owned(), Yaml::from(values)))
        })
        .collect()
}

/// The rule keeping the targets whose label `source` matches `regex`.
fn keep_matching(source: &'static str, regex: Yaml) -> Map {
    Map::new()
        .with("action", Yaml::fixed("keep"))
        .with("source_labels", str_seq(&[source]))
        .with("regex", regex)
}

/// The `keep` rule matching a container port name.
fn container_port_name_keep(name: &str) -> Map {
    keep_matching(
        "__meta_kubernetes_pod_container_port_name",
        Yaml::from(name),
    )
}

/// The `keep` rule matching a container port number.
fn container_port_number_keep(number: i32) -> Map {
    keep_matching(
        "__meta_kubernetes_pod_container_port_number",
        Yaml::from(number),
    )
}

/// The `keep` rule matching the container port `selector` picks by name or number; none
/// when it picks every port. A ServiceMonitor's `port` names a Service port instead, which
/// its caller matches first.
pub(crate) fn container_port_keep(selector: PortSelector<'_>) -> Option<Map> {
    match selector {
        PortSelector::PortName(name) | PortSelector::TargetPortName(name) => {
            Some(container_port_name_keep(name))
        }
        PortSelector::PortNumber(number) | PortSelector::TargetPortNumber(number) => {
            Some(container_port_number_keep(number))
        }
        PortSelector::Any => None,
    }
}

/// The `keep` rule matching the port name of an Endpoints or EndpointSlice target.
pub(crate) fn endpoint_port_name_keep(endpoint_slice: bool, port: &str) -> Map {
    let source = if endpoint_slice {
        "__meta_kubernetes_endpointslice_port_name"
    } else {
        "__meta_kubernetes_endpoint_port_name"
    };
    keep_matching(source, Yaml::from(port))
}

/// `source_labels` → `target_label` copy rule.
pub(crate) fn copy_label(source: &'static str, target: &'static str) -> Map {
    Map::new()
        .with("source_labels", str_seq(&[source]))
        .with("target_label", Yaml::fixed(target))
}

/// Copies a Kubernetes object label (`<meta_prefix>_label_<name>`) onto the target label
/// `target`, when the object has it.
fn object_label_relabeling(meta_prefix: &str, name: &str, target: &str) -> Map {
    Map::new()
        .with("source_labels", vec![format!("{meta_prefix}_label_{name}")])
        .with("target_label", target)
        .with("regex", Yaml::fixed("(.+)"))
        .with("replacement", Yaml::fixed("${1}"))
}

/// Copies a Kubernetes object label (`<meta_prefix>_label_<name>`) onto the target.
pub(crate) fn target_label_relabeling(meta_prefix: &str, label: &str) -> Map {
    let name = sanitize_label_name(label);
    object_label_relabeling(meta_prefix, &name, &name)
}

/// Takes the `job` label from a Kubernetes object label (a monitor's `jobLabel`), when set.
pub(crate) fn job_label_relabeling(meta_prefix: &str, label: &str) -> Option<Map> {
    (!label.is_empty())
        .then(|| object_label_relabeling(meta_prefix, &sanitize_label_name(label), "job"))
}

/// Sets the `endpoint` label to the name `port` selects, else to the `targetPort` text (`0`
/// too, though it selects every port); none when neither is set.
pub(crate) fn endpoint_label(
    selector: PortSelector<'_>,
    target_port: Option<&IntOrString>,
) -> Option<Map> {
    let value = match selector {
        PortSelector::PortName(port) => port.to_owned(),
        _ => Some(crate::monitoring::int_or_string_text(target_port?)).filter(|t| !t.is_empty())?,
    };
    Some(
        Map::new()
            .with("target_label", Yaml::fixed("endpoint"))
            .with("replacement", value),
    )
}

/// Where and how often a ServiceMonitor or PodMonitor endpoint is scraped, each when set.
pub(crate) fn add_endpoint_scrape_settings(cfg: &mut Map, ep: &EndpointScrape<'_>) {
    if !ep.interval.is_empty() {
        cfg.push("scrape_interval", ep.interval);
    }
    if !ep.scrape_timeout.is_empty() {
        cfg.push("scrape_timeout", ep.scrape_timeout);
    }
    if !ep.path.is_empty() {
        cfg.push("metrics_path", ep.path);
    }
    if !ep.params.is_empty() {
        cfg.push("params", params_map(ep.params));
    }
    if let Some(scheme) = ep.scheme {
        cfg.push("scheme", scheme.to_lowercase());
    }
}

/// The relabelings selecting a monitor's objects, when its selector mechanism is
/// `RelabelConfig` (the default); with `RoleSelector` discovery selects them instead.
pub(crate) fn monitor_selector_relabelings(
    selection: &MonitorSelection<'_>,
    meta_prefix: &str,
) -> Vec<Map> {
    let mechanism = selection
        .selector_mechanism
        .unwrap_or(SELECTOR_MECHANISM_RELABEL);
    if mechanism != SELECTOR_MECHANISM_RELABEL {
        return Vec::new();
    }
    selector_relabelings(selection.selector, meta_prefix)
}

/// The rule dropping Pods in phase Failed or Succeeded.
pub(crate) fn running_filter() -> Map {
    Map::new()
        .with("action", Yaml::fixed("drop"))
        .with("source_labels", str_seq(&["__meta_kubernetes_pod_phase"]))
        .with("regex", Yaml::fixed("(Failed|Succeeded)"))
}

impl Generator<'_> {
    /// `honor_labels`, `honor_timestamps` and `track_timestamps_staleness` of an endpoint's
    /// job, which ServiceMonitor and PodMonitor jobs start with.
    pub(crate) fn add_endpoint_honor_settings(&self, cfg: &mut Map, ep: &EndpointScrape<'_>) {
        self.add_honor_labels(cfg, ep.honor_labels);
        self.add_honor_timestamps(cfg, ep.honor_timestamps);
        self.add_track_timestamps_staleness(cfg, ep.track_timestamps_staleness);
    }

    /// Copies the monitor's and the Prometheus spec's pod target labels onto targets.
    pub(crate) fn pod_target_label_relabelings<'s>(
        &'s self,
        monitor_labels: &'s [String],
    ) -> impl Iterator<Item = Map> + 's {
        monitor_labels
            .iter()
            .chain(&self.common.pod_target_labels)
            .map(|label| target_label_relabeling("__meta_kubernetes_pod", label))
    }

    /// The scrape jobs of a ServiceMonitor, one per endpoint.
    pub(crate) fn service_monitor_jobs(&self, sm: &ServiceMonitor, shards: i32) -> Vec<Map> {
        sm.spec
            .endpoints
            .iter()
            .enumerate()
            .map(|(i, ep)| self.service_monitor_job(sm, ep, i, shards))
            .collect()
    }

    /// The endpoint discovery role of a ServiceMonitor's jobs: its `serviceDiscoveryRole`,
    /// else the Prometheus's.
    pub(crate) fn service_monitor_role(&self, sm: &ServiceMonitor) -> &'static str {
        match &sm.spec.service_discovery_role {
            Some(r) => self.endpoint_role_flavor(Some(r)),
            None => self.default_endpoint_role(),
        }
    }

    /// The scrape job of endpoint `index` of a ServiceMonitor.
    pub(crate) fn service_monitor_job(
        &self,
        sm: &ServiceMonitor,
        ep: &Endpoint,
        index: usize,
        shards: i32,
    ) -> Map {
        let spec = &sm.spec;
        let selection = spec.monitor_selection();
        let scrape = ep.endpoint_scrape();
        let monitor = self.monitor_ref(sm, selection.scrape_class_name);
        let (namespace, name, scrape_class) =
            (monitor.namespace, monitor.name, monitor.scrape_class);

        let mut cfg = Map::new().with(
            "job_name",
            format!("serviceMonitor/{namespace}/{name}/{index}"),
        );
        self.add_endpoint_honor_settings(&mut cfg, &scrape);

        let role = self.service_monitor_role(sm);
        let endpoint_slice = role == "endpointslice";
        let roles = vec![role.to_owned(), "service".to_owned()];
        let sd = self.monitor_sd_config(&monitor, &selection, role, roles);
        cfg.push("kubernetes_sd_configs", sd);

        add_endpoint_scrape_settings(&mut cfg, &scrape);
        if let Some(follow) = ep.follow_redirects {
            self.push_min(&mut cfg, "2.26.0", "follow_redirects", follow);
        }
        if let Some(http2) = ep.enable_http2 {
            self.push_min(&mut cfg, "2.35.0", "enable_http2", http2);
        }
        self.add_proxy_config(&mut cfg, namespace, &ep.proxy_config());
        self.add_oauth2(&mut cfg, namespace, ep.oauth2.as_deref());
        let tls =
            merge_tls_config_with_scrape_class(ep.tls_config.as_deref().cloned(), scrape_class);
        self.add_tls(&mut cfg, namespace, tls.as_ref());
        if !ep.bearer_token_file.is_empty() {
            cfg.push("bearer_token_file", ep.bearer_token_file.as_str());
        }
        let secret = ep.bearer_token_secret.as_ref();
        self.add_monitor_bearer_token(&mut cfg, &monitor, secret.filter(|s| !s.name.is_empty()));
        self.add_basic_auth(&mut cfg, namespace, ep.basic_auth.as_ref());
        self.add_monitor_authorization(&mut cfg, &monitor, ep.authorization.as_ref());

        let mut relabelings = init_relabelings();
        relabelings.extend(monitor_selector_relabelings(
            &selection,
            "__meta_kubernetes_service",
        ));

        let port = ep.port_selector();
        relabelings.extend(match port {
            PortSelector::PortName(name) => Some(endpoint_port_name_keep(endpoint_slice, name)),
            container => container_port_keep(container),
        });

        let target_sources = if endpoint_slice {
            str_seq(&[
                "__meta_kubernetes_endpointslice_address_target_kind",
                "__meta_kubernetes_endpointslice_address_target_name",
            ])
        } else {
            str_seq(&[
                "__meta_kubernetes_endpoint_address_target_kind",
                "__meta_kubernetes_endpoint_address_target_name",
            ])
        };
        for (regex, target) in [("Node;(.*)", "node"), ("Pod;(.*)", "pod")] {
            relabelings.push(
                Map::new()
                    .with("source_labels", target_sources.clone())
                    .with("separator", Yaml::fixed(";"))
                    .with("regex", Yaml::fixed(regex))
                    .with("replacement", Yaml::fixed("${1}"))
                    .with("target_label", Yaml::fixed(target)),
            );
        }
        relabelings.push(copy_label("__meta_kubernetes_namespace", "namespace"));
        relabelings.push(copy_label("__meta_kubernetes_service_name", "service"));
        relabelings.push(copy_label("__meta_kubernetes_pod_name", "pod"));
        relabelings.push(copy_label(
            "__meta_kubernetes_pod_container_name",
            "container",
        ));

        if scrape.filter_running.unwrap_or(true) {
            relabelings.push(running_filter());
        }
        for label in &spec.target_labels {
            relabelings.push(target_label_relabeling("__meta_kubernetes_service", label));
        }
        relabelings.extend(self.pod_target_label_relabelings(&spec.pod_target_labels));

        relabelings.push(
            Map::new()
                .with(
                    "source_labels",
                    str_seq(&["__meta_kubernetes_service_name"]),
                )
                .with("target_label", Yaml::fixed("job"))
                .with("replacement", Yaml::fixed("${1}")),
        );
        relabelings.extend(job_label_relabeling(
            "__meta_kubernetes_service",
            &spec.job_label,
        ));

        relabelings.extend(endpoint_label(port, ep.target_port.as_ref()));

        self.end_monitor_job(
            cfg,
            &monitor,
            &selection,
            &scrape,
            relabelings,
            Some(shards),
        )
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::cell::RefCell;

    use super::*;
    use crate::monitoring::v1::prometheus::CommonPrometheusFields;
    use crate::operator::OperatorOptions;
    use crate::snapshot::Snapshot;
    use crate::version::Version;

    /// A generator over `common` with the default version and no objects.
    pub(crate) fn generator<'a>(
        common: &'a CommonPrometheusFields,
        options: &'a OperatorOptions,
        snapshot: &'a Snapshot,
    ) -> Generator<'a> {
        Generator {
            common,
            namespace: "default",
            name: "test",
            daemon_set: false,
            retention_policies: options.retention_policies,
            version: Version::default_prometheus(),
            options,
            snapshot,
            warnings: RefCell::new(Vec::new()),
            request: None,
            fetched: std::cell::OnceCell::new(),
        }
    }

    /// Keys of a mapping, in order.
    pub(crate) fn keys(map: &Map) -> Vec<&str> {
        map.iter().map(|(k, _)| k).collect()
    }

    /// The first `kubernetes_sd_configs` entry of a job.
    pub(crate) fn first_sd_config(job: &Map) -> Map {
        job.get("kubernetes_sd_configs")
            .and_then(Yaml::as_seq)
            .unwrap()[0]
            .as_map()
            .unwrap()
            .clone()
    }

    fn monitor(yaml: &str) -> ServiceMonitor {
        crate::yaml::from_str(yaml).unwrap()
    }

    #[test]
    fn job_keys_follow_upstream_order() {
        let sm = monitor(
            "metadata: {namespace: ns, name: web}
spec:
  selector: {matchLabels: {app: web}}
  endpoints:
  - port: http
    interval: 30s
    path: /metrics
    scheme: HTTPS
    tlsConfig: {ca: {secret: {name: tls, key: ca.crt}}, serverName: web}
    relabelings: [{action: Replace, targetLabel: x, replacement: 'y'}]
",
        );
        let (common, options, snapshot) = Default::default();
        let g = generator(&common, &options, &snapshot);
        let jobs = g.service_monitor_jobs(&sm, 1);
        assert_eq!(jobs.len(), 1);
        let job = &jobs[0];
        assert_eq!(
            keys(job),
            [
                "job_name",
                "honor_labels",
                "kubernetes_sd_configs",
                "scrape_interval",
                "metrics_path",
                "scheme",
                "tls_config",
                "relabel_configs"
            ]
        );
        assert_eq!(
            job.get("job_name"),
            Some(&Yaml::from("serviceMonitor/ns/web/0"))
        );
        let tls = job.get("tls_config").and_then(Yaml::as_map).unwrap();
        assert_eq!(
            tls.get("ca_file"),
            Some(&Yaml::from("/etc/prometheus/certs/0_ns_tls_ca.crt"))
        );
        let relabelings = job.get("relabel_configs").and_then(Yaml::as_seq).unwrap();
        let user_rule = relabelings
            .iter()
            .filter_map(Yaml::as_map)
            .find(|r| r.get("target_label") == Some(&Yaml::from("x")))
            .unwrap();
        assert_eq!(user_rule.get("action"), Some(&Yaml::from("replace")));
        let last = relabelings.last().and_then(Yaml::as_map).unwrap();
        assert_eq!(last.get("regex"), Some(&Yaml::from("$(SHARD);|.+;.+")));
    }

    #[test]
    fn endpointslice_role_and_role_selectors() {
        let sm = monitor(
            "metadata: {namespace: ns, name: web}
spec:
  serviceDiscoveryRole: EndpointSlice
  selectorMechanism: RoleSelector
  selector: {matchLabels: {app: web}}
  endpoints: [{port: http}]
",
        );
        let common = CommonPrometheusFields::default();
        let options = OperatorOptions {
            endpoint_slice_support: true,
            ..OperatorOptions::default()
        };
        let snapshot = Snapshot::default();
        let g = generator(&common, &options, &snapshot);
        let job = g.service_monitor_job(&sm, &sm.spec.endpoints[0], 0, 1);
        let sd = first_sd_config(&job);
        assert_eq!(sd.get("role"), Some(&Yaml::from("endpointslice")));
        let selectors = sd.get("selectors").and_then(Yaml::as_seq).unwrap();
        assert_eq!(selectors.len(), 2);
        assert_eq!(
            selectors[1].as_map().unwrap().get("label"),
            Some(&Yaml::from("app=web"))
        );
        // With role selectors, no label-matching relabel rules are generated.
        let relabelings = job.get("relabel_configs").and_then(Yaml::as_seq).unwrap();
        assert!(
            !relabelings
                .iter()
                .filter_map(Yaml::as_map)
                .any(|r| { r.get("regex") == Some(&Yaml::from("(web);true")) })
        );
    }

    #[test]
    fn enforced_namespace_label_comes_last_unless_excluded() {
        let sm = monitor(
            "metadata: {namespace: ns, name: web}
spec:
  endpoints: [{port: http, metricRelabelings: [{action: drop, regex: x, sourceLabels: [a]}]}]
",
        );
        let mut common = CommonPrometheusFields {
            enforced_namespace_label: Some("tenant".into()),
            ..CommonPrometheusFields::default()
        };
        let (options, snapshot) = Default::default();
        let metric_relabelings = |common: &CommonPrometheusFields| {
            let job = generator(common, &options, &snapshot).service_monitor_job(
                &sm,
                &sm.spec.endpoints[0],
                0,
                1,
            );
            job.get("metric_relabel_configs")
                .and_then(Yaml::as_seq)
                .unwrap()
                .to_vec()
        };
        let metric = metric_relabelings(&common);
        let last = metric.last().and_then(Yaml::as_map).unwrap();
        assert_eq!(keys(last), ["target_label", "replacement"]);
        assert_eq!(last.get("replacement"), Some(&Yaml::from("ns")));

        common.excluded_from_enforcement = vec![crate::monitoring::v1::common::ObjectReference {
            resource: "servicemonitors".into(),
            namespace: "ns".into(),
            ..Default::default()
        }];
        assert_eq!(metric_relabelings(&common).len(), 1);
    }
}
