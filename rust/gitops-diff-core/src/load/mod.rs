//! Bytes to documents: files, folders, stdin and buffers; YAML and JSON; `kind: List`
//! unwrapped; empty documents skipped. Files are parsed in parallel.

mod json;
mod json_list;
pub mod limits;
mod list_pieces;
mod scalar;
mod walk;
mod yaml;

pub use yaml::line_index;

use std::io::Read;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use rayon::prelude::*;

pub use limits::Limits;
pub use scalar::resolve_plain;

use crate::error::{Error, Location, Origin};
use crate::value::Value;
use walk::FoundFile;

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

/// The first object of a YAML text, for unit tests across the crate.
#[cfg(test)]
pub(crate) fn test_object(text: &str) -> Value {
    load_bytes(text.as_bytes(), "t.yaml", Format::Yaml, &Limits::default()).unwrap().remove(0).value
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
        Format::Json => json::parse_json(text, &source, limits)?,
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
    check_total_size(&files, limits)?;
    let total_read = AtomicU64::new(0);
    let per_file: Vec<Result<Vec<Document>, Error>> = files
        .par_iter()
        .map(|FoundFile { path: file, .. }| {
            let bytes = read_bounded(file, limits)?;
            let total = total_read.fetch_add(bytes.len() as u64, Ordering::Relaxed) + bytes.len() as u64;
            if total > limits.max_total_bytes {
                return Err(total_limit_error(file, limits));
            }
            load_bytes(&bytes, &file.to_string_lossy(), Format::Auto, limits)
        })
        .collect();
    let mut documents = Vec::new();
    for result in per_file {
        documents.extend(result?);
    }
    Ok(documents)
}

/// Refuses a load whose files add up to more than the total limit, before reading any,
/// by the sizes the files had when they were found.
fn check_total_size(files: &[FoundFile], limits: &Limits) -> Result<(), Error> {
    let mut total = 0u64;
    for file in files {
        total = total.saturating_add(file.size);
        if total > limits.max_total_bytes {
            return Err(total_limit_error(&file.path, limits));
        }
    }
    Ok(())
}

fn total_limit_error(file: &Path, limits: &Limits) -> Error {
    Error::Limit {
        location: Location { source: Arc::from(file.to_string_lossy().as_ref()), line: 1, column: 1 },
        message: format!("the files of this load add up to more than the limit of {} bytes", limits.max_total_bytes),
    }
}

/// Reads a file, but never more than one byte past the size limit: a device or a
/// file that grows while it is read cannot exhaust memory.
fn read_bounded(file: &Path, limits: &Limits) -> Result<Vec<u8>, Error> {
    let io_error = |e: std::io::Error| Error::Io { path: file.to_path_buf(), message: e.to_string() };
    let handle = std::fs::File::open(file).map_err(io_error)?;
    let expected = handle.metadata().map_or(0, |m| m.len());
    let cap = limits.max_source_bytes.saturating_add(1);
    if let Some(bytes) = read_in_slices(&handle, expected, cap) {
        return Ok(bytes);
    }
    let mut bytes = Vec::with_capacity(usize::try_from(expected).unwrap_or(cap).min(cap));
    handle.take(cap as u64).read_to_end(&mut bytes).map_err(io_error)?;
    Ok(bytes)
}

/// Regular files at least this large are read in slices on all cores: one `read`
/// copies from the page cache at about 1.5 GB/s here (0.1 s for a 150 MB dump).
const SLICED_READ_MIN: u64 = 16 << 20;

