"""The observable declarations (lattice.observables) are consistent with the lattice API."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

import lattice
from lattice.exact.joint import OBSERVABLE_SETTINGS
from lattice.models.defaults import DEFAULT_ETA
from lattice.observables import OBSERVABLES, Observable, Point, Request, Setting


def test_one_default_eta_everywhere() -> None:
    for function in (
        lattice.conductivity,
        lattice.density_response,
        lattice.static_polarizability,
    ):
        assert inspect.signature(function).parameters["eta"].default == DEFAULT_ETA
    for name in ("conductivity", "density_response"):
        assert OBSERVABLE_SETTINGS[name]["eta"] == DEFAULT_ETA
    etas = [s.default for o in OBSERVABLES.values() for s in o.settings if s.name == "eta"]
    # conductivity, density_response, density_of_states, static_polarizability (kpm)
    assert len(etas) == 4 and set(etas) == {DEFAULT_ETA}


def test_joint_settings_are_settings_of_joint_observables() -> None:
    point = Point(dim=2, L=(4, 4), disorder=1.0, fermi_energy=0.0)
    for name, observable in OBSERVABLES.items():
        settings = {
            s.name: (s.default if s.default is not None else ()) for s in observable.all_settings
        }
        settings.update({"omega": (0.5,), "q": (1,), "energies": (0.0,)})
        joint = observable.joint(Request(point, settings))
        if joint is not None:
            assert set(joint) <= set(OBSERVABLE_SETTINGS[name]), name


def test_every_output_and_axis_has_a_unit() -> None:
    with pytest.raises(ValueError, match=r"no unit for \['x'\]"):
        Observable(
            name="bad", summary="", settings=(), outputs={"y": ("x",)}, units={"y": "t"},
            axes=lambda r: {"x": np.zeros(1)}, compute=lambda r, i, s: {},
        )  # fmt: skip


def test_engines_and_setting_kinds_are_checked() -> None:
    with pytest.raises(ValueError, match="engines must be among"):
        Observable(
            name="bad", summary="", settings=(), outputs={}, units={}, axes=lambda r: {},
            compute=lambda r, i, s: {}, engines=("gpu",),
        )  # fmt: skip
    with pytest.raises(ValueError, match="kind must be one of"):
        Setting("x", "complex")
    with pytest.raises(ValueError, match="not a choice"):
        Setting("x", "choice", "c", choices=("a", "b"))


def test_point_builds_the_model_of_its_parameters() -> None:
    point = Point(dim=2, L=(4, 6), disorder=1.5, fermi_energy=0.2, flux=0.25, kind="gaussian")
    model = point.model()
    assert model.shape == (4, 6) and model.flux == 0.25 and model.kind == "gaussian"
    np.testing.assert_array_equal(
        model.hamiltonian(realization=1, seed=3).toarray(),
        lattice.AndersonModel(dim=2, L=(4, 6), disorder=1.5, kind="gaussian", flux=0.25)
        .hamiltonian(realization=1, seed=3)
        .toarray(),
    )
