"""The realization-covariance test of smooth deviations (compare.smooth_deviation):
its size under strongly correlated noise and its power against curvature."""

import numpy as np
import pytest

from compare.smooth_deviation import smooth_deviation_test

#: Frequencies and realizations of a study-2d-wl window: 21 points, 16 realizations.
POINTS, REALIZATIONS = 21, 16
X = np.log(np.geomspace(0.005, 0.05, POINTS))
TRIALS = 2000


def _correlated_noise(rng, rho=0.9):
    """AR(1) noise along the frequency axis (neighbour correlation rho, as measured in
    the study: 0.82-0.91), unit variance, one row per realization."""
    noise = np.empty((REALIZATIONS, POINTS))
    noise[:, 0] = rng.normal(size=REALIZATIONS)
    for j in range(1, POINTS):
        noise[:, j] = rho * noise[:, j - 1] + np.sqrt(1 - rho**2) * rng.normal(size=REALIZATIONS)
    return noise


def test_size_under_correlated_noise_and_a_line():
    """A line in x (any offset and slope per realization) plus correlated noise: p < 0.01
    in 1 % of trials (binomial 99.9 % band for 2000 trials: 0.3-2.0 %)."""
    rng = np.random.default_rng(20261201)
    rejected = 0
    for _ in range(TRIALS):
        line = rng.normal(size=(REALIZATIONS, 1)) + rng.normal(size=(REALIZATIONS, 1)) * X
        rejected += smooth_deviation_test(X, line + _correlated_noise(rng)).p_value < 0.01
    assert 0.003 <= rejected / TRIALS <= 0.020


def test_power_against_curvature():
    """A common curvature of 1.5 noise units across the window is found in >= 90 % of
    trials; a tenth of it in few."""
    rng = np.random.default_rng(7)
    u = 2 * (X - X.min()) / (X.max() - X.min()) - 1
    for amplitude, low, high in ((1.5, 0.9, 1.0), (0.15, 0.0, 0.1)):
        found = [
            smooth_deviation_test(X, amplitude * u**2 + _correlated_noise(rng)).p_value < 0.01
            for _ in range(200)
        ]
        assert low <= np.mean(found) <= high


def test_too_few_realizations_or_points_are_refused():
    with pytest.raises(ValueError, match="realizations"):
        smooth_deviation_test(X, np.zeros((2, POINTS)))
    with pytest.raises(ValueError, match="distinct x"):
        smooth_deviation_test(X[:3], np.zeros((5, 3)))
    with pytest.raises(ValueError, match="degree"):
        smooth_deviation_test(X, np.zeros((5, POINTS)), degree=1)


#: The 1D Mott windows of ``study-1d-mott``: 100 realizations, about 20 frequencies.
MOTT_REALIZATIONS = 100


def _heavy_tailed_noise(rng, rho=0.9):
    """Correlated noise whose amplitude per realization is heavy-tailed (|Student t| with
    3 degrees of freedom: tail index 3, finite variance, as the heavy-tail rule requires
    of the 1D Re sigma at small w), MOTT_REALIZATIONS rows."""
    noise = np.empty((MOTT_REALIZATIONS, POINTS))
    noise[:, 0] = rng.normal(size=MOTT_REALIZATIONS)
    for j in range(1, POINTS):
        step = rng.normal(size=MOTT_REALIZATIONS)
        noise[:, j] = rho * noise[:, j - 1] + np.sqrt(1 - rho**2) * step
    return noise * np.abs(rng.standard_t(3, size=(MOTT_REALIZATIONS, 1)))


def test_constant_ratio_size_under_heavy_tailed_correlated_noise():
    """lowest = 1 (is data/model constant?): a random scale per realization plus
    correlated noise with heavy-tailed amplitudes rejects in at most ~1 % of trials
    (Hotelling is conservative under heavy tails: 0.75 % measured in 2,000 trials)."""
    rng = np.random.default_rng(20261202)
    rejected = 0
    for _ in range(TRIALS):
        ratio = 3.0 + rng.normal(size=(MOTT_REALIZATIONS, 1)) + _heavy_tailed_noise(rng)
        rejected += smooth_deviation_test(X, ratio, lowest=1).p_value < 0.01
    assert rejected / TRIALS <= 0.020


def test_constant_ratio_power_against_a_tilt():
    """A tilt of the ratio by 0.6 noise units across the window (a line, which lowest = 2
    would absorb) is found with lowest = 1 in >= 90 % of trials, and not with lowest = 2."""
    rng = np.random.default_rng(11)
    u = 2 * (X - X.min()) / (X.max() - X.min()) - 1
    found_1, found_2 = [], []
    for _ in range(200):
        ratio = 3.0 + 0.6 * u + _heavy_tailed_noise(rng)
        found_1.append(smooth_deviation_test(X, ratio, lowest=1).p_value < 0.01)
        found_2.append(smooth_deviation_test(X, ratio, lowest=2).p_value < 0.01)
    assert np.mean(found_1) >= 0.9
    assert np.mean(found_2) <= 0.05


def test_lowest_is_checked_and_described():
    result = smooth_deviation_test(X, np.random.default_rng(1).normal(size=(12, POINTS)), lowest=1)
    assert result.terms == 3 and result.lowest == 1 and "P_1..P_3" in result.describe()
    with pytest.raises(ValueError, match="lowest"):
        smooth_deviation_test(X, np.zeros((12, POINTS)), lowest=0)
