"""The engine's object hash and set digest agree with the reference implementation of
docs/hash.md (tests/reference_hash.py), on fixed vectors and on generated objects."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import xxhash
from conftest import REPO_ROOT
from hypothesis import example, given
from hypothesis import strategies as st
from reference_hash import (
    INT64_MAX,
    INT64_MIN,
    canonical_bytes,
    canonical_number,
    canonical_string,
    object_hash,
    parse_identity,
    set_digest,
)

import gitops_diff
from gitops_diff import _core

# --- the reference against hand-written canonical bytes ---------------------------------

# RFC 8785 section 3.2.3: keys sort by UTF-16 code units, not by code points.
RFC8785_SORTING = {
    "\u20ac": "Euro Sign",
    "\r": "Carriage Return",
    "\ufb33": "Hebrew Letter Dalet With Dagesh",
    "1": "One",
    "\U0001f600": "Emoji: Grinning Face",
    "\u0080": "Control",
    "\u00f6": "Latin Small Letter O With Diaeresis",
}
RFC8785_SORTED_TEXT = (
    '{"\\r":"Carriage Return","1":"One","\u0080":"Control",'
    '"\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign",'
    '"\U0001f600":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}'
)

NUMBER_VECTORS: list[tuple[Any, str]] = [
    # ECMAScript forms (RFC 8785 appendix B, ECMA-262 Number::toString)
    (0.5, "0.5"),
    (-1.5, "-1.5"),
    (-0.0, "0"),
    (1e21, "1e+21"),
    (1e-7, "1e-7"),
    (0.000001, "0.000001"),
    (4.5e-13, "4.5e-13"),
    (5e-324, "5e-324"),
    (1.7976931348623157e308, "1.7976931348623157e+308"),
    (333333333.3333333, "333333333.3333333"),
    (123456789012345680000.0, "123456789012345680000"),
    (0.1, "0.1"),
    # integral values within int64: exact digits, ints and floats alike
    (1.0, "1"),
    (0, "0"),
    (INT64_MAX, "9223372036854775807"),
    (INT64_MIN, "-9223372036854775808"),
    (2**53 + 1, "9007199254740993"),
    (float(2**60), "1152921504606846976"),
    (-(2.0**63), "-9223372036854775808"),
    # beyond int64: the double's ECMAScript form
    (2**63, "9223372036854776000"),
    (2.0**63, "9223372036854776000"),
    (2**64, "18446744073709552000"),
    # ...converted to the nearest double first, which may be integral within int64 again
    (-(2**63) - 1, "-9223372036854775808"),
    (1e20, "100000000000000000000"),
]

STRING_VECTORS: list[tuple[str, str]] = [
    ("plain", '"plain"'),
    ('a"b\\c', '"a\\"b\\\\c"'),
    ("\b\t\n\f\r", '"\\b\\t\\n\\f\\r"'),
    ("\x00\x01\x1f", '"\\u0000\\u0001\\u001f"'),
    # DEL, C1 controls, line separators, astral characters: written as themselves
    ("\x7f\x85\u2028\U0001f600", '"\x7f\x85\u2028\U0001f600"'),
    ("/<>&'", '"/<>&\'"'),
    ("é€", '"é€"'),
]


@pytest.mark.parametrize(("number", "text"), NUMBER_VECTORS, ids=[t for _, t in NUMBER_VECTORS])
def test_reference_writes_numbers_as_specified(number: Any, text: str) -> None:
    assert canonical_number(number) == text


@pytest.mark.parametrize(("string", "text"), STRING_VECTORS)
def test_reference_escapes_strings_minimally(string: str, text: str) -> None:
    assert canonical_string(string) == text


def test_reference_sorts_keys_by_utf16_code_units() -> None:
    assert canonical_bytes(RFC8785_SORTING) == RFC8785_SORTED_TEXT.encode("utf-8")


def test_reference_xxh3_matches_the_published_empty_input_value() -> None:
    # XXH3-128 of no bytes with seed 0, as the xxHash project publishes it.
    assert xxhash.xxh3_128_hexdigest(b"") == "99aa06d3014798d86001c324468d497f"


# --- the engine against fixed vectors ----------------------------------------------------


def engine_hash(obj: Any) -> str:
    return gitops_diff.hash_object(obj, normalize=False)


def test_hash_of_empty_object_is_xxh3_of_two_braces() -> None:
    assert engine_hash({}) == xxhash.xxh3_128_hexdigest(b"{}")


def test_hash_is_32_lowercase_hex_digits() -> None:
    digest = engine_hash({"apiVersion": "v1"})
    assert len(digest) == 32
    assert digest == digest.lower()
    int(digest, 16)


def test_hash_sorts_keys_by_utf16_code_units_as_rfc8785_requires() -> None:
    expected = xxhash.xxh3_128_hexdigest(RFC8785_SORTED_TEXT.encode("utf-8"))
    assert engine_hash(RFC8785_SORTING) == expected


@pytest.mark.parametrize(("number", "text"), NUMBER_VECTORS, ids=[t for _, t in NUMBER_VECTORS])
def test_hash_writes_numbers_as_specified(number: Any, text: str) -> None:
    expected = xxhash.xxh3_128_hexdigest(('{"n":' + text + "}").encode())
    assert engine_hash({"n": number}) == expected


@pytest.mark.parametrize(("string", "text"), STRING_VECTORS)
def test_hash_escapes_strings_minimally(string: str, text: str) -> None:
    expected = xxhash.xxh3_128_hexdigest(('{"s":[' + text + "]}").encode("utf-8"))
    assert engine_hash({"s": [string]}) == expected


def test_hash_of_equal_numbers_is_equal_whatever_their_type() -> None:
    assert engine_hash({"n": 1}) == engine_hash({"n": 1.0})
    assert engine_hash({"n": 2**62}) == engine_hash({"n": float(2**62)})
    assert engine_hash({"n": 2**53 + 1}) != engine_hash({"n": float(2**53 + 1)})


def test_hash_distinguishes_booleans_from_numbers_and_strings() -> None:
    hashes = {engine_hash({"v": v}) for v in (True, 1, "true", "1", None, "null", False, 0)}
    assert len(hashes) == 8


def test_hash_of_object_ignores_key_insertion_order() -> None:
    assert engine_hash({"b": 1, "a": [1, {"y": 2, "x": 3}]}) == engine_hash(
        {"a": [1, {"x": 3, "y": 2}], "b": 1}
    )


def test_hash_of_list_depends_on_item_order() -> None:
    assert engine_hash({"a": [1, 2]}) != engine_hash({"a": [2, 1]})


def test_hash_of_tuple_equals_hash_of_list() -> None:
    assert engine_hash({"a": (1, "x")}) == engine_hash({"a": [1, "x"]})


# --- the engine against the reference on generated objects -------------------------------

KEY_CHARS = st.characters(codec="utf-8")
STRING_CHARS = st.characters(codec="utf-8") | st.sampled_from(
    ["\x00", "\x01", "\x08", "\t", "\n", "\x0b", "\x0c", "\r", "\x1f", '"', "\\", "\x7f"]
)

near_int64 = st.sampled_from([INT64_MIN, INT64_MAX, 0, 2**53, -(2**53)]).flatmap(
    lambda base: st.integers(min_value=base - 3, max_value=base + 3)
)
integers = st.one_of(
    st.integers(min_value=INT64_MIN, max_value=INT64_MAX),
    near_int64,
    st.integers(min_value=-(2**80), max_value=2**80),
)
floats = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False),
    st.floats(min_value=-1e-300, max_value=1e-300, allow_nan=False),
    st.floats(min_value=1e15, max_value=1e25).map(float.__round__).map(float),
    st.sampled_from([2.0**63, -(2.0**63), 2.0**63 - 1024, 1e21, 1e-7, 5e-324, 1.5e300]),
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    integers,
    floats,
    st.text(STRING_CHARS, max_size=12),
)
json_values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5),
        st.dictionaries(st.text(KEY_CHARS, max_size=6), children, max_size=5),
    ),
    max_leaves=30,
)
json_objects = st.dictionaries(st.text(KEY_CHARS, max_size=6), json_values, max_size=6)


@given(json_objects)
@example({"\U0001f600": 1, "\uff61": 2, "\ue000": 3, "z": 4})
@example({"n": [INT64_MAX, INT64_MAX + 1, INT64_MIN, INT64_MIN - 1, 2**64]})
@example({"f": [5e-324, 1e-7, 1e21, 1e22, 9.007199254740993e15, -0.0]})
@example({"s": '\x00\x1f\x7f\u2028\U0010ffff"\\'})
def test_hash_without_normalization_equals_reference(obj: dict[str, Any]) -> None:
    assert engine_hash(obj) == object_hash(obj)


@given(json_objects)
def test_hash_survives_a_json_round_trip(obj: dict[str, Any]) -> None:
    # Python's json writes ints exactly and floats as shortest repr: the same values.
    assert engine_hash(json.loads(json.dumps(obj))) == engine_hash(obj)


# --- set digests ------------------------------------------------------------------------


def test_set_digest_of_no_members_is_hash_of_no_bytes() -> None:
    assert set_digest([]) == xxhash.xxh3_128_hexdigest(b"")


def test_reference_set_digest_ignores_member_order() -> None:
    a = ("", "ConfigMap", "default", "a", "0" * 32)
    b = ("apps", "Deployment", "shop", "web", "f" * 32)
    assert set_digest([a, b]) == set_digest([b, a])
    assert set_digest([a, b]) != set_digest([a])


def test_reference_set_digest_is_hash_of_sorted_lines() -> None:
    a = ("", "Namespace", "", "shop", "1" * 32)
    b = ("", "ConfigMap", "shop", "cfg", "2" * 32)
    text = f'["","ConfigMap","shop","cfg","{"2" * 32}"]\n["","Namespace","","shop","{"1" * 32}"]\n'
    assert set_digest([a, b]) == xxhash.xxh3_128_hexdigest(text.encode())


@pytest.mark.parametrize(
    ("identity", "parts"),
    [
        ("apps/Deployment shop/web", ("apps", "Deployment", "shop", "web")),
        ("ConfigMap default/cfg", ("", "ConfigMap", "default", "cfg")),
        ("Namespace shop", ("", "Namespace", "", "shop")),
        (
            "rbac.authorization.k8s.io/ClusterRole admin",
            ("rbac.authorization.k8s.io", "ClusterRole", "", "admin"),
        ),
    ],
)
def test_printed_identity_splits_into_its_four_parts(
    identity: str, parts: tuple[str, str, str, str]
) -> None:
    assert parse_identity(identity) == parts


def hash_command_rows(run_cli: Any, path: Any) -> tuple[list[tuple[str, str]], str, int]:
    """Runs `gitops-diff hash PATH`: ([(hash, identity)], set digest, object count)."""
    result = run_cli("hash", path)
    assert result.returncode == 0, result.stderr
    *object_lines, last = result.stdout.splitlines()
    rows = []
    for line in object_lines:
        digest, identity, _source = line.split("  ")
        rows.append((digest, identity))
    digest, _, tail = last.partition("  ")
    assert tail.startswith("(set of ")
    count = int(tail.removeprefix("(set of ").split()[0])
    return rows, digest, count


def test_hash_command_set_digest_equals_reference_set_digest(
    run_cli: Any, example_desired: Any
) -> None:
    rows, printed, count = hash_command_rows(run_cli, example_desired)
    assert count == len(rows) == 40
    members = [(*parse_identity(identity), digest) for digest, identity in rows]
    assert printed == set_digest(members)


def test_hash_command_object_hashes_equal_reference_hashes_of_normalized_objects(
    run_cli: Any, example_desired: Any
) -> None:
    rows, _, _ = hash_command_rows(run_cli, example_desired)
    normalized = run_cli("normalize", "--show-secrets", example_desired)
    assert normalized.returncode == 0, normalized.stderr
    items = json.loads(normalized.stdout)["items"]
    assert [digest for digest, _ in rows] == [object_hash(published(item)) for item in items]


def published(obj: dict[str, Any]) -> dict[str, Any]:
    """What a published hash covers: a core Secret's values emptied (docs/hash.md)."""
    if obj.get("kind") != "Secret" or "/" in obj.get("apiVersion", ""):
        return obj
    copy = json.loads(json.dumps(obj))
    for field in ("data", "stringData"):
        if isinstance(copy.get(field), dict):
            copy[field] = dict.fromkeys(copy[field], "")
    return copy


