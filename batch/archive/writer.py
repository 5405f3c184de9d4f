"""The one process that writes an archive: create, resume, extend, append tasks.

Crash safety. Every session builds a fresh file next to the archive
(``OUT.h5.tmp``): the structure for the (possibly extended) config, the rows of
every realization whose ``done`` flag is set in the old archive (rows without
a flag are dropped), and summaries recomputed from them. The new file is
switched to SWMR mode and only then atomically renamed over the archive, so a
kill at any moment leaves either the old or the new archive, both complete.
While running, only existing datasets are written (data and, at most once per
:data:`SUMMARY_INTERVAL`, the summaries; a flush; then the ``done`` flags and a
flush), which SWMR keeps readable at every instant. A resumed run recomputes
exactly the realizations without a flag; realization i always has the same
disorder, so the final data are bit-identical to an uninterrupted run.
"""

from __future__ import annotations

import dataclasses
import errno
import fcntl
import gc
import json
import math
import os
import resource
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import h5py
import numpy as np
from h5py import h5s

from batch.archive.format import (
    FORMAT_VERSION,
    PROVENANCE_BYTES,
    STUDY_FORMAT_VERSION,
    TIME_BYTES,
    ArchiveError,
    open_archive,
    open_readonly,
    summaries,
)
from batch.archive.provenance import now, provenance
from batch.archive.reader import VECTOR_DONE, read_raw
from batch.config import (
    SWEEP_AXES,
    Config,
    ConfigError,
    Observables,
    Section,
    parse_config,
    to_toml,
)
from batch.points import SweepPoint, point_grid, request_of, sweep_points
from batch.tasks import TaskResult
from lattice.observables import OBSERVABLES, Request

__all__ = ["SUMMARY_INTERVAL", "ArchiveWriter", "ConfigMismatch", "SweepInput", "check_compatible"]

#: Seconds between running-summary updates of one observable group while a run
#: writes (each costs a read of all its rows); :meth:`ArchiveWriter.finish` and every
#: resume bring them up to date, and readers recompute stale ones (``count``).
SUMMARY_INTERVAL = 1.0
#: Bytes kept free beyond a task's data chunks for HDF5 metadata (chunk index, heaps).
_SPACE_MARGIN = 64 * 1024


#: Characters of the differences quoted in the one-line refusal (the rest: --explain).
_SUMMARY_CHARS = 60
#: Characters of one value in a quoted difference.
_VALUE_CHARS = 24


class ConfigMismatch(ArchiveError):
    """An archive written with an incompatible config; :attr:`changes` lists every difference."""

    def __init__(self, message: str, changes: Sequence[str]) -> None:
        super().__init__(message)
        self.changes = list(changes)


def _short(value: Any) -> str:
    """A value for the one-line summary: long grids as ``[a, b, ... n values]``."""
    if isinstance(value, (tuple, list)) and len(value) > 3:
        text = f"[{value[0]!r}, {value[1]!r}, ... {len(value)} values]"
    else:
        text = repr(value)
    return text if len(text) <= _VALUE_CHARS else text[: _VALUE_CHARS - 3] + "..."


def _fields(section: Any) -> dict[str, Any]:
    """Key -> value of a config table (a dataclass, the observables table or one of its
    sections); disabled observables are None."""
    if isinstance(section, Observables):
        enabled = section.enabled()
        return {name: enabled.get(name) for name in dict.fromkeys([*OBSERVABLES, *enabled])}
    if isinstance(section, Section):
        return dict(section)
    return {f.name: getattr(section, f.name) for f in dataclasses.fields(section)}


def _differences(
    old: Any, new: Any, path: str, skip: Sequence[str] = (), short: bool = False
) -> list[str]:
    show = _short if short else repr
    out = []
    before, after = _fields(old), _fields(new)
    for name in dict.fromkeys([*before, *after]):
        if name in skip:
            continue
        a, b = before.get(name), after.get(name)
        if isinstance(a, Section) and isinstance(b, Section):
            out += _differences(a, b, f"{path}.{name}", short=short)
        elif a != b:
            out.append(f"{path}.{name}: {show(a)} -> {show(b)}")
    return out


