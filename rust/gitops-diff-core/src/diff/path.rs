//! Where a change is: an RFC 6901 JSON pointer and a readable path, built only when a
//! change is recorded.

use super::list_keys::describe_item_key;
use super::merge_keys::KeyField;
use crate::value::Value;

/// One step from a parent to a child.
#[derive(Debug, Clone)]
pub enum Step<'a> {
    Field(&'a str),
    /// A position in an ordered list of `len` items.
    Index {
        index: usize,
        len: usize,
    },
    /// An item of a keyed list: the item whose key names it (desired's when both sides
    /// have it), its index in the live list (`None` when the item exists only in the
    /// desired state) and the key's fields. The key is read only when a change is recorded.
    Keyed {
        item: &'a Value,
        live_index: Option<usize>,
        fields: &'a [KeyField],
    },
}

/// RFC 6901: `~` as `~0`, `/` as `~1`; a desired-only keyed item is `-` (append).
pub fn pointer(steps: &[Step<'_>]) -> String {
    let mut out = String::new();
    for step in steps {
        out.push('/');
        match step {
            Step::Field(name) => out.push_str(&name.replace('~', "~0").replace('/', "~1")),
            Step::Index { index: i, .. } | Step::Keyed { live_index: Some(i), .. } => out.push_str(&i.to_string()),
            Step::Keyed { live_index: None, .. } => out.push('-'),
        }
    }
    out
}

/// `spec.template.spec.containers[name=app].image`, with `["a.b/c"]` for keys that are
/// not plain identifiers.
pub fn readable(steps: &[Step<'_>]) -> String {
    let mut out = String::new();
    for step in steps {
        match step {
            Step::Field(name) if is_plain(name) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(name);
            }
            Step::Field(name) => {
                out.push('[');
                out.push_str(&crate::canon::canonical_string(&Value::String((*name).to_owned())));
                out.push(']');
            }
            Step::Index { index, .. } => out.push_str(&format!("[{index}]")),
            Step::Keyed { item, fields, .. } => out.push_str(&format!("[{}]", describe_item_key(item, fields))),
        }
    }
    out
}

fn is_plain(name: &str) -> bool {
    !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && !name.starts_with(|c: char| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_escapes_and_readable_quotes() {
        let steps = [Step::Field("metadata"), Step::Field("annotations"), Step::Field("a/b~c")];
        assert_eq!(pointer(&steps), "/metadata/annotations/a~1b~0c");
        assert_eq!(readable(&steps), "metadata.annotations[\"a/b~c\"]");
    }

    #[test]
    fn keyed_items() {
        let fields = [KeyField { name: "name".into(), default: None }];
        let app = crate::load::test_object("{name: app, image: x}\n");
        let steps = [
            Step::Field("spec"),
            Step::Field("containers"),
            Step::Keyed { item: &app, live_index: Some(1), fields: &fields },
            Step::Field("image"),
        ];
        assert_eq!(pointer(&steps), "/spec/containers/1/image");
        assert_eq!(readable(&steps), "spec.containers[name=app].image");
        let new = [Step::Field("c"), Step::Keyed { item: &app, live_index: None, fields: &fields }];
        assert_eq!(pointer(&new), "/c/-");
    }
}
