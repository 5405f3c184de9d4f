"""The sparse window engine (lattice.exact.sparse_window) against the dense engine."""

import os
import subprocess
import sys

import numpy as np
import pytest
import scipy.sparse as sp

import lattice
from lattice.exact import sparse_window
from lattice.exact.spectrum import diagonalize, diagonalize_matrix, sparse_window_spectrum
from lattice.models.seeding import EIGENSOLVER_STREAM, realization_rng

#: sparse == dense for every observable (issue 10): both are exact to rounding; the
#: sparse vectors carry residuals ~1e-12, entering the pair sums at ~residual / eta.
AGREEMENT = 1e-10
#: Eigenvalues of the two engines: both backward stable, errors ~ eps ||H|| ~ 1e-15.
EIGENVALUE_TOL = 1e-12
#: Orthonormality of the sparse vectors (within a shift by construction, across
#: shifts after the Rayleigh-Ritz at the cuts).
ORTHONORMALITY_TOL = 1e-11

SEED = 11
FERMI = -0.6
W_MAX = 0.3
DISORDER = 3.0

MODELS = {
    "1d-open": dict(dim=1, L=300, boundary="open"),
    "1d-periodic": dict(dim=1, L=300),
    "2d": dict(dim=2, L=20),
    "2d-flux": dict(dim=2, L=20, flux=1 / 20),
    "2d-twist-open-y": dict(dim=2, L=(20, 16), boundary=("periodic", "open"), twist=0.7),
    "3d": dict(dim=3, L=7),
    "3d-flux": dict(dim=3, L=7, flux=1 / 7),
}


def _model(name: str) -> lattice.AndersonModel:
    return lattice.AndersonModel(disorder=DISORDER, **MODELS[name])


def _relative(a, b) -> float:
    scale = max(float(np.abs(b).max()), 1e-300)
    return float(np.abs(np.asarray(a) - np.asarray(b)).max()) / scale


@pytest.mark.parametrize("name", sorted(MODELS))
def test_window_levels_match_dense(name: str) -> None:
    """Same levels as dense LAPACK in the window, orthonormal vectors, small residuals."""
    model = _model(name)
    window = (FERMI - W_MAX, FERMI + W_MAX)
    dense = diagonalize(model, 0, SEED, window)
    sparse = diagonalize(model, 0, SEED, window, engine="sparse")
    assert sparse.energies.size == dense.energies.size > 10
    np.testing.assert_allclose(sparse.energies, dense.energies, rtol=0, atol=EIGENVALUE_TOL)
    gram = sparse.vectors.conj().T @ sparse.vectors
    np.testing.assert_allclose(gram, np.eye(gram.shape[0]), rtol=0, atol=ORTHONORMALITY_TOL)
    assert sparse.residual <= sparse_window.RESIDUAL_LIMIT
    assert sparse.is_real == (not model.is_complex)
    assert sparse.solver.startswith("shift-invert block Lanczos")


@pytest.mark.parametrize("name", sorted(MODELS))
def test_conductivity_matches_dense(name: str) -> None:
    """Complex sigma(w <= w_max) and the window's alpha(0): sparse == dense."""
    model = _model(name)
    omega = np.linspace(0.01, W_MAX, 12)
    common = dict(fermi_energy=FERMI, eta=0.03, realizations=1, seed=SEED, w_max=W_MAX)
    dense = lattice.complex_conductivity(model, omega, **common).values
    sparse = lattice.complex_conductivity(model, omega, engine="sparse", **common).values
    assert _relative(sparse, dense) < AGREEMENT
    alpha = dict(fermi_energy=FERMI, realizations=1, seed=SEED, w_max=W_MAX)
    dense_alpha = lattice.static_polarizability(model, **alpha).values
    sparse_alpha = lattice.static_polarizability(model, engine="sparse", **alpha).values
    assert dense_alpha[0] > 0
    assert _relative(sparse_alpha, dense_alpha) < AGREEMENT


