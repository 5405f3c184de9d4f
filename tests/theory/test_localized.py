"""Localization from Eq. (42): exact zero-frequency limits vs the numerical solution."""

from __future__ import annotations

import math

import numpy as np
import pytest

from theory.eq42 import solve_eq42
from theory.localized import (
    fit_low_frequency,
    localization_properties,
    zero_frequency_diffusion_ratio,
)
from theory.observables import conductivity
from theory.parameters import TheoryParameters

#: omega0^2 from the fit of omega*M vs the exact root: both at rounding level.
OMEGA0_TOL = 1e-10
#: c from the fitted slope (a difference quotient of omega*M): loses ~6 digits.
CONSTANT_TOL = 1e-8

LOCALIZED = [(1, 0.05, None), (1, 0.3, 2.0), (2, 0.1, None), (2, 0.4, 3.0), (3, 0.5, None)]


@pytest.mark.parametrize("dim, lam, cutoff", LOCALIZED)
def test_fit_of_the_numerical_solution_matches_the_exact_limits(dim, lam, cutoff) -> None:
    params = TheoryParameters.from_lambda(dim, lam, cutoff)
    exact = localization_properties(params)
    fit = fit_low_frequency(params)
    assert exact.localized
    assert fit.omega0_squared == pytest.approx(exact.omega0_squared, rel=OMEGA0_TOL)
    assert fit.kernel_constant.imag == pytest.approx(exact.kernel_constant.imag, rel=CONSTANT_TOL)
    assert abs(fit.kernel_constant.real) < CONSTANT_TOL * abs(exact.kernel_constant)


@pytest.mark.parametrize("dim, lam, cutoff", LOCALIZED)
def test_sigma_w2_law_and_polarizability(dim, lam, cutoff) -> None:
    params = TheoryParameters.from_lambda(dim, lam, cutoff)
    exact = localization_properties(params)
    # the expansion parameter is |c| omega / omega0^2; take it 1e-5
    omega = 1e-5 * exact.omega0_squared / abs(exact.kernel_constant) * np.array([1.0, 0.5])
    sigma = conductivity(solve_eq42(params, omega))
    # Re sigma = A w^2 + O(w^4): no w^3 term since c1 is real
    np.testing.assert_allclose(sigma.real / omega**2, exact.sigma_w2_coefficient, rtol=1e-8)
    np.testing.assert_allclose((1j * sigma / omega).real, exact.static_polarizability, rtol=1e-8)


@pytest.mark.parametrize("dim", [1, 2])
def test_time_reversal_breaking_removes_localization(dim) -> None:
    """Finite tau_s: M(0) finite, D(0) > 0, Re sigma(0) > 0 in d = 1, 2 (seed Sec. IV)."""
    previous = 0.0
    for tau_s_over_tau in (1e4, 1e2, 1.0):
        base = TheoryParameters.from_lambda(dim, 0.1)
        params = TheoryParameters.from_lambda(dim, 0.1, tau_s=tau_s_over_tau * base.tau)
        limits = localization_properties(params)
        assert not limits.localized
        ratio = zero_frequency_diffusion_ratio(params)
        assert 0.0 < ratio.real < 1.0 and abs(ratio.imag) < 1e-12
        sigma0 = conductivity(solve_eq42(params, 0.0))[0]
        assert sigma0.real == pytest.approx(params.n_over_m * params.tau * ratio.real, rel=1e-12)
        assert ratio.real > previous  # stronger breaking, more metallic
        previous = ratio.real
    assert localization_properties(TheoryParameters.from_lambda(dim, 0.1)).localized


def test_weak_breaking_in_1d_follows_the_closed_form() -> None:
    """d = 1, no cutoff, omega = 0: s = tau/tau_s m, m - 1 = m/(2 sqrt(s)) -> closed form."""
    params = TheoryParameters.from_lambda(1, 0.1, tau_s=50.0)
    ratio = zero_frequency_diffusion_ratio(params).real
    # sqrt(m) = x solves x^2 - b x - 1 = 0 with b = sqrt(tau_s/tau)/2
    b = math.sqrt(params.tau_s / params.tau) / 2.0
    x = (b + math.sqrt(b * b + 4.0)) / 2.0
    assert ratio == pytest.approx(1.0 / x**2, rel=1e-13)


def test_fit_needs_a_localized_phase() -> None:
    with pytest.raises(ValueError, match="localized"):
        fit_low_frequency(TheoryParameters.from_lambda(3, 0.1))
