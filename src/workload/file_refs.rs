//! The fields of monitors and instances that name files inside the Prometheus pod
//! (`caFile`, `certFile`, `keyFile`, `bearerTokenFile`, `credentialsFile`, file SD files,
//! Thanos configuration files, ...), as (JSON field path, file path) pairs to check against
//! [`crate::workload::mounted_files`].

use crate::monitoring::v1::common::{Authorization, WebTLSConfig};
use crate::monitoring::v1::prometheus::CommonPrometheusFields;
use crate::monitoring::v1::tls::TLSConfig;
use crate::monitoring::v1::{Alertmanager, PodMonitor, Probe, Prometheus, ServiceMonitor};
use crate::monitoring::v1alpha1::{PrometheusAgent, ScrapeConfig};

/// Most references collected from one object; a larger object is reported up to this count.
pub const MAX_FILE_REFERENCES: usize = 10_000;

/// An object whose fields may name files.
#[derive(Clone, Copy, Debug)]
pub enum FileSource<'a> {
    /// A ServiceMonitor: endpoint TLS files and bearer token files.
    ServiceMonitor(&'a ServiceMonitor),
    /// A PodMonitor (its TLS settings only take Secrets: no file fields today).
    PodMonitor(&'a PodMonitor),
    /// A Probe (no file fields today).
    Probe(&'a Probe),
    /// A ScrapeConfig: the files of file-based service discovery.
    ScrapeConfig(&'a ScrapeConfig),
    /// A Prometheus: remote write/read, API server, Alertmanager endpoints, scrape classes,
    /// web TLS and the Thanos sidecar.
    Prometheus(&'a Prometheus),
    /// A PrometheusAgent: the fields it shares with Prometheus.
    Agent(&'a PrometheusAgent),
    /// An Alertmanager: web TLS files.
    Alertmanager(&'a Alertmanager),
}

/// One field naming a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileReference {
    /// The field as a JSON path from the object root, e.g.
    /// `spec.endpoints[0].tlsConfig.caFile`.
    pub field: String,
    /// The file path as written.
    pub path: String,
    /// The container that reads the file: `prometheus`, `alertmanager` or `thanos-sidecar`.
    pub container: &'static str,
    /// A file of file-based discovery: Prometheus reads it at run time, a missing one gives no
    /// targets but does not stop the configuration from loading, and a `*` in its name is a
    /// glob.
    pub discovery: bool,
}

/// Every non-empty file path named by `source`, in field order.
pub fn file_references(source: FileSource<'_>) -> Vec<FileReference> {
    let mut refs = References::default();
    match source {
        FileSource::ServiceMonitor(sm) => {
            for (i, endpoint) in sm.spec.endpoints.iter().enumerate() {
                let at = format!("spec.endpoints[{i}]");
                refs.add(
                    &format!("{at}.bearerTokenFile"),
                    &endpoint.bearer_token_file,
                );
                if let Some(tls) = &endpoint.tls_config {
                    refs.tls(&format!("{at}.tlsConfig"), tls);
                }
            }
        }
        FileSource::PodMonitor(_) | FileSource::Probe(_) => {}
        FileSource::ScrapeConfig(sc) => {
            for (i, sd) in sc.spec.file_sd_configs.iter().enumerate() {
                for (j, file) in sd.files.iter().enumerate() {
                    refs.add(&format!("spec.fileSDConfigs[{i}].files[{j}]"), file);
                    if let Some(added) = refs.found.last_mut().filter(|r| r.path == *file) {
                        added.discovery = true;
                    }
                }
            }
        }
        FileSource::Prometheus(p) => {
            refs.common(p.spec.common_fields());
            for (i, rr) in p.spec.remote_read.iter().enumerate() {
                let at = format!("spec.remoteRead[{i}]");
                refs.endpoint(
                    &at,
                    rr.bearer_token_file.as_deref(),
                    rr.tls_config.as_ref(),
                    rr.authorization.as_ref(),
                );
            }
            if let Some(alerting) = &p.spec.alerting {
                for (i, am) in alerting.alertmanagers.iter().enumerate() {
                    let at = format!("spec.alerting.alertmanagers[{i}]");
                    refs.endpoint(
                        &at,
                        am.bearer_token_file.as_deref(),
                        am.tls_config.as_ref(),
                        None,
                    );
                }
            }
            if let Some(thanos) = &p.spec.thanos {
                refs.container = "thanos-sidecar";
                refs.add_opt(
                    "spec.thanos.objectStorageConfigFile",
                    thanos.object_storage_config_file.as_deref(),
                );
                refs.add_opt(
                    "spec.thanos.tracingConfigFile",
                    thanos.tracing_config_file.as_deref(),
                );
                if let Some(tls) = &thanos.grpc_server_tls_config {
                    let at = "spec.thanos.grpcServerTlsConfig";
                    refs.add(&format!("{at}.caFile"), &tls.ca_file);
                    refs.add(&format!("{at}.certFile"), &tls.cert_file);
                    refs.add(&format!("{at}.keyFile"), &tls.key_file);
                }
            }
        }
        FileSource::Agent(a) => refs.common(a.spec.common_fields()),
        FileSource::Alertmanager(am) => {
            refs.container = "alertmanager";
            if let Some(tls) = am.spec.web.as_ref().and_then(|w| w.tls_config.as_ref()) {
                refs.web_tls("spec.web.tlsConfig", tls);
            }
        }
    }
    refs.found
}

/// References being collected, for one container at a time.
struct References {
    found: Vec<FileReference>,
    container: &'static str,
}

impl Default for References {
    fn default() -> Self {
        References {
            found: Vec::new(),
            container: "prometheus",
        }
    }
}

impl References {
    fn add(&mut self, field: &str, path: &str) {
        if !path.is_empty() && self.found.len() < MAX_FILE_REFERENCES {
            self.found.push(FileReference {
                field: field.to_owned(),
                path: path.to_owned(),
                container: self.container,
                discovery: false,
            });
        }
    }

    fn add_opt(&mut self, field: &str, path: Option<&str>) {
        if let Some(path) = path {
            self.add(field, path);
        }
    }

    fn tls(&mut self, at: &str, tls: &TLSConfig) {
        self.add(&format!("{at}.caFile"), &tls.ca_file);
        self.add(&format!("{at}.certFile"), &tls.cert_file);
        self.add(&format!("{at}.keyFile"), &tls.key_file);
    }

    fn web_tls(&mut self, at: &str, tls: &WebTLSConfig) {
        self.add_opt(&format!("{at}.certFile"), tls.cert_file.as_deref());
        self.add_opt(&format!("{at}.keyFile"), tls.key_file.as_deref());
        self.add_opt(&format!("{at}.clientCAFile"), tls.client_ca_file.as_deref());
    }

    fn endpoint(
        &mut self,
        at: &str,
        bearer_token_file: Option<&str>,
        tls: Option<&TLSConfig>,
        authorization: Option<&Authorization>,
    ) {
        self.add_opt(&format!("{at}.bearerTokenFile"), bearer_token_file);
        if let Some(tls) = tls {
            self.tls(&format!("{at}.tlsConfig"), tls);
        }
        if let Some(authorization) = authorization {
            self.add(
                &format!("{at}.authorization.credentialsFile"),
                &authorization.credentials_file,
            );
        }
    }

    /// The fields Prometheus and PrometheusAgent share.
    fn common(&mut self, cpf: &CommonPrometheusFields) {
        for (i, rw) in cpf.remote_write.iter().enumerate() {
            let at = format!("spec.remoteWrite[{i}]");
            self.endpoint(
                &at,
                rw.bearer_token_file.as_deref(),
                rw.tls_config.as_ref(),
                rw.authorization.as_ref(),
            );
        }
        if let Some(api) = &cpf.apiserver_config {
            self.endpoint(
                "spec.apiserverConfig",
                api.bearer_token_file.as_deref(),
                api.tls_config.as_ref(),
                api.authorization.as_ref(),
            );
        }
        for (i, class) in cpf.scrape_classes.iter().enumerate() {
            let at = format!("spec.scrapeClasses[{i}]");
            self.endpoint(
                &at,
                None,
                class.tls_config.as_ref(),
                class.authorization.as_ref(),
            );
        }
        if let Some(tls) = cpf.web.as_ref().and_then(|w| w.tls_config.as_ref()) {
            self.web_tls("spec.web.tlsConfig", tls);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_monitor_tls_and_token_files() {
        let sm: ServiceMonitor = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "etcd", "namespace": "kube-system"},
            "spec": {
                "selector": {},
                "endpoints": [{
                    "port": "metrics",
                    "bearerTokenFile": "/var/run/secrets/kubernetes.io/serviceaccount/token",
                    "tlsConfig": {"caFile": "/etc/prometheus/secrets/etcd-certs/ca.crt"}
                }]
            }
        }))
        .unwrap();
        let refs = file_references(FileSource::ServiceMonitor(&sm));
        let fields: Vec<&str> = refs.iter().map(|r| r.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "spec.endpoints[0].bearerTokenFile",
                "spec.endpoints[0].tlsConfig.caFile"
            ]
        );
        assert_eq!(refs[1].path, "/etc/prometheus/secrets/etcd-certs/ca.crt");
    }

    #[test]
    fn thanos_files_are_read_by_the_sidecar() {
        let p: Prometheus = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "k8s"},
            "spec": {"thanos": {"objectStorageConfigFile": "/etc/thanos/objstore.yaml"}}
        }))
        .unwrap();
        let refs = file_references(FileSource::Prometheus(&p));
        assert_eq!(refs.len(), 1);
        assert_eq!(refs[0].container, "thanos-sidecar");
    }
}
