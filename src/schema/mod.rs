//! `validate`: every document checked against the schema of its kind (unknown fields with a
//! did-you-mean, types, allowed values, required fields, patterns, repeated keys), against the
//! operator's rejection rules ([`crate::validate`]) for the Prometheus instances that select it,
//! and, for PrometheusRules, against the rule-file parser and the rule ConfigMap size limit.
//!
//! Offline, a Secret or ConfigMap reference that the input does not hold is reported as
//! unresolved (a warning) and checked as if it held an empty value, unless `strict`. With a
//! `live` snapshot, references resolve against it and missing ones are errors.

mod lines;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;

use k8s_openapi::ByteString;
use k8s_openapi::api::core::v1::{ConfigMap, Secret};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Serialize;
use serde_json::Value;

use crate::instance::render_selection;
use crate::monitoring::v1::common::ScrapeClass;
use crate::monitoring::v1::prometheus::CommonPrometheusFields;
use crate::operator::{OperatorOptions, OptionsError, Overrides};
use crate::render::RenderError;
use crate::select::{self, Candidate, Outcome};
use crate::snapshot::references::{Reference, mounted_references, spec_references};
use crate::snapshot::{
    Document, LoadError, NoticeKind, Snapshot, WrittenObject, describe_object, load_documents,
    name_of, namespace_of,
};
use crate::target::Target;
use crate::validate::{self, Violation};
use crate::version::Version;

pub use lines::LineMap;

/// One input file (or stdin), split into documents.
#[derive(Debug)]
pub struct Source {
    /// File name, as shown in messages.
    pub name: String,
    /// Its documents, each loaded on its own.
    pub documents: Vec<Document>,
}

impl Source {
    /// Splits and loads `text`; fails only for a source too large or a broken JSON stream.
    pub fn read(name: &str, text: &str) -> Result<Self, LoadError> {
        Ok(Source {
            name: name.to_owned(),
            documents: load_documents(name, text)?,
        })
    }

    /// Puts the objects written without a namespace where kubectl would apply them
    /// ([`Document::place_missing_namespaces`]); returns how many there were.
    pub fn place_missing_namespaces(&mut self, namespace: &str) -> usize {
        self.documents
            .iter_mut()
            .map(|document| document.place_missing_namespaces(namespace))
            .sum()
    }

    /// Reads every `(name, text)` as [`Source::read`] would, in parallel.
    pub fn read_each(named: &[(String, String)]) -> Vec<Result<Self, LoadError>> {
        crate::snapshot::read_within_budget(named, Source::read)
    }
}

/// How bad a problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The document is invalid.
    Error,
    /// Worth knowing; the document is still valid.
    Warning,
    /// An object of a kind the operator does not read: not checked, listed only on request.
    Skipped,
}

/// One problem found in the input.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// File name.
    pub source: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based document index in the file; 0 for the file as a whole.
    pub document: usize,
    /// `Kind namespace/name` of the object, when it could be read.
    pub object: Option<String>,
    /// Field path; empty for the whole document.
    pub field: String,
    /// What is wrong.
    pub message: String,
    /// Error or warning.
    pub severity: Severity,
}

impl Problem {
    /// An error in `document` of `source`, on `object` (`None` when it could not be read).
    fn in_document(
        source: &Source,
        document: &Document,
        line: usize,
        object: Option<String>,
        field: String,
        message: String,
    ) -> Self {
        Problem {
            source: source.name.clone(),
            line,
            document: document.index,
            object,
            field,
            message,
            severity: Severity::Error,
        }
    }

    /// An error on `object`, at `field` (empty for the whole object).
    fn for_object(object: &Checked, line: usize, field: String, message: String) -> Self {
        Problem {
            source: object.source.clone(),
            line,
            document: object.document,
            object: Some(object.describe()),
            field,
            message,
            severity: Severity::Error,
        }
    }

    /// A warning on `object` as a whole.
    fn warning_on(object: &Checked, message: String) -> Self {
        Problem {
            severity: Severity::Warning,
            ..Problem::for_object(object, object.line, String::new(), message)
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: ", self.source, self.line)?;
        match &self.object {
            Some(object) => write!(f, "{object}: ")?,
            // Document 0: the file as a whole.
            None if self.document == 0 => {}
            None => write!(f, "document {}: ", self.document)?,
        }
        if !self.field.is_empty() {
            // A field path names keys from the input, which can be as long as the input.
            match self.field.char_indices().nth(MAX_SHOWN_MESSAGE_CHARS) {
                Some((cut, _)) => write!(f, "{}…: ", &self.field[..cut])?,
                None => write!(f, "{}: ", self.field)?,
            }
        }
        match self.severity {
            Severity::Warning => f.write_str("warning: ")?,
            Severity::Skipped => f.write_str("skipped: ")?,
            Severity::Error => {}
        }
        // A message quotes the input (a regex, an expression), which can be megabytes long;
        // `-o json` has it whole.
        match self.message.char_indices().nth(MAX_SHOWN_MESSAGE_CHARS) {
            Some((cut, _)) => write!(
                f,
                "{}… ({} more characters)",
                &self.message[..cut],
                self.message[cut..].chars().count()
            ),
            None => f.write_str(&self.message),
        }
    }
}

/// The most characters of a problem's message one line shows.
pub const MAX_SHOWN_MESSAGE_CHARS: usize = 2000;

/// One object of the input and what validation decided for it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Checked {
    /// File name.
    pub source: String,
    /// 1-based document index in the file.
    pub document: usize,
    /// Index in its `List` document, if it is a list item.
    pub item: Option<usize>,
    /// 1-based line where it starts.
    pub line: usize,
    /// `apiVersion`.
    pub api_version: String,
    /// `kind`.
    pub kind: String,
    /// `metadata.namespace`, if set.
    pub namespace: Option<String>,
    /// `metadata.name`.
    pub name: String,
    /// No error was found in it.
    pub valid: bool,
    /// The instances that select it (`Kind namespace/name`); only filled for the kinds
    /// [`selecting_instances`] names.
    pub selected_by: Vec<String>,
}

impl Checked {
    /// `Kind namespace/name` (or `Kind name` without a namespace).
    pub fn describe(&self) -> String {
        describe_object(&self.kind, self.namespace.as_deref(), &self.name)
    }
}

/// The outcome of validating a set of sources.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Report {
    /// How many documents were read.
    pub documents: usize,
    /// How many of them have errors.
    pub invalid_documents: usize,
    /// Every object found, in input order.
    pub objects: Vec<Checked>,
    /// Every problem, in input order.
    pub problems: Vec<Problem>,
}

impl Report {
    /// Number of errors.
    pub fn errors(&self) -> usize {
        self.count(Severity::Error)
    }

    /// Number of warnings.
    pub fn warnings(&self) -> usize {
        self.count(Severity::Warning)
    }

    /// Number of objects skipped because the operator does not read their kind.
    pub fn skipped(&self) -> usize {
        self.count(Severity::Skipped)
    }

    fn count(&self, severity: Severity) -> usize {
        self.problems
            .iter()
            .filter(|p| p.severity == severity)
            .count()
    }

    /// Whether no error was found.
    pub fn is_valid(&self) -> bool {
        self.errors() == 0
    }
}

