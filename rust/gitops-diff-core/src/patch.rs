//! Remediation patches: the changes of one object as an RFC 6902 JSON Patch that
//! applies cleanly to its normalized live state, and as an RFC 7386 JSON Merge Patch.
//!
//! Change pointers address the live object (keyed list items by their live index,
//! `-` for an item live lacks), so a JSON Patch is the changes in an order that keeps
//! every index valid while it is applied:
//!
//! 1. operations in place (replacements, and adds of map keys): no list changes length;
//! 2. appends (`/-`): they grow lists at the end, so no existing index moves;
//! 3. removes, deepest and highest index first (pointers compared segment by segment,
//!    list indices as numbers, in descending order): removing an item only moves the
//!    items after it, which no later operation addresses.
//!
//! A merge patch cannot address list items: a change inside a list carries the whole
//! list as it is after the JSON Patch (live items that are not drift, such as server
//! defaults inside containers, are kept).
//!
//! Patches are applied with the maintained `json-patch` crate.

use std::cmp::Ordering;

use crate::diff::{Change, Op};
use crate::value::{Map, Value};

/// Why a patch could not be read or applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PatchError {
    /// The patch is not an RFC 6902 document (not a list of operations, unknown op,
    /// missing member).
    #[error("not a valid JSON Patch: {0}")]
    Invalid(String),
    /// An operation failed (path missing, failed test, ...): nothing is applied.
    #[error("{0}")]
    Apply(String),
}

/// The changes of one object as an RFC 6902 JSON Patch (a list of operations) that
/// turns its normalized live state into the desired state on every compared field.
pub fn json_patch(changes: &[Change]) -> Value {
    Value::Array(ordered(changes).into_iter().map(|c| operation(c, &c.pointer)).collect())
}

/// The changes in the order their JSON Patch operations apply in (see the module doc).
fn ordered(changes: &[Change]) -> Vec<&Change> {
    let mut in_place = Vec::new();
    let mut appends = Vec::new();
    let mut removes = Vec::new();
    for change in changes {
        match change.op {
            Op::Remove => removes.push(change),
            Op::Add if change.pointer.ends_with("/-") => appends.push(change),
            Op::Add | Op::Replace => in_place.push(change),
        }
    }
    removes.sort_by(|a, b| pointer_order(&b.pointer, &a.pointer));
    in_place.into_iter().chain(appends).chain(removes).collect()
}

fn operation(change: &Change, path: &str) -> Value {
    let op = match change.op {
        Op::Add => "add",
        Op::Remove => "remove",
        Op::Replace => "replace",
    };
    let mut entries =
        vec![("op".to_owned(), Value::String(op.to_owned())), ("path".to_owned(), Value::String(path.to_owned()))];
    if change.op != Op::Remove {
        entries.push(("value".to_owned(), change.desired.clone().unwrap_or(Value::Null)));
    }
    Value::Object(Map::from_sorted_unique(entries))
}

/// Orders pointers segment by segment; two list indices compare as numbers.
fn pointer_order(a: &str, b: &str) -> Ordering {
    let mut left = a.split('/');
    let mut right = b.split('/');
    loop {
        match (left.next(), right.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) => {
                let order = match (x.parse::<u64>(), y.parse::<u64>()) {
                    (Ok(i), Ok(j)) => i.cmp(&j),
                    _ => x.cmp(y),
                };
                if order != Ordering::Equal {
                    return order;
                }
            }
        }
    }
}

