"""Walking networks: compressed arrays in files beside the database, listed in ``networks``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import numpy as np
from scipy import sparse
from sqlalchemy import delete, insert, select

from app.domain.network import WalkNetwork
from app.storage.schema import datasets, networks

OSM_ATTRIBUTION = "© OpenStreetMap contributors (ODbL)"


@dataclass(frozen=True)
class StoredNetwork:
    """One row of ``networks``."""

    name: str
    path: Path
    crs: str
    nodes: int
    edges: int


class NetworkStore:
    """Save, list and load walking networks.

    Parameters
    ----------
    engine : Engine
        The application's database.
    directory : Path
        Where the ``.npz`` files are written (``NETWORK_DIR``).
    """

    def __init__(self, engine, directory: Path):
        self.engine = engine
        self.directory = Path(directory)
        self._loaded: dict[str, tuple[float, WalkNetwork]] = {}

    def save(self, name: str, network: WalkNetwork, source_file: str) -> StoredNetwork:
        """Write the arrays and record the network with its dataset in one transaction.

        Returns
        -------
        StoredNetwork
            What was stored.
        """
        self.directory.mkdir(parents=True, exist_ok=True)
        target = self.directory / f"{name}.npz"
        coo = network.graph.tocoo()
        np.savez_compressed(target, xy=network.xy, row=coo.row, col=coo.col, data=coo.data,
                            crs=np.array(network.crs))
        stored = StoredNetwork(name, target, network.crs, len(network.xy), int(coo.nnz // 2))
        key = f"network:{name}"
        with self.engine.begin() as conn:
            conn.execute(delete(datasets).where(datasets.c.key == key))
            dataset_id = conn.execute(insert(datasets).values(
                key=key, layer="network", title=f"walking network {name}", source_file=source_file,
                attribution=OSM_ATTRIBUTION, licence="ODbL", source_date="", notes="", status="loaded",
                city_code="", imported_at=datetime.now(UTC), record_count=stored.nodes,
            )).inserted_primary_key[0]
            conn.execute(delete(networks).where(networks.c.name == name))
            conn.execute(insert(networks).values(dataset_id=dataset_id, name=name, path=str(target),
                                                 crs=stored.crs, nodes=stored.nodes, edges=stored.edges))
        return stored

    def stored(self) -> list[StoredNetwork]:
        """Every recorded network, by name."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(networks).order_by(networks.c.name)).all()
        return [StoredNetwork(r.name, Path(r.path), r.crs, r.nodes, r.edges) for r in rows]

    def load(self, stored: StoredNetwork) -> WalkNetwork:
        """The network's graph, cached until its file changes."""
        stamp = stored.path.stat().st_mtime
        cached = self._loaded.get(stored.name)
        if cached and cached[0] == stamp:
            return cached[1]
        with np.load(stored.path) as data:
            n = len(data["xy"])
            graph = sparse.csr_matrix((data["data"], (data["row"], data["col"])), shape=(n, n))
            network = WalkNetwork(xy=data["xy"], graph=graph, crs=str(data["crs"]))
        self._loaded[stored.name] = (stamp, network)
        return network

    def covering(self, points: gpd.GeoDataFrame, name: str | None = None) -> WalkNetwork | None:
        """The named network, or the first whose extent holds nine in ten of ``points``."""
        for stored in self.stored():
            if (name and stored.name != name) or not stored.path.exists():
                continue
            network = self.load(stored)
            xy = points.to_crs(network.crs)
            minx, miny = network.xy.min(axis=0)
            maxx, maxy = network.xy.max(axis=0)
            inside = ((xy.geometry.x >= minx) & (xy.geometry.x <= maxx) &
                      (xy.geometry.y >= miny) & (xy.geometry.y <= maxy)).mean()
            if name or inside >= 0.9:
                return network
        return None
