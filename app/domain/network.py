"""A walking network as a sparse graph; all-nodes nearest facility in one Dijkstra pass (or an update)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import cKDTree

from app.domain.network_update import add_source, remove_sources

KEPT_LABELLINGS = 8
MAX_UPDATE = 4  # sources added or removed; beyond this a full pass costs about the same


@dataclass
class WalkNetwork:
    """Nodes in metres (``xy``) and an undirected edge-length matrix (``graph``, CSR)."""

    xy: np.ndarray
    graph: sparse.csr_matrix
    crs: str
    # Recent labellings (source set, limit) → (distance, nearest source node), for what-ifs.
    _labels: OrderedDict = field(default_factory=OrderedDict, repr=False, compare=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    @classmethod
    def from_edges(cls, xy: np.ndarray, u: np.ndarray, v: np.ndarray, length: np.ndarray,
                   crs: str) -> WalkNetwork:
        """Build from node coordinates and edges given as node indices with lengths in metres."""
        n = len(xy)
        # Walking ignores one-way rules: both directions, shortest parallel edge kept.
        rows = np.concatenate([u, v])
        cols = np.concatenate([v, u])
        data = np.concatenate([length, length]).astype(float)
        order = np.lexsort((data, cols, rows))
        keep = np.ones(len(order), dtype=bool)
        keep[1:] = (np.diff(rows[order]) != 0) | (np.diff(cols[order]) != 0)
        chosen = order[keep]
        graph = sparse.csr_matrix((data[chosen], (rows[chosen], cols[chosen])), shape=(n, n))
        return cls(xy=np.asarray(xy, dtype=float), graph=graph, crs=crs)

    def snap(self, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Nearest node of each point and the straight distance to it."""
        if getattr(self, "_tree", None) is None:
            self._tree = cKDTree(self.xy)
        distance, index = self._tree.query(points)
        return index, distance

    def labels(self, source_nodes: np.ndarray, limit: float = np.inf) -> tuple[np.ndarray, np.ndarray]:
        """For every node: network distance to the nearest of ``source_nodes``, and that node.

        One multi-source Dijkstra labels every node at once; a set that differs from one labelled
        recently by a few sources (a what-if) is updated from it instead (``network_update``).
        Unreachable (or beyond ``limit``): ``inf`` and -1.
        """
        wanted = frozenset(int(n) for n in source_nodes)
        with self._lock:
            known = self._labels.get((wanted, limit))
            base = known or self._closest_labelling(wanted, limit)
        if known is None and base is not None:
            (dist, node), was = base
            if was - wanted:
                dist, node = remove_sources(self.graph, dist, node, was - wanted, limit)
            for added in sorted(wanted - was):
                dist, node = add_source(self.graph, dist, node, added, limit)
            known = (dist, node)
        if known is None:
            # The matrix already holds both directions; directed=False would symmetrise it
            # again on every call.
            dist, _, node = dijkstra(self.graph, directed=True, indices=source_nodes, min_only=True,
                                     return_predecessors=True, limit=limit)
            known = (dist, np.where(node >= 0, node, -1))  # scipy marks "none" as -9999
        with self._lock:
            self._labels[(wanted, limit)] = known
            self._labels.move_to_end((wanted, limit))
            while len(self._labels) > KEPT_LABELLINGS:
                self._labels.popitem(last=False)
        return known[0].copy(), known[1].copy()

    def forget(self) -> None:
        """Drop the kept labellings (benchmarks time full passes with it)."""
        with self._lock:
            self._labels.clear()

    def _closest_labelling(self, wanted: frozenset, limit: float):
        """A kept labelling of the same limit within ``MAX_UPDATE`` sources of ``wanted``, or None."""
        near = [(len(was ^ wanted), (was, labels)) for (was, kept_limit), labels in self._labels.items()
                if kept_limit == limit and len(was ^ wanted) <= MAX_UPDATE and was]
        if not near or not wanted:
            return None
        _, (was, labels) = min(near, key=lambda item: item[0])
        return labels, was

    def nearest_source_nodes(self, source_nodes: np.ndarray,
                             limit: float = np.inf) -> tuple[np.ndarray, np.ndarray]:
        """For every node: network distance to the nearest source node, and that source's index.

        Unreachable (or beyond ``limit``): ``inf`` and -1.
        """
        dist, nearest_node = self.labels(source_nodes, limit)
        lookup = np.full(len(self.xy), -1)
        lookup[source_nodes[::-1]] = np.arange(len(source_nodes))[::-1]  # first listed wins
        which = np.where(nearest_node >= 0, lookup[np.maximum(nearest_node, 0)], -1)
        return dist, which

    def nearest_facility(self, demand_xy: np.ndarray, facility_xy: np.ndarray,
                         limit: float = np.inf) -> tuple[np.ndarray, np.ndarray]:
        """Walking distance from each demand point to its nearest facility, and which one.

        Points join the network at their nearest node; the straight walk to it is added at
        both ends. Beyond ``limit`` metres, or unreachable: ``inf`` and -1.
        """
        if len(facility_xy) == 0:
            return np.full(len(demand_xy), np.inf), np.full(len(demand_xy), -1)
        facility_nodes, facility_snap = self.snap(facility_xy)
        # Facilities sharing a node: the one closest to it speaks for the node.
        order = np.argsort(facility_snap, kind="stable")
        node_dist, which = self.nearest_source_nodes(facility_nodes[order], limit)
        demand_nodes, demand_snap = self.snap(demand_xy)
        source = which[demand_nodes]
        facility = np.where(source >= 0, order[np.maximum(source, 0)], -1)
        total = np.full(len(demand_xy), np.inf)
        ok = facility >= 0
        total[ok] = demand_snap[ok] + node_dist[demand_nodes[ok]] + facility_snap[facility[ok]]
        total[total > limit] = np.inf
        facility[~np.isfinite(total)] = -1
        return total, facility
