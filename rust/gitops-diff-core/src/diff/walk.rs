//! The tree walk behind [`super::diff_objects`].

use std::cell::OnceCell;
use std::cmp::Ordering;

use super::ignore::IgnoreTrie;
use super::list_keys::ListKeys;
use super::merge_keys::{KeyField, KindKeys, ListPath};
use super::path::{pointer, readable, Step};
use super::{Change, DiffContext, Op};
use crate::value::{Map, Value};

static EMPTY_MAP: Map = Map::new();

/// Steps from an object's root to the fields of a pod template's container items.
const TYPICAL_DEPTH: usize = 12;

/// Top-level fields that pairing has already compared.
const IDENTITY_FIELDS: &[&str] = &["apiVersion", "kind"];

/// Maps of user data, where an empty string is a value and not "unset".
const USER_DATA_MAPS: &[&str] = &["data", "binaryData", "stringData", "labels", "annotations"];

pub struct Walker<'a> {
    ctx: &'a DiffContext<'a>,
    steps: Vec<Step<'a>>,
    /// Object field names from the root (list positions left out), for merge keys.
    fields: Vec<&'a str>,
    /// The merge keys of the object's kind.
    kind_keys: KindKeys<'a>,
    /// Reused to join `fields` at each list.
    path_buffer: String,
    changes: Vec<Change>,
    ignored: usize,
    /// Ignore-trie nodes reached at each depth (only when rules apply).
    active: Vec<Vec<usize>>,
    /// Depth at which an ignored subtree started.
    ignoring_from: Option<usize>,
    previous_root: Option<&'a Value>,
    /// The previous desired state along the current path (entry `k` after `k` steps),
    /// resolved only as deep as a live-only field has needed it: most fields are on
    /// both sides, and reaching into a third tree at each of them cost as much time
    /// as the rest of the walk (in cache misses, not instructions).
    previous: Vec<PreviousAt<'a>>,
}

/// The previous desired state at one depth of the current path.
struct PreviousAt<'a> {
    value: Option<&'a Value>,
    /// When `value` is a keyed list: its keys, made the first time an item is looked up.
    keys: OnceCell<Option<ListKeys<'a>>>,
}

/// What one walk found.
pub struct Outcome {
    pub changes: Vec<Change>,
    /// Differences that ignore rules suppressed.
    pub ignored: usize,
}

impl<'a> Walker<'a> {
    pub fn new(ctx: &'a DiffContext<'a>) -> Self {
        let active = if ctx.ignore.is_some() { vec![vec![IgnoreTrie::ROOT]] } else { Vec::new() };
        Self {
            ctx,
            // Deep enough for a pod template's lists, so that they are not grown step by step.
            steps: Vec::with_capacity(TYPICAL_DEPTH),
            fields: Vec::with_capacity(TYPICAL_DEPTH),
            kind_keys: ctx.keys.kind(ctx.kind.group, ctx.kind.kind),
            path_buffer: String::with_capacity(TYPICAL_DEPTH * 8),
            changes: Vec::new(),
            ignored: 0,
            active,
            ignoring_from: None,
            previous_root: None,
            previous: Vec::new(),
        }
    }

    pub fn run(mut self, desired: &'a Value, live: &'a Value, previous: Option<&'a Value>) -> Outcome {
        self.previous_root = previous;
        self.compare(desired, live);
        Outcome { changes: self.changes, ignored: self.ignored }
    }

    fn record(&mut self, op: Op, desired: Option<&Value>, live: Option<&Value>) {
        if self.ignoring_from.is_some() {
            self.ignored += 1;
            return;
        }
        self.changes.push(Change {
            op,
            pointer: pointer(&self.steps),
            path: readable(&self.steps),
            desired: desired.cloned(),
            live: live.cloned(),
        });
    }

    /// Descends one step; `items` are the desired and live values at the step, which
    /// keyed ignore patterns look at.
    fn enter(&mut self, step: Step<'a>, items: [Option<&Value>; 2]) {
        if let Step::Field(name) = step {
            self.fields.push(name);
        }
        if let Some(trie) = self.ctx.ignore {
            let mut next = Vec::new();
            let parent = self.active.last().map(Vec::as_slice).unwrap_or_default();
            if self.ignoring_from.is_none() && trie.advance(parent, &step, items, &mut next) {
                self.ignoring_from = Some(self.steps.len() + 1);
            }
            self.active.push(next);
        }
        self.steps.push(step);
    }

    fn leave(&mut self) {
        if self.ignoring_from == Some(self.steps.len()) {
            self.ignoring_from = None;
        }
        if let Some(Step::Field(_)) = self.steps.pop() {
            self.fields.pop();
        }
        self.previous.truncate(self.steps.len() + 1);
        if self.ctx.ignore.is_some() {
            self.active.pop();
        }
    }

