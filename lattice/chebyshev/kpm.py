r"""The Chebyshev (kernel polynomial) engine: DOS, sigma(omega), chi(q, omega), alpha.

Matrix-free (:class:`lattice.chebyshev.operators.StencilOperator`), memory O(N x block),
stochastic traces :math:`\mathrm{Tr}\,X \approx \langle r|X|r\rangle` over
random-phase vectors :math:`r_i = e^{i\varphi_i}` drawn from their own stream
(vector j of realization i: ``SeedSequence(seed, spawn_key=(i, 1, j))``, a child
of the realization's trace stream, DESIGN.md section 3). The formulation, the
normalisation against docs/conventions.md and the noise model are derived in
docs/engines.md, "Chebyshev engine"; in short:

DOS
    :math:`\mu_n = \langle r|T_n(\tilde H)|r\rangle/N`, :math:`\tilde H = (H - b)/a`,
    and :math:`\rho(E) = \sum_n c_n(E)\,\mu_n` with :math:`c_n(E)` the Chebyshev
    coefficients of :math:`x \mapsto K(E - b - a x)`: for ``lorentzian`` and
    ``gaussian`` the kernel of :mod:`lattice.exact.dos` itself (exact up to a truncation
    error that falls like :math:`e^{-M\eta/a}` or :math:`e^{-(M\eta/a)^2/2}`), for
    ``jackson`` the Jackson-damped delta function (resolution :math:`\pi a/M`).
Conductivity
    At every sample time :math:`t_j = j\,\delta t` the exact
    :math:`B(t) = D(t) - D(0) = \frac{2}{N}\mathrm{Re}\,\langle\varphi(t)|
    \partial_A\psi(t)\rangle`, :math:`\varphi(t) = e^{-iHt}f(H)r`,
    :math:`\psi_A(t) = e^{-iH(A)t}(1 - f(H))J_x r`, where
    :math:`D(t) = \frac{1}{N}\sum_{nm}\frac{(f_n - f_m)|J_{nm}|^2}{e_m - e_n}
    \cos((e_m - e_n)t)`; then :math:`\sigma(\omega) = D(0)\,K(\omega)
    + \int_0^\infty e^{i\omega t}W(t)B(t)\,dt` with the dense engine's
    kernel :math:`K(x) = \int_0^\infty e^{ixt}W(t)dt` (Lorentzian
    :math:`W = e^{-\eta t}`, Gaussian :math:`W = e^{-\eta^2t^2/2}`), mirror term
    included, and :math:`D(0) = D_f - D` (f-sum rule; D the Drude weight, 0 with an
    open x axis). On an open x axis :math:`J = i[X, H]`, so
    :math:`J_{nm}/w_{mn} = iX_{nm}` (:math:`w_{mn} = e_m - e_n`) and the same B(t) is
    :math:`-\frac{2}{N}\mathrm{Im}[\langle\varphi(t)|X|\psi(t)\rangle
    - \langle\varphi(0)|X|\psi(0)\rangle]` with :math:`\psi = \psi_{A=0}`: two
    propagated columns instead of three, no finite difference. Cost linear in
    :math:`1/\eta`. Samples every
    :math:`\delta t = 0.9\pi/(\omega_{max} + 2a)` (:data:`NYQUIST_STEP`), or, for
    the real part with the Gaussian window alone, at the alias limit
    :math:`0.9 \cdot 2\pi/(\omega_{max} + 2a + 6.07\eta)` (:data:`ALIAS_STEP`), or,
    for that real part at :math:`\omega \ge 7.43\eta`, with both sides filtered to
    :math:`E_F \pm \Omega` (:func:`band_window`) at
    :math:`0.9 \cdot 2\pi/(\omega_{max} + 2\Omega_g + 7.43\eta)` (:data:`BAND_STEP`).
Density response
    :math:`X(t) = \frac{1}{N}[\langle v(t)|\rho_q|p(t)\rangle - \langle u(t)|\rho_q|
    s(t)\rangle]` with :math:`u = fr`, :math:`v = (1-f)r`, :math:`p = f\rho_q^\dagger r`,
    :math:`s = (1-f)\rho_q^\dagger r`, and
    :math:`\chi(q,\omega) = -i\int_0^\infty e^{(i\omega - \eta)t}X(t)\,dt`.

At T = 0 the occupation is the Fermi function at :data:`T0_SMEARING` x eta (the
Chebyshev series of a step converges too slowly); choose E_F between levels.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.fft
from scipy.special import expit, jv, ndtr, ndtri, wofz

from lattice.chebyshev import _real_stencil, _stencil
from lattice.chebyshev.operators import SPECTRUM_MARGIN, StencilOperator
from lattice.models.averaging import DisorderAverage, realization_indices
from lattice.models.defaults import DEFAULT_ETA
from lattice.models.model import AndersonModel
from lattice.models.seeding import DEFAULT_SEED, TRACE_STREAM
from vwloc_common.checks import (
    check_choice,
    check_finite,
    check_grid,
    check_positive,
    check_positive_int,
)

__all__ = [
    "ALIAS_STEP",
    "BAND_MIN_OMEGA",
    "BAND_STEP",
    "DOS_KPM_KERNELS",
    "RESPONSE_KPM_KERNELS",
    "T0_SMEARING",
    "TIME_STEP_RULES",
    "ChebyshevMoments",
    "CurrentCorrelation",
    "DensityCorrelation",
    "DrudePeakWarning",
    "KPMAverage",
    "NYQUIST_STEP",
    "band_window",
    "chebyshev_coefficients",
    "conductivity_from_correlation",
    "current_correlation",
    "default_moments",
    "density_correlation",
    "density_response_from_correlation",
    "dos_from_moments",
    "dos_moments",
    "fermi_series",
    "jackson_kernel",
    "kpm_complex_conductivity",
    "kpm_density_of_states",
    "kpm_density_response",
    "kpm_static_polarizability",
    "phase_vectors",
    "polarizability_from_correlation",
    "position_correlation",
    "position_route",
    "propagation_products",
    "propagator_series",
    "transformed",
]

#: Kernels of the KPM DOS.
DOS_KPM_KERNELS = ("lorentzian", "gaussian", "jackson")
#: Kernels (time windows) of the KPM conductivity.
RESPONSE_KPM_KERNELS = ("lorentzian", "gaussian")
#: At T = 0 the occupation is a Fermi function at this fraction of eta: -f' then has a
#: full width at half maximum 3.53 T = 0.88 eta, below the kernel's (2 eta Lorentzian,
#: 2.35 eta Gaussian), so the occupation is resolved at least as finely as the frequency.
T0_SMEARING = 0.25
#: Relative truncation of the DOS series and of the time window W(t_max).
_TRUNCATION = 1e-8
#: Chebyshev coefficients of f(H) and of e^{-iH dt} below this are dropped: the error of
#: one step is ~1e-12 relative, of 10^4 steps (coherently) 1e-8, the time window's truncation.
_SERIES_TOLERANCE = 1e-12
#: Finite-difference step of the vector potential (radians per bond) for d psi/dA:
#: truncation ~ (dA x displacement)^2 / 6, rounding ~ 1e-16 / dA, both < 1e-9.
_VECTOR_POTENTIAL_STEP = 1e-5
#: Central-difference strength of a diagonal perturbation lambda V with max|V| = 1.
_PROFILE_STEP = 1e-6
#: Time step safety: |omega| + (pair bandwidth) stays below this fraction of pi/dt.
_NYQUIST_FRACTION = 0.9
#: Time-step rules recorded in ``CurrentCorrelation.settings["time_step_rule"]``:
#: ``NYQUIST_STEP`` dt = 0.9 pi/(omega_max + 2a) resolves the complex sigma (the
#: half-line trapezoid's end terms of the imaginary part converge); ``ALIAS_STEP``
#: dt = 0.9 2 pi/(omega_max + 2a + 6.07 eta) keeps every alias of a pair frequency
#: (+- 2 pi k/dt) out of the Gaussian window of |omega| <= omega_max: for the real part
#: under the Gaussian window the integrand is even in t, its trapezoid sum is exact up
#: to these aliases (docs/engines.md).
NYQUIST_STEP = "nyquist"
ALIAS_STEP = "alias"
#: ``BAND_STEP``: both sides spectrally filtered by :func:`band_window` (plateau
#: E_F +- Omega, Omega = omega_max + 7.43 eta + 27.6 T), so the pair spectrum is limited to
#: |w| <= 2 Omega_g and dt = 0.9 2 pi/(omega_max + 2 Omega_g + 7.43 eta), Re sigma with
#: the Gaussian window at omega >= :data:`BAND_MIN_OMEGA` x eta only (docs/engines.md).
BAND_STEP = "band"
#: The time-step rules (values of ``time_step_rule``).
TIME_STEP_RULES = (BAND_STEP, ALIAS_STEP, NYQUIST_STEP)
#: The band filter's bound: Gaussian factors exp(-x^2/2) and Fermi factors exp(-x) of
#: 1e-12 at x = sqrt(2 ln 1e12) = 7.43 and ln 1e12 = 27.6; a normal CDF of 1e-12 at -7.03.
_BAND_BOUND = 1e-12
_GAUSSIAN_TAIL = math.sqrt(2.0 * math.log(1.0 / _BAND_BOUND))
_FERMI_TAIL = math.log(1.0 / _BAND_BOUND)
_EDGE_TAIL = -float(ndtri(_BAND_BOUND))
#: The band mode refuses omega below this multiple of eta: there the omitted D(0) K(omega)
#: term (the filtered D_g(0) is not known) exceeds 1.25e-12 D(0)/eta.
BAND_MIN_OMEGA = _GAUSSIAN_TAIL


class DrudePeakWarning(UserWarning):
    r"""A KPM conductivity on a lattice periodic along x contains the finite-size Drude
    peak :math:`D\,K(\omega)` (D the ring's Drude weight, of either sign on small rings),
    which the dense engine leaves out; fix: ``boundary="open"`` along x, a larger ring, or
    :func:`kpm_complex_conductivity`'s ``drude_weight``."""


# ---------------------------------------------------------------------------------------
# building blocks


def phase_vectors(seed: int, realization: int, first: int, count: int, n_sites: int):
    r"""Random-phase vectors ``first .. first + count - 1`` of one realization, (N, count).

    Vector j is :math:`e^{2\pi i u}` with u uniform from
    ``SeedSequence(seed, spawn_key=(realization, TRACE_STREAM, j))``, so any vector is
    rebuilt alone, whatever the block size.
    """
    out = np.empty((n_sites, count), dtype=np.complex128)
    for k in range(count):
        sequence = np.random.SeedSequence(seed, spawn_key=(realization, TRACE_STREAM, first + k))
        out[:, k] = np.exp(2j * np.pi * np.random.default_rng(sequence).random(n_sites))
    return out


def _check_vectors(vectors, n_sites: int):
    """An int >= 1 (random phases) or an explicit (N, V) block of trace vectors."""
    if isinstance(vectors, np.ndarray):
        if vectors.ndim != 2 or vectors.shape[0] != n_sites or vectors.shape[1] < 1:
            raise ValueError(f"vectors must be an int or an array of shape ({n_sites}, V)")
        return np.ascontiguousarray(vectors, dtype=np.complex128)
    return check_positive_int("vectors", vectors)


def _count(vectors) -> int:
    return vectors.shape[1] if isinstance(vectors, np.ndarray) else vectors


def _trace_block(seed, realization, vectors, first, count, n_sites):
    """Columns ``first .. first + count - 1`` of the trace vectors (module docstring)."""
    if isinstance(vectors, np.ndarray):
        return np.ascontiguousarray(vectors[:, first : first + count])
    return phase_vectors(seed, realization, first, count, n_sites)


def chebyshev_coefficients(values_at_nodes: np.ndarray) -> np.ndarray:
    r"""Chebyshev coefficients :math:`c_n` of :math:`h(x) = \sum_n c_n T_n(x)` from the
    values at the K Chebyshev-Gauss nodes :math:`x_j = \cos(\pi(j + 1/2)/K)` (last axis)."""
    values = np.asarray(values_at_nodes)
    count = values.shape[-1]
    coefficients = scipy.fft.dct(values, type=2, axis=-1) / count
    coefficients[..., 0] *= 0.5
    return coefficients


def _nodes(count: int) -> np.ndarray:
    return np.cos(np.pi * (np.arange(count) + 0.5) / count)


def jackson_kernel(moments: int) -> np.ndarray:
    r"""Jackson damping factors :math:`g_n`, n < M (Weisse et al., RMP 78, 275, Eq. (71))."""
    n = np.arange(moments)
    q = np.pi / (moments + 1)
    return ((moments - n + 1) * np.cos(q * n) + np.sin(q * n) / np.tan(q)) / (moments + 1)


def _series(op: StencilOperator, scale, coefficients: np.ndarray, block: np.ndarray):
    r""":math:`\sum_n c_n T_n(\tilde H)` applied to ``block`` (three N x R buffers)."""
    return op.chebyshev_series(np.ascontiguousarray(block), coefficients, scale)


def fermi_series(scale, fermi_energy: float, temperature: float) -> np.ndarray:
    r"""Truncated Chebyshev coefficients of the Fermi function on the rescaled axis.

    Parameters
    ----------
    scale : (float, float)
        (a, b) of :math:`\tilde H = (H - b)/a` (units of t).
    fermi_energy, temperature : float
        Units of t; ``temperature`` > 0 (at T = 0 the caller passes
        :data:`T0_SMEARING` x eta).

    Returns
    -------
    ndarray
        The coefficients down to the last one above 1e-15 (F terms, dimensionless).
    """
    a, b = scale
    count = 1 << max(10, math.ceil(math.log2(40.0 * a / temperature)))
    values = expit((fermi_energy - (b + a * _nodes(count))) / temperature)
    coefficients = chebyshev_coefficients(values)
    big = np.flatnonzero(np.abs(coefficients) > _SERIES_TOLERANCE)
    return coefficients[: big[-1] + 1]


def band_window(omega_max: float, eta: float, temperature: float) -> tuple[float, float]:
    r"""Plateau half-width :math:`\Omega` and support half-width :math:`\Omega_g` of the
    band filter g of :data:`BAND_STEP` (units of t).

    .. math::

        g(E) = \Phi\Big(\frac{\Omega + cs - (E - E_F)}{s}\Big)
               \Phi\Big(\frac{\Omega + cs + (E - E_F)}{s}\Big),
        \qquad \Omega = \omega_{max} + 7.43\,\eta + 27.6\,T ,

    :math:`\Phi` the normal CDF, c = 7.03 (:math:`\Phi(-c) = 10^{-12}`), edge width
    s = T (the occupation temperature, so that g f needs no more Chebyshev terms than f).
    Then :math:`|g - 1| \le 2\cdot 10^{-12}` on :math:`|E - E_F| \le \Omega` and
    :math:`g \le 10^{-12}` beyond :math:`\Omega_g = \Omega + 2cs`: every pair with
    :math:`w \le \omega_{max} + 7.43\eta` and Fermi factor :math:`f_n(1 - f_m) > 10^{-12}`
    lies on the plateau (docs/engines.md, "band-limited Re sigma").
    """
    plateau = omega_max + _GAUSSIAN_TAIL * eta + _FERMI_TAIL * temperature
    return plateau, plateau + 2.0 * _EDGE_TAIL * temperature


def _band_series(scale, fermi_energy: float, temperature: float, plateau: float):
    r"""Truncated Chebyshev coefficients of :math:`g f` and :math:`g(1 - f)` (the filtered
    occupied and empty projections of :data:`BAND_STEP`; g of :func:`band_window` with
    edge width ``temperature``)."""
    a, b = scale
    count = 1 << max(10, math.ceil(math.log2(40.0 * a / temperature)))
    energy = b + a * _nodes(count) - fermi_energy
    reach = plateau + _EDGE_TAIL * temperature
    window = ndtr((reach - energy) / temperature) * ndtr((reach + energy) / temperature)
    out = []
    for sign in (1.0, -1.0):
        coefficients = chebyshev_coefficients(window * expit(-sign * energy / temperature))
        big = np.flatnonzero(np.abs(coefficients) > _SERIES_TOLERANCE)
        out.append(coefficients[: big[-1] + 1])
    return out


def _per_column(series: list[np.ndarray], size: int) -> np.ndarray:
    """(K, len(series) size) coefficients: each series for ``size`` columns in turn, the
    shorter ones zero-padded at high order (which leaves their columns bit-identical)."""
    out = np.zeros((max(c.size for c in series), len(series) * size), dtype=complex)
    for k, coefficients in enumerate(series):
        out[: coefficients.size, k * size : (k + 1) * size] = coefficients[:, None]
    return out


def propagator_series(scale, dt: float) -> np.ndarray:
    r"""Coefficients of :math:`e^{-iH\,dt} = e^{-ib\,dt}\sum_k (2-\delta_{k0})(-i)^k
    J_k(a\,dt)\,T_k(\tilde H)`, truncated where :math:`|J_k| <` 1e-15.

    ``scale`` = (a, b) (units of t), ``dt`` the time step (units of hbar/t);
    returns P complex coefficients.
    """
    a, b = scale
    x = a * dt
    k = np.arange(int(x + 30 + 4 * x ** (1 / 3)))
    bessel = jv(k, x)
    keep = int(np.flatnonzero(np.abs(bessel) > _SERIES_TOLERANCE)[-1]) + 1
    coefficients = (2.0 - (k[:keep] == 0)) * (-1j) ** k[:keep] * bessel[:keep]
    return coefficients * np.exp(-1j * b * dt)


def _propagate(op, scale, propagator, block, vector_potential, perturbation, work=None):
    """One time step ``block <- e^{-i(H(A) + lambda V) dt} block`` (per-column A, lambda).

    Without a perturbation: Clenshaw in ``work`` (two scratch blocks); the result is one
    of them, so the caller rotates ``block`` into ``work`` (three blocks in all)."""
    if perturbation is None:
        return op.chebyshev_series(block, propagator, scale, vector_potential, work)
    result = propagator[0] * block
    previous = np.empty_like(block)
    op.chebyshev_step(
        block, previous, scale, first=True, accumulate=result, weight=propagator[1],
        vector_potential=vector_potential, perturbation=perturbation,
    )  # fmt: skip
    current, previous = previous, block
    for c in propagator[2:]:
        op.chebyshev_step(
            current, previous, scale, accumulate=result, weight=c,
            vector_potential=vector_potential, perturbation=perturbation,
        )  # fmt: skip
        current, previous = previous, current
    return result


def _integrated_correlation(op, scale, propagator, steps, bras, kets, profile, step):
    r"""Exact time integrals of correlation functions by Duhamel's formula.

    For each column pair (l, k) returns, at :math:`t_j = j\,\delta t`,

    .. math::

        I(t) = \frac{1}{N}\langle e^{-iHt}l|\partial_\lambda e^{-i(H + \lambda V)t}|k\rangle
             = \frac{-i}{N}\int_0^t \langle l|e^{iHt'}Ve^{-iHt'}|k\rangle\,dt' ,

    with :math:`\partial_\lambda` a central difference of step ``step``. V is the
    diagonal ``profile`` (complex, shape (N,)) or, for ``profile=None``, the current
    :math:`J_x = \partial H/\partial A_x` (then ``step`` is the vector potential).
    Shape (C, steps + 1), complex; I(0) = 0.
    """
    n, count = bras.shape
    state = np.ascontiguousarray(np.concatenate([bras, kets, kets], axis=1))
    shifts = np.concatenate([np.zeros(count), np.full(count, step), np.full(count, -step)])
    if profile is None:
        potential, perturbation = shifts, None
    else:
        potential, perturbation = 0.0, (profile, shifts.astype(complex))
    out = np.zeros((count, steps + 1), dtype=complex)
    evolution = _time_steps(op, scale, propagator, steps, state, potential, perturbation)
    for j, state in enumerate(evolution, start=1):
        bra = state[:, :count]
        plus = _stencil.block_dot(bra, state[:, count : 2 * count])
        minus = _stencil.block_dot(bra, state[:, 2 * count :])
        out[:, j] = (plus - minus) / (2.0 * step * n)
    return out


def _position_correlation_change(op, scale, propagator, steps, bras, kets, positions):
    r""":math:`C(t_j) - C(0)`, :math:`C(t) = \frac{1}{N}\langle e^{-iHt}l|X|e^{-iHt}k\rangle`
    for each column pair (l, k) of ``bras`` and ``kets`` (X the diagonal ``positions``):
    the two-column time evolution of the open-axis route of :func:`current_correlation`.
    Shape (C, steps + 1), complex."""
    n, count = bras.shape
    state = np.ascontiguousarray(np.concatenate([bras, kets], axis=1))
    out = np.zeros((count, steps + 1), dtype=complex)
    first = _stencil.block_dot(state[:, :count], state[:, count:], positions)
    evolution = _time_steps(op, scale, propagator, steps, state, 0.0, None)
    for j, state in enumerate(evolution, start=1):
        out[:, j] = (_stencil.block_dot(state[:, :count], state[:, count:], positions) - first) / n
    return out


def _time_steps(op, scale, propagator, steps, state, potential, perturbation):
    """Yield ``state`` after each of ``steps`` steps of :func:`_propagate`; without a
    perturbation the blocks rotate through two scratch blocks (three in all). Each
    yielded block is valid until the next one is requested."""
    work = (np.empty_like(state), np.empty_like(state)) if perturbation is None else None
    for _ in range(steps):
        new = _propagate(op, scale, propagator, state, potential, perturbation, work)
        if work is not None:
            work = (state, work[1] if new is work[0] else work[0])
        state = new
        yield state


def position_route(model: AndersonModel, axis: int = 0) -> bool:
    """Whether :func:`current_correlation` takes the two-column route along ``axis``: an
    open axis, where :math:`J = i[X, H]` (module docstring); else three columns (d/dA)."""
    return model.boundary[model.check_axis(axis)] == "open"


def _centred_positions(model: AndersonModel, axis: int) -> np.ndarray:
    """Site coordinates along the open ``axis`` (float, (N,)), centred on the sample (which
    changes no pair weight); ValueError on a periodic axis."""
    positions = model.position_operator(axis)
    return positions - 0.5 * (positions.max() + positions.min())


def _occupation_temperature(temperature: float, eta: float) -> float:
    return temperature if temperature > 0.0 else T0_SMEARING * eta


def _window_length(eta: float, kernel: str) -> float:
    """t_max with W(t_max) = truncation."""
    if kernel == "lorentzian":
        return math.log(1.0 / _TRUNCATION) / eta
    return math.sqrt(2.0 * math.log(1.0 / _TRUNCATION)) / eta


def _time_step(
    scale, omega_max: float, eta: float, rule: str = NYQUIST_STEP, temperature: float = 0.0
) -> float:
    """Largest dt of ``rule`` (:data:`TIME_STEP_RULES`): |omega| + pair bandwidth 2a <
    fraction * pi / dt (:data:`NYQUIST_STEP`); the alias limit |omega| + 2a + Gaussian tail
    6.07 eta < fraction * 2 pi / dt (:data:`ALIAS_STEP`); and for :data:`BAND_STEP` the same
    with the filtered pair bandwidth 2 Omega_g (:func:`band_window` at the occupation
    ``temperature``) and the tail 7.43 eta."""
    a, _ = scale
    if rule == NYQUIST_STEP:
        return _NYQUIST_FRACTION * np.pi / (omega_max + 2.0 * a)
    if rule == ALIAS_STEP:
        tail = math.sqrt(2.0 * math.log(1.0 / _TRUNCATION)) * eta
        return _NYQUIST_FRACTION * 2.0 * np.pi / (omega_max + 2.0 * a + tail)
    _, support = band_window(omega_max, eta, temperature)
    return _NYQUIST_FRACTION * 2.0 * np.pi / (omega_max + 2.0 * support + _GAUSSIAN_TAIL * eta)


def _blocks(vectors: int, block: int | None):
    step = vectors if block is None else check_positive_int("block", block)
    return [(start, min(step, vectors - start)) for start in range(0, vectors, step)]


# ---------------------------------------------------------------------------------------
# raw data


@dataclass(frozen=True)
class ChebyshevMoments:
    r"""Raw KPM DOS data: :math:`\mu_n = \langle r|T_n(\tilde H)|r\rangle / N`.

    Attributes
    ----------
    moments : numpy.ndarray, shape (R, V, M)
        Per realization and random vector.
    scale : numpy.ndarray, shape (R, 2)
        ``(a, b)`` of :math:`\tilde H = (H - b)/a` per realization (units of t).
    realizations : numpy.ndarray of int64, shape (R,)
    """

    moments: np.ndarray
    scale: np.ndarray
    realizations: np.ndarray


@dataclass(frozen=True)
class CurrentCorrelation:
    r"""Raw KPM conductivity data: :math:`B(t_j) = D(t_j) - D(0)` per vector.

    Attributes
    ----------
    values : numpy.ndarray, shape (R, V, n_t)
        :math:`B(j\,\delta t)` (units of t), per realization and vector.
    time_step : numpy.ndarray, shape (R,)
        :math:`\delta t` per realization (units of 1/t).
    kinetic : numpy.ndarray, shape (R, V)
        :math:`D_f = -\langle r|f(H) K_x|r\rangle/N` per vector (units of t); NaN with
        :data:`BAND_STEP` (the filtered vectors do not measure it).
    scale : numpy.ndarray, shape (R, 2)
    realizations : numpy.ndarray of int64
    settings : dict
        fermi_energy, temperature, occupation_temperature, axis, eta, kernel, omega_max
        (eta and kernel: the window the samples were recorded for), time_step_rule
        (:data:`TIME_STEP_RULES`; absent: :data:`NYQUIST_STEP`) and with
        :data:`BAND_STEP` band_plateau and band_support (:func:`band_window`, units of t).
    """

    values: np.ndarray
    time_step: np.ndarray
    kinetic: np.ndarray
    scale: np.ndarray
    realizations: np.ndarray
    settings: dict


@dataclass(frozen=True)
class DensityCorrelation:
    r"""Raw KPM density-response data: :math:`X(t_j)` per vector and wavevector.

    Attributes
    ----------
    values : numpy.ndarray, shape (R, V, nq, n_t), complex
        :math:`Y(t_j) = \int_0^{t_j} X(t)\,dt` (units of 1/t... per site).
    start : numpy.ndarray, shape (R, V, nq), complex
        :math:`X(0)` (0 in expectation: the density operators commute).
    derivative : numpy.ndarray, shape (R, V, nq), complex
        :math:`X'(0)` from the commutator with H (spectral first moment).
    kinetic : numpy.ndarray, shape (R, V, d)
        :math:`-\langle r|f K_\alpha|r\rangle/N` per axis.
    time_step, scale, realizations, settings
        As in :class:`CurrentCorrelation`; settings also hold ``q``.
    """

    values: np.ndarray
    start: np.ndarray
    derivative: np.ndarray
    kinetic: np.ndarray
    time_step: np.ndarray
    scale: np.ndarray
    realizations: np.ndarray
    settings: dict


@dataclass(frozen=True)
class KPMAverage(DisorderAverage):
    """A :class:`DisorderAverage` of a stochastic-trace estimate.

    ``values[r]`` is the mean over the V random vectors of realization r; the
    per-vector estimates are kept in :attr:`vector_values` (R, V, ...), the raw
    moments or correlation functions in :attr:`raw` (reprocess them with
    :func:`dos_from_moments`, :func:`conductivity_from_correlation`,
    :func:`density_response_from_correlation`).

    :attr:`stderr` is the standard error of the mean over realizations (it
    contains the disorder and the stochastic scatter) for R >= 2, and the
    stochastic error :math:`s_V/\\sqrt{V}` of the single realization for R = 1;
    :attr:`vector_stderr` is the stochastic error of each realization alone.
    """

    vector_values: np.ndarray | None = None
    raw: object = None

    @property
    def vector_stderr(self) -> np.ndarray:
        """Stochastic-trace standard error per realization, shape (R, ...); NaN for V = 1."""
        per_vector = self.vector_values
        if per_vector.shape[1] < 2:
            return np.full(self.values.shape, np.nan)
        return _std(per_vector, axis=1) / np.sqrt(per_vector.shape[1])

    @property
    def stderr(self) -> np.ndarray:
        """Standard error of :attr:`mean` (class docstring)."""
        if self.count >= 2:
            return _std(self.values, axis=0) / np.sqrt(self.count)
        return self.vector_stderr[0]


def _std(values: np.ndarray, axis: int) -> np.ndarray:
    if np.iscomplexobj(values):
        return values.real.std(axis=axis, ddof=1) + 1j * values.imag.std(axis=axis, ddof=1)
    return values.std(axis=axis, ddof=1)


def _average(vector_values, indices, axes, raw, precision, what):
    values = vector_values.mean(axis=1)
    result = KPMAverage(values, indices, dict(axes), vector_values=vector_values, raw=raw)
    if precision is not None:
        _check_precision(result, check_positive("precision", precision), what)
    return result


def _check_precision(result: KPMAverage, precision: float, what: str) -> None:
    """Warn when the stochastic error of a realization exceeds ``precision`` x |value|."""
    vectors = result.vector_values.shape[1]
    if vectors < 2:
        warnings.warn(
            f"precision={precision} cannot be checked with vectors=1 ({what})",
            UserWarning,
            stacklevel=3,
        )
        return
    error = np.abs(result.vector_stderr)
    scale = np.abs(result.values)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(scale > 0, error / (precision * scale), 0.0)
    worst = float(np.max(ratio))
    if worst > 1.0:
        needed = math.ceil(vectors * worst * worst)
        warnings.warn(
            f"{what}: relative stochastic error {worst * precision:.3g} exceeds "
            f"precision={precision}; about vectors={needed} per realization are needed "
            f"(vectors={vectors} given)",
            UserWarning,
            stacklevel=3,
        )


# ---------------------------------------------------------------------------------------
# DOS


def _check_moments(moments) -> int | None:
    return None if moments is None else check_positive_int("moments", moments, minimum=2)


def default_moments(scale, eta: float | None, kernel: str) -> int:
    """Number of Chebyshev moments M that resolves ``eta`` with ``kernel``.

    Lorentzian and Gaussian: the series truncated where the kernel has decayed to
    1e-8 (M = a ln(1e8)/eta and a sqrt(2 ln(1e8))/eta); Jackson: M = pi a/eta. ``scale`` =
    (a, b) (units of t), ``eta`` (units of t). Raises ValueError if ``eta`` is None.
    """
    a, _ = scale
    if eta is None:
        raise ValueError(f"moments or eta is needed for kernel={kernel!r}, got both None")
    if kernel == "lorentzian":
        return math.ceil(a * math.log(1.0 / _TRUNCATION) / eta)
    if kernel == "gaussian":
        return math.ceil(a * math.sqrt(2.0 * math.log(1.0 / _TRUNCATION)) / eta)
    return math.ceil(np.pi * a / eta)


def _real_dos_moments(op: StencilOperator, vectors: np.ndarray, moments: int, scale):
    r""":func:`dos_moments` for real H: :math:`\langle r|T_n|r\rangle = \langle u|T_n|u\rangle
    + \langle w|T_n|w\rangle` with r = u + i w (:mod:`lattice.chebyshev._real_stencil`); all-zero
    parts (e.g. the real columns of ``sqrt(N) I``) contribute exactly 0 and are skipped."""
    n = op.n_sites
    parts = np.empty((2 * vectors.shape[1], n))
    parts[0::2] = vectors.real.T
    parts[1::2] = vectors.imag.T
    nonzero = np.flatnonzero(np.any(parts != 0.0, axis=1))
    sums = np.zeros((parts.shape[0], moments))
    model = op.model
    periodic = [boundary == "periodic" for boundary in model.boundary]
    sums[nonzero] = _real_stencil.real_moments(
        parts[nonzero], op.onsite, model.shape, periodic, model.hopping, scale, moments
    )
    return (sums[0::2] + sums[1::2]) / n


def dos_moments(op: StencilOperator, vectors: np.ndarray, moments: int, scale=None) -> np.ndarray:
    r"""Chebyshev moments :math:`\langle r|T_n(\tilde H)|r\rangle / N`, shape (R, M).

    Two moments per product by :math:`T_{2k} = 2T_k^2 - T_0`,
    :math:`T_{2k+1} = 2T_{k+1}T_k - T_1`. Real H (no flux, no twist): real
    float64 recursions on the real and imaginary parts, two steps per sweep
    (:mod:`lattice.chebyshev._real_stencil`); complex H: the complex block stencil.
    """
    scale = op.chebyshev_scale() if scale is None else scale
    if not op.model.is_complex:
        return _real_dos_moments(op, vectors, moments, scale)
    n = op.n_sites
    mu = np.zeros((moments, vectors.shape[1]))
    t0 = np.ascontiguousarray(vectors)
    mu[0] = _stencil.block_dot(t0, t0).real / n
    current = t0.copy()
    previous = np.empty_like(t0)
    op.chebyshev_step(current, previous, scale, first=True)
    current, previous = previous, current
    mu1 = _stencil.block_dot(t0, current).real / n
    if moments > 1:
        mu[1] = mu1
    k = 1
    fused = op.model.dim <= 2  # the planar stencil sums both products in its own pass
    while 2 * k < moments:
        # current = T_k r, previous = T_{k-1} r
        if 2 * k + 1 >= moments:
            mu[2 * k] = 2.0 * _stencil.block_dot(current, current).real / n - mu[0]
            break
        if fused:
            sums = op.chebyshev_step(current, previous, scale, dots=True).real
        else:
            norm = _stencil.block_dot(current, current).real
            op.chebyshev_step(current, previous, scale)
            sums = np.stack([norm, _stencil.block_dot(previous, current).real])
        mu[2 * k] = 2.0 * sums[0] / n - mu[0]
        mu[2 * k + 1] = 2.0 * sums[1] / n - mu1
        current, previous = previous, current
        k += 1
    return mu.T.copy()


def dos_from_moments(
    raw: ChebyshevMoments, energies, eta: float | None = None, kernel: str = "lorentzian"
) -> np.ndarray:
    r"""DOS per realization and vector from stored moments, shape (R, V, n_E) (1/t).

    ``lorentzian`` and ``gaussian``: :math:`\rho(E) = \sum_n c_n(E)\mu_n` with the
    Chebyshev coefficients of the kernel of :mod:`lattice.exact.dos` (width ``eta``);
    ``jackson``: the Jackson-damped series (``eta`` ignored, resolution
    :math:`\pi a/M`). Raises if the moments cannot resolve ``eta``.
    """
    check_choice("kernel", kernel, DOS_KPM_KERNELS)
    energies = check_grid("energies", energies)
    count = raw.moments.shape[-1]
    out = np.empty(raw.moments.shape[:2] + (energies.size,))
    for r, (a, b) in enumerate(raw.scale):
        if kernel == "jackson":
            x = np.clip((energies - b) / a, -1.0, 1.0)
            theta = np.arccos(x)
            weights = jackson_kernel(count) * (2.0 - (np.arange(count) == 0))
            basis = np.cos(np.outer(theta, np.arange(count))) * weights
            inside = np.abs((energies - b) / a) < 1.0
            with np.errstate(divide="ignore"):
                basis *= np.where(inside, 1.0 / (np.pi * a * np.sqrt(1.0 - x * x)), 0.0)[:, None]
        else:
            eta = check_positive("eta", eta)
            needed = default_moments((a, b), eta, kernel)
            if needed > count:
                raise ValueError(
                    f"eta={eta!r} needs moments >= {needed} with kernel={kernel!r}, "
                    f"the data hold {count}"
                )
            nodes = 1 << math.ceil(math.log2(max(2 * count, 64)))
            u = (energies[:, None] - (b + a * _nodes(nodes))[None, :]) / eta
            if kernel == "lorentzian":
                values = 1.0 / (np.pi * eta * (u * u + 1.0))
            else:
                values = np.exp(-0.5 * u * u) / (np.sqrt(2.0 * np.pi) * eta)
            basis = chebyshev_coefficients(values)[:, :count]
        out[r] = raw.moments[r] @ basis.T
    return out


def kpm_density_of_states(
    model: AndersonModel,
    energies,
    eta: float | None = None,
    kernel: str = "lorentzian",
    realizations: int | Sequence[int] = 16,
    seed: int = DEFAULT_SEED,
    vectors: int | np.ndarray = 10,
    moments: int | None = None,
    precision: float | None = None,
    block: int | None = None,
) -> KPMAverage:
    r"""KPM density of states per site (same normalisation as :func:`lattice.density_of_states`).

    Parameters
    ----------
    model : AndersonModel
    energies : array_like
        Evaluation energies (units of t).
    eta : float or None
        Lorentzian half width or Gaussian standard deviation (units of t); for
        ``jackson`` it sets the default ``moments`` = :math:`\pi a/\eta`.
    kernel : {"lorentzian", "gaussian", "jackson"}
    realizations, seed
        As in :func:`lattice.density_of_states`.
    vectors : int or numpy.ndarray
        Random-phase vectors per realization, or an explicit (N, V) complex block
        of trace vectors used for every realization (``sqrt(N)`` times the
        identity gives the exact trace: every column's estimate is one diagonal
        element, their mean the trace).
    moments : int or None
        Chebyshev moments M; default from ``eta`` so the truncation error is < 1e-8.
    precision : float or None
        Target relative stochastic error; a :class:`UserWarning` names the
        vectors needed when it is not met.
    block : int or None
        Vectors per block (memory ~ 3 N x block complex); results do not depend on it.

    Returns
    -------
    KPMAverage
        ``values`` (R, n_E), ``vector_values`` (R, V, n_E), ``raw``
        (:class:`ChebyshevMoments`), axis ``energies``.
    """
    check_choice("kernel", kernel, DOS_KPM_KERNELS)
    energies = check_grid("energies", energies)
    if eta is not None:
        eta = check_positive("eta", eta)
    moments = _check_moments(moments)
    vectors = _check_vectors(vectors, model.n_sites)
    indices = realization_indices(realizations)
    all_moments, scales = [], []
    for i in indices:
        op = StencilOperator(model, int(i), seed)
        scale = op.chebyshev_scale()
        count = moments if moments is not None else default_moments(scale, eta, kernel)
        if moments is None and all_moments:
            count = all_moments[0].shape[-1]
        parts = [
            dos_moments(
                op, _trace_block(seed, int(i), vectors, start, size, model.n_sites), count, scale
            )
            for start, size in _blocks(_count(vectors), block)
        ]
        all_moments.append(np.concatenate(parts, axis=0))
        scales.append(scale)
    raw = ChebyshevMoments(np.stack(all_moments), np.array(scales), indices)
    per_vector = dos_from_moments(raw, energies, eta, kernel)
    return _average(per_vector, indices, {"energies": energies}, raw, precision, "KPM DOS")


# ---------------------------------------------------------------------------------------
# conductivity


def _response_setup(
    model, seed, realization, omega_max, eta, kernel, temperature, rule=NYQUIST_STEP
):
    op = StencilOperator(model, realization, seed)
    scale = op.chebyshev_scale()
    occupation = _occupation_temperature(temperature, eta)
    dt = _time_step(scale, omega_max, eta, rule, occupation)
    steps = math.ceil(_window_length(eta, kernel) / dt)
    return op, scale, dt, steps, occupation


def current_correlation(
    model: AndersonModel,
    realization: int,
    seed: int,
    fermi_energy: float,
    temperature: float,
    eta: float,
    kernel: str,
    omega_max: float,
    vectors: int | np.ndarray,
    axis: int = 0,
    block: int | None = None,
    rule: str = NYQUIST_STEP,
) -> tuple[np.ndarray, np.ndarray, float, tuple[float, float]]:
    r"""One realization's :math:`B(t_j)` (V, n_t) and :math:`D_f` (V,), with dt and (a, b).

    See the module docstring; the samples cover :math:`t \le t_{max}` with
    :math:`W(t_{max}) = 10^{-8}` for ``eta`` and ``kernel``. ``rule``: the time step
    (:data:`TIME_STEP_RULES`); :data:`ALIAS_STEP` (real part, Gaussian window only) is
    about twice the default; :data:`BAND_STEP` filters both sides by :func:`band_window`
    (then B is the filtered :math:`B_g` and :math:`D_f` is not measured: NaN).
    """
    op, scale, dt, steps, occupation = _response_setup(
        model, seed, realization, omega_max, eta, kernel, temperature, rule
    )
    if rule == BAND_STEP:
        plateau, _ = band_window(omega_max, eta, occupation)
        series = _band_series(scale, fermi_energy, occupation, plateau)
    else:
        fermi = fermi_series(scale, fermi_energy, occupation)
    propagator = propagator_series(scale, dt)
    positions = _centred_positions(model, axis) if position_route(model, axis) else None
    n = model.n_sites
    samples = np.zeros((_count(vectors), steps + 1))
    kinetic = np.full(_count(vectors), np.nan)
    for start, size in _blocks(_count(vectors), block):
        r = _trace_block(seed, realization, vectors, start, size, n)
        current = op.current(r, axis)
        if rule == BAND_STEP:  # g f r and g (1 - f) J r, one block
            projected = _series(op, scale, _per_column(series, size), np.hstack([r, current]))
            occupied = np.ascontiguousarray(projected[:, :size])
            empty = np.ascontiguousarray(projected[:, size:])
        else:
            projected = _series(op, scale, fermi, np.concatenate([r, current], axis=1))
            occupied = np.ascontiguousarray(projected[:, :size])
            kinetic[start : start + size] = (
                -_stencil.block_dot(occupied, op.kinetic(r, axis)).real / n
            )
            empty = current - projected[:, size:]
        if positions is None:
            integral = _integrated_correlation(
                op, scale, propagator, steps, occupied, empty, None, _VECTOR_POTENTIAL_STEP
            )
            samples[start : start + size] = 2.0 * integral.real  # B(t)
        else:
            change = _position_correlation_change(
                op, scale, propagator, steps, occupied, empty, positions
            )
            samples[start : start + size] = -2.0 * change.imag  # the same B(t), exactly
    return samples, kinetic, dt, scale


def _kernel_transform(omega: np.ndarray, eta: float, kernel: str) -> np.ndarray:
    r""":math:`K(\omega) = \int_0^\infty e^{i\omega t}W(t)\,dt` (docs/conventions.md section 9)."""
    if kernel == "lorentzian":
        return 1j / (omega + 1j * eta)
    return np.sqrt(np.pi / 2.0) * wofz(omega / (np.sqrt(2.0) * eta)) / eta


def _window(times: np.ndarray, eta: float, kernel: str) -> np.ndarray:
    if kernel == "lorentzian":
        return np.exp(-eta * times)
    return np.exp(-0.5 * (eta * times) ** 2)


def _trapezoid_transform(samples: np.ndarray, dt: float, omega: np.ndarray, window: np.ndarray):
    r""":math:`\int_0^\infty e^{i\omega t}W(t)F(t)dt` by the trapezoid rule on the samples
    (last axis), :math:`F(0)` weighted 1/2."""
    weights = window * dt
    weights[0] *= 0.5
    times = dt * np.arange(samples.shape[-1])
    phase = np.exp(1j * np.outer(times, omega))
    return (samples * weights) @ phase


def _end_correction(samples: np.ndarray, dt: float) -> np.ndarray:
    r"""Euler-Maclaurin end term of the trapezoid rule for an even :math:`F(t)` with
    :math:`F(0) = F'(0) = 0` under :math:`e^{i\omega t}W(t)`: the exact integral is the
    trapezoid sum :math:`- \frac{h^4}{720}\,3F''(0)\,(i\omega + W'(0)) + O(h^6)`; this
    returns :math:`\frac{h^4}{240}F''(0)` with
    :math:`F''(0) = (16F(h) - F(2h))/(6h^2) + O(h^4)`."""
    second = (16.0 * samples[..., 1] - samples[..., 2]) / (6.0 * dt * dt)
    return dt**4 / 240.0 * second


def conductivity_from_correlation(
    raw: CurrentCorrelation,
    omega,
    eta: float,
    kernel: str = "lorentzian",
    drude_weight: float | np.ndarray = 0.0,
) -> np.ndarray:
    r"""Complex :math:`\sigma(\omega)` per realization and vector, (R, V, n_omega), e^2/hbar.

    :math:`\sigma = (D_f - D)K(\omega) + \int_0^\infty e^{i\omega t}W(t)B(t)dt`
    (module docstring); ``drude_weight`` D (per site, scalar or one per
    realization) is 0 for an open x axis. With D = 0 on a periodic axis the
    result is the dense engine's regular part plus the Drude peak broadened by the
    same kernel, :math:`D\,K(\omega)`.
    """
    omega = check_grid("omega", omega)
    eta = check_positive("eta", eta)
    check_choice("kernel", kernel, RESPONSE_KPM_KERNELS)
    _check_recorded(raw, omega, eta, kernel)
    drude = np.broadcast_to(np.asarray(drude_weight, dtype=float), (raw.values.shape[0],))
    n_t = raw.values.shape[-1]
    out = np.empty(raw.values.shape[:2] + (omega.size,), dtype=complex)
    band = raw.settings.get("time_step_rule") == BAND_STEP
    kernel_values = _kernel_transform(omega, eta, kernel)
    slope = -eta if kernel == "lorentzian" else 0.0  # W'(0)
    for r, dt in enumerate(raw.time_step):
        window = _window(dt * np.arange(n_t), eta, kernel)
        regular = _trapezoid_transform(raw.values[r], dt, omega, window)
        regular -= _end_correction(raw.values[r], dt)[:, None] * (1j * omega + slope)[None, :]
        if band:  # D_g(0) K(omega) < 1.25e-12 D(0)/eta at omega >= BAND_MIN_OMEGA eta
            out[r] = regular
        else:
            out[r] = (raw.kinetic[r] - drude[r])[:, None] * kernel_values[None, :] + regular
    if raw.settings.get("time_step_rule") in (ALIAS_STEP, BAND_STEP):
        out.imag = np.nan  # samples at the alias limit resolve the real part only
    return out


def _check_recorded(raw, omega: np.ndarray, eta: float, kernel: str) -> None:
    """The stored samples must cover the window of (eta, kernel) and the Nyquist limit."""
    recorded = float(np.min(raw.time_step)) * (raw.values.shape[-1] - 1)
    needed = _window_length(eta, kernel)
    if needed > recorded * (1 + 1e-9):
        raise ValueError(
            f"eta={eta!r} with kernel={kernel!r} needs correlations up to t={needed:.4g}, "
            f"the data hold t <= {recorded:.4g}"
        )
    limit = raw.settings["omega_max"]
    rule = raw.settings.get("time_step_rule")
    if rule in (ALIAS_STEP, BAND_STEP) and kernel != "gaussian":
        raise ValueError(
            f"kernel={kernel!r} needs the imaginary-part time step; these samples were "
            "recorded at the alias limit for Re sigma with the Gaussian kernel only"
        )
    dt = float(np.max(raw.time_step))
    if rule == ALIAS_STEP:
        tail = math.sqrt(2.0 * math.log(1.0 / _TRUNCATION)) * eta
        limit = min(limit, 2.0 * np.pi / dt - 2.0 * float(np.max(raw.scale[:, 0])) - tail)
    elif rule == BAND_STEP:
        plateau, support = raw.settings["band_plateau"], raw.settings["band_support"]
        fermi_tail = _FERMI_TAIL * raw.settings["occupation_temperature"]
        tail = _GAUSSIAN_TAIL * eta
        limit = min(plateau - fermi_tail - tail, 2.0 * np.pi / dt - 2.0 * support - tail)
        lowest = float(np.min(np.abs(omega)))
        if lowest < BAND_MIN_OMEGA * eta * (1 - 1e-12):
            raise ValueError(
                f"omega={lowest!r} is below {BAND_MIN_OMEGA:.2f} eta = {BAND_MIN_OMEGA * eta!r}: "
                "band-filtered samples (time_step_rule='band') omit D(0) K(omega) there"
            )
    if np.max(np.abs(omega)) > limit * (1 + 1e-12):
        raise ValueError(
            f"omega up to {np.max(np.abs(omega))!r} exceeds the recorded omega_max={limit!r}"
            + (" (band-filtered samples hold no pairs above it)" if rule == BAND_STEP else "")
        )


def transformed(result: KPMAverage, function) -> KPMAverage:
    """The same estimate with ``function`` applied to every value (mean and per vector)."""
    return KPMAverage(
        function(result.values),
        result.realizations,
        result.axes,
        vector_values=function(result.vector_values),
        raw=result.raw,
    )


def _check_response_kernel(eta, kernel):
    check_choice("kernel", kernel, RESPONSE_KPM_KERNELS)
    return check_positive("eta", eta)


def propagation_products(
    scale, omega_max: float, eta: float, kernel: str, rule: str, temperature: float
) -> int:
    """Single-column products with H of one column's time evolution over the window of
    (``eta``, ``kernel``) with the step of ``rule`` (:func:`_time_step`): steps x (P - 1),
    P the propagator's Chebyshev terms; ``temperature`` the occupation temperature."""
    dt = _time_step(scale, omega_max, eta, rule, temperature)
    steps = math.ceil(_window_length(eta, kernel) / dt)
    return steps * (propagator_series(scale, dt).size - 1)


def _step_rule(
    requested, model: AndersonModel, omega: np.ndarray, eta: float, kernel: str,
    real_part: bool, temperature: float,
) -> str:  # fmt: skip
    """The time-step rule of a conductivity run (:func:`kpm_complex_conductivity`).

    ``requested`` None: :data:`NYQUIST_STEP` for the complex sigma or the Lorentzian;
    for Re sigma with the Gaussian window :data:`BAND_STEP` where it applies
    (min |omega| >= :data:`BAND_MIN_OMEGA` eta) and its time evolution needs fewer
    products than :data:`ALIAS_STEP`'s at the clean lattice's scale a = 2 d t / 0.99
    (a lower bound of every realization's, so the comparison does not depend on the
    disorder), else :data:`ALIAS_STEP`.
    """
    alias_allowed = bool(real_part) and kernel == "gaussian"
    lowest = float(np.min(np.abs(omega)))
    if requested is None:
        if not alias_allowed:
            return NYQUIST_STEP
        if lowest < BAND_MIN_OMEGA * eta:
            return ALIAS_STEP
        scale = (2.0 * model.dim * model.hopping / (1.0 - SPECTRUM_MARGIN), 0.0)
        omega_max = float(np.max(np.abs(omega)))
        occupation = _occupation_temperature(temperature, eta)
        cost = {
            rule: propagation_products(scale, omega_max, eta, kernel, rule, occupation)
            for rule in (BAND_STEP, ALIAS_STEP)
        }
        return BAND_STEP if cost[BAND_STEP] < cost[ALIAS_STEP] else ALIAS_STEP
    rule = check_choice("time_step_rule", requested, TIME_STEP_RULES)
    if rule != NYQUIST_STEP and not alias_allowed:
        raise ValueError(
            f"time_step_rule={rule!r} resolves Re sigma with the Gaussian window only "
            f"(real_part=True, kernel='gaussian'), got real_part={real_part!r}, "
            f"kernel={kernel!r}"
        )
    if rule == BAND_STEP and lowest < BAND_MIN_OMEGA * eta:
        raise ValueError(
            f"time_step_rule='band' needs omega >= {BAND_MIN_OMEGA:.2f} eta = "
            f"{BAND_MIN_OMEGA * eta!r}, got omega={lowest!r}"
        )
    return rule


def _band_settings(rule: str, omega_max: float, eta: float, occupation: float) -> dict:
    """The band filter's half-widths recorded beside ``time_step_rule='band'``."""
    if rule != BAND_STEP:
        return {}
    plateau, support = band_window(omega_max, eta, occupation)
    return {"band_plateau": plateau, "band_support": support}


def kpm_complex_conductivity(
    model: AndersonModel,
    omega,
    fermi_energy: float = 0.0,
    eta: float = DEFAULT_ETA,
    kernel: str = "lorentzian",
    temperature: float = 0.0,
    realizations: int | Sequence[int] = 16,
    seed: int = DEFAULT_SEED,
    axis: int = 0,
    vectors: int | np.ndarray = 10,
    drude_weight: float | np.ndarray = 0.0,
    precision: float | None = None,
    block: int | None = None,
    real_part: bool = False,
    time_step_rule: str | None = None,
) -> KPMAverage:
    r"""KPM complex :math:`\sigma_{aa}(\omega)` per site (e^2/hbar), dense-engine broadening.

    Parameters as :func:`lattice.complex_conductivity`, plus ``vectors``,
    ``precision``, ``block`` (as in :func:`kpm_density_of_states`) and
    ``drude_weight`` (:func:`conductivity_from_correlation`). ``eta`` is the
    resolution: the cost is linear in :math:`1/\eta`. At T = 0 the occupation
    is a Fermi function at :data:`T0_SMEARING` x eta. ``real_part=True`` returns
    Re sigma (real values); with the Gaussian kernel it samples at the alias limit
    (:data:`ALIAS_STEP`, about half the steps), as exact for the real part, or, when
    :math:`\min|\omega| \ge` :data:`BAND_MIN_OMEGA` x eta and it needs fewer
    products (:func:`propagation_products` at the clean lattice's a), with both
    sides filtered to :math:`E_F \pm \Omega` (:data:`BAND_STEP`,
    :func:`band_window`; a step about
    :math:`(\omega_{max} + 2a)/(3\omega_{max})` times the alias step). The recorded
    ``raw`` then rebuilds only the real part (imaginary part NaN). The band result
    equals the full-band one to :math:`4\cdot 10^{-12}\,\mathrm{Re}\,\sigma +
    5\cdot 10^{-12} D(0)/\eta` for the exact trace; with random vectors each vector's
    odd (zero-mean) part adds a discretization noise of 0.1-3 % of the per-vector
    standard deviation, as the alias step does at 0.1-2 % (docs/engines.md,
    "Band-limited Re sigma"), which is why it may be the automatic choice.
    ``time_step_rule`` (:data:`TIME_STEP_RULES`) forces a rule: :data:`NYQUIST_STEP`
    always applies; :data:`ALIAS_STEP` and :data:`BAND_STEP` need ``real_part=True``
    and the Gaussian kernel, :data:`BAND_STEP` also the frequencies above.

    Returns
    -------
    KPMAverage
        complex ``values`` (R, n_omega); ``raw`` is a :class:`CurrentCorrelation`
        and ``vector_values[..., :]`` the per-vector estimates. The f-sum term
        :math:`D_f` of every vector is ``raw.kinetic`` (NaN under :data:`BAND_STEP`,
        whose filtered vectors do not measure it: force ``time_step_rule="alias"``
        to have it with the Gaussian Re sigma).
    """
    omega = check_grid("omega", omega)
    eta = _check_response_kernel(eta, kernel)
    fermi_energy = check_finite("fermi_energy", fermi_energy)
    temperature = check_positive("temperature", temperature, allow_zero=True)
    vectors = _check_vectors(vectors, model.n_sites)
    if model.check_axis(axis) != 0:
        raise ValueError(f"engine='kpm' computes sigma_xx only (axis=0), got axis={axis!r}")
    indices = realization_indices(realizations)
    if model.boundary[0] == "periodic" and np.all(np.asarray(drude_weight) == 0.0):
        warnings.warn(
            "engine='kpm' with a periodic x axis: sigma includes the ring's Drude peak "
            "D K(omega) (D the finite-size Drude weight, negative on some small rings), "
            "which the dense engine omits; use boundary='open' along x (or a much larger "
            "ring, where D K(omega) is negligible for omega >> eta), or pass drude_weight=D",
            DrudePeakWarning,
            stacklevel=3,
        )
    omega_max = float(np.max(np.abs(omega)))
    rule = _step_rule(time_step_rule, model, omega, eta, kernel, real_part, temperature)
    parts = [
        current_correlation(
            model,
            int(i),
            seed,
            fermi_energy,
            temperature,
            eta,
            kernel,
            omega_max,
            vectors,
            axis,
            block,
            rule,
        )  # fmt: skip
        for i in indices
    ]
    length = max(p[0].shape[1] for p in parts)
    values = np.stack([np.pad(p[0], ((0, 0), (0, length - p[0].shape[1]))) for p in parts])
    raw = CurrentCorrelation(
        values=values,
        time_step=np.array([p[2] for p in parts]),
        kinetic=np.stack([p[1] for p in parts]),
        scale=np.array([p[3] for p in parts]),
        realizations=indices,
        settings={
            "operator": "current",
            "fermi_energy": fermi_energy,
            "temperature": temperature,
            "occupation_temperature": _occupation_temperature(temperature, eta),
            "axis": axis,
            "eta": eta,
            "kernel": kernel,
            "omega_max": omega_max,
            "time_step_rule": rule,
        }
        | _band_settings(rule, omega_max, eta, _occupation_temperature(temperature, eta)),
    )
    per_vector = conductivity_from_correlation(raw, omega, eta, kernel, drude_weight)
    if real_part:
        per_vector = per_vector.real
    return _average(per_vector, indices, {"omega": omega}, raw, precision, "KPM sigma")


def position_correlation(
    model: AndersonModel,
    realization: int,
    seed: int,
    fermi_energy: float,
    temperature: float,
    eta: float,
    vectors: int | np.ndarray,
    axis: int = 0,
    block: int | None = None,
):
    r"""One realization's :math:`G(t_j)` (V, n_t), dt and (a, b), for an open ``axis``:

    :math:`G(t) = \frac{1}{N}\sum_{nm}\frac{(f_n - f_m)|X_{nm}|^2}{w_{nm}}(1 - \cos w_{nm}t)
    = -\frac{2}{N}\mathrm{Re}\langle\varphi(t)|\partial_\lambda\psi_\lambda(t)\rangle`,
    :math:`\varphi = e^{-iHt}fr`, :math:`\psi_\lambda = e^{-i(H + \lambda X)t}(1 - f)Xr`
    (X centred on the sample, which changes no pair weight).
    """
    centred = _centred_positions(model, axis)
    op, scale, dt, steps, occupation = _response_setup(
        model, seed, realization, 0.0, eta, "lorentzian", temperature
    )
    fermi = fermi_series(scale, fermi_energy, occupation)
    propagator = propagator_series(scale, dt)
    n = model.n_sites
    reach = max(1.0, float(np.abs(centred).max()))
    profile = centred.astype(complex)
    samples = np.zeros((_count(vectors), steps + 1))
    for start, size in _blocks(_count(vectors), block):
        r = _trace_block(seed, realization, vectors, start, size, n)
        occupied = _series(op, scale, fermi, r)
        moved = np.ascontiguousarray(centred[:, None] * r)
        empty = moved - _series(op, scale, fermi, moved)
        integral = _integrated_correlation(
            op, scale, propagator, steps, occupied, empty, profile, _PROFILE_STEP / reach
        )
        samples[start : start + size] = -2.0 * integral.real
    return samples, dt, scale


def polarizability_from_correlation(raw: CurrentCorrelation, eta: float) -> np.ndarray:
    r""":math:`\alpha_\eta(0) = \eta\int_0^\infty e^{-\eta t}G(t)\,dt` per realization and
    vector, (R, V) (units of e^2 a^2/t), from stored :func:`position_correlation` data."""
    eta = check_positive("eta", eta)
    _check_recorded(raw, np.zeros(1), eta, "lorentzian")
    n_t = raw.values.shape[-1]
    out = np.empty(raw.values.shape[:2])
    for r, dt in enumerate(raw.time_step):
        window = _window(dt * np.arange(n_t), eta, "lorentzian")
        integral = _trapezoid_transform(raw.values[r], dt, np.zeros(1), window)[:, 0].real
        out[r] = eta * (integral + eta * _end_correction(raw.values[r], dt))
    return out


def kpm_static_polarizability(
    model: AndersonModel,
    fermi_energy: float = 0.0,
    eta: float = DEFAULT_ETA,
    temperature: float = 0.0,
    realizations: int | Sequence[int] = 16,
    seed: int = DEFAULT_SEED,
    axis: int = 0,
    vectors: int | np.ndarray = 10,
    precision: float | None = None,
    block: int | None = None,
) -> KPMAverage:
    r"""Lorentzian-regularised static polarizability (units of e^2 a^2/t), open ``axis``:

    .. math::

        \alpha_\eta(0) = \frac{2}{N}\sum_p \frac{(f_n - f_m)|X_{nm}|^2\,w_p}{w_p^2 + \eta^2}
        = \frac{\mathrm{Re}\,\sigma_\eta(0)}{\eta},

    (the second form with the Lorentzian sigma of the dense engine, since
    :math:`|J_{nm}| = w_p|X_{nm}|`), which tends to the exact
    :math:`\alpha(0) = (2/N)\sum_p (f_n - f_m)|X_{nm}|^2/w_p` with relative bias
    :math:`-\eta^2\langle w_p^{-2}\rangle` (weighted over the pairs). Computed
    from :func:`position_correlation` as :math:`\eta\int_0^\infty e^{-\eta t}G\,dt`,
    with no cancellation between large terms. ``raw`` holds G per vector.
    """
    fermi_energy = check_finite("fermi_energy", fermi_energy)
    eta = check_positive("eta", eta)
    temperature = check_positive("temperature", temperature, allow_zero=True)
    vectors = _check_vectors(vectors, model.n_sites)
    axis = model.check_axis(axis)
    indices = realization_indices(realizations)
    parts = [
        position_correlation(
            model, int(i), seed, fermi_energy, temperature, eta, vectors, axis, block
        )
        for i in indices
    ]
    length = max(p[0].shape[1] for p in parts)
    raw = CurrentCorrelation(
        values=np.stack([np.pad(p[0], ((0, 0), (0, length - p[0].shape[1]))) for p in parts]),
        time_step=np.array([p[1] for p in parts]),
        kinetic=np.zeros((indices.size, _count(vectors))),
        scale=np.array([p[2] for p in parts]),
        realizations=indices,
        settings={
            "operator": "position",
            "fermi_energy": fermi_energy,
            "temperature": temperature,
            "occupation_temperature": _occupation_temperature(temperature, eta),
            "axis": axis,
            "eta": eta,
            "kernel": "lorentzian",
            "omega_max": 0.0,
        },
    )
    per_vector = polarizability_from_correlation(raw, eta)
    return _average(per_vector, indices, {}, raw, precision, "KPM alpha(0)")


# ---------------------------------------------------------------------------------------
# density response


def density_correlation(
    model: AndersonModel,
    realization: int,
    seed: int,
    q: np.ndarray,
    fermi_energy: float,
    temperature: float,
    eta: float,
    omega_max: float,
    vectors: int | np.ndarray,
    block: int | None = None,
):
    r"""One realization's :math:`Y(t_j) = \int_0^{t_j} X` (V, nq, n_t), :math:`X(0)` and
    :math:`X'(0)` (V, nq), the per-axis :math:`D_f` (V, d), dt and (a, b).

    :math:`X(t) = \frac{1}{N}[\langle v(t)|\rho_q|p(t)\rangle - \langle u(t)|\rho_q|s(t)
    \rangle]` (module docstring); Y is exact (Duhamel, :func:`_integrated_correlation`
    with :math:`V = \rho_q`), :math:`X'(0)` the commutator with H at t = 0.
    """
    op, scale, dt, steps, occupation = _response_setup(
        model, seed, realization, omega_max, eta, "lorentzian", temperature
    )
    fermi = fermi_series(scale, fermi_energy, occupation)
    propagator = propagator_series(scale, dt)
    n = model.n_sites
    positions = model.positions.astype(float)
    count = _count(vectors)
    samples = np.zeros((count, q.shape[0], steps + 1), dtype=complex)
    start_values = np.zeros((count, q.shape[0]), dtype=complex)
    derivative = np.zeros((count, q.shape[0]), dtype=complex)
    kinetic = np.zeros((count, model.dim))
    for start, size in _blocks(_count(vectors), block):
        r = _trace_block(seed, realization, vectors, start, size, n)
        occupied = _series(op, scale, fermi, r)
        for a in range(model.dim):
            kinetic[start : start + size, a] = (
                -_stencil.block_dot(occupied, op.kinetic(r, a)).real / n
            )
        bras = np.ascontiguousarray(np.concatenate([r - occupied, occupied], axis=1))  # v, u
        hbras = op.hamiltonian(bras)
        for iq, wavevector in enumerate(q):
            plane = np.exp(-1j * positions @ wavevector)  # the diagonal of rho_q
            shifted = np.ascontiguousarray(plane.conj()[:, None] * r)  # rho_q^dagger r
            shifted_occupied = _series(op, scale, fermi, shifted)
            kets = np.ascontiguousarray(
                np.concatenate([shifted_occupied, shifted - shifted_occupied], axis=1)
            )  # p, s
            hkets = op.hamiltonian(kets)

            def pair(left, right, plane=plane, size=size):
                values = _stencil.block_dot(left, np.ascontiguousarray(plane[:, None] * right))
                return (values[:size] - values[size:]) / n

            start_values[start : start + size, iq] = pair(bras, kets)
            # X'(0) = i(<Hv|rho p> - <v|rho H p>) - i(<Hu|rho s> - <u|rho H s>)
            derivative[start : start + size, iq] = 1j * (pair(hbras, kets) - pair(bras, hkets))
            integral = _integrated_correlation(
                op, scale, propagator, steps, bras, kets, plane, _PROFILE_STEP
            )
            samples[start : start + size, iq] = 1j * (integral[:size] - integral[size:])
    return samples, start_values, derivative, kinetic, dt, scale


def density_response_from_correlation(raw: DensityCorrelation, omega, eta: float):
    r"""chi(q, omega) per realization and vector, (R, V, nq, n_omega), and its
    omega = 0 value (R, V, nq), from stored :math:`Y(t_j) = \int_0^{t_j}X`.

    :math:`\chi = -i\int_0^\infty e^{st}X\,dt = is\int_0^\infty e^{st}Y\,dt`,
    :math:`s = i\omega - \eta`, by the trapezoid rule with the Euler-Maclaurin end
    correction :math:`+\frac{\delta t^2}{12}\,Y'(0)`, :math:`Y'(0) = X(0)`.
    """
    omega = check_grid("omega", omega)
    eta = check_positive("eta", eta)
    _check_recorded(raw, omega, eta, "lorentzian")
    n_t = raw.values.shape[-1]
    grid = np.concatenate([omega, [0.0]])
    s = 1j * grid - eta
    out = np.empty(raw.values.shape[:3] + (grid.size,), dtype=complex)
    for r, dt in enumerate(raw.time_step):
        window = _window(dt * np.arange(n_t), eta, "lorentzian")
        integral = _trapezoid_transform(raw.values[r], dt, grid, window)
        integral += (dt * dt / 12.0) * raw.start[r][..., None]
        out[r] = 1j * s * integral
    return out[..., :-1], out[..., -1].real


def kpm_density_response(
    model: AndersonModel,
    q,
    omega,
    fermi_energy: float = 0.0,
    eta: float = DEFAULT_ETA,
    temperature: float = 0.0,
    realizations: int | Sequence[int] = 16,
    seed: int = DEFAULT_SEED,
    vectors: int | np.ndarray = 10,
    precision: float | None = None,
    block: int | None = None,
):
    r"""KPM density response: ``(dynamic, static, f_sum, f_sum_kinetic)``, the fields of
    :class:`lattice.exact.response.DensityResponse` (which :func:`lattice.density_response`
    builds from them with ``engine="kpm"``).

    ``q`` must already be on the lattice's grid
    (:func:`lattice.exact.response.allowed_wavevectors`). ``dynamic`` is a
    :class:`KPMAverage` (raw :class:`DensityCorrelation`);
    ``static`` is :math:`\mathrm{Re}\,\chi(q, 0)` at the broadening eta (not the
    :math:`\eta \to 0` limit of the dense engine); ``f_sum`` is the spectral
    first moment :math:`-iX'(0)` and ``f_sum_kinetic`` the commutator side
    :math:`2\sum_\alpha(1 - \cos q_\alpha)D_{f,\alpha}`, both from the same vectors.
    """
    q = np.asarray(q, dtype=float).reshape(-1, model.dim)
    omega = check_grid("omega", omega)
    eta = check_positive("eta", eta)
    fermi_energy = check_finite("fermi_energy", fermi_energy)
    temperature = check_positive("temperature", temperature, allow_zero=True)
    vectors = _check_vectors(vectors, model.n_sites)
    indices = realization_indices(realizations)
    omega_max = float(np.max(np.abs(omega)))
    parts = [
        density_correlation(
            model, int(i), seed, q, fermi_energy, temperature, eta, omega_max, vectors, block
        )
        for i in indices
    ]
    length = max(p[0].shape[-1] for p in parts)
    values = np.stack(
        [np.pad(p[0], ((0, 0), (0, 0), (0, length - p[0].shape[-1]))) for p in parts]
    )
    raw = DensityCorrelation(
        values=values,
        start=np.stack([p[1] for p in parts]),
        derivative=np.stack([p[2] for p in parts]),
        kinetic=np.stack([p[3] for p in parts]),
        time_step=np.array([p[4] for p in parts]),
        scale=np.array([p[5] for p in parts]),
        realizations=indices,
        settings={
            "fermi_energy": fermi_energy,
            "temperature": temperature,
            "occupation_temperature": _occupation_temperature(temperature, eta),
            "eta": eta,
            "omega_max": omega_max,
            "q": q,
        },
    )
    chi, static = density_response_from_correlation(raw, omega, eta)
    dynamic = _average(chi, indices, {"q": q, "omega": omega}, raw, precision, "KPM chi")
    f_sum = (-1j * raw.derivative).real
    f_kinetic = 2.0 * np.einsum("qa,rva->rvq", 1.0 - np.cos(q), raw.kinetic)
    return (
        dynamic,
        _average(static, indices, {"q": q}, raw, None, "KPM chi(q, 0)"),
        _average(f_sum, indices, {"q": q}, raw, None, "KPM f-sum"),
        _average(f_kinetic, indices, {"q": q}, raw, None, "KPM f-sum"),
    )
