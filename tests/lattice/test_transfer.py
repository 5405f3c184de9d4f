"""Transfer-matrix localization lengths: exact limits, weak-disorder theory, literature.

References are in data/references/transfer_*.toml.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import pytest

import lattice
from lattice.transfer_matrix import transfer
from lattice.transfer_matrix._transfer_kernels import (
    chain_block,
    chain_block_reference,
    strip_block,
    strip_block_reference,
)
from lattice.transfer_matrix.transfer import (
    localization_length,
    localization_lengths,
    propagating_channel,
    reorthogonalization_interval,
    slice_hamiltonian,
    transfer_work,
    transverse_geometry,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

REFERENCES = Path(__file__).resolve().parents[2] / "data" / "references"

#: Kernel vs numpy reference: same arithmetic, LAPACK/BLAS reduction order may differ.
KERNEL_RTOL = 1e-10
#: Same realization, different QR interval: the interval is chosen so that at most 10
#: of 16 digits are lost between QR steps (lattice.transfer_matrix.transfer._DIGITS_LOST).
INTERVAL_RTOL = 1e-5
#: |1/xi - exact| for clean systems: the O(1) transient of the start vector over L slices.
TRANSIENT = 4.0
#: In a clean bar the identity start state can have exactly zero overlap with a
#: channel (symmetry); rounding seeds it at ~1e-16, a one-time log factor of ln(1/eps).
SEEDED_BY_ROUNDING = -math.log(np.finfo(float).eps)
#: Slice Hamiltonian vs exact-diagonalization block: both are sums of a few unit
#: phases, so they agree to rounding.
BLOCK_ATOL = 1e-14
#: Weak-disorder (Thouless) deviation allowed: the next perturbative order is
#: ~ 0.02 W^2 (measured 1.8 % at W = 1, E = 1.5 for box); plus 3 standard errors.
THOULESS_W2 = 0.025
#: Edwards vs Anderson at the same W: their fourth cumulants differ, O(W^2) again.
EDWARDS_W2 = 0.08


def thouless(energy: float, disorder: float) -> float:
    """Thouless weak-disorder xi = 24 (4 t^2 - E^2) / W^2 for box disorder (variance W^2/12)."""
    return 24.0 * (4.0 - energy**2) / disorder**2


def random_state(n_sites: int, n_cols: int, dtype, rng):
    x = rng.standard_normal((2 * n_sites, n_cols))
    if dtype is np.complex128:
        x = x + 1j * rng.standard_normal((2 * n_sites, n_cols))
    q, _ = np.linalg.qr(x)
    return q[:n_sites].copy(), q[n_sites:].copy()


def hops_for(n_slices: int, flux: float, dtype):
    alpha = 2.0 * np.pi * flux * np.arange(n_slices)
    hops = np.empty((n_slices, 3), dtype=dtype)
    hops[:, 0] = -np.exp(1j * alpha) if dtype is np.complex128 else -1.0
    hops[:, 2] = -np.exp(-1j * alpha) if dtype is np.complex128 else -1.0
    hops[:, 1] = -1.0
    return hops


# --- kernels against their numpy references -------------------------------------------


def test_chain_kernel_matches_reference_with_renormalisation() -> None:
    rng = np.random.default_rng(20261125)
    eps = rng.uniform(-40.0, 40.0, size=(2000, 5))  # strong: forces renormalisations
    energies = np.array([0.0, 0.5, -1.0, 2.5, 7.0])
    a, b, logs = np.ones(5), np.zeros(5), np.zeros(5)
    chain_block(a, b, eps, energies, logs)
    ref_logs = np.zeros(5)
    ref_a, ref_b = chain_block_reference(np.ones(5), np.zeros(5), eps, energies, ref_logs)
    np.testing.assert_allclose(logs, ref_logs, rtol=KERNEL_RTOL)
    np.testing.assert_allclose(a, ref_a, rtol=KERNEL_RTOL, atol=1e-14)
    np.testing.assert_allclose(b, ref_b, rtol=KERNEL_RTOL, atol=1e-14)


@pytest.mark.parametrize(("dim", "width", "flux"), [(2, 6, 0.0), (3, 3, 0.0), (3, 4, 0.13)])
def test_strip_kernel_matches_reference(dim: int, width: int, flux: float) -> None:
    rng = np.random.default_rng(7 + dim + width)
    dtype = np.complex128 if flux else np.float64
    neighbours, hop_index = transverse_geometry(dim, width, "periodic")
    n = neighbours.shape[0]
    p, q = random_state(n, n, dtype, rng)
    eps = rng.uniform(-5.0, 5.0, size=(48, n))
    hops = hops_for(48, flux, dtype)
    logs, ref_logs = np.zeros(n), np.zeros(n)
    p1, q1 = strip_block(p.copy(), q.copy(), eps, 0.3, neighbours, hop_index, hops, 4, logs)
    p2, q2 = strip_block_reference(p, q, eps, 0.3, neighbours, hop_index, hops, 4, ref_logs)
    np.testing.assert_allclose(logs, ref_logs, rtol=KERNEL_RTOL)
    # Q is unique up to column phases; compare the projectors onto the kept subspace.
    s1, s2 = np.vstack((p1, q1)), np.vstack((p2, q2))
    np.testing.assert_allclose(s1 @ s1.conj().T, s2 @ s2.conj().T, atol=1e-10)


@pytest.mark.parametrize("flux", [0.0, 0.21])
def test_full_lyapunov_spectrum_sums_to_zero_and_pairs(flux: float) -> None:
    """|det T| = 1 per slice, so all 2N exponents sum to 0 exactly; they pair as +-gamma."""
    rng = np.random.default_rng(99)
    dtype = np.complex128 if flux else np.float64
    neighbours, hop_index = transverse_geometry(2, 4, "open")
    n = neighbours.shape[0]
    p, q = random_state(n, 2 * n, dtype, rng)
    n_slices = 4000
    eps = rng.uniform(-3.0, 3.0, size=(n_slices, n))
    logs = np.zeros(2 * n)
    strip_block(p, q, eps, 0.4, neighbours, hop_index, hops_for(n_slices, flux, dtype), 4, logs)
    gammas = logs / n_slices
    assert abs(gammas.sum()) < 1e-10
    # Pairing is asymptotic: finite-L error ~ 1/sqrt(L gamma); 0.03 is > 5 of those here.
    np.testing.assert_allclose(gammas[:n], -gammas[::-1][:n], atol=0.03)


def test_sublattice_symmetry_energy_sign_exact() -> None:
    """Bipartite cross-section: (eps, E) -> (-eps, -E) leaves every exponent unchanged."""
    rng = np.random.default_rng(5)
    neighbours, hop_index = transverse_geometry(2, 4, "periodic")
    eps = rng.uniform(-2.0, 2.0, size=(400, 4))
    hops = hops_for(400, 0.0, np.float64)
    logs_plus, logs_minus = np.zeros(4), np.zeros(4)
    start = np.eye(8, 4)
    strip_block(start[:4].copy(), start[4:].copy(), eps, 0.7, neighbours, hop_index, hops, 5,
                logs_plus)  # fmt: skip
    strip_block(start[:4].copy(), start[4:].copy(), -eps, -0.7, neighbours, hop_index, hops, 5,
                logs_minus)  # fmt: skip
    np.testing.assert_allclose(logs_plus, logs_minus, rtol=1e-12)


@pytest.mark.parametrize("boundary", ["periodic", "open"])
@pytest.mark.parametrize(
    ("dim", "width"), [(2, 1), (2, 2), (2, 3), (2, 5), (3, 1), (3, 2), (3, 4)]
)
@pytest.mark.parametrize("flux", [0.0, 0.13])
def test_slice_hamiltonian_is_the_exact_diagonalization_block(
    dim: int, width: int, boundary: str, flux: float
) -> None:
    """One bond rule (lattice.models.bonds): H_perp(x) of the kernels is the diagonal block of
    slice x of AndersonModel's H, phases, doubled M = 2 bonds and all."""
    rng = np.random.default_rng(2024 + 10 * dim + width)
    lx = 5
    across = "open" if width == 1 else boundary  # width 1 is the chain, not a 1-site ring
    model = lattice.AndersonModel(
        dim=dim, L=(lx,) + (width,) * (dim - 1), boundary=("open",) + (across,) * (dim - 1),
        flux=flux, disorder=0.0,
    )  # fmt: skip
    full = model.hamiltonian().toarray()
    n = width ** (dim - 1)
    for x in range(lx):
        onsite = rng.uniform(-1.0, 1.0, size=n)
        block = full[x * n : (x + 1) * n, x * n : (x + 1) * n] + np.diag(onsite)
        expected = slice_hamiltonian(dim, width, boundary, flux, x, onsite)
        np.testing.assert_allclose(expected, block, atol=BLOCK_ATOL)


