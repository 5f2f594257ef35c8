//! Reading `metadata.managedFields` (FieldsV1): which fields a field manager owns.
//! Used two ways: fields owned by managers the user names are ignored, and fields
//! owned by the GitOps tool's own manager count as previously applied (so a field
//! dropped from Git but still live is reported as a removal).

use super::glob::Glob;
use super::pattern::Segment;
use crate::value::{Map, Value};

/// The FieldsV1 sets of the entries whose manager matches one of `managers`
/// (status subresource entries are skipped: status is never compared).
pub fn owned_field_sets<'a>(live: &'a Value, managers: &[Glob]) -> Vec<&'a Map> {
    let Some(Value::Array(entries)) = live.get_path(&["metadata", "managedFields"]) else {
        return Vec::new();
    };
    entries
        .iter()
        .filter(|e| e.str_at(&["subresource"]).is_none_or(str::is_empty))
        .filter(|e| e.str_at(&["manager"]).is_some_and(|m| managers.iter().any(|g| g.matches(m))))
        .filter_map(|e| e.get_path(&["fieldsV1"]).and_then(Value::as_object))
        .collect()
}

enum FieldKey {
    Field(String),
    Keyed(Vec<(String, Value)>),
    Index(usize),
    SetValue(Value),
}

fn parse_key(key: &str) -> Option<FieldKey> {
    let (prefix, rest) = key.split_at_checked(2)?;
    match prefix {
        "f:" => Some(FieldKey::Field(rest.to_owned())),
        "i:" => rest.parse().ok().map(FieldKey::Index),
        "k:" | "v:" => {
            let value = crate::load::load_bytes(
                rest.as_bytes(),
                "managedFields",
                crate::load::Format::Json,
                &Default::default(),
            )
            .ok()
            .and_then(|mut docs| if docs.len() == 1 { docs.pop() } else { None })
            .map(|d| d.value);
            // load_bytes only yields objects; set values may be scalars.
            let value = value.or_else(|| serde_json_scalar(rest))?;
            if prefix == "v:" {
                return Some(FieldKey::SetValue(value));
            }
            let Value::Object(map) = value else { return None };
            Some(FieldKey::Keyed(map.into_entries()))
        }
        _ => None,
    }
}

fn serde_json_scalar(text: &str) -> Option<Value> {
    match serde_json::from_str::<serde_json::Value>(text).ok()? {
        serde_json::Value::String(s) => Some(Value::String(s)),
        serde_json::Value::Bool(b) => Some(Value::Bool(b)),
        serde_json::Value::Number(n) => n.as_i64().map(Value::Int).or_else(|| n.as_f64().map(Value::Float)),
        _ => None,
    }
}

fn is_leaf(set: &Value) -> bool {
    set.as_object().is_none_or(|m| m.keys().all(|k| k == "."))
}

/// Every owned leaf as a path pattern (set members are not addressable and skipped).
pub fn owned_paths(set: &Map) -> Vec<Vec<Segment>> {
    let mut out = Vec::new();
    collect(set, &mut Vec::new(), &mut out);
    out
}

fn collect(set: &Map, prefix: &mut Vec<Segment>, out: &mut Vec<Vec<Segment>>) {
    for (key, child) in set.iter() {
        let segment = match parse_key(key) {
            Some(FieldKey::Field(name)) => Segment::Literal(name),
            Some(FieldKey::Index(i)) => Segment::Literal(i.to_string()),
            Some(FieldKey::Keyed(pairs)) => Segment::Keyed(
                pairs
                    .into_iter()
                    .map(|(k, v)| {
                        let text = match v {
                            Value::String(s) => s,
                            other => crate::canon::canonical_string(&other),
                        };
                        (k, text)
                    })
                    .collect(),
            ),
            Some(FieldKey::SetValue(_)) | None => continue,
        };
        prefix.push(segment);
        match child.as_object() {
            Some(map) if !is_leaf(child) => collect(map, prefix, out),
            _ => out.push(prefix.clone()),
        }
        prefix.pop();
    }
}

