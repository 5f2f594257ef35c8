//! Who an object is: API group, kind, namespace and name. The version is not identity
//! (`apps/v1` and `apps/v1beta2` Deployments are the same object).

use std::collections::{HashMap, HashSet};
use std::fmt;

use crate::error::{Error, Origin};
use crate::value::Value;

/// The identity of a resource, ordered group, kind, namespace, name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ResourceId {
    /// "" for the core group.
    pub group: String,
    pub kind: String,
    /// `None` for cluster-scoped objects.
    pub namespace: Option<String>,
    pub name: String,
}

impl fmt::Display for ResourceId {
    /// `apps/Deployment shop/web`, `Namespace shop`: the core group is left out.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.group.is_empty() {
            write!(f, "{}/", self.group)?;
        }
        write!(f, "{} ", self.kind)?;
        if let Some(ns) = &self.namespace {
            write!(f, "{ns}/")?;
        }
        f.write_str(&self.name)
    }
}

/// The group part of an `apiVersion` (`apps/v1` -> `apps`, `v1` -> ``).
pub fn group_of(api_version: &str) -> &str {
    api_version.rsplit_once('/').map_or("", |(group, _)| group)
}

/// Kinds that moved out of the `extensions` group: the API server serves the same
/// object under both, so both spellings are one identity (the current group).
const MOVED_KINDS: &[(&str, &str)] = &[
    ("Deployment", "apps"),
    ("DaemonSet", "apps"),
    ("ReplicaSet", "apps"),
    ("Ingress", "networking.k8s.io"),
    ("NetworkPolicy", "networking.k8s.io"),
    ("PodSecurityPolicy", "policy"),
];

/// The group an object of `kind` in `group` is identified by.
pub fn current_group<'a>(group: &'a str, kind: &str) -> &'a str {
    if group == "extensions" {
        if let Some((_, moved)) = MOVED_KINDS.iter().find(|(k, _)| *k == kind) {
            return moved;
        }
    }
    group
}

/// Cluster-scoped kinds of the built-in API groups, as (group, kind).
const CLUSTER_SCOPED: &[(&str, &str)] = &[
    ("", "ComponentStatus"),
    ("", "Namespace"),
    ("", "Node"),
    ("", "PersistentVolume"),
    ("admissionregistration.k8s.io", "MutatingWebhookConfiguration"),
    ("admissionregistration.k8s.io", "ValidatingAdmissionPolicy"),
    ("admissionregistration.k8s.io", "ValidatingAdmissionPolicyBinding"),
    ("admissionregistration.k8s.io", "MutatingAdmissionPolicy"),
    ("admissionregistration.k8s.io", "MutatingAdmissionPolicyBinding"),
    ("admissionregistration.k8s.io", "ValidatingWebhookConfiguration"),
    ("apiextensions.k8s.io", "CustomResourceDefinition"),
    ("apiregistration.k8s.io", "APIService"),
    ("certificates.k8s.io", "CertificateSigningRequest"),
    ("certificates.k8s.io", "ClusterTrustBundle"),
    ("flowcontrol.apiserver.k8s.io", "FlowSchema"),
    ("flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration"),
    ("internal.apiserver.k8s.io", "StorageVersion"),
    ("networking.k8s.io", "IngressClass"),
    ("networking.k8s.io", "IPAddress"),
    ("networking.k8s.io", "ServiceCIDR"),
    ("node.k8s.io", "RuntimeClass"),
    ("policy", "PodSecurityPolicy"),
    ("rbac.authorization.k8s.io", "ClusterRole"),
    ("rbac.authorization.k8s.io", "ClusterRoleBinding"),
    ("resource.k8s.io", "DeviceClass"),
    ("resource.k8s.io", "ResourceSlice"),
    ("scheduling.k8s.io", "PriorityClass"),
    ("storage.k8s.io", "CSIDriver"),
    ("storage.k8s.io", "CSINode"),
    ("storage.k8s.io", "StorageClass"),
    ("storage.k8s.io", "VolumeAttachment"),
    ("storage.k8s.io", "VolumeAttributesClass"),
    ("extensions", "PodSecurityPolicy"),
];

