"""The 2D weak-disorder rows: Eq. (42) data recover 1/(4 pi^2), its level and the Drude level;
small lattices wait for the large-lattice engines; the paired magnetoconductance row."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from compare.analysis import analyze
from compare.claims import evaluate
from compare.claims.time_reversal import magnetoconductance_theory
from compare.claims.weak_localization import (
    ENGINE_NOTE,
    THOULESS_SEPARATION,
    born_drude,
    engine_theory,
    open_length,
    realization_slopes,
    truncated_lorentzian,
    window,
)
from compare.figure_check import figure_problems
from compare.records import ArchiveRecord, ConductivityRecord, LatticeParameters, PointRecord
from compare.report import ascii_notation
from compare.statistics import student_interval
from compare.style import RC
from theory.asymptotics import WEAK_LOCALIZATION_SLOPE_2D
from theory.boundary import open_axis_conductivity
from theory.eq42 import solve_eq42
from theory.magnetic import LOG_EQUIVALENT_FACTOR, landau_level_conductivity_change
from theory.mapping import map_lattice
from theory.observables import conductivity

#: l = 7.6 at W = 2, E_F = -1 (Born regime); the window is set by D0 (2 pi/L)^2 and 1/(10 tau).
W, E_F, R, ETA = 2.0, -1.0, 20, 0.0005
#: The discrete Cooperon slope's largest relative deviation from the continuum at w >= 2 D0 q_1^2
#: (measured 2.5 % for L = 128 ... 512 at l = 3.4).
THOULESS_TOL = 0.03
#: Closed forms against quadrature: the convolution grid's accuracy.
QUADRATURE_TOL = 1e-4


def _record(
    sizes: tuple[int, ...],
    omega: np.ndarray | None = None,
    noise: float = 0.02,
    eta: float = ETA,
    boundary: tuple[str, ...] = (),
    flux: float = 0.0,
    factor: float = 1.0,
    closed_ends: bool = False,
) -> ArchiveRecord:
    """Eq. (42) curves times (1 + noise x Gaussian), R realizations per size; with
    ``closed_ends`` the curve of the open-x sample, Re(sigma F) (theory.boundary)."""
    rng = np.random.default_rng(5)
    mapping = map_lattice(2, W, E_F)
    omega = np.geomspace(5e-4, 0.5, 50) if omega is None else omega
    bulk = conductivity(solve_eq42(mapping.parameters, omega))
    rho = mapping.parameters.density_of_states
    points = []
    for n in sizes:
        sigma = (open_axis_conductivity(omega, bulk, rho, n) if closed_ends else bulk).real
        noisy = sigma * (1 + noise * rng.standard_normal((R, omega.size)))
        lattice = LatticeParameters(2, (n, n), W, E_F, boundary=boundary)
        points.append(PointRecord(f"dim2_L{n}", lattice, ConductivityRecord(omega, noisy, eta)))
        if flux:
            change = magnetoconductance_theory(mapping, flux, omega, factor)
            lattice = LatticeParameters(2, (n, n), W, E_F, flux=flux, boundary=boundary)
            own = 0.002 * sigma * rng.standard_normal((R, omega.size))  # flux-dependent noise
            record = ConductivityRecord(omega, noisy + change + own, eta)  # same disorder
            points.append(PointRecord(f"dim2_L{n}_flux", lattice, record))
    return ArchiveRecord(9, points=tuple(points))


def _row(analysis, kind: str):
    (row,) = [r for r in evaluate(analysis).rows if r.kind == kind]
    return row


def test_eq42_data_give_the_universal_slope() -> None:
    analysis = analyze([_record((1024, 2048, 4096))])
    row = _row(analysis, "wl_2d")
    assert row.verdict == "agrees", row.summary_line()
    assert row.judged_against == "theory"
    # Eq. (42) on this window: the universal value up to O(lambda) = 2 % and the window's
    # approach to 1/tau.
    assert row.references["theory"].value == pytest.approx(WEAK_LOCALIZATION_SLOPE_2D, rel=0.15)
    assert row.ratio_to("exact").contains(
        row.references["theory"].value / WEAK_LOCALIZATION_SLOPE_2D
    )
    low, high = window(analysis.points[0])
    mapping = map_lattice(2, W, E_F)
    thouless = mapping.parameters.diffusion_constant * (2 * math.pi / 1024) ** 2
    assert low == pytest.approx(max(3 * ETA, THOULESS_SEPARATION * thouless))
    assert high == pytest.approx(1 / (10 * mapping.tau))
    assert _row(analysis, "wl_level_2d").verdict == "agrees"
    # every frequency lies far above w0 = 7e-12: no A w^2 row, no curve in that figure
    kinds = {r.kind for r in evaluate(analysis).rows}
    assert not kinds & {"sigma_w2", "sigma_curve"}


def test_an_open_axis_halves_the_lowest_cooperon_wavevector() -> None:
    periodic = analyze([_record((256,), eta=1e-5)]).points[0]
    open_x = analyze([_record((256,), eta=1e-5, boundary=("open", "periodic"))]).points[0]
    assert window(open_x)[0] == pytest.approx(window(periodic)[0] / 4)


def test_open_x_data_agree_with_eq42_only_through_the_open_axis_factor() -> None:
    """Data of closed-end samples (Re sigma F, L = 256-400: F ~ 0.6-0.9 in the window) agree
    with the open-x rows (the slope as a ratio to the L-dependent prediction); the same data
    on a periodic lattice meet the bulk curve, 10-40 % above them, and do not agree."""
    sizes, open_x = (256, 320, 400), ("open", "periodic")
    analysis = analyze([_record(sizes, boundary=open_x, closed_ends=True)])
    assert open_length(analysis.points[0]) == 256
    for kind in ("wl_2d", "wl_level_2d"):
        row = _row(analysis, kind)
        assert row.verdict == "agrees", row.summary_line()
    assert "with the open-axis factor" in _row(analysis, "wl_level_2d").note
    # the factor lowers the level and steepens the logarithm
    point = analysis.points[-1]
    inside = window(point)[0] <= point.conductivity.omega
    inside &= point.conductivity.omega <= window(point)[1]
    closed, bulk = engine_theory(point)[inside], engine_theory(point, open_axis=False)[inside]
    np.testing.assert_array_equal(bulk, point.conductivity.theory[inside])
    assert np.all(closed < bulk)
    w = point.conductivity.omega[inside]
    assert realization_slopes(w, closed[None])[0] > realization_slopes(w, bulk[None])[0]
    periodic = analyze([_record(sizes, closed_ends=True)])
    assert open_length(periodic.points[0]) is None
    assert _row(periodic, "wl_level_2d").verdict != "agrees"


def test_open_x_factor_comes_before_the_engine_broadening() -> None:
    """Sparse engine (w_max, Lorentzian): the open-x curve is the broadened and cut Re(sigma F)."""
    omega, eta, w_max, n = np.geomspace(3e-3, 0.06, 12), 0.0015, 0.07, 224
    values = np.ones((2, omega.size))
    lattice = LatticeParameters(2, (n, n), 3.0, -1.0, boundary=("open", "periodic"))
    record = ConductivityRecord(omega, values, eta, "lorentzian", w_max)
    point = analyze([ArchiveRecord(9, points=(PointRecord("p", lattice, record),))]).points[0]
    params = map_lattice(2, 3.0, -1.0).parameters

    def spectrum(w):
        sigma = conductivity(solve_eq42(params, w))
        return open_axis_conductivity(w, sigma, params.density_of_states, n).real

    expected = truncated_lorentzian(omega, spectrum, eta, w_max)
    np.testing.assert_allclose(engine_theory(point), expected, rtol=1e-12)


def test_dense_sized_lattices_need_the_large_lattice_engine() -> None:
    analysis = analyze([_record((24, 32, 48))])
    row = _row(analysis, "wl_2d")
    assert row.verdict == "not tested" and ENGINE_NOTE in row.reason
    assert _row(analysis, "wl_level_2d").verdict == "not tested"


def test_a_flat_curve_is_not_the_logarithm() -> None:
    """Re sigma constant in w: the slope interval holds 0, so the row cannot agree."""
    mapping = map_lattice(2, W, E_F)
    omega = np.geomspace(5e-4, 0.5, 50)
    rng = np.random.default_rng(1)
    flat = mapping.stiffness * mapping.tau * (1 + 0.02 * rng.standard_normal((R, omega.size)))
    points = tuple(
        PointRecord(
            f"dim2_L{n}",
            LatticeParameters(2, (n, n), W, E_F),
            ConductivityRecord(omega, flat, ETA),
        )
        for n in (1024, 2048, 4096)
    )
    row = _row(analyze([ArchiveRecord(9, points=points)]), "wl_2d")
    assert row.verdict == "not tested"


def test_discrete_cooperon_sum_keeps_the_slope_from_two_thouless_energies() -> None:
    """(1/L^2) sum_q Re 1/(D q^2 - i w) over a periodic lattice (q != 0, |q| < 1/l) against the
    continuum integral with the same cutoff: slopes in ln w agree within THOULESS_TOL from
    w = THOULESS_SEPARATION D (2 pi/L)^2 to half the cutoff."""
    diffusion, length = 3.83, 3.4
    for size in (128, 256):
        q = 2 * np.pi * np.arange(-size // 2, size // 2) / size
        q2 = (q[:, None] ** 2 + q[None, :] ** 2).ravel()
        q2 = q2[(q2 > 0) & (q2 < length**-2)]
        thouless = diffusion * (2 * np.pi / size) ** 2
        omega = np.geomspace(THOULESS_SEPARATION, 0.5 * diffusion / length**2 / thouless, 40)
        omega *= thouless

        def correction(w: np.ndarray, q2: np.ndarray = q2, size: int = size) -> np.ndarray:
            a = w[:, None] / diffusion
            return -(q2 / (q2**2 + a**2)).sum(axis=1) / (math.pi * size**2)

        step = 1e-4
        slope = (correction(omega * np.exp(step)) - correction(omega * np.exp(-step))) / (2 * step)
        continuum = WEAK_LOCALIZATION_SLOPE_2D / (1 + (omega / diffusion * length**2) ** 2)
        assert np.max(np.abs(slope / continuum - 1)) < THOULESS_TOL


def test_realization_slopes_and_student_interval() -> None:
    omega = np.geomspace(0.01, 0.1, 7)
    values = np.array([0.3 + k * np.log(omega) for k in (0.01, 0.02, 0.03)])
    np.testing.assert_allclose(realization_slopes(omega, values), [0.01, 0.02, 0.03])
    estimate = student_interval(np.array([0.01, 0.02, 0.03]))
    # t(0.975, 2) = 4.303, sd = 0.01, n = 3
    assert estimate.value == pytest.approx(0.02)
    assert estimate.high - estimate.value == pytest.approx(4.302653 * 0.01 / math.sqrt(3))
    with pytest.raises(ValueError, match="need >= 2"):
        student_interval(np.array([1.0]))


def test_born_drude_broadening_is_the_lorentzian_convolution() -> None:
    """The engines' kernel (with its mirror term) on the even Drude Lorentzian."""
    sigma0, tau, eta = 0.5, 1.5, 0.1
    grid = np.linspace(-400, 400, 1_600_001)
    spectrum = born_drude(grid, sigma0, tau)
    for w in (0.3, 0.7, 1.4):
        kernel = eta / np.pi / ((w - grid) ** 2 + eta**2)
        value = np.trapezoid(spectrum * kernel, grid)
        assert value == pytest.approx(born_drude(np.array(w), sigma0, tau, eta), rel=1e-3)


