//! The operator's Alertmanager library (upstream `pkg/alertmanager`): which AlertmanagerConfig
//! resources an Alertmanager selects and which it rejects ([`select`]), the base
//! configuration and the `alertmanager.yaml` generated from it ([`provision`], [`generate`]),
//! the per-version sanitizer ([`sanitize`]), loading of a user's file ([`load_base`]), what
//! the Alertmanager binary refuses in what the operator writes ([`refusals`]), and
//! Alertmanager's own idea of which values are secrets ([`redact`]).
//!
//! Upstream files: `operator.go` (selection, checks, provisioning), `amcfg.go` (conversion,
//! sanitizer), `types.go` (the configuration structs, here [`schema`]), `validation/`.

pub mod base;
pub mod check;
pub mod duration;
pub mod generate;
pub mod loading;
pub mod sanitize;
pub mod schema;
pub mod store;
pub mod template;
pub mod timeinterval;
pub mod url;
pub mod validation;

use std::collections::{BTreeMap, BTreeSet};

pub use base::{LoadError, load_base, load_base_in_mode};
pub use loading::{Refusal, matcher_parse_mode, refusals};
pub use sanitize::{SanitizeError, Warning, sanitize};
pub use schema::redact;

use crate::monitoring::v1::Alertmanager;
use crate::monitoring::v1alpha1::AlertmanagerConfig;
use crate::select::{Exclusion, Selector, SelectorError};
use crate::select::{NamespaceLabels, label_exclusion, namespace_exclusion};
use crate::snapshot::{Snapshot, key_of, name_of, namespace_of};
use crate::validate::Violation;
use crate::version::Version;
use crate::version::VersionError;
use crate::watched::Namespaces;
use crate::yaml::{Map, Yaml};
use generate::{Converter, MatcherStrategy, Resource, take_list};
use store::Store;

/// The key of the configuration in the user's Secret.
pub const CONFIG_KEY: &str = "alertmanager.yaml";

/// The key of the gzipped configuration in the generated Secret.
pub const COMPRESSED_CONFIG_KEY: &str = "alertmanager.yaml.gz";

/// Where the operator mounts `spec.alertmanagerConfiguration.templates`.
pub const TEMPLATES_DIR: &str = "/etc/alertmanager/templates";

/// The base configuration used when the user's Secret or its key is missing or empty
/// (`defaultAlertmanagerConfiguration`).
pub const DEFAULT_CONFIGURATION: &str = "route:\n  receiver: 'null'\nreceivers:\n- name: 'null'";

/// Why nothing can be produced for an Alertmanager.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum GenerateError {
    /// `spec.version` does not parse.
    #[error("failed to parse alertmanager version: {0}")]
    Version(VersionError),
    /// A version the operator does not support.
    #[error("unsupported Alertmanager version {0:?}")]
    UnsupportedVersion(String),
    /// A selector of the Alertmanager is invalid.
    #[error("failed to select AlertmanagerConfig objects: {field}: {error}")]
    Selector {
        /// The Alertmanager field.
        field: &'static str,
        /// What is wrong with it.
        error: SelectorError,
    },
    /// The user's `alertmanager.yaml` is refused.
    #[error("failed to initialize from secret: {0}")]
    BaseSecret(LoadError),
    /// The AlertmanagerConfig named by `spec.alertmanagerConfiguration` is missing.
    #[error("failed to get global AlertmanagerConfig: alertmanagerconfigs {0:?} not found")]
    GlobalConfigMissing(String),
    /// The AlertmanagerConfig named by `spec.alertmanagerConfiguration` is refused.
    #[error("failed to initialize from global AlertmanagerConfig: {0}")]
    GlobalConfig(String),
    /// A selected AlertmanagerConfig cannot be converted, or the result is refused.
    #[error("failed to generate Alertmanager configuration: {0}")]
    Generate(String),
}

/// What selection decided for one AlertmanagerConfig.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// Selected and valid: merged into the configuration.
    Selected,
    /// Not matched by the Alertmanager's selectors.
    NotSelected(Exclusion),
    /// In a namespace the operator does not watch: the flag that hides it
    /// (`--namespaces`, `--alertmanager-config-namespaces` or `--deny-namespaces`).
    NotWatched(&'static str),
    /// The AlertmanagerConfig named by `spec.alertmanagerConfiguration`: it is the base
    /// configuration, never selected.
    BaseConfiguration,
    /// Matched, but the operator drops it: the first check it fails.
    Rejected(Violation),
}