/// API groups whose kinds we know completely: a kind of these groups that is not in
/// [`CLUSTER_SCOPED`] is namespaced.
const BUILT_IN_GROUPS: &[&str] = &[
    "",
    "admissionregistration.k8s.io",
    "apiextensions.k8s.io",
    "apiregistration.k8s.io",
    "apps",
    "autoscaling",
    "batch",
    "certificates.k8s.io",
    "coordination.k8s.io",
    "discovery.k8s.io",
    "events.k8s.io",
    "extensions",
    "flowcontrol.apiserver.k8s.io",
    "networking.k8s.io",
    "node.k8s.io",
    "policy",
    "rbac.authorization.k8s.io",
    "resource.k8s.io",
    "scheduling.k8s.io",
    "storage.k8s.io",
];

/// Whether objects of a kind live in a namespace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Namespaced,
    Cluster,
}

/// Scope of every kind the engine may meet: built-in kinds from a table, custom kinds
/// from CRDs among the inputs, and other kinds from whether live objects of that kind
/// carry a namespace.
#[derive(Debug, Clone, Default)]
pub struct ScopeTable {
    /// Kinds by group: a lookup with borrowed names allocates nothing, and it runs
    /// once per object of both sides.
    custom: HashMap<String, HashMap<String, Scope>>,
    seen_namespaced: HashMap<String, HashSet<String>>,
}

impl ScopeTable {
    /// Learns from all objects of both sides.
    pub fn learn<'a>(objects: impl IntoIterator<Item = &'a Value>) -> Self {
        let mut custom: HashMap<(&str, &str), Scope> = HashMap::new();
        let mut seen_namespaced: HashSet<(&str, &str)> = HashSet::new();
        for obj in objects {
            let kind = obj.str_at(&["kind"]).unwrap_or_default();
            let group = group_of(obj.str_at(&["apiVersion"]).unwrap_or_default());
            if kind == "CustomResourceDefinition" && group == "apiextensions.k8s.io" {
                if let (Some(g), Some(k)) = (obj.str_at(&["spec", "group"]), obj.str_at(&["spec", "names", "kind"])) {
                    let scope = match obj.str_at(&["spec", "scope"]) {
                        Some("Cluster") => Scope::Cluster,
                        _ => Scope::Namespaced,
                    };
                    custom.insert((g, k), scope);
                }
            }
            if obj.str_at(&["metadata", "namespace"]).is_some_and(|ns| !ns.is_empty()) {
                seen_namespaced.insert((group, kind));
            }
        }
        let mut table = Self::default();
        for ((group, kind), scope) in custom {
            table.custom.entry(group.to_owned()).or_default().insert(kind.to_owned(), scope);
        }
        for (group, kind) in seen_namespaced {
            table.seen_namespaced.entry(group.to_owned()).or_default().insert(kind.to_owned());
        }
        table
    }

    /// Both tables in one, as if learned from `self`'s objects then `later`'s: a CRD
    /// learned later wins, as it does within one table.
    pub fn merged(mut self, later: Self) -> Self {
        for (group, kinds) in later.custom {
            self.custom.entry(group).or_default().extend(kinds);
        }
        for (group, kinds) in later.seen_namespaced {
            self.seen_namespaced.entry(group).or_default().extend(kinds);
        }
        self
    }

    pub fn scope(&self, group: &str, kind: &str) -> Scope {
        if CLUSTER_SCOPED.iter().any(|&(g, k)| g == group && k == kind) {
            return Scope::Cluster;
        }
        if BUILT_IN_GROUPS.contains(&group) {
            return Scope::Namespaced;
        }
        if let Some(scope) = self.custom.get(group).and_then(|kinds| kinds.get(kind)) {
            return *scope;
        }
        if self.seen_namespaced.get(group).is_some_and(|kinds| kinds.contains(kind)) {
            Scope::Namespaced
        } else {
            Scope::Cluster
        }
    }
}

