"""Lattice -> continuum mapping: clean DOS, filling, D_f and the Born parameters."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.integrate import quad

from theory.exact1d import berezinskii_time, thouless_localization_length
from theory.mapping import (
    clean_density_of_states,
    clean_filling,
    fermi_stiffness,
    map_lattice,
)

#: Central differences with h = 1e-4 of smooth quadrature results: error ~ h^2 + eps/h.
DERIVATIVE_TOL = 1e-7
#: Normalisation integral of the DOS with integrable edge / van Hove singularities.
NORM_TOL = 1e-9


@pytest.mark.parametrize("dim", [1, 2, 3])
def test_density_of_states_is_normalised(dim) -> None:
    band = 2.0 * dim
    singular = {1: [], 2: [0.0], 3: [-2.0, 2.0]}[dim]
    total, _ = quad(
        lambda e: clean_density_of_states(dim, e),
        -band * (1 - 1e-15),
        band * (1 - 1e-15),
        points=singular or None,
        limit=400,
        epsabs=1e-12,
    )
    assert total == pytest.approx(1.0, abs=NORM_TOL)


@pytest.mark.parametrize(
    "dim, energy", [(1, 0.3), (1, -1.7), (2, 0.4), (2, -2.9), (3, 0.0), (3, 2.5), (3, -4.8)]
)
def test_filling_and_stiffness_are_consistent_with_the_dos(dim, energy) -> None:
    """dn/dE = rho (filling folded from the chain, rho elliptic/folded) and dD_f/dE = -E rho/d."""
    h = 1e-4
    rho = clean_density_of_states(dim, energy)
    dn = (clean_filling(dim, energy + h) - clean_filling(dim, energy - h)) / (2 * h)
    dd = (fermi_stiffness(dim, energy + h) - fermi_stiffness(dim, energy - h)) / (2 * h)
    assert dn == pytest.approx(rho, rel=DERIVATIVE_TOL)
    assert dd == pytest.approx(-energy * rho / dim, abs=DERIVATIVE_TOL)


def test_known_values() -> None:
    # half filling: n = 1/2 in every d; chain D_f(0) = 2/pi; cubic rho(0) = 0.14267...
    for dim in (1, 3):
        assert clean_filling(dim, 0.0) == pytest.approx(0.5, abs=1e-13)
    assert clean_filling(2, 1e-9) == pytest.approx(0.5, abs=1e-8)
    assert fermi_stiffness(1, 0.0) == pytest.approx(2.0 / math.pi, rel=1e-15)
    assert clean_density_of_states(3, 0.0) == pytest.approx(0.1426729827, rel=1e-9)
    # square lattice near the band bottom: rho -> 1/(4 pi t)
    assert clean_density_of_states(2, -4.0 + 1e-9) == pytest.approx(1 / (4 * math.pi), rel=1e-8)


@pytest.mark.parametrize("energy", [0.0, 0.5, -1.2])
def test_chain_mapping_closed_forms(energy) -> None:
    w = 0.7
    m = map_lattice(1, w, energy)
    assert m.fermi_velocity == pytest.approx(math.sqrt(4 - energy**2), rel=1e-14)
    assert m.mean_free_path == pytest.approx(6 * (4 - energy**2) / w**2, rel=1e-14)
    # Thouless xi = 4 l, and the theory's r0 = 2 l (docs/theory.md)
    assert thouless_localization_length(energy, w) == pytest.approx(4 * m.mean_free_path)
    # ... = 2 l_b with Berezinskii's backscattering mean free path l_b = v_F tau_b, tau_b = 2 tau
    # of the mapping's Born time (docs/theory.md section 6a)
    l_b = m.fermi_velocity * berezinskii_time(m.tau)
    assert thouless_localization_length(energy, w) == pytest.approx(2 * l_b, rel=1e-14)
    assert m.parameters.cooperon_coupling == pytest.approx(1.0, rel=1e-14)
    assert m.parameters.n_over_m == pytest.approx(m.stiffness, rel=1e-14)
    # docs/conventions.md section 12, by hand (not through the code's own rho):
    # rho = 1/(pi v_F), 1/tau = W^2/(6 v_F), D0 = 6 v_F^3/W^2, E_F = (pi n_c/2) v_F,
    # lambda = W^2/(6 pi^2 n_c v_F^2), n = arccos(-E/2)/pi
    v_f = math.sqrt(4 - energy**2)
    n_c = min(math.acos(-energy / 2) / math.pi, 1 - math.acos(-energy / 2) / math.pi)
    assert m.density_of_states == pytest.approx(1 / (math.pi * v_f), rel=1e-14)
    assert m.tau == pytest.approx(6 * v_f / w**2, rel=1e-14)
    assert m.stiffness == pytest.approx(v_f / math.pi, rel=1e-14)
    assert m.diffusion_constant == pytest.approx(6 * v_f**3 / w**2, rel=1e-14)
    assert m.continuum_fermi_energy == pytest.approx(0.5 * math.pi * n_c * v_f, rel=1e-14)
    assert m.coupling == pytest.approx(w**2 / (6 * math.pi**2 * n_c * v_f**2), rel=1e-14)


def test_chain_mapping_numbers_at_w1_e05() -> None:
    """W = 1, E = 0.5, values computed by hand: rho = 1/(pi sqrt 3.75) = 0.16437451841640,
    tau = 6 sqrt 3.75 = 11.618950038622, l = 6 * 3.75 = 22.5,
    lambda = 1/(6 pi^2 * 3.75 * (1 - arccos(-1/4)/pi)) = 0.010732822667789
    (so Thouless xi = 4 l = 90 and the theory's r0 = 2 l = 45)."""
    m = map_lattice(1, 1.0, 0.5)
    assert m.density_of_states == pytest.approx(0.16437451841640, rel=1e-12)
    assert m.tau == pytest.approx(11.618950038622, rel=1e-12)
    assert m.mean_free_path == pytest.approx(22.5, rel=1e-14)
    assert m.coupling == pytest.approx(0.010732822667789, rel=1e-12)


@pytest.mark.parametrize("dim, energy", [(1, 0.3), (2, -1.0), (3, 0.5)])
def test_born_relations(dim, energy) -> None:
    w = 0.9
    box, gauss = map_lattice(dim, w, energy), map_lattice(dim, w, energy, kind="gaussian")
    assert box.parameters == gauss.parameters  # same variance, same Born rate
    rho = box.density_of_states
    assert 1.0 / box.tau == pytest.approx(2 * math.pi * rho * w**2 / 12, rel=1e-14)
    assert box.fermi_velocity**2 / dim == pytest.approx(box.stiffness / rho, rel=1e-14)
    assert box.diffusion_constant == pytest.approx(box.stiffness / rho * box.tau, rel=1e-14)
    carriers = min(box.filling, 1 - box.filling)
    assert box.continuum_fermi_energy == pytest.approx(dim * carriers / (2 * rho), rel=1e-14)
    assert box.coupling == pytest.approx(1 / (2 * math.pi * box.continuum_fermi_energy * box.tau))
    # lambda scales as W^2
    assert map_lattice(dim, 2 * w, energy).coupling == pytest.approx(4 * box.coupling)


def test_particle_hole_symmetry() -> None:
    for dim, energy in [(1, 0.8), (2, 1.3), (3, 1.1)]:
        a, b = map_lattice(dim, 1.0, energy), map_lattice(dim, 1.0, -energy)
        np.testing.assert_allclose(
            [a.tau, a.mean_free_path, a.coupling, a.diffusion_constant],
            [b.tau, b.mean_free_path, b.coupling, b.diffusion_constant],
            rtol=1e-10,
        )


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(dim=1, disorder=1.0, energy=2.0), "energy"),
        (dict(dim=3, disorder=1.0, energy=-7.0), "energy"),
        (dict(dim=2, disorder=1.0, energy=0.0), "van Hove"),
        (dict(dim=2, disorder=0.0, energy=1.0), "disorder"),
        (dict(dim=2, disorder=1.0, energy=1.0, kind="cauchy"), "kind"),
        (dict(dim=2, disorder=1.0, energy=float("nan")), "energy"),
        (dict(dim=5, disorder=1.0, energy=1.0), "dim"),
        (dict(dim=2, disorder=1.0, energy=1.0, hopping=-1.0), "hopping"),
    ],
)
def test_bad_input(kwargs, match) -> None:
    with pytest.raises(ValueError, match=match):
        map_lattice(**kwargs)


@pytest.mark.parametrize("energy", [-3.1, -0.7, 0.9, 2.5])
def test_square_lattice_against_a_brillouin_zone_sum(energy) -> None:
    """Filling and D_f from the elliptic DOS vs a direct k-grid sum (an independent route)."""
    size = 2000
    k = 2 * np.pi * (np.arange(size) + 0.5) / size
    cos_x, cos_y = np.cos(k)[:, None], np.cos(k)[None, :]
    occupied = -2.0 * (cos_x + cos_y) < energy
    filling = occupied.mean()
    stiffness = (occupied * 2.0 * cos_x).mean()
    # the Fermi-surface step gives grid errors ~ 1/size^1.5 (observed <= 2e-5 here)
    assert clean_filling(2, energy) == pytest.approx(filling, abs=1e-4)
    assert fermi_stiffness(2, energy) == pytest.approx(stiffness, abs=1e-4)
