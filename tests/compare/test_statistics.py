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


def _samples(kind: str, index: float, n: int, rng: np.random.Generator) -> tuple:
    """Positive samples with a power tail of ``index`` and their exact mean.

    pareto: P(x > t) = t^-a (t >= 1); lomax: shifted Pareto II (second-order tail
    corrections, a bias for Hill); sum8: the mean of 8 Pareto values (a bulk
    like a chain of 8 independent segments, the same tail index); lnmix: 80 %
    log-normal (sigma 0.7) and 20 % Pareto scaled by 2 (a log-normal-like body).
    """
    if kind == "pareto":
        return rng.random(n) ** (-1 / index), index / (index - 1)
    if kind == "lomax":
        return rng.random(n) ** (-1 / index) - 0.5, 1 / (index - 1) + 0.5
    if kind == "sum8":
        return (rng.random((n, 8)) ** (-1 / index)).mean(axis=1), index / (index - 1)
    mixed = rng.random(n) < 0.2
    x = rng.lognormal(0.0, 0.7, n)
    x[mixed] = 2 * rng.random(int(mixed.sum())) ** (-1 / index)
    return x, 0.8 * math.exp(0.245) + 0.4 * index / (index - 1)


def _heavy_tail_coverage(kind: str, index: float, n: int, trials: int, seed: int) -> tuple:
    rng = np.random.default_rng(seed)
    accepted = hits = 0
    for _ in range(trials):
        sample, mean = _samples(kind, index, n, rng)
        result = statistics.heavy_tail_mean(sample)
        if result.estimable:
            accepted += 1
            hits += result.low <= mean <= result.high
    return accepted, hits


#: Nominal 95 %; asserted >= 90 % among the samples whose tail-index interval excludes 1
#: (400 trials: a binomial standard error of 1.1 %, so 90 % is > 4 standard errors
#: below nominal). Measured (n = 300 and 600, 400-1000 trials): 95-100 % for every
#: family and index 1.2-5 (the union over the tail-index range is conservative).
HEAVY_TAIL_MIN_COVERAGE = 0.90


def test_heavy_tail_mean_covers_fast() -> None:
    """The default run's small version: two families, index 1.5 and 3, n = 300."""
    for kind, index in (("pareto", 1.5), ("lnmix", 3.0)):
        accepted, hits = _heavy_tail_coverage(kind, index, 300, 100, seed=5)
        assert accepted >= 25
        assert hits / accepted >= HEAVY_TAIL_MIN_COVERAGE


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["pareto", "lomax", "sum8", "lnmix"])
@pytest.mark.parametrize("index", [1.2, 1.5, 2.0, 3.0, 5.0])
def test_heavy_tail_mean_covers(kind: str, index: float) -> None:
    """Coverage of the interval of the mean, tail index 1.2-5, n = 300 and 600."""
    for n in (300, 600):
        accepted, hits = _heavy_tail_coverage(kind, index, n, COVERAGE_TRIALS, seed=6)
        if index >= 1.5 or kind == "sum8":
            assert accepted >= COVERAGE_TRIALS // 10  # the rule does not refuse everything
        if accepted >= 20:
            assert hits / accepted >= HEAVY_TAIL_MIN_COVERAGE


def test_heavy_tail_mean_refuses_an_infinite_mean() -> None:
    """Pareto index 0.8 (no finite mean): the tail-index interval includes 1 almost always."""
    rng = np.random.default_rng(8)
    refused = sum(
        not statistics.heavy_tail_mean(_pareto(rng, 0.8, 600)).estimable for _ in range(200)
    )
    assert refused >= 195
    result = statistics.heavy_tail_mean(_pareto(rng, 0.8, 600))
    assert math.isnan(result.low) and "exclude 1" in result.reason


def test_heavy_tail_mean_is_peng_estimator() -> None:
    """The estimate is the trimmed sum plus (k/n) u a/(a-1), a from Hill on the top k."""
    rng = np.random.default_rng(9)
    sample = _pareto(rng, 3.0, 500)
    result = statistics.heavy_tail_mean(sample)
    data = np.sort(sample)
    k, u = 50, data[-51]
    index = k / np.sum(np.log(data[-50:] / u))
    expected = data[:-50].sum() / 500 + k / 500 * u * index / (index - 1)
    assert (result.k, result.threshold) == (k, u)
    assert result.tail_index == pytest.approx(index, rel=1e-13)
    assert result.mean == pytest.approx(expected, rel=1e-13)
    assert result.low < result.mean < result.high
    with pytest.raises(ValueError, match="heavy-tail mean needs"):
        statistics.heavy_tail_mean(sample[:50])