/// What validation may assume.
#[derive(Clone, Debug, Default)]
pub struct Options<'a> {
    /// Unresolved references and operator kinds that are not checked are errors, not warnings.
    pub strict: bool,
    /// The cluster's objects (and the Secrets and ConfigMaps the input refers to): references
    /// resolve against them, and their Prometheus instances do the selecting.
    pub live: Option<&'a Snapshot>,
    /// The user's operator flags, laid over those of the operator's Deployment when the input
    /// holds it (as `render` and `explain` read it).
    pub operator: Overrides,
}

/// Every Secret and ConfigMap reference of the input's custom resources.
pub fn references(sources: &[Source]) -> Vec<Reference> {
    let mut out = Vec::new();
    for source in sources {
        for document in &source.documents {
            for object in objects_of(document) {
                if object.is_monitoring() {
                    out.extend(object.references());
                }
            }
        }
    }
    out.sort();
    out.dedup_by(|a, b| {
        (&a.namespace, &a.name, a.config_map) == (&b.namespace, &b.name, b.config_map)
            && a.key == b.key
    });
    out
}

/// An object of a document, as written.
struct JsonObject<'a> {
    prefix: String,
    item: Option<usize>,
    value: &'a Value,
    api_version: String,
    kind: String,
    namespace: Option<String>,
    name: String,
}

impl JsonObject<'_> {
    fn is_monitoring(&self) -> bool {
        self.api_version
            .starts_with(&format!("{}/", crate::monitoring::GROUP))
    }

    fn describe(&self) -> String {
        describe_object(&self.kind, self.namespace.as_deref(), &self.name)
    }

    fn field(&self, path: &str) -> String {
        if self.prefix.is_empty() {
            path.to_owned()
        } else if path.is_empty() {
            self.prefix.clone()
        } else {
            format!("{}.{path}", self.prefix)
        }
    }

    fn references(&self) -> Vec<Reference> {
        self.value.get("spec").map_or_else(Vec::new, |spec| {
            let namespace = self.namespace.as_deref().unwrap_or("");
            let mut references = spec_references(spec, namespace);
            references.extend(mounted_references(&self.kind, spec, namespace));
            references
        })
    }
}

fn text_of(value: Option<&Value>) -> Option<String> {
    value.and_then(Value::as_str).map(str::to_owned)
}

/// The objects of a document as the API server is sent them: the document itself, or each item
/// of a `List`, with the list's `apiVersion` and item kind where the item leaves them out.
pub fn object_bodies(document: &Document) -> Vec<Value> {
    document.objects.iter().map(WrittenObject::body).collect()
}

/// The objects of a document as the loader expanded them (the items of a `List` one by one).
fn objects_of(document: &Document) -> Vec<JsonObject<'_>> {
    document
        .objects
        .iter()
        .map(|object| JsonObject {
            prefix: object.item.map_or(String::new(), |i| format!("items[{i}]")),
            item: object.item,
            value: &object.json,
            api_version: object.api_version.clone(),
            kind: object.kind.clone(),
            namespace: object.namespace.clone(),
            name: object.name.clone(),
        })
        .collect()
}

/// Kinds outside `monitoring.coreos.com` that belong in the input: what monitors refer to.
const REFERENCED_KINDS: &[&str] = &["Secret", "ConfigMap", "Namespace"];

/// The message for an unknown field at `path`, with the loader's suggestion.
fn unknown_field_message(path: &str, suggestion: Option<&str>) -> String {
    let unknown = path.rsplit(['.', ']']).next().unwrap_or(path);
    match suggestion {
        Some(name) => format!("unknown field {unknown:?} (did you mean {name:?}?)"),
        None => format!("unknown field {unknown:?}"),
    }
}

/// Collects problems, keeping track of which objects have errors.
struct Findings {
    problems: Vec<Problem>,
    /// (source, document, object, field) of every error, to skip repeats.
    errors: BTreeSet<(String, usize, String, String)>,
}

impl Findings {
    fn push(&mut self, problem: Problem) {
        if problem.severity == Severity::Error {
            let key = (
                problem.source.clone(),
                problem.document,
                problem.object.clone().unwrap_or_default(),
                problem.field.clone(),
            );
            if !self.errors.insert(key) {
                return;
            }
        }
        self.problems.push(problem);
    }

    fn has_error_at(&self, source: &str, document: usize, object: &str, field: &str) -> bool {
        self.errors.contains(&(
            source.to_owned(),
            document,
            object.to_owned(),
            field.to_owned(),
        ))
    }

    /// Adds an error, or, when an error is already reported at the same field (a schema error,
    /// say), adds this reason to it unless it already gives `reason`: both say something the
    /// user needs to hear.
    fn push_or_amend(&mut self, problem: Problem, reason: &str) {
        let same_field = |p: &Problem| {
            p.severity == Severity::Error
                && p.source == problem.source
                && p.document == problem.document
                && p.object == problem.object
                && p.field == problem.field
        };
        match self.problems.iter_mut().find(|p| same_field(p)) {
            Some(existing) if !existing.message.contains(reason) => {
                existing.message = format!("{}; {}", existing.message, problem.message);
            }
            Some(_) => {}
            None => self.push(problem),
        }
    }

    fn object_has_error(&self, source: &str, document: usize, object: &str) -> bool {
        let from = (
            source.to_owned(),
            document,
            object.to_owned(),
            String::new(),
        );
        self.errors
            .range(from..)
            .next()
            .is_some_and(|(s, d, o, _)| s == source && *d == document && o == object)
    }
}

/// A custom resource of the input whose operator checks are still to run.
struct Pending {
    source: usize,
    document: usize,
    object: usize,
}

