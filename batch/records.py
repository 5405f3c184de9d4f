"""Archive contents -> the comparison's typed records (:mod:`compare.records`).

Where the archive's point attributes (the symbols ``W``, ``E_F``, ... of
:mod:`vwloc_common.vocabulary`) and the config's ``[model]`` and
``[observables]`` tables become the records' names (``disorder``,
``fermi_energy``, ``shape``, ``eta``), so :mod:`compare` never
parses a config or indexes an archive dictionary.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from batch.config import ConfigError, parse_config
from compare.records import (
    ArchiveRecord,
    ConductivityRecord,
    LatticeParameters,
    LengthRecord,
    PointRecord,
    PolarizabilityRecord,
    StaticResponseRecord,
)
from vwloc_common.vocabulary import by_name

__all__ = ["archive_records"]

#: The exact-diagonalization observables a point record is made of.
_POINT_OBSERVABLES = ("conductivity", "density_response", "static_polarizability")


def _completed(observables: Mapping[str, Any], notes: list[str]) -> dict[str, Any]:
    """Observables with at least one completed realization (a running archive may lack some)."""
    kept = {}
    for name, entry in observables.items():
        values = next(iter(entry["values"].values()), None)
        if values is None or np.asarray(values).shape[0] == 0:
            notes.append(f"{name}: no completed realization in the archive yet")
        else:
            kept[name] = entry
    return kept


def _lengths(entry: Mapping[str, Any], lattice: LatticeParameters) -> list[LengthRecord]:
    xi = np.asarray(entry["values"]["xi"], dtype=float)
    xi_err = np.asarray(entry["values"]["xi_err"], dtype=float)
    widths = np.asarray(entry["axes"]["width"]).astype(int)
    energies = np.asarray(entry["axes"]["energy"], dtype=float)
    return [
        LengthRecord(
            dim=lattice.dim,
            width=int(width),
            energy=float(energy),
            disorder=lattice.disorder,
            flux=lattice.flux,
            xi=xi[:, a, b],
            xi_err=xi_err[:, a, b],
            kind=lattice.kind,
            hopping=lattice.hopping,
        )
        for a, width in enumerate(widths)
        for b, energy in enumerate(energies)
    ]


def _per_axis(boundary: str | tuple[str, ...], dim: int) -> tuple[str, ...]:
    """The config's boundary (one for all axes, or one per axis) as one entry per axis."""
    return (boundary,) * dim if isinstance(boundary, str) else tuple(boundary)


def archive_records(data: Mapping[str, Any]) -> ArchiveRecord:
    """Typed records of one archive read by :func:`batch.archive.read_archive`.

    Parameters
    ----------
    data : mapping
        The reader's dictionary (``docs/archive-format.md``).

    Raises
    ------
    ValueError
        The archive's config text does not parse.
    """
    try:
        config = parse_config(str(data["config"]), source="archive config")
    except ConfigError as exc:
        raise ValueError(f"archive config: {exc}") from None
    model, observables = config.model, config.observables
    eta = observables.conductivity.eta if observables.conductivity else float("nan")
    kernel = observables.conductivity.kernel if observables.conductivity else "lorentzian"
    w_max = observables.conductivity.w_max if observables.conductivity else None
    w_max = float("inf") if w_max is None else float(w_max)
    points, lengths = [], []
    for point_id, entry in data["points"].items():
        params = by_name(entry["params"])
        lattice = LatticeParameters(
            dim=int(params["dim"]),
            shape=tuple(int(n) for n in params["L"]),
            disorder=float(params["disorder"]),
            fermi_energy=float(params["fermi_energy"]),
            flux=float(params["flux"]),
            kind=model.kind,
            hopping=float(model.hopping),
            boundary=_per_axis(model.boundary, int(params["dim"])),
        )
        notes: list[str] = []
        present = _completed(entry["observables"], notes)
        if "localization_length" in present:
            lengths += _lengths(present["localization_length"], lattice)
        conductivity = present.get("conductivity")
        response = present.get("density_response")
        alpha = present.get("static_polarizability")
        if not set(entry["observables"]) & set(_POINT_OBSERVABLES):
            continue
        points.append(
            PointRecord(
                point_id=point_id,
                lattice=lattice,
                conductivity=None
                if conductivity is None
                else ConductivityRecord(
                    conductivity["axes"]["omega"],
                    conductivity["values"]["sigma"],
                    eta,
                    kernel,
                    w_max,
                ),
                # Eq. (37) is the static response at eta -> 0 (chi_static); Re chi(q, 0 + i
                # eta) at finite eta drops the pairs with w_p < eta and biases r0 low.
                static_response=None
                if response is None
                else StaticResponseRecord(response["axes"]["q"], response["values"]["chi_static"]),
                polarizability=None
                if alpha is None
                else PolarizabilityRecord(np.asarray(alpha["values"]["alpha"]).ravel()),
                notes=tuple(notes),
            )
        )
    return ArchiveRecord(
        seed=int(data["seed"]),
        config=str(data["config"]),
        provenance=tuple(data.get("runs", [])),
        points=tuple(points),
        lengths=tuple(lengths),
    )
