r"""Publication figures of the comparison, as matplotlib Figure objects.

Every function takes plain arrays and small result objects and returns a
:class:`Plot`: the :class:`matplotlib.figure.Figure` (built without pyplot, so
no global state and no display), a caption, the metadata (parameters and
seeds) and the plotted data as plain lists. Nothing is saved here: the batch
layer writes files, and stores :attr:`Plot.data` as JSON so tests and readers
can recover exactly what was drawn, and :func:`replot` can draw it again.

One style throughout (:mod:`compare.style`: Phys. Rev. column widths, embedded
fonts, the Okabe-Ito palette): numerics as open markers with error bars, one
colour and marker per sweep value (disorder W) in every panel; the numerical
solution of Eq. (42) as solid lines drawn above the markers; fits as dashed
lines over their window only and only when accepted by their goodness of fit;
exact and printed (seed) formulas as dotted and dash-dotted lines; crossings
as crosses with their interval shaded. Axis limits follow the central values;
error bars reaching far beyond are cut at the edge and marked by arrows (the
caption says so). Legends sit where they cover no data point, else outside
the axes (:func:`compare.style.place_legends`); :mod:`compare.figure_check`
verifies all of this. Axes carry units in the conventions of
``docs/conventions.md`` (hbar = e = a = 1, energies in t).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from matplotlib import rc_context
from matplotlib.figure import Figure
from matplotlib.ticker import FormatStrFormatter, LogLocator, NullFormatter

from . import style

__all__ = [
    "AXES",
    "ROLES",
    "Curve",
    "Plot",
    "alpha_distribution_figure",
    "alpha_size_figure",
    "conductivity_figure",
    "diffusion_figure",
    "kernel_figure",
    "magnetoconductance_figure",
    "ln_xi_figure",
    "replot",
    "scaling_figure",
    "static_response_figure",
    "window_sensitivity_figure",
    "weak_localization_figure",
    "xi_figure",
]

#: Drawing style per curve role (colour and marker come from the curve's group).
_ROLE_STYLE: dict[str, dict[str, Any]] = {
    "numerics": {"linestyle": "none", "markerfacecolor": "white", "zorder": 2},
    "estimate": {"linestyle": "none", "zorder": 2},
    "samples": {"drawstyle": "steps-post", "linewidth": 1.0, "zorder": 2},
    "theory": {"linestyle": "-", "zorder": 3},
    "fit": {"linestyle": "--", "linewidth": 1.3, "zorder": 3},
    "fit_alt": {"linestyle": (0, (5, 1.5, 1, 1.5)), "linewidth": 1.3, "zorder": 3},
    "exact": {"linestyle": ":", "linewidth": 1.3, "zorder": 3},
    "printed": {"linestyle": "-.", "zorder": 3},
    "reference": {"linestyle": "-", "linewidth": 0.8, "zorder": 1},
    "crossing": {"marker": "X", "markersize": 6, "linestyle": "none", "zorder": 5},
    "mean": {"marker": "v", "markersize": 5, "linestyle": "none", "zorder": 4},
    "median": {"marker": "|", "markersize": 7, "markeredgewidth": 1.5, "linestyle": "none"},
    "typical": {"marker": "x", "markersize": 5, "linestyle": "none", "zorder": 4},
}
#: Line styles of the first, second ... vertical reference line in a panel.
_REFERENCE_STYLES = ("-", (0, (1, 1.2)), (0, (5, 1.5, 1, 1.5, 1, 1.5)))
#: Every role a :class:`Curve` may have.
ROLES = tuple(_ROLE_STYLE)
#: Roles drawn as lines in the colour of their group (explained by one grey legend entry).
_LINE_ROLES = ("theory", "fit", "fit_alt", "exact", "printed")
#: Roles drawn as black markers on top of a group's curve (explained by one legend entry).
_MARK_ROLES = ("crossing", "mean", "median", "typical")


@dataclass(frozen=True)
class Curve:
    """One plotted series.

    Attributes
    ----------
    label : str
        Legend text (mathtext allowed).
    x, y : array_like
        Coordinates in the axis units.
    yerr, xerr : array_like, optional
        Symmetric error bars, or shape (2, n) asymmetric (lower, upper) distances.
    role : str
        One of :data:`ROLES`: ``numerics``, ``estimate`` (fitted values with
        their intervals, e.g. per fit window), ``samples`` (an empirical CDF),
        ``theory``, ``fit``, ``fit_alt`` (a competing law), ``exact``,
        ``printed``, ``reference`` (a vertical line at x[0]), ``crossing``,
        ``mean``, ``median``, ``typical`` (markers).
    group : hashable, optional
        The sweep value the curve belongs to (e.g. the disorder W): curves of one
        group share a colour and marker in every panel; only the group's
        numerics (or samples) get a legend entry, and one grey entry per role
        explains the line styles. Ungrouped curves are styled by their label
        and get their own legend entry.
    accepted : bool
        For fits: whether the fit passed its goodness-of-fit test. A rejected
        fit is kept in the data but not drawn. Estimates are drawn either way:
        filled markers when accepted, open ones when not.
    """

    label: str
    x: Any
    y: Any
    yerr: Any = None
    role: str = "numerics"
    group: Hashable | None = None
    xerr: Any = None
    accepted: bool = True

    def __post_init__(self) -> None:
        if self.role not in _ROLE_STYLE:
            raise ValueError(f"role must be one of {ROLES}, got {self.role!r}")
        x, y = np.asarray(self.x, dtype=float), np.asarray(self.y, dtype=float)
        if x.ndim != 1 or x.shape != y.shape:
            raise ValueError(f"curve {self.label!r}: x {x.shape} and y {y.shape} must match")

    @property
    def key(self) -> Hashable:
        """What sets the colour and marker: the group, else the label."""
        return self.label if self.group is None else self.group

    def as_dict(self) -> dict[str, Any]:
        """Plain-JSON form (lists of floats, NaN as None)."""
        data = {
            "label": self.label,
            "role": self.role,
            "group": self.group,
            "x": _plain(self.x),
            "y": _plain(self.y),
        }
        for name in ("yerr", "xerr"):
            if getattr(self, name) is not None:
                data[name] = _plain(getattr(self, name))
        if not self.accepted:
            data["accepted"] = False
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Curve:
        """Inverse of :meth:`as_dict` (None back to NaN)."""

        def array(values: Any) -> Any:
            return None if values is None else np.array(values, dtype=float)

        return cls(
            label=data["label"],
            x=array(data["x"]),
            y=array(data["y"]),
            yerr=array(data.get("yerr")),
            role=data["role"],
            group=data.get("group"),
            xerr=array(data.get("xerr")),
            accepted=data.get("accepted", True),
        )


def _plain(values: Any) -> list:
    """Nested lists of floats with None where a value is not finite (strict JSON)."""
    array = np.asarray(values, dtype=float).astype(object)
    array[~np.isfinite(array.astype(float))] = None
    return array.tolist()


@dataclass
class Plot:
    """A figure with what it shows.

    Attributes
    ----------
    name : str
        File stem for the batch layer (``sigma_omega2``, ...).
    figure : matplotlib.figure.Figure
        The figure (not saved).
    caption : str
        Caption for the report, naming parameters and seeds.
    metadata : dict
        Parameters, seeds and archive provenance of the data. ``series``, if
        given, lists every group value of a set of related figures, so that a
        value (a disorder W) has the same colour and marker in each of them.
    panels : dict
        Panel title -> list of :class:`Curve`, the data drawn.
    """

    name: str
    figure: Figure
    caption: str
    metadata: dict[str, Any] = field(default_factory=dict)
    panels: dict[str, list[Curve]] = field(default_factory=dict)

    @property
    def data(self) -> dict[str, Any]:
        """The plotted data as plain JSON (panel -> list of curves)."""
        return {
            "name": self.name,
            "caption": self.caption,
            "metadata": self.metadata,
            "panels": {
                title: [c.as_dict() for c in curves] for title, curves in self.panels.items()
            },
        }


#: Legend text of the grey entries that explain the roles of grouped curves.
_ROLE_LABEL = {
    "theory": "Eq. (42)",
    "fit": r"fit $A\omega^2$",
    "fit_alt": r"fit $A'\omega^2\ln^2(1/\omega\tau)$",
    "exact": "exact",
    "printed": "seed (printed)",
    "crossing": "crossing",
    "mean": "mean",
    "median": "median",
    "typical": "typical",
    "estimate": r"fit accepted by $\chi^2$",
    "estimate_rejected": r"fit rejected by $\chi^2$",
}

#: Figure-specific legend text of the role entries (default: :data:`_ROLE_LABEL`).
_FIGURE_ROLE_LABEL = {
    "chi_static": {"fit": "Eq. (37) fit", "theory": r"Eq. (37), $r_0$ of Eq. (42)"},
    "sigma_omega2": {"exact": r"Berezinskii (exact, $\omega\tau \ll 1$)"},
    "sigma_wl_2d": {"exact": "Born (Drude)"},
}

#: Axis set-up per figure name: labels with units (mathtext) and scales.
AXES: dict[str, dict[str, str]] = {
    "sigma_omega2": {
        "xlabel": r"$\omega$ ($t/\hbar$)",
        "ylabel": r"Re $\sigma(\omega)/\omega^2$ ($e^2\hbar/t^2$ per site)",
        "xscale": "log",
        "yscale": "log",
    },
    "sigma_wl_2d": {
        "xlabel": r"$\omega$ ($t/\hbar$)",
        "ylabel": r"Re $\sigma(\omega)$ ($e^2/\hbar$ per site)",
        "xscale": "log",
    },
    "magnetoconductance_2d": {
        "xlabel": r"$\omega$ ($t/\hbar$)",
        "ylabel": r"$\Delta$Re $\sigma(\omega)$ ($e^2/\hbar$ per site)",
        "xscale": "log",
    },
    "xi_1d": {
        "xlabel": r"disorder $W$ ($t$)",
        "ylabel": r"length ($a$)",
        "xscale": "log",
        "yscale": "log",
    },
    "ln_xi_2d": {"xlabel": r"$1/\lambda = 2\pi E_F\tau/\hbar$", "ylabel": r"$\ln(\xi/a)$"},
    "chi_static": {"xlabel": r"$q$ ($1/a$)", "ylabel": r"$\chi(q,0)/\chi^T$"},
    "kernel_M": {
        "xlabel": r"$\omega/E_F$",
        "ylabel": r"$-\mathrm{Re}\,M(0,\omega)/E_F$",
        "xscale": "log",
        "yscale": "log",
    },
    "alpha_size": {
        "xlabel": r"system size $N$ (sites)",
        "ylabel": r"$\alpha(0)/\alpha_{\mathrm{Eq.\,42}}$",
        "xscale": "log",
        "yscale": "log",
    },
    "scaling_3d": {
        "xlabel": r"disorder $W$ ($t$)",
        "ylabel": r"$\Lambda_M = \xi_M/M$",
        "yscale": "log",
    },
    "window_sensitivity": {
        "xlabel": r"window centre $\sqrt{\omega_{\min}\omega_{\max}}$ ($t/\hbar$)",
        "ylabel": r"$A$ ($e^2\hbar/t^2$ per site)",
        "xscale": "log",
        "yscale": "log",
    },
    "diffusion_3d": {
        "xlabel": r"disorder $W$ ($t$)",
        "ylabel": r"$D(0)/D_0 = \mathrm{Re}\,\sigma(\omega\to 0)/((n/m)\tau)$",
    },
    "alpha_distribution": {
        "xlabel": r"$\alpha(0)$ ($e^2a^2/t$ per site)",
        "ylabel": r"fraction of realizations $\leq \alpha(0)$",
        "xscale": "log",
    },
}


def _bars(curve: Curve, values: np.ndarray, errors: Any) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper ends of a curve's error bars (the values themselves if none)."""
    if errors is None:
        return values, values
    e = np.asarray(errors, dtype=float)
    low, high = (e[0], e[1]) if e.ndim == 2 else (e, e)
    return values - low, values + high


