//! Structural defaulting of custom resources on the node arena, as the Kubernetes API server
//! applies a CRD's schema defaults before storing an object (apiextensions-apiserver's
//! `structuraldefaulting.Default`).
//!
//! A default fills a property that is absent, or null (no CRD of the project's group marks a
//! property nullable), in every object the schema reaches through `properties`, `items` and
//! `additionalProperties`. A parent's defaults are applied before its children are visited, so
//! the defaults inside a default value apply too.
//!
//! Defaulting never changes a node of the input: a changed mapping or sequence is written as a
//! new node at the same position, so every field the user wrote keeps its line and column, and a
//! node shared through an alias keeps its meaning elsewhere. A changed node that was reached
//! through an alias (or a merge key) is reached through a new alias, so decoding it still spends
//! the alias budget.

use std::collections::{BTreeMap, HashSet};

use serde_json::Value;

use super::document::{Document, Kind, MAX_DEPTH, Node, NodeRef};

/// The part of a structural schema that leads to defaults.
#[derive(Debug)]
pub struct SchemaNode {
    /// The value, as JSON text, that the property takes when it is absent or null.
    pub default: Option<&'static str>,
    /// The properties of an object that have or contain a default, sorted by name.
    pub properties: &'static [(&'static str, &'static SchemaNode)],
    /// The schema of every item of an array, when it contains a default.
    pub items: Option<&'static SchemaNode>,
    /// The schema of every value of a map (`additionalProperties`), when it contains a default.
    pub additional: Option<&'static SchemaNode>,
}

impl SchemaNode {
    /// No default and nothing below.
    pub const EMPTY: SchemaNode = SchemaNode {
        default: None,
        properties: &[],
        items: None,
        additional: None,
    };

    /// A property with a default (JSON text) and nothing below.
    pub const fn leaf(default: &'static str) -> Self {
        SchemaNode {
            default: Some(default),
            ..SchemaNode::EMPTY
        }
    }

    /// An object whose properties (sorted by name) have or contain defaults.
    pub const fn object(properties: &'static [(&'static str, &'static SchemaNode)]) -> Self {
        SchemaNode {
            properties,
            ..SchemaNode::EMPTY
        }
    }

    /// An array whose items contain defaults.
    pub const fn list(items: &'static SchemaNode) -> Self {
        SchemaNode {
            items: Some(items),
            ..SchemaNode::EMPTY
        }
    }

    /// A map whose values contain defaults.
    pub const fn map(values: &'static SchemaNode) -> Self {
        SchemaNode {
            additional: Some(values),
            ..SchemaNode::EMPTY
        }
    }

    /// The schema of the value of key `name` in an object.
    fn child(&self, name: &str) -> Option<&'static SchemaNode> {
        match self
            .properties
            .binary_search_by(|(key, _)| (*key).cmp(name))
        {
            Ok(index) => self.properties.get(index).map(|(_, schema)| *schema),
            Err(_) => self.additional,
        }
    }

    /// Whether anything lies below this node.
    fn has_children(&self) -> bool {
        !self.properties.is_empty() || self.items.is_some() || self.additional.is_some()
    }

    /// The default as a value; `None` without one (or, never for a generated table, when its
    /// text is not JSON).
    fn default_value(&self) -> Option<Value> {
        self.default
            .and_then(|text| serde_json::from_str(text).ok())
    }
}

impl NodeRef<'_> {
    /// This node's tree with the defaults of `schema` applied, as a document of its own whose
    /// root is this node: the nodes it reaches are copied with their positions, and nodes added
    /// by defaults have none (line 0).
    pub fn with_defaults(&self, schema: &SchemaNode) -> Document {
        let mut document = copy_reachable(self.doc, self.id);
        document.apply_defaults(schema);
        document
    }
}

impl Document {
    /// Applies the defaults of `schema` to the root, as [`NodeRef::with_defaults`] does but
    /// without the copy: the nodes defaults replace stay in the arena, unreachable.
    pub fn apply_defaults(&mut self, schema: &SchemaNode) {
        let mut defaulter = Defaulter {
            doc: self,
            done: BTreeMap::new(),
        };
        let root = defaulter.doc.root;
        if let Some(defaulted) = defaulter.apply(root, schema, 0) {
            self.root = defaulted;
        }
    }
}

