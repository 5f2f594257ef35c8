//! Patch round trip: for desired, live and (optionally) previous objects (the input
//! split at NUL bytes, each loaded as YAML or JSON), the remediation patches of their
//! diff apply to live, and the patched live has no difference left, in both modes.
#![no_main]

use gitops_diff_core::diff::ignore::IgnoreTrie;
use gitops_diff_core::diff::merge_keys::MergeKeyTable;
use gitops_diff_core::diff::{diff_objects, DiffContext, ObjectKind};
use gitops_diff_core::patch::{apply_json_patch, apply_merge_patch, json_patch, merge_patch};
use gitops_diff_core::{load_bytes, Change, Format, Limits, Mode, Value};
use libfuzzer_sys::fuzz_target;

/// The first object of a source, if it loads.
fn first_object(bytes: &[u8]) -> Option<Value> {
    load_bytes(bytes, "fuzz", Format::Auto, &Limits::default()).ok()?.into_iter().next().map(|d| d.value)
}

fn changes(desired: &Value, live: &Value, previous: Option<&Value>, ctx: &DiffContext<'_>) -> Vec<Change> {
    diff_objects(desired, live, previous, ctx).changes
}

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(3, |&b| b == 0);
    let (Some(desired), Some(live)) = (parts.next().and_then(first_object), parts.next().and_then(first_object)) else {
        return;
    };
    let previous = parts.next().and_then(first_object);
    let keys = MergeKeyTable::builtin();
    let kind = desired.str_at(&["kind"]).unwrap_or("Pod").to_owned();
    for mode in [Mode::Strict, Mode::ThreeWay] {
        let ctx = DiffContext {
            kind: ObjectKind { group: "", kind: &kind },
            mode,
            empty_is_absent: true,
            keys: &keys,
            ignore: None::<&IgnoreTrie>,
        };
        let found = changes(&desired, &live, previous.as_ref(), &ctx);
        let patch = json_patch(&found);
        let patched = apply_json_patch(&live, &patch)
            .unwrap_or_else(|e| panic!("the JSON Patch does not apply: {e}\npatch: {patch:?}"));
        let left = changes(&desired, &patched, previous.as_ref(), &ctx);
        assert!(left.is_empty(), "after the JSON Patch ({mode:?}): {left:?}\npatch: {patch:?}");
        let merge = merge_patch(&live, &found).unwrap_or_else(|e| panic!("no merge patch: {e}"));
        let merged = apply_merge_patch(&live, &merge)
            .unwrap_or_else(|e| panic!("the merge patch does not apply: {e}\npatch: {merge:?}"));
        let left = changes(&desired, &merged, previous.as_ref(), &ctx);
        assert!(left.is_empty(), "after the merge patch ({mode:?}): {left:?}\npatch: {merge:?}");
    }
});
