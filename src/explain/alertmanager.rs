//! Why an AlertmanagerConfig is (not) merged into an Alertmanager's configuration, and what it
//! becomes there. Mirrors the operator's `selectAlertmanagerConfigs` and
//! `checkAlertmanagerConfigResource` (the verdicts) and `ConfigBuilder.AddAlertmanagerConfigs`
//! with its namespace enforcers and `continueToNextRoute` (the changes marked).

use serde::Serialize;

use super::fields;
use super::verdicts::{SelectorFields, exclusion_reasons, selector_reasons};
use super::{Labels, Note, ObjectRef, Reason, ReasonCode, Status, Summary, Verdict};
use crate::alertmanager::generate::MatcherStrategy;
use crate::alertmanager::{self, Configuration, GenerateError, Outcome, Refusal};
use crate::monitoring::v1::Alertmanager;
use crate::monitoring::v1alpha1::AlertmanagerConfig;
use crate::operator::OperatorOptions;
use crate::snapshot::{FindError, Snapshot, key_of, name_of, namespace_of};
use crate::yaml::{Map, Yaml};

/// Why an Alertmanager-side explanation cannot be given.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum AlertmanagerExplainError {
    /// The object is not in the input, or not only once.
    #[error(transparent)]
    Find(#[from] FindError),
    /// The Alertmanager's version or selectors are invalid.
    #[error(transparent)]
    Generate(#[from] GenerateError),
}

/// The answer for one Alertmanager: every AlertmanagerConfig, selected or not and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AlertmanagerExplanation {
    /// The `Alertmanager`.
    #[serde(flatten)]
    pub object: ObjectRef,
    /// The Alertmanager version the checks ran for.
    pub version: String,
    /// `spec.alertmanagerConfigMatcherStrategy.type` in effect.
    pub matcher_strategy: String,
    /// Where the base configuration comes from.
    pub base: String,
    /// Notes about the instance as a whole.
    pub notes: Vec<Note>,
    /// Counts per status.
    pub summary: Summary,
    /// Every AlertmanagerConfig, in `namespace/name` order.
    pub resources: Vec<Verdict>,
}

fn strategy_name(am: &Alertmanager) -> String {
    am.spec
        .alertmanager_config_matcher_strategy
        .as_ref()
        .and_then(|s| s.type_.clone())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "OnNamespace".to_owned())
}

/// A remedy for the operator's failing check on `field` of `object`.
fn remedy(message: &str, object: &str, field: &str) -> String {
    // The route's own references (upstream validateRoute): the route may be nested, so the
    // message may start with its `route[i]: ` path.
    let own = message.rsplit(": ").next().unwrap_or(message);
    if own.starts_with("receiver ") && own.ends_with("not found") {
        "an AlertmanagerConfig only sees its own spec.receivers (the base configuration's \
         receivers are invisible to it): define the receiver in this resource"
            .to_owned()
    } else if (own.starts_with("mute time interval ") || own.starts_with("time interval "))
        && own.ends_with("not found")
    {
        "an AlertmanagerConfig only sees its own spec.muteTimeIntervals (the base \
         configuration's time intervals are invisible to it): define the time interval in this \
         resource"
            .to_owned()
    } else if message.contains("not found") {
        "create the missing object or key in the AlertmanagerConfig's namespace".to_owned()
    } else if message.contains("version") {
        "raise the Alertmanager's spec.version or drop the field".to_owned()
    } else {
        format!(
            "correct {field} of {object}: the operator leaves the whole resource out until it \
             passes"
        )
    }
}

