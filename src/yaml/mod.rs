//! The ordered YAML tree that configuration is built in, and the one emitter that writes it in
//! exactly the operator's formatting (Go's `gopkg.in/yaml.v2` marshalling of `yaml.MapSlice`).
//!
//! Rendering, decoding and diffing all go through this module so that formatting lives in one
//! place: [`emit`] writes a tree, [`parse`] / [`parse_map_slices`] read text with yaml.v2's
//! YAML 1.1 rules, and [`Yaml::to_json`] / [`Yaml::from_json`] convert for `-o json`.

mod de;
mod defaults;
mod document;
mod emit;
mod go_map;
mod json;
mod parse;
mod resolve;
mod spelling;

use std::borrow::Cow;

pub use de::{
    AliasBudget, DecodeError, Decoded, MAX_DECODE_DEPTH, MIN_ALIAS_EXPANSION_BYTES, UnknownField,
};
pub use defaults::SchemaNode;
pub use document::{Document, MAX_DEPTH, MAX_NODES, NodeRef, json_surrogate_pairs_as_yaml};
pub use emit::{emit, emit_to};
pub use go_map::go_map_sorted;
pub use parse::{YamlError, parse, parse_all, parse_map_slices};
pub(crate) use resolve::format_finite_float;
pub use spelling::did_you_mean;
pub(crate) use spelling::edit_distance;

/// Decodes the first document of `text` as `T` (an empty text is `null`), ignoring unknown
/// fields; for small inputs such as test cases and options files. Manifests go through the
/// snapshot loader, which reports unknown fields.
pub fn from_str<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, DecodeError> {
    let documents = Document::parse_stream(text, 0).map_err(|e| DecodeError::from(&e))?;
    match documents.first() {
        Some(document) => document.decode().map(|decoded| decoded.value),
        None => Document::from_json(&serde_json::Value::Null)
            .decode()
            .map(|decoded| decoded.value),
    }
}

/// Every document of `text`, each decoded as `T`.
pub fn from_str_all<T: serde::de::DeserializeOwned>(text: &str) -> Result<Vec<T>, DecodeError> {
    Document::parse_stream(text, 0)
        .map_err(|e| DecodeError::from(&e))?
        .iter()
        .map(|document| document.decode().map(|decoded| decoded.value))
        .collect()
}

/// Any serializable value as YAML, in the emitter's formatting.
pub fn to_string<T: serde::Serialize>(value: &T) -> Result<String, serde_json::Error> {
    Yaml::from_serialize(value).map(|tree| emit(&tree))
}

/// `values` as one multi-document YAML stream: documents separated by `---`, each ending in a
/// newline.
pub fn documents_to_string<T: serde::Serialize>(values: &[T]) -> Result<String, serde_json::Error> {
    let mut text = String::new();
    for value in values {
        if !text.is_empty() {
            text.push_str("---\n");
        }
        text.push_str(&to_string(value)?);
        if !text.ends_with('\n') {
            text.push('\n');
        }
    }
    Ok(text)
}

/// A YAML node. Mappings keep insertion order, like the operator's `yaml.MapSlice`.
#[derive(Clone, Debug, PartialEq)]
pub enum Yaml {
    /// `null`.
    Null,
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A floating-point number.
    Float(f64),
    /// A string; the emitter quotes it when it would otherwise read as another type. Most
    /// strings of a generated configuration are fixed names (`__meta_kubernetes_pod_name`,
    /// `keep`), so literals are borrowed: a large configuration allocates only what it computes.
    Str(Cow<'static, str>),
    /// A sequence.
    Seq(Vec<Yaml>),
    /// An ordered mapping.
    Map(Map),
}

/// An ordered mapping with string keys. Keys are mostly the fixed names of Prometheus's
/// configuration, so they are borrowed when `'static`: a large configuration then allocates
/// one string per value rather than two per entry.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Map(Vec<(Cow<'static, str>, Yaml)>);

impl Map {
    /// An empty mapping.
    pub fn new() -> Self {
        Map(Vec::new())
    }

    /// Appends `key: value` (even if `key` is present, as appending to a MapSlice does).
    pub fn push(&mut self, key: impl Into<Cow<'static, str>>, value: impl Into<Yaml>) {
        self.0.push((key.into(), value.into()));
    }

    /// Builder form of [`Map::push`].
    pub fn with(mut self, key: impl Into<Cow<'static, str>>, value: impl Into<Yaml>) -> Self {
        self.push(key, value);
        self
    }

    /// Replaces the value of `key` in place, or appends it when absent.
    pub fn set(&mut self, key: impl Into<Cow<'static, str>>, value: impl Into<Yaml>) {
        let key = key.into();
        let value = value.into();
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value,
            None => self.0.push((key, value)),
        }
    }

    /// The value of the first entry named `key`.
    pub fn get(&self, key: &str) -> Option<&Yaml> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Mutable access to the value of the first entry named `key`.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Yaml> {
        self.0.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Removes every entry named `key`, returning the first value.
    pub fn remove(&mut self, key: &str) -> Option<Yaml> {
        let pos = self.0.iter().position(|(k, _)| k == key)?;
        let (_, value) = self.0.remove(pos);
        self.0.retain(|(k, _)| k != key);
        Some(value)
    }

    /// Whether an entry named `key` exists.
    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// The entries in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Yaml)> {
        self.0.iter().map(|(k, v)| (k.as_ref(), v))
    }

