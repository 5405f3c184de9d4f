r"""Exact eigenpairs of a sparse Hamiltonian in an energy window (``engine="sparse"``).

All eigenpairs :math:`e \in (a, b]` of a sparse Hermitian H (real or complex)
by spectrum slicing with shift-invert block Lanczos:

1. **Shifts.** Sparse LU factorizations of :math:`H - sI` at the window ends
   give the number of eigenvalues inside by Sylvester's law of inertia; the
   window is cut into M equal intervals :math:`(c_j, c_{j+1}]` of about
   :data:`PER_SHIFT` levels, and the shift :math:`s_j` at the centre of
   interval j is responsible for exactly the levels of that interval (ranges
   disjoint, covering the window; no shift sits at a window end, where half
   of its converged levels would be wasted).
2. **Factorization and inertia.** One fill-reducing order of the sites serves
   every shift, since the sparsity pattern of H - s does not depend on s: the
   nested dissection of the lattice (:func:`nested_dissection`, passed by
   :func:`lattice.exact.spectrum.diagonalize`) or else SuperLU's minimum-degree order
   of the first factorization. SuperLU factorizes :math:`P(H - s)P^T` in that
   order (``permc_spec="NATURAL"``) with no row pivoting
   (``diag_pivot_thresh=0``, ``SymmetricMode``), so :math:`= LU` with
   :math:`U = DL^\dagger`, and the number of eigenvalues below s is the
   number of negative diagonal entries of U. That the row and column
   permutations agree (no pivoting happened) is checked on every
   factorization.
3. **Lanczos.** Block Lanczos (block :data:`BLOCK`, start block from the
   caller's generator) on :math:`(H - s)^{-1}` with full reorthogonalization
   (block classical Gram-Schmidt, twice), Ritz values
   :math:`e = s + 1/\theta` from the projected matrix, extended until every
   Ritz value in the shift's range has an estimated residual
   :math:`\|Hx - ex\| \le` :data:`TOLERANCE` and :data:`GUARD` converged Ritz
   values lie beyond the range on each side that borders another range.
   The block resolves degeneracies up to multiplicity :data:`BLOCK`.
4. **Completeness.** The inertia points are the window ends and every shift,
   :math:`a < s_0 < \dots < s_{M-1} < b`; for every interval between two of
   them the levels found must equal the difference of the inertia counts,
   otherwise :class:`IncompleteWindowError` is raised. A missed level, a
   dropped shift or a level found twice is caught.
5. **Orthogonality at the cuts.** Vectors of one shift are orthonormal to
   rounding; vectors of neighbouring shifts are orthogonal only to about
   residual / level spacing. The :data:`BLOCK` levels on each side of every
   cut :math:`c_j` are therefore re-orthonormalized (Loewdin) and
   rediagonalized (Rayleigh-Ritz with H) together.
6. **Residuals.** :math:`\max_n \|Hx_n - e_n x_n\|` is computed exactly from H
   and returned as :attr:`lattice.exact.spectrum.Spectrum.residual`; above
   :data:`RESIDUAL_LIMIT` the solver raises.

Cost and memory (2D square lattice, N = L^2, k levels in the window): per
level about 3.7 solved columns (block 4), each a SuperLU solve refined once,
and the Gram-Schmidt passes over the shift's basis; per shift one or two
factorizations (L = 512: 1.2 s each, 28 million entries in L and U). SciPy
reads the diagonal of U by converting both factors to CSC arrays, which the
factorization then keeps (as much memory again as the factors); the leading
shifts, which run while most of the window array is unwritten, read their
inertia from the factorization Lanczos solves with and carry the copies
(:func:`_inertia_in_place`), the later ones count on a second factorization
dropped at once, so the one Lanczos keeps is never read. Each running shift holds that
factorization (about 330 MB at L = 512, released as soon as its Lanczos run
ends) and its Lanczos basis (about 4 :data:`PER_SHIFT` vectors, 0.5 GB at
L = 512); the result holds the k window vectors, and each shift writes its
eigenvectors straight into their columns (the column is its inertia count),
so they need no memory of their own. The peak is therefore about :math:`8Nk`
bytes for real H (16 Nk for complex) plus one workspace per running shift,
and the last shifts run one at a time (:func:`_parallel_shifts`) so that the
peak stays near the window array plus one workspace: at L = 512 the last
shift runs with 4.67 GB of the 4.8 GB window array written, beside its
workspace (0.33 + 0.51 GB measured) and the interpreter with H (0.29 GB); the
measured peak is 5.94 GB resident (5.90 GB proportional set size).
The residuals (:func:`_max_residual`) and the pair sums work on column blocks
of the window array, so they add no N x k array. Measured peaks are printed by
``benchmarks/bench_sparse.py``.

Parallelism: the shifts are independent, so they run concurrently on
``workers`` threads of the one process (default :func:`default_workers`:
every core in a main process, 1 inside a worker process such as the batch
executor's, whose realizations already use the cores); the shifts that run
alone at the end compute the products with their basis (Gram-Schmidt update and
Ritz vectors, about a fifth of a shift's time) in fixed row chunks on the
``workers`` threads (:func:`_product`). SciPy releases the GIL inside SuperLU's
factorization and solve and NumPy inside BLAS, which is where the time goes;
threads share the matrix and write the result in place, where worker processes
needed a copy of the interpreter and of every shift's vectors on their way back
(at L = 512 the process tree peaked at 6.87 GB).

Reproducibility: the start blocks of shift j come from its own generator,
spawned j-th from the generator passed in (the realization's eigensolver
stream, :data:`lattice.models.seeding.EIGENSOLVER_STREAM`), so a shift's result does
not depend on which worker ran it or when: bit-identical for any number of
workers. SuperLU is sequential, and BLAS runs on one thread in every call
(OpenBLAS splits the long dimension of the Gram-Schmidt products across
threads, which changed the last bits between 1 and 2 threads), so the result
is bit-identical for any thread count too.
"""

