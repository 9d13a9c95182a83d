//! The `kubernetes_sd_configs` section of monitor jobs (upstream `generateK8SSDConfig`,
//! `getNamespacesFromNamespaceSelector`, `generateRoleSelectorConfig`, `endpointRoleFlavor`).

use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;

use super::Generator;
use super::relabeling::{
    AttachMetadataConfig, MonitorRef, merge_attach_metadata_with_scrape_class,
};
use crate::monitoring::v1::common::{AttachMetadata, MonitorSelection, NamespaceSelector};
use crate::operator::OperatorOptions;
use crate::version::Version;
use crate::yaml::{Map, Yaml};

/// Selector mechanism that filters targets with relabel rules (the default).
pub(crate) const SELECTOR_MECHANISM_RELABEL: &str = "RelabelConfig";

/// A label selector in Kubernetes' string form (`a=b,c in (d,e),!f`), requirements sorted
/// by key and set values sorted, as `metav1.LabelSelectorAsSelector(..).String()` prints it.
pub(crate) fn label_selector_string(selector: &LabelSelector) -> String {
    let mut requirements: Vec<(String, String)> = Vec::new();
    for (key, value) in selector.match_labels.iter().flatten() {
        requirements.push((key.clone(), format!("{key}={value}")));
    }
    for expression in selector.match_expressions.iter().flatten() {
        let key = &expression.key;
        let mut values: Vec<String> = expression.values.clone().unwrap_or_default();
        values.sort();
        values.dedup();
        let text = match expression.operator.as_str() {
            "In" => format!("{key} in ({})", values.join(",")),
            "NotIn" => format!("{key} notin ({})", values.join(",")),
            "Exists" => key.clone(),
            "DoesNotExist" => format!("!{key}"),
            _ => continue,
        };
        requirements.push((key.clone(), text));
    }
    requirements.sort_by(|a, b| a.0.cmp(&b.0));
    requirements
        .into_iter()
        .map(|(_, text)| text)
        .collect::<Vec<_>>()
        .join(",")
}

/// Role selectors to add to the discovery config when the monitor uses the `RoleSelector`
/// mechanism.
pub(crate) struct RoleSelectors<'s> {
    /// The monitor's selector.
    pub selector: &'s LabelSelector,
    /// `RelabelConfig` (default) or `RoleSelector`.
    pub mechanism: Option<&'s str>,
    /// Roles that get a `label` selector.
    pub roles: Vec<String>,
}

/// `selectors` keeping discovery to the Pods of the node a DaemonSet's Prometheus runs on.
pub(crate) fn push_own_node_selector(sd: &mut Map) {
    sd.push(
        "selectors",
        vec![
            Map::new()
                .with("role", Yaml::fixed("pod"))
                .with("field", Yaml::fixed("spec.nodeName=$(NODE_NAME)")),
        ],
    );
}

/// The Kubernetes discovery role of endpoints asked for as `role` (`serviceDiscoveryRole`):
/// `endpointslice` for `EndpointSlice` when the operator may use it and the version has it
/// (2.21.0), else `endpoints`.
fn endpoint_role(role: Option<&str>, options: &OperatorOptions, version: &Version) -> &'static str {
    if options.endpoint_slice_support && !version.lt("2.21.0") && role == Some("EndpointSlice") {
        "endpointslice"
    } else {
        "endpoints"
    }
}

