"""わが家の防災・福祉カード: what one household needs to know about the places near its home.

For one point (a typed address or coordinates): its school district and 町丁目, the nearest
指定避難所 and welfare shelter, the nearest 指定緊急避難場所 for each hazard, and the nearest places
for older people, each with walking minutes at the chosen pace. What the data cannot say (a list
the city does not publish) is said, never left as an empty line.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.domain.kinds import HAZARDS
from app.domain.walking import WalkingModel
from app.services import analysis_limits as limits
from app.services.directory import responsible
from app.services.nearby import nearest_places
from app.services.places import find_places
from app.storage.repository import Repository

SEARCH_RADII_DEG = (0.01, 0.03, 0.06)  # widen until enough are found (about 1, 3 and 6 km)
SALONS_SHOWN = 3
# Farther than this is not a place to walk to (about 90 minutes at 43 m/min): said as none near.
MAX_WALK_M = 4000
FOR_OLDER = {"older", "older_living_alone", "everyone"}


class CardError(ValueError):
    """The card cannot be made for this input; the message says what to type instead."""


@dataclass
class Card:
    """Everything printed on one household's card."""

    lon: float
    lat: float
    place: str  # what the household typed, as found (「国分寺市西町四丁目12-3」)
    pace: float
    districts: list[dict] = field(default_factory=list)
    shelter: dict | None = None
    welfare_shelter: dict | None = None
    emergency: dict[str, dict | None] = field(default_factory=dict)  # hazard key → nearest site
    desks: list[dict] = field(default_factory=list)  # the 相談窓口 whose 担当区域 holds the home
    desk_note: str = ""  # why none is named
    salons: list[dict] = field(default_factory=list)
    limits: list[str] = field(default_factory=list)


def locate(repo: Repository, geocoder, address: str) -> tuple[float, float, str]:
    """(lon, lat, label) of a typed address, at its 町丁目's point; ``CardError`` when not found."""
    found = [p for p in find_places(repo, geocoder, address, limit=5) if p["type"] in ("address", "chome")]
    if not found:
        raise CardError(f"address {address!r} matched no 町丁目 of the stored cities; write it as on a "
                        "letter, e.g. 国分寺市西町4-12-3 or 西町四丁目")
    return found[0]["lon"], found[0]["lat"], found[0]["label"]


def _nearest(repo: Repository, kind: str, lon: float, lat: float, model: WalkingModel, n: int = 1,
             hazard: str | None = None, keep=None) -> list[dict]:
    found = nearest_places(repo, lon, lat, n, model, kinds=[kind], hazard=hazard, keep=keep,
                           radii=SEARCH_RADII_DEG)
    return [r for r in found if r["walk_m"] <= MAX_WALK_M]


def household_card(repo: Repository, lon: float, lat: float, place: str = "", pace: float = 43.0) -> Card:
    """The card of the household at (``lon``, ``lat``), walking at ``pace`` m/min."""
    model = WalkingModel(pace_m_per_min=pace)
    areas = repo.areas_at(lon, lat)
    cities = [a["city_code"] for a in areas if a["kind"] == "city"]
    if not cities:
        raise CardError(f"({lat}, {lon}) is in none of the stored cities; choose a point inside one")
    card = Card(lon=lon, lat=lat, place=place, pace=pace,
                districts=[a for a in areas if a["kind"] == "school_district"])
    card.shelter = next(iter(_nearest(repo, "shelter", lon, lat, model)), None)
    card.welfare_shelter = next(iter(_nearest(repo, "shelter", lon, lat, model,
                                              keep=lambda r: r["welfare_shelter"])), None)
    card.emergency = {h: next(iter(_nearest(repo, "emergency_site", lon, lat, model, hazard=h)), None)
                      for h in HAZARDS}
    for_older = _nearest(repo, "salon", lon, lat, model, SALONS_SHOWN,
                         keep=lambda r: bool(FOR_OLDER & set(r["targets"] or [])))
    card.salons = for_older
    answer = responsible(repo, lon, lat)
    card.desks, card.desk_note = answer["desks"], answer["note"]
    card.limits = _limits(repo, cities[0], card)
    return card


def _limits(repo: Repository, city: str, card: Card) -> list[str]:
    name = repo.city_names().get(city, city)
    missing = limits.unpublished_lists(repo, city)
    out = []
    if "emergency_site" in missing:
        out.append(f"{name}は指定緊急避難場所の一覧を公開していません。下の緊急避難場所は近くの市のものです。"
                   "市の防災マップで確認してください。")
    if "welfare_shelter" in missing:
        out.append(f"{name}の公開データには福祉避難所の受入対象者がありません。福祉避難所は市に確認してください。")
    if any(a["provenance"] == "approximate" for a in card.districts):
        out.append("小学校区は最寄りの小学校による近似です。公式の通学区域は市に確認してください。")
    if not card.desks:
        out.append("この場所を担当する相談窓口（地域包括支援センターなど）は、この地図のデータでは分かりません。"
                   "市に確認してください。")
    return out
