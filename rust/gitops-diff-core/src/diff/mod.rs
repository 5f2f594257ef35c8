//! Structural diff of one normalized desired object against its normalized live
//! counterpart.

pub mod crd_keys;
pub mod ignore;
mod list_keys;
pub mod merge_keys;
mod merge_keys_table;
pub mod path;
mod walk;

use serde::Serialize;

use crate::value::Value;
use ignore::IgnoreTrie;
use merge_keys::MergeKeyTable;

/// What counts as drift.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    /// Fields the desired state sets are compared; a live field it does not set is
    /// drift only when the previous desired state set it (removed from Git, still live).
    #[default]
    ThreeWay,
    /// Everything is compared.
    Strict,
}

impl std::str::FromStr for Mode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "three-way" => Ok(Mode::ThreeWay),
            "strict" => Ok(Mode::Strict),
            other => Err(format!("unknown mode {other:?}: expected \"three-way\" or \"strict\"")),
        }
    }
}

/// What applying the desired state would do at a path of the live object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Op {
    Add,
    Remove,
    Replace,
}

/// One difference, at one path.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    pub op: Op,
    /// RFC 6901 pointer into the live object (`-` for a list item live lacks).
    pub pointer: String,
    /// The same place for people: `spec.template.spec.containers[name=app].image`.
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub desired: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub live: Option<Value>,
}

/// The object kind a diff runs in (merge keys depend on it).
#[derive(Debug, Clone, Copy)]
pub struct ObjectKind<'a> {
    pub group: &'a str,
    pub kind: &'a str,
}

/// Everything a diff of one object depends on besides the three trees.
pub struct DiffContext<'a> {
    pub kind: ObjectKind<'a>,
    pub mode: Mode,
    /// The "empties" rule: `""`, `{}`, `[]` on one side equal absent on the other.
    pub empty_is_absent: bool,
    pub keys: &'a MergeKeyTable,
    /// Paths whose differences are ignored (counted, not reported).
    pub ignore: Option<&'a IgnoreTrie>,
}

/// What a diff of one object found.
pub use walk::Outcome;

/// The changes that would bring `live` to `desired`, given the `previous` desired
/// state when known, in walk order (keys sorted, keyed items in desired order).
pub fn diff_objects<'a>(
    desired: &'a Value,
    live: &'a Value,
    previous: Option<&'a Value>,
    ctx: &'a DiffContext<'a>,
) -> Outcome {
    walk::Walker::new(ctx).run(desired, live, previous)
}

#[cfg(test)]
mod tests;
