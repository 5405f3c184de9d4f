"""The stated weak-disorder limits: lambda <= 1 and, on a lattice, l >= 1 lattice constant."""

from __future__ import annotations

from theory.mapping import map_lattice
from theory.parameters import TheoryParameters
from theory.regime import MAX_COUPLING, WARNING_MEAN_FREE_PATH, regime_violations


def test_weak_disorder_is_inside() -> None:
    assert regime_violations(TheoryParameters.from_lambda(2, 0.1)) == []
    # W = 1 on the square lattice at E = -1: l ~ 30 lattice constants
    assert regime_violations(map_lattice(2, 1.0, -1.0).parameters, lattice=True) == []


def test_limits_are_inclusive_and_each_named() -> None:
    at_limit = TheoryParameters.from_lambda(1, MAX_COUPLING)
    assert regime_violations(at_limit) == []
    beyond = regime_violations(TheoryParameters.from_lambda(1, 2.0 * MAX_COUPLING))
    assert beyond == ["lambda = 2 > 1"]


def test_strong_lattice_disorder_breaks_both() -> None:
    params = map_lattice(2, 1e6, -1.0).parameters
    assert params.mean_free_path < WARNING_MEAN_FREE_PATH and params.coupling > MAX_COUPLING
    problems = regime_violations(params, lattice=True)
    assert [text.split(" =")[0] for text in problems] == ["lambda", "l"]
    # the continuum mode has no lattice constant: only lambda is judged
    assert len(regime_violations(params, lattice=False)) == 1
