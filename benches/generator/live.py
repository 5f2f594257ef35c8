"""The live state: what the API server holds after `kubectl apply` of the desired
objects, some weeks later, as `kubectl get -A -o json` prints it.

The server fills in defaults, stores quantities in canonical form and Secret
`stringData` as base64 `data`, records the last-applied configuration and managed
fields, and controllers add status, annotations and objects of their own (ReplicaSets,
Pods, Jobs, EndpointSlices, claims). None of that is drift.
"""

from __future__ import annotations

import base64
import json
import random
import uuid
from collections.abc import Iterator
from typing import Any

from benches.generator import content, quantities

Obj = dict[str, Any]

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
TRACKING_ID = "argocd.argoproj.io/tracking-id"
INSTANCE_LABEL = "app.kubernetes.io/instance"
# The API server refuses more than this many bytes of annotations, so `kubectl apply`
# cannot record the last-applied configuration of larger objects.
MAX_ANNOTATION_BYTES = 262_144

#: How objects get applied: client-side by kubectl or Argo CD, server-side by Flux.
TOOLS = ("kubectl", "argocd", "flux")
CLUSTER_SCOPED = frozenset(
    {
        "Namespace",
        "ClusterRole",
        "ClusterRoleBinding",
        "PriorityClass",
        "StorageClass",
        "CustomResourceDefinition",
        "PersistentVolume",
        "Node",
    }
)
POD_WORKLOADS = ("Deployment", "StatefulSet", "DaemonSet", "CronJob", "Job")
ROOT_CA = content.pem(random.Random("cluster-ca"), "CERTIFICATE", 16)


def group_of(api_version: str) -> str:
    return api_version.rsplit("/", 1)[0] if "/" in api_version else ""


def pod_spec_path(kind: str) -> tuple[str, ...]:
    """Where a workload keeps its pod spec."""
    if kind == "CronJob":
        return ("spec", "jobTemplate", "spec", "template", "spec")
    return ("spec", "template", "spec")


def get_path(obj: Obj, path: tuple[str, ...]) -> Any:
    node: Any = obj
    for step in path:
        node = node[step]
    return node


def _int_if_whole(text: str) -> int | float:
    value = float(text)
    return int(value) if value.is_integer() else value


def applied_form(obj: Obj) -> Obj:
    """The object as `kubectl apply` sends it: YAML converted to JSON, where a number
    with a zero fraction (`2.0`) is an integer. A fresh tree, sharing nothing."""
    result: Obj = json.loads(json.dumps(obj), parse_float=_int_if_whole)
    return result


