"""Figures: built without pyplot, labelled, and carrying exactly the data they draw."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest

from compare import figures
from compare.figures import Curve

W = np.geomspace(0.01, 1.0, 12)


def _drawn_y(plot: figures.Plot, panel: int = 0) -> list[np.ndarray]:
    """y data of the lines and error-bar markers drawn on one panel, in drawing order."""
    axes = plot.figure.axes[panel]
    return [np.asarray(line.get_ydata(), dtype=float) for line in axes.get_lines()]


def test_conductivity_figure_draws_its_data_and_labels() -> None:
    numerics = Curve("ED", W, 2.0 + W, yerr=0.1 * np.ones_like(W))
    theory = Curve("Eq. (42)", W, 2.0 + 0.5 * W, role="theory")
    plot = figures.conductivity_figure(
        {"d = 1": [numerics, theory], "d = 2": [numerics]}, "caption", {"seed": 7}
    )
    assert len(plot.figure.axes) == 2
    axes = plot.figure.axes[0]
    assert axes.get_xscale() == "log" and axes.get_yscale() == "log"
    assert "omega" in axes.get_xlabel() and "sigma" in axes.get_ylabel()
    drawn = _drawn_y(plot)
    assert any(np.array_equal(y, 2.0 + W) for y in drawn)
    assert any(np.array_equal(y, 2.0 + 0.5 * W) for y in drawn)
    data = json.loads(json.dumps(plot.data, allow_nan=False))
    assert data["metadata"] == {"seed": 7}
    assert data["panels"]["d = 1"][0]["y"] == pytest.approx((2.0 + W).tolist())
    assert data["panels"]["d = 1"][0]["yerr"] == pytest.approx([0.1] * W.size)


@pytest.mark.parametrize("fmt", ["pdf", "png"])
def test_figures_render(fmt: str) -> None:
    curve = Curve("c", W, W)
    for plot in (
        figures.xi_figure([curve], "cap"),
        figures.ln_xi_figure([curve, Curve("t", W, W, role="theory")], "cap"),
        figures.static_response_figure({"d = 1": [curve]}, "cap"),
        figures.kernel_figure({"d = 1": [curve], "d = 2": [curve], "d = 3": [curve]}, "cap"),
        figures.scaling_figure([curve], "cap"),
    ):
        buffer = io.BytesIO()
        plot.figure.savefig(buffer, format=fmt)
        assert buffer.tell() > 1000
        assert plot.figure.axes[0].get_xlabel()


def test_alpha_distribution_is_an_ecdf_with_markers_on_it() -> None:
    values = np.exp(np.random.default_rng(1).standard_normal(500))
    mean = values.mean()
    plot = figures.alpha_distribution_figure(
        {"d = 1": {2.0: values}}, {"d = 1": {2.0: {"mean": mean}}}, "cap", labels={2.0: "W=2"}
    )
    ecdf, marker = plot.panels["d = 1"]
    assert ecdf.role == "samples" and ecdf.label == "W=2 (500)"
    np.testing.assert_array_equal(ecdf.x, np.sort(values))
    assert ecdf.y[-1] == 1.0 and np.all(np.diff(ecdf.y) > 0)
    # the mean sits on the curve: its height is the fraction of samples <= mean
    assert marker.role == "mean" and marker.x == [mean]
    assert marker.y[0] == pytest.approx(np.mean(values <= mean))


def test_replot_draws_the_same_data() -> None:
    numerics = Curve("$W=1$", W, 2.0 + W, yerr=0.1 * np.ones_like(W), group=1.0)
    plot = figures.conductivity_figure({"d = 1": [numerics]}, "caption", {"seed": 7})
    again = figures.replot(json.loads(json.dumps(plot.data)))
    assert again.data == plot.data
    assert np.array_equal(_drawn_y(again)[0], 2.0 + W)


def test_non_finite_values_become_null() -> None:
    curve = Curve("c", [1.0, 2.0], [np.nan, 1.0])
    assert curve.as_dict()["y"] == [None, 1.0]


def test_bad_curves() -> None:
    with pytest.raises(ValueError, match="role"):
        Curve("c", W, W, role="guess")
    with pytest.raises(ValueError, match="must match"):
        Curve("c", W, W[:3])
