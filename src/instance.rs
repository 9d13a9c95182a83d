//! The instances the operator generates configuration for: which one a command means, the
//! Secret its configuration is stored in, and the pipeline from a snapshot to its
//! configuration (selection, then rendering).

use crate::alertmanager::{self, GenerateError, Generated};
use crate::kinds::{self, Resource};
use crate::monitoring::v1::Alertmanager;
use crate::operator::OperatorOptions;
use crate::render::{self, RenderError, RenderRequest, Rendered};
use crate::select::{self, Outcome, SelectError, Selection};
use crate::snapshot::{FindError, Snapshot, find_named};
use crate::target::Target;
use crate::validate::Violation;

/// The kinds of instance whose generated configuration the operator stores in a Secret.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InstanceKind {
    /// `Prometheus` (Secret `prometheus-<name>`).
    Prometheus,
    /// `PrometheusAgent` (Secret `prom-agent-<name>`).
    PrometheusAgent,
    /// `Alertmanager` (Secret `alertmanager-<name>-generated`).
    Alertmanager,
}

impl InstanceKind {
    /// Hides the credentials of this kind's configuration, as Prometheus or Alertmanager hides
    /// them; returns how many values were hidden.
    pub fn redact(self, config: &mut crate::yaml::Yaml) -> usize {
        match self {
            InstanceKind::Alertmanager => alertmanager::redact(config),
            InstanceKind::Prometheus | InstanceKind::PrometheusAgent => {
                crate::redact::redact(config)
            }
        }
    }

    /// The custom resource's type.
    pub fn resource(self) -> &'static Resource {
        match self {
            InstanceKind::Prometheus => &kinds::PROMETHEUSES,
            InstanceKind::PrometheusAgent => &kinds::PROMETHEUS_AGENTS,
            InstanceKind::Alertmanager => &kinds::ALERTMANAGERS,
        }
    }

    /// Prefix of the objects the operator creates for an instance (and of its pods).
    pub fn object_prefix(self) -> &'static str {
        match self {
            InstanceKind::Prometheus => "prometheus",
            InstanceKind::PrometheusAgent => "prom-agent",
            InstanceKind::Alertmanager => "alertmanager",
        }
    }

    /// The StatefulSet of shard `shard` of instance `name` (upstream `prometheusNameByShard`):
    /// `<prefix>-<name>` for shard 0, `<prefix>-<name>-shard-<n>` after; an Alertmanager has one.
    pub fn statefulset_name(self, name: &str, shard: i32) -> String {
        let prefix = self.object_prefix();
        if shard == 0 || self == InstanceKind::Alertmanager {
            format!("{prefix}-{name}")
        } else {
            format!("{prefix}-{name}-shard-{shard}")
        }
    }

    /// Name of the Secret holding the generated configuration.
    pub fn secret_name(self, name: &str) -> String {
        match self {
            InstanceKind::Alertmanager => alertmanager::generated_secret_name(name),
            _ => format!("{}-{name}", self.object_prefix()),
        }
    }

    /// The label selector of the instance's pods (the labels the operator gives them).
    pub fn pod_selector(self, name: &str) -> String {
        match self {
            InstanceKind::Prometheus => format!(
                "app.kubernetes.io/name=prometheus,app.kubernetes.io/instance={name},operator.prometheus.io/name={name}"
            ),
            InstanceKind::PrometheusAgent => format!(
                "app.kubernetes.io/name=prometheus-agent,app.kubernetes.io/instance={name},operator.prometheus.io/name={name}"
            ),
            InstanceKind::Alertmanager => {
                format!("app.kubernetes.io/name=alertmanager,alertmanager={name}")
            }
        }
    }

    /// The name of the server's container in its pods.
    pub fn main_container(self) -> &'static str {
        match self {
            InstanceKind::Alertmanager => "alertmanager",
            _ => "prometheus",
        }
    }

    /// Key of the gzipped configuration in that Secret.
    pub fn secret_key(self) -> &'static str {
        match self {
            InstanceKind::Alertmanager => "alertmanager.yaml.gz",
            _ => crate::decode::CONFIG_FILENAME,
        }
    }
}