def _summary(changes: Sequence[str]) -> str:
    """``3 differences: a: 1 -> 2, b: 'x' -> 'y', ... (see --explain)`` within a line."""
    shown: list[str] = []
    for change in changes:
        if shown and len(", ".join([*shown, change])) > _SUMMARY_CHARS:
            break
        shown.append(change)
    text = ", ".join(shown)
    if len(shown) < len(changes):
        text += ", ... (see --explain)"
    count = len(changes)
    return f"{count} difference{'s' if count > 1 else ''}: {text}"


def check_compatible(old: Config, new: Config) -> None:
    """Raise :class:`ConfigMismatch` unless ``new`` equals ``old`` or only adds realizations or
    points.

    ``run.block_size`` and ``run.vector_block`` may change freely (they only affect
    scheduling). The message is
    one line that quotes the first differences (long grids abbreviated); the
    exception's ``changes`` holds all of them in full (``vwloc run --explain``).
    """
    changes = _config_changes(old, new, short=True)
    if changes:
        raise ConfigMismatch(
            f"different config ({_summary(changes)}); only more realizations or points "
            "extend an archive: use a new file",
            _config_changes(old, new, short=False),
        )


def _config_changes(old: Config, new: Config, short: bool) -> list[str]:
    swept = [key for axis, key in SWEEP_AXES.items() if getattr(old.sweep, axis) is not None]
    swept += [key for axis, key in SWEEP_AXES.items() if getattr(new.sweep, axis) is not None]
    changes = _differences(old.model, new.model, "model", skip=swept, short=short)
    changes += _differences(old.observables, new.observables, "observables", short=short)
    if old.run.seed != new.run.seed:
        changes.append(f"run.seed: {old.run.seed!r} -> {new.run.seed!r}")
    if new.run.realizations < old.run.realizations:
        changes.append(
            f"run.realizations: {old.run.realizations} -> {new.run.realizations} (fewer)"
        )
    new_points = point_grid(new)
    new_ids = {p.id for p in new_points}
    lost = [p.id for p in point_grid(old) if p.id not in new_ids]
    if lost:
        example = "" if short else f", e.g. {lost[0]}"
        changes.append(f"sweep: drops {len(lost)} point(s){example}")
    return changes


def _string_table(group: h5py.Group, name: str, rows: Sequence[str], size: int) -> None:
    data = np.array([r.encode()[:size] for r in rows], dtype=f"S{size}")
    group.create_dataset(name, data=data, maxshape=(None,), chunks=(16,))


def _create_observable(group: h5py.Group, name: str, params: Request, config: Config) -> None:
    kind = OBSERVABLES[name]
    n = config.realization_count(name)
    obs = group.create_group(name)
    obs.attrs["summary"] = kind.summary
    # written with each task's rows (i once realization i is done, -1 before), so that
    # a huge realization count allocates nothing until the work is done
    index = obs.create_dataset(
        "realization", shape=(n,), dtype=np.int64, maxshape=(None,), chunks=(1024,), fillvalue=-1
    )
    index.make_scale("realization")
    scales = {}
    for axis, coords in kind.axes(params).items():
        scales[axis] = obs.create_dataset(axis, data=np.asarray(coords))
        scales[axis].attrs["units"] = kind.units[axis]
        scales[axis].make_scale(axis)
    done = obs.create_dataset(
        "done", shape=(n,), dtype=np.uint8, maxshape=(None,), chunks=(1024,), fillvalue=0
    )
    done.dims[0].attach_scale(index)
    obs.create_dataset("count", data=np.int64(0))
    rows = max(1, min(config.run.block_size, n))
    for out, axes in kind.outputs.items():
        shape = tuple(scales[a].shape[0] for a in axes)
        raw = obs.create_dataset(
            out,
            shape=(n, *shape),
            dtype=np.float64,
            maxshape=(None, *shape),
            chunks=(rows, *shape),
            fillvalue=np.nan,
        )
        raw.attrs["units"] = kind.units[out]
        raw.dims[0].attach_scale(index)
        stats = ["mean", "stderr"] + (["typical"] if out in kind.typical else [])
        for stat in stats:
            summary = obs.create_dataset(
                f"{out}_{stat}", shape=shape, dtype=np.float64, fillvalue=np.nan
            )
            summary.attrs["units"] = kind.units[out]
            for k, axis in enumerate(axes):
                summary.dims[k].attach_scale(scales[axis])
        for k, axis in enumerate(axes):
            raw.dims[k + 1].attach_scale(scales[axis])
    _create_raw(obs, kind, params, n, index)


