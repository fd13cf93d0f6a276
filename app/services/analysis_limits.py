"""What an answer rests on: which places counted and why others did not, and the data's limits.

A figure that depends on a list the publisher does not have is unknown, not low: these
functions name such gaps so that every result (API, CLI, CSV, HTML, page) can say them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from app.domain.freshness import STALE_AFTER_YEARS, freshness, years_in
from app.domain.kinds import RESOURCE_KINDS
from app.domain.said import Said
from app.domain.small_counts import DEFAULT_THRESHOLD, published
from app.domain.targets import TARGET_GROUPS, narrower_groups, serves, serves_part_of
from app.services.kept import kept
from app.storage.repository import Repository


def counts_for(row, query) -> bool:
    """True when the resource counts for the query's target group and category."""
    same_category = not query.category or row["category"] == query.category
    return serves(row["targets"] or [], query.target) and same_category


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
    # How many private places were left out is a published count like any other: small ones
    # hidden, the rest rounded (an exact "2" would say which districts hold them, by differencing).
    not_shown = published(max(0, every - len(frame)), DEFAULT_THRESHOLD)
    return {"counted": counted, "left_out": left_out,
            "private_not_shown": not_shown.count, "private_not_shown_status": not_shown.status,
            "private_counted": sum(1 for c in counted if c["private"])}


def _reason(row, query) -> str:
    if int(row.id) in query.remove:
        return "removed in this what-if"
    if not serves(row.targets or [], query.target):
        groups = ", ".join(row.targets or []) or "no recognisable target group"
        return f"for {groups}, not for {TARGET_GROUPS[query.target][1].lower()}"
    if query.category and row.category != query.category:
        return f"category {row.category or 'unknown'}, not {query.category}"
    if not _fresh(row).counts:
        return "its note says it closed or paused (to be confirmed)"
    return ""


def _fresh(row, years: int = STALE_AFTER_YEARS):
    return freshness(row.attributes or {}, str(row.source_date or ""), date.today(), years)


def without_closed(frame):
    """The places of ``frame`` that may count: not those whose note says they closed or paused."""
    if not len(frame) or "attributes" not in frame:
        return frame
    keep = pd.Series([_fresh(row).counts for row in frame.itertuples()], index=frame.index, dtype=bool)
    return frame[keep]


def freshness_limits(frame, years: int = STALE_AFTER_YEARS) -> list[str]:
    """The counted places whose information is old, and those left out as closed, by name."""
    if frame is None or not len(frame) or "attributes" not in frame:
        return []
    rows = [(row, _fresh(row, years)) for row in frame.itertuples() if not row.restricted]
    old = [f"{row.name} ({fresh.year})" for row, fresh in rows if fresh.state == "stale"]
    closed = [row.name for row, fresh in rows if fresh.state == "closed"]
    out = []
    if old:
        out.append(Said("stale", n=len(old), years=years, names=", ".join(old)))
    if closed:
        out.append(Said("closed", names=", ".join(closed)))
    return out


def reach_gaps(repo: Repository, cities: set[str]) -> dict[str, set[str]]:
    """Reach layer → the cities where the publisher's data cannot tell (no list, no 受入対象者)."""
    return {"shelter": set(), "emergency_site": unlisted_emergency_sites(repo) & cities,
            "welfare_shelter": {c for c in cities if "welfare_shelter" in unpublished_lists(repo, c)}}


def welfare_limit(groups) -> str:
    """Which 福祉避難所 a welfare-shelter reach counts: those for these groups, no others."""
    return Said("welfare", groups=tuple(groups))


def blind_cities(repo: Repository, kind: str, cities: set[str]) -> dict[str, str]:
    """City → why a figure about places of ``kind`` is unknown there (no list, or none placed).

    A city with no placed place of the kind cannot be said to reach no one: its list is missing
    (or unplaced), not empty. Private places count as a list existing.
    """
    names, label = repo.city_names(), RESOURCE_KINDS[kind].label_ja if kind in RESOURCE_KINDS else kind
    out = {}
    for city in sorted(c for c in cities if c):
        if repo.count_resources(kinds=[kind], city=city, placed_only=True, include_restricted=True):
            continue
        listed = repo.count_resources(kinds=[kind], city=city, include_restricted=True)
        name = names.get(city, city)
        out[city] = Said("unplaced_list", city=name, n=listed, label=label) if listed else \
            Said("no_list", city=name, label=label)
    return out


