"""Sweep configs: strict TOML parsing into frozen dataclasses (docs/archive-format.md).

A config has four tables::

    [run]          seed, realizations, block_size
    [model]        dim, L, kind, boundary, flux, hopping, twist, disorder, fermi_energy
    [sweep]        any of W, L, E_F, dim, flux: a list or a range table
    [observables.<name>]   one table per observable, generated from its declaration in
                           lattice.observables (see :class:`Observables`)

A config may instead hold several sweeps, each a complete config of the four
tables under ``[sweeps.<name>.<table>]`` (:func:`parse_study`, :func:`load_study`);
``vwloc run`` writes them into one archive.

A grid (``omega``, ``q``, ``energies``, sweep axes) is either a TOML array or a
range table: ``{start = a, stop = b, num = n}`` (n points, both ends included)
or ``{start = a, stop = b, step = h}`` (a, a + h, ... up to b inclusive).

Validation happens completely before any work: an unknown key, a wrong type or
an impossible value raises :class:`ConfigError` whose message starts with the
file, the TOML line where it is known and the key path, e.g.
``tiny.toml:12: sweep.W[1]: must be >= 0, got -1.0``. Every default actually
used is part of the resulting :class:`Config`, and :func:`to_toml` writes it
back in full (the archive stores that text).
"""

from __future__ import annotations

import dataclasses
import math
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

from lattice.models.disorder import DISORDER_KINDS
from lattice.models.model import BOUNDARIES
from lattice.observables import DOS_WIDTH_KERNELS, OBSERVABLES, REQUIRED, Observable, Setting
from vwloc_common.vocabulary import NAMES

__all__ = [
    "DOS_WIDTH_KERNELS",
    "SWEEP_AXES",
    "Config",
    "ConfigError",
    "MAX_SEED",
    "REPROCESS_KEYS",
    "Model",
    "Observables",
    "Run",
    "Section",
    "Sweep",
    "apply_overrides",
    "load_config",
    "load_study",
    "needs_lattice",
    "parse_study",
    "parse_config",
    "parse_reprocess",
    "to_toml",
]

#: Sweep axis (the parameter's symbol) -> the model key it replaces (its name).
SWEEP_AXES = dict(NAMES)
#: Upper bound on the number of points of one grid (a typo guard, not a physics limit).
MAX_GRID_POINTS = 100_000


class ConfigError(ValueError):
    """An invalid config; the message names the file, line and key path."""


# --- value checkers: (value, path) -> normalised value, or raise _Invalid --------------


