"""The science call of each observable kind, and how it is archived.

:data:`OBSERVABLES` maps an observable name (a table under ``[observables]``
in the config) to an :class:`ObservableKind`: the named arrays it returns per
realization with their axes, which of them get a typical (geometric) mean, the
axis coordinates, and ``compute(params, realizations, seed) -> {name: array}``
with the realization axis first. Exact-diagonalization kinds also say how to
take part in ``lattice.joint_observables`` (``joint`` settings and ``extract``),
so that a task with several of them diagonalizes each realization once.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

import lattice
from batch.config import Config, Model
from batch.points import SweepPoint, model_of

__all__ = ["OBSERVABLES", "ObservableKind", "PointParams", "joinable"]


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
    joint: Callable[[PointParams], dict[str, Any] | None] = lambda p: None
    """Settings for ``lattice.joint_observables``, or None if it cannot share a spectrum."""
    extract: Callable[[Any], dict[str, np.ndarray]] = lambda r: {}
    """Lattice result object -> output name -> array (used by the joint path)."""


def _run(function: Callable, p: PointParams, realizations: Sequence[int], seed: int, **kw):
    return function(
        p.lattice_model(),
        fermi_energy=p.point.E_F,
        realizations=list(realizations),
        seed=seed,
        **kw,
    )


def _conductivity_settings(p: PointParams) -> dict[str, Any]:
    s = p.settings
    return {"omega": np.asarray(s.omega), "eta": s.eta, "kernel": s.kernel}


def _conductivity_outputs(r: Any) -> dict[str, np.ndarray]:
    return {"sigma": r.values}


def _conductivity(p: PointParams, realizations: Sequence[int], seed: int) -> dict:
    settings = _conductivity_settings(p)
    r = _run(lattice.conductivity, p, realizations, seed, temperature=p.settings.temperature,
             **settings)  # fmt: skip
    return _conductivity_outputs(r)


def _q_grid(p: PointParams) -> np.ndarray:
    """Wave vectors (2 pi m / L_x, 0, ...) along x, shape (nq, d): the lattice's allowed grid."""
    q = np.zeros((len(p.settings.q), p.point.dim))
    q[:, 0] = 2.0 * math.pi * np.asarray(p.settings.q, dtype=float) / p.point.L[0]
    return q


def _density_response_settings(p: PointParams) -> dict[str, Any]:
    return {"q": _q_grid(p), "omega": np.asarray(p.settings.omega), "eta": p.settings.eta}


def _density_response_outputs(r: Any) -> dict[str, np.ndarray]:
    chi = r.dynamic.values
    return {
        "chi_real": chi.real.copy(),
        "chi_imag": chi.imag.copy(),
        "chi_static": r.static.values,
    }


def _density_response(p: PointParams, realizations: Sequence[int], seed: int) -> dict:
    settings = _density_response_settings(p)
    return _density_response_outputs(
        _run(lattice.density_response, p, realizations, seed, **settings)
    )


def _static_polarizability_outputs(r: Any) -> dict[str, np.ndarray]:
    return {"alpha": r.values}


def _static_polarizability(p: PointParams, realizations: Sequence[int], seed: int) -> dict:
    return _static_polarizability_outputs(
        _run(lattice.static_polarizability, p, realizations, seed)
    )


def _density_of_states_settings(p: PointParams) -> dict[str, Any]:
    s = p.settings
    return {"energies": np.asarray(s.energies), "eta": s.eta, "kernel": s.kernel}


def _density_of_states_outputs(r: Any) -> dict[str, np.ndarray]:
    return {"dos": r.values}


def _density_of_states(p: PointParams, realizations: Sequence[int], seed: int) -> dict:
    settings = _density_of_states_settings(p)
    r = lattice.density_of_states(
        p.lattice_model(), realizations=list(realizations), seed=seed, **settings
    )
    return _density_of_states_outputs(r)


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
        # joint_observables has one temperature for all; join only at T = 0.
        joint=lambda p: _conductivity_settings(p) if p.settings.temperature == 0 else None,
        extract=_conductivity_outputs,
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
        joint=_density_response_settings,
        extract=_density_response_outputs,
    ),
    "static_polarizability": ObservableKind(
        outputs={"alpha": ()},
        typical=("alpha",),
        axes=lambda p: {},
        compute=_static_polarizability,
        joint=lambda p: {},
        extract=_static_polarizability_outputs,
    ),
    "density_of_states": ObservableKind(
        outputs={"dos": ("energy",)},
        typical=("dos",),
        axes=lambda p: {"energy": np.asarray(p.settings.energies)},
        compute=_density_of_states,
        joint=_density_of_states_settings,
        extract=_density_of_states_outputs,
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


def joinable(config: Config, point: SweepPoint, name: str) -> bool:
    """Whether ``name`` can share one diagonalization per realization with others."""
    settings = getattr(config.observables, name)
    params = PointParams(point=point, model=config.model, settings=settings)
    return OBSERVABLES[name].joint(params) is not None
