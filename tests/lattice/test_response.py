"""Density response chi(q, w): Lindhard limit, conservation, sum rules, compressibility."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lattice
from lattice.exact import _response_kernels as kernels
from lattice.exact.response import (
    allowed_wavevectors,
    density_response,
    density_response_of_spectrum,
)
from lattice.exact.spectrum import diagonalize
from lattice.models.occupation import fermi_occupation

#: Exact identities on finite systems (eigh and pair sums in float64), relative.
EXACT = 1e-10
#: Compiled kernels vs NumPy reference; the binned Taylor series is exact to ~1e-14.
KERNEL = 1e-12
OMEGA = np.linspace(0.0, 4.0, 9)


def fermi_between_levels(levels: np.ndarray, target: float) -> float:
    """The midpoint of the gap between distinct levels nearest to ``target``."""
    distinct = np.unique(np.round(levels, 10))
    i = int(np.clip(np.searchsorted(distinct, target), 1, distinct.size - 1))
    return 0.5 * (distinct[i - 1] + distinct[i])


def clean_levels(shape, twist=0.0) -> tuple[np.ndarray, callable]:
    """k grid and the tight-binding band e_k = -2 sum cos(k_a - theta_a), theta_x = twist / L_x."""
    grids = np.meshgrid(*[2 * np.pi * np.arange(n) / n for n in shape], indexing="ij")
    k = np.stack(grids, axis=-1).reshape(-1, len(shape))
    theta = np.zeros(len(shape))
    theta[0] = twist / shape[0]

    def band(kk):
        return -2.0 * np.cos(kk - theta).sum(axis=-1)

    return k, band


def lindhard(shape, q, omega, fermi_energy, eta, temperature=0.0, twist=0.0):
    """Independent k-sum: chi = (1/N) sum_k (f_{k+q} - f_k) / (w + e_k - e_{k+q} + i eta),
    and its static eta -> 0 limit (pairs with e_k = e_{k+q} dropped)."""
    k, band = clean_levels(shape, twist)
    chi, static = [], []
    for wavevector in np.atleast_2d(q):
        e_k, e_kq = band(k), band(k + wavevector)
        df = fermi_occupation(e_kq, fermi_energy, temperature) - fermi_occupation(
            e_k, fermi_energy, temperature
        )
        denominator = omega[:, None] + e_k - e_kq + 1j * eta
        chi.append((df / denominator).sum(axis=1) / k.shape[0])
        gap = e_k - e_kq
        keep = np.abs(gap) > 1e-9
        static.append((df[keep] / gap[keep]).sum() / k.shape[0])
    return np.array(chi), np.array(static)


CLEAN_CASES = [
    # shape, q list (in units of 2 pi / L per axis), E_F target, temperature, twist
    ((14,), [[0], [1], [3], [7]], 0.3, 0.0, 0.0),
    ((14,), [[1], [5]], -1.1, 0.25, 0.0),
    ((13,), [[1], [4], [-4]], 0.4, 0.0, 0.7),
    ((6, 4), [[1, 0], [2, 1], [3, 2], [0, 1]], -0.5, 0.0, 0.0),
    ((5, 6), [[1, 1], [2, -3]], 0.8, 0.3, 0.0),
]


@pytest.mark.parametrize(("shape", "m", "target", "temperature", "twist"), CLEAN_CASES)
def test_clean_lattice_equals_lindhard_k_sum(shape, m, target, temperature, twist) -> None:
    k, band = clean_levels(shape, twist)
    fermi = fermi_between_levels(band(k), target)
    q = 2 * np.pi * np.array(m, dtype=float) / np.array(shape)
    model = lattice.AndersonModel(dim=len(shape), L=shape, disorder=0.0, twist=twist)
    result = density_response(
        model, q, OMEGA, fermi_energy=fermi, eta=0.05, temperature=temperature, realizations=1
    )
    chi, static = lindhard(shape, q, OMEGA, fermi, 0.05, temperature, twist)
    scale = np.abs(chi).max()
    np.testing.assert_allclose(result.mean, chi, rtol=0, atol=EXACT * scale)
    np.testing.assert_allclose(result.static.mean, static, rtol=0, atol=EXACT * scale)


def test_twist_breaks_q_to_minus_q_symmetry_as_the_band_does() -> None:
    """With a twist the real-vector shortcut |<a|rho_q|b>| = |<a|rho_-q|b>| fails; the
    complex path must see it (chi(q) != chi(-q)), matching the shifted-band k-sum."""
    shape, twist = (9,), 1.0
    k, band = clean_levels(shape, twist)
    fermi = fermi_between_levels(band(k), 0.2)
    q = 2 * np.pi * np.array([2.0, -2.0]) / 9
    model = lattice.AndersonModel(dim=1, L=9, twist=twist)
    mean = density_response(model, q, OMEGA, fermi_energy=fermi, eta=0.05, realizations=1).mean
    assert np.abs(mean[0] - mean[1]).max() > 1e-3 * np.abs(mean).max()


DISORDERED = [
    lattice.AndersonModel(dim=2, L=(6, 5), disorder=3.0),
    lattice.AndersonModel(dim=2, L=(5, 4), disorder=2.0, boundary=("open", "periodic")),
    lattice.AndersonModel(dim=2, L=(6, 4), disorder=2.0, flux=0.5, kind="gaussian"),
    lattice.AndersonModel(dim=3, L=3, disorder=4.0, boundary="open"),
    lattice.AndersonModel(dim=1, L=17, disorder=1.5, boundary="open"),
]


def _some_wavevectors(model: lattice.AndersonModel) -> np.ndarray:
    """Zero, the smallest grid step per axis, and an arbitrary q along open axes."""
    pairs = zip(model.shape, model.boundary, strict=True)
    steps = np.array([2 * np.pi / n if b == "periodic" else 0.7391 for n, b in pairs])
    return np.stack([np.zeros(model.dim), steps, 2 * steps, -steps])


@pytest.mark.parametrize("model", DISORDERED, ids=repr)
def test_particle_conservation_chi_at_q_zero_vanishes(model) -> None:
    result = density_response(
        model, np.zeros((1, model.dim)), OMEGA, eta=0.1, temperature=0.05, realizations=2
    )
    assert np.abs(result.values).max() < EXACT
    assert np.abs(result.static.values).max() < EXACT


@pytest.mark.parametrize("model", DISORDERED, ids=repr)
def test_static_chi_is_positive(model) -> None:
    q = _some_wavevectors(model)[1:]
    result = density_response(model, q, [0.0], fermi_energy=0.3, eta=0.05, realizations=2)
    assert np.all(result.static.values > 0)
    # chi(q, w = 0) at finite eta is below its eta -> 0 limit and also positive
    assert np.all(result.values.real > 0)


def _commutator_side(model, realization, seed, q, fermi_energy, temperature) -> float:
    """-(1/N) <[[H, rho_q], rho_-q]> from the dense one-body density matrix, using
    [[H, rho_q], rho_-q] = sum_ij H_ij |exp(-i q.r_j) - exp(-i q.r_i)|^2 c_i^+ c_j."""
    hamiltonian = model.hamiltonian(realization=realization, seed=seed).toarray()
    energies, vectors = np.linalg.eigh(hamiltonian)
    f = fermi_occupation(energies, fermi_energy, temperature)
    correlation = (vectors.conj() * f) @ vectors.T  # [i, j] = <c_i^+ c_j>
    phase = np.exp(-1j * model.positions @ q)
    factor = np.abs(phase[None, :] - phase[:, None]) ** 2
    return -float(np.sum(hamiltonian * factor * correlation).real) / model.n_sites


@pytest.mark.parametrize("temperature", [0.0, 0.2])
@pytest.mark.parametrize("model", DISORDERED, ids=repr)
def test_f_sum_rule_spectral_equals_commutator(model, temperature) -> None:
    q = _some_wavevectors(model)
    result = density_response(
        model, q, [0.5], fermi_energy=0.2, eta=0.05, temperature=temperature,
        realizations=[3], seed=11,
    )  # fmt: skip
    expected = [_commutator_side(model, 3, 11, qq, 0.2, temperature) for qq in q]
    scale = max(abs(x) for x in expected)
    np.testing.assert_allclose(result.f_sum.values[0], expected, rtol=0, atol=EXACT * scale)
    np.testing.assert_allclose(
        result.f_sum_kinetic.values[0], expected, rtol=0, atol=EXACT * scale
    )


def test_f_sum_rule_governs_the_high_frequency_tail() -> None:
    r"""(w + i eta)^2 chi(q, w) -> -f-sum: the exact pair sum gives
    z^2 chi = -F - (1/N) sum 2 w M Delta^3 / (z^2 - Delta^2), bounded by F (Delta_max/|z|)^2."""
    model = lattice.AndersonModel(dim=2, L=(5, 4), disorder=2.0)
    omega = np.array([1e5])
    q = _some_wavevectors(model)[1:]
    result = density_response(model, q, omega, fermi_energy=0.1, eta=0.05, realizations=1)
    z = omega[0] + 0.05j
    delta_max = 8.0 + 2.0  # bandwidth + W bounds every excitation energy
    tail = z**2 * result.mean[:, 0]
    bound = (delta_max / abs(z)) ** 2 + 1e-9  # + float cancellation in 1/(z+D) - 1/(z-D)
    np.testing.assert_allclose(tail, -result.f_sum.mean, rtol=bound)


def test_compressibility_limit_of_a_long_clean_chain() -> None:
    """chi(2 pi / L, 0) -> rho(E_F) = 1 / (pi sqrt(4 - E_F^2)). On a ring the static
    response at q = 2 pi / L is a difference quotient of the band at the Fermi points,
    1 / (2 L sin k sin(pi / L)) with k between two grid points: relative error
    (pi/L)^2 / 6 from sin(pi/L) and O((pi/L)^2) from where E_F sits between levels."""
    size = 400
    k, band = clean_levels((size,))
    fermi = fermi_between_levels(band(k), -0.6)
    model = lattice.AndersonModel(dim=1, L=size)
    result = density_response(
        model, [2 * np.pi / size], [0.0], fermi_energy=fermi, eta=0.01, realizations=1
    )
    dos = 1.0 / (np.pi * np.sqrt(4.0 - fermi**2))
    assert abs(result.static.mean[0] / dos - 1.0) < (np.pi / size) ** 2


def test_constant_potential_with_shifted_fermi_energy_changes_nothing() -> None:
    shape = (5, 4)
    q = 2 * np.pi * np.array([[1, 0], [2, 1]]) / np.array(shape)
    k, band = clean_levels(shape)
    fermi = fermi_between_levels(band(k), 0.3)
    base = density_response(
        lattice.AndersonModel(dim=2, L=shape), q, OMEGA, fermi_energy=fermi, realizations=1
    )
    shifted = density_response(
        lattice.AndersonModel(dim=2, L=shape, kind="constant", disorder=1.7),
        q, OMEGA, fermi_energy=fermi + 1.7, realizations=1,
    )  # fmt: skip
    scale = np.abs(base.mean).max()
    np.testing.assert_allclose(shifted.mean, base.mean, rtol=0, atol=EXACT * scale)
    np.testing.assert_allclose(shifted.static.mean, base.static.mean, rtol=EXACT)


def test_realization_rebuilt_alone_is_bit_identical() -> None:
    model = lattice.AndersonModel(dim=2, L=(4, 4), disorder=2.0)
    q = [[np.pi / 2, 0.0]]
    batch = density_response(model, q, OMEGA, realizations=3, seed=5)
    alone = density_response(model, q, OMEGA, realizations=[2], seed=5)
    again = density_response(model, q, OMEGA, realizations=3, seed=5)
    np.testing.assert_array_equal(alone.values[0], batch.values[2])
    np.testing.assert_array_equal(again.values, batch.values)
    np.testing.assert_array_equal(again.static.values, batch.static.values)
    values = batch.values
    np.testing.assert_allclose(batch.mean, values.mean(axis=0), rtol=1e-15)
    np.testing.assert_allclose(batch.stderr.real, values.real.std(axis=0, ddof=1) / np.sqrt(3))
    np.testing.assert_allclose(batch.stderr.imag, values.imag.std(axis=0, ddof=1) / np.sqrt(3))
    assert np.all(np.isnan(alone.stderr.real)) and np.all(np.isnan(alone.stderr.imag))
    np.testing.assert_array_equal(batch.realizations, [0, 1, 2])
    assert not np.array_equal(batch.values[0], batch.values[1])


def test_methods_agree_and_kernels_match_numpy_reference() -> None:
    rng = np.random.default_rng(1757937293955503)
    energies = np.sort(rng.normal(size=40) * 2)
    omega = np.linspace(-1.0, 5.0, 23)
    for temperature in (0.0, 0.4):
        f = fermi_occupation(energies, 0.1, temperature)
        n_lo = int(np.count_nonzero(f > 0))
        hi_start = int(np.count_nonzero(f >= 1))
        shape = (n_lo, energies.size - hi_start)
        m_plus, m_minus = rng.random(shape), rng.random(shape)
        for eta in (0.01, 0.3):
            args = (
                energies[:n_lo], energies[hi_start:], f[:n_lo], f[hi_start:], hi_start,
                m_plus, m_minus, omega, eta,
            )  # fmt: skip
            ref = kernels.pair_sums_reference(*args)
            scale = np.abs(ref[0]).max()
            for evaluate in (kernels.pair_sums_direct, kernels.pair_sums_binned):
                got = evaluate(*args)
                np.testing.assert_allclose(got[0], ref[0], rtol=0, atol=KERNEL * scale)
                np.testing.assert_allclose(got[1:], ref[1:], rtol=KERNEL)
    model = lattice.AndersonModel(dim=2, L=(5, 4), disorder=2.0)
    spectrum = diagonalize(model, 0, 3)
    q = allowed_wavevectors(model, [[2 * np.pi / 5, np.pi / 2]])
    results = [
        density_response_of_spectrum(model, spectrum, q, OMEGA, 0.1, 0.05, 0.0, method)
        for method in ("direct", "binned")
    ]
    np.testing.assert_allclose(results[0][0], results[1][0], rtol=KERNEL)


def test_wavevectors_are_snapped_and_open_axes_take_any_q() -> None:
    model = lattice.AndersonModel(dim=2, L=(6, 5), boundary=("periodic", "open"))
    q = allowed_wavevectors(model, [[2 * np.pi / 6 * (1 + 1e-12), 0.123]])
    assert q[0, 0] == 2 * np.pi / 6 and q[0, 1] == 0.123
    chain = lattice.AndersonModel(dim=1, L=8)
    assert allowed_wavevectors(chain, np.pi).shape == (1, 1)
    assert allowed_wavevectors(chain, [0.0, np.pi / 4]).shape == (2, 1)


BAD = [
    ({"q": [[0.3, 0.0]]}, "0.3"),
    ({"q": [[np.pi / 2]]}, "q must have shape"),
    ({"q": [[np.nan, 0.0]]}, "q must be finite"),
    ({"omega": []}, "omega"),
    ({"omega": [np.inf]}, "omega"),
    ({"eta": 0.0}, "eta"),
    ({"eta": -0.1}, "eta"),
    ({"temperature": -1.0}, "temperature"),
    ({"fermi_energy": np.nan}, "fermi_energy"),
    ({"realizations": 0}, "realizations"),
    ({"method": "fast"}, "method"),
]


@pytest.mark.parametrize(("override", "message"), BAD)
def test_bad_input_raises_value_error_naming_it(override, message) -> None:
    model = lattice.AndersonModel(dim=2, L=4, disorder=1.0)
    kwargs = {"q": [[np.pi / 2, 0.0]], "omega": [0.0, 1.0], "eta": 0.05, "realizations": 1}
    kwargs.update(override)
    with pytest.raises(ValueError, match=message):
        density_response(model, **kwargs)


def test_windowed_spectrum_is_rejected() -> None:
    model = lattice.AndersonModel(dim=1, L=8, disorder=1.0)
    spectrum = diagonalize(model, 0, 1, window=(-1.0, 1.0))
    q = allowed_wavevectors(model, [np.pi / 4])
    with pytest.raises(ValueError, match="window"):
        density_response_of_spectrum(model, spectrum, q, OMEGA, 0.0, 0.05)


@settings(max_examples=15, deadline=None)
@given(
    dim=st.integers(1, 2),
    sizes=st.tuples(st.integers(2, 6), st.integers(2, 5)),
    open_axes=st.tuples(st.booleans(), st.booleans()),
    disorder=st.floats(0.0, 6.0),
    fermi_energy=st.floats(-3.0, 3.0),
    temperature=st.sampled_from([0.0, 0.3]),
    m=st.integers(-3, 3),
)
def test_identities_hold_for_random_small_lattices(
    dim, sizes, open_axes, disorder, fermi_energy, temperature, m
) -> None:
    """chi(0, w) = 0, static chi >= 0 and the f-sum rule (spectral = commutator side)."""
    boundary = tuple("open" if o else "periodic" for o in open_axes[:dim])
    model = lattice.AndersonModel(dim=dim, L=sizes[:dim], disorder=disorder, boundary=boundary)
    q = np.zeros((2, dim))
    q[1] = [2 * np.pi * m / n if b == "periodic" else 0.37 * m for n, b in
            zip(model.shape, boundary, strict=True)]  # fmt: skip
    result = density_response(
        model, q, OMEGA, fermi_energy=fermi_energy, eta=0.1, temperature=temperature,
        realizations=[0], seed=3,
    )  # fmt: skip
    scale = 1.0 + np.abs(result.values).max()
    assert np.abs(result.values[0, 0]).max() < EXACT * scale
    assert np.all(result.static.values >= -EXACT)
    np.testing.assert_allclose(
        result.f_sum.values, result.f_sum_kinetic.values, rtol=0, atol=EXACT * scale
    )


#: Richardson-extrapolated chi(q, 0)/q^2 at q = 1e-4: the remainder is O(q^4 <x^4>)
#: (< 1e-13 for these sizes) and rounding in the O(1) - O(1) = O(q) products ~1e-12.
SMALL_Q = 1e-9


@pytest.mark.parametrize("model", [
    lattice.AndersonModel(dim=1, L=40, disorder=3.0, boundary="open"),
    lattice.AndersonModel(dim=2, L=(8, 5), disorder=4.0, boundary="open"),
    lattice.AndersonModel(dim=2, L=(8, 5), disorder=1.0, boundary=("open", "periodic"), flux=0.3),
], ids=repr)  # fmt: skip
def test_small_q_static_response_is_q_squared_times_the_polarizability(model) -> None:
    """Open x axis: rho_q = N - i q X - q^2 X^2 / 2 + ..., so |<a|rho_q|b>|^2 = q^2 |X_ab|^2
    + O(q^4) and chi(q, 0) / q^2 -> (2/N) sum |X_ab|^2 / Delta = alpha(0), the
    position-operator route of lattice.exact.polarizability (the seed's Eq. (37) small-q form
    chi ~ chi^T r0^2 q^2 in an insulator)."""
    h = 1e-4
    q = np.zeros((2, model.dim))
    q[:, 0] = [h, 2 * h]
    common = {"fermi_energy": 0.3, "realizations": [2], "seed": 4}
    ratio = density_response(model, q, [0.0], **common).static.values[0] / q[:, 0] ** 2
    extrapolated = (4 * ratio[0] - ratio[1]) / 3
    alpha = lattice.static_polarizability(model, route="position", **common).values[0]
    assert abs(extrapolated / alpha - 1) < SMALL_Q


@pytest.mark.parametrize("flux", [0.0, 0.25])
def test_spectral_symmetry_im_chi_of_minus_q_minus_w(flux) -> None:
    """rho_q^+ = rho_-q gives Im chi(q, -w) = -Im chi(-q, w); with real eigenvectors
    (no flux) also Im chi(q, -w) = -Im chi(q, w)."""
    model = lattice.AndersonModel(dim=2, L=(4, 6), disorder=2.0, flux=flux)
    q = np.array([[np.pi / 2, np.pi / 3], [-np.pi / 2, -np.pi / 3]])
    omega = np.array([-1.3, -0.4, 0.4, 1.3])
    imag = density_response(model, q, omega, eta=0.05, realizations=[1]).mean.imag
    scale = np.abs(imag).max()
    np.testing.assert_allclose(imag[0, ::-1], -imag[1], rtol=0, atol=EXACT * scale)
    if flux == 0.0:
        np.testing.assert_allclose(imag[0, ::-1], -imag[0], rtol=0, atol=EXACT * scale)
    else:
        assert np.abs(imag[0, ::-1] + imag[0]).max() > 1e-6 * scale