class _Invalid(Exception):
    """Raised by a checker; converted into ConfigError with file and line."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message


Checker = Callable[[Any, str], Any]


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_real(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _int(minimum: int | None = None, maximum: int | None = None) -> Checker:
    def check(value: Any, path: str) -> int:
        if not _is_int(value):
            raise _Invalid(path, f"must be an integer, got {value!r}")
        if minimum is not None and value < minimum:
            raise _Invalid(path, f"must be >= {minimum}, got {value!r}")
        if maximum is not None and value > maximum:
            raise _Invalid(path, f"must be <= {maximum}, got {value!r}")
        return value

    return check


def _real(minimum: float | None = None, strict: bool = False) -> Checker:
    def check(value: Any, path: str) -> float:
        if not _is_real(value):
            raise _Invalid(path, f"must be a number, got {value!r}")
        number = float(value)
        if not math.isfinite(number):
            raise _Invalid(path, f"must be finite, got {value!r}")
        if minimum is not None and (number < minimum or (strict and number == minimum)):
            raise _Invalid(path, f"must be {'>' if strict else '>='} {minimum}, got {value!r}")
        return number

    return check


def _choice(options: Sequence[str]) -> Checker:
    def check(value: Any, path: str) -> str:
        if value not in options:
            raise _Invalid(path, f"must be one of {', '.join(options)}; got {value!r}")
        return value

    return check


def _range(spec: Mapping[str, Any], path: str, element: Checker) -> list[Any]:
    keys = set(spec)
    if keys not in ({"start", "stop", "num"}, {"start", "stop", "step"}):
        raise _Invalid(
            path,
            "a range table needs exactly {start, stop, num} or {start, stop, step}, "
            f"got keys {sorted(keys)}",
        )
    start = element(spec["start"], f"{path}.start")
    stop = element(spec["stop"], f"{path}.stop")
    if "num" in spec:
        num = _int(1, MAX_GRID_POINTS)(spec["num"], f"{path}.num")
        if num == 1:
            if start != stop:
                raise _Invalid(path, f"num = 1 needs start == stop, got {start!r}, {stop!r}")
            return [start]
        values = [_tidy(start + (stop - start) * k / (num - 1)) for k in range(num)]
        values[-1] = stop
        if _is_int(start) and _is_int(stop):
            if any(v != int(v) for v in values):
                raise _Invalid(path, "an integer range needs num with integer spacing")
            values = [int(v) for v in values]
        return [element(v, path) for v in values]
    step = spec["step"]
    if not _is_real(step) or not math.isfinite(step) or step <= 0:
        raise _Invalid(f"{path}.step", f"must be a positive number, got {step!r}")
    if stop < start:
        raise _Invalid(path, f"stop must be >= start, got start={start!r}, stop={stop!r}")
    count = math.floor((stop - start) / step * (1 + 1e-12)) + 1
    if count > MAX_GRID_POINTS:
        raise _Invalid(path, f"range has {count} points, more than {MAX_GRID_POINTS}")
    return [element(_tidy(start + k * step), path) for k in range(count)]


def _tidy(value: float) -> float:
    """Round a computed grid value to 12 significant digits (0.1 * 3 -> 0.3, not 0.30...04)."""
    return value if isinstance(value, int) else float(f"{value:.12g}")


def _grid(element: Checker, unique: bool = True) -> Checker:
    def check(value: Any, path: str) -> tuple[Any, ...]:
        if isinstance(value, Mapping):
            values = _range(value, path, element)
        elif isinstance(value, list):
            values = [element(v, f"{path}[{i}]") for i, v in enumerate(value)]
        else:
            raise _Invalid(path, f"must be a list or a range table, got {value!r}")
        if not values:
            raise _Invalid(path, "must not be empty")
        if len(values) > MAX_GRID_POINTS:
            raise _Invalid(path, f"has {len(values)} points, more than {MAX_GRID_POINTS}")
        if unique and len(set(values)) != len(values):
            raise _Invalid(path, f"has repeated values: {values!r}")
        return tuple(values)

    return check


def _sizes(value: Any, path: str) -> int | tuple[int, ...]:
    if isinstance(value, list):
        if not value:
            raise _Invalid(path, "must not be empty")
        return tuple(_int(1)(v, f"{path}[{i}]") for i, v in enumerate(value))
    return _int(1)(value, path)


def _boundary(value: Any, path: str) -> str | tuple[str, ...]:
    if isinstance(value, list):
        return tuple(_choice(BOUNDARIES)(v, f"{path}[{i}]") for i, v in enumerate(value))
    return _choice(BOUNDARIES)(value, path)


def _spec(check: Checker, default: Any = dataclasses.MISSING) -> Any:
    return field(default=default, metadata={"check": check})


# --- sections ---------------------------------------------------------------------------


#: Largest root seed: TOML 1.0 integers are signed 64-bit (the archive keeps the config as
#: TOML text) and so is the HDF5 ``root_seed`` attribute (h5py stores 2^63 .. 2^64 - 1 as
#: uint64 and fails on 2^64 with "Object dtype has no native HDF5 equivalent"). NumPy's
#: SeedSequence itself takes any non-negative integer.
MAX_SEED = 2**63 - 1


def _seed(value: Any, path: str) -> int:
    if not _is_int(value):
        raise _Invalid(path, f"must be an integer, got {value!r}")
    if not 0 <= value <= MAX_SEED:
        raise _Invalid(path, f"must be in 0 .. 2^63 - 1 (a signed 64-bit integer), got {value!r}")
    return value


@dataclass(frozen=True)
class Run:
    """The ``[run]`` table: ensemble size and seeding (DESIGN.md section 3)."""

    seed: int = _spec(_seed)
    """Root seed; realization i uses ``SeedSequence(seed, spawn_key=(i,))``."""
    realizations: int = _spec(_int(1), 16)
    """Disorder realizations per sweep point (indices 0 .. realizations-1)."""
    block_size: int = _spec(_int(1), 4)
    """Realizations per task; only scheduling depends on it, never the data."""
    vector_block: int = _spec(_int(1), 1)
    """Random vectors per task of a kpm observable (memory O(N x vector_block)); only
    scheduling depends on it, never the data."""


@dataclass(frozen=True)
class Model:
    """The ``[model]`` table: the lattice of ``lattice.AndersonModel`` (docs/conventions.md)."""

    dim: int = _spec(_int(1, 3), 1)
    """Spatial dimension d (1, 2 or 3); replaced by ``sweep.dim``."""
    L: int | tuple[int, ...] | None = _spec(_sizes, None)
    """Linear size (sites per axis), or one size per axis; replaced by ``sweep.L``."""
    kind: str = _spec(_choice(DISORDER_KINDS), "box")
    """Disorder distribution: box (Anderson), gaussian (Edwards) or constant."""
    boundary: str | tuple[str, ...] = _spec(_boundary, "periodic")
    """``periodic`` or ``open``, or one of them per axis."""
    flux: float = _spec(_real(), 0.0)
    """Magnetic flux per plaquette in flux quanta (d >= 2); replaced by ``sweep.flux``."""
    hopping: float = _spec(_real(0.0, strict=True), 1.0)
    """Hopping t (the energy unit, keep 1 unless testing scaling)."""
    twist: float = _spec(_real(), 0.0)
    """Aharonov-Bohm phase (radians) threading the periodic x axis."""
    disorder: float = _spec(_real(), 1.0)
    """Disorder strength W in units of t; replaced by ``sweep.W``."""
    fermi_energy: float = _spec(_real(), 0.0)
    """The lattice Fermi energy E_F in units of t; replaced by ``sweep.E_F``."""


@dataclass(frozen=True)
class Sweep:
    """The ``[sweep]`` table: the axes of the Cartesian product of sweep points."""

    dim: tuple[int, ...] | None = _spec(_grid(_int(1, 3)), None)
    """Spatial dimensions d."""
    L: tuple[int, ...] | None = _spec(_grid(_int(1)), None)
    """Linear sizes (the lattice is L^d)."""
    W: tuple[float, ...] | None = _spec(_grid(_real()), None)
    """Disorder strengths in units of t."""
    E_F: tuple[float, ...] | None = _spec(_grid(_real()), None)
    """Fermi energies in units of t."""
    flux: tuple[float, ...] | None = _spec(_grid(_real()), None)
    """Fluxes per plaquette in flux quanta."""


# --- observables: generated from the declarations in lattice.observables ----------------


def _checker(setting: Setting) -> Checker:
    """The config checker of one declared setting (bounds and type from the declaration)."""
    if setting.kind == "choice":
        return _choice(setting.choices)
    if setting.kind in ("integer", "integers"):
        minimum = None if setting.minimum is None else int(setting.minimum)
        element = _int(minimum)
    else:
        element = _real(setting.minimum, setting.strict)
    return _grid(element) if setting.kind in ("reals", "integers") else element


class Section(Mapping):
    """A validated ``[observables.<name>]`` table: its settings by key or as attributes.

    Generated from the observable's declaration (:data:`lattice.observables.OBSERVABLES`):
    every declared setting is present, defaults filled in.
    """

    __slots__ = ("name", "_values")

    def __init__(self, name: str, values: Mapping[str, Any]) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "_values", dict(values))

    def __getitem__(self, key: str) -> Any:
        return self._values[key]

    def __iter__(self):
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __getattr__(self, key: str) -> Any:
        if key.startswith("_"):
            raise AttributeError(key)
        try:
            return self._values[key]
        except KeyError:
            raise AttributeError(f"[observables.{self.name}] has no setting {key!r}") from None

    def __setattr__(self, key: str, value: Any) -> None:
        raise AttributeError("a config section is read-only")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Section):
            return NotImplemented
        return self.name == other.name and self._values == other._values

    def __hash__(self) -> int:
        return hash((self.name, tuple(self._values.items())))

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v!r}" for k, v in self._values.items())
        return f"Section({self.name!r}, {inner})"

    def __reduce__(self):
        return (Section, (self.name, self._values))

    @property
    def declaration(self) -> Observable:
        """The observable's declaration."""
        return OBSERVABLES[self.name]


