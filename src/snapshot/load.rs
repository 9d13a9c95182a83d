//! Reading manifests (YAML streams, JSON, `List` objects, `kubectl get -o yaml` dumps) and
//! objects listed from an API server into a [`Snapshot`].
//!
//! Documents are split here rather than by the YAML parser so that one broken document does not
//! hide the others. Each document is parsed into a positioned node arena
//! ([`crate::yaml::Document`]) and every object is decoded from it by the one typed decoder
//! ([`Document::decode`](crate::yaml::Document::decode)), which gives every error its field
//! path, line and column. Objects read from a cluster go through the same decoder, from JSON.
//!
//! Limits on hostile input:
//! - a source larger than [`MAX_SOURCE_BYTES`] is refused before parsing;
//! - nesting deeper than [`crate::yaml::MAX_DEPTH`] is refused when parsing, and deeper than
//!   [`crate::yaml::MAX_DECODE_DEPTH`] (aliases included) when decoding; unknown fields are
//!   skipped without being walked;
//! - YAML aliases and merge keys may produce at most the document's own size, or
//!   [`crate::yaml::MIN_ALIAS_EXPANSION_BYTES`] when that is more, over all the objects of the
//!   document (a `List` whose items each name one large anchor spends it item by item), once
//!   for the typed objects and once more for the objects as written that validate reads.

use std::fmt;

use serde::de::IgnoredAny;

use super::Snapshot;
use crate::kinds;
use crate::yaml::{self, AliasBudget, DecodeError, NodeRef, YamlError};

/// Largest source accepted, in bytes.
pub const MAX_SOURCE_BYTES: usize = 16 * 1024 * 1024;

/// Most bytes read from all sources of one command together: what they load into holds
/// several times their size.
pub const MAX_TOTAL_SOURCE_BYTES: usize = 4 * MAX_SOURCE_BYTES;

/// Most documents the sources of one command hold together, and most items of one List: a
/// parsed object takes a few kilobytes whatever its size (`validate` held 1 GB for one 16 MiB
/// file of 215,000 tiny Secrets), so the byte budgets alone do not bound memory.
pub const MAX_DOCUMENTS: usize = 100_000;

/// `read` of each of `named` (in parallel) within [`MAX_DOCUMENTS`]: the documents are counted
/// from their markers before anything is parsed, and the source that crosses the budget and
/// those after it are refused, unread.
pub fn read_within_budget<T: Send>(
    named: &[(String, String)],
    read: impl Fn(&str, &str) -> Result<T, LoadError> + Sync,
) -> Vec<Result<T, LoadError>> {
    let mut total = 0usize;
    let fitting = named
        .iter()
        .take_while(|(_, text)| {
            total += 1 + text.lines().filter(|l| l.starts_with("---")).count();
            total <= MAX_DOCUMENTS
        })
        .count();
    let mut out = crate::parallel::map(&named[..fitting], |(name, text)| read(name, text));
    out.extend(named[fitting..].iter().map(|(name, _)| {
        Err(LoadError::TooManyDocuments {
            source_name: name.clone(),
            limit: MAX_DOCUMENTS,
        })
    }));
    out
}

/// Why a source could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoadError {
    /// The source exceeds [`MAX_SOURCE_BYTES`].
    #[error("{source_name}: {size} bytes is more than the {limit}-byte limit")]
    TooLarge {
        source_name: String,
        size: usize,
        limit: usize,
    },
    /// With the sources before it, the source holds more than [`MAX_DOCUMENTS`] documents.
    #[error(
        "{source_name}: the files of this command hold more than {limit} documents (MAX_DOCUMENTS)"
    )]
    TooManyDocuments { source_name: String, limit: usize },
    /// No document of the source is a Kubernetes object (no `apiVersion` or `kind` anywhere):
    /// another kind of YAML file, such as Helm values.
    #[error("{source_name}: not a Kubernetes manifest (no document has apiVersion or kind)")]
    NotAManifest { source_name: String },
    /// A document is malformed, has a field of the wrong type, or is not a Kubernetes object.
    #[error("{}", describe_invalid(.source_name, *.document, *.line, *.column, .object.as_deref(), .path, .message))]
    Invalid {
        /// File name (or `<stdin>`).
        source_name: String,
        /// 1-based index of the document in the source.
        document: usize,
        /// 1-based line in the source.
        line: usize,
        /// 1-based column, when known (32 bits keep the error small).
        column: Option<u32>,
        /// `Kind namespace/name` of the object, when it could be read.
        object: Option<String>,
        /// Field path such as `spec.endpoints[0].port`; empty for the whole document.
        path: String,
        /// What is wrong.
        message: String,
    },
}

fn describe_invalid(
    source_name: &str,
    document: usize,
    line: usize,
    column: Option<u32>,
    object: Option<&str>,
    path: &str,
    message: &str,
) -> String {
    let mut out = format!("{source_name}:{line}");
    if let Some(column) = column {
        out.push_str(&format!(":{column}"));
    }
    out.push_str(&format!(": document {document}"));
    if let Some(object) = object {
        out.push_str(&format!(" ({object})"));
    }
    out.push_str(": ");
    if !path.is_empty() {
        out.push_str(&format!("field {path}: "));
    }
    out.push_str(message);
    out
}

/// Something the loader noticed and the user should hear about, without failing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// File name (or `<stdin>`).
    pub source_name: String,
    /// 1-based index of the document in the source.
    pub document: usize,
    /// 1-based line of what was noticed (the field, or where the object starts).
    pub line: usize,
    /// `Kind namespace/name` of the object.
    pub object: String,
    /// What was noticed.
    pub kind: NoticeKind,
}

/// The kinds of [`Notice`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoticeKind {
    /// A field the object's type does not know; it was ignored.
    UnknownField {
        /// Field path such as `spec.endpoints[0].foo`.
        path: String,
        /// The known field it is most likely a misspelling of.
        suggestion: Option<&'static str>,
    },
    /// An object of a kind the snapshot does not hold.
    Skipped {
        /// `apiVersion` of the object.
        api_version: String,
    },
}

/// Where an object held by the snapshot was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// File name (or `<stdin>`).
    pub source_name: String,
    /// 1-based index of the document in the source.
    pub document: usize,
    /// 1-based line where the object starts.
    pub line: usize,
    /// `kind`.
    pub kind: String,
    /// `metadata.namespace`, if set.
    pub namespace: Option<String>,
    /// `metadata.name`.
    pub name: String,
}

impl fmt::Display for Notice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: document {} ({}): ",
            self.source_name, self.line, self.document, self.object
        )?;
        match &self.kind {
            NoticeKind::UnknownField { path, suggestion } => {
                write!(f, "unknown field {path} ignored")?;
                match suggestion {
                    Some(name) => write!(f, " (did you mean {name:?}?)"),
                    None => Ok(()),
                }
            }
            NoticeKind::Skipped { api_version } => {
                write!(
                    f,
                    "skipped: {api_version} objects of this kind are not used"
                )
            }
        }
    }
}

impl Snapshot {
    /// Parses `text` (named `source_name` in messages) and adds its objects to the snapshot.
    ///
    /// On error the snapshot is left unchanged. Returns the notices (unknown fields, skipped
    /// kinds) in document order.
    pub fn load(&mut self, source_name: &str, text: &str) -> Result<Vec<Notice>, LoadError> {
        load_into(self, source_name, text, true).map(|(notices, _)| notices)
    }

