"""Bad input and resource limits (issue 14): each row of its table, in process.

Every row gives one line on stderr and exit status 2 with no traceback, creates
no file (not even a lock file) and leaves an existing archive byte-identical;
the overflow and regime rows give the correct value with exit status 0 and a
one-line note or warning instead.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from batch.cli import main
from batch.commands.config import builtin_config_names
from batch.config import SWEEP_AXES, Model, Run
from lattice.observables import OBSERVABLES

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


# --- property test: garbage into every config key and every CLI option ------------------


#: Examples per property: ~10 ms each in process, so both properties stay within ~10 s.
EXAMPLES = 100
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    database=None,  # no .hypothesis directory left behind
    derandomize=True,  # the same examples on every run: a failure is reproducible
)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


#: Words that are valid somewhere: choices, built-in config names, the workspace's files.
_VALID_WORDS = {
    *builtin_config_names(),
    *(c for o in OBSERVABLES.values() for s in o.all_settings for c in s.choices),
    *("box", "gaussian", "constant", "periodic", "open", "tiny.toml", "tiny.h5", "subdir"),
}
_text = st.text(min_size=0, max_size=12).filter(lambda t: not _is_number(t))
_words = _text.filter(lambda t: t.strip() not in _VALID_WORDS)
_non_finite = st.sampled_from(["nan", "inf", "-inf", "+nan"])
#: TOML values that are wrong for a number: text, booleans, tables, arrays of garbage.
_not_a_number = st.one_of(
    _text.map(lambda t: json.dumps(t, ensure_ascii=False)),
    st.sampled_from(["true", "false", "{}", "{ a = 1 }", '["x"]', "[nan]", "[]"]),
)


def _toml_invalid(
    kind: str, minimum: float | None = None, bound: bool = False
) -> st.SearchStrategy:
    """TOML literals that a key of this kind must reject."""
    options = [_not_a_number]
    if kind in ("integer", "seed", "size"):
        options.append(st.sampled_from(["1.5", "-0.5", "nan", "inf", "1e400"]))
    if kind == "real":
        options.append(_non_finite)
    if kind in ("integer", "seed", "size") and minimum is not None:
        options.append(st.integers(max_value=int(minimum) - 1).map(str))
    if kind == "real" and minimum is not None:
        below = st.floats(max_value=minimum, allow_nan=False, allow_infinity=False)
        options.append(below.filter(lambda x: bound or x < minimum).map(repr))
    if kind == "seed":
        options.append(st.integers(min_value=2**63, max_value=2**200).map(str))
    if kind == "size":  # too large for this machine, or for TOML (> int64)
        options.append(st.integers(min_value=10**7, max_value=10**30).map(str))
    if kind == "choice":
        options = [
            _words.map(lambda t: json.dumps(t, ensure_ascii=False)),
            st.sampled_from(["1", "2.5", "nan", "true", "[]", "{}"]),
        ]
    if kind == "grid":
        options = [
            _not_a_number.filter(lambda v: v not in ("[nan]",)),
            st.sampled_from(['[1.0, "x"]', "[nan, 1.0]", "[true]", "[inf]", "{ start = 1 }"]),
        ]
    return st.one_of(*options)


def _config_keys() -> dict[str, st.SearchStrategy]:
    """Every key a config can hold for the fuzzed config, with values it must refuse."""
    model = {f.name for f in dataclasses.fields(Model)}
    keys = {
        "run.seed": _toml_invalid("seed", 0),
        "run.realizations": _toml_invalid("size", 1),
        "run.block_size": _toml_invalid("integer", 1),
        "run.vector_block": _toml_invalid("integer", 1),
        "model.dim": st.one_of(_toml_invalid("integer", 1), st.sampled_from(["0", "4", "-1"])),
        "model.L": _toml_invalid("size", 1),
        "model.kind": _toml_invalid("choice"),
        "model.boundary": _toml_invalid("choice"),
        "model.hopping": _toml_invalid("real", 0.0, bound=True),
        "model.twist": _toml_invalid("real"),
        "model.fermi_energy": _toml_invalid("real"),
        "model.flux": st.one_of(_toml_invalid("real"), st.sampled_from(["0.1", "-0.3", "2.5"])),
        "sweep.W": _toml_invalid("grid"),
        "sweep.E_F": _toml_invalid("grid"),
        "sweep.L": st.one_of(_toml_invalid("grid"), st.sampled_from(["[0]", "[-8]", "[8, 8]"])),
        "sweep.dim": st.one_of(_toml_invalid("grid"), st.sampled_from(["[4]", "[0, 1]"])),
        "sweep.flux": st.one_of(_toml_invalid("grid"), st.sampled_from(["[0.25]", "[-1.5]"])),
        "model.disorder": st.one_of(_not_a_number, st.just("1.0")),  # swept by sweep.W
        "model.unknown_key": _text.map(json.dumps),
        "run.unknown_key": _text.map(json.dumps),
    }
    assert {k.split(".")[1] for k in keys if k.startswith("model.")} >= model - {"disorder"}
    assert {k.split(".")[1] for k in keys if k.startswith("sweep.")} == set(SWEEP_AXES)
    assert {k.split(".")[1] for k in keys if k.startswith("run.")} >= {
        f.name for f in dataclasses.fields(Run)
    }
    for setting in OBSERVABLES["conductivity"].all_settings:
        kind = {"reals": "grid", "integers": "grid"}.get(setting.kind, setting.kind)
        keys[f"observables.conductivity.{setting.name}"] = _toml_invalid(
            kind, setting.minimum, bound=setting.strict
        )
    return keys


CONFIG_KEYS = _config_keys()


@FUZZ
@given(data=st.data())
def test_garbage_in_any_config_key_is_one_line(data, workspace, capsys, monkeypatch) -> None:
    """``--set key=garbage`` against an existing archive: refused, archive byte-identical."""
    key = data.draw(st.sampled_from(sorted(CONFIG_KEYS)), label="key")
    value = data.draw(CONFIG_KEYS[key], label="value")
    argv = ["run", "tiny.toml", "-o", "tiny.h5", "--workers", "1", "--set", f"{key}={value}"]
    _refused(argv, workspace, capsys, monkeypatch, "")


_unwritable = _text.map(lambda t: f"/proc/{t.replace('/', '_') or 'x'}/out")
_bad_int = st.one_of(_text, st.sampled_from(["1.5", "nan", "1e3", ""]))

XI = ["xi", "--dim", "1", "--disorder", "1", "--energy", "0.5", "--precision", "0.05"]
THEORY = ["theory", "--dim", "1", "--lambda", "0.1"]
#: Command prefix, option, values the option must refuse (the option is appended last;
#: argparse keeps the last occurrence).
CLI_OPTIONS = {
    "xi --dim": (XI, "--dim", st.one_of(_bad_int, st.sampled_from(["0", "4", "-2"]))),
    "xi --disorder": (XI, "--disorder", st.one_of(_text, _non_finite, st.just("-1"))),
    "xi --energy": (XI, "--energy", st.one_of(_text, _non_finite, st.just("1e13"))),
    "xi --width": (XI, "--width", st.one_of(_bad_int, st.sampled_from(["0", "-3", "2"]))),
    "xi --precision": (
        XI,
        "--precision",
        st.one_of(_text, _non_finite, st.sampled_from(["0", "1", "-0.1", "7"])),
    ),
    "xi --seed": (XI, "--seed", st.one_of(_bad_int, st.sampled_from(["-1", "-99"]))),
    "xi --kind": (XI, "--kind", _words),
    "xi --boundary": (XI, "--boundary", _words),
    "xi --flux": (XI, "--flux", st.one_of(_text, _non_finite, st.sampled_from(["0.5", "-1"]))),
    "theory --dim": (THEORY, "--dim", st.one_of(_bad_int, st.sampled_from(["0", "4"]))),
    "theory --lambda": (THEORY, "--lambda", st.one_of(_text, _non_finite, st.just("-0.1"))),
    "theory --cutoff": (THEORY, "--cutoff", st.one_of(_text, st.sampled_from(["nan", "-1", "0"]))),
    "theory --tau-s": (THEORY, "--tau-s", st.one_of(_text, st.sampled_from(["nan", "-1", "0"]))),
    "theory --tau-inel": (THEORY, "--tau-inel", st.one_of(_text, st.sampled_from(["nan", "0"]))),
    "theory --disorder": (THEORY, "--disorder", st.one_of(_text, st.just("2.0"))),
    "theory --kind": (THEORY, "--kind", _words),
    "run CONFIG": (["run", "-o", "new.h5", "--workers", "1"], "", _words),
    "run --workers": (
        ["run", "tiny.toml", "-o", "new.h5"],
        "--workers",
        st.one_of(_bad_int, st.sampled_from(["0", "-4"])),
    ),  # fmt: skip
    "run -o": (["run", "tiny.toml", "--workers", "1"], "-o", _unwritable),
    "show PATH": (["show"], "", _words.filter(lambda t: t.strip() not in ("tiny.h5",))),
    "compare -o": (["compare", "tiny.h5"], "-o", _unwritable),
    "config NAME": (["config"], "", _words.filter(lambda t: not t.startswith("-"))),
    "demo --workers": (
        ["demo", "-o", "demo"],
        "--workers",
        st.one_of(_bad_int, st.sampled_from(["0", "-1"])),
    ),  # fmt: skip
    "demo --realizations": (
        ["demo", "-o", "demo"],
        "--realizations",
        st.one_of(_bad_int, st.sampled_from(["1", "0", "-5"])),
    ),  # fmt: skip
    "demo -o": (["demo"], "-o", _unwritable),
}


@FUZZ
@given(data=st.data())
def test_garbage_in_any_cli_option_is_one_line(data, workspace, capsys, monkeypatch) -> None:
    name = data.draw(st.sampled_from(sorted(CLI_OPTIONS)), label="option")
    prefix, option, values = CLI_OPTIONS[name]
    value = data.draw(values, label="value")
    argv = [*prefix, *([option, value] if option else ["--", value])]
    if option and value.startswith("-"):
        argv = [*prefix, f"{option}={value}"]  # so argparse reads it as the value
    _refused(argv, workspace, capsys, monkeypatch, "")
