"""Open-axis factor: against the diffusion boundary-value problem solved directly; limits."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.linalg import solve_banded

import lattice
from theory.boundary import SERIES_RADIUS, open_axis_conductivity, open_axis_factor
from theory.eq42 import solve_eq42
from theory.mapping import map_lattice
from theory.observables import conductivity

#: Closed form vs the finite-difference boundary-value problem, absolute on F (|F| <= ~1):
#: the staggered scheme is second order, O((kappa h)^2/12) <= 3e-7 at N = 4000 cells
#: before Richardson extrapolation; after it ~1e-11 is achieved.
BVP_TOL = 1e-6
#: Small-z limit -i w L^2/(12 D), relative: the next term is -(2/5) z^2 = 4e-7 at |z| = 1e-3.
SMALL_Z_TOL = 1e-6
#: Series branch vs the direct closed form at SERIES_RADIUS, relative: truncation 1.1e-12
#: plus the direct form's cancellation 2e-14.
SEAM_TOL = 2e-12
#: Lattice check: the hard-wall chain's alpha(0) = rho_T L^2/12 (1 + c/L) with c = 2 (its
#: nodes at x = -1 and L: an effective length L + 1); c measured 1.99 at E_F = -1 for
#: T = 0.02-0.1 and L = 200-800 (1.80 at E_F = -1.7, near the band edge); asserted to +-0.1.
#: A spin factor 2 would give c = -L/2 or +L, a length L - 1 would give c = -2.
CHAIN_LENGTH_TOL = 0.1
#: Large z: F = 1 - 1/z up to e^{-2 Re z} (< 1e-40 at |z| = 50), relative.
LARGE_Z_TOL = 1e-14


def _bvp_mean_current(omega: float, sigma: complex, diffusion: complex, length: float, cells: int):
    """<j>/(sigma E) from -i w n + j' = 0, j = sigma E - D n', j(0) = j(L) = 0 (E = 1).

    Staggered grid: n at cell centres, j on the faces x_k = k h (k = 0..cells), j_0 =
    j_cells = 0. Eliminating n_i = (j_{i+1/2} - j_{i-1/2})/(i w h) leaves, for the inner
    faces, j_k + (D/(i w h^2)) (j_{k+1} - 2 j_k + j_{k-1}) = sigma E (tridiagonal); the
    mean over x is the trapezoid rule on the faces (end values 0).
    """
    h = length / cells
    c = diffusion / (1j * omega * h * h)
    inner = cells - 1
    bands = np.zeros((3, inner), dtype=complex)
    bands[0, 1:] = c
    bands[1, :] = 1 - 2 * c
    bands[2, :-1] = c
    current = solve_banded((1, 1), bands, np.full(inner, sigma, dtype=complex))
    return h * current.sum() / length / sigma


def _bvp_factor(omega: float, diffusion: complex, length: float, cells: int = 4000) -> complex:
    """Richardson extrapolation of the second-order scheme from N and 2N cells."""
    coarse = _bvp_mean_current(omega, 1.0, diffusion, length, cells)
    fine = _bvp_mean_current(omega, 1.0, diffusion, length, 2 * cells)
    return (4 * fine - coarse) / 3


@pytest.mark.parametrize(
    "omega, diffusion, length",
    [
        (1e-4, 3.83, 224.0),  # |z| = 0.57
        (0.005, 3.83, 224.0),  # |z| = 4.0: the flux study's window edge
        (0.06, 3.83, 320.0),  # |z| = 20
        (0.02, 3.5 + 0.4j, 256.0),  # complex D(w)
        (2e-6, 1.0, 50.0),  # |z| = 0.035: the series branch
    ],
)
def test_factor_solves_the_boundary_value_problem(omega, diffusion, length) -> None:
    """F = 1 - tanh(z)/z is the x-average of the current of the closed diffusive sample."""
    expected = _bvp_factor(omega, diffusion, length)
    got = open_axis_factor(omega, diffusion, length)[0]
    assert abs(got - expected) < BVP_TOL


def test_eq42_conductivity_through_the_boundary_value_problem() -> None:
    """sigma F with D = sigma(w)/N of Eq. (42) (the flux study's point) solves the same problem."""
    params = map_lattice(2, 3.0, -1.0).parameters
    omega = np.array([0.005, 0.02, 0.06])
    sigma = conductivity(solve_eq42(params, omega))
    rho, length = params.density_of_states, 224.0
    got = open_axis_conductivity(omega, sigma, rho, length)
    for w, s, g in zip(omega, sigma, got, strict=True):
        assert abs(g / s - _bvp_factor(w, s / rho, length)) < BVP_TOL


def test_small_sample_is_the_static_polarizability() -> None:
    """|kappa| L << 1: sigma_open = -i w N L^2/12, the closed metal's alpha = N L^2/12."""
    rho, length, sigma = 0.142, 40.0, 0.544 + 0.01j
    diffusion = sigma / rho
    omega = (1e-3 / (0.5 * length)) ** 2 * abs(diffusion)  # |z| = 1e-3
    got = open_axis_conductivity(omega, sigma, rho, length)[0]
    expected = -1j * omega * rho * length**2 / 12
    assert abs(got / expected - 1) < SMALL_Z_TOL
    assert open_axis_factor(0.0, diffusion, length)[0] == 0


def test_large_sample_is_the_bulk() -> None:
    """|kappa| L >> 1: F = 1 - 1/z (the two boundary layers of depth 1/kappa), -> 1."""
    diffusion, length = 3.83 + 0.2j, 320.0
    omega = np.array([0.5, 5.0])
    z = 0.5 * length * np.sqrt(-1j * omega / diffusion)
    got = open_axis_factor(omega, diffusion, length)
    np.testing.assert_allclose(got, 1 - 1 / z, rtol=LARGE_Z_TOL, atol=0)
    assert np.all(np.abs(z) > 50)


def test_series_is_exact_at_its_radius() -> None:
    """At |z| = SERIES_RADIUS (the series' worst point) it equals 1 - tanh(z)/z evaluated
    directly (which loses only ~eps/|z|^2 = 2e-14 to cancellation there), on both sides."""
    diffusion, length = 2.0 - 0.3j, 10.0
    scale = (0.5 * length) ** 2 / abs(diffusion)
    radii = SERIES_RADIUS * np.array([1 - 1e-9, 1 + 1e-9])
    z = radii * np.sqrt(-1j * diffusion.conjugate() / abs(diffusion))
    direct = 1 - np.tanh(z) / z
    got = open_axis_factor(radii**2 / scale, diffusion, length)
    np.testing.assert_allclose(got, direct, rtol=SEAM_TOL, atol=0)


@pytest.mark.parametrize(
    "omega, diffusion, length, match",
    [
        (-0.1, 1.0, 10.0, "omega"),
        (0.1, -1.0, 10.0, "diffusion"),
        (0.1, np.nan, 10.0, "diffusion"),
        (0.1, 1.0, 0.0, "length"),
    ],
)
def test_rejects_bad_input(omega, diffusion, length, match) -> None:
    with pytest.raises(ValueError, match=match):
        open_axis_factor(omega, diffusion, length)


def test_small_sample_limit_is_the_lattice_polarizability() -> None:
    """The w -> 0 limit i sigma_open/w = rho L^2/12 against the exact alpha(0) of a closed lattice.

    A clean open chain (L sites) at T = 0.05 t, several level spacings (0.014 t), so that
    its compressibility rho_T = (1/L) sum_n -f'(e_n) is smooth; reflection symmetry makes
    every X_nn = (L - 1)/2, so the Kubo alpha(0) (dense engine, position route) is the
    isothermal response to the potential -E x, which the limit describes whatever D is.
    This checks the lattice normalisation (per site, spinless rho and sigma) and the length
    convention (L = number of sites, up to the walls' O(1) shift).
    """
    length, temperature, fermi_energy = 400, 0.05, -1.0
    model = lattice.AndersonModel(1, length, 0.0, boundary="open")
    alpha = lattice.static_polarizability(
        model, fermi_energy, realizations=1, temperature=temperature, route="position"
    ).values[0]
    energies = lattice.diagonalize(model).energies
    weights = 1 / (4 * temperature * np.cosh((energies - fermi_energy) / (2 * temperature)) ** 2)
    rho = weights.sum() / length
    sigma = 0.3 + 0.05j  # any bulk sigma: the limit does not depend on D = sigma/rho
    omega = (1e-4 / (0.5 * length)) ** 2 * abs(sigma / rho)  # |z| = 1e-4
    limit = (1j * open_axis_conductivity(omega, sigma, rho, length)[0] / omega).real
    assert (alpha / limit - 1) * length == pytest.approx(2.0, abs=CHAIN_LENGTH_TOL)
