//! Resource arguments as kubectl takes them: `TYPE NAME` or `TYPE/NAME`, where TYPE is a kind,
//! its plural or the CRD's short name, in any case, optionally qualified with the API group
//! (`servicemonitors.monitoring.coreos.com`, `smon/web`, `prom k8s`).

use anyhow::anyhow;
use promop::kinds::{self, Resource};

use super::CliError;

/// A prometheus-operator kind that commands take as a resource argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `Prometheus` (`prom`).
    Prometheus,
    /// `PrometheusAgent` (`promagent`).
    PrometheusAgent,
    /// `Alertmanager` (`am`).
    Alertmanager,
    /// `ServiceMonitor` (`smon`).
    ServiceMonitor,
    /// `PodMonitor` (`pmon`).
    PodMonitor,
    /// `Probe` (`prb`).
    Probe,
    /// `ScrapeConfig` (`scfg`).
    ScrapeConfig,
    /// `PrometheusRule` (`promrule`).
    PrometheusRule,
    /// `AlertmanagerConfig` (`amcfg`).
    AlertmanagerConfig,
}

/// Every kind, in the order help texts list them.
pub const ALL_KINDS: &[Kind] = &[
    Kind::Prometheus,
    Kind::PrometheusAgent,
    Kind::Alertmanager,
    Kind::ServiceMonitor,
    Kind::PodMonitor,
    Kind::Probe,
    Kind::ScrapeConfig,
    Kind::PrometheusRule,
    Kind::AlertmanagerConfig,
];

/// What `render`, `diff` and `decode-config` take: the kinds whose configuration the operator
/// generates and stores in a Secret.
pub const INSTANCE_KINDS: &[Kind] = &[Kind::Prometheus, Kind::PrometheusAgent, Kind::Alertmanager];

/// What `explain` takes.
pub const EXPLAINABLE_KINDS: &[Kind] = &[
    Kind::Prometheus,
    Kind::PrometheusAgent,
    Kind::ServiceMonitor,
    Kind::PodMonitor,
    Kind::Probe,
    Kind::ScrapeConfig,
    Kind::Alertmanager,
    Kind::AlertmanagerConfig,
    Kind::PrometheusRule,
];

/// What `route` takes: where an alert goes from an Alertmanager's or a rule's side.
pub const ROUTABLE_KINDS: &[Kind] = &[Kind::Alertmanager, Kind::PrometheusRule];

/// What `decode-config --for` takes: the kinds that produce scrape jobs.
pub const SCRAPE_SOURCE_KINDS: &[Kind] = &[
    Kind::ServiceMonitor,
    Kind::PodMonitor,
    Kind::Probe,
    Kind::ScrapeConfig,
];

impl Kind {
    /// The kind as manifests spell it.
    pub fn name(self) -> &'static str {
        self.resource().kind
    }

    /// The lower-case plural of the REST paths.
    pub fn plural(self) -> &'static str {
        self.resource().plural
    }

    /// The CRD's short name.
    pub fn short_name(self) -> &'static str {
        self.resource().short_name()
    }

    /// The kind's entry in the catalogue.
    pub fn resource(self) -> &'static Resource {
        match self {
            Kind::Prometheus => &kinds::PROMETHEUSES,
            Kind::PrometheusAgent => &kinds::PROMETHEUS_AGENTS,
            Kind::Alertmanager => &kinds::ALERTMANAGERS,
            Kind::ServiceMonitor => &kinds::SERVICE_MONITORS,
            Kind::PodMonitor => &kinds::POD_MONITORS,
            Kind::Probe => &kinds::PROBES,
            Kind::ScrapeConfig => &kinds::SCRAPE_CONFIGS,
            Kind::PrometheusRule => &kinds::PROMETHEUS_RULES,
            Kind::AlertmanagerConfig => &kinds::ALERTMANAGER_CONFIGS,
        }
    }

    /// The kind a TYPE word names: singular, plural or short name in any case, optionally
    /// followed by `.monitoring.coreos.com` or `.VERSION.monitoring.coreos.com`.
    pub fn from_type(text: &str) -> Option<Kind> {
        ALL_KINDS
            .iter()
            .copied()
            .find(|kind| kind.resource().is_named_by(text))
    }
}

/// A parsed resource argument.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceArg {
    /// The kind TYPE names.
    pub kind: Kind,
    /// NAME, when given.
    pub name: Option<String>,
}

