"""The Vollhardt-Woelfle self-consistent theory of Anderson localization.

Solves Eq. (42) of D. Vollhardt and P. Woelfle, Phys. Rev. B 22, 4666 (1980) for
the current relaxation kernel M(0, w) and derives the paper's predictions from
it; see ``docs/theory.md``. Never imports :mod:`lattice`.
"""

__all__: list[str] = []