def test_real_conductivity_and_dynamic_polarizability_match_dense() -> None:
    model = _model("2d-flux")
    omega = np.linspace(0.02, W_MAX, 6)
    common = dict(fermi_energy=FERMI, eta=0.03, realizations=[1], seed=SEED, w_max=W_MAX)
    for observable in (lattice.conductivity, lattice.dynamic_polarizability):
        dense = observable(model, omega, **common).values
        sparse = observable(model, omega, engine="sparse", **common).values
        assert _relative(sparse, dense) < AGREEMENT


@pytest.mark.parametrize("name", ["1d-open", "1d-periodic", "2d-flux", "3d"])
def test_density_response_matches_dense(name: str) -> None:
    """chi(q, w) with pairs up to w_max, its static value and f-sum side: sparse == dense."""
    model = _model(name)
    q = np.zeros((1, model.dim))
    q[0, 0] = 2 * np.pi / model.shape[0]
    omega = np.linspace(0.0, W_MAX, 7)
    common = dict(fermi_energy=FERMI, eta=0.03, realizations=1, seed=SEED, w_max=W_MAX)
    dense = lattice.density_response(model, q, omega, **common)
    sparse = lattice.density_response(model, q, omega, engine="sparse", **common)
    assert _relative(sparse.values, dense.values) < AGREEMENT
    assert _relative(sparse.static.values, dense.static.values) < AGREEMENT
    assert _relative(sparse.f_sum.values, dense.f_sum.values) < AGREEMENT
    assert np.all(np.isnan(sparse.f_sum_kinetic.values))


def test_windowed_density_response_is_the_full_one_restricted() -> None:
    """Dense: chi with w_max on a window equals the full-spectrum pair sum restricted to
    the same pairs, i.e. w_max changes nothing when it exceeds the bandwidth."""
    model = _model("1d-periodic")
    q = [2 * np.pi / 300 * 3]
    omega = np.linspace(0.0, 1.0, 5)
    common = dict(fermi_energy=FERMI, eta=0.05, realizations=1, seed=SEED)
    full = lattice.density_response(model, q, omega, **common)
    wide = lattice.density_response(model, q, omega, w_max=20.0, **common)
    assert _relative(wide.values, full.values) < AGREEMENT
    narrow = lattice.density_response(model, q, omega, w_max=0.2, **common)
    assert _relative(narrow.values, full.values) > 1e-3  # the cut removes real weight


def test_joint_observables_sparse_matches_dense() -> None:
    model = _model("2d")
    requests = dict(
        conductivity={"omega": [0.05, 0.1, 0.2], "w_max": W_MAX},
        static_polarizability={"w_max": W_MAX},
        density_response={"q": [[2 * np.pi / 20, 0.0]], "omega": [0.1], "w_max": W_MAX},
    )
    common = dict(fermi_energy=FERMI, realizations=[2], seed=SEED, **requests)
    dense = lattice.joint_observables(model, **common)
    sparse = lattice.joint_observables(model, engine="sparse", **common)
    for name in ("conductivity", "static_polarizability"):
        assert _relative(sparse[name].values, dense[name].values) < AGREEMENT
    assert _relative(sparse["density_response"].values, dense["density_response"].values) < (
        AGREEMENT
    )


def test_many_shifts_and_counts(monkeypatch) -> None:
    """Several slices (small PER_SHIFT): levels and count equal dense; the cut
    Rayleigh-Ritz keeps the vectors orthonormal across shifts."""
    monkeypatch.setattr(sparse_window, "PER_SHIFT", 12)
    model = _model("2d-flux")
    hamiltonian = model.hamiltonian(0, SEED)
    window = (-1.5, -0.3)
    dense = diagonalize_matrix(hamiltonian, window)
    sparse = sparse_window_spectrum(hamiltonian, window, np.random.default_rng(5))
    shifts = int(sparse.solver.split("(")[1].split()[0])
    assert shifts >= 5
    assert sparse.energies.size == dense.energies.size
    np.testing.assert_allclose(sparse.energies, dense.energies, rtol=0, atol=EIGENVALUE_TOL)
    gram = sparse.vectors.conj().T @ sparse.vectors
    np.testing.assert_allclose(gram, np.eye(gram.shape[0]), rtol=0, atol=ORTHONORMALITY_TOL)
    # projector onto the window: basis-independent, compares the subspaces
    projector_dense = dense.vectors @ dense.vectors.conj().T
    projector_sparse = sparse.vectors @ sparse.vectors.conj().T
    assert np.abs(projector_sparse - projector_dense).max() < AGREEMENT