def subgroup_limits(frame, query) -> list[str]:
    """Places left out because they serve only a narrower group, and the measure that counts them."""
    if not query.target or frame is None or not len(frame):
        return []
    out = []
    for group in sorted(narrower_groups(query.target)):
        n = sum(1 for t in frame["targets"] if serves_part_of(t or [], query.target) and group in (t or []))
        if n:
            out.append(Said("subgroup", n=n, sub_group=group, group=query.target, sub=group))
    return out


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
    return set(kept(repo, ("unpublished_lists", city), lambda: _unpublished_lists(repo, city)))


def _unpublished_lists(repo: Repository, city: str) -> frozenset[str]:
    out = {"emergency_site"} if city in unlisted_emergency_sites(repo) else set()
    shelters = repo.resources_frame(kinds=["shelter"], city=city)
    if len(shelters) and city in unflagged_welfare(shelters):
        out.add("welfare_shelter")
    return frozenset(out)


def data_limits(repo: Repository, query, notes: AreaNotes,
                unknown: dict[str, set[str]] | None = None) -> list[str]:
    """Sentences naming every limit of the data that affects this answer.

    ``unknown``: reach layer → the answer's cities where that layer cannot be known.
    """
    names = repo.city_names()
    out = []
    if notes.whole_city:
        out.append(Said("whole_city", city=names.get(query.city, query.city), area_kind=query.area_kind))
    if notes.approximate_cities:
        cities = "、".join(sorted(names.get(c, c) for c in notes.approximate_cities))
        out.append(Said("approximate", area_kind=query.area_kind, cities=cities))
    unknown = unknown or {}
    out += [Said("no_emergency_list", city=names.get(c, c))
            for c in sorted(unknown.get("emergency_site", ()))]
    out += [Said("no_target_text", city=names.get(c, c)) for c in sorted(unknown.get("welfare_shelter", ()))]
    if query.target:
        out.append(Said("only_target", group=query.target))
    return out


LAYER_NAMES = {"shelter": "指定避難所", "emergency_site": "指定緊急避難場所"}


def not_loaded_limits(repo: Repository, not_loaded: dict[str, set[str]]) -> list[str]:
    """Sentences for cities that have none of a layer loaded (a list not imported yet)."""
    names = repo.city_names()
    return [Said("not_loaded", label=LAYER_NAMES[layer], city=names.get(city, city),
                 what=layer.replace("_", " "))
            for layer, cities in not_loaded.items() for city in sorted(cities)]


def _newest_first(row: dict) -> tuple:
    years = years_in(row["as_of"])
    return (not years, -max(years or [0]))


def city_capacity(repo: Repository, demand, cities: set[str]) -> list[dict]:
    """Published shelter capacity totals per city, beside the demand of the city's areas.

    The GSI lists carry no capacity per site, so this is the capacity figure of a city until a
    council's list is imported; each total keeps its basis and date, as the councils stated them.
    """
    names = repo.city_names()
    pieces = demand.pieces
    stated: dict[str, list[dict]] = {}
    for row in repo.city_statistics(topic="shelter_capacity"):
        if row["city_code"] in cities and row["unit"] == "people":
            stated.setdefault(row["city_code"], []).append(row)
    out = []
    for city, rows in sorted(stated.items()):
        # One figure per city, the newest dated; the same total stated again is said, not added.
        row, *others = sorted(rows, key=_newest_first)
        people = float(pieces.loc[pieces["area_city"] == city, "weight"].sum())
        like = demand.measure == "total"  # a capacity is for everyone: compare it with everyone
        out.append({"city_code": city, "city": names.get(city, city), "capacity": row["value"],
                    "basis": row["label"], "as_of": row["as_of"], "notes": row["notes"],
                    "also_stated": [f"{o['label']}: {o['value']:,.0f} ({o['as_of'] or 'no date'})"
                                    for o in others],
                    "demand": round(people, 1), "measure": demand.measure,
                    "demand_per_place": round(people / row["value"], 2) if row["value"] and like else None,
                    "demand_per_place_note": "" if like else "capacity is for everyone: its ratio is given "
                    "against the whole population (measure=total)"})
    return out
