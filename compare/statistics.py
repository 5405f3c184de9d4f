r"""Robust statistics for broadly distributed quantities.

The static polarizability alpha(0) of a 1D disordered chain is dominated by
rare resonant pairs of localized states: its distribution has a power-law
tail, the arithmetic mean converges slowly and its standard error is
unreliable. Such quantities are summarised by three location estimates, each
with a bootstrap interval over realizations:

- the mean (what the disorder-averaged theory predicts),
- the median,
- the typical value :math:`\exp\langle \ln x \rangle` (geometric mean).

If the three disagree by more than their intervals, the distribution is
broad and the mean must be read with care; the report says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ._checks import check_level
from .bootstrap import DEFAULT_RESAMPLES, bootstrap

__all__ = ["RobustSummary", "robust_summary", "typical"]


def typical(values: Any, axis: int = 0) -> np.ndarray:
    r"""Return the typical value :math:`\exp\langle\ln x\rangle` (geometric mean) along ``axis``.

    Raises ValueError if any value is not strictly positive.
    """
    data = np.asarray(values, dtype=float)
    if np.any(~(data > 0)):
        raise ValueError(
            f"typical value needs positive finite values, got {data[~(data > 0)][:3]!r}"
        )
    return np.exp(np.mean(np.log(data), axis=axis))


@dataclass(frozen=True)
class RobustSummary:
    """Location estimates of a broadly distributed positive quantity.

    Each ``*_ci`` is a ``(low, high)`` bootstrap percentile interval at
    confidence ``level``.
    """

    n: int
    mean: float
    mean_ci: tuple[float, float]
    stderr: float
    median: float
    median_ci: tuple[float, float]
    typical: float
    typical_ci: tuple[float, float]
    level: float

    @property
    def mean_over_typical(self) -> float:
        """Ratio of mean to typical value: 1 for a narrow distribution, >> 1 for a heavy tail."""
        return self.mean / self.typical

    def as_dict(self) -> dict[str, Any]:
        """Plain-JSON form (floats and lists)."""
        return {
            "n": self.n,
            "mean": self.mean,
            "mean_ci": list(self.mean_ci),
            "stderr": self.stderr,
            "median": self.median,
            "median_ci": list(self.median_ci),
            "typical": self.typical,
            "typical_ci": list(self.typical_ci),
            "level": self.level,
        }


def robust_summary(
    values: Any,
    level: float = 0.95,
    n_resamples: int = DEFAULT_RESAMPLES,
    *,
    rng: Any = None,
) -> RobustSummary:
    """Mean, median and typical value of positive per-realization ``values`` with intervals.

    Parameters
    ----------
    values : array_like
        One positive number per realization (e.g. alpha(0) in units of
        e^2 a^2 / t per site).
    level : float
        Confidence level of the bootstrap intervals.
    n_resamples : int
        Bootstrap resamples.
    rng : None, int, SeedSequence or Generator
        Seed or generator of the resampling.
    """
    level = check_level(level)
    data = np.asarray(values, dtype=float)
    if data.ndim != 1 or data.size < 2:
        raise ValueError(f"values must be a 1D array of >= 2 realizations, got shape {data.shape}")
    typical(data)  # validates positivity before any resampling

    def statistic(sample: np.ndarray) -> np.ndarray:
        return np.array([sample.mean(), np.median(sample), typical(sample)])

    result = bootstrap(data, statistic, n_resamples, rng=rng)
    low, high = result.interval(level)
    mean, median, typ = (float(x) for x in result.estimate)
    return RobustSummary(
        n=int(data.size),
        mean=mean,
        mean_ci=(float(low[0]), float(high[0])),
        stderr=float(data.std(ddof=1) / np.sqrt(data.size)),
        median=median,
        median_ci=(float(low[1]), float(high[1])),
        typical=typ,
        typical_ci=(float(low[2]), float(high[2])),
        level=level,
    )
