r"""Claim: a finite static polarizability alpha(0) and the length r0 (seed Sec. IV, Eq. 37).

Rows, one per size series (same d, W, E_F; several sizes):

- ``alpha0``: the disorder-mean alpha(0) against Eq. (42)'s (n/m)/w0^2, the
  printed formula and (1D) the exact Berezinskii value (Berezinskii's time the
  backscattering time 2 tau, :mod:`theory.exact1d`). alpha(0) is heavy
  tailed (rare resonant pairs, docs/theory.md section 6a): at every size the
  mean gets Peng's trimmed-mean interval with a Hill tail correction
  (:func:`compare.verdicts.mean_estimate`), valid for a tail index above 1 and
  refused (row "not tested (mean not estimable)") where the index interval
  reaches 1; the median (distribution-free order-statistic interval) and the
  typical value carry the size dependence beside it;
- ``r0_alpha``: r0 = sqrt(mean alpha(0)/chi^T), the same rules;
- ``r0_chi``: r0 from the Eq. (37) fit to chi(q, 0), judged only when every
  fit is accepted by its chi^2 and the lattice is longer than
  :data:`FINITE_SIZE_FACTOR` r0;
- ``r0_over_xi``: that r0 over the transfer-matrix xi (1D), against 1/2 of
  Eq. (42) and the exact sqrt(alpha_exact/rho)/xi = sqrt(zeta(3)) = 1.10.

All need the Born regime (:func:`compare.verdicts.born_regime`) and
convergence in size (:func:`compare.verdicts.size_convergence`).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from theory.asymptotics import seed_localization_length, seed_static_polarizability
from theory.exact1d import (
    BEREZINSKII_READINGS,
    berezinskii_static_polarizability,
    thouless_localization_length,
)

from ..analysis import Analysis, LengthEntry, PointAnalysis
from ..blocks import Block, estimate_text, number_text, table
from ..estimate import Estimate
from ..figures import (
    Curve,
    Plot,
    alpha_distribution_figure,
    alpha_size_figure,
    static_response_figure,
)
from ..statistics import (
    HEAVY_TAIL_MIN_SAMPLES,
    heavy_tail_mean,
    hill_tail_index,
    median_interval,
    typical_interval,
)
from ..verdicts import (
    FIT_P_VALUE,
    MIN_SIZES,
    SizeConvergence,
    VerdictRow,
    born_regime,
    fit_rejection,
    judge,
    mean_estimate,
    mean_interval_reasons,
    size_convergence,
)
from ._common import (
    fit_accepted,
    fit_sentence,
    linear_size,
    point_regime,
    printed_reference,
    series_of,
    size_series,
)

__all__ = [
    "SUMMARY",
    "FINITE_SIZE_FACTOR",
    "FINITE_VARIANCE_INDEX",
    "KINDS",
    "MIN_TAIL_SAMPLES",
    "TITLE",
    "blocks",
    "plots",
    "rows",
    "size_table",
]

TITLE = "Static polarizability alpha(0) and the length r0"
#: The line of the five-line summary this claim's rows are counted on.
SUMMARY = "alpha(0) and r0"
#: Row kinds (key prefixes) of this claim.
KINDS = ("alpha0", "alpha0_median", "alpha0_typical", "r0_alpha", "r0_chi", "r0_over_xi")
#: A lattice shorter than this many theory lengths r0 cuts the localized response off.
FINITE_SIZE_FACTOR = 4.0
#: chi(q, 0) at small q inherits the heavy tail of alpha(0) (chi ~ alpha q^2): the Eq.
#: (37) fit to its means, the fit's tests and r0's bootstrap interval need a finite
#: variance, so the Hill index of every fitted wavevector must lie above 2 (its whole
#: interval, as the mean's rule asks of 1).
FINITE_VARIANCE_INDEX = 2.0
#: Legend label of the exact alpha(0) line per reading of Berezinskii's tau.
_BEREZINSKII_LABELS = {
    "backscattering": r"Berezinskii ($\tau$ = backscattering time $2\tau$)",
    "born": r"Berezinskii ($\tau$ = Born time)",
}
#: Fewest realizations for a tail estimate (Hill with k = sqrt(n) >= 5 order statistics).
MIN_TAIL_SAMPLES = 25


def _tail_reasons(point: PointAnalysis) -> list[str]:
    """Why the mean alpha(0) at this size has no honest interval ([] if it has one)."""
    return mean_interval_reasons(
        point.polarizability.values, f"size {linear_size(point)}: alpha(0)"
    )


def _tail(values: np.ndarray) -> tuple[float, float, float] | None:
    """Hill index with its 95 % interval: from the top 10 % (the mean's rule,
    :func:`compare.statistics.heavy_tail_mean`) where there are enough values, else from
    the top sqrt(n); None below :data:`MIN_TAIL_SAMPLES`."""
    if values.size >= HEAVY_TAIL_MIN_SAMPLES and np.all(values > 0):
        result = heavy_tail_mean(values)
        return result.tail_index, result.tail_low, result.tail_high
    if values.size >= MIN_TAIL_SAMPLES:
        tail = hill_tail_index(values)
        return tail.index, tail.low, tail.high
    return None


def _tail_text(values: np.ndarray) -> str:
    tail = _tail(values)
    return "-" if tail is None else f"{tail[0]:.2g} [{tail[1]:.2g}, {tail[2]:.2g}]"


def _finite_size(series: list[PointAnalysis]) -> list[str]:
    r0 = series[0].theory.localization_length
    short = [linear_size(p) for p in series if linear_size(p) < FINITE_SIZE_FACTOR * r0]
    if short:
        return [f"sizes {short} < {FINITE_SIZE_FACTOR:g} r0 = {FINITE_SIZE_FACTOR * r0:.3g}"]
    return []


def _location_note(series: list[PointAnalysis], theory: float) -> str:
    parts = []
    for point in series:
        values = point.polarizability.values
        median = float(np.median(values))
        mean = mean_estimate(values)
        text = f"N={linear_size(point)} ({values.size}): mean/Eq.42 {values.mean() / theory:.3g}"
        if mean is not None:
            text += f" (Peng {mean.value / theory:.3g} [{mean.low / theory:.3g}, "
            text += f"{mean.high / theory:.3g}])"
        if values.size >= 6:
            low, high = median_interval(values)
            text += f", median {median / theory:.3g} [{low / theory:.3g}, {high / theory:.3g}]"
        low, high = typical_interval(values)
        typical = math.sqrt(low * high)
        text += f", typical {typical / theory:.3g} [{low / theory:.3g}, {high / theory:.3g}]"
        if values.size >= MIN_TAIL_SAMPLES:
            text += f", tail index {_tail_text(values)}"
        parts.append(text)
    return "; ".join(parts)


def _location_rows(series: list[PointAnalysis], regime: dict, base: list[str]) -> list[VerdictRow]:
    """The median and typical alpha(0)/alpha_Eq.42 converged in size (no theory reference).

    Eq. (42) predicts the mean; these rows carry the size dependence with honest
    intervals (order statistics; Student-t of <ln alpha>) and, where converged, a
    lower bound on the mean (the median of a right-skewed per-site average).
    """
    largest = series[-1]
    theory = largest.theory.static_polarizability
    sizes = [linear_size(p) for p in series]
    out = []
    for name, interval, center in (
        ("median", median_interval, np.median),
        ("typical", typical_interval, lambda v: math.exp(float(np.mean(np.log(v))))),
    ):
        usable = [p for p in series if p.polarizability.values.size >= 6]
        estimates = []
        for point in usable:
            values = point.polarizability.values / theory
            low, high = interval(values)
            estimates.append(Estimate(float(center(values)), low, high))
        convergence = size_convergence([linear_size(p) for p in usable], estimates)
        out.append(
            judge(
                key=f"alpha0_{name}/{largest.point_id}",
                claim=f"{name} alpha(0) converged in size, d={largest.dim} (numerics only: "
                "Eq. (42) predicts the mean)",
                quantity=f"{name} alpha(0) / alpha_Eq.42",
                regime=regime,
                numerics=convergence.limit,
                references={},
                untested=[*base, convergence.reason],
                note=f"sizes {sizes}: "
                + ", ".join(f"{e}" for e in estimates)
                + f"; {convergence.describe()}",
            )
        )
    return out


def _alpha_rows(series: list[PointAnalysis]) -> list[VerdictRow]:
    largest = series[-1]
    params = largest.mapping.parameters
    theory = largest.theory.static_polarizability
    regime = point_regime(series)
    base = born_regime(largest.mapping) + _finite_size(series)
    sizes = [linear_size(p) for p in series]
    # The mean is judged on the sizes where it has an honest interval (the tail-index
    # interval above 1, a pre-set rule on the sample, not on its value); the others are
    # listed in the note, and fewer than MIN_SIZES such sizes leave the row untested.
    means = {linear_size(p): mean_estimate(p.polarizability.values) for p in series}
    tails = [reason for point in series for reason in _tail_reasons(point)]
    usable = [size for size in sizes if means[size] is not None]
    if len(usable) >= MIN_SIZES:
        convergence = size_convergence(usable, [means[size] for size in usable])
        reasons = base + [convergence.reason]
    else:
        convergence = SizeConvergence(
            tuple(sizes),
            (),
            None,
            "",
            f"{len(sizes)} size(s) {sizes}: need >= {MIN_SIZES} to show convergence"
            if len(sizes) < MIN_SIZES
            else f"the mean has an honest interval at {len(usable)} size(s) {usable} only",
        )
        reasons = base + tails + [convergence.reason]
    if tails and len(usable) >= MIN_SIZES:
        base_note = "sizes without an estimable mean (left out): " + "; ".join(tails) + "; "
    else:
        base_note = ""
    note = (
        base_note
        + f"{convergence.describe()}; per size, in units of Eq. (42): "
        + _location_note(series, theory)
    )
    if largest.dim == 1:
        note += (
            "; exact (Berezinskii) / Eq. (42) = 4 zeta(3) = 4.81 with Berezinskii's time the "
            "backscattering time 2 tau (the exact reference here); zeta(3) = 1.20 with the "
            "Born time tau, 2 zeta(3) with 2 tau in eps only (docs/theory.md 6a)"
        )
    references = {"theory": Estimate.exact(theory)}
    references.update(printed_reference(seed_static_polarizability, params))
    if largest.dim == 1:
        # Berezinskii's time is the backscattering time 2 tau (theory.exact1d's default)
        references["exact"] = Estimate.exact(
            berezinskii_static_polarizability(params.tau, params.fermi_velocity)
        )
    numerics = convergence.limit
    out = [
        judge(
            key=f"alpha0/{largest.point_id}",
            claim=f"finite static polarizability alpha(0) = (n/m)/w0^2, d={largest.dim} (Sec. IV)",
            quantity="mean alpha(0) (e^2 a^2/t per site)",
            regime=regime,
            numerics=numerics,
            references=references,
            untested=reasons,
            note=note,
        )
    ]
    out += _location_rows(series, regime, base)
    chi_t = largest.mapping.density_of_states
    r0 = None
    if numerics is not None:
        r0 = Estimate(
            *(math.sqrt(x / chi_t) for x in (numerics.value, numerics.low, numerics.high))
        )
    r0_refs = {"theory": Estimate.exact(largest.theory.localization_length)}
    r0_refs.update(printed_reference(seed_localization_length, params))
    typical = series[-1].polarizability.r0["typical"]
    out.append(
        judge(
            key=f"r0_alpha/{largest.point_id}",
            claim=f"r0^2 = alpha(0)/chi^T, d={largest.dim} (Eqs. 29, 35, 37)",
            quantity="r0 = sqrt(mean alpha(0)/rho) (a)",
            regime=regime,
            numerics=r0,
            references=r0_refs,
            untested=reasons,
            note=f"from the typical alpha(0) at the largest size: r0 = {typical}",
        )
    )
    return out


def _chi_series(series: list[PointAnalysis]) -> tuple[list[PointAnalysis], list[str], str]:
    """Fitted sizes, the reasons against a verdict, and a note on the sizes left out.

    A size too short for the fit (fewer than three wavevectors below 1/l) is left out
    when at least :data:`MIN_SIZES` others are fitted (a pre-set rule on the lattice, not
    on the data); a fit rejected by its chi^2 always blocks the row.
    """
    fitted = [p for p in series if p.static_response.fit is not None]
    reasons = born_regime(series[-1].mapping) + _finite_size(series)
    skipped = [
        f"size {linear_size(p)}: {p.static_response.skipped}"
        for p in series
        if p.static_response.fit is None
    ]
    note = ""
    if len(fitted) >= MIN_SIZES and skipped:
        note = "left out (no fit): " + "; ".join(skipped) + "; "
    else:
        reasons += skipped
    for point in fitted:
        fit, what = point.static_response.fit, f"size {linear_size(point)}: Eq. (37) fit"
        reasons.append(_variance_reason(point))
        if math.isnan(fit.covariance_p):
            dof = fit.n_points - (1 if fit.chi_t_fixed else 2)
            reasons.append(fit_rejection(fit.chi2, dof, what))
        elif fit.covariance_p < FIT_P_VALUE:
            reasons.append(
                f"{what} rejected by the realization covariance of chi(q, 0) (T^2 "
                f"{fit.covariance_chi2:.3g}, p = {fit.covariance_p:.2g} < {FIT_P_VALUE:g}; "
                f"diagonal reduced chi^2 {fit.reduced_chi2:.3g})"
            )
    return fitted, reasons, note


def _variance_reason(point: PointAnalysis) -> str:
    """Why chi(q, 0) at the fitted wavevectors may have no finite variance ("" if every
    Hill interval lies above :data:`FINITE_VARIANCE_INDEX`)."""
    response = point.static_response
    fitted = (response.q > 0) & (response.q <= response.fit.q_max)
    worst = None
    for q, values in zip(response.q[fitted], response.values[:, fitted].T, strict=True):
        tail = _tail(values[values > 0])  # chi(q, 0) >= 0 at T = 0
        if tail is not None and (worst is None or tail[1] < worst[1][1]):
            worst = (q, tail)
    if worst is None or worst[1][1] > FINITE_VARIANCE_INDEX:
        return ""
    q, (index, low, high) = worst
    return (
        f"size {linear_size(point)}: chi(q, 0) heavy-tailed at q = {q:.3g} (Hill index "
        f"{index:.2g} [{low:.2g}, {high:.2g}] not above {FINITE_VARIANCE_INDEX:g}: the Eq. (37) "
        "fit's test and r0's interval need a finite variance)"
    )


def _chi_rows(series: list[PointAnalysis], lengths: list[LengthEntry]) -> list[VerdictRow]:
    largest = series[-1]
    params = largest.mapping.parameters
    fitted, reasons, left_out = _chi_series(series)
    convergence = size_convergence(
        [linear_size(p) for p in fitted], [p.static_response.fit.r0 for p in fitted]
    )
    reasons = [*reasons, convergence.reason]
    r0 = convergence.limit
    references = {"theory": Estimate.exact(largest.theory.localization_length)}
    references.update(printed_reference(seed_localization_length, params))
    note = left_out + convergence.describe()
    if fitted:
        fit = fitted[-1].static_response.fit
        note += (
            f"; largest size: q <= {fit.q_max:.3g} ({fit.n_points} wavevectors), chi^T fitted "
            f"{fit.chi_t} vs rho(E_F) = {fitted[-1].static_response.chi_t:.4g}, reduced chi^2 "
            f"{fit.reduced_chi2:.2f}"
        )
    out = [
        judge(
            key=f"r0_chi/{largest.point_id}",
            claim=f"Lorentzian chi(q,0) with length r0, d={largest.dim} (Eq. 37)",
            quantity="r0 from the Eq. (37) fit (a)",
            regime=point_regime(series),
            numerics=r0,
            references=references,
            untested=reasons,
            note=note,
        )
    ]
    match = [
        e
        for e in lengths
        if (e.dim, e.disorder, e.energy, e.flux) == (1, largest.disorder, largest.fermi_energy, 0)
    ]
    if largest.dim == 1 and match and largest.fermi_energy != 0:
        xi = match[0].xi
        xi_thouless = thouless_localization_length(largest.fermi_energy, largest.disorder)
        # the exact alpha(0) with Berezinskii's time the backscattering time 2 tau
        r0_exact = math.sqrt(
            berezinskii_static_polarizability(params.tau, params.fermi_velocity)
            / params.density_of_states
        )
        out.append(
            judge(
                key=f"r0_over_xi/{largest.point_id}",
                claim="relation of the two lengths: r0/xi (Eq. 42: 1/2; exact: r0 of the "
                "Berezinskii alpha(0) over Thouless xi)",
                quantity="r0 (Eq. 37 fit) / xi (transfer matrix)",
                regime=point_regime(series),
                numerics=None if r0 is None else r0.ratio(xi),
                references={
                    "theory": Estimate.exact(largest.theory.localization_length / xi_thouless),
                    "exact": Estimate.exact(r0_exact / xi_thouless),
                },
                untested=reasons,
                note="r0 is a dipole length of the averaged response, xi the decay of a typical "
                "amplitude (compare/lengths.py); they need not be equal; exact: Berezinskii's "
                "time the backscattering time 2 tau, r0/xi = sqrt(zeta(3)) = 1.10 (the Born "
                "time tau gives sqrt(zeta(3))/2 = 0.548; docs/theory.md 6a)",
            )
        )
    return out


def _eligible(point: PointAnalysis) -> bool:
    return point.flux == 0 and point.theory is not None and point.theory.localized


def rows(analysis: Analysis) -> list[VerdictRow]:
    """alpha0 and r0_alpha rows, then r0_chi and r0_over_xi rows, one per size series."""
    out = []
    alpha = [p for p in analysis.points if p.polarizability is not None and _eligible(p)]
    for series in size_series(alpha):
        out += _alpha_rows(series)
    response = [p for p in analysis.points if p.static_response is not None and _eligible(p)]
    for series in size_series(response):
        out += _chi_rows(series, analysis.lengths)
    return out


def _static_response_plot(analysis: Analysis) -> Plot | None:
    points = [
        p for p in analysis.points_with("static_response") if p.mapping is not None and p.flux == 0
    ]
    if not points:
        return None
    panels: dict[str, list[Curve]] = {}
    fits_drawn = fits_total = 0
    split = _sizes_per_panel(points)
    points = _reading_order(points)
    for point in points:
        r = point.static_response
        title, group, label = _panel_series(point, points, split)
        curves = panels.setdefault(title, [])
        inside = r.q > 0
        q = r.q[inside]
        curves.append(
            Curve(label, q, r.mean[inside] / r.chi_t, r.stderr[inside] / r.chi_t, group=group)
        )
        if r.fit is not None:
            window = np.linspace(q.min(), min(q.max(), r.fit.q_max), 60)
            accepted = fit_accepted(r.fit.chi2, r.fit.n_points - (1 if r.fit.chi_t_fixed else 2))
            fits_total += 1
            fits_drawn += accepted
            curves.append(
                Curve(f"Eq. (37) fit, $r_0={r.fit.r0.value:.3g}$", window,
                      r.fit.predict(window) / r.chi_t, role="fit", group=group, accepted=accepted)
            )  # fmt: skip
        if point.theory is not None and point.theory.localized:
            line = np.linspace(q.min(), q.max(), 60)
            r0 = point.theory.localization_length
            x = (r0 * line) ** 2
            curves.append(
                Curve(f"Eq. (42), $r_0={r0:.3g}$", line, x / (1 + x), role="theory", group=group)
            )
    caption = (
        (
            "Static density response χ(q,0) in units of χ^T = ρ(E_F) (clean DOS) against the "
            "allowed wavevectors, W in units of t; solid: Eq. (37) with r₀ of Eq. (42); "
            + fit_sentence(fits_drawn, fits_total, "Eq. (37) fitted for q ≤ 1/l with χ^T free")
        ).rstrip("; ")
        + "."
        + (" One panel per disorder, one curve per size." if split else "")
    )
    return static_response_figure(panels, caption, {"seeds": analysis.seeds})


def _reading_order(points: list[PointAnalysis]) -> list[PointAnalysis]:
    """The box model first, then by W and size: panels and curves in reading order."""
    return sorted(points, key=lambda p: (p.kind != "box", p.disorder, linear_size(p)))


def _sizes_per_panel(points: list[PointAnalysis]) -> bool:
    """True when some (d, W, distribution, E_F) holds several sizes: then one panel each."""
    sizes: dict[tuple, set[int]] = {}
    for p in points:
        sizes.setdefault((p.dim, p.disorder, p.kind, p.fermi_energy), set()).add(linear_size(p))
    return any(len(s) > 1 for s in sizes.values())


def _panel_series(
    point: PointAnalysis, points: list[PointAnalysis], split: bool
) -> tuple[str, Any, str]:
    """(panel title, style key, legend text) of ``point`` in the alpha(0) distribution and
    static-response figures.

    One panel per d when every (d, W) has one size; otherwise one panel per (d, W,
    distribution, E_F) with one curve per size (a single panel of every size at every W
    is unreadable: the study's 16 curves squeezed its axes to a strip, and 15 did the
    same to chi(q, 0)).
    """
    if not split:
        group, label = series_of(point, points)
        return f"$d = {point.dim}$", group, label
    title = f"$d = {point.dim}$, $W = {point.disorder:g}$"
    if len({p.fermi_energy for p in points}) > 1:
        title += f", $E_F = {point.fermi_energy:g}$"
    if len({p.kind for p in points}) > 1:
        title += f", {point.kind.capitalize()}"
    size = linear_size(point)
    return title, size, f"$L={size}$"


def _alpha_plot(analysis: Analysis) -> Plot | None:
    points = [p for p in analysis.points_with("polarizability") if p.flux == 0]
    if not points:
        return None
    samples: dict[str, dict[Any, Any]] = {}
    markers: dict[str, dict[Any, dict[str, float]]] = {}
    labels = {}
    split = _sizes_per_panel(points)
    points = _reading_order(points)
    for point in points:
        s = point.polarizability.summary
        panel, group, label = _panel_series(point, points, split)
        labels[group] = label
        samples.setdefault(panel, {})[group] = point.polarizability.values
        marks = {"mean": s.mean, "median": s.median, "typical": s.typical}
        if point.theory is not None and point.theory.localized:
            marks["theory"] = point.theory.static_polarizability
        markers.setdefault(panel, {})[group] = marks
    theory = any("theory" in m for panel in markers.values() for m in panel.values())
    caption = (
        "Empirical distribution of the static polarizability α(0) over disorder realizations "
        "(position-operator route; W in units of t, number of realizations in the legend): "
        "fraction of realizations with α(0) below the abscissa. Markers on each curve: mean "
        "(▼), median (|), typical value exp⟨ln α⟩ (×)"
        + (", and the Eq. (42) value (star) where Eq. (42) localizes" if theory else "")
        + ". A mean far right of the median signals a heavy tail."
        + (" One panel per disorder, one curve per size." if split else "")
    )
    return alpha_distribution_figure(samples, markers, caption, {"seeds": analysis.seeds}, labels)


def _locations(values: np.ndarray) -> dict[str, tuple[float, float, float]]:
    """Mean (Peng's interval where the tail index allows one), median and typical."""
    out = {}
    mean = mean_estimate(values)
    if mean is not None:
        high = mean.high if math.isfinite(mean.high) else 10 * mean.value
        out["mean"] = (mean.value, mean.low, high)
    if values.size >= 6:
        out["median"] = (float(np.median(values)), *median_interval(values))
    low, high = typical_interval(values)
    out["typical"] = (math.sqrt(low * high), low, high)
    return out


def _alpha_size_plot(analysis: Analysis) -> Plot | None:
    """alpha(0)/alpha_Eq.42 against N: mean, median, typical and the exact value."""
    alpha = [p for p in analysis.points if p.polarizability is not None and _eligible(p)]
    series_list = [s for s in size_series(alpha) if len(s) >= 2]
    if not series_list:
        return None
    panels: dict[str, list[Curve]] = {}
    for series in series_list:
        first = series[0]
        theory = first.theory.static_polarizability
        title = f"$d = {first.dim}$, $W = {first.disorder:g}$, $E_F = {first.fermi_energy:g}$"
        if first.kind != "box":
            title += f", {first.kind}"
        sizes = [linear_size(p) for p in series]
        stats = [_locations(p.polarizability.values / theory) for p in series]
        curves = []
        for group, name in enumerate(("mean", "median", "typical")):
            # The mean only where it has an honest interval (tail-index interval above 1).
            shown = [size for size, s in zip(sizes, stats, strict=True) if name in s]
            rows = [s[name] for s in stats if name in s]
            if not rows:
                continue
            curves.append(
                Curve(
                    name,
                    shown,
                    [r[0] for r in rows],
                    [[r[0] - max(r[1], 0.0) for r in rows], [r[2] - r[0] for r in rows]],
                    group=group,
                )
            )
        edges = [sizes[0], sizes[-1]]
        curves.append(Curve("Eq. (42)", edges, [1.0, 1.0], role="theory"))
        if first.dim == 1:
            params = first.mapping.parameters
            # Both readings of Berezinskii's tau (docs/theory.md section 6a): the
            # backscattering time 2 tau everywhere (the reference) and the Born time.
            for reading in BEREZINSKII_READINGS:
                exact = berezinskii_static_polarizability(
                    params.tau, params.fermi_velocity, reading=reading
                )
                label = _BEREZINSKII_LABELS[reading]
                curves.append(Curve(label, edges, [exact / theory] * 2, role="exact"))
        panels[title] = curves
    caption = (
        "Size dependence of the static polarizability in units of Eq. (42)'s (n/m)/ω₀² "
        "(W and E_F in units of t): mean (Peng's trimmed mean with a Hill tail correction and "
        "its 95 % interval, shown where the tail-index interval lies above 1; an unbounded "
        "upper end is drawn to 10 times the mean), median "
        "(order-statistic "
        "interval) and typical exp⟨ln α⟩ (Student-t interval); horizontal lines: Eq. (42) "
        "and the exact Berezinskii value with its τ the backscattering time 2τ (4ζ(3) times "
        "Eq. 42, the reference) or the Born time τ (ζ(3) times; docs/theory.md section 6a)."
    )
    return alpha_size_figure(panels, caption, {"seeds": analysis.seeds})


def plots(analysis: Analysis) -> list[Plot]:
    """chi(q,0) with the Eq. (37) fits; the alpha(0) distributions and size dependence."""
    found = (_static_response_plot(analysis), _alpha_plot(analysis), _alpha_size_plot(analysis))
    return [plot for plot in found if plot is not None]


def size_table(analysis: Analysis) -> Block | None:
    """alpha(0) per point: mean, median (order statistics), typical, tail index, Eq. (42)."""
    out = []
    for p in analysis.points_with("polarizability"):
        values, s = p.polarizability.values, p.polarizability.summary
        mean = mean_estimate(values)
        median = (
            "{:.4g} [{:.4g}, {:.4g}]".format(s.median, *median_interval(values))
            if values.size >= 6
            else number_text(s.median)
        )
        tail = _tail(values)
        out.append(
            [
                p.point_id,
                str(s.n),
                f"{s.mean:.4g}"
                + (
                    ""
                    if mean is None
                    else f"; Peng {mean.value:.4g} [{mean.low:.4g}, {mean.high:.4g}]"
                ),
                median,
                "{:.4g} [{:.4g}, {:.4g}]".format(s.typical, *typical_interval(values)),
                "-" if tail is None else f"{tail[0]:.2g} [{tail[1]:.2g}, {tail[2]:.2g}]",
                "-" if p.theory is None else number_text(p.theory.static_polarizability),
            ]
        )
    if not out:
        return None
    headers = ["point", "n", "mean (e^2 a^2/t per site) [Peng]", "median [order stat.]"]
    headers.append("typical [Student t]")
    return table([*headers, "tail index (Hill, top 10 %) [95 %]", "Eq. (42)"], out)


def blocks(analysis: Analysis) -> list[Block]:
    """r0 by the two routes per point, and the alpha(0) statistics per point."""
    out: list[Block] = []
    routes = []
    for p in analysis.points:
        r, a = p.static_response, p.polarizability
        if r is not None:
            fit = r.fit
            routes.append(
                [
                    p.point_id,
                    "Eq. (37) fit, chi^T free",
                    estimate_text(fit.r0) if fit else r.skipped,
                    estimate_text(fit.chi_t) if fit else "-",
                    number_text(fit.reduced_chi2) if fit else "-",
                ]
            )
            if r.fit_fixed is not None:
                routes.append(
                    [
                        p.point_id,
                        "Eq. (37) fit, chi^T = rho",
                        estimate_text(r.fit_fixed.r0),
                        number_text(r.chi_t),
                        number_text(r.fit_fixed.reduced_chi2),
                    ]
                )
        if a is not None:
            for name, estimate in a.r0.items():
                routes.append(
                    [
                        p.point_id,
                        f"sqrt({name} alpha(0)/rho)",
                        str(estimate),
                        number_text(p.mapping.density_of_states),
                        "-",
                    ]
                )
    if routes:
        headers = ["point", "route", "r0 (a) [95 %]", "chi^T (1/t per site)", "red. chi^2"]
        out.append(table(headers, routes))
    sizes = size_table(analysis)
    if sizes is not None:
        out.append(
            Block(
                "paragraph",
                "alpha(0) (e^2 a^2/t per site) over realizations: the sample mean and Peng's "
                "trimmed mean with a Hill tail correction and its interval (given where the "
                "tail-index interval lies above 1; docs/verdicts.md 1b), median with the "
                "distribution-free order-statistic interval, typical exp<ln alpha> with a "
                "Student-t interval of <ln alpha>, and the Hill tail index.",
            )
        )
        out.append(sizes)
    return out
