"""Every observable declared once: settings, outputs, axes, and how it is computed.

An :class:`Observable` says everything a sweep needs to know about one
quantity; the batch config tables (``[observables.<name>]``), the task
registry, the archive layout and ``vwloc show`` are all generated from
:data:`OBSERVABLES` (docs/architecture.md):

- ``settings``: the :class:`Setting` s of its config table, each with its type,
  bounds, default and unit;
- ``outputs``: the named arrays it returns per realization, each with its axes
  (``units`` gives the unit of every output and axis; ``typical`` lists the
  broadly distributed outputs that also get a geometric mean);
- ``axes(request)``: the axis coordinates; ``compute(request, realizations,
  seed)``: the outputs, realization axis first;
- ``joint(request)`` and ``extract(result)``: how it shares one
  diagonalization per realization with others (:func:`lattice.joint_observables`),
  or ``joint`` None if it cannot;
- ``engines``: the engines that compute it (``"dense"``, and as they arrive
  ``"sparse"``, ``"kpm"``). An observable with more than one engine gets an
  ``engine`` setting (default: the first); a :class:`Setting` with ``engines``
  (e.g. ``vectors`` or ``moments`` for ``"kpm"``) belongs to those engines only.
  :meth:`Observable.engine_arguments` hands ``engine=`` and those settings to
  the lattice entry point; only ``"dense"`` requests share a spectrum
  (:meth:`Observable.joint_settings`). An engine-specific setting whose default is
  :data:`REQUIRED` is required for its engines only (``w_max`` for ``"sparse"``) and
  None otherwise; one whose default is None is optional (``moments``: automatic).
- ``raw``: the :class:`RawOutput` s an engine also archives per realization (the
  sparse engine's window eigenvalues and pairs, the kpm engine's correlations per
  random vector, :mod:`lattice.raw`), from which ``reprocess`` rebuilds the outputs
  on a new grid, kernel or width without recomputation.

Adding an observable is one :class:`Observable` added to :data:`OBSERVABLES`
(or :func:`register`) plus its tests. A :class:`Request` is what the functions
receive: the physical :class:`Point` and the validated settings.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from lattice.chebyshev.kpm import RESPONSE_KPM_KERNELS
from lattice.exact.dos import DOS_KERNELS, density_of_states
from lattice.exact.kubo import KERNELS, conductivity
from lattice.exact.polarizability import static_polarizability
from lattice.exact.response import density_response
from lattice.exact.spectrum import ENGINES  # every engine an observable may declare
from lattice.models.defaults import DEFAULT_ETA
from lattice.models.model import AndersonModel
from lattice.raw import (
    conductivity_from_raw,
    dos_from_raw,
    kpm_conductivity_raw,
    kpm_dos_raw,
    sparse_conductivity_raw,
)
from lattice.transfer_matrix.transfer import localization_lengths

__all__ = [
    "DOS_WIDTH_KERNELS",
    "ENGINES",
    "OBSERVABLES",
    "REQUIRED",
    "SETTING_KINDS",
    "Observable",
    "Point",
    "RawOutput",
    "Request",
    "Setting",
    "register",
]

#: Raw arrays of an observable, one mapping per realization.
RawRows = Sequence[Mapping[str, np.ndarray]]


class _Required:
    def __repr__(self) -> str:
        return "REQUIRED"


#: Default of a setting that must be given.
REQUIRED: Any = _Required()

#: Setting types: a number, a choice, or a non-empty grid (list) of numbers.
SETTING_KINDS = ("real", "integer", "choice", "reals", "integers")


@dataclass(frozen=True)
class Setting:
    """One key of an observable's config table."""

    name: str
    """The key."""
    kind: str
    """One of :data:`SETTING_KINDS`."""
    default: Any = REQUIRED
    """The default (a tuple for a grid); :data:`REQUIRED` if it must be given."""
    unit: str = ""
    """Unit of the value (``t`` for energies, ``t/hbar`` for frequencies)."""
    doc: str = ""
    """One line: what it is."""
    minimum: float | None = None
    """Lower bound of a number or of every grid element."""
    strict: bool = False
    """Whether the lower bound itself is excluded."""
    choices: tuple[str, ...] = ()
    """The allowed values of a ``choice``."""
    engines: tuple[str, ...] | None = None
    """The engines this setting belongs to; None: all."""

    def __post_init__(self) -> None:
        if self.kind not in SETTING_KINDS:
            raise ValueError(f"setting {self.name}: kind must be one of {SETTING_KINDS}")
        if self.kind == "choice" and self.default is not REQUIRED:
            if self.default not in self.choices:
                raise ValueError(f"setting {self.name}: default {self.default!r} not a choice")
        if self.default is None and self.engines is None:
            raise ValueError(f"setting {self.name}: only an engine's setting may default to None")

    def applies_to(self, engine: str) -> bool:
        """Whether the setting belongs to ``engine``."""
        return self.engines is None or engine in self.engines


