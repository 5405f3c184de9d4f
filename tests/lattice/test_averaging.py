"""Disorder averaging: indices, statistics, raw values kept."""

import pickle

import numpy as np
import pytest

from lattice.models.averaging import DisorderAverage, disorder_average, realization_indices


def test_int_and_sequence_realizations() -> None:
    np.testing.assert_array_equal(realization_indices(3), [0, 1, 2])
    np.testing.assert_array_equal(realization_indices([5, 2]), [5, 2])


@pytest.mark.parametrize("bad", [0, -2, [], [1, 1], [-1], [0.5], True])
def test_bad_realizations_are_rejected(bad) -> None:
    with pytest.raises(ValueError, match="realizations"):
        realization_indices(bad)


def test_statistics_match_numpy() -> None:
    rng = np.random.default_rng(1757937293955503)
    table = rng.lognormal(size=(7, 3))
    result = disorder_average(lambda i: table[i], [6, 0, 3], axes={"omega": np.arange(3.0)})
    np.testing.assert_array_equal(result.values, table[[6, 0, 3]])
    np.testing.assert_allclose(result.mean, table[[6, 0, 3]].mean(axis=0), rtol=1e-15)
    np.testing.assert_allclose(
        result.stderr, table[[6, 0, 3]].std(axis=0, ddof=1) / np.sqrt(3), rtol=1e-15
    )
    np.testing.assert_allclose(
        result.typical, np.exp(np.log(table[[6, 0, 3]]).mean(axis=0)), rtol=1e-14
    )
    np.testing.assert_array_equal(result.omega, np.arange(3.0))
    with pytest.raises(AttributeError):
        _ = result.q


def test_single_realization_and_non_positive_typical() -> None:
    result = DisorderAverage(values=np.array([[1.0, -2.0]]), realizations=np.array([0]))
    assert np.all(np.isnan(result.stderr))
    assert result.typical[0] == 1.0 and np.isnan(result.typical[1])


def test_result_pickles_for_process_executors() -> None:
    result = disorder_average(lambda i: np.full(2, i + 1.0), 3, axes={"omega": np.ones(2)})
    copy = pickle.loads(pickle.dumps(result))
    np.testing.assert_array_equal(copy.values, result.values)
    np.testing.assert_array_equal(copy.omega, result.omega)