def _draw(
    axes: Any,
    curves: Sequence[Curve],
    styles: Mapping[Hashable, dict[str, str]],
    role_labels: Mapping[str, str],
) -> None:
    """Draw ``curves`` in the role styles, colour and marker by group (see :class:`Curve`)."""
    explained: list[str] = []
    labelled: set[Hashable] = set()
    for curve in curves:
        if curve.role.startswith("fit") and not curve.accepted:
            continue
        if curve.role == "estimate":
            _draw_estimate(axes, curve, styles[curve.key], labelled, explained)
            continue
        look = dict(_ROLE_STYLE[curve.role])
        series = styles[curve.key]
        color = series["color"]
        own_entry = curve.group is None or curve.role in ("numerics", "samples")
        label = curve.label if own_entry else "_nolegend_"
        single = curve.role == "theory" and np.size(curve.x) == 1
        entry = "theory_point" if single else curve.role
        if not own_entry and entry not in explained and curve.role != "reference":
            explained.append(entry)
        x, y = np.asarray(curve.x, dtype=float), np.asarray(curve.y, dtype=float)
        if curve.role in _MARK_ROLES:
            look.setdefault("color", "black")
            drawn = axes.errorbar(x, y, yerr=curve.yerr, xerr=curve.xerr, label=label, **look)
            drawn.lines[0].set_gid(curve.role)
            if curve.role == "crossing" and curve.xerr is not None:
                low, high = _bars(curve, x, curve.xerr)
                for a, b in zip(low, high, strict=True):
                    axes.axvspan(a, b, color="0.5", alpha=0.2, lw=0, zorder=0, gid="crossing")
            continue
        if curve.role == "reference":
            # several vertical lines in one panel (D0 q1^2 and eta) differ in line style
            count = sum(line.get_gid() == "reference" for line in axes.get_lines())
            look["linestyle"] = _REFERENCE_STYLES[count % len(_REFERENCE_STYLES)]
            axes.axvline(x[0], color=style.NEUTRAL, label=label, gid="reference", **look)
            continue
        if curve.role == "numerics":
            drawn = axes.errorbar(
                x, y, yerr=curve.yerr, xerr=curve.xerr, color=color, marker=series["marker"],
                elinewidth=0.6, label=label, **look,
            )  # fmt: skip
            drawn.lines[0].set_gid("numerics")
            continue
        if curve.role == "samples":
            look["marker"] = None
        if curve.role == "theory" and x.size == 1:  # a single theory value: a star
            look.update(marker="*", markersize=7, markeredgecolor="black", linestyle="none")
        (line,) = axes.plot(x, y, color=color, label=label, **look)
        line.set_gid(curve.role)
    for entry in explained:
        role = {"theory_point": "theory", "estimate_rejected": "estimate"}.get(entry, entry)
        look = {k: v for k, v in _ROLE_STYLE[role].items() if k != "zorder"}
        if entry == "theory_point":
            look.update(marker="*", markersize=7, linestyle="none")
        if role == "estimate":
            look.update(marker="o", markerfacecolor="white" if entry != role else style.NEUTRAL)
        color = "black" if role in _MARK_ROLES else style.NEUTRAL
        axes.plot([], [], color=color, label=role_labels[entry if role == "estimate" else role],
                  **look)  # fmt: skip


