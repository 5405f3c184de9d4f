"""Argument validation for the science packages: one ValueError naming the value.

Every helper takes the parameter's name first, returns the normalised value
(a Python ``int``/``float`` or a float64 array) and otherwise raises
``ValueError("<name> must be ..., got <value>")``: the one line the command
line prints for bad input (DESIGN.md section 4). In the spirit of SciPy's
``_iv`` helpers (STYLE.md section 4), a public function validates all its
arguments once, on entry.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np

__all__ = [
    "check_array",
    "check_choice",
    "check_dimension",
    "check_finite",
    "check_grid",
    "check_positive",
    "check_positive_int",
    "check_time_scale",
]


def _is_integer(value: Any) -> bool:
    return not isinstance(value, bool) and isinstance(value, (int, np.integer))


def check_positive_int(name: str, value: Any, minimum: int = 1) -> int:
    """Return ``value`` as int if it is an integer >= ``minimum``, else raise ValueError."""
    if not _is_integer(value) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def check_dimension(value: Any, name: str = "dim") -> int:
    """Return the spatial dimension as int if it is 1, 2 or 3, else raise ValueError."""
    if not _is_integer(value) or value not in (1, 2, 3):
        raise ValueError(f"{name} must be 1, 2 or 3, got {value!r}")
    return int(value)


def _real(name: str, value: Any, what: str = "a real number") -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be {what}, got {value!r}") from None


def check_finite(name: str, value: Any) -> float:
    """Return ``value`` as float if it is a finite real number, else raise ValueError."""
    number = _real(name, value)
    if not math.isfinite(number):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return number


def check_positive(name: str, value: Any, allow_zero: bool = False) -> float:
    """Return ``value`` as float if it is finite and > 0 (>= 0 with ``allow_zero``)."""
    number = check_finite(name, value)
    if number < 0 or (number == 0 and not allow_zero):
        raise ValueError(f"{name} must be {'>= 0' if allow_zero else '> 0'}, got {value!r}")
    return number


def check_time_scale(name: str, value: Any) -> float:
    """Return a relaxation time > 0 where ``inf`` (no such process) is allowed."""
    number = _real(name, value, "a real number or inf")
    if math.isnan(number) or number <= 0.0:
        raise ValueError(f"{name} must be > 0 (inf allowed), got {value!r}")
    return number


def check_choice(name: str, value: Any, choices: Iterable[Any]) -> Any:
    """Return ``value`` if it is one of ``choices``, else raise ValueError."""
    options = tuple(choices)
    if value not in options:
        raise ValueError(f"{name} must be one of {options}, got {value!r}")
    return value


def check_array(name: str, values: Any) -> np.ndarray:
    """Return a non-empty, finite float64 array of at least one dimension."""
    try:
        array = np.atleast_1d(np.asarray(values, dtype=float))
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be an array of real numbers, got {values!r}") from None
    if array.size == 0:
        raise ValueError(f"{name} must be non-empty, got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be finite, got {values!r}")
    return array


def check_grid(name: str, values: Any) -> np.ndarray:
    """Return a non-empty, finite, one-dimensional float64 array, else raise ValueError."""
    grid = check_array(name, values)
    if grid.ndim != 1:
        raise ValueError(f"{name} must be a non-empty 1D array, got shape {grid.shape}")
    return grid
