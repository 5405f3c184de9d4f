"""Magnetic flux -> Cooperon dephasing rate 1/tau_s of Eq. (42): units, limits, Landau sum."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from scipy.special import digamma

from theory.eq42 import cooperon_integral_slope, zero_frequency_root
from theory.localized import localization_properties
from theory.magnetic import (
    LANDAU_LEVEL_SIGN_CHANGE,
    LOG_EQUIVALENT_FACTOR,
    landau_level_conductivity_change,
    magnetic_breaking_rate,
    magnetic_field,
    magnetic_length,
    reduced_flux,
    with_magnetic_flux,
)
from theory.mapping import map_lattice
from theory.parameters import TheoryParameters

#: Closed-form identities (products and ratios of a few floats): rounding level.
EXACT_TOL = 1e-13
#: D(0)/D0 = tau/(s0 tau_s) (1 - delta) + O(delta^2), delta = tau/(tau_s s0 F'(s0)) ~ 4e-5
#: and 4e-6 at the fluxes used: the remainder O(delta^2) is far below this.
SMALL_FLUX_TOL = 1e-8

FLUXES = [0.001, 0.01, 0.05, 0.1, 0.2]
#: The digamma form against the explicit level sum with N = 10^5 levels: the cut-off
#: end contributes O(1/N^2) and float summation ~1e-12 relative.
LEVEL_SUM_TOL = 1e-8


def test_field_and_magnetic_length_in_lattice_units() -> None:
    """One flux quantum h/e = 2 pi hbar/e through a^2: B a^2 = 2 pi Phi, l_B^2 = 1/B."""
    assert magnetic_field(0.25) == pytest.approx(math.pi / 2.0, rel=EXACT_TOL)
    for flux in FLUXES:
        assert magnetic_length(flux) ** 2 * magnetic_field(flux) == pytest.approx(
            1.0, rel=EXACT_TOL
        )
    assert magnetic_length(0.0) == math.inf


@pytest.mark.parametrize("flux", FLUXES)
def test_rate_is_d0_over_l_h_squared(flux) -> None:
    """1/tau_B = D0/l_H^2 with l_H = l_B/2 (Cooperon charge 2e)."""
    d0 = 0.7
    l_h = magnetic_length(flux) / 2.0
    assert magnetic_breaking_rate(flux, d0) == pytest.approx(d0 / l_h**2, rel=EXACT_TOL)


@pytest.mark.parametrize("disorder", [2.0, 6.0])
def test_rate_times_tau_is_twice_l_over_l_b_squared_on_the_square_lattice(disorder) -> None:
    """Second route through the mapping: D0 tau = l^2/2 in d = 2, so tau/tau_B = 2 (l/l_B)^2."""
    mapping = map_lattice(2, disorder, -1.0)
    flux = 0.05
    rate = magnetic_breaking_rate(flux, mapping.diffusion_constant)
    expected = 2.0 * (mapping.mean_free_path / magnetic_length(flux)) ** 2
    assert rate * mapping.tau == pytest.approx(expected, rel=EXACT_TOL)


def test_rate_is_linear_in_flux_and_gauge_periodic() -> None:
    """Linear in |Phi| up to 1/2; integer fluxes are a gauge, -Phi the conjugate."""
    d0 = 1.3
    rates = np.array([magnetic_breaking_rate(f, d0) for f in FLUXES])
    np.testing.assert_allclose(rates / np.array(FLUXES), rates[0] / FLUXES[0], rtol=EXACT_TOL)
    assert magnetic_breaking_rate(0.0, d0) == 0.0
    for flux in (0.05, 0.3):
        assert magnetic_breaking_rate(flux + 2.0, d0) == pytest.approx(
            magnetic_breaking_rate(flux, d0), rel=1e-12
        )
        assert magnetic_breaking_rate(-flux, d0) == magnetic_breaking_rate(flux, d0)
    assert reduced_flux(0.7) == pytest.approx(0.3, rel=EXACT_TOL)


def test_landau_sum_matches_the_log_equivalent_constant_rate() -> None:
    """Charge-2e Landau levels (n + 1/2) w_B, B/pi states each, vs the d = 2 continuum.

    sum_{n<N} (B/pi)/((n + 1/2) w_B) = (psi(N + 1/2) - psi(1/2))/(4 pi D) and
    int_{D k^2 < N w_B} d^2k/(2 pi)^2 1/(D k^2 + G) = ln(1 + N w_B/G)/(4 pi D) agree
    as N -> oo only for G = (e^-gamma/4) w_B; the difference falls like 1/N.
    """
    d0, flux = 0.9, 0.05
    field = magnetic_field(flux)
    w_b = magnetic_breaking_rate(flux, d0)
    # per level the continuum holds d(k^2)/(4 pi) = w_B/(4 pi D) = B/pi states
    assert w_b / (4.0 * math.pi * d0) == pytest.approx(field / math.pi, rel=EXACT_TOL)
    gap = LOG_EQUIVALENT_FACTOR * w_b
    for n_levels in (1e4, 1e6):
        landau = field / math.pi / w_b * (digamma(n_levels + 0.5) - digamma(0.5))
        continuum = math.log1p(n_levels * w_b / gap) / (4.0 * math.pi * d0)
        assert abs(landau - continuum) * 4.0 * math.pi * d0 < 1.0 / n_levels
    naive = math.log1p(1e6) / (4.0 * math.pi * d0)  # constant rate = w_B itself
    landau = field / math.pi / w_b * (digamma(1e6 + 0.5) - digamma(0.5))
    assert (landau - naive) * 4.0 * math.pi * d0 == pytest.approx(
        -math.log(LOG_EQUIVALENT_FACTOR), rel=1e-5
    )


def test_landau_level_change_is_the_level_sum_minus_the_continuum() -> None:
    """(1/4 pi^2) [int_0^{N w_B} dx/(-iw + x) - sum_{n<N} w_B/(-iw + (n+1/2) w_B)], summed
    level by level, equals the digamma form; its limits are the log-equivalent logarithm
    (w << w_B) and -w_B^2/(24 w^2) (w >> w_B, the midpoint rule's error), so it changes sign."""
    rate, levels = 0.0655, 100_000
    omega = np.array([1e-4, 3e-3, 0.0117, 0.03, 0.3])
    x = (np.arange(levels) + 0.5) * rate
    level_sum = (rate / (-1j * omega[:, None] + x[None, :])).sum(axis=1)
    continuum = np.log((levels * rate - 1j * omega) / (-1j * omega))
    direct = (continuum - level_sum) / (4 * math.pi**2)
    formula = landau_level_conductivity_change(omega, rate)
    np.testing.assert_allclose(formula, direct, rtol=LEVEL_SUM_TOL, atol=1e-12)
    small = landau_level_conductivity_change(1e-6, rate).real * 4 * math.pi**2
    assert small == pytest.approx(math.log(LOG_EQUIVALENT_FACTOR * rate / 1e-6), rel=1e-9)
    large = landau_level_conductivity_change(100 * rate, rate).real * 4 * math.pi**2
    assert large == pytest.approx(-1 / (24 * 100**2), rel=1e-3)
    assert formula[1].real > 0 > formula[3].real  # sign change near 0.18 w_B = 0.0117
    at, below, above = landau_level_conductivity_change(
        LANDAU_LEVEL_SIGN_CHANGE * rate * np.array([1.0, 1 - 1e-6, 1 + 1e-6]), rate
    ).real
    assert abs(at) < 1e-12 and below > 0 > above
    with pytest.raises(ValueError, match="omega must be positive, got 0.0"):
        landau_level_conductivity_change([0.01, 0.0], rate)
    with pytest.raises(ValueError, match="breaking_rate"):
        landau_level_conductivity_change(0.01, -1.0)


@pytest.mark.parametrize("disorder", [6.0, 8.0])
def test_flux_delocalizes_eq42_in_two_dimensions(disorder) -> None:
    """Any flux: D(0)/D0 > 0 (no localized solution), rising with flux, -> 0 with it."""
    params = map_lattice(2, disorder, -1.0).parameters
    assert localization_properties(params).localized
    ratios = []
    for flux in FLUXES:
        result = localization_properties(with_magnetic_flux(params, flux))
        assert not result.localized
        assert result.localization_length == math.inf
        ratios.append(result.diffusion_ratio)
    assert all(0.0 < r < 1.0 for r in ratios)
    assert np.all(np.diff(ratios) > 0.0)


def test_small_flux_limit_is_four_r0_squared_over_l_b_squared() -> None:
    """D(0)/D0 -> tau/(s0 tau_s) = 8 pi Phi D0 tau/s0 = 4 r0^2/l_B^2 as the flux -> 0.

    At w = 0, F(s) = tau/tau_s; expanding about s0 gives s = s0 (1 + delta) with
    delta = tau/(tau_s s0 F'(s0)), F'(s0) = -s0 Phi'(s0), and D(0)/D0 = tau/(s tau_s).
    """
    params = map_lattice(2, 8.0, -1.0).parameters
    r0 = localization_properties(params).localization_length
    s0 = zero_frequency_root(params)
    slope = float(-s0 * cooperon_integral_slope(params, s0).real)
    for flux in (1e-7, 1e-8):
        broken = with_magnetic_flux(params, flux)
        ratio = localization_properties(broken).diffusion_ratio
        limit = 4.0 * r0**2 / magnetic_length(flux) ** 2
        delta = params.tau / (broken.tau_s * s0 * slope)
        assert ratio == pytest.approx(limit * (1.0 - delta), rel=SMALL_FLUX_TOL)
    unchanged = with_magnetic_flux(params, 0.0)
    assert unchanged == params
    assert localization_properties(unchanged).diffusion_ratio == 0.0


def test_bad_input_names_the_value() -> None:
    params = TheoryParameters.from_lambda(2, 0.1)
    with pytest.raises(ValueError, match="dim >= 2"):
        with_magnetic_flux(TheoryParameters.from_lambda(1, 0.1), 0.05)
    with pytest.raises(ValueError, match="tau_s"):
        with_magnetic_flux(dataclasses.replace(params, tau_s=3.0), 0.05)
    with pytest.raises(ValueError, match="flux"):
        magnetic_breaking_rate(float("nan"), 1.0)
    with pytest.raises(ValueError, match="diffusion_constant"):
        magnetic_breaking_rate(0.05, -1.0)
