"""Bad input and resource limits (issue 14): each row of its table, in process.

Every row gives one line on stderr and exit status 2 with no traceback, creates
no file (not even a lock file) and leaves an existing archive byte-identical;
the overflow and regime rows give the correct value with exit status 0 and a
one-line note or warning instead.
"""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path

import pytest

from batch.cli import main

#: The issue's contract: error lines of at most about 200 characters.
MAX_LINE = 200
#: The user's config: 8-site rings, two disorders, 4 realizations (an archive in ~1 s).
TINY = """\
[run]
seed = 11
realizations = 4
block_size = 2

[model]
dim = 1
L = 8

[sweep]
W = [1.0, 2.0]

[observables.conductivity]
omega = [0.2, 0.6, 1.0, 1.4]
eta = 0.1
"""


def _snapshot(directory: Path) -> dict[str, str]:
    """Every file under ``directory`` -> sha256 of its bytes."""
    return {
        str(path.relative_to(directory)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory with tiny.toml, its archive tiny.h5 (2 points x 4 realizations) and a
    subdirectory, as a user's working directory."""
    directory = tmp_path_factory.mktemp("workspace")
    (directory / "tiny.toml").write_text(TINY)
    (directory / "subdir").mkdir()
    archive = str(directory / "tiny.h5")
    assert main(["run", str(directory / "tiny.toml"), "-o", archive, "--workers", "1"]) == 0
    (directory / "tiny.h5.lock").unlink()  # the run's lock: not part of the user's files
    return directory


def _refused(argv: list[str], workspace: Path, capsys, monkeypatch, word: str) -> str:
    monkeypatch.chdir(workspace)
    capsys.readouterr()
    before = _snapshot(workspace)
    assert main(argv) == 2
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert "Traceback" not in captured.err and captured.out == ""
    assert len(lines[0]) <= MAX_LINE, lines[0]
    assert word in lines[0], lines[0]
    assert _snapshot(workspace) == before  # no new file, no lock, the archive untouched
    return lines[0]


RUN = ["run", "tiny.toml", "-o", "new.h5", "--workers", "1"]

REFUSED = [
    # (issue table row, argv, a word the line must contain)
    ("L = 10^7: 728 TiB of eigenvectors", [*RUN, "--set", "model.L=10000000"], "of memory"),
    (
        "2D L = 10^5: 149 GiB of site coordinates",
        [*RUN, "--set", "model.dim=2", "--set", "model.L=100000"],
        "of memory",
    ),
    ("seed 2^70", [*RUN, "--set", "run.seed=1180591620717411303424"], "run.seed"),
    ("10^9 realizations", [*RUN, "--set", "run.realizations=1000000000"], "memory"),
    ("compare -o /proc/rep", ["compare", "tiny.h5", "-o", "/proc/rep"], "/proc/rep"),
    ("demo -o /proc/demo", ["demo", "-o", "/proc/demo"], "/proc/demo"),
    (
        "xi 3D width 10^5",
        ["xi", "--dim", "3", "--width", "100000", "--disorder", "16", "--energy", "0"],
        "of memory",
    ),  # fmt: skip
    ("xi clean chain", ["xi", "--dim", "1", "--disorder", "0", "--energy", "0.5"], "--disorder 0"),
    ("run -o DIR", ["run", "tiny.toml", "-o", "subdir", "--workers", "1"], "is a directory"),
    ("show DIR", ["show", "subdir"], "a directory, not an archive"),
    ("compare DIR", ["compare", "subdir", "-o", "report"], "a directory, not an archive"),
    (
        "archive of another config",
        ["run", "conductivity_1d", "-o", "tiny.h5", "--workers", "1"],
        "differences",
    ),
    ("config --list NAME", ["config", "--list", "tiny"], "not both"),
    ("usage error", ["xi", "--dim", "x", "--disorder", "1", "--energy", "0"], "--dim"),
]


@pytest.mark.parametrize(("row", "argv", "word"), REFUSED, ids=[r[0] for r in REFUSED])
def test_row_is_refused_in_one_line(row, argv, word, workspace, capsys, monkeypatch) -> None:
    _refused(argv, workspace, capsys, monkeypatch, word)


def test_explain_lists_every_difference(workspace, capsys, monkeypatch) -> None:
    argv = ["run", "conductivity_1d", "-o", "tiny.h5", "--workers", "1"]
    line = _refused(argv, workspace, capsys, monkeypatch, "see --explain")
    count = int(line.split(" differences:")[0].rsplit("(", 1)[1])
    assert main([*argv, "--explain"]) == 2
    err = capsys.readouterr().err.splitlines()
    explained = [text for text in err if text.startswith("  ")]
    assert len(explained) == count and err[-1] == line
    assert any(text.strip().startswith("model.L: 8 -> ") for text in explained)


def test_theory_overflow_is_a_value(capsys) -> None:
    """2D W = 1e-3: r0 ~ exp(1e7) is inf with its logarithm, exit 0, a one-line note."""
    assert main(["theory", "--dim", "2", "--disorder", "1e-3", "--energy", "-1", "--json"]) == 0
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert data["r0"] is None and data["localized"] is True
    assert 9.6e7 < data["ln_r0"] < 9.7e7 and data["outside_regime"] is False
    assert len(captured.err.splitlines()) == 1 and "ln_r0" in captured.err


def test_theory_far_outside_the_regime_warns(capsys) -> None:
    assert main(["theory", "--dim", "2", "--disorder", "1e6", "--energy", "-1", "--json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["outside_regime"] is True
    (line,) = captured.err.splitlines()
    assert line.startswith("vwloc theory: warning: lambda = 5.44e+09 > 1")


class _Stop(Exception):
    pass


def test_long_xi_run_announces_its_estimate_first(capsys, monkeypatch) -> None:
    """``--width 2000``: hours of work; the estimate is on stderr before the first slice."""
    from batch.commands import xi

    def started(*args, **kwargs):
        raise _Stop(capsys.readouterr().err)

    monkeypatch.setattr(xi, "localization_length", started)
    with pytest.raises(_Stop) as info:
        main(["xi", "--dim", "2", "--width", "2000", "--disorder", "1", "--energy", "0"])
    (line,) = str(info.value).splitlines()
    assert line.startswith("vwloc xi: estimate: ") and " h (rough" in line


def test_tests_leave_no_process_or_lock(workspace) -> None:
    assert not list(workspace.rglob("*.lock")) and not list(workspace.rglob("*.tmp"))
    assert math.isfinite(len(_snapshot(workspace)))
