"""Kubo conductivity: kernels vs references, Kramers-Kronig, clean ring, windows, shifts."""

import numpy as np
import pytest
from scipy.integrate import quad

from lattice.exact import _kernels
from lattice.exact.kubo import (
    complex_conductivity,
    conductivity,
    conductivity_from_transitions,
    current_transitions,
    dynamic_polarizability,
    kernel_sum,
)
from lattice.exact.spectrum import diagonalize_matrix
from lattice.exact.transitions import transitions
from lattice.models.model import AndersonModel

#: numba vs NumPy reference: same sums in a different order (relative, ~1e3 ulps).
KERNEL_TOL = 1e-12
#: Exact identities on finite systems (f-sum pieces, shifts, windows), relative.
IDENTITY_TOL = 1e-10
#: Kramers-Kronig by a numerical principal-value integral (QUADPACK, epsabs 1e-13,
#: piecewise between the kernels' breakpoints; reaches ~1e-15): the issue's 1e-10 budget.
KK_TOL = 1e-10
#: Lattice Re sigma vs the Born-Drude tail, mean over 3 frequencies of 4 realizations:
#: statistical error ~6 %, weak-localization and band-curvature corrections ~5 %;
#: 0.25 is > 3 sigma and still fails a factor 1.5 (and 2) in the rate or in sigma.
BORN_TAIL_TOL = 0.25


def random_amplitudes(rng: np.random.Generator, shape, complex_values: bool) -> np.ndarray:
    values = rng.normal(size=shape)
    return values + 1j * rng.normal(size=shape) if complex_values else values


@pytest.mark.parametrize("complex_values", [False, True])
def test_pair_weights_kernel_matches_reference(complex_values: bool) -> None:
    rng = np.random.default_rng(1757937293955503)
    amplitudes = random_amplitudes(rng, (7, 9), complex_values)
    e_lower, e_upper = np.sort(rng.normal(size=7)), np.sort(rng.normal(size=9)) + 0.5
    f_lower, f_upper = rng.uniform(size=7), rng.uniform(size=9)
    for w_min, w_max in ((0.0, np.inf), (0.1, 0.8)):
        compiled = _kernels.pair_weights(
            amplitudes, e_lower, e_upper, f_lower, f_upper, w_min, w_max
        )
        reference = _kernels.reference_pair_weights(
            amplitudes, e_lower, e_upper, f_lower, f_upper, w_min, w_max
        )
        assert compiled[0].size == reference[0].size > 0
        np.testing.assert_array_equal(compiled[0], reference[0])
        np.testing.assert_allclose(compiled[1], reference[1], rtol=KERNEL_TOL)


@pytest.mark.parametrize(
    ("compiled", "reference"),
    [
        (_kernels.lorentzian_sum, _kernels.reference_lorentzian_sum),
        (_kernels.box_sum, _kernels.reference_box_sum),
    ],
)
def test_kernel_sums_match_reference(compiled, reference) -> None:
    rng = np.random.default_rng(20261125)
    omega = np.linspace(-1.0, 3.0, 57)
    frequency = rng.uniform(0.01, 2.5, size=40)
    amplitude = rng.uniform(size=40)
    got = compiled(omega, frequency, amplitude, 0.07)
    want = reference(omega, frequency, amplitude, 0.07)
    for a, b in zip(got, want, strict=True):
        np.testing.assert_allclose(a, b, rtol=KERNEL_TOL, atol=KERNEL_TOL * np.abs(b).max())


def kramers_kronig_imag(real_part, omega: float, breakpoints: np.ndarray, cutoff: float) -> float:
    """(1/pi) P int Re(w') / (omega - w') dw' by QUADPACK, piecewise between breakpoints."""
    edges = np.unique(np.concatenate([[-cutoff, cutoff], breakpoints]))
    total = 0.0
    for a, b in zip(edges[:-1], edges[1:], strict=True):
        if a < omega < b:  # weight 'cauchy' computes P int f(x)/(x - omega)
            total -= quad(real_part, a, b, weight="cauchy", wvar=omega, epsabs=1e-13)[0]
        else:
            total += quad(lambda x: real_part(x) / (omega - x), a, b, epsabs=1e-13)[0]
    for a, b in ((cutoff, np.inf), (-np.inf, -cutoff)):
        total += quad(lambda x: real_part(x) / (omega - x), a, b, epsabs=1e-13)[0]
    return total / np.pi


