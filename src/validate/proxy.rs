//! Proxy settings of an HTTP client (upstream `ProxyConfig.Validate` and the CONNECT header
//! Secrets), shared by monitors, probes, ScrapeConfigs and remote write.

use crate::monitoring::v1::common::ProxyConfig;
use crate::validate::references::secret_key;
use crate::validate::{Check, Checked, Context, fail};

/// The consistency rules of proxy settings (upstream `ProxyConfig.Validate`), for monitors'
/// endpoints and for remote write alike; `at` is the path of the object holding them.
pub(crate) fn validate_proxy(at: &str, pc: &ProxyConfig) -> Checked {
    let from_env = pc.proxy_from_environment == Some(true);
    let url = pc.proxy_url.as_deref().unwrap_or("");
    let no_proxy = pc.no_proxy.as_deref().unwrap_or("");
    let message = if !pc.proxy_connect_header.is_empty() && !from_env && url.is_empty() {
        Some(
            "if proxyConnectHeader is configured, proxyUrl or proxyFromEnvironment must also be configured",
        )
    } else if from_env && !url.is_empty() {
        Some("if proxyFromEnvironment is configured, proxyUrl must not be configured")
    } else if from_env && !no_proxy.is_empty() {
        Some("if proxyFromEnvironment is configured, noProxy must not be configured")
    } else if url.is_empty() && !no_proxy.is_empty() {
        Some("if noProxy is configured, proxyUrl must also be configured")
    } else {
        None
    };
    if let Some(message) = message {
        fail(Check::Proxy, at, message)?;
    }
    for (name, selectors) in &pc.proxy_connect_header {
        if selectors.is_empty() {
            fail(
                Check::Proxy,
                format!("{at}.proxyConnectHeader[{name}]"),
                // Upstream's spelling.
                format!("proxyConnetHeader[{name}]: selector must not be empty"),
            )?;
        }
        for (i, sel) in selectors.iter().enumerate() {
            if sel.name.is_empty() && sel.key.is_empty() && sel.optional.is_none() {
                fail(
                    Check::Proxy,
                    format!("{at}.proxyConnectHeader[{name}][{i}]"),
                    format!("proxyConnectHeader[{name}][{i}]: selector must be defined"),
                )?;
            }
        }
    }
    if let Some(url) = &pc.proxy_url
        && let Err(e) = crate::go::url::parse(url)
    {
        fail(Check::Proxy, format!("{at}.proxyUrl"), e)?;
    }
    Ok(())
}

pub(super) fn proxy_headers(ctx: &Context<'_>, ns: &str, pc: &ProxyConfig, at: &str) -> Checked {
    for (name, selectors) in &pc.proxy_connect_header {
        for (i, sel) in selectors.iter().enumerate() {
            secret_key(
                ctx,
                ns,
                sel,
                &format!("{at}.proxyConnectHeader[{name}][{i}]"),
            )?;
        }
    }
    Ok(())
}

/// Validates proxy settings, then resolves the CONNECT header Secrets.
pub(super) fn proxy(ctx: &Context<'_>, ns: &str, pc: &ProxyConfig, at: &str) -> Checked {
    validate_proxy(at, pc)?;
    proxy_headers(ctx, ns, pc, at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proxy_rules_match_the_operator() {
        let mut proxy = ProxyConfig {
            no_proxy: Some("example.com".to_owned()),
            ..ProxyConfig::default()
        };
        let refused = validate_proxy("spec", &proxy).unwrap_err();
        assert_eq!(
            refused.message,
            "if noProxy is configured, proxyUrl must also be configured"
        );
        proxy.proxy_url = Some("http://proxy:3128".to_owned());
        assert!(validate_proxy("spec", &proxy).is_ok());
        proxy.proxy_url = Some("http://proxy:port".to_owned());
        assert_eq!(
            validate_proxy("spec", &proxy).unwrap_err().field,
            "spec.proxyUrl"
        );
    }
}