    /// Whether a value on one side counts as absent: null always; `""`, `{}` and `[]`
    /// under the "empties" rule, except empty strings in maps of user data.
    fn counts_as_absent(&self, value: &Value) -> bool {
        if matches!(value, Value::Null) {
            return true;
        }
        if !self.ctx.empty_is_absent || !value.is_empty_like() {
            return false;
        }
        // Called at the value's own step: its container is the field before it.
        let container = match self.steps.last() {
            Some(Step::Field(_)) => self.fields.iter().rev().nth(1),
            _ => self.fields.last(),
        };
        // Secret data is the exception: the API server drops empty values there (Argo
        // CD's wordpress fixture shows it), so an empty value equals an absent key.
        let secret_data = self.ctx.kind.kind == "Secret" && container == Some(&"data");
        let in_user_data = !secret_data && container.is_some_and(|f| USER_DATA_MAPS.contains(f));
        !(in_user_data && matches!(value, Value::String(_)))
    }

    /// A key field that desired leaves out and the server fills with its default
    /// (`protocol: TCP` in a port): the item's key already says so; not drift.
    fn is_defaulted_key(&self, field: &str, live: &Value) -> bool {
        let Some(Step::Keyed { fields, .. }) = self.steps.iter().rev().nth(1) else { return false };
        fields.iter().any(|f| f.name == field && f.default.is_some_and(|d| live.as_str() == Some(d)))
    }

    /// Whether a field live has and desired does not is drift; `previously_set` is
    /// asked only under three-way.
    fn live_only_is_drift(&mut self, live: &Value, previously_set: impl FnOnce(&mut Self) -> bool) -> bool {
        !self.counts_as_absent(live)
            && match self.ctx.mode {
                super::Mode::Strict => true,
                super::Mode::ThreeWay => previously_set(self),
            }
    }

