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

use base64::Engine as _;

use super::document::{Document, Kind, MAX_DEPTH, MAX_NODES, Node, load};
use super::resolve::{Resolved, format_go_float, is_timestamp, resolve_plain};
use super::{Map, Yaml};

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
    /// More nodes than [`MAX_NODES`].
    #[error("yaml: line {line}: more than {max} nodes, the most one document is read with", max = MAX_NODES)]
    TooManyNodes { line: u64 },
    /// Collections nest deeper than [`MAX_DEPTH`].
    #[error("yaml: line {line}: exceeded max depth of {max}", max = MAX_DEPTH)]
    TooDeep { line: u64 },
    /// A scalar does not match its explicit tag (e.g. `!!int abc`).
    #[error("yaml: line {line}: cannot decode {found} as a {tag}")]
    TagMismatch {
        line: u64,
        found: String,
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
    let docs = load(text, true, 0)?;
    match docs.first() {
        Some(doc) => doc.to_yaml(),
        None => Ok(Yaml::Null),
    }
}

/// Parses every document of a `---`-separated stream.
pub fn parse_all(text: &str) -> Result<Vec<Yaml>, YamlError> {
    load(text, false, 0)?
        .iter()
        .map(Document::to_yaml)
        .collect()
}

/// Reads `text` as the operator reads `additionalScrapeConfigs` and similar Secrets: yaml.v2
/// `Unmarshal` into `[]yaml.MapSlice`. A null document is an empty list, a null item an empty
/// mapping; any other non-mapping item is a type error.
pub fn parse_map_slices(text: &str) -> Result<Vec<Map>, YamlError> {
    let docs = load(text, true, 0)?;
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
                // yaml.v2 quotes the value; it may come from a Secret, so it is left out.
                tag
            }
        }
    }
}

impl Document {
    /// The document as yaml.v2 decodes it into `interface{}`.
    fn to_yaml(&self) -> Result<Yaml, YamlError> {
        Decoder::new(self).value(self.root, 0)
    }
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
            Yaml::Str(s) => Ok(s.into_owned()),
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
        Resolved::Uint(u) => Yaml::from(u.to_string()),
        Resolved::Float(f) => Yaml::Float(f),
        Resolved::Timestamp | Resolved::Str => Yaml::from(value.to_owned()),
    }
}

/// Decodes one scalar as yaml.v2 decodes it into `interface{}`.
pub(super) fn scalar(
    value: &str,
    tag: Option<&str>,
    plain: bool,
    line: u64,
) -> Result<Yaml, YamlError> {
    let Some(tag) = tag else {
        if !plain {
            return Ok(Yaml::from(value.to_owned()));
        }
        return Ok(from_resolved(value, resolve_plain(value)));
    };
    let Some(wanted) = tag.strip_prefix(TAG_PREFIX) else {
        // Local and unknown tags leave the text as it is.
        return Ok(Yaml::from(value.to_owned()));
    };
    let resolved = match wanted {
        "str" => return Ok(Yaml::from(value.to_owned())),
        "binary" => return decode_binary(value, line).map(Yaml::from),
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
        _ => return Ok(Yaml::from(value.to_owned())),
    };
    let found = resolved_tag(&resolved);
    match (wanted, resolved) {
        (w, r) if w == found => Ok(from_resolved(value, r)),
        ("float", Resolved::Int(i)) => Ok(Yaml::Float(i as f64)),
        ("float", Resolved::Uint(u)) => Ok(Yaml::Float(u as f64)),
        _ => Err(YamlError::TagMismatch {
            line,
            found: format!("!!{found}"),
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
            "yaml: unmarshal errors:\n  line 1: cannot unmarshal !!str into yaml.MapSlice"
        );
    }
}
