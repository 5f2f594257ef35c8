//! Normalization: rewriting both sides so that equivalent forms compare equal and
//! server-owned data is never compared. Each concern is a small pure function on a
//! tree, applied in the fixed order of [`normalize`]; each can be switched off by
//! name (docs/semantics.md lists them with examples).

mod duration;
mod nulls;
#[cfg(test)]
mod proptests;
pub mod quantity;
mod secrets;
mod server_fields;

use crate::identity::ResourceId;
use crate::value::{Map, Value};

pub use server_fields::{clone_without_server_fields, LAST_APPLIED_ANNOTATION};

/// The normalizers and comparison rules, by the names users switch them with.
pub const NORMALIZER_NAMES: &[&str] =
    &["server-fields", "nulls", "empties", "secret-string-data", "quantities", "durations", "tracking-metadata"];

/// Which normalizers run. All are on by default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NormalizeOptions {
    /// Drop status, uid, resourceVersion, managedFields, ... and the last-applied annotation.
    pub server_fields: bool,
    /// Drop map entries whose value is null (Kubernetes reads null as absent).
    pub nulls: bool,
    /// `""`, `{}` and `[]` on one side equal an absent field on the other (a rule of
    /// the comparison, applied by the diff walk).
    pub empties: bool,
    /// Fold Secret `stringData` into base64 `data`, as the API server does.
    pub secret_string_data: bool,
    /// Resource quantities by value (`1000m` == `1`).
    pub quantities: bool,
    /// Go durations by value in known fields (`8760h` == `8760h0m0s`).
    pub durations: bool,
    /// Tracking metadata a GitOps tool injects at apply time is never drift.
    pub tracking_metadata: bool,
}

impl Default for NormalizeOptions {
    fn default() -> Self {
        Self {
            server_fields: true,
            nulls: true,
            empties: true,
            secret_string_data: true,
            quantities: true,
            durations: true,
            tracking_metadata: true,
        }
    }
}

impl NormalizeOptions {
    /// Switches one normalizer by name; an unknown name is an error listing the known ones.
    pub fn set(&mut self, name: &str, enabled: bool) -> Result<(), String> {
        let flag = match name {
            "server-fields" => &mut self.server_fields,
            "nulls" => &mut self.nulls,
            "empties" => &mut self.empties,
            "secret-string-data" => &mut self.secret_string_data,
            "quantities" => &mut self.quantities,
            "durations" => &mut self.durations,
            "tracking-metadata" => &mut self.tracking_metadata,
            other => {
                return Err(format!("unknown normalizer {other:?}; known: {}", NORMALIZER_NAMES.join(", ")));
            }
        };
        *flag = enabled;
        Ok(())
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
    if options.quantities {
        quantity::canonicalize_quantities(obj, &id.kind);
    }
    if options.durations {
        duration::canonicalize_durations(obj, &id.group);
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
    let Some(root) = obj.as_object_mut() else {
        return;
    };
    if root.get("metadata").is_none() {
        root.insert("metadata".into(), Value::Object(Map::new()));
    }
    let Some(metadata) = root.get_mut("metadata").and_then(Value::as_object_mut) else {
        return;
    };
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

    fn yaml(text: &str) -> Value {
        crate::load::test_object(text)
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

    #[test]
    fn quantities_in_container_resources_compare_by_value() {
        let mut a = yaml("spec: {containers: [{name: c, resources: {limits: {cpu: 1000m, memory: 1024Mi}, requests: {cpu: 0.5}}}]}\n");
        let mut b = yaml(
            "spec: {containers: [{name: c, resources: {limits: {cpu: '1', memory: 1Gi}, requests: {cpu: 500m}}}]}\n",
        );
        let options = NormalizeOptions::default();
        normalize(&mut a, &id("Pod", Some("d")), &options);
        normalize(&mut b, &id("Pod", Some("d")), &options);
        assert_eq!(a, b);
    }

    #[test]
    fn switched_off_normalizers_leave_values_alone() {
        let mut options = NormalizeOptions::default();
        options.set("quantities", false).unwrap();
        let mut a = yaml("spec: {resources: {requests: {storage: 1024Mi}}}\n");
        normalize(&mut a, &id("PersistentVolumeClaim", Some("d")), &options);
        assert_eq!(a.str_at(&["spec", "resources", "requests", "storage"]), Some("1024Mi"));
        assert!(options.set("no-such-thing", false).unwrap_err().contains("known: server-fields"));
    }
}
