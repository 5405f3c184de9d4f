"""``vwloc run CONFIG.toml -o OUT.h5``: run (or resume, or extend) a sweep into an archive.

The work is :func:`batch.runner.run_sweep`; this module parses the arguments.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from batch.archive import SweepInput
from batch.commands.config import builtin_config_path
from batch.config import load_study
from batch.errors import CommandError
from batch.executors import ExecutorError, make_executor
from batch.runner import run_study, run_sweep

__all__ = ["add_parser", "counts_text", "run"]


def _config_source(name: str) -> Path:
    path = Path(name)
    if not path.exists() and path.suffix == "" and builtin_config_path(name) is not None:
        return builtin_config_path(name)
    return path


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
    out = Path(args.output)
    if not out.parent.is_dir():
        raise CommandError(f"-o {args.output}: directory {str(out.parent)!r} does not exist")
    try:
        executor = make_executor(args.workers, args.scheduler)
    except ExecutorError as exc:
        raise CommandError(str(exc)) from None
    try:
        with executor:
            if list(sweeps) == [""]:
                stats = run_sweep(sweeps[""], text, out, executor, overrides)
            else:
                inputs = {name: SweepInput(c, text, overrides) for name, c in sweeps.items()}
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
    parser.set_defaults(run=run)