def test_drude_level_of_broadened_born_data_agrees() -> None:
    mapping = map_lattice(2, W, E_F)
    omega = np.linspace(0.5, 2.5, 21) / mapping.tau
    rng = np.random.default_rng(3)
    eta = 0.05
    sigma0 = mapping.stiffness * mapping.tau
    # broadened Born times the Eq. (42) correction (the small logarithm left at w > 1/tau)
    correction = conductivity(solve_eq42(mapping.parameters, omega)).real / born_drude(
        omega, sigma0, mapping.tau
    )
    drude = born_drude(omega, sigma0, mapping.tau, eta) * correction
    points = tuple(
        PointRecord(
            f"dim2_L{n}",
            LatticeParameters(2, (n, n), W, E_F, boundary=("open", "periodic")),
            ConductivityRecord(omega, drude * (1 + 0.01 * rng.standard_normal((8, 21))), eta),
        )
        for n in (256, 512, 1024)
    )
    row = _row(analyze([ArchiveRecord(9, points=points)]), "drude_2d")
    assert row.verdict == "agrees", row.summary_line()
    # Eq. (42) at w > 1/tau: within a few per cent of Born
    assert row.references["theory"].value == pytest.approx(1.0, abs=0.05)


@pytest.mark.slow
def test_magnetoconductance_of_eq42_data_agrees_and_needs_the_rate_in_the_window() -> None:
    mapping = map_lattice(2, W, E_F)
    # 1/tau_s = 8 pi flux D0 = 0.01, inside 3 max(eta, ...) ... 1/(10 tau) = 0.03 at L >= 1024
    flux = 0.01 / (8 * math.pi * mapping.parameters.diffusion_constant)
    analysis = analyze([_record((1024, 2048, 4096), flux=flux)])
    row = _row(analysis, "tr_wl")
    assert row.verdict == "agrees", row.summary_line()
    assert "log-equivalent" in row.note
    # the Landau-level reading (rate x 0.14) changes the prediction: a different curve is
    # resolved at 2 % noise
    other = analyze([_record((1024, 2048, 4096), flux=flux, factor=0.14)])
    assert _row(other, "tr_wl").verdict != "agrees"
    # the note's ratios of window averages: the log-equivalent data meet their own reading
    # at every size and miss the constant-rate one (about 0.2 of it)
    for note, wanted in ((row.note, "1/tau_s"), (_row(other, "tr_wl").note, "log-equivalent")):
        ratios = re.findall(
            r"measured/Eq\. \(42\) (\S+) \[(\S+), (\S+)\] with 1/tau_s, "
            r"(\S+) \[(\S+), (\S+)\] with the log-equivalent rate",
            note,
        )
        assert len(ratios) == 3, note
        for ratio in np.array(ratios, dtype=float):
            own, alien = (ratio[:3], ratio[3:]) if wanted == "1/tau_s" else (ratio[3:], ratio[:3])
            assert own[1] <= 1.0 <= own[2], note
            assert not alien[1] <= 1.0 <= alien[2], note
    strong = 0.2 / (8 * math.pi * mapping.parameters.diffusion_constant)
    outside = _row(analyze([_record((1024, 2048, 4096), flux=strong)]), "tr_wl")
    assert outside.verdict == "not tested" and "outside the window" in outside.reason


