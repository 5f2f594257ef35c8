//! A large `kind: List` (what `kubectl get -A -o json` prints: one object holding
//! every live object in `items`) parsed in parallel: one pass finds where each item's
//! text starts and ends without building it, then the items are parsed on all cores.
//! Anything that is not such a list falls back to the sequential parser, which also
//! produces the error messages.

use std::fmt;
use std::sync::Arc;

use rayon::prelude::*;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

use super::json::{depth, json_error, JsonValue};
use super::limits::Limits;
use super::list_pieces;
use super::RawDocument;
use crate::error::{Error, Location};
use crate::value::{Map, Value};

/// The top-level object with its `items` left as raw text.
struct ListShell<'a> {
    items: Option<Vec<&'a RawValue>>,
    rest: Vec<(String, Value)>,
}

struct ShellVisitor;

impl<'de> Visitor<'de> for ShellVisitor {
    type Value = ListShell<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<ListShell<'de>, A::Error> {
        let mut shell = ListShell { items: None, rest: Vec::new() };
        while let Some(key) = access.next_key::<String>()? {
            if key == "items" && shell.items.is_none() {
                shell.items = Some(access.next_value::<Vec<&'de RawValue>>()?);
            } else {
                let JsonValue(value) = access.next_value::<JsonValue>()?;
                shell.rest.push((key, value));
            }
        }
        Ok(shell)
    }
}

/// Parses `text` as a list in parallel, or returns `None` to let the sequential
/// parser handle it (not a single object with an `items` array, or invalid). Small
/// lists take this path too: it costs one extra scan and gives every item its line.
pub fn parse_list_parallel(text: &str, source: &Arc<str>, limits: &Limits) -> Option<Result<Vec<RawDocument>, Error>> {
    // Cheap scans first, so that a single manifest is not parsed twice: a Deployment's
    // last-applied annotation mentions "items" (configMap volumes) too, but only a
    // top-level `items` array makes a list.
    if !text.contains("\"items\"") {
        return None;
    }
    let open = list_pieces::items_array_start(text)?;
    if let Some(result) = from_pieces(text, open, source, limits) {
        return Some(result);
    }
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let shell = deserializer.deserialize_map(ShellVisitor).ok()?;
    deserializer.end().ok()?;
    let raw_items = shell.items?;
    let offsets: Vec<usize> = raw_items.iter().map(|raw| offset_in(text, raw.get())).collect();
    let item_lines = lines_at(text, &offsets);
    let parsed: Vec<Result<Value, Error>> =
        raw_items.par_iter().zip(&item_lines).map(|(raw, &line)| parse_item(raw.get(), line, source, limits)).collect();
    let mut items = Vec::with_capacity(parsed.len());
    for item in parsed {
        match item {
            Ok(value) => items.push(value),
            Err(e) => return Some(Err(e)),
        }
    }
    list_document(text, shell.rest, items, item_lines).map(Ok)
}

/// The fast path of a pretty-printed list (list_pieces.rs): items parsed in pieces,
/// without a pass to find them first. `None` leaves the text to the path above.
fn from_pieces(text: &str, open: usize, source: &Arc<str>, limits: &Limits) -> Option<Result<Vec<RawDocument>, Error>> {
    let items = list_pieces::parse_items(text, open)?;
    let item_lines = lines_at(text, &items.offsets);
    if let Some(at) = items.values.iter().position(|v| depth(v) + 2 > limits.max_depth) {
        let location = Location { source: source.clone(), line: item_lines[at], column: 1 };
        return Some(Err(Error::Limit {
            location,
            message: format!("nesting deeper than {} levels", limits.max_depth),
        }));
    }
    let mut deserializer = serde_json::Deserializer::from_str(&items.shell);
    let shell = deserializer.deserialize_map(ShellVisitor).ok()?;
    deserializer.end().ok()?;
    list_document(text, shell.rest, items.values, item_lines).map(Ok)
}

/// The list as one document: its other keys and its items, each item with its line.
fn list_document(
    text: &str,
    rest: Vec<(String, Value)>,
    items: Vec<Value>,
    item_lines: Vec<u32>,
) -> Option<Vec<RawDocument>> {
    let mut entries = rest;
    entries.push(("items".to_owned(), Value::Array(items)));
    // A repeated top-level key: the sequential parser reports it with its position.
    let map = Map::from_entries(entries).ok()?;
    let line = 1 + count_newlines(&text[..text.len() - text.trim_start().len()]);
    Some(vec![RawDocument { value: Value::Object(map), line, item_lines }])
}

