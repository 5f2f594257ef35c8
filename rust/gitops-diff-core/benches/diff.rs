//! The stages after loading, on pre-parsed objects: normalize, hash, the diff walk of
//! pre-normalized desired/live pairs (and its hash fast path for in-sync pairs), the
//! whole engine on pre-parsed documents, and the Rust `json-patch` crate's `diff` on the
//! same pairs as the naive native peer (converted to `serde_json::Value` beforehand).
//!
//! `threads=1` runs on a one-thread pool, `threads=N` on the global pool (all cores).

mod common;

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use gitops_diff_core::diff::{diff_objects, DiffContext, Mode, ObjectKind};
use gitops_diff_core::hash::hash_value;
use gitops_diff_core::identity::{identify, ResourceId, ScopeTable};
use gitops_diff_core::normalize::{normalize, NormalizeOptions};
use gitops_diff_core::{diff_sets, DiffOptions, Document, Value};
use rayon::prelude::*;
use rayon::ThreadPool;

use common::{builtin_keys, pairs, Corpus, Pair};

fn pools() -> Vec<(String, ThreadPool)> {
    let all = rayon::current_num_threads();
    let mut sizes = vec![1];
    if all > 1 {
        sizes.push(all);
    }
    sizes
        .into_iter()
        .map(|n| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(n).build().unwrap_or_else(|e| panic!("{e}"));
            (format!("threads={n}"), pool)
        })
        .collect()
}

fn identified(docs: &[Document], scopes: &ScopeTable) -> Vec<(ResourceId, Value)> {
    docs.iter()
        .map(|d| {
            let id = identify(&d.value, &d.origin, scopes, "default").unwrap_or_else(|e| panic!("{e}"));
            (id, d.value.clone())
        })
        .collect()
}

struct Inputs {
    desired_docs: Vec<Document>,
    live_docs: Vec<Document>,
    pairs: Vec<Pair>,
}

fn inputs() -> Inputs {
    let corpus = Corpus::open();
    let desired_docs = corpus.desired_docs();
    let live_docs = corpus.live_docs();
    let pairs = pairs(&desired_docs, &live_docs);
    let keys = builtin_keys();
    let equal_hashes = pairs.iter().filter(|p| hash_value(&p.desired) == hash_value(&p.live)).count();
    let drifted = pairs.iter().filter(|p| !walk(p, &p.live, &keys).is_empty()).count();
    eprintln!(
        "{} desired, {} live objects; {} pairs: {} equal by hash after normalization, {} with changes in the walk",
        desired_docs.len(),
        live_docs.len(),
        pairs.len(),
        equal_hashes,
        drifted
    );
    Inputs { desired_docs, live_docs, pairs }
}

/// The walk of one pair against `live` (the pair's own, or a copy of desired).
fn walk(
    pair: &Pair,
    live: &Value,
    keys: &gitops_diff_core::diff::merge_keys::MergeKeyTable,
) -> Vec<gitops_diff_core::Change> {
    let ctx = DiffContext {
        kind: ObjectKind { group: &pair.id.group, kind: &pair.id.kind },
        mode: Mode::ThreeWay,
        empty_is_absent: true,
        keys,
        ignore: None,
    };
    diff_objects(&pair.desired, live, pair.previous.as_ref(), &ctx).changes
}

fn bench_normalize_and_hash(c: &mut Criterion, inputs: &Inputs) {
    let all = inputs.desired_docs.iter().chain(&inputs.live_docs).map(|d| &d.value);
    let scopes = ScopeTable::learn(all);
    let options = NormalizeOptions::default();
    let sides =
        [("desired", identified(&inputs.desired_docs, &scopes)), ("live", identified(&inputs.live_docs, &scopes))];

    let mut group = c.benchmark_group("normalize");
    for (side, objects) in &sides {
        group.throughput(Throughput::Elements(objects.len() as u64));
        group.bench_function(format!("{side}_objects"), |b| {
            b.iter_batched(
                || objects.clone(),
                |mut objects| {
                    for (id, value) in &mut objects {
                        normalize(value, id, &options);
                    }
                    objects
                },
                BatchSize::PerIteration,
            );
        });
    }
    group.finish();

    let mut group = c.benchmark_group("hash");
    for (side, objects) in &sides {
        let normalized: Vec<Value> = objects
            .iter()
            .map(|(id, v)| {
                let mut v = v.clone();
                normalize(&mut v, id, &options);
                v
            })
            .collect();
        group.throughput(Throughput::Elements(normalized.len() as u64));
        group.bench_function(format!("{side}_objects"), |b| {
            b.iter(|| normalized.iter().map(|v| hash_value(black_box(v))).fold(0u128, |a, h| a ^ h));
        });
    }
    group.finish();
}

