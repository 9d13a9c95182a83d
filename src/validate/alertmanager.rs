//! The operator's checks of Alertmanager and AlertmanagerConfig objects, for `validate`:
//! the admission webhook's (`ValidateAlertmanagerConfig`), the reconciler's
//! (`checkAlertmanagerConfigResource`, through the Alertmanagers that select a resource) and
//! what makes `provisionAlertmanagerConfiguration` refuse an Alertmanager.

use super::{Check, Violation};
use crate::alertmanager::{self, GenerateError, Outcome, Refusal, check, store::Store};
use crate::monitoring::v1::Alertmanager;
use crate::monitoring::v1alpha1::AlertmanagerConfig;
use crate::snapshot::{Snapshot, name_of, namespace_of};
use crate::version::Version;
use crate::watched::Namespaces;

/// What one Alertmanager decided for one AlertmanagerConfig it matched.
#[derive(Clone, Debug, PartialEq)]
pub struct Decision {
    /// `AlertmanagerConfig namespace/name`.
    pub object: String,
    /// `Alertmanager namespace/name`.
    pub instance: String,
    /// Merged, or the first check it fails.
    pub outcome: Result<(), Violation>,
}

/// What the Alertmanagers of a snapshot decide.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Decisions {
    /// Every AlertmanagerConfig an Alertmanager matched, and whether it passed the checks.
    pub configs: Vec<Decision>,
    /// Alertmanagers whose configuration the operator refuses to generate
    /// (`Alertmanager namespace/name`, why).
    pub refused: Vec<(String, Violation)>,
    /// Alertmanagers without AlertmanagerConfig selection whose base configuration, which the
    /// operator copies as is, Alertmanager refuses to load (`Alertmanager namespace/name`, why).
    pub unloadable: Vec<(String, Violation)>,
    /// Like `unloadable`, for a field the configuration types of the reproduced operator lack:
    /// the Alertmanager loads it when its version knows the field, not when it is misspelt.
    pub unknown_to_reproduced: Vec<(String, Violation)>,
    /// Alertmanagers whose binary stops at start-up on the `--enable-feature` value the
    /// operator passes it (`Alertmanager namespace/name`, why).
    pub unstartable: Vec<(String, Violation)>,
    /// Parts of AlertmanagerConfigs the operator writes unchecked into an Alertmanager's
    /// configuration and that Alertmanager refuses to load.
    pub unloadable_parts: Vec<UnloadablePart>,
}

/// A part of an AlertmanagerConfig that an Alertmanager refuses to load as the operator writes
/// it.
#[derive(Clone, Debug, PartialEq)]
pub struct UnloadablePart {
    /// `AlertmanagerConfig namespace/name`.
    pub object: String,
    /// `Alertmanager namespace/name`.
    pub instance: String,
    /// The Alertmanager version in effect.
    pub version: String,
    /// The field and Alertmanager's reason.
    pub violation: Violation,
}

/// Runs every Alertmanager of `snapshot` as the operator reconciles it, with the namespaces
/// its informers watch.
pub fn alertmanagers(snapshot: &Snapshot, watched: &Namespaces) -> Decisions {
    let mut decisions = Decisions::default();
    for am in &snapshot.alertmanagers {
        let instance = format!(
            "Alertmanager {}/{}",
            namespace_of(&am.metadata),
            name_of(&am.metadata)
        );
        if let Ok(version) = alertmanager::version_in_effect(am)
            && let Some(violation) = alertmanager::loading::refused_features(am, &version)
        {
            decisions.unstartable.push((instance.clone(), violation));
        }
        match alertmanager::provision(snapshot, am, watched) {
            Err(error) => decisions
                .refused
                .push((instance.clone(), refusal(am, &error))),
            // The operator checks none of this; Alertmanager loads it or keeps its old one.
            Ok((generated, selection)) => {
                for refusal in alertmanager::refusals(am, &generated, selection.as_ref()) {
                    match refusal {
                        Refusal::Base(ref error) => {
                            let unknown_field = !refusal.is_certain();
                            let message = format!("{}: {error}", generated.base);
                            let judged = (
                                instance.clone(),
                                Violation::new(Check::Field, config_secret_field(am), message),
                            );
                            if unknown_field {
                                decisions.unknown_to_reproduced.push(judged);
                            } else {
                                decisions.unloadable.push(judged);
                            }
                        }
                        Refusal::Part { config, violation } => {
                            decisions.unloadable_parts.push(UnloadablePart {
                                object: format!("AlertmanagerConfig {config}"),
                                instance: instance.clone(),
                                version: alertmanager::version_text(am).to_owned(),
                                violation,
                            });
                        }
                    }
                }
            }
        }
        let Ok(selection) = alertmanager::select(snapshot, am, watched) else {
            continue;
        };
        for candidate in selection.candidates {
            let outcome = match candidate.outcome {
                Outcome::Selected => Ok(()),
                Outcome::Rejected(violation) => Err(violation),
                _ => continue,
            };
            decisions.configs.push(Decision {
                object: format!("AlertmanagerConfig {}", candidate.key),
                instance: instance.clone(),
                outcome,
            });
        }
    }
    decisions
}