@dataclass(frozen=True)
class RawOutput:
    """One raw array an engine archives per realization (or per realization and vector)."""

    name: str
    """Dataset name (under ``raw/`` of the observable's archive group)."""
    unit: str
    """Unit of its values."""
    doc: str
    """One line: what it is."""
    engines: tuple[str, ...]
    """The engines that produce it."""
    per_vector: bool = False
    """One entry per random vector (kpm) instead of one per realization."""
    scalar: bool = False
    """Each entry is a number (else a 1-D array whose length may vary)."""


@dataclass(frozen=True)
class Point:
    """The physical parameters of one sweep point (units of t, flux quanta)."""

    dim: int
    """Spatial dimension d."""
    L: tuple[int, ...] | None
    """Sites per axis (None for transfer-matrix observables only)."""
    disorder: float
    """Disorder strength W (units of t)."""
    fermi_energy: float
    """The lattice Fermi energy E_F (units of t)."""
    flux: float = 0.0
    """Flux per plaquette (flux quanta)."""
    kind: str = "box"
    """Disorder distribution."""
    boundary: str | tuple[str, ...] = "periodic"
    """Boundary condition, or one per axis."""
    hopping: float = 1.0
    """Hopping t."""
    twist: float = 0.0
    """Aharonov-Bohm phase threading the periodic x axis (radians)."""

    def model(self) -> AndersonModel:
        """The point's :class:`lattice.AndersonModel`."""
        return AndersonModel(
            dim=self.dim,
            L=self.L,
            disorder=self.disorder,
            kind=self.kind,
            boundary=self.boundary,
            flux=self.flux,
            hopping=self.hopping,
            twist=self.twist,
        )


@dataclass(frozen=True)
class Request:
    """What an observable's functions receive: the point and the validated settings."""

    point: Point
    """The physical parameters."""
    settings: Mapping[str, Any]
    """Setting name -> value (every default filled in)."""

    def model(self) -> AndersonModel:
        """The point's :class:`lattice.AndersonModel`."""
        return self.point.model()


def _no_joint(request: Request) -> None:
    return None


def _no_extract(result: Any) -> dict[str, np.ndarray]:
    return {}


