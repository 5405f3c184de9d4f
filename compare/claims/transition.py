r"""Claim: a mobility edge in 3D at finite disorder, with exponent nu = 1 (seed Sec. IV).

Rows, per energy of the 3D transfer-matrix bars:

- ``critical_3d``: W_c from the crossings of Lambda_M(W) of consecutive widths,
  with the errors propagated from the polynomial fits' covariances
  (``lattice.transfer_matrix.scaling.crossing_points`` through ``analysis.scaling``), converged
  over the pairs (size-independent or extrapolated in 1/M), against
  Eq. (42)'s mobility edge through the Born mapping
  (``theory.critical.critical_disorder``); the Born mapping must hold at the
  theory's W_c;
- ``nu_3d``: the exponent of the one-parameter fit
  (``lattice.transfer_matrix.scaling.fit_critical_scaling``), accepted by its chi^2 and stable
  when the smallest width is dropped, against
  nu = 1 of the self-consistent theory (no mapping involved);
- ``diffusion_3d``: D(0)/D0 on the metal side, Re sigma(w -> 0) over the Born
  Drude value (n/m) tau (the Einstein relation sigma = e^2 rho D turns the ratio of
  conductivities into D(0)/D0), read on DRUDE_SUPPRESSION eta <= w <= DRUDE_WINDOW/tau
  and extrapolated by the kernel-broadened Drude curve per realization, converged in L,
  against the Eq. (42) curve read the same way (its w -> 0 value 1 - (lambda/lambda_c)^2
  in the note). It needs L >= :data:`MIN_METAL_SIZE` (engine = "kpm" or "sparse";
  ``data/configs/study-3d-metal.toml``).

All need at least :data:`~compare.verdicts.MIN_SIZES` widths or sizes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import optimize, special, stats

from theory.critical import critical_disorder

from ..analysis import Analysis, LengthEntry, PointAnalysis, lattice_theory
from ..blocks import Block
from ..estimate import Estimate
from ..figures import Curve, Plot, diffusion_figure, scaling_figure
from ..verdicts import (
    MIN_SIZES,
    VerdictRow,
    born_regime,
    fit_rejection,
    judge,
    size_convergence,
)
from ._common import linear_size, point_regime, size_series

__all__ = [
    "DRUDE_SUPPRESSION",
    "DRUDE_WINDOW",
    "SUMMARY",
    "DiffusionEstimate",
    "broadened_drude",
    "drude_intercept",
    "KINDS",
    "MIN_METAL_SIZE",
    "THEORY_EXPONENT",
    "TITLE",
    "Z95",
    "blocks",
    "plots",
    "rows",
]

TITLE = "The 3D transition"
#: The line of the five-line summary this claim's rows are counted on.
SUMMARY = "3D transition"
#: Row kinds (key prefixes) of this claim.
KINDS = ("critical_3d", "nu_3d", "diffusion_3d")
#: nu of the self-consistent theory in d = 3 (xi ~ |lambda - lambda_c|^-1, seed Eq. 45).
THEORY_EXPONENT = 1.0
#: Smallest cube edge for D(0)/D0: the window needs eta >> level spacing 1/(rho L^3) and
#: the Thouless energy D0 (2 pi/L)^2 below 3 eta (0.06 at W = 3, L = 48; issue 11).
MIN_METAL_SIZE = 48
#: Lowest frequency of the D(0)/D0 read-out, in units of the broadening eta: a Gaussian
#: kernel leaves exp(-4.5) = 1 % of the finite-size Drude peak of a periodic cube there.
DRUDE_SUPPRESSION = 3.0
#: Highest frequency of the read-out, in units of 1/tau (Born): the Drude curve holds for
#: w tau <= 1 (Eq. 42's curve, read this way at W = 3, gives 1.0009 against its w -> 0
#: value 0.9918: the sqrt(w) rise of D(w); the reference is read the same way).
DRUDE_WINDOW = 1.0
#: What the diffusion rows need that the dense engine cannot give.
ENGINE_NOTE = "needs engine=sparse/kpm (issue 10)"


#: Two-sided 95 % quantile of the normal distribution: the crossing intervals drawn.
Z95 = 1.959963984540054


def _bars(analysis: Analysis) -> list[LengthEntry]:
    return [e for e in analysis.lengths if e.dim == 3 and e.flux == 0]


def _scaling_data(bars: list[LengthEntry]) -> tuple[list, list, list, list]:
    """(M, W, Lambda_M, its standard error) of each bar, as lattice.transfer_matrix.scaling
    takes them."""
    return (
        [e.width for e in bars],
        [e.disorder for e in bars],
        [e.Lambda for e in bars],
        [max(e.xi.log_sigma, 1e-12) * e.Lambda for e in bars],
    )


def _scaling_rows(analysis: Analysis, energy: float) -> list[VerdictRow]:
    bars = [e for e in _bars(analysis) if e.energy == energy]
    widths = sorted({e.width for e in bars})
    regime = {"d": 3, "E": energy, "widths": widths}
    reasons = []
    if len(widths) < MIN_SIZES:
        reasons.append(f"bar widths {widths}: need >= {MIN_SIZES} to control the drift")
    if analysis.scaling is None:
        reasons.append("no finite-size-scaling implementation given to the analysis")
    data = _scaling_data(bars)
    try:
        w_c = critical_disorder(energy)
        references = {"theory": Estimate.exact(w_c)}
        mapping_reasons = [
            f"at the theory's W_c = {w_c:.3g}: {reason}"
            for reason in born_regime(lattice_theory(3, w_c, energy)[0])
        ]
    except ValueError:  # energy outside the clean band: no Born mapping
        references, mapping_reasons = {}, []
    crossing = fit = None
    if len(widths) >= 2 and analysis.scaling is not None:
        try:
            crossing = analysis.scaling.crossing_points(*data)
        except ValueError as exc:
            reasons.append(f"crossings: {exc}")
        try:
            fit = analysis.scaling.fit_critical_scaling(*data)
        except ValueError as exc:
            reasons.append(f"critical fit: {exc}")
    numerics, note, crossing_reasons = None, "", []
    if crossing is not None and math.isfinite(crossing.critical_disorder):
        note = "crossings of consecutive widths (± one standard error): " + ", ".join(
            f"M={int(a)}/{int(b)}: {w:.3g} +- {dw:.2g}"
            for (a, b), w, dw in zip(
                crossing.pairs, crossing.disorder, crossing.disorder_err, strict=True
            )
        )
        # The crossings drift with M (irrelevant scaling); converged if constant or
        # extrapolated in 1/M over >= 3 pairs (labelled by their larger width).
        found = np.isfinite(crossing.disorder) & (crossing.disorder_err > 0)
        convergence = size_convergence(
            [int(b) for (_, b) in crossing.pairs[found]],
            [
                Estimate.from_stderr(w, dw)
                for w, dw in zip(
                    crossing.disorder[found], crossing.disorder_err[found], strict=True
                )
            ],
        )
        numerics = convergence.limit
        crossing_reasons.append(convergence.reason and f"crossings: {convergence.reason}")
        note += f"; {convergence.describe()}"
    elif crossing is not None:
        crossing_reasons.append("the two largest widths do not cross inside the data")
    out = [
        judge(
            key=f"critical_3d/E{energy:g}",
            claim="3D: a mobility edge at finite disorder (Eq. 42 through the mapping)",
            quantity="W_c from the crossings of Lambda_M(W), converged in M (t)",
            regime=regime,
            numerics=numerics,
            references=references,
            untested=reasons + crossing_reasons + mapping_reasons,
            note=note + "; covariance-propagated (statistical) error of the crossing",
        )
    ]
    nu, nu_reasons, nu_note = None, list(reasons), ""
    if fit is not None:
        nu_reasons.append(fit_rejection(fit.chi2, fit.dof, "one-parameter scaling fit"))
        nu_reasons.append(_nu_drift(analysis, data, fit))
        if fit.nu > 0 and math.isfinite(fit.nu_err):
            nu = Estimate.from_stderr(fit.nu, fit.nu_err)
            if nu.low <= 0:
                nu = Estimate(fit.nu, fit.nu * 1e-9, nu.high)
        nu_note = (
            f"W_c = {fit.critical_disorder:.4g} +- {fit.critical_disorder_err:.2g}, Lambda_c = "
            f"{fit.Lambda_c:.3g} +- {fit.Lambda_c_err:.2g}, chi^2/dof = {fit.chi2:.3g}/{fit.dof} "
            "(no irrelevant-scaling terms)"
        )
    out.append(
        judge(
            key=f"nu_3d/E{energy:g}",
            claim="3D: localization-length exponent nu = 1 (Eq. 42, d = 3)",
            quantity="nu of the one-parameter finite-size-scaling fit",
            regime=regime,
            numerics=nu,
            references={"theory": Estimate.exact(THEORY_EXPONENT)},
            untested=nu_reasons,
            note=nu_note,
        )
    )
    return out


def _nu_drift(analysis: Analysis, data: tuple[list, ...], fit: object) -> str:
    """Why nu is not shown converged: the fit without the smallest width must agree.

    The one-parameter form has no irrelevant-scaling terms, so small widths bias nu;
    dropping the smallest width and refitting (>= 3 widths left) tests that bias.
    """
    widths = sorted(set(data[0]))
    if len(widths) < MIN_SIZES + 1:
        return (
            f"bar widths {widths}: need >= {MIN_SIZES + 1} to refit nu without the smallest "
            "width (finite-size drift)"
        )
    keep = [i for i, m in enumerate(data[0]) if m != widths[0]]
    try:
        refit = analysis.scaling.fit_critical_scaling(
            *([column[i] for i in keep] for column in data)
        )
    except ValueError as exc:
        return f"refit without M = {widths[0]} failed: {exc}"
    difference = abs(refit.nu - fit.nu)
    allowed = 2 * math.hypot(refit.nu_err, fit.nu_err)
    if not difference <= allowed:
        return (
            f"nu drifts with the widths: {fit.nu:.3g} +- {fit.nu_err:.2g} (all), "
            f"{refit.nu:.3g} +- {refit.nu_err:.2g} (without M = {widths[0]})"
        )
    return ""


@dataclass(frozen=True)
class DiffusionEstimate:
    """D(0)/D0 of one cube: Re sigma(w -> 0) over the Born Drude value (n/m) tau.

    Attributes
    ----------
    ratio : Estimate
        1/(c0 (n/m) tau), c0 the intercept of 1/Re sigma = c0 + c1 w^2 (the Drude
        form) fitted to each realization's curve on ``window``; mean over
        realizations with a Student-t interval (disorder and stochastic-trace
        scatter together).
    theory : float
        The Eq. (42) curve on the same frequencies, extrapolated the same way.
    window : tuple of float
        Lowest and highest frequency used (t/hbar).
    chi2, dof : float, int
        Goodness of the broadened Drude curve on the realization-averaged curve (diagonal
        weights).
    """

    ratio: Estimate
    theory: float
    window: tuple[float, float]
    chi2: float
    dof: int


def broadened_drude(omega: np.ndarray, sigma0: float, rate: float, eta: float) -> np.ndarray:
    """The Drude curve sigma0/(1 + (w/rate)^2) broadened by a Gaussian of deviation ``eta``.

    Re sigma is even in w and the kernel (mirror term included) convolves that even
    function with the normalized Gaussian; a Lorentzian of half width ``rate``
    convolved with it is the Voigt profile, Re wofz((w + i rate)/(sqrt(2) eta)) times
    pi rate/(sqrt(2 pi) eta). ``eta = 0`` gives the plain Drude curve. Units: omega,
    rate and eta in t/hbar, sigma0 in e^2/hbar per site.
    """
    omega = np.asarray(omega, dtype=float)
    if eta == 0:
        return sigma0 / (1 + (omega / rate) ** 2)
    z = (omega + 1j * rate) / (math.sqrt(2) * eta)
    return sigma0 * math.pi * rate * special.wofz(z).real / (math.sqrt(2 * math.pi) * eta)


def _drude_fit(
    omega: np.ndarray, sigma: np.ndarray, eta: float, errors: np.ndarray | None = None
) -> tuple[np.ndarray, float]:
    """(sigma0, rate) of :func:`broadened_drude` fitted to one curve, and its chi^2.

    Start values from the linear Drude form 1/Re sigma = c0 + c1 w^2; residuals
    relative to the data, or in units of ``errors`` when given (then the chi^2).
    """
    design = np.stack([np.ones_like(omega), omega**2], axis=1)
    (c0, c1), *_ = np.linalg.lstsq(design, 1 / sigma, rcond=None)
    rate = math.sqrt(c0 / c1) if c0 > 0 and c1 > 0 else 10 * float(omega[-1])
    scale = sigma if errors is None else errors

    def residual(p: np.ndarray) -> np.ndarray:
        return (broadened_drude(omega, p[0], p[1], eta) - sigma) / scale

    start = [abs(1 / c0), rate]
    fit = optimize.least_squares(residual, start, bounds=([0, 0], np.inf))
    return fit.x, float(np.sum(fit.fun**2))


def drude_intercept(omega: np.ndarray, sigma: np.ndarray, eta: float = 0.0) -> np.ndarray:
    """Re sigma(0) of the Drude curve fitted, broadened by the kernel, to each column.

    The start values come from the linear fit 1/Re sigma = c0 + c1 w^2 (the Drude
    form, exact at ``eta = 0``); the least-squares fit of :func:`broadened_drude`
    then removes the Gaussian broadening exactly for a Drude curve.

    Parameters
    ----------
    omega : numpy.ndarray
        Frequencies (t/hbar), shape (k,), k >= 2.
    sigma : numpy.ndarray
        Re sigma (e^2/hbar per site), shape (k,) or (k, R).
    eta : float
        Standard deviation of the Gaussian broadening (t/hbar); 0 for none.

    Returns
    -------
    numpy.ndarray
        sigma0 per column (e^2/hbar per site).
    """
    sigma = np.asarray(sigma, dtype=float)
    columns = sigma.reshape(sigma.shape[0], -1)
    out = np.array([_drude_fit(omega, columns[:, j], eta)[0][0] for j in range(columns.shape[1])])
    return out.reshape(sigma.shape[1:]) if sigma.ndim > 1 else out[0]


def _diffusion(point: PointAnalysis, level: float = 0.95) -> DiffusionEstimate | None:
    """D(0)/D0 = Re sigma(w -> 0) / ((n/m) tau) of one metallic cube (Einstein relation).

    sigma = e^2 rho D per site (spinless model) and the Born Drude value
    sigma_0 = e^2 rho D0 = e^2 (n/m) tau (docs/conventions.md), so the ratio of the
    conductivities is D(0)/D0. Re sigma (Gaussian kernel only) is read on
    :data:`DRUDE_SUPPRESSION` eta <= w <= :data:`DRUDE_WINDOW`/tau and extrapolated to
    w = 0 by the Drude curve broadened like the data (:func:`drude_intercept`) per
    realization; the (unbroadened) Eq. (42) curve is read the same way,
    since its D(w) rises towards D0 on that window as the transition nears. None where
    fewer than two frequencies or realizations are usable.
    """
    c = point.conductivity
    if c.n_realizations < 2 or c.values is None or c.theory is None or not math.isfinite(c.eta):
        return None
    if c.kernel != "gaussian":
        return None
    tau = point.mapping.tau
    # Relative slack 1e-9: a grid point at exactly 3 eta (0.3 = 3 x 0.1) belongs to the window.
    usable = (c.omega >= DRUDE_SUPPRESSION * c.eta * (1 - 1e-9)) & (
        c.omega * tau <= DRUDE_WINDOW * (1 + 1e-9)
    )
    if np.count_nonzero(usable) < 2 or np.any(c.values[:, usable] <= 0):
        return None
    omega = c.omega[usable]
    drude = point.mapping.parameters.n_over_m * tau
    intercepts = drude_intercept(omega, c.values[:, usable].T, c.eta) / drude
    n = intercepts.size
    value = float(intercepts.mean())
    half = float(stats.t.isf(0.5 * (1 - level), n - 1)) * intercepts.std(ddof=1) / math.sqrt(n)
    # chi^2 of the broadened Drude curve on the realization-averaged curve.
    chi2 = _drude_fit(omega, c.mean[usable], c.eta, np.maximum(c.stderr[usable], 1e-300))[1]
    return DiffusionEstimate(
        Estimate(value, max(value - half, value * 1e-9), value + half, level),
        float(drude_intercept(omega, c.theory[usable])) / drude,
        (float(omega[0]), float(omega[-1])),
        chi2,
        omega.size - 2,
    )


def _metal(point: PointAnalysis) -> bool:
    """A 3D cube with a conductivity that Eq. (42) puts on the metal side."""
    return (
        point.dim == 3
        and point.flux == 0
        and point.conductivity is not None
        and point.theory is not None
        and not point.theory.localized
    )


def _diffusion_rows(analysis: Analysis) -> list[VerdictRow]:
    out = []
    for series in size_series(analysis.points, _metal):
        largest = series[-1]
        reasons = born_regime(largest.mapping)
        small = [linear_size(p) for p in series if linear_size(p) < MIN_METAL_SIZE]
        if small:
            reasons.append(f"L = {small} < {MIN_METAL_SIZE}: {ENGINE_NOTE}")
        found = [(linear_size(p), _diffusion(p)) for p in series]
        missing = [n for n, d in found if d is None]
        if missing:
            reasons.append(
                f"L = {missing}: needs kernel = 'gaussian' (a Lorentzian never suppresses "
                "the finite-size Drude peak), >= 2 realizations and >= 2 frequencies in "
                f"{DRUDE_SUPPRESSION:g} eta <= w <= {DRUDE_WINDOW:g}/tau"
            )
        found = [(n, d) for n, d in found if d is not None]
        for n, d in found:
            what = f"broadened Drude fit at L = {n}"
            reasons.append(fit_rejection(d.chi2, d.dof, what) if d.dof else "")
        convergence = size_convergence([n for n, _ in found], [d.ratio for _, d in found])
        reasons.append(convergence.reason)
        # The reference is the Eq. (42) curve read exactly like the numerics (same window,
        # same extrapolation); its w -> 0 value 1 - (lambda/lambda_c)^2 is in the note.
        exact = largest.theory.diffusion_ratio
        references = {}
        reference_note = f"Eq. (42): D(0)/D0 = 1 - (lambda/lambda_c)^2 = {exact:.4g}"
        if found:
            references["theory"] = Estimate.exact(found[-1][1].theory)
            reference_note += f", its curve read like the numerics: {found[-1][1].theory:.4g}"
        windows = "; ".join(
            f"L = {n}: {d.ratio} on w = {d.window[0]:.3g}-{d.window[1]:.3g}, "
            f"chi^2/dof = {d.chi2:.3g}/{d.dof}"
            for n, d in found
        )
        out.append(
            judge(
                key=f"diffusion_3d/{largest.point_id}",
                claim="3D metal: D(0)/D0 = 1 - (lambda/lambda_c)^2 (Eq. 42)",
                quantity="Re sigma(w -> 0) / ((n/m) tau), broadened Drude fit",
                regime=point_regime(
                    series,
                    eta=largest.conductivity.eta,
                    window=list(found[-1][1].window) if found else None,
                ),
                numerics=convergence.limit,
                references=references,
                untested=reasons,
                note=f"{windows}; {convergence.describe()}; {reference_note}",
            )
        )
    return out


def rows(analysis: Analysis) -> list[VerdictRow]:
    """critical_3d and nu_3d per energy of the bars, then diffusion_3d per size series."""
    out = []
    for energy in sorted({e.energy for e in _bars(analysis)}):
        out += _scaling_rows(analysis, energy)
    return out + _diffusion_rows(analysis)


def plots(analysis: Analysis) -> list[Plot]:
    """Lambda_M against W per bar width with the Eq. (42) W_c; D(0)/D0 against W."""
    return _scaling_plots(analysis) + _diffusion_plots(analysis)


def _diffusion_plots(analysis: Analysis) -> list[Plot]:
    """D(0)/D0 of every metallic cube against W, per edge L, beside Eq. (42)."""
    found = [(p, _diffusion(p)) for p in analysis.points if _metal(p)]
    found = [(p, d) for p, d in found if d is not None]
    if not found:
        return []
    curves = []
    for size in sorted({linear_size(p) for p, _ in found}):
        row = sorted(
            ((p, d) for p, d in found if linear_size(p) == size), key=lambda x: x[0].disorder
        )
        curves.append(
            Curve(
                f"$L={size}$",
                [p.disorder for p, _ in row],
                [d.ratio.value for _, d in row],
                [
                    [d.ratio.value - d.ratio.low for _, d in row],
                    [d.ratio.high - d.ratio.value for _, d in row],
                ],
                group=size,
            )
        )
    read = sorted({(p.disorder, d.theory) for p, d in found if p is _largest(found, p)})
    curves.append(
        Curve("Eq. (42) read like the numerics", [w for w, _ in read], [v for _, v in read],
              role="fit_alt")
    )  # fmt: skip
    energy = found[0][0].fermi_energy
    w_c = critical_disorder(energy)
    # lambda ~ 1/tau ~ W^2 at fixed E, so Eq. (42)'s 1 - (lambda/lambda_c)^2 = 1 - (W/W_c)^4.
    grid = np.linspace(0.0, w_c, 60)
    exact = 1 - (grid / w_c) ** 4
    curves.append(Curve(r"Eq. (42): $1-(\lambda/\lambda_c)^2$", grid, exact, role="theory"))
    label = rf"$W_c$ of Eq. (42) $= {w_c:.3g}\,t$"
    curves.append(Curve(label, [w_c], [np.nan], role="reference"))
    caption = (
        f"3D metal at E = {energy:g} t: D(0)/D0 = Re σ(ω → 0)/((n/m)τ) of periodic L³ cubes "
        f"(Chebyshev engine, Gaussian broadening η, Re σ read at {DRUDE_SUPPRESSION:g}η ≤ ω ≤ "
        f"{DRUDE_WINDOW:g}/τ and extrapolated by the Drude curve broadened like the data "
        "(a Voigt profile) per realization; bars: 95 % Student-t intervals over "
        "realizations); solid line: "
        "Eq. (42)'s D(0)/D0 = 1 − (λ/λ_c)² through the Born mapping; dash-dot line: the "
        "Eq. (42) curve read on the same window like the numerics (near W_c its D(ω) rises "
        "towards D0 inside the window); vertical line: Eq. (42)'s mobility edge. The Born "
        "mapping holds (l ≥ 3) only for W ≤ 3.4."
    )
    metadata = {"seeds": analysis.seeds, "energy": energy}
    return [diffusion_figure(curves, caption, metadata)]


def _largest(found: list, point: PointAnalysis) -> PointAnalysis:
    """The largest cube at the disorder of ``point`` among ``found`` (point, estimate) pairs."""
    same = [p for p, _ in found if p.disorder == point.disorder]
    return max(same, key=linear_size)


def _scaling_plots(analysis: Analysis) -> list[Plot]:
    """Lambda_M against W per bar width, with the Eq. (42) W_c."""
    bars = _bars(analysis)
    if not bars:
        return []
    energies = [e.energy for e in bars]
    energy = max(set(energies), key=energies.count)
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
    crossing = None
    if len({e.width for e in bars}) >= 2 and analysis.scaling is not None:
        try:
            crossing = analysis.scaling.crossing_points(*_scaling_data(bars))
        except ValueError:  # the row says why; the figure shows the data only
            crossing = None
    found = []
    if crossing is not None:
        for (a, b), w, dw, lam in zip(
            crossing.pairs, crossing.disorder, crossing.disorder_err, crossing.Lambda,
            strict=True,
        ):  # fmt: skip
            if math.isfinite(w):
                found.append(f"M = {int(a)}/{int(b)}: W = {w:.3g} ± {Z95 * dw:.2g} t")
                curves.append(
                    Curve(f"crossing $M={int(a)}/{int(b)}$", [w], [lam], role="crossing",
                          group=f"M={int(a)}/{int(b)}", xerr=[Z95 * dw])
                )  # fmt: skip
    try:
        w_c = critical_disorder(energy)
    except ValueError:  # energy outside the clean band: no Born mapping
        w_c = None
    if w_c is not None:
        label = rf"$W_c$ of Eq. (42) $= {w_c:.3g}\,t$"
        curves.append(Curve(label, [w_c], [np.nan], role="reference"))
    if found:
        text = (
            "the curves of successive widths cross at " + ", ".join(found) + " (crosses; "
            "shaded: 95 % intervals, covariance-propagated, statistical only)"
        )
    else:
        text = "no crossing of successive widths lies inside the data"
    caption = (
        f"3D: Λ_M = ξ_M/M of M × M bars at E = {energy:g} t against W; {text}"
        + (
            f"; vertical line: the mobility edge of Eq. (42) through the Born mapping, "
            f"W_c = {w_c:.3g} t"
            if w_c is not None
            else ""
        )
        + "."
    )
    metadata = {"seeds": analysis.seeds, "energy": energy}
    return [scaling_figure(curves, caption, metadata)]


def blocks(analysis: Analysis) -> list[Block]:
    """No table beyond the rows and the length table."""
    return []