def test_magnetoconductance_figure_shows_the_pairs_and_both_readings() -> None:
    """The paired change per size with its standard error, the two Eq. (42) readings and
    the Landau-level change on the largest lattice's grid, and 1/tau_s; the figure passes
    the figure check."""
    mapping = map_lattice(2, W, E_F)
    flux = 0.01 / (8 * math.pi * mapping.parameters.diffusion_constant)
    omega = np.geomspace(2e-3, 0.05, 20)
    analysis = analyze([_record((1024, 2048), omega, flux=flux)])
    (plot,) = [p for p in evaluate(analysis).plots if p.name == "magnetoconductance_2d"]
    assert figure_problems(plot.figure, plot.caption, RC) == []
    assert ascii_notation(plot.caption) == []
    (curves,) = plot.panels.values()
    by_role = {}
    for curve in curves:
        by_role.setdefault(curve.role, []).append(curve)
    assert [c.label for c in by_role["numerics"]] == ["$L=1024$", "$L=2048$"]
    exact = magnetoconductance_theory(mapping, flux, omega)
    # the data are Eq. (42) plus the change plus 0.2 % noise of their own, 20 pairs
    for curve in by_role["numerics"]:
        assert np.all(np.abs(curve.y - exact) < 5 * curve.yerr + 1e-12)
    np.testing.assert_allclose(by_role["theory"][0].y, exact)
    log_equivalent = magnetoconductance_theory(mapping, flux, omega, LOG_EQUIVALENT_FACTOR)
    np.testing.assert_allclose(by_role["fit_alt"][0].y, log_equivalent)
    rate = 8 * math.pi * flux * mapping.parameters.diffusion_constant
    landau = landau_level_conductivity_change(omega, rate).real  # periodic: no open factor
    np.testing.assert_allclose(by_role["exact"][0].y, landau, rtol=1e-9, atol=1e-12)
    assert by_role["reference"][0].x[0] == pytest.approx(0.01)