/// The changes of one object as an RFC 7386 merge patch against `live` (the normalized
/// live object the changes were computed on). Work is proportional to the changes and
/// the lists they touch: only those lists are patched.
pub fn merge_patch(live: &Value, changes: &[Change]) -> Result<Value, PatchError> {
    let mut out = Map::new();
    // The lists that changes reach into (by their pointer prefix), with those changes
    // in patch order.
    let mut lists: Vec<(Vec<String>, Vec<&Change>)> = Vec::new();
    for change in ordered(changes) {
        let segments = split_pointer(&change.pointer);
        let cut = first_list(live, &segments);
        if cut == 0 {
            // The whole object (or a list at the root): patch it all.
            let patched = apply_json_patch(live, &json_patch(changes))?;
            return Ok(whole_object_merge_patch(live, &patched));
        }
        if cut == segments.len() {
            let value = match change.op {
                Op::Remove => Value::Null,
                Op::Add | Op::Replace => change.desired.clone().unwrap_or(Value::Null),
            };
            insert_at(&mut out, &segments, value);
            continue;
        }
        let prefix = segments[..cut].to_vec();
        match lists.iter_mut().find(|(p, _)| *p == prefix) {
            Some((_, members)) => members.push(change),
            None => lists.push((prefix, vec![change])),
        }
    }
    for (prefix, members) in lists {
        let Some(list) = lookup(live, &prefix) else { continue };
        let base = join_pointer(&prefix);
        let operations =
            members.iter().map(|c| operation(c, c.pointer.strip_prefix(base.as_str()).unwrap_or(&c.pointer))).collect();
        let patched = apply_json_patch(list, &Value::Array(operations))?;
        insert_at(&mut out, &prefix, patched);
    }
    Ok(Value::Object(out))
}

/// How many leading segments of a pointer lead through maps of `live`: a change below
/// a list is carried by the whole list.
fn first_list(live: &Value, segments: &[String]) -> usize {
    let mut node = Some(live);
    for (i, segment) in segments.iter().enumerate() {
        match node {
            Some(Value::Array(_)) => return i,
            Some(Value::Object(map)) => node = map.get(segment),
            _ => node = None,
        }
    }
    segments.len()
}

fn lookup<'v>(value: &'v Value, segments: &[String]) -> Option<&'v Value> {
    segments.iter().try_fold(value, |node, segment| match node {
        Value::Object(map) => map.get(segment),
        Value::Array(items) => segment.parse::<usize>().ok().and_then(|i| items.get(i)),
        _ => None,
    })
}

/// Sets `value` at `segments` in a merge patch, creating the maps on the way. Below a
/// value already set (a whole list), there is nothing to add: it holds this change.
fn insert_at(out: &mut Map, segments: &[String], value: Value) {
    let Some((last, parents)) = segments.split_last() else { return };
    let mut node = out;
    for segment in parents {
        if node.get(segment).is_none() {
            node.insert(segment.clone(), Value::Object(Map::new()));
        }
        match node.get_mut(segment) {
            Some(Value::Object(child)) => node = child,
            _ => return,
        }
    }
    node.insert(last.clone(), value);
}

/// A merge patch that turns `live` into `patched` at the top level.
fn whole_object_merge_patch(live: &Value, patched: &Value) -> Value {
    match (live, patched) {
        (Value::Object(l), Value::Object(p)) => {
            let mut out = p.clone();
            for key in l.keys().filter(|k| p.get(k).is_none()) {
                out.insert(key.to_owned(), Value::Null);
            }
            Value::Object(out)
        }
        _ => patched.clone(),
    }
}

/// RFC 6901: `["a/b", "c"]` -> `/a~1b/c`.
fn join_pointer(segments: &[String]) -> String {
    segments.iter().map(|s| format!("/{}", s.replace('~', "~0").replace('/', "~1"))).collect()
}

/// RFC 6901: `/a~1b/c` -> `["a/b", "c"]`; the empty pointer is the whole document.
fn split_pointer(pointer: &str) -> Vec<String> {
    if pointer.is_empty() {
        return Vec::new();
    }
    pointer.split('/').skip(1).map(|s| s.replace("~1", "/").replace("~0", "~")).collect()
}

