//! A parsed YAML document as an arena of positioned nodes, before any meaning is given to its
//! scalars.
//!
//! Both readers of YAML in the project start here: the yaml.v2 emulation ([`super::parse`])
//! turns a document into a [`super::Yaml`] tree, and the typed decoder ([`super::de`]) decodes
//! Kubernetes objects straight from the nodes, so that every field keeps its line and column.
//! Events come from `saphyr-parser`, which reports each scalar's style: plain and quoted
//! scalars stay distinguishable (`yes` is a boolean, `"yes"` a string).

use std::collections::BTreeMap;

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Tag};
use serde_json::Value;

use super::YamlError;

/// Deepest nesting of collections accepted while parsing (aliases are bounded where they are
/// expanded). yaml.v2 stops at 10000; real configuration nests a few dozen levels, and a lower
/// bound keeps every recursive walk over a tree (decoding, emitting, dropping) well inside a
/// thread's stack.
pub const MAX_DEPTH: usize = 256;

/// Most nodes (scalars, collections, aliases) one parse reads, over all its documents: what a
/// document of 64 MiB holds at a line a node (the largest Prometheus configuration the
/// decompression limit lets through), and so a bound on the memory dense text could take.
pub const MAX_NODES: usize = 4_000_000;

/// What a node is.
#[derive(Debug)]
pub(super) enum Kind {
    Scalar {
        value: String,
        /// Explicit tag, in full (`tag:yaml.org,2002:int`).
        tag: Option<String>,
        /// Plain (unquoted) and untagged: its meaning comes from resolution.
        plain: bool,
    },
    Seq(Vec<usize>),
    /// Keys and values alternate.
    Map(Vec<usize>),
    Alias {
        target: usize,
    },
}

#[derive(Debug)]
pub(super) struct Node {
    pub(super) kind: Kind,
    /// 1-based line where the node starts.
    pub(super) line: u64,
    /// 1-based column where the node starts.
    pub(super) column: u32,
}

/// One document's nodes; `root` indexes `nodes`.
#[derive(Debug)]
pub struct Document {
    pub(super) nodes: Vec<Node>,
    pub(super) root: usize,
}

fn syntax_error(err: &ScanError, line_offset: usize) -> YamlError {
    YamlError::Syntax {
        line: u64::try_from(err.marker().line() + line_offset).unwrap_or(0),
        problem: err.info().to_owned(),
    }
}

/// The full name of an explicit tag (`!!int` becomes `tag:yaml.org,2002:int`).
fn tag_name(tag: &Tag) -> String {
    format!("{}{}", tag.handle, tag.suffix)
}

impl Document {
    /// Parses every document of `text`, whose line `n` is line `n + line_offset` of its file.
    /// Empty documents (no node) are left out.
    pub fn parse_stream(text: &str, line_offset: usize) -> Result<Vec<Document>, YamlError> {
        load(text, false, line_offset)
    }

    /// The document a JSON value spells (no positions: every node is at line 0).
    pub fn from_json(value: &Value) -> Document {
        fn add(nodes: &mut Vec<Node>, value: &Value) -> usize {
            let scalar = |value: String, plain: bool| Kind::Scalar {
                value,
                tag: None,
                plain,
            };
            let kind = match value {
                Value::Null => scalar("null".to_owned(), true),
                Value::Bool(b) => scalar(b.to_string(), true),
                Value::Number(n) => scalar(n.to_string(), true),
                Value::String(s) => scalar(s.clone(), false),
                Value::Array(_) => Kind::Seq(Vec::new()),
                Value::Object(_) => Kind::Map(Vec::new()),
            };
            let id = nodes.len();
            nodes.push(Node {
                kind,
                line: 0,
                column: 0,
            });
            let children: Vec<usize> = match value {
                Value::Array(items) => items.iter().map(|item| add(nodes, item)).collect(),
                Value::Object(map) => {
                    let mut children = Vec::with_capacity(map.len() * 2);
                    for (key, item) in map {
                        let key_id = nodes.len();
                        nodes.push(Node {
                            kind: scalar(key.clone(), false),
                            line: 0,
                            column: 0,
                        });
                        children.push(key_id);
                        children.push(add(nodes, item));
                    }
                    children
                }
                _ => return id,
            };
            if let Some(Node {
                kind: Kind::Seq(slot) | Kind::Map(slot),
                ..
            }) = nodes.get_mut(id)
            {
                *slot = children;
            }
            id
        }
        // serde_json stops at 128 levels when parsing, so this recursion is bounded.
        let mut nodes = Vec::new();
        let root = add(&mut nodes, value);
        Document { nodes, root }
    }

    pub(super) fn node(&self, id: usize) -> &Node {
        // Ids are created by `load` or `from_json` for this very node list, never taken from
        // the input.
        &self.nodes[id]
    }

    /// The node `id` refers to, through aliases (an alias chain longer than the document
    /// cannot exist, so the walk is bounded by its length).
    pub(super) fn follow(&self, mut id: usize) -> Option<usize> {
        for _ in 0..=self.nodes.len() {
            match &self.node(id).kind {
                Kind::Alias { target } => id = *target,
                _ => return Some(id),
            }
        }
        None
    }

