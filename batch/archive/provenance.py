"""Provenance of a ``vwloc run`` session: versions, git commit, host, CPU, executor, time.

The CPU matters for reproducibility: an archive is bit-identical for any executor,
thread count and block size on one machine, but numba compiles for the host CPU's
instruction set (``cpu``, LLVM's name) and OpenBLAS picks its kernels by CPU
(``blas``), so another CPU rounds differently. Exact eigenpairs then agree to their
residuals; quantities that accumulate rounding over many steps (transfer-matrix
lengths at 2 % precision: 3e-7 relative at M = 16) or stop at a threshold (the number
of slices) differ within their stated errors (docs/validation/README.md).
"""

from __future__ import annotations

import platform
import socket
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import h5py
import llvmlite.binding
import numba
import numpy as np
import scipy
from threadpoolctl import threadpool_info

from batch.version import package_version

__all__ = ["blas_cores", "git_commit", "now", "provenance"]


def now() -> str:
    """The current UTC time, ISO 8601 to the second."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def git_commit() -> str | None:
    """The git commit of the source tree (``-dirty`` if modified), or None."""
    root = Path(__file__).resolve().parents[2]
    if not (root / ".git").exists():
        return None
    commands = (["rev-parse", "HEAD"], ["status", "--porcelain", "--untracked-files=no"])
    try:  # both at once: a session starts a few ms sooner
        procs = [
            subprocess.Popen(
                ["git", "-C", str(root), *command],
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
            )
            for command in commands
        ]
    except OSError:
        return None
    outputs = []
    for proc in procs:
        try:
            outputs.append(proc.communicate(timeout=10)[0].strip())
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            outputs.append(None)
    if any(proc.returncode != 0 for proc in procs) or None in outputs:
        return None
    commit, dirty = outputs
    return commit + ("-dirty" if dirty else "")


#: threadpoolctl's fields that name a BLAS and the kernels it chose for this CPU.
_BLAS_FIELDS = ("internal_api", "version", "architecture")


def blas_cores() -> str:
    """The BLAS libraries loaded and the CPU kernels each chose, e.g. ``"openblas 0.3.31
    SkylakeX"`` (``", "``-separated; empty if none is loaded)."""
    return ", ".join(
        " ".join(str(info[key]) for key in _BLAS_FIELDS if info.get(key))
        for info in threadpool_info()
        if info.get("user_api") == "blas"
    )


def provenance(executor: str) -> dict[str, Any]:
    """Versions, git commit, host, CPU and executor of the current session."""
    return {
        "vwloc": package_version(unknown="unknown"),
        "git_commit": git_commit(),
        "python": sys.version.split()[0],
        # the imported modules (package metadata lookups cost ~1 ms each)
        **{module.__name__: module.__version__ for module in (np, scipy, numba, h5py)},
        "hdf5": h5py.version.hdf5_version,
        "host": socket.gethostname(),
        "platform": platform.platform(),
        "cpu": llvmlite.binding.get_host_cpu_name(),  # the target numba compiles for
        "blas": blas_cores(),
        "executor": executor,
    }
