"""A whole corpus: teams and apps in Git, the cluster they were applied to, the drift
between the two, and the ground truth of that drift.

Every random choice comes from a source seeded by (seed, team, app, purpose), so a
corpus is a pure function of its options: the plan (which teams, apps and how many
objects each) is drawn first, then each unit of the plan is generated on its own,
in worker processes when there are many, and the results are merged in a fixed order.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benches.generator import content, jsontext, live, objects
from benches.generator.drift import Drifter, Expected, Subject
from benches.generator.yamltext import Style, document, stream

Obj = dict[str, Any]

TRUTH_SCHEMA = 1
# Order of kinds in the live dump, as `kubectl get` lists resource types.
KIND_ORDER = (
    "Namespace",
    "ClusterRole",
    "ServiceAccount",
    "ConfigMap",
    "Secret",
    "Role",
    "RoleBinding",
    "Service",
    "EndpointSlice",
    "Deployment",
    "ReplicaSet",
    "StatefulSet",
    "DaemonSet",
    "ControllerRevision",
    "Pod",
    "CronJob",
    "Job",
    "HorizontalPodAutoscaler",
    "PodDisruptionBudget",
    "NetworkPolicy",
    "Ingress",
    "PersistentVolumeClaim",
    "Lease",
)
# How much more often than average objects of a kind drift: most kinds of drift are
# edits to workloads, ConfigMaps and Services.
DRIFT_BIAS = {
    "Deployment": 3.0,
    "StatefulSet": 3.0,
    "DaemonSet": 3.0,
    "CronJob": 3.0,
    "Job": 3.0,
    "ConfigMap": 1.5,
    "Service": 2.0,
}
# Below this many objects a single process is faster than starting workers.
PARALLEL_FROM = 4000


@dataclass(frozen=True)
class Options:
    objects: int
    seed: int = 0
    #: Write some quantities in Git in another spelling than the server's (`1000m`).
    respell_quantities: bool = True
    #: Chance that a desired object drifts (more for workloads, ConfigMaps, Services).
    drift_rate: float = 0.08
    #: Chance that an app left a managed object behind live (extra).
    extra_rate: float = 0.05
    #: Indent live.json as kubectl does (4 spaces); else one compact line per object.
    pretty: bool = True
    #: Worker processes; 0 picks by corpus size and CPUs. The corpus does not depend on it.
    jobs: int = 0


@dataclass
class Result:
    desired_objects: int
    live_objects: int
    desired_files: int
    desired_bytes: int
    live_bytes: int
    seconds: float
    truth: Obj = field(repr=False)


@dataclass(frozen=True)
class _Unit:
    """One piece of the plan: a team's namespaces, or one app (first `limit` objects)."""

    team: str
    style: Style
    tool: str
    namespaces: tuple[str, ...] = ()
    plan: objects.AppPlan | None = None
    shape: objects.Shape | None = None
    limit: int = 0


@dataclass(frozen=True)
class _Entry:
    identity: tuple[str, str, str | None, str]
    status: str
    changes: tuple[Expected, ...]


@dataclass
class _Output:
    """What units produced; merged in plan order."""

    live: list[tuple[str, str, str, str]] = field(default_factory=list)
    entries: list[_Entry] = field(default_factory=list)
    drift_counts: Counter[str] = field(default_factory=Counter)
    desired: int = 0
    files: int = 0
    desired_bytes: int = 0
    unmanaged: int = 0

    def merge(self, other: _Output) -> None:
        self.live.extend(other.live)
        self.entries.extend(other.entries)
        self.drift_counts.update(other.drift_counts)
        self.desired += other.desired
        self.files += other.files
        self.desired_bytes += other.desired_bytes
        self.unmanaged += other.unmanaged


def _rng(seed: int, *parts: str) -> random.Random:
    return random.Random(":".join((str(seed), *parts)))


def _team_name(i: int) -> str:
    if i == 0:
        return "platform"
    base = content.TEAMS[(i - 1) % len(content.TEAMS)]
    cycle = (i - 1) // len(content.TEAMS)
    return base if cycle == 0 else f"{base}-{cycle + 1}"


