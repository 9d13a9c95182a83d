//! The web configuration file and the TLS material it points at, as volumes and mounts:
//! upstream `webconfig.Config.GetMountParameters` and `TLSReferences` (`pkg/webconfig`), and
//! Alertmanager's cluster TLS configuration (`pkg/alertmanager/clustertlsconfig`).

use k8s_openapi::api::core::v1::{
    ConfigMapVolumeSource, SecretKeySelector, SecretVolumeSource, Volume, VolumeMount,
};

use crate::monitoring::v1::common::{SecretOrConfigMap, WebTLSConfig};
use crate::monitoring::v1::tls::SafeTLSConfig;
use crate::workload::{WorkloadError, naming, paths};

/// Volume and file name of the web configuration.
const WEB_CONFIG_VOLUME: &str = "web-config";
const WEB_CONFIG_FILE: &str = "web-config.yaml";
const WEB_TLS_VOLUME_PREFIX: &str = "web-config-tls-";
/// Volume and file name of Alertmanager's cluster TLS configuration.
const CLUSTER_TLS_VOLUME: &str = "cluster-tls-config";
const CLUSTER_TLS_FILE: &str = "cluster-tls-config.yaml";
const CLUSTER_TLS_SERVER_PREFIX: &str = "cluster-tls-server-config-";
const CLUSTER_TLS_CLIENT_PREFIX: &str = "cluster-tls-client-config-";

/// Volumes and mounts for a configuration file, and the flag pointing at it.
#[derive(Default)]
pub(crate) struct MountParameters {
    /// `--web.config.file=...` / `--cluster.tls-config=...` (name, value).
    pub flag: Option<(&'static str, String)>,
    pub volumes: Vec<Volume>,
    pub mounts: Vec<VolumeMount>,
}

/// The web configuration file mounted at `<dir>/web-config.yaml` from Secret `secret_name`,
/// plus the Secrets and ConfigMaps of the web server's TLS settings.
pub(crate) fn web_config(
    dir: &str,
    secret_name: &str,
    tls: Option<&WebTLSConfig>,
) -> Result<MountParameters, WorkloadError> {
    if let Some(tls) = tls {
        validate_web_tls(tls).map_err(WorkloadError::WebTls)?;
    }
    let file = paths::join(&[dir, WEB_CONFIG_FILE]);
    let mut params = MountParameters {
        flag: Some(("web.config.file", file.clone())),
        volumes: vec![secret_volume(WEB_CONFIG_VOLUME, secret_name)],
        mounts: vec![sub_path_mount(WEB_CONFIG_VOLUME, &file, WEB_CONFIG_FILE)],
    };
    if let Some(tls) = tls {
        let refs = TlsReferences {
            dir: dir.to_owned(),
            key_secret: &tls.key_secret,
            cert: &tls.cert,
            ca: &tls.client_ca,
        };
        refs.mount(WEB_TLS_VOLUME_PREFIX, &mut params)?;
    }
    Ok(params)
}

/// Alertmanager's cluster TLS configuration file (always mounted from v0.24.0) and, when
/// `spec.clusterTLS` is set, its flag and TLS material.
pub(crate) fn cluster_tls_config(
    dir: &str,
    secret_name: &str,
    server: Option<&WebTLSConfig>,
    client: Option<&SafeTLSConfig>,
) -> Result<MountParameters, WorkloadError> {
    let file = paths::join(&[dir, CLUSTER_TLS_FILE]);
    let mut params = MountParameters {
        flag: None,
        volumes: vec![secret_volume(CLUSTER_TLS_VOLUME, secret_name)],
        mounts: vec![sub_path_mount(CLUSTER_TLS_VOLUME, &file, CLUSTER_TLS_FILE)],
    };
    let (Some(server), Some(client)) = (server, client) else {
        return Ok(params);
    };
    validate_web_tls(server)
        .map_err(|e| WorkloadError::ClusterTls(format!("invalid server TLS configuration: {e}")))?;
    crate::validate::validate_safe_tls(client, "")
        .map_err(|v| v.message)
        .map_err(|e| WorkloadError::ClusterTls(format!("invalid client TLS configuration: {e}")))?;
    let client_key = match (&client.key_secret, client.cert.is_empty()) {
        (Some(key), false) => key,
        _ => {
            return Err(WorkloadError::ClusterTls(
                "invalid client TLS configuration: certificate is required".to_owned(),
            ));
        }
    };
    params.flag = Some(("cluster.tls-config", file));
    TlsReferences {
        dir: paths::join(&[dir, "server_tls"]),
        key_secret: &server.key_secret,
        cert: &server.cert,
        ca: &server.client_ca,
    }
    .mount(CLUSTER_TLS_SERVER_PREFIX, &mut params)?;
    TlsReferences {
        dir: paths::join(&[dir, "client_tls"]),
        key_secret: client_key,
        cert: &client.cert,
        ca: &client.ca,
    }
    .mount(CLUSTER_TLS_CLIENT_PREFIX, &mut params)?;
    Ok(params)
}

/// TLS material kept in Secrets and ConfigMaps, each mounted whole under `dir`.
struct TlsReferences<'a> {
    dir: String,
    key_secret: &'a SecretKeySelector,
    cert: &'a SecretOrConfigMap,
    ca: &'a SecretOrConfigMap,
}

