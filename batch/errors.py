"""The error a ``vwloc`` subcommand raises for bad input (one line, exit status 2)."""

__all__ = ["CommandError"]


class CommandError(Exception):
    """Bad input found by a subcommand; reported as one line and exit status 2."""
