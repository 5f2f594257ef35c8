//! JSON (one value, or several concatenated as `kubectl` accepts) to documents.
//!
//! serde_json is the parser: maintained, fast (hundreds of MB/s here), and it reports
//! line and column for every error, including our own duplicate-key error. Its own
//! recursion limit (128 levels) is a hard ceiling; a lower `max_depth` is checked on
//! each parsed value.

use std::fmt;
use std::sync::Arc;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use super::json_list::count_newlines;
use super::limits::Limits;
use super::RawDocument;
use crate::error::{Error, Location};
use crate::value::{Map, Value};

/// Parses a JSON text holding one or more top-level values; a large `kind: List` is
/// parsed in parallel.
pub fn parse_json(text: &str, source: &Arc<str>, limits: &Limits) -> Result<Vec<RawDocument>, Error> {
    match super::json_list::parse_list_parallel(text, source, limits) {
        Some(result) => result,
        None => parse_json_sequential(text, source, limits),
    }
}

/// Parses a JSON text holding one or more top-level values, one after the other.
pub(super) fn parse_json_sequential(text: &str, source: &Arc<str>, limits: &Limits) -> Result<Vec<RawDocument>, Error> {
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<JsonValue>();
    let mut documents = Vec::new();
    let mut line = 1u32;
    let mut counted_to = 0usize;
    loop {
        // The next value starts after the whitespace that follows the previous one.
        let offset = stream.byte_offset();
        let start = offset + text[offset..].len() - text[offset..].trim_start().len();
        line += count_newlines(&text[counted_to..start]);
        counted_to = start;
        match stream.next() {
            None => break,
            Some(Ok(JsonValue(value))) => {
                if depth(&value) > limits.max_depth {
                    let location = Location { source: source.clone(), line, column: 1 };
                    let message = format!("nesting deeper than {} levels", limits.max_depth);
                    return Err(Error::Limit { location, message });
                }
                documents.push(RawDocument { value, line, item_lines: Vec::new() });
            }
            Some(Err(e)) => return Err(json_error(&e, source)),
        }
    }
    Ok(documents)
}

/// Levels of lists and objects (0 for a scalar); bounded by the parser's own limit.
pub(super) fn depth(value: &Value) -> usize {
    match value {
        Value::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
        Value::Object(map) => 1 + map.iter().map(|(_, v)| depth(v)).max().unwrap_or(0),
        _ => 0,
    }
}

pub(super) fn json_error(e: &serde_json::Error, source: &Arc<str>) -> Error {
    let location = Location {
        source: source.clone(),
        line: u32::try_from(e.line()).unwrap_or(u32::MAX),
        column: u32::try_from(e.column()).unwrap_or(u32::MAX),
    };
    // serde_json appends " at line L column C"; we print the position up front instead.
    let text = e.to_string();
    let message = match text.rfind(" at line ") {
        Some(i) => text[..i].to_owned(),
        None => text,
    };
    if message.contains("recursion limit") {
        return Error::Limit { location, message: "nesting deeper than 128 levels".into() };
    }
    Error::Parse { location, message }
}

/// Deserializes straight into [`Value`], rejecting duplicate keys.
pub(super) struct JsonValue(pub(super) Value);

impl<'de> Deserialize<'de> for JsonValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor).map(JsonValue)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        if v.is_finite() {
            Ok(Value::Float(v))
        } else {
            Err(E::custom("number out of range"))
        }
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let start = ITEMS.with_borrow(Vec::len);
        let mut parsed = || {
            while let Some(JsonValue(v)) = seq.next_element()? {
                ITEMS.with_borrow_mut(|items| items.push(v));
            }
            Ok(())
        };
        let outcome = parsed();
        let items = ITEMS.with_borrow_mut(|items| take_from(items, start));
        outcome.map(|()| Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let start = ENTRIES.with_borrow(Vec::len);
        let mut parsed = || {
            while let Some((key, JsonValue(v))) = access.next_entry::<String, JsonValue>()? {
                ENTRIES.with_borrow_mut(|entries| entries.push((key, v)));
            }
            Ok(())
        };
        let outcome = parsed();
        let entries = ENTRIES.with_borrow_mut(|entries| take_from(entries, start));
        outcome?;
        // serde_json places errors raised here at the end of the object.
        Map::from_entries(entries)
            .map(Value::Object)
            .map_err(|dup| de::Error::custom(format!("duplicate key {:?} in the object that ends here", dup.0)))
    }
}