/// One AlertmanagerConfig considered for selection.
#[derive(Clone, Debug)]
pub struct Candidate<'a> {
    /// `namespace/name`.
    pub key: String,
    /// The resource.
    pub resource: &'a AlertmanagerConfig,
    /// What selection decided.
    pub outcome: Outcome,
}

/// Every AlertmanagerConfig of the snapshot, in ascending `namespace/name` order, with what
/// selection decided for it.
#[derive(Clone, Debug)]
pub struct Selection<'a> {
    /// The Alertmanager version the checks ran for.
    pub version: Version,
    /// The candidates.
    pub candidates: Vec<Candidate<'a>>,
}

impl<'a> Selection<'a> {
    /// The selected resources, in the order the operator merges them.
    pub fn selected(&self) -> Vec<&'a AlertmanagerConfig> {
        self.candidates
            .iter()
            .filter(|c| c.outcome == Outcome::Selected)
            .map(|c| c.resource)
            .collect()
    }
}

/// `spec.version`, or the operator's default when it is blank.
pub fn version_text(am: &Alertmanager) -> &str {
    crate::version::text_in_effect(
        am.spec.version.as_deref(),
        crate::version::DEFAULT_ALERTMANAGER_VERSION,
    )
}

/// The Alertmanager version in effect: `spec.version`, else the operator's default. (The
/// operator does not look at the image tag for this, unlike Prometheus.)
pub fn version_in_effect(am: &Alertmanager) -> Result<Version, GenerateError> {
    let text = version_text(am);
    let version = Version::parse(text).map_err(GenerateError::Version)?;
    if version.lt("0.15.0") || version.major > 0 {
        return Err(GenerateError::UnsupportedVersion(text.to_owned()));
    }
    Ok(version)
}

/// `selectAlertmanagerConfigs`: matches every AlertmanagerConfig against the Alertmanager's
/// selectors and runs the operator's checks on the matched ones. `watched` is the operator's
/// namespace restrictions.
pub fn select<'a>(
    snapshot: &'a Snapshot,
    am: &Alertmanager,
    watched: &Namespaces,
) -> Result<Selection<'a>, GenerateError> {
    let version = version_in_effect(am)?;
    let own_namespace = namespace_of(&am.metadata);
    let parse = |sel: Option<&_>, field: &'static str| {
        sel.map(Selector::parse)
            .transpose()
            .map_err(|error| GenerateError::Selector { field, error })
    };
    let label = parse(
        am.spec.alertmanager_config_selector.as_ref(),
        "spec.alertmanagerConfigSelector",
    )?;
    let namespace = parse(
        am.spec.alertmanager_config_namespace_selector.as_ref(),
        "spec.alertmanagerConfigNamespaceSelector",
    )?;
    let base_name = am
        .spec
        .alertmanager_configuration
        .as_ref()
        .and_then(|c| c.name.as_deref());
    let store = Store::new(snapshot);
    let namespace_labels = NamespaceLabels::of(snapshot);

    // Duplicates collapse by key, the last one read winning, as in the operator's map.
    let by_key: BTreeMap<String, &AlertmanagerConfig> = snapshot
        .alertmanager_configs
        .iter()
        .map(|amc| (key_of(&amc.metadata), amc))
        .collect();
    let candidates = by_key
        .into_iter()
        .map(|(key, amc)| {
            let ns = namespace_of(&amc.metadata);
            // The operator gets the base configuration by name from the API, whatever the
            // selectors and the namespaces its informers watch.
            let outcome = if ns == own_namespace && base_name == amc.metadata.name.as_deref() {
                Outcome::BaseConfiguration
            } else if let Some(flag) = watched.hides_alertmanager_configs(ns) {
                Outcome::NotWatched(flag)
            } else if let Some(exclusion) = namespace_exclusion(
                namespace_labels.get(ns),
                namespace.as_ref(),
                "spec.alertmanagerConfigNamespaceSelector",
                own_namespace,
                ns,
            )
            .or_else(|| {
                label_exclusion(
                    label.as_ref(),
                    "spec.alertmanagerConfigSelector",
                    amc.metadata.labels.as_ref(),
                )
            }) {
                Outcome::NotSelected(exclusion)
            } else {
                match check::alertmanager_config(&store, amc, &version) {
                    Ok(()) => Outcome::Selected,
                    Err(violation) => Outcome::Rejected(violation),
                }
            };
            Candidate {
                key,
                resource: amc,
                outcome,
            }
        })
        .collect();
    Ok(Selection {
        version,
        candidates,
    })
}