class Observables:
    """The ``[observables]`` table: the requested observables (at least one).

    ``observables.<name>`` is the :class:`Section` of a declared observable, or
    None if the config does not request it.
    """

    __slots__ = ("_sections",)

    def __init__(self, sections: Mapping[str, Section] | None = None) -> None:
        given = dict(sections or {})
        order = [name for name in OBSERVABLES if name in given]
        order += [name for name in given if name not in order]
        object.__setattr__(self, "_sections", {name: given[name] for name in order})

    def enabled(self) -> dict[str, Section]:
        """Return ``{name: settings}`` of the requested observables, in declaration order."""
        return dict(self._sections)

    def __getattr__(self, name: str) -> Section | None:
        if name.startswith("_"):
            raise AttributeError(name)
        if name in self._sections:
            return self._sections[name]
        if name in OBSERVABLES:
            return None
        raise AttributeError(f"no observable {name!r} (declared: {', '.join(OBSERVABLES)})")

    def __setattr__(self, key: str, value: Any) -> None:
        raise AttributeError("a config section is read-only")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Observables):
            return NotImplemented
        return self._sections == other._sections

    def __hash__(self) -> int:
        return hash(tuple(self._sections.items()))

    def __repr__(self) -> str:
        return f"Observables({', '.join(map(repr, self._sections.values()))})"

    def __reduce__(self):
        return (Observables, (self._sections,))


