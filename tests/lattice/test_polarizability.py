"""Static polarizability: position route == Kramers-Kronig route, closed form, bad input."""

import numpy as np
import pytest

from lattice.exact.polarizability import static_polarizability
from lattice.models.model import AndersonModel

#: Two routes to alpha(0): identical pair by pair, so only rounding separates them.
ROUTES_TOL = 1e-10


@pytest.mark.parametrize(
    ("kwargs", "temperature"),
    [
        (dict(dim=1, L=60, boundary="open", disorder=1.0), 0.0),
        (dict(dim=1, L=40, boundary="open", disorder=2.0), 0.3),
        (dict(dim=2, L=(6, 5), boundary=("open", "periodic"), disorder=2.0, flux=0.2), 0.0),
        (dict(dim=3, L=(4, 3, 3), boundary="open", disorder=4.0, kind="gaussian"), 0.0),
    ],
)
def test_position_and_kramers_kronig_routes_agree(kwargs, temperature, mid_gap) -> None:
    model = AndersonModel(**kwargs)
    fermi = mid_gap(model, 0, 5, near=0.2)
    routes = {
        route: static_polarizability(
            model, fermi, realizations=3, seed=5, route=route, temperature=temperature
        )
        for route in ("position", "kubo")
    }
    np.testing.assert_allclose(routes["kubo"].values, routes["position"].values, rtol=ROUTES_TOL)
    assert np.all(routes["kubo"].values > 0)
    np.testing.assert_array_equal(routes["kubo"].realizations, [0, 1, 2])


def test_realization_alone_is_bit_identical_to_batch() -> None:
    model = AndersonModel(dim=2, L=(5, 4), boundary="open", disorder=2.0)
    batch = static_polarizability(model, 0.1, realizations=3, seed=21, route="position")
    alone = static_polarizability(model, 0.1, realizations=[1], seed=21, route="position")
    assert alone.values[0] == batch.values[1]


def test_degenerate_levels_at_finite_temperature_form_no_transition() -> None:
    """Clean 2x2 square: levels -2, 0, 0, 2; the split-by-rounding pair at 0 carries
    f'(0)|J|^2/w^3 of pure noise unless treated as degenerate."""
    model = AndersonModel(dim=2, L=2, boundary="open")
    kubo, position = (
        static_polarizability(model, 0.0, realizations=1, route=r, temperature=1.0).values[0]
        for r in ("kubo", "position")
    )
    assert kubo == pytest.approx(position, rel=ROUTES_TOL)


def test_two_site_molecule_closed_form() -> None:
    """One particle on two sites: alpha = t^2 / Delta^3, Delta = sqrt(deps^2 + 4 t^2)."""
    model = AndersonModel(dim=1, L=2, boundary="open", disorder=3.0, hopping=0.7)
    for realization in range(3):
        eps = model.onsite_energies(realization, seed=1)
        gap = np.hypot(eps[1] - eps[0], 2 * 0.7)
        fermi = 0.5 * (eps[0] + eps[1])
        result = static_polarizability(model, fermi, realizations=[realization], seed=1)
        assert result.values[0] == pytest.approx(0.7**2 / gap**3, rel=1e-13)


def test_constant_shift_with_fermi_energy_leaves_alpha_unchanged() -> None:
    clean = AndersonModel(dim=2, L=(6, 4), boundary="open")
    shifted = AndersonModel(dim=2, L=(6, 4), boundary="open", kind="constant", disorder=1.3)
    for route in ("kubo", "position"):
        np.testing.assert_allclose(
            static_polarizability(shifted, 0.2 + 1.3, realizations=1, route=route).values,
            static_polarizability(clean, 0.2, realizations=1, route=route).values,
            rtol=ROUTES_TOL,
        )


def test_window_converges_to_full_value() -> None:
    model = AndersonModel(dim=1, L=120, boundary="open", disorder=1.5)
    full = static_polarizability(model, 0.05, realizations=[1], seed=2).values[0]
    windowed = [
        static_polarizability(model, 0.05, realizations=[1], seed=2, w_max=w).values[0]
        for w in (1.0, 2.0, 5.0)
    ]
    # pairs with larger w add positive weight ~ 1/w^3: monotone approach from below
    assert windowed[0] < windowed[1] < windowed[2] <= full * (1 + 1e-12)
    assert windowed[2] == pytest.approx(full, rel=1e-12)  # 5 t covers the whole band


def test_bad_route_and_periodic_position_are_rejected() -> None:
    model = AndersonModel(dim=1, L=6, boundary="periodic")
    with pytest.raises(ValueError, match="route"):
        static_polarizability(model, route="dipole", realizations=1)
    with pytest.raises(ValueError, match="axis=0 periodic"):
        static_polarizability(model, route="position", realizations=1)