from __future__ import annotations

import concurrent.futures as cf
import math
import multiprocessing
import os
from collections.abc import Iterator
from functools import partial
from itertools import pairwise
from typing import NamedTuple

import numpy as np
import scipy.linalg as sla
import scipy.sparse as sp
import scipy.sparse.linalg as spla
from threadpoolctl import threadpool_limits

__all__ = [
    "BLOCK",
    "GUARD",
    "PER_SHIFT",
    "RESIDUAL_LIMIT",
    "TOLERANCE",
    "IncompleteWindowError",
    "WindowEigenpairs",
    "default_workers",
    "inertia",
    "nested_dissection",
    "window_eigenpairs",
]

#: Block size of the Lanczos recurrence: degenerate levels up to this multiplicity
#: are resolved (a larger one, as in a clean symmetric lattice, is caught by the
#: inertia check and raises). Measured (2D, L = 256, 572 levels, 64 per shift, CPU
#: time of the whole window on one core): blocks of 2, 4 and 8 need 2.9, 3.7 and 5.0
#: solved columns per level, but a block solve costs 5.6, 3.9 and 3.2 ms per column
#: and the Gram-Schmidt passes over the basis are shared by the block's columns:
#: 37.5 s, 33.4 s and 37.2 s.
BLOCK = 4

#: Levels aimed at per interval between two shifts: balances one factorization and
#: the guard levels per shift against the O(N m^2) reorthogonalization of an m-vector
#: basis and its memory. Measured as for BLOCK: 32, 64 and 128 levels per shift take
#: 46.9 s (block 2), 33.4 s and 29.0 s; 128 would hold a basis of ~400 vectors per
#: running shift (0.8 GB at L = 512), 64 about half.
PER_SHIFT = 64

#: A Ritz pair counts as converged once its estimated residual ||Hx - ex|| is below
#: this (units of t): eigenvalue errors ~ TOLERANCE^2 / spacing, far below 1e-14.
TOLERANCE = 1e-12

#: Converged Ritz values required beyond a shift's range on each side bordering
#: another shift's range: shift-invert Lanczos converges outward from the shift, so
#: converged values past the border mean that none inside it is still missing.
GUARD = 2

#: Largest exact residual ||Hx - ex|| (units of t) accepted in the result.
RESIDUAL_LIMIT = 1e-10

#: Lanczos basis vectors per level of a shift, for the memory estimate (measured 2.9 to
#: 3.7 with block 4 at L = 256, plus the guards).
_BASIS_PER_LEVEL = 4

#: Window arrays smaller than this run all shifts concurrently (memory irrelevant).
_SMALL_RESULT_BYTES = 2**28

#: |R_ii| / max|R_jj| below which a new Lanczos block vector is rebuilt (breakdown).
_BREAKDOWN = 1e-8

#: A Gram-Schmidt pass that leaves less than this fraction of a column's norm is
#: repeated (the DGKS criterion 1/sqrt(2), as in ARPACK).
_REPEAT = 1.0 / math.sqrt(2.0)

#: Row chunks of the products with a Lanczos basis: a shift running alone computes
#: them on all its threads, the others one after another (the same bits either way).
_ROW_CHUNKS = 8


#: A level closer to a shift than _TOO_CLOSE mean level spacings stretches the spectrum
#: of (H - s)^-1 so much that the other levels of the shift converge very slowly (at
#: L = 512 a level 0.02 spacings away stalled Lanczos beyond 8 vectors per level); the
#: shift is then moved by the fractions _MOVES of a spacing and refactorized.
_TOO_CLOSE = 0.05
_MOVES = (0.37, -0.29, 0.23)
#: Lanczos blocks after which the nearest level is known well enough to decide.
_PROBE_BLOCKS = 4


class _ShiftTooClose(Exception):
    """A level lies within _TOO_CLOSE mean spacings of the shift."""


class IncompleteWindowError(RuntimeError):
    """The levels found in an interval disagree with its Sylvester inertia count."""


class _NotConverged(IncompleteWindowError):
    """Lanczos at one shift ran out of basis vectors."""