def _app_names(rng: random.Random, count: int) -> list[str]:
    names: list[str] = []
    while len(names) < count:
        qualifier = rng.choice(content.APP_QUALIFIERS)
        noun = rng.choice(content.APP_NOUNS)
        name = f"{qualifier}-{noun}" if qualifier else noun
        if name not in names:
            names.append(name)
    return names


def plan(options: Options) -> Iterator[list[_Unit]]:
    """The units of each team, up to `options.objects` desired objects in all."""
    remaining = options.objects
    team_index = 0
    while remaining > 0:
        team = _team_name(team_index)
        team_index += 1
        trng = _rng(options.seed, "team", team)
        style = Style(
            indent_sequences=trng.random() < 0.6,
            single_quotes=trng.random() < 0.3,
            flow_scalar_lists=trng.random() < 0.4,
            booleans=trng.choices(
                (("true", "false"), ("yes", "no"), ("True", "False"), ("on", "off")),
                weights=(85, 7, 5, 3),
            )[0],
        )
        tool = trng.choices(live.TOOLS, weights=(40, 35, 25))[0]
        namespaces = [team] + [
            f"{team}-{s}" for s in ("batch", "edge")[: trng.choice((0, 0, 1, 2))]
        ]
        taken = namespaces[:remaining]
        units = [_Unit(team, style, tool, namespaces=tuple(taken))]
        remaining -= len(taken)
        apps = _app_names(trng, trng.randint(3, 12))
        for app in apps:
            if remaining <= 0:
                break
            if team == "platform" and app == apps[0]:
                app_plan = objects.AppPlan(
                    team,
                    "cluster-settings",
                    "default",
                    style,
                    options.respell_quantities,
                    omit_namespace=True,
                )
            else:
                app_plan = objects.AppPlan(
                    team, app, trng.choice(namespaces), style, options.respell_quantities
                )
            shape = objects.app_shape(_rng(options.seed, "shape", team, app_plan.app))
            limit = min(shape.count, remaining)
            remaining -= limit
            units.append(_Unit(team, style, tool, plan=app_plan, shape=shape, limit=limit))
        yield units


