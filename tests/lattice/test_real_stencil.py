"""The real-H Chebyshev moment kernel against the plain CSR recursion; determinism."""

import numba
import numpy as np
import pytest

from lattice.chebyshev import _real_stencil, kpm
from lattice.chebyshev.operators import StencilOperator
from lattice.models.model import AndersonModel

#: |moment - CSR recursion| / <v|v>: |T_n| <= 1 bounds every moment by <v|v>, and the
#: two recursions differ only by rounding, which grows about linearly in n (n <= 41).
MOMENT_RTOL = 1e-12

CASES = [
    {"dim": 1, "L": 7},
    {"dim": 1, "L": 1},
    {"dim": 1, "L": 2},
    {"dim": 1, "L": 9, "boundary": "open"},
    {"dim": 2, "L": (6, 5)},
    {"dim": 2, "L": (5, 4), "boundary": "open", "kind": "gaussian"},
    {"dim": 2, "L": (2, 1)},
    {"dim": 2, "L": (1, 3)},
    {"dim": 2, "L": (3, 4), "boundary": ("open", "periodic")},
    {"dim": 3, "L": (3, 4, 2), "boundary": ("open", "periodic", "open")},
    {"dim": 3, "L": (4, 3, 5)},
    {"dim": 3, "L": (1, 2, 1)},
]


def _csr_moments(model, scale, vectors, moments):
    """<v|T_n(H~)|v> by the textbook recursion on the CSR matrix, one product per moment."""
    a, b = scale
    h = (model.hamiltonian(0, 3) - b * np.eye(model.n_sites)) / a
    out = np.zeros((vectors.shape[0], moments))
    for j, v in enumerate(vectors):
        previous, current = v, h @ v
        out[j, 0] = v @ v
        if moments > 1:
            out[j, 1] = v @ current
        for n in range(2, moments):
            previous, current = current, 2.0 * (h @ current) - previous
            out[j, n] = v @ current
    return out


def _run(model, vectors, moments, blocking=True):
    op = StencilOperator(model, realization=0, seed=3)
    periodic = [b == "periodic" for b in model.boundary]
    return _real_stencil.real_moments(
        vectors, op.onsite, model.shape, periodic, model.hopping, op.chebyshev_scale(), moments,
        blocking,
    )  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=str)
@pytest.mark.parametrize("moments", [41, 40, 5, 3, 2, 1])
def test_moments_equal_csr_recursion(case, moments):
    model = AndersonModel(disorder=2.0, **case)
    vectors = np.random.default_rng(5).normal(size=(3, model.n_sites))
    ours = _run(model, vectors, moments)
    op = StencilOperator(model, realization=0, seed=3)
    reference = _csr_moments(model, op.chebyshev_scale(), vectors, moments)
    scale = np.einsum("ji,ji->j", vectors, vectors)[:, None]
    assert np.abs(ours - reference).max() <= MOMENT_RTOL * scale.max()
    # one step per sweep gives the same bits as two (per-slab sums added in slab order)
    assert np.array_equal(ours, _run(model, vectors, moments, blocking=False))


def test_bit_identical_for_threads_and_blocks():
    model = AndersonModel(dim=2, L=(37, 29), disorder=1.5)
    vectors = np.random.default_rng(1).normal(size=(5, model.n_sites))
    threads = numba.get_num_threads()
    reference = _run(model, vectors, 33)
    try:
        numba.set_num_threads(1)
        serial = _run(model, vectors, 33)
    finally:
        numba.set_num_threads(threads)
    assert np.array_equal(reference, serial)
    one_by_one = np.concatenate([_run(model, vectors[j : j + 1], 33) for j in range(5)])
    assert np.array_equal(reference, one_by_one)


@pytest.mark.parametrize(
    "case", [{"dim": 2, "L": (6, 5)}, {"dim": 3, "L": (3, 2, 4), "boundary": "open"}], ids=str
)
def test_dos_moments_real_path_equals_complex_csr(case):
    """kpm.dos_moments on real H (real and imaginary parts separately) against the complex
    CSR recursion of the complex random-phase vectors."""
    model = AndersonModel(disorder=2.0, **case)
    op = StencilOperator(model, realization=0, seed=3)
    vectors = kpm.phase_vectors(3, 0, 0, 3, model.n_sites)
    ours = kpm.dos_moments(op, vectors, 21)
    a, b = op.chebyshev_scale()
    h = (model.hamiltonian(0, 3) - b * np.eye(model.n_sites)) / a
    reference = np.zeros_like(ours)
    for j in range(3):
        v = vectors[:, j]
        previous, current = v, h @ v
        reference[j, :2] = (np.vdot(v, v).real, np.vdot(v, current).real)
        for n in range(2, 21):
            previous, current = current, 2.0 * (h @ current) - previous
            reference[j, n] = np.vdot(v, current).real
    assert np.abs(ours - reference / model.n_sites).max() <= MOMENT_RTOL
