r"""Low-frequency laws of the conductivity: Re sigma = A w^2 and its 1D alternative.

In the localized regime the self-consistent theory gives
:math:`M(0,\omega) \simeq i/\tau - \omega_0^2/\omega` and hence (seed Eq. 36,
Eq. 44)

.. math:: \mathrm{Re}\,\sigma(\omega) = A\,\omega^2, \qquad
          A = \frac{n/m}{\tau\,\omega_0^4},

while the exact 1D result (Berezinskii 1973; Mott's argument) carries the
level-repulsion logarithm

.. math:: \mathrm{Re}\,\sigma(\omega) = A'\,\omega^2 \ln^2\frac{1}{\omega\tau}.

Both are one-parameter linear models :math:`y = c\,f(\omega)`, fitted by
weighted least squares to the disorder-averaged Re sigma with the standard
errors of the mean as weights. The fit window is chosen from the physics
(:func:`physical_window`): above the finite-size level spacing and the
broadening eta of the delta function (below them the numerical Re sigma is an
artefact of the finite system), below the Born scattering rate 1/tau (above
it neither law applies). How much A moves with the window is tabulated by
:func:`window_sensitivity`.

The per-frequency errors of a disorder average are correlated (all
frequencies of one realization come from the same eigenstates), so the
diagonal-weight standard error of a coefficient understates its uncertainty;
:func:`fit_conductivity` therefore also bootstraps the whole fit over
realizations and reports the expanded percentile interval
(:mod:`compare.bootstrap`), which is the interval to quote. Reduced chi^2
values are computed with diagonal weights and are smaller than 1 when the
noise is correlated; they rank models on the same window but are not
goodness-of-fit probabilities.

Units: omega, eta, 1/tau and the level spacing in units of the hopping t;
Re sigma in e^2/hbar per site (``docs/conventions.md``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from scipy.optimize import minimize_scalar

from ._checks import as_series, check_interval, check_level, check_real, realization_matrix
from .bootstrap import DEFAULT_RESAMPLES, percentile_interval, resample_indices

__all__ = [
    "LAWS",
    "LawFit",
    "ModelSelection",
    "basis",
    "fit_conductivity",
    "fit_law",
    "physical_window",
    "select_model",
    "window_sensitivity",
]

#: The low-frequency laws: "omega2" (A w^2, seed Eq. 44) and
#: "mott" (A' w^2 ln^2(1/(w tau)), exact 1D, Berezinskii 1973).
LAWS = ("omega2", "mott")

#: Fewest frequencies in a window: one coefficient plus enough points for chi^2
#: to rank the two laws.
MIN_POINTS = 4
#: Lower window edge in units of the mean level spacing: below a few spacings the
#: disorder-averaged spectrum of a finite system is still discrete.
LEVEL_SPACING_FACTOR = 3.0
#: Lower window edge in units of the broadening eta: a Lorentzian of width eta
#: leaks weight ~ eta / w from higher transitions into Re sigma(w) (the 1/w of the
#: Kubo formula), so the w^2 law is only visible several eta above zero.
BROADENING_FACTOR = 5.0
#: Upper window edge in units of 1/tau: both laws are the leading terms for
#: w tau << 1; half the Born rate keeps ln(1/(w tau)) >= ln 2.
SCATTERING_FACTOR = 0.5


@dataclass(frozen=True)
class LawFit:
    """A fitted low-frequency law ``Re sigma = coefficient * basis(omega)``.

    Attributes
    ----------
    law : str
        ``"omega2"`` or ``"mott"``.
    coefficient : float
        A (e^2/hbar per site per t^2) or A'.
    stderr : float
        Standard error from the diagonal weights (understated for correlated data).
    window : tuple of float
        ``(omega_min, omega_max)`` used, in units of t.
    n_points : int
        Frequencies inside the window.
    n_params : int
        Fitted parameters (1; 2 when the Mott scale tau was fitted too).
    chi2 : float
        Weighted sum of squared residuals.
    tau : float or None
        Time scale inside the Mott logarithm, in 1/t.
    interval : tuple of float or None
        Bootstrap percentile interval of the coefficient at ``level``.
    level : float
        Confidence level of ``interval``.
    """

    law: str
    coefficient: float
    stderr: float
    window: tuple[float, float]
    n_points: int
    n_params: int
    chi2: float
    tau: float | None = None
    interval: tuple[float, float] | None = None
    level: float = 0.95
    bootstrap_samples: np.ndarray | None = field(default=None, repr=False, compare=False)

    @property
    def dof(self) -> int:
        """Degrees of freedom, points minus parameters."""
        return self.n_points - self.n_params

    @property
    def reduced_chi2(self) -> float:
        """chi^2 per degree of freedom (diagonal weights)."""
        return self.chi2 / self.dof if self.dof > 0 else math.nan

    @property
    def aic(self) -> float:
        """Akaike information criterion chi^2 + 2 k (Gaussian likelihood, known errors)."""
        return self.chi2 + 2 * self.n_params

    def predict(self, omega: Any) -> np.ndarray:
        """Return the fitted law at ``omega``."""
        return self.coefficient * basis(self.law, omega, self.tau)

    def as_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {
            "law": self.law,
            "coefficient": self.coefficient,
            "stderr": self.stderr,
            "interval": None if self.interval is None else list(self.interval),
            "level": self.level,
            "window": list(self.window),
            "n_points": self.n_points,
            "n_params": self.n_params,
            "chi2": self.chi2,
            "reduced_chi2": self.reduced_chi2,
            "aic": self.aic,
            "tau": self.tau,
        }


def basis(law: str, omega: Any, tau: float | None = None) -> np.ndarray:
    """Return the frequency dependence f(omega) of ``law`` (``coefficient * f`` is Re sigma).

    Parameters
    ----------
    law : {"omega2", "mott"}
        The law.
    omega : array_like
        Frequencies > 0 in units of t.
    tau : float, optional
        Scale inside the Mott logarithm (1/t); required for ``"mott"``, where
        every ``omega * tau`` must be < 1.
    """
    w = np.asarray(omega, dtype=float)
    if law == "omega2":
        return w**2
    if law != "mott":
        raise ValueError(f"law must be one of {LAWS}, got {law!r}")
    if tau is None:
        raise ValueError("tau is required for the Mott-Berezinskii law")
    tau = check_real("tau", tau, positive=True)
    if np.any(w * tau >= 1):
        raise ValueError(f"the Mott law needs omega * tau < 1, got omega up to {w.max()!r}")
    return w**2 * np.log(1.0 / (w * tau)) ** 2


def physical_window(
    level_spacing: float,
    eta: float,
    tau: float,
    *,
    level_spacing_factor: float = LEVEL_SPACING_FACTOR,
    broadening_factor: float = BROADENING_FACTOR,
    scattering_factor: float = SCATTERING_FACTOR,
) -> tuple[float, float]:
    """Return the fit window ``(omega_min, omega_max)`` chosen from the physics.

    ``omega_min = max(level_spacing_factor * level_spacing, broadening_factor * eta)``,
    ``omega_max = scattering_factor / tau``.

    Parameters
    ----------
    level_spacing : float
        Mean level spacing 1/(rho N) of the finite system, in t.
    eta : float
        Broadening of the Kubo delta function, in t.
    tau : float
        Born elastic scattering time, in 1/t.

    Raises
    ------
    ValueError
        If the window is empty: the system is too small or too broadened for the
        disorder, and no low-frequency law can be fitted honestly.
    """
    spacing = check_real("level_spacing", level_spacing, positive=True)
    eta = check_real("eta", eta, positive=True)
    tau = check_real("tau", tau, positive=True)
    low = max(level_spacing_factor * spacing, broadening_factor * eta)
    high = scattering_factor / tau
    if low >= high:
        raise ValueError(
            f"empty fit window: omega_min = {low:.4g} (level spacing {spacing:.3g}, "
            f"eta {eta:.3g}) >= omega_max = {high:.4g} (1/tau = {1 / tau:.3g})"
        )
    return low, high


def _select(omega: np.ndarray, window: tuple[float, float]) -> np.ndarray:
    mask = (omega >= window[0]) & (omega <= window[1])
    if mask.sum() < MIN_POINTS:
        raise ValueError(
            f"window {window[0]:.4g}-{window[1]:.4g} holds {int(mask.sum())} frequencies, "
            f"need >= {MIN_POINTS}"
        )
    return mask


def _linear(f: np.ndarray, y: np.ndarray, s: np.ndarray) -> tuple[Any, Any, Any]:
    """Weighted LS of y = c f along the last axis: (c, stderr, chi2); broadcasts."""
    weight = 1.0 / s**2
    norm = np.sum(weight * f**2, axis=-1)
    coefficient = np.sum(weight * f * y, axis=-1) / norm
    chi2 = np.sum(weight * (y - coefficient[..., None] * f) ** 2, axis=-1)
    return coefficient, 1.0 / np.sqrt(norm), chi2


def _best_tau(w: np.ndarray, y: np.ndarray, s: np.ndarray) -> float:
    """Mott scale tau minimising chi^2 (coefficient profiled out); bounded by w tau < 1."""

    def chi2_of(log_tau: float) -> float:
        return float(_linear(basis("mott", w, math.exp(log_tau)), y, s)[2])

    upper = -math.log(w.max()) - 1e-6
    result = minimize_scalar(chi2_of, bounds=(upper - 12.0, upper), method="bounded")
    return math.exp(result.x)


def fit_law(
    omega: Any,
    sigma: Any,
    stderr: Any,
    window: Sequence[float],
    law: str = "omega2",
    tau: float | None = None,
    fit_tau: bool = False,
) -> LawFit:
    """Weighted least-squares fit of one low-frequency law inside ``window``.

    Parameters
    ----------
    omega, sigma, stderr : array_like
        Frequencies (t), disorder-averaged Re sigma and its standard error.
    window : (float, float)
        Inclusive frequency window.
    law : {"omega2", "mott"}
        The law to fit.
    tau : float, optional
        Mott scale (1/t), e.g. the Born tau of the lattice mapping.
    fit_tau : bool
        Fit the Mott scale as a second parameter instead of fixing it.
    """
    w, y, s = as_series("omega", omega, sigma, stderr)
    window = check_interval("window", window)
    if law not in LAWS:
        raise ValueError(f"law must be one of {LAWS}, got {law!r}")
    mask = _select(w, window)
    w, y, s = w[mask], y[mask], s[mask]
    if law == "mott" and fit_tau:
        tau = _best_tau(w, y, s)
    coefficient, error, chi2 = _linear(basis(law, w, tau), y, s)
    return LawFit(
        law=law,
        coefficient=float(coefficient),
        stderr=float(error),
        window=window,
        n_points=int(mask.sum()),
        n_params=2 if (law == "mott" and fit_tau) else 1,
        chi2=float(chi2),
        tau=None if law == "omega2" else float(tau),
    )


def fit_conductivity(
    omega: Any,
    values: Any,
    window: Sequence[float],
    law: str = "omega2",
    tau: float | None = None,
    fit_tau: bool = False,
    level: float = 0.95,
    n_resamples: int = DEFAULT_RESAMPLES,
    *,
    rng: Any = None,
) -> LawFit:
    """Fit a law to per-realization Re sigma and bootstrap it over realizations.

    Parameters
    ----------
    omega : array_like
        Frequencies (t), shape ``(n_omega,)``.
    values : array_like
        Re sigma per realization, shape ``(n_realizations, n_omega)``.
    window, law, tau, fit_tau
        As in :func:`fit_law`; with ``fit_tau`` the Mott scale is refitted
        in every resample.
    level : float
        Confidence level of the bootstrap interval.
    n_resamples : int
        Bootstrap resamples.
    rng : None, int, SeedSequence or Generator
        Seed or generator of the resampling.

    Returns
    -------
    LawFit
        With ``interval`` (percentile bootstrap) and ``bootstrap_samples`` set.
    """
    level = check_level(level)
    w, data = realization_matrix(omega, values)
    n = data.shape[0]
    stderr = data.std(axis=0, ddof=1) / math.sqrt(n)
    fit = fit_law(w, data.mean(axis=0), stderr, window, law, tau, fit_tau)
    mask = _select(w, fit.window)
    means = data[:, mask][resample_indices(n, n_resamples, rng=rng)].mean(axis=1)
    # Weights stay those of the full sample: re-estimated per resample they would
    # favour resamples whose values (and hence multiplicative errors) happen to be
    # low, biasing the bootstrap distribution downwards.
    errors = stderr[mask]
    if fit_tau:
        samples = np.array(
            [fit_law(w[mask], m, errors, fit.window, law, fit_tau=True).coefficient for m in means]
        )
    else:
        samples = _linear(basis(law, w[mask], fit.tau), means, errors)[0]
    low, high = percentile_interval(samples, level, n)
    return replace(fit, interval=(float(low), float(high)), level=level, bootstrap_samples=samples)


@dataclass(frozen=True)
class ModelSelection:
    """Ranking of laws fitted on the same window.

    Attributes
    ----------
    fits : tuple of LawFit
        The candidates.
    best : str
        Law with the smallest AIC.
    delta_aic : dict
        AIC minus the smallest AIC, per law.
    weights : dict
        Akaike weights exp(-delta/2) / sum, per law.
    """

    fits: tuple[LawFit, ...]
    best: str
    delta_aic: dict[str, float]
    weights: dict[str, float]

    @property
    def decisive(self) -> bool:
        """True when the runner-up has delta AIC > 10 (Burnham and Anderson 2002)."""
        others = [d for law, d in self.delta_aic.items() if law != self.best]
        return bool(others) and min(others) > 10.0


def select_model(fits: Sequence[LawFit]) -> ModelSelection:
    """Rank fitted laws by AIC; all must share the same window."""
    fits = tuple(fits)
    if len(fits) < 2:
        raise ValueError(f"model selection needs >= 2 fits, got {len(fits)}")
    windows = {fit.window for fit in fits}
    if len(windows) != 1:
        raise ValueError(f"fits must share one window to be compared, got {sorted(windows)}")
    aic = {fit.law + ("+tau" if fit.n_params == 2 else ""): fit.aic for fit in fits}
    if len(aic) != len(fits):
        raise ValueError(f"fits must be of distinct laws, got {list(aic)}")
    smallest = min(aic.values())
    delta = {law: value - smallest for law, value in aic.items()}
    total = sum(math.exp(-d / 2) for d in delta.values())
    weights = {law: math.exp(-d / 2) / total for law, d in delta.items()}
    best = min(delta, key=delta.__getitem__)
    return ModelSelection(fits=fits, best=best, delta_aic=delta, weights=weights)


def window_sensitivity(
    omega: Any,
    values: Any,
    window: Sequence[float],
    tau: float | None = None,
    factors: Sequence[float] = (0.5, 1.0, 2.0),
    level: float = 0.95,
    n_resamples: int = 500,
    *,
    rng: Any = None,
) -> list[dict[str, Any]]:
    """Refit both laws on windows whose edges are scaled by ``factors``.

    For every pair (f_low, f_high) the window is ``(f_low * low, f_high * high)``;
    windows with fewer than :data:`MIN_POINTS` frequencies, or (for the Mott law)
    reaching omega tau >= 1, are skipped. ``tau`` None fits only the w^2 law.

    Returns
    -------
    list of dict
        One row per window: ``window``, ``A``, ``A_interval``, ``A_reduced_chi2``,
        ``A_chi2``, ``A_dof`` (for the fit's own chi^2 test) and, with ``tau``,
        ``A_mott``, ``A_mott_interval``, ``mott_reduced_chi2``, ``best`` (by AIC).
    """
    low, high = check_interval("window", window)
    generator = np.random.default_rng(rng)
    w = np.asarray(omega, dtype=float)
    rows = []
    for f_low in factors:
        for f_high in factors:
            trial = (f_low * low, f_high * high)
            if trial[0] >= trial[1] or (((w >= trial[0]) & (w <= trial[1])).sum() < MIN_POINTS):
                continue
            fit = fit_conductivity(
                w, values, trial, "omega2", level=level, n_resamples=n_resamples, rng=generator
            )
            row: dict[str, Any] = {
                "window": list(trial),
                "A": fit.coefficient,
                "A_interval": list(fit.interval),
                "A_reduced_chi2": fit.reduced_chi2,
                "A_chi2": fit.chi2,
                "A_dof": fit.dof,
            }
            if tau is not None and trial[1] * tau < 1:
                mott = fit_conductivity(
                    w,
                    values,
                    trial,
                    "mott",
                    tau=tau,
                    level=level,
                    n_resamples=n_resamples,
                    rng=generator,
                )
                row.update(
                    A_mott=mott.coefficient,
                    A_mott_interval=list(mott.interval),
                    mott_reduced_chi2=mott.reduced_chi2,
                    best=select_model([fit, mott]).best,
                )
            rows.append(row)
    if not rows:
        raise ValueError(f"no window around {window} holds >= {MIN_POINTS} frequencies")
    return rows
