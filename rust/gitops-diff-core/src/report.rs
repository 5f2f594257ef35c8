//! The result of a diff: counts, per-object status and changes (serde-serializable;
//! the JSON form is documented in docs/report-schema.json).

use serde::Serialize;

use crate::diff::{Change, Mode};
use crate::identity::ResourceId;

/// Version of the report's JSON form; bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    InSync,
    /// In both, with changes.
    Modified,
    /// Desired only: would be created.
    Missing,
    /// Live only and managed by a GitOps tool or `kubectl apply`: a prune candidate.
    Extra,
}

/// One object that is not in sync.
#[derive(Debug, Clone, Serialize)]
pub struct ObjectDiff {
    pub group: String,
    pub kind: String,
    pub namespace: Option<String>,
    pub name: String,
    pub api_version: String,
    pub status: Status,
    /// `file:line` of the desired object, when it has one.
    pub desired_source: Option<String>,
    pub live_source: Option<String>,
    pub desired_hash: Option<String>,
    pub live_hash: Option<String>,
    /// Differences that ignore rules or presets suppressed.
    pub ignored: usize,
    pub changes: Vec<Change>,
    /// The changes as an RFC 7386 merge patch against the normalized live object
    /// (modified objects only; Secret values masked). Not part of the JSON report.
    #[serde(skip)]
    pub merge_patch: Option<crate::value::Value>,
}

impl ObjectDiff {
    pub fn id(&self) -> ResourceId {
        ResourceId {
            group: self.group.clone(),
            kind: self.kind.clone(),
            namespace: self.namespace.clone(),
            name: self.name.clone(),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Objects on each side.
    pub desired: usize,
    pub live: usize,
    pub in_sync: usize,
    pub modified: usize,
    pub missing: usize,
    pub extra: usize,
    /// Live-only objects that nothing marks as managed (owned objects, cluster
    /// furniture, other tools' objects): counted, never listed, never drift.
    pub unmanaged: usize,
    /// Changes across all modified objects.
    pub changes: usize,
    /// Differences suppressed by ignore rules and presets (never drift).
    pub ignored: usize,
}

impl Summary {
    pub fn has_drift(&self) -> bool {
        self.modified + self.missing + self.extra > 0
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub schema_version: u32,
    pub mode: Mode,
    pub summary: Summary,
    /// Set digests of the normalized desired and live objects (docs/hash.md).
    pub desired_digest: String,
    pub live_digest: String,
    /// Objects not in sync, sorted by identity.
    pub objects: Vec<ObjectDiff>,
}

impl Report {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}
