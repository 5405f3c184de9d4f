r"""Time-reversal breaking: what Eq. (42) predicts for a lattice flux, and the verdict per row.

A flux :math:`\Phi` per plaquette enters Eq. (42) as the Cooperon dephasing
rate :math:`1/\tau_s = 1/\tau_B = 4eD_0B/\hbar = 8\pi\Phi D_0`
(:mod:`theory.magnetic`, ``docs/theory.md`` section 5a), with :math:`D_0` of
the flux-free Born mapping. With any :math:`1/\tau_s > 0` Eq. (42) has no
localized solution in d = 2: :math:`D(0)/D_0 > 0` and :math:`r_0 = \infty`,
against the finite :math:`r_0` at zero flux. The exact numerics of the same
lattice (unitary class) stay localized with a longer length; the report's
time-reversal table puts both side by side, one :class:`FluxPrediction` and
one :func:`flux_verdict` per row.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from theory.localized import localization_properties
from theory.magnetic import magnetic_length, with_magnetic_flux
from theory.mapping import LatticeMapping

from ._checks import check_real
from .estimate import Estimate

__all__ = ["FluxPrediction", "flux_prediction", "flux_verdict"]


@dataclass(frozen=True)
class FluxPrediction:
    """Eq. (42) at one lattice point without and with a flux (lattice units hbar = t = a = 1).

    Attributes
    ----------
    flux : float
        Flux per plaquette (units of h/e).
    breaking_rate : float
        :math:`1/\\tau_s = 8\\pi|\\Phi| D_0` (t/hbar).
    rate_times_tau : float
        :math:`\\tau/\\tau_s = 2(l/l_B)^2` in d = 2; the constant-rate picture needs it << 1.
    magnetic_length : float
        :math:`l_B = a/\\sqrt{2\\pi|\\Phi|}` (a).
    diffusion_ratio : float
        D(0)/D0 of Eq. (42) with the flux (0 would be localized).
    localization_length : float
        :math:`r_0` of Eq. (42) with the flux (a; inf: delocalized).
    zero_flux_length : float
        :math:`r_0` of Eq. (42) at zero flux (a; inf in a d = 3 metal).
    """

    flux: float
    breaking_rate: float
    rate_times_tau: float
    magnetic_length: float
    diffusion_ratio: float
    localization_length: float
    zero_flux_length: float


def flux_prediction(mapping: LatticeMapping, flux: float) -> FluxPrediction:
    """Eq. (42) with :math:`1/\\tau_s` of ``flux`` at the parameters of ``mapping``.

    Parameters
    ----------
    mapping : LatticeMapping
        Flux-free Born mapping (d = 2 or 3) of the lattice point.
    flux : float
        Flux per plaquette, nonzero modulo 1 (units of h/e).
    """
    flux = check_real("flux", flux)
    params = with_magnetic_flux(mapping.parameters, flux)
    if math.isinf(params.tau_s):
        raise ValueError(f"flux must be nonzero modulo 1 to break time reversal, got {flux!r}")
    broken = localization_properties(params)
    return FluxPrediction(
        flux=flux,
        breaking_rate=1.0 / params.tau_s,
        rate_times_tau=params.tau / params.tau_s,
        magnetic_length=magnetic_length(flux),
        diffusion_ratio=broken.diffusion_ratio,
        localization_length=broken.localization_length,
        zero_flux_length=localization_properties(mapping.parameters).localization_length,
    )


def _trend(ratio: Estimate) -> str:
    if ratio.low > 1.0:
        return f"grows x{ratio.value:.3g}"
    if ratio.high < 1.0:
        return f"shrinks x{ratio.value:.3g}"
    return f"unchanged within errors (x{ratio.value:.3g})"


def flux_verdict(
    prediction: FluxPrediction | None, ratio: Estimate, length: Estimate, width: int | None = None
) -> str:
    """One line: what Eq. (42) predicts at this flux and what the exact numerics show.

    Parameters
    ----------
    prediction : FluxPrediction or None
        The theory at this point (None: no Born mapping, numerics only).
    ratio : Estimate
        Numerical length with flux / without flux.
    length : Estimate
        Numerical length with flux (a).
    width : int, optional
        Strip width M for a transfer-matrix length; Lambda_M = xi_M/M < 1 marks
        a length that is finite on the scale of the strip.
    """
    if prediction is None:
        theory = "theory: no Born mapping here"
    else:  # a finite 1/tau_s leaves no localized solution of Eq. (42)
        theory = (
            f"theory: delocalized at any flux (D(0)/D0 = {prediction.diffusion_ratio:.3g}, "
            f"r0 = inf)"
        )
    numerics = f"numerics: finite {length.value:.3g}, {_trend(ratio)}"
    if width is not None:
        lam = length.value / width
        numerics += f", Lambda_M = {lam:.2g} {'< 1' if lam < 1 else '>= 1'} at M = {width}"
    return f"{theory}; {numerics}"