fn parse_item(text: &str, line: u32, source: &Arc<str>, limits: &Limits) -> Result<Value, Error> {
    let JsonValue(value) = serde_json::from_str::<JsonValue>(text).map_err(|e| {
        // Positions are relative to the item: shift them to the whole file.
        let mut error = json_error(&e, source);
        if let Error::Parse { location, .. } | Error::Limit { location, .. } = &mut error {
            location.line = location.line.saturating_add(line - 1);
        }
        error
    })?;
    // The item sits two levels below the list's root.
    if depth(&value) + 2 > limits.max_depth {
        let location = Location { source: source.clone(), line, column: 1 };
        return Err(Error::Limit { location, message: format!("nesting deeper than {} levels", limits.max_depth) });
    }
    Ok(value)
}

/// Byte offset of `part` inside `whole` (a subslice of it).
fn offset_in(whole: &str, part: &str) -> usize {
    (part.as_ptr() as usize).saturating_sub(whole.as_ptr() as usize)
}

/// Newlines in `s`. A byte-wide sum over runs of at most 255 bytes cannot overflow and
/// compiles to vector compares: 0.35 instructions a byte against 3.3 for a filtered count.
pub(super) fn count_newlines(s: &str) -> u32 {
    let per_run = |run: &[u8]| usize::from(run.iter().fold(0u8, |n, &b| n + u8::from(b == b'\n')));
    u32::try_from(s.as_bytes().chunks(255).map(per_run).sum::<usize>()).unwrap_or(u32::MAX)
}

/// The 1-based line of each (increasing) offset, counted in parallel per gap.
fn lines_at(text: &str, offsets: &[usize]) -> Vec<u32> {
    let starts: Vec<usize> = std::iter::once(0).chain(offsets.iter().copied()).collect();
    let gaps: Vec<u32> = starts.par_windows(2).map(|w| count_newlines(&text[w[0]..w[1].max(w[0])])).collect();
    gaps.iter()
        .scan(1u32, |line, gap| {
            *line = line.saturating_add(*gap);
            Some(*line)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(n: usize) -> String {
        let items: Vec<String> = (0..n)
            .map(|i| format!("    {{\n      \"kind\": \"ConfigMap\",\n      \"metadata\": {{\"name\": \"cm-{i}\"}},\n      \"data\": {{\"pad\": \"{}\"}}\n    }}", "x".repeat(400)))
            .collect();
        format!(
            "{{\n  \"apiVersion\": \"v1\",\n  \"kind\": \"List\",\n  \"items\": [\n{}\n  ]\n}}\n",
            items.join(",\n")
        )
    }

    fn source() -> Arc<str> {
        Arc::from("live.json")
    }

    #[test]
    fn large_lists_parse_in_parallel_like_the_sequential_parser() {
        let text = list(4000);
        let parallel = parse_list_parallel(&text, &source(), &Limits::default()).unwrap().unwrap();
        let sequential = super::super::json::parse_json_sequential(&text, &source(), &Limits::default()).unwrap();
        assert_eq!(parallel.len(), 1);
        assert_eq!(parallel[0].value, sequential[0].value);
        // Each item knows its line: item i starts at line 5 + 5 i.
        assert_eq!(parallel[0].item_lines[0], 5);
        assert_eq!(parallel[0].item_lines[3], 20);
    }

    #[test]
    fn errors_inside_an_item_point_into_the_whole_file() {
        let mut text = list(4000);
        let at = text.find("cm-3999").unwrap();
        text.replace_range(at..at + 2, "c\u{1}");
        let err = parse_list_parallel(&text, &source(), &Limits::default()).and_then(Result::err);
        // Either the parallel path reports it with an absolute line or it falls back.
        if let Some(Error::Parse { location, .. }) = err {
            assert_eq!(location.line, 5 + 5 * 3999 + 2);
        }
    }

    #[test]
    fn newlines_are_counted_across_block_boundaries() {
        for len in [0, 1, 254, 255, 256, 255 * 32 - 1, 255 * 32, 255 * 32 + 1, 3 * 255 * 32 + 7] {
            let text: String = (0..len).map(|i| if i % 3 == 0 { '\n' } else { 'x' }).collect();
            assert_eq!(count_newlines(&text) as usize, text.matches('\n').count(), "{len}");
        }
        // Every byte a newline: each byte-wide sum reaches its maximum, 255.
        assert_eq!(count_newlines(&"\n".repeat(255 * 32 * 2)), 255 * 32 * 2);
    }

    #[test]
    fn an_object_with_nested_items_is_not_a_list() {
        let text = r#"{"kind": "Deployment", "spec": {"volumes": [{"configMap": {"items": [{"key": "a"}]}}]}}"#;
        assert!(parse_list_parallel(text, &source(), &Limits::default()).is_none());
    }

    #[test]
    fn non_list_inputs_fall_back() {
        for text in ["[1, 2]", "{\"kind\": \"A\"}", "{\"items\": 1}", "{\"a\": 1} {\"b\": 2}", "{\"items\": [}"] {
            assert!(parse_list_parallel(text, &source(), &Limits::default()).is_none(), "{text}");
        }
        assert!(parse_list_parallel("{\"items\": []}", &source(), &Limits::default()).is_some());
    }
}
