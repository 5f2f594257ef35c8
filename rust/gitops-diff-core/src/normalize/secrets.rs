//! Secret `stringData` is a write-only convenience: the API server stores it base64
//! encoded in `data` (a `stringData` key wins over the same `data` key).

use base64::Engine;

use crate::value::{Map, Value};

pub fn fold_string_data(obj: &mut Value) {
    let Some(root) = obj.as_object_mut() else {
        return;
    };
    let Some(Value::Object(string_data)) = root.remove("stringData") else {
        return;
    };
    if !matches!(root.get("data"), Some(Value::Object(_))) {
        root.insert("data".into(), Value::Object(Map::new()));
    }
    let Some(data) = root.get_mut("data").and_then(Value::as_object_mut) else {
        return;
    };
    for (key, value) in string_data.into_entries() {
        let plain = match &value {
            Value::String(s) => s.clone(),
            other => crate::canon::canonical_string(other),
        };
        let encoded = base64::engine::general_purpose::STANDARD.encode(plain.as_bytes());
        data.insert(key, Value::String(encoded));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{load_bytes, Format, Limits};

    #[test]
    fn string_data_becomes_base64_data_and_wins() {
        let mut v =
            load_bytes(b"data: {a: b2xk, k: eA==}\nstringData: {a: new}\n", "t", Format::Yaml, &Limits::default())
                .unwrap()
                .remove(0)
                .value;
        fold_string_data(&mut v);
        assert_eq!(v.str_at(&["data", "a"]), Some("bmV3"));
        assert_eq!(v.str_at(&["data", "k"]), Some("eA=="));
        assert!(v.get_path(&["stringData"]).is_none());
    }
}
