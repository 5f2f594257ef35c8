"""One measurement per process, so that each has its own peak RSS:
`python -m benches.workers KIND CORPUS RESULT [options]` writes a JSON result to RESULT.

Kinds:
  parse-only   the floor: the desired tree with PyYAML's C loader, live.json with orjson
  pipeline     the best Python pipeline: those parsers, pairing, one Python differ
  api-files    gitops_diff.diff(desired folder, live.json): bytes read and parsed in Rust
  api-objects  gitops_diff.from_objects on pre-parsed dicts, then gitops_diff.diff
  peer         one Python differ on the pre-parsed, pre-paired objects

Only the work named is timed (`seconds`: the best of `--repeat` runs); parsing the
inputs of api-objects and peer, pairing, and writing reports are not.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from benches import peers

Result = dict[str, Any]


def _inputs(corpus: Path) -> tuple[list[Path], Path]:
    return peers.desired_files(corpus / "desired"), corpus / "live.json"


def parse_only(corpus: Path, args: argparse.Namespace) -> Result:
    started = time.perf_counter()
    files, live_path = _inputs(corpus)
    desired = peers.parse_desired(files)
    parsed_desired = time.perf_counter()
    live = peers.parse_live(live_path)
    done = time.perf_counter()
    return {
        "seconds": done - started,
        "objects": len(desired),
        "live_objects": len(live),
        "phases": {"yaml": parsed_desired - started, "json": done - parsed_desired},
    }


def pipeline(corpus: Path, args: argparse.Namespace) -> Result:
    """Parse, pair, diff every pair, write the drifted objects as JSON: the whole job."""
    started = time.perf_counter()
    files, live_path = _inputs(corpus)
    desired = peers.parse_desired(files)
    live = peers.parse_live(live_path)
    parsed = time.perf_counter()
    pairing = peers.pair(desired, live)
    call = peers.differ(args.differ)
    drifted = list(peers.differing(call, pairing.pairs))
    diffed = time.perf_counter()
    report = [{"identity": list(i), "status": "modified"} for i in drifted]
    report += [{"identity": list(i), "status": "missing"} for i in pairing.desired_only]
    report += [{"identity": list(i), "status": "extra"} for i in pairing.live_only]
    Path(args.out).write_text(json.dumps(report))
    done = time.perf_counter()
    return {
        "seconds": done - started,
        "objects": len(desired),
        "pairs": len(pairing.pairs),
        "phases": {
            "parse": parsed - started,
            "pair_and_diff": diffed - parsed,
            "write": done - diffed,
        },
    }


def _best(runs: list[dict[str, float]]) -> dict[str, float]:
    return min(runs, key=lambda r: r["total"])


def api_files(corpus: Path, args: argparse.Namespace) -> Result:
    import gitops_diff

    desired_dir, live_path = corpus / "desired", corpus / "live.json"
    # A live dump above the default source limit needs it raised, which only load() can.
    limits = {"max_source_bytes": args.max_source_bytes} if args.max_source_bytes else None
    runs: list[dict[str, float]] = []
    report = None
    for _ in range(args.repeat):
        started = time.perf_counter()
        report = gitops_diff.diff(desired_dir, gitops_diff.load(live_path, limits=limits))
        runs.append({"total": time.perf_counter() - started})
    # The same call in stages: where the time goes.
    stages: list[dict[str, float]] = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        d = gitops_diff.load(desired_dir)
        t1 = time.perf_counter()
        live = gitops_diff.load(live_path, limits=limits)
        t2 = time.perf_counter()
        gitops_diff.diff(d, live)
        t3 = time.perf_counter()
        stages.append(
            {"total": t3 - t0, "load_desired": t1 - t0, "load_live": t2 - t1, "diff": t3 - t2}
        )
    assert report is not None
    Path(args.out).write_text(report.to_json())
    return {
        "seconds": _best(runs)["total"],
        "objects": report.summary["desired"],
        "phases": _best(stages),
    }


def api_objects(corpus: Path, args: argparse.Namespace) -> Result:
    import gitops_diff

    files, live_path = _inputs(corpus)
    desired = peers.parse_desired(files)
    live = peers.parse_live(live_path)
    runs: list[dict[str, float]] = []
    report = None
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        d = gitops_diff.from_objects(desired)
        t1 = time.perf_counter()
        ls = gitops_diff.from_objects(live)
        t2 = time.perf_counter()
        report = gitops_diff.diff(d, ls)
        t3 = time.perf_counter()
        runs.append(
            {"total": t3 - t0, "convert_desired": t1 - t0, "convert_live": t2 - t1, "diff": t3 - t2}
        )
    assert report is not None
    Path(args.out).write_text(report.to_json())
    best = _best(runs)
    return {"seconds": best["total"], "objects": len(desired), "phases": best}


def peer(corpus: Path, args: argparse.Namespace) -> Result:
    files, live_path = _inputs(corpus)
    pairing = peers.pair(peers.parse_desired(files), peers.parse_live(live_path))
    measured = peers.sample(pairing.pairs, args.limit)
    call = peers.differ(args.differ)
    best = float("inf")
    drifted: list[peers.Identity] = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        drifted = list(peers.differing(call, measured))
        best = min(best, time.perf_counter() - started)
    return {
        "seconds": best,
        "objects": len(measured),
        "pairs": len(pairing.pairs),
        "measured": [list(p[0]) for p in measured],
        "drifted": [list(i) for i in drifted],
    }


KINDS = {
    "parse-only": parse_only,
    "pipeline": pipeline,
    "api-files": api_files,
    "api-objects": api_objects,
    "peer": peer,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benches.workers")
    parser.add_argument("kind", choices=sorted(KINDS))
    parser.add_argument("corpus", type=Path)
    parser.add_argument("result", type=Path)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--differ", choices=peers.PEER_NAMES, default="dictdiffer")
    parser.add_argument("--limit", type=int, default=None, help="peer: pairs to measure at most")
    parser.add_argument("--out", type=Path, default=None, help="where to write the report")
    parser.add_argument(
        "--max-source-bytes",
        type=int,
        default=None,
        help="api-files: raise the engine's limit for live.json",
    )
    args = parser.parse_args(argv)
    result = KINDS[args.kind](args.corpus, args)
    args.result.write_text(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
