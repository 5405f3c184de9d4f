"""Progress display: a bar on a terminal, plain lines in a log, nothing in --json mode."""

from __future__ import annotations

import io
import re

import pytest

from batch.cli import main
from batch.progress import LINE_EVERY_PERCENT, LINE_EVERY_SECONDS, Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    """A fake monotonic clock advanced by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_bar_on_a_terminal() -> None:
    screen = Terminal()
    with Progress(10, 4, stream=screen) as bar:
        bar.update(3)
    assert "7/10" in screen.getvalue() and "realization" in screen.getvalue()
    assert bar.done == 7


def test_plain_lines_every_few_percent_off_a_terminal() -> None:
    log, clock = io.StringIO(), Clock()
    total = 1000
    with Progress(total, stream=log, clock=clock) as bar:
        for _ in range(total):
            clock.now += 0.01  # 10 s in all: the time rule never fires
            bar.update(1)
    lines = log.getvalue().splitlines()
    # one line per LINE_EVERY_PERCENT of the work, the last one at 100 %
    assert len(lines) == round(100 / LINE_EVERY_PERCENT)
    assert all("\r" not in line and line.startswith("vwloc run: ") for line in lines)
    assert lines[0].startswith(f"vwloc run: {round(total * LINE_EVERY_PERCENT / 100)}/1000 ")
    assert "1000/1000 realizations (100 %)" in lines[-1] and "left" not in lines[-1]
    assert "about" in lines[0] and "left" in lines[0]


def test_plain_line_every_30_s_when_progress_is_slow() -> None:
    log, clock = io.StringIO(), Clock()
    bar = Progress(10_000, 2_000, stream=log, clock=clock)  # resumed at 20 %
    clock.now += LINE_EVERY_SECONDS - 1
    bar.update(1)  # 0.01 % and 29 s: nothing yet
    assert log.getvalue() == ""
    clock.now += 1
    bar.update(1)  # 30 s since the start: a line
    clock.now += LINE_EVERY_SECONDS
    bar.update(0)  # nothing finished: no line, however long
    assert log.getvalue().splitlines() == [
        "vwloc run: 2002/10000 realizations (20 %), 30 s elapsed, about 33.3 h left"
    ]
    bar.close()
    assert len(log.getvalue().splitlines()) == 1  # nothing new since the last line


def test_percent_units_and_notes() -> None:
    log, clock = io.StringIO(), Clock()
    with Progress(100, stream=log, label="vwloc xi", unit="%", clock=clock) as bar:
        clock.now += 2
        bar.set(12.5, note="400 slices, relative error 0.05")
    assert log.getvalue().splitlines()[0].startswith("vwloc xi: 12 %, 2 s elapsed, about 14 s")
    assert log.getvalue().splitlines()[0].endswith("; 400 slices, relative error 0.05")


def test_disabled_writes_nothing_even_on_a_terminal() -> None:
    screen = Terminal()
    with Progress(10, stream=screen, enabled=False) as bar:
        bar.update(10)
    assert screen.getvalue() == "" and bar.done == 10


@pytest.mark.parametrize("json_mode", [False, True])
def test_xi_command_off_a_terminal(json_mode: bool, capsys: pytest.CaptureFixture[str]) -> None:
    """stderr not a terminal: plain progress lines, none with --json (stdout: the result)."""
    argv = ["xi", "--dim", "2", "--disorder", "5", "--energy", "0", "--width", "4"]
    assert main([*argv, "--precision", "0.02", *(["--json"] if json_mode else [])]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("{" if json_mode else "xi = ")
    if json_mode:
        assert captured.err == ""
    else:
        lines = captured.err.splitlines()
        assert lines and all(re.match(r"vwloc xi: \d+ %, ", line) for line in lines)
        assert lines[-1].startswith("vwloc xi: 100 %")
