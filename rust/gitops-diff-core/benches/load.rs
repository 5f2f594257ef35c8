//! Loading: desired YAML files and the live `kubectl get -A -o json` dump, from bytes
//! already in memory (one thread), and the desired folder as the engine reads it
//! (files read and parsed in parallel on all cores). Dropping the parsed trees is not
//! timed.

mod common;

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use gitops_diff_core::{load_paths, Format, Limits};

use common::{load, Corpus};

fn bench_load(c: &mut Criterion) {
    let corpus = Corpus::open();
    let objects = corpus.desired_docs().len() as u64;
    let live_objects = corpus.live_docs().len() as u64;

    let mut group = c.benchmark_group("load");
    group.throughput(Throughput::Bytes(corpus.yaml_bytes()));
    group.bench_function("yaml_files_1_thread", |b| {
        b.iter_batched(
            || (),
            |()| {
                let docs: Vec<_> =
                    corpus.yaml_files.iter().map(|(path, bytes)| load(black_box(bytes), path, Format::Yaml)).collect();
                assert_eq!(docs.iter().map(Vec::len).sum::<usize>() as u64, objects);
                docs
            },
            BatchSize::PerIteration,
        );
    });
    group.bench_function("yaml_folder_all_threads", |b| {
        b.iter_batched(
            || (),
            |()| {
                let docs = load_paths(&[&corpus.desired_dir], &Limits::default()).unwrap_or_else(|e| panic!("{e}"));
                assert_eq!(docs.len() as u64, objects);
                docs
            },
            BatchSize::PerIteration,
        );
    });
    group.throughput(Throughput::Bytes(corpus.live_json.len() as u64));
    group.bench_function("json_list_1_thread", |b| {
        b.iter_batched(
            || (),
            |()| {
                let docs = load(black_box(&corpus.live_json), "live.json", Format::Json);
                assert_eq!(docs.len() as u64, live_objects);
                docs
            },
            BatchSize::PerIteration,
        );
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = common::config();
    targets = bench_load
}
criterion_main!(benches);
