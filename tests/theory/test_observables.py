"""Observables of Eqs. (29)-(32), (37): Kramers-Kronig, sum limits, the static Lorentzian."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.integrate import quad

from theory.eq42 import solve_eq42
from theory.localized import localization_properties
from theory.observables import (
    conductivity,
    density_response,
    diffusion_constant,
    polarizability,
    static_density_response,
)
from theory.parameters import TheoryParameters

#: Kramers-Kronig, relative: the omitted [0, 1e-9 w] slice costs ~1e-9 (achieved <= 1.5e-9).
KK_TOL = 1e-8
#: chi(q, omega -> 0) vs Eq. (37): corrections are O(omega/omega0^2 tau) = 1e-8 here.
LORENTZIAN_TOL = 1e-6
#: chi(q -> 0): chi = O(q^2), checked at q r0 = 1e-6.
SMALL_Q_TOL = 1e-10


def _real_sigma(params: TheoryParameters):
    return lambda w: float(conductivity(solve_eq42(params, w)).real[0])


def _kk_imaginary_part(params: TheoryParameters, omega: float) -> float:
    r"""-(2 omega/pi) P int_0^inf Re sigma(x)/(x^2 - omega^2) dx by quad's Cauchy weight."""
    real_sigma = _real_sigma(params)
    # [0, 1e-9 omega] is left out: it changes the result by < 1e-9 relative.
    lower, upper = 1e-9 * omega, 50.0 * omega
    options = dict(epsabs=0.0, epsrel=1e-10, limit=400)
    near_pole, _ = quad(
        lambda x: real_sigma(x) / (x + omega), lower, upper, weight="cauchy", wvar=omega, **options
    )
    tail, _ = quad(lambda x: real_sigma(x) / (x * x - omega * omega), upper, math.inf, **options)
    return -(2.0 * omega / math.pi) * (near_pole + tail)


def test_kramers_kronig_check_on_drude() -> None:
    """The Hilbert-transform helper reproduces Im of the Drude sigma (a test of the test)."""
    params = TheoryParameters.from_lambda(3, 0.05)  # metal, M = i/tau to O(lambda^2)
    omega = 0.7 / params.tau
    sigma = conductivity(solve_eq42(params, omega))[0]
    assert _kk_imaginary_part(params, omega) == pytest.approx(sigma.imag, rel=KK_TOL)


@pytest.mark.parametrize(
    "dim, lam, omega_tau, tau_s",
    [
        (1, 0.1, 0.05, math.inf),
        (1, 0.1, 2.0, math.inf),
        (2, 0.3, 0.2, math.inf),
        (2, 0.1, 0.5, 30.0),
        (3, 0.4, 0.3, math.inf),
    ],
)
def test_conductivity_obeys_kramers_kronig(dim, lam, omega_tau, tau_s) -> None:
    params = TheoryParameters.from_lambda(dim, lam, tau_s=tau_s)
    omega = omega_tau / params.tau
    sigma = conductivity(solve_eq42(params, omega))[0]
    assert _kk_imaginary_part(params, omega) == pytest.approx(sigma.imag, rel=KK_TOL)


@pytest.mark.parametrize("dim, lam", [(1, 0.1), (2, 0.2), (3, 0.2), (3, 0.5)])
def test_conductivity_is_non_negative_and_drude_at_high_frequency(dim, lam) -> None:
    params = TheoryParameters.from_lambda(dim, lam)
    omega = np.logspace(-9, 5, 3000) / params.tau
    sigma = conductivity(solve_eq42(params, omega))
    assert np.all(sigma.real >= 0.0)
    # Born/Drude tail: Re sigma -> (n/m) tau / (1 + (omega tau)^2)
    drude = params.n_over_m * params.tau / (1.0 + (omega[-1] * params.tau) ** 2)
    assert sigma.real[-1] == pytest.approx(drude, rel=1e-2)


