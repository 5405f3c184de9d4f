r"""Claim: Re sigma(w) = A w^2 at low frequency in the localized phase (seed Eqs. 36, 44).

Rows (``sigma_w2/...``), one per size series (same d, W, E_F; several N or L):
the coefficient A of a weighted A w^2 fit in the physical window
(:func:`compare.fits.physical_window`) at each size, converged in size
(:func:`compare.verdicts.size_convergence`), against the same fit applied to
the Eq. (42) curve on the same window (the theory's w -> 0 coefficient in
the note) and the seed's printed Eq. (44).

Regime conditions (else "not tested" with the reason), with
:data:`SEPARATION` standing for "<<":

- the Born mapping holds (:func:`compare.verdicts.born_regime`);
- level spacing << eta << w_min and w_max << w0 (the theory's localization
  frequency), the window spanning at least :data:`MIN_DECADES` decade;
- the chain holds the Mott resonances: N >> r0 ln(w0/w_min);
- every fit describes the data: Re sigma/(A w^2) constant over the window by the
  realization-covariance test (:func:`_proportionality_rejection`; a diagonal chi^2,
  :func:`compare.verdicts.fit_rejection`, below
  :data:`compare.smooth_deviation.MIN_REALIZATIONS` realizations).

The 1D alternative law A' w^2 ln^2(1/(w tau)) (Mott-Berezinskii) is fitted
beside it and ranked by AIC; the ranking is a tag in the summary.

Rows ``sigma_curve/...``: the Eq. (42) curve itself, with no free parameter, on
the same window and under the same conditions: the weighted mean of
Re sigma/Re sigma_Eq.42 converged in size against 1 (its constant-ratio model
accepted by the same test; the chi^2 of the curve itself is in the note). The figure
adds Berezinskii's exact asymptote in 1D (Berezinskii's time the backscattering
time 2 tau, :mod:`theory.exact1d`; the note also compares the Born-time reading).

2D points whose every frequency lies above SEPARATION x w0 (weak disorder, where w0 is
exponentially small) hold no w << w0 data: they get no row or curve here; their rows
are the weak-localization and Drude rows of :mod:`.weak_localization`.
"""

from __future__ import annotations

import math

import numpy as np

from theory.asymptotics import seed_sigma_w2_coefficient
from theory.exact1d import BEREZINSKII_READINGS, berezinskii_conductivity, berezinskii_time

from ..analysis import WINDOW_SEPARATION, Analysis, ConductivityAnalysis, PointAnalysis
from ..blocks import Block, number_text, table
from ..estimate import Estimate
from ..figures import Curve, Plot, conductivity_figure, window_sensitivity_figure
from ..fits import LawFit, basis, fit_law
from ..smooth_deviation import MIN_REALIZATIONS, smooth_deviation_test
from ..statistics import student_interval
from ..verdicts import (
    FIT_P_VALUE,
    VerdictRow,
    born_regime,
    deviation_rejection,
    fit_p_value,
    fit_rejection,
    judge,
    mean_interval_reasons,
    shape_verdict,
    size_convergence,
)
from ._common import (
    fit_accepted,
    fit_sentence,
    linear_size,
    point_regime,
    printed_reference,
    size_series,
    w_label,
)

__all__ = [
    "BEREZINSKII_MAX_WTAU",
    "KINDS",
    "MIN_DECADES",
    "SEPARATION",
    "SUMMARY",
    "TITLE",
    "blocks",
    "plots",
    "rows",
]

TITLE = "Low-frequency conductivity Re sigma = A w^2"
#: The line of the five-line summary this claim's rows are counted on.
SUMMARY = "conductivity"
#: Row kinds (key prefixes) of this claim.
KINDS = ("sigma_w2", "sigma_curve")
#: Factor standing for "<<" in the regime conditions (a << b means 3 a <= b), the same
#: as the analysis uses to end the window below w0.
SEPARATION = WINDOW_SEPARATION
#: The fit window must span at least this many decades of frequency.
MIN_DECADES = 1.0
#: Name of the exact curve per reading of Berezinskii's tau in the note.
_BEREZINSKII_LABELS = {
    "backscattering": "Berezinskii 2 tau (reference)",
    "born": "Berezinskii tau",
}
#: The exact Mott-Berezinskii asymptote is drawn for w tau_B <= this, tau_B Berezinskii's
#: time (:func:`theory.exact1d.berezinskii_time`; it is a w tau_B << 1 form, and its
#: bracket turns negative near 2 w tau_B ~ 0.3).
BEREZINSKII_MAX_WTAU = 0.1


