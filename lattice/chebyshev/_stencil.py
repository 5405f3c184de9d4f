r"""Matrix-free nearest-neighbour stencils on blocks of vectors (numba), beside references.

One kernel, :func:`stencil_apply`, computes for every site ``i`` and column ``k``

.. math::

    \mathrm{out}_{ik} = \alpha\Big[(d_i - s + \lambda_k g_i)\,v_{ik} + \sum_a \big(c_a\,v_{i-e_a,k}
        + \bar c_a\,v_{i+e_a,k}\big)\Big] + \gamma\,p_{ik},
    \qquad \mathrm{acc}_{ik} \mathrel{+}= \beta\,\mathrm{out}_{ik},

the action of a Hermitian nearest-neighbour operator whose element on the bond
from ``r`` to ``r + e_a`` is :math:`c_a` at ``(r + e_a, r)`` and
:math:`\bar c_a` back (:mod:`lattice.models.model` convention). ``c_x`` may differ per
column (a per-column vector potential on the x bonds), :math:`\lambda_k g_i` is an
optional per-column diagonal perturbation, ``c_y`` per x coordinate
(Landau-gauge Peierls phase), ``c_z`` is one number. Sites are in C order of the
shape ``(L_x, L_y, L_z)`` (missing axes have length 1 and are switched off).
With ``alpha = 2/a``, ``s = b``, ``gamma = -1`` and ``out`` aliasing ``prev``
this is one Chebyshev recursion step :math:`T_{n+1} = 2\tilde H T_n - T_{n-1}`
in place; ``acc`` accumulates a Chebyshev series on the fly.

Every output element is written by one thread from a fixed expression, so the
result does not depend on the number of threads. :func:`block_dot` reduces
over fixed chunks of sites (independent of the thread count) and adds the
chunk partial sums in order, so it is deterministic too.
"""

from __future__ import annotations

import types

import numba
import numpy as np

__all__ = [
    "DOT_CHUNK",
    "PAIR_CHUNKS",
    "PARALLEL_THRESHOLD",
    "block_dot",
    "planar_apply",
    "planar_series",
    "real_planar_series",
    "reference_block_dot",
    "stencil_apply",
]

#: Sites per partial sum of :func:`block_dot` (fixed, so sums are thread-count independent).
DOT_CHUNK = 8192


