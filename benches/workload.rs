//! Workload generation: the StatefulSet of a Prometheus with a Thanos sidecar, web TLS, 50
//! mounted Secrets and 20 rule ConfigMaps, and the file check of 100 monitor paths against its
//! mounts.

use criterion::{Criterion, criterion_group, criterion_main};
use promop::monitoring::v1::Prometheus;
use promop::operator::OperatorOptions;
use promop::workload::{self, Instance, WorkloadInput};

fn prometheus() -> Prometheus {
    let secrets: Vec<String> = (0..50).map(|i| format!("certs-{i}")).collect();
    serde_json::from_value(serde_json::json!({
        "metadata": {"name": "k8s", "namespace": "monitoring"},
        "spec": {
            "secrets": secrets,
            "replicas": 2,
            "thanos": {"objectStorageConfig": {"name": "objstore", "key": "config.yaml"}},
            "web": {"tlsConfig": {
                "keySecret": {"name": "web-tls", "key": "tls.key"},
                "cert": {"secret": {"name": "web-tls", "key": "tls.crt"}}
            }},
            "containers": [{"name": "prometheus", "env": [{"name": "GOMAXPROCS", "value": "2"}]}]
        }
    }))
    .expect("valid Prometheus")
}

fn generate(c: &mut Criterion) {
    let p = prometheus();
    let options = OperatorOptions::default();
    let input = WorkloadInput {
        rule_config_map_names: (0..20)
            .map(|i| format!("prometheus-k8s-rulefiles-{i}"))
            .collect(),
        ..WorkloadInput::default()
    };
    let mut group = c.benchmark_group("workload");
    group.bench_function("prometheus_statefulset", |b| {
        b.iter(|| workload::prometheus_statefulset(&p, &options, &input).expect("generates"));
    });
    let mounts =
        workload::mounted_files(Instance::Prometheus(&p), &options, &[]).expect("generates");
    let paths: Vec<String> = (0..100)
        .map(|i| match i % 3 {
            0 => format!("/etc/prometheus/secrets/certs-{}/ca.crt", i % 50),
            1 => format!("/etc/prometheus/secret/certs-{}/ca.crt", i % 50),
            _ => format!("/etc/prometheus/secrets/cert-{}/ca.crt", i % 50),
        })
        .collect();
    group.bench_function("check_100_paths", |b| {
        b.iter(|| {
            paths
                .iter()
                .map(|path| workload::check_path(&mounts, path))
                .filter(|c| *c != workload::PathCheck::Ok)
                .count()
        });
    });
    group.finish();
}

criterion_group!(benches, generate);
criterion_main!(benches);