/// The Alertmanager `name` (in `namespace`, or anywhere when `None`).
pub fn find_alertmanager<'a>(
    snapshot: &'a Snapshot,
    namespace: Option<&str>,
    name: &str,
) -> Result<&'a Alertmanager, FindError> {
    find_named(&snapshot.alertmanagers, namespace, name)
}

/// What the operator writes for an Alertmanager, and how it got there.
pub struct AlertmanagerRender<'a> {
    /// The configuration, the generated Secret's name and keys, and sanitizer warnings.
    pub generated: Generated,
    /// The AlertmanagerConfig selection (`None` when the user's Secret is copied verbatim:
    /// neither `alertmanagerConfigSelector` nor `alertmanagerConfiguration` is set).
    pub selection: Option<alertmanager::Selection<'a>>,
    /// Why the operator does not reconcile this Alertmanager at all, if it does not
    /// (`--controller-id`, `--alertmanager-instance-namespaces`, `--namespaces`).
    pub ignored: Option<String>,
}

/// Selects the AlertmanagerConfigs `am` would merge from `snapshot` and generates its
/// `alertmanager.yaml`, as the operator does on every reconciliation, under the operator's
/// namespace restrictions.
pub fn render_alertmanager<'a>(
    snapshot: &'a Snapshot,
    am: &Alertmanager,
    options: &OperatorOptions,
) -> Result<AlertmanagerRender<'a>, GenerateError> {
    let (generated, selection) = alertmanager::provision(snapshot, am, &options.namespaces)?;
    let ignored = options.skips_instance("Alertmanager", &am.metadata, am.spec.paused);
    Ok(AlertmanagerRender {
        generated,
        selection,
        ignored,
    })
}

/// Every AlertmanagerConfig the operator rejects in `selection`, as
/// `(AlertmanagerConfig namespace/name, the first check it fails)`.
pub fn rejected_alertmanager_configs(
    selection: Option<&alertmanager::Selection<'_>>,
) -> Vec<(String, Violation)> {
    selection
        .iter()
        .flat_map(|s| &s.candidates)
        .filter_map(|c| match &c.outcome {
            alertmanager::Outcome::Rejected(v) => {
                Some((format!("AlertmanagerConfig {}", c.key), v.clone()))
            }
            _ => None,
        })
        .collect()
}

/// What attributes the differences of an Alertmanager's configuration: its base
/// configuration, the AlertmanagerConfigs it matched, and why the operator rejects some.
pub fn alertmanager_diff_context(
    render: &AlertmanagerRender<'_>,
) -> crate::diff::AlertmanagerContext {
    let base = match &render.generated.base {
        alertmanager::BaseSource::Secret { secret, .. } => ("Secret", secret.as_str()),
        alertmanager::BaseSource::AlertmanagerConfig(key) => ("AlertmanagerConfig", key.as_str()),
    };
    let (namespace, name) = base.1.split_once('/').unwrap_or(("", base.1));
    let configs = render
        .selection
        .iter()
        .flat_map(|s| &s.candidates)
        .filter(|c| {
            matches!(
                c.outcome,
                alertmanager::Outcome::Selected | alertmanager::Outcome::Rejected(_)
            )
        })
        .map(|c| c.key.clone())
        .collect();
    crate::diff::AlertmanagerContext {
        base: crate::jobs::ResourceRef {
            kind: base.0,
            namespace: namespace.to_owned(),
            name: name.to_owned(),
        },
        configs,
        rejected: rejected_alertmanager_configs(render.selection.as_ref())
            .into_iter()
            .map(|(object, v)| (object, format!("{}: {}", v.field, v.message)))
            .collect(),
    }
}

