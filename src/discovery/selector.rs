//! Kubernetes label and field selectors in their string form (`app=web,tier!=db`,
//! `env in (a,b)`, `metadata.name=x`), as Prometheus passes them to the API server.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Endpoints, Node, Pod, Service};
use k8s_openapi::api::discovery::v1::EndpointSlice;
use k8s_openapi::api::networking::v1::Ingress;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::Role;

/// Why a selector string cannot be parsed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SelectorError {
    #[error("label selector {selector:?}: {reason}")]
    Label { selector: String, reason: String },
    #[error("field selector {selector:?}: cannot understand {term:?}")]
    FieldTerm { selector: String, term: String },
    #[error("field selector {selector:?}: invalid escape in {value:?}")]
    FieldEscape { selector: String, value: String },
    #[error("field selector {selector:?}: field {field:?} is not supported for role {role}")]
    UnsupportedField {
        selector: String,
        field: String,
        role: Role,
    },
}

/// An object a selector can be applied to.
pub(super) trait Selectable {
    fn meta(&self) -> &ObjectMeta;
    /// The value of a selectable field (other than `metadata.*`), `None` when the kind does not
    /// support selecting on it.
    fn field(&self, path: &str) -> Option<String>;
}

fn opt(value: &Option<String>) -> Option<String> {
    Some(value.clone().unwrap_or_default())
}

impl Selectable for Pod {
    fn meta(&self) -> &ObjectMeta {
        &self.metadata
    }
    fn field(&self, path: &str) -> Option<String> {
        let spec = self.spec.clone().unwrap_or_default();
        let status = self.status.clone().unwrap_or_default();
        match path {
            "spec.nodeName" => opt(&spec.node_name),
            "spec.restartPolicy" => opt(&spec.restart_policy),
            "spec.schedulerName" => opt(&spec.scheduler_name),
            "spec.serviceAccountName" => opt(&spec.service_account_name),
            "spec.hostNetwork" => Some(spec.host_network.unwrap_or(false).to_string()),
            "status.phase" => opt(&status.phase),
            "status.podIP" => opt(&status.pod_ip),
            "status.nominatedNodeName" => opt(&status.nominated_node_name),
            _ => None,
        }
    }
}

impl Selectable for Node {
    fn meta(&self) -> &ObjectMeta {
        &self.metadata
    }
    fn field(&self, path: &str) -> Option<String> {
        match path {
            "spec.unschedulable" => Some(
                self.spec
                    .as_ref()
                    .and_then(|s| s.unschedulable)
                    .unwrap_or(false)
                    .to_string(),
            ),
            _ => None,
        }
    }
}

impl Selectable for Service {
    fn meta(&self) -> &ObjectMeta {
        &self.metadata
    }
    fn field(&self, path: &str) -> Option<String> {
        let spec = self.spec.as_ref();
        match path {
            "spec.clusterIP" => Some(spec.and_then(|s| s.cluster_ip.clone()).unwrap_or_default()),
            "spec.type" => Some(spec.and_then(|s| s.type_.clone()).unwrap_or_default()),
            _ => None,
        }
    }
}

macro_rules! metadata_only {
    ($($kind:ty),*) => {$(
        impl Selectable for $kind {
            fn meta(&self) -> &ObjectMeta {
                &self.metadata
            }
            fn field(&self, _path: &str) -> Option<String> {
                None
            }
        }
    )*};
}
metadata_only!(Endpoints, EndpointSlice, Ingress);

/// Fields beyond `metadata.name` (and `metadata.namespace` for namespaced kinds) that the API
/// server accepts in field selectors for the kind a role lists.
fn kind_fields(role: Role) -> &'static [&'static str] {
    match role {
        Role::Pod => &[
            "spec.nodeName",
            "spec.restartPolicy",
            "spec.schedulerName",
            "spec.serviceAccountName",
            "spec.hostNetwork",
            "status.phase",
            "status.podIP",
            "status.nominatedNodeName",
        ],
        Role::Node => &["spec.unschedulable"],
        Role::Service => &["spec.clusterIP", "spec.type"],
        Role::Endpoints | Role::EndpointSlice | Role::Ingress => &[],
    }
}

fn supports_field(role: Role, field: &str) -> bool {
    field == "metadata.name"
        || (field == "metadata.namespace" && role != Role::Node)
        || kind_fields(role).contains(&field)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FieldOp {
    Equals,
    NotEquals,
}

/// A parsed field selector: every term must hold.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct FieldSelector {
    terms: Vec<(String, FieldOp, String)>,
}

