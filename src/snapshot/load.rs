//! Reading manifests (YAML streams, JSON, `List` objects, `kubectl get -o yaml` dumps) into a
//! [`Snapshot`].
//!
//! Documents are split here rather than by the YAML library so that every document keeps its
//! file-absolute line numbers, and one broken document does not hide the others' positions.
//!
//! Limits on hostile input:
//! - a source larger than [`MAX_SOURCE_BYTES`] is refused before parsing;
//! - nesting deeper than 128 levels is refused wherever a value is decoded (both `serde_yaml_ng`
//!   and `serde_json` stop at 128); unknown fields are skipped without recursion, at any depth;
//! - YAML aliases: `serde_yaml_ng` bounds alias jumps to 100 per event of the document, which
//!   still lets a small document expand quadratically, so a document that uses anchors is first
//!   walked with a node budget ([`MAX_EXPANDED_NODES`] plus twice its length) and refused when
//!   its expansion exceeds it.

use std::cell::Cell;
use std::fmt;
use std::sync::LazyLock;

use regex::Regex;
use serde::Deserialize;
use serde::de::{DeserializeOwned, DeserializeSeed, IgnoredAny, Visitor};

use super::Snapshot;

/// Largest source accepted, in bytes.
pub const MAX_SOURCE_BYTES: usize = 16 * 1024 * 1024;

/// Node budget for a document that uses YAML aliases, on top of twice its length.
pub const MAX_EXPANDED_NODES: usize = 1_000_000;

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
    /// 1-based line where the document (or list item) starts.
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
    },
    /// An object of a kind the snapshot does not hold.
    Skipped {
        /// `apiVersion` of the object.
        api_version: String,
    },
}

impl fmt::Display for Notice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: document {} ({}): ",
            self.source_name, self.line, self.document, self.object
        )?;
        match &self.kind {
            NoticeKind::UnknownField { path } => write!(f, "unknown field {path} ignored"),
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
        let mut loaded = Snapshot::default();
        let notices = load_into(&mut loaded, source_name, text)?;
        self.extend(loaded);
        Ok(notices)
    }

    /// Appends every object of `other`.
    pub fn extend(&mut self, other: Snapshot) {
        let Snapshot {
            prometheuses,
            prometheus_agents,
            service_monitors,
            pod_monitors,
            probes,
            scrape_configs,
            prometheus_rules,
            alertmanagers,
            alertmanager_configs,
            namespaces,
            secrets,
            config_maps,
            services,
            endpoints,
            endpoint_slices,
            pods,
            nodes,
            deployments,
            replica_sets,
            jobs,
            ingresses,
        } = other;
        self.prometheuses.extend(prometheuses);
        self.prometheus_agents.extend(prometheus_agents);
        self.service_monitors.extend(service_monitors);
        self.pod_monitors.extend(pod_monitors);
        self.probes.extend(probes);
        self.scrape_configs.extend(scrape_configs);
        self.prometheus_rules.extend(prometheus_rules);
        self.alertmanagers.extend(alertmanagers);
        self.alertmanager_configs.extend(alertmanager_configs);
        self.namespaces.extend(namespaces);
        self.secrets.extend(secrets);
        self.config_maps.extend(config_maps);
        self.services.extend(services);
        self.endpoints.extend(endpoints);
        self.endpoint_slices.extend(endpoint_slices);
        self.pods.extend(pods);
        self.nodes.extend(nodes);
        self.deployments.extend(deployments);
        self.replica_sets.extend(replica_sets);
        self.jobs.extend(jobs);
        self.ingresses.extend(ingresses);
    }
}

/// Parses `text` into a new snapshot.
pub fn load(source_name: &str, text: &str) -> Result<(Snapshot, Vec<Notice>), LoadError> {
    let mut snapshot = Snapshot::default();
    let notices = load_into(&mut snapshot, source_name, text)?;
    Ok((snapshot, notices))
}

