r"""Automated checks of a publication figure, in display coordinates.

:func:`figure_problems` lays a :class:`matplotlib.figure.Figure` out (no file,
no display) and lists what a referee would object to:

- a legend whose bounding box covers a data point (markers, line vertices and
  the segments between them, error bars, histogram outlines), in any axes;
- an axis without a label, or with a label that gives no unit: a unit in
  parentheses or brackets at the end (``disorder $W$ ($t$)``), a ratio that is
  dimensionless by construction (``$\chi(q,0)/\chi^T$``, ``$\ln(\xi/a)$``), or a
  count (``fraction of realizations``);
- data (the central values: markers and lines, not error bars; for the x axis
  also the vertical reference lines, e.g. Eq. (42)'s W_c, which a figure extends
  its axis to show) that fill less than :data:`MIN_DATA_FRACTION` of an axis,
  e.g. an axis stretched by one pathological error bar;
- a panel squeezed below :data:`MIN_PANEL_INCHES` in width or height, e.g. by a
  legend of dozens of entries that the layout put beside or under it;
- a caption claim without the drawn element it refers to (:data:`CLAIMS`:
  "curves cross" needs a marked crossing, "arrows" needs clipped-bar arrows,
  "dotted" an exact curve). A negated claim ("the curves do not cross", "no
  crossing", "crossings not marked") requires nothing; a negation counts only in
  the claim's own part of the sentence, between commas or colons and at the same
  depth of parentheses, so "dashed: the fits (2 of 5 rejected, not drawn)" still
  requires the drawn fits (:func:`caption_claims`).

Drawn elements are recognised by their matplotlib ``gid``, which the drawing
code of :mod:`compare.figures` sets to the curve's role (``numerics``,
``theory``, ``fit``, ``crossing``, ``clipped``, ``mean`` ...).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
from matplotlib import rc_context
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.container import ErrorbarContainer
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.transforms import Bbox

__all__ = [
    "CLAIMS",
    "MIN_DATA_FRACTION",
    "MIN_PANEL_INCHES",
    "caption_claims",
    "data_points",
    "figure_points",
    "figure_problems",
    "has_units",
    "legend_overlaps",
]

#: Smallest fraction of an axis's length that the central values must span: an axis
#: stretched by one error bar to many times the data's range fails; 0.4 leaves room for
#: error bars up to 3/4 of the data's span on each side of it.
MIN_DATA_FRACTION = 0.4
#: Smallest width and height of a panel's axes box (inches): the style's panels are
#: 2-3 inches; one squeezed to a strip by a long legend fails.
MIN_PANEL_INCHES = 1.0
#: Spacing (display pixels) at which line segments are sampled: finer than a marker.
SAMPLE_PIXELS = 2.0
#: Caption phrase -> gid of the element that must be drawn for the phrase to be true.
CLAIMS: dict[str, str | tuple[str, ...]] = {
    r"\bcross(?:es|ing|ings)?\b": "crossing",
    r"\barrows?\b": "clipped",
    r"\bEq\. \(42\)": ("theory", "reference"),
    r"\bdashed\b[^;.]*\bfit": "fit",
    r"\bsolid\b": "theory",
    r"(?<!-)\bdotted\b": "exact",
    r"\bdash-dotted\b": ("printed", "fit_alt"),  # both roles are drawn dash-dotted
    r"\bmean \(▼\)": "mean",
    r"\bmedian \(\|\)": "median",
    r"\(×\)": "typical",
}
#: gids of lines that are not data values: reference lines spanning the axes, and the arrows
#: at the axis edge that stand for cut error bars.
_NOT_CENTRAL = ("reference", "clipped")
#: Words that deny a claim in their part of a sentence ("no crossing", "do not cross").
_NEGATION = re.compile(r"\b(?:no|not|none|never|neither|nor|without)\b", re.I)
#: Sentences and clauses of a caption: split at semicolons and full stops that end a
#: sentence (not the one of "Eq. (42)").
_CLAUSES = re.compile(r";|\.(?=\s+[A-Z]|\s*$)")
#: What separates the parts of a clause that a negation reaches across: a comma or a colon.
_PARTS = ",:"
_UNIT_AT_END = re.compile(r"[(\[][^()\[\]]+[)\]]\s*$")
_COUNT_WORDS = re.compile(r"\b(?:fraction|number of|counts?)\b", re.I)


def has_units(label: str) -> bool:
    """Whether an axis label states its unit (see the module docstring)."""
    label = label.strip()
    if not label:
        return False
    return bool(_UNIT_AT_END.search(label) or "/" in label or _COUNT_WORDS.search(label))


def _densify(points: np.ndarray, closed: bool = False) -> np.ndarray:
    """Points along the polyline through ``points`` (display coords), every SAMPLE_PIXELS."""
    points = points[np.all(np.isfinite(points), axis=1)]
    if closed and len(points) > 1:
        points = np.vstack([points, points[:1]])
    if len(points) < 2:
        return points
    starts, steps = points[:-1], np.diff(points, axis=0)
    counts = np.maximum(1, (np.hypot(steps[:, 0], steps[:, 1]) / SAMPLE_PIXELS).astype(int))
    segment = np.repeat(np.arange(len(steps)), counts)
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    fraction = (offsets / counts[segment])[:, None]
    return np.vstack([starts[segment] + fraction * steps[segment], points[-1:]])


def _line_points(line: Line2D, axes: Axes) -> np.ndarray:
    xy = np.column_stack(
        [np.asarray(line.get_xdata(), dtype=float), np.asarray(line.get_ydata(), dtype=float)]
    )
    if xy.size == 0:
        return np.empty((0, 2))
    with np.errstate(invalid="ignore", divide="ignore"):
        display = line.get_transform().transform(xy)
    if line.get_linestyle() in ("None", "none", "", " "):
        return display[np.all(np.isfinite(display), axis=1)]
    return _densify(display)


def data_points(axes: Axes, central_only: bool = False) -> np.ndarray:
    """Display coordinates (n, 2) of everything drawn as data inside ``axes``.

    Lines are sampled along their segments; error bars (line collections) and
    histogram outlines (patches) are included unless ``central_only``. Points
    outside the axes box (clipped when drawn) are dropped.
    """
    chunks = [np.empty((0, 2))]
    caps = {
        id(cap)
        for container in axes.containers
        if isinstance(container, ErrorbarContainer)
        for cap in container.lines[1]
    }
    for line in axes.get_lines():
        if not line.get_visible():
            continue
        if central_only and (line.get_gid() in _NOT_CENTRAL or id(line) in caps):
            continue
        chunks.append(_line_points(line, axes))
    for collection in axes.collections:
        if not collection.get_visible():
            continue
        if isinstance(collection, PathCollection):
            offsets = np.asarray(collection.get_offsets(), dtype=float)
            if offsets.size:
                chunks.append(collection.get_offset_transform().transform(offsets))
        elif isinstance(collection, LineCollection) and not central_only:
            transform = collection.get_transform()
            for segment in collection.get_segments():
                if len(segment):
                    chunks.append(_densify(transform.transform(np.asarray(segment, float))))
    if not central_only:
        for patch in axes.patches:
            if isinstance(patch, Patch) and patch.get_visible() and patch.get_gid():
                path = patch.get_path()
                chunks.append(_densify(patch.get_transform().transform(path.vertices)))
    points = np.vstack(chunks)
    box = axes.get_window_extent()
    inside = (
        (points[:, 0] >= box.x0 - 0.5)
        & (points[:, 0] <= box.x1 + 0.5)
        & (points[:, 1] >= box.y0 - 0.5)
        & (points[:, 1] <= box.y1 + 0.5)
    )
    return points[inside]


def _legends(figure: Figure) -> Iterable[Legend]:
    yield from figure.legends
    for axes in figure.axes:
        legend = axes.get_legend()
        if legend is not None and legend.get_visible():
            yield legend


def figure_points(figure: Figure) -> np.ndarray:
    """:func:`data_points` of every axes of ``figure``, stacked (display coordinates)."""
    return np.vstack([np.empty((0, 2))] + [data_points(axes) for axes in figure.axes])


def legend_overlaps(
    legend: Legend,
    figure: Figure,
    clearance: float = 0.0,
    points: np.ndarray | None = None,
) -> int:
    """How many data points of any axes of ``figure`` lie inside the legend's box.

    ``clearance`` (display pixels) widens the box on every side; ``points``
    (from :func:`figure_points` of the laid-out figure) saves recomputing them.
    """
    box: Bbox = legend.get_window_extent().padded(clearance)
    points = figure_points(figure) if points is None else points
    return int(
        np.count_nonzero(
            (points[:, 0] > box.x0)
            & (points[:, 0] < box.x1)
            & (points[:, 1] > box.y0)
            & (points[:, 1] < box.y1)
        )
    )


def _range_problems(axes: Axes, name: str) -> list[str]:
    points = data_points(axes, central_only=True)
    box = axes.get_window_extent()
    problems = []
    dpi = axes.figure.dpi
    for axis, extent in (("width", box.width), ("height", box.height)):
        if extent / dpi < MIN_PANEL_INCHES:
            problems.append(
                f"{name}: squeezed to a {axis} of {extent / dpi:.2f} in "
                f"(< {MIN_PANEL_INCHES:g} in; a legend or label too large for the figure?)"
            )
    marks = [_line_points(line, axes)[:, 0] for line in axes.get_lines()
             if line.get_visible() and line.get_gid() == "reference"]  # fmt: skip
    for index, (axis, extent) in enumerate((("x", box.width), ("y", box.height))):
        values = points[:, index] if len(points) else np.empty(0)
        if axis == "x":
            values = np.concatenate([values, *marks])
        if np.unique(np.round(values, 1)).size < 2 or extent <= 0:
            continue
        fraction = (values.max() - values.min()) / extent
        if fraction < MIN_DATA_FRACTION:
            problems.append(
                f"{name}: the data span {fraction:.0%} of the {axis} axis "
                f"(< {MIN_DATA_FRACTION:.0%}; limits set by something else than the data?)"
            )
    return problems


def _gids(figure: Figure) -> set[str]:
    return {artist.get_gid() for artist in figure.findobj() if artist.get_gid()}


def figure_problems(
    figure: Figure, caption: str = "", rc: Mapping[str, Any] | None = None
) -> list[str]:
    """Everything :mod:`compare.figure_check` objects to in ``figure`` (empty: it passes).

    Parameters
    ----------
    figure : matplotlib.figure.Figure
        A figure drawn by :mod:`compare.figures` (or any figure whose data artists
        carry role gids, for the caption check).
    caption : str
        The caption printed with it; its claims (:data:`CLAIMS`) are checked.
    rc : mapping, optional
        The rcParams the figure is saved with (:data:`compare.style.RC`): mathtext
        fonts are chosen at drawing time, so text boxes are measured under them.

    Returns
    -------
    list of str
        One line per problem, naming the panel.
    """
    with rc_context(dict(rc or {})):
        return _problems(figure, caption)


def _problems(figure: Figure, caption: str) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        figure.draw_without_rendering()
    problems = [f"layout: {w.message}" for w in caught if "collapsed" in str(w.message)]
    points = figure_points(figure)
    for number, legend in enumerate(_legends(figure)):
        covered = legend_overlaps(legend, figure, points=points)
        if covered:
            problems.append(f"legend {number}: covers {covered} data points")
    for number, axes in enumerate(figure.axes):
        name = f"panel {number}" + (f" ({axes.get_title()})" if axes.get_title() else "")
        for axis in ("x", "y"):
            label = getattr(axes, f"get_{axis}label")()
            if not has_units(label):
                problems.append(f"{name}: {axis} label {label!r} gives no unit")
        problems.extend(_range_problems(axes, name))
    drawn = _gids(figure)
    for phrase, gids in caption_claims(caption):
        if not drawn.intersection(gids):
            problems.append(
                f"caption says {phrase!r} but no {' or '.join(map(repr, gids))} element is drawn"
            )
    return problems


def _groups(text: str) -> list[int]:
    """Per character, the position of the innermost open parenthesis around it (-1: none)."""
    stack: list[int] = []
    out = []
    for index, char in enumerate(text):
        if char == ")" and stack:
            stack.pop()
        out.append(stack[-1] if stack else -1)
        if char == "(":
            stack.append(index)
    return out


def _part(text: str, groups: list[int], start: int, end: int) -> tuple[int, int]:
    """The part of ``text`` around ``[start, end)``: up to the nearest comma or colon at the
    same parenthesis depth, or to the parentheses that enclose it."""
    group = groups[start]

    def boundary(index: int) -> bool:
        return groups[index] == group and text[index] in _PARTS

    left = start
    while left > group + 1 and not boundary(left - 1):
        left -= 1
    right = end
    while right < len(text) and groups[right] >= group and not boundary(right):
        right += 1
    return left, right


def caption_claims(caption: str) -> list[tuple[str, tuple[str, ...]]]:
    """The claims of ``caption`` that need a drawn element: (phrase, acceptable gids).

    A phrase of :data:`CLAIMS` claims nothing when a negation word stands in its part
    of the clause (between commas or colons) at its own depth of parentheses: "the
    curves do not cross" claims nothing, "the curves cross (not marked for M = 4)"
    claims a crossing.
    """
    claims = []
    for clause in _CLAUSES.split(caption):
        groups = _groups(clause)
        for pattern, gids in CLAIMS.items():
            gids = (gids,) if isinstance(gids, str) else gids
            for match in re.finditer(pattern, clause, re.I):
                left, right = _part(clause, groups, match.start(), match.end())
                denied = any(
                    groups[n.start()] == groups[match.start()]
                    for n in _NEGATION.finditer(clause, left, right)
                )
                if not denied:
                    claims.append((match.group(0), gids))
    return claims
