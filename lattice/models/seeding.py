"""Random streams per disorder realization (DESIGN.md section 3).

Realization ``i`` of root seed ``s`` is ``SeedSequence(s, spawn_key=(i,))``; its
children carry the disorder (``spawn_key=(i, 0)``), the stochastic-trace
vectors (``spawn_key=(i, 1)``) and the start blocks of the sparse eigensolver
(``spawn_key=(i, 2)``). Any realization can therefore be rebuilt alone,
whichever process or executor produced it, and the streams never overlap.
No global ``np.random`` state is used anywhere in vwloc.
"""

from __future__ import annotations

import numpy as np

from vwloc_common.checks import check_positive_int

__all__ = [
    "DEFAULT_SEED",
    "DISORDER_STREAM",
    "EIGENSOLVER_STREAM",
    "STREAMS",
    "TRACE_STREAM",
    "realization_rng",
    "realization_seed",
]

#: Root seed of every function that takes ``seed`` when none is given: 0, as the
#: batch config's ``[run] seed`` and ``vwloc xi --seed`` (one convention everywhere).
DEFAULT_SEED = 0
#: Child index of the disorder stream inside a realization's ``SeedSequence``.
DISORDER_STREAM = 0
#: Child index of the stochastic-trace stream inside a realization's ``SeedSequence``.
TRACE_STREAM = 1
#: Child index of the Lanczos start blocks of the sparse window eigensolver.
EIGENSOLVER_STREAM = 2
#: All child streams of a realization.
STREAMS = (DISORDER_STREAM, TRACE_STREAM, EIGENSOLVER_STREAM)


def realization_seed(seed: int, realization: int) -> np.random.SeedSequence:
    """Return ``SeedSequence(seed, spawn_key=(realization,))``.

    Parameters
    ----------
    seed : int
        Root seed of the run (non-negative).
    realization : int
        Index ``i`` of the disorder realization (non-negative).
    """
    root = check_positive_int("seed", seed, minimum=0)
    index = check_positive_int("realization", realization, minimum=0)
    return np.random.SeedSequence(root, spawn_key=(index,))


def realization_rng(
    seed: int, realization: int, stream: int = DISORDER_STREAM
) -> np.random.Generator:
    """Return the generator of one stream of one realization.

    Parameters
    ----------
    seed : int
        Root seed of the run.
    realization : int
        Index ``i`` of the disorder realization.
    stream : int
        :data:`DISORDER_STREAM` (site energies), :data:`TRACE_STREAM`
        (random vectors of stochastic traces) or :data:`EIGENSOLVER_STREAM`
        (Lanczos start blocks).

    Returns
    -------
    numpy.random.Generator
        ``default_rng(SeedSequence(seed, spawn_key=(realization, stream)))``,
        identical to child ``stream`` of :func:`realization_seed`.
    """
    if isinstance(stream, bool) or stream not in STREAMS:
        raise ValueError(f"stream must be one of {STREAMS}, got {stream!r}")
    parent = realization_seed(seed, realization)
    return np.random.default_rng(
        np.random.SeedSequence(parent.entropy, spawn_key=(*parent.spawn_key, stream))
    )