fn load_into(
    snapshot: &mut Snapshot,
    source_name: &str,
    text: &str,
) -> Result<Vec<Notice>, LoadError> {
    if text.len() > MAX_SOURCE_BYTES {
        return Err(LoadError::TooLarge {
            source_name: source_name.to_owned(),
            size: text.len(),
            limit: MAX_SOURCE_BYTES,
        });
    }
    // A byte-order mark is not part of the first document.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut loader = Loader {
        source_name,
        snapshot,
        notices: Vec::new(),
    };
    let documents = if text.trim_start().starts_with(['{', '[']) {
        split_json(text).map_err(|failure| loader.error(1, None, failure))?
    } else {
        split_yaml(text)
    };
    // Documents are numbered as the user sees objects: blank ones (comments only) do not count.
    let documents = documents.into_iter().filter(|b| !b.is_blank());
    for (index, body) in documents.enumerate() {
        loader.document(index + 1, body)?;
    }
    Ok(loader.notices)
}

/// The text (or parsed value) of one document or list item, with where it starts.
enum Body {
    /// YAML text; its line `n` is line `n + offset` of the source.
    Yaml { text: String, offset: usize },
    /// One JSON document; same line convention.
    Json { text: String, offset: usize },
    /// A list item already parsed (no positions inside); `line` is where its list starts.
    YamlValue {
        value: serde_yaml_ng::Value,
        line: usize,
    },
    /// A JSON list item.
    JsonValue {
        value: serde_json::Value,
        line: usize,
    },
}

impl Body {
    /// 1-based line where the body starts.
    fn first_line(&self) -> usize {
        match self {
            Body::Yaml { text, offset } | Body::Json { text, offset } => {
                let leading = text
                    .lines()
                    .take_while(|l| {
                        let t = l.trim();
                        t.is_empty() || t.starts_with('#')
                    })
                    .count();
                offset + leading + 1
            }
            Body::YamlValue { line, .. } | Body::JsonValue { line, .. } => *line,
        }
    }
}

/// What went wrong inside one body, positions already file-absolute.
struct Failure {
    line: Option<usize>,
    column: Option<u32>,
    path: String,
    message: String,
}

impl Failure {
    fn message(message: impl Into<String>) -> Self {
        Failure {
            line: None,
            column: None,
            path: String::new(),
            message: message.into(),
        }
    }
}

/// `apiVersion`, `kind` and the name of an object, read before its full type is known.
#[derive(Deserialize)]
struct Header {
    #[serde(default, rename = "apiVersion")]
    api_version: Option<String>,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    metadata: Option<HeaderMeta>,
    #[serde(default)]
    items: Option<Vec<IgnoredAny>>,
}

#[derive(Deserialize)]
struct HeaderMeta {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    namespace: Option<String>,
}

impl Header {
    fn describe(&self, kind: &str) -> String {
        let meta = self.metadata.as_ref();
        let name = meta.and_then(|m| m.name.as_deref()).unwrap_or("");
        match meta.and_then(|m| m.namespace.as_deref()) {
            Some(ns) if !ns.is_empty() => format!("{kind} {ns}/{name}"),
            _ => format!("{kind} {name}"),
        }
    }
}

struct Loader<'a> {
    source_name: &'a str,
    snapshot: &'a mut Snapshot,
    notices: Vec<Notice>,
}

