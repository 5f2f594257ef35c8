//! Bytes to documents: files, folders, stdin and buffers; YAML and JSON; `kind: List`
//! unwrapped; empty documents skipped. Files are parsed in parallel.

mod json;
pub mod limits;
mod scalar;
mod walk;
mod yaml;

pub use yaml::line_index;

use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

pub use limits::Limits;
pub use scalar::resolve_plain;

use crate::error::{Error, Location, Origin};
use crate::value::Value;

/// One object read from a source, with where it came from.
#[derive(Debug, Clone)]
pub struct Document {
    pub value: Value,
    pub origin: Origin,
}

/// A parsed top-level value before list unwrapping.
#[derive(Debug)]
pub(crate) struct RawDocument {
    pub value: Value,
    pub line: u32,
    pub item_lines: Vec<u32>,
}

/// How to read a source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// From the file extension, else from the first character (`{` or `[` is JSON).
    #[default]
    Auto,
    Yaml,
    Json,
}

/// Reads one buffer (a file's bytes, stdin, or bytes handed over by a caller).
pub fn load_bytes(bytes: &[u8], source: &str, format: Format, limits: &Limits) -> Result<Vec<Document>, Error> {
    let source: Arc<str> = Arc::from(source);
    if bytes.len() > limits.max_source_bytes {
        return Err(Error::Limit {
            location: Location { source, line: 1, column: 1 },
            message: format!(
                "input is {} bytes, more than the limit of {} bytes",
                bytes.len(),
                limits.max_source_bytes
            ),
        });
    }
    let text = decode_utf8(bytes, &source)?;
    let raw = match resolve_format(format, &source, text) {
        Format::Json => json::parse_json(text, &source)?,
        _ => yaml::parse_yaml(text, &source, limits)?,
    };
    into_documents(raw, &source)
}

/// Reads files and folders (recursively: `.yaml`, `.yml`, `.json`; hidden entries
/// skipped) in a stable order, parsing the files in parallel.
pub fn load_paths<P: AsRef<Path>>(paths: &[P], limits: &Limits) -> Result<Vec<Document>, Error> {
    let mut files = Vec::new();
    for path in paths {
        walk::collect_files(path.as_ref(), &mut files)?;
    }
    let per_file: Vec<Result<Vec<Document>, Error>> = files
        .par_iter()
        .map(|file| {
            let bytes = std::fs::read(file).map_err(|e| Error::Io { path: file.clone(), message: e.to_string() })?;
            load_bytes(&bytes, &file.to_string_lossy(), Format::Auto, limits)
        })
        .collect();
    let mut documents = Vec::new();
    for result in per_file {
        documents.extend(result?);
    }
    Ok(documents)
}

fn decode_utf8<'a>(bytes: &'a [u8], source: &Arc<str>) -> Result<&'a str, Error> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let valid = &bytes[..e.valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = valid.len() - valid.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1) + 1;
        Error::Parse {
            location: Location {
                source: source.clone(),
                line: u32::try_from(line).unwrap_or(u32::MAX),
                column: u32::try_from(column).unwrap_or(u32::MAX),
            },
            message: "the file is not valid UTF-8 text (a binary file?)".into(),
        }
    })
}

fn resolve_format(format: Format, source: &str, text: &str) -> Format {
    match format {
        Format::Auto if source.ends_with(".json") => Format::Json,
        Format::Auto if source.ends_with(".yaml") || source.ends_with(".yml") => Format::Yaml,
        Format::Auto => match text.trim_start().as_bytes().first() {
            Some(b'{' | b'[') => Format::Json,
            _ => Format::Yaml,
        },
        explicit => explicit,
    }
}

/// Unwraps lists, skips empty documents and build-tool configuration, and refuses
/// documents that are not objects.
fn into_documents(raw: Vec<RawDocument>, source: &Arc<str>) -> Result<Vec<Document>, Error> {
    let mut documents = Vec::with_capacity(raw.len());
    let mut index = 0u32;
    let mut origin = |line: Option<u32>| {
        let o = Origin { source: source.clone(), line, index };
        index += 1;
        o
    };
    for doc in raw {
        match doc.value {
            Value::Null => {}
            Value::Object(_) if is_list(&doc.value) => {
                let Value::Object(mut map) = doc.value else {
                    continue;
                };
                let Some(Value::Array(items)) = map.remove("items") else {
                    continue;
                };
                for (i, item) in items.into_iter().enumerate() {
                    let origin = origin(doc.item_lines.get(i).copied());
                    match item {
                        Value::Object(_) => documents.push(Document { value: item, origin }),
                        other => return Err(not_an_object(origin, &other, "list item")),
                    }
                }
            }
            Value::Object(_) if is_build_config(&doc.value) => {}
            Value::Object(_) => documents.push(Document { value: doc.value, origin: origin(Some(doc.line)) }),
            other => return Err(not_an_object(origin(Some(doc.line)), &other, "document")),
        }
    }
    Ok(documents)
}

