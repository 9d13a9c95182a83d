//! The real binary end to end (offline and against the loopback API server the tests start),
//! and the library's cluster access against that server: one test binary, so the server is
//! compiled once.

#[path = "../support/apiserver.rs"]
mod apiserver;

mod alert_path;
mod alertmanager_cli;
mod apply_loopback;
mod cli_render;
mod cluster_loopback;
mod common;
mod explain_cli;
mod explain_depth;
mod hostile;
mod live_decode;
mod live_diff;
mod live_explain;
mod live_redact;
mod live_status;
mod loopback_apiserver;
mod plugin_cli;
mod readme;
mod real_manifests;
mod rules_workload_cli;
mod validate_bad_input;
mod yaml_goldens;