impl Generator<'_> {
    /// The endpoint discovery role for a monitor's `serviceDiscoveryRole`.
    pub(crate) fn endpoint_role_flavor(&self, role: Option<&str>) -> &'static str {
        endpoint_role(role, self.options, &self.version)
    }

    /// The namespaces to discover in: the monitor's own namespace unless the selector says
    /// otherwise; empty means all namespaces.
    pub(crate) fn namespaces_from_selector(
        &self,
        selector: &NamespaceSelector,
        namespace: &str,
    ) -> Vec<String> {
        let ignore = self.common.ignore_namespace_selectors.unwrap_or(false);
        match crate::select::discovery_namespaces(selector, namespace, ignore) {
            crate::select::DiscoveryNamespaces::All => Vec::new(),
            crate::select::DiscoveryNamespaces::Names(names) => names,
        }
    }

    /// `api_server` and its credentials, read in `namespace`, when the Prometheus reaches
    /// Kubernetes through a configured API server.
    pub(crate) fn add_api_server_config(&self, sd: &mut Map, namespace: &str) {
        let Some(api) = &self.common.apiserver_config else {
            return;
        };
        sd.push("api_server", api.host.as_str());
        self.add_basic_auth(sd, namespace, api.basic_auth.as_ref());
        if let Some(token) = api.bearer_token.as_deref().filter(|t| !t.is_empty()) {
            sd.push("bearer_token", token);
        }
        if let Some(file) = api.bearer_token_file.as_deref().filter(|f| !f.is_empty()) {
            sd.push("bearer_token_file", file);
        }
        self.add_authorization(sd, namespace, api.authorization.as_ref());
        self.add_tls(sd, namespace, api.tls_config.as_ref());
        self.add_proxy_config(sd, namespace, &api.proxy_config());
    }

    /// The value of `kubernetes_sd_configs` for a monitor in `namespace` (which is also where
    /// API server credentials are read from, as upstream does).
    pub(crate) fn k8s_sd_config(
        &self,
        namespace_selector: &NamespaceSelector,
        namespace: &str,
        role: &str,
        attach_metadata: Option<AttachMetadataConfig>,
        role_selectors: Option<RoleSelectors<'_>>,
    ) -> Yaml {
        let mut sd = Map::new().with("role", role);
        let namespaces = self.namespaces_from_selector(namespace_selector, namespace);
        if !namespaces.is_empty() {
            sd.push("namespaces", Map::new().with("names", namespaces));
        }
        self.add_api_server_config(&mut sd, namespace);
        if let Some(attach) = attach_metadata {
            self.push_min(
                &mut sd,
                attach.minimum_version,
                "attach_metadata",
                Map::new().with("node", attach.node),
            );
        }
        if self.daemon_set_mode() {
            push_own_node_selector(&mut sd);
        }
        if let Some(rs) = role_selectors
            && rs.mechanism.unwrap_or(SELECTOR_MECHANISM_RELABEL) != SELECTOR_MECHANISM_RELABEL
        {
            let label = label_selector_string(rs.selector);
            let selectors: Vec<Yaml> = rs
                .roles
                .iter()
                .map(|r| {
                    Yaml::Map(
                        Map::new()
                            .with("role", r.as_str())
                            .with("label", label.as_str()),
                    )
                })
                .collect();
            match sd.get_mut("selectors") {
                Some(Yaml::Seq(existing)) => existing.extend(selectors),
                _ => sd.push("selectors", Yaml::Seq(selectors)),
            }
        }
        Yaml::Seq(vec![Yaml::Map(sd)])
    }
}

impl Generator<'_> {
    /// The `attach_metadata` of a ServiceMonitor or PodMonitor job discovering `role`: the
    /// monitor's `attach`, else its scrape class's, with node metadata forced on when
    /// topology sharding reads the zone from the node. Prometheus attaches metadata to Pods
    /// from 2.35 and to endpoints from 2.37, so it is written only from there.
    pub(crate) fn monitor_attach_metadata(
        &self,
        monitor: &MonitorRef<'_>,
        attach: Option<&AttachMetadata>,
        role: &str,
    ) -> Option<AttachMetadataConfig> {
        let minimum = if role == "pod" { "2.35.0" } else { "2.37.0" };
        let attach = merge_attach_metadata_with_scrape_class(attach, monitor.scrape_class, minimum);
        self.merge_attach_metadata_for_topology(attach, minimum)
    }

    /// The `kubernetes_sd_configs` entry of a ServiceMonitor or PodMonitor job discovering
    /// `role`, with the monitor's selector for `roles` when it selects by role.
    pub fn monitor_sd_config(
        &self,
        monitor: &MonitorRef<'_>,
        selection: &MonitorSelection<'_>,
        role: &str,
        roles: Vec<String>,
    ) -> Yaml {
        let attach = self.monitor_attach_metadata(monitor, selection.attach_metadata, role);
        self.k8s_sd_config(
            selection.namespace_selector,
            monitor.namespace,
            role,
            attach,
            Some(RoleSelectors {
                selector: selection.selector,
                mechanism: selection.selector_mechanism,
                roles,
            }),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelectorRequirement;

    #[test]
    fn selector_string_sorts_requirements_and_values() {
        let selector = LabelSelector {
            match_labels: Some([("b".to_owned(), "x".to_owned())].into()),
            match_expressions: Some(vec![
                LabelSelectorRequirement {
                    key: "a".into(),
                    operator: "In".into(),
                    values: Some(vec!["z".into(), "y".into()]),
                },
                LabelSelectorRequirement {
                    key: "c".into(),
                    operator: "DoesNotExist".into(),
                    values: None,
                },
            ]),
        };
        assert_eq!(label_selector_string(&selector), "a in (y,z),b=x,!c");
    }
}
