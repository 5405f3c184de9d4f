"""Shared helpers of the lattice tests."""

import numpy as np
import pytest

from lattice.models.model import AndersonModel


def mid_gap_fermi_energy(model: AndersonModel, realization: int, seed: int, near: float) -> float:
    """E_F in the middle of the widest level gap among the 5 gaps closest to ``near``.

    Only gaps wider than 1e-6 t count, so E_F keeps away from every level and
    the T = 0 sums and the twist curvature stay well conditioned. Without any
    such gap (one level, or a single degenerate level), E_F lies 1 t above it.
    """
    energies = np.linalg.eigvalsh(model.hamiltonian(realization, seed).toarray())
    gaps = np.diff(energies)
    candidates = np.flatnonzero(gaps > 1e-6)
    if candidates.size == 0:
        return float(energies[-1]) + 1.0
    middles = 0.5 * (energies[candidates + 1] + energies[candidates])
    closest = np.argsort(np.abs(middles - near))[:5]
    return float(middles[closest[np.argmax(gaps[candidates][closest])]])


@pytest.fixture
def mid_gap():
    """The :func:`mid_gap_fermi_energy` helper."""
    return mid_gap_fermi_energy