/// Reads a large file in parallel slices, or `None` to let the caller read it in one
/// stream: too small, beyond the size limit, not a platform with positioned reads, or
/// a file whose size changed while it was read.
fn read_in_slices(handle: &std::fs::File, expected: u64, cap: usize) -> Option<Vec<u8>> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileExt;
        let len = usize::try_from(expected).ok().filter(|&n| n < cap && expected >= SLICED_READ_MIN)?;
        let mut bytes = vec![0u8; len];
        let slice = len.div_ceil(rayon::current_num_threads()).max(1 << 20);
        let read = bytes
            .par_chunks_mut(slice)
            .enumerate()
            .try_for_each(|(i, chunk)| handle.read_exact_at(chunk, (i * slice) as u64));
        // One more byte means the file grew: the streaming read decides what to keep.
        let grew = handle.read_at(&mut [0u8], expected).map_or(true, |n| n > 0);
        (read.is_ok() && !grew).then_some(bytes)
    }
    #[cfg(not(unix))]
    {
        let _ = (handle, expected, cap, SLICED_READ_MIN);
        None
    }
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
        let docs = load("base: &b {x: 1, z: 2}\nc:\n  <<: *b\n  z: 3\nd: *b\n").unwrap();
        let v = &docs[0].value;
        assert_eq!(v.get_path(&["c", "x"]), Some(&Value::Int(1)));
        assert_eq!(v.get_path(&["c", "z"]), Some(&Value::Int(3)));
        assert_eq!(v.get_path(&["d", "z"]), Some(&Value::Int(2)));
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

    fn load_with(text: &str, limits: &Limits) -> Result<Vec<Document>, Error> {
        load_bytes(text.as_bytes(), "t.yaml", Format::Auto, limits)
    }

    /// A folder of its own under the system's temporary folder, removed on drop.
    struct TempDir(std::path::PathBuf);

    impl TempDir {
        fn new(name: &str) -> Self {
            let path = std::env::temp_dir().join(format!("gitops-diff-{name}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&path);
            std::fs::create_dir_all(&path).unwrap();
            Self(path)
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn one_long_string_aliased_many_times_hits_the_byte_limit() {
        let limits = Limits { max_alias_bytes: 1 << 20, ..Limits::default() };
        let mut text = format!("a: &a {}\nb: [", "x".repeat(64 * 1024));
        text.push_str(&"*a, ".repeat(100));
        text.push_str("*a]\n");
        let err = load_with(&text, &limits).unwrap_err();
        assert!(matches!(err, Error::Limit { .. }), "{err}");
        assert!(err.to_string().contains("bytes of text"), "{err}");
    }

    #[test]
    fn the_alias_budget_spans_the_documents_of_a_source() {
        // Each document alone stays below the budget; together they do not.
        let doc = "a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9]\nb: [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n---\n";
        let limits = Limits { max_alias_nodes: 1000, ..Limits::default() };
        assert!(load_with(doc, &limits).is_ok());
        let err = load_with(&doc.repeat(20), &limits).unwrap_err();
        assert!(matches!(err, Error::Limit { .. }), "{err}");
    }

    #[test]
    fn nested_anchors_count_their_copies() {
        // Each anchor keeps a copy of everything inside it: 100 nested anchors around
        // one long string would hold it 100 times.
        let mut text = String::from("a: ");
        for i in 0..100 {
            text.push_str(&format!("&a{i} ["));
        }
        text.push_str(&"x".repeat(1 << 20));
        text.push_str(&"]".repeat(100));
        let limits = Limits { max_alias_bytes: 16 << 20, ..Limits::default() };
        let err = load_with(&text, &limits).unwrap_err();
        assert!(matches!(err, Error::Limit { .. }), "{err}");
    }

    #[test]
    fn aliases_cannot_nest_past_the_depth_limit() {
        // An alias of a deep value placed deep: within the limit each, not together.
        let deep = |n: usize| format!("{}1{}", "[".repeat(n), "]".repeat(n));
        let text = format!("a: &a {}\nb: {}*a{}\n", deep(100), "[".repeat(100), "]".repeat(100));
        let err = load(&text).unwrap_err();
        assert!(err.to_string().contains("aliases expanded"), "{err}");
        let shallow = format!("a: &a {}\nb: [*a]\n", deep(100));
        assert!(load(&shallow).is_ok());
    }

    #[test]
    fn deep_block_nesting_is_bounded() {
        let text = format!("{}x\n", "- ".repeat(100_000));
        let err = load(&text).unwrap_err();
        assert!(matches!(err, Error::Limit { .. }), "{err}");
    }

    #[test]
    fn tabs_as_indentation_are_a_parse_error_with_a_line() {
        let err = load("a:\n\tb: 1\n").unwrap_err();
        let Error::Parse { location, .. } = &err else { panic!("not a parse error: {err}") };
        assert_eq!(location.line, 2, "{err}");
    }

    #[test]
    fn scalar_keys_are_read_as_kubernetes_reads_them_and_complex_keys_refused() {
        // Plain keys resolve like values, then become text (sigs.k8s.io/yaml): `y` is a
        // YAML 1.1 boolean; quoted keys stay as written; a null key is refused.
        let docs = load("1: a\ny: b\n'null': c\n0x10: d\n").unwrap();
        let keys: Vec<&str> = docs[0].value.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["1", "16", "null", "true"]);
        assert!(matches!(load("null: c\n"), Err(Error::Parse { .. })));
        for text in ["? [a, b]\n: c\n", "{[1]: x}\n", "? {a: 1}\n: c\n", "a: 1\n!!int 2: b\n"] {
            assert!(matches!(load(text), Err(Error::Parse { .. })), "{text}");
        }
    }

    #[test]
    fn scalar_errors_never_quote_the_scalar() {
        for text in [
            "data:\n  password: !!int hunter2-secret\n",
            "data:\n  password: !!bool hunter2-secret\n",
            "data:\n  password: !!float hunter2-secret\n",
            "data:\n  password: 1e999999\n",
            "data:\n  password: .inf\n",
        ] {
            let err = load(text).unwrap_err().to_string();
            assert!(err.starts_with("t.yaml:2:"), "{err}");
            for fragment in ["hunter2", "1e999999", ".inf"] {
                assert!(!err.contains(fragment), "{err}");
            }
        }
    }

    #[test]
    fn a_binary_file_named_like_a_manifest_is_an_error_with_its_name() {
        let dir = TempDir::new("binary");
        std::fs::write(dir.0.join("a.yaml"), "kind: A\n").unwrap();
        std::fs::write(dir.0.join("logo.png"), b"\x89PNG\r\n\x1a\n\x00\xff").unwrap();
        assert_eq!(load_paths(&[&dir.0], &Limits::default()).unwrap().len(), 1);
        std::fs::write(dir.0.join("blob.yaml"), b"\x00\x01\xfe\xff").unwrap();
        let err = load_paths(&[&dir.0], &Limits::default()).unwrap_err().to_string();
        assert!(err.contains("blob.yaml:1:3: the file is not valid UTF-8"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn symbolic_link_loops_end() {
        use std::os::unix::fs::symlink;
        let dir = TempDir::new("links");
        std::fs::create_dir(dir.0.join("sub")).unwrap();
        std::fs::write(dir.0.join("sub/a.yaml"), "kind: A\n").unwrap();
        // A folder that links back to its parent is read once.
        symlink(&dir.0, dir.0.join("sub/up")).unwrap();
        assert_eq!(load_paths(&[&dir.0], &Limits::default()).unwrap().len(), 1);
        // Two manifest names linking to each other: an error that names the entry.
        symlink(dir.0.join("y.yaml"), dir.0.join("x.yaml")).unwrap();
        symlink(dir.0.join("x.yaml"), dir.0.join("y.yaml")).unwrap();
        let err = load_paths(&[&dir.0], &Limits::default()).unwrap_err();
        assert!(matches!(err, Error::Io { .. }), "{err}");
        assert!(err.to_string().contains("x.yaml"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn a_folder_reached_directly_and_through_a_link_is_read_once_whichever_comes_first() {
        use std::os::unix::fs::symlink;
        let dir = TempDir::new("reached-twice");
        // `b` links to the folders before and after it in name order, the real
        // folders' paths are then worked out without asking the system.
        for name in ["a", "c"] {
            std::fs::create_dir_all(dir.0.join(name).join("deeper")).unwrap();
            std::fs::write(dir.0.join(name).join("deeper/x.yaml"), format!("kind: {name}\n")).unwrap();
        }
        symlink(dir.0.join("a"), dir.0.join("b1")).unwrap();
        symlink(dir.0.join("c/deeper"), dir.0.join("b2")).unwrap();
        let docs = load_paths(&[&dir.0], &Limits::default()).unwrap();
        let sources: Vec<&str> = docs.iter().map(|d| &*d.origin.source).collect();
        let expected = [dir.0.join("a/deeper/x.yaml"), dir.0.join("b2/x.yaml")];
        assert_eq!(sources, expected.iter().map(|p| p.to_str().unwrap()).collect::<Vec<_>>());
        // Named through a link, the folder is read under the name given, and its
        // folders are still known as the ones the links point to.
        symlink(&dir.0, dir.0.join("root")).unwrap();
        let docs = load_paths(&[dir.0.join("root")], &Limits::default()).unwrap();
        let sources: Vec<&str> = docs.iter().map(|d| &*d.origin.source).collect();
        let expected = [dir.0.join("root/a/deeper/x.yaml"), dir.0.join("root/b2/x.yaml")];
        assert_eq!(sources, expected.iter().map(|p| p.to_str().unwrap()).collect::<Vec<_>>());
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn special_files_in_folders_are_skipped_and_named_ones_read_within_bounds() {
        use std::os::unix::fs::symlink;
        let dir = TempDir::new("special");
        std::fs::write(dir.0.join("a.yaml"), "kind: A\n").unwrap();
        // A device that never ends: skipped in a folder ...
        symlink("/dev/zero", dir.0.join("zero.yaml")).unwrap();
        assert_eq!(load_paths(&[&dir.0], &Limits::default()).unwrap().len(), 1);
        // ... and read no further than the size limit when named.
        let limits = Limits { max_source_bytes: 1 << 20, ..Limits::default() };
        let err = load_paths(&[dir.0.join("zero.yaml")], &limits).unwrap_err();
        assert!(matches!(err, Error::Limit { .. }), "{err}");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn an_unreadable_file_is_an_io_error_naming_it() {
        // Permission bits do not stop root, but a process's own memory file cannot
        // be read from its start by anyone.
        use std::os::unix::fs::symlink;
        let dir = TempDir::new("unreadable");
        symlink("/proc/self/mem", dir.0.join("mem.yaml")).unwrap();
        let err = load_paths(&[&dir.0], &Limits::default()).unwrap_err();
        assert!(matches!(err, Error::Io { .. }), "{err}");
        assert!(err.to_string().contains("mem.yaml: "), "{err}");
    }

    #[test]
    fn the_total_of_a_load_is_bounded() {
        let dir = TempDir::new("total");
        for name in ["a.yaml", "b.yaml", "c.yaml"] {
            std::fs::write(dir.0.join(name), format!("kind: A\nx: {}\n", "y".repeat(1000))).unwrap();
        }
        let limits = Limits { max_total_bytes: 2500, ..Limits::default() };
        let err = load_paths(&[&dir.0], &limits).unwrap_err();
        assert!(matches!(err, Error::Limit { .. }), "{err}");
        assert!(err.to_string().contains("c.yaml:1:1: the files of this load add up"), "{err}");
    }

    #[test]
    fn large_files_read_in_slices_byte_for_byte() {
        let dir = TempDir::new("sliced");
        let path = dir.0.join("big.json");
        // Not a multiple of any slice size, with distinct bytes at every offset.
        let bytes: Vec<u8> = (0..(SLICED_READ_MIN as usize + 12_345)).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &bytes).unwrap();
        assert_eq!(read_bounded(&path, &Limits::default()).unwrap(), bytes);
        // Over the size limit: the streaming read stops one byte past it, as before.
        let limits = Limits { max_source_bytes: SLICED_READ_MIN as usize, ..Limits::default() };
        assert_eq!(read_bounded(&path, &limits).unwrap().len(), SLICED_READ_MIN as usize + 1);
    }

    #[test]
    fn a_large_scalar_loads_within_bounds() {
        let text = format!("kind: A\nx: {}\n", "y".repeat(8 << 20));
        let docs = load(&text).unwrap();
        assert_eq!(docs[0].value.str_at(&["x"]).map(str::len), Some(8 << 20));
        let limits = Limits { max_source_bytes: 1 << 20, ..Limits::default() };
        assert!(matches!(load_with(&text, &limits), Err(Error::Limit { .. })));
    }

    #[test]
    fn json_hostile_numbers_and_keys() {
        let json = |t: &str| load_bytes(t.as_bytes(), "t.json", Format::Json, &Limits::default());
        for text in ["{\"a\": 1e999}", "{\"a\": NaN}", "{\"a\": Infinity}", "{1: 2}", "{\"a\": -1e400}"] {
            assert!(matches!(json(text), Err(Error::Parse { .. })), "{text}");
        }
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(matches!(json(&deep), Err(Error::Limit { .. })));
    }
}