/// Applies an RFC 6902 JSON Patch (a list of operations) to a copy of `doc`. All or
/// nothing: when an operation fails, the error says which.
pub fn apply_json_patch(doc: &Value, patch: &Value) -> Result<Value, PatchError> {
    let operations: json_patch::Patch =
        serde_json::from_value(to_json(patch)).map_err(|e| PatchError::Invalid(e.to_string()))?;
    let mut target = to_json(doc);
    json_patch::patch(&mut target, &operations).map_err(|e| PatchError::Apply(e.to_string()))?;
    from_json(target)
}

/// Applies an RFC 7386 JSON Merge Patch to a copy of `doc` (it cannot fail).
pub fn apply_merge_patch(doc: &Value, patch: &Value) -> Result<Value, PatchError> {
    let mut target = to_json(doc);
    json_patch::merge(&mut target, &to_json(patch));
    from_json(target)
}

fn to_json(value: &Value) -> serde_json::Value {
    use serde_json::Value as J;
    match value {
        Value::Null => J::Null,
        Value::Bool(b) => J::Bool(*b),
        Value::Int(i) => J::from(*i),
        Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
        Value::String(s) => J::String(s.clone()),
        Value::Array(items) => J::Array(items.iter().map(to_json).collect()),
        Value::Object(map) => J::Object(map.iter().map(|(k, v)| (k.to_owned(), to_json(v))).collect()),
    }
}

