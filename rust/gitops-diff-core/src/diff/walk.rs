//! The tree walk behind [`super::diff_objects`].

use std::collections::HashMap;

use super::merge_keys::{describe_key, item_key, merge_key, KeyField};
use super::path::{pointer, readable, Step};
use super::{Change, Mode, ObjectKind, Op};
use crate::value::{Map, Value};

/// Lists longer than this index their items by key in a hash map; shorter ones are
/// searched linearly, which is faster and allocates nothing.
const LINEAR_SEARCH_MAX: usize = 16;

pub struct Walker<'a> {
    kind: ObjectKind<'a>,
    mode: Mode,
    steps: Vec<Step<'a>>,
    /// Object field names from the root (list positions left out), for merge keys.
    fields: Vec<&'a str>,
    changes: Vec<Change>,
}

impl<'a> Walker<'a> {
    pub fn new(kind: ObjectKind<'a>, mode: Mode) -> Self {
        Self {
            kind,
            mode,
            steps: Vec::new(),
            fields: Vec::new(),
            changes: Vec::new(),
        }
    }

    pub fn run(
        mut self,
        desired: &'a Value,
        live: &'a Value,
        previous: Option<&'a Value>,
    ) -> Vec<Change> {
        self.compare(desired, live, previous);
        self.changes
    }

    fn record(&mut self, op: Op, desired: Option<&Value>, live: Option<&Value>) {
        self.changes.push(Change {
            op,
            pointer: pointer(&self.steps),
            path: readable(&self.steps),
            desired: desired.cloned(),
            live: live.cloned(),
        });
    }

    fn compare(&mut self, desired: &'a Value, live: &'a Value, previous: Option<&'a Value>) {
        match (desired, live) {
            (Value::Object(d), Value::Object(l)) => {
                self.compare_maps(d, l, previous.and_then(Value::as_object))
            }
            (Value::Array(d), Value::Array(l)) => {
                self.compare_lists(d, l, previous.and_then(Value::as_array))
            }
            _ if desired == live => {}
            _ => self.record(Op::Replace, Some(desired), Some(live)),
        }
    }

    /// Whether a field live has and desired does not is drift.
    fn live_only_is_drift(&self, live: &Value, previously_set: bool) -> bool {
        !live.is_empty_like()
            && match self.mode {
                Mode::Strict => true,
                Mode::ThreeWay => previously_set,
            }
    }

    fn compare_maps(&mut self, desired: &'a Map, live: &'a Map, previous: Option<&'a Map>) {
        let mut d_iter = desired.iter().peekable();
        let mut l_iter = live.iter().peekable();
        loop {
            let order = match (d_iter.peek(), l_iter.peek()) {
                (None, None) => break,
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (Some((dk, _)), Some((lk, _))) => dk.cmp(lk),
            };
            match order {
                std::cmp::Ordering::Equal => {
                    let (Some((key, d)), Some((_, l))) = (d_iter.next(), l_iter.next()) else {
                        break;
                    };
                    self.enter_field(key);
                    self.compare(d, l, previous.and_then(|p| p.get(key)));
                    self.leave_field();
                }
                std::cmp::Ordering::Less => {
                    let Some((key, d)) = d_iter.next() else { break };
                    if !d.is_empty_like() {
                        self.enter_field(key);
                        self.record(Op::Add, Some(d), None);
                        self.leave_field();
                    }
                }
                std::cmp::Ordering::Greater => {
                    let Some((key, l)) = l_iter.next() else { break };
                    let previously_set = previous
                        .and_then(|p| p.get(key))
                        .is_some_and(|v| !v.is_empty_like());
                    if self.live_only_is_drift(l, previously_set) {
                        self.enter_field(key);
                        self.record(Op::Remove, None, Some(l));
                        self.leave_field();
                    }
                }
            }
        }
    }

    fn enter_field(&mut self, key: &'a str) {
        self.steps.push(Step::Field(key));
        self.fields.push(key);
    }

    fn leave_field(&mut self) {
        self.steps.pop();
        self.fields.pop();
    }

