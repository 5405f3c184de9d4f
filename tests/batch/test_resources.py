"""Resource estimates: calibrated against measured peaks; refusals are one line naming numbers."""

from __future__ import annotations

import math
import shutil
import tracemalloc

import numpy as np
import pytest

import lattice
from batch import resources
from batch.resources import (
    BASE_MEMORY,
    Estimate,
    ResourceError,
    check,
    dense_estimate,
    format_bytes,
    format_seconds,
    free_disk,
    transfer_estimate,
)
from lattice.transfer_matrix.transfer import transfer_work

#: The estimates promise a factor of about 2-3 (module docstring); asserted: measured
#: peak <= estimate <= this times the measured peak (both without the fixed BASE_MEMORY).
OVERESTIMATE = 3.0


def _peak(function) -> float:
    """Peak traced bytes of a second call (one-time allocations, e.g. kernel caches, excluded)."""
    function()
    tracemalloc.start()
    try:
        function()
        return float(tracemalloc.get_traced_memory()[1])
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize(("dim", "size", "flux"), [(1, 500, 0.0), (2, 24, 0.0), (2, 16, 0.25)])
def test_dense_estimate_bounds_the_measured_peak(dim: int, size: int, flux: float) -> None:
    model = lattice.AndersonModel(dim=dim, L=size, disorder=2.0, flux=flux)
    omega = np.linspace(0.05, 1.0, 16)

    def work() -> None:
        lattice.conductivity(model, omega, fermi_energy=0.3, eta=0.05, realizations=1, seed=1)

    measured = _peak(work)
    estimate = dense_estimate(size**dim, 16 if flux else 8).memory - BASE_MEMORY
    assert measured <= estimate <= OVERESTIMATE * measured


def test_transfer_estimate_bounds_the_measured_peak() -> None:
    args = (2, 2.0, 0.3)
    measured = _peak(lambda: lattice.localization_length(*args, width=96, max_length=480))
    work = transfer_work(*args, width=96)
    estimate = transfer_estimate(work).memory - BASE_MEMORY
    assert measured <= estimate <= OVERESTIMATE * measured


def test_transfer_estimate_states_the_time_range() -> None:
    work = transfer_work(2, 1.0, 0.0, width=2000)
    estimate = transfer_estimate(work)
    assert estimate.seconds > 3600  # hours at the minimum length: worth announcing
    assert f"{work.min_length:,} to {work.max_length:,} slices" in estimate.notes[0]


def test_refusal_is_one_line_naming_need_and_availability() -> None:
    estimate = dense_estimate(10_000_000)
    with pytest.raises(ResourceError) as info:
        check(estimate, available=8 * 2**30)
    message = str(info.value)
    assert "\n" not in message and len(message) <= 200
    assert "3.55 PiB" in message and "8 GiB available" in message  # 5 x 8 N^2 bytes
    assert "--no-resource-check" in message
    check(estimate, memory=False)  # Dask: tasks run elsewhere; no disk part here
    check(dense_estimate(100), available=8 * 2**30)


def test_disk_refusal_names_the_output(tmp_path) -> None:
    estimate = Estimate(memory=1.0, disk=5e12, what="x")
    with pytest.raises(ResourceError, match="4.55 TiB of disk for .*out.h5, 1 GiB free"):
        check(estimate, tmp_path / "out.h5", free=2**30)
    check(Estimate(disk=1e3), tmp_path / "out.h5")


def test_machine_numbers(tmp_path) -> None:
    assert 0 < resources.available_memory() < math.inf
    deep = tmp_path / "not" / "yet" / "there.h5"
    assert free_disk(deep) == pytest.approx(shutil.disk_usage(tmp_path).free, rel=0.01)
    meminfo = tmp_path / "meminfo"
    meminfo.write_text("MemTotal: 100 kB\nMemAvailable:    2048 kB\n")
    assert resources._meminfo_available(str(meminfo)) == 2048 * 1024
    assert resources._meminfo_available(str(tmp_path / "missing")) is None


