"""A small, independent implementation of the object hash and the set digest, written
from docs/hash.md alone, so that the engine can be checked against the specification.

Canonical bytes are RFC 8785 (JSON Canonicalization Scheme) with one refinement: a
number whose value is an integer within the signed 64-bit range is written as its exact
integer digits. The hash is XXH3-128 of those bytes, as 32 lowercase hex digits.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import xxhash

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1

_SHORT_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}


def canonical_string(text: str) -> str:
    """A JSON string literal with only the escapes RFC 8785 requires: the quote, the
    backslash, and the C0 controls (two-character forms where JSON has them, else
    `\\u00xx` with lowercase hex). Everything else is written as itself."""
    out = ['"']
    for char in text:
        if char in _SHORT_ESCAPES:
            out.append(_SHORT_ESCAPES[char])
        elif ord(char) < 0x20:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def _shortest_digits(value: float) -> tuple[str, int]:
    """The shortest decimal digits that read back as `value` (> 0), and the position
    `n` of the decimal point: value == 0.digits * 10**n."""
    text = repr(value)
    mantissa, _, exponent_text = text.partition("e")
    exponent = int(exponent_text) if exponent_text else 0
    whole, _, fraction = mantissa.partition(".")
    digits = whole + fraction
    point = len(whole) + exponent
    stripped = digits.lstrip("0")
    point -= len(digits) - len(stripped)
    digits = stripped.rstrip("0") or "0"
    return digits, point


def ecmascript_number(value: float) -> str:
    """ECMAScript Number.prototype.toString(10) of a finite double (ECMA-262,
    Number::toString): the shortest round-tripping digits, placed by the exponent."""
    if not math.isfinite(value):
        raise ValueError(f"{value!r} has no JSON form")
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    digits, n = _shortest_digits(abs(value))
    k = len(digits)
    if k <= n <= 21:
        body = digits + "0" * (n - k)
    elif 0 < n <= 21:
        body = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        body = "0." + "0" * (-n) + digits
    else:
        exponent = n - 1
        mantissa = digits[0] + ("." + digits[1:] if k > 1 else "")
        body = f"{mantissa}e{'+' if exponent >= 0 else '-'}{abs(exponent)}"
    return sign + body


def canonical_number(value: int | float) -> str:
    """The refinement of RFC 8785: integral values within int64 keep every digit; any
    other number is written as the ECMAScript form of the double it converts to."""
    if isinstance(value, int):
        if INT64_MIN <= value <= INT64_MAX:
            return str(value)
        value = float(value)  # as a JSON parser holding doubles would read it
    if value.is_integer() and INT64_MIN <= value < -INT64_MIN:
        return str(int(value))
    return ecmascript_number(value)


def _utf16_units(key: str) -> bytes:
    # Big-endian code units compare bytewise in code-unit order.
    return key.encode("utf-16-be")


def canonical_text(value: Any) -> str:
    """The canonical JSON text of a JSON-like Python value."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (int, float)):
        return canonical_number(value)
    if isinstance(value, str):
        return canonical_string(value)
    if isinstance(value, Mapping):
        keys = sorted(value, key=_utf16_units)
        members = (f"{canonical_string(k)}:{canonical_text(value[k])}" for k in keys)
        return "{" + ",".join(members) + "}"
    if isinstance(value, Sequence):
        return "[" + ",".join(canonical_text(item) for item in value) + "]"
    raise TypeError(f"not a JSON value: {type(value).__name__}")


def canonical_bytes(value: Any) -> bytes:
    return canonical_text(value).encode("utf-8")


def xxh3_128_hex(data: bytes) -> str:
    """XXH3-128 (seed 0) as 32 lowercase hex digits, most significant first."""
    return f"{xxhash.xxh3_128_intdigest(data):032x}"


def object_hash(value: Any) -> str:
    """The hash of one (already normalized, if wanted) object."""
    return xxh3_128_hex(canonical_bytes(value))


Member = tuple[str, str, str, str, str]  # group, kind, namespace ("" if none), name, hash


def set_digest(members: Iterable[Member]) -> str:
    """The digest of a set: one canonical JSON array of five strings per member, each
    followed by a newline, sorted bytewise, concatenated, then hashed."""
    lines = sorted(canonical_bytes(list(member)) + b"\n" for member in members)
    return xxh3_128_hex(b"".join(lines))


def parse_identity(identity: str) -> tuple[str, str, str, str]:
    """Splits the printed identity `group/Kind namespace/name` (the core group and a
    cluster scope leave their part out) into (group, kind, namespace, name)."""
    kind_part, _, name_part = identity.partition(" ")
    group, _, kind = kind_part.rpartition("/")
    namespace, _, name = name_part.rpartition("/")
    return group, kind, namespace, name
