//! The fast path for a pretty-printed kubectl `List`: its `items` array is cut into
//! pieces at item starts and each piece is parsed on its own core, with no separate
//! pass to find where the items are (that pass was a tenth of a 156 MB load, serial).
//!
//! A cut goes where `,` is followed by a newline, the first item's indentation and `{`.
//! A newline is never inside a JSON string, so such a place is between two values; with
//! the same indentation as the first item it is between two items. Nothing here trusts
//! that: a piece must parse as whole items separated by commas, ending exactly at the
//! next cut, or the whole fast path gives up (`None`) and the caller's general parser,
//! which also words the errors, reads the text.

use rayon::prelude::*;
use serde::de::IgnoredAny;

use super::json::JsonValue;
use crate::value::Value;

/// Pieces per thread: items vary from a few hundred bytes to hundreds of KB, so more
/// pieces than threads keep the cores evenly busy.
const PIECES_PER_THREAD: usize = 8;

/// The items of the list and where they are.
pub(super) struct Items {
    /// Byte offset of each item in the text.
    pub offsets: Vec<usize>,
    pub values: Vec<Value>,
    /// The text with the items array emptied (`[]`): the rest of the list object.
    pub shell: String,
}

/// Parses the `items` array of the top-level object of `text`, whose `[` is at `open`
/// ([`items_array_start`]), in pieces; `None` at any doubt or error (the caller then
/// parses the text generally).
pub(super) fn parse_items(text: &str, open: usize) -> Option<Items> {
    let first = open + 1 + whitespace_len(&text[open + 1..]);
    if text[first..].starts_with(']') {
        return Some(Items { offsets: Vec::new(), values: Vec::new(), shell: shell(text, open, first) });
    }
    let cuts = cuts(text, first)?;
    let pieces: Vec<Option<Piece>> =
        cuts.par_windows(2).enumerate().map(|(i, w)| parse_piece(text, w[0], w[1], i + 2 == cuts.len())).collect();
    let mut offsets = Vec::new();
    let mut values = Vec::new();
    let mut close = None;
    for piece in pieces {
        let piece = piece?;
        offsets.extend(piece.offsets);
        values.extend(piece.values);
        close = close.or(piece.close);
    }
    Some(Items { offsets, values, shell: shell(text, open, close?) })
}

/// The text with `[` at `open` .. `]` at `close` replaced by `[]`.
fn shell(text: &str, open: usize, close: usize) -> String {
    let mut shell = String::with_capacity(open + 2 + text.len() - close);
    shell.push_str(&text[..open]);
    shell.push_str("[]");
    shell.push_str(&text[close + 1..]);
    shell
}

/// Where the `[` of the top-level object's `items` is. Keys before it are read one by
/// one and their values skipped by the parser; a key written with escapes is not
/// recognized (the general parser then reads the list).
pub(super) fn items_array_start(text: &str) -> Option<usize> {
    let mut at = whitespace_len(text);
    if !text[at..].starts_with('{') {
        return None;
    }
    at += 1;
    loop {
        at += whitespace_len(&text[at..]);
        if !text[at..].starts_with('"') {
            return None;
        }
        let key_end = at + 1 + text[at + 1..].find('"')?;
        let key = &text[at + 1..key_end];
        if key.contains('\\') {
            return None;
        }
        at = key_end + 1;
        at += whitespace_len(&text[at..]);
        if !text[at..].starts_with(':') {
            return None;
        }
        at += 1;
        at += whitespace_len(&text[at..]);
        if key == "items" {
            return text[at..].starts_with('[').then_some(at);
        }
        let mut stream = serde_json::Deserializer::from_str(&text[at..]).into_iter::<IgnoredAny>();
        stream.next()?.ok()?;
        at += stream.byte_offset();
        at += whitespace_len(&text[at..]);
        if !text[at..].starts_with(',') {
            return None;
        }
        at += 1;
    }
}

/// Piece boundaries: the first item's start, the item starts found near evenly spaced
/// points, and the end of the text.
fn cuts(text: &str, first: usize) -> Option<Vec<usize>> {
    let line_start = text[..first].rfind('\n').map_or(0, |i| i + 1);
    let indent = &text[line_start..first];
    let mut cuts = vec![first];
    // Compact JSON (no newline before the first item) stays one piece.
    if line_start > 0 && indent.bytes().all(|b| b == b' ' || b == b'\t') {
        let pattern = format!(",\n{indent}{{");
        let pieces = rayon::current_num_threads() * PIECES_PER_THREAD;
        let step = ((text.len() - first) / pieces).max(1);
        let mut from = first;
        while from + step < text.len() {
            let Some(found) = text[from + step..].find(&pattern) else { break };
            let cut = from + step + found + pattern.len() - 1;
            cuts.push(cut);
            from = cut;
        }
    }
    cuts.push(text.len());
    Some(cuts)
}

