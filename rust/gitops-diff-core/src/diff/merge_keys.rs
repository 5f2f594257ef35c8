//! Which lists are maps in disguise: Kubernetes merges `containers` by `name`, ports
//! by `containerPort`+`protocol`, and so on. Such lists are compared item by item by
//! key, so their order is never drift. Every other list is an ordered value.

use crate::value::Value;

/// One field of a (possibly composite) merge key, with the default the API server
/// fills in when the field is left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyField {
    pub name: &'static str,
    pub default: Option<&'static str>,
}

const fn key(name: &'static str) -> KeyField {
    KeyField {
        name,
        default: None,
    }
}

const PROTOCOL_TCP: KeyField = KeyField {
    name: "protocol",
    default: Some("TCP"),
};

const NAME: &[KeyField] = &[key("name")];
const CONTAINER_PORT: &[KeyField] = &[key("containerPort"), PROTOCOL_TCP];
const SERVICE_PORT: &[KeyField] = &[key("port"), PROTOCOL_TCP];
const MOUNT_PATH: &[KeyField] = &[key("mountPath")];
const DEVICE_PATH: &[KeyField] = &[key("devicePath")];
const IP: &[KeyField] = &[key("ip")];
const RESOURCE_NAME: &[KeyField] = &[key("resourceName")];
const TOPOLOGY_SPREAD: &[KeyField] = &[key("topologyKey"), key("whenUnsatisfiable")];

fn is_container_list(field: &str) -> bool {
    matches!(
        field,
        "containers" | "initContainers" | "ephemeralContainers"
    )
}

/// The merge key of the list at `fields` (the object field names from the root to the
/// list, list positions left out) in an object of `group`/`kind`, if it has one.
pub fn merge_key(group: &str, kind: &str, fields: &[&str]) -> Option<&'static [KeyField]> {
    let (&last, parents) = fields.split_last()?;
    let parent = parents.last().copied();
    let in_container = parent.is_some_and(is_container_list);
    match last {
        f if is_container_list(f) => Some(NAME),
        "env" if in_container => Some(NAME),
        "ports" if in_container => Some(CONTAINER_PORT),
        "ports" if group.is_empty() && kind == "Service" && fields == ["spec", "ports"] => {
            Some(SERVICE_PORT)
        }
        "volumeMounts" if in_container => Some(MOUNT_PATH),
        "volumeDevices" if in_container => Some(DEVICE_PATH),
        "resizePolicy" if in_container => Some(RESOURCE_NAME),
        "volumes" | "imagePullSecrets" | "resourceClaims" | "schedulingGates" => Some(NAME),
        "hostAliases" => Some(IP),
        "topologySpreadConstraints" => Some(TOPOLOGY_SPREAD),
        _ => None,
    }
}

/// The key of one list item: the values of its key fields (defaults filled in), or
/// `None` when the item is not an object or lacks a key field without default.
pub fn item_key(item: &Value, fields: &[KeyField]) -> Option<Vec<Value>> {
    let map = item.as_object()?;
    fields
        .iter()
        .map(|f| match map.get(f.name) {
            Some(v) if !matches!(v, Value::Null) => Some(v.clone()),
            _ => f.default.map(|d| Value::String(d.to_owned())),
        })
        .collect()
}

/// `name=app` or `containerPort=80,protocol=TCP`, for readable paths.
pub fn describe_key(fields: &[KeyField], values: &[Value]) -> String {
    fields
        .iter()
        .zip(values)
        .map(|(f, v)| match v {
            Value::String(s) => format!("{}={}", f.name, s),
            other => format!("{}={}", f.name, crate::canon::canonical_string(other)),
        })
        .collect::<Vec<_>>()
        .join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn container_lists_and_their_children() {
        let path = ["spec", "template", "spec", "containers"];
        assert_eq!(merge_key("apps", "Deployment", &path), Some(NAME));
        let ports = ["spec", "template", "spec", "containers", "ports"];
        assert_eq!(
            merge_key("apps", "Deployment", &ports),
            Some(CONTAINER_PORT)
        );
        assert_eq!(
            merge_key("", "Service", &["spec", "ports"]),
            Some(SERVICE_PORT)
        );
        assert_eq!(merge_key("", "Pod", &["spec", "tolerations"]), None);
        assert_eq!(merge_key("", "ConfigMap", &["spec", "env"]), None);
    }

    #[test]
    fn protocol_defaults_to_tcp_in_keys() {
        let item = Value::Object(
            crate::value::Map::from_entries(vec![("containerPort".into(), Value::Int(80))])
                .unwrap(),
        );
        let k = item_key(&item, CONTAINER_PORT).unwrap();
        assert_eq!(
            describe_key(CONTAINER_PORT, &k),
            "containerPort=80,protocol=TCP"
        );
    }
}
