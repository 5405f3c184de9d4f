r"""Each numerical quantity beside the theory, the seed's printed formula and exact results.

A :class:`Prediction` row holds one quantity measured on the lattice (an
:class:`~compare.estimate.Estimate` with its confidence interval) and up to
three references, each an exact number or an Estimate:

- ``theory``: the numerical solution of Eq. (42) through the lattice mapping
  (``theory.mapping``), the prediction proper;
- ``printed``: the seed's printed asymptotic formula (Eqs. 43, 44 and the 1D
  statements after them), which ``docs/theory.md`` shows to differ from Eq.
  (42) in several constants;
- ``exact``: the exact result where one exists (1D: Thouless, Berezinskii,
  Abrikosov-Ryzhkin).

The ratio numerics / reference carries the interval of both (log-space
propagation, :meth:`Estimate.ratio`). The verdict compares the ratio to the
expected value (1, unless the prediction is a relation such as r0/xi with a
theory-fixed constant):

- ``agrees``: the expected value lies inside the ratio's interval;
- ``same order``: outside the interval but within a factor
  :data:`SAME_ORDER_FACTOR` of it (a weak-coupling theory with O(lambda)
  corrections applied at finite lambda);
- ``disagrees``: further off;
- ``no reference``: nothing to compare with.

The verdict judges the *theory* reference when there is one, otherwise the
exact one, otherwise the printed one; the table shows all three ratios.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from theory.asymptotics import (
    seed_localization_length,
    seed_sigma_w2_coefficient,
    seed_static_polarizability,
)
from theory.critical import critical_disorder
from theory.exact1d import (
    berezinskii_static_polarizability,
    kappus_wegner_localization_length,
    thouless_localization_length,
)
from theory.regime import MIN_MEAN_FREE_PATH

from ._checks import check_real
from .analysis import Analysis, ConductivityAnalysis, PointAnalysis
from .estimate import Estimate
from .fits import fit_law
from .lengths import crossings

__all__ = [
    "FINITE_SIZE_FACTOR",
    "REFERENCES",
    "INCONCLUSIVE_SPREAD",
    "SAME_ORDER_FACTOR",
    "VERDICTS",
    "Prediction",
    "collect_predictions",
    "verdict",
]

#: Reference kinds, in the order the verdict prefers them.
REFERENCES = ("theory", "exact", "printed")
#: Verdict labels.
VERDICTS = ("agrees", "same order", "disagrees", "inconclusive", "no reference")
#: A ratio within this factor of the expected value (but outside its interval) is
#: "same order": the theory is a weak-coupling resummation whose constants are not
#: exact at the lambda of a lattice simulation (seed Sec. IV).
SAME_ORDER_FACTOR = 2.0
#: An interval of numerics/reference wider than this factor (high/low) judges
#: nothing: "inconclusive" rather than "agrees" merely because it is wide. The
#: heavy-tailed 1D alpha(0) gives such intervals (e.g. [19, 8e14] for r0 at W = 2).
INCONCLUSIVE_SPREAD = 10.0
#: A lattice shorter than this many theory lengths r0 along an axis is flagged in the
#: regime column: the localized response (r0, alpha(0) ~ r0^2) is cut off by the size.
FINITE_SIZE_FACTOR = 4.0


def verdict(ratio: Estimate | None, expected: float = 1.0) -> str:
    """Classify a ratio numerics/reference against its ``expected`` value."""
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


@dataclass(frozen=True)
class Prediction:
    """One prediction of the seed tested against exact numerics.

    Attributes
    ----------
    key : str
        Short identifier (``sigma_w2_1d``), stable across runs.
    claim : str
        The seed's claim in words, with its equation number.
    quantity : str
        The measured quantity with units.
    regime : str
        Parameters and regime covered (dimension, W, E_F, lambda, sizes).
    numerics : Estimate
        The lattice value with its interval.
    references : dict
        ``"theory"``, ``"exact"``, ``"printed"`` -> Estimate (any subset).
    expected : float
        Expected ratio numerics/reference (1 unless stated).
    note : str
        What else the reader must know (fit window, model selection, caveats).
    tags : tuple of str
        Short qualitative findings counted in the summary (``"best law: mott"``).
    """

    key: str
    claim: str
    quantity: str
    regime: str
    numerics: Estimate
    references: dict[str, Estimate] = field(default_factory=dict)
    expected: float = 1.0
    note: str = ""
    tags: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        unknown = set(self.references) - set(REFERENCES)
        if unknown:
            raise ValueError(f"references must be among {REFERENCES}, got {sorted(unknown)}")

    def ratio(self, reference: str) -> Estimate | None:
        """numerics / reference, or None if that reference is absent or not positive."""
        other = self.references.get(reference)
        if other is None or other.value <= 0 or self.numerics.value <= 0:
            return None
        return self.numerics.ratio(other)

    @property
    def judged_against(self) -> str | None:
        """The reference the verdict uses (theory, else exact, else printed)."""
        return next((name for name in REFERENCES if self.ratio(name) is not None), None)

    @property
    def verdict(self) -> str:
        """``agrees``, ``same order``, ``disagrees`` or ``no reference``."""
        reference = self.judged_against
        return verdict(None if reference is None else self.ratio(reference), self.expected)

    def summary_line(self) -> str:
        """One line: claim, verdict and the judged ratio."""
        reference = self.judged_against
        where = self.regime.split(";")[0]
        if reference is None:
            return f"{self.claim} [{where}]: no reference ({self.numerics})"
        ratio = self.ratio(reference)
        expected = "" if self.expected == 1 else f", expected {self.expected:.3g}"
        return f"{self.claim} [{where}]: {self.verdict} (numerics/{reference} = {ratio}{expected})"

    def as_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        ratios = {}
        for name in REFERENCES:
            ratio = self.ratio(name)
            if ratio is not None:
                ratios[name] = _finite(ratio.as_dict())
        return {
            "key": self.key,
            "claim": self.claim,
            "quantity": self.quantity,
            "regime": self.regime,
            "numerics": _finite(self.numerics.as_dict()),
            "references": {k: _finite(v.as_dict()) for k, v in self.references.items()},
            "ratios": ratios,
            "expected": self.expected,
            "verdict": self.verdict,
            "judged_against": self.judged_against,
            "note": self.note,
            "tags": list(self.tags),
        }


def _finite(data: dict[str, Any]) -> dict[str, Any]:
    """Replace infinite bounds by None (strict JSON)."""
    return {
        k: (None if isinstance(v, float) and not math.isfinite(v) else v) for k, v in data.items()
    }


# --- assembling the rows from an analysis -------------------------------------------------


def _fit_theory_curve(conductivity: ConductivityAnalysis, law: str = "omega2") -> float | None:
    """Coefficient of ``law`` fitted to the Eq. (42) curve on the numerics' window and weights."""
    if conductivity.theory is None or conductivity.window is None:
        return None
    fit = fit_law(
        conductivity.omega, conductivity.theory, conductivity.stderr, conductivity.window, law
    )
    return fit.coefficient


