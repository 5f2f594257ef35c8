//! Which lists are maps in disguise: Kubernetes merges `containers` by `name`, ports
//! by `containerPort`+`protocol`, and so on. Such lists are compared item by item by
//! key, so their order is never drift; lists that are sets of scalars are compared as
//! sets; every other list is an ordered value.
//!
//! Sources, most specific first: CRDs among the inputs (their
//! `x-kubernetes-list-map-keys`), the table generated from the Kubernetes OpenAPI for
//! built-in kinds, and, for other kinds (custom resources embedding pod templates),
//! the well-known pod-spec lists by field name.

use std::collections::{HashMap, HashSet};

use crate::value::Value;

/// One field of a (possibly composite) merge key, with the default the API server
/// fills in when the field is left out (`protocol: TCP`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyField {
    pub name: String,
    pub default: Option<&'static str>,
}

fn key_field(name: &str) -> KeyField {
    let default = super::merge_keys_table::KEY_DEFAULTS.iter().find(|(field, _)| *field == name).map(|(_, d)| *d);
    KeyField { name: name.to_owned(), default }
}

type ByPath<T> = HashMap<String, T>;

/// Merge keys and set lists by group, kind and dotted field path.
#[derive(Debug, Clone, Default)]
pub struct MergeKeyTable {
    keyed: HashMap<String, HashMap<String, ByPath<Vec<KeyField>>>>,
    sets: HashSet<(String, String, String)>,
    /// Kinds whose lists are all known (a miss means "ordered list").
    known_kinds: HashSet<(String, String)>,
    heuristic: HashMap<&'static str, Vec<KeyField>>,
}

impl MergeKeyTable {
    /// The table of built-in kinds.
    pub fn builtin() -> Self {
        let mut table = Self::default();
        for (group, kind, path, keys) in super::merge_keys_table::LIST_MAP_KEYS {
            table.add_keyed(group, kind, path, keys.iter().copied());
        }
        for (group, kind, path) in super::merge_keys_table::LIST_SETS {
            table.known_kinds.insert(((*group).to_owned(), (*kind).to_owned()));
            table.sets.insert(((*group).to_owned(), (*kind).to_owned(), (*path).to_owned()));
        }
        for (field, keys) in HEURISTIC_KEYS {
            table.heuristic.insert(field, keys.iter().map(|k| key_field(k)).collect());
        }
        table
    }

    fn add_keyed<'k>(&mut self, group: &str, kind: &str, path: &str, keys: impl Iterator<Item = &'k str>) {
        self.known_kinds.insert((group.to_owned(), kind.to_owned()));
        self.keyed
            .entry(group.to_owned())
            .or_default()
            .entry(kind.to_owned())
            .or_default()
            .insert(path.to_owned(), keys.map(key_field).collect());
    }

    /// Adds the list keys a CustomResourceDefinition declares for its kind.
    pub fn add_crd(&mut self, crd: &Value) {
        for entry in super::crd_keys::crd_list_keys(crd) {
            if entry.keys.is_empty() {
                self.known_kinds.insert((entry.group.clone(), entry.kind.clone()));
                self.sets.insert((entry.group, entry.kind, entry.path));
            } else {
                self.add_keyed(&entry.group, &entry.kind, &entry.path, entry.keys.iter().map(String::as_str));
            }
        }
    }

    fn is_known(&self, group: &str, kind: &str) -> bool {
        // Avoids allocating a key on the hot path for the common case.
        self.keyed.get(group).is_some_and(|kinds| kinds.contains_key(kind))
            || self.known_kinds.contains(&(group.to_owned(), kind.to_owned()))
    }

    /// The merge key of the list at `fields` (object field names from the root to
    /// the list, list positions left out) in an object of `group`/`kind`.
    pub fn lookup(&self, group: &str, kind: &str, fields: &[&str]) -> Option<&[KeyField]> {
        if let Some(paths) = self.keyed.get(group).and_then(|kinds| kinds.get(kind)) {
            return paths.get(&fields.join(".")).map(Vec::as_slice);
        }
        if self.is_known(group, kind) {
            return None;
        }
        heuristic_key(&self.heuristic, fields)
    }

    /// Whether the list at `fields` is a set of scalars (order is not drift).
    pub fn is_set(&self, group: &str, kind: &str, fields: &[&str]) -> bool {
        !self.sets.is_empty() && self.sets.contains(&(group.to_owned(), kind.to_owned(), fields.join(".")))
    }
}

/// Pod-spec lists by field name, for kinds without a schema (custom resources
/// that embed pod templates, such as Argo Rollouts).
const HEURISTIC_KEYS: &[(&str, &[&str])] = &[
    ("containers", &["name"]),
    ("initContainers", &["name"]),
    ("ephemeralContainers", &["name"]),
    ("env", &["name"]),
    ("containerPorts", &["containerPort", "protocol"]),
    ("volumeMounts", &["mountPath"]),
    ("volumeDevices", &["devicePath"]),
    ("volumes", &["name"]),
    ("imagePullSecrets", &["name"]),
];

fn is_container_list(field: &str) -> bool {
    matches!(field, "containers" | "initContainers" | "ephemeralContainers")
}

fn heuristic_key<'t>(table: &'t HashMap<&'static str, Vec<KeyField>>, fields: &[&str]) -> Option<&'t [KeyField]> {
    let (&last, parents) = fields.split_last()?;
    let in_container = parents.last().copied().is_some_and(is_container_list);
    let name = match last {
        f if is_container_list(f) => f,
        "ports" if in_container => "containerPorts",
        "env" | "volumeMounts" | "volumeDevices" if in_container => last,
        // Pod-level lists: only directly under a pod spec, which holds containers.
        "volumes" | "imagePullSecrets" => last,
        _ => return None,
    };
    table.get(name).map(Vec::as_slice)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(keys: Option<&[KeyField]>) -> Vec<&str> {
        keys.unwrap_or_default().iter().map(|k| k.name.as_str()).collect()
    }

    #[test]
    fn built_in_kinds_use_the_generated_table() {
        let t = MergeKeyTable::builtin();
        assert_eq!(names(t.lookup("apps", "Deployment", &["spec", "template", "spec", "containers"])), ["name"]);
        assert_eq!(
            names(t.lookup("apps", "Deployment", &["spec", "template", "spec", "containers", "ports"])),
            ["containerPort", "protocol"]
        );
        assert_eq!(names(t.lookup("", "Service", &["spec", "ports"])), ["port", "protocol"]);
        assert!(t.lookup("", "Pod", &["spec", "tolerations"]).is_none());
    }

    #[test]
    fn unknown_kinds_fall_back_to_pod_spec_names() {
        let t = MergeKeyTable::builtin();
        let path = ["spec", "template", "spec", "containers", "env"];
        assert_eq!(names(t.lookup("argoproj.io", "Rollout", &path)), ["name"]);
        assert!(t.lookup("argoproj.io", "Rollout", &["spec", "steps"]).is_none());
    }

    #[test]
    fn protocol_defaults_to_tcp_in_keys() {
        let keys = vec![key_field("containerPort"), key_field("protocol")];
        let item =
            Value::Object(crate::value::Map::from_entries(vec![("containerPort".into(), Value::Int(80))]).unwrap());
        assert_eq!(super::super::list_keys::describe_item_key(&item, &keys), "containerPort=80,protocol=TCP");
    }
}
