"""Several observables from one diagonalization per realization.

Computing Re sigma(w), alpha(0), chi(q, w) and the DOS with separate calls
diagonalizes every realization once per observable; here each realization is
diagonalized once and every requested observable is evaluated on the same
eigenpairs (the building blocks :func:`lattice.exact.transitions.transitions`,
:func:`lattice.exact.kubo.conductivity_from_transitions`,
:func:`lattice.exact.polarizability.polarizability_from_current`,
:func:`lattice.exact.response.density_response_of_spectrum` and
:func:`lattice.exact.dos.dos_of_levels`). The results equal those of
:func:`lattice.conductivity`, :func:`lattice.static_polarizability`,
:func:`lattice.density_response` and :func:`lattice.density_of_states` with
the same arguments (to rounding: a full spectrum may replace a windowed one).
Current transitions are computed once and shared by sigma and alpha when
their ``w_max`` and ``axis`` agree.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from lattice.exact.dos import DOS_KERNELS, dos_axes, dos_of_levels
from lattice.exact.kubo import KERNELS, conductivity_from_transitions
from lattice.exact.polarizability import (
    ROUTES,
    polarizability_from_current,
    polarizability_from_position,
)
from lattice.exact.response import (
    METHODS,
    DensityResponse,
    allowed_wavevectors,
    density_response_of_spectrum,
)
from lattice.exact.spectrum import Spectrum, check_engine, diagonalize
from lattice.exact.transitions import Transitions, check_w_max, energy_window, transitions
from lattice.models.averaging import DisorderAverage, realization_indices
from lattice.models.defaults import DEFAULT_ETA
from lattice.models.model import AndersonModel
from lattice.models.seeding import DEFAULT_SEED
from vwloc_common.checks import check_choice, check_finite, check_grid, check_positive

__all__ = ["OBSERVABLE_SETTINGS", "joint_observables"]

_REQUIRED = object()

#: Observable name -> its settings and their defaults (``_REQUIRED``: must be given).
OBSERVABLE_SETTINGS: dict[str, dict[str, Any]] = {
    "conductivity": {
        "omega": _REQUIRED,
        "eta": DEFAULT_ETA,
        "kernel": "lorentzian",
        "w_max": None,
        "axis": 0,
    },
    "static_polarizability": {"route": "kubo", "w_max": None, "axis": 0},
    "density_response": {
        "q": _REQUIRED,
        "omega": _REQUIRED,
        "eta": DEFAULT_ETA,
        "method": "auto",
        "w_max": None,
    },
    "density_of_states": {"energies": _REQUIRED, "eta": None, "kernel": "lorentzian"},
}


def _settings(name: str, given: Mapping[str, Any]) -> dict[str, Any]:
    if not isinstance(given, Mapping):
        raise ValueError(f"{name} settings must be a mapping, got {given!r}")
    defaults = OBSERVABLE_SETTINGS[name]
    unknown = sorted(set(given) - set(defaults))
    if unknown:
        raise ValueError(f"{name} has no setting {unknown[0]!r}; known: {sorted(defaults)}")
    settings = {**defaults, **given}
    missing = [key for key, value in settings.items() if value is _REQUIRED]
    if missing:
        raise ValueError(f"{name} needs the setting {missing[0]!r}")
    return settings


#: Settings with a fixed set of choices, per observable.
_CHOICES = {
    "conductivity": ("kernel", KERNELS),
    "static_polarizability": ("route", ROUTES),
    "density_response": ("method", METHODS),
    "density_of_states": ("kernel", DOS_KERNELS),
}


def _validated(model: AndersonModel, requests: dict[str, Mapping]) -> dict[str, dict]:
    out = {name: _settings(name, given) for name, given in requests.items()}
    for name, s in out.items():
        key, choices = _CHOICES[name]
        check_choice(key, s[key], choices)
        if "w_max" in s:
            check_w_max(s["w_max"])
        if "axis" in s:
            model.current_operator(s["axis"])  # validates the axis
        if "omega" in s:
            s["omega"] = check_grid("omega", s["omega"])
        if "q" in s:
            s["q"] = allowed_wavevectors(model, s["q"])
        if name == "density_of_states":
            dos_of_levels(np.zeros(1), s["energies"], s["eta"], s["kernel"])  # validates
            s["energies"] = check_grid("energies", s["energies"])
        elif "eta" in s:
            s["eta"] = check_positive("eta", s["eta"])
    polarizability = out.get("static_polarizability")
    if polarizability is not None and polarizability["route"] == "position":
        model.position_operator(polarizability["axis"])  # needs an open axis
    return out


def _window(requests: dict[str, dict], fermi_energy: float, temperature: float):
    """The eigenvalue window every request can live with (None: full spectrum)."""
    if "density_of_states" in requests:
        return None
    reaches = [requests[name]["w_max"] for name in requests]
    if any(w is None for w in reaches):
        return None
    return energy_window(fermi_energy, temperature, max(reaches))


@dataclass(frozen=True)
class _Context:
    """One realization's spectrum and what every evaluator needs besides its settings."""

    model: AndersonModel
    spectrum: Spectrum
    fermi_energy: float
    temperature: float
    pairs: Callable[[str, int, float | None], Transitions]
    """``pairs(kind, axis, w_max)``: current or position transitions (cached)."""


def _conductivity(c: _Context, s: dict) -> np.ndarray:
    current = c.pairs("current", s["axis"], s["w_max"])
    return conductivity_from_transitions(current, s["omega"], s["eta"], s["kernel"]).real


