"""Seeding (DESIGN.md section 3) and disorder distributions."""

import numpy as np
import pytest

from lattice.models.disorder import disorder_variance, sample_disorder
from lattice.models.seeding import STREAMS, realization_rng, realization_seed


def test_realization_stream_is_child_of_realization_seed() -> None:
    children = realization_seed(7, 3).spawn(len(STREAMS))
    for stream in STREAMS:
        expected = np.random.default_rng(children[stream]).random(5)
        np.testing.assert_array_equal(realization_rng(7, 3, stream).random(5), expected)


def test_streams_and_realizations_differ() -> None:
    draws = {
        (i, s): realization_rng(11, i, s).random(4).tobytes() for i in range(3) for s in STREAMS
    }
    assert len(set(draws.values())) == len(draws)


@pytest.mark.parametrize("bad", [-1, 1.5, True, "3"])
def test_bad_seed_is_rejected(bad) -> None:
    with pytest.raises(ValueError, match="seed|realization"):
        realization_rng(bad, 0)
    with pytest.raises(ValueError, match="realization"):
        realization_rng(0, bad)


@pytest.mark.parametrize("kind", ["box", "gaussian"])
def test_disorder_variance_is_w2_over_12(kind: str) -> None:
    """Sample variance of 2e6 draws within 5 standard errors of W^2/12."""
    rng = np.random.default_rng(20261125)
    width = 3.0
    eps = sample_disorder(kind, width, 2_000_000, rng)
    variance = disorder_variance(kind, width)
    assert variance == pytest.approx(0.75)
    kurtosis = 1.8 if kind == "box" else 3.0  # <eps^4>/<eps^2>^2
    stderr = variance * np.sqrt((kurtosis - 1.0) / eps.size)
    assert abs(eps.var() - variance) < 5 * stderr
    assert abs(eps.mean()) < 5 * np.sqrt(variance / eps.size)
    if kind == "box":
        assert eps.min() >= -width / 2 and eps.max() <= width / 2


@pytest.mark.parametrize(
    ("kind", "value"), [("box", -1.0), ("gaussian", float("nan")), ("cauchy", 1.0)]
)
def test_bad_disorder_is_rejected(kind: str, value: float) -> None:
    with pytest.raises(ValueError, match="kind|disorder"):
        sample_disorder(kind, value, 3, np.random.default_rng(0))
