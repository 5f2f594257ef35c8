//! Secret values never reach a report: each is replaced by a salted fingerprint, the
//! same for equal values within a report and different for different ones, so a
//! change is still visible as a change.

use std::hash::{BuildHasher, Hasher};

use xxhash_rust::xxh3::xxh3_64_with_seed;

use crate::value::Value;

#[derive(Debug, Clone, Copy)]
pub struct Masker {
    salt: u64,
}

impl Masker {
    /// A masker with a fresh random salt: masks cannot be compared across reports or
    /// reversed by hashing guesses.
    pub fn random() -> Self {
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher
            .write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos()));
        hasher.write_u32(std::process::id());
        Self { salt: hasher.finish() }
    }

    /// A masker with a caller-chosen salt, for reproducible output.
    pub fn with_salt(salt: u64) -> Self {
        Self { salt }
    }

    pub fn mask_str(&self, secret: &str) -> String {
        let fingerprint = xxh3_64_with_seed(secret.as_bytes(), self.salt) & 0xffff_ffff_ffff;
        format!("<masked:{fingerprint:012x}>")
    }

    /// Masks every scalar inside `value` (a Secret's data map, or one entry of it).
    pub fn mask_value(&self, value: &mut Value) {
        match value {
            Value::String(s) => *s = self.mask_str(s),
            Value::Null => {}
            Value::Bool(_) | Value::Int(_) | Value::Float(_) => {
                *value = Value::String(self.mask_str(&crate::canon::canonical_string(value)));
            }
            Value::Array(items) => items.iter_mut().for_each(|v| self.mask_value(v)),
            Value::Object(map) => map.iter_mut().for_each(|(_, v)| self.mask_value(v)),
        }
    }
}

/// Top-level fields of a Secret that hold secret values.
pub const SECRET_FIELDS: &[&str] = &["data", "stringData"];

/// Whether a JSON pointer inside a Secret reaches (into) its secret values, or
/// contains them (the root).
pub fn pointer_holds_secret(pointer: &str) -> bool {
    pointer.is_empty()
        || SECRET_FIELDS.iter().any(|f| {
            pointer
                .strip_prefix('/')
                .and_then(|p| p.strip_prefix(f))
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })
}

/// Whether objects of this identity hold secret values.
pub fn is_secret(id: &crate::identity::ResourceId) -> bool {
    id.group.is_empty() && id.kind == "Secret"
}

/// A copy of a Secret with every secret value emptied (keys kept), for hashes that
/// outputs may show.
pub fn redact_secret(obj: &Value) -> Value {
    let mut copy = obj.clone();
    if let Some(map) = copy.as_object_mut() {
        for field in SECRET_FIELDS {
            if let Some(Value::Object(values)) = map.get_mut(field) {
                values.iter_mut().for_each(|(_, v)| *v = Value::String(String::new()));
            }
        }
    }
    copy
}

/// Masks the secret fields of a whole Secret object.
pub fn mask_secret_object(masker: &Masker, obj: &mut Value) {
    if let Some(map) = obj.as_object_mut() {
        for field in SECRET_FIELDS {
            if let Some(v) = map.get_mut(field) {
                masker.mask_value(v);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_values_equal_masks_different_values_different_masks() {
        let m = Masker::with_salt(7);
        assert_eq!(m.mask_str("hunter2"), m.mask_str("hunter2"));
        assert_ne!(m.mask_str("hunter2"), m.mask_str("hunter3"));
        assert!(!m.mask_str("hunter2").contains("hunter2"));
        assert_ne!(Masker::with_salt(8).mask_str("hunter2"), m.mask_str("hunter2"));
    }

    #[test]
    fn redacted_secrets_keep_keys_and_drop_values() {
        let obj = crate::load::test_object("kind: Secret\ndata: {password: aHVudGVyMg==}\n");
        let redacted = redact_secret(&obj);
        assert_eq!(redacted.str_at(&["data", "password"]), Some(""));
        assert_eq!(redacted.str_at(&["kind"]), Some("Secret"));
    }

    #[test]
    fn secret_pointers() {
        assert!(pointer_holds_secret("/data"));
        assert!(pointer_holds_secret("/data/password"));
        assert!(pointer_holds_secret("/stringData/x"));
        assert!(pointer_holds_secret(""));
        assert!(!pointer_holds_secret("/database"));
        assert!(!pointer_holds_secret("/metadata/labels/data"));
    }
}