impl ResourceArg {
    /// NAME, or a usage error saying how to give it.
    pub fn require_name(&self) -> Result<&str, CliError> {
        self.name.as_deref().ok_or_else(|| {
            CliError::usage(anyhow!(
                "missing name: give {} NAME or {}/NAME (`kubectl get {}` lists them)",
                self.kind.short_name(),
                self.kind.short_name(),
                self.kind.plural()
            ))
        })
    }
}

/// How `accepted` reads in a message: `prometheus (prom), servicemonitor (smon)`.
pub fn describe(accepted: &[Kind]) -> String {
    let names: Vec<String> = accepted
        .iter()
        .map(|k| format!("{} ({})", k.name().to_ascii_lowercase(), k.short_name()))
        .collect();
    names.join(", ")
}

/// Parses `TYPE`, `TYPE NAME` or `TYPE/NAME`; TYPE must be one of `accepted`.
pub fn parse(words: &[String], accepted: &[Kind]) -> Result<ResourceArg, CliError> {
    let usage = || {
        CliError::usage(anyhow!(
            "give the resource as TYPE NAME or TYPE/NAME (e.g. {} k8s or {}/k8s); TYPE is one of {}",
            accepted.first().map_or("prom", |k| k.short_name()),
            accepted.first().map_or("prom", |k| k.short_name()),
            describe(accepted)
        ))
    };
    let (type_text, name) = match words {
        [one] => match one.split_once('/') {
            Some((t, n)) => (t, Some(n)),
            None => (one.as_str(), None),
        },
        [t, n] if !t.contains('/') => (t.as_str(), Some(n.as_str())),
        [t, second] => {
            return Err(CliError::usage(if second.contains('/') {
                anyhow!("{t:?} and {second:?}: give one object at a time")
            } else {
                anyhow!("{t:?} already names the object: give TYPE/NAME or TYPE NAME, not both")
            }));
        }
        _ => return Err(usage()),
    };
    let kind = Kind::from_type(type_text)
        .filter(|k| accepted.contains(k))
        .ok_or_else(|| {
            CliError::usage(anyhow!(
                "unknown resource type {type_text:?} here: use one of {}",
                describe(accepted)
            ))
        })?;
    if let Some(name) = name
        && (name.is_empty() || name.contains('/'))
    {
        return Err(CliError::usage(anyhow!(
            "invalid name {name:?}: give TYPE/NAME, e.g. {}/k8s, and the namespace with -n",
            kind.short_name()
        )));
    }
    Ok(ResourceArg {
        kind,
        name: name.map(str::to_owned),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        text.split_whitespace().map(str::to_owned).collect()
    }

    fn ok(text: &str, accepted: &[Kind]) -> (Kind, Option<String>) {
        match parse(&words(text), accepted) {
            Ok(arg) => (arg.kind, arg.name),
            Err(e) => panic!("{text}: {e:?}"),
        }
    }

    #[test]
    fn kinds_plurals_short_names_and_groups() {
        for text in [
            "smon/x",
            "servicemonitor x",
            "ServiceMonitors x",
            "servicemonitors.monitoring.coreos.com/x",
            "servicemonitor.v1.monitoring.coreos.com x",
        ] {
            assert_eq!(
                ok(text, EXPLAINABLE_KINDS),
                (Kind::ServiceMonitor, Some("x".to_owned())),
                "{text}"
            );
        }
        assert_eq!(
            ok("prom/k8s", INSTANCE_KINDS),
            (Kind::Prometheus, Some("k8s".to_owned()))
        );
        assert_eq!(
            ok("promagent", INSTANCE_KINDS),
            (Kind::PrometheusAgent, None)
        );
        assert_eq!(
            ok("am main", INSTANCE_KINDS),
            (Kind::Alertmanager, Some("main".to_owned()))
        );
    }

    #[test]
    fn every_kind_round_trips_through_each_spelling() {
        for kind in ALL_KINDS {
            assert_eq!(Kind::from_type(kind.name()), Some(*kind));
            assert_eq!(Kind::from_type(kind.plural()), Some(*kind));
            assert_eq!(Kind::from_type(kind.short_name()), Some(*kind));
        }
    }

    #[test]
    fn rejects_what_the_command_does_not_take() {
        assert!(parse(&words("smon x"), INSTANCE_KINDS).is_err());
        assert!(parse(&words("deployment x"), ALL_KINDS).is_err());
        assert!(parse(&words("smon.apps x"), ALL_KINDS).is_err());
        assert!(parse(&words("smon/x y"), ALL_KINDS).is_err());
        assert!(parse(&words("smon/"), ALL_KINDS).is_err());
        assert!(parse(&words("smon/ns/x"), ALL_KINDS).is_err());
        assert!(parse(&[], ALL_KINDS).is_err());
    }
}
