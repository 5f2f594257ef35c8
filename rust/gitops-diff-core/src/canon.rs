//! Canonical bytes of a value, per RFC 8785 (JSON Canonicalization Scheme): no
//! whitespace, object keys sorted by UTF-16 code units, minimal string escapes,
//! numbers in ECMAScript form. One deliberate refinement, specified in docs/hash.md:
//! a number with an integral value within `i64` is written as its exact integer
//! digits, so large Kubernetes int64 fields keep every digit (RFC 8785 writes the same
//! bytes for every integer up to 2^53).

use crate::value::{utf16_key_order, Value};

/// Appends the canonical bytes of `value` to `out`.
pub fn write_canonical(value: &Value, out: &mut Vec<u8>) {
    match value {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(true) => out.extend_from_slice(b"true"),
        Value::Bool(false) => out.extend_from_slice(b"false"),
        Value::Int(i) => write_int(*i, out),
        Value::Float(f) => write_float(*f, out),
        Value::String(s) => write_string(s, out),
        Value::Array(items) => write_delimited(b'[', items, b']', out, write_canonical),
        Value::Object(map) => {
            // Maps are sorted by bytes; only non-ASCII keys can need another order, and
            // only then is a sorted copy of the entries made.
            if map.keys().all(str::is_ascii) {
                write_entries(map.iter(), out);
            } else {
                let mut entries: Vec<(&str, &Value)> = map.iter().collect();
                entries.sort_by(|a, b| utf16_key_order(a.0, b.0));
                write_entries(entries, out);
            }
        }
    }
}

fn write_entries<'a>(entries: impl IntoIterator<Item = (&'a str, &'a Value)>, out: &mut Vec<u8>) {
    write_delimited(b'{', entries, b'}', out, |(key, item), out| {
        write_string(key, out);
        out.push(b':');
        write_canonical(item, out);
    });
}

/// Appends the canonical bytes of a list of strings, as `write_canonical` writes a
/// `Value::Array` of them, without building one.
pub fn write_string_array(items: &[&str], out: &mut Vec<u8>) {
    write_delimited(b'[', items, b']', out, |item, out| write_string(item, out));
}

/// `open`, the items separated by commas, `close`: the shape of every JSON container.
fn write_delimited<T>(
    open: u8,
    items: impl IntoIterator<Item = T>,
    close: u8,
    out: &mut Vec<u8>,
    mut write_item: impl FnMut(T, &mut Vec<u8>),
) {
    out.push(open);
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_item(item, out);
    }
    out.push(close);
}

/// The canonical text of a value (for messages and encodings, not for hashing).
pub fn canonical_string(value: &Value) -> String {
    let mut out = Vec::new();
    write_canonical(value, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

fn write_int(i: i64, out: &mut Vec<u8>) {
    out.extend_from_slice(itoa::Buffer::new().format(i).as_bytes());
}

const I64_BOUND: f64 = 9_223_372_036_854_775_808.0; // 2^63

fn write_float(f: f64, out: &mut Vec<u8>) {
    if f.fract() == 0.0 && (-I64_BOUND..I64_BOUND).contains(&f) {
        // Same bytes as the equal `Int`, so equal numbers hash equal.
        return write_int(f as i64, out);
    }
    write_ecmascript_number(f, out);
}

/// ECMAScript `Number.prototype.toString` for a finite double: the shortest digits
/// that round-trip (from ryu), placed as ECMA-262 §6.1.6.1.20 says.
fn write_ecmascript_number(f: f64, out: &mut Vec<u8>) {
    let mut buffer = ryu::Buffer::new();
    let text = buffer.format_finite(f);
    let (negative, text) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (mantissa, exponent) = match text.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.parse::<i32>().unwrap_or(0)),
        None => (text, 0),
    };
    let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let mut digits: Vec<u8> = int_part.bytes().chain(frac_part.bytes()).collect();
    let mut point = int_part.len() as i32 + exponent;
    while digits.len() > 1 && digits[0] == b'0' {
        digits.remove(0);
        point -= 1;
    }
    while digits.len() > 1 && digits.last() == Some(&b'0') {
        digits.pop();
    }
    if digits == b"0" {
        out.push(b'0');
        return;
    }
    if negative {
        out.push(b'-');
    }
    let k = digits.len() as i32;
    let n = point;
    if k <= n && n <= 21 {
        out.extend_from_slice(&digits);
        out.extend(std::iter::repeat_n(b'0', (n - k) as usize));
    } else if 0 < n && n <= 21 {
        out.extend_from_slice(&digits[..n as usize]);
        out.push(b'.');
        out.extend_from_slice(&digits[n as usize..]);
    } else if -6 < n && n <= 0 {
        out.extend_from_slice(b"0.");
        out.extend(std::iter::repeat_n(b'0', (-n) as usize));
        out.extend_from_slice(&digits);
    } else {
        let e = n - 1;
        out.push(digits[0]);
        if digits.len() > 1 {
            out.push(b'.');
            out.extend_from_slice(&digits[1..]);
        }
        out.push(b'e');
        out.push(if e >= 0 { b'+' } else { b'-' });
        out.extend_from_slice(e.unsigned_abs().to_string().as_bytes());
    }
}