/// The nodes reachable from `root` (through children and aliases), copied into a new document
/// in their original order.
fn copy_reachable(doc: &Document, root: usize) -> Document {
    let mut reachable = vec![false; doc.nodes.len()];
    let mut pending = vec![root];
    // Each node is pushed at most once per reference to it, so the walk ends.
    while let Some(id) = pending.pop() {
        match reachable.get_mut(id) {
            Some(seen) if !*seen => *seen = true,
            _ => continue,
        }
        match &doc.node(id).kind {
            Kind::Seq(children) | Kind::Map(children) => pending.extend(children),
            Kind::Alias { target } => pending.push(*target),
            Kind::Scalar { .. } => {}
        }
    }
    let mut new_id = vec![0; doc.nodes.len()];
    let kept = new_id.iter_mut().zip(&reachable).filter(|(_, seen)| **seen);
    for (next, (slot, _)) in kept.enumerate() {
        *slot = next;
    }
    let renumber = |id: usize| new_id.get(id).copied().unwrap_or(0);
    let nodes = doc
        .nodes
        .iter()
        .zip(&reachable)
        .filter(|(_, seen)| **seen)
        .map(|(node, _)| copy_node(node, renumber))
        .collect();
    Document {
        nodes,
        root: renumber(root),
    }
}

/// A copy of `node` whose references to other nodes go through `renumber`.
fn copy_node(node: &Node, renumber: impl Fn(usize) -> usize) -> Node {
    let kind = match &node.kind {
        Kind::Scalar { value, tag, plain } => Kind::Scalar {
            value: value.clone(),
            tag: tag.clone(),
            plain: *plain,
        },
        Kind::Seq(children) => Kind::Seq(children.iter().map(|&id| renumber(id)).collect()),
        Kind::Map(children) => Kind::Map(children.iter().map(|&id| renumber(id)).collect()),
        Kind::Alias { target } => Kind::Alias {
            target: renumber(*target),
        },
    };
    Node {
        kind,
        line: node.line,
        column: node.column,
    }
}

/// One entry of a mapping, as the decoder sees it.
struct Entry {
    key: usize,
    value: usize,
    /// Where the value sits among the mapping's own children; `None` when it comes from a merge
    /// key (`<<`).
    slot: Option<usize>,
}

struct Defaulter<'d> {
    doc: &'d mut Document,
    /// What each (node, schema node) pair became: defaulting depends on nothing else, and
    /// remembering it keeps the work linear when aliases share a subtree many times.
    done: BTreeMap<(usize, usize), Option<usize>>,
}

