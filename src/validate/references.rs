//! Secret and ConfigMap references: the key must exist where the operator's asset store looks
//! it up (upstream `assets.StoreBuilder`'s `GetSecretKey` / `GetConfigMapKey`).

use k8s_openapi::api::core::v1::{ConfigMapKeySelector, SecretKeySelector};

use crate::monitoring::v1::common::SecretOrConfigMap;
use crate::validate::{Check, Context, Violation};

/// The value of `sel` in Secret `namespace/sel.name`, as the operator's asset store reads it.
pub(super) fn secret_key(
    ctx: &Context<'_>,
    ns: &str,
    sel: &SecretKeySelector,
    field: &str,
) -> Result<String, Violation> {
    let Some(secret) = ctx.snapshot.secret(ns, &sel.name) else {
        return Err(object_not_found(field, "secret", &sel.name));
    };
    crate::snapshot::secret_key_value(secret, &sel.key)
        .ok_or_else(|| key_not_found(field, "secret", sel.key.as_str(), &sel.name))
}

/// The operator's error for a `kind` (`secret`, `configmap`) missing from its namespace: its
/// store's wrapping of the API server's NotFound (`secrets "x" not found`).
fn object_not_found(field: &str, kind: &str, name: &str) -> Violation {
    Violation::new(
        Check::Reference,
        field,
        format!("unable to get {kind} {name:?}: {kind}s {name:?} not found"),
    )
}

/// The operator's error for a key missing from a `kind` (`secret`, `configmap`).
fn key_not_found(field: &str, kind: &str, key: &str, name: &str) -> Violation {
    Violation::new(
        Check::Reference,
        field,
        format!("key {key:?} in {kind} {name:?} not found"),
    )
}

fn config_map_key(
    ctx: &Context<'_>,
    ns: &str,
    sel: &ConfigMapKeySelector,
    field: &str,
) -> Result<String, Violation> {
    let Some(cm) = ctx.snapshot.config_map(ns, &sel.name) else {
        return Err(object_not_found(field, "configmap", &sel.name));
    };
    // The operator reads only `data`, not `binaryData`.
    match cm.data.as_ref().and_then(|d| d.get(&sel.key)) {
        Some(v) => Ok(v.clone()),
        None => Err(key_not_found(field, "configmap", &sel.key, &sel.name)),
    }
}

pub(super) fn secret_or_config_map(
    ctx: &Context<'_>,
    ns: &str,
    sel: &SecretOrConfigMap,
    field: &str,
) -> Result<String, Violation> {
    match (&sel.secret, &sel.config_map) {
        (Some(s), _) => secret_key(ctx, ns, s, field),
        (None, Some(c)) => config_map_key(ctx, ns, c, field),
        (None, None) => Ok(String::new()),
    }
}

/// How the operator names a Secret or ConfigMap key in its errors.
pub(crate) fn describe(sel: &SecretOrConfigMap) -> String {
    match (&sel.secret, &sel.config_map) {
        (Some(s), _) => format!("<secret={},key={}>", s.name, s.key),
        (None, Some(c)) => format!("<configmap={},key={}>", c.name, c.key),
        (None, None) => "<empty>".to_owned(),
    }
}
