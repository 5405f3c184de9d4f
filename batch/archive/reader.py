"""Reading an archive (also a running or interrupted one) into plain dicts and arrays."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import h5py
import numpy as np

from batch.archive.format import STUDY_FORMAT_VERSION, open_archive, summaries
from batch.config import Observables, Section, parse_config, to_toml
from batch.points import request_of, sweep_points
from lattice.observables import OBSERVABLES, Request

__all__ = [
    "VECTOR_DONE",
    "entry_engine",
    "read_archive",
    "read_raw",
    "read_sweeps",
    "reprocess_entry",
]

#: Completion record of the random vectors of a kpm realization: ``raw/vector_done``
#: (R, V) uint8, 1 once a vector's raw arrays are archived.
VECTOR_DONE = "vector_done"


def read_raw(obs: h5py.Group, indices: np.ndarray) -> list[dict[str, np.ndarray]]:
    """The ``raw/`` arrays of realizations ``indices``, one dict per realization.

    A per-vector array becomes (V, ...) (its entries have one length within a
    realization), a per-realization one its stored array or number.
    """
    group = obs["raw"]
    rows = []
    for i in indices:
        row = {}
        for key, dataset in group.items():
            if key == VECTOR_DONE:
                continue
            value = dataset[int(i)]
            if dataset.dtype == object:
                value = np.stack(list(value)) if dataset.ndim == 2 else np.asarray(value)
            row[key] = np.asarray(value, dtype=np.float64)
        rows.append(row)
    return rows


def reprocess_entry(
    entry: dict[str, Any],
    request: Request,
    name: str,
    raw: list[dict[str, np.ndarray]],
    recorded: Request | None = None,
) -> dict[str, Any]:
    """``entry`` (one observable of :func:`read_archive`) with its values, summaries and
    axes recomputed from ``raw`` for ``request`` (the declaration's ``reprocess``);
    ``recorded``: the request the raw data were recorded for (default ``request``)."""
    kind = OBSERVABLES[name]
    indices = entry["realizations"]
    outputs = kind.reprocess(request, raw, recorded) if indices.size else {}
    entry = {**entry, "axes": {**entry["axes"], **kind.axes(request)}, "reprocessed": True}
    entry["mean"], entry["stderr"], entry["typical"] = {}, {}, {}
    entry["values"] = {}
    for out, values in outputs.items():
        entry["values"][out] = values
        flags = np.ones(values.shape[0], dtype=bool)
        for stat, value in summaries(values, flags, out in kind.typical).items():
            entry[stat][out] = value
    return entry


def _read_observable(obs: h5py.Group, name: str, values: bool) -> dict[str, Any]:
    """One observable group; ``raw`` (engine and per-realization arrays) when it has some
    and ``values`` is set."""
    kind = OBSERVABLES[name]
    flags = obs["done"][:].astype(bool)
    indices = np.flatnonzero(flags)
    axes_names = dict.fromkeys(a for axes in kind.outputs.values() for a in axes)
    entry: dict[str, Any] = {
        "axes": {a: obs[a][...] for a in axes_names},
        "realizations": indices,
        "total": flags.size,
        "mean": {},
        "stderr": {},
        "typical": {},
    }
    if values:
        entry["values"] = {}
    # The stored summaries may lag the flags (written at most once per SUMMARY_INTERVAL).
    stale = indices.size > 0 and int(obs["count"][()]) != indices.size
    for out in kind.outputs:
        raw = obs[out][...] if (values or stale) else None
        if values:
            entry["values"][out] = raw[indices]
        if stale:
            stats = summaries(raw, flags, out in kind.typical)
        else:
            stats = {
                stat: obs[f"{out}_{stat}"][...]
                for stat in ("mean", "stderr", "typical")
                if f"{out}_{stat}" in obs
            }
        for stat, value in stats.items():
            entry[stat][out] = value
    if values and "raw" in obs:
        entry["raw"] = {"engine": str(obs["raw"].attrs["engine"]), "rows": read_raw(obs, indices)}
    return entry


def read_archive(path: str | Path, values: bool = True) -> dict[str, Any]:
    """Read an archive (also a running or interrupted one) into plain dicts and arrays.

    Parameters
    ----------
    path : str or Path
        The archive.
    values : bool
        Also load the raw per-realization arrays (default); False reads only
        the summaries and completion, which is what ``vwloc show`` needs.

    Returns
    -------
    dict
        ``format_version``, ``seed``, ``config`` (resolved TOML text, every
        default written out), ``config_source``, ``overrides``, ``created``,
        ``runs`` (list of ``{"started", "finished", **provenance}``) and
        ``points``: ``{point id: {"params": {dim, L, W, E_F, flux},
        "observables": {name: {"axes": {axis: coords}, "realizations":
        done indices, "total": R, "values": {output: array (n_done, *axes)},
        "mean"/"stderr"/"typical": {output: array (*axes)}}}}}``. Only
        realizations whose completion flag is set are included; summaries
        always describe exactly those. An archive of several sweeps (format 2)
        has ``format_version``, ``created``, ``runs`` and ``sweeps``: ``{name:
        {seed, config, config_source, overrides, points}}`` instead (see
        :func:`read_sweeps`).

    Raises
    ------
    ArchiveError
        Unreadable, corrupted or foreign file.
    """
    with open_archive(path) as handle:
        runs = []
        for started, finished, prov in zip(
            handle["runs/started"][:],
            handle["runs/finished"][:],
            handle["runs/provenance"][:],
            strict=True,
        ):
            runs.append(
                {
                    "started": started.decode(),
                    "finished": finished.decode() or None,
                    **json.loads(prov.decode()),
                }
            )
        head = {
            "format_version": int(handle.attrs["vwloc_format"]),
            "created": str(handle.attrs["created"]),
            "runs": runs,
        }
        if head["format_version"] < STUDY_FORMAT_VERSION:
            return {**head, **_read_sweep(handle, values)}
        names = json.loads(handle.attrs["sweeps"])
        sweeps = {name: _read_sweep(handle[f"sweeps/{name}"], values) for name in names}
        return {**head, "sweeps": sweeps}


def _read_sweep(root: h5py.Group, values: bool) -> dict[str, Any]:
    """The sweep under ``root`` (the file of a format-1 archive, or ``/sweeps/<name>``)."""
    points = {}
    for pid, group in root["points"].items():
        params = {k: _plain(v) for k, v in group.attrs.items()}
        observables = {name: _read_observable(obs, name, values) for name, obs in group.items()}
        points[pid] = {"params": params, "observables": observables}
    return {
        "seed": int(root.attrs["root_seed"]),
        "config": str(root.attrs["config"]),
        "config_source": str(root.attrs["config_source"]),
        "overrides": json.loads(root.attrs["overrides"]),
        "points": points,
    }


def read_sweeps(
    path: str | Path,
    values: bool = True,
    reprocess: Mapping[str, Mapping[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """Read every sweep of an archive, each as :func:`read_archive` reads a single sweep.

    A format-1 archive gives one dict; an archive of several sweeps (format
    :data:`~batch.archive.format.STUDY_FORMAT_VERSION`) one per sweep, in order,
    each with the shared ``format_version``, ``created`` and ``runs`` and its
    ``sweep`` name (``""`` for a single-sweep archive).

    ``reprocess`` (``{observable: {setting: value}}``, settings among
    :data:`batch.config.REPROCESS_KEYS`, already validated) recomputes those observables from
    their archived raw data (sparse and kpm engines, :mod:`lattice.raw`) on the new
    grid, kernel or width, without new diagonalizations; an observable archived
    without raw data raises ValueError.
    """
    archive = read_archive(path, values or bool(reprocess))
    if "sweeps" not in archive:
        sweeps = [{**archive, "sweep": ""}]
    else:
        head = {key: archive[key] for key in ("format_version", "created", "runs")}
        sweeps = [{**head, **sweep, "sweep": name} for name, sweep in archive["sweeps"].items()]
    for sweep in sweeps if reprocess else ():
        _reprocess_sweep(sweep, reprocess)
    return sweeps


def _reprocess_sweep(sweep: dict[str, Any], reprocess: Mapping[str, Mapping[str, Any]]) -> None:
    config = parse_config(sweep["config"])
    points = {point.id: point for point in sweep_points(config)}
    for pid, point in sweep["points"].items():
        for name, changes in reprocess.items():
            entry = point["observables"].get(name)
            if entry is None:
                continue
            if "raw" not in entry:
                raise ValueError(
                    f"{name} at {pid}: the {entry_engine(config, name)} engine archives no raw "
                    "data; only sparse and kpm results can be reprocessed"
                )
            recorded = request_of(config, points[pid], name)
            request = Request(recorded.point, {**recorded.settings, **changes})
            point["observables"][name] = reprocess_entry(
                entry, request, name, entry["raw"]["rows"], recorded
            )
    # the analysis reads eta, kernel and the grid from the config: it gets the new ones
    sections = dict(config.observables.enabled())
    for name, changes in reprocess.items():
        if name in sections:
            sections[name] = Section(name, {**sections[name], **changes})
    sweep["config"] = to_toml(dataclasses.replace(config, observables=Observables(sections)))


def entry_engine(config: Any, name: str) -> str:
    """The engine of observable ``name`` in a config."""
    return getattr(config.observables, name).get("engine", OBSERVABLES[name].engines[0])


def _plain(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    return value