impl Defaulter<'_> {
    /// Applies `schema`'s defaults below node `id`; returns the node that replaces it, when
    /// anything changed.
    fn apply(&mut self, id: usize, schema: &SchemaNode, depth: usize) -> Option<usize> {
        if !schema.has_children() || depth > MAX_DEPTH {
            return None;
        }
        let target = self.doc.follow(id)?;
        if target != id {
            // Still reached through an alias, so that decoding it spends the alias budget.
            let new = self.apply(target, schema, depth)?;
            return Some(self.push_like(id, Kind::Alias { target: new }));
        }
        let memo_key = (id, std::ptr::from_ref(schema).addr());
        if let Some(done) = self.done.get(&memo_key) {
            return *done;
        }
        let changed = match &self.doc.node(id).kind {
            Kind::Map(_) => self.apply_to_map(id, schema, depth),
            Kind::Seq(items) => match schema.items {
                Some(item_schema) => {
                    let items = items.clone();
                    self.apply_to_seq(id, &items, item_schema, depth)
                }
                None => None,
            },
            Kind::Scalar { .. } | Kind::Alias { .. } => None,
        };
        self.done.insert(memo_key, changed);
        changed
    }

    fn apply_to_seq(
        &mut self,
        id: usize,
        items: &[usize],
        item_schema: &SchemaNode,
        depth: usize,
    ) -> Option<usize> {
        let mut new_items = items.to_vec();
        let mut changed = false;
        for (slot, &item) in new_items.iter_mut().zip(items) {
            if let Some(new) = self.apply(item, item_schema, depth + 1) {
                *slot = new;
                changed = true;
            }
        }
        changed.then(|| self.push_like(id, Kind::Seq(new_items)))
    }

    fn apply_to_map(&mut self, id: usize, schema: &SchemaNode, depth: usize) -> Option<usize> {
        let Kind::Map(children) = &self.doc.node(id).kind else {
            return None;
        };
        let mut new_children = children.clone();
        let entries = self.entries(&new_children);
        let mut changed = false;
        for entry in &entries {
            let Some(child_schema) = self.key_text(entry.key).and_then(|key| schema.child(key))
            else {
                continue;
            };
            let null = NodeRef {
                doc: self.doc,
                id: entry.value,
            }
            .is_null();
            let new = match child_schema.default_value() {
                Some(default) if null => {
                    let value = self.push_json(&default);
                    Some(self.apply(value, child_schema, depth + 1).unwrap_or(value))
                }
                _ => self.apply(entry.value, child_schema, depth + 1),
            };
            let Some(new) = new else { continue };
            changed = true;
            match entry.slot.and_then(|slot| new_children.get_mut(slot)) {
                Some(slot) => *slot = new,
                None => {
                    // A merged entry is overridden by an entry of the mapping's own, reached
                    // through an alias like the merged value was.
                    let value = self.push_like(entry.value, Kind::Alias { target: new });
                    new_children.extend([entry.key, value]);
                }
            }
        }
        for (name, child_schema) in schema.properties {
            let present = entries
                .iter()
                .any(|entry| self.key_text(entry.key) == Some(*name));
            let Some(default) = child_schema.default_value().filter(|_| !present) else {
                continue;
            };
            let key = self.push(Kind::Scalar {
                value: (*name).to_owned(),
                tag: None,
                plain: false,
            });
            let value = self.push_json(&default);
            let value = self.apply(value, child_schema, depth + 1).unwrap_or(value);
            new_children.extend([key, value]);
            changed = true;
        }
        changed.then(|| self.push_like(id, Kind::Map(new_children)))
    }

    /// The entries of a mapping with children `children`: its own, then those of its merge
    /// keys that it does not set itself (a merge key that is not a mapping or a list of
    /// mappings is left for the decoder to refuse).
    fn entries(&self, children: &[usize]) -> Vec<Entry> {
        let mut entries = Vec::with_capacity(children.len() / 2);
        let mut sources = Vec::new();
        for (index, pair) in children.chunks(2).enumerate() {
            let [key, value] = *pair else { continue };
            if self.is_merge_key(key) {
                sources.push(value);
            } else {
                entries.push(Entry {
                    key,
                    value,
                    slot: Some(index * 2 + 1),
                });
            }
        }
        let mut merged_maps = Vec::new();
        for source in sources {
            let Some(source) = self.doc.follow(source) else {
                continue;
            };
            match &self.doc.node(source).kind {
                Kind::Map(_) => merged_maps.push(source),
                Kind::Seq(items) => {
                    merged_maps.extend(items.iter().filter_map(|&item| self.doc.follow(item)));
                }
                _ => {}
            }
        }
        if merged_maps.is_empty() {
            return entries;
        }
        // A set, not a scan of the entries per merged key: that was quadratic in the mapping.
        let mut seen: HashSet<&str> = (entries.iter())
            .filter_map(|entry| self.key_text(entry.key))
            .collect();
        for source in merged_maps {
            let Kind::Map(children) = &self.doc.node(source).kind else {
                continue;
            };
            for pair in children.chunks(2) {
                let [key, value] = *pair else { continue };
                if let Some(text) = self.key_text(key)
                    && !self.is_merge_key(key)
                    && seen.insert(text)
                {
                    entries.push(Entry {
                        key,
                        value,
                        slot: None,
                    });
                }
            }
        }
        entries
    }

    fn is_merge_key(&self, id: usize) -> bool {
        matches!(&self.doc.node(id).kind, Kind::Scalar { value, tag, plain }
            if value == "<<" && (*plain || tag.as_deref() == Some("tag:yaml.org,2002:merge")))
    }

    fn key_text(&self, id: usize) -> Option<&str> {
        match &self.doc.node(self.doc.follow(id)?).kind {
            Kind::Scalar { value, .. } => Some(value),
            _ => None,
        }
    }

    /// Adds a node without a position.
    fn push(&mut self, kind: Kind) -> usize {
        self.doc.nodes.push(Node {
            kind,
            line: 0,
            column: 0,
        });
        self.doc.nodes.len() - 1
    }

    /// Adds a node at the position of node `like`.
    fn push_like(&mut self, like: usize, kind: Kind) -> usize {
        let (line, column) = {
            let node = self.doc.node(like);
            (node.line, node.column)
        };
        self.doc.nodes.push(Node { kind, line, column });
        self.doc.nodes.len() - 1
    }

    /// Adds the nodes of a default value; returns its root.
    fn push_json(&mut self, value: &Value) -> usize {
        let value = Document::from_json(value);
        let offset = self.doc.nodes.len();
        self.doc.nodes.extend(
            value
                .nodes
                .iter()
                .map(|node| copy_node(node, |id| id + offset)),
        );
        value.root + offset
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static ACTION: SchemaNode = SchemaNode::leaf("\"replace\"");
    static RELABEL: SchemaNode = SchemaNode::object(&[("action", &ACTION)]);
    static RELABELS: SchemaNode = SchemaNode::list(&RELABEL);
    static NAME: SchemaNode = SchemaNode::leaf("\"\"");
    static REFERENCE: SchemaNode = SchemaNode::object(&[("name", &NAME)]);
    static HEADERS: SchemaNode = SchemaNode::map(&REFERENCE);
    static INTERVAL: SchemaNode = SchemaNode::leaf("\"30s\"");
    static BOX_DEFAULT: SchemaNode = SchemaNode {
        default: Some("{}"),
        properties: &[("name", &NAME)],
        ..SchemaNode::EMPTY
    };
    static SPEC: SchemaNode = SchemaNode::object(&[
        ("box", &BOX_DEFAULT),
        ("headers", &HEADERS),
        ("relabelings", &RELABELS),
        ("scrapeInterval", &INTERVAL),
    ]);
    static ROOT: SchemaNode = SchemaNode::object(&[("spec", &SPEC)]);

    fn defaulted(text: &str) -> Value {
        let docs = Document::parse_stream(text, 0).unwrap();
        docs[0]
            .root()
            .with_defaults(&ROOT)
            .root()
            .to_json()
            .unwrap()
    }

    #[test]
    fn absent_and_null_properties_take_their_default() {
        let value = defaulted("spec: {}\n");
        assert_eq!(value["spec"]["scrapeInterval"], "30s");
        let value = defaulted("spec:\n  scrapeInterval: ~\n");
        assert_eq!(value["spec"]["scrapeInterval"], "30s");
        // No spec: nothing is created to hold a default.
        assert_eq!(
            defaulted("metadata: {}\n"),
            serde_json::json!({"metadata": {}})
        );
    }

    #[test]
    fn existing_values_are_kept() {
        let value = defaulted("spec:\n  scrapeInterval: 10s\n  relabelings:\n  - action: drop\n");
        assert_eq!(value["spec"]["scrapeInterval"], "10s");
        assert_eq!(value["spec"]["relabelings"][0]["action"], "drop");
    }

    #[test]
    fn items_maps_and_defaults_inside_defaults() {
        let value = defaulted(
            "spec:\n  relabelings:\n  - sourceLabels: [a]\n  - action: keep\n  headers:\n    h: [{key: k}]\n",
        );
        let spec = &value["spec"];
        assert_eq!(spec["relabelings"][0]["action"], "replace");
        assert_eq!(spec["relabelings"][1]["action"], "keep");
        // `headers` values are lists here, not the objects the schema wants: left alone.
        assert_eq!(spec["headers"]["h"][0], serde_json::json!({"key": "k"}));
        assert_eq!(spec["box"], serde_json::json!({"name": ""}));
    }

    #[test]
    fn positions_of_written_fields_are_kept() {
        let docs = Document::parse_stream("spec:\n  relabelings:\n  - regex: x\n", 0).unwrap();
        let doc = docs[0].root().with_defaults(&ROOT);
        let item = doc.root().get("spec").unwrap().get("relabelings").unwrap();
        let item = item.items().unwrap()[0];
        let regex = item.get("regex").unwrap();
        assert_eq!((item.line(), regex.line(), regex.column()), (3, 3, 12));
        assert_eq!(item.get("action").unwrap().line(), 0);
    }

    #[test]
    fn shared_nodes_keep_their_meaning_and_aliases_stay_aliases() {
        let value = defaulted(
            "other: &r {regex: x}\nspec:\n  relabelings: [*r, {<<: *r, replacement: z}]\n",
        );
        assert_eq!(value["other"], serde_json::json!({"regex": "x"}));
        let relabelings = &value["spec"]["relabelings"];
        assert_eq!(
            relabelings[0],
            serde_json::json!({"regex": "x", "action": "replace"})
        );
        assert_eq!(
            relabelings[1],
            serde_json::json!({"regex": "x", "replacement": "z", "action": "replace"})
        );
        let docs = Document::parse_stream("spec:\n  relabelings: [&r {}, *r]\n", 0).unwrap();
        let doc = docs[0].root().with_defaults(&ROOT);
        let items = doc.root().get("spec").unwrap().get("relabelings").unwrap();
        let items = items.items().unwrap();
        assert!(matches!(doc.node(items[1].id).kind, Kind::Alias { .. }));
    }

    static NESTED_3: SchemaNode = SchemaNode::list(&RELABELS);
    static NESTED_2: SchemaNode = SchemaNode::list(&NESTED_3);
    static NESTED: SchemaNode = SchemaNode::object(&[("nested", &NESTED_2)]);

    #[test]
    fn shared_subtrees_are_defaulted_once_and_recursion_ends() {
        // Without remembering shared subtrees this would default 1000^3 relabelings.
        let many = |alias: &str| vec![alias; 1000].join(", ");
        let text = format!(
            "a: &a {{}}\nb: &b [{}]\nc: &c [{}]\nnested: [{}]\n",
            many("*a"),
            many("*b"),
            many("*c")
        );
        let docs = Document::parse_stream(&text, 0).unwrap();
        let doc = docs[0].root().with_defaults(&NESTED);
        assert!(doc.nodes.len() < 2 * docs[0].nodes.len() + 20);
        let value = doc.root().to_json();
        // The decoder's alias budget still refuses the expansion.
        assert!(value.is_err());
        let docs = Document::parse_stream("spec: &s {relabelings: [*s]}\n", 0).unwrap();
        let _ = docs[0].root().with_defaults(&ROOT);
    }
}