def _check_table(table: Any, allowed: Sequence[str], path: str) -> None:
    """Raise unless ``table`` is a table whose keys are all in ``allowed``."""
    if not isinstance(table, Mapping):
        raise _Invalid(path, f"must be a table, got {table!r}")
    for key in table:
        if key not in allowed:
            names = ", ".join(allowed) or "no keys"
            raise _Invalid(f"{path}.{key}", f"unknown key (allowed in [{path}]: {names})")


def _build_section(observable: Observable, table: Any, path: str) -> Section:
    settings = {setting.name: setting for setting in observable.all_settings}
    _check_table(table, list(settings), path)
    engine = observable.engines[0]
    if "engine" in table and "engine" in settings:
        engine = _checker(settings["engine"])(table["engine"], f"{path}.engine")
    values = {}
    for name, setting in settings.items():
        sub = f"{path}.{name}"
        if name in table:
            if not setting.applies_to(engine):
                raise _Invalid(
                    sub, f"applies to engine {' or '.join(setting.engines)}, not {engine}"
                )
            values[name] = _checker(setting)(table[name], sub)
        elif setting.default is REQUIRED and setting.applies_to(engine):
            extra = f" with engine = {engine!r}" if setting.engines is not None else ""
            raise _Invalid(sub, f"is required{extra}")
        else:  # an engine's setting that does not apply (or is automatic) is None
            missing = setting.default is REQUIRED or not setting.applies_to(engine)
            values[name] = None if missing else setting.default
    refused = observable.check(values)
    if refused is not None:
        key, message = refused
        raise _Invalid(f"{path}.{key}", f"{message}, got {values[key]!r}")
    return Section(observable.name, values)


def _build_observables(table: Any, path: str) -> Observables:
    _check_table(table, list(OBSERVABLES), path)
    return Observables(
        {
            name: _build_section(observable, table[name], f"{path}.{name}")
            for name, observable in OBSERVABLES.items()
            if name in table
        }
    )


def needs_lattice(observables: Observables) -> bool:
    """Whether any requested observable works on a finite lattice (needs ``L``)."""
    return any(OBSERVABLES[name].needs_lattice for name in observables.enabled())


