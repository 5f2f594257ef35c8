//! YAML streams to documents, built from parser events.
//!
//! We build the tree ourselves instead of using a serde layer because each rule here
//! is a decision about hostile or Kubernetes-specific input: duplicate keys are
//! rejected (as `kubectl` does), what anchors and aliases copy is counted against a
//! budget, nesting is bounded (aliases included), merge keys (`<<`) are applied, and
//! scalars resolve by Kubernetes' rules. Messages never quote a scalar's content: it
//! may be a Secret's value.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use saphyr_parser::{Event, Parser, ScalarStyle, Span, Tag};

mod input;

use super::limits::Limits;
use super::scalar::{resolve_plain_unless_string, resolve_tagged};
use super::RawDocument;
use crate::error::{Error, Location};
use crate::value::{Map, Value};

const CORE_TAG_HANDLE: &str = "tag:yaml.org,2002:";

/// Parses every document of a YAML stream. Empty documents are skipped by the caller.
pub fn parse_yaml(text: &str, source: &Arc<str>, limits: &Limits) -> Result<Vec<RawDocument>, Error> {
    let mut builder = Builder::new(source, limits);
    let mut parser = Parser::new(input::ChunkedStrInput::new(text));
    while let Some(next) = parser.next_event() {
        let (event, span) = next.map_err(|e| {
            let location = builder.location_at(e.marker().line(), e.marker().col());
            let message = e.info().to_owned();
            // The scanner bounds flow nesting on its own; report it as the limit it is.
            if message.contains("recursion limit") {
                Error::Limit { location, message: format!("nesting deeper than the parser allows ({message})") }
            } else {
                Error::Parse { location, message }
            }
        })?;
        builder.on_event(event, span)?;
    }
    Ok(builder.documents)
}

enum Frame {
    Sequence {
        items: Vec<Value>,
        anchor: usize,
    },
    Mapping {
        entries: Vec<(String, Value)>,
        /// The line of each entry's key, to point at the second of two equal keys.
        key_lines: Vec<u32>,
        pending_key: Option<PendingKey>,
        merges: Vec<Value>,
        anchor: usize,
        line: u32,
    },
}

enum PendingKey {
    Named(String, u32),
    Merge,
}

/// What copying a value costs, and how deep it nests.
#[derive(Debug, Clone, Copy, Default)]
struct Footprint {
    nodes: usize,
    /// Bytes of keys and strings.
    bytes: usize,
    /// Levels of lists and objects: 0 for a scalar.
    depth: usize,
}

impl Footprint {
    fn of(value: &Value) -> Self {
        let mut total = Footprint { nodes: 1, bytes: 0, depth: 0 };
        let mut add = |child: Footprint, key_bytes: usize| {
            total.nodes += child.nodes;
            total.bytes += child.bytes + key_bytes;
            total.depth = total.depth.max(child.depth + 1);
        };
        match value {
            Value::String(s) => total.bytes = s.len(),
            Value::Array(items) => {
                items.iter().for_each(|item| add(Footprint::of(item), 0));
                total.depth = total.depth.max(1);
            }
            Value::Object(map) => {
                map.iter().for_each(|(k, v)| add(Footprint::of(v), k.len()));
                total.depth = total.depth.max(1);
            }
            _ => {}
        }
        total
    }
}

struct Builder<'a> {
    source: &'a Arc<str>,
    limits: &'a Limits,
    stack: Vec<Frame>,
    anchors: HashMap<usize, (Value, Footprint)>,
    /// What anchors and aliases have copied so far in this source (all documents).
    copied: Footprint,
    document_line: u32,
    /// Start lines of the elements of the root's `items` list (kind: List).
    item_lines: Vec<u32>,
    documents: Vec<RawDocument>,
}

/// A tag as it is usually written (`!!python/object`), cut short if it is long.
fn tag_text(tag: &Tag) -> String {
    const MAX_CHARS: usize = 80;
    let text = if tag.handle == CORE_TAG_HANDLE { format!("!!{}", tag.suffix) } else { tag.to_string() };
    match text.char_indices().nth(MAX_CHARS) {
        Some((end, _)) => format!("{}...", &text[..end]),
        None => text,
    }
}

