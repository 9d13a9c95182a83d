//! TLS client settings (upstream `tls_types.go`).

use k8s_openapi::api::core::v1::{ConfigMapKeySelector, SecretKeySelector};
use serde::{Deserialize, Serialize};

/// A TLS protocol version name: `TLS10`, `TLS11`, `TLS12` or `TLS13`.
pub type TLSVersion = String;

crate::monitoring::inline_fields! {
    /// TLS settings whose material comes only from Secrets and ConfigMaps.
    pub struct SafeTLSConfig = ..safe_tls;
}

crate::monitoring::inline_fields! {
    /// TLS settings that may also point at files in the Prometheus container.
    pub struct TLSConfig {
        ..safe_tls,
        ..tls_files,
    }
}

crate::monitoring::inline_fields! {
    /// File paths of TLS material in the Prometheus container.
    pub struct TLSFilesConfig = ..tls_files;
}

crate::monitoring::inline_fields! {
    /// TLS of a gRPC server (Thanos sidecar), with cipher and curve choices; the certificate
    /// and key are the server's.
    pub struct GRPCServerTLSConfig {
        ..safe_tls,
        ..tls_files,
        /// Allowed cipher suites.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub cipher_suites: Vec<String>,
        /// Elliptic curves.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub curves: Vec<String>,
    }
}

/// A key in either a Secret or a ConfigMap.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SecretOrConfigMap {
    /// Secret key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<SecretKeySelector>,
    /// ConfigMap key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_map: Option<ConfigMapKeySelector>,
}

impl SecretOrConfigMap {
    /// Upstream `SecretOrConfigMap.Validate`: a Secret or a ConfigMap, not both.
    pub fn validate(&self) -> Result<(), &'static str> {
        if self.secret.is_some() && self.config_map.is_some() {
            Err("cannot specify both Secret and ConfigMap")
        } else {
            Ok(())
        }
    }

    /// The file name the operator mounts the referenced key as, for an object in `namespace`
    /// (upstream `TLSAssetKey`): `<0|1>_<namespace>_<name>_<key>`, 0 for a Secret and 1 for a
    /// ConfigMap.
    pub fn tls_asset_key(&self, namespace: &str) -> String {
        let (source, name, key) = match (&self.secret, &self.config_map) {
            (Some(s), _) => (0, s.name.as_str(), s.key.as_str()),
            (None, Some(c)) => (1, c.name.as_str(), c.key.as_str()),
            (None, None) => (1, "", ""),
        };
        format!("{source}_{namespace}_{name}_{key}")
    }

    /// Whether neither reference is set.
    pub fn is_empty(&self) -> bool {
        self.secret.is_none() && self.config_map.is_none()
    }
}
