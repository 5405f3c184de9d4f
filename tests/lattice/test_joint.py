"""One diagonalization, several observables: equal to the separate calls."""

import numpy as np
import pytest

import lattice
from lattice.exact.joint import joint_observables

#: Same eigenpairs and the same sums: only BLAS blocking may differ.
SAME = 1e-12
OMEGA = np.linspace(0.1, 3.0, 7)


def test_joint_equals_separate_calls_on_the_full_spectrum() -> None:
    model = lattice.AndersonModel(dim=2, L=(6, 5), disorder=2.0)
    q = [[2 * np.pi / 6, 0.0], [0.0, 2 * np.pi / 5]]
    energies = np.linspace(-5.0, 5.0, 11)
    common = {"fermi_energy": 0.3, "temperature": 0.1, "realizations": [1, 3], "seed": 5}
    out = joint_observables(
        model,
        conductivity={"omega": OMEGA, "eta": 0.05, "kernel": "gaussian"},
        static_polarizability={},
        density_response={"q": q, "omega": OMEGA, "eta": 0.05},
        density_of_states={"energies": energies, "eta": 0.2},
        **common,
    )
    sigma = lattice.conductivity(model, OMEGA, eta=0.05, kernel="gaussian", **common)
    alpha = lattice.static_polarizability(model, **common)
    chi = lattice.density_response(model, q, OMEGA, eta=0.05, **common)
    dos = lattice.density_of_states(model, energies, eta=0.2, realizations=[1, 3], seed=5)
    np.testing.assert_allclose(out["conductivity"].values, sigma.values, rtol=SAME)
    np.testing.assert_allclose(out["static_polarizability"].values, alpha.values, rtol=SAME)
    np.testing.assert_allclose(out["density_response"].values, chi.values, rtol=SAME)
    np.testing.assert_allclose(out["density_response"].static.values, chi.static.values, rtol=SAME)
    np.testing.assert_allclose(out["density_of_states"].values, dos.values, rtol=SAME)
    np.testing.assert_array_equal(out["conductivity"].realizations, [1, 3])
    np.testing.assert_array_equal(out["density_response"].q, chi.q)


def test_windowed_sigma_and_position_alpha_match_separate_calls() -> None:
    model = lattice.AndersonModel(dim=2, L=(7, 4), disorder=3.0, boundary="open")
    common = {"fermi_energy": -0.4, "realizations": 2, "seed": 9}
    out = joint_observables(
        model,
        conductivity={"omega": OMEGA, "w_max": 1.5},
        static_polarizability={"route": "position", "w_max": 2.0},
        **common,
    )
    sigma = lattice.conductivity(model, OMEGA, w_max=1.5, **common)
    alpha = lattice.static_polarizability(model, route="position", w_max=2.0, **common)
    np.testing.assert_allclose(out["conductivity"].values, sigma.values, rtol=1e-10)
    np.testing.assert_allclose(out["static_polarizability"].values, alpha.values, rtol=1e-10)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({}, "at least one"),
    ({"conductivity": {"eta": 0.1}}, "omega"),
    ({"conductivity": {"omega": [1.0], "width": 0.1}}, "width"),
    ({"conductivity": {"omega": [1.0], "kernel": "box"}}, "kernel"),
    ({"conductivity": {"omega": [1.0], "w_max": -1.0}}, "w_max"),
    ({"conductivity": [1.0]}, "mapping"),
    ({"density_response": {"q": [[0.1, 0.0]], "omega": [1.0]}}, "0.1"),
    ({"density_of_states": {"energies": [0.0], "eta": -1.0}}, "eta"),
    ({"static_polarizability": {"route": "position"}}, "open"),
    ({"static_polarizability": {}, "fermi_energy": np.inf}, "fermi_energy"),
])  # fmt: skip
def test_bad_settings_raise_value_error_naming_them(kwargs, message) -> None:
    model = lattice.AndersonModel(dim=2, L=4, disorder=1.0)
    with pytest.raises(ValueError, match=message):
        joint_observables(model, realizations=1, **kwargs)