def _draw_estimate(
    axes: Any,
    curve: Curve,
    series: Mapping[str, str],
    labelled: set[Hashable],
    explained: list[str],
) -> None:
    """Fitted values with error bars: filled if accepted, open if not; one legend entry per
    group (a filled marker), and one grey entry each for "accepted" and "rejected"."""
    look = dict(_ROLE_STYLE["estimate"])
    if not curve.accepted:
        look["markerfacecolor"] = "white"
    drawn = axes.errorbar(
        curve.x, curve.y, yerr=curve.yerr, xerr=curve.xerr, color=series["color"],
        marker=series["marker"], elinewidth=0.6, label="_nolegend_", **look,
    )  # fmt: skip
    drawn.lines[0].set_gid("estimate")
    if curve.key not in labelled:
        labelled.add(curve.key)
        axes.plot(
            [], [], color=series["color"], marker=series["marker"], linestyle="none",
            label=curve.label,
        )  # fmt: skip
    entry = "estimate" if curve.accepted else "estimate_rejected"
    if curve.group is not None and entry not in explained:
        explained.append(entry)


def _limits(
    axes: Any, curves: Sequence[Curve], styles: Mapping[Hashable, dict[str, str]]
) -> list[float]:
    """Set both axis limits from the drawn data; arrows for cut error bars; their ends."""
    drawn = [c for c in curves if c.accepted or not c.role.startswith("fit")]
    beyond: list[float] = []
    for axis in ("x", "y"):
        log = getattr(axes, f"get_{axis}scale")() == "log"
        central, lows, highs = [], [], []
        for curve in drawn:
            if curve.role == "reference" and axis == "y":
                continue
            values = np.asarray(getattr(curve, axis), dtype=float)
            central.append(values if curve.role != "reference" else values[:1])
            low, high = _bars(curve, values, getattr(curve, f"{axis}err"))
            lows.append(low)
            highs.append(high)
        if not central:
            continue
        limits = style.limits_from_data(
            np.concatenate(central), np.concatenate(lows), np.concatenate(highs), log=log
        )
        getattr(axes, f"set_{axis}lim")(limits)
    for curve in drawn:
        if curve.role in ("numerics", "estimate") and curve.yerr is not None:
            y = np.asarray(curve.y, dtype=float)
            low, high = _bars(curve, y, curve.yerr)
            color = "black" if curve.group is None else None
            if curve.role == "estimate":
                color = styles[curve.key]["color"]
            beyond += style.draw_clipped_arrows(
                axes, curve.x, low, high, color or _color_of(axes, curve)
            )
    return beyond