@pytest.mark.parametrize(("dim", "width"), [(2, 1), (2, 2), (2, 6), (3, 2), (3, 3)])
def test_periodic_slice_has_the_clean_ring_spectrum(dim: int, width: int) -> None:
    """Closed form: the periodic cross-section's levels are -2 sum_a cos(2 pi m_a / M)
    over its dim - 1 axes, for every M >= 2 (so M = 2 has -4 .. 4 in 2D: doubled bonds);
    width 1 has no transverse bonds."""
    levels = np.linalg.eigvalsh(slice_hamiltonian(dim, width, "periodic"))
    if width == 1:
        np.testing.assert_allclose(levels, [0.0], atol=BLOCK_ATOL)
        return
    k = 2.0 * np.pi * np.arange(width) / width
    grids = np.meshgrid(*([k] * (dim - 1)), indexing="ij")
    exact = np.sort(-2.0 * sum(np.cos(g) for g in grids).ravel())
    np.testing.assert_allclose(levels, exact, atol=1e-12)


# --- exact clean limits -----------------------------------------------------------------


def test_clean_chain_outside_band_is_exact() -> None:
    r = localization_length(1, 0.0, 2.5, min_length=2**20)
    assert r.converged
    assert abs(1.0 / r.xi - math.acosh(1.25)) < TRANSIENT / (r.length / r.chains)


