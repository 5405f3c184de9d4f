"""Tasks: sweep points times observable groups times realization blocks.

A task is (sweep point, observables, block of realization indices
``[start, stop)``): the observables that can share one diagonalization per
realization travel together, the others alone. Blocks are aligned to multiples
of ``run.block_size``, and realization i always carries the disorder of
``SeedSequence(run.seed, spawn_key=(i,))`` (DESIGN.md section 3), so the data
never depend on how the realizations were cut into tasks or scheduled. The
sweep points themselves are in :mod:`batch.points`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from batch.config import Config
from batch.points import SweepPoint, request_of, sweep_points
from lattice.observables import OBSERVABLES

__all__ = ["Task", "joinable", "plan_tasks"]


@dataclass(frozen=True)
class Task:
    """Work unit: realizations ``start .. stop-1`` of some observables at one sweep point."""

    point: SweepPoint
    """The sweep point."""
    observables: tuple[str, ...]
    """Names of the observables (keys of :data:`lattice.observables.OBSERVABLES`); several
    share one diagonalization per realization."""
    start: int
    """First realization index."""
    stop: int
    """One past the last realization index."""
    config: Config
    """The run's config (model base parameters, grids, seed)."""
    sweep: str = ""
    """Name of the sweep in an archive of several (``""`` for a single-sweep archive)."""

    @property
    def id(self) -> str:
        """Deterministic id ``[<sweep>/]<point id>/<observable>[+...]/<start>-<stop>``."""
        prefix = f"{self.sweep}/" if self.sweep else ""
        return f"{prefix}{self.point.id}/{'+'.join(self.observables)}/{self.start}-{self.stop}"

    @property
    def realizations(self) -> list[int]:
        """The realization indices of the task."""
        return list(range(self.start, self.stop))


def joinable(config: Config, point: SweepPoint, name: str) -> bool:
    """Whether ``name`` can share one diagonalization per realization with others."""
    return OBSERVABLES[name].joint_settings(request_of(config, point, name)) is not None


def _groups(config: Config, point: SweepPoint) -> list[tuple[str, ...]]:
    """Observables computed together: all that can share a spectrum, then the others."""
    names = list(config.observables.enabled())
    joint = tuple(name for name in names if joinable(config, point, name))
    if len(joint) < 2:
        return [(name,) for name in names]
    return [joint] + [(name,) for name in names if name not in joint]


def plan_tasks(
    config: Config, done: Mapping[tuple[str, str], np.ndarray] | None = None, sweep: str = ""
) -> list[Task]:
    """Cut the missing realizations of every (point, observable group) into tasks.

    Observables that can share one diagonalization per realization
    (``lattice.joint_observables``) form one group; the others are alone.

    Parameters
    ----------
    config : Config
        The validated config.
    done : mapping, optional
        ``{(point id, observable): bool array}``, True where a realization is
        already archived (resume). A group's realization is missing if it is
        missing for any member.
    sweep : str
        Name of the sweep in an archive of several; carried by every task.

    Returns
    -------
    list of Task
        In sweep order; each block ``[k B, (k+1) B)`` contributes its missing
        contiguous runs.
    """
    block = config.run.block_size
    tasks = []
    for point in sweep_points(config):
        for group in _groups(config, point):
            n = config.realization_count(group[0])
            mask = np.ones(n, dtype=bool)
            for name in group:
                known = np.zeros(n, dtype=bool)
                if done is not None and (point.id, name) in done:
                    flags = np.asarray(done[point.id, name], dtype=bool)[:n]
                    known[: flags.size] = flags
                mask &= known
            for first in range(0, n, block):
                last = min(first + block, n)
                start = None
                for i in range(first, last + 1):
                    missing = i < last and not mask[i]
                    if missing and start is None:
                        start = i
                    elif not missing and start is not None:
                        tasks.append(Task(point, group, start, i, config, sweep))
                        start = None
    return tasks