/// Validates every document of `sources`.
pub fn validate(sources: &[Source], options: &Options<'_>) -> Report {
    let mut findings = Findings {
        problems: Vec::new(),
        errors: BTreeSet::new(),
    };
    // The files' objects; laid over the cluster's below, once.
    let mut merged = Snapshot::default();
    let mut objects: Vec<Checked> = Vec::new();
    let mut pending: Vec<Pending> = Vec::new();
    let mut line_maps: Vec<Vec<LineMap>> = Vec::new();
    let mut documents = 0;

    // Every document's lines and schema breaches at once (a source often holds a handful of
    // documents), reported in order below.
    let every_document: Vec<&Document> = sources.iter().flat_map(|s| &s.documents).collect();
    let mut every_scan = crate::parallel::map(&every_document, |document| {
        let breaches: Vec<Vec<crate::crd::Breach>> = objects_of(document)
            .iter()
            .map(|object| {
                let known =
                    crate::kinds::by_api_version(&object.api_version, &object.kind).is_some();
                let typed = known || crate::crd::knows(&object.api_version, &object.kind);
                if object.is_monitoring() && typed {
                    crate::crd::breaches(
                        &object.api_version,
                        &object.kind,
                        object.value,
                        &object.prefix,
                    )
                } else if known && object.name.is_empty() {
                    // A Secret, ConfigMap or Namespace needs its name as much.
                    vec![crate::crd::Breach {
                        field: object.field("metadata.name"),
                        message: "required field is missing".to_owned(),
                    }]
                } else {
                    Vec::new()
                }
            })
            .collect();
        (LineMap::read(&document.text, document.offset), breaches)
    })
    .into_iter();
    for (s, source) in sources.iter().enumerate() {
        let (maps, breaches): (Vec<LineMap>, Vec<_>) =
            every_scan.by_ref().take(source.documents.len()).unzip();
        for ((document, map), breaches) in source.documents.iter().zip(&maps).zip(breaches) {
            documents += 1;
            check_document(source, document, map, &mut findings, &mut merged);
            let written = objects_of(document);
            for (object, breaches) in written.iter().zip(breaches) {
                let line = map
                    .line_of(&object.prefix)
                    .filter(|_| !object.prefix.is_empty())
                    .unwrap_or(document.line);
                let known =
                    crate::kinds::by_api_version(&object.api_version, &object.kind).is_some();
                if !object.is_monitoring()
                    && document.loaded.is_ok()
                    && !REFERENCED_KINDS.contains(&object.kind.as_str())
                {
                    findings.push(Problem {
                        // The operator ignores these kinds, so even --strict does not fail on
                        // them: real repositories mix them with the custom resources.
                        severity: Severity::Skipped,
                        ..Problem::in_document(
                            source,
                            document,
                            line,
                            Some(object.describe()),
                            String::new(),
                            format!(
                                "not a prometheus-operator custom resource ({} {}): not checked",
                                object.api_version, object.kind
                            ),
                        )
                    });
                }
                for breach in breaches {
                    findings.push(Problem::in_document(
                        source,
                        document,
                        map.line_of(&breach.field).unwrap_or(line),
                        Some(object.describe()),
                        breach.field,
                        breach.message,
                    ));
                }
                // A v1beta1 AlertmanagerConfig is judged as the operator judges it, converted.
                let typed = known || crate::crd::knows(&object.api_version, &object.kind);
                if object.is_monitoring() && typed {
                    pending.push(Pending {
                        source: s,
                        document: document.index,
                        object: objects.len(),
                    });
                }
                objects.push(Checked {
                    source: source.name.clone(),
                    document: document.index,
                    item: object.item,
                    line,
                    api_version: object.api_version.clone(),
                    kind: object.kind.clone(),
                    namespace: object.namespace.clone(),
                    name: object.name.clone(),
                    valid: true,
                    selected_by: Vec::new(),
                });
            }
        }
        line_maps.push(maps);
    }

    report_duplicates(&objects, &mut findings);
    // What apply would write: a file's object replaces the cluster's, not doubles it. The
    // sources already carry their namespaces (`Source::place_missing_namespaces`); kubectl's
    // own default stands in for any left without.
    if let Some(live) = options.live {
        let files = std::mem::take(&mut merged);
        merged = live.clone();
        merged.lay_over(files, "default");
    }
    resolve_references(sources, &line_maps, options, &mut findings, &mut merged);
    let operator = operator_options(
        (sources, &line_maps),
        &merged,
        &options.operator,
        &objects,
        &mut findings,
    );
    operator_checks(
        sources,
        &line_maps,
        &pending,
        &mut objects,
        &merged,
        (options, &operator),
        &mut findings,
    );

    for object in &mut objects {
        object.valid =
            !findings.object_has_error(&object.source, object.document, &object.describe());
    }
    let mut problems = findings.problems;
    problems.sort_by(|a, b| {
        let position = |p: &Problem| {
            (
                sources.iter().position(|s| s.name == p.source),
                p.document,
                p.line,
            )
        };
        position(a).cmp(&position(b))
    });
    let invalid_documents = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .map(|p| (p.source.as_str(), p.document))
        .collect::<BTreeSet<_>>()
        .len();
    Report {
        documents,
        invalid_documents,
        objects,
        problems,
    }
}

/// Load failures, repeated keys, unknown fields and unknown kinds.
fn check_document(
    source: &Source,
    document: &Document,
    map: &LineMap,
    findings: &mut Findings,
    merged: &mut Snapshot,
) {
    let described = objects_of(document)
        .first()
        .filter(|o| o.prefix.is_empty())
        .map(JsonObject::describe)
        .or_else(|| match &document.loaded {
            Err(LoadError::Invalid { object, .. }) => object.clone(),
            _ => None,
        });
    let problem = |line: usize, object: Option<String>, field: String, message: String| {
        Problem::in_document(source, document, line, object, field, message)
    };
    for (field, line) in &map.duplicates {
        findings.push(problem(
            *line,
            described.clone(),
            field.clone(),
            "duplicate key: the key appears more than once in this mapping".to_owned(),
        ));
    }
    match &document.loaded {
        Err(LoadError::Invalid {
            line,
            object,
            path,
            message,
            ..
        }) => {
            if !message.contains("duplicate field") || map.duplicates.is_empty() {
                findings.push(problem(
                    *line,
                    object.clone(),
                    path.clone(),
                    message.clone(),
                ));
            }
        }
        Err(
            error @ (LoadError::TooLarge { .. }
            | LoadError::TooManyDocuments { .. }
            | LoadError::NotAManifest { .. }),
        ) => {
            findings.push(problem(
                document.line,
                None,
                String::new(),
                error.to_string(),
            ));
        }
        Ok((snapshot, notices)) => {
            for notice in notices {
                let kind = notice.object.split(' ').next().unwrap_or("");
                let (field, message, severity) = match &notice.kind {
                    NoticeKind::UnknownField { path, suggestion } => {
                        // The loader keeps only near misses of a partly typed kind's fields;
                        // the CRD may still know the field.
                        let partly_typed = crate::kinds::ALL
                            .iter()
                            .any(|r| r.kind == kind && r.is_partly_typed());
                        (
                            path.clone(),
                            unknown_field_message(path, *suggestion),
                            if partly_typed {
                                Severity::Warning
                            } else {
                                Severity::Error
                            },
                        )
                    }
                    NoticeKind::Skipped { api_version } => {
                        let operator_group =
                            api_version.starts_with(&format!("{}/", crate::monitoring::GROUP));
                        if operator_group {
                            (
                                String::new(),
                                format!("unknown kind {kind:?} in {api_version}"),
                                Severity::Error,
                            )
                        } else {
                            // Reported with the other objects outside the operator's group.
                            continue;
                        }
                    }
                };
                let line = map
                    .line_of(&field)
                    .filter(|_| !field.is_empty())
                    .unwrap_or(notice.line);
                findings.push(Problem {
                    severity,
                    ..problem(line, Some(notice.object.clone()), field, message)
                });
            }
            merged.extend(snapshot.clone());
        }
    }
}

