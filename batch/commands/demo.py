"""``vwloc demo [-o DIR]``: the main job on the built-in demo sweep.

Runs the built-in configs :data:`DEMO_CONFIGS` (``vwloc config demo``,
``demo-2d`` and ``demo-3d``: 1D chains and 2D square lattices with
conductivity, chi(q, 0), alpha(0) and transfer-matrix lengths; 3D bars for the
critical disorder) through the batch machinery into ``DIR/archive.h5``,
``archive-2d.h5`` and ``archive-3d.h5`` (rerunning resumes), then ``vwloc
compare`` on all three, and prints where everything is and a five-line summary
of the verdicts. Three archives because one sweep config is a Cartesian
product of its axes and cannot pair 600-site chains with 24 x 24 squares.

``--realizations N`` changes the ensembles of the configs that diagonalize
(not the transfer-matrix-only 3D one), for a quick look or for the test suite;
the archive records the override.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

from batch.commands.config import builtin_config_path
from batch.commands.run import check_resources
from batch.config import LATTICE_OBSERVABLES, Config, load_config
from batch.errors import CommandError
from batch.executors import ExecutorError, make_executor
from batch.paths import writable_directory
from batch.runner import run_sweep, write_report

__all__ = ["DEMO_CONFIGS", "DEFAULT_DIRECTORY", "add_parser", "run"]

#: Built-in config name -> archive file name inside the demo directory.
DEMO_CONFIGS = {"demo": "archive.h5", "demo-2d": "archive-2d.h5", "demo-3d": "archive-3d.h5"}
#: Where ``vwloc demo`` writes without ``-o``.
DEFAULT_DIRECTORY = "vwloc-demo"


def _demo_config(name: str, realizations: int | None) -> tuple[Config, str, list[str]]:
    """A built-in demo config with ``--realizations`` applied where it diagonalizes."""
    path = builtin_config_path(name)
    config, text = load_config(path)
    enabled = config.observables.enabled()
    diagonalizes = any(observable in enabled for observable in LATTICE_OBSERVABLES)
    overrides = []
    if realizations is not None and diagonalizes:
        block = min(config.run.block_size, realizations)
        overrides = [f"run.realizations={realizations}", f"run.block_size={block}"]
        config, text = load_config(path, overrides)
    return config, text, overrides


def run(args: argparse.Namespace) -> int:
    """Entry point of ``vwloc demo``."""
    if args.realizations is not None and args.realizations < 2:
        raise CommandError(f"--realizations must be >= 2, got {args.realizations}")
    if args.workers is not None and args.workers < 1:
        raise CommandError(f"--workers must be >= 1, got {args.workers}")
    directory = writable_directory(args.output)
    workers = args.workers or os.cpu_count() or 1
    configs = {}
    for name, filename in DEMO_CONFIGS.items():
        configs[name] = _demo_config(name, args.realizations)
        check_resources(
            configs[name][0], directory / filename, workers, "vwloc demo", args.no_resource_check
        )
    directory.mkdir(parents=True, exist_ok=True)
    try:
        executor = make_executor(args.workers, None)
    except ExecutorError as exc:
        raise CommandError(str(exc)) from None
    began = time.perf_counter()
    archives = []
    with executor:
        for name, filename in DEMO_CONFIGS.items():
            config, text, overrides = configs[name]
            out = directory / filename
            print(f"vwloc demo: running config {name!r} into {out}", file=sys.stderr)
            try:
                run_sweep(config, text, out, executor, overrides)
            except ExecutorError as exc:
                raise CommandError(f"{exc}; rerun to resume from {out}") from None
            archives.append(out)
    simulated = time.perf_counter() - began
    result = write_report(archives, directory)
    elapsed = time.perf_counter() - began
    print(f"archives: {', '.join(map(str, archives))}")
    print(f"report:   {result['report']}  (HTML: {result['html']})")
    print(f"figures:  {directory / 'figures'}/ (PDF and PNG: {', '.join(result['figures'])})")
    print(f"data:     {result['figures_json']}, {result['predictions_json']}")
    print(f"time:     {simulated:.0f} s simulation, {elapsed - simulated:.0f} s comparison")
    print("verdicts:")
    for line in result["summary"]:
        print(f"  {line}")
    return 0


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register ``vwloc demo``."""
    parser = subparsers.add_parser(
        "demo",
        help="simulate, archive, compare with the theory and write the report (built-in sweep)",
        description=(
            "Run the built-in demo sweep (1D chains and 2D lattices: conductivity, chi(q,0), "
            "alpha(0), transfer-matrix lengths), compare with the Vollhardt-Woelfle theory "
            "and write the report with figures. Rerunning resumes."
        ),
    )
    parser.add_argument(
        "-o",
        "--output",
        default=DEFAULT_DIRECTORY,
        metavar="DIR",
        help=f"output directory (default ./{DEFAULT_DIRECTORY})",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        help="worker processes (default: all cores; 1 runs in this process)",
    )
    parser.add_argument(
        "--realizations",
        type=int,
        default=None,
        metavar="N",
        help="disorder realizations per point instead of the configs' (quick look, tests)",
    )
    parser.add_argument(
        "--no-resource-check",
        action="store_true",
        help="run even if the estimated memory or archive size exceeds this machine's",
    )
    parser.set_defaults(run=run)
