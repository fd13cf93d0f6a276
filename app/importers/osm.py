"""OpenStreetMap extracts (.osm.pbf) → the walkable network, in local UTM metres."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np

from app.domain.network import WalkNetwork


def load_osm_walking(path: Path) -> WalkNetwork:
    """Walkable network of an OpenStreetMap .osm.pbf extract (via pyrosm), in local UTM metres."""
    # deferred: pyrosm (and its Cython parser) is needed only when a network is imported
    import pyrosm

    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: file not found")
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