def test_published_hash_of_a_secret_does_not_depend_on_its_values(
    run_cli: Any, tmp_path: Any
) -> None:
    texts = [
        f"apiVersion: v1\nkind: Secret\nmetadata: {{name: s, namespace: n}}\n"
        f"stringData: {{password: {value}}}\n"
        for value in ("hunter2", "letmein")
    ]
    hashes = set()
    for i, text in enumerate(texts):
        path = tmp_path / f"s{i}.yaml"
        path.write_text(text)
        result = run_cli("hash", str(path))
        assert result.returncode == 0, result.stderr
        hashes.add(result.stdout.split()[0])
    assert len(hashes) == 1


def test_report_desired_digest_equals_reference_set_digest(
    example_desired: Any, example_live: Any
) -> None:
    desired = gitops_diff.load(example_desired)
    rows, digest = _core.normalize_set(desired, show_secrets=True)
    members = [(*parse_identity(identity), h) for identity, _, h, _ in rows]
    assert digest == set_digest(members)
    assert gitops_diff.diff(desired, gitops_diff.load(example_live)).desired_digest == digest
    assert [h for _, _, h, _ in rows] == [object_hash(published(obj)) for *_, obj in rows]


def test_set_digest_does_not_depend_on_input_order(tmp_path: Any) -> None:
    docs = [
        f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: c{i}, namespace: ns}}\n"
        f"data: {{k: '{i}'}}\n"
        for i in range(5)
    ]
    forward = gitops_diff.load("---\n".join(docs).encode())
    backward = gitops_diff.load("---\n".join(reversed(docs)).encode())
    assert _core.normalize_set(forward)[1] == _core.normalize_set(backward)[1]


