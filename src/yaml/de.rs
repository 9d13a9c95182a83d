//! Typed decoding of Kubernetes objects straight from a parsed [`Document`].
//!
//! This is the project's one serde `Deserializer` for objects, whether they come from a file or
//! (through [`Document::from_json`]) from an API server: every type is compiled against it once,
//! rather than once per format and per wrapper. It tracks what wrappers used to add — the field
//! path and position of an error, and the fields a type does not know — itself.
//!
//! Scalars get their meaning from what the type asks for, as kubectl's YAML 1.1 reading gives
//! it: a plain `yes` is a boolean where a boolean is wanted, and the text `yes` where a string is.
//!
//! Budgets on hostile input: nesting deeper than [`MAX_DECODE_DEPTH`] is refused, and what
//! aliases (and merge keys) produce is bounded in bytes, so a small document cannot expand into
//! a large object.

use std::fmt;

use serde::de::{self, DeserializeOwned, DeserializeSeed, Unexpected, Visitor};

use super::document::{Document, Kind, Node, NodeRef};
use super::resolve::{Resolved, resolve_plain};
use super::{Yaml, parse};

/// Deepest nesting decoded, counting through aliases.
pub const MAX_DECODE_DEPTH: usize = 128;

/// Bytes that aliases and merge keys may produce while one document is decoded: this much, or
/// the document's own size when that is larger.
pub const MIN_ALIAS_EXPANSION_BYTES: usize = 1024 * 1024;

/// What aliases and merge keys may still produce across every decode that shares it. One per
/// decode of a whole document; the loader shares one across a document's objects, so that a
/// `List` naming one large anchor in each item spends it once per item.
pub struct AliasBudget(std::cell::Cell<usize>);

impl AliasBudget {
    /// The budget of `doc`: its size, or [`MIN_ALIAS_EXPANSION_BYTES`] when that is larger.
    fn of(doc: &Document) -> Self {
        let size: usize = doc
            .nodes
            .iter()
            .map(|n| match &n.kind {
                Kind::Scalar { value, .. } => NODE_COST + value.len(),
                _ => NODE_COST,
            })
            .sum();
        AliasBudget(std::cell::Cell::new(size.max(MIN_ALIAS_EXPANSION_BYTES)))
    }

    /// Spends `cost`; false (and nothing spent) when less is left.
    fn spend(&self, cost: usize) -> bool {
        match self.0.get().checked_sub(cost) {
            Some(left) => {
                self.0.set(left);
                true
            }
            None => false,
        }
    }
}

/// What one node costs the alias budget on top of its text.
const NODE_COST: usize = 16;

/// A decoded value, and the fields of the input its type does not know (ignored).
#[derive(Debug)]
pub struct Decoded<T> {
    pub value: T,
    pub unknown: Vec<UnknownField>,
}

/// A field the decoded type does not know.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownField {
    /// Field path such as `spec.endpoints[0].foo`.
    pub path: String,
    /// 1-based line of the field's value (0 when the document has no positions).
    pub line: usize,
    /// The fields the enclosing type does know, for a did-you-mean.
    pub known: &'static [&'static str],
}

/// Why a value could not be decoded, and where.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct DecodeError {
    /// Field path such as `spec.endpoints[0].port`; empty for the whole value.
    pub path: String,
    /// 1-based line (0 when unknown).
    pub line: usize,
    /// 1-based column (0 when unknown).
    pub column: u32,
    /// What is wrong.
    pub message: String,
    located: bool,
}

impl de::Error for DecodeError {
    fn custom<T: fmt::Display>(message: T) -> Self {
        DecodeError {
            path: String::new(),
            line: 0,
            column: 0,
            message: message.to_string(),
            located: false,
        }
    }

    /// serde names a struct by its Rust type (`expected struct PrometheusSpec`); YAML has maps.
    fn invalid_type(unexpected: Unexpected<'_>, expected: &dyn de::Expected) -> Self {
        let expected = expected.to_string();
        let expected = if expected.starts_with("struct ") {
            "a map"
        } else {
            expected.as_str()
        };
        Self::custom(format_args!(
            "invalid type: {unexpected}, expected {expected}"
        ))
    }
}

