//! The generated manifests shared by the render benchmark and the `render_scale` example.

use promop::operator::OperatorOptions;
use promop::render::RenderRequest;
use promop::snapshot::Snapshot;
use promop::target::Target;

/// A Prometheus and `jobs` ServiceMonitors (one endpoint each, with TLS, basic auth and
/// relabelings, as real monitors have), in 100 namespaces.
pub fn snapshot(jobs: usize) -> Snapshot {
    let mut text = String::from(
        "apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata:\n  name: k8s\n  namespace: monitoring\n\
         spec:\n  serviceMonitorSelector: {}\n  serviceMonitorNamespaceSelector: {}\n",
    );
    for i in 0..jobs {
        let ns = format!("team-{:03}", i % 100);
        text.push_str(&format!(
            "---\napiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: app-{i:05}\n  namespace: {ns}\n\
             spec:\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: app-{i:05}\n  endpoints:\n  - port: metrics\n    interval: 30s\n    scheme: https\n\
             \x20   tlsConfig:\n      insecureSkipVerify: true\n    basicAuth:\n      username: {{name: auth, key: user}}\n      password: {{name: auth, key: password}}\n\
             \x20   relabelings:\n    - sourceLabels: [__meta_kubernetes_pod_node_name]\n      targetLabel: node\n    metricRelabelings:\n    - sourceLabels: [__name__]\n      regex: go_.*\n      action: drop\n"
        ));
    }
    promop::snapshot::load("bench", &text)
        .expect("generated manifests load")
        .0
}

pub fn request(snapshot: &Snapshot) -> RenderRequest<'_> {
    let mut monitors: Vec<_> = snapshot.service_monitors.iter().collect();
    monitors.sort_by_key(|m| {
        format!(
            "{}/{}",
            m.metadata.namespace.as_deref().unwrap_or(""),
            m.metadata.name.as_deref().unwrap_or("")
        )
    });
    RenderRequest {
        target: Target::Server(&snapshot.prometheuses[0]),
        service_monitors: monitors,
        pod_monitors: Vec::new(),
        probes: Vec::new(),
        scrape_configs: Vec::new(),
        snapshot,
        options: OperatorOptions::default(),
        rule_config_map_names: Vec::new(),
    }
}
