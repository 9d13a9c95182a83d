//! kubectl-promop: explain, render, diff and validate prometheus-operator configuration.
//!
//! The library holds all the logic and never does I/O: it takes data (a [`snapshot::Snapshot`]
//! of Kubernetes objects) and returns values. Files, the network and the terminal belong to the
//! binary (`src/main.rs`, `src/cli/`) and to [`cluster`], the only module that talks to an API
//! server.

pub mod alertmanager;
pub mod cluster;
pub mod crd;
pub mod decode;
pub mod diff;
pub mod discovery;
pub mod duration;
pub mod explain;
mod go;
pub mod instance;
pub mod jobs;
pub mod kinds;
pub mod kubelet;
pub mod live_targets;
pub mod monitoring;
pub mod operator;
pub mod parallel;
pub mod redact;
pub mod relabel;
pub mod reloader;
pub mod render;
pub mod routing;
pub mod rules;
pub mod schema;
pub mod select;
pub mod snapshot;
pub mod status;
pub mod target;
pub mod validate;
pub mod version;
pub mod watched;
pub mod workload;
pub mod yaml;
