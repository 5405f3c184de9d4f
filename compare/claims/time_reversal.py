r"""Claim: breaking time reversal (a flux) destroys localization in Eq. (42) (seed Sec. V).

A flux :math:`\Phi` per plaquette enters Eq. (42) as the Cooperon dephasing
rate :math:`1/\tau_s = 1/\tau_B = 4eD_0B/\hbar = 8\pi\Phi D_0`
(:mod:`theory.magnetic`, ``docs/theory.md`` section 5a), with :math:`D_0` of
the flux-free Born mapping. With any :math:`1/\tau_s > 0` Eq. (42) has no
localized solution in d = 2: :math:`D(0)/D_0 > 0` and :math:`r_0 = \infty`,
against the finite :math:`r_0` at zero flux. The exact numerics of the same
lattice (unitary class) stay localized with a longer length; the report's
time-reversal rows (``tr_xi``, ``tr_r0``) put both side by side: numerics =
length with flux / without flux at the largest size, and a qualitative
verdict from the size dependence at the flux (:data:`~compare.verdicts.MIN_SIZES`
sizes at least): a length that converges in size (localized) disagrees with
the theory's delocalized solution; a Lambda_M growing with M agrees; anything
else is inconclusive. The constant-rate Cooperon cut-off needs
tau/tau_s << 1 (l_B >> l), and the flux-free Born mapping must hold.

The magnetoconductance row (``tr_wl``) and figure (``magnetoconductance_2d``) set
the paired change of Re sigma in the 2D weak-localization window beside Eq. (42)
with the constant rate, with the log-equivalent rate, and beside the lowest-order
Landau-level change of :mod:`theory.magnetic` (``docs/verdicts.md``).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np

from theory.boundary import open_axis_conductivity
from theory.eq42 import solve_eq42
from theory.localized import localization_properties
from theory.magnetic import (
    LANDAU_LEVEL_SIGN_CHANGE,
    LOG_EQUIVALENT_FACTOR,
    landau_level_conductivity_change,
    magnetic_length,
    reduced_flux,
    with_magnetic_flux,
)
from theory.mapping import LatticeMapping
from theory.observables import conductivity as eq42_conductivity

from .._checks import check_real
from ..analysis import Analysis, LengthEntry, PointAnalysis
from ..blocks import Block, number_text, table
from ..estimate import Estimate
from ..figures import Curve, Plot, magnetoconductance_figure
from ..statistics import student_interval
from ..verdicts import (
    MIN_SIZES,
    VerdictRow,
    born_regime,
    judge,
    regime_parameters,
    size_convergence,
)
from ._common import linear_size, point_regime
from .weak_localization import (
    lowest_cooperon_mode,
    open_length,
    window,
)

__all__ = [
    "SUMMARY",
    "KINDS",
    "SEPARATION",
    "TITLE",
    "FluxPrediction",
    "blocks",
    "flux_prediction",
    "flux_verdict",
    "magnetoconductance_theory",
    "plots",
    "rows",
]

TITLE = "Time-reversal breaking"
#: The line of the five-line summary this claim's rows are counted on.
SUMMARY = "localization lengths and time reversal"
#: Row kinds (key prefixes) of this claim.
KINDS = ("tr_xi", "tr_r0", "tr_wl")
#: "<<" in tau/tau_s << 1 (the constant-rate Cooperon cut-off, l_B >> l).
SEPARATION = 3.0


@dataclass(frozen=True)
class FluxPrediction:
    """Eq. (42) at one lattice point without and with a flux (lattice units hbar = t = a = 1).

    Attributes
    ----------
    flux : float
        Flux per plaquette (units of h/e).
    breaking_rate : float
        :math:`1/\\tau_s = 8\\pi|\\Phi| D_0` (t/hbar).
    rate_times_tau : float
        :math:`\\tau/\\tau_s = 2(l/l_B)^2` in d = 2; the constant-rate picture needs it << 1.
    magnetic_length : float
        :math:`l_B = a/\\sqrt{2\\pi|\\Phi|}` (a).
    diffusion_ratio : float
        D(0)/D0 of Eq. (42) with the flux (0 would be localized).
    localization_length : float
        :math:`r_0` of Eq. (42) with the flux (a; inf: delocalized).
    zero_flux_length : float
        :math:`r_0` of Eq. (42) at zero flux (a; inf in a d = 3 metal).
    """

    flux: float
    breaking_rate: float
    rate_times_tau: float
    magnetic_length: float
    diffusion_ratio: float
    localization_length: float
    zero_flux_length: float


def flux_prediction(mapping: LatticeMapping, flux: float) -> FluxPrediction:
    """Eq. (42) with :math:`1/\\tau_s` of ``flux`` at the parameters of ``mapping``.

    Parameters
    ----------
    mapping : LatticeMapping
        Flux-free Born mapping (d = 2 or 3) of the lattice point.
    flux : float
        Flux per plaquette, nonzero modulo 1 (units of h/e).
    """
    flux = check_real("flux", flux)
    params = with_magnetic_flux(mapping.parameters, flux)
    if math.isinf(params.tau_s):
        raise ValueError(f"flux must be nonzero modulo 1 to break time reversal, got {flux!r}")
    broken = localization_properties(params)
    return FluxPrediction(
        flux=flux,
        breaking_rate=1.0 / params.tau_s,
        rate_times_tau=params.tau / params.tau_s,
        magnetic_length=magnetic_length(flux),
        diffusion_ratio=broken.diffusion_ratio,
        localization_length=broken.localization_length,
        zero_flux_length=localization_properties(mapping.parameters).localization_length,
    )


def _trend(ratio: Estimate) -> str:
    if ratio.low > 1.0:
        return f"grows x{ratio.value:.3g}"
    if ratio.high < 1.0:
        return f"shrinks x{ratio.value:.3g}"
    return f"unchanged within errors (x{ratio.value:.3g})"


def flux_verdict(
    prediction: FluxPrediction | None, ratio: Estimate, length: Estimate, width: int | None = None
) -> str:
    """One line: what Eq. (42) predicts at this flux and what the exact numerics show.

    Parameters
    ----------
    prediction : FluxPrediction or None
        The theory at this point (None: no Born mapping, numerics only).
    ratio : Estimate
        Numerical length with flux / without flux.
    length : Estimate
        Numerical length with flux (a).
    width : int, optional
        Strip width M for a transfer-matrix length; Lambda_M = xi_M/M < 1 marks
        a length that is finite on the scale of the strip.
    """
    if prediction is None:
        theory = "theory: no Born mapping here"
    else:  # a finite 1/tau_s leaves no localized solution of Eq. (42)
        theory = (
            f"theory: delocalized at any flux (D(0)/D0 = {prediction.diffusion_ratio:.3g}, "
            f"r0 = inf)"
        )
    numerics = f"numerics: finite {length.value:.3g}, {_trend(ratio)}"
    if width is not None:
        lam = length.value / width
        numerics += f", Lambda_M = {lam:.2g} {'< 1' if lam < 1 else '>= 1'} at M = {width}"
    return f"{theory}; {numerics}"


def _flux_theory(mapping: LatticeMapping | None, flux: float) -> FluxPrediction | None:
    """Eq. (42) with 1/tau_s of the flux (None: no mapping, d = 1 or a gauge-trivial flux)."""
    if mapping is None or mapping.dim < 2 or reduced_flux(flux) == 0.0:
        return None
    return flux_prediction(mapping, flux)


def _slope(sizes: list[int], lengths: list[Estimate]) -> tuple[float, float]:
    """Weighted slope of ln(length/size) against ln size and its standard error."""
    x = np.log(np.asarray(sizes, dtype=float))
    y = np.log([e.value / m for e, m in zip(lengths, sizes, strict=True)])
    s = np.array([max(e.log_sigma, 1e-12) for e in lengths])
    design = np.stack([np.ones_like(x), x], axis=1) / s[:, None]
    covariance = np.linalg.inv(design.T @ design)
    coefficients = covariance @ design.T @ (y / s)
    return float(coefficients[1]), float(math.sqrt(covariance[1, 1]))


def _judgement(
    sizes: list[int], lengths: list[Estimate], strips: bool
) -> tuple[tuple[str, str] | None, str]:
    """(verdict, reason) from the size dependence at the flux, and a note."""
    if len(sizes) < MIN_SIZES:
        return None, ""
    if strips:
        slope, error = _slope(sizes, lengths)
        note = f"d ln Lambda_M / d ln M = {slope:.3g} +- {error:.2g}"
        if slope + 2 * error < 0:
            return ("disagrees", "numerics localized: Lambda_M falls with M"), note
        if slope - 2 * error > 0:
            return ("agrees", "numerics delocalizing: Lambda_M grows with M"), note
        return ("inconclusive", "Lambda_M neither falls nor grows with M within 2 sigma"), note
    convergence = size_convergence(sizes, lengths)
    if convergence.limit is not None:
        return ("disagrees", f"r0 converged in L ({convergence.method}): localized"), (
            convergence.describe()
        )
    return ("inconclusive", "r0 still drifts with L"), convergence.describe()


def _row(
    key: str,
    what: str,
    regime: dict,
    sizes: list[int],
    pairs: list[tuple[Estimate, Estimate]],
    theory: FluxPrediction | None,
    mapping: LatticeMapping | None,
    strips: bool,
) -> VerdictRow:
    reference, broken = pairs[-1]
    ratio = broken.ratio(reference)
    reasons = born_regime(mapping)
    if len(sizes) < MIN_SIZES:
        reasons.append(f"sizes {sizes}: need >= {MIN_SIZES} to tell localized from extended")
    if theory is None:
        reasons.append("no Eq. (42) prediction here (d = 1, no mapping or integer flux)")
    elif theory.rate_times_tau > 1 / SEPARATION:
        reasons.append(
            f"tau/tau_s = {theory.rate_times_tau:.3g} not << 1: the constant-rate Cooperon "
            "cut-off does not apply (l_B < l)"
        )
    qualitative, note = _judgement(sizes, [b for _, b in pairs], strips)
    verdict_text = flux_verdict(theory, ratio, broken, sizes[-1] if strips else None)
    return judge(
        key=key,
        claim="time-reversal breaking delocalizes in d <= 2 (Eq. 42 with 1/tau_s)",
        quantity=f"{what} with flux / without flux at the largest size",
        regime=regime,
        numerics=ratio,
        references={},
        untested=reasons,
        qualitative=qualitative or ("inconclusive", "no size dependence"),
        note=f"{verdict_text}; {note}" if note else verdict_text,
    )


def _xi_rows(lengths: list[LengthEntry]) -> list[VerdictRow]:
    plain = {(e.dim, e.disorder, e.energy, e.width): e for e in lengths if e.flux == 0}
    groups: dict[tuple, list[tuple[LengthEntry, LengthEntry]]] = {}
    for e in lengths:
        reference = plain.get((e.dim, e.disorder, e.energy, e.width))
        if e.flux != 0 and reference is not None:
            groups.setdefault((e.dim, e.disorder, e.energy, e.flux), []).append((reference, e))
    out = []
    for (dim, disorder, energy, flux), pairs in groups.items():
        pairs.sort(key=lambda pair: pair[1].width)
        mapping = pairs[0][0].mapping
        sizes = [b.width for _, b in pairs]
        out.append(
            _row(
                f"tr_xi/d{dim}_W{disorder:g}_E{energy:g}_flux{flux:g}",
                "xi_M",
                regime_parameters(mapping, d=dim, W=disorder, E=energy, flux=flux, widths=sizes),
                sizes,
                [(a.xi, b.xi) for a, b in pairs],
                _flux_theory(mapping, flux),
                mapping,
                strips=True,
            )
        )
    return out


def _r0_rows(points: list[PointAnalysis]) -> list[VerdictRow]:
    fitted = {
        (p.dim, p.disorder, p.fermi_energy, p.shape): p
        for p in points
        if p.flux == 0 and p.static_response is not None and p.static_response.fit is not None
    }
    groups: dict[tuple, list[tuple[PointAnalysis, PointAnalysis]]] = {}
    for p in points:
        if p.flux == 0 or p.static_response is None or p.static_response.fit is None:
            continue
        reference = fitted.get((p.dim, p.disorder, p.fermi_energy, p.shape))
        if reference is not None:
            groups.setdefault((p.dim, p.disorder, p.fermi_energy, p.flux), []).append(
                (reference, p)
            )
    out = []
    for (dim, disorder, energy, flux), pairs in groups.items():
        pairs.sort(key=lambda pair: linear_size(pair[1]))
        mapping = pairs[0][0].mapping
        sizes = [linear_size(b) for _, b in pairs]
        out.append(
            _row(
                f"tr_r0/d{dim}_W{disorder:g}_E{energy:g}_flux{flux:g}",
                "r0 (Eq. 37 fit)",
                regime_parameters(mapping, d=dim, W=disorder, E_F=energy, flux=flux, sizes=sizes),
                sizes,
                [(a.static_response.fit.r0, b.static_response.fit.r0) for a, b in pairs],
                _flux_theory(mapping, flux),
                mapping,
                strips=False,
            )
        )
    return out


def magnetoconductance_theory(
    mapping: LatticeMapping,
    flux: float,
    omega: np.ndarray,
    factor: float = 1.0,
    open_length: int | None = None,
    landau_levels: bool = False,
) -> np.ndarray:
    """Re sigma(w) of Eq. (42) with 1/tau_s = factor x 8 pi |flux| D0, minus that without.

    Parameters
    ----------
    mapping : LatticeMapping
        Flux-free Born mapping (d = 2).
    flux : float
        Flux per plaquette (h/e), nonzero modulo 1.
    omega : array_like
        Frequencies (t/hbar).
    factor : float
        Multiplies the rate: 1 is the constant-rate reading of ``theory.magnetic``,
        :data:`theory.magnetic.LOG_EQUIVALENT_FACTOR` the rate whose continuum logarithm
        equals the Landau-level Cooperon sum (the two bracket the O(1) ambiguity).
    open_length : int, optional
        L_x (sites) of a lattice open along the field axis x: each complex sigma is
        multiplied by its own open-axis factor (D = sigma(w)/rho,
        :func:`theory.boundary.open_axis_conductivity`) before the difference is taken.
    landau_levels : bool
        Instead of a constant rate (``factor`` unused), add the lowest-order change of the
        Landau-quantized Cooperon (:func:`theory.magnetic.landau_level_conductivity_change`)
        to the zero-flux Eq. (42) curve.
    """
    params = with_magnetic_flux(mapping.parameters, flux)
    omega = np.asarray(omega, dtype=float)
    plain = eq42_conductivity(solve_eq42(mapping.parameters, omega))
    if landau_levels:
        broken = plain + landau_level_conductivity_change(omega, 1.0 / params.tau_s)
    else:
        params = dataclasses.replace(params, tau_s=params.tau_s / factor)
        broken = eq42_conductivity(solve_eq42(params, omega))
    if open_length is not None:
        rho = mapping.parameters.density_of_states
        broken = open_axis_conductivity(omega, broken, rho, open_length)
        plain = open_axis_conductivity(omega, plain, rho, open_length)
    return broken.real - plain.real


def _wl_pairs(
    points: list[PointAnalysis],
) -> dict[tuple, list[tuple[PointAnalysis, PointAnalysis]]]:
    """(zero-flux point, flux point) pairs with Re sigma at equal W, E_F, shape and boundary."""
    plain = {
        (p.disorder, p.fermi_energy, p.shape, p.boundary): p
        for p in points
        if p.dim == 2 and p.flux == 0 and p.conductivity is not None and p.mapping is not None
    }
    groups: dict[tuple, list[tuple[PointAnalysis, PointAnalysis]]] = {}
    for p in points:
        if p.dim != 2 or p.flux == 0 or p.conductivity is None:
            continue
        reference = plain.get((p.disorder, p.fermi_energy, p.shape, p.boundary))
        if reference is not None:
            key = (p.disorder, p.fermi_energy, p.flux, p.boundary)
            groups.setdefault(key, []).append((reference, p))
    return groups


def _paired_change(plain: PointAnalysis, point: PointAnalysis) -> np.ndarray | None:
    """Re sigma with flux minus without, per paired realization (None: not comparable)."""
    a, b = plain.conductivity, point.conductivity
    n = min(a.n_realizations, b.n_realizations)
    if n < 2 or not np.array_equal(a.omega, b.omega):
        return None
    return b.values[:n] - a.values[:n]


def _landau_regime(mapping: LatticeMapping, flux: float) -> bool:
    """Whether the lowest-order Landau-level change applies: weak disorder, l_B >> l.

    Outside (l < 3, or tau/tau_B not << 1) the weak-localization change it adds can
    exceed the conductivity itself (the demo's l = 0.3-0.85 points at Phi = 0.05).
    """
    prediction = flux_prediction(mapping, flux)
    return not born_regime(mapping) and prediction.rate_times_tau <= 1 / SEPARATION


def _sign_change_note(
    mapping: LatticeMapping, flux: float, w: np.ndarray, change: np.ndarray, length: int | None
) -> str:
    """The paired change above the Landau levels' sign change beside the three readings."""
    if not _landau_regime(mapping, flux):
        return "no Landau-level reading (weak disorder and l_B >> l needed)"
    rate = flux_prediction(mapping, flux).breaking_rate
    above = w > LANDAU_LEVEL_SIGN_CHANGE * rate
    if above.sum() < 2:
        return "no frequencies above the Landau-level sign change"
    readings = [
        float(magnetoconductance_theory(mapping, flux, w[above], **how, open_length=length).mean())
        for how in ({"landau_levels": True}, {}, {"factor": LOG_EQUIVALENT_FACTOR})
    ]
    measured = student_interval(change[:, above].mean(axis=1))
    return (
        f"above the Landau-level sign change ({w[above][0]:.3g}-{w[-1]:.3g}): measured "
        f"{measured}, Landau levels (lowest order) {readings[0]:.3g}, Eq. (42) "
        f"{readings[1]:.3g} with 1/tau_s and {readings[2]:.3g} with the log-equivalent rate"
    )


def _wl_row(pairs: list[tuple[PointAnalysis, PointAnalysis]]) -> VerdictRow:
    pairs.sort(key=lambda pair: linear_size(pair[1]))
    reference, broken = pairs[-1]
    mapping, flux = reference.mapping, broken.flux
    prediction = flux_prediction(mapping, flux)
    reasons = born_regime(mapping)
    if prediction.rate_times_tau > 1 / SEPARATION:
        reasons.append(f"tau/tau_s = {prediction.rate_times_tau:.3g} not << 1 (l_B < l)")
    sizes, estimates, notes = [], [], []
    for plain, point in pairs:
        low, high = window(plain)
        rate = prediction.breaking_rate
        size = f"L={linear_size(point)}"
        if not low <= rate <= high:
            reasons.append(f"{size}: 1/tau_s = {rate:.3g} outside the window {low:.3g}-{high:.3g}")
        omega = plain.conductivity.omega
        inside = (omega >= low) & (omega <= min(high, rate))
        change = _paired_change(plain, point)
        if change is None or inside.sum() < 2:
            n = 0 if change is None else change.shape[0]
            reasons.append(
                f"{size}: {n} comparable paired realization(s), {int(inside.sum())} frequencies"
            )
            continue
        w, change = omega[inside], change[:, inside]
        n = change.shape[0]
        length = open_length(plain)
        theory = magnetoconductance_theory(mapping, flux, w, open_length=length)
        log_equivalent = magnetoconductance_theory(
            mapping, flux, w, LOG_EQUIVALENT_FACTOR, open_length=length
        )
        landau = ""
        if _landau_regime(mapping, flux):
            level_change = magnetoconductance_theory(
                mapping, flux, w, open_length=length, landau_levels=True
            )
            landau = f", {float(level_change.mean()):.3g} with the Landau levels (lowest order)"
        # window average per realization, then the ratio of averages: a mean of per-frequency
        # ratios weights most the frequencies where a reading's change is nearly 0
        averages = change.mean(axis=1)
        measured = student_interval(averages)
        ratio = student_interval(averages / float(theory.mean()))
        log_ratio = student_interval(averages / float(log_equivalent.mean()))
        bulk = ""
        if length is not None:
            without = [
                float(magnetoconductance_theory(mapping, flux, w, f).mean())
                for f in (1.0, LOG_EQUIVALENT_FACTOR)
            ]
            bulk = (
                f" (open x: both with the open-axis factor; without it {without[0]:.3g} and "
                f"{without[1]:.3g})"
            )
        notes.append(
            f"{size}: window average of Delta Re sigma over {w[0]:.3g}-{w[-1]:.3g} {measured} "
            f"e^2/hbar ({n} paired realizations); Eq. (42) {float(theory.mean()):.3g} with "
            f"1/tau_s = {rate:.3g}, {float(log_equivalent.mean()):.3g} with the log-equivalent "
            f"rate {LOG_EQUIVALENT_FACTOR:.3f}/tau_s (the O(1) ambiguity of the mapping){bulk}"
            f"{landau}; "
            f"measured/Eq. (42) {ratio} with 1/tau_s, {log_ratio} with the log-equivalent rate; "
            + _sign_change_note(mapping, flux, w, change, length)
        )
        if ratio.low <= 0:
            reasons.append(
                f"{size}: magnetoconductance not resolved (interval reaches 0; its upper end "
                f"is {ratio.high:.2g} x Eq. 42)"
            )
            continue
        sizes.append(linear_size(point))
        estimates.append(ratio)
    convergence = size_convergence(sizes, estimates)
    reasons.append(convergence.reason)
    return judge(
        key=f"tr_wl/{broken.point_id}",
        claim="2D magnetoconductance in the weak-localization window (Eq. 42 with 1/tau_s)",
        quantity="window average of Delta Re sigma / that of Eq. (42) (w <= 1/tau_s)",
        regime=point_regime(
            [b for _, b in pairs],
            flux=flux,
            breaking_rate=prediction.breaking_rate,
            rate_times_tau=prediction.rate_times_tau,
            magnetic_length=prediction.magnetic_length,
            lowest_cooperon_mode=lowest_cooperon_mode(reference),
            eta=reference.conductivity.eta,
        ),
        numerics=convergence.limit,
        references={"theory": Estimate.exact(1.0)},
        untested=reasons,
        note="; ".join([convergence.describe(), *notes]),
    )


def _wl_rows(points: list[PointAnalysis]) -> list[VerdictRow]:
    return [_wl_row(pairs) for pairs in _wl_pairs(points).values()]


def rows(analysis: Analysis) -> list[VerdictRow]:
    """Transfer-matrix rows, Eq. (37)-fit rows, magnetoconductance rows, per (d, W, E, flux)."""
    return _xi_rows(analysis.lengths) + _r0_rows(analysis.points) + _wl_rows(analysis.points)


def _magnetoconductance_panel(pairs: list[tuple[PointAnalysis, PointAnalysis]]) -> list[Curve]:
    """The paired change per size, the three readings and 1/tau_s, on the largest's grid.

    Empty outside the regime of the readings (:func:`_landau_regime`).
    """
    pairs.sort(key=lambda pair: linear_size(pair[1]))
    if not _landau_regime(pairs[-1][0].mapping, pairs[-1][1].flux):
        return []
    curves = []
    for plain, point in pairs:
        change = _paired_change(plain, point)
        if change is None:
            continue
        label = f"$L={linear_size(point)}$"
        stderr = change.std(axis=0, ddof=1) / math.sqrt(change.shape[0])
        curves.append(
            Curve(label, plain.conductivity.omega, change.mean(axis=0), stderr, group=label)
        )
    if not curves:
        return []
    reference, broken = pairs[-1]
    mapping, omega = reference.mapping, reference.conductivity.omega
    length = open_length(reference)
    readings = (
        (r"Eq. (42), $1/\tau_s = 8\pi\Phi D_0$", "theory", {}),
        (r"Eq. (42), $0.14/\tau_s$", "fit_alt", {"factor": LOG_EQUIVALENT_FACTOR}),
        ("Landau levels, lowest order", "exact", {"landau_levels": True}),
    )
    for label, role, how in readings:  # ungrouped: a colour and legend entry each
        change = magnetoconductance_theory(mapping, broken.flux, omega, **how, open_length=length)
        curves.append(Curve(label, omega, change, role=role))
    rate = flux_prediction(mapping, broken.flux).breaking_rate
    curves.append(Curve(r"$1/\tau_s$", [rate, rate], [0, 1], role="reference"))
    return curves


def plots(analysis: Analysis) -> list[Plot]:
    """The paired magnetoconductance against ln w beside the three readings (weak disorder)."""
    panels, counts = {}, []
    for pairs in _wl_pairs(analysis.points).values():
        curves = _magnetoconductance_panel(pairs)
        if not curves:
            continue
        reference, broken = pairs[-1]
        boundary = "/".join(reference.boundary or ("periodic", "periodic"))
        title = f"$W={reference.disorder:g}$, $\\Phi={broken.flux:.3g}$, {boundary}"
        panels[title] = curves
        counts += [
            f"{min(a.conductivity.n_realizations, b.conductivity.n_realizations)} at "
            f"L = {linear_size(b)}"
            for a, b in pairs
        ]
    if not panels:
        return []
    caption = (
        "2D magnetoconductance at weak disorder (E_F = −1 t, W in t, flux Φ per plaquette in "
        "h/e): markers, Re σ(ω) with the flux minus Re σ(ω) without it on the same disorder "
        "realizations (exact window eigenpairs, engine sparse), mean over the pairs with one "
        "standard error; solid, Eq. (42) with the constant Cooperon rate 1/τ_s = 8πΦD₀ "
        "(theory.magnetic); dash-dotted, Eq. (42) with the log-equivalent rate 0.14/τ_s whose "
        "continuum logarithm equals the Landau-level Cooperon sum (the two bracket the "
        "mapping's O(1) ambiguity, docs/theory.md section 5a); dotted, the Landau-quantized "
        "Cooperon to lowest order (Hikami-Larkin-Nagaoka form at frequency ω, no parameter), "
        "which changes sign at ω = 0.178/τ_s; all three for the largest lattice, "
        "with the open-axis factor of an open x axis (section 5b); vertical line, 1/τ_s. "
        "The row averages the change over the weak-localization window up to 1/τ_s. "
        "Paired realizations: " + ", ".join(dict.fromkeys(counts)) + "."
    )
    return [magnetoconductance_figure(panels, caption, {"seeds": analysis.seeds})]


def blocks(analysis: Analysis) -> list[Block]:
    """Why the flux enters Eq. (42) as 1/tau_s, and every length pair with its theory."""
    out_rows = []
    plain = {(e.dim, e.disorder, e.energy, e.width): e for e in analysis.lengths if e.flux == 0}
    for e in analysis.lengths:
        reference = plain.get((e.dim, e.disorder, e.energy, e.width))
        if e.flux == 0 or reference is None:
            continue
        theory = _flux_theory(reference.mapping, e.flux)
        ratio = e.xi.ratio(reference.xi)
        out_rows.append(
            [
                f"xi_M, d={e.dim}, M={e.width}",
                number_text(e.disorder),
                number_text(e.energy),
                number_text(e.flux),
                str(reference.xi),
                str(e.xi),
                str(ratio),
                "-" if theory is None else number_text(theory.breaking_rate),
                "-" if theory is None else number_text(theory.diffusion_ratio),
                "-" if theory is None else f"{number_text(theory.zero_flux_length)} -> inf",
            ]
        )
    if not out_rows:
        return []
    headers = [
        "length",
        "W",
        "E",
        "flux",
        "no flux",
        "with flux",
        "ratio",
        "1/tau_s [t/hbar]",
        "D(0)/D0 Eq. (42)",
        "r0 Eq. (42): no flux -> flux",
    ]
    return [
        Block(
            "paragraph",
            "Eq. (42) with any finite time-reversal-breaking rate 1/tau_s has no localized "
            "solution in d <= 2 (M(0) stays finite: a metal), whereas a magnetic flux on the "
            "lattice moves the model to the unitary class, which is still localized in 2D with "
            "a larger length. The flux enters Eq. (42) as the Cooperon dephasing rate "
            "1/tau_s = 4 e D0 B/hbar = 8 pi flux D0 (B = 2 pi flux hbar/(e a^2), D0 of the "
            "flux-free Born mapping; Altshuler-Aronov-Khmelnitskii-Larkin 1982, "
            "Hikami-Larkin-Nagaoka 1980; docs/theory.md section 5a). Replacing the Landau-"
            "quantized Cooperon by a constant rate is an approximation valid for l_B >> l; "
            "its O(1) factor is uncertain (the 2D logarithm matches for 0.14 times this rate). "
            "The lengths with and without flux at equal W and E, beside the theory:",
        ),
        table(headers, out_rows),
    ]
