"""Resource estimates before any work: memory, disk and a rough time from the sizes.

Every command that allocates asks this module first (issue: no runaway jobs).
An :class:`Estimate` gives the peak memory of one process, the bytes written to
the output's file system and a rough single-core time; :func:`check` compares
it with what the machine has (:func:`available_memory`, :func:`free_disk`) and
raises :class:`ResourceError` (one line naming both numbers, exit status 2 in
the CLI) when it does not fit. ``--no-resource-check`` skips the check, for
cluster runs where the work happens elsewhere.

Engines plug in through :data:`ENGINES`: ``register_engine(name, estimator)``
with ``estimator(n_sites, itemsize, settings) -> Estimate`` for one realization
of one sweep point (the memory of one task, the seconds of one realization;
``settings`` is the observable's config table, e.g. its ``moments``, completed
by :func:`engine_sizes` with what the engine's model needs from the point and
the run: ``block``, ``half_width``, ``bandwidth``, ``omega_max``). The
constants below were measured on the development machine (2 cores under load
~5, one BLAS thread, ``tracemalloc`` peaks; see ``docs/resources.md``); they
are meant to be right within a factor of about 2-3, which is enough to tell
728 TiB from 5 GiB.
"""

from __future__ import annotations

import dataclasses
import math
import os
import shutil
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from batch.config import Config

__all__ = [
    "DENSE_MEMORY_FACTOR",
    "DENSE_SECONDS",
    "ENGINES",
    "KPM_SECONDS",
    "KPM_TRUNCATION",
    "KPM_VECTORS",
    "SPARSE_BASIS",
    "SPARSE_COMPLEX_FACTOR",
    "SPARSE_SECONDS",
    "Estimate",
    "ResourceError",
    "available_memory",
    "check",
    "dense_estimate",
    "engine_sizes",
    "format_bytes",
    "format_seconds",
    "free_disk",
    "kpm_estimate",
    "register_engine",
    "sparse_estimate",
    "study_estimate",
    "sweep_estimate",
    "transfer_estimate",
]

#: Peak bytes of a dense diagonalization with the Kubo/response matrix elements, per
#: N^2 numbers: H, eigenvectors, LAPACK evd work space and the pair elements. Measured
#: 3.0-4.4 (real, N = 576-3000, all observables; the most at small N) and 3.7 (complex).
DENSE_MEMORY_FACTOR = 5.0
#: Seconds per N^3 of one dense realization (real; complex costs 4x): measured
#: 1.7e-10-3.7e-10 s on one core of the development machine (load ~5).
DENSE_SECONDS = 4e-10
#: Seconds per slice and N^2 (the slice propagation) and per N^3 / QR interval (the QR
#: steps) of a transfer-matrix run: fitted to M = 64-512 strips (2e-9 and 2.3e-9).
TRANSFER_SECONDS_N2 = 2e-9
TRANSFER_SECONDS_QR = 2.5e-9
#: Fixed bytes of a Python process with numpy, scipy, numba and h5py imported.
BASE_MEMORY = 200e6
#: Memory a run must leave to the rest of the machine (the estimate is rough).
MEMORY_SAFETY = 0.9


#: Default settings of an engine estimator: none given (read-only).
_NO_SETTINGS: Mapping[str, Any] = MappingProxyType({})


class ResourceError(ValueError):
    """The estimated memory or disk exceeds what the machine has (exit status 2)."""


@dataclass(frozen=True)
class Estimate:
    """Resources of a job, known before it starts."""

    memory: float = 0.0
    """Peak bytes of the largest single process (a worker or the command itself)."""
    processes: int = 1
    """Processes that hold :attr:`memory` at the same time (local workers)."""
    host: float = 0.0
    """Bytes of the coordinating process besides the workers (task list, archive writer)."""
    disk: float = 0.0
    """Bytes the job adds to the output's file system."""
    seconds: float = 0.0
    """Rough wall time in seconds on one core (divide by the workers)."""
    what: str = ""
    """What dominates, for the message ("dense diagonalization of 10^7 sites")."""
    notes: tuple[str, ...] = field(default=())
    """Extra facts for the estimate line (ranges, assumptions)."""

    @property
    def total_memory(self) -> float:
        """Bytes held at the same time by all processes."""
        return self.memory * self.processes + self.host


