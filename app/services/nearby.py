"""The places nearest a point: a search box widened until enough are found, then ranked by walk.

Shared by near-me, the household card and the search for a kind of place, so that each asks
the database for one box at a time and ranks the same way (``domain.walking.nearest``).
"""

from __future__ import annotations

from app.domain.walking import WalkingModel, nearest
from app.storage.repository import Repository

RADII_DEG = (0.01, 0.03, 0.1, 0.3)  # about 1, 3, 10 and 30 km


def nearest_places(repo: Repository, lon: float, lat: float, n: int, model: WalkingModel, *, kinds,
                   hazard: str | None = None, keep=None, visible_cities=(), radii=RADII_DEG,
                   enough: int | None = None) -> list[dict]:
    """The ``n`` places of ``kinds`` nearest (``lon``, ``lat``) that ``keep`` accepts, nearest first.

    The box grows through ``radii`` (degrees; None: anywhere) until ``enough`` places (``n`` by
    default) are inside it. Each row gains ``lon``/``lat`` and the distances of ``nearest``.
    """
    rows: list[dict] = []
    for radius in radii:
        box = None if radius is None else (lon - radius, lat - radius, lon + radius, lat + radius)
        found = repo.find_resources(kinds=list(kinds), bbox=box, hazard=hazard, placed_only=True, limit=2000,
                                    restricted_cities=tuple(visible_cities))
        rows = [r for r in found if keep is None or keep(r)]
        if len(rows) >= (n if enough is None else enough):
            break
    for row in rows:
        row["lon"], row["lat"] = row["geometry"]["coordinates"]
    return nearest((lon, lat), rows, n, model)
