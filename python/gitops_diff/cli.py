"""The `gitops-diff` command: diff, external, hash, normalize.

Exit codes follow diff(1) and `kubectl diff` by default: 0 in sync, 1 drift, 2 error;
`--detailed-exitcode` switches to terraform's 0 in sync, 2 drift, 1 error, and
`--exit-zero` reports drift with 0 (errors still fail). Errors go to stderr and name
the file, line and column. Nothing is written before the whole run has succeeded: the
stdout report is buffered, and `--report` files are written to a temporary file in
their folder, then renamed, so no partial report ever looks complete.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import secrets
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Callable, NoReturn

from gitops_diff import __version__, _core
from gitops_diff.api import concurrently, diff, load, load_rules
from gitops_diff.exceptions import GitopsDiffError
from gitops_diff.render import FORMATS, SEVERITIES, Context, Inputs, render, text

EXIT_IN_SYNC, EXIT_DRIFT, EXIT_ERROR = 0, 1, 2
# --detailed-exitcode, as terraform plan and helm diff.
DETAILED_DRIFT, DETAILED_ERROR = 2, 1
RULES_FILE = ".gitops-diff.yaml"
SALT_VARIABLE = "GITOPS_DIFF_MASK_SALT"


# Loaded sets kept alive until the process exits, when `entry_point` runs the command:
# freeing millions of tree nodes one by one costs a tenth of a large run, for memory the
# operating system takes back at exit anyway. `None` (library and test use of `main`)
# frees them as usual.
_kept_until_exit: list[object] | None = None


def _keep_until_exit(*objects: object) -> None:
    if _kept_until_exit is not None:
        _kept_until_exit.extend(objects)


class UsageError(_core.InvalidOptionError):
    """A command-line argument or environment variable is not valid."""


def _add_output_arguments(command: argparse.ArgumentParser) -> None:
    out = command.add_argument_group("output (docs/formats.md)")
    out.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        metavar="FORMAT",
        help=f"stdout format: {', '.join(FORMATS)} (default: text)",
    )
    out.add_argument(
        "--report",
        action="append",
        default=[],
        metavar="FORMAT=PATH",
        help="also write a report in FORMAT to PATH (repeatable), e.g. "
        "--report junit=drift.xml --report codequality=gl-code-quality.json",
    )
    out.add_argument(
        "--context",
        type=_non_negative,
        default=3,
        metavar="N",
        help="unified: lines of context around each change (default: 3)",
    )
    out.add_argument(
        "--severity",
        choices=SEVERITIES,
        default="major",
        help="codequality: severity of each finding (default: major)",
    )
    out.add_argument(
        "--max-objects",
        type=_non_negative,
        default=50,
        metavar="N",
        help="markdown: drifted objects shown in detail; the rest are counted (default: 50)",
    )
    out.add_argument(
        "--color",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="color text and unified output on stdout (default: on a terminal, unless NO_COLOR)",
    )
    out.add_argument(
        "--show-secrets",
        action="store_true",
        help="show Secret values unmasked, in every format: for local use only, never in CI "
        "logs or published reports",
    )
    codes = out.add_mutually_exclusive_group()
    codes.add_argument(
        "--detailed-exitcode",
        action="store_true",
        help="exit as terraform plan: 0 in sync, 2 drift, 1 error",
    )
    codes.add_argument(
        "--exit-zero",
        action="store_true",
        help="exit 0 on drift too (errors still exit 2)",
    )


def _non_negative(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more: {value}")
    return value


def _add_rules_arguments(command: argparse.ArgumentParser) -> None:
    rules = command.add_argument_group("rules (docs/rules.md)")
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


ENVIRONMENT = (
    f"environment: {SALT_VARIABLE}, a fixed salt (an integer) for Secret masks, for "
    "reproducible output in tests and CI (by default each run uses a random one); "
    "NO_COLOR turns color off on a terminal."
)


_SIZE_SUFFIXES = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}


def _limit(text: str) -> tuple[str, int]:
    """`NAME=VALUE` with VALUE an integer, optionally with a K, M, G or T (binary) suffix."""
    name, sep, value = text.partition("=")
    multiplier = _SIZE_SUFFIXES.get(value[-1:].upper(), 1) if value else 1
    digits = value[:-1] if multiplier != 1 else value
    if not sep or not name or not digits.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not NAME=VALUE (e.g. max_source_bytes=4G)")
    return name, int(digits) * multiplier


def _add_limit_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--limit",
        action="append",
        default=[],
        type=_limit,
        metavar="NAME=VALUE",
        help="change an input bound (docs/limits.md), e.g. max_source_bytes=4G or "
        "max_depth=256 (repeatable)",
    )


def _load(source: str, args: argparse.Namespace) -> _core.ResourceSet:
    return load(source, limits=dict(args.limit) or None)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gitops-diff",
        description="What differs between the desired state (Git) and the live state.",
        epilog=ENVIRONMENT,
    )
    parser.add_argument("--version", action="version", version=f"gitops-diff {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    d = commands.add_parser(
        "diff",
        help="compare desired manifests with live objects",
        description="Compare DESIRED (Git) with LIVE (e.g. `kubectl get -A -o json`). "
        "Each is a file, a folder (read recursively) or - for stdin. "
        "Exit 0 in sync, 1 drift, 2 error (see --detailed-exitcode, --exit-zero).",
        epilog=ENVIRONMENT,
    )
    d.add_argument("desired", metavar="DESIRED")
    d.add_argument("live", metavar="LIVE")
    _add_limit_option(d)
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
    _add_rules_arguments(d)
    _add_output_arguments(d)
    d.set_defaults(run=_run_diff)

    x = commands.add_parser(
        "external",
        help="diff kubectl's two folders: use as KUBECTL_EXTERNAL_DIFF",
        description="Compare the two folders `kubectl diff` writes (one YAML file per "
        "object, named like apps.v1.Deployment.shop.frontend; an empty file is an absent "
        "object): LIVE_DIR is the cluster, MERGED_DIR the server's dry run of the apply. "
        "Both sides come from the server, so they are compared strictly after "
        "normalization, and every object only in LIVE_DIR is extra. Use with "
        'KUBECTL_EXTERNAL_DIFF="gitops-diff external". '
        "Exit 0 in sync, 1 drift, 2 error, as kubectl expects.",
        epilog=ENVIRONMENT,
    )
    x.add_argument("live", metavar="LIVE_DIR")
    x.add_argument("merged", metavar="MERGED_DIR")
    x.add_argument(
        "-n",
        "--namespace",
        default="default",
        metavar="NS",
        help="namespace of namespaced objects that name none (default: default)",
    )
    _add_rules_arguments(x)
    _add_output_arguments(x)
    x.set_defaults(run=_run_external)
    _add_limit_option(x)

    h = commands.add_parser(
        "hash", help="print the canonical hash of each object and the set digest"
    )
    h.add_argument("path", metavar="PATH")
    h.add_argument("-n", "--namespace", default="default", metavar="NS")
    h.set_defaults(run=_run_hash)
    _add_limit_option(h)

    n = commands.add_parser("normalize", help="print objects as the diff sees them (JSON List)")
    n.add_argument("path", metavar="PATH")
    n.add_argument("-n", "--namespace", default="default", metavar="NS")
    n.add_argument(
        "--show-secrets",
        action="store_true",
        help="show Secret values unmasked: for local use only, never in CI logs",
    )
    n.set_defaults(run=_run_normalize)
    _add_limit_option(n)
    return parser


def _rules_file(args: argparse.Namespace) -> str | None:
    if args.rules is not None:
        return str(args.rules)
    if not args.no_rules and os.path.isfile(RULES_FILE):
        return RULES_FILE
    return None


def mask_salt_from_environment() -> int | None:
    """The salt GITOPS_DIFF_MASK_SALT fixes (decimal, or 0x-prefixed hex), if set."""
    text = os.environ.get(SALT_VARIABLE, "").strip()
    if not text:
        return None
    try:
        salt = int(text, 0)
    except ValueError:
        salt = -1
    if not 0 <= salt < 2**64:
        raise UsageError(f"{SALT_VARIABLE} must be an integer from 0 to 2**64-1, got {text!r}")
    return salt


@dataclass
class PendingReport:
    """A `--report FORMAT=PATH`: checked and opened (as a temporary file in the target
    folder) before the diff runs, renamed into place once it is fully written."""

    fmt: str
    path: str
    temporary: str

    def commit(self, content: str) -> None:
        with open(self.temporary, "w", encoding="utf-8", newline="") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(self.temporary, 0o666 & ~_umask())
        os.replace(self.temporary, self.path)

    def discard(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.temporary)


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


def prepare_reports(specs: Sequence[str]) -> list[PendingReport]:
    """Validates every `FORMAT=PATH` and reserves a temporary file beside each PATH;
    raises UsageError (nothing left behind) when one is not usable."""
    pending: list[PendingReport] = []
    try:
        seen: set[str] = set()
        for spec in specs:
            fmt, sep, path = spec.partition("=")
            if not sep or not fmt or not path:
                raise UsageError(f"--report {spec!r}: expected FORMAT=PATH, e.g. junit=drift.xml")
            if fmt not in FORMATS:
                raise UsageError(
                    f"--report {spec!r}: unknown format {fmt!r} "
                    f"(expected one of: {', '.join(FORMATS)})"
                )
            target = os.path.abspath(path)
            if target in seen:
                raise UsageError(f"--report {spec!r}: {path} is already the target of a report")
            seen.add(target)
            folder = os.path.dirname(target)
            if not os.path.isdir(folder):
                raise UsageError(
                    f"--report {spec!r}: folder {os.path.dirname(path) or '.'} does not exist"
                )
            if os.path.isdir(target):
                raise UsageError(f"--report {spec!r}: {path} is a folder")
            if os.path.exists(target) and not os.access(target, os.W_OK):
                raise UsageError(f"--report {spec!r}: {path} is not writable")
            try:
                handle, temporary = tempfile.mkstemp(
                    dir=folder, prefix=f".{os.path.basename(target)}.", suffix=".tmp"
                )
            except OSError as error:
                raise UsageError(
                    f"--report {spec!r}: cannot write in {os.path.dirname(path) or '.'}: "
                    f"{error.strerror or error}"
                ) from None
            os.close(handle)
            pending.append(PendingReport(fmt, target, temporary))
    except BaseException:
        for report in pending:
            report.discard()
        raise
    return pending


def _output_run(
    args: argparse.Namespace,
    out: io.StringIO,
    compute: Callable[[int], tuple[_core.Report, Inputs]],
) -> int:
    """Checks the reports, runs the diff, renders stdout and every report; returns the
    exit code for the verdict."""
    salt = mask_salt_from_environment()
    if salt is None:
        salt = secrets.randbits(64)
    pending = prepare_reports(args.report)
    try:
        report, inputs = compute(salt)
        ctx = Context(
            color=False,
            context_lines=args.context,
            severity=args.severity,
            max_objects=args.max_objects,
            inputs=inputs,
        )
        contents = []
        for target in pending:
            buffer = io.StringIO()
            render(report, target.fmt, buffer, ctx)
            contents.append(buffer.getvalue())
        ctx.color = text.use_color(sys.stdout, args.color)
        render(report, args.format, out, ctx)
        for target, content in zip(pending, contents):
            target.commit(content)
    finally:
        for target in pending:
            target.discard()
    return verdict_code(args, report.has_drift)


def verdict_code(args: argparse.Namespace, drift: bool) -> int:
    if not drift or getattr(args, "exit_zero", False):
        return EXIT_IN_SYNC
    return DETAILED_DRIFT if getattr(args, "detailed_exitcode", False) else EXIT_DRIFT


def error_code(argv: Sequence[str]) -> int:
    return DETAILED_ERROR if "--detailed-exitcode" in argv else EXIT_ERROR


def _diff_arguments(args: argparse.Namespace) -> dict[str, object]:
    """Rules and secret options shared by `diff` and `external`. Rules are read and
    validated before any input is."""
    rules_path = _rules_file(args)
    return {
        "default_namespace": args.namespace,
        "rules": None if rules_path is None else load_rules(rules_path),
        "ignore": args.ignore,
        "ignore_managers": args.ignore_manager,
        "removal_managers": args.removal_manager,
        "presets": {name: False for name in args.no_preset},
        "normalizers": {name: False for name in args.no_normalize},
        "managed_selector": args.managed_selector,
        "show_secrets": args.show_secrets,
    }


def _run_diff(args: argparse.Namespace, out: io.StringIO) -> int:
    if args.desired == "-" and args.live == "-":
        raise _core.InvalidOptionError("DESIRED and LIVE cannot both be - (stdin)")

    def compute(salt: int) -> tuple[_core.Report, Inputs]:
        options = _diff_arguments(args)
        desired, live = concurrently(
            lambda: _load(args.desired, args), lambda: _load(args.live, args)
        )
        report = diff(
            desired,
            live,
            previous=None if args.previous is None else _load(args.previous, args),
            mode=args.mode,
            extra=args.extra,
            mask_salt=salt,
            **options,  # type: ignore[arg-type]
        )
        return report, _inputs(desired, live, args, salt)

    return _output_run(args, out, compute)


def _inputs(
    desired: _core.ResourceSet, live: _core.ResourceSet, args: argparse.Namespace, salt: int
) -> Inputs:
    """Both sides as the renderers that show whole objects see them."""
    _keep_until_exit(desired, live)
    return Inputs(
        desired,
        live,
        default_namespace=args.namespace,
        show_secrets=args.show_secrets,
        mask_salt=salt,
    )


def kubectl_folder(path: str, limits: dict[str, int] | None = None) -> _core.ResourceSet:
    """The objects of a folder `kubectl diff` wrote: every regular, non-hidden file in
    it (kubectl's files have no extension; an empty file is an absent object)."""
    if not os.path.isdir(path):
        raise _core.SourceReadError(f"{path}: not a folder (kubectl diff passes two folders)")
    files = sorted(
        entry.path
        for entry in os.scandir(path)
        if not entry.name.startswith(".") and entry.is_file()
    )
    return _core.load_paths(files, limits=limits)


def _run_external(args: argparse.Namespace, out: io.StringIO) -> int:
    def compute(salt: int) -> tuple[_core.Report, Inputs]:
        options = _diff_arguments(args)
        limits = dict(args.limit) or None
        live, merged = kubectl_folder(args.live, limits), kubectl_folder(args.merged, limits)
        report = diff(merged, live, mode="strict", extra="all", mask_salt=salt, **options)  # type: ignore[arg-type]
        return report, _inputs(merged, live, args, salt)

    return _output_run(args, out, compute)


def _run_hash(args: argparse.Namespace, out: io.StringIO) -> int:
    rows, digest = _core.normalize_set(_load(args.path, args), default_namespace=args.namespace)
    for identity, source, digest_of_object, _ in rows:
        out.write(f"{digest_of_object}  {identity}  {source}\n")
    out.write(f"{digest}  (set of {len(rows)} objects)\n")
    return EXIT_IN_SYNC


def _run_normalize(args: argparse.Namespace, out: io.StringIO) -> int:
    rows, _ = _core.normalize_set(
        _load(args.path, args), default_namespace=args.namespace, show_secrets=args.show_secrets
    )
    listing = {"apiVersion": "v1", "kind": "List", "items": [obj for *_, obj in rows]}
    out.write(json.dumps(listing, indent=2, ensure_ascii=False) + "\n")
    return EXIT_IN_SYNC


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        args = _parser().parse_args(arguments)
    except SystemExit as exit_:
        # argparse exits 2 on a usage error (0 for --help, --version).
        if exit_.code not in (0, None):
            return error_code(arguments)
        raise
    run: Callable[[argparse.Namespace, io.StringIO], int] = args.run
    failed = error_code(arguments)
    # Output is buffered and written only once the command has fully succeeded.
    out = io.StringIO()
    try:
        code = run(args, out)
    except (GitopsDiffError, OSError) as error:
        print(f"gitops-diff: error: {error}", file=sys.stderr)
        return failed
    except KeyboardInterrupt:
        print("gitops-diff: interrupted", file=sys.stderr)
        return failed
    try:
        sys.stdout.write(out.getvalue())
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (e.g. `| head`); the exit code still tells the verdict.
        sys.stderr.close()
    return code


def entry_point() -> NoReturn:
    """The installed `gitops-diff` command: `main`, then an immediate exit once the
    output is flushed, without freeing the loaded sets (see `_kept_until_exit`)."""
    global _kept_until_exit
    _kept_until_exit = []
    code = main()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)
