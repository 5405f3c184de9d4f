"""The matrix-free stencil against the CSR matrices of AndersonModel."""

import numba
import numpy as np
import pytest

from lattice.chebyshev import _stencil
from lattice.chebyshev.operators import SPECTRUM_MARGIN, StencilOperator
from lattice.models.model import AndersonModel

#: Stencil vs CSR on O(1) entries: only rounding of a few-term sum differs.
TOL = 1e-13

CASES = [
    {"dim": 1, "L": 7},
    {"dim": 1, "L": 2},
    {"dim": 1, "L": 1},
    {"dim": 1, "L": 6, "boundary": "open"},
    {"dim": 1, "L": 9, "twist": 0.7},
    {"dim": 2, "L": (4, 6), "flux": 0.25, "twist": 0.3},
    {"dim": 2, "L": (2, 2)},
    {"dim": 2, "L": (2, 3), "boundary": ("periodic", "open"), "kind": "gaussian"},
    {"dim": 2, "L": 5, "boundary": "open", "flux": 0.13},
    {"dim": 2, "L": (3, 1), "twist": 1.0},
    {"dim": 3, "L": (4, 2, 3), "flux": 0.5, "kind": "gaussian"},
    {"dim": 3, "L": (1, 2, 1)},
    {"dim": 3, "L": (3, 4, 2), "boundary": ("open", "periodic", "open"), "flux": 0.2},
    {"dim": 2, "L": 4, "kind": "constant"},
]


def _block(n, rng, ncol=3):
    return np.ascontiguousarray(rng.normal(size=(n, ncol)) + 1j * rng.normal(size=(n, ncol)))


@pytest.mark.parametrize("case", CASES, ids=str)
def test_operators_equal_csr(case):
    model = AndersonModel(disorder=2.0, **case)
    op = StencilOperator(model, realization=3, seed=7)
    v = _block(model.n_sites, np.random.default_rng(11))
    assert np.abs(op.hamiltonian(v) - model.hamiltonian(3, 7) @ v).max() < TOL
    for axis in range(model.dim):
        assert np.abs(op.current(v, axis) - model.current_operator(axis) @ v).max() < TOL
        assert np.abs(op.kinetic(v, axis) - model.kinetic_operator(axis) @ v).max() < TOL


@pytest.mark.parametrize("case", CASES, ids=str)
def test_parallel_kernels_equal_csr(case, monkeypatch):
    """The parallel compilations (used for N x R >= PARALLEL_THRESHOLD) on the same cases:
    numba types their loop index differently, so they must be compiled and checked too."""
    monkeypatch.setattr(_stencil, "PARALLEL_THRESHOLD", 0)
    test_operators_equal_csr(case)


@pytest.mark.parametrize("case", [CASES[5], CASES[1], CASES[10]], ids=str)
def test_vector_potential_per_column(case):
    model = AndersonModel(disorder=1.0, **case)
    op = StencilOperator(model, realization=0, seed=2)
    v = _block(model.n_sites, np.random.default_rng(3))
    potentials = [0.1, -0.2, 0.35]
    expected = np.stack(
        [model.hamiltonian(0, 2, vector_potential=a) @ v[:, k] for k, a in enumerate(potentials)],
        axis=1,
    )
    assert np.abs(op.hamiltonian(v, vector_potential=potentials) - expected).max() < TOL


def test_chebyshev_step_and_accumulate():
    model = AndersonModel(dim=2, L=(5, 4), disorder=3.0, flux=0.2)
    op = StencilOperator(model, realization=1, seed=4)
    a, b = op.chebyshev_scale()
    h = (model.hamiltonian(1, 4).toarray() - b * np.eye(model.n_sites)) / a
    v = _block(model.n_sites, np.random.default_rng(5), 2)
    t0, t1 = v.copy(), np.empty_like(v)
    acc = 0.5 * t0
    op.chebyshev_step(t0, t1, (a, b), first=True, accumulate=acc, weight=0.25)
    t0, t1 = t1, t0  # t0 = T1 v, t1 = T0 v
    op.chebyshev_step(t0, t1, (a, b), accumulate=acc, weight=-0.5)  # t1 = T2 v
    t2 = 2 * h @ (h @ v) - v
    assert np.abs(t1 - t2).max() < TOL
    assert np.abs(acc - (0.5 * v + 0.25 * h @ v - 0.5 * t2)).max() < TOL


