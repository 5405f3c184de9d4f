r"""Nearest-neighbour bonds of a hypercubic lattice: the one rule for every engine.

Exact diagonalization (:class:`lattice.AndersonModel`) and the transfer
matrices (:func:`lattice.transfer_matrix.transfer.transverse_geometry`) build their hopping
from :func:`axis_bonds`, so the two cannot disagree on small widths.

The rule, per axis ``a`` of length ``L_a`` (docs/conventions.md section 2):

* ``open``: the bonds ``r -> r + e_a`` for ``r_a = 0 .. L_a - 2``;
* ``periodic``: the bonds ``r -> r + e_a (mod L_a)`` for every ``r``, i.e.
  the hopping is the sum of the two translations :math:`T_{+a} + T_{-a}` of
  the ring. For ``L_a = 2`` both bonds ``0 -> 1`` and ``1 -> 0`` join the same
  pair, so the hopping between them doubles (``-2t``; with a Peierls phase
  ``-2t cos(theta)``); for ``L_a = 1`` the bond is a self-loop, the level
  ``-2t cos(theta)`` of a one-site ring threaded by the phase theta. This is
  what makes the clean spectrum :math:`-2t\cos((2\pi m + \phi)/L_a)` exact for
  every ``L_a``.

A transfer-matrix cross-section of width 1 is the chain by definition
(:func:`lattice.transfer_matrix.transfer.transverse_geometry` gives it no transverse axis).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["axis_bonds"]


def axis_bonds(
    shape: Sequence[int], boundary: Sequence[str], axis: int
) -> tuple[np.ndarray, np.ndarray]:
    """Bonds ``r -> r + e_axis`` of the lattice ``shape`` (sites in C order).

    Parameters
    ----------
    shape : sequence of int
        Sites per axis.
    boundary : sequence of {"periodic", "open"}
        Boundary condition per axis.
    axis : int
        The axis of the bonds.

    Returns
    -------
    source, target : (n_bonds,) int64
        Flat indices of the two ends; the bond's hopping matrix element is
        ``H[target, source] = -t exp(i theta)`` (and its conjugate back).
    """
    shape = tuple(int(n) for n in shape)
    length = shape[axis]
    coords = np.indices(shape).reshape(len(shape), -1).T
    if boundary[axis] == "open":
        keep = coords[:, axis] < length - 1
    else:
        keep = np.ones(coords.shape[0], dtype=bool)
    source = np.flatnonzero(keep)
    shifted = coords[source].copy()
    shifted[:, axis] = (shifted[:, axis] + 1) % length
    target = np.ravel_multi_index(shifted.T, shape).astype(np.int64)
    return source.astype(np.int64), target