/// Where the base configuration came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BaseSource {
    /// The user's Secret (`spec.configSecret`, else `alertmanager-<name>`).
    Secret {
        /// `namespace/name` of the Secret.
        secret: String,
        /// The key read.
        key: &'static str,
        /// The Secret held a configuration; `false` when the default one stood in for a
        /// missing Secret, key or value.
        found: bool,
        /// The file was parsed and merged; `false` when it is copied byte for byte.
        parsed: bool,
    },
    /// The AlertmanagerConfig named by `spec.alertmanagerConfiguration` (`namespace/name`).
    AlertmanagerConfig(String),
}

impl std::fmt::Display for BaseSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BaseSource::Secret { secret, key, .. } => write!(f, "Secret {secret} (key {key})"),
            BaseSource::AlertmanagerConfig(key) => write!(f, "AlertmanagerConfig {key}"),
        }
    }
}

/// The generated configuration.
#[derive(Clone, Debug, PartialEq)]
pub enum Configuration {
    /// Copied from the user's Secret without parsing (no selector and no
    /// `alertmanagerConfiguration`).
    Verbatim(String),
    /// Generated: the tree the operator marshals.
    Generated(Yaml),
}

impl Configuration {
    /// The file's text, as written into the generated Secret (before gzip).
    pub fn text(&self) -> String {
        match self {
            Configuration::Verbatim(text) => text.clone(),
            Configuration::Generated(tree) => crate::yaml::emit(tree),
        }
    }
}

/// What the operator writes for an Alertmanager.
#[derive(Clone, Debug, PartialEq)]
pub struct Generated {
    /// Where the base configuration came from.
    pub base: BaseSource,
    /// The configuration.
    pub configuration: Configuration,
    /// Name of the generated Secret (`alertmanager-<name>-generated`).
    pub secret_name: String,
    /// Its keys, sorted: `alertmanager.yaml.gz` and the other keys of the user's Secret.
    pub secret_keys: Vec<String>,
    /// Fields dropped for the Alertmanager version.
    pub warnings: Vec<Warning>,
}

impl Generated {
    /// The `alertmanager.yaml.gz` value of the generated Secret: the file gzipped, refused
    /// when it does not fit a Secret.
    pub fn secret_payload(&self) -> Result<Vec<u8>, crate::decode::DecodeError> {
        let payload = crate::decode::gzip(self.configuration.text().as_bytes())?;
        crate::decode::check_secret_size([payload.as_slice()])?;
        Ok(payload)
    }
}

/// The user's Secret as `loadConfigurationFromSecret` reads it: the configuration (the
/// default one when the Secret, key or value is missing), the other keys, and the source.
fn config_from_secret(snapshot: &Snapshot, am: &Alertmanager) -> (String, Vec<String>, BaseSource) {
    let ns = namespace_of(&am.metadata);
    let name = config_secret_name(am.spec.config_secret.as_deref(), name_of(&am.metadata));
    let mut keys = BTreeSet::new();
    let mut text = None;
    if let Some(secret) = snapshot.secret(ns, &name) {
        keys.extend(secret.data.iter().flat_map(|d| d.keys().cloned()));
        keys.extend(secret.string_data.iter().flat_map(|d| d.keys().cloned()));
        if keys.remove(CONFIG_KEY) {
            text = snapshot
                .secret_value(ns, &name, CONFIG_KEY)
                .filter(|t| !t.is_empty());
        }
    }
    let source = BaseSource::Secret {
        secret: format!("{ns}/{name}"),
        key: CONFIG_KEY,
        found: text.is_some(),
        parsed: false,
    };
    let text = text.unwrap_or_else(|| DEFAULT_CONFIGURATION.to_owned());
    (text, keys.into_iter().collect(), source)
}

fn secret_name(am: &Alertmanager) -> String {
    generated_secret_name(name_of(&am.metadata))
}

/// The Secret holding Alertmanager `name`'s own configuration: `spec.configSecret`
/// (`config_secret`), else `alertmanager-<name>`; the operator reads it even when the spec
/// names none.
pub fn config_secret_name(config_secret: Option<&str>, name: &str) -> String {
    match config_secret.filter(|s| !s.is_empty()) {
        Some(secret) => secret.to_owned(),
        None => format!("alertmanager-{name}"),
    }
}

