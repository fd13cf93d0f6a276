"""What-ifs on a walking network without a full pass: add or remove a few sources of a labelling.

A labelling gives every node its network distance to the nearest source node and that node. A
new source runs one Dijkstra bounded by the walking limit and keeps the smaller distance. Removing
sources relabels only the nodes they served: the unchanged nodes around that region enter it
through a virtual node whose edge to each region node is the best (distance + edge) from outside,
and one Dijkstra over the region alone finishes. Both give the labelling a full pass would give
(ties between equally near sources aside, which keep the earlier source).
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import dijkstra


def add_source(graph: sparse.csr_matrix, dist: np.ndarray, node: np.ndarray, source: int,
               limit: float) -> tuple[np.ndarray, np.ndarray]:
    """The labelling with ``source`` added: one Dijkstra from it, bounded by ``limit``.

    Returns
    -------
    dist, node
        New arrays (the inputs are not changed).
    """
    reach = dijkstra(graph, directed=True, indices=int(source), limit=limit)
    closer = reach < dist
    return np.where(closer, reach, dist), np.where(closer, source, node)


def remove_sources(graph: sparse.csr_matrix, dist: np.ndarray, node: np.ndarray, removed,
                   limit: float) -> tuple[np.ndarray, np.ndarray]:
    """The labelling without ``removed`` source nodes: only the nodes they served are relabelled.

    Returns
    -------
    dist, node
        New arrays; a node no remaining source reaches within ``limit`` gets ``inf`` and -1.
    """
    region = np.flatnonzero(np.isin(node, np.asarray(list(removed))))
    dist, node = dist.copy(), node.copy()
    if not len(region):
        return dist, node
    dist[region], node[region] = np.inf, -1
    entry, entry_source = _entries(graph, dist, node, region)
    # The region's own edges, and a virtual node (the last index) joined to each region node by
    # its best way in from outside.
    inner = graph[region][:, region].tocoo()
    size = len(region)
    has_entry = np.isfinite(entry)
    rows = np.concatenate([inner.row, np.full(has_entry.sum(), size)])
    cols = np.concatenate([inner.col, np.flatnonzero(has_entry)])
    data = np.concatenate([inner.data, entry[has_entry]])
    sub = sparse.csr_matrix((data, (rows, cols)), shape=(size + 1, size + 1))
    reach, pred = dijkstra(sub, directed=True, indices=size, limit=limit, return_predecessors=True)
    reach, pred = reach[:size], pred[:size]
    found = np.isfinite(reach)
    dist[region[found]] = reach[found]
    node[region[found]] = entry_source[_entry_of(pred, found, size)]
    return dist, node


def _entries(graph, dist, node, region) -> tuple[np.ndarray, np.ndarray]:
    """Per region node: the best (outside distance + edge) into it, and that outside node's source."""
    rows = graph[region].tocoo()  # the graph holds both directions: a row lists the node's neighbours
    outside = np.isfinite(dist[rows.col])  # region nodes were set to inf above
    cost = rows.data[outside] + dist[rows.col[outside]]
    target, via = rows.row[outside], rows.col[outside]
    entry = np.full(len(region), np.inf)
    np.minimum.at(entry, target, cost)
    source = np.full(len(region), -1)
    best = cost == entry[target]
    source[target[best]] = node[via[best]]
    return entry, source


def _entry_of(pred: np.ndarray, found: np.ndarray, virtual: int) -> np.ndarray:
    """For each found region node, the region node its path entered by (the virtual node's child)."""
    current = np.flatnonzero(found)
    while True:
        parent = pred[current]
        step = parent != virtual
        if not step.any():
            return current
        current = np.where(step, parent, current)
