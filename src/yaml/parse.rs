//! The ordered parser: reads YAML as `gopkg.in/yaml.v2` v2.4.0 unmarshals it into
//! `interface{}` / `yaml.MapSlice` (YAML 1.1 scalars, mapping order and duplicate keys kept).
//!
//! Events come from `saphyr-parser`, which reports each scalar's style, so plain and quoted
//! scalars stay distinguishable (`yes` is a boolean, `"yes"` a string); the YAML 1.1 meaning of
//! plain scalars is applied here.
//!
//! Known differences from yaml.v2's libyaml scanner, both on input no generator writes: a tab
//! right after `key:` before a plain value is rejected, and U+0085/U+2028/U+2029 are content
//! rather than line breaks (YAML 1.2).

use std::collections::BTreeMap;

use base64::Engine as _;
use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Tag};

use super::resolve::{Resolved, format_go_float, is_timestamp, resolve_plain};
use super::{Map, Yaml};

/// Deepest nesting of collections accepted (through aliases too). yaml.v2 stops at 10000;
/// real configuration nests a few dozen levels, and a lower bound keeps every recursive walk
/// over the tree (decoding, emitting, dropping) well inside a thread's stack.
pub const MAX_DEPTH: usize = 256;

const TAG_PREFIX: &str = "tag:yaml.org,2002:";

/// Why a document could not be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum YamlError {
    /// The text is not well-formed YAML.
    #[error("yaml: line {line}: {problem}")]
    Syntax {
        /// 1-based line of the problem.
        line: u64,
        /// The parser's description.
        problem: String,
    },
    /// An alias refers to a node that contains the alias.
    #[error("yaml: line {line}: anchor value contains itself")]
    RecursiveAlias { line: u64 },
    /// Aliases expand to far more nodes than the document holds (a "billion laughs" document).
    #[error("yaml: document contains excessive aliasing")]
    ExcessiveAliasing,
    /// Collections nest deeper than [`MAX_DEPTH`].
    #[error("yaml: line {line}: exceeded max depth of {max}", max = MAX_DEPTH)]
    TooDeep { line: u64 },
    /// A scalar does not match its explicit tag (e.g. `!!int abc`).
    #[error("yaml: line {line}: cannot decode {found} `{value}` as a {tag}")]
    TagMismatch {
        line: u64,
        found: String,
        value: String,
        tag: String,
    },
    /// A `!!binary` scalar is not valid base64 or does not decode to UTF-8 text.
    #[error("yaml: line {line}: !!binary value is not base64-encoded UTF-8 text")]
    InvalidBinary { line: u64 },
    /// A mapping key is a collection, which the tree does not represent.
    #[error("yaml: line {line}: mapping keys must be scalars")]
    NonScalarKey { line: u64 },
    /// A merge key (`<<`) whose value is not a mapping or a list of mappings.
    #[error("yaml: line {line}: map merge requires map or sequence of maps as the value")]
    InvalidMerge { line: u64 },
    /// The document does not have the shape the caller asked for.
    #[error("yaml: unmarshal errors:\n  line {line}: cannot unmarshal {found} into {target}")]
    Type {
        line: u64,
        found: String,
        target: &'static str,
    },
}

/// Parses the first document of `text` (yaml.v2's `Unmarshal` ignores the rest).
/// Empty input gives [`Yaml::Null`].
pub fn parse(text: &str) -> Result<Yaml, YamlError> {
    let docs = load(text, true)?;
    match docs.first() {
        Some(doc) => doc.decode(),
        None => Ok(Yaml::Null),
    }
}

/// Parses every document of a `---`-separated stream.
pub fn parse_all(text: &str) -> Result<Vec<Yaml>, YamlError> {
    load(text, false)?.iter().map(Document::decode).collect()
}

/// Reads `text` as the operator reads `additionalScrapeConfigs` and similar Secrets: yaml.v2
/// `Unmarshal` into `[]yaml.MapSlice`. A null document is an empty list, a null item an empty
/// mapping; any other non-mapping item is a type error.
pub fn parse_map_slices(text: &str) -> Result<Vec<Map>, YamlError> {
    let docs = load(text, true)?;
    let Some(doc) = docs.first() else {
        return Ok(Vec::new());
    };
    let root = doc.root;
    let mut decoder = Decoder::new(doc);
    let root_node = decoder.follow(root)?;
    let type_error = |node: &Node, target| YamlError::Type {
        line: node.line,
        found: node.describe(),
        target,
    };
    match &root_node.kind {
        Kind::Seq(items) => {
            let mut out = Vec::with_capacity(items.len());
            for &item in items {
                match decoder.value(item, 1)? {
                    Yaml::Map(map) => out.push(map),
                    Yaml::Null => out.push(Map::new()),
                    _ => {
                        let node = decoder.follow(item)?;
                        return Err(type_error(node, "yaml.MapSlice"));
                    }
                }
            }
            Ok(out)
        }
        _ if decoder.value(root, 0)? == Yaml::Null => Ok(Vec::new()),
        _ => Err(type_error(root_node, "[]yaml.MapSlice")),
    }
}

