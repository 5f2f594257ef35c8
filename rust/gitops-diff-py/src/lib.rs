//! Python bindings of the gitops-diff engine: convert, detach the GIL, map errors.
//! All semantics live in `gitops-diff-core`; the user-facing shape in `python/`.

mod convert;
mod errors;
mod pool;
mod types;

use pyo3::prelude::*;

/// Rust allocations only (Python keeps its own allocator): see the note in Cargo.toml.
#[cfg(not(target_os = "windows"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[pymodule(gil_used = false)]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<types::ResourceSet>()?;
    m.add_class::<types::Report>()?;
    m.add_class::<types::ObjectDiff>()?;
    m.add_class::<types::Change>()?;
    m.add_class::<types::Rules>()?;
    m.add_function(wrap_pyfunction!(types::load_rules, m)?)?;
    m.add_function(wrap_pyfunction!(types::load_paths, m)?)?;
    m.add_function(wrap_pyfunction!(types::load_bytes, m)?)?;
    m.add_function(wrap_pyfunction!(types::from_objects, m)?)?;
    m.add_function(wrap_pyfunction!(types::diff, m)?)?;
    m.add_function(wrap_pyfunction!(types::hash_object, m)?)?;
    m.add_function(wrap_pyfunction!(types::set_threads, m)?)?;
    m.add_function(wrap_pyfunction!(types::normalize_set, m)?)?;
    m.add_function(wrap_pyfunction!(types::apply_patch, m)?)?;
    m.add_function(wrap_pyfunction!(types::apply_merge_patch, m)?)?;
    m.add("GitopsDiffError", py.get_type::<errors::GitopsDiffError>())?;
    m.add("ParseError", py.get_type::<errors::ParseError>())?;
    m.add("LimitExceededError", py.get_type::<errors::LimitExceededError>())?;
    m.add("InvalidObjectError", py.get_type::<errors::InvalidObjectError>())?;
    m.add("DuplicateObjectError", py.get_type::<errors::DuplicateObjectError>())?;
    m.add("SourceReadError", py.get_type::<errors::SourceReadError>())?;
    m.add("InvalidOptionError", py.get_type::<errors::InvalidOptionError>())?;
    m.add("InvalidRulesError", py.get_type::<errors::InvalidRulesError>())?;
    m.add("InternalError", py.get_type::<errors::InternalError>())?;
    Ok(())
}
