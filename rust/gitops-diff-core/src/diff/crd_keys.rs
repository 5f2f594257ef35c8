//! Keyed lists and scalar sets that a CustomResourceDefinition declares for its custom
//! resources, read from its OpenAPI v3 schemas: the custom-resource counterpart of the
//! built-in merge-key table.
//!
//! A list is keyed when its schema says `x-kubernetes-list-type: map` with
//! `x-kubernetes-list-map-keys`, and a set of scalars when it says
//! `x-kubernetes-list-type: set`. Paths are dotted object field names from the root of
//! the custom resource, list positions left out (`spec.containers.ports`). The
//! top-level `status` is never compared and is skipped; so are `additionalProperties`
//! (their field names are not known in advance).

use std::collections::BTreeMap;

use crate::value::{Map, Value};

/// Deepest schema nesting walked; deeper lists are left out.
const MAX_DEPTH: usize = 64;

/// One keyed list or scalar set of a custom resource kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrdListKey {
    pub group: String,
    pub kind: String,
    /// Dotted field path from the root, list positions left out.
    pub path: String,
    /// The key fields of a keyed list, in declaration order; empty for a set of scalars.
    pub keys: Vec<String>,
}

/// Every keyed list and scalar set of the kind a CustomResourceDefinition defines
/// (apiextensions.k8s.io/v1 `spec.versions[].schema.openAPIV3Schema`, and v1beta1
/// `spec.validation.openAPIV3Schema`), sorted by path. Lists declared by several
/// versions appear once; when versions disagree, a keyed list wins over a set and the
/// key fields are the union, in order of first appearance. Anything that is not a
/// readable CRD gives an empty result.
pub fn crd_list_keys(crd: &Value) -> Vec<CrdListKey> {
    if crd.str_at(&["kind"]) != Some("CustomResourceDefinition") {
        return Vec::new();
    }
    let (Some(group), Some(kind)) = (crd.str_at(&["spec", "group"]), crd.str_at(&["spec", "names", "kind"])) else {
        return Vec::new();
    };

    let mut found = BTreeMap::new();
    for schema in version_schemas(crd) {
        walk(schema, &mut Vec::new(), 0, &mut found);
    }
    found
        .into_iter()
        .map(|(path, keys)| CrdListKey { group: group.to_owned(), kind: kind.to_owned(), path, keys })
        .collect()
}

/// The root schemas of every version the CRD describes.
fn version_schemas(crd: &Value) -> Vec<&Value> {
    let mut schemas: Vec<&Value> = crd
        .get_path(&["spec", "versions"])
        .and_then(Value::as_array)
        .unwrap_or_default()
        .iter()
        .filter_map(|version| version.get_path(&["schema", "openAPIV3Schema"]))
        .collect();
    if let Some(schema) = crd.get_path(&["spec", "validation", "openAPIV3Schema"]) {
        schemas.push(schema);
    }
    schemas
}

/// Records the lists at and below `node`; `found` maps a dotted path to its key fields
/// (empty for a set).
fn walk<'a>(node: &'a Value, path: &mut Vec<&'a str>, depth: usize, found: &mut BTreeMap<String, Vec<String>>) {
    if depth > MAX_DEPTH {
        return;
    }
    let Some(schema) = node.as_object() else {
        return;
    };
    let items = schema.get("items");
    if items.is_some() || schema.get("type").and_then(Value::as_str) == Some("array") {
        if let Some(keys) = list_keys(schema) {
            record(found, path.join("."), keys);
        }
        if let Some(items) = items {
            walk(items, path, depth + 1, found);
        }
        return;
    }
    let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
        return;
    };
    for (name, sub) in properties.iter() {
        if path.is_empty() && name == "status" {
            continue;
        }
        path.push(name);
        walk(sub, path, depth + 1, found);
        path.pop();
    }
}

/// The key fields of a keyed list, an empty list for a set, `None` for any other list
/// (atomic, undeclared, or a map list without usable keys).
fn list_keys(schema: &Map) -> Option<Vec<String>> {
    match schema.get("x-kubernetes-list-type").and_then(Value::as_str)? {
        "set" => Some(Vec::new()),
        "map" => {
            let keys: Vec<String> = schema
                .get("x-kubernetes-list-map-keys")
                .and_then(Value::as_array)?
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect();
            (!keys.is_empty()).then_some(keys)
        }
        _ => None,
    }
}

