"""Small desired/live pairs that ask the engine one question each.

`respelled_quantities()` holds every quantity spelling the generator may write in Git,
at every place it writes quantities, next to the live objects the server would store
(canonical form). An engine that equates quantities by value finds no drift in it.
"""

from __future__ import annotations

import random
from typing import Any

from benches.generator import live, quantities
from benches.generator.quantities import CPU, MEMORY, SIZE_LIMIT, STORAGE

Obj = dict[str, Any]
NAMESPACE = "probe"


def _spellings(table: dict[str, tuple[quantities.Quantity, ...]]) -> list[quantities.Quantity]:
    return [s for spellings in table.values() for s in spellings]


def _meta(name: str) -> Obj:
    return {"name": name, "namespace": NAMESPACE, "labels": {"app.kubernetes.io/name": name}}


def _pod_template(name: str) -> Obj:
    cpu, memory, size = _spellings(CPU), _spellings(MEMORY), _spellings(SIZE_LIMIT)
    containers = []
    for i in range(max(len(cpu), len(memory))):
        amount = {"cpu": cpu[i % len(cpu)], "memory": memory[i % len(memory)]}
        containers.append(
            {
                "name": f"c{i}",
                "image": f"registry.example.com/probe/{name}:1.0.0",
                "resources": {"requests": dict(amount), "limits": dict(amount)},
            }
        )
    volumes = [{"name": f"v{i}", "emptyDir": {"sizeLimit": s}} for i, s in enumerate(size)]
    init = [{**c, "name": f"init-{c['name']}"} for c in containers]
    return {
        "metadata": {"labels": {"app.kubernetes.io/name": name}},
        "spec": {"containers": containers, "initContainers": init, "volumes": volumes},
    }


def _desired() -> list[Obj]:
    selector = {"matchLabels": {"app.kubernetes.io/name": "probe"}}
    claims = [
        {
            "metadata": {"name": f"data{i}"},
            "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": s}}},
        }
        for i, s in enumerate(_spellings(STORAGE))
    ]
    objects: list[Obj] = [
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": _meta("probe"),
            "spec": {"replicas": 1, "selector": selector, "template": _pod_template("probe")},
        },
        {
            "apiVersion": "batch/v1",
            "kind": "CronJob",
            "metadata": _meta("probe-cron"),
            "spec": {
                "schedule": "0 * * * *",
                "jobTemplate": {
                    "spec": {
                        "template": {
                            **_pod_template("probe-cron"),
                            "spec": {
                                **_pod_template("probe-cron")["spec"],
                                "restartPolicy": "OnFailure",
                            },
                        }
                    }
                },
            },
        },
        {
            "apiVersion": "apps/v1",
            "kind": "StatefulSet",
            "metadata": _meta("probe-sts"),
            "spec": {
                "serviceName": "probe-sts",
                "selector": selector,
                "template": _pod_template("probe-sts"),
                "volumeClaimTemplates": claims,
            },
        },
    ]
    for i, s in enumerate(_spellings(STORAGE)):
        objects.append(
            {
                "apiVersion": "v1",
                "kind": "PersistentVolumeClaim",
                "metadata": _meta(f"claim{i}"),
                "spec": {
                    "accessModes": ["ReadWriteOnce"],
                    "resources": {"requests": {"storage": s}},
                },
            }
        )
    return objects


def respelled_quantities() -> tuple[list[Obj], list[Obj]]:
    """(desired, live): Git spellings of quantities, and what the server stores."""
    rng = random.Random("probe")
    server = live.Server(rng, live.Clock(rng))
    desired = _desired()
    return desired, [server.apply(obj, NAMESPACE)[0] for obj in desired]