impl From<&super::YamlError> for DecodeError {
    fn from(error: &super::YamlError) -> Self {
        DecodeError {
            message: error.to_string(),
            ..de::Error::custom("")
        }
    }
}

impl Document {
    /// Decodes the whole document as `T`.
    pub fn decode<T: DeserializeOwned>(&self) -> Result<Decoded<T>, DecodeError> {
        self.root().decode()
    }
}

impl NodeRef<'_> {
    /// A fresh alias budget for decodes of this node's document.
    pub fn alias_budget(&self) -> AliasBudget {
        AliasBudget::of(self.doc)
    }

    /// Decodes this node as `T` the way yaml.v2 decodes a Go struct (a field written null
    /// is decoded from null), with an alias budget of its own.
    pub fn decode<T: DeserializeOwned>(&self) -> Result<Decoded<T>, DecodeError> {
        self.decode_as(&self.alias_budget(), false)
    }

    /// Decodes this node as the Kubernetes object `T`, spending `budget` on what aliases
    /// produce. A struct field written null is unset: the API server prunes nulls from an
    /// object whose schema marks none nullable (no CRD of the operator does), and Go decodes
    /// a built-in type's null as its zero value.
    pub fn decode_within<T: DeserializeOwned>(
        &self,
        budget: &AliasBudget,
    ) -> Result<Decoded<T>, DecodeError> {
        self.decode_as(budget, true)
    }

    fn decode_as<T: DeserializeOwned>(
        &self,
        budget: &AliasBudget,
        prune_nulls: bool,
    ) -> Result<Decoded<T>, DecodeError> {
        let mut state = State::new(self.doc, budget);
        state.prune_nulls = prune_nulls;
        let value = T::deserialize(NodeDe {
            state: &mut state,
            id: self.doc.follow(self.id).unwrap_or(self.id),
            at: self.id,
            via_alias: self.doc.follow(self.id) != Some(self.id),
            depth: 0,
        })?;
        Ok(Decoded {
            value,
            unknown: state.unknown,
        })
    }

    /// This node as a JSON value (aliases and merge keys expanded, within the same budgets).
    pub fn to_json(&self) -> Result<serde_json::Value, DecodeError> {
        self.to_json_within(&self.alias_budget())
    }

    /// This node as a JSON value, spending `budget` on what aliases produce.
    pub fn to_json_within(&self, budget: &AliasBudget) -> Result<serde_json::Value, DecodeError> {
        self.decode_as(budget, false).map(|decoded| decoded.value)
    }
}

enum Segment<'d> {
    Key(&'d str),
    Index(usize),
}

struct State<'d> {
    doc: &'d Document,
    path: Vec<Segment<'d>>,
    unknown: Vec<UnknownField>,
    /// Fields of the struct whose field value is being decoded.
    known_here: &'static [&'static str],
    /// Bytes aliases may still produce.
    budget: &'d AliasBudget,
    /// Whether a struct field written null counts as absent ([`NodeRef::decode_within`]).
    prune_nulls: bool,
}

impl<'d> State<'d> {
    fn new(doc: &'d Document, budget: &'d AliasBudget) -> Self {
        State {
            doc,
            path: Vec::new(),
            unknown: Vec::new(),
            known_here: &[],
            budget,
            prune_nulls: false,
        }
    }

    fn path(&self) -> String {
        let mut out = String::new();
        for segment in &self.path {
            match segment {
                Segment::Key(key) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(key);
                }
                Segment::Index(i) => {
                    out.push('[');
                    out.push_str(&i.to_string());
                    out.push(']');
                }
            }
        }
        out
    }
}

/// What a scalar means.
enum Scalar<'d> {
    Null,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    Str(&'d str),
    Owned(String),
}