/// The verdict on `candidate` for `am`.
pub(crate) fn verdict(
    snapshot: &Snapshot,
    options: &OperatorOptions,
    am: &Alertmanager,
    candidate: &alertmanager::Candidate<'_>,
) -> Verdict {
    let amc = candidate.resource;
    let namespace = namespace_of(&amc.metadata);
    let object = ObjectRef::new("AlertmanagerConfig", namespace, name_of(&amc.metadata));
    let object_name = format!("AlertmanagerConfig {namespace}/{}", object.name);
    let instance = format!(
        "Alertmanager {}/{}",
        namespace_of(&am.metadata),
        name_of(&am.metadata)
    );
    let fields = SelectorFields {
        instance_kind: "Alertmanager",
        instance: &instance,
        instance_namespace: namespace_of(&am.metadata),
        kind: "AlertmanagerConfig",
        label: am.spec.alertmanager_config_selector.as_ref(),
        label_field: "spec.alertmanagerConfigSelector",
        namespace: am.spec.alertmanager_config_namespace_selector.as_ref(),
        namespace_field: "spec.alertmanagerConfigNamespaceSelector",
    };
    let labels: Labels = amc.metadata.labels.clone().unwrap_or_default();
    let subject = (object_name.as_str(), namespace, &labels);
    let (status, reasons) = match &candidate.outcome {
        Outcome::Selected => (Status::Selected, Vec::new()),
        Outcome::BaseConfiguration => (
            Status::Selected,
            vec![Reason::new(
                ReasonCode::LabelSelector,
                instance.as_str(),
                "spec.alertmanagerConfiguration.name",
                object.name.clone().into(),
                "named by spec.alertmanagerConfiguration: it is the base configuration itself \
                 (its receiver and time interval names are prefixed with namespace/name/ as \
                 every resource's are; no namespace matcher, no forced continue)",
                "",
            )],
        ),
        Outcome::NotSelected(exclusion) => (
            Status::NotSelected,
            exclusion_reasons((snapshot, options), &fields, subject, exclusion),
        ),
        // The flag the selection named (this kind's own allow list before --namespaces).
        &Outcome::NotWatched(flag) => (
            Status::NotSelected,
            selector_reasons((snapshot, options), &fields, subject, Some(flag)),
        ),
        Outcome::Rejected(violation) => {
            let json = amc.written_json();
            let reason = Reason::new(
                ReasonCode::Validation,
                object_name.as_str(),
                violation.field.clone(),
                fields::value_at(&json, &violation.field),
                format!(
                    "rejected by the operator's {} check: {}",
                    violation.check, violation.message
                ),
                remedy(&violation.message, &object_name, &violation.field),
            );
            (
                Status::Rejected,
                vec![Reason {
                    check: Some(violation.check.to_string()),
                    ..reason
                }],
            )
        }
    };
    Verdict {
        object,
        status,
        reasons,
        operator_conditions: Vec::new(),
    }
}

