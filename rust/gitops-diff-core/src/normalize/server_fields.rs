//! Data the API server writes and the user never does: not part of the desired state.

use crate::value::Value;

pub const LAST_APPLIED_ANNOTATION: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// `metadata` fields owned by the API server.
const SERVER_METADATA: &[&str] = &[
    "creationTimestamp",
    "deletionGracePeriodSeconds",
    "deletionTimestamp",
    "generation",
    "managedFields",
    "resourceVersion",
    "selfLink",
    "uid",
];

/// Drops `status`, the server-owned metadata fields, and the last-applied annotation
/// (read beforehand as the previous desired state; never compared itself).
pub fn drop_server_fields(obj: &mut Value) {
    let Some(root) = obj.as_object_mut() else {
        return;
    };
    root.remove("status");
    let Some(metadata) = root.get_mut("metadata").and_then(Value::as_object_mut) else {
        return;
    };
    for field in SERVER_METADATA {
        metadata.remove(field);
    }
    if let Some(annotations) = metadata.get_mut("annotations").and_then(Value::as_object_mut) {
        annotations.remove(LAST_APPLIED_ANNOTATION);
        if annotations.is_empty() {
            metadata.remove("annotations");
        }
    }
}
