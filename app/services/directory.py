"""Which desk is mine: the 相談窓口 whose 担当区域 holds a point.

A desk's 担当区域 is the 町丁目 list it was published with (its 担当区域 / 対象地域 column), stored
as a declared catchment linked to the desk (``fureai areas catchments --kind consultation_desk``).
A city that publishes no 担当区域 gets an answer that says so, never the nearest desk as if it
were the responsible one.
"""

from __future__ import annotations

from app.services._stores import uses_stores
from app.services.kept import kept
from app.storage.repository import Repository

DESK_KIND = "consultation_desk"


@uses_stores
def responsible(repo: Repository, lon: float, lat: float, kind: str = DESK_KIND, areas=None) -> dict:
    """The public places of ``kind`` responsible for (``lon``, ``lat``), and a note when none.

    ``areas``: the areas at the point when the caller has read them already (``areas_at``).

    Returns
    -------
    dict
        ``desks`` (stored rows), ``city_code`` of the point, and ``note`` (empty when found).
    """
    areas = repo.areas_at(lon, lat) if areas is None else areas
    city = next((a["city_code"] for a in areas if a["kind"] == "city"), "")
    ids = [a["resource_id"] for a in areas if a["kind"] == "catchment" and a["resource_id"]]
    desks = repo.find_resources(ids=ids, kinds=[kind], placed_only=False) if ids else []
    if desks:
        return {"desks": desks, "city_code": city, "note": ""}
    name = repo.city_names().get(city, city) or "this point"
    has_areas = bool(city) and kept(repo, ("desk_areas", kind, city), lambda: _has_areas(repo, kind, city))
    note = (f"the point is in none of the 担当区域 published for {name}" if has_areas else
            f"no 担当区域 of {kind.replace('_', ' ')}s is loaded for {name}: which one is responsible "
            "is not known here; ask the city")
    return {"desks": [], "city_code": city, "note": note}


def _has_areas(repo: Repository, kind: str, city: str) -> bool:
    """Whether ``city`` publishes a 担当区域 for any of its places of ``kind``."""
    declared = repo.areas_frame(kind="catchment", city=city)
    listed = repo.resources_frame(kinds=[kind], city=city)
    return bool(len(listed)) and bool(declared["resource_id"].isin(listed["id"]).any())
