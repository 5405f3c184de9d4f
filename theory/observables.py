r"""Observables of the Vollhardt-Woelfle theory from the kernel M(0, omega).

Units hbar = e = 1 (``docs/theory.md``). :math:`n/m` is the Drude weight per
spin :math:`N D_0/\tau` and :math:`\chi^T = N(E_F)` the compressibility per spin.

- diffusion: :math:`D(\omega) = D_0 (i/\tau)/M` (Eq. 31 with Eq. 42's normalisation);
- conductivity, Eq. (32): :math:`\sigma(\omega) = (n/m)\,i/(\omega + M)`;
- polarizability: :math:`\alpha = i\sigma/\omega` (from :math:`\sigma = -i\omega\alpha`);
- density response, Eq. (29) with the division by :math:`\chi^T` restored:
  :math:`\chi(q,\omega) = -q^2 (n/m)/(\omega^2 + \omega M - q^2 (n/m)/\chi^T)`;
  Eq. (30) drops the :math:`\omega^2`;
- static response, Eq. (37): :math:`\chi(q,0) = \chi^T r_0^2q^2/(1 + r_0^2 q^2)`.
"""

from __future__ import annotations

import numpy as np

from theory.eq42 import Eq42Solution
from theory.parameters import TheoryParameters
from vwloc_common.checks import check_array, check_positive

__all__ = [
    "diffusion_constant",
    "conductivity",
    "polarizability",
    "density_response",
    "static_density_response",
]


def diffusion_constant(solution: Eq42Solution) -> np.ndarray:
    r"""Diffusion coefficient :math:`D(\omega) = D_0 (i/\tau)/M(\omega)` (length^2/time)."""
    return solution.params.diffusion_constant * solution.diffusion_ratio


def conductivity(solution: Eq42Solution) -> np.ndarray:
    r"""Complex conductivity, Eq. (32): :math:`\sigma = (n/m)\,i/(\omega + M)` (e = hbar = 1).

    Per spin, in units of e^2/hbar times length^(2-d). Re sigma >= 0 on the
    physical branch of Eq. (42).
    """
    return solution.params.n_over_m * 1j / (solution.omega + solution.kernel)


def polarizability(solution: Eq42Solution) -> np.ndarray:
    r"""Electrical polarizability :math:`\alpha(\omega) = i\sigma(\omega)/\omega` (from Eq. 32)."""
    return 1j * conductivity(solution) / solution.omega


def density_response(
    solution: Eq42Solution, q: np.ndarray | float, keep_omega_squared: bool = True
) -> np.ndarray:
    r"""Density response :math:`\chi(q,\omega)` of Eq. (29) (or 30), shape (len(q), len(omega)).

    Parameters
    ----------
    solution : Eq42Solution
        M(0, omega) on the frequency grid; the q dependence of M is neglected
        as in the seed.
    q : float or array
        Wavenumbers (1/length), >= 0.
    keep_omega_squared : bool
        True: Eq. (29); False: Eq. (30) (the :math:`\omega^2` term dropped).

    Returns
    -------
    ndarray of complex
        :math:`\chi` per spin and unit volume (1/(energy length^d)); static
        :math:`\chi > 0` in the seed's sign convention.
    """
    wavenumbers = check_array("q", q)
    if np.any(wavenumbers < 0):
        raise ValueError(f"q must be >= 0, got {q!r}")
    params = solution.params
    q2 = wavenumbers[:, None] ** 2
    omega = solution.omega[None, :]
    omega_term = omega * solution.kernel[None, :]
    if keep_omega_squared:
        omega_term = omega_term + omega**2
    stiffness = params.n_over_m / params.density_of_states
    return -q2 * params.n_over_m / (omega_term - q2 * stiffness)


def static_density_response(
    params: TheoryParameters, q: np.ndarray | float, localization_length: float
) -> np.ndarray:
    r"""Lorentzian static response of Eq. (37): :math:`\chi^T r_0^2q^2/(1 + r_0^2q^2)`.

    Parameters
    ----------
    params : TheoryParameters
        Supplies :math:`\chi^T = N(E_F)`.
    q : float or array
        Wavenumbers (1/length).
    localization_length : float
        :math:`r_0` (length), e.g. from :func:`theory.localized.localization_properties`.
    """
    r0 = check_positive("localization_length", localization_length)
    x = (r0 * check_array("q", q)) ** 2
    return params.density_of_states * x / (1.0 + x)
