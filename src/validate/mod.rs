//! The operator's per-resource rejection checks (upstream `resource_selector.go`, the
//! `Validate()` methods of the API types, the asset store and the relabel-config validator).
//!
//! Each public function runs the checks of one kind in the operator's order and returns the
//! first failure as a [`Violation`]: which check, the field path, and the reason.

use std::fmt;

use crate::monitoring::v1::prometheus::CommonPrometheusFields;
use crate::monitoring::v1::{PodMonitor, ServiceMonitor};
use crate::render::Version;
use crate::snapshot::Snapshot;
use crate::validate::authorization::{auth_exclusivity, authorization, basic_auth, oauth2};
use crate::validate::durations::scrape_interval_and_timeout;
use crate::validate::http::{HTTPClient, http_config_with_proxy, proxy, validate_proxy};
use crate::validate::references::secret_key;
use crate::validate::scrape_classes::scrape_class;
use crate::validate::tls::{tls_assets, validate_tls_files};

mod authorization;
mod durations;
mod go;
mod http;
mod probes;
mod references;
mod relabeling;
mod rules;
mod scrape_classes;
mod scrape_configs;
mod service_discovery;
mod tls;

pub use durations::parse_duration;
pub use probes::probe;
pub use relabeling::relabel_configs;
pub use rules::prometheus_rule;
pub use scrape_configs::scrape_config;

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

type Checked = Result<(), Violation>;

fn fail(check: Check, field: impl Into<String>, message: impl Into<String>) -> Checked {
    Err(violation(check, field, message))
}

fn violation(check: Check, field: impl Into<String>, message: impl Into<String>) -> Violation {
    Violation {
        check,
        field: field.into(),
        message: message.into(),
    }
}

fn namespace_of(meta: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta) -> &str {
    meta.namespace.as_deref().unwrap_or("")
}

// ---------------------------------------------------------------------------------------------
// Kinds
// ---------------------------------------------------------------------------------------------

/// The checks the operator runs on a selected ServiceMonitor.
pub fn service_monitor(ctx: &Context<'_>, sm: &ServiceMonitor) -> Checked {
    let ns = namespace_of(&sm.metadata);
    let spec = &sm.spec;
    own_label_selector(&spec.selector)?;
    selector_mechanism(ctx, spec.selector_mechanism.as_deref())?;
    let deny_fs = ctx
        .common
        .arbitrary_fs_access_through_s_ms
        .as_ref()
        .is_some_and(|a| a.deny);
    for (i, ep) in spec.endpoints.iter().enumerate() {
        let at = format!("spec.endpoints[{i}]");
        if deny_fs {
            if !ep.bearer_token_file.is_empty() {
                fail(
                    Check::ArbitraryFSAccess,
                    format!("{at}.bearerTokenFile"),
                    "it accesses file system via bearer token file which Prometheus \
                     specification prohibits",
                )?;
            }
            if let Some(tls) = &ep.tls_config
                && (!tls.ca_file.is_empty()
                    || !tls.cert_file.is_empty()
                    || !tls.key_file.is_empty())
            {
                fail(
                    Check::ArbitraryFSAccess,
                    format!("{at}.tlsConfig"),
                    "it accesses file system via tls config which Prometheus specification \
                     prohibits",
                )?;
            }
        }
        // Endpoint validation: HTTP client settings with file-based TLS, then the proxy.
        auth_exclusivity(
            &at,
            ep.authorization.as_ref(),
            ep.basic_auth.is_some(),
            ep.bearer_token_secret.is_some(),
            ep.oauth2.as_deref(),
        )?;
        validate_tls_files(&format!("{at}.tlsConfig"), ep.tls_config.as_deref())?;
        validate_proxy(&at, &ep.proxy_config())?;

        if let Some(sel) = &ep.bearer_token_secret
            && !sel.name.is_empty()
        {
            secret_key(ctx, ns, sel, &format!("{at}.bearerTokenSecret"))?;
        }
        basic_auth(ctx, ns, ep.basic_auth.as_ref(), &format!("{at}.basicAuth"))?;
        if let Some(tls) = &ep.tls_config {
            tls_assets(ctx, ns, &tls.safe(), &format!("{at}.tlsConfig"))?;
        }
        oauth2(ctx, ns, ep.oauth2.as_deref(), &format!("{at}.oauth2"))?;
        authorization(
            ctx,
            ns,
            ep.authorization.as_ref(),
            &format!("{at}.authorization"),
        )?;
        scrape_interval_and_timeout(ctx, &ep.interval, &ep.scrape_timeout, &at)?;
        relabel_configs(
            ctx.version,
            &ep.relabel_configs,
            &format!("{at}.relabelings"),
        )?;
        relabel_configs(
            ctx.version,
            &ep.metric_relabel_configs,
            &format!("{at}.metricRelabelings"),
        )?;
        proxy(ctx, ns, &ep.proxy_config(), &at)?;
    }
    scrape_class(ctx, spec.scrape_class_name.as_deref(), "spec.scrapeClass")
}

