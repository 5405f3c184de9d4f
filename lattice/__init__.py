"""Exact numerics for disordered tight-binding lattices (the Anderson and Edwards models).

Conventions (units, signs, normalisations) are stated in ``docs/conventions.md``.
The package never reads or writes files and never prints: it takes and returns
arrays and small result objects.

The modules live in one subpackage per engine, each importing only the groups
below it (``docs/architecture.md``; the structure test checks it); the names
exported here are the stable public namespace, whatever the grouping:

- :mod:`lattice.models`: the model and disorder, shared by every engine
  (``AndersonModel``, the one bond rule, disorder, seeding, ``DisorderAverage``,
  occupation, defaults);
- :mod:`lattice.chebyshev`: the matrix-free Chebyshev engine (``engine="kpm"``);
- :mod:`lattice.exact`: exact diagonalization (``engine="dense"``, ``"sparse"``)
  and the observables' entry points (sigma, chi, alpha, DOS, sum rules, joint),
  which hand ``engine="kpm"`` to :mod:`lattice.chebyshev`;
- :mod:`lattice.transfer_matrix`: localization lengths and finite-size scaling;
- at the top, :mod:`lattice.observables`, every observable declared once
  (settings, outputs, axes, units, engines), from which the batch shell builds
  configs, tasks and archives, and :mod:`lattice.raw`, the raw data of the
  sparse and kpm engines and its reprocessing.

Compiled kernels are private to their group (``_kernels``, ``_response_kernels``,
``_stencil``, ``_transfer_kernels``), each next to a Python reference.
"""

from lattice.chebyshev.kpm import DrudePeakWarning
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
    "DrudePeakWarning",
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
