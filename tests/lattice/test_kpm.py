"""The Chebyshev engine against the dense engine, closed forms and sum rules.

Two kinds of comparison: with the complete basis ``sqrt(N) * I`` as trace vectors
the KPM estimate is the exact trace, so it must equal the dense result up to the
engine's deterministic errors (series truncation, time-step quadrature); with
random-phase vectors it must agree within a stated multiple of its own measured
standard error.
"""

import numba
import numpy as np
import pytest
import scipy.integrate
import scipy.stats
from scipy.special import ellipk

import lattice
from lattice.chebyshev import kpm
from lattice.exact.spectrum import diagonalize
from lattice.exact.sum_rules import kinetic_coefficient
from lattice.exact.transitions import transitions
from lattice.models.model import AndersonModel
from lattice.models.occupation import fermi_occupation

#: DOS series truncated where the kernel's Chebyshev coefficients fall below 1e-8.
DOS_EXACT_TOL = 1e-7
#: sigma, alpha with the exact trace: time-step quadrature error O((omega dt)^3 dt^3).
SIGMA_EXACT_RTOL = 1e-5
#: chi with the exact trace: the trapezoid end term is corrected to O(dt^4) only.
CHI_EXACT_RTOL = 2e-4
#: Two-sided false-alarm probability per point of a random-vector comparison: the
#: tolerance is the Student-t quantile for the stderr's degrees of freedom (V - 1),
#: since the standard error itself is estimated from V vectors.
FALSE_ALARM = 1e-4


def z_max(dof: int) -> float:
    """|kpm - dense| / stderr allowed with a stderr estimated from ``dof`` degrees of freedom."""
    return float(scipy.stats.t.ppf(1.0 - 0.5 * FALSE_ALARM, dof))


#: chi(q = 0) vanishes identically; what is left is rounding / finite-difference step.
CHI_ZERO_TOL = 1e-8

OPEN_FLUX = {"dim": 2, "L": (6, 5), "disorder": 2.0, "boundary": "open", "flux": 0.2}
MODELS = [
    OPEN_FLUX,
    {"dim": 1, "L": 16, "disorder": 1.0, "boundary": "open"},
    {"dim": 3, "L": (3, 2, 2), "disorder": 3.0, "boundary": "open", "kind": "gaussian"},
]
OMEGA = np.array([0.05, 0.3, 1.0, 2.0])


def _basis(model):
    return np.sqrt(model.n_sites) * np.eye(model.n_sites, dtype=complex)


@pytest.mark.parametrize("case", MODELS + [{"dim": 2, "L": 5, "disorder": 2.0, "flux": 0.2}])
@pytest.mark.parametrize("kernel", ["lorentzian", "gaussian"])
def test_dos_exact_trace_equals_dense(case, kernel):
    model = AndersonModel(**case)
    energies = np.linspace(-4.0, 4.0, 9)
    result = lattice.density_of_states(
        model, energies, eta=0.1, kernel=kernel, realizations=1, seed=3, engine="kpm",
        vectors=_basis(model),
    )  # fmt: skip
    dense = lattice.density_of_states(model, energies, 0.1, kernel, realizations=1, seed=3)
    assert np.abs(result.mean - dense.mean).max() < DOS_EXACT_TOL


def test_jackson_dos_normalised():
    model = AndersonModel(dim=2, L=8, disorder=2.0)
    energies = np.linspace(-6.0, 6.0, 2001)
    result = kpm.kpm_density_of_states(
        model, energies, kernel="jackson", moments=128, realizations=1, vectors=_basis(model)
    )
    total = scipy.integrate.trapezoid(result.mean, energies)
    assert abs(total - 1.0) < 1e-3  # Jackson tails beyond +-6 and trapezoid error


@pytest.mark.parametrize("case", MODELS)
def test_sigma_exact_trace_equals_dense(case):
    model = AndersonModel(**case)
    kwargs = {"fermi_energy": -0.3, "eta": 0.1, "temperature": 0.05, "realizations": 1}
    result = lattice.complex_conductivity(
        model, OMEGA, seed=3, engine="kpm", vectors=_basis(model), **kwargs
    )
    dense = lattice.complex_conductivity(model, OMEGA, seed=3, **kwargs)
    scale = np.abs(dense.mean).max()
    assert np.abs(result.mean - dense.mean).max() < SIGMA_EXACT_RTOL * scale
    gaussian = kpm.conductivity_from_correlation(result.raw, OMEGA, 0.15, "gaussian")
    dense = lattice.complex_conductivity(model, OMEGA, -0.3, 0.15, "gaussian", 0.05, 1, 3)
    assert np.abs(gaussian.mean(axis=1)[0] - dense.mean).max() < SIGMA_EXACT_RTOL * scale


