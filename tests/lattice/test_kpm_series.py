"""The one-call Chebyshev series (Clenshaw) of the KPM time steps against dense algebra."""

import numba
import numpy as np
import pytest
import scipy.linalg

from lattice.chebyshev import _stencil, kpm
from lattice.chebyshev.operators import StencilOperator
from lattice.models.model import AndersonModel

#: A series of ~40 terms on O(1) entries: Clenshaw's rounding grows like K eps.
TOL = 1e-13
#: e^{-iH dt} from the truncated Bessel series (terms below 1e-12 dropped) against expm.
PROPAGATOR_TOL = 1e-11

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
    {"dim": 3, "L": (3, 4, 2), "boundary": ("open", "periodic", "open"), "flux": 0.2},
]
POTENTIALS = [0.0, 0.15, -0.3]


def _rows(coefficients, ncol):
    """One series for every column, as the kernels take it: (K, ncol)."""
    return np.ascontiguousarray(np.broadcast_to(coefficients[:, None], (coefficients.size, ncol)))


def _block(n, ncol=3, seed=11):
    rng = np.random.default_rng(seed)
    return np.ascontiguousarray(rng.normal(size=(n, ncol)) + 1j * rng.normal(size=(n, ncol)))


@pytest.mark.parametrize("case", CASES, ids=str)
@pytest.mark.parametrize("parallel", [False, True])
def test_series_equals_dense_propagator(case, parallel, monkeypatch):
    if parallel:  # the parallel compilation types its loop index differently: check it too
        monkeypatch.setattr(_stencil, "PARALLEL_THRESHOLD", 0)
    model = AndersonModel(disorder=2.0, **case)
    op = StencilOperator(model, realization=1, seed=4)
    scale = op.chebyshev_scale()
    v = _block(model.n_sites)
    for dt in (0.3, 1.7):
        out = op.chebyshev_series(v, kpm.propagator_series(scale, dt), scale, POTENTIALS).copy()
        for k, potential in enumerate(POTENTIALS):
            h = model.hamiltonian(1, 4, vector_potential=potential).toarray()
            exact = scipy.linalg.expm(-1j * dt * h) @ v[:, k]
            assert np.abs(out[:, k] - exact).max() < PROPAGATOR_TOL
    # a general series, T_0 .. T_3 with complex weights
    a, b = scale
    h = (model.hamiltonian(1, 4).toarray() - b * np.eye(model.n_sites)) / a
    c = np.array([0.5, -0.25j, 0.3 + 0.1j, 0.7])
    t = [v, h @ v]
    t += [2 * h @ t[1] - t[0]]
    t += [2 * h @ t[2] - t[1]]
    expected = sum(ck * tk for ck, tk in zip(c, t, strict=True))
    assert np.abs(op.chebyshev_series(v, c, scale) - expected).max() < TOL
    assert np.array_equal(op.chebyshev_series(v, c[:1], scale), c[0] * v)


def test_series_bit_identical_for_block_and_threads():
    """4 columns take the parallel compilation, 1 column the serial one, on one thread."""
    model = AndersonModel(dim=2, L=(130, 128), disorder=2.0, flux=1 / 130)
    assert 4 * model.n_sites >= _stencil.PARALLEL_THRESHOLD > model.n_sites
    op = StencilOperator(model, realization=0, seed=1)
    scale = op.chebyshev_scale()
    coefficients = kpm.propagator_series(scale, 1.3)
    v = _block(model.n_sites, 4)
    full = op.chebyshev_series(v, coefficients, scale, [0.1, 0.2, 0.3, 0.4])
    threads = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        single = op.chebyshev_series(np.ascontiguousarray(v[:, 1:2]), coefficients, scale, [0.2])
    finally:
        numba.set_num_threads(threads)
    assert np.array_equal(full[:, 1:2], single)


REAL_CASES = [case for case in CASES if "flux" not in case and "twist" not in case]