def _stencil_apply(
    out, vec, prev, acc, diag, shift, shape, periodic, active, cx, cy, cz, alpha, gamma, beta,
    profile, strength, flags,
):  # fmt: skip
    """One fused stencil application (module docstring).

    ``flags`` bits: 1 = use ``diag``, 2 = add ``gamma * prev``, 4 = accumulate
    ``beta * out`` into ``acc``, 8 = add the per-column diagonal perturbation
    ``strength[k] * profile[i]`` to ``diag``. ``out`` may alias ``prev`` (not ``vec``).
    """
    lx, ly, lz = shape[0], shape[1], shape[2]
    ncol = vec.shape[1]
    use_diag = (flags & 1) != 0
    use_prev = (flags & 2) != 0
    use_acc = (flags & 4) != 0
    use_profile = (flags & 8) != 0
    axis_y = active[1]
    axis_z = active[2]
    cxc = np.conj(cx)
    czc = np.conj(cz)
    for x_index in numba.prange(lx):
        # numba types a parallel loop index as unsigned; unsigned - signed is float64
        x = np.int64(x_index)
        xm = x - 1
        xp = x + 1
        has_xm = active[0]
        has_xp = active[0]
        if xm < 0:
            if periodic[0]:
                xm = lx - 1
            else:
                has_xm = False
        if xp >= lx:
            if periodic[0]:
                xp = 0
            else:
                has_xp = False
        c1 = cy[x]
        c1c = np.conj(c1)
        for y in range(ly):
            ym = y - 1
            yp = y + 1
            has_ym = active[1]
            has_yp = active[1]
            if ym < 0:
                if periodic[1]:
                    ym = ly - 1
                else:
                    has_ym = False
            if yp >= ly:
                if periodic[1]:
                    yp = 0
                else:
                    has_yp = False
            for z in range(lz):
                zm = z - 1
                zp = z + 1
                has_zm = active[2]
                has_zp = active[2]
                if zm < 0:
                    if periodic[2]:
                        zm = lz - 1
                    else:
                        has_zm = False
                if zp >= lz:
                    if periodic[2]:
                        zp = 0
                    else:
                        has_zp = False
                i = (x * ly + y) * lz + z
                # absent neighbours: coefficient 0 on the site itself (branch-free loop)
                ixm = (xm * ly + y) * lz + z if has_xm else i
                ixp = (xp * ly + y) * lz + z if has_xp else i
                iym = (x * ly + ym) * lz + z if has_ym else i
                iyp = (x * ly + yp) * lz + z if has_yp else i
                izm = (x * ly + y) * lz + zm if has_zm else i
                izp = (x * ly + y) * lz + zp if has_zp else i
                wym = c1 if has_ym else 0.0j
                wyp = c1c if has_yp else 0.0j
                wzm = cz if has_zm else 0.0j
                wzp = czc if has_zp else 0.0j
                d = diag[i] - shift if use_diag else 0.0
                for k in range(ncol):
                    wxm = cx[k] if has_xm else 0.0j
                    wxp = cxc[k] if has_xp else 0.0j
                    total = d * vec[i, k] + wxm * vec[ixm, k] + wxp * vec[ixp, k]
                    if axis_y:
                        total += wym * vec[iym, k] + wyp * vec[iyp, k]
                    if axis_z:
                        total += wzm * vec[izm, k] + wzp * vec[izp, k]
                    if use_profile:
                        total += strength[k] * profile[i] * vec[i, k]
                    total *= alpha
                    if use_prev:
                        total += gamma * prev[i, k]
                    out[i, k] = total
                    if use_acc:
                        acc[i, k] += beta * total


def _block_dot(left, right, weight):
    r"""Column-wise :math:`\sum_i \bar l_{ik} w_i r_{ik}` (complex), deterministic (module
    doc); ``weight`` (n,) real, or empty for :math:`w_i = 1`."""
    n, ncol = left.shape
    weighted = weight.size > 0
    nchunk = (n + DOT_CHUNK - 1) // DOT_CHUNK
    partial = np.zeros((nchunk, ncol), dtype=np.complex128)
    for c in numba.prange(nchunk):
        start = c * DOT_CHUNK
        stop = min(n, start + DOT_CHUNK)
        real = np.zeros(ncol)
        imag = np.zeros(ncol)
        for i in range(start, stop):
            scale = weight[i] if weighted else 1.0
            for k in range(ncol):
                a = left[i, k]
                b = right[i, k] * scale
                real[k] += a.real * b.real + a.imag * b.imag
                imag[k] += a.real * b.imag - a.imag * b.real
        for k in range(ncol):
            partial[c, k] = real[k] + 1j * imag[k]
    total = np.zeros(ncol, dtype=np.complex128)
    for c in range(nchunk):
        for k in range(ncol):
            total[k] += partial[c, k]
    return total


@numba.njit(inline="always")
def _planar_site(out, vec, prev, acc, i, im, ip, jm, jp, wo_m, wo_p, wi_m, wi_p, colo, coli,
                 rc, d, alpha, gamma, beta, profile, strength, flags, dots, x):  # fmt: skip
    """One site of :func:`_planar_apply` (all columns); absent neighbours have w = 0."""
    rcc = np.conj(rc)
    for k in range(vec.shape[1]):
        co = colo[k]
        ci = coli[k]
        total = (
            d * vec[i, k]
            + (wo_m * co) * vec[im, k]
            + (wo_p * np.conj(co)) * vec[ip, k]
            + (wi_m * rc * ci) * vec[jm, k]
            + (wi_p * rcc * np.conj(ci)) * vec[jp, k]
        )
        if flags & 8:
            total += strength[k] * profile[i] * vec[i, k]
        total *= alpha
        if flags & 2:
            total += gamma * prev[i, k]
        if flags & 16:
            old = vec[i, k]
            dots[x, 0, k] += np.conj(old) * old
            dots[x, 1, k] += np.conj(total) * old
        out[i, k] = total
        if flags & 4:
            acc[i, k] += beta * total


