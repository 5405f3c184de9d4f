"""The sparse and kpm engines through the batch layer: config, tasks, archive, reprocessing.

A kpm conductivity is computed per (realization, block of random vectors); the
archive must not depend on the executor or the block size, and the raw data it
keeps (kpm correlations per vector, sparse window pairs) must rebuild the
archived sigma bit for bit and serve a new grid or kernel without recomputation.
"""

from __future__ import annotations

import tracemalloc

import h5py
import numpy as np
import pytest

import lattice
from batch.archive import read_sweeps
from batch.config import ConfigError, parse_config, parse_reprocess, to_toml
from batch.executors import ProcessExecutor, SerialExecutor
from batch.resources import BASE_MEMORY, kpm_estimate, sweep_estimate
from batch.runner import run_sweep
from batch.sweep import plan_tasks
from lattice.models.model import AndersonModel
from lattice.raw import kpm_conductivity_raw

#: sparse vs dense window eigenpairs (same w_max): equal to the sparse solver's residuals.
SPARSE_DENSE = 1e-10

KPM = """\
[run]
seed = 5
realizations = 2
block_size = 2

[model]
dim = 1
L = 10
disorder = 2.0
fermi_energy = -0.3

[observables.conductivity]
engine = "kpm"
vectors = 3
omega = [0.5, 1.0]
eta = 0.3
"""

SPARSE = """\
[run]
seed = 2
realizations = 2

[model]
dim = 2
L = 6
disorder = 2.0
fermi_energy = -0.4

[observables.conductivity]
engine = "sparse"
w_max = 1.5
omega = [0.3, 0.6, 0.9]
eta = 0.1
"""


def _run(tmp_path, text: str, name: str, executor=None, overrides=()) -> object:
    config = parse_config(text, overrides=overrides)
    out = tmp_path / name
    run_sweep(config, text, out, executor or SerialExecutor(), overrides, progress=False)
    return out


def _conductivity(path) -> dict:
    (sweep,) = read_sweeps(path)
    (point,) = sweep["points"].values()
    return point["observables"]["conductivity"]


def test_kpm_config_validates_and_rejects_foreign_settings() -> None:
    config = parse_config(KPM)
    section = config.observables.conductivity
    assert section["engine"] == "kpm" and section["vectors"] == 3 and section["w_max"] is None
    assert parse_config(to_toml(config)) == config
    with pytest.raises(ConfigError, match="w_max.*applies to engine sparse, not kpm"):
        parse_config(KPM.replace("vectors = 3", "vectors = 3\nw_max = 1.0"))
    with pytest.raises(ConfigError, match="vectors.*applies to engine kpm, not dense"):
        parse_config(KPM.replace('engine = "kpm"\n', ""))
    with pytest.raises(ConfigError, match="w_max: is required with engine = 'sparse'"):
        parse_config(SPARSE.replace("w_max = 1.5\n", ""))


def test_kpm_tasks_split_vectors() -> None:
    config = parse_config(KPM, overrides=["run.vector_block=2"])
    tasks = plan_tasks(config)
    assert [(t.start, t.vectors) for t in tasks] == [
        (0, (0, 2)), (0, (2, 3)), (1, (0, 2)), (1, (2, 3)),
    ]  # fmt: skip
    assert tasks[1].id.endswith("/conductivity/0-1/v2-3")


def test_kpm_archive_identical_for_any_vector_block(tmp_path, same_data) -> None:
    serial = _run(tmp_path, KPM, "serial.h5")
    blocks = _run(tmp_path, KPM, "blocks.h5", overrides=["run.vector_block=2"])
    whole = _run(tmp_path, KPM, "whole.h5", overrides=["run.vector_block=3"])
    for other in (blocks, whole):
        same_data(serial, other)
    entry = _conductivity(serial)
    assert entry["values"]["sigma"].shape == (2, 2)
    assert np.all(np.isfinite(entry["values"]["sigma"]))
    with h5py.File(serial) as handle:
        (group,) = handle["points"].values()
        assert group["conductivity/raw/vector_done"][...].all()


def test_kpm_archive_identical_on_two_processes(tmp_path, same_data) -> None:
    serial = _run(tmp_path, KPM, "serial.h5")
    with ProcessExecutor(2) as executor:  # vectors of one realization on both workers
        processes = _run(tmp_path, KPM, "processes.h5", executor)
    same_data(serial, processes)


