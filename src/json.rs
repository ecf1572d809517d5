//! One way from a Rust value to a JSON tree.
//!
//! `serde_json::to_value` has a serializer of its own, and every type it is used on gets its
//! own copy of that serializer's code in the wasm, next to the copy for the JSON text writer
//! that `to_js` and the stored documents use. [`to_value`] writes the text and reads it back
//! instead: the same tree (objects keep their keys sorted either way), with the writer alone.
//! [`text`] writes a tree with that same writer (a `Value`'s `Display` has another).

use serde::Serialize;
use serde_json::Value;

/// `value` as a JSON tree, through its JSON text (see the module doc).
pub fn to_value<T: Serialize + ?Sized>(value: &T) -> Result<Value, serde_json::Error> {
    serde_json::from_str(&serde_json::to_string(value)?)
}

/// A JSON tree as compact JSON text, as its `Display` writes it (see the module doc).
pub fn text(value: &Value) -> String {
    // Writing a `Value` cannot fail: its object keys are strings.
    serde_json::to_string(value).unwrap_or_default()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    #[test]
    fn same_tree_as_serde_json() {
        #[derive(serde::Serialize)]
        struct S {
            z: u64,
            a: Option<String>,
            list: Vec<(String, bool)>,
        }
        let s = S {
            z: u64::MAX,
            a: None,
            list: vec![("x\"\n".into(), true)],
        };
        let tree = super::to_value(&s).unwrap();
        assert_eq!(tree, serde_json::to_value(&s).unwrap());
        assert_eq!(super::text(&tree), tree.to_string());
    }
}