    /// Like [`Snapshot::load`], but without the CRD defaults the API server fills in: objects
    /// exactly as written, as the operator's own unit tests build them in Go.
    pub fn load_without_defaults(
        &mut self,
        source_name: &str,
        text: &str,
    ) -> Result<Vec<Notice>, LoadError> {
        load_into(self, source_name, text, false).map(|(notices, _)| notices)
    }

    /// Adds one object (or `List`) read from an API server as JSON; `source_name` names it in
    /// messages. On error the snapshot is left unchanged.
    pub fn load_json(
        &mut self,
        source_name: &str,
        value: &serde_json::Value,
    ) -> Result<Vec<Notice>, LoadError> {
        let document = yaml::Document::from_json(value);
        let mut loaded = Snapshot::default();
        let mut loader = Loader::new(
            source_name,
            &mut loaded,
            true,
            document.root().alias_budget(),
        );
        loader.document(1, document.root())?;
        let notices = loader.notices;
        self.extend(loaded);
        Ok(notices)
    }
}

/// Reads every `(name, text)` source on its own, in parallel: each source's objects, notices
/// and where each object was read, or why the source cannot be loaded.
pub fn load_sources(sources: &[(String, String)]) -> Vec<Result<Objects, LoadError>> {
    read_within_budget(sources, |name, text| {
        let mut snapshot = Snapshot::default();
        load_into(&mut snapshot, name, text, true).map(|(notices, origins)| Objects {
            snapshot,
            notices,
            origins,
        })
    })
}

/// Parses `text` into a new snapshot.
pub fn load(source_name: &str, text: &str) -> Result<(Snapshot, Vec<Notice>), LoadError> {
    let mut snapshot = Snapshot::default();
    let (notices, _) = load_into(&mut snapshot, source_name, text, true)?;
    Ok((snapshot, notices))
}

fn too_large(source_name: &str, text: &str) -> Result<(), LoadError> {
    if text.len() > MAX_SOURCE_BYTES {
        return Err(LoadError::TooLarge {
            source_name: source_name.to_owned(),
            size: text.len(),
            limit: MAX_SOURCE_BYTES,
        });
    }
    Ok(())
}

/// The documents of a source, as text with where each starts; blank ones (comments only) are
/// left out, so documents are numbered as the user sees objects.
fn split(source_name: &str, text: &str) -> Result<Vec<Body>, LoadError> {
    too_large(source_name, text)?;
    // A byte-order mark is not part of the first document.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let bodies = if text.trim_start().starts_with(['{', '[']) {
        split_json(text).map_err(|failure| failure.into_error(source_name, 1, None))?
    } else {
        split_yaml(text)
    };
    Ok(bodies.into_iter().filter(|b| !b.is_blank()).collect())
}

/// Adds the objects of `text` to `snapshot`, which is left unchanged on error.
fn load_into(
    snapshot: &mut Snapshot,
    source_name: &str,
    text: &str,
    crd_defaults: bool,
) -> Result<(Vec<Notice>, Vec<Origin>), LoadError> {
    let bodies = numbered(split(source_name, text)?);
    // Each document is parsed and decoded on its own (in parallel for a large source) and its
    // node arena dropped at once: memory holds one arena per thread, not one per document.
    let read = crate::parallel::map(&bodies, |(index, body)| {
        read_document(source_name, *index, body, crd_defaults)
    });
    drop(bodies);
    // Errors in the order the whole source would meet them: syntax first, then "not a
    // manifest", then the first object that does not decode.
    for document in &read {
        if let ReadDocument::Unparsable(error) = document {
            return Err(error.clone());
        }
    }
    let looks_like_object = |d: &ReadDocument| {
        matches!(
            d,
            ReadDocument::Read {
                object_like: true,
                ..
            }
        )
    };
    let any_node = read.iter().any(|d| matches!(d, ReadDocument::Read { .. }));
    if any_node && !read.iter().any(looks_like_object) {
        return Err(LoadError::NotAManifest {
            source_name: source_name.to_owned(),
        });
    }
    let mut documents = Vec::with_capacity(read.len());
    for document in read {
        match document {
            ReadDocument::Read {
                loaded: Err(error), ..
            }
            | ReadDocument::Unparsable(error) => {
                return Err(error);
            }
            ReadDocument::Read {
                loaded: Ok(document),
                ..
            } => documents.push(document),
            ReadDocument::Empty => {}
        }
    }
    let parts = documents.iter().map(|d| &d.snapshot);
    snapshot.reserve_for(parts);
    let mut notices = Vec::new();
    let mut origins = Vec::with_capacity(documents.iter().map(|d| d.origins.len()).sum());
    for document in documents {
        snapshot.extend(document.snapshot);
        notices.extend(document.notices);
        origins.extend(document.origins);
    }
    Ok((notices, origins))
}

/// Documents with their 1-based index in the source.
fn numbered(bodies: Vec<Body>) -> Vec<(usize, Body)> {
    bodies
        .into_iter()
        .enumerate()
        .map(|(i, b)| (i + 1, b))
        .collect()
}

/// The objects of one source (or document) read on their own, with their notices and where
/// each was read.
#[derive(Debug, Default)]
pub struct Objects {
    pub snapshot: Snapshot,
    pub notices: Vec<Notice>,
    pub origins: Vec<Origin>,
}

enum ReadDocument {
    /// The document holds no node.
    Empty,
    Unparsable(LoadError),
    Read {
        /// It has `apiVersion` or `kind`: the source is meant as manifests.
        object_like: bool,
        loaded: Result<Box<Objects>, LoadError>,
    },
}

fn read_document(source_name: &str, index: usize, body: &Body, crd_defaults: bool) -> ReadDocument {
    let mut parsed = match body.parse() {
        Err(failure) => {
            return ReadDocument::Unparsable(failure.into_error(source_name, index, None));
        }
        Ok(None) => return ReadDocument::Empty,
        Ok(Some(parsed)) => parsed,
    };
    let root = parsed.root();
    let object_like = root.get("apiVersion").is_some() || root.get("kind").is_some();
    // Aliases are paid for out of the document as written, defaults added or not.
    let budget = root.alias_budget();
    // A document that is one custom resource (nearly all) takes its CRD's defaults in its own
    // arena; the loader copies only list items to default them.
    let header = Header::read(root);
    let schema = header
        .api_version
        .zip(header.kind)
        .and_then(|(api_version, kind)| crate::monitoring::defaults::schema(api_version, kind))
        .filter(|_| crd_defaults);
    if let Some(schema) = schema {
        parsed.apply_defaults(schema);
    }
    let loader_defaults = crd_defaults && schema.is_none();
    let loaded = decode_document(
        source_name,
        index,
        parsed.root(),
        (loader_defaults, crd_defaults),
        budget,
        None,
    );
    ReadDocument::Read {
        object_like,
        loaded: loaded.map(Box::new),
    }
}