/// The Prometheus or PrometheusAgent `name` (in `namespace`, or anywhere when `None`).
pub fn find_target<'a>(
    snapshot: &'a Snapshot,
    agent: bool,
    namespace: Option<&str>,
    name: &str,
) -> Result<Target<'a>, FindError> {
    Ok(if agent {
        Target::Agent(find_named(&snapshot.prometheus_agents, namespace, name)?)
    } else {
        Target::Server(find_named(&snapshot.prometheuses, namespace, name)?)
    })
}

/// Which Prometheus or PrometheusAgent, by kind and name: a [`Target`] that outlives a borrow
/// of the snapshot, so that the snapshot can be changed in between.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TargetKey {
    /// A PrometheusAgent rather than a Prometheus.
    pub agent: bool,
    /// Namespace.
    pub namespace: String,
    /// Name.
    pub name: String,
}

impl TargetKey {
    /// The key of `target`.
    pub fn of(target: &Target<'_>) -> Self {
        TargetKey {
            agent: matches!(target, Target::Agent(_)),
            namespace: target.namespace().to_owned(),
            name: target.name().to_owned(),
        }
    }

    /// The instance in `snapshot`.
    pub fn find<'a>(&self, snapshot: &'a Snapshot) -> Result<Target<'a>, FindError> {
        find_target(snapshot, self.agent, Some(&self.namespace), &self.name)
    }

    /// Sets `spec.version` of the instance in `snapshot` (to render as another version would).
    pub fn set_version(&self, snapshot: &mut Snapshot, version: &str) {
        let named = |meta: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta| {
            meta.namespace.as_deref().unwrap_or("") == self.namespace
                && meta.name.as_deref() == Some(self.name.as_str())
        };
        if self.agent {
            for a in snapshot
                .prometheus_agents
                .iter_mut()
                .filter(|a| named(&a.metadata))
            {
                a.spec.version = Some(version.to_owned());
            }
        } else {
            for p in snapshot
                .prometheuses
                .iter_mut()
                .filter(|p| named(&p.metadata))
            {
                p.spec.version = Some(version.to_owned());
            }
        }
    }
}

/// The one Prometheus or PrometheusAgent of `snapshot` that `wanted` (`NAMESPACE/NAME` or
/// `NAME`) names, or the only one when `wanted` is `None`.
pub fn only_target<'a>(
    snapshot: &'a Snapshot,
    wanted: Option<&str>,
) -> Result<Target<'a>, FindError> {
    let key = |t: &Target<'_>| format!("{}/{}", t.namespace(), t.name());
    let every: Vec<Target<'a>> = snapshot
        .prometheuses
        .iter()
        .map(Target::Server)
        .chain(snapshot.prometheus_agents.iter().map(Target::Agent))
        .collect();
    let mut matching: Vec<Target<'a>> = every
        .iter()
        .copied()
        .filter(|t| match wanted {
            None => true,
            Some(w) if w.contains('/') => key(t) == w,
            Some(w) => t.name() == w,
        })
        .collect();
    match (matching.len(), wanted) {
        (1, _) => Ok(matching.remove(0)),
        (0, None) => Err(FindError::NoInstance),
        (0, Some(w)) => {
            let (namespace, name) = match w.split_once('/') {
                Some((ns, n)) => (Some(ns.to_owned()), n.to_owned()),
                None => (None, w.to_owned()),
            };
            let held = every.iter().map(|t| (t.namespace(), t.name()));
            let hint = crate::snapshot::not_found_hint(held, namespace.as_deref(), &name);
            Err(FindError::NotFound {
                kind: "Prometheus or PrometheusAgent",
                namespace,
                name,
                hint,
            })
        }
        _ => Err(FindError::Several(
            matching
                .iter()
                .map(|t| format!("{} {}", t.kind(), key(t)))
                .collect(),
        )),
    }
}

