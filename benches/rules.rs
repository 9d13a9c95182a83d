//! Rule ConfigMap generation: 2,000 PrometheusRules of 10 rules each, selected by one
//! Prometheus with `enforcedNamespaceLabel`, enforced, rendered, validated and packed (target:
//! under 500 ms).

use criterion::{Criterion, criterion_group, criterion_main};
use promop::rules::{self, Instance};
use promop::snapshot::Snapshot;
use promop::watched::Namespaces;

/// A Prometheus selecting every rule in every namespace, and `count` PrometheusRules.
fn manifests(count: usize) -> String {
    let mut text = String::from(
        "apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata:\n  name: k8s\n  namespace: monitoring\nspec:\n  version: v3.13.2\n  ruleSelector: {}\n  ruleNamespaceSelector: {}\n  enforcedNamespaceLabel: namespace\n",
    );
    for ns in 0..20 {
        text.push_str(&format!(
            "---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns-{ns}\n"
        ));
    }
    for i in 0..count {
        text.push_str(&format!(
            "---\napiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata:\n  name: rules-{i}\n  namespace: ns-{}\n  uid: 00000000-0000-0000-0000-{i:012}\nspec:\n  groups:\n  - name: g-{i}\n    interval: 1m\n    rules:\n",
            i % 20
        ));
        for r in 0..5 {
            text.push_str(&format!(
                "    - record: job:http_requests_{r}:rate5m\n      expr: sum by (job) (rate(http_requests_total{{code=~\"5..\"}}[5m]))\n    - alert: HighErrorRate{r}\n      expr: sum(rate(http_errors_total[5m])) / sum(rate(http_requests_total[5m])) > 0.05\n      for: 10m\n      labels:\n        severity: page\n      annotations:\n        summary: errors above 5% on {{{{ $labels.job }}}}\n        value: '{{{{ $value | humanizePercentage }}}}'\n"
            ));
        }
    }
    text
}

fn generate_rule_config_maps(c: &mut Criterion) {
    let (snapshot, _): (Snapshot, _) =
        promop::snapshot::load("bench.yaml", &manifests(2_000)).expect("loads");
    let instance = Instance::Prometheus(&snapshot.prometheuses[0]);
    let mut group = c.benchmark_group("rules");
    group.sample_size(10);
    group.bench_function("generate_2000_rules_x10_enforced", |b| {
        b.iter(|| {
            let selection =
                rules::select(&snapshot, instance, &Namespaces::default()).expect("selects");
            let config_maps = rules::generate(instance, &selection);
            assert_eq!(selection.files().len(), 2_000);
            config_maps
        });
    });
    group.finish();
}

criterion_group!(benches, generate_rule_config_maps);
criterion_main!(benches);
