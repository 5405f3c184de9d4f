"""The archive format: its version, its error, opening an archive and its summaries.

The layout itself is documented in :mod:`batch.archive` and
``docs/archive-format.md``; the writer (:mod:`batch.archive.writer`) and the
reader (:mod:`batch.archive.reader`) share what is here.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import h5py
import numpy as np

from lattice import DisorderAverage

__all__ = [
    "FORMAT_VERSION",
    "PROVENANCE_BYTES",
    "STUDY_FORMAT_VERSION",
    "TIME_BYTES",
    "ArchiveError",
    "open_archive",
    "open_readonly",
    "summaries",
]

#: Version of the layout of a single-sweep archive.
FORMAT_VERSION = 1
#: Version of the layout of an archive of several named sweeps (``/sweeps/<name>/``, each
#: holding what the root of a format-1 archive holds); readers refuse newer versions.
STUDY_FORMAT_VERSION = 2
#: Length in bytes of the fixed-size strings of ``/runs`` (writable in SWMR mode).
TIME_BYTES = 40
PROVENANCE_BYTES = 4096


class ArchiveError(ValueError):
    """An archive that cannot be read, is foreign, or does not match the config."""


def open_readonly(path: Path) -> h5py.File:
    """Open read-only; SWMR only for a file that a writer holds (or held when killed).

    A cleanly closed file is opened normally, because an SWMR reader skips the
    end-of-file check and would retry for minutes on a truncated file.
    """
    try:
        return h5py.File(path, "r")
    except OSError as exc:
        if "already open for write" not in str(exc):
            raise ArchiveError(f"{path}: not a readable HDF5 file ({exc})") from None
    try:
        return h5py.File(path, "r", swmr=True)
    except OSError as exc:
        raise ArchiveError(f"{path}: not a readable HDF5 file ({exc})") from None


@contextmanager
def open_archive(path: str | Path) -> Iterator[h5py.File]:
    """Open a vwloc archive read-only (SWMR, so also while it is being written).

    Raises
    ------
    ArchiveError
        One line naming the file: missing, not HDF5/corrupted, not a vwloc
        archive, or written by a newer format version.
    """
    path = Path(path)
    if not path.exists():
        raise ArchiveError(f"{path}: no such file")
    handle = open_readonly(path)
    try:
        if "vwloc_format" not in handle.attrs:
            raise ArchiveError(f"{path}: an HDF5 file but not a vwloc archive (no vwloc_format)")
        found = int(handle.attrs["vwloc_format"])
        if found > STUDY_FORMAT_VERSION:
            raise ArchiveError(
                f"{path}: archive format {found} is newer than this vwloc ({STUDY_FORMAT_VERSION})"
            )
        yield handle
    except (KeyError, OSError, RuntimeError) as exc:
        raise ArchiveError(f"{path}: corrupted vwloc archive ({exc})") from None
    finally:
        handle.close()


def summaries(values: np.ndarray, done: np.ndarray, typical: bool) -> dict[str, np.ndarray]:
    """Mean, standard error (and typical value) over the rows flagged in ``done``."""
    indices = np.flatnonzero(done)
    average = DisorderAverage(values=values[indices], realizations=indices)
    out = {"mean": average.mean, "stderr": average.stderr}
    if typical:
        out["typical"] = average.typical
    return out
