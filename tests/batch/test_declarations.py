"""Observables are declared once (lattice.observables): a toy one needs nothing else.

The toy observable below is one :class:`lattice.observables.Observable`; the
config table, the task, the archive group (with units), the reader and
``vwloc show`` all follow from it. Its values are checked exactly against the
site energies they are computed from.
"""

from __future__ import annotations

from collections.abc import Sequence

import h5py
import numpy as np
import pytest

from batch.archive import read_archive
from batch.commands.show import describe
from batch.config import ConfigError, parse_config, to_toml
from batch.executors import SerialExecutor
from batch.runner import run_sweep
from batch.sweep import plan_tasks
from batch.tasks import execute
from lattice import AndersonModel
from lattice.observables import OBSERVABLES, Observable, Point, Request, Setting

#: eps**k by repeated products vs numpy's power of an array: equal to rounding.
ROUNDING = 1e-14


def _moments(request: Request, realizations: Sequence[int], seed: int) -> dict:
    """Moments <eps^k> of the site energies of each realization, times ``scale``."""
    model = request.model()
    powers = np.asarray(request.settings["powers"])
    eps = np.array([model.onsite_energies(i, seed) for i in realizations])
    return {"moment": request.settings["scale"] * (eps[:, :, None] ** powers).mean(axis=1)}


#: The one declaration of the toy observable.
TOY = Observable(
    name="toy_moments",
    summary="moments of the site energies (a test observable)",
    settings=(
        Setting("powers", "integers", (1, 2), "", "the powers k", minimum=1),
        Setting("scale", "real", 1.0, "", "a factor", minimum=0.0, strict=True),
    ),
    outputs={"moment": ("power",)},
    units={"moment": "t^k", "power": ""},
    axes=lambda r: {"power": np.asarray(r.settings["powers"])},
    compute=_moments,
)


def _vectors(request: Request) -> float:
    """What the toy engine receives as ``vectors`` (0 when it receives none)."""
    return float(TWO_ENGINES.engine_arguments(request).get("vectors", 0))


#: A toy observable with a second engine and an engine-specific setting.
TWO_ENGINES = Observable(
    name="toy_engines",
    summary="a test observable with two engines",
    settings=(
        Setting("vectors", "integer", 8, "", "random vectors", minimum=1, engines=("kpm",)),
    ),
    outputs={"moment": ("power",)},
    units={"moment": "t^k", "power": ""},
    axes=lambda r: {"power": np.array([1])},
    compute=lambda r, realizations, seed: {
        "moment": np.full(
            (len(realizations), 1), TWO_ENGINES.engine_arguments(r).get("vectors", 0)
        )
    },
    joint=lambda r: {},
    engines=("dense", "kpm"),
)

CONFIG = """\
[run]
seed = 4
realizations = 3
block_size = 2

[model]
dim = 1
L = 8
disorder = 2.0

[observables.static_polarizability]

[observables.toy_moments]
powers = [1, 2, 4]
scale = 2.0
"""


@pytest.fixture
def toy(monkeypatch: pytest.MonkeyPatch) -> Observable:
    monkeypatch.setitem(OBSERVABLES, TOY.name, TOY)
    monkeypatch.setitem(OBSERVABLES, TWO_ENGINES.name, TWO_ENGINES)
    return TOY


def test_toy_observable_runs_into_the_archive_from_its_declaration(toy, tmp_path) -> None:
    config = parse_config(CONFIG)
    assert config.observables.toy_moments.powers == (1, 2, 4)
    assert parse_config(to_toml(config)) == config
    tasks = plan_tasks(config)
    assert {task.observables for task in tasks} == {("static_polarizability",), ("toy_moments",)}
    path = tmp_path / "toy.h5"
    run_sweep(config, CONFIG, path, SerialExecutor(), progress=False)
    (point,) = read_archive(path)["points"].values()
    entry = point["observables"]["toy_moments"]
    np.testing.assert_array_equal(entry["axes"]["power"], [1, 2, 4])
    lattice_model = AndersonModel(dim=1, L=8, disorder=2.0, kind=config.model.kind)
    eps = np.array([lattice_model.onsite_energies(i, 4) for i in range(3)])
    expected = 2.0 * np.stack([(eps**k).mean(axis=1) for k in (1, 2, 4)], axis=1)
    np.testing.assert_allclose(entry["values"]["moment"], expected, rtol=ROUNDING)
    np.testing.assert_allclose(entry["mean"]["moment"], expected.mean(axis=0), rtol=ROUNDING)
    shown = describe(str(path))["points"][0]["observables"]["toy_moments"]
    assert shown["done"] == 3 and shown["units"] == {"moment": "t^k", "power": ""}
    with h5py.File(path, "r") as handle:
        group = handle[f"points/{next(iter(handle['points']))}/toy_moments"]
        assert group["moment"].attrs["units"] == "t^k"
        assert group.attrs["summary"] == TOY.summary


def test_toy_settings_are_validated_from_the_declaration(toy) -> None:
    with pytest.raises(ConfigError, match=r"toy_moments.power: unknown key .*: powers, scale"):
        parse_config(CONFIG.replace("powers =", "power ="))
    with pytest.raises(ConfigError, match=r"toy_moments.scale: must be > 0.0, got -1.0"):
        parse_config(CONFIG.replace("scale = 2.0", "scale = -1.0"))
    defaults = parse_config(CONFIG.replace("powers = [1, 2, 4]\nscale = 2.0\n", ""))
    assert dict(defaults.observables.toy_moments) == {"powers": (1, 2), "scale": 1.0}


def test_an_engine_is_a_setting_and_engine_settings_belong_to_their_engine(toy) -> None:
    base = CONFIG.split("[observables.toy_moments]")[0] + "[observables.toy_engines]\n"
    assert parse_config(base).observables.toy_engines.engine == "dense"
    kpm = parse_config(base + 'engine = "kpm"\nvectors = 4\n').observables.toy_engines
    assert (kpm.engine, kpm.vectors) == ("kpm", 4)
    request = Request(Point(dim=1, L=(8,), disorder=2.0, fermi_energy=0.0), kpm)
    assert TWO_ENGINES.engine_arguments(request) == {"engine": "kpm", "vectors": 4}
    assert TWO_ENGINES.joint_settings(request) is None  # only "dense" shares a spectrum
    tasks = plan_tasks(parse_config(base + 'engine = "kpm"\nvectors = 4\n'))
    mine = [task for task in tasks if task.observables == ("toy_engines",)]
    assert [(task.start, task.stop) for task in mine] == [(0, 2), (2, 3)]
    for task in mine:
        moment = execute(task).arrays["toy_engines"]["moment"]
        np.testing.assert_array_equal(moment, np.full((task.stop - task.start, 1), 4.0))
    dense = parse_config(base)
    assert TWO_ENGINES.joint_settings(Request(request.point, dense.observables.toy_engines)) == {}
    with pytest.raises(ConfigError, match=r"toy_engines.vectors: applies to engine kpm"):
        parse_config(base + "vectors = 4\n")
    with pytest.raises(ConfigError, match=r"toy_engines.engine: must be one of dense, kpm"):
        parse_config(base + 'engine = "sparse"\n')
