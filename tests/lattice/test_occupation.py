"""Fermi-Dirac occupations."""

import numpy as np
import pytest

from lattice.models.occupation import fermi_occupation


def test_zero_temperature_step_with_half_at_the_fermi_level() -> None:
    np.testing.assert_array_equal(fermi_occupation([-1.0, 0.5, 2.0], 0.5), [1.0, 0.5, 0.0])


def test_finite_temperature_is_the_fermi_function_and_particle_hole_symmetric() -> None:
    e = np.linspace(-3.0, 3.0, 13)
    f = fermi_occupation(e, 0.2, temperature=0.4)
    np.testing.assert_allclose(f, 1.0 / (np.exp((e - 0.2) / 0.4) + 1.0), rtol=1e-14)
    np.testing.assert_allclose(f + fermi_occupation(0.4 - e, 0.2, 0.4), 1.0, rtol=1e-15)


def test_small_temperature_approaches_the_step() -> None:
    e = np.array([-0.5, 0.5])
    np.testing.assert_allclose(fermi_occupation(e, 0.0, temperature=1e-3), [1.0, 0.0], atol=1e-200)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"fermi_energy": np.nan}, "fermi_energy"),
        ({"fermi_energy": 0.0, "temperature": -1.0}, "temperature"),
    ],
)
def test_bad_input_names_the_parameter(kwargs, name) -> None:
    with pytest.raises(ValueError, match=name):
        fermi_occupation([0.0], **kwargs)