/// The Secret the operator writes Alertmanager `name`'s generated configuration into.
pub fn generated_secret_name(name: &str) -> String {
    format!("alertmanager-{name}-generated")
}

fn secret_keys(additional: Vec<String>) -> Vec<String> {
    let mut keys = additional;
    keys.push(COMPRESSED_CONFIG_KEY.to_owned());
    keys.sort();
    keys.dedup();
    keys
}

/// `provisionAlertmanagerConfiguration`: the whole reconciliation of the configuration, with
/// the selection it ran (`None` when the configuration is copied verbatim).
pub fn provision<'a>(
    snapshot: &'a Snapshot,
    am: &Alertmanager,
    watched: &Namespaces,
) -> Result<(Generated, Option<Selection<'a>>), GenerateError> {
    version_in_effect(am)?;
    if am.spec.alertmanager_config_selector.is_none()
        && am.spec.alertmanager_configuration.is_none()
    {
        let (text, additional, base) = config_from_secret(snapshot, am);
        let generated = Generated {
            base,
            configuration: Configuration::Verbatim(text),
            secret_name: secret_name(am),
            secret_keys: secret_keys(additional),
            warnings: Vec::new(),
        };
        return Ok((generated, None));
    }
    let selection = select(snapshot, am, watched)?;
    let generated = generate(snapshot, am, &selection.selected())?;
    Ok((generated, Some(selection)))
}

/// The configuration builder: the base configuration (the user's Secret, parsed, or the
/// AlertmanagerConfig named by `spec.alertmanagerConfiguration`), then every AlertmanagerConfig
/// of `selected` merged in ascending `namespace/name` order (`AddAlertmanagerConfigs`), then
/// the sanitizer.
pub fn generate(
    snapshot: &Snapshot,
    am: &Alertmanager,
    selected: &[&AlertmanagerConfig],
) -> Result<Generated, GenerateError> {
    let version = version_in_effect(am)?;
    let ns = namespace_of(&am.metadata);
    let converter = Converter {
        store: Store::new(snapshot),
        version: &version,
    };
    let mut warnings = Vec::new();
    let (mut root, base, additional) = match &am.spec.alertmanager_configuration {
        Some(configuration) => {
            let name = configuration.name.as_deref().unwrap_or("");
            let key = format!("{ns}/{name}");
            let amc = snapshot
                .alertmanager_configs
                .iter()
                .rev()
                .find(|c| key_of(&c.metadata) == key)
                .ok_or_else(|| GenerateError::GlobalConfigMissing(name.to_owned()))?;
            let mut root = initialize_from_alertmanager_config(
                &converter,
                configuration.global.as_ref(),
                amc,
                &mut warnings,
            )
            .map_err(GenerateError::GlobalConfig)?;
            let mut templates = Vec::new();
            for t in &configuration.templates {
                if let Some(cm) = &t.config_map {
                    templates.push(Yaml::from(format!("{TEMPLATES_DIR}/{}", cm.key)));
                }
                if let Some(s) = &t.secret {
                    templates.push(Yaml::from(format!("{TEMPLATES_DIR}/{}", s.key)));
                }
            }
            root.set("templates", templates);
            (root, BaseSource::AlertmanagerConfig(key), Vec::new())
        }
        None => {
            let (text, additional, source) = config_from_secret(snapshot, am);
            let tree = load_base(&text).map_err(GenerateError::BaseSecret)?;
            let root = match tree {
                Yaml::Map(m) => m,
                _ => Map::new(),
            };
            let source = match source {
                BaseSource::Secret {
                    secret, key, found, ..
                } => BaseSource::Secret {
                    secret,
                    key,
                    found,
                    parsed: true,
                },
                other => other,
            };
            (root, source, additional)
        }
    };
    let strategy = MatcherStrategy::of_alertmanager(am);
    add_alertmanager_configs(&converter, &mut root, selected, &strategy)
        .map_err(GenerateError::Generate)?;
    let mut tree = schema::decode_config(&Yaml::from(root))
        .map_err(|e| GenerateError::Generate(e.to_string()))?;
    warnings.extend(sanitize(&mut tree, &version).map_err(|e| GenerateError::Generate(e.message))?);
    Ok(Generated {
        base,
        configuration: Configuration::Generated(tree),
        secret_name: secret_name(am),
        secret_keys: secret_keys(additional),
        warnings,
    })
}

