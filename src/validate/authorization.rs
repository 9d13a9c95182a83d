//! Authentication settings: basic auth, the `authorization` header, OAuth2 and their
//! exclusivity (upstream `SafeAuthorization.Validate`, `OAuth2.Validate`, the endpoint's
//! `Validate` and the asset store's `AddBasicAuth` / `AddOAuth2` / `AddSafeAuthorizationCredentials`).

use crate::monitoring::v1::common::{BasicAuth, OAuth2, SafeAuthorization};
use crate::validate::proxy::{proxy_headers, validate_proxy};
use crate::validate::references::{secret_key, secret_or_config_map};
use crate::validate::tls::{safe_tls, validate_safe_tls};
use crate::validate::{Check, Checked, Context, fail};

pub(super) fn basic_auth(
    ctx: &Context<'_>,
    ns: &str,
    ba: Option<&BasicAuth>,
    field: &str,
) -> Checked {
    let Some(ba) = ba else { return Ok(()) };
    secret_key(ctx, ns, &ba.username, &format!("{field}.username"))?;
    secret_key(ctx, ns, &ba.password, &format!("{field}.password"))?;
    Ok(())
}

/// `SafeAuthorization.Validate`, for the Alertmanager's settings as for Prometheus's.
pub(crate) fn validate_authorization(auth: &SafeAuthorization, field: &str) -> Checked {
    if auth.type_.trim().eq_ignore_ascii_case("basic") {
        fail(
            Check::Authentication,
            format!("{field}.type"),
            "'authorization' type cannot be set to \"basic\", use \"basicAuth\" instead",
        )?;
    }
    if auth.credentials.is_none() {
        fail(
            Check::Authentication,
            format!("{field}.credentials"),
            "'authorization' credentials are required",
        )?;
    }
    Ok(())
}

pub(super) fn authorization(
    ctx: &Context<'_>,
    ns: &str,
    auth: Option<&SafeAuthorization>,
    field: &str,
) -> Checked {
    let Some(auth) = auth else { return Ok(()) };
    let Some(credentials) = &auth.credentials else {
        return Ok(());
    };
    validate_authorization(auth, field)?;
    if !credentials.name.is_empty() {
        secret_key(ctx, ns, credentials, &format!("{field}.credentials"))?;
    }
    Ok(())
}

/// `OAuth2.Validate`, for Prometheus's and Alertmanager's settings alike: the token URL and
/// client ID, then the TLS and proxy settings, whose errors it wraps.
pub(crate) fn validate_oauth2(o: &OAuth2, field: &str) -> Checked {
    if o.token_url.is_empty() {
        fail(
            Check::OAuth2,
            format!("{field}.tokenUrl"),
            "OAuth2 tokenURL must be specified",
        )?;
    }
    if o.client_id.secret.is_none() && o.client_id.config_map.is_none() {
        fail(
            Check::OAuth2,
            format!("{field}.clientId"),
            "OAuth2 'clientID' must be specified",
        )?;
    }
    if o.client_id.secret.is_some() && o.client_id.config_map.is_some() {
        fail(
            Check::OAuth2,
            format!("{field}.clientId"),
            "invalid OAuth2 'clientID': cannot specify both Secret and ConfigMap",
        )?;
    }
    if let Some(tls) = &o.tls_config {
        validate_safe_tls(tls, &format!("{field}.tlsConfig"))
            .map_err(|v| v.wrapped("invalid OAuth2 'tlsConfig'"))?;
    }
    validate_proxy(field, &o.proxy_config()).map_err(|v| v.wrapped("invalid OAuth2 proxyConfig"))
}

pub(super) fn oauth2(ctx: &Context<'_>, ns: &str, o: Option<&OAuth2>, field: &str) -> Checked {
    let Some(o) = o else { return Ok(()) };
    validate_oauth2(o, field)?;
    secret_or_config_map(ctx, ns, &o.client_id, &format!("{field}.clientId"))?;
    secret_key(ctx, ns, &o.client_secret, &format!("{field}.clientSecret"))?;
    proxy_headers(ctx, ns, &o.proxy_config(), field)?;
    safe_tls(
        ctx,
        ns,
        o.tls_config.as_ref(),
        &format!("{field}.tlsConfig"),
    )
}

/// Why the authentication methods set (each flag says whether one is) cannot go together, in
/// the order `HTTPConfigWithoutTLS.Validate` looks; `None` when at most one is set.
pub(crate) fn conflicting_auth(
    authorization: bool,
    basic_auth: bool,
    bearer_token_secret: bool,
    oauth2: bool,
) -> Option<&'static str> {
    if authorization {
        if basic_auth {
            Some("authorization and basicAuth cannot be configured at the same time")
        } else if bearer_token_secret {
            Some("authorization and bearerTokenSecret cannot be configured at the same time")
        } else if oauth2 {
            Some("authorization and oauth2 cannot be configured at the same time")
        } else {
            None
        }
    } else if basic_auth {
        if bearer_token_secret {
            Some("basicAuth and bearerTokenSecret cannot be configured at the same time")
        } else if oauth2 {
            Some("basicAuth and oauth2 cannot be configured at the same time")
        } else {
            None
        }
    } else if bearer_token_secret && oauth2 {
        Some("bearerTokenSecret and oauth2 cannot be configured at the same time")
    } else {
        None
    }
}

pub(super) fn auth_exclusivity(
    at: &str,
    authorization: Option<&SafeAuthorization>,
    basic_auth: bool,
    bearer_token_secret: bool,
    oauth2: Option<&OAuth2>,
) -> Checked {
    let message = conflicting_auth(
        authorization.is_some(),
        basic_auth,
        bearer_token_secret,
        oauth2.is_some(),
    );
    if let Some(message) = message {
        fail(Check::Authentication, at, message)?;
    }
    if let Some(auth) = authorization {
        validate_authorization(auth, &format!("{at}.authorization"))?;
    }
    if let Some(o) = oauth2 {
        validate_oauth2(o, &format!("{at}.oauth2"))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oauth2_wraps_its_tls_and_proxy_errors_as_upstream() {
        let o: OAuth2 = crate::yaml::from_str(
            "tokenUrl: https://idp/token\nclientId: {secret: {name: o, key: id}}\n\
             clientSecret: {name: o, key: secret}\ntlsConfig: {keySecret: {name: t, key: k}}\n",
        )
        .unwrap();
        let violation = validate_oauth2(&o, "spec.endpoints[0].oauth2").unwrap_err();
        assert_eq!(violation.field, "spec.endpoints[0].oauth2.tlsConfig");
        assert_eq!(
            violation.message,
            "invalid OAuth2 'tlsConfig': client key specified without client cert"
        );
    }
}
