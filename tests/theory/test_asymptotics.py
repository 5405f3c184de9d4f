"""Small-lambda limits of Eq. (42) vs the derived forms, and the seed's printed Eqs. (43)-(44)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from theory.asymptotics import (
    comparison_table,
    derived_asymptotics,
    inelastic_correction,
    inelastic_correction_asymptotic,
    seed_dielectric_constant_1d,
    seed_omega0_squared,
    seed_sigma_w2_coefficient,
    seed_sigma_w2_coefficient_1d,
)
from theory.eq42 import solve_eq42
from theory.exact1d import berezinskii_static_polarizability
from theory.localized import fit_low_frequency, localization_properties
from theory.parameters import TheoryParameters

#: Where the derived form is exact, numerical and derived agree to this (issue: 1e-6).
EXACT_TOL = 1e-6
LAMBDAS = (0.3, 0.2, 0.1, 0.07, 0.05, 0.03)


def _numerical(params: TheoryParameters):
    return fit_low_frequency(params)


@pytest.mark.parametrize("lam", LAMBDAS)
def test_1d_without_cutoff_is_exact(lam) -> None:
    """d = 1, no cutoff: omega0^2 = (pi E_F lambda)^2, c = 2i/tau, r0 = 2l for every lambda."""
    params = TheoryParameters.from_lambda(1, lam)
    fit = _numerical(params)
    derived = derived_asymptotics(params)
    assert derived.exact
    assert fit.omega0_squared == pytest.approx((math.pi * lam) ** 2, rel=EXACT_TOL)
    assert fit.omega0_squared == pytest.approx(derived.omega0_squared, rel=EXACT_TOL)
    assert fit.kernel_constant.imag * params.tau == pytest.approx(2.0, rel=EXACT_TOL)
    limits = localization_properties(params)
    assert limits.localization_length == pytest.approx(2.0 * params.mean_free_path, rel=1e-14)
    assert limits.sigma_w2_coefficient == pytest.approx(
        derived.sigma_w2_coefficient, rel=EXACT_TOL
    )


@pytest.mark.parametrize("lam", LAMBDAS)
def test_2d_closed_form_is_exact(lam) -> None:
    params = TheoryParameters.from_lambda(2, lam)
    fit = _numerical(params)
    derived = derived_asymptotics(params, leading=False)
    assert derived.exact
    assert fit.omega0_squared == pytest.approx(derived.omega0_squared, rel=EXACT_TOL)
    assert fit.kernel_constant.imag == pytest.approx(derived.kernel_constant.imag, rel=EXACT_TOL)


def test_2d_leading_form_converges_like_exp_minus_one_over_lambda() -> None:
    """omega0^2 -> 2 pi^2 lambda^2 E_F^2 x0^2 e^{-1/lambda}, relative error 1/expm1(1/lambda)."""
    errors = []
    for lam in LAMBDAS:
        params = TheoryParameters.from_lambda(2, lam, cutoff=1.7)
        fit = _numerical(params)
        leading = 2.0 * math.pi**2 * lam**2 * 1.7**2 * math.exp(-1.0 / lam)
        assert derived_asymptotics(params).omega0_squared == pytest.approx(leading, rel=1e-13)
        error = abs(fit.omega0_squared / leading - 1.0)
        assert error == pytest.approx(1.0 / math.expm1(1.0 / lam), rel=EXACT_TOL)
        errors.append(error)
    assert errors == sorted(errors, reverse=True)
    assert errors[-1] < EXACT_TOL
    # and c tau -> 1/lambda (the seed's Eq. 35 has 1)
    assert fit.kernel_constant.imag * params.tau * lam == pytest.approx(1.0, rel=EXACT_TOL)


def test_1d_with_cutoff_at_p_f_converges_to_the_no_cutoff_limit() -> None:
    """Cutoff k0 = p_F (x0 = 1/(pi lambda)): correction (1 + G/pi K0)^-2, error O(K0^-3)."""
    leading_errors, corrected_errors = [], []
    for lam in LAMBDAS:
        params = TheoryParameters.from_lambda(1, lam, cutoff=1.0 / (math.pi * lam))
        fit = _numerical(params)
        leading = derived_asymptotics(params).omega0_squared
        corrected = derived_asymptotics(params, leading=False).omega0_squared
        leading_errors.append(abs(fit.omega0_squared / leading - 1.0))
        corrected_errors.append(abs(fit.omega0_squared / corrected - 1.0))
        assert leading_errors[-1] == pytest.approx(1.0 - 1.0 / (1.0 + lam) ** 2, rel=0.05)
        assert corrected_errors[-1] < 2.0 * lam**3
    assert leading_errors == sorted(leading_errors, reverse=True)
    assert corrected_errors == sorted(corrected_errors, reverse=True)


def test_seed_eq43_in_1d_is_a_factor_four_below_eq42() -> None:
    for lam in (0.1, 0.03):
        params = TheoryParameters.from_lambda(1, lam)
        ratio = _numerical(params).omega0_squared / seed_omega0_squared(params)
        assert ratio == pytest.approx(4.0, rel=EXACT_TOL)
        # Eq. (44): seed uses c = i/tau and its own omega0 -> numerical A is 1/8 of it
        a = localization_properties(params).sigma_w2_coefficient
        assert a / seed_sigma_w2_coefficient(params) == pytest.approx(1 / 8, rel=EXACT_TOL)
        assert a / seed_sigma_w2_coefficient_1d(params) == pytest.approx(4.0, rel=EXACT_TOL)


def test_seed_eq43_in_2d_agrees_with_its_cutoff_convention() -> None:
    params = TheoryParameters.from_lambda(2, 0.05)
    ratio = _numerical(params).omega0_squared / seed_omega0_squared(params)
    assert ratio == pytest.approx(1.0, rel=10 * math.exp(-1 / 0.05))
    # Eq. (44) in d = 2 misses the factor 1/lambda of c
    a = localization_properties(params).sigma_w2_coefficient
    assert a / seed_sigma_w2_coefficient(params) == pytest.approx(1 / 0.05, rel=1e-6)


def test_1d_static_polarizability_against_berezinskii() -> None:
    """Eq. (42) misses the exact 1D alpha(0) by 4 zeta(3) = 4.81 with Berezinskii's time the
    backscattering time 2 tau (the default), by zeta(3) with the Born time (the seed's
    remark); docs/theory.md section 6a."""
    zeta3 = 1.2020569031595942
    params = TheoryParameters.from_lambda(1, 0.05)
    alpha = localization_properties(params).static_polarizability
    # Eq. (42) in d = 1: alpha_VW = 4 (n/m) tau^2 with n/m = v_F/pi (free electrons)
    assert alpha == pytest.approx(4 * params.fermi_velocity / math.pi * params.tau**2, rel=1e-12)
    exact = berezinskii_static_polarizability(params.tau, params.fermi_velocity)
    assert exact / alpha == pytest.approx(4 * zeta3, rel=1e-12)
    born = berezinskii_static_polarizability(params.tau, params.fermi_velocity, reading="born")
    assert born / alpha == pytest.approx(zeta3, rel=1e-12)
    (row,) = [r for r in comparison_table(params) if r.quantity.startswith("epsilon0")]
    assert row.exact == pytest.approx(4 * math.pi * exact, rel=1e-15)
    # printed epsilon0 = 32 v_F tau^2 is twice 4 pi alpha(0) of Eq. (42) with N per spin
    assert seed_dielectric_constant_1d(params) / (4 * math.pi * alpha) == pytest.approx(2.0)


@pytest.mark.parametrize("dim", [1, 2])
def test_comparison_table_rows(dim) -> None:
    params = TheoryParameters.from_lambda(dim, 0.05)
    rows = comparison_table(params)
    assert len(rows) == (7 if dim == 1 else 5)
    for row in rows:
        assert row.numerical_over_derived == pytest.approx(1.0, rel=1e-6 if dim == 1 else 1e-8)
        assert np.isfinite(row.numerical_over_seed)


def test_inelastic_lowest_order_corrections() -> None:
    """Sec. IV: delta M ~ sqrt(tau_in) (d = 1), ~ ln(tau_in) (d = 2) at weak coupling."""
    # d = 2: the first order is accurate when lambda ln(...) << 1
    lam = 0.005
    base = TheoryParameters.from_lambda(2, lam)
    for ratio in (1e2, 1e4, 1e6):
        params = TheoryParameters.from_lambda(2, lam, tau_inel=ratio * base.tau)
        kernel = solve_eq42(params, 0.0).kernel[0]
        first = inelastic_correction(params)
        delta = kernel - 1j / params.tau
        phi = (first * params.tau / 1j).real
        assert abs(delta / first - 1.0) < 2.0 * phi  # next order is O(Phi^2)
        asym = inelastic_correction_asymptotic(params)
        assert asym.imag == pytest.approx(first.imag, rel=2.0 / ratio)
    # d = 1: Phi = sqrt(tau_in/tau)/2 is small for tau_in << tau
    base = TheoryParameters.from_lambda(1, 0.1)
    for ratio in (1e-4, 1e-6):
        params = TheoryParameters.from_lambda(1, 0.1, tau_inel=ratio * base.tau)
        delta = solve_eq42(params, 0.0).kernel[0] - 1j / params.tau
        first = inelastic_correction_asymptotic(params)
        assert first == pytest.approx(inelastic_correction(params), rel=1e-14)
        assert abs(delta / first - 1.0) < 2.0 * math.sqrt(ratio)


def test_dimension_three_has_no_eq43() -> None:
    with pytest.raises(ValueError, match="dim"):
        derived_asymptotics(TheoryParameters.from_lambda(3, 0.5))


#: Relative O(lambda) corrections to the leading-log slope: checked at lambda = 0.03, where
#: ln m and the log-of-log terms shift the slope by a few percent.
WL_SLOPE_TOL = 3 * 0.03


def test_weak_localization_slope_is_universal_and_matches_the_solution() -> None:
    """d Re sigma/d ln w = 1/(4 pi^2) per spin: closed form, lattice mapping and Eq. (42)."""
    from theory.asymptotics import WEAK_LOCALIZATION_SLOPE_2D, weak_localization_slope
    from theory.mapping import map_lattice
    from theory.observables import conductivity

    assert WEAK_LOCALIZATION_SLOPE_2D == pytest.approx(0.025330295910584444, rel=1e-15)
    for params in (
        TheoryParameters.from_lambda(2, 0.03),
        TheoryParameters.from_lambda(2, 0.2, cutoff=3.0),
        map_lattice(2, 1.5, -1.0).parameters,
    ):
        slope = weak_localization_slope(params)
        assert slope == pytest.approx(WEAK_LOCALIZATION_SLOPE_2D, rel=1e-12)
    params = TheoryParameters.from_lambda(2, 0.03)
    omega0 = localization_properties(params).omega0
    # one decade with w0 << w << 1/tau
    omega = np.geomspace(300 * omega0, 3000 * omega0, 9)
    assert omega[-1] * params.tau < 0.05
    sigma = conductivity(solve_eq42(params, omega)).real
    fitted = np.polyfit(np.log(omega), sigma, 1)[0]
    assert fitted == pytest.approx(WEAK_LOCALIZATION_SLOPE_2D, rel=WL_SLOPE_TOL)
    with pytest.raises(ValueError, match="d = 2"):
        weak_localization_slope(TheoryParameters.from_lambda(1, 0.1))