/// Adds one version's view of a list: a keyed list wins over a set, and key fields
/// add up in order of first appearance.
fn record(found: &mut BTreeMap<String, Vec<String>>, path: String, keys: Vec<String>) {
    let known = found.entry(path).or_default();
    for key in keys {
        if !known.contains(&key) {
            known.push(key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{load_bytes, Format, Limits};

    fn load_one(text: &str) -> Value {
        let mut docs = load_bytes(text.as_bytes(), "crd.yaml", Format::Auto, &Limits::default()).unwrap();
        assert_eq!(docs.len(), 1);
        docs.remove(0).value
    }

    fn summary(keys: &[CrdListKey]) -> Vec<(String, Vec<String>)> {
        keys.iter().map(|k| (k.path.clone(), k.keys.clone())).collect()
    }

    fn entry(path: &str, keys: &[&str]) -> (String, Vec<String>) {
        (path.to_owned(), keys.iter().map(|k| (*k).to_owned()).collect())
    }

    const V1_CRD: &str = r#"
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names:
    kind: Widget
    plural: widgets
  scope: Namespaced
  versions:
  - name: v1alpha1
    served: true
    storage: false
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              listeners:
                type: array
                x-kubernetes-list-type: map
                x-kubernetes-list-map-keys: [port]
                items:
                  type: object
                  properties:
                    port: {type: integer}
              tags:
                type: array
                x-kubernetes-list-type: map
                x-kubernetes-list-map-keys: [name]
                items: {type: object}
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              listeners:
                type: array
                x-kubernetes-list-type: map
                x-kubernetes-list-map-keys: [port, protocol]
                items:
                  type: object
                  properties:
                    port: {type: integer}
                    protocol: {type: string}
                    hosts:
                      type: array
                      x-kubernetes-list-type: set
                      items: {type: string}
                    rules:
                      type: array
                      x-kubernetes-list-type: atomic
                      items: {type: object}
              tags:
                type: array
                x-kubernetes-list-type: set
                items: {type: string}
              labels:
                type: object
                additionalProperties:
                  type: array
                  x-kubernetes-list-type: set
                  items: {type: string}
              history:
                type: object
                properties:
                  status:
                    type: object
                    properties:
                      entries:
                        type: array
                        x-kubernetes-list-type: map
                        x-kubernetes-list-map-keys: [id]
                        items: {type: object}
          status:
            type: object
            properties:
              conditions:
                type: array
                x-kubernetes-list-type: map
                x-kubernetes-list-map-keys: [type]
                items: {type: object}
"#;

    #[test]
    fn v1_versions_are_merged_and_status_is_skipped() {
        let keys = crd_list_keys(&load_one(V1_CRD));
        assert!(keys.iter().all(|k| k.group == "example.com" && k.kind == "Widget"));
        assert_eq!(
            summary(&keys),
            vec![
                entry("spec.history.status.entries", &["id"]),
                entry("spec.listeners", &["port", "protocol"]),
                entry("spec.listeners.hosts", &[]),
                // A keyed list in one version and a set in another: keyed wins.
                entry("spec.tags", &["name"]),
            ]
        );
    }

    #[test]
    fn v1beta1_validation_schema() {
        let crd = load_one(
            r#"
apiVersion: apiextensions.k8s.io/v1beta1
kind: CustomResourceDefinition
metadata: {name: gadgets.example.com}
spec:
  group: example.com
  version: v1beta1
  names: {kind: Gadget, plural: gadgets}
  validation:
    openAPIV3Schema:
      properties:
        spec:
          properties:
            parts:
              type: array
              x-kubernetes-list-type: map
              x-kubernetes-list-map-keys: [group, name]
              items:
                properties:
                  values:
                    items: {type: string}
                    x-kubernetes-list-type: set
"#,
        );
        assert_eq!(
            summary(&crd_list_keys(&crd)),
            vec![entry("spec.parts", &["group", "name"]), entry("spec.parts.values", &[]),]
        );
    }

    #[test]
    fn malformed_input_gives_what_can_be_read_without_panicking() {
        for text in [
            "kind: ConfigMap\nspec: {group: a, names: {kind: B}}\n",
            "kind: CustomResourceDefinition\nspec: {group: a}\n",
            "kind: CustomResourceDefinition\nspec: {group: a, names: {kind: B}, versions: 3}\n",
            "kind: CustomResourceDefinition\nspec: {group: a, names: {kind: B}, versions: [1, {schema: x}, {schema: {openAPIV3Schema: []}}]}\n",
            "kind: CustomResourceDefinition\nspec: {group: a, names: {kind: B}, versions: [{schema: {openAPIV3Schema: {properties: {a: {type: array, x-kubernetes-list-type: map}, b: {type: array, x-kubernetes-list-type: map, x-kubernetes-list-map-keys: [1, null]}, c: {items: 7, x-kubernetes-list-type: [set]}, d: {properties: 5}}}}}]}\n",
        ] {
            assert_eq!(crd_list_keys(&load_one(text)), Vec::new(), "{text}");
        }
        let keys = crd_list_keys(&load_one(
            "kind: CustomResourceDefinition\nspec: {group: a, names: {kind: B}, versions: [{schema: {openAPIV3Schema: {properties: {m: {type: array, x-kubernetes-list-type: map, x-kubernetes-list-map-keys: [k, 2]}}}}}]}\n",
        ));
        assert_eq!(summary(&keys), vec![entry("m", &["k"])]);
    }

    #[test]
    fn depth_is_bounded() {
        fn object(entries: Vec<(&str, Value)>) -> Value {
            Value::Object(Map::from_entries(entries.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()).unwrap())
        }
        let set_list = || {
            object(vec![
                ("type", Value::String("array".into())),
                ("x-kubernetes-list-type", Value::String("set".into())),
            ])
        };
        // `levels` nested objects, each `{properties: {f: ..., s: <set list>}}`.
        let nested = |levels: usize| {
            let mut schema = object(vec![]);
            for _ in 0..levels {
                schema = object(vec![("properties", object(vec![("f", schema), ("s", set_list())]))]);
            }
            object(vec![
                ("kind", Value::String("CustomResourceDefinition".into())),
                (
                    "spec",
                    object(vec![
                        ("group", Value::String("a".into())),
                        ("names", object(vec![("kind", Value::String("B".into()))])),
                        ("validation", object(vec![("openAPIV3Schema", schema)])),
                    ]),
                ),
            ])
        };
        let keys = crd_list_keys(&nested(1000));
        assert_eq!(keys.len(), MAX_DEPTH);
        assert!(keys.iter().all(|k| k.path.ends_with('s') && k.keys.is_empty()));
        assert_eq!(crd_list_keys(&nested(3)).len(), 3);
    }

    #[test]
    fn real_crds_from_the_shared_corpus() {
        let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/corpus/prometheus-operator__kube-prometheus/manifests/setup");
        let Ok(entries) = std::fs::read_dir(&folder) else {
            println!("skipped: {} is not available", folder.display());
            return;
        };
        let mut files: Vec<_> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.to_string_lossy().ends_with("CustomResourceDefinition.yaml"))
            .collect();
        files.sort();
        assert!(!files.is_empty(), "no CRDs in {}", folder.display());
        for file in &files {
            let bytes = std::fs::read(file).unwrap();
            let docs = load_bytes(&bytes, &file.to_string_lossy(), Format::Auto, &Limits::default()).unwrap();
            let keys = crd_list_keys(&docs[0].value);
            let kind = docs[0].value.str_at(&["spec", "names", "kind"]).unwrap();
            assert!(keys.iter().all(|k| k.group == "monitoring.coreos.com" && k.kind == kind));
            let found = summary(&keys);
            assert!(found.iter().all(|(p, _)| !p.starts_with("status.") && !p.is_empty()));
            // Sorted by path, one entry per path.
            assert!(found.windows(2).all(|w| w[0].0 < w[1].0), "{}", file.display());
            if kind == "Alertmanager" {
                for expected in [
                    entry("spec.containers.env", &["name"]),
                    entry("spec.containers.ports", &["containerPort", "protocol"]),
                    entry("spec.containers.volumeMounts", &["mountPath"]),
                    entry("spec.hostAliases", &["ip"]),
                    entry("spec.dnsConfig.nameservers", &[]),
                ] {
                    assert!(found.contains(&expected), "{expected:?} not in {found:?}");
                }
            }
        }
    }
}