@dataclass(frozen=True)
class Config:
    """A validated sweep config; ``to_toml(config)`` writes it back with every default."""

    run: Run
    """The ``[run]`` table."""
    model: Model
    """The ``[model]`` table."""
    sweep: Sweep
    """The ``[sweep]`` table."""
    observables: Observables
    """The ``[observables]`` table."""

    def realization_count(self, observable: str) -> int:
        """Rows of ``observable`` per sweep point: run.realizations, or 1 if self-averaging."""
        return 1 if OBSERVABLES[observable].self_averaging else self.run.realizations


# --- parsing ----------------------------------------------------------------------------

_SECTIONS = {"run": Run, "model": Model, "sweep": Sweep, "observables": Observables}


def _build(cls: type, table: Any, path: str) -> Any:
    if cls is Observables:
        return _build_observables(table, path)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    _check_table(table, list(fields), path)
    values = {}
    for name, spec in fields.items():
        sub = f"{path}.{name}"
        if name in table:
            if "section" in spec.metadata:
                values[name] = _build(spec.metadata["section"], table[name], sub)
            else:
                values[name] = spec.metadata["check"](table[name], sub)
        elif spec.default is dataclasses.MISSING:
            raise _Invalid(sub, "is required")
    return cls(**values)


def _cross_check(config: Config, given: frozenset[str]) -> None:
    """Rules that involve several keys (``given``: the keys present in ``[model]``)."""
    model, sweep = config.model, config.sweep
    for axis, key in SWEEP_AXES.items():
        if getattr(sweep, axis) is not None and key in given:
            raise _Invalid(f"model.{key}", f"is swept by sweep.{axis}; give only one of them")
    enabled = config.observables.enabled()
    if not enabled:
        raise _Invalid("observables", "needs at least one [observables.<name>] table")
    dims = sweep.dim or (model.dim,)
    per_axis = [v for v in (model.L, model.boundary) if isinstance(v, tuple)]
    for value in per_axis:
        if sweep.dim is not None or len(value) != model.dim:
            raise _Invalid(
                "model.L" if value is model.L else "model.boundary",
                f"has {len(value)} entries but the lattice has dim = {model.dim}"
                + (" (and dim is swept)" if sweep.dim is not None else ""),
            )
    if needs_lattice(config.observables):
        if model.L is None and sweep.L is None:
            raise _Invalid("model.L", "is required by the lattice observables")
    if model.kind != "constant":
        for value in sweep.W or (model.disorder,):
            if value < 0:
                key = "sweep.W" if sweep.W else "model.disorder"
                raise _Invalid(key, f"W must be >= 0 for kind = {model.kind!r}, got {value!r}")
    fluxes = sweep.flux or (model.flux,)
    if 1 in dims and any(f != 0 for f in fluxes):
        raise _Invalid("sweep.flux" if sweep.flux else "model.flux", "needs dim >= 2")


_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_ASSIGN = re.compile(r"^\s*([A-Za-z0-9_\-\"'. ]+?)\s*=")


def _key_lines(text: str) -> dict[str, int]:
    """Map dotted key paths to their 1-based line in ``text`` (headers and ``key =`` lines)."""
    lines: dict[str, int] = {}
    table = ""
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(line)
        if header:
            table = ".".join(p.strip().strip("\"'") for p in header.group(1).split("."))
            lines.setdefault(table, number)
            continue
        assign = _ASSIGN.match(line)
        if assign:
            key = ".".join(p.strip().strip("\"'") for p in assign.group(1).split("."))
            lines.setdefault(f"{table}.{key}" if table else key, number)
    return lines


def _locate(path: str, lines: Mapping[str, int]) -> int | None:
    """Line of ``path`` or of its nearest ancestor that has one."""
    candidate = re.sub(r"\[\d+\]", "", path)
    while candidate:
        if candidate in lines:
            return lines[candidate]
        candidate = candidate.rpartition(".")[0]
    return None