def test_spectral_bounds_contain_spectrum():
    for case in CASES:
        model = AndersonModel(disorder=4.0, **case)
        op = StencilOperator(model, realization=0, seed=9)
        energies = np.linalg.eigvalsh(model.hamiltonian(0, 9).toarray())
        low, high = op.spectral_bounds()
        slack = 1e-12 * (1.0 + high - low)  # eigvalsh rounding at the exact bound
        assert low - slack <= energies.min() and energies.max() <= high + slack
        a, b = op.chebyshev_scale()
        assert np.all(np.abs((energies - b) / a) <= 1.0 - SPECTRUM_MARGIN + 1e-12)


def test_block_dot_matches_reference_and_is_thread_independent():
    rng = np.random.default_rng(8)
    left, right = (
        _block(3 * _stencil.DOT_CHUNK + 17, rng, 4),
        _block(3 * _stencil.DOT_CHUNK + 17, rng, 4),
    )
    expected = _stencil.reference_block_dot(left, right)
    assert np.allclose(_stencil.block_dot(left, right), expected, rtol=TOL, atol=0)
    weight = rng.normal(size=left.shape[0])  # a diagonal operator (the positions)
    weighted = _stencil.reference_block_dot(left, right, weight)
    assert np.allclose(_stencil.block_dot(left, right, weight), weighted, rtol=TOL, atol=0)
    assert not np.allclose(weighted, expected, rtol=TOL, atol=0)
    threads = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        serial = _stencil.block_dot(left, right)
        serial_weighted = _stencil.block_dot(left, right, weight)
        serial_apply = StencilOperator(AndersonModel(2, 40, 1.0)).hamiltonian(left[:1600].copy())
    finally:
        numba.set_num_threads(threads)
    assert np.array_equal(serial, _stencil.block_dot(left, right))
    assert np.array_equal(serial_weighted, _stencil.block_dot(left, right, weight))
    parallel_apply = StencilOperator(AndersonModel(2, 40, 1.0)).hamiltonian(left[:1600].copy())
    assert np.array_equal(serial_apply, parallel_apply)


def test_bad_block_rejected():
    op = StencilOperator(AndersonModel(dim=1, L=4))
    with pytest.raises(ValueError, match="complex128"):
        op.hamiltonian(np.ones((4, 1)))
    with pytest.raises(ValueError, match="onsite"):
        StencilOperator(AndersonModel(dim=1, L=4), onsite=np.zeros(3))


def _kernel_pairs():
    names = [
        name
        for name in dir(_stencil)
        if name.endswith("_parallel")
        and hasattr(_stencil, name.removesuffix("_parallel") + "_serial")
    ]
    return [
        (getattr(_stencil, n), getattr(_stencil, n.replace("_parallel", "_serial"))) for n in names
    ]


def test_parallel_and_serial_kernels_have_their_own_cache_entries():
    """numba names a cache entry by the function's qualified name and signature, not by
    ``parallel``: each compilation needs its own name (``_stencil._compilations``)."""
    pairs = _kernel_pairs()
    assert len(pairs) >= 8
    for parallel, serial in pairs:
        assert parallel.targetoptions.get("parallel") and not serial.targetoptions.get("parallel")
        assert parallel.py_func.__qualname__ != serial.py_func.__qualname__


PROBE = """
import numpy as np
from lattice.chebyshev import _stencil as s
n, r = 64, 2
v = np.ones((n * n, 2 * r))
a, b, c = v.copy(), v.copy(), np.ones(r, complex)
args = (a, b, a, v, np.zeros(n * n), n, n, False, True, -0.2, -0.2, 2.0, c, 3)
s._real_pass_serial(*args)  # compiled and cached first, as a small lattice does
s._real_pass_parallel(*args)
print("do_scheduling" in "".join(s._real_pass_parallel.inspect_llvm().values()))
"""


def test_the_parallel_kernel_is_not_the_cached_serial_one(tmp_path):
    """With an empty cache, the serial kernel compiled (and saved) first must not be
    loaded for the parallel one: the parallel one is compiled, with its thread scheduling
    (cached code cannot be inspected, so a shared entry prints False)."""
    import os
    import subprocess
    import sys

    environment = os.environ | {"NUMBA_CACHE_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", PROBE], capture_output=True, text=True,
        env=environment, check=True,
    )  # fmt: skip
    assert result.stdout.strip() == "True"