fn line_of(span: &Span) -> u32 {
    u32::try_from(span.start.line()).unwrap_or(u32::MAX)
}

impl<'a> Builder<'a> {
    fn new(source: &'a Arc<str>, limits: &'a Limits) -> Self {
        Self {
            source,
            limits,
            stack: Vec::new(),
            anchors: HashMap::new(),
            copied: Footprint::default(),
            document_line: 1,
            item_lines: Vec::new(),
            documents: Vec::new(),
        }
    }

    fn location_at(&self, line: usize, col: usize) -> Location {
        Location {
            source: self.source.clone(),
            line: u32::try_from(line).unwrap_or(u32::MAX),
            column: u32::try_from(col + 1).unwrap_or(u32::MAX),
        }
    }

    fn parse_error(&self, span: &Span, message: impl Into<String>) -> Error {
        Error::Parse { location: self.location_at(span.start.line(), span.start.col()), message: message.into() }
    }

    fn limit_error(&self, span: &Span, message: String) -> Error {
        Error::Limit { location: self.location_at(span.start.line(), span.start.col()), message }
    }

    fn on_event(&mut self, event: Event<'_>, span: Span) -> Result<(), Error> {
        if self.stack.is_empty()
            && matches!(event, Event::Scalar(..) | Event::MappingStart(..) | Event::SequenceStart(..))
        {
            // A document's line is where its content starts, not its `---`.
            self.document_line = line_of(&span);
        }
        match event {
            Event::DocumentStart(_) => {
                self.anchors.clear();
                self.item_lines.clear();
            }
            Event::Scalar(text, style, anchor, tag) => {
                if self.expects_key() {
                    return self.on_key(text, style, tag.as_deref(), &span);
                }
                self.note_item_line(&span);
                let value = self.resolve_scalar(text, style, tag.as_deref(), &span)?;
                self.push_value(value, anchor, &span)?;
            }
            Event::SequenceStart(anchor, tag) => {
                self.check_collection_tag(tag.as_deref(), "seq", &span)?;
                self.open(&span)?;
                self.stack.push(Frame::Sequence { items: Vec::new(), anchor });
            }
            Event::MappingStart(anchor, tag) => {
                self.check_collection_tag(tag.as_deref(), "map", &span)?;
                self.open(&span)?;
                self.stack.push(Frame::Mapping {
                    entries: Vec::new(),
                    key_lines: Vec::new(),
                    pending_key: None,
                    merges: Vec::new(),
                    anchor,
                    line: line_of(&span),
                });
            }
            Event::SequenceEnd => {
                if let Some(Frame::Sequence { items, anchor }) = self.stack.pop() {
                    self.push_value(Value::Array(items), anchor, &span)?;
                }
            }
            Event::MappingEnd => {
                if let Some(Frame::Mapping { entries, key_lines, merges, anchor, line, .. }) = self.stack.pop() {
                    let entries = self.sorted_unique(entries, &key_lines, line)?;
                    let map = finish_mapping(entries, merges);
                    self.push_value(Value::Object(map), anchor, &span)?;
                }
            }
            Event::Alias(id) => {
                let Some(&(_, footprint)) = self.anchors.get(&id) else {
                    return Err(self.parse_error(&span, "alias to an unknown anchor"));
                };
                if self.stack.len() + footprint.depth > self.limits.max_depth {
                    return Err(self.limit_error(
                        &span,
                        format!("nesting deeper than {} levels (aliases expanded)", self.limits.max_depth),
                    ));
                }
                // Counted before it is made: a copy over the budget is never made.
                self.charge_copy(footprint, &span)?;
                let Some(value) = self.anchors.get(&id).map(|(value, _)| value.clone()) else {
                    return Err(self.parse_error(&span, "alias to an unknown anchor"));
                };
                if self.expects_key() {
                    let Value::String(key) = value else {
                        return Err(self.parse_error(&span, "a mapping key must be a string"));
                    };
                    self.set_key(PendingKey::Named(key, line_of(&span)));
                    return Ok(());
                }
                self.note_item_line(&span);
                self.push_value(value, 0, &span)?;
            }
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => {}
        }
        Ok(())
    }

    fn expects_key(&self) -> bool {
        matches!(self.stack.last(), Some(Frame::Mapping { pending_key: None, .. }))
    }

