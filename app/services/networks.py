"""Walking networks from OpenStreetMap extracts: read with the importer, kept by the store."""

from __future__ import annotations

import math
from pathlib import Path

from app.importers.osm import load_osm_walking, walking_by_box
from app.services._stores import uses_stores
from app.storage.networks import NetworkStore, StoredNetwork
from app.storage.repository import Repository

CITY_MARGIN_M = 2_000  # kept around a city's boundary, so that walks across its edge are not cut


@uses_stores
def import_network(store: NetworkStore, path: Path, name: str | None = None,
                   bbox: tuple[float, ...] | None = None) -> StoredNetwork:
    """Build the walkable network of an ``.osm.pbf`` extract (cut to ``bbox``) and store it under ``name``.

    Returns
    -------
    StoredNetwork
        Name, file, CRS, node and edge counts.
    """
    path = Path(path)
    network = load_osm_walking(path, bbox)
    return store.save(name or path.name.split(".")[0], network, path.name)


@uses_stores
def import_city_networks(store: NetworkStore, repo: Repository, path: Path, cities: list[str],
                         margin_m: float = CITY_MARGIN_M, progress=None) -> dict[str, StoredNetwork | str]:
    """One walking network per city, cut from the regional extract ``path`` in a single osmium pass.

    Each is stored as ``<extract>-<code>`` (re-running replaces it). A city whose cut has no
    walkable ways is reported and the others go on.

    Returns
    -------
    dict
        City code → its ``StoredNetwork``, or the sentence saying why it has none.

    Raises
    ------
    ValueError
        When a city has no stored boundary (before anything is cut), or osmium fails.
    """
    path = Path(path)
    boxes = {code: city_box(repo, code, margin_m) for code in cities}
    stem = path.name.split(".")[0]
    done: dict[str, StoredNetwork | str] = {}
    for code, network in walking_by_box(path, boxes):
        done[code] = str(network) if isinstance(network, Exception) else \
            store.save(f"{stem}-{code}", network, path.name)
        if progress:
            progress(code, done[code], len(done), len(boxes))
    return done


@uses_stores
def city_box(repo: Repository, code: str, margin_m: float = CITY_MARGIN_M) -> tuple[float, ...]:
    """The lon/lat box of city ``code``'s boundary widened by ``margin_m``.

    Raises
    ------
    ValueError
        When the city's boundary is not stored.
    """
    cities = repo.areas_frame(kind="city", city=code)
    if cities.empty:
        raise ValueError(f"city {code} has no stored boundary; import it first (`fureai city add {code}`)")
    minx, miny, maxx, maxy = cities.total_bounds
    dlat = margin_m / 111_320
    dlon = dlat / math.cos(math.radians((miny + maxy) / 2))
    return (minx - dlon, miny - dlat, maxx + dlon, maxy + dlat)
