//! The Kubernetes discoveries of an instance's generated configuration, for the RBAC check
//! of its ServiceAccount: derived from the spec and the selection through the render
//! module's own decisions (roles, namespaces, attached metadata, the configured API
//! server), without rendering the configuration, which would cost more than the rest of
//! `explain` on thousands of monitors. Upstream: every `generateK8SSDConfig` caller in
//! `promcfg.go`, the ScrapeConfigs' `kubernetesSDConfigs`, and the additional scrape and
//! Alertmanager configs, which are the user's text read from their Secrets.

use k8s_openapi::api::core::v1::SecretKeySelector;

use super::rbac::Discoveries;
use crate::discovery::{NamespaceDiscovery, Role, SdConfig};
use crate::monitoring::CustomResource;
use crate::monitoring::v1::Prometheus;
use crate::monitoring::v1::common::MonitorSelection;
use crate::monitoring::v1alpha1::scrape_config::KubernetesSDConfig;
use crate::operator::OperatorOptions;
use crate::render::{Generator, attach_metadata_minimum_version, probe_ingress};
use crate::select::{self, Selection};
use crate::snapshot::{Snapshot, name_of, namespace_of};
use crate::target::Target;
use crate::version::Version;
use crate::yaml::{Map, Yaml};

/// Every Kubernetes discovery of `target`'s configuration, over the resources `selection`
/// selected, as the instance's ServiceAccount makes it; those that do not ask the API
/// server as that ServiceAccount are skipped with why.
pub(super) fn of_instance(
    snapshot: &Snapshot,
    target: Target<'_>,
    version: &Version,
    selection: &Selection<'_>,
    options: &OperatorOptions,
) -> Discoveries {
    let mut found = Discoveries::default();
    if let Target::Server(prometheus) = target
        && options.leaves_unmanaged(prometheus)
    {
        found.skip(
            "the configuration: every monitor selector is nil, so the operator leaves it to \
             the user and it is not read",
        );
        return found;
    }
    let generator = Generator::new(target, version.clone(), options, snapshot);
    let own = target.namespace();
    // A DaemonSet agent scrapes its own node's Pods only: PodMonitors and additional configs.
    let daemon_set = generator.daemon_set_mode();
    if generator.common.apiserver_config.is_some() {
        found.skip(
            "the discoveries of ServiceMonitors, PodMonitors, Probes and Alertmanagers: \
             spec.apiserverConfig sends them to its API server, with its credentials",
        );
    } else {
        if !daemon_set {
            add_service_monitors(&mut found, &generator, selection, own);
            add_probes(&mut found, &generator, selection, own);
        }
        add_pod_monitors(&mut found, &generator, selection, own);
        if let Target::Server(prometheus) = target {
            add_alertmanagers(&mut found, &generator, prometheus, own);
        }
    }
    if !daemon_set {
        add_scrape_configs(&mut found, &generator, selection, own);
    }
    add_user_configs(
        &mut found,
        &generator,
        generator.common.additional_scrape_configs.as_ref(),
        "additionalScrapeConfigs",
        own,
    );
    if let Target::Server(prometheus) = target {
        add_user_configs(
            &mut found,
            &generator,
            prometheus.spec.additional_alert_manager_configs.as_ref(),
            "additionalAlertManagerConfigs",
            own,
        );
    }
    found
}

/// The role `name`, as the render module spells the roles it decides (always one
/// Prometheus knows; `endpoints` is the operator's default).
fn role_of(name: &str) -> Role {
    Role::from_name(name).unwrap_or(Role::Endpoints)
}

/// A discovery of `role` in the namespaces `names` (none: every namespace).
fn sd_config(role: Role, names: Vec<String>, attach_node: bool) -> SdConfig {
    let mut sd = SdConfig::new(role);
    sd.namespaces = NamespaceDiscovery {
        own_namespace: false,
        names,
    };
    sd.attach_metadata.node = attach_node;
    sd
}

/// The discovery of a ServiceMonitor's or PodMonitor's jobs of `role` (every job of the
/// monitor discovers alike).
fn monitor_sd<M: CustomResource>(
    generator: &Generator<'_>,
    monitor: &M,
    selection: &MonitorSelection<'_>,
    role: &str,
) -> SdConfig {
    let monitor = generator.monitor_ref(monitor, selection.scrape_class_name);
    let names = generator.namespaces_from_selector(selection.namespace_selector, monitor.namespace);
    let attach = generator.monitor_attach_metadata(&monitor, selection.attach_metadata, role);
    let node = attach.is_some_and(|a| a.node && generator.supports(a.minimum_version));
    sd_config(role_of(role), names, node)
}

fn add_service_monitors(
    found: &mut Discoveries,
    generator: &Generator<'_>,
    selection: &Selection<'_>,
    own: &str,
) {
    for monitor in select::selected(&selection.service_monitors) {
        // A job per endpoint: without endpoints there is no discovery.
        if monitor.spec.endpoints.is_empty() {
            continue;
        }
        let role = generator.service_monitor_role(monitor);
        let sd = monitor_sd(generator, monitor, &monitor.spec.monitor_selection(), role);
        found.add(&sd, own);
    }
}

