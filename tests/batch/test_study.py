"""Several sweeps in one archive (format 2): same data as separate archives, resume, show."""

from __future__ import annotations

import h5py
import numpy as np
import pytest

from batch.archive import (
    STUDY_FORMAT_VERSION,
    ArchiveError,
    ArchiveWriter,
    SweepInput,
    read_archive,
    read_sweeps,
)
from batch.cli import main
from batch.commands.show import describe
from batch.config import ConfigError, parse_config, parse_study
from batch.executors import SerialExecutor
from batch.runner import run_study, run_sweep
from batch.sweep import plan_tasks
from batch.tasks import execute

#: A second sweep unlike the conftest TINY one: another seed, dimension and observable.
SQUARES = """\
[run]
seed = 3
realizations = 4
block_size = 3

[model]
dim = 2
L = 4
disorder = 2.5
fermi_energy = -0.5

[observables.density_of_states]
energies = [-1.0, 0.0, 1.0]
eta = 0.2
"""


def study(tiny_text: str, *names: str, realizations: int | None = None) -> dict:
    texts = {"chains": tiny_text, "squares": SQUARES}
    overrides = (f"run.realizations={realizations}",) if realizations else ()
    return {
        name: SweepInput(parse_config(texts[name], overrides=overrides), texts[name], overrides)
        for name in names
    }


def run(sweeps: dict, path) -> dict:
    return run_study(sweeps, path, SerialExecutor(), progress=False)


def test_each_sweep_holds_the_data_of_its_own_archive(tmp_path, tiny_text) -> None:
    path = tmp_path / "study.h5"
    stats = run(study(tiny_text, "chains", "squares"), path)
    assert stats["total"] == 24 + 4
    swept = read_sweeps(path)
    assert [s["sweep"] for s in swept] == ["chains", "squares"]
    assert read_archive(path)["format_version"] == STUDY_FORMAT_VERSION
    for sweep, text in zip(swept, (tiny_text, SQUARES), strict=True):
        alone = tmp_path / f"{sweep['sweep']}.h5"
        run_sweep(parse_config(text), text, alone, SerialExecutor(), progress=False)
        (single,) = read_sweeps(alone)
        assert sweep["seed"] == single["seed"] and sweep["config"] == single["config"]
        assert sweep["config_source"] == text
        assert sweep["points"].keys() == single["points"].keys()
        for pid, point in single["points"].items():
            assert sweep["points"][pid]["params"] == point["params"]
            for name, obs in point["observables"].items():
                for out, values in obs["values"].items():
                    other = sweep["points"][pid]["observables"][name]["values"][out]
                    np.testing.assert_array_equal(other, values)  # bit-identical


def test_a_study_resumes_and_extends(tmp_path, tiny_text) -> None:
    path = tmp_path / "study.h5"
    run(study(tiny_text, "chains", realizations=2), path)
    stats = run(study(tiny_text, "chains", "squares", realizations=4), path)
    assert stats["realizations"] == 2 * 2 * 2 + 4  # chains: 2 new of 2 points x (sigma, alpha)
    again = run(study(tiny_text, "chains", "squares", realizations=4), path)
    assert again["tasks"] == 0
    with h5py.File(path, "r") as handle:
        assert handle["runs/started"].shape == (3,)
    with pytest.raises(ArchiveError, match="drops the sweep 'squares'"):
        run(study(tiny_text, "chains", realizations=4), path)
    with pytest.raises(ArchiveError, match="holds several sweeps"):
        run_sweep(parse_config(tiny_text), tiny_text, path, SerialExecutor(), progress=False)


def test_show_lists_the_points_of_every_sweep(tmp_path, tiny_text) -> None:
    path = tmp_path / "study.h5"
    run(study(tiny_text, "chains", "squares"), path)
    info = describe(str(path))
    assert info["complete"] and info["seed"] == {"chains": 11, "squares": 3}
    ids = [point["id"] for point in info["points"]]
    assert ids[0].startswith("chains/dim1_") and ids[-1].startswith("squares/dim2_")


def study_text(tiny_text: str) -> str:
    """The two sweeps as one config: every table of each under ``sweeps.<name>``."""
    out = []
    for name, text in (("chains", tiny_text), ("squares", SQUARES)):
        for line in text.splitlines():
            header = line.startswith("[")
            out.append(f"[sweeps.{name}.{line[1:]}" if header else line)
    return "\n".join(out) + "\n"


def test_a_config_may_hold_several_sweeps(tmp_path, tiny_text) -> None:
    text = study_text(tiny_text)
    sweeps = parse_study(text, "s.toml")
    assert list(sweeps) == ["chains", "squares"]
    assert sweeps["chains"] == parse_config(tiny_text)
    assert sweeps["squares"] == parse_config(SQUARES)
    assert parse_study(tiny_text) == {"": parse_config(tiny_text)}
    bad = text.replace("disorder = 2.5", "disorder = 2.5\nspin = 1")
    with pytest.raises(ConfigError, match=r"s.toml:\d+: sweeps.squares.model.spin: unknown key"):
        parse_study(bad, "s.toml")
    with pytest.raises(ConfigError, match="holds several sweeps"):
        parse_config(text)
    config = tmp_path / "study.toml"
    config.write_text(text)
    out = tmp_path / "study.h5"
    assert main(["run", str(config), "-o", str(out), "--workers", "1"]) == 0
    swept = read_sweeps(out, values=False)
    assert [s["sweep"] for s in swept] == ["chains", "squares"]
    assert all(s["config_source"] == text for s in swept)
    assert describe(str(out))["complete"]


def test_an_interrupted_study_resumes_bit_identical(tmp_path, tiny_text, same_data) -> None:
    """Rows of some tasks of both sweeps, no finish (as after a kill): the rerun
    computes exactly the rest, and the data equal an uninterrupted run's."""
    full, partial = tmp_path / "full.h5", tmp_path / "partial.h5"
    sweeps = study(tiny_text, "chains", "squares")
    run(sweeps, full)
    with ArchiveWriter.open_study(partial, sweeps, "serial") as writer:
        for name, sweep in sweeps.items():
            for task in plan_tasks(sweep.config, writer.done_masks(name), sweep=name)[::2]:
                writer.write(execute(task))
    assert run(sweeps, partial)["tasks"] == 3 + 1  # chains: 6 tasks, squares: 2
    same_data(full, partial)
