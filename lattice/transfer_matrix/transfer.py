r"""Localization lengths from transfer matrices: chains, 2D strips and 3D bars.

The Hamiltonian is that of DESIGN.md section 2 (hopping ``-t``, ``t = 1``, site
energies :math:`\varepsilon_i` from :mod:`lattice.models.disorder`). A system of
cross-section ``N = M**(dim-1)`` sites is infinitely long along the bar axis
``x``; slice ``n`` obeys

.. math::

    \psi_{n+1} = \bigl(H_\perp(n) - E\bigr)\psi_n - \psi_{n-1},

so the ``2N x 2N`` transfer matrices have Lyapunov exponents
:math:`\pm\gamma_1, \dots, \pm\gamma_N` with :math:`\gamma_1 \ge \dots \ge \gamma_N \ge 0`.
The localization length is :math:`\xi_M = 1/\gamma_N` (amplitude decay,
:math:`|\psi| \sim e^{-r/\xi}`), and :math:`\Lambda_M = \xi_M / M`.

Geometry. Strips (``dim=2``): transverse coordinate ``y = 0..M-1``. Bars
(``dim=3``): cross-section ``(y, z)``, site ``y*M + z``. ``boundary`` applies to
the transverse axes, with the bond rule of :mod:`lattice.models.bonds` that exact
diagonalization uses too: a periodic width ``M = 2`` doubles the transverse
hopping. ``width=1`` is the chain (no transverse bonds, whatever ``boundary``;
exact diagonalization's periodic axis of length 1 would add the self-loop
level ``-2t`` on site, which is not a strip).
:func:`slice_hamiltonian` is the ``H_perp(n)`` the kernels apply. ``flux``
(flux quanta per plaquette of the ``x-y`` planes, field along ``z``) enters in
the Landau gauge as the Peierls phase :math:`H_{(x,y+1),(x,y)} = -e^{2\pi i \phi x}`;
it breaks time reversal and needs complex arithmetic.

Seeds and reproducibility. ``chains`` independent systems are run side by side;
system ``r`` takes its site energies from
``lattice.models.seeding.realization_rng(seed, r, DISORDER_STREAM)``: slice ``n`` of it is
row ``n`` of the stream of :func:`lattice.models.disorder.sample_disorder` draws of shape
``(block, N)`` (for chains ``(block,)``), drawn block after block. Each system
starts from the deterministic state ``psi_0 = 1, psi_{-1} = 0`` (identity
columns for strips). Every system advances one block per round; the stopping
decision after each round, and the lengthened QR interval chosen after the
second block, depend on those numbers only, so a given
``(seed, parameters)`` gives the same bits on every run, alone or in
:func:`localization_lengths` (systems at different parameters never interact,
and common random numbers are used across parameters).

Error estimate. The log-growth of each system is recorded per block; the blocks
of each system are grouped into contiguous bins (:data:`TARGET_BINS` bins in
all), and the standard error of :math:`\gamma_N` is the spread of the bin means
divided by the square root of the number of bins. The run stops when
``xi_err / xi <= precision`` (and at least ``min_length`` slices were used) or
at ``max_length`` slices (then ``converged`` is False).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from threadpoolctl import threadpool_limits

from lattice.models.bonds import axis_bonds
from lattice.models.disorder import check_disorder, sample_disorder
from lattice.models.seeding import DEFAULT_SEED, DISORDER_STREAM, realization_rng
from lattice.transfer_matrix._transfer_kernels import chain_block, strip_block
from vwloc_common.checks import check_choice, check_finite, check_positive_int

__all__ = [
    "PROGRESS_SITES",
    "TARGET_BINS",
    "LocalizationResult",
    "TransferSetup",
    "TransferWork",
    "localization_length",
    "localization_lengths",
    "propagating_channel",
    "reorthogonalization_interval",
    "slice_hamiltonian",
    "slice_hops",
    "transfer_work",
    "transverse_geometry",
]

#: Number of bins of the block-average error estimate (their spread has a
#: relative uncertainty of about 1/sqrt(2 * (TARGET_BINS - 1)), i.e. 13 %).
TARGET_BINS = 32
#: Digits of precision the kept columns may lose between two QR steps. The kept
#: exponents lie in ``[0, gamma_1]``, so an interval ``k`` with
#: ``(gamma_1 - gamma_N) k <= ln(1e10)`` keeps 6 of the 16 digits. Before any data
#: the bound ``gamma_1 <= ln g`` (``g`` bounds the norm of one slice transfer
#: matrix) gives the a-priori interval; after :data:`_ADAPT_AFTER` blocks the
#: measured spread ``gamma_1 - gamma_N`` replaces the bound (never shortening it).
_DIGITS_LOST = 10
_ADAPT_AFTER = 2
_CHAIN_BLOCK = 16384
#: Slices per block of strips and bars; highly composite so that most intervals divide it.
_STRIP_BLOCK = 240
_CHAINS_1D = 8
#: BLAS threads during the QR steps. The matrices (2N x N, N <= a few hundred) are
#: far too small to gain from threads, and an oversubscribed multi-threaded
#: OpenBLAS was measured 50x slower (M = 10 bar: 125 vs 6800 slices/s on the
#: shared 2-core machine); the limit is restored on return.
_BLAS_THREADS = 1
#: With a ``progress`` hook, strips and bars of at least this many sites per slice are
#: advanced one QR interval per kernel call (a block can take minutes there), so that
#: progress is reported from the first slices; the numbers are the same bits either way.
PROGRESS_SITES = 256
#: Largest allowed bound on one slice's growth factor: chains are checked for
#: overflow every 8 steps (CHAIN_CHECK) from 1e100, so g**8 must stay below 1e200.
_MAX_GROWTH = 1.0e12


@dataclass(frozen=True)
class TransferSetup:
    """Parameters of one transfer-matrix run, as validated and actually used.

    Attributes
    ----------
    dim, width : int
        Dimension (1 chain, 2 strip, 3 bar) and ``M``.
    energy, disorder : float
        ``E`` and ``W`` in units of t.
    kind, boundary : str
        Disorder distribution and transverse boundary condition.
    flux : float
        Flux quanta per ``x-y`` plaquette.
    seed : int
        Root seed (system ``r`` uses realization ``r``).
    precision : float
        Target relative standard error of ``xi``.
    chains : int
        Number of independent systems (realizations ``0..chains-1``).
    interval : int
        Slices between QR steps (0 for chains, which are renormalised instead).
    """

    dim: int
    width: int
    energy: float
    disorder: float
    kind: str
    boundary: str
    flux: float
    seed: int
    precision: float
    chains: int
    interval: int


@dataclass(frozen=True)
class LocalizationResult(TransferSetup):
    """Localization length of one chain, strip or bar (lengths in lattice constants).

    The :class:`TransferSetup` fields give the parameters used.

    Attributes
    ----------
    xi, xi_err : float
        :math:`\\xi_M = 1/\\gamma_N` and its standard error (``inf`` if
        :math:`\\gamma_N \\le 0` within the run, i.e. extended or clean in-band).
    lyapunov : numpy.ndarray
        The ``N`` non-negative Lyapunov exponents, descending (1/lattice constant).
    lyapunov_err : float
        Standard error of the smallest one, :math:`\\gamma_N`.
    Lambda : float
        ``xi / width``.
    length : int
        Slices used, summed over the independent systems.
    converged : bool
        Whether the target precision was reached before ``max_length``.
    """

    xi: float
    xi_err: float
    lyapunov: np.ndarray = field(repr=False)
    lyapunov_err: float
    Lambda: float
    length: int
    converged: bool

    def as_dict(self) -> dict:
        """Return the result as JSON-ready Python scalars and lists."""
        out = {name: getattr(self, name) for name in self.__dataclass_fields__}
        out["lyapunov"] = [float(v) for v in self.lyapunov]
        return out


@dataclass(frozen=True)
class TransferWork:
    """The size of a transfer-matrix run, known before it starts (nothing allocated).

    For resource estimates (``batch.resources``): the caller turns these counts
    into bytes and seconds.

    Attributes
    ----------
    n_sites : int
        Sites per slice, ``N = M**(dim-1)``.
    itemsize : int
        Bytes per number: 8 (real), 16 (complex, with a flux).
    chains : int
        Independent systems.
    interval : int
        A-priori slices between QR steps (0 for chains); runs may lengthen it.
    block : int
        Slices per block (the unit of the stopping decision).
    min_length, max_length : int
        Bounds on the total number of slices (all systems).
    """

    n_sites: int
    itemsize: int
    chains: int
    interval: int
    block: int
    min_length: int
    max_length: int

    @property
    def state_numbers(self) -> int:
        """Numbers held per system at the peak: a block of site energies and, for strips
        and bars, the 2N x N state with its working copies at a QR step (12 N^2; the
        resident memory of a run grows by 9-10 N^2 numbers at N = 512-1024)."""
        return self.block * self.n_sites + (0 if self.interval == 0 else 12 * self.n_sites**2)


def _validated(dim, disorder, energy, width, kind, flux) -> tuple:
    """Checked ``(dim, width, kind, disorder, energy, flux)``; ValueError naming a bad value."""
    dim = check_choice("dim", dim, (1, 2, 3))
    width = check_positive_int("width", width)
    if dim == 1 and width != 1:
        raise ValueError(f"width must be 1 for a chain (dim=1), got {width!r}")
    kind, disorder = check_disorder(kind, disorder)
    energy = check_finite("energy", energy)
    flux = check_finite("flux", flux)
    if dim == 1 and flux != 0.0:
        raise ValueError(f"flux must be 0 for a chain (dim=1, no plaquettes), got {flux!r}")
    if _growth_bound(dim, energy, disorder, kind) > _MAX_GROWTH:
        raise ValueError(
            f"|energy| + disorder must stay below {_MAX_GROWTH:g} (t = 1), "
            f"got energy={energy!r}, disorder={disorder!r}"
        )
    return dim, width, kind, disorder, energy, flux


def _work(
    dim, width, kind, disorder, energy, flux, chains, max_length, min_length, reorthogonalize
) -> TransferWork:  # fmt: skip
    """Sizes of a run with validated physical parameters; checks the numerical knobs."""
    n_sites = width ** (dim - 1)
    chains = check_positive_int(
        "chains", (_CHAINS_1D if dim == 1 else 1) if chains is None else chains
    )
    if dim == 1:
        interval, block = 0, _CHAIN_BLOCK
    else:
        interval = (
            reorthogonalization_interval(dim, energy, disorder, kind)
            if reorthogonalize is None
            else check_positive_int("reorthogonalize", reorthogonalize)
        )
        block = interval * max(1, -(-_STRIP_BLOCK // interval))
    if max_length is None:
        max_length = 2**28 if dim == 1 else max(2**16, min(2**24, 2**31 // n_sites**2))
    if min_length is None:
        min_length = block * chains * max(2, TARGET_BINS // chains)
    return TransferWork(
        n_sites=n_sites,
        itemsize=16 if flux != 0.0 else 8,
        chains=chains,
        interval=interval,
        block=block,
        min_length=check_positive_int("min_length", min_length),
        max_length=check_positive_int("max_length", max_length),
    )


def transfer_work(
    dim: int,
    disorder: float,
    energy: float,
    width: int = 1,
    kind: str = "box",
    flux: float = 0.0,
    chains: int | None = None,
    max_length: int | None = None,
    min_length: int | None = None,
    reorthogonalize: int | None = None,
) -> TransferWork:
    """Sizes of :func:`localization_length` with these arguments, without running it.

    Validates like :func:`localization_length` (ValueError naming the value) but
    allocates nothing, so it is safe for any ``width``.
    """
    values = _validated(dim, disorder, energy, width, kind, flux)
    return _work(*values, chains, max_length, min_length, reorthogonalize)


def propagating_channel(
    energy: float, dim: int, width: int = 1, boundary: str = "periodic"
) -> bool:
    r"""Whether the clean (W = 0, no flux) system has a propagating channel at ``energy``.

    The slice Hamiltonian (:func:`slice_hamiltonian`) has levels :math:`e_q`, sums of
    :math:`-2\cos k` over the transverse axes (:math:`k = 2\pi q/M` periodic,
    :math:`\pi (q+1)/(M+1)` open, :mod:`lattice.models.bonds`; none for ``M = 1``); channel q
    propagates iff :math:`|E - e_q| \le 2`, and then
    the clean localization length is infinite. Otherwise every channel decays and the
    clean xi is finite (``1/arccosh(min |E - e_q| / 2)``). Allocates O(M), never M^2.
    """
    dim = check_choice("dim", dim, (1, 2, 3))
    width = check_positive_int("width", width)
    energy = check_finite("energy", energy)
    if dim == 1:
        return abs(energy) <= 2.0
    q = np.arange(width)
    if width == 1:  # the chain: no transverse axis
        axis = np.zeros(1)
    elif boundary == "periodic":
        axis = np.sort(-2.0 * np.cos(2.0 * np.pi * q / width))
    else:
        axis = np.sort(-2.0 * np.cos(np.pi * (q + 1) / (width + 1)))
    if dim == 2:
        return bool(np.any(np.abs(energy - axis) <= 2.0))
    # e_q = a_i + a_j: for each a_i, is some a_j within [E - 2 - a_i, E + 2 - a_i]?
    lower = np.searchsorted(axis, energy - 2.0 - axis, side="left")
    upper = np.searchsorted(axis, energy + 2.0 - axis, side="right")
    return bool(np.any(upper > lower))


def transverse_geometry(
    dim: int, width: int, boundary: str = "periodic"
) -> tuple[np.ndarray, np.ndarray]:
    """Neighbour table of the cross-section of a strip (``dim=2``) or bar (``dim=3``).

    Returns
    -------
    neighbours : (N, z) int64
        Transverse neighbours ``j`` of site ``i``, -1 where there is none.
    hop_index : (N, z) int64
        Which Peierls factor multiplies ``H_ij``: 0 for ``j = i - y``
        (``-exp(+i alpha)``), 1 for a ``z`` bond (``-1``), 2 for ``j = i + y``
        (``-exp(-i alpha)``), with ``alpha = 2 pi flux x``.
    """
    if dim == 1:
        return np.full((1, 0), -1, dtype=np.int64), np.zeros((1, 0), dtype=np.int64)
    if width == 1:  # one site per slice: the chain, no transverse axis (see lattice.models.bonds)
        boundary = "open"
    shape = (width,) * (dim - 1)
    boundaries = (boundary,) * (dim - 1)
    n_sites = width ** (dim - 1)
    neighbours = np.full((n_sites, 2 * (dim - 1)), -1, dtype=np.int64)
    hop_index = np.ones((n_sites, 2 * (dim - 1)), dtype=np.int64)
    for axis in range(dim - 1):
        source, target = axis_bonds(shape, boundaries, axis)
        # bond source -> target = source + e: target sees source at step -1 (slot 0),
        # source sees target at step +1 (slot 1); a y bond carries the Peierls phase.
        for column, site, other, index in (
            (2 * axis, target, source, 0),
            (2 * axis + 1, source, target, 2),
        ):
            neighbours[site, column] = other
            if axis == 0:
                hop_index[site, column] = index
    return neighbours, hop_index


def slice_hops(flux: float, slices: np.ndarray, dtype: type = np.complex128) -> np.ndarray:
    """Hopping matrix elements ``hops[s]`` of slices ``x = slices[s]``, shape (n, 3).

    Index 0: ``H_ij`` for ``j = i - e_y``, ``-exp(i alpha)``; 1: a ``z`` bond,
    ``-1``; 2: ``j = i + e_y``, ``-exp(-i alpha)``; ``alpha = 2 pi flux x``
    (Landau gauge, as :class:`lattice.AndersonModel`).
    """
    hops = np.empty((len(slices), 3), dtype=dtype)
    if np.issubdtype(dtype, np.complexfloating):
        alpha = 2.0 * np.pi * flux * np.asarray(slices)
        hops[:, 0], hops[:, 2] = -np.exp(1j * alpha), -np.exp(-1j * alpha)
    else:
        hops[:, 0] = hops[:, 2] = -1.0
    hops[:, 1] = -1.0
    return hops


def slice_hamiltonian(
    dim: int,
    width: int,
    boundary: str = "periodic",
    flux: float = 0.0,
    x: int = 0,
    onsite: np.ndarray | None = None,
) -> np.ndarray:
    """The slice Hamiltonian ``H_perp(x)`` that the transfer-matrix kernels apply (dense).

    Built from the same tables as the kernels (:func:`transverse_geometry`,
    :func:`slice_hops`), so it is what the recursion
    ``psi_{x+1} = (H_perp(x) - E) psi_x - psi_{x-1}`` uses; it equals the
    diagonal block of slice ``x`` of ``lattice.AndersonModel(dim, L=(L_x, M, ...))``.

    Parameters
    ----------
    dim, width : int
        Dimension (2 strip, 3 bar) and ``M``.
    boundary : {"periodic", "open"}
        Transverse boundary condition.
    flux : float
        Flux quanta per ``x-y`` plaquette.
    x : int
        Slice index (the Peierls phase depends on it).
    onsite : (M**(dim-1),) array, optional
        Site energies of the slice (default zero).
    """
    neighbours, hop_index = transverse_geometry(dim, width, boundary)
    n_sites = neighbours.shape[0]
    hops = slice_hops(flux, np.array([x]))[0]
    matrix = np.zeros((n_sites, n_sites), dtype=complex)
    for i in range(n_sites):
        for k in range(neighbours.shape[1]):
            if neighbours[i, k] >= 0:
                matrix[i, neighbours[i, k]] += hops[hop_index[i, k]]
    if onsite is not None:
        matrix += np.diag(np.asarray(onsite, dtype=float))
    return matrix


def _growth_bound(dim: int, energy: float, disorder: float, kind: str) -> float:
    """Bound ``g`` on the norm of one slice transfer matrix (|eps| within 6 sigma)."""
    spread = {"box": 0.5, "gaussian": 6.0 / math.sqrt(12.0), "constant": 1.0}[kind]
    return 1.0 + abs(energy) + spread * abs(disorder) + 2.0 * (dim - 1)


def _divisor_at_most(limit: float) -> int:
    """Largest divisor of :data:`_STRIP_BLOCK` that is <= ``limit`` (at least 1)."""
    return max(
        d for d in range(1, _STRIP_BLOCK + 1) if _STRIP_BLOCK % d == 0 and d <= max(limit, 1)
    )


def reorthogonalization_interval(dim: int, energy: float, disorder: float, kind: str) -> int:
    """A-priori number of slices between QR steps (see :data:`_DIGITS_LOST`).

    The largest divisor of the block length (240) not above ``ln(1e10) / ln g``.
    """
    g = _growth_bound(dim, energy, disorder, kind)
    return _divisor_at_most(_DIGITS_LOST * math.log(10.0) / math.log(g))


def _bin_estimate(increments: np.ndarray, block: int) -> tuple[float, float]:
    """Mean exponent and its standard error from block increments of shape (chains, blocks)."""
    n_chains, n_blocks = increments.shape
    gamma = float(increments.sum() / (n_chains * n_blocks * block))
    per_chain = max(1, TARGET_BINS // n_chains)
    size = n_blocks // per_chain
    if size == 0 or n_chains * per_chain < 2:
        return gamma, math.inf
    bins = increments[:, : size * per_chain].reshape(n_chains, per_chain, size)
    means = bins.sum(axis=2).ravel() / (size * block)
    return gamma, float(means.std(ddof=1) / math.sqrt(means.size))


@dataclass
class _Point:
    """Validated parameters and running state of one localization-length run."""

    setup: TransferSetup
    block: int
    min_length: int
    max_length: int
    adaptive: bool = False
    rngs: list = field(default_factory=list)
    callback: Callable[[int, float], None] | None = None
    progress: Callable[[int], None] | None = None
    n_blocks: int = 0
    sums: np.ndarray | None = None
    smallest: np.ndarray | None = None
    done: bool = False
    gamma: float = math.nan
    gamma_err: float = math.inf

    @property
    def length(self) -> int:
        return self.n_blocks * self.block * self.setup.chains

    def draw(self, n_sites: int) -> list[np.ndarray]:
        shape = self.block if self.setup.dim == 1 else (self.block, n_sites)
        return [
            sample_disorder(self.setup.kind, self.setup.disorder, shape, rng) for rng in self.rngs
        ]

    def record(self, logs: np.ndarray) -> None:
        """Store one block of log-growth, shape (chains, K); update the stop decision.

        The error estimate is refreshed when the number of blocks is a multiple
        of ``max(1, n_blocks // 64)`` (so at most ~1.6 % of extra slices), which
        keeps the bookkeeping linear in the run length and is deterministic.
        """
        if self.smallest is None:
            self.sums = np.zeros_like(logs)
            self.smallest = np.empty((self.setup.chains, 64))
        if self.n_blocks == self.smallest.shape[1]:
            self.smallest = np.concatenate((self.smallest, np.empty_like(self.smallest)), axis=1)
        self.sums += logs
        self.smallest[:, self.n_blocks] = logs[:, -1]
        self.n_blocks += 1
        final = self.length >= self.max_length
        if self.n_blocks % max(1, self.n_blocks // 64) and not final:
            return
        self.gamma, self.gamma_err = _bin_estimate(self.smallest[:, : self.n_blocks], self.block)
        relative = self.gamma_err / self.gamma if self.gamma > 0 else math.inf
        self.done = final or (self.length >= self.min_length and relative <= self.setup.precision)
        if self.callback is not None:
            self.callback(self.length, relative)

    def result(self) -> LocalizationResult:
        spectrum = self.sums.sum(axis=0) / self.length
        xi = 1.0 / self.gamma if self.gamma > 0 else math.inf
        xi_err = self.gamma_err / self.gamma**2 if self.gamma > 0 else math.inf
        return LocalizationResult(
            **{name: getattr(self.setup, name) for name in TransferSetup.__dataclass_fields__},
            xi=xi,
            xi_err=xi_err,
            lyapunov=spectrum,
            lyapunov_err=self.gamma_err,
            Lambda=xi / self.setup.width,
            length=self.length,
            converged=bool(self.gamma > 0 and self.gamma_err / self.gamma <= self.setup.precision),
        )


def _make_point(
    dim, disorder, energy, width, precision, kind, boundary, flux, seed, max_length,
    min_length, reorthogonalize, chains,
) -> _Point:  # fmt: skip
    values = _validated(dim, disorder, energy, width, kind, flux)
    dim, width, kind, disorder, energy, flux = values
    precision = check_finite("precision", precision)
    if not 0.0 < precision < 1.0:
        raise ValueError(f"precision must lie in (0, 1), got {precision!r}")
    boundary = check_choice("boundary", boundary, ("periodic", "open"))
    seed = check_positive_int("seed", seed, minimum=0)
    work = _work(*values, chains, max_length, min_length, reorthogonalize)
    setup = TransferSetup(
        dim, width, energy, disorder, kind, boundary, flux, seed, precision, work.chains,
        work.interval,
    )  # fmt: skip
    point = _Point(
        setup, work.block, work.min_length, work.max_length, adaptive=reorthogonalize is None
    )
    point.rngs = [realization_rng(seed, r, DISORDER_STREAM) for r in range(work.chains)]
    return point


def _run_chains(points: Sequence[_Point]) -> None:
    """Advance all 1D points interleaved in one kernel until each is done."""
    n_chains = np.array([p.setup.chains for p in points])
    offsets = np.concatenate(([0], np.cumsum(n_chains)))
    a = np.ones(offsets[-1])
    b = np.zeros(offsets[-1])
    energies = np.repeat([p.setup.energy for p in points], n_chains)
    while True:
        active = [k for k, p in enumerate(points) if not p.done]
        if not active:
            return
        columns = np.concatenate([np.arange(offsets[k], offsets[k + 1]) for k in active])
        eps = np.empty((points[0].block, columns.size))
        start = 0
        for k in active:
            for draw in points[k].draw(1):
                eps[:, start] = draw
                start += 1
        sub_a, sub_b, logs = a[columns], b[columns], np.zeros(columns.size)
        chain_block(sub_a, sub_b, eps, energies[columns], logs)
        a[columns], b[columns] = sub_a, sub_b
        start = 0
        for k in active:
            points[k].record(logs[start : start + points[k].setup.chains, None])
            start += points[k].setup.chains
            if points[k].progress is not None:
                points[k].progress(points[k].length)


def _run_strip(point: _Point) -> None:
    """Advance the strip/bar systems of one point until it is done."""
    with threadpool_limits(limits=_BLAS_THREADS, user_api="blas"):
        _advance_strip(point)


def _advance_strip(point: _Point) -> None:
    neighbours, hop_index = transverse_geometry(
        point.setup.dim, point.setup.width, point.setup.boundary
    )
    n_sites = neighbours.shape[0]
    dtype = np.complex128 if point.setup.flux != 0.0 else np.float64
    states = []
    for _ in range(point.setup.chains):
        start = np.eye(2 * n_sites, n_sites, dtype=dtype)
        states.append((start[:n_sites].copy(), start[n_sites:].copy()))
    x = 0
    while not point.done:
        hops = slice_hops(point.setup.flux, np.arange(x, x + point.block), dtype)
        logs = np.zeros((point.setup.chains, n_sites))
        # one kernel call per block, or per QR interval when progress is wanted on big
        # slices: the kernel is sequential, so the bits do not depend on the split
        chunk = point.block
        if point.progress is not None and n_sites >= PROGRESS_SITES:
            chunk = point.setup.interval
        for r, eps in enumerate(point.draw(n_sites)):
            p, q = states[r]
            for first in range(0, point.block, chunk):
                p, q = strip_block(
                    p,
                    q,
                    eps[first : first + chunk],
                    point.setup.energy,
                    neighbours,
                    hop_index,
                    hops[first : first + chunk],
                    point.setup.interval,
                    logs[r],
                )
                if point.progress is not None:
                    point.progress(point.length + (r * point.block + first + chunk))
            states[r] = (p, q)
        point.record(logs)
        x += point.block
        if point.adaptive and point.n_blocks == _ADAPT_AFTER:
            spread = float(np.max(logs[:, 0] - logs[:, -1])) / point.block
            if spread > 0:
                longer = _divisor_at_most(_DIGITS_LOST * math.log(10.0) / spread)
                interval = max(point.setup.interval, longer)
                point.setup = dataclasses.replace(point.setup, interval=interval)


def localization_length(
    dim: int,
    disorder: float,
    energy: float,
    width: int = 1,
    precision: float = 0.005,
    kind: str = "box",
    boundary: str = "periodic",
    flux: float = 0.0,
    seed: int = DEFAULT_SEED,
    max_length: int | None = None,
    min_length: int | None = None,
    reorthogonalize: int | None = None,
    chains: int | None = None,
    callback: Callable[[int, float], None] | None = None,
    progress: Callable[[int], None] | None = None,
) -> LocalizationResult:
    r"""Localization length :math:`\xi_M` of a chain, strip or bar by transfer matrices.

    Parameters
    ----------
    dim : {1, 2, 3}
        Dimension: chain, strip of width ``M``, bar of ``M x M`` cross-section.
    disorder : float
        W in units of t (:mod:`lattice.models.disorder`), >= 0.
    energy : float
        E in units of t.
    width : int
        M (lattice constants); must be 1 for ``dim=1``.
    precision : float
        Target relative standard error of ``xi``, in (0, 1).
    kind : {"box", "gaussian", "constant"}
        Disorder distribution (Anderson, Edwards, uniform shift).
    boundary : {"periodic", "open"}
        Transverse boundary condition (module docstring).
    flux : float
        Flux quanta per ``x-y`` plaquette (``dim >= 2``).
    seed : int
        Root seed; system ``r`` uses realization ``r`` (module docstring).
    max_length, min_length : int, optional
        Bounds on the total number of slices (default: ``2**28`` for chains,
        ``max(2**16, min(2**24, 2**31 // N**2))`` for strips and bars; at least
        :data:`TARGET_BINS` blocks).
    reorthogonalize : int, optional
        Slices between QR steps. Default: :func:`reorthogonalization_interval`,
        lengthened after two blocks to what the measured spread of the kept
        exponents allows (:data:`_DIGITS_LOST`); the interval used is reported.
    chains : int, optional
        Independent systems run side by side (default 8 for chains, 1 otherwise).
    callback : callable, optional
        Called as ``callback(length, relative_error)`` whenever the error
        estimate is refreshed (for progress displays; lattice never prints).
    progress : callable, optional
        Called as ``progress(slices)`` with the slices done so far (all systems)
        after every block, and for strips and bars of at least
        :data:`PROGRESS_SITES` sites after every QR interval, so that a long run
        can show a rate and a remaining time from its first slices. The result
        does not depend on it.

    Returns
    -------
    LocalizationResult
        ``xi`` and ``xi_err`` in lattice constants, the Lyapunov spectrum, ``Lambda``.

    Examples
    --------
    >>> r = localization_length(dim=1, disorder=1.0, energy=0.5, precision=0.01)
    >>> abs(r.xi / 90.0 - 1) < 0.05     # Thouless: 24 (4 - E^2) / W^2 = 90
    True
    """
    point = _make_point(
        dim, disorder, energy, width, precision, kind, boundary, flux, seed, max_length,
        min_length, reorthogonalize, chains,
    )  # fmt: skip
    point.callback = callback
    point.progress = progress
    if point.setup.dim == 1:
        _run_chains([point])
    else:
        _run_strip(point)
    return point.result()


def localization_lengths(
    dim: int,
    disorder: float | Sequence[float] | np.ndarray,
    energy: float | Sequence[float] | np.ndarray,
    width: int | Sequence[int] | np.ndarray = 1,
    **options,
) -> list[LocalizationResult]:
    """Batched :func:`localization_length` over broadcast ``disorder``, ``energy``, ``width``.

    Chains (``dim=1``) of all points run interleaved in one compiled loop; each
    point stops at its own precision and its result is bit-identical to the
    single call with the same arguments. ``options`` are passed on
    (``precision``, ``kind``, ``seed``, ...).

    Returns
    -------
    list of LocalizationResult
        In the C order of the broadcast parameter arrays.
    """
    ws, es, ms = np.broadcast_arrays(
        np.asarray(disorder, dtype=float), np.asarray(energy, dtype=float), np.asarray(width)
    )
    keys = ("precision", "kind", "boundary", "flux", "seed", "max_length", "min_length")
    keys += ("reorthogonalize", "chains")
    unknown = set(options) - set(keys)
    if unknown:
        raise ValueError(f"unknown option(s) {sorted(unknown)!r}")
    settings = {"precision": 0.005, "kind": "box", "boundary": "periodic", "flux": 0.0}
    settings.update(seed=DEFAULT_SEED, max_length=None, min_length=None)
    settings.update(reorthogonalize=None, chains=None)
    settings.update(options)
    points = [
        _make_point(
            dim,
            float(w),
            float(e),
            int(m),
            settings["precision"],
            settings["kind"],
            settings["boundary"],
            settings["flux"],
            settings["seed"],
            settings["max_length"],
            settings["min_length"],
            settings["reorthogonalize"],
            settings["chains"],
        )  # fmt: skip
        for w, e, m in zip(ws.ravel(), es.ravel(), ms.ravel(), strict=True)
    ]
    if points and points[0].setup.dim == 1:
        _run_chains(points)
    else:
        for point in points:
            _run_strip(point)
    return [point.result() for point in points]