impl TlsReferences<'_> {
    /// Upstream `GetMountParameters`: the key Secret is always mounted (even when the key
    /// comes from a file), the certificate and CA when set.
    fn mount(&self, prefix: &str, params: &mut MountParameters) -> Result<(), WorkloadError> {
        let key_dir = tls_dir(&self.dir, "secret", &self.key_secret.name, "key");
        mount_secret(
            params,
            &format!("{prefix}secret-key-"),
            &self.key_secret.name,
            key_dir,
        )?;
        for (material, what) in [(self.cert, "cert"), (self.ca, "client-ca")] {
            let mount_type = if what == "cert" { "cert" } else { "ca" };
            if let Some(secret) = &material.secret {
                let dir = tls_dir(&self.dir, "secret", &secret.name, mount_type);
                mount_secret(
                    params,
                    &format!("{prefix}secret-{what}-"),
                    &secret.name,
                    dir,
                )?;
            } else if let Some(config_map) = &material.config_map {
                let dir = tls_dir(&self.dir, "configmap", &config_map.name, mount_type);
                let volume = naming::unique_dns1123_label(
                    &format!("{prefix}configmap-{what}-"),
                    &config_map.name,
                )?;
                params.volumes.push(Volume {
                    name: volume.clone(),
                    config_map: Some(ConfigMapVolumeSource {
                        name: config_map.name.clone(),
                        ..ConfigMapVolumeSource::default()
                    }),
                    ..Volume::default()
                });
                params.mounts.push(read_only_mount(&volume, &dir));
            }
        }
        Ok(())
    }
}

/// Where TLS material is mounted: `<dir>/secret/<name>-key`, `<dir>/configmap/<name>-cert`, ...
fn tls_dir(dir: &str, kind: &str, name: &str, mount_type: &str) -> String {
    paths::join(&[dir, kind, &format!("{name}-{mount_type}")])
}

fn mount_secret(
    params: &mut MountParameters,
    prefix: &str,
    secret: &str,
    dir: String,
) -> Result<(), WorkloadError> {
    let volume = naming::unique_dns1123_label(prefix, secret)?;
    params.volumes.push(secret_volume(&volume, secret));
    params.mounts.push(read_only_mount(&volume, &dir));
    Ok(())
}

/// Upstream `WebTLSConfig.Validate`.
fn validate_web_tls(tls: &WebTLSConfig) -> Result<(), String> {
    let set = |file: &Option<String>| file.as_deref().is_some_and(|f| !f.is_empty());
    let key_secret_set = tls.key_secret != SecretKeySelector::default();
    if !tls.client_ca.is_empty() {
        if set(&tls.client_ca_file) {
            return Err("cannot specify both clientCAFile and clientCA".to_owned());
        }
        tls.client_ca
            .validate()
            .map_err(|e| format!("invalid client CA: {e}"))?;
    }
    if !tls.cert.is_empty() {
        if set(&tls.cert_file) {
            return Err("cannot specify both cert and certFile".to_owned());
        }
        tls.cert
            .validate()
            .map_err(|e| format!("invalid TLS certificate: {e}"))?;
    }
    if set(&tls.key_file) && key_secret_set {
        return Err("cannot specify both keyFile and keySecret".to_owned());
    }
    if !set(&tls.key_file) && !key_secret_set {
        return Err("TLS private key must be defined".to_owned());
    }
    if !set(&tls.cert_file) && tls.cert.is_empty() {
        return Err("TLS certificate must be defined".to_owned());
    }
    Ok(())
}

/// A volume backed by a whole Secret.
pub(crate) fn secret_volume(name: &str, secret: &str) -> Volume {
    Volume {
        name: name.to_owned(),
        secret: Some(SecretVolumeSource {
            secret_name: Some(secret.to_owned()),
            ..SecretVolumeSource::default()
        }),
        ..Volume::default()
    }
}

/// A read-only mount of a whole volume.
pub(crate) fn read_only_mount(volume: &str, path: &str) -> VolumeMount {
    VolumeMount {
        name: volume.to_owned(),
        mount_path: path.to_owned(),
        read_only: Some(true),
        ..VolumeMount::default()
    }
}

fn sub_path_mount(volume: &str, path: &str, sub_path: &str) -> VolumeMount {
    VolumeMount {
        sub_path: Some(sub_path.to_owned()),
        ..read_only_mount(volume, path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::ConfigMapKeySelector;

    #[test]
    fn tls_material_is_mounted_under_the_web_config_dir() {
        let tls = WebTLSConfig {
            key_secret: SecretKeySelector {
                name: "some-secret".into(),
                key: "tls.key".into(),
                ..SecretKeySelector::default()
            },
            cert: SecretOrConfigMap {
                config_map: Some(ConfigMapKeySelector {
                    name: "some-configmap".into(),
                    key: "tls.crt".into(),
                    ..ConfigMapKeySelector::default()
                }),
                ..SecretOrConfigMap::default()
            },
            ..WebTLSConfig::default()
        };
        let params = web_config(
            "/etc/prometheus/web_config",
            "prometheus-x-web-config",
            Some(&tls),
        )
        .unwrap();
        let paths: Vec<&str> = params
            .mounts
            .iter()
            .map(|m| m.mount_path.as_str())
            .collect();
        assert_eq!(
            paths,
            [
                "/etc/prometheus/web_config/web-config.yaml",
                "/etc/prometheus/web_config/secret/some-secret-key",
                "/etc/prometheus/web_config/configmap/some-configmap-cert",
            ]
        );
        assert!(
            params.volumes[1]
                .name
                .starts_with("web-config-tls-secret-key-some-secret-")
        );
    }

    #[test]
    fn web_tls_needs_key_and_certificate() {
        assert_eq!(
            validate_web_tls(&WebTLSConfig::default()),
            Err("TLS private key must be defined".to_owned())
        );
    }
}
