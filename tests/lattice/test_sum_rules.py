"""D_f, the Drude weight from the twist curvature and the f-sum rule."""

import numpy as np
import pytest

from lattice.exact.spectrum import diagonalize
from lattice.exact.sum_rules import (
    drude_weight,
    f_sum_rule,
    kinetic_coefficient,
    twist_curvature,
)
from lattice.models.model import AndersonModel

#: f-sum rule on finite systems: exact identity; the curvature's rounding is
#: ~ eps ||H|| sqrt(N) / r^2 with r ~ gap/4 (sum_rules module docstring).
F_SUM_TOL = 1e-10
#: Fourth-order finite difference of E0(A), step 2e-3: truncation ~ h^4 E0^(6) ~ 1e-10.
FINITE_DIFFERENCE_TOL = 1e-7


@pytest.mark.parametrize("particles", [1, 7, 15, 21])
def test_clean_ring_closed_form(particles: int) -> None:
    """L-site ring, N_e odd (closed shell): D_f = (2/L) sin(pi N_e/L)/sin(pi/L) = D."""
    length = 31
    model = AndersonModel(dim=1, L=length)
    energies = np.linalg.eigvalsh(model.hamiltonian().toarray())
    fermi = 0.5 * (energies[particles - 1] + energies[particles])
    closed = (2 / length) * np.sin(np.pi * particles / length) / np.sin(np.pi / length)
    terms = f_sum_rule(model, fermi, realizations=1).values[0]
    regular, drude_peak, half_pi_d_f = terms
    assert half_pi_d_f == pytest.approx(0.5 * np.pi * closed, rel=1e-13)
    assert abs(regular) < 1e-13
    assert drude_peak == pytest.approx(0.5 * np.pi * closed, rel=F_SUM_TOL)
    # thermodynamic limit (2/pi) sin(pi n), approached as O(1/L^2)
    n = particles / length
    assert closed == pytest.approx(2 / np.pi * np.sin(np.pi * n), rel=2 / length**2)


@pytest.mark.parametrize("shape", [(5, 7), (3, 5, 7)])
def test_clean_torus_has_all_weight_in_drude_peak(shape, mid_gap) -> None:
    """Clean periodic 2D/3D: D = D_f = (2/N) sum_{k occupied} cos k_x, Re sigma_reg = 0."""
    model = AndersonModel(dim=len(shape), L=shape)
    fermi = mid_gap(model, 0, 0, near=-0.7)
    grids = np.meshgrid(*[2 * np.pi * np.arange(n) / n for n in shape], indexing="ij")
    band = -2 * sum(np.cos(k) for k in grids).ravel()
    occupied = band < fermi
    d_f = 2 * np.sum(np.cos(grids[0]).ravel()[occupied]) / model.n_sites
    regular, drude_peak, half_pi_d_f = f_sum_rule(model, fermi, realizations=1).values[0]
    assert half_pi_d_f == pytest.approx(0.5 * np.pi * d_f, rel=1e-13)
    assert abs(regular) < 1e-13
    assert drude_peak == pytest.approx(half_pi_d_f, rel=F_SUM_TOL)


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(dim=1, L=40, disorder=1.5),
        dict(dim=1, L=30, disorder=2.0, kind="gaussian", twist=0.7),
        dict(dim=2, L=(6, 5), disorder=2.0),
        dict(dim=2, L=(4, 6), disorder=1.0, flux=0.25),
        dict(dim=3, L=(4, 3, 3), disorder=3.0, boundary=("periodic", "open", "periodic")),
        dict(dim=2, L=(5, 4), disorder=2.0, boundary="open", flux=0.15),
    ],
)
def test_f_sum_rule_on_disordered_systems(kwargs, mid_gap) -> None:
    model = AndersonModel(**kwargs)
    for realization in range(2):
        fermi = mid_gap(model, realization, 3, near=-0.4)
        terms = f_sum_rule(model, fermi, realizations=[realization], seed=3).values[0]
        regular, drude_peak, half_pi_d_f = terms
        assert regular + drude_peak == pytest.approx(half_pi_d_f, rel=F_SUM_TOL)
        assert half_pi_d_f > 0
        if model.boundary[0] == "open":
            assert drude_peak == 0.0


def test_curvature_matches_finite_differences(mid_gap) -> None:
    model = AndersonModel(dim=2, L=(5, 4), disorder=2.0, flux=0.2)
    fermi = mid_gap(model, 1, 2, near=0.3)

    def energy(vector_potential: float) -> float:
        levels = np.linalg.eigvalsh(model.hamiltonian(1, 2, vector_potential).toarray())
        return float(np.sum(levels[levels < fermi]))

    h = 2e-3
    stencil = -energy(2 * h) + 16 * energy(h) - 30 * energy(0) + 16 * energy(-h) - energy(-2 * h)
    finite_difference = stencil / (12 * h * h)
    assert twist_curvature(model, fermi, 1, 2) == pytest.approx(
        finite_difference, rel=FINITE_DIFFERENCE_TOL
    )
    assert drude_weight(model, fermi, 1, 2) == pytest.approx(
        finite_difference / model.n_sites, rel=FINITE_DIFFERENCE_TOL
    )


def test_constant_shift_with_fermi_energy_leaves_sum_rule_unchanged(mid_gap) -> None:
    clean = AndersonModel(dim=2, L=(5, 3))
    shifted = AndersonModel(dim=2, L=(5, 3), kind="constant", disorder=-0.6)
    fermi = mid_gap(clean, 0, 0, near=0.5)
    np.testing.assert_allclose(
        f_sum_rule(shifted, fermi - 0.6, realizations=1).values,
        f_sum_rule(clean, fermi, realizations=1).values,
        rtol=F_SUM_TOL,
        atol=1e-14,
    )


def test_fermi_energy_on_a_level_and_open_axis_are_rejected() -> None:
    model = AndersonModel(dim=1, L=5, disorder=1.0)
    level = float(np.linalg.eigvalsh(model.hamiltonian().toarray())[2])
    with pytest.raises(ValueError, match="fermi_energy"):
        twist_curvature(model, level)
    with pytest.raises(ValueError, match="periodic x axis"):
        twist_curvature(AndersonModel(dim=1, L=5, boundary="open"), 0.1)
    with pytest.raises(ValueError, match="temperature"):
        f_sum_rule(model, 0.1, realizations=1, temperature=0.1)


def test_kinetic_coefficient_needs_full_spectrum() -> None:
    model = AndersonModel(dim=1, L=10, boundary="open")
    spectrum = diagonalize(model, window=(-1.0, 1.0))
    with pytest.raises(ValueError, match="window"):
        kinetic_coefficient(model, spectrum, 0.0)