/// Reports references the input (or the live snapshot) cannot resolve; offline and not strict,
/// stands in an empty value for each so that the other checks still run.
fn resolve_references(
    sources: &[Source],
    line_maps: &[Vec<LineMap>],
    options: &Options<'_>,
    findings: &mut Findings,
    merged: &mut Snapshot,
) {
    let mut held = HeldIndex::of(merged);
    for (source, maps) in sources.iter().zip(line_maps) {
        for (document, map) in source.documents.iter().zip(maps) {
            if document.loaded.is_err() {
                continue;
            }
            for object in objects_of(document) {
                if !object.is_monitoring() {
                    continue;
                }
                for reference in object.references() {
                    let present = held.position(&reference).is_some();
                    if reference.key.is_empty() {
                        // A stand-in made for another object's keyed reference is not the object.
                        if !present || held.is_stub(merged, &reference) {
                            findings.push(unmounted(
                                source, document, map, &object, &reference, options,
                            ));
                        }
                        continue;
                    }
                    let stubbed = held.is_stub(merged, &reference);
                    if (present && !stubbed) || options.live.is_some() || options.strict {
                        continue;
                    }
                    held.stub(merged, &reference);
                    findings.push(reference_problem(
                        (source, document, map),
                        &object,
                        &reference,
                        Severity::Warning,
                        format!(
                            "unresolved reference: {reference} is not in the input (not checked; --live resolves it, --strict makes this an error)"
                        ),
                    ));
                }
            }
        }
    }
}

/// A Secret or ConfigMap the pods mount whole that neither the input nor the cluster holds:
/// the pods wait for it, so an error once the cluster was asked or under --strict.
fn unmounted(
    source: &Source,
    document: &Document,
    map: &LineMap,
    object: &JsonObject<'_>,
    reference: &Reference,
    options: &Options<'_>,
) -> Problem {
    let (severity, not_in, advice) = match (options.live.is_some(), options.strict) {
        (true, _) => (Severity::Error, "the cluster", ""),
        (false, true) => (Severity::Error, "the input", ""),
        (false, false) => (
            Severity::Warning,
            "the input",
            " (--live resolves it, --strict makes this an error)",
        ),
    };
    reference_problem(
        (source, document, map),
        object,
        reference,
        severity,
        format!(
            "{reference} is not in {not_in}: the operator mounts it in the pods as a volume that \
             is not optional, so they do not start until it exists{advice}"
        ),
    )
}

/// A problem with `reference` of `object`, on the line of its field.
fn reference_problem(
    (source, document, map): (&Source, &Document, &LineMap),
    object: &JsonObject<'_>,
    reference: &Reference,
    severity: Severity,
    message: String,
) -> Problem {
    let field = object.field(&reference.field);
    Problem {
        severity,
        ..Problem::in_document(
            source,
            document,
            map.line_of(&field).unwrap_or(document.line),
            Some(object.describe()),
            field,
            message,
        )
    }
}

/// Label marking the stand-ins for unresolved references.
const STUB_LABEL: &str = crate::snapshot::STAND_IN_LABEL;

/// Where each Secret and ConfigMap of a snapshot is, by kind (`true` for a ConfigMap),
/// namespace and name (the first of a name given twice, as [`Snapshot::secret`] finds it): one
/// lookup per reference, where a scan of the list per reference was quadratic in the input.
struct HeldIndex(HashMap<(bool, String, String), usize>);

impl HeldIndex {
    fn of(snapshot: &Snapshot) -> Self {
        let secrets = (snapshot.secrets.iter().enumerate()).map(|(i, s)| (false, &s.metadata, i));
        let config_maps =
            (snapshot.config_maps.iter().enumerate()).map(|(i, c)| (true, &c.metadata, i));
        let mut positions = HashMap::new();
        for (config_map, meta, i) in secrets.chain(config_maps) {
            let key = (
                config_map,
                namespace_of(meta).to_owned(),
                name_of(meta).to_owned(),
            );
            positions.entry(key).or_insert(i);
        }
        HeldIndex(positions)
    }

    fn key(reference: &Reference) -> (bool, String, String) {
        let (namespace, name) = (reference.namespace.clone(), reference.name.clone());
        (reference.config_map, namespace, name)
    }

    fn position(&self, reference: &Reference) -> Option<usize> {
        self.0.get(&Self::key(reference)).copied()
    }

    fn is_stub(&self, snapshot: &Snapshot, reference: &Reference) -> bool {
        let Some(i) = self.position(reference) else {
            return false;
        };
        let meta = if reference.config_map {
            snapshot.config_maps.get(i).map(|c| &c.metadata)
        } else {
            snapshot.secrets.get(i).map(|s| &s.metadata)
        };
        meta.is_some_and(crate::snapshot::is_stand_in)
    }

    /// Adds `reference`'s key, empty, to the stand-in for its object, made when missing.
    fn stub(&mut self, snapshot: &mut Snapshot, reference: &Reference) {
        let existing = self.position(reference);
        let meta = || ObjectMeta {
            name: Some(reference.name.clone()),
            namespace: Some(reference.namespace.clone()),
            labels: Some(BTreeMap::from([(STUB_LABEL.to_owned(), "true".to_owned())])),
            ..ObjectMeta::default()
        };
        let added = if reference.config_map {
            let key = reference.key.clone();
            match existing.and_then(|i| snapshot.config_maps.get_mut(i)) {
                Some(c) => {
                    c.data
                        .get_or_insert_with(BTreeMap::new)
                        .insert(key, String::new());
                    None
                }
                None => {
                    snapshot.config_maps.push(ConfigMap {
                        metadata: meta(),
                        data: Some(BTreeMap::from([(key, String::new())])),
                        ..ConfigMap::default()
                    });
                    Some(snapshot.config_maps.len() - 1)
                }
            }
        } else {
            let key = reference.key.clone();
            match existing.and_then(|i| snapshot.secrets.get_mut(i)) {
                Some(s) => {
                    s.data
                        .get_or_insert_with(BTreeMap::new)
                        .insert(key, ByteString(Vec::new()));
                    None
                }
                None => {
                    snapshot.secrets.push(Secret {
                        metadata: meta(),
                        data: Some(BTreeMap::from([(key, ByteString(Vec::new()))])),
                        ..Secret::default()
                    });
                    Some(snapshot.secrets.len() - 1)
                }
            }
        };
        if let Some(i) = added {
            self.0.insert(Self::key(reference), i);
        }
    }
}

