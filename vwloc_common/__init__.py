"""Small helpers shared by the science packages (``lattice``, ``theory``, ``compare``).

DESIGN.md section 1 forbids ``lattice`` and ``theory`` to import each other,
and ``compare`` to import ``lattice``; what all of them need lives here
instead of in three copies. This package imports none of the four packages
(the structure test checks it), does no I/O and holds no state.

- :mod:`vwloc_common.checks`: argument validation, one ``ValueError`` naming the
  parameter and the offending value.
- :mod:`vwloc_common.vocabulary`: the names and symbols of a lattice point's
  parameters (``disorder`` / ``W``, ``fermi_energy`` / ``E_F``, ...).
"""

from vwloc_common.checks import (
    check_array,
    check_choice,
    check_dimension,
    check_finite,
    check_grid,
    check_positive,
    check_positive_int,
    check_time_scale,
)

__all__ = [
    "check_array",
    "check_choice",
    "check_dimension",
    "check_finite",
    "check_grid",
    "check_positive",
    "check_positive_int",
    "check_time_scale",
]
