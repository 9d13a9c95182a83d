//! The operator's Alertmanager library (upstream `pkg/alertmanager`).

pub mod duration;
pub mod sanitize;
pub mod schema;
pub mod template;
pub mod timeinterval;
pub mod url;
pub mod base;
pub mod validation;
pub mod check;
pub mod store;
