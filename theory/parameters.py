r"""Continuum parameters of the Vollhardt-Woelfle theory.

The self-consistent Eq. (42) of Vollhardt and Woelfle, Phys. Rev. B 22, 4666
(1980) needs five numbers: the elastic (transport) scattering time
:math:`\tau`, the bare diffusion constant :math:`D_0 = v_F^2\tau/d`, the
density of states per spin :math:`N(E_F)`, the momentum cutoff and the
time-reversal breaking and inelastic rates. :class:`TheoryParameters` holds
them; :meth:`TheoryParameters.from_lambda` builds them for free electrons from
the seed's coupling :math:`\lambda = 1/(2\pi E_F \tau)`, and
:mod:`theory.mapping` builds them from lattice parameters. Units: hbar = e = 1;
see ``docs/theory.md``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from vwloc_common.checks import check_dimension, check_positive, check_time_scale

__all__ = ["TheoryParameters", "default_cutoff"]


def default_cutoff(dim: int) -> float:
    r"""Default cutoff :math:`x_0 = k_0 l`: none (inf) in d = 1, :math:`k_0 = 1/l` in d = 2, 3.

    The diffusion (Cooperon) pole of Eq. (40) holds only for :math:`k l \lesssim 1`,
    so :math:`k_0 = 1/l` is the largest momentum the theory describes; with it the
    d = 2 localization length is the standard :math:`l\,e^{\pi p_F l/2}` and the
    d = 3 mobility edge is :math:`p_F l = \sqrt{3/\pi}` (``docs/theory.md``).
    In d = 1 the k-sum converges without a cutoff.
    """
    return math.inf if check_dimension(dim) == 1 else 1.0


@dataclass(frozen=True)
class TheoryParameters:
    r"""Parameters of Eq. (42) for one Fermi energy and disorder.

    Units: hbar = e = 1; energies, times and lengths in any consistent units
    (hopping t and lattice constant a for the lattice mapping, E_F and 1/p_F
    for :meth:`from_lambda`).
    """

    dim: int
    """Spatial dimension d (1, 2 or 3)."""
    tau: float
    """Elastic (transport) scattering time :math:`\\tau = 1/(2\\gamma)` (time)."""
    diffusion_constant: float
    """Bare diffusion constant :math:`D_0 = v_F^2 \\tau / d` (length^2 / time)."""
    density_of_states: float
    """:math:`N(E_F)`, density of states per spin and unit volume (1/(energy length^d))."""
    continuum_fermi_energy: float
    """The effective continuum Fermi energy :math:`E_F` of the seed (energy), defined by
    :math:`n/N(E_F) = 2E_F/d`; not the lattice Fermi energy (``fermi_energy`` in
    :mod:`lattice`). Enters only :math:`\\lambda`."""
    cutoff: float = math.inf
    """Momentum cutoff :math:`x_0 = k_0 l` (dimensionless); inf allowed only in d = 1."""
    tau_s: float = math.inf
    """Time-reversal breaking time :math:`\\tau_s` (time); inf: time-reversal invariant."""
    tau_inel: float = math.inf
    """Inelastic time (time), entering Eq. (42) as :math:`\\omega \\to \\omega + i/\\tau_{in}`."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "dim", check_dimension(self.dim))
        for name in (
            "tau",
            "diffusion_constant",
            "density_of_states",
            "continuum_fermi_energy",
        ):
            object.__setattr__(self, name, check_positive(name, getattr(self, name)))
        for name in ("tau_s", "tau_inel"):
            object.__setattr__(self, name, check_time_scale(name, getattr(self, name)))
        cutoff = check_time_scale("cutoff", self.cutoff)
        if math.isinf(cutoff) and self.dim > 1:
            raise ValueError(f"cutoff must be finite in d = {self.dim}, got {self.cutoff!r}")
        object.__setattr__(self, "cutoff", cutoff)

    @classmethod
    def from_lambda(
        cls,
        dim: int,
        coupling: float,
        cutoff: float | None = None,
        tau_s: float = math.inf,
        tau_inel: float = math.inf,
    ) -> TheoryParameters:
        r"""Free electrons with :math:`\lambda = 1/(2\pi E_F\tau)`, in units hbar = p_F = E_F = 1.

        Then m = 1/2, :math:`v_F = 2`, :math:`\tau = 1/(2\pi\lambda)`,
        :math:`l = 1/(\pi\lambda)` and N per spin is 1/(2 pi), 1/(4 pi), 1/(4 pi^2)
        in d = 1, 2, 3.

        Parameters
        ----------
        dim : int
            Spatial dimension.
        coupling : float
            The seed's :math:`\lambda > 0`.
        cutoff : float, optional
            :math:`x_0 = k_0 l`; default :func:`default_cutoff`. The seed's
            cutoff parameter of Eq. (43) is :math:`k_0/p_F = \pi\lambda x_0`.
        tau_s, tau_inel : float
            In units of hbar/E_F.
        """
        dim = check_dimension(dim)
        lam = check_positive("lambda", coupling)
        tau = 1.0 / (2.0 * math.pi * lam)
        fermi_velocity = 2.0
        sphere = {1: 2.0, 2: 2.0 * math.pi, 3: 4.0 * math.pi}[dim]
        dos = sphere / ((2.0 * math.pi) ** dim * fermi_velocity)
        return cls(
            dim=dim,
            tau=tau,
            diffusion_constant=fermi_velocity**2 * tau / dim,
            density_of_states=dos,
            continuum_fermi_energy=1.0,
            cutoff=default_cutoff(dim) if cutoff is None else cutoff,
            tau_s=tau_s,
            tau_inel=tau_inel,
        )

    @property
    def mean_free_path(self) -> float:
        r""":math:`l = v_F\tau = \sqrt{d D_0 \tau}` (length)."""
        return math.sqrt(self.dim * self.diffusion_constant * self.tau)

    @property
    def fermi_velocity(self) -> float:
        r""":math:`v_F = l/\tau` (length/time)."""
        return self.mean_free_path / self.tau

    @property
    def coupling(self) -> float:
        r"""The seed's :math:`\lambda = 1/(2\pi E_F\tau)` (dimensionless)."""
        return 1.0 / (2.0 * math.pi * self.continuum_fermi_energy * self.tau)

    @property
    def n_over_m(self) -> float:
        r""":math:`n/m = N(E_F) v_F^2/d = N D_0/\tau`, the Drude weight per spin (e = 1)."""
        return self.density_of_states * self.diffusion_constant / self.tau

    @property
    def cooperon_coupling(self) -> float:
        r""":math:`G = \tau/(\pi N (D_0\tau)^{d/2})`, the strength of the k-sum in Eq. (42).

        With :math:`K = k\sqrt{D_0\tau}`, Eq. (42) reads
        :math:`m = 1 + m\,G\int_{|K|<K_0} d^dK/(2\pi)^d\,(K^2 + s)^{-1}`
        (``docs/theory.md``). G = 1 in d = 1, :math:`4\pi\lambda` in d = 2 and
        :math:`6\sqrt{3}\pi^3\lambda^2` in d = 3 for free electrons.
        """
        return self.tau / (
            math.pi
            * self.density_of_states
            * (self.diffusion_constant * self.tau) ** (self.dim / 2.0)
        )

    @property
    def reduced_cutoff(self) -> float:
        r""":math:`K_0 = k_0\sqrt{D_0\tau} = x_0/\sqrt{d}` (dimensionless, may be inf in d = 1)."""
        return self.cutoff / math.sqrt(self.dim)

    @property
    def cutoff_wavenumber(self) -> float:
        r""":math:`k_0 = x_0/l` (1/length)."""
        return self.cutoff / self.mean_free_path

    @property
    def breaking_rate(self) -> float:
        r""":math:`1/\tau_s + 1/\tau_{in}` (1/time), added as i times it to omega in Eq. (42)."""
        return 1.0 / self.tau_s + 1.0 / self.tau_inel
