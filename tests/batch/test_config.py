"""Config validation (one test per rule), write-back of defaults, sweep points and task plans."""

from __future__ import annotations

import numpy as np
import pytest

from batch.commands.config import builtin_config_names, builtin_config_path
from batch.config import MAX_SEED, ConfigError, load_config, load_study, parse_config, to_toml
from batch.points import sweep_points
from batch.sweep import plan_tasks

BASE = """\
[run]
seed = 7
realizations = 10
block_size = 4

[model]
dim = 1
L = 8

[sweep]
W = [1.0, 2.0]

[observables.conductivity]
omega = [0.1, 0.5]
"""


def error_of(text: str, overrides: tuple[str, ...] = ()) -> str:
    with pytest.raises(ConfigError) as info:
        parse_config(text, source="c.toml", overrides=overrides)
    return str(info.value)


def test_base_config_and_defaults_written_back() -> None:
    config = parse_config(BASE)
    assert config.run.block_size == 4
    assert config.observables.conductivity.eta == 0.02  # the default, now explicit
    text = to_toml(config)
    assert "eta = 0.02" in text and 'kernel = "lorentzian"' in text
    assert parse_config(text) == config


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("seed = 7", "seed = 7\nseeed = 8", "c.toml:3: run.seeed: unknown key"),
        ("[model]", "[modle]\nx = 1\n[model]", "c.toml:6: modle: unknown table"),
        ("L = 8", "L = 8\nsize = 3", "c.toml:9: model.size: unknown key"),
        (
            "omega = [0.1, 0.5]",
            "omega = [0.1]\nomeg = 1",
            "c.toml:15: observables.conductivity.omeg: unknown",
        ),
    ],
)
def test_unknown_keys_are_rejected_with_line(old: str, new: str, expected: str) -> None:
    assert expected in error_of(BASE.replace(old, new))


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("realizations = 10", 'realizations = "10"', "run.realizations: must be an integer"),
        ("realizations = 10", "realizations = true", "run.realizations: must be an integer"),
        ("dim = 1", "dim = 1.0", "model.dim: must be an integer"),
        ("W = [1.0, 2.0]", 'W = [1.0, "x"]', "sweep.W[1]: must be a number"),
        ("W = [1.0, 2.0]", "W = 1.0", "sweep.W: must be a list or a range table"),
        ("omega = [0.1, 0.5]", "omega = [0.1, 0.5]\nkernel = 3", "kernel: must be one of"),
        ("[sweep]", "sweep = 3\n[x]", "unknown table"),
    ],
)
def test_wrong_types_are_rejected(old: str, new: str, expected: str) -> None:
    assert expected in error_of(BASE.replace(old, new))


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("realizations = 10", "realizations = 0", "c.toml:3: run.realizations: must be >= 1"),
        ("block_size = 4", "block_size = 0", "run.block_size: must be >= 1"),
        ("dim = 1", "dim = 4", "model.dim: must be <= 3"),
        ("L = 8", "L = 0", "model.L: must be >= 1"),
        ("W = [1.0, 2.0]", "W = [1.0, -2.0]", "sweep.W: W must be >= 0"),
        ("W = [1.0, 2.0]", "W = [1.0, 1.0]", "sweep.W: has repeated values"),
        ("W = [1.0, 2.0]", "W = []", "sweep.W: must not be empty"),
        ("omega = [0.1, 0.5]", "omega = [0.0, 0.5]", "omega[0]: must be > 0.0"),
        ("omega = [0.1, 0.5]", "omega = [0.1, nan]", "omega[1]: must be finite"),
        ("omega = [0.1, 0.5]", "omega = [0.1]\neta = 0.0", "eta: must be > 0.0"),
        ("omega = [0.1, 0.5]", "omega = [0.1]\ntemperature = -1.0", "temperature: must be >="),
        ("seed = 7", "seed = -7", "run.seed: must be in 0 .. 2^63 - 1"),
        ("seed = 7", "seed = 9223372036854775808", "run.seed: must be in 0 .. 2^63 - 1"),
        ("seed = 7", "seed = 1180591620717411303424", "got 1180591620717411303424"),
        ("seed = 7", "seed = 7.0", "run.seed: must be an integer"),
    ],
)
def test_impossible_values_are_rejected(old: str, new: str, expected: str) -> None:
    assert expected in error_of(BASE.replace(old, new))


def test_largest_seed_is_accepted() -> None:
    config = parse_config(BASE.replace("seed = 7", "seed = 9223372036854775807"), "c.toml")
    assert config.run.seed == MAX_SEED == 2**63 - 1


