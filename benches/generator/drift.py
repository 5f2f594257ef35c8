"""Drift: what changed on one side since the last apply, and what the engine must report.

Live-side drift edits the live object (`kubectl edit`, `scale`, `set image`); Git-side
drift edits a copy of the desired object (a commit not yet applied). Each drift returns
the changes expected in the report, as RFC 6901 pointers into the live object: a keyed
list item by its index in the live list, `-` for an item live lacks (so a Service port
whose number changed live is an `add` of the desired item at `/spec/ports/-`: ports are
keyed by port and protocol, and the live item with the new number was never applied).
"""

from __future__ import annotations

import copy
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from benches.generator import content, quantities
from benches.generator.live import get_path, pod_spec_path
from benches.generator.objects import OPTIONAL_ANNOTATIONS, OPTIONAL_LABELS

Obj = dict[str, Any]


#: Every kind of drift a corpus may hold, as truth.json names them.
DRIFTS = (
    "image-changed-live",
    "replicas-changed-live",
    "env-value-changed-live",
    "env-added-in-git",
    "container-added-in-git",
    "label-removed-from-git",
    "annotation-removed-from-git",
    "configmap-value-changed-live",
    "configmap-key-removed-from-git",
    "service-port-changed-live",
    "limit-changed",
    "missing-live",
    "extra-live",
)


#: How much more often a drift is picked than another that fits the same object.
WEIGHTS = {
    "image-changed-live": 4.0,
    "replicas-changed-live": 5.0,
    "env-value-changed-live": 3.0,
    "env-added-in-git": 3.0,
    "container-added-in-git": 2.0,
    "label-removed-from-git": 1.0,
    "annotation-removed-from-git": 1.0,
    "configmap-value-changed-live": 3.0,
    "configmap-key-removed-from-git": 2.0,
    "service-port-changed-live": 4.0,
    "limit-changed": 3.0,
    "missing-live": 0.5,
}


@dataclass(frozen=True)
class Expected:
    op: str
    pointer: str
    drift: str

    def as_json(self) -> dict[str, str]:
        return {"op": self.op, "pointer": self.pointer, "drift": self.drift}


def pointer(*steps: str | int) -> str:
    """RFC 6901: `~` as `~0`, `/` as `~1`."""
    return "".join("/" + str(s).replace("~", "~0").replace("/", "~1") for s in steps)


@dataclass
class Subject:
    """One desired object with its live counterpart, while drift is injected."""

    kind: str
    desired: Obj
    live: Obj | None
    has_last_applied: bool
    hpa_target: bool
    respell: bool
    _git_copy: Obj | None = None

    @property
    def git(self) -> Obj:
        """What Git holds now: the applied desired object, unless Git was edited."""
        return self._git_copy if self._git_copy is not None else self.desired

    def edit_git(self) -> Obj:
        """A private copy of the desired object (anchors kept) for Git-side edits."""
        if self._git_copy is None:
            self._git_copy = copy.deepcopy(self.desired)
        return self._git_copy

    def live_obj(self) -> Obj:
        assert self.live is not None
        return self.live


POD_KINDS = ("Deployment", "StatefulSet", "DaemonSet", "CronJob", "Job")


def _index(items: list[Obj], key: str, value: Any) -> int:
    for i, item in enumerate(items):
        if item.get(key) == value:
            return i
    raise LookupError(f"no item with {key}={value!r}")


def _containers(obj: Obj, kind: str) -> list[Obj]:
    containers: list[Obj] = get_path(obj, pod_spec_path(kind))["containers"]
    return containers


def _applied_containers(s: Subject) -> list[Obj]:
    """Git's containers that were applied (not ones another Git edit just added)."""
    live_names = {c["name"] for c in _containers(s.live_obj(), s.kind)}
    return [c for c in _containers(s.git, s.kind) if c["name"] in live_names]


def _container_pointer(kind: str, live: Obj, name: str, *rest: str | int) -> str:
    index = _index(_containers(live, kind), "name", name)
    return pointer(*pod_spec_path(kind), "containers", index, *rest)


