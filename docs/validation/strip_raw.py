"""Copy a vwloc archive without its raw groups, for checking a large study into git.

The raw groups (``.../<observable>/raw``: the sparse engine's window pairs, the kpm
engine's correlation functions) let ``vwloc compare --reprocess`` rebuild an observable
on a new grid, kernel or broadening; the report itself reads only the stored values, so
``vwloc compare`` gives the same report from the stripped copy (checked on
``study-2d-wl``: identical ``predictions.json``). The full archive is regenerated bit for
bit by ``vwloc run`` from the same config with the code recorded in its provenance
(seeds, docs/validation/README.md, "Which code made an archive").

``--drop-sweep NAME`` (repeatable) also leaves out a sweep of a study archive, for a
config that was split (``study-1d-mott``: its W = 2.5 sweep moved to
``study-1d-mott-w25`` with another eta; the archive then matches the config that is
left, which ``vwloc run`` can resume).

Usage::

    python docs/validation/strip_raw.py FULL.h5 STRIPPED.h5 [--drop-sweep NAME ...]
"""

from __future__ import annotations

import argparse
import json

import h5py

__all__ = ["strip_raw"]


def strip_raw(source: str, target: str, drop_sweeps: tuple[str, ...] = ()) -> None:
    """Write ``target``: ``source`` with every group named ``raw`` left out, and the
    sweeps ``drop_sweeps`` of a study archive (``/sweeps/<name>``) too."""
    with (
        h5py.File(source, "r", swmr=True) as archive,
        h5py.File(target, "w", libver="latest") as out,
    ):
        _copy(archive, out)
        if drop_sweeps:
            names = json.loads(archive.attrs["sweeps"])
            missing = sorted(set(drop_sweeps) - set(names))
            if missing:
                raise SystemExit(f"{source}: no sweep named {', '.join(missing)}")
            for name in drop_sweeps:
                del out[f"sweeps/{name}"]
            out.attrs["sweeps"] = json.dumps([n for n in names if n not in drop_sweeps])


def _copy(group: h5py.Group, out: h5py.Group) -> None:
    for key, value in group.attrs.items():
        out.attrs[key] = value
    for name, item in group.items():
        if isinstance(item, h5py.Group):
            if name != "raw":
                _copy(item, out.create_group(name))
        else:
            group.copy(item, out, name=name)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("full", help="the archive to copy")
    parser.add_argument("stripped", help="the copy to write")
    parser.add_argument("--drop-sweep", action="append", default=[], help="sweep to leave out")
    arguments = parser.parse_args()
    strip_raw(arguments.full, arguments.stripped, tuple(arguments.drop_sweep))
