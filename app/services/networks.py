"""Walking networks from OpenStreetMap extracts: read with the importer, kept by the store."""

from __future__ import annotations

from pathlib import Path

from app.importers.osm import load_osm_walking
from app.storage.networks import NetworkStore, StoredNetwork


def import_network(store: NetworkStore, path: Path, name: str | None = None) -> StoredNetwork:
    """Build the walkable network of an ``.osm.pbf`` extract and store it under ``name``.

    Returns
    -------
    StoredNetwork
        Name, file, CRS, node and edge counts.
    """
    path = Path(path)
    network = load_osm_walking(path)
    return store.save(name or path.name.split(".")[0], network, path.name)