def _planar_apply(
    out, vec, prev, acc, diag, shift, lo, li, per_o, per_i, act_o, act_i, colo, rowi, coli,
    alpha, gamma, beta, profile, strength, flags, dots,
):  # fmt: skip
    """The stencil of a lattice with at most two axes, outer (length ``lo``) and inner
    (``li``, contiguous): coefficient ``colo[k]`` on outer bonds and
    ``rowi[x] * coli[k]`` on inner bonds; interior sites without branches. Flag 16
    adds, per outer row x, sum(conj(v) v) and sum(conj(out) v) to
    ``dots[x, 0]`` and ``dots[x, 1]`` (row partial sums: thread-count independent)."""
    use_diag = (flags & 1) != 0
    for x_index in numba.prange(lo):
        # numba types a parallel loop index as unsigned; unsigned - signed is float64
        x = np.int64(x_index)
        xm = x - 1
        xp = x + 1
        wo_m = 1.0 + 0.0j if act_o else 0.0j
        wo_p = wo_m
        if xm < 0:
            if per_o:
                xm = lo - 1
            else:
                wo_m = 0.0j
                xm = x
        if xp >= lo:
            if per_o:
                xp = 0
            else:
                wo_p = 0.0j
                xp = x
        rc = rowi[x]
        base = x * li
        offm = (xm - x) * li
        offp = (xp - x) * li
        w_in = 1.0 + 0.0j if act_i else 0.0j
        for end in range(2 if li > 1 else 1):
            y = 0 if end == 0 else li - 1
            i = base + y
            ym = y - 1
            yp = y + 1
            wm = w_in
            wp = w_in
            if ym < 0:
                if per_i:
                    ym = li - 1
                else:
                    wm = 0.0j
                    ym = y
            if yp >= li:
                if per_i:
                    yp = 0
                else:
                    wp = 0.0j
                    yp = y
            d = diag[i] - shift if use_diag else 0.0
            _planar_site(out, vec, prev, acc, i, i + offm, i + offp, base + ym, base + yp,
                         wo_m, wo_p, wm, wp, colo, coli, rc, d, alpha, gamma, beta,
                         profile, strength, flags, dots, x)  # fmt: skip
        for y in range(1, li - 1):
            i = base + y
            d = diag[i] - shift if use_diag else 0.0
            _planar_site(out, vec, prev, acc, i, i + offm, i + offp, i - 1, i + 1,
                         wo_m, wo_p, w_in, w_in, colo, coli, rc, d, alpha, gamma, beta,
                         profile, strength, flags, dots, x)  # fmt: skip


#: Below this many vector entries (N x R) the serial compilation is used: the cost of
#: waking the thread pool exceeds the work (results are identical either way).
PARALLEL_THRESHOLD = 1 << 16


def _parallel(size: int) -> bool:
    """Whether a block of ``size`` entries takes the parallel compilation: large enough,
    and more than one numba thread (on one thread the serial compilation is up to 20 %
    faster per pass: measured 4.45 against 5.34 ns per site and column at L = 512)."""
    return size >= PARALLEL_THRESHOLD and numba.get_num_threads() > 1


def _compilations(function) -> tuple:
    """(parallel, serial) numba compilations of ``function``, cached on disk under two
    names (``<name>_parallel``, ``<name>_serial``).

    numba's cache files are named by a function's qualified name and first line, and an
    entry is keyed by its signature, not by ``parallel``: two compilations of one Python
    function share one cache entry, and the first one saved (the serial compilation,
    when a small lattice comes first) is then loaded for both, so the "parallel"
    kernel runs on one thread. A renamed copy of the function for each gives each its
    own entry."""
    out = []
    for parallel, suffix in ((True, "parallel"), (False, "serial")):
        copy = types.FunctionType(
            function.__code__, function.__globals__, f"{function.__name__}_{suffix}",
            function.__defaults__, function.__closure__,
        )  # fmt: skip
        copy.__qualname__ = f"{function.__qualname__}_{suffix}"
        copy.__doc__ = function.__doc__
        out.append(numba.njit(parallel=parallel, cache=True)(copy))
    return tuple(out)


