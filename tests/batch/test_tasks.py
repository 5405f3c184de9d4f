"""Each observable kind of the registry returns exactly what the lattice function returns."""

from __future__ import annotations

import numpy as np
import pytest

import lattice
from batch.config import parse_config
from batch.sweep import plan_tasks
from batch.tasks import OBSERVABLES, execute, params_of

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


@pytest.fixture(scope="module")
def results():
    config = parse_config(CONFIG)
    return {task.observable: (task, execute(task)) for task in plan_tasks(config)}


def test_every_kind_is_tested(results) -> None:
    assert set(results) == set(OBSERVABLES)


def test_results_equal_direct_lattice_calls(results) -> None:
    model = lattice.AndersonModel(dim=2, L=4, disorder=1.5)
    common = {"realizations": 3, "seed": 9}
    sigma = lattice.conductivity(model, [0.5, 1.0], fermi_energy=0.3, eta=0.1, **common)
    np.testing.assert_array_equal(results["conductivity"][1].arrays["sigma"], sigma.values)
    q = np.array([[2 * np.pi / 4, 0.0], [np.pi, 0.0]])
    chi = lattice.density_response(model, q, [0.0, 0.5], fermi_energy=0.3, eta=0.1, **common)
    arrays = results["density_response"][1].arrays
    np.testing.assert_array_equal(arrays["chi_real"], chi.dynamic.values.real)
    np.testing.assert_array_equal(arrays["chi_imag"], chi.dynamic.values.imag)
    np.testing.assert_array_equal(arrays["chi_static"], chi.static.values)
    alpha = lattice.static_polarizability(model, fermi_energy=0.3, **common)
    np.testing.assert_array_equal(
        results["static_polarizability"][1].arrays["alpha"], alpha.values
    )
    dos = lattice.density_of_states(model, [-1.0, 0.0, 1.0], eta=0.1, **common)
    np.testing.assert_array_equal(results["density_of_states"][1].arrays["dos"], dos.values)


def test_transfer_matrix_is_one_self_averaged_row(results) -> None:
    task, result = results["localization_length"]
    assert (task.start, task.stop) == (0, 1)
    for a, width in enumerate([2, 4]):
        for b, energy in enumerate([0.0, 0.5]):
            r = lattice.localization_length(
                dim=2, disorder=1.5, energy=energy, width=width, precision=0.2, seed=9
            )
            assert result.arrays["xi"][0, a, b] == r.xi
            assert result.arrays["xi_err"][0, a, b] == r.xi_err


def test_axes_match_output_shapes(results) -> None:
    for name, (task, result) in results.items():
        kind = OBSERVABLES[name]
        axes = kind.axes(params_of(task))
        for out, names in kind.outputs.items():
            expected = (task.stop - task.start, *(len(axes[a]) for a in names))
            assert result.arrays[out].shape == expected, (name, out)
