//! The keys of one keyed list, borrowed from its items, and finding an item by key.
//!
//! The walk meets a keyed list (containers, ports, env, ...) in almost every object, and
//! in the common case its items are unchanged and in the same order on both sides. So
//! keys are borrowed rather than cloned, a lookup first tries the position where the
//! item is expected, and only long lists pay for a (hashed) index.

use std::hash::{Hash, Hasher};

use super::merge_keys::KeyField;
use crate::value::Value;

/// Lists longer than this are searched through an index of key hashes; shorter ones
/// linearly, which is faster and allocates nothing more.
const LINEAR_SEARCH_MAX: usize = 8;

/// One value of an item's key: the item's own, or the default that the API server
/// fills in when the item leaves the field out (`protocol: TCP`).
#[derive(Debug, Clone, Copy)]
pub enum KeyValue<'a> {
    Set(&'a Value),
    Default(&'static str),
}

impl KeyValue<'_> {
    fn as_str(&self) -> Option<&str> {
        match self {
            KeyValue::Set(v) => v.as_str(),
            KeyValue::Default(d) => Some(d),
        }
    }

    /// The value as it reads in a path: strings bare, anything else as canonical JSON.
    pub fn write_readable(&self, out: &mut String) {
        match self {
            KeyValue::Set(Value::String(s)) => out.push_str(s),
            KeyValue::Set(other) => out.push_str(&crate::canon::canonical_string(other)),
            KeyValue::Default(d) => out.push_str(d),
        }
    }
}

/// As the values compare once defaults are filled in (numbers by value).
impl PartialEq for KeyValue<'_> {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (KeyValue::Set(a), KeyValue::Set(b)) => a == b,
            _ => self.as_str() == other.as_str(),
        }
    }
}

/// Consistent with `==`: a default hashes as the equal string, `1.0` as `1`.
impl Hash for KeyValue<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        match self {
            KeyValue::Set(v) => hash_value(v, state),
            KeyValue::Default(d) => hash_value_str(d, state),
        }
    }
}

fn hash_value_str<H: Hasher>(s: &str, state: &mut H) {
    state.write_u8(4);
    s.hash(state);
}

fn hash_value<H: Hasher>(value: &Value, state: &mut H) {
    /// 2^63: floats below it in magnitude and integral equal the `Int` of their value.
    const I64_BOUND: f64 = 9_223_372_036_854_775_808.0;
    match value {
        Value::Null => state.write_u8(0),
        Value::Bool(b) => {
            state.write_u8(1);
            b.hash(state);
        }
        Value::Int(i) => {
            state.write_u8(2);
            i.hash(state);
        }
        // Integral floats equal the integer of the same value (which covers -0.0 == 0.0).
        Value::Float(f) if f.fract() == 0.0 && (-I64_BOUND..I64_BOUND).contains(f) => {
            state.write_u8(2);
            (*f as i64).hash(state);
        }
        Value::Float(f) => {
            state.write_u8(3);
            f.to_bits().hash(state);
        }
        Value::String(s) => hash_value_str(s, state),
        Value::Array(items) => {
            state.write_u8(5);
            items.len().hash(state);
            items.iter().for_each(|item| hash_value(item, state));
        }
        Value::Object(map) => {
            state.write_u8(6);
            map.len().hash(state);
            for (key, v) in map.iter() {
                key.hash(state);
                hash_value(v, state);
            }
        }
    }
}

/// Appends the key of one list item to `out`, one value per key field; `false` when the
/// item is not an object or lacks a key field that has no default.
pub fn push_item_key<'a>(item: &'a Value, fields: &[KeyField], out: &mut Vec<KeyValue<'a>>) -> bool {
    let Some(map) = item.as_object() else { return false };
    for field in fields {
        let value = match map.get(&field.name) {
            Some(v) if !matches!(v, Value::Null) => KeyValue::Set(v),
            _ => match field.default {
                Some(d) => KeyValue::Default(d),
                None => return false,
            },
        };
        out.push(value);
    }
    true
}

/// `name=app` or `containerPort=80,protocol=TCP`: the key of an item whose key is
/// complete, for readable paths.
pub fn describe_item_key(item: &Value, fields: &[KeyField]) -> String {
    let mut values = Vec::with_capacity(fields.len());
    push_item_key(item, fields, &mut values);
    let mut out = String::new();
    for (i, (field, value)) in fields.iter().zip(&values).enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&field.name);
        out.push('=');
        value.write_readable(&mut out);
    }
    out
}

/// The keys of a list's items, in item order.
pub struct ListKeys<'a> {
    /// Values per key.
    width: usize,
    values: Vec<KeyValue<'a>>,
    /// For long lists: (key hash, item index), sorted.
    by_hash: Vec<(u64, usize)>,
}

