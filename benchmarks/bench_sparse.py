"""Benchmark: the sparse window engine on large 2D lattices (issue 10).

Workload: one realization of Re sigma(w <= 0.03) at E_F = -1, W = 3 (box), 2D
square lattice, periodic, t = 1, real H; the sparse engine finds every
eigenpair in (E_F - 0.03, E_F + 0.03] (``lattice.exact.sparse_window``), then the
exact pair sum. Target: L = 512 (N = 262,144, ~2,200 eigenpairs) in at most
10 minutes and 6 GB on the 2-core machine.

Each size runs in its own child process, so that its peak resident memory
is measured alone: the child samples (every 0.2 s) the summed proportional
set size (PSS: resident memory, pages shared between processes counted once)
of itself and any child processes (``lattice.exact.sparse_window`` runs the
shifts on ``--workers`` threads of the one process, default every core, so the tree
is the process itself), and reports that peak beside its ``ru_maxrss``.
Printed per size: wall time (total, eigenpairs, pair sum), CPU time of the
process tree and its ratio to the wall time (the cores the run actually got),
eigenpairs, shifts, largest residual, peak memory, the load average, and the
dense engine's time extrapolated as N^3 from a measured median at
``--dense-L``. The scaling exponent between successive sizes is printed as
d ln t / d ln N, for the wall and for the CPU time.

Run: ``.venv/bin/python benchmarks/bench_sparse.py [--sizes 128 256 512]
[--dense-L 64] [--repeats 3] [--sparse-repeats 1] [--workers 2]``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import threading
import time

import numpy as np

import lattice
from lattice.exact.kubo import conductivity_from_transitions
from lattice.exact.spectrum import diagonalize
from lattice.exact.transitions import energy_window, transitions

FERMI = -1.0
DISORDER = 3.0
W_MAX = 0.03
ETA = 0.002
SEED = 7


def _resident_bytes(pid: int) -> int:
    """Proportional set size of a process in bytes (0 once it is gone)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    if int(handle.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.append(int(entry))
            except (FileNotFoundError, ProcessLookupError, IndexError):
                pass
    return found


class _TreeMemory:
    """Peak of the summed PSS of this process and its children."""

    def __init__(self, interval: float = 0.2) -> None:
        self.peak, self._stop = 0, threading.Event()
        self._thread = threading.Thread(target=self._run, args=(interval,), daemon=True)
        self._thread.start()

    def _run(self, interval: float) -> None:
        me = os.getpid()
        while not self._stop.wait(interval):
            total = _resident_bytes(me) + sum(_resident_bytes(c) for c in _children(me))
            self.peak = max(self.peak, total)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def _workload(size: int, engine: str, workers: int | None) -> dict:
    """One realization; returns timings and solver statistics."""
    model = lattice.AndersonModel(dim=2, L=size, disorder=DISORDER)
    omega = np.linspace(0.001, W_MAX, 30)
    window = energy_window(FERMI, 0.0, W_MAX)
    memory = _TreeMemory()
    cpu = os.times()
    start = time.perf_counter()
    if engine == "sparse":
        spectrum = diagonalize(model, 0, SEED, window, engine, workers=workers)
    else:
        spectrum = diagonalize(model, 0, SEED, window, engine)
    solved = time.perf_counter()
    eigen_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    current = transitions(spectrum, model.current_operator(0), FERMI, 0.0, W_MAX)
    sigma = conductivity_from_transitions(current, omega, ETA).real
    done = time.perf_counter()
    used = os.times()
    return {
        "tree_peak_bytes": memory.stop(),
        "self_eigen_peak_bytes": eigen_peak,
        "self_peak_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "cpu_seconds": sum(used[:4]) - sum(cpu[:4]),
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


def _child(size: int, engine: str, workers: int | None = None) -> dict:
    """Run the workload in a child process; add its peak RSS in bytes."""
    command = [sys.executable, __file__, "--child", str(size), "--engine", engine]
    if workers is not None:
        command += ["--workers", str(workers)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    output = process.stdout.read()
    _, status, _ = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"child for L={size} failed with status {process.returncode}")
    result = json.loads(output.strip().splitlines()[-1])
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[128, 256, 512])
    parser.add_argument(
        "--dense-L", type=int, default=64, help="size of the dense reference (0: skip it)"
    )
    parser.add_argument("--repeats", type=int, default=3, help="dense runs (median)")
    parser.add_argument("--sparse-repeats", type=int, default=1, help="sparse runs per size")
    parser.add_argument(
        "--workers", type=int, default=None, help="sparse engine threads (default: all cores)"
    )
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--engine", default="sparse", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(_workload(args.child, args.engine, args.workers)))
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
        f"{'cpu s':>7} {'cpu/wall':>8} {'peak GB':>8} {'main GB':>8} {'residual':>9} "
        f"{'dense s (N^3)':>14} {'exp wall':>8} {'exp cpu':>8}"
    )
    print(f"sparse engine on {args.workers or 'all'} threads, "
          f"medians of {args.sparse_repeats} runs per size; peak GB: summed PSS "
          "of the process tree, sampled every 0.2 s; main GB: ru_maxrss")  # fmt: skip
    print(header)
    previous = None
    for size in args.sizes:
        load = os.getloadavg()[0]
        runs = [_child(size, "sparse", args.workers) for _ in range(args.sparse_repeats)]
        r = {key: runs[0][key] for key in ("N", "pairs", "solver")}
        for key in ("seconds", "eigen_seconds", "pair_seconds", "cpu_seconds", "residual"):
            r[key] = statistics.median(run[key] for run in runs)
        for key in ("tree_peak_bytes", "self_peak_bytes", "self_eigen_peak_bytes"):
            r[key] = max(run[key] for run in runs)
        extrapolated = dense_median * (r["N"] / dense_n) ** 3
        exponents = ["", ""]
        if previous is not None:
            ratio = math.log(r["N"] / previous["N"])
            exponents = [
                f"{math.log(r[key] / previous[key]) / ratio:.2f}"
                for key in ("seconds", "cpu_seconds")
            ]
        print(
            f"{size:>5} {r['N']:>8} {r['pairs']:>6} {r['seconds']:>9.1f} "
            f"{r['eigen_seconds']:>8.1f} {r['pair_seconds']:>7.1f} {r['cpu_seconds']:>7.1f} "
            f"{r['cpu_seconds'] / r['seconds']:>8.2f} "
            f"{r['tree_peak_bytes'] / 1e9:>8.2f} {r['self_peak_bytes'] / 1e9:>8.2f} "
            f"{r['residual']:>9.1e} {extrapolated:>14.3g} {exponents[0]:>8} {exponents[1]:>8}",
            flush=True,
        )
        print(f"      {r['solver']}", flush=True)
        print(
            f"      main ru_maxrss after the eigenpairs {r['self_eigen_peak_bytes'] / 1e9:.2f} GB;"
            f" load average {load:.1f} before, {os.getloadavg()[0]:.1f} after",
            flush=True,
        )
        if len(runs) > 1:
            print(f"      wall s of the runs: {[round(run['seconds'], 1) for run in runs]}")
        previous = r
    print(f"load average at end: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
