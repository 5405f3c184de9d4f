"""The science call of a task: one small function per observable kind.

:data:`OBSERVABLES` maps an observable name (a table under ``[observables]``
in the config) to an :class:`ObservableKind`: the named arrays it returns per
realization with their axes, which of them get a typical (geometric) mean, the
axis coordinates, and ``compute(params, realizations, seed) -> {name: array}``
with the realization axis first. :func:`execute` runs one task on whatever
process or Dask worker it lands on and returns a picklable :class:`TaskResult`.
"""

from __future__ import annotations

import math
import os
import socket
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

import lattice
from batch.config import Model
from batch.sweep import SweepPoint, Task, model_of

__all__ = [
    "OBSERVABLES",
    "ObservableKind",
    "PointParams",
    "TaskResult",
    "execute",
    "params_of",
]


@dataclass(frozen=True)
class PointParams:
    """What a compute function needs besides the realizations and the seed."""

    point: SweepPoint
    """The sweep point (dim, L, W, E_F, flux)."""
    model: Model
    """The config's ``[model]`` table (kind, boundary, hopping, twist)."""
    settings: Any
    """The observable's config table (grids, eta, ...)."""

    def lattice_model(self) -> lattice.AndersonModel:
        """The point's ``lattice.AndersonModel``."""
        return model_of(self.point, self.model)


@dataclass(frozen=True)
class ObservableKind:
    """How one observable is computed and archived."""

    outputs: Mapping[str, tuple[str, ...]]
    """Output name -> names of its axes after the realization axis."""
    typical: tuple[str, ...]
    """Outputs that are broadly distributed and get a typical (geometric) mean."""
    axes: Callable[[PointParams], dict[str, np.ndarray]]
    """Axis name -> coordinates, for the point's settings."""
    compute: Callable[[PointParams, Sequence[int], int], dict[str, np.ndarray]]
    """``compute(params, realizations, seed)`` -> output name -> array (R, *axes)."""


def _conductivity(p: PointParams, realizations: Sequence[int], seed: int) -> dict:
    s = p.settings
    r = lattice.conductivity(
        p.lattice_model(),
        np.asarray(s.omega),
        fermi_energy=p.point.E_F,
        eta=s.eta,
        kernel=s.kernel,
        temperature=s.temperature,
        realizations=list(realizations),
        seed=seed,
    )
    return {"sigma": r.values}


def _q_grid(p: PointParams) -> np.ndarray:
    """Wave vectors (2 pi m / L_x, 0, ...) along x, shape (nq, d): the lattice's allowed grid."""
    q = np.zeros((len(p.settings.q), p.point.dim))
    q[:, 0] = 2.0 * math.pi * np.asarray(p.settings.q, dtype=float) / p.point.L[0]
    return q


def _density_response(p: PointParams, realizations: Sequence[int], seed: int) -> dict:
    s = p.settings
    r = lattice.density_response(
        p.lattice_model(),
        _q_grid(p),
        np.asarray(s.omega),
        fermi_energy=p.point.E_F,
        eta=s.eta,
        realizations=list(realizations),
        seed=seed,
    )
    chi = r.dynamic.values
    return {
        "chi_real": chi.real.copy(),
        "chi_imag": chi.imag.copy(),
        "chi_static": r.static.values,
    }


def _static_polarizability(p: PointParams, realizations: Sequence[int], seed: int) -> dict:
    r = lattice.static_polarizability(
        p.lattice_model(), fermi_energy=p.point.E_F, realizations=list(realizations), seed=seed
    )
    return {"alpha": r.values}


def _density_of_states(p: PointParams, realizations: Sequence[int], seed: int) -> dict:
    s = p.settings
    r = lattice.density_of_states(
        p.lattice_model(),
        np.asarray(s.energies),
        eta=s.eta,
        kernel=s.kernel,
        realizations=list(realizations),
        seed=seed,
    )
    return {"dos": r.values}


