"""The peer benchmark: gitops-diff against the Python differs and the parse-only floor,
in one run, on the same object pairs, with each contender's precision and recall
against the generator's ground truth printed beside its speed.

    python -m benches.run                      # 1k and 10k objects, writes BENCHMARKS.md
    python -m benches.run --sizes 1000,10000,50000
    python -m benches.run --smoke              # 1k objects, prints the table only

Run it from the repository root with a release build of gitops-diff and the `bench`
extra installed (`make bench` and `make bench-smoke` prepare both in target/bench-venv).
Corpora are generated once into target/bench-corpus/<objects>/ and reused. Every
measurement runs in its own process: its peak RSS is that process's. The numbers
never fail anything: only errors do.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benches import peers
from benches.generator import score

ROOT = Path(__file__).resolve().parent.parent
CORPUS_ROOT = ROOT / "target" / "bench-corpus"
CRITERION_ROOT = ROOT / "target" / "criterion"
SEED = 1
DEEPDIFF_SAMPLE = 300
CPUS = os.cpu_count() or 1
# The engine's default `max_source_bytes` (docs/limits.md).
SOURCE_LIMIT = 2 * 2**30
PERFECT = " (exact)"
PairedIds = frozenset[peers.Identity]


@dataclass
class Row:
    key: str
    label: str
    seconds: float
    #: Objects the timed work covered (desired objects, or pairs for the peers).
    objects: int
    rss: int
    #: Bytes the timed work read and parsed; None for work on Python objects.
    read_bytes: int | None
    precision: float | None = None
    recall: float | None = None
    full_score: str | None = None
    note: str = ""
    phases: dict[str, float] = field(default_factory=dict)

    @property
    def perfect(self) -> bool:
        """Full score (objects and changes) without a single mistake."""
        return self.full_score is not None and self.full_score.endswith(PERFECT)

    @property
    def rate(self) -> float:
        return self.objects / self.seconds


@dataclass
class Corpus:
    objects: int
    folder: Path
    desired_bytes: int
    desired_files: int
    live_bytes: int
    truth: dict[str, Any]

    @property
    def input_bytes(self) -> int:
        return self.desired_bytes + self.live_bytes


@dataclass
class SizeResult:
    corpus: Corpus
    rows: dict[str, Row]
    fastest_peer: str
    notes: list[str] = field(default_factory=list)


# -- running things ------------------------------------------------------------------


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def spawn(
    cmd: Sequence[str], *, threads: int | None = None, stdout: Path | None = None
) -> tuple[float, int, int]:
    """Runs one process; returns (wall seconds, peak RSS in bytes, exit code)."""
    env = dict(os.environ)
    if threads is not None:
        env["GITOPS_DIFF_THREADS"] = str(threads)
    with open(stdout or os.devnull, "wb") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, env=env, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_maxrss * 1024, proc.returncode


def worker(
    kind: str, corpus: Corpus, *options: str, threads: int | None = None
) -> tuple[dict[str, Any], int, float]:
    """One measurement in its own process; returns (its result, its peak RSS, its wall time)."""
    with tempfile.TemporaryDirectory(prefix="gitops-diff-bench-") as tmp:
        result_path = Path(tmp) / "result.json"
        cmd = [sys.executable, "-m", "benches.workers", kind, str(corpus.folder), str(result_path)]
        cmd += options
        wall, rss, code = spawn(cmd, threads=threads)
        if code != 0:
            raise SystemExit(f"benchmark worker failed ({code}): {' '.join(cmd)}")
        result: dict[str, Any] = json.loads(result_path.read_text())
    return result, rss, wall


def cli_command() -> list[str]:
    beside = Path(sys.executable).with_name("gitops-diff")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("gitops-diff")
    return [found] if found else [sys.executable, "-m", "gitops_diff"]


# -- corpora -------------------------------------------------------------------------


def generator_stamp() -> str:
    """A digest of the generator's sources: a corpus made by another version is remade."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "benches" / "generator").glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def corpus(objects: int) -> Corpus:
    folder = CORPUS_ROOT / str(objects)
    truth_path, stamp_path = folder / "truth.json", folder / "generator.sha256"
    stamp = generator_stamp()
    truth: dict[str, Any] | None = None
    if truth_path.is_file() and stamp_path.is_file() and stamp_path.read_text() == stamp:
        truth = json.loads(truth_path.read_text())
        options = truth.get("options", {})
        if options.get("objects") != objects or options.get("seed") != SEED:
            truth = None
    if truth is None:
        log(f"generating the {objects}-object corpus in {folder}")
        shutil.rmtree(folder, ignore_errors=True)
        cmd = [sys.executable, "-m", "benches.generator", "--objects", str(objects)]
        cmd += ["--seed", str(SEED), "--out", str(folder)]
        subprocess.run(cmd, check=True, cwd=ROOT)
        stamp_path.write_text(stamp)
        truth = json.loads(truth_path.read_text())
    files = peers.desired_files(folder / "desired")
    return Corpus(
        objects,
        folder,
        sum(f.stat().st_size for f in files),
        len(files),
        (folder / "live.json").stat().st_size,
        truth,
    )


