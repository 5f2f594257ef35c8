//! YAML scalar resolution as Kubernetes reads manifests.
//!
//! Kubernetes decodes YAML with a fork of go-yaml v2 (YAML 1.1 rules) and converts the
//! result to JSON. So `on`, `yes` and `y` are booleans, `0777` is octal, `~` is null,
//! `1_000` is an integer and `1e3` is a float. Timestamps are kept as the strings they
//! were written as, since JSON has no timestamp type. NaN and infinities cannot be
//! represented in JSON and are rejected. Messages never quote the scalar: it may be a
//! Secret's value (the error's position points at it).

use std::borrow::Cow;

use crate::value::Value;

/// What a scalar resolved to, or why it cannot be used.
pub type Resolved = Result<Value, String>;

const TRUE_WORDS: &[&str] = &["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"];
const FALSE_WORDS: &[&str] = &["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"];
const NULL_WORDS: &[&str] = &["", "~", "null", "Null", "NULL"];
const NON_FINITE_WORDS: &[&str] =
    &[".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF"];

/// Resolves an untagged plain (unquoted) scalar.
pub fn resolve_plain(text: &str) -> Resolved {
    resolve_plain_unless_string(text).unwrap_or_else(|| Ok(Value::String(text.to_owned())))
}

/// What an untagged plain scalar resolves to, or `None` when it is a string: a caller
/// that owns the text then keeps it as it is instead of copying it.
pub fn resolve_plain_unless_string(text: &str) -> Option<Resolved> {
    // Most scalars are longer than every word: one comparison instead of 39.
    if text.len() <= LONGEST_WORD {
        if let Some(word) = resolve_word(text) {
            return Some(word);
        }
    }
    match text.as_bytes()[0] {
        b'0'..=b'9' | b'+' | b'-' | b'.' => resolve_number(text),
        _ => None,
    }
}

/// The length of the longest word of the lists above.
const LONGEST_WORD: usize = 5;

/// A null, boolean or non-finite word, or `None`.
fn resolve_word(text: &str) -> Option<Resolved> {
    if NULL_WORDS.contains(&text) {
        return Some(Ok(Value::Null));
    }
    if TRUE_WORDS.contains(&text) {
        return Some(Ok(Value::Bool(true)));
    }
    if FALSE_WORDS.contains(&text) {
        return Some(Ok(Value::Bool(false)));
    }
    if NON_FINITE_WORDS.contains(&text) {
        return Some(Err("a non-finite number (NaN or infinity): JSON cannot hold it".into()));
    }
    None
}

/// A plain scalar that starts like a number: integer (any base), float, or (`None`) string.
fn resolve_number(text: &str) -> Option<Resolved> {
    // Copied only when there are separators to drop: most numbers have none.
    let plain: Cow<'_, str> =
        if text.contains('_') { Cow::Owned(text.chars().filter(|&c| c != '_').collect()) } else { Cow::Borrowed(text) };
    if let Some(i) = parse_go_int(&plain) {
        return Some(Ok(i));
    }
    if is_yaml_float(&plain) {
        return Some(match plain.parse::<f64>() {
            Ok(f) if f.is_finite() => Ok(Value::Float(f)),
            _ => Err("a number out of the range of a 64-bit float".into()),
        });
    }
    None
}

