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

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats

from ._checks import check_level
from .bootstrap import DEFAULT_RESAMPLES, bootstrap

__all__ = [
    "RobustSummary",
    "TailIndex",
    "hill_tail_index",
    "median_interval",
    "robust_summary",
    "typical",
    "typical_interval",
]


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


@dataclass(frozen=True)
class TailIndex:
    """Hill estimate of the power-law tail P(x > t) ~ t^(-a) of a positive sample.

    Attributes
    ----------
    index : float
        a; the mean is finite for a > 1, its variance for a > 2.
    low, high : float
        Asymptotic interval a (1 -+ z/sqrt(k)) at ``level``.
    k : int
        Upper order statistics used.
    level : float
    """

    index: float
    low: float
    high: float
    k: int
    level: float

    @property
    def finite_variance(self) -> bool:
        """True if the interval lies above 2 (the mean then has a Gaussian limit)."""
        return self.low > 2.0


def hill_tail_index(values: Any, k: int | None = None, level: float = 0.95) -> TailIndex:
    r"""Hill estimator :math:`\hat a = k / \sum_{i<k} \ln(x_{(i)}/x_{(k)})` of the upper tail.

    Parameters
    ----------
    values : array_like
        Positive sample (>= 10 values).
    k : int, optional
        Upper order statistics used; default ``max(5, round(sqrt(n)))``, a
        standard compromise between bias (large k) and variance (small k).
    level : float
        Level of the asymptotic interval (Hill's estimator is asymptotically
        normal with relative standard deviation 1/sqrt(k)).
    """
    level = check_level(level)
    data = np.sort(np.asarray(values, dtype=float).ravel())[::-1]
    if data.size < 10 or np.any(~(data > 0)):
        raise ValueError(f"Hill estimator needs >= 10 positive values, got {data.size}")
    if k is None:
        k = max(5, int(round(math.sqrt(data.size))))
    if not 2 <= k < data.size:
        raise ValueError(f"k must be in [2, {data.size - 1}], got {k}")
    index = float(k / np.sum(np.log(data[:k] / data[k])))
    z = float(stats.norm.isf(0.5 * (1 - level)))
    return TailIndex(
        index, index * max(1 - z / math.sqrt(k), 0.0), index * (1 + z / math.sqrt(k)), k, level
    )


def median_interval(values: Any, level: float = 0.95) -> tuple[float, float]:
    """Distribution-free interval of the median from order statistics.

    The number of sample values below the true median is Binomial(n, 1/2),
    so ``(x_(j), x_(n+1-j))`` with the largest j whose coverage
    ``1 - 2 P(B < j)`` stays >= ``level`` covers the median with at least
    that probability for any continuous distribution, heavy-tailed or not.
    """
    level = check_level(level)
    data = np.sort(np.asarray(values, dtype=float).ravel())
    n = data.size
    if n < 6:
        raise ValueError(f"a distribution-free 95 % median interval needs >= 6 values, got {n}")
    # P(B <= j - 1) for B ~ Bin(n, 1/2); coverage of (x_(j), x_(n+1-j)) is 1 - 2 P(B <= j-1).
    j = int(stats.binom.ppf(0.5 * (1 - level), n, 0.5))
    while j >= 1 and 1 - 2 * stats.binom.cdf(j - 1, n, 0.5) < level:
        j -= 1
    j = max(j, 1)
    return float(data[j - 1]), float(data[n - j])


def typical_interval(values: Any, level: float = 0.95) -> tuple[float, float]:
    r"""Student-t interval of the typical value :math:`\exp\langle\ln x\rangle`.

    ln x of a power-law tail is light-tailed (exponential), so the t interval
    of its mean is honest where the bootstrap of the mean of x is not.
    """
    level = check_level(level)
    logs = np.log(np.asarray(values, dtype=float).ravel())
    n = logs.size
    if n < 2:
        raise ValueError(f"need >= 2 values, got {n}")
    half = float(stats.t.isf(0.5 * (1 - level), n - 1)) * logs.std(ddof=1) / math.sqrt(n)
    return float(np.exp(logs.mean() - half)), float(np.exp(logs.mean() + half))
