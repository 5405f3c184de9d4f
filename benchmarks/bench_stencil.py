"""Matrix-free stencil and KPM engine self-benchmark (issue 10, "Performance").

Run as a plain script::

    .venv/bin/python benchmarks/bench_stencil.py [--repeats 5] [--quick] [--sigma]

Prints, medians of ``--repeats`` runs in the same process, with the numba
thread count used (``NUMBA_NUM_THREADS``) and the load average:

1. STREAM triad ``a = b + s c`` (24 bytes per element) and copy ``a = b``
   (16 bytes) in numba on arrays larger than the caches, with 1 thread and with
   all threads, best of 50 runs as STREAM reports: the machine's attainable
   memory bandwidth.
2. 2D square lattice, box W = 2, complex128 blocks of R = 1 and 10 columns, L = 512
   and 1024: one fused Chebyshev step ``T_{n+1} = 2 H~ T_n - T_{n-1}`` of the
   complex stencil (the path of complex H and of sigma) and ``H @ block`` by
   scipy CSR (complex); products per second (columns x steps / s) and the
   stencil's bandwidth (bytes moved per step: read T_n, T_{n-1} and the site
   energies, write T_{n+1}; neighbours are cache hits) as a fraction of the triad's.
3. The DOS kernel of real H (:mod:`lattice.chebyshev._real_stencil`), 10 complex
   random-phase vectors (20 real recursions), L = 512 and 1024: time per
   Chebyshev step, wall and CPU, in ns per site and complex vector, and the
   bandwidth by the issue's byte model (48 bytes per site and complex vector per
   step plus 8 bytes of site energy per site: :func:`dos_step_bytes`) as a
   fraction of the triad's.
4. KPM DOS, 512 moments x 10 vectors, one realization, L = 512 and 1024 (wall
   and CPU).
5. The Chebyshev series of the conductivity (Clenshaw, one call per time step or
   projection; :meth:`StencilOperator.chebyshev_series`), 2D open x, W = 1, a block
   of R = 4 columns (2 vectors x 2 columns), L = 512 and 2048, with 1 thread and
   with all: the complex kernel (``_stencil.planar_series``, one term per pass, the
   path of complex H) as the baseline, against the real-H kernel the call takes
   (float view, real bonds, two terms per sweep); ns per site, column and term,
   wall and CPU (their ratio shows the threads at work).
6. Re sigma(w) at E_F = 0, T = 0, 2 vectors, eta = 0.01: the number of
   matrix-vector products and the time per product of the 6-column block for
   L = 512, 1024, 2048 (linear in N), and the predicted total (``--sigma`` also
   runs L = 512 for real); memory of the propagation buffers.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import time
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numba  # noqa: E402
import numpy as np  # noqa: E402

from lattice.chebyshev import _real_stencil, _stencil, kpm  # noqa: E402
from lattice.chebyshev.operators import StencilOperator  # noqa: E402
from lattice.models.model import AndersonModel  # noqa: E402

TRIAD_REPEATS = 50


@numba.njit(parallel=True, cache=True)
def triad(a, b, c, s):
    """STREAM triad."""
    for i in numba.prange(a.size):
        a[i] = b[i] + s * c[i]


@numba.njit(parallel=True, cache=True)
def copy(a, b):
    """STREAM copy."""
    for i in numba.prange(a.size):
        a[i] = b[i]


def median(function, repeats: int, *args, **kwargs) -> float:
    return timed(function, repeats, *args, **kwargs)[0]


def timed(function, repeats: int, *args, **kwargs) -> tuple[float, float]:
    """Median wall and median CPU (process, all threads) seconds of ``repeats`` calls."""
    walls, cpus = [], []
    for _ in range(repeats):
        cpu, start = time.process_time(), time.perf_counter()
        function(*args, **kwargs)
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def best(function, repeats: int, *args) -> float:
    """Shortest wall time of ``repeats`` calls."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function(*args)
        times.append(time.perf_counter() - start)
    return min(times)


def load() -> str:
    return "load average " + ", ".join(f"{value:.2f}" for value in os.getloadavg())


def stream_bandwidth(repeats: int, size: int) -> float:
    """Print triad and copy with 1 and all threads; return the triad with all threads (B/s)."""
    a, b, c = np.zeros(size), np.ones(size), np.full(size, 2.0)
    threads = numba.get_num_threads()
    result = 0.0
    for count in sorted({1, threads}):
        numba.set_num_threads(count)
        try:
            triad(a, b, c, 3.0)
            copy(a, b)
            # best of many short runs, as STREAM reports (runs are preempted under load)
            rate_triad = 24.0 * size / best(triad, TRIAD_REPEATS, a, b, c, 3.0)
            rate_copy = 16.0 * size / best(copy, TRIAD_REPEATS, a, b)
        finally:
            numba.set_num_threads(threads)
        print(f"STREAM, {count} thread(s): triad {rate_triad / 1e9:.2f} GB/s, "
              f"copy {rate_copy / 1e9:.2f} GB/s ({load()})")  # fmt: skip
        result = rate_triad
    return result


