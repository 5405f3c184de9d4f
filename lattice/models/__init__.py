"""Models and disorder: the Hamiltonian and everything every engine shares.

:mod:`~lattice.models.model` (``AndersonModel``: H, J_a, K_a as sparse
matrices), :mod:`~lattice.models.bonds` (the one bond rule of every engine),
:mod:`~lattice.models.disorder` (box and Gaussian on-site energies),
:mod:`~lattice.models.seeding` (one ``SeedSequence`` stream per realization and
purpose), :mod:`~lattice.models.averaging` (the loop over realizations and
``DisorderAverage``), :mod:`~lattice.models.occupation` (Fermi occupation) and
:mod:`~lattice.models.defaults` (the default broadening). Imports nothing else
of :mod:`lattice`.
"""

__all__: list[str] = []