    fn compare_lists(
        &mut self,
        desired: &'a [Value],
        live: &'a [Value],
        previous: Option<&'a [Value]>,
    ) {
        if let Some(fields) = merge_key(self.kind.group, self.kind.kind, &self.fields) {
            if let (Some(d_keys), Some(l_keys)) =
                (unique_keys(desired, fields), unique_keys(live, fields))
            {
                let p_keys = previous.and_then(|p| unique_keys(p, fields).map(|k| (p, k)));
                return self.compare_keyed(fields, (desired, &d_keys), (live, &l_keys), p_keys);
            }
        }
        self.compare_ordered(desired, live, previous);
    }

    /// Ordered lists: item by item when the lengths agree, else one replacement.
    fn compare_ordered(
        &mut self,
        desired: &'a [Value],
        live: &'a [Value],
        previous: Option<&'a [Value]>,
    ) {
        if desired.len() != live.len() {
            self.record(
                Op::Replace,
                Some(&Value::Array(desired.to_vec())),
                Some(&Value::Array(live.to_vec())),
            );
            return;
        }
        let previous = previous.filter(|p| p.len() == desired.len());
        for (i, (d, l)) in desired.iter().zip(live).enumerate() {
            self.steps.push(Step::Index(i));
            self.compare(d, l, previous.map(|p| &p[i]));
            self.steps.pop();
        }
    }

    fn compare_keyed(
        &mut self,
        fields: &'static [KeyField],
        (desired, d_keys): (&'a [Value], &[Vec<Value>]),
        (live, l_keys): (&'a [Value], &[Vec<Value>]),
        previous: Option<(&'a [Value], Vec<Vec<Value>>)>,
    ) {
        let live_index = KeyIndex::new(l_keys);
        let previous_index = previous.as_ref().map(|(_, keys)| KeyIndex::new(keys));
        let mut matched = vec![false; live.len()];
        for (d_item, key) in desired.iter().zip(d_keys) {
            let found = live_index.find(key);
            self.steps.push(Step::Keyed {
                key: describe_key(fields, key),
                live_index: found,
            });
            match found {
                Some(li) => {
                    matched[li] = true;
                    let p_item = match (&previous, &previous_index) {
                        (Some((p, _)), Some(index)) => index.find(key).map(|pi| &p[pi]),
                        _ => None,
                    };
                    self.compare(d_item, &live[li], p_item);
                }
                None => self.record(Op::Add, Some(d_item), None),
            }
            self.steps.pop();
        }
        for (li, l_item) in live.iter().enumerate().filter(|(i, _)| !matched[*i]) {
            let key = &l_keys[li];
            let previously_set = previous_index
                .as_ref()
                .is_some_and(|index| index.find(key).is_some());
            if self.live_only_is_drift(l_item, previously_set) {
                self.steps.push(Step::Keyed {
                    key: describe_key(fields, key),
                    live_index: Some(li),
                });
                self.record(Op::Remove, None, Some(l_item));
                self.steps.pop();
            }
        }
    }
}

/// Every item's key, or `None` when an item has no key or two items share one
/// (such a list is then compared by position, as the API server would not merge it).
fn unique_keys(items: &[Value], fields: &[KeyField]) -> Option<Vec<Vec<Value>>> {
    let keys: Vec<Vec<Value>> = items
        .iter()
        .map(|i| item_key(i, fields))
        .collect::<Option<_>>()?;
    let index = KeyIndex::new(&keys);
    keys.iter()
        .enumerate()
        .all(|(i, k)| index.find(k) == Some(i))
        .then_some(keys)
}

/// Finds an item by key: linear for short lists, hashed (by canonical text) for long ones.
struct KeyIndex<'k> {
    keys: &'k [Vec<Value>],
    hashed: Option<HashMap<String, usize>>,
}

impl<'k> KeyIndex<'k> {
    fn new(keys: &'k [Vec<Value>]) -> Self {
        let hashed = (keys.len() > LINEAR_SEARCH_MAX).then(|| {
            let mut map = HashMap::with_capacity(keys.len());
            for (i, k) in keys.iter().enumerate() {
                map.entry(key_text(k)).or_insert(i);
            }
            map
        });
        Self { keys, hashed }
    }

    /// The first item with this key.
    fn find(&self, key: &[Value]) -> Option<usize> {
        match &self.hashed {
            Some(map) => map.get(&key_text(key)).copied(),
            None => self.keys.iter().position(|k| k.as_slice() == key),
        }
    }
}

fn key_text(key: &[Value]) -> String {
    crate::canon::canonical_string(&Value::Array(key.to_vec()))
}
