r"""Typed records: what the comparison layer reads from an archive, with names and units.

The batch layer's archive reader hands :func:`compare.analysis.analyze` these
frozen records (``batch.records.archive_records`` builds them), so the
comparison never sees the archive's dictionaries or re-parses its config.
One vocabulary (DESIGN.md section 2): ``disorder`` is W, ``fermi_energy`` the
*lattice* Fermi energy (the theory's effective continuum E_F is
``theory.mapping``'s ``continuum_fermi_energy``), ``flux`` the flux per
plaquette in units of h/e. Units: hbar = e = a = 1, energies in units of the
hopping t.

Array fields hold one row per completed disorder realization (the first axis).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = [
    "ArchiveRecord",
    "ConductivityRecord",
    "LatticeParameters",
    "LengthRecord",
    "PointRecord",
    "PolarizabilityRecord",
    "StaticResponseRecord",
]


def _array(value: Any, ndim: int, name: str) -> np.ndarray:
    array = np.asarray(value, dtype=float)
    if array.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimension(s), got shape {array.shape}")
    array.setflags(write=False)
    return array


@dataclass(frozen=True)
class LatticeParameters:
    """The lattice of one sweep point.

    Attributes
    ----------
    dim : int
        Dimension d (1, 2, 3).
    shape : tuple of int
        Sites per axis (empty for a transfer-matrix-only point).
    disorder : float
        W, the disorder strength (t); variance W^2/12 for both kinds.
    fermi_energy : float
        Lattice Fermi energy E_F (t).
    flux : float
        Flux per plaquette (h/e); 0 keeps time reversal.
    kind : str
        Disorder distribution, ``box`` or ``gaussian``.
    hopping : float
        Hopping t (t = 1 is the energy unit).
    boundary : tuple of str
        ``periodic`` or ``open`` per axis (empty: periodic on every axis).
    """

    dim: int
    shape: tuple[int, ...]
    disorder: float
    fermi_energy: float
    flux: float = 0.0
    kind: str = "box"
    hopping: float = 1.0
    boundary: tuple[str, ...] = ()

    @property
    def n_sites(self) -> int:
        """Number of lattice sites (0 for a transfer-matrix-only point)."""
        return int(np.prod(self.shape)) if self.shape else 0


@dataclass(frozen=True, eq=False)
class ConductivityRecord:
    """Re sigma_xx(w) per realization.

    Attributes
    ----------
    omega : numpy.ndarray
        Frequencies (t/hbar), shape ``(n_omega,)``.
    values : numpy.ndarray
        Re sigma (e^2/hbar per site), shape ``(n_realizations, n_omega)``.
    eta : float
        Broadening of the Kubo delta function (t); NaN if unknown.
    kernel : str
        Shape of the broadened delta (``lorentzian``, ``gaussian``, ...).
    w_max : float
        Largest transition frequency in the pair sums (t/hbar; the sparse engine's
        window, inf for the whole spectrum): the kernel's tails beyond it are missing.
    """

    omega: np.ndarray
    values: np.ndarray
    eta: float = float("nan")
    kernel: str = "lorentzian"
    w_max: float = float("inf")

    def __post_init__(self) -> None:
        object.__setattr__(self, "omega", _array(self.omega, 1, "omega"))
        object.__setattr__(self, "values", _array(self.values, 2, "conductivity values"))


@dataclass(frozen=True, eq=False)
class StaticResponseRecord:
    """Static density response chi(q, 0) (eta -> 0) per realization.

    Attributes
    ----------
    q : numpy.ndarray
        Allowed wavevectors (1/a), shape ``(n_q,)``.
    values : numpy.ndarray
        chi(q, 0) (states per site per t), shape ``(n_realizations, n_q)``.
    """

    q: np.ndarray
    values: np.ndarray

    def __post_init__(self) -> None:
        object.__setattr__(self, "q", _array(self.q, 1, "q"))
        object.__setattr__(self, "values", _array(self.values, 2, "static response values"))


@dataclass(frozen=True, eq=False)
class PolarizabilityRecord:
    """Static polarizability alpha(0) per realization (e^2 a^2/t per site)."""

    values: np.ndarray

    def __post_init__(self) -> None:
        object.__setattr__(self, "values", _array(self.values, 1, "alpha(0) values"))


@dataclass(frozen=True)
class PointRecord:
    """One sweep point with its lattice observables (any subset may be absent).

    Attributes
    ----------
    point_id : str
        The archive's point id.
    lattice : LatticeParameters
    conductivity, static_response, polarizability : record or None
        Observables with at least one completed realization.
    notes : tuple of str
        What the reader noticed (e.g. an observable without completed realizations).
    """

    point_id: str
    lattice: LatticeParameters
    conductivity: ConductivityRecord | None = None
    static_response: StaticResponseRecord | None = None
    polarizability: PolarizabilityRecord | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)
class LengthRecord:
    """Transfer-matrix localization lengths xi_M at one (d, W, E, M, flux).

    Attributes
    ----------
    dim, width : int
        Dimension and strip/bar width M (1 for a chain).
    energy, disorder, flux : float
        Energy E (t), disorder W (t), flux per plaquette (h/e).
    xi, xi_err : numpy.ndarray
        xi_M per independent chain (a) and each chain's own error estimate (a).
    kind : str
        Disorder distribution.
    hopping : float
        Hopping t.
    """

    dim: int
    width: int
    energy: float
    disorder: float
    flux: float
    xi: np.ndarray
    xi_err: np.ndarray
    kind: str = "box"
    hopping: float = 1.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "xi", _array(self.xi, 1, "xi"))
        object.__setattr__(self, "xi_err", _array(self.xi_err, 1, "xi_err"))


@dataclass(frozen=True)
class ArchiveRecord:
    """The contents of one archive that the comparison needs.

    Attributes
    ----------
    seed : int
        Root seed (also seeds the comparison's bootstrap stream).
    config : str
        Resolved config text (shown verbatim in the report, never parsed here).
    provenance : tuple of mapping
        Run records (versions, git commit, host, start and end times).
    points : tuple of PointRecord
    lengths : tuple of LengthRecord
    """

    seed: int
    config: str = ""
    provenance: tuple[Mapping[str, Any], ...] = ()
    points: tuple[PointRecord, ...] = field(default_factory=tuple)
    lengths: tuple[LengthRecord, ...] = field(default_factory=tuple)
