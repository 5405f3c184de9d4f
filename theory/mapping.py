r"""Lattice -> continuum mapping of the Anderson (and Edwards) model, Born approximation.

For :math:`H = -t\sum_{\langle ij\rangle} c_i^\dagger c_j + \sum_i \epsilon_i n_i` on
the chain, square and cubic lattices (a = hbar = 1), at Fermi energy E and
disorder variance :math:`\langle\epsilon^2\rangle = W^2/12` (box or Gaussian):

- :math:`\rho(E)`: clean density of states per site and spin; closed form in
  d = 1, :math:`\rho_2 = K(1 - E^2/16t^2)/(2\pi^2 t)` (complete elliptic integral,
  parameter convention of :func:`scipy.special.ellipk`, evaluated as ``ellipkm1``) in d = 2, and
  :math:`\rho_3(E) = \pi^{-1}\int_0^\pi dk\,\rho_2(E + 2t\cos k)` in d = 3;
- :math:`n(E)`: filling per site; :math:`D_f(E) = -\langle K_x\rangle/N`, the
  lattice "n/m" (kinetic energy on x bonds per site), both by folding the chain's
  closed forms :math:`n_1 = \arccos(-E/2t)/\pi`, :math:`D_{f,1} = \sqrt{4t^2-E^2}/\pi`
  over the transverse momenta;
- :math:`v_F^2/d = D_f/\rho`, :math:`1/\tau = 2\pi\rho\langle\epsilon^2\rangle`,
  :math:`l = v_F\tau`, :math:`D_0 = (D_f/\rho)\tau`, so :math:`n/m = \rho D_0/\tau = D_f`;
- effective :math:`E_F` from the seed's relation :math:`n/N(E_F) = 2E_F/d`
  (below Eq. 29) with the carrier density :math:`n_c = \min(n, 1 - n)` (holes
  above the band centre), and :math:`\lambda = 1/(2\pi E_F\tau)`.

``docs/theory.md`` explains why :math:`n_c/\rho`, not :math:`D_f/\rho` (an energy
squared), defines :math:`E_F`, and why the cutoff default is :math:`k_0 = 1/l`.
The solver itself needs only :math:`\tau, D_0, \rho` and the cutoff.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

from scipy.integrate import IntegrationWarning, quad
from scipy.special import ellipkm1

from theory.parameters import TheoryParameters, default_cutoff
from vwloc_common.checks import check_dimension, check_finite, check_positive, check_time_scale

__all__ = [
    "DISORDER_KINDS",
    "LatticeMapping",
    "clean_density_of_states",
    "clean_filling",
    "fermi_stiffness",
    "map_lattice",
]

#: Disorder distributions with variance W^2/12 (same Born rate for the same W).
DISORDER_KINDS = ("box", "gaussian")
#: Absolute tolerance of the folding quadratures (results are O(1) per site).
_QUAD_EPSABS = 1e-13
#: Relative tolerance of the folding quadratures.
_QUAD_EPSREL = 1e-12
#: Kinks of the folded function within this of the fold's range still get a break point.
_NEAR_EDGE = 1e-2
#: Largest quad error estimate accepted (results are O(1) per site; the estimate is
#: pessimistic near kinks, where quad reports roundoff at the 1e-13 level).
_QUAD_ACCEPT = 1e-8
#: Subintervals allowed to scipy.integrate.quad.
_QUAD_LIMIT = 200


def _check_energy(dim: int, energy: float, hopping: float) -> None:
    if abs(energy) >= 2.0 * dim * hopping:
        raise ValueError(
            f"energy must lie inside the clean band |E| < {2 * dim * hopping:g}, got {energy!r}"
        )
    if dim == 2 and energy == 0.0:
        raise ValueError(
            "energy 0 is the van Hove singularity of the square lattice (infinite DOS), got 0.0"
        )


def _dos_chain(energy: float, hopping: float) -> float:
    if abs(energy) >= 2.0 * hopping:
        return 0.0
    return 1.0 / (math.pi * math.sqrt(4.0 * hopping**2 - energy**2))


def _dos_square(energy: float, hopping: float) -> float:
    if abs(energy) >= 4.0 * hopping:
        return 0.0
    return float(ellipkm1((energy / (4.0 * hopping)) ** 2)) / (2.0 * math.pi**2 * hopping)


def _filling_chain(energy: float, hopping: float) -> float:
    return math.acos(min(1.0, max(-1.0, -energy / (2.0 * hopping)))) / math.pi


def _stiffness_chain(energy: float, hopping: float) -> float:
    if abs(energy) >= 2.0 * hopping:
        return 0.0
    return math.sqrt(4.0 * hopping**2 - energy**2) / math.pi


def _fold(function, energy: float, hopping: float, kinks: tuple[float, ...]) -> float:
    r""":math:`\pi^{-1}\int_0^\pi dk\, f(E + 2t\cos k)`, splitting where f is not smooth.

    ``kinks`` are the arguments e at which f has a kink or integrable singularity.
    """
    points = []
    for e in kinks:
        c = (e - energy) / (2.0 * hopping)
        if abs(c) < 1.0:
            points.append(math.acos(c))
        elif abs(c) - 1.0 < _NEAR_EDGE:
            # a kink just outside [0, pi] bends f on the scale sqrt(2(|c| - 1)) there
            width = math.sqrt(2.0 * (abs(c) - 1.0))
            points.append(width if c > 0 else math.pi - width)
    points = sorted(k for k in points if 0.0 < k < math.pi)
    with warnings.catch_warnings():
        # near a kink quad may report roundoff at the 1e-13 level; the estimate is checked below
        warnings.simplefilter("ignore", IntegrationWarning)
        value, error = quad(
            lambda k: function(energy + 2.0 * hopping * math.cos(k)),
            0.0,
            math.pi,
            points=points or None,
            epsabs=_QUAD_EPSABS,
            epsrel=_QUAD_EPSREL,
            limit=_QUAD_LIMIT,
        )
    if error > _QUAD_ACCEPT:
        raise ValueError(
            f"energy {energy!r} is too close to a van Hove singularity (error {error:.0e})"
        )
    return value / math.pi


def _square_moment(power: int, energy: float, hopping: float) -> float:
    r""":math:`\int_{-4t}^{E} e^p \rho_2(e)\,de`, split at the log singularity e = 0."""
    top = max(-4.0 * hopping, min(energy, 4.0 * hopping))

    def piece(lower: float, upper: float) -> float:
        if lower == upper:
            return 0.0
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", IntegrationWarning)
            value, error = quad(
                lambda e: e**power * _dos_square(e, hopping),
                lower,
                upper,
                epsabs=_QUAD_EPSABS,
                epsrel=_QUAD_EPSREL,
                limit=_QUAD_LIMIT,
            )
        if error > _QUAD_ACCEPT:
            raise ValueError(f"energy {energy!r} is too close to the van Hove point 0 of rho_2")
        return value

    if top < -0.5 * hopping:
        return piece(-4.0 * hopping, top)
    return piece(-4.0 * hopping, 0.0) + (piece(0.0, top) if top >= 0.0 else -piece(top, 0.0))


def _filling_square(energy: float, hopping: float) -> float:
    return _square_moment(0, energy, hopping)


def _stiffness_square(energy: float, hopping: float) -> float:
    # sum_k theta(E - e_k) e_k = -d D_f(E), since e_k = -2t sum_i cos k_i
    return -0.5 * _square_moment(1, energy, hopping)


def _fold_dims(chain, square, dim: int, energy: float, hopping: float) -> float:
    """A quantity of the chain or square lattice, or its fold over the third direction."""
    if dim == 1:
        return chain(energy, hopping)
    if dim == 2:
        return square(energy, hopping)
    kinks = (-4.0 * hopping, 0.0, 4.0 * hopping)
    return _fold(lambda e: square(e, hopping), energy, hopping, kinks)


def clean_density_of_states(dim: int, energy: float, hopping: float = 1.0) -> float:
    r"""Clean DOS per site and spin :math:`\rho(E)` of the chain, square or cubic lattice.

    Parameters
    ----------
    dim : int
        1, 2 or 3.
    energy : float
        Energy inside the band, :math:`|E| < 2dt` (units of the hopping); not 0 in d = 2.
    hopping : float
        t > 0.

    Returns
    -------
    float
        :math:`\rho(E)` in 1/(energy site).
    """
    dim, t = check_dimension(dim), check_positive("hopping", hopping)
    energy = check_finite("energy", energy)
    _check_energy(dim, energy, t)
    if dim == 1:
        return _dos_chain(energy, t)
    if dim == 2:
        return _dos_square(energy, t)
    kinks = (-4.0 * t, 0.0, 4.0 * t)
    return _fold(lambda e: _dos_square(e, t), energy, t, kinks)


def clean_filling(dim: int, energy: float, hopping: float = 1.0) -> float:
    r"""Clean filling :math:`n(E) = \int^E \rho` per site and spin (dimensionless, in [0, 1])."""
    dim, t = check_dimension(dim), check_positive("hopping", hopping)
    energy = check_finite("energy", energy)
    _check_energy(dim, energy, t)
    return _fold_dims(_filling_chain, _filling_square, dim, energy, t)


def fermi_stiffness(dim: int, energy: float, hopping: float = 1.0) -> float:
    r"""Clean :math:`D_f = -\langle K_x\rangle/N` at Fermi energy E (energy; the lattice "n/m").

    Equals :math:`\rho\langle v_x^2\rangle_{FS}` and obeys
    :math:`dD_f/dE = -E\rho(E)/d` (used as a test).
    """
    dim, t = check_dimension(dim), check_positive("hopping", hopping)
    energy = check_finite("energy", energy)
    _check_energy(dim, energy, t)
    return _fold_dims(_stiffness_chain, _stiffness_square, dim, energy, t)


@dataclass(frozen=True)
class LatticeMapping:
    """Continuum parameters of a disordered lattice at weak disorder (Born approximation)."""

    dim: int
    """Spatial dimension."""
    disorder: float
    """W (energy); on-site variance W^2/12."""
    kind: str
    """Disorder distribution, one of :data:`DISORDER_KINDS`."""
    energy: float
    """Fermi energy E (energy)."""
    hopping: float
    """t (energy)."""
    density_of_states: float
    """Clean :math:`\\rho(E)` per site and spin (1/energy)."""
    filling: float
    """Clean filling n(E) per site and spin."""
    stiffness: float
    """Clean :math:`D_f = -\\langle K_x\\rangle/N` (energy), the lattice n/m."""
    parameters: TheoryParameters
    """The continuum parameters for :func:`theory.eq42.solve_eq42`."""

    @property
    def tau(self) -> float:
        """Elastic scattering time :math:`\\tau = 1/(2\\pi\\rho W^2/12)` (hbar/t)."""
        return self.parameters.tau

    @property
    def fermi_velocity(self) -> float:
        """:math:`v_F = \\sqrt{d D_f/\\rho}` (t a/hbar)."""
        return self.parameters.fermi_velocity

    @property
    def mean_free_path(self) -> float:
        """:math:`l = v_F\\tau` (lattice constants)."""
        return self.parameters.mean_free_path

    @property
    def diffusion_constant(self) -> float:
        """:math:`D_0 = (D_f/\\rho)\\tau` (a^2 t/hbar)."""
        return self.parameters.diffusion_constant

    @property
    def continuum_fermi_energy(self) -> float:
        """Effective continuum :math:`E_F = d\\,n_c/(2\\rho)` (energy); the lattice Fermi
        energy is :attr:`energy`."""
        return self.parameters.continuum_fermi_energy

    @property
    def coupling(self) -> float:
        """:math:`\\lambda = 1/(2\\pi E_F\\tau)`."""
        return self.parameters.coupling


def map_lattice(
    dim: int,
    disorder: float,
    energy: float,
    kind: str = "box",
    hopping: float = 1.0,
    cutoff: float | None = None,
    tau_s: float = math.inf,
    tau_inel: float = math.inf,
) -> LatticeMapping:
    r"""Map lattice parameters to the continuum theory (formulas in the module docstring).

    Parameters
    ----------
    dim : int
        1, 2 or 3.
    disorder : float
        W > 0 (units of t); variance :math:`W^2/12` for both kinds.
    energy : float
        Fermi energy inside the clean band (units of t).
    kind : {"box", "gaussian"}
        Disorder distribution; the same W gives the same Born rate.
    hopping : float
        t > 0.
    cutoff : float, optional
        :math:`x_0 = k_0 l`; default :func:`theory.parameters.default_cutoff`.
    tau_s, tau_inel : float
        Time-reversal breaking and inelastic times (hbar/t), inf for none.

    Examples
    --------
    >>> m = map_lattice(1, 1.0, 0.0)
    >>> round(m.mean_free_path, 12)   # 6 (4 t^2 - E^2)/W^2
    24.0
    """
    dim = check_dimension(dim)
    if kind not in DISORDER_KINDS:
        raise ValueError(f"kind must be one of {DISORDER_KINDS}, got {kind!r}")
    w = check_positive("disorder", disorder)
    t = check_positive("hopping", hopping)
    energy = check_finite("energy", energy)
    _check_energy(dim, energy, t)
    rho = clean_density_of_states(dim, energy, t)
    filling = clean_filling(dim, energy, t)
    stiffness = fermi_stiffness(dim, energy, t)
    tau = 1.0 / (2.0 * math.pi * rho * w * w / 12.0)
    carriers = min(filling, 1.0 - filling)
    params = TheoryParameters(
        dim=dim,
        tau=tau,
        diffusion_constant=stiffness / rho * tau,
        density_of_states=rho,
        continuum_fermi_energy=dim * carriers / (2.0 * rho),
        cutoff=default_cutoff(dim) if cutoff is None else check_time_scale("cutoff", cutoff),
        tau_s=tau_s,
        tau_inel=tau_inel,
    )
    return LatticeMapping(
        dim=dim,
        disorder=w,
        kind=kind,
        energy=energy,
        hopping=t,
        density_of_states=rho,
        filling=filling,
        stiffness=stiffness,
        parameters=params,
    )
