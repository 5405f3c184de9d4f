r"""A uniform magnetic field as the time-reversal-breaking rate :math:`1/\tau_s` of Eq. (42).

Eq. (42) of Vollhardt and Woelfle, Phys. Rev. B 22, 4666 (1980) breaks time
reversal only through a constant rate, :math:`\omega \to \omega + i/\tau_s` in
the Cooperon (diffusion) pole. A lattice with a flux :math:`\Phi` per plaquette
(units of the flux quantum h/e, Peierls phases as in ``lattice.models.model``) has a
uniform field

.. math::

    B = 2\pi\Phi \quad [\hbar/(e a^2)], \qquad
    l_B^2 = \frac{\hbar}{eB} = \frac{a^2}{2\pi\Phi}.

The Cooperon is a two-particle propagator of charge 2e: in a field its
diffusion operator is :math:`D_0(-i\nabla - 2e\mathbf{A}/\hbar)^2`, a Landau
problem for charge 2e with eigenvalues :math:`(n + 1/2)\,\omega_B`,

.. math::

    \frac{1}{\tau_B} \equiv \omega_B = \frac{4 e D_0 B}{\hbar} = \frac{D_0}{l_H^2},
    \qquad l_H^2 = \frac{\hbar}{4eB} = \frac{l_B^2}{4},

each level holding :math:`2eB/h` states per unit area (Altshuler, Aronov,
Khmelnitskii and Larkin, in *Quantum Theory of Solids*, ed. I. M. Lifshits,
Mir, Moscow 1982; Hikami, Larkin and Nagaoka, Prog. Theor. Phys. 63, 707
(1980), whose field scale :math:`B_\phi = \hbar/(4eD\tau_\phi)` is the field at
which :math:`1/\tau_B = 1/\tau_\phi`). In lattice units (:math:`D_0` in
:math:`a^2 t/\hbar`): :math:`1/\tau_B = 8\pi\Phi D_0` (t/hbar) and
:math:`\tau/\tau_B = 2(l/l_B)^2` in d = 2 (:math:`D_0\tau = l^2/2`).

:func:`magnetic_breaking_rate` returns :math:`1/\tau_B` and
:func:`with_magnetic_flux` puts :math:`\tau_s = \tau_B` into the parameters.
Replacing the Landau-quantized Cooperon by a constant rate is an
approximation: it is the conventional magnetic dephasing rate, exact in
order of magnitude only. Matching the infrared logarithm of the d = 2
Cooperon sum over Landau levels, :math:`\sum_n 1/(n + 1/2) \to
\psi(N + 1/2) - \psi(1/2)`, to the continuum :math:`\ln(1 + N\omega_B/\Gamma)`
gives the equivalent constant rate :math:`\Gamma = (e^{-\gamma}/4)\,\omega_B
\approx 0.140\,\omega_B` (:data:`LOG_EQUIVALENT_FACTOR`; the large-field limit
of the Hikami-Larkin-Nagaoka digamma formula), so the rate is uncertain by
this O(1) factor. It needs the diffusive regime :math:`l_B \gg l`
(:math:`\omega_B\tau \ll 1`) and a flux small on the lattice scale
(:math:`\Phi \ll 1`, where the Hofstadter spectrum is still a continuum
Landau problem). ``docs/theory.md`` gives the derivation.

:func:`landau_level_conductivity_change` keeps the Landau levels instead: the
lowest-order (weak-localization) change of sigma(w) in d = 2, the
Hikami-Larkin-Nagaoka digamma form at a complex argument. It follows the
log-equivalent rate at :math:`\omega \ll \omega_B` and turns negative above
:math:`\omega = 0.178\,\omega_B` (:data:`LANDAU_LEVEL_SIGN_CHANGE`), which no
constant rate does
(``docs/theory.md`` section 5a).
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
from scipy.special import digamma

from theory.asymptotics import WEAK_LOCALIZATION_SLOPE_2D
from theory.parameters import TheoryParameters
from vwloc_common.checks import check_finite, check_positive

__all__ = [
    "LANDAU_LEVEL_SIGN_CHANGE",
    "LOG_EQUIVALENT_FACTOR",
    "landau_level_conductivity_change",
    "magnetic_breaking_rate",
    "magnetic_field",
    "magnetic_length",
    "reduced_flux",
    "with_magnetic_flux",
]

#: Constant rate / Landau spacing that reproduces the d = 2 Cooperon logarithm:
#: :math:`e^{-\gamma}/4` (gamma: Euler's constant), from :math:`\psi(1/2) = -\gamma - 2\ln 2`.
LOG_EQUIVALENT_FACTOR = math.exp(-np.euler_gamma) / 4.0
#: w/w_B where the lowest-order Landau-level magnetoconductance changes sign
#: (:func:`landau_level_conductivity_change`; root of Re[psi(1/2 - i x) - ln(-i x)]).
LANDAU_LEVEL_SIGN_CHANGE = 0.17812682715


def reduced_flux(flux: float) -> float:
    r"""The flux per plaquette folded to [0, 1/2] (flux quanta).

    Integer fluxes are a gauge transformation of the Peierls phases and
    :math:`\Phi \to -\Phi` is complex conjugation (same spectrum, same
    lengths), so a flux acts on the Cooperon through :math:`|\Phi - \mathrm{round}(\Phi)|`.

    Parameters
    ----------
    flux : float
        Flux :math:`\Phi` per plaquette in units of h/e, any real number.
    """
    phi = check_finite("flux", flux)
    return abs(phi - round(phi))


def magnetic_field(flux: float) -> float:
    r""":math:`B = 2\pi|\Phi|` [:math:`\hbar/(e a^2)`], flux reduced by :func:`reduced_flux`."""
    return 2.0 * math.pi * reduced_flux(flux)


def magnetic_length(flux: float) -> float:
    r""":math:`l_B = \sqrt{\hbar/(eB)} = a/\sqrt{2\pi|\Phi|}` (units of a); inf at zero flux."""
    field = magnetic_field(flux)
    return math.inf if field == 0.0 else 1.0 / math.sqrt(field)


def magnetic_breaking_rate(flux: float, diffusion_constant: float) -> float:
    r"""Cooperon dephasing rate :math:`1/\tau_B = 4eD_0B/\hbar = 8\pi|\Phi|D_0` (1/time).

    The Landau spacing of the charge-2e Cooperon (module docstring), used as
    the constant :math:`1/\tau_s` of Eq. (42).

    Parameters
    ----------
    flux : float
        Flux per plaquette (units of h/e), reduced by :func:`reduced_flux`.
    diffusion_constant : float
        :math:`D_0 > 0` in :math:`a^2`/time (:math:`a^2 t/\hbar` from
        :func:`theory.mapping.map_lattice`).

    Returns
    -------
    float
        :math:`1/\tau_B` in 1/time (t/hbar for lattice units); 0 at zero flux.

    Examples
    --------
    >>> round(magnetic_breaking_rate(0.05, 1.0 / (2.0 * 3.141592653589793)), 12)
    0.2
    """
    d0 = check_positive("diffusion_constant", diffusion_constant)
    return 4.0 * d0 * magnetic_field(flux)


def with_magnetic_flux(params: TheoryParameters, flux: float) -> TheoryParameters:
    r"""``params`` with :math:`\tau_s = \tau_B` of a flux :math:`\Phi` per plaquette.

    Parameters
    ----------
    params : TheoryParameters
        Time-reversal-invariant parameters (:math:`\tau_s = \infty`) in lattice
        units (lengths in a, so that B is :func:`magnetic_field`); d = 2 or 3
        (a flux through a plaquette needs two directions).
    flux : float
        Flux per plaquette (units of h/e).

    Returns
    -------
    TheoryParameters
        The same parameters with ``tau_s`` = :math:`1/(8\pi|\Phi|D_0)` (inf at zero flux).
    """
    if params.dim < 2:
        raise ValueError(f"a flux per plaquette needs dim >= 2, got dim = {params.dim}")
    if not math.isinf(params.tau_s):
        raise ValueError(f"params already break time reversal: tau_s = {params.tau_s!r}")
    rate = magnetic_breaking_rate(flux, params.diffusion_constant)
    return dataclasses.replace(params, tau_s=math.inf if rate == 0.0 else 1.0 / rate)


def landau_level_conductivity_change(
    omega: np.ndarray | float, breaking_rate: float
) -> np.ndarray:
    r"""Lowest-order change of sigma(w) in d = 2 from Landau-quantizing the Cooperon.

    The weak-localization correction is :math:`\delta\sigma(\omega) =
    -\frac{1}{4\pi^2}\int_0^{\Lambda} dx\,(-i\omega + x)^{-1}` (e^2/hbar per spin,
    :math:`x = D_0q^2`, :data:`theory.asymptotics.WEAK_LOCALIZATION_SLOPE_2D`). In a
    field the integral becomes the midpoint sum over the Cooperon's Landau levels
    :math:`x_n = (n + 1/2)\,\omega_B` with weight :math:`\omega_B` each (module
    docstring). With :math:`z = -i\omega/\omega_B` the difference, for
    :math:`\omega_B \ll \Lambda = 1/\tau`, is

    .. math::

        \Delta\mathrm{Re}\,\sigma(\omega) = \frac{1}{4\pi^2}\,
        \mathrm{Re}\left[\psi\!\left(z + \tfrac12\right) - \ln z\right],

    (the real part; the function returns the complex change of :math:`\sigma(\omega)`,
    convention :math:`e^{-i\omega t}`), the Hikami-Larkin-Nagaoka function (Prog. Theor.
    Phys. 63, 707 (1980)) with the
    frequency in place of the dephasing rate; the cut-off's end of the sum changes it
    by :math:`O((\omega_B\tau)^2)`. Limits: :math:`\frac{1}{4\pi^2}\ln(\Gamma/\omega)`
    with :math:`\Gamma` = :data:`LOG_EQUIVALENT_FACTOR` :math:`\omega_B` for
    :math:`\omega \ll \omega_B`, and :math:`-\frac{1}{4\pi^2}\,\omega_B^2/(24\omega^2)`
    for :math:`\omega \gg \omega_B`: the change turns negative (at
    :math:`\omega \approx 0.18\,\omega_B`). It is lowest order in :math:`1/(k_F l)`,
    not Eq. (42) solved self-consistently with the Landau sum.

    Parameters
    ----------
    omega : array_like
        Frequencies :math:`\omega > 0` (1/time, t/hbar in lattice units).
    breaking_rate : float
        :math:`\omega_B = 1/\tau_B` (:func:`magnetic_breaking_rate`), same units.

    Returns
    -------
    numpy.ndarray
        Complex :math:`\Delta\sigma` in e^2/hbar per spin (d = 2, per square); its real
        part is the magnetoconductance.
    """
    rate = check_positive("breaking_rate", breaking_rate)
    omega = np.asarray(omega, dtype=float)
    if not np.all(omega > 0):
        raise ValueError(f"omega must be positive, got {float(omega[~(omega > 0)].ravel()[0])!r}")
    z = -1j * omega / rate
    return WEAK_LOCALIZATION_SLOPE_2D * (digamma(z + 0.5) - np.log(z))