impl Scalar<'_> {
    /// How the scalar is named in a type error; never its text, which may be a credential.
    fn unexpected(&self) -> Unexpected<'static> {
        match self {
            Scalar::Null => Unexpected::Unit,
            Scalar::Bool(b) => Unexpected::Bool(*b),
            Scalar::Int(_) | Scalar::Uint(_) => Unexpected::Other("integer"),
            Scalar::Float(_) => Unexpected::Other("floating point number"),
            Scalar::Str(_) | Scalar::Owned(_) => Unexpected::Other("string"),
        }
    }
}

/// Deserializes one node.
struct NodeDe<'s, 'd> {
    state: &'s mut State<'d>,
    /// The node, aliases followed.
    id: usize,
    /// Where the node stands in the text (the alias, when it was reached through one).
    at: usize,
    /// Reached through an alias or merge key: it spends the alias budget.
    via_alias: bool,
    depth: usize,
}

impl<'s, 'd> NodeDe<'s, 'd> {
    fn node(&self) -> &'d Node {
        let doc: &'d Document = self.state.doc;
        doc.node(self.id)
    }

    /// The deserializer of child `id` (an item, key or value of this node).
    fn child<'t>(&'t mut self, id: usize, via_alias: bool) -> Result<NodeDe<'t, 'd>, DecodeError> {
        let target = self.state.doc.follow(id).ok_or_else(|| {
            self.error(de::Error::custom(
                "an alias chain does not end (YAML aliases)",
            ))
        })?;
        let via_alias = via_alias || self.via_alias || target != id;
        let depth = self.depth + 1;
        if depth > MAX_DECODE_DEPTH {
            return Err(self.error_at(
                id,
                de::Error::custom(format!("nested deeper than {MAX_DECODE_DEPTH} levels")),
            ));
        }
        if via_alias {
            let cost = match &self.state.doc.node(target).kind {
                Kind::Scalar { value, .. } => NODE_COST + value.len(),
                _ => NODE_COST,
            };
            if !self.state.budget.spend(cost) {
                return Err(self.error_at(
                    id,
                    de::Error::custom(format!(
                        "YAML aliases expand this document beyond its alias budget \
                     (the document's size, at least {MIN_ALIAS_EXPANSION_BYTES} bytes); refusing it"
                    )),
                ));
            }
        }
        Ok(NodeDe {
            state: &mut *self.state,
            id: target,
            at: id,
            via_alias,
            depth,
        })
    }

    /// The deserializer of this same node, for a visitor that takes one while this one
    /// still locates its errors.
    fn reborrow(&mut self) -> NodeDe<'_, 'd> {
        NodeDe {
            state: &mut *self.state,
            id: self.id,
            at: self.at,
            via_alias: self.via_alias,
            depth: self.depth,
        }
    }

    /// Gives an error this node's position and path, unless a deeper node already did.
    fn error(&self, error: DecodeError) -> DecodeError {
        self.error_at(self.at, error)
    }

    /// Gives an error the position of node `at` and the current path, unless located.
    fn error_at(&self, at: usize, mut error: DecodeError) -> DecodeError {
        if !error.located {
            let at = self.state.doc.node(at);
            error.path = self.state.path();
            error.line = usize::try_from(at.line).unwrap_or(0);
            error.column = at.column;
            error.located = true;
        }
        error
    }

    fn locate<T>(&self, result: Result<T, DecodeError>) -> Result<T, DecodeError> {
        result.map_err(|e| self.error(e))
    }

    /// The node's meaning as a scalar; `None` for a collection.
    fn scalar(&self) -> Result<Option<Scalar<'d>>, DecodeError> {
        let node = self.node();
        let Kind::Scalar { value, tag, plain } = &node.kind else {
            return Ok(None);
        };
        let scalar = match (tag, plain) {
            (None, false) => Scalar::Str(value),
            (None, true) => match resolve_plain(value) {
                Resolved::Null => Scalar::Null,
                Resolved::Bool(b) => Scalar::Bool(b),
                Resolved::Int(i) => Scalar::Int(i),
                Resolved::Uint(u) => Scalar::Uint(u),
                Resolved::Float(f) => Scalar::Float(f),
                Resolved::Timestamp | Resolved::Str => Scalar::Str(value),
            },
            (Some(tag), _) => {
                match parse::scalar(value, Some(tag), false, node.line)
                    .map_err(|e| self.error(de::Error::custom(e)))?
                {
                    Yaml::Null => Scalar::Null,
                    Yaml::Bool(b) => Scalar::Bool(b),
                    Yaml::Int(i) => Scalar::Int(i),
                    Yaml::Float(f) => Scalar::Float(f),
                    Yaml::Str(s) if s == *value => Scalar::Str(value),
                    Yaml::Str(s) => Scalar::Owned(s.into_owned()),
                    Yaml::Seq(_) | Yaml::Map(_) => Scalar::Null,
                }
            }
        };
        Ok(Some(scalar))
    }

    /// The scalar's text as written (or as its tag decoded it).
    fn text(&self) -> Option<&'d str> {
        match &self.node().kind {
            Kind::Scalar { value, .. } => Some(value),
            _ => None,
        }
    }

    fn unexpected(&self) -> Result<Unexpected<'static>, DecodeError> {
        Ok(match &self.node().kind {
            Kind::Seq(_) => Unexpected::Seq,
            Kind::Map(_) => Unexpected::Map,
            _ => match self.scalar()? {
                Some(scalar) => scalar.unexpected(),
                None => Unexpected::Other("node"),
            },
        })
    }

    fn invalid_type(&self, expected: &dyn de::Expected) -> DecodeError {
        match self.unexpected() {
            Ok(unexpected) => self.error(de::Error::invalid_type(unexpected, expected)),
            Err(e) => e,
        }
    }

    /// The entries of a mapping, with those of its merge keys (`<<`) that it does not set
    /// itself; merged entries count as reached through an alias.
    fn entries(&self) -> Result<Vec<(usize, usize, bool)>, DecodeError> {
        let doc = self.state.doc;
        let Kind::Map(children) = &self.node().kind else {
            return Ok(Vec::new());
        };
        let mut own = Vec::with_capacity(children.len() / 2);
        let mut merges = Vec::new();
        for pair in children.chunks(2) {
            let [key, value] = *pair else { continue };
            if is_merge_key(doc, key) {
                merges.push(value);
            } else {
                own.push((key, value, false));
            }
        }
        let mut keys: Vec<(&str, usize)> = own
            .iter()
            .filter_map(|&(k, _, _)| Some((key_text(doc, k)?, k)))
            .collect();
        keys.sort_by(|a, b| a.0.cmp(b.0).then(a.1.cmp(&b.1)));
        if let Some(pair) = keys.windows(2).find(|w| w[0].0 == w[1].0) {
            // kubectl refuses a mapping that repeats a key; the last one would win silently.
            let (key, second) = pair[1];
            return Err(self.error_at(
                second,
                de::Error::custom(format!(
                    "duplicate field `{key}` (the key appears more than once in this mapping)"
                )),
            ));
        }
        if merges.is_empty() {
            return Ok(own);
        }
        let invalid = || {
            self.error(de::Error::custom(
                "a merge key (<<) needs a mapping or a list of mappings",
            ))
        };
        let mut sources = Vec::new();
        for value in merges {
            let value = doc.follow(value).ok_or_else(invalid)?;
            match &doc.node(value).kind {
                Kind::Map(_) => sources.push(value),
                Kind::Seq(items) => {
                    for &item in items {
                        let item = doc.follow(item).ok_or_else(invalid)?;
                        if !matches!(doc.node(item).kind, Kind::Map(_)) {
                            return Err(invalid());
                        }
                        sources.push(item);
                    }
                }
                _ => return Err(invalid()),
            }
        }
        // A set, not a list: a scan per merged key was quadratic in the mapping.
        let mut seen: std::collections::HashSet<&str> = own
            .iter()
            .filter_map(|&(k, _, _)| key_text(doc, k))
            .collect();
        for source in sources {
            let Kind::Map(children) = &doc.node(source).kind else {
                continue;
            };
            for pair in children.chunks(2) {
                let [key, value] = *pair else { continue };
                let Some(text) = key_text(doc, key) else {
                    continue;
                };
                if !is_merge_key(doc, key) && seen.insert(text) {
                    own.push((key, value, true));
                }
            }
        }
        Ok(own)
    }

    /// Visits a mapping's entries; `known` are the struct's fields, if it decodes one.
    fn visit_map<V: Visitor<'d>>(
        mut self,
        visitor: V,
        known: &'static [&'static str],
    ) -> Result<V::Value, DecodeError> {
        let Kind::Map(_) = &self.node().kind else {
            return Err(self.invalid_type(&visitor));
        };
        let mut entries = self.entries()?;
        if self.state.prune_nulls && !known.is_empty() {
            let doc: &'d Document = self.state.doc;
            entries.retain(|&(_, value, _)| !NodeRef { doc, id: value }.is_null());
        }
        let result = visitor.visit_map(MapReader {
            de: &mut self,
            entries,
            next: 0,
            known,
        });
        self.locate(result)
    }

    fn visit_seq<V: Visitor<'d>>(mut self, visitor: V) -> Result<V::Value, DecodeError> {
        let Kind::Seq(items) = &self.node().kind else {
            return Err(self.invalid_type(&visitor));
        };
        let result = visitor.visit_seq(SeqReader {
            de: &mut self,
            items,
            next: 0,
        });
        self.locate(result)
    }
}

