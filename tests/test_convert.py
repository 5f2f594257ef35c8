"""Python objects <-> engine trees: what from_objects accepts, refuses and gives back."""

from __future__ import annotations

import enum
from collections import OrderedDict
from types import MappingProxyType
from typing import Any

import pytest

import gitops_diff


def round_trip(value: Any) -> Any:
    """`value` as the `data` of a ConfigMap, through the engine and back."""
    obj = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}, "data": value}
    [back] = gitops_diff.from_objects([obj]).to_list()
    return back["data"]


class Text(str):
    pass


class Table(dict):  # type: ignore[type-arg]
    pass


class Items(list):  # type: ignore[type-arg]
    pass


class Number(int):
    pass


class Ratio(float):
    pass


class Color(enum.IntEnum):
    RED = 1


class AlwaysDifferent(str):
    """A key type two equal texts of which can sit in one dict."""

    def __hash__(self) -> int:
        return id(self)

    def __eq__(self, other: object) -> bool:
        return self is other


def test_scalars_come_back_with_their_types() -> None:
    value = {"s": "text", "i": 3, "f": 1.5, "t": True, "n": None, "neg": -(2**63)}
    back = round_trip(value)
    assert back == value
    assert type(back["t"]) is bool
    assert type(back["i"]) is int
    assert type(back["f"]) is float


def test_unsorted_keys_come_back_sorted_and_hash_as_sorted() -> None:
    unsorted = {"b": 1, "a": {"z": 1, "y": [{"d": 1, "c": 2}]}, "é": 0, "A": 2}
    back = round_trip(unsorted)
    assert list(back) == ["A", "a", "b", "é"]
    assert list(back["a"]) == ["y", "z"]
    assert list(back["a"]["y"][0]) == ["c", "d"]
    assert back == unsorted
    obj = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}, "data": unsorted}
    reordered = {"metadata": {"name": "x"}, "data": back, "kind": "ConfigMap", "apiVersion": "v1"}
    assert gitops_diff.hash_object(obj) == gitops_diff.hash_object(reordered)


def test_subclasses_of_dict_list_str_int_float_are_accepted_as_their_base() -> None:
    value = Table(
        {
            Text("key"): Items([Text("v"), Number(4), Ratio(0.5), Color.RED]),
            "ordered": OrderedDict([("b", 1), ("a", 2)]),
        }
    )
    back = round_trip(value)
    assert back == {"key": ["v", 4, 0.5, 1], "ordered": {"a": 2, "b": 1}}
    assert type(back) is dict
    assert type(back["key"]) is list
    assert [type(v) for v in back["key"]] == [str, int, float, int]


def test_tuples_are_lists() -> None:
    assert round_trip({"t": (1, ("a",), ())}) == {"t": [1, ["a"], []]}


def test_integers_beyond_64_bits_become_floats() -> None:
    back = round_trip({"big": 2**64, "small": -(2**70), "max": 2**63 - 1})
    assert back == {"big": float(2**64), "small": float(-(2**70)), "max": 2**63 - 1}
    assert type(back["big"]) is float
    assert type(back["max"]) is int


def test_integers_beyond_floats_are_invalid_objects() -> None:
    with pytest.raises(gitops_diff.InvalidObjectError, match="64-bit float"):
        round_trip(10**400)


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf")], ids=repr)
def test_non_finite_floats_are_invalid_objects(value: float) -> None:
    with pytest.raises(gitops_diff.InvalidObjectError, match="finite"):
        round_trip({"deep": [value]})


def test_non_string_keys_are_type_errors_naming_the_type() -> None:
    with pytest.raises(TypeError, match="keys must be strings, found int"):
        round_trip({"a": {1: "x"}})


def test_equal_keys_of_a_str_subclass_are_a_duplicate_key() -> None:
    twins = {AlwaysDifferent("k"): 1, AlwaysDifferent("k"): 2}
    assert len(twins) == 2
    with pytest.raises(gitops_diff.InvalidObjectError, match="duplicate key"):
        round_trip(twins)


def test_a_lone_surrogate_is_an_invalid_object_in_values_and_keys() -> None:
    for value in ("\ud800", {"\udfff": 1}):
        with pytest.raises(gitops_diff.InvalidObjectError, match="surrogate"):
            round_trip(value)


@pytest.mark.parametrize(
    "value", [b"bytes", {1, 2}, object(), MappingProxyType({"a": 1})], ids=repr
)
def test_other_types_are_type_errors(value: Any) -> None:
    with pytest.raises(TypeError, match="cannot compare"):
        round_trip(value)


def test_nesting_deeper_than_the_limit_is_a_limit_error() -> None:
    ok: Any = "leaf"
    for _ in range(120):
        ok = [ok]
    assert round_trip(ok) == ok
    deep: Any = "leaf"
    for _ in range(200):
        deep = {"a": deep}
    with pytest.raises(gitops_diff.LimitExceededError):
        round_trip(deep)


def test_non_dict_items_are_invalid_objects() -> None:
    with pytest.raises(gitops_diff.InvalidObjectError, match="must be a dict"):
        gitops_diff.from_objects([{"kind": "A"}, "text"])  # type: ignore[list-item]


def test_non_ascii_text_survives_both_ways() -> None:
    value = {"ключ": "значение", "emoji": "😀 ok", "cjk": "漢字", "latin": "café"}
    assert round_trip(value) == value