class WindowEigenpairs(NamedTuple):
    """Result of :func:`window_eigenpairs`."""

    energies: np.ndarray
    """Eigenvalues in the window, ascending (units of t)."""
    vectors: np.ndarray
    """Orthonormal eigenvectors as columns, shape (N, k), float64 or complex128."""
    residual: float
    r"""Largest :math:`\|Hx - ex\|` over the pairs (units of t)."""
    solver: str
    """The method, with the number of shifts and pairs and the overlap repaired at the cuts."""


class _ShiftedFactor:
    """SuperLU of ``H - shift`` in a fixed fill-reducing ordering, with no row pivoting,
    and its solve with one step of iterative refinement.

    ``ordered`` is :math:`PHP^T`, H with rows and columns in the order ``ordering``
    (``ordered[i, j] = H[ordering[i], ordering[j]]``), the same for every shift:
    the sparsity pattern of H - s does not depend on s, so one ordering serves all
    factorizations, and SuperLU is told to keep it (``permc_spec="NATURAL"``, apart
    from its elimination-tree postorder). With ``ordering=None`` SuperLU orders
    ``ordered`` itself (``MMD_AT_PLUS_A``); :attr:`ordering_found` then gives that
    ordering for the later shifts.

    Without pivoting the factors of the indefinite ``H - shift`` grow (entries ~1e4
    at L = 256), and a plain solve has a relative backward error ~1e-12, which
    would floor the Ritz residuals near 1e-10; one refinement step (a second solve
    on the residual) brings it to ~1e-17.
    """

    def __init__(self, ordered: sp.csc_array, shift: float, ordering=None) -> None:
        n = ordered.shape[0]
        identity = sp.identity(n, dtype=ordered.dtype, format="csc")
        self.shift = shift
        self.ordering = ordering
        self.matrix = (ordered - shift * identity).tocsc()
        self.lu = spla.splu(
            self.matrix,
            permc_spec="MMD_AT_PLUS_A" if ordering is None else "NATURAL",
            diag_pivot_thresh=0.0,
            options={"SymmetricMode": True},
        )

    @property
    def ordering_found(self) -> np.ndarray:
        """The elimination order SuperLU used, as an ``ordering`` for :func:`_permuted`."""
        return np.argsort(self.lu.perm_c)

    def solve(self, rhs: np.ndarray) -> np.ndarray:
        """``(H - shift)^-1 rhs`` for a block of columns (original site order), refined once.

        One SuperLU call per block (cheaper per column than column by column: 5.1,
        4.2 and 3.6 ms per column for blocks of 2, 4 and 8 at L = 256).
        """
        permuted = np.asfortranarray(rhs if self.ordering is None else rhs[self.ordering])
        solution = self.lu.solve(permuted)
        solution += self.lu.solve(np.asfortranarray(permuted - self.matrix @ solution))
        if self.ordering is None:
            return solution
        result = np.empty_like(solution, order="F")
        result[self.ordering] = solution
        return result

    def release(self) -> None:
        """Drop the factors (about 330 MB at L = 512) once Lanczos needs no more solves."""
        self.lu = self.matrix = None

    @property
    def nonzeros(self) -> int:
        """Stored entries of L and U (the fill-in), from SuperLU's own count: reading
        ``lu.L`` or ``lu.U`` would make a CSC copy of both factors (see :func:`inertia`)."""
        return int(self.lu.nnz)


def _permuted(matrix: sp.csc_array, ordering) -> sp.csc_array:
    """:math:`PHP^T`: rows and columns of ``matrix`` in the order ``ordering`` (None: as is)."""
    if ordering is None:
        return matrix
    return sp.csc_array(matrix[ordering][:, ordering])


def _factorize(ordered: sp.csc_array, shift: float, ordering=None) -> _ShiftedFactor:
    return _ShiftedFactor(ordered, shift, ordering)


def _count_below(ordered: sp.csc_array, shift: float, ordering=None) -> int:
    """Sylvester count of the eigenvalues below ``shift`` from a factorization made for
    it alone and dropped at once (with the CSC copies of its factors that reading their
    diagonal leaves behind, :func:`inertia`); the factorization that serves Lanczos is
    a second one, identical to it bit for bit, which holds the factors only."""
    return inertia(_factorize(ordered, shift, ordering).lu, shift)


