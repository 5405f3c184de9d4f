"""The shared figure style: sizes, fonts, palette, distributions, limits."""

from __future__ import annotations

import io

import numpy as np
import pytest

from compare import style


def test_widths_are_the_journal_columns() -> None:
    one, _ = style.new_figure(1)
    two, _ = style.new_figure(2)
    three, axes = style.new_figure(4)
    assert one.get_size_inches()[0] == pytest.approx(3.375)
    assert two.get_size_inches()[0] == pytest.approx(7.0)
    assert three.get_size_inches()[0] == pytest.approx(7.0) and len(axes) == 4


def test_pdf_embeds_truetype_fonts() -> None:
    figure, (axes,) = style.new_figure(1)
    axes.plot([1, 2], [3, 4])
    axes.set_xlabel(r"$\omega$ ($t/\hbar$)")
    buffer = io.BytesIO()
    from matplotlib import rc_context

    with rc_context(style.RC):
        figure.savefig(buffer, format="pdf")
    pdf = buffer.getvalue()
    assert b"/FontFile2" in pdf  # embedded TrueType (fonttype 42), not Type 3 outlines
    assert b"/Type3" not in pdf


def test_series_styles_are_consistent_and_distinct() -> None:
    styles = style.series_styles([4.0, 1.0, 2.0, 1.0])
    assert list(styles) == [1.0, 2.0, 4.0]
    assert len({(s["color"], s["marker"]) for s in styles.values()}) == 3
    assert style.series_styles([2.0, 1.0])[2.0] == styles[2.0]  # same W, same look
    many = style.series_styles(range(len(style.MARKERS)))  # the demo's 8 disorder strengths
    assert len({(s["color"], s["marker"]) for s in many.values()}) == len(style.MARKERS)


def test_ecdf_steps() -> None:
    x, y = style.ecdf([3.0, 1.0, np.nan, 2.0])
    np.testing.assert_array_equal(x, [1.0, 2.0, 3.0])
    np.testing.assert_allclose(y, [1 / 3, 2 / 3, 1.0])


def test_limits_ignore_a_pathological_error_bar() -> None:
    central = [20.0, 30.0, 60.0, 15.0]
    high = [25.0, 35.0, 7.8e14, 20.0]
    low, top = style.limits_from_data(central, central, high, log=True)
    decades = np.log10(top / low)
    data_decades = np.log10(60.0 / 15.0)
    assert data_decades / decades >= 0.5  # the data fill at least half the axis
    assert top < 1e3
    # ordinary bars are kept whole
    low, top = style.limits_from_data([1.0, 2.0], [0.9, 1.8], [1.1, 2.3])
    assert low < 0.9 and top > 2.3


def test_identical_legends_are_shared() -> None:
    """Three panels with the same entries (the sigma_wl_2d layout) get one legend, not three."""
    from compare import figures
    from compare.figures import Curve

    x = np.geomspace(0.01, 1.0, 20)
    panels = {
        f"$W={w}$": [
            Curve("$L=24$", x, w * x**0.3, 0.05 * np.ones(20), group="L"),
            Curve("Eq. (42)", x, w * x**0.2, role="theory", group="theory"),
        ]
        for w in (6, 8, 10)
    }
    plot = figures.conductivity_figure(panels, "caption")
    assert [axes.get_legend() is not None for axes in plot.figure.axes] == [False, False, True]
    different = dict(panels, extra=[Curve("$L=48$", x, x, group="L48")])
    plot = figures.conductivity_figure(different, "caption")
    assert all(axes.get_legend() is not None for axes in plot.figure.axes)