impl Loader<'_> {
    fn error(&self, document: usize, object: Option<String>, failure: Failure) -> LoadError {
        LoadError::Invalid {
            source_name: self.source_name.to_owned(),
            document,
            line: failure.line.unwrap_or(1),
            column: failure.column,
            object,
            path: failure.path,
            message: failure.message,
        }
    }

    fn document(&mut self, index: usize, body: Body) -> Result<(), LoadError> {
        let start = body.first_line();
        let fail = |loader: &Self, object: Option<String>, mut failure: Failure| {
            failure.line = failure.line.or(Some(start));
            loader.error(index, object, failure)
        };
        body.check_expansion().map_err(|f| fail(self, None, f))?;
        let header: Header = body.decode_header().map_err(|f| fail(self, None, f))?;
        let (api_version, kind) = required_type(&header).map_err(|f| fail(self, None, f))?;
        if kind == "List" || (kind.ends_with("List") && header.items.is_some()) {
            let items = list_items(&body, header.items.as_ref().map_or(0, Vec::len))
                .map_err(|f| fail(self, Some(header.describe(&kind)), f))?;
            let item_kind = kind.strip_suffix("List").unwrap_or("").to_owned();
            for (i, item) in items.into_iter().enumerate() {
                self.object(index, item, Some((i, &api_version, &item_kind)))?;
            }
            return Ok(());
        }
        self.object(index, body, None)
    }

    /// Decodes one object (a document, or item `i` of a list whose `XList` kind gives the
    /// defaults for items that omit `apiVersion`/`kind`).
    fn object(
        &mut self,
        document: usize,
        body: Body,
        item: Option<(usize, &str, &str)>,
    ) -> Result<(), LoadError> {
        let start = body.first_line();
        let prefix = item.map_or(String::new(), |(i, _, _)| format!("items[{i}]"));
        let with_prefix = |path: &str| match (prefix.is_empty(), path.is_empty()) {
            (true, _) => path.to_owned(),
            (false, true) => prefix.clone(),
            (false, false) => format!("{prefix}.{path}"),
        };
        let fail = |loader: &Self, object: Option<String>, mut failure: Failure| {
            failure.line = failure.line.or(Some(start));
            failure.path = with_prefix(&failure.path);
            loader.error(document, object, failure)
        };
        let header: Header = body.decode_header().map_err(|f| fail(self, None, f))?;
        let header = match item {
            Some((_, list_api_version, list_kind)) if !list_kind.is_empty() => Header {
                api_version: header
                    .api_version
                    .or_else(|| Some(list_api_version.to_owned())),
                kind: header.kind.or_else(|| Some(list_kind.to_owned())),
                ..header
            },
            _ => header,
        };
        let (api_version, kind) = required_type(&header).map_err(|f| fail(self, None, f))?;
        let object = header.describe(&kind);
        let decoded = self.dispatch(&api_version, &kind, &body);
        let unknown = match decoded {
            Some(Ok(unknown)) => unknown,
            Some(Err(failure)) => return Err(fail(self, Some(object), failure)),
            None => {
                self.notices.push(Notice {
                    source_name: self.source_name.to_owned(),
                    document,
                    line: start,
                    object,
                    kind: NoticeKind::Skipped { api_version },
                });
                return Ok(());
            }
        };
        for path in unknown {
            self.notices.push(Notice {
                source_name: self.source_name.to_owned(),
                document,
                line: start,
                object: object.clone(),
                kind: NoticeKind::UnknownField {
                    path: with_prefix(&path),
                },
            });
        }
        Ok(())
    }

    /// Decodes `body` into the snapshot vector for its type; `None` for kinds not held.
    fn dispatch(
        &mut self,
        api_version: &str,
        kind: &str,
        body: &Body,
    ) -> Option<Result<Vec<String>, Failure>> {
        const MONITORING_V1: &str = "monitoring.coreos.com/v1";
        const MONITORING_V1ALPHA1: &str = "monitoring.coreos.com/v1alpha1";
        let s = &mut *self.snapshot;
        Some(match (api_version, kind) {
            (MONITORING_V1, "Prometheus") => push(body, &mut s.prometheuses, true),
            (MONITORING_V1, "ServiceMonitor") => push(body, &mut s.service_monitors, true),
            (MONITORING_V1, "PodMonitor") => push(body, &mut s.pod_monitors, true),
            (MONITORING_V1, "Probe") => push(body, &mut s.probes, true),
            (MONITORING_V1, "PrometheusRule") => push(body, &mut s.prometheus_rules, true),
            (MONITORING_V1, "Alertmanager") => push(body, &mut s.alertmanagers, true),
            (MONITORING_V1ALPHA1, "PrometheusAgent") => push(body, &mut s.prometheus_agents, true),
            (MONITORING_V1ALPHA1, "ScrapeConfig") => push(body, &mut s.scrape_configs, true),
            (MONITORING_V1ALPHA1, "AlertmanagerConfig") => {
                push(body, &mut s.alertmanager_configs, true)
            }
            ("monitoring.coreos.com/v1beta1", "AlertmanagerConfig") => {
                push_as::<crate::monitoring::v1beta1::AlertmanagerConfig, _>(
                    body,
                    &mut s.alertmanager_configs,
                )
            }
            ("v1", "Namespace") => push(body, &mut s.namespaces, false),
            ("v1", "Secret") => push(body, &mut s.secrets, false),
            ("v1", "ConfigMap") => push(body, &mut s.config_maps, false),
            ("v1", "Service") => push(body, &mut s.services, false),
            ("v1", "Endpoints") => push(body, &mut s.endpoints, false),
            ("v1", "Pod") => push(body, &mut s.pods, false),
            ("v1", "Node") => push(body, &mut s.nodes, false),
            ("discovery.k8s.io/v1", "EndpointSlice") => push(body, &mut s.endpoint_slices, false),
            ("apps/v1", "Deployment") => push(body, &mut s.deployments, false),
            ("apps/v1", "ReplicaSet") => push(body, &mut s.replica_sets, false),
            ("batch/v1", "Job") => push(body, &mut s.jobs, false),
            ("networking.k8s.io/v1", "Ingress") => push(body, &mut s.ingresses, false),
            _ => return None,
        })
    }
}

