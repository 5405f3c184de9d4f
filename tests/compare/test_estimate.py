"""Estimates with intervals: Gaussian intervals and log-space ratio propagation."""

from __future__ import annotations

import math

import numpy as np
import pytest

from compare.estimate import Estimate

#: Closed-form comparisons in floating point.
EXACT = 1e-12


def test_from_stderr_is_the_gaussian_interval() -> None:
    estimate = Estimate.from_stderr(10.0, 1.0, level=0.95)
    assert estimate.low == pytest.approx(10.0 - 1.959963984540054, rel=EXACT)
    assert estimate.high == pytest.approx(10.0 + 1.959963984540054, rel=EXACT)
    assert estimate.contains(11.9) and not estimate.contains(12.0)


def test_ratio_of_exact_numbers_is_exact() -> None:
    ratio = Estimate.exact(6.0).ratio(Estimate.exact(3.0))
    assert (ratio.value, ratio.low, ratio.high) == (2.0, 2.0, 2.0)


def test_ratio_adds_log_variances() -> None:
    """Intervals e^(+-z s) around each value: the ratio's is e^(+-z sqrt(s1^2 + s2^2))."""
    z = 1.959963984540054
    a = Estimate(4.0, 4.0 * math.exp(-z * 0.3), 4.0 * math.exp(z * 0.3))
    b = Estimate(2.0, 2.0 * math.exp(-z * 0.4), 2.0 * math.exp(z * 0.4))
    ratio = a.ratio(b)
    assert ratio.value == 2.0
    assert ratio.log_sigma == pytest.approx(0.5, rel=1e-12)
    assert ratio.high == pytest.approx(2.0 * math.exp(z * 0.5), rel=EXACT)


def test_ratio_covers_in_monte_carlo() -> None:
    """Lognormal a and b: the propagated 95 % interval of a/b holds 95 % of draws."""
    rng = np.random.default_rng(42)
    a = Estimate(3.0, 3.0 * math.exp(-1.96 * 0.2), 3.0 * math.exp(1.96 * 0.2))
    b = Estimate(1.5, 1.5 * math.exp(-1.96 * 0.1), 1.5 * math.exp(1.96 * 0.1))
    ratio = a.ratio(b)
    draws = (
        3.0
        * np.exp(0.2 * rng.standard_normal(100000))
        / (1.5 * np.exp(0.1 * rng.standard_normal(100000)))
    )
    inside = np.mean((draws >= ratio.low) & (draws <= ratio.high))
    # 1e5 draws: binomial sd 0.07 %; 0.5 % is > 7 sd.
    assert inside == pytest.approx(0.95, abs=0.005)


def test_unbounded_ratio_when_interval_reaches_zero() -> None:
    ratio = Estimate(1.0, 0.0, 2.0).ratio(Estimate.exact(1.0))
    assert ratio.high == math.inf


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: Estimate(1.0, 2.0, 3.0), "must contain"),
        (lambda: Estimate(float("nan"), 0.0, 1.0), "value"),
        (lambda: Estimate(1.0, float("nan"), 1.0), "must contain"),
        (lambda: Estimate.from_stderr(1.0, -1.0), "stderr"),
        (lambda: Estimate.exact(-1.0).ratio(Estimate.exact(1.0)), "positive"),
        (lambda: Estimate(1.0, 0.5, 2.0, level=1.0), "level"),
    ],
)
def test_bad_input(call, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()