# -- scoring -------------------------------------------------------------------------


def as_identity(items: Sequence[Any]) -> peers.Identity:
    return (items[0], items[1], items[2], items[3])


def status_score(
    truth: dict[str, Any], modified: set[peers.Identity], paired: PairedIds
) -> tuple[float, float]:
    """Per-object status over paired objects: modified or in sync."""
    expected = score.expected_items(truth).only(lambda i: i in paired)
    reported = score.Items(frozenset((i, "modified") for i in modified if i in paired), frozenset())
    level = score.score(expected, reported).objects
    return level.precision, level.recall


def engine_scores(
    truth: dict[str, Any], report: dict[str, Any], paired: PairedIds
) -> tuple[float, float, str]:
    full = score.score(score.expected_items(truth), score.reported_items(report))
    modified = {
        (o["group"], o["kind"], o.get("namespace"), o["name"])
        for o in report["objects"]
        if o["status"] == "modified"
    }
    precision, recall = status_score(truth, modified, paired)
    o, p = full.objects, full.paths
    summary = (
        f"objects P {o.precision:.3f} R {o.recall:.3f}, "
        f"changes P {p.precision:.3f} R {p.recall:.3f}"
    ) + (PERFECT if full.perfect else "")
    return precision, recall, summary


# -- one corpus ----------------------------------------------------------------------


def thread_variants() -> list[tuple[int, str, str]]:
    """(threads, row key suffix, label) for all cores, then one thread."""
    variants = [(CPUS, "", f"{CPUS} threads" if CPUS > 1 else "1 thread")]
    if CPUS > 1:
        variants.append((1, "-1t", "1 thread"))
    return variants


def measure_peers(c: Corpus, names: Sequence[str]) -> tuple[dict[str, Row], PairedIds]:
    """Each peer on the same pairs; also returns the identities of all pairs."""
    rows: dict[str, Row] = {}
    paired: PairedIds = frozenset()
    for name in names:
        options = ["--differ", name]
        if name == "deepdiff":
            options += ["--limit", str(DEEPDIFF_SAMPLE)]
        result, rss, _ = worker("peer", c, *options)
        measured = frozenset(as_identity(i) for i in result["measured"])
        if result["objects"] == result["pairs"]:
            paired = measured
        drifted = {as_identity(i) for i in result["drifted"]}
        precision, recall = status_score(c.truth, drifted, measured)
        note = f"{result['pairs']} pairs"
        if result["objects"] < result["pairs"]:
            note = f"{result['objects']} of {result['pairs']} pairs, rate extrapolated"
        row = Row(
            f"peer:{name}",
            f"`{peers.PEER_CALLS[name]}`",
            result["seconds"],
            result["objects"],
            rss,
            None,
            precision,
            recall,
            note=note,
        )
        rows[row.key] = row
        log(f"  {name}: {row.rate:,.0f} pairs/s")
    if not paired:
        # Every peer ran on a sample: pair here.
        files = peers.desired_files(c.folder / "desired")
        pairing = peers.pair(peers.parse_desired(files), peers.parse_live(c.folder / "live.json"))
        paired = frozenset(p[0] for p in pairing.pairs)
    return rows, paired


