"""Localization lengths from chi(q, 0) (Eq. 37) and from alpha(0): recovery of known r0."""

from __future__ import annotations

import numpy as np
import pytest

from compare import lengths
from compare.estimate import Estimate

#: Noiseless data: Levenberg-Marquardt converges to machine precision on a 2-parameter fit.
NOISELESS = 1e-8

Q = 2 * np.pi * np.arange(0, 60) / 600  # allowed wavevectors of a ring of 600 sites
CHI_T, R0 = 0.18, 15.0


def test_lorentzian_limits() -> None:
    """Eq. (37): chi -> alpha(0) q^2 = chi^T r0^2 q^2 at small q, -> chi^T at large q."""
    assert lengths.lorentzian(1e-6, CHI_T, R0) == pytest.approx(CHI_T * R0**2 * 1e-12, rel=1e-9)
    assert lengths.lorentzian(1e6, CHI_T, R0) == pytest.approx(CHI_T, rel=1e-9)
    assert lengths.lorentzian(0.0, CHI_T, R0) == 0.0


@pytest.mark.parametrize("chi_t", [None, CHI_T])
def test_noiseless_fit_is_exact(chi_t: float | None) -> None:
    chi = lengths.lorentzian(Q, CHI_T, R0)
    fit = lengths.fit_lorentzian(Q, chi, np.full(Q.size, 1e-3), chi_t=chi_t)
    assert fit.r0.value == pytest.approx(R0, rel=NOISELESS)
    assert fit.chi_t.value == pytest.approx(CHI_T, rel=NOISELESS)
    assert fit.n_points == Q.size - 1  # q = 0 dropped
    assert fit.chi_t_fixed == (chi_t is not None)


def test_noisy_realizations_recover_r0_by_both_routes() -> None:
    """Per-realization Lorentzians with a common r0: Eq. (37) fit and alpha(0) agree with r0."""
    rng = np.random.default_rng(314)
    n = 48
    amplitude = 1 + 0.3 * rng.standard_normal((n, 1))
    values = amplitude * lengths.lorentzian(Q, CHI_T, R0) + 0.005 * rng.standard_normal(
        (n, Q.size)
    )
    fit = lengths.fit_static_response(Q, values, rng=rng)
    assert fit.r0.contains(R0)
    assert fit.r0.high - fit.r0.low < 0.2 * R0
    alpha0 = amplitude[:, 0].clip(0.05) * CHI_T * R0**2
    routes = lengths.r0_from_polarizability(alpha0, CHI_T, rng=rng)
    # sqrt of the mean amplitude: the mean route recovers R0 within its interval.
    assert routes["mean"].contains(R0)
    # The typical value of a skewed positive amplitude lies below its mean.
    assert routes["typical"].value < routes["mean"].value


def test_static_response_bootstrap_resamples_realizations() -> None:
    """Each realization is a noiseless Lorentzian with its own r0_i (spread 20 %): the
    mean curve is smooth, so only resampling realizations (not wavevectors) gives the
    interval width ~ 2 z sd(r0_i)/sqrt(n). Measured 1.18-1.43 times that over seeds
    0-4 (expanded interval, nonlinear fit); resampling q would give ~1e-4 of it."""
    rng = np.random.default_rng(2)
    n = 40
    radii = R0 * (1 + 0.2 * rng.standard_normal(n))
    values = np.array([lengths.lorentzian(Q, CHI_T, r) for r in radii])
    values += 1e-5 * rng.standard_normal(values.shape)
    fit = lengths.fit_static_response(Q, values, chi_t=CHI_T, rng=rng)
    expected = 2 * 1.96 * radii.std(ddof=1) / np.sqrt(n)
    assert 0.6 < (fit.r0.high - fit.r0.low) / expected < 2.5


def test_q_max_restricts_the_fit() -> None:
    chi = lengths.lorentzian(Q, CHI_T, R0)
    fit = lengths.fit_lorentzian(Q, chi, np.full(Q.size, 1e-3), q_max=0.1)
    assert fit.q_max <= 0.1
    assert fit.n_points == int(((Q > 0) & (Q <= 0.1)).sum())


