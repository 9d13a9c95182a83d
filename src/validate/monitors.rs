//! The checks the operator runs on a selected ServiceMonitor or PodMonitor (upstream
//! `ResourceSelector.SelectServiceMonitors` / `SelectPodMonitors` and the endpoints'
//! `Validate`).

use crate::monitoring::v1::common::RelabelConfig;
use crate::monitoring::v1::{PodMonitor, ServiceMonitor};
use crate::validate::authorization::{auth_exclusivity, authorization, basic_auth, oauth2};
use crate::validate::durations::scrape_interval_and_timeout;
use crate::validate::http::{HTTPClient, http_config_with_proxy};
use crate::validate::proxy::{proxy, validate_proxy};
use crate::validate::references::secret_key;
use crate::validate::relabeling::relabel_configs;
use crate::validate::scrape_classes::scrape_class;
use crate::validate::tls::{tls_assets, validate_tls_files};
use crate::validate::{Check, Checked, Context, Violation, fail, namespace_of};

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
        relabelings(ctx, &ep.relabel_configs, &ep.metric_relabel_configs, &at)?;
        proxy(ctx, ns, &ep.proxy_config(), &at)?;
    }
    scrape_class(ctx, spec.scrape_class_name.as_deref(), "spec.scrapeClass")
}

/// An endpoint's relabelings, then its metric relabelings.
fn relabelings(
    ctx: &Context<'_>,
    relabelings: &[RelabelConfig],
    metric_relabelings: &[RelabelConfig],
    at: &str,
) -> Checked {
    relabel_configs(ctx.version, relabelings, &format!("{at}.relabelings"))?;
    relabel_configs(
        ctx.version,
        metric_relabelings,
        &format!("{at}.metricRelabelings"),
    )
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
        relabelings(ctx, &ep.relabel_configs, &ep.metric_relabel_configs, &at)?;
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

fn own_label_selector(
    selector: &k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector,
) -> Checked {
    crate::select::Selector::parse(selector)
        .map(|_| ())
        .map_err(|e| Violation::new(Check::LabelSelector, "spec.selector", e.to_string()))
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