_apply_parallel, _apply_serial = _compilations(_stencil_apply)
_planar_parallel, _planar_serial = _compilations(_planar_apply)
_dot_parallel, _dot_serial = _compilations(_block_dot)
_NO_WEIGHT = np.empty(0)


def stencil_apply(out, vec, *args):
    """One fused stencil application (see :func:`_stencil_apply`); serial for small blocks."""
    kernel = _apply_parallel if _parallel(vec.size) else _apply_serial
    kernel(out, vec, *args)


def planar_apply(out, vec, *args):
    """The stencil of a 1D or 2D lattice (see :func:`_planar_apply`); serial for small
    blocks."""
    kernel = _planar_parallel if _parallel(vec.size) else _planar_serial
    kernel(out, vec, *args)


def block_dot(left: np.ndarray, right: np.ndarray, weight: np.ndarray | None = None) -> np.ndarray:
    """Column-wise conjugated dot products, with the diagonal ``weight`` (N,) between the
    two if given (see :func:`_block_dot`); serial for small blocks."""
    kernel = _dot_parallel if _parallel(left.size) else _dot_serial
    return kernel(left, right, _NO_WEIGHT if weight is None else weight)


def reference_block_dot(
    left: np.ndarray, right: np.ndarray, weight: np.ndarray | None = None
) -> np.ndarray:
    """NumPy version of :func:`block_dot` (summation order differs: agrees to rounding)."""
    if weight is not None:
        right = weight[:, None] * right
    return np.einsum("ik,ik->k", left.conj(), right)


# ---------------------------------------------------------------------------------------
# Whole Chebyshev series in one call (Clenshaw), for the time steps and the Fermi
# projection of the KPM conductivity: one pass over memory per term, no Python per term.


@numba.njit(inline="always")
def _clenshaw_site(dest, src, old, vec, i, im, ip, jm, jp, om, op, imn, ipn, d, alpha, c,
                   flags):  # fmt: skip
    """``dest[i] = c vec[i] + alpha (H~ src)[i] - old[i]`` for all columns (flags: 1 use
    ``old``, 2 add ``c vec``); ``om``/``op`` outer and ``imn``/``ipn`` inner coefficients."""
    for k in range(src.shape[1]):
        h = (
            d * src[i, k]
            + om[k] * src[im, k]
            + op[k] * src[ip, k]
            + imn[k] * src[jm, k]
            + ipn[k] * src[jp, k]
        )
        h *= alpha
        if flags & 1:
            h -= old[i, k]
        if flags & 2:
            h += c[k] * vec[i, k]
        dest[i, k] = h


def _clenshaw_pass(dest, src, old, vec, diag, lo, li, per_o, per_i, co, ci, zero, alpha, c,
                   flags):  # fmt: skip
    """One Clenshaw pass over a lattice with at most two axes (outer length ``lo``, inner
    ``li`` contiguous): outer bonds carry ``co[k]`` (to x - 1) and its conjugate, inner
    bonds ``ci[x, k]``; an inactive axis has zero coefficients. ``dest`` may alias ``old``."""
    for x_index in numba.prange(lo):
        x = np.int64(x_index)
        xm = x - 1
        xp = x + 1
        om = co
        op = np.conj(co)
        if xm < 0:
            if per_o:
                xm = lo - 1
            else:
                xm = x
                om = zero
        if xp >= lo:
            if per_o:
                xp = 0
            else:
                xp = x
                op = zero
        row_m = ci[x]
        row_p = np.conj(row_m)
        base = x * li
        offm = (xm - x) * li
        offp = (xp - x) * li
        for end in range(2 if li > 1 else 1):
            y = 0 if end == 0 else li - 1
            i = base + y
            ym = y - 1
            yp = y + 1
            imn = row_m
            ipn = row_p
            if ym < 0:
                if per_i:
                    ym = li - 1
                else:
                    ym = y
                    imn = zero
            if yp >= li:
                if per_i:
                    yp = 0
                else:
                    yp = y
                    ipn = zero
            _clenshaw_site(dest, src, old, vec, i, i + offm, i + offp, base + ym, base + yp,
                           om, op, imn, ipn, diag[i], alpha, c, flags)  # fmt: skip
        for y in range(1, li - 1):
            i = base + y
            _clenshaw_site(dest, src, old, vec, i, i + offm, i + offp, i - 1, i + 1,
                           om, op, row_m, row_p, diag[i], alpha, c, flags)  # fmt: skip