thread_local! {
    // The entries and items of the objects and lists being parsed on this thread,
    // innermost last: each finished one moves out into a vector of its exact size, so
    // no vector grows (and reallocates) element by element, and none keeps spare room.
    static ENTRIES: std::cell::RefCell<Vec<(String, Value)>> = const { std::cell::RefCell::new(Vec::new()) };
    static ITEMS: std::cell::RefCell<Vec<Value>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Room a scratch stack keeps between parses (a few hundred KB at most).
const SCRATCH_KEPT: usize = 4096;

/// The elements of `stack` from `start` on, removed, in a vector of their exact size.
fn take_from<T>(stack: &mut Vec<T>, start: usize) -> Vec<T> {
    let mut taken = Vec::with_capacity(stack.len().saturating_sub(start));
    taken.extend(stack.drain(start.min(stack.len())..));
    // One huge object or list must not pin its scratch room to the thread for good.
    if stack.is_empty() && stack.capacity() > SCRATCH_KEPT {
        stack.shrink_to(SCRATCH_KEPT);
    }
    taken
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source() -> Arc<str> {
        Arc::from("t.json")
    }

    fn parse_json_default(text: &str, source: &Arc<str>) -> Result<Vec<RawDocument>, Error> {
        parse_json(text, source, &Limits::default())
    }

    #[test]
    fn concatenated_values_are_separate_documents_with_lines() {
        let docs = parse_json_default("{\"a\": 1}\n\n{\"b\": 2}\n", &source()).unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].line, 1);
        assert_eq!(docs[1].line, 3);
    }

    #[test]
    fn duplicate_keys_are_rejected_with_a_position() {
        let err = parse_json_default("{\n  \"a\": 1,\n  \"a\": 2\n}", &source()).unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("t.json:4:"), "{text}");
        assert!(text.contains("duplicate key \"a\""), "{text}");
    }

    #[test]
    fn deep_nesting_is_a_limit_error() {
        let deep = "[".repeat(10_000);
        let err = parse_json_default(&deep, &source()).unwrap_err();
        assert!(matches!(err, Error::Limit { .. }), "{err}");
    }

    #[test]
    fn big_unsigned_numbers_become_floats() {
        let docs = parse_json_default("18446744073709551615", &source()).unwrap();
        assert_eq!(docs[0].value, Value::Float(18446744073709551615.0));
    }

    #[test]
    fn a_lower_max_depth_applies_to_json() {
        let limits = Limits { max_depth: 2, ..Limits::default() };
        assert!(parse_json("{\"a\": [1]}", &source(), &limits).is_ok());
        let err = parse_json("\n{\"a\": [[1]]}", &source(), &limits).unwrap_err();
        assert_eq!(err.to_string(), "t.json:2:1: nesting deeper than 2 levels");
    }

    #[test]
    fn numbers_parse_to_the_nearest_float() {
        // Found by fuzzing: without serde_json's exact float parsing these came out one
        // unit in the last place off, so a live JSON dump and a YAML manifest holding
        // the same number differed, and canonical bytes did not read back the same.
        for text in [
            "66666666653333283333",
            "1999999999999199999999999999999999999999999",
            "6.6666666653333275e19",
            "1.9999999999991998e42",
            "0.30000000000000004",
        ] {
            let docs = parse_json_default(text, &source()).unwrap();
            let nearest: f64 = text.parse().unwrap();
            assert_eq!(docs[0].value, Value::Float(nearest), "{text}");
            let yaml = crate::load::load_bytes(
                format!("x: {text}").as_bytes(),
                "t.yaml",
                crate::load::Format::Yaml,
                &Limits::default(),
            )
            .unwrap();
            assert_eq!(yaml[0].value.get_path(&["x"]), Some(&docs[0].value), "{text}");
        }
    }
}