@pytest.mark.parametrize(
    ("case", "rtol"),
    [
        (OPEN_FLUX, 1e-10),  # open x: <phi(t)|X|psi(t)>, exact up to the 1e-12 series cuts
        ({"dim": 2, "L": (5, 6), "disorder": 2.0, "flux": 0.2}, 1e-6),  # periodic: d/dA
    ],
)
def test_correlation_equals_the_pair_sum(case, rtol):
    r"""B(t) with the exact trace against the eigenpair sum
    :math:`\frac1N\sum_{nm}(f_n - f_m)\frac{|J_{nm}|^2}{w_{mn}}(\cos w_{mn}t - 1)`: on an
    open x axis the two-column route (J = i[X, H]) to rounding and the 1e-12 series cuts
    (measured 1.4e-11), on a periodic one the three-column route within its
    finite-difference truncation, bounded by (dA t_max |J|)^2/6 = 2.5e-7 at dA = 1e-5,
    t_max = 61, |J| <= 2 (measured 4.5e-9)."""
    model = AndersonModel(**case)
    fermi, temperature, eta = -0.3, 0.05, 0.3
    samples, _, dt, _ = kpm.current_correlation(
        model, 0, 3, fermi, temperature, eta, "lorentzian", 2.0, _basis(model)
    )
    h = model.hamiltonian(0, 3).toarray()
    energies, states = np.linalg.eigh(h)
    current = states.conj().T @ (model.current_operator(0).toarray() @ states)
    occupation = fermi_occupation(energies, fermi, temperature)
    gap = energies[None, :] - energies[:, None]  # w_mn = e_m - e_n at [n, m]
    off = np.abs(gap) > 1e-12  # degenerate pairs carry no weight (f_n = f_m)
    weight = np.where(off, (occupation[:, None] - occupation[None, :]), 0.0)
    weight = weight * np.abs(current) ** 2 / np.where(off, gap, 1.0)
    times = dt * np.arange(samples.shape[1])
    exact = np.einsum("nm,nmt->t", weight, np.cos(gap[..., None] * times) - 1.0) / model.n_sites
    traced = samples.sum(axis=0) / model.n_sites  # the basis columns sum to the trace
    assert np.abs(traced - exact).max() < rtol * np.abs(exact).max()


def test_sigma_periodic_differs_by_the_broadened_drude_peak():
    model = AndersonModel(dim=2, L=(4, 5), disorder=2.0, twist=0.3)
    fermi, temperature, eta = 0.1, 0.05, 0.1
    spectrum = diagonalize(model, 0, 3)
    pairs = transitions(spectrum, model.current_operator(0), fermi, temperature)
    regular = 2.0 * np.sum(pairs.weight / pairs.frequency) / model.n_sites  # D(0)
    thermal_drude = kinetic_coefficient(model, spectrum, fermi, temperature) - regular
    result = kpm.kpm_complex_conductivity(
        model, OMEGA, fermi, eta, temperature=temperature, realizations=1, seed=3,
        vectors=_basis(model), drude_weight=thermal_drude,
    )  # fmt: skip
    dense = lattice.complex_conductivity(model, OMEGA, fermi, eta, "lorentzian", temperature, 1, 3)
    scale = np.abs(dense.mean).max()
    assert np.abs(result.mean - dense.mean).max() < SIGMA_EXACT_RTOL * scale
    assert thermal_drude > 0.01  # the peak is there: the test would see it missing


def test_f_sum_rule_on_every_run():
    model = AndersonModel(**OPEN_FLUX)
    omega = np.linspace(0.0, 12.0, 2401)
    result = kpm.kpm_complex_conductivity(
        model, omega, -0.3, 0.1, "gaussian", 0.05, realizations=1, seed=3, vectors=_basis(model)
    )
    d_f = result.raw.kinetic.mean()
    dense_d_f = kinetic_coefficient(model, diagonalize(model, 0, 3), -0.3, 0.05)
    assert abs(d_f - dense_d_f) < 1e-12
    weight = scipy.integrate.trapezoid(result.mean.real, omega)
    # int_0^inf Re sigma = (pi/2) D_f (open x: no Drude peak); pair frequencies end
    # below 11 t, the Gaussian tails beyond omega = 12 and the trapezoid error are < 1e-6
    assert abs(weight - 0.5 * np.pi * d_f) < 1e-5 * d_f


