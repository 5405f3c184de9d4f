"""kill -9 a real ``vwloc run`` at many moments, resume, and compare bit for bit."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import numpy as np
import pytest

from batch.archive import read_archive
from batch.config import parse_config
from batch.executors import SerialExecutor
from batch.runner import run_sweep

from .conftest import done_count, vwloc_command

#: 1D rings of 256 sites: 2 points x 20 tasks of 2 realizations (sigma and alpha from one
#: spectrum, ~30 ms per realization): a run lasts ~2 s of compute plus start-up, long
#: enough to be killed at many moments, with writes every ~60 ms.
KILL_CONFIG = """\
[run]
seed = 3
realizations = 40
block_size = 2

[model]
dim = 1
L = 256

[sweep]
W = [1.0, 2.5]

[observables.conductivity]
omega = [0.1, 0.3, 0.9, 1.5, 2.5]
eta = 0.05

[observables.static_polarizability]
"""
#: Seconds to wait for one state change of the subprocess before failing the test.
PATIENCE = 60.0
#: Seconds a pool worker may take to notice that its parent was killed (polls every 0.5 s,
#: but a worker inside a compiled kernel only sees it when the kernel returns).
WORKER_EXIT_SECONDS = 15.0
#: Poll interval (s) while watching the archive grow.
POLL = 0.005


def wait_for(condition, proc) -> bool:
    """Wait until ``condition()`` or the process ends; True if the process is still running."""
    deadline = time.monotonic() + PATIENCE
    while proc.poll() is None:
        if condition():
            return True
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail("vwloc run made no progress")
        time.sleep(POLL)
    return False


def kill_and_resume(
    tmp_path, same_data, kills: int, workers: int, seed: int, realizations: int = 40
) -> None:
    text = KILL_CONFIG.replace("realizations = 40", f"realizations = {realizations}")
    config_path = tmp_path / "kill.toml"
    config_path.write_text(text)
    reference = tmp_path / "reference.h5"
    config = parse_config(text)
    run_sweep(config, text, reference, SerialExecutor(), progress=False)
    total = done_count(reference)
    path = tmp_path / "killed.h5"
    tmp = tmp_path / "killed.h5.tmp"
    command = [*vwloc_command(), "run", str(config_path), "-o", str(path)]
    command += ["--workers", str(workers)]
    rng = np.random.default_rng(seed)
    moments = []
    while len(moments) < kills:
        before = max(done_count(path), 0) if path.exists() else 0
        log = tmp_path / f"stderr-{len(moments)}.txt"
        with log.open("w") as stderr:
            proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr)
        k = len(moments)
        if k % 5 == 0:  # while the fresh file is built, before the atomic rename
            alive = wait_for(tmp.exists, proc)
            time.sleep(rng.uniform(0.0, 0.02))
            moment = "build"
        elif k % 5 == 1:  # anywhere in start-up, build or the first tasks
            delay = rng.uniform(0.1, 1.5)
            deadline = time.monotonic() + delay
            alive = wait_for(lambda d=deadline: time.monotonic() > d, proc)
            moment = f"{delay:.2f}s"
        else:  # right after a given number of realizations were flagged done
            step = max(2, (total - before) // (kills - k + 1))  # spread over what is left
            target = min(before + int(rng.integers(1, step)), total - 2)
            alive = wait_for(lambda t=target: done_count(path) >= t, proc)
            time.sleep(rng.uniform(0.0, 0.01))
            moment = f"done>={target}"
        if proc.poll() is not None:
            assert proc.returncode == 0, log.read_text()
            break  # finished before the kill: nothing left to interrupt
        assert alive
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        moments.append(moment)
        assert done_count(path) >= before if path.exists() else True  # nothing lost
        if path.exists():
            read_archive(path)  # opens after every kill
    assert len(moments) >= kills, f"only {len(moments)} kills landed: {moments}"
    final = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert final.returncode == 0, final.stderr
    assert not tmp.exists()
    same_data(reference, path)
    sessions = read_archive(path, values=False)["runs"]
    assert sessions[-1]["finished"] is not None


def test_kill_nine_at_four_moments_then_resume_is_bit_identical(tmp_path, same_data) -> None:
    """Fast version: one kill in each kind of moment (build, random, two after progress)."""
    kill_and_resume(tmp_path, same_data, kills=4, workers=1, seed=20261125)


@pytest.mark.slow
def test_kill_nine_at_twelve_moments_then_resume_is_bit_identical(tmp_path, same_data) -> None:
    kill_and_resume(tmp_path, same_data, kills=12, workers=1, seed=1, realizations=120)


@pytest.mark.slow
def test_kill_nine_twenty_times_with_worker_processes(tmp_path, same_data) -> None:
    kill_and_resume(tmp_path, same_data, kills=20, workers=2, seed=7, realizations=200)


def child_pids(pid: int) -> set[int]:
    """Processes whose parent is ``pid`` (from /proc; Linux)."""
    children = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            children.add(int(stat.parent.name))
    return children


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_workers_exit_when_run_is_killed(tmp_path) -> None:
    """kill -9 of `vwloc run --workers 2` leaves no orphaned worker processes behind."""
    config_path = tmp_path / "kill.toml"
    config_path.write_text(KILL_CONFIG.replace("realizations = 40", "realizations = 400"))
    path = tmp_path / "killed.h5"
    command = [*vwloc_command(), "run", str(config_path), "-o", str(path), "--workers", "2"]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: set[int] = set()
    assert wait_for(lambda: path.exists() and done_count(path) > 0, proc)
    workers = {pid for pid in child_pids(proc.pid) if Path(f"/proc/{pid}").exists()}
    assert len(workers) >= 2, f"expected 2 pool workers, found {workers}"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + WORKER_EXIT_SECONDS
    while time.monotonic() < deadline and any(Path(f"/proc/{pid}").exists() for pid in workers):
        time.sleep(0.1)
    alive = [pid for pid in workers if Path(f"/proc/{pid}").exists()]
    for pid in alive:
        os.kill(pid, signal.SIGKILL)
    assert not alive, f"worker processes {alive} outlived the killed run"
