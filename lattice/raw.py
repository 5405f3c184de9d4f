r"""Raw per-realization data of the sparse and kpm engines, and their reprocessing.

What an engine measures before it is put on a frequency grid, so that a new
grid, kernel or broadening needs no new diagonalization or time evolution
(issue 10, "raw results archived"). Everything here is arrays in, arrays out;
the batch archive stores exactly these arrays (docs/archive-format.md) and
:func:`conductivity_from_raw` is what the reader and ``vwloc compare`` call.

``engine="sparse"`` (per realization)
    ``window_energies`` (k,): the exact eigenvalues in the window
    :math:`(E_F - w_{max} - 40T, E_F + w_{max} + 40T]` (units of t);
    ``pair_frequency`` and ``pair_weight`` (M,): the current transitions
    :math:`w_p = e_m - e_n \le w_{max}` and :math:`(f_n - f_m)|J_{nm}|^2`
    (:class:`lattice.exact.transitions.Transitions`). Then
    :math:`\mathrm{Re}\,\sigma(\omega) = \frac{1}{N}\sum_p \frac{(f_n - f_m)|J_{nm}|^2}{w_p}
    \,\mathrm{Re}\,K(\omega, w_p)` exactly as the dense engine
    (:func:`lattice.exact.kubo.conductivity_from_transitions`), for any grid with
    :math:`\omega \lesssim w_{max}`, any kernel and width.

``engine="kpm"``, DOS (per realization and random vector j)
    ``moments`` (M,): :math:`\mu_n = \langle r|T_n(\tilde H)|r\rangle/N`; per
    realization ``scale`` = (a, b) of :math:`\tilde H = (H - b)/a` (units of t).
    Then :func:`lattice.chebyshev.kpm.dos_from_moments` for any energies, kernel, and any
    width the M moments resolve (M defaults from the recorded eta so that the
    truncation error is below 1e-8, from the realization's own a).

``engine="kpm"``, conductivity (per realization and random vector j)
    ``correlation`` (n_t,): :math:`B(t_i) = D(t_i) - D(0)`, :math:`t_i = i\,\delta t`
    (units of t; :class:`lattice.chebyshev.kpm.CurrentCorrelation`); ``kinetic``: the
    vector's :math:`D_f` (units of t); per realization ``time_step``
    :math:`\delta t` (units of hbar/t). Then
    :math:`\sigma_j(\omega) = D_{f,j}K(\omega) + \int_0^\infty e^{i\omega t}W(t)B_j(t)\,dt`
    (:func:`lattice.chebyshev.kpm.conductivity_from_correlation`) for any grid with
    :math:`|\omega| \le \omega_{max}` of the recording and any width
    :math:`\eta` at least the recorded one (the samples cover its time window).
    The realization's estimate is the mean over its vectors. At T = 0 the
    occupation was a Fermi function at :data:`lattice.chebyshev.kpm.T0_SMEARING` x the
    *recorded* eta; a new width keeps that occupation (at T > 0 the occupation
    does not depend on eta, and a new width equals a new run to the 1e-8 window
    truncation).

A realization's value does not depend on how its vectors were grouped: the
per-vector arrays are computed vector by vector from the vector's own seed
stream (:func:`lattice.chebyshev.kpm.phase_vectors`) and the mean is taken over the
complete set in one call.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from lattice.chebyshev.kpm import (
    T0_SMEARING,
    ChebyshevMoments,
    CurrentCorrelation,
    conductivity_from_correlation,
    current_correlation,
    default_moments,
    dos_from_moments,
    dos_moments,
    fermi_series,
    position_route,
    propagator_series,
)
from lattice.chebyshev.kpm import phase_vectors as _phase_vectors
from lattice.chebyshev.operators import StencilOperator
from lattice.exact.kubo import conductivity_from_transitions
from lattice.exact.spectrum import diagonalize
from lattice.exact.transitions import Transitions, energy_window, transitions
from lattice.models.model import AndersonModel
from vwloc_common.checks import check_choice, check_finite, check_positive, check_positive_int

__all__ = [
    "KPM_DOS_RAW",
    "KPM_RAW",
    "RAW_ENGINES",
    "SPARSE_RAW",
    "WORK_KINDS",
    "conductivity_from_raw",
    "dos_from_raw",
    "kpm_dos_raw",
    "kpm_conductivity_raw",
    "kpm_vector_conductivity",
    "sparse_conductivity_raw",
]

#: Raw arrays of the sparse engine, one 1-D array each per realization.
SPARSE_RAW = ("window_energies", "pair_frequency", "pair_weight")
#: Raw arrays of the kpm engine: per realization and vector (``correlation``,
#: ``kinetic``) and per realization (``time_step``).
KPM_RAW = ("correlation", "kinetic", "time_step")
#: Keys of the work counts the raw functions return beside the arrays (not archived):
#: single-vector products with H (or J, K) for kpm, window eigenpairs for sparse.
WORK_KINDS = ("matrix-vector products", "eigenpairs")
#: Raw arrays of the kpm DOS: Chebyshev moments per realization and vector, and the
#: realization's rescaling (a, b) of H~ = (H - b)/a.
KPM_DOS_RAW = ("moments", "scale")
#: Engines whose conductivity has raw data.
RAW_ENGINES = ("sparse", "kpm")


def sparse_conductivity_raw(
    model: AndersonModel,
    realization: int,
    seed: int,
    fermi_energy: float,
    temperature: float,
    w_max: float,
    axis: int = 0,
) -> dict[str, np.ndarray]:
    """Window eigenvalues and current transitions of one realization (``engine="sparse"``).

    Parameters
    ----------
    model : AndersonModel
    realization, seed : int
        Realization i of root seed s.
    fermi_energy, temperature : float
        E_F and T (units of t).
    w_max : float
        Largest transition frequency kept (units of t); sets the window.
    axis : int
        Direction of the current.

    Returns
    -------
    dict
        :data:`SPARSE_RAW` -> 1-D float64 arrays (module docstring), and ``"eigenpairs"``
        (their number, not a raw array).
    """
    fermi_energy = check_finite("fermi_energy", fermi_energy)
    temperature = check_positive("temperature", temperature, allow_zero=True)
    window = energy_window(fermi_energy, temperature, w_max)
    spectrum = diagonalize(model, realization, seed, window, "sparse")
    current = transitions(
        spectrum, model.current_operator(axis), fermi_energy, temperature, w_max=w_max
    )
    return {
        "window_energies": np.asarray(spectrum.energies, dtype=float),
        "pair_frequency": np.asarray(current.frequency, dtype=float),
        "pair_weight": np.asarray(current.weight, dtype=float),
        "eigenpairs": spectrum.energies.size,
    }


def kpm_conductivity_raw(
    model: AndersonModel,
    realization: int,
    seed: int,
    fermi_energy: float,
    temperature: float,
    eta: float,
    kernel: str,
    omega_max: float,
    first: int,
    count: int,
) -> dict[str, np.ndarray]:
    r"""Current correlations of random vectors ``first .. first + count - 1`` of one realization.

    Parameters
    ----------
    model : AndersonModel
    realization, seed : int
    fermi_energy, temperature : float
        Units of t.
    eta : float
        The broadening whose time window is recorded (units of t).
    kernel : {"lorentzian", "gaussian"}
    omega_max : float
        Largest frequency the samples must resolve (units of t/hbar).
    first, count : int
        The vectors (their own seed streams: any grouping gives the same arrays).

    Returns
    -------
    dict
        ``correlation`` (count, n_t), ``kinetic`` (count,), ``time_step`` () (units
        of t, t and hbar/t), and ``"matrix-vector products"``: single-vector products
        with H, J or K, :math:`2(F - 1) + 2 + C\,n_t'(P - 1)` per vector (F Fermi and P
        propagator Chebyshev terms, :math:`n_t' = n_t - 1` time steps of C columns: three,
        two on an open x axis).
    """
    count = check_positive_int("count", count)
    vectors = _phase_vectors(seed, realization, first, count, model.n_sites)
    samples, kinetic, dt, _ = current_correlation(
        model, realization, seed, fermi_energy, temperature, eta, kernel, omega_max, vectors
    )
    scale = StencilOperator(model, realization, seed).chebyshev_scale()
    occupation = temperature if temperature > 0.0 else T0_SMEARING * eta
    terms = fermi_series(scale, fermi_energy, occupation).size
    steps = samples.shape[1] - 1
    columns = 2 if position_route(model) else 3
    products = count * (
        2 * (terms - 1) + 2 + columns * steps * (propagator_series(scale, dt).size - 1)
    )
    return {
        "correlation": samples,
        "kinetic": kinetic,
        "time_step": np.float64(dt),
        "matrix-vector products": products,
    }


def kpm_vector_conductivity(
    correlation: np.ndarray,
    kinetic: np.ndarray,
    time_step: float,
    omega,
    eta: float,
    kernel: str = "lorentzian",
    omega_max: float | None = None,
) -> np.ndarray:
    """Complex sigma per vector, (V, n_omega) (e^2/hbar per site), of one realization.

    ``omega_max`` (the recording's; default the largest |omega|) bounds the grid.
    """
    correlation = np.asarray(correlation, dtype=float)
    omega = np.asarray(omega, dtype=float)
    limit = float(np.max(np.abs(omega))) if omega_max is None else float(omega_max)
    raw = CurrentCorrelation(
        values=correlation[None],
        time_step=np.array([float(time_step)]),
        kinetic=np.asarray(kinetic, dtype=float)[None],
        scale=np.zeros((1, 2)),
        realizations=np.zeros(1, dtype=np.int64),
        settings={"omega_max": limit},
    )
    return conductivity_from_correlation(raw, omega, eta, kernel)[0]


def kpm_dos_raw(
    model: AndersonModel,
    realization: int,
    seed: int,
    moments: int | None,
    eta: float,
    kernel: str,
    first: int,
    count: int,
) -> dict[str, np.ndarray]:
    """Chebyshev moments of random vectors ``first .. first + count - 1`` of one realization.

    Parameters
    ----------
    model : AndersonModel
    realization, seed : int
    moments : int or None
        M; None: enough for ``eta`` and ``kernel`` (truncation < 1e-8) with this
        realization's spectral bounds.
    eta : float
        Units of t.
    kernel : {"lorentzian", "gaussian", "jackson"}
    first, count : int
        The vectors (their own seed streams).

    Returns
    -------
    dict
        ``moments`` (count, M), ``scale`` (2,) (units of t), and
        ``"matrix-vector products"`` (M/2 + 1 per vector, two moments per product).
    """
    count = check_positive_int("count", count)
    op = StencilOperator(model, realization, seed)
    scale = op.chebyshev_scale()
    size = default_moments(scale, eta, kernel) if moments is None else int(moments)
    vectors = _phase_vectors(seed, realization, first, count, model.n_sites)
    values = dos_moments(op, vectors, size, scale)
    return {
        "moments": values,
        "scale": np.asarray(scale, dtype=float),
        "matrix-vector products": count * (size // 2 + 1),
    }


def dos_from_raw(
    raw: Sequence[dict[str, np.ndarray]], energies, eta: float, kernel: str = "lorentzian"
) -> np.ndarray:
    """DOS per realization, (R, n_E) (1/t per site), the mean over each realization's
    vectors of :func:`lattice.chebyshev.kpm.dos_from_moments` (raises if the moments cannot
    resolve ``eta``)."""
    rows = []
    for item in raw:
        moments = np.asarray(item["moments"], dtype=float)
        data = ChebyshevMoments(
            moments[None], np.asarray(item["scale"], dtype=float)[None], np.zeros(1, np.int64)
        )
        rows.append(dos_from_moments(data, energies, eta, kernel)[0].mean(axis=0))
    return np.stack(rows)


def conductivity_from_raw(
    engine: str,
    raw: Sequence[dict[str, np.ndarray]],
    n_sites: int,
    omega,
    eta: float,
    kernel: str = "lorentzian",
    omega_max: float | None = None,
) -> np.ndarray:
    r"""Re sigma(omega) per realization, (R, n_omega) (e^2/hbar per site), from raw data.

    Parameters
    ----------
    engine : {"sparse", "kpm"}
    raw : sequence of dict
        One dict per realization: :data:`SPARSE_RAW` or :data:`KPM_RAW` arrays
        (``correlation`` (V, n_t), ``kinetic`` (V,)).
    n_sites : int
        N (the sparse pair sum is per site).
    omega : array_like
        The new grid (units of t/hbar); sparse: keep it below the recorded w_max
        (pairs above it are absent), kpm: within the recorded ``omega_max``.
    eta : float
        Width (units of t); kpm: at least the recorded one.
    kernel : str
        Sparse: any of :data:`lattice.exact.kubo.KERNELS`; kpm: ``lorentzian`` or ``gaussian``.
    omega_max : float or None
        kpm only: the recording's largest frequency (Nyquist check).

    Returns
    -------
    numpy.ndarray
        The values the engine would have produced on this grid (for kpm the mean
        over the realization's vectors).
    """
    check_choice("engine", engine, RAW_ENGINES)
    rows = []
    for item in raw:
        if engine == "sparse":
            pairs = Transitions(
                frequency=np.asarray(item["pair_frequency"], dtype=float),
                weight=np.asarray(item["pair_weight"], dtype=float),
                n_sites=int(n_sites),
            )
            rows.append(conductivity_from_transitions(pairs, omega, eta, kernel).real)
        else:
            per_vector = kpm_vector_conductivity(
                item["correlation"], item["kinetic"], float(item["time_step"]), omega, eta,
                kernel, omega_max,
            )  # fmt: skip
            rows.append(per_vector.real.mean(axis=0))
    return np.stack(rows)
