"""The desired state: what each team keeps in Git, one app at a time.

Objects are built as they were written when last applied (quantities spelled as the
team spells them, anchors shared as Python objects). Drift may later edit a copy.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from benches.generator import content, quantities
from benches.generator.quantities import CPU, MEMORY, SIZE_LIMIT, STORAGE
from benches.generator.yamltext import Octal, Style

Obj = dict[str, Any]

WORKLOAD_KINDS = ("Deployment", "StatefulSet", "DaemonSet", "CronJob", "Job")
#: Object-level labels and annotations that no selector uses: removal drift picks these.
OPTIONAL_LABELS = ("app.kubernetes.io/version", "team", "tier", "cost-center", "example.com/tier")
OPTIONAL_ANNOTATIONS = (
    "example.com/owner",
    "example.com/runbook",
    "example.com/oncall",
    "description",
    "example.com/slack-channel",
)


@dataclass
class AppPlan:
    """Where one app lives and how its team writes YAML."""

    team: str
    app: str
    namespace: str
    style: Style
    respell: bool
    # Namespaced objects leave `metadata.namespace` out (they land in `default`).
    omit_namespace: bool = False


@dataclass
class Manifest:
    """One desired object with what the later stages need to know about it."""

    obj: Obj
    file: str
    comments: list[str] = field(default_factory=list)
    # Anchor names of the dicts and lists the object shares; empty when it shares none.
    anchor_names: dict[int, str] = field(default_factory=dict)
    # Set on workloads an HPA scales: their replicas are not Git's to set.
    hpa_target: bool = False


class AppBuilder:
    """Builds the manifests of one app."""

    def __init__(self, rng: random.Random, plan: AppPlan) -> None:
        self.rng = rng
        self.plan = plan
        self.version = content.version(rng)
        self.selector: Obj = {"app.kubernetes.io/name": plan.app}
        if rng.random() < 0.4:
            self.selector["app.kubernetes.io/component"] = rng.choice(("server", "worker", "api"))
        self.manifests: list[Manifest] = []
        self.configmaps: list[str] = []
        self.secrets: list[str] = []
        self.sa_name = ""
        self.one_file = rng.random() < 0.25
        # Names of the dicts and lists shared (YAML anchors) by the object being built.
        self.pending_anchors: dict[int, str] = {}

    # -- helpers -------------------------------------------------------------------

    def num(self, n: int) -> int | float:
        """An integer, now and then written as an integer-valued float (`2.0`)."""
        return float(n) if self.rng.random() < 0.04 else n

    def file(self, name: str) -> str:
        return "all.yaml" if self.one_file else name

    def labels(self) -> Obj:
        labels: Obj = dict(self.selector)
        labels["app.kubernetes.io/part-of"] = self.plan.team
        for key in OPTIONAL_LABELS:
            if self.rng.random() < 0.35:
                labels[key] = self._label_value(key)
        return labels

    def _label_value(self, key: str) -> str:
        if key == "app.kubernetes.io/version":
            return self.version
        if key == "team":
            return self.plan.team
        if key == "cost-center":
            return f"cc-{self.rng.randint(1000, 9999)}"
        return self.rng.choice(("frontend", "backend", "data", "batch"))

    def annotations(self) -> Obj:
        out: Obj = {}
        for key in OPTIONAL_ANNOTATIONS:
            if self.rng.random() < 0.25:
                if key == "description":
                    out[key] = content.description(self.rng, self.plan.app, self.plan.team)
                elif key == "example.com/runbook":
                    out[key] = f"https://runbooks.example.com/{self.plan.team}/{self.plan.app}"
                else:
                    out[key] = f"{self.plan.team}-{content.word(self.rng)}"
        return out

    def metadata(self, name: str, *, namespaced: bool = True) -> Obj:
        meta: Obj = {"name": name}
        if namespaced and not (self.plan.omit_namespace and self.rng.random() < 0.7):
            meta["namespace"] = self.plan.namespace
        meta["labels"] = self.labels()
        annotations = self.annotations()
        if annotations:
            meta["annotations"] = annotations
        return meta

    def add(self, obj: Obj, file: str, comments: list[str] | None = None) -> Manifest:
        m = Manifest(
            obj=obj,
            file=self.file(file),
            comments=comments or [],
            anchor_names=dict(self.pending_anchors),
        )
        self.pending_anchors.clear()
        self.manifests.append(m)
        return m

    # -- pod templates -------------------------------------------------------------

    def resources(self, heavy: bool) -> Obj:
        rng, respell = self.rng, self.plan.respell
        cpu_choices = (
            ("500m", "1", "1500m", "2", "4") if heavy else ("50m", "100m", "200m", "250m", "500m")
        )
        mem_choices = (
            ("1Gi", "1536Mi", "2Gi", "4Gi", "8Gi", "1G")
            if heavy
            else ("64Mi", "128Mi", "256Mi", "384Mi", "512Mi", "500M")
        )
        cpu_req = quantities.pick(rng, CPU, cpu_choices)
        mem_req = quantities.pick(rng, MEMORY, mem_choices)
        requests = {
            "cpu": quantities.spell(rng, CPU, cpu_req, respell),
            "memory": quantities.spell(rng, MEMORY, mem_req, respell),
        }
        out: Obj = {"requests": requests}
        if rng.random() < 0.85:
            # Limits at or above the request, in the tables' ascending order (the
            # decimal `500M` and `1G` close the memory table: their limit is the request).
            cpu_keys = tuple(CPU)
            mem_keys = tuple(MEMORY)[:12]
            limits: Obj = {}
            if rng.random() < 0.6:
                cpu_lim = cpu_keys[
                    min(len(cpu_keys) - 1, cpu_keys.index(cpu_req) + rng.randint(0, 3))
                ]
                limits["cpu"] = quantities.spell(rng, CPU, cpu_lim, respell)
            if mem_req in mem_keys:
                mem_lim = mem_keys[
                    min(len(mem_keys) - 1, mem_keys.index(mem_req) + rng.randint(0, 2))
                ]
            else:
                mem_lim = mem_req
            limits["memory"] = quantities.spell(rng, MEMORY, mem_lim, respell)
            out["limits"] = limits
        if rng.random() < 0.5:
            return {"limits": out["limits"], "requests": requests} if "limits" in out else out
        return out

    def env(self, count: int) -> list[Obj]:
        rng = self.rng
        names = rng.sample(content.ENV_NAMES, k=min(count, len(content.ENV_NAMES)))
        out: list[Obj] = []
        for name in names:
            r = rng.random()
            if r < 0.75 or not (self.configmaps or self.secrets):
                out.append(
                    {
                        "name": name,
                        "value": content.env_value(rng, name, self.plan.team, self.plan.app),
                    }
                )
            elif r < 0.85 and self.secrets:
                out.append(
                    {
                        "name": name,
                        "valueFrom": {
                            "secretKeyRef": {"name": rng.choice(self.secrets), "key": name.lower()}
                        },
                    }
                )
            elif r < 0.93 and self.configmaps:
                out.append(
                    {
                        "name": name,
                        "valueFrom": {
                            "configMapKeyRef": {
                                "name": rng.choice(self.configmaps),
                                "key": name.lower(),
                                **({"optional": True} if rng.random() < 0.3 else {}),
                            }
                        },
                    }
                )
            else:
                out.append(
                    {
                        "name": name,
                        "valueFrom": {
                            "fieldRef": {
                                "fieldPath": rng.choice(
                                    (
                                        "metadata.name",
                                        "metadata.namespace",
                                        "status.podIP",
                                        "spec.nodeName",
                                    )
                                )
                            }
                        },
                    }
                )
        if rng.random() < 0.3:
            out.append(
                {"name": "POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}
            )
        return out

    def probe(self, port: str | int) -> Obj:
        rng = self.rng
        r = rng.random()
        if r < 0.6:
            probe: Obj = {
                "httpGet": {
                    "path": rng.choice(("/healthz", "/readyz", "/livez", "/health")),
                    "port": port,
                }
            }
        elif r < 0.85:
            probe = {"tcpSocket": {"port": port}}
        else:
            probe = {"exec": {"command": ["/bin/sh", "-c", f"test -f /tmp/{self.plan.app}.ready"]}}
        if rng.random() < 0.6:
            probe["initialDelaySeconds"] = self.num(rng.choice((3, 5, 10, 15, 30)))
        if rng.random() < 0.4:
            probe["periodSeconds"] = self.num(rng.choice((5, 10, 15, 20)))
        if rng.random() < 0.2:
            probe["failureThreshold"] = self.num(rng.choice((3, 5, 6)))
        return probe

    def container(self, name: str, *, main: bool, heavy: bool, ports: bool) -> Obj:
        rng = self.rng
        c: Obj = {"name": name}
        c["image"] = (
            content.image(rng, self.plan.team, self.plan.app)
            if main
            else content.image(rng, "platform", name)
        )
        if rng.random() < 0.15:
            c["imagePullPolicy"] = rng.choice(("Always", "IfNotPresent"))
        if rng.random() < 0.45:
            c["args"] = [
                f"--{content.word(rng)}={rng.randint(1, 100)}" for _ in range(rng.randint(1, 5))
            ]
        if rng.random() < 0.1:
            c["command"] = ["/usr/local/bin/" + self.plan.app]
        port_names: list[str] = []
        if ports:
            c["ports"] = []
            used: set[int] = set()
            for pname in rng.sample(("http", "grpc", "metrics", "admin"), k=rng.randint(1, 3)):
                number = rng.choice((8080, 8081, 9090, 9102, 50051, 3000, 8443, 9000))
                while number in used:
                    number += 1
                used.add(number)
                item: Obj = {"name": pname, "containerPort": number}
                if rng.random() < 0.1:
                    item["protocol"] = "TCP"
                c["ports"].append(item)
                port_names.append(pname)
        if main:
            count = rng.choice((0, 3, 4, 6, 8, 10, 12, 14, 18, 24))
            env = self.env(count)
            if env:
                c["env"] = env
            if self.configmaps and rng.random() < 0.4:
                c["envFrom"] = [{"configMapRef": {"name": rng.choice(self.configmaps)}}]
        elif rng.random() < 0.5:
            c["env"] = self.env(rng.randint(1, 3))
        if port_names and rng.random() < 0.8:
            c["readinessProbe"] = self.probe(port_names[0])
            if rng.random() < 0.6:
                c["livenessProbe"] = self.probe(port_names[0])
            if rng.random() < 0.2:
                c["startupProbe"] = self.probe(port_names[0])
        if main and rng.random() < 0.3:
            c["lifecycle"] = {
                "preStop": {
                    "exec": {"command": ["/bin/sh", "-c", f"sleep {rng.choice((5, 10, 15))}"]}
                }
            }
        c["resources"] = self.resources(heavy)
        if rng.random() < 0.6:
            sc: Obj = {"allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}}
            if rng.random() < 0.5:
                sc["readOnlyRootFilesystem"] = True
            c["securityContext"] = sc
        return c

    def pod_spec(self, kind: str) -> Obj:
        rng, plan = self.rng, self.plan
        spec: Obj = {}
        if self.sa_name:
            spec["serviceAccountName"] = self.sa_name
        heavy = rng.random() < 0.2
        serves = kind in ("Deployment", "StatefulSet", "DaemonSet")
        containers = [
            self.container(
                plan.app.split("-")[0] if rng.random() < 0.5 else "app",
                main=True,
                heavy=heavy,
                ports=serves,
            )
        ]
        for sidecar in ("log-shipper", "envoy", "statsd", "oauth-proxy"):
            if rng.random() < 0.12:
                containers.append(
                    self.container(
                        sidecar, main=False, heavy=False, ports=serves and rng.random() < 0.5
                    )
                )
        if len(containers) > 1 and rng.random() < 0.3 and "env" in containers[0]:
            # Shared env through a YAML anchor.
            for c in containers[1:]:
                c["env"] = containers[0]["env"]
            self.pending_anchors[id(containers[0]["env"])] = "common-env"
        volumes: list[Obj] = []
        mounts: list[list[Obj]] = [[] for _ in containers]
        if self.configmaps and rng.random() < 0.6:
            source: Obj = {"name": rng.choice(self.configmaps)}
            if rng.random() < 0.2:
                source["defaultMode"] = Octal(rng.choice((0o644, 0o444, 0o755)))
            volumes.append({"name": "config", "configMap": source})
            mounts[0].append({"name": "config", "mountPath": f"/etc/{plan.app}", "readOnly": True})
        if self.secrets and rng.random() < 0.4:
            vol: Obj = {"name": "secrets", "secret": {"secretName": rng.choice(self.secrets)}}
            if rng.random() < 0.3:
                vol["secret"]["defaultMode"] = Octal(0o400) if rng.random() < 0.7 else 0o400
            volumes.append(vol)
            mounts[0].append(
                {"name": "secrets", "mountPath": "/var/run/secrets/app", "readOnly": True}
            )
        if rng.random() < 0.5:
            empty: Obj = {}
            if rng.random() < 0.5:
                empty["sizeLimit"] = quantities.spell(
                    rng, SIZE_LIMIT, quantities.pick(rng, SIZE_LIMIT), plan.respell
                )
            volumes.append({"name": "tmp", "emptyDir": empty})
            for m in mounts:
                m.append({"name": "tmp", "mountPath": "/tmp"})
        if kind == "DaemonSet":
            volumes.append({"name": "host-proc", "hostPath": {"path": "/proc"}})
            mounts[0].append({"name": "host-proc", "mountPath": "/host/proc", "readOnly": True})
        for c, m in zip(containers, mounts):
            if m:
                c["volumeMounts"] = m
        spec["containers"] = containers
        if rng.random() < 0.15:
            spec["initContainers"] = [
                {
                    "name": "migrate",
                    "image": containers[0]["image"],
                    "args": ["migrate", "--up"],
                    "resources": self.resources(False),
                }
            ]
        if volumes:
            spec["volumes"] = volumes
        if rng.random() < 0.5:
            psc: Obj = {
                "runAsNonRoot": True,
                "runAsUser": self.num(rng.choice((1000, 10001, 65532))),
            }
            if rng.random() < 0.5:
                psc["seccompProfile"] = {"type": "RuntimeDefault"}
            if rng.random() < 0.3:
                psc["fsGroup"] = 2000
            spec["securityContext"] = psc
        if rng.random() < 0.25:
            spec["terminationGracePeriodSeconds"] = self.num(rng.choice((10, 30, 60, 120)))
        if rng.random() < 0.2:
            spec["nodeSelector"] = {
                "kubernetes.io/os": "linux",
                "node.example.com/pool": rng.choice(("general", "memory", "batch")),
            }
        if rng.random() < 0.15 or kind == "DaemonSet":
            spec["tolerations"] = [
                {
                    "key": "dedicated",
                    "operator": "Equal",
                    "value": rng.choice(("batch", "infra")),
                    "effect": "NoSchedule",
                }
            ]
        if kind in ("Deployment", "StatefulSet") and rng.random() < 0.3:
            spec["affinity"] = {
                "podAntiAffinity": {
                    "preferredDuringSchedulingIgnoredDuringExecution": [
                        {
                            "weight": 100,
                            "podAffinityTerm": {
                                "topologyKey": "kubernetes.io/hostname",
                                "labelSelector": {"matchLabels": dict(self.selector)},
                            },
                        }
                    ]
                }
            }
        if kind == "Deployment" and rng.random() < 0.15:
            spec["topologySpreadConstraints"] = [
                {
                    "maxSkew": 1,
                    "topologyKey": "topology.kubernetes.io/zone",
                    "whenUnsatisfiable": "ScheduleAnyway",
                    "labelSelector": {"matchLabels": dict(self.selector)},
                }
            ]
        if rng.random() < 0.1:
            spec["imagePullSecrets"] = [{"name": "registry-credentials"}]
        if rng.random() < 0.05:
            spec["priorityClassName"] = rng.choice(("high-priority", "batch-low"))
        return spec

    def template(self, kind: str, anchor: Obj | None) -> Obj:
        meta: Obj = {"labels": anchor if anchor is not None else dict(self.selector)}
        if self.rng.random() < 0.3:
            meta["annotations"] = {
                "prometheus.io/scrape": "true",
                "prometheus.io/port": str(self.rng.choice((9090, 9102))),
            }
        return {"metadata": meta, "spec": self.pod_spec(kind)}

    # -- kinds ---------------------------------------------------------------------

    def workload(self, kind: str, name: str) -> Manifest:
        rng = self.rng
        # Selector labels shared with the pod template through an anchor, now and then.
        shared = dict(self.selector) if rng.random() < 0.25 else None
        selector: Obj = {"matchLabels": shared if shared is not None else dict(self.selector)}
        api = "batch/v1" if kind in ("CronJob", "Job") else "apps/v1"
        obj: Obj = {"apiVersion": api, "kind": kind, "metadata": self.metadata(name)}
        spec: Obj = {}
        if kind in ("Deployment", "StatefulSet"):
            if rng.random() < 0.85:
                spec["replicas"] = self.num(rng.choice((1, 2, 2, 3, 3, 4, 6)))
            if kind == "StatefulSet":
                spec["serviceName"] = name
            spec["selector"] = selector
            if kind == "Deployment" and rng.random() < 0.3:
                spec["strategy"] = rng.choice(
                    (
                        {"type": "Recreate"},
                        {
                            "type": "RollingUpdate",
                            "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0},
                        },
                        {
                            "type": "RollingUpdate",
                            "rollingUpdate": {"maxSurge": "50%", "maxUnavailable": "0%"},
                        },
                    )
                )
            if rng.random() < 0.1:
                spec["revisionHistoryLimit"] = self.num(rng.choice((3, 5)))
            if rng.random() < 0.1 and kind == "Deployment":
                spec["minReadySeconds"] = 10
            spec["template"] = self.template(kind, shared)
            if kind == "StatefulSet":
                vct: list[Obj] = []
                for claim in rng.sample(("data", "wal", "cache"), k=rng.randint(1, 2)):
                    cspec: Obj = {"accessModes": ["ReadWriteOnce"]}
                    if rng.random() < 0.7:
                        cspec["storageClassName"] = rng.choice(("fast-ssd", "standard", "gp3"))
                    cspec["resources"] = {
                        "requests": {
                            "storage": quantities.spell(
                                rng, STORAGE, quantities.pick(rng, STORAGE), self.plan.respell
                            )
                        }
                    }
                    vct.append({"metadata": {"name": claim}, "spec": cspec})
                    mount = {"name": claim, "mountPath": f"/var/lib/{claim}"}
                    spec["template"]["spec"]["containers"][0].setdefault("volumeMounts", []).append(
                        mount
                    )
                spec["volumeClaimTemplates"] = vct
        elif kind == "DaemonSet":
            spec["selector"] = selector
            spec["template"] = self.template(kind, shared)
            if rng.random() < 0.3:
                spec["updateStrategy"] = {
                    "type": "RollingUpdate",
                    "rollingUpdate": {"maxUnavailable": "10%"},
                }
        elif kind == "CronJob":
            spec["schedule"] = rng.choice(
                ("*/5 * * * *", "0 * * * *", "15 2 * * *", "0 3 * * 0", "30 */6 * * *")
            )
            if rng.random() < 0.6:
                spec["concurrencyPolicy"] = rng.choice(("Forbid", "Replace"))
            if rng.random() < 0.4:
                spec["startingDeadlineSeconds"] = self.num(600)
            template = self.template(kind, None)
            template["spec"]["restartPolicy"] = rng.choice(("OnFailure", "Never"))
            job: Obj = {"template": template}
            if rng.random() < 0.5:
                job = {"backoffLimit": self.num(rng.choice((0, 2, 3))), **job}
            if rng.random() < 0.4:
                job = {"activeDeadlineSeconds": self.num(3600), **job}
            spec["jobTemplate"] = {"spec": job}
        else:  # Job
            template = self.template(kind, None)
            template["spec"]["restartPolicy"] = "Never"
            if rng.random() < 0.5:
                spec["backoffLimit"] = self.num(rng.choice((0, 1, 4)))
            spec["template"] = template
        obj["spec"] = spec
        file = {
            "Deployment": "deployment.yaml",
            "StatefulSet": "statefulset.yaml",
            "DaemonSet": "daemonset.yaml",
            "CronJob": "cronjob.yaml",
            "Job": "job.yaml",
        }[kind]
        comments = []
        if rng.random() < 0.3:
            comments.append(
                f"{name}: owned by {self.plan.team}; see the team's runbook before scaling."
            )
        if shared is not None:
            self.pending_anchors[id(shared)] = f"{name}-selector"
        return self.add(obj, file, comments)

    def service(self, workload: Obj) -> None:
        rng = self.rng
        name = workload["metadata"]["name"]
        container = workload["spec"]["template"]["spec"]["containers"][0]
        spec: Obj = {}
        kind = workload["kind"]
        if kind == "StatefulSet":
            spec["clusterIP"] = "None"
        elif rng.random() < 0.1:
            spec["type"] = rng.choice(("NodePort", "LoadBalancer"))
        spec["selector"] = dict(self.selector)
        ports: list[Obj] = []
        for p in container.get("ports", [])[:3]:
            item: Obj = {
                "name": p["name"],
                "port": 80 if p["name"] == "http" else p["containerPort"],
            }
            r = rng.random()
            if r < 0.5:
                item["targetPort"] = p["name"]
            elif r < 0.8 or item["port"] != p["containerPort"]:
                item["targetPort"] = self.num(p["containerPort"])
            if rng.random() < 0.1:
                item["protocol"] = "TCP"
            ports.append(item)
        if not ports:
            ports = [{"name": "http", "port": 80, "targetPort": 8080}]
        spec["ports"] = ports
        obj = {"apiVersion": "v1", "kind": "Service", "metadata": self.metadata(name), "spec": spec}
        self.add(obj, "service.yaml" if rng.random() < 0.5 else self._workload_file(kind))

    def _workload_file(self, kind: str) -> str:
        return {
            "Deployment": "deployment.yaml",
            "StatefulSet": "statefulset.yaml",
            "DaemonSet": "daemonset.yaml",
        }.get(kind, "service.yaml")

    def configmap(self, name: str) -> None:
        rng = self.rng
        data: Obj = {}
        for key in rng.sample(content.ENV_NAMES, k=rng.randint(1, 6)):
            data[key.lower()] = content.env_value(rng, key, self.plan.team, self.plan.app)
        r = rng.random()
        if r < 0.55:
            target = int(rng.lognormvariate(7.3, 0.8))
        elif r < 0.97:
            target = int(rng.lognormvariate(9.2, 0.6))
        else:
            target = min(200_000, int(20_000 * rng.paretovariate(1.1)))
        files = 1 if target < 4000 else rng.randint(1, 3)
        for _ in range(files):
            fname, text = content.config_file(rng, self.plan.app, max(200, target // files))
            while fname in data:
                fname = "extra-" + fname
            data[fname] = text
        obj: Obj = {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": self.metadata(name),
            "data": data,
        }
        self.add(obj, "configmap.yaml")

    def secret(self, name: str) -> None:
        rng = self.rng
        obj: Obj = {"apiVersion": "v1", "kind": "Secret", "metadata": self.metadata(name)}
        r = rng.random()
        if r < 0.15:
            obj["type"] = "kubernetes.io/tls"
            values = {
                "tls.crt": content.pem(rng, "CERTIFICATE", 18),
                "tls.key": content.pem(rng, "PRIVATE KEY", 25),
            }
        else:
            if rng.random() < 0.7:
                obj["type"] = "Opaque"
            values = {
                k.lower(): content.secret_value(rng)
                for k in rng.sample(content.ENV_NAMES, k=rng.randint(1, 5))
            }
        if rng.random() < 0.5:
            obj["stringData"] = values
        else:
            obj["data"] = {k: content.b64(v) for k, v in values.items()}
        self.add(obj, "secret.yaml")

    def service_account(self) -> None:
        obj: Obj = {
            "apiVersion": "v1",
            "kind": "ServiceAccount",
            "metadata": self.metadata(self.sa_name),
        }
        if self.rng.random() < 0.2:
            obj["automountServiceAccountToken"] = False
        if self.rng.random() < 0.1:
            obj["imagePullSecrets"] = [{"name": "registry-credentials"}]
        self.add(obj, "rbac.yaml")

    def rules(self) -> list[Obj]:
        rng = self.rng
        out = [
            {
                "apiGroups": [""],
                "resources": rng.sample(("configmaps", "secrets", "pods", "services"), k=2),
                "verbs": ["get", "list", "watch"],
            }
        ]
        if rng.random() < 0.5:
            out.append(
                {
                    "apiGroups": ["coordination.k8s.io"],
                    "resources": ["leases"],
                    "verbs": ["get", "create", "update"],
                }
            )
        if rng.random() < 0.3:
            out.append(
                {
                    "apiGroups": ["apps"],
                    "resources": ["deployments"],
                    "resourceNames": [self.plan.app],
                    "verbs": ["get", "patch"],
                }
            )
        return out

    def rbac(self) -> None:
        name = f"{self.plan.app}-{self.rng.choice(('reader', 'leader-election', 'operator'))}"
        role: Obj = {
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "Role",
            "metadata": self.metadata(name),
            "rules": self.rules(),
        }
        self.add(role, "rbac.yaml")
        binding: Obj = {
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "RoleBinding",
            "metadata": self.metadata(name),
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": name},
            "subjects": [
                {
                    "kind": "ServiceAccount",
                    "name": self.sa_name or "default",
                    "namespace": self.plan.namespace,
                }
            ],
        }
        self.add(binding, "rbac.yaml")

    def cluster_role(self) -> None:
        name = f"{self.plan.team}-{self.plan.app}-aggregate"
        obj: Obj = {
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "ClusterRole",
            "metadata": self.metadata(name, namespaced=False),
            "rules": self.rules(),
        }
        if self.rng.random() < 0.5:
            obj["metadata"]["labels"]["rbac.authorization.k8s.io/aggregate-to-view"] = "true"
        self.add(obj, "rbac.yaml")

    def hpa(self, target: Manifest) -> None:
        rng = self.rng
        name = target.obj["metadata"]["name"]
        low = rng.choice((1, 2, 3))
        spec: Obj = {
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": target.obj["kind"], "name": name},
            "minReplicas": self.num(low),
            "maxReplicas": self.num(low + rng.choice((2, 4, 8, 16))),
            "metrics": [
                {
                    "type": "Resource",
                    "resource": {
                        "name": "cpu",
                        "target": {
                            "type": "Utilization",
                            "averageUtilization": rng.choice((60, 70, 75, 80)),
                        },
                    },
                }
            ],
        }
        if rng.random() < 0.3:
            spec["metrics"].append(
                {
                    "type": "Resource",
                    "resource": {
                        "name": "memory",
                        "target": {"type": "Utilization", "averageUtilization": 80},
                    },
                }
            )
        if rng.random() < 0.2:
            spec["behavior"] = {"scaleDown": {"stabilizationWindowSeconds": 600}}
        obj: Obj = {
            "apiVersion": "autoscaling/v2",
            "kind": "HorizontalPodAutoscaler",
            "metadata": self.metadata(name),
            "spec": spec,
        }
        self.add(obj, "hpa.yaml")
        target.hpa_target = True
        target.obj["spec"].pop("replicas", None)

    def pdb(self, name: str) -> None:
        rng = self.rng
        spec: Obj = {}
        if rng.random() < 0.5:
            spec["minAvailable"] = rng.choice((1, "50%"))
        else:
            spec["maxUnavailable"] = rng.choice((1, "25%"))
        spec["selector"] = {"matchLabels": dict(self.selector)}
        obj: Obj = {
            "apiVersion": "policy/v1",
            "kind": "PodDisruptionBudget",
            "metadata": self.metadata(name),
            "spec": spec,
        }
        self.add(obj, "pdb.yaml")

    def network_policy(self, ports: list[int]) -> None:
        rng = self.rng
        spec: Obj = {"podSelector": {"matchLabels": dict(self.selector)}}
        if rng.random() < 0.7:
            spec["policyTypes"] = ["Ingress"] if rng.random() < 0.6 else ["Ingress", "Egress"]
        rule: Obj = {
            "from": [
                {
                    "namespaceSelector": {
                        "matchLabels": {
                            "kubernetes.io/metadata.name": rng.choice(
                                ("ingress-nginx", "monitoring", self.plan.namespace)
                            )
                        }
                    }
                }
            ]
        }
        if ports:
            rule["ports"] = [
                {"port": p} if rng.random() < 0.6 else {"protocol": "TCP", "port": p}
                for p in ports[:2]
            ]
        spec["ingress"] = [rule]
        if "Egress" in spec.get("policyTypes", []):
            spec["egress"] = [{"to": [{"ipBlock": {"cidr": "10.0.0.0/8"}}]}]
        obj: Obj = {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "NetworkPolicy",
            "metadata": self.metadata(f"{self.plan.app}-ingress"),
            "spec": spec,
        }
        self.add(obj, "networkpolicy.yaml")

    def ingress(self, name: str) -> None:
        rng = self.rng
        host = f"{self.plan.app}.{self.plan.team}.example.com"
        paths = [
            {
                "path": p,
                "pathType": "Prefix",
                "backend": {
                    "service": {
                        "name": name,
                        "port": {"name": "http"} if rng.random() < 0.5 else {"number": 80},
                    }
                },
            }
            for p in (["/"] if rng.random() < 0.6 else ["/", "/api", f"/{content.word(rng)}"])
        ]
        spec: Obj = {
            "ingressClassName": rng.choice(("nginx", "internal")),
            "rules": [{"host": host, "http": {"paths": paths}}],
        }
        if rng.random() < 0.6:
            spec["tls"] = [{"hosts": [host], "secretName": f"{name}-tls"}]
        meta = self.metadata(name)
        if rng.random() < 0.5:
            meta.setdefault("annotations", {})["nginx.ingress.kubernetes.io/proxy-body-size"] = "8m"
        obj: Obj = {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "Ingress",
            "metadata": meta,
            "spec": spec,
        }
        self.add(obj, "ingress.yaml")

    def pvc(self, name: str) -> None:
        rng = self.rng
        spec: Obj = {"accessModes": [rng.choice(("ReadWriteOnce", "ReadWriteMany"))]}
        if rng.random() < 0.6:
            spec["storageClassName"] = rng.choice(("fast-ssd", "standard", "efs"))
        spec["resources"] = {
            "requests": {
                "storage": quantities.spell(
                    rng, STORAGE, quantities.pick(rng, STORAGE), self.plan.respell
                )
            }
        }
        obj: Obj = {
            "apiVersion": "v1",
            "kind": "PersistentVolumeClaim",
            "metadata": self.metadata(name),
            "spec": spec,
        }
        self.add(obj, "pvc.yaml")

    # -- the app -------------------------------------------------------------------

    def build(self, shape: Shape) -> list[Manifest]:
        app = self.plan.app
        self.sa_name = app if shape.service_account else ""
        suffixes = ("config", "env", "files", "dashboards")
        self.configmaps = [f"{app}-{s}" for s in suffixes[: shape.configmaps]]
        self.secrets = [f"{app}-{s}" for s in ("credentials", "tls", "tokens")[: shape.secrets]]
        for name in self.configmaps:
            self.configmap(name)
        for name in self.secrets:
            self.secret(name)
        if self.sa_name:
            self.service_account()
        if shape.rbac:
            self.rbac()
        if shape.cluster_role:
            self.cluster_role()
        first = self.workload(shape.kind, app)
        if shape.worker:
            self.workload("Deployment", f"{app}-worker")
        if shape.service:
            self.service(first.obj)
        if shape.hpa:
            self.hpa(first)
        if shape.ingress:
            self.ingress(app)
        if shape.pvc:
            self.pvc(f"{app}-data")
        if shape.pdb:
            self.pdb(app)
        if shape.network_policy:
            ports = [
                p["containerPort"]
                for p in first.obj["spec"]
                .get("template", {})
                .get("spec", {})
                .get("containers", [{}])[0]
                .get("ports", [])
            ]
            self.network_policy(ports)
        return self.manifests


@dataclass(frozen=True)
class Shape:
    """Which objects an app has: drawn apart from their content, so that a corpus plan
    can count objects without building them."""

    configmaps: int
    secrets: int
    service_account: bool
    rbac: bool
    cluster_role: bool
    kind: str
    worker: bool
    service: bool
    hpa: bool
    ingress: bool
    pvc: bool
    pdb: bool
    network_policy: bool

    @property
    def count(self) -> int:
        flags = (
            self.service_account,
            self.cluster_role,
            self.worker,
            self.service,
            self.hpa,
            self.ingress,
            self.pvc,
            self.pdb,
            self.network_policy,
        )
        return self.configmaps + self.secrets + 2 * self.rbac + 1 + sum(flags)


def app_shape(rng: random.Random) -> Shape:
    kind = rng.choices(WORKLOAD_KINDS, weights=(60, 12, 5, 15, 8))[0]
    deployment = kind == "Deployment"
    return Shape(
        configmaps=rng.choice((1, 1, 1, 2, 2, 3)),
        secrets=rng.choice((0, 1, 1, 2)),
        service_account=rng.random() < 0.8,
        rbac=rng.random() < 0.5,
        cluster_role=rng.random() < 0.05,
        kind=kind,
        worker=deployment and rng.random() < 0.25,
        service=kind in ("Deployment", "StatefulSet", "DaemonSet"),
        hpa=deployment and rng.random() < 0.3,
        ingress=deployment and rng.random() < 0.3,
        pvc=deployment and rng.random() < 0.12,
        pdb=kind in ("Deployment", "StatefulSet") and rng.random() < 0.4,
        network_policy=rng.random() < 0.5,
    )


def namespace_manifest(rng: random.Random, team: str, namespace: str) -> Manifest:
    labels: Obj = {"team": team}
    if rng.random() < 0.7:
        labels["pod-security.kubernetes.io/enforce"] = rng.choice(("baseline", "restricted"))
    if rng.random() < 0.3:
        labels["istio-injection"] = "enabled"
    meta: Obj = {"name": namespace, "labels": labels}
    if rng.random() < 0.3:
        meta["annotations"] = {"example.com/owner": f"{team}@example.com"}
    return Manifest(
        obj={"apiVersion": "v1", "kind": "Namespace", "metadata": meta}, file="namespaces.yaml"
    )


def build_app(rng: random.Random, plan: AppPlan, shape: Shape) -> list[Manifest]:
    """The app's manifests in `shape`, in the order a plan counts them."""
    return AppBuilder(rng, plan).build(shape)
