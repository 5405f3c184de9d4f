r"""A positive measured quantity with a confidence interval, and ratios of such.

Every number the comparison layer reports carries an interval. Lengths,
polarizabilities and conductivity coefficients are positive and often
broadly distributed, so intervals are asymmetric; ratios are propagated in
log space,

.. math:: \sigma_{\ln(a/b)}^2 = \sigma_{\ln a}^2 + \sigma_{\ln b}^2, \qquad
          \sigma_{\ln a} = \frac{\ln a_\mathrm{high} - \ln a_\mathrm{low}}{2 z},

with z the Gaussian quantile of the confidence level, treating the two
estimates as independent (they come from different data sets or routes).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from scipy import stats

from ._checks import check_level, check_real

__all__ = ["Estimate"]


@dataclass(frozen=True)
class Estimate:
    """A value with a confidence interval ``(low, high)`` at ``level``.

    Attributes
    ----------
    value : float
        Central estimate (units stated by whoever made it).
    low, high : float
        Interval bounds (``high`` may be inf for an unbounded ratio);
        ``low == high == value`` for an exact number.
    level : float
        Confidence level of the interval.
    """

    value: float
    low: float
    high: float
    level: float = 0.95

    def __post_init__(self) -> None:
        for name in ("value", "low", "high", "level"):
            object.__setattr__(self, name, float(getattr(self, name)))
        check_real("value", self.value)
        check_level(self.level)
        if not self.low <= self.value <= self.high:  # also rejects NaN bounds
            raise ValueError(
                f"interval ({self.low!r}, {self.high!r}) must contain value {self.value!r}"
            )

    @classmethod
    def exact(cls, value: float) -> Estimate:
        """An exact number (a closed form or a theory value): zero-width interval."""
        value = check_real("value", value)
        return cls(value, value, value)

    @classmethod
    def from_stderr(cls, value: float, stderr: float, level: float = 0.95) -> Estimate:
        """Symmetric Gaussian interval ``value +- z stderr``."""
        z = float(stats.norm.isf(0.5 * (1 - check_level(level))))
        error = check_real("stderr", stderr)
        if error < 0:
            raise ValueError(f"stderr must be >= 0, got {stderr!r}")
        return cls(value, value - z * error, value + z * error, level)

    @property
    def z(self) -> float:
        """Gaussian quantile of ``level``."""
        return float(stats.norm.isf(0.5 * (1 - self.level)))

    @property
    def log_sigma(self) -> float:
        """Standard deviation of ln(value) implied by the interval (positive quantities)."""
        if self.value <= 0:
            raise ValueError(f"log_sigma needs a positive value, got {self.value!r}")
        if self.low <= 0:
            return math.inf
        return (math.log(self.high) - math.log(self.low)) / (2 * self.z)

    def ratio(self, other: Estimate) -> Estimate:
        """``self / other`` with the interval propagated in log space (independent errors)."""
        if self.value <= 0 or other.value <= 0:
            raise ValueError(f"ratio needs positive values, got {self.value!r} / {other.value!r}")
        value = self.value / other.value
        sigma = math.hypot(self.log_sigma, other.log_sigma)
        if math.isinf(sigma):
            return Estimate(value, 0.0, math.inf, self.level)
        return Estimate(
            value, value * math.exp(-self.z * sigma), value * math.exp(self.z * sigma), self.level
        )

    def contains(self, target: float) -> bool:
        """True if ``target`` lies inside the interval."""
        return self.low <= target <= self.high

    def as_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {"value": self.value, "low": self.low, "high": self.high, "level": self.level}

    def __str__(self) -> str:
        if self.low == self.high:
            return f"{self.value:.4g}"
        return f"{self.value:.4g} [{self.low:.4g}, {self.high:.4g}]"
