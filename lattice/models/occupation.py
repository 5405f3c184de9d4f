r"""Fermi-Dirac occupations of single-particle levels (docs/conventions.md).

.. math::

    f(e) = \frac{1}{e^{(e - E_F)/T} + 1}, \qquad
    f_{T=0}(e) = \begin{cases} 1 & e < E_F \\ 1/2 & e = E_F \\ 0 & e > E_F \end{cases}

The T = 0 value 1/2 at a level exactly at :math:`E_F` is the limit of the
Fermi function; it makes every response sum well defined (pairs of degenerate
levels share their occupation). Choose :math:`E_F` between levels to avoid it.
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit

from vwloc_common.checks import check_finite, check_positive

__all__ = ["fermi_occupation"]


def fermi_occupation(
    energies: np.ndarray, fermi_energy: float, temperature: float = 0.0
) -> np.ndarray:
    """Occupations f(e) of the levels ``energies``.

    Parameters
    ----------
    energies : array_like
        Single-particle energies (units of t).
    fermi_energy : float
        Chemical potential E_F (units of t).
    temperature : float
        k_B T >= 0 (units of t); 0 gives the step function.

    Returns
    -------
    numpy.ndarray of float64, same shape as ``energies``
    """
    fermi_energy = check_finite("fermi_energy", fermi_energy)
    temperature = check_positive("temperature", temperature, allow_zero=True)
    energies = np.asarray(energies, dtype=float)
    if temperature == 0.0:
        return np.where(energies < fermi_energy, 1.0, np.where(energies > fermi_energy, 0.0, 0.5))
    return expit((fermi_energy - energies) / temperature)