def live_limit_options(c: Corpus) -> list[str]:
    if c.live_bytes <= SOURCE_LIMIT:
        return []
    return ["--max-source-bytes", str(c.live_bytes)]


def measure_api(c: Corpus, repeat: int, paired: PairedIds, tmp: Path) -> dict[str, Row]:
    rows: dict[str, Row] = {}
    for threads, suffix, label in thread_variants():
        for kind, what, read, note in (
            (
                "api-files",
                "from files",
                c.input_bytes,
                "`gitops_diff.diff(desired_dir, load(live_json))`",
            ),
            (
                "api-objects",
                "from Python objects",
                None,
                "`diff(from_objects(desired), from_objects(live))`, dicts pre-parsed",
            ),
        ):
            out = tmp / f"{kind}{suffix}.json"
            options = ["--repeat", str(repeat), "--out", str(out)]
            if kind == "api-files":
                options += live_limit_options(c)
            result, rss, _ = worker(kind, c, *options, threads=threads)
            precision, recall, full = engine_scores(c.truth, json.loads(out.read_text()), paired)
            row = Row(
                f"{kind}{suffix}",
                f"gitops-diff API {what}, {label}",
                result["seconds"],
                result["objects"],
                rss,
                read,
                precision,
                recall,
                full,
                note,
                result["phases"],
            )
            rows[row.key] = row
            log(f"  {row.label}: {row.rate:,.0f} objects/s")
    return rows


def measure_end_to_end(
    c: Corpus, repeat: int, paired: PairedIds, fastest: str, tmp: Path
) -> tuple[dict[str, Row], list[str]]:
    rows: dict[str, Row] = {}
    notes: list[str] = []
    desired_dir, live_json = c.folder / "desired", c.folder / "live.json"
    if c.live_bytes > SOURCE_LIMIT:
        notes.append(
            f"The CLI was not run: live.json ({mb(c.live_bytes)}) is above the engine's default "
            f"`max_source_bytes` ({SOURCE_LIMIT / 2**20:.0f} MiB); the API rows raise it "
            "through `load(..., limits=...)`, the CLI would need `--limit`."
        )
    else:
        for threads, suffix, label in thread_variants():
            out = tmp / f"cli{suffix}.json"
            cmd = [*cli_command(), "diff", str(desired_dir), str(live_json), "--format", "json"]
            runs = [spawn(cmd, threads=threads, stdout=out) for _ in range(repeat)]
            if any(code not in (0, 1) for _, _, code in runs):
                raise SystemExit(f"the CLI failed: {' '.join(cmd)}")
            precision, recall, full = engine_scores(c.truth, json.loads(out.read_text()), paired)
            row = Row(
                f"cli{suffix}",
                f"gitops-diff CLI end to end, {label}",
                min(r[0] for r in runs),
                c.objects,
                max(r[1] for r in runs),
                c.input_bytes,
                precision,
                recall,
                full,
                "`gitops-diff diff desired/ live.json --format json`, wall time",
            )
            rows[row.key] = row
            log(f"  {row.label}: {row.seconds:.2f} s")

    floor = [worker("parse-only", c) for _ in range(repeat)]
    best = min(floor, key=lambda r: r[2])
    rows["floor"] = Row(
        "floor",
        "parse-only floor (PyYAML CSafeLoader + orjson)",
        best[2],
        c.objects,
        max(r[1] for r in floor),
        c.input_bytes,
        note="parse only, wall time of the process",
        phases=best[0]["phases"],
    )
    log(f"  parse-only floor: {best[2]:.2f} s")

    out = tmp / "pipeline.json"
    pipeline = [
        worker("pipeline", c, "--differ", fastest, "--out", str(out)) for _ in range(repeat)
    ]
    best = min(pipeline, key=lambda r: r[2])
    reported = json.loads(out.read_text())
    modified = {as_identity(o["identity"]) for o in reported if o["status"] == "modified"}
    precision, recall = status_score(c.truth, modified, paired)
    rows["pipeline"] = Row(
        "pipeline",
        f"best Python pipeline (floor parsers + pairing + {fastest})",
        best[2],
        c.objects,
        max(r[1] for r in pipeline),
        c.input_bytes,
        precision,
        recall,
        note="whole job as one process, wall time",
        phases=best[0]["phases"],
    )
    log(f"  best Python pipeline: {best[2]:.2f} s")
    return rows, notes


