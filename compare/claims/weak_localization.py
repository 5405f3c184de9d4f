r"""Claim: the 2D weak-localization logarithm, d Re sigma/d ln w = 1/(4 pi^2) (Eq. 42).

Eq. (42) gives, for w0 << w << 1/tau in d = 2, Re sigma = sigma0 - (1/(4 pi^2))
ln(K0^2/(w tau)) per spin (``docs/theory.md`` section 3a): the universal
orthogonal-class coefficient, with no parameter. vwloc's lattice model is
spinless, so its sigma is per spin and 1/(4 pi^2) is the number to compare with.

Rows, one per size series of 2D time-reversal-invariant points (same W, E_F and
boundary; several L):

- ``wl_2d``: the slope of Re sigma against ln w in the window

      max(THOULESS_SEPARATION D0 q_1^2, 3 eta, 3 w0, 3 level spacing) <= w <= 1/(10 tau)

  (q_1 the lowest nonzero Cooperon wavevector of the finite lattice: 2 pi/L on a
  periodic axis, pi/L on an open one). It is measured per realization (a
  least-squares line in ln w; realizations are independent samples) and averaged
  with a Student-t interval; the mean minus the Eq. (42) curve must be a line in
  ln w (the curve's own Drude roll-off is not a line) by the realization-covariance
  test of its smooth deviations (:mod:`compare.smooth_deviation`: the frequencies of
  one realization are correlated, so a diagonal-weight chi^2 is no test);
  converged over at least three sizes; against the same slope of the Eq. (42)
  curve on that window (``theory``, which contains the Drude roll-off) and
  1/(4 pi^2) (``exact``).
  On an open x axis the Eq. (42) slope depends on L (the open-axis factor, below): the
  row judges slope/Eq. (42) slope per size instead, against 1.
- ``wl_level_2d``: the absolute level, the window average of Re sigma/Re sigma_Eq.42
  per realization (Born conductivity plus the logarithm, no fitted parameter),
  against 1; the note gives the same ratio to the Born (Drude) conductivity alone,
  and the O(1) ambiguity of the level through the cutoff (x0 = k0 l).
- ``drude_2d``: the Drude level at 1/tau <= w <= 2/tau (Chebyshev engine), the
  window average of Re sigma over the Born Drude conductivity broadened by the
  same Lorentzian, against the same average of Eq. (42) over the unbroadened Drude form.

On a lattice open along x (the field axis) no current leaves the ends: charge piles up
within sqrt(D/w) of them, and the Eq. (42) and Born curves are multiplied (complex, before
the engine's broadening) by the classical open-axis factor 1 - tanh(z)/z, z = (L_x/2)
sqrt(-i w/D), D = sigma(w)/rho (:mod:`theory.boundary`, ``docs/theory.md`` section 5b); the
notes give the open-x numbers without it too. The Drude row keeps the bulk form (at
w >= 1/tau the ends' layer is ballistic, of depth ~l, not the diffusion length).

Every row needs l >= 3 and k_F l >= 3 (Born mapping). A window of a decade at
l >= 3 needs L of a few hundred: below :data:`MIN_SIZE` the row says it needs the
large-lattice engines (``engine = "sparse"``).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from theory.asymptotics import WEAK_LOCALIZATION_SLOPE_2D
from theory.boundary import open_axis_conductivity
from theory.eq42 import solve_eq42
from theory.observables import conductivity as eq42_conductivity

from ..analysis import Analysis, PointAnalysis
from ..blocks import Block, number_text, table
from ..estimate import Estimate
from ..figures import Curve, Plot, weak_localization_figure
from ..smooth_deviation import smooth_deviation_test
from ..statistics import student_interval
from ..verdicts import (
    VerdictRow,
    born_regime,
    deviation_rejection,
    judge,
    size_convergence,
)
from ._common import linear_size, point_regime, size_series

__all__ = [
    "SUMMARY",
    "DRUDE_HIGH",
    "DRUDE_SEPARATION",
    "KINDS",
    "MIN_DECADES",
    "MIN_FREQUENCIES",
    "MIN_SIZE",
    "SEPARATION",
    "THOULESS_SEPARATION",
    "TITLE",
    "blocks",
    "born_drude",
    "drude_window",
    "engine_theory",
    "truncated_lorentzian",
    "lowest_cooperon_mode",
    "open_length",
    "plots",
    "realization_mean",
    "realization_slopes",
    "rows",
    "window",
]

TITLE = "2D weak-localization logarithm and Drude level"
#: The line of the five-line summary this claim's rows are counted on.
SUMMARY = "conductivity"
#: Row kinds (key prefixes) of this claim.
KINDS = ("wl_2d", "wl_level_2d", "drude_2d")
#: "<<" in the window's lower conditions on eta, w0 and the level spacing.
SEPARATION = 3.0
#: w >= this x D0 q_1^2: the discrete Cooperon sum (1/L^2) sum_q Re 1/(D0 q^2 - i w) of a
#: periodic L x L lattice has a slope in ln w within 3 % of the continuum's from 2 D0 q_1^2
#: on (its q = 0 term is purely imaginary; tests/compare/test_weak_localization.py).
THOULESS_SEPARATION = 2.0
#: w tau <= 1/DRUDE_SEPARATION: the Drude roll-off 1/(1 + (w tau)^2) bends Re sigma by
#: (w tau)^2, 1 % here; the Eq. (42) slope on the same window contains it.
DRUDE_SEPARATION = 10.0
#: The Drude-level window is 1/tau <= w <= DRUDE_HIGH/tau: the continuum Drude form needs
#: w well inside the band (|E_F| = 1 t from the van Hove point).
DRUDE_HIGH = 2.0
#: The window must span at least this many decades of frequency.
MIN_DECADES = 1.0
#: Frequencies a window must hold for a line (two parameters) to be tested.
MIN_FREQUENCIES = 4
#: Smallest lattice edge for a one-decade window at l >= 3: 2 D0 (2 pi/L)^2 <= 1/(100 tau)
#: needs L >= 2 pi sqrt(200 D0 tau) = 2 pi sqrt(100 l^2) ~ 60 l, i.e. L >= ~200 at l = 3.4.
MIN_SIZE = 200
#: Quadrature points per eta of the broadened Eq. (42) curve (midpoint rule on a curve
#: smooth on the scale eta: error ~ (1/QUADRATURE_PER_ETA)^2 / 24 of the kernel's curvature).
QUADRATURE_PER_ETA = 8
#: What the rows need that the dense engine cannot give.
ENGINE_NOTE = "needs engine=sparse/kpm (issue 10)"


def lowest_cooperon_mode(point: PointAnalysis) -> float:
    """D0 q_1^2 (t): the lowest nonzero Cooperon mode of the finite lattice.

    q_1 = 2 pi/L_a on a periodic axis a, pi/L_a on an open one (Neumann modes of
    the diffusion equation), the smallest over the axes.
    """
    diffusion = point.mapping.parameters.diffusion_constant
    boundary = point.boundary or ("periodic",) * len(point.shape)
    q = min(
        (math.pi if b == "open" else 2 * math.pi) / n
        for n, b in zip(point.shape, boundary, strict=True)
    )
    return diffusion * q**2


def window(point: PointAnalysis) -> tuple[float, float]:
    """The frequency window (t) of the logarithm at one point (may be empty)."""
    c, mapping, theory = point.conductivity, point.mapping, point.theory
    floor = [SEPARATION * x for x in (theory.omega0, c.eta, c.level_spacing) if math.isfinite(x)]
    low = max([THOULESS_SEPARATION * lowest_cooperon_mode(point), *floor])
    return low, 1 / (DRUDE_SEPARATION * mapping.tau)


def drude_window(point: PointAnalysis) -> tuple[float, float]:
    """The frequency window (t) of the Drude level: 1/tau ... DRUDE_HIGH/tau."""
    tau = point.mapping.tau
    return 1 / tau, DRUDE_HIGH / tau


def born_drude(omega: np.ndarray, sigma0: float, tau: float, eta: float = 0.0) -> np.ndarray:
    """Born Drude Re sigma(w) = sigma0 / (1 + (w tau)^2), Lorentzian-broadened by eta.

    The broadening kernel of the engines (with its mirror term) convolves the even
    Lorentzian of half width 1/tau with one of half width eta: the result is the
    Lorentzian of half width 1/tau + eta with the same area pi sigma0/tau.

    Parameters
    ----------
    omega : array_like
        Frequencies (t/hbar).
    sigma0 : float
        Born conductivity (n/m) tau = D_f tau (e^2/hbar per site).
    tau : float
        Born scattering time (hbar/t).
    eta : float
        Lorentzian half width of the broadening (t).
    """
    gamma = 1 / tau + eta
    w = np.asarray(omega, dtype=float)
    return sigma0 / tau * gamma / (w**2 + gamma**2)


def truncated_lorentzian(
    omega: np.ndarray, spectrum: Callable[[np.ndarray], np.ndarray], eta: float, w_max: float
) -> np.ndarray:
    """Re sigma as an engine reports it from pairs with w_p <= w_max (Lorentzian eta, mirror).

    sigma_eta(w) = int_0^w_max sigma(w') [L(w - w') + L(w + w')] dw' with
    L(x) = (eta/pi)/(x^2 + eta^2): the pair sums of the dense and sparse engines with a
    window w_max (docs/engines.md); near w_max the missing tail is about
    sigma eta/(pi (w_max - w)), 9 % at w_max - w = 3.7 eta.

    Parameters
    ----------
    omega : array_like
        Frequencies (t/hbar).
    spectrum : callable
        The unbroadened Re sigma(w') on an array of frequencies (e^2/hbar).
    eta : float
        Lorentzian half width (t).
    w_max : float
        Largest pair frequency (t/hbar).
    """
    n = int(math.ceil(QUADRATURE_PER_ETA * w_max / eta))
    step = w_max / n
    grid = (np.arange(n) + 0.5) * step
    w = np.asarray(omega, dtype=float)[:, None]
    kernel = (eta / math.pi) * (1 / ((w - grid) ** 2 + eta**2) + 1 / ((w + grid) ** 2 + eta**2))
    return (kernel * spectrum(grid)).sum(axis=1) * step


def open_length(point: PointAnalysis) -> int | None:
    """L_x (sites) when the field axis x (axis 0, that of sigma_xx) is open, else None."""
    boundary = point.boundary or ("periodic",) * len(point.shape)
    return point.shape[0] if boundary[0] == "open" else None


def _closed_ends(
    point: PointAnalysis, sigma: Callable[[np.ndarray], np.ndarray], open_axis: bool
) -> Callable[[np.ndarray], np.ndarray]:
    """Re of the complex ``sigma``, times the open-axis factor where x is open and ``open_axis``.

    The factor (:func:`theory.boundary.open_axis_conductivity`, D = sigma(w)/rho) multiplies
    the complex conductivity before the engine's broadening: the pair sums broaden the open
    sample's spectrum, and the factor is a property of that spectrum.
    """
    length = open_length(point) if open_axis else None
    if length is None:
        return lambda w: sigma(w).real
    rho = point.mapping.parameters.density_of_states
    return lambda w: open_axis_conductivity(w, sigma(w), rho, length).real


def engine_theory(point: PointAnalysis, open_axis: bool = True) -> np.ndarray:
    """The Eq. (42) curve on the point's frequencies, processed as the engine processed the data.

    With an open x axis (and ``open_axis``) the complex Eq. (42) conductivity is first
    multiplied by the open-axis factor of the classical charging at the closed ends
    (:func:`theory.boundary.open_axis_conductivity`, ``docs/theory.md`` section 5b). With a
    finite ``w_max`` (sparse engine) and a Lorentzian kernel the curve is then broadened by
    eta and cut at w_max (:func:`truncated_lorentzian`); otherwise it is the plain curve.
    """
    params = point.mapping.parameters
    spectrum = _closed_ends(point, lambda w: eq42_conductivity(solve_eq42(params, w)), open_axis)
    if open_axis and open_length(point) is not None:
        plain = spectrum(point.conductivity.omega)
    else:
        plain = point.conductivity.theory
    return _as_engine(point, spectrum, plain)


def _as_engine(
    point: PointAnalysis, spectrum: Callable[[np.ndarray], np.ndarray], plain: np.ndarray
) -> np.ndarray:
    """``spectrum`` broadened and cut as the point's pair sums (:func:`truncated_lorentzian`)
    where the engine had a finite w_max and a Lorentzian kernel; else ``plain``."""
    c = point.conductivity
    if not math.isfinite(c.w_max) or c.kernel != "lorentzian" or not c.eta > 0:
        return plain
    return truncated_lorentzian(c.omega, spectrum, c.eta, c.w_max)


def realization_slopes(omega: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Least-squares slope of each realization's Re sigma against ln w.

    Parameters
    ----------
    omega : array_like
        Frequencies (t), shape (n,), n >= 2.
    values : array_like
        Re sigma per realization, shape (R, n).
    """
    x = np.log(np.asarray(omega, dtype=float))
    y = np.asarray(values, dtype=float)
    centred = x - x.mean()
    return (y - y.mean(axis=1, keepdims=True)) @ centred / float(centred @ centred)


def realization_mean(values: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """Window average of values/reference per realization (shape (R,))."""
    return (np.asarray(values, dtype=float) / np.asarray(reference, dtype=float)).mean(axis=1)


def _size_label(point: PointAnalysis) -> str:
    return f"L={linear_size(point)}"


def _boundary_text(point: PointAnalysis) -> str:
    boundary = point.boundary or ("periodic",) * point.dim
    return "periodic" if set(boundary) == {"periodic"} else "/".join(boundary)


def _series(
    analysis: Analysis, keep: Callable[[PointAnalysis], bool]
) -> list[list[PointAnalysis]]:
    """Size series of 2D flux-free points kept by ``keep``, separately per boundary."""
    boundaries = sorted({p.boundary for p in analysis.points})
    out = []
    for boundary in boundaries:
        out += size_series(analysis.points, lambda p, b=boundary: p.boundary == b and keep(p))
    return out


def _eligible(point: PointAnalysis) -> bool:
    return (
        point.dim == 2
        and point.flux == 0
        and point.conductivity is not None
        and point.mapping is not None
        and point.theory is not None
    )


def _in_window(point: PointAnalysis, low: float, high: float) -> np.ndarray:
    c = point.conductivity
    return (c.omega >= low) & (c.omega <= high)


def _reaches_low_frequency(point: PointAnalysis) -> bool:
    """A weak-localization point: frequencies below 1/(10 tau)."""
    return _eligible(point) and bool(
        np.any(point.conductivity.omega <= 1 / (DRUDE_SEPARATION * point.mapping.tau))
    )


def _reaches_drude(point: PointAnalysis) -> bool:
    """A Drude-level point: frequencies inside 1/tau ... DRUDE_HIGH/tau."""
    return _eligible(point) and bool(_in_window(point, *drude_window(point)).any())


def _window_reasons(point: PointAnalysis, low: float, high: float, decades: float) -> list[str]:
    c = point.conductivity
    count = int(_in_window(point, low, high).sum())
    size, reasons = _size_label(point), []
    if high / low < 10**decades:
        reasons.append(f"{size}: window {low:.3g}-{high:.3g} spans < {decades:g} decade")
    if count < MIN_FREQUENCIES:
        reasons.append(f"{size}: {count} frequencies in the window, need >= {MIN_FREQUENCIES}")
    if c.n_realizations < 2:
        reasons.append(f"{size}: {c.n_realizations} realization(s), need >= 2")
    return reasons


def _slope_row(series: list[PointAnalysis]) -> VerdictRow:
    largest = series[-1]
    reasons = born_regime(largest.mapping)
    small = [linear_size(p) for p in series if linear_size(p) < MIN_SIZE]
    if small:
        reasons.append(f"L = {small} < {MIN_SIZE}: {ENGINE_NOTE}")
    sizes, estimates, theory_slope, notes, pooled = [], [], None, [], []
    closed = open_length(largest) is not None
    for point in series:
        low, high = window(point)
        failed = _window_reasons(point, low, high, MIN_DECADES)
        if failed:
            reasons += failed
            continue
        c, inside = point.conductivity, _in_window(point, low, high)
        slopes = realization_slopes(c.omega[inside], c.values[:, inside])
        slope = student_interval(slopes)
        theory = engine_theory(point)
        # the model: Eq. (42)'s shape (its Drude roll-off bends it) plus a line in ln w
        model = f"{_size_label(point)}: Eq. (42) + line in ln w"
        try:
            deviation = smooth_deviation_test(
                np.log(c.omega[inside]), c.values[:, inside] - theory[inside]
            )
        except ValueError as exc:
            reasons.append(f"{model}: {exc}")
            continue
        reasons.append(deviation_rejection(deviation, model))
        theory_slope = float(realization_slopes(c.omega[inside], theory[inside][None])[0])
        notes.append(
            f"{_size_label(point)}: slope {slope} ({c.n_realizations} realizations, per-"
            f"realization sd {np.std(slopes, ddof=1):.2g}), Eq. (42) {theory_slope:.4g}"
            f"{_bulk_text(point, inside, slope=True)}, window {low:.3g}-{high:.3g} "
            f"({int(inside.sum())} frequencies), Eq. (42) + line: {deviation.describe()}"
        )
        if closed:  # the open-x prediction depends on L: the ratio is what must converge
            if not theory_slope > 0:
                reasons.append(f"{_size_label(point)}: Eq. (42) slope {theory_slope:.3g} <= 0")
                continue
            slopes = slopes / theory_slope
            slope = student_interval(slopes)
            notes.append(f"{_size_label(point)}: slope/Eq. (42) slope {slope}")
        sizes.append(linear_size(point))
        estimates.append(slope)
        pooled.append(slopes)
    convergence = size_convergence(sizes, estimates)
    reasons.append(convergence.reason)
    if len(pooled) > 1:  # a number to plan with, not a verdict: it assumes size-independence
        notes.append(
            f"all sizes pooled (each realization in its own window, size-independence "
            f"assumed): {student_interval(np.concatenate(pooled))}"
        )
    references = {"exact": Estimate.exact(WEAK_LOCALIZATION_SLOPE_2D)}
    if closed:
        references = {"theory": Estimate.exact(1.0)}
    elif theory_slope is not None and theory_slope > 0:
        references["theory"] = Estimate.exact(theory_slope)
    quantity = "d Re sigma / d ln w (e^2/hbar, per spin)"
    if closed:
        quantity = "d Re sigma / d ln w over the Eq. (42) slope with the open-axis factor (same L)"
    return judge(
        key=f"wl_2d/{largest.point_id}",
        claim="2D: Re sigma - sigma0 = (1/(4 pi^2)) ln(w tau) + const (Eq. 42, universal)",
        quantity=quantity,
        regime=_regime(series),
        numerics=convergence.limit,
        references=references,
        untested=reasons,
        note="; ".join([convergence.describe(), *notes]),
    )


def _bulk_text(point: PointAnalysis, inside: np.ndarray, slope: bool = False) -> str:
    """For an open x axis: the Eq. (42) curve's slope, or data over it, without the factor."""
    if open_length(point) is None:
        return ""
    c, bulk = point.conductivity, engine_theory(point, open_axis=False)[inside]
    if slope:
        value = number_text(float(realization_slopes(c.omega[inside], bulk[None])[0]))
        return f" with the open-axis factor ({value} without)"
    ratio = student_interval(realization_mean(c.values[:, inside], bulk))
    factor = float(np.mean(engine_theory(point)[inside] / bulk))
    return (
        f" with the open-axis factor (window average of Eq. (42) with/without it "
        f"{factor:.4g}; data/Eq. (42) without it {ratio})"
    )


def _regime(series: list[PointAnalysis], drude: bool = False) -> dict:
    largest = series[-1]
    c = largest.conductivity
    low, high = drude_window(largest) if drude else window(largest)
    return point_regime(
        series,
        boundary=_boundary_text(largest),
        eta=c.eta,
        level_spacing=c.level_spacing,
        w0=largest.theory.omega0,
        lowest_cooperon_mode=lowest_cooperon_mode(largest),
        window=[low, high],
        realizations=[p.conductivity.n_realizations for p in series],
    )


def _sigma0(point: PointAnalysis) -> float:
    return point.mapping.stiffness * point.mapping.tau


def _engine_born(point: PointAnalysis) -> np.ndarray:
    """The Born Drude curve on the point's frequencies, processed as the engine did.

    sigma0/(1 - i w tau), times the open-axis factor where x is open (as
    :func:`engine_theory`).
    """
    tau, sigma0 = point.mapping.tau, _sigma0(point)
    if open_length(point) is None:
        plain = born_drude(point.conductivity.omega, sigma0, tau)
        return _as_engine(point, lambda w: born_drude(w, sigma0, tau), plain)
    spectrum = _closed_ends(point, lambda w: sigma0 / (1 - 1j * tau * w), True)
    return _as_engine(point, spectrum, spectrum(point.conductivity.omega))


def _level_row(series: list[PointAnalysis]) -> VerdictRow:
    largest = series[-1]
    reasons = born_regime(largest.mapping)
    sizes, estimates, notes = [], [], []
    for point in series:
        low, high = window(point)
        failed = _window_reasons(point, low, high, MIN_DECADES)
        if failed:
            reasons += failed
            continue
        c, inside = point.conductivity, _in_window(point, low, high)
        ratios = realization_mean(c.values[:, inside], engine_theory(point)[inside])
        level = student_interval(ratios)
        drude = _engine_born(point)[inside]
        born = student_interval(realization_mean(c.values[:, inside], drude))
        notes.append(
            f"{_size_label(point)}: data/Eq. (42) {level}{_bulk_text(point, inside)}, "
            f"data/Born {born}"
        )
        sizes.append(linear_size(point))
        estimates.append(level)
    convergence = size_convergence(sizes, estimates)
    reasons.append(convergence.reason)
    # ln K0^2 shifts the level by (1/(4 pi^2)) ln(x0^2): a factor 2 in x0 = k0 l moves it by
    # ln(4)/(4 pi^2) = 0.035 e^2/hbar, i.e. 0.035/sigma0 relative.
    ambiguity = math.log(4.0) * WEAK_LOCALIZATION_SLOPE_2D / _sigma0(largest)
    notes.append(
        f"cutoff ambiguity: x0 = k0 l from 1/2 to 2 moves the Eq. (42) level by "
        f"+-{ambiguity:.2g} (relative)"
    )
    return judge(
        key=f"wl_level_2d/{largest.point_id}",
        claim="2D: Re sigma = Born sigma0 - (1/(4 pi^2)) ln(K0^2/(w tau)) (Eq. 42, level)",
        quantity="window average of Re sigma / Re sigma_Eq.42",
        regime=_regime(series),
        numerics=convergence.limit,
        references={"theory": Estimate.exact(1.0)},
        untested=reasons,
        note="; ".join([convergence.describe(), *notes]),
    )


def _drude_row(series: list[PointAnalysis]) -> VerdictRow:
    largest = series[-1]
    reasons = born_regime(largest.mapping)
    sizes, estimates, notes, theory = [], [], [], None
    for point in series:
        low, high = drude_window(point)
        c = point.conductivity
        if not SEPARATION * c.eta <= low:
            reasons.append(f"{_size_label(point)}: eta {c.eta:.3g} not << 1/tau {low:.3g}")
        failed = _window_reasons(point, low, high, 0.0)
        if failed:
            reasons += failed
            continue
        inside = _in_window(point, low, high)
        w, sigma0, tau = c.omega[inside], _sigma0(point), point.mapping.tau
        ratios = realization_mean(c.values[:, inside], born_drude(w, sigma0, tau, c.eta))
        level = student_interval(ratios)
        theory = float(np.mean(c.theory[inside] / born_drude(w, sigma0, tau)))
        relative = float(np.mean(c.stderr[inside] / c.mean[inside]))
        notes.append(
            f"{_size_label(point)}: data/Born {level} ({c.n_realizations} realizations, "
            f"standard error per frequency {relative:.2g} relative, stochastic and disorder "
            f"together), Eq. (42)/Born {theory:.4g}"
        )
        sizes.append(linear_size(point))
        estimates.append(level)
    convergence = size_convergence(sizes, estimates)
    reasons.append(convergence.reason)
    references = {"exact": Estimate.exact(1.0)}
    if theory is not None:
        references["theory"] = Estimate.exact(theory)
    return judge(
        key=f"drude_2d/{largest.point_id}",
        claim="2D: Re sigma = sigma0/(1 + (w tau)^2) at w > 1/tau (Born Drude, Eq. 42)",
        quantity="window average of Re sigma / Born Drude (same Lorentzian broadening)",
        regime=_regime(series, drude=True),
        numerics=convergence.limit,
        references=references,
        untested=reasons,
        note="; ".join([convergence.describe(), *notes]),
    )


def rows(analysis: Analysis) -> list[VerdictRow]:
    """Slope and level rows per weak-localization size series, Drude rows per Drude series."""
    out = []
    for series in _series(analysis, _reaches_low_frequency):
        out += [_slope_row(series), _level_row(series)]
    out += [_drude_row(series) for series in _series(analysis, _reaches_drude)]
    return out


def plots(analysis: Analysis) -> list[Plot]:
    """Re sigma against ln w per weak-localization series, with the scales that bend it."""
    panels: dict[str, list[Curve]] = {}
    eta, counts, any_open = None, [], False
    # panels: the box model first, strongest disorder first within a model
    ordered = sorted(
        _series(analysis, _reaches_low_frequency),
        key=lambda series: (series[-1].kind != "box", -series[-1].disorder),
    )
    for series in ordered:
        largest = series[-1]
        any_open = any_open or open_length(largest) is not None
        low, high = window(largest)
        title = f"$W={largest.disorder:g}$, {_boundary_text(largest)}"
        if largest.kind != "box":  # one panel per disorder distribution
            title += f", {largest.kind.capitalize()}"
        curves = panels.setdefault(title, [])
        for point in series:
            c = point.conductivity
            keep = c.omega <= 2 * high
            label = f"$L={linear_size(point)}$"
            curves.append(Curve(label, c.omega[keep], c.mean[keep], c.stderr[keep], group=label))
            counts.append(f"{c.n_realizations} at L = {linear_size(point)}")
        c = largest.conductivity
        keep = c.omega <= 2 * high
        w = c.omega[keep]
        theory = engine_theory(largest)[keep]
        curves.append(Curve("Eq. (42)", w, theory, role="theory", group="theory"))
        born = _engine_born(largest)[keep]
        curves.append(Curve("Born (Drude)", w, born, role="exact", group="born"))
        mode = lowest_cooperon_mode(largest)
        curves.append(
            Curve(
                rf"$D_0q_1^2$ ($L={linear_size(largest)}$)", [mode, mode], [0, 1], role="reference"
            )
        )
        eta = c.eta
        curves.append(Curve(r"$\eta$", [eta, eta], [0, 1], role="reference"))
    if not panels:
        return []
    closed_ends = (
        "on a lattice open along x both include the classical charging of the closed ends, "
        "σ[1 − tanh(z)/z] with z = (L/2)√(−iωρ/σ) (docs/theory.md section 5b); "
        if any_open
        else ""
    )
    caption = (
        "2D conductivity at weak disorder against ln ω (E_F = -1 t, W in t): markers, exact "
        "window eigenpairs (engine sparse), mean over realizations with one standard error; "
        "solid, Eq. (42) through the Born mapping (no parameter), the largest L; dotted, the "
        "Born Drude conductivity without the logarithm; "
        + closed_ends
        + "both broadened and cut at ω_max as "
        "the engine's pair sums are (Lorentzian η with its mirror, pairs up to ω_max); "
        "vertical lines, the lowest Cooperon "
        "mode D₀q₁² of the largest lattice and the Lorentzian broadening η. The slope is "
        "judged on max(2 D₀q₁², 3 η) ≤ ω ≤ 1/(10τ); Eq. (42)'s slope there is "
        "≈ 1/(4π²) = 0.0253 e²/ħ per spin. Realizations: " + ", ".join(dict.fromkeys(counts)) + "."
    )
    metadata = {"seeds": analysis.seeds, "eta": eta}
    return [weak_localization_figure(panels, caption, metadata)]


def blocks(analysis: Analysis) -> list[Block]:
    """Per point: window, slope per realization mean, level, the theory's numbers."""
    out_rows = []
    for series in _series(analysis, _reaches_low_frequency):
        for point in series:
            low, high = window(point)
            c, inside = point.conductivity, _in_window(point, low, high)
            if c.n_realizations < 2 or inside.sum() < 2:
                continue
            slopes = realization_slopes(c.omega[inside], c.values[:, inside])
            curve = engine_theory(point)
            theory = realization_slopes(c.omega[inside], curve[inside][None])[0]
            out_rows.append(
                [
                    point.point_id,
                    f"{low:.3g} - {high:.3g}",
                    str(int(inside.sum())),
                    str(c.n_realizations),
                    str(student_interval(slopes)),
                    number_text(float(np.std(slopes, ddof=1))),
                    number_text(float(theory)),
                    str(student_interval(realization_mean(c.values[:, inside], curve[inside]))),
                ]
            )
    if not out_rows:
        return []
    headers = [
        "point",
        "window [t]",
        "frequencies",
        "realizations",
        "slope [95 %]",
        "sd per realization",
        "Eq. (42) slope",
        "Re sigma / Eq. (42) [95 %]",
    ]
    return [
        Block(
            "paragraph",
            "Weak-localization window per point: the slope of Re sigma against ln w per "
            "realization (least squares), its mean with a Student-t interval, and the window "
            f"average of Re sigma over the Eq. (42) curve. Universal value 1/(4 pi^2) = "
            f"{WEAK_LOCALIZATION_SLOPE_2D:.4g} e^2/hbar per spin.",
        ),
        table(headers, out_rows),
    ]