/// The part of `live` that a field set covers: what the manager last applied, as far
/// as the live object still shows it. Keyed list items keep their key fields.
pub fn project(live: &Value, set: &Map) -> Option<Value> {
    match live {
        Value::Object(fields) => {
            let mut out = Map::new();
            for (key, child) in set.iter() {
                let Some(FieldKey::Field(name)) = parse_key(key) else {
                    continue;
                };
                let Some(value) = fields.get(&name) else { continue };
                let projected = match child.as_object() {
                    Some(map) if !is_leaf(child) => project(value, map),
                    _ => Some(value.clone()),
                };
                if let Some(p) = projected {
                    out.insert(name, p);
                }
            }
            Some(Value::Object(out))
        }
        Value::Array(items) => {
            let mut out = Vec::new();
            for (key, child) in set.iter() {
                match parse_key(key) {
                    Some(FieldKey::Keyed(pairs)) => {
                        let Some(item) = items.iter().find(|item| {
                            item.as_object().is_some_and(|m| pairs.iter().all(|(k, v)| m.get(k) == Some(v)))
                        }) else {
                            continue;
                        };
                        let mut projected = match child.as_object() {
                            Some(map) if !is_leaf(child) => project(item, map).unwrap_or(Value::Object(Map::new())),
                            _ => item.clone(),
                        };
                        if let Value::Object(m) = &mut projected {
                            for (k, v) in &pairs {
                                m.insert(k.clone(), v.clone());
                            }
                        }
                        out.push(projected);
                    }
                    Some(FieldKey::SetValue(v)) if items.contains(&v) => out.push(v),
                    Some(FieldKey::Index(i)) => {
                        if let Some(item) = items.get(i) {
                            out.push(item.clone());
                        }
                    }
                    _ => {}
                }
            }
            Some(Value::Array(out))
        }
        _ => None,
    }
}

/// Merges the projections of several field sets (several matching entries).
pub fn previous_from_managers(live: &Value, managers: &[Glob]) -> Option<Value> {
    let sets = owned_field_sets(live, managers);
    let mut merged: Option<Value> = None;
    for set in sets {
        let Some(p) = project(live, set) else { continue };
        merged = Some(match merged {
            None => p,
            Some(acc) => merge(acc, p),
        });
    }
    merged
}

fn merge(a: Value, b: Value) -> Value {
    match (a, b) {
        (Value::Object(mut a), Value::Object(b)) => {
            for (k, v) in b.into_entries() {
                let combined = match a.remove(&k) {
                    Some(existing) => merge(existing, v),
                    None => v,
                };
                a.insert(k, combined);
            }
            Value::Object(a)
        }
        (Value::Array(mut a), Value::Array(b)) => {
            for item in b {
                if !a.contains(&item) {
                    a.push(item);
                }
            }
            Value::Array(a)
        }
        (_, b) => b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIVE: &str = r#"
metadata:
  name: web
  managedFields:
  - manager: argocd-controller
    operation: Apply
    fieldsType: FieldsV1
    fieldsV1:
      f:metadata: {f:labels: {f:app: {}}}
      f:spec:
        f:replicas: {}
        f:template: {f:spec: {f:containers: {'k:{"name":"app"}': {.: {}, f:image: {}, f:name: {}}}}}
  - manager: kube-controller-manager
    operation: Update
    fieldsType: FieldsV1
    fieldsV1: {f:spec: {f:replicas: {}}}
  - manager: kube-controller-manager
    operation: Update
    subresource: status
    fieldsV1: {f:status: {f:replicas: {}}}
  labels: {app: web, other: x}
spec:
  replicas: 3
  template: {spec: {containers: [{name: app, image: 'x:1', imagePullPolicy: Always}]}}
"#;

    fn live() -> Value {
        crate::load::test_object(LIVE)
    }

    #[test]
    fn owned_leaves_of_a_manager() {
        let live = live();
        let sets = owned_field_sets(&live, &[Glob::parse("kube-controller-manager").unwrap()]);
        assert_eq!(sets.len(), 1, "status entries are skipped");
        let paths = owned_paths(sets[0]);
        assert_eq!(paths, vec![vec![Segment::Literal("spec".into()), Segment::Literal("replicas".into())]]);
    }

    #[test]
    fn projection_keeps_what_the_manager_applied() {
        let live = live();
        let previous = previous_from_managers(&live, &[Glob::parse("argocd-*").unwrap()]).unwrap();
        assert_eq!(previous.get_path(&["spec", "replicas"]), Some(&Value::Int(3)));
        let containers = previous.get_path(&["spec", "template", "spec", "containers"]).unwrap();
        let Value::Array(items) = containers else { panic!("not a list") };
        assert_eq!(items[0].str_at(&["image"]), Some("x:1"));
        assert_eq!(items[0].str_at(&["name"]), Some("app"));
        assert!(items[0].get_path(&["imagePullPolicy"]).is_none());
    }
}
