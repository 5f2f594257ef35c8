//! The classes and functions of `gitops_diff._core`.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use gitops_diff_core as core;
use gitops_diff_core::mask::Masker;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use crate::convert::{to_python, to_value};
use crate::errors::{guarded, run_detached};

/// Objects loaded from files, bytes or Python objects, immutable and shareable.
#[pyclass(frozen, module = "gitops_diff._core")]
pub struct ResourceSet {
    docs: Arc<Vec<core::Document>>,
}

#[pymethods]
impl ResourceSet {
    fn __len__(&self) -> usize {
        self.docs.len()
    }

    fn __repr__(&self) -> String {
        format!("<ResourceSet of {} objects>", self.docs.len())
    }

    /// The objects as Python dicts, in input order.
    fn to_list<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        guarded(|| {
            let list = PyList::empty(py);
            for doc in self.docs.iter() {
                list.append(to_python(py, &doc.value)?)?;
            }
            Ok(list)
        })
    }

    /// Where each object came from (`file:line`), in input order.
    fn sources(&self) -> Vec<String> {
        self.docs.iter().map(|d| d.origin.to_string()).collect()
    }
}

fn parse_format(format: &str) -> PyResult<core::Format> {
    match format {
        "auto" => Ok(core::Format::Auto),
        "yaml" => Ok(core::Format::Yaml),
        "json" => Ok(core::Format::Json),
        other => Err(crate::errors::InvalidOptionError::new_err(format!(
            "unknown format {other:?}: expected \"auto\", \"yaml\" or \"json\""
        ))),
    }
}

/// Input bounds: the defaults, with the named ones replaced (docs/limits.md).
fn parse_limits(limits: Option<BTreeMap<String, u64>>) -> PyResult<core::Limits> {
    let mut parsed = core::Limits::default();
    for (name, value) in limits.into_iter().flatten() {
        parsed.set(&name, value).map_err(invalid)?;
    }
    Ok(parsed)
}

/// Loads files and folders (recursively; .yaml, .yml, .json; hidden entries skipped).
#[pyfunction]
#[pyo3(signature = (paths, *, limits = None))]
pub fn load_paths(py: Python<'_>, paths: Vec<PathBuf>, limits: Option<BTreeMap<String, u64>>) -> PyResult<ResourceSet> {
    let limits = parse_limits(limits)?;
    let docs = run_detached(py, || core::load_paths(&paths, &limits))?;
    Ok(ResourceSet { docs: Arc::new(docs) })
}

/// Loads YAML or JSON bytes; `source` names them in error messages.
#[pyfunction]
#[pyo3(signature = (data, source = "<bytes>", format = "auto", *, limits = None))]
pub fn load_bytes(
    py: Python<'_>,
    data: &[u8],
    source: &str,
    format: &str,
    limits: Option<BTreeMap<String, u64>>,
) -> PyResult<ResourceSet> {
    let format = parse_format(format)?;
    let limits = parse_limits(limits)?;
    let docs = run_detached(py, || core::load_bytes(data, source, format, &limits))?;
    Ok(ResourceSet { docs: Arc::new(docs) })
}

/// Wraps Python dicts (as `json.load` or `yaml.safe_load` return them), converted once.
#[pyfunction]
#[pyo3(signature = (objects, source = "<objects>"))]
pub fn from_objects(objects: &Bound<'_, PyAny>, source: &str) -> PyResult<ResourceSet> {
    guarded(|| {
        let source: Arc<str> = Arc::from(source);
        let mut docs = Vec::new();
        for (index, obj) in objects.try_iter()?.enumerate() {
            let value = to_value(&obj?)?;
            let origin =
                core::Origin { source: source.clone(), line: None, index: u32::try_from(index).unwrap_or(u32::MAX) };
            if !matches!(value, core::Value::Object(_)) {
                return Err(crate::errors::InvalidObjectError::new_err(format!(
                    "{origin}: an object must be a dict, found a {}",
                    value.type_name()
                )));
            }
            docs.push(core::Document { value, origin });
        }
        Ok(ResourceSet { docs: Arc::new(docs) })
    })
}

