"""Property-based tests (hypothesis): the exact identities over random small lattices.

Random dimension, shape, boundaries per axis, disorder kind and strength,
commensurate flux and twist; E_F in a level gap. Each identity holds on every
realization of every finite system, so any failure is a bug, not noise.
"""

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lattice.exact.kubo import conductivity_from_transitions, current_transitions
from lattice.exact.polarizability import static_polarizability
from lattice.exact.sum_rules import f_sum_rule
from lattice.models.model import AndersonModel

#: Exact identities, relative (same budgets as the unit tests).
IDENTITY_TOL = 1e-10
#: Absolute floor for terms that vanish (E_F outside the band: D_f = 0).
ZERO_FLOOR = 1e-12
#: Largest lattice drawn (keeps each example at a few milliseconds).
MAX_SIDE = {1: 24, 2: 6, 3: 3}

SETTINGS = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@st.composite
def models(draw, open_x: bool | None = None) -> AndersonModel:
    dim = draw(st.integers(1, 3))
    shape = tuple(draw(st.integers(1, MAX_SIDE[dim])) for _ in range(dim))
    boundary = [draw(st.sampled_from(["periodic", "open"])) for _ in range(dim)]
    if open_x is not None:
        boundary[0] = "open" if open_x else "periodic"
    flux = 0.0
    if dim > 1 and draw(st.booleans()):
        if boundary[0] == "periodic":
            flux = draw(st.integers(1, shape[0])) / shape[0]
        else:
            flux = draw(st.floats(0.01, 0.99))
    twist = draw(st.floats(-np.pi, np.pi)) if boundary[0] == "periodic" else 0.0
    return AndersonModel(
        dim=dim,
        L=shape,
        disorder=draw(st.floats(0.0, 6.0)),
        kind=draw(st.sampled_from(["box", "gaussian"])),
        boundary=tuple(boundary),
        flux=flux,
        twist=twist,
    )


@SETTINGS
@given(model=models(), seed=st.integers(0, 2**32), near=st.floats(-3.0, 3.0))
def test_f_sum_rule(model, seed, near, mid_gap) -> None:
    fermi = mid_gap(model, 0, seed, near)
    regular, drude_peak, half_pi_d_f = f_sum_rule(model, fermi, realizations=1, seed=seed).values[
        0
    ]
    assert abs(regular + drude_peak - half_pi_d_f) <= IDENTITY_TOL * abs(half_pi_d_f) + ZERO_FLOOR
    assert regular >= 0.0


@SETTINGS
@given(
    model=models(open_x=True),
    seed=st.integers(0, 2**32),
    near=st.floats(-3.0, 3.0),
    temperature=st.one_of(st.just(0.0), st.floats(0.01, 2.0)),
)
def test_polarizability_routes_agree(model, seed, near, temperature, mid_gap) -> None:
    fermi = mid_gap(model, 0, seed, near)
    options = dict(realizations=1, seed=seed, temperature=temperature)
    kubo = static_polarizability(model, fermi, **options).values[0]
    position = static_polarizability(model, fermi, route="position", **options)
    assert abs(kubo - position.values[0]) <= IDENTITY_TOL * abs(kubo) + ZERO_FLOOR


@SETTINGS
@given(model=models(), seed=st.integers(0, 2**32), near=st.floats(-3.0, 3.0))
def test_histogram_holds_the_pair_weight_and_current_is_hermitian(model, seed, near, mid_gap):
    fermi = mid_gap(model, 0, seed, near)
    current = model.current_operator(0).toarray()
    np.testing.assert_array_equal(current, current.conj().T)
    pairs = current_transitions(model, 0, seed, fermi)
    if pairs.frequency.size == 0:
        return
    eta = pairs.frequency.min() / np.e  # irrational ratio: no transition on a bin edge
    centres = eta * (np.arange(int(pairs.frequency.max() / eta) + 2) + 0.5)
    binned = conductivity_from_transitions(pairs, centres, eta, "histogram").real
    exact = np.pi * np.sum(pairs.weight / pairs.frequency) / model.n_sites
    assert abs(np.sum(binned) * eta - exact) <= IDENTITY_TOL * exact + ZERO_FLOOR
