r"""Localization lengths by three numerical routes, and how they relate.

The routes
----------
1. **Transfer matrices**: xi, the inverse smallest positive Lyapunov exponent
   of the transfer-matrix product, i.e. the decay length of the *typical
   amplitude*, :math:`|\psi(r)| \sim e^{-r/\xi}` (DESIGN.md section 2). It is
   computed in :mod:`lattice` and enters here as a number with an error.
2. **Static density response**: the seed's Eq. (37),

   .. math:: \chi(q, 0) = \chi^T \frac{r_0^2 q^2}{1 + r_0^2 q^2},

   fitted to the disorder-averaged lattice :math:`\chi(q,0)` at small q
   (:func:`fit_static_response`), with :math:`\chi^T` free or fixed.
3. **Static polarizability**: the small-q limit of Eq. (37) is
   :math:`\chi(q,0) \simeq \alpha(0) q^2` (with e = 1), so
   :math:`r_0^2 = \alpha(0)/\chi^T` (:func:`r0_from_polarizability`).

The relation between r0 and xi (stated, not assumed)
-----------------------------------------------------
Routes 2 and 3 measure the *same* length in the theory: Eq. (37) is a
Lorentzian in q whose q^2 coefficient is alpha(0), so their ratio tests only
whether the averaged chi(q, 0) has the Lorentzian shape. Route 1 is a
different quantity. r0 is a *dipole* length: alpha(0) is dominated by pairs of
states at distance ~ r0 hybridized by the field, and it is an arithmetic
disorder average of a broadly distributed quantity, whereas xi is the decay
rate of a typical eigenfunction's tail. Nothing makes them equal; their ratio
is a number fixed by the theory that produces both. In 1D at weak disorder
both are proportional to the mean free path l = v_F tau: xi = 4 l for the
Anderson chain away from the band centre (Thouless 1979; the backscattering
length is 2 l and xi is twice it for the amplitude), while Eq. (42) gives
r0 = c_1 l with the constant c_1 computed by ``theory``. The comparison layer
therefore reports r0 / xi measured against the theory's c_1 / 4 rather than
against 1. In 2D both are exponential in 1/lambda, and only the exponents
(the slopes of ln xi and ln r0 against 1/lambda) can be compared without a
model for the prefactors.

Units: lengths in lattice spacings a; q in 1/a; chi in states per site per t;
alpha(0) in e^2 a^2 / t per site.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats
from scipy.linalg import solve_triangular
from scipy.optimize import least_squares

from ._checks import as_series, check_level, check_real, realization_matrix
from .bootstrap import DEFAULT_RESAMPLES, percentile_interval, resample_indices
from .estimate import Estimate
from .statistics import robust_summary

__all__ = [
    "COVARIANCE_REALIZATIONS_PER_POINT",
    "LorentzianFit",
    "fit_lorentzian",
    "fit_static_response",
    "lorentzian",
    "r0_from_polarizability",
]

#: Fewest wavevectors for the two-parameter Lorentzian fit.
MIN_WAVEVECTORS = 3
#: The realization-covariance test of the fit needs this many realizations per fitted
#: wavevector (the sample covariance of n means is then well determined; below it the
#: test is not made and the diagonal chi^2 is the only one).
COVARIANCE_REALIZATIONS_PER_POINT = 10


def lorentzian(q: Any, chi_t: float, r0: float) -> np.ndarray:
    """Eq. (37): chi(q, 0) = chi_t r0^2 q^2 / (1 + r0^2 q^2)."""
    x = (r0 * np.asarray(q, dtype=float)) ** 2
    return chi_t * x / (1.0 + x)


@dataclass(frozen=True)
class LorentzianFit:
    """Eq. (37) fitted to a static density response.

    Attributes
    ----------
    r0 : Estimate
        Localization length (a).
    chi_t : Estimate
        Thermodynamic compressibility chi^T (states per site per t); exact when fixed.
    q_max : float
        Largest wavevector used (1/a).
    n_points : int
        Wavevectors used.
    chi2 : float
        Weighted residual sum of squares (diagonal weights).
    chi_t_fixed : bool
        Whether chi^T was held fixed.
    covariance_chi2 : float
        Generalized least-squares minimum of Eq. (37) against the mean with the
        realizations' full covariance of the means (Hotelling's T^2; NaN if not made).
    covariance_p : float
        Its p-value, F(m, R - m) with m = n_points - parameters (NaN if not made).
    """

    r0: Estimate
    chi_t: Estimate
    q_max: float
    n_points: int
    chi2: float
    chi_t_fixed: bool
    covariance_chi2: float = math.nan
    covariance_p: float = math.nan

    @property
    def reduced_chi2(self) -> float:
        """chi^2 per degree of freedom."""
        dof = self.n_points - (1 if self.chi_t_fixed else 2)
        return self.chi2 / dof if dof > 0 else math.nan

    def predict(self, q: Any) -> np.ndarray:
        """The fitted Lorentzian at ``q``."""
        return lorentzian(q, self.chi_t.value, self.r0.value)

    def as_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {
            "r0": self.r0.as_dict(),
            "chi_t": self.chi_t.as_dict(),
            "q_max": self.q_max,
            "n_points": self.n_points,
            "chi2": self.chi2,
            "reduced_chi2": self.reduced_chi2,
            "chi_t_fixed": self.chi_t_fixed,
            "covariance_chi2": self.covariance_chi2,
            "covariance_p": self.covariance_p,
        }


def _solve(
    q: np.ndarray,
    y: np.ndarray,
    s: np.ndarray,
    chi_t: float | None,
    start: np.ndarray | None = None,
) -> np.ndarray:
    """Best (chi_t, r0) by weighted nonlinear least squares in (ln chi_t, ln r0).

    Levenberg-Marquardt with the analytic Jacobian: with x = (r0 q)^2,
    d chi / d ln chi_t = chi and d chi / d ln r0 = chi_t 2x/(1 + x)^2. ``start``
    (chi_t, r0) defaults to (max chi, 1/median q).
    """
    if start is None:
        start = np.array([max(float(y.max()), 1e-300), 1.0 / float(np.median(q))])

    def model(p: np.ndarray) -> tuple[np.ndarray, float, np.ndarray]:
        amplitude = chi_t if chi_t is not None else math.exp(p[0])
        x = (math.exp(p[-1]) * q) ** 2
        return x, amplitude, amplitude * x / (1.0 + x)

    def residual(p: np.ndarray) -> np.ndarray:
        return (model(p)[2] - y) / s

    def jacobian(p: np.ndarray) -> np.ndarray:
        x, amplitude, value = model(p)
        d_r0 = amplitude * 2.0 * x / (1.0 + x) ** 2 / s
        columns = [d_r0] if chi_t is not None else [value / s, d_r0]
        return np.stack(columns, axis=1)

    initial = np.log(start[1:] if chi_t is not None else start)
    result = least_squares(residual, initial, jac=jacobian, method="lm", x_scale="jac")
    params = np.exp(result.x)
    return np.array([chi_t, params[0]]) if chi_t is not None else params


def _covariance_test(
    q: np.ndarray, data: np.ndarray, start: np.ndarray, chi_t: float | None
) -> tuple[float, float]:
    """Eq. (37) against the mean of per-realization chi(q, 0) with their full covariance.

    The wavevectors of one realization share its eigenpairs, so its chi(q, 0) are
    strongly correlated (r = 0.87-0.93 between neighbours in the 1D study), and the
    diagonal chi^2 of the weighted fit is not chi^2-distributed. Here the residual of
    the mean is whitened with the Cholesky factor of the sample covariance of the
    means and minimized over the parameters (generalized least squares from
    ``start``); its minimum T^2 gives (R - m) T^2 / (m (R - 1)) ~ F(m, R - m), m the
    wavevectors less the parameters (Hotelling, exact for a linear model and normal
    data; the heavy tail of chi at small q is checked separately by the claim).
    Returns (T^2, p), or NaNs below :data:`COVARIANCE_REALIZATIONS_PER_POINT`
    realizations per wavevector.
    """
    count, points = data.shape
    free = 2 if chi_t is None else 1
    m = points - free
    if m < 1 or count < COVARIANCE_REALIZATIONS_PER_POINT * points:
        return math.nan, math.nan
    mean = data.mean(axis=0)
    try:
        factor = np.linalg.cholesky(np.cov(data, rowvar=False) / count)
    except np.linalg.LinAlgError:
        return math.nan, math.nan

    def whitened(p: np.ndarray) -> np.ndarray:
        amplitude = chi_t if chi_t is not None else math.exp(p[0])
        model = lorentzian(q, amplitude, math.exp(p[-1]))
        return solve_triangular(factor, model - mean, lower=True)

    initial = np.log(start[1:] if chi_t is not None else start)
    best = least_squares(whitened, initial, x_scale="jac")
    statistic = float(np.sum(best.fun**2))
    scaled = (count - m) / (m * (count - 1)) * statistic
    return statistic, float(stats.f.sf(scaled, m, count - m))


def fit_lorentzian(
    q: Any,
    chi: Any,
    stderr: Any,
    q_max: float | None = None,
    chi_t: float | None = None,
    level: float = 0.95,
) -> LorentzianFit:
    """Weighted fit of Eq. (37) to chi(q, 0) with errors from the Jacobian.

    Parameters
    ----------
    q : array_like
        Wavevectors > 0 (1/a); q = 0 carries no information (chi(0,0) = 0 by
        particle conservation) and is dropped.
    chi, stderr : array_like
        Disorder-averaged static chi(q, 0) and its standard error.
    q_max : float, optional
        Use only q <= q_max (Eq. 37 is a small-q law; q_max ~ 1/l is natural).
    chi_t : float, optional
        Fix chi^T (e.g. the DOS per site at E_F) instead of fitting it.
    level : float
        Confidence level of the Gaussian intervals.
    """
    qs, ys, ss = as_series("q", q, chi, stderr)
    level = check_level(level)
    mask = qs > 0
    if q_max is not None:
        mask &= qs <= check_real("q_max", q_max, positive=True)
    if mask.sum() < MIN_WAVEVECTORS:
        raise ValueError(
            f"need >= {MIN_WAVEVECTORS} wavevectors with 0 < q <= q_max, got {int(mask.sum())}"
        )
    if chi_t is not None:
        chi_t = check_real("chi_t", chi_t, positive=True)
    qs, ys, ss = qs[mask], ys[mask], ss[mask]
    chi_t_best, r0 = _solve(qs, ys, ss, chi_t)
    x = (r0 * qs) ** 2
    d_r0 = chi_t_best * 2 * x / r0 / (1 + x) ** 2 / ss
    columns = [d_r0] if chi_t is not None else [x / (1 + x) / ss, d_r0]
    jacobian = np.stack(columns, axis=1)
    covariance = np.linalg.pinv(jacobian.T @ jacobian)
    errors = np.sqrt(np.diag(covariance))
    chi2 = float(np.sum(((lorentzian(qs, chi_t_best, r0) - ys) / ss) ** 2))
    chi_t_estimate = (
        Estimate.exact(chi_t)
        if chi_t is not None
        else Estimate.from_stderr(chi_t_best, errors[0], level)
    )
    return LorentzianFit(
        r0=Estimate.from_stderr(r0, errors[-1], level),
        chi_t=chi_t_estimate,
        q_max=float(qs.max()),
        n_points=int(mask.sum()),
        chi2=chi2,
        chi_t_fixed=chi_t is not None,
    )


def fit_static_response(
    q: Any,
    values: Any,
    q_max: float | None = None,
    chi_t: float | None = None,
    level: float = 0.95,
    n_resamples: int = DEFAULT_RESAMPLES // 4,
    *,
    rng: Any = None,
) -> LorentzianFit:
    """Fit Eq. (37) to per-realization chi(q, 0) with bootstrap intervals over realizations.

    Parameters
    ----------
    q : array_like
        Wavevectors (1/a), shape ``(n_q,)``.
    values : array_like
        Real static chi(q, 0) per realization, shape ``(n_realizations, n_q)``.
    q_max, chi_t, level
        As in :func:`fit_lorentzian`.
    n_resamples : int
        Bootstrap resamples (each a nonlinear fit, hence fewer than for linear fits).
    rng : None, int, SeedSequence or Generator
        Seed or generator of the resampling.
    """
    qs, data = realization_matrix(q, values)
    n = data.shape[0]

    used = qs > 0
    if q_max is not None:
        used &= qs <= check_real("q_max", q_max, positive=True)
    stderr = data[:, used].std(axis=0, ddof=1) / math.sqrt(n)
    fit = fit_lorentzian(qs[used], data[:, used].mean(axis=0), stderr, None, chi_t, level)
    best = np.array([fit.chi_t.value, fit.r0.value])
    # Full-sample weights in every resample, as in compare.fits.fit_conductivity.
    samples = [
        _solve(qs[used], data[idx][:, used].mean(axis=0), stderr, chi_t, start=best)
        for idx in resample_indices(n, n_resamples, rng=rng)
    ]
    low, high = percentile_interval(np.array(samples), level, n)
    r0 = Estimate(fit.r0.value, min(low[1], fit.r0.value), max(high[1], fit.r0.value), level)
    chi_t_estimate = fit.chi_t
    if chi_t is None:
        chi_t_estimate = Estimate(
            fit.chi_t.value, min(low[0], fit.chi_t.value), max(high[0], fit.chi_t.value), level
        )
    covariance_chi2, covariance_p = _covariance_test(qs[used], data[:, used], best, chi_t)
    return LorentzianFit(
        r0, chi_t_estimate, fit.q_max, fit.n_points, fit.chi2, fit.chi_t_fixed,
        covariance_chi2, covariance_p,
    )  # fmt: skip


def r0_from_polarizability(
    alpha0: Any,
    chi_t: Estimate | float,
    level: float = 0.95,
    n_resamples: int = DEFAULT_RESAMPLES,
    *,
    rng: Any = None,
) -> dict[str, Estimate]:
    r"""r0 = sqrt(alpha(0) / chi^T) from per-realization static polarizabilities.

    The theory's alpha(0) is a disorder *average*, so the mean is the primary
    estimate (bootstrap interval); the length built from the typical alpha(0)
    is returned beside it, because in 1D the mean is carried by rare resonant
    pairs and can differ from the typical value by a large factor.

    Parameters
    ----------
    alpha0 : array_like
        alpha(0) per realization (e^2 a^2 / t per site), positive.
    chi_t : Estimate or float
        chi^T (states per site per t); its interval is propagated in log space.
    level, n_resamples, rng
        Bootstrap settings.

    Returns
    -------
    dict
        ``{"mean": Estimate, "typical": Estimate}`` of r0 in lattice spacings.
    """
    compressibility = chi_t if isinstance(chi_t, Estimate) else Estimate.exact(chi_t)
    if compressibility.value <= 0:
        raise ValueError(f"chi_t must be > 0, got {compressibility.value!r}")
    summary = robust_summary(alpha0, level, n_resamples, rng=rng)
    result = {}
    for name, value, (low, high) in (
        ("mean", summary.mean, summary.mean_ci),
        ("typical", summary.typical, summary.typical_ci),
    ):
        squared = Estimate(value, low, high, level).ratio(compressibility)
        result[name] = Estimate(
            math.sqrt(squared.value), math.sqrt(squared.low), math.sqrt(squared.high), level
        )
    return result