/// Reads an object's identity. Namespaced objects without a namespace get
/// `default_namespace`; cluster-scoped ones never have one.
pub fn identify(
    obj: &Value,
    origin: &Origin,
    scopes: &ScopeTable,
    default_namespace: &str,
) -> Result<ResourceId, Error> {
    let invalid = |message: String| Error::InvalidObject { origin: origin.clone(), message };
    let field = |path: &[&str], what: &str| -> Result<&str, Error> {
        match obj.get_path(path) {
            Some(Value::String(s)) if !s.is_empty() => Ok(s),
            Some(other) if !matches!(other, Value::Null) => {
                Err(invalid(format!("{what} must be a non-empty string, found a {}", other.type_name())))
            }
            _ => Err(invalid(format!("the object has no {what}"))),
        }
    };
    let api_version = field(&["apiVersion"], "apiVersion")?;
    let kind = field(&["kind"], "kind")?;
    let name = field(&["metadata", "name"], "metadata.name")?;
    let group = current_group(group_of(api_version), kind);
    let namespace = match scopes.scope(group, kind) {
        Scope::Cluster => None,
        Scope::Namespaced => Some(match obj.str_at(&["metadata", "namespace"]) {
            Some(ns) if !ns.is_empty() => ns.to_owned(),
            _ => default_namespace.to_owned(),
        }),
    };
    Ok(ResourceId { group: group.to_owned(), kind: kind.to_owned(), namespace, name: name.to_owned() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{load_bytes, Format, Limits};

    fn objects(text: &str) -> Vec<crate::load::Document> {
        load_bytes(text.as_bytes(), "t.yaml", Format::Yaml, &Limits::default()).unwrap()
    }

    #[test]
    fn version_is_not_identity_and_default_namespace_applies() {
        let docs = objects("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n");
        let id = identify(&docs[0].value, &docs[0].origin, &ScopeTable::default(), "default").unwrap();
        assert_eq!(id.group, "apps");
        assert_eq!(id.namespace.as_deref(), Some("default"));
        assert_eq!(id.to_string(), "apps/Deployment default/web");
    }

    #[test]
    fn kinds_that_left_extensions_keep_one_identity() {
        let docs = objects("apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata: {name: web}\n");
        let id = identify(&docs[0].value, &docs[0].origin, &ScopeTable::default(), "default").unwrap();
        assert_eq!(id.group, "apps");
    }

    #[test]
    fn cluster_scoped_kinds_drop_a_stray_namespace() {
        let docs =
            objects("apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: r, namespace: x}\n");
        let id = identify(&docs[0].value, &docs[0].origin, &ScopeTable::default(), "default").unwrap();
        assert_eq!(id.namespace, None);
    }

    #[test]
    fn crd_scope_comes_from_the_inputs() {
        let docs = objects(
            "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: ws.example.com}\nspec: {group: example.com, scope: Namespaced, names: {kind: Widget}}\n---\napiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n",
        );
        let table = ScopeTable::learn(docs.iter().map(|d| &d.value));
        let id = identify(&docs[1].value, &docs[1].origin, &table, "apps").unwrap();
        assert_eq!(id.namespace.as_deref(), Some("apps"));
    }

    #[test]
    fn objects_without_kind_or_name_are_invalid() {
        let docs = objects("apiVersion: v1\nmetadata: {name: x}\n---\napiVersion: v1\nkind: ConfigMap\n");
        let e1 = identify(&docs[0].value, &docs[0].origin, &ScopeTable::default(), "default").unwrap_err();
        assert_eq!(e1.to_string(), "t.yaml:1: the object has no kind");
        let e2 = identify(&docs[1].value, &docs[1].origin, &ScopeTable::default(), "default").unwrap_err();
        assert_eq!(e2.to_string(), "t.yaml:4: the object has no metadata.name");
    }
}
