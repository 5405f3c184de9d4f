r"""Exact weak-disorder results in d = 1 that the comparison needs.

Units hbar = e = 1, spinless (per spin). Literature values and citations are
also stored in ``data/references/theory_1d_exact.toml`` (a test checks that
the constants here match it).

- Thouless (1979) weak-disorder Lyapunov exponent of the Anderson chain,
  :math:`\gamma = \langle\epsilon^2\rangle/(2(4t^2 - E^2))`: localization length
  (amplitude decay, :math:`|\psi| \sim e^{-r/\xi}`)
  :math:`\xi = 24(4t^2 - E^2)/W^2` for variance :math:`W^2/12`, i.e.
  :math:`\xi = 4l` with the Born mean free path :math:`l = v_F\tau`.
- Band-centre (Kappus-Wegner) anomaly: at E = 0 the perturbative 96 t^2/W^2
  is replaced by :math:`24\pi^2 t^2/(\Gamma(3/4)^4 W^2) = 105.045\,t^2/W^2`
  (Kappus and Wegner 1981; Derrida and Gardner 1984).
- Berezinskii (1973) / Abrikosov and Ryzhkin (1978) low-frequency conductivity
  (Mott-Berezinskii law) with :math:`\sigma_0 = v_F\tau/\pi` and
  :math:`\epsilon = -2i\omega\tau`:
  :math:`\sigma(\omega)/\sigma_0 = 2\zeta(3)\epsilon - \epsilon^2[\ln^2\epsilon +
  (2C - 3)\ln\epsilon - c] + \ldots`, so
  :math:`\mathrm{Re}\,\sigma = \sigma_0\nu^2[\ln^2\nu - \pi^2/4 + (2C-3)\ln\nu - c]`
  with :math:`\nu = 2\omega\tau` (C Euler's constant, c = O(1) unknown), and
  the static polarizability :math:`\alpha(0) = 4\zeta(3)\sigma_0\tau
  = 4\zeta(3) v_F\tau^2/\pi` (dielectric constant :math:`4\pi\alpha(0) =
  16\zeta(3) v_F\tau^2`).
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import gamma, zeta

from vwloc_common.checks import check_array, check_finite, check_positive

__all__ = [
    "THOULESS_COEFFICIENT",
    "KAPPUS_WEGNER_COEFFICIENT",
    "BEREZINSKII_POLARIZABILITY_COEFFICIENT",
    "thouless_localization_length",
    "kappus_wegner_localization_length",
    "drude_conductivity_1d",
    "berezinskii_conductivity",
    "berezinskii_static_polarizability",
]

#: xi = THOULESS_COEFFICIENT (4 t^2 - E^2) / W^2 (box or Gaussian of variance W^2/12).
THOULESS_COEFFICIENT = 24.0
#: xi(E = 0) = KAPPUS_WEGNER_COEFFICIENT t^2 / W^2 = 24 pi^2/Gamma(3/4)^4 = 105.045...
KAPPUS_WEGNER_COEFFICIENT = 24.0 * math.pi**2 / gamma(0.75) ** 4
#: alpha(0) = BEREZINSKII_POLARIZABILITY_COEFFICIENT * sigma0 * tau, i.e. 4 zeta(3).
BEREZINSKII_POLARIZABILITY_COEFFICIENT = 4.0 * float(zeta(3.0))


def thouless_localization_length(energy: float, disorder: float, hopping: float = 1.0) -> float:
    r"""Weak-disorder localization length of the Anderson chain (lattice constants).

    :math:`\xi = 24(4t^2 - E^2)/W^2`, the inverse Lyapunov exponent (amplitude
    decay). Valid for :math:`W \to 0` away from the band edges and from the
    anomalies at E = 0 (see :func:`kappus_wegner_localization_length`) and
    :math:`E = \pm t`.

    Parameters
    ----------
    energy : float
        |E| < 2t (units of t).
    disorder : float
        W > 0 (units of t); variance W^2/12.
    hopping : float
        t > 0.
    """
    t = check_positive("hopping", hopping)
    w = check_positive("disorder", disorder)
    e = check_finite("energy", energy)
    if abs(e) >= 2.0 * t:
        raise ValueError(f"energy must lie inside the band |E| < {2 * t:g}, got {energy!r}")
    return THOULESS_COEFFICIENT * (4.0 * t * t - e * e) / (w * w)


def kappus_wegner_localization_length(disorder: float, hopping: float = 1.0) -> float:
    r"""Band-centre (E = 0) localization length :math:`105.045\,t^2/W^2` (lattice constants)."""
    t = check_positive("hopping", hopping)
    w = check_positive("disorder", disorder)
    return KAPPUS_WEGNER_COEFFICIENT * t * t / (w * w)


def drude_conductivity_1d(tau: float, fermi_velocity: float) -> float:
    r"""Drude conductivity per spin :math:`\sigma_0 = (n/m)\tau = v_F\tau/\pi` (e = hbar = 1)."""
    return check_positive("fermi_velocity", fermi_velocity) * check_positive("tau", tau) / math.pi


def berezinskii_conductivity(
    omega: np.ndarray | float, tau: float, fermi_velocity: float, subleading: bool = True
) -> np.ndarray:
    r"""Asymptotic Re sigma(omega) of the 1D disordered wire (Mott-Berezinskii law).

    :math:`\sigma_0\nu^2[\ln^2\nu - \pi^2/4 + (2C - 3)\ln\nu]`, :math:`\nu = 2\omega\tau`,
    or only the leading :math:`\sigma_0\nu^2\ln^2\nu` with ``subleading=False``;
    the unknown O(1) constant c of the next term is omitted. Valid for
    :math:`\omega\tau \ll 1`.

    Parameters
    ----------
    omega : float or array
        Frequencies > 0 (1/time).
    tau : float
        Elastic (transport) time.
    fermi_velocity : float
        :math:`v_F` (length/time).
    """
    grid = check_array("omega", omega)
    if np.any(grid <= 0):
        raise ValueError(f"omega must be > 0, got {omega!r}")
    sigma0 = drude_conductivity_1d(tau, fermi_velocity)
    log_nu = np.log(2.0 * grid * tau)
    bracket = log_nu**2
    if subleading:
        bracket = bracket - math.pi**2 / 4.0 + (2.0 * np.euler_gamma - 3.0) * log_nu
    return sigma0 * (2.0 * grid * tau) ** 2 * bracket


def berezinskii_static_polarizability(tau: float, fermi_velocity: float) -> float:
    r"""Exact :math:`\alpha(0) = 4\zeta(3)\sigma_0\tau = 4\zeta(3)v_F\tau^2/\pi` (per spin)."""
    return (
        BEREZINSKII_POLARIZABILITY_COEFFICIENT * drude_conductivity_1d(tau, fermi_velocity) * tau
    )
