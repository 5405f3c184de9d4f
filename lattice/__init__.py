"""Exact numerics for disordered tight-binding lattices (the Anderson and Edwards models).

Conventions (units, signs, normalisations) are stated in ``docs/conventions.md``.
The package never reads or writes files and never prints: it takes and returns
arrays and small result objects.
"""

__all__: list[str] = []
