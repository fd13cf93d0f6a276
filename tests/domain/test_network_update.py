"""Incremental what-ifs on a walking network equal a full pass (a street grid declared in code)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.sparse.csgraph import dijkstra

from app.domain.network import WalkNetwork
from app.domain.network_update import add_source, remove_sources

SIDE = 40  # a 40 × 40 street grid, blocks 60–110 m long (lengths from a fixed pattern, not chance)


def _grid() -> WalkNetwork:
    index = np.arange(SIDE * SIDE).reshape(SIDE, SIDE)
    xy = np.column_stack([(index % SIDE).ravel() * 80.0, (index // SIDE).ravel() * 80.0])
    u = np.concatenate([index[:, :-1].ravel(), index[:-1, :].ravel()])
    v = np.concatenate([index[:, 1:].ravel(), index[1:, :].ravel()])
    length = 60.0 + (u * 7 + v * 13) % 51
    return WalkNetwork.from_edges(xy, u, v, length, "EPSG:6677")


def _full(network, sources, limit):
    dist, _, node = dijkstra(network.graph, directed=True, indices=sorted(sources), min_only=True,
                             return_predecessors=True, limit=limit)
    return dist, np.where(node >= 0, node, -1)


def _check(network, sources, dist, node, limit):
    full_dist, _ = _full(network, sources, limit)
    np.testing.assert_allclose(dist, full_dist, rtol=1e-12)
    assert set(np.unique(node[node >= 0])) <= set(sources)
    for source in np.unique(node[node >= 0]):  # each node's source really is that near
        mine = node == source
        own = dijkstra(network.graph, directed=True, indices=int(source), limit=limit)
        np.testing.assert_allclose(own[mine], dist[mine], rtol=1e-12)


@pytest.mark.parametrize("limit", [np.inf, 1200.0])
def test_adding_and_removing_sources_equals_a_full_pass(limit):
    network = _grid()
    base = [45, 410, 777, 1203, 1590]
    dist, node = _full(network, base, limit)
    added = add_source(network.graph, dist, node, 820, limit)
    _check(network, [*base, 820], *added, limit)
    removed = remove_sources(network.graph, dist, node, {777, 45}, limit)
    _check(network, [410, 1203, 1590], *removed, limit)
    both = add_source(network.graph, *remove_sources(network.graph, dist, node, {410}, limit), 5, limit)
    _check(network, [5, 45, 777, 1203, 1590], *both, limit)
    gone = remove_sources(network.graph, dist, node, set(base), limit)
    assert np.isinf(gone[0]).all() and (gone[1] == -1).all()


def test_the_network_updates_a_kept_labelling_and_answers_as_a_full_pass():
    network = _grid()
    base = np.array([45, 410, 777, 1203])
    first = network.labels(base, 1500.0)
    _check(network, list(base), *first, 1500.0)
    for what_if in ([45, 410, 777, 1203, 900], [45, 777, 1203], [45, 777, 1203, 33, 1500]):
        dist, node = network.labels(np.array(what_if), 1500.0)
        _check(network, what_if, dist, node, 1500.0)
    # The answers are copies: a caller changing one cannot change the next answer.
    dist[:] = 0
    np.testing.assert_allclose(network.labels(base, 1500.0)[0], first[0])