/// The objects of one parsed document (its root node), decoded; with `written`, also each
/// object as written.
fn decode_document(
    source_name: &str,
    index: usize,
    root: NodeRef<'_>,
    (crd_defaults, refuse_breaches): (bool, bool),
    budget: AliasBudget,
    written: Option<&mut Vec<WrittenObject>>,
) -> Result<Objects, LoadError> {
    let mut snapshot = Snapshot::default();
    let mut loader = Loader::new(source_name, &mut snapshot, crd_defaults, budget);
    loader.refuse_breaches = refuse_breaches;
    loader.written = written.map(|objects| (root.alias_budget(), objects));
    let result = loader.document(index, root);
    let (notices, mut origins) = (loader.notices, loader.origins);
    // Every document's objects are held until the whole source is read: no spare room.
    snapshot.shrink_to_fit();
    origins.shrink_to_fit();
    result.map(|()| Objects {
        snapshot,
        notices,
        origins,
    })
}

/// The text of one document, and the line offset of its first line in the source.
struct Body {
    text: String,
    offset: usize,
}

impl Body {
    fn is_blank(&self) -> bool {
        self.text.lines().all(|l| {
            let t = l.trim();
            t.is_empty() || t.starts_with('#') || t == "..."
        })
    }

    /// 1-based line where the document's content starts.
    fn first_line(&self) -> usize {
        let leading = self
            .text
            .lines()
            .take_while(|l| {
                let t = l.trim();
                t.is_empty() || t.starts_with('#')
            })
            .count();
        self.offset + leading + 1
    }

    /// The document's node arena; `None` when it holds no node.
    fn parse(&self) -> Result<Option<yaml::Document>, Failure> {
        let text = yaml::json_surrogate_pairs_as_yaml(&self.text);
        let mut documents = yaml::Document::parse_stream(&text, self.offset)
            .map_err(|e| Failure::from_yaml(&e, self.first_line()))?;
        Ok((!documents.is_empty()).then(|| documents.swap_remove(0)))
    }
}

/// What went wrong inside one document, positions already file-absolute.
struct Failure {
    line: usize,
    column: Option<u32>,
    path: String,
    message: String,
}

impl Failure {
    fn at(node: NodeRef<'_>, path: &str, message: impl Into<String>) -> Self {
        Failure {
            line: node.line(),
            column: (node.column() > 0).then_some(node.column()),
            path: path.to_owned(),
            message: message.into(),
        }
    }

    fn from_yaml(error: &YamlError, fallback_line: usize) -> Self {
        let line = match error {
            YamlError::Syntax { line, .. }
            | YamlError::RecursiveAlias { line }
            | YamlError::TooDeep { line }
            | YamlError::TooManyNodes { line }
            | YamlError::TagMismatch { line, .. }
            | YamlError::InvalidBinary { line }
            | YamlError::NonScalarKey { line }
            | YamlError::InvalidMerge { line }
            | YamlError::Type { line, .. } => usize::try_from(*line).unwrap_or(0),
            YamlError::ExcessiveAliasing => 0,
        };
        let message = error.to_string();
        // The position is shown in front of the message.
        let message = match message.strip_prefix("yaml: ") {
            Some(rest) => rest
                .strip_prefix(&format!("line {line}: "))
                .unwrap_or(rest)
                .to_owned(),
            None => message,
        };
        Failure {
            line: if line > 0 { line } else { fallback_line },
            column: None,
            path: String::new(),
            message,
        }
    }

    fn from_decode(error: DecodeError, prefix: &str, fallback_line: usize) -> Self {
        Failure {
            line: if error.line > 0 {
                error.line
            } else {
                fallback_line
            },
            column: (error.column > 0).then_some(error.column),
            path: join(prefix, &error.path),
            message: error.message,
        }
    }

    fn into_error(self, source_name: &str, document: usize, object: Option<String>) -> LoadError {
        LoadError::Invalid {
            source_name: source_name.to_owned(),
            document,
            line: self.line,
            column: self.column,
            object,
            path: self.path,
            message: self.message,
        }
    }
}

fn join(prefix: &str, path: &str) -> String {
    match (prefix.is_empty(), path.is_empty()) {
        (true, _) => path.to_owned(),
        (false, true) => prefix.to_owned(),
        (false, false) => format!("{prefix}.{path}"),
    }
}

/// `apiVersion`, `kind` and the name of an object, read before its type is known.
struct Header<'d> {
    api_version: Option<&'d str>,
    kind: Option<&'d str>,
    name: Option<&'d str>,
    namespace: Option<&'d str>,
}

impl<'d> Header<'d> {
    fn read(node: NodeRef<'d>) -> Self {
        let text = |key: &str| {
            node.get(key)
                .and_then(|n| n.as_str())
                .filter(|s| !s.is_empty())
        };
        let meta = |key: &str| {
            node.get("metadata")
                .and_then(|m| m.get(key))
                .and_then(|n| n.as_str())
        };
        Header {
            api_version: text("apiVersion"),
            kind: text("kind"),
            name: meta("name"),
            namespace: meta("namespace"),
        }
    }

    fn describe(&self, kind: &str) -> String {
        describe_object(kind, self.namespace, self.name.unwrap_or(""))
    }
}

/// `Kind namespace/name`, or `Kind name` for an object without a namespace: how messages
/// name an object of the input.
pub fn describe_object(kind: &str, namespace: Option<&str>, name: &str) -> String {
    let name = if name.is_empty() { "(no name)" } else { name };
    match namespace {
        Some(ns) if !ns.is_empty() => format!("{kind} {ns}/{name}"),
        _ => format!("{kind} {name}"),
    }
}

struct Loader<'a> {
    source_name: &'a str,
    snapshot: &'a mut Snapshot,
    notices: Vec<Notice>,
    origins: Vec<Origin>,
    /// Fill in the defaults of the `monitoring.coreos.com` CRDs, as the API server does.
    crd_defaults: bool,
    /// What aliases may still produce across the document's typed objects.
    alias_budget: AliasBudget,
    /// Where to keep each object as written, with the budget of that second reading.
    written: Option<(AliasBudget, &'a mut Vec<WrittenObject>)>,
    /// Refuse a custom resource its CRD's schema validation refuses: one read from files, which
    /// the API server would never store (objects it holds passed that validation already).
    refuse_breaches: bool,
}

impl<'a> Loader<'a> {
    fn new(
        source_name: &'a str,
        snapshot: &'a mut Snapshot,
        crd_defaults: bool,
        alias_budget: AliasBudget,
    ) -> Self {
        Loader {
            source_name,
            snapshot,
            notices: Vec::new(),
            origins: Vec::new(),
            crd_defaults,
            alias_budget,
            written: None,
            refuse_breaches: false,
        }
    }

    /// The first constraint of its CRD (`crate::crd`) that `node`, a custom resource `kind` of
    /// `api_version` with its defaults, breaks: what `kubectl apply` would be refused.
    fn first_breach(api_version: &str, kind: &str, node: NodeRef<'_>) -> Option<Failure> {
        let json = match node.to_json_within(&node.alias_budget()) {
            Ok(json) => json,
            Err(error) => return Some(Failure::from_decode(error, "", node.line())),
        };
        let breaches = crate::crd::breaches(api_version, kind, &json, "");
        let first = breaches.first()?;
        let more = match breaches.len() - 1 {
            0 => String::new(),
            n => format!(" ({n} more problem(s); `kubectl promop validate` lists them all)"),
        };
        Some(Failure::at(
            node_at(node, &first.field),
            &first.field,
            format!("{}: the API server refuses the object{more}", first.message),
        ))
    }

