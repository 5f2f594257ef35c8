"""The engine under stress: random input through every entry point, many threads at
once, fork, thread counts and input order.

What the API promises for input it cannot use: a `gitops_diff.GitopsDiffError`
subclass, or `TypeError` when a Python argument has a type the API does not accept
(a set, bytes, a custom class, a non-string dict key). Never another exception, never a
crash of the interpreter, never Rust's `PanicException`.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gitops_diff

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
DESIRED = EXAMPLES / "gitops-repo"
LIVE = EXAMPLES / "live" / "cluster.json"


def attempt(call: Callable[[], Any]) -> Any:
    """Runs `call`, accepting only a result, a GitopsDiffError or a TypeError."""
    try:
        return call()
    except (gitops_diff.GitopsDiffError, TypeError):
        return None


def exercise(report: gitops_diff.Report) -> None:
    """Touches every part of a report, as a renderer would."""
    json.loads(report.to_json())
    _ = report.summary, report.has_drift, report.desired_digest, report.live_digest
    for obj in report.objects:
        _ = obj.identity, obj.status, obj.desired_source, obj.live_source, obj.ignored
        for change in obj.changes:
            _ = change.op, change.pointer, change.path, change.desired, change.live


# --- random input ----------------------------------------------------------------------------

# Values as JSON or YAML loaders produce them, plus the edges of each type.
json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.text(max_size=8), children, max_size=4),
    ),
    max_leaves=30,
)
# Types the API does not take, anywhere in a tree.
foreign = st.one_of(
    st.binary(max_size=8),
    st.sets(st.integers(), max_size=3),
    st.builds(object),
    st.complex_numbers(allow_nan=False, allow_infinity=False),
    st.dictionaries(st.integers(), st.integers(), min_size=1, max_size=2),
)
python_values = st.recursive(
    st.one_of(json_scalars, foreign),
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.tuples(children, children),
        st.dictionaries(st.text(max_size=8), children, max_size=4),
    ),
    max_leaves=30,
)


def resource(kind: str, name: str, body: Any) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": kind, "metadata": {"name": name}, "spec": body}


resources = st.builds(
    resource,
    st.sampled_from(["ConfigMap", "Secret", "Deployment", "Pod", "Namespace", ""]),
    st.text(min_size=0, max_size=5),
    json_values,
)
object_lists = st.lists(st.one_of(resources, python_values), max_size=5)

yaml_fragments = st.lists(
    st.sampled_from(
        [
            b"apiVersion: v1\n",
            b"kind: ConfigMap\n",
            b"metadata:\n",
            b"  name: x\n",
            b"data:\n",
            b"  a: &a [1, 2]\n",
            b"  b: *a\n",
            b"  <<: *a\n",
            b"---\n",
            b"- ",
            b"[",
            b"]",
            b"{",
            b"}",
            b": ",
            b"\t",
            b"!!python/object ",
            b"&x ",
            b"*x ",
            b"\xff",
            b"\xef\xbb\xbf",
            b'"',
            b"'",
            b"|\n",
            b">-\n",
            b"? ",
            b"1e999",
            b".nan",
            b"0x",
            b"~",
            b"kind: List\nitems:\n",
            b"\x00",
        ]
    ),
    max_size=24,
).map(b"".join)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.one_of(st.binary(max_size=300), yaml_fragments))
def test_loading_random_bytes_gives_objects_or_a_gitops_diff_error(data: bytes) -> None:
    for fmt in ("auto", "yaml", "json"):
        loaded = attempt(lambda f=fmt: gitops_diff.load(data, format=f))  # type: ignore[misc]
        if loaded is not None:
            assert all(isinstance(o, dict) for o in loaded.to_list())
            report = attempt(lambda s=loaded: gitops_diff.diff(s, s, mask_salt=1))  # type: ignore[misc]
            if report is not None:
                assert not report.has_drift
                exercise(report)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(objects=object_lists, others=object_lists)
def test_random_python_objects_give_results_or_documented_errors(
    objects: list[Any], others: list[Any]
) -> None:
    for obj in [*objects, objects]:
        attempt(lambda o=obj: gitops_diff.hash_object(o))  # type: ignore[misc]
        attempt(lambda o=obj: gitops_diff.hash_object(o, normalize=False))  # type: ignore[misc]
    desired = attempt(lambda: gitops_diff.from_objects(objects))
    live = attempt(lambda: gitops_diff.from_objects(others))
    if desired is None or live is None:
        return
    for mode in ("three-way", "strict"):
        report = attempt(
            lambda m=mode: gitops_diff.diff(  # type: ignore[misc]
                desired, live, mode=m, previous=desired, extra="all", mask_salt=1
            )
        )
        if report is not None:
            exercise(report)
    attempt(lambda: gitops_diff._core.normalize_set(desired))


patch_operations = st.lists(
    st.fixed_dictionaries(
        {
            "op": st.sampled_from(["add", "remove", "replace", "move", "copy", "test", "x"]),
            "path": st.sampled_from(["", "/", "/a", "/a/0", "/a/-", "/b/c", "/~1", "a", "/a/01"]),
        },
        optional={"value": json_values, "from": st.sampled_from(["/a", "/b", "", "/a/0"])},
    ),
    max_size=4,
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(doc=python_values, patch=st.one_of(patch_operations, python_values))
def test_random_patches_give_results_or_documented_errors(doc: Any, patch: Any) -> None:
    attempt(lambda: gitops_diff.apply_patch(doc, patch))
    attempt(lambda: gitops_diff.apply_merge_patch(doc, patch))


@settings(max_examples=200)
@given(
    ignore=st.lists(st.text(max_size=30), max_size=3),
    selector=st.one_of(st.none(), st.text(max_size=30)),
    managers=st.lists(st.text(max_size=10), max_size=2),
    names=st.dictionaries(st.text(max_size=20), st.booleans(), max_size=2),
    namespace=st.text(max_size=10),
)
def test_random_options_give_results_or_invalid_option_errors(
    ignore: list[str],
    selector: str | None,
    managers: list[str],
    names: dict[str, bool],
    namespace: str,
) -> None:
    objects = [resource("ConfigMap", "a", {"x": 1}), resource("Secret", "b", {"y": [1, 2]})]
    others = [resource("ConfigMap", "a", {"x": 2}), resource("Secret", "b", {"y": [2]})]
    report = attempt(
        lambda: gitops_diff.diff(
            objects,
            others,
            ignore=ignore,
            ignore_managers=managers,
            removal_managers=managers,
            presets=names,
            normalizers=names,
            managed_selector=selector,
            default_namespace=namespace,
            mask_salt=1,
        )
    )
    if report is not None:
        exercise(report)


@pytest.mark.parametrize(
    "value",
    [
        float("nan"),
        float("inf"),
        10**400,
        -(10**400),
        {1: "non-string key"},
        {("tuple",): 1},
        b"bytes",
        {1, 2},
        object(),
        "\ud800",
    ],
    ids=repr,
)
def test_values_json_cannot_hold_are_refused_with_a_documented_error(value: Any) -> None:
    obj = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}, "data": value}
    with pytest.raises((gitops_diff.GitopsDiffError, TypeError)) as caught:
        gitops_diff.from_objects([obj])
    assert not isinstance(caught.value, gitops_diff.InternalError)
    with pytest.raises((gitops_diff.GitopsDiffError, TypeError)):
        gitops_diff.hash_object(obj)


def test_a_self_referencing_object_is_a_limit_error_not_a_crash() -> None:
    cycle: list[Any] = []
    cycle.append(cycle)
    obj = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}, "data": cycle}
    with pytest.raises(gitops_diff.LimitExceededError):
        gitops_diff.from_objects([obj])
    with pytest.raises(gitops_diff.LimitExceededError):
        gitops_diff.hash_object(obj)


def test_wrong_argument_types_are_type_errors() -> None:
    for call in (
        lambda: gitops_diff.from_objects(42),  # type: ignore[arg-type]
        lambda: gitops_diff.from_objects([42]),  # type: ignore[list-item]
        lambda: gitops_diff.hash_object({"a": {1, 2}}),
        lambda: gitops_diff._core.diff("a", "b"),  # type: ignore[arg-type]
        lambda: gitops_diff._core.load_bytes("text"),  # type: ignore[arg-type]
    ):
        with pytest.raises((TypeError, gitops_diff.InvalidObjectError)):
            call()


# --- threads, fork ------------------------------------------------------------------------------


def example_report() -> str:
    return gitops_diff.diff(DESIRED, LIVE, mask_salt=1).to_json(pretty=True)


def test_many_threads_at_once_give_the_serial_results() -> None:
    expected = example_report()
    desired = gitops_diff.load(DESIRED)
    objects = desired.to_list()
    expected_hashes = [gitops_diff.hash_object(o) for o in objects]
    barrier = threading.Barrier(8)

    def work(index: int) -> tuple[str, list[str], int]:
        barrier.wait()
        outputs = []
        for _ in range(5):
            outputs.append(example_report())
        hashes = [gitops_diff.hash_object(o) for o in objects]
        return outputs[index % 5], hashes, len(gitops_diff.load(DESIRED))

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(work, range(8)))
    for report, hashes, count in results:
        assert report == expected
        assert hashes == expected_hashes
        assert count == len(desired)


def test_thread_count_changes_while_other_threads_diff() -> None:
    expected = example_report()
    stop = threading.Event()

    def switch() -> None:
        n = 0
        while not stop.is_set():
            gitops_diff.set_threads(1 + n % 3)
            n += 1

    switcher = threading.Thread(target=switch)
    switcher.start()
    try:
        with ThreadPoolExecutor(max_workers=4) as pool:
            outputs = list(pool.map(lambda _: example_report(), range(12)))
    finally:
        stop.set()
        switcher.join()
        gitops_diff.set_threads(0)
    assert all(output == expected for output in outputs)


def _report_in_child(queue: Any) -> None:
    queue.put(example_report())


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this system")
def test_a_forked_child_still_works_after_the_parent_used_the_engine() -> None:
    gitops_diff.set_threads(2)
    try:
        expected = example_report()
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: report and leave without running the parent's cleanup
            try:
                os.close(read_end)
                with os.fdopen(write_end, "w") as out:
                    out.write(example_report())
            finally:
                os._exit(0)
        os.close(write_end)
        with os.fdopen(read_end) as child_output:
            got = child_output.read()
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
        assert got == expected
        # And the parent goes on working after the fork.
        assert example_report() == expected
    finally:
        gitops_diff.set_threads(0)


@pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="no fork start method"
)
def test_a_fork_context_process_pool_gives_the_parent_results() -> None:
    expected = example_report()
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    children = [context.Process(target=_report_in_child, args=(queue,)) for _ in range(3)]
    for child in children:
        child.start()
    outputs = [queue.get(timeout=120) for _ in children]
    for child in children:
        child.join(timeout=120)
        assert child.exitcode == 0
    assert outputs == [expected] * 3


# --- determinism -------------------------------------------------------------------------------


@pytest.mark.parametrize("threads", [1, 2])
def test_output_bytes_do_not_depend_on_the_thread_count(threads: int) -> None:
    gitops_diff.set_threads(4)
    try:
        expected = example_report()
        gitops_diff.set_threads(threads)
        assert example_report() == expected
    finally:
        gitops_diff.set_threads(0)


def test_output_bytes_do_not_depend_on_the_thread_count_variable() -> None:
    probe = (
        "import gitops_diff, sys\n"
        "r = gitops_diff.diff(sys.argv[1], sys.argv[2], mask_salt=1)\n"
        "print(r.to_json(pretty=True))\n"
    )
    outputs = set()
    for threads in ("1", "2"):
        env = {**os.environ, "GITOPS_DIFF_THREADS": threads}
        result = subprocess.run(
            [sys.executable, "-c", probe, os.fspath(DESIRED), os.fspath(LIVE)],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=True,
        )
        outputs.add(result.stdout)
    assert outputs == {example_report() + "\n"}


def one_file_per_object(folder: Path, objects: list[dict[str, Any]]) -> list[Path]:
    paths = []
    for index, obj in enumerate(objects):
        path = folder / f"object-{index:03d}.json"
        path.write_text(json.dumps(obj))
        paths.append(path)
    return paths


def shuffled(items: list[Any], seed: int) -> list[Any]:
    copy = list(items)
    random.Random(seed).shuffle(copy)
    return copy


def example_files(tmp_path: Path) -> Iterator[tuple[list[Path], list[Path]]]:
    desired = sorted(p for p in DESIRED.rglob("*") if p.suffix in (".yaml", ".yml", ".json"))
    live = one_file_per_object(tmp_path, json.loads(LIVE.read_text())["items"])
    for seed in range(4):
        yield shuffled(desired, seed), shuffled(live, seed + 100)


def test_output_bytes_do_not_depend_on_input_order(tmp_path: Path) -> None:
    outputs = set()
    for threads in (1, 2):
        gitops_diff.set_threads(threads)
        try:
            for desired, live in example_files(tmp_path):
                report = gitops_diff.diff(
                    gitops_diff.load(desired), gitops_diff.load(live), mask_salt=1
                )
                outputs.add(report.to_json(pretty=True))
        finally:
            gitops_diff.set_threads(0)
    assert len(outputs) == 1


def test_shuffled_python_objects_give_the_same_report_but_for_their_positions() -> None:
    desired = gitops_diff.load(DESIRED).to_list()
    live = json.loads(LIVE.read_text())["items"]

    def without_positions(report: gitops_diff.Report) -> dict[str, Any]:
        parsed: dict[str, Any] = json.loads(report.to_json())
        for obj in parsed["objects"]:
            obj.pop("desired_source", None)
            obj.pop("live_source", None)
        return parsed

    expected = without_positions(gitops_diff.diff(desired, live, mask_salt=1))
    assert expected["summary"]["modified"] > 0
    for seed in range(5):
        report = gitops_diff.diff(shuffled(desired, seed), shuffled(live, seed + 1), mask_salt=1)
        assert without_positions(report) == expected


def test_hashes_do_not_depend_on_key_order() -> None:
    for obj in gitops_diff.load(DESIRED).to_list():
        reordered = json.loads(json.dumps(obj, sort_keys=True))
        reversed_keys = dict(reversed(list(reordered.items())))
        assert gitops_diff.hash_object(reversed_keys) == gitops_diff.hash_object(obj)
