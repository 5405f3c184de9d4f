r"""Where the weak-disorder theory applies: stated limits on lambda and l.

Eq. (42) is the self-consistent resummation of the leading (maximally crossed)
diagrams in the small parameter :math:`\lambda = 1/(2\pi E_F\tau)` of the seed,
with the Born scattering rate and a diffusion pole valid for :math:`kl \lesssim 1`.
It is a formula one can evaluate at any coupling, but far outside its regime
the numbers are formal. The limits used throughout vwloc (``docs/theory.md``):

- :data:`MAX_COUPLING`: :math:`\lambda \le 1`, i.e. :math:`E_F\tau \ge 1/(2\pi)`
  (at least about one Fermi-wavelength oscillation per scattering time). The 3D
  mobility edge of the theory, :math:`\lambda_c \approx 0.33` for the default
  cutoff, lies inside.
- :data:`WARNING_MEAN_FREE_PATH`: in the lattice mapping (:mod:`theory.mapping`),
  :math:`l \ge 1` lattice constant; a shorter Born mean free path means the
  continuum description of the lattice is only qualitative (the same criterion
  the comparison report flags).

:func:`regime_violations` lists the limits a parameter set breaks, as short
texts for a warning line; it never raises and never prints.
"""

from __future__ import annotations

from theory.parameters import TheoryParameters

__all__ = ["MAX_COUPLING", "WARNING_MEAN_FREE_PATH", "regime_violations"]

#: Largest coupling lambda = 1/(2 pi E_F tau) treated as inside the weak-disorder regime.
MAX_COUPLING = 1.0
#: Smallest Born mean free path (lattice constants) for which the lattice mapping holds.
WARNING_MEAN_FREE_PATH = 1.0


def regime_violations(params: TheoryParameters, lattice: bool = False) -> list[str]:
    """The regime limits ``params`` breaks, each as a short text ("lambda = 5.4e+09 > 1").

    Parameters
    ----------
    params : TheoryParameters
        The continuum parameters (from :meth:`TheoryParameters.from_lambda` or the
        lattice mapping).
    lattice : bool
        True if ``params`` come from the lattice mapping, so lengths are in lattice
        constants and :data:`WARNING_MEAN_FREE_PATH` applies.

    Returns
    -------
    list of str
        Empty inside the regime.
    """
    problems = []
    if params.coupling > MAX_COUPLING:
        problems.append(f"lambda = {params.coupling:.3g} > {MAX_COUPLING:g}")
    if lattice and params.mean_free_path < WARNING_MEAN_FREE_PATH:
        problems.append(
            f"l = {params.mean_free_path:.3g} < {WARNING_MEAN_FREE_PATH:g} lattice constant"
        )
    return problems
