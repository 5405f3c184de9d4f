r"""Kubo conductivity :math:`\sigma_{xx}(\omega)` per site, units of e^2/hbar.

Conventions: docs/conventions.md.

.. math::

    \mathrm{Re}\,\sigma(\omega) = \frac{\pi}{N\omega}\sum_{n,m}(f_n - f_m)
        |\langle n|J_x|m\rangle|^2\,\delta(\omega - e_m + e_n),

with :math:`J_x = \partial H/\partial A_x` the total current
(:meth:`lattice.models.model.AndersonModel.current_operator`). Written over the
transitions p (:mod:`lattice.exact.transitions`, :math:`w_p > 0`) with
:math:`a_p = (f_n - f_m)|J_{nm}|^2 / w_p`, the complex (regular) conductivity is

.. math::

    \sigma(\omega) = \frac{1}{N}\sum_p a_p\,[K(\omega - w_p) + K(\omega + w_p)],

where :math:`K(x) = i/(x + i0)` is broadened by a kernel analytic in the upper
half plane, so that Re and Im sigma are Kramers-Kronig partners for every
broadening:

``lorentzian``
    :math:`K(x) = i/(x + i\eta)`; Re K = :math:`\eta/(x^2 + \eta^2)`.
``gaussian``
    Re K = :math:`\pi\,e^{-x^2/2\eta^2}/(\eta\sqrt{2\pi})` (standard deviation
    :math:`\eta`), Im K = :math:`(\sqrt{2}/\eta)\,F(x/\eta\sqrt{2})` with Dawson's
    function F (K is :math:`\sqrt{\pi/2}\,w(z)/\eta`, w the Faddeeva function).
``histogram``
    Exact binning: Re K = :math:`\pi/\eta` on :math:`|x| < \eta/2` (the mean of
    Re sigma over a bin of width :math:`\eta` centred on omega),
    Im K = :math:`\eta^{-1}\ln|(x + \eta/2)/(x - \eta/2)|`.

Every kernel integrates to the same weight, so
:math:`\int_0^\infty \mathrm{Re}\,\sigma\,d\omega = (\pi/N)\sum_p a_p` exactly
(the regular part of the f-sum rule, :mod:`lattice.exact.sum_rules`); the mirror term
:math:`K(\omega + w_p)` keeps Re sigma even in omega. The Drude peak at
omega = 0 of a periodic system is not part of sigma here: it is
:func:`lattice.exact.sum_rules.drude_weight`. The polarizability is
:math:`\alpha(\omega) = i\sigma(\omega)/\omega` (:math:`\sigma = -i\omega\alpha`,
the seed's definition next to Eq. (32), :math:`\sigma = e^2 (n/m)\,i/(\omega + M(0,\omega))`,
whose insulating form, Eq. (36), gives Re sigma ~ omega^2).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.special import dawsn

from lattice.chebyshev.kpm import kpm_complex_conductivity, transformed
from lattice.exact import _kernels
from lattice.exact.spectrum import check_engine, diagonalize
from lattice.exact.transitions import Transitions, energy_window, transitions
from lattice.models.averaging import DisorderAverage, disorder_average
from lattice.models.defaults import DEFAULT_ETA
from lattice.models.model import AndersonModel
from lattice.models.seeding import DEFAULT_SEED
from vwloc_common.checks import check_choice, check_finite, check_grid, check_positive

__all__ = [
    "KERNELS",
    "complex_conductivity",
    "conductivity",
    "conductivity_from_transitions",
    "current_transitions",
    "dynamic_polarizability",
    "kernel_sum",
]

#: Broadening kernels of the delta function (module docstring).
KERNELS = ("lorentzian", "gaussian", "histogram")

#: Pair x frequency block size of the chunked Gaussian sum (memory bound, ~16 MB).
_GAUSSIAN_BLOCK = 1 << 20


def kernel_sum(omega, frequency, amplitude, eta: float, kernel: str) -> np.ndarray:
    r"""Complex :math:`\sum_p a_p [K(\omega - w_p) + K(\omega + w_p)]` for a kernel.

    Parameters
    ----------
    omega : numpy.ndarray, shape (n,)
        Frequencies (units of t).
    frequency, amplitude : numpy.ndarray, shape (M,)
        :math:`w_p` and :math:`a_p`.
    eta : float
        Kernel width (units of t): Lorentzian half width, Gaussian standard
        deviation, or histogram bin width.
    kernel : {"lorentzian", "gaussian", "histogram"}

    Returns
    -------
    numpy.ndarray of complex128, shape (n,)
    """
    omega = np.ascontiguousarray(omega, dtype=float)
    frequency = np.ascontiguousarray(frequency, dtype=float)
    amplitude = np.ascontiguousarray(amplitude, dtype=float)
    if kernel == "lorentzian":
        real, imag = _kernels.lorentzian_sum(omega, frequency, amplitude, eta)
    elif kernel == "histogram":
        real, imag = _kernels.box_sum(omega, frequency, amplitude, eta)
    else:
        real, imag = _gaussian_sum(omega, frequency, amplitude, eta)
    return real + 1j * imag


def _gaussian_sum(omega, frequency, amplitude, eta):
    """Gaussian kernel (vectorised SciPy: Dawson's function is not available in numba)."""
    real = np.zeros(omega.size)
    imag = np.zeros(omega.size)
    scale = 1.0 / (eta * np.sqrt(2.0))
    block = max(1, _GAUSSIAN_BLOCK // max(omega.size, 1))
    for start in range(0, frequency.size, block):
        w = frequency[start : start + block]
        a = amplitude[start : start + block]
        for sign in (-1.0, 1.0):
            u = (omega[:, None] + sign * w[None, :]) * scale
            real += (np.sqrt(np.pi / 2.0) / eta) * (np.exp(-u * u) @ a)
            imag += (np.sqrt(2.0) / eta) * (dawsn(u) @ a)
    return real, imag


def conductivity_from_transitions(
    current: Transitions, omega, eta: float, kernel: str = "lorentzian"
) -> np.ndarray:
    """Complex regular conductivity per site from the current transitions.

    Parameters
    ----------
    current : Transitions
        Transitions of J_x (:func:`current_transitions`).
    omega : array_like
        Frequency grid (units of t).
    eta : float
        Kernel width (units of t), > 0.
    kernel : {"lorentzian", "gaussian", "histogram"}

    Returns
    -------
    numpy.ndarray of complex128
        sigma(omega) in units of e^2/hbar per site (module docstring).
    """
    omega = check_grid("omega", omega)
    eta = check_positive("eta", eta)
    check_choice("kernel", kernel, KERNELS)
    amplitude = current.weight / current.frequency
    return kernel_sum(omega, current.frequency, amplitude, eta, kernel) / current.n_sites


def current_transitions(
    model: AndersonModel,
    realization: int = 0,
    seed: int = DEFAULT_SEED,
    fermi_energy: float = 0.0,
    temperature: float = 0.0,
    w_max: float | None = None,
    axis: int = 0,
    engine: str = "dense",
) -> Transitions:
    """Diagonalize one realization (in the window of ``w_max``) and list the J transitions."""
    fermi_energy = check_finite("fermi_energy", fermi_energy)
    temperature = check_positive("temperature", temperature, allow_zero=True)
    window = energy_window(fermi_energy, temperature, w_max)
    spectrum = diagonalize(model, realization, seed, window, check_engine(engine, w_max))
    return transitions(
        spectrum, model.current_operator(axis), fermi_energy, temperature, w_max=w_max
    )


def _check_no_window(w_max) -> None:
    if w_max is not None:
        raise ValueError(f"w_max must be None with engine='kpm', got w_max={w_max!r}")


def complex_conductivity(
    model: AndersonModel,
    omega,
    fermi_energy: float = 0.0,
    eta: float = DEFAULT_ETA,
    kernel: str = "lorentzian",
    temperature: float = 0.0,
    realizations: int | Sequence[int] = 16,
    seed: int = DEFAULT_SEED,
    w_max: float | None = None,
    axis: int = 0,
    engine: str = "dense",
    vectors: int = 10,
    precision: float | None = None,
) -> DisorderAverage:
    r"""Disorder-averaged complex :math:`\sigma_{aa}(\omega)` per site (e^2/hbar).

    Parameters
    ----------
    model : AndersonModel
    omega : array_like
        Frequency grid (units of t), non-empty and finite.
    fermi_energy : float
        E_F (units of t).
    eta : float
        Kernel width (units of t), > 0.
    kernel : {"lorentzian", "gaussian", "histogram"}
        Broadening of the delta function (module docstring).
    temperature : float
        T (units of t), >= 0.
    realizations : int or sequence of int
        n (indices 0..n-1) or explicit realization indices.
    seed : int
        Root seed.
    w_max : float or None
        Keep only transitions with w <= w_max (and diagonalize only the
        eigenpairs they need); None keeps all. Kernel tails of the dropped
        transitions are then missing near omega ~ w_max.
    axis : int
        Direction a of the current (0 = x).
    engine : {"dense", "sparse", "kpm"}
        Eigensolver: dense LAPACK, or the exact eigenpairs within ``w_max`` of
        E_F from the sparse H (:mod:`lattice.exact.sparse_window`; needs ``w_max``,
        for large lattices). Both give the same sigma to rounding. ``"kpm"``:
        Chebyshev time evolution with ``vectors`` random vectors per realization
        (:func:`lattice.chebyshev.kpm.kpm_complex_conductivity`; kernels ``lorentzian`` and
        ``gaussian``, same broadening; ``w_max`` must be None). With a periodic x
        axis its result includes the Drude peak broadened by the kernel (the
        dense engine's regular part + :math:`D\,K(\omega)`).
    vectors, precision
        KPM only: random vectors per realization; target relative stochastic
        error (a UserWarning names the vectors needed when it is not met).

    Returns
    -------
    DisorderAverage
        ``values[r, i]`` = sigma(omega_i) of realization r; ``.omega``.
    """
    if engine == "kpm":
        _check_no_window(w_max)
        return kpm_complex_conductivity(
            model, omega, fermi_energy, eta, kernel, temperature, realizations, seed, axis,
            vectors, precision=precision,
        )  # fmt: skip
    omega = check_grid("omega", omega)
    eta = check_positive("eta", eta)
    check_choice("kernel", kernel, KERNELS)
    check_engine(engine, w_max)

    def one(realization: int) -> np.ndarray:
        current = current_transitions(
            model, realization, seed, fermi_energy, temperature, w_max, axis, engine
        )
        return conductivity_from_transitions(current, omega, eta, kernel)

    return disorder_average(one, realizations, axes={"omega": omega})


def conductivity(
    model: AndersonModel,
    omega,
    fermi_energy: float = 0.0,
    eta: float = DEFAULT_ETA,
    kernel: str = "lorentzian",
    temperature: float = 0.0,
    realizations: int | Sequence[int] = 16,
    seed: int = DEFAULT_SEED,
    w_max: float | None = None,
    axis: int = 0,
    engine: str = "dense",
    vectors: int = 10,
    precision: float | None = None,
) -> DisorderAverage:
    r"""Disorder-averaged :math:`\mathrm{Re}\,\sigma_{aa}(\omega)` per site (units of e^2/hbar).

    Same parameters as :func:`complex_conductivity`; returns its real part
    (``r.omega``, ``r.mean``, ``r.stderr``, ``r.values``).

    Examples
    --------
    >>> import numpy as np
    >>> model = AndersonModel(dim=2, L=6, disorder=2.0)
    >>> r = conductivity(model, np.linspace(0.1, 2, 5), realizations=2, seed=7)
    >>> r.values.shape
    (2, 5)
    """
    if engine == "kpm":  # the real part alone: the Gaussian window allows the alias or band step
        _check_no_window(w_max)
        result = kpm_complex_conductivity(
            model, omega, fermi_energy, eta, kernel, temperature, realizations, seed, axis,
            vectors, precision=precision, real_part=True,
        )  # fmt: skip
        return transformed(result, np.real)
    result = complex_conductivity(
        model, omega, fermi_energy, eta, kernel, temperature, realizations, seed, w_max, axis,
        engine, vectors, precision,
    )  # fmt: skip
    return DisorderAverage(result.values.real, result.realizations, result.axes)


def dynamic_polarizability(
    model: AndersonModel,
    omega,
    fermi_energy: float = 0.0,
    eta: float = DEFAULT_ETA,
    kernel: str = "lorentzian",
    temperature: float = 0.0,
    realizations: int | Sequence[int] = 16,
    seed: int = DEFAULT_SEED,
    w_max: float | None = None,
    axis: int = 0,
    engine: str = "dense",
    vectors: int = 10,
    precision: float | None = None,
) -> DisorderAverage:
    r""":math:`\alpha(\omega) = i\sigma(\omega)/\omega` per site (units of e^2 a^2/t).

    Same parameters as :func:`complex_conductivity`; omega = 0 is rejected
    (use :func:`lattice.exact.polarizability.static_polarizability`).
    """
    omega = check_grid("omega", omega)
    if np.any(omega == 0.0):
        raise ValueError(f"omega must not contain 0 for alpha = i sigma/omega, got {omega!r}")
    result = complex_conductivity(
        model, omega, fermi_energy, eta, kernel, temperature, realizations, seed, w_max, axis,
        engine, vectors, precision,
    )  # fmt: skip
    if engine == "kpm":
        return transformed(result, lambda sigma: 1j * sigma / omega)
    return DisorderAverage(1j * result.values / omega, result.realizations, result.axes)