def measure_size(c: Corpus, repeat: int, peer_names: Sequence[str]) -> SizeResult:
    tmp = Path(tempfile.mkdtemp(prefix="gitops-diff-bench-"))
    try:
        log(f"[{c.objects}] Python peers on the same pairs")
        rows, paired = measure_peers(c, peer_names)
        candidates = [n for n in peer_names if n != "deepdiff"] or list(peer_names)
        fastest = max(candidates, key=lambda n: rows[f"peer:{n}"].rate)
        log(f"[{c.objects}] gitops-diff API")
        rows.update(measure_api(c, repeat, paired, tmp))
        log(f"[{c.objects}] end to end: CLI, parse-only floor, best Python pipeline ({fastest})")
        end_to_end, notes = measure_end_to_end(c, repeat, paired, fastest, tmp)
        rows.update(end_to_end)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return SizeResult(c, rows, fastest, notes)


# -- criterion -----------------------------------------------------------------------


@dataclass
class CriterionResult:
    name: str
    seconds: float
    elements: int | None
    bytes: int | None


CRITERION_BENCHES = {
    "load/yaml_files_1_thread": "desired YAML files, from memory, one thread",
    "load/yaml_folder_all_threads": "the desired folder as the engine reads it (parallel)",
    "load/json_list_1_thread": "live.json (one kubectl List), from memory, one thread",
    "normalize/desired_objects": "normalize desired objects (the copy is not timed)",
    "normalize/live_objects": "normalize live objects (the copy is not timed)",
    "hash/desired_objects": "canonical bytes + XXH3-128 of normalized desired objects",
    "hash/live_objects": "canonical bytes + XXH3-128 of normalized live objects",
    "diff/walk_pairs": "diff walk of pre-normalized pairs (previous state included)",
    "diff/in_sync_hash_fast_path": "in-sync pairs: hash both sides, compare",
    "diff/in_sync_walk": "the same in-sync pairs walked instead of hashed",
    "diff/engine_pre_parsed": "whole engine on pre-parsed documents (per desired object)",
    "json_patch/normalized_pairs": "json-patch `diff` on the same normalized pairs",
    "json_patch/raw_pairs": "json-patch `diff` on the raw parsed pairs",
}


def criterion_results(root: Path) -> tuple[list[CriterionResult], str]:
    """The benches of gitops-diff-core found in criterion's output, and their date."""
    found: list[CriterionResult] = []
    newest = 0.0
    for bench in sorted(root.glob("**/new/benchmark.json")):
        estimates = bench.with_name("estimates.json")
        meta = json.loads(bench.read_text())
        name = meta.get("full_id", "")
        if not estimates.is_file() or name.split("/threads=")[0] not in CRITERION_BENCHES:
            continue
        newest = max(newest, estimates.stat().st_mtime)
        median_ns = json.loads(estimates.read_text())["median"]["point_estimate"]
        throughput = meta.get("throughput") or {}
        found.append(
            CriterionResult(
                name, median_ns / 1e9, throughput.get("Elements"), throughput.get("Bytes")
            )
        )
    order = list(CRITERION_BENCHES)
    found.sort(key=lambda r: (order.index(r.name.split("/threads=")[0]), r.name))
    return found, time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(newest))


# -- presentation --------------------------------------------------------------------


def mb(n: float) -> str:
    return f"{n / 1e6:,.1f} MB"


def rate_text(n: float) -> str:
    return f"{n:,.0f}" if n >= 100 else f"{n:,.1f}"


def ratio(a: float, b: float) -> str:
    r = a / b
    return f"{r:,.0f}x" if r >= 10 else f"{r:.2f}x"


def md_table(header: Sequence[str], rows: Sequence[Sequence[str]], left: int = 1) -> str:
    """A Markdown table: the first `left` columns and any named `what`/`notes` flush left."""
    align = [
        "---" if i < left or h in ("what", "notes", "target (issue 5)") else "---:"
        for i, h in enumerate(header)
    ]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


