"""Exact-diagonalization Kubo sums against bare LAPACK (issue 3, "Performance").

Run as a plain script::

    .venv/bin/python benchmarks/bench_lattice.py [--threads 1] [--repeats 3] [--quick]

Prints, medians of ``--repeats`` runs in the same process:

1. 2D Anderson lattice, L = 64 (N = 4096), box W = 2, E_F = 0: one realization
   of Re sigma(w <= 1) (100 frequencies, Lorentzian eta = 0.02) and alpha(0)
   (Kramers-Kronig route, same transitions), against ``numpy.linalg.eigh`` of
   the same dense Hamiltonian (target ratio <= 1.25), and the peak traced
   memory of the project's call in units of the N x N float64 eigenvector
   matrix (target <= 3).
2. 1D open chain, N = 8192, box W = 1, E_F = 0.1, w_max = 0.5: the same
   observables against ``scipy.linalg.eigh_tridiagonal`` of the same chain
   (all eigenpairs; target ratio <= 1.5).

BLAS threads are fixed before NumPy is imported (``--threads``, default 1, the
same for project and baseline) through the OpenBLAS/OpenMP/MKL environment
variables, because the machine is shared and the ratio must compare equal
resources.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1, help="BLAS threads (default 1)")
    parser.add_argument("--repeats", type=int, default=3, help="timed repeats (default 3)")
    parser.add_argument("--quick", action="store_true", help="small sizes (smoke test)")
    return parser.parse_args()


ARGS = parse_arguments()
for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[variable] = str(ARGS.threads)
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402  (after the thread settings)
import scipy.linalg as sla  # noqa: E402

from lattice.exact.kubo import conductivity_from_transitions, current_transitions  # noqa: E402
from lattice.exact.polarizability import polarizability_from_current  # noqa: E402
from lattice.models.model import AndersonModel  # noqa: E402

OMEGA = np.linspace(0.01, 1.0, 100)
ETA = 0.02


def median_times(ours, baseline, prepare, repeats: int) -> tuple[float, float]:
    """Median wall times of ``ours()`` and ``baseline(prepare())`` (prepare untimed),
    interleaved so that load from other processes hits both alike."""
    our_times, baseline_times = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        ours()
        our_times.append(time.perf_counter() - start)
        argument = prepare()
        start = time.perf_counter()
        baseline(argument)
        baseline_times.append(time.perf_counter() - start)
    return statistics.median(our_times), statistics.median(baseline_times)


def project_call(model: AndersonModel, fermi_energy: float, w_max: float):
    """One realization: windowed eigenpairs, transitions, Re sigma and alpha(0)."""
    current = current_transitions(model, 0, 7, fermi_energy, w_max=w_max)
    sigma = conductivity_from_transitions(current, OMEGA[OMEGA <= w_max], ETA).real
    return sigma, polarizability_from_current(current)


def bench_2d(side: int, repeats: int) -> None:
    model = AndersonModel(dim=2, L=side, disorder=2.0)
    dense = model.hamiltonian(realization=0, seed=7).toarray()
    ours, bare = median_times(
        lambda: project_call(model, 0.0, 1.0), np.linalg.eigh, dense.copy, repeats
    )
    tracemalloc.start()
    project_call(model, 0.0, 1.0)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    vectors = model.n_sites**2 * 8
    print(f"2D L={side} (N={model.n_sites}), Re sigma(w<=1) + alpha(0), {repeats} repeats")
    print(f"  vwloc               {ours:8.3f} s")
    print(f"  numpy.linalg.eigh   {bare:8.3f} s")
    print(f"  ratio               {ours / bare:8.3f}   (target <= 1.25)")
    print(f"  peak memory         {peak / vectors:8.3f}   x eigenvector matrix (target <= 3)")


def bench_1d(length: int, repeats: int) -> None:
    model = AndersonModel(dim=1, L=length, disorder=1.0, boundary="open")
    diagonal = model.onsite_energies(realization=0, seed=7)
    off = -np.ones(length - 1)
    ours, bare = median_times(
        lambda: project_call(model, 0.1, 0.5),
        lambda chain: sla.eigh_tridiagonal(*chain),
        lambda: (diagonal, off),
        repeats,
    )
    print(f"1D open chain N={length}, Re sigma + alpha(0) with w_max=0.5, {repeats} repeats")
    print(f"  vwloc                       {ours:8.3f} s")
    print(f"  scipy eigh_tridiagonal      {bare:8.3f} s")
    print(f"  ratio                       {ours / bare:8.3f}   (target <= 1.5)")


def main() -> None:
    print(f"BLAS threads: {ARGS.threads}")
    project_call(AndersonModel(dim=1, L=8, boundary="open"), 0.1, 0.5)  # numba warm-up
    bench_2d(16 if ARGS.quick else 64, ARGS.repeats)
    bench_1d(512 if ARGS.quick else 8192, ARGS.repeats)


if __name__ == "__main__":
    main()