def _static_polarizability(c: _Context, s: dict) -> float:
    if s["route"] == "kubo":
        return polarizability_from_current(c.pairs("current", s["axis"], s["w_max"]))
    return polarizability_from_position(c.pairs("position", s["axis"], s["w_max"]))


def _density_response(c: _Context, s: dict) -> Any:
    return density_response_of_spectrum(
        c.model, c.spectrum, s["q"], s["omega"], c.fermi_energy, s["eta"], c.temperature,
        s["method"], s["w_max"],
    )  # fmt: skip


def _density_of_states(c: _Context, s: dict) -> np.ndarray:
    return dos_of_levels(c.spectrum.energies, s["energies"], s["eta"], s["kernel"])


#: Observable name -> its value on one realization's spectrum.
_EVALUATE: dict[str, Callable[[_Context, dict], Any]] = {
    "conductivity": _conductivity,
    "static_polarizability": _static_polarizability,
    "density_response": _density_response,
    "density_of_states": _density_of_states,
}


def joint_observables(
    model: AndersonModel,
    *,
    fermi_energy: float = 0.0,
    temperature: float = 0.0,
    realizations: int | Sequence[int] = 16,
    seed: int = DEFAULT_SEED,
    conductivity: Mapping[str, Any] | None = None,
    static_polarizability: Mapping[str, Any] | None = None,
    density_response: Mapping[str, Any] | None = None,
    density_of_states: Mapping[str, Any] | None = None,
    engine: str = "dense",
) -> dict[str, DisorderAverage | DensityResponse]:
    """Disorder averages of several observables, one diagonalization per realization.

    Parameters
    ----------
    model : AndersonModel
    fermi_energy, temperature : float
        E_F and T (units of t), shared by all observables.
    realizations : int or sequence of int
        n (indices 0..n-1) or explicit realization indices.
    seed : int
        Root seed.
    conductivity : mapping, optional
        Settings of :func:`lattice.conductivity`: ``omega`` (required),
        ``eta``, ``kernel``, ``w_max``, ``axis``.
    static_polarizability : mapping, optional
        Settings of :func:`lattice.static_polarizability`: ``route``,
        ``w_max``, ``axis`` (``{}`` for the defaults).
    density_response : mapping, optional
        Settings of :func:`lattice.density_response`: ``q``, ``omega``
        (required), ``eta``, ``method``, ``w_max``.
    density_of_states : mapping, optional
        Settings of :func:`lattice.density_of_states`: ``energies`` (required),
        ``eta``, ``kernel``.
    engine : {"dense", "sparse"}
        Eigensolver. ``"sparse"`` needs a ``w_max`` in every request and no
        density of states; the window is the largest request's.

    Returns
    -------
    dict
        Name -> result of the requested observables: ``"conductivity"``
        (Re sigma, :class:`DisorderAverage` over ``omega``),
        ``"static_polarizability"`` (:class:`DisorderAverage`),
        ``"density_response"`` (:class:`lattice.exact.response.DensityResponse`),
        ``"density_of_states"`` (:class:`DisorderAverage` over ``energies``).

    Examples
    --------
    >>> import numpy as np, lattice
    >>> model = lattice.AndersonModel(dim=2, L=6, disorder=2.0)
    >>> out = joint_observables(model, realizations=2, conductivity={"omega": [0.5, 1.0]},
    ...                         density_response={"q": [[np.pi / 3, 0.0]], "omega": [0.5]})
    >>> out["density_response"].mean.shape, out["conductivity"].mean.shape
    ((1, 1), (2,))
    """
    given = {
        "conductivity": conductivity,
        "static_polarizability": static_polarizability,
        "density_response": density_response,
        "density_of_states": density_of_states,
    }
    requests = _validated(model, {k: v for k, v in given.items() if v is not None})
    if not requests:
        raise ValueError("joint_observables needs at least one observable, got none")
    fermi_energy = check_finite("fermi_energy", fermi_energy)
    temperature = check_positive("temperature", temperature, allow_zero=True)
    indices = realization_indices(realizations)
    window = _window(requests, fermi_energy, temperature)
    if "density_of_states" in requests and engine == "sparse":
        raise ValueError("joint_observables: engine='sparse' cannot give the density of states")
    check_engine(engine, None if window is None else window[1] - window[0])
    collected: dict[str, list] = {name: [] for name in requests}
    for i in indices:
        spectrum = diagonalize(model, int(i), seed, window, engine)
        cache: dict[tuple, Any] = {}

        def pairs(kind: str, axis: int, w_max, spectrum=spectrum, cache=cache):
            key = (kind, axis, w_max)
            if key not in cache:
                operator = (
                    model.current_operator(axis)
                    if kind == "current"
                    else model.position_operator(axis)
                )
                cache[key] = transitions(spectrum, operator, fermi_energy, temperature, w_max)
            return cache[key]

        context = _Context(model, spectrum, fermi_energy, temperature, pairs)
        for name, s in requests.items():
            collected[name].append(_EVALUATE[name](context, s))
    return {name: _assemble(name, requests[name], collected[name], indices) for name in requests}


def _assemble(name: str, s: dict, values: list, indices: np.ndarray):
    if name == "density_response":
        return DensityResponse.from_realizations(values, indices, s["q"], s["omega"])
    axes = {
        "conductivity": lambda: {"omega": s["omega"]},
        "static_polarizability": dict,
        "density_of_states": lambda: dos_axes(s["energies"], s["kernel"]),
    }[name]()
    return DisorderAverage(np.stack([np.asarray(v) for v in values]), indices, axes)
