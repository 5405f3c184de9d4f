r"""Static polarizability :math:`\alpha(0)` per site by two independent routes.

``position`` (open boundary along the axis): second-order perturbation theory in
a static field, with the position operator X,

.. math:: \alpha(0) = \frac{2}{N}\sum_p \frac{(f_n - f_m)|X_{nm}|^2}{w_p}.

``kubo``: the Kramers-Kronig integral of the Kubo conductivity
(:mod:`lattice.exact.kubo`), :math:`\alpha(0) = (2/\pi)\int_0^\infty
\mathrm{Re}\,\sigma(\omega)/\omega^2\,d\omega`, evaluated exactly on the
transitions of J (no broadening):

.. math:: \alpha(0) = \frac{2}{N}\sum_p \frac{(f_n - f_m)|J_{nm}|^2}{w_p^3}.

With open boundaries :math:`J = i[X, H]`, i.e. :math:`|J_{nm}| = w_p |X_{nm}|`,
and the two agree to rounding. With a periodic axis only the ``kubo`` route
exists; it then gives the regular (finite-frequency) part, without the
divergent Drude contribution. Units: e^2 a^2 / t per site. The seed's
insulator has :math:`\alpha(0) = e^2 (n/m)/\omega_0^2` (below its Eq. (36)).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from lattice.chebyshev.kpm import kpm_static_polarizability
from lattice.exact.spectrum import check_engine, diagonalize
from lattice.exact.transitions import Transitions, energy_window, transitions
from lattice.models.averaging import DisorderAverage, disorder_average
from lattice.models.defaults import DEFAULT_ETA
from lattice.models.model import AndersonModel
from lattice.models.seeding import DEFAULT_SEED
from vwloc_common.checks import check_choice, check_finite, check_positive

__all__ = [
    "ROUTES",
    "polarizability_from_current",
    "polarizability_from_position",
    "static_polarizability",
]

#: The two routes to alpha(0) (module docstring).
ROUTES = ("kubo", "position")


def polarizability_from_current(current: Transitions) -> float:
    r""":math:`(2/N)\sum_p (f_n - f_m)|J_{nm}|^2/w_p^3` (the Kramers-Kronig route)."""
    return 2.0 * float(np.sum(current.weight / current.frequency**3)) / current.n_sites


def polarizability_from_position(position: Transitions) -> float:
    r""":math:`(2/N)\sum_p (f_n - f_m)|X_{nm}|^2/w_p` (the position-operator route)."""
    return 2.0 * float(np.sum(position.weight / position.frequency)) / position.n_sites


def static_polarizability(
    model: AndersonModel,
    fermi_energy: float = 0.0,
    realizations: int | Sequence[int] = 16,
    seed: int = DEFAULT_SEED,
    route: str = "kubo",
    temperature: float = 0.0,
    w_max: float | None = None,
    axis: int = 0,
    engine: str = "dense",
    eta: float = DEFAULT_ETA,
    vectors: int = 10,
    precision: float | None = None,
) -> DisorderAverage:
    r"""Disorder-averaged static polarizability :math:`\alpha_{aa}(0)` per site.

    Parameters
    ----------
    model : AndersonModel
    fermi_energy : float
        E_F (units of t).
    realizations : int or sequence of int
        n (indices 0..n-1) or explicit realization indices.
    seed : int
        Root seed.
    route : {"kubo", "position"}
        Kramers-Kronig sum over current transitions, or position operator
        (needs an open boundary along ``axis``).
    temperature : float
        T (units of t), >= 0.
    w_max : float or None
        Keep only transitions with w <= w_max (None: all, the exact value).
    axis : int
        Field direction a.
    engine : {"dense", "sparse", "kpm"}
        Eigensolver; ``"sparse"`` (needs ``w_max``) gives the window's
        contribution from the exact eigenpairs of the sparse H
        (:mod:`lattice.exact.sparse_window`). ``"kpm"`` (open ``axis``, ``w_max``
        None; ``route`` is ignored): the Lorentzian-regularised
        :math:`\alpha_\eta(0) = (2/N)\sum_p (f_n - f_m)|X_{nm}|^2 w_p/(w_p^2 + \eta^2)`
        (:func:`lattice.chebyshev.kpm.kpm_static_polarizability`), which tends to the exact
        value as eta falls below the pair frequencies that matter.
    eta, vectors, precision
        KPM only: the regularising width (units of t), random vectors per
        realization, target relative stochastic error.

    Returns
    -------
    DisorderAverage
        ``values[r]`` = alpha(0) of realization r (units of e^2 a^2/t); alpha(0)
        is heavy-tailed in 1D, see ``.typical``.
    """
    if engine == "kpm":
        if w_max is not None:
            raise ValueError(f"engine='kpm' needs w_max=None, got w_max={w_max!r}")
        return kpm_static_polarizability(
            model, fermi_energy, eta, temperature, realizations, seed, axis, vectors, precision
        )
    check_choice("route", route, ROUTES)
    check_engine(engine, w_max)
    fermi_energy = check_finite("fermi_energy", fermi_energy)
    temperature = check_positive("temperature", temperature, allow_zero=True)
    operator = model.position_operator(axis) if route == "position" else None
    current = model.current_operator(axis) if route == "kubo" else None
    window = energy_window(fermi_energy, temperature, w_max)

    def one(realization: int) -> float:
        spectrum = diagonalize(model, realization, seed, window, engine)
        if route == "position":
            pairs = transitions(spectrum, operator, fermi_energy, temperature, w_max)
            return polarizability_from_position(pairs)
        pairs = transitions(spectrum, current, fermi_energy, temperature, w_max)
        return polarizability_from_current(pairs)

    return disorder_average(one, realizations)
