"""A walking network as a sparse graph; all-nodes nearest facility in one Dijkstra pass."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

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
        distance, index = cKDTree(self.xy).query(points)
        return index, distance

    def nearest_facility(self, demand_xy: np.ndarray, facility_xy: np.ndarray,
                         limit: float = np.inf) -> tuple[np.ndarray, np.ndarray]:
        """Walking distance from each demand point to its nearest facility, and which one.

        One multi-source Dijkstra from all facility nodes labels every node with its nearest
        facility; points join the network at their nearest node (the straight walk to it is
        added at both ends). Beyond ``limit`` metres, or unreachable: ``inf`` and -1.
        """
        if len(facility_xy) == 0:
            return np.full(len(demand_xy), np.inf), np.full(len(demand_xy), -1)
        facility_nodes, facility_snap = self.snap(facility_xy)
        node_dist, _, sources = dijkstra(self.graph, directed=False, indices=facility_nodes,
                                         min_only=True, return_predecessors=True, limit=limit)
        # Several facilities on one node: the one closest to it is the node's facility.
        best_at_node: dict[int, int] = {}
        for i, node in enumerate(facility_nodes):
            if node not in best_at_node or facility_snap[i] < facility_snap[best_at_node[node]]:
                best_at_node[node] = i
        demand_nodes, demand_snap = self.snap(demand_xy)
        source = sources[demand_nodes]
        reachable = source >= 0
        facility = np.full(len(demand_xy), -1)
        facility[reachable] = [best_at_node[s] for s in source[reachable]]
        total = np.full(len(demand_xy), np.inf)
        total[reachable] = (demand_snap[reachable] + node_dist[demand_nodes[reachable]] +
                            facility_snap[facility[reachable]])
        total[total > limit] = np.inf
        facility[~np.isfinite(total)] = -1
        return total, facility


def load_osm_walking(path: Path) -> WalkNetwork:
    """Walkable network of an OpenStreetMap .osm.pbf extract (via pyrosm), in local UTM metres."""
    import geopandas as gpd
    import pyrosm

    nodes, edges = pyrosm.OSM(str(path)).get_network(network_type="walking", nodes=True)
    if nodes is None or edges is None or len(edges) == 0:
        raise ValueError(f"{Path(path).name}: no walkable ways in this extract")
    points = gpd.GeoSeries(gpd.points_from_xy(nodes["lon"], nodes["lat"]), crs="EPSG:4326")
    crs = points.estimate_utm_crs()
    metric = points.to_crs(crs)
    index = {node_id: i for i, node_id in enumerate(nodes["id"].to_numpy())}
    known = edges["u"].isin(index) & edges["v"].isin(index)
    edges = edges[known]
    u = edges["u"].map(index).to_numpy()
    v = edges["v"].map(index).to_numpy()
    xy = np.column_stack([metric.x.to_numpy(), metric.y.to_numpy()])
    return WalkNetwork.from_edges(xy, u, v, edges["length"].to_numpy(dtype=float), crs.to_string())