/// Why an instance's configuration cannot be generated.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum InstanceError {
    /// Its selectors or version are invalid.
    #[error(transparent)]
    Select(#[from] SelectError),
    /// The operator refuses to render it.
    #[error(transparent)]
    Render(#[from] RenderError),
    /// Its PrometheusRules cannot be selected, so the operator writes no rule ConfigMaps.
    #[error(transparent)]
    Rules(#[from] crate::rules::RulesError),
}

/// An instance's configuration, and the selection it was rendered from.
pub struct InstanceRender<'a> {
    /// The configuration and the renderer's warnings.
    pub rendered: Rendered,
    /// The selection (to explain rejected resources).
    pub selection: Selection<'a>,
    /// The rule ConfigMaps a Prometheus mounts (its `rule_files` when it has a ruleSelector).
    pub rule_config_map_names: Vec<String>,
    /// Why the operator does not reconcile this instance at all, if it does not.
    pub ignored: Option<String>,
}

/// Selects what `target` would load from `snapshot` and renders its configuration, as the
/// operator does on every reconciliation.
pub fn render_target<'a>(
    snapshot: &'a Snapshot,
    target: Target<'_>,
    options: &OperatorOptions,
) -> Result<InstanceRender<'a>, InstanceError> {
    let selection = select::select_monitors(snapshot, target, &options.namespaces)?;
    let rule_config_map_names = mounted_rule_config_maps(snapshot, target, options)?;
    let rendered = render_selection(
        snapshot,
        target,
        &selection,
        options,
        rule_config_map_names.clone(),
    )?;
    Ok(InstanceRender {
        rendered,
        selection,
        rule_config_map_names,
        ignored: options.skips_instance(target.kind(), target.metadata(), target.paused()),
    })
}

/// The rule ConfigMaps `target`'s pod mounts. The operator writes a Prometheus's rule
/// ConfigMaps (at least one, maybe empty) whatever its ruleSelector, and hands the names,
/// padded to three (`AppendConfigMapNames(names, 3)`), to the StatefulSet, which mounts them,
/// and to the configuration, whose `rule_files` only a ruleSelector brings. Agents have none.
///
/// # Errors
/// When the operator cannot select the instance's rules, and so writes no rule ConfigMaps.
pub fn mounted_rule_config_maps(
    snapshot: &Snapshot,
    target: Target<'_>,
    options: &OperatorOptions,
) -> Result<Vec<String>, crate::rules::RulesError> {
    match target {
        Target::Server(p) => Ok(crate::rules::objects::instance_rules(
            snapshot,
            crate::rules::Instance::Prometheus(p),
            options,
        )?
        .mounted_names),
        Target::Agent(_) => Ok(Vec::new()),
    }
}

/// Renders the configuration of `target` from the resources `selection` selected, as the
/// operator stores it: empty when it leaves a Prometheus's configuration to the user.
pub(crate) fn render_selection(
    snapshot: &Snapshot,
    target: Target<'_>,
    selection: &Selection<'_>,
    options: &OperatorOptions,
    rule_config_map_names: Vec<String>,
) -> Result<Rendered, RenderError> {
    let request = RenderRequest {
        target,
        service_monitors: select::selected(&selection.service_monitors),
        pod_monitors: select::selected(&selection.pod_monitors),
        probes: select::selected(&selection.probes),
        scrape_configs: select::selected(&selection.scrape_configs),
        snapshot,
        options: options.clone(),
        rule_config_map_names,
    };
    match target {
        Target::Server(p) if options.leaves_unmanaged(p) => render::render_unmanaged(&request),
        _ => render::render(&request),
    }
}

