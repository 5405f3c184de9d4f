"""``vwloc theory``: JSON keys, values from the theory package, bad input exit 2."""

from __future__ import annotations

import json
import math

import pytest

from batch.cli import main
from theory.critical import critical_coupling
from theory.localized import localization_properties
from theory.mapping import map_lattice
from theory.parameters import TheoryParameters

REQUIRED_KEYS = {
    "tau", "mean_free_path", "lambda", "D0", "localized", "omega0", "r0", "alpha0",
    "sigma_w2_coefficient",
}  # fmt: skip


def _json(capsys, *argv: str) -> dict:
    assert main(["theory", *argv, "--json"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    return json.loads(out)


def test_continuum_json(capsys) -> None:
    data = _json(capsys, "--dim", "2", "--lambda", "0.1")
    assert REQUIRED_KEYS <= data.keys()
    limits = localization_properties(TheoryParameters.from_lambda(2, 0.1))
    assert data["localized"] is True
    assert data["omega0"] == pytest.approx(limits.omega0, rel=1e-14)
    assert data["r0"] == pytest.approx(limits.localization_length, rel=1e-14)
    assert data["lambda"] == pytest.approx(0.1)


def test_three_dimensions_report_the_mobility_edge(capsys) -> None:
    data = _json(capsys, "--dim", "3", "--lambda", "0.2", "--cutoff", "2")
    assert data["lambda_c"] == pytest.approx(critical_coupling(2.0))
    assert data["localized"] is False and data["r0"] is None
    data = _json(capsys, "--dim", "3", "--disorder", "3", "--energy", "0.5")
    assert "lambda_c" in data and data["critical_disorder"] > 3


def test_lattice_chain_reports_thouless(capsys) -> None:
    data = _json(capsys, "--dim", "1", "--disorder", "1", "--energy", "0.5")
    assert data["xi_thouless"] == pytest.approx(4 * data["mean_free_path"])
    assert data["r0"] == pytest.approx(2 * data["mean_free_path"])


def test_time_reversal_breaking_delocalizes(capsys) -> None:
    data = _json(capsys, "--dim", "1", "--lambda", "0.1", "--tau-s", "30")
    assert data["localized"] is False
    assert 0 < data["diffusion_ratio_zero"] < 1


def test_table_output(capsys) -> None:
    assert main(["theory", "--dim", "1", "--lambda", "0.1"]) == 0
    out = capsys.readouterr().out
    assert "omega0" in out and "mean_free_path" in out


@pytest.mark.parametrize(
    "argv, needle",
    [
        (["--dim", "4", "--lambda", "0.1"], "dim"),
        (["--dim", "2", "--lambda", "nan"], "lambda"),
        (["--dim", "2", "--lambda", "-1"], "lambda"),
        (["--dim", "2", "--disorder", "1", "--energy", "9"], "energy"),
        (["--dim", "2", "--disorder", "1"], "--energy"),
        (["--dim", "2", "--lambda", "0.1", "--disorder", "1", "--energy", "1"], "either"),
        (["--dim", "2"], "--lambda"),
        (["--dim", "2", "--lambda", "0.1", "--cutoff", "inf"], "cutoff"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(capsys, argv, needle) -> None:
    assert main(["theory", *argv]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and needle in captured.err
    assert math.isfinite(len(captured.err))


def test_two_dimensional_overflow_prints_inf_and_the_logarithm(capsys) -> None:
    """W = 1e-3: r0 ~ exp(1e7) is not a float; inf plus ln r0, a note, exit 0."""
    assert main(["theory", "--dim", "2", "--disorder", "1e-3", "--energy", "-1", "--json"]) == 0
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert data["r0"] is None and data["localized"] is True
    params = map_lattice(2, 1e-3, -1.0).parameters
    # r0^2 = D0 tau / s0 with D0 tau = l^2/2, s0 = K0^2 exp(-4 pi/G), K0^2 = 1/2
    expected = math.log(params.mean_free_path) + 2.0 * math.pi / params.cooperon_coupling
    assert data["ln_r0"] == pytest.approx(expected, rel=1e-12)
    assert data["outside_regime"] is False
    assert captured.err.count("\n") == 1 and "ln_r0" in captured.err


def test_far_outside_the_regime_warns_and_flags(capsys) -> None:
    assert main(["theory", "--dim", "2", "--disorder", "1e6", "--energy", "-1", "--json"]) == 0
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert data["outside_regime"] is True and data["lambda"] > 1e9
    assert captured.err.count("\n") == 1
    assert captured.err.startswith("vwloc theory: warning: lambda = 5.44e+09 > 1, l = ")