/// Explains which AlertmanagerConfigs `am` merges into its configuration, and why the others
/// are left out.
pub fn explain_alertmanager(
    snapshot: &Snapshot,
    am: &Alertmanager,
    options: &OperatorOptions,
) -> Result<AlertmanagerExplanation, AlertmanagerExplainError> {
    // The operator's reconciliation selects, then generates; what Alertmanager refuses to load
    // is read from what it generates. Its selection serves the listing, so it runs once.
    let (generated, selection) = match alertmanager::provision(snapshot, am, &options.namespaces) {
        Ok((generated, Some(selection))) => (Ok(generated), selection),
        Ok((generated, None)) => (
            Ok(generated),
            alertmanager::select(snapshot, am, &options.namespaces)?,
        ),
        Err(e) => (
            Err(e.to_string()),
            alertmanager::select(snapshot, am, &options.namespaces)?,
        ),
    };
    let mut resources: Vec<Verdict> = selection
        .candidates
        .iter()
        .map(|c| verdict(snapshot, options, am, c))
        .collect();
    let mut notes = Vec::new();
    if let Err(e) = &generated {
        // Upstream's provisionAlertmanagerConfiguration returns the error: the reconciliation
        // stops before writing the configuration Secret, so no resource takes effect.
        notes.push(generate_failed_note(e));
        let instance = format!("Alertmanager {}", key_of(&am.metadata));
        for r in resources
            .iter_mut()
            .filter(|r| r.status == Status::Selected)
        {
            r.reasons.push(Reason::new(
                ReasonCode::Validation,
                instance.as_str(),
                "",
                serde_json::Value::Null,
                "selected, but the configuration cannot be generated: the operator writes \
                 nothing, so this resource does not take effect",
                "correct the error the note above names",
            ));
        }
    }
    let mut summary = Summary::default();
    for r in &resources {
        match r.status {
            Status::Selected => summary.selected += 1,
            Status::NotSelected => summary.not_selected += 1,
            Status::Rejected => summary.rejected += 1,
        }
    }
    let managed = am.spec.alertmanager_config_selector.is_some()
        || am.spec.alertmanager_configuration.is_some();
    let secret = crate::alertmanager::config_secret_name(
        am.spec.config_secret.as_deref(),
        name_of(&am.metadata),
    );
    let base = match am
        .spec
        .alertmanager_configuration
        .as_ref()
        .and_then(|c| c.name.as_deref())
    {
        Some(name) => format!("AlertmanagerConfig {}/{name}", namespace_of(&am.metadata)),
        None => format!(
            "Secret {}/{secret} (key alertmanager.yaml)",
            namespace_of(&am.metadata)
        ),
    };
    if !managed {
        notes.push(Note {
            code: "unmanaged".to_owned(),
            message: format!(
                "spec.alertmanagerConfigSelector and spec.alertmanagerConfiguration are nil: the \
                 operator copies {base} verbatim and merges no AlertmanagerConfig; set \
                 alertmanagerConfigSelector (e.g. to {{}}) to merge them"
            ),
        });
    }
    if am.spec.alertmanager_config_namespace_selector.is_none() {
        notes.push(Note {
            code: "own-namespace".to_owned(),
            message: format!(
                "spec.alertmanagerConfigNamespaceSelector is nil: only namespace {:?} is searched \
                 ({{}} searches every namespace)",
                namespace_of(&am.metadata)
            ),
        });
    }
    if let Ok(version) = alertmanager::version_in_effect(am)
        && let Some(refused) = alertmanager::loading::refused_features(am, &version)
    {
        notes.push(Note {
            code: "unstartable".to_owned(),
            message: format!(
                "{}: Alertmanager {} exits at start-up on the --enable-feature value the operator \
                 passes it ({})",
                refused.field,
                alertmanager::version_text(am),
                refused.message
            ),
        });
    }
    if let Ok(generated) = &generated {
        notes.extend(unloadable_notes(am, generated, Some(&selection)));
    }
    if options.source.is_none() {
        notes.push(Note {
            code: "no-operator".to_owned(),
            message: "the operator's Deployment is not in the input: its --namespaces, \
                      --deny-namespaces and --alertmanager-config-namespaces are not checked"
                .to_owned(),
        });
    }
    if let Some(message) = options.skips_instance("Alertmanager", &am.metadata, am.spec.paused) {
        notes.push(Note {
            code: "not-reconciled".to_owned(),
            message,
        });
    }
    Ok(AlertmanagerExplanation {
        object: ObjectRef::new(
            "Alertmanager",
            namespace_of(&am.metadata),
            name_of(&am.metadata),
        ),
        version: selection.version.to_string(),
        matcher_strategy: strategy_name(am),
        base,
        notes,
        summary,
        resources,
    })
}

/// The note that the operator cannot generate the configuration, for `error`.
fn generate_failed_note(error: &str) -> Note {
    Note {
        code: "generate-failed".to_owned(),
        message: format!(
            "the configuration cannot be generated: {error}; the operator stops reconciling \
             this Alertmanager and writes no configuration, so no AlertmanagerConfig takes \
             effect (a running Alertmanager keeps its previous configuration)"
        ),
    }
}

/// What Alertmanager `am` refuses to load in `generated` (from `selection`), as notes.
pub(crate) fn unloadable_notes(
    am: &Alertmanager,
    generated: &alertmanager::Generated,
    selection: Option<&alertmanager::Selection<'_>>,
) -> Vec<Note> {
    alertmanager::refusals(am, generated, selection)
        .into_iter()
        .filter(Refusal::is_certain)
        .map(|refusal| {
            let what = match refusal {
                Refusal::Base(error) => format!("{}: {error}", generated.base),
                Refusal::Part { config, violation } => format!(
                    "AlertmanagerConfig {config} {}: {}",
                    violation.field, violation.message
                ),
            };
            unloadable_note(am, &what)
        })
        .collect()
}