    /// The root node, where the document starts.
    pub fn root(&self) -> NodeRef<'_> {
        NodeRef {
            doc: self,
            id: self.root,
        }
    }
}

/// A node of a [`Document`], for reading an object's header (`apiVersion`, `kind`, `items`)
/// before its type is known.
#[derive(Clone, Copy)]
pub struct NodeRef<'d> {
    pub(super) doc: &'d Document,
    pub(super) id: usize,
}

impl<'d> NodeRef<'d> {
    fn kind(&self) -> &'d Kind {
        let doc: &'d Document = self.doc;
        &doc.node(doc.follow(self.id).unwrap_or(self.id)).kind
    }

    /// 1-based line where the node starts (0 for a document built from JSON).
    pub fn line(&self) -> usize {
        usize::try_from(self.doc.node(self.id).line).unwrap_or(0)
    }

    /// 1-based column where the node starts.
    pub fn column(&self) -> u32 {
        self.doc.node(self.id).column
    }

    /// The value of `key` in a mapping node.
    pub fn get(&self, key: &str) -> Option<NodeRef<'d>> {
        let Kind::Map(children) = self.kind() else {
            return None;
        };
        children.chunks(2).find_map(|pair| match *pair {
            [k, v] => {
                let k = NodeRef {
                    doc: self.doc,
                    id: k,
                };
                (k.as_str() == Some(key)).then_some(NodeRef {
                    doc: self.doc,
                    id: v,
                })
            }
            _ => None,
        })
    }

    /// The text of a scalar that is a string (quoted, or plain and not null, bool or number).
    pub fn as_str(&self) -> Option<&'d str> {
        match self.kind() {
            Kind::Scalar { value, plain, .. }
                if !*plain || super::resolve::resolve_plain(value).is_string() =>
            {
                Some(value)
            }
            _ => None,
        }
    }

    /// Whether the node is null (`~`, `null`, or nothing at all).
    pub fn is_null(&self) -> bool {
        matches!(self.kind(), Kind::Scalar { value, plain: true, .. }
            if matches!(super::resolve::resolve_plain(value), super::resolve::Resolved::Null))
    }

    /// Whether the node is a mapping.
    pub fn is_map(&self) -> bool {
        matches!(self.kind(), Kind::Map(_))
    }

    /// The items of a sequence node.
    pub fn items(&self) -> Option<Vec<NodeRef<'d>>> {
        match self.kind() {
            Kind::Seq(items) => Some(
                items
                    .iter()
                    .map(|&id| NodeRef { doc: self.doc, id })
                    .collect(),
            ),
            _ => None,
        }
    }
}

