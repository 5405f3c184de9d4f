"""``vwloc demo [-o DIR]``: the main job on the built-in demo sweep.

Runs the built-in configs :data:`DEMO_CONFIGS` (``vwloc config demo``,
``demo-2d`` and ``demo-3d``: 1D chains and 2D square lattices with
conductivity, chi(q, 0), alpha(0) and transfer-matrix lengths; 3D bars for the
critical disorder) through the batch machinery as three sweeps of one archive,
``DIR/archive.h5`` (:func:`batch.runner.run_study`; rerunning resumes), then
``vwloc compare`` on it, and prints where everything is and a five-line summary
of the verdicts. Three sweeps because one sweep config is a Cartesian product
of its axes and cannot pair 600-site chains with 24 x 24 squares.

``--realizations N`` changes the ensembles of the configs that diagonalize
(not the transfer-matrix-only 3D one), for a quick look or for the test suite;
the archive records the override.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from batch.archive import SweepInput
from batch.commands.config import builtin_config_path
from batch.config import load_config, needs_lattice
from batch.errors import CommandError
from batch.executors import ExecutorError, make_executor
from batch.runner import run_study, write_report

__all__ = ["DEMO_ARCHIVE", "DEMO_CONFIGS", "DEFAULT_DIRECTORY", "DEMO_NOTE", "add_parser", "run"]

#: Built-in configs run by the demo, each a sweep (named like the config) of one archive.
DEMO_CONFIGS = ("demo", "demo-2d", "demo-3d")
#: The demo's archive inside its directory.
DEMO_ARCHIVE = "archive.h5"
#: Where ``vwloc demo`` writes without ``-o``.
DEFAULT_DIRECTORY = "vwloc-demo"
#: The demo's sizes cannot settle most claims (one chain length, small 2D lattices):
#: its summary and report say where they are tested.
DEMO_NOTE = (
    "rows not tested at demo size are tested by the study: data/configs/study-*.toml, "
    "docs/validation/"
)


def run(args: argparse.Namespace) -> int:
    """Entry point of ``vwloc demo``."""
    directory = Path(args.output)
    if directory.exists() and not directory.is_dir():
        raise CommandError(f"-o {args.output}: exists and is not a directory")
    directory.mkdir(parents=True, exist_ok=True)
    if args.realizations is not None and args.realizations < 2:
        raise CommandError(f"--realizations must be >= 2, got {args.realizations}")
    try:
        executor = make_executor(args.workers, None)
    except ExecutorError as exc:
        raise CommandError(str(exc)) from None
    began = time.perf_counter()
    sweeps = {}
    for name in DEMO_CONFIGS:
        path = builtin_config_path(name)
        config, text = load_config(path)
        overrides: tuple[str, ...] = ()
        if args.realizations is not None and needs_lattice(config.observables):
            block = min(config.run.block_size, args.realizations)
            overrides = (f"run.realizations={args.realizations}", f"run.block_size={block}")
            config, text = load_config(path, overrides)
        sweeps[name] = SweepInput(config, text, overrides)
    out = directory / DEMO_ARCHIVE
    print(f"vwloc demo: simulating {', '.join(DEMO_CONFIGS)} into {out}...", file=sys.stderr)
    with executor:
        try:
            run_study(sweeps, out, executor)
        except ExecutorError as exc:
            raise CommandError(f"{exc}; rerun to resume from {out}") from None
    simulated = time.perf_counter() - began
    print("vwloc demo: comparing with the theory (fits, figures, report)...", file=sys.stderr)
    result = write_report([out], directory, DEMO_NOTE)
    elapsed = time.perf_counter() - began
    print(f"archive:  {out} (sweeps {', '.join(DEMO_CONFIGS)})")
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
    parser.set_defaults(run=run)