fn parse_extra(extra: &str) -> PyResult<core::ExtraScope> {
    match extra {
        "managed" => Ok(core::ExtraScope::Managed),
        "all" => Ok(core::ExtraScope::All),
        other => Err(crate::errors::InvalidOptionError::new_err(format!(
            "unknown extra scope {other:?}: expected \"managed\" or \"all\""
        ))),
    }
}

/// A validated rules file (ignore rules, presets, normalizers, removal managers,
/// managed selector).
#[pyclass(frozen, module = "gitops_diff._core")]
pub struct Rules {
    file: core::rules::file::RulesFile,
}

#[pymethods]
impl Rules {
    fn __repr__(&self) -> String {
        format!("<Rules: {} ignore rules>", self.file.rules.ignore.len())
    }
}

/// Reads and validates a rules file; errors name the file and line.
#[pyfunction]
pub fn load_rules(py: Python<'_>, path: PathBuf) -> PyResult<Rules> {
    let file = run_detached(py, || {
        let bytes = std::fs::read(&path).map_err(|e| core::Error::Io { path: path.clone(), message: e.to_string() })?;
        core::rules::file::parse_rules(&bytes, &path.to_string_lossy())
    })?;
    Ok(Rules { file })
}

fn invalid(message: String) -> PyErr {
    crate::errors::InvalidOptionError::new_err(message)
}

fn globs(patterns: &[String]) -> PyResult<Vec<core::rules::glob::Glob>> {
    patterns.iter().map(|p| core::rules::glob::Glob::parse(p).map_err(invalid)).collect()
}

/// Rule settings given as arguments; they add to (or override) a rules file.
#[derive(FromPyObject, Default)]
#[pyo3(from_item_all)]
pub struct RuleArgs {
    ignore: Vec<String>,
    ignore_managers: Vec<String>,
    removal_managers: Vec<String>,
    presets: Vec<(String, bool)>,
    normalizers: Vec<(String, bool)>,
    managed_selector: Option<String>,
}

fn apply_rules(file: Option<&Rules>, args: RuleArgs, options: &mut core::DiffOptions) -> PyResult<()> {
    if let Some(file) = file {
        options.rules = file.file.rules.clone();
        for (name, enabled) in &file.file.normalizers {
            options.normalize.set(name, *enabled).map_err(invalid)?;
        }
    }
    for spec in &args.ignore {
        options.rules.ignore.push(core::rules::Rules::parse_cli_ignore(spec).map_err(invalid)?);
    }
    if !args.ignore_managers.is_empty() {
        let managers = globs(&args.ignore_managers)?;
        options.rules.ignore.push(core::rules::IgnoreRule { managers, ..Default::default() });
    }
    options.rules.removal_managers.extend(globs(&args.removal_managers)?);
    for (name, enabled) in &args.presets {
        options.rules.presets.set(name, *enabled).map_err(invalid)?;
    }
    for (name, enabled) in &args.normalizers {
        options.normalize.set(name, *enabled).map_err(invalid)?;
    }
    if let Some(selector) = &args.managed_selector {
        options.rules.managed_selector = Some(core::rules::LabelSelector::parse(selector).map_err(invalid)?);
    }
    Ok(())
}

