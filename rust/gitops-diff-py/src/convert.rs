//! Python objects <-> engine values, converted once at the boundary.

use gitops_diff_core::{Map, Value};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};

use crate::errors::{InvalidObjectError, LimitExceededError};

/// Deepest nesting accepted from Python objects (the loaders' bound).
const MAX_DEPTH: usize = 128;

/// Converts a JSON-like Python object (dict, list, tuple, str, int, float, bool, None).
pub fn to_value(obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    convert(obj, 0)
}

fn convert(obj: &Bound<'_, PyAny>, depth: usize) -> PyResult<Value> {
    if depth > MAX_DEPTH {
        return Err(LimitExceededError::new_err(format!("nesting deeper than {MAX_DEPTH} levels")));
    }
    // Kubernetes objects are nearly all str, dict and list: an exact type is one pointer
    // comparison, so those go first and the subclass checks only see the rest.
    if let Ok(s) = obj.cast_exact::<PyString>() {
        return text(s).map(Value::String);
    }
    if let Ok(dict) = obj.cast_exact::<PyDict>() {
        return object(dict, depth);
    }
    if let Ok(list) = obj.cast_exact::<PyList>() {
        return array(list.iter(), list.len(), depth);
    }
    if obj.is_none() {
        return Ok(Value::Null);
    }
    // Before int: bool is a subclass of int.
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if let Ok(i) = obj.cast::<PyInt>() {
        return integer(i);
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return finite(f.value());
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return text(s).map(Value::String);
    }
    if let Ok(dict) = obj.cast::<PyDict>() {
        return object(dict, depth);
    }
    if let Ok(list) = obj.cast::<PyList>() {
        return array(list.iter(), list.len(), depth);
    }
    if let Ok(tuple) = obj.cast::<PyTuple>() {
        return array(tuple.iter(), tuple.len(), depth);
    }
    Err(PyTypeError::new_err(format!(
        "cannot compare a {}: objects must hold only dict, list, str, int, float, bool and None",
        obj.get_type().name()?
    )))
}

fn object(dict: &Bound<'_, PyDict>, depth: usize) -> PyResult<Value> {
    let mut entries = Vec::with_capacity(dict.len());
    for (key, value) in dict.iter() {
        entries.push((key_text(&key)?, convert(&value, depth + 1)?));
    }
    Map::from_entries(entries)
        .map(Value::Object)
        .map_err(|dup| InvalidObjectError::new_err(format!("duplicate key {:?}", dup.0)))
}

fn key_text(key: &Bound<'_, PyAny>) -> PyResult<String> {
    match key.cast::<PyString>() {
        Ok(s) => text(s),
        Err(_) => Err(PyTypeError::new_err(format!("object keys must be strings, found {}", key.get_type().name()?))),
    }
}

/// The items of a list or tuple; `len` sizes the array once instead of growing it.
fn array<'py>(items: impl Iterator<Item = Bound<'py, PyAny>>, len: usize, depth: usize) -> PyResult<Value> {
    let mut values = Vec::with_capacity(len);
    for item in items {
        values.push(convert(&item, depth + 1)?);
    }
    Ok(Value::Array(values))
}

/// Integers that fit in `i64` stay exact; larger ones become floats, as JSON decoders do.
fn integer(i: &Bound<'_, PyInt>) -> PyResult<Value> {
    match i.extract::<i64>() {
        Ok(v) => Ok(Value::Int(v)),
        Err(_) => match i.extract::<f64>() {
            Ok(f) => finite(f),
            Err(_) => Err(InvalidObjectError::new_err("an integer beyond the range of a 64-bit float")),
        },
    }
}

/// The text of a Python string, copied once: `to_str` borrows the UTF-8 that CPython
/// keeps (or caches) in the string object. One holding a lone surrogate has no UTF-8 form.
fn text(s: &Bound<'_, PyString>) -> PyResult<String> {
    match s.to_str() {
        Ok(text) => Ok(text.to_owned()),
        Err(_) => Err(InvalidObjectError::new_err("a string with a lone surrogate: JSON text cannot hold it")),
    }
}

fn finite(f: f64) -> PyResult<Value> {
    if f.is_finite() {
        Ok(Value::Float(f))
    } else {
        Err(InvalidObjectError::new_err(format!("{f} is not a finite number; JSON cannot hold it")))
    }
}

/// Builds the Python object for a value.
pub fn to_python<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Int(i) => i.into_pyobject(py)?.into_any(),
        Value::Float(f) => f.into_pyobject(py)?.into_any(),
        Value::String(s) => PyString::new(py, s).into_any(),
        // Built at its final size, where appending would grow it step by step.
        Value::Array(items) => PyList::new(py, items.iter().map(AsPython))?.into_any(),
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, v) in map.iter() {
                dict.set_item(k, to_python(py, v)?)?;
            }
            dict.into_any()
        }
    })
}

/// A value that PyO3 turns into a Python object without taking it.
struct AsPython<'a>(&'a Value);

impl<'py> IntoPyObject<'py> for AsPython<'_> {
    type Target = PyAny;
    type Output = Bound<'py, PyAny>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, self.0)
    }
}