/// The items of one piece; `close` is the position of the array's `]` (last piece).
struct Piece {
    offsets: Vec<usize>,
    values: Vec<Value>,
    close: Option<usize>,
}

/// Parses `text[start..end]` as items separated by commas. A piece other than the last
/// ends with a comma (and whitespace) right before `end`; the last one ends with `]`.
fn parse_piece(text: &str, start: usize, end: usize, last: bool) -> Option<Piece> {
    let mut piece = Piece { offsets: Vec::new(), values: Vec::new(), close: None };
    let mut at = start;
    loop {
        let mut stream = serde_json::Deserializer::from_str(&text[at..end]).into_iter::<JsonValue>();
        let JsonValue(value) = stream.next()?.ok()?;
        if !matches!(value, Value::Object(_)) {
            return None;
        }
        piece.offsets.push(at);
        piece.values.push(value);
        at += stream.byte_offset();
        at += whitespace_len(&text[at..end]);
        match text[at..end].bytes().next() {
            Some(b',') => {
                at += 1;
                at += whitespace_len(&text[at..end]);
                if at == end && !last {
                    return Some(piece);
                }
            }
            Some(b']') if last => {
                piece.close = Some(at);
                return Some(piece);
            }
            _ => return None,
        }
    }
}

fn whitespace_len(s: &str) -> usize {
    s.bytes().take_while(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r')).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_items_of(text: &str) -> Option<Items> {
        parse_items(text, items_array_start(text)?)
    }

    fn list(items: &[&str], indent: &str) -> String {
        let sep = format!(",\n{indent}");
        format!(
            "{{\n  \"apiVersion\": \"v1\",\n  \"items\": [\n{indent}{}\n  ],\n  \"kind\": \"List\"\n}}\n",
            items.join(&sep)
        )
    }

    /// An item with a nested list of objects (indented deeper than items) and a string
    /// that holds the cut pattern with an escaped newline.
    fn item(i: usize) -> String {
        format!("{{\n      \"kind\": \"ConfigMap\",\n      \"metadata\": {{\"name\": \"cm-{i}\"}},\n      \"data\": {{\"a\": [{{\"b\": 1}},\n      {{\"c\": \"}},\\n    {{\"}}]}}\n    }}")
    }

    #[test]
    fn pieces_give_every_item_in_order_with_its_offset() {
        let items: Vec<String> = (0..500).map(item).collect();
        let refs: Vec<&str> = items.iter().map(String::as_str).collect();
        let text = list(&refs, "    ");
        let parsed = parse_items_of(&text).unwrap();
        assert_eq!(parsed.values.len(), 500);
        for (i, (offset, value)) in parsed.offsets.iter().zip(&parsed.values).enumerate() {
            assert_eq!(value.str_at(&["metadata", "name"]), Some(format!("cm-{i}").as_str()));
            assert!(text[*offset..].starts_with("{\n      \"kind\""));
        }
        assert_eq!(parsed.shell, "{\n  \"apiVersion\": \"v1\",\n  \"items\": [],\n  \"kind\": \"List\"\n}\n");
    }

    #[test]
    fn empty_compact_and_oddly_shaped_lists() {
        assert_eq!(parse_items_of("{\"items\": []}").unwrap().values.len(), 0);
        let compact = "{\"kind\":\"List\",\"items\":[{\"a\":1},{\"b\":[{}]}],\"x\":{}}";
        let parsed = parse_items_of(compact).unwrap();
        assert_eq!(parsed.values.len(), 2);
        assert_eq!(parsed.shell, "{\"kind\":\"List\",\"items\":[],\"x\":{}}");
        // Not this fast path's business: left to the general parser.
        for text in ["[1]", "{\"items\": 1}", "{\"it\\u0065ms\": []}", "{\"items\": [1, 2]}", "{\"items\": [{}, ]}"] {
            assert!(parse_items_of(text).is_none(), "{text}");
        }
    }

    #[test]
    fn a_cut_inside_an_item_is_refused_not_misread() {
        // Items indented like their own nested lists: some cuts land inside an item.
        let nested = "{\n  \"a\": [\n  {\"x\": 1},\n  {\"y\": 2}\n  ]\n  }";
        let items = vec![nested; 200];
        let text = list(&items, "  ");
        // Refused (the general parser then reads it) or read right: never misread.
        if let Some(parsed) = parse_items_of(&text) {
            let expected: Value = serde_json::from_str::<JsonValue>(&text).unwrap().0;
            assert_eq!(Some(parsed.values.as_slice()), expected.get_path(&["items"]).and_then(Value::as_array));
        }
    }

    #[test]
    fn a_broken_item_gives_up_the_fast_path() {
        let items: Vec<String> = (0..300).map(item).collect();
        let mut refs: Vec<&str> = items.iter().map(String::as_str).collect();
        refs[150] = "{\"kind\": }";
        assert!(parse_items_of(&list(&refs, "    ")).is_none());
    }
}
