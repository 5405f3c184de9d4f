"""The application shell: configs, sweeps, executors, HDF5 archives and the CLI.

The batch engine is a library; the ``vwloc`` command line (:mod:`batch.cli`)
is a thin layer over it::

    config -> points x observables -> tasks -> executor -> archive -> report
    batch.config  batch.points  batch.sweep  batch.executors  batch.archive  batch.runner

The names below are imported lazily, so ``import batch`` (and so the command
line's start) does not pay for h5py, numba or matplotlib until they are used.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "ArchiveError",
    "ArchiveWriter",
    "CommandError",
    "Config",
    "ConfigError",
    "load_config",
    "load_study",
    "parse_config",
    "parse_study",
    "plan_tasks",
    "read_archive",
    "read_sweeps",
    "run_study",
    "run_sweep",
    "write_report",
]

#: Public name -> the module that defines it.
_HOMES = {
    "ArchiveError": "batch.archive",
    "ArchiveWriter": "batch.archive",
    "CommandError": "batch.errors",
    "Config": "batch.config",
    "ConfigError": "batch.config",
    "load_config": "batch.config",
    "load_study": "batch.config",
    "parse_config": "batch.config",
    "parse_study": "batch.config",
    "plan_tasks": "batch.sweep",
    "read_archive": "batch.archive",
    "read_sweeps": "batch.archive",
    "run_study": "batch.runner",
    "run_sweep": "batch.runner",
    "write_report": "batch.runner",
}


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        value = getattr(importlib.import_module(_HOMES[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'batch' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