def _color_of(axes: Any, curve: Curve) -> str:
    for line in axes.get_lines():
        if line.get_gid() == "numerics" and line.get_label() == curve.label:
            return line.get_color()
    return "black"


def _tidy_log_axis(axis: Any) -> None:
    """Label 1, 2, 5 x 10^k in plain numbers on a short log axis.

    Short: spanning less than 1.5 decades, or holding fewer than two powers of ten.
    matplotlib labels the minor ticks of such axes in scientific notation, and
    neighbouring labels overlap.
    """
    low, high = sorted(axis.get_view_interval())
    if low <= 0:
        return
    powers = np.floor(np.log10(high)) - np.ceil(np.log10(low)) + 1
    if np.log10(high / low) < 1.5 or powers < 2:
        # below 0.6 decade even 1, 2, 5 may leave a single label: label every mantissa
        subs = (1.0, 2.0, 5.0) if np.log10(high / low) >= 0.6 else tuple(range(1, 10))
        axis.set_major_locator(LogLocator(subs=subs))
        axis.set_major_formatter(FormatStrFormatter("%g"))
        axis.set_minor_formatter(NullFormatter())


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _caption_number(value: float) -> str:
    """Two significant digits for a caption, powers of ten as ``7.8 × 10¹⁴`` (not ``7.8e+14``)."""
    text = f"{value:.2g}"
    if "e" not in text:
        return text
    mantissa, exponent = text.split("e")
    return f"{mantissa} × 10{str(int(exponent)).translate(_SUPERSCRIPT)}"