def parse_config(text: str, source: str = "<config>", overrides: Sequence[str] = ()) -> Config:
    """Parse and validate TOML ``text``; apply ``--set`` style ``overrides`` first.

    Parameters
    ----------
    text : str
        The TOML document.
    source : str
        Name used in error messages (usually the file name).
    overrides : sequence of str
        ``"key.path=value"`` items, value parsed as TOML (bare words as strings).

    Raises
    ------
    ConfigError
        With ``source:line: key.path: reason``.
    """
    raw, lines, overridden = _load_toml(text, source, overrides)
    if "sweeps" in raw:
        raise ConfigError(
            f"{source}: holds several sweeps ([sweeps.<name>] tables); "
            "read it with parse_study (vwloc run does)"
        )
    return _parse_raw(raw, lines, overridden, source)


def _load_toml(
    text: str, source: str, overrides: Sequence[str]
) -> tuple[dict[str, Any], dict[str, int], list[str]]:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source}: not valid TOML: {exc}") from None
    return raw, _key_lines(text), apply_overrides(raw, overrides)


def _parse_raw(
    raw: Any, lines: Mapping[str, int], overridden: Sequence[str], source: str, prefix: str = ""
) -> Config:
    """Validate one sweep's tables ``raw``; error paths start with ``prefix``."""
    try:
        if not isinstance(raw, Mapping):
            raise _Invalid("", f"must be a table, got {raw!r}")
        for key in raw:
            if key not in _SECTIONS:
                raise _Invalid(key, f"unknown table (allowed: {', '.join(_SECTIONS)})")
        if "run" not in raw or "seed" not in raw.get("run", {}):
            raise _Invalid("run.seed", "is required (the root seed of every realization)")
        sections = {name: _build(cls, raw.get(name, {}), name) for name, cls in _SECTIONS.items()}
        config = Config(**sections)
        _cross_check(config, frozenset(raw.get("model", {})))
    except _Invalid as exc:
        path = (prefix + exc.path).rstrip(".")
        if any(path == p or path.startswith(p + ".") for p in overridden):
            where = f"{source}: --set {path}"
        else:
            line = _locate(path, lines)
            where = f"{source}:{line}: {path}" if line else f"{source}: {path}"
        raise ConfigError(f"{where}: {exc.message}") from None
    return config


def parse_study(
    text: str, source: str = "<config>", overrides: Sequence[str] = ()
) -> dict[str, Config]:
    """Parse a config of one or several sweeps; return ``{sweep name: Config}``.

    A config with ``[sweeps.<name>.run]``, ``[sweeps.<name>.model]``, ... tables
    (each sweep a complete config: its own seed, model, sweep axes and
    observables) gives one entry per name, in order; any other config is the
    single sweep ``{"": config}``. ``overrides`` name the full path
    (``sweeps.chains.run.realizations=8``).

    Raises
    ------
    ConfigError
        With ``source:line: key.path: reason``.
    """
    raw, lines, overridden = _load_toml(text, source, overrides)
    if "sweeps" not in raw:
        return {"": _parse_raw(raw, lines, overridden, source)}
    extra = [key for key in raw if key != "sweeps"]
    sweeps = raw["sweeps"]
    if extra or not isinstance(sweeps, Mapping) or not sweeps:
        path = extra[0] if extra else "sweeps"
        line = _locate(path, lines)
        where = f"{source}:{line}: {path}" if line else f"{source}: {path}"
        reason = (
            "a config of several sweeps has only [sweeps.<name>...] tables"
            if extra
            else "needs at least one [sweeps.<name>] table"
        )
        raise ConfigError(f"{where}: {reason}")
    return {
        str(name): _parse_raw(table, lines, overridden, source, prefix=f"sweeps.{name}.")
        for name, table in sweeps.items()
    }


def apply_overrides(raw: dict[str, Any], overrides: Sequence[str]) -> list[str]:
    """Set ``key.path=value`` items in the raw TOML dict ``raw``; return the paths set.

    The value is parsed as a TOML value (``2.5``, ``[1, 2]``, ``"box"``); a bare
    word that is not valid TOML is taken as a string (``model.kind=gaussian``).
    """
    paths = []
    for item in overrides:
        path, sep, text = item.partition("=")
        path = path.strip()
        if not sep or not path or any(not part for part in path.split(".")):
            raise ConfigError(f"--set {item!r}: expected key.path=value")
        try:
            value = tomllib.loads(f"v = {text.strip()}")["v"]
        except tomllib.TOMLDecodeError:
            value = text.strip()
        table = raw
        parts = path.split(".")
        for part in parts[:-1]:
            table = table.setdefault(part, {})
            if not isinstance(table, dict):
                raise ConfigError(f"--set {path}: {part} is not a table")
        table[parts[-1]] = value
        paths.append(path)
    return paths