/// Decodes `body` as custom resource `T` and appends it to `into` converted to `U` (another
/// version of the same kind, as the API server serves it); returns the unknown field paths.
fn push_as<T: DeserializeOwned, U: From<T>>(
    body: &Body,
    into: &mut Vec<U>,
) -> Result<Vec<String>, Failure> {
    let mut converted = Vec::new();
    let unknown = push::<T>(body, &mut converted, true)?;
    into.extend(converted.into_iter().map(U::from));
    Ok(unknown)
}

/// Decodes `body` as `T` and appends it to `into`; returns the unknown field paths.
/// `type_fields_outside` says that `apiVersion`/`kind` are not fields of `T` (custom
/// resources), so they are not reported as unknown.
fn push<T: DeserializeOwned>(
    body: &Body,
    into: &mut Vec<T>,
    type_fields_outside: bool,
) -> Result<Vec<String>, Failure> {
    let (value, mut unknown) = body.decode::<T>()?;
    if type_fields_outside {
        unknown.retain(|p| p != "apiVersion" && p != "kind");
    }
    into.push(value);
    Ok(unknown)
}

fn required_type(header: &Header) -> Result<(String, String), Failure> {
    let missing = |field: &str| Failure {
        line: None,
        column: None,
        path: field.to_owned(),
        message: "missing: every object needs apiVersion and kind".to_owned(),
    };
    let api_version = header
        .api_version
        .clone()
        .filter(|v| !v.is_empty())
        .ok_or_else(|| missing("apiVersion"))?;
    let kind = header
        .kind
        .clone()
        .filter(|v| !v.is_empty())
        .ok_or_else(|| missing("kind"))?;
    Ok((api_version, kind))
}

impl Body {
    fn is_blank(&self) -> bool {
        match self {
            Body::Yaml { text, .. } => text.lines().all(|l| {
                let t = l.trim();
                t.is_empty() || t.starts_with('#') || t == "..."
            }),
            Body::Json { text, .. } => text.trim().is_empty(),
            Body::YamlValue { value, .. } => value.is_null(),
            Body::JsonValue { value, .. } => value.is_null(),
        }
    }

    fn decode_header(&self) -> Result<Header, Failure> {
        self.decode::<Header>().map(|(h, _)| h).map_err(|mut f| {
            f.message = f.message.replace(
                "struct Header",
                "a Kubernetes object (a mapping with apiVersion and kind)",
            );
            f
        })
    }

    /// Walks a YAML document that uses anchors with a node budget, so alias expansion stays
    /// bounded before the typed decoding expands it again.
    fn check_expansion(&self) -> Result<(), Failure> {
        let Body::Yaml { text, offset } = self else {
            return Ok(());
        };
        if !(text.contains('&') && text.contains('*')) {
            return Ok(());
        }
        let budget = Cell::new(MAX_EXPANDED_NODES.saturating_add(text.len().saturating_mul(2)));
        let de = serde_yaml_ng::Deserializer::from_str(text);
        NodeBudget(&budget)
            .deserialize(de)
            .map_err(|e| yaml_failure(&e, *offset, String::new()))
    }