fn is_merge_key(doc: &Document, id: usize) -> bool {
    matches!(&doc.node(id).kind, Kind::Scalar { value, tag, plain }
        if value == "<<" && (*plain || tag.as_deref() == Some("tag:yaml.org,2002:merge")))
}

fn key_text(doc: &Document, id: usize) -> Option<&str> {
    match &doc.node(doc.follow(id)?).kind {
        Kind::Scalar { value, .. } => Some(value),
        _ => None,
    }
}

struct MapReader<'a, 's, 'd> {
    de: &'a mut NodeDe<'s, 'd>,
    entries: Vec<(usize, usize, bool)>,
    next: usize,
    known: &'static [&'static str],
}

impl<'d> de::MapAccess<'d> for MapReader<'_, '_, 'd> {
    type Error = DecodeError;

    fn next_key_seed<K: DeserializeSeed<'d>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DecodeError> {
        let Some(&(key, _, merged)) = self.entries.get(self.next) else {
            return Ok(None);
        };
        let key_de = self.de.child(key, merged)?;
        // A key is text whatever it looks like (`1:` is the key "1"), as in JSON.
        let Some(text) = key_de.text() else {
            return Err(key_de.error(de::Error::custom("mapping keys must be scalars")));
        };
        let result = seed.deserialize(de::value::BorrowedStrDeserializer::new(text));
        key_de.locate(result).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'d>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, DecodeError> {
        let Some(&(key, value, merged)) = self.entries.get(self.next) else {
            return Err(de::Error::custom("a value without its key"));
        };
        self.next += 1;
        let doc: &'d Document = self.de.state.doc;
        self.de
            .state
            .path
            .push(Segment::Key(key_text(doc, key).unwrap_or("")));
        self.de.state.known_here = self.known;
        let result = match self.de.child(value, merged) {
            Ok(value_de) => seed.deserialize(value_de),
            Err(e) => Err(e),
        };
        self.de.state.path.pop();
        result
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len() - self.next)
    }
}

