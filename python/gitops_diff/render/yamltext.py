"""A small deterministic YAML emitter for JSON-like values (dict, list, str, int, float,
bool, None), in the block style `kubectl` prints: keys in the order given (the engine
gives them sorted), lists at their key's indentation, multi-line strings as literal
blocks.

Strings are written plain only when a YAML 1.1 reader (Kubernetes' own, and PyYAML)
reads them back as the same string; otherwise they are double-quoted. The output
parses back to the input value.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

# Words YAML 1.1 reads as booleans or null, in every spelling it accepts.
_RESERVED = {
    spelling
    for word in ("y", "n", "yes", "no", "true", "false", "on", "off", "null", "~", "")
    for spelling in (word, word.capitalize(), word.upper())
} | {"=", "<<"}
# Strings a YAML reader could take for a number (int, float, octal, hex, binary,
# sexagesimal, .inf, .nan) or a timestamp; anything made only of digits and number
# punctuation is quoted, which is a little more than needed and never less.
_NUMBER_LIKE = re.compile(
    r"[-+]?\.?[0-9][0-9a-fA-FxXoObB_.:+\-]*|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)"
)
_TIMESTAMP_LIKE = re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}")
# Characters that may not start a plain scalar; `-`, `?` and `:` only when a space
# (or nothing) follows.
_LEADING = set(",[]{}#&*!|>'\"%@`")
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")


def _plain_ok(text: str) -> bool:
    return not (
        text in _RESERVED
        or text != text.strip()
        or text[0] in _LEADING
        or (text[0] in "-?:" and (len(text) == 1 or text[1] == " "))
        or _NUMBER_LIKE.fullmatch(text)
        or _TIMESTAMP_LIKE.match(text)
        or ": " in text
        or " #" in text
        or text.endswith(":")
        or "\t" in text
        or "\n" in text
        or _UNPRINTABLE.search(text)
    )


# Characters a YAML 1.1 stream may not hold raw, or reads as line breaks (NEL, LS, PS),
# beyond the C0 controls that JSON escapes already.
_ESCAPE = re.compile(r"[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")


def _quoted(text: str) -> str:
    # A JSON string is a valid YAML double-quoted scalar once the characters YAML
    # cannot hold raw are escaped too.
    return _ESCAPE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(text, ensure_ascii=False))


def scalar(value: Any) -> str:
    """One scalar (or an empty collection) as YAML flow text."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return _quoted(str(value))
        text = repr(value)
        # YAML 1.1 needs a dot in a float (`1e+20` would read as a string).
        if "." not in text:
            mantissa, _, exponent = text.partition("e")
            text = f"{mantissa}.0" + (f"e{exponent}" if exponent else "")
        return text
    if isinstance(value, str):
        return value if _plain_ok(value) else _quoted(value)
    if isinstance(value, dict) and not value:
        return "{}"
    if isinstance(value, (list, tuple)) and not value:
        return "[]"
    raise TypeError(f"not a JSON-like value: {type(value).__name__}")


def _literal_ok(text: str) -> bool:
    """Whether a multi-line string can be a literal block (`|`) and read back exactly."""
    if "\n" not in text or "\r" in text or _UNPRINTABLE.search(text):
        return False
    first = next((line for line in text.split("\n") if line.strip()), None)
    # The first non-empty line sets the block's indentation: it may not start with a
    # space, and no blank line before it may hold spaces.
    if first is None or first[0] in " \t":
        return False
    head = text[: text.index(first)]
    return not head.strip("\n")


def _literal(text: str, indent: int) -> list[str]:
    """A literal block: the header's chomping indicator, then the lines."""
    stripped = text.rstrip("\n")
    trailing = len(text) - len(stripped)
    chomp = "-" if trailing == 0 else ("" if trailing == 1 else "+")
    pad = " " * indent
    lines = [f"{pad}{line}" if line else "" for line in stripped.split("\n")]
    lines.extend([""] * (trailing - 1 if trailing > 1 else 0))
    return [f"|{chomp}", *lines]


def _is_block(value: Any) -> bool:
    return (isinstance(value, (dict, list, tuple)) and bool(value)) or (
        isinstance(value, str) and _literal_ok(value)
    )


def _key(key: Any) -> str:
    if not isinstance(key, str):
        raise TypeError(f"object keys must be strings, found {type(key).__name__}")
    return scalar(key)


def _lines(value: Any, indent: int) -> list[str]:
    """A non-empty map or list as block lines at `indent`."""
    pad = " " * indent
    out: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            head = f"{pad}{_key(key)}:"
            if isinstance(item, str) and _literal_ok(item):
                header, *body = _literal(item, indent + 2)
                out.append(f"{head} {header}")
                out.extend(body)
            elif isinstance(item, dict) and item:
                out.append(head)
                out.extend(_lines(item, indent + 2))
            elif isinstance(item, (list, tuple)) and item:
                out.append(head)
                out.extend(_lines(item, indent))
            else:
                out.append(f"{head} {scalar(item)}")
        return out
    for item in value:
        if isinstance(item, str) and _literal_ok(item):
            header, *body = _literal(item, indent + 2)
            out.append(f"{pad}- {header}")
            out.extend(body)
        elif _is_block(item):
            nested = _lines(item, indent + 2)
            out.append(f"{pad}- {nested[0][indent + 2 :]}")
            out.extend(nested[1:])
        else:
            out.append(f"{pad}- {scalar(item)}")
    return out


def dump(value: Any) -> str:
    """`value` as a YAML document (no `---`), ending with a newline."""
    if _is_block(value) and not isinstance(value, str):
        return "\n".join(_lines(value, 0)) + "\n"
    if isinstance(value, str) and _literal_ok(value):
        header, *body = _literal(value, 2)
        return "\n".join([header, *body]) + "\n"
    return scalar(value) + "\n"
