//! Finding manifest files under the paths a user names.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use crate::error::Error;

const MANIFEST_EXTENSIONS: &[&str] = &["yaml", "yml", "json"];

/// Adds `path` (a file) or the manifest files below it (a folder) to `files`, sorted
/// by name within each folder. Hidden files and folders are skipped; a folder reached
/// twice through symbolic links is read once, so link loops end. Inside folders only
/// regular files are read (a FIFO or a device named `x.yaml` would block or never
/// end); a path named explicitly is read whatever it is (`<(kubectl get ...)`).
pub fn collect_files(path: &Path, files: &mut Vec<PathBuf>) -> Result<(), Error> {
    let meta = fs::metadata(path).map_err(|e| io_error(path, &e))?;
    if meta.is_dir() {
        let mut seen = HashSet::new();
        walk_dir(path, files, &mut seen)
    } else {
        files.push(path.to_path_buf());
        Ok(())
    }
}

fn walk_dir(dir: &Path, files: &mut Vec<PathBuf>, seen: &mut HashSet<PathBuf>) -> Result<(), Error> {
    let canonical = fs::canonicalize(dir).map_err(|e| io_error(dir, &e))?;
    if !seen.insert(canonical) {
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| io_error(dir, &e))?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .map_err(|e| io_error(dir, &e))?;
    entries.sort();
    for entry in entries {
        let hidden = entry.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.'));
        if hidden {
            continue;
        }
        let meta = match fs::metadata(&entry) {
            Ok(meta) => meta,
            // A dangling link is skipped like any other non-manifest entry.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            // A link loop or an entry we may not look at: an error only where a
            // manifest could be hiding.
            Err(e) if has_manifest_extension(&entry) => return Err(io_error(&entry, &e)),
            Err(_) => continue,
        };
        if meta.is_dir() {
            walk_dir(&entry, files, seen)?;
        } else if meta.is_file() && has_manifest_extension(&entry) {
            files.push(entry);
        }
    }
    Ok(())
}

fn has_manifest_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| MANIFEST_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

fn io_error(path: &Path, e: &std::io::Error) -> Error {
    Error::Io { path: path.to_path_buf(), message: e.to_string() }
}
