"""``vwloc config NAME`` / ``vwloc config --list``: the built-in, documented example configs."""

from __future__ import annotations

import argparse
import sys
from importlib.resources import files
from pathlib import Path

from batch.errors import CommandError

__all__ = ["add_parser", "builtin_config_names", "builtin_config_path", "run"]


def _directory() -> Path:
    return Path(str(files("batch") / "configs"))


def builtin_config_names() -> list[str]:
    """Names of the configs shipped in ``batch/configs`` (package data)."""
    return sorted(path.stem for path in _directory().glob("*.toml"))


def builtin_config_path(name: str) -> Path | None:
    """Path of the built-in config ``name``, or None."""
    path = _directory() / f"{name}.toml"
    return path if name in builtin_config_names() else None


def _summary(path: Path) -> str:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            return line.lstrip("# ").strip()
    return ""


def run(args: argparse.Namespace) -> int:
    """Entry point of ``vwloc config``."""
    names = builtin_config_names()
    if args.list:
        width = max(map(len, names))
        for name in names:
            print(f"{name:<{width}}  {_summary(builtin_config_path(name))}")
        return 0
    if args.name is None:
        raise CommandError("give a config NAME or --list")
    path = builtin_config_path(args.name)
    if path is None:
        raise CommandError(f"no built-in config {args.name!r} (available: {', '.join(names)})")
    sys.stdout.write(path.read_text(encoding="utf-8"))
    return 0


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register ``vwloc config``."""
    parser = subparsers.add_parser(
        "config",
        help="print a documented example config (--list names them)",
        description="Print a built-in example config; redirect it to a file and edit.",
    )
    parser.add_argument("name", nargs="?", help="config name, e.g. tiny")
    parser.add_argument("--list", action="store_true", help="list the built-in configs")
    parser.set_defaults(run=run)
