"""Transfer matrices: localization lengths of chains, strips and bars, and their scaling.

:mod:`~lattice.transfer_matrix.transfer` (QR-reorthogonalized products,
Lyapunov exponents, ``localization_length``; compiled kernels in
``_transfer_kernels``) and :mod:`~lattice.transfer_matrix.scaling` (crossings,
critical fits, the 2D one-parameter collapse). Imports only
:mod:`lattice.models`.
"""

__all__: list[str] = []
