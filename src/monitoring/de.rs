//! Deserialization helpers that accept what kubectl accepts.
//!
//! kubectl parses manifests as YAML 1.1, where a plain `yes`/`no`/`on`/`off` is a boolean (the
//! decoder resolves plain scalars so); a quoted `"true"` is a string, which the API server
//! refuses for a boolean field. Boolean fields go through [`opt_bool`] / [`bool`].
//! Usage: `#[serde(default, deserialize_with = "crate::monitoring::de::opt_bool", skip_serializing_if = "Option::is_none")]`.

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};
use std::fmt;

struct BoolVisitor;

impl Visitor<'_> for BoolVisitor {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a boolean (true/false, or YAML 1.1 yes/no/on/off, unquoted)")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<bool, E> {
        Ok(v)
    }
}

/// A list field without spare capacity. Lists in manifests mostly hold one or two items and a
/// growing `Vec` reserves four, which made unused capacity a third of a large snapshot.
pub fn compact_vec<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Vec<T>, D::Error> {
    let mut items = Vec::<T>::deserialize(d)?;
    items.shrink_to_fit();
    Ok(items)
}

/// A boolean field, accepting YAML 1.1 spellings.
pub fn bool<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    d.deserialize_any(BoolVisitor)
}

/// An optional boolean field (`null` is `None`), accepting YAML 1.1 spellings.
pub fn opt_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    struct OptVisitor;
    impl<'de> Visitor<'de> for OptVisitor {
        type Value = Option<bool>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            BoolVisitor.expecting(f)
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            bool(d).map(Some)
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
            Ok(Some(v))
        }
    }
    d.deserialize_option(OptVisitor)
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct Doc {
        #[serde(default, deserialize_with = "super::opt_bool")]
        flag: Option<bool>,
    }

    #[test]
    fn yaml11_spellings_are_booleans() {
        for (text, want) in [
            ("flag: yes", Some(true)),
            ("flag: off", Some(false)),
            ("flag: true", Some(true)),
            ("flag: null", None),
            ("{}", None),
        ] {
            let doc: Doc = crate::yaml::from_str(text).unwrap();
            assert_eq!(doc.flag, want, "{text}");
        }
        assert!(crate::yaml::from_str::<Doc>("flag: maybe").is_err());
        // Quoted, it is a string: the API server refuses it for a boolean field.
        assert!(crate::yaml::from_str::<Doc>("flag: 'true'").is_err());
    }

    #[test]
    fn lists_keep_no_spare_capacity() {
        #[derive(Deserialize)]
        struct Lists {
            #[serde(deserialize_with = "super::compact_vec")]
            items: Vec<String>,
        }
        let lists: Lists = crate::yaml::from_str("items: [a]").unwrap();
        assert_eq!(lists.items, ["a"]);
        assert_eq!(lists.items.capacity(), 1);
    }
}
