//! TLS settings: consistency of the CA, certificate and key sources, and the material the
//! operator loads (upstream `SafeTLSConfig.Validate`, `TLSConfig.Validate` and the asset
//! store's `AddSafeTLSConfig`, which parses certificates and keys).

use crate::monitoring::v1::common::SecretOrConfigMap;
use crate::monitoring::v1::tls::{SafeTLSConfig, TLSConfig};
use crate::validate::references::{describe, secret_key, secret_or_config_map};
use crate::validate::{Check, Checked, Context, Violation, fail};

fn validate_secret_or_config_map(sel: &SecretOrConfigMap, what: &str, field: &str) -> Checked {
    match sel.validate() {
        Ok(()) => Ok(()),
        Err(why) => fail(
            Check::Tls,
            field,
            format!("{what} {}: {why}", describe(sel)),
        ),
    }
}

/// The checks a `TLSConfig` shares with a `SafeTLSConfig` (on its safe part).
fn validate_tls_common(tls: &SafeTLSConfig, field: &str) -> Checked {
    validate_secret_or_config_map(&tls.ca, "ca", &format!("{field}.ca"))?;
    validate_secret_or_config_map(&tls.cert, "cert", &format!("{field}.cert"))?;
    if let (Some(max), Some(min)) = (tls.max_version.as_deref(), tls.min_version.as_deref())
        && max < min
    {
        fail(
            Check::Tls,
            field,
            "maxVersion must more than or equal to minVersion",
        )?;
    }
    Ok(())
}

/// `SafeTLSConfig.Validate`, for the Alertmanager's settings as for Prometheus's.
pub(crate) fn validate_safe_tls(tls: &SafeTLSConfig, field: &str) -> Checked {
    validate_tls_common(tls, field)?;
    if !tls.cert.is_empty() && tls.key_secret.is_none() {
        fail(
            Check::Tls,
            field,
            "client cert specified without client key",
        )?;
    }
    if tls.key_secret.is_some() && tls.cert.is_empty() {
        fail(
            Check::Tls,
            field,
            "client key specified without client cert",
        )?;
    }
    Ok(())
}

pub(super) fn validate_tls_files(field: &str, tls: Option<&TLSConfig>) -> Checked {
    let Some(tls) = tls else { return Ok(()) };
    validate_tls_common(&tls.safe(), field)?;
    if !tls.ca.is_empty() && !tls.ca_file.is_empty() {
        fail(Check::Tls, field, "cannot specify both 'caFile' and 'ca'")?;
    }
    let has_cert_ref = !tls.cert.is_empty();
    if has_cert_ref && !tls.cert_file.is_empty() {
        fail(
            Check::Tls,
            field,
            "cannot specify both 'certFile' and 'cert'",
        )?;
    }
    if !tls.key_file.is_empty() && tls.key_secret.is_some() {
        fail(
            Check::Tls,
            field,
            "cannot specify both 'keyFile' and 'keySecret'",
        )?;
    }
    let has_cert = has_cert_ref || !tls.cert_file.is_empty();
    let has_key = !tls.key_file.is_empty() || tls.key_secret.is_some();
    if has_cert && !has_key {
        fail(
            Check::Tls,
            field,
            "cannot specify client cert without client key",
        )?;
    }
    if has_key && !has_cert {
        fail(
            Check::Tls,
            field,
            "cannot specify client key without client cert",
        )?;
    }
    Ok(())
}

/// Validates TLS settings, then resolves and parses the referenced material.
pub(super) fn safe_tls(
    ctx: &Context<'_>,
    ns: &str,
    tls: Option<&SafeTLSConfig>,
    field: &str,
) -> Checked {
    let Some(tls) = tls else { return Ok(()) };
    validate_safe_tls(tls, field).map_err(|v| Violation {
        message: format!("failed to validate TLS configuration: {}", v.message),
        ..v
    })?;
    tls_assets(ctx, ns, tls, field)
}

pub(super) fn tls_assets(ctx: &Context<'_>, ns: &str, tls: &SafeTLSConfig, field: &str) -> Checked {
    let ca = secret_or_config_map(ctx, ns, &tls.ca, &format!("{field}.ca"))?;
    let cert = secret_or_config_map(ctx, ns, &tls.cert, &format!("{field}.cert"))?;
    let key = match &tls.key_secret {
        Some(sel) => secret_key(ctx, ns, sel, &format!("{field}.keySecret"))?,
        None => String::new(),
    };
    if !ca.is_empty() {
        let what = format!("ca {}", describe(&tls.ca));
        let Some(block) = crate::go::pem::first_block(&ca) else {
            return fail(
                Check::Tls,
                format!("{field}.ca"),
                format!("{what}: failed to decode PEM block"),
            );
        };
        if !crate::go::der::is_certificate(&block.der) {
            fail(
                Check::Tls,
                format!("{field}.ca"),
                format!("{what}: failed to parse certificate"),
            )?;
        }
    }
    if !cert.is_empty()
        && !key.is_empty()
        && let Err(reason) = crate::go::pem::check_key_pair(&cert, &key)
    {
        fail(
            Check::Tls,
            format!("{field}.cert"),
            format!("cert {}, key: {reason}", describe(&tls.cert)),
        )?;
    }
    Ok(())
}
