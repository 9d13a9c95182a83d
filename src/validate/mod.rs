//! The operator's per-resource rejection checks (upstream `resource_selector.go`, the
//! `Validate()` methods of the API types, the asset store and the relabel-config validator).
//!
//! Each public function runs the checks of one kind in the operator's order and returns the
//! first failure as a [`Violation`]: which check, the field path, and the reason.

use std::fmt;

use crate::monitoring::v1::common::{BasicAuth, OAuth2, ProxyConfig, SafeAuthorization};
use crate::monitoring::v1::prometheus::CommonPrometheusFields;
use crate::monitoring::v1::tls::SafeTLSConfig;
use crate::monitoring::v1::{PodMonitor, PrometheusRule, ServiceMonitor};
use crate::monitoring::v1alpha1::ScrapeConfig;
use crate::render::Version;
use crate::snapshot::Snapshot;
use crate::validate::authorization::{auth_exclusivity, authorization, basic_auth, oauth2};
use crate::validate::durations::scrape_interval_and_timeout;
use crate::validate::http::{HTTPClient, http_config_with_proxy, proxy, validate_proxy};
use crate::validate::references::secret_key;
use crate::validate::relabeling::{
    is_legacy_metric_name, is_valid_label_name, static_labels, utf8_names,
};
use crate::validate::tls::{safe_tls, tls_assets, validate_tls_files};

mod authorization;
mod durations;
mod go;
mod http;
mod probes;
mod references;
mod relabeling;
mod tls;

pub use durations::parse_duration;
pub use probes::probe;
pub use relabeling::relabel_configs;

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

/// The checks the operator runs on a selected ScrapeConfig.
pub fn scrape_config(ctx: &Context<'_>, sc: &ScrapeConfig) -> Checked {
    let ns = namespace_of(&sc.metadata);
    let spec = &sc.spec;
    scrape_class(ctx, spec.scrape_class.as_deref(), "spec.scrapeClass")?;
    relabel_configs(ctx.version, &spec.relabelings, "spec.relabelings")?;
    basic_auth(ctx, ns, spec.basic_auth.as_ref(), "spec.basicAuth")?;
    authorization(ctx, ns, spec.authorization.as_ref(), "spec.authorization")?;
    oauth2(ctx, ns, spec.oauth2.as_ref(), "spec.oauth2")?;
    safe_tls(ctx, ns, spec.tls_config.as_ref(), "spec.tlsConfig")?;
    scrape_interval_and_timeout(
        ctx,
        spec.scrape_interval.as_deref().unwrap_or(""),
        spec.scrape_timeout.as_deref().unwrap_or(""),
        "spec",
    )?;
    proxy(ctx, ns, &spec.proxy_config(), "spec")?;
    relabel_configs(
        ctx.version,
        &spec.metric_relabelings,
        "spec.metricRelabelings",
    )?;
    for (i, sc) in spec.static_configs.iter().enumerate() {
        static_labels(
            ctx.version,
            &sc.labels,
            &format!("spec.staticConfigs[{i}].labels"),
        )?;
    }
    scrape_config_sd::all(ctx, ns, spec)
}

/// The checks the operator runs on a selected PrometheusRule: what Prometheus's rule-file
/// parser refuses.
pub fn prometheus_rule(ctx: &Context<'_>, rule: &PrometheusRule) -> Checked {
    let utf8 = utf8_names(ctx.version);
    let mut group_names = std::collections::BTreeSet::new();
    for (g, group) in rule.spec.groups.iter().enumerate() {
        let at = format!("spec.groups[{g}]");
        if group.name.is_empty() {
            fail(
                Check::Rule,
                format!("{at}.name"),
                "group name must not be empty",
            )?;
        }
        if !group_names.insert(group.name.as_str()) {
            fail(
                Check::Rule,
                format!("{at}.name"),
                format!("{:?}: repeated in the same file", group.name),
            )?;
        }
        for (r, item) in group.rules.iter().enumerate() {
            let at = format!("{at}.rules[{r}]");
            rule_item(item, utf8, &at)?;
        }
    }
    Ok(())
}