    fn document(&mut self, index: usize, root: NodeRef<'_>) -> Result<(), LoadError> {
        let fail = |failure: Failure, object: Option<String>| {
            failure.into_error(self.source_name, index, object)
        };
        if !root.is_map() {
            return Err(fail(
                Failure::at(
                    root,
                    "",
                    "not a Kubernetes object (a mapping with apiVersion and kind)",
                ),
                None,
            ));
        }
        let header = Header::read(root);
        let (api_version, kind) = required_type(root, &header).map_err(|f| fail(f, None))?;
        let items = root.get("items");
        if kind == "List" || (kind.ends_with("List") && items.is_some()) {
            let object = Some(header.describe(kind));
            let items = match items {
                None => Vec::new(),
                Some(items) if items.is_null() => Vec::new(),
                Some(items) => items.items().ok_or_else(|| {
                    fail(
                        Failure::at(items, "items", "a list's items must be a sequence"),
                        object.clone(),
                    )
                })?,
            };
            if items.len() > MAX_DOCUMENTS {
                let at = root.get("items").unwrap_or(root);
                return Err(fail(
                    Failure::at(
                        at,
                        "items",
                        format!(
                            "{} items are more than the {MAX_DOCUMENTS} objects one command reads \
                             (MAX_DOCUMENTS)",
                            items.len()
                        ),
                    ),
                    object,
                ));
            }
            let item_kind = kind.strip_suffix("List").unwrap_or("");
            for (i, item) in items.into_iter().enumerate() {
                self.object(index, item, Some((i, api_version, item_kind)))?;
            }
            return Ok(());
        }
        self.object(index, root, None)
    }

    /// Decodes one object (a document, or item `i` of a list whose `XList` kind gives the
    /// defaults for items that omit `apiVersion`/`kind`).
    fn object(
        &mut self,
        document: usize,
        node: NodeRef<'_>,
        item: Option<(usize, &str, &str)>,
    ) -> Result<(), LoadError> {
        let prefix = item.map_or(String::new(), |(i, _, _)| format!("items[{i}]"));
        let fail = |mut failure: Failure, object: Option<String>| {
            failure.path = join(&prefix, &failure.path);
            failure.into_error(self.source_name, document, object)
        };
        if !node.is_map() {
            return Err(fail(
                Failure::at(
                    node,
                    "",
                    "not a Kubernetes object (a mapping with apiVersion and kind)",
                ),
                None,
            ));
        }
        let mut header = Header::read(node);
        if let Some((_, list_api_version, list_kind)) = item.filter(|(_, _, k)| !k.is_empty()) {
            header.api_version = header.api_version.or(Some(list_api_version));
            header.kind = header.kind.or(Some(list_kind));
        }
        let (api_version, kind) = required_type(node, &header).map_err(|f| fail(f, None))?;
        let object = header.describe(kind);
        let as_written = node;
        // The CRD's defaults, as the API server fills them in (a no-op for stored objects).
        let defaulted = crate::monitoring::defaults::schema(api_version, kind)
            .filter(|_| self.crd_defaults)
            .map(|schema| node.with_defaults(schema));
        let node = defaulted.as_ref().map_or(node, yaml::Document::root);
        let unknown = match self.dispatch(api_version, kind, node) {
            Some(Ok(unknown)) => Some(unknown),
            Some(Err(error)) => {
                let mut failure = Failure::from_decode(error, "", node.line());
                if kind == "Secret"
                    && failure.path.starts_with("data.")
                    && !failure.message.starts_with("invalid type")
                {
                    // k8s-openapi's message names neither base64 nor the problem clearly.
                    failure.message = format!("not valid base64 ({})", failure.message);
                }
                return Err(fail(failure, Some(object)));
            }
            None => None,
        };
        // validate's schema check reports a missing name with the object's other problems;
        // everything else needs the name the API server requires.
        if self.written.is_none() && unknown.is_some() {
            if header.name.is_none_or(str::is_empty) {
                let at = node.get("metadata").unwrap_or(node);
                return Err(fail(
                    Failure::at(
                        at,
                        "metadata.name",
                        "required: the API server refuses an object without a name",
                    ),
                    Some(object),
                ));
            }
            // Every CRD of the group requires a spec (a null one is pruned, so missing).
            let custom = kinds::by_group_kind(api_version, kind).is_some_and(|r| r.is_monitoring());
            if custom && node.get("spec").is_none_or(|spec| spec.is_null()) {
                let at = node.get("spec").unwrap_or(node);
                return Err(fail(
                    Failure::at(
                        at,
                        "spec",
                        "required: the API server refuses the object without it",
                    ),
                    Some(object),
                ));
            }
            if custom
                && self.refuse_breaches
                && let Some(breach) = Self::first_breach(api_version, kind, node)
            {
                return Err(fail(breach, Some(object)));
            }
        }
        if let Some((budget, written)) = &mut self.written {
            let json = as_written.to_json_within(budget).map_err(|error| {
                fail(
                    Failure::from_decode(error, "", as_written.line()),
                    Some(object.clone()),
                )
            })?;
            written.push(WrittenObject {
                item: item.map(|(i, _, _)| i),
                api_version: api_version.to_owned(),
                kind: kind.to_owned(),
                namespace: header.namespace.map(str::to_owned),
                name: header.name.unwrap_or("").to_owned(),
                json,
            });
        }
        let unknown = match unknown {
            Some(unknown) => unknown,
            None => {
                self.notices.push(Notice {
                    source_name: self.source_name.to_owned(),
                    document,
                    line: node.line(),
                    object,
                    kind: NoticeKind::Skipped {
                        api_version: api_version.to_owned(),
                    },
                });
                return Ok(());
            }
        };
        if kind == "Namespace" && api_version == "v1" {
            label_with_own_name(self.snapshot.namespaces.last_mut());
        }
        self.origins.push(Origin {
            source_name: self.source_name.to_owned(),
            document,
            line: node.line(),
            kind: kind.to_owned(),
            namespace: header
                .namespace
                .filter(|n| !n.is_empty())
                .map(str::to_owned),
            name: header.name.unwrap_or("").to_owned(),
        });
        let partly_typed =
            kinds::by_api_version(api_version, kind).is_some_and(|r| r.is_partly_typed());
        for field in unknown {
            let suggestion = field.suggestion();
            // The CRD's fields a partly typed kind leaves out are not unknown; a near miss of
            // one it holds is worth a word.
            if partly_typed && suggestion.is_none() {
                continue;
            }
            self.notices.push(Notice {
                source_name: self.source_name.to_owned(),
                document,
                line: if field.line > 0 {
                    field.line
                } else {
                    node.line()
                },
                object: object.clone(),
                kind: NoticeKind::UnknownField {
                    path: join(&prefix, &field.path),
                    suggestion,
                },
            });
        }
        Ok(())
    }

    /// Decodes `node` into the snapshot list for its type; `None` for kinds not held.
    fn dispatch(
        &mut self,
        api_version: &str,
        kind: &str,
        node: NodeRef<'_>,
    ) -> Option<Result<Vec<yaml::UnknownField>, DecodeError>> {
        if api_version == "monitoring.coreos.com/v1beta1" && kind == "AlertmanagerConfig" {
            // Served converted: the snapshot holds AlertmanagerConfigs as v1alpha1.
            return Some(self.push_v1beta1_alertmanager_config(node));
        }
        let resource = kinds::by_api_version(api_version, kind)?;
        self.snapshot
            .push_decoded(resource, node, &self.alias_budget)
    }

