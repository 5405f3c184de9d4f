"""The 2D weak-localization rows: Eq. (42) data recover 1/(4 pi^2); small lattices wait for
the large-lattice engines."""

from __future__ import annotations

import math

import numpy as np
import pytest

from compare.analysis import analyze
from compare.claims import evaluate
from compare.claims.weak_localization import ENGINE_NOTE, window
from compare.records import ArchiveRecord, ConductivityRecord, LatticeParameters, PointRecord
from theory.asymptotics import WEAK_LOCALIZATION_SLOPE_2D
from theory.eq42 import solve_eq42
from theory.mapping import map_lattice
from theory.observables import conductivity

#: l = 7.6 at W = 2, E_F = -1 (Born regime); the window is set by D0 (2 pi/L)^2 and 1/(3 tau).
W, E_F, R, ETA = 2.0, -1.0, 20, 0.0005


def _record(sizes: tuple[int, ...]) -> ArchiveRecord:
    rng = np.random.default_rng(5)
    mapping = map_lattice(2, W, E_F)
    omega = np.geomspace(5e-4, 0.5, 50)
    sigma = conductivity(solve_eq42(mapping.parameters, omega)).real
    points = tuple(
        PointRecord(
            f"dim2_L{n}",
            LatticeParameters(2, (n, n), W, E_F),
            ConductivityRecord(
                omega, sigma * (1 + 0.02 * rng.standard_normal((R, omega.size))), ETA
            ),
        )
        for n in sizes
    )
    return ArchiveRecord(9, points=points)


def test_eq42_data_give_the_universal_slope() -> None:
    analysis = analyze([_record((1024, 2048, 4096))])
    (row,) = [r for r in evaluate(analysis).rows if r.kind == "wl_2d"]
    assert row.verdict == "agrees", row.summary_line()
    assert row.judged_against == "theory"
    # Eq. (42) on this window: the universal value up to O(lambda) = 2 % and the window's
    # approach to 1/tau.
    assert row.references["theory"].value == pytest.approx(WEAK_LOCALIZATION_SLOPE_2D, rel=0.15)
    assert row.ratio_to("exact").contains(
        row.references["theory"].value / WEAK_LOCALIZATION_SLOPE_2D
    )
    low, high = window(analysis.points[0])
    mapping = map_lattice(2, W, E_F)
    thouless = mapping.parameters.diffusion_constant * (2 * math.pi / 1024) ** 2
    assert low == pytest.approx(3 * max(ETA, thouless))
    assert high == pytest.approx(1 / (10 * mapping.tau))


def test_dense_sized_lattices_need_the_large_lattice_engine() -> None:
    analysis = analyze([_record((24, 32, 48))])
    (row,) = [r for r in evaluate(analysis).rows if r.kind == "wl_2d"]
    assert row.verdict == "not tested" and ENGINE_NOTE in row.reason
