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
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Value::String(unicode(s)?.into_owned()));
    }
    if let Ok(i) = obj.cast::<PyInt>() {
        return match i.extract::<i64>() {
            Ok(v) => Ok(Value::Int(v)),
            Err(_) => match i.extract::<f64>() {
                Ok(f) => finite(f),
                Err(_) => Err(InvalidObjectError::new_err("an integer beyond the range of a 64-bit float")),
            },
        };
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return finite(f.value());
    }
    if let Ok(dict) = obj.cast::<PyDict>() {
        let mut entries = Vec::with_capacity(dict.len());
        for (k, v) in dict.iter() {
            let Ok(key) = k.cast::<PyString>() else {
                return Err(PyTypeError::new_err(format!(
                    "object keys must be strings, found {}",
                    k.get_type().name()?
                )));
            };
            entries.push((unicode(key)?.into_owned(), convert(&v, depth + 1)?));
        }
        return Map::from_entries(entries)
            .map(Value::Object)
            .map_err(|dup| InvalidObjectError::new_err(format!("duplicate key {:?}", dup.0)));
    }
    if let Ok(list) = obj.cast::<PyList>() {
        return list.iter().map(|v| convert(&v, depth + 1)).collect::<PyResult<_>>().map(Value::Array);
    }
    if let Ok(tuple) = obj.cast::<PyTuple>() {
        return tuple.iter().map(|v| convert(&v, depth + 1)).collect::<PyResult<_>>().map(Value::Array);
    }
    Err(PyTypeError::new_err(format!(
        "cannot compare a {}: objects must hold only dict, list, str, int, float, bool and None",
        obj.get_type().name()?
    )))
}

/// The text of a Python string; one holding a lone surrogate has no UTF-8 form.
fn unicode<'a>(s: &'a Bound<'_, PyString>) -> PyResult<std::borrow::Cow<'a, str>> {
    s.to_cow().map_err(|_| InvalidObjectError::new_err("a string with a lone surrogate: JSON text cannot hold it"))
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
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(to_python(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, v) in map.iter() {
                dict.set_item(k, to_python(py, v)?)?;
            }
            dict.into_any()
        }
    })
}
