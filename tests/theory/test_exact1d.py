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
    BEREZINSKII_POLARIZABILITY_COEFFICIENT,
    KAPPUS_WEGNER_COEFFICIENT,
    THOULESS_COEFFICIENT,
    berezinskii_conductivity,
    berezinskii_static_polarizability,
    drude_conductivity_1d,
    kappus_wegner_localization_length,
    thouless_localization_length,
)

REFERENCES = Path(__file__).resolve().parents[2] / "data" / "references" / "theory_1d_exact.toml"


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


def test_berezinskii_conductivity_forms() -> None:
    tau, v = 3.0, 1.5
    omega = np.array([1e-6, 1e-4, 1e-3]) / tau
    leading = berezinskii_conductivity(omega, tau, v, subleading=False)
    nu = 2 * omega * tau
    np.testing.assert_allclose(leading, v * tau / math.pi * nu**2 * np.log(nu) ** 2, rtol=1e-14)
    full = berezinskii_conductivity(omega, tau, v)
    assert np.all(full > 0)
    # the subleading terms are relatively O(1/ln nu)
    assert np.all(np.abs(full / leading - 1) < 4 / np.abs(np.log(nu)))
    assert drude_conductivity_1d(tau, v) == pytest.approx(v * tau / math.pi)
    assert berezinskii_static_polarizability(tau, v) == pytest.approx(
        4 * 1.2020569031595942 * v * tau**2 / math.pi
    )
    with pytest.raises(ValueError, match="omega"):
        berezinskii_conductivity([-1.0], tau, v)
