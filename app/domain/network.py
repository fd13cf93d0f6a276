"""A walking network as a sparse graph; all-nodes nearest facility in one Dijkstra pass."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import cKDTree


@dataclass
class WalkNetwork:
    """Nodes in metres (``xy``) and an undirected edge-length matrix (``graph``, CSR)."""

    xy: np.ndarray
    graph: sparse.csr_matrix
    crs: str

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

    def nearest_source_nodes(self, source_nodes: np.ndarray,
                             limit: float = np.inf) -> tuple[np.ndarray, np.ndarray]:
        """For every node: network distance to the nearest source node, and that source's index.

        One multi-source Dijkstra labels every node at once. Unreachable (or beyond ``limit``):
        ``inf`` and -1.
        """
        # The matrix already holds both directions; directed=False would symmetrise it again
        # on every call.
        dist, _, nearest_node = dijkstra(self.graph, directed=True, indices=source_nodes,
                                         min_only=True, return_predecessors=True, limit=limit)
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
