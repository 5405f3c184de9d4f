"""The Chebyshev engine (``engine="kpm"``): matrix-free expansions for large lattices.

:mod:`~lattice.chebyshev.operators` applies H, J_a and K_a to blocks of
vectors through the numba stencil :mod:`~lattice.chebyshev._stencil`
(DOS moments of real H: :mod:`~lattice.chebyshev._real_stencil`);
:mod:`~lattice.chebyshev.kpm` computes Chebyshev moments, the current
correlation and from them the DOS, sigma(w), chi(q, w) and alpha(0) with a
stochastic error. Imports only :mod:`lattice.models`.
"""

__all__: list[str] = []
