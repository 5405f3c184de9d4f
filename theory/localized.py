r"""Low-frequency content of Eq. (42): localization, w0^2, r0, alpha(0), the w^2 law.

In the localized phase (:math:`1/\tau_s = 1/\tau_{in} = 0`) the Cooperon
variable :math:`s(\omega)` of :mod:`theory.eq42` tends to the real root
:math:`s_0` of :math:`\Phi(s_0) = 1`, and since :math:`M = -s/(\omega\tau^2)`,

.. math::

    M(\omega) = -\frac{\omega_0^2}{\omega} + c + O(\omega), \qquad
    \omega_0^2 = \frac{s_0}{\tau^2}, \qquad
    c = \frac{i}{\tau F'(s_0)}, \qquad F'(s_0) = -s_0\Phi'(s_0) > 0,

from :math:`F(s) = s(1 - \Phi(s)) = -i\omega\tau` expanded about :math:`s_0`.
Then (e = 1) :math:`\alpha(0) = (n/m)/\omega_0^2`,
:math:`\mathrm{Re}\,\sigma = A\omega^2 + O(\omega^3)` with
:math:`A = (n/m)\,\mathrm{Im}\,c/\omega_0^4`, and Eq. (29) gives the
Lorentzian Eq. (37) with :math:`r_0^2 = (n/m)/(\chi^T\omega_0^2) = D_0\tau/s_0`.
The seed writes :math:`c = i/\tau`; Eq. (42) gives :math:`c = 2i/\tau` in
d = 1 and :math:`c \approx i/(\lambda\tau)` in d = 2 (``docs/theory.md``).

:func:`localization_properties` evaluates these exact limits, together with their
natural logarithms: in d = 2 at weak disorder :math:`s_0 \approx K_0^2 e^{-4\pi/G}`
underflows a float, :math:`r_0`, :math:`\alpha(0)` and A overflow it (inf) and
:math:`\omega_0` underflows (0), while the logarithms stay exact;
:func:`fit_low_frequency` extracts the same numbers from the numerical
solution of Eq. (42) at small frequencies, as an independent check.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from theory._floats import exp_or_inf
from theory.eq42 import (
    cooperon_integral_at_zero,
    cooperon_integral_slope,
    log_zero_frequency_root,
    solve_eq42,
    zero_frequency_root,
)
from theory.parameters import TheoryParameters

__all__ = [
    "LocalizationProperties",
    "LowFrequencyFit",
    "localization_properties",
    "fit_low_frequency",
    "zero_frequency_diffusion_ratio",
]

#: Frequencies of the fit, in units of the localization scale s0/tau (w << w0^2 tau).
_FIT_SCALE = 1e-4
#: Number of frequencies (halving) in the polynomial fit of omega*M.
_FIT_POINTS = 5
#: Below this |ln x| every reported x is a normal float: use the direct formulas.
_LOG_SAFE = 700.0


@dataclass(frozen=True)
class LocalizationProperties:
    """Zero-frequency predictions of Eq. (42); NaN fields where they do not apply."""

    localized: bool
    """True if M(0, omega) diverges as -omega0^2/omega (insulator)."""
    omega0_squared: float
    """:math:`\\omega_0^2` (1/time^2); 0 in a metal."""
    kernel_constant: complex
    """c in :math:`M = -\\omega_0^2/\\omega + c + O(\\omega)` (1/time); M(0) in a metal."""
    localization_length: float
    """:math:`r_0` of Eq. (37) (length); inf in a metal."""
    static_polarizability: float
    """:math:`\\alpha(0) = (n/m)/\\omega_0^2` (e = 1; length^(2-d)/energy); inf in a metal."""
    sigma_w2_coefficient: float
    """A in :math:`\\mathrm{Re}\\,\\sigma = A\\omega^2 + \\ldots` (e = hbar = 1); NaN if metal."""
    diffusion_ratio: float
    """D(0)/D0 (dimensionless); 0 when localized."""
    log_omega0: float = -math.inf
    """:math:`\\ln\\omega_0` (omega0 in 1/time); finite where omega0 underflows to 0."""
    log_localization_length: float = math.inf
    """:math:`\\ln r_0` (r0 in length units); finite where r0 overflows to inf."""
    log_static_polarizability: float = math.inf
    """:math:`\\ln\\alpha(0)`; finite where alpha(0) overflows to inf."""
    log_sigma_w2_coefficient: float = math.nan
    """:math:`\\ln A`; finite where A overflows to inf."""

    @property
    def omega0(self) -> float:
        """:math:`\\omega_0` (1/time); from its logarithm where omega0^2 underflows."""
        if self.omega0_squared == 0.0 and self.localized:
            return exp_or_inf(self.log_omega0)
        return math.sqrt(self.omega0_squared)


@dataclass(frozen=True)
class LowFrequencyFit:
    """Low-frequency expansion fitted to the numerical solution of Eq. (42)."""

    omega0_squared: float
    """:math:`\\omega_0^2 = -\\lim \\omega M` (1/time^2)."""
    kernel_constant: complex
    """c in :math:`M = -\\omega_0^2/\\omega + c + c_1\\omega + \\ldots` (1/time)."""
    linear_coefficient: complex
    """:math:`c_1` (dimensionless)."""
    omega: np.ndarray
    """Frequencies used (1/time)."""


def zero_frequency_diffusion_ratio(params: TheoryParameters) -> complex:
    r""":math:`D(0)/D_0 = 1/m(0)` when M(0) is finite, 0 when localized (dimensionless).

    With a finite :math:`\tau_s` or :math:`\tau_{in}` Eq. (42) is solved at
    :math:`\omega = 0`; in a d = 3 metal without them :math:`m(0) = 1/(1 - \Phi(0))`.
    """
    if params.breaking_rate > 0.0:
        return complex(solve_eq42(params, 0.0).diffusion_ratio[0])
    if zero_frequency_root(params) is not None:
        return 0j
    return complex(1.0 - cooperon_integral_at_zero(params))


def localization_properties(params: TheoryParameters) -> LocalizationProperties:
    """Exact zero-frequency limits of Eq. (42) (formulas in the module docstring).

    Parameters
    ----------
    params : TheoryParameters
        Any d; localization needs :math:`1/\\tau_s = 1/\\tau_{in} = 0`.
    """
    s0 = None if params.breaking_rate > 0.0 else zero_frequency_root(params)
    if s0 is None:
        ratio = zero_frequency_diffusion_ratio(params)
        return LocalizationProperties(
            localized=False,
            omega0_squared=0.0,
            kernel_constant=(1j / params.tau) / ratio,
            localization_length=math.inf,
            static_polarizability=math.inf,
            sigma_w2_coefficient=math.nan,
            diffusion_ratio=float(ratio.real),
        )
    constant = 1j / (params.tau * _root_slope(params, s0))
    log_s0 = log_zero_frequency_root(params)
    log_omega0_sq = log_s0 - 2.0 * math.log(params.tau)
    log_nm = math.log(params.n_over_m)
    logs = {
        "log_omega0": 0.5 * log_omega0_sq,
        "log_localization_length": 0.5
        * (math.log(params.diffusion_constant * params.tau) - log_s0),
        "log_static_polarizability": log_nm - log_omega0_sq,
        "log_sigma_w2_coefficient": log_nm + math.log(constant.imag) - 2.0 * log_omega0_sq,
    }
    if s0 > 0.0 and max(abs(value) for value in logs.values()) < _LOG_SAFE:
        omega0_sq = s0 / params.tau**2
        r0 = math.sqrt(params.diffusion_constant * params.tau / s0)
        alpha0 = params.n_over_m / omega0_sq
        coefficient = params.n_over_m * constant.imag / omega0_sq**2
    else:  # over- or underflow: the values from their logarithms (inf or 0 where they must)
        omega0_sq = exp_or_inf(log_omega0_sq)
        r0 = exp_or_inf(logs["log_localization_length"])
        alpha0 = exp_or_inf(logs["log_static_polarizability"])
        coefficient = exp_or_inf(logs["log_sigma_w2_coefficient"])
    return LocalizationProperties(
        localized=True,
        omega0_squared=omega0_sq,
        kernel_constant=constant,
        localization_length=r0,
        static_polarizability=alpha0,
        sigma_w2_coefficient=coefficient,
        diffusion_ratio=0.0,
        **logs,
    )


def _root_slope(params: TheoryParameters, s0: float) -> float:
    r""":math:`F'(s_0) = -s_0\Phi'(s_0) > 0` (dimensionless).

    In d = 2 in closed form, :math:`G K_0^2/(4\pi(s_0 + K_0^2))`, which stays finite
    when :math:`s_0` underflows to 0 (the general expression is then 0 * inf).
    """
    if params.dim == 2:
        k0_sq = params.reduced_cutoff**2
        return params.cooperon_coupling * k0_sq / (4.0 * math.pi * (s0 + k0_sq))
    return float(-s0 * cooperon_integral_slope(params, s0).real)


def fit_low_frequency(params: TheoryParameters) -> LowFrequencyFit:
    r"""Fit :math:`\omega M = -\omega_0^2 + c\,\omega + c_1\omega^2 + \ldots` to the solution.

    Solves Eq. (42) numerically at :data:`_FIT_POINTS` frequencies
    :math:`\omega_j = 10^{-4}\,\omega_0^2\tau\,2^{-j}` (far below the crossover
    :math:`\omega\tau \sim s_0`) and fits a polynomial of degree
    ``_FIT_POINTS - 1`` to :math:`\omega M`. Requires a localized phase.
    """
    s0 = None if params.breaking_rate > 0.0 else zero_frequency_root(params)
    if s0 is None:
        raise ValueError("fit_low_frequency needs a localized phase (M ~ -omega0^2/omega)")
    omega = _FIT_SCALE * s0 / params.tau * 0.5 ** np.arange(_FIT_POINTS)
    product = omega * solve_eq42(params, omega).kernel
    scale = omega[0]
    coefficients = np.polynomial.polynomial.polyfit(omega / scale, product, _FIT_POINTS - 1)
    return LowFrequencyFit(
        omega0_squared=float(-coefficients[0].real),
        kernel_constant=complex(coefficients[1] / scale),
        linear_coefficient=complex(coefficients[2] / scale**2),
        omega=omega,
    )
