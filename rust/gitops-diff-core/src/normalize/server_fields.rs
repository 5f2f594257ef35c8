//! Data the API server writes and the user never does: not part of the desired state.

use crate::value::{Map, Value};

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

/// A copy of `obj` without the fields [`drop_server_fields`] removes, made without
/// copying them first: in a live object they are often most of its bytes
/// (`managedFields`, `status`, the last-applied text).
pub fn clone_without_server_fields(obj: &Value) -> Value {
    let Value::Object(root) = obj else { return obj.clone() };
    let mut copy = Map::new();
    for (key, value) in root.iter() {
        match (key, value) {
            ("status", _) => {}
            ("metadata", Value::Object(metadata)) => {
                copy.insert(key.to_owned(), Value::Object(metadata_without_server_fields(metadata)));
            }
            _ => {
                copy.insert(key.to_owned(), value.clone());
            }
        }
    }
    Value::Object(copy)
}

fn metadata_without_server_fields(metadata: &Map) -> Map {
    let mut copy = Map::new();
    for (key, value) in metadata.iter().filter(|(k, _)| !SERVER_METADATA.contains(k)) {
        let value = match (key, value) {
            ("annotations", Value::Object(annotations)) => {
                let mut kept = annotations.clone();
                kept.remove(LAST_APPLIED_ANNOTATION);
                if kept.is_empty() {
                    continue;
                }
                Value::Object(kept)
            }
            _ => value.clone(),
        };
        copy.insert(key.to_owned(), value);
    }
    copy
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copying_without_server_fields_equals_copying_then_dropping() {
        let text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  uid: u\n  managedFields: [{manager: m}]\n  annotations:\n    kubectl.kubernetes.io/last-applied-configuration: '{}'\n    keep: 'yes'\ndata: {a: b}\nstatus: {phase: x}\n";
        let obj = crate::load::test_object(text);
        let mut dropped = obj.clone();
        drop_server_fields(&mut dropped);
        assert_eq!(clone_without_server_fields(&obj), dropped);
        let only = crate::load::test_object(
            "metadata:\n  annotations: {kubectl.kubernetes.io/last-applied-configuration: x}\n",
        );
        let mut dropped = only.clone();
        drop_server_fields(&mut dropped);
        assert_eq!(clone_without_server_fields(&only), dropped);
    }
}
