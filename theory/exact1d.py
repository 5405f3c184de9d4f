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
  (Mott-Berezinskii law) in terms of their time :math:`\tau_B`, with
  :math:`\sigma_{0B} = v_F\tau_B/\pi` and :math:`\epsilon = -2i\omega\tau_B`:
  :math:`\sigma(\omega)/\sigma_{0B} = 2\zeta(3)\epsilon - \epsilon^2[\ln^2\epsilon +
  (2C - 3)\ln\epsilon - c] + \ldots`, so
  :math:`\mathrm{Re}\,\sigma = \sigma_{0B}\nu^2[\ln^2\nu - \pi^2/4 + (2C-3)\ln\nu - c]`
  with :math:`\nu = 2\omega\tau_B` (C Euler's constant, c = O(1) unknown), and
  the static polarizability :math:`\alpha(0) = 4\zeta(3)\sigma_{0B}\tau_B
  = 4\zeta(3) v_F\tau_B^2/\pi`.

Which time :math:`\tau_B` is (``docs/theory.md`` section 6a): every function
here takes the Born **total** elastic time :math:`\tau` of the mapping,
:math:`1/\tau = 2\pi N\langle V^2\rangle` (in 1D also the transport time, so the
Drude :math:`\sigma_0 = v_F\tau/\pi`). Out of :math:`+k_F` half of that rate
is backscattering, so the backscattering time is
:math:`\tau_b = 2\tau` (:data:`BACKSCATTERING_TIME_FACTOR`). The three readings of
:math:`\tau_B` give :math:`\alpha_{exact}/\alpha_{VW}` = :math:`\zeta(3)`
(:math:`\tau_B = \tau`), :math:`2\zeta(3)` (:math:`\tau_b` in :math:`\epsilon`,
the Drude :math:`\sigma_0` kept) and :math:`4\zeta(3)` (:math:`\tau_B = \tau_b`
everywhere), with :math:`\alpha_{VW} = 4\sigma_0\tau` of Eq. (42). The converged
numerics (``docs/validation/study-1d-alpha``: the mean :math:`\alpha(0)/\alpha_{VW}`
= 4.20 [2.93, 6.02], 4.74 [3.69, 6.08], 4.65 [3.85, 5.63] at W = 1.5, 2, 2.5;
:math:`r_0 = \sqrt{\alpha/\rho}` = 1.03 :math:`\xi` against 1.00 [0.85, 1.18]
:math:`\xi` from :math:`\chi(q, 0)`) select the third, which is the default
``reading="backscattering"``: :math:`\tau_B = \tau_b = 2\tau`, so
:math:`\alpha(0) = 16\zeta(3)v_F\tau^2/\pi = 4\zeta(3)\alpha_{VW}` and
:math:`\nu = 4\omega\tau`. ``reading="born"`` gives the first
(:math:`\tau_B = \tau`), which the figures draw for comparison.
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
from scipy.special import gamma, zeta

from vwloc_common.checks import check_array, check_finite, check_positive

__all__ = [
    "THOULESS_COEFFICIENT",
    "KAPPUS_WEGNER_COEFFICIENT",
    "BEREZINSKII_POLARIZABILITY_COEFFICIENT",
    "BACKSCATTERING_TIME_FACTOR",
    "BEREZINSKII_READINGS",
    "BerezinskiiReading",
    "thouless_localization_length",
    "kappus_wegner_localization_length",
    "drude_conductivity_1d",
    "berezinskii_time",
    "berezinskii_conductivity",
    "berezinskii_static_polarizability",
]

#: xi = THOULESS_COEFFICIENT (4 t^2 - E^2) / W^2 (box or Gaussian of variance W^2/12).
THOULESS_COEFFICIENT = 24.0
#: xi(E = 0) = KAPPUS_WEGNER_COEFFICIENT t^2 / W^2 = 24 pi^2/Gamma(3/4)^4 = 105.045...
KAPPUS_WEGNER_COEFFICIENT = 24.0 * math.pi**2 / gamma(0.75) ** 4
#: alpha(0) = BEREZINSKII_POLARIZABILITY_COEFFICIENT * sigma0_B * tau_B, i.e. 4 zeta(3)
#: (in Berezinskii's own time tau_B, see :func:`berezinskii_time`).
BEREZINSKII_POLARIZABILITY_COEFFICIENT = 4.0 * float(zeta(3.0))
#: Backscattering time over the Born total (= transport) time in 1D, tau_b = 2 tau: of the
#: two final states +-k_F of the Born rate 1/tau only -k_F is backscattering. Berezinskii's
#: tau_B is tau_b (docs/theory.md section 6a: the converged mean alpha(0) of
#: docs/validation/study-1d-alpha contains 4 zeta(3) alpha_VW and excludes zeta(3) and
#: 2 zeta(3); r0 = sqrt(alpha/rho) matches the chi(q, 0) route only in this reading).
BACKSCATTERING_TIME_FACTOR = 2.0

#: Which time Berezinskii's tau_B is: "backscattering" (tau_b = 2 tau everywhere, the
#: reading the numerics select) or "born" (the Born time tau itself, for comparison).
BerezinskiiReading = Literal["backscattering", "born"]
#: The readings :func:`berezinskii_time` accepts, the default first.
BEREZINSKII_READINGS: tuple[BerezinskiiReading, ...] = ("backscattering", "born")


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
    r"""Drude conductivity per spin :math:`\sigma_0 = (n/m)\tau = v_F\tau/\pi` (e = hbar = 1).

    With the Born time of the mapping this is the Drude conductivity of the chain (in 1D
    the transport time is the Born total time); :func:`berezinskii_conductivity` and
    :func:`berezinskii_static_polarizability` evaluate it at Berezinskii's
    :math:`\tau_B` instead.
    """
    return check_positive("fermi_velocity", fermi_velocity) * check_positive("tau", tau) / math.pi


def berezinskii_time(tau: float, reading: BerezinskiiReading = "backscattering") -> float:
    r"""Berezinskii's time :math:`\tau_B` from the Born total time :math:`\tau` of the mapping.

    Parameters
    ----------
    tau : float
        Born total (in 1D also transport) elastic time, :math:`1/\tau = 2\pi N\langle
        V^2\rangle` (units of hbar/t).
    reading : {"backscattering", "born"}
        ``"backscattering"``: :math:`\tau_B = \tau_b` =
        :data:`BACKSCATTERING_TIME_FACTOR` :math:`\tau` (the reading the numerics select,
        docs/theory.md section 6a); ``"born"``: :math:`\tau_B = \tau`.

    Returns
    -------
    float
        :math:`\tau_B` (units of hbar/t).
    """
    tau = check_positive("tau", tau)
    if reading == "backscattering":
        return BACKSCATTERING_TIME_FACTOR * tau
    if reading == "born":
        return tau
    raise ValueError(f"reading must be one of {BEREZINSKII_READINGS}, got {reading!r}")


def berezinskii_conductivity(
    omega: np.ndarray | float,
    tau: float,
    fermi_velocity: float,
    subleading: bool = True,
    *,
    reading: BerezinskiiReading = "backscattering",
) -> np.ndarray:
    r"""Asymptotic Re sigma(omega) of the 1D disordered wire (Mott-Berezinskii law).

    :math:`\sigma_{0B}\nu^2[\ln^2\nu - \pi^2/4 + (2C - 3)\ln\nu]` per spin, with
    :math:`\nu = 2\omega\tau_B` and :math:`\sigma_{0B} = v_F\tau_B/\pi`, or only the
    leading :math:`\sigma_{0B}\nu^2\ln^2\nu` with ``subleading=False``; the unknown O(1)
    constant c of the next term is omitted. :math:`\tau_B` =
    :func:`berezinskii_time` (tau, reading): by default :math:`2\tau`, so
    :math:`\nu = 4\omega\tau`. Valid for :math:`\omega\tau_B \ll 1`.

    Parameters
    ----------
    omega : float or array
        Frequencies > 0 (t/hbar).
    tau : float
        Born total (= transport) elastic time of the mapping (hbar/t).
    fermi_velocity : float
        :math:`v_F` (a t/hbar).
    subleading : bool
        Keep the :math:`-\pi^2/4 + (2C - 3)\ln\nu` terms of the bracket.
    reading : {"backscattering", "born"}
        Which time :math:`\tau_B` is (:func:`berezinskii_time`).

    Returns
    -------
    ndarray
        Re sigma (e^2/hbar per site, per spin), the shape of ``omega``.
    """
    grid = check_array("omega", omega)
    if np.any(grid <= 0):
        raise ValueError(f"omega must be > 0, got {omega!r}")
    tau_b = berezinskii_time(tau, reading)
    sigma0 = drude_conductivity_1d(tau_b, fermi_velocity)  # sigma0_B: the Drude form at tau_B
    nu = 2.0 * grid * tau_b
    log_nu = np.log(nu)
    bracket = log_nu**2
    if subleading:
        bracket = bracket - math.pi**2 / 4.0 + (2.0 * np.euler_gamma - 3.0) * log_nu
    return sigma0 * nu**2 * bracket


def berezinskii_static_polarizability(
    tau: float, fermi_velocity: float, *, reading: BerezinskiiReading = "backscattering"
) -> float:
    r"""Exact static polarizability :math:`\alpha(0) = 4\zeta(3)\sigma_{0B}\tau_B` (per spin).

    :math:`\sigma_{0B} = v_F\tau_B/\pi`, so :math:`\alpha(0) = 4\zeta(3)v_F\tau_B^2/\pi`
    (e^2 a^2/t per site). By default :math:`\tau_B = 2\tau` and
    :math:`\alpha(0) = 16\zeta(3)v_F\tau^2/\pi`, :math:`4\zeta(3)` times Eq. (42)'s
    :math:`4\sigma_0\tau`; ``reading="born"`` gives :math:`\zeta(3)` times it.

    Parameters
    ----------
    tau : float
        Born total (= transport) elastic time of the mapping (hbar/t).
    fermi_velocity : float
        :math:`v_F` (a t/hbar).
    reading : {"backscattering", "born"}
        Which time :math:`\tau_B` is (:func:`berezinskii_time`).
    """
    tau_b = berezinskii_time(tau, reading)
    sigma0 = drude_conductivity_1d(tau_b, fermi_velocity)  # sigma0_B: the Drude form at tau_B
    return BEREZINSKII_POLARIZABILITY_COEFFICIENT * sigma0 * tau_b
