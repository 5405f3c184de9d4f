r"""Tight-binding Anderson/Edwards models on hypercubic lattices (docs/conventions.md).

.. math::

    H = -t \sum_{\langle ij \rangle} e^{i\theta_{ij}} c_i^\dagger c_j
        + \sum_i \varepsilon_i n_i ,

with :math:`H_{r+e_a,\,r} = -t\,e^{i\theta}` for the bond from site ``r`` to its
neighbour ``r + e_a`` along axis ``a`` (and the Hermitian conjugate back).
The phases are

* the twist: a uniform vector potential :math:`A_x = \phi/L_x` on every bond
  along the periodic x axis (axis 0), so that the Aharonov-Bohm phase threading
  the ring is :math:`\phi` (``twist``, radians);
* the Peierls phases of a uniform magnetic field along z (2D, 3D): Landau gauge
  :math:`\theta_{r+e_y,\,r} = 2\pi\Phi\,x_r` with ``flux`` :math:`\Phi` per xy
  plaquette in units of the flux quantum.

The current operator along axis ``a`` is :math:`J_a = \partial H/\partial A_a`
(a uniform extra vector potential on every bond of axis ``a``); for the x axis
:math:`J_x = L_x\,\partial H/\partial\phi`, the total current, and with open
boundaries :math:`J_a = i[X_a, H]`. Units: hbar = e = a = 1, energies in units
of the hopping t.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

from lattice.models.bonds import axis_bonds
from lattice.models.disorder import check_disorder, sample_disorder
from lattice.models.seeding import DEFAULT_SEED, DISORDER_STREAM, realization_rng
from vwloc_common.checks import check_choice, check_finite, check_positive, check_positive_int

__all__ = ["BOUNDARIES", "AndersonModel"]

#: Boundary conditions accepted per axis.
BOUNDARIES = ("periodic", "open")

#: |flux * L_x - integer| allowed for a periodic x axis with a Landau-gauge flux.
_FLUX_COMMENSURABILITY = 1e-12


def _per_axis(name: str, value, dim: int) -> tuple:
    if isinstance(value, (str, int, np.integer)):
        return (value,) * dim
    values = tuple(value)
    if len(values) != dim:
        raise ValueError(f"{name} must have {dim} entries for dim={dim}, got {value!r}")
    return values


class AndersonModel:
    r"""Disordered tight-binding model on a d-dimensional hypercubic lattice.

    Parameters
    ----------
    dim : {1, 2, 3}
        Spatial dimension d.
    L : int or sequence of int
        Sites per side (int) or per axis (``L_x, L_y, ...``); each >= 1.
    disorder : float
        W in units of t (see :mod:`lattice.models.disorder`); >= 0 except for ``constant``.
    kind : {"box", "gaussian", "constant"}
        Disorder distribution.
    boundary : {"periodic", "open"} or sequence of them
        Boundary condition, for all axes or per axis.
    flux : float
        Magnetic flux per xy plaquette in units of the flux quantum h/e
        (Peierls phases, Landau gauge; d = 2, 3 only). With a periodic x axis
        ``flux * L_x`` must be an integer.
    hopping : float
        t > 0 (sets the energy unit; default 1).
    twist : float
        Aharonov-Bohm phase (radians) threading the periodic x axis (axis 0).

    Examples
    --------
    >>> model = AndersonModel(dim=2, L=4, disorder=1.0)
    >>> model.hamiltonian(realization=0, seed=7).shape
    (16, 16)
    """

    def __init__(
        self,
        dim: int,
        L: int | Sequence[int],
        disorder: float = 0.0,
        kind: str = "box",
        boundary: str | Sequence[str] = "periodic",
        flux: float = 0.0,
        hopping: float = 1.0,
        twist: float = 0.0,
    ) -> None:
        self.dim = check_positive_int("dim", dim)
        if self.dim > 3:
            raise ValueError(f"dim must be 1, 2 or 3, got {dim!r}")
        self.shape = tuple(check_positive_int("L", n) for n in _per_axis("L", L, self.dim))
        self.boundary = tuple(
            check_choice("boundary", b, BOUNDARIES)
            for b in _per_axis("boundary", boundary, self.dim)
        )
        self.kind, self.disorder = check_disorder(kind, disorder)
        self.hopping = check_positive("hopping", hopping)
        self.flux = check_finite("flux", flux)
        self.twist = check_finite("twist", twist)
        if self.flux != 0.0:
            if self.dim == 1:
                raise ValueError(f"flux needs dim 2 or 3, got flux={flux!r} with dim=1")
            if self.boundary[0] == "periodic":
                winding = self.flux * self.shape[0]
                if abs(winding - round(winding)) > _FLUX_COMMENSURABILITY:
                    raise ValueError(
                        f"flux * L_x must be an integer with a periodic x axis, got "
                        f"flux={flux!r}, L_x={self.shape[0]}"
                    )
        if self.twist != 0.0 and self.boundary[0] != "periodic":
            raise ValueError(f"twist needs a periodic x axis, got twist={twist!r} on open x")
        self.n_sites = int(np.prod(self.shape))
        self.positions = np.indices(self.shape).reshape(self.dim, -1).T.copy()
        self._bonds = [self._axis_bonds(axis) for axis in range(self.dim)]

    def __repr__(self) -> str:
        return (
            f"AndersonModel(dim={self.dim}, L={self.shape}, disorder={self.disorder}, "
            f"kind={self.kind!r}, boundary={self.boundary}, flux={self.flux}, "
            f"hopping={self.hopping}, twist={self.twist})"
        )

    @property
    def is_complex(self) -> bool:
        """True when the Hamiltonian has complex phases (flux or twist)."""
        return self.flux != 0.0 or self.twist != 0.0

    @property
    def has_tridiagonal_hamiltonian(self) -> bool:
        """True for an open chain (d = 1, open): H is real symmetric tridiagonal."""
        return self.dim == 1 and self.boundary[0] == "open"

    def _axis_bonds(self, axis: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Bonds ``r -> r + e_axis`` (:func:`lattice.models.bonds.axis_bonds`): source, target
        and phase theta (radians)."""
        source, target = axis_bonds(self.shape, self.boundary, axis)
        phase = np.zeros(source.size)
        if axis == 0 and self.twist != 0.0:
            phase += self.twist / self.shape[0]
        if axis == 1 and self.flux != 0.0:
            phase += 2.0 * np.pi * self.flux * self.positions[source, 0]
        return source, target, phase

    def _bond_matrix(self, axis: int, factor: complex, vector_potential: complex) -> sp.csr_array:
        """Sum over bonds of ``factor * exp(i(theta + A))`` at (target, source) plus the
        analytic continuation of its conjugate, ``conj(factor) * exp(-i(theta + A))``."""
        source, target, phase = self._bonds[axis]
        total = phase + vector_potential
        forward = factor * np.exp(1j * total)
        backward = np.conj(factor) * np.exp(-1j * total)
        rows = np.concatenate([target, source])
        cols = np.concatenate([source, target])
        data = np.concatenate([forward, backward])
        matrix = sp.coo_array((data, (rows, cols)), shape=(self.n_sites,) * 2).tocsr()
        matrix.sum_duplicates()
        return matrix

    def _realify(self, matrix: sp.csr_array) -> sp.csr_array:
        if np.iscomplexobj(matrix) and not np.any(matrix.data.imag):
            return sp.csr_array(matrix.real)
        return matrix

    def hopping_matrix(self, vector_potential: complex = 0.0) -> sp.csr_array:
        r"""The hopping part :math:`-t\sum e^{i\theta_{ij}} c_i^\dagger c_j` (sparse CSR).

        Parameters
        ----------
        vector_potential : complex
            Extra uniform vector potential :math:`A` added to every x-bond phase
            (radians per bond). Complex values continue H analytically (the
            result is then not Hermitian); used for the twist curvature.
        """
        matrix = self._bond_matrix(0, -self.hopping, vector_potential)
        for axis in range(1, self.dim):
            matrix = matrix + self._bond_matrix(axis, -self.hopping, 0.0)
        return self._realify(sp.csr_array(matrix))

    def kinetic_operator(self, axis: int = 0) -> sp.csr_array:
        r"""Hopping on the bonds of one axis, :math:`K_a` (sparse), so that
        :math:`\partial^2 H/\partial A_a^2 = -K_a` and :math:`D_f = -\langle K_x\rangle/N`."""
        axis = self.check_axis(axis)
        return self._realify(self._bond_matrix(axis, -self.hopping, 0.0))

    def onsite_energies(self, realization: int = 0, seed: int = DEFAULT_SEED) -> np.ndarray:
        r"""Site energies :math:`\varepsilon_i` (units of t), C order of :attr:`shape`.

        Drawn from ``realization_rng(seed, realization, DISORDER_STREAM)``.
        """
        rng = realization_rng(seed, realization, DISORDER_STREAM)
        return sample_disorder(self.kind, self.disorder, self.n_sites, rng)

    def hamiltonian(
        self, realization: int = 0, seed: int = DEFAULT_SEED, vector_potential: complex = 0.0
    ) -> sp.csr_array:
        """The Hamiltonian (sparse CSR; float64 unless flux/twist make it complex).

        Parameters
        ----------
        realization, seed : int
            Disorder realization ``i`` of root seed ``s`` (DESIGN.md section 3).
        vector_potential : complex
            Extra uniform x-bond vector potential (see :meth:`hopping_matrix`).
        """
        eps = self.onsite_energies(realization, seed)
        return sp.csr_array(self.hopping_matrix(vector_potential) + sp.diags_array(eps))

    def current_operator(self, axis: int = 0) -> sp.csr_array:
        r"""Total current :math:`J_a = \partial H/\partial A_a` (sparse, complex Hermitian).

        Bond matrix elements :math:`-i t e^{i\theta}` at ``(r + e_a, r)`` and
        :math:`+i t e^{-i\theta}` back; :math:`J_x = L_x\,\partial H/\partial\phi`
        for the twist :math:`\phi`, and :math:`J_a = i[X_a, H]` with open boundaries.
        """
        axis = self.check_axis(axis)
        return sp.csr_array(self._bond_matrix(axis, -1j * self.hopping, 0.0))

    def position_operator(self, axis: int = 0) -> np.ndarray:
        """Diagonal of the position operator X_a (integer coordinates as float64).

        Defined only along an open axis (a periodic axis has no position operator).
        """
        axis = self.check_axis(axis)
        if self.boundary[axis] != "open":
            raise ValueError(f"position operator needs an open axis, got axis={axis} periodic")
        return self.positions[:, axis].astype(float)

    def check_axis(self, axis: int) -> int:
        """``axis`` as an int, checked to be a direction 0 <= axis < dim (else ValueError)."""
        if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
            raise ValueError(f"axis must be an integer in [0, {self.dim}), got {axis!r}")
        if not 0 <= axis < self.dim:
            raise ValueError(f"axis must be in [0, {self.dim}), got {axis!r}")
        return int(axis)