def _regime(point: PointAnalysis) -> str:
    mapping = point.mapping
    size = "x".join(map(str, point.shape))
    text = f"d={point.dim}, W={point.disorder:g}, E_F={point.fermi_energy:g}, L={size}"
    if mapping is not None:
        text += (
            f"; l={mapping.mean_free_path:.3g}, tau={mapping.tau:.3g}, "
            f"lambda={mapping.coupling:.3g}"
        )
        if mapping.mean_free_path < MIN_MEAN_FREE_PATH:
            text += f"; l < {MIN_MEAN_FREE_PATH:g}: Born mapping only qualitative"
    theory = point.theory
    if (
        theory is not None
        and theory.localized
        and min(point.shape) < FINITE_SIZE_FACTOR * (theory.localization_length)
    ):
        text += f"; L < {FINITE_SIZE_FACTOR:g} r0: finite size matters"
    return text


def _printed(function: Any, params: Any) -> dict[str, Estimate]:
    """The seed's printed formula as a reference, where it exists (d = 1, 2)."""
    try:
        value = function(params)
    except ValueError:
        return {}
    return {"printed": Estimate.exact(value)} if math.isfinite(value) and value > 0 else {}


def _sigma_rows(point: PointAnalysis) -> list[Prediction]:
    conductivity = point.conductivity
    if conductivity is None or "omega2" not in conductivity.fits or point.theory is None:
        return []
    fit = conductivity.fits["omega2"]
    references = _printed(seed_sigma_w2_coefficient, point.mapping.parameters)
    theory_window = _fit_theory_curve(conductivity)
    if theory_window is not None and theory_window > 0:
        references["theory"] = Estimate.exact(theory_window)
    spread = [row["A"] for row in conductivity.sensitivity]
    note = (
        f"window {fit.window[0]:.3g} <= w <= {fit.window[1]:.3g} ({fit.n_points} frequencies, "
        f"reduced chi^2 {fit.reduced_chi2:.2f}); A over {len(spread)} windows: "
        f"{min(spread):.3g} ... {max(spread):.3g}; theory = the same fit applied to the "
        f"Eq. (42) curve (its w -> 0 coefficient is {point.theory.sigma_w2_coefficient:.3g})"
    )
    tags: tuple[str, ...] = ()
    if conductivity.selection is not None:
        selection = conductivity.selection
        others = ", ".join(f"{k} {v:.1f}" for k, v in selection.delta_aic.items() if v > 0)
        note += f"; laws by AIC: best {selection.best} (delta AIC: {others})"
        tags = (f"d={point.dim} best law by AIC: {selection.best}",)
    return [
        Prediction(
            key=f"sigma_w2/{point.point_id}",
            claim=f"Re sigma = A w^2 at low w, d={point.dim} (Eqs. 36, 44)",
            quantity="A (e^2 hbar/t^2 per site)",
            regime=_regime(point),
            numerics=Estimate(fit.coefficient, *fit.interval, fit.level),
            references=references,
            note=note,
            tags=tags,
        )
    ]