def dos_step_bytes(sites: int, vectors: int) -> float:
    """The issue's byte model of one Chebyshev step of a block of complex vectors.

    Read T_n and T_{n-1}, write T_{n+1} (3 x 16 bytes per site and complex
    vector) and read the site energy once (8 bytes per site); neighbours and the
    hopping come from cache. The real kernel's own schedule moves less: per real
    part, A, B and the site energies read and A, B written once per two steps
    (20 bytes per real recursion and step, 40 per complex vector).
    """
    return sites * (48.0 * vectors + 8.0)


def real_dos_rows(lengths, repeats, bandwidth):
    """Time per step of :func:`lattice.chebyshev._real_stencil.real_moments`."""
    vectors, steps = 10, 64
    threads = numba.get_num_threads()
    print(f"real-H DOS kernel, {vectors} complex vectors (= {2 * vectors} real), "
          f"{steps + 1} steps per call, {threads} thread(s), {load()}")  # fmt: skip
    print(f"{'L':>6} {'ms/step':>8} {'CPU ms':>7} {'ns/site/vec':>11} {'GB/s':>6} "
          f"{'of triad':>8} {'CPU GB/s':>8}")  # fmt: skip
    for length in lengths:
        model = AndersonModel(dim=2, L=length, disorder=2.0)
        op = StencilOperator(model, realization=0, seed=1)
        phases = kpm.phase_vectors(1, 0, 0, vectors, model.n_sites)
        block = np.concatenate([phases.real.T, phases.imag.T])
        arguments = (block, op.onsite, model.shape, (True, True), 1.0, op.chebyshev_scale())
        _real_stencil.real_moments(*arguments, 2)
        wall, cpu = timed(_real_stencil.real_moments, repeats, *arguments, 2 * steps + 2)
        wall, cpu = wall / (steps + 1), cpu / (steps + 1)
        moved = dos_step_bytes(model.n_sites, vectors)
        print(
            f"{length:6d} {1e3 * wall:8.2f} {1e3 * cpu:7.2f} "
            f"{1e9 * wall / (model.n_sites * vectors):11.3f} {moved / wall / 1e9:6.1f} "
            f"{moved / wall / bandwidth:8.0%} {moved / cpu / 1e9:8.1f}"
        )


def stencil_rows(lengths, columns, repeats, bandwidth):
    print(f"{'L':>6} {'R':>3} {'stencil ms':>11} {'CSR ms':>9} {'ratio':>6} "
          f"{'products/s':>11} {'GB/s':>6} {'of STREAM':>9}")  # fmt: skip
    for length in lengths:
        model = AndersonModel(dim=2, L=length, disorder=2.0)
        op = StencilOperator(model, realization=0, seed=1)
        matrix = model.hamiltonian(0, 1).astype(complex).tocsr()
        scale = op.chebyshev_scale()
        for ncol in columns:
            rng = np.random.default_rng(0)
            current = np.ascontiguousarray(rng.normal(size=(model.n_sites, ncol)) + 0j)
            previous = current.copy()
            op.chebyshev_step(current, previous, scale)
            ours = median(op.chebyshev_step, repeats, current, previous, scale)
            theirs = median(matrix.dot, repeats, current)
            moved = model.n_sites * (3 * 16 * ncol + 8)
            print(
                f"{length:6d} {ncol:3d} {1e3 * ours:11.2f} {1e3 * theirs:9.2f} "
                f"{theirs / ours:6.2f} {ncol / ours:11.3g} {moved / ours / 1e9:6.2f} "
                f"{moved / ours / bandwidth:9.0%}"
            )


