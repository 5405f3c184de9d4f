"""The one vocabulary of a lattice point's parameters: Python names and data symbols.

Every parameter of a sweep point has two spellings, fixed here and nowhere else:
its **name**, a Python identifier (API arguments such as
``lattice.AndersonModel(disorder=...)``, the config's ``[model]`` keys, the
fields of :class:`compare.records.LatticeParameters`), and its **symbol**, the
physics notation of the data (the config's ``[sweep]`` axes, the archive's point
attributes and point ids, the report's regime columns and ``predictions.json``).
``docs/architecture.md`` shows the same table; a test keeps the two equal.

The theory's effective continuum Fermi energy (n/N(E_F) = 2 E_F / d) is a
derived quantity, never a point parameter: it is ``continuum_fermi_energy``
everywhere, so it cannot be mistaken for the lattice ``fermi_energy``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["NAMES", "POINT_PARAMETERS", "SYMBOLS", "Parameter", "by_name", "by_symbol"]


@dataclass(frozen=True)
class Parameter:
    """One parameter of a lattice point."""

    name: str
    """Python identifier: API argument, ``[model]`` key, record field."""
    symbol: str
    """Data symbol: ``[sweep]`` axis, archive point attribute, report column."""
    unit: str
    """Unit (t: the hopping, the energy unit)."""
    meaning: str
    """One line for the documentation."""


#: The parameters of a sweep point, in the order of the sweep's Cartesian product.
POINT_PARAMETERS = (
    Parameter("dim", "dim", "-", "spatial dimension d"),
    Parameter("L", "L", "sites", "sites per axis (int or one per axis)"),
    Parameter("disorder", "W", "t", "disorder strength, variance W^2/12 (box and gaussian)"),
    Parameter("fermi_energy", "E_F", "t", "the lattice Fermi energy"),
    Parameter("flux", "flux", "h/e", "magnetic flux per plaquette"),
)
#: name -> symbol.
SYMBOLS = {p.name: p.symbol for p in POINT_PARAMETERS}
#: symbol -> name.
NAMES = {p.symbol: p.name for p in POINT_PARAMETERS}


def by_symbol(values: Mapping[str, Any]) -> dict[str, Any]:
    """``{name: value}`` -> ``{symbol: value}``, e.g. ``disorder`` -> ``W``.

    Raises
    ------
    KeyError
        For a key that is not a parameter name.
    """
    return {SYMBOLS[key]: value for key, value in values.items()}


def by_name(values: Mapping[str, Any]) -> dict[str, Any]:
    """``{symbol: value}`` -> ``{name: value}`` for the keys that are symbols (others dropped)."""
    return {NAMES[key]: value for key, value in values.items() if key in NAMES}
