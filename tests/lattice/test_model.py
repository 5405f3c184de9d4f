"""AndersonModel: closed-form clean spectra, current operator, Peierls phases, bad input."""

import numpy as np
import pytest

from lattice.models.model import AndersonModel

#: Eigenvalues from LAPACK vs closed forms, units of t (a few ulps of the bandwidth).
SPECTRUM_TOL = 1e-12
#: Central finite difference dH/dA with step 1e-5: truncation h^2/6 ~ 2e-11.
DERIVATIVE_TOL = 1e-9


def eigenvalues(model: AndersonModel, **kwargs) -> np.ndarray:
    return np.linalg.eigvalsh(model.hamiltonian(**kwargs).toarray())


@pytest.mark.parametrize("length", [1, 2, 5, 8])
def test_clean_ring_with_twist_is_cosine_band(length: int) -> None:
    twist = 0.37
    model = AndersonModel(dim=1, L=length, boundary="periodic", twist=twist, hopping=1.3)
    k = (2 * np.pi * np.arange(length) + twist) / length
    expected = np.sort(-2 * 1.3 * np.cos(k))
    np.testing.assert_allclose(eigenvalues(model), expected, atol=SPECTRUM_TOL)


def test_clean_open_chain_and_periodic_square_lattice() -> None:
    chain = AndersonModel(dim=1, L=9, boundary="open")
    expected = np.sort(-2 * np.cos(np.pi * np.arange(1, 10) / 10))
    np.testing.assert_allclose(eigenvalues(chain), expected, atol=SPECTRUM_TOL)
    square = AndersonModel(dim=2, L=(4, 6), boundary=("periodic", "open"))
    kx = 2 * np.pi * np.arange(4) / 4
    ky = np.pi * np.arange(1, 7) / 7
    expected = np.sort((-2 * np.cos(kx)[:, None] - 2 * np.cos(ky)[None, :]).ravel())
    np.testing.assert_allclose(eigenvalues(square), expected, atol=SPECTRUM_TOL)


def test_cubic_lattice_band_edges_and_trace() -> None:
    model = AndersonModel(dim=3, L=4, disorder=2.0, kind="gaussian")
    eps = model.onsite_energies(realization=3, seed=11)
    hamiltonian = model.hamiltonian(realization=3, seed=11)
    assert hamiltonian.dtype == np.float64
    np.testing.assert_allclose(hamiltonian.diagonal(), eps)
    # six neighbours per site, each hopping -t
    np.testing.assert_allclose(np.asarray(hamiltonian.sum(axis=1)) - eps, -6.0)


def test_pi_flux_spectrum_closed_form() -> None:
    """Half a flux quantum per plaquette: E = +-2t sqrt(cos^2 kx + cos^2 ky)."""
    model = AndersonModel(dim=2, L=(6, 4), flux=0.5)
    kx = 2 * np.pi * np.arange(3) / 6
    ky = 2 * np.pi * np.arange(4) / 4
    band = 2 * np.sqrt(np.cos(kx)[:, None] ** 2 + np.cos(ky)[None, :] ** 2).ravel()
    np.testing.assert_allclose(
        eigenvalues(model), np.sort(np.concatenate([band, -band])), atol=SPECTRUM_TOL
    )


@pytest.mark.parametrize("boundary", ["open", "periodic"])
def test_flux_per_plaquette_is_the_wilson_loop(boundary: str) -> None:
    flux = 0.25
    model = AndersonModel(dim=3, L=(4, 3, 2), flux=flux, boundary=boundary)
    matrix = model.hopping_matrix().toarray()
    index = np.arange(model.n_sites).reshape(model.shape)
    checked = 0
    for x in range(model.shape[0] - (boundary == "open")):
        for y in range(model.shape[1] - (boundary == "open")):
            x1, y1 = (x + 1) % model.shape[0], (y + 1) % model.shape[1]
            a, b, c, d = index[x, y, 0], index[x1, y, 0], index[x1, y1, 0], index[x, y1, 0]
            # hop a -> b -> c -> d -> a (counter-clockwise); H_ji = -t e^{i theta_ji}
            loop = matrix[b, a] * matrix[c, b] * matrix[d, c] * matrix[a, d]
            assert loop == pytest.approx(np.exp(2j * np.pi * flux), abs=1e-14)
            checked += 1
    assert checked > 0