def series_rows(lengths, repeats):
    """Section 5 of the module docstring: complex kernel against the real-H kernel."""
    threads = numba.get_num_threads()
    print(f"{'L':>6} {'threads':>7} {'kernel':>8} {'ns wall':>8} {'ns CPU':>7} {'ratio':>6}")
    for length in lengths:
        model = AndersonModel(dim=2, L=length, disorder=1.0, boundary=("open", "periodic"))
        op = StencilOperator(model, realization=0, seed=1)
        scale = op.chebyshev_scale()
        block = np.ones((model.n_sites, 4), dtype=complex)
        coefficients = kpm.propagator_series(scale, 1.3)  # a band-mode time step
        rows = np.ascontiguousarray(np.repeat(coefficients[:, None], 4, axis=1))
        op.chebyshev_series(block, coefficients, scale)  # compiles; sets the scaled diagonal
        bond = np.full(4, -model.hopping / scale[0], dtype=complex)
        grid = (op._scaled_diag, length, length, False, True, bond, np.tile(bond, (length, 1)))
        work = (np.empty_like(block), np.empty_like(block))
        kernels = {
            "complex": partial(_stencil.planar_series, block, *work, *grid, rows),
            "real": partial(op.chebyshev_series, block, coefficients, scale, 0.0, work),
        }
        per = model.n_sites * 4 * (coefficients.size - 1) / 1e9
        for count in sorted({1, threads}):
            numba.set_num_threads(count)
            results = {}
            for name, kernel in kernels.items():
                kernel()
                results[name] = timed(kernel, repeats)
            for name, (wall, cpu) in results.items():
                ratio = results["complex"][0] / wall
                print(f"{length:6d} {count:7d} {name:>8} {wall / per:8.2f} {cpu / per:7.2f} "
                      f"{ratio:6.2f}")  # fmt: skip
        numba.set_num_threads(threads)


def kpm_dos(lengths, repeats):
    for length in lengths:
        model = AndersonModel(dim=2, L=length, disorder=2.0)
        energies = np.linspace(-4.0, 4.0, 201)

        def run(model=model, energies=energies):
            kpm.kpm_density_of_states(
                model, energies, kernel="jackson", moments=512, realizations=1, vectors=10
            )

        run()
        wall, cpu = timed(run, repeats)
        print(f"KPM DOS L={length}: 512 moments x 10 vectors {wall:.2f} s wall, "
              f"{cpu:.2f} s CPU ({load()})")  # fmt: skip


def sigma_prediction(lengths, repeats, run_small: bool):
    eta, vectors = 0.01, 2
    for length in lengths:
        model = AndersonModel(dim=2, L=length, disorder=2.0)
        op = StencilOperator(model, realization=0, seed=1)
        scale = op.chebyshev_scale()
        dt = kpm._time_step(scale, 2.0, eta)
        steps = math.ceil(kpm._window_length(eta, "lorentzian") / dt)
        terms = kpm.propagator_series(scale, dt).size
        fermi = kpm.fermi_series(scale, 0.0, kpm.T0_SMEARING * eta).size
        block = np.ones((model.n_sites, 3 * vectors), dtype=complex)
        previous = block.copy()
        potential = np.zeros(3 * vectors)
        op.chebyshev_step(block, previous, scale, vector_potential=potential)
        per_step = median(
            op.chebyshev_step, repeats, block, previous, scale, vector_potential=potential
        )
        products = steps * terms
        total = products * per_step + 2 * fermi * per_step / 3
        memory = 3 * block.nbytes / 2**30
        print(
            f"sigma L={length}: {steps} steps x {terms} terms = {products} block products "
            f"({3 * vectors} columns) + 2 x {fermi} f(H) terms; {1e3 * per_step:.1f} ms "
            f"per product ({1e9 * per_step / model.n_sites:.1f} ns/site) -> predicted "
            f"{total / 60:.1f} min, buffers {memory:.2f} GiB"
        )
    if run_small:
        model = AndersonModel(dim=2, L=lengths[0], disorder=2.0)
        start = time.perf_counter()
        kpm.kpm_complex_conductivity(
            model, np.linspace(0.05, 2.0, 40), 0.0, eta, realizations=1, vectors=vectors
        )
        print(f"sigma L={lengths[0]} measured: {time.perf_counter() - start:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="small sizes (smoke test)")
    parser.add_argument("--sigma", action="store_true", help="also run sigma at the smallest L")
    args = parser.parse_args()
    lengths = (64, 128) if args.quick else (512, 1024)
    print(f"numba threads: {numba.get_num_threads()}")
    bandwidth = stream_bandwidth(args.repeats, 1 << (20 if args.quick else 25))
    stencil_rows(lengths, (1, 10), args.repeats, bandwidth)
    real_dos_rows(lengths, args.repeats, bandwidth)
    kpm_dos(lengths, max(1, args.repeats // 2))
    series_rows((64, 128) if args.quick else (512, 2048), args.repeats)
    sigma_lengths = (64, 128, 256) if args.quick else (512, 1024, 2048)
    sigma_prediction(sigma_lengths, args.repeats, args.sigma)


if __name__ == "__main__":
    main()
