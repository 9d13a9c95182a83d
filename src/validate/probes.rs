//! The checks the operator runs on a selected Probe (upstream `ResourceSelector.SelectProbes`
//! and `ProbeTargets.Validate`), including the prober URL, which must be `host` or
//! `host:port` as Go's `net.SplitHostPort` reads it.

use crate::go::net::split_host_port;
use crate::monitoring::v1::Probe;
use crate::redact::shown_address;
use crate::validate::authorization::{authorization, basic_auth, oauth2};
use crate::validate::durations::scrape_interval_and_timeout;
use crate::validate::proxy::proxy;
use crate::validate::references::secret_key;
use crate::validate::relabeling::{relabel_configs, static_labels};
use crate::validate::scrape_classes::scrape_class;
use crate::validate::tls::safe_tls;
use crate::validate::{Check, Checked, Context, Violation, fail, namespace_of};

/// The checks the operator runs on a selected Probe.
pub fn probe(ctx: &Context<'_>, probe: &Probe) -> Checked {
    let ns = namespace_of(&probe.metadata);
    let spec = &probe.spec;
    scrape_class(ctx, spec.scrape_class_name.as_deref(), "spec.scrapeClass")?;
    if spec.targets.static_config.is_none() && spec.targets.ingress.is_none() {
        fail(
            Check::ProbeTarget,
            "spec.targets",
            "at least one of .spec.targets.staticConfig and .spec.targets.ingress is required",
        )?;
    }
    if let Some(sel) = &spec.bearer_token_secret {
        secret_key(ctx, ns, sel, "spec.bearerTokenSecret")?;
    }
    basic_auth(ctx, ns, spec.basic_auth.as_ref(), "spec.basicAuth")?;
    safe_tls(ctx, ns, spec.tls_config.as_ref(), "spec.tlsConfig")?;
    authorization(ctx, ns, spec.authorization.as_ref(), "spec.authorization")?;
    oauth2(ctx, ns, spec.oauth2.as_ref(), "spec.oauth2")?;
    scrape_interval_and_timeout(ctx, &spec.interval, &spec.scrape_timeout, "spec")?;
    relabel_configs(
        ctx.version,
        &spec.metric_relabel_configs,
        "spec.metricRelabelings",
    )?;
    if let Some(static_config) = &spec.targets.static_config {
        static_labels(
            ctx.version,
            &static_config.labels,
            "spec.targets.staticConfig.labels",
        )?;
        relabel_configs(
            ctx.version,
            &static_config.relabel_configs,
            "spec.targets.staticConfig.relabelingConfigs",
        )?;
    }
    if let Some(ingress) = &spec.targets.ingress {
        relabel_configs(
            ctx.version,
            &ingress.relabel_configs,
            "spec.targets.ingress.relabelingConfigs",
        )?;
    }
    proxy(ctx, ns, &spec.prober_spec.proxy_config(), "spec.prober")?;
    let url = &spec.prober_spec.url;
    // The password is hidden before `{:?}` quotes (and escapes) the URL.
    prober_url(url).map_err(|reason| {
        Violation::new(
            Check::ProbeTarget,
            "spec.prober.url",
            format!(
                "{:?} url specified in proberSpec is invalid, it should be of the format \
                 `hostname` or `hostname:port`: {reason}",
                shown_address(url)
            ),
        )
    })
}

fn prober_url(url: &str) -> Result<(), String> {
    match split_host_port(url) {
        Err(_) => {
            if is_host(url) {
                Ok(())
            } else {
                Err(format!("invalid host: {:?}", shown_address(url)))
            }
        }
        Ok((host, port)) => {
            if !is_host(host) {
                return Err(format!("invalid host: {:?}", shown_address(host)));
            }
            match port.parse::<u32>() {
                Ok(p) if p > 0 && p < 65536 => Ok(()),
                _ => Err(format!("invalid port: {port:?}")),
            }
        }
    }
}

fn is_ip(text: &str) -> bool {
    text.parse::<std::net::IpAddr>().is_ok()
}

/// govalidator's `IsHost`: an IP address or a DNS name.
fn is_host(text: &str) -> bool {
    is_ip(text) || is_dns_name(text)
}

fn is_dns_name(text: &str) -> bool {
    if text.is_empty() || text.replace('.', "").len() > 255 || is_ip(text) {
        return false;
    }
    static PATTERN: std::sync::OnceLock<Option<regex::Regex>> = std::sync::OnceLock::new();
    PATTERN
        .get_or_init(|| {
            regex::Regex::new(
                r"^([a-zA-Z0-9_][a-zA-Z0-9_-]{0,62})(\.[a-zA-Z0-9_][a-zA-Z0-9_-]{0,62})*[._]?$",
            )
            .ok()
        })
        .as_ref()
        .is_some_and(|re| re.is_match(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prober_urls() {
        for ok in [
            "example.com",
            "example.com:80",
            "1.2.3.4",
            "1.2.3.4:9115",
            "::1",
            "[::1]:80",
            "2001:db8::1",
            "1host",
            // govalidator's IsPort is Go's Atoi, which takes a sign.
            "blackbox:+9115",
        ] {
            assert!(prober_url(ok).is_ok(), "{ok}");
        }
        for bad in [
            "ftp://example.com",
            "[::1]",
            "exa mple.com",
            "example.com:0",
            "example.com:-80",
            "example.com:65536",
        ] {
            assert!(prober_url(bad).is_err(), "{bad}");
        }
    }
}