ROW_ORDER = (
    "cli",
    "cli-1t",
    "floor",
    "pipeline",
    "api-files",
    "api-files-1t",
    "api-objects",
    "api-objects-1t",
    "peer:deepdiff",
    "peer:dictdiffer",
    "peer:jsondiff",
    "peer:jsonpatch",
)


def size_table(res: SizeResult) -> str:
    c = res.corpus
    per_object = c.input_bytes / c.objects
    peer_rows = [res.rows[k] for k in ROW_ORDER if k.startswith("peer:") and k in res.rows]
    header = ["", "objects/s", "MB/s", "peak RSS", "RSS / input"]
    header += [f"vs {r.key.split(':')[1]}" for r in peer_rows]
    header += ["status P / R", "notes"]
    lines = []
    for key in ROW_ORDER:
        row = res.rows.get(key)
        if row is None:
            continue
        mbs = row.rate * per_object / 1e6
        cells = [
            row.label,
            rate_text(row.rate),
            f"{mbs:,.1f}" + ("" if row.read_bytes else "*"),
            f"{row.rss / 2**20:,.0f} MiB",
            f"{row.rss / c.input_bytes:.2f}",
        ]
        cells += [ratio(row.rate, p.rate) for p in peer_rows]
        pr = (
            "—"
            if row.precision is None or row.recall is None
            else f"{row.precision:.3f} / {row.recall:.3f}"
        )
        cells += [pr, row.note + (f"; {row.full_score}" if row.full_score else "")]
        lines.append(cells)
    return md_table(header, lines)


def corpus_line(c: Corpus) -> str:
    s = c.truth["summary"]
    return (
        f"{c.objects:,} desired objects in {c.desired_files:,} YAML files ({mb(c.desired_bytes)}), "
        f"{s['live']:,} live objects in live.json ({mb(c.live_bytes)}); input {mb(c.input_bytes)}. "
        f"Truth: {s['modified']} modified, {s['missing']} missing, {s['extra']} extra, "
        f"{s['in_sync']:,} in sync; {s['changes']} changes."
    )


#: Rows of the "where the time goes" table: (result key, label, how to print its phases).
PHASE_ROWS: list[tuple[str, str, Callable[[dict[str, float]], str]]] = [
    (
        "floor",
        "parse-only floor (in process)",
        lambda p: f"YAML {p['yaml']:.3f} s, JSON {p['json']:.3f} s",
    ),
    (
        "api-files",
        "API from files, in stages",
        lambda p: (
            f"load desired {p['load_desired']:.3f} s, "
            f"load live {p['load_live']:.3f} s, diff {p['diff']:.3f} s"
        ),
    ),
    (
        "api-objects",
        "API from objects",
        lambda p: (
            f"from_objects desired {p['convert_desired']:.3f} s, "
            f"live {p['convert_live']:.3f} s, diff {p['diff']:.3f} s"
        ),
    ),
    (
        "pipeline",
        "best Python pipeline (in process)",
        lambda p: (
            f"parse {p['parse']:.3f} s, "
            f"pair and diff {p['pair_and_diff']:.3f} s, write {p['write']:.3f} s"
        ),
    ),
]


def phases_table(results: Sequence[SizeResult]) -> str:
    lines = []
    for res in results:
        r = res.rows
        n = f"{res.corpus.objects:,}"
        for key, label, describe in PHASE_ROWS:
            if key in r and r[key].phases:
                lines.append([n, label, describe(r[key].phases)])
        if "cli" in r:
            lines.append([n, "CLI end to end (wall)", f"{r['cli'].seconds:.3f} s"])
    return md_table(["objects", "what", "time"], lines, left=3)


