//! The field behind a reason: reading a value at a JSON path (`spec.endpoints[0].interval`)
//! and the one-line remedy for each check the operator runs (upstream
//! `pkg/prometheus/resource_selector.go`, the checks of `checkServiceMonitorEndpoint` and
//! friends, named by `validate::Check`).

use serde::Serialize;
use serde_json::Value;

use crate::validate::Check;

/// Most path segments followed; deeper paths are not produced by the checks.
const MAX_PATH_SEGMENTS: usize = 32;

/// A field of an object that takes part in a decision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FieldRef {
    /// The object, `Kind namespace/name` (`Namespace name` for namespaces).
    pub object: String,
    /// The JSON path of the field in that object.
    pub field: String,
    /// Its value; `null` when unset.
    pub value: Value,
}

/// The value at `path` (`a.b[2].c`) in `root`; `null` when any step is missing.
pub(super) fn value_at(root: &Value, path: &str) -> Value {
    let mut current = root;
    for segment in path.split('.').take(MAX_PATH_SEGMENTS) {
        let (name, indexes) = match segment.find('[') {
            Some(at) => (&segment[..at], &segment[at..]),
            None => (segment, ""),
        };
        if !name.is_empty() {
            match current.get(name) {
                Some(next) => current = next,
                None => return Value::Null,
            }
        }
        for index in indexes
            .split(['[', ']'])
            .filter(|part| !part.is_empty())
            .take(MAX_PATH_SEGMENTS)
        {
            match index.parse::<usize>().ok().and_then(|i| current.get(i)) {
                Some(next) => current = next,
                None => return Value::Null,
            }
        }
    }
    without_url_passwords(current.clone())
}

/// `value` with the password of every URL in it hidden: a field shown in a reason may be a
/// proxy or probe URL with credentials.
fn without_url_passwords(value: Value) -> Value {
    match value {
        Value::String(text) => {
            Value::String(crate::redact::redact_address_password(&text).unwrap_or(text))
        }
        Value::Array(items) => Value::Array(items.into_iter().map(without_url_passwords).collect()),
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (k, without_url_passwords(v)))
                .collect(),
        ),
        other => other,
    }
}

/// The sibling `name` of the last segment of `field` (`a.b.scrapeTimeout` → `a.b.interval`).
pub(super) fn sibling(field: &str, name: &str) -> String {
    match field.rsplit_once('.') {
        Some((parent, _)) => format!("{parent}.{name}"),
        None => name.to_owned(),
    }
}

/// One line saying what to change for a failed check on `field` of `object`.
pub(super) fn validation_remedy(check: Check, object: &str, field: &str, instance: &str) -> String {
    match check {
        Check::ArbitraryFSAccess => format!(
            "in {object}, replace the file in {field} by a Secret or ConfigMap reference \
             (e.g. authorization.credentials, tlsConfig.ca.secret), or set \
             spec.arbitraryFSAccessThroughSMs.deny: false on {instance}"
        ),
        Check::ScrapeTimeout => format!(
            "in {object}, make {} no greater than {} (or fix the duration's syntax)",
            sibling(field, "scrapeTimeout"),
            sibling(field, "interval")
        ),
        Check::Reference => format!(
            "create the Secret or ConfigMap key that {field} of {object} names, in the \
             object's namespace, or correct the reference"
        ),
        Check::ScrapeClass => format!(
            "set {field} of {object} to a name listed in spec.scrapeClasses of {instance}, or \
             add that scrape class there"
        ),
        Check::Version => format!(
            "remove {field} from {object}, or raise spec.version of {instance} to a version \
             that supports it"
        ),
        Check::SelectorMechanism => format!(
            "remove {field} from {object} (RoleSelector needs Prometheus ≥ 2.17), or raise \
             spec.version of {instance}"
        ),
        Check::Authentication => format!(
            "keep a single authentication method in {field} of {object} (basicAuth, \
             authorization, oauth2 or bearerTokenSecret)"
        ),
        Check::LabelSelector => {
            format!("make {field} of {object} a valid label selector")
        }
        Check::Tls
        | Check::Proxy
        | Check::OAuth2
        | Check::Relabeling
        | Check::LabelName
        | Check::ProbeTarget
        | Check::Field
        | Check::Rule => format!("correct {field} of {object} as the message says"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_with_indexes() {
        let root =
            serde_json::json!({"spec": {"endpoints": [{"port": "web"}, {"interval": "5s"}]}});
        assert_eq!(value_at(&root, "spec.endpoints[1].interval"), "5s");
        assert_eq!(value_at(&root, "spec.endpoints[0].port"), "web");
        assert_eq!(value_at(&root, "spec.endpoints[2].port"), Value::Null);
        assert_eq!(value_at(&root, "spec.missing"), Value::Null);
        assert_eq!(
            sibling("spec.endpoints[0].scrapeTimeout", "interval"),
            "spec.endpoints[0].interval"
        );
    }
}