def _alpha_rows(point: PointAnalysis) -> list[Prediction]:
    polarizability = point.polarizability
    if polarizability is None or point.theory is None or not point.theory.localized:
        return []
    summary = polarizability.summary
    params = point.mapping.parameters
    references = {"theory": Estimate.exact(point.theory.static_polarizability)}
    references.update(_printed(seed_static_polarizability, params))
    if point.dim == 1:
        references["exact"] = Estimate.exact(
            berezinskii_static_polarizability(params.tau, params.fermi_velocity)
        )
    return [
        Prediction(
            key=f"alpha0/{point.point_id}",
            claim=f"finite static polarizability alpha(0) = (n/m)/w0^2, d={point.dim} (Sec. IV)",
            quantity="mean alpha(0) (e^2 a^2/t per site)",
            regime=_regime(point),
            numerics=Estimate(summary.mean, *summary.mean_ci, summary.level),
            references=references,
            note=(
                f"{summary.n} realizations; median {summary.median:.3g}, typical "
                f"{summary.typical:.3g}, mean/typical {summary.mean_over_typical:.2f} "
                "(a heavy tail if >> 1: the mean and its interval are then carried by a few "
                f"resonant samples); typical/theory = "
                f"{summary.typical / point.theory.static_polarizability:.3g}"
            ),
        )
    ]


