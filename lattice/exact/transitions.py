r"""Occupations and transition lists, the common input of the Kubo-type sums.

A transition p is an ordered pair of eigenstates (n, m) with
:math:`w_p = e_m - e_n > 0` and :math:`f_n > f_m`, carrying the weight
:math:`(f_n - f_m)\,|\langle n|O|m\rangle|^2` for an operator O (the current
J_x, the position X, a density Fourier component...). Response functions are
sums over transitions (docs/conventions.md); forming only the pairs with
:math:`w_p \le w_{max}` shrinks the O(N^3) matrix products to the window.
Levels closer than :data:`DEGENERACY` (relative) are treated as degenerate:
exactly degenerate levels have equal occupations and form no transition.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from threadpoolctl import threadpool_limits

from lattice.exact import _kernels
from lattice.exact.spectrum import Spectrum
from lattice.models.occupation import fermi_occupation
from vwloc_common.checks import check_positive

__all__ = [
    "DEGENERACY",
    "FERMI_TAIL",
    "Transitions",
    "check_w_max",
    "energy_window",
    "transitions",
]

#: Levels closer than DEGENERACY * (1 + max|e|) count as degenerate: rounding splits
#: exactly degenerate levels by ~1e-15 of the bandwidth, and such a "pair" would add
#: f'(e) |O_nm|^2 (rounding noise) / w^k to the sums at T > 0.
DEGENERACY = 1e-10

#: Bytes of upper vectors per block when forming the matrix elements (memory O(block)):
#: at most 256 vectors, fewer on large lattices (2D L = 512: 32 vectors, where 256 cost
#: about 1 GB above the 4.8 GB of window vectors, in the block and its product with J).
_COLUMN_BLOCK_BYTES = 2**26
_COLUMN_BLOCK = 256

#: Beyond |e - E_F| > FERMI_TAIL * T the Fermi function is 0 or 1 to within e^-40 ~ 4e-18.
FERMI_TAIL = 40.0


def check_w_max(w_max: float | None) -> float:
    """``None`` -> inf; otherwise w_max must be finite and > 0."""
    return np.inf if w_max is None else check_positive("w_max", w_max)


def energy_window(
    fermi_energy: float, temperature: float, w_max: float | None
) -> tuple[float, float] | None:
    """Eigenvalue window holding every state of a transition with w <= w_max.

    ``(E_F - w_max - 40 T, E_F + w_max + 40 T]``, or None (all states) without w_max.
    """
    if w_max is None:
        return None
    reach = check_w_max(w_max) + FERMI_TAIL * temperature
    return fermi_energy - reach, fermi_energy + reach


@dataclass(frozen=True)
class Transitions:
    """Transitions of one operator in one spectrum.

    Attributes
    ----------
    frequency : numpy.ndarray, shape (M,)
        :math:`w_p = e_m - e_n > 0` (units of t).
    weight : numpy.ndarray, shape (M,)
        :math:`(f_n - f_m)|O_{nm}|^2`.
    n_sites : int
        N, for the per-site normalisation of the response functions.
    """

    frequency: np.ndarray
    weight: np.ndarray
    n_sites: int


def transitions(
    spectrum: Spectrum,
    operator,
    fermi_energy: float,
    temperature: float = 0.0,
    w_max: float | None = None,
) -> Transitions:
    r"""All transitions of ``operator`` with :math:`0 < w \le w_{max}`.

    Parameters
    ----------
    spectrum : Spectrum
        Eigenpairs; with ``w_max`` they need only cover :func:`energy_window`.
    operator : scipy.sparse matrix or numpy.ndarray
        N x N sparse or dense operator, or a 1D array holding a diagonal operator.
        If the eigenvectors are real and the operator purely imaginary (the
        current of a real Hamiltonian), real arithmetic is used on its
        imaginary part, which has the same :math:`|O_{nm}|^2`.
    fermi_energy, temperature : float
        E_F and T in units of t.
    w_max : float or None
        Largest transition frequency kept (None: all).

    Returns
    -------
    Transitions
    """
    energies, vectors = spectrum.energies, spectrum.vectors
    occupation = fermi_occupation(energies, fermi_energy, temperature)
    limit = check_w_max(w_max)
    lower = occupation > 0.0
    upper = occupation < 1.0
    if lower.any() and upper.any() and np.isfinite(limit):
        lowest_upper, highest_lower = energies[upper].min(), energies[lower].max()
        lower &= energies >= lowest_upper - limit
        upper &= energies <= highest_lower + limit
    operator = _real_if_possible(operator, spectrum.is_real)
    # One BLAS thread: OpenBLAS's threaded GEMM changed the last bits of the matrix
    # elements between 1 and 2 threads (2D L = 40 with flux), against DESIGN.md section 3.
    with threadpool_limits(limits=1, user_api="blas"):
        amplitudes = _matrix_elements(
            operator, vectors[:, _columns(lower)], vectors[:, _columns(upper)]
        )
    frequency, weight = _kernels.pair_weights(
        np.ascontiguousarray(amplitudes),
        energies[lower],
        energies[upper],
        occupation[lower],
        occupation[upper],
        DEGENERACY * (1.0 + float(np.abs(energies).max(initial=0.0))),
        limit,
    )
    return Transitions(frequency=frequency, weight=weight, n_sites=spectrum.n_sites)


def _columns(mask: np.ndarray) -> slice | np.ndarray:
    """A slice (a view, no copy of the vectors) when the selected levels are contiguous,
    as they are for sorted energies; the indices otherwise."""
    chosen = np.flatnonzero(mask)
    if chosen.size == 0 or chosen[-1] - chosen[0] + 1 == chosen.size:
        return slice(int(chosen[0]), int(chosen[-1]) + 1) if chosen.size else slice(0, 0)
    return chosen


def _matrix_elements(operator, lower: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """``lower^H O upper``, O applied to a block of upper vectors at a time so
    that no N x k temporary is formed (the window vectors of the sparse engine fill
    most of the memory on large lattices)."""
    dtype = np.result_type(lower.dtype, upper.dtype, getattr(operator, "dtype", float))
    out = np.empty((lower.shape[1], upper.shape[1]), dtype=dtype)
    width = _COLUMN_BLOCK_BYTES // max(upper.shape[0] * np.dtype(dtype).itemsize, 1)
    width = max(1, min(_COLUMN_BLOCK, width))
    for start in range(0, upper.shape[1], width):
        part = upper[:, start : start + width]
        if sp.issparse(operator) or np.ndim(operator) == 2:
            applied = np.asarray(operator @ part)
        else:
            applied = np.asarray(operator)[:, None] * part
        if np.iscomplexobj(lower):
            out[:, start : start + width] = (applied.conj().T @ lower).conj().T
        else:
            out[:, start : start + width] = lower.T @ applied
    return out


def _real_if_possible(operator, real_vectors: bool):
    """Real part or imaginary part of an operator that is purely one of them, if the
    eigenvectors are real (|O_nm|^2 is unchanged); the operator itself otherwise."""
    if not real_vectors or not np.iscomplexobj(operator):
        return operator
    data = operator.data if sp.issparse(operator) else np.asarray(operator)
    if not np.any(data.real):
        return operator.imag if sp.issparse(operator) else data.imag
    if not np.any(data.imag):
        return operator.real if sp.issparse(operator) else data.real
    return operator
