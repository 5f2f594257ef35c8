//! Bounds that keep hostile input from exhausting a CI runner or a reconciler.

/// Input bounds applied while loading. The defaults fit every real manifest we know
/// of by a wide margin; docs/limits.md gives the reasoning and the measurements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Deepest nesting of lists and objects in one document, aliases expanded.
    pub max_depth: usize,
    /// Nodes that YAML anchors and aliases may copy in one source (file or buffer),
    /// all its documents together: the billion-laughs guard.
    pub max_alias_nodes: usize,
    /// Bytes of text (keys and strings) that anchors and aliases may copy in one
    /// source: the guard against one long string aliased many times.
    pub max_alias_bytes: usize,
    /// Largest single file or byte buffer accepted.
    pub max_source_bytes: usize,
    /// Largest total of the files one load reads (a folder and everything below it).
    pub max_total_bytes: u64,
}

/// The highest `max_depth` that can be set: every stage walks trees recursively, and
/// this keeps them far from the end of a worker thread's stack.
pub const MAX_DEPTH_CEILING: usize = 1000;

/// The names of the limits, as the bindings and the documentation spell them.
pub const LIMIT_NAMES: &[&str] =
    &["max_depth", "max_alias_nodes", "max_alias_bytes", "max_source_bytes", "max_total_bytes"];

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_depth: 128,
            max_alias_nodes: 1_000_000,
            max_alias_bytes: 64 * 1024 * 1024,
            max_source_bytes: 2 * 1024 * 1024 * 1024,
            max_total_bytes: 4 * 1024 * 1024 * 1024,
        }
    }
}

impl Limits {
    /// Sets one limit by name; an unknown name is an error listing the known ones.
    pub fn set(&mut self, name: &str, value: u64) -> Result<(), String> {
        let size = || usize::try_from(value).map_err(|_| format!("{name} = {value} is too large for this machine"));
        match name {
            "max_depth" if value > MAX_DEPTH_CEILING as u64 => {
                return Err(format!("max_depth = {value} is above the ceiling of {MAX_DEPTH_CEILING}"));
            }
            "max_depth" => self.max_depth = size()?,
            "max_alias_nodes" => self.max_alias_nodes = size()?,
            "max_alias_bytes" => self.max_alias_bytes = size()?,
            "max_source_bytes" => self.max_source_bytes = size()?,
            "max_total_bytes" => self.max_total_bytes = value,
            other => return Err(format!("unknown limit {other:?}; known: {}", LIMIT_NAMES.join(", "))),
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_set_by_name() {
        let mut limits = Limits::default();
        limits.set("max_depth", 10).unwrap();
        limits.set("max_total_bytes", 1 << 40).unwrap();
        assert_eq!(limits.max_depth, 10);
        assert_eq!(limits.max_total_bytes, 1 << 40);
        assert!(limits.set("max_depth", 1001).is_err());
        assert!(limits.set("max_width", 1).unwrap_err().contains("known: max_depth"));
    }
}