class _Worker:
    """Generates units: writes their Git files, returns their live objects and truth."""

    def __init__(self, out: Path, options: Options) -> None:
        self.out = out
        self.options = options

    def run(self, units: list[_Unit]) -> _Output:
        result = _Output()
        for unit in units:
            if unit.plan is None:
                self.namespaces(unit, result)
            else:
                self.app(unit, result)
        return result

    def dump(self, obj: Obj, rng: random.Random, result: _Output, unmanaged: bool = False) -> None:
        obj = live.scramble(obj, rng)
        if self.options.pretty:
            text = jsontext.indented(obj, 4, pad="        ")
        else:
            text = json.dumps(obj, separators=(",", ":"), ensure_ascii=False)
        # Go's encoder escapes these three inside strings, and they occur only there.
        text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        meta = obj["metadata"]
        result.live.append((obj["kind"], meta.get("namespace", ""), meta["name"], text))
        result.unmanaged += unmanaged

    def write(
        self, folder: Path, docs: dict[str, list[str]], rng: random.Random, result: _Output
    ) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        for name, texts in docs.items():
            text = stream(texts, leading_separator=rng.random() < 0.3)
            r = rng.random()
            if r < 0.08:  # as tools that render manifests end them
                text += "---\n"
            elif r < 0.1:
                text += "---\n# nothing below: kept for the next release\n"
            r = rng.random()
            if r < 0.02:  # edited on Windows
                text = text.replace("\n", "\r\n")
            elif r < 0.03:
                text = "\ufeff" + text
            data = text.encode()
            (folder / name).write_bytes(data)
            result.files += 1
            result.desired_bytes += len(data)

    def namespaces(self, unit: _Unit, result: _Output) -> None:
        seed = self.options.seed
        trng = _rng(seed, "namespaces", unit.team)
        docs: list[str] = []
        for ns in unit.namespaces:
            m = objects.namespace_manifest(trng, unit.team, ns)
            lrng = _rng(seed, "live", unit.team, ns)
            self.place(m, f"{unit.team}-namespaces", None, unit, lrng, docs, result)
            for obj in live.namespace_furniture(_rng(seed, "furniture", ns), ns):
                self.dump(obj, lrng, result, unmanaged=True)
        if docs:
            self.write(
                self.out / "desired" / unit.team / "namespaces",
                {"namespaces.yaml": docs},
                trng,
                result,
            )

    def app(self, unit: _Unit, result: _Output) -> None:
        plan = unit.plan
        assert plan is not None and unit.shape is not None
        seed = self.options.seed
        manifests = objects.build_app(_rng(seed, "app", plan.team, plan.app), plan, unit.shape)
        lrng = _rng(seed, "live", plan.team, plan.app)
        docs: dict[str, list[str]] = {}
        for m in manifests[: unit.limit]:
            self.place(
                m,
                f"{plan.team}-{plan.app}",
                plan.namespace,
                unit,
                lrng,
                docs.setdefault(m.file, []),
                result,
            )
        self.write(self.out / "desired" / plan.team / plan.app, docs, lrng, result)
        if lrng.random() < self.options.extra_rate:
            self.extra(plan, lrng, result)
        if lrng.random() < 0.2:
            lease = live.Controllers(lrng, live.Clock(lrng)).lease(
                plan.namespace, f"{plan.app}-leader"
            )
            self.dump(lease, lrng, result, unmanaged=True)

    def place(
        self,
        m: objects.Manifest,
        app: str,
        namespace: str | None,
        unit: _Unit,
        rng: random.Random,
        docs: list[str],
        result: _Output,
    ) -> None:
        """Apply one desired object, maybe drift it, and record Git, live and truth."""
        result.desired += 1
        obj = m.obj
        kind = obj["kind"]
        ns = (
            None if kind in live.CLUSTER_SCOPED else (obj["metadata"].get("namespace") or namespace)
        )
        clock = live.Clock(rng)
        live_obj, has_last_applied = live.Server(rng, clock).apply(obj, ns, tool=unit.tool, app=app)
        if m.hpa_target:
            live_obj["spec"]["replicas"] = rng.randint(2, 6)
        subject = Subject(
            kind, obj, live_obj, has_last_applied, m.hpa_target, self.options.respell_quantities
        )
        changes: list[Expected] = []
        if rng.random() < self.options.drift_rate * DRIFT_BIAS.get(kind, 0.6):
            count = 1 if rng.random() < 0.7 else 2 if rng.random() < 0.75 else 3
            changes = Drifter(rng).inject(subject, count)
        identity = (live.group_of(obj["apiVersion"]), kind, ns, obj["metadata"]["name"])
        if subject.live is None:
            result.entries.append(_Entry(identity, "missing", ()))
            result.drift_counts["missing-live"] += 1
        else:
            if changes:
                result.entries.append(_Entry(identity, "modified", tuple(changes)))
                result.drift_counts.update(c.drift for c in changes)
            self.dump(subject.live, rng, result)
            for child in live.Controllers(rng, clock).owned(subject.live):
                self.dump(child, rng, result, unmanaged=True)
        docs.append(
            document(
                subject.git, unit.style, comments=m.comments, anchor_names=m.anchor_names or None
            )
        )

    def extra(self, plan: objects.AppPlan, rng: random.Random, result: _Output) -> None:
        """A managed object still running, though Git no longer has it."""
        builder = objects.AppBuilder(_rng(self.options.seed, "extra", plan.team, plan.app), plan)
        name = f"{plan.app}-legacy"
        if rng.random() < 0.5:
            obj = builder.workload("Deployment", name).obj
        else:
            builder.configmap(name)
            obj = builder.manifests[-1].obj
        clock = live.Clock(rng)
        app = f"{plan.team}-{plan.app}"
        live_obj, _ = live.Server(rng, clock).apply(
            obj, plan.namespace, tool="argocd", app=app, instance=app
        )
        self.dump(live_obj, rng, result)
        for child in live.Controllers(rng, clock).owned(live_obj):
            self.dump(child, rng, result, unmanaged=True)
        meta = live_obj["metadata"]
        identity = (
            live.group_of(live_obj["apiVersion"]),
            live_obj["kind"],
            meta["namespace"],
            meta["name"],
        )
        result.entries.append(_Entry(identity, "extra", ()))
        result.drift_counts["extra-live"] += 1


# Set in each worker process by `_init_worker`.
_worker: _Worker | None = None