def _note(beyond: Sequence[float]) -> str:
    if not beyond:
        return ""
    largest = max(beyond, key=abs)
    return (
        f" Arrows: {len(beyond)} error bar(s) reaching beyond the axis (farthest end "
        f"{_caption_number(largest)}); the axis follows the data, the full bars are in "
        "figures.json."
    )


def _plot(
    name: str,
    panels: Mapping[str, Sequence[Curve]],
    caption: str,
    metadata: Mapping[str, Any] | None,
    setup: Mapping[str, str] | None = None,
) -> Plot:
    """Draw ``panels`` side by side with the axes of :data:`AXES` ``[name]``."""
    setup = AXES[name] if setup is None else setup
    figure, axes_list = style.new_figure(len(panels))
    keys = [c.key for curves in panels.values() for c in curves]
    styles = style.series_styles(keys + list((metadata or {}).get("series", [])))
    beyond: list[float] = []
    with rc_context(style.RC):
        for axes, (title, curves) in zip(axes_list, panels.items(), strict=True):
            axes.set_xscale(setup.get("xscale", "linear"))
            axes.set_yscale(setup.get("yscale", "linear"))
            _draw(axes, curves, styles, {**_ROLE_LABEL, **_FIGURE_ROLE_LABEL.get(name, {})})
            beyond += _limits(axes, curves, styles)
            for axis, scale in ((axes.xaxis, "xscale"), (axes.yaxis, "yscale")):
                if setup.get(scale) == "log":
                    _tidy_log_axis(axis)
            axes.set_xlabel(setup["xlabel"])
            axes.set_ylabel(setup["ylabel"])
            if len(panels) > 1 or title:
                axes.set_title(title)
        style.place_legends(figure)
    note = _note(beyond)
    if note and note.strip() not in caption:
        caption = caption + note
    return Plot(
        name=name,
        figure=figure,
        caption=caption,
        metadata=dict(metadata or {}),
        panels={title: list(curves) for title, curves in panels.items()},
    )


