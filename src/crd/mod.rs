//! The value constraints of prometheus-operator v0.93.0's CRD schemas — `pattern`, `enum`,
//! `minimum`/`maximum`, `minLength`/`maxLength`, `minItems`/`maxItems`, `minProperties` — as
//! `scripts/crd-constraints.py` extracts them into `constraints.txt`, checked on an object as
//! written, as the API server's schema validation checks it. The CEL rules are in
//! `table`, by hand.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde_json::Value;

pub use table::Breach;

mod table;

/// The generated constraints (see the script for the format).
const CONSTRAINTS: &str = include_str!("constraints.txt");

/// One constraint of a field.
enum Rule {
    /// Index into [`Schemas::patterns`].
    Pattern(usize),
    Enum(Vec<Value>),
    Minimum(f64),
    Maximum(f64),
    MinLength(u64),
    MaxLength(u64),
    MinItems(u64),
    MaxItems(u64),
    MinProperties(u64),
}

/// A field of a schema: its constraints and its fields (`[]`: an array's items, `{}`: a map's
/// values).
#[derive(Default)]
struct Node {
    rules: Vec<Rule>,
    children: HashMap<String, Node>,
}

struct Schemas {
    /// By `(apiVersion, kind)`.
    types: HashMap<(String, String), Node>,
    /// Each distinct pattern, compiled as Go's `regexp` reads it (`None` if it does not
    /// compile here: then it is not checked).
    patterns: Vec<(String, Option<regex::Regex>)>,
}

fn schemas() -> &'static Schemas {
    static SCHEMAS: OnceLock<Schemas> = OnceLock::new();
    SCHEMAS.get_or_init(|| parse(CONSTRAINTS))
}

fn parse(text: &str) -> Schemas {
    let mut schemas = Schemas {
        types: HashMap::new(),
        patterns: Vec::new(),
    };
    let mut current: Option<(String, String)> = None;
    for line in text.lines() {
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        if let Some(header) = line.strip_prefix('=') {
            let mut words = header.split(' ');
            current = match (words.next(), words.next()) {
                (Some(api_version), Some(kind)) => Some((api_version.to_owned(), kind.to_owned())),
                _ => None,
            };
            continue;
        }
        let (Some(key), Some((path, rule, value))) = (current.clone(), split_line(line)) else {
            continue;
        };
        let Some(rule) = rule_of(rule, value, &mut schemas.patterns) else {
            continue;
        };
        let mut node = schemas.types.entry(key).or_default();
        for segment in segments(path) {
            node = node.children.entry(segment.to_owned()).or_default();
        }
        node.rules.push(rule);
    }
    schemas
}

fn split_line(line: &str) -> Option<(&str, &str, Value)> {
    let mut fields = line.splitn(3, '\t');
    let (path, rule, value) = (fields.next()?, fields.next()?, fields.next()?);
    Some((path, rule, serde_json::from_str(value).ok()?))
}

/// `spec.endpoints[].proxyUrl` as `spec`, `endpoints`, `[]`, `proxyUrl`.
fn segments(path: &str) -> impl Iterator<Item = &str> {
    path.split('.').filter(|s| !s.is_empty()).flat_map(|part| {
        let name_end = part.find(['[', '{']).unwrap_or(part.len());
        let (name, suffixes) = part.split_at(name_end);
        std::iter::once(name)
            .filter(|n| !n.is_empty())
            .chain((0..suffixes.len() / 2).map(move |i| &suffixes[2 * i..2 * i + 2]))
    })
}

fn rule_of(
    name: &str,
    value: Value,
    patterns: &mut Vec<(String, Option<regex::Regex>)>,
) -> Option<Rule> {
    let count = || value.as_u64();
    Some(match name {
        "pattern" => {
            let pattern = value.as_str()?;
            let index = match patterns.iter().position(|(p, _)| p == pattern) {
                Some(index) => index,
                None => {
                    let translated = crate::relabel::goregex::translate(pattern);
                    patterns.push((pattern.to_owned(), regex::Regex::new(&translated).ok()));
                    patterns.len() - 1
                }
            };
            Rule::Pattern(index)
        }
        "enum" => Rule::Enum(value.as_array()?.clone()),
        "minimum" => Rule::Minimum(value.as_f64()?),
        "maximum" => Rule::Maximum(value.as_f64()?),
        "minLength" => Rule::MinLength(count()?),
        "maxLength" => Rule::MaxLength(count()?),
        "minItems" => Rule::MinItems(count()?),
        "maxItems" => Rule::MaxItems(count()?),
        "minProperties" => Rule::MinProperties(count()?),
        _ => return None,
    })
}

/// What the API server would refuse in `object` (a `kind` in `api_version`, as written): the
/// rules of `table`, whose words are the clearer where both speak of a field, then
/// every other value constraint of its CRD.
pub fn breaches(api_version: &str, kind: &str, object: &Value, prefix: &str) -> Vec<Breach> {
    let mut breaches = table::check(kind, object, prefix);
    for breach in check(api_version, kind, object, prefix) {
        if !breaches.iter().any(|b| b.field == breach.field) {
            breaches.push(breach);
        }
    }
    breaches.extend(unconvertible(api_version, kind, object, prefix));
    breaches
}

