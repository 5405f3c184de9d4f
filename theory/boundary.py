r"""Classical charging at open ends: the conductivity of a sample closed along the field.

A sample open (closed to current) at x = 0 and x = L, driven by a uniform field E
along x at frequency w, accumulates charge within the diffusion length
:math:`L_\omega = \sqrt{D/\omega}` of each end. With the local current
:math:`j = \sigma E - D\,\partial_x n` (per unit charge; Einstein relation
:math:`\sigma = e^2 N D`), continuity :math:`-i\omega n + \partial_x j = 0` and
:math:`j(0) = j(L) = 0`, the current profile is

.. math:: j(x) = \sigma E\left[1 - \frac{\cosh\kappa(x - L/2)}{\cosh(\kappa L/2)}\right],
   \qquad \kappa^2 = -i\omega/D,

and the current averaged over the sample (what the Kubo current :math:`J_x`, a sum
over every x bond, measures) is :math:`\sigma_{open} = \sigma F` with the open-axis
factor

.. math:: F(\omega) = 1 - \frac{\tanh z}{z}, \qquad z = \kappa L/2.

Limits: :math:`F \to 1` for :math:`L \gg L_\omega`;
:math:`F \to z^2/3 = -i\omega L^2/(12 D)` for :math:`L \ll L_\omega`, i.e.
:math:`\sigma_{open} \to -i\omega N L^2/12`, the static polarizability
:math:`\alpha = N L^2/12` of a closed, noninteracting metal of length L.
In the Vollhardt-Woelfle theory the current obeys
:math:`j = \sigma(\omega)(E - \partial_x n/N)` with Eq. (32)'s :math:`\sigma(\omega)`,
so :math:`D = \sigma(\omega)/N` (Eq. 29's pole; Eq. 31's :math:`D(\omega)` for
:math:`\omega \ll 1/\tau`). Units hbar = e = 1; derivation and the lattice mapping in
``docs/theory.md`` section 5b.
"""

from __future__ import annotations

import numpy as np

from vwloc_common.checks import check_array, check_positive

__all__ = ["SERIES_RADIUS", "open_axis_conductivity", "open_axis_factor"]

#: Below |z| = SERIES_RADIUS the factor is the series z^2/3 - 2z^4/15 + 17z^6/315
#: - 62z^8/2835 + 1382z^10/155925 (next term -21844 z^12/6081075: relative error 1.1e-12
#: at the radius); the closed form would lose ~eps/|z|^2 = 2e-14 to cancellation there.
SERIES_RADIUS = 0.1

_SERIES = (1 / 3, -2 / 15, 17 / 315, -62 / 2835, 1382 / 155925)


def _one_minus_tanhc(z: np.ndarray) -> np.ndarray:
    """1 - tanh(z)/z for complex z with Re z >= 0 (the factor is even in z)."""
    z = np.asarray(z, dtype=complex)
    out = np.empty_like(z)
    small = np.abs(z) < SERIES_RADIUS
    z2 = z[small] ** 2
    series = np.zeros_like(z2)
    for coefficient in reversed(_SERIES):  # Horner in z^2
        series = coefficient + z2 * series
    out[small] = z2 * series
    large = z[~small]
    # tanh z = (1 - e^{-2z})/(1 + e^{-2z}): no overflow for Re z >= 0
    decay = np.exp(-2 * large)
    out[~small] = 1 - (1 - decay) / ((1 + decay) * large)
    return out


def open_axis_factor(
    omega: np.ndarray | float, diffusion: np.ndarray | complex, length: float
) -> np.ndarray:
    r"""Open-axis factor :math:`F = \sigma_{open}/\sigma = 1 - \tanh(z)/z`, :math:`z = \kappa L/2`.

    Parameters
    ----------
    omega : float or array_like
        Frequencies :math:`\omega \ge 0` (energy/hbar; t/hbar on the lattice).
    diffusion : complex or array_like
        Diffusion coefficient :math:`D(\omega)` (length^2/time; a^2 t/hbar on the
        lattice), broadcastable against ``omega``, with :math:`\mathrm{Re}\,D > 0`;
        complex for a frequency-dependent :math:`D = \sigma(\omega)/N`.
    length : float
        Sample length L along the field between the two closed ends (length; the
        number of sites on the lattice, ``docs/theory.md`` section 5b).

    Returns
    -------
    ndarray of complex
        :math:`F(\omega)`, with :math:`\kappa^2 = -i\omega/D`: 0 at :math:`\omega = 0`,
        :math:`-i\omega L^2/(12D)` for :math:`|\kappa| L \ll 1`, 1 for
        :math:`|\kappa| L \gg 1`.
    """
    w = check_array("omega", omega)
    if np.any(w < 0):
        raise ValueError(f"omega must be >= 0, got {omega!r}")
    d = np.asarray(diffusion, dtype=complex)
    if d.size == 0 or not np.all(np.isfinite(d)) or np.any(d.real <= 0):
        raise ValueError(f"diffusion must be finite with a positive real part, got {diffusion!r}")
    size = check_positive("length", length)
    z = 0.5 * size * np.sqrt(-1j * w / d)  # principal root: Re z >= 0
    return _one_minus_tanhc(z)


def open_axis_conductivity(
    omega: np.ndarray | float,
    conductivity: np.ndarray | complex,
    density_of_states: float,
    length: float,
) -> np.ndarray:
    r"""Complex conductivity of a sample closed at both ends along the field, :math:`\sigma F`.

    :math:`\sigma_{open}(\omega) = \sigma(\omega)\,[1 - \tanh(z)/z]`, :math:`z = \kappa L/2`,
    :math:`\kappa^2 = -i\omega N/\sigma(\omega)`: the current averaged over the sample
    when the diffusion coefficient is :math:`D(\omega) = \sigma(\omega)/N` (Einstein
    relation at each frequency, Eq. 29 of the seed).

    Parameters
    ----------
    omega : float or array_like
        Frequencies :math:`\omega \ge 0` (t/hbar).
    conductivity : complex or array_like
        Bulk complex :math:`\sigma(\omega)` on ``omega`` (e^2/hbar per site, i.e. per
        unit area in d = 2; per spin), :math:`\mathrm{Re}\,\sigma > 0`, e.g.
        :func:`theory.observables.conductivity`.
    density_of_states : float
        N, density of states per spin and unit volume at E_F (1/(t a^d); per site).
    length : float
        Sample length along the field (a; the number of sites of the open axis).

    Returns
    -------
    ndarray of complex
        :math:`\sigma_{open}(\omega)` (units of ``conductivity``); its
        :math:`\omega \to 0` limit is :math:`-i\omega N L^2/12`.
    """
    sigma = np.asarray(conductivity, dtype=complex)
    rho = check_positive("density_of_states", density_of_states)
    return sigma * open_axis_factor(omega, sigma / rho, length)
