//! Checks shared by the fuzz targets: the properties every loaded document must have.

use gitops_diff_core::canon::write_canonical;
use gitops_diff_core::{load_bytes, Document, Format, Limits, Value};

/// Every loaded document is an object, and its canonical JSON reads back as the same
/// value (what the hash covers is exactly what was loaded).
pub fn check_documents(docs: &[Document]) {
    for doc in docs {
        assert!(matches!(doc.value, Value::Object(_)), "a document that is not an object got through");
        let mut bytes = Vec::new();
        write_canonical(&doc.value, &mut bytes);
        let again = load_bytes(&bytes, "canonical.json", Format::Json, &Limits::default())
            .unwrap_or_else(|e| panic!("canonical JSON does not load back: {e}"));
        assert_eq!(again.len(), 1, "canonical JSON of one object loads as {} documents", again.len());
        assert_eq!(again[0].value, doc.value, "canonical JSON loads back as another value");
    }
}