def nested_dissection(shape, periodic, leaf: int = 16) -> np.ndarray:
    """Nested-dissection elimination order of a hypercubic lattice's sites.

    The box of sites is cut in two by a plane of sites across its longest axis
    (two planes, at its start and middle, across an axis that is still periodic,
    which opens it), the two halves are ordered recursively and the cut plane(s)
    come last; boxes of at most ``leaf`` sites keep their natural order. On the 2D
    square lattice the fill of the factors is O(N log N) and the factorization
    O(N^1.5) (George 1973); for H - s at L = 512 it gives 28.4 million entries in
    L and U against 25.3 million from SuperLU's minimum degree, but factorizes in
    half the time (1.2 s instead of 2.5 s) and solves blocks of 4 or more
    columns faster.

    Parameters
    ----------
    shape : sequence of int
        Sites per axis (sites numbered in C order of ``shape``).
    periodic : sequence of bool
        Whether each axis wraps around.
    leaf : int
        Largest box left in natural order.

    Returns
    -------
    numpy.ndarray of int64, shape (N,)
        ``ordering[i]`` is the site eliminated i-th (an ``ordering`` for
        :func:`window_eigenpairs`).
    """
    shape = tuple(int(n) for n in shape)
    sites = np.arange(math.prod(shape), dtype=np.int64).reshape(shape)
    pieces: list[np.ndarray] = []

    def visit(box: tuple, wraps: tuple) -> None:
        extent = [stop - start for start, stop in box]
        if math.prod(extent) <= leaf:
            pieces.append(sites[tuple(slice(*edge) for edge in box)].ravel())
            return
        axis = max(range(len(extent)), key=lambda k: (extent[k], wraps[k]))
        start, stop = box[axis]
        middle = start + extent[axis] // 2
        cuts = [start, middle] if wraps[axis] else [middle]
        halves = [(start + 1 if wraps[axis] else start, middle), (middle + 1, stop)]
        opened = tuple(w and k != axis for k, w in enumerate(wraps))
        for low, high in halves:
            if high > low:
                visit(box[:axis] + ((low, high),) + box[axis + 1 :], opened)
        for cut in cuts:
            plane = box[:axis] + ((cut, cut + 1),) + box[axis + 1 :]
            pieces.append(sites[tuple(slice(*edge) for edge in plane)].ravel())

    visit(tuple((0, n) for n in shape), tuple(bool(p) for p in periodic))
    return np.concatenate(pieces)


def inertia(factor, shift: float = math.nan) -> int:
    """Number of eigenvalues below the shift from a SuperLU factorization of ``H - shift``.

    Parameters
    ----------
    factor : scipy.sparse.linalg.SuperLU
        Made with a symmetric ordering and ``diag_pivot_thresh=0`` (as in this module).
    shift : float
        The shift, only for the error message.

    Returns
    -------
    int
        Negative diagonal entries of U (Sylvester: U = D L^H when no row pivoting).

    Notes
    -----
    SciPy reads U by converting both factors to CSC arrays, which the factorization
    then keeps for its lifetime: as much memory again as the factors (0.34 GB at
    L = 512). :func:`window_eigenpairs` therefore counts on factorizations that it
    drops right away (:func:`_count_below`).

    Raises
    ------
    np.linalg.LinAlgError
        The factorization pivoted rows (row and column permutations differ), so
        its diagonal does not carry the inertia.
    """
    if not np.array_equal(factor.perm_r, factor.perm_c):
        raise np.linalg.LinAlgError(
            f"SuperLU pivoted off the diagonal at shift {shift!r}: no inertia count"
        )
    return int(np.count_nonzero(factor.U.diagonal().real < 0.0))


def _random_block(rng: np.random.Generator, n: int, width: int, dtype) -> np.ndarray:
    block = rng.standard_normal((n, width))
    if np.issubdtype(dtype, np.complexfloating):
        block = block + 1j * rng.standard_normal((n, width))
    return np.asfortranarray(block, dtype=dtype)


def _row_chunks(rows: int) -> list[slice]:
    """The fixed row chunks of the split products (:data:`_ROW_CHUNKS` of them)."""
    cuts = np.linspace(0, rows, _ROW_CHUNKS + 1).astype(int)
    return [slice(a, b) for a, b in pairwise(cuts)]


def _product(left: np.ndarray, right: np.ndarray, out: np.ndarray, pool, subtract=False):
    """``out = left @ right`` (``out -= left @ right`` with ``subtract``) in the fixed
    row chunks :func:`_row_chunks`, one after another or on the thread ``pool``.

    The chunks are the same with or without a pool, so the result does not depend
    on it, bit for bit (a BLAS may compute a row differently in a short chunk than
    in a long one: OpenBLAS does for chunks of 50 rows, not for 250 or more).
    """

    def chunk(rows: slice) -> None:
        if subtract:
            out[rows] -= left[rows] @ right
        else:
            np.matmul(left[rows], right, out=out[rows])

    chunks = _row_chunks(left.shape[0])
    list(map(chunk, chunks) if pool is None else pool.map(chunk, chunks))


def _orthogonalize(basis: np.ndarray, block: np.ndarray, recent: int = 0, pool=None) -> np.ndarray:
    """Remove the span of ``basis`` from ``block`` in place; return the coefficients.

    Classical Gram-Schmidt, first against the last ``recent`` columns only (the
    Lanczos recurrence: nearly all of the block's component in the basis), then
    once against the whole basis, which removes what rounding left (components
    ~1e-16 of the block); that pass is repeated only when it shrank a column below
    :data:`_REPEAT` of its norm before it (Daniel, Gragg, Kaufman and Stewart 1976),
    which a fresh random block never does and a Lanczos block almost never does.
    Two passes over the whole basis per block, not four. With a thread ``pool`` the
    update ``block -= basis @ coefficients`` runs in row chunks on it (the serial tail
    of :func:`window_eigenpairs`, where one shift has the cores to itself); the result
    is the same bit for bit.
    """
    coefficients = np.zeros((basis.shape[1], block.shape[1]), dtype=block.dtype)
    if recent:
        tail = basis[:, -recent:]
        local = (block.conj().T @ tail).conj().T  # conjugates the block, not the basis
        block -= tail @ local
        coefficients[-recent:] = local
    for _ in range(2):
        before = np.linalg.norm(block, axis=0)
        correction = (block.conj().T @ basis).conj().T
        _product(basis, correction, block, pool, subtract=True)
        coefficients += correction
        if np.all(np.linalg.norm(block, axis=0) >= _REPEAT * before):
            break
    return coefficients


