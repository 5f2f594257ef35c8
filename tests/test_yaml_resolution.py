"""YAML scalars resolve as Kubernetes reads manifests (go-yaml v2, YAML 1.1 rules).

Generated documents are loaded by gitops_diff and by PyYAML's SafeLoader (also YAML
1.1) and must agree, except where go-yaml v2 and PyYAML differ; each such deviation is
pinned by a test of its own below, and the generators leave those forms out.
"""

from __future__ import annotations

import json
from typing import Any, Union

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

import gitops_diff

# --- what both loaders resolve the same way ---------------------------------------------

BOOLEANS = [
    "on", "On", "ON", "off", "Off", "OFF",
    "yes", "Yes", "YES", "no", "No", "NO",
    "true", "True", "TRUE", "false", "False", "FALSE",
]  # fmt: skip
NULLS = ["~", "null", "Null", "NULL"]
FIXED_NUMBERS = [
    "0", "-0", "+7", "42", "-17", "0777", "-0777", "007", "0x1F", "0x1f",
    "-0x1F", "+0x1F", "0x_1F", "0b101", "-0b101", "1_000", "-1_000", "1__0", "0_7",
    "9223372036854775807", "-9223372036854775808",
    "1.5", "-1.5", "+1.5", "1.", "0.", ".5", "0.0", "1.0e+3", "1.5E-3", "1_0.5", "1.5_0",
    "3.14159", "-0.0", "6.02e+23",
]  # fmt: skip
WORDS = [
    "hello", "nginx", "v1", "1.2.3", "500m", "1Gi", "app-name", "/usr/bin/env", "a b c",
    "0xG", "1e", "TrUe", "nULL", "yES", "offf", "Yess", "_1", "e5", "x1:y", "+", ".",
    "http://example.com/a#b", "key=value", "1a", "0x", "-a",
]  # fmt: skip
VOCABULARY = BOOLEANS + NULLS + FIXED_NUMBERS + WORDS

# Words that resolve to something other than a string in either loader: never keys.
SPECIAL_WORDS = set(BOOLEANS + NULLS) | {"y", "Y", "n", "N", "<<", "="}

Plain = str  # a plain scalar, written as is


class Quoted:
    """A string written in quotes (single or double)."""

    def __init__(self, value: str, double: bool) -> None:
        self.value, self.double = value, double

    def render(self) -> str:
        if self.double:
            return json.dumps(self.value, ensure_ascii=False)
        return "'" + self.value.replace("'", "''") + "'"


