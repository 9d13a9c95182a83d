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

/// TLS of a gRPC server (Thanos sidecar), with cipher and curve choices.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GRPCServerTLSConfig {
    /// CA certificate.
    #[serde(default)]
    pub ca: SecretOrConfigMap,
    /// Server certificate.
    #[serde(default)]
    pub cert: SecretOrConfigMap,
    /// Server key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_secret: Option<SecretKeySelector>,
    /// Server name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_name: Option<String>,
    /// Skip certificate verification.
    #[serde(
        default,
        deserialize_with = "crate::monitoring::de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub insecure_skip_verify: Option<bool>,
    /// Minimum TLS version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_version: Option<TLSVersion>,
    /// Maximum TLS version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_version: Option<TLSVersion>,
    /// CA certificate file path.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub ca_file: String,
    /// Server certificate file path.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub cert_file: String,
    /// Server key file path.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub key_file: String,
    /// Allowed cipher suites.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cipher_suites: Vec<String>,
    /// Elliptic curves.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub curves: Vec<String>,
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
    /// Whether neither reference is set.
    pub fn is_empty(&self) -> bool {
        self.secret.is_none() && self.config_map.is_none()
    }
}