/// What the conversion of `object` to the storage version fails on: v0.93.0's webhook reads a
/// v1beta1 email config's unset `threading` through a nil pointer
/// (`convertEmailThreadingConfigTo`) and answers with a failure, so the object is not stored.
fn unconvertible(api_version: &str, kind: &str, object: &Value, prefix: &str) -> Vec<Breach> {
    if (api_version, kind) != ("monitoring.coreos.com/v1beta1", "AlertmanagerConfig") {
        return Vec::new();
    }
    let mut out = Vec::new();
    let receivers = object.pointer("/spec/receivers").and_then(Value::as_array);
    for (i, receiver) in receivers.into_iter().flatten().enumerate() {
        let emails = receiver.get("emailConfigs").and_then(Value::as_array);
        for (j, email) in emails.into_iter().flatten().enumerate() {
            if email.get("threading").is_none_or(Value::is_null) {
                out.push(Breach {
                    field: table::join(prefix, &format!("spec.receivers[{i}].emailConfigs[{j}]")),
                    message:
                        "no threading: prometheus-operator v0.93.0's conversion webhook fails \
                              on a v1beta1 email config without it (\"internal error occurred \
                              during conversion\"); set threading (Alertmanager >= 0.30) or write \
                              the object as monitoring.coreos.com/v1alpha1"
                            .to_owned(),
                });
            }
        }
    }
    out
}

/// Whether the CRD of `kind` in `api_version` is known here.
pub fn knows(api_version: &str, kind: &str) -> bool {
    schemas()
        .types
        .contains_key(&(api_version.to_owned(), kind.to_owned()))
}

/// The CRD constraints `object` (a `kind` in `api_version`, as written) breaks; `prefix` is the
/// object's path in its document (`items[3]` in a list), empty otherwise.
pub fn check(api_version: &str, kind: &str, object: &Value, prefix: &str) -> Vec<Breach> {
    let schemas = schemas();
    let mut out = Vec::new();
    if let Some(root) = schemas
        .types
        .get(&(api_version.to_owned(), kind.to_owned()))
    {
        let mut walker = Walker {
            schemas,
            prefix,
            path: Vec::new(),
            out: &mut out,
        };
        walker.walk(object, root);
    }
    out
}

/// One step of the path from the object to a field.
enum Step<'v> {
    Field(&'v str),
    Item(usize),
    Entry(&'v str),
}

/// Walks an object beside its schema; the path is written out only for a breach.
struct Walker<'s, 'v, 'o> {
    schemas: &'s Schemas,
    prefix: &'o str,
    path: Vec<Step<'v>>,
    out: &'o mut Vec<Breach>,
}

impl<'v> Walker<'_, 'v, '_> {
    fn walk(&mut self, value: &'v Value, node: &Node) {
        // The API server drops a null before validating.
        if value.is_null() {
            return;
        }
        for rule in &node.rules {
            if let Some(message) = broken(rule, value, self.schemas) {
                let field = self.field();
                self.out.push(Breach { field, message });
            }
        }
        match value {
            Value::Object(map) => {
                for (key, child_value) in map {
                    let (child, step) = match node.children.get(key.as_str()) {
                        Some(child) => (child, Step::Field(key)),
                        None => match node.children.get("{}") {
                            Some(child) => (child, Step::Entry(key)),
                            None => continue,
                        },
                    };
                    self.path.push(step);
                    self.walk(child_value, child);
                    self.path.pop();
                }
            }
            Value::Array(items) => {
                if let Some(child) = node.children.get("[]") {
                    for (i, item) in items.iter().enumerate() {
                        self.path.push(Step::Item(i));
                        self.walk(item, child);
                        self.path.pop();
                    }
                }
            }
            _ => {}
        }
    }

    /// The path walked so far, as validate writes field paths.
    fn field(&self) -> String {
        let mut field = self.prefix.to_owned();
        for step in &self.path {
            match step {
                Step::Field(key) if field.is_empty() => field.push_str(key),
                Step::Field(key) => {
                    field.push('.');
                    field.push_str(key);
                }
                Step::Item(i) => field.push_str(&format!("[{i}]")),
                Step::Entry(key) => field.push_str(&format!("[{key:?}]")),
            }
        }
        field
    }
}

