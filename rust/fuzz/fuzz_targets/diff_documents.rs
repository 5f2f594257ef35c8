//! Two arbitrary documents (split at the first NUL byte; without one, the input is
//! diffed against itself), loaded, normalized and diffed in both modes.
//!
//! Invariants: a set diffed with itself has no drift; normalizing twice equals
//! normalizing once; diffing never panics and its report serializes.
#![no_main]

use gitops_diff_core::engine::normalize_set;
use gitops_diff_core::identity::{identify, ScopeTable};
use gitops_diff_core::normalize::normalize;
use gitops_diff_core::{diff_sets, load_bytes, DiffOptions, Document, ExtraScope, Format, Limits, Mode};
use libfuzzer_sys::fuzz_target;

fn load(bytes: &[u8], source: &str) -> Option<Vec<Document>> {
    load_bytes(bytes, source, Format::Auto, &Limits::default()).ok()
}

fn options(mode: Mode) -> DiffOptions {
    DiffOptions {
        mode,
        extra_scope: ExtraScope::All,
        masker: Some(gitops_diff_core::mask::Masker::with_salt(1)),
        ..DiffOptions::default()
    }
}

fn check_self_diff_is_empty(docs: &[Document]) {
    for mode in [Mode::ThreeWay, Mode::Strict] {
        let Ok(report) = diff_sets(docs, docs, None, &options(mode)) else {
            continue;
        };
        assert!(report.objects.is_empty(), "a set diffed with itself drifts: {}", report.to_json());
        assert_eq!(report.desired_digest, report.live_digest);
    }
}

fn check_normalize_is_idempotent(docs: &[Document]) {
    let scopes = ScopeTable::learn(docs.iter().map(|d| &d.value));
    let options = DiffOptions::default().normalize;
    for doc in docs {
        let Ok(id) = identify(&doc.value, &doc.origin, &scopes, "default") else {
            continue;
        };
        let mut once = doc.value.clone();
        normalize(&mut once, &id, &options);
        let mut twice = once.clone();
        normalize(&mut twice, &id, &options);
        assert_eq!(once, twice, "normalizing twice differs from normalizing once");
    }
}

fuzz_target!(|data: &[u8]| {
    let (desired_bytes, live_bytes) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, data),
    };
    let Some(desired) = load(desired_bytes, "desired.yaml") else {
        return;
    };
    check_self_diff_is_empty(&desired);
    check_normalize_is_idempotent(&desired);
    let _ = normalize_set(&desired, &options(Mode::ThreeWay));
    let Some(live) = load(live_bytes, "live.yaml") else {
        return;
    };
    for mode in [Mode::ThreeWay, Mode::Strict] {
        if let Ok(report) = diff_sets(&desired, &live, Some(&desired), &options(mode)) {
            let _ = report.to_json();
        }
        if let Ok(report) = diff_sets(&desired, &live, None, &options(mode)) {
            let _ = report.to_json();
        }
    }
});