class Clock:
    """Deterministic timestamps of one app's life: created, then touched later."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.created_day = rng.randint(0, 40)

    def stamp(self, later: bool = False) -> str:
        day = self.created_day + (self.rng.randint(1, 30) if later else 0)
        month, mday = (3, day + 1) if day < 31 else (4, day - 30)
        if month == 4 and mday > 30:
            month, mday = 5, mday - 30
        h, m, s = self.rng.randint(0, 23), self.rng.randint(0, 59), self.rng.randint(0, 59)
        return f"2025-{month:02d}-{mday:02d}T{h:02d}:{m:02d}:{s:02d}Z"


def new_uid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def pod_hash(rng: random.Random, length: int = 10) -> str:
    return content.token(rng, length, "bcdfghjklmnpqrstvwxz2456789")


# -- managed fields ----------------------------------------------------------------


def _list_key(field: str, parent: str, kind: str, item: Any) -> Obj | None:
    if not isinstance(item, dict):
        return None
    names: tuple[str, ...]
    if field in ("containers", "initContainers", "env", "volumes", "imagePullSecrets"):
        names = ("name",)
    elif field == "volumeMounts":
        names = ("mountPath",)
    elif field == "ports" and parent in ("containers", "initContainers"):
        names = ("containerPort", "protocol")
    elif field == "ports" and kind == "Service":
        names = ("port", "protocol")
    else:
        return None
    return {n: item.get(n, "TCP" if n == "protocol" else None) for n in names}


def fields_v1(node: Any, kind: str, field: str = "", parent: str = "") -> Obj:
    """The `fieldsV1` set of a tree: `f:` for fields, `k:` for keyed list items."""
    out: Obj = {}
    if isinstance(node, dict):
        for key, value in node.items():
            sub = fields_v1(value, kind, key, field)
            if isinstance(value, dict) and value:
                out["f:" + key] = {".": {}, **sub}
            else:
                out["f:" + key] = sub
    elif isinstance(node, list):
        for item in node:
            key = _list_key(field, parent, kind, item)
            if key is None:
                return {}
            out["k:" + json.dumps(key, separators=(",", ":"), sort_keys=True)] = {
                ".": {},
                **fields_v1(item, kind, field, parent),
            }
    return out


def managed_entry(
    manager: str,
    api_version: str,
    fields: Obj,
    time: str,
    operation: str = "Update",
    subresource: str | None = None,
) -> Obj:
    entry: Obj = {
        "apiVersion": api_version,
        "fieldsType": "FieldsV1",
        "fieldsV1": fields,
        "manager": manager,
        "operation": operation,
    }
    if subresource:
        entry["subresource"] = subresource
    entry["time"] = time
    return entry


# -- defaults the API server fills in -----------------------------------------------

_QUANTITY_FIELDS = ("limits", "requests")


def _canonical_resources(resources: Obj) -> None:
    for part in _QUANTITY_FIELDS:
        values = resources.get(part)
        if isinstance(values, dict):
            for name, value in values.items():
                values[name] = quantities.canonical(value)


def _default_probe(probe: Obj) -> None:
    probe.setdefault("failureThreshold", 3)
    probe.setdefault("periodSeconds", 10)
    probe.setdefault("successThreshold", 1)
    probe.setdefault("timeoutSeconds", 1)
    if "httpGet" in probe:
        probe["httpGet"].setdefault("scheme", "HTTP")


def _default_container(c: Obj) -> None:
    image = c.get("image", "")
    tag = image.rsplit("/", 1)[-1].partition(":")[2]
    c.setdefault("imagePullPolicy", "Always" if tag in ("", "latest") else "IfNotPresent")
    c.setdefault("terminationMessagePath", "/dev/termination-log")
    c.setdefault("terminationMessagePolicy", "File")
    c.setdefault("resources", {})
    _canonical_resources(c["resources"])
    for port in c.get("ports", []):
        port.setdefault("protocol", "TCP")
    for env in c.get("env", []):
        field_ref = env.get("valueFrom", {}).get("fieldRef")
        if field_ref is not None:
            field_ref.setdefault("apiVersion", "v1")
    for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
        if probe in c:
            _default_probe(c[probe])


def default_pod_spec(spec: Obj, restart: str = "Always") -> None:
    for c in spec.get("containers", []) + spec.get("initContainers", []):
        _default_container(c)
    spec.setdefault("dnsPolicy", "ClusterFirst")
    spec.setdefault("restartPolicy", restart)
    spec.setdefault("schedulerName", "default-scheduler")
    spec.setdefault("securityContext", {})
    if "serviceAccountName" in spec:
        spec["serviceAccount"] = spec["serviceAccountName"]
    spec.setdefault("terminationGracePeriodSeconds", 30)
    for volume in spec.get("volumes", []):
        for source in ("configMap", "secret"):
            if source in volume:
                volume[source].setdefault("defaultMode", 420)
        if "hostPath" in volume:
            volume["hostPath"].setdefault("type", "")
        if "emptyDir" in volume and "sizeLimit" in volume["emptyDir"]:
            volume["emptyDir"]["sizeLimit"] = quantities.canonical(volume["emptyDir"]["sizeLimit"])


def _default_template(template: Obj, restart: str = "Always") -> None:
    template.setdefault("metadata", {})["creationTimestamp"] = None
    default_pod_spec(template["spec"], restart)


def _default_claim_spec(spec: Obj) -> None:
    spec.setdefault("volumeMode", "Filesystem")
    requests = spec.get("resources", {}).get("requests", {})
    if "storage" in requests:
        requests["storage"] = quantities.canonical(requests["storage"])


class Server:
    """The API server and controllers of one cluster, seen from one app."""

    def __init__(self, rng: random.Random, clock: Clock) -> None:
        self.rng = rng
        self.clock = clock

    def ip(self) -> str:
        return f"10.96.{self.rng.randint(0, 255)}.{self.rng.randint(1, 254)}"

    def defaults(self, obj: Obj) -> None:
        kind = obj["kind"]
        spec: Obj = obj.get("spec", {})
        rng = self.rng
        if kind == "Deployment":
            spec.setdefault("replicas", 1)
            spec.setdefault("progressDeadlineSeconds", 600)
            spec.setdefault("revisionHistoryLimit", 10)
            strategy = spec.setdefault("strategy", {"type": "RollingUpdate"})
            if strategy.get("type") == "RollingUpdate":
                rolling = strategy.setdefault("rollingUpdate", {})
                rolling.setdefault("maxSurge", "25%")
                rolling.setdefault("maxUnavailable", "25%")
            _default_template(spec["template"])
        elif kind == "StatefulSet":
            spec.setdefault("replicas", 1)
            spec.setdefault("podManagementPolicy", "OrderedReady")
            spec.setdefault("revisionHistoryLimit", 10)
            spec.setdefault(
                "updateStrategy", {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}}
            )
            spec.setdefault(
                "persistentVolumeClaimRetentionPolicy",
                {"whenDeleted": "Retain", "whenScaled": "Retain"},
            )
            for claim in spec.get("volumeClaimTemplates", []):
                claim.setdefault("apiVersion", "v1")
                claim.setdefault("kind", "PersistentVolumeClaim")
                claim.setdefault("metadata", {})["creationTimestamp"] = None
                _default_claim_spec(claim["spec"])
                claim["status"] = {"phase": "Pending"}
            _default_template(spec["template"])
        elif kind == "DaemonSet":
            spec.setdefault("revisionHistoryLimit", 10)
            strategy = spec.setdefault("updateStrategy", {"type": "RollingUpdate"})
            rolling = strategy.setdefault("rollingUpdate", {})
            rolling.setdefault("maxSurge", 0)
            rolling.setdefault("maxUnavailable", 1)
            _default_template(spec["template"])
        elif kind == "CronJob":
            spec.setdefault("concurrencyPolicy", "Allow")
            spec.setdefault("failedJobsHistoryLimit", 1)
            spec.setdefault("successfulJobsHistoryLimit", 3)
            spec.setdefault("suspend", False)
            spec["jobTemplate"].setdefault("metadata", {})["creationTimestamp"] = None
            template = spec["jobTemplate"]["spec"]["template"]
            _default_template(template, template["spec"].get("restartPolicy", "Never"))
        elif kind == "Job":
            self._default_job(obj)
        elif kind == "Service":
            if spec.get("clusterIP") == "None":
                spec["clusterIPs"] = ["None"]
            else:
                address = self.ip()
                spec["clusterIP"], spec["clusterIPs"] = address, [address]
            spec.setdefault("type", "ClusterIP")
            spec.setdefault("sessionAffinity", "None")
            spec.setdefault("internalTrafficPolicy", "Cluster")
            spec.setdefault("ipFamilies", ["IPv4"])
            spec.setdefault("ipFamilyPolicy", "SingleStack")
            exposed = spec["type"] in ("NodePort", "LoadBalancer")
            if exposed:
                spec.setdefault("externalTrafficPolicy", "Cluster")
            if spec["type"] == "LoadBalancer":
                spec.setdefault("allocateLoadBalancerNodePorts", True)
            for port in spec.get("ports", []):
                port.setdefault("protocol", "TCP")
                port.setdefault("targetPort", port["port"])
                if exposed:
                    port.setdefault("nodePort", rng.randint(30000, 32767))
        elif kind == "HorizontalPodAutoscaler":
            behavior = spec.setdefault("behavior", {})
            down = behavior.setdefault("scaleDown", {})
            down.setdefault("policies", [{"periodSeconds": 15, "type": "Percent", "value": 100}])
            down.setdefault("selectPolicy", "Max")
            down.setdefault("stabilizationWindowSeconds", 300)
            up = behavior.setdefault("scaleUp", {})
            up.setdefault(
                "policies",
                [
                    {"periodSeconds": 15, "type": "Pods", "value": 4},
                    {"periodSeconds": 15, "type": "Percent", "value": 100},
                ],
            )
            up.setdefault("selectPolicy", "Max")
            up.setdefault("stabilizationWindowSeconds", 0)
        elif kind == "NetworkPolicy":
            for rule in spec.get("ingress", []) + spec.get("egress", []):
                for port in rule.get("ports", []):
                    port.setdefault("protocol", "TCP")
            if "policyTypes" not in spec:
                spec["policyTypes"] = ["Ingress"] + (["Egress"] if "egress" in spec else [])
        elif kind == "PersistentVolumeClaim":
            spec.setdefault("storageClassName", "standard")
            _default_claim_spec(spec)
            spec["volumeName"] = f"pvc-{new_uid(rng)}"
        elif kind == "Namespace":
            obj["spec"] = {"finalizers": ["kubernetes"]}
            obj["metadata"].setdefault("labels", {})["kubernetes.io/metadata.name"] = obj[
                "metadata"
            ]["name"]
        elif kind == "Secret":
            obj.setdefault("type", "Opaque")
            string_data = obj.pop("stringData", None)
            if string_data:
                data = obj.setdefault("data", {})
                for key, value in string_data.items():
                    data[key] = base64.b64encode(str(value).encode()).decode()

    def _default_job(self, obj: Obj) -> None:
        spec = obj["spec"]
        controller_uid = obj["metadata"]["uid"]
        name = obj["metadata"]["name"]
        spec.setdefault("backoffLimit", 6)
        spec.setdefault("completionMode", "NonIndexed")
        spec.setdefault("completions", 1)
        spec.setdefault("manualSelector", False)
        spec.setdefault("parallelism", 1)
        spec.setdefault("podReplacementPolicy", "TerminatingOrFailed")
        spec.setdefault("suspend", False)
        spec["selector"] = {"matchLabels": {"batch.kubernetes.io/controller-uid": controller_uid}}
        labels = spec["template"].setdefault("metadata", {}).setdefault("labels", {})
        labels.update(
            {
                "batch.kubernetes.io/controller-uid": controller_uid,
                "batch.kubernetes.io/job-name": name,
                "controller-uid": controller_uid,
                "job-name": name,
            }
        )
        _default_template(spec["template"], spec["template"]["spec"].get("restartPolicy", "Never"))

    # -- status and controller metadata ---------------------------------------------

    def status(self, obj: Obj) -> None:
        kind, spec, rng = obj["kind"], obj.get("spec", {}), self.rng
        gen = obj["metadata"].get("generation", 1)
        if kind in ("Deployment", "StatefulSet"):
            n = spec.get("replicas", 1)
            status: Obj = {
                "availableReplicas": n,
                "observedGeneration": gen,
                "readyReplicas": n,
                "replicas": n,
                "updatedReplicas": n,
            }
            if kind == "Deployment":
                status["conditions"] = [
                    {
                        "lastTransitionTime": self.clock.stamp(),
                        "lastUpdateTime": self.clock.stamp(),
                        "message": "Deployment has minimum availability.",
                        "reason": "MinimumReplicasAvailable",
                        "status": "True",
                        "type": "Available",
                    },
                    {
                        "lastTransitionTime": self.clock.stamp(),
                        "lastUpdateTime": self.clock.stamp(True),
                        "message": f'ReplicaSet "{obj["metadata"]["name"]}-{pod_hash(rng)}" '
                        "has successfully progressed.",
                        "reason": "NewReplicaSetAvailable",
                        "status": "True",
                        "type": "Progressing",
                    },
                ]
            else:
                revision = f"{obj['metadata']['name']}-{pod_hash(rng)}"
                status.update(
                    {
                        "collisionCount": 0,
                        "currentReplicas": n,
                        "currentRevision": revision,
                        "updateRevision": revision,
                    }
                )
            obj["status"] = status
        elif kind == "DaemonSet":
            n = rng.randint(3, 40)
            obj["status"] = {
                "currentNumberScheduled": n,
                "desiredNumberScheduled": n,
                "numberAvailable": n,
                "numberMisscheduled": 0,
                "numberReady": n,
                "observedGeneration": gen,
                "updatedNumberScheduled": n,
            }
        elif kind == "CronJob":
            obj["status"] = {
                "lastScheduleTime": self.clock.stamp(True),
                "lastSuccessfulTime": self.clock.stamp(True),
            }
        elif kind == "Job":
            start = self.clock.stamp()
            obj["status"] = {
                "completionTime": start,
                "conditions": [
                    {
                        "lastProbeTime": start,
                        "lastTransitionTime": start,
                        "status": "True",
                        "type": "Complete",
                    }
                ],
                "ready": 0,
                "startTime": start,
                "succeeded": 1,
                "terminating": 0,
                "uncountedTerminatedPods": {},
            }
        elif kind == "Service":
            lb: Obj = {}
            if spec.get("type") == "LoadBalancer":
                lb = {
                    "ingress": [
                        {"hostname": f"a{content.token(rng, 31)}.elb.eu-west-1.amazonaws.com"}
                    ]
                }
            obj["status"] = {"loadBalancer": lb}
        elif kind == "Ingress":
            obj["status"] = {
                "loadBalancer": {
                    "ingress": [
                        {
                            "ip": f"34.{rng.randint(0, 255)}.{rng.randint(0, 255)}."
                            f"{rng.randint(1, 254)}"
                        }
                    ]
                }
            }
        elif kind == "HorizontalPodAutoscaler":
            n = spec.get("minReplicas", 1)
            obj["status"] = {
                "conditions": [
                    {
                        "lastTransitionTime": self.clock.stamp(),
                        "message": "recommended size matches current size",
                        "reason": "ReadyForNewScale",
                        "status": "True",
                        "type": "AbleToScale",
                    }
                ],
                "currentMetrics": [
                    {
                        "resource": {
                            "current": {
                                "averageUtilization": rng.randint(5, 90),
                                "averageValue": f"{rng.randint(2, 900)}m",
                            },
                            "name": "cpu",
                        },
                        "type": "Resource",
                    }
                ],
                "currentReplicas": n,
                "desiredReplicas": n,
            }
        elif kind == "PodDisruptionBudget":
            n = rng.randint(1, 4)
            obj["status"] = {
                "conditions": [
                    {
                        "lastTransitionTime": self.clock.stamp(),
                        "message": "",
                        "observedGeneration": gen,
                        "reason": "SufficientPods",
                        "status": "True",
                        "type": "DisruptionAllowed",
                    }
                ],
                "currentHealthy": n + 1,
                "desiredHealthy": n,
                "disruptionsAllowed": 1,
                "expectedPods": n + 1,
                "observedGeneration": gen,
            }
        elif kind == "PersistentVolumeClaim":
            obj["status"] = {
                "accessModes": spec.get("accessModes", []),
                "capacity": {"storage": spec["resources"]["requests"]["storage"]},
                "phase": "Bound",
            }
        elif kind == "Namespace":
            obj["status"] = {"phase": "Active"}

    def controller_metadata(self, obj: Obj) -> None:
        """Annotations and labels other managers add: never in last-applied."""
        kind, meta, rng = obj["kind"], obj["metadata"], self.rng
        annotations = meta.setdefault("annotations", {})
        if kind == "Deployment":
            annotations["deployment.kubernetes.io/revision"] = str(rng.randint(1, 12))
            if rng.random() < 0.15:
                template_meta = obj["spec"]["template"]["metadata"]
                template_meta.setdefault("annotations", {})["kubectl.kubernetes.io/restartedAt"] = (
                    self.clock.stamp(True).replace("Z", "+00:00")
                )
        elif kind == "DaemonSet":
            annotations["deprecated.daemonset.template.generation"] = "1"
        elif kind == "PersistentVolumeClaim":
            annotations.update(
                {
                    "pv.kubernetes.io/bind-completed": "yes",
                    "pv.kubernetes.io/bound-by-controller": "yes",
                    "volume.beta.kubernetes.io/storage-provisioner": "ebs.csi.aws.com",
                    "volume.kubernetes.io/storage-provisioner": "ebs.csi.aws.com",
                }
            )
            meta["finalizers"] = ["kubernetes.io/pvc-protection"]
        if rng.random() < 0.05:
            meta.setdefault("labels", {})["policy.example.com/audited"] = "true"
        if rng.random() < 0.05:
            annotations["policies.kyverno.io/last-applied-patches"] = (
                "add-default-labels.mutate.kyverno.io: added /metadata/labels\n"
            )
        if not annotations:
            del meta["annotations"]

    # -- applying ---------------------------------------------------------------------

    def apply(
        self,
        desired: Obj,
        namespace: str | None,
        *,
        tool: str = "kubectl",
        app: str = "",
        instance: str | None = None,
    ) -> tuple[Obj, bool]:
        """The live object after `tool` applied `desired` (into `namespace` when the kind
        is namespaced), and whether it carries the last-applied annotation.

        `kubectl` and `argocd` apply client-side and record the last-applied
        configuration (Argo CD first injects its tracking annotation for `app`); `flux`
        applies server-side with its ownership labels and records none. `instance` adds
        the `app.kubernetes.io/instance` label to what is applied.
        """
        if tool not in TOOLS:
            raise ValueError(f"unknown tool {tool!r}")
        rng = self.rng
        obj = applied_form(desired)
        meta = obj["metadata"]
        if namespace is not None:
            meta["namespace"] = namespace
        group = group_of(obj["apiVersion"])
        if tool == "argocd":
            meta.setdefault("annotations", {})[TRACKING_ID] = (
                f"{app}:{group}/{obj['kind']}:{namespace or ''}/{meta['name']}"
            )
        elif tool == "flux":
            labels = meta.setdefault("labels", {})
            labels["kustomize.toolkit.fluxcd.io/name"] = app
            labels["kustomize.toolkit.fluxcd.io/namespace"] = "flux-system"
        if instance is not None:
            meta.setdefault("labels", {})[INSTANCE_LABEL] = instance
        last_applied = json.dumps(obj, sort_keys=True, separators=(",", ":")) + "\n"
        has_last_applied = tool != "flux" and len(last_applied) + 200 < MAX_ANNOTATION_BYTES
        created = self.clock.stamp()
        meta["uid"] = new_uid(rng)
        self.defaults(obj)
        api_version, kind = obj["apiVersion"], obj["kind"]
        spec_fields = {
            k: v for k, v in obj.items() if k not in ("apiVersion", "kind", "metadata", "status")
        }
        managed_meta: Obj = {}
        if meta.get("labels"):
            managed_meta["f:labels"] = {".": {}, **fields_v1(meta["labels"], kind)}
        if has_last_applied:
            annotations = dict(meta.get("annotations", {}))
            annotations[LAST_APPLIED] = last_applied
            meta["annotations"] = annotations
            managed_meta["f:annotations"] = {".": {}, **fields_v1(annotations, kind)}
            manager, operation = "kubectl-client-side-apply", "Update"
        else:
            if meta.get("annotations"):
                managed_meta["f:annotations"] = {".": {}, **fields_v1(meta["annotations"], kind)}
            manager = "kustomize-controller" if tool == "flux" else "argocd-controller"
            operation = "Apply"
        fields = {"f:metadata": managed_meta, **fields_v1(spec_fields, kind)}
        managed = [managed_entry(manager, api_version, fields, created, operation)]
        if kind in POD_WORKLOADS or kind in ("HorizontalPodAutoscaler", "PodDisruptionBudget"):
            meta["generation"] = 1 if rng.random() < 0.6 else rng.randint(2, 9)
            managed.append(
                managed_entry(
                    "kube-controller-manager",
                    api_version,
                    {"f:status": {".": {}}},
                    self.clock.stamp(True),
                    subresource="status",
                )
            )
        meta["creationTimestamp"] = created
        meta["managedFields"] = managed
        meta["resourceVersion"] = str(rng.randint(10_000, 9_999_999))
        self.controller_metadata(obj)
        self.status(obj)
        shuffle_keyed_lists(obj, rng)
        return obj, has_last_applied


# -- order noise ------------------------------------------------------------------


def _pod_specs(obj: Obj) -> Iterator[Obj]:
    kind = obj.get("kind")
    if kind in POD_WORKLOADS:
        yield get_path(obj, pod_spec_path(kind))
    elif kind == "Pod":
        yield obj["spec"]


def shuffle_keyed_lists(obj: Obj, rng: random.Random) -> None:
    """Lists merged by key come back in any order: shuffle some of them."""
    for spec in _pod_specs(obj):
        for name in ("containers", "initContainers", "volumes"):
            if name in spec and rng.random() < 0.5:
                rng.shuffle(spec[name])
        for c in spec.get("containers", []) + spec.get("initContainers", []):
            for name in ("env", "ports", "volumeMounts"):
                if name in c and rng.random() < 0.4:
                    rng.shuffle(c[name])
    if obj.get("kind") == "Service" and rng.random() < 0.5:
        rng.shuffle(obj["spec"]["ports"])


def scramble(obj: Obj, rng: random.Random) -> Obj:
    """The same object with the keys of its main maps in a random order."""

    def shuffled(d: Obj) -> Obj:
        keys = list(d)
        rng.shuffle(keys)
        return {k: d[k] for k in keys}

    out = shuffled(obj)
    out["metadata"] = shuffled(out["metadata"])
    spec = out.get("spec")
    if isinstance(spec, dict):
        out["spec"] = shuffled(spec)
        for pod in _pod_specs(out):
            pod["containers"] = [shuffled(c) for c in pod.get("containers", [])]
    return out


# -- objects controllers create -----------------------------------------------------


def owner_ref(owner: Obj, controller: bool = True) -> Obj:
    return {
        "apiVersion": owner["apiVersion"],
        "blockOwnerDeletion": True,
        "controller": controller,
        "kind": owner["kind"],
        "name": owner["metadata"]["name"],
        "uid": owner["metadata"]["uid"],
    }


class Controllers:
    """Objects the controllers make from the applied ones."""

    def __init__(self, rng: random.Random, clock: Clock) -> None:
        self.rng = rng
        self.clock = clock

    def _meta(self, name: str, namespace: str, labels: Obj, owner: Obj | None) -> Obj:
        meta: Obj = {"creationTimestamp": self.clock.stamp(True)}
        if labels:
            meta["labels"] = labels
        meta["name"] = name
        meta["namespace"] = namespace
        if owner is not None:
            meta["ownerReferences"] = [owner_ref(owner)]
        meta["resourceVersion"] = str(self.rng.randint(10_000, 9_999_999))
        meta["uid"] = new_uid(self.rng)
        return meta

    def pod(self, owner: Obj, template: Obj, name: str, extra_labels: Obj) -> Obj:
        rng = self.rng
        namespace = owner["metadata"]["namespace"]
        spec = json.loads(json.dumps(template["spec"]))
        labels = {**template.get("metadata", {}).get("labels", {}), **extra_labels}
        token = f"kube-api-access-{content.token(rng, 5)}"
        for c in spec.get("containers", []):
            c.setdefault("volumeMounts", []).append(
                {
                    "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount",
                    "name": token,
                    "readOnly": True,
                }
            )
        spec.setdefault("volumes", []).append(
            {
                "name": token,
                "projected": {
                    "defaultMode": 420,
                    "sources": [
                        {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                        {
                            "configMap": {
                                "items": [{"key": "ca.crt", "path": "ca.crt"}],
                                "name": "kube-root-ca.crt",
                            }
                        },
                    ],
                },
            }
        )
        spec["enableServiceLinks"] = True
        spec["nodeName"] = (
            f"ip-10-0-{rng.randint(0, 15)}-{rng.randint(1, 254)}.eu-west-1.compute.internal"
        )
        spec["preemptionPolicy"] = "PreemptLowerPriority"
        spec["priority"] = 0
        spec.setdefault("serviceAccountName", "default")
        spec["serviceAccount"] = spec["serviceAccountName"]
        spec["tolerations"] = [
            *spec.get("tolerations", []),
            {
                "effect": "NoExecute",
                "key": "node.kubernetes.io/not-ready",
                "operator": "Exists",
                "tolerationSeconds": 300,
            },
            {
                "effect": "NoExecute",
                "key": "node.kubernetes.io/unreachable",
                "operator": "Exists",
                "tolerationSeconds": 300,
            },
        ]
        started = self.clock.stamp(True)
        statuses = [
            {
                "containerID": f"containerd://{content.token(rng, 64, '0123456789abcdef')}",
                "image": c["image"],
                "imageID": f"{c['image'].rsplit(':', 1)[0]}@sha256:"
                f"{content.token(rng, 64, '0123456789abcdef')}",
                "lastState": {},
                "name": c["name"],
                "ready": True,
                "restartCount": rng.choice((0, 0, 0, 1, 3)),
                "started": True,
                "state": {"running": {"startedAt": started}},
            }
            for c in spec.get("containers", [])
        ]
        pod: Obj = {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": self._meta(name, namespace, labels, owner),
            "spec": spec,
            "status": {
                "conditions": [
                    {
                        "lastProbeTime": None,
                        "lastTransitionTime": started,
                        "status": "True",
                        "type": t,
                    }
                    for t in (
                        "PodReadyToStartContainers",
                        "Initialized",
                        "Ready",
                        "ContainersReady",
                        "PodScheduled",
                    )
                ],
                "containerStatuses": statuses,
                "hostIP": f"10.0.{rng.randint(0, 15)}.{rng.randint(1, 254)}",
                "phase": "Running",
                "podIP": f"10.244.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
                "qosClass": "Burstable",
                "startTime": started,
            },
        }
        pod["metadata"]["generateName"] = name.rsplit("-", 1)[0] + "-"
        return pod

    def owned(self, obj: Obj) -> list[Obj]:
        """ReplicaSets, Pods, Jobs, ControllerRevisions, claims and EndpointSlices."""
        kind, rng = obj["kind"], self.rng
        meta = obj["metadata"]
        namespace, name = meta.get("namespace", ""), meta["name"]
        out: list[Obj] = []
        if kind == "Deployment":
            spec = obj["spec"]
            for current in (True, False) if rng.random() < 0.3 else (True,):
                h = pod_hash(rng)
                template = json.loads(json.dumps(spec["template"]))
                template["metadata"].setdefault("labels", {})["pod-template-hash"] = h
                replicas = spec.get("replicas", 1) if current else 0
                rs_labels = {**template["metadata"]["labels"]}
                rs: Obj = {
                    "apiVersion": "apps/v1",
                    "kind": "ReplicaSet",
                    "metadata": self._meta(f"{name}-{h}", namespace, rs_labels, obj),
                    "spec": {
                        "replicas": replicas,
                        "selector": {
                            "matchLabels": {
                                **spec["selector"].get("matchLabels", {}),
                                "pod-template-hash": h,
                            }
                        },
                        "template": template,
                    },
                    "status": {
                        "availableReplicas": replicas,
                        "fullyLabeledReplicas": replicas,
                        "observedGeneration": 1,
                        "readyReplicas": replicas,
                        "replicas": replicas,
                    },
                }
                rs["metadata"]["annotations"] = {
                    "deployment.kubernetes.io/desired-replicas": str(replicas),
                    "deployment.kubernetes.io/max-replicas": str(replicas + 1),
                    "deployment.kubernetes.io/revision": "1",
                }
                out.append(rs)
                if current:
                    out.append(
                        self.pod(
                            rs,
                            template,
                            f"{name}-{h}-{content.token(rng, 5)}",
                            {"pod-template-hash": h},
                        )
                    )
        elif kind in ("StatefulSet", "DaemonSet"):
            h = pod_hash(rng)
            revision: Obj = {
                "apiVersion": "apps/v1",
                "kind": "ControllerRevision",
                "metadata": self._meta(
                    f"{name}-{h}",
                    namespace,
                    dict(obj["spec"]["selector"].get("matchLabels", {})),
                    obj,
                ),
                "data": {"spec": {"template": {"$patch": "replace"}}},
                "revision": 1,
            }
            out.append(revision)
            pod_name = f"{name}-0" if kind == "StatefulSet" else f"{name}-{content.token(rng, 5)}"
            out.append(
                self.pod(
                    obj,
                    obj["spec"]["template"],
                    pod_name,
                    {"controller-revision-hash": f"{name}-{h}"},
                )
            )
            if kind == "StatefulSet":
                for claim in obj["spec"].get("volumeClaimTemplates", []):
                    pvc: Obj = {
                        "apiVersion": "v1",
                        "kind": "PersistentVolumeClaim",
                        "metadata": self._meta(
                            f"{claim['metadata']['name']}-{name}-0",
                            namespace,
                            dict(obj["spec"]["selector"].get("matchLabels", {})),
                            None,
                        ),
                        "spec": json.loads(json.dumps(claim["spec"])),
                    }
                    pvc["spec"]["volumeName"] = f"pvc-{new_uid(rng)}"
                    pvc["status"] = {
                        "accessModes": pvc["spec"]["accessModes"],
                        "capacity": {"storage": pvc["spec"]["resources"]["requests"]["storage"]},
                        "phase": "Bound",
                    }
                    out.append(pvc)
        elif kind == "CronJob":
            for _ in range(rng.randint(1, 2)):
                job_name = f"{name}-{rng.randint(29_000_000, 29_100_000)}"
                job: Obj = {
                    "apiVersion": "batch/v1",
                    "kind": "Job",
                    "metadata": self._meta(job_name, namespace, {}, obj),
                    "spec": json.loads(json.dumps(obj["spec"]["jobTemplate"]["spec"])),
                }
                Server(rng, self.clock)._default_job(job)
                Server(rng, self.clock).status(job)
                out.append(job)
                pod = self.pod(
                    job, job["spec"]["template"], f"{job_name}-{content.token(rng, 5)}", {}
                )
                pod["status"]["phase"] = "Succeeded"
                out.append(pod)
        elif kind == "Job":
            pod = self.pod(obj, obj["spec"]["template"], f"{name}-{content.token(rng, 5)}", {})
            pod["status"]["phase"] = "Succeeded"
            out.append(pod)
        elif kind == "Service":
            labels = {
                **meta.get("labels", {}),
                "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io",
                "kubernetes.io/service-name": name,
            }
            ports = [
                {
                    "name": p.get("name", ""),
                    "port": p["targetPort"] if isinstance(p["targetPort"], int) else 8080,
                    "protocol": p.get("protocol", "TCP"),
                }
                for p in obj["spec"].get("ports", [])
            ]
            out.append(
                {
                    "addressType": "IPv4",
                    "apiVersion": "discovery.k8s.io/v1",
                    "endpoints": [
                        {
                            "addresses": [f"10.244.{rng.randint(0, 255)}.{rng.randint(1, 254)}"],
                            "conditions": {"ready": True, "serving": True, "terminating": False},
                        }
                    ],
                    "kind": "EndpointSlice",
                    "metadata": self._meta(
                        f"{name}-{content.token(rng, 5)}", namespace, labels, obj
                    ),
                    "ports": ports,
                }
            )
        return out

    def lease(self, namespace: str, name: str) -> Obj:
        meta = self._meta(name, namespace, {}, None)
        return {
            "apiVersion": "coordination.k8s.io/v1",
            "kind": "Lease",
            "metadata": meta,
            "spec": {
                "acquireTime": self.clock.stamp(True).replace("Z", ".000000Z"),
                "holderIdentity": f"{name}-{pod_hash(self.rng)}-{content.token(self.rng, 5)}",
                "leaseDurationSeconds": 15,
                "leaseTransitions": self.rng.randint(0, 9),
                "renewTime": self.clock.stamp(True).replace("Z", ".512345Z"),
            },
        }


# -- cluster furniture ----------------------------------------------------------------


def namespace_furniture(rng: random.Random, namespace: str) -> list[Obj]:
    """What every namespace gets on its own: the root CA ConfigMap and `default` SA."""
    clock = Clock(rng)
    created = clock.stamp()
    return [
        {
            "apiVersion": "v1",
            "data": {"ca.crt": ROOT_CA},
            "kind": "ConfigMap",
            "metadata": {
                "annotations": {
                    "kubernetes.io/description": "Contains a CA bundle that can be used to verify "
                    "the kube-apiserver when using internal endpoints such as the internal service "
                    "IP or kubernetes.default.svc. No other usage is guaranteed across "
                    "distributions of Kubernetes clusters."
                },
                "creationTimestamp": created,
                "name": "kube-root-ca.crt",
                "namespace": namespace,
                "resourceVersion": str(rng.randint(10_000, 999_999)),
                "uid": new_uid(rng),
            },
        },
        {
            "apiVersion": "v1",
            "kind": "ServiceAccount",
            "metadata": {
                "creationTimestamp": created,
                "name": "default",
                "namespace": namespace,
                "resourceVersion": str(rng.randint(10_000, 999_999)),
                "uid": new_uid(rng),
            },
        },
    ]


def cluster_furniture(rng: random.Random) -> list[Obj]:
    """Objects every cluster has: system namespaces, the API Service, kube-system addons."""
    clock = Clock(rng)
    out: list[Obj] = []
    for ns in ("default", "kube-system", "kube-public", "kube-node-lease"):
        out.append(
            {
                "apiVersion": "v1",
                "kind": "Namespace",
                "metadata": {
                    "creationTimestamp": clock.stamp(),
                    "labels": {"kubernetes.io/metadata.name": ns},
                    "name": ns,
                    "resourceVersion": str(rng.randint(10, 999)),
                    "uid": new_uid(rng),
                },
                "spec": {"finalizers": ["kubernetes"]},
                "status": {"phase": "Active"},
            }
        )
        out.extend(namespace_furniture(rng, ns))
    out.append(
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {
                "creationTimestamp": clock.stamp(),
                "labels": {"component": "apiserver", "provider": "kubernetes"},
                "name": "kubernetes",
                "namespace": "default",
                "resourceVersion": "196",
                "uid": new_uid(rng),
            },
            "spec": {
                "clusterIP": "10.96.0.1",
                "clusterIPs": ["10.96.0.1"],
                "internalTrafficPolicy": "Cluster",
                "ipFamilies": ["IPv4"],
                "ipFamilyPolicy": "SingleStack",
                "ports": [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443}],
                "sessionAffinity": "None",
                "type": "ClusterIP",
            },
            "status": {"loadBalancer": {}},
        }
    )
    coredns_labels = {"k8s-app": "kube-dns"}
    coredns: Obj = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {
            "annotations": {"deployment.kubernetes.io/revision": "1"},
            "creationTimestamp": clock.stamp(),
            "generation": 1,
            "labels": coredns_labels,
            "name": "coredns",
            "namespace": "kube-system",
            "resourceVersion": "4242",
            "uid": new_uid(rng),
        },
        "spec": {
            "progressDeadlineSeconds": 600,
            "replicas": 2,
            "revisionHistoryLimit": 10,
            "selector": {"matchLabels": coredns_labels},
            "strategy": {
                "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 1},
                "type": "RollingUpdate",
            },
            "template": {
                "metadata": {"creationTimestamp": None, "labels": coredns_labels},
                "spec": {
                    "containers": [
                        {
                            "args": ["-conf", "/etc/coredns/Corefile"],
                            "image": "registry.k8s.io/coredns/coredns:v1.11.1",
                            "imagePullPolicy": "IfNotPresent",
                            "name": "coredns",
                            "ports": [
                                {"containerPort": 53, "name": "dns", "protocol": "UDP"},
                                {"containerPort": 53, "name": "dns-tcp", "protocol": "TCP"},
                            ],
                            "resources": {
                                "limits": {"memory": "170Mi"},
                                "requests": {"cpu": "100m", "memory": "70Mi"},
                            },
                            "terminationMessagePath": "/dev/termination-log",
                            "terminationMessagePolicy": "File",
                        }
                    ],
                    "dnsPolicy": "Default",
                    "priorityClassName": "system-cluster-critical",
                    "restartPolicy": "Always",
                    "schedulerName": "default-scheduler",
                    "securityContext": {},
                    "serviceAccount": "coredns",
                    "serviceAccountName": "coredns",
                    "terminationGracePeriodSeconds": 30,
                },
            },
        },
        "status": {
            "availableReplicas": 2,
            "observedGeneration": 1,
            "readyReplicas": 2,
            "replicas": 2,
            "updatedReplicas": 2,
        },
    }
    out.append(coredns)
    out.append(
        {
            "apiVersion": "v1",
            "data": {
                "Corefile": ".:53 {\n    errors\n    health\n    kubernetes "
                "cluster.local in-addr.arpa ip6.arpa {\n       pods insecure\n    }\n    forward . "
                "/etc/resolv.conf\n    cache 30\n    loop\n    reload\n}\n"
            },
            "kind": "ConfigMap",
            "metadata": {
                "creationTimestamp": clock.stamp(),
                "name": "coredns",
                "namespace": "kube-system",
                "resourceVersion": "231",
                "uid": new_uid(rng),
            },
        }
    )
    for role in ("admin", "edit", "view", "cluster-admin", "system:aggregate-to-view"):
        out.append(
            {
                "aggregationRule" if role in ("admin", "edit", "view") else "rules": (
                    {
                        "clusterRoleSelectors": [
                            {
                                "matchLabels": {
                                    f"rbac.authorization.k8s.io/aggregate-to-{role}": "true"
                                }
                            }
                        ]
                    }
                    if role in ("admin", "edit", "view")
                    else [{"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]}]
                ),
                "apiVersion": "rbac.authorization.k8s.io/v1",
                "kind": "ClusterRole",
                "metadata": {
                    "annotations": {"rbac.authorization.kubernetes.io/autoupdate": "true"},
                    "creationTimestamp": clock.stamp(),
                    "labels": {"kubernetes.io/bootstrapping": "rbac-defaults"},
                    "name": role,
                    "resourceVersion": str(rng.randint(10, 999)),
                    "uid": new_uid(rng),
                },
            }
        )
    return out
