//! TLS client settings (upstream `tls_types.go`).

use k8s_openapi::api::core::v1::{ConfigMapKeySelector, SecretKeySelector};
use serde::{Deserialize, Serialize};

/// A TLS protocol version name: `TLS10`, `TLS11`, `TLS12` or `TLS13`.
pub type TLSVersion = String;

/// TLS settings whose material comes only from Secrets and ConfigMaps.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SafeTLSConfig {
    /// CA certificate.
    #[serde(default)]
    pub ca: SecretOrConfigMap,
    /// Client certificate.
    #[serde(default)]
    pub cert: SecretOrConfigMap,
    /// Client key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_secret: Option<SecretKeySelector>,
    /// Server name used to verify the certificate.
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
}

/// TLS settings that may also point at files in the Prometheus container.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TLSConfig {
    /// CA certificate.
    #[serde(default)]
    pub ca: SecretOrConfigMap,
    /// Client certificate.
    #[serde(default)]
    pub cert: SecretOrConfigMap,
    /// Client key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_secret: Option<SecretKeySelector>,
    /// Server name used to verify the certificate.
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
    /// Client certificate file path.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub cert_file: String,
    /// Client key file path.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub key_file: String,
}

impl TLSConfig {
    /// The Secret/ConfigMap part.
    pub fn safe(&self) -> SafeTLSConfig {
        SafeTLSConfig {
            ca: self.ca.clone(),
            cert: self.cert.clone(),
            key_secret: self.key_secret.clone(),
            server_name: self.server_name.clone(),
            insecure_skip_verify: self.insecure_skip_verify,
            min_version: self.min_version.clone(),
            max_version: self.max_version.clone(),
        }
    }

    /// The file part.
    pub fn files(&self) -> TLSFilesConfig {
        TLSFilesConfig {
            ca_file: self.ca_file.clone(),
            cert_file: self.cert_file.clone(),
            key_file: self.key_file.clone(),
        }
    }
}

/// File paths of TLS material in the Prometheus container.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TLSFilesConfig {
    /// CA certificate file path.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub ca_file: String,
    /// Client certificate file path.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub cert_file: String,
    /// Client key file path.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub key_file: String,
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
