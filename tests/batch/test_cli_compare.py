"""``vwloc compare`` and ``vwloc demo``: a real archive in, report, figures and plotted data out.

The plotted data (``figures.json``) are read back and compared with the raw
per-realization arrays of the archive read with plain h5py, so a figure is
shown to be regenerated from the archive alone.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
from pathlib import Path

import h5py
import numpy as np
import pytest
from PIL import Image

from batch.archive import read_sweeps
from batch.cli import main
from batch.commands.demo import DEMO_ARCHIVE, DEMO_CONFIGS

#: A 1D sweep with every observable the comparison reads; ~5 s serial.
SMALL = """\
[run]
seed = 3
realizations = 6
block_size = 3

[model]
dim = 1
L = 80
kind = "box"
boundary = "open"
fermi_energy = 0.5

[sweep]
W = [2.0, 3.0]

[observables.conductivity]
omega = { start = 0.02, stop = 1.0, num = 50 }
eta = 0.01

[observables.density_response]
q = { start = 1, stop = 10, step = 1 }
omega = [0.0]
eta = 0.01

[observables.static_polarizability]

[observables.localization_length]
widths = [1]
energies = [0.5]
precision = 0.02
"""

FIGURES = ("sigma_omega2", "xi_1d", "chi_static", "kernel_M", "alpha_distribution")


@pytest.fixture(scope="module")
def compared(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("compare")
    config = root / "small.toml"
    config.write_text(SMALL)
    archive = root / "small.h5"
    assert main(["run", str(config), "-o", str(archive), "--workers", "1"]) == 0
    out = root / "report"
    stdout = io.StringIO()
    with contextlib.redirect_stdout(stdout):
        assert main(["compare", str(archive), "-o", str(out), "--json"]) == 0
    (root / "stdout.txt").write_text(stdout.getvalue())
    return archive, out


def test_compare_writes_report_figures_and_data(compared: tuple[Path, Path]) -> None:
    _, out = compared
    for name in ("report.md", "report.html", "figures.json", "predictions.json"):
        assert (out / name).stat().st_size > 0
    for name in FIGURES:
        assert (out / "figures" / f"{name}.pdf").read_bytes().startswith(b"%PDF")
        with Image.open(out / "figures" / f"{name}.png") as png:
            assert png.format == "PNG"
            if name != "kernel_M":
                assert json.loads(png.text["Comment"])["seeds"] == [3]
    html = (out / "report.html").read_text()
    assert html.count("data:image/png;base64,") == len(FIGURES)
    markdown = (out / "report.md").read_text()
    assert "## Summary" in markdown and "seed = 3" in markdown


def test_plotted_data_equal_the_archive(compared: tuple[Path, Path]) -> None:
    archive, out = compared
    plotted = json.loads((out / "figures.json").read_text())

    def numerics(name: str) -> dict[float, dict]:
        """The numerics curves of the d = 1 panel by their group (the disorder W)."""
        panel = plotted[name]["panels"]["$d = 1$"]
        return {c["group"]: c for c in panel if c["role"] == "numerics"}

    curves, chi_curves = numerics("sigma_omega2"), numerics("chi_static")
    with h5py.File(archive, "r") as handle:
        for disorder in (2.0, 3.0):
            group = handle[f"points/dim1_L80_W{disorder!r}_EF0.5_flux0.0"]
            omega = group["conductivity/omega"][...]
            sigma = group["conductivity/sigma"][...]
            label = disorder
            np.testing.assert_allclose(curves[label]["x"], omega, rtol=1e-15)
            np.testing.assert_allclose(
                curves[label]["y"], sigma.mean(axis=0) / omega**2, rtol=1e-12
            )
            error = sigma.std(axis=0, ddof=1) / np.sqrt(sigma.shape[0]) / omega**2
            np.testing.assert_allclose(curves[label]["yerr"], error, rtol=1e-12)
            chi = group["density_response/chi_static"][...].mean(axis=0)
            q = group["density_response/q"][...]
            static = chi_curves[label]
            np.testing.assert_allclose(static["x"], q[q > 0], rtol=1e-15)
            ratio = np.asarray(static["y"]) / chi[q > 0]
            np.testing.assert_allclose(ratio, ratio[0], rtol=1e-12)  # one chi^T per point
        xi = plotted["xi_1d"]["panels"][""][0]
        stored = [
            handle[f"points/dim1_L80_W{w!r}_EF0.5_flux0.0/localization_length/xi"][0, 0, 0]
            for w in (2.0, 3.0)
        ]
        assert xi["y"] == pytest.approx(stored, rel=1e-15)


def test_predictions_json_has_verdicts(compared: tuple[Path, Path]) -> None:
    _, out = compared
    rows = json.loads((out / "predictions.json").read_text())
    # One chain length (L = 80): nothing that needs a size series can be judged.
    for row in rows:
        if not row["key"].startswith("xi_1d"):
            assert row["verdict"] == "not tested", row
            assert "need >= 3" in row["reason"], row
    xi_rows = {row["regime"]["W"]: row for row in rows if row["key"].startswith("xi_1d")}
    assert set(xi_rows) == {2.0, 3.0}
    assert xi_rows[2.0]["judged_against"] == "exact"  # l = 5.6: weak disorder
    assert xi_rows[2.0]["verdict"] in {"agrees", "same order"}
    assert xi_rows[3.0]["verdict"] == "not tested"  # l = 2.5 < 3
    assert "Born mapping only qualitative" in xi_rows[3.0]["reason"]


def test_json_mode_prints_one_object(compared: tuple[Path, Path]) -> None:
    _, out = compared
    stdout = (out.parent / "stdout.txt").read_text()
    result = json.loads(stdout)
    assert stdout.count("\n") == 1
    assert result["figures"] == sorted(FIGURES)
    assert result["report"] == str(out / "report.md")
    assert len(result["summary"]) <= 5


def test_foreign_file_is_one_line_and_status_2(tmp_path: Path, capsys) -> None:
    bogus = tmp_path / "bogus.h5"
    bogus.write_text("not hdf5")
    assert main(["compare", str(bogus), "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "bogus.h5" in err


def test_reduced_demo_end_to_end(tmp_path: Path, capsys) -> None:
    """``vwloc demo`` with 2 realizations per point: one archive of three sweeps, report
    and the summary."""
    out = tmp_path / "demo"
    assert main(["demo", "-o", str(out), "--realizations", "2"]) == 0
    printed = capsys.readouterr().out
    assert [s["sweep"] for s in read_sweeps(out / DEMO_ARCHIVE, values=False)] == list(
        DEMO_CONFIGS
    )
    assert (out / "report.html").exists()
    assert "verdicts:" in printed
    assert len(printed.split("verdicts:")[1].strip().splitlines()) == 5


@pytest.mark.slow
def test_full_demo(tmp_path: Path, capsys) -> None:
    """The demo as ``make demo`` runs it (51 s on the 2-core machine at load 2-3)."""
    out = tmp_path / "demo"
    assert main(["demo", "-o", str(out)]) == 0
    rows = json.loads((out / "predictions.json").read_text())
    keys = {row["key"].split("/")[0] for row in rows}
    expected = {"sigma_w2", "alpha0", "r0_chi", "r0_alpha", "xi_1d", "r0_over_xi", "ln_xi_2d"}
    assert expected | {"critical_3d"} <= keys
    assert "## Time-reversal breaking" in (out / "report.md").read_text()
    assert os.path.getsize(out / "figures" / "sigma_omega2.pdf") > 10_000


def test_figure_problems_are_warned_and_figures_are_reproducible(
    compared: tuple[Path, Path], tmp_path: Path, capsys, monkeypatch
) -> None:
    """Each objection of the figure check is one stderr line naming the figure (the
    report is still written); the same archive gives the same PDF bytes (no date)."""
    import compare.figure_check

    archive, out = compared
    monkeypatch.setattr(
        compare.figure_check, "figure_problems", lambda figure, caption, rc: ["panel 0: planted"]
    )
    capsys.readouterr()
    assert main(["compare", str(archive), "-o", str(tmp_path / "again")]) == 0
    err = capsys.readouterr().err.strip().splitlines()
    planted = (f"vwloc compare: warning: figure {name}: panel 0: planted" for name in FIGURES)
    assert sorted(err) == sorted(planted)
    for name in FIGURES:
        pdf = f"figures/{name}.pdf"
        assert (tmp_path / "again" / pdf).read_bytes() == (out / pdf).read_bytes()


def test_partial_archive_gets_a_banner_and_a_stderr_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An archive still being written: the report says so first, stderr says so once."""
    from batch.archive import ArchiveWriter
    from batch.config import parse_config
    from batch.sweep import plan_tasks
    from batch.tasks import execute

    config = parse_config(SMALL)
    archive = tmp_path / "running.h5"
    with ArchiveWriter.open(archive, config, SMALL, (), "serial") as writer:
        tasks = plan_tasks(config, writer.done_masks())
        for task in tasks[: len(tasks) // 2]:
            writer.write(execute(task))
    assert main(["compare", str(archive), "-o", str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("vwloc compare: warning: partial archive")
    markdown = (tmp_path / "out" / "report.md").read_text()
    assert markdown.index("**Warning: partial archive") < markdown.index("## Summary")
    assert "class='banner'" in (tmp_path / "out" / "report.html").read_text()
