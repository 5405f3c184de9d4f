"""``vwloc run``, ``vwloc show``, ``vwloc config`` as subprocesses: output, errors, exit codes."""

from __future__ import annotations

import hashlib
import json
import re
import resource
import signal
import subprocess

import h5py
import numpy as np
import pytest

from batch.archive import ArchiveWriter, read_archive
from batch.config import parse_config
from batch.sweep import plan_tasks
from batch.tasks import execute

from .conftest import done_count, vwloc_command


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def one_error_line(result: subprocess.CompletedProcess[str], command: str) -> str:
    """Exit status 2 and exactly one line on stderr, no traceback.

    Plain progress lines of the work done before a failure (stderr is a pipe here)
    may precede it; nothing else may.
    """
    assert result.returncode == 2, result.stderr
    progress = re.compile(rf"vwloc {command}: \d+/\d+ realizations \(\d+ %\), ")
    lines = [line for line in result.stderr.strip().splitlines() if not progress.match(line)]
    assert len(lines) == 1 and lines[0].startswith(f"vwloc {command}: error: "), result.stderr
    return lines[0]


@pytest.fixture
def config_file(tmp_path, tiny_text):
    path = tmp_path / "tiny.toml"
    path.write_text(tiny_text)
    return path


def test_run_then_show_json_and_text(tmp_path, config_file, vwloc, same_data) -> None:
    out = tmp_path / "out.h5"
    result = vwloc("run", str(config_file), "-o", str(out), "--workers", "1",
                   "--set", "run.realizations=4")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    shown = vwloc("show", str(out), "--json")
    assert shown.returncode == 0, shown.stderr
    info = json.loads(shown.stdout)  # exactly one JSON object on stdout
    assert info["complete"] and info["realizations_done"] == info["realizations_total"] == 16
    assert [p["id"] for p in info["points"]] == [
        "dim1_L8_W1.0_EF0.0_flux0.0",
        "dim1_L8_W2.0_EF0.0_flux0.0",
    ]
    scalars = info["points"][1]["observables"]["static_polarizability"]["summary"]["alpha"]
    alpha = read_archive(out)["points"]["dim1_L8_W2.0_EF0.0_flux0.0"]["observables"]
    assert scalars["mean"] == float(alpha["static_polarizability"]["mean"]["alpha"])
    text = vwloc("show", str(out))
    # 4 realizations x 2 points, 2 observables each: counted per point, not per observable
    assert (
        "realizations: 4/4 per sweep point at 2 point(s), 2 observable(s) each "
        "(16/16 realization-observables, 100.0%)" in text.stdout
    )
    assert (
        result.stderr.strip()
        .splitlines()[-1]
        .endswith(
            "4 new realization(s) per sweep point at 2 point(s) (2 observable(s) each) in 4 "
            "task(s); the sweep has 4 realization(s) per point"
        )
    )
    assert "conductivity 4/4 [omega=4]" in text.stdout
    assert read_archive(out)["overrides"] == ["run.realizations=4"]
    # the CPU numba compiled for and the BLAS kernels: what bit-identity is relative to
    session = info["last_session"]
    assert session["cpu"] and f"(CPU {session['cpu']})" in text.stdout
    assert "blas" in session


def test_show_reads_a_running_archive(tmp_path, tiny_text, vwloc) -> None:
    out = tmp_path / "running.h5"
    config = parse_config(tiny_text)
    with ArchiveWriter.open(out, config, tiny_text, (), "serial") as writer:
        for task in plan_tasks(config, writer.done_masks())[:2]:
            writer.write(execute(task))
        shown = vwloc("show", str(out), "--json")  # while the writer holds the file
    assert shown.returncode == 0, shown.stderr
    info = json.loads(shown.stdout)
    assert not info["complete"] and info["realizations_done"] == 8  # 2 tasks x 2 x (sigma, alpha)
    assert info["last_session"]["finished"] is None


def test_config_command(vwloc, tmp_path) -> None:
    listing = vwloc("config", "--list")
    assert listing.returncode == 0
    names = [line.split()[0] for line in listing.stdout.splitlines()]
    assert "tiny" in names
    tiny = vwloc("config", "tiny")
    assert tiny.returncode == 0 and tiny.stdout.startswith("#")
    parse_config(tiny.stdout)
    one_error_line(vwloc("config", "no-such-config"), "config")


def test_bad_config_is_one_line_before_any_work(tmp_path, config_file, vwloc) -> None:
    out = tmp_path / "out.h5"
    good = config_file.read_text()
    config_file.write_text(good.replace("eta = 0.1", "eta = -0.1"))
    line = one_error_line(vwloc("run", str(config_file), "-o", str(out)), "run")
    assert "tiny.toml:15: observables.conductivity.eta: must be > 0.0, got -0.1" in line
    assert not out.exists()
    config_file.write_text(good)
    line = one_error_line(
        vwloc("run", str(config_file), "-o", str(out), "--set", "sweep.W=[1.0, -3.0]"), "run"
    )
    assert "--set sweep.W" in line


def test_foreign_or_corrupted_output_is_refused_and_kept(tmp_path, config_file, vwloc) -> None:
    foreign = tmp_path / "foreign.h5"
    with h5py.File(foreign, "w") as handle:
        handle["data"] = np.arange(4)
    before = digest(foreign)
    line = one_error_line(vwloc("run", str(config_file), "-o", str(foreign)), "run")
    assert "not a vwloc archive" in line
    assert digest(foreign) == before
    one_error_line(vwloc("show", str(foreign)), "show")
    garbage = tmp_path / "garbage.h5"
    garbage.write_bytes(b"\x89HDF\r\n\x1a\n" + bytes(range(256)) * 4)
    assert "not a readable HDF5 file" in one_error_line(vwloc("show", str(garbage)), "show")


def test_unreachable_scheduler_keeps_the_archive(tmp_path, config_file, vwloc) -> None:
    out = tmp_path / "out.h5"
    assert vwloc("run", str(config_file), "-o", str(out), "--workers", "1").returncode == 0
    before = digest(out)
    line = one_error_line(
        vwloc("run", str(config_file), "-o", str(out), "--scheduler", "tcp://127.0.0.1:9"),
        "run",
    )
    assert "cannot reach the Dask scheduler at 'tcp://127.0.0.1:9'" in line
    assert digest(out) == before


#: Enough data per task (2000 frequencies) that the archive outgrows the file-size limit.
LIMIT_BYTES = 400_000


def test_disk_full_is_one_line_and_resume_completes(tmp_path, config_file, vwloc, same_data):
    text = config_file.read_text().replace(
        "omega = [0.2, 0.6, 1.0, 1.4]", "omega = {start = 0.01, stop = 3.0, num = 2000}"
    )
    config_file.write_text(text)
    out, reference = tmp_path / "out.h5", tmp_path / "reference.h5"
    assert vwloc("run", str(config_file), "-o", str(reference), "--workers", "1").returncode == 0

    def small_disk() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT_BYTES, LIMIT_BYTES))

    full = subprocess.run(
        [*vwloc_command(), "run", str(config_file), "-o", str(out), "--workers", "1"],
        capture_output=True, text=True, timeout=300, preexec_fn=small_disk,
    )  # fmt: skip
    line = one_error_line(full, "run")
    assert "disk full" in line and "rerun the same command to resume" in line
    assert 0 < done_count(out) < 24
    assert vwloc("run", str(config_file), "-o", str(out), "--workers", "1").returncode == 0
    same_data(reference, out)