def _regime(series: list[PointAnalysis]) -> dict:
    """Named parameters: the series' lattice and mapping, w0, and at the largest size the
    broadening eta, the level spacing and the fit window (all in t)."""
    largest = series[-1]
    c = largest.conductivity
    window = list(c.window) if c.window is not None else None
    return point_regime(
        series,
        w0=largest.theory.omega0,
        eta=c.eta,
        level_spacing=c.level_spacing,
        window=window,
    )


def _theory_coefficient(conductivity: ConductivityAnalysis) -> float | None:
    """A of the same window fit applied to the Eq. (42) curve (numerics' weights)."""
    if conductivity.theory is None or conductivity.window is None:
        return None
    fit = fit_law(
        conductivity.omega, conductivity.theory, conductivity.stderr, conductivity.window, "omega2"
    )
    return fit.coefficient


def _window_conditions(point: PointAnalysis) -> list[str]:
    """Why the point's window does not test the w << w0 law ([] if it does)."""
    c, theory = point.conductivity, point.theory
    if c.window is None:
        return [f"N={linear_size(point)}: no fit window ({c.skipped})"]
    low, high = c.window
    size = f"N={linear_size(point)}" if point.dim == 1 else f"L={linear_size(point)}"
    reasons = []
    if not c.eta >= SEPARATION * c.level_spacing:
        reasons.append(f"{size}: eta {c.eta:.3g} not >> level spacing {c.level_spacing:.3g}")
    if not low >= SEPARATION * c.eta:
        reasons.append(f"{size}: w_min {low:.3g} not >> eta {c.eta:.3g}")
    if not high <= theory.omega0 / SEPARATION:
        reasons.append(f"{size}: w_max {high:.3g} not << w0 {theory.omega0:.3g}")
    if math.log10(high / low) < MIN_DECADES:
        reasons.append(f"{size}: window {low:.3g}-{high:.3g} spans < {MIN_DECADES:g} decade")
    mott = theory.localization_length * math.log(max(theory.omega0 / low, math.e))
    if point.dim == 1 and not linear_size(point) >= SEPARATION * mott:
        reasons.append(f"{size}: N not >> r0 ln(w0/w_min) = {mott:.3g}")
    return reasons


def _tail_reasons(point: PointAnalysis) -> list[str]:
    """1D: Re sigma at small w is carried by rare resonances; the window average of
    Re sigma/w^2 per realization must pass the heavy-tail rule of the mean."""
    c = point.conductivity
    if point.dim != 1 or c.values is None or c.window is None:
        return []
    inside = (c.omega >= c.window[0]) & (c.omega <= c.window[1])
    per_realization = (c.values[:, inside] / c.omega[inside] ** 2).mean(axis=1)
    return mean_interval_reasons(per_realization, f"N={linear_size(point)}: Re sigma/w^2")


def _ratio_test(c: ConductivityAnalysis, inside: np.ndarray, model: np.ndarray):
    """Realization-covariance test that Re sigma_i/model is constant in ln w on ``inside``."""
    return smooth_deviation_test(
        np.log(c.omega[inside]), c.values[:, inside] / model, lowest=1
    )  # raises ValueError for too few frequencies


def _proportionality_rejection(
    c: ConductivityAnalysis, inside, model, fit: tuple[float, int], what: str
) -> str:
    """Why "Re sigma proportional to ``model`` on the window ``inside``" is rejected ("" if
    it is not).

    With at least :data:`~compare.smooth_deviation.MIN_REALIZATIONS` realizations the
    ratio Re sigma_i/model of every realization is expanded in P_1..P_3 of ln w and
    Hotelling's T^2 asks whether the mean of those terms is zero, on the realizations'
    own covariance (:func:`compare.smooth_deviation.smooth_deviation_test`, ``lowest =
    1``): the frequencies of one realization share its eigenpairs and broadening, so the
    diagonal chi^2 of the weighted fit is not chi^2-distributed. With fewer
    realizations that diagonal chi^2 (``fit`` = (chi^2, dof)) is the only test left.
    """
    if c.n_realizations < MIN_REALIZATIONS:
        return fit_rejection(*fit, what)
    try:
        test = _ratio_test(c, inside, model)
    except ValueError as exc:
        return f"{what}: {exc}"
    return deviation_rejection(test, what)