/// Diffs desired against live. See `gitops_diff.diff` for the documented API.
#[pyfunction]
#[pyo3(signature = (desired, live, *, previous = None, mode = "three-way", default_namespace = "default", extra = "managed", rules = None, rule_args = None, show_secrets = false, mask_salt = None))]
#[allow(clippy::too_many_arguments)]
pub fn diff(
    py: Python<'_>,
    desired: &ResourceSet,
    live: &ResourceSet,
    previous: Option<&ResourceSet>,
    mode: &str,
    default_namespace: &str,
    extra: &str,
    rules: Option<&Rules>,
    rule_args: Option<RuleArgs>,
    show_secrets: bool,
    mask_salt: Option<u64>,
) -> PyResult<Report> {
    let options = guarded(|| {
        let mode: core::Mode = mode.parse().map_err(invalid)?;
        let mut options = core::DiffOptions {
            mode,
            extra_scope: parse_extra(extra)?,
            ..output_options(default_namespace, show_secrets, mask_salt)
        };
        apply_rules(rules, rule_args.unwrap_or_default(), &mut options)?;
        Ok(options)
    })?;
    let (d, l) = (desired.docs.clone(), live.docs.clone());
    let p = previous.map(|p| p.docs.clone());
    let report = run_detached(py, move || core::diff_sets(&d, &l, p.as_deref().map(Vec::as_slice), &options))?;
    Ok(Report { inner: Arc::new(report) })
}

/// XXH3-128 (hex) of an object's canonical bytes, normalized first unless told not to.
#[pyfunction]
#[pyo3(signature = (obj, *, normalize = true, default_namespace = "default"))]
pub fn hash_object(
    py: Python<'_>,
    obj: &Bound<'_, PyAny>,
    normalize: bool,
    default_namespace: &str,
) -> PyResult<String> {
    let mut value = guarded(|| to_value(obj))?;
    let namespace = default_namespace.to_owned();
    run_detached(py, move || {
        if normalize {
            let origin = core::Origin { source: Arc::from("<object>"), line: None, index: 0 };
            let scopes = core::identity::ScopeTable::learn([&value]);
            let id = core::identity::identify(&value, &origin, &scopes, &namespace)?;
            core::normalize::normalize(&mut value, &id, &Default::default());
        }
        Ok(core::hash::to_hex(core::hash::hash_value(&value)))
    })
}

fn output_options(default_namespace: &str, show_secrets: bool, mask_salt: Option<u64>) -> core::DiffOptions {
    core::DiffOptions {
        default_namespace: default_namespace.to_owned(),
        masker: match (show_secrets, mask_salt) {
            (true, _) => None,
            (false, Some(salt)) => Some(Masker::with_salt(salt)),
            (false, None) => Some(Masker::random()),
        },
        ..core::DiffOptions::default()
    }
}

/// Normalizes a set as the diff sees it: (identity, source, hash, object) per object,
/// sorted by identity, and the set digest. Secret values are masked unless asked not to.
#[pyfunction]
#[pyo3(signature = (objects, *, default_namespace = "default", show_secrets = false, mask_salt = None))]
#[allow(clippy::type_complexity)]
pub fn normalize_set<'py>(
    py: Python<'py>,
    objects: &ResourceSet,
    default_namespace: &str,
    show_secrets: bool,
    mask_salt: Option<u64>,
) -> PyResult<(Vec<(String, String, String, Bound<'py, PyAny>)>, String)> {
    let options = output_options(default_namespace, show_secrets, mask_salt);
    let docs = objects.docs.clone();
    let (normalized, digest) = run_detached(py, move || {
        let normalized = core::engine::normalize_set(&docs, &options)?;
        let digest = core::engine::digest_of(&normalized);
        Ok((normalized, digest))
    })?;
    let rows = guarded(|| {
        normalized
            .iter()
            .map(|o| Ok((o.id.to_string(), o.origin.to_string(), core::hash::to_hex(o.hash), to_python(py, &o.value)?)))
            .collect::<PyResult<Vec<_>>>()
    })?;
    Ok((rows, digest))
}

fn patch_error(error: core::patch::PatchError) -> PyErr {
    crate::errors::InvalidObjectError::new_err(error.to_string())
}

/// Applies an RFC 6902 JSON Patch to a copy of `doc` (with the json-patch crate); all
/// or nothing.
#[pyfunction]
pub fn apply_patch<'py>(
    py: Python<'py>,
    doc: &Bound<'py, PyAny>,
    patch: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    patched(py, doc, patch, core::patch::apply_json_patch)
}