/// `initializeFromAlertmanagerConfig`: the AlertmanagerConfig named by
/// `spec.alertmanagerConfiguration` as the whole base configuration (no namespace matcher, no
/// `continue`), with `spec.alertmanagerConfiguration.global` as its global section.
fn initialize_from_alertmanager_config(
    converter: &Converter<'_>,
    global: Option<&crate::monitoring::v1::alertmanager::AlertmanagerGlobalConfig>,
    amc: &AlertmanagerConfig,
    warnings: &mut Vec<Warning>,
) -> Result<Map, String> {
    let res = Resource::of(amc);
    check::alertmanager_config(&converter.store, amc, converter.version).map_err(|v| v.message)?;
    let mut root = Map::new();
    let mut global_section = None;
    if let Some(gc) = global {
        check::global_config(&converter.store, gc, res.namespace, converter.version)?;
        let converted = converter.global(gc, res).map_err(|e| e.message)?;
        global_section = Some(converted.clone());
        root.push("global", converted);
    }
    let rules: Vec<Map> = amc
        .spec
        .inhibit_rules
        .iter()
        .map(|r| converter.inhibit_rule(r))
        .collect();
    root.push("inhibit_rules", rules);
    if let Some(route) = &amc.spec.route {
        root.push(
            "route",
            converter.route(route, res, 0).map_err(|e| e.message)?,
        );
    }
    let mut receivers = Vec::new();
    for r in &amc.spec.receivers {
        receivers.push(
            converter
                .receiver(r, res, global_section.as_ref())
                .map_err(|e| e.message)?,
        );
    }
    root.push("receivers", receivers);
    let mut intervals = Vec::new();
    for mti in &amc.spec.mute_time_intervals {
        intervals.push(converter.time_interval(mti, res).map_err(|e| e.message)?);
    }
    root.push("mute_time_intervals", intervals);
    let mut tree = schema::decode_config(&Yaml::from(root)).map_err(|e| e.to_string())?;
    warnings.extend(sanitize(&mut tree, converter.version).map_err(|e| e.message)?);
    let Yaml::Map(root) = tree else {
        return Err("root route must exist".to_owned());
    };
    base::check_root_route(root.get("route"))?;
    Ok(root)
}