@pytest.mark.parametrize("kernel", ["lorentzian", "gaussian", "histogram"])
def test_imaginary_part_is_kramers_kronig_partner(kernel: str) -> None:
    model = AndersonModel(dim=1, L=6, disorder=1.5, boundary="open")
    current = current_transitions(model, realization=0, seed=4, fermi_energy=0.1)
    eta = 0.15
    amplitude = current.weight / current.frequency

    def real_part(x: float) -> float:
        value = kernel_sum(np.array([x]), current.frequency, amplitude, eta, kernel)
        return float(value.real[0]) / current.n_sites

    if kernel == "histogram":
        half = 0.5 * eta
        breaks = np.concatenate(
            [s * current.frequency + d for s in (-1, 1) for d in (-half, half)]
        )
    else:
        breaks = np.concatenate([-current.frequency, current.frequency])
    for omega in (0.33, 1.7, 4.4):
        sigma = conductivity_from_transitions(current, [omega], eta, kernel)[0]
        expected = kramers_kronig_imag(real_part, omega, breaks, cutoff=8.0)
        assert sigma.imag == pytest.approx(expected, rel=KK_TOL)


def test_clean_open_chain_equals_an_independent_standing_wave_sum() -> None:
    """Absolute normalisation of sigma(w) at every w, not only its integral.

    Clean open chain: psi_m(j) = sqrt(2/(L+1)) sin(k_m (j+1)), k_m = pi m/(L+1),
    e_m = -2 cos k_m, and J_nm = i (e_m - e_n) X_nm (docs/conventions.md section 7).
    sigma(w) = (1/N) sum_{n occ, m emp} (|J_nm|^2/w_nm) [i/(w - w_nm + i eta)
    + i/(w + w_nm + i eta)] is built here without the package's eigensolver,
    current operator or pair list; a wrong 1/N, pi, mirror term, sign of Im sigma
    or frequency assignment would fail.
    """
    length, fermi, eta = 40, 0.3, 0.05
    k = np.pi * np.arange(1, length + 1) / (length + 1)
    levels = -2.0 * np.cos(k)
    sites = np.arange(length)
    states = np.sqrt(2.0 / (length + 1)) * np.sin(np.outer(sites + 1, k))
    position = states.T @ (sites[:, None] * states)
    occupied, empty = levels < fermi, levels > fermi
    gap = levels[empty][None, :] - levels[occupied][:, None]
    weight = (gap * position[np.ix_(occupied, empty)]) ** 2 / gap  # |J|^2 / w_p
    omega = np.array([-0.6, 0.1, 0.37, 0.8, 1.5, 2.9])
    expected = (
        np.array(
            [
                np.sum(weight * (1j / (w - gap + 1j * eta) + 1j / (w + gap + 1j * eta)))
                for w in omega
            ]
        )
        / length
    )
    model = AndersonModel(dim=1, L=length, boundary="open")
    result = complex_conductivity(model, omega, fermi_energy=fermi, eta=eta, realizations=1)
    np.testing.assert_allclose(result.values[0], expected, rtol=IDENTITY_TOL)
    # the f-sum regular weight (pi/N) sum |J|^2/w equals (pi/2) D_f, D_f = -<K>/N
    assert np.pi * weight.sum() / length == pytest.approx(
        -0.5 * np.pi * levels[occupied].sum() / length, rel=IDENTITY_TOL
    )


def test_weak_disorder_tail_is_drude_with_the_born_rate() -> None:
    """Re sigma(w) at 1/tau << w << t is the Drude tail D_f (1/tau)/(w^2 + 1/tau^2)
    with the golden-rule rate 1/tau = 2 pi rho W^2/12 (docs/conventions.md section 3).

    Chain at E_F = 0.5, W = 1: v_F = sqrt(3.75), rho = 1/(pi v_F), D_f = v_F/pi,
    1/tau = W^2/(6 v_F) = 0.0861 (l = 22.5 << L = 800). The lattice Kubo sum is
    only tied to the Born rate here (elsewhere only through the transfer-matrix
    xi = 4 l). Measured mean ratio 0.940 (each point +-8-10 %); a factor 2 in the
    rate, in <eps^2> or in sigma gives 0.5 or 2.
    """
    v_f = np.sqrt(4 - 0.5**2)
    rate = 1.0 / (6 * v_f)
    omega = np.array([0.3, 0.5, 0.8])
    model = AndersonModel(dim=1, L=800, disorder=1.0)
    result = conductivity(
        model, omega, fermi_energy=0.5, eta=0.03, kernel="gaussian", realizations=4, seed=1
    )
    drude = (v_f / np.pi) * rate / (omega**2 + rate**2)
    assert abs(np.mean(result.mean / drude) - 1.0) < BORN_TAIL_TOL