@dataclass(frozen=True)
class Observable:
    """One observable: its settings, outputs and axes, and how it is computed."""

    name: str
    """Name: the config table ``[observables.<name>]`` and the archive group."""
    summary: str
    """One line: what it is, with units."""
    settings: tuple[Setting, ...]
    """The keys of its config table, in order."""
    outputs: Mapping[str, tuple[str, ...]]
    """Output name -> names of its axes after the realization axis."""
    units: Mapping[str, str]
    """Unit of every output and axis."""
    axes: Callable[[Request], dict[str, np.ndarray]]
    """Axis name -> coordinates, for a request."""
    compute: Callable[[Request, Sequence[int], int], dict[str, np.ndarray]]
    """``compute(request, realizations, seed)`` -> output name -> array (R, *axes)."""
    typical: tuple[str, ...] = ()
    """Outputs that are broadly distributed and get a typical (geometric) mean."""
    joint: Callable[[Request], dict[str, Any] | None] = _no_joint
    """Settings for :func:`lattice.joint_observables`, or None if it cannot share a spectrum."""
    extract: Callable[[Any], dict[str, np.ndarray]] = _no_extract
    """Result of :func:`lattice.joint_observables` -> output name -> array."""
    engines: tuple[str, ...] = ("dense",)
    """The engines that compute it (the first is the default)."""
    needs_lattice: bool = True
    """Whether it works on a finite lattice (needs ``L``)."""
    self_averaging: bool = False
    """One row per sweep point (computed from the root seed) whatever the ensemble size."""
    raw: tuple[RawOutput, ...] = ()
    """Raw arrays archived by some engines (returned by ``compute`` under the key ``raw``:
    name -> one entry per realization, an (V, ...) sequence for ``per_vector``)."""
    raw_compute: Callable[..., dict[str, np.ndarray]] | None = None
    """``raw_compute(request, realization, seed, first, count)``: the raw arrays of one
    realization, for random vectors ``first .. first + count - 1`` (kpm)."""
    check: Callable[[Mapping[str, Any]], tuple[str, str] | None] = lambda settings: None
    """``check(settings)``: ``(key, message)`` for a combination of valid settings that its
    engine refuses (a config error), or None."""
    reprocess: Callable[[Request, RawRows, Request | None], dict] | None = None
    """``reprocess(request, raw, recorded=None)``: the outputs (R, *axes) from raw arrays, one
    mapping per realization (the archived values are made by this very function);
    ``recorded`` is the request the raw data were recorded for, when ``request`` asks for
    new settings (its limits, e.g. the kpm Nyquist frequency, still apply)."""
    all_settings: tuple[Setting, ...] = field(init=False, repr=False, compare=False)
    """``settings`` plus the generated ``engine`` setting when there are several engines."""

    def __post_init__(self) -> None:
        unknown = [e for e in self.engines if e not in ENGINES]
        if not self.engines or unknown:
            raise ValueError(f"observable {self.name}: engines must be among {ENGINES}")
        settings = self.settings
        if len(self.engines) > 1:
            engine = Setting(
                "engine", "choice", self.engines[0], doc="numerical engine",
                choices=self.engines,
            )  # fmt: skip
            settings = (engine, *settings)
        object.__setattr__(self, "all_settings", settings)
        missing = {a for axes in self.outputs.values() for a in axes} | set(self.outputs)
        missing -= set(self.units)
        if missing:
            raise ValueError(f"observable {self.name}: no unit for {sorted(missing)}")

    def engine_arguments(self, request: Request) -> dict[str, Any]:
        """``engine`` and the settings that belong to it, as keyword arguments of the
        lattice entry point (empty for an observable with a single engine)."""
        if len(self.engines) == 1:
            return {}
        engine = request.settings["engine"]
        own = {
            s.name: request.settings[s.name]
            for s in self.settings
            if s.engines is not None and engine in s.engines
        }
        return {"engine": engine, **own}

    def engine(self, request: Request) -> str:
        """The request's engine."""
        return request.settings.get("engine", self.engines[0])

    def raw_outputs(self, request: Request) -> tuple[RawOutput, ...]:
        """The raw arrays archived for the request's engine."""
        engine = self.engine(request)
        return tuple(r for r in self.raw if engine in r.engines)

    def joint_settings(self, request: Request) -> dict[str, Any] | None:
        """``joint(request)``, or None if the request's engine is not ``"dense"`` (only exact
        diagonalization has a spectrum to share)."""
        if self.engine(request) != "dense":
            return None
        return self.joint(request)


#: Observable name -> declaration, in the order tasks and archives list them.
OBSERVABLES: dict[str, Observable] = {}


def register(observable: Observable) -> Observable:
    """Add ``observable`` to :data:`OBSERVABLES` (replacing one of the same name)."""
    OBSERVABLES[observable.name] = observable
    return observable


# --- the declarations -------------------------------------------------------------------

_OMEGA_UNIT = "t/hbar"
_ETA = Setting(
    "eta", "real", DEFAULT_ETA, "t", "width of the broadening kernel", minimum=0.0, strict=True
)
#: Window of the sparse engine: transitions up to w_max (required with engine = "sparse").
_W_MAX = Setting(
    "w_max", "real", REQUIRED, _OMEGA_UNIT,
    "largest transition frequency: the sparse engine finds the eigenpairs within it of E_F",
    minimum=0.0, strict=True, engines=("sparse",),
)  # fmt: skip
#: Random-phase vectors per realization of the kpm engine (stochastic trace).
_VECTORS = Setting(
    "vectors", "integer", 10, "", "random-phase vectors per realization (stochastic trace)",
    minimum=1, engines=("kpm",),
)  # fmt: skip
#: The engines of the response functions (dense ED, sparse window eigenpairs, Chebyshev).
_RESPONSE_ENGINES = ("dense", "sparse", "kpm")


def _realizations_call(
    name: str, function: Callable, request: Request, realizations, seed, **kw
) -> Any:
    """``function(model, fermi_energy=..., realizations=..., seed=..., **kw)`` plus the
    engine arguments of observable ``name``."""
    return function(
        request.model(),
        fermi_energy=request.point.fermi_energy,
        realizations=list(realizations),
        seed=seed,
        **OBSERVABLES[name].engine_arguments(request),
        **kw,
    )