@pytest.mark.parametrize(
    ("dim", "width", "boundary"), [(2, 4, "periodic"), (2, 5, "open"), (3, 4, "periodic")]
)
def test_clean_strip_spectrum_is_channel_decay(dim: int, width: int, boundary: str) -> None:
    """W = 0, E above every channel: gamma_q = arccosh(|E - e_q| / 2), e_q the slice levels.

    Within a degenerate group of channels only the sum of the exponents is defined
    (the QR columns may rotate inside it), so groups are compared by their sums; the
    smallest exponent is non-degenerate in all three geometries.
    """
    transient = TRANSIENT + SEEDED_BY_ROUNDING
    q = np.arange(width)
    if boundary == "periodic":
        levels_1d = -2.0 * np.cos(2.0 * np.pi * q / width)
    else:
        levels_1d = -2.0 * np.cos(np.pi * (q + 1) / (width + 1))
    levels = levels_1d if dim == 2 else np.add.outer(levels_1d, levels_1d).ravel()
    energy = 6.5 if dim == 3 else 4.5  # above all levels, |E - e_q| > 2 in every channel
    exact = np.sort(np.arccosh(np.abs(energy - levels) / 2.0))[::-1]
    r = localization_length(dim, 0.0, energy, width=width, boundary=boundary, min_length=2**16)
    groups = np.unique(np.round(exact, 9), return_inverse=True)[1]
    for g in np.unique(groups):
        members = groups == g
        assert abs(r.lyapunov[members].sum() - exact[members].sum()) < (
            transient * members.sum() / r.length
        )
    assert r.converged
    assert 1.0 / r.xi == pytest.approx(exact[-1], abs=TRANSIENT / r.length)


def test_clean_limit_diverges_as_inverse_square() -> None:
    """xi W^2 -> 24 (4 - E^2) as W -> 0, and W = 0 inside the band never converges."""
    for disorder in (0.2, 0.1):
        r = localization_length(1, disorder, 0.5, precision=0.02)
        assert r.xi * disorder**2 == pytest.approx(90.0, rel=3 * 0.02 + THOULESS_W2 * disorder**2)
    clean = localization_length(1, 0.0, 0.5, max_length=2**22)
    assert not clean.converged
    assert clean.xi > 1e6


