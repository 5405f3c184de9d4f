r"""Hot loops of the Kubo sums (numba) beside pure-NumPy references.

Each compiled ``name`` has a ``reference_name`` computing the same thing with
NumPy broadcasting; tests/lattice/test_kubo.py checks that they agree. The
references are also the readable definition.

* ``pair_weights``: from the matrix of an operator between lower states n and
  upper states m, the transitions with :math:`w = e_m - e_n > 0`,
  :math:`f_n > f_m` and :math:`w \le w_{max}`, and their weights
  :math:`(f_n - f_m)\,|O_{nm}|^2`.
* ``lorentzian_sum`` / ``box_sum``:
  :math:`S(\omega) = \sum_p a_p [K(\omega - w_p) + K(\omega + w_p)]` for the
  analytic kernels :math:`K(x) = i/(x + i\eta)` and the box of full width
  :math:`\eta` (height :math:`\pi/\eta`) with its Hilbert partner
  :math:`\eta^{-1}\ln|(x + \eta/2)/(x - \eta/2)|`; returns (Re S, Im S).
"""

from __future__ import annotations

import numba
import numpy as np

__all__ = [
    "box_sum",
    "lorentzian_sum",
    "pair_weights",
    "reference_box_sum",
    "reference_lorentzian_sum",
    "reference_pair_weights",
]


@numba.njit(cache=True)
def pair_weights(amplitudes, e_lower, e_upper, f_lower, f_upper, w_min, w_max):
    """Transitions (w, weight) between lower and upper states; see module docstring."""
    n_lower, n_upper = amplitudes.shape
    count = 0
    for i in range(n_lower):
        for j in range(n_upper):
            w = e_upper[j] - e_lower[i]
            if w > w_min and w <= w_max and f_lower[i] > f_upper[j]:
                count += 1
    frequency = np.empty(count)
    weight = np.empty(count)
    k = 0
    for i in range(n_lower):
        for j in range(n_upper):
            w = e_upper[j] - e_lower[i]
            if w > w_min and w <= w_max and f_lower[i] > f_upper[j]:
                amplitude = amplitudes[i, j]
                frequency[k] = w
                weight[k] = (f_lower[i] - f_upper[j]) * (
                    amplitude.real * amplitude.real + amplitude.imag * amplitude.imag
                )
                k += 1
    return frequency, weight


def reference_pair_weights(amplitudes, e_lower, e_upper, f_lower, f_upper, w_min, w_max):
    """NumPy version of :func:`pair_weights` (row-major pair order)."""
    w = e_upper[None, :] - e_lower[:, None]
    df = f_lower[:, None] - f_upper[None, :]
    keep = (w > w_min) & (w <= w_max) & (df > 0.0)
    return w[keep], (df * np.abs(amplitudes) ** 2)[keep]


@numba.njit(cache=True)
def lorentzian_sum(omega, frequency, amplitude, eta):
    """(Re, Im) of sum_p a_p [i/(omega - w_p + i eta) + i/(omega + w_p + i eta)]."""
    real = np.zeros(omega.size)
    imag = np.zeros(omega.size)
    eta2 = eta * eta
    for i in range(omega.size):
        re = 0.0
        im = 0.0
        for p in range(frequency.size):
            minus = omega[i] - frequency[p]
            plus = omega[i] + frequency[p]
            d_minus = 1.0 / (minus * minus + eta2)
            d_plus = 1.0 / (plus * plus + eta2)
            re += amplitude[p] * eta * (d_minus + d_plus)
            im += amplitude[p] * (minus * d_minus + plus * d_plus)
        real[i] = re
        imag[i] = im
    return real, imag


def reference_lorentzian_sum(omega, frequency, amplitude, eta):
    """NumPy version of :func:`lorentzian_sum`."""
    x = omega[:, None]
    w = frequency[None, :]
    value = 1j / (x - w + 1j * eta) + 1j / (x + w + 1j * eta)
    total = value @ amplitude
    return total.real, total.imag


@numba.njit(cache=True, error_model="numpy")
def box_sum(omega, frequency, amplitude, eta):
    """(Re, Im) of sum_p a_p [B(omega - w_p) + B(omega + w_p)], B the box kernel.

    Re B = pi/eta inside |x| < eta/2, pi/(2 eta) on the edges, 0 outside;
    Im B = ln|(x + eta/2)/(x - eta/2)| / eta, infinite on the edges (a
    transition exactly on a bin edge makes Im infinite there).
    """
    real = np.zeros(omega.size)
    imag = np.zeros(omega.size)
    half = 0.5 * eta
    height = np.pi / eta
    for i in range(omega.size):
        re = 0.0
        im = 0.0
        for p in range(frequency.size):
            for x in (omega[i] - frequency[p], omega[i] + frequency[p]):
                distance = abs(x)
                if distance < half:
                    re += amplitude[p] * height
                elif distance == half:
                    re += amplitude[p] * 0.5 * height
                im += amplitude[p] * np.log(abs((x + half) / (x - half))) / eta
        real[i] = re
        imag[i] = im
    return real, imag


def reference_box_sum(omega, frequency, amplitude, eta):
    """NumPy version of :func:`box_sum`."""
    real = np.zeros(omega.size)
    imag = np.zeros(omega.size)
    for x in (omega[:, None] - frequency[None, :], omega[:, None] + frequency[None, :]):
        distance = np.abs(x)
        inside = np.where(distance < eta / 2, 1.0, np.where(distance == eta / 2, 0.5, 0.0))
        real += (np.pi / eta) * inside @ amplitude
        imag += (np.log(np.abs((x + eta / 2) / (x - eta / 2))) / eta) @ amplitude
    return real, imag