struct SeqReader<'a, 's, 'd> {
    de: &'a mut NodeDe<'s, 'd>,
    items: &'d [usize],
    next: usize,
}

impl<'d> de::SeqAccess<'d> for SeqReader<'_, '_, 'd> {
    type Error = DecodeError;

    fn next_element_seed<T: DeserializeSeed<'d>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DecodeError> {
        let Some(&item) = self.items.get(self.next) else {
            return Ok(None);
        };
        self.de.state.path.push(Segment::Index(self.next));
        self.next += 1;
        let result = match self.de.child(item, false) {
            Ok(item_de) => seed.deserialize(item_de),
            Err(e) => Err(e),
        };
        self.de.state.path.pop();
        result.map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len() - self.next)
    }
}

/// An enum written as a single-entry mapping: `{Variant: value}`.
struct VariantReader<'s, 'd> {
    de: NodeDe<'s, 'd>,
    key: usize,
    value: usize,
}

impl<'s, 'd> de::EnumAccess<'d> for VariantReader<'s, 'd> {
    type Error = DecodeError;
    type Variant = NodeDe<'s, 'd>;

    fn variant_seed<V: DeserializeSeed<'d>>(
        mut self,
        seed: V,
    ) -> Result<(V::Value, NodeDe<'s, 'd>), DecodeError> {
        let variant = seed.deserialize(self.de.child(self.key, false)?)?;
        let doc: &'d Document = self.de.state.doc;
        let target = doc.follow(self.value).unwrap_or(self.value);
        Ok((
            variant,
            NodeDe {
                state: self.de.state,
                id: target,
                at: self.value,
                via_alias: self.de.via_alias || target != self.value,
                depth: self.de.depth + 1,
            },
        ))
    }
}