def _fit_inside(c: ConductivityAnalysis, window: tuple[float, float]) -> np.ndarray:
    return (c.omega >= window[0]) & (c.omega <= window[1])


def _row(series: list[PointAnalysis]) -> VerdictRow:
    fitted = [p for p in series if "omega2" in p.conductivity.fits]
    largest = series[-1]
    reasons = born_regime(largest.mapping)
    for point in series:
        if "omega2" not in point.conductivity.fits:
            reasons.append(f"size {linear_size(point)}: not fitted ({point.conductivity.skipped})")
            continue
        fit, c = point.conductivity.fits["omega2"], point.conductivity
        reasons += _window_conditions(point) + _tail_reasons(point)
        inside = _fit_inside(c, fit.window)
        reasons.append(
            _proportionality_rejection(
                c,
                inside,
                c.omega[inside] ** 2,
                (fit.chi2, fit.dof),
                f"size {linear_size(point)}: A w^2 fit",
            )  # fmt: skip
        )
    estimates = [
        Estimate(
            p.conductivity.fits["omega2"].coefficient, *p.conductivity.fits["omega2"].interval
        )
        for p in fitted
    ]
    convergence = size_convergence([linear_size(p) for p in fitted], estimates)
    reasons.append(convergence.reason)
    numerics = convergence.limit or (estimates[-1] if estimates else None)
    references = printed_reference(seed_sigma_w2_coefficient, largest.mapping.parameters)
    reference_point = fitted[-1] if fitted else largest
    theory_window = _theory_coefficient(reference_point.conductivity)
    if theory_window is not None and theory_window > 0:
        references["theory"] = Estimate.exact(theory_window)
    note = f"{convergence.describe()}; Eq. (42) w -> 0 coefficient " + (
        f"{largest.theory.sigma_w2_coefficient:.3g}"
    )
    tags: tuple[str, ...] = ()
    for point in fitted:
        fit, c = point.conductivity.fits["omega2"], point.conductivity
        note += (
            f"; size {linear_size(point)}: A = {fit.coefficient:.3g}, window {fit.window[0]:.3g}"
            f"-{fit.window[1]:.3g} ({fit.n_points} frequencies, reduced chi^2 "
            f"{fit.reduced_chi2:.2f}), {c.n_realizations} realizations"
        )
        if c.sensitivity:
            spread = [row["A"] for row in c.sensitivity]
            note += f", A over {len(spread)} windows {min(spread):.3g}...{max(spread):.3g}"
    if largest.dim == 1 and fitted:
        note += "; " + _laws_note(fitted[-1])
    if fitted and fitted[-1].conductivity.selection is not None:
        selection = fitted[-1].conductivity.selection
        others = ", ".join(f"{k} {v:.1f}" for k, v in selection.delta_aic.items() if v > 0)
        note += f"; laws by AIC at the largest size: best {selection.best} (delta AIC: {others})"
        tags = (f"d={largest.dim} best law by AIC: {selection.best}",)
    return judge(
        key=f"sigma_w2/{largest.point_id}",
        claim=f"Re sigma = A w^2 at low w, d={largest.dim} (Eqs. 36, 44)",
        quantity="A (e^2 hbar/t^2 per site)",
        regime=_regime(series),
        numerics=numerics,
        references=references,
        untested=reasons,
        note=note,
        tags=tags,
    )


