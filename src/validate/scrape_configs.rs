//! The checks the operator runs on a selected ScrapeConfig (upstream
//! `ResourceSelector.SelectScrapeConfigs`); its service-discovery sections are in
//! [`super::service_discovery`].

use crate::monitoring::v1alpha1::ScrapeConfig;
use crate::validate::authorization::{authorization, basic_auth, oauth2};
use crate::validate::durations::scrape_interval_and_timeout;
use crate::validate::proxy::proxy;
use crate::validate::relabeling::{relabel_configs, static_labels};
use crate::validate::scrape_classes::scrape_class;
use crate::validate::service_discovery::check_service_discovery;
use crate::validate::tls::safe_tls;
use crate::validate::{Checked, Context, namespace_of};

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
    check_service_discovery(ctx, ns, spec)
}
