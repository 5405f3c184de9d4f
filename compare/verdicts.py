r"""Verdict rows and the rules that decide them (``docs/verdicts.md``).

Every comparison of the numerics with the theory becomes one
:class:`VerdictRow`, made by :func:`judge` and nothing else, so every row in
``predictions.json``, the report's table and the summary went through the same
rules:

1. **Tested at all?** A claim module passes the reasons why a row cannot be
   judged (``untested``): the numerics are not converged (fewer than
   :data:`MIN_SIZES` sizes, or a drift with size that neither size-independence
   nor an extrapolation describes, :func:`size_convergence`); the theory's
   regime does not hold (:func:`born_regime` and the claim's own window
   conditions); a fit rejected by its own chi^2 (:func:`fit_rejection`); a
   heavy-tailed mean that is not estimable. Any reason -> ``not tested``.
2. **Judged.** Otherwise the ratio numerics/reference (interval propagated in
   log space, :meth:`Estimate.ratio`) against the expected value:
   ``agrees`` (inside the interval), ``same order`` (within a factor
   :data:`SAME_ORDER_FACTOR`), ``disagrees``; an interval wider than a factor
   :data:`INCONCLUSIVE_SPREAD` is ``inconclusive``. Qualitative claims (time
   reversal) pass their own verdict and reason, still behind rule 1.

The reference judged is the Eq. (42) solution through the lattice mapping
(``theory``) where it exists, else the exact result (``exact``), else the
seed's printed formula (``printed``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import stats

from theory.mapping import LatticeMapping

from ._checks import check_real
from .estimate import Estimate
from .smooth_deviation import SmoothDeviation
from .statistics import HEAVY_TAIL_MIN_SAMPLES, heavy_tail_mean

__all__ = [
    "FIT_P_VALUE",
    "INCONCLUSIVE_SPREAD",
    "MIN_EXTRAPOLATION_SIZES",
    "MIN_MEAN_FREE_PATH",
    "MIN_MEAN_SAMPLES",
    "MIN_SIZES",
    "REFERENCES",
    "SAME_ORDER_FACTOR",
    "SIZE_P_VALUE",
    "VERDICTS",
    "SizeConvergence",
    "VerdictRow",
    "born_regime",
    "deviation_rejection",
    "fit_p_value",
    "fit_rejection",
    "judge",
    "kf_l",
    "mean_estimate",
    "mean_interval_reasons",
    "ratio_verdict",
    "shape_verdict",
    "regime_parameters",
    "size_convergence",
    "verdict_summary",
]

#: Reference kinds, in the order the verdict prefers them.
REFERENCES = ("theory", "exact", "printed")
#: Verdict labels.
VERDICTS = ("agrees", "same order", "disagrees", "inconclusive", "not tested", "no reference")
#: A ratio within this factor of the expected value (but outside its interval) is
#: "same order": the theory is a weak-coupling resummation whose constants are not
#: exact at the lambda of a lattice simulation (seed Sec. IV).
SAME_ORDER_FACTOR = 2.0
#: An interval of numerics/reference wider than this factor (high/low) judges nothing.
INCONCLUSIVE_SPREAD = 10.0
#: Fewest system sizes (N, L or strip width M) for a convergence claim (issue 11).
MIN_SIZES = 3
#: Fewest sizes for an extrapolation a + b/N: on three sizes the two-parameter fit has
#: one degree of freedom and accepts a ln N growth (the 1D alpha(0) median and typical
#: value at N = 600, 1200, 2400 gave p = 0.05 and 0.42), so it would call it converged.
MIN_EXTRAPOLATION_SIZES = 4
#: A fit whose chi^2 has a p-value below this is rejected by its own goodness of fit
#: (1 %: a correct model with honest errors is rejected once in a hundred).
FIT_P_VALUE = 0.01
#: Size-independence (or an extrapolation) is accepted when its chi^2 p-value is above
#: this (5 %: the usual test level; a drift is then called a drift).
SIZE_P_VALUE = 0.05
#: Shortest Born mean free path (lattice spacings) where the continuum mapping is used
#: for a verdict: the Born rate and v_F tau assume l >> a; l >= 3 (issue 11's 2D
#: criterion) keeps the lattice-scale corrections at the 10 % level.
MIN_MEAN_FREE_PATH = 3.0
#: Smallest k_F l for the weak-disorder theory (lambda = 1/(2 pi E_F tau) ~ 1/(k_F l)).
MIN_KF_L = 3.0
#: Fewest realizations for an interval of a heavy-tailed realization mean
#: (:func:`compare.statistics.heavy_tail_mean`: k = 10 % of them >= 10 as its power tail).
MIN_MEAN_SAMPLES = HEAVY_TAIL_MIN_SAMPLES


# --- the rules ------------------------------------------------------------------------------


def fit_p_value(chi2: float, dof: int) -> float:
    """Upper-tail probability of ``chi2`` with ``dof`` degrees of freedom (NaN if dof < 1)."""
    if dof < 1 or not math.isfinite(chi2):
        return math.nan
    return float(stats.chi2.sf(chi2, dof))


def fit_rejection(chi2: float, dof: int, what: str = "fit") -> str:
    """Why a fit is no evidence for its parameters ("" if its chi^2 accepts it)."""
    p = fit_p_value(chi2, dof)
    if math.isnan(p):
        return f"{what}: no degrees of freedom left to test the fit"
    if p < FIT_P_VALUE:
        return (
            f"{what} rejected by its own chi^2 (reduced chi^2 {chi2 / dof:.3g} on {dof} dof, "
            f"p = {p:.2g} < {FIT_P_VALUE:g})"
        )
    return ""


def deviation_rejection(test: SmoothDeviation, what: str) -> str:
    """Why a model is no description of correlated curves ("" if
    :func:`compare.smooth_deviation.smooth_deviation_test` accepts its deviations)."""
    if test.p_value < FIT_P_VALUE:
        return (
            f"{what} rejected by the realization-covariance test of its smooth deviations "
            f"({test.describe()} < {FIT_P_VALUE:g})"
        )
    return ""


@dataclass(frozen=True)
class SizeConvergence:
    """A quantity measured at several system sizes, and whether it is converged.

    Attributes
    ----------
    sizes : tuple of int
        System sizes (N, L or M), ascending.
    values : tuple of Estimate
        The quantity at each size.
    limit : Estimate or None
        The converged value: the largest size's estimate when the data are
        size-independent within errors, else the extrapolation a + b/size to
        infinite size; None if neither describes the data.
    method : str
        ``size-independent``, ``extrapolated a + b/N`` or "".
    reason : str
        Why there is no limit ("" if there is one).
    p_constant, p_extrapolation : float
        chi^2 p-values of the two descriptions (NaN where not tested).
    """

    sizes: tuple[int, ...]
    values: tuple[Estimate, ...]
    limit: Estimate | None
    method: str
    reason: str
    p_constant: float = math.nan
    p_extrapolation: float = math.nan

    def describe(self) -> str:
        """One line for a note: sizes, method, p-values."""
        sizes = ", ".join(map(str, self.sizes))
        if self.limit is None:
            named = self.reason.startswith(("no size", f"{len(self.sizes)} size(s)"))
            return self.reason if named else f"sizes {sizes}: {self.reason}"
        return (
            f"sizes {sizes}: {self.method} (p constant {self.p_constant:.2g}, "
            f"p a + b/N {self.p_extrapolation:.2g})"
        )


def size_convergence(
    sizes: Sequence[int], values: Sequence[Estimate], level: float = 0.95
) -> SizeConvergence:
    """Decide whether a positive quantity is converged in the system size.

    The data are size-independent if a constant passes its chi^2 test in
    ln(value) (standard deviations implied by the intervals; p >=
    :data:`SIZE_P_VALUE`; the largest size is then the value, with its own
    interval), else extrapolated if ``a + b/size`` fitted to the values passes
    the same test on at least :data:`MIN_EXTRAPOLATION_SIZES` sizes (the limit a
    with its fit interval), else not converged.

    Parameters
    ----------
    sizes : sequence of int
        System sizes (any order, distinct).
    values : sequence of Estimate
        Positive estimates with finite intervals.
    level : float
        Confidence level of an extrapolated limit.
    """
    order = np.argsort(np.asarray(sizes, dtype=float))
    size = np.asarray(sizes, dtype=float)[order]
    estimates = tuple(values[i] for i in order)
    sizes_out = tuple(int(s) for s in size)
    if len(set(sizes_out)) != len(sizes_out):
        raise ValueError(f"sizes must be distinct, got {sizes_out}")
    if len(sizes_out) < MIN_SIZES:
        return SizeConvergence(
            sizes_out,
            estimates,
            None,
            "",
            (
                f"{len(sizes_out)} size(s) {list(sizes_out)}: need >= {MIN_SIZES} to show "
                "convergence"
                if sizes_out
                else f"no size: need >= {MIN_SIZES} to show convergence"
            ),
        )
    if any(e.value <= 0 or e.low <= 0 or not math.isfinite(e.high) for e in estimates):
        return SizeConvergence(
            sizes_out, estimates, None, "", "an interval reaches 0 or infinity at some size"
        )
    y = np.log([e.value for e in estimates])
    s = np.array([max(e.log_sigma, 1e-300) for e in estimates])
    w = 1 / s**2
    mean = float(np.sum(w * y) / np.sum(w))
    p_constant = fit_p_value(float(np.sum(((y - mean) / s) ** 2)), y.size - 1)
    # The finite-size correction a + b/N is fitted to the values themselves.
    linear = np.array([e.value for e in estimates])
    linear_sigma = np.array([max(e.high - e.low, 1e-300) / (2 * e.z) for e in estimates])
    design = np.stack([np.ones_like(size), 1 / size], axis=1) / linear_sigma[:, None]
    coefficients, *_ = np.linalg.lstsq(design, linear / linear_sigma, rcond=None)
    chi2 = float(np.sum((design @ coefficients - linear / linear_sigma) ** 2))
    p_extrapolation = fit_p_value(chi2, y.size - 2)
    if p_constant >= SIZE_P_VALUE:
        return SizeConvergence(
            sizes_out,
            estimates,
            estimates[-1],
            "size-independent",
            "",
            p_constant,
            p_extrapolation,
        )
    if p_extrapolation >= SIZE_P_VALUE and len(sizes_out) >= MIN_EXTRAPOLATION_SIZES:
        covariance = np.linalg.inv(design.T @ design)
        limit = Estimate.from_stderr(
            float(coefficients[0]), float(math.sqrt(covariance[0, 0])), level
        )
        return SizeConvergence(
            sizes_out,
            estimates,
            limit,
            "extrapolated a + b/N",
            "",
            p_constant,
            p_extrapolation,
        )
    few = len(sizes_out) < MIN_EXTRAPOLATION_SIZES
    return SizeConvergence(
        sizes_out,
        estimates,
        None,
        "",
        f"drifts with size (p = {p_constant:.2g} for a constant"
        + (
            f"; an extrapolation needs >= {MIN_EXTRAPOLATION_SIZES} sizes): not converged"
            if few
            else f", {p_extrapolation:.2g} for a + b/N): not converged"
        ),
        p_constant,
        p_extrapolation,
    )


def mean_estimate(values: np.ndarray, level: float = 0.95) -> Estimate | None:
    """The realization mean of a heavy-tailed positive quantity with its honest interval.

    Peng's trimmed mean with a Hill tail correction, conservative in the tail
    index (:func:`compare.statistics.heavy_tail_mean`, coverage >= 95 % measured
    for tail index 1.2-5); None where :func:`mean_interval_reasons` refuses it.
    """
    values = np.asarray(values, dtype=float).ravel()
    if values.size < MIN_MEAN_SAMPLES or np.any(~(values > 0)):
        return None
    result = heavy_tail_mean(values, level)
    if not result.estimable:
        return None
    return Estimate(result.mean, result.low, result.high, level)


def mean_interval_reasons(values: np.ndarray, what: str) -> list[str]:
    """Why the mean of ``values`` has no honest interval ([] if it has one).

    ``values`` holds one positive number per realization (alpha(0), a window
    average of Re sigma); the rule is section 1b of docs/verdicts.md: at least
    :data:`MIN_MEAN_SAMPLES` realizations and a Hill tail index whose interval
    lies above 1 (a finite mean); the interval is then :func:`mean_estimate`'s.
    """
    values = np.asarray(values, dtype=float).ravel()
    if values.size < MIN_MEAN_SAMPLES:
        return [
            f"{what}: {values.size} realizations < {MIN_MEAN_SAMPLES}: no interval of the "
            "mean with verified coverage for a heavy-tailed quantity"
        ]
    if np.any(~(values > 0)):
        return [f"{what}: non-positive realizations, no tail estimate"]
    result = heavy_tail_mean(values)
    if not result.estimable:
        return [f"{what}: {result.reason} (mean not estimable; see the median and typical)"]
    return []


def kf_l(mapping: LatticeMapping) -> float:
    """k_F l = 2 E_F tau = 1/(pi lambda) of the continuum theory (lambda = 1/(2 pi E_F tau))."""
    return 1.0 / (math.pi * mapping.coupling)


def born_regime(mapping: LatticeMapping | None) -> list[str]:
    """Reasons why the Born mapping cannot carry a verdict ([] if l and k_F l are large)."""
    if mapping is None:
        return ["no Born mapping (W = 0, E_F outside the band, or a disorder kind without one)"]
    reasons = []
    if mapping.mean_free_path < MIN_MEAN_FREE_PATH:
        reasons.append(
            f"l = {mapping.mean_free_path:.3g} < {MIN_MEAN_FREE_PATH:g}: Born mapping only "
            "qualitative"
        )
    kfl = kf_l(mapping)
    if kfl < MIN_KF_L:
        reasons.append(f"k_F l = {kfl:.3g} < {MIN_KF_L:g}: not weak disorder")
    return reasons


def regime_parameters(mapping: LatticeMapping | None, **lattice: Any) -> dict[str, Any]:
    """Named parameters of a row (lattice ones first; l, tau, lambda of the mapping)."""
    out = dict(lattice)
    if mapping is not None:
        out.update(
            l=float(mapping.mean_free_path),
            tau=float(mapping.tau),
            **{"lambda": float(mapping.coupling), "k_F l": kf_l(mapping)},
        )
    return out


# --- the row ------------------------------------------------------------------------------------


def ratio_verdict(ratio: Estimate | None, expected: float = 1.0) -> str:
    """Classify a ratio numerics/reference against its ``expected`` value (rule 2)."""
    if ratio is None:
        return "no reference"
    expected = check_real("expected", expected, positive=True)
    if not ratio.high <= INCONCLUSIVE_SPREAD * ratio.low:
        return "inconclusive"
    if ratio.contains(expected):
        return "agrees"
    factor = ratio.value / expected
    if 1 / SAME_ORDER_FACTOR <= factor <= SAME_ORDER_FACTOR:
        return "same order"
    return "disagrees"


def shape_verdict(
    ratio: np.ndarray, error: np.ndarray, level: float = 0.95, expected: float = 1.0
) -> tuple[str, str]:
    """Verdict on a no-parameter curve whose shape the data reject (rule 2b).

    When data/curve is not constant across the window (a constant ratio rejected
    by its chi^2), the curve is rejected as a function of frequency and cannot
    "agree"; its magnitude still decides between "same order" and "disagrees".

    Parameters
    ----------
    ratio, error : array_like
        Data/curve at each frequency of the window and its standard error.
    level : float
        Two-sided level of the pointwise intervals (default 95 %).
    expected : float
        Expected ratio.

    Returns
    -------
    (verdict, reason)
        ``disagrees`` if every pointwise interval lies beyond :data:`SAME_ORDER_FACTOR`
        from ``expected`` on the same side, ``inconclusive`` if the range spans more than
        :data:`INCONCLUSIVE_SPREAD`, else ``same order``; never ``agrees``.
    """
    pointwise = [Estimate.from_stderr(r, e, level) for r, e in zip(ratio, error, strict=True)]
    low, high = min(e.low for e in pointwise), max(e.high for e in pointwise)
    spread = f"data/curve {low:.3g}-{high:.3g} across the window ({level:.0%} pointwise)"
    if not (low > 0 and high <= INCONCLUSIVE_SPREAD * low):
        return "inconclusive", f"shape rejected; {spread} spans more than a factor " + (
            f"{INCONCLUSIVE_SPREAD:g}"
        )
    if low > SAME_ORDER_FACTOR * expected or high < expected / SAME_ORDER_FACTOR:
        return "disagrees", (
            f"shape rejected and {spread}: more than a factor {SAME_ORDER_FACTOR:g} from "
            f"{expected:.3g} everywhere"
        )
    return "same order", f"shape rejected; {spread}, within a factor {SAME_ORDER_FACTOR:g}"


def _ratio(numerics: Estimate | None, other: Estimate | None) -> Estimate | None:
    if numerics is None or other is None or other.value <= 0 or numerics.value <= 0:
        return None
    return numerics.ratio(other)


@dataclass(frozen=True)
class VerdictRow:
    """One prediction of the seed tested against the numerics (made by :func:`judge`).

    Attributes
    ----------
    key : str
        Stable identifier, ``<claim kind>/<parameters>`` (``sigma_w2/dim1_...``).
    claim : str
        The seed's claim in words, with its equation number.
    quantity : str
        The measured quantity with units.
    regime : dict
        Named parameters of the row (d, W, E_F, sizes; l, tau, lambda of the mapping;
        the claim's window), in the units of ``docs/conventions.md``.
    numerics : Estimate or None
        The (converged) lattice value with its interval; None if there is none.
    references : dict
        ``theory``, ``exact``, ``printed`` -> Estimate (any subset).
    expected : float
        Expected ratio numerics/reference.
    judged_against : str or None
        The reference the verdict uses.
    ratio : Estimate or None
        numerics / judged reference.
    verdict : str
        One of :data:`VERDICTS`.
    reason : str
        Why this verdict (the failed rules for ``not tested``).
    note : str
        Fit windows, goodness of fit, size series, caveats.
    tags : tuple of str
        Short findings counted in the summary.
    """

    key: str
    claim: str
    quantity: str
    regime: dict[str, Any]
    numerics: Estimate | None
    references: dict[str, Estimate]
    expected: float
    judged_against: str | None
    ratio: Estimate | None
    verdict: str
    reason: str
    note: str = ""
    tags: tuple[str, ...] = field(default=())

    @property
    def kind(self) -> str:
        """The key's prefix (one kind of prediction)."""
        return self.key.split("/")[0]

    def ratio_to(self, reference: str) -> Estimate | None:
        """numerics / ``reference`` (None if either is absent or not positive)."""
        return _ratio(self.numerics, self.references.get(reference))

    @property
    def regime_text(self) -> str:
        """The regime parameters as ``name=value`` text."""

        def text(value: Any) -> str:
            if isinstance(value, float):
                return f"{value:.3g}"
            if isinstance(value, (list, tuple)):
                return "[" + ", ".join(text(v) for v in value) + "]"
            return str(value)

        return ", ".join(f"{k}={text(v)}" for k, v in self.regime.items())

    def summary_line(self) -> str:
        """One line: claim, verdict and the judged ratio or the reason."""
        if self.ratio is not None and self.verdict not in ("not tested",):
            expected = "" if self.expected == 1 else f", expected {self.expected:.3g}"
            detail = f"numerics/{self.judged_against} = {self.ratio}{expected}"
        else:
            detail = self.reason
        return f"{self.claim} [{self.regime_text}]: {self.verdict} ({detail})"

    def as_dict(self) -> dict[str, Any]:
        """Plain-JSON form (infinite bounds as null)."""
        ratios = {}
        for name in REFERENCES:
            ratio = self.ratio_to(name)
            if ratio is not None:
                ratios[name] = _finite(ratio.as_dict())
        return {
            "key": self.key,
            "claim": self.claim,
            "quantity": self.quantity,
            "regime": {k: _plain(v) for k, v in self.regime.items()},
            "numerics": None if self.numerics is None else _finite(self.numerics.as_dict()),
            "references": {k: _finite(v.as_dict()) for k, v in self.references.items()},
            "ratios": ratios,
            "expected": self.expected,
            "verdict": self.verdict,
            "judged_against": self.judged_against,
            "reason": self.reason,
            "note": self.note,
            "tags": list(self.tags),
        }


def _plain(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    return value


def _finite(data: dict[str, Any]) -> dict[str, Any]:
    return {k: _plain(v) for k, v in data.items()}


def judge(
    key: str,
    claim: str,
    quantity: str,
    regime: Mapping[str, Any],
    numerics: Estimate | None,
    references: Mapping[str, Estimate] | None = None,
    *,
    expected: float = 1.0,
    untested: Sequence[str] = (),
    qualitative: tuple[str, str] | None = None,
    note: str = "",
    tags: Sequence[str] = (),
) -> VerdictRow:
    """Apply the verdict rules and return the row (the only way rows are made).

    Parameters
    ----------
    key, claim, quantity, regime, note, tags
        As in :class:`VerdictRow`.
    numerics : Estimate or None
        The converged numerical value (None: nothing converged to show).
    references : mapping
        ``theory``/``exact``/``printed`` -> Estimate.
    expected : float
        Expected ratio numerics/reference.
    untested : sequence of str
        Reasons the row cannot be judged (convergence, regime, fit); any -> ``not tested``.
    qualitative : (verdict, reason), optional
        For a claim without a numeric ratio (a phase, a trend): its verdict
        among ``agrees``/``disagrees``/``inconclusive`` and why; still behind ``untested``.
    """
    references = dict(references or {})
    unknown = set(references) - set(REFERENCES)
    if unknown:
        raise ValueError(f"references must be among {REFERENCES}, got {sorted(unknown)}")
    judged = next((n for n in REFERENCES if _ratio(numerics, references.get(n))), None)
    ratio = _ratio(numerics, references.get(judged)) if judged else None
    reasons = [r for r in untested if r]
    if numerics is None and not reasons and qualitative is None:
        reasons = ["no converged numerical value"]
    if reasons:
        verdict, reason = "not tested", "; ".join(reasons)
    elif qualitative is not None:
        verdict, reason = qualitative
        if verdict not in VERDICTS:
            raise ValueError(f"qualitative verdict must be among {VERDICTS}, got {verdict!r}")
    else:
        verdict = ratio_verdict(ratio, expected)
        reason = {
            "no reference": "nothing to compare with",
            "inconclusive": f"interval of numerics/{judged} spans more than a factor "
            f"{INCONCLUSIVE_SPREAD:g}",
            "agrees": f"{expected:.3g} inside the interval of numerics/{judged}",
            "same order": f"within a factor {SAME_ORDER_FACTOR:g} of {expected:.3g}, outside "
            "the interval",
            "disagrees": f"more than a factor {SAME_ORDER_FACTOR:g} from {expected:.3g}",
        }[verdict]
    return VerdictRow(
        key=key,
        claim=claim,
        quantity=quantity,
        regime=dict(regime),
        numerics=numerics,
        references=references,
        expected=float(expected),
        judged_against=judged,
        ratio=ratio,
        verdict=verdict,
        reason=reason,
        note=note,
        tags=tuple(tags),
    )


# --- the summary --------------------------------------------------------------------------------


def _counts(rows: Sequence[VerdictRow]) -> str:
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.verdict] = counts.get(row.verdict, 0) + 1
    return ", ".join(f"{n} {verdict}" for verdict, n in counts.items())


def verdict_summary(
    rows: Sequence[VerdictRow], categories: Mapping[str, Sequence[str]], lines: int = 5
) -> list[str]:
    """At most ``lines`` lines: the verdict counts, then one line per claim category.

    Parameters
    ----------
    rows : sequence of VerdictRow
    categories : mapping
        Category label -> the row kinds (key prefixes) it holds, in order.
    lines : int
        Most lines returned.
    """
    if not rows:
        return ["no prediction could be tested with these archives"]
    out = [f"{len(rows)} predictions: {_counts(rows)}"]
    for label, kinds in categories.items():
        group = [row for row in rows if row.kind in kinds]
        if not group:
            continue
        judged = [row for row in group if row.ratio is not None and row.verdict != "not tested"]
        ratios = ", ".join(
            f"{row.kind} {row.ratio.value:.3g} vs {row.judged_against}" for row in judged[:3]
        )
        untested = [row for row in group if row.verdict == "not tested"]
        why = ""
        if untested:
            common = max(  # ties: the first in row order (a set's order varies by run)
                dict.fromkeys(r.reason.split(";")[0] for r in untested),
                key=lambda text: sum(r.reason.startswith(text) for r in untested),
            )
            why = f"; not tested e.g.: {common}"
        out.append(f"{label}: {_counts(group)}" + (f" ({ratios})" if ratios else "") + why)
    return out[:lines]
