"""Output paths checked before any work: one line and exit status 2 if they cannot be written.

Every command that writes (``vwloc run -o OUT.h5``, ``vwloc compare -o DIR``,
``vwloc demo -o DIR``) calls :func:`writable_file` or :func:`writable_directory`
after validating its other input and before it computes anything, so an
unwritable path (``/proc/rep``, a missing directory, a directory given for a
file, no permission) is refused at once instead of failing with a traceback
after the work. The check creates nothing that stays: a probe file in the
nearest existing directory is removed at once, and no directory is created.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from batch.errors import CommandError

__all__ = ["writable_directory", "writable_file"]


def _probe(directory: Path, option: str, path: Path) -> None:
    """Create and remove a file in ``directory``; CommandError naming ``path`` if that fails."""
    try:
        fd, name = tempfile.mkstemp(prefix=".vwloc-probe-", dir=directory)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise CommandError(f"{option} {path}: cannot write in {directory} ({reason})") from None
    os.close(fd)
    os.unlink(name)


def writable_file(path: str | Path, option: str = "-o") -> Path:
    """Check that the file ``path`` can be created or replaced; return it as a Path.

    Raises
    ------
    CommandError
        If it is a directory, its directory does not exist or is not writable, or
        the file exists without write permission.
    """
    path = Path(path)
    if path.is_dir():
        raise CommandError(f"{option} {path}: is a directory; give a file, e.g. {path / 'out.h5'}")
    parent = path.parent
    if not parent.is_dir():
        what = "is not a directory" if parent.exists() else "does not exist"
        raise CommandError(f"{option} {path}: directory {str(parent)!r} {what}")
    _probe(parent, option, path)
    if path.exists() and not os.access(path, os.W_OK):
        raise CommandError(f"{option} {path}: permission denied")
    return path


def writable_directory(path: str | Path, option: str = "-o") -> Path:
    """Check that directory ``path`` exists and is writable or can be created; return it.

    Nothing is created here: the probe runs in ``path`` if it exists, else in its
    nearest existing ancestor (where ``mkdir -p`` would start).

    Raises
    ------
    CommandError
        If ``path`` or an ancestor is a file, or nothing can be written there.
    """
    path = Path(path)
    existing = path
    while not existing.exists():
        if existing.parent == existing:
            break
        existing = existing.parent
    if not existing.is_dir():
        raise CommandError(f"{option} {path}: {str(existing)!r} is a file, not a directory")
    _probe(existing, option, path)
    return path
