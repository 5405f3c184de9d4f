"""Executors with real components: worker processes and a real Dask scheduler with workers."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from batch.archive import read_archive
from batch.config import parse_config
from batch.executors import (
    PINNED_THREADS,
    DaskExecutor,
    ExecutorError,
    ProcessExecutor,
    SerialExecutor,
)
from batch.runner import run_sweep

from .conftest import done_count, vwloc_command

#: Seconds allowed for the scheduler or a worker to come up on a loaded machine.
STARTUP = 120.0

FLAKY = f'''
import os
from pathlib import Path


def die_once(marker):
    """Kill the worker process the first time a marker is seen, succeed afterwards."""
    marker = Path(marker)
    if not marker.exists():
        marker.write_text("died")
        os._exit(1)
    return marker.name


def threads(_):
    return {{key: os.environ.get(key) for key in {sorted(PINNED_THREADS)!r}}}
'''


@pytest.fixture
def flaky(tmp_path, monkeypatch):
    (tmp_path / "vwloc_flaky.py").write_text(FLAKY)
    monkeypatch.syspath_prepend(str(tmp_path))
    import vwloc_flaky

    return vwloc_flaky


def run_serial(text: str, path: Path) -> None:
    config = parse_config(text)
    run_sweep(config, text, path, SerialExecutor(), progress=False)


def test_worker_processes_equal_serial_bit_for_bit(tmp_path, tiny_text, same_data) -> None:
    run_serial(tiny_text, tmp_path / "serial.h5")
    with ProcessExecutor(2) as executor:
        stats = run_sweep(parse_config(tiny_text), tiny_text, tmp_path / "p.h5", executor)
    assert stats["tasks"] == 6  # sigma and alpha share a spectrum
    assert read_archive(tmp_path / "p.h5")["runs"][0]["executor"] == "processes(2)"
    same_data(tmp_path / "serial.h5", tmp_path / "p.h5")


def test_dead_worker_process_task_is_retried_and_threads_pinned(tmp_path, flaky) -> None:
    markers = [str(tmp_path / f"m{k}") for k in range(3)]
    with ProcessExecutor(2) as executor:
        results = sorted(executor.map_unordered(flaky.die_once, markers))
        (pinned,) = list(executor.map_unordered(flaky.threads, [0]))
    assert results == ["m0", "m1", "m2"]  # each lost once, each delivered exactly once
    assert pinned == PINNED_THREADS


def test_unreachable_scheduler_is_one_clear_error() -> None:
    with pytest.raises(
        ExecutorError, match="cannot reach the Dask scheduler at 'tcp://127.0.0.1:9'"
    ):
        DaskExecutor("tcp://127.0.0.1:9")


def test_local_dask_cluster_equals_serial(tmp_path, tiny_text, same_data) -> None:
    run_serial(tiny_text, tmp_path / "serial.h5")
    with DaskExecutor("local", workers=2) as executor:
        run_sweep(parse_config(tiny_text), tiny_text, tmp_path / "local.h5", executor)
    same_data(tmp_path / "serial.h5", tmp_path / "local.h5")


def _dask(*args: str, env: dict | None = None) -> subprocess.Popen:
    command = [str(Path(sys.executable).with_name("dask")), *args]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)


def _worker(address: str, env: dict | None = None) -> subprocess.Popen:
    return _dask(
        "worker", address, "--nthreads", "1", "--no-nanny", "--no-dashboard",
        "--host", "127.0.0.1", env=env,
    )  # fmt: skip


def _wait_workers(address: str, count: int) -> None:
    import distributed

    with distributed.Client(address, timeout=STARTUP) as client:
        client.wait_for_workers(count, timeout=STARTUP)


@pytest.fixture(scope="module")
def dask_cluster(tmp_path_factory):
    """A real scheduler and two workers on 127.0.0.1, as subprocesses."""
    folder = tmp_path_factory.mktemp("dask")
    scheduler_file = folder / "scheduler.json"
    scheduler = _dask(
        "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
        "--scheduler-file", str(scheduler_file),
    )  # fmt: skip
    processes = [scheduler]
    try:
        deadline = time.monotonic() + STARTUP
        while not scheduler_file.exists() or not scheduler_file.read_text().strip():
            assert time.monotonic() < deadline, "dask scheduler did not start"
            time.sleep(0.1)
        import json

        address = json.loads(scheduler_file.read_text())["address"]
        processes += [_worker(address), _worker(address)]
        _wait_workers(address, 2)
        yield address
    finally:
        for proc in reversed(processes):
            proc.kill()
            proc.wait()


def test_dask_archive_equals_serial_bit_for_bit(
    dask_cluster, tmp_path, tiny_text, same_data
) -> None:
    run_serial(tiny_text, tmp_path / "serial.h5")
    with DaskExecutor(dask_cluster) as executor:
        run_sweep(parse_config(tiny_text), tiny_text, tmp_path / "dask.h5", executor)
    assert read_archive(tmp_path / "dask.h5")["runs"][0]["executor"] == f"dask({dask_cluster})"
    same_data(tmp_path / "serial.h5", tmp_path / "dask.h5")


#: Tasks that last a while (2D 10 x 10, blocks of 3), so a killed worker is mid-task.
SLOW_TASKS = """\
[run]
seed = 4
realizations = 12
block_size = 3

[model]
dim = 2
L = 10

[sweep]
W = [2.0, 4.0]

[observables.conductivity]
omega = [0.5, 1.0]
eta = 0.1
"""


def test_dask_worker_killed_mid_run_loses_nothing(
    dask_cluster, tmp_path, same_data, vwloc
) -> None:
    config = tmp_path / "slow.toml"
    config.write_text(SLOW_TASKS)
    run_serial(SLOW_TASKS, tmp_path / "serial.h5")
    victim = _worker(dask_cluster)
    try:
        _wait_workers(dask_cluster, 3)
        out = tmp_path / "dask.h5"
        log = tmp_path / "stderr.txt"
        with log.open("w") as stderr:
            run = subprocess.Popen(
                [*vwloc_command(), "run", str(config), "-o", str(out), "--scheduler",
                 dask_cluster],
                stdout=subprocess.DEVNULL, stderr=stderr,
            )  # fmt: skip
            deadline = time.monotonic() + STARTUP
            while not (out.exists() and done_count(out) >= 3) and run.poll() is None:
                assert time.monotonic() < deadline, "no progress on the Dask cluster"
                time.sleep(0.01)
            os.kill(victim.pid, signal.SIGKILL)
            assert run.wait(timeout=STARTUP) == 0, log.read_text()
    finally:
        victim.kill()
        victim.wait()
    archive = read_archive(out, values=False)
    assert all(
        len(obs["realizations"]) == obs["total"]
        for point in archive["points"].values()
        for obs in point["observables"].values()
    )
    same_data(tmp_path / "serial.h5", out)