    /// The entries in order, values mutable.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = (&str, &mut Yaml)> {
        self.0.iter_mut().map(|(key, value)| {
            let key: &Cow<'static, str> = key;
            (key.as_ref(), value)
        })
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl FromIterator<(String, Yaml)> for Map {
    fn from_iter<I: IntoIterator<Item = (String, Yaml)>>(iter: I) -> Self {
        Map(iter.into_iter().map(|(k, v)| (Cow::Owned(k), v)).collect())
    }
}

impl IntoIterator for Map {
    type Item = (Cow<'static, str>, Yaml);
    type IntoIter = std::vec::IntoIter<(Cow<'static, str>, Yaml)>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl Yaml {
    /// The mapping inside, if this is one.
    pub fn as_map(&self) -> Option<&Map> {
        match self {
            Yaml::Map(m) => Some(m),
            _ => None,
        }
    }

    /// A fixed string, borrowed rather than copied: the names and values that every generated
    /// job repeats (`__meta_kubernetes_namespace`, `keep`, `${1}`) then cost no allocation.
    pub const fn fixed(text: &'static str) -> Yaml {
        Yaml::Str(Cow::Borrowed(text))
    }

    /// The string inside, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Yaml::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The sequence inside, if this is one.
    pub fn as_seq(&self) -> Option<&[Yaml]> {
        match self {
            Yaml::Seq(s) => Some(s),
            _ => None,
        }
    }
}

impl From<&str> for Yaml {
    fn from(v: &str) -> Self {
        Yaml::Str(Cow::Owned(v.to_owned()))
    }
}
impl From<String> for Yaml {
    fn from(v: String) -> Self {
        Yaml::Str(Cow::Owned(v))
    }
}
impl From<&String> for Yaml {
    fn from(v: &String) -> Self {
        Yaml::Str(Cow::Owned(v.clone()))
    }
}
impl From<bool> for Yaml {
    fn from(v: bool) -> Self {
        Yaml::Bool(v)
    }
}
impl From<i64> for Yaml {
    fn from(v: i64) -> Self {
        Yaml::Int(v)
    }
}
impl From<i32> for Yaml {
    fn from(v: i32) -> Self {
        Yaml::Int(v.into())
    }
}
impl From<u32> for Yaml {
    fn from(v: u32) -> Self {
        Yaml::Int(v.into())
    }
}
impl From<u64> for Yaml {
    fn from(v: u64) -> Self {
        // Values above i64::MAX do not occur in configuration; saturate rather than wrap.
        Yaml::Int(i64::try_from(v).unwrap_or(i64::MAX))
    }
}
impl From<f64> for Yaml {
    fn from(v: f64) -> Self {
        Yaml::Float(v)
    }
}
// A finished mapping or sequence becoming a node gives back the capacity its pushes left unused;
// generated configurations are many small mappings, and the slack was a third of their memory.
impl From<Map> for Yaml {
    fn from(mut v: Map) -> Self {
        v.0.shrink_to_fit();
        Yaml::Map(v)
    }
}
impl From<Vec<Yaml>> for Yaml {
    fn from(mut v: Vec<Yaml>) -> Self {
        v.shrink_to_fit();
        Yaml::Seq(v)
    }
}
impl From<Vec<Map>> for Yaml {
    fn from(v: Vec<Map>) -> Self {
        Yaml::Seq(v.into_iter().map(Yaml::from).collect())
    }
}
impl From<Vec<String>> for Yaml {
    fn from(v: Vec<String>) -> Self {
        Yaml::Seq(v.into_iter().map(Yaml::from).collect())
    }
}
impl From<&[String]> for Yaml {
    fn from(v: &[String]) -> Self {
        Yaml::Seq(v.iter().map(Yaml::from).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::{Map, Yaml};

    #[test]
    fn finished_nodes_keep_no_spare_capacity() {
        let Yaml::Map(map) = Yaml::from(Map::new().with("a", 1).with("b", 2)) else {
            unreachable!()
        };
        assert_eq!(map.0.capacity(), 2);
        let mut grown = Vec::with_capacity(8);
        grown.push(Yaml::Null);
        let Yaml::Seq(items) = Yaml::from(grown) else {
            unreachable!()
        };
        assert_eq!(items.capacity(), 1);
    }
}

/// Whether `text` may hold a YAML comment: a `#` at the start of a line or after a space or
/// tab. Quoted scalars are not told apart, so `"a #b"` counts too.
pub fn may_hold_comments(text: &str) -> bool {
    text.lines().any(|line| {
        let bytes = line.as_bytes();
        bytes
            .iter()
            .enumerate()
            .any(|(i, &b)| b == b'#' && (i == 0 || matches!(bytes[i - 1], b' ' | b'\t')))
    })
}

#[cfg(test)]
mod comment_tests {
    #[test]
    fn comments_are_told_from_hashes_in_values() {
        assert!(super::may_hold_comments("a: 1 # key: x\n"));
        assert!(super::may_hold_comments("# top\na: 1\n"));
        assert!(!super::may_hold_comments(
            "channel: '#alerts'\nurl: http://h/#frag\n"
        ));
    }
}