def _conductivity_settings(request: Request) -> dict[str, Any]:
    s = request.settings
    return {"omega": np.asarray(s["omega"]), "eta": s["eta"], "kernel": s["kernel"]}


def _conductivity_outputs(result: Any) -> dict[str, np.ndarray]:
    return {"sigma": result.values}


def _conductivity_raw(request: Request, realization: int, seed: int, first: int = 0,
                     count: int | None = None) -> dict[str, np.ndarray]:  # fmt: skip
    """Raw data of one realization (:mod:`lattice.raw`) for the request's engine; kpm:
    vectors ``first .. first + count - 1`` (default all)."""
    s, p = request.settings, request.point
    if s["engine"] == "sparse":
        return sparse_conductivity_raw(
            request.model(), realization, seed, p.fermi_energy, s["temperature"], s["w_max"]
        )
    count = s["vectors"] if count is None else count
    omega_max = float(np.max(np.abs(s["omega"])))
    return kpm_conductivity_raw(
        request.model(), realization, seed, p.fermi_energy, s["temperature"], s["eta"],
        s["kernel"], omega_max, first, count,
    )  # fmt: skip


def _conductivity_reprocess(
    request: Request, raw: Sequence[Mapping[str, np.ndarray]], recorded: Request | None = None
) -> dict:
    """``sigma`` (R, n_omega) of the request's grid from raw data (one dict per realization).

    ``recorded``: the request the raw data were recorded for (default ``request``); the
    kpm samples resolve frequencies up to its grid's largest |omega| (Nyquist), so a new
    grid beyond it is refused rather than aliased."""
    s = request.settings
    grid = (request if recorded is None else recorded).settings["omega"]
    sigma = conductivity_from_raw(
        s["engine"], raw, request.model().n_sites, np.asarray(s["omega"]), s["eta"],
        s["kernel"], float(np.max(np.abs(grid))),
    )  # fmt: skip
    return {"sigma": sigma}


def _conductivity(request: Request, realizations: Sequence[int], seed: int) -> dict:
    s = request.settings
    if s.get("engine", "dense") != "dense":
        raw = [_conductivity_raw(request, int(i), seed) for i in realizations]
        out = _conductivity_reprocess(request, raw)
        out["raw"] = {key: [r[key] for r in raw] for key in raw[0]}
        return out
    result = _realizations_call(
        "conductivity", conductivity, request, realizations, seed,
        temperature=s["temperature"], **_conductivity_settings(request),
    )  # fmt: skip
    return _conductivity_outputs(result)


def _check_kpm_kernel(settings: Mapping[str, Any]) -> tuple[str, str] | None:
    """The kpm time windows are the Lorentzian and the Gaussian (no histogram)."""
    if settings.get("engine") == "kpm" and settings["kernel"] not in RESPONSE_KPM_KERNELS:
        return "kernel", f"engine = 'kpm' takes {' or '.join(RESPONSE_KPM_KERNELS)}"
    return None


register(
    Observable(
        name="conductivity",
        summary="Re sigma_xx(omega) by the Kubo formula (units e^2/hbar per site)",
        settings=(
            Setting(
                "omega", "reals", unit=_OMEGA_UNIT, doc="frequencies", minimum=0.0, strict=True
            ),  # fmt: skip
            _ETA,
            Setting(
                "kernel",
                "choice",
                "lorentzian",
                doc="shape of the broadened delta",
                choices=KERNELS,
            ),  # fmt: skip
            Setting("temperature", "real", 0.0, "t", "temperature (k_B = 1)", minimum=0.0),
            _W_MAX,
            _VECTORS,
        ),
        engines=_RESPONSE_ENGINES,
        raw_compute=_conductivity_raw,
        reprocess=_conductivity_reprocess,
        check=_check_kpm_kernel,
        raw=(
            RawOutput("window_energies", "t", "eigenvalues in the window", ("sparse",)),
            RawOutput("pair_frequency", _OMEGA_UNIT, "transition frequencies w_p", ("sparse",)),
            RawOutput("pair_weight", "e^2 a^2 t^2/hbar^2", "(f_n - f_m)|J_nm|^2", ("sparse",)),
            RawOutput(
                "correlation", "t", "B(t_i) = D(t_i) - D(0) per vector", ("kpm",), per_vector=True
            ),
            RawOutput("kinetic", "t", "D_f per vector", ("kpm",), per_vector=True, scalar=True),
            RawOutput("time_step", "hbar/t", "sample spacing of t_i", ("kpm",), scalar=True),
        ),
        outputs={"sigma": ("omega",)},
        units={"sigma": "e^2/hbar", "omega": _OMEGA_UNIT},
        typical=("sigma",),
        axes=lambda r: {"omega": np.asarray(r.settings["omega"])},
        compute=_conductivity,
        # joint_observables has one temperature for all; join only at T = 0.
        joint=lambda r: _conductivity_settings(r) if r.settings["temperature"] == 0 else None,
        extract=_conductivity_outputs,
    )
)


