r"""Chebyshev moments of a real nearest-neighbour Hamiltonian (numba), two steps per sweep.

When H is real (no flux, no twist) and symmetric, :math:`T_n(\tilde H)` is real
and symmetric, so for a complex start vector :math:`r = u + i w`

.. math::

    \langle r|T_n|r\rangle = \langle u|T_n|u\rangle + \langle w|T_n|w\rangle

(the cross terms :math:`i\langle u|T_n|w\rangle - i\langle w|T_n|u\rangle` cancel).
:func:`real_moments` therefore runs the recursion on real float64 vectors:
the same bytes per complex vector as complex128, but no complex products.

Memory layout: one real vector at a time, sites in C order of the shape
``(L_x, L_y, L_z)`` as in :mod:`lattice.chebyshev._stencil`, with a 2D lattice as
``(L_x, 1, L_y)`` and a chain as ``(1, 1, L)``, so the innermost, contiguous
axis is always a lattice axis ("rows") and the outermost one the axis of
"slabs" (a row in 2D, a plane in 3D). Rows are taken as slices, so that the
inner loop is contiguous and vectorizes (a flat index ``i - L`` makes numba
emit a negative-index check that blocks vectorization), and the recursion
:math:`T_{n+1} = 2\tilde H T_n - T_{n-1}` overwrites :math:`T_{n-1}` in place
(one array read and written at the same index, so no aliasing check fails).

Temporal blocking: one sweep over the slabs makes two Chebyshev steps. With
``A`` = :math:`T_{k-1}`, ``B`` = :math:`T_k`, slab x of step one
(``A <- 2 H~ B - A``) is followed by slab x - 1 of step two
(``B <- 2 H~ A - B``), which needs ``A`` on slabs x - 2 .. x only. Slab 0 of
step two needs slab L_x - 1 of step one (periodic wrap), so step two's slabs
L_x - 1 and 0 are done after the sweep; until then ``B`` on those slabs still
holds :math:`T_k`, which step one's first and last slabs read. Each array is
thus read and written once per two steps instead of once per step.

Determinism: every element is written from a fixed expression, and the two
sums :math:`\sum_i T_k^2` and :math:`\sum_i T_{k+1} T_k` of each step are formed
per slab (rows in order, the row's inner sum vectorized in a fixed order) and
added in slab order afterwards, so a one-step and a two-step sweep give the same
bits. Vectors are independent tasks (``numba.prange`` over vectors, each
vector's whole recursion on one thread), so results do not depend on the
number of threads or on how vectors are grouped into blocks. The kernels are
compiled with ``fastmath={"reassoc", "contract"}`` (vectorized reductions and
fused multiply-adds), which fixes the summation order per compiled kernel, not
per run.
"""

from __future__ import annotations

import numba
import numpy as np

__all__ = ["real_moments", "real_shape"]

_FAST = {"reassoc", "contract"}


def real_shape(shape: tuple[int, ...], periodic: tuple[bool, ...]):
    """``(shape, periodic, active)`` as int64/bool arrays of length 3 in the module's layout:
    2D ``(L_x, 1, L_y)``, 1D ``(1, 1, L)``, 3D unchanged; padded axes inactive."""
    dim = len(shape)
    slots = {1: (2,), 2: (0, 2), 3: (0, 1, 2)}[dim]
    out_shape = np.ones(3, dtype=np.int64)
    out_periodic = np.zeros(3, dtype=np.bool_)
    active = np.zeros(3, dtype=np.bool_)
    for axis, slot in enumerate(slots):
        out_shape[slot] = shape[axis]
        out_periodic[slot] = periodic[axis]
        active[slot] = True
    return out_shape, out_periodic, active


@numba.njit(fastmath=_FAST, cache=True)
def _neighbour(index, length, periodic, active):
    """(index - 1, weight, index + 1, weight): wrapped, or the site itself with weight 0."""
    down, up = index - 1, index + 1
    w_down = 1.0 if active else 0.0
    w_up = w_down
    if down < 0:
        if periodic:
            down = length - 1
        else:
            down, w_down = index, 0.0
    if up >= length:
        if periodic:
            up = 0
        else:
            up, w_up = index, 0.0
    return down, w_down, up, w_up


