"""Shared helpers of the lattice tests."""

import numpy as np
import pytest

from lattice.model import AndersonModel


def mid_gap_fermi_energy(model: AndersonModel, realization: int, seed: int, near: float) -> float:
    """E_F in the middle of the widest level gap among the 5 gaps closest to ``near``.

    Keeps E_F away from every level, so T = 0 sums and the twist curvature are
    well conditioned.
    """
    energies = np.linalg.eigvalsh(model.hamiltonian(realization, seed).toarray())
    if energies.size == 1:
        return float(energies[0]) + 1.0
    middles = 0.5 * (energies[1:] + energies[:-1])
    gaps = np.diff(energies)
    closest = np.argsort(np.abs(middles - near))[:5]
    best = closest[np.argmax(gaps[closest])]
    return float(middles[best])


@pytest.fixture
def mid_gap():
    """The :func:`mid_gap_fermi_energy` helper."""
    return mid_gap_fermi_energy
