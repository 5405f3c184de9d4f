r"""The report's figures, built from an :class:`~compare.analysis.Analysis`.

The figures show the time-reversal-invariant points (flux 0), which the theory
describes; points with a flux appear in the report's time-reversal table.

One function per figure of issue 7, each returning a
:class:`~compare.figures.Plot` (or None when the archives hold no data for
it), and :func:`build_plots` for all of them. Theory curves are evaluated here
from ``theory`` (Eq. 42 through the lattice mapping, the exact 1D results), so
a figure needs only the archive and the theory. Captions name the parameters
(Unicode notation, for the Markdown report); the root seeds are in the metadata
and in the report's footer.
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
from scipy.stats import chi2 as chi2_distribution

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
    "FIT_ACCEPT_P",
    "KERNEL_COUPLINGS",
    "alpha_plot",
    "build_plots",
    "conductivity_plot",
    "fit_accepted",
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
#: A fit is drawn only if its chi^2 has at least this upper-tail probability for its degrees
#: of freedom (diagonal weights): a law the data reject is not evidence for its amplitude.
FIT_ACCEPT_P = 1e-3


def fit_accepted(chi2: float, dof: int) -> bool:
    """Whether a weighted fit passes its goodness-of-fit test (p >= :data:`FIT_ACCEPT_P`)."""
    return dof > 0 and math.isfinite(chi2) and chi2_distribution.sf(chi2, dof) >= FIT_ACCEPT_P


def _w(value: float) -> str:
    return f"$W={value:g}$"


def _fit_sentence(drawn: int, total: int, what: str) -> str:
    """Caption clause on the fits: how many are drawn and why the others are not."""
    if total == 0:
        return ""
    if drawn == total:
        return f"dashed: {what}, over its window; "
    rejected = f"{total - drawn} of {total} rejected by their chi^2 (p < {FIT_ACCEPT_P:g}) and "
    if drawn == 0:
        return f"{what}: all {total} rejected by their chi^2 (p < {FIT_ACCEPT_P:g}), not drawn; "
    return f"dashed: {what}, over its window ({rejected}not drawn); "


def _metadata(analysis: Analysis, **extra: object) -> dict[str, object]:
    return {"seeds": analysis.seeds, **extra}


def conductivity_plot(analysis: Analysis) -> Plot | None:
    """Re sigma/w^2 against w: numerics, Eq. (42), the accepted fitted laws over their windows."""
    points = [p for p in analysis.points_with("conductivity") if p.flux == 0]
    if not points:
        return None
    panels: dict[str, list[Curve]] = {}
    fits_drawn = fits_total = 0
    for point in points:
        c = point.conductivity
        w2 = c.omega**2
        curves = panels.setdefault(f"$d = {point.dim}$", [])
        group = point.disorder
        curves.append(Curve(_w(point.disorder), c.omega, c.mean / w2, c.stderr / w2, group=group))
        if c.theory is not None:
            curves.append(
                Curve(f"Eq. (42), {_w(point.disorder)}", c.omega, c.theory / w2, role="theory",
                      group=group)
            )  # fmt: skip
        for law, fit in c.fits.items():
            inside = (c.omega >= fit.window[0]) & (c.omega <= fit.window[1])
            w = c.omega[inside]
            accepted = fit_accepted(fit.chi2, fit.dof)
            fits_total += 1
            fits_drawn += accepted
            label = r"fit $A\omega^2$" if law == "omega2" else "fit Mott-Berezinskii"
            role = "fit" if law == "omega2" else "fit_alt"
            curves.append(
                Curve(f"{label}, {_w(point.disorder)}", w, fit.predict(w) / w**2, role=role,
                      group=group, accepted=accepted)
            )  # fmt: skip
    shapes = {}
    for p in points:
        shapes.setdefault(p.dim, f"E_F = {p.fermi_energy:g} t, L = {'x'.join(map(str, p.shape))}")
    caption = (
        "Low-frequency conductivity divided by ω² (a law A ω² is flat). Markers: exact "
        "diagonalization, disorder-averaged, error bars one standard error; solid: Eq. (42) "
        "through the Born mapping; "
        + _fit_sentence(
            fits_drawn,
            fits_total,
            "weighted fits of A ω² and of the Mott-Berezinskii law "
            "A' ω² ln²(1/ωτ) (1D) in the physical window",
        )  # fmt: skip
        + "; ".join(f"d = {d}: {text}" for d, text in shapes.items())
        + "; "
        + ", ".join(
            f"{p.conductivity.n_realizations} realizations at W = {p.disorder:g}" for p in points
        )
        + f", broadening η = {points[0].conductivity.eta:g} t."
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
            r"$\xi$, transfer matrix",
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
                r"$r_0$, Eq. (37) fit to $\chi(q,0)$",
                [p.disorder for p in fits],
                [e.value for e in r0],
                [[e.value - e.low for e in r0], [e.high - e.value for e in r0]],
            )
        )
    grid = np.geomspace(w.min() / 1.5, w.max() * 1.5, _LINE_POINTS)
    if 0 < abs(energy) < 2:
        thouless = [thouless_localization_length(energy, x) for x in grid]
        curves.append(Curve(r"$\xi = 4l$ (exact, $W \to 0$)", grid, thouless, role="exact"))
    if abs(energy) < 2:
        r0_theory = [
            localization_properties(map_lattice(1, x, energy).parameters).localization_length
            for x in grid
        ]
        curves.append(Curve(r"$r_0 = 2l$, Eq. (42)", grid, r0_theory, role="theory"))
    caption = (
        f"1D localization lengths at E = {energy:g} t against disorder W: transfer-matrix ξ "
        "(amplitude decay), r₀ from the Eq. (37) Lorentzian, the exact weak-disorder ξ = 4l "
        "(Thouless) and r₀ = 2l of Eq. (42)."
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
            rf"$\ln \xi_M$, strip $M={widest}$",
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
            r"$\ln r_0$, Eq. (42)",
            [t[0] for t in theory],
            [math.log(t[1]) for t in theory],
            role="theory",
        )
    )
    caption = (
        f"2D: logarithm of the strip localization length ξ_M (M = {widest}, E = {energy:g} t) "
        "against 1/λ = 2π E_F τ/ħ of the Born mapping, and ln r₀ of Eq. (42) (slope 1/2 "
        "for λ → 0)."
    )
    return ln_xi_figure(curves, caption, _metadata(analysis, width=widest, energy=energy))


def static_response_plot(analysis: Analysis) -> Plot | None:
    """chi(q,0)/chi^T against q with the Eq. (37) fits and the Eq. (42) Lorentzian."""
    points = [p for p in analysis.points_with("static_response") if p.mapping is not None]
    points = [p for p in points if p.flux == 0]
    if not points:
        return None
    panels: dict[str, list[Curve]] = {}
    fits_drawn = fits_total = 0
    for point in points:
        r = point.static_response
        curves = panels.setdefault(f"$d = {point.dim}$", [])
        group = point.disorder
        inside = r.q > 0
        q = r.q[inside]
        curves.append(
            Curve(
                _w(point.disorder), q, r.mean[inside] / r.chi_t, r.stderr[inside] / r.chi_t,
                group=group,
            )
        )  # fmt: skip
        if r.fit is not None:
            line = np.linspace(q.min(), min(q.max(), r.fit.q_max), _LINE_POINTS)
            fitted = r.fit.predict(line) / r.chi_t
            accepted = fit_accepted(r.fit.chi2, r.fit.n_points - (1 if r.fit.chi_t_fixed else 2))
            fits_total += 1
            fits_drawn += accepted
            label = f"Eq. (37) fit, $r_0={r.fit.r0.value:.3g}$"
            curves.append(Curve(label, line, fitted, role="fit", group=group, accepted=accepted))
        if point.theory is not None and point.theory.localized:
            line = np.linspace(q.min(), q.max(), _LINE_POINTS)
            r0 = point.theory.localization_length
            x = (r0 * line) ** 2
            curves.append(
                Curve(f"Eq. (42), $r_0={r0:.3g}$", line, x / (1 + x), role="theory", group=group)
            )
    caption = (
        "Static density response χ(q,0) in units of χ^T = ρ(E_F) (clean DOS) against the "
        "allowed wavevectors; solid: Eq. (37) with r₀ of Eq. (42); "
        + _fit_sentence(fits_drawn, fits_total, "Eq. (37) fitted for q ≤ 1/l with χ^T free")
    ).rstrip("; ") + "."
    return static_response_figure(panels, caption, _metadata(analysis))


def kernel_plot(analysis: Analysis | None = None) -> Plot:
    """-Re M(0,w)/E_F of Eq. (42) against w/E_F for several lambda in d = 1, 2, 3.

    Units of E_F, not of 1/tau: in d = 1, -Re M tau = 1/(4 w tau) whatever lambda, so
    curves against w tau would coincide.
    """
    omega = np.geomspace(1e-6, 10.0, 200)
    panels: dict[str, list[Curve]] = {}
    for dim, couplings in KERNEL_COUPLINGS.items():
        curves = panels.setdefault(f"$d = {dim}$", [])
        for coupling in couplings:
            params = TheoryParameters.from_lambda(dim, coupling)
            solution = solve_eq42(params, omega)
            state = "localized" if localization_properties(params).localized else "metal"
            curves.append(
                Curve(
                    rf"$\lambda={coupling:g}$ ({state})",
                    omega,
                    -solution.kernel.real,
                    role="theory",
                )
            )
    caption = (
        "Numerical solution of Eq. (42) for free electrons with the default cutoffs (k₀ = 1/l "
        "in d = 2, 3; none in d = 1), in units of E_F = 1 (ħ = p_F = 1): −Re M(0,ω). In "
        "the localized phase it grows as ω₀²/ω (slope −1); in the d = 3 metal it vanishes "
        "as ω → 0."
    )
    return kernel_figure(
        panels, caption, {"couplings": {str(k): v for k, v in KERNEL_COUPLINGS.items()}}
    )


def _crossing_curve(bars: list[LengthEntry], found: list[tuple[int, int, float]]) -> Curve:
    """The crossing of the widest pair, its interval the spread over all pairs (as the row)."""
    values = np.array([w for _, _, w in found])
    m1, m2, w_cross = found[-1]
    spread = float(np.ptp(values)) if values.size > 1 else 0.0
    row = sorted((e for e in bars if e.width == m2), key=lambda e: e.disorder)
    level = float(
        np.exp(np.interp(w_cross, [e.disorder for e in row], [math.log(e.Lambda) for e in row]))
    )
    return Curve(
        f"crossing $M={m1}/{m2}$", [w_cross], [level], role="crossing", xerr=[[spread], [spread]]
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
                f"$M={width}$",
                [e.disorder for e in row],
                [e.Lambda for e in row],
                [
                    [(e.xi.value - e.xi.low) / width for e in row],
                    [(e.xi.high - e.xi.value) / width for e in row],
                ],
                group=width,
            )
        )
    found = crossings([(e.width, e.disorder, e.Lambda) for e in bars])
    if found:
        curves.append(_crossing_curve(bars, found))
    try:
        w_c = critical_disorder(energy)
    except ValueError:  # energy outside the clean band: no Born mapping
        w_c = None
    if w_c is not None:
        curves.append(Curve(f"$W_c$ of Eq. (42) $= {w_c:.3g}$", [w_c], [np.nan], role="reference"))
    if found:
        text = ", ".join(f"M = {a}/{b}: W = {w:.3g} t" for a, b, w in found)
        crossing = (
            f"the curves of successive widths cross at {text}; cross: the widest pair, shaded: "
            "the spread over the pairs (finite-size drift)"
        )
    else:
        crossing = "no crossing of successive widths lies inside the data"
    caption = (
        f"3D: Λ_M = ξ_M/M of M × M bars at E = {energy:g} t against W; {crossing}"
        + (
            f"; vertical line: the mobility edge of Eq. (42) through the Born mapping, "
            f"W_c = {w_c:.3g} t"
            if w_c is not None
            else ""
        )  # fmt: skip
        + "."
    )
    return scaling_figure(curves, caption, _metadata(analysis, energy=energy, crossings=found))


def alpha_plot(analysis: Analysis) -> Plot | None:
    """Distribution of alpha(0) per sweep point, with mean, median, typical and Eq. (42)."""
    points = [p for p in analysis.points_with("polarizability") if p.flux == 0]
    if not points:
        return None
    samples: dict[str, dict[float, object]] = {}
    markers: dict[str, dict[float, dict[str, float]]] = {}
    for point in points:
        s = point.polarizability.summary
        panel = f"$d = {point.dim}$"
        samples.setdefault(panel, {})[point.disorder] = point.polarizability.values
        marks = {"mean": s.mean, "median": s.median, "typical": s.typical}
        if point.theory is not None and point.theory.localized:
            marks["theory"] = point.theory.static_polarizability
        markers.setdefault(panel, {})[point.disorder] = marks
    caption = (
        "Empirical distribution of the static polarizability α(0) over disorder realizations "
        "(position-operator route; number of realizations in the legend): fraction of "
        "realizations with α(0) below the abscissa. Markers on each curve: mean (▼), median "
        "(|), typical value exp⟨ln α⟩ (×) and the Eq. (42) value (star, where Eq. (42) "
        "localizes). A mean far right of the median signals a heavy tail."
    )
    labels = {p.disorder: _w(p.disorder) for p in points}
    return alpha_distribution_figure(samples, markers, caption, _metadata(analysis), labels)


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
