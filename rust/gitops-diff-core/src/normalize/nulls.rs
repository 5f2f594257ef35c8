//! `field: null` means "not set" to Kubernetes: drop such entries everywhere.

use crate::value::Value;

/// Removes null-valued object entries at every depth (list items are kept as they are:
/// a null in a list is a value of its own).
pub fn drop_nulls(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.retain(|_, v| !matches!(v, Value::Null));
            for (_, v) in map.iter_mut() {
                drop_nulls(v);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(drop_nulls),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Map;

    #[test]
    fn null_entries_go_list_items_stay() {
        let inner = Map::from_entries(vec![("b".into(), Value::Null), ("c".into(), Value::Int(1))]).unwrap();
        let mut v = Value::Object(
            Map::from_entries(vec![
                ("a".into(), Value::Null),
                ("m".into(), Value::Object(inner)),
                ("l".into(), Value::Array(vec![Value::Null])),
            ])
            .unwrap(),
        );
        drop_nulls(&mut v);
        assert_eq!(v.get_path(&["a"]), None);
        assert_eq!(v.get_path(&["m", "b"]), None);
        assert_eq!(v.get_path(&["m", "c"]), Some(&Value::Int(1)));
        assert_eq!(v.get_path(&["l"]), Some(&Value::Array(vec![Value::Null])));
    }
}