def _scale_copy(out, vec, c):
    """``out = c vec`` (``c`` one weight per column)."""
    for i in numba.prange(vec.shape[0]):
        for k in range(vec.shape[1]):
            out[i, k] = c[k] * vec[i, k]


_pass_parallel, _pass_serial = _compilations(_clenshaw_pass)
_copy_parallel, _copy_serial = _compilations(_scale_copy)


def planar_series(vec, work_a, work_b, diag, lo, li, per_o, per_i, co, ci, coefficients):
    r"""``sum_n c_n T_n(H~) vec`` for a lattice with at most two axes, by Clenshaw's
    recurrence :math:`b_n = c_n v + 2\tilde H b_{n+1} - b_{n+2}`, result
    :math:`c_0 v + \tilde H b_1 - b_2`: one pass over memory per term (reads v,
    :math:`b_{n+1}`, :math:`b_{n+2}`, writes :math:`b_n` over :math:`b_{n+2}`), against
    two more streams for the forward recursion with an accumulator.

    ``diag`` (real, (N,)), ``co`` (complex, (R,): outer bond to x - 1, per column) and
    ``ci`` (complex, (L_outer, R): inner bond to y - 1, per outer row and column) are
    those of :math:`\tilde H = (H - b)/a`; an inactive axis has zero coefficients.
    ``coefficients`` (complex, (K, R)): each column's series (several series of one
    length K, zero-padded at high order, which leaves a column's bits unchanged).
    ``work_a``, ``work_b``: scratch shaped like ``vec``; the result is written into one of
    them, which is returned (``vec`` is not modified). Every element is written by one
    thread from a fixed expression: bit-identical for any thread count and block size.
    """
    parallel = _parallel(vec.size)
    step = _pass_parallel if parallel else _pass_serial
    copy = _copy_parallel if parallel else _copy_serial
    count = coefficients.shape[0]
    zero = np.zeros(vec.shape[1], dtype=np.complex128)
    if count == 1:
        copy(work_a, vec, coefficients[0])
        return work_a
    first, second = work_a, work_b  # b_{n+1}, b_{n+2}
    copy(first, vec, coefficients[count - 1])
    flags = 2  # b_{K-2} = c v + 2 H~ b_{K-1}: no b_K
    for n in range(count - 2, 0, -1):
        step(second, first, second, vec, diag, lo, li, per_o, per_i, co, ci, zero, 2.0,
             coefficients[n], flags)  # fmt: skip
        flags = 3
        first, second = second, first
    step(second, first, second, vec, diag, lo, li, per_o, per_i, co, ci, zero, 1.0,
         coefficients[0], flags)  # fmt: skip
    return second


# ---------------------------------------------------------------------------------------
# The same Clenshaw series for a real Hamiltonian (no flux, twist or vector potential):
# complex vectors viewed as float64 (N, 2R), real hoppings, so the stencil needs no
# complex products and its inner loop runs over contiguous floats (it vectorizes).