#: Element type of a raw array whose length varies between entries.
_VARIABLE = h5py.vlen_dtype(np.float64)


def _create_raw(obs: h5py.Group, kind: Any, params: Request, n: int, index: h5py.Dataset) -> None:
    """The ``raw/`` datasets of the request's engine: (n,) or (n, vectors) of numbers or of
    variable-length float64 arrays (docs/archive-format.md)."""
    outputs = kind.raw_outputs(params)
    if not outputs:
        return
    group = obs.create_group("raw")
    group.attrs["engine"] = kind.engine(params)
    for raw in outputs:
        shape = (n, params.settings["vectors"]) if raw.per_vector else (n,)
        dtype = np.float64 if raw.scalar else _VARIABLE
        fill = {"fillvalue": np.nan} if raw.scalar else {}
        chunks = (min(n, 64), *shape[1:])
        dataset = group.create_dataset(
            raw.name, shape=shape, dtype=dtype, maxshape=(None, *shape[1:]), chunks=chunks, **fill
        )
        dataset.attrs["units"] = raw.unit
        dataset.attrs["doc"] = raw.doc
        dataset.dims[0].attach_scale(index)
    if any(raw.per_vector for raw in outputs):
        shape = (n, params.settings["vectors"])
        done = group.create_dataset(
            VECTOR_DONE, shape=shape, dtype=np.uint8, maxshape=(None, shape[1]),
            chunks=(min(n, 64), shape[1]), fillvalue=0,
        )  # fmt: skip
        done.dims[0].attach_scale(index)


@dataclasses.dataclass(frozen=True)
class _Target:
    """Open handles of one observable group, kept for the session (no lookups per task)."""

    name: str
    outputs: dict[str, h5py.Dataset]
    stats: dict[str, h5py.Dataset]
    """``<output>_<stat>`` -> running summary."""
    done: h5py.Dataset
    count: h5py.Dataset
    raw: dict[str, h5py.Dataset]
    """Raw arrays of the engine (``raw/<name>``), empty for most observables."""
    chunk_bytes: int
    """Bytes of one chunk of every raw output (what a task can newly allocate)."""
    index: h5py.Dataset
    """The ``realization`` scale, written with the rows."""

    def summarize(self, flags: np.ndarray) -> None:
        """Rewrite the summaries (and ``count``) for the realizations flagged in ``flags``.

        Reads the raw rows only up to the last flagged one (memory ~ the work done).
        """
        typical = OBSERVABLES[self.name].typical
        flagged = np.flatnonzero(flags)
        end = int(flagged[-1]) + 1 if flagged.size else 0
        for out, dataset in self.outputs.items():
            for stat, value in summaries(dataset[:end], flags[:end], out in typical).items():
                self.stats[f"{out}_{stat}"][...] = value
        self.count[()] = int(flagged.size)


def _open_target(group: h5py.Group, name: str) -> _Target:
    kind = OBSERVABLES[name]
    outputs = {out: group[out] for out in kind.outputs}
    stats = {
        key: group[key]
        for out in kind.outputs
        for key in (f"{out}_mean", f"{out}_stderr", f"{out}_typical")
        if key in group
    }
    chunk_bytes = sum(int(np.prod(d.chunks)) * d.dtype.itemsize for d in outputs.values())
    raw = dict(group["raw"].items()) if "raw" in group else {}
    return _Target(
        name, outputs, stats, group["done"], group["count"], raw, chunk_bytes,
        group["realization"],
    )  # fmt: skip