/// `AddAlertmanagerConfigs`: inhibit rules, the top-level route (namespace-enforced,
/// `continue: true`), receivers and time intervals of each resource, prefixed with
/// `namespace/name/`; the routes go before the base configuration's own.
fn add_alertmanager_configs(
    converter: &Converter<'_>,
    root: &mut Map,
    selected: &[&AlertmanagerConfig],
    strategy: &MatcherStrategy,
) -> Result<(), String> {
    let mut ordered: Vec<(String, &AlertmanagerConfig)> = selected
        .iter()
        .map(|amc| (key_of(&amc.metadata), *amc))
        .collect();
    ordered.sort_by(|a, b| a.0.cmp(&b.0));
    ordered.dedup_by(|a, b| a.0 == b.0);
    let global = root.get("global").and_then(Yaml::as_map).cloned();
    let mut rules = take_list(root, "inhibit_rules");
    let mut receivers = take_list(root, "receivers");
    let mut intervals = take_list(root, "mute_time_intervals");
    let mut sub_routes = Vec::new();
    for (key, amc) in ordered {
        let res = Resource::of(amc);
        for rule in &amc.spec.inhibit_rules {
            let mut converted = converter.inhibit_rule(rule);
            converter.enforce_inhibit_rule(&mut converted, res.namespace, strategy);
            rules.push(Yaml::from(converted));
        }
        let Some(route) = &amc.spec.route else {
            continue;
        };
        let mut converted = converter.route(route, res, 0).map_err(|e| e.message)?;
        converter.enforce_route(&mut converted, res.namespace, strategy);
        sub_routes.push(Yaml::from(converted));
        for r in &amc.spec.receivers {
            let converted = converter
                .receiver(r, res, global.as_ref())
                .map_err(|e| format!("AlertmanagerConfig {key}: {}", e.message))?;
            receivers.push(Yaml::from(converted));
        }
        for mti in &amc.spec.mute_time_intervals {
            let converted = converter
                .time_interval(mti, res)
                .map_err(|e| format!("AlertmanagerConfig {key}: {}", e.message))?;
            intervals.push(Yaml::from(converted));
        }
    }
    root.set("inhibit_rules", rules);
    root.set("receivers", receivers);
    root.set("mute_time_intervals", intervals);
    if let Some(Yaml::Map(route)) = root.get_mut("route") {
        sub_routes.extend(take_list(route, "routes"));
        route.set("routes", sub_routes);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const OBJECTS: &str = include_str!("../../tests/fixtures/unit/alertmanager_mod_objects.yaml");

    fn snapshot() -> Snapshot {
        crate::snapshot::load("t", OBJECTS).unwrap().0
    }

    #[test]
    fn selection_explains_every_candidate() {
        let snap = snapshot();
        let am = &snap.alertmanagers[0];
        let sel = select(&snap, am, &Namespaces::default()).unwrap();
        let outcomes: Vec<(&str, &Outcome)> = sel
            .candidates
            .iter()
            .map(|c| (c.key.as_str(), &c.outcome))
            .collect();
        assert!(
            matches!(outcomes[0], ("app/missing-key", Outcome::Rejected(v))
            if v.field == "spec.receivers[0].webhookConfigs[0].urlSecret"
                && v.message == "key \"nope\" in secret \"hooks\" not found")
        );
        assert_eq!(outcomes[1], ("app/ok", &Outcome::Selected));
        assert!(matches!(
            outcomes[2],
            (
                "app/other-team",
                Outcome::NotSelected(Exclusion::Labels { .. })
            )
        ));
        let deny = Namespaces {
            deny: vec!["app".to_owned()],
            ..Namespaces::default()
        };
        let sel = select(&snap, am, &deny).unwrap();
        assert!(
            sel.candidates
                .iter()
                .all(|c| c.outcome == Outcome::NotWatched("--deny-namespaces"))
        );
    }

    #[test]
    fn the_base_configuration_is_named_whatever_the_selectors() {
        let mut snap = snapshot();
        let am = &mut snap.alertmanagers[0];
        // In the AlertmanagerConfig's namespace, which --deny-namespaces hides from selection.
        am.metadata.namespace = Some("app".to_owned());
        am.spec.alertmanager_config_selector = None;
        am.spec.alertmanager_configuration =
            Some(serde_json::from_str(r#"{"name": "ok"}"#).unwrap());
        let am = am.clone();
        let deny = Namespaces {
            deny: vec!["app".to_owned()],
            ..Namespaces::default()
        };
        for watched in [Namespaces::default(), deny] {
            let sel = select(&snap, &am, &watched).unwrap();
            let ok = sel.candidates.iter().find(|c| c.key == "app/ok").unwrap();
            assert_eq!(ok.outcome, Outcome::BaseConfiguration);
        }
    }

    #[test]
    fn provisioning_merges_selected_resources() {
        let snap = snapshot();
        let (generated, selection) =
            provision(&snap, &snap.alertmanagers[0], &Namespaces::default()).unwrap();
        assert_eq!(selection.map(|s| s.selected().len()), Some(1));
        assert_eq!(
            generated.configuration.text(),
            "route:\n  receiver: base\n  routes:\n  - receiver: app/ok/hook\n    group_by:\n    - job\n    matchers:\n    - namespace=\"app\"\n    continue: true\nreceivers:\n- name: base\n- name: app/ok/hook\n  webhook_configs:\n  - url: https://hooks.example.com/x\ntemplates: []\n"
        );
        assert_eq!(generated.secret_name, "alertmanager-main-generated");
        assert_eq!(
            generated.secret_keys,
            ["alertmanager.yaml.gz", "extra.tmpl"]
        );
        assert!(matches!(
            generated.base,
            BaseSource::Secret {
                found: true,
                parsed: true,
                ..
            }
        ));
    }

    #[test]
    fn without_selector_the_secret_is_copied_verbatim() {
        let mut snap = snapshot();
        snap.alertmanagers[0].spec.alertmanager_config_selector = None;
        let (generated, selection) =
            provision(&snap, &snap.alertmanagers[0], &Namespaces::default()).unwrap();
        assert!(selection.is_none());
        assert_eq!(
            generated.configuration,
            Configuration::Verbatim(
                "route: {receiver: base}\nreceivers: [{name: base}]\n".to_owned()
            )
        );
    }

    #[test]
    fn versions() {
        let mut am = snapshot().alertmanagers[0].clone();
        am.spec.version = None;
        assert_eq!(
            version_in_effect(&am).unwrap().to_string(),
            crate::version::DEFAULT_ALERTMANAGER_VERSION
        );
        am.spec.version = Some("v0.14.0".to_owned());
        assert!(matches!(
            version_in_effect(&am),
            Err(GenerateError::UnsupportedVersion(_))
        ));
    }
}
