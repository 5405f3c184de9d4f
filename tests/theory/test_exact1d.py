"""Exact 1D references: constants match data/references, limits and consistency."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

from theory.exact1d import (
    BACKSCATTERING_TIME_FACTOR,
    BEREZINSKII_POLARIZABILITY_COEFFICIENT,
    BEREZINSKII_READINGS,
    KAPPUS_WEGNER_COEFFICIENT,
    THOULESS_COEFFICIENT,
    berezinskii_conductivity,
    berezinskii_static_polarizability,
    berezinskii_time,
    drude_conductivity_1d,
    kappus_wegner_localization_length,
    thouless_localization_length,
)

REFERENCES = Path(__file__).resolve().parents[2] / "data" / "references" / "theory_1d_exact.toml"
#: zeta(3) (Apery's constant), written out so the tests do not share the code's scipy call.
ZETA3 = 1.2020569031595942
#: Closed forms evaluated two ways (a handful of flops): rounding only.
EXACT_TOL = 1e-12


def test_constants_match_the_cited_reference_file() -> None:
    data = tomllib.loads(REFERENCES.read_text(encoding="utf-8"))
    assert data["thouless_localization_length"]["coefficient"] == THOULESS_COEFFICIENT
    assert data["kappus_wegner_localization_length"]["coefficient"] == pytest.approx(
        KAPPUS_WEGNER_COEFFICIENT, rel=1e-15
    )
    berezinskii = data["berezinskii_static_polarizability"]
    assert berezinskii["coefficient"] == pytest.approx(
        BEREZINSKII_POLARIZABILITY_COEFFICIENT, rel=1e-15
    )
    assert berezinskii["coefficient"] == pytest.approx(4 * berezinskii["zeta_3"], rel=1e-15)
    # Berezinskii's tau_B is the backscattering time, BACKSCATTERING_TIME_FACTOR x the Born
    # time, in both entries of the file
    for name in ("berezinskii_conductivity", "berezinskii_static_polarizability"):
        assert data[name]["backscattering_time_factor"] == BACKSCATTERING_TIME_FACTOR
        assert "backscattering" in data[name]["tau_B"]
    for entry in data.values():
        assert entry["citations"], entry


def test_kappus_wegner_is_the_known_105_045() -> None:
    assert KAPPUS_WEGNER_COEFFICIENT == pytest.approx(105.045, abs=1e-3)
    # 9 % longer than the perturbative 96/W^2 at the band centre
    ratio = kappus_wegner_localization_length(0.5) / thouless_localization_length(0.0, 0.5)
    assert ratio == pytest.approx(105.0451 / 96, rel=1e-6)


def test_thouless_formula() -> None:
    assert thouless_localization_length(1.0, 0.5) == pytest.approx(24 * 3 / 0.25)
    assert thouless_localization_length(1.0, 0.5, hopping=2.0) == pytest.approx(24 * 15 / 0.25)
    with pytest.raises(ValueError, match="energy"):
        thouless_localization_length(2.5, 1.0)
    with pytest.raises(ValueError, match="disorder"):
        thouless_localization_length(0.5, 0.0)


def _complex_berezinskii(omega: np.ndarray, tau_b: float, v: float) -> np.ndarray:
    """sigma(w) = sigma0_B [2 zeta(3) eps - eps^2 (ln^2 eps + (2C - 3) ln eps)],
    eps = -2 i w tau_b, sigma0_B = v tau_b/pi (the complex form of the reference file, c = 0)."""
    eps = -2j * omega * tau_b
    log_eps = np.log(eps)  # principal branch: ln(nu) - i pi/2
    bracket = log_eps**2 + (2 * np.euler_gamma - 3) * log_eps
    return v * tau_b / math.pi * (2 * ZETA3 * eps - eps**2 * bracket)


def test_berezinskii_time_is_twice_the_born_time() -> None:
    tau = 3.0
    assert BEREZINSKII_READINGS[0] == "backscattering"  # the default
    assert berezinskii_time(tau) == 2 * tau
    assert berezinskii_time(tau, "backscattering") == 2 * tau
    assert berezinskii_time(tau, "born") == tau
    with pytest.raises(ValueError, match="reading"):
        berezinskii_time(tau, "transport")
    with pytest.raises(ValueError, match="tau"):
        berezinskii_time(0.0)


@pytest.mark.parametrize(("reading", "tau_b_over_tau"), [("backscattering", 2), ("born", 1)])
def test_berezinskii_conductivity_is_the_real_part_of_the_complex_form(
    reading, tau_b_over_tau
) -> None:
    """Re of the complex form with eps = -2 i w tau_B: nu = 4 w tau for tau_B = 2 tau."""
    tau, v = 3.0, 1.5
    tau_b = tau_b_over_tau * tau
    omega = np.array([1e-6, 1e-4, 1e-3, 1e-2]) / tau
    full = berezinskii_conductivity(omega, tau, v, reading=reading)
    np.testing.assert_allclose(full, _complex_berezinskii(omega, tau_b, v).real, rtol=EXACT_TOL)
    leading = berezinskii_conductivity(omega, tau, v, subleading=False, reading=reading)
    nu = 2 * omega * tau_b
    np.testing.assert_allclose(leading, v * tau_b / math.pi * nu**2 * np.log(nu) ** 2, rtol=1e-14)
    # the subleading terms are relatively O(1/ln nu)
    small = nu < 0.01
    assert np.all(full[small] > 0)
    assert np.all(np.abs(full[small] / leading[small] - 1) < 4 / np.abs(np.log(nu[small])))
    # the O(eps) term is -i w alpha(0): alpha(0) = 4 zeta(3) sigma0_B tau_B of the same tau_B
    linear = v * tau_b / math.pi * 2 * ZETA3 * (-2j * omega * tau_b)
    alpha = berezinskii_static_polarizability(tau, v, reading=reading)
    np.testing.assert_allclose(-linear.imag / omega, alpha, rtol=EXACT_TOL)
    with pytest.raises(ValueError, match="omega"):
        berezinskii_conductivity([-1.0], tau, v)


def test_default_reading_is_the_backscattering_time() -> None:
    tau, v = 3.0, 1.5
    omega = np.array([1e-5, 1e-3]) / tau
    np.testing.assert_array_equal(
        berezinskii_conductivity(omega, tau, v),
        berezinskii_conductivity(omega, tau, v, reading="backscattering"),
    )
    nu = 4 * omega * tau  # nu = 2 w tau_b, tau_b = 2 tau
    expected = 2 * v * tau / math.pi * nu**2 * np.log(nu) ** 2
    np.testing.assert_allclose(
        berezinskii_conductivity(omega, tau, v, subleading=False), expected, rtol=1e-14
    )


def test_static_polarizability_against_eq42() -> None:
    """alpha_exact/alpha_VW = 4 zeta(3) (tau_B = 2 tau everywhere) or zeta(3) (tau_B = tau),
    alpha_VW = 4 sigma0 tau the Eq. (42) value in d = 1 (docs/theory.md section 6a)."""
    tau, v = 3.0, 1.5
    sigma0 = drude_conductivity_1d(tau, v)
    assert sigma0 == pytest.approx(v * tau / math.pi, rel=1e-15)
    alpha_vw = 4 * sigma0 * tau
    exact = berezinskii_static_polarizability(tau, v)
    assert exact == pytest.approx(16 * ZETA3 * v * tau**2 / math.pi, rel=EXACT_TOL)
    assert exact / alpha_vw == pytest.approx(4 * ZETA3, rel=EXACT_TOL)
    born = berezinskii_static_polarizability(tau, v, reading="born")
    assert born / alpha_vw == pytest.approx(ZETA3, rel=EXACT_TOL)
