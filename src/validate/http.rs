//! An endpoint's HTTP client settings together, and proxies (upstream `ProxyConfig.Validate`
//! and the asset store's proxy header lookups).

use k8s_openapi::api::core::v1::SecretKeySelector;

use crate::monitoring::v1::common::{BasicAuth, OAuth2, ProxyConfig, SafeAuthorization};
use crate::monitoring::v1::tls::SafeTLSConfig;
use crate::validate::authorization::{auth_exclusivity, authorization, basic_auth, oauth2};
use crate::validate::proxy::{proxy, validate_proxy};
use crate::validate::references::secret_key;
use crate::validate::tls::{safe_tls, validate_safe_tls};
use crate::validate::{Checked, Context};

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
