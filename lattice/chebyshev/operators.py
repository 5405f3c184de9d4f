r"""Matrix-free H, J_a and K_a of an :class:`~lattice.AndersonModel` on blocks of vectors.

:class:`StencilOperator` applies exactly the matrices of
:meth:`AndersonModel.hamiltonian`, :meth:`~AndersonModel.current_operator`
and :meth:`~AndersonModel.kinetic_operator` (same bond elements, phases and
signs, including the duplicated bonds of a periodic axis of length 2 and the
self-bond of a periodic axis of length 1) to an ``(N, R)`` complex128 block,
without building a sparse matrix: the numba stencil of :mod:`lattice.chebyshev._stencil`,
parallel over x slabs, memory O(N R). The bond from ``r`` to ``r + e_a``
carries

* H: :math:`-t\,e^{i\theta}` (twist :math:`\phi/L_x` on x bonds, Landau-gauge
  Peierls phase :math:`2\pi\Phi x` on y bonds);
* :math:`J_a = \partial H/\partial A_a`: :math:`-i t\,e^{i\theta}` on the bonds
  of axis a only;
* :math:`K_a`: :math:`-t\,e^{i\theta}` on the bonds of axis a only

at ``(r + e_a, r)``, and the complex conjugate at ``(r, r + e_a)``. The
spectrum of H lies in :math:`[\min\varepsilon - 2dt, \max\varepsilon + 2dt]`
(each axis adds a hopping term of norm at most 2t), which
:meth:`StencilOperator.chebyshev_scale` widens by :data:`SPECTRUM_MARGIN` for
the Chebyshev rescaling :math:`\tilde H = (H - b)/a`.
"""

from __future__ import annotations

import numpy as np

from lattice.chebyshev import _stencil
from lattice.models.model import AndersonModel
from lattice.models.seeding import DEFAULT_SEED

__all__ = ["SPECTRUM_MARGIN", "StencilOperator"]

#: Relative margin between the spectral bounds and the Chebyshev interval [-1, 1]:
#: rounding in the recursion stays bounded only while |H~| < 1 strictly.
SPECTRUM_MARGIN = 0.01

_DIAG, _PREV, _ACC, _PROFILE, _DOTS = 1, 2, 4, 8, 16


def _uniform_real(bonds: np.ndarray) -> float | None:
    """The one real value of all ``bonds`` (complex), or None if they differ or are complex."""
    first = complex(bonds.flat[0])
    return first.real if np.all(bonds == first.real) else None