#[derive(Debug)]
enum Kind {
    Scalar {
        value: String,
        tag: Option<String>,
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
struct Node {
    kind: Kind,
    /// 1-based line where the node starts.
    line: u64,
}

impl Node {
    /// The node as yaml.v2 names it in type errors (`!!str `abc``, `!!map`).
    fn describe(&self) -> String {
        match &self.kind {
            Kind::Seq(_) => "!!seq".to_owned(),
            Kind::Map(_) => "!!map".to_owned(),
            Kind::Alias { .. } => "alias".to_owned(),
            Kind::Scalar { value, tag, plain } => {
                let tag = match tag {
                    Some(t) => short_tag(t),
                    None if !plain => "!!str".to_owned(),
                    None => match resolve_plain(value) {
                        Resolved::Null => "!!null",
                        Resolved::Bool(_) => "!!bool",
                        Resolved::Int(_) | Resolved::Uint(_) => "!!int",
                        Resolved::Float(_) => "!!float",
                        Resolved::Timestamp => "!!timestamp",
                        Resolved::Str => "!!str",
                    }
                    .to_owned(),
                };
                let shown = if value.chars().count() > 10 {
                    format!("{}...", value.chars().take(7).collect::<String>())
                } else {
                    value.clone()
                };
                format!("{tag} `{shown}`")
            }
        }
    }
}

/// One document's nodes; `root` indexes `nodes`.
struct Document {
    nodes: Vec<Node>,
    root: usize,
}

impl Document {
    fn decode(&self) -> Result<Yaml, YamlError> {
        Decoder::new(self).value(self.root, 0)
    }
}

fn syntax_error(err: &ScanError) -> YamlError {
    YamlError::Syntax {
        line: u64::try_from(err.marker().line()).unwrap_or(0),
        problem: err.info().to_owned(),
    }
}

/// The full name of an explicit tag (`!!int` becomes `tag:yaml.org,2002:int`).
fn tag_name(tag: &Tag) -> String {
    format!("{}{}", tag.handle, tag.suffix)
}

/// Reads the event stream into node trees, one per document (only the first if `first_only`).
fn load(text: &str, first_only: bool) -> Result<Vec<Document>, YamlError> {
    let mut docs = Vec::new();
    let mut nodes: Vec<Node> = Vec::new();
    // Anchor ids (as the parser numbers them) to nodes.
    let mut anchors: BTreeMap<usize, usize> = BTreeMap::new();
    // Open collections, innermost last.
    let mut open: Vec<usize> = Vec::new();
    let mut root: Option<usize> = None;

    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| syntax_error(&e))?;
        let line = u64::try_from(span.start.line()).unwrap_or(0);
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
        let id = nodes.len();
        nodes.push(Node { kind, line });
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

/// Turns a document's nodes into a [`Yaml`] tree, expanding aliases within yaml.v2's limits.
struct Decoder<'a> {
    nodes: &'a [Node],
    decode_count: u64,
    alias_count: u64,
    /// Alias nodes being expanded, to detect an anchor that contains itself.
    expanding: Vec<usize>,
}

/// The share of decoded nodes that may come from alias expansion, by document size (yaml.v2's
/// guard against exponential expansion).
fn allowed_alias_ratio(decode_count: u64) -> f64 {
    const LOW: u64 = 400_000;
    const HIGH: u64 = 4_000_000;
    if decode_count <= LOW {
        0.99
    } else if decode_count >= HIGH {
        0.10
    } else {
        0.99 - 0.89 * ((decode_count - LOW) as f64 / (HIGH - LOW) as f64)
    }
}

impl<'a> Decoder<'a> {
    fn new(doc: &'a Document) -> Self {
        Decoder {
            nodes: &doc.nodes,
            decode_count: 0,
            alias_count: 0,
            expanding: Vec::new(),
        }
    }

    fn node(&self, id: usize) -> &'a Node {
        // Ids are created by `load` for this very node list, never taken from the input.
        let nodes: &'a [Node] = self.nodes;
        &nodes[id]
    }

