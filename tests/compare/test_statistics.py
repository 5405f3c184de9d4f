"""Robust statistics against closed forms of known distributions."""

from __future__ import annotations

import math

import numpy as np
import pytest

from compare import statistics

#: Acceptance for sample estimates of n = 20000 lognormal draws (sigma_ln = 1):
#: the relative standard error of the median is ~1.25 sigma_ln / sqrt(n) ~ 0.9 %;
#: 4 % is > 4 standard errors.
LOGNORMAL_TOL = 0.04


def test_typical_is_the_geometric_mean() -> None:
    assert statistics.typical([1.0, 4.0, 16.0]) == pytest.approx(4.0, rel=1e-14)
    with pytest.raises(ValueError, match="positive"):
        statistics.typical([1.0, 0.0])
    with pytest.raises(ValueError, match="positive"):
        statistics.typical([1.0, np.nan])


def test_lognormal_location_estimates() -> None:
    """For ln x ~ N(mu, s^2): median = typical = e^mu, mean = e^(mu + s^2/2)."""
    rng = np.random.default_rng(2718)
    mu, s = 0.5, 1.0
    values = np.exp(mu + s * rng.standard_normal(20000))
    summary = statistics.robust_summary(values, n_resamples=200, rng=rng)
    assert summary.median == pytest.approx(math.exp(mu), rel=LOGNORMAL_TOL)
    assert summary.typical == pytest.approx(math.exp(mu), rel=LOGNORMAL_TOL)
    assert summary.mean == pytest.approx(math.exp(mu + s**2 / 2), rel=LOGNORMAL_TOL)
    assert summary.mean_over_typical == pytest.approx(math.exp(s**2 / 2), rel=2 * LOGNORMAL_TOL)
    for low, estimate, high in (
        (*summary.mean_ci[:1], summary.mean, summary.mean_ci[1]),
        (summary.median_ci[0], summary.median, summary.median_ci[1]),
        (summary.typical_ci[0], summary.typical, summary.typical_ci[1]),
    ):
        assert low < estimate < high


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: statistics.robust_summary([1.0]), "values must"),
        (lambda: statistics.robust_summary([1.0, -2.0]), "positive"),
    ],
)
def test_bad_input(call, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()
