"""JUnit XML, as CI test-report widgets read it: one testcase per object, failed when
it drifts. `classname` is the kind (`apps/Deployment`), `name` the namespace and name,
`file` where the object is defined. The failure text lists the changes as the text
format does (Secret values masked).

Objects in sync are passing testcases when the inputs are known (the command line
always knows them); otherwise only drifted objects are listed.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import IO

from gitops_diff._core import ObjectDiff, Report
from gitops_diff.render import Context, split_source
from gitops_diff.render.text import EXPLAIN, Painter, change_lines

SUITE = "gitops-diff"
# Characters XML 1.0 cannot hold, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _case(suite: ET.Element, identity: str, source: str | None) -> ET.Element:
    classname, _, name = identity.partition(" ")
    attributes = {"classname": _clean(classname), "name": _clean(name or classname)}
    if source:
        attributes["file"] = _clean(split_source(source)[0])
    attributes["time"] = "0"
    return ET.SubElement(suite, "testcase", attributes)


def _failure(case: ET.Element, obj: ObjectDiff) -> None:
    message = f"{obj.status}: {EXPLAIN[obj.status]}"
    if obj.changes:
        count = len(obj.changes)
        message += f", {count} change{'' if count == 1 else 's'}"
    body = [
        line for change in obj.changes for line in change_lines(change, Painter(False), indent="")
    ]
    if not body:
        body = [message]
    failure = ET.SubElement(case, "failure", {"message": _clean(message), "type": "drift"})
    failure.text = _clean("\n".join(body) + "\n")


def render(report: Report, out: IO[str], ctx: Context) -> None:
    objects = report.objects
    drifted = {o.identity for o in objects}
    cases: list[tuple[str, str | None, ObjectDiff | None]] = [
        (o.identity, o.desired_source or o.live_source, o) for o in objects
    ]
    if ctx.inputs is not None:
        for identity, (defined_at, _) in ctx.inputs.objects("desired").items():
            if identity not in drifted:
                cases.append((identity, defined_at, None))
    cases.sort(key=lambda case: case[0])
    failures = sum(1 for case in cases if case[2] is not None)
    counts = {
        "tests": str(len(cases)),
        "failures": str(failures),
        "errors": "0",
        "skipped": "0",
        "time": "0",
    }
    root = ET.Element("testsuites", {"name": SUITE, **counts})
    suite = ET.SubElement(root, "testsuite", {"name": SUITE, **counts})
    for identity, source, obj in cases:
        case = _case(suite, identity, source)
        if obj is not None:
            _failure(case, obj)
    ET.indent(root, space="  ")
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(ET.tostring(root, encoding="unicode") + "\n")
