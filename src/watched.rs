//! Which namespaces the operator's informers see, by resource kind: its `--namespaces`,
//! `--deny-namespaces` and per-kind allow lists. Selection asks it of every resource, so it
//! stands apart from the rest of the operator's options, which depend on selection.

use serde::Serialize;

/// The operator's namespace restrictions (`--namespaces` and friends).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Namespaces {
    /// `--namespaces`: the only namespaces watched (empty: all).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub allow: Vec<String>,
    /// `--deny-namespaces`: namespaces never watched.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub deny: Vec<String>,
    /// `--prometheus-instance-namespaces`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub prometheus_instances: Vec<String>,
    /// `--alertmanager-instance-namespaces`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub alertmanager_instances: Vec<String>,
    /// `--alertmanager-config-namespaces`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub alertmanager_configs: Vec<String>,
    /// `--thanos-ruler-instance-namespaces`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub thanos_ruler_instances: Vec<String>,
}

impl Namespaces {
    /// The flag that keeps `namespace` from the operator's informers of one resource kind,
    /// if one does. `own` is that kind's allow list (flag `own_flag`), which falls back to
    /// `--namespaces` when empty (`Namespaces.Finalize`). As `newInformerOptions`, an informer
    /// lists only the allowed namespaces, and filters out the denied ones only when every
    /// namespace is allowed.
    pub(crate) fn hiding_flag(
        &self,
        own: &[String],
        own_flag: &'static str,
        namespace: &str,
    ) -> Option<&'static str> {
        let (allow, flag) = if own.is_empty() {
            (&self.allow[..], "--namespaces")
        } else {
            (own, own_flag)
        };
        if allow.is_empty() {
            self.deny
                .iter()
                .any(|d| d == namespace)
                .then_some("--deny-namespaces")
        } else {
            (!allow.iter().any(|a| a == namespace)).then_some(flag)
        }
    }

    /// The namespaces given to `flag` (`--namespaces`, `--deny-namespaces`, the per-kind
    /// `--*-namespaces`).
    pub fn flag_values(&self, flag: &str) -> &[String] {
        match flag {
            "--namespaces" => &self.allow,
            "--deny-namespaces" => &self.deny,
            "--prometheus-instance-namespaces" => &self.prometheus_instances,
            "--alertmanager-instance-namespaces" => &self.alertmanager_instances,
            "--alertmanager-config-namespaces" => &self.alertmanager_configs,
            "--thanos-ruler-instance-namespaces" => &self.thanos_ruler_instances,
            _ => &[],
        }
    }

    /// The flag that hides configuration resources (monitors, PrometheusRules) in
    /// `namespace` from the operator, if one does.
    pub fn hides_configuration(&self, namespace: &str) -> Option<&'static str> {
        self.hiding_flag(&[], "--namespaces", namespace)
    }

    /// The flag that hides AlertmanagerConfigs in `namespace` from the operator, if one does.
    pub fn hides_alertmanager_configs(&self, namespace: &str) -> Option<&'static str> {
        self.hiding_flag(
            &self.alertmanager_configs,
            "--alertmanager-config-namespaces",
            namespace,
        )
    }
}
