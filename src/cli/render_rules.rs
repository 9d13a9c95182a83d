//! `render rules prometheus|thanosruler NAME`: the rule-file ConfigMaps the operator would
//! create, as a listing (ConfigMap → file → groups) or as Kubernetes objects; PrometheusRules
//! left out are warnings. Also the argument and input handling the rule and workload commands
//! share.

use std::fmt::Write as _;

use anyhow::anyhow;
use promop::cluster::{Cluster, FetchPlan};
use promop::kinds::Resource;
use promop::operator::OperatorOptions;
use promop::rules::objects::{self, NoteKind, RuleInstanceKind};
use promop::snapshot::Snapshot;

use super::CliError;
use super::input::InputArgs;
use super::kube_args::KubeArgs;
use super::live;
use super::output::{self, Format};
use super::render::Args;

/// `TYPE NAME` or `TYPE/NAME`, TYPE one of `accepted` (kind, plural or short name).
pub(super) fn parse_named(
    words: &[String],
    accepted: &[&'static Resource],
) -> Result<(&'static Resource, String), CliError> {
    let (type_word, name) = match words {
        [one] => match one.split_once('/') {
            Some((t, n)) => (t, n.to_owned()),
            None => (one.as_str(), String::new()),
        },
        [t, n] => (t.as_str(), n.clone()),
        _ => (words.first().map_or("", String::as_str), String::new()),
    };
    let kinds: Vec<String> = accepted
        .iter()
        .map(|r| r.kind.to_ascii_lowercase())
        .collect();
    let resource = accepted
        .iter()
        .copied()
        .find(|r| r.is_named_by(type_word))
        .ok_or_else(|| CliError::usage(anyhow!("give {} NAME (or TYPE/NAME)", kinds.join("|"))))?;
    if name.is_empty() || words.len() > 2 {
        return Err(CliError::usage(anyhow!(
            "give {} NAME (or TYPE/NAME)",
            kinds.join("|")
        )));
    }
    Ok((resource, name))
}

/// An instance argument that may leave NAME (or TYPE) out, as `render -f` allows.
pub(super) enum InstanceWords {
    /// TYPE and NAME given.
    Named(&'static Resource, String),
    /// NAME left out: the only instance of these types will do.
    Only(Vec<&'static Resource>),
}

/// Reads `words` before anything is loaded: a malformed or unknown TYPE is a usage error
/// whatever the input holds.
pub(super) fn instance_words(
    words: &[String],
    accepted: &[&'static Resource],
) -> Result<InstanceWords, CliError> {
    let named = words.len() == 2 || words.first().is_some_and(|w| w.contains('/'));
    if named || words.len() > 2 {
        let (resource, name) = parse_named(words, accepted)?;
        return Ok(InstanceWords::Named(resource, name));
    }
    let types: Vec<&'static Resource> = match words.first() {
        Some(word) => accepted
            .iter()
            .copied()
            .filter(|r| r.is_named_by(word))
            .collect(),
        None => accepted.to_vec(),
    };
    if types.is_empty() {
        // A TYPE not taken here: the strict parser's answer (its usage error) stands.
        let (resource, name) = parse_named(words, accepted)?;
        return Ok(InstanceWords::Named(resource, name));
    }
    Ok(InstanceWords::Only(types))
}

impl InstanceWords {
    /// The instance named, or the only one of the types that `snapshot` holds (in `namespace`
    /// when set: `-n`, or the cluster's current namespace).
    pub(super) fn resolve(
        self,
        snapshot: &Snapshot,
        namespace: Option<&str>,
    ) -> Result<(&'static Resource, String), CliError> {
        self.locate(snapshot, namespace)
            .map(|(resource, _, name)| (resource, name))
    }

    /// Like [`InstanceWords::resolve`], with the namespace of the only object found (`None`
    /// when the words name it).
    pub(super) fn locate(
        self,
        snapshot: &Snapshot,
        namespace: Option<&str>,
    ) -> Result<(&'static Resource, Option<String>, String), CliError> {
        let types = match self {
            InstanceWords::Named(resource, name) => return Ok((resource, None, name)),
            InstanceWords::Only(types) => types,
        };
        let found: Vec<(&'static Resource, &str, &str)> = types
            .iter()
            .flat_map(|&r| {
                snapshot
                    .keys_of(r)
                    .into_iter()
                    .map(move |(ns, n)| (r, ns, n))
            })
            .filter(|(_, ns, _)| namespace.is_none_or(|wanted| *ns == wanted))
            .collect();
        let kinds: Vec<String> = types.iter().map(|r| r.kind.to_ascii_lowercase()).collect();
        let searched =
            namespace.map_or_else(|| "the input".to_owned(), |ns| format!("namespace {ns}"));
        match found.as_slice() {
            [(resource, ns, name)] => Ok((resource, Some((*ns).to_owned()), (*name).to_owned())),
            [] => Err(CliError::usage(anyhow!(
                "{searched} holds no {}",
                types
                    .iter()
                    .map(|r| r.kind)
                    .collect::<Vec<_>>()
                    .join(" or ")
            ))),
            several => {
                let spans_namespaces = several.iter().any(|(_, ns, _)| *ns != several[0].1);
                let mut listed: Vec<String> = several
                    .iter()
                    .map(|(r, ns, n)| format!("{} {ns}/{n}", r.kind))
                    .collect();
                listed.sort();
                Err(CliError::usage(anyhow!(
                    "several in {searched}: give {} NAME (or TYPE/NAME){}: {}",
                    kinds.join("|"),
                    if spans_namespaces {
                        ", with -n NAMESPACE"
                    } else {
                        ""
                    },
                    listed.join(", ")
                )))
            }
        }
    }
}

/// The objects to work on: from `-f` files (the instance found in `-n`'s namespace, or in any
/// when `-n` is not given), or from the cluster (the instance in the current namespace).
pub(super) fn load(
    input: &InputArgs,
    kube: &KubeArgs,
) -> Result<(Snapshot, Option<String>), CliError> {
    if input.files.is_empty() {
        live::block_on(async {
            let cluster = kube.connect().await?;
            let snapshot = fetch(&cluster).await?;
            Ok((snapshot, Some(cluster.namespace().to_owned())))
        })?
    } else {
        let snapshot = input.load(kube)?;
        Ok((snapshot, kube.namespace().map(str::to_owned)))
    }
}

/// The snapshot a render needs, with the operator's Deployment.
pub(super) async fn fetch(cluster: &Cluster) -> Result<Snapshot, CliError> {
    let plan = FetchPlan {
        workloads: false,
        operator: true,
    };
    live::fetch_snapshot(cluster, plan).await
}

/// The operator options in effect (its Deployment, overridden by flags).
pub(super) fn operator_options(
    snapshot: &Snapshot,
    args: &super::operator::OperatorArgs,
) -> Result<OperatorOptions, CliError> {
    args.resolve(snapshot)
}

/// The types a `rules` instance argument takes.
pub(super) const RULE_INSTANCE_TYPES: &[&Resource] =
    &[&promop::kinds::PROMETHEUSES, &promop::kinds::THANOS_RULERS];

/// The kind of a `rules` instance argument.
pub(super) fn rule_instance(words: &[String]) -> Result<(RuleInstanceKind, String), CliError> {
    let (resource, name) = parse_named(words, RULE_INSTANCE_TYPES)?;
    Ok((rule_kind(resource), name))
}

fn rule_kind(resource: &Resource) -> RuleInstanceKind {
    if resource.kind == "ThanosRuler" {
        RuleInstanceKind::ThanosRuler
    } else {
        RuleInstanceKind::Prometheus
    }
}

/// Whether the operator reconciles the instance at all, then one warning line per note.
pub(super) fn warn_notes(rules: &objects::InstanceRules<'_>) {
    output::warn_not_reconciled(
        rules.ignored.as_deref(),
        "it writes none of these ConfigMaps",
    );
    for note in &rules.notes {
        let mut line = format!("PrometheusRule {}", note.key);
        if let Some(group) = &note.group {
            let _ = write!(line, " group {group:?}");
        }
        if let Some(rule) = &note.rule {
            let _ = write!(line, " {rule}");
        }
        let what = match note.kind {
            NoteKind::NotSelected => "not selected",
            NoteKind::Rejected => "rejected by the operator",
            NoteKind::Dropped => {
                "skipped silently by the operator's enforcedNamespaceLabel rewrite"
            }
            NoteKind::FieldDropped => "loaded with a change",
        };
        let _ = write!(line, ": {what}: ");
        if !note.field.is_empty() {
            let _ = write!(line, "{}: ", note.field);
        }
        line.push_str(&note.reason);
        if let Some(hint) = &note.hint {
            let _ = write!(line, " ({hint})");
        }
        output::warn(&line);
    }
}

/// Said when rules without a UID are written: the operator names each file
/// `namespace-name-UID.yaml`, and only the API server assigns UIDs.
const WITHOUT_UID: &str = "rule file names end in each PrometheusRule's UID \
                           (namespace-name-UID.yaml), which the API server assigns and the files \
                           do not hold: it is left empty here";

/// Runs `render rules ...` (`args.instance` starts with `rules`).
pub fn run(args: &Args) -> Result<(), CliError> {
    let words = instance_words(
        args.instance.get(1..).unwrap_or_default(),
        RULE_INSTANCE_TYPES,
    )?;
    let (snapshot, namespace) = load(&args.input, &args.kube)?;
    let (resource, name) = words.resolve(&snapshot, namespace.as_deref())?;
    let kind = rule_kind(resource);
    let options = operator_options(&snapshot, &args.operator)?;
    let instance = objects::find_instance(&snapshot, kind, namespace.as_deref(), &name)
        .map_err(super::target::find_error)?;
    let rules = objects::instance_rules(&snapshot, instance, &options).map_err(
        CliError::invalid_in(format!(
            "{} {}/{}",
            instance.kind(),
            instance.namespace(),
            instance.name()
        )),
    )?;
    warn_notes(&rules);
    let without_uid = rules.selection.candidates.iter().any(|c| {
        matches!(c.outcome, promop::rules::RuleOutcome::Selected(_))
            && c.rule.metadata.uid.is_none()
    });
    for (file, keys) in rules.selection.shared_file_names() {
        output::warn(&format!(
            "PrometheusRules {} share file name {file} without UIDs: only {} is listed; in the \
             cluster their UIDs keep them apart",
            keys.join(", "),
            keys.last().copied().unwrap_or_default()
        ));
    }
    let config_maps: Vec<_> = rules
        .config_maps
        .iter()
        .map(|c| objects::config_map_object(instance, c, &options))
        .collect();
    if without_uid && args.output.is_some() {
        output::warn(WITHOUT_UID);
    }
    match args.output {
        Some(Format::Yaml) => {
            let text = promop::yaml::documents_to_string(&config_maps).map_err(CliError::usage)?;
            output::print(&text)
        }
        Some(Format::Json) => output::print_json_objects(&config_maps),
        None => {
            let mut text = listing(&rules, instance);
            if without_uid {
                let _ = writeln!(text, "note: {WITHOUT_UID}");
            }
            output::print_text(&text)
        }
    }
}

fn listing(rules: &objects::InstanceRules<'_>, instance: promop::rules::Instance<'_>) -> String {
    let kind = instance.kind();
    let files = objects::files_by_name(&rules.config_maps);
    let mut out = String::new();
    let mut groups = 0;
    let mut rule_count = 0;
    let mut body = String::new();
    for config_map in &rules.config_maps {
        let size: usize = config_map.files.values().map(String::len).sum();
        let _ = writeln!(
            body,
            "ConfigMap {}  ({} file(s), {size} bytes)",
            config_map.name,
            config_map.files.len()
        );
        for file in config_map.files.keys() {
            let candidate = rules.selection.candidates.iter().find(|c| {
                matches!(&c.outcome, promop::rules::RuleOutcome::Selected(f) if &f.name == file)
            });
            let from = candidate.map_or(String::new(), |c| format!("  (PrometheusRule {})", c.key));
            let _ = writeln!(body, "  {file}{from}");
            for (group, count) in candidate
                .map(|c| objects::group_counts(c.rule))
                .unwrap_or_default()
            {
                groups += 1;
                rule_count += count;
                let _ = writeln!(body, "    group {group}: {count} rule(s)");
            }
        }
    }
    // A Prometheus mounts more names than there are ConfigMaps: say why.
    let padded = if rules.mounted_names.len() > rules.config_maps.len() {
        " (a Prometheus mounts at least three, as optional volumes: those not written stay empty)"
    } else {
        ""
    };
    let _ = writeln!(
        out,
        "{kind} {}/{}: {} ConfigMap(s), {} file(s), {groups} group(s), {rule_count} rule(s); mounted: {}{padded}",
        instance.namespace(),
        instance.name(),
        rules.config_maps.len(),
        files.len(),
        rules.mounted_names.join(", ")
    );
    out.push_str(&body);
    out
}
