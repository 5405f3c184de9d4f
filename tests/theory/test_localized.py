"""Localization from Eq. (42): exact zero-frequency limits vs the numerical solution."""

from __future__ import annotations

import math
import sys

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


#: ln r0 from the log path vs the direct formula where both exist: rounding of ln(x) ~ 1e-15.
LOG_TOL = 1e-12


@pytest.mark.parametrize("dim, lam, cutoff", LOCALIZED)
def test_logarithms_match_the_values_where_both_are_floats(dim, lam, cutoff) -> None:
    exact = localization_properties(TheoryParameters.from_lambda(dim, lam, cutoff))
    assert exact.log_omega0 == pytest.approx(math.log(exact.omega0), rel=LOG_TOL)
    assert exact.log_localization_length == pytest.approx(
        math.log(exact.localization_length), rel=LOG_TOL, abs=LOG_TOL
    )
    assert exact.log_static_polarizability == pytest.approx(
        math.log(exact.static_polarizability), rel=LOG_TOL
    )
    assert exact.log_sigma_w2_coefficient == pytest.approx(
        math.log(exact.sigma_w2_coefficient), rel=LOG_TOL
    )


@pytest.mark.parametrize("lam", [2e-3, 1e-3, 1e-4, 1e-6])
def test_two_dimensional_length_beyond_the_float_range_is_reported_as_its_logarithm(lam) -> None:
    """d = 2, x0 = 1: r0 = l exp(1/(2 lambda)) (docs/theory.md), l = 1/(pi lambda).

    From lambda ~ 1.4e-3 on r0 overflows a float: it is inf, not an error, and ln r0
    still equals ln l + 1/(2 lambda) up to the e^(-1/lambda) correction of the closed form.
    """
    params = TheoryParameters.from_lambda(2, lam)
    exact = localization_properties(params)
    assert exact.localized
    expected = math.log(params.mean_free_path) + 0.5 / lam
    assert exact.log_localization_length == pytest.approx(expected, rel=LOG_TOL)
    if expected > math.log(sys.float_info.max):
        assert exact.localization_length == math.inf
    else:
        assert math.log(exact.localization_length) == pytest.approx(expected, rel=LOG_TOL)
    # omega0 = 1/(tau r0/sqrt(D0 tau)) stays representable through its logarithm
    assert exact.log_omega0 == pytest.approx(
        0.5 * math.log(params.diffusion_constant * params.tau) - math.log(params.tau) - expected,
        rel=LOG_TOL,
    )
    # the Born-limit constant c = i/(tau F'(s0)) -> i/(lambda tau) (module docstring)
    assert exact.kernel_constant.imag * params.tau * lam == pytest.approx(1.0, rel=1e-12)