def replot(data: Mapping[str, Any]) -> Plot:
    """Draw a figure again from its :attr:`Plot.data` (e.g. an entry of ``figures.json``)."""
    panels = {
        title: [Curve.from_dict(c) for c in curves] for title, curves in data["panels"].items()
    }
    return _plot(data["name"], panels, data["caption"], data.get("metadata"))


def conductivity_figure(
    panels: Mapping[str, Sequence[Curve]], caption: str, metadata: Mapping[str, Any] | None = None
) -> Plot:
    r"""Re sigma(w) / w^2 against w on log axes, one panel per dimension.

    A law Re sigma = A w^2 is a horizontal line; the Mott-Berezinskii law rises
    as ln^2(1/(w tau)) towards small w. ``panels`` maps a title ("d = 1") to
    curves already divided by w^2: numerics (Re sigma/w^2 with errors), the
    Eq. (42) solution, the fitted laws over their window, printed formulas.
    """
    return _plot("sigma_omega2", panels, caption, metadata)


def window_sensitivity_figure(
    panels: Mapping[str, Sequence[Curve]], caption: str, metadata: Mapping[str, Any] | None = None
) -> Plot:
    r"""The fitted coefficient A of Re sigma = A w^2 against the fit window, one panel per d.

    ``panels`` maps a title ("d = 1") to ``estimate`` curves: x the window centre
    sqrt(w_min w_max) with ``xerr`` reaching the window's edges, y the coefficient
    A with its interval as ``yerr``; one group (colour and marker) per disorder W,
    filled markers for fits accepted by their chi^2, open for rejected ones. A
    coefficient that does not depend on the window shows as a horizontal row.
    """
    return _plot("window_sensitivity", panels, caption, metadata)


def weak_localization_figure(
    panels: Mapping[str, Sequence[Curve]], caption: str, metadata: Mapping[str, Any] | None = None
) -> Plot:
    r"""Re sigma(w) against w on a log axis in 2D at weak disorder, one panel per series.

    The weak-localization logarithm is a straight line of slope 1/(4 pi^2) per
    spin; ``reference`` curves mark the lowest Cooperon mode and the broadening.
    """
    return _plot("sigma_wl_2d", panels, caption, metadata)


def magnetoconductance_figure(
    panels: Mapping[str, Sequence[Curve]], caption: str, metadata: Mapping[str, Any] | None = None
) -> Plot:
    r"""Paired Re sigma(w) with flux minus without against w (log axis), one panel per series.

    Curves: the paired change per lattice size (``numerics``), Eq. (42) with the
    constant Cooperon rate 1/tau_s (``theory``) and with the log-equivalent rate
    (``fit_alt``, the other end of the mapping's O(1) ambiguity), the Landau-quantized
    Cooperon to lowest order (``exact``), and a ``reference`` line at 1/tau_s.
    """
    return _plot("magnetoconductance_2d", panels, caption, metadata)


def xi_figure(
    curves: Sequence[Curve], caption: str, metadata: Mapping[str, Any] | None = None
) -> Plot:
    """Localization lengths against disorder W in 1D, log-log (transfer matrices, r0, Thouless)."""
    return _plot("xi_1d", {"": curves}, caption, metadata)


