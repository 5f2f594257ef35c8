"""Block-style YAML for JSON-shaped values, written the way people write manifests.

The text must read back (with YAML 1.1 scalar rules, as Kubernetes reads it) as exactly
the value it was written from: strings that would resolve to anything else are quoted,
multi-line strings become literal blocks, and a dict or list that appears twice in one
document (the same Python object) is written once with an anchor and then as an alias.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

# Plain scalars that YAML 1.1 resolves to booleans or null.
_RESERVED = frozenset(
    (
        *("y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO"),
        *("true", "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF"),
        *("null", "Null", "NULL", "~"),
    )
)
_PLAIN_START = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_/$")
_PLAIN_CHARS = re.compile(r"[A-Za-z0-9_/$.:=+@()~ -]*\Z")
# Characters a literal block cannot hold as they are (ASCII text and tabs only, here).
# Control characters, and what YAML 1.1 reads as line breaks or a byte order mark.
_NOT_BLOCK_TEXT = re.compile(
    "[^\t\n\x20-\x7e\u00a0-\u2027\u202a-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)
_FLOW_UNSAFE = frozenset(",[]{}")
# Digits with a unit suffix (`100m`, `1.5Gi`, `30s`): strings under YAML 1.1, like in Git.
_UNIT_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?(?:m|k|M|G|T|Ki|Mi|Gi|Ti|ms|s|h|d)\Z")


@dataclass(frozen=True)
class Style:
    """How one team writes YAML."""

    # `- item` indented under its key (True) or level with it, as `kubectl` prints.
    indent_sequences: bool = True
    # Quote character for strings that need quoting but fit on one line.
    single_quotes: bool = False
    # Short lists of scalars written inline: `args: [a, b]`.
    flow_scalar_lists: bool = False
    # How booleans are spelled: YAML 1.1 (which Kubernetes reads) also has yes/no, on/off.
    booleans: tuple[str, str] = ("true", "false")


class Octal(int):
    """An integer written in octal (`0644`), as file modes are: YAML 1.1 reads a leading
    zero as octal."""


def is_plain_safe(text: str) -> bool:
    """Whether `text` can be written unquoted and still read back as this string."""
    if _UNIT_NUMBER.match(text):
        return True
    if not text or text in _RESERVED or text[0] not in _PLAIN_START:
        return False
    if text[-1] in " :" or ": " in text or " #" in text or "  " in text:
        return False
    return _PLAIN_CHARS.match(text) is not None


def _quoted(text: str, style: Style) -> str:
    if style.single_quotes and text.isprintable():
        return "'" + text.replace("'", "''") + "'"
    return json.dumps(text)


def scalar(value: Any, style: Style) -> str:
    """One scalar as YAML text (not for multi-line strings: see `_is_block`)."""
    if value is None:
        return "null"
    if value is True:
        return style.booleans[0]
    if value is False:
        return style.booleans[1]
    if isinstance(value, Octal):
        return f"0{value:o}"
    if isinstance(value, (int, float)):
        return repr(value)
    text = str(value)
    if is_plain_safe(text):
        return text
    return _quoted(text, style)


def _is_block(value: Any) -> bool:
    """Multi-line strings that a literal block holds exactly."""
    if not isinstance(value, str) or "\n" not in value or value.startswith("\n"):
        return False
    if value.startswith(" ") or value.rstrip("\n") == "":
        return False
    return _NOT_BLOCK_TEXT.search(value) is None


def _block_header(text: str) -> str:
    trailing = len(text) - len(text.rstrip("\n"))
    return "|-" if trailing == 0 else "|" if trailing == 1 else "|+"


class _Writer:
    def __init__(self, style: Style, shared: dict[int, str]) -> None:
        self.style = style
        self.lines: list[str] = []
        self.shared = shared
        self.written: set[int] = set()

    def _ref(self, node: Any) -> tuple[str, bool]:
        """(` &name` or ` *name` or "", whether the node's content is still to write)."""
        if not self.shared:
            return "", True
        name = self.shared.get(id(node))
        if name is None:
            return "", True
        if id(node) in self.written:
            return f" *{name}", False
        self.written.add(id(node))
        return f" &{name}", True

    def block(self, text: str, indent: int) -> None:
        pad = " " * indent
        body = text.rstrip("\n") if not text.endswith("\n\n") else text[:-1]
        self.lines.extend(pad + line if line else "" for line in body.split("\n"))

    def mapping(self, node: dict[str, Any], indent: int, first_prefix: str | None = None) -> None:
        pad = " " * indent
        for i, (key, value) in enumerate(node.items()):
            lead = first_prefix if (i == 0 and first_prefix is not None) else pad
            self.entry(lead + scalar(key, self.style) + ":", value, indent)

    def entry(self, head: str, value: Any, indent: int) -> None:
        """`head` is `key:` or `-`; the value follows on the line or below it."""
        if isinstance(value, dict):
            ref, todo = self._ref(value)
            if not value:
                self.lines.append(head + ref + (" {}" if todo else ""))
            elif not todo:
                self.lines.append(head + ref)
            else:
                self.lines.append(head + ref)
                self.mapping(value, indent + 2)
        elif isinstance(value, list):
            ref, todo = self._ref(value)
            if not value:
                self.lines.append(head + ref + (" []" if todo else ""))
            elif not todo:
                self.lines.append(head + ref)
            elif self._flow_ok(value):
                self.lines.append(
                    head + ref + " [" + ", ".join(scalar(v, self.style) for v in value) + "]"
                )
            else:
                self.lines.append(head + ref)
                child = (
                    indent + 2 if (self.style.indent_sequences or head.endswith("-")) else indent
                )
                self.sequence(value, child)
        elif _is_block(value):
            self.lines.append(head + " " + _block_header(value))
            self.block(value, indent + 2)
        else:
            self.lines.append(head + " " + scalar(value, self.style))

    def _flow_ok(self, items: list[Any]) -> bool:
        if not self.style.flow_scalar_lists or len(items) > 6:
            return False
        for item in items:
            if isinstance(item, (dict, list)) or _is_block(item):
                return False
            if isinstance(item, str) and (len(item) > 40 or _FLOW_UNSAFE & set(item)):
                return False
        return True

    def sequence(self, items: list[Any], indent: int) -> None:
        pad = " " * indent
        for item in items:
            if isinstance(item, dict) and item and id(item) not in self.shared:
                self.mapping(item, indent + 2, first_prefix=pad + "- ")
            else:
                self.entry(pad + "-", item, indent)


def _shared_nodes(root: Any, names: dict[int, str] | None) -> dict[int, str]:
    """Dicts and lists reachable more than once, named for their anchors."""
    seen: dict[int, int] = {}
    first_key: dict[int, str] = {}

    def visit(node: Any, key: str) -> None:
        if isinstance(node, (dict, list)) and node:
            count = seen.get(id(node), 0)
            seen[id(node)] = count + 1
            if count:
                return
            first_key[id(node)] = key
            if isinstance(node, dict):
                for k, v in node.items():
                    visit(v, k)
            else:
                for v in node:
                    visit(v, key)

    visit(root, "root")
    shared: dict[int, str] = {}
    used: set[str] = set()
    for node_id, count in seen.items():
        if count < 2:
            continue
        base = (names or {}).get(node_id) or first_key[node_id].rsplit("/", 1)[-1]
        base = "".join(c if c.isalnum() or c in "-_" else "-" for c in base) or "ref"
        name, n = base, 1
        while name in used:
            n += 1
            name = f"{base}{n}"
        used.add(name)
        shared[node_id] = name
    return shared


def document(
    value: dict[str, Any],
    style: Style,
    *,
    comments: Iterable[str] = (),
    anchor_names: dict[int, str] | None = None,
) -> str:
    """One YAML document (without the `---` separator), ending in a newline.

    Anchors are written only when `anchor_names` is given (names for shared nodes; a
    shared node it does not name is named after its key): finding shared nodes walks
    the whole tree, so callers pass it only for objects built with shared parts.
    """
    shared = _shared_nodes(value, anchor_names) if anchor_names is not None else {}
    writer = _Writer(style, shared)
    writer.lines.extend(f"# {c}" for c in comments)
    writer.mapping(value, 0)
    return "\n".join(writer.lines) + "\n"


def stream(documents: Iterable[str], *, leading_separator: bool = False) -> str:
    """Documents joined into one multi-document file."""
    text = "---\n".join(documents)
    return "---\n" + text if leading_separator else text
