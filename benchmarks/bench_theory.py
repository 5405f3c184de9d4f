"""Eq. (42) on 10^4 frequencies: the vectorized solver vs a per-frequency scalar Newton.

Baseline: scipy.optimize.newton on the same scalar equation F(s) = s (1 - Phi(s)) + i w,
one frequency at a time, started from the previous root (continuation from high to
low frequency), the textbook way to solve a self-consistency per frequency. Both use
the closed-form k-sums of theory.eq42. The baseline runs on 10^3 frequencies and is
scaled to 10^4. Prints medians of several repeats.
"""

from __future__ import annotations

import math
import statistics
import time
from functools import partial

import numpy as np
from scipy.optimize import newton

from theory.eq42 import cooperon_integral, solve_eq42
from theory.parameters import TheoryParameters

REPEATS = 5
N_FAST = 10_000
N_BASELINE = 1_000
CASES = [(1, 0.1, None), (1, 0.1, 3.0), (2, 0.2, None), (3, 0.2, None), (3, 0.5, None)]


def _median_time(function, repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _residual(params: TheoryParameters, w: complex, s: complex) -> complex:
    return s * (1.0 - cooperon_integral(params, s)[()]) + 1j * w


def _baseline(params: TheoryParameters, omega: np.ndarray) -> np.ndarray:
    """Scalar Newton per frequency, continuation from the highest frequency down."""
    w_all = omega[::-1] * params.tau
    s = -1j * w_all[0]
    kernel = np.empty(w_all.size, dtype=complex)
    for i, w in enumerate(w_all):
        s = newton(partial(_residual, params, w), s, tol=1e-300, rtol=1e-13, maxiter=200)
        kernel[i] = -s / (w * params.tau)
    return kernel[::-1]


def main() -> None:
    header = f"{'case':<24}{'vectorized [ms]':>17}{'scalar Newton [ms]':>20}{'ratio':>8}"
    print(f"Eq. (42) on {N_FAST} frequencies, medians of {REPEATS} runs")
    print(header + "  max rel diff")
    for dim, lam, cutoff in CASES:
        params = TheoryParameters.from_lambda(dim, lam, cutoff)
        omega_fast = np.logspace(-8, 3, N_FAST) / params.tau
        omega_slow = np.logspace(-8, 3, N_BASELINE) / params.tau
        fast = _median_time(partial(solve_eq42, params, omega_fast))
        slow = _median_time(partial(_baseline, params, omega_slow), repeats=3)
        slow *= N_FAST / N_BASELINE
        reference = solve_eq42(params, omega_slow).kernel
        diff = np.max(np.abs(_baseline(params, omega_slow) / reference - 1.0))
        label = f"d={dim} lambda={lam}" + (
            "" if math.isinf(params.cutoff) else f" x0={params.cutoff:g}"
        )
        ratio = slow / fast
        print(f"{label:<24}{1e3 * fast:>17.1f}{1e3 * slow:>20.1f}{ratio:>8.0f}  {diff:.1e}")


if __name__ == "__main__":
    main()