def test_kpm_extending_an_archive_keeps_its_raw_data(tmp_path, same_data) -> None:
    direct = _run(tmp_path, KPM, "direct.h5")
    text = KPM.replace("realizations = 2", "realizations = 1")
    extended = _run(tmp_path, text, "extended.h5")
    run_sweep(parse_config(KPM), KPM, extended, SerialExecutor(), progress=False)
    same_data(direct, extended)


@pytest.mark.parametrize("text", [KPM, SPARSE], ids=["kpm", "sparse"])
def test_raw_data_rebuild_the_archived_sigma_exactly(tmp_path, text) -> None:
    path = _run(tmp_path, text, "out.h5")
    stored = _conductivity(path)
    (sweep,) = read_sweeps(path, reprocess={"conductivity": {}})
    (point,) = sweep["points"].values()
    rebuilt = point["observables"]["conductivity"]
    assert np.array_equal(rebuilt["values"]["sigma"], stored["values"]["sigma"])
    assert np.array_equal(rebuilt["mean"]["sigma"], stored["mean"]["sigma"])


def test_sparse_raw_data_on_a_new_grid_equal_the_dense_engine(tmp_path) -> None:
    path = _run(tmp_path, SPARSE, "out.h5")
    omega = (0.2, 0.45, 0.7)
    changes = {"omega": omega, "eta": 0.05, "kernel": "gaussian"}
    (sweep,) = read_sweeps(path, reprocess={"conductivity": changes})
    (point,) = sweep["points"].values()
    entry = point["observables"]["conductivity"]
    assert np.array_equal(entry["axes"]["omega"], omega)
    model = AndersonModel(dim=2, L=(6, 6), disorder=2.0)
    dense = lattice.conductivity(
        model, omega, fermi_energy=-0.4, eta=0.05, kernel="gaussian", realizations=2,
        seed=2, w_max=1.5,
    )  # fmt: skip
    np.testing.assert_allclose(entry["values"]["sigma"], dense.values, rtol=0, atol=SPARSE_DENSE)


def test_kpm_raw_data_refuse_a_grid_beyond_the_recorded_one(tmp_path) -> None:
    """The kpm samples resolve |omega| up to the recorded grid's largest (Nyquist): a new
    grid within it is rebuilt, one beyond it is refused instead of aliased."""
    path = _run(tmp_path, KPM, "out.h5")
    (sweep,) = read_sweeps(path, reprocess={"conductivity": {"omega": (0.25, 1.0)}})
    (point,) = sweep["points"].values()
    assert np.all(np.isfinite(point["observables"]["conductivity"]["values"]["sigma"]))
    with pytest.raises(ValueError, match="exceeds the recorded omega_max=1.0"):
        read_sweeps(path, reprocess={"conductivity": {"omega": (0.5, 4.0)}})


def test_dense_archive_cannot_be_reprocessed(tmp_path, tiny_text) -> None:
    path = _run(tmp_path, tiny_text, "tiny.h5")
    with pytest.raises(ValueError, match="dense engine archives no raw data"):
        read_sweeps(path, reprocess={"conductivity": {"eta": 0.2}})


def test_reprocess_items_are_checked_against_the_declarations() -> None:
    assert parse_reprocess(["conductivity.eta=0.4", "conductivity.kernel=gaussian"]) == {
        "conductivity": {"eta": 0.4, "kernel": "gaussian"}
    }
    for item, message in (
        ("conductivity.w_max=1", "key must be one of"),
        ("conductivity.eta=-1", "must be > 0"),
        ("static_polarizability.eta=1", "observable among"),
        ("conductivity.eta", "expected observable.key=value"),
    ):
        with pytest.raises(ConfigError, match=message):
            parse_reprocess([item])


def test_reprocessed_sweep_carries_the_new_settings(tmp_path) -> None:
    path = _run(tmp_path, KPM, "out.h5")
    (sweep,) = read_sweeps(path, reprocess={"conductivity": {"eta": 0.4, "omega": (0.7,)}})
    section = parse_config(sweep["config"]).observables.conductivity
    assert section["eta"] == 0.4 and section["omega"] == (0.7,)  # what the analysis reads
    (point,) = sweep["points"].values()
    assert point["observables"]["conductivity"]["mean"]["sigma"].shape == (1,)


