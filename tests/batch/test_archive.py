"""Archives: exact content, resume, extension, refusal, corruption, disk full, xarray."""

from __future__ import annotations

import errno
import hashlib
from pathlib import Path

import h5py
import numpy as np
import pytest
import xarray as xr

import lattice
from batch.archive import FORMAT_VERSION, ArchiveError, ArchiveWriter, read_archive
from batch.config import parse_config
from batch.executors import SerialExecutor
from batch.runner import run_sweep
from batch.sweep import plan_tasks
from batch.tasks import execute
from lattice.observables import OBSERVABLES

POINT = "dim1_L8_W2.0_EF0.0_flux0.0"
#: An archive written by format version 1 (the conftest TINY sweep), checked in.
FORMAT_1 = Path(__file__).resolve().parents[2] / "data" / "archives" / "format-1-tiny.h5"
#: Recomputing it may take another LAPACK path; the physics must agree to rounding.
REGRESSION_RTOL = 1e-10


def run(text, path, overrides=()):
    config = parse_config(text, overrides=overrides)
    return run_sweep(config, text, path, SerialExecutor(), overrides, progress=False)


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_archive_holds_exactly_the_lattice_results(tmp_path, tiny_text) -> None:
    path = tmp_path / "a.h5"
    stats = run(tiny_text, path)
    assert stats == {"tasks": 6, "realizations": 24, "total": 24}  # sigma and alpha joint
    data = read_archive(path)
    obs = data["points"][POINT]["observables"]
    model = lattice.AndersonModel(dim=1, L=8, disorder=2.0)
    omega = np.array([0.2, 0.6, 1.0, 1.4])
    joint = lattice.joint_observables(  # the tiny sweep shares one spectrum per realization
        model, realizations=6, seed=11, static_polarizability={},
        conductivity={"omega": omega, "eta": 0.1, "kernel": "lorentzian"},
    )  # fmt: skip
    direct, alpha = joint["conductivity"], joint["static_polarizability"]
    sigma = obs["conductivity"]
    np.testing.assert_array_equal(sigma["values"]["sigma"], direct.values)
    np.testing.assert_array_equal(sigma["axes"]["omega"], omega)
    np.testing.assert_array_equal(sigma["realizations"], np.arange(6))
    np.testing.assert_array_equal(sigma["mean"]["sigma"], direct.mean)
    np.testing.assert_array_equal(sigma["stderr"]["sigma"], direct.stderr)
    np.testing.assert_array_equal(sigma["typical"]["sigma"], direct.typical)
    np.testing.assert_array_equal(obs["static_polarizability"]["values"]["alpha"], alpha.values)
    assert data["points"][POINT]["params"] == {
        "dim": 1, "L": [8], "W": 2.0, "E_F": 0.0, "flux": 0.0
    }  # fmt: skip
    assert data["format_version"] == FORMAT_VERSION and data["seed"] == 11
    assert parse_config(data["config"]) == parse_config(tiny_text)
    assert data["config_source"] == tiny_text
    (session,) = data["runs"]
    for key in ("vwloc", "git_commit", "numpy", "scipy", "numba", "h5py", "host", "started"):
        assert key in session
    assert session["finished"] is not None


def test_format_1_archive_still_loads_and_reproduces(tmp_path) -> None:
    old = read_archive(FORMAT_1)
    assert old["format_version"] == 1 and old["runs"][0]["finished"] is not None
    fresh_path = tmp_path / "fresh.h5"
    run(old["config_source"], fresh_path)
    fresh = read_archive(fresh_path)
    assert fresh["points"].keys() == old["points"].keys()
    for pid, point in old["points"].items():
        for name, obs in point["observables"].items():
            new = fresh["points"][pid]["observables"][name]
            np.testing.assert_array_equal(obs["realizations"], new["realizations"])
            for out, values in obs["values"].items():
                np.testing.assert_allclose(values, new["values"][out], rtol=REGRESSION_RTOL)
                np.testing.assert_array_equal(obs["mean"][out], values.mean(axis=0))