class Drifter:
    """Picks and applies drift to subjects, with one app's random source."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.kinds: dict[str, Callable[[Subject], list[Expected]]] = {
            "image-changed-live": self.image_changed_live,
            "replicas-changed-live": self.replicas_changed_live,
            "env-value-changed-live": self.env_value_changed_live,
            "env-added-in-git": self.env_added_in_git,
            "container-added-in-git": self.container_added_in_git,
            "label-removed-from-git": self.label_removed_from_git,
            "annotation-removed-from-git": self.annotation_removed_from_git,
            "configmap-value-changed-live": self.configmap_value_changed_live,
            "configmap-key-removed-from-git": self.configmap_key_removed_from_git,
            "service-port-changed-live": self.service_port_changed_live,
            "limit-changed": self.limit_changed,
            "missing-live": self.missing_live,
        }

    # -- which drift fits which object --------------------------------------------------

    def candidates(self, s: Subject) -> list[str]:
        out: list[str] = []
        kind, d = s.kind, s.desired
        if kind in POD_KINDS:
            containers = _containers(d, kind)
            if kind != "Job":  # a Job's pod template is immutable live
                out.append("image-changed-live")
                if any(any("value" in e for e in c.get("env", [])) for c in containers):
                    out.append("env-value-changed-live")
            if any(c.get("env") for c in containers):
                out.append("env-added-in-git")
            out.append("container-added-in-git")
            if any(c.get("resources", {}).get("limits") for c in containers):
                out.append("limit-changed")
        if kind in ("Deployment", "StatefulSet") and "replicas" in d["spec"] and not s.hpa_target:
            out.append("replicas-changed-live")
        if s.has_last_applied:
            labels = d["metadata"].get("labels", {})
            if len(labels) >= 2 and any(k in labels for k in OPTIONAL_LABELS):
                out.append("label-removed-from-git")
            if any(k in d["metadata"].get("annotations", {}) for k in OPTIONAL_ANNOTATIONS):
                out.append("annotation-removed-from-git")
        if kind == "ConfigMap":
            out.append("configmap-value-changed-live")
            if s.has_last_applied and len(d.get("data", {})) >= 2:
                out.append("configmap-key-removed-from-git")
        if kind == "Service" and d["spec"].get("ports"):
            out.append("service-port-changed-live")
        if kind != "Namespace":
            out.append("missing-live")
        return out

    def inject(self, s: Subject, count: int) -> list[Expected]:
        """Up to `count` different drifts; `missing-live` only alone."""
        # A weighted random order (each key is u ** (1 / weight)): the drifts that fit
        # few kinds of object are favoured, so that every kind is well represented.
        keys = {n: self.rng.random() ** (1.0 / WEIGHTS[n]) for n in self.candidates(s)}
        names = sorted(keys, key=lambda n: -keys[n])
        if names and names[0] == "missing-live":
            return self.missing_live(s)
        chosen = [n for n in names if n != "missing-live"][:count]
        changes: list[Expected] = []
        for name in chosen:
            changes.extend(self.kinds[name](s))
        return changes

    # -- live-side --------------------------------------------------------------------

    def image_changed_live(self, s: Subject) -> list[Expected]:
        live = s.live_obj()
        c = self.rng.choice(_containers(live, s.kind))
        repo, _, tag = c["image"].rpartition(":")
        new_tag = tag
        while new_tag == tag:
            new_tag = content.version(self.rng) + self.rng.choice(("", "-hotfix1", "-debug"))
        c["image"] = f"{repo}:{new_tag}"
        return [
            Expected(
                "replace",
                _container_pointer(s.kind, live, c["name"], "image"),
                "image-changed-live",
            )
        ]

    def replicas_changed_live(self, s: Subject) -> list[Expected]:
        live = s.live_obj()
        before = int(s.desired["spec"]["replicas"])
        after = before
        while after == before:
            after = max(0, before + self.rng.choice((-2, -1, 1, 2, 5)))
        live["spec"]["replicas"] = after
        return [Expected("replace", "/spec/replicas", "replicas-changed-live")]

    def env_value_changed_live(self, s: Subject) -> list[Expected]:
        live = s.live_obj()
        options = [
            (c, e) for c in _containers(live, s.kind) for e in c.get("env", []) if "value" in e
        ]
        c, e = self.rng.choice(options)
        e["value"] = e["value"] + "-" + content.word(self.rng)
        ei = c["env"].index(e)
        return [
            Expected(
                "replace",
                _container_pointer(s.kind, live, c["name"], "env", ei, "value"),
                "env-value-changed-live",
            )
        ]

    def configmap_value_changed_live(self, s: Subject) -> list[Expected]:
        live = s.live_obj()
        key = self.rng.choice(sorted(k for k in live["data"] if k in s.git.get("data", {})))
        value = live["data"][key]
        if "\n" in value:
            lines = value.split("\n")
            at = self.rng.randrange(max(1, len(lines) - 1))
            lines.insert(at, f"# edited live by {content.word(self.rng)}")
            live["data"][key] = "\n".join(lines)
        else:
            live["data"][key] = value + "-" + content.word(self.rng)
        return [Expected("replace", pointer("data", key), "configmap-value-changed-live")]

    def service_port_changed_live(self, s: Subject) -> list[Expected]:
        ports = s.live_obj()["spec"]["ports"]
        item = self.rng.choice(ports)
        taken = {(p["port"], p.get("protocol", "TCP")) for p in ports}
        new = item["port"] + 1
        while (new, item.get("protocol", "TCP")) in taken:
            new += 1
        item["port"] = new
        # The desired item (old port) is absent live; the live one was never applied.
        return [Expected("add", "/spec/ports/-", "service-port-changed-live")]

    def missing_live(self, s: Subject) -> list[Expected]:
        s.live = None
        return []

    # -- Git-side ----------------------------------------------------------------------

    def env_added_in_git(self, s: Subject) -> list[Expected]:
        s.edit_git()
        c = self.rng.choice([c for c in _applied_containers(s) if c.get("env")])
        names = {e["name"] for e in c["env"]}
        name = "FEATURE_" + content.word(self.rng).upper()
        while name in names:
            name += "_2"
        # A new list: a YAML alias may share the old one with another container.
        c["env"] = [*c["env"], {"name": name, "value": self.rng.choice(("true", "false", "on"))}]
        return [
            Expected(
                "add",
                _container_pointer(s.kind, s.live_obj(), c["name"], "env", "-"),
                "env-added-in-git",
            )
        ]

    def container_added_in_git(self, s: Subject) -> list[Expected]:
        git = s.edit_git()
        containers = _containers(git, s.kind)
        names = {c["name"] for c in containers}
        name = self.rng.choice(("otel-agent", "cloudsql-proxy", "vault-agent", "fluent-bit"))
        while name in names:
            name += "-2"
        containers.append(
            {
                "name": name,
                "image": content.image(self.rng, "platform", name),
                "resources": {
                    "requests": {"cpu": "50m", "memory": "64Mi"},
                    "limits": {"memory": "128Mi"},
                },
            }
        )
        return [
            Expected(
                "add", pointer(*pod_spec_path(s.kind), "containers", "-"), "container-added-in-git"
            )
        ]

    def limit_changed(self, s: Subject) -> list[Expected]:
        s.edit_git()
        options = [
            (c, r)
            for c in _applied_containers(s)
            for r in ("cpu", "memory")
            if r in c.get("resources", {}).get("limits", {})
        ]
        c, resource = self.rng.choice(options)
        limits = c["resources"]["limits"]
        table = quantities.CPU if resource == "cpu" else quantities.MEMORY
        old = quantities.canonical(limits[resource])
        new = old
        while new == old:
            new = quantities.pick(self.rng, table)
        limits[resource] = quantities.spell(self.rng, table, new, s.respell, chance=0.5)
        return [
            Expected(
                "replace",
                _container_pointer(
                    s.kind, s.live_obj(), c["name"], "resources", "limits", resource
                ),
                "limit-changed",
            )
        ]

    def label_removed_from_git(self, s: Subject) -> list[Expected]:
        labels = s.edit_git()["metadata"]["labels"]
        key = self.rng.choice([k for k in OPTIONAL_LABELS if k in labels])
        del labels[key]
        return [Expected("remove", pointer("metadata", "labels", key), "label-removed-from-git")]

    def annotation_removed_from_git(self, s: Subject) -> list[Expected]:
        meta = s.edit_git()["metadata"]
        key = self.rng.choice([k for k in OPTIONAL_ANNOTATIONS if k in meta["annotations"]])
        del meta["annotations"][key]
        if not meta["annotations"]:
            del meta["annotations"]
        return [
            Expected(
                "remove", pointer("metadata", "annotations", key), "annotation-removed-from-git"
            )
        ]

    def configmap_key_removed_from_git(self, s: Subject) -> list[Expected]:
        data = s.edit_git()["data"]
        # Not a key edited live as well: that would be one removal, not two changes.
        live_data = s.live_obj()["data"]
        key = self.rng.choice(sorted(k for k in data if live_data.get(k) == s.desired["data"][k]))
        del data[key]
        return [Expected("remove", pointer("data", key), "configmap-key-removed-from-git")]