    /// Decodes the body as `T`, collecting the paths of fields `T` does not know.
    fn decode<T: DeserializeOwned>(&self) -> Result<(T, Vec<String>), Failure> {
        let mut unknown = Vec::new();
        let mut record = |path: serde_ignored::Path| unknown.push(ignored_path(&path));
        let result = match self {
            Body::Yaml { text, offset } => {
                let de = serde_yaml_ng::Deserializer::from_str(text);
                serde_path_to_error::deserialize(serde_ignored::Deserializer::new(de, &mut record))
                    .map_err(|e| yaml_failure(e.inner(), *offset, e.path().to_string()))
            }
            Body::Json { text, offset } => {
                let mut de = serde_json::Deserializer::from_str(text);
                serde_path_to_error::deserialize(serde_ignored::Deserializer::new(
                    &mut de,
                    &mut record,
                ))
                .map_err(|e| json_failure(e.inner(), *offset, e.path().to_string()))
            }
            Body::YamlValue { value, .. } => serde_path_to_error::deserialize(
                serde_ignored::Deserializer::new(value.clone(), &mut record),
            )
            .map_err(|e| Failure {
                path: e.path().to_string(),
                message: strip_yaml_path(&e.inner().to_string()),
                ..Failure::message("")
            }),
            Body::JsonValue { value, .. } => serde_path_to_error::deserialize(
                serde_ignored::Deserializer::new(value.clone(), &mut record),
            )
            .map_err(|e| Failure {
                path: e.path().to_string(),
                message: e.inner().to_string(),
                ..Failure::message("")
            }),
        };
        let value = result.map_err(|mut f| {
            if f.path == "." {
                f.path.clear();
            }
            f
        })?;
        Ok((value, unknown))
    }
}

/// `a.b[0].c` for a serde_ignored path.
fn ignored_path(path: &serde_ignored::Path) -> String {
    match path {
        serde_ignored::Path::Root => String::new(),
        serde_ignored::Path::Seq { parent, index } => format!("{}[{index}]", ignored_path(parent)),
        serde_ignored::Path::Map { parent, key } => {
            let parent = ignored_path(parent);
            if parent.is_empty() {
                key.clone()
            } else {
                format!("{parent}.{key}")
            }
        }
        serde_ignored::Path::Some { parent }
        | serde_ignored::Path::NewtypeStruct { parent }
        | serde_ignored::Path::NewtypeVariant { parent } => ignored_path(parent),
    }
}

/// `line N column M` in a parser's message; compiled once, as every bad document needs it.
static LOCATION: LazyLock<Regex> = LazyLock::new(|| {
    // A fixed pattern: compiling it cannot fail.
    Regex::new(r"line (\d+) column (\d+)").unwrap_or_else(|_| unreachable!())
});

/// Adds `offset` to every `line N column M` a parser wrote into `message`, and drops the one
/// at the reported position (it is shown in front of the message).
fn shift_lines(message: &str, offset: usize, reported: Option<(usize, usize)>) -> String {
    let shifted = LOCATION
        .replace_all(message, |c: &regex::Captures<'_>| {
            let line: usize = c[1].parse().unwrap_or(0);
            format!("line {} column {}", line + offset, &c[2])
        })
        .into_owned();
    match reported {
        Some((line, column)) => {
            shifted.replacen(&format!(" at line {line} column {column}"), "", 1)
        }
        None => shifted,
    }
}

/// serde_yaml_ng prefixes its own `path: ` to messages; the path is reported separately.
fn strip_yaml_path(message: &str) -> String {
    match message.split_once(": ") {
        Some((head, tail))
            if !head.is_empty() && !head.contains(char::is_whitespace) && !tail.is_empty() =>
        {
            tail.to_owned()
        }
        _ => message.to_owned(),
    }
}

fn yaml_failure(error: &serde_yaml_ng::Error, offset: usize, path: String) -> Failure {
    let position = error.location().map(|l| (l.line() + offset, l.column()));
    let message = shift_lines(&error.to_string(), offset, position);
    Failure {
        line: position.map(|p| p.0),
        column: position.and_then(|p| u32::try_from(p.1).ok()),
        path,
        message: strip_yaml_path(&message),
    }
}