def test_clean_ring_has_no_regular_conductivity() -> None:
    """Clean periodic chain: J commutes with H, all weight is in the Drude peak."""
    model = AndersonModel(dim=1, L=41)
    omega = np.linspace(0.05, 4.0, 40)
    result = conductivity(model, omega, fermi_energy=-0.4, eta=0.05, realizations=1)
    # |J_nm|^2 vanishes to rounding: compare with the f-sum scale (pi/2) D_f ~ 1
    assert np.abs(result.values).max() < 1e-12


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(dim=1, L=30, boundary="open"),
        dict(dim=2, L=(5, 4), boundary="periodic", flux=0.2),
    ],
)
def test_histogram_bins_hold_the_exact_regular_weight(kwargs) -> None:
    model = AndersonModel(disorder=2.0, **kwargs)
    current = current_transitions(model, 1, 6, fermi_energy=0.3)
    eta = 0.01
    centres = eta * (np.arange(1600) + 0.5)  # bins tile [0, 16]
    binned = conductivity_from_transitions(current, centres, eta, "histogram").real
    exact = np.pi * np.sum(current.weight / current.frequency) / current.n_sites
    assert current.frequency.min() > 0.5 * eta
    assert np.sum(binned) * eta == pytest.approx(exact, rel=IDENTITY_TOL)


def test_gaussian_kernel_keeps_the_exact_regular_weight() -> None:
    """int_0^inf Re sigma = (pi/N) sum_p a_p for the Gaussian too (mirror term included)."""
    model = AndersonModel(dim=2, L=(4, 5), disorder=2.0, boundary="open")
    current = current_transitions(model, 0, 3, fermi_energy=0.2)
    eta = 0.1
    omega = np.linspace(0.0, current.frequency.max() + 12 * eta, 20001)
    real = conductivity_from_transitions(current, omega, eta, "gaussian").real
    # trapezoid with a zero-slope end at omega = 0 (Re sigma is even): spectrally accurate
    integral = np.trapezoid(real, omega)
    exact = np.pi * np.sum(current.weight / current.frequency) / current.n_sites
    assert integral == pytest.approx(exact, rel=IDENTITY_TOL)


@pytest.mark.parametrize(
    "kwargs", [dict(dim=1, L=80, boundary="open"), dict(dim=2, L=(6, 5), flux=1 / 6)]
)
def test_energy_window_keeps_every_pair_below_w_max(kwargs) -> None:
    model = AndersonModel(disorder=1.0, **kwargs)
    eta, w_max = 0.02, 1.0
    omega = np.arange(0.01, w_max - eta, eta)
    full = conductivity(model, omega, 0.2, eta, "histogram", realizations=[3], seed=2)
    window = conductivity(
        model, omega, 0.2, eta, "histogram", realizations=[3], seed=2, w_max=w_max
    )
    np.testing.assert_allclose(window.values, full.values, rtol=IDENTITY_TOL, atol=1e-14)
    windowed = current_transitions(model, 3, 2, 0.2, w_max=w_max)
    assert windowed.frequency.max() <= w_max


def test_window_without_pairs_gives_zero() -> None:
    """Open 8-site chain: levels +-0.347 around E_F = 0.1 are 0.69 apart > w_max."""
    model = AndersonModel(dim=1, L=8, boundary="open")
    pairs = current_transitions(model, fermi_energy=0.1, w_max=0.5)
    assert pairs.frequency.size == 0
    result = conductivity(model, [0.2, 0.4], 0.1, realizations=1, w_max=0.5)
    np.testing.assert_array_equal(result.values, 0.0)


def test_constant_potential_shift_with_fermi_energy_changes_nothing() -> None:
    model = AndersonModel(dim=2, L=(4, 5), disorder=3.0, flux=0.25)
    hamiltonian = model.hamiltonian(realization=0, seed=9)
    shift = 0.731
    omega = np.linspace(0.1, 3.0, 30)
    current = model.current_operator()
    sigmas = []
    for offset in (0.0, shift):
        spectrum = diagonalize_matrix(hamiltonian + offset * np.eye(model.n_sites))
        pairs = transitions(spectrum, current, 0.25 + offset)
        sigmas.append(conductivity_from_transitions(pairs, omega, 0.05, "gaussian"))
    np.testing.assert_allclose(sigmas[1], sigmas[0], rtol=IDENTITY_TOL)
    clean = AndersonModel(dim=2, L=(4, 6), boundary="open")
    shifted = AndersonModel(dim=2, L=(4, 6), boundary="open", kind="constant", disorder=shift)
    np.testing.assert_allclose(
        conductivity(shifted, omega, 0.3 + shift, realizations=1).values,
        conductivity(clean, omega, 0.3, realizations=1).values,
        rtol=IDENTITY_TOL,
    )