# --- weak-disorder theory ---------------------------------------------------------------


@pytest.mark.parametrize("energy", [0.5, 1.5])
@pytest.mark.parametrize("disorder", [1.0, 0.5])
def test_chain_matches_thouless(energy: float, disorder: float) -> None:
    precision = 0.003
    r = localization_length(1, disorder, energy, precision=precision, seed=3)
    assert r.converged and r.xi_err / r.xi <= precision
    deviation = abs(r.xi / thouless(energy, disorder) - 1.0)
    assert deviation < THOULESS_W2 * disorder**2 + 3 * precision


@pytest.mark.slow
@pytest.mark.parametrize("energy", [0.5, 1.5])
def test_thouless_deviation_shrinks_with_disorder(energy: float) -> None:
    """The relative deviation from Thouless is O(W^2): it must fall as W goes 2 -> 1 -> 0.5."""
    deviations = []
    for disorder in (2.0, 1.0, 0.5):
        r = localization_length(1, disorder, energy, precision=0.001, seed=11)
        deviations.append(abs(r.xi / thouless(energy, disorder) - 1.0))
    assert deviations[0] > deviations[1] > deviations[2]
    assert deviations[2] < 0.6 * deviations[1]


def test_edwards_and_anderson_agree_at_weak_disorder() -> None:
    """Same variance W^2/12 -> same Born rate -> same weak-disorder xi."""
    precision = 0.003
    box = localization_length(1, 0.5, 1.5, precision=precision, kind="box", seed=4)
    gauss = localization_length(1, 0.5, 1.5, precision=precision, kind="gaussian", seed=4)
    assert gauss.xi / box.xi == pytest.approx(1.0, abs=EDWARDS_W2 * 0.25 + 4 * precision)
    assert gauss.xi / thouless(1.5, 0.5) == pytest.approx(1.0, abs=THOULESS_W2 / 4 + 3 * precision)


def test_band_centre_anomaly() -> None:
    """Kappus-Wegner: xi(E=0) = 105.0/W^2 at weak disorder, not the Thouless 96/W^2."""
    ref = tomllib.loads((REFERENCES / "transfer_1d.toml").read_text())["band_centre_anomaly"]
    precision = 0.003
    r = localization_length(1, 0.5, 0.0, precision=precision, seed=5)
    assert r.xi * 0.25 == pytest.approx(ref["xi_times_W2"], rel=3 * precision + 0.005)
    assert abs(r.xi * 0.25 / 96.0 - 1.0) > 0.05  # resolves the anomaly


# --- algorithmic invariances ------------------------------------------------------------


@pytest.mark.parametrize(("dim", "width", "disorder"), [(2, 6, 5.0), (3, 4, 16.5)])
def test_independent_of_reorthogonalization_interval(dim: int, width: int, disorder: float):
    """Same realization, QR every 1, 2 or the (adapted) default number of slices."""
    fixed = {"min_length": 8 * 240, "max_length": 8 * 240}  # 8 blocks of 240 slices
    auto = localization_length(dim, disorder, 0.3, width=width, **fixed)
    assert auto.interval >= reorthogonalization_interval(dim, 0.3, disorder, "box") > 2
    for interval in (1, 2):
        r = localization_length(dim, disorder, 0.3, width=width, reorthogonalize=interval, **fixed)
        assert r.length == auto.length
        np.testing.assert_allclose(r.lyapunov, auto.lyapunov, rtol=INTERVAL_RTOL)


def test_width_one_strip_and_bar_reduce_to_chain() -> None:
    n_slices = 8 * math.lcm(16384, 240)  # whole blocks of chains (16384) and strips (240)
    fixed = {"min_length": n_slices, "max_length": n_slices, "chains": 8}
    chain = localization_length(1, 1.0, 0.5, **fixed)
    for dim in (2, 3):
        strip = localization_length(dim, 1.0, 0.5, width=1, reorthogonalize=16, **fixed)
        assert strip.length == chain.length
        assert strip.xi == pytest.approx(chain.xi, rel=1e-12)