def test_chi_exact_trace_equals_dense_and_f_sum():
    model = AndersonModel(**OPEN_FLUX)
    q = [[2.0 * np.pi / 6.0, 0.5]]
    kwargs = {"fermi_energy": -0.3, "eta": 0.1, "temperature": 0.05, "realizations": 1}
    result = lattice.density_response(
        model, q, OMEGA, seed=2, engine="kpm", vectors=_basis(model), **kwargs
    )
    dense = lattice.density_response(model, q, OMEGA, seed=2, **kwargs)
    scale = np.abs(dense.mean).max()
    assert np.abs(result.mean - dense.mean).max() < CHI_EXACT_RTOL * scale
    assert np.allclose(result.f_sum.mean, dense.f_sum.mean, rtol=1e-10)
    assert np.allclose(result.f_sum_kinetic.mean, dense.f_sum_kinetic.mean, rtol=1e-10)


def test_chi_vanishes_at_q_zero():
    model = AndersonModel(dim=2, L=6, disorder=2.0, flux=1 / 6)
    result = lattice.density_response(
        model, [[0.0, 0.0]], OMEGA, 0.2, 0.1, 0.0, 1, 2, engine="kpm", vectors=2
    )
    assert np.abs(result.mean).max() < CHI_ZERO_TOL


def test_alpha_exact_trace_equals_regularised_dense_sum():
    model = AndersonModel(**OPEN_FLUX)
    eta = 0.05
    result = lattice.static_polarizability(
        model, -0.3, 1, 2, temperature=0.05, engine="kpm", eta=eta, vectors=_basis(model)
    )
    pairs = transitions(diagonalize(model, 0, 2), model.position_operator(0), -0.3, 0.05)
    regularised = 2.0 * np.sum(pairs.weight * pairs.frequency / (pairs.frequency**2 + eta**2))
    assert abs(result.mean - regularised / model.n_sites) < SIGMA_EXACT_RTOL * result.mean
    exact = lattice.static_polarizability(model, -0.3, 1, 2, temperature=0.05).mean
    assert abs(result.mean - exact) < 0.05 * exact  # eta^2 <w^-2> bias at eta = 0.05


def _z_scores(result, dense):
    error = np.abs(result.stderr)
    difference = result.mean - dense
    if np.iscomplexobj(difference):
        return np.concatenate(
            [np.abs(difference.real) / error.real, np.abs(difference.imag) / np.abs(error.imag)]
        )
    return np.abs(difference) / error


def test_random_vectors_within_stated_error():
    # open x: no Drude peak, so kpm and dense have the same expectation
    model = AndersonModel(dim=2, L=12, disorder=2.0, flux=1 / 12, boundary=("open", "periodic"))
    energies = np.linspace(-3.5, 3.5, 8)
    dos = lattice.density_of_states(
        model, energies, 0.2, realizations=1, seed=5, engine="kpm", vectors=16
    )
    dense = lattice.density_of_states(model, energies, 0.2, realizations=1, seed=5).mean
    assert np.max(_z_scores(dos, dense)) < z_max(15)
    sigma = lattice.conductivity(
        model, OMEGA, 0.1, 0.1, temperature=0.05, realizations=1, seed=5, engine="kpm",
        vectors=12,
    )  # fmt: skip
    dense = lattice.conductivity(model, OMEGA, 0.1, 0.1, temperature=0.05, realizations=1, seed=5)
    assert np.max(_z_scores(sigma, dense.mean)) < z_max(11)


def test_clean_square_lattice_dos_against_ellipk():
    length, eta = 64, 0.15
    model = AndersonModel(dim=2, L=length, disorder=0.0)
    energies = np.array([-3.0, -1.5, -0.5, 0.7, 2.5])
    result = kpm.kpm_density_of_states(
        model, energies, eta, "gaussian", realizations=1, seed=1, vectors=8
    )
    k = 2.0 * np.pi * np.arange(length) / length
    levels = (-2.0 * np.cos(k)[:, None] - 2.0 * np.cos(k)[None, :]).ravel()
    finite = lattice.exact.dos.dos_of_levels(levels, energies, eta, "gaussian")
    assert np.max(np.abs(result.mean - finite) / result.stderr) < z_max(7)

    def smoothed(energy):
        def integrand(e):
            weight = np.exp(-0.5 * ((energy - e) / eta) ** 2)
            return ellipk(1.0 - e * e / 16.0) / (2.0 * np.pi**2) * weight

        value = scipy.integrate.quad(integrand, -4, 4, points=[0.0, energy], limit=200)[0]
        return value / (np.sqrt(2.0 * np.pi) * eta)

    # the finite lattice's Gaussian-smoothed DOS is the infinite lattice's to 1e-3:
    # the level comb (spacing ~ 4 pi / L) is averaged out by eta
    expected = np.array([smoothed(e) for e in energies])
    assert np.max(np.abs(finite - expected)) < 1e-3


