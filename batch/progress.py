"""Progress of long work: a tqdm bar on a terminal, plain lines elsewhere, or nothing.

On a terminal the bar redraws in place. When stderr is not a terminal (nohup, a
batch queue's log file, a pipe) a redrawn bar would fill the log with carriage
returns, so :class:`Progress` writes a plain line instead every
:data:`LINE_EVERY_PERCENT` percent of the work or every :data:`LINE_EVERY_SECONDS`
seconds, whichever comes first, and one line at the end. ``--json`` modes pass
``enabled=False``: nothing at all.
"""

from __future__ import annotations

import shutil
import sys
import time
from collections.abc import Callable
from typing import TextIO

from tqdm import tqdm

__all__ = ["LINE_EVERY_PERCENT", "LINE_EVERY_SECONDS", "Progress"]

#: Off a terminal: a line whenever the work advanced this many percent since the last line
#: (20 lines for a whole run: readable in a queue log, fine enough to see a stall).
LINE_EVERY_PERCENT = 5.0
#: ... or whenever this many seconds passed since the last line (and something finished).
LINE_EVERY_SECONDS = 30.0


def _duration(seconds: float) -> str:
    if seconds < 100:
        return f"{seconds:.0f} s"
    if seconds < 6000:
        return f"{seconds / 60:.1f} min"
    return f"{seconds / 3600:.1f} h"


class Progress:
    """Count finished work; show it as a bar (terminal) or as plain lines (log file).

    Parameters
    ----------
    total : int
        Units of the whole job (realizations of every point and observable for
        ``vwloc run``; percent for ``vwloc xi``).
    done : int
        Units already done (a resumed run starts there).
    enabled : bool, optional
        None (default): a bar when ``stream`` is a terminal, plain lines otherwise;
        True: always the bar; False: nothing (``--json`` mode).
    stream : file, optional
        Where to write (default ``sys.stderr``, never stdout).
    label : str
        Prefix of the bar and of each line (the command).
    unit : str
        Name of one unit; ``"%"`` prints lines as a percentage only.
    clock : callable, optional
        Monotonic time in seconds (tests pass a fake one).
    """

    def __init__(
        self,
        total: int,
        done: int = 0,
        enabled: bool | None = None,
        stream: TextIO | None = None,
        *,
        label: str = "vwloc run",
        unit: str = "realization",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream or sys.stderr
        terminal = bool(getattr(self.stream, "isatty", lambda: False)())
        self.mode = "bar" if enabled or (enabled is None and terminal) else "off"
        if enabled is None and not terminal:
            self.mode = "lines"
        self.total = total
        self.done = done
        self.label = label
        self.unit = unit
        self._clock = clock
        self._start = self._last_time = clock()
        self._initial = self._last_done = done
        self._bar = (
            tqdm(
                total=total,
                initial=done,
                unit=unit,
                desc=label,
                file=self.stream,
                # tqdm asks the terminal itself and draws nothing if it reports 0 columns
                ncols=shutil.get_terminal_size().columns,
                smoothing=0.1,
            )
            if self.mode == "bar"
            else None
        )

    def update(self, count: int) -> None:
        """Record ``count`` more finished units."""
        self.set(self.done + count)

    def set(self, done: float, note: str = "") -> None:
        """Set the finished units to ``done`` (work measured by a level, e.g. a precision).

        ``note`` (e.g. the current relative error) is shown after the count.
        """
        if self._bar is not None:
            self._bar.n = done
            if note:
                self._bar.set_postfix_str(note, refresh=False)
            self._bar.refresh()
        self.done = done
        if self.mode == "lines":
            now = self._clock()
            step = 100.0 * (done - self._last_done) / max(self.total, 1)
            if done > self._last_done and (
                step >= LINE_EVERY_PERCENT or now - self._last_time >= LINE_EVERY_SECONDS
            ):
                self._line(now, note)

    def _line(self, now: float, note: str = "") -> None:
        elapsed = now - self._start
        percent = 100.0 * self.done / max(self.total, 1)
        if self.unit == "%":
            text = f"{self.label}: {percent:.0f} %"
        else:
            plural = "" if self.total == 1 else "s"
            text = f"{self.label}: {self.done}/{self.total} {self.unit}{plural} ({percent:.0f} %)"
        text += f", {_duration(elapsed)} elapsed"
        rate = (self.done - self._initial) / elapsed if elapsed > 0 else 0.0
        if 0 < self.done < self.total and rate > 0:
            text += f", about {_duration((self.total - self.done) / rate)} left"
        if note:
            text += f"; {note}"
        print(text, file=self.stream, flush=True)
        self._last_time, self._last_done = now, self.done

    def close(self) -> None:
        """Finish the bar, or write the last line if work was done since the previous one."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None
        if self.mode == "lines" and self.done > self._last_done:
            self._line(self._clock())
        self.mode = "off"

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
