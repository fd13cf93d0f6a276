"""Finding a place a resident types: an address or 町丁目, a station, or a listed resource.

Addresses are read by the importers' own offline geocoder, in each stored city in turn (a
resident writes 「西町4丁目」 without the city). A point is the 町丁目's representative point, and
the result says so: the house number is not located.
"""

from __future__ import annotations

import shapely

from app.domain.geocoding import Geocoder
from app.domain.kinds import RESOURCE_KINDS
from app.domain.targets import CATEGORIES
from app.domain.text import nfkc
from app.domain.walking import WalkingModel
from app.services._stores import uses_stores
from app.services.nearby import nearest_places
from app.storage.repository import Repository

KINDS = ("address", "chome", "station", "resource")
NOTE_ADDRESS = ("番地までは特定していません（町丁目の代表点） / the house number is not located: "
                "the 町丁目's point")
NOTE_CHOME = "町丁目の代表点 / the 町丁目's representative point"


# A query that is only the name of a kind of place (「福祉避難所」) asks for the nearest ones.
KIND_WORDS = {"福祉避難所": ("shelter", True), "避難所": ("shelter", False),
              "避難場所": ("emergency_site", False), "緊急避難場所": ("emergency_site", False),
              "サロン": ("salon", False), "自販機": ("vending_machine", False),
              **{k.label_ja: (k.key, False) for k in RESOURCE_KINDS.values() if k.public},
              **{k.label_en.lower(): (k.key, False) for k in RESOURCE_KINDS.values() if k.public}}
CATEGORY_WORDS = {label: key for key, (ja, en) in CATEGORIES.items() for label in (ja, en.lower())}


@uses_stores
def find_places(repo: Repository, geocoder: Geocoder | None, q: str, *, limit: int = 10,
                visible_cities=(), near: tuple[float, float] | None = None) -> list[dict]:
    """Places matching ``q``, addresses first, then stations, then resources.

    A ``q`` that names a kind of place or a category (「福祉避難所」, 「子ども食堂」) gives the
    places of that kind nearest to ``near`` (lon, lat; the map's centre), or any of them.

    Returns
    -------
    list of dict
        ``type`` (one of ``KINDS``), ``label``, ``lon``, ``lat``, ``city_code``, and
        ``level``/``note`` for addresses, ``kind``/``id``/``address`` and the stored ``row``
        for resources.
    """
    text = nfkc(q)
    found = _addresses(repo, geocoder, text) + _stations(repo, text)
    rows = _of_kind(repo, text.lower(), near, limit, visible_cities)
    if rows is None:
        rows = repo.find_resources(q=text, limit=limit, placed_only=True, restricted_cities=visible_cities)
    for row in rows:
        lon, lat = row["geometry"]["coordinates"]
        found.append({"type": "resource", "label": row["name"], "lon": lon, "lat": lat,
                      "city_code": row["city_code"], "kind": row["kind"], "id": row["id"],
                      "address": row["address"], "row": row})
    return found[:limit]


def _of_kind(repo: Repository, word: str, near, limit: int, visible_cities) -> list[dict] | None:
    """The places ``word`` names as a kind or category, nearest first; None when it names none."""
    if word in KIND_WORDS:
        (kind, welfare), category = KIND_WORDS[word], None
    elif word in CATEGORY_WORDS:
        kind, welfare, category = None, False, CATEGORY_WORDS[word]
    else:
        return None
    kinds = [kind] if kind else ["salon", "hub"]

    def keep(row) -> bool:
        return (not welfare or row["welfare_shelter"]) and (category is None or row["category"] == category)

    if near is None:
        found = repo.find_resources(kinds=kinds, placed_only=True, limit=2000,
                                    restricted_cities=visible_cities)
        return [r for r in found if keep(r)][:limit]
    # Within about 5 km if any is there, else the nearest anywhere.
    return nearest_places(repo, *near, limit, WalkingModel(), kinds=kinds, keep=keep,
                          visible_cities=visible_cities, radii=(0.05, None), enough=1)


def _addresses(repo: Repository, geocoder: Geocoder | None, text: str) -> list[dict]:
    if geocoder is None:
        return []
    cities = repo.city_names()
    codes = {name: code for code, name in cities.items()}
    out, seen = [], set()
    for city in geocoder.cities_naming(text, [c for c in cities.values() if _in_city(text, c, cities)]):
        code = codes[city]
        hit = geocoder.geocode(text, city)
        if hit is None or (code, hit.town) in seen:
            continue
        seen.add((code, hit.town))
        rest = hit.rest.strip()
        out.append({"type": "address" if rest else "chome", "label": f"{city}{hit.town}{rest}",
                    "lon": round(hit.lon, 6), "lat": round(hit.lat, 6), "city_code": code, "level": "町丁目",
                    "town": hit.town,
                    "note": NOTE_ADDRESS if rest else NOTE_CHOME})
    return out


def _in_city(text: str, city: str, cities: dict[str, str]) -> bool:
    """A text naming a city is looked up in that city only (「国分寺市本町」 is not 武蔵野's)."""
    named = [name for name in cities.values() if name in text]
    return not named or city in named


def _stations(repo: Repository, text: str) -> list[dict]:
    name = text.removesuffix("駅")
    if not name:
        return []
    frame = repo.find_context(layer="station", q=name, limit=20)
    out = []
    for station, group in frame.groupby("name", sort=False):
        point = shapely.centroid(shapely.union_all(group.geometry.to_numpy()))
        out.append({"type": "station", "label": f"{station}駅", "lon": round(point.x, 6),
                    "lat": round(point.y, 6), "city_code": ""})
    return out