def test_precision_warning_names_vectors():
    model = AndersonModel(dim=1, L=32, disorder=1.0)
    with pytest.warns(UserWarning, match=r"vectors=\d+ per realization are needed"):
        lattice.density_of_states(
            model, [0.0], 0.2, realizations=1, engine="kpm", vectors=2, precision=1e-6
        )


def test_results_independent_of_block_size_and_threads():
    model = AndersonModel(dim=2, L=48, disorder=2.0, flux=1 / 48)
    energies = np.linspace(-3, 3, 5)

    def run(block):
        return kpm.kpm_density_of_states(
            model, energies, moments=40, kernel="jackson", realizations=1, vectors=4, block=block
        ).raw.moments

    threads = numba.get_num_threads()
    reference = run(None)
    try:
        numba.set_num_threads(1)
        serial = run(1)
    finally:
        numba.set_num_threads(threads)
    assert np.array_equal(reference, serial)
    band = {"eta": 0.05, "kernel": "gaussian", "real_part": True, "time_step_rule": "band"}
    for kwargs in ({"eta": 0.5}, band):
        sigma = [
            kpm.kpm_complex_conductivity(
                AndersonModel(dim=1, L=16, disorder=1.0, boundary="open"),
                [0.5],
                realizations=1,
                vectors=3,
                block=block,
                **kwargs,
            ).raw.values  # fmt: skip
            for block in (None, 2)
        ]
        assert np.array_equal(*sigma)


def test_reprocessing_matches_a_direct_run():
    model = AndersonModel(dim=1, L=12, disorder=1.0, boundary="open")
    first = kpm.kpm_complex_conductivity(
        model, [0.3, 1.0], eta=0.2, temperature=0.1, realizations=1, vectors=2
    )
    second = kpm.kpm_complex_conductivity(
        model, [0.2, 1.0], eta=0.4, temperature=0.1, realizations=1, vectors=2
    )
    reprocessed = kpm.conductivity_from_correlation(first.raw, [0.2, 1.0], 0.4)
    assert np.allclose(reprocessed, second.vector_values, rtol=0, atol=1e-7)
    with pytest.raises(ValueError, match="needs correlations up to"):
        kpm.conductivity_from_correlation(first.raw, [0.3], 0.01)


def test_periodic_x_warns_of_the_drude_peak():
    """A periodic x axis warns of the Drude peak; open x or an explicit drude_weight not."""
    ring = AndersonModel(dim=1, L=12, disorder=1.0)
    with pytest.warns(kpm.DrudePeakWarning, match="boundary='open'"):
        lattice.conductivity(ring, [0.5], eta=0.3, realizations=1, engine="kpm", vectors=1)
    kpm.kpm_complex_conductivity(ring, [0.5], eta=0.3, realizations=1, vectors=1, drude_weight=0.1)
    chain = AndersonModel(dim=1, L=12, disorder=1.0, boundary="open")
    lattice.conductivity(chain, [0.5], eta=0.3, realizations=1, engine="kpm", vectors=1)


def test_entry_points_dispatch_and_reject():
    model = AndersonModel(dim=1, L=12, disorder=1.0, boundary="open")
    sigma = lattice.complex_conductivity(
        model, [0.5, 1.0], eta=0.3, realizations=1, engine="kpm", vectors=2
    )
    alpha = lattice.dynamic_polarizability(
        model, [0.5, 1.0], eta=0.3, realizations=1, engine="kpm", vectors=2
    )
    assert isinstance(alpha, kpm.KPMAverage)
    assert np.allclose(alpha.values, 1j * sigma.values / np.array([0.5, 1.0]))
    with pytest.raises(ValueError, match="engine"):
        lattice.conductivity(model, [0.5], engine="magic")
    with pytest.raises(ValueError, match="w_max"):
        lattice.conductivity(model, [0.5], engine="kpm", w_max=1.0)