/// Go's `strconv.ParseInt(s, 0, 64)` (then `ParseUint`): optional sign, then `0x`, `0o`,
/// `0b` or a leading `0` (octal) prefix. Integers beyond `i64` become floats.
fn parse_go_int(s: &str) -> Option<Value> {
    let (negative, body) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let has_prefix = |p: &str| body.as_bytes().get(..2).is_some_and(|b| b.eq_ignore_ascii_case(p.as_bytes()));
    let (radix, digits) = if has_prefix("0x") {
        (16, &body[2..])
    } else if has_prefix("0o") {
        (8, &body[2..])
    } else if has_prefix("0b") {
        (2, &body[2..])
    } else if body.len() > 1 && body.starts_with('0') {
        (8, &body[1..])
    } else {
        (10, body)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = u128::from_str_radix(digits, radix).ok()?;
    let signed = if negative { -(magnitude as i128) } else { magnitude as i128 };
    if let Ok(i) = i64::try_from(signed) {
        return Some(Value::Int(i));
    }
    // go-yaml falls back to uint64; we keep such values as floats.
    if !negative && u64::try_from(magnitude).is_ok() {
        return Some(Value::Float(magnitude as f64));
    }
    None
}

/// go-yaml's float pattern: `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn is_yaml_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            digits(&mut i);
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// Resolves a scalar carrying an explicit core-schema tag (`!!str`, `!!int`, ...).
pub fn resolve_tagged(suffix: &str, text: &str) -> Resolved {
    match suffix {
        "str" | "binary" | "timestamp" => Ok(Value::String(text.to_owned())),
        "null" => Ok(Value::Null),
        "bool" => match resolve_plain(text)? {
            b @ Value::Bool(_) => Ok(b),
            _ => Err("a value tagged !!bool that is not a boolean".into()),
        },
        "int" => match parse_go_int(&text.replace('_', "")) {
            Some(i) => Ok(i),
            None => Err("a value tagged !!int that is not an integer".into()),
        },
        "float" => match resolve_plain(text)? {
            Value::Int(i) => Ok(Value::Float(i as f64)),
            f @ Value::Float(_) => Ok(f),
            _ => Err("a value tagged !!float that is not a number".into()),
        },
        other => Err(format!("unsupported tag !!{other}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(s: &str) -> Value {
        resolve_plain(s).unwrap()
    }

    #[test]
    fn yaml_1_1_booleans_resolve_as_kubernetes_reads_them() {
        for t in ["on", "yes", "Y", "TRUE"] {
            assert_eq!(plain(t), Value::Bool(true), "{t}");
        }
        for f in ["off", "no", "n", "False"] {
            assert_eq!(plain(f), Value::Bool(false), "{f}");
        }
    }

    #[test]
    fn integers_in_every_base() {
        assert_eq!(plain("0777"), Value::Int(511));
        assert_eq!(plain("0x1F"), Value::Int(31));
        assert_eq!(plain("-0b101"), Value::Int(-5));
        assert_eq!(plain("1_000"), Value::Int(1000));
        assert_eq!(plain("+7"), Value::Int(7));
        assert_eq!(plain("0X1f"), Value::Int(31));
        assert_eq!(plain("-0O17"), Value::Int(-15));
        assert_eq!(plain("0B11"), Value::Int(3));
        assert_eq!(plain("1_0_0"), Value::Int(100));
        assert_eq!(plain("0"), Value::Int(0));
    }

    #[test]
    fn floats_follow_the_go_yaml_pattern() {
        assert_eq!(plain("1.5"), Value::Float(1.5));
        assert_eq!(plain("1e3"), Value::Float(1000.0));
        assert_eq!(plain(".5"), Value::Float(0.5));
        assert_eq!(plain("1."), Value::Float(1.0));
        // "08" is not octal; go-yaml then reads it as a float.
        assert_eq!(plain("08"), Value::Float(8.0));
    }

    #[test]
    fn number_like_strings_stay_strings() {
        for s in ["1.2.3", "500m", "1Gi", "-", "0x", "v1", "2001-12-14", "12:30", "0é1", "-é", "0xé", "1_é"] {
            assert_eq!(plain(s), Value::String(s.into()), "{s}");
        }
    }

    #[test]
    fn nulls_and_non_finite_numbers() {
        assert_eq!(plain("~"), Value::Null);
        assert_eq!(plain(""), Value::Null);
        assert!(resolve_plain(".nan").is_err());
        assert!(resolve_plain("-.inf").is_err());
        assert!(resolve_plain("1e999").is_err());
    }

    #[test]
    fn no_word_is_longer_than_the_length_checked_first() {
        let words = [TRUE_WORDS, FALSE_WORDS, NULL_WORDS, NON_FINITE_WORDS].concat();
        assert_eq!(words.iter().map(|w| w.len()).max(), Some(LONGEST_WORD));
    }

    #[test]
    fn tagged_scalars() {
        assert_eq!(resolve_tagged("str", "123").unwrap(), Value::String("123".into()));
        assert_eq!(resolve_tagged("int", "42").unwrap(), Value::Int(42));
        assert!(resolve_tagged("int", "abc").is_err());
        assert!(resolve_tagged("python/object", "x").is_err());
    }

    #[test]
    fn huge_integers_become_floats_not_errors() {
        assert_eq!(plain("18446744073709551615"), Value::Float(18446744073709551615.0));
        assert_eq!(plain("9223372036854775807"), Value::Int(i64::MAX));
    }
}
