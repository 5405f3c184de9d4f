"""``vwloc run CONFIG.toml -o OUT.h5``: run (or resume, or extend) a sweep into an archive.

The work is :func:`batch.runner.run_sweep`; this module parses the arguments and
refuses, before any work and without creating a file, an output that cannot be
written (:mod:`batch.paths`) and a sweep whose memory or archive does not fit the
machine (:func:`batch.resources.sweep_estimate`; ``--no-resource-check`` to run it
anyway, e.g. with workers elsewhere). A sweep expected to take longer than
:data:`ESTIMATE_SECONDS` says so first. An archive written with another config is
refused in one line; ``--explain`` lists every difference.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from batch.archive import ArchiveWriter, ConfigMismatch, SweepInput
from batch.commands.config import builtin_config_path
from batch.config import Config, load_study
from batch.errors import CommandError
from batch.executors import ExecutorError, make_executor
from batch.paths import writable_file
from batch.resources import check, format_bytes, format_seconds, study_estimate
from batch.runner import run_study, run_sweep

__all__ = ["ESTIMATE_SECONDS", "add_parser", "check_resources", "counts_text", "run"]

#: Sweeps expected to take longer than this (one core each worker) announce the estimate.
ESTIMATE_SECONDS = 60.0


def _config_source(name: str) -> Path:
    path = Path(name)
    if not path.exists() and path.suffix == "" and builtin_config_path(name) is not None:
        return builtin_config_path(name)
    return path


def check_resources(
    configs: Sequence[Config],
    out: Path,
    workers: int,
    label: str,
    skip: bool = False,
    local: bool = True,
    archived: Sequence[Mapping[tuple[str, str], int] | None] | None = None,
) -> None:
    """Refuse sweeps beyond this machine's memory or disk; announce a long job on stderr.

    ``skip`` (``--no-resource-check``) only announces; ``local=False`` (Dask) checks
    the memory of this process and the disk, not that of the workers. ``archived``
    (per config, from :meth:`batch.archive.ArchiveWriter.verify`): a resumed run
    announces the time of the work left.
    """
    estimate = study_estimate(configs, workers, archived)
    if not skip:
        check(estimate, out, memory=local)
    if estimate.seconds / workers > ESTIMATE_SECONDS:
        resuming = any(archived or ())
        print(
            f"{label}: estimate: {format_bytes(estimate.total_memory)} of memory, "
            f"{format_bytes(estimate.disk)} archive, about "
            f"{format_seconds(estimate.seconds / workers)} "
            f"{'left ' if resuming else ''}on {workers} worker(s) (rough)",
            file=sys.stderr,
        )


def counts_text(stats: dict[str, Any]) -> str:
    """What a run did, per sweep point: realizations, points, observables, tasks.

    A realization of a point that computes two observables is one realization
    (the observables share its disorder), so counts are stated per point.
    """
    points, observables = stats["points"], stats["observables"]
    per_point, total = stats["per_point"], stats["per_point_total"]
    upto = "" if stats["realizations"] == per_point * points * observables else "up to "
    return (
        f"{upto}{per_point} new realization(s) per sweep point at {points} point(s) "
        f"({observables} observable(s) each) in {stats['tasks']} task(s); "
        f"the sweep has {total} realization(s) per point"
    )


def run(args: argparse.Namespace) -> int:
    """Entry point of ``vwloc run``."""
    overrides = tuple(args.set or ())
    sweeps, text = load_study(_config_source(args.config), overrides)
    out = writable_file(args.output)
    if args.workers is not None and args.workers < 1:
        raise CommandError(f"--workers must be >= 1, got {args.workers}")
    inputs = {name: SweepInput(c, text, overrides) for name, c in sweeps.items()}
    try:
        archived = ArchiveWriter.verify(out, inputs)
    except ConfigMismatch as exc:
        if args.explain:
            for change in exc.changes:
                print(f"  {change}", file=sys.stderr)
        raise
    workers = args.workers or os.cpu_count() or 1
    check_resources(
        list(sweeps.values()),
        out,
        workers,
        "vwloc run",
        args.no_resource_check,
        args.scheduler is None,
        [archived.get(name) for name in sweeps],
    )
    try:
        executor = make_executor(args.workers, args.scheduler)
    except ExecutorError as exc:
        raise CommandError(str(exc)) from None
    try:
        with executor:
            if list(sweeps) == [""]:
                stats = run_sweep(sweeps[""], text, out, executor, overrides)
            else:
                stats = run_study(inputs, out, executor)
    except ExecutorError as exc:
        raise CommandError(f"{exc}; completed tasks are kept in {out}, rerun to resume") from None
    print(f"{out}: {counts_text(stats)}", file=sys.stderr)
    return 0


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register ``vwloc run``."""
    parser = subparsers.add_parser(
        "run",
        help="run a sweep from a TOML config into an HDF5 archive (rerun resumes)",
        description=(
            "Run a parameter sweep. Rerunning the same command resumes an interrupted "
            "run; a config that only adds realizations or sweep points extends the archive."
        ),
    )
    parser.add_argument(
        "config",
        help="TOML config file (or a built-in name, see vwloc config); a config of "
        "[sweeps.<name>...] tables writes one archive of several sweeps",
    )
    parser.add_argument("-o", "--output", required=True, help="HDF5 archive to write")
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        help="worker processes (default: all cores; 1 runs in this process)",
    )
    parser.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="Dask scheduler tcp://host:port, or 'local' for a LocalCluster of --workers",
    )
    parser.add_argument(
        "--set",
        action="append",
        metavar="KEY.PATH=VALUE",
        help="override one config value (TOML syntax), e.g. --set run.realizations=64",
    )
    parser.add_argument(
        "--no-resource-check",
        action="store_true",
        help="run even if the estimated memory or archive size exceeds this machine's",
    )
    parser.add_argument(
        "--explain",
        action="store_true",
        help="when the archive holds another config, list every difference",
    )
    parser.set_defaults(run=run)