EngineEstimator = Callable[[int, int, Mapping[str, Any]], Estimate]
#: Engine name -> estimator(n_sites, itemsize, settings) of one realization (module docstring).
ENGINES: dict[str, EngineEstimator] = {}


def register_engine(name: str, estimator: EngineEstimator) -> None:
    """Make ``estimator`` the resource model of engine ``name`` (replaces an older one)."""
    ENGINES[name] = estimator


def dense_estimate(
    n_sites: int, itemsize: int = 8, settings: Mapping[str, Any] = _NO_SETTINGS
) -> Estimate:
    """One dense diagonalization of ``n_sites`` (all eigenpairs) with its matrix elements."""
    numbers = float(n_sites) ** 2
    complex_factor = 4.0 if itemsize > 8 else 1.0
    return Estimate(
        memory=BASE_MEMORY + DENSE_MEMORY_FACTOR * itemsize * numbers,
        seconds=complex_factor * DENSE_SECONDS * float(n_sites) ** 3,
        what=f"dense diagonalization of {_count(n_sites)} sites",
    )


#: Lanczos vectors per shift of the sparse window solver (lattice.exact.sparse_window.PER_SHIFT
#: levels per shift, a basis of 2-4 of them).
SPARSE_BASIS = 4 * 64
#: CPU seconds per site and window level of the sparse window solver (real H): measured
#: 1.4e-6 (2D L = 256, 572 levels, 53 s), 1.5e-6 (L = 512, 2,291 levels, 915 s) and
#: 1.2e-6 (L = 224, 1,020 levels, 60 s) on the 2-core development machine: the block
#: Lanczos solves and the Gram-Schmidt passes over a basis of a few vectors per level,
#: O(N) per level each, dominate the O(N^1.5) factorizations.
SPARSE_SECONDS = 1.4e-6
#: Cost of complex H (a flux) relative to real: twice the bytes per vector, four times
#: the flops; memory-bound, so taken as 2.5 (not measured separately).
SPARSE_COMPLEX_FACTOR = 2.5
#: Complex vectors a kpm task holds per random vector of its block: the trace vector,
#: f r, J r, (1 - f) J r, three propagated columns and their Chebyshev buffers;
#: tracemalloc peak 15.7-17.8 per vector (2D L = 64-128, blocks of 1-2).
KPM_VECTORS = 18.0
#: Seconds per single-vector product with H and per site (numba stencil): measured
#: 2.1e-8-3.2e-8 (2D L = 64-128, one process, load ~10 on 2 cores).
KPM_SECONDS = 2.5e-8
#: Relative truncation of the kpm time window, W(t_max) (lattice.chebyshev.kpm._TRUNCATION).
KPM_TRUNCATION = 1e-8


def sparse_estimate(
    n_sites: int, itemsize: int = 8, settings: Mapping[str, Any] = _NO_SETTINGS
) -> Estimate:
    """Sparse shift-invert eigenpairs in an energy window (scaling model).

    Memory (lattice.exact.sparse_window): one LU factorization (taken as 50 numbers per
    site, the fill of a nested-dissection factorization of a 2D/3D lattice of
    10^5-10^6 sites), the k window eigenvectors and a Lanczos basis of
    :data:`SPARSE_BASIS` vectors: ``8 N (k + SPARSE_BASIS) + F`` bytes for real H.
    With ``settings["w_max"]`` and ``settings["bandwidth"]`` the window holds about
    ``k = 2 w_max N / bandwidth`` levels (a flat DOS); otherwise ``settings["pairs"]``
    (default 512).
    Time: :data:`SPARSE_SECONDS` per site and level (times
    :data:`SPARSE_COMPLEX_FACTOR` for complex H).
    """
    levels = float(settings.get("pairs", 512))
    w_max, bandwidth = settings.get("w_max"), settings.get("bandwidth")
    if w_max is not None and bandwidth:
        levels = max(1.0, 2.0 * w_max * n_sites / bandwidth)
    numbers = 50.0 * n_sites + (levels + SPARSE_BASIS) * n_sites
    complex_factor = SPARSE_COMPLEX_FACTOR if itemsize > 8 else 1.0
    return Estimate(
        memory=BASE_MEMORY + itemsize * numbers,
        seconds=complex_factor * SPARSE_SECONDS * float(n_sites) * levels,
        what=f"sparse eigenpairs ({_count(round(levels))} levels) of {_count(n_sites)} sites",
    )