fn json_failure(error: &serde_json::Error, offset: usize, path: String) -> Failure {
    let position = (error.line() > 0).then(|| (error.line() + offset, error.column()));
    Failure {
        line: position.map(|p| p.0),
        column: position.and_then(|p| u32::try_from(p.1).ok()),
        path,
        message: shift_lines(&error.to_string(), offset, position),
    }
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
                    documents.push(Body::Yaml {
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
    documents.push(Body::Yaml {
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
        next.map_err(|e| json_failure(&e, 0, String::new()))?;
        let end = stream.byte_offset();
        let slice = text.get(start..end).unwrap_or("");
        let offset = text.get(..start).unwrap_or("").matches('\n').count();
        documents.push(Body::Json {
            text: slice.to_owned(),
            offset,
        });
        start = end;
    }
    Ok(documents)
}

/// The items of a list document, `count` of them as the header read them.
///
/// For YAML text laid out as `kubectl` writes it, each item becomes YAML text of its own (so
/// errors keep their lines); otherwise items are decoded from parsed values.
fn list_items(body: &Body, count: usize) -> Result<Vec<Body>, Failure> {
    #[derive(Deserialize)]
    struct Items<T> {
        #[serde(default)]
        items: Vec<T>,
    }
    match body {
        Body::Yaml { text, offset } => {
            if let Some(items) = split_yaml_items(text, *offset).filter(|i| i.len() == count) {
                return Ok(items);
            }
            let line = body.first_line();
            let (list, _) = body.decode::<Items<serde_yaml_ng::Value>>()?;
            Ok(list
                .items
                .into_iter()
                .map(|value| Body::YamlValue { value, line })
                .collect())
        }
        Body::Json { .. } => {
            let line = body.first_line();
            let (list, _) = body.decode::<Items<serde_json::Value>>()?;
            Ok(list
                .items
                .into_iter()
                .map(|value| Body::JsonValue { value, line })
                .collect())
        }
        Body::YamlValue { .. } | Body::JsonValue { .. } => {
            Err(Failure::message("a list inside a list is not supported"))
        }
    }
}

/// Finds the block sequence under the top-level `items:` key and cuts it into one YAML text per
/// item (the `-` blanked, so the item is an indented mapping on its original lines).
fn split_yaml_items(text: &str, offset: usize) -> Option<Vec<Body>> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let is_trivia = |l: &str| {
        let t = l.trim();
        t.is_empty() || t.starts_with('#')
    };
    let indent = |l: &str| l.len() - l.trim_start_matches(' ').len();
    let is_items_key = |l: &str| {
        l.strip_prefix("items:")
            .is_some_and(|rest| rest.trim().is_empty() || rest.trim_start().starts_with('#'))
    };
    let key_at = lines.iter().position(|l| is_items_key(l))?;
    let first = (key_at + 1..lines.len()).find(|&i| !lines.get(i).is_some_and(|l| is_trivia(l)))?;
    let seq_indent = indent(lines.get(first)?);
    let is_entry = |l: &str| {
        indent(l) == seq_indent && {
            let rest = &l[seq_indent..];
            rest.starts_with("- ") || rest.trim_end() == "-"
        }
    };
    if !is_entry(lines.get(first)?) {
        return None;
    }
    let mut items = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (i, line) in lines.iter().enumerate().skip(first) {
        if is_trivia(line) {
            if let Some((_, text)) = current.as_mut() {
                text.push_str(line);
            }
            continue;
        }
        if is_entry(line) {
            if let Some((start, text)) = current.take() {
                items.push(Body::Yaml {
                    text,
                    offset: offset + start,
                });
            }
            let mut text = String::with_capacity(line.len());
            text.push_str(&line[..seq_indent]);
            text.push(' ');
            text.push_str(&line[seq_indent + 1..]);
            current = Some((i, text));
        } else if indent(line) > seq_indent {
            let (_, text) = current.as_mut()?;
            text.push_str(line);
        } else {
            break;
        }
    }
    if let Some((start, text)) = current.take() {
        items.push(Body::Yaml {
            text,
            offset: offset + start,
        });
    }
    Some(items)
}

/// Visits every node of a document (aliases expanded), failing once the budget is spent.
#[derive(Clone, Copy)]
struct NodeBudget<'a>(&'a Cell<usize>);

impl NodeBudget<'_> {
    fn spend<E: serde::de::Error>(&self) -> Result<(), E> {
        let left = self.0.get();
        if left == 0 {
            return Err(E::custom(
                "document expands to too many nodes (YAML aliases); refusing it",
            ));
        }
        self.0.set(left - 1);
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for NodeBudget<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for NodeBudget<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML node")
    }
    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<(), E> {
        self.spend()
    }
    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<(), E> {
        self.spend()
    }
    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<(), E> {
        self.spend()
    }
    fn visit_i128<E: serde::de::Error>(self, _: i128) -> Result<(), E> {
        self.spend()
    }
    fn visit_u128<E: serde::de::Error>(self, _: u128) -> Result<(), E> {
        self.spend()
    }
    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<(), E> {
        self.spend()
    }
    fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<(), E> {
        self.spend()
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        self.spend()
    }
    fn visit_none<E: serde::de::Error>(self) -> Result<(), E> {
        self.spend()
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        self.spend()?;
        self.deserialize(d)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.spend()?;
        while seq.next_element_seed(self)?.is_some() {}
        Ok(())
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.spend()?;
        while map.next_key_seed(self)?.is_some() {
            map.next_value_seed(self)?;
        }
        Ok(())
    }
    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<(), A::Error> {
        use serde::de::VariantAccess;
        self.spend()?;
        let ((), variant) = data.variant_seed(self)?;
        variant.newtype_variant_seed(self)
    }
}