impl<'d> de::VariantAccess<'d> for NodeDe<'_, 'd> {
    type Error = DecodeError;

    fn unit_variant(self) -> Result<(), DecodeError> {
        de::Deserialize::deserialize(self)
    }

    fn newtype_variant_seed<T: DeserializeSeed<'d>>(
        self,
        seed: T,
    ) -> Result<T::Value, DecodeError> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'d>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        self.visit_seq(visitor)
    }

    fn struct_variant<V: Visitor<'d>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        self.visit_map(visitor, fields)
    }
}

/// An enum written as its variant's name.
struct UnitVariant<'s, 'd>(NodeDe<'s, 'd>);

impl<'s, 'd> de::EnumAccess<'d> for UnitVariant<'s, 'd> {
    type Error = DecodeError;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'d>>(
        mut self,
        seed: V,
    ) -> Result<(V::Value, Self), DecodeError> {
        let variant = seed.deserialize(self.0.reborrow())?;
        Ok((variant, self))
    }
}

impl<'d> de::VariantAccess<'d> for UnitVariant<'_, 'd> {
    type Error = DecodeError;

    fn unit_variant(self) -> Result<(), DecodeError> {
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'d>>(self, _: T) -> Result<T::Value, DecodeError> {
        Err(self.0.error(de::Error::invalid_type(
            Unexpected::UnitVariant,
            &"a mapping holding the variant's value",
        )))
    }

    fn tuple_variant<V: Visitor<'d>>(self, _: usize, _: V) -> Result<V::Value, DecodeError> {
        Err(self.0.error(de::Error::invalid_type(
            Unexpected::UnitVariant,
            &"a mapping holding the variant's values",
        )))
    }

    fn struct_variant<V: Visitor<'d>>(
        self,
        _: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, DecodeError> {
        Err(self.0.error(de::Error::invalid_type(
            Unexpected::UnitVariant,
            &"a mapping holding the variant's fields",
        )))
    }
}

macro_rules! numbers {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'d>>(self, visitor: V) -> Result<V::Value, DecodeError> {
            let result = match self.scalar()? {
                Some(Scalar::Int(i)) => visitor.visit_i64(i),
                Some(Scalar::Uint(u)) => visitor.visit_u64(u),
                Some(Scalar::Float(f)) => visitor.visit_f64(f),
                _ => return Err(self.invalid_type(&visitor)),
            };
            self.locate(result)
        }
    )*};
}

/// Text is only what reads as a string: a plain `3` or `true` where a string is wanted is
/// refused, as the API server refuses the number or boolean kubectl sends for it.
macro_rules! texts {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'d>>(self, visitor: V) -> Result<V::Value, DecodeError> {
            let result = match self.scalar()? {
                Some(Scalar::Str(s)) => visitor.visit_borrowed_str(s),
                Some(Scalar::Owned(s)) => visitor.visit_string(s),
                _ => return Err(self.invalid_type(&visitor)),
            };
            self.locate(result)
        }
    )*};
}