def kpm_estimate(
    n_sites: int, itemsize: int = 8, settings: Mapping[str, Any] = _NO_SETTINGS
) -> Estimate:
    """Chebyshev engine, matrix-free (lattice.chebyshev.kpm): memory O(N x block), one realization.

    Memory: :data:`KPM_VECTORS` complex vectors per random vector of a task
    (``block`` = ``run.vector_block``). Time: single-vector products with H at
    :data:`KPM_SECONDS` per site. With ``eta`` (the response functions): time
    steps ``dt = 0.9 pi/(omega_max + 2a)`` over ``t_max = ln(1/1e-8)/eta``, each
    ``a dt + 30`` Chebyshev terms on three columns (two on an open x axis: an upper
    bound there), per vector; without (the DOS):
    ``moments/2`` products per vector (``moments`` default 1024). ``half_width`` a is
    the rescaling of H (default: 2d + W/2 of a 3D box lattice, 8). Settings read:
    ``vectors``, ``block``, ``eta`` with ``omega_max`` (or ``omega``), ``moments``,
    ``half_width``.
    """
    vectors = int(settings.get("vectors") or 1)
    block = int(settings.get("block") or 1)
    a = float(settings.get("half_width") or 8.0)
    eta = settings.get("eta")
    omega = settings.get("omega") or (0.0,)
    omega_max = float(settings.get("omega_max", max(abs(w) for w in omega)))
    moments = int(settings.get("moments") or 1024)
    if eta is not None and "energies" not in settings:  # a response function
        dt = 0.9 * math.pi / (omega_max + 2.0 * a)
        steps = math.log(1.0 / KPM_TRUNCATION) / eta / dt
        products = 3.0 * steps * (a * dt + 30.0)
    else:
        products = moments / 2.0
    return Estimate(
        memory=BASE_MEMORY + 16.0 * KPM_VECTORS * n_sites * block,
        seconds=KPM_SECONDS * n_sites * products * vectors,
        what=f"Chebyshev time evolution on {_count(n_sites)} sites, {block} vector(s) per task",
    )


def engine_sizes(
    engine: str, settings: Mapping[str, Any], dim: int, disorder: float, vector_block: int
) -> dict[str, Any]:
    """What an engine estimator needs beyond the observable's settings (merged into them)."""
    half_width = (2.0 * dim + 0.5 * abs(disorder)) / 0.99
    if engine == "sparse":
        return {"w_max": settings.get("w_max"), "bandwidth": 2.0 * half_width}
    if engine != "kpm":
        return {}
    omega = settings.get("omega") or (0.0,)
    sizes: dict[str, Any] = {
        "vectors": int(settings.get("vectors") or 1),
        "block": min(vector_block, int(settings.get("vectors") or 1)),
        "half_width": half_width,
    }
    if "energies" in settings:  # the DOS: moments for eta (lorentzian, truncation 1e-8)
        eta = float(settings["eta"])
        sizes["moments"] = settings.get("moments") or math.ceil(
            half_width * math.log(1.0 / KPM_TRUNCATION) / eta
        )
    else:
        sizes["eta"] = float(settings.get("eta") or 0.02)
        sizes["omega_max"] = float(max(abs(w) for w in omega))
    return sizes


register_engine("dense", dense_estimate)
register_engine("sparse", sparse_estimate)
register_engine("kpm", kpm_estimate)


def transfer_estimate(work: object) -> Estimate:
    """A transfer-matrix run from its :class:`lattice.transfer_matrix.transfer.TransferWork` sizes.

    The memory is that of the QR step of every system; the time is given for the
    run's minimum length, with the maximum in :attr:`Estimate.notes` (the actual
    length depends on the precision reached, i.e. on xi).
    """
    n = float(work.n_sites)
    per_slice = TRANSFER_SECONDS_N2 * n * n
    if work.interval:
        per_slice += TRANSFER_SECONDS_QR * n**3 / work.interval
    else:  # chains: a few ns per slice
        per_slice = 5e-9
    neighbours = 8 * 4 * n  # the int64 transverse neighbour table
    memory = BASE_MEMORY + neighbours + work.itemsize * float(work.state_numbers) * work.chains
    return Estimate(
        memory=memory,
        seconds=per_slice * work.min_length,
        what=f"transfer matrices of {_count(work.n_sites)} sites per slice",
        notes=(
            f"{work.min_length:,} to {work.max_length:,} slices: "
            f"{format_seconds(per_slice * work.min_length)} to "
            f"{format_seconds(per_slice * work.max_length)}",
        ),
    )