@pytest.mark.slow
@pytest.mark.parametrize(
    "case",
    [
        {"dim": 2, "L": 40, "disorder": 2.0, "flux": 1 / 40, "boundary": "open"},
        {"dim": 1, "L": 2048, "disorder": 1.0, "boundary": "open"},
        {"dim": 3, "L": 10, "disorder": 4.0, "flux": 0.1, "boundary": "open"},
    ],
    ids=["2d", "1d", "3d"],
)
def test_larger_lattices_within_stated_error(case):
    model = AndersonModel(**case)
    energies = np.linspace(-3.0, 3.0, 7)
    dos = lattice.density_of_states(model, energies, 0.1, realizations=1, engine="kpm", vectors=16)
    dense = lattice.density_of_states(model, energies, 0.1, realizations=1).mean
    assert np.max(_z_scores(dos, dense)) < z_max(15)
    omega = np.array([0.2, 0.5, 1.0])
    sigma = lattice.conductivity(
        model, omega, 0.3, 0.1, temperature=0.02, realizations=1, engine="kpm", vectors=8
    )
    dense = lattice.conductivity(model, omega, 0.3, 0.1, temperature=0.02, realizations=1)
    assert np.max(_z_scores(sigma, dense.mean)) < z_max(7)  # open x: no Drude peak


@pytest.mark.slow
def test_per_vector_variance_follows_noise_model():
    """Relative variance per vector ~ <J^2> / (2 N eta omega Re sigma), <J^2> = 2 t^2."""
    model = AndersonModel(dim=2, L=20, disorder=2.0, boundary="open")
    omega = np.array([0.2, 0.4, 0.8])
    for eta in (0.05, 0.1):
        result = lattice.conductivity(
            model, omega, 0.1, eta, temperature=0.05, realizations=1, engine="kpm", vectors=32
        )
        dense = lattice.conductivity(model, omega, 0.1, eta, temperature=0.05, realizations=1)
        relative = result.vector_values[0].var(axis=0, ddof=1) / dense.mean**2
        model_variance = 2.0 / (2.0 * model.n_sites * eta * omega * dense.mean)
        ratio = relative / model_variance
        assert np.all((ratio > 0.2) & (ratio < 5.0)), ratio


@pytest.mark.parametrize("case", MODELS)
def test_real_part_at_the_alias_step_equals_dense(case):
    """Re sigma with the Gaussian window from samples at the alias limit (about twice the
    complex engine's step) equals the dense engine as closely; the raw data refuse the
    imaginary part and the Lorentzian kernel."""
    model = AndersonModel(**case)
    kwargs = {"fermi_energy": -0.3, "eta": 0.1, "temperature": 0.05, "realizations": 1}
    result = lattice.conductivity(
        model, OMEGA, kernel="gaussian", seed=3, engine="kpm", vectors=_basis(model), **kwargs
    )
    assert result.raw.settings["time_step_rule"] == kpm.ALIAS_STEP
    full = kpm.kpm_complex_conductivity(
        model, OMEGA, kernel="gaussian", seed=3, vectors=_basis(model), **kwargs
    )
    assert result.raw.time_step[0] > 1.8 * full.raw.time_step[0]
    dense = lattice.conductivity(model, OMEGA, kernel="gaussian", seed=3, **kwargs)
    scale = np.abs(dense.mean).max()
    assert np.abs(result.mean - dense.mean).max() < SIGMA_EXACT_RTOL * scale
    rebuilt = kpm.conductivity_from_correlation(result.raw, OMEGA, 0.1, "gaussian")
    assert np.all(np.isnan(rebuilt.imag))
    with pytest.raises(ValueError, match="alias limit"):
        kpm.conductivity_from_correlation(result.raw, OMEGA, 0.5, "lorentzian")


#: Band mode against the full band with the same (exact-trace) vectors: the filter's bound
#: 5e-12 D(0)/eta (docs/engines.md, "band-limited Re sigma") is far below the
#: finite-difference error ~1e-9 of d/dA that both runs share differently (their time
#: steps differ), so the comparison is at the 1e-8 level.
BAND_RTOL = 1e-8
BAND_MODELS = [
    ({"dim": 2, "L": (8, 6), "disorder": 2.0, "boundary": "open"}, np.linspace(0.4, 1.0, 4)),
    ({"dim": 1, "L": 24, "disorder": 1.0, "boundary": "open"}, np.linspace(0.4, 0.6, 3)),
]
BAND_SETTINGS = {"fermi_energy": -0.3, "eta": 0.05, "temperature": 0.0125, "realizations": 1}