def test_inertia_counts_eigenvalues_below_the_shift() -> None:
    hamiltonian = _model("2d-flux").hamiltonian(0, SEED)
    energies = np.linalg.eigvalsh(hamiltonian.toarray())
    for shift in (-3.0, -0.4, 0.05, 2.2):
        factor = sparse_window._factorize(sp.csc_array(hamiltonian), shift).lu
        assert sparse_window.inertia(factor, shift) == np.count_nonzero(energies < shift)


def test_dropped_slice_is_caught(monkeypatch) -> None:
    """Losing one shift's levels (or any level) trips the Sylvester count check."""
    monkeypatch.setattr(sparse_window, "PER_SHIFT", 12)
    original = sparse_window._shift_pairs
    calls = []

    def drop_second(*args):
        energies, vectors = original(*args)
        calls.append(args[2])
        if len(calls) == 2:
            return energies[:0], vectors[:, :0]
        return energies, vectors

    monkeypatch.setattr(sparse_window, "_shift_pairs", drop_second)
    hamiltonian = _model("2d").hamiltonian(0, SEED)
    with pytest.raises(sparse_window.IncompleteWindowError, match="Sylvester inertia"):
        sparse_window.window_eigenpairs(
            hamiltonian, (-1.5, -0.3), np.random.default_rng(1), workers=1
        )


def test_missed_level_is_caught(monkeypatch) -> None:
    original = sparse_window._shift_pairs

    def drop_one(*args):
        energies, vectors = original(*args)
        return energies[1:], vectors[:, 1:]

    monkeypatch.setattr(sparse_window, "_shift_pairs", drop_one)
    hamiltonian = _model("1d-open").hamiltonian(0, SEED)
    with pytest.raises(sparse_window.IncompleteWindowError, match="were found"):
        sparse_window.window_eigenpairs(
            hamiltonian, (-0.9, -0.3), np.random.default_rng(1), workers=1
        )


def test_reproducible_and_seeded_from_the_eigensolver_stream() -> None:
    """Bit-identical on repetition; the start blocks come from the realization's own
    eigensolver stream, so the disorder stream is untouched."""
    model = _model("2d-flux")
    window = (FERMI - W_MAX, FERMI + W_MAX)
    first = diagonalize(model, 1, SEED, window, engine="sparse")
    ordering = sparse_window.nested_dissection(model.shape, [True, True])
    again = sparse_window_spectrum(
        model.hamiltonian(1, SEED),
        window,
        realization_rng(SEED, 1, EIGENSOLVER_STREAM),
        ordering=ordering,
    )
    np.testing.assert_array_equal(first.energies, again.energies)
    np.testing.assert_array_equal(first.vectors, again.vectors)


def test_bit_identical_for_any_worker_count(monkeypatch) -> None:
    """Several shifts on 1 and 2 worker processes: identical arrays, equal to dense."""
    monkeypatch.setattr(sparse_window, "PER_SHIFT", 12)
    hamiltonian = _model("2d-flux").hamiltonian(0, SEED)
    window = (FERMI - W_MAX, FERMI + W_MAX)
    serial, parallel = (
        sparse_window.window_eigenpairs(hamiltonian, window, np.random.default_rng(3), workers)
        for workers in (1, 2)
    )
    assert int(serial.solver.split("(")[1].split()[0]) >= 3
    np.testing.assert_array_equal(serial.energies, parallel.energies)
    np.testing.assert_array_equal(serial.vectors, parallel.vectors)
    assert serial.residual == parallel.residual
    dense = diagonalize_matrix(hamiltonian, window)
    np.testing.assert_allclose(parallel.energies, dense.energies, rtol=0, atol=EIGENVALUE_TOL)


def test_last_shifts_run_alone() -> None:
    """Shifts whose levels would leave less than one workspace of the window array
    unwritten run one at a time; small results run all shifts concurrently."""
    expected = [10.0] * 6
    assert sparse_window._parallel_shifts(expected, 25.0, 2, 2**40) == 3
    assert sparse_window._parallel_shifts(expected, 25.0, 3, 2**40) == 1
    assert sparse_window._parallel_shifts(expected, 1e9, 2, 2**40) == 0
    assert sparse_window._parallel_shifts(expected, 25.0, 1, 2**40) == 6
    assert sparse_window._parallel_shifts(expected, 25.0, 2, 1) == 6