def test_energy_sign_symmetry_statistical() -> None:
    """Box disorder is symmetric, so xi(E) = xi(-E) in distribution."""
    plus = localization_length(2, 3.0, 1.0, width=4, precision=0.01, seed=1)
    minus = localization_length(2, 3.0, -1.0, width=4, precision=0.01, seed=2)
    assert abs(plus.xi - minus.xi) < 4 * math.hypot(plus.xi_err, minus.xi_err)


def test_integer_flux_is_a_gauge_and_flux_breaks_time_reversal() -> None:
    fixed = {"min_length": 2400, "max_length": 2400, "reorthogonalize": 4}
    zero = localization_length(2, 4.0, 0.5, width=6, **fixed)
    one = localization_length(2, 4.0, 0.5, width=6, flux=1.0, **fixed)
    np.testing.assert_allclose(one.lyapunov, zero.lyapunov, rtol=1e-9)
    # Broken time reversal (orthogonal -> unitary) lengthens xi of a multichannel strip
    # (Dorokhov; Efetov-Larkin: up to a factor 2); 1.2 is > 8 standard errors away.
    plain = localization_length(2, 4.0, 0.5, width=8, precision=0.01)
    field = localization_length(2, 4.0, 0.5, width=8, flux=0.1, precision=0.01)
    assert field.xi / plain.xi > 1.2


# --- reproducibility and batching -------------------------------------------------------


def test_bit_reproducible_and_batched_equals_single() -> None:
    single = [localization_length(1, w, e, precision=0.01, seed=9) for w, e in [(1, 0.5), (2, 1)]]
    batch = localization_lengths(1, [1.0, 2.0], [0.5, 1.0], precision=0.01, seed=9)
    for a, b in zip(single, batch, strict=True):
        assert a.xi == b.xi and a.length == b.length and a.xi_err == b.xi_err
    again = localization_length(1, 1.0, 0.5, precision=0.01, seed=9)
    assert again.xi == single[0].xi
    other = localization_length(1, 1.0, 0.5, precision=0.01, seed=10)
    assert other.xi != single[0].xi


def test_batched_strips_over_widths() -> None:
    results = localization_lengths(2, 6.0, 0.0, width=[2, 4], precision=0.02)
    assert [r.width for r in results] == [2, 4]
    single = localization_length(2, 6.0, 0.0, width=4, precision=0.02)
    assert results[1].xi == single.xi


# --- progress hook and the size of a run known in advance -------------------------------


