//! The operator's Alertmanager library (upstream `pkg/alertmanager`).

pub mod duration;
pub mod sanitize;
pub mod schema;
pub mod template;
pub mod timeinterval;
pub mod url;