def _q_grid(request: Request) -> np.ndarray:
    """Wave vectors (2 pi m / L_x, 0, ...) along x, shape (nq, d): the lattice's allowed grid."""
    modes = np.asarray(request.settings["q"], dtype=float)
    q = np.zeros((modes.size, request.point.dim))
    q[:, 0] = 2.0 * math.pi * modes / request.point.L[0]
    return q


def _density_response_settings(request: Request) -> dict[str, Any]:
    s = request.settings
    return {"q": _q_grid(request), "omega": np.asarray(s["omega"]), "eta": s["eta"]}


def _density_response_outputs(result: Any) -> dict[str, np.ndarray]:
    chi = result.dynamic.values
    return {
        "chi_real": chi.real.copy(),
        "chi_imag": chi.imag.copy(),
        "chi_static": result.static.values,
    }


def _density_response(request: Request, realizations: Sequence[int], seed: int) -> dict:
    settings = _density_response_settings(request)
    result = _realizations_call(
        "density_response", density_response, request, realizations, seed, **settings
    )
    return _density_response_outputs(result)


register(
    Observable(
        name="density_response",
        summary="chi(q, omega) in the seed's sign convention (units 1/t per site)",
        settings=(
            Setting(
                "q", "integers", unit="2 pi / L_x", doc="wave-vector modes m along x", minimum=0
            ),  # fmt: skip
            Setting("omega", "reals", unit=_OMEGA_UNIT, doc="frequencies", minimum=0.0),
            _ETA,
            _W_MAX,
            _VECTORS,
        ),
        engines=_RESPONSE_ENGINES,
        outputs={
            "chi_real": ("q", "omega"),
            "chi_imag": ("q", "omega"),
            "chi_static": ("q",),
        },
        units={
            "chi_real": "1/t",
            "chi_imag": "1/t",
            "chi_static": "1/t",
            "q": "1/a",
            "omega": _OMEGA_UNIT,
        },
        axes=lambda r: {"q": _q_grid(r)[:, 0], "omega": np.asarray(r.settings["omega"])},
        compute=_density_response,
        joint=_density_response_settings,
        extract=_density_response_outputs,
    )
)


def _static_polarizability_outputs(result: Any) -> dict[str, np.ndarray]:
    return {"alpha": result.values}


def _static_polarizability(request: Request, realizations: Sequence[int], seed: int) -> dict:
    result = _realizations_call(
        "static_polarizability", static_polarizability, request, realizations, seed
    )
    return _static_polarizability_outputs(result)


register(
    Observable(
        name="static_polarizability",
        summary="alpha(0) from the current (Kubo) route (units e^2 a^2/t per site)",
        settings=(
            _W_MAX,
            Setting(
                "eta",
                "real",
                DEFAULT_ETA,
                "t",
                "kpm: Lorentzian regularisation alpha_eta(0) = Re sigma_eta(0)/eta",
                minimum=0.0,
                strict=True,
                engines=("kpm",),
            ),
            _VECTORS,
        ),
        engines=_RESPONSE_ENGINES,
        outputs={"alpha": ()},
        units={"alpha": "a^2/t"},
        typical=("alpha",),
        axes=lambda r: {},
        compute=_static_polarizability,
        joint=lambda r: {},
        extract=_static_polarizability_outputs,
    )
)


def _density_of_states_settings(request: Request) -> dict[str, Any]:
    s = request.settings
    return {"energies": np.asarray(s["energies"]), "eta": s["eta"], "kernel": s["kernel"]}


def _density_of_states_outputs(result: Any) -> dict[str, np.ndarray]:
    return {"dos": result.values}


def _dos_raw(
    request: Request, realization: int, seed: int, first: int = 0, count: int | None = None
) -> dict[str, np.ndarray]:
    """kpm moments of one realization, vectors ``first .. first + count - 1`` (default all)."""
    s = request.settings
    count = s["vectors"] if count is None else count
    return kpm_dos_raw(
        request.model(), realization, seed, s["moments"], s["eta"], s["kernel"], first, count
    )


