"""What an answer rests on: which places counted and why others did not, and the data's limits.

A figure that depends on a list the publisher does not have is unknown, not low: these
functions name such gaps so that every result (API, CLI, CSV, HTML, page) can say them.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.targets import TARGET_GROUPS, serves
from app.storage.repository import Repository


def places(repo: Repository, kinds, query):
    """The placed places of ``kinds`` in the query's city that the caller may see."""
    return repo.resources_frame(kinds=list(kinds), city=query.city, placed_only=True,
                                restricted_cities=query.visible_cities)


def accounting(repo: Repository, kinds, query, frame=None) -> dict:
    """The places of ``kinds`` in the query's city: counted, and left out with the reason.

    Private places the caller may not see appear only as a number, never by name or place.
    ``frame``: those places when already read (``places``).
    """
    frame = places(repo, kinds, query) if frame is None else frame
    counted, left_out = [], []
    for row in frame.itertuples():
        reason = _reason(row, query)
        entry = {"id": int(row.id), "name": row.name, "private": bool(row.restricted)}
        (left_out if reason else counted).append({**entry, **({"reason": reason} if reason else {})})
    every = repo.count_resources(kinds=list(kinds), city=query.city, placed_only=True,
                                 include_restricted=True)
    return {"counted": counted, "left_out": left_out,
            "private_not_shown": max(0, every - len(frame)),
            "private_counted": sum(1 for c in counted if c["private"])}


def _reason(row, query) -> str:
    if int(row.id) in query.remove:
        return "removed in this what-if"
    if not serves(row.targets or [], query.target):
        groups = ", ".join(row.targets or []) or "no recognisable target group"
        return f"for {groups}, not for {TARGET_GROUPS[query.target][1].lower()}"
    if query.category and row.category != query.category:
        return f"category {row.category or 'unknown'}, not {query.category}"
    return ""


@dataclass(frozen=True)
class AreaNotes:
    """What the areas of an answer were: cities whose districts are approximate, or the city whole."""

    approximate_cities: frozenset
    whole_city: bool


def unlisted_emergency_sites(repo: Repository) -> set[str]:
    """Cities whose publisher says it has no 指定緊急避難場所 list."""
    return {city for kind, city in repo.unavailable_lists() if kind == "emergency_site"}


def unflagged_welfare(shelters) -> set[str]:
    """Cities whose listed shelters name no 受入対象者: their welfare shelters are unknown."""
    listed = shelters[shelters["city_code"] != ""]  # what-if sites belong to no city
    flagged = listed.groupby("city_code")["welfare_shelter"].any()
    return {city for city, any_flag in flagged.items() if not any_flag}


def unpublished_lists(repo: Repository, city: str) -> set[str]:
    """Which of ``emergency_site`` and ``welfare_shelter`` the publisher of ``city`` leaves unknown."""
    out = {"emergency_site"} if city in unlisted_emergency_sites(repo) else set()
    shelters = repo.resources_frame(kinds=["shelter"], city=city)
    if len(shelters) and city in unflagged_welfare(shelters):
        out.add("welfare_shelter")
    return out


def data_limits(repo: Repository, query, notes: AreaNotes,
                unknown: dict[str, set[str]] | None = None) -> list[str]:
    """Sentences naming every limit of the data that affects this answer.

    ``unknown``: reach layer → the answer's cities where that layer cannot be known.
    """
    names = repo.city_names()
    out = []
    if notes.whole_city:
        out.append(f"{names.get(query.city, query.city)} has no {query.area_kind} areas loaded: the whole "
                   "city is answered as one area")
    if notes.approximate_cities:
        cities = "、".join(sorted(names.get(c, c) for c in notes.approximate_cities))
        out.append(f"{query.area_kind} boundaries of {cities} are approximate (nearest school), "
                   "not the official zones")
    unknown = unknown or {}
    for city in sorted(unknown.get("emergency_site", ())):
        out.append(f"{names.get(city, city)} publishes no 指定緊急避難場所 list: emergency-site reach is "
                   "unknown there (—), not 0")
    for city in sorted(unknown.get("welfare_shelter", ())):
        out.append(f"no 受入対象者 published for {names.get(city, city)}: welfare-shelter reach "
                   "unknown (—)")
    if query.target:
        out.append(f"only places for {TARGET_GROUPS[query.target][1].lower()} or for everyone are counted")
    return out


LAYER_NAMES = {"shelter": "指定避難所", "emergency_site": "指定緊急避難場所"}


def not_loaded_limits(repo: Repository, not_loaded: dict[str, set[str]]) -> list[str]:
    """Sentences for cities that have none of a layer loaded (a list not imported yet)."""
    names = repo.city_names()
    return [f"no {LAYER_NAMES[layer]} are loaded for {names.get(city, city)}: {layer.replace('_', ' ')} "
            "reach is unknown (—), not 0; import the list (fureai import shelters)"
            for layer, cities in not_loaded.items() for city in sorted(cities)]


def city_capacity(repo: Repository, demand, cities: set[str]) -> list[dict]:
    """Published shelter capacity totals per city, beside the demand of the city's areas.

    The GSI lists carry no capacity per site, so this is the capacity figure of a city until a
    council's list is imported; each total keeps its basis and date, as the councils stated them.
    """
    names = repo.city_names()
    pieces = demand.pieces
    out = []
    for row in repo.city_statistics(topic="shelter_capacity"):
        if row["city_code"] not in cities or row["unit"] != "people":
            continue
        people = float(pieces.loc[pieces["area_city"] == row["city_code"], "weight"].sum())
        out.append({"city_code": row["city_code"], "city": names.get(row["city_code"], row["city_code"]),
                    "capacity": row["value"], "basis": row["label"], "as_of": row["as_of"],
                    "notes": row["notes"], "demand": round(people, 1), "measure": demand.measure,
                    "demand_per_place": round(people / row["value"], 2) if row["value"] else None})
    return out
