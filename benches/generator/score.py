"""Scoring a diff report against the ground truth of a corpus.

Two levels, each with precision and recall:

- objects: (identity, status) pairs, for every object the report lists (modified,
  missing, extra) and every object the truth lists;
- paths: (identity, op, pointer) triples, for the changes of modified objects.

Both sides are read from JSON: truth.json and the report's JSON form
(`Report.to_json()` or `gitops-diff diff --format json`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

Identity = tuple[str, str, Optional[str], str]
ObjectItem = tuple[Identity, str]
PathItem = tuple[Identity, str, str]


def identity_text(identity: Identity) -> str:
    """`apps/Deployment shop/web`, `Namespace shop`, as the engine prints identities."""
    group, kind, namespace, name = identity
    prefix = f"{group}/" if group else ""
    where = f"{namespace}/" if namespace else ""
    return f"{prefix}{kind} {where}{name}"


@dataclass(frozen=True)
class Items:
    """What one side says: object statuses and change paths."""

    objects: frozenset[ObjectItem]
    paths: frozenset[PathItem]
    # Drift name of each expected path, for readable failures (truth side only).
    drift: Mapping[PathItem, str] = field(default_factory=dict)

    def only(self, keep: Callable[[Identity], bool]) -> Items:
        return Items(
            frozenset(o for o in self.objects if keep(o[0])),
            frozenset(p for p in self.paths if keep(p[0])),
            {p: d for p, d in self.drift.items() if keep(p[0])},
        )


def _identity(obj: Mapping[str, Any]) -> Identity:
    return (obj["group"], obj["kind"], obj.get("namespace"), obj["name"])


def expected_items(truth: Mapping[str, Any]) -> Items:
    objects: set[ObjectItem] = set()
    paths: set[PathItem] = set()
    drift: dict[PathItem, str] = {}
    for obj in truth["objects"]:
        ident = _identity(obj)
        objects.add((ident, obj["status"]))
        for change in obj.get("changes", []):
            item = (ident, change["op"], change["pointer"])
            paths.add(item)
            drift[item] = change.get("drift", "")
    return Items(frozenset(objects), frozenset(paths), drift)


def reported_items(report: Mapping[str, Any]) -> Items:
    objects: set[ObjectItem] = set()
    paths: set[PathItem] = set()
    for obj in report["objects"]:
        if obj["status"] == "in-sync":
            continue
        ident = _identity(obj)
        objects.add((ident, obj["status"]))
        for change in obj.get("changes", []):
            paths.add((ident, change["op"], change["pointer"]))
    return Items(frozenset(objects), frozenset(paths))


def _ratio(hits: int, total: int) -> float:
    return 1.0 if total == 0 else hits / total


@dataclass(frozen=True)
class Level:
    true_positives: int
    false_positives: tuple[Any, ...]
    false_negatives: tuple[Any, ...]

    @property
    def precision(self) -> float:
        return _ratio(self.true_positives, self.true_positives + len(self.false_positives))

    @property
    def recall(self) -> float:
        return _ratio(self.true_positives, self.true_positives + len(self.false_negatives))

    @property
    def perfect(self) -> bool:
        return not self.false_positives and not self.false_negatives


def _level(expected: Iterable[Any], reported: Iterable[Any]) -> Level:
    e, r = set(expected), set(reported)
    return Level(len(e & r), tuple(sorted(r - e, key=repr)), tuple(sorted(e - r, key=repr)))


@dataclass(frozen=True)
class Score:
    objects: Level
    paths: Level
    expected: Items

    @property
    def perfect(self) -> bool:
        return self.objects.perfect and self.paths.perfect

    def summary(self) -> str:
        o, p = self.objects, self.paths
        return (
            f"objects: precision {o.precision:.4f} recall {o.recall:.4f} "
            f"({o.true_positives} right, {len(o.false_positives)} false positives, "
            f"{len(o.false_negatives)} false negatives); "
            f"paths: precision {p.precision:.4f} recall {p.recall:.4f} "
            f"({p.true_positives} right, {len(p.false_positives)} false positives, "
            f"{len(p.false_negatives)} false negatives)"
        )

    def breakdown(self, limit: int = 40) -> str:
        """The summary, then every mistake (up to `limit` of each kind), one a line."""
        lines = [self.summary()]

        def section(title: str, items: tuple[Any, ...], render: Callable[[Any], str]) -> None:
            if items:
                lines.append(f"{title} ({len(items)}):")
                lines.extend("  " + render(i) for i in items[:limit])
                if len(items) > limit:
                    lines.append(f"  ... and {len(items) - limit} more")

        def obj(item: ObjectItem) -> str:
            return f"{identity_text(item[0])}: {item[1]}"

        def path(item: PathItem) -> str:
            drift = self.expected.drift.get(item)
            return f"{identity_text(item[0])}: {item[1]} {item[2]}" + (
                f"  [{drift}]" if drift else ""
            )

        section(
            "objects reported but not expected (false positives)", self.objects.false_positives, obj
        )
        section(
            "objects expected but not reported (false negatives)", self.objects.false_negatives, obj
        )
        section(
            "changes reported but not expected (false positives)", self.paths.false_positives, path
        )
        section(
            "changes expected but not reported (false negatives)", self.paths.false_negatives, path
        )
        return "\n".join(lines)


def score(expected: Items, reported: Items) -> Score:
    return Score(
        _level(expected.objects, reported.objects), _level(expected.paths, reported.paths), expected
    )