@numba.njit(inline="always")
def _real_clenshaw_site(dest, src, old, vec, i, im, ip, jm, jp, om, op, imn, ipn, d, alpha,
                        c, flags):  # fmt: skip
    """:func:`_clenshaw_site` on float views (re, im interleaved per column) with real
    bond coefficients ``om``, ``op``, ``imn``, ``ipn``: the same expression in the same
    order, so the same bits."""
    for k in range(c.size):
        r = 2 * k
        s = r + 1
        hr = d * src[i, r] + om * src[im, r] + op * src[ip, r] + imn * src[jm, r]
        hs = d * src[i, s] + om * src[im, s] + op * src[ip, s] + imn * src[jm, s]
        hr = (hr + ipn * src[jp, r]) * alpha
        hs = (hs + ipn * src[jp, s]) * alpha
        if flags & 1:
            hr -= old[i, r]
            hs -= old[i, s]
        if flags & 2:
            hr += c[k].real * vec[i, r] - c[k].imag * vec[i, s]
            hs += c[k].real * vec[i, s] + c[k].imag * vec[i, r]
        dest[i, r] = hr
        dest[i, s] = hs


@numba.njit(inline="always")
def _real_clenshaw_row(x, dest, src, old, vec, diag, lo, li, per_o, per_i, co, ci, alpha, c,
                       flags):  # fmt: skip
    """Outer row ``x`` of :func:`_clenshaw_pass` on float views with real bond coefficients
    ``co`` (outer) and ``ci`` (inner); open ends have coefficient 0 on the site itself."""
    xm = x - 1
    xp = x + 1
    om = co
    op = co
    if xm < 0:
        if per_o:
            xm = lo - 1
        else:
            xm = x
            om = 0.0
    if xp >= lo:
        if per_o:
            xp = 0
        else:
            xp = x
            op = 0.0
    base = x * li
    offm = (xm - x) * li
    offp = (xp - x) * li
    for end in range(2 if li > 1 else 1):
        y = 0 if end == 0 else li - 1
        i = base + y
        ym = y - 1
        yp = y + 1
        imn = ci
        ipn = ci
        if ym < 0:
            if per_i:
                ym = li - 1
            else:
                ym = y
                imn = 0.0
        if yp >= li:
            if per_i:
                yp = 0
            else:
                yp = y
                ipn = 0.0
        _real_clenshaw_site(dest, src, old, vec, i, i + offm, i + offp, base + ym, base + yp,
                            om, op, imn, ipn, diag[i], alpha, c, flags)  # fmt: skip
    for y in range(1, li - 1):
        i = base + y
        _real_clenshaw_site(dest, src, old, vec, i, i + offm, i + offp, i - 1, i + 1,
                            om, op, ci, ci, diag[i], alpha, c, flags)  # fmt: skip


def _real_clenshaw_pass(dest, src, old, vec, diag, lo, li, per_o, per_i, co, ci, alpha, c,
                        flags):  # fmt: skip
    """One Clenshaw pass (:func:`_clenshaw_pass`) on float views, real bonds."""
    for x_index in numba.prange(lo):
        _real_clenshaw_row(np.int64(x_index), dest, src, old, vec, diag, lo, li, per_o,
                           per_i, co, ci, alpha, c, flags)  # fmt: skip


def _real_clenshaw_pair(first, second, vec, diag, lo, li, per_o, per_i, co, ci, c_high,
                        c_low, starts):  # fmt: skip
    r"""Two Clenshaw terms in one sweep over memory (temporal blocking), float views:
    ``second`` <- c_high v + 2 H~ ``first`` - ``second`` (:math:`b_n`), then
    ``first`` <- c_low v + 2 H~ ``second`` - ``first`` (:math:`b_{n-1}`).

    The outer rows are cut into chunks at ``starts`` (the last entry is ``lo``). Within
    a chunk, row x of the first term is followed by row x - 1 of the second, which needs
    the first term's rows x - 2 .. x only, while ``first`` row x - 1 is no longer read
    by the first term; a chunk's two end rows of the second term wait for a second
    loop, so that no chunk overwrites a row its neighbour's first term still reads. The
    arrays are thus read and written once per two terms (5 streams instead of 8);
    every element is the same expression as in two :func:`_real_clenshaw_pass` calls,
    so the bits do not depend on the chunks.
    """
    for chunk in numba.prange(starts.size - 1):
        x0 = starts[chunk]
        x1 = starts[chunk + 1]
        for x in range(x0, x1):
            _real_clenshaw_row(x, second, first, second, vec, diag, lo, li, per_o, per_i,
                               co, ci, 2.0, c_high, 3)  # fmt: skip
            if x - 1 > x0 and x - 1 < x1 - 1:
                _real_clenshaw_row(x - 1, first, second, first, vec, diag, lo, li, per_o,
                                   per_i, co, ci, 2.0, c_low, 3)  # fmt: skip
    for chunk in numba.prange(starts.size - 1):  # the end rows: x0 and x1 - 1 (once)
        x0 = starts[chunk]
        for x in range(x0, starts[chunk + 1], max(1, starts[chunk + 1] - 1 - x0)):
            _real_clenshaw_row(x, first, second, first, vec, diag, lo, li, per_o, per_i,
                               co, ci, 2.0, c_low, 3)  # fmt: skip