/// An AlertmanagerConfig no Alertmanager selects: the admission webhook's and the reconciler's
/// checks for the operator's default Alertmanager version.
pub fn alertmanager_config(snapshot: &Snapshot, amc: &AlertmanagerConfig) -> Result<(), Violation> {
    let version = Version::parse(crate::version::DEFAULT_ALERTMANAGER_VERSION)
        .map_err(|e| Violation::new(Check::Version, "spec", e.to_string()))?;
    check::alertmanager_config(&Store::new(snapshot), amc, &version)
}

/// What Alertmanager refuses in what the operator writes from `amc` though the operator's
/// checks pass it; fields as the object was written. It is reported for each Alertmanager using
/// it ([`Decisions::unloadable_parts`]); when none of `snapshot` does (`selected` is false and
/// none takes it as `alertmanagerConfiguration`), it is a warning here.
pub fn consumer_warnings(
    snapshot: &Snapshot,
    amc: &AlertmanagerConfig,
    selected: bool,
) -> Vec<Violation> {
    if selected || is_base_configuration(snapshot, amc) {
        return Vec::new();
    }
    (alertmanager::loading::unnamed_time_intervals(amc).into_iter())
        .map(|violation| Violation {
            field: amc.written_as.field_path(&violation.field),
            message: format!(
                "{}; an Alertmanager using this resource keeps its previous configuration, one \
                 starting exits",
                violation.message
            ),
            ..violation
        })
        .collect()
}

/// Whether an Alertmanager of `snapshot` takes `amc` as its `alertmanagerConfiguration` (by
/// name, in its own namespace).
fn is_base_configuration(snapshot: &Snapshot, amc: &AlertmanagerConfig) -> bool {
    snapshot.alertmanagers.iter().any(|am| {
        namespace_of(&am.metadata) == namespace_of(&amc.metadata)
            && (am.spec.alertmanager_configuration.as_ref())
                .and_then(|c| c.name.as_deref())
                .is_some_and(|name| name == name_of(&amc.metadata))
    })
}

/// The field naming the Secret of `am`'s base configuration (none for the default name).
fn config_secret_field(am: &Alertmanager) -> &'static str {
    if am
        .spec
        .config_secret
        .as_deref()
        .is_some_and(|s| !s.is_empty())
    {
        "spec.configSecret"
    } else {
        ""
    }
}

