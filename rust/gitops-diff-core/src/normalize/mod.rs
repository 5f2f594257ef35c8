//! Normalization: rewriting both sides so that equivalent forms compare equal and
//! server-owned data is never compared. Each concern is a small pure function on a
//! tree, applied in the fixed order of [`normalize`].

mod nulls;
mod secrets;
mod server_fields;

use crate::identity::ResourceId;
use crate::value::{Map, Value};

pub use server_fields::LAST_APPLIED_ANNOTATION;

/// Which normalizers run. All are on by default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NormalizeOptions {
    /// Drop status, uid, resourceVersion, managedFields, ... and the last-applied annotation.
    pub server_fields: bool,
    /// Drop map entries whose value is null (Kubernetes reads null as absent).
    pub nulls: bool,
    /// Fold Secret `stringData` into base64 `data`, as the API server does.
    pub secret_string_data: bool,
}

impl Default for NormalizeOptions {
    fn default() -> Self {
        Self { server_fields: true, nulls: true, secret_string_data: true }
    }
}

/// Normalizes `obj` in place: namespace made explicit (or removed for cluster-scoped
/// kinds) from its identity, then each enabled normalizer in order.
pub fn normalize(obj: &mut Value, id: &ResourceId, options: &NormalizeOptions) {
    if options.nulls {
        nulls::drop_nulls(obj);
    }
    if options.server_fields {
        server_fields::drop_server_fields(obj);
    }
    set_namespace(obj, id);
    if options.secret_string_data && id.group.is_empty() && id.kind == "Secret" {
        secrets::fold_string_data(obj);
    }
}

/// The previous desired state that `kubectl apply` (and tools that mimic it) record
/// in the last-applied annotation, if present and valid JSON.
pub fn last_applied(obj: &Value) -> Option<Value> {
    let text = obj.str_at(&["metadata", "annotations", LAST_APPLIED_ANNOTATION])?;
    crate::load::load_bytes(text.as_bytes(), "last-applied", crate::load::Format::Json, &Default::default())
        .ok()?
        .into_iter()
        .next()
        .map(|d| d.value)
}

fn set_namespace(obj: &mut Value, id: &ResourceId) {
    let Some(root) = obj.as_object_mut() else { return };
    if root.get("metadata").is_none() {
        root.insert("metadata".into(), Value::Object(Map::new()));
    }
    let Some(metadata) = root.get_mut("metadata").and_then(Value::as_object_mut) else { return };
    match &id.namespace {
        Some(ns) => {
            metadata.insert("namespace".into(), Value::String(ns.clone()));
        }
        None => {
            metadata.remove("namespace");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{load_bytes, Format, Limits};

    fn yaml(text: &str) -> Value {
        load_bytes(text.as_bytes(), "t.yaml", Format::Yaml, &Limits::default()).unwrap().remove(0).value
    }

    fn id(kind: &str, ns: Option<&str>) -> ResourceId {
        ResourceId { group: String::new(), kind: kind.into(), namespace: ns.map(Into::into), name: "x".into() }
    }

    #[test]
    fn normalizing_twice_equals_normalizing_once() {
        let mut v = yaml("kind: Secret\nmetadata: {name: x, uid: u}\nstringData: {a: b}\nstatus: {}\n");
        let options = NormalizeOptions::default();
        normalize(&mut v, &id("Secret", Some("default")), &options);
        let once = v.clone();
        normalize(&mut v, &id("Secret", Some("default")), &options);
        assert_eq!(v, once);
    }

    #[test]
    fn namespace_follows_identity() {
        let mut v = yaml("kind: ConfigMap\nmetadata: {name: x}\n");
        normalize(&mut v, &id("ConfigMap", Some("default")), &NormalizeOptions::default());
        assert_eq!(v.str_at(&["metadata", "namespace"]), Some("default"));
    }

    #[test]
    fn last_applied_is_read_from_the_annotation() {
        let v = yaml("metadata:\n  annotations:\n    kubectl.kubernetes.io/last-applied-configuration: '{\"data\":{\"a\":\"1\"}}'\n");
        assert_eq!(last_applied(&v).unwrap().str_at(&["data", "a"]), Some("1"));
        assert!(last_applied(&yaml("metadata: {name: x}\n")).is_none());
    }
}