@pytest.mark.parametrize("case", REAL_CASES, ids=str)
@pytest.mark.parametrize("parallel", [False, True])
def test_real_hamiltonian_series_is_bit_identical_to_complex_kernel(case, parallel, monkeypatch):
    """A real H~ takes the float-view kernel (no complex products): the same bits as the
    complex kernel with the same, real, bond coefficients."""
    if case["dim"] == 3:
        pytest.skip("3D lattices use the forward recursion")
    if parallel:
        monkeypatch.setattr(_stencil, "PARALLEL_THRESHOLD", 0)
    model = AndersonModel(disorder=2.0, **case)
    op = StencilOperator(model, realization=1, seed=4)
    scale = op.chebyshev_scale()
    v = _block(model.n_sites)
    taken = []
    real_series = _stencil.real_planar_series

    def spy(*args):
        taken.append(args[8:10])
        return real_series(*args)

    monkeypatch.setattr(_stencil, "real_planar_series", spy)
    coefficients = kpm.propagator_series(scale, 1.7)
    out = op.chebyshev_series(v, coefficients, scale).copy()
    assert len(taken) == 1
    co, ci = taken[0]
    lo, li = (1, model.n_sites) if model.dim == 1 else model.shape
    expected = _stencil.planar_series(
        v, np.empty_like(v), np.empty_like(v), op._scaled_diag, lo, li,
        bool(op.periodic[0]) and model.dim == 2, bool(op.periodic[model.dim - 1]),
        np.full(3, co, dtype=complex), np.full((lo, 3), ci, dtype=complex), _rows(coefficients, 3),
    )  # fmt: skip
    assert np.array_equal(out, expected)


@pytest.mark.parametrize(
    "shape, boundary",
    [
        ((4, 5), "periodic"),  # the smallest fused lattice: one chunk
        ((37, 6), ("open", "periodic")),  # two chunks of 18 and 19 rows
        ((130, 3), ("periodic", "open")),  # eight chunks, wrap-around between the ends
        ((129, 1), "open"),
    ],
    ids=str,
)
@pytest.mark.parametrize("parallel", [False, True])
def test_two_term_sweep_is_bit_identical_to_single_passes(shape, boundary, parallel, monkeypatch):
    """The temporally blocked Clenshaw sweep (two terms per pass, chunks of rows) against
    one term per pass, for even and odd series lengths."""
    if parallel:
        monkeypatch.setattr(_stencil, "PARALLEL_THRESHOLD", 0)
    model = AndersonModel(dim=2, L=shape, disorder=2.0, boundary=boundary)
    op = StencilOperator(model, realization=2, seed=3)
    scale = op.chebyshev_scale()
    v = _block(model.n_sites, 2)
    for coefficients in (kpm.propagator_series(scale, 2.3), kpm.propagator_series(scale, 0.4)):
        fused = op.chebyshev_series(v, coefficients, scale).copy()
        expected = _stencil.planar_series(
            v, np.empty_like(v), np.empty_like(v), op._scaled_diag, shape[0], shape[1],
            bool(op.periodic[0]), bool(op.periodic[1]), np.full(2, -1 / scale[0], complex),
            np.full((shape[0], 2), -1 / scale[0], complex), _rows(coefficients, 2),
        )  # fmt: skip
        assert coefficients.size > 4
        assert np.array_equal(fused, expected)


@pytest.mark.parametrize("case", CASES[:1] + CASES[5:], ids=str)
@pytest.mark.parametrize("parallel", [False, True])
def test_one_series_per_column_equals_separate_calls(case, parallel, monkeypatch):
    """Per-column coefficients (K, R), two series of different lengths (the band mode's
    g f and g (1 - f) in one block): the same bits as each column's own call."""
    if parallel:
        monkeypatch.setattr(_stencil, "PARALLEL_THRESHOLD", 0)
    model = AndersonModel(disorder=2.0, **case)
    op = StencilOperator(model, realization=1, seed=4)
    scale = op.chebyshev_scale()
    v = _block(model.n_sites, 4)
    series = [kpm.propagator_series(scale, 1.7), kpm.propagator_series(scale, 0.6)]
    assert series[0].size != series[1].size
    both = op.chebyshev_series(v, kpm._per_column(series, 2), scale).copy()
    for k in range(4):
        alone = op.chebyshev_series(np.ascontiguousarray(v[:, k : k + 1]), series[k // 2], scale)
        assert np.array_equal(both[:, k], alone[:, 0])
    with pytest.raises(ValueError, match="coefficients must have shape"):
        op.chebyshev_series(v, np.ones((3, 2)), scale)
