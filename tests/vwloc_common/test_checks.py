"""vwloc_common.checks: normalised values, and one ValueError naming the parameter."""

from __future__ import annotations

import math

import numpy as np
import pytest

from vwloc_common.checks import (
    check_array,
    check_choice,
    check_dimension,
    check_finite,
    check_grid,
    check_positive,
    check_positive_int,
    check_time_scale,
)


def test_values_are_normalised_to_python_and_float64() -> None:
    assert type(check_positive_int("n", np.int64(3))) is int
    assert type(check_finite("x", np.float32(0.5))) is float
    assert check_positive("eta", 0, allow_zero=True) == 0.0
    assert check_time_scale("tau_s", "inf") == math.inf
    assert check_dimension(np.int32(2)) == 2
    assert check_choice("kind", "box", ("box", "gaussian")) == "box"
    grid = check_grid("omega", [1, 2])
    assert grid.dtype == np.float64 and grid.shape == (2,)
    assert check_array("q", [[0.1, 0.2]]).shape == (1, 2)
    assert check_grid("omega", 0.5).shape == (1,)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: check_positive_int("L", True), "L must be an integer >= 1, got True"),
        (lambda: check_positive_int("seed", -1, minimum=0), "seed must be an integer >= 0"),
        (lambda: check_finite("energy", "x"), "energy must be a real number, got 'x'"),
        (lambda: check_finite("energy", math.nan), "energy must be finite, got nan"),
        (lambda: check_positive("eta", 0.0), "eta must be > 0, got 0.0"),
        (lambda: check_positive("T", -1, allow_zero=True), "T must be >= 0, got -1"),
        (lambda: check_time_scale("tau_s", 0.0), r"tau_s must be > 0 \(inf allowed\)"),
        (lambda: check_time_scale("tau_s", None), "tau_s must be a real number or inf"),
        (lambda: check_dimension(4), "dim must be 1, 2 or 3, got 4"),
        (lambda: check_dimension(True), "dim must be 1, 2 or 3, got True"),
        (lambda: check_choice("kind", "flat", ("box",)), r"kind must be one of \('box',\)"),
        (lambda: check_array("q", []), r"q must be non-empty, got shape \(0,\)"),
        (lambda: check_array("q", [1.0, math.inf]), "q must be finite"),
        (lambda: check_array("q", ["a"]), "q must be an array of real numbers"),
        (lambda: check_grid("omega", [[1.0, 2.0]]), r"omega must be a non-empty 1D array"),
    ],
)
def test_bad_input_is_one_value_error_naming_the_parameter(call, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()
