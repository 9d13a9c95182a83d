//! Emitting and parsing a configuration the size of a large cluster's (500 scrape jobs).

use criterion::{Criterion, criterion_group, criterion_main};
use promop::yaml::{Map, Yaml, emit, parse};

fn job(i: usize) -> Map {
    let relabel = |source: &str, target: &str| {
        Map::new()
            .with("source_labels", vec![source.to_owned()])
            .with("regex", "(.+)")
            .with("target_label", target)
            .with("replacement", "$1")
            .with("action", "replace")
    };
    Map::new()
        .with("job_name", format!("serviceMonitor/default/app-{i}/0"))
        .with("honor_labels", false)
        .with("scrape_interval", "30s")
        .with(
            "kubernetes_sd_configs",
            vec![Map::new().with("role", "endpoints").with(
                "namespaces",
                Map::new().with("names", vec!["default".to_owned()]),
            )],
        )
        .with(
            "relabel_configs",
            (0..12)
                .map(|n| relabel("__meta_kubernetes_service_label_app", &format!("label_{n}")))
                .collect::<Vec<Map>>(),
        )
        .with("metric_relabel_configs", Yaml::Seq(Vec::new()))
}

fn config() -> Yaml {
    Yaml::Map(
        Map::new()
            .with(
                "global",
                Map::new()
                    .with("evaluation_interval", "30s")
                    .with("scrape_interval", "30s")
                    .with(
                        "external_labels",
                        Map::new().with("prometheus", "monitoring/k8s"),
                    ),
            )
            .with("scrape_configs", (0..500).map(job).collect::<Vec<Map>>()),
    )
}

fn benches(c: &mut Criterion) {
    let tree = config();
    let text = emit(&tree);
    c.bench_function("emit 500 jobs", |b| {
        b.iter(|| emit(std::hint::black_box(&tree)))
    });
    c.bench_function("parse 500 jobs", |b| {
        b.iter(|| parse(std::hint::black_box(&text)))
    });
}

criterion_group!(yaml_benches, benches);
criterion_main!(yaml_benches);