impl FieldSelector {
    /// Parses `raw` for objects of `role`; an empty string selects everything.
    pub(super) fn parse(raw: &str, role: Role) -> Result<Self, SelectorError> {
        let mut terms = Vec::new();
        for part in split_unescaped(raw, ',') {
            if part.is_empty() {
                continue;
            }
            let (field, op, value) =
                split_field_term(part).ok_or_else(|| SelectorError::FieldTerm {
                    selector: raw.to_owned(),
                    term: part.to_owned(),
                })?;
            let value = unescape_field_value(value).ok_or_else(|| SelectorError::FieldEscape {
                selector: raw.to_owned(),
                value: value.to_owned(),
            })?;
            if !supports_field(role, field) {
                return Err(SelectorError::UnsupportedField {
                    selector: raw.to_owned(),
                    field: field.to_owned(),
                    role,
                });
            }
            terms.push((field.to_owned(), op, value));
        }
        Ok(FieldSelector { terms })
    }

    pub(super) fn matches<T: Selectable>(&self, object: &T) -> bool {
        self.terms.iter().all(|(field, op, value)| {
            let actual = match field.as_str() {
                "metadata.name" => object.meta().name.clone().unwrap_or_default(),
                "metadata.namespace" => object.meta().namespace.clone().unwrap_or_default(),
                other => object.field(other).unwrap_or_default(),
            };
            (actual == *value) == (*op == FieldOp::Equals)
        })
    }
}

/// Splits on `separator` where it is not escaped by a backslash.
fn split_unescaped(raw: &str, separator: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut escaped = false;
    for (i, c) in raw.char_indices() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == separator {
            parts.push(&raw[start..i]);
            start = i + c.len_utf8();
        }
    }
    parts.push(&raw[start..]);
    parts
}

/// Splits `field<op>value` at the first unescaped operator (`!=`, `==` or `=`).
fn split_field_term(term: &str) -> Option<(&str, FieldOp, &str)> {
    let mut escaped = false;
    for (i, c) in term.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        if c == '\\' {
            escaped = true;
            continue;
        }
        let rest = &term[i..];
        for (op, kind) in [
            ("!=", FieldOp::NotEquals),
            ("==", FieldOp::Equals),
            ("=", FieldOp::Equals),
        ] {
            if let Some(value) = rest.strip_prefix(op) {
                return Some((&term[..i], kind, value));
            }
        }
    }
    None
}

/// Resolves `\\`, `\,`, `\=` and `\!` escapes; any other escape is invalid.
fn unescape_field_value(value: &str) -> Option<String> {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some(next @ ('\\' | ',' | '=' | '!')) => out.push(next),
            _ => return None,
        }
    }
    Some(out)
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Requirement {
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Exists(String),
    DoesNotExist(String),
    GreaterThan(String, i64),
    LessThan(String, i64),
}

impl Requirement {
    fn matches(&self, labels: Option<&BTreeMap<String, String>>) -> bool {
        let get = |key: &str| labels.and_then(|l| l.get(key));
        match self {
            Requirement::In(key, values) => get(key).is_some_and(|v| values.contains(v)),
            Requirement::NotIn(key, values) => get(key).is_none_or(|v| !values.contains(v)),
            Requirement::Exists(key) => get(key).is_some(),
            Requirement::DoesNotExist(key) => get(key).is_none(),
            Requirement::GreaterThan(key, bound) => get(key)
                .and_then(|v| v.parse::<i64>().ok())
                .is_some_and(|v| v > *bound),
            Requirement::LessThan(key, bound) => get(key)
                .and_then(|v| v.parse::<i64>().ok())
                .is_some_and(|v| v < *bound),
        }
    }
}

/// A parsed label selector: every requirement must hold.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct LabelSelector {
    requirements: Vec<Requirement>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Token {
    Word(String),
    Symbol(&'static str),
}

fn tokenize(raw: &str) -> Vec<Token> {
    const SYMBOLS: [&str; 9] = ["==", "!=", "=", "!", "(", ")", ",", ">", "<"];
    let mut tokens = Vec::new();
    let mut rest = raw;
    'outer: while let Some(c) = rest.chars().next() {
        if c.is_whitespace() {
            rest = &rest[c.len_utf8()..];
            continue;
        }
        for symbol in SYMBOLS {
            if let Some(after) = rest.strip_prefix(symbol) {
                tokens.push(Token::Symbol(symbol));
                rest = after;
                continue 'outer;
            }
        }
        let end = rest
            .find(|c: char| c.is_whitespace() || "=!(),><".contains(c))
            .unwrap_or(rest.len());
        tokens.push(Token::Word(rest[..end].to_owned()));
        rest = &rest[end..];
    }
    tokens
}

