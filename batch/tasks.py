"""Running one task: the science calls of its observables, on any worker.

:func:`execute` runs one task on whatever process or Dask worker it lands on,
with one BLAS thread, and returns a picklable :class:`TaskResult`. A task with
several observables diagonalizes each realization once
(``lattice.joint_observables``); the observables themselves are described in
:mod:`lattice.observables`.
"""

from __future__ import annotations

import functools
import os
import socket
import time
from dataclasses import dataclass

import numpy as np
from threadpoolctl import ThreadpoolController

import lattice
from batch.points import model_of, request_of
from batch.sweep import Task
from lattice.observables import OBSERVABLES, Request

__all__ = ["TaskResult", "execute", "params_of"]


@dataclass(frozen=True)
class TaskResult:
    """The arrays of one finished task, sent back to the single archive writer."""

    task_id: str
    """:attr:`batch.sweep.Task.id`."""
    point_id: str
    """:attr:`batch.points.SweepPoint.id`."""
    start: int
    """First realization index."""
    stop: int
    """One past the last realization index."""
    arrays: dict[str, dict[str, np.ndarray]]
    """Observable -> output name -> array of shape (stop - start, *axes)."""
    seconds: float
    """Wall time of the science call."""
    worker: str
    """Host name and process id that computed it."""
    sweep: str = ""
    """:attr:`batch.sweep.Task.sweep`: the sweep of an archive of several (``""``: the one)."""


def params_of(task: Task, name: str) -> Request:
    """The :class:`lattice.observables.Request` of observable ``name`` of a task."""
    return request_of(task.config, task.point, name)


def _compute(task: Task) -> dict[str, dict[str, np.ndarray]]:
    seed = task.config.run.seed
    if len(task.observables) == 1:
        (name,) = task.observables
        return {name: OBSERVABLES[name].compute(params_of(task, name), task.realizations, seed)}
    settings = {
        name: OBSERVABLES[name].joint_settings(params_of(task, name)) for name in task.observables
    }
    results = lattice.joint_observables(
        model_of(task.point, task.config.model),
        fermi_energy=task.point.fermi_energy,
        realizations=task.realizations,
        seed=seed,
        **settings,
    )
    return {name: OBSERVABLES[name].extract(results[name]) for name in task.observables}


@functools.cache
def _blas() -> ThreadpoolController:
    """The thread pools of the loaded BLAS/OpenMP libraries (inspected once per process)."""
    return ThreadpoolController()


def execute(task: Task) -> TaskResult:
    """Compute one task (runs on a worker; pure function of the task).

    A task with several observables diagonalizes each realization once
    (``lattice.joint_observables``); one with a single observable calls its
    lattice function. BLAS runs single-threaded, as in a pinned worker process,
    so the bits are the same in the calling process, a worker or on Dask.
    """
    began = time.perf_counter()
    # One BLAS thread everywhere: threaded LAPACK rounds differently with the thread
    # count, and the data must not depend on the executor (DESIGN.md section 3).
    with _blas().limit(limits=1):
        arrays = _compute(task)
    seconds = time.perf_counter() - began
    count = task.stop - task.start
    for name in task.observables:
        for out, axes in OBSERVABLES[name].outputs.items():
            value = np.asarray(arrays[name][out], dtype=float)
            if value.ndim != len(axes) + 1 or value.shape[0] != count:
                raise RuntimeError(
                    f"{name} returned {out} of shape {value.shape}, expected "
                    f"({count}, {', '.join(axes)})"
                )
            arrays[name][out] = value
    return TaskResult(
        task_id=task.id,
        point_id=task.point.id,
        start=task.start,
        stop=task.stop,
        arrays=arrays,
        seconds=seconds,
        worker=f"{socket.gethostname()}:{os.getpid()}",
        sweep=task.sweep,
    )
