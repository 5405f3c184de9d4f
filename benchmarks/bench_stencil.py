"""Matrix-free stencil and KPM engine self-benchmark (issue 10, "Performance").

Run as a plain script::

    .venv/bin/python benchmarks/bench_stencil.py [--repeats 5] [--quick] [--sigma]

Prints, medians of ``--repeats`` runs in the same process, with the numba
thread count used (``NUMBA_NUM_THREADS``):

1. STREAM triad ``a = b + s c`` (numba, same threads) on arrays larger than the
   caches: the machine's attainable memory bandwidth (24 bytes per element).
2. 2D square lattice, box W = 2, complex128 blocks of R = 1 and 10 columns, L = 512
   and 1024: one fused Chebyshev step ``T_{n+1} = 2 H~ T_n - T_{n-1}`` of the
   stencil and ``H @ block`` by scipy CSR (complex); products per second
   (columns x steps / s) and the stencil's bandwidth (bytes moved per step: read
   T_n, T_{n-1} and the site energies, write T_{n+1}; neighbours are cache hits)
   as a fraction of the triad's.
3. KPM DOS, 512 moments x 10 vectors, one realization, L = 512 and 1024.
4. Re sigma(w) at E_F = 0, T = 0, 2 vectors, eta = 0.01: the number of
   matrix-vector products and the time per product of the 6-column block for
   L = 512, 1024, 2048 (linear in N), and the predicted total (``--sigma`` also
   runs L = 512 for real); memory of the propagation buffers.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numba  # noqa: E402
import numpy as np  # noqa: E402

from lattice.chebyshev import kpm  # noqa: E402
from lattice.chebyshev.operators import StencilOperator  # noqa: E402
from lattice.models.model import AndersonModel  # noqa: E402


@numba.njit(parallel=True, cache=True)
def triad(a, b, c, s):
    """STREAM triad."""
    for i in numba.prange(a.size):
        a[i] = b[i] + s * c[i]


def median(function, repeats: int, *args, **kwargs) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function(*args, **kwargs)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def stream_bandwidth(repeats: int, size: int) -> float:
    a, b, c = np.zeros(size), np.ones(size), np.full(size, 2.0)
    triad(a, b, c, 3.0)
    return 24.0 * size / median(triad, repeats, a, b, c, 3.0)


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


def kpm_dos(lengths, repeats):
    for length in lengths:
        model = AndersonModel(dim=2, L=length, disorder=2.0)
        energies = np.linspace(-4.0, 4.0, 201)

        def run(model=model, energies=energies):
            kpm.kpm_density_of_states(
                model, energies, kernel="jackson", moments=512, realizations=1, vectors=10
            )

        run()
        print(f"KPM DOS L={length}: 512 moments x 10 vectors {median(run, repeats):.2f} s")


def sigma_prediction(lengths, repeats, run_small: bool):
    eta, vectors = 0.01, 2
    for length in lengths:
        model = AndersonModel(dim=2, L=length, disorder=2.0)
        op = StencilOperator(model, realization=0, seed=1)
        scale = op.chebyshev_scale()
        dt = kpm._time_step(scale, 2.0)
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
    print(f"STREAM triad: {bandwidth / 1e9:.2f} GB/s")
    stencil_rows(lengths, (1, 10), args.repeats, bandwidth)
    kpm_dos(lengths, max(1, args.repeats // 2))
    sigma_lengths = (64, 128, 256) if args.quick else (512, 1024, 2048)
    sigma_prediction(sigma_lengths, args.repeats, args.sigma)


if __name__ == "__main__":
    main()