def _laws_note(point: PointAnalysis) -> str:
    """1D, largest size: goodness of fit of the three laws on the window, and the exact
    Berezinskii curve (no free parameter) with Berezinskii's time the backscattering time
    2 tau (the reference) or the Born time tau."""
    c = point.conductivity
    parts = []
    for law, name in (("omega2", "A w^2"), ("mott", "A' w^2 ln^2(1/(w tau))")):
        if law in c.fits:
            fit = c.fits[law]
            parts.append(
                f"{name}: {fit.coefficient:.3g}, reduced chi^2 {fit.reduced_chi2:.3g} "
                f"(p = {fit_p_value(fit.chi2, fit.dof):.2g}){_covariance_text(c, fit)}"
            )
    inside = (c.omega >= c.window[0]) & (c.omega <= c.window[1])
    w, mean, error = c.omega[inside], c.mean[inside], c.stderr[inside]
    params = point.mapping.parameters
    every = np.ones(w.size, dtype=bool)
    curves = [("Eq. (42)", c.theory[inside], every)] if c.theory is not None else []
    for reading in BEREZINSKII_READINGS:
        # The exact asymptote is a w tau_B << 1 form: compared where w tau_B <= 0.1 only.
        valid = w * berezinskii_time(params.tau, reading) <= BEREZINSKII_MAX_WTAU
        if valid.sum() >= 3:
            exact = np.zeros(w.size)
            exact[valid] = berezinskii_conductivity(
                w[valid], params.tau, params.fermi_velocity, reading=reading
            )
            curves.append((_BEREZINSKII_LABELS[reading], exact, valid))
    for label, curve, valid in curves:
        y, e, f = mean[valid], error[valid], curve[valid]
        chi2 = float(np.sum(((y - f) / e) ** 2))
        ratio = float(np.sum(y * f / e**2) / np.sum(f**2 / e**2))
        parts.append(
            f"{label} curve (no free parameter, w <= {w[valid].max():.3g}): chi^2/dof "
            f"{chi2 / y.size:.3g} (p = {fit_p_value(chi2, y.size):.2g}), best scale data/curve "
            f"{ratio:.3g}"
        )
    return f"laws on the window at N={linear_size(point)}: " + "; ".join(parts)


def _covariance_text(c: ConductivityAnalysis, fit: LawFit) -> str:
    """The realization-covariance test of a law's shape, as a note fragment ("" with too
    few realizations)."""
    if c.n_realizations < MIN_REALIZATIONS:
        return ""
    inside = _fit_inside(c, fit.window)
    model = basis(fit.law, c.omega[inside], fit.tau)
    try:
        test = _ratio_test(c, inside, model)
    except ValueError:
        return ""
    return f", shape by the realization covariance: {test.describe()}"


def _curve_row(series: list[PointAnalysis]) -> VerdictRow | None:
    """The Eq. (42) curve itself (no free parameter) against Re sigma in the same window.

    Judged on the weighted mean of data/curve over the window when that ratio is
    constant (its chi^2 accepts it); when it is not, the curve's shape is rejected
    and :func:`~compare.verdicts.shape_verdict` decides from the ratio's range at the
    largest size (never "agrees").
    """
    largest = series[-1]
    reasons = born_regime(largest.mapping)
    sizes, estimates, notes, rejected = [], [], [], []
    shape: tuple[np.ndarray, np.ndarray] | None = None
    for point in series:
        c = point.conductivity
        if c.window is None or c.theory is None or c.n_realizations < 2:
            reasons.append(f"size {linear_size(point)}: no fit window ({c.skipped})")
            continue
        reasons += _window_conditions(point) + _tail_reasons(point)
        inside = (c.omega >= c.window[0]) & (c.omega <= c.window[1])
        ratio, error = c.mean[inside] / c.theory[inside], c.stderr[inside] / c.theory[inside]
        weights = 1 / error**2
        mean = float(np.sum(weights * ratio) / np.sum(weights))
        if c.n_realizations >= MIN_REALIZATIONS:
            # each realization's weighted window mean (their mean is ``mean``): its error
            # includes the correlation of the frequencies, which 1/sqrt(sum of weights)
            # treats as independent
            estimate = student_interval(
                (c.values[:, inside] / c.theory[inside]) @ weights / np.sum(weights)
            )
        else:
            estimate = Estimate.from_stderr(mean, 1 / math.sqrt(float(np.sum(weights))))
        chi2_ratio = float(np.sum(((ratio - mean) / error) ** 2))
        chi2_curve = float(np.sum(((ratio - 1) / error) ** 2))
        dof = int(inside.sum())
        size = linear_size(point)
        rejection = _proportionality_rejection(
            c, inside, c.theory[inside], (chi2_ratio, dof - 1), f"size {size}: constant ratio"
        )
        if rejection:
            rejected.append(rejection)
        shape = (ratio, error)
        notes.append(
            f"size {size}: data/Eq. (42) = {mean:.3g} (from {float(ratio.min()):.3g} to "
            f"{float(ratio.max()):.3g} across the window), chi^2/dof of the curve itself "
            f"{chi2_curve:.3g}/{dof} (p = {fit_p_value(chi2_curve, dof):.2g})"
        )
        sizes.append(size)
        estimates.append(estimate)
    if not notes:
        return None
    convergence = size_convergence(sizes, estimates)
    reasons.append(convergence.reason)
    qualitative = None
    if rejected and shape is not None:
        verdict, why = shape_verdict(*shape)
        qualitative = (verdict, f"{why} at size {sizes[-1]}; " + "; ".join(rejected))
    return judge(
        key=f"sigma_curve/{largest.point_id}",
        claim=f"Re sigma(w) of Eq. (42) in the w << w0 window, no free parameter, d={largest.dim}",
        quantity="weighted mean of Re sigma / Re sigma_Eq.42 over the window",
        regime=_regime(series),
        numerics=convergence.limit,
        references={"theory": Estimate.exact(1.0)},
        untested=reasons,
        qualitative=qualitative,
        note="; ".join([convergence.describe(), *notes]),
    )


