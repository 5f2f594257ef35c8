//! Go duration strings compared by value where controllers write them back in Go's
//! canonical form (`8760h` vs `8760h0m0s`, `90m` vs `1h30m0s`).

use crate::value::Value;

const NANOS_PER: &[(&str, i128)] = &[
    ("ns", 1),
    ("us", 1_000),
    ("µs", 1_000),
    ("μs", 1_000),
    ("ms", 1_000_000),
    ("s", 1_000_000_000),
    ("m", 60_000_000_000),
    ("h", 3_600_000_000_000),
];

/// Parses Go's `time.ParseDuration` syntax into nanoseconds (fractions exact to the ns).
pub fn parse_duration(text: &str) -> Option<i128> {
    let (negative, mut rest) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    if rest == "0" {
        return Some(0);
    }
    if rest.is_empty() {
        return None;
    }
    let mut total: i128 = 0;
    while !rest.is_empty() {
        let number_end = rest.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
        let (number, tail) = rest.split_at(number_end);
        let unit_end = tail.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(tail.len());
        let (unit, tail) = tail.split_at(unit_end);
        let &(_, scale) = NANOS_PER.iter().find(|(u, _)| *u == unit)?;
        let (int_part, frac_part) = number.split_once('.').unwrap_or((number, ""));
        if int_part.is_empty() && frac_part.is_empty() || int_part.len() > 20 || frac_part.len() > 20 {
            return None;
        }
        let whole: i128 = if int_part.is_empty() { 0 } else { int_part.parse().ok()? };
        let mut part = whole.checked_mul(scale)?;
        if !frac_part.is_empty() {
            let frac: i128 = frac_part.parse().ok()?;
            let denominator = 10i128.pow(u32::try_from(frac_part.len()).ok()?);
            part = part.checked_add(frac.checked_mul(scale)? / denominator)?;
        }
        total = total.checked_add(part)?;
        rest = tail;
    }
    Some(if negative { -total } else { total })
}

/// Go's `time.Duration.String()`: `1h30m0s`, `1.5s`, `300ms`, `0s`.
pub fn format_duration(nanos: i128) -> String {
    if nanos == 0 {
        return "0s".into();
    }
    let sign = if nanos < 0 { "-" } else { "" };
    let n = nanos.unsigned_abs();
    let fraction = |value: u128, unit: u128| -> String {
        let whole = value / unit;
        let rem = value % unit;
        if rem == 0 {
            return whole.to_string();
        }
        let width = unit.to_string().len() - 1;
        let digits = format!("{rem:0width$}");
        format!("{whole}.{}", digits.trim_end_matches('0'))
    };
    if n < 1_000 {
        return format!("{sign}{n}ns");
    }
    if n < 1_000_000 {
        return format!("{sign}{}µs", fraction(n, 1_000));
    }
    if n < 1_000_000_000 {
        return format!("{sign}{}ms", fraction(n, 1_000_000));
    }
    let hours = n / 3_600_000_000_000;
    let minutes = (n / 60_000_000_000) % 60;
    let seconds = fraction(n % 60_000_000_000, 1_000_000_000);
    match (hours, minutes) {
        (0, 0) => format!("{sign}{seconds}s"),
        (0, m) => format!("{sign}{m}m{seconds}s"),
        (h, m) => format!("{sign}{h}h{m}m{seconds}s"),
    }
}

/// Known duration fields, as (API group, dotted path).
const DURATION_FIELDS: &[(&str, &str)] = &[
    ("cert-manager.io", "spec.duration"),
    ("cert-manager.io", "spec.renewBefore"),
    ("kustomize.toolkit.fluxcd.io", "spec.interval"),
    ("kustomize.toolkit.fluxcd.io", "spec.retryInterval"),
    ("kustomize.toolkit.fluxcd.io", "spec.timeout"),
    ("helm.toolkit.fluxcd.io", "spec.interval"),
    ("helm.toolkit.fluxcd.io", "spec.timeout"),
    ("source.toolkit.fluxcd.io", "spec.interval"),
    ("source.toolkit.fluxcd.io", "spec.timeout"),
    ("image.toolkit.fluxcd.io", "spec.interval"),
    ("notification.toolkit.fluxcd.io", "spec.interval"),
];

/// Canonicalizes the known duration fields of an object of `group`.
pub fn canonicalize_durations(obj: &mut Value, group: &str) {
    for &(field_group, path) in DURATION_FIELDS {
        if field_group != group {
            continue;
        }
        let keys: Vec<&str> = path.split('.').collect();
        let Some((last, parents)) = keys.split_last() else {
            continue;
        };
        let mut node = Some(&mut *obj);
        for key in parents {
            node = node.and_then(Value::as_object_mut).and_then(|m| m.get_mut(key));
        }
        if let Some(Value::String(s)) = node.and_then(Value::as_object_mut).and_then(|m| m.get_mut(last)) {
            if let Some(nanos) = parse_duration(s) {
                *s = format_duration(nanos);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(s: &str) -> String {
        parse_duration(s).map(format_duration).unwrap_or_else(|| format!("<invalid {s}>"))
    }

    #[test]
    fn go_canonical_forms() {
        assert_eq!(canon("8760h"), "8760h0m0s");
        assert_eq!(canon("8760h0m0s"), "8760h0m0s");
        assert_eq!(canon("90m"), "1h30m0s");
        assert_eq!(canon("1m"), "1m0s");
        assert_eq!(canon("30s"), "30s");
        assert_eq!(canon("1.5s"), "1.5s");
        assert_eq!(canon("300ms"), "300ms");
        assert_eq!(canon("1.5h"), "1h30m0s");
        assert_eq!(canon("0"), "0s");
        assert_eq!(canon("-5m"), "-5m0s");
        assert_eq!(canon("2us"), "2µs");
    }

    #[test]
    fn invalid_durations_are_left_alone() {
        for s in ["", "5", "abc", "1x", "h", "1.2.3s"] {
            assert!(parse_duration(s).is_none(), "{s}");
        }
    }
}
