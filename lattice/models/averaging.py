"""Disorder averages: the loop over realizations and its result type.

Every disorder-averaged observable of :mod:`lattice` is a
:class:`DisorderAverage`: the raw per-realization values (first axis =
realization) are kept, because some observables (alpha(0) in 1D) are so
heavy-tailed that the arithmetic mean alone misleads; the typical (geometric)
mean is offered beside it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

__all__ = ["DisorderAverage", "disorder_average", "realization_indices"]


def realization_indices(realizations: int | Sequence[int]) -> np.ndarray:
    """Normalise ``realizations``: an int n means indices 0..n-1, else the given indices.

    Raises ValueError for n < 1, an empty sequence, negative or repeated indices.
    """
    if isinstance(realizations, bool):
        raise ValueError(
            f"realizations must be an int or a sequence of ints, got {realizations!r}"
        )
    if isinstance(realizations, (int, np.integer)):
        if realizations < 1:
            raise ValueError(f"realizations must be >= 1, got {realizations!r}")
        return np.arange(int(realizations), dtype=np.int64)
    indices = np.asarray(realizations)
    if indices.ndim != 1 or indices.size == 0 or not np.issubdtype(indices.dtype, np.integer):
        raise ValueError(
            f"realizations must be a non-empty sequence of integers, got {realizations!r}"
        )
    if np.any(indices < 0) or np.unique(indices).size != indices.size:
        raise ValueError(
            f"realizations must be distinct non-negative indices, got {realizations!r}"
        )
    return indices.astype(np.int64)


@dataclass(frozen=True)
class DisorderAverage:
    """Per-realization values of an observable and their statistics.

    Attributes
    ----------
    values : numpy.ndarray, shape (R, ...)
        One entry per realization, in the order of :attr:`realizations`.
    realizations : numpy.ndarray of int64, shape (R,)
        The realization indices i (disorder of ``SeedSequence(seed, spawn_key=(i,))``).
    axes : Mapping[str, numpy.ndarray]
        Coordinates of the trailing axes of :attr:`values` (e.g. ``omega``),
        also readable as attributes (``result.omega``).
    """

    values: np.ndarray
    realizations: np.ndarray
    axes: Mapping[str, np.ndarray] = field(default_factory=dict)

    def __getattr__(self, name: str):
        axes = self.__dict__.get("axes", {})
        if name in axes:
            return axes[name]
        raise AttributeError(f"{type(self).__name__} has no attribute {name!r}")

    @property
    def count(self) -> int:
        """Number R of realizations."""
        return self.values.shape[0]

    @property
    def mean(self) -> np.ndarray:
        """Arithmetic mean over realizations."""
        return self.values.mean(axis=0)

    @property
    def stderr(self) -> np.ndarray:
        """Standard error of the mean, ``std(ddof=1) / sqrt(R)``; NaN for R = 1."""
        if self.count < 2:
            return np.full(self.values.shape[1:], np.nan)
        return self.values.std(axis=0, ddof=1) / np.sqrt(self.count)

    @property
    def typical(self) -> np.ndarray:
        """Geometric mean ``exp(<ln x>)`` over realizations; NaN where any value is <= 0
        or complex."""
        values = self.values
        if np.iscomplexobj(values):
            return np.full(values.shape[1:], np.nan)
        positive = np.all(values > 0, axis=0)
        logs = np.log(np.where(values > 0, values, 1.0))
        return np.where(positive, np.exp(logs.mean(axis=0)), np.nan)


def disorder_average(
    compute: Callable[[int], np.ndarray | float],
    realizations: int | Sequence[int],
    axes: Mapping[str, np.ndarray] | None = None,
) -> DisorderAverage:
    """Evaluate ``compute(i)`` for each realization index and collect the values.

    Parameters
    ----------
    compute : callable
        ``compute(i)`` returns the observable of realization ``i`` (array or scalar).
    realizations : int or sequence of int
        See :func:`realization_indices`.
    axes : mapping, optional
        Coordinates of the observable's axes, stored on the result.

    Returns
    -------
    DisorderAverage
    """
    indices = realization_indices(realizations)
    values = np.stack([np.asarray(compute(int(i))) for i in indices])
    return DisorderAverage(values=values, realizations=indices, axes=dict(axes or {}))
