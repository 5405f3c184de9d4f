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


# --- heavy tails: the interval methods' coverage on synthetic heavy-tailed samples ------------

#: Trials per coverage estimate: the binomial standard error of a 95 % coverage is 1.1 %.
COVERAGE_TRIALS = 400
#: Accepted coverage of a nominal 95 % interval (issue 11: ">= ~90 %"), 4 standard errors
#: below 95 % for an exact method.
MIN_COVERAGE = 0.90


def _pareto(rng: np.random.Generator, index: float, n: int) -> np.ndarray:
    """Pareto samples with P(x > t) = t^-index (t >= 1)."""
    return (1 - rng.random(n)) ** (-1 / index)


@pytest.mark.parametrize("n", [40, 200])
def test_median_interval_covers_on_heavy_tails(n: int) -> None:
    """Order-statistic interval: exact coverage for any tail (Pareto index 1: no mean)."""
    rng = np.random.default_rng(1)
    for draw, median in (
        (lambda: _pareto(rng, 1.0, n), 2.0),
        (lambda: np.exp(1.5 * rng.standard_normal(n)), 1.0),
    ):
        hits = 0
        for _ in range(COVERAGE_TRIALS):
            low, high = statistics.median_interval(draw())
            hits += low <= median <= high
        assert hits / COVERAGE_TRIALS >= MIN_COVERAGE


def test_typical_interval_covers_on_a_power_tail() -> None:
    """ln of a Pareto(1) sample is exponential: the t interval of <ln x> covers."""
    rng = np.random.default_rng(2)
    hits = 0
    for _ in range(COVERAGE_TRIALS):
        low, high = statistics.typical_interval(_pareto(rng, 1.0, 40))
        hits += low <= math.e <= high  # exp<ln x> = e for index 1
    assert hits / COVERAGE_TRIALS >= MIN_COVERAGE


def test_hill_estimator_recovers_the_tail_index() -> None:
    rng = np.random.default_rng(3)
    for index in (1.0, 2.0, 4.0):
        estimates = [statistics.hill_tail_index(_pareto(rng, index, 400)).index for _ in range(50)]
        assert np.median(estimates) == pytest.approx(index, rel=0.15)
    with pytest.raises(ValueError, match="Hill"):
        statistics.hill_tail_index([1.0, 2.0])


def test_mean_interval_rule_of_the_polarizability_claim() -> None:
    """The bootstrap mean interval is used only where it covers: n >= 200 and Hill index >= 5.

    Pareto index 6 at the sizes used: coverage >= 90 % on the samples the rule accepts
    (at index 4, n = 200 it was 88 %, hence the threshold 5);
    index 1.5 (no finite variance): the rule refuses almost every sample; at n = 40 the
    bootstrap would undercover (measured 82-89 % at index 3), hence the n threshold.
    """
    from compare.claims.polarizability import MIN_MEAN_SAMPLES, MIN_MEAN_TAIL

    rng = np.random.default_rng(4)
    for n in (MIN_MEAN_SAMPLES, 2 * MIN_MEAN_SAMPLES):
        accepted = hits = 0
        for _ in range(COVERAGE_TRIALS // 2):
            sample = _pareto(rng, 6.0, n)
            if statistics.hill_tail_index(sample).index < MIN_MEAN_TAIL:
                continue
            accepted += 1
            summary = statistics.robust_summary(sample, n_resamples=400, rng=rng)
            hits += summary.mean_ci[0] <= 6 / 5 <= summary.mean_ci[1]
        assert accepted >= COVERAGE_TRIALS // 4
        assert hits / accepted >= MIN_COVERAGE
    refused = sum(
        statistics.hill_tail_index(_pareto(rng, 1.5, MIN_MEAN_SAMPLES)).index < MIN_MEAN_TAIL
        for _ in range(COVERAGE_TRIALS)
    )
    assert refused / COVERAGE_TRIALS >= 0.95