/// The field of the Alertmanager that `error` is about, and the check family.
fn refusal(am: &Alertmanager, error: &GenerateError) -> Violation {
    let (check, field) = match error {
        GenerateError::Version(_) | GenerateError::UnsupportedVersion(_) => {
            (Check::Version, "spec.version")
        }
        GenerateError::Selector { field, .. } => (Check::LabelSelector, *field),
        GenerateError::BaseSecret(_) => (Check::Field, config_secret_field(am)),
        GenerateError::GlobalConfigMissing(_) => {
            (Check::Reference, "spec.alertmanagerConfiguration.name")
        }
        GenerateError::GlobalConfig(_) => (Check::Field, "spec.alertmanagerConfiguration"),
        GenerateError::Generate(_) => (Check::Field, ""),
    };
    Violation::new(check, field, error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const OBJECTS: &str =
        include_str!("../../tests/fixtures/unit/validate_alertmanager_objects.yaml");

    #[test]
    fn a_copied_field_the_reproduced_types_lack_is_not_a_certain_refusal() {
        let text = include_str!("../../tests/fixtures/unit/copied_unknown_field.yaml");
        let (snapshot, _) = crate::snapshot::load("t", text).unwrap();
        let decisions = alertmanagers(&snapshot, &Namespaces::default());
        assert!(
            decisions.unloadable.is_empty(),
            "{:?}",
            decisions.unloadable
        );
        // Each key the reproduced types lack: webhook_url_file, then future_field.
        let [(instance, violation), _] = decisions.unknown_to_reproduced.as_slice() else {
            panic!("{:?}", decisions.unknown_to_reproduced)
        };
        assert_eq!(instance, "Alertmanager monitoring/main");
        assert!(
            violation
                .message
                .contains("field webhook_url_file not found")
        );
        // The unknown key does not hide a certain refusal later in the file.
        let old = text.replace("version: v0.33.1", "version: v0.26.0");
        let (snapshot, _) = crate::snapshot::load("t", &old).unwrap();
        let decisions = alertmanagers(&snapshot, &Namespaces::default());
        assert_eq!(decisions.unknown_to_reproduced.len(), 2);
        let [(_, refused)] = decisions.unloadable.as_slice() else {
            panic!("{:?}", decisions.unloadable)
        };
        assert!(
            refused
                .message
                .ends_with("bad matcher format: app.kubernetes.io/name=\"x\""),
            "{}",
            refused.message
        );
    }

    #[test]
    fn feature_flags_that_stop_alertmanager_are_refusals_of_the_instance() {
        let text = "apiVersion: monitoring.coreos.com/v1\nkind: Alertmanager\n\
                    metadata: {name: main, namespace: monitoring}\n\
                    spec: {version: v0.30.0, enableFeatures: [classic-mode, utf8-strict-mode]}\n";
        let (snapshot, _) = crate::snapshot::load("t", text).unwrap();
        let decisions = alertmanagers(&snapshot, &Namespaces::default());
        let [(instance, violation)] = decisions.unstartable.as_slice() else {
            panic!("{decisions:?}")
        };
        assert_eq!(instance, "Alertmanager monitoring/main");
        assert_eq!(violation.field, "spec.enableFeatures");
    }

    #[test]
    fn matched_configs_and_refused_alertmanagers() {
        let (snapshot, _) = crate::snapshot::load("t", OBJECTS).unwrap();
        let decisions = alertmanagers(&snapshot, &Namespaces::default());
        let outcomes: Vec<(&str, bool)> = decisions
            .configs
            .iter()
            .map(|d| (d.object.as_str(), d.outcome.is_ok()))
            .collect();
        assert_eq!(
            outcomes,
            [
                ("AlertmanagerConfig app/base-receiver", false),
                ("AlertmanagerConfig app/good", true)
            ]
        );
        let refused: Vec<(&str, &str)> = decisions
            .refused
            .iter()
            .map(|(i, v)| (i.as_str(), v.field.as_str()))
            .collect();
        assert_eq!(refused, [("Alertmanager mon/old", "spec.version")]);
        let lone = &snapshot.alertmanager_configs[1];
        let v = alertmanager_config(&snapshot, lone).unwrap_err();
        assert_eq!(v.field, "spec.route.receiver");
    }

    /// Loads one AlertmanagerConfig written as `api_version`.
    fn config(api_version: &str, spec: &str) -> AlertmanagerConfig {
        let text = format!(
            "apiVersion: monitoring.coreos.com/{api_version}\nkind: AlertmanagerConfig\n\
             metadata: {{name: a, namespace: ns}}\nspec: {spec}\n"
        );
        let (snapshot, _) = crate::snapshot::load("t", &text).unwrap();
        snapshot.alertmanager_configs[0].clone()
    }

    #[test]
    fn unnamed_time_intervals_are_named_as_written() {
        let fields = |amc: &AlertmanagerConfig| -> Vec<String> {
            let none = Snapshot::default();
            assert_eq!(consumer_warnings(&none, amc, true), Vec::new());
            (consumer_warnings(&none, amc, false).into_iter())
                .map(|v| v.field)
                .collect()
        };
        let spec = "{timeIntervals: [{name: empty}]}";
        assert_eq!(fields(&config("v1beta1", spec)), ["spec.timeIntervals[0]"]);
        let spec = "{muteTimeIntervals: [{name: empty}]}";
        assert_eq!(
            fields(&config("v1alpha1", spec)),
            ["spec.muteTimeIntervals[0]"]
        );
    }

    /// An Alertmanager's `alertmanagerConfiguration` is used though not selected: the refusal
    /// is that Alertmanager's ([`Decisions::unloadable_parts`]), not a warning as well.
    #[test]
    fn unnamed_time_intervals_of_a_base_configuration_are_the_alertmanagers_refusal() {
        let text = "apiVersion: monitoring.coreos.com/v1\nkind: Alertmanager\n\
                    metadata: {name: main, namespace: ns}\n\
                    spec: {alertmanagerConfiguration: {name: a}}\n---\n\
                    apiVersion: monitoring.coreos.com/v1alpha1\nkind: AlertmanagerConfig\n\
                    metadata: {name: a, namespace: ns}\n\
                    spec: {route: {receiver: r}, receivers: [{name: r}], \
                    muteTimeIntervals: [{name: empty}]}\n";
        let (snapshot, _) = crate::snapshot::load("t", text).unwrap();
        let amc = &snapshot.alertmanager_configs[0];
        assert_eq!(consumer_warnings(&snapshot, amc, false), Vec::new());
        let decisions = alertmanagers(&snapshot, &Namespaces::default());
        let [part] = decisions.unloadable_parts.as_slice() else {
            panic!("{decisions:?}")
        };
        assert_eq!(
            (part.object.as_str(), part.violation.field.as_str()),
            ("AlertmanagerConfig ns/a", "spec.muteTimeIntervals[0]")
        );
    }
}
