"""Transfer-matrix localization lengths: numba kernels beside their plain-numpy references.

Run as ``python benchmarks/bench_transfer.py [--critical PRECISION]``. Every line is
the median of several repeats measured in this run; both implementations see
the same disorder and do the same arithmetic (lattice/transfer_matrix/_transfer_kernels.py).

1. Chains: transfer steps per second, 8 chains interleaved in one numba loop,
   1 chain alone, and the numpy reference (vectorised over the 8 chains).
2. 3D bar M = 8 at W = 16.5, E = 0: slices per second, numba vs numpy, with
   the split into propagation and QR steps.
3. ``vwloc xi --dim 1 --disorder 1 --energy 0.5`` (0.5 %): wall time.
4. ``--critical P``: the 3D critical-disorder estimate from bars M = 4, 6, 8,
   10 (5 disorders each, relative precision P, 2 worker processes), wall time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from lattice import crossing_points, fit_critical_scaling, localization_length
from lattice.transfer_matrix._transfer_kernels import (
    chain_block,
    chain_block_reference,
    strip_block,
    strip_block_reference,
)
from lattice.transfer_matrix.transfer import reorthogonalization_interval, transverse_geometry

REPEATS = 5


def median_time(fn, repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_chains() -> None:
    rng = np.random.default_rng(1)
    chains, n_numba, n_numpy = 8, 2**18, 2**12
    eps = rng.uniform(-0.5, 0.5, size=(n_numba, chains))
    energies = np.full(chains, 0.5)

    def numba_run(columns: int) -> None:
        chain_block(np.ones(columns), np.zeros(columns), eps[:, :columns].copy(),
                    energies[:columns], np.zeros(columns))  # fmt: skip

    numba_run(chains)  # compile (or load the cache) outside the timing
    single = eps[:, :1].copy()
    t8 = median_time(lambda: numba_run(chains))
    t1 = median_time(
        lambda: chain_block(np.ones(1), np.zeros(1), single, energies[:1], np.zeros(1))
    )
    small = eps[:n_numpy]
    tnp = median_time(
        lambda: chain_block_reference(
            np.ones(chains), np.zeros(chains), small, energies, np.zeros(chains)
        )
    )
    rate8, rate1, rate_np = n_numba * chains / t8, n_numba / t1, n_numpy * chains / tnp
    start = time.perf_counter()
    result = localization_length(1, 1.0, 0.5)
    total = time.perf_counter() - start
    print("1D chains (E = 0.5, W = 1), transfer steps per second, one core:")
    print(f"  numba, 8 chains interleaved : {rate8:10.3e}")
    print(f"  numba, 1 chain              : {rate1:10.3e}")
    print(f"  numpy reference, 8 chains   : {rate_np:10.3e}   (numba 8 chains / numpy = "
          f"{rate8 / rate_np:.0f}x)")  # fmt: skip
    print(f"  localization_length(1, 1, 0.5): xi = {result.xi:.2f} +- {result.xi_err:.2f} "
          f"from {result.length:.3e} steps in {total:.3f} s "
          f"({result.length / total:.2e} steps/s incl. random numbers)")  # fmt: skip


def bench_bar(width: int = 8, disorder: float = 16.5, n_slices: int = 240) -> None:
    neighbours, hop_index = transverse_geometry(3, width, "periodic")
    n = neighbours.shape[0]
    a_priori = reorthogonalization_interval(3, 0.0, disorder, "box")
    adapted = localization_length(3, disorder, 0.0, width=width, max_length=960).interval
    rng = np.random.default_rng(2)
    eps = rng.uniform(-disorder / 2, disorder / 2, size=(n_slices, n))
    hops = -np.ones((n_slices, 3))
    start = np.eye(2 * n, n)

    def run(kernel, every: int) -> None:
        kernel(start[:n].copy(), start[n:].copy(), eps, 0.0, neighbours, hop_index, hops,
               every, np.zeros(n))  # fmt: skip

    no_qr = n_slices + 1
    print(f"3D bar M = {width} (N = {n}), W = {disorder}, E = 0, slices per second, one core "
          "(BLAS single-threaded):")  # fmt: skip
    with threadpool_limits(limits=1, user_api="blas"):
        run(strip_block, a_priori)
        run(strip_block, no_qr)
        p_nb = median_time(lambda: run(strip_block, no_qr))
        p_np = median_time(lambda: run(strip_block_reference, no_qr))
        for label, every in (("a-priori", a_priori), ("adapted (default)", adapted)):
            t_nb = median_time(lambda e=every: run(strip_block, e))
            t_np = median_time(lambda e=every: run(strip_block_reference, e))
            qrs = n_slices // every
            qr_nb, qr_np = (t_nb - p_nb) / qrs * 1e6, (t_np - p_np) / qrs * 1e6
            print(f"  QR every {every:2d} slices ({label}): numba {n_slices / t_nb:8.0f}, "
                  f"numpy {n_slices / t_np:8.0f} ({t_np / t_nb:.1f}x); one QR step: "
                  f"numba {qr_nb:.0f} us, numpy {qr_np:.0f} us")  # fmt: skip
    print(f"  propagation only: numba {p_nb / n_slices * 1e6:.1f} us/slice, "
          f"numpy {p_np / n_slices * 1e6:.1f} us/slice ({p_np / p_nb:.0f}x)")  # fmt: skip


def bench_cli() -> None:
    script = Path(sys.executable).with_name("vwloc")
    argv = [str(script), "xi", "--dim", "1", "--disorder", "1", "--energy", "0.5", "--json"]
    subprocess.run(argv, capture_output=True, check=True)  # warm the numba cache
    wall = median_time(lambda: subprocess.run(argv, capture_output=True, check=True), 3)
    code = "import lattice"
    bare = median_time(lambda: subprocess.run([sys.executable, "-c", code], check=True), 3)
    compute = median_time(lambda: localization_length(1, 1.0, 0.5), 3)
    print("vwloc xi --dim 1 --disorder 1 --energy 0.5 (0.5 % precision):")
    print(f"  whole command {wall:.2f} s = python + `import lattice` {bare:.2f} s "
          f"+ computation {compute:.2f} s + other vwloc subcommand imports")  # fmt: skip


def _bar_point(args: tuple[int, float, float]):
    width, disorder, precision = args
    return localization_length(3, disorder, 0.0, width=width, precision=precision, seed=1)


def bench_critical(precision: float) -> None:
    widths, disorders = (4, 6, 8, 10), (15.5, 16.0, 16.5, 17.0, 17.5)
    tasks = [(m, w, precision) for m in widths for w in disorders]
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(_bar_point, sorted(tasks, key=lambda t: -t[0])))
    wall = time.perf_counter() - start
    m = [r.width for r in results]
    lam = [r.Lambda for r in results]
    err = [r.xi_err / r.width for r in results]
    crossing = crossing_points(m, [r.disorder for r in results], lam, err, degree=2)
    print(f"3D critical disorder from M = 4..10, 5 disorders each, precision {precision}:")
    for pair, w_x, dw, lam_x in zip(crossing.pairs, crossing.disorder, crossing.disorder_err,
                                    crossing.Lambda, strict=True):  # fmt: skip
        print(f"  M = {pair[0]:.0f}/{pair[1]:.0f}: W_x = {w_x:.2f} +- {dw:.2f}, "
              f"Lambda_x = {lam_x:.3f}")  # fmt: skip
    fit = fit_critical_scaling(m, [r.disorder for r in results], lam, err, order=2)
    print(f"  one-parameter fit (all M): W_c = {fit.critical_disorder:.2f} +- "
          f"{fit.critical_disorder_err:.2f}, nu = {fit.nu:.2f} +- {fit.nu_err:.2f}, "
          f"Lambda_c = {fit.Lambda_c:.3f} +- {fit.Lambda_c_err:.3f}, "
          f"chi2/dof = {fit.chi2:.1f}/{fit.dof}")  # fmt: skip
    print(f"  wall time {wall:.0f} s on {os.cpu_count()} cores (2 worker processes)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--critical", type=float, metavar="P", help="also run the 3D W_c study")
    args = parser.parse_args()
    bench_chains()
    bench_bar()
    bench_cli()
    if args.critical:
        bench_critical(args.critical)


if __name__ == "__main__":
    main()