/// The options the operator runs with, read from its Deployment as every command reads them;
/// a Deployment whose flags the operator would refuse at start-up is an error on that object,
/// and its defaults stand in.
fn operator_options(
    (sources, line_maps): (&[Source], &[Vec<LineMap>]),
    merged: &Snapshot,
    overrides: &Overrides,
    objects: &[Checked],
    findings: &mut Findings,
) -> OperatorOptions {
    let error = match OperatorOptions::resolve(merged, overrides) {
        Ok(options) => {
            let deployment = crate::operator::operator_deployment(merged).and_then(|(d, _)| {
                let name = describe_object(
                    "Deployment",
                    d.metadata.namespace.as_deref(),
                    d.metadata.name.as_deref().unwrap_or(""),
                );
                objects.iter().find(|o| o.describe() == name)
            });
            if let (Some(object), Some(version)) = (deployment, options.other_release()) {
                findings.push(Problem::warning_on(
                    object,
                    format!(
                        "runs operator {version}; this tool reproduces {}, so what that \
                         operator generates may differ",
                        crate::operator::REPRODUCED_OPERATOR_VERSION
                    ),
                ));
            }
            return options;
        }
        Err(OptionsError::Deployment { error, .. }) => error,
        // The CLI refuses bad flags before validating.
        Err(_) => return OperatorOptions::default(),
    };
    if let Some((deployment, container)) = crate::operator::operator_deployment(merged) {
        let name = describe_object(
            "Deployment",
            deployment.metadata.namespace.as_deref(),
            deployment.metadata.name.as_deref().unwrap_or(""),
        );
        let index = deployment
            .spec
            .as_ref()
            .and_then(|s| s.template.spec.as_ref())
            .and_then(|pod| {
                pod.containers
                    .iter()
                    .position(|c| std::ptr::eq(c, container))
            })
            .unwrap_or(0);
        let field = format!("spec.template.spec.containers[{index}].args");
        match objects.iter().find(|o| o.describe() == name) {
            Some(object) => findings.push(field_problem(
                sources,
                line_maps,
                object,
                field,
                format!("the operator would not start with these arguments: {error}"),
            )),
            // The cluster's operator runs with them: what this tool cannot read is a warning.
            None => findings.push(Problem {
                source: "cluster".to_owned(),
                line: 0,
                document: 0,
                object: Some(name),
                field,
                message: format!(
                    "arguments this tool cannot read ({error}): the operator's defaults are \
                     assumed"
                ),
                severity: Severity::Warning,
            }),
        }
    }
    OperatorOptions::default()
        .with_overrides(overrides)
        .unwrap_or_default()
}

/// What the Prometheus instances decided for one resource (`Kind namespace/name`).
#[derive(Default)]
struct Decisions {
    selected_by: Vec<String>,
    rejected_by: Vec<(String, Violation)>,
}

