r"""Does a curve deviate smoothly from a model? A test that respects correlated frequencies.

A disorder-averaged Re sigma(w) is sampled on a grid whose points are far from
independent: every frequency of one realization sums the same eigenpairs, broadened
by the same eta, so neighbouring frequencies of the 2D weak-localization windows are
correlated at r = 0.82-0.91 and five steps apart still at 0.27-0.60 (measured on the
``study-2d-wl`` archives). A chi^2 with diagonal weights is then not chi^2-distributed:
it can reject a correct model or accept a wrong one.

Realizations, however, are independent. :func:`smooth_deviation_test` therefore
expands each realization's residual (data minus model) on ``x`` in Legendre
polynomials P_0 .. P_degree of x rescaled to [-1, 1], keeps the coefficients of
P_lowest .. P_degree (``lowest = 2``: the deviations a line in x cannot absorb,
curvature and its next order, for a model with a free line; ``lowest = 1``: every
deviation from a constant, for a ratio data/model that should be constant), and asks
with Hotelling's T^2 whether their mean over realizations is zero, using the
realizations' own covariance of those coefficients:

.. math::

    T^2 = R\,\bar c^{\,T} S^{-1} \bar c, \qquad
    \frac{R - K}{K (R - 1)}\,T^2 \sim F(K, R - K),

K = degree - lowest + 1 coefficients, R realizations, S their sample covariance (exact for
normally distributed coefficients, which are sums over many pairs). The size of the
test under strongly correlated noise and its power against curvature are measured in
``tests/compare/test_smooth_deviation.py``. It tests smooth deviations only: a
residual that oscillates faster than P_degree is not seen.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

__all__ = ["DEFAULT_DEGREE", "MIN_REALIZATIONS", "SmoothDeviation", "smooth_deviation_test"]

#: Highest Legendre order tested: curvature (P_2) and its next order (P_3).
DEFAULT_DEGREE = 3
#: Fewest realizations for which a claim uses this test instead of a diagonal chi^2:
#: with K = 3 coefficients, F(3, 7) at R = 10 (below it the test has little power and
#: a model would pass for want of realizations rather than on its merits).
MIN_REALIZATIONS = 10


@dataclass(frozen=True)
class SmoothDeviation:
    """Hotelling's T^2 of the P_2 .. P_degree coefficients of the residuals.

    Attributes
    ----------
    statistic : float
        T^2.
    p_value : float
        Probability of a T^2 at least this large if the residual's mean is a line in x.
    terms : int
        Coefficients tested (K = degree - lowest + 1).
    realizations : int
        R.
    lowest : int
        Lowest Legendre order tested.
    """

    statistic: float
    p_value: float
    terms: int
    realizations: int
    lowest: int = 2

    def describe(self) -> str:
        """One line: the statistic, its degrees of freedom and p."""
        return (
            f"Hotelling T^2 {self.statistic:.3g} of the P_{self.lowest}.."
            f"P_{self.lowest + self.terms - 1} terms ({self.realizations} realizations), "
            f"p = {self.p_value:.2g}"
        )


def smooth_deviation_test(
    x: np.ndarray, residuals: np.ndarray, degree: int = DEFAULT_DEGREE, lowest: int = 2
) -> SmoothDeviation:
    """Test whether the mean residual over realizations is a polynomial of order below
    ``lowest`` in ``x`` (``lowest = 2``: a line; 1: a constant).

    Parameters
    ----------
    x : array_like
        Abscissa, shape (n,), n > ``degree`` distinct values (for Re sigma: ln w).
    residuals : array_like
        Data minus model per realization, shape (R, n), R > ``degree`` - 1.
    degree : int
        Highest Legendre order tested (>= ``lowest``).
    lowest : int
        Lowest Legendre order tested (>= 1): the orders below it are the model's free
        parameters (2: offset and slope; 1: a scale).

    Returns
    -------
    SmoothDeviation

    Raises
    ------
    ValueError
        Too few points or realizations for the test.
    """
    x = np.asarray(x, dtype=float)
    residuals = np.atleast_2d(np.asarray(residuals, dtype=float))
    if isinstance(lowest, bool) or not isinstance(lowest, int) or lowest < 1:
        raise ValueError(f"lowest must be an integer >= 1, got {lowest!r}")
    terms = int(degree) - lowest + 1
    count, points = residuals.shape
    if terms < 1:
        raise ValueError(f"degree must be >= lowest = {lowest}, got {degree!r}")
    if x.shape != (points,) or np.unique(x).size <= degree:
        raise ValueError(f"need more than {degree} distinct x for degree {degree}")
    if count <= terms:
        raise ValueError(f"need more than {terms} realizations, got {count}")
    scaled = 2.0 * (x - x.min()) / (x.max() - x.min()) - 1.0
    basis = np.polynomial.legendre.legvander(scaled, degree)
    coefficients = np.linalg.lstsq(basis, residuals.T, rcond=None)[0].T[:, lowest:]
    mean = coefficients.mean(axis=0)
    covariance = np.atleast_2d(np.cov(coefficients, rowvar=False))
    statistic = float(count * mean @ np.linalg.solve(covariance, mean))
    scaled_f = (count - terms) / (terms * (count - 1)) * statistic
    p_value = float(stats.f.sf(scaled_f, terms, count - terms))
    return SmoothDeviation(statistic, p_value, terms, count, lowest)