# --- docs/hash.md stays true --------------------------------------------------------------

DOC = REPO_ROOT / "docs" / "hash.md"


def test_worked_example_in_docs_matches_the_engine(run_cli: Any, tmp_path: Any) -> None:
    doc = DOC.read_text(encoding="utf-8")
    match = re.search(r"```yaml\n(.*?)```", doc, re.S)
    assert match is not None
    (tmp_path / "example.yaml").write_text(match.group(1), encoding="utf-8")
    printed = run_cli("hash", "example.yaml", cwd=tmp_path)
    assert printed.returncode == 0, printed.stderr
    assert printed.stdout in doc
    normalized = json.loads(run_cli("normalize", "example.yaml", cwd=tmp_path).stdout)
    for item in normalized["items"]:
        assert canonical_bytes(item).decode("utf-8") + "\n" in doc


@pytest.mark.parametrize(
    ("obj", "digest"),
    [
        ({}, "dc7048f8f8747f561349cde127705c16"),
        ({"n": 9007199254740993}, "08caba7f435de19949f737ed3be654fc"),
        ({"n": 9007199254740992}, "116629edfbced19c68f1733d22e9d309"),
    ],
)
def test_hash_vectors_in_docs_match_the_engine(obj: dict[str, Any], digest: str) -> None:
    assert engine_hash(obj) == digest == object_hash(obj)
    assert f"`{digest}`" in DOC.read_text(encoding="utf-8")


def test_empty_set_digest_in_docs_matches_the_reference() -> None:
    assert f"`{set_digest([])}`" in DOC.read_text(encoding="utf-8")
