//! Times each phase of a diff on real inputs, for profiling without Python:
//! `cargo run --release -p gitops-diff-core --example phases -- DESIRED LIVE`.

use std::time::Instant;

use gitops_diff_core::{diff_sets, load_paths, DiffOptions, Limits};

/// The allocator the Python extension ships with.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [desired, live] = args.as_slice() else {
        eprintln!("usage: phases DESIRED LIVE");
        std::process::exit(2);
    };
    let limits = Limits::default();
    let start = Instant::now();
    let desired = load_paths(&[desired], &limits).unwrap_or_else(|e| fail(&e));
    let loaded_desired = start.elapsed();
    let live = load_paths(&[live], &limits).unwrap_or_else(|e| fail(&e));
    let loaded_live = start.elapsed() - loaded_desired;
    let before_diff = Instant::now();
    let report = diff_sets(&desired, &live, None, &DiffOptions::default()).unwrap_or_else(|e| fail(&e));
    let diffed = before_diff.elapsed();
    let before_drop = Instant::now();
    drop((desired, live));
    let dropped = before_drop.elapsed();
    println!(
        "load desired {loaded_desired:.2?}, load live {loaded_live:.2?}, diff {diffed:.2?}, free {dropped:.2?}; {:?}",
        report.summary
    );
}

fn fail(e: &gitops_diff_core::Error) -> ! {
    eprintln!("{e}");
    std::process::exit(2)
}
