r"""Density of states per site, disorder-averaged (docs/conventions.md sections 4 and 9).

.. math::

    \rho(E) = \frac{1}{N} \sum_n K(E - e_n), \qquad \int \rho(E)\, dE = 1 ,

with the kernel K of docs/conventions.md section 9:

``lorentzian``
    :math:`K(x) = (\eta/\pi)/(x^2 + \eta^2)`, i.e.
    :math:`\rho = -\frac{1}{\pi N}\mathrm{Im}\,\mathrm{Tr}\,(E + i\eta - H)^{-1}`.
``gaussian``
    :math:`K(x) = e^{-x^2/2\eta^2}/(\sqrt{2\pi}\eta)` (``eta`` is the standard
    deviation).
``histogram``
    ``energies`` are bin edges; each bin holds (levels in the bin) / (N x width),
    with the bins half-open ``[E_i, E_{i+1})`` except the last, closed
    (:func:`numpy.histogram`).

Per site and per spin (the model is spinless). The clean infinite chain has
:math:`\rho(E) = 1/(\pi\sqrt{4t^2 - E^2})`, the square lattice
:math:`\rho(E) = K(1 - E^2/16t^2)/(2\pi^2 t)` (``scipy.special.ellipk``
parameter convention); tests/lattice/test_dos.py checks both.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from lattice.chebyshev.kpm import kpm_density_of_states
from lattice.exact.spectrum import ENGINES, eigenvalues
from lattice.models.averaging import DisorderAverage, disorder_average
from lattice.models.model import AndersonModel
from lattice.models.seeding import DEFAULT_SEED
from vwloc_common.checks import check_choice, check_grid, check_positive

__all__ = ["DOS_KERNELS", "density_of_states", "dos_axes", "dos_of_levels"]

#: Broadening kernels of :func:`density_of_states`.
DOS_KERNELS = ("lorentzian", "gaussian", "histogram")

#: Levels x energies handled per block of the broadened sum (bounds memory to ~32 MB).
_BLOCK = 4_000_000


def _check_kernel(energies, eta, kernel: str) -> tuple[np.ndarray, float | None]:
    check_choice("kernel", kernel, DOS_KERNELS)
    energies = check_grid("energies", energies)
    if kernel == "histogram":
        if eta is not None:
            raise ValueError(f"eta must be None with kernel='histogram', got eta={eta!r}")
        if energies.size < 2 or np.any(np.diff(energies) <= 0):
            raise ValueError(
                f"energies must be >= 2 strictly increasing bin edges for kernel='histogram', "
                f"got {energies!r}"
            )
        return energies, None
    if eta is None:
        raise ValueError(f"eta must be a width > 0 for kernel={kernel!r}, got eta=None")
    return energies, check_positive("eta", eta)


def dos_axes(energies: np.ndarray, kernel: str) -> dict[str, np.ndarray]:
    """Result axes: ``energies`` (points, or bin centres) and, for the histogram, ``edges``."""
    if kernel == "histogram":
        return {"energies": 0.5 * (energies[1:] + energies[:-1]), "edges": energies}
    return {"energies": energies}


def dos_of_levels(
    levels: np.ndarray, energies, eta: float | None = None, kernel: str = "lorentzian"
) -> np.ndarray:
    """Density of states per level of one spectrum.

    Parameters
    ----------
    levels : numpy.ndarray
        Eigenvalues (units of t); the DOS is normalised by ``levels.size`` (= N).
    energies : array_like
        Evaluation energies, or bin edges for ``kernel="histogram"`` (units of t).
    eta : float or None
        Kernel width (units of t), > 0; must be None for the histogram.
    kernel : {"lorentzian", "gaussian", "histogram"}

    Returns
    -------
    numpy.ndarray
        rho per site and per unit energy (1/t): one value per energy, or per bin.
    """
    energies, eta = _check_kernel(energies, eta, kernel)
    levels = np.asarray(levels, dtype=float)
    if kernel == "histogram":
        counts, _ = np.histogram(levels, bins=energies)
        return counts / (levels.size * np.diff(energies))
    out = np.zeros(energies.size)
    step = max(1, _BLOCK // max(1, energies.size))
    for start in range(0, levels.size, step):
        x = (energies[:, None] - levels[None, start : start + step]) / eta
        if kernel == "lorentzian":
            out += (1.0 / (x * x + 1.0)).sum(axis=1) / (np.pi * eta)
        else:
            out += np.exp(-0.5 * x * x).sum(axis=1) / (np.sqrt(2.0 * np.pi) * eta)
    return out / levels.size


def density_of_states(
    model: AndersonModel,
    energies,
    eta: float | None = None,
    kernel: str = "lorentzian",
    realizations: int | Sequence[int] = 16,
    seed: int = DEFAULT_SEED,
    engine: str = "dense",
    vectors: int = 10,
    moments: int | None = None,
    precision: float | None = None,
) -> DisorderAverage:
    r"""Disorder-averaged density of states per site, :math:`\int\rho\,dE = 1`.

    Parameters
    ----------
    model : AndersonModel
    energies : array_like
        Energies (units of t) at which rho is evaluated; for
        ``kernel="histogram"`` the bin edges (strictly increasing).
    eta : float or None
        Width of the Lorentzian (half width) or Gaussian (standard deviation)
        in units of t, > 0, required for them; None (the default) for the
        histogram, whose resolution is set by the bin edges.
    kernel : {"lorentzian", "gaussian", "histogram"}
        See the module docstring.
    realizations : int or sequence of int
        n (indices 0..n-1) or explicit realization indices.
    seed : int
        Root seed; realization i is ``model.hamiltonian(realization=i, seed=seed)``.
    engine : {"dense", "kpm"}
        ``"kpm"``: Chebyshev moments with ``vectors`` random vectors
        (:func:`lattice.chebyshev.kpm.kpm_density_of_states`; kernels ``lorentzian``,
        ``gaussian``, ``jackson``), returning a :class:`lattice.chebyshev.kpm.KPMAverage`.
        ``"sparse"`` (window eigenpairs only) is refused: the normalised DOS
        needs the whole spectrum.
    vectors, moments, precision
        KPM only: random vectors per realization, Chebyshev moments (default from
        ``eta``), target relative stochastic error (warns when not met).

    Returns
    -------
    DisorderAverage
        ``values[r, i]`` (1/t) for realization r; ``.mean``, ``.stderr``; axes
        ``energies`` (evaluation points or bin centres) and, for the
        histogram, ``edges``.

    Examples
    --------
    >>> import lattice
    >>> model = lattice.AndersonModel(dim=2, L=8, disorder=2.0)
    >>> r = lattice.density_of_states(model, [-1.0, 0.0, 1.0], eta=0.1, realizations=2)
    >>> r.mean.shape
    (3,)
    """
    if engine == "kpm":
        return kpm_density_of_states(
            model, energies, eta, kernel, realizations, seed, vectors, moments, precision
        )
    check_choice("engine", engine, ENGINES)
    if engine != "dense":
        raise ValueError(
            f"density_of_states needs the whole spectrum: engine={engine!r} is not "
            f"supported, use engine='dense' or 'kpm'"
        )
    energies, eta = _check_kernel(energies, eta, kernel)

    def one(realization: int) -> np.ndarray:
        return dos_of_levels(eigenvalues(model, realization, seed), energies, eta, kernel)

    return disorder_average(one, realizations, axes=dos_axes(energies, kernel))
