r"""Transfer-matrix kernels (numba) and their plain-numpy reference versions.

Both propagate the slice recursion of DESIGN.md section 2 (hopping ``-t``, ``t = 1``)

.. math::

    \psi_{n+1} = (H_\perp(n) - E)\,\psi_n - \psi_{n-1},

where :math:`H_\perp(n)` is the Hamiltonian of slice ``n`` (site energies on the
diagonal, transverse hopping ``-exp(i theta)``). The numba kernels and the numpy
references perform the same arithmetic in the same order up to the reduction
order inside LAPACK/BLAS, so they agree to rounding (tested); the references
are the baseline of ``benchmarks/bench_transfer.py``.

Chains (1D): several independent chains are advanced in one loop, the inner
loop running over chains so that it vectorises. A chain's two-component state
``(psi_n, psi_{n-1})`` is renormalised (its 1-norm divided out and its logarithm
accumulated) whenever, at a check every :data:`CHAIN_CHECK` steps, that norm
has left ``[1/RENORM_LIMIT, RENORM_LIMIT]``, and always at the end of a block.
The norm is the Euclidean one, as for the QR columns of strips, so that a
width-1 strip reproduces the chain to rounding.
The decision depends on the chain's own state only, so a chain gives the same
bits whatever other chains share the loop.

Strips and bars: ``K`` columns of ``(psi_n; psi_{n-1})`` (a ``2N x K`` matrix)
are propagated together and re-orthonormalised by a QR decomposition every
``interval`` slices; ``log|R_ii|`` accumulates the Lyapunov exponents in
descending order (the column ``i`` converges to the ``i``-th Lyapunov direction).
"""

from __future__ import annotations

import numba
import numpy as np

__all__ = [
    "CHAIN_CHECK",
    "RENORM_LIMIT",
    "chain_block",
    "chain_block_reference",
    "strip_block",
    "strip_block_reference",
]

#: Steps between the overflow checks of a chain (growth per step is at most
#: ``1 + |E| + |eps|``, so 8 steps cannot overflow from RENORM_LIMIT for any sane input).
CHAIN_CHECK = 8
#: A chain is renormalised when its norm leaves [1/RENORM_LIMIT, RENORM_LIMIT].
RENORM_LIMIT = 1.0e100
_LIMIT_SQ = RENORM_LIMIT * RENORM_LIMIT


@numba.njit(cache=True)
def chain_block(a, b, eps, energies, logs):  # pragma: no cover - compiled
    """Advance ``C`` chains over ``eps.shape[0]`` slices in place.

    ``a[c], b[c]`` hold ``psi_n, psi_{n-1}`` of chain ``c``; ``eps`` has shape
    ``(n_slices, C)``; ``logs[c]`` receives the log of the norm divided out.
    On return every chain has unit norm.
    """
    n_slices, n_chains = eps.shape
    for s in range(n_slices):
        for c in range(n_chains):
            new = (eps[s, c] - energies[c]) * a[c] - b[c]
            b[c] = a[c]
            a[c] = new
        if (s + 1) % CHAIN_CHECK == 0:
            for c in range(n_chains):
                square = a[c] * a[c] + b[c] * b[c]
                if square > _LIMIT_SQ or square < 1.0 / _LIMIT_SQ:
                    norm = np.sqrt(square)
                    a[c] /= norm
                    b[c] /= norm
                    logs[c] += np.log(norm)
    for c in range(n_chains):
        norm = np.sqrt(a[c] * a[c] + b[c] * b[c])
        a[c] /= norm
        b[c] /= norm
        logs[c] += np.log(norm)


def chain_block_reference(a, b, eps, energies, logs):
    """Plain-numpy version of :func:`chain_block` (vectorised over chains)."""
    for s in range(eps.shape[0]):
        a, b = (eps[s] - energies) * a - b, a
        if (s + 1) % CHAIN_CHECK == 0:
            square = a * a + b * b
            out = (square > _LIMIT_SQ) | (square < 1.0 / _LIMIT_SQ)
            norm = np.sqrt(square)
            a = np.where(out, a / norm, a)
            b = np.where(out, b / norm, b)
            logs += np.where(out, np.log(norm), 0.0)
    norm = np.sqrt(a * a + b * b)
    logs += np.log(norm)
    return a / norm, b / norm


@numba.njit(cache=True)
def _propagate(p, q, eps_s, energy, neighbours, hop_index, hops_s):  # pragma: no cover
    """Overwrite ``q`` (psi_{n-1}) with psi_{n+1}; ``p`` is psi_n."""
    n_sites, n_cols = p.shape
    n_nb = neighbours.shape[1]
    for i in range(n_sites):
        diag = eps_s[i] - energy
        for c in range(n_cols):
            q[i, c] = diag * p[i, c] - q[i, c]
        for k in range(n_nb):
            j = neighbours[i, k]
            if j < 0:
                continue
            h = hops_s[hop_index[i, k]]
            for c in range(n_cols):
                q[i, c] += h * p[j, c]


@numba.njit(cache=True)
def strip_block(
    p, q, eps, energy, neighbours, hop_index, hops, interval, logs
):  # pragma: no cover
    """Advance the ``2N x K`` state ``(p; q) = (psi_n; psi_{n-1})`` over a block.

    Parameters
    ----------
    p, q : (N, K) float64 or complex128
        Orthonormal columns on entry (jointly). Used as work space; the state
        after the block (re-orthonormalised) is returned.
    eps : (n_slices, N) float64
        Site energies; ``n_slices`` must be a multiple of ``interval``.
    energy : float
    neighbours, hop_index : (N, z) int64
        Transverse neighbour ``j`` of site ``i`` (-1: none) and the index into
        ``hops[s]`` of its hopping matrix element ``H_ij``.
    hops : (n_slices, 3) same dtype as ``p``
        Hopping matrix elements per slice (Peierls phases may depend on ``s``).
    interval : int
        Slices between QR decompositions.
    logs : (K,) float64
        Receives ``sum log|R_ii|`` over the block.

    Returns
    -------
    p, q : (N, K) arrays
        ``(psi_n; psi_{n-1})`` after the block.
    """
    n_slices = eps.shape[0]
    n_sites = p.shape[0]
    for s in range(n_slices):
        _propagate(p, q, eps[s], energy, neighbours, hop_index, hops[s])
        p, q = q, p
        if (s + 1) % interval == 0:
            stacked = np.vstack((p, q))
            qmat, rmat = np.linalg.qr(stacked)
            for k in range(rmat.shape[0]):
                logs[k] += np.log(abs(rmat[k, k]))
            p[:, :] = qmat[:n_sites]
            q[:, :] = qmat[n_sites:]
    return p, q


def strip_block_reference(p, q, eps, energy, neighbours, hop_index, hops, interval, logs):
    """Plain-numpy version of :func:`strip_block` (same algorithm, same order)."""
    n_sites = p.shape[0]
    valid = neighbours >= 0
    nb = np.where(valid, neighbours, 0)
    for s in range(eps.shape[0]):
        h = np.where(valid, hops[s][hop_index], 0.0)
        new = (eps[s] - energy)[:, None] * p - q
        for k in range(nb.shape[1]):
            new += h[:, k, None] * p[nb[:, k]]
        p, q = new, p
        if (s + 1) % interval == 0:
            qmat, rmat = np.linalg.qr(np.vstack((p, q)))
            logs += np.log(np.abs(np.diag(rmat)))
            p, q = qmat[:n_sites].copy(), qmat[n_sites:].copy()
    return p, q
