r"""From archived numerics to fitted, theory-annotated results (no file I/O).

:func:`analyze` takes the typed records of :mod:`compare.records` (made by
the batch layer's reader, ``batch.records.archive_records``: root seed, config
text, provenance and, per sweep point, the per-realization arrays of every
observable with named parameters) and produces an :class:`Analysis`:

- per sweep point (:class:`PointAnalysis`): the lattice -> continuum mapping
  (``theory.mapping``) and the Eq. (42) predictions at that point
  (``theory.localized``); the low-frequency conductivity fits in the physical
  window with model selection and window sensitivity (:mod:`compare.fits`);
  the Eq. (37) fit to chi(q, 0) (:mod:`compare.lengths`); robust statistics of
  alpha(0) and the length r0 = sqrt(alpha(0)/chi^T);
- per transfer-matrix entry (:class:`LengthEntry`): xi with its interval.

Every bootstrap draws from one generator seeded by the archive's root seed,
consumed in a fixed order, so the numbers of a report regenerate exactly from
the archive.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from theory.eq42 import solve_eq42
from theory.localized import LocalizationProperties, localization_properties
from theory.mapping import LatticeMapping, map_lattice
from theory.observables import conductivity as theory_conductivity

from .estimate import Estimate
from .fits import LawFit, ModelSelection, fit_conductivity, physical_window, select_model
from .fits import window_sensitivity as sensitivity_table
from .lengths import LorentzianFit, fit_static_response, r0_from_polarizability
from .records import (
    ArchiveRecord,
    ConductivityRecord,
    LengthRecord,
    PolarizabilityRecord,
    StaticResponseRecord,
)
from .statistics import RobustSummary, robust_summary

__all__ = [
    "Analysis",
    "FiniteSizeScaling",
    "ConductivityAnalysis",
    "LengthEntry",
    "PointAnalysis",
    "PolarizabilityAnalysis",
    "StaticResponseAnalysis",
    "WINDOW_SEPARATION",
    "analyze",
    "lattice_theory",
]

#: Spawn key of the bootstrap stream under the archive's root seed; disjoint from the
#: realization keys (i,) of DESIGN.md section 3, which are small non-negative integers.
BOOTSTRAP_SPAWN_KEY = (2**32 - 1,)
#: Largest wavevector of the Eq. (37) fit in units of 1/l: the seed's hydrodynamic
#: Eq. (29) holds for q l << 1; q l <= 1 keeps enough allowed wavevectors.
Q_MAX_TIMES_L = 1.0
#: The low-frequency window of a localized point ends at w0 / WINDOW_SEPARATION ("w << w0").
WINDOW_SEPARATION = 3.0
#: Bootstrap resamples of the linear conductivity fits (vectorized, cheap).
CONDUCTIVITY_RESAMPLES = 2000
#: Bootstrap resamples of the nonlinear Eq. (37) fit (one least-squares fit each).
LORENTZIAN_RESAMPLES = 400
#: Bootstrap resamples per window of the sensitivity table.
SENSITIVITY_RESAMPLES = 400


class FiniteSizeScaling(Protocol):
    """The finite-size-scaling fits the claims use (``lattice.transfer_matrix.scaling``).

    ``crossing_points`` (covariance-propagated crossings of Lambda_M(W) of
    consecutive widths), ``fit_critical_scaling`` (one-parameter fit for W_c,
    nu, Lambda_c) and ``scaling_collapse_2d`` (MacKinnon-Kramer collapse),
    each taking ``(widths, disorders, Lambda, Lambda_err, ...)`` arrays.
    """

    def crossing_points(self, *args: Any, **kwargs: Any) -> Any: ...

    def fit_critical_scaling(self, *args: Any, **kwargs: Any) -> Any: ...

    def scaling_collapse_2d(self, *args: Any, **kwargs: Any) -> Any: ...


@dataclass
class ConductivityAnalysis:
    """Low-frequency Re sigma of one sweep point.

    Attributes
    ----------
    omega, mean, stderr : numpy.ndarray
        Frequencies (t) and the disorder-averaged Re sigma (e^2/hbar per site).
    n_realizations : int
        Realizations averaged.
    eta : float
        Broadening of the Kubo delta function (t).
    level_spacing : float
        Mean level spacing 1/(rho N) (t).
    window : tuple or None
        Physical fit window, None if empty (``skipped`` says why).
    fits : dict
        Law -> :class:`~compare.fits.LawFit` (``omega2``; ``mott`` in 1D).
    selection : ModelSelection or None
        AIC ranking of the laws on the window.
    sensitivity : list of dict
        :func:`compare.fits.window_sensitivity` rows.
    theory : numpy.ndarray or None
        Re sigma of the Eq. (42) solution on ``omega``.
    skipped : str
        Why no fit was made ("" if fitted).
    values : numpy.ndarray or None
        Re sigma per realization, shape ``(n_realizations, n_omega)``.
    kernel : str
        Shape of the broadened delta (``lorentzian``, ``gaussian``, ...).
    w_max : float
        Largest transition frequency in the pair sums (t/hbar; inf: the whole spectrum).
    """

    omega: np.ndarray
    mean: np.ndarray
    stderr: np.ndarray
    n_realizations: int
    eta: float
    level_spacing: float
    window: tuple[float, float] | None = None
    fits: dict[str, LawFit] = field(default_factory=dict)
    selection: ModelSelection | None = None
    sensitivity: list[dict[str, Any]] = field(default_factory=list)
    theory: np.ndarray | None = None
    skipped: str = ""
    values: np.ndarray | None = field(default=None, repr=False)
    kernel: str = "lorentzian"
    w_max: float = math.inf


@dataclass
class StaticResponseAnalysis:
    """chi(q, 0) of one sweep point with the Eq. (37) fit.

    Attributes
    ----------
    q, mean, stderr : numpy.ndarray
        Wavevectors (1/a) and the averaged static chi (states per site per t).
    values : numpy.ndarray
        chi(q, 0) per realization, shape (R, n_q) (for its tail at small q).
    chi_t : float
        chi^T = rho(E_F), the clean DOS of the mapping (docs/conventions.md).
    fit : LorentzianFit or None
        Eq. (37) with chi^T free.
    fit_fixed : LorentzianFit or None
        Eq. (37) with chi^T = rho(E_F) fixed.
    q_max : float
        Largest wavevector allowed in the fits (1/a).
    skipped : str
        Why no fit was made ("" if fitted).
    """

    q: np.ndarray
    mean: np.ndarray
    stderr: np.ndarray
    values: np.ndarray
    chi_t: float
    q_max: float
    fit: LorentzianFit | None = None
    fit_fixed: LorentzianFit | None = None
    skipped: str = ""


@dataclass
class PolarizabilityAnalysis:
    """alpha(0) of one sweep point: distribution, robust statistics and r0.

    Attributes
    ----------
    values : numpy.ndarray
        alpha(0) per realization (e^2 a^2 / t per site).
    summary : RobustSummary
        Mean, median and typical with bootstrap intervals.
    r0 : dict
        ``mean`` and ``typical`` r0 = sqrt(alpha(0)/chi^T) (a).
    """

    values: np.ndarray
    summary: RobustSummary
    r0: dict[str, Estimate]


@dataclass
class PointAnalysis:
    """Everything derived at one sweep point.

    Attributes
    ----------
    point_id : str
        The archive's point id.
    dim, shape, disorder, fermi_energy, flux, kind : ...
        Lattice parameters (W and E_F in t, flux in flux quanta).
    mapping : LatticeMapping or None
        Continuum parameters (None where the mapping does not apply: W = 0,
        E_F outside the band, flux != 0).
    theory : LocalizationProperties or None
        Eq. (42) zero-frequency predictions through the mapping.
    conductivity, static_response, polarizability : ... or None
        The analyses of the observables present.
    notes : list of str
        Why a mapping or a fit is missing.
    boundary : tuple of str
        ``periodic`` or ``open`` per axis (empty: periodic on every axis).
    """

    point_id: str
    dim: int
    shape: tuple[int, ...]
    disorder: float
    fermi_energy: float
    flux: float
    kind: str
    mapping: LatticeMapping | None = None
    theory: LocalizationProperties | None = None
    conductivity: ConductivityAnalysis | None = None
    static_response: StaticResponseAnalysis | None = None
    polarizability: PolarizabilityAnalysis | None = None
    notes: list[str] = field(default_factory=list)
    boundary: tuple[str, ...] = ()

    @property
    def n_sites(self) -> int:
        """Number of lattice sites (0 for transfer-matrix-only points)."""
        return int(np.prod(self.shape)) if self.shape else 0

    @property
    def label(self) -> str:
        """Short legend label."""
        size = "x".join(map(str, self.shape)) if self.shape else "TM"
        flux = f", flux {self.flux:g}" if self.flux else ""
        return f"W={self.disorder:g}, E_F={self.fermi_energy:g}, L={size}{flux}"


@dataclass
class LengthEntry:
    """A transfer-matrix localization length xi_M at one (d, W, E, M, flux).

    Attributes
    ----------
    xi : Estimate
        Mean over independent chains (realizations) with a Student-t interval,
        or the single chain's own error estimate (a).
    mapping : LatticeMapping or None
        Continuum parameters at (d, W, E).
    theory : LocalizationProperties or None
        Eq. (42) predictions (r0) at (d, W, E).
    """

    dim: int
    width: int
    energy: float
    disorder: float
    flux: float
    xi: Estimate
    n_realizations: int
    mapping: LatticeMapping | None = None
    theory: LocalizationProperties | None = None
    kind: str = "box"

    @property
    def Lambda(self) -> float:
        """xi_M / M (dimensionless)."""
        return self.xi.value / self.width


@dataclass
class Analysis:
    """The analysed contents of one or more archives."""

    seeds: list[int]
    """Root seeds of the archives."""
    configs: list[str]
    """Resolved config texts (every default written out)."""
    provenance: list[dict[str, Any]]
    """Run records of the archives (versions, git commit, host, times)."""
    points: list[PointAnalysis]
    """Per sweep point with lattice observables."""
    lengths: list[LengthEntry]
    """Transfer-matrix entries."""
    scaling: FiniteSizeScaling | None = None
    """Finite-size-scaling fits (``lattice.transfer_matrix.scaling``), if provided."""

    def points_with(self, observable: str, dim: int | None = None) -> list[PointAnalysis]:
        """Points that hold ``observable`` (attribute name), optionally of one dimension."""
        return [
            p
            for p in self.points
            if getattr(p, observable) is not None and (dim is None or p.dim == dim)
        ]


def _mapping(
    dim: int, disorder: float, energy: float, kind: str, hopping: float, flux: float, notes: list
) -> tuple[LatticeMapping | None, LocalizationProperties | None]:
    if flux != 0:
        notes.append(
            f"flux {flux:g}: Eq. (42) with 1/tau_s of the flux is in the time-reversal table"
        )
        return None, None
    if kind not in ("box", "gaussian"):
        notes.append(f"disorder kind {kind!r} has no Born mapping; numerics only")
        return None, None
    try:
        return lattice_theory(dim, disorder, energy, kind, hopping)
    except ValueError as exc:
        notes.append(f"no continuum mapping: {exc}")
        return None, None


@functools.lru_cache(maxsize=4096)
def lattice_theory(
    dim: int, disorder: float, energy: float, kind: str = "box", hopping: float = 1.0
) -> tuple[LatticeMapping, LocalizationProperties]:
    """The Born mapping and the Eq. (42) zero-frequency predictions at one lattice point.

    Memoized: the 3D mapping integrates the clean band numerically (~0.1 s), and
    the claims ask for the same points repeatedly. Raises ValueError where no
    mapping exists (W = 0, E outside the band).
    """
    mapping = map_lattice(dim, disorder, energy, kind=kind, hopping=hopping)
    return mapping, localization_properties(mapping.parameters)


def _conductivity(
    record: ConductivityRecord, point: PointAnalysis, rng: np.random.Generator
) -> ConductivityAnalysis:
    omega, values, eta = record.omega, record.values, record.eta
    n = values.shape[0]
    mapping = point.mapping
    rho = mapping.density_of_states if mapping else math.nan
    result = ConductivityAnalysis(
        omega=omega,
        mean=values.mean(axis=0) if n else np.full(omega.size, math.nan),
        stderr=values.std(axis=0, ddof=1) / math.sqrt(n)
        if n > 1
        else np.full(omega.size, math.nan),
        n_realizations=n,
        eta=eta,
        level_spacing=1.0 / (rho * point.n_sites) if mapping else math.nan,
        values=values,
        kernel=record.kernel,
        w_max=record.w_max,
    )
    if mapping is None:
        result.skipped = "no continuum mapping (no tau for the window)"
        return result
    result.theory = theory_conductivity(solve_eq42(mapping.parameters, omega)).real
    if n < 2:
        result.skipped = f"{n} realization(s): need >= 2 for errors"
        return result
    try:
        window = physical_window(result.level_spacing, eta, mapping.tau)
        if point.theory is not None and point.theory.localized:
            # The w^2 law is the w << w0 limit: end the window at w0 / WINDOW_SEPARATION.
            high = min(window[1], point.theory.omega0 / WINDOW_SEPARATION)
            if high <= window[0]:
                raise ValueError(
                    f"empty fit window: omega_min = {window[0]:.4g} >= w0/"
                    f"{WINDOW_SEPARATION:g} = {high:.4g} (level spacing, eta too large)"
                )
            window = (window[0], high)
        laws = ("omega2", "mott") if point.dim == 1 else ("omega2",)
        for law in laws:
            result.fits[law] = fit_conductivity(
                omega,
                values,
                window,
                law,
                tau=mapping.tau,
                n_resamples=CONDUCTIVITY_RESAMPLES,
                rng=rng,
            )
    except ValueError as exc:
        result.fits.clear()
        result.skipped = str(exc)
        return result
    result.window = window
    if len(result.fits) > 1:
        result.selection = select_model(list(result.fits.values()))
    result.sensitivity = sensitivity_table(
        omega,
        values,
        window,
        tau=mapping.tau if point.dim == 1 else None,
        n_resamples=SENSITIVITY_RESAMPLES,
        rng=rng,
    )
    return result


def _static_response(
    record: StaticResponseRecord, point: PointAnalysis, rng: np.random.Generator
) -> StaticResponseAnalysis | None:
    q, values = record.q, record.values
    n = values.shape[0]
    mapping = point.mapping
    result = StaticResponseAnalysis(
        q=q,
        mean=values.mean(axis=0),
        stderr=values.std(axis=0, ddof=1) / math.sqrt(n) if n > 1 else np.full(q.size, math.nan),
        values=values,
        chi_t=mapping.density_of_states if mapping else math.nan,
        q_max=Q_MAX_TIMES_L / mapping.mean_free_path if mapping else float(q.max()),
    )
    if n < 2:
        result.skipped = f"{n} realization(s): need >= 2 for errors"
        return result
    try:
        result.fit = fit_static_response(
            q, values, result.q_max, n_resamples=LORENTZIAN_RESAMPLES, rng=rng
        )
        if mapping:
            result.fit_fixed = fit_static_response(
                q,
                values,
                result.q_max,
                chi_t=result.chi_t,
                n_resamples=LORENTZIAN_RESAMPLES,
                rng=rng,
            )
    except ValueError as exc:
        result.skipped = str(exc)
    return result


def _polarizability(
    record: PolarizabilityRecord, point: PointAnalysis, rng: np.random.Generator
) -> PolarizabilityAnalysis | None:
    values = record.values
    if values.size < 2 or point.mapping is None:
        mapped = "present" if point.mapping else "absent"
        point.notes.append(
            f"alpha(0): {values.size} realization(s), mapping {mapped}; "
            "need >= 2 and a mapping for chi^T"
        )
        return None
    try:
        summary = robust_summary(values, rng=rng)
        r0 = r0_from_polarizability(values, point.mapping.density_of_states, rng=rng)
    except ValueError as exc:
        point.notes.append(f"alpha(0): {exc}")
        return None
    return PolarizabilityAnalysis(values=values, summary=summary, r0=r0)


def _length(record: LengthRecord) -> LengthEntry:
    chains, n = record.xi, record.xi.size
    if n > 1:
        estimate = Estimate.from_stderr(chains.mean(), chains.std(ddof=1) / math.sqrt(n))
    else:
        estimate = Estimate.from_stderr(chains[0], record.xi_err[0])
    mapping, theory = _mapping(
        record.dim,
        record.disorder,
        record.energy,
        record.kind,
        record.hopping,
        record.flux,
        [],
    )
    return LengthEntry(
        record.dim,
        record.width,
        record.energy,
        record.disorder,
        record.flux,
        estimate,
        n,
        mapping,
        theory,
        record.kind,
    )


def analyze(
    archives: Sequence[ArchiveRecord], scaling: FiniteSizeScaling | None = None
) -> Analysis:
    """Analyse the typed records of one or more archives.

    Parameters
    ----------
    archives : sequence of ArchiveRecord
        From the batch layer's reader (``batch.records.archive_records``).
    scaling : FiniteSizeScaling, optional
        The finite-size-scaling fits (``lattice.transfer_matrix.scaling``, passed in by the
        batch layer since compare does not import lattice); without it the
        3D transition and the 2D scaling rows are "not tested".

    Returns
    -------
    Analysis
    """
    if not archives:
        raise ValueError("analyze needs at least one archive")
    points, lengths, seen = [], [], set()
    for archive in archives:
        rng = np.random.default_rng(
            np.random.SeedSequence(int(archive.seed), spawn_key=BOOTSTRAP_SPAWN_KEY)
        )
        for record in archive.lengths:
            # The transfer matrix ignores the sweep's L: every point of an ED sweep
            # repeats the same chains; keep one entry per (d, M, E, W, flux, kind).
            key = (record.dim, record.width, record.energy, record.disorder, record.flux)
            if record.xi.size and (key, record.kind) not in seen:
                seen.add((key, record.kind))
                lengths.append(_length(record))
        for record in archive.points:
            lattice = record.lattice
            point = PointAnalysis(
                point_id=record.point_id,
                dim=lattice.dim,
                shape=lattice.shape,
                disorder=lattice.disorder,
                fermi_energy=lattice.fermi_energy,
                flux=lattice.flux,
                kind=lattice.kind,
                notes=list(record.notes),
                boundary=lattice.boundary,
            )
            point.mapping, point.theory = _mapping(
                point.dim,
                point.disorder,
                point.fermi_energy,
                lattice.kind,
                lattice.hopping,
                point.flux,
                point.notes,
            )
            if record.conductivity is not None:
                point.conductivity = _conductivity(record.conductivity, point, rng)
            if record.static_response is not None:
                point.static_response = _static_response(record.static_response, point, rng)
            if record.polarizability is not None:
                point.polarizability = _polarizability(record.polarizability, point, rng)
            points.append(point)
    points.sort(key=lambda p: (p.dim, p.flux, p.fermi_energy, p.disorder, p.shape))
    lengths.sort(key=lambda e: (e.dim, e.flux, e.energy, e.width, e.disorder))
    return Analysis(
        seeds=[int(a.seed) for a in archives],
        configs=[a.config for a in archives],
        provenance=[dict(run) for a in archives for run in a.provenance],
        points=points,
        lengths=lengths,
        scaling=scaling,
    )
