"""Raw engine data (lattice.raw): rebuilt sigma equals the engines, on new grids and kernels."""

from __future__ import annotations

import numpy as np
import pytest

import lattice
from lattice.chebyshev import _stencil
from lattice.chebyshev.kpm import DrudePeakWarning
from lattice.chebyshev.operators import StencilOperator
from lattice.models.model import AndersonModel
from lattice.raw import conductivity_from_raw, kpm_conductivity_raw, sparse_conductivity_raw

#: sparse window pairs vs the dense engine with the same w_max: the sparse residuals.
SPARSE_DENSE = 1e-10
#: The kpm time window ends where W(t) = 1e-8 (lattice.chebyshev.kpm._TRUNCATION): a recording made
#: for another eta or kernel holds more or fewer samples, a relative change of that order.
WINDOW_TRUNCATION = 1e-7
#: The same kpm samples, reduced per realization or stacked over realizations: rounding.
ROUNDING = 1e-13

CHAIN = AndersonModel(dim=1, L=(10,), disorder=2.0)
FERMI = -0.3


def _kpm_raw(
    temperature: float = 0.0, first: int = 0, count: int = 3, realization: int = 0, model=CHAIN
):
    return kpm_conductivity_raw(
        model, realization, 5, FERMI, temperature, 0.3, "lorentzian", 1.0, first, count
    )


def test_kpm_vectors_do_not_depend_on_their_grouping() -> None:
    whole = _kpm_raw()
    parts = [_kpm_raw(first=0, count=1), _kpm_raw(first=1, count=2)]
    for key in ("correlation", "kinetic"):
        assert np.array_equal(whole[key], np.concatenate([p[key] for p in parts]))
    assert whole["time_step"] == parts[1]["time_step"]


@pytest.mark.parametrize("boundary", ["periodic", "open"])  # three and two columns
def test_kpm_matrix_vector_products_are_counted_exactly(monkeypatch, boundary) -> None:
    counted = []
    original = StencilOperator._run

    def counting(self, out, vec, *args):
        counted.append(vec.shape[1])
        return original(self, out, vec, *args)

    def counting_series(series):  # the one-call Chebyshev series: K - 1 products
        def counted_series(vec, *args):
            counted.append((args[-1].shape[0] - 1) * vec.shape[1])
            return series(vec, *args)

        return counted_series

    monkeypatch.setattr(StencilOperator, "_run", counting)
    for name in ("planar_series", "real_planar_series"):  # complex and real H~
        monkeypatch.setattr(_stencil, name, counting_series(getattr(_stencil, name)))
    raw = _kpm_raw(count=2, model=AndersonModel(dim=1, L=(10,), disorder=2.0, boundary=boundary))
    assert raw["matrix-vector products"] == sum(counted)


def test_sparse_eigenpairs_are_counted() -> None:
    raw = sparse_conductivity_raw(CHAIN, 1, 5, FERMI, 0.0, 1.2)
    assert raw["eigenpairs"] == raw["window_energies"].size > 0
    assert np.all(np.abs(raw["window_energies"] - FERMI) <= 1.2)


def test_kpm_raw_gives_the_kpm_engine() -> None:
    omega = np.array([0.5, 1.0])
    raw = [_kpm_raw(realization=i) for i in range(2)]
    rebuilt = conductivity_from_raw("kpm", raw, CHAIN.n_sites, omega, 0.3, "lorentzian", 1.0)
    with pytest.warns(DrudePeakWarning):  # the periodic chain: raw data hold the same peak
        engine = lattice.conductivity(
            CHAIN, omega, fermi_energy=FERMI, eta=0.3, realizations=2, seed=5, engine="kpm",
            vectors=3,
        )  # fmt: skip
    np.testing.assert_allclose(rebuilt, engine.values, rtol=0, atol=ROUNDING)


@pytest.mark.parametrize(
    ("eta", "kernel"), [(0.3, "gaussian"), (0.45, "lorentzian")], ids=["kernel", "width"]
)
def test_kpm_raw_on_a_new_kernel_or_width_equals_a_new_run(eta, kernel) -> None:
    """At T > 0 the occupation does not depend on eta, so a wider broadening (or
    another kernel) of the same samples is what a new run at that width gives (a run
    with the same time step: the complex engine's, which the raw data record)."""
    omega = np.array([0.3, 0.7, 1.0])  # the recorded omega_max: the same time step
    raw = [_kpm_raw(temperature=0.05, realization=i) for i in range(2)]
    rebuilt = conductivity_from_raw("kpm", raw, CHAIN.n_sites, omega, eta, kernel, 1.0)
    with pytest.warns(DrudePeakWarning):
        fresh = lattice.complex_conductivity(
            CHAIN, omega, fermi_energy=FERMI, eta=eta, kernel=kernel, temperature=0.05,
            realizations=2, seed=5, engine="kpm", vectors=3,
        )  # fmt: skip
    scale = np.abs(fresh.values.real).max()
    np.testing.assert_allclose(rebuilt, fresh.values.real, rtol=0, atol=WINDOW_TRUNCATION * scale)


def test_kpm_raw_refuses_what_it_did_not_record() -> None:
    raw = [_kpm_raw()]
    with pytest.raises(ValueError, match="exceeds the recorded omega_max"):
        conductivity_from_raw("kpm", raw, CHAIN.n_sites, [1.5], 0.3, "lorentzian", 1.0)
    with pytest.raises(ValueError, match="needs correlations up to"):
        conductivity_from_raw("kpm", raw, CHAIN.n_sites, [0.5], 0.1, "lorentzian", 1.0)


def test_sparse_raw_on_a_new_grid_equals_dense_with_flux() -> None:
    model = AndersonModel(dim=2, L=(6, 6), disorder=1.5, flux=1 / 6)
    omega = np.array([0.1, 0.4, 0.8])
    raw = [sparse_conductivity_raw(model, i, 3, -0.5, 0.0, 1.0) for i in range(2)]
    for kernel, eta in (("lorentzian", 0.05), ("gaussian", 0.1), ("histogram", 0.1)):
        rebuilt = conductivity_from_raw("sparse", raw, model.n_sites, omega, eta, kernel)
        dense = lattice.conductivity(
            model, omega, fermi_energy=-0.5, eta=eta, kernel=kernel, realizations=2, seed=3,
            w_max=1.0,
        )  # fmt: skip
        np.testing.assert_allclose(rebuilt, dense.values, rtol=0, atol=SPARSE_DENSE)