def test_truncated_lorentzian_of_a_constant_is_the_arctan_closed_form() -> None:
    """A constant spectrum cut at w_max, Lorentzian with mirror: (c/pi)[arctan((w_max - w)/eta)
    + arctan((w_max + w)/eta)]; 9 % of it is missing at w_max - w = 3.7 eta."""
    eta, w_max, level = 0.0015, 0.07, 0.5
    omega = np.array([0.003, 0.02, 0.05, 0.0645])
    value = truncated_lorentzian(omega, lambda w: np.full_like(w, level), eta, w_max)
    exact = level / np.pi * (np.arctan((w_max - omega) / eta) + np.arctan((w_max + omega) / eta))
    np.testing.assert_allclose(value, exact, rtol=QUADRATURE_TOL)
    assert 1 - value[-1] / level == pytest.approx(eta / (np.pi * (w_max - 0.0645)), rel=0.05)


def test_a_curved_residual_is_not_judged_and_says_why() -> None:
    """Eq. (42) data plus a common curvature in ln w (a few per cent of sigma across the
    window, far above the 2 % per-frequency noise averaged over R realizations): the
    realization-covariance test rejects "Eq. (42) + line", so the slope is not judged."""
    record = _record((1024, 2048, 4096))
    points = []
    for point in record.points:
        c = point.conductivity
        u = np.log(c.omega) - np.log(c.omega).mean()
        curved = c.values + 0.01 * c.values.mean() * u**2
        points.append(
            PointRecord(point.point_id, point.lattice, ConductivityRecord(c.omega, curved, c.eta))
        )
    row = _row(analyze([ArchiveRecord(9, points=tuple(points))]), "wl_2d")
    assert row.verdict == "not tested"
    assert "realization-covariance test of its smooth deviations" in row.reason