def _above_localization(point: PointAnalysis) -> bool:
    """A 2D point whose every frequency lies above SEPARATION x w0: at weak disorder w0 is
    exponentially small (1e-5 t at l = 3.4), the data hold no w << w0 and test the
    weak-localization logarithm instead (:mod:`.weak_localization`)."""
    return point.dim == 2 and bool(
        np.min(point.conductivity.omega) > SEPARATION * point.theory.omega0
    )


def _eligible(point: PointAnalysis) -> bool:
    return (
        point.conductivity is not None
        and point.flux == 0
        and point.theory is not None
        and point.theory.localized
        and not _above_localization(point)
    )


def rows(analysis: Analysis) -> list[VerdictRow]:
    """Per size series of time-reversal-invariant localized points: A w^2, the Eq. (42) curve."""
    out = []
    for series in _same_broadening(size_series(analysis.points, _eligible)):
        out.append(_row(series))
        curve = _curve_row(series)
        if curve is not None:
            out.append(curve)
    return out


def _same_broadening(groups: list[list[PointAnalysis]]) -> list[list[PointAnalysis]]:
    """Split each size series by the broadening eta: a size series compares one observable
    at several sizes, and a Mott-regime study (eta ~ 1e-3, N ~ 1e4) beside a dense one
    (eta ~ 4e-3, N <~ 1e3) at the same W would otherwise mix their windows."""
    out = []
    for series in groups:
        by_eta: dict[float, list[PointAnalysis]] = {}
        for point in series:
            by_eta.setdefault(float(point.conductivity.eta), []).append(point)
        out += list(by_eta.values())
    return out


