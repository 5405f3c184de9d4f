r"""Solver of the self-consistent Eq. (42) of Vollhardt and Woelfle (1980).

Eq. (42) for the current relaxation kernel :math:`M(\omega) \equiv M(0,\omega)`,

.. math::

    M = \frac{i}{\tau} - 2U_0\sum_{|k|<k_0}
        \frac{1}{\Omega - k^2 D_0/(\tau M)}, \qquad
    \Omega = \omega + \frac{i}{\tau_s} + \frac{i}{\tau_{in}}, \qquad
    U_0 = \frac{1}{2\pi N\tau},

with :math:`\sum_k = \int d^dk/(2\pi)^d`. With :math:`M = (i/\tau)\,m`
(so :math:`D(\omega)/D_0 = 1/m`), :math:`K = k\sqrt{D_0\tau}`, :math:`w = \Omega\tau`
and the Cooperon variable :math:`s = -i\,m\,w` it becomes one scalar equation

.. math::

    F(s) \equiv s\,[1 - \Phi(s)] = -i w, \qquad
    \Phi(s) = G\int_{|K|<K_0}\frac{d^dK}{(2\pi)^d}\frac{1}{K^2 + s},

with :math:`G` = :attr:`~theory.parameters.TheoryParameters.cooperon_coupling`.
The k-integral in closed form (:math:`u = \sqrt{s}`, Re u > 0):
d = 1: :math:`(G/\pi)\arctan(K_0/u)/u` (:math:`G/(2u)` without cutoff);
d = 2: :math:`(G/4\pi)\ln(1 + K_0^2/u^2)`;
d = 3: :math:`(G/2\pi^2)[K_0 - u\arctan(K_0/u)]`.
Then :math:`M = -s/(w\tau)`.

Branch selection: the k-integral is analytic in s off the negative real axis,
so the solution is sought as :math:`u = \sqrt{s}` with Re u > 0. In d = 1
without cutoff F is a quadratic in u and the root with Re u > 0 is unique:
:math:`u = G/4 + \sqrt{G^2/16 - iw}`. Otherwise Newton's method with the
analytic derivative starts from a guess that interpolates between the exact
low-frequency root (:math:`s_0` with :math:`\Phi(s_0) = 1` when localized, s = 0
with slope :math:`1/(1-\Phi(0))` when metallic) and the Born limit
:math:`s = -iw` (M = i/tau) at high frequency. Spurious roots are rejected: a
root is accepted only if Re u > 0, the residual is below tolerance and
Re m >= 0 (Re sigma >= 0); the (rare) rejected frequencies are re-solved by
continuation in w from the nearest accepted frequency.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.optimize import brentq

from theory.parameters import TheoryParameters
from vwloc_common.checks import check_array

__all__ = [
    "Eq42Solution",
    "cooperon_integral",
    "cooperon_integral_slope",
    "cooperon_integral_at_zero",
    "zero_frequency_root",
    "solve_eq42",
    "eq42_residual",
]

#: Newton stops when every relative step is below this (a few ulp).
_NEWTON_STEP_TOL = 4e-16
#: A step that no longer shrinks and is below this (relative) is rounding noise.
_NEWTON_STALL = 1e-12
#: Maximum Newton iterations per frequency before the continuation fallback.
_NEWTON_MAXITER = 80
#: A root is accepted if |F(u) + i w| <= this times (|u|^2 + |w|) (rounding level).
_ACCEPT_RESIDUAL = 1e-12
#: Re m may be negative only by rounding: Re m >= -this * |m|.
_ACCEPT_RE_M = 1e-12


@dataclass(frozen=True)
class Eq42Solution:
    """Solution of Eq. (42) on a frequency grid."""

    params: TheoryParameters
    """The parameters it was solved for."""
    omega: np.ndarray
    """Real frequencies :math:`\\omega` (1/time)."""
    kernel: np.ndarray
    """Current relaxation kernel :math:`M(0, \\omega)` (1/time, complex)."""
    cooperon_variable: np.ndarray
    """:math:`s = -i m \\Omega\\tau` (dimensionless, complex, Re sqrt(s) > 0)."""

    @property
    def diffusion_ratio(self) -> np.ndarray:
        """:math:`D(\\omega)/D_0 = (i/\\tau)/M(\\omega)` (dimensionless, complex)."""
        return (1j / self.params.tau) / self.kernel


#: Where |K0/u| is below this, K0 - u arctan(K0/u) is summed as a series (no cancellation).
_SERIES_RADIUS = 0.5
#: Terms of that series: 0.5**(2 * 27) < 1e-16.
_SERIES_TERMS = 27


def _k0_minus_u_arctan(k0: float, u: np.ndarray, atan: np.ndarray) -> np.ndarray:
    """K0 - u arctan(K0/u), by its Taylor series in (K0/u)^2 where |K0/u| is small."""
    small = np.abs(k0 / u) < _SERIES_RADIUS
    z = np.where(small, k0 / u, 0.0) ** 2
    powers = np.ones_like(z)
    total = np.zeros_like(z)
    for n in range(1, _SERIES_TERMS + 1):
        powers = powers * z
        total = total + (-1) ** (n + 1) * powers / (2 * n + 1)
    return np.where(small, k0 * total, k0 - u * atan)


def _phi(dim: int, u: np.ndarray, coupling: float, k0: float) -> tuple[np.ndarray, np.ndarray]:
    """Phi and dPhi/du at u = sqrt(s), Re u > 0 (closed forms of the module docstring)."""
    if dim == 1:
        if math.isinf(k0):
            return coupling / (2.0 * u), -coupling / (2.0 * u * u)
        atan = np.arctan(k0 / u)
        value = coupling / math.pi * atan / u
        slope = coupling / math.pi * (-k0 / ((u * u + k0 * k0) * u) - atan / (u * u))
        return value, slope
    if dim == 2:
        value = coupling / (4.0 * math.pi) * np.log1p(k0 * k0 / (u * u))
        slope = -coupling / (2.0 * math.pi) * k0 * k0 / (u * (u * u + k0 * k0))
        return value, slope
    atan = np.arctan(k0 / u)
    value = coupling / (2.0 * math.pi**2) * _k0_minus_u_arctan(k0, u, atan)
    slope = -coupling / (2.0 * math.pi**2) * (atan - u * k0 / (u * u + k0 * k0))
    return value, slope


def cooperon_integral(params: TheoryParameters, s: np.ndarray | complex) -> np.ndarray:
    r"""The k-sum :math:`\Phi(s)` of Eq. (42) in closed form (dimensionless).

    Parameters
    ----------
    params : TheoryParameters
        Fixes d, G and :math:`K_0`.
    s : complex or array
        Cooperon variable, not on the closed negative real axis.
    """
    u = np.sqrt(np.asarray(s, dtype=complex))
    return _phi(params.dim, u, params.cooperon_coupling, params.reduced_cutoff)[0]


def cooperon_integral_slope(params: TheoryParameters, s: np.ndarray | complex) -> np.ndarray:
    r"""The derivative :math:`d\Phi/ds` of the k-sum of Eq. (42) (dimensionless)."""
    u = np.sqrt(np.asarray(s, dtype=complex))
    return _phi(params.dim, u, params.cooperon_coupling, params.reduced_cutoff)[1] / (2.0 * u)


def cooperon_integral_at_zero(params: TheoryParameters) -> float:
    r""":math:`\Phi(0^+)`: inf in d = 1, 2; :math:`G K_0/(2\pi^2)` in d = 3 (dimensionless)."""
    if params.dim < 3:
        return math.inf
    return params.cooperon_coupling * params.reduced_cutoff / (2.0 * math.pi**2)


def zero_frequency_root(params: TheoryParameters) -> float | None:
    r"""The real root :math:`s_0 > 0` of :math:`\Phi(s_0) = 1`, or None if there is none.

    With :math:`1/\tau_s = 1/\tau_{in} = 0`, :math:`s \to s_0` as
    :math:`\omega \to 0` in the localized phase, where
    :math:`M \simeq -\omega_0^2/\omega` with :math:`\omega_0^2 = s_0/\tau^2`.
    A root exists in d = 1, 2 always and in d = 3 iff :math:`\Phi(0^+) > 1`.
    Closed forms: :math:`s_0 = G^2/4` (d = 1, no cutoff),
    :math:`s_0 = K_0^2/(e^{4\pi/G} - 1)` (d = 2); otherwise Brent's method.
    """
    dim, coupling, k0 = params.dim, params.cooperon_coupling, params.reduced_cutoff
    if dim == 1 and math.isinf(k0):
        return coupling**2 / 4.0
    if dim == 2:
        return k0 * k0 / math.expm1(4.0 * math.pi / coupling)
    if cooperon_integral_at_zero(params) <= 1.0:
        return None

    def excess(u: float) -> float:
        return float(_phi(dim, np.asarray(u, dtype=float), coupling, k0)[0].real) - 1.0

    upper = coupling / 2.0 if dim == 1 else 1.0
    while excess(upper) > 0.0:
        upper *= 2.0
    lower = upper
    while excess(lower) < 0.0:
        lower /= 2.0
    u0 = brentq(excess, lower, upper, xtol=1e-300, rtol=4.0 * np.finfo(float).eps, maxiter=500)
    return u0 * u0


def _initial_guess(params: TheoryParameters, w: np.ndarray) -> np.ndarray:
    """Interpolate between the exact low-frequency root and the Born root s = -i w."""
    s0 = zero_frequency_root(params)
    if s0 is None:
        low, scale = 0.0, 1.0
        slope = 1.0 / max(1.0 - cooperon_integral_at_zero(params), np.finfo(float).tiny)
    else:
        low, scale = s0, s0
        slope = 1.0 / float(-s0 * cooperon_integral_slope(params, s0).real)
    size = np.abs(w)
    return low + (-1j * w) * (scale + size) / (scale / slope + size)


def _newton(params: TheoryParameters, w: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Vectorized Newton iteration for F(u) = u^2 (1 - Phi) + i w = 0 keeping Re u > 0.

    Only unconverged frequencies are iterated. A frequency is done when its step is
    below :data:`_NEWTON_STEP_TOL` relative, or when the step stops shrinking at the
    rounding level (:data:`_NEWTON_STALL`).
    """
    dim, coupling, k0 = params.dim, params.cooperon_coupling, params.reduced_cutoff
    u = u.copy()
    active = np.arange(u.size)
    previous = np.full(u.size, np.inf)
    for _ in range(_NEWTON_MAXITER):
        ua, wa = u[active], w[active]
        phi, dphi = _phi(dim, ua, coupling, k0)
        value = ua * ua * (1.0 - phi) + 1j * wa
        derivative = 2.0 * ua * (1.0 - phi) - ua * ua * dphi
        step = value / derivative
        new = ua - step
        for _ in range(60):
            bad = ~(new.real > 0.0)
            if not bad.any():
                break
            step = np.where(bad, 0.5 * step, step)
            new = ua - step
        u[active] = new
        size = np.abs(step)
        done = (size <= _NEWTON_STEP_TOL * np.abs(new)) | (
            (size >= previous[active]) & (size <= _NEWTON_STALL * np.abs(new))
        )
        previous[active] = size
        active = active[~done]
        if active.size == 0:
            break
    return u


