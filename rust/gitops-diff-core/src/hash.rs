//! XXH3-128 of canonical bytes: one hash per object, and a set digest that does not
//! depend on input order. docs/hash.md specifies both for re-implementation.

use xxhash_rust::xxh3::xxh3_128;

use rayon::prelude::*;

use crate::canon::{write_canonical, write_string_array};
use crate::identity::ResourceId;
use crate::value::Value;

/// The XXH3-128 hash of a value's canonical bytes.
pub fn hash_value(value: &Value) -> u128 {
    thread_local! {
        // One buffer per worker thread, reused: hashing is on the hot path of every pair.
        static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    BUFFER.with(|buffer| match buffer.try_borrow_mut() {
        Ok(mut bytes) => {
            bytes.clear();
            write_canonical(value, &mut bytes);
            xxh3_128(&bytes)
        }
        // Only reachable if hashing ever re-entered itself on one thread.
        Err(_) => {
            let mut bytes = Vec::new();
            write_canonical(value, &mut bytes);
            xxh3_128(&bytes)
        }
    })
}

/// A hash as 32 lowercase hex digits.
pub fn to_hex(hash: u128) -> String {
    format!("{hash:032x}")
}

/// Digest of a set of (identity, object hash): each member becomes the line
/// `["group","kind","namespace","name","hash"]\n` in canonical JSON (namespace "" when
/// cluster-scoped); the lines are sorted bytewise and the digest is XXH3-128 of their
/// concatenation.
pub fn set_digest<'a>(members: impl IntoIterator<Item = (&'a ResourceId, u128)>) -> u128 {
    let members: Vec<(&ResourceId, u128)> = members.into_iter().collect();
    let mut lines: Vec<Vec<u8>> = members
        .par_iter()
        .map(|(id, hash)| {
            let hex = to_hex(*hash);
            let fields = [&id.group, &id.kind, id.namespace.as_deref().unwrap_or(""), &id.name, &hex];
            let mut line = Vec::with_capacity(fields.iter().map(|f| f.len() + 3).sum::<usize>() + 2);
            write_string_array(&fields, &mut line);
            line.push(b'\n');
            line
        })
        .collect();
    lines.par_sort_unstable();
    xxh3_128(&lines.concat())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_of_empty_object_is_stable() {
        // XXH3-128 of the two bytes "{}": pinned so that an accidental change of the
        // canonical form or the hash function is caught.
        let v = Value::Object(Default::default());
        assert_eq!(to_hex(hash_value(&v)), to_hex(xxh3_128(b"{}")));
    }

    #[test]
    fn set_digest_ignores_member_order() {
        let a = ResourceId { group: "".into(), kind: "A".into(), namespace: None, name: "a".into() };
        let b = ResourceId { group: "apps".into(), kind: "B".into(), namespace: Some("n".into()), name: "b".into() };
        assert_eq!(set_digest([(&a, 1), (&b, 2)]), set_digest([(&b, 2), (&a, 1)]));
        assert_ne!(set_digest([(&a, 1), (&b, 2)]), set_digest([(&a, 2), (&b, 1)]));
    }
}