def _r0_rows(point: PointAnalysis) -> list[Prediction]:
    if point.theory is None or not point.theory.localized:
        return []
    params = point.mapping.parameters
    references = {"theory": Estimate.exact(point.theory.localization_length)}
    references.update(_printed(seed_localization_length, params))
    rows = []
    response = point.static_response
    if response is not None and response.fit is not None:
        fit = response.fit
        rows.append(
            Prediction(
                key=f"r0_chi/{point.point_id}",
                claim=f"Lorentzian chi(q,0) with length r0, d={point.dim} (Eq. 37)",
                quantity="r0 from the Eq. (37) fit (a)",
                regime=_regime(point),
                numerics=fit.r0,
                references=references,
                note=(
                    f"q <= {fit.q_max:.3g} ({fit.n_points} wavevectors), chi^T fitted "
                    f"{fit.chi_t} vs rho(E_F) = {response.chi_t:.4g}; reduced chi^2 "
                    f"{fit.reduced_chi2:.2f}"
                ),
            )
        )
    if point.polarizability is not None:
        rows.append(
            Prediction(
                key=f"r0_alpha/{point.point_id}",
                claim=f"r0^2 = alpha(0)/chi^T, d={point.dim} (Eqs. 29, 35, 37)",
                quantity="r0 = sqrt(mean alpha(0)/rho) (a)",
                regime=_regime(point),
                numerics=point.polarizability.r0["mean"],
                references=references,
                note=f"from the typical alpha(0): r0 = {point.polarizability.r0['typical']}",
            )
        )
    return rows


def _xi_rows(analysis: Analysis) -> list[Prediction]:
    rows = []
    for entry in analysis.lengths:
        if entry.dim != 1 or entry.flux != 0 or entry.disorder <= 0 or abs(entry.energy) >= 2:
            continue
        if entry.energy == 0:
            exact, name = kappus_wegner_localization_length(entry.disorder), "Kappus-Wegner"
        else:
            exact, name = thouless_localization_length(entry.energy, entry.disorder), "Thouless"
        rows.append(
            Prediction(
                key=f"xi_1d/W{entry.disorder:g}_E{entry.energy:g}",
                claim="1D transfer-matrix xi against the exact weak-disorder result",
                quantity="xi (a)",
                regime=f"d=1, W={entry.disorder:g}, E={entry.energy:g}",
                numerics=entry.xi,
                references={"exact": Estimate.exact(exact)},
                note=f"exact = {name}; not a prediction of the seed, a check of the numerics",
            )
        )
    return rows


def _relation_rows(analysis: Analysis) -> list[Prediction]:
    """r0/xi in 1D: Eq. (42) gives r0 = 2 l and Thouless xi = 4 l, so r0/xi = 1/2."""
    rows = []
    for point in analysis.points_with("static_response", dim=1):
        fit = point.static_response.fit
        if fit is None or point.theory is None or not point.theory.localized:
            continue
        for entry in analysis.lengths:
            same = (entry.dim, entry.disorder, entry.energy, entry.flux) == (
                1,
                point.disorder,
                point.fermi_energy,
                point.flux,
            )
            if not same or entry.energy == 0:
                continue
            xi_thouless = thouless_localization_length(entry.energy, entry.disorder)
            params = point.mapping.parameters
            r0_exact = math.sqrt(
                berezinskii_static_polarizability(params.tau, params.fermi_velocity)
                / params.density_of_states
            )
            rows.append(
                Prediction(
                    key=f"r0_over_xi/{point.point_id}",
                    claim="relation of the two lengths: r0/xi (theory 1/2, exact sqrt(zeta(3))/2)",
                    quantity="r0 (Eq. 37 fit) / xi (transfer matrix)",
                    regime=_regime(point),
                    numerics=fit.r0.ratio(entry.xi),
                    references={
                        "theory": Estimate.exact(point.theory.localization_length / xi_thouless),
                        "exact": Estimate.exact(r0_exact / xi_thouless),
                    },
                    note="r0 is a dipole length of the averaged response, xi the decay of a "
                    "typical amplitude (compare/lengths.py); they need not be equal",
                )
            )
    return rows