def threads_table(results: Sequence[SizeResult]) -> str:
    lines = []
    for res in results:
        for key, label in (
            ("cli", "CLI"),
            ("api-files", "API from files"),
            ("api-objects", "API from objects"),
        ):
            many, one = res.rows.get(key), res.rows.get(f"{key}-1t")
            if many and one and many is not one:
                lines.append(
                    [
                        f"{res.corpus.objects:,}",
                        label,
                        rate_text(one.rate),
                        rate_text(many.rate),
                        f"{many.rate / one.rate:.2f}x",
                    ]
                )
    return md_table(
        ["objects", "what", "1 thread (objects/s)", f"{CPUS} threads (objects/s)", "speedup"], lines
    )


def verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def targets_table(results: Sequence[SizeResult], crit: Sequence[CriterionResult]) -> str:
    lines: list[list[str]] = []
    for res in results:
        r, n = res.rows, f"{res.corpus.objects:,}"
        if {"cli", "floor", "pipeline"} <= r.keys():
            x = r["cli"].seconds / r["floor"].seconds
            lines.append(
                [n, "CLI end to end ≤ 1.5x parse-only floor", f"{x:.2f}x", verdict(x <= 1.5)]
            )
            x = r["pipeline"].seconds / r["cli"].seconds
            lines.append(
                [
                    n,
                    f"CLI ≥ 7x faster than the best Python pipeline ({res.fastest_peer})",
                    f"{x:.1f}x",
                    verdict(x >= 7),
                ]
            )
        api = r.get("api-objects")
        if api:
            fastest = r.get(f"peer:{res.fastest_peer}")
            if fastest:
                x = api.rate / fastest.rate
                lines.append(
                    [
                        n,
                        f"API from objects ≥ 20x the fastest Python peer ({res.fastest_peer})",
                        f"{x:,.0f}x",
                        verdict(x >= 20),
                    ]
                )
            deep = r.get("peer:deepdiff")
            if deep:
                x = api.rate / deep.rate
                lines.append(
                    [n, "API from objects ≥ 300x deepdiff", f"{x:,.0f}x", verdict(x >= 300)]
                )
            lines.append(
                [
                    n,
                    "API from objects correct (precision = recall = 1.0)",
                    api.full_score or "",
                    verdict(api.perfect),
                ]
            )
        if "cli" in r:
            x = r["cli"].rss / res.corpus.input_bytes
            lines.append([n, "CLI peak memory ≤ 3x input bytes", f"{x:.2f}x", verdict(x <= 3)])
    for a, b in zip(results, results[1:]):
        for key, label in (
            ("cli", "CLI"),
            ("api-files", "API from files"),
            ("api-objects", "API from objects"),
        ):
            if key in a.rows and key in b.rows:
                x = (b.rows[key].seconds / a.rows[key].seconds) / (
                    b.corpus.objects / a.corpus.objects
                )
                lines.append(
                    [
                        f"{a.corpus.objects:,} → {b.corpus.objects:,}",
                        f"{label}: time per object linear within 20 %",
                        f"{x:.2f}x per object",
                        verdict(x <= 1.2),
                    ]
                )
    for cr in crit:
        if (
            cr.name.startswith(("diff/walk", "diff/in_sync_hash", "diff/engine"))
            and cr.elements
            and cr.name.endswith(f"threads={CPUS}")
        ):
            x = cr.elements / cr.seconds
            lines.append(
                [
                    "criterion",
                    f"core `{cr.name}` ≥ 1,000,000 pairs/s",
                    f"{x:,.0f}/s",
                    verdict(x >= 1e6),
                ]
            )
    return md_table(["corpus", "target (issue 5)", "measured", ""], lines)


def criterion_table(crit: Sequence[CriterionResult]) -> str:
    lines = []
    for cr in crit:
        what = CRITERION_BENCHES.get(cr.name.split("/threads=")[0], "")
        rate = f"{cr.elements / cr.seconds:,.0f} /s" if cr.elements else ""
        mbs = f"{cr.bytes / cr.seconds / 1e6:,.1f} MB/s" if cr.bytes else ""
        lines.append([f"`{cr.name}`", what, f"{cr.seconds * 1e3:,.2f} ms", rate, mbs])
    return md_table(["bench", "what", "median time", "elements/s", "throughput"], lines)