def test_serial_tail_is_bit_identical(monkeypatch) -> None:
    """Two shifts concurrent, the last ones alone: the eigenpairs of one worker, bit
    for bit."""
    monkeypatch.setattr(sparse_window, "PER_SHIFT", 12)
    monkeypatch.setattr(sparse_window, "_parallel_shifts", lambda *args: 2)
    hamiltonian = _model("2d").hamiltonian(0, SEED)
    window = (FERMI - W_MAX, FERMI + W_MAX)
    serial, parallel = (
        sparse_window.window_eigenpairs(hamiltonian, window, np.random.default_rng(3), workers)
        for workers in (1, 2)
    )
    assert int(serial.solver.split("(")[1].split()[0]) >= 4
    np.testing.assert_array_equal(serial.energies, parallel.energies)
    np.testing.assert_array_equal(serial.vectors, parallel.vectors)


_HASH_SCRIPT = """
import hashlib, lattice
from lattice.exact.spectrum import diagonalize
m = lattice.AndersonModel(dim=2, L=40, disorder=3.0, flux=1 / 40)
s = diagonalize(m, 0, 7, (-1.1, -0.9), engine="sparse")
r = lattice.conductivity(m, [0.05, 0.1], fermi_energy=-1.0, eta=0.01, realizations=1,
                         seed=7, w_max=0.1, engine="sparse")
print(hashlib.sha256(s.energies.tobytes() + s.vectors.tobytes() + r.values.tobytes()).hexdigest())
"""


@pytest.mark.slow
def test_bit_identical_for_any_blas_thread_count() -> None:
    """DESIGN.md section 3: the same eigenpairs and sigma with 1 and 2 BLAS threads."""
    digests = set()
    for threads in ("1", "2"):
        env = {**os.environ, "OPENBLAS_NUM_THREADS": threads, "OMP_NUM_THREADS": threads}
        run = subprocess.run(
            [sys.executable, "-c", _HASH_SCRIPT], env=env, capture_output=True, text=True
        )
        assert run.returncode == 0, run.stderr
        digests.add(run.stdout.strip())
    assert len(digests) == 1


@pytest.mark.parametrize(
    "shape, periodic",
    [((300,), (False,)), ((300,), (True,)), ((20, 16), (True, False)), ((7, 2, 1), (True,) * 3),
     ((3, 9), (True, True)), ((64, 64), (True, True))],
)  # fmt: skip
def test_nested_dissection_is_a_permutation_that_reduces_fill(shape, periodic) -> None:
    """Every site once; on the 2D torus the factors of H - s in this order have less
    fill than in the natural (banded, bandwidth L) order, and the same inertia."""
    model = lattice.AndersonModel(
        dim=len(shape), L=shape, disorder=DISORDER,
        boundary=["periodic" if p else "open" for p in periodic],
    )  # fmt: skip
    ordering = sparse_window.nested_dissection(shape, periodic)
    np.testing.assert_array_equal(np.sort(ordering), np.arange(model.n_sites))
    if shape != (64, 64):
        return
    matrix = sp.csc_array(model.hamiltonian(0, SEED))
    natural = np.arange(model.n_sites)
    nested, banded = (
        sparse_window._factorize(sparse_window._permuted(matrix, order), FERMI, order)
        for order in (ordering, natural)
    )
    assert nested.nonzeros < 0.6 * banded.nonzeros
    assert sparse_window.inertia(nested.lu) == sparse_window.inertia(banded.lu)
    rhs = np.random.default_rng(0).standard_normal((model.n_sites, 2))
    np.testing.assert_allclose(nested.solve(rhs), banded.solve(rhs), rtol=1e-9, atol=1e-9)