/// The note that Alertmanager `am` refuses `what` in the file the operator writes for it.
fn unloadable_note(am: &Alertmanager, what: &str) -> Note {
    Note {
        code: "unloadable".to_owned(),
        message: format!(
            "Alertmanager {} refuses to load the configuration the operator writes, which the \
             operator does not check: {what}; a running Alertmanager keeps its previous \
             configuration, one starting exits",
            alertmanager::version_text(am)
        ),
    }
}

/// One change the operator makes to a part of an AlertmanagerConfig.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Change {
    /// `prefixed-name`, `namespace-matcher`, `no-namespace-matcher`, `matcher-overridden`,
    /// `forced-continue`.
    pub code: String,
    /// A sentence for people.
    pub message: String,
}

fn change(code: &str, message: String) -> Change {
    Change {
        code: code.to_owned(),
        message,
    }
}

/// One part of the AlertmanagerConfig as it stands in the generated configuration.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GeneratedPart {
    /// Where it comes from in the resource (`spec.route`, `spec.receivers[0]`).
    pub source: String,
    /// Where it lands (`route.routes[0]`, `receivers[2]`).
    pub path: String,
    /// The generated YAML.
    pub yaml: String,
    /// What the operator changed.
    pub changes: Vec<Change>,
}

/// The answer for one AlertmanagerConfig.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AlertmanagerConfigExplanation {
    /// The `AlertmanagerConfig`.
    #[serde(flatten)]
    pub object: ObjectRef,
    /// Every Alertmanager, with whether it takes this resource and why not.
    pub instances: Vec<Verdict>,
    /// The Alertmanager whose generated configuration the parts come from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub generated_for: Option<String>,
    /// Whether no Alertmanager takes the resource, so the parts show what it *would* become.
    pub hypothetical: bool,
    /// The strategy of that Alertmanager.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matcher_strategy: Option<String>,
    /// The top-level route (and its subtree).
    pub routes: Vec<GeneratedPart>,
    /// The receivers.
    pub receivers: Vec<GeneratedPart>,
    /// The inhibit rules.
    pub inhibit_rules: Vec<GeneratedPart>,
    /// The time intervals.
    pub time_intervals: Vec<GeneratedPart>,
    /// Notes.
    pub notes: Vec<Note>,
}

