//! Finding manifest files under the paths a user names.

use std::collections::HashSet;
use std::fs::{self, FileType, Metadata};
use std::path::{Path, PathBuf};

use crate::error::Error;

const MANIFEST_EXTENSIONS: &[&str] = &["yaml", "yml", "json"];

/// A file to read, with its size when it was found (for the limit on a load's total).
#[derive(Debug)]
pub struct FoundFile {
    pub path: PathBuf,
    pub size: u64,
}

/// Adds `path` (a file) or the manifest files below it (a folder) to `files`, sorted
/// by name within each folder. Hidden files and folders are skipped; a folder reached
/// twice through symbolic links is read once, so link loops end. Inside folders only
/// regular files are read (a FIFO or a device named `x.yaml` would block or never
/// end); a path named explicitly is read whatever it is (`<(kubectl get ...)`).
pub fn collect_files(path: &Path, files: &mut Vec<FoundFile>) -> Result<(), Error> {
    let meta = fs::metadata(path).map_err(|e| io_error(path, &e))?;
    if meta.is_dir() {
        let canonical = fs::canonicalize(path).map_err(|e| io_error(path, &e))?;
        let mut seen = HashSet::new();
        walk_dir(path, canonical, files, &mut seen)
    } else {
        files.push(FoundFile { path: path.to_path_buf(), size: meta.len() });
        Ok(())
    }
}

/// Reads the folder `dir`, whose symbolic links resolved give `canonical`.
fn walk_dir(
    dir: &Path,
    canonical: PathBuf,
    files: &mut Vec<FoundFile>,
    seen: &mut HashSet<PathBuf>,
) -> Result<(), Error> {
    if !seen.insert(canonical.clone()) {
        return Ok(());
    }
    for (entry, file_type) in sorted_entries(dir)? {
        let Some(name) = entry.file_name().filter(|n| !n.to_string_lossy().starts_with('.')) else {
            continue;
        };
        // A folder that is not a link has the canonical path of its parent plus its
        // name: no system calls to resolve it (there are often thousands of folders).
        if file_type.is_some_and(|t| t.is_dir()) {
            walk_dir(&entry, canonical.join(name), files, seen)?;
            continue;
        }
        // Other regular files are not manifests: no need to ask for their size.
        if file_type.is_some_and(|t| t.is_file()) && !has_manifest_extension(&entry) {
            continue;
        }
        let Some(meta) = entry_metadata(&entry)? else {
            continue;
        };
        if meta.is_dir() {
            let canonical = fs::canonicalize(&entry).map_err(|e| io_error(&entry, &e))?;
            walk_dir(&entry, canonical, files, seen)?;
        } else if meta.is_file() && has_manifest_extension(&entry) {
            files.push(FoundFile { path: entry, size: meta.len() });
        }
    }
    Ok(())
}

/// The entries of a folder sorted by name, with their type when the folder listing
/// gives it (a link's type is that of the link, not of its target).
fn sorted_entries(dir: &Path) -> Result<Vec<(PathBuf, Option<FileType>)>, Error> {
    let mut entries: Vec<(PathBuf, Option<FileType>)> = fs::read_dir(dir)
        .map_err(|e| io_error(dir, &e))?
        .map(|entry| entry.map(|e| (e.path(), e.file_type().ok())))
        .collect::<Result<_, _>>()
        .map_err(|e| io_error(dir, &e))?;
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(entries)
}

/// What an entry is, following links; `None` for an entry to skip.
fn entry_metadata(entry: &Path) -> Result<Option<Metadata>, Error> {
    match fs::metadata(entry) {
        Ok(meta) => Ok(Some(meta)),
        // A dangling link is skipped like any other non-manifest entry.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        // A link loop or an entry we may not look at: an error only where a
        // manifest could be hiding.
        Err(e) if has_manifest_extension(entry) => Err(io_error(entry, &e)),
        Err(_) => Ok(None),
    }
}

fn has_manifest_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| MANIFEST_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

fn io_error(path: &Path, e: &std::io::Error) -> Error {
    Error::Io { path: path.to_path_buf(), message: e.to_string() }
}