/// Applies an RFC 7386 JSON Merge Patch to a copy of `doc`.
#[pyfunction]
pub fn apply_merge_patch<'py>(
    py: Python<'py>,
    doc: &Bound<'py, PyAny>,
    patch: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    patched(py, doc, patch, core::patch::apply_merge_patch)
}

/// A copy of `doc` with `patch` applied by `apply`, converted both ways at the boundary.
fn patched<'py>(
    py: Python<'py>,
    doc: &Bound<'py, PyAny>,
    patch: &Bound<'py, PyAny>,
    apply: fn(&core::Value, &core::Value) -> Result<core::Value, core::patch::PatchError>,
) -> PyResult<Bound<'py, PyAny>> {
    let (doc, patch) = guarded(|| Ok((to_value(doc)?, to_value(patch)?)))?;
    let result = run_detached(py, move || Ok(apply(&doc, &patch)))?.map_err(patch_error)?;
    guarded(|| to_python(py, &result))
}

/// Sets the number of worker threads (0 restores the default: all cores, or
/// `GITOPS_DIFF_THREADS`).
#[pyfunction]
pub fn set_threads(threads: usize) {
    crate::pool::set_threads(threads);
}

/// The result of a diff. Objects and changes become Python objects only when asked.
#[pyclass(frozen, module = "gitops_diff._core")]
pub struct Report {
    inner: Arc<core::Report>,
}

#[pymethods]
impl Report {
    #[getter]
    fn schema_version(&self) -> u32 {
        self.inner.schema_version
    }

    #[getter]
    fn mode(&self) -> &'static str {
        match self.inner.mode {
            core::Mode::ThreeWay => "three-way",
            core::Mode::Strict => "strict",
        }
    }

    /// Counts: desired, live, in_sync, modified, missing, extra, unmanaged, changes.
    #[getter]
    fn summary<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let s = &self.inner.summary;
        let dict = PyDict::new(py);
        for (key, value) in [
            ("desired", s.desired),
            ("live", s.live),
            ("in_sync", s.in_sync),
            ("modified", s.modified),
            ("missing", s.missing),
            ("extra", s.extra),
            ("unmanaged", s.unmanaged),
            ("changes", s.changes),
            ("ignored", s.ignored),
        ] {
            dict.set_item(key, value)?;
        }
        Ok(dict)
    }

    #[getter]
    fn has_drift(&self) -> bool {
        self.inner.summary.has_drift()
    }

    #[getter]
    fn desired_digest(&self) -> &str {
        &self.inner.desired_digest
    }

    #[getter]
    fn live_digest(&self) -> &str {
        &self.inner.live_digest
    }

    /// The objects that are not in sync, sorted by identity.
    #[getter]
    fn objects(&self) -> Vec<ObjectDiff> {
        (0..self.inner.objects.len()).map(|index| ObjectDiff { report: self.inner.clone(), index }).collect()
    }

    fn __len__(&self) -> usize {
        self.inner.objects.len()
    }

    /// Iterates over the objects that are not in sync.
    fn __iter__(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let objects = PyList::new(py, self.objects())?;
        Ok(objects.as_any().try_iter()?.into_any().unbind())
    }

    /// The report as JSON (schema in docs/report-schema.json).
    #[pyo3(signature = (*, pretty = false))]
    fn to_json(&self, py: Python<'_>, pretty: bool) -> PyResult<String> {
        let report = self.inner.clone();
        run_detached(py, move || Ok(if pretty { report.to_json_pretty() } else { report.to_json() }))
    }
}

/// One object that is not in sync.
#[pyclass(frozen, module = "gitops_diff._core")]
pub struct ObjectDiff {
    report: Arc<core::Report>,
    index: usize,
}

