"""Sweep points and tasks: the Cartesian product of the sweep axes times realization blocks.

A sweep point fixes (dim, L, W, E_F, flux); its id is built from these values
only (``dim2_L8_W1.5_EF0.0_flux0.0``), so adding values to an axis never
renames an existing point. A task is (sweep point, observables, block of
realization indices ``[start, stop)``): the observables that can share one
diagonalization per realization travel together, the others alone. Blocks are
aligned to multiples of
``run.block_size``, and realization i always carries the disorder of
``SeedSequence(run.seed, spawn_key=(i,))`` (DESIGN.md section 3), so the data
never depend on how the realizations were cut into tasks or scheduled.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

import lattice
from batch.config import LATTICE_OBSERVABLES, Config, ConfigError, Model

__all__ = ["SweepPoint", "Task", "model_of", "plan_tasks", "sweep_points"]


@dataclass(frozen=True)
class SweepPoint:
    """One point of the sweep: the model parameters shared by all its tasks."""

    dim: int
    """Spatial dimension d."""
    L: tuple[int, ...] | None
    """Sites per axis (None for a config with transfer-matrix observables only)."""
    W: float
    """Disorder strength in units of t."""
    E_F: float
    """Fermi energy in units of t."""
    flux: float
    """Flux per plaquette in flux quanta."""

    @property
    def id(self) -> str:
        """Deterministic group name, e.g. ``dim2_L8x8_W1.5_EF0.0_flux0.0``."""
        size = "none" if self.L is None else "x".join(str(n) for n in self.L)
        return f"dim{self.dim}_L{size}_W{self.W!r}_EF{self.E_F!r}_flux{self.flux!r}"

    def params(self) -> dict[str, Any]:
        """The point's parameters as plain values (archived as group attributes)."""
        return {
            "dim": self.dim,
            "L": list(self.L) if self.L is not None else [],
            "W": self.W,
            "E_F": self.E_F,
            "flux": self.flux,
        }


@dataclass(frozen=True)
class Task:
    """Work unit: realizations ``start .. stop-1`` of some observables at one sweep point."""

    point: SweepPoint
    """The sweep point."""
    observables: tuple[str, ...]
    """Names of the observable kinds (keys of :data:`batch.tasks.OBSERVABLES`); several
    share one diagonalization per realization."""
    start: int
    """First realization index."""
    stop: int
    """One past the last realization index."""
    config: Config
    """The run's config (model base parameters, grids, seed)."""

    @property
    def id(self) -> str:
        """Deterministic id ``<point id>/<observable>[+<observable>...]/<start>-<stop>``."""
        return f"{self.point.id}/{'+'.join(self.observables)}/{self.start}-{self.stop}"

    @property
    def realizations(self) -> list[int]:
        """The realization indices of the task."""
        return list(range(self.start, self.stop))


def model_of(point: SweepPoint, m: Model) -> lattice.AndersonModel:
    """Return the ``lattice.AndersonModel`` of a sweep point with the ``[model]`` table ``m``."""
    return lattice.AndersonModel(
        dim=point.dim,
        L=point.L,
        disorder=point.W,
        kind=m.kind,
        boundary=m.boundary,
        flux=point.flux,
        hopping=m.hopping,
        twist=m.twist,
    )


def sweep_points(config: Config) -> list[SweepPoint]:
    """Return the sweep points in product order of the axes dim, L, W, E_F, flux.

    Every point's lattice is built once here (cheap), so an impossible
    combination (e.g. a flux incommensurate with L_x) is rejected before any work.

    Raises
    ------
    ConfigError
        Naming the sweep point and the lattice's reason.
    """
    m, s = config.model, config.sweep
    needs_lattice = any(name in config.observables.enabled() for name in LATTICE_OBSERVABLES)
    needs_lattice |= config.observables.density_of_states is not None
    points = []
    for dim, size, w, e_f, flux in itertools.product(
        s.dim or (m.dim,),
        s.L or (m.L,),
        s.W or (m.disorder,),
        s.E_F or (m.fermi_energy,),
        s.flux or (m.flux,),
    ):
        shape = None if size is None else (size,) * dim if isinstance(size, int) else size
        point = SweepPoint(dim=dim, L=shape, W=w, E_F=e_f, flux=flux)
        if needs_lattice:
            try:
                model_of(point, m)
            except ValueError as exc:
                raise ConfigError(f"sweep point {point.id}: {exc}") from None
        points.append(point)
    return points


def _groups(config: Config, point: SweepPoint) -> list[tuple[str, ...]]:
    """Observables computed together: all that can share a spectrum, then the others."""
    from batch.tasks import joinable  # deferred: batch.tasks imports this module

    names = list(config.observables.enabled())
    joint = tuple(name for name in names if joinable(config, point, name))
    if len(joint) < 2:
        return [(name,) for name in names]
    return [joint] + [(name,) for name in names if name not in joint]


def plan_tasks(
    config: Config, done: Mapping[tuple[str, str], np.ndarray] | None = None
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
                        tasks.append(Task(point, group, start, i, config))
                        start = None
    return tasks
