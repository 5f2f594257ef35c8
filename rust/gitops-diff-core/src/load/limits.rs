//! Bounds that keep hostile input from exhausting a CI runner or a reconciler.

/// Input bounds applied while loading. The defaults fit every real manifest we know
/// of by a wide margin; see docs/limits.md.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Deepest nesting of lists and objects in one document.
    pub max_depth: usize,
    /// Nodes that YAML aliases may copy into one document in total (billion-laughs guard).
    pub max_alias_nodes: usize,
    /// Largest single file or byte buffer accepted.
    pub max_source_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self { max_depth: 128, max_alias_nodes: 100_000, max_source_bytes: 256 * 1024 * 1024 }
    }
}