def ln_xi_figure(
    curves: Sequence[Curve], caption: str, metadata: Mapping[str, Any] | None = None
) -> Plot:
    r"""ln xi against 1/lambda in 2D: the theory predicts a straight line of slope 1/2."""
    return _plot("ln_xi_2d", {"": curves}, caption, metadata)


def alpha_size_figure(
    panels: Mapping[str, Sequence[Curve]], caption: str, metadata: Mapping[str, Any] | None = None
) -> Plot:
    r"""alpha(0)/alpha_theory against the system size N (log-log), one panel per (d, W, E_F).

    Curves: the mean, the median and the typical value with their intervals,
    and horizontal reference lines (Eq. 42 = 1, the exact value).
    """
    return _plot("alpha_size", panels, caption, metadata)


def static_response_figure(
    panels: Mapping[str, Sequence[Curve]], caption: str, metadata: Mapping[str, Any] | None = None
) -> Plot:
    r"""chi(q, 0)/chi^T against q with the Eq. (37) Lorentzian fit, one panel per dimension."""
    return _plot("chi_static", panels, caption, metadata)


def kernel_figure(
    panels: Mapping[str, Sequence[Curve]], caption: str, metadata: Mapping[str, Any] | None = None
) -> Plot:
    r"""The Eq. (42) solution: -Re M(0, w) against w in units of E_F, per dimension.

    In the localized phase -Re M = w0^2 / w diverges at small w (a straight line
    of slope -1 on log axes); in the metal it vanishes.
    """
    return _plot("kernel_M", panels, caption, metadata)


def scaling_figure(
    curves: Sequence[Curve], caption: str, metadata: Mapping[str, Any] | None = None
) -> Plot:
    r"""Lambda_M = xi_M / M against W in 3D: curves for increasing M cross at W_c.

    A ``crossing`` curve (x = W_c with ``xerr`` its interval) is drawn as a cross
    with the interval shaded.
    """
    return _plot("scaling_3d", {"": curves}, caption, metadata)


def diffusion_figure(
    curves: Sequence[Curve], caption: str, metadata: Mapping[str, Any] | None = None
) -> Plot:
    r"""D(0)/D0 against W on the 3D metal side: numerics per cube edge L, Eq. (42).

    Curves: the numerics (one series per L), the Eq. (42) value
    1 - (lambda/lambda_c)^2 against W, the Eq. (42) curve read like the numerics,
    and a ``reference`` line at the theory's W_c.
    """
    return _plot("diffusion_3d", {"": curves}, caption, metadata)


def alpha_distribution_figure(
    samples: Mapping[str, Mapping[Hashable, Any]],
    markers: Mapping[str, Mapping[Hashable, Mapping[str, float]]],
    caption: str,
    metadata: Mapping[str, Any] | None = None,
    labels: Mapping[Hashable, str] | None = None,
) -> Plot:
    r"""Empirical CDFs of alpha(0) per sweep point, with mean, median, typical and theory marked.

    An empirical CDF shows every one of a few dozen samples without choosing
    bins (a histogram of 30 samples in 25 bins is mostly 0/1 counts); the
    heavy right tail of alpha(0) shows as a long last step.

    Parameters
    ----------
    samples : mapping
        Panel title -> {group (e.g. W): alpha(0) per realization (e^2 a^2/t per site, > 0)}.
    markers : mapping
        Panel title -> {group: {"mean" | "median" | "typical" | "theory": value}}; each is
        marked on the group's CDF (the theory as a star).
    labels : mapping, optional
        Legend text per group (default ``str(group)``).
    """
    panels: dict[str, list[Curve]] = {}
    for title, series in samples.items():
        curves = panels.setdefault(title, [])
        for group, values in series.items():
            x, y = style.ecdf(values)
            label = (labels or {}).get(group, str(group))
            curves.append(Curve(f"{label} ({x.size})", x, y, role="samples", group=group))
            for name, value in markers.get(title, {}).get(group, {}).items():
                height = np.searchsorted(x, value, side="right") / max(x.size, 1)
                role = "theory" if name == "theory" else name
                curves.append(Curve(name, [value], [height], role=role, group=group))
    return _plot("alpha_distribution", panels, caption, metadata)
