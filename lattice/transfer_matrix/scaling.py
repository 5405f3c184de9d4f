r"""Finite-size scaling of quasi-1D localization lengths :math:`\Lambda_M(W) = \xi_M / M`.

Pure functions on arrays (one entry per measured ``(M, W)`` point); no I/O.

2D: one-parameter scaling (MacKinnon & Kramer, Z. Phys. B 53, 1 (1983)).
    All data obey :math:`\Lambda_M(W) = f(\xi_\infty(W) / M)`, so the curves
    :math:`\ln\Lambda` against :math:`\ln M` for different ``W`` are one curve
    shifted along :math:`\ln M` by :math:`\ln\xi_\infty(W)`.
    :func:`scaling_collapse_2d` fits the shifts and a smooth scaling function
    jointly (weighted least squares),

    .. math::

        \ln\Lambda = \ln u + \sum_{k=1}^{n} c_k \,[\ln(1 + u)]^k,
        \qquad u = \xi_\infty / M,

    whose form fixes the absolute scale of :math:`\xi_\infty` by the localized
    limit :math:`\Lambda \to \xi_\infty / M` for :math:`M \gg \xi_\infty`.

3D: the crossing point. :math:`\Lambda_M` grows with ``M`` on the metallic side
    and falls on the insulating side, so the curves :math:`\Lambda_M(W)` of
    different ``M`` cross near the critical disorder :math:`W_c`.
    :func:`crossing_points` fits each :math:`\Lambda_M(W)` with a weighted
    polynomial, locates the crossing of each pair of consecutive widths and
    propagates the fit covariances to the uncertainty of the crossing
    (linearisation); the crossings drift with ``M`` by irrelevant scaling
    corrections, and the pair of the two largest widths is the estimate.
    :func:`fit_critical_scaling` fits all widths at once to the one-parameter
    form :math:`\Lambda = \Lambda_c + \sum_k a_k x^k`,
    :math:`x = (W - W_c)/W_c \cdot M^{1/\nu}` (Slevin & Ohtsuki, Phys. Rev. Lett.
    82, 382 (1999), without their irrelevant-scaling terms), giving
    :math:`W_c`, :math:`\nu` and :math:`\Lambda_c` with standard errors.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.polynomial import polynomial as P
from scipy.optimize import least_squares

from vwloc_common.checks import check_positive_int

__all__ = [
    "CollapseResult",
    "CriticalFit",
    "CrossingResult",
    "crossing_points",
    "fit_critical_scaling",
    "scaling_collapse_2d",
]


def _check_data(widths, disorders, Lambda, Lambda_err):
    """Return the four inputs as equal-length float arrays, or raise ValueError."""
    arrays = [np.asarray(a, dtype=float).ravel() for a in (widths, disorders, Lambda, Lambda_err)]
    names = ("widths", "disorders", "Lambda", "Lambda_err")
    size = arrays[0].size
    for name, array in zip(names, arrays, strict=True):
        if array.size != size or size == 0:
            raise ValueError(
                f"{name} must have the same non-zero length as widths, got {array.size}"
            )
        if not np.all(np.isfinite(array)):
            raise ValueError(f"{name} must be finite, got {array!r}")
    for name, array in zip(names[::2], arrays[::2], strict=True):
        if np.any(array <= 0):
            raise ValueError(f"{name} must be positive, got {array!r}")
    if np.any(arrays[1] < 0) or np.any(arrays[3] <= 0):
        raise ValueError("disorders must be >= 0 and Lambda_err > 0")
    return arrays


@dataclass(frozen=True)
class CollapseResult:
    r"""One-parameter scaling collapse of 2D strip data.

    Attributes
    ----------
    disorders : numpy.ndarray
        The distinct W values (ascending), units of t.
    xi, xi_err : numpy.ndarray
        :math:`\xi_\infty(W)` and its standard error (lattice constants).
    coefficients : numpy.ndarray
        :math:`c_1 \dots c_n` of the scaling function (module docstring).
    chi2 : float
        Weighted sum of squared residuals of :math:`\ln\Lambda`.
    dof : int
        Data points minus fitted parameters.
    """

    disorders: np.ndarray
    xi: np.ndarray
    xi_err: np.ndarray
    coefficients: np.ndarray
    chi2: float
    dof: int

    def scaling_function(self, u: np.ndarray | float) -> np.ndarray:
        r"""Return :math:`\Lambda = f(u)` at :math:`u = \xi_\infty / M`."""
        return np.exp(_log_scaling(np.asarray(u, dtype=float), self.coefficients))


def _log_scaling(u: np.ndarray, coefficients: np.ndarray) -> np.ndarray:
    log1p = np.log1p(u)
    return np.log(u) + sum(c * log1p ** (k + 1) for k, c in enumerate(coefficients))


def scaling_collapse_2d(
    widths: np.ndarray,
    disorders: np.ndarray,
    Lambda: np.ndarray,
    Lambda_err: np.ndarray,
    order: int = 3,
) -> CollapseResult:
    r"""Fit :math:`\xi_\infty(W)` from strip data by one-parameter scaling.

    Parameters
    ----------
    widths, disorders, Lambda, Lambda_err : array_like
        One entry per measurement: strip width ``M``, disorder ``W`` (units of
        t), :math:`\Lambda_M(W)` and its standard error.
    order : int
        Number ``n`` of coefficients of the scaling function.

    Returns
    -------
    CollapseResult

    Notes
    -----
    The residuals are :math:`(\ln\Lambda_i - \ln f(\xi_{W_i}/M_i)) / (\delta\Lambda_i/\Lambda_i)`;
    the covariance of the parameters is :math:`(J^T J)^{-1}` at the optimum
    (not rescaled by :math:`\chi^2`; compare ``chi2`` with ``dof``). The errors
    are statistical only: the absolute scale rests on the extrapolation
    :math:`u \to 0`, and for box strips M = 8, 16, 32 at 1 % (W = 5 ... 10)
    orders 1, 2, 3 gave :math:`\xi_\infty(W=8)` = 9.5, 10.5, 11.5 with
    :math:`\chi^2/\mathrm{dof}` = 33, 12, 4; compare orders before quoting.
    """
    m, w, lam, err = _check_data(widths, disorders, Lambda, Lambda_err)
    order = check_positive_int("order", order)
    levels, which = np.unique(w, return_inverse=True)
    n_params = levels.size + order
    if m.size <= n_params:
        raise ValueError(f"need more than {n_params} data points for the collapse, got {m.size}")
    y, sigma = np.log(lam), err / lam

    def residuals(theta: np.ndarray) -> np.ndarray:
        u = np.exp(theta[which]) / m
        return (y - _log_scaling(u, theta[levels.size :])) / sigma

    start = np.array([np.log(np.max(lam[which == k] * m[which == k])) for k in range(levels.size)])
    fit = least_squares(residuals, np.concatenate((start, np.zeros(order))), method="lm")
    jac = fit.jac
    covariance = np.linalg.pinv(jac.T @ jac)
    log_xi = fit.x[: levels.size]
    xi = np.exp(log_xi)
    return CollapseResult(
        disorders=levels,
        xi=xi,
        xi_err=xi * np.sqrt(np.diag(covariance)[: levels.size]),
        coefficients=fit.x[levels.size :],
        chi2=float(2.0 * fit.cost),
        dof=int(m.size - n_params),
    )


@dataclass(frozen=True)
class CrossingResult:
    r"""Crossings of :math:`\Lambda_M(W)` for consecutive widths.

    Attributes
    ----------
    pairs : numpy.ndarray
        ``(n_pairs, 2)`` consecutive widths ``(M_1, M_2)``, ascending.
    disorder, disorder_err : numpy.ndarray
        Crossing disorder of each pair and its standard error (NaN where the
        fitted curves do not cross inside the common data range).
    Lambda, Lambda_err : numpy.ndarray
        :math:`\Lambda` at the crossing and its standard error.
    critical_disorder, critical_disorder_err : float
        :math:`W_c` estimate: the crossing of the two largest widths.
    """

    pairs: np.ndarray
    disorder: np.ndarray
    disorder_err: np.ndarray
    Lambda: np.ndarray
    Lambda_err: np.ndarray
    critical_disorder: float
    critical_disorder_err: float


def _crossing(c1, cov1, c2, cov2, lo, hi):
    """Crossing of two polynomials inside [lo, hi] with linearised errors."""
    roots = P.polyroots(P.polysub(c2, c1))
    real = roots[np.abs(roots.imag) < 1e-9 * (1.0 + np.abs(roots.real))].real
    inside = real[(real >= lo) & (real <= hi)]
    if inside.size == 0:
        return (np.nan,) * 4
    x = inside[np.argmin(np.abs(inside - 0.5 * (lo + hi)))]
    v = x ** np.arange(c1.size)
    slope = P.polyval(x, P.polyder(P.polysub(c2, c1)))
    var_x = (v @ cov1 @ v + v @ cov2 @ v) / slope**2
    d1 = P.polyval(x, P.polyder(c1))
    g1 = v * (1.0 + d1 / slope)
    g2 = -v * d1 / slope
    var_lam = g1 @ cov1 @ g1 + g2 @ cov2 @ g2
    return x, np.sqrt(var_x), P.polyval(x, c1), np.sqrt(var_lam)


def crossing_points(
    widths: np.ndarray,
    disorders: np.ndarray,
    Lambda: np.ndarray,
    Lambda_err: np.ndarray,
    degree: int = 2,
) -> CrossingResult:
    r"""Locate the crossings of :math:`\Lambda_M(W)` of consecutive widths (3D bars).

    Parameters
    ----------
    widths, disorders, Lambda, Lambda_err : array_like
        One entry per measurement (as in :func:`scaling_collapse_2d`); each
        width needs more than ``degree + 1`` disorders.
    degree : int
        Degree of the weighted polynomial fitted to each :math:`\Lambda_M(W)`.

    Returns
    -------
    CrossingResult
    """
    m, w, lam, err = _check_data(widths, disorders, Lambda, Lambda_err)
    degree = check_positive_int("degree", degree)
    sizes = np.unique(m)
    if sizes.size < 2:
        raise ValueError(f"need at least two widths, got {sizes!r}")
    centre = float(np.mean(w))  # all polynomials in powers of (W - centre)
    fits = []
    for size in sizes:
        sel = m == size
        if sel.sum() <= degree + 1:
            raise ValueError(f"width {size:g} has {sel.sum()} points, need > {degree + 1}")
        coef, cov = np.polyfit(w[sel] - centre, lam[sel], degree, w=1.0 / err[sel], cov="unscaled")
        fits.append((coef[::-1], cov[::-1, ::-1], w[sel].min(), w[sel].max()))
    rows = []
    for a, b in zip(fits[:-1], fits[1:], strict=True):
        lo, hi = max(a[2], b[2]) - centre, min(a[3], b[3]) - centre
        x, dx, lam_x, dlam = _crossing(a[0], a[1], b[0], b[1], lo, hi)
        rows.append((x + centre, dx, lam_x, dlam))
    rows = np.array(rows)
    return CrossingResult(
        pairs=np.column_stack((sizes[:-1], sizes[1:])),
        disorder=rows[:, 0],
        disorder_err=rows[:, 1],
        Lambda=rows[:, 2],
        Lambda_err=rows[:, 3],
        critical_disorder=float(rows[-1, 0]),
        critical_disorder_err=float(rows[-1, 1]),
    )


@dataclass(frozen=True)
class CriticalFit:
    r"""One-parameter finite-size-scaling fit near a critical point (3D bars).

    Attributes
    ----------
    critical_disorder, critical_disorder_err : float
        :math:`W_c` (units of t) and its standard error.
    nu, nu_err : float
        Critical exponent of the localization length.
    Lambda_c, Lambda_c_err : float
        Scale-invariant :math:`\Lambda` at :math:`W_c`.
    coefficients : numpy.ndarray
        :math:`a_1 \dots a_n` of :math:`\Lambda_c + \sum_k a_k x^k`.
    chi2 : float
        Weighted sum of squared residuals.
    dof : int
        Data points minus fitted parameters.
    """

    critical_disorder: float
    critical_disorder_err: float
    nu: float
    nu_err: float
    Lambda_c: float
    Lambda_c_err: float
    coefficients: np.ndarray
    chi2: float
    dof: int


def fit_critical_scaling(
    widths: np.ndarray,
    disorders: np.ndarray,
    Lambda: np.ndarray,
    Lambda_err: np.ndarray,
    order: int = 2,
    start: tuple[float, float] | None = None,
) -> CriticalFit:
    r"""Fit :math:`\Lambda_M(W) = \Lambda_c + \sum_{k=1}^{n} a_k [(W - W_c)/W_c\, M^{1/\nu}]^k`.

    Parameters
    ----------
    widths, disorders, Lambda, Lambda_err : array_like
        One entry per measurement (as in :func:`crossing_points`).
    order : int
        ``n``, the order of the scaling polynomial.
    start : (float, float), optional
        Starting ``(W_c, nu)``; default the mean disorder and 1.5.

    Returns
    -------
    CriticalFit
        Errors from :math:`(J^T J)^{-1}` at the optimum (statistical only: the
        omitted irrelevant corrections bias small widths; compare ``chi2``
        with ``dof`` and drop the smallest widths to see the drift).
    """
    m, w, lam, err = _check_data(widths, disorders, Lambda, Lambda_err)
    order = check_positive_int("order", order)
    n_params = 3 + order
    if m.size <= n_params or np.unique(m).size < 2:
        raise ValueError(f"need > {n_params} points on >= 2 widths, got {m.size} points")
    w_c0, nu0 = (float(np.mean(w)), 1.5) if start is None else map(float, start)

    def model(theta: np.ndarray) -> np.ndarray:
        x = (w - theta[0]) / theta[0] * m ** (1.0 / theta[1])
        return theta[2] + P.polyval(x, np.concatenate(([0.0], theta[3:])))

    x0 = (w - w_c0) / w_c0 * m ** (1.0 / nu0)
    guess = np.polynomial.polynomial.polyfit(x0, lam, order, w=1.0 / err)
    theta0 = np.concatenate(([w_c0, nu0, guess[0]], guess[1:]))
    fit = least_squares(lambda t: (lam - model(t)) / err, theta0, method="lm")
    covariance = np.linalg.pinv(fit.jac.T @ fit.jac)
    sd = np.sqrt(np.diag(covariance))
    return CriticalFit(
        critical_disorder=float(fit.x[0]),
        critical_disorder_err=float(sd[0]),
        nu=float(fit.x[1]),
        nu_err=float(sd[1]),
        Lambda_c=float(fit.x[2]),
        Lambda_c_err=float(sd[2]),
        coefficients=fit.x[3:],
        chi2=float(2.0 * fit.cost),
        dof=int(m.size - n_params),
    )
