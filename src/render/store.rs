//! What the operator's asset store holds when it generates (upstream `assets.StoreBuilder`):
//! resource selection fetches the Secrets and ConfigMaps each selected resource refers to, in
//! its namespace, and the instance's set-up those of its remote read and write, API server,
//! Alertmanager endpoints and scrape classes' TLS, in the instance's namespace. Generation
//! then reads through a cache-only view (`ForNamespace`): a reference that nothing fetched in
//! the namespace it is read in resolves to nothing, even when the object exists. Two
//! references are read that way in practice: a scrape class's authorization credentials, and
//! the API server's credentials in a monitor's namespace.

use std::collections::BTreeSet;

use serde::Serialize;

use super::RenderRequest;
use crate::monitoring::v1::prometheus::CommonPrometheusFields;
use crate::snapshot::namespace_of;
use crate::snapshot::references::spec_references;
use crate::target::Target;

/// Whether generation reads a Secret that no object of its own fetched: a scrape class's
/// authorization credentials, or API server credentials (read in each monitor's namespace).
/// Every other reference is read in the namespace of the object that fetched it, so only then
/// can a lookup miss, and only then is the store worked out (it serializes every selected
/// resource).
pub(crate) fn reads_across_objects(common: &CommonPrometheusFields) -> bool {
    let class_credentials = common.scrape_classes.iter().any(|class| {
        class
            .authorization
            .as_ref()
            .is_some_and(|a| a.credentials.is_some())
    });
    let api_credentials = common.apiserver_config.as_ref().is_some_and(|api| {
        api.basic_auth.is_some()
            || api
                .authorization
                .as_ref()
                .is_some_and(|a| a.credentials.is_some())
    });
    class_credentials || api_credentials
}

/// The objects the store fetched: `(ConfigMap rather than Secret, namespace, name)`.
pub(crate) struct Fetched(BTreeSet<(bool, String, String)>);

impl Fetched {
    /// The store of `request`'s generation.
    pub(crate) fn of(request: &RenderRequest<'_>) -> Self {
        let mut fetched = Fetched(BTreeSet::new());
        let target = request.target;
        let own = target.namespace();
        let common = target.common();
        fetched.add(&common.remote_write, own);
        fetched.add(&common.apiserver_config, own);
        for class in &common.scrape_classes {
            fetched.add(&class.tls_config, own);
        }
        if let Target::Server(p) = target {
            fetched.add(&p.spec.remote_read, own);
            fetched.add(&p.spec.alerting, own);
        }
        for m in &request.service_monitors {
            fetched.add(&m.spec, namespace_of(&m.metadata));
        }
        for m in &request.pod_monitors {
            fetched.add(&m.spec, namespace_of(&m.metadata));
        }
        for p in &request.probes {
            fetched.add(&p.spec, namespace_of(&p.metadata));
        }
        for s in &request.scrape_configs {
            fetched.add(&s.spec, namespace_of(&s.metadata));
        }
        fetched
    }

    /// Every reference under `value`, fetched in `namespace`.
    fn add(&mut self, value: &impl Serialize, namespace: &str) {
        let Ok(json) = serde_json::to_value(value) else {
            return;
        };
        for reference in spec_references(&json, namespace) {
            self.0
                .insert((reference.config_map, reference.namespace, reference.name));
        }
    }

    /// Whether the store holds Secret (or ConfigMap) `namespace/name`.
    pub(crate) fn holds(&self, config_map: bool, namespace: &str, name: &str) -> bool {
        self.0
            .contains(&(config_map, namespace.to_owned(), name.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use crate::operator::OperatorOptions;

    const INPUT: &str = include_str!("../../tests/fixtures/unit/render_store_input.yaml");

    /// The job of ServiceMonitor `namespace/name` in the configuration rendered from `text`,
    /// and the warnings.
    fn job(text: &str, job_name: &str) -> (String, Vec<String>) {
        let snapshot = crate::snapshot::load("t.yaml", text).unwrap().0;
        let target = crate::instance::find_target(&snapshot, false, None, "p").unwrap();
        let rendered =
            crate::instance::render_target(&snapshot, target, &OperatorOptions::default())
                .unwrap()
                .rendered;
        let config = crate::yaml::emit(&rendered.config);
        let start = config.find(&format!("- job_name: {job_name}")).unwrap();
        let rest = &config[start + 2..];
        let end = rest.find("\n- job_name").unwrap_or(rest.len());
        let warnings = rendered.warnings.iter().map(|w| w.field.clone()).collect();
        (rest[..end].to_owned(), warnings)
    }

    #[test]
    fn references_nothing_fetched_resolve_to_nothing() {
        let (here, warnings) = job(INPUT, "serviceMonitor/mon/here/0");
        // The class's credentials: never fetched.
        assert!(
            here.contains("authorization:\n    type: Bearer\n"),
            "{here}"
        );
        assert!(!here.contains("class-token"), "{here}");
        // The API server's credentials, fetched in the Prometheus's namespace.
        assert!(here.contains("username: api-user"), "{here}");
        let (there, _) = job(INPUT, "serviceMonitor/app/there/0");
        // Read in the monitor's namespace, where nothing fetched them.
        assert!(
            there.contains("basic_auth:\n      username: \"\"\n      password: \"\"\n"),
            "{there}"
        );
        // Said once per object, in job order (app/there first).
        assert_eq!(
            warnings,
            ["Secret app/api", "Secret app/tok", "Secret mon/tok"]
        );
    }

    #[test]
    fn a_reference_fetched_for_another_object_resolves() {
        let fetched_by_endpoint = INPUT.replace(
            "metadata: {name: here, namespace: mon}\nspec: {selector: {}, endpoints: [{port: web}]}",
            "metadata: {name: here, namespace: mon}\nspec:\n  selector: {}\n  endpoints:\n  - port: web\n  - port: admin\n    authorization: {credentials: {name: tok, key: t}}",
        );
        let (here, _) = job(&fetched_by_endpoint, "serviceMonitor/mon/here/0");
        assert!(here.contains("credentials: class-token"), "{here}");
    }
}