def _dos_reprocess(
    request: Request, raw: Sequence[Mapping[str, np.ndarray]], recorded: Request | None = None
) -> dict:
    """``dos`` (R, n_E) on the request's energies from kpm moments (``recorded`` unused:
    :func:`lattice.raw.dos_from_raw` checks the moments against the new eta itself)."""
    s = request.settings
    return {"dos": dos_from_raw(raw, np.asarray(s["energies"]), s["eta"], s["kernel"])}


def _density_of_states(request: Request, realizations: Sequence[int], seed: int) -> dict:
    if request.settings.get("engine") == "kpm":
        raw = [_dos_raw(request, int(i), seed) for i in realizations]
        out = _dos_reprocess(request, raw)
        out["raw"] = {key: [r[key] for r in raw] for key in raw[0]}
        return out
    result = density_of_states(
        request.model(),
        realizations=list(realizations),
        seed=seed,
        **OBSERVABLES["density_of_states"].engine_arguments(request),
        **_density_of_states_settings(request),
    )
    return _density_of_states_outputs(result)


#: DOS kernels with a width eta (the histogram kernel takes bin edges instead of energies).
DOS_WIDTH_KERNELS = tuple(k for k in DOS_KERNELS if k != "histogram")

register(
    Observable(
        name="density_of_states",
        summary="broadened density of states per site (units 1/t)",
        settings=(
            Setting("energies", "reals", unit="t", doc="energies"),
            _ETA,
            Setting(
                "kernel",
                "choice",
                "lorentzian",
                doc="broadening of each level",
                choices=DOS_WIDTH_KERNELS,
            ),  # fmt: skip
            _VECTORS,
            Setting(
                "moments",
                "integer",
                None,
                "",
                "Chebyshev moments (default: enough for eta, truncation < 1e-8)",
                minimum=2,
                engines=("kpm",),
            ),  # fmt: skip
        ),
        # The sparse engine's window eigenpairs cannot give the normalised DOS.
        engines=("dense", "kpm"),
        raw=(
            RawOutput(
                "moments",
                "",
                "Chebyshev moments <r|T_n(H~)|r>/N per vector",
                ("kpm",),
                per_vector=True,
            ),
            RawOutput("scale", "t", "(a, b) of H~ = (H - b)/a", ("kpm",)),
        ),
        raw_compute=_dos_raw,
        reprocess=_dos_reprocess,
        outputs={"dos": ("energy",)},
        units={"dos": "1/t", "energy": "t"},
        typical=("dos",),
        axes=lambda r: {"energy": np.asarray(r.settings["energies"])},
        compute=_density_of_states,
        joint=_density_of_states_settings,
        extract=_density_of_states_outputs,
    )
)


def _localization_length(request: Request, realizations: Sequence[int], seed: int) -> dict:
    """One row per point: the transfer matrix self-averages to ``precision`` (root seed)."""
    s, p = request.settings, request.point
    boundary = p.boundary if isinstance(p.boundary, str) else p.boundary[-1]
    widths, energies = np.meshgrid(s["widths"], s["energies"], indexing="ij")
    results = localization_lengths(
        p.dim,
        p.disorder,
        energies,
        widths,
        precision=s["precision"],
        kind=p.kind,
        boundary=boundary,
        flux=p.flux,
        seed=seed,
    )
    xi = np.array([r.xi for r in results]).reshape(1, *widths.shape)
    err = np.array([r.xi_err for r in results]).reshape(1, *widths.shape)
    return {"xi": xi, "xi_err": err}


register(
    Observable(
        name="localization_length",
        summary="transfer-matrix xi on strips/bars of width M (units a)",
        settings=(
            Setting("widths", "integers", (1,), "a", "cross-section widths M", minimum=1),
            Setting("energies", "reals", (0.0,), "t", "energies"),
            Setting(
                "precision",
                "real",
                0.01,
                "",
                "target relative error of xi",
                minimum=0.0,
                strict=True,
            ),  # fmt: skip
        ),
        outputs={"xi": ("width", "energy"), "xi_err": ("width", "energy")},
        units={"xi": "a", "xi_err": "a", "width": "a", "energy": "t"},
        typical=("xi",),
        axes=lambda r: {
            "width": np.asarray(r.settings["widths"]),
            "energy": np.asarray(r.settings["energies"]),
        },
        compute=_localization_length,
        needs_lattice=False,
        self_averaging=True,
    )
)
