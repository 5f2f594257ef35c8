//! The document tree every stage works on.
//!
//! A JSON-shaped value with two choices that the rest of the engine relies on:
//! objects keep their entries sorted by key (so two objects are walked side by side in
//! one linear merge, and lookups are binary searches), and numbers compare by value
//! (`1 == 1.0`), as Kubernetes' JSON decoding treats them.

use std::cmp::Ordering;

/// A JSON value with sorted, unique object keys.
#[derive(Debug, Clone)]
pub enum Value {
    Null,
    Bool(bool),
    /// Integers that fit in `i64`; larger ones are stored as `Float`.
    Int(i64),
    /// Finite floats only: loaders reject NaN and infinities.
    Float(f64),
    String(String),
    Array(Vec<Value>),
    Object(Map),
}

/// Object entries sorted by key (byte order), without duplicates.
#[derive(Debug, Clone, Default)]
pub struct Map {
    entries: Vec<(String, Value)>,
}

/// A key seen twice while building a [`Map`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateKey(pub String);

impl Map {
    pub const fn new() -> Self {
        Self { entries: Vec::new() }
    }

    /// Builds a map from entries in any order; a repeated key is an error.
    pub fn from_entries(mut entries: Vec<(String, Value)>) -> Result<Self, DuplicateKey> {
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        if let Some(pair) = entries.windows(2).find(|w| w[0].0 == w[1].0) {
            return Err(DuplicateKey(pair[0].0.clone()));
        }
        Ok(Self { entries })
    }

    /// Wraps entries the caller has already sorted by key and checked for duplicates.
    pub(crate) fn from_sorted_unique(entries: Vec<(String, Value)>) -> Self {
        debug_assert!(entries.windows(2).all(|w| w[0].0 < w[1].0));
        Self { entries }
    }

    fn position(&self, key: &str) -> Result<usize, usize> {
        self.entries.binary_search_by(|(k, _)| k.as_str().cmp(key))
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.position(key).ok().map(|i| &self.entries[i].1)
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        match self.position(key) {
            Ok(i) => Some(&mut self.entries[i].1),
            Err(_) => None,
        }
    }

    /// Inserts or replaces; returns the previous value.
    pub fn insert(&mut self, key: String, value: Value) -> Option<Value> {
        match self.position(&key) {
            Ok(i) => Some(std::mem::replace(&mut self.entries[i].1, value)),
            Err(i) => {
                self.entries.insert(i, (key, value));
                None
            }
        }
    }

    pub fn remove(&mut self, key: &str) -> Option<Value> {
        match self.position(key) {
            Ok(i) => Some(self.entries.remove(i).1),
            Err(_) => None,
        }
    }

    /// Keeps the entries for which `keep` is true.
    pub fn retain(&mut self, mut keep: impl FnMut(&str, &mut Value) -> bool) {
        self.entries.retain_mut(|(k, v)| keep(k, v));
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &Value)> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v))
    }

    pub fn iter_mut(&mut self) -> impl Iterator<Item = (&str, &mut Value)> {
        self.entries.iter_mut().map(|(k, v)| (k.as_str(), v))
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|(k, _)| k.as_str())
    }

    pub fn into_entries(self) -> Vec<(String, Value)> {
        self.entries
    }
}

impl Value {
    pub fn as_object(&self) -> Option<&Map> {
        match self {
            Value::Object(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_object_mut(&mut self) -> Option<&mut Map> {
        match self {
            Value::Object(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Value]> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// Follows object keys; `None` as soon as one is missing or not an object.
    pub fn get_path(&self, keys: &[&str]) -> Option<&Value> {
        keys.iter().try_fold(self, |v, k| v.as_object().and_then(|m| m.get(k)))
    }

    /// The string at `keys`, if present and a string.
    pub fn str_at(&self, keys: &[&str]) -> Option<&str> {
        self.get_path(keys).and_then(Value::as_str)
    }

    /// Null, an empty string, an empty list or an empty object: the values that
    /// Kubernetes' `omitempty` encoding treats as absent.
    pub fn is_empty_like(&self) -> bool {
        match self {
            Value::Null => true,
            Value::String(s) => s.is_empty(),
            Value::Array(a) => a.is_empty(),
            Value::Object(m) => m.is_empty(),
            _ => false,
        }
    }

    /// A short name of the value's type, for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Int(_) | Value::Float(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "list",
            Value::Object(_) => "object",
        }
    }
}

/// Numbers by value: `Int(1) == Float(1.0)`.
fn numbers_equal(a: &Value, b: &Value) -> Option<bool> {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => Some(x == y),
        (Value::Float(x), Value::Float(y)) => Some(x == y),
        (Value::Int(i), Value::Float(f)) | (Value::Float(f), Value::Int(i)) => {
            Some(f.fract() == 0.0 && *f >= -(2f64.powi(63)) && *f < 2f64.powi(63) && *f as i64 == *i)
        }
        _ => None,
    }
}

impl PartialEq for Value {
    fn eq(&self, other: &Self) -> bool {
        if let Some(eq) = numbers_equal(self, other) {
            return eq;
        }
        match (self, other) {
            (Value::Null, Value::Null) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::String(a), Value::String(b)) => a == b,
            (Value::Array(a), Value::Array(b)) => a == b,
            (Value::Object(a), Value::Object(b)) => a == b,
            _ => false,
        }
    }
}

impl PartialEq for Map {
    fn eq(&self, other: &Self) -> bool {
        self.entries.len() == other.entries.len()
            && self.entries.iter().zip(&other.entries).all(|((ka, va), (kb, vb))| ka == kb && va == vb)
    }
}

/// Orders object keys as RFC 8785 requires: by UTF-16 code units.
pub fn utf16_key_order(a: &str, b: &str) -> Ordering {
    if a.is_ascii() && b.is_ascii() {
        return a.cmp(b);
    }
    a.encode_utf16().cmp(b.encode_utf16())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn map_keeps_keys_sorted_and_finds_them() {
        let m = Map::from_entries(vec![("b".into(), Value::Int(2)), ("a".into(), Value::Int(1))]).unwrap();
        assert_eq!(m.keys().collect::<Vec<_>>(), vec!["a", "b"]);
        assert_eq!(m.get("b"), Some(&Value::Int(2)));
        assert_eq!(m.get("c"), None);
    }

    #[test]
    fn map_rejects_duplicate_keys() {
        let err = Map::from_entries(vec![("a".into(), Value::Int(1)), ("a".into(), Value::Int(2))]).unwrap_err();
        assert_eq!(err, DuplicateKey("a".into()));
    }

    #[test]
    fn numbers_compare_by_value() {
        assert_eq!(Value::Int(1), Value::Float(1.0));
        assert_ne!(Value::Int(1), Value::Float(1.5));
        assert_ne!(Value::Int(1), Value::String("1".into()));
    }

    #[test]
    fn utf16_order_differs_from_byte_order_above_the_bmp() {
        // U+FF61 sorts after U+1F600 in code points but before it in UTF-16 units.
        assert_eq!(utf16_key_order("\u{1F600}", "\u{FF61}"), Ordering::Less);
        assert_eq!("\u{1F600}".cmp("\u{FF61}"), Ordering::Greater);
    }
}
