"""The `gitops-diff` command: diff, hash, normalize.

Exit codes follow diff(1) and `kubectl diff`: 0 in sync, 1 drift, 2 error. Errors go
to stderr and name the file, line and column; nothing is printed to stdout before the
whole run has succeeded, so no partial report ever looks complete.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
from collections.abc import Sequence
from typing import Callable

from gitops_diff import __version__, _core
from gitops_diff.api import diff, load, load_rules
from gitops_diff.exceptions import GitopsDiffError
from gitops_diff.render import text

EXIT_IN_SYNC, EXIT_DRIFT, EXIT_ERROR = 0, 1, 2
RULES_FILE = ".gitops-diff.yaml"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gitops-diff",
        description="What differs between the desired state (Git) and the live state.",
    )
    parser.add_argument("--version", action="version", version=f"gitops-diff {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    d = commands.add_parser(
        "diff",
        help="compare desired manifests with live objects",
        description="Compare DESIRED (Git) with LIVE (e.g. `kubectl get -A -o json`). "
        "Each is a file, a folder (read recursively) or - for stdin. "
        "Exit 0 in sync, 1 drift, 2 error.",
    )
    d.add_argument("desired", metavar="DESIRED")
    d.add_argument("live", metavar="LIVE")
    d.add_argument(
        "--format", choices=["text", "json"], default="text", help="output format (default: text)"
    )
    d.add_argument(
        "--mode",
        choices=["three-way", "strict"],
        default="three-way",
        help="three-way: compare what Git sets, plus fields removed from Git (default); "
        "strict: compare everything",
    )
    d.add_argument(
        "--previous",
        metavar="PATH",
        help="the previously applied desired state (removal detection)",
    )
    d.add_argument(
        "-n",
        "--namespace",
        default="default",
        metavar="NS",
        help="namespace of namespaced objects that name none (default: default)",
    )
    d.add_argument(
        "--extra",
        choices=["managed", "all"],
        default="managed",
        help="live-only objects to report: managed by a GitOps tool or kubectl apply "
        "(default), or all",
    )
    rules = d.add_argument_group("rules (docs/rules.md)")
    rules.add_argument(
        "--rules",
        metavar="FILE",
        help=f"rules file (default: {RULES_FILE} in the working folder, if present)",
    )
    rules.add_argument("--no-rules", action="store_true", help=f"do not read {RULES_FILE}")
    rules.add_argument(
        "--ignore",
        action="append",
        default=[],
        metavar="[SELECTOR:]POINTER",
        help="ignore differences at a path, e.g. /spec/replicas or "
        "kind=Deployment,name=web-*:/spec/replicas (repeatable)",
    )
    rules.add_argument(
        "--ignore-manager",
        action="append",
        default=[],
        metavar="MANAGER",
        help="ignore fields owned by this field manager (glob; repeatable)",
    )
    rules.add_argument(
        "--removal-manager",
        action="append",
        default=[],
        metavar="MANAGER",
        help="fields owned by this manager count as previously applied (glob; repeatable)",
    )
    rules.add_argument(
        "--no-preset",
        action="append",
        default=[],
        metavar="NAME",
        help="switch off a preset: hpa-replicas, aggregated-roles, webhook-ca-bundle",
    )
    rules.add_argument(
        "--no-normalize",
        action="append",
        default=[],
        metavar="NAME",
        help="switch off a normalizer: server-fields, nulls, empties, "
        "secret-string-data, quantities, durations, tracking-metadata",
    )
    rules.add_argument(
        "--managed-selector",
        metavar="LABELS",
        help="live-only objects matching this label selector are managed (extra)",
    )
    d.add_argument(
        "--color",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="color text output (default: on a terminal, unless NO_COLOR)",
    )
    d.add_argument(
        "--show-secrets",
        action="store_true",
        help="show Secret values unmasked: for local use only, never in CI",
    )
    d.set_defaults(run=_run_diff)

    h = commands.add_parser(
        "hash", help="print the canonical hash of each object and the set digest"
    )
    h.add_argument("path", metavar="PATH")
    h.add_argument("-n", "--namespace", default="default", metavar="NS")
    h.set_defaults(run=_run_hash)

    n = commands.add_parser("normalize", help="print objects as the diff sees them (JSON List)")
    n.add_argument("path", metavar="PATH")
    n.add_argument("-n", "--namespace", default="default", metavar="NS")
    n.add_argument(
        "--show-secrets",
        action="store_true",
        help="show Secret values unmasked: for local use only",
    )
    n.set_defaults(run=_run_normalize)
    return parser


def _rules_file(args: argparse.Namespace) -> str | None:
    if args.rules is not None:
        return str(args.rules)
    if not args.no_rules and os.path.isfile(RULES_FILE):
        return RULES_FILE
    return None


def _run_diff(args: argparse.Namespace, out: io.StringIO) -> int:
    if args.desired == "-" and args.live == "-":
        raise _core.InvalidOptionError("DESIRED and LIVE cannot both be - (stdin)")
    # Rules are read and validated before any input is.
    rules_path = _rules_file(args)
    rules = None if rules_path is None else load_rules(rules_path)
    report = diff(
        load(args.desired),
        load(args.live),
        previous=None if args.previous is None else load(args.previous),
        mode=args.mode,
        default_namespace=args.namespace,
        extra=args.extra,
        rules=rules,
        ignore=args.ignore,
        ignore_managers=args.ignore_manager,
        removal_managers=args.removal_manager,
        presets={name: False for name in args.no_preset},
        normalizers={name: False for name in args.no_normalize},
        managed_selector=args.managed_selector,
        show_secrets=args.show_secrets,
    )
    if args.format == "json":
        out.write(report.to_json(pretty=True) + "\n")
    else:
        color = text.use_color(sys.stdout, args.color)
        text.render(report, out, color=color)
    return EXIT_DRIFT if report.has_drift else EXIT_IN_SYNC


def _run_hash(args: argparse.Namespace, out: io.StringIO) -> int:
    rows, digest = _core.normalize_set(load(args.path), default_namespace=args.namespace)
    for identity, source, digest_of_object, _ in rows:
        out.write(f"{digest_of_object}  {identity}  {source}\n")
    out.write(f"{digest}  (set of {len(rows)} objects)\n")
    return EXIT_IN_SYNC


def _run_normalize(args: argparse.Namespace, out: io.StringIO) -> int:
    rows, _ = _core.normalize_set(
        load(args.path), default_namespace=args.namespace, show_secrets=args.show_secrets
    )
    listing = {"apiVersion": "v1", "kind": "List", "items": [obj for *_, obj in rows]}
    out.write(json.dumps(listing, indent=2, ensure_ascii=False) + "\n")
    return EXIT_IN_SYNC


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    run: Callable[[argparse.Namespace, io.StringIO], int] = args.run
    # Output is buffered and written only once the command has fully succeeded.
    out = io.StringIO()
    try:
        code = run(args, out)
    except GitopsDiffError as error:
        print(f"gitops-diff: error: {error}", file=sys.stderr)
        return EXIT_ERROR
    except OSError as error:
        print(f"gitops-diff: error: {error}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("gitops-diff: interrupted", file=sys.stderr)
        return EXIT_ERROR
    try:
        sys.stdout.write(out.getvalue())
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (e.g. `| head`); the exit code still tells the verdict.
        sys.stderr.close()
    return code