fn add_pod_monitors(
    found: &mut Discoveries,
    generator: &Generator<'_>,
    selection: &Selection<'_>,
    own: &str,
) {
    for monitor in select::selected(&selection.pod_monitors) {
        if monitor.spec.pod_metrics_endpoints.is_empty() {
            continue;
        }
        let sd = monitor_sd(generator, monitor, &monitor.spec.monitor_selection(), "pod");
        found.add(&sd, own);
    }
}

fn add_probes(
    found: &mut Discoveries,
    generator: &Generator<'_>,
    selection: &Selection<'_>,
    own: &str,
) {
    for probe in select::selected(&selection.probes) {
        if let Some(ingress) = probe_ingress(probe) {
            let names = generator.namespaces_from_selector(
                &ingress.namespace_selector,
                namespace_of(&probe.metadata),
            );
            found.add(&sd_config(Role::Ingress, names, false), own);
        }
    }
}

/// The Alertmanagers of `spec.alerting`, each discovered with the instance's endpoint role
/// in its namespace.
fn add_alertmanagers(
    found: &mut Discoveries,
    generator: &Generator<'_>,
    prometheus: &Prometheus,
    own: &str,
) {
    let role = role_of(generator.default_endpoint_role());
    for am in prometheus
        .spec
        .alerting
        .iter()
        .flat_map(|a| &a.alertmanagers)
    {
        let names = vec![generator.alertmanager_namespace(am).to_owned()];
        found.add(&sd_config(role, names, false), own);
    }
}

fn add_scrape_configs(
    found: &mut Discoveries,
    generator: &Generator<'_>,
    selection: &Selection<'_>,
    own: &str,
) {
    for scrape_config in select::selected(&selection.scrape_configs) {
        let object = format!(
            "ScrapeConfig {}/{}",
            namespace_of(&scrape_config.metadata),
            name_of(&scrape_config.metadata)
        );
        for (i, config) in scrape_config.spec.kubernetes_sd_configs.iter().enumerate() {
            let field = format!("{object} spec.kubernetesSDConfigs[{i}]");
            add_scrape_config_sd(found, generator, config, &field, own);
        }
    }
}

/// One `kubernetesSDConfigs` entry of a ScrapeConfig, written as the operator writes it:
/// the role lowercased, the namespaces as given (Prometheus adds its own for
/// `ownNamespace`), node metadata where the role and version take it.
fn add_scrape_config_sd(
    found: &mut Discoveries,
    generator: &Generator<'_>,
    config: &KubernetesSDConfig,
    field: &str,
    own: &str,
) {
    let role_name = config.role.to_lowercase();
    let Some(role) = Role::from_name(&role_name) else {
        found.skip(format!("{field}: unknown role {:?}", config.role));
        return;
    };
    if config.api_server.is_some() {
        found.skip(format!(
            "{field}: apiServer sends it to another API server, with its own credentials"
        ));
        return;
    }
    let namespaces = config.namespaces.as_ref();
    let node = config.attach_metadata.as_ref().is_some_and(|a| {
        a.node == Some(true)
            && attach_metadata_minimum_version(&role_name).is_some_and(|m| generator.supports(m))
    });
    let mut sd = sd_config(
        role,
        namespaces.map(|n| n.names.clone()).unwrap_or_default(),
        node,
    );
    sd.namespaces.own_namespace = namespaces.and_then(|n| n.own_namespace) == Some(true);
    found.add(&sd, own);
}

/// The `kubernetes_sd_configs` of configs the user supplies in a Secret (`field` of the
/// spec names it), read as Prometheus reads them; a Secret missing from the input, or text
/// that does not parse, is skipped with why.
fn add_user_configs(
    found: &mut Discoveries,
    generator: &Generator<'_>,
    selector: Option<&SecretKeySelector>,
    field: &str,
    own: &str,
) {
    let text = match generator.load_secret_ref(selector, "not read") {
        Ok(Some(text)) => text,
        Ok(None) => return,
        Err(e) => {
            found.skip(format!("{field}: {e}"));
            return;
        }
    };
    let configs = match generator.parse_mapping_list(Some(&text), field, field) {
        Ok(configs) => configs,
        Err(e) => {
            found.skip(format!("{field}: {e}"));
            return;
        }
    };
    for (i, config) in configs.iter().enumerate() {
        let name = match config.get("job_name").and_then(Yaml::as_str) {
            Some(job) => format!("{field} job {job}"),
            None => format!("{field}[{i}]"),
        };
        add_user_sd_configs(found, config, &name, own);
    }
}

fn add_user_sd_configs(found: &mut Discoveries, config: &Map, name: &str, own: &str) {
    let Some(entries) = config.get("kubernetes_sd_configs").and_then(Yaml::as_seq) else {
        return;
    };
    for (i, entry) in entries.iter().enumerate() {
        match serde_json::from_value::<SdConfig>(entry.to_json()) {
            Ok(sd) if sd.in_cluster() => found.add(&sd, own),
            Ok(sd) => {
                let key = if sd.api_server.is_some() {
                    "api_server"
                } else {
                    "kubeconfig_file"
                };
                found.skip(format!(
                    "{name} kubernetes_sd_configs[{i}]: {key} sends it to another API server, \
                     with its own credentials"
                ));
            }
            Err(e) => found.skip(format!("{name} kubernetes_sd_configs[{i}]: {e}")),
        }
    }
}
