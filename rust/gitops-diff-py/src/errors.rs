//! One Python exception per core error kind, under a common base; every call goes
//! through [`run_detached`] or [`guarded`] so that no Rust panic reaches Python.

use std::panic::{catch_unwind, AssertUnwindSafe};

use gitops_diff_core::Error;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;

pyo3::create_exception!(gitops_diff._core, GitopsDiffError, PyException, "Base class of every gitops-diff error.");
pyo3::create_exception!(gitops_diff._core, ParseError, GitopsDiffError, "Input is not valid YAML or JSON.");
pyo3::create_exception!(
    gitops_diff._core,
    LimitExceededError,
    GitopsDiffError,
    "Input exceeds a configured bound (depth, aliases, size)."
);
pyo3::create_exception!(
    gitops_diff._core,
    InvalidObjectError,
    GitopsDiffError,
    "A document is not a resource the engine can identify."
);
pyo3::create_exception!(
    gitops_diff._core,
    DuplicateObjectError,
    GitopsDiffError,
    "The same identity appears twice on one side."
);
pyo3::create_exception!(gitops_diff._core, SourceReadError, GitopsDiffError, "A file or folder could not be read.");
pyo3::create_exception!(
    gitops_diff._core,
    InvalidOptionError,
    GitopsDiffError,
    "An option has a value the engine does not accept."
);
pyo3::create_exception!(
    gitops_diff._core,
    InvalidRulesError,
    GitopsDiffError,
    "A rules file is not valid (unknown key, bad glob, malformed pointer)."
);
pyo3::create_exception!(
    gitops_diff._core,
    InternalError,
    GitopsDiffError,
    "A bug in gitops-diff: please report it with the input that caused it."
);

pub fn to_py_err(error: Error) -> PyErr {
    let message = error.to_string();
    match error {
        Error::Parse { .. } => ParseError::new_err(message),
        Error::Limit { .. } => LimitExceededError::new_err(message),
        Error::InvalidObject { .. } => InvalidObjectError::new_err(message),
        Error::DuplicateObject { .. } => DuplicateObjectError::new_err(message),
        Error::Io { .. } => SourceReadError::new_err(message),
        Error::InvalidOption(_) => InvalidOptionError::new_err(message),
        Error::Rules { .. } => InvalidRulesError::new_err(message),
    }
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    let detail = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into());
    format!("internal error in gitops-diff ({detail}); please report it")
}

/// Runs engine work with the GIL released, in the process's worker pool, turning
/// core errors into exceptions and panics into [`InternalError`].
pub fn run_detached<T: Send>(py: Python<'_>, work: impl FnOnce() -> Result<T, Error> + Send) -> PyResult<T> {
    let outcome = py.detach(|| catch_unwind(AssertUnwindSafe(|| crate::pool::install(work))));
    match outcome {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(error)) => Err(to_py_err(error)),
        Err(payload) => Err(InternalError::new_err(panic_message(payload.as_ref()))),
    }
}

/// Runs work that needs the GIL (conversions), turning panics into [`InternalError`].
pub fn guarded<T>(work: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    catch_unwind(AssertUnwindSafe(work))
        .unwrap_or_else(|payload| Err(InternalError::new_err(panic_message(payload.as_ref()))))
}

#[cfg(test)]
mod tests {
    use rayon::prelude::*;

    use super::*;

    #[test]
    fn panics_become_internal_errors_on_the_calling_thread_and_in_workers() {
        Python::initialize();
        Python::attach(|py| {
            let err = guarded(|| -> PyResult<()> { panic!("boom in a conversion") }).unwrap_err();
            assert!(err.is_instance_of::<InternalError>(py));
            assert!(err.is_instance_of::<GitopsDiffError>(py));
            assert!(err.to_string().contains("boom in a conversion"), "{err}");

            let err = run_detached(py, || -> Result<(), Error> { panic!("boom while detached") }).unwrap_err();
            assert!(err.is_instance_of::<InternalError>(py));

            let err = run_detached(py, || -> Result<(), Error> {
                (0..1000).into_par_iter().for_each(|i| assert_ne!(i, 757, "boom in a worker"));
                Ok(())
            })
            .unwrap_err();
            assert!(err.is_instance_of::<InternalError>(py));
            assert!(err.to_string().contains("boom in a worker"), "{err}");

            // The pool survives a panic in one of its workers.
            let sum = run_detached(py, || Ok((0..1000u64).into_par_iter().sum::<u64>())).unwrap();
            assert_eq!(sum, 499_500);
        });
    }

    #[test]
    fn core_errors_map_to_their_own_exception() {
        Python::initialize();
        Python::attach(|py| {
            let err = run_detached(py, || -> Result<(), Error> { Err(Error::InvalidOption("x".into())) }).unwrap_err();
            assert!(err.is_instance_of::<InvalidOptionError>(py));
            assert_eq!(err.value(py).to_string(), "x");
        });
    }
}