#: Settings that ``vwloc compare --reprocess`` may change: they do not change what the
#: sparse and kpm engines recorded (grid, kernel and width of the broadening).
REPROCESS_KEYS = ("omega", "energies", "eta", "kernel")


def parse_reprocess(items: Sequence[str]) -> dict[str, dict[str, Any]]:
    """``observable.key=value`` items -> ``{observable: {key: value}}``, each value checked
    against the declaration (keys among :data:`REPROCESS_KEYS`, observables with raw data).

    Raises
    ------
    ConfigError
        One line naming the item.
    """
    out: dict[str, dict[str, Any]] = {}
    for item in items:
        path, sep, text = item.partition("=")
        name, _, key = path.strip().partition(".")
        observable = OBSERVABLES.get(name)
        if not sep or observable is None or observable.reprocess is None:
            able = [n for n, o in OBSERVABLES.items() if o.reprocess is not None]
            raise ConfigError(
                f"--reprocess {item!r}: expected observable.key=value, observable among {able}"
            )
        settings = {s.name: s for s in observable.all_settings}
        if key not in REPROCESS_KEYS or key not in settings:
            allowed = [k for k in REPROCESS_KEYS if k in settings]
            raise ConfigError(f"--reprocess {item!r}: key must be one of {allowed}")
        try:
            value = tomllib.loads(f"v = {text.strip()}")["v"]
        except tomllib.TOMLDecodeError:
            value = text.strip()
        try:
            out.setdefault(name, {})[key] = _checker(settings[key])(value, path.strip())
        except _Invalid as exc:
            raise ConfigError(f"--reprocess {exc.path}: {exc.message}") from None
    return out


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config {str(path)!r}: {exc}") from None


def load_config(path: str | Path, overrides: Sequence[str] = ()) -> tuple[Config, str]:
    """Read and validate a config file; return ``(config, text)``.

    Raises
    ------
    ConfigError
        If the file cannot be read or is invalid.
    """
    path = Path(path)
    text = _read_text(path)
    return parse_config(text, source=path.name, overrides=overrides), text


def load_study(path: str | Path, overrides: Sequence[str] = ()) -> tuple[dict[str, Config], str]:
    """Read a config of one or several sweeps (:func:`parse_study`); return ``(sweeps, text)``."""
    path = Path(path)
    text = _read_text(path)
    return parse_study(text, source=path.name, overrides=overrides), text


# --- writing back -----------------------------------------------------------------------


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {value!r} as TOML")


def _toml_table(name: str, section: Any, skip: Sequence[str] = ()) -> list[str]:
    if isinstance(section, Observables):
        lines = []
        for key, values in section.enabled().items():
            given = {k: v for k, v in values.items() if v is not None}  # None: not applicable
            lines += [f"[{name}.{key}]", *(f"{k} = {_toml_value(v)}" for k, v in given.items())]
            lines.append("")
        return lines
    scalars, nested = [], []
    for f in dataclasses.fields(section):
        value = getattr(section, f.name)
        if value is None or f.name in skip:
            continue
        if dataclasses.is_dataclass(value):
            nested += _toml_table(f"{name}.{f.name}", value)
        else:
            scalars.append(f"{f.name} = {_toml_value(value)}")
    own = [f"[{name}]", *scalars, ""] if scalars or not dataclasses.fields(section) else []
    return own + nested


def to_toml(config: Config) -> str:
    """Return the config as TOML with every default written out (``parse_config`` inverts it)."""
    lines: list[str] = []
    for name in _SECTIONS:
        section = getattr(config, name)
        swept = [key for axis, key in SWEEP_AXES.items() if getattr(config.sweep, axis)]
        lines += _toml_table(name, section, swept if name == "model" else ())
    return "\n".join(lines)
