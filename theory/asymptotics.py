r"""Asymptotic forms: derived from Eq. (42), printed in the seed, and their comparison.

Derived (``docs/theory.md`` section 3; :math:`s_0 = \omega_0^2\tau^2`,
:math:`G` and :math:`K_0` of :class:`~theory.parameters.TheoryParameters`,
:math:`\beta = G/4\pi`):

- d = 1: :math:`s_0 = G^2/4` exactly without cutoff; with a cutoff
  :math:`s_0 = (G/2)^2/(1 + G/\pi K_0)^2\,[1 + O(K_0^{-3})]`;
  :math:`F'(s_0) = (1 + G/\pi K_0)/2`.
- d = 2: :math:`s_0 = K_0^2/(e^{1/\beta} - 1)` exactly,
  :math:`\simeq K_0^2 e^{-1/\beta}`; :math:`F'(s_0) = \beta(1 - e^{-1/\beta}) \simeq \beta`.
- then :math:`\omega_0^2 = s_0/\tau^2`, :math:`c = i/(\tau F'(s_0))`,
  :math:`r_0 = \sqrt{D_0\tau/s_0}`, :math:`\alpha(0) = (n/m)\tau^2/s_0`,
  :math:`A = (n/m)\tau^3/(F'(s_0)s_0^2)`.

For free electrons (G = 1, :math:`K_0 = x_0` in d = 1; :math:`\beta = \lambda`,
:math:`K_0^2 = x_0^2/2` in d = 2, N per spin) this gives
:math:`\omega_0^2 = (\pi E_F\lambda)^2` (d = 1) and
:math:`\omega_0^2 = 2\pi^2\lambda^2 E_F^2 x_0^2 e^{-1/\lambda}` (d = 2), where the
seed prints :math:`(\pi E_F\lambda/2)^2` and :math:`2(E_F x_0^{seed})^2 e^{-1/\lambda}`
with :math:`x_0^{seed} = k_0/p_F = \pi\lambda x_0`.

The seed's printed formulas are kept verbatim in the ``seed_*`` functions
(free-electron notation, e = hbar = 1, :math:`p_F/m = v_F`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from theory._floats import exp_or_inf
from theory.eq42 import cooperon_integral
from theory.exact1d import berezinskii_static_polarizability
from theory.localized import fit_low_frequency, localization_properties
from theory.parameters import TheoryParameters

__all__ = [
    "WEAK_LOCALIZATION_SLOPE_2D",
    "DerivedAsymptotics",
    "ComparisonRow",
    "derived_asymptotics",
    "inelastic_correction",
    "inelastic_correction_asymptotic",
    "seed_cutoff",
    "seed_omega0_squared",
    "seed_sigma_w2_coefficient",
    "seed_static_polarizability",
    "seed_localization_length",
    "seed_dielectric_constant_1d",
    "seed_sigma_w2_coefficient_1d",
    "comparison_table",
    "weak_localization_slope",
]

#: d Re sigma / d ln w of the 2D weak-localization logarithm per spin, orthogonal class,
#: in units e^2/hbar: 1/(4 pi^2) (Gorkov, Larkin and Khmelnitskii, JETP Lett. 30, 228
#: (1979); e^2/(2 pi^2 hbar) with two spins). Eq. (42) gives the same value
#: (``weak_localization_slope``, docs/theory.md section 3a).
WEAK_LOCALIZATION_SLOPE_2D = 1.0 / (4.0 * math.pi**2)


@dataclass(frozen=True)
class DerivedAsymptotics:
    """Weak-coupling asymptotics of Eq. (42) in d = 1, 2 (formulas in the module docstring)."""

    cooperon_root: float
    """:math:`s_0 = \\omega_0^2\\tau^2` (dimensionless)."""
    omega0_squared: float
    """:math:`\\omega_0^2` (1/time^2)."""
    kernel_constant: complex
    """c = i/(tau F'(s0)) (1/time)."""
    localization_length: float
    """:math:`r_0` (length)."""
    static_polarizability: float
    """:math:`\\alpha(0)` (e = 1)."""
    sigma_w2_coefficient: float
    """A of :math:`\\mathrm{Re}\\,\\sigma = A\\omega^2` (e = hbar = 1)."""
    exact: bool
    """True where the form is the exact zero-frequency limit of Eq. (42)."""


@dataclass(frozen=True)
class ComparisonRow:
    """One quantity: the seed's printed value, the derived form and Eq. (42) solved numerically."""

    quantity: str
    """Name and equation of the quantity."""
    seed: float
    """The seed's printed formula."""
    derived: float
    """The leading weak-coupling form derived from Eq. (42)."""
    numerical: float
    """Extracted from the numerical solution of Eq. (42)."""
    exact: float = math.nan
    """Exact literature value where one exists (d = 1), else NaN."""

    @property
    def numerical_over_seed(self) -> float:
        """Ratio numerical / seed."""
        return self.numerical / self.seed

    @property
    def numerical_over_derived(self) -> float:
        """Ratio numerical / derived."""
        return self.numerical / self.derived


def _require_low_dimension(params: TheoryParameters) -> None:
    if params.dim == 3:
        raise ValueError("the asymptotics of Eqs. (43)-(44) exist for dim 1 and 2, got dim 3")


def derived_asymptotics(params: TheoryParameters, leading: bool = True) -> DerivedAsymptotics:
    r"""Asymptotic zero-frequency forms of Eq. (42) in d = 1, 2 (module docstring).

    Parameters
    ----------
    params : TheoryParameters
        d = 1 or 2 (tau_s and tau_inel are ignored: these are the localized forms).
    leading : bool
        True: leading weak-coupling forms (:math:`K_0 \to \infty` in d = 1,
        :math:`e^{-1/\beta}` in d = 2). False: the exact d = 2 closed form and the
        first cutoff correction in d = 1.
    """
    _require_low_dimension(params)
    g, k0 = params.cooperon_coupling, params.reduced_cutoff
    if params.dim == 1:
        factor = 1.0 if leading or math.isinf(k0) else 1.0 + g / (math.pi * k0)
        s0 = (g / 2.0) ** 2 / factor**2
        slope = factor / 2.0
        exact = math.isinf(k0)
    else:
        beta = g / (4.0 * math.pi)
        if leading:
            s0, slope = k0 * k0 * math.exp(-1.0 / beta), beta
        else:
            s0 = k0 * k0 / math.expm1(1.0 / beta)
            slope = -beta * math.expm1(-1.0 / beta)
        exact = not leading
    tau, n_over_m = params.tau, params.n_over_m
    return DerivedAsymptotics(
        cooperon_root=s0,
        omega0_squared=s0 / tau**2,
        kernel_constant=1j / (tau * slope),
        localization_length=math.sqrt(params.diffusion_constant * tau / s0),
        static_polarizability=n_over_m * tau**2 / s0,
        sigma_w2_coefficient=n_over_m * tau**3 / (slope * s0**2),
        exact=exact,
    )


def inelastic_correction(params: TheoryParameters) -> complex:
    r"""Lowest-order :math:`\delta M = (i/\tau)\Phi(\tau/\tau_{in})` at zero frequency (1/time).

    To first order in the k-sum of Eq. (42) with :math:`\omega \to \omega + i/\tau_{in}`,
    :math:`M(0) = (i/\tau)[1 + \Phi(s)]` with :math:`s = \tau/\tau_{in}` (1/time).
    """
    if math.isinf(params.tau_inel):
        raise ValueError("inelastic_correction needs a finite tau_inel, got inf")
    s = params.tau / params.tau_inel
    return complex((1j / params.tau) * cooperon_integral(params, s))


def inelastic_correction_asymptotic(params: TheoryParameters) -> complex:
    r"""Section IV's forms of :func:`inelastic_correction` for :math:`\tau_{in} \gg \tau`.

    d = 1 (no cutoff): :math:`(i/\tau)(G/2)\sqrt{\tau_{in}/\tau}`;
    d = 2: :math:`(i/\tau)(G/4\pi)\ln(K_0^2\tau_{in}/\tau)` (1/time).
    """
    _require_low_dimension(params)
    if math.isinf(params.tau_inel):
        raise ValueError("inelastic_correction_asymptotic needs a finite tau_inel, got inf")
    ratio = params.tau_inel / params.tau
    g, k0 = params.cooperon_coupling, params.reduced_cutoff
    if params.dim == 1:
        return (1j / params.tau) * g / 2.0 * math.sqrt(ratio)
    return (1j / params.tau) * g / (4.0 * math.pi) * math.log(k0 * k0 * ratio)


def seed_cutoff(params: TheoryParameters) -> float:
    r"""The seed's cutoff :math:`x_0^{seed} = k_0/p_F = x_0/(2E_F\tau) = \pi\lambda x_0`."""
    return params.cutoff / (2.0 * params.continuum_fermi_energy * params.tau)


def seed_omega0_squared(params: TheoryParameters) -> float:
    r"""Eq. (43) as printed (1/time^2).

    d = 1: :math:`(\pi E_F\lambda/2)^2`; d = 2: :math:`2(E_F x_0)^2e^{-1/\lambda}`
    with the seed's :math:`x_0 = k_0/p_F` (:func:`seed_cutoff`).
    """
    _require_low_dimension(params)
    lam, ef = params.coupling, params.continuum_fermi_energy
    if params.dim == 1:
        return (math.pi / 2.0 * ef * lam) ** 2
    return 2.0 * (ef * seed_cutoff(params)) ** 2 * math.exp(-1.0 / lam)


def seed_sigma_w2_coefficient(params: TheoryParameters) -> float:
    r"""Eq. (44) as printed: coefficient of :math:`\omega^2` in Re sigma (e = 1).

    d = 1: :math:`(n/m)\tau^{-1}(\pi E_F/2)^{-4}\lambda^{-4}`;
    d = 2: :math:`(n/m)(4\tau)^{-1}(E_F x_0)^{-4}e^{2/\lambda}`.
    """
    _require_low_dimension(params)
    lam, ef, tau, nm = params.coupling, params.continuum_fermi_energy, params.tau, params.n_over_m
    if params.dim == 1:
        return nm / tau * (math.pi / 2.0 * ef) ** -4 * lam**-4
    return nm / (4.0 * tau) * (ef * seed_cutoff(params)) ** -4 * exp_or_inf(2.0 / lam)


def seed_static_polarizability(params: TheoryParameters) -> float:
    r"""Sec. IV: :math:`\alpha(0) = (n/m)/\omega_0^2` with the printed Eq. (43) (e = 1)."""
    return params.n_over_m / seed_omega0_squared(params)


def seed_localization_length(params: TheoryParameters) -> float:
    r"""Sec. IV: :math:`r_0 = (2E_F/dm)^{1/2}/\omega_0 = v_F/(\sqrt{d}\omega_0)`, Eq. (43)."""
    return params.fermi_velocity / math.sqrt(params.dim * seed_omega0_squared(params))


def seed_dielectric_constant_1d(params: TheoryParameters) -> float:
    r"""Sec. IV, d = 1 as printed: :math:`\epsilon_0 = 32 e^2 (p_F/m)\tau^2 = 32 v_F\tau^2`."""
    return 32.0 * params.fermi_velocity * params.tau**2


def seed_sigma_w2_coefficient_1d(params: TheoryParameters) -> float:
    r"""Sec. IV, d = 1 as printed: :math:`\mathrm{Re}\sigma = (8/\pi)e^2(p_F/m)\tau^3\omega^2`."""
    return 8.0 / math.pi * params.fermi_velocity * params.tau**3


def comparison_table(params: TheoryParameters) -> tuple[ComparisonRow, ...]:
    """Compare each printed formula with the derived form and the numerical solution of Eq. (42).

    Parameters
    ----------
    params : TheoryParameters
        d = 1 or 2, localized (tau_s = tau_inel = inf). Free-electron
        parameters (:meth:`TheoryParameters.from_lambda`) make the seed's
        notation meaningful.
    """
    _require_low_dimension(params)
    if params.breaking_rate > 0.0:
        raise ValueError("comparison_table needs tau_s = tau_inel = inf (a localized phase)")
    fit = fit_low_frequency(params)
    exact_limit = localization_properties(params)
    derived = derived_asymptotics(params)
    numerical_alpha = params.n_over_m / fit.omega0_squared
    rows = [
        ComparisonRow("omega0^2, Eq. (43)", seed_omega0_squared(params),
                      derived.omega0_squared, fit.omega0_squared),
        ComparisonRow("Im c of M = -w0^2/w + c, Eq. (35)", 1.0 / params.tau,
                      derived.kernel_constant.imag, fit.kernel_constant.imag),
        ComparisonRow("r0, Eq. (37) / Sec. IV", seed_localization_length(params),
                      derived.localization_length, exact_limit.localization_length),
        ComparisonRow("alpha(0), Sec. IV", seed_static_polarizability(params),
                      derived.static_polarizability, numerical_alpha),
        ComparisonRow("Re sigma / w^2, Eq. (44)", seed_sigma_w2_coefficient(params),
                      derived.sigma_w2_coefficient,
                      params.n_over_m * fit.kernel_constant.imag / fit.omega0_squared**2),
    ]  # fmt: skip
    if params.dim == 1:
        # Berezinskii's time is the backscattering time 2 tau (docs/theory.md section 6a)
        exact_alpha = berezinskii_static_polarizability(params.tau, params.fermi_velocity)
        rows += [
            ComparisonRow("epsilon0 = 4 pi alpha(0), Sec. IV", seed_dielectric_constant_1d(params),
                          4 * math.pi * derived.static_polarizability,
                          4 * math.pi * numerical_alpha, exact=4 * math.pi * exact_alpha),
            ComparisonRow("Re sigma / w^2 rewritten, Sec. IV",
                          seed_sigma_w2_coefficient_1d(params),
                          derived.sigma_w2_coefficient, rows[-1].numerical),
        ]  # fmt: skip
    return tuple(rows)


def weak_localization_slope(params: TheoryParameters) -> float:
    r"""d Re sigma/d ln w of Eq. (42) in d = 2 for :math:`\omega_0 \ll \omega \ll 1/\tau`.

    With :math:`s \simeq -i\omega\tau` there, Eq. (42) gives
    :math:`D(\omega)/D_0 = 1 - \Phi(s)`, :math:`\Phi = (G/4\pi)\ln(1 + K_0^2/s)`, so
    :math:`\mathrm{Re}\,\sigma = \sigma_0[1 - (G/4\pi)\ln(K_0^2/\omega\tau)] + O(G^2)` and
    the slope is :math:`\sigma_0 G/(4\pi) = (n/m)\tau\,\tau/(4\pi^2 N D_0\tau) = 1/(4\pi^2)`
    (e^2/hbar per spin) for any parameters, since :math:`n/m = N D_0/\tau`:
    the universal coefficient :data:`WEAK_LOCALIZATION_SLOPE_2D`, with relative
    corrections O(G/4pi) = O(lambda) (``docs/theory.md`` section 3a).

    Parameters
    ----------
    params : TheoryParameters
        d = 2.

    Returns
    -------
    float
        The slope in units e^2/hbar (per spin; conductivity of a sheet).
    """
    if params.dim != 2:
        raise ValueError(f"the weak-localization logarithm is a d = 2 law, got dim={params.dim}")
    return params.n_over_m * params.tau * params.cooperon_coupling / (4.0 * math.pi)