// ---------------------------------------------------------------------------------------------
// Per-document loading, for `validate` and `apply` (added by helper "validate"): each document
// is loaded on its own so that one broken document does not hide the problems of the others,
// and keeps its text and its JSON form as written.
// ---------------------------------------------------------------------------------------------

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
    /// The document as written, in JSON form; `None` when it could not be loaded.
    pub json: Option<serde_json::Value>,
    /// Its objects and notices, or why it could not be loaded.
    pub loaded: Result<(Snapshot, Vec<Notice>), LoadError>,
}

/// Splits `text` into documents and loads each on its own. Fails as a whole only when the
/// source is too large or is a JSON stream that cannot be split.
pub fn load_documents(source_name: &str, text: &str) -> Result<Vec<Document>, LoadError> {
    if text.len() > MAX_SOURCE_BYTES {
        return Err(LoadError::TooLarge {
            source_name: source_name.to_owned(),
            size: text.len(),
            limit: MAX_SOURCE_BYTES,
        });
    }
    let bodies = if text.trim_start().starts_with(['{', '[']) {
        let mut scratch = Snapshot::default();
        let loader = Loader {
            source_name,
            snapshot: &mut scratch,
            notices: Vec::new(),
        };
        split_json(text).map_err(|failure| loader.error(1, None, failure))?
    } else {
        split_yaml(text)
    };
    let mut documents = Vec::new();
    for (position, body) in bodies.into_iter().filter(|b| !b.is_blank()).enumerate() {
        let index = position + 1;
        let line = body.first_line();
        let (text, offset, is_json) = match &body {
            Body::Yaml { text, offset } => (text.clone(), *offset, false),
            Body::Json { text, offset } => (text.clone(), *offset, true),
            Body::YamlValue { .. } | Body::JsonValue { .. } => (String::new(), 0, false),
        };
        let mut snapshot = Snapshot::default();
        let mut loader = Loader {
            source_name,
            snapshot: &mut snapshot,
            notices: Vec::new(),
        };
        let loaded = loader.document(index, body).map(|()| loader.notices);
        // The text passed the loader (and its alias budget), so converting it is bounded.
        let json = match &loaded {
            Ok(_) if is_json => serde_json::from_str(&text).ok(),
            Ok(_) => serde_yaml_ng::from_str(&text).ok(),
            Err(_) => None,
        };
        documents.push(Document {
            index,
            line,
            text,
            offset,
            json,
            loaded: loaded.map(|notices| (snapshot, notices)),
        });
    }
    Ok(documents)
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(
            notices[0].kind,
            NoticeKind::UnknownField {
                path: "colour".into()
            }
        );
        assert_eq!(notices[1].line, 8);
        assert!(matches!(notices[1].kind, NoticeKind::Skipped { .. }));
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
        let (_, _, _, message) = invalid(load("f", "- a\n- b\n").unwrap_err());
        assert!(message.contains("Kubernetes object"), "{message}");
    }

    #[test]
    fn alias_bomb_is_refused() {
        let mut text =
            String::from("apiVersion: v1\nkind: ConfigMap\nl0: &l0 [a, a, a, a, a, a, a, a, a]\n");
        for i in 1..12 {
            let p = i - 1;
            text.push_str(&format!(
                "l{i}: &l{i} [*l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}]\n"
            ));
        }
        let (_, _, _, message) = invalid(load("bomb.yaml", &text).unwrap_err());
        assert!(
            message.contains("too many nodes") || message.contains("repetition limit"),
            "{message}"
        );
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

    #[test]
    fn oversized_source_is_refused() {
        let text = " ".repeat(MAX_SOURCE_BYTES + 1);
        assert!(matches!(
            load("big.yaml", &text),
            Err(LoadError::TooLarge { .. })
        ));
    }
}
