//! Managed scope: which live-only objects are prune candidates ("extra"). Only those a
//! GitOps tool or `kubectl apply` marks as its own; never objects owned by another
//! object, and never the furniture every cluster creates by itself.

use crate::identity::ResourceId;
use crate::normalize::LAST_APPLIED_ANNOTATION;
use crate::value::Value;

/// Annotations whose presence marks an object as managed by a GitOps tool.
const TRACKING_ANNOTATIONS: &[&str] =
    &["argocd.argoproj.io/tracking-id", "meta.helm.sh/release-name", LAST_APPLIED_ANNOTATION];

/// Label keys (or prefixes ending in `/`) that mark an object as managed.
const TRACKING_LABELS: &[&str] = &[
    "app.kubernetes.io/instance",
    "argocd.argoproj.io/instance",
    "kustomize.toolkit.fluxcd.io/",
    "helm.toolkit.fluxcd.io/",
    "app.kubernetes.io/managed-by",
];

/// Tracking metadata injected at apply time: never drift even though Git lacks it.
pub const INJECTED_ANNOTATIONS: &[&str] = &["argocd.argoproj.io/tracking-id"];

/// Owned objects and cluster furniture are never prune candidates, whatever marks them.
pub fn is_never_extra(id: &ResourceId, live: &Value) -> bool {
    is_owned(live) || is_cluster_furniture(id)
}

/// Whether a live-only object counts as extra.
pub fn is_managed(id: &ResourceId, live: &Value) -> bool {
    if is_never_extra(id, live) {
        return false;
    }
    let has_annotation = live
        .get_path(&["metadata", "annotations"])
        .and_then(Value::as_object)
        .is_some_and(|a| TRACKING_ANNOTATIONS.iter().any(|k| a.get(k).is_some()));
    let has_label = live.get_path(&["metadata", "labels"]).and_then(Value::as_object).is_some_and(|labels| {
        labels
            .keys()
            .any(|key| TRACKING_LABELS.iter().any(|t| if t.ends_with('/') { key.starts_with(t) } else { key == *t }))
    });
    has_annotation || has_label
}

fn is_owned(live: &Value) -> bool {
    matches!(live.get_path(&["metadata", "ownerReferences"]), Some(Value::Array(refs)) if !refs.is_empty())
}

/// Objects Kubernetes creates in every cluster or namespace on its own.
fn is_cluster_furniture(id: &ResourceId) -> bool {
    let core = id.group.is_empty();
    match (core, id.kind.as_str(), id.name.as_str()) {
        (true, "ConfigMap", "kube-root-ca.crt") | (true, "ServiceAccount", "default") => true,
        (true, "Namespace", name) => matches!(name, "default" | "kube-system" | "kube-public" | "kube-node-lease"),
        (true, "Service", "kubernetes") => id.namespace.as_deref() == Some("default"),
        _ => id
            .namespace
            .as_deref()
            .is_some_and(|ns| ns == "kube-system" || ns == "kube-public" || ns == "kube-node-lease"),
    }
}