def load_average() -> str:
    try:
        return ", ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def machine() -> dict[str, str]:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 2**20:.1f} GiB"
                break
    except OSError:
        pass
    try:
        rustc = subprocess.run(
            ["rustc", "-V"], capture_output=True, text=True, check=False
        ).stdout.strip()
    except OSError:
        rustc = "unknown"
    import gitops_diff

    return {
        "cpus": str(CPUS),
        "cpu": model,
        "memory": memory,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "rustc": rustc or "unknown",
        "gitops-diff": gitops_diff.__version__,
        "load": load_average(),
        "peers": ", ".join(
            f"{d} {peers.version(d)}"
            for d in ("deepdiff", "dictdiffer", "jsondiff", "jsonpatch", "PyYAML", "orjson")
        ),
    }


METHOD = f"""\
- **Corpora** come from the project's drift generator (`python -m benches.generator
  --objects N --seed {SEED}`): a GitOps tree of YAML files (desired) and a
  `kubectl get -A -o json` dump (live) with server-filled fields, controller-owned
  objects and injected drift, plus `truth.json`, the ground truth of every drift.
- **Same pairs for everyone.** Desired and live objects are paired by identity (API
  group from apiVersion, kind, namespace — `default` when a namespaced object names
  none — and name). The Python peers get the pre-parsed dicts (PyYAML `CSafeLoader`,
  orjson) of every pair and compare them as they are, live to desired: they do not pay
  for normalization, and their precision shows what skipping it costs. Parsing and
  pairing are not timed for them.
- **deepdiff** is too slow for the whole set: it runs on {DEEPDIFF_SAMPLE} pairs spread evenly
  over the sorted pairs, and its objects/s is extrapolated from them.
- **gitops-diff API from files**: `gitops_diff.diff(desired_dir, gitops_diff.load(live_json))`
  (the same as passing both paths; `load` can raise the source-size limit): files read
  and parsed in Rust. **From Python objects**: `from_objects` on the same pre-parsed
  dicts for both sides, then `diff`; the conversion is timed. In-process times are the
  best of the repeats (`--repeat`).
- **End to end** rows are the wall time of a whole process, best of the repeats:
  the installed `gitops-diff diff desired/ live.json --format json` (report written to a
  file); the **parse-only floor**: a Python process that merely reads and parses the same
  inputs with the fastest parsers Python has (PyYAML `CSafeLoader` for the YAML tree,
  orjson for live.json); the **best Python pipeline**: that floor plus pairing, the
  fastest Python differ measured in the same run, and a JSON list of the drifted objects.
- **objects/s** counts desired objects (for peers: pairs diffed). **MB/s** is input bytes
  (desired YAML + live.json) per second; `*` marks rows that start from Python objects,
  for which it is the input-equivalent rate. **Peak RSS** is the measuring process's
  `ru_maxrss` (from `wait4`), interpreter and, for in-memory rows, the pre-parsed dicts
  included. **RSS / input** divides it by the input bytes.
- **Status P / R** is precision / recall of the per-object verdict (modified vs in sync)
  over the paired objects, against truth.json: the same measure for every row. gitops-diff
  rows also give full scores: objects (modified, missing, extra) and changes (path level).
- **Threads**: `GITOPS_DIFF_THREADS=1` and `={CPUS}` (this machine's cores).
- The **criterion** benches (`cargo bench -p gitops-diff-core`) measure the core alone
  on one corpus (10k objects in `make bench`), on one thread unless named otherwise:
  load, normalize, hash, the diff walk of pre-parsed, pre-normalized pairs, its hash
  fast path for in-sync pairs, the whole engine on pre-parsed documents, and the Rust
  `json-patch` crate's `diff` as the naive native peer on the same pairs.
- No test asserts a time; CI runs `make bench-smoke` (1k objects) and fails only on errors.
"""


REPRODUCE = f"""\
```sh
make bench                               # criterion, then 1k and 10k objects: writes BENCHMARKS.md
make bench BENCH_SIZES=1000,10000,50000  # add a 50k corpus (minutes, several GB of memory)
make bench-smoke                         # 1k objects, the table printed only (what CI runs)
```

Both build a release wheel into `target/bench-venv` (with the `bench` extra: the peers and
parsers) and leave the development install alone. Corpora are generated into
`target/bench-corpus/<objects>/` (seed {SEED}) and reused until the generator's sources
change. The criterion benches alone, on any corpus:

```sh
python -m benches.generator --objects 10000 --seed {SEED} --out target/bench-corpus/10000
GITOPS_DIFF_BENCH_CORPUS=$PWD/target/bench-corpus/10000 cargo bench -p gitops-diff-core
```

Without a corpus they fall back to the small bundled example, so `cargo bench` always runs
offline.
"""


