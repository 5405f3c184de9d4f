r"""Density response :math:`\chi(q, \omega)` of the disordered lattice (DESIGN.md section 2).

In the seed's sign convention (static :math:`\chi > 0`), per site,

.. math::

    \chi(q, \omega) = \frac{1}{N} \sum_{n,m} (f_m - f_n)
        \frac{|\langle n|\rho_q|m\rangle|^2}{\omega + e_n - e_m + i\eta},
    \qquad \rho_q = \sum_j e^{-i q\cdot r_j} n_j ,

the retarded response of the density to a potential :math:`\propto \rho_{-q}`
(PRB 22, 4666, Eq. (29); in a metal :math:`\chi(q \to 0, 0)` is the
compressibility, the DOS per site at :math:`E_F`). Only pairs of a lower state
a and an upper state b with :math:`f_a > f_b` are formed:

.. math::

    \chi = \frac{1}{N}\sum_{a<b} (f_a - f_b)\Big[
      \frac{|\langle b|\rho_q|a\rangle|^2}{\omega + \Delta_{ab} + i\eta}
    - \frac{|\langle a|\rho_q|b\rangle|^2}{\omega - \Delta_{ab} + i\eta}\Big],
    \quad \Delta_{ab} = e_b - e_a .

With real eigenvectors (no flux or twist) the matrix elements are
:math:`C^2 + S^2` of two real products :math:`V_a^T \cos(q\cdot r) V_b` and
:math:`V_a^T \sin(q\cdot r) V_b`, and both orderings are equal, so q and -q
need not both be computed.

Also returned per realization:

* the static limit :math:`\chi(q, 0)` at :math:`\eta \to 0` (the Kubo limit:
  exactly degenerate pairs carry no weight);
* the f-sum rule, both sides. The spectral side is the first moment of the
  Lorentzian-broadened spectrum, exact at any :math:`\eta` (symmetric limit):
  :math:`\frac{1}{\pi}\int \omega\,\mathrm{Im}\chi\,d\omega
  = \frac{1}{N}\sum (f_a - f_b)\Delta_{ab}(M^+ + M^-)`. The commutator side is
  :math:`-\frac{1}{N}\langle[[H,\rho_q],\rho_{-q}]\rangle
  = \frac{2}{N}\sum_\alpha (1 - \cos q_\alpha)(-\langle K_\alpha\rangle)`,
  because :math:`[[H,\rho_q],\rho_{-q}] = \sum_{ij} H_{ij}\,
  2(1 - \cos q\cdot(r_j - r_i))\,c_i^\dagger c_j` and only nearest-neighbour
  bonds have :math:`r_j \ne r_i`. For small q it is :math:`q^2 D_f`, the
  seed's :math:`q^2 n/m`.

With ``w_max`` only the pairs with :math:`\Delta_{ab} \le w_{max}` are kept,
and the states within ``w_max`` of E_F suffice (so the sparse engine's window
eigenpairs give the same sums as the dense engine): chi(q, w) then lacks the
pairs above w_max, whose Lorentzian tails still reach frequencies below it;
the static value and the spectral f-sum side are the window's contributions,
and the commutator side, which needs every occupied state, is NaN.

Wavevectors: along a periodic axis of length L only :math:`2\pi m/L` (integer
m) make :math:`\rho_q` a translation eigen-operator; other values are
rejected. Along an open axis :math:`\rho_q` is well defined for any real q and
every identity above holds (no bond wraps around), so any finite q is allowed;
it is then not a conserved momentum but the Fourier component of a potential
:math:`\cos(q x)` applied to the finite sample.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from lattice.chebyshev.kpm import KPMAverage, kpm_density_response
from lattice.exact import _response_kernels as kernels
from lattice.exact.spectrum import Spectrum, check_engine, diagonalize
from lattice.exact.sum_rules import kinetic_coefficient
from lattice.exact.transitions import check_w_max, energy_window
from lattice.models.averaging import DisorderAverage, realization_indices
from lattice.models.defaults import DEFAULT_ETA
from lattice.models.model import AndersonModel
from lattice.models.occupation import fermi_occupation
from lattice.models.seeding import DEFAULT_SEED
from vwloc_common.checks import check_grid, check_positive

__all__ = [
    "METHODS",
    "DensityResponse",
    "allowed_wavevectors",
    "density_response",
    "density_response_of_spectrum",
]

#: Occupations below this (or holes 1 - f below it) are treated as exactly 0: the
#: neglected pair weights are below 1e-15 of the largest.
_NEGLIGIBLE_OCCUPATION = 1e-15
#: |q L / 2 pi - m| accepted as "on the grid" along a periodic axis.
_GRID_TOLERANCE = 1e-9
#: Evaluation methods of the dynamic pair sum (see lattice.exact._response_kernels).
METHODS = ("auto", "direct", "binned")


def allowed_wavevectors(model: AndersonModel, q) -> np.ndarray:
    """Validate wavevectors and snap them onto the lattice's grid.

    Parameters
    ----------
    model : AndersonModel
    q : array_like, shape (nq, d), or (nq,) / scalar when d = 1
        Wavevectors in units of 1/a (radians per lattice spacing).

    Returns
    -------
    numpy.ndarray, shape (nq, d)
        ``2 pi m / L`` exactly along periodic axes, ``q`` along open ones.

    Raises
    ------
    ValueError
        Wrong shape, non-finite entries, or a periodic-axis component off the grid.
    """
    array = np.asarray(q, dtype=float)
    if model.dim == 1 and array.ndim <= 1:
        array = array.reshape(-1, 1)
    if array.ndim != 2 or array.shape[1] != model.dim or array.shape[0] == 0:
        raise ValueError(
            f"q must have shape (nq, {model.dim}) with nq >= 1, got shape {np.shape(q)}"
        )
    if not np.all(np.isfinite(array)):
        raise ValueError(f"q must be finite, got {q!r}")
    snapped = array.copy()
    for axis, (length, boundary) in enumerate(zip(model.shape, model.boundary, strict=True)):
        if boundary != "periodic":
            continue
        index = array[:, axis] * length / (2.0 * np.pi)
        off = np.abs(index - np.round(index)) > _GRID_TOLERANCE
        if np.any(off):
            bad = array[np.flatnonzero(off)[0], axis]
            raise ValueError(
                f"q component {bad!r} along periodic axis {axis} is not on the grid "
                f"2 pi m / L with L={length}"
            )
        snapped[:, axis] = 2.0 * np.pi * np.round(index) / length
    return snapped


@dataclass(frozen=True)
class DensityResponse:
    """Disorder-averaged density response.

    Attributes
    ----------
    dynamic : DisorderAverage
        :math:`\\chi(q, \\omega)`, values of shape (R, nq, nw), complex, per site
        (units of 1/t).
    static : DisorderAverage
        :math:`\\chi(q, 0)` at :math:`\\eta \\to 0`, values (R, nq), real.
    f_sum : DisorderAverage
        Spectral side of the f-sum rule (module docstring), values (R, nq).
    f_sum_kinetic : DisorderAverage
        Commutator side :math:`2\\sum_\\alpha (1 - \\cos q_\\alpha)(-\\langle
        K_\\alpha\\rangle/N)`, values (R, nq).
    """

    dynamic: DisorderAverage
    static: DisorderAverage
    f_sum: DisorderAverage
    f_sum_kinetic: DisorderAverage

    @classmethod
    def from_realizations(
        cls, parts: Sequence[tuple], realizations: np.ndarray, q: np.ndarray, omega: np.ndarray
    ) -> DensityResponse:
        """Collect the per-realization outputs of :func:`density_response_of_spectrum`."""
        chi, static, f_sum, kinetic = (np.stack([p[k] for p in parts]) for k in range(4))
        return cls(
            dynamic=DisorderAverage(chi, realizations, {"q": q, "omega": omega}),
            static=DisorderAverage(static, realizations, {"q": q}),
            f_sum=DisorderAverage(f_sum, realizations, {"q": q}),
            f_sum_kinetic=DisorderAverage(kinetic, realizations, {"q": q}),
        )

    @property
    def q(self) -> np.ndarray:
        """Wavevectors, shape (nq, d), as snapped onto the grid."""
        return self.dynamic.q

    @property
    def omega(self) -> np.ndarray:
        """Frequencies (units of t)."""
        return self.dynamic.omega

    @property
    def values(self) -> np.ndarray:
        """Per-realization :math:`\\chi`, shape (R, nq, nw)."""
        return self.dynamic.values

    @property
    def realizations(self) -> np.ndarray:
        """Realization indices."""
        return self.dynamic.realizations

    @property
    def mean(self) -> np.ndarray:
        """Disorder mean of :math:`\\chi(q, \\omega)`, shape (nq, nw)."""
        return self.dynamic.mean

    @property
    def stderr(self) -> np.ndarray:
        """Standard errors of Re chi and Im chi as the real and imaginary parts of one
        complex array (NaN for one realization)."""
        dynamic = self.dynamic
        if isinstance(dynamic, KPMAverage):
            return dynamic.stderr
        real = DisorderAverage(dynamic.values.real, dynamic.realizations).stderr
        imag = DisorderAverage(dynamic.values.imag, dynamic.realizations).stderr
        return real + 1j * imag


def _pair_sum(method, e_lo, e_hi, f_lo, f_hi, hi_start, m_plus, m_minus, omega, eta):
    if method == "auto":
        span = float(e_hi[-1] - e_lo[0])
        direct, binned = kernels.binned_cost(m_plus.size, omega.size, span, eta)
        method = "direct" if direct <= binned else "binned"
    evaluate = kernels.pair_sums_direct if method == "direct" else kernels.pair_sums_binned
    return evaluate(e_lo, e_hi, f_lo, f_hi, hi_start, m_plus, m_minus, omega, eta)


def _squared_elements(vectors_lo, vectors_hi, phase, real):
    """``(M+, M-)``: ``|<b|rho_q|a>|^2`` and ``|<a|rho_q|b>|^2`` for a in lo, b in hi."""
    if real:
        scaled = np.cos(phase)[:, None] * vectors_hi
        cosine = vectors_lo.T @ scaled
        np.multiply(np.sin(phase)[:, None], vectors_hi, out=scaled)
        sine = vectors_lo.T @ scaled
        del scaled
        np.multiply(cosine, cosine, out=cosine)
        np.multiply(sine, sine, out=sine)
        cosine += sine
        return cosine, cosine
    plane = np.exp(-1j * phase)[:, None]
    minus = np.abs(vectors_lo.conj().T @ (plane * vectors_hi)) ** 2
    plus = np.abs(vectors_lo.conj().T @ (plane.conj() * vectors_hi)) ** 2
    return plus, minus


def density_response_of_spectrum(
    model: AndersonModel,
    spectrum: Spectrum,
    q: np.ndarray,
    omega: np.ndarray,
    fermi_energy: float,
    eta: float,
    temperature: float = 0.0,
    method: str = "auto",
    w_max: float | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Density response of one diagonalized realization.

    The building block of :func:`density_response`; call it directly to share
    one diagonalization between several observables.

    Parameters
    ----------
    model : AndersonModel
    spectrum : Spectrum
        The full spectrum (``window=None``) of one realization of ``model``,
        or with ``w_max`` one covering
        :func:`lattice.exact.transitions.energy_window`.
    q : numpy.ndarray, shape (nq, d)
        Wavevectors from :func:`allowed_wavevectors`.
    omega : numpy.ndarray
        Frequencies (units of t).
    fermi_energy, eta, temperature : float
        As in :func:`density_response`.
    method : {"auto", "direct", "binned"}
        Evaluation of the Lorentzian pair sum (:mod:`lattice.exact._response_kernels`);
        all are exact to ~1e-14 relative, "auto" picks the cheaper.
    w_max : float or None
        Keep only pairs with e_b - e_a <= w_max (units of t); None keeps all.

    Returns
    -------
    chi : numpy.ndarray, shape (nq, nw), complex
    static : numpy.ndarray, shape (nq,)
    f_sum : numpy.ndarray, shape (nq,)
    f_sum_kinetic : numpy.ndarray, shape (nq,)
        NaN when the spectrum is windowed.
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    limit = check_w_max(w_max)
    full = spectrum.window is None and spectrum.energies.size == model.n_sites
    if not full and not np.isfinite(limit):
        raise ValueError(
            f"the density response needs the full spectrum or a w_max, "
            f"got window={spectrum.window!r} and w_max=None"
        )
    energies = spectrum.energies
    occupation = fermi_occupation(energies, fermi_energy, temperature)
    n_lo = int(np.count_nonzero(occupation > _NEGLIGIBLE_OCCUPATION))
    hi_start = int(np.count_nonzero(occupation >= 1.0 - _NEGLIGIBLE_OCCUPATION))
    n = model.n_sites
    chi = np.zeros((q.shape[0], omega.size), dtype=complex)
    static = np.zeros(q.shape[0])
    f_sum = np.zeros(q.shape[0])
    if full:
        kinetic = [
            kinetic_coefficient(model, spectrum, fermi_energy, temperature, axis)
            for axis in range(model.dim)
        ]
        f_sum_kinetic = 2.0 * (1.0 - np.cos(q)) @ np.array(kinetic)
    else:
        f_sum_kinetic = np.full(q.shape[0], np.nan)
    if n_lo == 0 or hi_start == n:
        return chi, static, f_sum, f_sum_kinetic
    vectors_lo = spectrum.vectors[:, :n_lo]
    vectors_hi = spectrum.vectors[:, hi_start:]
    e_lo, e_hi = energies[:n_lo], energies[hi_start:]
    f_lo, f_hi = occupation[:n_lo], occupation[hi_start:]
    positions = model.positions.astype(float)
    beyond = (e_hi[None, :] - e_lo[:, None]) > limit if np.isfinite(limit) else None
    for iq, wavevector in enumerate(q):
        phase = positions @ wavevector
        m_plus, m_minus = _squared_elements(vectors_lo, vectors_hi, phase, spectrum.is_real)
        if beyond is not None:
            m_plus[beyond] = 0.0
            m_minus[beyond] = 0.0
        dynamic, static_sum, moment = _pair_sum(
            method, e_lo, e_hi, f_lo, f_hi, hi_start, m_plus, m_minus, omega, eta
        )
        chi[iq] = dynamic / n
        static[iq] = static_sum / n
        f_sum[iq] = moment / n
    return chi, static, f_sum, f_sum_kinetic


def density_response(
    model: AndersonModel,
    q,
    omega,
    fermi_energy: float = 0.0,
    eta: float = DEFAULT_ETA,
    temperature: float = 0.0,
    realizations: int | Sequence[int] = 16,
    seed: int = DEFAULT_SEED,
    method: str = "auto",
    w_max: float | None = None,
    engine: str = "dense",
    vectors: int = 10,
    precision: float | None = None,
) -> DensityResponse:
    r"""Disorder-averaged density response :math:`\chi(q, \omega)` per site.

    Parameters
    ----------
    model : AndersonModel
    q : array_like, shape (nq, d), or (nq,) when d = 1
        Wavevectors (1/a); on the grid :math:`2\pi m/L` along periodic axes
        (:func:`allowed_wavevectors`).
    omega : array_like
        Frequencies (units of t), a non-empty 1D grid.
    fermi_energy : float
        E_F (units of t).
    eta : float
        Lorentzian broadening :math:`\eta > 0` (units of t), the retarded
        :math:`\omega + i\eta`.
    temperature : float
        k_B T >= 0 (units of t).
    realizations : int or sequence of int
        Number n (indices 0..n-1) or explicit realization indices.
    seed : int
        Root seed; realization i is ``model.hamiltonian(realization=i, seed=seed)``.
    method : {"auto", "direct", "binned"}
        Evaluation of the pair sum (all exact; see
        :func:`density_response_of_spectrum`).
    w_max : float or None
        Keep only pairs with e_b - e_a <= w_max (units of t) and diagonalize
        only the states they need; None keeps all (module docstring).
    engine : {"dense", "sparse", "kpm"}
        Eigensolver; ``"sparse"`` (needs ``w_max``) uses the exact window
        eigenpairs of the sparse H (:mod:`lattice.exact.sparse_window`). ``"kpm"``:
        Chebyshev time evolution with ``vectors`` random vectors
        (:func:`lattice.chebyshev.kpm.kpm_density_response`; ``w_max`` must be None);
        ``static`` is then :math:`\mathrm{Re}\,\chi(q, 0)` at the broadening eta.
    vectors, precision
        KPM only: random vectors per realization; target relative stochastic error.

    Returns
    -------
    DensityResponse
        ``.mean[iq, iw]`` (complex), ``.stderr``, ``.values``, ``.q``,
        ``.omega``, and ``.static``, ``.f_sum``, ``.f_sum_kinetic``
        (each a :class:`DisorderAverage` over q).

    Examples
    --------
    >>> import lattice
    >>> model = lattice.AndersonModel(dim=1, L=16, disorder=1.0)
    >>> r = lattice.density_response(model, [2 * 3.141592653589793 / 16], [0.0, 0.5],
    ...                              eta=0.05, realizations=2, seed=7)
    >>> r.mean.shape
    (1, 2)
    """
    q = allowed_wavevectors(model, q)
    if engine == "kpm":
        if w_max is not None:
            raise ValueError(f"engine='kpm' needs w_max=None, got w_max={w_max!r}")
        parts = kpm_density_response(
            model, q, omega, fermi_energy, eta, temperature, realizations, seed, vectors,
            precision,
        )  # fmt: skip
        return DensityResponse(*parts)
    omega = check_grid("omega", omega)
    eta = check_positive("eta", eta)
    temperature = check_positive("temperature", temperature, allow_zero=True)
    fermi_occupation(np.zeros(0), fermi_energy, temperature)  # validates fermi_energy
    indices = realization_indices(realizations)
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    check_engine(engine, w_max)
    window = energy_window(fermi_energy, temperature, w_max)
    parts = [
        density_response_of_spectrum(
            model,
            diagonalize(model, int(i), seed, window, engine),
            q,
            omega,
            fermi_energy,
            eta,
            temperature,
            method,
            w_max,
        )  # fmt: skip
        for i in indices
    ]
    return DensityResponse.from_realizations(parts, indices, q, omega)
