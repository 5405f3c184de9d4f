"""Executors: where tasks run. Results always come back to the one archive-writing process.

``serial``
    In the calling process, in task order (tests, debugging, tiny sweeps).
``processes``
    ``concurrent.futures.ProcessPoolExecutor`` on this machine (default: all
    cores), started with ``spawn`` and with the BLAS/OpenMP/numba thread pools
    pinned to one thread per worker through the environment, so N workers use
    N cores. A worker that dies takes the pool down; the unfinished tasks are
    resubmitted to a fresh pool (giving up after :data:`MAX_ATTEMPTS`
    breakdowns in a row without a finished task).
``dask``
    ``distributed.Client`` connected to a running scheduler
    (``--scheduler tcp://host:port``, e.g. started by dask-jobqueue on a
    SLURM/PBS cluster, docs/cluster.md) or to a ``LocalCluster``
    (``--scheduler local``). The Dask scheduler itself reschedules the tasks
    of a worker that dies. vwloc adds no cluster layer of its own.

Results are yielded as tasks finish; the writer stores rows by realization
index, so the completion order never changes the archive, and a task that
runs twice (a retry after a worker died) writes the same bits twice.
"""

from __future__ import annotations

import abc
import concurrent.futures as cf
import multiprocessing
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

__all__ = [
    "MAX_ATTEMPTS",
    "PINNED_THREADS",
    "DaskExecutor",
    "Executor",
    "ExecutorError",
    "ProcessExecutor",
    "SerialExecutor",
    "make_executor",
]

#: Worker-pool breakdowns in a row, with no task finishing in between, before giving up.
MAX_ATTEMPTS = 3
#: Environment that pins BLAS, OpenMP and numba to one thread per worker process.
PINNED_THREADS = {
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "BLIS_NUM_THREADS": "1",
    "VECLIB_MAXIMUM_THREADS": "1",
    "NUMEXPR_NUM_THREADS": "1",
    "NUMBA_NUM_THREADS": "1",
}
#: Seconds to wait for a Dask scheduler before reporting it unreachable.
CONNECT_TIMEOUT = 10


class ExecutorError(RuntimeError):
    """The executor cannot start (unreachable scheduler) or keeps losing a task."""


class Executor(abc.ABC):
    """Base class: ``map_unordered(fn, tasks)`` yields ``fn(task)`` as tasks finish."""

    #: Short description archived in the provenance of a session.
    description = "executor"

    @abc.abstractmethod
    def map_unordered(self, fn: Callable[[Any], Any], tasks: Sequence[Any]) -> Iterator[Any]:
        """Yield ``fn(task)`` for every task, in completion order."""

    def close(self) -> None:  # noqa: B027 - optional hook; the serial executor holds nothing
        """Release workers and connections (nothing to release by default)."""

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class SerialExecutor(Executor):
    """Run every task in the calling process, in order."""

    description = "serial"

    def map_unordered(self, fn: Callable[[Any], Any], tasks: Sequence[Any]) -> Iterator[Any]:
        for task in tasks:
            yield fn(task)


@contextmanager
def _pinned_environment() -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in PINNED_THREADS}
    os.environ.update(PINNED_THREADS)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


#: Seconds between a pool worker's checks that the process that started it is alive.
PARENT_POLL_SECONDS = 0.5


def _exit_with_parent(parent_pid: int) -> None:
    """Pool-worker initializer: end the worker once its parent process is gone.

    Spawned pool workers wait on a call queue whose write end they hold
    themselves, so a parent killed with SIGKILL (``kill -9`` of ``vwloc run``)
    would leave them waiting forever: 30 such orphans of 240 MB each were
    left behind by the kill-and-resume tests before this watchdog.
    """

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(PARENT_POLL_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="vwloc-parent-watch", daemon=True).start()


