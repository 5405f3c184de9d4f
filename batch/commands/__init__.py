"""Subcommands of the ``vwloc`` command line, one module each.

Every module here defines ``add_parser(subparsers)``, which registers its
subcommand and sets ``run=`` (a callable taking the parsed namespace and
returning the exit status) as the parser default. :mod:`batch.cli` lists the
modules in ``COMMAND_MODULES``.
"""

__all__: list[str] = []