    /// The node `id` refers to, through aliases.
    fn follow(&self, mut id: usize) -> Result<&'a Node, YamlError> {
        for _ in 0..=self.nodes.len() {
            match &self.node(id).kind {
                Kind::Alias { target, .. } => id = *target,
                _ => return Ok(self.node(id)),
            }
        }
        Err(YamlError::ExcessiveAliasing)
    }

    fn count(&mut self) -> Result<(), YamlError> {
        self.decode_count += 1;
        if !self.expanding.is_empty() {
            self.alias_count += 1;
        }
        if self.alias_count > 100
            && self.decode_count > 1000
            && self.alias_count as f64 / self.decode_count as f64
                > allowed_alias_ratio(self.decode_count)
        {
            return Err(YamlError::ExcessiveAliasing);
        }
        Ok(())
    }

    fn value(&mut self, id: usize, depth: usize) -> Result<Yaml, YamlError> {
        self.count()?;
        let node = self.node(id);
        if depth > MAX_DEPTH {
            return Err(YamlError::TooDeep { line: node.line });
        }
        match &node.kind {
            Kind::Alias { target } => {
                if self.expanding.contains(&id) {
                    return Err(YamlError::RecursiveAlias { line: node.line });
                }
                self.expanding.push(id);
                let result = self.value(*target, depth);
                self.expanding.pop();
                result
            }
            Kind::Scalar { value, tag, plain } => scalar(value, tag.as_deref(), *plain, node.line),
            Kind::Seq(items) => {
                let mut seq = Vec::with_capacity(items.len());
                for &item in items {
                    seq.push(self.value(item, depth + 1)?);
                }
                Ok(Yaml::Seq(seq))
            }
            Kind::Map(children) => {
                let mut map = Map::new();
                for pair in children.chunks(2) {
                    let [key, value] = *pair else { continue };
                    if self.is_merge_key(key) {
                        self.merge(value, depth + 1)?;
                        continue;
                    }
                    let key = self.key(key, depth + 1)?;
                    let value = self.value(value, depth + 1)?;
                    map.push(key, value);
                }
                Ok(Yaml::Map(map))
            }
        }
    }

    fn is_merge_key(&self, id: usize) -> bool {
        matches!(&self.node(id).kind, Kind::Scalar { value, tag, plain }
            if value == "<<" && (*plain || tag.as_deref() == Some("tag:yaml.org,2002:merge")))
    }

    /// A merge key's value is checked and decoded, then dropped: yaml.v2 decoding into a
    /// `MapSlice` overwrites the merged entries with the mapping's own (a long-standing yaml.v2
    /// behaviour the operator inherits, so `<<: *defaults` contributes nothing).
    fn merge(&mut self, id: usize, depth: usize) -> Result<(), YamlError> {
        let node = self.node(id);
        let invalid = YamlError::InvalidMerge { line: node.line };
        match &self.follow(id)?.kind {
            Kind::Map(_) => {}
            Kind::Seq(items) if !matches!(node.kind, Kind::Alias { .. }) => {
                for &item in items {
                    if !matches!(self.follow(item)?.kind, Kind::Map(_)) {
                        return Err(invalid);
                    }
                }
            }
            _ => return Err(invalid),
        }
        self.value(id, depth).map(drop)
    }

    /// A mapping key as text; non-string scalars take the spelling yaml.v2 would write for them.
    fn key(&mut self, id: usize, depth: usize) -> Result<String, YamlError> {
        let line = self.node(id).line;
        match self.value(id, depth)? {
            Yaml::Str(s) => Ok(s),
            Yaml::Null => Ok("null".to_owned()),
            Yaml::Bool(b) => Ok(b.to_string()),
            Yaml::Int(i) => Ok(i.to_string()),
            Yaml::Float(f) => Ok(format_go_float(f)),
            Yaml::Seq(_) | Yaml::Map(_) => Err(YamlError::NonScalarKey { line }),
        }
    }
}

fn short_tag(tag: &str) -> String {
    match tag.strip_prefix(TAG_PREFIX) {
        Some(rest) => format!("!!{rest}"),
        None => tag.to_owned(),
    }
}

fn resolved_tag(r: &Resolved) -> &'static str {
    match r {
        Resolved::Null => "null",
        Resolved::Bool(_) => "bool",
        Resolved::Int(_) | Resolved::Uint(_) => "int",
        Resolved::Float(_) => "float",
        Resolved::Timestamp => "timestamp",
        Resolved::Str => "str",
    }
}

