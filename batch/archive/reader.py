"""Reading an archive (also a running or interrupted one) into plain dicts and arrays."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import h5py
import numpy as np

from batch.archive.format import STUDY_FORMAT_VERSION, open_archive, summaries
from lattice.observables import OBSERVABLES

__all__ = ["read_archive", "read_sweeps"]


def _read_observable(obs: h5py.Group, name: str, values: bool) -> dict[str, Any]:
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


def read_sweeps(path: str | Path, values: bool = True) -> list[dict[str, Any]]:
    """Read every sweep of an archive, each as :func:`read_archive` reads a single sweep.

    A format-1 archive gives one dict; an archive of several sweeps (format
    :data:`~batch.archive.format.STUDY_FORMAT_VERSION`) one per sweep, in order,
    each with the shared ``format_version``, ``created`` and ``runs`` and its
    ``sweep`` name (``""`` for a single-sweep archive).
    """
    archive = read_archive(path, values)
    if "sweeps" not in archive:
        return [{**archive, "sweep": ""}]
    head = {key: archive[key] for key in ("format_version", "created", "runs")}
    return [{**head, **sweep, "sweep": name} for name, sweep in archive["sweeps"].items()]


def _plain(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    return value