fn bench_diff(c: &mut Criterion, inputs: &Inputs) {
    let keys = builtin_keys();
    let pairs = &inputs.pairs;
    let copies: Vec<Value> = pairs.iter().map(|p| p.desired.clone()).collect();
    let options = DiffOptions::default();

    let mut group = c.benchmark_group("diff");
    group.throughput(Throughput::Elements(pairs.len() as u64));
    for (threads, pool) in pools() {
        // Realistic pairs: the walk the engine runs when the hashes differ.
        group.bench_function(format!("walk_pairs/{threads}"), |b| {
            b.iter(|| pool.install(|| pairs.par_iter().map(|p| walk(p, &p.live, &keys).len()).sum::<usize>()));
        });
        // In-sync pairs (live equal to desired after normalization): two hashes, one compare.
        group.bench_function(format!("in_sync_hash_fast_path/{threads}"), |b| {
            b.iter(|| {
                pool.install(|| {
                    pairs
                        .par_iter()
                        .zip(copies.par_iter())
                        .filter(|(p, copy)| hash_value(&p.desired) == hash_value(copy))
                        .count()
                })
            });
        });
        // The same in-sync pairs walked instead of hashed.
        group.bench_function(format!("in_sync_walk/{threads}"), |b| {
            b.iter(|| {
                pool.install(|| {
                    pairs.par_iter().zip(copies.par_iter()).map(|(p, copy)| walk(p, copy, &keys).len()).sum::<usize>()
                })
            });
        });
    }
    group.throughput(Throughput::Elements(inputs.desired_docs.len() as u64));
    for (threads, pool) in pools() {
        // The whole engine after loading: identify, pair, normalize, hash, walk, report.
        group.bench_function(format!("engine_pre_parsed/{threads}"), |b| {
            b.iter_batched(
                || (),
                |()| {
                    pool.install(|| diff_sets(&inputs.desired_docs, &inputs.live_docs, None, &options))
                        .unwrap_or_else(|e| panic!("{e}"))
                },
                BatchSize::PerIteration,
            );
        });
    }
    group.finish();
}

fn to_json(v: &Value) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or_else(|e| panic!("{e}"))
}

fn bench_json_patch(c: &mut Criterion, inputs: &Inputs) {
    let normalized: Vec<(serde_json::Value, serde_json::Value)> =
        inputs.pairs.iter().map(|p| (to_json(&p.live), to_json(&p.desired))).collect();
    let raw: Vec<(serde_json::Value, serde_json::Value)> =
        inputs.pairs.iter().map(|p| (to_json(&p.raw_live), to_json(&p.raw_desired))).collect();
    let mut group = c.benchmark_group("json_patch");
    group.throughput(Throughput::Elements(inputs.pairs.len() as u64));
    for (name, pairs) in [("normalized_pairs", &normalized), ("raw_pairs", &raw)] {
        group.bench_function(format!("{name}/threads=1"), |b| {
            b.iter(|| pairs.iter().map(|(live, desired)| json_patch::diff(live, desired).len()).sum::<usize>());
        });
    }
    group.finish();
}

fn bench_all(c: &mut Criterion) {
    let inputs = inputs();
    bench_normalize_and_hash(c, &inputs);
    bench_diff(c, &inputs);
    bench_json_patch(c, &inputs);
}

criterion_group! {
    name = benches;
    config = common::config();
    targets = bench_all
}
criterion_main!(benches);
