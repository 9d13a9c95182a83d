//! Remote write: the settings the operator refuses before generating anything (upstream
//! `ConfigGenerator.validateRemoteWriteSpec`, with `ProxyConfig.Validate`).

use super::Version;
use crate::monitoring::v1::prometheus::RemoteWriteSpec;

/// The operator's refusals of a remote-write entry (upstream `validateRemoteWriteSpec`), with
/// upstream's messages. `supports` says
/// whether the Prometheus version in effect is at least the given one (always, when the
/// operator runs without version checks).
pub(crate) fn remote_write(
    spec: &RemoteWriteSpec,
    version: &Version,
    supports: impl Fn(&str) -> bool,
) -> Result<(), String> {
    let auth_fields: Vec<String> = [
        ("basicAuth", spec.basic_auth.is_some()),
        ("oauth2", spec.oauth2.is_some()),
        ("authorization", spec.authorization.is_some()),
        ("sigv4", spec.sigv4.is_some()),
        ("azureAd", spec.azure_ad.is_some()),
    ]
    .into_iter()
    .filter(|(_, set)| *set)
    .map(|(name, _)| format!("{name:?}"))
    .collect();
    if auth_fields.len() > 1 {
        return Err(format!(
            "{} can't be set at the same time, at most one of them must be defined",
            auth_fields.join(" and ")
        ));
    }
    if let Some(azure) = &spec.azure_ad {
        let (mi, oauth, sdk, wi) = (
            azure.managed_identity.is_some(),
            azure.oauth.is_some(),
            azure.sdk.is_some(),
            azure.workload_identity.is_some(),
        );
        if !mi && !oauth && !sdk && !wi {
            return Err("must provide Azure Managed Identity, Azure OAuth, Azure SDK, or Azure Workload Identity in the Azure AD config".to_owned());
        }
        let conflicts = [
            (mi && oauth, "Azure Managed Identity and Azure OAuth"),
            (oauth && sdk, "Azure OAuth and Azure SDK"),
            (mi && sdk, "Azure Managed Identity and Azure SDK"),
            (
                mi && wi,
                "Azure Managed Identity and Azure Workload Identity",
            ),
            (oauth && wi, "Azure OAuth and Azure Workload Identity"),
            (sdk && wi, "Azure SDK and Azure Workload Identity"),
        ];
        if let Some((_, pair)) = conflicts.iter().find(|(conflict, _)| *conflict) {
            return Err(format!("cannot provide both {pair} in the Azure AD config"));
        }
        if let Some(identity) = &azure.managed_identity
            && !supports("3.5.0")
            && identity.client_id.as_deref().unwrap_or("").is_empty()
        {
            return Err(format!(
                "managedIdentidy: clientId is required with Prometheus < 3.5.0, current = {}",
                version
            ));
        }
        if let Some(oauth) = &azure.oauth {
            if !supports("2.48.0") {
                return Err("azureAD.oauth requires Prometheus >= v2.48.0".to_owned());
            }
            if !is_uuid(&oauth.client_id) {
                return Err("the provided Azure OAuth clientId is invalid".to_owned());
            }
        }
        if sdk && !supports("2.52.0") {
            return Err("azureAD.sdk requires Prometheus >= v2.52.0".to_owned());
        }
        if let Some(workload) = &azure.workload_identity {
            if !supports("3.7.0") {
                return Err("azureAD.workloadIdentity requires Prometheus >= v3.7.0".to_owned());
            }
            if !is_uuid(&workload.client_id) {
                return Err("the provided Azure Workload Identity clientId is invalid".to_owned());
            }
            if !is_uuid(&workload.tenant_id) {
                return Err("the provided Azure Workload Identity tenantId is invalid".to_owned());
            }
        }
    }
    crate::validate::validate_proxy("", &spec.proxy_config()).map_err(|v| v.message)
}

/// Whether `text` parses as a UUID the way Go's `uuid.Parse` accepts it (plain, braced,
/// `urn:uuid:`-prefixed or without hyphens).
fn is_uuid(text: &str) -> bool {
    let body = text
        .strip_prefix("urn:uuid:")
        .or_else(|| text.strip_prefix('{').and_then(|t| t.strip_suffix('}')))
        .unwrap_or(text);
    match body.len() {
        32 => body.bytes().all(|b| b.is_ascii_hexdigit()),
        36 => body.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit(),
        }),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_uuids() {
        assert!(is_uuid("00000000-a12b-3cd4-e56f-000000000000"));
        assert!(is_uuid("{00000000-a12b-3cd4-e56f-000000000000}"));
        assert!(is_uuid("00000000a12b3cd4e56f000000000000"));
        assert!(!is_uuid("not-a-uuid"));
    }

    #[test]
    fn more_than_one_authentication_is_refused() {
        let spec: RemoteWriteSpec = crate::yaml::from_str(
            "url: http://a\nbasicAuth: {username: {name: s, key: u}, password: {name: s, key: p}}\nsigv4: {}\n",
        )
        .unwrap();
        let version = Version::default_prometheus();
        let refused = remote_write(&spec, &version, |_| true).unwrap_err();
        assert!(
            refused.contains("can't be set at the same time"),
            "{refused}"
        );
    }
}
