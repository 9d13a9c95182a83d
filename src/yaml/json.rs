//! Conversions between the YAML tree and JSON values (`-o json`, and building trees from typed
//! Kubernetes objects).

use serde_json::{Number, Value};

use super::resolve::format_go_float;
use super::{Map, Yaml};

impl Yaml {
    /// The tree as a JSON value, keeping mapping order. Duplicate keys collapse to the last
    /// value (JSON objects cannot repeat a key); NaN and infinities, which JSON cannot hold,
    /// become the strings `.nan`, `.inf`, `-.inf`.
    pub fn to_json(&self) -> Value {
        match self {
            Yaml::Null => Value::Null,
            Yaml::Bool(b) => Value::Bool(*b),
            Yaml::Int(i) => Value::Number(Number::from(*i)),
            Yaml::Float(f) => Number::from_f64(*f)
                .map(Value::Number)
                .unwrap_or_else(|| Value::String(format_go_float(*f))),
            Yaml::Str(s) => Value::String(s.to_string()),
            Yaml::Seq(items) => Value::Array(items.iter().map(Yaml::to_json).collect()),
            Yaml::Map(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| (k.to_owned(), v.to_json()))
                    .collect(),
            ),
        }
    }

    /// A tree from a JSON value, keeping object order. Integers that fit `i64` stay integers;
    /// other numbers become floats.
    pub fn from_json(value: &Value) -> Yaml {
        match value {
            Value::Null => Yaml::Null,
            Value::Bool(b) => Yaml::Bool(*b),
            Value::Number(n) => match n.as_i64() {
                Some(i) => Yaml::Int(i),
                None => Yaml::Float(n.as_f64().unwrap_or(f64::NAN)),
            },
            Value::String(s) => Yaml::from(s.clone()),
            Value::Array(items) => Yaml::Seq(items.iter().map(Yaml::from_json).collect()),
            Value::Object(object) => Yaml::Map(
                object
                    .iter()
                    .map(|(k, v)| (k.clone(), Yaml::from_json(v)))
                    .collect::<Map>(),
            ),
        }
    }

    /// A tree from any serializable value (e.g. a k8s-openapi type), through its JSON form.
    pub fn from_serialize<T: serde::Serialize>(value: &T) -> Result<Yaml, serde_json::Error> {
        serde_json::to_value(value).map(|v| Yaml::from_json(&v))
    }
}

impl From<Value> for Yaml {
    fn from(value: Value) -> Self {
        Yaml::from_json(&value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn round_trip_keeps_order_and_types() {
        let value = json!({"z": 1, "a": [true, null, 1.5, "x"], "m": {}});
        let tree = Yaml::from_json(&value);
        assert_eq!(
            crate::yaml::emit(&tree),
            "z: 1\na:\n- true\n- null\n- 1.5\n- x\nm: {}\n"
        );
        assert_eq!(tree.to_json(), value);
        let keys: Vec<String> = tree
            .to_json()
            .as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default();
        assert_eq!(keys, ["z", "a", "m"]);
    }

    #[test]
    fn non_finite_floats_become_strings() {
        assert_eq!(Yaml::Float(f64::INFINITY).to_json(), json!(".inf"));
    }
}