impl ObjectDiff {
    fn get(&self) -> &core::ObjectDiff {
        &self.report.objects[self.index]
    }
}

#[pymethods]
impl ObjectDiff {
    #[getter]
    fn group(&self) -> &str {
        &self.get().group
    }
    #[getter]
    fn kind(&self) -> &str {
        &self.get().kind
    }
    #[getter]
    fn namespace(&self) -> Option<&str> {
        self.get().namespace.as_deref()
    }
    #[getter]
    fn name(&self) -> &str {
        &self.get().name
    }
    #[getter]
    fn api_version(&self) -> &str {
        &self.get().api_version
    }
    /// "modified", "missing" or "extra".
    #[getter]
    fn status(&self) -> &'static str {
        match self.get().status {
            core::Status::InSync => "in-sync",
            core::Status::Modified => "modified",
            core::Status::Missing => "missing",
            core::Status::Extra => "extra",
        }
    }
    #[getter]
    fn desired_source(&self) -> Option<&str> {
        self.get().desired_source.as_deref()
    }
    #[getter]
    fn live_source(&self) -> Option<&str> {
        self.get().live_source.as_deref()
    }
    #[getter]
    fn desired_hash(&self) -> Option<&str> {
        self.get().desired_hash.as_deref()
    }
    #[getter]
    fn live_hash(&self) -> Option<&str> {
        self.get().live_hash.as_deref()
    }
    /// `apps/Deployment shop/web`.
    /// Differences that ignore rules or presets suppressed.
    #[getter]
    fn ignored(&self) -> usize {
        self.get().ignored
    }
    #[getter]
    fn identity(&self) -> String {
        self.get().id().to_string()
    }
    #[getter]
    fn changes(&self) -> Vec<Change> {
        (0..self.get().changes.len())
            .map(|change| Change { report: self.report.clone(), object: self.index, index: change })
            .collect()
    }
    /// The changes as an RFC 6902 JSON Patch against the normalized live object
    /// (`None` unless modified); Secret values are masked as in the changes.
    fn patch<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        let obj = self.get();
        if obj.status != core::Status::Modified {
            return Ok(None);
        }
        guarded(|| to_python(py, &core::patch::json_patch(&obj.changes)).map(Some))
    }
    /// The changes as an RFC 7386 merge patch against the normalized live object
    /// (`None` unless modified); Secret values are masked as in the changes.
    fn merge_patch<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        guarded(|| self.get().merge_patch.as_ref().map(|v| to_python(py, v)).transpose())
    }
    fn __repr__(&self) -> String {
        format!("<ObjectDiff {} {}>", self.status(), self.identity())
    }
}

/// One difference at one path.
#[pyclass(frozen, module = "gitops_diff._core")]
pub struct Change {
    report: Arc<core::Report>,
    object: usize,
    index: usize,
}

impl Change {
    fn get(&self) -> &core::Change {
        &self.report.objects[self.object].changes[self.index]
    }
}

#[pymethods]
impl Change {
    /// "add", "remove" or "replace" (what applying the desired state does to live).
    #[getter]
    fn op(&self) -> &'static str {
        match self.get().op {
            core::Op::Add => "add",
            core::Op::Remove => "remove",
            core::Op::Replace => "replace",
        }
    }
    /// RFC 6901 pointer into the live object.
    #[getter]
    fn pointer(&self) -> &str {
        &self.get().pointer
    }
    /// Readable path, e.g. `spec.template.spec.containers[name=app].image`.
    #[getter]
    fn path(&self) -> &str {
        &self.get().path
    }
    #[getter]
    fn desired<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        guarded(|| self.get().desired.as_ref().map(|v| to_python(py, v)).transpose())
    }
    #[getter]
    fn live<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        guarded(|| self.get().live.as_ref().map(|v| to_python(py, v)).transpose())
    }
    fn __repr__(&self) -> String {
        format!("<Change {} {}>", self.op(), self.path())
    }
}
