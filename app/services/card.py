"""わが家の防災・福祉カード: what one household needs to know about the places near its home.

For one point (a typed address or coordinates): its school district and 町丁目, the nearest
指定避難所 and welfare shelter, the nearest 指定緊急避難場所 for each hazard, and the nearest places
for older people, each with walking minutes at the chosen pace. What the data cannot say (a list
the city does not publish) is said, never left as an empty line.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.domain.kinds import HAZARDS
from app.domain.risk import Risk, near_limit_m, risks_here
from app.domain.said import Said
from app.domain.targets import WELFARE_LINES, in_target_area, open_to_all, serves, serves_part_of, welfare_for
from app.domain.walking import WalkingModel, nearest
from app.services import analysis_limits as limits
from app.services._stores import uses_stores
from app.services.catalogue import context_around
from app.services.directory import responsible
from app.services.nearby import nearest_places
from app.services.places import find_places
from app.services.risk import hazard_areas_held
from app.storage.repository import Repository

# One box of about 6 km: its rows come nearest first and a page at a time (``services.nearby``), so
# the box bounds the search and the page the reading; growing boxes would only add round trips.
SEARCH_RADII_DEG = (0.06,)
SALONS_SHOWN = 3
FOR_OLDER = "older"  # the card's places are for older people, some of them, or everyone
FAR_FACTOR = 2.0  # beyond the walking limit, the nearest is named up to twice as far (an hour)


class CardError(ValueError):
    """The card cannot be made for this input; the message says what to type instead."""


@dataclass
class Card:
    """Everything printed on one household's card.

    Each "nearest" is within ``near_m`` (a half-hour walk at the card's pace) or None; where the
    nearest lies farther, ``far`` keeps it under the same key, said as not within walking reach.
    """

    lon: float
    lat: float
    place: str  # what the household typed, as found (「国分寺市西町四丁目12-3」)
    pace: float
    town: str = ""  # the 町丁目 (「東恋ケ窪二丁目」) when the place was typed
    near_m: float = 0.0
    districts: list[dict] = field(default_factory=list)
    risks: list[Risk] = field(default_factory=list)
    shelter: dict | None = None  # the nearest general 指定避難所 (never a welfare-only site)
    welfare: dict[str, dict | None] = field(default_factory=dict)  # WELFARE_LINES key → nearest
    emergency: dict[str, dict | None] = field(default_factory=dict)  # hazard key → nearest site
    far: dict[str, dict] = field(default_factory=dict)  # "shelter", a line or hazard key → beyond reach
    no_site: list[str] = field(default_factory=list)  # hazards no site anywhere near is designated for
    desks: list[dict] = field(default_factory=list)  # the 相談窓口 whose 担当区域 holds the home
    desk_note: str = ""  # why none is named
    salons: list[dict] = field(default_factory=list)
    salon_note: Said | str = ""  # why none is offered (no list for the city, none in reach)
    limits: list[Said] = field(default_factory=list)

    @property
    def welfare_shelter(self) -> dict | None:
        """The nearest welfare shelter for older people and people with disabilities."""
        return self.welfare.get("older_disabled")


@uses_stores
def locate_town(repo: Repository, geocoder, address: str) -> tuple[float, float, str, str]:
    """(lon, lat, label, 町丁目) of a typed address; ``CardError`` when not found."""
    found = [p for p in find_places(repo, geocoder, address, limit=5) if p["type"] in ("address", "chome")]
    if not found:
        raise CardError(Said("card_no_match", address=address))
    return found[0]["lon"], found[0]["lat"], found[0]["label"], found[0].get("town", "")


@uses_stores
def town_at(repo: Repository, geocoder, lon: float, lat: float) -> tuple[str, str]:
    """(label, 町丁目) nearest a point of the map, 「国分寺市本多一丁目付近」, or ("", "") without data.

    A card opened from the map names the place as a resident knows it, not by its coordinates;
    the 町丁目 also decides which programmes' declared areas hold the home.
    """
    city = next((a["city_code"] for a in repo.areas_at(lon, lat) if a["kind"] == "city"), "")
    name = repo.city_names().get(city, "")
    towns = geocoder.towns(name) if geocoder and name else []
    if not towns:
        return "", ""
    found = nearest((lon, lat), [{"lon": t.lon, "lat": t.lat, "town": t.town} for t in towns], 1,
                    WalkingModel())[0]
    return f"{name}{found['town']}付近", found["town"]


def _nearest(repo: Repository, kind: str, lon: float, lat: float, model: WalkingModel, n: int = 1,
             hazard: str | None = None, keep=None) -> list[dict]:
    return nearest_places(repo, lon, lat, n, model, kinds=[kind], hazard=hazard, keep=keep,
                          radii=SEARCH_RADII_DEG)


def _within(card: Card, key: str, found: list[dict]) -> dict | None:
    """The nearest of ``found`` if within reach; else None, with the farther one kept in ``far``.

    A place more than ``FAR_FACTOR`` walks away is not named at all (a 2-hour walk is no answer).
    """
    if found and found[0]["walk_m"] > card.near_m:
        if found[0]["walk_m"] <= FAR_FACTOR * card.near_m:
            card.far[key] = found[0]
        return None
    return found[0] if found else None


def nearest_welfare(repo: Repository, lon: float, lat: float, groups, model: WalkingModel,
                    around: _Around | None = None) -> dict | None:
    """The nearest 福祉避難所 for someone of any of ``groups`` (``domain.targets.welfare_for``)."""
    around = around or _Around(repo, lon, lat, model)
    return next(iter(around.nearest("shelter", keep=lambda r: welfare_for(r["targets"], groups))), None)


class _Around:
    """The nearest places of each kind around one home, read once and then asked many questions.

    A card asks for the nearest site of each of eight hazards, three kinds of shelter and the
    salons: one page of the ``PAGE`` nearest of a kind answers most of them, in the database's
    one round trip. A question the page cannot answer (none in it qualifies and there are more
    beyond it) is asked of the database on its own, so every answer is what it was.
    """

    PAGE = 30

    def __init__(self, repo: Repository, lon: float, lat: float, model: WalkingModel):
        self.repo, self.lon, self.lat, self.model = repo, lon, lat, model
        self._pages: dict[str, list[dict]] = {}

    def nearest(self, kind: str, n: int = 1, hazard: str | None = None, keep=None) -> list[dict]:
        """The ``n`` nearest places of ``kind`` designated for ``hazard`` that ``keep`` accepts."""
        if kind not in self._pages:
            self._pages[kind] = _nearest(self.repo, kind, self.lon, self.lat, self.model, self.PAGE)
        page = self._pages[kind]
        wanted = [r for r in page if (hazard is None or hazard in r["hazards"]) and (keep is None or keep(r))]
        if len(wanted) >= n or len(page) < self.PAGE:
            return wanted[:n]
        return _nearest(self.repo, kind, self.lon, self.lat, self.model, n, hazard, keep)


@uses_stores
def household_card(repo: Repository, lon: float, lat: float, place: str = "", pace: float = 43.0,
                   town: str = "") -> Card:
    """The card of the household at (``lon``, ``lat``), walking at ``pace`` m/min."""
    model = WalkingModel(pace_m_per_min=pace)
    areas = repo.areas_at(lon, lat)
    cities = [a["city_code"] for a in areas if a["kind"] == "city"]
    if not cities:
        raise CardError(Said("card_outside", lat=lat, lon=lon))
    card = Card(lon=lon, lat=lat, place=place, pace=pace, town=town, near_m=near_limit_m(pace),
                districts=[a for a in areas if a["kind"] == "school_district"],
                risks=risks_here(areas, hazard_areas_held(repo)))
    around = _Around(repo, lon, lat, model)
    general = around.nearest("shelter", keep=lambda r: open_to_all(r["targets"]))
    card.shelter = _within(card, "shelter", general)
    for line, groups in WELFARE_LINES.items():
        found = nearest_welfare(repo, lon, lat, groups, model, around)
        card.welfare[line] = _within(card, line, [found] if found else [])
    for hazard in HAZARDS:
        found = around.nearest("emergency_site", hazard=hazard)
        nearest_site = _within(card, hazard, found)
        if nearest_site is None and hazard not in card.far:
            card.no_site.append(hazard)  # none within reach: said once with the others
        else:
            card.emergency[hazard] = nearest_site
    card.salons, card.salon_note = _salons(repo, card, cities[0], around)
    answer = responsible(repo, lon, lat, areas=areas)
    card.desks, card.desk_note = answer["desks"], answer["note"]
    card.limits = _limits(repo, cities[0], card)
    return card


def _salons(repo: Repository, card: Card, city: str, around: _Around) -> tuple[list[dict], str]:
    """Places for older people near the home that are for its residents, and why none if none."""
    def offered(row) -> bool:
        # Another city's programme is for that city's residents unless its declared area says otherwise.
        own = row["city_code"] in ("", city)
        for_older = serves(row["targets"] or [], FOR_OLDER) or serves_part_of(row["targets"] or [], FOR_OLDER)
        return for_older and own and \
            in_target_area((row.get("attributes") or {}).get("target_area", ""), card.town) is not False

    found = around.nearest("salon", SALONS_SHOWN, keep=offered)
    near = [r for r in found if r["walk_m"] <= card.near_m]
    if near:
        return near, ""
    if not repo.count_resources(kinds=["salon"], city=city, include_restricted=True):
        return [], Said("card_no_salon_list")
    return [], Said("card_no_salon_near")


def _limits(repo: Repository, city: str, card: Card) -> list[Said]:
    name = repo.city_names().get(city, city)
    missing = limits.unpublished_lists(repo, city)
    out = []
    if "emergency_site" in missing:
        out.append(Said("card_no_emergency_list", city=name))
    if "welfare_shelter" in missing:
        out.append(Said("card_no_target_text", city=name))
    out.append(Said("card_distance_basis", pace=f"{card.pace:g}"))
    if any(a["provenance"] == "approximate" for a in card.districts):
        out.append(Said("card_approximate"))
    if not card.desks:
        out.append(Said("card_no_desk"))
    return out


def surroundings(card: Card):
    """Railways, rivers and stations within about 2 km of the home, and their credits.

    What the card's small map orients by; a map that draws them says whose they are.
    """
    return context_around((card.lon - 0.025, card.lat - 0.02, card.lon + 0.025, card.lat + 0.02))
