//! The operator's per-resource rejection checks (upstream `resource_selector.go`, the
//! `Validate()` methods of the API types, the asset store and the relabel-config validator).
//!
//! Each public function runs the checks of one kind in the operator's order and returns the
//! first failure as a [`Violation`]: which check, the field path, and the reason.

use std::fmt;

use crate::monitoring::v1::prometheus::CommonPrometheusFields;
use crate::snapshot::{Snapshot, namespace_of};
use crate::version::Version;

mod alerting;
pub mod alertmanager;
mod authorization;
mod durations;
mod http;
mod monitors;
pub mod paths;
mod probes;
mod proxy;
mod references;
mod relabeling;
mod remote_write;
mod scrape_classes;
mod scrape_configs;
mod service_discovery;
mod tls;

pub(crate) use alerting::alertmanager_endpoints;
pub(crate) use authorization::{conflicting_auth, validate_authorization, validate_oauth2};
pub(crate) use durations::compare_scrape_timeout_to_interval;
pub use monitors::{pod_monitor, service_monitor};
pub use probes::probe;
pub(crate) use proxy::validate_proxy;
pub(crate) use references::describe;
pub use relabeling::relabel_configs;
pub(crate) use remote_write::remote_write;
pub use scrape_configs::scrape_config;
pub(crate) use tls::validate_safe_tls;

/// What the checks of one resource read: the objects references resolve against, and the
/// Prometheus (or agent) doing the selection.
#[derive(Clone, Copy, Debug)]
pub struct Context<'a> {
    /// Secrets and ConfigMaps.
    pub snapshot: &'a Snapshot,
    /// The selecting Prometheus's common fields.
    pub common: &'a CommonPrometheusFields,
    /// The Prometheus version in effect.
    pub version: &'a Version,
}

/// The family of a failed check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Check {
    /// The resource's own label selector is invalid.
    LabelSelector,
    /// `selectorMechanism: RoleSelector` needs Prometheus 2.17.
    SelectorMechanism,
    /// File access denied by `arbitraryFSAccessThroughSMs.deny`.
    ArbitraryFSAccess,
    /// More than one authentication method, or an invalid one.
    Authentication,
    /// A Secret or ConfigMap reference does not resolve to a key.
    Reference,
    /// Inconsistent or unparsable TLS settings or material.
    Tls,
    /// Invalid proxy settings.
    Proxy,
    /// Invalid OAuth2 settings.
    OAuth2,
    /// `scrapeTimeout` greater than the scrape interval, or an unparsable duration.
    ScrapeTimeout,
    /// Invalid relabeling rule.
    Relabeling,
    /// A label name invalid for the Prometheus version.
    LabelName,
    /// The referenced scrape class does not exist.
    ScrapeClass,
    /// Probe targets missing, or an invalid prober URL.
    ProbeTarget,
    /// A field or feature that needs a newer Prometheus.
    Version,
    /// A required field is missing or a value is malformed.
    Field,
    /// A rule group or rule that Prometheus would refuse to load.
    Rule,
}

impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Check::LabelSelector => "label-selector",
            Check::SelectorMechanism => "selector-mechanism",
            Check::ArbitraryFSAccess => "arbitrary-fs-access",
            Check::Authentication => "authentication",
            Check::Reference => "reference",
            Check::Tls => "tls",
            Check::Proxy => "proxy",
            Check::OAuth2 => "oauth2",
            Check::ScrapeTimeout => "scrape-timeout",
            Check::Relabeling => "relabeling",
            Check::LabelName => "label-name",
            Check::ScrapeClass => "scrape-class",
            Check::ProbeTarget => "probe-target",
            Check::Version => "version",
            Check::Field => "field",
            Check::Rule => "rule",
        })
    }
}

/// The first check a resource fails.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// Which check failed.
    pub check: Check,
    /// The field path, e.g. `spec.endpoints[0].tlsConfig.ca`.
    pub field: String,
    /// Why.
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} [{}]", self.field, self.message, self.check)
    }
}

impl std::error::Error for Violation {}

impl Violation {
    /// The failure of `check` at `field`.
    pub(crate) fn new(check: Check, field: impl Into<String>, message: impl Into<String>) -> Self {
        Violation {
            check,
            field: field.into(),
            message: message.into(),
        }
    }

    /// The violation as a caller that wraps the error reports it: `prefix: message`.
    pub(crate) fn wrapped(self, prefix: &str) -> Self {
        Violation {
            message: format!("{prefix}: {}", self.message),
            ..self
        }
    }
}

type Checked = Result<(), Violation>;

fn fail(check: Check, field: impl Into<String>, message: impl Into<String>) -> Checked {
    Err(Violation::new(check, field, message))
}