impl LabelSelector {
    /// Parses `raw`; an empty string selects everything.
    pub(super) fn parse(raw: &str) -> Result<Self, SelectorError> {
        let fail = |reason: String| SelectorError::Label {
            selector: raw.to_owned(),
            reason,
        };
        let tokens = tokenize(raw);
        let mut requirements = Vec::new();
        let mut pos = 0;
        while pos < tokens.len() {
            let (requirement, next) = parse_requirement(&tokens, pos).map_err(fail)?;
            requirements.push(requirement);
            pos = next;
            match tokens.get(pos) {
                None => {}
                Some(Token::Symbol(",")) if pos + 1 < tokens.len() => pos += 1,
                Some(other) => return Err(fail(format!("unexpected {other:?} after requirement"))),
            }
        }
        Ok(LabelSelector { requirements })
    }

    pub(super) fn matches(&self, labels: Option<&BTreeMap<String, String>>) -> bool {
        self.requirements.iter().all(|r| r.matches(labels))
    }
}

fn word(tokens: &[Token], pos: usize) -> Option<&str> {
    match tokens.get(pos) {
        Some(Token::Word(w)) => Some(w),
        _ => None,
    }
}

fn parse_requirement(tokens: &[Token], pos: usize) -> Result<(Requirement, usize), String> {
    if tokens.get(pos) == Some(&Token::Symbol("!")) {
        let key = word(tokens, pos + 1).ok_or("expected a key after '!'")?;
        validate_key(key)?;
        return Ok((Requirement::DoesNotExist(key.to_owned()), pos + 2));
    }
    let key = word(tokens, pos).ok_or("expected a key")?;
    validate_key(key)?;
    let key = key.to_owned();
    let next = pos + 1;
    match tokens.get(next) {
        None | Some(Token::Symbol(",")) => Ok((Requirement::Exists(key), next)),
        Some(Token::Symbol("=" | "==")) => {
            let (value, after) = single_value(tokens, next + 1)?;
            Ok((Requirement::In(key, vec![value]), after))
        }
        Some(Token::Symbol("!=")) => {
            let (value, after) = single_value(tokens, next + 1)?;
            Ok((Requirement::NotIn(key, vec![value]), after))
        }
        Some(Token::Symbol(op @ (">" | "<"))) => {
            let bound = word(tokens, next + 1)
                .and_then(|w| w.parse::<i64>().ok())
                .ok_or_else(|| format!("expected an integer after '{op}'"))?;
            let requirement = if *op == ">" {
                Requirement::GreaterThan(key, bound)
            } else {
                Requirement::LessThan(key, bound)
            };
            Ok((requirement, next + 2))
        }
        Some(Token::Word(op)) if op == "in" || op == "notin" => {
            let (values, after) = value_set(tokens, next + 1)?;
            let requirement = if op == "in" {
                Requirement::In(key, values)
            } else {
                Requirement::NotIn(key, values)
            };
            Ok((requirement, after))
        }
        Some(other) => Err(format!("unexpected {other:?} after key {key:?}")),
    }
}

/// The value after `=`, `==` or `!=`; absent (end or `,`) means the empty value.
fn single_value(tokens: &[Token], pos: usize) -> Result<(String, usize), String> {
    match tokens.get(pos) {
        Some(Token::Word(value)) => {
            validate_value(value)?;
            Ok((value.clone(), pos + 1))
        }
        None | Some(Token::Symbol(",")) => Ok((String::new(), pos)),
        Some(other) => Err(format!("unexpected {other:?} where a value belongs")),
    }
}

