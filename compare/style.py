r"""The one matplotlib style of vwloc's figures, sized and coloured for Phys. Rev.

Everything a figure of :mod:`compare.figures` shares lives here:

- sizes: :data:`COLUMN_WIDTH` (3.375 in, one column of Phys. Rev.) and
  :data:`PAGE_WIDTH` (7.0 in, both columns); :func:`new_figure` picks one by
  the number of panels;
- :data:`RC`: 8 pt serif text with STIX mathtext (matching the journal's
  Times), TrueType fonts embedded in the PDF (``pdf.fonttype`` 42, so the
  text stays text and editable), ticks inside on all four sides;
- :data:`PALETTE`: the Okabe-Ito colour-blind-safe colours (Okabe & Ito 2008,
  the yellow left out: too pale on white), with :data:`MARKERS` so that
  series differ in shape as well as colour (grey-scale print);
  :func:`series_styles` gives every value of a parameter (a disorder strength
  W) the same colour and marker in every panel of a figure;
- :func:`place_legends`: a legend inside the axes only where it covers no data
  point (checked in display coordinates by :mod:`compare.figure_check`),
  otherwise outside, beside the axes;
- :func:`limits_from_data`: axis limits from the central values, error bars
  reaching beyond drawn as arrows at the edge;
- :func:`ecdf` for distributions (an empirical CDF shows every sample of a
  few dozen without choosing bins).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from typing import Any

import numpy as np
from matplotlib import cycler, rc_context
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.legend import Legend

from .figure_check import figure_points, legend_overlaps

__all__ = [
    "COLUMN_WIDTH",
    "MARKERS",
    "PAGE_WIDTH",
    "PALETTE",
    "RC",
    "draw_clipped_arrows",
    "ecdf",
    "limits_from_data",
    "new_figure",
    "place_legends",
    "series_styles",
]

#: One column of Phys. Rev. (inches).
COLUMN_WIDTH = 3.375
#: Both columns of Phys. Rev. (inches).
PAGE_WIDTH = 7.0
#: Height of a row of panels (inches): a 4:3 single-column panel.
ROW_HEIGHT = 2.5
#: Panels per row of a two-column figure; more wrap onto further rows.
MAX_COLUMNS = 3

#: Okabe-Ito: blue, vermillion, bluish green, reddish purple, orange, sky blue, black.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
#: Marker shapes cycled with :data:`PALETTE` (distinct in grey-scale print); one more shape
#: than colours, so the eighth series differs from the first in shape.
MARKERS = ("o", "s", "^", "D", "v", "p", "h", "<")
#: Colour of the role-explaining legend entries and of reference lines.
NEUTRAL = "0.35"

RC: dict[str, Any] = {
    "font.family": "serif",
    "font.serif": ["STIXGeneral", "DejaVu Serif"],
    "mathtext.fontset": "stix",
    "font.size": 8,
    "axes.labelsize": 8,
    "axes.titlesize": 8,
    "axes.linewidth": 0.6,
    "legend.fontsize": 6.5,
    "legend.frameon": False,
    "legend.handlelength": 1.8,
    "legend.borderaxespad": 0.3,
    "xtick.labelsize": 7,
    "ytick.labelsize": 7,
    "xtick.direction": "in",
    "ytick.direction": "in",
    "xtick.top": True,
    "ytick.right": True,
    "xtick.major.width": 0.6,
    "ytick.major.width": 0.6,
    "lines.linewidth": 1.0,
    "lines.markersize": 3.2,
    "lines.markeredgewidth": 0.7,
    "errorbar.capsize": 1.2,
    "savefig.dpi": 300,
    "pdf.fonttype": 42,
    "ps.fonttype": 42,
    "axes.prop_cycle": cycler(color=PALETTE),
    "figure.constrained_layout.use": True,
}

#: Free margin in display pixels (0.04 in at the figure's 100 dpi) kept around a legend placed
#: inside the axes: the final constrained layout may still shift the axes by a pixel or two.
LEGEND_CLEARANCE = 4.0
#: Legend locations tried inside the axes, in order of preference.
_INSIDE = (
    "upper right",
    "upper left",
    "lower left",
    "lower right",
    "center right",
    "center left",
    "upper center",
    "lower center",
)


def series_styles(values: Iterable[Hashable]) -> dict[Hashable, dict[str, str]]:
    """Colour and marker per distinct value (sorted), e.g. per disorder strength W.

    Call it once per figure with every value the figure shows, so that a
    value keeps its colour and marker in every panel.
    """
    ordered = sorted(set(values), key=lambda v: (isinstance(v, str), v))
    return {
        value: {"color": PALETTE[k % len(PALETTE)], "marker": MARKERS[k % len(MARKERS)]}
        for k, value in enumerate(ordered)
    }


def new_figure(n_panels: int = 1, rows_height: float = ROW_HEIGHT) -> tuple[Figure, list[Axes]]:
    """A figure one column wide (one panel) or two columns wide (several), no pyplot.

    Panels wrap after :data:`MAX_COLUMNS` per row; the layout is constrained
    (legends outside the axes get their room).
    """
    columns = min(max(n_panels, 1), MAX_COLUMNS)
    rows = -(-n_panels // columns)
    width = COLUMN_WIDTH if columns == 1 else PAGE_WIDTH
    with rc_context(RC):
        figure = Figure(figsize=(width, rows_height * rows), layout="constrained")
        axes = list(figure.subplots(rows, columns, squeeze=False).ravel())
    for extra in axes[n_panels:]:
        figure.delaxes(extra)
    return figure, axes[:n_panels]


def place_legends(figure: Figure, **kwargs: Any) -> list[Legend]:
    """Put each panel's legend where it covers no data point, or outside its axes.

    Each location of ``_INSIDE`` is tried in turn on the laid-out figure; the
    first whose box, widened by :data:`LEGEND_CLEARANCE`, holds no data point of
    any panel (:func:`compare.figure_check.legend_overlaps`) is kept. A legend
    with no free place goes outside, to the right of its axes; the constrained
    layout then shrinks the axes, so the inside legends are checked again on the
    new layout (and moved outside too if the data moved under them). Two or three
    layouts per figure, whatever the number of panels. Panels whose legends would
    be identical (the same entries, in the same styles by :func:`series_styles`)
    share one, on the last panel.
    """
    legends = {}
    with rc_context(RC):
        entries = {axes: axes.get_legend_handles_labels() for axes in figure.axes}
        entries = {axes: entry for axes, entry in entries.items() if entry[0]}
        if len(entries) > 1 and len({tuple(labels) for _, labels in entries.values()}) == 1:
            last = list(entries)[-1]
            entries = {last: entries[last]}
        for axes, (handles, labels) in entries.items():
            legends[axes] = axes.legend(handles, labels, loc=_INSIDE[0], **kwargs)
        outside: set[Axes] = set()
        for _ in range(len(legends) + 1):
            figure.draw_without_rendering()
            points = figure_points(figure)
            moved = False
            for axes, legend in legends.items():
                if axes in outside:
                    continue
                if legend_overlaps(legend, figure, LEGEND_CLEARANCE, points) == 0:
                    continue
                for loc in _INSIDE:
                    legend.set_loc(loc)
                    if legend_overlaps(legend, figure, LEGEND_CLEARANCE, points) == 0:
                        break
                else:
                    legend.set_loc("upper left")
                    legend.set_bbox_to_anchor((1.02, 1.0), transform=axes.transAxes)
                    outside.add(axes)
                    moved = True
            if not moved:
                break
    return list(legends.values())


def _to_axis(values: np.ndarray, log: bool) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log10(values) if log else values


def limits_from_data(
    central: Sequence[float],
    low: Sequence[float] | None = None,
    high: Sequence[float] | None = None,
    log: bool = False,
    overshoot: float = 0.5,
    margin: float = 0.05,
) -> tuple[float, float]:
    """Axis limits from the central values, stretched by error bars only up to a point.

    Parameters
    ----------
    central : sequence of float
        Central values (markers, lines) along the axis.
    low, high : sequence of float, optional
        Lower and upper ends of the error bars.
    log : bool
        Logarithmic axis (spans measured in decades; non-positive values ignored).
    overshoot : float
        Error bars may extend the axis by at most this fraction of the central
        values' span on each side (0.5: the data fill at least half the axis);
        bars reaching further are cut at the edge (see :func:`draw_clipped_arrows`).
    margin : float
        Free space on each side, as a fraction of the final span.

    Returns
    -------
    (float, float)
        The limits in data units.
    """
    values = _to_axis(np.asarray(central, dtype=float), log)
    values = values[np.isfinite(values)]
    if values.size == 0:
        return (1.0, 10.0) if log else (0.0, 1.0)
    lo, hi = float(values.min()), float(values.max())
    span = hi - lo if hi > lo else (1.0 if not log else 0.5)
    ends = [lo, hi]
    for bound in (low, high):
        if bound is not None:
            extra = _to_axis(np.asarray(bound, dtype=float), log)
            ends.extend(extra[np.isfinite(extra)].tolist())
    bottom = max(min(ends), lo - overshoot * span)
    top = min(max(ends), hi + overshoot * span)
    pad = margin * (top - bottom if top > bottom else span)
    bottom, top = bottom - pad, top + pad
    return (10**bottom, 10**top) if log else (bottom, top)


def draw_clipped_arrows(
    axes: Axes,
    x: Sequence[float],
    low: Sequence[float],
    high: Sequence[float],
    color: str,
) -> list[float]:
    """Mark error bars that leave the y limits with arrows at the edge (gid ``clipped``).

    Returns the values of the bar ends beyond the limits (for the caption's note).
    """
    bottom, top = sorted(axes.get_ylim())
    beyond = []
    for xv, lo, hi in zip(x, low, high, strict=True):
        for end, edge, marker in ((hi, top, "^"), (lo, bottom, "v")):
            outside = end > top if marker == "^" else end < bottom
            if np.isfinite(end) and outside:
                (line,) = axes.plot(
                    [xv], [edge], marker=marker, color=color, linestyle="none",
                    markersize=4, clip_on=False, zorder=4,
                )  # fmt: skip
                line.set_gid("clipped")
                beyond.append(float(end))
    return beyond


def ecdf(values: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    """Empirical cumulative distribution: sorted values and fractions (i + 1)/n."""
    data = np.sort(np.asarray(values, dtype=float)[np.isfinite(values)])
    return data, np.arange(1, data.size + 1) / data.size