    /// The previous desired state at the current path.
    fn previous_here(&mut self) -> Option<&'a Value> {
        let depth = self.steps.len();
        while self.previous.len() <= depth {
            let value = match self.previous.len() {
                0 => self.previous_root,
                resolved => self.previous_child(resolved - 1),
            };
            self.previous.push(PreviousAt { value, keys: OnceCell::new() });
        }
        self.previous[depth].value
    }

    /// The previous state one step below `depth`, which is resolved: the same field,
    /// the item with the same key, or the same position in a list of the same length.
    fn previous_child(&self, depth: usize) -> Option<&'a Value> {
        let parent = &self.previous[depth];
        let value = parent.value?;
        match self.steps[depth] {
            Step::Field(name) => value.as_object()?.get(name),
            Step::Index { index, len } => value.as_array().filter(|p| p.len() == len).map(|p| &p[index]),
            Step::Keyed { item, live_index, fields } => {
                let items = value.as_array()?;
                let keys = parent.keys.get_or_init(|| ListKeys::new(items, fields)).as_ref()?;
                keys.find_item(item, fields, live_index.unwrap_or(0)).map(|i| &items[i])
            }
        }
    }

    /// Whether the previous state of the keyed list at the current path has `item`.
    fn previous_has_item(&mut self, item: &Value, fields: &'a [KeyField], hint: usize) -> bool {
        let Some(items) = self.previous_here().and_then(Value::as_array) else { return false };
        let keys = self.previous[self.steps.len()].keys.get_or_init(|| ListKeys::new(items, fields));
        keys.as_ref().is_some_and(|keys| keys.find_item(item, fields, hint).is_some())
    }

    fn compare(&mut self, desired: &'a Value, live: &'a Value) {
        match (desired, live) {
            (Value::Object(d), Value::Object(l)) => self.compare_maps(d, l),
            (Value::Array(d), Value::Array(l)) => self.compare_lists(d, l),
            _ if desired == live => {}
            _ => self.record(Op::Replace, Some(desired), Some(live)),
        }
    }

    fn compare_maps(&mut self, desired: &'a Map, live: &'a Map) {
        let mut d_iter = desired.iter().peekable();
        let mut l_iter = live.iter().peekable();
        loop {
            let order = match (d_iter.peek(), l_iter.peek()) {
                (None, None) => break,
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (Some((dk, _)), Some((lk, _))) => dk.cmp(lk),
            };
            let (key, d, l) = match order {
                Ordering::Equal => match (d_iter.next(), l_iter.next()) {
                    (Some((key, d)), Some((_, l))) => (key, Some(d), Some(l)),
                    _ => break,
                },
                Ordering::Less => match d_iter.next() {
                    Some((key, d)) => (key, Some(d), None),
                    None => break,
                },
                Ordering::Greater => match l_iter.next() {
                    Some((key, l)) => (key, None, Some(l)),
                    None => break,
                },
            };
            // The pairing already matched group and kind; the version is not identity
            // and its field layout differences are what the normalizers absorb.
            if self.steps.is_empty() && IDENTITY_FIELDS.contains(&key) {
                continue;
            }
            self.enter(Step::Field(key), [d, l]);
            match (d, l) {
                (Some(d), Some(l)) => self.compare(d, l),
                (Some(d), None) if !self.counts_as_absent(d) => self.record(Op::Add, Some(d), None),
                (None, Some(l)) => {
                    let set_before = |walker: &mut Self| walker.previous_here().is_some_and(|v| !v.is_empty_like());
                    if self.live_only_is_drift(l, set_before) && !self.is_defaulted_key(key, l) {
                        self.removed_from_git(l);
                    }
                }
                _ => {}
            }
            self.leave();
        }
    }

    /// A field Git no longer sets but a previous apply did. Under three-way, a map (or
    /// keyed list) is walked against nothing, so that only what was applied before is
    /// reported, key by key; live-only keys that controllers added stay out of it.
    fn removed_from_git(&mut self, live: &'a Value) {
        if self.ctx.mode == super::Mode::ThreeWay {
            match (live, self.previous_here()) {
                (Value::Object(l), Some(Value::Object(_))) => return self.compare_maps(&EMPTY_MAP, l),
                (Value::Array(l), Some(Value::Array(_))) if self.is_keyed(l) => return self.compare_lists(&[], l),
                _ => {}
            }
        }
        self.record(Op::Remove, None, Some(live));
    }

    fn is_keyed(&mut self, items: &[Value]) -> bool {
        self.list_kind().0.is_some_and(|fields| ListKeys::new(items, fields).is_some())
    }

    /// What the merge-key table says of the list at the current path: its key, if
    /// keyed, and whether it is a set.
    fn list_kind(&mut self) -> (Option<&'a [KeyField]>, bool) {
        let path = ListPath::new(&self.fields, &mut self.path_buffer);
        (self.kind_keys.lookup(&path), self.kind_keys.is_set(&path))
    }

    fn compare_lists(&mut self, desired: &'a [Value], live: &'a [Value]) {
        let (key_fields, is_set) = self.list_kind();
        if let Some(fields) = key_fields {
            if let (Some(d_keys), Some(l_keys)) = (ListKeys::new(desired, fields), ListKeys::new(live, fields)) {
                return self.compare_keyed(fields, (desired, &d_keys), (live, &l_keys));
            }
        }
        if is_set && same_members(desired, live) {
            return;
        }
        self.compare_ordered(desired, live);
    }

    /// Ordered lists: item by item when the lengths agree, else one replacement.
    fn compare_ordered(&mut self, desired: &'a [Value], live: &'a [Value]) {
        if desired.len() != live.len() {
            self.record(Op::Replace, Some(&Value::Array(desired.to_vec())), Some(&Value::Array(live.to_vec())));
            return;
        }
        for (index, (d, l)) in desired.iter().zip(live).enumerate() {
            self.enter(Step::Index { index, len: desired.len() }, [Some(d), Some(l)]);
            self.compare(d, l);
            self.leave();
        }
    }

    fn compare_keyed(
        &mut self,
        fields: &'a [KeyField],
        (desired, d_keys): (&'a [Value], &ListKeys<'a>),
        (live, l_keys): (&'a [Value], &ListKeys<'a>),
    ) {
        // Where the next item is expected in live if both sides keep the same order.
        let mut expected_live = 0;
        let mut matched = 0;
        for (di, d_item) in desired.iter().enumerate() {
            let key = d_keys.key(di);
            let found = l_keys.find(key, expected_live);
            self.enter(
                Step::Keyed { item: d_item, live_index: found, fields },
                [Some(d_item), found.map(|li| &live[li])],
            );
            match found {
                Some(li) => {
                    (expected_live, matched) = (li + 1, matched + 1);
                    self.compare(d_item, &live[li]);
                }
                None => self.record(Op::Add, Some(d_item), None),
            }
            self.leave();
        }
        if matched == live.len() {
            return;
        }
        for (li, l_item) in live.iter().enumerate() {
            let key = l_keys.key(li);
            // Keys are unique on both sides, so a live item was matched iff desired has its key.
            if d_keys.find(key, li).is_some() {
                continue;
            }
            // Asked at the list's own depth, before entering the item.
            let previously_set = self.ctx.mode == super::Mode::ThreeWay && self.previous_has_item(l_item, fields, li);
            self.enter(Step::Keyed { item: l_item, live_index: Some(li), fields }, [None, Some(l_item)]);
            if self.live_only_is_drift(l_item, |_| previously_set) {
                self.record(Op::Remove, None, Some(l_item));
            }
            self.leave();
        }
    }
}

/// Same members regardless of order (and multiplicity), for set lists.
fn same_members(a: &[Value], b: &[Value]) -> bool {
    a.iter().all(|x| b.contains(x)) && b.iter().all(|x| a.contains(x))
}
