"""Exact numerics for disordered tight-binding lattices (the Anderson and Edwards models).

Conventions (units, signs, normalisations) are stated in ``docs/conventions.md``.
The package never reads or writes files and never prints: it takes and returns
arrays and small result objects.

The modules, by group (the names below are the stable public namespace):

- models and disorder: :mod:`~lattice.models.model` (``AndersonModel``),
  :mod:`~lattice.models.bonds` (the one bond rule of every engine),
  :mod:`~lattice.models.disorder`, :mod:`~lattice.models.seeding`, :mod:`~lattice.models.defaults`;
- exact diagonalization and its observables: :mod:`~lattice.exact.spectrum`,
  :mod:`~lattice.exact.transitions`, :mod:`~lattice.exact.kubo`, :mod:`~lattice.exact.response`,
  :mod:`~lattice.exact.polarizability`, :mod:`~lattice.exact.dos`, :mod:`~lattice.exact.sum_rules`,
  :mod:`~lattice.models.occupation`, :mod:`~lattice.exact.joint` (one spectrum, several
  observables), :mod:`~lattice.models.averaging`;
- transfer matrices: :mod:`~lattice.transfer_matrix.transfer`,
  :mod:`~lattice.transfer_matrix.scaling`
  (crossings, critical fits, 2D collapse);
- the declarations: :mod:`~lattice.observables`, every observable once
  (settings, outputs, axes, units, engines), from which the batch shell builds
  configs, tasks and archives (``docs/architecture.md``).

Compiled kernels are private (``_kernels``, ``_response_kernels``,
``_transfer_kernels``), each next to a Python reference.
"""

from lattice.exact.dos import density_of_states
from lattice.exact.joint import joint_observables
from lattice.exact.kubo import complex_conductivity, conductivity, dynamic_polarizability
from lattice.exact.polarizability import static_polarizability
from lattice.exact.response import DensityResponse, density_response
from lattice.exact.spectrum import Spectrum, diagonalize, diagonalize_matrix
from lattice.exact.sum_rules import drude_weight, f_sum_rule, kinetic_coefficient
from lattice.models.averaging import DisorderAverage, disorder_average, realization_indices
from lattice.models.model import AndersonModel
from lattice.transfer_matrix.scaling import (
    CollapseResult,
    CriticalFit,
    CrossingResult,
    crossing_points,
    fit_critical_scaling,
    scaling_collapse_2d,
)
from lattice.transfer_matrix.transfer import (
    LocalizationResult,
    localization_length,
    localization_lengths,
)

__all__ = [
    "AndersonModel",
    "CollapseResult",
    "CriticalFit",
    "CrossingResult",
    "LocalizationResult",
    "crossing_points",
    "fit_critical_scaling",
    "localization_length",
    "localization_lengths",
    "scaling_collapse_2d",
    "DensityResponse",
    "DisorderAverage",
    "Spectrum",
    "complex_conductivity",
    "conductivity",
    "drude_weight",
    "dynamic_polarizability",
    "f_sum_rule",
    "kinetic_coefficient",
    "static_polarizability",
    "diagonalize",
    "density_of_states",
    "density_response",
    "joint_observables",
    "diagonalize_matrix",
    "disorder_average",
    "realization_indices",
]
