"""Density of states: clean closed forms, normalisation, averaging, bad input."""

import numpy as np
import pytest
from scipy import integrate, special

import lattice
from lattice.exact.dos import density_of_states, dos_of_levels
from lattice.exact.spectrum import diagonalize, eigenvalues

#: Sums of float64 kernels over <= 10^3 levels, relative.
EXACT = 1e-12
#: Clean ring of L = 600 sites vs the infinite chain, Lorentzian eta = 0.1: the k-sum
#: of 1/(z + 2 cos k) on L points differs from the integral by ~exp(-L Im k0),
#: Im k0 >= eta/2 (the pole of the summand), i.e. < e^-30 ~ 1e-13.
CHAIN_TOL = 1e-11
#: Clean 40 x 40 torus vs the infinite square lattice, Gaussian sigma = 0.3: the
#: aliasing terms of the k-sum decay like exp(-(L sigma / v)^2 / 2) with band
#: velocity v <= 2 per axis, e^-18 ~ 1.5e-8; the quadrature adds < 1e-11.
SQUARE_TOL = 1e-7


def test_clean_chain_lorentzian_dos_is_the_closed_form() -> None:
    """-(1/pi) Im G(E + i eta) with G(z) = 1/sqrt(z^2 - 4): the analytic continuation
    of the clean-chain rho(E) = 1/(pi sqrt(4 - E^2))."""
    energies = np.linspace(-3.0, 3.0, 25)
    result = density_of_states(lattice.AndersonModel(dim=1, L=600), energies, eta=0.1,
                               realizations=1)  # fmt: skip
    z = energies + 0.1j
    expected = -(1.0 / (np.sqrt(z - 2.0) * np.sqrt(z + 2.0))).imag / np.pi
    np.testing.assert_allclose(result.mean, expected, rtol=CHAIN_TOL)
    # the reference itself tends to the textbook form inside the band as eta -> 0
    inside = np.abs(energies) < 1.5
    z0 = energies[inside] + 1e-9j
    np.testing.assert_allclose(
        -(1.0 / (np.sqrt(z0 - 2.0) * np.sqrt(z0 + 2.0))).imag / np.pi,
        1.0 / (np.pi * np.sqrt(4.0 - energies[inside] ** 2)),
        rtol=1e-8,
    )


def square_lattice_dos(energy: np.ndarray) -> np.ndarray:
    """rho(E) = K(m = 1 - E^2/16) / (2 pi^2) of the infinite square lattice (t = 1)."""
    return special.ellipkm1(energy * energy / 16.0) / (2.0 * np.pi**2)


def gaussian_smoothed(energy: float, sigma: float) -> float:
    def integrand(e):
        return square_lattice_dos(e) * np.exp(-((energy - e) ** 2) / (2 * sigma**2))

    pieces = [(-4.0, -1.0), (-1.0, 0.0), (0.0, 1.0), (1.0, 4.0)]  # log singularity at 0
    total = sum(
        integrate.quad(integrand, a, b, epsabs=1e-13, epsrel=1e-12, limit=200)[0]
        for a, b in pieces
    )
    return total / (np.sqrt(2.0 * np.pi) * sigma)


def test_clean_square_lattice_gaussian_dos_is_the_elliptic_closed_form() -> None:
    energies = np.linspace(-4.5, 4.5, 19)
    result = density_of_states(lattice.AndersonModel(dim=2, L=40), energies, eta=0.3,
                               kernel="gaussian", realizations=1)  # fmt: skip
    expected = np.array([gaussian_smoothed(e, 0.3) for e in energies])
    np.testing.assert_allclose(result.mean, expected, rtol=0, atol=SQUARE_TOL * expected.max())
    assert square_lattice_dos(np.array([4.0]))[0] == pytest.approx(1.0 / (4.0 * np.pi))


