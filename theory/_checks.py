"""Input checks of the theory package: one ValueError naming the parameter and value.

:mod:`theory` may not import :mod:`lattice` (DESIGN.md section 1), so it cannot
reuse ``lattice/_validate.py``; these are the few checks the theory needs.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

__all__ = ["real_number", "positive_number", "time_scale", "dimension", "real_grid"]


def real_number(name: str, value: Any) -> float:
    """Return ``value`` as a finite float, else raise ValueError naming it."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a real number, got {value!r}") from None
    if not math.isfinite(number):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return number


def positive_number(name: str, value: Any) -> float:
    """Return ``value`` as a finite float > 0, else raise ValueError naming it."""
    number = real_number(name, value)
    if number <= 0.0:
        raise ValueError(f"{name} must be > 0, got {value!r}")
    return number


def time_scale(name: str, value: Any) -> float:
    """Return a relaxation time > 0 where ``inf`` (no such process) is allowed."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a real number or inf, got {value!r}") from None
    if math.isnan(number) or number <= 0.0:
        raise ValueError(f"{name} must be > 0 (inf allowed), got {value!r}")
    return number


def dimension(value: Any) -> int:
    """Return the spatial dimension as int if it is 1, 2 or 3, else raise ValueError."""
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, np.integer))
        or value not in (1, 2, 3)
    ):
        raise ValueError(f"dim must be 1, 2 or 3, got {value!r}")
    return int(value)


def real_grid(name: str, values: Any) -> np.ndarray:
    """Return a finite float64 array of at least one dimension, else raise ValueError."""
    try:
        grid = np.atleast_1d(np.asarray(values, dtype=float))
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be an array of real numbers, got {values!r}") from None
    if grid.size == 0 or not np.all(np.isfinite(grid)):
        raise ValueError(f"{name} must be a non-empty array of finite numbers, got {values!r}")
    return grid