/// Explains which Alertmanagers take the AlertmanagerConfig `namespace/name` and what it becomes
/// in the generated configuration of the Alertmanager named `shown_for` (`namespace/name` or
/// `name`), else of the first one that takes it (or of the first Alertmanager,
/// hypothetically).
pub fn explain_alertmanager_config(
    snapshot: &Snapshot,
    namespace: Option<&str>,
    name: &str,
    shown_for: Option<&str>,
    options: &OperatorOptions,
) -> Result<AlertmanagerConfigExplanation, AlertmanagerExplainError> {
    let amc = crate::snapshot::find_named(&snapshot.alertmanager_configs, namespace, name)?;
    let key = key_of(&amc.metadata);
    let mut alertmanagers: Vec<&Alertmanager> = snapshot.alertmanagers.iter().collect();
    alertmanagers.sort_by_key(|a| key_of(&a.metadata));
    let mut instances = Vec::new();
    let mut notes = Vec::new();
    let mut chosen: Option<(&Alertmanager, Vec<&AlertmanagerConfig>, bool)> = None;
    let wanted = |am: &Alertmanager| {
        shown_for.is_none_or(|w| w == name_of(&am.metadata) || w == key_of(&am.metadata))
    };
    for am in &alertmanagers {
        let selection = match alertmanager::select(snapshot, am, &options.namespaces) {
            Ok(s) => s,
            Err(e) => {
                notes.push(Note {
                    code: "invalid-instance".to_owned(),
                    message: format!(
                        "Alertmanager {}/{}: {e}",
                        namespace_of(&am.metadata),
                        name_of(&am.metadata)
                    ),
                });
                continue;
            }
        };
        let Some(candidate) = selection.candidates.iter().find(|c| c.key == key) else {
            continue;
        };
        let mut v = verdict(snapshot, options, am, candidate);
        v.object = ObjectRef::new(
            "Alertmanager",
            namespace_of(&am.metadata),
            name_of(&am.metadata),
        );
        let takes = candidate.outcome == Outcome::Selected;
        if takes
            && let Some(why) = options.skips_instance("Alertmanager", &am.metadata, am.spec.paused)
        {
            notes.push(Note {
                code: "not-reconciled".to_owned(),
                message: format!(
                    "Alertmanager {}/{} selects it, but {why}: it reaches no configuration \
                     through it",
                    namespace_of(&am.metadata),
                    name_of(&am.metadata)
                ),
            });
        }
        if !wanted(am) {
            instances.push(v);
            continue;
        }
        if takes && chosen.as_ref().is_none_or(|c| c.2) {
            chosen = Some((am, selection.selected(), false));
        } else if chosen.is_none()
            && !matches!(
                candidate.outcome,
                Outcome::Rejected(_) | Outcome::BaseConfiguration
            )
        {
            let mut selected = selection.selected();
            selected.push(amc);
            chosen = Some((am, selected, true));
        }
        instances.push(v);
    }
    let mut explanation = AlertmanagerConfigExplanation {
        object: ObjectRef::new(
            "AlertmanagerConfig",
            namespace_of(&amc.metadata),
            name_of(&amc.metadata),
        ),
        instances,
        generated_for: None,
        hypothetical: false,
        matcher_strategy: None,
        routes: Vec::new(),
        receivers: Vec::new(),
        inhibit_rules: Vec::new(),
        time_intervals: Vec::new(),
        notes,
    };
    let Some((am, selected, hypothetical)) = chosen else {
        explanation.notes.push(Note {
            code: "no-instance".to_owned(),
            message: match shown_for {
                Some(w) => format!(
                    "Alertmanager {w} is not in the input, or rejects this resource: its \
                     generated form cannot be shown"
                ),
                None if explanation
                    .instances
                    .iter()
                    .any(|v| v.status == Status::Rejected) =>
                {
                    "the Alertmanagers that would take this resource reject it (the reasons \
                     below): its generated form cannot be shown"
                        .to_owned()
                }
                None => "no Alertmanager in the input takes or could take this resource: its \
                         generated form cannot be shown"
                    .to_owned(),
            },
        });
        return Ok(explanation);
    };
    explanation.generated_for = Some(format!(
        "Alertmanager {}/{}",
        namespace_of(&am.metadata),
        name_of(&am.metadata)
    ));
    explanation.hypothetical = hypothetical;
    explanation.matcher_strategy = Some(strategy_name(am));
    if amc.spec.route.is_none() {
        // Upstream's generator adds a resource's inhibit rules, then skips the rest of a
        // resource without a route.
        explanation.notes.push(Note {
            code: "no-route".to_owned(),
            message: "spec.route is not set: the operator merges only the resource's inhibit \
                      rules and leaves out its receivers and time intervals, so nothing routes \
                      to them"
                .to_owned(),
        });
    }
    if hypothetical {
        explanation.notes.push(Note {
            code: "hypothetical".to_owned(),
            message: format!(
                "{} this resource: shown as it would stand in the configuration of \
                 Alertmanager {}/{} if it were selected",
                if shown_for.is_some() {
                    "this Alertmanager does not take"
                } else {
                    "no Alertmanager takes"
                },
                namespace_of(&am.metadata),
                name_of(&am.metadata)
            ),
        });
    }
    match alertmanager::generate(snapshot, am, &selected) {
        Ok(generated) => match &generated.configuration {
            Configuration::Generated(tree) => {
                // Explanations are shown and pasted into tickets: credentials stay hidden.
                let mut shown = tree.clone();
                alertmanager::redact(&mut shown);
                locate(&mut explanation, &shown, am, amc, &selected);
                // Only what the operator does write: a hypothetical part is not loaded.
                if let Ok(version) = alertmanager::version_in_effect(am)
                    && !hypothetical
                {
                    let mode = alertmanager::matcher_parse_mode(am, &version);
                    // Explained as a selected resource, not as `alertmanagerConfiguration`.
                    let as_base = false;
                    if let Some(violation) =
                        alertmanager::loading::refused_written(amc, tree, as_base, &version, mode)
                    {
                        let field = amc.written_as.field_path(&violation.field);
                        let what = format!("{field}: {}", violation.message);
                        explanation.notes.push(unloadable_note(am, &what));
                    }
                }
            }
            Configuration::Verbatim(_) => {}
        },
        Err(e) => explanation.notes.push(generate_failed_note(&e.to_string())),
    }
    Ok(explanation)
}