def plots(analysis: Analysis) -> list[Plot]:
    """Re sigma/w^2 against w: numerics, Eq. (42), the fitted laws over their windows;
    the largest size of each series only (the smaller ones, drawn in the same style,
    would hide it; their rows and fits are in the tables)."""
    points = [
        series[-1]
        for series in size_series(
            analysis.points_with("conductivity"),
            lambda p: p.flux == 0 and not (p.theory is not None and _above_localization(p)),
        )
    ]
    if not points:
        return []
    panels: dict[str, list[Curve]] = {}
    fits_drawn = fits_total = 0
    for point in points:
        c = point.conductivity
        w2 = c.omega**2
        curves = panels.setdefault(f"$d = {point.dim}$", [])
        group = point.disorder
        label = w_label(point.disorder)
        curves.append(Curve(label, c.omega, c.mean / w2, c.stderr / w2, group=group))
        if c.theory is not None:
            curves.append(
                Curve(f"Eq. (42), {label}", c.omega, c.theory / w2, role="theory", group=group)
            )
        if point.dim == 1 and point.mapping is not None:
            params = point.mapping.parameters
            # the reference reading only (backscattering time 2 tau); the note has both
            valid = c.omega * berezinskii_time(params.tau) <= BEREZINSKII_MAX_WTAU
            if valid.sum() >= 2:
                w = c.omega[valid]
                exact = berezinskii_conductivity(w, params.tau, params.fermi_velocity)
                curves.append(
                    Curve(
                        rf"Berezinskii (exact, $\omega\tau \ll 1$), {label}",
                        w,
                        exact / w**2,
                        role="exact",
                        group=group,
                    )
                )
        for law, fit in c.fits.items():
            inside = (c.omega >= fit.window[0]) & (c.omega <= fit.window[1])
            w = c.omega[inside]
            accepted = fit_accepted(fit.chi2, fit.dof)
            fits_total += 1
            fits_drawn += accepted
            name = r"fit $A\omega^2$" if law == "omega2" else "fit Mott-Berezinskii"
            role = "fit" if law == "omega2" else "fit_alt"
            curves.append(
                Curve(f"{name}, {label}", w, fit.predict(w) / w**2, role=role, group=group,
                      accepted=accepted)
            )  # fmt: skip
    sizes, energies, counts = {}, {}, {}
    for p in points:
        counts.setdefault(p.dim, set()).add(p.conductivity.n_realizations)
        energies.setdefault(p.dim, {})[f"{p.fermi_energy:g}"] = None
        size = " × ".join(map(str, p.shape))
        sizes.setdefault(p.dim, {})[f"{size} (W = {p.disorder:g})"] = None
    lattices = {
        d: f"d = {d}: E_F = {', '.join(energies[d])} t, the largest size of each series, "
        f"L = {', '.join(texts)}"
        for d, texts in sizes.items()
    }
    caption = (
        "Low-frequency conductivity divided by ω² (a law A ω² is flat), W in units of t. "
        "Markers: exact diagonalization, disorder-averaged, error bars one standard error; "
        + _line_sentences(panels, fits_drawn, fits_total)
        + "; ".join(lattices.values())
        + "; realizations per point: "
        + ", ".join(f"{'/'.join(map(str, sorted(n)))} (d = {d})" for d, n in counts.items())
        + f"; broadening η = {points[0].conductivity.eta:g} t."
    )
    metadata = {"seeds": analysis.seeds, "points": [p.point_id for p in points]}
    sensitivity = _sensitivity_plot(analysis)
    extra = [sensitivity] if sensitivity is not None else []
    return [conductivity_figure(panels, caption, metadata), *extra]


def _sensitivity_plot(analysis: Analysis) -> Plot | None:
    """A of the w^2 fit against its window: every window of the sensitivity table, per d.

    One marker and colour per disorder W; x the window centre with bars to its edges,
    y the coefficient with its bootstrap interval; filled where the fit passes its own
    chi^2, open where it does not.
    """
    points = [
        p
        for p in analysis.points_with("conductivity")
        if p.flux == 0 and p.conductivity.sensitivity
    ]
    if not points:
        return None
    panels: dict[str, list[Curve]] = {}
    accepted_total = windows_total = 0
    for point in points:
        key, label = point.disorder, w_label(point.disorder)
        curves = panels.setdefault(f"$d = {point.dim}$", [])
        rows = point.conductivity.sensitivity
        flags = [fit_accepted(row["A_chi2"], row["A_dof"]) for row in rows]
        accepted_total += sum(flags)
        windows_total += len(rows)
        for accepted in (True, False):
            chosen = [row for row, flag in zip(rows, flags, strict=True) if flag == accepted]
            if not chosen:
                continue
            low, high = np.array([row["window"] for row in chosen]).T
            centre = np.sqrt(low * high)
            value = np.array([row["A"] for row in chosen])
            a_low, a_high = np.array([row["A_interval"] for row in chosen]).T
            curves.append(
                Curve(
                    label,
                    centre,
                    value,
                    yerr=[value - a_low, a_high - value],
                    xerr=[centre - low, high - centre],
                    role="estimate",
                    group=key,
                    accepted=accepted,
                )  # fmt: skip
            )
    lattices = {}
    for p in points:
        size = " × ".join(map(str, p.shape))
        lattices.setdefault(p.dim, f"d = {p.dim}: E_F = {p.fermi_energy:g} t, L = {size}")
    caption = (
        "Window sensitivity of the coefficient A of the weighted fit Re σ = A ω² (W in units "
        "of t): the physical fit window with each edge scaled by 0.5, 1 and 2, at most nine "
        "windows per point. Horizontal bars span each window ω_min…ω_max (the marker sits at "
        "its centre √(ω_min ω_max)), vertical bars are the 95 % bootstrap intervals; filled "
        f"markers: fits accepted by their own χ² (p ≥ {FIT_P_VALUE:g}), open: rejected "
        f"({windows_total - accepted_total} of {windows_total} windows). An A independent of "
        "the window would lie on a horizontal line; " + "; ".join(lattices.values()) + "."
    )
    # the colours and markers of the conductivity figure: every W it shows
    series = sorted({p.disorder for p in analysis.points_with("conductivity") if p.flux == 0})
    metadata = {"seeds": analysis.seeds, "points": [p.point_id for p in points], "series": series}
    return window_sensitivity_figure(panels, caption, metadata)