    fn set_key(&mut self, key: PendingKey) {
        if let Some(Frame::Mapping { pending_key, .. }) = self.stack.last_mut() {
            *pending_key = Some(key);
        }
    }

    /// A mapping key: quoted and `!!str` keys as written, plain keys resolved as
    /// Kubernetes resolves them (see [`Self::plain_key`]), `<<` a merge.
    fn on_key(&mut self, text: Cow<'_, str>, style: ScalarStyle, tag: Option<&Tag>, span: &Span) -> Result<(), Error> {
        if let Some(tag) = tag {
            let is_str = tag.handle == CORE_TAG_HANDLE && tag.suffix == "str";
            if !is_str {
                return Err(self.parse_error(span, format!("unsupported tag {} on a mapping key", tag_text(tag))));
            }
        }
        let line = line_of(span);
        let key = match (style, tag) {
            (ScalarStyle::Plain, None) if text == "<<" => PendingKey::Merge,
            (ScalarStyle::Plain, None) => PendingKey::Named(self.plain_key(text, span)?, line),
            _ => PendingKey::Named(text.into_owned(), line),
        };
        self.set_key(key);
        Ok(())
    }

    /// Kubernetes reads a plain key like a plain value and writes non-string results
    /// back as text (sigs.k8s.io/yaml): `on:` is the key `"true"`, `012:` is `"10"`.
    /// A key that stays a string keeps the parser's text without a copy.
    fn plain_key(&self, text: Cow<'_, str>, span: &Span) -> Result<String, Error> {
        match resolve_plain_unless_string(&text) {
            None => Ok(text.into_owned()),
            Some(resolved) => match resolved.map_err(|message| self.parse_error(span, message))? {
                Value::String(s) => Ok(s),
                Value::Null => Err(self.parse_error(span, "a mapping key cannot be null")),
                other => Ok(crate::canon::canonical_string(&other)),
            },
        }
    }

    /// Resolves a scalar; a string keeps the parser's text without a copy, so that a
    /// huge scalar is held once.
    fn resolve_scalar(
        &self,
        text: Cow<'_, str>,
        style: ScalarStyle,
        tag: Option<&Tag>,
        span: &Span,
    ) -> Result<Value, Error> {
        let resolved = match tag {
            Some(tag) if tag.handle == CORE_TAG_HANDLE => resolve_tagged(&tag.suffix, &text),
            // The non-specific tag `!` forces a string.
            Some(tag) if tag.handle.is_empty() && tag.suffix == "!" => Ok(Value::String(text.into_owned())),
            Some(tag) => Err(format!("unsupported tag {}", tag_text(tag))),
            None if style == ScalarStyle::Plain => {
                resolve_plain_unless_string(&text).unwrap_or_else(|| Ok(Value::String(text.into_owned())))
            }
            None => Ok(Value::String(text.into_owned())),
        };
        resolved.map_err(|message| self.parse_error(span, message))
    }

    fn check_collection_tag(&self, tag: Option<&Tag>, expected: &str, span: &Span) -> Result<(), Error> {
        match tag {
            None => Ok(()),
            Some(t) if t.handle == CORE_TAG_HANDLE && t.suffix == expected => Ok(()),
            Some(t) => Err(self.parse_error(span, format!("unsupported tag {}", tag_text(t)))),
        }
    }

    /// Called before a collection is opened: rejects complex keys and deep nesting.
    fn open(&mut self, span: &Span) -> Result<(), Error> {
        if self.expects_key() {
            return Err(self.parse_error(span, "a mapping key must be a scalar, not a list or mapping"));
        }
        if self.stack.len() >= self.limits.max_depth {
            return Err(self.limit_error(span, format!("nesting deeper than {} levels", self.limits.max_depth)));
        }
        self.note_item_line(span);
        Ok(())
    }

    /// Remembers where each item of a root `items:` list starts, so that objects
    /// unwrapped from a `kind: List` still point at their own line.
    fn note_item_line(&mut self, span: &Span) {
        if let [Frame::Mapping { pending_key: Some(PendingKey::Named(key, _)), .. }, Frame::Sequence { .. }] =
            self.stack.as_slice()
        {
            if key == "items" {
                self.item_lines.push(line_of(span));
            }
        }
    }

