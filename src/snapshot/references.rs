//! The Secret and ConfigMap keys a custom resource refers to, found anywhere in its spec.

use serde_json::Value;

/// A Secret or ConfigMap key an object refers to.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Reference {
    /// Namespace of the referring object (and so of the referenced one); empty when the
    /// referrer has none.
    pub namespace: String,
    /// Secret or ConfigMap name.
    pub name: String,
    /// The key; empty for an object the instance's pods mount whole.
    pub key: String,
    /// A ConfigMap rather than a Secret.
    pub config_map: bool,
    /// Field path of the reference in its object, e.g. `spec.endpoints[0].basicAuth.password`.
    pub field: String,
}

impl std::fmt::Display for Reference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = if self.config_map {
            "ConfigMap"
        } else {
            "Secret"
        };
        write!(f, "{kind} {}/{}", self.namespace, self.name)?;
        if !self.key.is_empty() {
            write!(f, " (key {:?})", self.key)?;
        }
        Ok(())
    }
}

/// Every `{name, key}` selector in `object`'s spec: under a `configMap` field it names a
/// ConfigMap, anywhere else a Secret (the CRDs use `SecretKeySelector` everywhere else).
pub fn references(object: &Value) -> Vec<Reference> {
    let Some(spec) = object.get("spec") else {
        return Vec::new();
    };
    let namespace = object
        .pointer("/metadata/namespace")
        .and_then(Value::as_str)
        .unwrap_or("");
    let kind = object.get("kind").and_then(Value::as_str).unwrap_or("");
    let mut out = spec_references(spec, namespace);
    out.extend(mounted_references(kind, spec, namespace));
    if kind == "Alertmanager" {
        out.extend(alertmanager_config_secret(object, spec, namespace));
    }
    out
}

/// The Secrets and ConfigMaps the pods of a Prometheus, PrometheusAgent or Alertmanager
/// mount whole (`spec.secrets`, `spec.configMaps`, key empty): the operator makes them volumes
/// that are not optional, so the pods do not start without them.
pub fn mounted_references(kind: &str, spec: &Value, namespace: &str) -> Vec<Reference> {
    if !matches!(kind, "Prometheus" | "PrometheusAgent" | "Alertmanager") {
        return Vec::new();
    }
    let names = |field: &'static str| {
        spec.get(field)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
            .filter_map(move |(i, name)| Some((field, i, name.as_str()?)))
    };
    names("secrets")
        .chain(names("configMaps"))
        .map(|(field, i, name)| Reference {
            namespace: namespace.to_owned(),
            name: name.to_owned(),
            key: String::new(),
            config_map: field == "configMaps",
            field: format!("spec.{field}[{i}]"),
        })
        .collect()
}

/// Every `{name, key}` selector under `spec` (a spec's value), for an object in `namespace`.
pub fn spec_references(spec: &Value, namespace: &str) -> Vec<Reference> {
    fn walk(value: &Value, path: &str, parent: &str, namespace: &str, out: &mut Vec<Reference>) {
        match value {
            Value::Object(map) => {
                if let (Some(Value::String(name)), Some(Value::String(key))) =
                    (map.get("name"), map.get("key"))
                {
                    out.push(Reference {
                        namespace: namespace.to_owned(),
                        name: name.clone(),
                        key: key.clone(),
                        config_map: parent == "configMap",
                        field: path.to_owned(),
                    });
                }
                for (k, v) in map {
                    walk(v, &format!("{path}.{k}"), k, namespace, out);
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    walk(v, &format!("{path}[{i}]"), parent, namespace, out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(spec, "spec", "", namespace, &mut out);
    out
}

/// The Secret holding an Alertmanager's base configuration: `spec.configSecret`, else
/// `alertmanager-<name>` (the operator reads it even when it is absent from the spec).
fn alertmanager_config_secret(object: &Value, spec: &Value, namespace: &str) -> Option<Reference> {
    Some(alertmanager_config_reference(
        namespace,
        spec.get("configSecret").and_then(Value::as_str),
        object.pointer("/metadata/name").and_then(Value::as_str)?,
    ))
}

/// The reference to the Secret holding Alertmanager `namespace/name`'s own configuration.
fn alertmanager_config_reference(
    namespace: &str,
    config_secret: Option<&str>,
    name: &str,
) -> Reference {
    Reference {
        namespace: namespace.to_owned(),
        name: crate::alertmanager::config_secret_name(config_secret, name),
        key: crate::alertmanager::CONFIG_KEY.to_owned(),
        config_map: false,
        field: "spec.configSecret".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_alertmanager_refers_to_its_configuration_secret() {
        let named = |spec: serde_json::Value| {
            let object = serde_json::json!({"kind": "Alertmanager",
                "metadata": {"name": "main", "namespace": "mon"}, "spec": spec});
            references(&object)
                .into_iter()
                .map(|r| (r.namespace, r.name, r.key))
                .collect::<Vec<_>>()
        };
        let pair = |name: &str| {
            vec![(
                "mon".to_owned(),
                name.to_owned(),
                "alertmanager.yaml".to_owned(),
            )]
        };
        assert_eq!(named(serde_json::json!({})), pair("alertmanager-main"));
        assert_eq!(
            named(serde_json::json!({"configSecret": "custom"})),
            pair("custom")
        );
    }

    #[test]
    fn references_are_found_anywhere_in_the_spec() {
        let object = serde_json::json!({
            "metadata": {"namespace": "shop"},
            "spec": {
                "endpoints": [{"basicAuth": {"password": {"name": "auth", "key": "pw"}},
                               "tlsConfig": {"ca": {"configMap": {"name": "ca", "key": "ca.crt"}}}}],
                "additionalScrapeConfigs": {"name": "extra", "key": "a.yaml"},
                "selector": {"matchLabels": {"name": "not-a-reference"}},
            },
        });
        let found: Vec<_> = references(&object)
            .into_iter()
            .map(|r| (r.name, r.config_map, r.field))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "auth".to_owned(),
                    false,
                    "spec.endpoints[0].basicAuth.password".to_owned()
                ),
                (
                    "ca".to_owned(),
                    true,
                    "spec.endpoints[0].tlsConfig.ca.configMap".to_owned()
                ),
                (
                    "extra".to_owned(),
                    false,
                    "spec.additionalScrapeConfigs".to_owned()
                ),
            ]
        );
    }
}