class StencilOperator:
    """H, J_a and K_a of one disorder realization, applied matrix-free.

    Parameters
    ----------
    model : AndersonModel
    realization, seed : int
        Disorder realization i of root seed s (site energies from
        :meth:`AndersonModel.onsite_energies`).
    onsite : numpy.ndarray, optional
        Site energies to use instead (units of t, shape (N,)).

    Examples
    --------
    >>> import numpy as np
    >>> model = AndersonModel(dim=2, L=4, disorder=1.0, flux=0.25)
    >>> op = StencilOperator(model, realization=0, seed=7)
    >>> v = np.ones((16, 2), dtype=complex)
    >>> np.allclose(op.hamiltonian(v), model.hamiltonian(0, 7) @ v)
    True
    """

    def __init__(
        self,
        model: AndersonModel,
        realization: int = 0,
        seed: int = DEFAULT_SEED,
        onsite: np.ndarray | None = None,
    ) -> None:
        self.model = model
        if onsite is None:
            onsite = model.onsite_energies(realization, seed)
        onsite = np.ascontiguousarray(onsite, dtype=float)
        if onsite.shape != (model.n_sites,):
            raise ValueError(f"onsite must have shape ({model.n_sites},), got {onsite.shape}")
        self.onsite = onsite
        dim = model.dim
        self.shape = np.array(model.shape + (1,) * (3 - dim), dtype=np.int64)
        self.periodic = np.array(
            [b == "periodic" for b in model.boundary] + [False] * (3 - dim), dtype=np.bool_
        )
        self._x_phase = model.twist / model.shape[0]
        x = np.arange(self.shape[0])
        self._y_phase = np.exp(2j * np.pi * model.flux * x) if dim >= 2 else np.ones(x.size)
        self._zeros = np.zeros(1)
        self._zeros_complex = np.zeros(1, dtype=complex)
        self._one = np.ones(1, dtype=complex)
        self._no_dots = np.zeros((1, 2, 1), dtype=complex)

    @property
    def n_sites(self) -> int:
        """N."""
        return self.model.n_sites

    def spectral_bounds(self) -> tuple[float, float]:
        r"""Guaranteed bounds ``(E_min, E_max)`` of the spectrum of H (units of t)."""
        reach = 2.0 * self.model.dim * self.model.hopping
        return float(self.onsite.min()) - reach, float(self.onsite.max()) + reach

    def chebyshev_scale(self) -> tuple[float, float]:
        r"""``(a, b)`` with :math:`\tilde H = (H - b)/a` inside
        :math:`[-(1 - m), 1 - m]`, m = :data:`SPECTRUM_MARGIN`."""
        low, high = self.spectral_bounds()
        return 0.5 * (high - low) / (1.0 - SPECTRUM_MARGIN), 0.5 * (high + low)

    # -- coefficients -------------------------------------------------------------------

    def _coefficients(self, factor: complex, axes, ncol: int, vector_potential):
        """(active, cx, cy, cz) for bond elements ``factor * exp(i theta)`` on ``axes``."""
        active = np.array([a in axes and a < self.model.dim for a in range(3)], dtype=np.bool_)
        potential = np.broadcast_to(np.asarray(vector_potential, dtype=float), (ncol,))
        cx = factor * np.exp(1j * (self._x_phase + potential))
        cy = factor * self._y_phase
        return active, np.ascontiguousarray(cx, dtype=complex), cy.astype(complex), complex(factor)

    def _run(
        self,
        out,
        vec,
        prev,
        acc,
        coefficients,
        shift,
        alpha,
        gamma,
        beta,
        flags,
        perturbation=None,
        dots=None,
    ):
        active, cx, cy, cz = coefficients
        if perturbation is None:
            profile, strength = self._zeros_complex, self._zeros_complex
        else:
            profile, strength = perturbation
            flags |= _PROFILE
        diag = self.onsite if flags & _DIAG else self._zeros
        prev = vec if prev is None else prev
        acc = vec if acc is None else acc
        if self.model.dim == 3:
            _stencil.stencil_apply(
                out, vec, prev, acc, diag, float(shift), self.shape, self.periodic, active,
                cx, cy, cz, float(alpha), float(gamma), complex(beta), profile, strength,
                flags,
            )  # fmt: skip
            return out
        ones = np.ones(vec.shape[1], dtype=complex)
        if self.model.dim == 2:
            outer = (int(self.shape[0]), bool(self.periodic[0]), bool(active[0]), cx)
            inner = (int(self.shape[1]), bool(self.periodic[1]), bool(active[1]), cy, ones)
        else:  # the chain is the inner axis; an inactive outer axis of length 1
            outer = (1, False, False, ones)
            inner = (int(self.shape[0]), bool(self.periodic[0]), bool(active[0]), self._one, cx)
        if dots is None:
            dots = self._no_dots
        else:
            flags |= _DOTS
        _stencil.planar_apply(
            out, vec, prev, acc, diag, float(shift), outer[0], inner[0], outer[1], inner[1],
            outer[2], inner[2], outer[3], inner[3], inner[4], float(alpha), float(gamma),
            complex(beta), profile, strength, flags, dots,
        )  # fmt: skip
        return out

    def _check(self, vectors: np.ndarray, out: np.ndarray | None) -> np.ndarray:
        if (
            not isinstance(vectors, np.ndarray)
            or vectors.dtype != np.complex128
            or vectors.ndim != 2
            or vectors.shape[0] != self.n_sites
            or not vectors.flags.c_contiguous
        ):
            raise ValueError(
                f"vectors must be a C-contiguous complex128 array of shape ({self.n_sites}, R)"
            )
        if out is None:
            return np.empty_like(vectors)
        if out.shape != vectors.shape or out.dtype != np.complex128 or out is vectors:
            raise ValueError("out must be a distinct complex128 array shaped like vectors")
        return out

    # -- public operators ---------------------------------------------------------------

    def hamiltonian(
        self, vectors: np.ndarray, out: np.ndarray | None = None, vector_potential=0.0
    ) -> np.ndarray:
        """``H @ vectors`` (shape (N, R), complex128, C-contiguous).

        ``vector_potential`` (float or one per column, radians per x bond) is
        the extra uniform A of :meth:`AndersonModel.hamiltonian`.
        """
        out = self._check(vectors, out)
        coefficients = self._coefficients(
            -self.model.hopping, (0, 1, 2), vectors.shape[1], vector_potential
        )
        return self._run(out, vectors, None, None, coefficients, 0.0, 1.0, 0.0, 0.0, _DIAG)

    def current(self, vectors: np.ndarray, axis: int = 0, out: np.ndarray | None = None):
        """``J_axis @ vectors`` (:meth:`AndersonModel.current_operator`)."""
        axis = self.model.check_axis(axis)
        out = self._check(vectors, out)
        coefficients = self._coefficients(-1j * self.model.hopping, (axis,), vectors.shape[1], 0)
        return self._run(out, vectors, None, None, coefficients, 0.0, 1.0, 0.0, 0.0, 0)

    def kinetic(self, vectors: np.ndarray, axis: int = 0, out: np.ndarray | None = None):
        """``K_axis @ vectors`` (:meth:`AndersonModel.kinetic_operator`)."""
        axis = self.model.check_axis(axis)
        out = self._check(vectors, out)
        coefficients = self._coefficients(-self.model.hopping, (axis,), vectors.shape[1], 0)
        return self._run(out, vectors, None, None, coefficients, 0.0, 1.0, 0.0, 0.0, 0)

    def chebyshev_step(
        self,
        current: np.ndarray,
        previous: np.ndarray,
        scale: tuple[float, float],
        first: bool = False,
        accumulate: np.ndarray | None = None,
        weight: complex = 0.0,
        vector_potential=0.0,
        perturbation: tuple[np.ndarray, np.ndarray] | None = None,
        dots: bool = False,
    ) -> np.ndarray | None:
        r"""In place: ``previous <- 2 H~ current - previous`` (or ``H~ current`` if
        ``first``), and ``accumulate += weight * previous`` (new value) if given.

        :math:`\tilde H = (H + \lambda_k V - b)/a` with ``scale = (a, b)``; the
        optional ``perturbation = (g, lambda)`` adds the diagonal
        :math:`\lambda_k g_i` (complex, one strength per column) to H, and
        ``vector_potential`` (one per column allowed) shifts the x-bond phases.
        With ``dots`` (1D and 2D lattices, not ``first``) it also returns, shape
        (2, R), :math:`\langle T_n|T_n\rangle` and :math:`\langle T_{n+1}|T_n\rangle`
        per column, summed in a thread-count independent order.
        """
        a, b = scale
        coefficients = self._coefficients(
            -self.model.hopping, (0, 1, 2), current.shape[1], vector_potential
        )
        flags = _DIAG | (_ACC if accumulate is not None else 0)
        if first:
            self._run(
                previous, current, None, accumulate, coefficients, b, 1 / a, 0, weight, flags,
                perturbation,
            )  # fmt: skip
            return None
        flags |= _PREV
        partial = None
        if dots:
            if self.model.dim == 3:
                raise ValueError("dots=True needs a 1D or 2D lattice")
            partial = np.zeros((int(self.shape[0]) if self.model.dim == 2 else 1, 2,
                                current.shape[1]), dtype=complex)  # fmt: skip
        self._run(
            previous, current, previous, accumulate, coefficients, b, 2 / a, -1, weight,
            flags, perturbation, partial,
        )  # fmt: skip
        return None if partial is None else partial.sum(axis=0)

    def chebyshev_series(
        self,
        vectors: np.ndarray,
        coefficients: np.ndarray,
        scale: tuple[float, float],
        vector_potential=0.0,
        work: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> np.ndarray:
        r""":math:`\sum_n c_n T_n(\tilde H)` applied to ``vectors`` (N, R), in one call.

        :math:`\tilde H = (H(A) - b)/a`, ``vector_potential`` A per column allowed;
        ``coefficients`` (K,) for every column or (K, R), one series per column (several
        projections of one block in one pass over memory per term). On
        1D and 2D lattices by Clenshaw's recurrence in
        :func:`lattice.chebyshev._stencil.planar_series` (one pass over memory per term;
        for a real H~, no flux, twist or vector potential,
        :func:`lattice.chebyshev._stencil.real_planar_series`: float arithmetic, two
        terms per pass, the same bits); on 3D
        lattices by the forward recursion of :meth:`chebyshev_step` with an accumulator.
        Both are exact to rounding; the result is bit-identical for any thread count
        and block size. ``work``: two scratch blocks shaped like ``vectors`` (allocated
        if None); the result is stored in one of them and returned, ``vectors`` is kept.
        """
        if work is None:
            work = (self._check(vectors, None), np.empty_like(vectors))
        else:
            work = tuple(self._check(vectors, out) for out in work)
        ncol = vectors.shape[1]
        coefficients = np.asarray(coefficients, dtype=complex)
        if coefficients.ndim == 1:
            coefficients = coefficients[:, None]
        if coefficients.ndim != 2 or coefficients.shape[1] not in (1, ncol):
            raise ValueError(f"coefficients must have shape (K,) or (K, {ncol})")
        if self.model.dim == 3 and coefficients.shape[1] > 1:
            # the forward recursion weighs all columns alike: one column at a time
            potentials = np.broadcast_to(vector_potential, ncol)
            for k in range(ncol):
                column = np.ascontiguousarray(vectors[:, k : k + 1])
                series = self.chebyshev_series(column, coefficients[:, k], scale, potentials[k])
                work[0][:, k] = series[:, 0]
            return work[0]
        if self.model.dim == 3:
            coefficients = coefficients[:, 0]
            out = work[0]
            out[...] = coefficients[0] * vectors
            current, previous = vectors.copy(), work[1]
            for n, c in enumerate(coefficients[1:]):
                self.chebyshev_step(
                    current, previous, scale, first=n == 0, accumulate=out, weight=c,
                    vector_potential=vector_potential,
                )  # fmt: skip
                current, previous = previous, current
            return out
        a, b = scale
        _, cx, cy, _ = self._coefficients(
            -self.model.hopping / a, (0, 1, 2), vectors.shape[1], vector_potential
        )
        coefficients = np.ascontiguousarray(
            np.broadcast_to(coefficients, (len(coefficients), ncol))
        )
        if self.model.dim == 2:
            outer = (int(self.shape[0]), bool(self.periodic[0]), cx)
            inner_length, inner_periodic = int(self.shape[1]), bool(self.periodic[1])
            rows = np.ascontiguousarray(np.repeat(cy[:, None], ncol, axis=1))
        else:  # the chain is the inner axis, its bonds carry the per-column x phase
            outer = (1, False, np.zeros(ncol, dtype=complex))
            inner_length, inner_periodic = int(self.shape[0]), bool(self.periodic[0])
            rows = np.ascontiguousarray(cx[None, :])
        if getattr(self, "_scaled_key", None) != (a, b):
            self._scaled_diag = np.ascontiguousarray((self.onsite - b) / a)
            self._scaled_key = (a, b)
        real_bonds = _uniform_real(outer[2]), _uniform_real(rows)
        if None not in real_bonds:  # a real H~: no complex products in the stencil
            return _stencil.real_planar_series(
                vectors, work[0], work[1], self._scaled_diag, outer[0], inner_length, outer[1],
                inner_periodic, *real_bonds, coefficients,
            )  # fmt: skip
        return _stencil.planar_series(
            vectors, work[0], work[1], self._scaled_diag, outer[0], inner_length, outer[1],
            inner_periodic, outer[2], rows, coefficients,
        )  # fmt: skip
