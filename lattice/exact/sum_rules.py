r"""The lattice n/m, the Drude weight from the twist curvature, and the f-sum rule.

Let :math:`E(A) = \sum_n f_n e_n(A)` be the energy at fixed occupations when a
uniform vector potential A (radians per bond) is added on every x bond, i.e.
the twist :math:`\phi = L_x A` threads the periodic x axis. Second-order
perturbation theory in A, with :math:`\partial H/\partial A = J_x` and
:math:`\partial^2 H/\partial A^2 = -K_x` (:mod:`lattice.models.model`), gives the
exact identity

.. math::

    \frac{1}{N}\frac{d^2 E}{dA^2} = D_f - \frac{2}{\pi}
        \int_0^\infty \mathrm{Re}\,\sigma_{reg}(\omega)\,d\omega ,
    \qquad D_f = -\langle K_x\rangle / N ,

where :math:`\int_0^\infty \mathrm{Re}\,\sigma_{reg} = (\pi/N)\sum_p
(f_n - f_m)|J_{nm}|^2/w_p` is the Kubo regular part (:mod:`lattice.exact.kubo`).
The Drude weight (Kohn; docs/conventions.md section 8) is

.. math::

    D = \frac{1}{N}\frac{d^2 E_0}{dA^2} = \frac{L_x^2}{N}\frac{d^2 E_0}{d\phi^2},
    \qquad \mathrm{Re}\,\sigma(\omega) = \pi D\,\delta(\omega)
        + \mathrm{Re}\,\sigma_{reg}(\omega),

so the Drude peak carries :math:`(\pi/2) D` on :math:`[0, \infty)` and the
f-sum rule (DESIGN.md section 2) reads
:math:`\int_0^\infty \mathrm{Re}\,\sigma_{reg}\,d\omega + (\pi/2) D = (\pi/2) D_f`.
With an open x axis, A is a pure gauge (:math:`H(A) = e^{iAX}H e^{-iAX}`) and
D = 0. The clean ring at filling n has all weight in the Drude peak, D = D_f,
with :math:`D_f = (2/L)\sin(\pi N_e/L)/\sin(\pi/L)` for :math:`N_e` (odd)
particles on L sites, :math:`\to (2/\pi)\sin(\pi n)`.

The curvature is computed from eigenvalues alone (no eigenvectors, no current
operator), so the f-sum rule is a genuine check of the Kubo sums: at T = 0 the
ground-state energy :math:`F(A) = \sum_{e_n < E_F} e_n(A)` is analytic in a
disk :math:`|A| < R` of complex A while no level crosses E_F, and

.. math:: F''(0) = \frac{2}{K r^2}\sum_{k=0}^{K-1} F(r e^{i\theta_k})\,e^{-2i\theta_k},
          \qquad \theta_k = 2\pi k/K ,

the trapezoidal Cauchy formula, converges like :math:`(r/R)^K`. Since
:math:`\|H(A) - H(0)\| \le 2t|A|e^{|A|}`, the Bauer-Fike theorem keeps every
eigenvalue within that distance of its A = 0 value, so F is analytic for
:math:`2tRe^R < \delta`, :math:`\delta` the distance from E_F to the nearest
level. We take :math:`r e^r = \delta/4t` (Lambert W), about R/2.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.linalg as sla
from scipy.special import lambertw

from lattice.exact.spectrum import Spectrum, diagonalize
from lattice.exact.transitions import transitions
from lattice.models.averaging import DisorderAverage, disorder_average
from lattice.models.model import AndersonModel
from lattice.models.occupation import fermi_occupation
from lattice.models.seeding import DEFAULT_SEED
from vwloc_common.checks import check_finite, check_positive

__all__ = [
    "F_SUM_TERMS",
    "drude_weight",
    "f_sum_rule",
    "f_sum_terms",
    "kinetic_coefficient",
    "regular_weight",
    "twist_curvature",
]

#: Columns of :func:`f_sum_rule` values.
F_SUM_TERMS = ("regular", "drude_peak", "half_pi_d_f")

#: Truncation error (r/R)^K of the trapezoidal Cauchy formula aimed at.
_TRUNCATION = 1e-17

#: A level closer to E_F than this (relative to the bandwidth scale) is "at" E_F.
_LEVEL_AT_FERMI = 1e-9


def kinetic_coefficient(
    model: AndersonModel,
    spectrum: Spectrum,
    fermi_energy: float,
    temperature: float = 0.0,
    axis: int = 0,
) -> float:
    r"""The lattice n/m, :math:`D_f = -\langle K_a\rangle/N`.

    :math:`\langle K_a\rangle = \sum_n f_n\langle n|K_a|n\rangle`, the hopping
    energy on the bonds along axis a.

    Parameters
    ----------
    model : AndersonModel
    spectrum : Spectrum
        The full spectrum (no window) of the model's Hamiltonian.
    fermi_energy, temperature : float
        E_F and T (units of t).
    axis : int
        Bond direction a.

    Returns
    -------
    float
        D_f in units of t (per site); :math:`(2/\pi)\sin(\pi n)` for the clean
        infinite chain at filling n.
    """
    if spectrum.window is not None:
        raise ValueError(
            f"kinetic_coefficient needs the full spectrum, got window={spectrum.window}"
        )
    occupation = fermi_occupation(spectrum.energies, fermi_energy, temperature)
    occupied = occupation > 0.0
    vectors = spectrum.vectors[:, occupied]
    kinetic = model.kinetic_operator(axis)
    expectation = np.real(np.sum(vectors.conj() * (kinetic @ vectors), axis=0))
    return -float(occupation[occupied] @ expectation) / model.n_sites


def regular_weight(model: AndersonModel, spectrum: Spectrum, fermi_energy: float) -> float:
    r"""The regular f-sum weight :math:`\int_0^\infty \mathrm{Re}\,\sigma_{xx,reg}\,d\omega`.

    :math:`(\pi/N)\sum_p (f_n - f_m)|J_{nm}|^2/w_p` at T = 0, exactly on the
    transitions (units of e^2 t/hbar per site); needs the full spectrum.
    """
    current = transitions(spectrum, model.current_operator(0), fermi_energy)
    return np.pi * float(np.sum(current.weight / current.frequency)) / model.n_sites


def twist_curvature(
    model: AndersonModel, fermi_energy: float = 0.0, realization: int = 0, seed: int = DEFAULT_SEED
) -> float:
    r""":math:`d^2E_0/dA^2` at A = 0 for the ground state at T = 0 (units of t).

    By the trapezoidal Cauchy formula on a circle of complex A (module
    docstring), from eigenvalues only. The radius is :math:`r e^r = \delta/4t`,
    half the guaranteed radius of analyticity R (:math:`Re^R = \delta/2t`), and
    the number of points K makes :math:`(r/R)^K` below 1e-17; rounding adds
    about :math:`\epsilon\|H\|\sqrt{N}/r^2`.

    Parameters
    ----------
    model : AndersonModel
        Needs a periodic x axis.
    fermi_energy : float
        E_F (units of t); must not coincide with a level.
    realization, seed : int
        Disorder realization.
    """
    fermi_energy = check_finite("fermi_energy", fermi_energy)
    if model.boundary[0] != "periodic":
        raise ValueError("twist_curvature needs a periodic x axis, got boundary open on x")
    hamiltonian = model.hamiltonian(realization=realization, seed=seed)
    energies = sla.eigvalsh(hamiltonian.toarray(), check_finite=False)
    occupied = int(np.count_nonzero(energies < fermi_energy))
    distance = float(np.min(np.abs(energies - fermi_energy)))
    scale = model.hopping + float(np.max(np.abs(energies)))
    if distance <= _LEVEL_AT_FERMI * scale:
        raise ValueError(
            f"fermi_energy={fermi_energy!r} coincides with a level (distance {distance:.3g}); "
            "the T = 0 curvature needs E_F in a gap"
        )
    if occupied == 0:
        return 0.0
    radius = float(lambertw(distance / (4.0 * model.hopping)).real)
    ratio = radius / float(lambertw(distance / (2.0 * model.hopping)).real)
    points = 2 * int(np.ceil(0.5 * np.log(_TRUNCATION) / np.log(ratio)))
    # sum the smaller group of levels: F = Tr H(A) - (sum of empty levels)
    use_empty = occupied > model.n_sites // 2
    reference = float(np.sum(energies[occupied:] if use_empty else energies[:occupied]))
    angles = 2.0 * np.pi * np.arange(points // 2 + 1) / points
    values = np.empty(angles.size, dtype=complex)
    for k, angle in enumerate(angles):
        shifted = model.hamiltonian(
            realization, seed, vector_potential=radius * np.exp(1j * angle)
        ).toarray()
        trace_change = np.trace(shifted) - hamiltonian.diagonal().sum()
        eigenvalues = sla.eigvals(shifted, overwrite_a=True, check_finite=False)
        below = eigenvalues.real < fermi_energy
        if np.count_nonzero(below) != occupied:
            raise RuntimeError("a level crossed E_F inside the Bauer-Fike radius")
        if use_empty:
            values[k] = trace_change - (np.sum(eigenvalues[~below]) - reference)
        else:
            values[k] = np.sum(eigenvalues[below]) - reference
    # F(conj A) = conj F(A): the lower half of the circle mirrors the upper half
    full = np.concatenate([values, np.conj(values[-2:0:-1])])
    phases = np.exp(-2j * 2.0 * np.pi * np.arange(points) / points)
    return float(2.0 * np.real(full @ phases) / (points * radius**2))


def drude_weight(
    model: AndersonModel,
    fermi_energy: float = 0.0,
    realization: int = 0,
    seed: int = DEFAULT_SEED,
) -> float:
    r"""Drude weight :math:`D = (1/N)\,d^2E_0/dA^2` at T = 0 (units of t, per site).

    Re sigma contains :math:`\pi D\,\delta(\omega)`; D = 0 with an open x axis.
    See the module docstring for the normalisation and :func:`twist_curvature`
    for the method.
    """
    if model.boundary[0] == "open":
        return 0.0
    return twist_curvature(model, fermi_energy, realization, seed) / model.n_sites


def f_sum_terms(
    model: AndersonModel, realization: int = 0, seed: int = DEFAULT_SEED, fermi_energy: float = 0.0
) -> np.ndarray:
    r"""One realization's ``(regular, (pi/2) D, (pi/2) D_f)`` at T = 0 (e^2 t/hbar per site).

    The f-sum rule is ``regular + (pi/2) D == (pi/2) D_f``.
    """
    spectrum = diagonalize(model, realization=realization, seed=seed)
    regular = regular_weight(model, spectrum, fermi_energy)
    drude = drude_weight(model, fermi_energy, realization, seed)
    d_f = kinetic_coefficient(model, spectrum, fermi_energy)
    return np.array([regular, 0.5 * np.pi * drude, 0.5 * np.pi * d_f])


def f_sum_rule(
    model: AndersonModel,
    fermi_energy: float = 0.0,
    realizations: int | Sequence[int] = 16,
    seed: int = DEFAULT_SEED,
    temperature: float = 0.0,
) -> DisorderAverage:
    r"""The three f-sum-rule terms per realization (x axis, T = 0).

    Returns
    -------
    DisorderAverage
        ``values[r]`` = (regular, (pi/2) D, (pi/2) D_f) (:data:`F_SUM_TERMS`,
        also ``.term``); the rule is ``values[:, 0] + values[:, 1] == values[:, 2]``.
    """
    if check_positive("temperature", temperature, allow_zero=True) != 0.0:
        raise ValueError(
            f"temperature must be 0 for the f-sum check (T = 0 Drude weight), got {temperature!r}"
        )
    fermi_energy = check_finite("fermi_energy", fermi_energy)
    return disorder_average(
        lambda i: f_sum_terms(model, i, seed, fermi_energy),
        realizations,
        axes={"term": np.array(F_SUM_TERMS)},
    )
