//! Alerting: the Alertmanager endpoints the operator refuses before generating the
//! configuration (upstream `validateAlertmanagerEndpoints`).

use super::Version;
use super::relabeling::relabel_configs;
use crate::monitoring::v1::prometheus::AlertingSpec;

/// The operator's refusals of `spec.alerting.alertmanagers` entries, before it generates the
/// configuration: more than one authentication method, or invalid relabelings. Returns the
/// field and upstream's message.
pub(crate) fn alertmanager_endpoints(
    alerting: &AlertingSpec,
    version: &Version,
) -> Result<(), (String, String)> {
    for (i, am) in alerting.alertmanagers.iter().enumerate() {
        let methods: Vec<&str> = [
            (
                "\"bearerTokenFile\"",
                am.bearer_token_file
                    .as_deref()
                    .is_some_and(|f| !f.is_empty()),
            ),
            ("\"basicAuth\"", am.basic_auth.is_some()),
            ("\"authorization\"", am.authorization.is_some()),
            ("\"sigv4\"", am.sigv4.is_some()),
        ]
        .into_iter()
        .filter(|(_, set)| *set)
        .map(|(name, _)| name)
        .collect();
        if methods.len() > 1 {
            return Err((
                format!("spec.alerting.alertmanagers[{i}]"),
                format!(
                    "alertmanager {i}: {} can't be set at the same time, at most one of them must be defined",
                    methods.join(" and ")
                ),
            ));
        }
        for (rules, what) in [
            (&am.relabelings, "relabelings"),
            (&am.alert_relabelings, "alertRelabelings"),
        ] {
            relabel_configs(version, rules, what).map_err(|v| {
                (
                    format!("spec.alerting.alertmanagers[{i}].{what}"),
                    format!("alertmanager {i}: invalid {what}: {}", v.message),
                )
            })?;
        }
    }
    Ok(())
}