    fn push_v1beta1_alertmanager_config(
        &mut self,
        node: NodeRef<'_>,
    ) -> Result<Vec<yaml::UnknownField>, DecodeError> {
        let mut decoded = node
            .decode_within::<crate::monitoring::v1beta1::AlertmanagerConfig>(&self.alias_budget)?;
        decoded
            .unknown
            .retain(|u| u.path != "apiVersion" && u.path != "kind");
        self.snapshot
            .alertmanager_configs
            .push(decoded.value.into());
        Ok(decoded.unknown)
    }
}

/// The node at `path` (`spec.endpoints[0].interval`) under `node`, or the deepest one on the way
/// that was written (a default added has no line).
fn node_at<'d>(node: NodeRef<'d>, path: &str) -> NodeRef<'d> {
    let mut at = node;
    for segment in path.split('.') {
        let (key, indices) = segment.split_once('[').unwrap_or((segment, ""));
        let Some(next) = at.get(key).filter(|n| n.line() > 0) else {
            return at;
        };
        at = next;
        for index in indices.split('[').filter(|i| !i.is_empty()) {
            let item = index
                .trim_end_matches(']')
                .parse::<usize>()
                .ok()
                .and_then(|i| at.items()?.get(i).copied());
            let Some(item) = item else {
                return at;
            };
            at = item;
        }
    }
    at
}

fn required_type<'d>(
    node: NodeRef<'d>,
    header: &Header<'d>,
) -> Result<(&'d str, &'d str), Failure> {
    let missing = |field: &str| {
        let at = node.get(field).unwrap_or(node);
        Failure::at(at, field, "missing: every object needs apiVersion and kind")
    };
    let api_version = header.api_version.ok_or_else(|| missing("apiVersion"))?;
    let kind = header.kind.ok_or_else(|| missing("kind"))?;
    Ok((api_version, kind))
}

/// Namespace selectors written against [`NAMESPACE_NAME_LABEL`] must match a Namespace read
/// from a file, which rarely spells it out.
fn label_with_own_name(namespace: Option<&mut k8s_openapi::api::core::v1::Namespace>) {
    let Some(namespace) = namespace else {
        return;
    };
    let Some(name) = namespace.metadata.name.clone() else {
        return;
    };
    namespace
        .metadata
        .labels
        .get_or_insert_with(Default::default)
        .insert(super::NAMESPACE_NAME_LABEL.to_owned(), name);
}

/// Splits a YAML stream on `---` lines. A `---` line that carries content keeps it, with the
/// marker blanked so columns stay right.
fn split_yaml(text: &str) -> Vec<Body> {
    let mut documents = Vec::new();
    let mut current = String::new();
    let mut offset = 0;
    for (number, line) in text.split_inclusive('\n').enumerate() {
        let marker = line
            .strip_prefix("---")
            .filter(|rest| rest.is_empty() || rest.starts_with([' ', '\t', '\r', '\n']));
        match marker {
            Some(rest) => {
                if !current.is_empty() || number > 0 {
                    documents.push(Body {
                        text: std::mem::take(&mut current),
                        offset,
                    });
                }
                offset = number;
                current.push_str("   ");
                current.push_str(rest);
            }
            None => current.push_str(line),
        }
    }
    documents.push(Body {
        text: current,
        offset,
    });
    documents
}

/// Splits a stream of JSON values (as `kubectl get -o json` writes several).
fn split_json(text: &str) -> Result<Vec<Body>, Failure> {
    let mut documents = Vec::new();
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<IgnoredAny>();
    let mut start = 0;
    while let Some(next) = stream.next() {
        next.map_err(|e| Failure {
            line: e.line(),
            column: u32::try_from(e.column()).ok().filter(|&c| c > 0),
            path: String::new(),
            message: json_message(&e),
        })?;
        let end = stream.byte_offset();
        let slice = text.get(start..end).unwrap_or("");
        let offset = text.get(..start).unwrap_or("").matches('\n').count();
        documents.push(Body {
            text: slice.to_owned(),
            offset,
        });
        start = end;
    }
    Ok(documents)
}

/// serde_json's message without its trailing position (shown in front of it).
fn json_message(error: &serde_json::Error) -> String {
    let message = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    message
        .strip_suffix(&suffix)
        .map(str::to_owned)
        .unwrap_or(message)
}

// ---------------------------------------------------------------------------------------------
// Per-document loading, for `validate` and `apply`: each document is loaded on its own so that
// one broken document does not hide the problems of the others, and keeps its text and its JSON
// form as written.
// ---------------------------------------------------------------------------------------------

/// An object of a document as written, before the CRD's defaults: what `apply` sends and what
/// validate's schema checks read.
#[derive(Clone, Debug)]
pub struct WrittenObject {
    /// Its index in the document's `List`, if it is a list item.
    pub item: Option<usize>,
    /// `apiVersion`, or the list's for an item that leaves it out.
    pub api_version: String,
    /// `kind`, or the list's item kind for an item that leaves it out.
    pub kind: String,
    /// `metadata.namespace`, if written.
    pub namespace: Option<String>,
    /// `metadata.name`.
    pub name: String,
    /// The object in JSON form.
    pub json: serde_json::Value,
}

impl WrittenObject {
    /// The object with the `apiVersion` and `kind` it has or inherits from its list.
    pub fn body(&self) -> serde_json::Value {
        let mut body = self.json.clone();
        if let Some(map) = body.as_object_mut() {
            map.entry("kind")
                .or_insert_with(|| self.kind.as_str().into());
            map.entry("apiVersion")
                .or_insert_with(|| self.api_version.as_str().into());
        }
        body
    }
}

/// One document of a source, loaded on its own by [`load_documents`].
#[derive(Debug)]
pub struct Document {
    /// 1-based index of the document in the source (blank documents do not count).
    pub index: usize,
    /// 1-based line where the document starts.
    pub line: usize,
    /// The document's text; its line `n` is line `n + offset` of the source.
    pub text: String,
    /// Line offset of [`Document::text`] in the source.
    pub offset: usize,
    /// Its objects as written (the items of a `List` one by one); none when it could not be
    /// loaded.
    pub objects: Vec<WrittenObject>,
    /// Its objects and notices, or why it could not be loaded.
    pub loaded: Result<(Snapshot, Vec<Notice>), LoadError>,
}

impl Document {
    /// Puts every object of a namespaced kind written without a namespace into `namespace`, as
    /// kubectl does when applying: in the object as written (so an apply sends it there) and
    /// as decoded. Returns how many there were.
    pub fn place_missing_namespaces(&mut self, namespace: &str) -> usize {
        let mut placed = 0;
        for object in &mut self.objects {
            let namespaced = kinds::by_group_kind(&object.api_version, &object.kind)
                .is_some_and(|resource| resource.namespaced);
            if !namespaced || object.namespace.as_deref().is_some_and(|n| !n.is_empty()) {
                continue;
            }
            object.namespace = Some(namespace.to_owned());
            if let Some(metadata) = object
                .json
                .get_mut("metadata")
                .and_then(serde_json::Value::as_object_mut)
            {
                metadata.insert("namespace".to_owned(), namespace.into());
            }
            placed += 1;
        }
        if let Ok((snapshot, _)) = &mut self.loaded {
            snapshot.set_missing_namespaces(namespace);
        }
        placed
    }
}