@pytest.mark.parametrize("model", [
    lattice.AndersonModel(dim=2, L=(7, 5), disorder=4.0, boundary="open"),
    lattice.AndersonModel(dim=1, L=40, disorder=2.0, boundary="open"),
    lattice.AndersonModel(dim=3, L=3, disorder=1.0, kind="gaussian"),
], ids=repr)  # fmt: skip
def test_dos_integrates_to_one_per_site(model) -> None:
    levels = eigenvalues(model, 2, 9)
    low, high = levels.min() - 1.0, levels.max() + 1.0
    edges = np.linspace(low, high, 57)
    histogram = density_of_states(model, edges, kernel="histogram", realizations=[2], seed=9)
    assert abs(np.sum(histogram.mean * np.diff(edges)) - 1.0) < EXACT
    np.testing.assert_allclose(histogram.energies, 0.5 * (edges[1:] + edges[:-1]))
    # Gaussian: the trapezoid rule on a grid of spacing sigma/4 over +-12 sigma beyond the
    # levels is exact up to exp(-2 pi^2 (4)^2) and the e^-72 tails.
    sigma = 0.2
    grid = np.arange(levels.min() - 12 * sigma, levels.max() + 12 * sigma, sigma / 4)
    gaussian = dos_of_levels(levels, grid, sigma, "gaussian")
    assert abs(integrate.trapezoid(gaussian, grid) - 1.0) < EXACT
    # Lorentzian: the weight outside [a, b] is (1/pi N) sum (pi - atan((b-e)/eta)
    # + atan((a-e)/eta)); the trapezoid rule on a fine grid matches that.
    eta, a, b = 0.1, low - 5.0, high + 5.0
    grid = np.linspace(a, b, 40001)
    inside = (np.arctan((b - levels) / eta) - np.arctan((a - levels) / eta)).sum()
    lorentzian = dos_of_levels(levels, grid, eta, "lorentzian")
    expected = inside / (np.pi * levels.size)
    assert abs(integrate.trapezoid(lorentzian, grid) - expected) < 1e-6
    assert 1.0 - expected < 2 * eta / (np.pi * 5.0)


def test_histogram_counts_levels_per_bin() -> None:
    model = lattice.AndersonModel(dim=2, L=6, disorder=3.0)
    edges = np.array([-6.0, -1.0, 0.0, 0.5, 6.0])
    result = density_of_states(model, edges, eta=None, kernel="histogram", realizations=2,
                               seed=4)  # fmt: skip
    for r, i in enumerate(result.realizations):
        levels = diagonalize(model, int(i), 4).energies
        counts = [np.count_nonzero((levels >= lo) & (levels < hi)) for lo, hi in
                  zip(edges[:-1], edges[1:], strict=True)]  # fmt: skip
        np.testing.assert_allclose(result.values[r], np.array(counts) / (36 * np.diff(edges)),
                                   rtol=EXACT)  # fmt: skip


def test_eigenvalues_match_diagonalize() -> None:
    for model in (
        lattice.AndersonModel(dim=1, L=30, disorder=2.0, boundary="open"),
        lattice.AndersonModel(dim=1, L=1, disorder=2.0, boundary="open"),
        lattice.AndersonModel(dim=2, L=5, disorder=2.0, flux=0.2),
    ):
        np.testing.assert_allclose(
            eigenvalues(model, 1, 2), diagonalize(model, 1, 2).energies, rtol=0, atol=1e-12
        )


def test_disorder_average_statistics_and_reproducibility() -> None:
    model = lattice.AndersonModel(dim=2, L=6, disorder=3.0)
    energies = np.linspace(-5.0, 5.0, 11)
    batch = density_of_states(model, energies, eta=0.2, realizations=4, seed=3)
    alone = density_of_states(model, energies, eta=0.2, realizations=[3], seed=3)
    np.testing.assert_array_equal(alone.values[0], batch.values[3])
    np.testing.assert_array_equal(
        density_of_states(model, energies, eta=0.2, realizations=4, seed=3).values, batch.values
    )
    np.testing.assert_allclose(batch.mean, batch.values.mean(axis=0), rtol=1e-15)
    assert np.all(batch.stderr > 0)
    np.testing.assert_array_equal(batch.energies, energies)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"energies": [0.0], "eta": 0.0}, "eta"),
    ({"energies": [0.0], "eta": np.nan}, "eta"),
    ({"energies": [0.0], "eta": None}, "eta"),
    ({"energies": [], "eta": 0.1}, "energies"),
    ({"energies": [0.0], "eta": 0.1, "kernel": "box"}, "kernel"),
    ({"energies": [0.0, 1.0], "eta": 0.1, "kernel": "histogram"}, "eta"),
    ({"energies": [1.0, 0.0], "eta": None, "kernel": "histogram"}, "edges"),
    ({"energies": [0.0], "eta": None, "kernel": "histogram"}, "edges"),
    ({"energies": [0.0], "eta": 0.1, "realizations": -1}, "realizations"),
])  # fmt: skip
def test_bad_input_raises_value_error_naming_it(kwargs, message) -> None:
    model = lattice.AndersonModel(dim=1, L=4, disorder=1.0)
    with pytest.raises(ValueError, match=message):
        density_of_states(model, **kwargs)
