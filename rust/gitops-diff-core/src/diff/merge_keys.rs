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

/// The lists of one kind that are not ordered values, by dotted field path.
#[derive(Debug, Clone, Default)]
struct KindLists {
    keyed: HashMap<String, Vec<KeyField>>,
    /// Lists of scalars that are sets.
    sets: HashSet<String>,
}

/// Merge keys and set lists by group, kind and dotted field path.
#[derive(Debug, Clone, Default)]
pub struct MergeKeyTable {
    /// Group, then kind. A kind listed here has all its lists known (a miss means
    /// "ordered list"); other kinds use [`HEURISTIC_KEYS`].
    kinds: HashMap<String, HashMap<String, KindLists>>,
    heuristic: HashMap<&'static str, Vec<KeyField>>,
}

/// The lists of one kind: found once per object, then asked about each of its lists.
#[derive(Debug, Clone, Copy)]
pub struct KindKeys<'t> {
    /// `None` for kinds without a schema.
    lists: Option<&'t KindLists>,
    heuristic: &'t HashMap<&'static str, Vec<KeyField>>,
}

impl MergeKeyTable {
    /// The table of built-in kinds.
    pub fn builtin() -> Self {
        let mut table = Self::default();
        for (group, kind, path, keys) in super::merge_keys_table::LIST_MAP_KEYS {
            table.add_keyed(group, kind, path, keys.iter().copied());
        }
        for (group, kind, path) in super::merge_keys_table::LIST_SETS {
            table.add_set(group, kind, path);
        }
        for (field, keys) in HEURISTIC_KEYS {
            table.heuristic.insert(field, keys.iter().map(|k| key_field(k)).collect());
        }
        table
    }

    fn kind_lists_mut(&mut self, group: &str, kind: &str) -> &mut KindLists {
        self.kinds.entry(group.to_owned()).or_default().entry(kind.to_owned()).or_default()
    }

    fn add_keyed<'k>(&mut self, group: &str, kind: &str, path: &str, keys: impl Iterator<Item = &'k str>) {
        self.kind_lists_mut(group, kind).keyed.insert(path.to_owned(), keys.map(key_field).collect());
    }

    fn add_set(&mut self, group: &str, kind: &str, path: &str) {
        self.kind_lists_mut(group, kind).sets.insert(path.to_owned());
    }

    /// Adds the list keys a CustomResourceDefinition declares for its kind.
    pub fn add_crd(&mut self, crd: &Value) {
        for entry in super::crd_keys::crd_list_keys(crd) {
            if entry.keys.is_empty() {
                self.add_set(&entry.group, &entry.kind, &entry.path);
            } else {
                self.add_keyed(&entry.group, &entry.kind, &entry.path, entry.keys.iter().map(String::as_str));
            }
        }
    }

    /// The lists of objects of `group`/`kind`.
    pub fn kind(&self, group: &str, kind: &str) -> KindKeys<'_> {
        let lists = self.kinds.get(group).and_then(|kinds| kinds.get(kind));
        KindKeys { lists, heuristic: &self.heuristic }
    }

    /// The merge key of the list at `fields` (object field names from the root to
    /// the list, list positions left out) in an object of `group`/`kind`.
    pub fn lookup(&self, group: &str, kind: &str, fields: &[&str]) -> Option<&[KeyField]> {
        self.kind(group, kind).lookup(&ListPath::new(fields, &mut String::new()))
    }

    /// Whether the list at `fields` is a set of scalars (order is not drift).
    pub fn is_set(&self, group: &str, kind: &str, fields: &[&str]) -> bool {
        self.kind(group, kind).is_set(&ListPath::new(fields, &mut String::new()))
    }
}

/// Where a list is: object field names from the root (list positions left out), and
/// the same joined by dots, which the tables are keyed by.
pub struct ListPath<'p> {
    pub fields: &'p [&'p str],
    pub dotted: &'p str,
}

impl<'p> ListPath<'p> {
    /// Joins `fields` into `buffer`, which the caller may reuse from list to list.
    pub fn new(fields: &'p [&'p str], buffer: &'p mut String) -> Self {
        buffer.clear();
        for (i, field) in fields.iter().enumerate() {
            if i > 0 {
                buffer.push('.');
            }
            buffer.push_str(field);
        }
        Self { fields, dotted: buffer }
    }
}

impl<'t> KindKeys<'t> {
    /// The merge key of the list at `path`, if it is a keyed list.
    pub fn lookup(&self, path: &ListPath<'_>) -> Option<&'t [KeyField]> {
        match self.lists {
            Some(lists) => lists.keyed.get(path.dotted).map(Vec::as_slice),
            None => heuristic_key(self.heuristic, path.fields),
        }
    }

    /// Whether the list at `path` is a set of scalars (order is not drift).
    pub fn is_set(&self, path: &ListPath<'_>) -> bool {
        self.lists.is_some_and(|lists| lists.sets.contains(path.dotted))
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
    fn crd_kinds_use_their_schema_and_never_the_pod_spec_names() {
        let crd = crate::load::test_object(
            "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n\
             spec:\n  group: example.com\n  names: {kind: Tagged}\n  versions:\n  - name: v1\n    storage: true\n\
             \x20   schema:\n      openAPIV3Schema:\n        type: object\n        properties:\n\
             \x20         spec:\n            type: object\n            properties:\n\
             \x20             tags: {type: array, x-kubernetes-list-type: set, items: {type: string}}\n",
        );
        let mut t = MergeKeyTable::builtin();
        t.add_crd(&crd);
        assert!(t.is_set("example.com", "Tagged", &["spec", "tags"]));
        assert!(!t.is_set("example.com", "Tagged", &["spec", "other"]));
        // A kind with a schema has all its lists known: no fallback to pod-spec names.
        assert!(t.lookup("example.com", "Tagged", &["spec", "containers"]).is_none());
        assert_eq!(names(t.lookup("example.com", "Other", &["spec", "containers"])), ["name"]);
        assert!(!t.is_set("example.com", "Other", &["spec", "tags"]));
    }

    #[test]
    fn protocol_defaults_to_tcp_in_keys() {
        let keys = vec![key_field("containerPort"), key_field("protocol")];
        let item =
            Value::Object(crate::value::Map::from_entries(vec![("containerPort".into(), Value::Int(80))]).unwrap());
        assert_eq!(super::super::list_keys::describe_item_key(&item, &keys), "containerPort=80,protocol=TCP");
    }
}
