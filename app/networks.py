"""Walking networks imported from OpenStreetMap, kept as compressed arrays beside the database."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
from scipy import sparse

from app.domain.network import WalkNetwork, load_osm_walking
from app.storage.repository import DatasetMeta, Repository

OSM_ATTRIBUTION = "© OpenStreetMap contributors (ODbL)"


class NetworkStore:
    def __init__(self, repo: Repository, directory: Path):
        self.repo = repo
        self.directory = Path(directory)
        self._loaded: dict[str, tuple[float, WalkNetwork]] = {}

    def import_osm(self, path: Path, name: str | None = None) -> dict:
        path = Path(path)
        if not path.exists():
            raise FileNotFoundError(f"{path}: file not found")
        network = load_osm_walking(path)
        name = name or path.name.split(".")[0]
        self.directory.mkdir(parents=True, exist_ok=True)
        target = self.directory / f"{name}.npz"
        coo = network.graph.tocoo()
        np.savez_compressed(target, xy=network.xy, row=coo.row, col=coo.col, data=coo.data,
                            crs=np.array(network.crs))
        self.repo.replace_dataset(DatasetMeta(
            key=f"network:{name}", layer="network", title=f"walking network {name}",
            source_file=path.name, attribution=OSM_ATTRIBUTION, licence="ODbL",
            notes=f"file:{target}"))
        return {"name": name, "nodes": len(network.xy), "edges": int(coo.nnz // 2), "crs": network.crs}

    def _load(self, name: str, file: Path) -> WalkNetwork:
        stamp = file.stat().st_mtime
        cached = self._loaded.get(name)
        if cached and cached[0] == stamp:
            return cached[1]
        data = np.load(file)
        n = len(data["xy"])
        graph = sparse.csr_matrix((data["data"], (data["row"], data["col"])), shape=(n, n))
        network = WalkNetwork(xy=data["xy"], graph=graph, crs=str(data["crs"]))
        self._loaded[name] = (stamp, network)
        return network

    def covering(self, points: gpd.GeoDataFrame, name: str | None = None) -> WalkNetwork | None:
        """The named network, or the first whose extent holds nine in ten of ``points``."""
        for dataset in self.repo.datasets():
            if dataset["layer"] != "network" or not dataset["notes"].startswith("file:"):
                continue
            key = dataset["key"].split(":", 1)[1]
            file = Path(dataset["notes"][5:])
            if (name and key != name) or not file.exists():
                continue
            network = self._load(key, file)
            xy = points.to_crs(network.crs)
            minx, miny = network.xy.min(axis=0)
            maxx, maxy = network.xy.max(axis=0)
            inside = ((xy.geometry.x >= minx) & (xy.geometry.x <= maxx) &
                      (xy.geometry.y >= miny) & (xy.geometry.y <= maxy)).mean()
            if name or inside >= 0.9:
                return network
        return None