@numba.njit(fastmath=_FAST, cache=True)
def _slab(x, dst, mid, onsite, shape, periodic, active, hop, alpha, shift, gamma):
    r"""``dst <- alpha ((H - shift) mid) + gamma dst`` on slab x; returns
    :math:`(\sum mid^2, \sum dst_{new}\,mid)` over the slab, rows in order."""
    lx, ly, lz = shape[0], shape[1], shape[2]
    xm, wxm, xp, wxp = _neighbour(x, lx, periodic[0], active[0])
    zm0, wzm0, zp0, wzp0 = _neighbour(0, lz, periodic[2], active[2])
    zm1, wzm1, zp1, wzp1 = _neighbour(lz - 1, lz, periodic[2], active[2])
    three = active[1]
    norm = 0.0
    cross = 0.0
    for y in range(ly):
        ym, wym, yp, wyp = _neighbour(y, ly, periodic[1], active[1])
        base = (x * ly + y) * lz
        row = mid[base : base + lz]
        down = mid[(xm * ly + y) * lz : (xm * ly + y) * lz + lz]
        up = mid[(xp * ly + y) * lz : (xp * ly + y) * lz + lz]
        left = mid[(x * ly + ym) * lz : (x * ly + ym) * lz + lz]
        right = mid[(x * ly + yp) * lz : (x * ly + yp) * lz + lz]
        out = dst[base : base + lz]
        energy = onsite[base : base + lz]
        row_norm = 0.0
        row_cross = 0.0
        if three:
            for z in range(1, lz - 1):
                c = row[z]
                total = row[z - 1] + row[z + 1] + wxm * down[z] + wxp * up[z]
                total += wym * left[z] + wyp * right[z]
                value = alpha * ((energy[z] - shift) * c + hop * total) + gamma * out[z]
                row_norm += c * c
                row_cross += value * c
                out[z] = value
        else:
            for z in range(1, lz - 1):
                c = row[z]
                total = row[z - 1] + row[z + 1] + wxm * down[z] + wxp * up[z]
                value = alpha * ((energy[z] - shift) * c + hop * total) + gamma * out[z]
                row_norm += c * c
                row_cross += value * c
                out[z] = value
        for end in range(2 if lz > 1 else 1):
            z, zm, wzm, zp, wzp = (0, zm0, wzm0, zp0, wzp0) if end == 0 else (
                lz - 1, zm1, wzm1, zp1, wzp1)  # fmt: skip
            c = row[z]
            total = wzm * row[zm] + wzp * row[zp] + wxm * down[z] + wxp * up[z]
            total += wym * left[z] + wyp * right[z]
            value = alpha * ((energy[z] - shift) * c + hop * total) + gamma * out[z]
            row_norm += c * c
            row_cross += value * c
            out[z] = value
        norm += row_norm
        cross += row_cross
    return norm, cross


@numba.njit(fastmath=_FAST, cache=True)
def _single(dst, mid, onsite, shape, periodic, active, hop, alpha, shift, gamma, sums):
    """One step over all slabs; per-slab sums into ``sums`` (L_x, 2)."""
    for x in range(shape[0]):
        sums[x, 0], sums[x, 1] = _slab(
            x, dst, mid, onsite, shape, periodic, active, hop, alpha, shift, gamma
        )


@numba.njit(fastmath=_FAST, cache=True)
def _double(first, second, onsite, shape, periodic, active, hop, alpha, shift, sums, later):
    """Two steps in one sweep (module docstring): ``first <- 2 H~ second - first``, then
    ``second <- 2 H~ first - second``; per-slab sums into ``sums`` and ``later``."""
    lx = shape[0]
    for x in range(lx):
        sums[x, 0], sums[x, 1] = _slab(
            x, first, second, onsite, shape, periodic, active, hop, alpha, shift, -1.0
        )
        if x >= 2:
            later[x - 1, 0], later[x - 1, 1] = _slab(
                x - 1, second, first, onsite, shape, periodic, active, hop, alpha, shift, -1.0
            )
    last = lx - 1
    later[last, 0], later[last, 1] = _slab(
        last, second, first, onsite, shape, periodic, active, hop, alpha, shift, -1.0
    )
    if lx > 1:
        later[0, 0], later[0, 1] = _slab(
            0, second, first, onsite, shape, periodic, active, hop, alpha, shift, -1.0
        )