    /// Counts a copy made for an anchor or an alias against the limits of the source.
    fn charge_copy(&mut self, footprint: Footprint, span: &Span) -> Result<(), Error> {
        self.copied.nodes = self.copied.nodes.saturating_add(footprint.nodes);
        self.copied.bytes = self.copied.bytes.saturating_add(footprint.bytes);
        if self.copied.nodes > self.limits.max_alias_nodes {
            return Err(self.limit_error(
                span,
                format!(
                    "anchors and aliases copy more than {} nodes in this source (alias bomb?)",
                    self.limits.max_alias_nodes
                ),
            ));
        }
        if self.copied.bytes > self.limits.max_alias_bytes {
            return Err(self.limit_error(
                span,
                format!(
                    "anchors and aliases copy more than {} bytes of text in this source (alias bomb?)",
                    self.limits.max_alias_bytes
                ),
            ));
        }
        Ok(())
    }

    fn push_value(&mut self, value: Value, anchor: usize, span: &Span) -> Result<(), Error> {
        if anchor != 0 {
            // The anchored value is kept for later aliases: a copy, counted like theirs.
            let footprint = Footprint::of(&value);
            self.charge_copy(footprint, span)?;
            self.anchors.insert(anchor, (value.clone(), footprint));
        }
        match self.stack.last_mut() {
            None => {
                self.documents.push(RawDocument {
                    value,
                    line: self.document_line.max(1),
                    item_lines: std::mem::take(&mut self.item_lines),
                });
                Ok(())
            }
            Some(Frame::Sequence { items, .. }) => {
                items.push(value);
                Ok(())
            }
            Some(Frame::Mapping { entries, key_lines, pending_key, merges, .. }) => match pending_key.take() {
                Some(PendingKey::Named(key, line)) => {
                    entries.push((key, value));
                    key_lines.push(line);
                    Ok(())
                }
                Some(PendingKey::Merge) => match value {
                    Value::Object(_) => {
                        merges.push(value);
                        Ok(())
                    }
                    Value::Array(items) if items.iter().all(|i| matches!(i, Value::Object(_))) => {
                        merges.extend(items);
                        Ok(())
                    }
                    _ => Err(self.parse_error(span, "a merge key (<<) needs a mapping or a list of mappings")),
                },
                None => Err(self.parse_error(span, "internal: value without a key")),
            },
        }
    }

    /// The entries of a mapping sorted by key; two equal keys are an error at the line
    /// of the second.
    fn sorted_unique(
        &self,
        mut entries: Vec<(String, Value)>,
        key_lines: &[u32],
        line: u32,
    ) -> Result<Vec<(String, Value)>, Error> {
        // Keys written in order (every mapping of one key, and many others) need no sort.
        if entries.windows(2).all(|w| w[0].0 < w[1].0) {
            return Ok(entries);
        }
        // Positions are sorted, not entries, to keep each key's line at hand. A stable
        // sort keeps equal keys in input order, so the second one is the duplicate.
        let mut order: Vec<usize> = (0..entries.len()).collect();
        order.sort_by(|&a, &b| entries[a].0.cmp(&entries[b].0));
        if let Some(pair) = order.windows(2).find(|w| entries[w[0]].0 == entries[w[1]].0) {
            return Err(Error::Parse {
                location: Location { source: self.source.clone(), line: key_lines[pair[1]], column: 1 },
                message: format!("duplicate key {:?} in the mapping that starts at line {line}", entries[pair[0]].0),
            });
        }
        Ok(order.into_iter().map(|i| std::mem::replace(&mut entries[i], (String::new(), Value::Null))).collect())
    }
}

/// A mapping from its sorted, unique entries and its merge sources (`<<`).
fn finish_mapping(entries: Vec<(String, Value)>, merges: Vec<Value>) -> Map {
    let mut map = Map::from_sorted_unique(entries);
    // Explicit keys win over merged ones, and earlier merge sources over later ones:
    // since `insert` only fills keys that are still absent, both hold.
    for source in merges {
        if let Value::Object(src) = source {
            for (k, v) in src.into_entries() {
                if map.get(&k).is_none() {
                    map.insert(k, v);
                }
            }
        }
    }
    map
}

