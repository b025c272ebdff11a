//! The exports' JSON: a tree that keeps keys in the order they are written, serialized by
//! serde_json. Order matters to people: a Graph body reads `displayName` first, and the
//! values card follows the destination console's field order. serde_json's own `Value`
//! sorts keys, and its `preserve_order` feature would change the key order of every crate
//! built with it in this workspace (the simulator's Graph answers included).

use serde::ser::{Serialize, Serializer};

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Json {
    Str(String),
    Arr(Vec<Json>),
    Obj(Vec<(String, Json)>),
}

impl Json {
    pub(crate) fn str(s: impl Into<String>) -> Json {
        Json::Str(s.into())
    }

    pub(crate) fn obj<const N: usize>(pairs: [(&str, Json); N]) -> Json {
        Json::Obj(pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
    }

    /// Two-space indentation, like `JSON.stringify(v, null, 2)`.
    pub(crate) fn pretty(&self) -> String {
        serde_json::to_string_pretty(self)
            .expect("strings, arrays and string-keyed objects always serialize")
    }
}

impl Serialize for Json {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Json::Str(s) => serializer.serialize_str(s),
            Json::Arr(items) => serializer.collect_seq(items),
            Json::Obj(pairs) => serializer.collect_map(pairs.iter().map(|(k, v)| (k, v))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_nests() {
        let v = Json::obj([
            ("a", Json::str("q\"b\\n\nz\u{1}")),
            (
                "b",
                Json::Arr(vec![Json::str("x"), Json::obj([("k", Json::str("v"))])]),
            ),
            ("c", Json::Arr(vec![])),
        ]);
        let parsed: serde_json::Value = serde_json::from_str(&v.pretty()).unwrap();
        assert_eq!(parsed["a"], "q\"b\\n\nz\u{1}");
        assert_eq!(parsed["b"][0], "x");
        assert_eq!(parsed["b"][1]["k"], "v");
        assert_eq!(parsed["c"].as_array().unwrap().len(), 0);
    }

    #[test]
    fn keys_keep_their_written_order_and_layout_matches_json_stringify() {
        let v = Json::obj([
            ("z", Json::str("1")),
            ("a", Json::Arr(vec![Json::str("2")])),
            ("m", Json::Obj(vec![])),
        ]);
        assert_eq!(
            v.pretty(),
            "{\n  \"z\": \"1\",\n  \"a\": [\n    \"2\"\n  ],\n  \"m\": {}\n}"
        );
    }
}