impl<'d> de::Deserializer<'d> for NodeDe<'_, 'd> {
    type Error = DecodeError;

    fn deserialize_any<V: Visitor<'d>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        let result = match self.scalar()? {
            None => {
                return match self.node().kind {
                    Kind::Map(_) => self.visit_map(visitor, &[]),
                    _ => self.visit_seq(visitor),
                };
            }
            Some(Scalar::Null) => visitor.visit_unit(),
            Some(Scalar::Bool(b)) => visitor.visit_bool(b),
            Some(Scalar::Int(i)) => visitor.visit_i64(i),
            Some(Scalar::Uint(u)) => visitor.visit_u64(u),
            Some(Scalar::Float(f)) => visitor.visit_f64(f),
            Some(Scalar::Str(s)) => visitor.visit_borrowed_str(s),
            Some(Scalar::Owned(s)) => visitor.visit_string(s),
        };
        self.locate(result)
    }

    fn deserialize_bool<V: Visitor<'d>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        let result = match self.scalar()? {
            Some(Scalar::Bool(b)) => visitor.visit_bool(b),
            _ => return Err(self.invalid_type(&visitor)),
        };
        self.locate(result)
    }

    numbers! {
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128
        deserialize_f32 deserialize_f64
    }

    texts! {
        deserialize_char deserialize_str deserialize_string deserialize_bytes
        deserialize_byte_buf
    }

    /// A variant name, whatever it looks like.
    fn deserialize_identifier<V: Visitor<'d>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        let result = match self.text() {
            Some(text) => visitor.visit_borrowed_str(text),
            None => return Err(self.invalid_type(&visitor)),
        };
        self.locate(result)
    }

    fn deserialize_option<V: Visitor<'d>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        if let Some(Scalar::Null) = self.scalar()? {
            let result = visitor.visit_none();
            return self.locate(result);
        }
        visitor.visit_some(self)
    }

    fn deserialize_unit<V: Visitor<'d>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        let result = match self.scalar()? {
            Some(Scalar::Null) => visitor.visit_unit(),
            _ => return Err(self.invalid_type(&visitor)),
        };
        self.locate(result)
    }

    fn deserialize_unit_struct<V: Visitor<'d>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'d>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'d>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        self.visit_seq(visitor)
    }

    fn deserialize_tuple<V: Visitor<'d>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        self.visit_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'d>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        self.visit_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'d>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        self.visit_map(visitor, &[])
    }

    fn deserialize_struct<V: Visitor<'d>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        self.visit_map(visitor, fields)
    }

    fn deserialize_enum<V: Visitor<'d>>(
        mut self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        match &self.node().kind {
            Kind::Scalar { .. } => {
                let result = visitor.visit_enum(UnitVariant(self.reborrow()));
                self.locate(result)
            }
            Kind::Map(children) if children.len() == 2 => {
                let (key, value) = (children[0], children[1]);
                let result = visitor.visit_enum(VariantReader {
                    de: self.reborrow(),
                    key,
                    value,
                });
                self.locate(result)
            }
            _ => Err(self.invalid_type(&"a variant name, or a mapping of one variant")),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'d>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        // Skipped without walking it: an unknown subtree costs nothing, however it was written.
        let line = usize::try_from(self.state.doc.node(self.at).line).unwrap_or(0);
        let unknown = UnknownField {
            path: self.state.path(),
            line,
            known: self.state.known_here,
        };
        self.state.unknown.push(unknown);
        visitor.visit_unit()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "camelCase")]
    struct Endpoint {
        #[serde(default)]
        port: Option<String>,
        #[serde(default)]
        honor_labels: bool,
        #[serde(default)]
        interval: Option<u32>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Spec {
        #[serde(default)]
        endpoints: Vec<Endpoint>,
        #[serde(default)]
        labels: BTreeMap<String, String>,
    }

    fn decode<T: DeserializeOwned>(text: &str) -> Result<Decoded<T>, DecodeError> {
        let docs = Document::parse_stream(text, 0).expect("parses");
        docs[0].decode()
    }

    #[test]
    fn scalars_take_the_meaning_the_type_asks_for() {
        let spec: Spec =
            decode("endpoints:\n- port: web\n  honorLabels: yes\n  interval: 0x10\nlabels: {a: 'yes', 1: '2'}\n")
                .unwrap()
                .value;
        assert_eq!(spec.endpoints[0].port.as_deref(), Some("web"));
        assert!(spec.endpoints[0].honor_labels);
        assert_eq!(spec.endpoints[0].interval, Some(16));
        assert_eq!(spec.labels["a"], "yes");
        assert_eq!(spec.labels["1"], "2");
    }

    #[test]
    fn numbers_and_booleans_are_not_text() {
        let err = decode::<Spec>("labels: {version: 1.0}\n").unwrap_err();
        assert_eq!(err.path, "labels.version");
        assert_eq!(
            err.message,
            "invalid type: floating point number, expected a string"
        );
        assert!(decode::<Spec>("endpoints:\n- port: yes\n").is_err());
    }

    #[test]
    fn errors_carry_path_and_position() {
        let err = decode::<Spec>("endpoints:\n- port: a\n  interval: \"x\"\n").unwrap_err();
        assert_eq!(err.path, "endpoints[0].interval");
        assert_eq!((err.line, err.column), (3, 13));
        assert_eq!(err.message, "invalid type: string, expected u32");
    }

    #[test]
    fn unknown_fields_are_reported_with_their_siblings() {
        let decoded = decode::<Spec>("endpoints:\n- prot: a\n  extra: {deep: [1]}\n").unwrap();
        let paths: Vec<&str> = decoded.unknown.iter().map(|u| u.path.as_str()).collect();
        assert_eq!(paths, ["endpoints[0].prot", "endpoints[0].extra"]);
        assert!(decoded.unknown[0].known.contains(&"port"));
        assert_eq!(decoded.unknown[1].line, 3);
    }

    #[test]
    fn repeated_keys_are_refused() {
        let err = decode::<Spec>("labels:\n  team: a\n  team: b\n").unwrap_err();
        assert!(
            err.message.starts_with("duplicate field `team`"),
            "{}",
            err.message
        );
        assert_eq!(err.line, 3);
    }

    #[test]
    fn merge_keys_and_aliases() {
        let spec: Spec = decode(
            "base: &b {port: web, interval: 5}\nendpoints:\n- <<: *b\n  interval: 7\n- *b\n",
        )
        .unwrap()
        .value;
        assert_eq!(spec.endpoints[0].port.as_deref(), Some("web"));
        assert_eq!(spec.endpoints[0].interval, Some(7));
        assert_eq!(spec.endpoints[1].interval, Some(5));
    }

    #[test]
    fn alias_expansion_is_bounded_in_bytes() {
        let big = "x".repeat(64 * 1024);
        let mut text = format!("labels: {{a: &s {big}}}\nendpoints:\n");
        for _ in 0..64 {
            text.push_str("- port: *s\n");
        }
        let err = decode::<Spec>(&text).unwrap_err();
        assert!(err.message.contains("alias budget"), "{}", err.message);
        assert!(err.path.starts_with("endpoints["), "{}", err.path);
    }

    #[test]
    fn nesting_is_bounded_through_aliases() {
        let err = decode::<serde_json::Value>("a: &x [*x]\n").unwrap_err();
        assert!(err.message.contains("nested deeper"), "{}", err.message);
    }

    #[test]
    fn json_round_trip() {
        let value = serde_json::json!({"endpoints": [{"port": "9", "honorLabels": true}], "labels": {"a": "1"}});
        let doc = Document::from_json(&value);
        let spec: Spec = doc.decode().unwrap().value;
        assert_eq!(spec.endpoints[0].port.as_deref(), Some("9"));
        assert_eq!(doc.root().to_json().unwrap(), value);
    }
}