def test_flux_gauge_invariance_of_sigma() -> None:
    """J_x = i[X, H] is gauge covariant: sigma is unchanged by c_r -> e^{i chi_r} c_r."""
    model = AndersonModel(dim=2, L=(5, 4), disorder=1.0, flux=0.3, boundary="open")
    hamiltonian = model.hamiltonian(realization=2, seed=1).toarray()
    gauge = np.exp(2j * np.pi * 0.3 * np.prod(model.positions, axis=1))  # Landau x -> y
    transformed = gauge[:, None] * hamiltonian * gauge.conj()[None, :]
    position = model.position_operator(0)
    omega = np.linspace(0.1, 2.0, 12)
    results = []
    for matrix in (hamiltonian, transformed):
        current = 1j * (position[:, None] * matrix - matrix * position[None, :])
        pairs = transitions(diagonalize_matrix(matrix), current, 0.1)
        results.append(conductivity_from_transitions(pairs, omega, 0.05))
    assert not np.allclose(transformed, hamiltonian)
    np.testing.assert_allclose(results[1], results[0], rtol=IDENTITY_TOL)


def test_realization_alone_equals_realization_of_batch() -> None:
    model = AndersonModel(dim=2, L=5, disorder=2.0)
    omega = np.linspace(0.1, 2.0, 10)
    batch = complex_conductivity(model, omega, realizations=4, seed=13)
    alone = complex_conductivity(model, omega, realizations=[2], seed=13)
    np.testing.assert_array_equal(alone.values[0], batch.values[2])
    np.testing.assert_array_equal(alone.realizations, [2])
    again = complex_conductivity(model, omega, realizations=4, seed=13)
    np.testing.assert_array_equal(again.values, batch.values)


def test_polarizability_is_i_sigma_over_omega() -> None:
    model = AndersonModel(dim=1, L=20, disorder=1.0, boundary="open")
    omega = np.array([-0.5, 0.3, 1.2])
    sigma = complex_conductivity(model, omega, realizations=2, seed=3)
    alpha = dynamic_polarizability(model, omega, realizations=2, seed=3)
    np.testing.assert_array_equal(alpha.values, 1j * sigma.values / omega)
    # Re sigma even, Im sigma odd in omega
    mirrored = complex_conductivity(model, -omega, realizations=2, seed=3)
    np.testing.assert_allclose(mirrored.values, sigma.values.conj(), rtol=1e-13)


def test_low_temperature_equals_zero_temperature_in_a_gap() -> None:
    model = AndersonModel(dim=1, L=12, disorder=1.0, boundary="open")
    energies = np.linalg.eigvalsh(model.hamiltonian().toarray())
    fermi = 0.5 * (energies[5] + energies[6])
    gap = energies[6] - energies[5]
    omega = np.linspace(0.1, 3.0, 9)
    cold = conductivity(model, omega, fermi, temperature=0.0, realizations=1).values
    warm = conductivity(model, omega, fermi, temperature=gap / 100, realizations=1).values
    np.testing.assert_allclose(warm, cold, rtol=IDENTITY_TOL)
    hot = conductivity(model, omega, fermi, temperature=0.5, realizations=1).values
    assert np.abs(hot - cold).max() > 1e-3


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        (dict(eta=0.0), "eta"),
        (dict(eta=-1.0), "eta"),
        (dict(omega=[]), "omega"),
        (dict(omega=[0.1, np.nan]), "omega"),
        (dict(kernel="cauchy"), "kernel"),
        (dict(temperature=-0.1), "temperature"),
        (dict(fermi_energy=np.nan), "fermi_energy"),
        (dict(w_max=0.0), "w_max"),
        (dict(realizations=0), "realizations"),
    ],
)
def test_bad_input_names_the_parameter(kwargs, name: str) -> None:
    arguments = dict(omega=[0.1, 0.2], realizations=1) | kwargs
    with pytest.raises(ValueError, match=name):
        conductivity(AndersonModel(dim=1, L=4), **arguments)


def test_zero_frequency_polarizability_is_rejected() -> None:
    with pytest.raises(ValueError, match="omega"):
        dynamic_polarizability(AndersonModel(dim=1, L=4), [0.0, 1.0], realizations=1)