@numba.njit(cache=True)
def _total(sums, column):
    out = 0.0
    for x in range(sums.shape[0]):
        out += sums[x, column]
    return out


@numba.njit(parallel=True, fastmath=_FAST, cache=True)
def _moments(block, onsite, shape, periodic, active, hop, a, b, moments, blocking, out):
    nvec, n = block.shape
    for task in numba.prange(nvec):
        j = np.int64(task)
        previous = np.zeros(n)
        current = block[j].copy()
        sums = np.empty((shape[0], 2))
        later = np.empty((shape[0], 2))
        # T_1 = H~ T_0 into the zeroed buffer: mu_0 = <T_0|T_0>, mu_1 = <T_1|T_0>
        _single(previous, current, onsite, shape, periodic, active, hop, 1.0 / a, b, 0.0, sums)
        mu0 = _total(sums, 0)
        mu1 = _total(sums, 1)
        out[j, 0] = mu0
        if moments > 1:
            out[j, 1] = mu1
        current, previous = previous, current
        products = (moments - 2) // 2  # steps k = 1 .. products give mu_2k, mu_2k+1
        k = 1
        while k <= products:
            if blocking and k + 1 <= products:
                _double(previous, current, onsite, shape, periodic, active, hop, 2.0 / a, b,
                        sums, later)  # fmt: skip
                out[j, 2 * k] = 2.0 * _total(sums, 0) - mu0
                out[j, 2 * k + 1] = 2.0 * _total(sums, 1) - mu1
                out[j, 2 * k + 2] = 2.0 * _total(later, 0) - mu0
                out[j, 2 * k + 3] = 2.0 * _total(later, 1) - mu1
                k += 2  # current = T_k+2 stays in place, previous = T_k+1
            else:
                _single(previous, current, onsite, shape, periodic, active, hop, 2.0 / a, b,
                        -1.0, sums)  # fmt: skip
                out[j, 2 * k] = 2.0 * _total(sums, 0) - mu0
                out[j, 2 * k + 1] = 2.0 * _total(sums, 1) - mu1
                current, previous = previous, current
                k += 1
        if moments % 2 == 1 and moments > 2:  # mu_{M-1} = 2 <T_k|T_k> - mu_0, k = (M-1)/2
            norm = 0.0
            for x in range(shape[0]):
                slab = shape[1] * shape[2]
                part = 0.0
                for i in range(x * slab, (x + 1) * slab):
                    part += current[i] * current[i]
                norm += part
            out[j, moments - 1] = 2.0 * norm - mu0


def real_moments(
    block: np.ndarray,
    onsite: np.ndarray,
    shape,
    periodic,
    hopping: float,
    scale: tuple[float, float],
    moments: int,
    blocking: bool = True,
) -> np.ndarray:
    r""":math:`\langle v_j|T_n(\tilde H)|v_j\rangle` for real vectors ``block[j]``, shape (V, M).

    Parameters
    ----------
    block : numpy.ndarray
        (V, N) float64 start vectors, one per row (sites in C order of ``shape``).
    onsite : numpy.ndarray
        (N,) site energies (units of t).
    shape, periodic : sequence
        Lattice lengths and periodicity per axis (d = 1, 2, 3).
    hopping : float
        t: the bond element of H is -t on every bond (real H).
    scale : (float, float)
        ``(a, b)``, :math:`\tilde H = (H - b)/a`.
    moments : int
        M >= 1.
    blocking : bool
        Two steps per sweep (default); False makes one step per sweep, same bits.

    Returns
    -------
    numpy.ndarray
        (V, M) unnormalised moments, thread-count and block independent (module doc).
    """
    block = np.ascontiguousarray(block, dtype=np.float64)
    onsite = np.ascontiguousarray(onsite, dtype=np.float64)
    padded, padded_periodic, active = real_shape(tuple(shape), tuple(periodic))
    out = np.zeros((block.shape[0], moments))
    a, b = scale
    _moments(block, onsite, padded, padded_periodic, active, -float(hopping), float(a),
             float(b), int(moments), bool(blocking), out)  # fmt: skip
    return out