def _real_scale_copy(out, vec, c):
    """``out = c vec`` on float views (``c`` complex, one per column pair)."""
    for i in numba.prange(vec.shape[0]):
        for k in range(0, vec.shape[1], 2):
            weight = c[k // 2]
            out[i, k] = weight.real * vec[i, k] - weight.imag * vec[i, k + 1]
            out[i, k + 1] = weight.real * vec[i, k + 1] + weight.imag * vec[i, k]


_real_pass_parallel, _real_pass_serial = _compilations(_real_clenshaw_pass)
_real_pair_parallel, _real_pair_serial = _compilations(_real_clenshaw_pair)
_real_copy_parallel, _real_copy_serial = _compilations(_real_scale_copy)


#: Chunks of outer rows of the two-term Clenshaw sweep (:func:`_real_clenshaw_pair`): at
#: most this many, of at least 16 rows (the results do not depend on it).
PAIR_CHUNKS = 8


def _pair_starts(lo: int) -> np.ndarray:
    """Chunk boundaries (int64, the last one ``lo``) of :func:`_real_clenshaw_pair`."""
    chunks = max(1, min(PAIR_CHUNKS, lo // 16))
    return np.array([k * lo // chunks for k in range(chunks + 1)], dtype=np.int64)


def real_planar_series(vec, work_a, work_b, diag, lo, li, per_o, per_i, co, ci, coefficients):
    r""":func:`planar_series` for a real H~ with uniform real bonds ``co`` (outer axis) and
    ``ci`` (inner axis), on complex128 blocks: returns ``work_a`` or ``work_b``, whichever
    holds the result. Same bits as :func:`planar_series` with those (real) coefficients
    (the same expression in the same order; a real number times a complex one
    multiplies both parts by it), in about half the floating-point work; with at least
    4 outer rows, two terms per sweep over memory (:func:`_real_clenshaw_pair`)."""
    view, first, second = (a.view(np.float64) for a in (vec, work_a, work_b))
    parallel = _parallel(vec.size)
    step = _real_pass_parallel if parallel else _real_pass_serial
    pair = _real_pair_parallel if parallel else _real_pair_serial
    copy = _real_copy_parallel if parallel else _real_copy_serial
    rows = coefficients
    count = rows.shape[0]
    if count == 1:
        copy(first, view, rows[0])
        return work_a
    copy(first, view, rows[count - 1])
    holder = {id(first): work_a, id(second): work_b}
    grid = (diag, lo, li, per_o, per_i, co, ci)
    n = count - 2
    flags = 2  # b_{K-2} = c v + 2 H~ b_{K-1}: no b_K
    if n >= 1:
        step(second, first, second, view, *grid, 2.0, rows[n], flags)
        first, second = second, first
        n, flags = n - 1, 3
        if lo >= 4:  # two terms per sweep; the names first/second end where they began
            starts = _pair_starts(lo)
            while n >= 2:
                pair(first, second, view, *grid, rows[n], rows[n - 1], starts)
                n -= 2
        while n >= 1:
            step(second, first, second, view, *grid, 2.0, rows[n], flags)
            first, second = second, first
            n -= 1
    step(second, first, second, view, *grid, 1.0, rows[0], flags)
    return holder[id(second)]
