//! Secret and ConfigMap lookups as the operator's asset store makes them (upstream
//! `pkg/assets` `StoreBuilder`: `GetSecretKey`, `GetConfigMapKey`, `GetKey`, the `Add*`
//! methods and `TLSAsset`), over a [`Snapshot`], with the store's error messages.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{ConfigMap, ConfigMapKeySelector, Secret, SecretKeySelector};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use crate::monitoring::v1::common::{
    BasicAuth, OAuth2, ProxyConfig, SafeAuthorization, SecretOrConfigMap, Sigv4,
};
use crate::monitoring::v1::tls::SafeTLSConfig;
use crate::snapshot::Snapshot;
use crate::validate::{describe, validate_authorization, validate_safe_tls};

/// Where the operator mounts TLS assets in the Alertmanager container.
pub const TLS_ASSETS_DIR: &str = "/etc/alertmanager/certs";

/// Lookups in one snapshot, indexed by `(namespace, name)`: a thousand AlertmanagerConfigs
/// read thousands of keys.
#[derive(Clone, Debug)]
pub struct Store<'s> {
    secrets: BTreeMap<(&'s str, &'s str), &'s Secret>,
    config_maps: BTreeMap<(&'s str, &'s str), &'s ConfigMap>,
}

impl<'s> Store<'s> {
    /// A store over `snapshot` (the first object of a name wins, as `Snapshot::secret` finds).
    pub fn new(snapshot: &'s Snapshot) -> Self {
        let mut secrets = BTreeMap::new();
        for s in &snapshot.secrets {
            secrets.entry(index_key(&s.metadata)).or_insert(s);
        }
        let mut config_maps = BTreeMap::new();
        for c in &snapshot.config_maps {
            config_maps.entry(index_key(&c.metadata)).or_insert(c);
        }
        Store {
            secrets,
            config_maps,
        }
    }

    /// `GetSecretKey`.
    pub fn secret_key(&self, ns: &str, sel: &SecretKeySelector) -> Result<String, String> {
        let found = self.secrets.get(&(ns, sel.name.as_str()));
        let Some(secret) = found.filter(|_| !ns.is_empty()) else {
            return Err(not_found(ns, "secret", &sel.name));
        };
        crate::snapshot::secret_key_value(secret, &sel.key)
            .ok_or_else(|| format!("key {:?} in secret {:?} not found", sel.key, sel.name))
    }

    /// Whether the Secret `sel` names is a stand-in `validate` made for an unresolved
    /// reference: its empty value is not the cluster's, and upstream checks a value's content
    /// only once it has read it.
    pub fn stand_in(&self, ns: &str, sel: &SecretKeySelector) -> bool {
        self.secrets
            .get(&(ns, sel.name.as_str()))
            .is_some_and(|s| crate::snapshot::is_stand_in(&s.metadata))
    }

    /// `GetConfigMapKey` (reads `data` only).
    pub fn config_map_key(&self, ns: &str, sel: &ConfigMapKeySelector) -> Result<String, String> {
        let found = self.config_maps.get(&(ns, sel.name.as_str()));
        let Some(cm) = found.filter(|_| !ns.is_empty()) else {
            return Err(not_found(ns, "configmap", &sel.name));
        };
        cm.data
            .as_ref()
            .and_then(|d| d.get(&sel.key))
            .cloned()
            .ok_or_else(|| format!("key {:?} in configmap {:?} not found", sel.key, sel.name))
    }

    /// `GetKey`: the Secret or ConfigMap key, empty when neither is set.
    pub fn key(&self, ns: &str, sel: &SecretOrConfigMap) -> Result<String, String> {
        match (&sel.secret, &sel.config_map) {
            (Some(s), _) => self.secret_key(ns, s),
            (None, Some(c)) => self.config_map_key(ns, c),
            (None, None) => Ok(String::new()),
        }
    }

    /// `AddBasicAuth`.
    pub fn basic_auth(&self, ns: &str, ba: Option<&BasicAuth>) -> Result<(), String> {
        let Some(ba) = ba else { return Ok(()) };
        self.secret_key(ns, &ba.username)
            .map_err(|e| format!("failed to get basic auth username: {e}"))?;
        self.secret_key(ns, &ba.password)
            .map_err(|e| format!("failed to get basic auth password: {e}"))?;
        Ok(())
    }

    /// `AddProxyConfig`.
    pub fn proxy_config(&self, ns: &str, pc: &ProxyConfig) -> Result<(), String> {
        for (name, selectors) in &pc.proxy_connect_header {
            for (i, sel) in selectors.iter().enumerate() {
                self.secret_key(ns, sel)
                    .map_err(|e| format!("header[{name}][{i}]: {e}"))?;
            }
        }
        Ok(())
    }

