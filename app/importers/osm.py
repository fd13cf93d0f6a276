"""OpenStreetMap extracts (.osm.pbf) → the walkable network, in local UTM metres.

A regional extract (Kanto is ~400 MB) is first cut to the city's box by osmium-tool, which reads
it as a stream; only the cut, a few MB, is then parsed into memory.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import geopandas as gpd
import numpy as np

from app.domain.network import WalkNetwork


def clip_extract(path: Path, bbox: tuple[float, float, float, float], folder: Path) -> Path:
    """The part of the extract ``path`` inside ``bbox`` (lon/lat), cut by ``osmium extract``.

    ``complete_ways``: a way crossing the box's edge is kept whole, so a walk that leaves the box
    for a few metres is not cut short. osmium streams the file; its memory follows the box.
    """
    osmium = shutil.which("osmium")
    if osmium is None:
        raise ValueError("cutting an extract to a city needs osmium-tool (apt-get install osmium-tool; "
                         "`make serve` installs it)")
    out = Path(folder) / f"{path.name.split('.')[0]}-clip.osm.pbf"
    box = ",".join(f"{v:.6f}" for v in bbox)
    done = subprocess.run([osmium, "extract", "--bbox", box, "--strategy", "complete_ways", "--overwrite",
                           "--output", str(out), str(path)], capture_output=True, text=True)
    if done.returncode != 0:
        raise ValueError(f"{path.name}: osmium could not cut the extract: {done.stderr.strip()[:300]}")
    return out


def load_osm_walking(path: Path, bbox: tuple[float, float, float, float] | None = None) -> WalkNetwork:
    """Walkable network of an OpenStreetMap .osm.pbf extract, cut to ``bbox`` (lon/lat) when given."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: file not found")
    if bbox is None:
        return _walking(path)
    with tempfile.TemporaryDirectory() as folder:
        return _walking(clip_extract(path, bbox, Path(folder)))


def _walking(path: Path) -> WalkNetwork:
    # deferred: pyrosm (and its Cython parser) is needed only when a network is imported
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
