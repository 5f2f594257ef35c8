//! Resource quantities compared by value: `1000m` == `1`, `1024Mi` == `1Gi`,
//! `0.5` == `500m`, `1e3` == `1k`. Every quantity is rewritten to one canonical
//! spelling chosen from its value alone, so equal values are equal strings.

use crate::value::Value;

/// An exact decimal: `digits × 10^exponent`, with no trailing zeros in `digits`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quantity {
    digits: i128,
    exponent: i32,
}

const BINARY_SUFFIXES: &[(&str, u32)] = &[("Ki", 1), ("Mi", 2), ("Gi", 3), ("Ti", 4), ("Pi", 5), ("Ei", 6)];
const DECIMAL_SUFFIXES: &[(&str, i32)] =
    &[("n", -9), ("u", -6), ("m", -3), ("k", 3), ("M", 6), ("G", 9), ("T", 12), ("P", 15), ("E", 18)];

impl Quantity {
    fn new(digits: i128, exponent: i32) -> Self {
        let (mut digits, mut exponent) = (digits, exponent);
        if digits == 0 {
            return Self { digits: 0, exponent: 0 };
        }
        while digits % 10 == 0 {
            digits /= 10;
            exponent += 1;
        }
        Self { digits, exponent }
    }

    /// Parses Kubernetes' quantity grammar: a signed decimal number, then a binary
    /// suffix (Ki..Ei), a decimal suffix (n, u, m, "", k, M, G, T, P, E) or an
    /// exponent (e3, E-2). `None` for anything else.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let number_end = text
            .char_indices()
            .find(|&(i, c)| !(c.is_ascii_digit() || c == '.' || (i == 0 && (c == '+' || c == '-'))))
            .map_or(text.len(), |(i, _)| i);
        let (number, suffix) = text.split_at(number_end);
        let (negative, number) = match number.as_bytes().first() {
            Some(b'-') => (true, &number[1..]),
            Some(b'+') => (false, &number[1..]),
            _ => (false, number),
        };
        let (int_part, frac_part) = number.split_once('.').unwrap_or((number, ""));
        if int_part.is_empty() && frac_part.is_empty() || frac_part.contains('.') {
            return None;
        }
        let all_digits = format!("{int_part}{frac_part}");
        let trimmed = all_digits.trim_start_matches('0');
        if trimmed.len() > 30 {
            return None;
        }
        let mut digits: i128 = if trimmed.is_empty() { 0 } else { trimmed.parse().ok()? };
        if negative {
            digits = -digits;
        }
        let mut exponent = -i32::try_from(frac_part.len()).ok()?;
        if let Some(&(_, power)) = BINARY_SUFFIXES.iter().find(|(s, _)| *s == suffix) {
            digits = digits.checked_mul(1i128.checked_shl(10 * power)?)?;
        } else if let Some(&(_, e)) = DECIMAL_SUFFIXES.iter().find(|(s, _)| *s == suffix) {
            exponent += e;
        } else if let Some(e) = suffix.strip_prefix(['e', 'E']) {
            exponent += e.parse::<i32>().ok().filter(|e| e.abs() <= 100)?;
        } else if !suffix.is_empty() {
            return None;
        }
        Some(Self::new(digits, exponent))
    }

    /// The quantity of a YAML/JSON number (`cpu: 1`, `cpu: 0.5`).
    pub fn from_number(value: &Value) -> Option<Self> {
        match value {
            Value::Int(i) => Some(Self::new(i128::from(*i), 0)),
            Value::Float(f) => Self::parse(&crate::canon::canonical_string(&Value::Float(*f))),
            _ => None,
        }
    }

    /// The value as an integer, when it is one and fits.
    fn as_integer(&self) -> Option<i128> {
        let exponent = u32::try_from(self.exponent).ok()?;
        self.digits.checked_mul(10i128.checked_pow(exponent)?)
    }

    /// One spelling per value: integers with the largest binary suffix that divides
    /// them, else the largest decimal suffix, else plain digits; fractions in m, u or n
    /// when exact, else with an exponent.
    pub fn canonical(&self) -> String {
        if let Some(v) = self.as_integer() {
            if v == 0 {
                return "0".into();
            }
            for &(suffix, power) in BINARY_SUFFIXES.iter().rev() {
                let unit = 1i128 << (10 * power);
                if v % unit == 0 {
                    return format!("{}{suffix}", v / unit);
                }
            }
            for &(suffix, e) in DECIMAL_SUFFIXES.iter().rev().filter(|(_, e)| *e > 0) {
                let unit = 10i128.pow(e.unsigned_abs());
                if v % unit == 0 {
                    return format!("{}{suffix}", v / unit);
                }
            }
            return v.to_string();
        }
        for &(suffix, e) in DECIMAL_SUFFIXES.iter().filter(|(_, e)| *e < 0).rev() {
            if self.exponent >= e {
                let scaled = self.digits * 10i128.pow((self.exponent - e).unsigned_abs());
                return format!("{scaled}{suffix}");
            }
        }
        format!("{}e{}", self.digits, self.exponent)
    }
}