def _line(x: np.ndarray, y: np.ndarray, s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Weighted straight line y = a + b x: (a, b) and their standard errors."""
    design = np.stack([np.ones_like(x), x], axis=1) / s[:, None]
    covariance = np.linalg.inv(design.T @ design)
    coefficients = covariance @ design.T @ (y / s)
    return coefficients, np.sqrt(np.diag(covariance))


def _ln_xi_rows(analysis: Analysis) -> list[Prediction]:
    """2D: slope of ln xi_M against 1/lambda at the widest strip, numerics vs Eq. (42)."""
    entries = [e for e in analysis.lengths if e.dim == 2 and e.flux == 0 and e.theory is not None]
    if not entries:
        return []
    widest = max(e.width for e in entries)
    entries = [e for e in entries if e.width == widest and e.theory.localized]
    if len({e.disorder for e in entries}) < 3:
        return []
    x = np.array([1.0 / e.mapping.coupling for e in entries])
    y = np.array([math.log(e.xi.value) for e in entries])
    s = np.array([max(e.xi.log_sigma, 1e-12) for e in entries])
    (intercept, slope), (intercept_error, error) = _line(x, y, s)
    r0 = np.array([math.log(e.theory.localization_length) for e in entries])
    (theory_intercept, theory_slope), _ = _line(x, r0, np.ones_like(x))
    if slope <= 0 or theory_slope <= 0:
        return []
    return [
        Prediction(
            key=f"ln_xi_2d/M{widest}",
            claim="2D: ln(localization length) linear in 1/lambda (r0 ~ exp(1/(2 lambda)))",
            quantity=f"slope d ln xi_M / d(1/lambda), strip width M={widest}",
            regime=f"d=2, W={min(e.disorder for e in entries):g}..."
            f"{max(e.disorder for e in entries):g}, {len(entries)} points",
            numerics=Estimate.from_stderr(slope, error),
            references={"theory": Estimate.exact(theory_slope), "printed": Estimate.exact(0.5)},
            note="xi_M of a finite strip, not the 2D xi; theory slope from ln r0 of Eq. (42) "
            "at the same points (the seed's 1/2 holds for lambda -> 0); intercepts: numerics "
            f"{intercept:.3g} +- {intercept_error:.2g}, Eq. (42) {theory_intercept:.3g}",
        )
    ]


def _critical_rows(analysis: Analysis) -> list[Prediction]:
    """3D: crossing of Lambda_M(W) of the two widest bars against the Eq. (42) mobility edge."""
    bars = [e for e in analysis.lengths if e.dim == 3 and e.flux == 0]
    rows = []
    for energy in sorted({e.energy for e in bars}):
        found = crossings([(e.width, e.disorder, e.Lambda) for e in bars if e.energy == energy])
        if not found:
            continue
        values = np.array([w for _, _, w in found])
        widest = values[-1]
        spread = float(np.ptp(values)) if values.size > 1 else 0.0
        try:
            references = {"theory": Estimate.exact(critical_disorder(energy))}
        except ValueError:  # energy outside the clean band: no Born mapping
            references = {}
        rows.append(
            Prediction(
                key=f"critical_3d/E{energy:g}",
                claim="3D: a mobility edge at finite disorder (Eq. 42 through the mapping)",
                quantity="W_c from the crossing of Lambda_M(W) of the widest bars (t)",
                regime=f"d=3, E={energy:g}, widths {sorted({e.width for e in bars})}",
                numerics=Estimate(widest, widest - spread, widest + spread),
                references=references,
                note="interval = spread of the crossings of successive width pairs (finite-size "
                "drift), not a statistical error; Eq. (42) is a weak-coupling theory applied "
                "at W ~ bandwidth",
            )
        )
    return rows


def collect_predictions(analysis: Analysis) -> list[Prediction]:
    """Every prediction row that the analysed archives can test, in report order."""
    rows: list[Prediction] = []
    for point in analysis.points:
        rows += _sigma_rows(point)
    for point in analysis.points:
        rows += _alpha_rows(point) + _r0_rows(point)
    rows += _xi_rows(analysis) + _relation_rows(analysis) + _ln_xi_rows(analysis)
    return rows + _critical_rows(analysis)