/// Bytes that need an escape in a JSON string: control characters, `"` and `\\`.
static NEEDS_ESCAPE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = true;
        b += 1;
    }
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table
};

/// A JSON string with only the escapes RFC 8785 requires. Runs of plain bytes are
/// copied whole: strings are most of a manifest's bytes, and most need no escape.
fn write_string(s: &str, out: &mut Vec<u8>) {
    out.push(b'"');
    let mut rest = s.as_bytes();
    while let Some(at) = first_to_escape(rest) {
        out.extend_from_slice(&rest[..at]);
        match rest[at] {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0c => out.extend_from_slice(b"\\f"),
            control => out.extend_from_slice(format!("\\u{control:04x}").as_bytes()),
        }
        rest = &rest[at + 1..];
    }
    out.extend_from_slice(rest);
    out.push(b'"');
}

/// The position of the first byte that needs an escape. Eight bytes are tested at a
/// time (most strings need none): a word has such a byte exactly when one of its bytes
/// is below 0x20, or equal to `"` or `\\`.
fn first_to_escape(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    // Whether any byte of `v` is zero (exact as a yes/no, the classic bit trick).
    let has_zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH != 0;
    let mut words = bytes.chunks_exact(8);
    let mut skipped = 0;
    for word in &mut words {
        let Ok(word) = <[u8; 8]>::try_from(word) else { break };
        let w = u64::from_ne_bytes(word);
        // Bytes below 0x20: the same trick against 0x20 instead of 0x01.
        let control = w.wrapping_sub(ONES * 0x20) & !w & HIGH != 0;
        if control || has_zero(w ^ (ONES * u64::from(b'"'))) || has_zero(w ^ (ONES * u64::from(b'\\'))) {
            break;
        }
        skipped += 8;
    }
    bytes[skipped..].iter().position(|&b| NEEDS_ESCAPE[usize::from(b)]).map(|at| skipped + at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn float(f: f64) -> String {
        let mut out = Vec::new();
        write_float(f, &mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn numbers_in_ecmascript_form() {
        // Expected strings from RFC 8785 Appendix B and ECMA-262.
        assert_eq!(float(1.0), "1");
        assert_eq!(float(-0.0), "0");
        assert_eq!(float(0.5), "0.5");
        assert_eq!(float(1e21), "1e+21");
        assert_eq!(float(1e-7), "1e-7");
        assert_eq!(float(0.000001), "0.000001");
        assert_eq!(float(123456789012345680000.0), "123456789012345680000");
        assert_eq!(float(4.5e-13), "4.5e-13");
        assert_eq!(float(5e-324), "5e-324");
        assert_eq!(float(1.7976931348623157e308), "1.7976931348623157e+308");
        assert_eq!(float(333333333.3333333), "333333333.3333333");
        assert_eq!(float(-1.5), "-1.5");
    }

    #[test]
    fn integral_floats_print_like_the_equal_integer() {
        assert_eq!(float(1152921504606846976.0), "1152921504606846976");
        assert_eq!(float(-9223372036854775808.0), "-9223372036854775808");
    }

    #[test]
    fn the_first_byte_to_escape_is_found_at_every_offset() {
        for len in 0..40 {
            for at in 0..len {
                for special in [b'"', b'\\', b'\n', 0x00, 0x1f, 0x7f, 0x80, 0xff, b' '] {
                    let mut bytes = vec![b'a'; len];
                    bytes[at] = special;
                    let expected = bytes.iter().position(|&b| NEEDS_ESCAPE[usize::from(b)]);
                    assert_eq!(first_to_escape(&bytes), expected, "len {len} at {at} byte {special:#x}");
                }
            }
        }
    }

    proptest! {
        /// Mostly plain text with any byte now and then, so escapes fall at any offset.
        #[test]
        fn the_word_scan_agrees_with_the_byte_scan(
            bytes in prop::collection::vec(prop_oneof![30 => Just(b'a'), 1 => any::<u8>()], 0..80)
        ) {
            let expected = bytes.iter().position(|&b| NEEDS_ESCAPE[usize::from(b)]);
            prop_assert_eq!(first_to_escape(&bytes), expected);
        }
    }

    #[test]
    fn a_string_array_is_written_as_the_equal_value() {
        let items = ["", "a\"b", "\u{1}é", "x"];
        let mut direct = Vec::new();
        write_string_array(&items, &mut direct);
        let value = Value::Array(items.iter().map(|s| Value::String((*s).to_owned())).collect());
        assert_eq!(direct, canonical_string(&value).into_bytes());
        let mut empty = Vec::new();
        write_string_array(&[], &mut empty);
        assert_eq!(empty, b"[]");
    }

    #[test]
    fn strings_escape_only_what_json_requires() {
        let mut out = Vec::new();
        write_string("a\"b\\c\n\u{1}é€", &mut out);
        assert_eq!(String::from_utf8(out).unwrap(), "\"a\\\"b\\\\c\\n\\u0001é€\"");
    }
}