    /// `AddOAuth2`.
    pub fn oauth2(&self, ns: &str, o: Option<&OAuth2>) -> Result<(), String> {
        let Some(o) = o else { return Ok(()) };
        crate::validate::validate_oauth2(o, "").map_err(|v| v.message)?;
        self.key(ns, &o.client_id)
            .map_err(|e| format!("failed to get oauth2 client id: {e}"))?;
        self.secret_key(ns, &o.client_secret)
            .map_err(|e| format!("failed to get oauth2 client secret: {e}"))?;
        self.proxy_config(ns, &o.proxy_config())
            .map_err(|e| format!("failed to get oauth2 proxyConfig: {e}"))?;
        self.safe_tls(ns, o.tls_config.as_ref())
            .map_err(|e| format!("failed to get oauth2 tlsConfig: {e}"))
    }

    /// `AddSafeAuthorizationCredentials`.
    pub fn authorization(&self, ns: &str, auth: Option<&SafeAuthorization>) -> Result<(), String> {
        let Some(auth) = auth else { return Ok(()) };
        let Some(credentials) = &auth.credentials else {
            return Ok(());
        };
        validate_authorization(auth, "").map_err(|v| v.message)?;
        if !credentials.name.is_empty() {
            self.secret_key(ns, credentials).map_err(|e| {
                format!(
                    "failed to get authorization token of type {:?}: {e}",
                    auth.type_
                )
            })?;
        }
        Ok(())
    }

    /// `AddSigV4`.
    pub fn sigv4(&self, ns: &str, sigv4: Option<&Sigv4>) -> Result<(), String> {
        let Some(s) = sigv4 else { return Ok(()) };
        match (&s.access_key, &s.secret_key) {
            (None, None) => Ok(()),
            (Some(access), Some(secret)) => {
                self.secret_key(ns, access)
                    .map_err(|e| format!("failed to read SigV4 access-key: {e}"))?;
                self.secret_key(ns, secret)
                    .map_err(|e| format!("failed to read SigV4 secret-key: {e}"))?;
                Ok(())
            }
            _ => Err("both accessKey and secretKey should be provided".to_owned()),
        }
    }

    /// `AddSafeTLSConfig`: validates, then reads the referenced material. The CA must at
    /// least hold a PEM block; certificates are not parsed further.
    pub fn safe_tls(&self, ns: &str, tls: Option<&SafeTLSConfig>) -> Result<(), String> {
        let Some(tls) = tls else { return Ok(()) };
        validate_safe_tls(tls, "")
            .map_err(|v| format!("failed to validate TLS configuration: {}", v.message))?;
        let ca = self
            .key(ns, &tls.ca)
            .map_err(|e| format!("failed to get ca {:?}: {e}", describe(&tls.ca)))?;
        self.key(ns, &tls.cert)
            .map_err(|e| format!("failed to get cert {:?}: {e}", describe(&tls.cert)))?;
        if let Some(key) = &tls.key_secret {
            self.secret_key(ns, key)
                .map_err(|e| format!("failed to get key {}/{}: {e}", key.name, key.key))?;
        }
        if !ca.is_empty() && !ca.contains("-----BEGIN ") {
            return Err(format!(
                "ca {}: failed to decode PEM block",
                describe(&tls.ca)
            ));
        }
        Ok(())
    }
}

/// Where an object is indexed: its namespace and name.
fn index_key(meta: &ObjectMeta) -> (&str, &str) {
    (
        meta.namespace.as_deref().unwrap_or(""),
        meta.name.as_deref().unwrap_or(""),
    )
}

/// The store's error for a `kind` object `name` it does not find in `ns`; with no namespace it
/// finds nothing.
fn not_found(ns: &str, kind: &str, name: &str) -> String {
    if ns.is_empty() {
        "namespace cannot be empty".to_owned()
    } else {
        format!("unable to get {kind} {name:?}: {kind}s {name:?} not found")
    }
}

/// The file a TLS asset is mounted as (`TLSAsset`): `/etc/alertmanager/certs/<0 for a
/// Secret, 1 for a ConfigMap>_<namespace>_<name>_<key>`.
pub fn tls_asset_path(ns: &str, sel: &SecretOrConfigMap) -> String {
    format!("{TLS_ASSETS_DIR}/{}", sel.tls_asset_key(ns))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups_and_asset_paths() {
        let (snapshot, _) = crate::snapshot::load(
            "t",
            "apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: ns}\nstringData: {k: v}\n",
        )
        .unwrap();
        let store = Store::new(&snapshot);
        let sel = |name: &str, key: &str| SecretKeySelector {
            name: name.to_owned(),
            key: key.to_owned(),
            optional: None,
        };
        assert_eq!(store.secret_key("ns", &sel("s", "k")).unwrap(), "v");
        assert_eq!(
            store.secret_key("ns", &sel("s", "x")).unwrap_err(),
            "key \"x\" in secret \"s\" not found"
        );
        assert_eq!(
            store.secret_key("other", &sel("s", "k")).unwrap_err(),
            "unable to get secret \"s\": secrets \"s\" not found"
        );
        assert_eq!(
            store.secret_key("", &sel("s", "k")).unwrap_err(),
            "namespace cannot be empty"
        );
        let ca = SecretOrConfigMap {
            secret: Some(sel("s", "ca.crt")),
            config_map: None,
        };
        assert_eq!(
            tls_asset_path("ns", &ca),
            "/etc/alertmanager/certs/0_ns_s_ca.crt"
        );
    }
}
