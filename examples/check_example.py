"""Sanity check of the bundled example: gitops-repo/ (desired) vs live/cluster.json.

Run: python3 examples/check_example.py  (needs PyYAML)
"""

from __future__ import annotations

import base64
import copy
import json
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
TRACKING = ("argocd.argoproj.io/tracking-id", "app.kubernetes.io/instance")
CLUSTER_KINDS = {
    "Namespace",
    "Node",
    "PersistentVolume",
    "StorageClass",
    "ClusterRole",
    "ClusterRoleBinding",
    "CustomResourceDefinition",
    "PriorityClass",
}

Key = tuple[str, str, str, str]  # (group, kind, namespace, name)
Obj = dict[str, Any]

# The planted drifts: JSON-pointer paths per object, plus one missing and one extra.
DRIFTS: dict[Key, set[str]] = {
    ("apps", "Deployment", "shop", "frontend"): {
        "/spec/template/spec/containers/0/image"
    },
    ("apps", "Deployment", "payments", "payments-api"): {"/spec/replicas"},
    ("", "ConfigMap", "shop", "shop-config"): {"/data/LOG_LEVEL", "/data/LEGACY_MODE"},
    ("", "Service", "shop", "cart"): {"/spec/ports/0/port"},
}
MISSING: set[Key] = {("networking.k8s.io", "NetworkPolicy", "shop", "redis-allow-cart")}
EXTRA: set[Key] = {("apps", "Deployment", "shop", "old-worker")}
# Objects whose last-applied annotation is not the current Git object.
STALE_LAST_APPLIED: set[Key] = {("", "ConfigMap", "shop", "shop-config")}


def key(obj: Obj, cluster_kinds: set[str]) -> Key:
    api = obj["apiVersion"]
    group = api.split("/")[0] if "/" in api else ""
    meta = obj["metadata"]
    ns = "" if obj["kind"] in cluster_kinds else meta.get("namespace") or "default"
    return group, obj["kind"], ns, meta["name"]


def with_namespace(obj: Obj, ns: str) -> Obj:
    out = copy.deepcopy(obj)
    if ns:
        out["metadata"]["namespace"] = ns
    return out


def as_stored(obj: Obj) -> Obj:
    """Secret stringData is write-only: the server keeps it base64-encoded in data."""
    out = copy.deepcopy(obj)
    for k, v in out.pop("stringData", {}).items():
        out.setdefault("data", {})[k] = base64.b64encode(v.encode()).decode()
    return out


def drift(want: object, have: object, last: object, path: str = "") -> set[str]:
    """Three-way: Git fields must match live; last-applied-only fields are removals."""
    if isinstance(want, dict) and isinstance(have, dict):
        prev = last if isinstance(last, dict) else {}
        out = {
            p
            for k, v in want.items()
            for p in drift(v, have.get(k), prev.get(k), f"{path}/{k}")
        }
        return out | {f"{path}/{k}" for k in prev if k not in want and k in have}
    if isinstance(want, list) and isinstance(have, list) and len(want) == len(have):
        prev_l = last if isinstance(last, list) else []
        return {
            p
            for i, (w, h) in enumerate(zip(want, have))
            for p in drift(w, h, prev_l[i] if i < len(prev_l) else None, f"{path}/{i}")
        }
    return set() if want == have else {path}


def main() -> None:
    desired_docs: list[Obj] = [
        d
        for f in sorted((HERE / "gitops-repo").rglob("*.yaml"))
        for d in yaml.safe_load_all(f.read_text())
        if d
    ]
    live_list = json.loads((HERE / "live" / "cluster.json").read_text())
    assert live_list["kind"] == "List"
    assert live_list["apiVersion"] == "v1"
    live_docs: list[Obj] = live_list["items"]

    cluster_kinds = CLUSTER_KINDS | {
        d["spec"]["names"]["kind"]
        for d in desired_docs + live_docs
        if d["kind"] == "CustomResourceDefinition" and d["spec"]["scope"] == "Cluster"
    }
    desired = {key(d, cluster_kinds): d for d in desired_docs}
    live = {key(d, cluster_kinds): d for d in live_docs}
    assert len(desired) == len(desired_docs), "duplicate desired ids"
    assert len(live) == len(live_docs), "duplicate live ids"
    pairs = desired.keys() & live.keys()
    missing = desired.keys() - live.keys()
    live_only = live.keys() - desired.keys()
    print(f"desired objects: {len(desired)}")
    print(f"live objects:    {len(live)}")
    print(f"pairs:           {len(pairs)}")
    print(f"missing:         {len(missing)}  {sorted(missing)}")
    print(f"live-only:       {len(live_only)}")

    last: dict[Key, Obj] = {}
    for k, obj in live.items():
        raw = obj["metadata"].get("annotations", {}).get(LAST_APPLIED)
        if raw is not None:
            assert raw.endswith("\n"), k
            last[k] = json.loads(raw)
    for k in pairs:
        assert k in last, f"{k}: no last-applied annotation"
        if k not in STALE_LAST_APPLIED:
            want = with_namespace(desired[k], k[2])
            assert last[k] == want, f"{k}: last-applied != Git"

    found: dict[Key, set[str]] = {}
    for k in sorted(pairs):
        want = as_stored(with_namespace(desired[k], k[2]))
        paths = drift(want, live[k], as_stored(last[k]))
        if paths:
            found[k] = paths
    assert found == DRIFTS, f"drift mismatch: {found}"
    assert missing == MISSING, missing

    def managed(obj: Obj) -> bool:
        meta = obj["metadata"]
        marks = {**meta.get("labels", {}), **meta.get("annotations", {})}
        owned = bool(meta.get("ownerReferences"))
        return not owned and any(t in marks for t in TRACKING)

    extra = {k for k in live_only if managed(live[k])}
    assert extra == EXTRA, extra
    print(f"extra (managed): {len(extra)}  {sorted(extra)}")
    for k, paths in sorted(found.items()):
        print(f"drift {'/'.join(k)}: {', '.join(sorted(paths))}")
    print("OK")


if __name__ == "__main__":
    main()
