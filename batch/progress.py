"""Progress of a run: a tqdm bar of realizations on a terminal, nothing elsewhere."""

from __future__ import annotations

import shutil
import sys
from typing import TextIO

from tqdm import tqdm

__all__ = ["Progress"]


class Progress:
    """Count finished realizations; draw a tqdm bar (done/total, rate, ETA) on a TTY.

    Parameters
    ----------
    total : int
        Realizations of the whole sweep (every point and observable).
    done : int
        Realizations already in the archive (a resumed run starts there).
    enabled : bool, optional
        Force the bar on or off; default: on when ``stream`` is a terminal.
    stream : file, optional
        Where to draw (default ``sys.stderr``, never stdout).
    """

    def __init__(
        self, total: int, done: int = 0, enabled: bool | None = None, stream: TextIO | None = None
    ) -> None:
        stream = stream or sys.stderr
        if enabled is None:
            enabled = bool(getattr(stream, "isatty", lambda: False)())
        self.total = total
        self.done = done
        self._bar = (
            tqdm(
                total=total,
                initial=done,
                unit="realization",
                desc="vwloc run",
                file=stream,
                # tqdm asks the terminal itself and draws nothing if it reports 0 columns
                ncols=shutil.get_terminal_size().columns,
                smoothing=0.1,
            )
            if enabled
            else None
        )

    def update(self, count: int) -> None:
        """Record ``count`` more finished realizations."""
        self.done += count
        if self._bar is not None:
            self._bar.update(count)

    def close(self) -> None:
        """Finish the bar."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