def test_chi_t_interval_propagates_into_r0() -> None:
    alpha0 = np.full(10, CHI_T * R0**2) * np.linspace(0.99, 1.01, 10)
    exact = lengths.r0_from_polarizability(alpha0, CHI_T, rng=1)["mean"]
    uncertain = lengths.r0_from_polarizability(
        alpha0, Estimate.from_stderr(CHI_T, 0.1 * CHI_T), rng=1
    )["mean"]
    assert uncertain.high - uncertain.low > exact.high - exact.low
    assert exact.value == pytest.approx(R0, rel=1e-3)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: lengths.fit_lorentzian(Q[:3], Q[:3], np.ones(3)), "wavevectors"),
        (lambda: lengths.fit_lorentzian(Q, Q, np.ones(Q.size), q_max=-1.0), "q_max"),
        (lambda: lengths.fit_lorentzian(Q, Q, np.ones(Q.size), chi_t=0.0), "chi_t"),
        (lambda: lengths.fit_static_response(Q, Q[None, :]), "n_realizations"),
        (lambda: lengths.r0_from_polarizability([1.0, 2.0], -1.0), "chi_t"),
    ],
)
def test_bad_input(call, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()


def _correlated_chi(rng, n: int, shape=None, rho: float = 0.9) -> np.ndarray:
    """Per-realization chi(q, 0) on 10 wavevectors (q <= Q[10]): ``shape`` (default the
    Lorentzian) times 1 + noise correlated along q (AR(1), neighbours at ``rho``; 5 %),
    as one realization's wavevectors share its eigenpairs."""
    q = Q[1:11]
    curve = lengths.lorentzian(q, CHI_T, R0) if shape is None else shape(q)
    noise = np.empty((n, q.size))
    noise[:, 0] = rng.standard_normal(n)
    for j in range(1, q.size):
        noise[:, j] = rho * noise[:, j - 1] + np.sqrt(1 - rho**2) * rng.standard_normal(n)
    return curve * (1 + 0.05 * noise)


def test_covariance_test_size_with_correlated_wavevectors() -> None:
    """Eq. (37) data with noise correlated along q (200 realizations, 10 wavevectors):
    the realization-covariance test rejects at p < 0.01 in about 1 % of samples
    (measured 1.0 % in these 300; binomial 99.9 % band 0-3.7 %)."""
    rng = np.random.default_rng(20261201)
    rejected = 0
    for _ in range(300):
        values = _correlated_chi(rng, 200)
        fit = lengths.fit_static_response(Q[1:11], values, n_resamples=4, rng=rng)
        assert fit.covariance_chi2 >= 0
        rejected += fit.covariance_p < 0.01
    assert rejected / 300 <= 0.037


def test_covariance_test_sees_a_shape_the_diagonal_chi2_misses() -> None:
    """A curve 3 % off the Lorentzian (a tilt in q) under correlated noise: the diagonal
    chi^2 of the weighted fit accepts it, the covariance test rejects it."""
    rng = np.random.default_rng(5)

    def tilted(q):
        return lengths.lorentzian(q, CHI_T, R0) * (1 + 0.03 * np.cos(np.pi * q / q.max()))

    fit = lengths.fit_static_response(
        Q[1:11], _correlated_chi(rng, 400, tilted), n_resamples=4, rng=rng
    )
    assert fit.reduced_chi2 < 2.0 and fit.covariance_p < 1e-4, (fit.reduced_chi2, fit.covariance_p)


def test_covariance_test_needs_enough_realizations() -> None:
    rng = np.random.default_rng(3)
    fit = lengths.fit_static_response(Q[1:11], _correlated_chi(rng, 50), n_resamples=4, rng=rng)
    assert np.isnan(fit.covariance_chi2) and np.isnan(fit.covariance_p)  # 50 < 10 x 10
