//! An endpoint's HTTP client settings together, and proxies (upstream `ProxyConfig.Validate`
//! and the asset store's proxy header lookups).

use k8s_openapi::api::core::v1::SecretKeySelector;

use crate::monitoring::v1::common::{BasicAuth, OAuth2, ProxyConfig, SafeAuthorization};
use crate::monitoring::v1::tls::SafeTLSConfig;
use crate::validate::authorization::{auth_exclusivity, authorization, basic_auth, oauth2};
use crate::validate::references::secret_key;
use crate::validate::tls::{safe_tls, validate_safe_tls};
use crate::validate::{Check, Checked, Context, fail};

/// The HTTP client settings shared by several kinds (upstream `HTTPConfig`).
pub(super) struct HTTPClient<'a> {
    pub(super) authorization: Option<&'a SafeAuthorization>,
    pub(super) basic_auth: Option<&'a BasicAuth>,
    pub(super) oauth2: Option<&'a OAuth2>,
    pub(super) bearer_token_secret: Option<&'a SecretKeySelector>,
    pub(super) tls_config: Option<&'a SafeTLSConfig>,
}

pub(super) fn http_config_with_proxy(
    ctx: &Context<'_>,
    ns: &str,
    at: &str,
    http: HTTPClient<'_>,
    proxy_config: &ProxyConfig,
) -> Checked {
    auth_exclusivity(
        at,
        http.authorization,
        http.basic_auth.is_some(),
        http.bearer_token_secret.is_some(),
        http.oauth2,
    )?;
    if let Some(tls) = http.tls_config {
        validate_safe_tls(tls, &format!("{at}.tlsConfig"))?;
    }
    validate_proxy(at, proxy_config)?;
    if let Some(sel) = http.bearer_token_secret
        && !sel.name.is_empty()
        && !sel.key.is_empty()
    {
        secret_key(ctx, ns, sel, &format!("{at}.bearerTokenSecret"))?;
    }
    basic_auth(ctx, ns, http.basic_auth, &format!("{at}.basicAuth"))?;
    safe_tls(ctx, ns, http.tls_config, &format!("{at}.tlsConfig"))?;
    oauth2(ctx, ns, http.oauth2, &format!("{at}.oauth2"))?;
    authorization(ctx, ns, http.authorization, &format!("{at}.authorization"))?;
    proxy(ctx, ns, proxy_config, at)
}

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
        && let Err(e) = super::go::url::parse(url)
    {
        fail(
            Check::Proxy,
            format!("{at}.proxyUrl"),
            format!("parse {url:?}: {e}"),
        )?;
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