/// `text` with each JSON surrogate-pair escape (`\ud83d\ude00`, as `jq -a` and Python's
/// `json.dumps` write characters outside the BMP) turned into YAML's `\U0001f600`, when
/// `text` is JSON (starts with `{` or `[`, as kubectl decides): YAML refuses a surrogate in a
/// `\u` escape, while kubectl reads such a manifest with a JSON decoder. Only for manifests:
/// what Prometheus or Alertmanager read with Go's YAML parser refuses them as it does.
pub fn json_surrogate_pairs_as_yaml(text: &str) -> std::borrow::Cow<'_, str> {
    let json = matches!(text.trim_start().as_bytes().first(), Some(b'{' | b'['));
    if !json || !text.contains("\\u") {
        return std::borrow::Cow::Borrowed(text);
    }
    let hex4 = |s: &str| -> Option<u32> {
        let digits = s.get(..4)?;
        if digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            u32::from_str_radix(digits, 16).ok()
        } else {
            None
        }
    };
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('\\') {
        out.push_str(&rest[..at]);
        let escape = &rest[at..];
        let pair = escape
            .strip_prefix("\\u")
            .and_then(|s| Some((hex4(s)?, s.get(4..)?)))
            .filter(|(high, _)| (0xD800..0xDC00).contains(high))
            .and_then(|(high, s)| {
                let low = hex4(s.strip_prefix("\\u")?)?;
                (0xDC00..0xE000)
                    .contains(&low)
                    .then(|| 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
            });
        match pair {
            Some(code) => {
                out.push_str(&format!("\\U{code:08x}"));
                rest = &escape[12..];
            }
            // Any other escape is copied whole, so `\\u` (an escaped backslash, then `u`) stays.
            None => {
                let len = escape[1..].chars().next().map_or(1, |c| 1 + c.len_utf8());
                out.push_str(&escape[..len]);
                rest = &escape[len..];
            }
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// Reads the event stream into node arenas, one per document (only the first if
/// `first_only`), at most [`MAX_NODES`] nodes.
pub(super) fn load(
    text: &str,
    first_only: bool,
    line_offset: usize,
) -> Result<Vec<Document>, YamlError> {
    load_within(text, first_only, line_offset, MAX_NODES)
}

fn load_within(
    text: &str,
    first_only: bool,
    line_offset: usize,
    max_nodes: usize,
) -> Result<Vec<Document>, YamlError> {
    let mut docs = Vec::new();
    let mut nodes: Vec<Node> = Vec::new();
    // Anchor ids (as the parser numbers them) to nodes.
    let mut anchors: BTreeMap<usize, usize> = BTreeMap::new();
    // Open collections, innermost last.
    let mut open: Vec<usize> = Vec::new();
    let mut root: Option<usize> = None;

    let mut read = 0usize;
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| syntax_error(&e, line_offset))?;
        let line = u64::try_from(span.start.line() + line_offset).unwrap_or(0);
        let column = u32::try_from(span.start.col() + 1).unwrap_or(0);
        let (kind, anchor_id, opens) = match event {
            Event::Nothing | Event::StreamStart => continue,
            Event::StreamEnd => break,
            Event::DocumentStart(_) => {
                nodes.clear();
                anchors.clear();
                open.clear();
                root = None;
                continue;
            }
            Event::DocumentEnd => {
                let document_nodes = std::mem::take(&mut nodes);
                if let Some(root) = root.take() {
                    docs.push(Document {
                        nodes: document_nodes,
                        root,
                    });
                }
                if first_only {
                    break;
                }
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                open.pop();
                continue;
            }
            Event::Alias(anchor_id) => {
                let Some(&target) = anchors.get(&anchor_id) else {
                    return Err(YamlError::Syntax {
                        line,
                        problem: "unknown anchor referenced".to_owned(),
                    });
                };
                (Kind::Alias { target }, 0, false)
            }
            Event::Scalar(value, style, anchor_id, tag) => (
                Kind::Scalar {
                    value: value.into_owned(),
                    plain: style == ScalarStyle::Plain && tag.is_none(),
                    tag: tag.as_deref().map(tag_name),
                },
                anchor_id,
                false,
            ),
            Event::SequenceStart(anchor_id, _) => (Kind::Seq(Vec::new()), anchor_id, true),
            Event::MappingStart(anchor_id, _) => (Kind::Map(Vec::new()), anchor_id, true),
        };
        read += 1;
        if read > max_nodes {
            return Err(YamlError::TooManyNodes { line });
        }
        let id = nodes.len();
        nodes.push(Node { kind, line, column });
        if anchor_id != 0 {
            anchors.insert(anchor_id, id);
        }
        match open.last().and_then(|&parent| nodes.get_mut(parent)) {
            Some(Node {
                kind: Kind::Seq(children) | Kind::Map(children),
                ..
            }) => children.push(id),
            _ => root = root.or(Some(id)),
        }
        if opens {
            open.push(id);
            if open.len() > MAX_DEPTH {
                return Err(YamlError::TooDeep { line });
            }
        }
    }
    Ok(docs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dense_text_stops_at_the_node_budget() {
        let text = "a: [b, c]\n---\nd: [e, f, g]\n";
        assert!(load_within(text, false, 0, 11).is_ok());
        assert!(matches!(
            load_within(text, false, 0, 10),
            Err(YamlError::TooManyNodes { line: 3 })
        ));
    }

    #[test]
    fn json_surrogate_pairs_read_as_kubectl_reads_them() {
        let text =
            json_surrogate_pairs_as_yaml(r#"{"a": "x\ud83d\ude00y", "b": "\\ud83d\\ude00"}"#);
        let docs = Document::parse_stream(&text, 0).unwrap();
        let root = docs[0].root();
        assert_eq!(root.get("a").and_then(|v| v.as_str()), Some("x\u{1F600}y"));
        assert_eq!(
            root.get("b").and_then(|v| v.as_str()),
            Some(r"\ud83d\ude00")
        );
        // YAML is left as YAML reads it, and the parser itself refuses them, as Go's does.
        let yaml = "a: \"\\ud83d\\ude00\"\n";
        assert!(Document::parse_stream(&json_surrogate_pairs_as_yaml(yaml), 0).is_err());
        assert!(Document::parse_stream(r#"{"a": "\ud83d\ude00"}"#, 0).is_err());
    }

    #[test]
    fn header_reads_and_positions() {
        let docs = Document::parse_stream("a: 1\nkind: 'X'\nitems:\n- b\n", 10).unwrap();
        let root = docs[0].root();
        assert_eq!(root.get("kind").and_then(|k| k.as_str()), Some("X"));
        assert_eq!(root.get("a").and_then(|k| k.as_str()), None);
        let kind = root.get("kind").unwrap();
        assert_eq!((kind.line(), kind.column()), (12, 7));
        assert_eq!(
            root.get("items").and_then(|i| i.items()).map(|i| i.len()),
            Some(1)
        );
    }

    #[test]
    fn json_values_become_nodes() {
        let doc = Document::from_json(&serde_json::json!({"a": "1", "b": 1, "c": null}));
        let root = doc.root();
        assert_eq!(root.get("a").and_then(|n| n.as_str()), Some("1"));
        assert_eq!(root.get("b").and_then(|n| n.as_str()), None);
        assert!(root.get("c").is_some_and(|n| n.is_null()));
    }
}