def test_sparse_estimate_is_within_a_factor_3_of_the_measured_time() -> None:
    """The sparse engine's time model (SPARSE_SECONDS per site and window level, the
    levels from a flat DOS) against the CPU time of one window on one thread (2D
    L = 96, W = 3, E_F = -1, w_max = 0.1: 263 levels, about 2.5 s measured, 2.1 s
    estimated); the old model, one factorization per shift, estimated 0.05 s here and
    2 s instead of ~60 s at L = 224."""
    import time

    from lattice.exact.spectrum import diagonalize
    from lattice.exact.transitions import energy_window

    model = lattice.AndersonModel(dim=2, L=96, disorder=3.0)
    start = time.process_time()
    diagonalize(model, 0, 7, energy_window(-1.0, 0.0, 0.1), "sparse", workers=1)
    measured = time.process_time() - start
    sizes = resources.engine_sizes("sparse", {"w_max": 0.1}, 2, 3.0, 1)
    estimate = resources.sparse_estimate(model.n_sites, 8, sizes).seconds
    assert measured / 3 <= estimate <= 3 * measured


def test_engines_plug_in() -> None:
    assert {"dense", "sparse", "kpm"} <= set(resources.ENGINES)
    # at 10^6 sites only the matrix-free engines fit in a few GiB
    assert resources.ENGINES["dense"](10**6, 8, {}).memory > 1e12
    assert resources.ENGINES["kpm"](10**6, 8, {}).memory < 2**30
    slow = resources.ENGINES["kpm"](10**6, 8, {"moments": 2048, "vectors": 4}).seconds
    # the kpm DOS costs moments/2 products per vector: linear in both (lattice.chebyshev.kpm)
    assert slow == pytest.approx(8 * resources.ENGINES["kpm"](10**6, 8, {}).seconds)
    resources.register_engine("test-engine", lambda n, itemsize, settings: Estimate(memory=n))
    try:
        assert resources.ENGINES["test-engine"](5, 8, {}).memory == 5
    finally:
        del resources.ENGINES["test-engine"]


def test_formatting() -> None:
    assert format_bytes(512) == "512 B"
    assert format_bytes(728 * 2**40) == "728 TiB"
    assert format_seconds(40) == "40 s"
    assert format_seconds(7200) == "2 h"
    assert format_seconds(math.inf) == "inf"


def test_resumed_run_announces_only_the_work_left(tmp_path, tiny_text, capsys, monkeypatch):
    """A resumed ``vwloc run`` estimates the realizations not yet archived: none left, no
    announcement; an extension by as many again, half the whole sweep's time, "left"."""
    from batch.archive import ArchiveWriter, SweepInput
    from batch.cli import main
    from batch.commands import run as run_command
    from batch.config import parse_config
    from batch.resources import sweep_estimate

    monkeypatch.setattr(run_command, "ESTIMATE_SECONDS", 0.0)  # announce every run
    config, out = tmp_path / "tiny.toml", tmp_path / "tiny.h5"
    config.write_text(tiny_text)
    command = ["run", str(config), "-o", str(out), "--workers", "1"]
    assert main(command) == 0
    first = [line for line in capsys.readouterr().err.splitlines() if "estimate:" in line]
    assert len(first) == 1 and " left " not in first[0]
    assert main(command) == 0  # complete: nothing to announce
    assert "estimate:" not in capsys.readouterr().err
    doubled = ("run.realizations=12",)
    archived = ArchiveWriter.verify(out, {"": SweepInput(parse_config(tiny_text), "", doubled)})
    assert set(archived[""].values()) == {6}
    extended = parse_config(tiny_text.replace("realizations = 6", "realizations = 12"))
    whole, left = sweep_estimate(extended), sweep_estimate(extended, 1, archived[""])
    assert left.seconds == pytest.approx(whole.seconds / 2)
    assert (left.memory, left.disk) == (whole.memory, whole.disk)
    assert main([*command, "--set", doubled[0]]) == 0
    (line,) = [line for line in capsys.readouterr().err.splitlines() if "estimate:" in line]
    assert " left on 1 worker(s)" in line