/// `(v1, v2, ...)` after `in` or `notin`; empty members are empty values.
fn value_set(tokens: &[Token], pos: usize) -> Result<(Vec<String>, usize), String> {
    if tokens.get(pos) != Some(&Token::Symbol("(")) {
        return Err("expected '(' after in/notin".into());
    }
    let mut values = Vec::new();
    let mut pos = pos + 1;
    loop {
        let value = match tokens.get(pos) {
            Some(Token::Word(value)) => {
                validate_value(value)?;
                pos += 1;
                value.clone()
            }
            _ => String::new(),
        };
        values.push(value);
        match tokens.get(pos) {
            Some(Token::Symbol(",")) => pos += 1,
            Some(Token::Symbol(")")) => return Ok((values, pos + 1)),
            _ => return Err("unterminated value set".into()),
        }
    }
}

fn is_label_name_part(s: &str) -> bool {
    let bytes = s.as_bytes();
    !s.is_empty()
        && s.len() <= 63
        && bytes.first().is_some_and(u8::is_ascii_alphanumeric)
        && bytes.last().is_some_and(u8::is_ascii_alphanumeric)
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

fn is_dns_subdomain(s: &str) -> bool {
    s.len() <= 253
        && s.split('.').all(|part| {
            let bytes = part.as_bytes();
            !part.is_empty()
                && bytes
                    .first()
                    .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
                && bytes
                    .last()
                    .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
                && bytes
                    .iter()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
        })
}

fn validate_key(key: &str) -> Result<(), String> {
    let valid = match key.split_once('/') {
        Some((prefix, name)) => is_dns_subdomain(prefix) && is_label_name_part(name),
        None => is_label_name_part(key),
    };
    if valid {
        Ok(())
    } else {
        Err(format!("invalid label key {key:?}"))
    }
}

fn validate_value(value: &str) -> Result<(), String> {
    if value.is_empty() || is_label_name_part(value) {
        Ok(())
    } else {
        Err(format!("invalid label value {value:?}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn selects(selector: &str, pairs: &[(&str, &str)]) -> bool {
        LabelSelector::parse(selector)
            .unwrap()
            .matches(Some(&labels(pairs)))
    }

    #[test]
    fn label_selector_operators() {
        assert!(selects("", &[]));
        assert!(selects("a=b", &[("a", "b")]));
        assert!(selects("a==b", &[("a", "b")]));
        assert!(!selects("a=b", &[("a", "c")]));
        assert!(selects("a!=b", &[]));
        assert!(selects("a in (b, c)", &[("a", "c")]));
        assert!(!selects("a notin (b,c)", &[("a", "c")]));
        assert!(selects("a notin (b,c)", &[]));
        assert!(selects("a", &[("a", "")]));
        assert!(selects("!a", &[("b", "x")]));
        assert!(selects("a>2,b<5", &[("a", "3"), ("b", "4")]));
        assert!(!selects("a>2", &[("a", "x")]));
        assert!(selects(
            "node-type=worker,app.kubernetes.io/name",
            &[("node-type", "worker"), ("app.kubernetes.io/name", "x")]
        ));
        assert!(selects("a=", &[("a", "")]));
    }

    #[test]
    fn label_selector_errors() {
        for bad in ["a=b,", "a in b", "a in (b", "=b", "a b", "a>x", "-a=b"] {
            assert!(LabelSelector::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn field_selector_terms() {
        let pod = Pod {
            metadata: ObjectMeta {
                name: Some("web-0".into()),
                namespace: Some("default".into()),
                ..Default::default()
            },
            status: Some(k8s_openapi::api::core::v1::PodStatus {
                phase: Some("Running".into()),
                ..Default::default()
            }),
            ..Default::default()
        };
        let select = |raw: &str| FieldSelector::parse(raw, Role::Pod).unwrap().matches(&pod);
        assert!(select(""));
        assert!(select("metadata.name=web-0,status.phase==Running"));
        assert!(!select("status.phase!=Running"));
        assert!(select("spec.nodeName="));
    }

    #[test]
    fn field_selector_errors() {
        assert!(matches!(
            FieldSelector::parse("metadata.name", Role::Pod),
            Err(SelectorError::FieldTerm { .. })
        ));
        assert!(matches!(
            FieldSelector::parse("status.phase=x", Role::Node),
            Err(SelectorError::UnsupportedField { .. })
        ));
        assert!(matches!(
            FieldSelector::parse("metadata.name=a\\b", Role::Pod),
            Err(SelectorError::FieldEscape { .. })
        ));
        let escaped = FieldSelector::parse("metadata.name=a\\,b", Role::Service).unwrap();
        assert_eq!(escaped.terms[0].2, "a,b");
    }
}
