"""Each observable kind of the registry returns exactly what the lattice function returns."""

from __future__ import annotations

import numpy as np
import pytest

import lattice
from batch.config import parse_config
from batch.sweep import plan_tasks
from batch.tasks import execute, params_of
from lattice.observables import OBSERVABLES

CONFIG = """\
[run]
seed = 9
realizations = 3
block_size = 3

[model]
dim = 2
L = 4
disorder = 1.5
fermi_energy = 0.3

[observables.conductivity]
omega = [0.5, 1.0]
eta = 0.1

[observables.density_response]
q = [1, 2]
omega = [0.0, 0.5]
eta = 0.1

[observables.static_polarizability]

[observables.density_of_states]
energies = [-1.0, 0.0, 1.0]
eta = 0.1

[observables.localization_length]
widths = [2, 4]
energies = [0.0, 0.5]
precision = 0.2
"""


ED_KINDS = ("conductivity", "density_response", "static_polarizability", "density_of_states")


def alone(name: str) -> str:
    """CONFIG with only the observable ``name``."""
    head, *tables = CONFIG.split("[observables.")
    return head + "".join("[observables." + t for t in tables if t.startswith(name))


@pytest.fixture(scope="module")
def single():
    """Each observable computed alone: {name: (task, result)}."""
    out = {}
    for name in OBSERVABLES:
        (task,) = plan_tasks(parse_config(alone(name)))
        out[name] = (task, execute(task))
    return out


def test_every_kind_is_tested(single) -> None:
    assert set(single) == set(OBSERVABLES)


def test_single_observable_tasks_equal_direct_lattice_calls(single) -> None:
    model = lattice.AndersonModel(dim=2, L=4, disorder=1.5)
    common = {"fermi_energy": 0.3, "realizations": 3, "seed": 9}
    sigma = lattice.conductivity(model, [0.5, 1.0], eta=0.1, **common)
    np.testing.assert_array_equal(single["conductivity"][1].arrays["conductivity"]["sigma"],
                                  sigma.values)  # fmt: skip
    q = np.array([[2 * np.pi / 4, 0.0], [np.pi, 0.0]])
    chi = lattice.density_response(model, q, [0.0, 0.5], eta=0.1, **common)
    arrays = single["density_response"][1].arrays["density_response"]
    np.testing.assert_array_equal(arrays["chi_real"], chi.dynamic.values.real)
    np.testing.assert_array_equal(arrays["chi_imag"], chi.dynamic.values.imag)
    np.testing.assert_array_equal(arrays["chi_static"], chi.static.values)
    alpha = lattice.static_polarizability(model, **common)
    np.testing.assert_array_equal(
        single["static_polarizability"][1].arrays["static_polarizability"]["alpha"], alpha.values
    )
    del common["fermi_energy"]
    dos = lattice.density_of_states(model, [-1.0, 0.0, 1.0], eta=0.1, **common)
    np.testing.assert_array_equal(
        single["density_of_states"][1].arrays["density_of_states"]["dos"], dos.values
    )


def test_lattice_observables_share_one_diagonalization() -> None:
    tasks = plan_tasks(parse_config(CONFIG))
    assert [t.observables for t in tasks] == [ED_KINDS, ("localization_length",)]
    result = execute(tasks[0])
    model = lattice.AndersonModel(dim=2, L=4, disorder=1.5)
    q = np.array([[2 * np.pi / 4, 0.0], [np.pi, 0.0]])
    joint = lattice.joint_observables(
        model, fermi_energy=0.3, realizations=[0, 1, 2], seed=9,
        conductivity={"omega": [0.5, 1.0], "eta": 0.1, "kernel": "lorentzian"},
        density_response={"q": q, "omega": [0.0, 0.5], "eta": 0.1},
        static_polarizability={},
        density_of_states={"energies": [-1.0, 0.0, 1.0], "eta": 0.1, "kernel": "lorentzian"},
    )  # fmt: skip
    arrays = result.arrays
    np.testing.assert_array_equal(arrays["conductivity"]["sigma"], joint["conductivity"].values)
    np.testing.assert_array_equal(
        arrays["density_response"]["chi_real"], joint["density_response"].dynamic.values.real
    )
    np.testing.assert_array_equal(
        arrays["static_polarizability"]["alpha"], joint["static_polarizability"].values
    )
    np.testing.assert_array_equal(
        arrays["density_of_states"]["dos"], joint["density_of_states"].values
    )


def test_conductivity_at_finite_temperature_is_not_joined() -> None:
    table = "\n\n[observables.density_response]"
    text = CONFIG.replace("eta = 0.1" + table, "eta = 0.1\ntemperature = 0.05" + table)
    groups = [t.observables for t in plan_tasks(parse_config(text))]
    assert ("conductivity",) in groups
    assert ("density_response", "static_polarizability", "density_of_states") in groups


def test_transfer_matrix_is_one_self_averaged_row(single) -> None:
    task, result = single["localization_length"]
    assert (task.start, task.stop) == (0, 1)
    for a, width in enumerate([2, 4]):
        for b, energy in enumerate([0.0, 0.5]):
            r = lattice.localization_length(
                dim=2, disorder=1.5, energy=energy, width=width, precision=0.2, seed=9
            )
            assert result.arrays["localization_length"]["xi"][0, a, b] == r.xi
            assert result.arrays["localization_length"]["xi_err"][0, a, b] == r.xi_err


def test_axes_match_output_shapes(single) -> None:
    for name, (task, result) in single.items():
        kind = OBSERVABLES[name]
        axes = kind.axes(params_of(task, name))
        for out, names in kind.outputs.items():
            expected = (task.stop - task.start, *(len(axes[a]) for a in names))
            assert result.arrays[name][out].shape == expected, (name, out)
