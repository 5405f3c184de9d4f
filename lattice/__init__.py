"""Exact numerics for disordered tight-binding lattices (the Anderson and Edwards models).

Conventions (units, signs, normalisations) are stated in ``docs/conventions.md``.
The package never reads or writes files and never prints: it takes and returns
arrays and small result objects.
"""

from lattice.averaging import DisorderAverage, disorder_average, realization_indices
from lattice.model import AndersonModel
from lattice.spectrum import Spectrum, diagonalize, diagonalize_matrix

__all__ = [
    "AndersonModel",
    "DisorderAverage",
    "Spectrum",
    "diagonalize",
    "diagonalize_matrix",
    "disorder_average",
    "realization_indices",
]