/// The line of every node of the first document, by JSON pointer (`/ignore/0/paths/1`),
/// for messages about content that parsed fine but is not valid (rule files).
pub fn line_index(text: &str) -> HashMap<String, u32> {
    enum Container {
        Mapping { key: Option<String> },
        Sequence { next: usize },
    }
    let mut lines = HashMap::new();
    let mut stack: Vec<(String, Container)> = Vec::new();
    let mut parser = Parser::new(input::ChunkedStrInput::new(text));
    // Returns the pointer of the node that starts now, advancing its parent.
    let node_pointer = |stack: &mut Vec<(String, Container)>| -> Option<String> {
        let (parent, container) = stack.last_mut()?;
        match container {
            Container::Mapping { key } => {
                key.take().map(|k| format!("{parent}/{}", k.replace('~', "~0").replace('/', "~1")))
            }
            Container::Sequence { next } => {
                *next += 1;
                Some(format!("{parent}/{}", *next - 1))
            }
        }
    };
    while let Some(Ok((event, span))) = parser.next_event() {
        let line = line_of(&span);
        match event {
            Event::Scalar(text, ..) => {
                if let Some((_, Container::Mapping { key })) = stack.last_mut() {
                    if key.is_none() {
                        *key = Some(text.into_owned());
                        continue;
                    }
                }
                if let Some(pointer) = node_pointer(&mut stack) {
                    lines.insert(pointer, line);
                }
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                let pointer = if stack.is_empty() { Some(String::new()) } else { node_pointer(&mut stack) };
                let pointer = pointer.unwrap_or_default();
                lines.insert(pointer.clone(), line);
                let container = if matches!(event, Event::MappingStart(..)) {
                    Container::Mapping { key: None }
                } else {
                    Container::Sequence { next: 0 }
                };
                stack.push((pointer, container));
            }
            Event::MappingEnd | Event::SequenceEnd => {
                stack.pop();
            }
            Event::DocumentEnd => break,
            _ => {}
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_keys_resolve_as_kubernetes_reads_them() {
        let docs = parse_yaml("on: a\n'on': b\n012: c\n0x1F: d\nx: e\n", &Arc::from("t"), &Limits::default()).unwrap();
        let map = docs[0].value.as_object().unwrap();
        assert_eq!(map.keys().collect::<Vec<_>>(), vec!["10", "31", "on", "true", "x"]);
        assert!(parse_yaml("~: a\n", &Arc::from("t"), &Limits::default()).is_err());
    }

    fn parse_error(text: &str) -> String {
        match parse_yaml(text, &Arc::from("t"), &Limits::default()) {
            Ok(_) => panic!("no error for {text:?}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn of_several_duplicate_keys_the_first_by_key_is_named_at_its_second_line() {
        let expect = |key: &str, line: u32, start: u32| {
            format!("t:{line}:1: duplicate key {key:?} in the mapping that starts at line {start}")
        };
        assert_eq!(parse_error("a: 1\nb: 2\nb: 3\n"), expect("b", 3, 1));
        assert_eq!(parse_error("z: 1\nb: 2\nz: 3\nb: 4\nb: 5\n"), expect("b", 4, 1));
        assert_eq!(parse_error("x:\n  k: 1\n  j: 2\n  'k': 3\n"), expect("k", 4, 2));
        // Keys are compared after resolution: `on` and `true` are the same key.
        assert_eq!(parse_error("true: 1\non: 2\n"), expect("true", 2, 1));
    }

    #[test]
    fn sorted_and_unsorted_mappings_give_the_same_sorted_object() {
        let keys = |text: &str| {
            let docs = parse_yaml(text, &Arc::from("t"), &Limits::default()).unwrap();
            docs[0].value.as_object().unwrap().iter().map(|(k, v)| format!("{k}={v:?}")).collect::<Vec<_>>()
        };
        assert_eq!(keys("a: 1\nb: x\nc: [1]\n"), keys("c: [1]\na: 1\nb: x\n"));
        assert_eq!(keys("b: 2\n<<: {a: 1, b: 3, c: 4}\n"), ["a=Int(1)", "b=Int(2)", "c=Int(4)"]);
    }
}
