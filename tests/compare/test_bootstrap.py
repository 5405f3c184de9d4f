"""The bootstrap over realizations: standard errors, intervals, reproducibility."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from compare import bootstrap


def test_bootstrap_standard_error_of_the_mean() -> None:
    """The bootstrap SE of a mean equals s / sqrt(n) up to sqrt((n-1)/n) and resampling noise."""
    rng = np.random.default_rng(11)
    data = rng.standard_normal(400)
    result = bootstrap.bootstrap(data, np.mean, 4000, rng=rng)
    expected = data.std(ddof=1) / math.sqrt(data.size)
    # 4000 resamples resolve a standard deviation to ~1.1 %; 5 % is > 4 of those.
    assert float(result.stderr) == pytest.approx(expected, rel=0.05)
    low, high = result.interval(0.95)
    assert low < data.mean() < high


def test_resampling_is_reproducible_from_the_seed() -> None:
    first = bootstrap.resample_indices(10, 50, rng=123)
    second = bootstrap.resample_indices(10, 50, rng=np.random.default_rng(123))
    np.testing.assert_array_equal(first, second)
    assert first.shape == (50, 10)
    assert first.min() >= 0 and first.max() <= 9


def test_expanded_interval_uses_student_quantiles() -> None:
    """For n = 5 the expanded tail is Phi(-sqrt(5/4) t_4(0.975)), far below 2.5 %."""
    samples = np.random.default_rng(3).standard_normal(200000)
    plain = bootstrap.percentile_interval(samples, 0.95)
    expanded = bootstrap.percentile_interval(samples, 0.95, n=5)
    factor = math.sqrt(5 / 4) * stats.t.ppf(0.975, 4)
    # 2e5 normal samples resolve these quantiles to ~1 %.
    assert plain[1] == pytest.approx(stats.norm.ppf(0.975), rel=0.01)
    assert expanded[1] == pytest.approx(factor, rel=0.01)
    assert expanded[0] == pytest.approx(-factor, rel=0.01)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: bootstrap.resample_indices(1), "n must"),
        (lambda: bootstrap.resample_indices(5, 0), "n_resamples"),
        (lambda: bootstrap.percentile_interval([1.0, 2.0], level=1.5), "level"),
        (lambda: bootstrap.percentile_interval([1.0, 2.0], n=1), "n must"),
        (lambda: bootstrap.bootstrap(3.0, np.mean), "realization axis"),
    ],
)
def test_bad_input(call, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()
