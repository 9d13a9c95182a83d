//! Reading Alertmanager's configuration out of the ordered YAML tree with yaml.v2's strict
//! decoding rules: unknown fields refused, scalars read as strings where strings are wanted,
//! `null` leaving a field unset.

use crate::yaml::{Map, Yaml};

/// The configuration does not have the shape Alertmanager decodes.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ShapeError {
    /// A value of the wrong kind (yaml.v2's "cannot unmarshal").
    #[error("{path}: cannot unmarshal {found} into {expected}")]
    Type {
        /// Where, e.g. `route.routes[0].group_by`.
        path: String,
        /// What the YAML holds.
        found: &'static str,
        /// What Alertmanager expects there.
        expected: &'static str,
    },
    /// A key Alertmanager does not know (its loader decodes strictly).
    #[error("{path}: field {field} not found")]
    UnknownField {
        /// The mapping holding it.
        path: String,
        /// The key.
        field: String,
    },
}

/// The node's tag as Alertmanager's loader names it in type errors (`null` untagged).
fn kind(value: &Yaml) -> &'static str {
    match value {
        Yaml::Null => "null",
        other => crate::alertmanager::schema::tag(other),
    }
}

fn type_error(value: &Yaml, path: &str, expected: &'static str) -> ShapeError {
    ShapeError::Type {
        path: path.to_owned(),
        found: kind(value),
        expected,
    }
}

/// A mapping, `None` for `null`.
pub(crate) fn map<'a>(value: &'a Yaml, path: &str) -> Result<Option<&'a Map>, ShapeError> {
    match value {
        Yaml::Null => Ok(None),
        Yaml::Map(m) => Ok(Some(m)),
        other => Err(type_error(other, path, "a mapping")),
    }
}

/// Refuses keys outside `known`.
pub(crate) fn check_fields(map: &Map, path: &str, known: &[&str]) -> Result<(), ShapeError> {
    match map.iter().find(|(k, _)| !known.contains(k)) {
        Some((field, _)) => Err(ShapeError::UnknownField {
            path: path.to_owned(),
            field: field.to_owned(),
        }),
        None => Ok(()),
    }
}

/// A scalar read as a string (yaml.v2 turns `2` or `true` into `"2"` / `"true"` for a string
/// field); `null` is the empty string.
pub(crate) fn string(value: &Yaml, path: &str) -> Result<String, ShapeError> {
    match value {
        Yaml::Null => Ok(String::new()),
        Yaml::Str(s) => Ok(s.to_string()),
        Yaml::Int(i) => Ok(i.to_string()),
        Yaml::Float(f) => Ok(f.to_string()),
        Yaml::Bool(b) => Ok(b.to_string()),
        other => Err(type_error(other, path, "string")),
    }
}

/// A boolean; `null` is false.
pub(crate) fn boolean(value: &Yaml, path: &str) -> Result<bool, ShapeError> {
    match value {
        Yaml::Null => Ok(false),
        Yaml::Bool(b) => Ok(*b),
        other => Err(type_error(other, path, "bool")),
    }
}

/// A sequence, `None` for `null`.
pub(crate) fn seq<'a>(value: &'a Yaml, path: &str) -> Result<Option<&'a [Yaml]>, ShapeError> {
    match value {
        Yaml::Null => Ok(None),
        Yaml::Seq(items) => Ok(Some(items)),
        other => Err(type_error(other, path, "a list")),
    }
}

/// A list of strings, `None` for `null` (an explicit `[]` is `Some(empty)`).
pub(crate) fn string_list(value: &Yaml, path: &str) -> Result<Option<Vec<String>>, ShapeError> {
    let Some(items) = seq(value, path)? else {
        return Ok(None);
    };
    items
        .iter()
        .enumerate()
        .map(|(i, item)| string(item, &format!("{path}[{i}]")))
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

/// A mapping of strings to values, in document order.
pub(crate) fn entries<'a>(
    value: &'a Yaml,
    path: &str,
) -> Result<Vec<(&'a str, &'a Yaml)>, ShapeError> {
    Ok(map(value, path)?
        .map(|m| m.iter().collect())
        .unwrap_or_default())
}

/// A mapping of strings to strings, in document order, a repeated key keeping its last value.
pub(crate) fn string_map(value: &Yaml, path: &str) -> Result<Vec<(String, String)>, ShapeError> {
    let mut out: Vec<(String, String)> = Vec::new();
    for (key, v) in entries(value, path)? {
        let v = string(v, &format!("{path}.{key}"))?;
        match out.iter_mut().find(|(k, _)| k == key) {
            Some(slot) => slot.1 = v,
            None => out.push((key.to_owned(), v)),
        }
    }
    Ok(out)
}
