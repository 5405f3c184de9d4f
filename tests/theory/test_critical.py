"""d = 3: the mobility edge of Eq. (42) and the metallic D(0)/D0."""

from __future__ import annotations

import math

import numpy as np
import pytest

from theory.critical import (
    critical_cooperon_coupling,
    critical_coupling,
    critical_disorder,
    metallic_diffusion_ratio,
)
from theory.eq42 import cooperon_integral_at_zero, solve_eq42
from theory.localized import localization_properties
from theory.mapping import map_lattice
from theory.parameters import TheoryParameters


@pytest.mark.parametrize("cutoff", [0.5, 1.0, 3.0])
@pytest.mark.parametrize("fraction", [0.01, 0.3, 0.9, 0.999])
def test_metallic_diffusion_constant(cutoff, fraction) -> None:
    lam_c = critical_coupling(cutoff)
    params = TheoryParameters.from_lambda(3, fraction * lam_c, cutoff)
    expected = 1.0 - fraction**2
    assert metallic_diffusion_ratio(params) == pytest.approx(expected, rel=1e-12)
    # the sqrt(omega) law of d = 3: D/D0 = (1 - Phi(0)) + (G/4 pi) sqrt(-i omega tau D0/D)
    w = 1e-16
    omega = w / params.tau * np.array([1.0, 4.0])
    ratio = solve_eq42(params, omega).diffusion_ratio
    slope = params.cooperon_coupling / (4 * math.pi)
    first_order = slope * np.sqrt(-1j * omega * params.tau / expected)
    np.testing.assert_allclose(ratio - expected, first_order, rtol=1e-3)
    assert not localization_properties(params).localized


def test_weak_disorder_is_metallic_with_d_to_d0() -> None:
    for lam in (1e-2, 1e-3, 1e-4):
        params = TheoryParameters.from_lambda(3, lam)
        ratio = solve_eq42(params, 1e-10 / params.tau).diffusion_ratio[0]
        assert abs(ratio - 1.0) < 4.0 * 3 * math.pi * lam**2  # 1 - D/D0 = 3 pi lambda^2 x0


def test_mobility_edge_is_p_f_l_sqrt_3_over_pi() -> None:
    lam_c = critical_coupling(1.0)
    assert 1.0 / (math.pi * lam_c) == pytest.approx(math.sqrt(3.0 / math.pi), rel=1e-15)
    below = TheoryParameters.from_lambda(3, lam_c * (1 - 1e-9))
    above = TheoryParameters.from_lambda(3, lam_c * (1 + 1e-6))
    assert not localization_properties(below).localized
    limits = localization_properties(above)
    assert limits.localized and limits.localization_length > 1e5 * above.mean_free_path


def test_localization_length_diverges_linearly_at_the_edge() -> None:
    """r0 ~ 1/(Phi(0) - 1) (nu = 1 of the self-consistent theory)."""
    lam_c = critical_coupling(1.0)
    products = []
    for eps in (1e-3, 1e-4, 1e-5):
        params = TheoryParameters.from_lambda(3, lam_c * (1 + eps))
        excess = cooperon_integral_at_zero(params) - 1.0
        products.append(localization_properties(params).localization_length * excess)
    assert products[-1] == pytest.approx(products[-2], rel=1e-4)


def test_critical_disorder_of_the_cubic_lattice() -> None:
    w_c = critical_disorder(0.5)
    params = map_lattice(3, w_c, 0.5).parameters
    assert params.cooperon_coupling == pytest.approx(critical_cooperon_coupling(params), rel=1e-12)
    assert not localization_properties(map_lattice(3, 0.99 * w_c, 0.5).parameters).localized
    assert localization_properties(map_lattice(3, 1.01 * w_c, 0.5).parameters).localized


def test_mobility_edge_needs_three_dimensions() -> None:
    with pytest.raises(ValueError, match="dim"):
        metallic_diffusion_ratio(TheoryParameters.from_lambda(2, 0.1))
    with pytest.raises(ValueError, match="cutoff"):
        critical_coupling(-1.0)