fn record<T>(
    decisions: &mut BTreeMap<String, Decisions>,
    kind: &str,
    instance: &str,
    candidates: &[Candidate<'_, T>],
) {
    for candidate in candidates {
        let entry = || format!("{kind} {}", candidate.key);
        match &candidate.outcome {
            Outcome::Selected => decisions
                .entry(entry())
                .or_default()
                .selected_by
                .push(instance.to_owned()),
            Outcome::Rejected(violation) => decisions
                .entry(entry())
                .or_default()
                .rejected_by
                .push((instance.to_owned(), violation.clone())),
            Outcome::NotSelected(_) => {}
        }
    }
}

/// Runs the operator's checks: through every instance that selects a resource, or with
/// defaults when none does.
fn operator_checks(
    sources: &[Source],
    line_maps: &[Vec<LineMap>],
    pending: &[Pending],
    objects: &mut [Checked],
    merged: &Snapshot,
    (options, operator): (&Options<'_>, &OperatorOptions),
    findings: &mut Findings,
) {
    let mut decisions: BTreeMap<String, Decisions> = BTreeMap::new();
    let instances = merged
        .prometheuses
        .iter()
        .map(|p| {
            (
                describe_object(
                    "Prometheus",
                    p.metadata.namespace.as_deref(),
                    p.metadata.name.as_deref().unwrap_or(""),
                ),
                Target::Server(p),
            )
        })
        .chain(merged.prometheus_agents.iter().map(|a| {
            (
                describe_object(
                    "PrometheusAgent",
                    a.metadata.namespace.as_deref(),
                    a.metadata.name.as_deref().unwrap_or(""),
                ),
                Target::Agent(a),
            )
        }));
    for (name, target) in instances {
        if let Some(why) =
            operator.skips_instance(target.kind(), target.metadata(), target.paused())
        {
            not_reconciled(objects, &name, &why, findings);
        }
        workload_problem(
            sources,
            line_maps,
            objects,
            &name,
            crate::workload::Instance::from(target),
            operator,
            findings,
        );
        match select::select_monitors(merged, target, &operator.namespaces) {
            Ok(selection) => {
                match render_instance(merged, target, &selection, operator) {
                    Ok(warnings) => {
                        // Those about the instance's own fields (the unmanaged mode, a spec field
                        // dropped for the version), once each; `render` prints the rest, about
                        // generated keys and the objects the configuration reads.
                        let object = objects.iter().find(|o| o.describe() == name);
                        let mut about_spec: Vec<_> = warnings
                            .into_iter()
                            .filter(|w| w.field == "spec" || w.field.starts_with("spec."))
                            .collect();
                        about_spec
                            .sort_by(|a, b| (&a.field, &a.message).cmp(&(&b.field, &b.message)));
                        about_spec.dedup();
                        for (object, warning) in
                            about_spec.into_iter().filter_map(|w| Some((object?, w)))
                        {
                            let problem = field_problem(
                                sources,
                                line_maps,
                                object,
                                warning.field,
                                warning.message,
                            );
                            findings.push(Problem {
                                severity: Severity::Warning,
                                ..problem
                            });
                        }
                    }
                    Err(error) => {
                        let (field, message) = render_refusal(&error);
                        let refused = (field, message.as_str());
                        instance_problem(
                            sources,
                            line_maps,
                            objects,
                            &name,
                            refused,
                            NO_CONFIGURATION,
                            findings,
                        );
                    }
                }
                record(
                    &mut decisions,
                    "ServiceMonitor",
                    &name,
                    &selection.service_monitors,
                );
                record(&mut decisions, "PodMonitor", &name, &selection.pod_monitors);
                record(&mut decisions, "Probe", &name, &selection.probes);
                record(
                    &mut decisions,
                    "ScrapeConfig",
                    &name,
                    &selection.scrape_configs,
                );
            }
            Err(error) => {
                if let Some(object) = objects.iter().find(|o| o.describe() == name) {
                    findings.push(Problem::for_object(
                        object,
                        object.line,
                        String::new(),
                        format!("cannot select resources: {error}"),
                    ));
                }
            }
        }
    }

    let others = (merged
        .alertmanagers
        .iter()
        .map(|am| ("Alertmanager", &am.metadata, am.spec.paused)))
    .chain(
        merged
            .thanos_rulers
            .iter()
            .map(|t| ("ThanosRuler", &t.metadata, t.spec.paused == Some(true))),
    );
    for (kind, meta, paused) in others {
        if let Some(why) = operator.skips_instance(kind, meta, paused) {
            let name = describe_object(
                kind,
                meta.namespace.as_deref(),
                meta.name.as_deref().unwrap_or(""),
            );
            not_reconciled(objects, &name, &why, findings);
        }
    }
    for am in &merged.alertmanagers {
        let name = describe_object(
            "Alertmanager",
            am.metadata.namespace.as_deref(),
            am.metadata.name.as_deref().unwrap_or(""),
        );
        let instance = crate::workload::Instance::Alertmanager(am);
        workload_problem(
            sources, line_maps, objects, &name, instance, operator, findings,
        );
    }
    let alertmanagers = validate::alertmanager::alertmanagers(merged, &operator.namespaces);
    let refused = alertmanagers.refused.iter().map(|r| (r, NO_CONFIGURATION));
    let unloadable = (alertmanagers.unloadable.iter()).map(|u| {
        (
            u,
            "the operator copies it as is; Alertmanager refuses to load it",
        )
    });
    let unstartable = (alertmanagers.unstartable.iter()).map(|u| {
        (
            u,
            "Alertmanager exits at start-up: the operator passes it as --enable-feature",
        )
    });
    for ((name, violation), consequence) in refused.chain(unloadable).chain(unstartable) {
        let message = format!("{} [{}]", violation.message, violation.check);
        instance_problem(
            sources,
            line_maps,
            objects,
            name,
            (violation.field.clone(), &message),
            consequence,
            findings,
        );
    }
    for (name, violation) in &alertmanagers.unknown_to_reproduced {
        let Some(object) = objects.iter().find(|o| o.describe() == *name) else {
            continue;
        };
        let message = format!(
            "{} [{}] (the operator copies it as is; this field is not in the configuration types \
             of operator {}: Alertmanager loads it if its version knows the field, and refuses it \
             if it is misspelt)",
            violation.message,
            violation.check,
            crate::operator::REPRODUCED_OPERATOR_VERSION
        );
        let problem = field_problem(sources, line_maps, object, violation.field.clone(), message);
        findings.push(Problem {
            severity: Severity::Warning,
            ..problem
        });
    }
    for part in &alertmanagers.unloadable_parts {
        let reason = format!("{} [{}]", part.violation.message, part.violation.check);
        let consequence = format!(
            "the operator writes it unchecked; {} ({}) refuses to load the generated \
             configuration: a running one keeps its previous configuration, one starting exits",
            part.instance, part.version
        );
        instance_problem(
            sources,
            line_maps,
            objects,
            &part.object,
            (part.violation.field.clone(), &reason),
            &consequence,
            findings,
        );
    }
    for decision in alertmanagers.configs {
        let entry = decisions.entry(decision.object).or_default();
        match decision.outcome {
            Ok(()) => entry.selected_by.push(decision.instance),
            Err(violation) => entry.rejected_by.push((decision.instance, violation)),
        }
    }

    // PrometheusRules: judged by the rules library, with each instance's PromQL options.
    let rule_decisions = crate::rules::objects::decisions(merged, &operator.namespaces);
    for (name, field, message) in &rule_decisions.refused {
        let message = format!("cannot select PrometheusRules: {message}");
        instance_problem(
            sources,
            line_maps,
            objects,
            name,
            ((*field).to_owned(), &message),
            NO_CONFIGURATION,
            findings,
        );
    }
    for decision in rule_decisions.rules {
        let entry = decisions.entry(decision.rule).or_default();
        match decision.problem {
            None => entry.selected_by.push(decision.instance),
            Some((field, message)) => entry.rejected_by.push((
                decision.instance,
                Violation {
                    check: validate::Check::Rule,
                    field,
                    message,
                },
            )),
        }
    }
    let mut missing_paths = validate::paths::by_object(validate::paths::missing_paths(
        merged,
        operator,
        &|target: Target<'_>| {
            crate::instance::mounted_rule_config_maps(merged, target, operator).ok()
        },
    ));

    let scrape_classes: Vec<ScrapeClass> = pending
        .iter()
        .filter_map(|p| {
            let document = document_at(sources.get(p.source)?, p.document)?;
            let object = objects.get(p.object)?;
            let json = objects_of(document)
                .into_iter()
                .find(|j| j.item == object.item)?;
            text_of(json.value.pointer("/spec/scrapeClass"))
        })
        .collect::<BTreeSet<String>>()
        .into_iter()
        .map(|name| ScrapeClass {
            name,
            ..ScrapeClass::default()
        })
        .collect();
    let common = CommonPrometheusFields {
        scrape_classes,
        ..CommonPrometheusFields::default()
    };
    let version = Version::default_prometheus();
    let defaults = validate::Context {
        snapshot: merged,
        common: &common,
        version: &version,
    };

    // The costly part of each object's checks (rendering its rules, parsing expressions) is
    // independent of the others: done for all of them at once, then reported in order.
    let readonly: &[Checked] = objects;
    let prechecked = crate::parallel::map(pending, |p| {
        let object = readonly.get(p.object)?;
        let document = document_at(sources.get(p.source)?, p.document)?;
        let (snapshot, _) = document.loaded.as_ref().ok()?;
        Some(precheck(
            object,
            snapshot,
            merged,
            &defaults,
            decisions.get(&object.describe()),
        ))
    });
    for (p, prechecked) in pending.iter().zip(prechecked) {
        let Some(Prechecked {
            rule_bytes,
            unmatched,
            consumers,
        }) = prechecked
        else {
            continue;
        };
        let (Some(source), Some(maps), Some(object)) = (
            sources.get(p.source),
            line_maps.get(p.source),
            objects.get_mut(p.object),
        ) else {
            continue;
        };
        let map = maps.get(p.document.saturating_sub(1));
        let prefix = object
            .item
            .map(|i| format!("items[{i}]"))
            .unwrap_or_default();
        let described = object.describe();
        let at = |field: &str| -> (String, usize) {
            let field = if prefix.is_empty() {
                field.to_owned()
            } else {
                format!("{prefix}.{field}")
            };
            let line = map.and_then(|m| m.line_of(&field)).unwrap_or(object.line);
            (field, line)
        };
        // (field, line, message, and for a refusal by an instance the reason without who
        // refused: added to an error already at that field, since the schema's message does
        // not say that the operator drops the object)
        let mut problems: Vec<(String, usize, String, Option<String>)> = Vec::new();

        if let Some(size) = rule_bytes
            && size > crate::rules::MAX_CONFIG_MAP_DATA_SIZE
        {
            let (field, line) = at("spec");
            let message = format!(
                "the rendered rules are {size} bytes, more than the {}-byte limit of a rule ConfigMap",
                crate::rules::MAX_CONFIG_MAP_DATA_SIZE
            );
            problems.push((field, line, message, None));
        }

        for missing in missing_paths.remove(&described).unwrap_or_default() {
            let (field, line) = at(&missing.field);
            if missing.discovery {
                let message = format!(
                    "{}: Prometheus finds no targets in it (its configuration still loads)",
                    missing.message
                );
                findings.push(Problem {
                    severity: Severity::Warning,
                    ..Problem::for_object(object, line, field, message)
                });
            } else {
                problems.push((field, line, missing.message, None));
            }
        }

        let decided = decisions.get(&described);
        let matched =
            decided.is_some_and(|d| !d.selected_by.is_empty() || !d.rejected_by.is_empty());
        if let Some(decided) = decided {
            object.selected_by = decided.selected_by.clone();
            for (instance, violation) in &decided.rejected_by {
                let (field, line) = at(&violation.field);
                let reason = format!("{} [{}]", violation.message, violation.check);
                let message = format!("{reason} (rejected by {instance})");
                problems.push((field, line, message, Some(reason)));
            }
        }
        // Checked with default options only when no instance decided on it.
        if let Some(Err(violation)) = unmatched {
            let (field, line) = at(&violation.field);
            let reason = format!("{} [{}]", violation.message, violation.check);
            problems.push((field, line, reason, None));
        }
        for violation in &consumers {
            let (field, line) = at(&violation.field);
            let message = format!("{} [{}]", violation.message, violation.check);
            findings.push(Problem {
                severity: Severity::Warning,
                ..Problem::for_object(object, line, field, message)
            });
        }
        for (field, line, message, reason) in problems {
            let problem = Problem::for_object(object, line, field, message);
            match reason {
                Some(reason) => findings.push_or_amend(problem, &reason),
                // A schema error at the same field already says it.
                None if findings.has_error_at(
                    &source.name,
                    object.document,
                    &described,
                    &problem.field,
                ) => {}
                None => findings.push(problem),
            }
        }
        let selectors = selecting_instances(&object.kind);
        let namespace = object.namespace.as_deref().unwrap_or("");
        let unwatched_by = match object.kind.as_str() {
            "AlertmanagerConfig" => operator.namespaces.hides_alertmanager_configs(namespace),
            _ if selectors.is_some() => operator.namespaces.hides_configuration(namespace),
            _ => None,
        };
        if let Some(flag) = unwatched_by {
            let deployment = operator.source.as_ref().map(|s| format!(" of {s}"));
            findings.push(Problem::warning_on(
                object,
                format!(
                    "the operator does not watch namespace {namespace:?} ({flag}{}): no \
                     instance can select it",
                    deployment.unwrap_or_default()
                ),
            ));
        } else if let Some(selectors) = selectors.filter(|_| options.live.is_some() && !matched) {
            findings.push(Problem::warning_on(
                object,
                format!("no {selectors} selects it"),
            ));
        }
    }
}

/// The instances that select resources of `kind`, in words (`None`: the kind is not selected
/// by an instance): what [`Checked::selected_by`] lists.
pub fn selecting_instances(kind: &str) -> Option<&'static str> {
    match kind {
        "ServiceMonitor" | "PodMonitor" | "Probe" | "ScrapeConfig" => {
            Some("Prometheus or PrometheusAgent")
        }
        "PrometheusRule" => Some("Prometheus or ThanosRuler"),
        "AlertmanagerConfig" => Some("Alertmanager"),
        _ => None,
    }
}

