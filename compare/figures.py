r"""Publication figures of the comparison, as matplotlib Figure objects.

Every function takes plain arrays and small result objects and returns a
:class:`Plot`: the :class:`matplotlib.figure.Figure` (built without pyplot, so
no global state and no display), a caption, the metadata (parameters and
seeds) and the plotted data as plain lists. Nothing is saved here: the batch
layer writes files, and stores :attr:`Plot.data` as JSON so tests and readers
can recover exactly what was drawn.

One style throughout (:data:`STYLE`): numerics as markers with error bars,
the numerical solution of Eq. (42) as solid lines, fits as dashed lines, exact
and printed (seed) formulas as dotted and dash-dotted lines. Axes carry units
in the conventions of ``docs/conventions.md`` (hbar = e = a = 1, energies in t).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from matplotlib import rc_context
from matplotlib.figure import Figure
from matplotlib.ticker import FormatStrFormatter, LogLocator, NullFormatter

__all__ = [
    "STYLE",
    "Curve",
    "Plot",
    "alpha_distribution_figure",
    "alpha_size_figure",
    "conductivity_figure",
    "kernel_figure",
    "ln_xi_figure",
    "scaling_figure",
    "static_response_figure",
    "xi_figure",
]

#: rcParams of every vwloc figure (single-column PRB width 3.4 in, 8 pt text).
STYLE: dict[str, Any] = {
    "font.size": 8,
    "axes.labelsize": 8,
    "axes.titlesize": 8,
    "legend.fontsize": 6.5,
    "legend.frameon": False,
    "xtick.labelsize": 7,
    "ytick.labelsize": 7,
    "xtick.direction": "in",
    "ytick.direction": "in",
    "xtick.top": True,
    "ytick.right": True,
    "lines.linewidth": 1.2,
    "lines.markersize": 3.5,
    "errorbar.capsize": 1.5,
    "savefig.dpi": 200,
    "pdf.fonttype": 42,
    "figure.constrained_layout.use": True,
}

#: Single-column width in inches (Phys. Rev. style).
COLUMN_WIDTH = 3.4
#: Panels per row; more panels wrap onto further rows.
MAX_COLUMNS = 3

#: Line style per curve role.
_ROLE_STYLE: dict[str, dict[str, Any]] = {
    "numerics": {"marker": "o", "linestyle": "none", "markerfacecolor": "none"},
    "theory": {"linestyle": "-"},
    "fit": {"linestyle": "--"},
    "fit_alt": {"linestyle": (0, (5, 1.5, 1, 1.5))},
    "exact": {"linestyle": ":"},
    "printed": {"linestyle": "-."},
}


@dataclass(frozen=True)
class Curve:
    """One plotted series.

    Attributes
    ----------
    label : str
        Legend text.
    x, y : array_like
        Coordinates in the axis units.
    yerr : array_like, optional
        Symmetric error bars, or shape (2, n) asymmetric (lower, upper) distances.
    role : str
        ``numerics``, ``theory``, ``fit``, ``fit_alt`` (a competing law), ``exact`` or
        ``printed`` (sets the style).
    group : int, optional
        Curves of one group (one sweep point: its numerics, theory and fits) share
        a colour; only the group's numerics get a legend entry, and one grey entry
        per line style explains the roles. Ungrouped curves get their own colour
        and legend entry.
    """

    label: str
    x: Any
    y: Any
    yerr: Any = None
    role: str = "numerics"
    group: int | None = None

    def __post_init__(self) -> None:
        if self.role not in _ROLE_STYLE:
            raise ValueError(f"role must be one of {tuple(_ROLE_STYLE)}, got {self.role!r}")
        x, y = np.asarray(self.x, dtype=float), np.asarray(self.y, dtype=float)
        if x.ndim != 1 or x.shape != y.shape:
            raise ValueError(f"curve {self.label!r}: x {x.shape} and y {y.shape} must match")

    def as_dict(self) -> dict[str, Any]:
        """Plain-JSON form (lists of floats, NaN as None)."""
        data = {
            "label": self.label,
            "role": self.role,
            "group": self.group,
            "x": _plain(self.x),
            "y": _plain(self.y),
        }
        if self.yerr is not None:
            data["yerr"] = _plain(self.yerr)
        return data


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
        Parameters, seeds and archive provenance of the data.
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


#: Legend text of the grey line-style entries of grouped curves.
_ROLE_LABEL = {
    "theory": "Eq. (42)",
    "fit": "fit",
    "fit_alt": "alternative fit",
    "exact": "exact",
    "printed": "seed (printed)",
}


def _draw(axes: Any, curves: Sequence[Curve]) -> None:
    """Draw ``curves`` in the role styles with colours by group (see :class:`Curve`)."""
    free = 0
    grouped_roles = []
    for curve in curves:
        style = dict(_ROLE_STYLE[curve.role])
        if curve.group is None:
            color, label = f"C{(10 - 1 - free) % 10}", curve.label
            free += 1
        else:
            color = f"C{curve.group % 10}"
            label = curve.label if curve.role == "numerics" else "_nolegend_"
            if curve.role != "numerics" and curve.role not in grouped_roles:
                grouped_roles.append(curve.role)
        x, y = np.asarray(curve.x, dtype=float), np.asarray(curve.y, dtype=float)
        if curve.role == "numerics":
            axes.errorbar(x, y, yerr=curve.yerr, color=color, label=label, **style)
        else:
            axes.plot(x, y, color=color, label=label, **style)
    for role in grouped_roles:
        axes.plot([], [], color="0.4", label=_ROLE_LABEL[role], **_ROLE_STYLE[role])
    axes.tick_params(
        which="both",
        direction="in",
        top=True,
        right=True,
        labelsize=STYLE["xtick.labelsize"],
    )
    if curves:
        axes.legend(loc="best", fontsize=STYLE["legend.fontsize"], frameon=False)


def _tidy_log_axis(axis: Any) -> None:
    """Label 1, 2, 5 x 10^k in plain numbers on a log axis spanning less than 1.5 decades.

    matplotlib labels the minor ticks of such short axes in scientific notation,
    and neighbouring labels overlap.
    """
    low, high = sorted(axis.get_view_interval())
    if low > 0 and np.log10(high / low) < 1.5:
        axis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
        axis.set_major_formatter(FormatStrFormatter("%g"))
        axis.set_minor_formatter(NullFormatter())


def _figure(n_panels: int = 1, height: float = 2.6) -> tuple[Figure, list[Any]]:
    """A figure of ``n_panels`` single-column panels, at most :data:`MAX_COLUMNS` per row."""
    columns = min(n_panels, MAX_COLUMNS)
    rows = -(-n_panels // columns)
    with rc_context(STYLE):
        figure = Figure(figsize=(COLUMN_WIDTH * columns, height * rows), layout="constrained")
        axes = list(figure.subplots(rows, columns, squeeze=False).ravel())
    for extra in axes[n_panels:]:
        figure.delaxes(extra)
    return figure, axes[:n_panels]


def _plot(
    name: str,
    panels: Mapping[str, Sequence[Curve]],
    axis_setup: Sequence[Mapping[str, Any]],
    caption: str,
    metadata: Mapping[str, Any] | None,
) -> Plot:
    """Draw ``panels`` side by side; ``axis_setup[i]`` holds xlabel, ylabel, xscale, yscale."""
    figure, axes_list = _figure(len(panels))
    with rc_context(STYLE):
        for axes, (title, curves), setup in zip(
            axes_list, panels.items(), axis_setup, strict=True
        ):
            axes.set_xscale(setup.get("xscale", "linear"))
            axes.set_yscale(setup.get("yscale", "linear"))
            _draw(axes, curves)
            for axis, scale in ((axes.xaxis, "xscale"), (axes.yaxis, "yscale")):
                if setup.get(scale) == "log":
                    _tidy_log_axis(axis)
            axes.set_xlabel(setup["xlabel"])
            axes.set_ylabel(setup["ylabel"])
            if len(panels) > 1 or title:
                axes.set_title(title)
    return Plot(
        name=name,
        figure=figure,
        caption=caption,
        metadata=dict(metadata or {}),
        panels={title: list(curves) for title, curves in panels.items()},
    )


def conductivity_figure(
    panels: Mapping[str, Sequence[Curve]], caption: str, metadata: Mapping[str, Any] | None = None
) -> Plot:
    r"""Re sigma(w) / w^2 against w on log axes, one panel per dimension.

    A law Re sigma = A w^2 is a horizontal line; the Mott-Berezinskii law rises
    as ln^2(1/(w tau)) towards small w. ``panels`` maps a title ("d = 1") to
    curves already divided by w^2: numerics (Re sigma/w^2 with errors), the
    Eq. (42) solution, the fitted laws over their window, printed formulas.
    """
    setup = {
        "xlabel": r"$\omega$ ($t/\hbar$)",
        "ylabel": r"Re $\sigma(\omega)/\omega^2$ ($e^2\hbar/t^2$ per site)",
        "xscale": "log",
        "yscale": "log",
    }
    return _plot("sigma_omega2", panels, [setup] * len(panels), caption, metadata)


def xi_figure(
    curves: Sequence[Curve], caption: str, metadata: Mapping[str, Any] | None = None
) -> Plot:
    """Localization lengths against disorder W in 1D, log-log (transfer matrices, r0, Thouless)."""
    setup = {
        "xlabel": r"disorder $W$ ($t$)",
        "ylabel": r"length ($a$)",
        "xscale": "log",
        "yscale": "log",
    }
    return _plot("xi_1d", {"": curves}, [setup], caption, metadata)


def ln_xi_figure(
    curves: Sequence[Curve], caption: str, metadata: Mapping[str, Any] | None = None
) -> Plot:
    r"""ln xi against 1/lambda in 2D: the theory predicts a straight line of slope 1/2."""
    setup = {"xlabel": r"$1/\lambda = 2\pi E_F\tau$", "ylabel": r"$\ln(\xi/a)$"}
    return _plot("ln_xi_2d", {"": curves}, [setup], caption, metadata)


def alpha_size_figure(
    panels: Mapping[str, Sequence[Curve]], caption: str, metadata: Mapping[str, Any] | None = None
) -> Plot:
    r"""alpha(0)/alpha_theory against the system size N (log-log), one panel per (d, W, E_F).

    Curves: the mean, the median and the typical value with their intervals,
    and horizontal reference lines (Eq. 42 = 1, the exact value).
    """
    setup = {
        "xlabel": r"system size $N$ (sites)",
        "ylabel": r"$\alpha(0)/\alpha_{\mathrm{Eq.\,42}}$",
        "xscale": "log",
        "yscale": "log",
    }
    return _plot("alpha_size", panels, [setup] * len(panels), caption, metadata)


def static_response_figure(
    panels: Mapping[str, Sequence[Curve]], caption: str, metadata: Mapping[str, Any] | None = None
) -> Plot:
    r"""chi(q, 0)/chi^T against q with the Eq. (37) Lorentzian fit, one panel per dimension."""
    setup = {"xlabel": r"$q$ ($1/a$)", "ylabel": r"$\chi(q,0)/\chi^T$"}
    return _plot("chi_static", panels, [setup] * len(panels), caption, metadata)


def kernel_figure(
    panels: Mapping[str, Sequence[Curve]], caption: str, metadata: Mapping[str, Any] | None = None
) -> Plot:
    r"""The Eq. (42) solution: -Re M(0, w) against w in units of E_F, per dimension.

    In the localized phase -Re M = w0^2 / w diverges at small w (a straight line
    of slope -1 on log axes); in the metal it vanishes.
    """
    setup = {
        "xlabel": r"$\omega/E_F$",
        "ylabel": r"$-\mathrm{Re}\,M(0,\omega)/E_F$",
        "xscale": "log",
        "yscale": "log",
    }
    return _plot("kernel_M", panels, [setup] * len(panels), caption, metadata)


def scaling_figure(
    curves: Sequence[Curve], caption: str, metadata: Mapping[str, Any] | None = None
) -> Plot:
    r"""Lambda_M = xi_M / M against W in 3D: curves for increasing M cross at W_c."""
    setup = {"xlabel": r"disorder $W$ ($t$)", "ylabel": r"$\Lambda_M = \xi_M/M$", "yscale": "log"}
    return _plot("scaling_3d", {"": curves}, [setup], caption, metadata)


def alpha_distribution_figure(
    samples: Mapping[str, Any],
    markers: Mapping[str, Mapping[str, float]],
    caption: str,
    metadata: Mapping[str, Any] | None = None,
    bins: int = 30,
) -> Plot:
    r"""Histograms of log10 alpha(0) per realization, with mean, median and typical marked.

    Parameters
    ----------
    samples : mapping
        Panel title -> alpha(0) per realization (e^2 a^2/t per site, positive).
    markers : mapping
        Panel title -> {label: value} vertical lines (mean, median, typical, theory).
    bins : int
        Histogram bins on the log10 axis.
    """
    figure, axes_list = _figure(len(samples))
    panels: dict[str, list[Curve]] = {}
    with rc_context(STYLE):
        for axes, (title, values) in zip(axes_list, samples.items(), strict=True):
            logs = np.log10(np.asarray(values, dtype=float))
            counts, edges = np.histogram(logs, bins=bins, density=True)
            centres = 0.5 * (edges[1:] + edges[:-1])
            axes.stairs(counts, edges, color="C0", label=f"{logs.size} realizations")
            curves = [Curve("histogram", centres, counts)]
            for index, (label, value) in enumerate(markers.get(title, {}).items()):
                axes.axvline(np.log10(value), color=f"C{index + 1}", linestyle="--", label=label)
                curves.append(Curve(label, [np.log10(value)] * 2, [0.0, counts.max()], role="fit"))
            axes.legend(loc="best")
            axes.set_xlabel(r"$\log_{10}[\alpha(0)\,t/(e^2a^2)]$")
            axes.set_ylabel("probability density")
            if len(samples) > 1:
                axes.set_title(title)
            panels[title] = curves
    return Plot("alpha_distribution", figure, caption, dict(metadata or {}), panels)