fn from_resolved(value: &str, r: Resolved) -> Yaml {
    match r {
        Resolved::Null => Yaml::Null,
        Resolved::Bool(b) => Yaml::Bool(b),
        Resolved::Int(i) => Yaml::Int(i),
        // The tree has no unsigned integers; keep the digits.
        Resolved::Uint(u) => Yaml::Str(u.to_string()),
        Resolved::Float(f) => Yaml::Float(f),
        Resolved::Timestamp | Resolved::Str => Yaml::Str(value.to_owned()),
    }
}

/// Decodes one scalar as yaml.v2 decodes it into `interface{}`.
fn scalar(value: &str, tag: Option<&str>, plain: bool, line: u64) -> Result<Yaml, YamlError> {
    let Some(tag) = tag else {
        if !plain {
            return Ok(Yaml::Str(value.to_owned()));
        }
        return Ok(from_resolved(value, resolve_plain(value)));
    };
    let Some(wanted) = tag.strip_prefix(TAG_PREFIX) else {
        // Local and unknown tags leave the text as it is.
        return Ok(Yaml::Str(value.to_owned()));
    };
    let resolved = match wanted {
        "str" => return Ok(Yaml::Str(value.to_owned())),
        "binary" => return decode_binary(value, line).map(Yaml::Str),
        "bool" | "int" | "float" | "null" | "timestamp" => {
            // Under an explicit tag a timestamp is recognised the same way as untagged.
            if wanted == "timestamp" && is_timestamp(value) {
                Resolved::Timestamp
            } else {
                match resolve_plain(value) {
                    Resolved::Timestamp => Resolved::Str,
                    other => other,
                }
            }
        }
        _ => return Ok(Yaml::Str(value.to_owned())),
    };
    let found = resolved_tag(&resolved);
    match (wanted, resolved) {
        (w, r) if w == found => Ok(from_resolved(value, r)),
        ("float", Resolved::Int(i)) => Ok(Yaml::Float(i as f64)),
        ("float", Resolved::Uint(u)) => Ok(Yaml::Float(u as f64)),
        _ => Err(YamlError::TagMismatch {
            line,
            found: format!("!!{found}"),
            value: value.to_owned(),
            tag: format!("!!{wanted}"),
        }),
    }
}

