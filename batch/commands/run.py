"""``vwloc run CONFIG.toml -o OUT.h5``: run (or resume, or extend) a sweep into an archive.

The work is :func:`batch.runner.run_sweep`; this module parses the arguments.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from batch.commands.config import builtin_config_path
from batch.config import load_config
from batch.errors import CommandError
from batch.executors import ExecutorError, make_executor
from batch.runner import run_sweep

__all__ = ["add_parser", "run"]


def _config_source(name: str) -> Path:
    path = Path(name)
    if not path.exists() and path.suffix == "" and builtin_config_path(name) is not None:
        return builtin_config_path(name)
    return path


def run(args: argparse.Namespace) -> int:
    """Entry point of ``vwloc run``."""
    config, text = load_config(_config_source(args.config), args.set or ())
    out = Path(args.output)
    if not out.parent.is_dir():
        raise CommandError(f"-o {args.output}: directory {str(out.parent)!r} does not exist")
    try:
        executor = make_executor(args.workers, args.scheduler)
    except ExecutorError as exc:
        raise CommandError(str(exc)) from None
    try:
        with executor:
            stats = run_sweep(config, text, out, executor, args.set or ())
    except ExecutorError as exc:
        raise CommandError(f"{exc}; completed tasks are kept in {out}, rerun to resume") from None
    print(
        f"{out}: {stats['realizations']} realizations in {stats['tasks']} tasks "
        f"({stats['total']} in the archive)",
        file=sys.stderr,
    )
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
    parser.add_argument("config", help="TOML config file (or a built-in name, see vwloc config)")
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
