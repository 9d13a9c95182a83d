//! Known field names of a typed object at a field path, read from the types' own `Deserialize`
//! implementations, and the did-you-mean suggestion for an unknown field.
//!
//! A tracing deserializer walks one path into a type: at every struct it offers the next path
//! segment as the only key, and at the end it records the `fields` list the struct passes to
//! `deserialize_struct`. No schema data is kept beside the types.

use std::cell::RefCell;
use std::fmt;

use serde::Deserialize;
use serde::de::value::StringDeserializer;
use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor};

/// One step of a field path: a mapping key or a list index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Segment {
    /// A mapping key.
    Key(String),
    /// A list index.
    Index(usize),
}

/// Splits `spec.endpoints[0].port` into segments.
pub fn segments(path: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (key, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !key.is_empty() {
            out.push(Segment::Key(key.to_owned()));
        }
        while let Some(inner) = rest.strip_prefix('[') {
            let Some(end) = inner.find(']') else { break };
            if let Ok(index) = inner[..end].parse() {
                out.push(Segment::Index(index));
            }
            rest = &inner[end + 1..];
        }
    }
    out
}

/// The field names `T` knows at `path` (the struct the path leads to), if the path leads to a
/// struct.
pub fn known_fields<'de, T: Deserialize<'de>>(path: &[Segment]) -> Option<&'static [&'static str]> {
    let found = RefCell::new(None);
    let _ = T::deserialize(Tracer {
        path,
        found: &found,
    });
    found.into_inner()
}

/// The known name closest to `unknown`, when one is close enough to be a likely typo or a
/// different spelling (`source_labels` for `sourceLabels`).
pub fn did_you_mean(unknown: &str, known: &[&'static str]) -> Option<&'static str> {
    let squash = |s: &str| -> String {
        s.chars()
            .filter(|c| *c != '_' && *c != '-')
            .flat_map(char::to_lowercase)
            .collect()
    };
    let wanted = squash(unknown);
    if let Some(same) = known.iter().find(|k| squash(k) == wanted) {
        return Some(same);
    }
    let limit = (wanted.chars().count() / 3).clamp(1, 3);
    known
        .iter()
        .map(|k| (edit_distance(&wanted, &squash(k)), *k))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, k)| k)
}

/// Levenshtein distance in characters (also used by `workload` for near-miss paths).
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = Vec::with_capacity(b.len() + 1);
        current.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            let deletion = previous[j + 1] + 1;
            let insertion = current[j] + 1;
            current.push(substitution.min(deletion).min(insertion));
        }
        previous = current;
    }
    previous[b.len()]
}

/// Stops the walk; carries nothing.
#[derive(Debug)]
struct Stop;

impl fmt::Display for Stop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("stop")
    }
}

impl std::error::Error for Stop {}

impl de::Error for Stop {
    fn custom<M: fmt::Display>(_: M) -> Self {
        Stop
    }
}

struct Tracer<'p> {
    path: &'p [Segment],
    found: &'p RefCell<Option<&'static [&'static str]>>,
}

impl<'de> de::Deserializer<'de> for Tracer<'_> {
    type Error = Stop;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Stop> {
        Err(Stop)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Stop> {
        if self.path.is_empty() {
            *self.found.borrow_mut() = Some(fields);
            return Err(Stop);
        }
        self.deserialize_map(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
        match self.path.split_first() {
            Some((Segment::Key(key), rest)) => visitor.visit_map(OneEntry {
                key: Some(key),
                rest,
                found: self.found,
            }),
            _ => Err(Stop),
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
        match self.path.split_first() {
            Some((Segment::Index(_), rest)) => visitor.visit_seq(OneElement {
                rest: Some(rest),
                found: self.found,
            }),
            _ => Err(Stop),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, Stop> {
        visitor.visit_newtype_struct(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct tuple tuple_struct enum identifier ignored_any
    }
}

struct OneEntry<'p> {
    key: Option<&'p str>,
    rest: &'p [Segment],
    found: &'p RefCell<Option<&'static [&'static str]>>,
}

impl<'de> MapAccess<'de> for OneEntry<'_> {
    type Error = Stop;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Stop> {
        match self.key.take() {
            Some(key) => {
                // The key borrows from the path, not from 'de: hand it over as an owned string.
                let key: StringDeserializer<Stop> = key.to_owned().into_deserializer();
                seed.deserialize(key).map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Stop> {
        seed.deserialize(Tracer {
            path: self.rest,
            found: self.found,
        })
    }
}

struct OneElement<'p> {
    rest: Option<&'p [Segment]>,
    found: &'p RefCell<Option<&'static [&'static str]>>,
}

impl<'de> SeqAccess<'de> for OneElement<'_> {
    type Error = Stop;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Stop> {
        match self.rest.take() {
            Some(path) => seed
                .deserialize(Tracer {
                    path,
                    found: self.found,
                })
                .map(Some),
            None => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::monitoring::v1::ServiceMonitor;

    #[test]
    fn fields_at_a_path() {
        let fields =
            known_fields::<ServiceMonitor>(&segments("spec.endpoints[0].relabelings[2]")).unwrap();
        assert!(fields.contains(&"sourceLabels"));
        assert_eq!(did_you_mean("source_labels", fields), Some("sourceLabels"));
        assert_eq!(did_you_mean("targetLable", fields), Some("targetLabel"));
        assert_eq!(did_you_mean("zzzzzzzz", fields), None);
        let top = known_fields::<ServiceMonitor>(&segments("spec")).unwrap();
        assert!(top.contains(&"endpoints"));
    }

    #[test]
    fn path_segments() {
        assert_eq!(
            segments("a.b[1][2].c"),
            vec![
                Segment::Key("a".into()),
                Segment::Key("b".into()),
                Segment::Index(1),
                Segment::Index(2),
                Segment::Key("c".into())
            ]
        );
    }
}