def test_xarray_opens_a_sweep_point(tmp_path, tiny_text) -> None:
    path = tmp_path / "a.h5"
    run(tiny_text, path)
    data = read_archive(path)["points"][POINT]["observables"]["conductivity"]
    with xr.open_dataset(path, engine="h5netcdf", group=f"points/{POINT}/conductivity") as ds:
        assert ds["sigma"].dims == ("realization", "omega")
        assert ds["sigma_mean"].dims == ("omega",)
        np.testing.assert_array_equal(ds["omega"].values, data["axes"]["omega"])
        np.testing.assert_array_equal(ds["sigma"].values, data["values"]["sigma"])
        np.testing.assert_array_equal(
            ds["sigma"].mean("realization").values, data["mean"]["sigma"]
        )


ALL_OBSERVABLES = """\
[run]
seed = 5
realizations = 2
block_size = 1

[model]
dim = 2
L = 4

[observables.conductivity]
omega = [0.5, 1.0]

[observables.density_response]
q = [1, 2]
omega = [0.0, 0.5, 1.0]

[observables.static_polarizability]

[observables.density_of_states]
energies = [-1.0, 0.0, 1.0, 2.0]

[observables.localization_length]
widths = [2]
energies = [0.0, 0.5]
precision = 0.3
"""


def test_xarray_opens_every_observable_group(tmp_path) -> None:
    path = tmp_path / "all.h5"
    run(ALL_OBSERVABLES, path)
    (point,) = read_archive(path)["points"].items()
    pid, content = point
    for name, obs in content["observables"].items():
        with xr.open_dataset(path, engine="h5netcdf", group=f"points/{pid}/{name}") as ds:
            for out, values in obs["values"].items():
                assert ds[out].dims[0] == "realization"
                assert ds[out].dims[1:] == tuple(OBSERVABLES[name].outputs[out])
                np.testing.assert_array_equal(ds[out].values, values)
                np.testing.assert_array_equal(ds[f"{out}_mean"].values, obs["mean"][out])
            for axis, coords in obs["axes"].items():
                np.testing.assert_array_equal(ds[axis].values, coords)


def test_resume_after_partial_run_is_bit_identical(tmp_path, tiny_text, same_data) -> None:
    full, partial = tmp_path / "full.h5", tmp_path / "partial.h5"
    run(tiny_text, full)
    config = parse_config(tiny_text)
    with ArchiveWriter.open(partial, config, tiny_text, (), "serial") as writer:
        for task in plan_tasks(config, writer.done_masks())[::3]:
            writer.write(execute(task))
    assert run(tiny_text, partial)["tasks"] == 4
    same_data(full, partial)
    assert len(read_archive(partial)["runs"]) == 2


def test_one_writer_per_archive(tmp_path, tiny_text) -> None:
    path = tmp_path / "a.h5"
    config = parse_config(tiny_text)
    with ArchiveWriter.open(path, config, tiny_text, (), "serial"):
        with pytest.raises(ArchiveError, match="another vwloc run is writing this archive"):
            ArchiveWriter.open(path, config, tiny_text, (), "serial")
    ArchiveWriter.open(path, config, tiny_text, (), "serial").close()  # released


def test_rows_without_completion_flag_are_recomputed(tmp_path, tiny_text, same_data) -> None:
    full, broken = tmp_path / "full.h5", tmp_path / "broken.h5"
    run(tiny_text, full)
    broken.write_bytes(full.read_bytes())
    with h5py.File(broken, "r+") as handle:
        group = handle[f"points/{POINT}/conductivity"]
        group["done"][2:4] = 0
        group["sigma"][2:4] = 123.0  # data of a task killed before its flag
        group["sigma_mean"][...] = 0.0  # a stale summary
    data = read_archive(broken)["points"][POINT]["observables"]["conductivity"]
    assert list(data["realizations"]) == [0, 1, 4, 5]
    assert 123.0 not in data["values"]["sigma"]
    assert np.array_equal(data["mean"]["sigma"], data["values"]["sigma"].mean(axis=0))
    assert run(tiny_text, broken)["tasks"] == 1
    same_data(full, broken)


