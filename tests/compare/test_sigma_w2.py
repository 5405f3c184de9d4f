"""The conductivity claim's figures: captions name only what is drawn; the window sensitivity.

Small 2D analyses (one 24 x 24 lattice per W, 40 synthetic realizations): at W = 8
the data are an exact A w^2 law with 10 % noise (every window's fit passes its
chi^2), at W = 10 they follow the Eq. (42) curve, which is not a w^2 law over the
window (every fit is rejected).
"""

from __future__ import annotations

import numpy as np
import pytest

from compare.analysis import analyze
from compare.claims import evaluate, sigma_w2
from compare.claims._common import fit_accepted
from compare.figure_check import figure_problems
from compare.records import ArchiveRecord, ConductivityRecord, LatticeParameters, PointRecord
from compare.report import report_blocks, tables_json
from compare.style import RC
from theory.eq42 import solve_eq42
from theory.mapping import map_lattice
from theory.observables import conductivity

E_F = -1.0
OMEGA = np.geomspace(0.02, 3.0, 60)
#: Coefficient of the exact w^2 data (e^2 hbar/t^2 per site).
A_EXACT = 1.5


def _point(disorder: float, exact_law: bool, rng: np.random.Generator) -> PointRecord:
    if exact_law:
        sigma = A_EXACT * OMEGA**2
    else:
        mapping = map_lattice(2, disorder, E_F)
        sigma = conductivity(solve_eq42(mapping.parameters, OMEGA)).real
    values = sigma * (1 + 0.1 * rng.standard_normal((40, OMEGA.size)))
    return PointRecord(
        f"dim2_L24x24_W{disorder!r}_EF{E_F!r}_flux0.0",
        LatticeParameters(2, (24, 24), disorder, E_F),
        ConductivityRecord(OMEGA, values, 0.02),
    )


@pytest.fixture(scope="module")
def analysis():
    rng = np.random.default_rng(20261130)
    points = (_point(8.0, True, rng), _point(10.0, False, rng))
    return analyze([ArchiveRecord(seed=3, config="", provenance=(), points=points)])


@pytest.fixture(scope="module")
def evaluation(analysis):
    return evaluate(analysis)


def _plots(evaluation) -> list:
    (claim,) = [c for c in evaluation.claims if c.title == sigma_w2.TITLE]
    return claim.plots


def test_2d_only_captions_name_no_1d_line(evaluation) -> None:
    conductivity_plot, sensitivity_plot = _plots(evaluation)
    for plot in (conductivity_plot, sensitivity_plot):
        assert "Berezinskii" not in plot.caption and "1D" not in plot.caption
        assert figure_problems(plot.figure, plot.caption, RC) == [], plot.name
    assert "solid: Eq. (42)" in conductivity_plot.caption


def test_sensitivity_figure_draws_every_window(analysis, evaluation) -> None:
    """Each sensitivity row once: x bars reach the window's edges, y bars its interval;
    filled (accepted) exactly where the fit passes its own chi^2."""
    (plot,) = [p for p in _plots(evaluation) if p.name == "window_sensitivity"]
    (curves,) = plot.panels.values()
    for point in analysis.points:
        rows = point.conductivity.sensitivity
        drawn = [c for c in curves if c.group == point.disorder]
        assert sum(len(c.x) for c in drawn) == len(rows) >= 4
        for curve in drawn:
            chosen = [r for r in rows if fit_accepted(r["A_chi2"], r["A_dof"]) == curve.accepted]
            low, high = np.array([r["window"] for r in chosen]).T
            np.testing.assert_allclose(curve.x - curve.xerr[0], low)
            np.testing.assert_allclose(curve.x + curve.xerr[1], high)
            np.testing.assert_allclose(
                curve.y + curve.yerr[1], [r["A_interval"][1] for r in chosen]
            )
    exact = [c for c in curves if c.group == 8.0]
    assert [c.accepted for c in exact] == [True]  # the exact w^2 law passes in every window
    assert all(c.y == pytest.approx(A_EXACT, rel=0.1) for c in exact)
    assert [c.accepted for c in curves if c.group == 10.0] == [False]
    axes = plot.figure.axes[0]
    faces = {
        line.get_markerfacecolor() for line in axes.get_lines() if line.get_gid() == "estimate"
    }
    assert len(faces) == 2 and "white" in faces  # filled and open markers
    assert figure_problems(plot.figure, plot.caption, RC) == []


def test_report_shows_the_extreme_windows_and_the_json_all(analysis, evaluation) -> None:
    blocks = report_blocks(analysis, evaluation)
    header = "best by AIC"
    shown = [b for b in blocks if b.kind == "table" and header in b.content[0]]
    (full,) = [
        t for tables in tables_json(evaluation).values() for t in tables if header in t["headers"]
    ]
    total = sum(len(p.conductivity.sensitivity) for p in analysis.points)
    assert len(full["rows"]) == total
    assert len(shown) == 1 and len(shown[0].content[1]) == 2 * len(analysis.points) < total
    assert any(b.kind == "figure" and b.content[0] == "window_sensitivity" for b in blocks)
