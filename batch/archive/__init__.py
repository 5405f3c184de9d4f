"""HDF5 archives of sweeps: one writer, crash-safe resume, SWMR readers (docs/archive-format.md).

Modules: :mod:`~batch.archive.format` (version, errors, opening, summaries),
:mod:`~batch.archive.provenance`, :mod:`~batch.archive.writer` (the one writer,
resume compatibility) and :mod:`~batch.archive.reader`; their public names are
re-exported here.

Layout (format version :data:`FORMAT_VERSION`; an archive of several named sweeps,
format :data:`STUDY_FORMAT_VERSION`, holds the root attributes ``root_seed``,
``config``, ``config_source``, ``overrides`` and the ``points`` group of each
sweep under ``/sweeps/<name>/``, and their names as the JSON attribute ``sweeps``)::

    /                          attrs vwloc_format, root_seed, config, config_source,
                               overrides, created
    /runs/started, finished, provenance      one row per ``vwloc run`` session
    /points/<point id>/        attrs dim, L, W, E_F, flux
    /points/<point id>/<observable>/
        realization (R,)       dimension scale: realization indices 0..R-1
        <axis> (k,)            dimension scales: omega, q, energy, width
        done (R,) uint8        completion record: 1 once a task's rows are complete
        <output> (R, *axes)    raw per-realization values (NaN where not done)
        <output>_mean, <output>_stderr, [<output>_typical] (*axes)   running summary
        count ()               number of realizations the summary covers

Crash safety is described in :mod:`batch.archive.writer`.
"""

from batch.archive.format import (
    FORMAT_VERSION,
    STUDY_FORMAT_VERSION,
    ArchiveError,
    open_archive,
)
from batch.archive.provenance import provenance
from batch.archive.reader import read_archive, read_sweeps
from batch.archive.writer import SUMMARY_INTERVAL, ArchiveWriter, SweepInput, check_compatible

__all__ = [
    "FORMAT_VERSION",
    "STUDY_FORMAT_VERSION",
    "SUMMARY_INTERVAL",
    "ArchiveError",
    "ArchiveWriter",
    "SweepInput",
    "check_compatible",
    "open_archive",
    "provenance",
    "read_archive",
    "read_sweeps",
]
