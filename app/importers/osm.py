"""OpenStreetMap extracts (.osm.pbf) → the walkable network, in local UTM metres.

A regional extract (Kanto is ~400 MB) is first cut to the cities' boxes by osmium-tool, which reads
it once as a stream for all of them; only one cut, a few MB, is then parsed into memory at a time.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import geopandas as gpd
import numpy as np

from app.domain.network import WalkNetwork

Box = tuple[float, float, float, float]


def clip_extracts(path: Path, boxes: dict[str, Box], folder: Path) -> dict[str, Path]:
    """The parts of the extract ``path`` inside each box (lon/lat) of ``boxes``, cut in one pass.

    ``osmium extract --config`` reads the regional file once for every box, however many cities;
    ``complete_ways``: a way crossing a box's edge is kept whole, so a walk that leaves the box
    for a few metres is not cut short. osmium streams the file; its memory follows the boxes.

    Returns
    -------
    dict
        Each key of ``boxes`` → its cut ``.osm.pbf`` in ``folder``.
    """
    osmium = shutil.which("osmium")
    if osmium is None:
        raise ValueError("cutting an extract to a city needs osmium-tool (apt-get install osmium-tool; "
                         "`make serve` installs it)")
    folder = Path(folder)
    outputs = {key: folder / f"{path.name.split('.')[0]}-{key}-clip.osm.pbf" for key in boxes}
    config = folder / "extracts.json"
    config.write_text(json.dumps({"directory": str(folder), "extracts": [
        {"output": outputs[key].name, "bbox": [round(v, 6) for v in box]} for key, box in boxes.items()]}))
    done = subprocess.run([osmium, "extract", "--config", str(config), "--strategy", "complete_ways",
                           "--overwrite", str(path)], capture_output=True, text=True)
    if done.returncode != 0:
        raise ValueError(f"{path.name}: osmium could not cut the extract: {done.stderr.strip()[:300]}")
    return outputs


def load_osm_walking(path: Path, bbox: Box | None = None) -> WalkNetwork:
    """Walkable network of an OpenStreetMap .osm.pbf extract, cut to ``bbox`` (lon/lat) when given."""
    if bbox is None:
        return _walking(_existing(path))
    [(_, network)] = list(walking_by_box(path, {"box": bbox}))
    if isinstance(network, ValueError):
        raise network
    return network


def walking_by_box(path: Path, boxes: dict[str, Box]):
    """(key, network or the ValueError saying why not) per box: one osmium pass, then one cut at a time.

    A generator, so that only one city's network is in memory while the caller stores it.
    """
    path = _existing(path)
    with tempfile.TemporaryDirectory() as folder:
        for key, cut in clip_extracts(path, boxes, Path(folder)).items():
            try:
                network = _walking(cut, f"{path.name} cut to {key}")
            except ValueError as exc:
                network = exc
            cut.unlink()  # parsed: free its disk while the caller stores the network
            yield key, network


def _existing(path) -> Path:
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: file not found")
    return path


def _walking(path: Path, label: str | None = None) -> WalkNetwork:
    # deferred: pyrosm (and its Cython parser) is needed only when a network is imported
    import pyrosm

    nodes, edges = pyrosm.OSM(str(path)).get_network(network_type="walking", nodes=True)
    if nodes is None or edges is None or len(edges) == 0:
        raise ValueError(f"{label or Path(path).name}: no walkable ways in this extract")
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