/// Every rejected resource of a selection as `(Kind namespace/name, reason)`.
pub fn rejected_resources(selection: &Selection<'_>) -> Vec<(String, String)> {
    fn of<T>(kind: &str, candidates: &[select::Candidate<'_, T>]) -> Vec<(String, String)> {
        candidates
            .iter()
            .filter_map(|c| match &c.outcome {
                Outcome::Rejected(why) => Some((format!("{kind} {}", c.key), why.to_string())),
                _ => None,
            })
            .collect()
    }
    let mut all = of("ServiceMonitor", &selection.service_monitors);
    all.extend(of("PodMonitor", &selection.pod_monitors));
    all.extend(of("Probe", &selection.probes));
    all.extend(of("ScrapeConfig", &selection.scrape_configs));
    all
}

/// Why `object` is one the operator writes itself, if it is.
pub fn generated_by_operator(object: &serde_json::Value) -> Option<String> {
    let meta = &object["metadata"];
    let name = meta["name"].as_str().unwrap_or_default();
    let label = |key: &str| meta["labels"][key].as_str();
    let managed = crate::workload::meta::MANAGED_BY_LABELS
        .iter()
        .any(|key| label(key) == Some(crate::workload::meta::MANAGED_BY_VALUE));
    let owned_by_operator_kind = meta["ownerReferences"].as_array().is_some_and(|owners| {
        owners.iter().any(|o| {
            o["apiVersion"]
                .as_str()
                .is_some_and(|v| v.starts_with("monitoring.coreos.com/"))
        })
    });
    match object["kind"].as_str().unwrap_or_default() {
        "Secret"
            if (name.starts_with("prometheus-") || name.starts_with("prom-agent-"))
                && (managed || owned_by_operator_kind) =>
        {
            Some(format!(
                "Secret {name}: the operator generates it (the Prometheus configuration)"
            ))
        }
        "Secret"
            if name.starts_with("alertmanager-")
                && name.ends_with("-generated")
                && (managed || owned_by_operator_kind) =>
        {
            Some(format!(
                "Secret {name}: the operator generates it (the Alertmanager configuration)"
            ))
        }
        "ConfigMap" if is_rule_config_map(name) => Some(format!(
            "ConfigMap {name}: the operator generates it (rule files)"
        )),
        "StatefulSet" if managed || owned_by_operator_kind => {
            Some(format!("StatefulSet {name}: the operator manages it"))
        }
        _ => None,
    }
}

/// `prometheus-NAME-rulefiles-N` or `thanos-ruler-NAME-rulefiles-N`.
fn is_rule_config_map(name: &str) -> bool {
    ["prometheus-", "thanos-ruler-"]
        .iter()
        .find_map(|prefix| name.strip_prefix(prefix))
        .and_then(|rest| rest.rsplit_once("-rulefiles-"))
        .is_some_and(|(instance, n)| {
            !instance.is_empty() && !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_names_follow_the_operator() {
        assert_eq!(
            InstanceKind::Prometheus.secret_name("k8s"),
            "prometheus-k8s"
        );
        assert_eq!(
            InstanceKind::PrometheusAgent.secret_name("a"),
            "prom-agent-a"
        );
        assert_eq!(
            InstanceKind::Alertmanager.secret_name("main"),
            "alertmanager-main-generated"
        );
        assert_eq!(
            InstanceKind::Alertmanager.secret_key(),
            "alertmanager.yaml.gz"
        );
    }

    #[test]
    fn rule_files_name_the_three_mounted_rule_config_maps() {
        let (snapshot, _) = crate::snapshot::load(
            "t.yaml",
            "apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata: {name: k8s, namespace: mon}\n\
             spec: {ruleSelector: {}, serviceMonitorSelector: {}}\n",
        )
        .unwrap();
        let target = Target::Server(&snapshot.prometheuses[0]);
        let render = render_target(&snapshot, target, &OperatorOptions::default()).unwrap();
        let globs: Vec<&str> = render
            .rendered
            .config
            .as_map()
            .unwrap()
            .get("rule_files")
            .unwrap()
            .as_seq()
            .unwrap()
            .iter()
            .filter_map(crate::yaml::Yaml::as_str)
            .collect();
        assert_eq!(
            globs,
            [0, 1, 2].map(|i| format!("/etc/prometheus/rules/prometheus-k8s-rulefiles-{i}/*.yaml"))
        );
    }

    #[test]
    fn rule_config_maps_are_mounted_without_a_rule_selector() {
        let (snapshot, _) = crate::snapshot::load(
            "t.yaml",
            "apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata: {name: k8s, namespace: mon}\n\
             spec: {serviceMonitorSelector: {}}\n",
        )
        .unwrap();
        let target = Target::Server(&snapshot.prometheuses[0]);
        let render = render_target(&snapshot, target, &OperatorOptions::default()).unwrap();
        assert_eq!(
            render.rule_config_map_names,
            [0, 1, 2].map(|i| format!("prometheus-k8s-rulefiles-{i}"))
        );
        let config = render.rendered.config.as_map().unwrap();
        assert!(config.get("rule_files").is_none());
    }

    #[test]
    fn finding_instances() {
        let (snapshot, _) = crate::snapshot::load(
            "t.yaml",
            "apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata: {name: p, namespace: a}\nspec: {}\n---\n\
             apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata: {name: p, namespace: b}\nspec: {}\n",
        )
        .unwrap();
        assert!(matches!(
            find_target(&snapshot, false, None, "p"),
            Err(FindError::Ambiguous { .. })
        ));
        assert_eq!(
            find_target(&snapshot, false, Some("b"), "p")
                .unwrap()
                .namespace(),
            "b"
        );
        assert!(matches!(
            only_target(&snapshot, None),
            Err(FindError::Several(_))
        ));
        assert_eq!(
            only_target(&snapshot, Some("a/p")).unwrap().namespace(),
            "a"
        );
        assert_eq!(
            only_target(&snapshot, Some("x/p")).unwrap_err().to_string(),
            "Prometheus or PrometheusAgent x/p not found (it is in namespaces a, b)"
        );
        assert_eq!(
            only_target(&snapshot, Some("a/q")).unwrap_err().to_string(),
            "Prometheus or PrometheusAgent a/q not found (did you mean p?)"
        );
        assert_eq!(
            only_target(&snapshot, Some("a/frontend"))
                .unwrap_err()
                .to_string(),
            "Prometheus or PrometheusAgent a/frontend not found (there is only a/p)"
        );
        assert_eq!(
            only_target(&snapshot, Some("z/frontend"))
                .unwrap_err()
                .to_string(),
            "Prometheus or PrometheusAgent z/frontend not found (there are a/p, b/p)"
        );
    }

    #[test]
    fn operator_objects_are_refused() {
        use serde_json::json;
        let config = json!({"kind": "Secret", "metadata": {"name": "prometheus-main",
            "labels": {"managed-by": "prometheus-operator"}}});
        assert!(generated_by_operator(&config).is_some());
        let am = json!({"kind": "Secret", "metadata": {"name": "alertmanager-main-generated",
            "ownerReferences": [{"apiVersion": "monitoring.coreos.com/v1", "kind": "Alertmanager"}]}});
        assert!(generated_by_operator(&am).is_some());
        let user = json!({"kind": "Secret", "metadata": {"name": "prometheus-creds"}});
        assert!(generated_by_operator(&user).is_none());
        let rules =
            json!({"kind": "ConfigMap", "metadata": {"name": "prometheus-main-rulefiles-0"}});
        assert!(generated_by_operator(&rules).is_some());
        let sts = json!({"kind": "StatefulSet", "metadata": {"name": "prometheus-main",
            "ownerReferences": [{"apiVersion": "monitoring.coreos.com/v1", "kind": "Prometheus"}]}});
        assert!(generated_by_operator(&sts).is_some());
        assert!(!is_rule_config_map("prometheus-rulefiles-x"));
        assert!(is_rule_config_map("thanos-ruler-tr-rulefiles-0"));
    }
}