def _accepted(params: TheoryParameters, w: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Mask of roots that are on the physical branch and solve F(u) = -i w."""
    phi = _phi(params.dim, u, params.cooperon_coupling, params.reduced_cutoff)[0]
    residual = np.abs(u * u * (1.0 - phi) + 1j * w)
    m = 1j * u * u / w
    return (
        np.isfinite(u)
        & (u.real > 0.0)
        & (residual <= _ACCEPT_RESIDUAL * (np.abs(u * u) + np.abs(w)))
        & (m.real >= -_ACCEPT_RE_M * np.abs(m))
    )


def _continuation(params: TheoryParameters, w_from: complex, u_from: complex, w_to: complex):
    """Follow the root from an accepted (w_from, u_from) to w_to in small steps."""
    u = np.array([u_from])
    for steps in (16, 128, 1024):
        u = np.array([u_from])
        path = w_from + (w_to - w_from) * np.linspace(0.0, 1.0, steps + 1)[1:]
        for w in path:
            u = _newton(params, np.array([w]), u)
        if _accepted(params, np.array([w_to]), u)[0]:
            return u[0]
    raise ArithmeticError(f"Eq. (42): no physical root found at omega*tau = {w_to!r}")


def _solve_u(params: TheoryParameters, w: np.ndarray) -> np.ndarray:
    """sqrt(s) on the physical branch for complex reduced frequencies w = Omega tau."""
    coupling = params.cooperon_coupling
    if params.dim == 1 and math.isinf(params.reduced_cutoff):
        return coupling / 4.0 + np.sqrt(coupling**2 / 16.0 - 1j * w)
    u = _newton(params, w, np.sqrt(_initial_guess(params, w)))
    ok = _accepted(params, w, u)
    if not ok.all():
        good = np.flatnonzero(ok)
        born = -1j * w
        for i in np.flatnonzero(~ok):
            if good.size:
                j = good[np.argmin(np.abs(np.log(np.abs(w[good]) / np.abs(w[i]))))]
                start_w, start_u = w[j], u[j]
            else:
                start_w = w[i] + 1e3 * (1.0 + np.abs(w[i]))
                start_u = _newton(params, np.array([start_w]), np.sqrt(np.array([born[i]])))[0]
            u[i] = _continuation(params, start_w, start_u, w[i])
    return u


def solve_eq42(params: TheoryParameters, omega: np.ndarray | float) -> Eq42Solution:
    r"""Solve Eq. (42) for :math:`M(0,\omega)` at every real frequency of ``omega``.

    Parameters
    ----------
    params : TheoryParameters
        Theory parameters (d, tau, D0, N, cutoff, tau_s, tau_inel).
    omega : float or array
        Real frequencies (1/time, either sign). :math:`\omega = 0` is allowed only
        with a finite :math:`\tau_s` or :math:`\tau_{in}` (otherwise M diverges in
        the localized phase).

    Returns
    -------
    Eq42Solution
        M(omega), the Cooperon variable s and D/D0.

    Examples
    --------
    >>> from theory.parameters import TheoryParameters
    >>> p = TheoryParameters.from_lambda(1, 0.05)
    >>> sol = solve_eq42(p, [1e-6 / p.tau])
    >>> round(float(-(sol.omega * sol.kernel).real[0] * p.tau**2), 9)  # omega0^2 tau^2 -> 1/4
    0.25
    """
    grid = check_array("omega", omega)
    w = (grid + 1j * params.breaking_rate) * params.tau
    if np.any(w == 0):
        raise ValueError(
            "omega must be nonzero when tau_s and tau_inel are infinite "
            f"(M(0, 0) diverges in the localized phase), got {omega!r}"
        )
    u = _solve_u(params, w.ravel()).reshape(w.shape)
    s = u * u
    return Eq42Solution(
        params=params, omega=grid, kernel=-s / (w * params.tau), cooperon_variable=s
    )


def eq42_residual(solution: Eq42Solution) -> np.ndarray:
    r"""Relative residual :math:`|M - \mathrm{rhs}(M)|/|M|` of Eq. (42) (closed-form k-sum)."""
    params = solution.params
    m = solution.kernel * params.tau / 1j
    w = (solution.omega + 1j * params.breaking_rate) * params.tau
    phi = cooperon_integral(params, -1j * m * w)
    rhs = (1j / params.tau) * (1.0 + m * phi)
    return np.abs(solution.kernel - rhs) / np.abs(solution.kernel)
