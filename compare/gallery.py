r"""The report's figures, built from an :class:`~compare.analysis.Analysis`.

The figures show the time-reversal-invariant points (flux 0), which the theory
describes; points with a flux appear in the report's time-reversal table.

One function per figure of issue 7, each returning a
:class:`~compare.figures.Plot` (or None when the archives hold no data for
it), and :func:`build_plots` for all of them. Theory curves are evaluated here
from ``theory`` (Eq. 42 through the lattice mapping, the exact 1D results), so
a figure needs only the archive and the theory. Captions name the parameters
and the root seeds; the metadata repeat them in machine-readable form.
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np

from theory.critical import critical_disorder
from theory.eq42 import solve_eq42
from theory.exact1d import thouless_localization_length
from theory.localized import localization_properties
from theory.mapping import map_lattice
from theory.parameters import TheoryParameters

from .analysis import Analysis, LengthEntry
from .figures import (
    Curve,
    Plot,
    alpha_distribution_figure,
    conductivity_figure,
    kernel_figure,
    ln_xi_figure,
    scaling_figure,
    static_response_figure,
    xi_figure,
)
from .lengths import crossings

__all__ = [
    "KERNEL_COUPLINGS",
    "alpha_plot",
    "build_plots",
    "conductivity_plot",
    "kernel_plot",
    "ln_xi_plot",
    "scaling_plot",
    "static_response_plot",
    "xi_plot",
]

#: Couplings lambda of the Eq. (42) kernel figure per dimension (free electrons, default
#: cutoffs): weak to moderate in d = 1, 2; in d = 3 on both sides of lambda_c = 0.326.
KERNEL_COUPLINGS = {1: (0.02, 0.05, 0.1), 2: (0.1, 0.15, 0.25), 3: (0.2, 0.3, 0.4)}
#: Points of the theory lines drawn against W.
_LINE_POINTS = 60


def _metadata(analysis: Analysis, **extra: object) -> dict[str, object]:
    return {"seeds": analysis.seeds, **extra}


def _seeds(analysis: Analysis) -> str:
    return f"root seed(s) {', '.join(map(str, analysis.seeds))}"


def conductivity_plot(analysis: Analysis) -> Plot | None:
    """Re sigma/w^2 against w: numerics, Eq. (42), the fitted laws over their windows."""
    points = [p for p in analysis.points_with("conductivity") if p.flux == 0]
    if not points:
        return None
    panels: dict[str, list[Curve]] = {}
    for point in points:
        c = point.conductivity
        w2 = c.omega**2
        curves = panels.setdefault(f"d = {point.dim}", [])
        group = sum(curve.role == "numerics" for curve in curves)
        curves.append(Curve(point.label, c.omega, c.mean / w2, c.stderr / w2, group=group))
        if c.theory is not None:
            curves.append(
                Curve(
                    f"Eq. (42), W={point.disorder:g}",
                    c.omega,
                    c.theory / w2,
                    role="theory",
                    group=group,
                )
            )
        for law, fit in c.fits.items():
            inside = (c.omega >= fit.window[0]) & (c.omega <= fit.window[1])
            w = c.omega[inside]
            label = "fit A w^2" if law == "omega2" else "fit A' w^2 ln^2(1/(w tau))"
            role = "fit" if law == "omega2" else "fit_alt"
            curves.append(
                Curve(
                    f"{label}, W={point.disorder:g}",
                    w,
                    fit.predict(w) / w**2,
                    role=role,
                    group=group,
                )
            )
    caption = (
        "Low-frequency conductivity divided by w^2 (a law A w^2 is flat). Markers: exact "
        "diagonalization, disorder-averaged, error bars one standard error; solid: Eq. (42) "
        "through the Born mapping; dashed: weighted fit of A w^2 in the physical window; "
        "dash-dotted: the Mott-Berezinskii law A' w^2 ln^2(1/(w tau)) (1D). "
        + "; ".join(
            f"{p.label}: {p.conductivity.n_realizations} realizations, eta {p.conductivity.eta:g}"
            for p in points
        )
        + f"; {_seeds(analysis)}."
    )
    return conductivity_figure(
        panels, caption, _metadata(analysis, points=[p.point_id for p in points])
    )


def _common_energy(entries: list[LengthEntry]) -> float | None:
    if not entries:
        return None
    return Counter(e.energy for e in entries).most_common(1)[0][0]


def xi_plot(analysis: Analysis) -> Plot | None:
    """1D: transfer-matrix xi and r0 against W, with Thouless and the Eq. (42) r0."""
    chains = [e for e in analysis.lengths if e.dim == 1 and e.flux == 0 and e.disorder > 0]
    energy = _common_energy(chains)
    if energy is None:
        return None
    chains = sorted((e for e in chains if e.energy == energy), key=lambda e: e.disorder)
    w = np.array([e.disorder for e in chains])
    curves = [
        Curve(
            "xi, transfer matrix",
            w,
            [e.xi.value for e in chains],
            [[e.xi.value - e.xi.low for e in chains], [e.xi.high - e.xi.value for e in chains]],
        ),
    ]
    fits = [
        p
        for p in analysis.points_with("static_response", dim=1)
        if p.fermi_energy == energy and p.static_response.fit is not None
    ]
    if fits:
        r0 = [p.static_response.fit.r0 for p in fits]
        curves.append(
            Curve(
                "r0, Eq. (37) fit to chi(q,0)",
                [p.disorder for p in fits],
                [e.value for e in r0],
                [[e.value - e.low for e in r0], [e.high - e.value for e in r0]],
            )
        )
    grid = np.geomspace(w.min() / 1.5, w.max() * 1.5, _LINE_POINTS)
    if 0 < abs(energy) < 2:
        thouless = [thouless_localization_length(energy, x) for x in grid]
        curves.append(Curve("xi, Thouless (exact, W -> 0)", grid, thouless, role="exact"))
    if abs(energy) < 2:
        r0_theory = [
            localization_properties(map_lattice(1, x, energy).parameters).localization_length
            for x in grid
        ]
        curves.append(Curve("r0, Eq. (42)", grid, r0_theory, role="theory"))
    caption = (
        f"1D localization lengths at E = {energy:g} against disorder W: transfer-matrix xi "
        "(amplitude decay), r0 from the Eq. (37) Lorentzian, the exact weak-disorder xi = 4 l "
        f"(Thouless) and r0 = 2 l of Eq. (42); {_seeds(analysis)}."
    )
    return xi_figure(curves, caption, _metadata(analysis, energy=energy))


def ln_xi_plot(analysis: Analysis) -> Plot | None:
    """2D: ln xi_M at the widest strip against 1/lambda, with ln r0 of Eq. (42)."""
    strips = [e for e in analysis.lengths if e.dim == 2 and e.flux == 0 and e.mapping is not None]
    if not strips:
        return None
    widest = max(e.width for e in strips)
    energy = _common_energy([e for e in strips if e.width == widest])
    strips = sorted(
        (e for e in strips if e.width == widest and e.energy == energy),
        key=lambda e: 1 / e.mapping.coupling,
    )
    x = [1 / e.mapping.coupling for e in strips]
    curves = [
        Curve(
            f"ln xi_M, strip M={widest}",
            x,
            [math.log(e.xi.value) for e in strips],
            [e.xi.log_sigma * e.xi.z for e in strips],
        ),
    ]
    disorders = [e.disorder for e in strips]
    grid = np.geomspace(min(disorders) / 1.2, max(disorders) * 1.2, _LINE_POINTS)
    mappings = [map_lattice(2, w, energy) for w in grid]
    theory = [
        (1 / m.coupling, localization_properties(m.parameters).localization_length)
        for m in mappings
    ]
    curves.append(
        Curve(
            "ln r0, Eq. (42)",
            [t[0] for t in theory],
            [math.log(t[1]) for t in theory],
            role="theory",
        )
    )
    caption = (
        f"2D: logarithm of the strip localization length xi_M (M = {widest}, E = {energy:g}) "
        "against 1/lambda = 2 pi E_F tau of the Born mapping, and ln r0 of Eq. (42) (slope 1/2 "
        f"for lambda -> 0); {_seeds(analysis)}."
    )
    return ln_xi_figure(curves, caption, _metadata(analysis, width=widest, energy=energy))


def static_response_plot(analysis: Analysis) -> Plot | None:
    """chi(q,0)/chi^T against q with the Eq. (37) fits and the Eq. (42) Lorentzian."""
    points = [p for p in analysis.points_with("static_response") if p.mapping is not None]
    points = [p for p in points if p.flux == 0]
    if not points:
        return None
    panels: dict[str, list[Curve]] = {}
    for point in points:
        r = point.static_response
        curves = panels.setdefault(f"d = {point.dim}", [])
        group = sum(curve.role == "numerics" for curve in curves)
        inside = r.q > 0
        q = r.q[inside]
        curves.append(
            Curve(
                point.label, q, r.mean[inside] / r.chi_t, r.stderr[inside] / r.chi_t, group=group
            )
        )
        line = np.linspace(q.min(), q.max(), _LINE_POINTS)
        if r.fit is not None:
            fitted = r.fit.predict(line) / r.chi_t
            label = f"Eq. (37) fit, r0={r.fit.r0.value:.3g}"
            curves.append(Curve(label, line, fitted, role="fit", group=group))
        if point.theory is not None and point.theory.localized:
            r0 = point.theory.localization_length
            x = (r0 * line) ** 2
            curves.append(
                Curve(f"Eq. (42), r0={r0:.3g}", line, x / (1 + x), role="theory", group=group)
            )
    caption = (
        "Static density response chi(q,0) in units of chi^T = rho(E_F) (clean DOS) against the "
        "allowed wavevectors; dashed: Eq. (37) fitted for q <= 1/l with chi^T free; solid: "
        f"Eq. (37) with r0 of Eq. (42); {_seeds(analysis)}."
    )
    return static_response_figure(panels, caption, _metadata(analysis))


def kernel_plot(analysis: Analysis | None = None) -> Plot:
    """-Re M(0,w)/E_F of Eq. (42) against w/E_F for several lambda in d = 1, 2, 3.

    Units of E_F, not of 1/tau: in d = 1, -Re M tau = 1/(4 w tau) whatever lambda, so
    curves against w tau would coincide.
    """
    omega = np.geomspace(1e-6, 10.0, 200)
    panels: dict[str, list[Curve]] = {}
    for dim, couplings in KERNEL_COUPLINGS.items():
        curves = panels.setdefault(f"d = {dim}", [])
        for coupling in couplings:
            params = TheoryParameters.from_lambda(dim, coupling)
            solution = solve_eq42(params, omega)
            state = "localized" if localization_properties(params).localized else "metal"
            curves.append(
                Curve(
                    f"lambda={coupling:g} ({state})", omega, -solution.kernel.real, role="theory"
                )
            )
    caption = (
        "Numerical solution of Eq. (42) for free electrons with the default cutoffs (k0 = 1/l "
        "in d = 2, 3; none in d = 1), in units of E_F = 1 (hbar = p_F = 1): -Re M(0,w). In "
        "the localized phase it grows as w0^2/w (slope -1); in the d = 3 metal it vanishes "
        "as w -> 0."
    )
    return kernel_figure(
        panels, caption, {"couplings": {str(k): v for k, v in KERNEL_COUPLINGS.items()}}
    )


def scaling_plot(analysis: Analysis) -> Plot | None:
    """3D: Lambda_M against W per bar width, with the crossing and the Eq. (42) W_c."""
    bars = [e for e in analysis.lengths if e.dim == 3 and e.flux == 0]
    energy = _common_energy(bars)
    if energy is None:
        return None
    bars = [e for e in bars if e.energy == energy]
    curves = []
    for width in sorted({e.width for e in bars}):
        row = sorted((e for e in bars if e.width == width), key=lambda e: e.disorder)
        curves.append(
            Curve(
                f"M={width}",
                [e.disorder for e in row],
                [e.Lambda for e in row],
                [
                    [(e.xi.value - e.xi.low) / width for e in row],
                    [(e.xi.high - e.xi.value) / width for e in row],
                ],
            )
        )
    found = crossings([(e.width, e.disorder, e.Lambda) for e in bars])
    lambdas = [e.Lambda for e in bars]
    try:
        w_c = critical_disorder(energy)
    except ValueError:  # energy outside the clean band: no Born mapping
        w_c = None
    if w_c is not None:
        label = f"W_c of Eq. (42) = {w_c:.3g}"
        curves.append(Curve(label, [w_c, w_c], [min(lambdas), max(lambdas)], role="theory"))
    text = ", ".join(f"M={a}/{b}: W={w:.3g}" for a, b, w in found) or "none inside the data"
    caption = (
        f"3D: Lambda_M = xi_M/M of M x M bars at E = {energy:g} against W; curves of increasing "
        f"M cross at the critical disorder (crossings {text}); vertical line: the mobility edge "
        f"of Eq. (42) through the Born mapping; {_seeds(analysis)}."
    )
    return scaling_figure(curves, caption, _metadata(analysis, energy=energy, crossings=found))


def alpha_plot(analysis: Analysis) -> Plot | None:
    """Distribution of alpha(0) per sweep point, with mean, median, typical and Eq. (42)."""
    points = [p for p in analysis.points_with("polarizability") if p.flux == 0]
    if not points:
        return None
    samples, markers = {}, {}
    for point in points:
        s = point.polarizability.summary
        samples[point.label] = point.polarizability.values
        markers[point.label] = {"mean": s.mean, "median": s.median, "typical": s.typical}
        if point.theory is not None and point.theory.localized:
            markers[point.label]["Eq. (42)"] = point.theory.static_polarizability
    caption = (
        "Distribution of the static polarizability alpha(0) over disorder realizations "
        "(position-operator route), log10 axis; vertical lines: mean, median, typical "
        f"(geometric mean) and the Eq. (42) value; {_seeds(analysis)}."
    )
    return alpha_distribution_figure(samples, markers, caption, _metadata(analysis))


def build_plots(analysis: Analysis) -> list[Plot]:
    """Every figure the archives support, in report order (the Eq. (42) kernel always)."""
    plots = [
        conductivity_plot(analysis),
        xi_plot(analysis),
        ln_xi_plot(analysis),
        static_response_plot(analysis),
        kernel_plot(analysis),
        scaling_plot(analysis),
        alpha_plot(analysis),
    ]
    return [plot for plot in plots if plot is not None]
