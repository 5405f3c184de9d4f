"""Helpers shared by the claim modules: size series, regime parameters, references."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

from ..analysis import Analysis, PointAnalysis
from ..estimate import Estimate
from ..verdicts import regime_parameters

__all__ = ["linear_size", "point_regime", "printed_reference", "seeds_text", "size_series"]


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


def seeds_text(analysis: Analysis) -> str:
    """Caption text naming the root seeds."""
    return f"root seed(s) {', '.join(map(str, analysis.seeds))}"