impl<'a> ListKeys<'a> {
    /// Every item's key, or `None` when an item has no key or two items share one
    /// (such a list is then compared by position, as the API server would not merge it).
    pub fn new(items: &'a [Value], fields: &[KeyField]) -> Option<Self> {
        let mut values = Vec::with_capacity(items.len() * fields.len());
        if !items.iter().all(|item| push_item_key(item, fields, &mut values)) {
            return None;
        }
        let mut keys = Self { width: fields.len(), values, by_hash: Vec::new() };
        if items.len() > LINEAR_SEARCH_MAX {
            keys.by_hash = (0..items.len()).map(|i| (hash_key(keys.key(i)), i)).collect();
            keys.by_hash.sort_unstable();
        }
        keys.all_unique().then_some(keys)
    }

    pub fn len(&self) -> usize {
        self.values.len().checked_div(self.width).unwrap_or(0)
    }

    pub fn key(&self, i: usize) -> &[KeyValue<'a>] {
        &self.values[i * self.width..(i + 1) * self.width]
    }

    fn all_unique(&self) -> bool {
        if self.width == 0 {
            return self.values.len() <= 1;
        }
        if self.by_hash.is_empty() {
            return (1..self.len()).all(|i| (0..i).all(|j| self.key(j) != self.key(i)));
        }
        // Equal keys have equal hashes, so only neighbours in hash order can be equal.
        self.by_hash.chunk_by(|a, b| a.0 == b.0).all(|run| {
            run.iter().enumerate().all(|(n, &(_, i))| run[..n].iter().all(|&(_, j)| self.key(j) != self.key(i)))
        })
    }

    /// The item whose key is that of `item` (an item of a list with the same key fields).
    pub fn find_item(&self, item: &Value, fields: &[KeyField], expected: usize) -> Option<usize> {
        let mut key = Vec::with_capacity(fields.len());
        push_item_key(item, fields, &mut key).then(|| self.find(&key, expected))?
    }

    /// The item with this key, trying `expected` first: lists usually keep their order,
    /// and as keys are unique, a match there is the only one.
    pub fn find(&self, key: &[KeyValue<'_>], expected: usize) -> Option<usize> {
        if expected < self.len() && self.key(expected) == key {
            return Some(expected);
        }
        if self.by_hash.is_empty() {
            return (0..self.len()).find(|&i| self.key(i) == key);
        }
        let hash = hash_key(key);
        let start = self.by_hash.partition_point(|&(h, _)| h < hash);
        self.by_hash[start..].iter().take_while(|&&(h, _)| h == hash).map(|&(_, i)| i).find(|&i| self.key(i) == key)
    }
}

fn hash_key(key: &[KeyValue<'_>]) -> u64 {
    let mut hasher = KeyHasher(0);
    key.hash(&mut hasher);
    hasher.finish()
}

/// FxHash's word mixing: keys are short (env names, ports), and a hash here only
/// orders one list's items, so a collision costs one more comparison, never a wrong
/// match. std's SipHash cost several times more than the rest of the key handling.
struct KeyHasher(u64);

impl KeyHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for KeyHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let mut tail = [0; 8];
        tail[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
        self.add(u64::from_le_bytes(tail));
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn port_fields() -> Vec<KeyField> {
        vec![
            KeyField { name: "containerPort".into(), default: None },
            KeyField { name: "protocol".into(), default: Some("TCP") },
        ]
    }

    fn items(text: &str) -> Vec<Value> {
        let object = crate::load::test_object(&format!("items: {text}\n"));
        object.get_path(&["items"]).and_then(Value::as_array).unwrap().to_vec()
    }

    #[test]
    fn defaults_and_numbers_compare_as_filled_in_values() {
        let list = items("[{containerPort: 80}, {containerPort: 81, protocol: UDP}]");
        let other = items("[{containerPort: 81.0, protocol: UDP}, {containerPort: 80, protocol: TCP}]");
        let fields = port_fields();
        let (a, b) = (ListKeys::new(&list, &fields).unwrap(), ListKeys::new(&other, &fields).unwrap());
        assert_eq!(b.find(a.key(0), 0), Some(1));
        assert_eq!(b.find(a.key(1), 1), Some(0));
        assert_eq!(describe_item_key(&list[0], &fields), "containerPort=80,protocol=TCP");
    }

    #[test]
    fn duplicate_or_missing_keys_make_a_list_unkeyed() {
        let fields = port_fields();
        assert!(ListKeys::new(&items("[{containerPort: 80}, {containerPort: 80, protocol: TCP}]"), &fields).is_none());
        assert!(ListKeys::new(&items("[{protocol: TCP}]"), &fields).is_none());
        assert!(ListKeys::new(&items("[a]"), &fields).is_none());
    }

    #[test]
    fn long_lists_find_items_through_the_hash_index() {
        let n = LINEAR_SEARCH_MAX * 3;
        let text: Vec<String> = (0..n).map(|i| format!("{{containerPort: {i}}}")).collect();
        let list = items(&format!("[{}]", text.join(", ")));
        let fields = port_fields();
        let keys = ListKeys::new(&list, &fields).unwrap();
        let (seven, tcp) = (Value::Float(7.0), Value::String("TCP".into()));
        assert_eq!(keys.find(&[KeyValue::Set(&seven), KeyValue::Set(&tcp)], 0), Some(7));
        let duplicated = [list.clone(), list[..1].to_vec()].concat();
        assert!(ListKeys::new(&duplicated, &fields).is_none());
    }
}
