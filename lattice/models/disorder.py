r"""On-site disorder distributions (docs/conventions.md, "Disorder").

``box``
    The Anderson model: :math:`\varepsilon_i` uniform in :math:`[-W/2, W/2]`,
    variance :math:`W^2/12`.
``gaussian``
    The Edwards (white-noise) model: :math:`\varepsilon_i` normal with mean 0
    and variance :math:`W^2/12`, so that the same ``W`` gives the same Born
    scattering rate :math:`1/\tau = 2\pi\rho\langle\varepsilon^2\rangle` as ``box``.
``constant``
    Every site at potential ``W`` (no randomness): a uniform shift used to
    test that observables depend on :math:`E_F - W` only.
"""

from __future__ import annotations

import math

import numpy as np

from vwloc_common.checks import check_choice, check_finite

__all__ = ["DISORDER_KINDS", "check_disorder", "disorder_variance", "sample_disorder"]

#: The disorder distributions understood by :func:`sample_disorder`.
DISORDER_KINDS = ("box", "gaussian", "constant")


def check_disorder(kind: str, disorder: float) -> tuple[str, float]:
    """Validate a disorder kind and strength; return them normalised."""
    check_choice("kind", kind, DISORDER_KINDS)
    value = check_finite("disorder", disorder)
    if kind != "constant" and value < 0:
        raise ValueError(f"disorder W must be >= 0, got {disorder!r}")
    return kind, value


def disorder_variance(kind: str, disorder: float) -> float:
    r"""Return :math:`\langle\varepsilon^2\rangle - \langle\varepsilon\rangle^2` in units of t².

    ``W**2 / 12`` for ``box`` and ``gaussian``, 0 for ``constant``.
    """
    kind, value = check_disorder(kind, disorder)
    return 0.0 if kind == "constant" else value * value / 12.0


def sample_disorder(
    kind: str, disorder: float, size: int | tuple[int, ...], rng: np.random.Generator
) -> np.ndarray:
    """Draw on-site energies (units of t).

    Parameters
    ----------
    kind : {"box", "gaussian", "constant"}
        The distribution (module docstring).
    disorder : float
        W, in units of t: the box width, or the Gaussian's ``sqrt(12)`` x standard
        deviation, or the constant potential.
    size : int or tuple of int
        Shape of the returned array.
    rng : numpy.random.Generator
        The realization's disorder stream (:func:`lattice.models.seeding.realization_rng`).

    Returns
    -------
    numpy.ndarray of float64
    """
    kind, value = check_disorder(kind, disorder)
    if kind == "box":
        return rng.uniform(-0.5 * value, 0.5 * value, size=size)
    if kind == "gaussian":
        return rng.normal(0.0, value / math.sqrt(12.0), size=size)
    return np.full(size, value)