/// The checks the operator runs on a selected PodMonitor.
pub fn pod_monitor(ctx: &Context<'_>, pm: &PodMonitor) -> Checked {
    let ns = namespace_of(&pm.metadata);
    let spec = &pm.spec;
    own_label_selector(&spec.selector)?;
    selector_mechanism(ctx, spec.selector_mechanism.as_deref())?;
    for (i, ep) in spec.pod_metrics_endpoints.iter().enumerate() {
        let at = format!("spec.podMetricsEndpoints[{i}]");
        scrape_interval_and_timeout(ctx, &ep.interval, &ep.scrape_timeout, &at)?;
        relabel_configs(
            ctx.version,
            &ep.relabel_configs,
            &format!("{at}.relabelings"),
        )?;
        relabel_configs(
            ctx.version,
            &ep.metric_relabel_configs,
            &format!("{at}.metricRelabelings"),
        )?;
        http_config_with_proxy(
            ctx,
            ns,
            &at,
            HTTPClient {
                authorization: ep.authorization.as_ref(),
                basic_auth: ep.basic_auth.as_ref(),
                oauth2: ep.oauth2.as_deref(),
                bearer_token_secret: ep.bearer_token_secret.as_ref(),
                tls_config: ep.tls_config.as_deref(),
            },
            &ep.proxy_config(),
        )?;
    }
    scrape_class(ctx, spec.scrape_class_name.as_deref(), "spec.scrapeClass")
}

// ---------------------------------------------------------------------------------------------
// Shared checks
// ---------------------------------------------------------------------------------------------

fn own_label_selector(
    selector: &k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector,
) -> Checked {
    crate::select::Selector::parse(selector)
        .map(|_| ())
        .map_err(|e| violation(Check::LabelSelector, "spec.selector", e.to_string()))
}

fn selector_mechanism(ctx: &Context<'_>, mechanism: Option<&str>) -> Checked {
    if mechanism == Some("RoleSelector") && ctx.version.lt("2.17.0") {
        fail(
            Check::SelectorMechanism,
            "spec.selectorMechanism",
            "RoleSelector selectorMechanism is only supported in Prometheus 2.17.0 and newer",
        )?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// References, authentication, TLS, proxy
// ---------------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------
// Prober URL (govalidator IsHost / IsPort after net.SplitHostPort)
// ---------------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------
// ScrapeConfig service discovery
// ---------------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------
// Kubernetes selector strings (`labels.Parse`, `fields.ParseSelector`)
// ---------------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------
// Go's net/url parsing, as far as its errors go
// ---------------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------
// PEM and DER, as far as telling certificates and keys from garbage goes
// ---------------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("30s"), Some(30_000));
        assert_eq!(parse_duration("1m30s"), Some(90_000));
        assert_eq!(parse_duration("0"), Some(0));
        assert_eq!(parse_duration("30 s"), None);
        assert_eq!(parse_duration(""), None);
        assert_eq!(parse_duration("1s1m"), None);
        assert_eq!(parse_duration("100ms"), Some(100));
    }
}