def test_empty_window() -> None:
    model = _model("2d")
    spectrum = diagonalize(model, 0, SEED, (20.0, 21.0), engine="sparse")
    assert spectrum.energies.size == 0
    assert spectrum.vectors.shape == (model.n_sites, 0)
    omega = [0.1, 0.2]
    r = lattice.conductivity(
        model, omega, fermi_energy=20.5, realizations=1, w_max=0.5, engine="sparse"
    )
    np.testing.assert_array_equal(r.values, 0.0)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda m: lattice.conductivity(m, [0.1], realizations=1, engine="sparse"), "w_max"),
        (
            lambda m: lattice.conductivity(m, [0.1], realizations=1, engine="kpm", w_max=0.5),
            "kpm",
        ),
        (lambda m: lattice.conductivity(m, [0.1], realizations=1, engine="lapack"), "engine"),
        (lambda m: lattice.static_polarizability(m, realizations=1, engine="sparse"), "w_max"),
        (lambda m: lattice.density_response(m, [[0.0, 0.0]], [0.1], engine="sparse"), "w_max"),
        (lambda m: lattice.density_of_states(m, [0.0], eta=0.1, engine="sparse"), "whole"),
        (lambda m: diagonalize(m, 0, 1, None, engine="sparse"), "window"),
        (
            lambda m: lattice.joint_observables(
                m, conductivity={"omega": [0.1]}, engine="sparse", realizations=1
            ),
            "w_max",
        ),
        (
            lambda m: sparse_window.window_eigenpairs(m.hamiltonian(), (1.0, 0.0), None),
            "emin < emax",
        ),
        (
            lambda m: sparse_window.window_eigenpairs(m.hamiltonian(), (0.0, 1.0), 3),
            "Generator",
        ),
        (
            lambda m: diagonalize(m, 0, 1, (0.0, 1.0), engine="sparse", workers=0),
            "workers must be a positive integer",
        ),
    ],
)
def test_bad_input_is_refused(call, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        call(lattice.AndersonModel(dim=2, L=6, disorder=1.0))


@pytest.mark.slow
def test_larger_lattice_several_shifts_matches_dense() -> None:
    """2D L = 56 with flux (N = 3136), window of ~170 levels over 3 default-size shifts:
    Re sigma(w <= w_max) and the window alpha(0) equal the dense engine's."""
    model = lattice.AndersonModel(dim=2, L=56, disorder=DISORDER, flux=1 / 56)
    omega = np.linspace(0.005, 0.15, 20)
    common = dict(fermi_energy=-1.0, eta=0.01, realizations=1, seed=SEED, w_max=0.15)
    dense = lattice.complex_conductivity(model, omega, **common).values
    sparse = lattice.complex_conductivity(model, omega, engine="sparse", **common).values
    assert _relative(sparse, dense) < AGREEMENT
    spectrum = diagonalize(model, 0, SEED, (-1.15, -0.85), engine="sparse")
    assert int(spectrum.solver.split("(")[1].split()[0]) >= 2


def test_shift_moved_off_a_close_level(monkeypatch) -> None:
    """A shift found too close to a level is moved and refactorized; the result and the
    inertia bookkeeping stay exact."""
    original = sparse_window._shift_pairs
    calls = []

    def first_too_close(*args):
        calls.append(args[2])
        if len(calls) == 1:
            raise sparse_window._ShiftTooClose(args[2])
        return original(*args)

    monkeypatch.setattr(sparse_window, "_shift_pairs", first_too_close)
    hamiltonian = _model("2d-flux").hamiltonian(0, SEED)
    window = (FERMI - W_MAX, FERMI + W_MAX)
    sparse = sparse_window_spectrum(hamiltonian, window, np.random.default_rng(2), workers=1)
    dense = diagonalize_matrix(hamiltonian, window)
    assert len(calls) == 2 and calls[1] != calls[0]
    np.testing.assert_allclose(sparse.energies, dense.energies, rtol=0, atol=EIGENVALUE_TOL)


def test_probe_detects_a_level_at_the_shift() -> None:
    """A shift 1e-9 from a level is reported as too close after the probe blocks."""
    hamiltonian = sp.csc_array(_model("2d").hamiltonian(0, SEED))
    level = np.linalg.eigvalsh(hamiltonian.toarray())[150]
    shift = level + 1e-9
    factor = sparse_window._factorize(hamiltonian, shift)
    with pytest.raises(sparse_window._ShiftTooClose):
        sparse_window._shift_pairs(
            hamiltonian, factor, shift, 0.1, 0.1, 20, np.random.default_rng(0), 10.0, 1e-4
        )


def test_inertia_read_in_place_only_where_the_window_has_room(monkeypatch) -> None:
    """Reading U leaves CSC copies of both factors in the factorization (0.34 GB at
    L = 512): the leading shifts that :func:`_inertia_in_place` allows count on the
    factorization Lanczos keeps, every later one on a factorization of its own, and
    the levels are those of the dense engine either way."""
    monkeypatch.setattr(sparse_window, "PER_SHIFT", 12)
    monkeypatch.setattr(
        sparse_window, "_inertia_in_place", lambda expected, *args: np.arange(len(expected)) < 2
    )
    counted, solved = [], []
    original_inertia, original_pairs = sparse_window.inertia, sparse_window._shift_pairs

    def recording_inertia(factor, shift=np.nan):
        counted.append(factor)  # kept alive, so identities stay unique
        return original_inertia(factor, shift)

    def recording_pairs(*args):
        solved.append(args[1].lu)
        return original_pairs(*args)

    monkeypatch.setattr(sparse_window, "inertia", recording_inertia)
    monkeypatch.setattr(sparse_window, "_shift_pairs", recording_pairs)
    hamiltonian = _model("2d").hamiltonian(0, SEED)
    window = (FERMI - W_MAX, FERMI + W_MAX)
    sparse = sparse_window.window_eigenpairs(hamiltonian, window, np.random.default_rng(4), 1)
    assert len(solved) >= 4
    assert len(counted) == len(solved) + 2  # one per shift and one per window end
    read = {id(lu) for lu in counted}
    assert [id(lu) in read for lu in solved] == [True, True] + [False] * (len(solved) - 2)
    dense = diagonalize_matrix(hamiltonian, window)
    np.testing.assert_allclose(sparse.energies, dense.energies, rtol=0, atol=EIGENVALUE_TOL)


def test_inertia_in_place_leaves_the_peak_to_the_window() -> None:
    """A concurrent shift j may keep the copies (``cache``) if the levels of the shifts
    not yet started while it runs (from j + workers on) cover ``workers`` workspaces
    with copies less one workspace; a shift running alone if its own and the later
    levels cover the copies; small results always."""
    expected = [10.0] * 6

    def mask(workspace, cache, workers, result, parallel):
        return sparse_window._inertia_in_place(
            expected, workspace, cache, workers, result, parallel
        ).tolist()

    yes, no = True, False
    assert mask(25.0, 5.0, 2, 2**40, 6) == [yes, no, no, no, no, no]
    assert mask(25.0, 0.0, 2, 2**40, 6) == [yes, yes, no, no, no, no]
    assert mask(25.0, 5.0, 1, 2**40, 6) == [yes, yes, yes, yes, yes, no]
    assert mask(25.0, 15.0, 2, 2**40, 3) == [no, no, no, yes, yes, no]
    assert mask(25.0, 1e9, 2, 2**40, 3) == [no] * 6
    assert mask(25.0, 1e9, 2, 1, 3) == [yes] * 6


@pytest.mark.parametrize("name", ["2d", "2d-flux"])
def test_residual_in_column_chunks_equals_the_direct_one(name: str) -> None:
    """max ||Hx - ex|| over column chunks of any width (memory O(N chunk)) equals the
    one-shot N x k computation: every column's arithmetic is the same, only NumPy's
    summation order of a strided column's squares may differ (relative 1e-12)."""
    hamiltonian = sp.csc_array(_model(name).hamiltonian(0, SEED))
    spectrum = diagonalize_matrix(hamiltonian, (FERMI - W_MAX, FERMI + W_MAX))
    energies, vectors = spectrum.energies, spectrum.vectors
    direct = np.linalg.norm(hamiltonian @ vectors - vectors * energies, axis=0).max()
    assert 0.0 < direct < 1e-12  # dense eigenpairs: residual ~ eps ||H||
    for chunk in (1, 3, 16, energies.size):
        chunked = sparse_window._max_residual(hamiltonian, energies, vectors, chunk)
        np.testing.assert_allclose(chunked, direct, rtol=1e-12, atol=0)
