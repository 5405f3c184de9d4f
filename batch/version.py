"""The installed version of the ``vwloc`` distribution (light: no science imports)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

__all__ = ["package_version"]


def package_version(unknown: str = "0+unknown") -> str:
    """Return the installed version of the ``vwloc`` distribution.

    Parameters
    ----------
    unknown : str
        What to return when the distribution is not installed (a source tree
        on ``PYTHONPATH``): ``0+unknown`` for ``vwloc --version``; archives
        record ``unknown``, as they always have.
    """
    try:
        return version("vwloc")
    except PackageNotFoundError:
        return unknown
