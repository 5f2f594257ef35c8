//! Every way the engine can refuse input, each naming where the problem is.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

/// Where a document came from: a file (or `<stdin>`, `<bytes>`) and, where known,
/// the line its object starts on, or its position in a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub source: Arc<str>,
    /// 1-based line of the object's first line, when the parser reports it.
    pub line: Option<u32>,
    /// 0-based index of the object in its source (documents and list items).
    pub index: u32,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}", self.source, line),
            None => write!(f, "{} (object #{})", self.source, self.index + 1),
        }
    }
}

/// A position inside a source, for parse errors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub source: Arc<str>,
    pub line: u32,
    pub column: u32,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.source, self.line, self.column)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The bytes are not valid YAML/JSON (or use a feature the engine refuses).
    #[error("{location}: {message}")]
    Parse { location: Location, message: String },

    /// A configured bound was exceeded (depth, alias expansion, size).
    #[error("{location}: {message}")]
    Limit { location: Location, message: String },

    /// Parsed fine, but is not a resource the engine can identify.
    #[error("{origin}: {message}")]
    InvalidObject { origin: Origin, message: String },

    /// The same identity appears twice on one side.
    #[error("{first}: {identity} is defined twice on the {side} side (again at {second})")]
    DuplicateObject { identity: String, side: &'static str, first: Origin, second: Origin },

    /// A file or folder could not be read.
    #[error("{}: {message}", path.display())]
    Io { path: PathBuf, message: String },

    /// A rules file is not valid (unknown key, bad glob, malformed pointer, ...).
    #[error("{location}: {message}")]
    Rules { location: Location, message: String },

    /// A caller-supplied option is not valid.
    #[error("{0}")]
    InvalidOption(String),
}

impl Error {
    /// A stable short name of the error kind, used by the bindings to pick an
    /// exception class and by machine-readable outputs.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Parse { .. } => "parse",
            Error::Limit { .. } => "limit",
            Error::InvalidObject { .. } => "invalid-object",
            Error::DuplicateObject { .. } => "duplicate-object",
            Error::Io { .. } => "io",
            Error::Rules { .. } => "rules",
            Error::InvalidOption(_) => "invalid-option",
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
