r"""Claim: the 2D weak-localization logarithm, d Re sigma/d ln w = 1/(4 pi^2) (Eq. 42).

Eq. (42) gives, for w0 << w << 1/tau in d = 2, Re sigma = sigma0 - (1/(4 pi^2))
ln(K0^2/(w tau)) per spin (``docs/theory.md`` section 3a): the universal
orthogonal-class coefficient, with no parameter. Rows (``wl_2d``), one per size
series of 2D points: the weighted slope of the disorder-averaged Re sigma
against ln w in the window

    max(3 w0, 3 eta, 3 level spacing, 3 D0 (2 pi/L)^2) <= w <= 1/(10 tau)

(the lowest Cooperon mode D0 (2 pi/L)^2 of the finite lattice and the
broadening both bend the curve), accepted by its chi^2, converged over at least
three sizes, against the same slope of the Eq. (42) curve on that window
(``theory``) and 1/(4 pi^2) (``exact``). It needs l >= 3 (Born mapping) and a
window of at least :data:`MIN_DECADES` decade, i.e. L of several hundred:
below :data:`MIN_SIZE` the row says it needs the large-lattice engines;
running the same sweep with ``engine = "sparse"`` is the only change needed.
"""

from __future__ import annotations

import math

import numpy as np

from theory.asymptotics import WEAK_LOCALIZATION_SLOPE_2D

from ..analysis import Analysis, PointAnalysis
from ..blocks import Block
from ..estimate import Estimate
from ..figures import Plot
from ..verdicts import VerdictRow, born_regime, fit_rejection, judge, size_convergence
from ._common import linear_size, point_regime, size_series

__all__ = [
    "SUMMARY",
    "DRUDE_SEPARATION",
    "KINDS",
    "MIN_DECADES",
    "MIN_SIZE",
    "SEPARATION",
    "TITLE",
    "blocks",
    "plots",
    "rows",
    "window",
]

TITLE = "2D weak-localization logarithm"
#: The line of the five-line summary this claim's rows are counted on.
SUMMARY = "conductivity"
#: Row kinds (key prefixes) of this claim.
KINDS = ("wl_2d",)
#: "<<" in the window's lower conditions.
SEPARATION = 3.0
#: w tau <= 1/DRUDE_SEPARATION: the Drude roll-off 1/(1 + (w tau)^2) bends Re sigma by
#: (w tau)^2, 1 % here, against the logarithm's 1/(4 pi^2) per e-fold.
DRUDE_SEPARATION = 10.0
#: The window must span at least this many decades of frequency.
MIN_DECADES = 1.0
#: Smallest lattice edge for a one-decade window at l >= 3: 3 D0 (2 pi/L)^2 <= 1/(100 tau)
#: needs L >= 2 pi sqrt(300 D0 tau) ~ 2 pi sqrt(100 l^2) ~ 60 l, i.e. L >= ~250 at l = 4.
MIN_SIZE = 256
#: What the rows need that the dense engine cannot give.
ENGINE_NOTE = "needs engine=sparse/kpm (issue 10)"


def window(point: PointAnalysis) -> tuple[float, float]:
    """The frequency window (t) of the logarithm at one point (may be empty)."""
    c, mapping, theory = point.conductivity, point.mapping, point.theory
    diffusion = mapping.parameters.diffusion_constant
    thouless = diffusion * (2 * math.pi / linear_size(point)) ** 2
    floor = [theory.omega0, c.eta, c.level_spacing, thouless]
    low = SEPARATION * max(x for x in floor if math.isfinite(x))
    return low, 1 / (DRUDE_SEPARATION * mapping.tau)


def _slope(omega: np.ndarray, y: np.ndarray, s: np.ndarray) -> tuple[float, float, float, int]:
    """Weighted slope of y against ln w: (slope, its standard error, chi^2, dof)."""
    design = np.stack([np.ones_like(omega), np.log(omega)], axis=1) / s[:, None]
    covariance = np.linalg.inv(design.T @ design)
    coefficients = covariance @ design.T @ (y / s)
    chi2 = float(np.sum((design @ coefficients - y / s) ** 2))
    return float(coefficients[1]), math.sqrt(covariance[1, 1]), chi2, omega.size - 2


def _row(series: list[PointAnalysis]) -> VerdictRow:
    largest = series[-1]
    reasons = born_regime(largest.mapping)
    small = [linear_size(p) for p in series if linear_size(p) < MIN_SIZE]
    if small:
        reasons.append(f"L = {small} < {MIN_SIZE}: {ENGINE_NOTE}")
    sizes, estimates, theory_slope, notes = [], [], None, []
    for point in series:
        low, high = window(point)
        c = point.conductivity
        inside = (c.omega >= low) & (c.omega <= high)
        if high / low < 10**MIN_DECADES or inside.sum() < 4 or c.n_realizations < 2:
            reasons.append(
                f"L={linear_size(point)}: window {low:.3g}-{high:.3g} spans < "
                f"{MIN_DECADES:g} decade or holds < 4 frequencies"
            )
            continue
        slope, error, chi2, dof = _slope(c.omega[inside], c.mean[inside], c.stderr[inside])
        reasons.append(fit_rejection(chi2, dof, f"L={linear_size(point)}: line in ln w"))
        notes.append(f"L={linear_size(point)}: slope {slope:.4g} +- {error:.2g}")
        if slope > 0:
            sizes.append(linear_size(point))
            estimates.append(Estimate.from_stderr(slope, error))
        if c.theory is not None:
            ones = np.ones(int(inside.sum()))
            theory_slope = _slope(c.omega[inside], c.theory[inside], ones)[0]
    convergence = size_convergence(sizes, estimates)
    reasons.append(convergence.reason)
    references = {"exact": Estimate.exact(WEAK_LOCALIZATION_SLOPE_2D)}
    if theory_slope is not None and theory_slope > 0:
        references["theory"] = Estimate.exact(theory_slope)
    return judge(
        key=f"wl_2d/{largest.point_id}",
        claim="2D: Re sigma - sigma0 = (1/(4 pi^2)) ln(w tau) + const (Eq. 42, universal)",
        quantity="d Re sigma / d ln w (e^2/hbar)",
        regime=point_regime(series),
        numerics=convergence.limit,
        references=references,
        untested=reasons,
        note="; ".join([convergence.describe(), *notes]),
    )


def _eligible(point: PointAnalysis) -> bool:
    return (
        point.dim == 2
        and point.flux == 0
        and point.conductivity is not None
        and point.mapping is not None
        and point.theory is not None
    )


def rows(analysis: Analysis) -> list[VerdictRow]:
    """One row per size series of 2D points with Re sigma."""
    return [_row(series) for series in size_series(analysis.points, _eligible)]


def plots(analysis: Analysis) -> list[Plot]:
    """The 2D panel of the conductivity figure shows these data."""
    return []


def blocks(analysis: Analysis) -> list[Block]:
    """No table beyond the rows."""
    return []
