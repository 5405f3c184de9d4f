"""Shared fixtures of the batch tests: a tiny real sweep and bit-level archive comparison."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import h5py
import pytest

#: A real sweep small enough for unit tests: 1D rings of 8 sites, two disorder strengths.
TINY = """\
[run]
seed = 11
realizations = 6
block_size = 2

[model]
dim = 1
L = 8

[sweep]
W = [1.0, 2.0]

[observables.conductivity]
omega = [0.2, 0.6, 1.0, 1.4]
eta = 0.1

[observables.static_polarizability]
"""


def done_count(path: Path) -> int:
    """Realizations (per observable) flagged done, read like ``vwloc show`` (also while running);
    -1 if the archive cannot be read yet."""
    from batch.archive import ArchiveError, read_archive

    try:
        archive = read_archive(path, values=False)
    except ArchiveError:
        return -1
    return sum(
        len(obs["realizations"])
        for point in archive["points"].values()
        for obs in point["observables"].values()
    )


def archive_data(path: Path) -> dict[str, tuple[str, tuple[int, ...], bytes]]:
    """Every dataset under /points (under /sweeps in an archive of several sweeps) as
    (dtype, shape, raw bytes): the science content."""
    out: dict[str, tuple[str, tuple[int, ...], bytes]] = {}

    def visit(name: str, obj: object) -> None:
        if isinstance(obj, h5py.Dataset):
            value = obj[()]
            out[name] = (str(obj.dtype), obj.shape, value.tobytes())

    with h5py.File(
        path,
        "r",
    ) as handle:
        handle["points" if "points" in handle else "sweeps"].visititems(visit)
    return out


@pytest.fixture
def tiny_text() -> str:
    return TINY


@pytest.fixture
def same_data() -> Callable[[Path, Path], None]:
    """Assert that two archives hold bit-identical data under /points."""

    def check(a: Path, b: Path) -> None:
        left, right = archive_data(a), archive_data(b)
        assert left.keys() == right.keys()
        differing = [name for name in left if left[name] != right[name]]
        assert not differing, f"datasets differ: {differing[:5]}"

    return check


def vwloc_command() -> list[str]:
    """The installed console script, or ``python -m batch``."""
    script = Path(sys.executable).with_name("vwloc")
    return [str(script)] if script.exists() else [sys.executable, "-m", "batch"]


@pytest.fixture
def vwloc() -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run the ``vwloc`` command line in a subprocess."""

    def run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*vwloc_command(), *args], capture_output=True, text=True, timeout=timeout
        )

    return run