fn seq<'a>(map: &'a Map, key: &str) -> &'a [Yaml] {
    map.get(key).and_then(Yaml::as_seq).unwrap_or_default()
}

/// The entries of the list at `key` whose `name` the operator prefixed with `prefix`: their
/// position, the entry, the generated name and the name as the resource wrote it.
fn prefixed<'a>(
    map: &'a Map,
    key: &str,
    prefix: &'a str,
) -> impl Iterator<Item = (usize, &'a Yaml, &'a str, &'a str)> {
    seq(map, key)
        .iter()
        .enumerate()
        .filter_map(move |(i, value)| {
            let generated = value.as_map()?.get("name")?.as_str()?;
            let original = generated.strip_prefix(prefix)?;
            Some((i, value, generated, original))
        })
}

fn snippet(value: &Yaml) -> String {
    crate::yaml::emit(value)
}

/// Finds the resource's parts in the generated tree and marks the operator's changes.
fn locate(
    out: &mut AlertmanagerConfigExplanation,
    tree: &Yaml,
    am: &Alertmanager,
    amc: &AlertmanagerConfig,
    selected: &[&AlertmanagerConfig],
) {
    let Some(root) = tree.as_map() else { return };
    let (ns, name) = (namespace_of(&amc.metadata), name_of(&amc.metadata));
    let prefix = format!("{ns}/{name}/");
    let strategy = MatcherStrategy::of_alertmanager(am);
    let enforced = strategy.enforces(ns);
    let strategy_text = strategy_name(am);
    let mut ordered: Vec<&AlertmanagerConfig> = selected.to_vec();
    ordered.sort_by_key(|c| key_of(&c.metadata));
    ordered.dedup_by_key(|c| key_of(&c.metadata));
    let position = ordered
        .iter()
        .position(|c| namespace_of(&c.metadata) == ns && name_of(&c.metadata) == name);

    // Routes: the selected resources' top-level routes come first, in key order.
    if let (Some(route), Some(position)) = (&amc.spec.route, position) {
        let index = ordered
            .iter()
            .take(position)
            .filter(|c| c.spec.route.is_some())
            .count();
        let routes = root
            .get("route")
            .and_then(Yaml::as_map)
            .map(|r| seq(r, "routes"))
            .unwrap_or_default();
        if let Some(generated) = routes.get(index) {
            let mut changes = Vec::new();
            if !route.receiver.is_empty() {
                changes.push(change(
                    "prefixed-name",
                    format!(
                        "receiver {:?} renamed {:?} (every name is prefixed with namespace/name/)",
                        route.receiver,
                        format!("{prefix}{}", route.receiver)
                    ),
                ));
            }
            let injected = format!("namespace=\"{ns}\"");
            if enforced {
                changes.push(change(
                    "namespace-matcher",
                    format!(
                        "matcher {injected} added (alertmanagerConfigMatcherStrategy \
                         {strategy_text}): only alerts carrying namespace={ns:?} reach this route"
                    ),
                ));
                for m in route.matchers.iter().filter(|m| m.name == "namespace") {
                    let op = m
                        .match_type
                        .clone()
                        .filter(|t| !t.is_empty())
                        .unwrap_or_else(|| if m.regex { "=~" } else { "=" }.to_owned());
                    changes.push(change(
                        "matcher-overridden",
                        format!(
                            "your matcher namespace{op}{:?} is overridden: it must hold together \
                             with the injected {injected}, so alerts from other namespaces never \
                             match (use alertmanagerConfigMatcherStrategy None, or an \
                             AlertmanagerConfig in the alerts' namespace)",
                            m.value
                        ),
                    ));
                }
            } else {
                changes.push(change(
                    "no-namespace-matcher",
                    format!(
                        "no namespace matcher added (alertmanagerConfigMatcherStrategy \
                         {strategy_text}): alerts from every namespace can match"
                    ),
                ));
            }
            if !route.continue_ {
                changes.push(change(
                    "forced-continue",
                    "continue forced to true: the routes after this one (other \
                     AlertmanagerConfigs' and the base configuration's) are tried too, so an \
                     alert can reach several receivers"
                        .to_owned(),
                ));
            }
            out.routes.push(GeneratedPart {
                source: "spec.route".to_owned(),
                path: format!("route.routes[{index}]"),
                yaml: snippet(generated),
                changes,
            });
        }
    }

    for (i, value, generated_name, original) in prefixed(root, "receivers", &prefix) {
        let source = amc
            .spec
            .receivers
            .iter()
            .position(|r| r.name == original)
            .map_or_else(
                || "spec.receivers".to_owned(),
                |p| format!("spec.receivers[{p}]"),
            );
        out.receivers.push(GeneratedPart {
            source,
            path: format!("receivers[{i}]"),
            yaml: snippet(value),
            changes: vec![change(
                "prefixed-name",
                format!("receiver {original:?} renamed {generated_name:?}"),
            )],
        });
    }

    for key in ["mute_time_intervals", "time_intervals"] {
        for (i, value, generated_name, original) in prefixed(root, key, &prefix) {
            let source = amc
                .spec
                .mute_time_intervals
                .iter()
                .position(|t| t.name.as_deref() == Some(original))
                .map_or_else(
                    || "spec.muteTimeIntervals".to_owned(),
                    |p| format!("spec.muteTimeIntervals[{p}]"),
                );
            out.time_intervals.push(GeneratedPart {
                source: amc.written_as.field_path(&source),
                path: format!("{key}[{i}]"),
                yaml: snippet(value),
                changes: vec![change(
                    "prefixed-name",
                    format!(
                        "time interval {original:?} renamed {generated_name:?} (routes refer to \
                         it by the new name)"
                    ),
                )],
            });
        }
    }

    // Inhibit rules: the base configuration's first, then each resource's in key order.
    if let Some(position) = position {
        let rules = seq(root, "inhibit_rules");
        let from_resources: usize = ordered.iter().map(|c| c.spec.inhibit_rules.len()).sum();
        let before: usize = ordered
            .iter()
            .take(position)
            .map(|c| c.spec.inhibit_rules.len())
            .sum();
        let base_count = rules.len().saturating_sub(from_resources);
        for (j, _) in amc.spec.inhibit_rules.iter().enumerate() {
            let index = base_count + before + j;
            let Some(value) = rules.get(index) else {
                continue;
            };
            let changes = if enforced {
                vec![change(
                    "namespace-matcher",
                    format!(
                        "matcher namespace=\"{ns}\" added to the source and target matchers \
                         (alertmanagerConfigMatcherStrategy {strategy_text}): the rule only \
                         mutes alerts of namespace {ns:?} by alerts of the same namespace"
                    ),
                )]
            } else {
                Vec::new()
            };
            out.inhibit_rules.push(GeneratedPart {
                source: format!("spec.inhibitRules[{j}]"),
                path: format!("inhibit_rules[{index}]"),
                yaml: snippet(value),
                changes,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_resource_no_alertmanager_takes_is_shown_hypothetically_in_plain_words() {
        let snapshot = crate::snapshot::load(
            "t.yaml",
            "apiVersion: monitoring.coreos.com/v1\nkind: Alertmanager\nmetadata: {name: main, namespace: mon}\nspec: {version: v0.28.1, alertmanagerConfigSelector: {matchLabels: {a: b}}}\n---\napiVersion: monitoring.coreos.com/v1alpha1\nkind: AlertmanagerConfig\nmetadata: {name: x, namespace: mon}\nspec: {route: {receiver: r}, receivers: [{name: r}]}\n",
        )
        .unwrap()
        .0;
        let options = OperatorOptions::default();
        let note = |shown_for| {
            let e = explain_alertmanager_config(&snapshot, Some("mon"), "x", shown_for, &options)
                .unwrap();
            let note = e.notes.iter().find(|n| n.code == "hypothetical").cloned();
            note.unwrap().message
        };
        assert!(note(None).starts_with("no Alertmanager takes this resource: "));
        assert!(note(Some("main")).starts_with("this Alertmanager does not take this resource"));
    }

    #[test]
    fn references_inside_the_resource_are_fixed_in_its_own_lists() {
        let fix = |message| remedy(message, "AlertmanagerConfig shop/x", "spec.route");
        for message in [
            "receiver \"slack\" not found",
            "route[0]: receiver \"slack\" not found",
        ] {
            assert!(fix(message).contains("own spec.receivers"), "{message}");
        }
        for message in [
            "mute time interval \"weekends\" not found",
            "route[1]: time interval \"office\" not found",
        ] {
            assert!(
                fix(message).contains("own spec.muteTimeIntervals"),
                "{message}"
            );
        }
        assert!(
            fix("unable to get secret \"hooks\": secrets \"hooks\" not found")
                .contains("create the missing object or key")
        );
    }

    const FIXTURE: &str = include_str!("../../tests/fixtures/alert_path/cluster.yaml");

    fn snapshot() -> Snapshot {
        crate::snapshot::load("fixture", FIXTURE).unwrap().0
    }

    fn am<'s>(snap: &'s Snapshot, name: &str) -> &'s Alertmanager {
        snap.alertmanagers
            .iter()
            .find(|a| name_of(&a.metadata) == name)
            .unwrap()
    }

    #[test]
    fn verdicts_name_the_selector_and_the_remedy() {
        let snap = snapshot();
        let options = OperatorOptions::default();
        let main = explain_alertmanager(&snap, am(&snap, "main"), &options).unwrap();
        let rejected = main
            .resources
            .iter()
            .find(|r| r.object.name == "uses-base")
            .unwrap();
        assert_eq!(rejected.status, Status::Rejected);
        let reason = &rejected.reasons[0];
        assert!(
            reason.remedy.contains("its own spec.receivers"),
            "{reason:?}"
        );
        assert_eq!(reason.object, "AlertmanagerConfig shop/uses-base");
        assert_eq!(reason.check.as_deref(), Some("field"));
        let nil = explain_alertmanager(&snap, am(&snap, "nil-selector"), &options).unwrap();
        assert!(
            nil.resources
                .iter()
                .all(|r| r.reasons[0].code == ReasonCode::NoSelector)
        );
        assert_eq!(nil.notes[0].code, "unmanaged");
    }

    #[test]
    fn generated_parts_mark_the_operator_changes() {
        let snap = snapshot();
        let options = OperatorOptions::default();
        let e =
            explain_alertmanager_config(&snap, Some("team-a"), "override", Some("main"), &options)
                .unwrap();
        assert!(!e.hypothetical);
        let codes: Vec<&str> = e.routes[0]
            .changes
            .iter()
            .map(|c| c.code.as_str())
            .collect();
        assert_eq!(
            codes,
            [
                "prefixed-name",
                "namespace-matcher",
                "matcher-overridden",
                "forced-continue"
            ]
        );
        assert!(
            e.receivers[0].yaml.contains("<secret>"),
            "{}",
            e.receivers[0].yaml
        );
        assert!(!e.receivers[0].yaml.contains("hooks.example.com"));
        let hypothetical = explain_alertmanager_config(
            &snap,
            Some("shop"),
            "shop-team",
            Some("empty-selector"),
            &options,
        )
        .unwrap();
        assert!(hypothetical.hypothetical);
        assert_eq!(hypothetical.routes[0].path, "route.routes[1]");
        assert_eq!(hypothetical.notes[0].code, "hypothetical");
    }
}