def _shift_pairs(
    hamiltonian,
    factor,
    shift: float,
    below: float,
    above: float,
    expected: float,
    rng: np.random.Generator,
    norm_bound: float,
    nearest: float = 0.0,
    place=None,
    pool=None,
) -> tuple[np.ndarray, np.ndarray]:
    """Converged eigenpairs with ``shift - below < e <= shift + above`` by block Lanczos
    on ``(H - shift)^-1``; ``expected`` levels are about in that range.

    ``place(energies)``, if given, returns the (N, k) array view the eigenvectors are
    written into (or None), so that they need no memory of their own.

    Raises :class:`_ShiftTooClose` after :data:`_PROBE_BLOCKS` blocks if a Ritz value
    lies closer than ``nearest`` to the shift. ``pool``, if given, is a thread pool on
    which the products with the basis run in row chunks (same result bit for bit).
    """
    n = hamiltonian.shape[0]
    dtype = np.result_type(hamiltonian.dtype, np.float64)
    block = min(BLOCK, n)
    if n % block and block * (16 + int(8 * expected / block)) > n - n % block:
        # the whole space may be needed (tiny matrices): a block that fills it exactly
        block = max(b for b in range(1, block + 1) if n % b == 0)
    capacity = min(n - n % block, block * (16 + int(8 * expected / block)))
    basis = np.empty((n, capacity), dtype=dtype, order="F")
    projected = np.zeros((capacity + block, capacity), dtype=dtype)
    start, _ = sla.qr(_random_block(rng, n, block, dtype), mode="economic")
    basis[:, :block] = start
    filled = block
    while True:
        position = filled - block
        current = basis[:, position:filled]
        applied = np.asfortranarray(factor.solve(current), dtype=dtype)
        projected[:filled, position:filled] = _orthogonalize(
            basis[:, :filled], applied, recent=min(filled, 2 * block), pool=pool
        )
        following, coupling = sla.qr(applied, mode="economic")
        size = np.abs(np.diag(coupling))
        if size.min() < _BREAKDOWN * max(size.max(), 1.0):  # invariant subspace: fresh vectors
            following = _random_block(rng, n, block, dtype)
            _orthogonalize(basis[:, :filled], following)
            following, _ = sla.qr(following, mode="economic")
            coupling = following.conj().T @ applied
        ritz, weights = sla.eigh(projected[:filled, :filled], lower=False)
        estimate = np.linalg.norm(coupling @ weights[position:filled], axis=0)
        if filled == _PROBE_BLOCKS * block and np.abs(ritz).max() * nearest > 1.0:
            raise _ShiftTooClose(shift)
        with np.errstate(divide="ignore"):
            energies = shift + 1.0 / ritz
            residual = norm_bound * estimate / np.abs(ritz)
        converged = residual <= TOLERANCE
        inside = (energies > shift - below) & (energies <= shift + above)
        done = bool(np.all(converged[inside]))
        if below > 0.0:
            done &= np.count_nonzero(converged & (energies <= shift - below)) >= GUARD
        if above > 0.0:
            done &= np.count_nonzero(converged & (energies > shift + above)) >= GUARD
        if done or filled + block > capacity:
            break
        basis[:, filled : filled + block] = following
        projected[filled : filled + block, position:filled] = coupling
        filled += block
    factor.release()  # the Ritz vectors below need the basis, not the factors
    if not done and filled < n:
        raise _NotConverged(
            f"shift-invert Lanczos at shift {shift!r} did not converge within "
            f"{capacity} vectors (range {shift - below!r} to {shift + above!r})"
        )
    keep = np.flatnonzero(inside)
    order = np.argsort(energies[keep])
    keep = keep[order]
    values = energies[keep]
    target = None if place is None else place(values)
    if target is None:  # levels not placed (inconsistent counts): the caller raises
        return values, basis[:, :filled] @ weights[:, keep]
    _product(basis[:, :filled], weights[:, keep], target, pool)
    return values, target


def _hamiltonian_norm_bound(hamiltonian) -> float:
    """max_i sum_j |H_ij| >= ||H||_2 (Gershgorin)."""
    return float(np.abs(hamiltonian).sum(axis=1).max(initial=0.0))