def _write_block(dataset: h5py.Dataset, start: int, values: np.ndarray) -> None:
    """``dataset[start:start + len(values)] = values``, without h5py's selection layer.

    The same HDF5 write (hyperslab of whole rows) at a fraction of the Python cost.
    """
    if values.shape[1:] != dataset.shape[1:] or values.dtype != dataset.dtype:
        raise ValueError(
            f"{dataset.name}: rows of shape {values.shape[1:]} and dtype {values.dtype}, "
            f"expected {dataset.shape[1:]} and {dataset.dtype}"
        )
    values = np.ascontiguousarray(values)
    space = dataset.id.get_space()
    space.select_hyperslab((start,) + (0,) * (values.ndim - 1), values.shape)
    dataset.id.write(h5s.create_simple(values.shape), space, values)


def _write_raw(dataset: h5py.Dataset, start: int, entries: Sequence[Any]) -> None:
    """Rows ``start ..`` of a raw dataset: numbers, or 1-D arrays (one per row or per
    (row, vector) cell) stored as variable-length float64."""
    for k, entry in enumerate(entries):
        if dataset.dtype == np.float64:
            dataset[start + k] = np.asarray(entry, dtype=np.float64)
            continue
        rows = np.asarray(entry, dtype=np.float64)
        if dataset.ndim == 1:
            dataset[start + k] = rows.ravel()
        else:
            for v, row in enumerate(rows):
                dataset[start + k, v] = row


def _copy_done(old: h5py.Group, new: h5py.Group, name: str) -> None:
    """Copy the rows of realizations flagged done in ``old`` and recompute the summaries."""
    kind = OBSERVABLES[name]
    flags = old["done"][:].astype(bool)
    flags = flags[: new["done"].shape[0]]
    if not flags.any():
        return
    indices = np.flatnonzero(flags)
    end = int(indices[-1]) + 1  # rows beyond the last done one stay unallocated
    flags = flags[:end]
    for out in kind.outputs:
        values = np.full((end, *new[out].shape[1:]), np.nan)
        values[indices] = old[out][:end][indices]
        new[out][:end] = values
        for stat, value in summaries(values, flags, out in kind.typical).items():
            new[f"{out}_{stat}"][...] = value
    new["count"][()] = indices.size
    new["done"][:end] = flags.astype(np.uint8)
    new["realization"][:end] = np.where(flags, np.arange(end), -1)
    if "raw" in old and "raw" in new:
        for key, dataset in new["raw"].items():
            if key == VECTOR_DONE:
                dataset[indices] = 1
        for i, row in zip(indices, read_raw(old, indices), strict=True):
            for key, value in row.items():
                _write_raw(new["raw"][key], int(i), [value])


@dataclasses.dataclass(frozen=True)
class SweepInput:
    """One sweep of an archive: its config, the text it came from, its ``--set`` items."""

    config: Config
    """The validated config."""
    text: str
    """The config text as given (archived as ``config_source``)."""
    overrides: tuple[str, ...] = ()
    """The ``--set`` items applied to it."""


def _points_path(sweep: str, study: bool) -> str:
    """HDF5 path of the sweep points of ``sweep``: ``points`` or ``sweeps/<name>/points``."""
    return f"sweeps/{sweep}/points" if study else "points"


def _done_masks(handle: h5py.File, sweep: str, study: bool) -> dict[tuple[str, str], np.ndarray]:
    """``{(point id, observable): bool array}`` of the realizations archived in ``handle``
    for ``sweep`` (empty for a sweep the file does not hold yet)."""
    points = handle.get(_points_path(sweep, study), {})
    return {
        (pid, name): obs["done"][:].astype(bool)
        for pid, group in points.items()
        for name, obs in group.items()
    }


