"""Copy a vwloc archive without its raw groups, for checking a large study into git.

The raw groups (``.../<observable>/raw``: the sparse engine's window pairs, the kpm
engine's correlation functions) let ``vwloc compare --reprocess`` rebuild an observable
on a new grid, kernel or broadening; the report itself reads only the stored values, so
``vwloc compare`` gives the same report from the stripped copy (checked on
``study-2d-wl``: identical ``predictions.json``). The full archive is regenerated bit for
bit by ``vwloc run`` from the same config (seeds, docs/validation/README.md).

Usage::

    python docs/validation/strip_raw.py FULL.h5 STRIPPED.h5
"""

from __future__ import annotations

import sys

import h5py

__all__ = ["strip_raw"]


def strip_raw(source: str, target: str) -> None:
    """Write ``target``: ``source`` with every group named ``raw`` left out."""
    with (
        h5py.File(source, "r", swmr=True) as archive,
        h5py.File(target, "w", libver="latest") as out,
    ):
        _copy(archive, out)


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
    if len(sys.argv) != 3:
        sys.exit("usage: python docs/validation/strip_raw.py FULL.h5 STRIPPED.h5")
    strip_raw(sys.argv[1], sys.argv[2])