/// Splits `text` into documents and loads each on its own. Fails as a whole only when the
/// source is too large or is a JSON stream that cannot be split.
pub fn load_documents(source_name: &str, text: &str) -> Result<Vec<Document>, LoadError> {
    let bodies = numbered(split(source_name, text)?);
    let loaded = crate::parallel::map(&bodies, |(index, body)| {
        load_alone(source_name, *index, body)
    });
    Ok(bodies
        .into_iter()
        .zip(loaded)
        .map(|((index, body), (objects, loaded))| Document {
            index,
            line: body.first_line(),
            text: body.text,
            offset: body.offset,
            objects,
            loaded,
        })
        .collect())
}

/// One document's objects as written and decoded, or why it could not be loaded.
type LoadedAlone = (
    Vec<WrittenObject>,
    Result<(Snapshot, Vec<Notice>), LoadError>,
);

fn load_alone(source_name: &str, index: usize, body: &Body) -> LoadedAlone {
    let parsed = match body.parse() {
        Err(failure) => {
            return (
                Vec::new(),
                Err(failure.into_error(source_name, index, None)),
            );
        }
        Ok(None) => return (Vec::new(), Ok((Snapshot::default(), Vec::new()))),
        Ok(Some(parsed)) => parsed,
    };
    let mut written = Vec::new();
    let root = parsed.root();
    match decode_document(
        source_name,
        index,
        root,
        (true, false),
        root.alias_budget(),
        Some(&mut written),
    ) {
        Ok(objects) => (written, Ok((objects.snapshot, objects.notices))),
        Err(e) => (Vec::new(), Err(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_place_namespaced_objects_without_a_namespace() {
        let text = "apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Secret, metadata: {name: a}}\n- {apiVersion: v1, kind: Namespace, metadata: {name: b}}\n- {apiVersion: v1, kind: Secret, metadata: {name: c, namespace: kept}}\n";
        let mut documents = load_documents("list.yaml", text).unwrap();
        assert_eq!(documents[0].place_missing_namespaces("team"), 1);
        let objects = &documents[0].objects;
        assert_eq!(objects[0].namespace.as_deref(), Some("team"));
        assert_eq!(objects[0].json["metadata"]["namespace"], "team");
        assert_eq!(objects[1].namespace, None);
        assert_eq!(objects[2].namespace.as_deref(), Some("kept"));
        let (snapshot, _) = documents[0].loaded.as_ref().unwrap();
        assert_eq!(
            snapshot.secrets[0].metadata.namespace.as_deref(),
            Some("team")
        );
    }

    fn invalid(err: LoadError) -> (usize, usize, String, String) {
        match err {
            LoadError::Invalid {
                document,
                line,
                path,
                message,
                ..
            } => (document, line, path, message),
            other => panic!("unexpected {other:?}"),
        }
    }

    const SECRET: &str = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  namespace: ns\n";

    #[test]
    fn multi_document_yaml_keeps_every_object() {
        let text = format!(
            "# leading comment\n---\n{SECRET}stringData:\n  a: plain\n---\n---\n{SECRET}data:\n  b: aGVsbG8=\n"
        );
        let (snapshot, notices) = load("f.yaml", &text).unwrap();
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(snapshot.secrets.len(), 2);
        assert_eq!(
            snapshot.secret_value("ns", "s", "a").as_deref(),
            Some("plain")
        );
        assert_eq!(
            snapshot.secrets[1].data.as_ref().unwrap()["b"].0,
            b"hello".to_vec()
        );
    }

    #[test]
    fn large_sources_keep_document_order_and_the_first_error() {
        let namespace =
            |i: usize| format!("---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns-{i}\n");
        let text: String = (0..200).map(namespace).collect();
        let (snapshot, _) = load("f.yaml", &text).unwrap();
        let names: Vec<&str> = snapshot
            .namespaces
            .iter()
            .filter_map(|n| n.metadata.name.as_deref())
            .collect();
        let expected: Vec<String> = (0..200).map(|i| format!("ns-{i}")).collect();
        assert_eq!(names, expected);

        // Two broken documents, and a syntax error after them: the syntax error comes first
        // (the whole source is parsed before objects are decoded), then the earliest object.
        let broken = |i: usize| match i {
            37 | 80 => format!("---\napiVersion: v1\nkind: Namespace\nmetadata: [{i}]\n"),
            _ => namespace(i),
        };
        let text: String = (0..200).map(broken).collect();
        let (document, ..) = invalid(load("f.yaml", &text).unwrap_err());
        assert_eq!(document, 38);
        let text = format!("{text}---\nkey: [unclosed\n");
        let (document, ..) = invalid(load("f.yaml", &text).unwrap_err());
        assert_eq!(document, 201);
    }

    #[test]
    fn syntax_error_line_is_file_absolute() {
        let text = format!("{SECRET}---\n{SECRET}data: [\n");
        let (document, line, _, message) = invalid(load("f.yaml", &text).unwrap_err());
        assert_eq!(document, 2);
        assert!(line >= 7, "line {line}: {message}");
    }

    #[test]
    fn wrong_type_names_field_and_line() {
        let text = format!("{SECRET}---\n{SECRET}stringData:\n  a: [1, 2]\n");
        let err = load("f.yaml", &text).unwrap_err();
        let shown = err.to_string();
        let (document, line, path, _) = invalid(err);
        assert_eq!((document, line, path.as_str()), (2, 13, "stringData.a"));
        assert!(shown.starts_with("f.yaml:13:"), "{shown}");
        assert!(shown.contains("Secret ns/s"), "{shown}");
    }

    #[test]
    fn unknown_fields_and_kinds_are_notices() {
        let text = format!(
            "{SECRET}colour: blue\n---\napiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: j\n"
        );
        let (snapshot, notices) = load("f.yaml", &text).unwrap();
        assert_eq!(snapshot.secrets.len(), 1);
        assert_eq!(notices.len(), 2, "{notices:?}");
        assert!(matches!(
            &notices[0].kind,
            NoticeKind::UnknownField { path, suggestion: None } if path == "colour"
        ));
        assert_eq!(notices[0].line, 6);
        assert_eq!(notices[1].line, 8);
        assert!(matches!(notices[1].kind, NoticeKind::Skipped { .. }));
    }

    #[test]
    fn a_partly_typed_kind_reports_only_near_misses_of_its_fields() {
        let text = "apiVersion: monitoring.coreos.com/v1\nkind: ThanosRuler\nmetadata: {name: t, namespace: x}\nspec:\n  image: quay.io/thanos/thanos\n  queryEndpoints: [q]\n  ruleSelecter: {}\n";
        let (_, notices) = load("t.yaml", text).unwrap();
        assert_eq!(notices.len(), 1, "{notices:?}");
        assert_eq!(
            notices[0].kind,
            NoticeKind::UnknownField {
                path: "spec.ruleSelecter".to_owned(),
                suggestion: Some("ruleSelector"),
            }
        );
        assert!(
            notices[0].to_string().ends_with(
                "unknown field spec.ruleSelecter ignored (did you mean \"ruleSelector\"?)"
            )
        );
    }

    #[test]
    fn an_object_without_a_name_is_refused_as_the_api_server_would() {
        let text = "apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata:\n  namespace: x\nspec: {}\n";
        let (document, line, path, message) = invalid(load("p.yaml", text).unwrap_err());
        assert_eq!((document, line, path.as_str()), (1, 4, "metadata.name"));
        assert!(
            message.contains("refuses an object without a name"),
            "{message}"
        );
        // A custom resource's spec is required too, and a null one is none.
        let specless = "apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata: {name: p, namespace: x}\nspec:\n";
        let (_, _, path, _) = invalid(load("p.yaml", specless).unwrap_err());
        assert_eq!(path, "spec");
        // Kinds the snapshot does not hold are skipped, named or not.
        let skipped = "apiVersion: batch/v1\nkind: CronJob\nmetadata: {}\n";
        assert!(load("j.yaml", skipped).is_ok());
        // validate reports it with the object's other problems.
        assert!(load_documents("p.yaml", text).unwrap()[0].loaded.is_ok());
    }

    #[test]
    fn fields_written_null_are_unset_as_the_api_server_prunes_them() {
        let text = "apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata: {name: r, namespace: x, labels:}\nspec:\n  groups:\n  - name: g\n    interval:\n    rules:\n    - alert: A\n      expr: up == 0\n      labels:\n      annotations: ~\n---\napiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {name: s, namespace: x}\nspec:\n  selector: {}\n  endpoints:\n  - port: web\n    relabelings:\n    interval: null\n";
        let (snapshot, notices) = load("n.yaml", text).unwrap();
        assert!(notices.is_empty(), "{notices:?}");
        let rule = &snapshot.prometheus_rules[0].spec.groups[0].rules[0];
        assert!(rule.labels.is_empty(), "{rule:?}");
        let endpoint = &snapshot.service_monitors[0].spec.endpoints[0];
        assert!(endpoint.relabel_configs.is_empty());
    }

    #[test]
    fn namespaces_carry_the_label_the_api_server_gives_them() {
        let text = "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: team, labels: {a: b}}\n";
        let (snapshot, _) = load("ns.yaml", text).unwrap();
        let label = |i: usize| {
            snapshot.namespaces[i]
                .metadata
                .labels
                .clone()
                .unwrap_or_default()
        };
        assert_eq!(label(0)["kubernetes.io/metadata.name"], "shop");
        assert_eq!(label(1)["kubernetes.io/metadata.name"], "team");
        assert_eq!(label(1)["a"], "b");
    }

    #[test]
    fn kubectl_list_items_keep_lines() {
        let text = "apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: a\n  data:\n    k: v\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: b\n  data:\n    k: [x]\nkind: List\nmetadata:\n  resourceVersion: \"\"\n";
        let (document, line, path, _) = invalid(load("l.yaml", text).unwrap_err());
        assert_eq!((document, line, path.as_str()), (1, 14, "items[1].data.k"));
        let ok = text.replace("[x]", "x");
        let (snapshot, notices) = load("l.yaml", &ok).unwrap();
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(snapshot.config_maps.len(), 2);
    }

    #[test]
    fn kubectl_dump_with_server_fields_loads_cleanly() {
        let text = r#"apiVersion: v1
items:
- apiVersion: monitoring.coreos.com/v1
  kind: ServiceMonitor
  metadata:
    annotations:
      kubectl.kubernetes.io/last-applied-configuration: |
        {"apiVersion":"monitoring.coreos.com/v1","kind":"ServiceMonitor"}
    creationTimestamp: "2026-01-02T03:04:05Z"
    generation: 1
    labels:
      team: frontend
    managedFields:
    - apiVersion: monitoring.coreos.com/v1
      fieldsType: FieldsV1
      fieldsV1:
        f:spec: {}
      manager: kubectl-client-side-apply
      operation: Update
      time: "2026-01-02T03:04:05Z"
    name: web
    namespace: shop
    resourceVersion: "12345"
    uid: 0b6c1d7e-0000-4000-8000-000000000000
  spec:
    endpoints:
    - port: web
      honorLabels: yes
      targetPort: 8080
    - targetPort: metrics
    selector:
      matchLabels:
        app: web
- apiVersion: v1
  kind: Service
  metadata:
    name: web
    namespace: shop
  spec:
    ports:
    - port: 80
      targetPort: 8080
  status:
    loadBalancer: {}
kind: List
metadata:
  resourceVersion: ""
"#;
        let (snapshot, notices) = load("dump.yaml", text).unwrap();
        assert!(notices.is_empty(), "{notices:?}");
        let endpoints = &snapshot.service_monitors[0].spec.endpoints;
        assert!(endpoints[0].honor_labels);
        use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
        assert_eq!(endpoints[0].target_port, Some(IntOrString::Int(8080)));
        assert_eq!(
            endpoints[1].target_port,
            Some(IntOrString::String("metrics".into()))
        );
        assert_eq!(snapshot.services.len(), 1);
    }

    #[test]
    fn flow_list_and_typed_list_items() {
        let text = "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMapList\", \"items\": [{\"metadata\": {\"name\": \"a\"}}]}";
        let (snapshot, _) = load("l.json", text).unwrap();
        assert_eq!(snapshot.config_maps.len(), 1);
    }

    #[test]
    fn json_stream_reports_lines() {
        let text = "{\"apiVersion\": \"v1\", \"kind\": \"Namespace\", \"metadata\": {\"name\": \"a\"}}\n{\"apiVersion\": \"v1\",\n \"kind\": \"Namespace\",\n \"metadata\": {\"name\": 3}}\n";
        let (document, line, path, _) = invalid(load("j.json", text).unwrap_err());
        assert_eq!((document, line, path.as_str()), (2, 4, "metadata.name"));
    }

    #[test]
    fn missing_kind_and_non_mapping_are_errors() {
        let (_, _, path, _) = invalid(load("f", "apiVersion: v1\n").unwrap_err());
        assert_eq!(path, "kind");
        let (_, _, _, message) = invalid(
            load(
                "f",
                "apiVersion: v1\nkind: Namespace\nmetadata: {name: ns1}\n---\n- a\n- b\n",
            )
            .unwrap_err(),
        );
        assert!(message.contains("Kubernetes object"), "{message}");
        assert!(matches!(
            load("values.yaml", "- a\n- b\n"),
            Err(LoadError::NotAManifest { .. })
        ));
    }

    #[test]
    fn alias_bomb_is_refused_in_bytes() {
        // 64 KiB expanded 64 times: 4 MiB from a 70 KiB document.
        let mut text = format!(
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: c}}\ndata:\n  a: &a {}\n",
            "x".repeat(64 * 1024)
        );
        for i in 0..64 {
            text.push_str(&format!("  b{i}: *a\n"));
        }
        let (_, line, path, message) = invalid(load("bomb.yaml", &text).unwrap_err());
        assert!(message.contains("alias budget"), "{message}");
        assert!(path.starts_with("data.b"), "{path}");
        assert!(line > 5, "{line}");
        // Aliases under unknown fields are never expanded.
        let ignored = text.replace("\ndata:", "\nextra:");
        assert!(load("bomb.yaml", &ignored).is_ok());
    }

    #[test]
    fn deep_nesting_is_refused() {
        let text = format!(
            "apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nstatus: {}{}\n",
            "[".repeat(200),
            "]".repeat(200)
        );
        assert!(load("deep.yaml", &text).is_err());
    }

    const PROMETHEUS: &str = "apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata:\n  name: p\n  namespace: ns\nspec:\n";

    #[test]
    fn crd_defaults_fill_absent_fields() {
        let text = format!(
            "{PROMETHEUS}  scrapeTimeout: 10s\n  remoteWrite:\n  - url: http://a\n    writeRelabelConfigs:\n    - sourceLabels: [a]\n    - action: drop\n"
        );
        let (snapshot, notices) = load("p.yaml", &text).unwrap();
        assert!(notices.is_empty(), "{notices:?}");
        let spec = &snapshot.prometheuses[0].spec;
        assert_eq!(spec.scrape_interval.as_deref(), Some("30s"));
        assert_eq!(spec.evaluation_interval.as_deref(), Some("30s"));
        assert_eq!(spec.scrape_timeout.as_deref(), Some("10s"));
        // In a list item, and only where the field is absent.
        let relabelings = &spec.remote_write[0].write_relabel_configs;
        assert_eq!(relabelings[0].action, "replace");
        assert_eq!(relabelings[1].action, "drop");
        // As written, for the operator's own tests.
        let mut as_written = Snapshot::default();
        as_written.load_without_defaults("p.yaml", &text).unwrap();
        assert_eq!(as_written.prometheuses[0].spec.scrape_interval, None);
    }

    #[test]
    fn crd_defaults_keep_values_and_error_positions() {
        let text = "apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: m\nspec:\n  selector: {}\n  endpoints:\n  - port: web\n    relabelings:\n    - action: keep\n      regex: [x]\n";
        let (document, line, path, _) = invalid(load("m.yaml", text).unwrap_err());
        assert_eq!(
            (document, line, path.as_str()),
            (1, 11, "spec.endpoints[0].relabelings[0].regex")
        );
        let err = load("m.yaml", text).unwrap_err().to_string();
        assert!(err.starts_with("m.yaml:11:14:"), "{err}");
        let (snapshot, _) = load("m.yaml", &text.replace("[x]", "x")).unwrap();
        let endpoint = &snapshot.service_monitors[0].spec.endpoints[0];
        assert_eq!(endpoint.relabel_configs[0].action, "keep");
        assert_eq!(endpoint.port, "web");
    }

    #[test]
    fn crd_defaults_are_a_no_op_on_stored_objects() {
        let value = serde_json::json!({
            "apiVersion": "monitoring.coreos.com/v1", "kind": "Prometheus",
            "metadata": {"name": "p"},
            "spec": {"scrapeInterval": "1m", "evaluationInterval": "30s", "portName": "web", "shards": 1}
        });
        let mut snapshot = Snapshot::default();
        snapshot.load_json("cluster", &value).unwrap();
        let spec = &snapshot.prometheuses[0].spec;
        assert_eq!(spec.scrape_interval.as_deref(), Some("1m"));
        assert_eq!(spec.shards, Some(1));
    }

    /// An object that reaches every defaulted field of `schema`.
    fn skeleton(schema: &crate::yaml::SchemaNode) -> serde_json::Value {
        if let Some(items) = schema.items {
            return serde_json::json!([skeleton(items)]);
        }
        let mut object = serde_json::Map::new();
        for (name, child) in schema.properties {
            if !child.properties.is_empty() || child.items.is_some() || child.additional.is_some() {
                object.insert((*name).to_owned(), skeleton(child));
            }
        }
        if let Some(values) = schema.additional {
            object.insert("key".to_owned(), skeleton(values));
        }
        serde_json::Value::Object(object)
    }

    const DEFAULTED_KINDS: [(&str, &str); 8] = [
        ("monitoring.coreos.com/v1", "Prometheus"),
        ("monitoring.coreos.com/v1", "ServiceMonitor"),
        ("monitoring.coreos.com/v1", "PodMonitor"),
        ("monitoring.coreos.com/v1", "Probe"),
        ("monitoring.coreos.com/v1", "Alertmanager"),
        ("monitoring.coreos.com/v1alpha1", "PrometheusAgent"),
        ("monitoring.coreos.com/v1alpha1", "ScrapeConfig"),
        ("monitoring.coreos.com/v1alpha1", "AlertmanagerConfig"),
    ];

    #[test]
    fn crd_defaults_table_is_well_formed() {
        // Sorted properties (looked up by binary search) and defaults that are JSON.
        fn check(schema: &crate::yaml::SchemaNode, path: &str) {
            if let Some(default) = schema.default {
                assert!(
                    serde_json::from_str::<serde_json::Value>(default).is_ok(),
                    "{path}"
                );
            }
            assert!(
                schema.properties.is_sorted_by_key(|(name, _)| *name),
                "{path}"
            );
            for (name, child) in schema.properties {
                check(child, &format!("{path}.{name}"));
            }
            if let Some(items) = schema.items {
                check(items, &format!("{path}[]"));
            }
            if let Some(values) = schema.additional {
                check(values, &format!("{path}{{}}"));
            }
        }
        for (api_version, kind) in DEFAULTED_KINDS {
            check(
                crate::monitoring::defaults::schema(api_version, kind).unwrap(),
                kind,
            );
        }
        assert!(
            crate::monitoring::defaults::schema("monitoring.coreos.com/v1", "PrometheusRule")
                .is_none()
        );
    }

    #[test]
    fn every_defaulted_field_is_known_to_the_types() {
        for (api_version, kind) in DEFAULTED_KINDS {
            let schema = crate::monitoring::defaults::schema(api_version, kind).unwrap();
            let mut object = skeleton(schema);
            object["apiVersion"] = api_version.into();
            object["kind"] = kind.into();
            object["metadata"] = serde_json::json!({"name": "x"});
            // The skeleton's own unknown fields (Kubernetes fields newer than k8s-openapi's)
            // are reported either way; the defaults add none.
            let notices = |crd_defaults: bool| {
                let document = yaml::Document::from_json(&object);
                let mut snapshot = Snapshot::default();
                let budget = document.root().alias_budget();
                let mut loader = Loader::new(kind, &mut snapshot, crd_defaults, budget);
                loader.document(1, document.root()).unwrap();
                loader.notices
            };
            assert_eq!(notices(true), notices(false), "{kind}");
        }
    }

    #[test]
    fn list_items_naming_one_anchor_share_the_document_alias_budget() {
        // Each item alone stays within a budget; all of them together do not.
        let big = "x".repeat(300 * 1024);
        let mut text = format!(
            "apiVersion: v1\nkind: List\nitems:\n- &cm {{apiVersion: v1, kind: ConfigMap, \
             metadata: {{name: c, namespace: ns}}, data: {{k: {big}}}}}\n"
        );
        text.push_str(&"- *cm\n".repeat(10));
        let (_, _, path, message) = invalid(load("list.yaml", &text).unwrap_err());
        assert!(message.contains("alias budget"), "{message}");
        assert!(path.starts_with("items["), "{path}");
        let short = text.lines().take(6).collect::<Vec<_>>().join("\n");
        assert_eq!(load("list.yaml", &short).unwrap().0.config_maps.len(), 3);
    }

    #[test]
    fn oversized_source_is_refused() {
        let text = " ".repeat(MAX_SOURCE_BYTES + 1);
        assert!(matches!(
            load("big.yaml", &text),
            Err(LoadError::TooLarge { .. })
        ));
    }
}