class ArchiveWriter:
    """The one process that writes an archive; use :meth:`open` and a ``with`` block.

    Attributes
    ----------
    path : Path
        The archive.
    config : Config or None
        The config of this session (None for a study: see ``sweeps``).
    sweeps : dict
        Sweep name -> :class:`SweepInput` (one entry named ``""`` for a single sweep).

    >>> with ArchiveWriter.open(path, config, text, (), "serial") as writer:  # doctest: +SKIP
    ...     for result in results:
    ...         writer.write(result)
    ...     writer.finish()
    """

    def __init__(
        self,
        path: Path,
        handle: h5py.File,
        sweeps: dict[str, SweepInput],
        study: bool,
        run_row: int,
        lock: int,
    ) -> None:
        self.path = path
        self._lock = lock
        self._file = handle
        self.sweeps = sweeps
        self.config = sweeps[""].config if not study else None
        self._study = study
        self._run_row = run_row
        self._failed = False
        #: (sweep, point, observable) -> rows up to the last one written or copied
        self._extent: dict[tuple[str, str, str], int] = {}
        self._summarized: dict[tuple[str, str, str], float] = {}  # (sweep, point, obs) -> time
        self._targets: dict[tuple[str, str, str], _Target] = {}  # (sweep, point id, observable)
        self._points: dict[str, dict[str, SweepPoint]] = {}  # sweep -> point id -> point

    @classmethod
    def open(
        cls,
        path: str | Path,
        config: Config,
        config_text: str,
        overrides: Sequence[str],
        executor: str,
    ) -> ArchiveWriter:
        """Create ``path``, or resume/extend it; return the writer (SWMR mode, renamed in place).

        Raises
        ------
        ArchiveError
            If ``path`` exists but is not a readable vwloc archive or was written
            with an incompatible config; the existing file is left untouched.
        """
        sweep = SweepInput(config, config_text, tuple(overrides))
        return cls._open(Path(path), {"": sweep}, False, executor)

    @classmethod
    def open_study(
        cls, path: str | Path, sweeps: Mapping[str, SweepInput], executor: str
    ) -> ArchiveWriter:
        """Like :meth:`open` for several named sweeps in one archive (format
        :data:`STUDY_FORMAT_VERSION`, one group ``/sweeps/<name>`` per sweep)."""
        if not sweeps:
            raise ArchiveError(f"{path}: a study needs at least one sweep")
        for name in sweeps:
            if not name or "/" in name or name != name.strip():
                raise ArchiveError(f"{path}: sweep name {name!r} must be non-empty, no '/'")
        return cls._open(Path(path), dict(sweeps), True, executor)

    @classmethod
    def verify(
        cls, path: str | Path, sweeps: Mapping[str, SweepInput]
    ) -> dict[str, dict[tuple[str, str], int]]:
        """Refuse (ArchiveError, :class:`ConfigMismatch`) an existing ``path`` that these
        sweeps cannot resume or extend; creates nothing (``vwloc run`` checks this before
        estimating and announcing the work). A single sweep is named ``""``.

        Returns
        -------
        dict
            Sweep name -> ``{(point id, observable): realizations archived}`` (empty
            for a new file), so that the estimate counts only the work left.
        """
        path = Path(path)
        if not path.exists():
            return {}
        study = list(sweeps) != [""]
        with cls._read_old(path, dict(sweeps), study) as old:
            return {
                name: {key: int(mask.sum()) for key, mask in _done_masks(old, name, study).items()}
                for name in sweeps
            }

    @classmethod
    def _open(
        cls, path: Path, sweeps: dict[str, SweepInput], study: bool, executor: str
    ) -> ArchiveWriter:
        tmp = path.with_name(path.name + ".tmp")
        if path.exists():  # refuse a foreign or incompatible file before making a lock file
            cls._read_old(path, sweeps, study).close()
        lock = _lock(path)
        old = None
        try:
            if path.exists():
                old = cls._read_old(path, sweeps, study)
            tmp.unlink(missing_ok=True)
            handle = h5py.File(tmp, "w", libver="latest")
        except BaseException as exc:
            if old is not None:
                old.close()
            os.close(lock)
            if isinstance(exc, OSError):
                raise ArchiveError(f"{path}: cannot write the archive ({exc})") from None
            raise
        try:
            run_row = cls._build(handle, old, sweeps, study, executor)
            handle.flush()
            handle.swmr_mode = True
            os.replace(tmp, path)
            _fsync_dir(path.parent)
        except BaseException as exc:
            handle.close()
            tmp.unlink(missing_ok=True)
            os.close(lock)
            if isinstance(exc, OSError):
                raise ArchiveError(f"{path}: cannot write the archive ({exc})") from None
            raise
        finally:
            if old is not None:
                old.close()
        return cls(path, handle, sweeps, study, run_row, lock)

    @staticmethod
    def _read_old(path: Path, sweeps: dict[str, SweepInput], study: bool) -> h5py.File:
        with open_archive(path) as probe:
            was_study = int(probe.attrs["vwloc_format"]) == STUDY_FORMAT_VERSION
            if was_study != study:
                kind = "several sweeps" if was_study else "a single sweep"
                raise ArchiveError(
                    f"{path}: the archive holds {kind}; write to a new file"
                )  # fmt: skip
            stored = {}
            for name in json.loads(probe.attrs["sweeps"]) if study else [""]:
                attrs = probe[f"sweeps/{name}"].attrs if study else probe.attrs
                try:
                    stored[name] = parse_config(attrs["config"], source=f"{path} (stored)")
                except ConfigError as exc:
                    raise ArchiveError(f"{path}: stored config unreadable ({exc})") from None
        try:
            for name, old_config in stored.items():
                if name not in sweeps:
                    raise ArchiveError(f"the new config drops the sweep {name!r}")
                try:
                    check_compatible(old_config, sweeps[name].config)
                except ConfigMismatch as exc:
                    message = f"sweep {name}: {exc}" if study else str(exc)
                    raise ConfigMismatch(message, exc.changes) from None
        except ConfigMismatch as exc:
            raise ConfigMismatch(f"{path}: {exc}", exc.changes) from None
        except ArchiveError as exc:
            raise ArchiveError(f"{path}: {exc}") from None
        return open_readonly(path)

    @staticmethod
    def _build(
        handle: h5py.File,
        old: h5py.File | None,
        sweeps: dict[str, SweepInput],
        study: bool,
        executor: str,
    ) -> int:
        attrs = handle.attrs
        attrs["vwloc_format"] = STUDY_FORMAT_VERSION if study else FORMAT_VERSION
        if study:
            attrs["sweeps"] = json.dumps(list(sweeps))
        attrs["created"] = old.attrs["created"] if old is not None else now()
        runs = handle.create_group("runs")
        started = [r.decode() for r in old["runs/started"][:]] if old is not None else []
        finished = [r.decode() for r in old["runs/finished"][:]] if old is not None else []
        prov = [r.decode() for r in old["runs/provenance"][:]] if old is not None else []
        _string_table(runs, "started", [*started, now()], TIME_BYTES)
        _string_table(runs, "finished", [*finished, ""], TIME_BYTES)
        _string_table(
            runs, "provenance", [*prov, json.dumps(provenance(executor))], PROVENANCE_BYTES
        )
        for name, sweep in sweeps.items():
            root = handle.create_group(f"sweeps/{name}") if study else handle
            root.attrs["root_seed"] = sweep.config.run.seed
            root.attrs["config"] = to_toml(sweep.config)
            root.attrs["config_source"] = sweep.text
            root.attrs["overrides"] = json.dumps(list(sweep.overrides))
            points = root.create_group("points")
            prefix = _points_path(name, study)
            for point in sweep_points(sweep.config):
                group = points.create_group(point.id)
                for key, value in point.params().items():
                    group.attrs[key] = value
                for observable in sweep.config.observables.enabled():
                    request = request_of(sweep.config, point, observable)
                    _create_observable(group, observable, request, sweep.config)
                    source = f"{prefix}/{point.id}/{observable}"
                    if old is not None and source in old:
                        _copy_done(old[source], group[observable], observable)
        return len(started)

    def done_masks(self, sweep: str = "") -> dict[tuple[str, str], np.ndarray]:
        """``{(point id, observable): bool array}`` of archived realizations of a sweep."""
        return _done_masks(self._file, sweep, self._study)

    def write(self, result: TaskResult) -> None:
        """Append one task: raw rows (and summaries, at most every SUMMARY_INTERVAL s),
        flush, then the ``done`` flags, flush.

        Raises
        ------
        ArchiveError
            If the disk is full or the file cannot be written; every task
            completed before stays in the archive.
        """
        self._check_space(result)
        with _collect_unraisable() as failures:
            try:
                self._write_rows(result)
                error = None
            except (OSError, RuntimeError) as exc:  # h5py reports HDF5 I/O errors as either
                error = self._write_error(exc)
        if error is None and failures:  # an HDF5 object failed to flush when released
            error = self._write_error(failures[0])
        if error is not None:  # raised here, so no traceback keeps HDF5 objects alive
            self._failed = True
            raise error

    def _check_space(self, result: TaskResult) -> None:
        """Refuse a write that cannot fit (free disk space, RLIMIT_FSIZE) before it starts.

        A write that fails half-way leaves HDF5 space allocated past the real end of
        the file; refusing beforehand keeps the archive cleanly readable.
        """
        chunks = sum(
            self._target(result.sweep, result.point_id, name).chunk_bytes for name in result.arrays
        )
        needed = 2 * chunks + _SPACE_MARGIN
        stats = os.statvfs(self.path.parent)
        free = stats.f_bavail * stats.f_frsize
        limit = resource.getrlimit(resource.RLIMIT_FSIZE)[0]
        room = free if limit == resource.RLIM_INFINITY else min(free, limit - self._size())
        if room < needed:
            self._failed = True
            raise self._write_error(
                OSError(errno.ENOSPC, f"{room} bytes left, a task needs up to {needed}")
            )

    def _target(self, sweep: str, point_id: str, name: str) -> _Target:
        key = sweep, point_id, name
        if key not in self._targets:
            path = f"{_points_path(sweep, self._study)}/{point_id}/{name}"
            self._targets[key] = _open_target(self._file[path], name)
            flagged = np.flatnonzero(self._targets[key].done[:])  # rows copied from before
            self._extent[key] = int(flagged[-1]) + 1 if flagged.size else 0
        return self._targets[key]

    def _size(self) -> int:
        return os.fstat(self._file.id.get_vfd_handle()).st_size

    def _request(self, sweep: str, point_id: str, name: str) -> Request:
        """The request of observable ``name`` at a point of ``sweep`` (cached points)."""
        if sweep not in self._points:
            config = self.sweeps[sweep].config
            self._points[sweep] = {p.id: p for p in sweep_points(config)}
        point: SweepPoint = self._points[sweep][point_id]
        return request_of(self.sweeps[sweep].config, point, name)

    def _write_vectors(self, result: TaskResult) -> None:
        """A kpm task: its vectors' raw entries, their flags; once every vector of the
        realization is archived, its outputs from all of them (``Observable.reprocess``,
        the same call whatever the vector blocks were) through :meth:`_write_rows`."""
        ((name, entries),) = result.raw.items()
        target = self._target(result.sweep, result.point_id, name)
        row, (first, stop) = result.start, result.vectors
        for key, (value,) in entries.items():
            dataset = target.raw[key]
            if dataset.ndim == 2:
                values = np.asarray(value, dtype=np.float64)
                for k in range(stop - first):
                    dataset[row, first + k] = values[k]
            else:
                _write_raw(dataset, row, [value])
        self._file.flush()  # the raw entries reach the file before their flags
        flags = target.raw[VECTOR_DONE]
        flags[row, first:stop] = 1
        if not flags[row].all():
            self._file.flush()
            return
        group = self._file[f"{_points_path(result.sweep, self._study)}/{result.point_id}/{name}"]
        request = self._request(result.sweep, result.point_id, name)
        outputs = OBSERVABLES[name].reprocess(request, read_raw(group, [row]), None)
        arrays = {name: {out: np.asarray(v, dtype=np.float64) for out, v in outputs.items()}}
        self._write_rows(dataclasses.replace(result, arrays=arrays, raw={}, vectors=None))

    def _write_rows(self, result: TaskResult) -> None:
        if result.vectors is not None:
            self._write_vectors(result)
            return
        targets = {
            name: self._target(result.sweep, result.point_id, name) for name in result.arrays
        }
        clock = time.monotonic()
        rows = np.arange(result.start, result.stop, dtype=np.int64)
        for name, arrays in result.arrays.items():
            target = targets[name]
            for out, dataset in target.outputs.items():
                _write_block(dataset, result.start, arrays[out])
            for key, entries in result.raw.get(name, {}).items():
                _write_raw(target.raw[key], result.start, entries)
            _write_block(target.index, result.start, rows)
            key = result.sweep, result.point_id, name
            self._extent[key] = max(self._extent.get(key, 0), result.stop)
            if clock - self._summarized.get(key, -math.inf) >= SUMMARY_INTERVAL:
                flags = target.done[: self._extent[key]].astype(bool)
                flags[result.start : result.stop] = True
                target.summarize(flags)
                self._summarized[key] = clock
        self._file.flush()  # data (and summaries) reach the file before their flags
        flags = np.ones(result.stop - result.start, dtype=np.uint8)
        for target in targets.values():
            _write_block(target.done, result.start, flags)
        self._file.flush()

    def _write_error(self, exc: Exception) -> ArchiveError:
        full = getattr(exc, "errno", None) in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT) or any(
            word in str(exc).lower() for word in ("no space", "file too large", "quota")
        )
        reason = "disk full" if full else "write failed"
        detail = " ".join(str(exc).split())
        return ArchiveError(
            f"{self.path}: {reason} ({detail[:300]}); every task completed before is kept, "
            "rerun the same command to resume"
        )

    def finish(self) -> None:
        """Bring every summary up to date and record the end time of this session."""
        try:
            for sweep in self.sweeps:
                for pid, group in self._file[_points_path(sweep, self._study)].items():
                    for name in group:
                        target = self._target(sweep, pid, name)
                        flags = target.done[:].astype(bool)
                        if flags.any() and int(target.count[()]) != int(flags.sum()):
                            target.summarize(flags)
            table = self._file["runs/finished"]
            table[self._run_row] = now().encode()
            table.flush()
            error = None
        except (OSError, RuntimeError) as exc:
            error = self._write_error(exc)
        if error is not None:
            self._failed = True
            raise error

    def close(self) -> None:
        """Close the file (clears the SWMR flag), then release the lock; safe to call twice."""
        self._targets.clear()
        try:
            if self._file.id.valid:
                with _collect_unraisable():  # after a failed write HDF5 cannot flush
                    try:
                        if self._failed:
                            gc.collect()  # release what the failed write left behind
                        self._file.close()
                    except (OSError, RuntimeError):
                        if not self._failed:
                            raise
        finally:
            if self._lock >= 0:
                os.close(self._lock)  # releases the flock
                self._lock = -1

    def __enter__(self) -> ArchiveWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _lock(path: Path) -> int:
    """Hold an exclusive ``flock`` on ``OUT.h5.lock``: one writer per archive at a time."""
    try:
        fd = os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise ArchiveError(f"{path}: cannot write the archive ({exc})") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        raise ArchiveError(f"{path}: another vwloc run is writing this archive") from None
    return fd


@contextmanager
def _collect_unraisable() -> Iterator[list[BaseException]]:
    """Collect exceptions raised while h5py objects are released (instead of printing them)."""
    failures: list[BaseException] = []
    hooks = sys.unraisablehook, sys.excepthook
    # Cython prints the traceback of an error in __dealloc__ through sys.excepthook first.
    sys.unraisablehook = lambda unraisable: failures.append(unraisable.exc_value)
    sys.excepthook = lambda kind, value, traceback: failures.append(value)
    try:
        yield failures
    finally:
        sys.unraisablehook, sys.excepthook = hooks


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
