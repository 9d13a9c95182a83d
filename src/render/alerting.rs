//! The `alerting` section: Alertmanagers discovered from `spec.alerting`, the additional
//! Alertmanager configs and alert relabel configs from Secrets, and the replica-label drop
//! (upstream `appendAlertingConfig` and `generateAlertmanagerConfig`).

use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::k8s_sd::push_own_node_selector;
use super::relabeling::generate_relabel_config;
use super::service_monitor::endpoint_port_name_keep;
use super::{Generator, RenderError};
use crate::monitoring::v1::prometheus::{AlertingSpec, AlertmanagerEndpoints};
use crate::yaml::{Map, Yaml};

/// `regexp.QuoteMeta`: escapes the characters that are special in RE2.
fn quote_meta(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if r"\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The text of a Secret key the user supplies, and the field that names it
/// ([`super::additional::secret_field`]).
pub(crate) struct SecretText<'a> {
    pub text: Option<&'a str>,
    pub field: String,
}

impl Generator<'_> {
    /// Appends the `alerting` section when there is anything to alert to.
    pub(crate) fn push_alerting(
        &self,
        cfg: &mut Map,
        alerting: Option<&AlertingSpec>,
        additional_relabel_configs: SecretText<'_>,
        additional_alertmanager_configs: SecretText<'_>,
    ) -> Result<(), RenderError> {
        if alerting.is_none()
            && additional_relabel_configs.text.is_none()
            && additional_alertmanager_configs.text.is_none()
        {
            return Ok(());
        }
        let mut alertmanagers: Vec<Map> = alerting
            .map(|a| {
                a.alertmanagers
                    .iter()
                    .map(|am| self.alertmanager_config(am))
                    .collect()
            })
            .unwrap_or_default();
        alertmanagers.extend(self.parse_mapping_list(
            additional_alertmanager_configs.text,
            "additional alertmanager configs",
            &additional_alertmanager_configs.field,
        )?);

        let mut relabelings = Vec::new();
        let replica_label = self.replica_external_label_name();
        if !replica_label.is_empty() {
            // Alertmanager deduplicates alerts from replicas only without the replica label.
            relabelings.push(
                Map::new()
                    .with("action", Yaml::fixed("labeldrop"))
                    .with("regex", quote_meta(replica_label)),
            );
        }
        relabelings.extend(self.parse_mapping_list(
            additional_relabel_configs.text,
            "additional alerting relabel configs",
            &additional_relabel_configs.field,
        )?);

        cfg.push(
            "alerting",
            Map::new()
                .with("alert_relabel_configs", relabelings)
                .with("alertmanagers", alertmanagers),
        );
        Ok(())
    }

    /// Refuses Alertmanager endpoints the operator rejects before generating the
    /// configuration.
    pub(crate) fn validate_alertmanager_endpoints(
        &self,
        alerting: &AlertingSpec,
    ) -> Result<(), RenderError> {
        crate::validate::alertmanager_endpoints(alerting, &self.version)
            .map_err(|(field, message)| RenderError::Invalid { field, message })
    }

    /// One `alertmanagers` entry discovering the endpoints of the Alertmanager Service.
    fn alertmanager_config(&self, am: &AlertmanagerEndpoints) -> Map {
        let prom_ns = self.namespace;
        let mut out = Map::new();
        if let Some(scheme) = &am.scheme {
            out.push("scheme", scheme.to_lowercase());
        }
        if let Some(prefix) = &am.path_prefix {
            out.push("path_prefix", prefix.as_str());
        }
        if let Some(timeout) = &am.timeout {
            out.push("timeout", timeout.as_str());
        }
        if let Some(http2) = am.enable_http2 {
            self.push_min(&mut out, "2.35.0", "enable_http2", http2);
        }
        self.add_tls(&mut out, prom_ns, am.tls_config.as_ref());
        self.add_proxy_config(&mut out, prom_ns, &am.proxy_config());

        out.push(
            "kubernetes_sd_configs",
            vec![self.alertmanager_sd_config(self.alertmanager_namespace(am))],
        );

        if let Some(file) = am.bearer_token_file.as_deref().filter(|f| !f.is_empty()) {
            out.push("bearer_token_file", file);
        }
        if am.basic_auth.is_some() && self.supports_field("basic_auth", "2.26.0") {
            self.add_basic_auth(&mut out, prom_ns, am.basic_auth.as_ref());
        }
        self.add_safe_authorization(&mut out, prom_ns, am.authorization.as_ref());
        if am.sigv4.is_some() && self.supports_field("sigv4", "2.48.0") {
            self.add_sigv4(&mut out, prom_ns, am.sigv4.as_ref());
        }
        if let Some(api_version) = &am.api_version {
            match api_version.to_uppercase().as_str() {
                "V1" if self.version.major >= 3 => {
                    self.warnings.borrow_mut().push(super::Warning {
                        field: "api_version".to_owned(),
                        message: "ignored: Prometheus 3 no longer supports the v1 Alertmanager API"
                            .to_owned(),
                    });
                }
                "V1" | "V2" => {
                    self.push_min(
                        &mut out,
                        "2.11.0",
                        "api_version",
                        api_version.to_lowercase(),
                    );
                }
                _ => {}
            }
        }

        let mut relabelings = vec![
            Map::new()
                .with("action", Yaml::fixed("keep"))
                .with(
                    "source_labels",
                    vec!["__meta_kubernetes_service_name".to_owned()],
                )
                .with("regex", am.name.as_str()),
        ];
        match &am.port {
            IntOrString::String(name) if !name.is_empty() => {
                let endpoint_slice = self.default_endpoint_role() == "endpointslice";
                relabelings.push(endpoint_port_name_keep(endpoint_slice, name));
            }
            IntOrString::Int(number) if *number != 0 => {
                relabelings.push(
                    Map::new()
                        .with("action", Yaml::fixed("keep"))
                        .with(
                            "source_labels",
                            vec!["__meta_kubernetes_pod_container_port_number".to_owned()],
                        )
                        .with("regex", number.to_string()),
                );
            }
            _ => {}
        }
        relabelings.extend(generate_relabel_config(&am.relabelings));
        out.push("relabel_configs", relabelings);
        if !am.alert_relabelings.is_empty() {
            self.push_min(
                &mut out,
                "2.51.0",
                "alert_relabel_configs",
                generate_relabel_config(&am.alert_relabelings),
            );
        }
        out
    }

    /// The `kubernetes_sd_configs` entry of an Alertmanager: the default endpoint role in
    /// one namespace, through the configured API server if any. Unlike a monitor's, the API
    /// server credentials are read in the Prometheus namespace, as upstream does.
    fn alertmanager_sd_config(&self, namespace: &str) -> Map {
        let mut sd = Map::new().with("role", self.default_endpoint_role()).with(
            "namespaces",
            Map::new().with("names", vec![namespace.to_owned()]),
        );
        self.add_api_server_config(&mut sd, self.namespace);
        if self.daemon_set_mode() {
            push_own_node_selector(&mut sd);
        }
        sd
    }

    /// The namespace an Alertmanager's endpoints are discovered in: its own, else the
    /// Prometheus's.
    pub(crate) fn alertmanager_namespace<'e>(&'e self, am: &'e AlertmanagerEndpoints) -> &'e str {
        am.namespace.as_deref().unwrap_or(self.namespace)
    }

    /// The endpoint discovery role of `spec.serviceDiscoveryRole`.
    pub(crate) fn default_endpoint_role(&self) -> &'static str {
        self.endpoint_role_flavor(self.common.service_discovery_role.as_deref())
    }
}

#[cfg(test)]
mod tests {
    use super::quote_meta;

    #[test]
    fn quotes_regex_metacharacters() {
        assert_eq!(quote_meta("prometheus_replica"), "prometheus_replica");
        assert_eq!(quote_meta("a.b*c"), r"a\.b\*c");
    }
}