/// Rewrites a quantity value (string or number) to its canonical spelling; leaves
/// anything that is not a quantity untouched.
fn canonicalize(value: &mut Value) {
    let parsed = match value {
        Value::String(s) => Quantity::parse(s),
        Value::Int(_) | Value::Float(_) => Quantity::from_number(value),
        _ => None,
    };
    if let Some(q) = parsed {
        *value = Value::String(q.canonical());
    }
}

fn canonicalize_map_values(value: &mut Value) {
    if let Some(map) = value.as_object_mut() {
        map.iter_mut().for_each(|(_, v)| canonicalize(v));
    }
}

/// Where quantities live: maps of quantities (`resources.limits`, `overhead`,
/// LimitRange and ResourceQuota maps, PV capacity) and single quantity fields
/// (`sizeLimit`, HPA targets).
fn is_quantity_map(kind: &str, parent: Option<&str>, key: &str) -> bool {
    match key {
        "limits" | "requests" => parent == Some("resources"),
        "overhead" => true,
        "hard" | "used" => kind == "ResourceQuota",
        "capacity" => kind == "PersistentVolume",
        "max" | "min" | "default" | "defaultRequest" | "maxLimitRequestRatio" => {
            kind == "LimitRange" && parent == Some("limits")
        }
        _ => false,
    }
}

fn is_quantity_field(kind: &str, parent: Option<&str>, key: &str) -> bool {
    let autoscaler = kind == "HorizontalPodAutoscaler";
    match key {
        "sizeLimit" => true,
        "averageValue" | "value" => autoscaler && parent == Some("target"),
        "targetAverageValue" | "targetValue" => autoscaler,
        _ => false,
    }
}

/// Canonicalizes every quantity of an object of `kind`.
pub fn canonicalize_quantities(obj: &mut Value, kind: &str) {
    walk(obj, kind, None);
}

fn walk(value: &mut Value, kind: &str, parent: Option<&str>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                if is_quantity_map(kind, parent, key) {
                    canonicalize_map_values(child);
                } else if is_quantity_field(kind, parent, key) {
                    canonicalize(child);
                } else {
                    walk(child, kind, Some(key));
                }
            }
        }
        // List items keep the list's field name as their parent (`limits: [...]`).
        Value::Array(items) => items.iter_mut().for_each(|item| walk(item, kind, parent)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(s: &str) -> String {
        Quantity::parse(s).map(|q| q.canonical()).unwrap_or_else(|| format!("<invalid {s}>"))
    }

    #[test]
    fn equal_values_have_one_spelling() {
        assert_eq!(canon("1000m"), canon("1"));
        assert_eq!(canon("1024Mi"), canon("1Gi"));
        assert_eq!(canon("0.5"), canon("500m"));
        assert_eq!(canon("1e3"), canon("1k"));
        assert_eq!(canon("1.5Gi"), canon("1536Mi"));
        assert_eq!(canon("+2"), canon("2.000"));
        assert_eq!(canon("0"), canon("0Mi"));
    }

    #[test]
    fn different_values_differ() {
        assert_ne!(canon("1"), canon("1001m"));
        assert_ne!(canon("1Gi"), canon("1G"));
        assert_ne!(canon("100m"), canon("100M"));
    }

    #[test]
    fn canonical_spellings_are_readable() {
        assert_eq!(canon("1073741824"), "1Gi");
        assert_eq!(canon("2000000"), "2M");
        assert_eq!(canon("0.25"), "250m");
        assert_eq!(canon("1.5"), "1500m");
        assert_eq!(canon("3"), "3");
        assert_eq!(canon("100u"), "100u");
    }

    #[test]
    fn non_quantities_are_rejected() {
        for s in ["", "abc", "1.2.3", "1Qi", "--1", "1e", "."] {
            assert!(Quantity::parse(s).is_none(), "{s}");
        }
    }

    #[test]
    fn numbers_are_quantities_too() {
        assert_eq!(Quantity::from_number(&Value::Float(0.5)).map(|q| q.canonical()), Some("500m".into()));
        assert_eq!(Quantity::from_number(&Value::Int(2)).map(|q| q.canonical()), Some("2".into()));
    }
}
