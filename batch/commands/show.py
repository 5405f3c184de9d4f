"""``vwloc show OUT.h5 [--json]``: what an archive holds and how complete it is.

Observables, outputs and their units come from the declarations in
:mod:`lattice.observables`.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

import numpy as np

from batch.archive import read_sweeps
from batch.archive.reader import entry_engine
from batch.config import parse_config
from lattice.observables import OBSERVABLES

__all__ = ["SMALL", "add_parser", "describe", "run"]


#: Outputs with at most this many values per realization are summarised by ``vwloc show``.
SMALL = 4


def _plain(value: Any) -> float | list | None:
    """JSON-ready copy of a summary: floats, lists of floats, None for NaN."""
    array = np.asarray(value, dtype=float)
    if array.ndim == 0:
        return float(array) if np.isfinite(array) else None
    return [_plain(v) for v in array]


def describe(path: str) -> dict[str, Any]:
    """Return the JSON-ready description of an archive printed by ``vwloc show``.

    An archive of several sweeps lists the points of all of them, each id
    prefixed by its sweep (``<sweep>/<point id>``); ``seed`` is then
    ``{sweep: seed}`` and ``config`` the resolved configs joined by sweep.
    """
    sweeps = read_sweeps(path, values=False)
    done = total = 0
    points = []
    for sweep in sweeps:
        config = parse_config(sweep["config"])
        for pid, point in sweep["points"].items():
            prefix = f"{sweep['sweep']}/" if sweep["sweep"] else ""
            entry = {"id": prefix + pid, "params": point["params"], "observables": {}}
            for name, obs in point["observables"].items():
                count = len(obs["realizations"])
                done += count
                total += obs["total"]
                entry["observables"][name] = _observable(name, obs, count)
                entry["observables"][name]["engine"] = entry_engine(config, name)
            points.append(entry)
    first = sweeps[0]
    last = first["runs"][-1] if first["runs"] else {}
    single = len(sweeps) == 1 and not first["sweep"]
    return {
        "path": str(path),
        "format_version": first["format_version"],
        "seed": first["seed"] if single else {s["sweep"]: s["seed"] for s in sweeps},
        "created": first["created"],
        "sessions": len(first["runs"]),
        "last_session": last,
        "complete": done == total,
        "realizations_done": done,
        "realizations_total": total,
        "points": points,
        "config": first["config"]
        if single
        else "\n".join(f"# sweep {s['sweep']}\n{s['config']}" for s in sweeps),
    }


def _observable(name: str, obs: dict[str, Any], count: int) -> dict[str, Any]:
    info: dict[str, Any] = {
        "done": count,
        "total": obs["total"],
        "axes": {axis: len(coords) for axis, coords in obs["axes"].items()},
        "units": dict(OBSERVABLES[name].units),
    }
    small = {
        out: {
            "mean": _plain(mean),
            "stderr": _plain(obs["stderr"][out]),
            "typical": _plain(obs["typical"][out]) if out in obs["typical"] else None,
        }
        for out, mean in obs["mean"].items()
        if np.size(mean) <= SMALL
    }
    if small:
        info["summary"] = small
    return info


def _counts(points: list[dict[str, Any]], done: int, total: int) -> str:
    """Realizations per sweep point (a realization is shared by the point's observables)."""
    per_point = [
        (
            min(o["done"] for o in p["observables"].values()),
            max(o["total"] for o in p["observables"].values()),
        )
        for p in points
        if p["observables"]
    ]
    observables = {len(p["observables"]) for p in points}
    done_range = sorted({d for d, _ in per_point})
    total_range = sorted({t for _, t in per_point})

    def span(values: list[int]) -> str:
        return str(values[0]) if len(values) == 1 else f"{values[0]}-{values[-1]}"

    percent = 100.0 * done / max(total, 1)
    return (
        f"realizations: {span(done_range)}/{span(total_range)} per sweep point at "
        f"{len(points)} point(s), {span(sorted(observables))} observable(s) each "
        f"({done}/{total} realization-observables, {percent:.1f}%)"
    )


def _text(info: dict[str, Any]) -> str:
    done, total = info["realizations_done"], info["realizations_total"]
    last = info["last_session"]
    state = (
        f"finished {last['finished']}"
        if last.get("finished")
        else "running or interrupted (rerun vwloc run to resume)"
    )
    cpu = f" (CPU {last['cpu']})" if last.get("cpu") else ""  # archives before 2026-12-01 lack it
    lines = [
        f"{info['path']}: vwloc archive (format {info['format_version']}), "
        f"seed {info['seed']}, created {info['created']}",
        f"last of {info['sessions']} session(s): started {last.get('started')}, {state}; "
        f"vwloc {last.get('vwloc')} (commit {last.get('git_commit')}) on {last.get('host')}"
        f"{cpu}, "
        f"{last.get('executor')}",
        _counts(info["points"], done, total),
    ]
    for point in info["points"]:
        parts = []
        for name, obs in point["observables"].items():
            axes = ", ".join(f"{a}={n}" for a, n in obs["axes"].items())
            text = f"{name} {obs['done']}/{obs['total']}" + (f" [{axes}]" if axes else "")
            if obs.get("engine", "dense") != "dense":
                text += f" ({obs['engine']} engine)"
            for out, stats in obs.get("summary", {}).items():
                unit = obs["units"].get(out, "")
                text += f" {out}={_format(stats['mean'], stats['stderr'])}" + (
                    f" {unit}" if unit else ""
                )
            parts.append(text)
        lines.append(f"  {point['id']}: " + "; ".join(parts))
    return "\n".join(lines)


def _format(mean: float | list | None, err: float | list | None) -> str:
    if isinstance(mean, list):
        errs = err if isinstance(err, list) else [None] * len(mean)
        return "[" + ", ".join(_format(m, e) for m, e in zip(mean, errs, strict=True)) + "]"
    if mean is None:
        return "nan"
    return f"{mean:.6g}" + (f"+-{err:.2g}" if err is not None else "")


def run(args: argparse.Namespace) -> int:
    """Entry point of ``vwloc show``."""
    info = describe(args.archive)
    if args.json:
        print(json.dumps(info))
    else:
        print(_text(info))
    return 0


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register ``vwloc show``."""
    parser = subparsers.add_parser(
        "show",
        help="what an archive holds, its progress and summary (also while running)",
        description="Describe a vwloc archive; safe on a running or interrupted run.",
    )
    parser.add_argument("archive", help="HDF5 archive written by vwloc run")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(run=run)
