//! gitops-diff core: loads, normalizes, hashes and structurally diffs sets of
//! resource manifests (Kubernetes first; any YAML/JSON objects in strict mode).
//!
//! The pipeline, one module each: [`load`] -> [`identity`] -> [`normalize`] ->
//! [`hash`] (over [`canon`]ical bytes) -> [`diff`] -> [`report`], driven by
//! [`engine::diff_sets`]. Nothing here knows about Python.

pub mod canon;
pub mod diff;
pub mod engine;
pub mod error;
pub mod hash;
pub mod identity;
pub mod load;
pub mod managed;
pub mod mask;
pub mod normalize;
pub mod patch;
pub mod report;
pub mod rules;
mod serialize;
pub mod value;

pub use diff::{Change, Mode, Op};
pub use engine::{diff_sets, DiffOptions, ExtraScope};
pub use error::{Error, Origin};
pub use load::{load_bytes, load_paths, Document, Format, Limits};
pub use report::{ObjectDiff, Report, Status, Summary};
pub use value::{Map, Value};