class ProcessExecutor(Executor):
    """Local worker processes (spawned, one BLAS/numba thread each).

    Parameters
    ----------
    workers : int, optional
        Number of processes; default ``os.cpu_count()``.
    """

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or os.cpu_count() or 1
        self.description = f"processes({self.workers})"
        self._pool: cf.ProcessPoolExecutor | None = None

    def _new_pool(self) -> cf.ProcessPoolExecutor:
        context = multiprocessing.get_context("spawn")
        with _pinned_environment():
            pool = cf.ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=context,
                initializer=_exit_with_parent,
                initargs=(os.getpid(),),
            )
            # Start the workers now, while the pinned environment is in place.
            for _ in range(self.workers):
                pool.submit(os.getpid)
        return pool

    def map_unordered(self, fn: Callable[[Any], Any], tasks: Sequence[Any]) -> Iterator[Any]:
        remaining = set(range(len(tasks)))
        breaks = 0  # pool breakdowns since the last finished task
        while remaining:
            if breaks > MAX_ATTEMPTS:
                first = tasks[min(remaining)]
                raise ExecutorError(
                    f"worker processes died {breaks} times without finishing a task "
                    f"(pending: {getattr(first, 'id', first)}, ...)"
                )
            self._pool = self._pool or self._new_pool()
            futures = {self._pool.submit(fn, tasks[k]): k for k in sorted(remaining)}
            try:
                for future in cf.as_completed(futures):
                    result = future.result()
                    remaining.discard(futures[future])
                    breaks = 0
                    yield result
            except cf.process.BrokenProcessPool:
                breaks += 1
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = None
                for future, k in futures.items():
                    if k in remaining and future.done() and future.exception() is None:
                        # Finished before the pool broke but not yet yielded.
                        remaining.discard(k)
                        breaks = 0
                        yield future.result()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


class DaskExecutor(Executor):
    """Tasks on a Dask distributed cluster.

    Parameters
    ----------
    address : str
        ``tcp://host:port`` of a running scheduler, or ``"local"`` for a
        ``LocalCluster`` of ``workers`` single-threaded worker processes.
    workers : int, optional
        Size of the ``LocalCluster`` (ignored with an address).
    """

    def __init__(self, address: str, workers: int | None = None) -> None:
        import distributed

        self._cluster = None
        try:
            if address == "local":
                with _pinned_environment():
                    self._cluster = distributed.LocalCluster(
                        n_workers=workers or os.cpu_count() or 1,
                        threads_per_worker=1,
                        processes=True,
                        dashboard_address=None,
                    )
                self._client = distributed.Client(self._cluster, timeout=CONNECT_TIMEOUT)
            else:
                _probe(address)
                self._client = distributed.Client(address, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError, ValueError) as exc:
            self.close()
            raise ExecutorError(
                f"cannot reach the Dask scheduler at {address!r} "
                f"({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''})"
            ) from None
        self.description = f"dask({address})"

    def map_unordered(self, fn: Callable[[Any], Any], tasks: Sequence[Any]) -> Iterator[Any]:
        import distributed

        token = uuid.uuid4().hex[:12]
        futures = [
            self._client.submit(fn, task, pure=False, key=f"vwloc-{token}-{k}")
            for k, task in enumerate(tasks)
        ]
        try:
            for future in distributed.as_completed(futures):
                result = future.result()
                future.release()
                yield result
        except distributed.client.FutureCancelledError as exc:
            raise ExecutorError(f"Dask cancelled a task ({exc})") from None
        except distributed.scheduler.KilledWorker as exc:
            raise ExecutorError(f"Dask workers kept dying on a task ({exc})") from None

    def close(self) -> None:
        client = getattr(self, "_client", None)
        if client is not None:
            client.close()
        if self._cluster is not None:
            self._cluster.close()


def _probe(address: str) -> None:
    """Fail at once if nothing listens at a ``tcp://host:port`` address (refused, no host)."""
    if not address.startswith("tcp://"):
        return
    host, _, port = address[len("tcp://") :].rpartition(":")
    if not port.isdigit():
        raise ValueError(f"expected tcp://host:port, got {address!r}")
    with socket.create_connection((host.strip("[]"), int(port)), timeout=CONNECT_TIMEOUT):
        pass


def make_executor(workers: int | None = None, scheduler: str | None = None) -> Executor:
    """Choose the executor of ``vwloc run``: Dask with ``scheduler``, else processes.

    ``workers == 1`` without a scheduler runs serially in the calling process.
    """
    if workers is not None and workers < 1:
        raise ValueError(f"--workers must be >= 1, got {workers}")
    if scheduler:
        return DaskExecutor(scheduler, workers)
    if workers == 1:
        return SerialExecutor()
    return ProcessExecutor(workers)
