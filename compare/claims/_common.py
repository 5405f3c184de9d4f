"""Helpers shared by the claim modules: size series, regime parameters, references."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

from ..analysis import PointAnalysis
from ..estimate import Estimate
from ..verdicts import FIT_P_VALUE, fit_rejection, regime_parameters

__all__ = [
    "fit_accepted",
    "fit_sentence",
    "linear_size",
    "point_regime",
    "printed_reference",
    "series_of",
    "size_series",
    "w_label",
]


def linear_size(point: PointAnalysis) -> int:
    """The linear size of a point: N of a chain, L of an L^d lattice (the longest axis)."""
    return max(point.shape)


def size_series(
    points: Iterable[PointAnalysis], keep: Callable[[PointAnalysis], bool] = lambda p: True
) -> list[list[PointAnalysis]]:
    """Points grouped by (d, W, E_F, flux, kind), each group sorted by linear size.

    One size per group (the first analysed point of that size wins); groups in
    the order of their first point.
    """
    groups: dict[tuple[Any, ...], dict[int, PointAnalysis]] = {}
    for point in points:
        if not keep(point):
            continue
        key = (point.dim, point.disorder, point.fermi_energy, point.flux, point.kind)
        groups.setdefault(key, {}).setdefault(linear_size(point), point)
    return [[group[size] for size in sorted(group)] for group in groups.values()]


def point_regime(series: list[PointAnalysis], **extra: Any) -> dict[str, Any]:
    """Regime parameters of a size series: d, W, E_F, kind, sizes, l, tau, lambda, k_F l."""
    first = series[0]
    return regime_parameters(
        first.mapping,
        d=first.dim,
        W=first.disorder,
        E_F=first.fermi_energy,
        kind=first.kind,
        sizes=[linear_size(p) for p in series],
        **extra,
    )


def printed_reference(function: Callable[[Any], float], params: Any) -> dict[str, Estimate]:
    """The seed's printed formula as a reference, where it exists (d = 1, 2)."""
    try:
        value = function(params)
    except ValueError:
        return {}
    return {"printed": Estimate.exact(value)} if math.isfinite(value) and value > 0 else {}


def fit_accepted(chi2: float, dof: int) -> bool:
    """Whether a fit passes its own chi^2 test (:func:`compare.verdicts.fit_rejection`).

    Figures draw only accepted fits: a rejected law is no evidence for its amplitude.
    """
    return fit_rejection(chi2, dof) == ""


def fit_sentence(drawn: int, total: int, what: str) -> str:
    """Caption clause saying which fits are drawn and why the others are not ("" if none)."""
    if total == 0:
        return ""
    if drawn == total:
        return f"dashed: {what}, each over its window; "
    if drawn == 0:
        if total == 1:
            return f"{what}: rejected by its own χ² (p < {FIT_P_VALUE:g}), not drawn; "
        return f"{what}: all {total} rejected by their own χ² (p < {FIT_P_VALUE:g}), not drawn; "
    return (
        f"dashed: {what}, each over its window ({total - drawn} of {total} rejected by their "
        f"own χ², p < {FIT_P_VALUE:g}, are not drawn); "
    )


def w_label(disorder: float) -> str:
    """Legend text of a disorder strength (mathtext; the unit t is in the caption)."""
    return f"$W={disorder:g}$"


def series_of(point: PointAnalysis, points: Iterable[PointAnalysis]) -> tuple[Any, str]:
    """Style key and legend text of ``point`` among the ``points`` of one figure.

    The key is the disorder W (one colour and marker per W in every panel) unless
    the figure holds several sizes at that (d, W); then each size is its own series.
    """
    sizes = {linear_size(p) for p in points if (p.dim, p.disorder) == (point.dim, point.disorder)}
    if len(sizes) == 1:
        return point.disorder, w_label(point.disorder)
    size = linear_size(point)
    return f"W={point.disorder:g}, L={size}", f"$W={point.disorder:g}$, $L={size}$"
