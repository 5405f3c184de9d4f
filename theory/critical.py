r"""The d = 3 mobility edge of Eq. (42) and the metallic diffusion constant below it.

In d = 3 the k-sum of Eq. (42) is finite at s = 0:
:math:`\Phi(0) = G K_0/(2\pi^2)`. For :math:`\Phi(0) < 1` (metal)
:math:`m(0) = 1/(1 - \Phi(0))`, so :math:`D(0)/D_0 = 1 - \Phi(0)`; for
:math:`\Phi(0) > 1` the states are localized (:func:`theory.eq42.zero_frequency_root`).
For free electrons :math:`\Phi(0) = 3\pi\lambda^2 x_0`, so the mobility edge is
:math:`\lambda_c = (3\pi x_0)^{-1/2}` and :math:`D(0)/D_0 = 1 - (\lambda/\lambda_c)^2`;
with :math:`x_0 = k_0 l = 1` this is :math:`p_F l = \sqrt{3/\pi}`. On the lattice
:math:`G \propto \tau^{-2} \propto W^4`, so the critical disorder at energy E is
:math:`W_c = W (G_c/G)^{1/4}` with :math:`G_c = 2\pi^2/K_0`.
"""

from __future__ import annotations

import math

from theory.eq42 import cooperon_integral_at_zero
from theory.mapping import map_lattice
from theory.parameters import TheoryParameters
from vwloc_common.checks import check_positive, check_time_scale

__all__ = [
    "critical_coupling",
    "critical_cooperon_coupling",
    "metallic_diffusion_ratio",
    "critical_disorder",
]


def _require_three_dimensions(params: TheoryParameters) -> None:
    if params.dim != 3:
        raise ValueError(f"the mobility edge of Eq. (42) exists only in dim 3, got {params.dim}")


def critical_coupling(cutoff: float = 1.0) -> float:
    r"""Free-electron mobility edge :math:`\lambda_c = 1/\sqrt{3\pi x_0}` (d = 3).

    Parameters
    ----------
    cutoff : float
        :math:`x_0 = k_0 l` (dimensionless, > 0).
    """
    return 1.0 / math.sqrt(3.0 * math.pi * check_positive("cutoff", cutoff))


def critical_cooperon_coupling(params: TheoryParameters) -> float:
    r""":math:`G_c = 2\pi^2/K_0`: localized iff :math:`G > G_c` (d = 3, dimensionless)."""
    _require_three_dimensions(params)
    return 2.0 * math.pi**2 / params.reduced_cutoff


def metallic_diffusion_ratio(params: TheoryParameters) -> float:
    r""":math:`D(0)/D_0 = \max(0, 1 - \Phi(0))` for infinite tau_s and tau_inel (d = 3)."""
    _require_three_dimensions(params)
    return max(0.0, 1.0 - cooperon_integral_at_zero(params))


def critical_disorder(
    energy: float, kind: str = "box", hopping: float = 1.0, cutoff: float | None = None
) -> float:
    r"""Critical disorder :math:`W_c(E)` of the cubic Anderson model in this theory (units of t).

    Uses the Born mapping of :func:`theory.mapping.map_lattice` at W = 1 and
    :math:`G \propto W^4`. Weak-disorder theory: :math:`W_c` comes out of order
    the bandwidth, where the Born mapping is only qualitative.
    """
    mapping = map_lattice(
        3,
        1.0,
        energy,
        kind=kind,
        hopping=hopping,
        cutoff=None if cutoff is None else check_time_scale("cutoff", cutoff),
    )
    params = mapping.parameters
    return (critical_cooperon_coupling(params) / params.cooperon_coupling) ** 0.25