fn not_an_object(origin: Origin, value: &Value, what: &str) -> Error {
    Error::InvalidObject {
        origin,
        message: format!("a {what} must be an object (a Kubernetes resource), found a {}", value.type_name()),
    }
}

/// `kind: List` and every `*List` kind that carries `items`.
fn is_list(value: &Value) -> bool {
    value.str_at(&["kind"]).is_some_and(|k| k.ends_with("List"))
        && matches!(value.get_path(&["items"]), Some(Value::Array(_)))
}

/// kustomization.yaml and friends describe how to build resources; they are not resources.
fn is_build_config(value: &Value) -> bool {
    value.str_at(&["apiVersion"]).is_some_and(|v| v.starts_with("kustomize.config.k8s.io/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<Vec<Document>, Error> {
        load_bytes(text.as_bytes(), "t.yaml", Format::Auto, &Limits::default())
    }

    #[test]
    fn multi_document_stream_skips_empty_documents() {
        let docs = load("---\n---\nkind: A\n---\n# only a comment\n---\nkind: B\n").unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].origin.line, Some(3));
        assert_eq!(docs[1].origin.line, Some(7));
    }

    #[test]
    fn lists_are_unwrapped_with_item_lines() {
        let docs = load("kind: List\napiVersion: v1\nitems:\n- kind: A\n  x: 1\n- kind: B\n").unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].origin.line, Some(4));
        assert_eq!(docs[1].origin.line, Some(6));
        assert_eq!(docs[1].value.str_at(&["kind"]), Some("B"));
    }

    #[test]
    fn anchors_aliases_and_merge_keys() {
        let docs = load("base: &b {x: 1, y: 2}\nc:\n  <<: *b\n  y: 3\nd: *b\n").unwrap();
        let v = &docs[0].value;
        assert_eq!(v.get_path(&["c", "x"]), Some(&Value::Int(1)));
        assert_eq!(v.get_path(&["c", "y"]), Some(&Value::Int(3)));
        assert_eq!(v.get_path(&["d", "y"]), Some(&Value::Int(2)));
    }

    #[test]
    fn alias_bombs_hit_the_limit() {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        let mut prev = 'a';
        for name in 'b'..='j' {
            text.push_str(&format!("{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
            prev = name;
        }
        let err = load(&text).unwrap_err();
        assert!(matches!(err, Error::Limit { .. }), "{err}");
    }

    #[test]
    fn duplicate_keys_name_the_line_of_the_second() {
        let err = load("a: 1\nb: 2\na: 3\n").unwrap_err();
        assert_eq!(err.to_string(), "t.yaml:3:1: duplicate key \"a\" in the mapping that starts at line 1");
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let text = format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000));
        let err = load(&text).unwrap_err();
        assert!(matches!(err, Error::Limit { .. }), "{err}");
    }

    #[test]
    fn scalars_and_lists_are_not_objects() {
        let err = load("- a\n- b\n").unwrap_err();
        assert!(err.to_string().contains("must be an object"), "{err}");
        assert!(load("just text\n").is_err());
    }

    #[test]
    fn python_tags_are_refused_not_instantiated() {
        let err = load("a: !!python/object:os.system ls\n").unwrap_err();
        assert!(err.to_string().contains("unsupported tag"), "{err}");
    }

    #[test]
    fn syntax_errors_carry_line_and_column() {
        let err = load("a: 1\nb: [1, 2\nc: 3\n").unwrap_err();
        let Error::Parse { location, .. } = err else { panic!("not a parse error") };
        assert_eq!(&*location.source, "t.yaml");
        assert!(location.line >= 2);
    }

    #[test]
    fn invalid_utf8_and_bom() {
        let err = load_bytes(b"a: 1\nb: \xff\n", "bin.yaml", Format::Auto, &Limits::default()).unwrap_err();
        assert!(err.to_string().starts_with("bin.yaml:2:4:"), "{err}");
        let docs = load_bytes(b"\xEF\xBB\xBFkind: A\n", "bom.yaml", Format::Auto, &Limits::default()).unwrap();
        assert_eq!(docs.len(), 1);
    }

    #[test]
    fn json_is_detected_by_content() {
        let docs = load_bytes(b" {\"kind\": \"A\"}", "<stdin>", Format::Auto, &Limits::default()).unwrap();
        assert_eq!(docs[0].value.str_at(&["kind"]), Some("A"));
    }

    #[test]
    fn kustomization_files_are_not_resources() {
        let docs =
            load("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [a.yaml]\n").unwrap();
        assert!(docs.is_empty());
    }
}