def _localization_length(p: PointParams, realizations: Sequence[int], seed: int) -> dict:
    """One row per point: the transfer matrix self-averages to ``precision`` (root seed)."""
    s = p.settings
    boundary = p.model.boundary if isinstance(p.model.boundary, str) else p.model.boundary[-1]
    widths, energies = np.meshgrid(s.widths, s.energies, indexing="ij")
    results = lattice.localization_lengths(
        p.point.dim,
        p.point.W,
        energies,
        widths,
        precision=s.precision,
        kind=p.model.kind,
        boundary=boundary,
        flux=p.point.flux,
        seed=seed,
    )
    xi = np.array([r.xi for r in results]).reshape(1, *widths.shape)
    err = np.array([r.xi_err for r in results]).reshape(1, *widths.shape)
    return {"xi": xi, "xi_err": err}


#: Observable name -> how to compute and archive it.
OBSERVABLES: dict[str, ObservableKind] = {
    "conductivity": ObservableKind(
        outputs={"sigma": ("omega",)},
        typical=("sigma",),
        axes=lambda p: {"omega": np.asarray(p.settings.omega)},
        compute=_conductivity,
    ),
    "density_response": ObservableKind(
        outputs={
            "chi_real": ("q", "omega"),
            "chi_imag": ("q", "omega"),
            "chi_static": ("q",),
        },
        typical=(),
        axes=lambda p: {"q": _q_grid(p)[:, 0], "omega": np.asarray(p.settings.omega)},
        compute=_density_response,
    ),
    "static_polarizability": ObservableKind(
        outputs={"alpha": ()},
        typical=("alpha",),
        axes=lambda p: {},
        compute=_static_polarizability,
    ),
    "density_of_states": ObservableKind(
        outputs={"dos": ("energy",)},
        typical=("dos",),
        axes=lambda p: {"energy": np.asarray(p.settings.energies)},
        compute=_density_of_states,
    ),
    "localization_length": ObservableKind(
        outputs={"xi": ("width", "energy"), "xi_err": ("width", "energy")},
        typical=("xi",),
        axes=lambda p: {
            "width": np.asarray(p.settings.widths),
            "energy": np.asarray(p.settings.energies),
        },
        compute=_localization_length,
    ),
}


@dataclass(frozen=True)
class TaskResult:
    """The arrays of one finished task, sent back to the single archive writer."""

    task_id: str
    """:attr:`batch.sweep.Task.id`."""
    point_id: str
    """:attr:`batch.sweep.SweepPoint.id`."""
    observable: str
    """Observable name."""
    start: int
    """First realization index."""
    stop: int
    """One past the last realization index."""
    arrays: dict[str, np.ndarray]
    """Output name -> array of shape (stop - start, *axes)."""
    seconds: float
    """Wall time of the science call."""
    worker: str
    """Host name and process id that computed it."""


def params_of(task: Task) -> PointParams:
    """The :class:`PointParams` of a task."""
    settings = getattr(task.config.observables, task.observable)
    return PointParams(point=task.point, model=task.config.model, settings=settings)


def execute(task: Task) -> TaskResult:
    """Compute one task (runs on a worker; pure function of the task)."""
    kind = OBSERVABLES[task.observable]
    params = params_of(task)
    began = time.perf_counter()
    arrays = kind.compute(params, task.realizations, task.config.run.seed)
    seconds = time.perf_counter() - began
    count = task.stop - task.start
    for name, axes in kind.outputs.items():
        value = np.asarray(arrays[name], dtype=float)
        if value.ndim != len(axes) + 1 or value.shape[0] != count:
            raise RuntimeError(
                f"{task.observable} returned {name} of shape {value.shape}, expected "
                f"({count}, {', '.join(axes)})"
            )
        arrays[name] = value
    return TaskResult(
        task_id=task.id,
        point_id=task.point.id,
        observable=task.observable,
        start=task.start,
        stop=task.stop,
        arrays=arrays,
        seconds=seconds,
        worker=f"{socket.gethostname()}:{os.getpid()}",
    )