def test_extension_with_realizations_and_points(tmp_path, tiny_text, same_data) -> None:
    grown, fresh = tmp_path / "grown.h5", tmp_path / "fresh.h5"
    run(tiny_text, grown)
    more = ("run.realizations=9", "sweep.W=[1.0, 2.0, 3.0]")
    stats = run(tiny_text, grown, more)
    assert stats["realizations"] == 2 * (3 + 3) + 2 * 9
    run(tiny_text, fresh, more)
    same_data(grown, fresh)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ("observables.conductivity.eta=0.2", "observables.conductivity.eta: 0.1 -> 0.2"),
        ("run.seed=12", "run.seed: 11 -> 12"),
        ("run.realizations=4", "run.realizations: 6 -> 4 (fewer)"),
        ("sweep.W=[1.0]", "sweep: drops 1 point(s)"),
        ("model.kind=gaussian", "model.kind: 'box' -> 'gaussian'"),
    ],
)
def test_incompatible_config_is_refused_and_file_kept(tmp_path, tiny_text, change, reason):
    path = tmp_path / "a.h5"
    run(tiny_text, path)
    before = digest(path)
    with pytest.raises(ArchiveError, match="different config") as info:
        run(tiny_text, path, (change,))
    assert reason in str(info.value)
    assert digest(path) == before


def test_foreign_unreadable_and_corrupted_files_are_refused(tmp_path, tiny_text) -> None:
    foreign = tmp_path / "foreign.h5"
    with h5py.File(foreign, "w") as handle:
        handle["x"] = np.arange(3)
    text_file = tmp_path / "notes.h5"
    text_file.write_text("not HDF5")
    corrupted = tmp_path / "corrupted.h5"
    run(tiny_text, corrupted)
    raw = bytearray(corrupted.read_bytes())
    corrupted.write_bytes(bytes(raw[: len(raw) // 2]))  # truncated, e.g. a failed copy
    for path, message in [
        (foreign, "not a vwloc archive"),
        (text_file, "not a readable HDF5 file"),
        (corrupted, "not a readable HDF5 file|corrupted"),
        (tmp_path / "missing.h5", "no such file"),
    ]:
        with pytest.raises(ArchiveError, match=message):
            read_archive(path)
        if path.exists():
            before = digest(path)
            with pytest.raises(ArchiveError, match=message):
                run(tiny_text, path)
            assert digest(path) == before


def test_disk_full_keeps_completed_tasks(tmp_path, tiny_text, same_data, monkeypatch) -> None:
    full, path = tmp_path / "full.h5", tmp_path / "a.h5"
    run(tiny_text, full)
    calls = []
    original = ArchiveWriter._write_rows

    def failing(self, result):
        calls.append(1)
        if len(calls) == 3:  # the third task: its sigma rows land, then the disk is full
            self._file[f"points/{result.point_id}/conductivity/sigma"][result.start] = 123.0
            raise OSError(errno.ENOSPC, "No space left on device")
        return original(self, result)

    monkeypatch.setattr(ArchiveWriter, "_write_rows", failing)
    with pytest.raises(ArchiveError, match="disk full .* every task completed before is kept"):
        run(tiny_text, path)
    monkeypatch.setattr(ArchiveWriter, "_write_rows", original)
    kept = read_archive(path)["points"]["dim1_L8_W1.0_EF0.0_flux0.0"]["observables"]
    assert list(kept["conductivity"]["realizations"]) == [0, 1, 2, 3]
    assert list(kept["static_polarizability"]["realizations"]) == [0, 1, 2, 3]
    assert 123.0 not in kept["conductivity"]["values"]["sigma"]
    run(tiny_text, path)
    same_data(full, path)
