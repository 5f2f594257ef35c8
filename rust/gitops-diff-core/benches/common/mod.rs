//! The input every bench reads: a corpus written by the drift generator
//! (`python -m benches.generator --objects N --seed S --out DIR`, see benches/README.md),
//! loaded once, outside every timed loop.
//!
//! The folder comes from `GITOPS_DIFF_BENCH_CORPUS`, else `target/bench-corpus/10000`
//! (what `make bench` generates); without either, the small bundled example stands in
//! so that `cargo bench` always runs, offline.

// Each bench target compiles this module on its own and uses a part of it.
#![allow(dead_code)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::Criterion;
use gitops_diff_core::diff::merge_keys::MergeKeyTable;
use gitops_diff_core::identity::{identify, ResourceId, ScopeTable};
use gitops_diff_core::managed::INJECTED_ANNOTATIONS;
use gitops_diff_core::normalize::{last_applied, normalize, NormalizeOptions};
use gitops_diff_core::{load_bytes, Document, Format, Limits, Value};

/// Short runs: a full `make bench` must finish in minutes. Command-line flags of
/// criterion (`--measurement-time`, `--sample-size`, ...) still override these.
/// The allocator the Python extension ships with, so that figures match what users run.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

pub fn config() -> Criterion {
    Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .without_plots()
}

/// The raw bytes of one corpus: the desired YAML tree and the live dump.
pub struct Corpus {
    pub name: String,
    pub desired_dir: PathBuf,
    /// (path, bytes) of every desired file, in path order.
    pub yaml_files: Vec<(String, Vec<u8>)>,
    pub live_path: PathBuf,
    pub live_json: Vec<u8>,
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

impl Corpus {
    pub fn open() -> Self {
        let root = workspace_root();
        let chosen = std::env::var_os("GITOPS_DIFF_BENCH_CORPUS").map(PathBuf::from);
        let default = root.join("target/bench-corpus/10000");
        let (name, desired_dir, live_path) = match chosen {
            Some(dir) => (dir.display().to_string(), dir.join("desired"), dir.join("live.json")),
            None if default.join("live.json").is_file() => {
                (default.display().to_string(), default.join("desired"), default.join("live.json"))
            }
            None => {
                eprintln!(
                    "note: no generated corpus at {} (make bench-corpus, or set GITOPS_DIFF_BENCH_CORPUS); \
                     benchmarking the small bundled example instead",
                    default.display()
                );
                let example = root.join("examples");
                ("examples".to_owned(), example.join("gitops-repo"), example.join("live/cluster.json"))
            }
        };
        let mut paths = Vec::new();
        collect_yaml(&desired_dir, &mut paths);
        paths.sort();
        let yaml_files = paths.into_iter().map(|p| (p.display().to_string(), read(&p))).collect();
        let live_json = read(&live_path);
        let corpus = Self { name, desired_dir, yaml_files, live_path, live_json };
        eprintln!(
            "corpus {}: {} desired files ({:.1} MB), live dump {:.1} MB",
            corpus.name,
            corpus.yaml_files.len(),
            mb(corpus.yaml_bytes()),
            mb(corpus.live_json.len() as u64)
        );
        corpus
    }

    pub fn yaml_bytes(&self) -> u64 {
        self.yaml_files.iter().map(|(_, b)| b.len() as u64).sum()
    }

    pub fn desired_docs(&self) -> Vec<Document> {
        self.yaml_files.iter().flat_map(|(path, bytes)| load(bytes, path, Format::Yaml)).collect()
    }

    pub fn live_docs(&self) -> Vec<Document> {
        load(&self.live_json, &self.live_path.display().to_string(), Format::Json)
    }
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn collect_yaml(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_yaml(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
}

pub fn load(bytes: &[u8], source: &str, format: Format) -> Vec<Document> {
    load_bytes(bytes, source, format, &Limits::default()).unwrap_or_else(|e| panic!("{e}"))
}

/// One desired/live pair, as the diff walk receives it: both sides (and the previous
/// desired state from the last-applied annotation) parsed and normalized, injected
/// tracking annotations dropped from live. (Ignore rules and presets are not applied.)
pub struct Pair {
    pub id: ResourceId,
    pub raw_desired: Value,
    pub raw_live: Value,
    pub desired: Value,
    pub live: Value,
    pub previous: Option<Value>,
}

/// The objects present on both sides, paired by identity, in desired order.
pub fn pairs(desired: &[Document], live: &[Document]) -> Vec<Pair> {
    let scopes = ScopeTable::learn(desired.iter().chain(live).map(|d| &d.value));
    let options = NormalizeOptions::default();
    let id_of = |d: &Document| identify(&d.value, &d.origin, &scopes, "default").unwrap_or_else(|e| panic!("{e}"));
    let live_by_id: HashMap<ResourceId, &Document> = live.iter().map(|d| (id_of(d), d)).collect();
    let normalized = |v: &Value, id: &ResourceId| {
        let mut v = v.clone();
        normalize(&mut v, id, &options);
        v
    };
    desired
        .iter()
        .filter_map(|d| {
            let id = id_of(d);
            let l = live_by_id.get(&id)?;
            let desired = normalized(&d.value, &id);
            let mut live = normalized(&l.value, &id);
            drop_injected(&desired, &mut live);
            Some(Pair {
                desired,
                live,
                previous: last_applied(&l.value).map(|p| normalized(&p, &id)),
                raw_desired: d.value.clone(),
                raw_live: l.value.clone(),
                id,
            })
        })
        .collect()
}

/// As the engine does before a walk: annotations a GitOps tool injects at apply time
/// are dropped from live where desired does not set them.
fn drop_injected(desired: &Value, live: &mut Value) {
    let set_in_desired = |key: &str| desired.get_path(&["metadata", "annotations", key]).is_some();
    let annotations = live
        .as_object_mut()
        .and_then(|m| m.get_mut("metadata"))
        .and_then(Value::as_object_mut)
        .and_then(|m| m.get_mut("annotations"))
        .and_then(Value::as_object_mut);
    if let Some(annotations) = annotations {
        for key in INJECTED_ANNOTATIONS.iter().filter(|k| !set_in_desired(k)) {
            annotations.remove(key);
        }
    }
}

pub fn builtin_keys() -> MergeKeyTable {
    MergeKeyTable::builtin()
}