/// What is wrong with `value` under `rule`, worded as the API server words it; `None` when it
/// holds, or when the value is of another type (the typed decoding says that).
fn broken(rule: &Rule, value: &Value, schemas: &Schemas) -> Option<String> {
    let number = value.as_f64();
    let length = value.as_str().map(|s| s.chars().count() as u64);
    let items = value.as_array().map(|a| a.len() as u64);
    match rule {
        // The value is not quoted: a URL that breaks its pattern may carry a password.
        Rule::Pattern(index) => {
            let (pattern, regex) = &schemas.patterns[*index];
            let text = value.as_str()?;
            let regex = regex.as_ref()?;
            (!regex.is_match(text)).then(|| format!("should match '{pattern}'"))
        }
        Rule::Enum(allowed) => (!allowed.contains(value)).then(|| {
            let shown: Vec<String> = allowed
                .iter()
                .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                .collect();
            format!(
                "unsupported value {value}: must be one of {}",
                shown.join(", ")
            )
        }),
        Rule::Minimum(min) => number
            .filter(|n| n < min)
            .map(|_| format!("must be greater than or equal to {min}")),
        Rule::Maximum(max) => number
            .filter(|n| n > max)
            .map(|_| format!("must be less than or equal to {max}")),
        Rule::MinLength(min) => length
            .filter(|n| n < min)
            .map(|_| format!("should be at least {min} chars long")),
        Rule::MaxLength(max) => length
            .filter(|n| n > max)
            .map(|_| format!("may not be longer than {max} chars")),
        Rule::MinItems(min) => items
            .filter(|n| n < min)
            .map(|_| format!("should have at least {min} items")),
        Rule::MaxItems(max) => items
            .filter(|n| n > max)
            .map(|_| format!("must have at most {max} items")),
        Rule::MinProperties(min) => value
            .as_object()
            .map(|m| m.len() as u64)
            .filter(|n| n < min)
            .map(|_| format!("should have at least {min} properties")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn breaches(api_version: &str, kind: &str, yaml: &str) -> Vec<(String, String)> {
        let object: Value = crate::yaml::from_str(yaml).unwrap();
        check(api_version, kind, &object, "")
            .into_iter()
            .map(|b| (b.field, b.message))
            .collect()
    }

    #[test]
    fn v1beta1_email_configs_need_threading_to_be_stored() {
        let amc = |api_version: &str| -> Value {
            crate::yaml::from_str(&format!(
                "apiVersion: {api_version}\nkind: AlertmanagerConfig\nmetadata: {{name: a}}\n\
                 spec: {{receivers: [{{name: r, emailConfigs: [{{to: a@b}}, {{to: c@d, \
                 threading: {{threadByDate: None}}}}]}}]}}"
            ))
            .unwrap()
        };
        let beta = "monitoring.coreos.com/v1beta1";
        let fields: Vec<String> = unconvertible(beta, "AlertmanagerConfig", &amc(beta), "")
            .into_iter()
            .map(|b| b.field)
            .collect();
        assert_eq!(fields, ["spec.receivers[0].emailConfigs[0]"]);
        let alpha = "monitoring.coreos.com/v1alpha1";
        assert!(unconvertible(alpha, "AlertmanagerConfig", &amc(alpha), "").is_empty());
    }

    #[test]
    fn paths_split_into_fields_items_and_values() {
        let split: Vec<&str> = segments("spec.containers[].resources.limits{}").collect();
        assert_eq!(
            split,
            ["spec", "containers", "[]", "resources", "limits", "{}"]
        );
        let nested: Vec<&str> = segments("spec.a[][].b").collect();
        assert_eq!(nested, ["spec", "a", "[]", "[]", "b"]);
    }

    #[test]
    fn every_type_of_the_operator_and_every_pattern_is_read() {
        let schemas = schemas();
        assert_eq!(schemas.types.len(), 11);
        let unreadable: Vec<&str> = (schemas.patterns.iter())
            .filter(|(_, regex)| regex.is_none())
            .map(|(p, _)| p.as_str())
            .collect();
        assert!(unreadable.is_empty(), "{unreadable:?}");
    }

    #[test]
    fn the_constraints_users_break_most_are_checked() {
        let found = breaches(
            "monitoring.coreos.com/v1",
            "ServiceMonitor",
            "spec:\n  sampleLimit: -1\n  endpoints:\n  - proxyUrl: proxy.corp:3128\n    \
             scheme: http\n",
        );
        assert_eq!(
            found,
            [
                (
                    "spec.sampleLimit".to_owned(),
                    "must be greater than or equal to 0".to_owned()
                ),
                (
                    "spec.endpoints[0].proxyUrl".to_owned(),
                    "should match '^(http|https|socks5)://.+$'".to_owned()
                ),
            ]
        );
        let agent = breaches(
            "monitoring.coreos.com/v1alpha1",
            "PrometheusAgent",
            "spec: {mode: Daemonset}\n",
        );
        assert_eq!(
            agent,
            [(
                "spec.mode".to_owned(),
                "unsupported value \"Daemonset\": must be one of StatefulSet, DaemonSet".to_owned()
            )]
        );
        // v1beta1 AlertmanagerConfigs have their own schema; nulls and other types are left
        // to the decoding.
        let beta = breaches(
            "monitoring.coreos.com/v1beta1",
            "AlertmanagerConfig",
            "spec:\n  route: {groupWait: 30 seconds, matchers: [{name: a, matchType: '=='}]}\n  \
             receivers: [{name: r, slackConfigs: null}]\n",
        );
        let fields: Vec<&str> = beta.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            fields,
            ["spec.route.groupWait", "spec.route.matchers[0].matchType"]
        );
        assert!(
            breaches(
                "monitoring.coreos.com/v1",
                "Prometheus",
                "spec: {sampleLimit: '-1'}\n"
            )
            .is_empty()
        );
    }
}