/// Warns that the operator does not reconcile instance `name` at all (`why`).
fn not_reconciled(objects: &[Checked], name: &str, why: &str, findings: &mut Findings) {
    if let Some(object) = objects.iter().find(|o| o.describe() == name) {
        findings.push(Problem::warning_on(
            object,
            format!("{why}: it does not reconcile this instance"),
        ));
    }
}

/// What [`precheck`] found for one object.
struct Prechecked {
    /// A PrometheusRule's spec, rendered: its size in bytes.
    rule_bytes: Option<usize>,
    /// For an object no instance decided on: the operator's checks with default options.
    unmatched: Option<Result<(), Violation>>,
    /// What Prometheus or Alertmanager refuse in what the operator writes from the object,
    /// though the operator accepts it.
    consumers: Vec<Violation>,
}

/// The costly checks of one object of `snapshot` (its document's objects).
fn precheck(
    object: &Checked,
    snapshot: &Snapshot,
    merged: &Snapshot,
    defaults: &validate::Context<'_>,
    decided: Option<&Decisions>,
) -> Prechecked {
    let key = format!(
        "{}/{}",
        object.namespace.as_deref().unwrap_or(""),
        object.name
    );
    let rule_bytes = (object.kind == "PrometheusRule")
        .then(|| find(&snapshot.prometheus_rules, &key))
        .flatten()
        .map(|rule| crate::rules::rendered_size(&rule.spec));
    let matched = decided.is_some_and(|d| !d.selected_by.is_empty() || !d.rejected_by.is_empty());
    let unmatched = if matched {
        None
    } else {
        match object.kind.as_str() {
            "ServiceMonitor" => find(&snapshot.service_monitors, &key)
                .map(|o| validate::service_monitor(defaults, o)),
            "PodMonitor" => {
                find(&snapshot.pod_monitors, &key).map(|o| validate::pod_monitor(defaults, o))
            }
            "Probe" => find(&snapshot.probes, &key).map(|o| validate::probe(defaults, o)),
            "ScrapeConfig" => {
                find(&snapshot.scrape_configs, &key).map(|o| validate::scrape_config(defaults, o))
            }
            // As a Prometheus with every default would judge it.
            "PrometheusRule" => find(&snapshot.prometheus_rules, &key).map(|o| {
                let default = crate::monitoring::v1::Prometheus::default();
                crate::rules::Judge::of_target(Target::Server(&default))
                    .map_or(Ok(()), |judge| judge.check(o))
            }),
            "AlertmanagerConfig" => find(&snapshot.alertmanager_configs, &key)
                .map(|o| validate::alertmanager::alertmanager_config(merged, o)),
            _ => None,
        }
    };
    let consumers = match object.kind.as_str() {
        "PrometheusRule" => find(&snapshot.prometheus_rules, &key)
            .map(|rule| crate::rules::empty_durations_written(&rule.spec)),
        "AlertmanagerConfig" => find(&snapshot.alertmanager_configs, &key).map(|amc| {
            let selected = decided.is_some_and(|d| !d.selected_by.is_empty());
            validate::alertmanager::consumer_warnings(merged, amc, selected)
        }),
        _ => None,
    };
    Prechecked {
        rule_bytes,
        unmatched,
        consumers: consumers.unwrap_or_default(),
    }
}

/// Reports every object given again (same group, kind, namespace and name) at its repetition:
/// applying both would keep only the last, and render refuses the input.
fn report_duplicates(objects: &[Checked], findings: &mut Findings) {
    let group = |api_version: &str| {
        api_version
            .rsplit_once('/')
            .map_or("", |(g, _)| g)
            .to_owned()
    };
    let mut first: BTreeMap<(String, String, String, String), &Checked> = BTreeMap::new();
    for object in objects.iter().filter(|o| !o.name.is_empty()) {
        let key = (
            group(&object.api_version),
            object.kind.clone(),
            object.namespace.clone().unwrap_or_default(),
            object.name.clone(),
        );
        match first.get(&key) {
            Some(earlier) => findings.push(Problem::for_object(
                object,
                object.line,
                String::new(),
                format!(
                    "given twice: also at {}:{} (remove one)",
                    earlier.source, earlier.line
                ),
            )),
            None => {
                first.insert(key, object);
            }
        }
    }
}

/// Generates the configuration of `target` with the resources it selects, as the operator
/// does: what the operator refuses to generate (instance-level checks such as scrape classes,
/// remote write, Alertmanager endpoints, OTLP or TSDB settings) is refused here too, by the same
/// code, with the operator's start-up options. Returns the renderer's warnings (what it drops
/// or ignores).
fn render_instance(
    snapshot: &Snapshot,
    target: Target<'_>,
    selection: &select::Selection<'_>,
    operator: &OperatorOptions,
) -> Result<Vec<crate::render::Warning>, RenderError> {
    render_selection(snapshot, target, selection, operator, Vec::new()).map(|r| r.warnings)
}

/// What the operator leaves undone for an instance it refuses, said after the reason.
const NO_CONFIGURATION: &str = "the operator does not generate its configuration";
const NO_WORKLOAD: &str = "the operator creates no StatefulSet or DaemonSet for it";

