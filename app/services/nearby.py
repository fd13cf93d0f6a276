"""The places nearest a point: a search box widened until enough are found, then ranked by walk.

Shared by near-me, the household card and the search for a kind of place, so that each asks
the database for one box at a time and ranks the same way (``domain.walking.nearest``).
"""

from __future__ import annotations

from app.domain.risk import NEAR_MINUTES, near_limit_m, risks_here
from app.domain.targets import open_to_all
from app.domain.walking import WalkingModel, nearest
from app.services import programmes
from app.services._stores import uses_stores
from app.services.risk import hazard_areas_held
from app.storage.repository import Repository

RADII_DEG = (0.01, 0.03, 0.1, 0.3)  # about 1, 3, 10 and 30 km
# Rows read per box, nearest first; grown (to WIDEST) only while ``keep`` turns too many away. Places
# stacked on one point (a list placed at its 町丁目) then cost a page, not the whole stack.
FIRST_PAGE, WIDEST = 100, 3200


def nearest_places(repo: Repository, lon: float, lat: float, n: int, model: WalkingModel, *, kinds,
                   hazard: str | None = None, keep=None, visible_cities=(), radii=RADII_DEG,
                   enough: int | None = None) -> list[dict]:
    """The ``n`` places of ``kinds`` nearest (``lon``, ``lat``) that ``keep`` accepts, nearest first.

    The box grows through ``radii`` (degrees; None: anywhere) until ``enough`` places (``n`` by
    default) are inside it. Each row gains ``lon``/``lat`` and the distances of ``nearest``.
    """
    want = n if enough is None else enough
    rows: list[dict] = []
    for radius in radii:
        box = None if radius is None else (lon - radius, lat - radius, lon + radius, lat + radius)
        page = max(FIRST_PAGE, 4 * want)
        while True:
            found = repo.find_resources(kinds=list(kinds), bbox=box, hazard=hazard, placed_only=True,
                                        limit=page, restricted_cities=tuple(visible_cities), near=(lon, lat))
            rows = [r for r in found if keep is None or keep(r)]
            if len(rows) >= want or len(found) < page or page >= WIDEST:
                break
            page = min(4 * page, WIDEST)
        if len(rows) >= want:
            break
    for row in rows:
        row["lon"], row["lat"] = row["geometry"]["coordinates"]
    return nearest((lon, lat), rows, n, model)


def offered_here(row: dict, city: str, city_name: str) -> bool:
    """Is a place offered to someone in ``city``? Another city's programme only where it says so."""
    programme = row.get("programme")
    if not programme or row.get("city_code") in ("", city):
        return True
    return bool(city_name) and city_name in (programme.get("rules") or "")


@uses_stores
def near_answer(repo: Repository, lon: float, lat: float, n: int, model: WalkingModel, *, kinds,
                hazard: str | None = None, minutes: float = NEAR_MINUTES) -> dict:
    """Near-me: the risk here, then the nearest places within ``minutes``, or why there are none.

    Returns
    -------
    dict
        ``risks`` (sentences, insides first), ``results`` (each with its walk), ``beyond`` (the
        nearest place farther than the limit, or None), ``note`` (why no result: no list for the
        city, or none within the walk), ``city_code`` and ``limit_minutes``.
    """
    areas = repo.areas_at(lon, lat)
    city = next((a["city_code"] for a in areas if a["kind"] == "city"), "")
    city_name = repo.city_names().get(city, "")
    # A 指定避難所 asked for as such is one open to all; a site reserved for a group is that group's
    # welfare shelter (search 「福祉避難所」), never a resident's nearest shelter.
    keep = (lambda r: open_to_all(r["targets"])) if list(kinds) == ["shelter"] else None
    found = programmes.attach(repo, nearest_places(repo, lon, lat, n, model, kinds=kinds, hazard=hazard,
                                                   keep=keep, enough=n + 5))
    found = [r for r in found if offered_here(r, city, city_name)]
    limit_m = near_limit_m(model.pace_m_per_min, minutes)
    results = [r for r in found if r["walk_m"] <= limit_m]
    beyond = next((r for r in found if r["walk_m"] > limit_m), None) if not results else None
    note = ""
    if not results:
        listed = city and repo.count_resources(kinds=list(kinds), city=city, include_restricted=True)
        note = "この市の一覧はまだ入っていません" if city and not listed else "歩いて行ける範囲にありません"
    return {"risks": risks_here(areas, hazard_areas_held(repo)), "results": results, "beyond": beyond,
            "note": note, "city_code": city, "limit_minutes": minutes}