def _rediagonalize(hamiltonian, vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Loewdin-orthonormalize a few vectors and diagonalize H on their span.

    Returns the energies, the new vectors and the largest off-diagonal overlap before.
    """
    gram = vectors.conj().T @ vectors
    overlap = float(np.abs(gram - np.diag(np.diag(gram))).max(initial=0.0))
    values, rotation = sla.eigh(gram)
    orthonormal = vectors @ (rotation / np.sqrt(values)) @ rotation.conj().T
    energies, mixing = sla.eigh(orthonormal.conj().T @ (hamiltonian @ orthonormal))
    return energies, orthonormal @ mixing, overlap


def default_workers() -> int:
    """Worker processes used when ``workers=None``: the cores this process may run on,
    or 1 inside a worker process (a batch executor already spreads realizations)."""
    if multiprocessing.parent_process() is not None:
        return 1
    return len(os.sched_getaffinity(0))


def window_eigenpairs(
    hamiltonian,
    window: tuple[float, float],
    rng: np.random.Generator,
    workers: int | None = None,
    ordering=None,
) -> WindowEigenpairs:
    r"""All eigenpairs with ``emin < e <= emax`` of a sparse Hermitian matrix.

    Parameters
    ----------
    hamiltonian : scipy.sparse matrix, shape (N, N)
        Hermitian, float64 or complex128 (units of t).
    window : (float, float)
        The energy window ``(emin, emax]`` (units of t).
    rng : numpy.random.Generator
        Source of the Lanczos start blocks (the realization's eigensolver stream);
        shift j draws from the j-th generator spawned from it.
    workers : int or None
        Processes solving shifts concurrently (None: :func:`default_workers`); the
        result is bit-identical for any value.
    ordering : array_like of int, shape (N,), or None
        Fill-reducing elimination order used for every shift's factorization
        (``ordering[i]`` is the row eliminated i-th), e.g. :func:`nested_dissection`
        of the lattice; None: SuperLU's minimum-degree order of the first
        factorization, reused for the others.

    Returns
    -------
    WindowEigenpairs
        Energies ascending, orthonormal vectors (real for real H), the largest
        residual :math:`\|Hx - ex\|` (units of t) and a solver description.

    Raises
    ------
    IncompleteWindowError
        An interval's found levels disagree with its inertia count, or Lanczos
        did not converge.
    numpy.linalg.LinAlgError
        A factorization pivoted rows (no inertia), or a residual exceeds
        :data:`RESIDUAL_LIMIT`.
    """
    low, high = (float(x) for x in window)
    if not low < high:
        raise ValueError(f"window must have emin < emax, got {window!r}")
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng must be a numpy.random.Generator, got {rng!r}")
    if workers is None:
        workers = default_workers()
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ValueError(f"workers must be a positive integer or None, got {workers!r}")
    with threadpool_limits(limits=1, user_api="blas"):
        return _window_eigenpairs(hamiltonian, low, high, rng, workers, ordering)


def _window_eigenpairs(hamiltonian, low: float, high: float, rng, workers: int, ordering):
    matrix = sp.csc_array(hamiltonian)
    if matrix.shape[0] != matrix.shape[1]:
        raise ValueError(f"hamiltonian must be square, got shape {matrix.shape}")
    dtype = np.result_type(matrix.dtype, np.float64)
    matrix = matrix.astype(dtype)
    n = matrix.shape[0]
    if ordering is None:
        first = _factorize(matrix, low)
        ordering = first.ordering_found
    else:
        ordering = np.asarray(ordering, dtype=np.int64)
        if not np.array_equal(np.sort(ordering), np.arange(n)):
            raise ValueError(f"ordering must be a permutation of range({n})")
        first = None
    ordered = _permuted(matrix, ordering)
    if first is None:
        first = _factorize(ordered, low, ordering)
    factor_bytes = first.nonzeros * (np.dtype(dtype).itemsize + 4)  # values + row indices
    below_low = inertia(first.lu, low)
    del first
    below_high = _count_below(ordered, high, ordering)
    total = below_high - below_low
    if total == 0:
        empty = np.zeros((n, 0), dtype=dtype)
        return WindowEigenpairs(np.zeros(0), empty, 0.0, _solver_name(0, 0, 0.0))
    shift_count = max(1, math.ceil(total / PER_SHIFT))
    edges = np.linspace(low, high, shift_count + 1)
    edges[0], edges[-1] = low, high
    shifts = 0.5 * (edges[1:] + edges[:-1])
    norm_bound = _hamiltonian_norm_bound(matrix) + max(abs(low), abs(high))
    density = total / (high - low)
    vectors = np.empty((n, total), dtype=dtype, order="F")
    ranges = [
        (edges[j], edges[j + 1], centre, stream)
        for j, (centre, stream) in enumerate(zip(shifts, rng.spawn(shift_count), strict=True))
    ]
    problem = _Problem(ordered, ordering, density, norm_bound)
    column_bytes = n * np.dtype(dtype).itemsize
    workspace = (factor_bytes + _BASIS_PER_LEVEL * PER_SHIFT * column_bytes) / column_bytes
    expected = np.diff(edges) * density
    parallel = _parallel_shifts(expected, workspace, workers, vectors.nbytes)
    in_place = _inertia_in_place(
        expected, workspace, factor_bytes / column_bytes, workers, vectors.nbytes, parallel
    )
    solved = list(_solved_ranges(problem, ranges, workers, vectors, below_low, parallel, in_place))
    points = [low, *(shift for _, shift, _, _ in solved), high]
    counts = [below_low, *(count for _, _, count, _ in solved), below_high]
    found = np.concatenate([values for values, _, _, _ in solved])
    if found.size > total:
        raise IncompleteWindowError(
            f"more levels found than the {total} that Sylvester inertia counts in "
            f"({low!r}, {high!r}]"
        )
    _check_complete(np.array(points), np.array(counts), found, edges)
    cuts = np.cumsum([0] + [values.size for values, _, _, _ in solved])
    if not all(placed == cut for (_, _, _, placed), cut in zip(solved, cuts, strict=False)):
        raise IncompleteWindowError("a shift's levels were not placed at their inertia count")
    energies = found
    overlap = _repair_cuts(matrix, energies, vectors, cuts[1:-1])
    residual = _max_residual(matrix, energies, vectors)
    if not residual <= RESIDUAL_LIMIT:
        raise np.linalg.LinAlgError(
            f"sparse window eigenpairs: residual {residual:.3g} exceeds {RESIDUAL_LIMIT:g}"
        )
    solver = _solver_name(shift_count, total, overlap)
    return WindowEigenpairs(energies, vectors, residual, solver)


class _Problem(NamedTuple):
    """What every shift needs: H in the fill-reducing order, that order, the mean
    level density in the window and a bound on the norm of H."""

    ordered: sp.csc_array
    ordering: np.ndarray
    density: float
    norm_bound: float


def _parallel_shifts(expected, workspace: float, workers: int, result_bytes: int) -> int:
    """How many leading shifts run concurrently; the rest run one at a time.

    Each running shift holds a workspace (factorization and Lanczos basis, here in
    units of window vectors), and the window array fills as shifts finish. The last
    shifts, whose levels together would leave less than ``workers - 1`` workspaces of
    the window array unwritten, run alone, so the peak stays near the window array
    plus one workspace instead of plus ``workers`` (at L = 512: 4.8 GB + 0.85 GB
    instead of + 1.7 GB). Not applied to results below :data:`_SMALL_RESULT_BYTES`.
    """
    count = len(expected)
    if workers == 1 or result_bytes < _SMALL_RESULT_BYTES:
        return count
    tail = np.cumsum(np.asarray(expected, dtype=float)[::-1])
    serial = int(np.searchsorted(tail, (workers - 1) * workspace)) + 1
    return max(0, count - serial)


def _inertia_in_place(
    expected, workspace: float, cache: float, workers: int, result_bytes: int, parallel: int
) -> np.ndarray:
    """Which shifts read their inertia from the factorization they keep (bool per shift).

    Reading the diagonal of U leaves CSC copies of both factors with the
    factorization (``cache``, in units of window vectors, as ``workspace``) until
    its Lanczos run ends; that saves the second factorization (:func:`_count_below`)
    where the window array has room, i.e. where the peak stays below the window
    array plus one workspace (:func:`_parallel_shifts`). One of the first
    ``parallel`` shifts, j, runs while the shifts from j + ``workers`` on have not
    started, so their levels are unwritten; it may keep the copies if those levels
    cover ``workers`` workspaces with copies less one workspace. A later shift runs
    alone while its own levels and those after it are unwritten; it may keep them if
    those levels cover the copies. All shifts for results below
    :data:`_SMALL_RESULT_BYTES`.
    """
    count = len(expected)
    if result_bytes < _SMALL_RESULT_BYTES:
        return np.ones(count, dtype=bool)
    unwritten = np.append(np.cumsum(np.asarray(expected, dtype=float)[::-1])[::-1], 0.0)
    index = np.arange(count)
    concurrent = index < parallel
    room = np.where(concurrent, unwritten[np.minimum(index + workers, count)], unwritten[index])
    needed = np.where(concurrent, workers * (workspace + cache) - workspace, cache)
    return room >= needed


def _solved_ranges(
    problem: _Problem,
    ranges,
    workers: int,
    vectors: np.ndarray,
    below_low: int,
    parallel: int | None = None,
    in_place=(),
) -> Iterator[tuple]:
    """:func:`_solve_range` for every ``(lower, upper, shift, rng)`` in ``ranges``, the
    first ``parallel`` (default all) on ``workers`` threads, the others one by one,
    each with the ``workers`` threads for its basis products; shift j counts its
    inertia on the factorization that Lanczos keeps if ``in_place[j]`` (see
    :func:`_inertia_in_place`; default: none does). Each shift's vectors are written
    into ``vectors`` at the column given by its inertia count, and ``(energies, shift,
    inertia, column)`` is yielded per shift in order (column None: not placed, counts
    inconsistent)."""

    def column(values: np.ndarray, shift: float, count: int) -> int | None:
        start = count - below_low - int(np.count_nonzero(values < shift))
        return start if 0 <= start <= vectors.shape[1] - values.size else None

    def place(values: np.ndarray, shift: float, count: int) -> np.ndarray | None:
        start = column(values, shift, count)
        return None if start is None else vectors[:, start : start + values.size]

    def solve(task: tuple, pool=None) -> tuple:
        index, *bounds = task
        values, block, shift, count = _solve_range(
            problem,
            *bounds,
            place,
            pool=pool,
            count_in_place=index < len(in_place) and bool(in_place[index]),
        )
        start = column(values, shift, count)
        if start is not None:
            target = vectors[:, start : start + values.size]
            if block.ctypes.data != target.ctypes.data or block.shape != target.shape:
                target[...] = block  # not written in place (only if altered on the way)
        return values, shift, count, start

    tasks = [(index, *bounds) for index, bounds in enumerate(ranges)]
    head = tasks[: len(tasks) if parallel is None else parallel]
    if workers > 1 and len(head) > 1:
        pool = cf.ThreadPoolExecutor(max_workers=min(workers, len(head)))
        try:
            yield from pool.map(solve, head)
        finally:  # after a failed shift, do not run the ones still queued
            pool.shutdown(wait=True, cancel_futures=True)
    else:
        yield from map(solve, head)
    tail = tasks[len(head) :]
    if workers > 1 and tail:
        with cf.ThreadPoolExecutor(max_workers=workers) as pool:
            yield from (solve(task, pool) for task in tail)
    else:
        yield from map(solve, tail)


def _solve_range(
    problem: _Problem,
    lower: float,
    upper: float,
    shift: float,
    rng,
    place=None,
    pool=None,
    count_in_place: bool = False,
):
    """The levels in ``(lower, upper]`` from a shift near ``shift``, moved away from a
    level that lies too close to it (or after Lanczos failed to converge there);
    returns them, the shift used and its inertia. ``place(energies, shift, inertia)``
    gives the array view to write the vectors into (see :func:`_shift_pairs`);
    ``pool`` runs the basis products in row chunks. The inertia is read from the
    factorization Lanczos solves with if ``count_in_place`` (one factorization fewer,
    but the CSC copies of its factors stay with it for the whole shift), else from a
    second one dropped at once (:func:`_count_below`)."""
    density = problem.density
    expected = density * (upper - lower)
    failure: Exception | None = None
    for move in (0.0, *_MOVES):
        moved = shift + move / density
        if count_in_place:
            factor = _factorize(problem.ordered, moved, problem.ordering)
            count = inertia(factor.lu, moved)
        else:
            count = _count_below(problem.ordered, moved, problem.ordering)
            factor = _factorize(problem.ordered, moved, problem.ordering)
        try:
            values, block = _shift_pairs(
                problem.ordered, factor, moved, moved - lower, upper - moved, expected, rng,
                problem.norm_bound, _TOO_CLOSE / density,
                None if place is None else partial(place, shift=moved, count=count), pool,
            )  # fmt: skip
        except _ShiftTooClose:
            continue
        except _NotConverged as error:
            failure = error
            continue
        finally:
            factor.release()
        return values, block, moved, count
    raise IncompleteWindowError(
        f"no shift tried in ({lower!r}, {upper!r}] gave converged levels"
        + (f": {failure}" if failure else f" (each within {_TOO_CLOSE} spacings of a level)")
    )


def _solver_name(shifts: int, pairs: int, overlap: float) -> str:
    return (
        f"shift-invert block Lanczos ({shifts} shifts, {pairs} pairs, "
        f"cross-shift overlap {overlap:.1e} before Rayleigh-Ritz)"
    )


def _check_complete(points, counts, energies, edges) -> None:
    """Every interval between successive inertia points holds exactly its Sylvester
    count of found levels (each shift returns only the levels of its own range)."""
    found = np.array(
        [np.count_nonzero((energies > a) & (energies <= b)) for a, b in pairwise(points)]
    )
    for (a, b), count, expected in zip(pairwise(points), found, np.diff(counts), strict=True):
        if count != expected:
            raise IncompleteWindowError(
                f"interval ({a!r}, {b!r}] holds {expected} eigenvalues by Sylvester "
                f"inertia, but {count} were found (shift ranges split at {edges.tolist()}; "
                f"levels degenerate more than BLOCK={BLOCK}-fold are not resolved)"
            )


def _repair_cuts(matrix, energies: np.ndarray, vectors: np.ndarray, cuts) -> float:
    """Rediagonalize the BLOCK levels on either side of every cut between two shifts'
    levels (in place); return the largest overlap seen there before."""
    overlap = 0.0
    for cut in cuts:
        lo, hi = max(0, cut - BLOCK), min(energies.size, cut + BLOCK)
        if cut - lo == 0 or hi - cut == 0:
            continue
        new_energies, new_vectors, seen = _rediagonalize(matrix, vectors[:, lo:hi])
        energies[lo:hi], vectors[:, lo:hi] = new_energies, new_vectors
        overlap = max(overlap, seen)
    return overlap


def _max_residual(matrix, energies: np.ndarray, vectors: np.ndarray, chunk: int = 16) -> float:
    """max_n ||H x_n - e_n x_n||, in column chunks: memory three N x chunk arrays
    (0.1 GB at L = 512) beside the window vectors; each column's norm does not depend
    on the chunk."""
    largest = 0.0
    for start in range(0, energies.size, chunk):
        part = vectors[:, start : start + chunk]
        residual = matrix @ part - part * energies[start : start + chunk]
        largest = max(largest, float(np.linalg.norm(residual, axis=0).max()))
    return largest
