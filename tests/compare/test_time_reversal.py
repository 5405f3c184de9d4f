"""Time-reversal table: Eq. (42) with the flux's 1/tau_s beside the numerics, and its verdicts."""

from __future__ import annotations

import math

import numpy as np
import pytest

from compare.analysis import analyze
from compare.claims import evaluate
from compare.claims.time_reversal import (
    flux_prediction,
    flux_verdict,
    magnetoconductance_theory,
)
from compare.estimate import Estimate
from compare.records import ArchiveRecord, LengthRecord
from compare.report import render_markdown, report_blocks
from theory.boundary import open_axis_factor
from theory.eq42 import solve_eq42
from theory.localized import localization_properties
from theory.magnetic import magnetic_length, with_magnetic_flux
from theory.mapping import map_lattice
from theory.observables import conductivity

#: Closed forms evaluated twice by the same arithmetic: rounding level.
EXACT_TOL = 1e-12
#: A 1e7-site open axis: the factor's boundary layers are |1/z| < 6e-5 of it, so the change
#: (Re and the Im-mixed part) moves by less than 1e-3 relative.
FAR_TOL = 1e-3
#: The table prints 4 significant digits.
PRINTED_TOL = 5e-4

ENERGY, DISORDER, WIDTH = -1.0, 8.0, 16
#: xi_M of the synthetic strip at each flux (grows with flux, as the unitary class does).
XI_BY_FLUX = {0.0: 10.0, 0.02: 12.0, 0.05: 15.0}


def _flux_archive() -> ArchiveRecord:
    """Transfer-matrix records of one 2D strip at several fluxes."""
    lengths = tuple(
        LengthRecord(2, WIDTH, ENERGY, DISORDER, flux, [xi], [0.01 * xi])
        for flux, xi in XI_BY_FLUX.items()
    )
    return ArchiveRecord(3, lengths=lengths)


def test_flux_prediction_is_eq42_with_the_cooperon_rate() -> None:
    """1/tau_s = 8 pi flux D0; r0 = inf with flux, the flux-free r0 beside it."""
    mapping = map_lattice(2, DISORDER, ENERGY)
    prediction = flux_prediction(mapping, 0.05)
    rate = 8.0 * math.pi * 0.05 * mapping.diffusion_constant
    assert prediction.breaking_rate == pytest.approx(rate, rel=EXACT_TOL)
    assert prediction.rate_times_tau == pytest.approx(rate * mapping.tau, rel=EXACT_TOL)
    assert prediction.localization_length == math.inf
    flux_free = localization_properties(mapping.parameters).localization_length
    assert prediction.zero_flux_length == pytest.approx(flux_free, rel=EXACT_TOL)
    assert math.isfinite(prediction.zero_flux_length)


def test_theory_delocalizes_more_with_more_flux_and_not_at_all_without() -> None:
    """D(0)/D0 in (0, 1), rising with flux, below its small-flux bound 4 r0^2/l_B^2 -> 0."""
    mapping = map_lattice(2, DISORDER, ENERGY)
    fluxes = [1e-9, 1e-3, 0.02, 0.05, 0.2]
    ratios = [flux_prediction(mapping, f).diffusion_ratio for f in fluxes]
    assert all(0.0 < r < 1.0 for r in ratios)
    assert np.all(np.diff(ratios) > 0.0)
    r0 = localization_properties(mapping.parameters).localization_length
    # D/D0 = tau/(s tau_s) with s > s0 at w = 0, so it stays below tau/(s0 tau_s)
    assert ratios[0] < 4.0 * r0**2 / magnetic_length(fluxes[0]) ** 2
    assert ratios[0] < 1e-6  # 8 pi r0^2 = 111 per flux quantum
    for gauge in (0.0, 1.0):
        with pytest.raises(ValueError, match="flux"):
            flux_prediction(mapping, gauge)