fn from_json(value: serde_json::Value) -> Result<Value, PatchError> {
    use serde_json::Value as J;
    Ok(match value {
        J::Null => Value::Null,
        J::Bool(b) => Value::Bool(b),
        J::Number(n) => match n.as_i64() {
            Some(i) => Value::Int(i),
            None => Value::Float(n.as_f64().unwrap_or_default()),
        },
        J::String(s) => Value::String(s),
        J::Array(items) => Value::Array(items.into_iter().map(from_json).collect::<Result<_, _>>()?),
        J::Object(map) => {
            let entries = map.into_iter().map(|(k, v)| Ok((k, from_json(v)?))).collect::<Result<Vec<_>, _>>()?;
            Value::Object(
                Map::from_entries(entries).map_err(|dup| PatchError::Apply(format!("duplicate key {:?}", dup.0)))?,
            )
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::ignore::IgnoreTrie;
    use crate::diff::merge_keys::MergeKeyTable;
    use crate::diff::{diff_objects, DiffContext, Mode, ObjectKind};
    use proptest::prelude::*;

    const POD: ObjectKind<'static> = ObjectKind { group: "", kind: "Pod" };

    fn yaml(text: &str) -> Value {
        crate::load::test_object(text)
    }

    fn changes(desired: &Value, live: &Value, previous: Option<&Value>, mode: Mode) -> Vec<Change> {
        let keys = MergeKeyTable::builtin();
        let ctx = DiffContext { kind: POD, mode, empty_is_absent: true, keys: &keys, ignore: None::<&IgnoreTrie> };
        diff_objects(desired, live, previous, &ctx).changes
    }

    fn pointers(patch: &Value) -> Vec<(String, String)> {
        patch
            .as_array()
            .unwrap()
            .iter()
            .map(|op| (op.str_at(&["op"]).unwrap().to_owned(), op.str_at(&["path"]).unwrap().to_owned()))
            .collect()
    }

    #[test]
    fn operations_in_place_then_appends_then_removes_from_the_highest_index() {
        let live = yaml(
            "spec:\n  containers:\n  - {name: a, image: '1'}\n  - {name: b, image: '1', env: [{name: X, value: '1'}]}\n  \
             - {name: c, image: '1'}\n  - {name: d, image: '1', env: [{name: Y, value: '1'}, {name: Z, value: '1'}]}\n",
        );
        let desired = yaml(
            "spec:\n  containers:\n  - {name: d, image: '2', env: [{name: W, value: '1'}]}\n  - {name: e, image: '1'}\n",
        );
        let patch = json_patch(&changes(&desired, &live, None, Mode::Strict));
        assert_eq!(
            pointers(&patch),
            [
                ("replace", "/spec/containers/3/image"),
                ("add", "/spec/containers/3/env/-"),
                ("add", "/spec/containers/-"),
                ("remove", "/spec/containers/3/env/1"),
                ("remove", "/spec/containers/3/env/0"),
                ("remove", "/spec/containers/2"),
                ("remove", "/spec/containers/1"),
                ("remove", "/spec/containers/0"),
            ]
            .map(|(a, b)| (a.to_owned(), b.to_owned()))
        );
        let patched = apply_json_patch(&live, &patch).unwrap();
        assert!(changes(&desired, &patched, None, Mode::Strict).is_empty());
    }

    #[test]
    fn pointer_order_compares_indices_as_numbers() {
        assert_eq!(pointer_order("/a/10", "/a/9"), Ordering::Greater);
        assert_eq!(pointer_order("/a/9/b", "/a/9"), Ordering::Greater);
        assert_eq!(pointer_order("/a/b", "/a/c"), Ordering::Less);
    }

    #[test]
    fn merge_patch_sets_map_fields_nulls_removals_and_carries_whole_lists() {
        let live = yaml(
            "metadata: {labels: {old: x, keep: y}}\nspec:\n  replicas: 4\n  containers:\n  \
             - {name: a, image: '1', terminationMessagePath: /dev/termination-log}\n",
        );
        let desired = yaml(
            "metadata: {labels: {keep: y, new: z}}\nspec:\n  replicas: 2\n  containers:\n  - {name: a, image: '2'}\n",
        );
        let previous = yaml("metadata: {labels: {old: x, keep: y}}\n");
        let found = changes(&desired, &live, Some(&previous), Mode::ThreeWay);
        let patch = merge_patch(&live, &found).unwrap();
        let expected = yaml(
            "metadata: {labels: {new: z, old: null}}\nspec:\n  replicas: 2\n  containers:\n  \
             - {name: a, image: '2', terminationMessagePath: /dev/termination-log}\n",
        );
        assert_eq!(patch, expected);
        let merged = apply_merge_patch(&live, &patch).unwrap();
        assert!(changes(&desired, &merged, Some(&previous), Mode::ThreeWay).is_empty());
    }

    #[test]
    fn invalid_patches_and_failed_operations_are_errors() {
        let doc = yaml("a: 1\n");
        assert!(matches!(apply_json_patch(&doc, &yaml("op: add\n")), Err(PatchError::Invalid(_))));
        let remove_missing = Value::Array(vec![yaml("{op: remove, path: /b}\n")]);
        assert!(matches!(apply_json_patch(&doc, &remove_missing), Err(PatchError::Apply(_))));
    }

    #[test]
    fn values_survive_the_round_trip_through_the_patch_library() {
        let doc = yaml("i: 7\nf: 2.5\nwhole: 2.0\nbig: 18446744073709551615\ns: x\nn: null\nl: [true, {a: []}]\n");
        let out = apply_json_patch(&doc, &Value::Array(Vec::new())).unwrap();
        assert_eq!(out, doc);
        assert!(matches!(out.get_path(&["whole"]), Some(Value::Float(_))));
        assert!(matches!(out.get_path(&["i"]), Some(Value::Int(7))));
    }

    fn object(entries: Vec<(String, Value)>) -> Value {
        let mut map = Map::new();
        for (k, v) in entries {
            map.insert(k, v);
        }
        Value::Object(map)
    }

    fn scalar() -> BoxedStrategy<Value> {
        prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            (-2i64..3).prop_map(Value::Int),
            Just(Value::Float(0.5)),
            prop::sample::select(vec!["", "a", "b", "line 1\nline 2\n"]).prop_map(|s| Value::String(s.into())),
        ]
        .boxed()
    }

    fn field() -> impl Strategy<Value = String> {
        prop::sample::select(vec!["a", "b", "c", "data", "x/y"]).prop_map(str::to_owned)
    }

    fn tree() -> BoxedStrategy<Value> {
        scalar()
            .prop_recursive(3, 20, 3, |inner| {
                prop_oneof![
                    prop::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
                    prop::collection::vec((field(), inner), 0..3).prop_map(object),
                ]
            })
            .boxed()
    }

    fn named(names: &'static [&'static str], body: BoxedStrategy<Value>) -> BoxedStrategy<Value> {
        prop::sample::subsequence(names, 0..=names.len())
            .prop_flat_map(move |names| {
                let items: Vec<_> = names
                    .into_iter()
                    .map(|n| {
                        body.clone().prop_map(move |mut item| {
                            if let Some(map) = item.as_object_mut() {
                                map.insert("name".into(), Value::String(n.into()));
                            }
                            item
                        })
                    })
                    .collect();
                items
            })
            .prop_shuffle()
            .prop_map(Value::Array)
            .boxed()
    }

    /// Ports with distinct keys (`protocol` defaults to TCP in the key): a list whose
    /// keys repeat is compared by position, and once patched it may become keyed, so
    /// a second diff would pair its items differently.
    fn ports() -> BoxedStrategy<Value> {
        const KEYS: &[(i64, Option<&str>)] = &[(80, None), (81, Some("TCP")), (81, Some("UDP")), (82, None)];
        prop::sample::subsequence(KEYS, 0..=KEYS.len())
            .prop_flat_map(|keys| {
                keys.into_iter()
                    .map(|(number, protocol)| {
                        tree().prop_map(move |extra| {
                            let mut entries =
                                vec![("containerPort".to_owned(), Value::Int(number)), ("extra".to_owned(), extra)];
                            if let Some(p) = protocol {
                                entries.push(("protocol".to_owned(), Value::String(p.into())));
                            }
                            object(entries)
                        })
                    })
                    .collect::<Vec<_>>()
            })
            .prop_shuffle()
            .prop_map(Value::Array)
            .boxed()
    }

    fn container() -> BoxedStrategy<Value> {
        let env = named(&["A", "B", "C"], tree().prop_map(|v| object(vec![("value".into(), v)])).boxed());
        (tree(), env, ports(), tree(), prop::collection::vec(scalar(), 0..3))
            .prop_map(|(image, env, ports, extra, args)| {
                object(vec![
                    ("image".into(), image),
                    ("env".into(), env),
                    ("ports".into(), ports),
                    ("extra".into(), extra),
                    ("args".into(), Value::Array(args)),
                ])
            })
            .boxed()
    }

    fn pod() -> impl Strategy<Value = Value> {
        (named(&["app", "side", "init"], container()), prop::collection::vec((field(), tree()), 0..3), tree()).prop_map(
            |(containers, labels, other)| {
                object(vec![
                    ("metadata".into(), object(vec![("labels".into(), object(labels))])),
                    ("spec".into(), object(vec![("containers".into(), containers), ("other".into(), other)])),
                ])
            },
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn applying_the_patches_to_live_yields_the_desired_state_on_every_compared_field(
            desired in pod(),
            live in pod(),
            previous in prop::option::of(pod()),
            strict in any::<bool>(),
        ) {
            let mode = if strict { Mode::Strict } else { Mode::ThreeWay };
            let found = changes(&desired, &live, previous.as_ref(), mode);
            let patched = apply_json_patch(&live, &json_patch(&found));
            prop_assert!(patched.is_ok(), "{:?}", patched);
            let patched = patched.unwrap_or(Value::Null);
            let left = changes(&desired, &patched, previous.as_ref(), mode);
            prop_assert!(left.is_empty(), "after the JSON Patch: {:?}", left);
            let merged = merge_patch(&live, &found).and_then(|p| apply_merge_patch(&live, &p));
            prop_assert!(merged.is_ok(), "{:?}", merged);
            let left = changes(&desired, &merged.unwrap_or(Value::Null), previous.as_ref(), mode);
            prop_assert!(left.is_empty(), "after the merge patch: {:?}", left);
        }
    }
}
