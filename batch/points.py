"""Sweep points: the Cartesian product of the sweep axes (dim, L, W, E_F, flux).

A sweep point fixes (dim, L, W, E_F, flux); its id is built from these values
only (``dim2_L8_W1.5_EF0.0_flux0.0``), so adding values to an axis never
renames an existing point. :func:`model_of` turns a point and the config's
``[model]`` table into the ``lattice.AndersonModel`` every task of the point uses.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import lattice
from batch.config import SWEEP_AXES, Config, ConfigError, Model, needs_lattice
from lattice.observables import Point, Request
from vwloc_common.vocabulary import by_symbol

__all__ = ["SweepPoint", "model_of", "physical_point", "point_grid", "request_of", "sweep_points"]


@dataclass(frozen=True)
class SweepPoint:
    """One point of the sweep: the model parameters shared by all its tasks."""

    dim: int
    """Spatial dimension d."""
    L: tuple[int, ...] | None
    """Sites per axis (None for a config with transfer-matrix observables only)."""
    disorder: float
    """Disorder strength W in units of t (sweep axis ``W``)."""
    fermi_energy: float
    """The lattice Fermi energy E_F in units of t (sweep axis ``E_F``)."""
    flux: float
    """Flux per plaquette in flux quanta."""

    @property
    def id(self) -> str:
        """Deterministic group name, e.g. ``dim2_L8x8_W1.5_EF0.0_flux0.0``."""
        size = "none" if self.L is None else "x".join(str(n) for n in self.L)
        return (
            f"dim{self.dim}_L{size}_W{self.disorder!r}_EF{self.fermi_energy!r}_flux{self.flux!r}"
        )

    def params(self) -> dict[str, Any]:
        """The point's parameters as plain values (archived as group attributes).

        The archive names the parameters by their symbols, the sweep axes
        (:mod:`vwloc_common.vocabulary`: ``W``, ``E_F``, ...).
        """
        return by_symbol(
            {
                "dim": self.dim,
                "L": list(self.L) if self.L is not None else [],
                "disorder": self.disorder,
                "fermi_energy": self.fermi_energy,
                "flux": self.flux,
            }
        )


def physical_point(point: SweepPoint, m: Model) -> Point:
    """The :class:`lattice.observables.Point` of a sweep point with the ``[model]`` table ``m``."""
    return Point(
        dim=point.dim,
        L=point.L,
        disorder=point.disorder,
        fermi_energy=point.fermi_energy,
        flux=point.flux,
        kind=m.kind,
        boundary=m.boundary,
        hopping=m.hopping,
        twist=m.twist,
    )


def model_of(point: SweepPoint, m: Model) -> lattice.AndersonModel:
    """Return the ``lattice.AndersonModel`` of a sweep point with the ``[model]`` table ``m``."""
    return physical_point(point, m).model()


def request_of(config: Config, point: SweepPoint, name: str) -> Request:
    """What observable ``name`` computes at ``point``: the physical point and its settings."""
    return Request(physical_point(point, config.model), getattr(config.observables, name))


def sweep_points(config: Config) -> list[SweepPoint]:
    """Return the sweep points in product order of the axes dim, L, W, E_F, flux.

    Every point's lattice is built once here (cheap), so an impossible
    combination (e.g. a flux incommensurate with L_x) is rejected before any work.

    Raises
    ------
    ConfigError
        Naming the sweep point and the lattice's reason.
    """
    points = point_grid(config)
    if needs_lattice(config.observables):
        for point in points:
            try:
                model_of(point, config.model)
            except ValueError as exc:
                raise ConfigError(f"sweep point {point.id}: {exc}") from None
    return points


def point_grid(config: Config) -> list[SweepPoint]:
    """The sweep points of :func:`sweep_points` without building their lattices.

    Allocates nothing per site, so it is safe before a resource check
    (:mod:`batch.resources`) of a config with an impossible size.
    """
    m, s = config.model, config.sweep
    axes = [getattr(s, axis) or (getattr(m, key),) for axis, key in SWEEP_AXES.items()]
    points = []
    for values in itertools.product(*axes):
        point = dict(zip(SWEEP_AXES.values(), values, strict=True))
        size, dim = point.pop("L"), point["dim"]
        shape = None if size is None else (size,) * dim if isinstance(size, int) else size
        points.append(SweepPoint(L=shape, **point))
    return points
