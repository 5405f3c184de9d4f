"""Benchmark: the sparse window engine on large 2D lattices (issue 10).

Workload: one realization of Re sigma(w <= 0.03) at E_F = -1, W = 3 (box), 2D
square lattice, periodic, t = 1, real H; the sparse engine finds every
eigenpair in (E_F - 0.03, E_F + 0.03] (``lattice.sparse_window``), then the
exact pair sum. Target: L = 512 (N = 262,144, ~2,200 eigenpairs) in at most
10 minutes and 6 GB on the 2-core machine.

Each size runs in its own child process, so that its peak resident memory
(``ru_maxrss`` of that child, which includes SuperLU's factors) is measured
alone. Printed per size: wall time (total, eigenpairs, pair sum), eigenpairs,
shifts, largest residual, peak memory, and the dense engine's time
extrapolated as N^3 from a measured median at ``--dense-L``. The scaling
exponent between successive sizes is printed as d ln t / d ln N.

Run: ``.venv/bin/python benchmarks/bench_sparse.py [--sizes 128 256 512]
[--dense-L 64] [--repeats 3]``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import time

import numpy as np

import lattice
from lattice.kubo import conductivity_from_transitions
from lattice.spectrum import diagonalize
from lattice.transitions import energy_window, transitions

FERMI = -1.0
DISORDER = 3.0
W_MAX = 0.03
ETA = 0.002
SEED = 7


def _workload(size: int, engine: str) -> dict:
    """One realization; returns timings and solver statistics."""
    model = lattice.AndersonModel(dim=2, L=size, disorder=DISORDER)
    omega = np.linspace(0.001, W_MAX, 30)
    window = energy_window(FERMI, 0.0, W_MAX)
    start = time.perf_counter()
    spectrum = diagonalize(model, 0, SEED, window, engine)
    solved = time.perf_counter()
    current = transitions(spectrum, model.current_operator(0), FERMI, 0.0, W_MAX)
    sigma = conductivity_from_transitions(current, omega, ETA).real
    done = time.perf_counter()
    return {
        "L": size,
        "N": model.n_sites,
        "engine": engine,
        "seconds": done - start,
        "eigen_seconds": solved - start,
        "pair_seconds": done - solved,
        "pairs": int(spectrum.energies.size),
        "transitions": int(current.frequency.size),
        "residual": spectrum.residual,
        "solver": spectrum.solver,
        "sigma_mean": float(sigma.mean()),
    }


def _child(size: int, engine: str) -> dict:
    """Run the workload in a child process; add its peak RSS in bytes."""
    command = [sys.executable, __file__, "--child", str(size), "--engine", engine]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"child for L={size} failed with status {process.returncode}")
    result = json.loads(output.strip().splitlines()[-1])
    result["peak_bytes"] = usage.ru_maxrss * 1024  # Linux: kilobytes
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[128, 256, 512])
    parser.add_argument(
        "--dense-L", type=int, default=64, help="size of the dense reference (0: skip it)"
    )
    parser.add_argument("--repeats", type=int, default=3, help="dense runs (median)")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--engine", default="sparse", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(_workload(args.child, args.engine)))
        return 0

    print(f"load average at start: {os.getloadavg()}", flush=True)
    dense_n, dense_median = max(args.dense_L, 1) ** 2, math.nan
    if args.dense_L > 0:
        dense = [_child(args.dense_L, "dense") for _ in range(args.repeats)]
        dense_median = statistics.median(r["seconds"] for r in dense)
        small = _child(args.dense_L, "sparse")
        print(
            f"L={args.dense_L} (N={dense_n}): dense engine median {dense_median:.2f} s of "
            f"{args.repeats}, sparse {small['seconds']:.2f} s; Re sigma agrees to "
            f"{abs(small['sigma_mean'] / dense[0]['sigma_mean'] - 1):.1e} (mean over omega)",
            flush=True,
        )
    header = (
        f"{'L':>5} {'N':>8} {'pairs':>6} {'sparse s':>9} {'eigen s':>8} {'sums s':>7} "
        f"{'peak GB':>8} {'residual':>9} {'dense s (N^3)':>14} {'exponent':>8}"
    )
    print(header)
    previous = None
    for size in args.sizes:
        r = _child(size, "sparse")
        extrapolated = dense_median * (r["N"] / dense_n) ** 3
        exponent = ""
        if previous is not None:
            ratio = math.log(r["N"] / previous["N"])
            exponent = f"{math.log(r['seconds'] / previous['seconds']) / ratio:.2f}"
        print(
            f"{size:>5} {r['N']:>8} {r['pairs']:>6} {r['seconds']:>9.1f} "
            f"{r['eigen_seconds']:>8.1f} {r['pair_seconds']:>7.1f} "
            f"{r['peak_bytes'] / 1e9:>8.2f} {r['residual']:>9.1e} {extrapolated:>14.3g} "
            f"{exponent:>8}",
            flush=True,
        )
        print(f"      {r['solver']}", flush=True)
        previous = r
    print(f"load average at end: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