@pytest.mark.parametrize(("dim", "width", "flux"), [(1, 1, 0.0), (2, 6, 0.0), (3, 3, 0.25)])
def test_progress_hook_changes_no_bit_and_counts_every_slice(
    dim: int, width: int, flux: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Per-QR-interval kernel calls (forced here for small slices) give the same bits."""
    monkeypatch.setattr(transfer, "PROGRESS_SITES", 1)
    args = {"width": width, "flux": flux, "precision": 0.05, "seed": 3}
    plain = localization_length(dim, 4.0, 0.3, **args)
    seen: list[int] = []
    hooked = localization_length(dim, 4.0, 0.3, progress=seen.append, **args)
    np.testing.assert_array_equal(hooked.lyapunov, plain.lyapunov)
    assert hooked.xi == plain.xi and hooked.length == plain.length
    assert seen == sorted(seen) and seen[-1] == plain.length
    if dim > 1:  # finer than one block: reported within the first block already
        assert seen[0] < 240


def test_transfer_work_predicts_the_run_without_allocating() -> None:
    work = transfer_work(2, 5.0, 0.0, width=6)
    run = localization_length(2, 5.0, 0.0, width=6, precision=0.05)
    assert work.chains == run.chains == 1
    assert work.interval == reorthogonalization_interval(2, 0.0, 5.0, "box") <= run.interval
    assert work.min_length <= run.length <= work.max_length
    assert run.length % work.block == 0
    chain = transfer_work(1, 1.0, 0.5)
    assert (chain.chains, chain.interval, chain.state_numbers) == (8, 0, 16384)
    huge = transfer_work(3, 16.5, 0.0, width=100_000)  # 10^10 sites per slice: nothing built
    assert huge.n_sites == 10**10 and huge.state_numbers > 12 * 10**20
    assert transfer_work(2, 1.0, 0.0, width=4, flux=0.25).itemsize == 16
    with pytest.raises(ValueError, match="width"):
        transfer_work(1, 1.0, 0.5, width=3)


# --- literature: the 3D Anderson transition ---------------------------------------------


def test_3d_lambda_at_critical_disorder_matches_literature() -> None:
    ref = tomllib.loads((REFERENCES / "transfer_3d.toml").read_text())["anderson_box_E0"]
    for width in (4, 6):
        r = localization_length(3, ref["W_c"], 0.0, width=width, precision=0.01, seed=2)
        # Small bars carry irrelevant-scaling corrections of a few percent (Slevin-Ohtsuki).
        assert r.Lambda == pytest.approx(ref["Lambda_c"], rel=0.05)


def test_3d_lambda_grows_with_width_below_and_falls_above_transition() -> None:
    lam = {
        (m, w): localization_length(3, w, 0.0, width=m, precision=0.01, seed=m).Lambda
        for m in (4, 6)
        for w in (14.0, 19.0)
    }
    assert lam[(6, 14.0)] > lam[(4, 14.0)] * 1.04  # metal: Lambda increases with M
    assert lam[(6, 19.0)] < lam[(4, 19.0)] * 0.96  # insulator: Lambda decreases with M


# --- input validation -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "word"),
    [
        ({"width": 0, "dim": 2}, "width"),
        ({"disorder": -1.0}, "disorder"),
        ({"disorder": math.nan}, "disorder"),
        ({"energy": math.inf}, "energy"),
        ({"precision": 0.0}, "precision"),
        ({"precision": 1.5}, "precision"),
        ({"width": 3}, "width"),
        ({"flux": 0.1}, "flux"),
        ({"dim": 4}, "dim"),
        ({"kind": "cauchy"}, "kind"),
        ({"seed": -1}, "seed"),
        ({"boundary": "twisted", "dim": 2}, "boundary"),
        ({"reorthogonalize": 0, "dim": 2, "width": 2}, "reorthogonalize"),
        ({"chains": 0}, "chains"),
        ({"energy": 1e30}, "energy"),
        ({"disorder": 1e30}, "disorder"),
        ({"max_length": 0}, "max_length"),
    ],
)
def test_bad_input_raises_value_error_naming_parameter(kwargs: dict, word: str) -> None:
    args = {"dim": 1, "disorder": 1.0, "energy": 0.5} | kwargs
    with pytest.raises(ValueError, match=word):
        localization_length(**args)


@pytest.mark.parametrize(("dim", "width", "disorder"), [(1, 1, 1.0), (2, 4, 5.0)])
def test_error_bars_match_the_spread_over_seeds(dim: int, width: int, disorder: float) -> None:
    """The block-average xi_err is the real standard deviation of xi over seeds."""
    results = [
        localization_length(dim, disorder, 0.5, width=width, precision=0.02, seed=s)
        for s in range(24)
    ]
    xi = np.array([r.xi for r in results])
    err = np.array([r.xi_err for r in results])
    # 24 samples fix a standard deviation to ~15 %; bins add ~13 % scatter to xi_err.
    assert 0.6 < xi.std(ddof=1) / err.mean() < 1.6
    assert np.all(np.abs(xi - xi.mean()) < 4 * err)


@pytest.mark.parametrize(
    ("dim", "width", "boundary"),
    [(2, 1, "periodic"), (2, 2, "periodic"), (2, 5, "open"), (3, 2, "periodic"),
     (3, 3, "periodic"), (3, 4, "open")],
)  # fmt: skip
def test_propagating_channel_matches_the_slice_levels(dim: int, width: int, boundary: str):
    """Against the eigenvalues of the slice Hamiltonian the kernels apply."""
    levels = np.linalg.eigvalsh(slice_hamiltonian(dim, width, boundary))
    for energy in np.linspace(-8.0, 8.0, 161):
        expected = bool(np.any(np.abs(energy - levels) <= 2.0 + 1e-12))
        near_edge = np.min(np.abs(np.abs(energy - levels) - 2.0)) < 1e-9
        if not near_edge:
            assert propagating_channel(energy, dim, width, boundary) == expected, energy
