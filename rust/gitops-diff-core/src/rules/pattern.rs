//! Path patterns of ignore rules: RFC 6901 pointers where a segment may be `*` (any one
//! segment) or a keyed-item form `name=app` / `containerPort=80,protocol=TCP`
//! (`[name=app]` also accepted) that picks list items by their fields.

use crate::value::Value;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Any,
    Literal(String),
    /// Field/value pairs an item must have (values as written: strings, or numbers
    /// in canonical form).
    Keyed(Vec<(String, String)>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathPattern {
    pub text: String,
    pub segments: Vec<Segment>,
}

impl PathPattern {
    pub fn parse(text: &str) -> Result<Self, String> {
        let Some(rest) = text.strip_prefix('/') else {
            return Err(format!("path {text:?} must be a JSON pointer starting with '/'"));
        };
        if rest.is_empty() {
            return Err("path \"/\" would ignore whole objects; select them with a rule's selector instead".into());
        }
        let segments = rest.split('/').map(|raw| parse_segment(raw, text)).collect::<Result<_, _>>()?;
        Ok(Self { text: text.to_owned(), segments })
    }
}

fn unescape(raw: &str, whole: &str) -> Result<String, String> {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '~' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('0') => out.push('~'),
            Some('1') => out.push('/'),
            _ => return Err(format!("path {whole:?} has '~' not followed by 0 or 1 (RFC 6901)")),
        }
    }
    Ok(out)
}

fn parse_segment(raw: &str, whole: &str) -> Result<Segment, String> {
    if raw == "*" {
        return Ok(Segment::Any);
    }
    if raw.is_empty() {
        return Err(format!("path {whole:?} has an empty segment"));
    }
    let inner = raw.strip_prefix('[').and_then(|r| r.strip_suffix(']')).unwrap_or(raw);
    if inner.contains('=') {
        let pairs = inner
            .split(',')
            .map(|pair| match pair.split_once('=') {
                Some((field, value)) if !field.is_empty() => Ok((unescape(field, whole)?, unescape(value, whole)?)),
                _ => Err(format!("path {whole:?} has a malformed keyed segment {raw:?} (expected field=value)")),
            })
            .collect::<Result<_, _>>()?;
        return Ok(Segment::Keyed(pairs));
    }
    Ok(Segment::Literal(unescape(raw, whole)?))
}

/// Whether a list item has all the field/value pairs of a keyed segment.
pub fn item_has_pairs(item: &Value, pairs: &[(String, String)]) -> bool {
    let Some(map) = item.as_object() else { return false };
    pairs.iter().all(|(field, want)| match map.get(field) {
        Some(Value::String(s)) => s == want,
        Some(other @ (Value::Int(_) | Value::Float(_) | Value::Bool(_))) => {
            crate::canon::canonical_string(other) == *want
        }
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_with_wildcards_and_keys() {
        let p = PathPattern::parse("/spec/template/spec/containers/name=app/image").unwrap();
        assert_eq!(p.segments[4], Segment::Keyed(vec![("name".into(), "app".into())]));
        let q = PathPattern::parse("/webhooks/*/clientConfig/caBundle").unwrap();
        assert_eq!(q.segments[1], Segment::Any);
        let r = PathPattern::parse("/metadata/annotations/a~1b").unwrap();
        assert_eq!(r.segments[2], Segment::Literal("a/b".into()));
        let s = PathPattern::parse("/spec/ports/[port=80,protocol=TCP]").unwrap();
        assert_eq!(
            s.segments[2],
            Segment::Keyed(vec![("port".into(), "80".into()), ("protocol".into(), "TCP".into())])
        );
    }

    #[test]
    fn malformed_pointers_are_errors() {
        for bad in ["spec/replicas", "/", "/a//b", "/a~2b", "/x/=v"] {
            assert!(PathPattern::parse(bad).is_err(), "{bad}");
        }
    }
}