@pytest.mark.parametrize(("case", "omega"), BAND_MODELS, ids=["2d", "1d"])
def test_band_mode_equals_full_band_and_dense_with_the_exact_trace(case, omega):
    """Same vectors (the exact trace, so no stochastic error and every vector's odd part
    cancels): the band-filtered run equals the full-band alias-step run to 1e-8 and the
    dense engine to the engine's own tolerance, with a larger time step."""
    model = AndersonModel(**case)
    runs = {
        rule: kpm.kpm_complex_conductivity(
            model,
            omega,
            kernel="gaussian",
            seed=3,
            vectors=_basis(model),
            real_part=True,
            time_step_rule=rule,
            **BAND_SETTINGS,
        )  # fmt: skip
        for rule in (kpm.BAND_STEP, kpm.ALIAS_STEP)
    }
    band, full = runs[kpm.BAND_STEP], runs[kpm.ALIAS_STEP]
    assert band.raw.settings["time_step_rule"] == kpm.BAND_STEP
    assert band.raw.time_step[0] > 1.4 * full.raw.time_step[0]
    scale = np.abs(full.mean).max()
    assert np.abs(band.mean - full.mean).max() < BAND_RTOL * scale
    dense = lattice.conductivity(model, omega, kernel="gaussian", seed=3, **BAND_SETTINGS)
    assert np.abs(band.mean - dense.mean).max() < SIGMA_EXACT_RTOL * scale


@pytest.mark.parametrize(
    ("case", "omega"),
    [
        ({"dim": 2, "L": 16, "disorder": 2.0, "boundary": "open"}, np.linspace(0.4, 1.0, 4)),
        ({"dim": 1, "L": 200, "disorder": 1.0, "boundary": "open"}, np.linspace(0.4, 0.6, 3)),
    ],
    ids=["2d", "1d"],
)
def test_band_mode_is_chosen_and_agrees_with_dense_within_stochastic_error(case, omega):
    """lattice.conductivity picks the band mode for a low-frequency Gaussian Re sigma
    (random-phase vectors) and agrees with the dense engine within the stated error."""
    model = AndersonModel(**case)
    result = lattice.conductivity(
        model, omega, kernel="gaussian", seed=5, engine="kpm", vectors=8, **BAND_SETTINGS
    )
    assert result.raw.settings["time_step_rule"] == kpm.BAND_STEP
    dense = lattice.conductivity(model, omega, kernel="gaussian", seed=5, **BAND_SETTINGS)
    assert np.max(_z_scores(result, dense.mean)) < z_max(7)


def test_band_mode_refuses_what_it_cannot_deliver():
    """Re sigma only (Im NaN on reprocessing); omega above the recorded band, below
    BAND_MIN_OMEGA eta, the Lorentzian and the complex sigma are refused; a low omega
    falls back to the alias step."""
    model = AndersonModel(dim=1, L=12, disorder=1.0, boundary="open")
    kwargs = {"kernel": "gaussian", "vectors": 2, "real_part": True, **BAND_SETTINGS}
    result = kpm.kpm_complex_conductivity(model, [0.5], time_step_rule="band", **kwargs)
    assert not np.iscomplexobj(result.values) and np.all(np.isfinite(result.values))
    assert np.all(np.isnan(result.raw.kinetic))  # D_f is not measured on filtered vectors
    rebuilt = kpm.conductivity_from_correlation(result.raw, [0.4, 0.5], 0.05, "gaussian")
    assert np.all(np.isnan(rebuilt.imag))
    with pytest.raises(ValueError, match="band-filtered samples hold no pairs above it"):
        kpm.conductivity_from_correlation(result.raw, [0.6], 0.05, "gaussian")
    with pytest.raises(ValueError, match="omit D"):
        kpm.conductivity_from_correlation(result.raw, [0.3], 0.05, "gaussian")
    with pytest.raises(ValueError, match="alias limit"):
        kpm.conductivity_from_correlation(result.raw, [0.5], 0.5, "lorentzian")
    with pytest.raises(ValueError, match="needs omega >="):
        kpm.kpm_complex_conductivity(model, [0.3, 0.5], time_step_rule="band", **kwargs)
    with pytest.raises(ValueError, match="Gaussian window only"):
        kpm.kpm_complex_conductivity(
            model, [0.5], kernel="gaussian", vectors=2, time_step_rule="band", **BAND_SETTINGS
        )
    low = kpm.kpm_complex_conductivity(model, [0.01, 0.5], **kwargs)
    assert low.raw.settings["time_step_rule"] == kpm.ALIAS_STEP
