"""``vwloc xi``: JSON contract, physics of the printed number, one-line errors with exit 2."""

from __future__ import annotations

import json
import math

import pytest

from batch.cli import main

#: Thouless weak-disorder xi at W = 1, E = 0.5 is 90; the next order is -0.6 % there.
THOULESS_TOL = 0.02


def test_json_keys_and_value(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["xi", "--dim", "1", "--disorder", "1", "--energy", "0.5", "--json"])
    assert status == 0
    out = json.loads(capsys.readouterr().out)
    for key in ("xi", "xi_err", "dim", "width", "energy", "disorder", "length", "Lambda"):
        assert key in out
    assert out["xi_err"] / out["xi"] <= 0.005
    assert out["xi"] == pytest.approx(24 * (4 - 0.25), rel=THOULESS_TOL)
    assert out["Lambda"] == out["xi"] and out["width"] == 1 and out["dim"] == 1


def test_bar_text_output_reports_lambda(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["xi", "--dim", "3", "--disorder", "16.5", "--energy", "0", "--width", "4"]
    assert main([*argv, "--precision", "0.02"]) == 0
    text = capsys.readouterr().out
    assert "Lambda = xi/M" in text and "bar M=4" in text


def test_clean_in_band_gives_null_not_infinity(capsys: pytest.CaptureFixture[str]) -> None:
    """JSON has no Infinity: an unresolved exponent is reported as null, never as a number."""
    from batch.commands.xi import result_json
    from lattice import localization_length

    out = result_json(localization_length(1, 0.0, 0.5, max_length=2**18))
    json.dumps(out, allow_nan=False)
    assert out["converged"] is False
    assert out["xi"] is None or (math.isfinite(out["xi"]) and out["xi"] > 1e5)


@pytest.mark.parametrize(
    ("extra", "word"),
    [
        (["--width", "0", "--dim", "2"], "width"),
        (["--disorder", "-1"], "disorder"),
        (["--disorder", "nan"], "disorder"),
        (["--energy", "nan"], "energy"),
        (["--precision", "1.5"], "precision"),
        (["--precision", "0"], "precision"),
        (["--seed", "-3"], "seed"),
    ],
)
def test_bad_input_one_line_exit_2(
    extra: list[str], word: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["xi", "--dim", "1", "--disorder", "1", "--energy", "0.5", *extra]
    # argparse keeps the last occurrence of a repeated option.
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and word in lines[0]


def test_progress_bar_on_a_terminal_only_on_stderr(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    argv = ["xi", "--dim", "2", "--disorder", "5", "--energy", "0", "--width", "4"]
    assert main([*argv, "--precision", "0.02"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("xi = ")
    assert "vwloc xi" in captured.err  # the tqdm bar went to stderr


def _one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1 and "Traceback" not in captured.err
    return lines[0]


@pytest.mark.parametrize(
    "extra", [["--dim", "1", "--energy", "0.5"], ["--dim", "2", "--width", "4", "--energy", "3.9"]]
)
def test_clean_system_in_band_is_refused(extra, capsys: pytest.CaptureFixture[str]) -> None:
    """W = 0 where a channel propagates: xi is infinite, not a number to estimate."""
    assert main(["xi", "--disorder", "0", *extra]) == 2
    assert "--disorder 0" in _one_error_line(capsys)


def test_clean_chain_outside_the_band_is_the_exact_decay(capsys) -> None:
    assert main(["xi", "--dim", "1", "--disorder", "0", "--energy", "2.5", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["xi"] == pytest.approx(1.0 / math.acosh(1.25), rel=1e-3)


def test_huge_width_is_refused_before_any_allocation(capsys) -> None:
    argv = ["xi", "--dim", "3", "--width", "100000", "--disorder", "16", "--energy", "0"]
    assert main(argv) == 2
    line = _one_error_line(capsys)
    assert "of memory" in line and "available" in line and len(line) <= 200


def test_long_runs_announce_their_estimate(capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    from batch.commands import xi

    monkeypatch.setattr(xi, "ESTIMATE_SECONDS", 0.0)
    argv = ["xi", "--dim", "2", "--width", "4", "--disorder", "5", "--energy", "0"]
    assert main([*argv, "--precision", "0.05"]) == 0
    err = capsys.readouterr().err
    assert err.startswith("vwloc xi: estimate: ") and " slices: " in err
    assert main([*argv, "--precision", "0.05", "--json"]) == 0
    assert capsys.readouterr().err == ""  # nothing but the JSON object in --json mode


def test_progress_lines_give_the_remaining_time_from_the_first_slices(capsys, monkeypatch):
    """Off a terminal: plain lines, the first within the first block (per QR interval)."""
    from batch import progress
    from lattice.transfer_matrix import transfer

    monkeypatch.setattr(transfer, "PROGRESS_SITES", 1)  # small slices report like big ones
    monkeypatch.setattr(progress, "LINE_EVERY_SECONDS", 0.0)
    argv = ["xi", "--dim", "2", "--width", "4", "--disorder", "5", "--energy", "0"]
    assert main([*argv, "--precision", "0.05"]) == 0
    lines = capsys.readouterr().err.splitlines()
    assert lines and all(line.startswith("vwloc xi: ") for line in lines)
    assert " left; " in lines[0]
    first = int(lines[0].split("; ")[1].split(" of")[0].replace(",", ""))
    assert first < 240  # one block of a strip is 240 slices


def test_remaining_time_follows_rate_and_error() -> None:
    import io

    from batch.commands.xi import SliceProgress
    from lattice.transfer_matrix.transfer import transfer_work

    work = transfer_work(2, 1.0, 0.0, width=2000)
    now = [0.0]
    stream = io.StringIO()
    progress = SliceProgress(work, 0.005, stream=stream, clock=lambda: now[0])
    now[0] = 31.0
    progress.update(240)  # 3.1 % (rounded to 0.1 %) of the minimum length in 31 s: 969 s left
    assert progress.target == work.min_length
    assert stream.getvalue() == (
        f"vwloc xi: 3 %, 31 s elapsed, about 16.1 min left; 240 of about {work.min_length:,} "
        "slices\n"
    )
    progress.estimate(9600, 0.01)  # error 2x the target: 4x the slices, within the bounds
    assert progress.target == 38400
