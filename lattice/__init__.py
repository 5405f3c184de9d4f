"""Exact numerics for disordered tight-binding lattices (the Anderson and Edwards models).

Conventions (units, signs, normalisations) are stated in ``docs/conventions.md``.
The package never reads or writes files and never prints: it takes and returns
arrays and small result objects.
"""

from lattice.averaging import DisorderAverage, disorder_average, realization_indices
from lattice.dos import density_of_states
from lattice.joint import joint_observables
from lattice.kubo import complex_conductivity, conductivity, dynamic_polarizability
from lattice.model import AndersonModel
from lattice.polarizability import static_polarizability
from lattice.response import DensityResponse, density_response
from lattice.scaling import (
    CollapseResult,
    CriticalFit,
    CrossingResult,
    crossing_points,
    fit_critical_scaling,
    scaling_collapse_2d,
)
from lattice.spectrum import Spectrum, diagonalize, diagonalize_matrix
from lattice.sum_rules import drude_weight, f_sum_rule, kinetic_coefficient
from lattice.transfer import LocalizationResult, localization_length, localization_lengths

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
