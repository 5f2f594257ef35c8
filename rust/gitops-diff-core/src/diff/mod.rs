//! Structural diff of one normalized desired object against its normalized live
//! counterpart.

pub mod merge_keys;
pub mod path;
mod walk;

use serde::Serialize;

use crate::value::Value;

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

/// The changes that would bring `live` to `desired`, given the `previous` desired
/// state when known. Sorted by pointer order of the walk (keys in order).
pub fn diff_objects(desired: &Value, live: &Value, previous: Option<&Value>, kind: ObjectKind<'_>, mode: Mode) -> Vec<Change> {
    walk::Walker::new(kind, mode).run(desired, live, previous)
}

#[cfg(test)]
mod tests;
