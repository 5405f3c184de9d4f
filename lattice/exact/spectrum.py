"""Exact diagonalization: MRRR for open chains, dense LAPACK otherwise (DESIGN.md section 6).

* Open chains (d = 1, open boundaries) are real symmetric tridiagonal:
  ``scipy.linalg.eigh_tridiagonal`` with LAPACK ``stemr`` (MRRR), O(N^2) for all
  eigenpairs and O(N k) for the k eigenpairs of an energy window.
* Everything else: dense ``scipy.linalg.eigh``, divide and conquer (``evd``)
  for the full spectrum; for an energy window, Householder reduction, MRRR on
  the window of the tridiagonal form and back-transformation of the window's
  vectors only (``"trd+stemr"``).

Eigenvectors are real whenever the Hamiltonian is (no flux, no twist), so the
response functions can use real matrix products.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.linalg as sla
import scipy.linalg.lapack as lapack
import scipy.sparse as sp

from lattice.exact.sparse_window import nested_dissection, window_eigenpairs
from lattice.models.model import AndersonModel
from lattice.models.seeding import DEFAULT_SEED, EIGENSOLVER_STREAM, realization_rng
from vwloc_common.checks import check_choice, check_finite

__all__ = [
    "ENGINES",
    "Spectrum",
    "check_engine",
    "check_window",
    "diagonalize",
    "diagonalize_matrix",
    "eigenvalues",
    "sparse_window_spectrum",
]

#: Engines behind the public entry points (DESIGN.md section 4): dense or tridiagonal
#: LAPACK, exact sparse window eigenpairs (:mod:`lattice.exact.sparse_window`), Chebyshev.
ENGINES = ("dense", "sparse", "kpm")


@dataclass(frozen=True)
class Spectrum:
    """Eigenpairs of one Hamiltonian.

    Attributes
    ----------
    energies : numpy.ndarray, shape (k,)
        Eigenvalues in ascending order (units of t).
    vectors : numpy.ndarray, shape (N, k)
        Orthonormal eigenvectors as columns (float64 or complex128).
    window : tuple of float or None
        The half-open energy window ``(emin, emax]`` that was diagonalized, or
        None for the full spectrum.
    solver : str
        ``"stemr"`` (tridiagonal MRRR), ``"evd"`` (dense divide and conquer),
        ``"trd+stemr"`` (dense window: Householder + MRRR) or, for the sparse
        engine, a description starting with ``"shift-invert block Lanczos"``
        (:mod:`lattice.exact.sparse_window`).
    residual : float or None
        Largest residual norm ||Hx - ex|| (units of t) when the solver measured it
        (the sparse engine), else None (dense LAPACK, backward stable).
    """

    energies: np.ndarray
    vectors: np.ndarray
    window: tuple[float, float] | None
    solver: str
    residual: float | None = None

    @property
    def n_sites(self) -> int:
        """Dimension N of the Hilbert space."""
        return self.vectors.shape[0]

    @property
    def is_real(self) -> bool:
        """True when the eigenvectors are real."""
        return not np.iscomplexobj(self.vectors)


def check_window(window) -> tuple[float, float] | None:
    """Validate an energy window ``(emin, emax)`` with emin < emax; None passes."""
    if window is None:
        return None
    try:
        low, high = window
    except (TypeError, ValueError):
        raise ValueError(f"window must be a pair (emin, emax), got {window!r}") from None
    low, high = check_finite("window[0]", low), check_finite("window[1]", high)
    if not low < high:
        raise ValueError(f"window must have emin < emax, got {window!r}")
    return low, high


def check_engine(engine: str, w_max: float | None = None) -> str:
    """Validate ``engine`` for an observable that keeps transitions up to ``w_max``.

    The sparse engine finds only the eigenpairs of an energy window, so it needs
    ``w_max``. ``"kpm"`` never reaches an eigensolver: the entry points that
    support it (:mod:`lattice.chebyshev.kpm`) branch off before this check, so here it is
    refused (e.g. by :func:`lattice.joint_observables`).
    """
    check_choice("engine", engine, ENGINES)
    if engine == "kpm":
        raise ValueError(
            "engine='kpm' is not available here; density_of_states, conductivity, "
            "complex_conductivity, dynamic_polarizability, density_response and "
            "static_polarizability take it"
        )
    if engine == "sparse" and w_max is None:
        raise ValueError(
            "engine='sparse' needs w_max (it finds only the eigenpairs within w_max "
            "of E_F), got w_max=None"
        )
    return engine


def sparse_window_spectrum(
    hamiltonian,
    window,
    rng: np.random.Generator,
    workers: int | None = None,
    ordering: np.ndarray | None = None,
) -> Spectrum:
    """Eigenpairs in ``window`` of a sparse Hermitian matrix (``engine="sparse"``).

    Parameters
    ----------
    hamiltonian : scipy.sparse matrix, shape (N, N)
    window : (float, float)
        The energy window ``(emin, emax]`` (units of t), required.
    rng : numpy.random.Generator
        Source of the Lanczos start blocks.
    workers : int or None
        Processes solving shifts concurrently (None: every core); bit-identical
        for any value.
    ordering : numpy.ndarray of int or None
        Fill-reducing elimination order of the sites for the factorizations
        (:func:`lattice.exact.sparse_window.nested_dissection`); None: SuperLU's.

    Returns
    -------
    Spectrum
        With ``residual`` the largest ``||Hx - ex||`` (:mod:`lattice.exact.sparse_window`).
    """
    window = check_window(window)
    if window is None:
        raise ValueError("the sparse engine needs an energy window, got window=None")
    pairs = window_eigenpairs(hamiltonian, window, rng, workers, ordering)
    return Spectrum(pairs.energies, pairs.vectors, window, pairs.solver, pairs.residual)


def diagonalize_matrix(
    hamiltonian, window: tuple[float, float] | None = None, tridiagonal: bool = False
) -> Spectrum:
    """Diagonalize a Hermitian matrix (dense or sparse).

    Parameters
    ----------
    hamiltonian : array_like or scipy.sparse matrix, shape (N, N)
        Hermitian; with ``tridiagonal=True`` real symmetric tridiagonal.
    window : (float, float) or None
        Only eigenpairs with ``emin < e <= emax``.
    tridiagonal : bool
        Use the MRRR tridiagonal solver on the main and first sub-diagonal.

    Returns
    -------
    Spectrum
    """
    window = check_window(window)
    if tridiagonal:
        matrix = sp.dia_array(hamiltonian)
        diagonal = np.ascontiguousarray(matrix.diagonal(0), dtype=float)
        off = np.ascontiguousarray(matrix.diagonal(-1), dtype=float)
        energies, vectors = _tridiagonal_eigh(diagonal, off, window)
        return Spectrum(energies, vectors, window=window, solver="stemr")
    if window is None:
        energies, vectors = sla.eigh(
            _dense(hamiltonian), overwrite_a=True, check_finite=False, driver="evd"
        )
        return Spectrum(energies, vectors, window=None, solver="evd")
    energies, vectors = _dense_window_eigh(hamiltonian, window)
    return Spectrum(energies, vectors, window=window, solver="trd+stemr")


def _dense(hamiltonian) -> np.ndarray:
    """A fresh Fortran-ordered dense copy (LAPACK then works in place, no transpose)."""
    if sp.issparse(hamiltonian):
        return hamiltonian.toarray(order="F")
    return np.array(hamiltonian, order="F")


def _tridiagonal_eigh(diagonal: np.ndarray, off: np.ndarray, window) -> tuple:
    """MRRR (``stemr``) eigenpairs of a real symmetric tridiagonal matrix, optionally
    only those in the window ``(emin, emax]``."""
    if diagonal.size == 1:
        keep = np.ones(1, dtype=bool)
        if window is not None:
            keep = (window[0] < diagonal) & (diagonal <= window[1])
        return diagonal[keep], np.ones((1, int(keep.sum())))
    select, select_range = ("a", None) if window is None else ("v", window)
    return sla.eigh_tridiagonal(
        diagonal,
        off,
        select=select,
        select_range=select_range,
        check_finite=False,
        lapack_driver="stemr",
    )


def _dense_window_eigh(hamiltonian, window) -> tuple[np.ndarray, np.ndarray]:
    """Eigenpairs in ``(emin, emax]`` of a Hermitian matrix by dense LAPACK.

    Householder reduction to real tridiagonal form (``sytrd``/``hetrd``), MRRR
    on the window (``stemr``), back-transformation of the k window vectors only
    (``ormqr``/``unmqr``): 4/3 N^3 + O(N k) + 2 N^2 k flops. (LAPACK's ``syevr``
    falls back to bisection and inverse iteration for a value range, which is
    slower than the full divide and conquer on the clustered 2D spectra.)
    Peak memory about 2 N^2 + N k numbers: the reduced matrix is dropped once
    its reflectors are copied out, before MRRR allocates its N x N array.
    """
    dense = _dense(hamiltonian)
    n = dense.shape[0]
    is_complex = np.iscomplexobj(dense)
    reduce, query = (
        (lapack.zhetrd, lapack.zhetrd_lwork)
        if is_complex
        else (lapack.dsytrd, lapack.dsytrd_lwork)
    )
    lwork, info = query(n, lower=1)
    _check_info("sytrd/hetrd workspace query", info)
    dense, diagonal, off, tau, info = reduce(
        dense, lower=1, lwork=int(np.real(lwork)), overwrite_a=1
    )
    _check_info("sytrd/hetrd", info)
    # Q = diag(1, Q'), Q' the product of the reflectors stored below the subdiagonal
    householder = np.asfortranarray(dense[1:, : n - 1])
    del dense
    energies, rotated = _tridiagonal_eigh(np.real(diagonal), np.real(off), window)
    first = rotated[0].astype(householder.dtype)
    tail = np.asfortranarray(rotated[1:], dtype=householder.dtype)
    del rotated  # stemr's N x N array
    if n > 1 and energies.size:
        apply = lapack.zunmqr if is_complex else lapack.dormqr
        work, info = apply("L", "N", householder, tau, tail, -1)[1:]
        _check_info("ormqr/unmqr workspace query", info)
        tail, _, info = apply(
            "L", "N", householder, tau, tail, int(np.real(work[0])), overwrite_c=1
        )
        _check_info("ormqr/unmqr", info)
    vectors = np.empty((n, energies.size), dtype=householder.dtype, order="F")
    vectors[0] = first
    vectors[1:] = tail
    return energies, vectors


def _check_info(routine: str, info: int) -> None:
    if info != 0:
        raise np.linalg.LinAlgError(f"LAPACK {routine} failed with info={info}")


def diagonalize(
    model: AndersonModel,
    realization: int = 0,
    seed: int = DEFAULT_SEED,
    window: tuple[float, float] | None = None,
    engine: str = "dense",
    workers: int | None = None,
) -> Spectrum:
    """Eigenpairs of ``model.hamiltonian(realization, seed)``.

    ``engine="dense"``: open chains use the tridiagonal MRRR solver, all other
    models dense LAPACK. ``engine="sparse"``: shift-invert block Lanczos on the
    sparse H (:mod:`lattice.exact.sparse_window`) in the nested-dissection order of the
    lattice, window required, start blocks from the realization's eigensolver
    stream (:data:`lattice.models.seeding.EIGENSOLVER_STREAM`).

    Parameters
    ----------
    model : AndersonModel
    realization, seed : int
        Disorder realization ``i`` of root seed ``s``.
    window : (float, float) or None
        Energy window ``(emin, emax]`` in units of t; None for all eigenpairs
        (dense engine only).
    engine : {"dense", "sparse"}
        Eigensolver (:data:`ENGINES`).
    workers : int or None
        Sparse engine: processes solving shifts concurrently (None: every core,
        :func:`lattice.exact.sparse_window.default_workers`); bit-identical for any value.

    Returns
    -------
    Spectrum
    """
    check_choice("engine", engine, ENGINES)
    hamiltonian = model.hamiltonian(realization=realization, seed=seed)
    if engine == "sparse":
        rng = realization_rng(seed, realization, EIGENSOLVER_STREAM)
        periodic = [boundary == "periodic" for boundary in model.boundary]
        ordering = nested_dissection(model.shape, periodic)
        return sparse_window_spectrum(hamiltonian, window, rng, workers, ordering)
    if engine != "dense":
        raise ValueError(f"diagonalize supports engine 'dense' or 'sparse', got {engine!r}")
    return diagonalize_matrix(
        hamiltonian, window=window, tridiagonal=model.has_tridiagonal_hamiltonian
    )


def eigenvalues(
    model: AndersonModel, realization: int = 0, seed: int = DEFAULT_SEED
) -> np.ndarray:
    """Eigenvalues only (ascending, units of t) of ``model.hamiltonian(realization, seed)``.

    Same solvers as :func:`diagonalize` without eigenvectors: tridiagonal
    (``eigvalsh_tridiagonal``) for open chains, dense ``evd`` otherwise.
    """
    hamiltonian = model.hamiltonian(realization=realization, seed=seed)
    if model.has_tridiagonal_hamiltonian and model.n_sites > 1:
        matrix = sp.dia_array(hamiltonian)
        return sla.eigvalsh_tridiagonal(
            np.ascontiguousarray(matrix.diagonal(0), dtype=float),
            np.ascontiguousarray(matrix.diagonal(-1), dtype=float),
            check_finite=False,
        )
    return sla.eigh(
        hamiltonian.toarray(),
        eigvals_only=True,
        overwrite_a=True,
        check_finite=False,
        driver="evd",
    )