class LiteralBlock:
    """A string written as a literal block scalar (`|`)."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines


Node = Union[Plain, Quoted, LiteralBlock, dict[str, Any], list[Any]]


def _decimal(value: int, rng_underscores: list[bool]) -> str:
    digits = str(abs(value))
    out = digits[0]
    for i, d in enumerate(digits[1:]):
        if rng_underscores[i % len(rng_underscores)]:
            out += "_"
        out += d
    return out


@st.composite
def plain_integers(draw: st.DrawFn) -> str:
    """Integers within int64 in every notation both loaders read: decimal, 0-prefixed
    octal, 0x hex, 0b binary, with optional sign and digit-separating underscores."""
    value = draw(st.integers(min_value=-(2**63) + 1, max_value=2**63 - 1))
    sign = "-" if value < 0 else draw(st.sampled_from(["", "+"]))
    base = draw(st.sampled_from(["dec", "oct", "hex", "bin"]))
    magnitude = abs(value)
    if base == "dec":
        underscores = draw(st.lists(st.booleans(), min_size=1, max_size=4))
        body = _decimal(magnitude, underscores) if magnitude else "0"
    elif base == "oct":
        if magnitude == 0:
            return "0"
        body = "0" + format(magnitude, "o")
    elif base == "hex":
        body = "0x" + draw(st.sampled_from([format(magnitude, "x"), format(magnitude, "X")]))
    else:
        body = "0b" + format(magnitude, "b")
    return sign + body


@st.composite
def plain_floats(draw: st.DrawFn) -> str:
    """Floats with a decimal point (and a signed exponent, if any), as both read them."""
    whole = draw(st.integers(min_value=0, max_value=10**12))
    fraction = draw(st.text("0123456789", max_size=8))
    sign = draw(st.sampled_from(["", "-", "+"]))
    exponent = draw(
        st.one_of(
            st.just(""),
            st.builds(
                lambda e, s, sign_: f"{e}{sign_}{s}",
                st.sampled_from(["e", "E"]),
                st.integers(min_value=0, max_value=290),
                st.sampled_from(["+", "-"]),
            ),
        )
    )
    return f"{sign}{whole}.{fraction}{exponent}"


SAFE_CHARS = st.characters(
    codec="utf-8",
    exclude_categories=("Cc", "Cs", "Zl", "Zp", "Co", "Cn"),
    exclude_characters="\x85\ufeff\ufffe\uffff",
)
CONTROL_CHARS = st.sampled_from(["\x00", "\x01", "\t", "\n", "\r", "\x1b", "\x1f"])

quoted = st.one_of(
    st.builds(Quoted, st.text(SAFE_CHARS, max_size=15), st.just(False)),
    st.builds(Quoted, st.text(SAFE_CHARS | CONTROL_CHARS, max_size=15), st.just(True)),
    st.builds(Quoted, st.sampled_from([*VOCABULARY, "y", "n", "1e3", "1:30"]), st.booleans()),
)
literal_line = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9 .:,#'\"-]{0,20}[A-Za-z0-9.]", fullmatch=True)
literals = st.builds(LiteralBlock, st.lists(literal_line, min_size=1, max_size=4))

scalars: st.SearchStrategy[Node] = st.one_of(
    st.sampled_from(VOCABULARY),
    plain_integers(),
    plain_floats(),
    quoted,
    literals,
)
keys = st.from_regex(r"[A-Za-z][A-Za-z0-9_.-]{0,12}", fullmatch=True).filter(
    lambda k: k not in SPECIAL_WORDS
)
nodes: st.SearchStrategy[Node] = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(keys, children, max_size=4),
    ),
    max_leaves=20,
)


def _scalar_text(node: Node) -> str:
    if isinstance(node, Quoted):
        return node.render()
    assert isinstance(node, str)
    return node


def _is_inline(node: Node) -> bool:
    return not isinstance(node, (dict, list, LiteralBlock)) or node in ({}, [])


def _inline(node: Node) -> str:
    if isinstance(node, dict):
        return "{}"
    if isinstance(node, list):
        return "[]"
    return _scalar_text(node)


def render_block(node: Node) -> list[str]:
    """A collection in block style, as lines without base indentation."""
    lines: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            lines.extend(_entry(f"{key}:", value))
    elif isinstance(node, list):
        for value in node:
            lines.extend(_entry("-", value))
    else:
        raise TypeError(node)
    return lines


def _entry(head: str, value: Node) -> list[str]:
    if isinstance(value, LiteralBlock):
        return [f"{head} |"] + ["  " + line for line in value.lines]
    if _is_inline(value):
        return [f"{head} {_inline(value)}"]
    if isinstance(value, list) and all(_is_inline(v) for v in value) and len(value) % 2:
        # Some lists of scalars in flow style, to cover flow context too.
        return [f"{head} [" + ", ".join(_inline(v) for v in value) + "]"]
    return [head] + ["  " + line for line in render_block(value)]


def document(name: str, data: dict[str, Node]) -> str:
    head = f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n"
    if not data:
        return head + "data: {}\n"
    return head + "data:\n" + "".join(f"  {line}\n" for line in render_block(data))


def strictly_equal(a: Any, b: Any) -> bool:
    """Equal values of equal types (True is not 1, 1 is not 1.0)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(strictly_equal(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(strictly_equal(x, y) for x, y in zip(a, b))
    return bool(a == b)


def ours(text: str) -> list[Any]:
    return gitops_diff.load(text.encode("utf-8")).to_list()


def pyyaml(text: str) -> list[Any]:
    return [d for d in yaml.safe_load_all(text) if d is not None]


@given(st.lists(st.dictionaries(keys, nodes, max_size=5), min_size=1, max_size=3))
def test_generated_documents_load_as_pyyaml_safe_loader_reads_them(
    datas: list[dict[str, Node]],
) -> None:
    text = "---\n".join(document(f"doc-{i}", data) for i, data in enumerate(datas))
    expected = pyyaml(text)
    actual = ours(text)
    assert strictly_equal(actual, expected), text


@given(st.one_of(plain_integers(), plain_floats(), st.sampled_from(VOCABULARY)))
def test_plain_scalar_resolves_as_pyyaml_resolves_it(word: str) -> None:
    text = document("x", {"k": word})
    assert strictly_equal(ours(text)[0]["data"]["k"], pyyaml(text)[0]["data"]["k"]), word


@given(quoted)
def test_quoted_scalars_are_always_strings(node: Quoted) -> None:
    text = document("x", {"k": node})
    value = ours(text)[0]["data"]["k"]
    assert value == node.value
    assert isinstance(value, str)


def test_anchors_aliases_and_merge_keys_resolve_as_pyyaml_resolves_them() -> None:
    text = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n"
        "data:\n"
        "  base: &base {a: 1, b: on, c: ~}\n"
        "  copy: *base\n"
        "  merged:\n"
        "    <<: *base\n"
        "    b: off\n"
        "  many:\n"
        "    <<: [*base, {d: 0x10}]\n"
    )
    assert strictly_equal(ours(text), pyyaml(text))


# --- documented deviations: go-yaml v2 (Kubernetes) differs from PyYAML here --------------


def one(word: str) -> tuple[Any, Any]:
    """(our value, PyYAML's value) of a plain scalar."""
    text = document("x", {"k": word})
    return ours(text)[0]["data"]["k"], pyyaml(text)[0]["data"]["k"]


@pytest.mark.parametrize(("word", "value"), [("y", True), ("Y", True), ("n", False), ("N", False)])
def test_single_letter_y_and_n_are_booleans_as_in_go_yaml_v2(word: str, value: bool) -> None:
    got, theirs = one(word)
    assert got is value
    assert theirs == word  # PyYAML reads them as strings


@pytest.mark.parametrize(
    ("word", "value"), [("1e3", 1000.0), ("1E3", 1000.0), ("12e03", 12000.0), ("-2e2", -200.0)]
)
def test_exponent_without_sign_is_a_float_as_in_go_yaml_v2(word: str, value: float) -> None:
    got, theirs = one(word)
    assert isinstance(got, float)
    assert got == value
    assert theirs == word


@pytest.mark.parametrize("word", ["1:30", "190:20:30", "-1:30", "1:30.5"])
def test_sexagesimal_numbers_stay_strings_as_in_go_yaml_v2(word: str) -> None:
    got, theirs = one(word)
    assert got == word
    assert not isinstance(theirs, str)  # PyYAML reads base 60


@pytest.mark.parametrize(
    "word", ["2001-12-14", "2001-12-14t21:59:43.10-05:00", "2002-12-14 21:59:43"]
)
def test_timestamps_stay_strings_as_in_go_yaml_v2(word: str) -> None:
    got, theirs = one(word)
    assert got == word
    assert not isinstance(theirs, str)  # PyYAML builds date/datetime objects


@pytest.mark.parametrize(("word", "value"), [("08", 8.0), ("09", 9.0), ("0789", 789.0)])
def test_leading_zero_with_non_octal_digits_is_a_float_as_in_go_yaml_v2(
    word: str, value: float
) -> None:
    got, theirs = one(word)
    assert isinstance(got, float)
    assert got == value
    assert theirs == word


@pytest.mark.parametrize(("word", "value"), [("0o17", 15), ("0X1F", 31), ("0B11", 3)])
def test_integer_prefixes_go_accepts_are_integers(word: str, value: int) -> None:
    got, theirs = one(word)
    assert got == value
    assert isinstance(got, int)
    assert theirs == word


@pytest.mark.parametrize(("word", "value"), [("-.5", -0.5), ("+.5", 0.5), ("-.5e1", -5.0)])
def test_signed_fraction_without_integer_part_is_a_float(word: str, value: float) -> None:
    got, theirs = one(word)
    assert got == value
    assert isinstance(got, float)
    assert theirs == word


@pytest.mark.parametrize("word", ["9223372036854775808", "-9223372036854775809", "2" + "0" * 20])
def test_integers_beyond_int64_become_floats(word: str) -> None:
    got, theirs = one(word)
    assert isinstance(got, float)
    assert got == float(int(word))
    assert theirs == int(word)


@pytest.mark.parametrize("word", [".nan", ".NaN", ".inf", "-.Inf", "+.INF", "1e999"])
def test_non_finite_numbers_are_refused_with_their_location(word: str) -> None:
    text = document("x", {"k": word})
    with pytest.raises(gitops_diff.ParseError, match=r"^<bytes>:6:6: "):
        ours(text)


@pytest.mark.parametrize(
    ("key", "as_kubernetes_reads_it"),
    [
        ("on", "true"),
        ("yes", "true"),
        ("y", "true"),
        ("off", "false"),
        ("012", "10"),
        ("0x1F", "31"),
    ],
)
def test_plain_mapping_keys_resolve_as_kubernetes_reads_them(
    key: str, as_kubernetes_reads_it: str
) -> None:
    text = f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: x}}\ndata:\n  {key}: value\n"
    assert ours(text)[0]["data"] == {as_kubernetes_reads_it: "value"}