def markdown(
    results: Sequence[SizeResult],
    crit: Sequence[CriterionResult],
    crit_heading: str,
    info: dict[str, str],
    argv: Sequence[str],
) -> str:
    date = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    out = [
        "# Benchmarks",
        "",
        f"Measured {date} on {info['cpus']} cores ({info['cpu']}), {info['memory']} memory, "
        f"{info['os']}; Python {info['python']}, {info['rustc']}, "
        f"gitops-diff {info['gitops-diff']} (release build); {info['peers']}. "
        f"Load average (1, 5, 15 min) at the start: {info['load']}; at the end: {load_average()}.",
        "",
        f"Reproduce with `make bench` (the criterion benches, then "
        f"`python -m benches.run {' '.join(argv)}`); `make bench-smoke` prints the 1k table "
        "only. The method is at the end.",
        "",
        "## Against the targets",
        "",
        targets_table(results, crit),
        "",
    ]
    for res in results:
        out += [f"## {res.corpus.objects:,} objects", "", corpus_line(res.corpus), ""]
        out += [size_table(res), ""] + [f"{n}\n" for n in res.notes]
    out += [
        "## Thread scaling",
        "",
        threads_table(results),
        "",
        "## Where the time goes",
        "",
        phases_table(results),
        "",
    ]
    if crit:
        out += [f"## Core ({crit_heading})", "", criterion_table(crit), ""]
    out += ["## Method", "", METHOD, "## Reproduce", "", REPRODUCE]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benches.run", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--sizes",
        default="1000,10000",
        help="comma-separated corpus sizes in desired objects (default 1000,10000)",
    )
    parser.add_argument(
        "--smoke", action="store_true", help="1k objects, one repeat, print only (unless --write)"
    )
    parser.add_argument(
        "--write", action="store_true", help="write BENCHMARKS.md even with --smoke"
    )
    parser.add_argument("--output", type=Path, default=ROOT / "BENCHMARKS.md")
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs per measurement, best kept (default 3)"
    )
    parser.add_argument(
        "--peers",
        default=",".join(peers.PEER_NAMES),
        help="comma-separated Python peers (default: all)",
    )
    parser.add_argument(
        "--corpus-only", action="store_true", help="generate the corpora of --sizes, then stop"
    )
    parser.add_argument(
        "--criterion",
        type=Path,
        default=CRITERION_ROOT,
        help="criterion output folder to include, if present",
    )
    parser.add_argument(
        "--criterion-objects",
        type=int,
        default=10_000,
        help="size of the corpus the criterion benches ran on (default 10000)",
    )
    args = parser.parse_args(argv)
    sizes = [1000] if args.smoke else sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    if args.corpus_only:
        for n in sizes:
            corpus(n)
        return 0
    repeat = 1 if args.smoke else max(1, args.repeat)
    peer_names = [p for p in args.peers.split(",") if p]
    for p in peer_names:
        peers.differ(p)  # an unknown or missing peer fails here, before any measurement
    started = time.perf_counter()
    info = machine()
    results = []
    for n in sizes:
        c = corpus(n)
        results.append(measure_size(c, repeat if n <= 10_000 else min(repeat, 2), peer_names))
    crit: list[CriterionResult] = []
    crit_heading = ""
    if not args.smoke and args.criterion.is_dir():
        crit, when = criterion_results(args.criterion)
        crit_heading = f"criterion, {args.criterion_objects:,}-object corpus, run {when}"
    text = markdown(results, crit, crit_heading, info, argv if argv is not None else sys.argv[1:])
    print(text)
    if not args.smoke or args.write:
        args.output.write_text(text)
        log(f"wrote {args.output}")
    log(f"benchmark done in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
