"""`python -m benches.generator --objects N --seed S --out DIR`."""

from __future__ import annotations

import argparse
import sys

from benches.generator.corpus import Options, generate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benches.generator",
        description="Generate a GitOps repository, a live cluster dump with drift, "
        "and its ground truth.",
    )
    parser.add_argument("--objects", type=int, required=True, help="desired objects to generate")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument(
        "--out", required=True, help="output folder (desired/, live.json, truth.json)"
    )
    parser.add_argument(
        "--drift-rate",
        type=float,
        default=0.08,
        help="chance that a desired object drifts, scaled up for workloads, "
        "ConfigMaps and Services (default 0.08)",
    )
    parser.add_argument(
        "--extra-rate",
        type=float,
        default=0.05,
        help="chance that an app leaves a managed live-only object (default 0.05)",
    )
    parser.add_argument(
        "--no-respell-quantities",
        action="store_true",
        help="write quantities in Git exactly as the server stores them",
    )
    parser.add_argument(
        "--compact",
        action="store_true",
        help="write live.json compactly instead of indented like kubectl",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=0,
        help="worker processes (default: by corpus size and CPUs); "
        "the corpus is the same for any value",
    )
    args = parser.parse_args(argv)
    if args.objects < 1:
        parser.error("--objects must be at least 1")
    result = generate(
        args.out,
        Options(
            objects=args.objects,
            seed=args.seed,
            respell_quantities=not args.no_respell_quantities,
            drift_rate=args.drift_rate,
            extra_rate=args.extra_rate,
            pretty=not args.compact,
            jobs=args.jobs,
        ),
    )
    s = result.truth["summary"]
    print(
        f"{result.desired_objects} desired objects in {result.desired_files} files "
        f"({result.desired_bytes / 1e6:.1f} MB), {result.live_objects} live objects "
        f"({result.live_bytes / 1e6:.1f} MB) in {result.seconds:.1f} s; truth: "
        f"{s['modified']} modified, {s['missing']} missing, {s['extra']} extra, "
        f"{s['changes']} changes",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