def test_cross_key_rules() -> None:
    assert "model.disorder: is swept by sweep.W" in error_of(
        BASE.replace("L = 8", "L = 8\ndisorder = 3.0")
    )
    assert "model.flux: needs dim >= 2" in error_of(BASE.replace("L = 8", "L = 8\nflux = 0.1"))
    assert "model.L: has 2 entries but the lattice has dim = 1" in error_of(
        BASE.replace("L = 8", "L = [8, 8]")
    )
    assert "model.L: is required" in error_of(BASE.replace("L = 8\n", ""))
    assert "run.seed: is required" in error_of(BASE.replace("seed = 7\n", ""))
    no_observables = BASE.split("[observables")[0]
    assert "observables: needs at least one" in error_of(no_observables)


def test_block_larger_than_ensemble_is_one_task() -> None:
    config = parse_config(BASE.replace("block_size = 4", "block_size = 64"))
    assert [(t.start, t.stop) for t in plan_tasks(config)] == [(0, 10), (0, 10)]


def test_ranges() -> None:
    config = parse_config(BASE.replace("W = [1.0, 2.0]", "W = {start = 0, stop = 1, num = 3}"))
    assert config.sweep.W == (0.0, 0.5, 1.0)
    config = parse_config(
        BASE.replace("omega = [0.1, 0.5]", "omega = {start = 0.1, stop = 0.5, step = 0.1}")
    )
    assert config.observables.conductivity.omega == (0.1, 0.2, 0.3, 0.4, 0.5)
    swept_size = BASE.replace("L = 8\n", "").replace(
        "W = [1.0, 2.0]", "L = {start = 4, stop = 8, step = 2}"
    )
    config = parse_config(swept_size)
    assert config.sweep.L == (4, 6, 8)
    assert "needs exactly {start, stop, num}" in error_of(
        BASE.replace("W = [1.0, 2.0]", "W = {start = 0, stop = 1}")
    )
    assert "step: must be a positive number" in error_of(
        BASE.replace("W = [1.0, 2.0]", "W = {start = 0, stop = 1, step = -1}")
    )


def test_overrides_are_toml_values_and_named_in_errors() -> None:
    config = parse_config(
        BASE, overrides=("run.realizations=12", "model.kind=gaussian", "sweep.W=[3.0]")
    )
    assert config.run.realizations == 12
    assert config.model.kind == "gaussian"
    assert config.sweep.W == (3.0,)
    assert "c.toml: --set run.realizations: must be >= 1" in error_of(
        BASE, ("run.realizations=0",)
    )
    assert "expected key.path=value" in error_of(BASE, ("run.realizations",))


def test_syntax_error_and_unreadable_file(tmp_path) -> None:
    assert "not valid TOML" in error_of("[run\nseed = 1")
    with pytest.raises(ConfigError, match="cannot read config"):
        load_config(tmp_path / "missing.toml")


def test_incommensurate_flux_is_rejected_before_any_work() -> None:
    text = BASE.replace("dim = 1", "dim = 2").replace("W = [1.0, 2.0]", "flux = [0.0, 0.3]")
    with pytest.raises(ConfigError, match="sweep point dim2_L8x8_W1.0_EF0.0_flux0.3: flux"):
        sweep_points(parse_config(text))


def test_sweep_points_ids_and_task_blocks() -> None:
    config = parse_config(BASE.replace("W = [1.0, 2.0]", "W = [1.0, 2.0]\nE_F = [0.0, 0.5]"))
    ids = [p.id for p in sweep_points(config)]
    assert ids == [
        "dim1_L8_W1.0_EF0.0_flux0.0",
        "dim1_L8_W1.0_EF0.5_flux0.0",
        "dim1_L8_W2.0_EF0.0_flux0.0",
        "dim1_L8_W2.0_EF0.5_flux0.0",
    ]
    tasks = plan_tasks(config)
    assert [(t.start, t.stop) for t in tasks[:3]] == [(0, 4), (4, 8), (8, 10)]
    assert len(tasks) == 12
    assert [t.id for t in plan_tasks(config)] == [t.id for t in tasks]
    done = np.zeros(10, dtype=bool)
    done[[0, 1, 5, 9]] = True
    partial = plan_tasks(config, {(ids[0], "conductivity"): done})
    first = [(t.start, t.stop) for t in partial if t.point.id == ids[0]]
    assert first == [(2, 4), (4, 5), (6, 8), (8, 9)]


@pytest.mark.parametrize("name", builtin_config_names())
def test_builtin_configs_are_valid(name: str) -> None:
    sweeps, _ = load_study(builtin_config_path(name))  # one sweep or several [sweeps.*]
    assert sweeps and all(sweep_points(config) for config in sweeps.values())