def _count(number: float) -> str:
    """``12,345`` up to 10^9, ``1.07e+15`` beyond (a line must stay short)."""
    return f"{number:,}" if number < 1e9 else f"{number:.3g}"


def _meminfo_available(path: str = "/proc/meminfo") -> float | None:
    try:
        with open(path, encoding="ascii") as handle:
            for line in handle:
                if line.startswith("MemAvailable:"):
                    return float(line.split()[1]) * 1024.0
    except (OSError, ValueError, IndexError):
        return None
    return None


def _cgroup_available(root: str = "/sys/fs/cgroup") -> float | None:
    """memory.max - memory.current of a cgroup v2 limit (a container), if there is one."""
    try:
        limit = Path(root, "memory.max").read_text().strip()
        if limit == "max":
            return None
        return float(limit) - float(Path(root, "memory.current").read_text())
    except (OSError, ValueError):
        return None


def available_memory() -> float:
    """Bytes of memory available to new allocations (MemAvailable, a cgroup limit, sysconf)."""
    candidates = [v for v in (_meminfo_available(), _cgroup_available()) if v is not None]
    if not candidates:
        try:
            candidates.append(float(os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")))
        except (ValueError, OSError, AttributeError):
            return math.inf
    return max(0.0, min(candidates))


def free_disk(path: str | Path) -> float:
    """Free bytes on the file system of ``path`` (or of its nearest existing parent)."""
    target = Path(path).absolute()
    for candidate in (target, *target.parents):
        if candidate.exists():
            try:
                return float(shutil.disk_usage(candidate).free)
            except OSError:
                return math.inf
    return math.inf


def format_bytes(size: float) -> str:
    """``1.5 GiB`` style (binary units)."""
    if not math.isfinite(size):
        return str(size)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"):
        if abs(size) < 1024.0 or unit == "YiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.3g} {unit}"
        size /= 1024.0
    raise AssertionError("unreachable")


def format_seconds(seconds: float) -> str:
    """``40 s``, ``12 min``, ``3.5 h``, ``2.1 days``, ``4e+03 years``."""
    if not math.isfinite(seconds):
        return str(seconds)
    for limit, scale, unit in ((100, 1, "s"), (6000, 60, "min"), (172800, 3600, "h")):
        if seconds < limit:
            return f"{seconds / scale:.2g} {unit}"
    if seconds < 3.15e9:
        return f"{seconds / 86400:.2g} days"
    return f"{seconds / 3.15e7:.2g} years"


def check(
    estimate: Estimate,
    output: str | Path | None = None,
    *,
    memory: bool = True,
    available: float | None = None,
    free: float | None = None,
) -> None:
    """Raise :class:`ResourceError` if ``estimate`` does not fit this machine.

    Parameters
    ----------
    estimate : Estimate
        From the estimators of this module.
    output : path, optional
        Where the job writes (its file system is checked for ``estimate.disk``).
    memory : bool
        False checks only :attr:`Estimate.host` (Dask: the tasks run on other machines).
    available, free : float, optional
        Override :func:`available_memory` / :func:`free_disk` (tests).
    """
    hint = "; --no-resource-check to run anyway (e.g. on a cluster)"
    have = available_memory() if available is None else available
    need = estimate.total_memory if memory else estimate.host
    if need > MEMORY_SAFETY * have:
        workers = memory and estimate.processes > 1 and estimate.memory > estimate.host
        per = f" ({estimate.processes} processes)" if workers else ""
        raise ResourceError(
            f"needs about {format_bytes(need)} of memory{per} for {estimate.what}, "
            f"{format_bytes(have)} available{hint}"
        )
    if output is not None and estimate.disk > 0:
        have = free_disk(output) if free is None else free
        if estimate.disk > have:
            raise ResourceError(
                f"needs about {format_bytes(estimate.disk)} of disk for {output}, "
                f"{format_bytes(have)} free there{hint}"
            )


#: Bytes of the coordinating process per planned task (Task object, its future, queues).
TASK_BYTES = 2048
#: Bytes of the archive per realization and observable beside the data: the realization
#: index (int64) and the done flag (uint8).
ROW_BYTES = 9


def sweep_estimate(
    config: Config, workers: int = 1, archived: Mapping[tuple[str, str], int] | None = None
) -> Estimate:
    """Memory, archive size and time of ``vwloc run`` for ``config`` (nothing allocated).

    Per sweep point and observable: the engine's estimate for one realization
    (:data:`ENGINES`, dense unless the observable's table names an ``engine``;
    transfer matrices for ``localization_length``) times its realizations; the
    archive's raw rows (float64) plus :data:`ROW_BYTES`; the coordinating process
    holds the task list (:data:`TASK_BYTES` each) and, for the running summaries,
    the largest raw dataset twice.

    ``archived`` (``{(point id, observable): realizations}``, from
    :meth:`batch.archive.ArchiveWriter.verify`) makes the time that of the work left
    when resuming; memory and disk stay those of the whole sweep (a resumed archive
    is rewritten whole).
    """
    from batch.points import physical_point, point_grid
    from lattice.observables import OBSERVABLES, Request
    from lattice.transfer_matrix.transfer import transfer_work

    peak = Estimate(what="nothing")
    disk = seconds = largest = 0.0
    tasks = rows = 0
    for point in point_grid(config):
        n_sites = math.prod(point.L) if point.L is not None else 0
        itemsize = 16 if point.flux != 0.0 or config.model.twist != 0.0 else 8
        kind_, w = config.model.kind, point.disorder
        for name, settings in config.observables.enabled().items():
            count = config.realization_count(name)
            left = max(0, count - (archived or {}).get((point.id, name), 0))
            kind = OBSERVABLES[name]
            axes = kind.axes(Request(physical_point(point, config.model), settings))
            sizes: dict[str, Any] = {}
            if name == "localization_length":
                parts = [
                    (
                        transfer_estimate(transfer_work(point.dim, w, e, m, kind_, point.flux)),
                        1 if left else 0,
                    )
                    for m in settings["widths"]
                    for e in settings["energies"]
                ]
            else:
                engine = settings.get("engine", "dense")
                sizes = engine_sizes(
                    engine, settings, point.dim, point.disorder, config.run.vector_block
                )
                parts = [(ENGINES[engine](n_sites, itemsize, {**settings, **sizes}), left)]
            for part, repeats in parts:
                seconds += part.seconds * repeats
                if part.memory > peak.memory:
                    peak = part
            values = sum(
                math.prod(len(axes[axis]) for axis in out_axes)
                for out_axes in kind.outputs.values()
            )
            disk += count * (8.0 * values + ROW_BYTES)
            largest = max(largest, 8.0 * count * values)
            if "block" in sizes and kind.raw_compute is not None:  # kpm: vector tasks
                tasks += count * -(-sizes["vectors"] // sizes["block"])
            else:
                tasks += -(-count // config.run.block_size)
            rows += count
    host = BASE_MEMORY + TASK_BYTES * tasks + 2.0 * largest
    what = (
        peak.what
        if peak.memory > host
        else f"the tasks and summaries of {_count(rows)} realization rows"
    )
    return Estimate(
        memory=peak.memory,
        processes=max(1, min(workers, tasks)),
        host=host,
        disk=disk,
        seconds=seconds,
        what=what,
        notes=peak.notes,
    )


def study_estimate(
    configs: Sequence[Config],
    workers: int = 1,
    archived: Sequence[Mapping[tuple[str, str], int] | None] | None = None,
) -> Estimate:
    """:func:`sweep_estimate` of several sweeps written one after the other into one archive.

    Disk, time and the task list add up; the largest worker peak decides the memory.
    ``archived``: per config, the realizations already archived (resuming).
    """
    archived = archived if archived is not None else [None] * len(configs)
    parts = [
        sweep_estimate(config, workers, done)
        for config, done in zip(configs, archived, strict=True)
    ]
    if not parts:
        return Estimate(host=BASE_MEMORY)
    peak = max(parts, key=lambda e: e.memory)
    host = BASE_MEMORY + sum(e.host - BASE_MEMORY for e in parts)
    return dataclasses.replace(
        peak,
        host=host,
        disk=sum(e.disk for e in parts),
        seconds=sum(e.seconds for e in parts),
        what=peak.what if peak.memory > host else max(parts, key=lambda e: e.host).what,
    )