def test_polarizability_and_diffusion_definitions() -> None:
    params = TheoryParameters.from_lambda(2, 0.3)
    solution = solve_eq42(params, np.array([1e-9, 1e-3, 1.0]) / params.tau)
    np.testing.assert_allclose(
        -1j * solution.omega * polarizability(solution), conductivity(solution), rtol=1e-14
    )
    d_of_w = diffusion_constant(solution)
    np.testing.assert_allclose(
        d_of_w, params.diffusion_constant * 1j / (params.tau * solution.kernel), rtol=1e-14
    )
    limits = localization_properties(params)
    assert polarizability(solution)[0].real == pytest.approx(
        limits.static_polarizability, rel=1e-7
    )


def test_density_response_vanishes_at_small_q() -> None:
    params = TheoryParameters.from_lambda(1, 0.1)
    solution = solve_eq42(params, np.array([1e-6, 1e-2, 1.0]) / params.tau)
    r0 = localization_properties(params).localization_length
    chi = density_response(solution, [1e-6 / r0])
    assert np.all(np.abs(chi) <= SMALL_Q_TOL * params.density_of_states)


@pytest.mark.parametrize("dim, lam", [(1, 0.1), (2, 0.3), (3, 0.1)])
def test_density_response_continuity_gives_the_conductivity(dim, lam) -> None:
    """sigma(w) = lim_{q->0} (-i w/q^2) chi(q, w) (the line above Eq. 32) and
    Im chi(q, w > 0) > 0 (absorption, the seed's sign). Ties the sign and the
    normalisation of the dynamic chi of Eq. (29) to Eq. (32): a conjugated chi,
    a lost n/m or chi^T, or a factor 2 fails. At q l = 1e-6 the correction is
    O(q^2 D(w)/w), below 1e-9 relative on this grid."""
    params = TheoryParameters.from_lambda(dim, lam)
    omega = np.array([1e-3, 0.1, 1.0, 10.0]) / params.tau
    solution = solve_eq42(params, omega)
    q = 1e-6 / params.mean_free_path
    chi = density_response(solution, [q])[0]
    np.testing.assert_allclose(-1j * omega / q**2 * chi, conductivity(solution), rtol=1e-8)
    wide = density_response(solution, np.array([1e-3, 0.3, 3.0]) / params.mean_free_path)
    assert np.all(wide.imag > 0)


@pytest.mark.parametrize("dim, lam", [(1, 0.1), (2, 0.3), (3, 0.5)])
def test_static_density_response_is_the_lorentzian_of_eq37(dim, lam) -> None:
    params = TheoryParameters.from_lambda(dim, lam)
    limits = localization_properties(params)
    assert limits.localized
    omega = 1e-8 * limits.omega0_squared * params.tau
    q = np.array([0.1, 0.5, 1.0, 3.0, 30.0]) / limits.localization_length
    for keep in (True, False):  # Eq. (29) and Eq. (30) have the same static limit
        chi = density_response(solve_eq42(params, omega), q, keep_omega_squared=keep)[:, 0]
        lorentzian = static_density_response(params, q, limits.localization_length)
        np.testing.assert_allclose(chi.real, lorentzian, rtol=LORENTZIAN_TOL)
    # q r0 >> 1: the compressibility chi^T = N
    assert lorentzian[-1] == pytest.approx(params.density_of_states, rel=2e-3)


def test_metal_static_response_is_the_compressibility() -> None:
    params = TheoryParameters.from_lambda(3, 0.1)
    solution = solve_eq42(params, 1e-10 / params.tau)
    chi = density_response(solution, [1e-3 / params.mean_free_path])[0, 0]
    assert chi.real == pytest.approx(params.density_of_states, rel=1e-3)


def test_bad_wavenumbers() -> None:
    params = TheoryParameters.from_lambda(1, 0.1)
    solution = solve_eq42(params, 1.0)
    with pytest.raises(ValueError, match="q"):
        density_response(solution, [-1.0])
    with pytest.raises(ValueError, match="localization_length"):
        static_density_response(params, [1.0], -2.0)