def test_report_table_has_the_theory_beside_the_numerics() -> None:
    """The time-reversal rows keep the numerical ratio and add 1/tau_s, D(0)/D0, r0, verdict."""
    analysis = analyze([_flux_archive()])
    evaluation = evaluate(analysis)
    markdown = render_markdown(report_blocks(analysis, evaluation))
    lines = markdown.splitlines()
    header = next(line for line in lines if line.startswith("| length |"))
    columns = [c.strip() for c in header.strip("|").split("|")]
    assert columns[:7] == ["length", "W", "E", "flux", "no flux", "with flux", "ratio"]
    assert columns[7:] == [
        "1/τ_s [t/ħ]",  # the report writes the notation in Unicode
        "D(0)/D₀ Eq. (42)",
        "r₀ Eq. (42): no flux → flux",
    ]
    rows = [
        [c.strip() for c in line.strip("|").split("|")]
        for line in lines
        if line.startswith("| ξ_M, d=2")
    ]
    assert [float(r[3]) for r in rows] == [0.02, 0.05]
    mapping = map_lattice(2, DISORDER, ENERGY)
    diffusion = []
    for row in rows:
        flux = float(row[3])
        expected = flux_prediction(mapping, flux)
        assert row[6].startswith(f"{XI_BY_FLUX[flux] / XI_BY_FLUX[0.0]:.4g} [")
        assert float(row[7]) == pytest.approx(expected.breaking_rate, rel=PRINTED_TOL)
        assert float(row[8]) == pytest.approx(expected.diffusion_ratio, rel=PRINTED_TOL)
        assert row[9] == f"{expected.zero_flux_length:.4g} → ∞"
        diffusion.append(float(row[8]))
    for row in evaluation.rows:  # one strip width: the rows say why they are not judged
        assert row.kind == "tr_xi" and row.verdict == "not tested"
        assert row.note.startswith("theory: delocalized at any flux")
        assert "numerics: finite" in row.note and "grows" in row.note
    assert diffusion[1] > diffusion[0] > 0.0


def test_verdict_states_the_trend_and_the_strip_scale() -> None:
    """Ratio interval above, below or around 1; Lambda_M = xi_M/M against 1."""
    prediction = flux_prediction(map_lattice(2, DISORDER, ENERGY), 0.05)
    length = Estimate.from_stderr(15.0, 0.1)
    grown = flux_verdict(prediction, Estimate.from_stderr(1.5, 0.05), length, 16)
    assert "grows x1.5" in grown and "Lambda_M = 0.94 < 1 at M = 16" in grown
    assert "shrinks" in flux_verdict(prediction, Estimate.from_stderr(0.5, 0.05), length)
    same = flux_verdict(None, Estimate.from_stderr(1.0, 0.2), length, 8)
    assert same.startswith("theory: no Born mapping")
    assert "unchanged within errors" in same and ">= 1 at M = 8" in same


def test_closed_ends_multiply_each_conductivity_by_its_own_factor() -> None:
    """Open x: Re[sigma_B F(sigma_B/rho)] - Re[sigma_0 F(sigma_0/rho)]; the bulk one far away."""
    mapping, flux = map_lattice(2, 3.0, -1.0), 2.08e-4
    omega, rho = np.geomspace(0.005, 0.019, 6), mapping.parameters.density_of_states
    bulk = magnetoconductance_theory(mapping, flux, omega)
    far = magnetoconductance_theory(mapping, flux, omega, open_length=10**7)
    np.testing.assert_allclose(far, bulk, rtol=FAR_TOL)
    near = magnetoconductance_theory(mapping, flux, omega, open_length=224)
    broken = conductivity(solve_eq42(with_magnetic_flux(mapping.parameters, flux), omega))
    plain = conductivity(solve_eq42(mapping.parameters, omega))
    expected = (broken * open_axis_factor(omega, broken / rho, 224)).real - (
        plain * open_axis_factor(omega, plain / rho, 224)
    ).real
    np.testing.assert_allclose(near, expected, rtol=EXACT_TOL)
    assert not np.allclose(near, bulk, rtol=0.01)
