"""The Vollhardt-Woelfle self-consistent theory of Anderson localization.

Solves Eq. (42) of D. Vollhardt and P. Woelfle, Phys. Rev. B 22, 4666 (1980) for
the current relaxation kernel M(0, w) and derives the paper's predictions from
it; see ``docs/theory.md``. Never imports :mod:`lattice`, never prints or does
file I/O.

Modules: :mod:`theory.parameters` (continuum parameters), :mod:`theory.eq42`
(the solver), :mod:`theory.observables` (Eqs. 29-32, 37),
:mod:`theory.localized` (w0^2, r0, alpha(0), the w^2 law),
:mod:`theory.asymptotics` (derived and printed Eqs. 43-44),
:mod:`theory.critical` (d = 3 mobility edge), :mod:`theory.mapping`
(lattice -> continuum), :mod:`theory.magnetic` (flux -> 1/tau_s),
:mod:`theory.exact1d` (exact 1D references; Berezinskii's time is the
backscattering time 2 tau, docs/theory.md section 6a), :mod:`theory.boundary` (the
conductivity of a sample closed along the field: classical charging at open ends).
"""

from theory.eq42 import Eq42Solution, solve_eq42
from theory.localized import LocalizationProperties, localization_properties
from theory.magnetic import magnetic_breaking_rate, with_magnetic_flux
from theory.mapping import LatticeMapping, map_lattice
from theory.parameters import TheoryParameters

__all__ = [
    "Eq42Solution",
    "LatticeMapping",
    "LocalizationProperties",
    "TheoryParameters",
    "localization_properties",
    "magnetic_breaking_rate",
    "map_lattice",
    "solve_eq42",
    "with_magnetic_flux",
]
