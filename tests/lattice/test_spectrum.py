"""Eigensolvers: MRRR vs dense LAPACK, energy windows, eigenpair residuals."""

import numpy as np
import pytest

from lattice.exact.spectrum import diagonalize, diagonalize_matrix, eigenvalues
from lattice.models.model import AndersonModel

#: Eigenvalue agreement between LAPACK drivers (units of t), a few ulps x N.
EIGENVALUE_TOL = 1e-12
#: Residual ||H v - e v|| and orthonormality of eigenvectors.
RESIDUAL_TOL = 1e-12


def check_eigenpairs(hamiltonian: np.ndarray, energies, vectors) -> None:
    residual = hamiltonian @ vectors - vectors * energies
    assert np.abs(residual).max() < RESIDUAL_TOL
    gram = vectors.conj().T @ vectors
    assert np.abs(gram - np.eye(gram.shape[0])).max() < RESIDUAL_TOL


def test_open_chain_uses_mrrr_and_matches_dense() -> None:
    model = AndersonModel(dim=1, L=60, disorder=2.0, boundary="open")
    spectrum = diagonalize(model, realization=1, seed=3)
    assert spectrum.solver == "stemr" and spectrum.is_real
    dense = model.hamiltonian(realization=1, seed=3).toarray()
    np.testing.assert_allclose(spectrum.energies, np.linalg.eigvalsh(dense), atol=EIGENVALUE_TOL)
    check_eigenpairs(dense, spectrum.energies, spectrum.vectors)


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(dim=1, L=40, boundary="open"),
        dict(dim=1, L=30, boundary="periodic", twist=0.3),
        dict(dim=2, L=(5, 6), flux=0.2, boundary="open"),
        dict(dim=3, L=3),
    ],
)
def test_window_is_the_subset_of_the_full_spectrum(kwargs) -> None:
    model = AndersonModel(disorder=1.5, **kwargs)
    full = diagonalize(model, realization=0, seed=8)
    window = (-0.9, 0.4)
    part = diagonalize(model, realization=0, seed=8, window=window)
    inside = (full.energies > window[0]) & (full.energies <= window[1])
    np.testing.assert_allclose(part.energies, full.energies[inside], atol=EIGENVALUE_TOL)
    dense = model.hamiltonian(realization=0, seed=8).toarray()
    check_eigenpairs(dense, part.energies, part.vectors)
    assert part.vectors.shape == (model.n_sites, inside.sum())
    assert part.is_real == (not model.is_complex)


def test_empty_window_and_single_site() -> None:
    model = AndersonModel(dim=1, L=10, boundary="open")
    empty = diagonalize(model, window=(2.5, 3.0))
    assert empty.energies.size == 0 and empty.vectors.shape == (10, 0)
    single = diagonalize(AndersonModel(dim=1, L=1, boundary="open", disorder=1.0), seed=2)
    assert single.vectors.shape == (1, 1)
    ring = AndersonModel(dim=1, L=1, boundary="periodic", disorder=1.0)  # dense path
    level = ring.hamiltonian(seed=2).toarray()[0, 0]
    inside = diagonalize(ring, seed=2, window=(level - 0.1, level + 0.1))
    assert inside.solver == "trd+stemr" and inside.energies == pytest.approx([level])
    assert diagonalize(ring, seed=2, window=(level + 0.1, level + 0.2)).vectors.shape == (1, 0)


@pytest.mark.parametrize("window", [(1.0, 1.0), (2.0, -1.0), (0.0, float("nan")), "ab", 3])
def test_bad_window_is_rejected(window) -> None:
    with pytest.raises(ValueError, match="window"):
        diagonalize_matrix(np.eye(3), window=window)


@pytest.mark.parametrize(
    "kwargs", [dict(dim=1, L=30, boundary="open"), dict(dim=2, L=(4, 5), flux=0.25)]
)
def test_eigenvalues_only_match_diagonalize(kwargs) -> None:
    model = AndersonModel(disorder=2.0, **kwargs)
    np.testing.assert_allclose(
        eigenvalues(model, realization=2, seed=4),
        diagonalize(model, realization=2, seed=4).energies,
        atol=EIGENVALUE_TOL,
    )