fn rule_item(rule: &crate::monitoring::v1::prometheus_rule::Rule, utf8: bool, at: &str) -> Checked {
    use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
    let record = rule.record.as_deref().unwrap_or("");
    let alert = rule.alert.as_deref().unwrap_or("");
    let expr = match &rule.expr {
        IntOrString::Int(i) => i.to_string(),
        IntOrString::String(s) => s.clone(),
    };
    match (record.is_empty(), alert.is_empty()) {
        (false, false) => fail(
            Check::Rule,
            at,
            "only one of 'record' and 'alert' must be set",
        )?,
        (true, true) => fail(Check::Rule, at, "one of 'record' or 'alert' must be set")?,
        _ => {}
    }
    if expr.trim().is_empty() {
        fail(
            Check::Rule,
            format!("{at}.expr"),
            "field 'expr' must be set in rule",
        )?;
    } else if let Err(e) = promql_parser::parser::parse(&expr) {
        fail(
            Check::Rule,
            format!("{at}.expr"),
            format!("could not parse expression: {e}"),
        )?;
    }
    if !record.is_empty() {
        if !rule.annotations.is_empty() {
            fail(
                Check::Rule,
                format!("{at}.annotations"),
                "invalid field 'annotations' in recording rule",
            )?;
        }
        if rule.for_.as_deref().is_some_and(|f| !f.is_empty()) {
            fail(
                Check::Rule,
                format!("{at}.for"),
                "invalid field 'for' in recording rule",
            )?;
        }
        if rule.keep_firing_for.is_some() {
            fail(
                Check::Rule,
                format!("{at}.keep_firing_for"),
                "invalid field 'keep_firing_for' in recording rule",
            )?;
        }
        let valid = if utf8 {
            !record.is_empty()
        } else {
            is_legacy_metric_name(record)
        };
        if !valid {
            fail(
                Check::Rule,
                format!("{at}.record"),
                format!("invalid recording rule name: {record}"),
            )?;
        }
    }
    for name in rule.labels.keys() {
        if !is_valid_label_name(name, utf8) || name == "__name__" {
            fail(
                Check::Rule,
                format!("{at}.labels"),
                format!("invalid label name: {name}"),
            )?;
        }
    }
    for name in rule.annotations.keys() {
        if !is_valid_label_name(name, utf8) {
            fail(
                Check::Rule,
                format!("{at}.annotations"),
                format!("invalid annotation name: {name}"),
            )?;
        }
    }
    for (field, value) in [
        ("for", &rule.for_),
        ("keep_firing_for", &rule.keep_firing_for),
    ] {
        if let Some(v) = value.as_deref().filter(|v| !v.is_empty())
            && parse_duration(v).is_none()
        {
            fail(
                Check::Rule,
                format!("{at}.{field}"),
                format!("not a valid duration string: {v:?}"),
            )?;
        }
    }
    Ok(())
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

fn scrape_class(ctx: &Context<'_>, name: Option<&str>, field: &str) -> Checked {
    match name {
        None | Some("") => Ok(()),
        Some(name) if ctx.common.scrape_classes.iter().any(|c| c.name == name) => Ok(()),
        Some(name) => fail(
            Check::ScrapeClass,
            field,
            format!("scrapeClass {name:?} not found in Prometheus scrapeClasses"),
        ),
    }
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

mod scrape_config_sd {
    use super::*;
    use crate::monitoring::v1alpha1::scrape_config::ScrapeConfigSpec;

    /// The common HTTP client settings of an SD config, checked in a given order.
    #[derive(Clone, Copy)]
    enum Step {
        BasicAuth,
        Authorization,
        OAuth2,
        Tls,
        Proxy,
    }

    struct Client<'a> {
        basic_auth: Option<&'a BasicAuth>,
        authorization: Option<&'a SafeAuthorization>,
        oauth2: Option<&'a OAuth2>,
        tls: Option<&'a SafeTLSConfig>,
        proxy: Option<ProxyConfig>,
    }

    impl Client<'_> {
        fn run(&self, ctx: &Context<'_>, ns: &str, at: &str, steps: &[Step]) -> Checked {
            for step in steps {
                match step {
                    Step::BasicAuth => {
                        basic_auth(ctx, ns, self.basic_auth, &format!("{at}.basicAuth"))?
                    }
                    Step::Authorization => {
                        authorization(ctx, ns, self.authorization, &format!("{at}.authorization"))?
                    }
                    Step::OAuth2 => oauth2(ctx, ns, self.oauth2, &format!("{at}.oauth2"))?,
                    Step::Tls => safe_tls(ctx, ns, self.tls, &format!("{at}.tlsConfig"))?,
                    Step::Proxy => {
                        if let Some(pc) = &self.proxy {
                            proxy(ctx, ns, pc, at)?;
                        }
                    }
                }
            }
            Ok(())
        }
    }

    use Step::{Authorization as Az, BasicAuth as Ba, OAuth2 as Oa, Proxy as Px, Tls as Tl};

    fn gate(ctx: &Context<'_>, minimum: &str, field: String, what: &str) -> Checked {
        if ctx.version.lt(minimum) {
            fail(
                Check::Version,
                field,
                format!("{what} is only supported for Prometheus version >= {minimum}"),
            )?;
        }
        Ok(())
    }

    fn url_parses(url: &str, field: String) -> Checked {
        go::url::parse(url)
            .map(|_| ())
            .map_err(|e| violation(Check::Field, field, format!("parse {url:?}: {e}")))
    }

    fn server(url: &str, field: String) -> Checked {
        match go::url::parse(url) {
            Err(e) => fail(Check::Field, field, format!("cannot parse server: {e}")),
            Ok(u) if u.scheme.is_empty() || u.host.is_empty() => fail(
                Check::Field,
                field,
                format!("must not be empty and have a scheme: {url}"),
            ),
            Ok(_) => Ok(()),
        }
    }

    /// Runs the per-SD checks in the operator's order.
    pub(super) fn all(ctx: &Context<'_>, ns: &str, spec: &ScrapeConfigSpec) -> Checked {
        // HTTP SD: the version gate applies even with no HTTP SD configs (upstream quirk).
        gate(
            ctx,
            "2.28.0",
            "spec.httpSDConfigs".into(),
            "HTTP SD configuration",
        )?;
        for (i, c) in spec.http_sd_configs.iter().enumerate() {
            let at = format!("spec.httpSDConfigs[{i}]");
            url_parses(&c.url, format!("{at}.url"))?;
            Client {
                basic_auth: c.basic_auth.as_ref(),
                authorization: c.authorization.as_ref(),
                oauth2: c.oauth2.as_ref(),
                tls: c.tls_config.as_ref(),
                proxy: Some(c.proxy_config()),
            }
            .run(ctx, ns, &at, &[Ba, Az, Oa, Tl, Px])?;
        }

        for (i, c) in spec.kubernetes_sd_configs.iter().enumerate() {
            let at = format!("spec.kubernetesSDConfigs[{i}]");
            Client {
                basic_auth: c.basic_auth.as_ref(),
                authorization: c.authorization.as_ref(),
                oauth2: c.oauth2.as_ref(),
                tls: c.tls_config.as_ref(),
                proxy: Some(c.proxy_config()),
            }
            .run(ctx, ns, &at, &[Ba, Az, Oa, Tl, Px])?;
            kubernetes_sd(ctx, c, &at)?;
        }

        for (i, c) in spec.consul_sd_configs.iter().enumerate() {
            let at = format!("spec.consulSDConfigs[{i}]");
            for (present, minimum, name) in [
                (c.path_prefix.is_some(), "2.45.0", "pathPrefix"),
                (c.namespace.is_some(), "2.28.0", "namespace"),
                (c.filter.is_some(), "3.0.0", "filter"),
                (c.health_filter.is_some(), "3.11.2", "healthFilter"),
            ] {
                if present {
                    gate(
                        ctx,
                        minimum,
                        format!("{at}.{name}"),
                        &format!("field `{name}`"),
                    )?;
                }
            }
            let client = Client {
                basic_auth: c.basic_auth.as_ref(),
                authorization: c.authorization.as_ref(),
                oauth2: c.oauth2.as_ref(),
                tls: c.tls_config.as_ref(),
                proxy: Some(c.proxy_config()),
            };
            client.run(ctx, ns, &at, &[Ba, Az, Oa, Tl])?;
            if let Some(token) = &c.token_ref {
                secret_key(ctx, ns, token, &format!("{at}.tokenRef"))?;
            }
            client.run(ctx, ns, &at, &[Px])?;
        }

        for (i, c) in spec.dns_sd_configs.iter().enumerate() {
            if let Some(record_type) = &c.type_
                && record_type != "SRV"
                && c.port.is_none()
            {
                fail(
                    Check::Field,
                    format!("spec.dnsSDConfigs[{i}].port"),
                    format!("port required for record type {record_type:?}"),
                )?;
            }
        }

        for (i, c) in spec.ec2_sd_configs.iter().enumerate() {
            let at = format!("spec.ec2SDConfigs[{i}]");
            if let Some(sel) = &c.access_key {
                secret_key(ctx, ns, sel, &format!("{at}.accessKey"))?;
            }
            if let Some(sel) = &c.secret_key {
                secret_key(ctx, ns, sel, &format!("{at}.secretKey"))?;
            }
            Client {
                basic_auth: None,
                authorization: None,
                oauth2: None,
                tls: c.tls_config.as_ref(),
                proxy: Some(c.proxy_config()),
            }
            .run(ctx, ns, &at, &[Tl, Px])?;
        }

        for (i, c) in spec.azure_sd_configs.iter().enumerate() {
            let at = format!("spec.azureSDConfigs[{i}]");
            let method = c.authentication_method.as_deref().unwrap_or("");
            if method == "SDK" {
                gate(
                    ctx,
                    "2.52.0",
                    format!("{at}.authenticationMethod"),
                    "SDK authentication",
                )?;
            }
            if method == "WorkloadIdentity" {
                gate(
                    ctx,
                    "3.11.0",
                    format!("{at}.authenticationMethod"),
                    "WorkloadIdentity authentication",
                )?;
            }
            if c.resource_group.is_some() {
                gate(
                    ctx,
                    "2.35.0",
                    format!("{at}.resourceGroup"),
                    "ResourceGroup",
                )?;
            }
            // Without an explicit method Prometheus uses OAuth, which needs credentials.
            if matches!(method, "ManagedIdentity" | "SDK" | "WorkloadIdentity") {
                continue;
            }
            if c.tenant_id.as_deref().unwrap_or("").is_empty() {
                fail(
                    Check::Field,
                    format!("{at}.tenantID"),
                    "configuration requires a tenantID",
                )?;
            }
            if c.client_id.as_deref().unwrap_or("").is_empty() {
                fail(
                    Check::Field,
                    format!("{at}.clientID"),
                    "configuration requires a clientID",
                )?;
            }
            let Some(secret) = &c.client_secret else {
                return fail(
                    Check::Field,
                    format!("{at}.clientSecret"),
                    "configuration requires a clientSecret",
                );
            };
            secret_key(ctx, ns, secret, &format!("{at}.clientSecret"))?;
            Client {
                basic_auth: c.basic_auth.as_ref(),
                authorization: c.authorization.as_ref(),
                oauth2: c.oauth2.as_ref(),
                tls: c.tls_config.as_ref(),
                proxy: Some(c.proxy_config()),
            }
            .run(ctx, ns, &at, &[Ba, Oa, Px, Tl, Az])?;
        }

        for (i, c) in spec.openstack_sd_configs.iter().enumerate() {
            let at = format!("spec.openstackSDConfigs[{i}]");
            if c.role == "LoadBalancer" {
                gate(ctx, "3.2.0", format!("{at}.role"), "The LoadBalancer role")?;
            }
            if let Some(sel) = &c.password {
                secret_key(ctx, ns, sel, &format!("{at}.password"))?;
            }
            if let Some(sel) = &c.application_credential_secret {
                secret_key(ctx, ns, sel, &format!("{at}.applicationCredentialSecret"))?;
            }
            safe_tls(ctx, ns, c.tls_config.as_ref(), &format!("{at}.tlsConfig"))?;
        }

        gate(
            ctx,
            "2.20.0",
            "spec.digitalOceanSDConfigs".into(),
            "service discovery for Digital Ocean",
        )?;
        for (i, c) in spec.digital_ocean_sd_configs.iter().enumerate() {
            Client {
                basic_auth: None,
                authorization: c.authorization.as_ref(),
                oauth2: c.oauth2.as_ref(),
                tls: c.tls_config.as_ref(),
                proxy: Some(c.proxy_config()),
            }
            .run(
                ctx,
                ns,
                &format!("spec.digitalOceanSDConfigs[{i}]"),
                &[Az, Oa, Tl, Px],
            )?;
        }

        for (i, c) in spec.kuma_sd_configs.iter().enumerate() {
            let at = format!("spec.kumaSDConfigs[{i}]");
            if c.client_id.is_some() {
                gate(
                    ctx,
                    "2.50.0",
                    format!("{at}.clientID"),
                    "field `clientID` in kuma SD configuration",
                )?;
            }
            server(&c.server, format!("{at}.server"))?;
            Client {
                basic_auth: c.basic_auth.as_ref(),
                authorization: c.authorization.as_ref(),
                oauth2: c.oauth2.as_ref(),
                tls: c.tls_config.as_ref(),
                proxy: Some(c.proxy_config()),
            }
            .run(ctx, ns, &at, &[Az, Oa, Tl, Ba, Px])?;
        }

        for (i, c) in spec.eureka_sd_configs.iter().enumerate() {
            Client {
                basic_auth: c.basic_auth.as_ref(),
                authorization: c.authorization.as_ref(),
                oauth2: c.oauth2.as_ref(),
                tls: c.tls_config.as_ref(),
                proxy: Some(c.proxy_config()),
            }
            .run(
                ctx,
                ns,
                &format!("spec.eurekaSDConfigs[{i}]"),
                &[Az, Oa, Tl, Ba, Px],
            )?;
        }

        for (i, c) in spec.docker_sd_configs.iter().enumerate() {
            let at = format!("spec.dockerSDConfigs[{i}]");
            if c.match_first_network.is_some() {
                gate(
                    ctx,
                    "2.54.1",
                    format!("{at}.matchFirstNetwork"),
                    "field `matchFirstNetwork`",
                )?;
            }
            let client = Client {
                basic_auth: c.basic_auth.as_ref(),
                authorization: c.authorization.as_ref(),
                oauth2: c.oauth2.as_ref(),
                tls: c.tls_config.as_ref(),
                proxy: Some(c.proxy_config()),
            };
            client.run(ctx, ns, &at, &[Ba, Az, Oa, Tl])?;
            url_parses(&c.host, format!("{at}.host"))?;
            client.run(ctx, ns, &at, &[Px])?;
        }

        gate(
            ctx,
            "2.28.0",
            "spec.linodeSDConfigs".into(),
            "linode SD configuration",
        )?;
        for (i, c) in spec.linode_sd_configs.iter().enumerate() {
            Client {
                basic_auth: None,
                authorization: c.authorization.as_ref(),
                oauth2: c.oauth2.as_ref(),
                tls: c.tls_config.as_ref(),
                proxy: Some(c.proxy_config()),
            }
            .run(
                ctx,
                ns,
                &format!("spec.linodeSDConfigs[{i}]"),
                &[Az, Oa, Tl, Px],
            )?;
        }

        for (i, c) in spec.hetzner_sd_configs.iter().enumerate() {
            let at = format!("spec.hetznerSDConfigs[{i}]");
            if c.label_selector.is_some() {
                gate(
                    ctx,
                    "3.5.0",
                    format!("{at}.labelSelector"),
                    "field `labelSelector`",
                )?;
            }
            Client {
                basic_auth: c.basic_auth.as_ref(),
                authorization: c.authorization.as_ref(),
                oauth2: c.oauth2.as_ref(),
                tls: c.tls_config.as_ref(),
                proxy: Some(c.proxy_config()),
            }
            .run(ctx, ns, &at, &[Ba, Az, Oa, Tl, Px])?;
        }

        for (i, c) in spec.nomad_sd_configs.iter().enumerate() {
            let at = format!("spec.nomadSDConfigs[{i}]");
            server(&c.server, format!("{at}.server"))?;
            Client {
                basic_auth: c.basic_auth.as_ref(),
                authorization: c.authorization.as_ref(),
                oauth2: c.oauth2.as_ref(),
                tls: c.tls_config.as_ref(),
                proxy: Some(c.proxy_config()),
            }
            .run(ctx, ns, &at, &[Az, Oa, Tl, Ba, Px])?;
        }

        gate(
            ctx,
            "2.20.0",
            "spec.dockerSwarmSDConfigs".into(),
            "dockerswarm SD configuration",
        )?;
        for (i, c) in spec.docker_swarm_sd_configs.iter().enumerate() {
            let at = format!("spec.dockerSwarmSDConfigs[{i}]");
            url_parses(&c.host, format!("{at}.host"))?;
            Client {
                basic_auth: c.basic_auth.as_ref(),
                authorization: c.authorization.as_ref(),
                oauth2: c.oauth2.as_ref(),
                tls: c.tls_config.as_ref(),
                proxy: Some(c.proxy_config()),
            }
            .run(ctx, ns, &at, &[Az, Oa, Tl, Ba, Px])?;
        }

        gate(
            ctx,
            "2.31.0",
            "spec.puppetDBSDConfigs".into(),
            "puppetDB SD configuration",
        )?;
        for (i, c) in spec.puppet_db_sd_configs.iter().enumerate() {
            let at = format!("spec.puppetDBSDConfigs[{i}]");
            let parsed = go::url::parse(&c.url).map_err(|e| {
                violation(
                    Check::Field,
                    format!("{at}.url"),
                    format!("parse {:?}: {e}", c.url),
                )
            })?;
            if parsed.scheme != "http" && parsed.scheme != "https" {
                fail(
                    Check::Field,
                    format!("{at}.url"),
                    "URL scheme must be 'http' or 'https'",
                )?;
            }
            if parsed.host.is_empty() {
                fail(Check::Field, format!("{at}.url"), "host is missing in URL")?;
            }
            Client {
                basic_auth: c.basic_auth.as_ref(),
                authorization: c.authorization.as_ref(),
                oauth2: c.oauth2.as_ref(),
                tls: c.tls_config.as_ref(),
                proxy: Some(c.proxy_config()),
            }
            .run(ctx, ns, &at, &[Az, Oa, Tl, Ba, Px])?;
        }

        gate(
            ctx,
            "2.27.0",
            "spec.lightSailSDConfigs".into(),
            "lightSail SD configuration",
        )?;
        for (i, c) in spec.light_sail_sd_configs.iter().enumerate() {
            let at = format!("spec.lightSailSDConfigs[{i}]");
            if let Some(sel) = &c.access_key {
                secret_key(ctx, ns, sel, &format!("{at}.accessKey"))?;
            }
            if let Some(sel) = &c.secret_key {
                secret_key(ctx, ns, sel, &format!("{at}.secretKey"))?;
            }
            Client {
                basic_auth: c.basic_auth.as_ref(),
                authorization: c.authorization.as_ref(),
                oauth2: c.oauth2.as_ref(),
                tls: c.tls_config.as_ref(),
                proxy: Some(c.proxy_config()),
            }
            .run(ctx, ns, &at, &[Az, Oa, Tl, Ba, Px])?;
        }

        gate(
            ctx,
            "2.40.0",
            "spec.ovhcloudSDConfigs".into(),
            "OVHCloud SD configuration",
        )?;
        for (i, c) in spec.ovhcloud_sd_configs.iter().enumerate() {
            let at = format!("spec.ovhcloudSDConfigs[{i}]");
            secret_key(
                ctx,
                ns,
                &c.application_secret,
                &format!("{at}.applicationSecret"),
            )?;
            secret_key(ctx, ns, &c.consumer_key, &format!("{at}.consumerKey"))?;
        }

        gate(
            ctx,
            "2.26.0",
            "spec.scalewaySDConfigs".into(),
            "ScaleWay SD configuration",
        )?;
        for (i, c) in spec.scaleway_sd_configs.iter().enumerate() {
            let at = format!("spec.scalewaySDConfigs[{i}]");
            secret_key(ctx, ns, &c.secret_key, &format!("{at}.secretKey"))?;
            Client {
                basic_auth: None,
                authorization: None,
                oauth2: None,
                tls: c.tls_config.as_ref(),
                proxy: Some(c.proxy_config()),
            }
            .run(ctx, ns, &at, &[Px, Tl])?;
        }

        gate(
            ctx,
            "2.36.0",
            "spec.ionosSDConfigs".into(),
            "IONOS SD configuration",
        )?;
        for (i, c) in spec.ionos_sd_configs.iter().enumerate() {
            Client {
                basic_auth: None,
                authorization: Some(&c.authorization),
                oauth2: c.oauth2.as_ref(),
                tls: c.tls_config.as_ref(),
                proxy: Some(c.proxy_config()),
            }
            .run(
                ctx,
                ns,
                &format!("spec.ionosSDConfigs[{i}]"),
                &[Az, Px, Tl, Oa],
            )?;
        }
        Ok(())
    }

    fn kubernetes_sd(
        ctx: &Context<'_>,
        c: &crate::monitoring::v1alpha1::scrape_config::KubernetesSDConfig,
        at: &str,
    ) -> Checked {
        if c.role.eq_ignore_ascii_case("endpointslice") && ctx.version.lt("2.21.0") {
            fail(
                Check::Version,
                format!("{at}.role"),
                "EndpointSlice role is only supported for Prometheus version >= 2.21.0",
            )?;
        }
        if c.api_server.is_some()
            && c.namespaces
                .as_ref()
                .is_some_and(|n| n.own_namespace == Some(true))
        {
            fail(
                Check::Field,
                at,
                "cannot use 'apiServer' and 'namespaces.ownNamespace' simultaneously",
            )?;
        }
        let role = c.role.to_lowercase();
        let allowed: &[&str] = match role.as_str() {
            "pod" => &["pod"],
            "service" => &["service"],
            "endpointslice" => &["pod", "service", "endpointslice"],
            "endpoints" => &["pod", "service", "endpoints"],
            "node" => &["node"],
            "ingress" => &["ingress"],
            _ => &[],
        };
        for (j, s) in c.selectors.iter().enumerate() {
            if allowed.is_empty() {
                fail(
                    Check::Field,
                    format!("{at}.role"),
                    format!(
                        "invalid role: {:?}, expecting one of: pod, service, endpoints, \
                         endpointslice, node or ingress",
                        s.role
                    ),
                )?;
            }
            if !allowed.contains(&s.role.to_lowercase().as_str()) {
                fail(
                    Check::Field,
                    format!("{at}.selectors[{j}].role"),
                    format!(
                        "{} role supports only {} selectors",
                        c.role,
                        allowed.join(", ")
                    ),
                )?;
            }
        }
        for (j, s) in c.selectors.iter().enumerate() {
            if let Some(field) = &s.field
                && let Err(e) = go::selectors::parse_fields(field)
            {
                fail(Check::Field, format!("{at}.selectors[{j}].field"), e)?;
            }
            if let Some(label) = &s.label
                && let Err(e) = go::selectors::parse_labels(label)
            {
                fail(Check::Field, format!("{at}.selectors[{j}].label"), e)?;
            }
        }
        Ok(())
    }
}

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
