"""Input checks for the comparison layer: one ValueError naming the offending value.

The general checks are :mod:`vwloc_common.checks`, shared with ``lattice`` and
``theory``; these helpers cover what the fits need beyond them: aligned data
series with positive uncertainties, confidence levels and intervals.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from vwloc_common.checks import check_finite, check_positive

__all__ = ["as_series", "check_interval", "check_level", "check_real", "realization_matrix"]


def check_real(name: str, value: Any, positive: bool = False) -> float:
    """Return ``value`` as a finite float (strictly positive with ``positive``)."""
    return check_positive(name, value) if positive else check_finite(name, value)


def check_level(level: Any) -> float:
    """Return a confidence level in (0, 1) as float."""
    number = check_real("level", level)
    if not 0 < number < 1:
        raise ValueError(f"level must lie in (0, 1), got {level!r}")
    return number


def check_interval(name: str, interval: Any) -> tuple[float, float]:
    """Return ``(low, high)`` with finite ``0 <= low < high``."""
    try:
        low, high = (float(x) for x in interval)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a pair (low, high), got {interval!r}") from None
    if not (math.isfinite(low) and math.isfinite(high) and 0 <= low < high):
        raise ValueError(f"{name} must satisfy 0 <= low < high (finite), got {interval!r}")
    return low, high


def as_series(
    x_name: str, x: Any, y: Any, errors: Any
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return ``x``, ``y``, ``errors`` as aligned finite 1D float arrays.

    ``errors`` (one standard deviation per point) must be strictly positive:
    a zero error would give the point infinite weight in a fit.
    """
    xs = np.asarray(x, dtype=float)
    ys = np.asarray(y, dtype=float)
    es = np.asarray(errors, dtype=float)
    if xs.ndim != 1 or xs.size == 0:
        raise ValueError(f"{x_name} must be a non-empty 1D array, got shape {xs.shape}")
    for name, array in (("values", ys), ("errors", es)):
        if array.shape != xs.shape:
            raise ValueError(
                f"{name} must have the shape of {x_name} {xs.shape}, got {array.shape}"
            )
    for name, array in ((x_name, xs), ("values", ys), ("errors", es)):
        if not np.all(np.isfinite(array)):
            raise ValueError(f"{name} must be finite, got {array[~np.isfinite(array)][:3]!r}")
    if np.any(es <= 0):
        raise ValueError(f"errors must be > 0, got minimum {es.min()!r}")
    return xs, ys, es


def realization_matrix(axis: Any, values: Any) -> tuple[np.ndarray, np.ndarray]:
    """Return ``axis`` (1D) and ``values`` of shape ``(n_realizations >= 2, axis.size)``.

    Two realizations at least: a standard error needs a spread.
    """
    grid = np.asarray(axis, dtype=float)
    data = np.asarray(values, dtype=float)
    if grid.ndim != 1 or data.ndim != 2 or data.shape[1:] != grid.shape or data.shape[0] < 2:
        raise ValueError(
            f"values must have shape (n_realizations >= 2, {grid.size}), got {data.shape}"
        )
    return grid, data
