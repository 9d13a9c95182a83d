//! Alertmanager configuration at scale: 1,000 AlertmanagerConfigs (5 receivers and 5 routes
//! each, every receiver reading a Secret) merged into one Alertmanager's configuration,
//! emitted and gzipped into the generated Secret's payload.

use criterion::{Criterion, criterion_group, criterion_main};
use std::fmt::Write;

const CONFIGS: usize = 1_000;
const NAMESPACES: usize = 100;

/// The manifests: an Alertmanager, its base Secret, and per AlertmanagerConfig one Secret.
fn manifests() -> String {
    let mut out = String::from(
        "apiVersion: monitoring.coreos.com/v1\nkind: Alertmanager\nmetadata: {name: main, namespace: monitoring}\n\
         spec: {version: v0.33.1, alertmanagerConfigSelector: {}, alertmanagerConfigNamespaceSelector: {}}\n\
         ---\napiVersion: v1\nkind: Secret\nmetadata: {name: alertmanager-main, namespace: monitoring}\n\
         stringData:\n  alertmanager.yaml: |\n    global: {smtp_smarthost: 'smtp.example.com:587', smtp_from: am@example.com}\n    route: {receiver: 'null'}\n    receivers: [{name: 'null'}]\n",
    );
    for i in 0..CONFIGS {
        let ns = format!("team-{}", i % NAMESPACES);
        let name = format!("amc-{i}");
        write!(
            out,
            "---\napiVersion: v1\nkind: Secret\nmetadata: {{name: {name}, namespace: {ns}}}\n\
             stringData: {{slack: 'https://hooks.slack.com/services/{i}', webhook: 'https://hooks.example.com/{i}', \
             pagerduty: pd-{i}, opsgenie: og-{i}, smtp: pw-{i}}}\n\
             ---\napiVersion: monitoring.coreos.com/v1alpha1\nkind: AlertmanagerConfig\n\
             metadata: {{name: {name}, namespace: {ns}}}\nspec:\n  route:\n    receiver: slack\n    groupBy: [alertname, job]\n    routes:\n"
        )
        .expect("writes to a String");
        for (j, receiver) in ["slack", "webhook", "pagerduty", "opsgenie", "email"]
            .iter()
            .enumerate()
        {
            writeln!(
                out,
                "    - {{receiver: {receiver}, matchers: [{{name: severity, value: level-{j}, matchType: '='}}], repeatInterval: 4h}}"
            )
            .expect("writes to a String");
        }
        write!(
            out,
            "  receivers:\n\
             \x20 - {{name: slack, slackConfigs: [{{apiURL: {{name: {name}, key: slack}}, channel: '#alerts-{i}', sendResolved: true}}]}}\n\
             \x20 - {{name: webhook, webhookConfigs: [{{urlSecret: {{name: {name}, key: webhook}}, maxAlerts: 10}}]}}\n\
             \x20 - {{name: pagerduty, pagerdutyConfigs: [{{routingKey: {{name: {name}, key: pagerduty}}, severity: critical}}]}}\n\
             \x20 - {{name: opsgenie, opsgenieConfigs: [{{apiKey: {{name: {name}, key: opsgenie}}, tags: 'team-{i}'}}]}}\n\
             \x20 - {{name: email, emailConfigs: [{{to: 'team-{i}@example.com', authPassword: {{name: {name}, key: smtp}}}}]}}\n"
        )
        .expect("writes to a String");
    }
    out
}

fn generate_and_gzip(c: &mut Criterion) {
    let (snapshot, _) = promop::snapshot::load("bench.yaml", &manifests()).expect("loads");
    let am = snapshot.alertmanagers.first().expect("one Alertmanager");
    let selected: Vec<_> = snapshot.alertmanager_configs.iter().collect();
    let mut group = c.benchmark_group("alertmanager");
    group.sample_size(10);
    group.bench_function("generate_1000_alertmanagerconfigs", |b| {
        b.iter(|| {
            let generated =
                promop::alertmanager::generate(&snapshot, am, &selected).expect("generates");
            match generated.configuration {
                promop::alertmanager::Configuration::Generated(tree) => {
                    promop::decode::encode_config(&tree).expect("gzips")
                }
                promop::alertmanager::Configuration::Verbatim(_) => unreachable!(),
            }
        })
    });
    group.bench_function("select_1000_alertmanagerconfigs", |b| {
        b.iter(|| {
            promop::alertmanager::select(&snapshot, am, &promop::watched::Namespaces::default())
                .expect("selects")
        })
    });
    group.finish();
}

criterion_group!(benches, generate_and_gzip);
criterion_main!(benches);