fn decode_binary(value: &str, line: u64) -> Result<String, YamlError> {
    let compact: String = value.chars().filter(|c| !c.is_whitespace()).collect();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(compact)
        .map_err(|_| YamlError::InvalidBinary { line })?;
    String::from_utf8(bytes).map_err(|_| YamlError::InvalidBinary { line })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::emit;

    fn roundtrip(text: &str) -> String {
        emit(&parse(text).expect("parses"))
    }

    #[test]
    fn yaml_1_1_scalars() {
        let doc = parse(
            "a: yes\nb: \"yes\"\nc: 'on'\nd: off\ne: 0x10\nf: 0755\ng: 08\nh: 1_000\ni: 1e3\nj: ~\nk:\nl: .5\nm: 2001-12-14\nnn: -0b11\no: !!str 12\np: !!float 3\nq: 1:20\nr: 18446744073709551615\n",
        )
        .expect("parses");
        let map = doc.as_map().expect("map");
        let get = |k: &str| map.get(k).cloned().expect(k);
        assert_eq!(get("a"), Yaml::Bool(true));
        assert_eq!(get("b"), Yaml::Str("yes".into()));
        assert_eq!(get("c"), Yaml::Str("on".into()));
        assert_eq!(get("d"), Yaml::Bool(false));
        assert_eq!(get("e"), Yaml::Int(16));
        assert_eq!(get("f"), Yaml::Int(493));
        assert_eq!(get("g"), Yaml::Float(8.0));
        assert_eq!(get("h"), Yaml::Int(1000));
        assert_eq!(get("i"), Yaml::Float(1000.0));
        assert_eq!(get("j"), Yaml::Null);
        assert_eq!(get("k"), Yaml::Null);
        assert_eq!(get("l"), Yaml::Float(0.5));
        assert_eq!(get("m"), Yaml::Str("2001-12-14".into()));
        assert_eq!(get("nn"), Yaml::Int(-3));
        assert_eq!(get("o"), Yaml::Str("12".into()));
        assert_eq!(get("p"), Yaml::Float(3.0));
        assert_eq!(get("q"), Yaml::Str("1:20".into()));
        assert_eq!(get("r"), Yaml::Str("18446744073709551615".into()));
    }

    #[test]
    fn reemits_like_the_operator() {
        assert_eq!(
            roundtrip(
                "z: 1\na: [x, 'y', \"on\"]\nm: {}\nq: \"1.5\"\nb: off\nl: |\n  line1\n  line2\n"
            ),
            "z: 1\na:\n- x\n- \"y\"\n- \"on\"\nm: {}\nq: \"1.5\"\nb: false\nl: |\n  line1\n  line2\n"
        );
        assert_eq!(roundtrip("a: 2001-12-14\n"), "a: \"2001-12-14\"\n");
        assert_eq!(roundtrip("a: 0x10\nb: 1e3\n"), "a: 16\nb: 1000\n");
        assert_eq!(roundtrip(""), "null\n");
    }

    #[test]
    fn order_and_duplicates_are_kept() {
        let doc = parse("b: 1\na: 2\nb: 3\n").expect("parses");
        let keys: Vec<&str> = doc.as_map().expect("map").iter().map(|(k, _)| k).collect();
        assert_eq!(keys, ["b", "a", "b"]);
    }

    #[test]
    fn anchors_and_merges() {
        let doc =
            parse("base: &b {x: 1}\nuse: *b\nmerged:\n  <<: *b\n  w: 2\n  y: 3\n").expect("parses");
        assert_eq!(
            emit(&doc),
            "base:\n  x: 1\nuse:\n  x: 1\nmerged:\n  w: 2\n  \"true\": 3\n"
        );
        assert_eq!(
            parse("a: <<\n\"<<\": 1\n").map(|d| emit(&d)),
            Ok("a: <<\n<<: 1\n".to_owned())
        );
        assert!(matches!(
            parse("m:\n  <<: 1\n"),
            Err(YamlError::InvalidMerge { .. })
        ));
        assert!(matches!(parse("a: *nope\n"), Err(YamlError::Syntax { .. })));
        assert!(matches!(
            parse("a: &x [*x]\n"),
            Err(YamlError::RecursiveAlias { .. })
        ));
    }

    #[test]
    fn hostile_input_is_bounded() {
        let mut laughs = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        for (prev, name) in ["a", "b", "c", "d", "e", "f", "g", "h"]
            .iter()
            .zip(["b", "c", "d", "e", "f", "g", "h", "i"])
        {
            let refs = vec![format!("*{prev}"); 9].join(",");
            laughs.push_str(&format!("{name}: &{name} [{refs}]\n"));
        }
        assert_eq!(parse(&laughs), Err(YamlError::ExcessiveAliasing));
        let deep = format!("{}x\n", "- ".repeat(MAX_DEPTH + 1));
        assert!(matches!(parse(&deep), Err(YamlError::TooDeep { .. })));
        let ok = format!("{}x\n", "- ".repeat(MAX_DEPTH));
        assert!(parse(&ok).is_ok());
        let deep_flow = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(parse(&deep_flow).is_err());
        let ok = format!("{}{}", "[".repeat(200), "]".repeat(200));
        assert!(parse(&ok).is_ok());
    }

    #[test]
    fn errors() {
        assert!(matches!(
            parse("a: b: c\n"),
            Err(YamlError::Syntax { line: 1, .. })
        ));
        assert!(matches!(
            parse("a: !!int abc\n"),
            Err(YamlError::TagMismatch { .. })
        ));
        assert_eq!(
            parse("a: !!binary aGVsbG8=\n").map(|d| emit(&d)),
            Ok("a: hello\n".to_owned())
        );
    }

    #[test]
    fn documents() {
        assert_eq!(
            parse("a: 1\n---\nb: [\n").map(|d| emit(&d)),
            Ok("a: 1\n".to_owned())
        );
        let all = parse_all("a: 1\n---\nb: 2\n").expect("parses");
        assert_eq!(all.len(), 2);
        assert!(parse_all("a: 1\n---\nb: [\n").is_err());
    }

    #[test]
    fn map_slices() {
        let got = parse_map_slices("- job_name: a\n  relabel_configs: []\n- ~\n").expect("parses");
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].get("job_name"), Some(&Yaml::Str("a".into())));
        assert!(got[1].is_empty());
        assert_eq!(parse_map_slices(""), Ok(vec![]));
        assert_eq!(parse_map_slices("~\n"), Ok(vec![]));
        let err = parse_map_slices("job_name: a\n").expect_err("a map is not a list");
        assert_eq!(
            err.to_string(),
            "yaml: unmarshal errors:\n  line 1: cannot unmarshal !!map into []yaml.MapSlice"
        );
        let err = parse_map_slices("- a\n").expect_err("a string is not a map");
        assert_eq!(
            err.to_string(),
            "yaml: unmarshal errors:\n  line 1: cannot unmarshal !!str `a` into yaml.MapSlice"
        );
    }
}
