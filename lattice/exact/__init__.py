"""Exact diagonalization (``engine="dense"`` and ``"sparse"``) and the observables' entry points.

:mod:`~lattice.exact.spectrum` diagonalizes (dense LAPACK, MRRR for chains,
or the sparse window solver :mod:`~lattice.exact.sparse_window`);
:mod:`~lattice.exact.transitions` forms the current matrix elements in an
energy window; from them :mod:`~lattice.exact.kubo` (sigma(w)),
:mod:`~lattice.exact.response` (chi(q, w)),
:mod:`~lattice.exact.polarizability` (alpha(0)), :mod:`~lattice.exact.dos`
and :mod:`~lattice.exact.sum_rules`; :mod:`~lattice.exact.joint` evaluates
several observables on one diagonalization per realization. The public
functions dispatch ``engine="kpm"`` to :mod:`lattice.chebyshev`. Compiled
kernels: ``_kernels``, ``_response_kernels``.
"""

__all__: list[str] = []
