//! Feeds arbitrary bytes to everything that reads an API server's or a pod's answers: objects
//! from a LIST or GET into the snapshot, the config Secret's payload (gzip bombs), the pods of an
//! instance, and the answers of Prometheus's and Alertmanager's own APIs read through the pod
//! proxy. Nothing may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use promop::decode;
use promop::snapshot::Snapshot;
use promop::status::{self, PrometheusAnswers, ServerPod};

/// A configuration to compare the loaded ones with.
const EXPECTED: &str = "global:\n  scrape_interval: 30s\nscrape_configs:\n- job_name: a\n";

fuzz_target!(|data: &[u8]| {
    let _ = decode::decode_config(data);
    let text = String::from_utf8_lossy(data).into_owned();
    let answers = PrometheusAnswers {
        config: Ok(text.clone()),
        runtime_info: Ok(text.clone()),
        build_info: Ok(text.clone()),
        targets: Ok(text.clone()),
    };
    let _ = status::prometheus_pod("p-0", EXPECTED, &answers);
    let _ = status::alertmanager_pod("a-0", EXPECTED, &Ok(text.clone()));
    let _ = status::compare_loaded(EXPECTED, &text);
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    let _ = Snapshot::default().load_json("fuzz", &value);
    let _ = ServerPod::from_json(&value, "prometheus", Some("web"));
    let _ = ServerPod::from_json(&value, "prometheus", None);
    let _ = decode::stored_config(&value, decode::CONFIG_FILENAME, 1024 * 1024);
});