def test_landau_gauge_equals_symmetric_gauge_spectrum() -> None:
    """Gauge invariance: the same flux in the symmetric gauge, built by hand."""
    flux, lx, ly = 0.13, 5, 4
    model = AndersonModel(dim=2, L=(lx, ly), flux=flux, boundary="open", disorder=1.5)
    eps = model.onsite_energies(realization=2, seed=5)
    index = np.arange(model.n_sites).reshape(lx, ly)
    symmetric = np.diag(eps).astype(complex)
    for x in range(lx):
        for y in range(ly):
            if x + 1 < lx:  # A = B/2 (-y, x): theta_x = -pi flux y
                symmetric[index[x + 1, y], index[x, y]] = -np.exp(-1j * np.pi * flux * y)
            if y + 1 < ly:  # theta_y = +pi flux x
                symmetric[index[x, y + 1], index[x, y]] = -np.exp(1j * np.pi * flux * x)
    symmetric = np.tril(symmetric, -1) + np.tril(symmetric, -1).conj().T + np.diag(eps)
    np.testing.assert_allclose(
        eigenvalues(model, realization=2, seed=5),
        np.linalg.eigvalsh(symmetric),
        atol=SPECTRUM_TOL,
    )


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(dim=1, L=7, boundary="periodic", twist=0.4),
        dict(dim=2, L=(4, 3), flux=0.25, boundary="periodic"),
        dict(dim=3, L=(2, 3, 2), boundary=("periodic", "open", "periodic"), flux=0.5),
    ],
)
def test_current_operator_is_derivative_of_h(kwargs) -> None:
    model = AndersonModel(disorder=1.0, **kwargs)
    step = 1e-5
    plus = model.hamiltonian(realization=0, seed=1, vector_potential=step)
    minus = model.hamiltonian(realization=0, seed=1, vector_potential=-step)
    derivative = ((plus - minus) / (2 * step)).toarray()
    current = model.current_operator(axis=0).toarray()
    assert np.abs(derivative - current).max() < DERIVATIVE_TOL
    np.testing.assert_array_equal(current, current.conj().T)
    # second derivative of H is -K_x
    second = ((plus - 2 * model.hamiltonian(0, 1) + minus) / step**2).toarray()
    assert np.abs(second + model.kinetic_operator(0).toarray()).max() < 1e-5


def test_open_boundary_current_is_commutator_with_position() -> None:
    model = AndersonModel(dim=2, L=(4, 5), boundary="open", flux=0.2, disorder=2.0)
    hamiltonian = model.hamiltonian(realization=4, seed=9).toarray()
    for axis in (0, 1):
        position = np.diag(model.position_operator(axis))
        commutator = 1j * (position @ hamiltonian - hamiltonian @ position)
        np.testing.assert_allclose(model.current_operator(axis).toarray(), commutator, atol=1e-15)


def test_realizations_are_reproducible_and_distinct() -> None:
    model = AndersonModel(dim=2, L=5, disorder=3.0)
    first = model.onsite_energies(realization=2, seed=42)
    np.testing.assert_array_equal(first, model.onsite_energies(realization=2, seed=42))
    assert not np.array_equal(first, model.onsite_energies(realization=3, seed=42))
    assert np.abs(first).max() <= 1.5


def test_constant_disorder_is_uniform_shift() -> None:
    model = AndersonModel(dim=2, L=3, disorder=-0.7, kind="constant")
    np.testing.assert_array_equal(model.onsite_energies(), np.full(9, -0.7))


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        (dict(dim=1, L=0), "L"),
        (dict(dim=0, L=3), "dim"),
        (dict(dim=4, L=3), "dim"),
        (dict(dim=2, L=(3, -1)), "L"),
        (dict(dim=2, L=(3, 3, 3)), "L"),
        (dict(dim=1, L=3, disorder=-1.0), "disorder"),
        (dict(dim=1, L=3, disorder=float("nan")), "disorder"),
        (dict(dim=1, L=3, kind="lorentz"), "kind"),
        (dict(dim=1, L=3, boundary="twisted"), "boundary"),
        (dict(dim=1, L=3, flux=0.1), "flux"),
        (dict(dim=2, L=3, flux=0.1), "flux"),
        (dict(dim=2, L=3, flux=float("inf"), boundary="open"), "flux"),
        (dict(dim=1, L=3, boundary="open", twist=0.1), "twist"),
        (dict(dim=1, L=3, hopping=0.0), "hopping"),
    ],
)
def test_bad_input_names_the_parameter(kwargs, name: str) -> None:
    with pytest.raises(ValueError, match=name):
        AndersonModel(**kwargs)


def test_bad_axis_and_periodic_position_are_rejected() -> None:
    model = AndersonModel(dim=2, L=3, boundary=("open", "periodic"))
    with pytest.raises(ValueError, match="axis"):
        model.current_operator(axis=2)
    with pytest.raises(ValueError, match="axis=1"):
        model.position_operator(axis=1)