/// Reports why the operator would create no workload for `instance` (named `name`), on its
/// object when the input holds it.
fn workload_problem(
    sources: &[Source],
    line_maps: &[Vec<LineMap>],
    objects: &[Checked],
    name: &str,
    instance: crate::workload::Instance<'_>,
    operator: &OperatorOptions,
    findings: &mut Findings,
) {
    if let Some(error) = crate::workload::refusal(instance, operator) {
        let reason = error.to_string();
        let refused = (String::new(), reason.as_str());
        instance_problem(
            sources,
            line_maps,
            objects,
            name,
            refused,
            NO_WORKLOAD,
            findings,
        );
    }
}

/// Reports why the operator refuses instance `name` (the `reason`, at `field`) and what it
/// then leaves undone, on the instance's object when the input holds it.
fn instance_problem(
    sources: &[Source],
    line_maps: &[Vec<LineMap>],
    objects: &[Checked],
    name: &str,
    (field, reason): (String, &str),
    consequence: &str,
    findings: &mut Findings,
) {
    let Some(object) = objects.iter().find(|o| o.describe() == name) else {
        return;
    };
    let message = format!("{reason} ({consequence})");
    let problem = field_problem(sources, line_maps, object, field, message);
    findings.push_or_amend(problem, reason);
}

/// A problem at `field` of `object` (a path from the object's root), on the field's line.
fn field_problem(
    sources: &[Source],
    line_maps: &[Vec<LineMap>],
    object: &Checked,
    field: String,
    message: String,
) -> Problem {
    let field = match object.item {
        Some(i) if field.is_empty() => format!("items[{i}]"),
        Some(i) => format!("items[{i}].{field}"),
        None => field,
    };
    let map = sources
        .iter()
        .position(|s| s.name == object.source)
        .and_then(|s| line_maps.get(s))
        .and_then(|maps| maps.get(object.document.saturating_sub(1)));
    let line = map
        .and_then(|m| m.line_of(&field))
        .filter(|_| !field.is_empty())
        .unwrap_or(object.line);
    Problem::for_object(object, line, field, message)
}

/// The Prometheus field a refusal to render is about, and the message.
fn render_refusal(error: &RenderError) -> (String, String) {
    match error {
        RenderError::Invalid { field, message } | RenderError::Refused { field, message }
            if field.starts_with("spec") =>
        {
            (field.clone(), message.clone())
        }
        RenderError::Version(_) => ("spec.version".to_owned(), error.to_string()),
        RenderError::Invalid { .. } | RenderError::Refused { .. } => {
            (String::new(), error.to_string())
        }
    }
}

/// Document `index` (1-based) of `source`.
fn document_at(source: &Source, index: usize) -> Option<&Document> {
    source
        .documents
        .get(index.saturating_sub(1))
        .filter(|d| d.index == index)
}

/// The object with key `namespace/name` (the last one wins, as in the operator).
fn find<'a, T: crate::monitoring::CustomResource>(items: &'a [T], key: &str) -> Option<&'a T> {
    let (namespace, name) = key.split_once('/')?;
    crate::snapshot::find_named(items, Some(namespace), name).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_problem_line_shows_a_bounded_message_and_no_document_for_a_whole_file() {
        let problem = Problem {
            source: "f.yaml".to_owned(),
            line: 1,
            document: 0,
            object: None,
            field: String::new(),
            message: "x".repeat(MAX_SHOWN_MESSAGE_CHARS + 5),
            severity: Severity::Error,
        };
        let shown = problem.to_string();
        assert!(shown.starts_with("f.yaml:1: xxx"), "{}", &shown[..20]);
        assert!(
            shown.ends_with("… (5 more characters)"),
            "{}",
            &shown[shown.len() - 30..]
        );
    }

    fn report(text: &str) -> Report {
        let source = Source::read("p.yaml", text).unwrap();
        validate(&[source], &Options::default())
    }

    #[test]
    fn secrets_and_config_maps_the_pods_mount_must_exist() {
        let text = "apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata: {name: p, namespace: ns}\nspec:\n  serviceMonitorSelector: {}\n  secrets: [etcd-certs]\n  configMaps: [targets]\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: etcd-certs, namespace: ns}\n";
        let offline = report(text);
        let problems: Vec<String> = offline.problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(
            problems,
            [
                "p.yaml:7: Prometheus ns/p: spec.configMaps[0]: warning: ConfigMap ns/targets is not in the input: the operator mounts it in the pods as a volume that is not optional, so they do not start until it exists (--live resolves it, --strict makes this an error)"
            ]
        );
        let source = Source::read("p.yaml", text).unwrap();
        let strict = Options {
            strict: true,
            ..Options::default()
        };
        let report = validate(&[source], &strict);
        assert_eq!(report.errors(), 1, "{:?}", report.problems);
    }

    #[test]
    fn instance_refusals_are_reported_on_the_instance() {
        // Documentation/developer/scrapeclass.md's failing example.
        let report = report(
            "apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata:\n  name: p\n  namespace: ns\nspec:\n  scrapeClasses:\n    - name: first-class\n      default: true\n    - name: second-class\n      default: true\n",
        );
        let errors: Vec<String> = report.problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(
            errors,
            [
                "p.yaml:7: Prometheus ns/p: spec.scrapeClasses: failed to parse scrape classes: multiple default scrape classes defined (the operator does not generate its configuration)"
            ]
        );
    }

    #[test]
    fn an_invalid_rule_selector_is_an_instance_refusal() {
        let report = report(
            "apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata: {name: p, namespace: ns}\nspec:\n  serviceMonitorSelector: {}\n  ruleNamespaceSelector: {matchLabels: {'a b': c}}\n",
        );
        let problem = report.problems.first().expect("a problem");
        assert_eq!(problem.field, "spec.ruleNamespaceSelector");
        assert!(
            problem
                .message
                .starts_with("cannot select PrometheusRules: invalid label key \"a b\""),
            "{problem}"
        );
    }

    #[test]
    fn scrape_timeout_compares_with_the_defaulted_interval() {
        let prometheus = "apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata:\n  name: p\n  namespace: ns\nspec:\n  serviceMonitorSelector: {}\n  scrapeTimeout: ";
        assert!(report(&format!("{prometheus}10s\n")).is_valid());
        let report = report(&format!("{prometheus}1m\n"));
        assert_eq!(report.problems.len(), 1, "{:?}", report.problems);
        assert!(
            report.problems[0]
                .message
                .contains("scrapeTimeout \"1m\" greater than scrapeInterval \"30s\""),
            "{:?}",
            report.problems
        );
    }

    #[test]
    fn an_object_given_twice_is_an_error_naming_both_places() {
        let monitor = "apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: web\n  namespace: ns\nspec:\n  endpoints: []\n  selector: {}\n";
        let sources = [
            Source::read("a.yaml", monitor).unwrap(),
            Source::read("b.yaml", monitor).unwrap(),
        ];
        let report = validate(&sources, &Options::default());
        let errors: Vec<String> = report.problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(
            errors,
            ["b.yaml:1: ServiceMonitor ns/web: given twice: also at a.yaml:1 (remove one)"]
        );
        // Another namespace is another object.
        let other = monitor.replace("namespace: ns", "namespace: other");
        let sources = [
            Source::read("a.yaml", monitor).unwrap(),
            Source::read("b.yaml", &other).unwrap(),
        ];
        assert!(validate(&sources, &Options::default()).is_valid());
    }
}
