"""The ``vwloc`` command line (contract in DESIGN.md section 4, ``docs/cli.md``).

argparse (standard library) is used rather than click: the contract is small,
argparse gives exit status 2 for usage errors by itself, and it adds no
dependency. Every subcommand lives in its own module under
:mod:`batch.commands`; this module only assembles them and maps bad input to
one line on stderr with exit status 2.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from batch.errors import CommandError
from batch.version import package_version

__all__ = ["COMMAND_MODULES", "build_parser", "main"]

#: Modules under :mod:`batch.commands` that register a subcommand, in help order.
COMMAND_MODULES: tuple[str, ...] = ("run", "show", "config", "theory", "compare", "xi", "demo")


def build_parser(commands: Sequence[str] = COMMAND_MODULES) -> argparse.ArgumentParser:
    """Return the ``vwloc`` argument parser.

    Parameters
    ----------
    commands : sequence of str
        The subcommands to register (default: all). Each subcommand module
        imports its own science stack (numba, h5py, matplotlib), so
        :func:`main` registers only the one asked for: ``vwloc xi`` does not
        pay for the imports of ``vwloc compare``.
    """
    parser = argparse.ArgumentParser(
        prog="vwloc",
        description=(
            "Test the Vollhardt-Woelfle self-consistent theory of Anderson "
            "localization (Phys. Rev. B 22, 4666 (1980)) against exact lattice numerics."
        ),
    )
    parser.add_argument("--version", action="version", version=f"vwloc {package_version()}")
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND", dest="command")
    for name in commands:
        importlib.import_module(f"batch.commands.{name}").add_parser(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0 success, 2 bad input)."""
    arguments = sys.argv[1:] if argv is None else list(argv)
    command = next((word for word in arguments if not word.startswith("-")), None)
    if command in COMMAND_MODULES:
        parser = build_parser((command,))
    elif command is None and "--version" in arguments:
        parser = build_parser(())
    else:
        parser = build_parser()
    args = parser.parse_args(arguments)
    run = getattr(args, "run", None)
    if run is None:
        parser.print_help()
        return 0
    try:
        return int(run(args) or 0)
    except (CommandError, ValueError) as exc:
        print(f"vwloc {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("vwloc: interrupted", file=sys.stderr)
        return 130