@pytest.mark.slow  # two CLI processes with the report (about 20 s under load)
def test_compare_reprocesses_a_kpm_archive(tmp_path, vwloc) -> None:
    path = _run(tmp_path, KPM, "out.h5")
    report = tmp_path / "report"
    done = vwloc("compare", str(path), "-o", str(report), "--reprocess", "conductivity.eta=0.4")
    assert done.returncode == 0, done.stderr
    assert "eta 0.4" in done.stdout  # the analysis sees the new width
    bad = vwloc("compare", str(path), "-o", str(report), "--reprocess", "conductivity.eta=0.1")
    assert bad.returncode == 2
    assert bad.stderr.count("\n") == 1 and "needs correlations up to" in bad.stderr


DOS = """\
[run]
seed = 8
realizations = 2

[model]
dim = 2
L = 6
disorder = 2.0

[observables.density_of_states]
engine = "kpm"
vectors = 3
energies = [-2.0, 0.0, 1.0]
eta = 0.3
"""


def test_kpm_dos_vector_tasks_and_new_energies(tmp_path, same_data) -> None:
    serial = _run(tmp_path, DOS, "serial.h5")
    blocks = _run(tmp_path, DOS, "blocks.h5", overrides=["run.vector_block=2"])
    same_data(serial, blocks)
    energies = (-1.0, 0.5)
    changes = {"energies": energies, "eta": 0.4, "kernel": "gaussian"}
    (sweep,) = read_sweeps(serial, reprocess={"density_of_states": changes})
    (point,) = sweep["points"].values()
    dos = point["observables"]["density_of_states"]["values"]["dos"]
    model = AndersonModel(dim=2, L=(6, 6), disorder=2.0)
    for i in range(2):  # the API takes the moment count of its first realization
        direct = lattice.density_of_states(
            model, energies, eta=0.4, kernel="gaussian", realizations=[i], seed=8,
            engine="kpm", vectors=3, moments=dos_moments_of(serial, i),
        )  # fmt: skip
        np.testing.assert_array_equal(dos[i], direct.values[0])


def dos_moments_of(path, realization: int) -> int:
    """The number of Chebyshev moments archived for ``realization``."""
    with h5py.File(path) as handle:
        (group,) = handle["points"].values()
        return len(group["density_of_states/raw/moments"][realization, 0])


@pytest.mark.parametrize("block", [1, 2])
def test_kpm_task_memory_is_o_n_times_block_as_estimated(block) -> None:
    """tracemalloc peak of one kpm task (beyond the model) against KPM_VECTORS x N x block."""
    model = AndersonModel(dim=2, L=(48, 48), disorder=2.0)
    kpm_conductivity_raw(model, 0, 1, -0.5, 0.0, 1.0, "lorentzian", 1.0, 0, 1)  # compile
    tracemalloc.start()
    kpm_conductivity_raw(model, 0, 1, -0.5, 0.0, 1.0, "lorentzian", 1.0, 0, block)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    estimate = kpm_estimate(model.n_sites, 16, {"vectors": block, "block": block, "eta": 1.0})
    stated = estimate.memory - BASE_MEMORY
    assert stated / 2 < peak <= stated


def test_sweep_estimate_counts_kpm_vector_tasks() -> None:
    config = parse_config(KPM, overrides=["run.vector_block=2"])
    estimate = sweep_estimate(config)
    sizes = {"vectors": 3, "block": 2, "eta": 0.3, "omega_max": 1.0, "half_width": 3.0 / 0.99}
    one = kpm_estimate(10, 8, sizes)
    assert estimate.memory == one.memory
    assert estimate.seconds == pytest.approx(2 * one.seconds)


def test_kpm_refuses_the_histogram_kernel_in_the_config() -> None:
    with pytest.raises(ConfigError, match="kernel: engine = 'kpm' takes lorentzian or gaussian"):
        parse_config(KPM.replace("eta = 0.3", 'eta = 0.3\nkernel = "histogram"'))
    assert parse_config(KPM.replace('engine = "kpm"\nvectors = 3', 'kernel = "histogram"'))