def _line_sentences(panels: dict[str, list[Curve]], fits_drawn: int, fits_total: int) -> str:
    """Caption clauses for the lines actually drawn (a 2D-only figure has no Berezinskii line
    and no Mott-Berezinskii fit, so its caption names neither)."""

    def where(role: str) -> str | None:
        """None if no panel has the role; "" if all do; else " (d = 1)" naming those that do."""
        titles = [t for t, curves in panels.items() if any(c.role == role for c in curves)]
        if not titles:
            return None
        if len(titles) == len(panels):
            return ""
        return " (" + ", ".join(t.strip("$") for t in titles) + ")"

    text = "" if where("theory") is None else "solid: Eq. (42) through the Born mapping; "
    exact = where("exact")
    if exact is not None:
        text += (
            "dotted: Berezinskii's exact asymptote, his time the backscattering time "
            f"τ_b = 2τ, for ωτ_b ≤ {BEREZINSKII_MAX_WTAU:g}{exact}; "
        )
    what = "weighted fits of A ω²"
    mott = where("fit_alt")
    if mott is not None:
        what += f" and{mott} of the Mott-Berezinskii law A' ω² ln²(1/ωτ)"
    return text + fit_sentence(fits_drawn, fits_total, what + " in the physical window")


def blocks(analysis: Analysis) -> list[Block]:
    """The fits per point and their window sensitivity."""
    out: list[Block] = []
    headers = [
        "point",
        "law",
        "coefficient (e^2 hbar/t^2 per site) [95 % bootstrap]",
        "stderr (diagonal)",
        "window (t/hbar)",
        "points",
        "reduced chi^2",
        "AIC",
    ]
    fit_rows, skipped, sensitivity = [], [], []
    for p in analysis.points_with("conductivity"):
        c = p.conductivity
        if c.skipped:
            skipped.append(f"{p.point_id}: {c.skipped}")
        for law, fit in c.fits.items():
            low, high = fit.interval
            fit_rows.append(
                [
                    p.point_id,
                    law,
                    f"{fit.coefficient:.4g} [{low:.4g}, {high:.4g}]",
                    number_text(fit.stderr),
                    f"{fit.window[0]:.3g} - {fit.window[1]:.3g}",
                    str(fit.n_points),
                    number_text(fit.reduced_chi2),
                    number_text(fit.aic),
                ]
            )
        for row in c.sensitivity:
            sensitivity.append(
                [
                    p.point_id,
                    f"{row['window'][0]:.3g} - {row['window'][1]:.3g}",
                    f"{row['A']:.4g} [{row['A_interval'][0]:.4g}, {row['A_interval'][1]:.4g}]",
                    number_text(row["A_reduced_chi2"]),
                    f"{row['A_mott']:.4g}" if "A_mott" in row else "-",
                    number_text(row["mott_reduced_chi2"]) if "A_mott" in row else "-",
                    row.get("best", "-"),
                ]
            )
    if fit_rows:
        out.append(table(headers, fit_rows))
    if skipped:
        out.append(Block("paragraph", "Not fitted: " + "; ".join(skipped) + "."))
    if sensitivity:
        out.append(
            Block(
                "paragraph",
                "Window sensitivity (figure window_sensitivity): both edges of the fit window "
                "scaled by 0.5, 1 and 2.",
            )
        )
        out.append(
            table(
                [
                    "point",
                    "window (t/hbar)",
                    "A (e^2 hbar/t^2 per site) [95 %]",
                    "red. chi^2",
                    "A' Mott (e^2 hbar/t^2 per site)",
                    "red. chi^2 (Mott)",
                    "best by AIC",
                ],
                sensitivity,
            )
        )
    return out