def _init_worker(out: str, options: Options) -> None:
    global _worker
    _worker = _Worker(Path(out), options)


def _run_units(units: list[_Unit]) -> _Output:
    assert _worker is not None
    return _worker.run(units)


def _write_live(path: Path, items: list[tuple[str, str, str, str]], pretty: bool) -> int:
    """The dump as kubectl prints it: a List, kinds in kubectl's order, then by
    namespace and name."""
    rank = {kind: i for i, kind in enumerate(KIND_ORDER)}
    items.sort(key=lambda e: (rank.get(e[0], len(rank)), e[0], e[1], e[2]))
    if pretty:
        head = '{\n    "apiVersion": "v1",\n    "items": [\n'
        tail = (
            '\n    ],\n    "kind": "List",\n'
            '    "metadata": {\n        "resourceVersion": ""\n    }\n}\n'
        )
        lead = "        "
    else:
        head, tail, lead = (
            '{"apiVersion":"v1","items":[\n',
            '\n],"kind":"List","metadata":{"resourceVersion":""}}\n',
            "",
        )
    with path.open("w", encoding="utf-8") as f:
        f.write(head)
        for i, item in enumerate(items):
            f.write((",\n" if i else "") + lead + item[3])
        f.write(tail)
    return path.stat().st_size


def _truth(options: Options, output: _Output, live_count: int) -> Obj:
    entries = sorted(
        output.entries,
        key=lambda e: (e.identity[0], e.identity[1], e.identity[2] or "", e.identity[3]),
    )
    statuses = Counter(e.status for e in entries)
    return {
        "schema_version": TRUTH_SCHEMA,
        "options": {
            "objects": options.objects,
            "seed": options.seed,
            "respell_quantities": options.respell_quantities,
            "drift_rate": options.drift_rate,
            "extra_rate": options.extra_rate,
        },
        "summary": {
            "desired": output.desired,
            "live": live_count,
            "in_sync": output.desired - statuses["modified"] - statuses["missing"],
            "modified": statuses["modified"],
            "missing": statuses["missing"],
            "extra": statuses["extra"],
            "unmanaged": output.unmanaged,
            "changes": sum(len(e.changes) for e in entries),
        },
        "drifts": dict(sorted(output.drift_counts.items())),
        "objects": [
            {
                "group": e.identity[0],
                "kind": e.identity[1],
                "namespace": e.identity[2],
                "name": e.identity[3],
                "status": e.status,
                "changes": [
                    c.as_json() for c in sorted(e.changes, key=lambda c: (c.pointer, c.op))
                ],
            }
            for e in entries
        ],
    }


def _jobs(options: Options) -> int:
    if options.jobs > 0:
        return options.jobs
    if options.objects < PARALLEL_FROM:
        return 1
    return max(1, min(8, os.cpu_count() or 1))


def generate(out: str | Path, options: Options) -> Result:
    """Writes `out/desired/<team>/<app>/*.yaml`, `out/live.json` and `out/truth.json`."""
    started = time.perf_counter()
    out = Path(out)
    (out / "desired").mkdir(parents=True, exist_ok=True)
    output = _Output()
    furniture = _Worker(out, options)
    crng = _rng(options.seed, "cluster")
    for obj in live.cluster_furniture(crng):
        furniture.dump(obj, crng, output, unmanaged=True)
    jobs = _jobs(options)
    if jobs == 1:
        worker = _Worker(out, options)
        for units in plan(options):
            output.merge(worker.run(units))
    else:
        context = multiprocessing.get_context(
            "fork" if sys.platform.startswith("linux") else "spawn"
        )
        with context.Pool(jobs, _init_worker, (str(out), options)) as pool:
            for part in pool.imap(_run_units, plan(options), chunksize=4):
                output.merge(part)
    live_count = len(output.live)
    live_bytes = _write_live(out / "live.json", output.live, options.pretty)
    truth = _truth(options, output, live_count)
    (out / "truth.json").write_text(json.dumps(truth, indent=2) + "\n", encoding="utf-8")
    return Result(
        desired_objects=output.desired,
        live_objects=live_count,
        desired_files=output.files,
        desired_bytes=output.desired_bytes,
        live_bytes=live_bytes,
        seconds=time.perf_counter() - started,
        truth=truth,
    )
